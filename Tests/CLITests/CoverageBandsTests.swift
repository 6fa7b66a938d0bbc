import Foundation
import Geo
import TansoCLI
import TestSupport
import XCTest

/// `tanso coverage --band-rows N` (issue 21): the products of a run swept by bands of rows are the same files byte
/// for byte as a whole-grid run's (rasters, village tables, polygons as GeoJSON and KML, KMZ, map); the GeoPackage
/// (whose header carries a timestamp) holds the same features. Bands of 7 rows: every sector's window crosses
/// many band edges.
final class CoverageBandsTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-bands-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try SampleProvince.dem(arcSeconds: 15).write(to: dir.appendingPathComponent("dem15.tif").path)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func coverage(_ extra: [String], bandRows: Int, output: String) throws {
        let root = ReferenceData.projectRoot()
        let r = try runProcess(
            TansoExecutable.url,
            [
                "coverage", "--transmitters", root.appendingPathComponent("data/transmitters.csv").path,
                "--villages", root.appendingPathComponent("data/villages.csv").path, "--dem", "dem15.tif",
                "--band-rows", String(bandRows), "--output", output
            ] + extra, in: dir)
        XCTAssertEqual(r.code, 0, r.err)
    }

    /// The files of an output folder (relative paths), hidden ones included.
    func files(_ output: String) throws -> [String] {
        let root = dir.appendingPathComponent(output).path
        let all = FileManager.default.enumerator(atPath: root)!.compactMap { $0 as? String }
        return all.filter {
            var d: ObjCBool = false; return FileManager.default.fileExists(atPath: root + "/" + $0, isDirectory: &d) && !d.boolValue
        }.sorted()
    }

    func assertSameProducts(_ extra: [String]) throws {
        try coverage(extra, bandRows: 0, output: "whole")
        try coverage(extra, bandRows: 7, output: "bands")
        let names = try files("whole")
        XCTAssertEqual(try files("bands"), names, "the same files, and no band store left behind")
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: dir.path).contains { $0.contains("bands") && $0 != "bands" })
        var compared = 0
        for name in names where ![".tanso.lock", "study.json", "coverage_summary.txt", "coverage.gpkg"].contains(name) {
            let a = try Data(contentsOf: dir.appendingPathComponent("whole/" + name))
            let b = try Data(contentsOf: dir.appendingPathComponent("bands/" + name))
            XCTAssertEqual(a, b, "\(name) differs")
            compared += 1
        }
        for layer in ["coverage", "villages", "uncovered_villages"] {
            let a = try VectorReader.read(dir.appendingPathComponent("whole/coverage.gpkg").path, layer: layer)
            let b = try VectorReader.read(dir.appendingPathComponent("bands/coverage.gpkg").path, layer: layer)
            XCTAssertEqual(a.features.count, b.features.count, layer)
            XCTAssertEqual(a.features.map(\.attributes), b.features.map(\.attributes), layer)
            XCTAssertEqual(a.features.map(\.geometry), b.features.map(\.geometry), layer)
        }
        // The rasters hold covered cells and the polygons exist, so the comparison is not of empty files.
        let best = try RasterDataset(path: dir.appendingPathComponent("bands/best_signal_dbm.tif").path).readGrid()
        let covered = best.values.filter { $0 != -9999 }.count
        print("\(extra.joined(separator: " ")): grid \(best.width)×\(best.height), \(covered) cells covered, \(compared) files identical")
        XCTAssertGreaterThan(covered, best.width * best.height / 4)
        XCTAssertGreaterThan(compared, 20)
        XCTAssertGreaterThan(best.height / 7, 10)
    }

    func testHataByBandsWritesTheSameProducts() throws {
        try assertSameProducts(["--resolution-m", "600", "--model", "hata"])
    }

    func testITMByBandsWritesTheSameProducts() throws {
        try assertSameProducts(["--area", "107.0,10.9,107.3,11.2", "--resolution-m", "300", "--model", "itm", "--max-radius-km", "8"])
    }
}

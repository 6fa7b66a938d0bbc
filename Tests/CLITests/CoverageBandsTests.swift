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

    func coverage(_ extra: [String], bandRows: Int, output: String, transmitters: String? = nil) throws {
        let root = ReferenceData.projectRoot()
        let r = try runProcess(
            TansoExecutable.url,
            [
                "coverage", "--transmitters", transmitters ?? root.appendingPathComponent("data/transmitters.csv").path,
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

    func assertSameProducts(_ extra: [String], transmitters: String? = nil, files atLeast: Int = 20) throws {
        try coverage(extra, bandRows: 0, output: "whole", transmitters: transmitters)
        try coverage(extra, bandRows: 7, output: "bands", transmitters: transmitters)
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
        XCTAssertGreaterThanOrEqual(compared, atLeast)
        XCTAssertGreaterThan(best.height / 7, 10)
    }

    func testHataByBandsWritesTheSameProducts() throws {
        try assertSameProducts(["--resolution-m", "600", "--model", "hata"])
    }

    /// One service (Viettel's 4G sectors only): the whole-grid run makes the service's COG from the best signal's
    /// file (`COGDescription`), the band sweep writes it with GDAL; they are the same bytes.
    func testOneServiceWritesTheSameProducts() throws {
        let root = ReferenceData.projectRoot()
        let lines = try String(contentsOf: root.appendingPathComponent("data/transmitters.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let kept = [lines[0]] + lines.dropFirst().filter { $0.split(separator: ",", omittingEmptySubsequences: false)[2...3] == ["Viettel", "4G"] }
        XCTAssertGreaterThan(kept.count, 10)
        let csv = dir.appendingPathComponent("viettel_4g.csv")
        try (kept.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
        try assertSameProducts(["--resolution-m", "600", "--model", "hata"], transmitters: csv.path, files: 11)
        XCTAssertEqual(try files("whole").filter { $0.hasPrefix("services/") }, ["services/signal_viettel_4G.tif"])
        let service = try RasterDataset(path: dir.appendingPathComponent("whole/services/signal_viettel_4G.tif").path)
        XCTAssertEqual(try service.bandDescription(), "best Viettel 4G signal (dBm)")
    }

    func testITMByBandsWritesTheSameProducts() throws {
        try assertSameProducts(["--area", "107.0,10.9,107.3,11.2", "--resolution-m", "300", "--model", "itm", "--max-radius-km", "8"])
    }
}

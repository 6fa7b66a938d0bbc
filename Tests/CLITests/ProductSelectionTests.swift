import XCTest
import Foundation
import Geo

/// `tanso coverage --products LIST` writes what is asked for and nothing else; the rasters it writes hold the values
/// of a full run.
extension CLITests {
    func testProductsOptionWritesOnlyTheSelection() throws {
        _ = try write(
            "tx.csv",
            [txHeader, "A,S1,Viettel,4G,10.95,106.95,30,900,10,58,,,,", "B,S2,MobiFone,4G,10.97,106.99,30,1800,10,60,90,0,0,"]
                .joined(separator: "\n") + "\n")
        _ = try write("villages.csv", "id,name,commune,district,latitude,longitude,population\nV1,Ấp 1,X,Y,10.96,106.96,500\n")
        let common = ["coverage", "--transmitters", "tx.csv", "--villages", "villages.csv", "--area", "106.88,10.88,107.06,11.06", "--resolution-m", "25"]
        XCTAssertEqual(try run(common + ["--output", "full"]).code, 0)
        let r = try run(common + ["--products", "servers,villages", "--output", "some"])
        XCTAssertEqual(r.code, 0, r.err)
        let fm = FileManager.default
        func exists(_ p: String) -> Bool { fm.fileExists(atPath: dir.appendingPathComponent(p).path) }
        for p in [
            "best_signal_dbm.tif", "best_server.tif", "best_server_ids.csv", "server_count.tif", "villages.csv", "coverage.gpkg", "coverage_summary.txt",
            "study.json"
        ] {
            XCTAssertTrue(exists("some/" + p), "\(p) was asked for")
        }
        for p in ["map.png", "signal.kmz", "coverage.geojson", "coverage.kml", "services"] { XCTAssertFalse(exists("some/" + p), "\(p) was not asked for") }
        // Each raster is a dataset of one file: GDAL took the summary, then named summary.txt, for ALOS metadata of
        // every raster beside it (and GDAL's delete of a raster deleted it).
        for name in try fm.contentsOfDirectory(atPath: dir.appendingPathComponent("full").path) where name.hasSuffix(".tif") {
            let files = try RasterDataset(path: dir.appendingPathComponent("full/" + name).path).files
            XCTAssertEqual(files.map { URL(fileURLWithPath: $0).lastPathComponent }, [name])
        }
        // Without overviews the raster is smaller, its values those of the full run.
        let full = try RasterDataset(path: dir.appendingPathComponent("full/best_signal_dbm.tif").path).read()
        let some = try RasterDataset(path: dir.appendingPathComponent("some/best_signal_dbm.tif").path).read()
        XCTAssertEqual(full, some)
        let size = { (p: String) in (try? fm.attributesOfItem(atPath: self.dir.appendingPathComponent(p).path)[.size] as? Int) ?? 0 }
        XCTAssertLessThan(size("some/best_signal_dbm.tif"), size("full/best_signal_dbm.tif"))
        // The record lists exactly what was written.
        let record = try String(contentsOf: dir.appendingPathComponent("some/study.json"), encoding: .utf8)
        XCTAssertFalse(record.contains("map.png"), record)
        XCTAssertTrue(record.contains("server_count.tif"), record)
        // A name that is not a product is a usage error naming the choices.
        let bad = try run(common + ["--products", "rasters,maps", "--output", "bad"])
        XCTAssertEqual(bad.code, 2)
        XCTAssertTrue(bad.err.contains("servers, services, kmz, polygons, villages, map, overviews"), bad.err)
    }
}

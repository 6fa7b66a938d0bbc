import Foundation
import TestSupport
import XCTest

/// `tanso conflicts` with terrain paths over the 4° × 4° 1″ mosaic (issue 21): with TANSO_DEM_CACHE_MB the DEM is
/// served by a bounded block cache, so memory stays far below the mosaic's 791 MB, and conflicts.csv is the same
/// file as with the whole mosaic read at once.
final class DEMCacheTests: XCTestCase {
    func testConflictsOverA4x4DegreeMosaicStayBoundedAndEqualTheWholeRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-demcache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let vrt = try SyntheticMosaic.write(in: dir)
        // Two stations 3 km apart in each 1° tile, co-channel: terrain paths all over the mosaic.
        var csv = "id,station_id,licensee,service,tx_frequency_mhz,bandwidth_khz,emission_designator,latitude,longitude,antenna_height_m,eirp_dbm\n"
        for i in 0..<4 {
            for j in 0..<4 {
                let lon = 104.4 + Double(i), lat = 14.4 + Double(j)
                csv += "A\(i)\(j),S\(i)\(j)a,Op\(i),mobile,450.000,25,25K0F3E,\(lat),\(lon),30,50\n"
                csv += "B\(i)\(j),S\(i)\(j)b,Op\(j + 4),mobile,450.000,25,25K0F3E,\(lat + 0.02),\(lon + 0.02),30,50\n"
            }
        }
        try Data(csv.utf8).write(to: dir.appendingPathComponent("assignments.csv"))
        func conflicts(cacheMB: Int, output: String) throws -> (mb: Double, csv: Data) {
            let r = try runProcess(
                TansoExecutable.url,
                ["conflicts", "--assignments", "assignments.csv", "--dem", vrt, "--model", "itm", "--max-distance-km", "60", "--output", output],
                in: dir, environment: ["TANSO_REPORT_PEAK_RSS": "1", "TANSO_DEM_CACHE_MB": String(cacheMB)])
            XCTAssertEqual(r.code, 0, r.err)
            return (try XCTUnwrap(SyntheticMosaic.peakMB(r.err), r.err), try Data(contentsOf: dir.appendingPathComponent(output + "/conflicts.csv")))
        }
        let cached = try conflicts(cacheMB: 8, output: "cached")
        let whole = try conflicts(cacheMB: 2000, output: "whole")
        let rows = String(decoding: cached.csv, as: UTF8.self).split(separator: "\n").count - 1
        print(
            "conflicts over the 4° × 4° mosaic (\(String(format: "%.0f", SyntheticMosaic.wholeMB)) MB as Float32): peak \(cached.mb) MB with an 8 MB block cache, \(whole.mb) MB reading it whole; \(rows) conflicts, the same file"
        )
        XCTAssertEqual(cached.csv, whole.csv)
        XCTAssertGreaterThan(rows, 0)
        XCTAssertGreaterThan(whole.mb, SyntheticMosaic.wholeMB, "the whole read holds the mosaic")
        XCTAssertLessThan(cached.mb, 400, "the block cache holds a few blocks, not the mosaic")
    }
}

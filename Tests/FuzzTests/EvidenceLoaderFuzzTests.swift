import Foundation
import Records
import TestSupport
import XCTest

/// The loaders of `tanso locate` and `tanso interference`: measurements (CSV, GeoJSON points) and blocking levels.
extension LoaderFuzzTests {
    func testLevelMeasurementLoader() {
        let seed = "latitude,longitude,level_dbm,rx_height_m,bearing_deg,bearing_sigma_deg\n10.97,106.97,-73.9,1.5,,\n10.96,106.99,-66.7,1.5,203.7,5\n"
        let strength = "latitude,longitude,level_dbuv_m\n10.97,106.97,40.2\n"
        let seeds = [Array(seed.utf8), Array(strength.utf8)] + [projectFile("data/complaints/drive_unknown.csv")].compactMap { $0 }
        fuzz(
            "measurements", seeds: seeds,
            body: fileBody("drive.csv") { path in
                var r = LoadReport()
                _ = try LevelMeasurementLoader.load(path, frequencyMHz: 163.25, skipInvalid: true, report: &r)
            })
    }

    func testBlockingLevels() {
        let seed = "service,front_end_mhz,blocking_dbm\nland_mobile,10,-29\nmobile,60,-44\nother,0,-30\n"
        fuzz(
            "blocking levels", seeds: [Array(seed.utf8)],
            body: fileBody("blocking.csv") { path in
                _ = try AssignmentTables.loadBlockingLevels(path)
            })
    }
}

import Foundation
import XCTest

/// `tanso interference` and `tanso locate` through the executable: help, usage and input errors, the sample complaint.
extension CLITests {
    var projectRoot: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    func testInterferenceAndLocateHelpTeachWithExamples() throws {
        for c in ["interference", "locate"] {
            let h = try run([c, "--help"])
            XCTAssertEqual(h.code, 0, c)
            XCTAssertTrue(h.out.contains("Examples:"), c)
        }
    }

    func testInterferenceUsageErrorsAreClear() throws {
        let register = projectRoot.appendingPathComponent("data/assignments.csv").path
        let base = [
            "interference", "--frequency-mhz", "159.7", "--bandwidth-khz", "12.5", "--assignments", register, "--output", dir.appendingPathComponent("o").path
        ]
        let cases: [([String], String)] = [
            (base, "missing required option --victim"),
            (base + ["--victim", "10.9"], "--victim expects LAT,LON"),
            (base + ["--victim", "110.9,106.9"], "latitude must be in [-90, 90]"),
            (base + ["--victim", "10.9,106.9", "--mechanisms", "co_channel,teleportation"], "unknown mechanism 'teleportation'"),
            (base + ["--victim", "10.9,106.9", "--model", "itm"], "--model needs --dem"),
            (base + ["--victim", "10.9,106.9", "--rx-height-m", "0"], "--rx-height-m 0 is outside [0.5, 1000.0]"),
            (base + ["--victim", "10.9,106.9", "--service", "land mobile"], "--service expects a service name")
        ]
        for (args, message) in cases {
            let r = try run(args)
            XCTAssertEqual(r.code, 2, args.joined(separator: " "))
            XCTAssertTrue(r.err.contains(message), "expected '\(message)' in: \(r.err)")
        }
        // A bad register row names file, row, column, value and what was expected.
        let bad = try write(
            "bad.csv",
            "id,station_id,licensee,service,tx_frequency_mhz,bandwidth_khz,latitude,longitude,antenna_height_m,eirp_dbm\nX,S,L,land_mobile,abc,12.5,10.9,106.9,30,40\n"
        )
        let r = try run([
            "interference", "--victim", "10.9,106.9", "--frequency-mhz", "159.7", "--bandwidth-khz", "12.5", "--assignments", bad, "--output",
            dir.appendingPathComponent("o").path
        ])
        XCTAssertEqual(r.code, 1)
        XCTAssertTrue(r.err.contains("bad.csv:2: row 1, column 'tx_frequency_mhz': value 'abc': expected a number"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("o/candidates.csv").path))
    }

    /// The sample complaint of data/complaints/complaints.csv: the 115 dispatch receiver on 159.7 MHz is hit by the
    /// intermodulation of the land-mobile carriers on tower T-IM (data/README.md).
    func testSampleDispatchComplaintIsExplainedByIntermodulationOnTheSharedTower() throws {
        let out = dir.appendingPathComponent("c")
        let r = try run([
            "interference", "--victim", "10.975,106.925", "--frequency-mhz", "159.7", "--bandwidth-khz", "12.5", "--service", "land_mobile",
            "--rx-height-m", "25", "--victim-station", "ST-DISPATCH", "--assignments", projectRoot.appendingPathComponent("data/assignments.csv").path,
            "--output", out.path
        ])
        XCTAssertEqual(r.code, 0, r.err)
        let csv = try String(contentsOf: out.appendingPathComponent("candidates.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n")
        XCTAssertEqual(lines[0], "rank,mechanism,assignment_ids,frequencies_mhz,interference_dbm,i_over_n_db,explanation")
        XCTAssertTrue(lines[1].hasPrefix("1,intermodulation,PMR-01;PMR-02,160.1;160.5,"), String(lines[1]))
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<svg") && html.contains("2·160.1 − 160.5 = 159.7 MHz"))
        XCTAssertFalse(html.contains("http://") && html.contains("<script"), "self-contained")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("interference.gpkg").path))
    }

    func testLocateRowErrorsAndUsage() throws {
        let bad = try write("drive.csv", "latitude,longitude,level_dbm\n10.9,106.9,-70\n10.91,106.9,loud\n10.92,106.9,-75\n")
        let r = try run(["locate", "--measurements", bad, "--frequency-mhz", "163.25", "--output", dir.appendingPathComponent("l").path])
        XCTAssertEqual(r.code, 1)
        XCTAssertTrue(r.err.contains("drive.csv:3: row 2, column 'level_dbm': value 'loud': expected a number in [-200, 50] dBm"), r.err)
        let none = try write("none.csv", "latitude,longitude,power\n10.9,106.9,-70\n")
        let n = try run(["locate", "--measurements", none, "--frequency-mhz", "163.25", "--output", dir.appendingPathComponent("l").path])
        XCTAssertTrue(n.err.contains("expected a level: level_dbm (dBm) or level_dbuv_m (dBµV/m)"), n.err)
        let skipped = try run([
            "locate", "--measurements", bad, "--frequency-mhz", "163.25", "--skip-invalid", "--output", dir.appendingPathComponent("l").path
        ])
        XCTAssertEqual(skipped.code, 1)
        XCTAssertTrue(skipped.err.contains("at least 3 are needed"), skipped.err)
        let area = try run([
            "locate", "--measurements", bad, "--frequency-mhz", "163.25", "--area", "107,10,106,11", "--output", dir.appendingPathComponent("l").path
        ])
        XCTAssertEqual(area.code, 2)
        XCTAssertTrue(area.err.contains("expected west < east"), area.err)
    }

    /// The sample drive (data/complaints/drive_unknown.csv, made with ITM over the sample DEM) located with the Hata model
    /// without a DEM on a coarse grid: the products are there and the estimate lies within 2 km of the emitter
    /// (10.93 N, 106.98 E).
    func testLocateSampleDriveWritesItsProducts() throws {
        let out = dir.appendingPathComponent("loc")
        let r = try run([
            "locate", "--measurements", projectRoot.appendingPathComponent("data/complaints/drive_unknown.csv").path, "--frequency-mhz", "163.25",
            "--resolution-m", "400", "--heights-m", "15", "--sigma-db", "8", "--assignments", projectRoot.appendingPathComponent("data/assignments.csv").path,
            "--output", out.path
        ])
        XCTAssertEqual(r.code, 0, r.err)
        print(r.out)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("estimate.json"))) as! [String: Any]
        let lat = json["latitude"] as! Double, lon = json["longitude"] as! Double
        let dKm = ((lat - 10.93) * 110.57).magnitude + ((lon - 106.98) * 109.3).magnitude
        XCTAssertLessThan(dKm, 2, "estimate \(lat), \(lon)")
        for name in ["eirp_dbm", "sigma_db"] { XCTAssertNotNil(json[name] as? Double, name) }
        for name in ["likelihood.tif", "region.geojson", "stations.csv", "study.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), name)
        }
    }
}

import XCTest
import Foundation
import TestSupport

/// `tanso monitor` through the executable: the sample data, the products, the baseline, row errors.
extension CLITests {
    func sampleData(_ name: String) -> String { ReferenceData.projectRoot().appendingPathComponent(name).path }

    func testMonitorOnTheSampleWritesEveryProduct() throws {
        let out = dir.appendingPathComponent("mon").path
        let r = try run([
            "monitor", "--emissions", sampleData("data/monitoring/emissions.csv"), "--sweeps", sampleData("data/monitoring/sweeps.csv"),
            "--assignments", sampleData("data/assignments.csv"), "--output", out
        ])
        XCTAssertEqual(r.code, 0, r.err)
        let csv = try String(contentsOfFile: out + "/findings.csv", encoding: .utf8)
        XCTAssertTrue(
            csv.hasPrefix("kind,severity,station_id,frequency_mhz,bandwidth_khz,level_dbuv_m,assignment_id,licensee,expected,deviation,explanation\n"))
        let rows = csv.split(separator: "\n").dropFirst()
        // 8 planted in the emission list and 2 in the sweeps, of which the FM pirate at MON-BH appears in both
        // inputs at 104.3 (list) and 100.6 MHz (sweeps): 10 findings.
        XCTAssertEqual(rows.count, 10, csv)
        for kind in ["unlicensed", "off_frequency", "excess_bandwidth", "over_level", "not_heard"] {
            XCTAssertTrue(rows.contains { $0.hasPrefix(kind + ",") }, kind)
        }
        XCTAssertTrue(rows.contains { $0.hasPrefix("unlicensed,") && $0.contains(",MON-LK,162.000000,") })
        let occupancy = try String(contentsOfFile: out + "/occupancy.csv", encoding: .utf8)
        XCTAssertTrue(occupancy.contains("MON-BH,FM-01,98.5000,200.0,"))
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        for station in ["MON-BH", "MON-LK", "MON-VAN"] { XCTAssertTrue(html.contains("<h2>Station \(station)</h2>"), station) }
        XCTAssertGreaterThanOrEqual(html.components(separatedBy: "<svg").count - 1, 3)
        XCTAssertFalse(html.contains("src=\"http"), "self-contained")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/monitoring.gpkg"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/study.json"))

        // Baseline: the same run is all unchanged; a finding removed from the baseline is new, one added is resolved.
        var lines = csv.split(separator: "\n").map(String.init)
        let removed = lines.remove(at: 1)
        lines.append("unlicensed,high,MON-LK,150.000000,10.000,40.0,,,,20.0,an old finding")
        let baseline = try write("baseline.csv", lines.joined(separator: "\n") + "\n")
        let out2 = dir.appendingPathComponent("mon2").path
        let r2 = try run([
            "monitor", "--emissions", sampleData("data/monitoring/emissions.csv"), "--sweeps", sampleData("data/monitoring/sweeps.csv"),
            "--assignments", sampleData("data/assignments.csv"), "--baseline", baseline, "--output", out2
        ])
        XCTAssertEqual(r2.code, 0, r2.err)
        let csv2 = try String(contentsOfFile: out2 + "/findings.csv", encoding: .utf8)
        let status = csv2.split(separator: "\n").dropFirst().map { String($0.split(separator: ",").last!) }
        XCTAssertEqual(status.filter { $0 == "new" }.count, 1)
        XCTAssertEqual(status.filter { $0 == "resolved" }.count, 1)
        XCTAssertEqual(status.filter { $0 == "unchanged" }.count, 9)
        XCTAssertTrue(csv2.contains(String(removed.split(separator: ",")[0...3].joined(separator: ","))))
    }

    func testMonitorBadEmissionRowNamesFileRowColumnValue() throws {
        let bad = try write(
            "em.csv",
            "station_id,latitude,longitude,antenna_height_m,timestamp,frequency_mhz,bandwidth_khz,level_dbuv_m\nM,10.9,106.9,10,t,98.5,180,60\nM,10.9,106.9,10,t,98,-5,60\n"
        )
        let r = try run(["monitor", "--emissions", bad, "--assignments", sampleData("data/assignments.csv"), "--output", dir.appendingPathComponent("o").path])
        XCTAssertEqual(r.code, 1)
        XCTAssertTrue(r.err.contains("em.csv:3: row 2, column 'bandwidth_khz': value '-5'"), r.err)
        let ok = try run([
            "monitor", "--emissions", bad, "--assignments", sampleData("data/assignments.csv"), "--skip-invalid", "--output",
            dir.appendingPathComponent("o").path
        ])
        XCTAssertEqual(ok.code, 0, ok.err)
        XCTAssertTrue(ok.err.contains("skipped 1 invalid emission row"), ok.err)
        let badSweep = try write("sw.csv", "station_id,latitude,longitude,antenna_height_m,timestamp,frequency_mhz,level_dbuv_m\nM,10.9,106.9,10,t,98.5,abc\n")
        let r3 = try run([
            "monitor", "--sweeps", badSweep, "--assignments", sampleData("data/assignments.csv"), "--output", dir.appendingPathComponent("o3").path
        ])
        XCTAssertEqual(r3.code, 1)
        XCTAssertTrue(r3.err.contains("sw.csv:2: row 1, column 'level_dbuv_m': value 'abc'"), r3.err)
        let help = try run(["monitor", "--help"])
        XCTAssertTrue(help.out.contains("tanso monitor --emissions data/monitoring/emissions.csv"))
    }
}

// End-to-end tests of `tanso measurements`, `tanso calibrate` and `tanso coverage --calibration` through the
// executable, on the real G-NetTrack slice (Tests/Fixtures/measurements/sunway_gnettrack, CC BY 4.0) and on a
// small exact survey.
import XCTest
import Foundation
import TestSupport
import Geo
@testable import Reports

final class MeasurementCLITests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-meas-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    @discardableResult
    func run(_ args: [String]) throws -> (code: Int32, out: String, err: String) {
        let r = try runProcess(TansoExecutable.url, args, in: dir)
        return (r.code, r.out, r.err)
    }

    func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
    func rows(_ path: String) throws -> [[String: String]] { try SimpleCSV.rows(dir.appendingPathComponent(path)) }

    func slice() throws -> String { try ReferenceData.require("measurements/sunway_gnettrack/gnettrack_processed_slice.csv").path }

    /// The dataset's estimated sites (Node_Latitude/Node_Longitude, centroids of the measurements: not surveyed), one
    /// 4G sector per Node-CellID, omni, 30 m, 61 dBm EIRP (assumed: the dataset gives no power).
    func writeSites() throws {
        var seen = Set<String>(), out = "id,site_id,operator,technology,latitude,longitude,antenna_height_m,frequency_mhz,bandwidth_mhz,eirp_dbm\n"
        for r in try SimpleCSV.rows(URL(fileURLWithPath: try slice())) where r["NetworkTech"] == "4G" {
            let node = Int(Double(r["Node"]!)!), cell = Int(Double(r["CellID"]!)!), id = "\(node)-\(cell)"
            if seen.insert(id).inserted { out += "\(id),\(node),\(r["Operatorname"]!),4G,\(r["Node_Latitude"]!),\(r["Node_Longitude"]!),30,768,20,61\n" }
        }
        try write("sites.csv", out)
    }

    func testHelp() throws {
        for c in ["measurements", "calibrate"] {
            let h = try run([c, "--help"])
            XCTAssertEqual(h.code, 0)
            XCTAssertTrue(h.out.contains("Usage: tanso \(c)") && h.out.contains("Example"), h.out)
        }
        let main = try run(["--help"]).out
        XCTAssertTrue(main.contains("measurements") && main.contains("calibrate"))
    }

    func testGNetTrackSliceAgainstHata() throws {
        try writeSites()
        let r = try run([
            "measurements", "--measurements", try slice(), "--transmitters", "sites.csv", "--model", "hata", "--environment", "urban", "--output", "out"
        ])
        XCTAssertEqual(r.code, 0, r.err)
        print(r.out)
        for f in ["bins.csv", "rows.csv", "statistics.csv", "measurements.gpkg", "report.html", "study.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/\(f)").path), f)
        }
        let raw = try rows("out/rows.csv")
        XCTAssertEqual(raw.count, 2466)
        // 4G rows name their sector (rule id); 5G rows carry the LTE anchor's id and no 5G transmitter exists.
        XCTAssertEqual(raw.filter { $0["rule"] == "id" }.count, 1257)
        XCTAssertEqual(raw.filter { $0["rule"] == "none" }.count, 1209)
        let bins = try rows("out/bins.csv")
        XCTAssertEqual(bins.reduce(0) { $0 + Int($1["raw_rows"]!)! }, 2466)
        XCTAssertLessThan(bins.count, 2466, "rows within 40 λ (15.6 m at 768 MHz) share a bin")
        let overall = try XCTUnwrap(try rows("out/statistics.csv").first { $0["group"] == "overall" })
        XCTAssertEqual(Int(overall["raw_rows"]!), 1257)
        let html = try String(contentsOf: dir.appendingPathComponent("out/report.html"), encoding: .utf8)
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 3)
        XCTAssertFalse(html.contains("src=\"http") || html.contains("href=\"http") || html.contains("<script"))
        XCTAssertTrue(r.err.contains("1209 5G row(s) carry an LTE EARFCN"), r.err)
    }

    func testMalformedSliceErrorsAndSkipInvalid() throws {
        try writeSites()
        var lines = try String(contentsOfFile: try slice(), encoding: .utf8).components(separatedBy: "\n")
        var f = lines[7].components(separatedBy: ",")
        f[9] = "strong" // Level
        lines[7] = f.joined(separator: ",")
        try write("broken.csv", lines.joined(separator: "\n"))
        let bad = try run(["measurements", "--measurements", "broken.csv", "--transmitters", "sites.csv", "--output", "out"])
        XCTAssertEqual(bad.code, 1)
        XCTAssertTrue(bad.err.contains("broken.csv:8: row 7, column 'level': value 'strong': expected a number"), bad.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/study.json").path))
        let skip = try run(["measurements", "--measurements", "broken.csv", "--transmitters", "sites.csv", "--skip-invalid", "--output", "out"])
        XCTAssertEqual(skip.code, 0, skip.err)
        XCTAssertTrue(skip.err.contains("skipped 1 invalid measurement row(s)") && skip.err.contains("row 7"), skip.err)
        XCTAssertEqual(try rows("out/rows.csv").count, 2465)
    }

    /// An exact survey: measured = predicted − 6 dB everywhere. calibrate finds offset 6 dB; coverage with the
    /// calibration is 6 dB below coverage without it in every cell, and records the file in study.json; a study with
    /// another model refuses it.
    func testCalibrateThenCoverage() throws {
        try write(
            "tx.csv",
            "id,site_id,operator,technology,latitude,longitude,antenna_height_m,frequency_mhz,bandwidth_mhz,eirp_dbm\nA1,SA,Viettel,4G,10.95,106.90,30,773,10,60\n"
        )
        var survey = "latitude,longitude,technology,metric,value,earfcn,transmitter_id\n"
        for i in 0..<400 { survey += "\(10.95 + Double(i % 20) * 0.002 - 0.02),\(106.90 + Double(i / 20) * 0.002 - 0.02),4G,rsrp,-90,9560,A1\n" }
        try write("probe.csv", survey)
        let probe = try run(["measurements", "--measurements", "probe.csv", "--transmitters", "tx.csv", "--bin-wavelengths", "0", "--output", "probe"])
        XCTAssertEqual(probe.code, 0, probe.err)
        var exact = "latitude,longitude,technology,metric,value,earfcn,transmitter_id\n"
        for (row, line) in zip(try rows("probe/rows.csv"), survey.split(separator: "\n").dropFirst()) {
            let f = line.split(separator: ",")
            exact += "\(f[0]),\(f[1]),4G,rsrp,\(String(format: "%.4f", Double(row["predicted"]!)! - 6)),9560,A1\n"
        }
        try write("exact.csv", exact)
        let cal = try run(["calibrate", "--measurements", "exact.csv", "--transmitters", "tx.csv", "--bin-wavelengths", "0", "--output", "cal"])
        XCTAssertEqual(cal.code, 0, cal.err)
        print(cal.out)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("cal/calibration.json"))) as! [String: Any]
        XCTAssertEqual(json["offset_db"] as! Double, 6, accuracy: 0.01) // predictions are written to 0.01 dB
        XCTAssertEqual(json["model"] as? String, "hata")
        XCTAssertEqual((json["inputs"] as! [[String: Any]]).count, 2)
        let area = ["--area", "106.85,10.90,106.95,11.00", "--resolution-m", "200", "--max-radius-km", "5"]
        XCTAssertEqual(try run(["coverage", "--transmitters", "tx.csv", "--output", "plain"] + area).code, 0)
        let applied = try run(["coverage", "--transmitters", "tx.csv", "--calibration", "cal/calibration.json", "--output", "calibrated"] + area)
        XCTAssertEqual(applied.code, 0, applied.err)
        let a = try RasterDataset(path: dir.appendingPathComponent("plain/best_signal_dbm.tif").path).readGrid()
        let b = try RasterDataset(path: dir.appendingPathComponent("calibrated/best_signal_dbm.tif").path).readGrid()
        let offset = json["offset_db"] as! Double
        var compared = 0, worst = 0.0
        for i in a.values.indices where a.values[i] > -100 && b.values[i] != -9999 {
            worst = max(worst, abs(Double(a.values[i] - b.values[i]) - offset)); compared += 1
        }
        print("coverage with calibration: \(compared) cells compared, largest |Δ − offset| \(worst) dB")
        XCTAssertGreaterThan(compared, 100)
        XCTAssertLessThan(worst, 1e-4)
        let study = try String(contentsOf: dir.appendingPathComponent("calibrated/study.json"), encoding: .utf8)
        XCTAssertTrue(study.contains("\"calibration\"") && study.contains("\"offsetDB\""), study)
        XCTAssertTrue(study.contains("\"role\" : \"calibration\""), study)
        let wrong = try run(["coverage", "--transmitters", "tx.csv", "--calibration", "cal/calibration.json", "--model", "fspl", "--output", "x"] + area)
        XCTAssertEqual(wrong.code, 1)
        XCTAssertTrue(wrong.err.contains("fitted for model 'hata'"), wrong.err)
    }

    /// The products' number formatting equals printf's %.Nf on 30,000 seeded values (no exact ties among them).
    func testFixedDecimalsMatchPrintf() {
        var g = SeededGenerator(seed: 5)
        for _ in 0..<10_000 {
            for d in [2, 3, 7] {
                let x = g.uniform(-200, 200) * (g.chance(0.1) ? 1e-4 : 1)
                XCTAssertEqual(MeasurementProducts.n(x, d), String(format: "%.\(d)f", x), "\(x) with \(d) decimals")
            }
        }
        XCTAssertEqual(MeasurementProducts.n(nil), "")
        XCTAssertEqual(MeasurementProducts.n(.nan), "")
        XCTAssertEqual(MeasurementProducts.n(-0.3, 2), "-0.30")
        XCTAssertEqual(MeasurementProducts.n(0.004, 2), "0.00")
    }
}

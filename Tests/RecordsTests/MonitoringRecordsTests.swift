import XCTest
import Foundation
import Radio
import TestSupport
@testable import Records

/// The monitoring records: emission lists (row-level errors, level conversions) and the streamed sweep reader.
final class MonitoringRecordsTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-monrec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func file(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let header =
        "station_id,latitude,longitude,antenna_height_m,timestamp,frequency_mhz,bandwidth_khz,bandwidth_method,level_dbuv_m,level_dbm,rx_antenna_factor_db_per_m,rx_gain_dbi\n"

    func testSampleEmissionListLoads() throws {
        var report = LoadReport()
        let path = ReferenceData.projectRoot().appendingPathComponent("data/monitoring/emissions.csv").path
        let list = try EmissionLoader.load(path, report: &report)
        XCTAssertGreaterThan(list.count, 50)
        XCTAssertEqual(Set(list.map(\.stationID)), ["MON-BH", "MON-LK", "MON-VAN"])
        XCTAssertTrue(list.allSatisfy { $0.frequencyUncertaintyHz == 100 && $0.levelUncertaintyDB == 2 })
    }

    func testLevelInDBmIsConvertedWithAntennaFactorOrGain() throws {
        let path = try file(
            "e.csv",
            Self.header + "S,10.9,106.9,10,t1,100,200,99%,,-50,20,\n" + "S,10.9,106.9,10,t2,100,200,26dB,,-50,,2.15\n" + "S,10.9,106.9,10,t3,100,200,,55.5,,,\n"
        )
        var report = LoadReport()
        let list = try EmissionLoader.load(path, report: &report)
        // E = V + K with V(dBµV) = P(dBm) + 107 in 50 Ω: −50 + 107 + 20.
        XCTAssertEqual(list[0].levelDBuVm, 77, accuracy: 1e-9)
        // E = P + 20 log10 f + 77.2 − G: −50 + 40 + 77.2 − 2.15.
        XCTAssertEqual(list[1].levelDBuVm, 65.05, accuracy: 1e-9)
        XCTAssertEqual(list[1].bandwidthMethod, "26dB")
        XCTAssertEqual(list[2].levelDBuVm, 55.5)
        XCTAssertEqual(list[2].bandwidthMethod, "99%")
    }

    func testBadEmissionRowsGiveRowLevelErrors() throws {
        let cases: [(row: String, column: String, value: String?)] = [
            ("S,10.9,106.9,10,t,abc,200,,50,,,", "frequency_mhz", "abc"),
            ("S,10.9,106.9,10,t,0x64,200,,50,,,", "frequency_mhz", "0x64"),
            ("S,10.9,106.9,10,t,100,200,,nan,,,", "level_dbuv_m", "nan"),
            ("S,10.9,106.9,10,t,100,200,,,,,", "level_dbuv_m", nil),
            ("S,10.9,106.9,10,t,100,200,,,-50,,", "rx_antenna_factor_db_per_m", nil),
            ("S,10.9,106.9,10,t,100,200,half,50,,,", "bandwidth_method", "half"),
            ("S,10.9,106.9,10,t,100,-3,,50,,,", "bandwidth_khz", "-3"),
            ("S,95,106.9,10,t,100,200,,50,,,", "latitude", "95"),
            (",10.9,106.9,10,t,100,200,,50,,,", "station_id", nil),
            ("S,10.9,106.9,10,t,100,200,,50,-50,,", "level_dbm", "-50")
        ]
        for c in cases {
            let path = try file("bad.csv", Self.header + "S,10.9,106.9,10,t,100,200,,50,,,\n" + c.row + "\n")
            var report = LoadReport()
            XCTAssertThrowsError(try EmissionLoader.load(path, report: &report), c.row) { error in
                guard let e = error as? RecordError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.row, 2, c.row)
                XCTAssertEqual(e.column, c.column, c.row)
                XCTAssertEqual(e.value, c.value, c.row)
                XCTAssertTrue(e.description.contains("bad.csv:3: row 2"), e.description)
            }
            let list = try EmissionLoader.load(path, skipInvalid: true, report: &report)
            XCTAssertEqual(list.count, 1, c.row)
            XCTAssertEqual(report.skipped.count, 1, c.row)
        }
    }

    // MARK: sweeps

    func sweepText(stations: [String], sweeps: Int, bins: Int, level: (Int, Int) -> Double) -> String {
        var s = "station_id,latitude,longitude,antenna_height_m,timestamp,frequency_mhz,level_dbuv_m\n"
        for k in 0..<sweeps {
            for st in stations {
                for b in 0..<bins { s += "\(st),10.9,106.9,10,2026-01-01T00:00:\(k),\(88.0 + 0.025 * Double(b)),\(level(k, b))\n" }
            }
        }
        return s
    }

    func testSweepReaderGroupsRowsIntoSweepsPerStation() throws {
        let path = try file("s.csv", sweepText(stations: ["A", "B"], sweeps: 3, bins: 5) { k, b in Double(10 * k + b) })
        let reader = try SweepReader(path: path)
        var seen: [(String, [Float])] = []
        try reader.forEachSweep { sw in
            XCTAssertEqual(sw.frequenciesMHz.count, 5)
            XCTAssertEqual(sw.frequenciesMHz[1], 88.025, accuracy: 1e-12)
            seen.append((sw.stationID, Array(sw.levels)))
        }
        XCTAssertEqual(seen.map(\.0), ["A", "B", "A", "B", "A", "B"])
        XCTAssertEqual(seen[4].1, [20, 21, 22, 23, 24])
        XCTAssertEqual(reader.rowsRead, 30)
    }

    func testSweepReaderErrorsNameRowColumnAndValue() throws {
        let good = sweepText(stations: ["A"], sweeps: 2, bins: 3) { _, _ in 10 }
        var lines = good.split(separator: "\n").map(String.init)
        let cases: [(line: Int, replace: String, column: String?, value: String?)] = [
            (5, "A,10.9,106.9,10,2026-01-01T00:00:1,88.025,inf", "level_dbuv_m", "inf"),
            (5, "A,10.9,106.9,10,2026-01-01T00:00:1,88.03,10", "frequency_mhz", "88.03"),
            (6, "A,10.9,106.9,10,2026-01-01T00:00:1,88.02,10", "frequency_mhz", "88.02"),
            (5, "A,10.95,106.9,10,2026-01-01T00:00:1,88.025,10", "latitude", "10.95"),
            (4, "A,10.9,106.9,x,2026-01-01T00:00:1,88,10", "antenna_height_m", "x")
        ]
        for c in cases {
            var l = lines
            l[c.line] = c.replace
            let path = try file("bad.csv", l.joined(separator: "\n") + "\n")
            let reader = try SweepReader(path: path)
            XCTAssertThrowsError(try reader.forEachSweep { _ in }, c.replace) { error in
                guard let e = error as? RecordError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.row, c.line, c.replace)
                XCTAssertEqual(e.column, c.column, c.replace)
                XCTAssertEqual(e.value, c.value, c.replace)
            }
            let skipping = try SweepReader(path: path, skipInvalid: true)
            var count = 0
            try skipping.forEachSweep { _ in count += 1 }
            XCTAssertEqual(count, 1, "the bad sweep is dropped, the good one kept: \(c.replace)")
            XCTAssertEqual(skipping.skippedCount, 1)
        }
        lines[0] = "station_id,latitude,longitude,antenna_height_m,timestamp,frequency_mhz"
        let path = try file("nolevel.csv", lines.joined(separator: "\n"))
        XCTAssertThrowsError(try SweepReader(path: path)) { error in
            XCTAssertEqual((error as? RecordError)?.column, "level_dbuv_m")
        }
    }

    func testSweepReaderConvertsDBmWithTheAntennaFactor() throws {
        let path = try file(
            "dbm.csv", "station_id,latitude,longitude,antenna_height_m,timestamp,frequency_mhz,level_dbm,rx_antenna_factor_db_per_m\nA,10,106,10,t,100,-90,18\n"
        )
        let reader = try SweepReader(path: path)
        try reader.forEachSweep { sw in
            XCTAssertEqual(sw.unit, .dBmWithAntennaFactor(18))
            XCTAssertEqual(sw.unit.fieldStrength(Double(sw.levels[0]), frequencyMHz: 100), -90 + 107 + 18, accuracy: 1e-9)
        }
    }

    func testFastDecimalAgreesWithDecimalNumber() throws {
        var rng = SplitMix64(seed: 7)
        var texts = ["0", "-0.5", "+12.25", "1e3", "1.5E-2", " 42 ", "107.975", "-123.456789012345", "99999999999999999999.5"]
        for _ in 0..<2000 { texts.append(String(format: "%.\(Int(rng.uniform(0, 7)))f", rng.uniform(-500, 500))) }
        for t in texts {
            let bytes = Array(t.utf8)
            let fast = bytes.withUnsafeBufferPointer { FastDecimal.parse($0, 0..<bytes.count) }
            XCTAssertEqual(fast, DecimalNumber.parse(t.trimmingCharacters(in: .whitespaces)), t)
        }
        for bad in ["0x10", "inf", "nan", "1_0", "", "-", "1e", "1.2.3", "--1"] {
            let bytes = Array(bad.utf8)
            XCTAssertNil(bytes.withUnsafeBufferPointer { FastDecimal.parse($0, 0..<bytes.count) }, bad)
        }
    }

    // MARK: tables

    func testToleranceFileReplacesTheTableAndChecksItsRows() throws {
        let path = try file("tol.csv", "service,low_mhz,high_mhz,tolerance_ppm,tolerance_hz\nbroadcast_fm,87.5,108,,500\n*,30,300,10,\n")
        let t = try MonitoringTables.loadTolerances(path)
        XCTAssertEqual(t.rule(service: "broadcast_fm", frequencyMHz: 98)?.toleranceHz(atMHz: 98), 500)
        XCTAssertEqual(t.rule(service: "land_mobile", frequencyMHz: 160)?.toleranceHz(atMHz: 160) ?? 0, 1600, accuracy: 1e-9)
        let bad = try file("tolbad.csv", "service,low_mhz,high_mhz,tolerance_ppm,tolerance_hz\nfixed,100,200,5,100\n")
        XCTAssertThrowsError(try MonitoringTables.loadTolerances(bad)) { error in
            XCTAssertEqual((error as? RecordError)?.row, 1)
            XCTAssertEqual((error as? RecordError)?.column, "tolerance_ppm")
        }
    }

    /// The encoded rows of RR Appendix 2 (Section I) that the sample and the tests rely on.
    func testRadioRegulationsAppendix2Rows() {
        let t = FrequencyTolerances.radioRegulations
        func tol(_ s: String, _ f: Double) -> Double? { t.rule(service: s, frequencyMHz: f)?.toleranceHz(atMHz: f) }
        XCTAssertEqual(tol("broadcast_fm", 98.5), 2000) // 29.7–100 MHz, broadcasting other than television: 2000 Hz
        XCTAssertEqual(tol("broadcast_fm", 104), 2000) // 100–470 MHz: 2000 Hz
        XCTAssertEqual(tol("broadcast_tv", 600), 500) // 470–2450 MHz, television: 500 Hz
        XCTAssertEqual(tol("land_mobile", 160)!, 160 * 15, accuracy: 1e-9) // base stations 100–235 MHz: 15 ppm
        XCTAssertEqual(tol("land_mobile", 300)!, 300 * 7, accuracy: 1e-9) // 235–401 MHz: 7 ppm
        XCTAssertEqual(tol("land_mobile", 450)!, 450 * 5, accuracy: 1e-9) // 401–470 MHz: 5 ppm
        XCTAssertEqual(tol("mobile", 1842.5)!, 1842.5 * 20, accuracy: 1e-9) // 470–2450 MHz land stations: 20 ppm
        XCTAssertEqual(tol("fixed", 6000)!, 6000 * 200, accuracy: 1e-9) // 2450–10500 MHz fixed ≤ 100 W: 200 ppm
        XCTAssertEqual(tol("aeronautical", 120)!, 120 * 20, accuracy: 1e-9) // band fallback
    }
}

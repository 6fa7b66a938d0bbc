// SurveyMeasurement loaders: the generic contract and the G-NetTrack Pro export (a real slice, Tests/Fixtures/
// measurements/sunway_gnettrack, CC BY 4.0), row-level errors and --skip-invalid.
import XCTest
import Foundation
import TestSupport
@testable import Records

final class MeasurementTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-meas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func slice() throws -> URL { try ReferenceData.require("measurements/sunway_gnettrack/gnettrack_processed_slice.csv") }

    /// The real slice loads with no error: 2,466 rows, 4G 1,257 and 5G 1,209 (counts from the fixture's README),
    /// every frequency 768 MHz (EARFCN 9310, band 28), the serving cell as Node-CellID.
    func testGNetTrackSliceLoads() throws {
        var report = LoadReport()
        let set = try MeasurementLoader.load(try slice().path, report: &report)
        XCTAssertEqual(set.format, "G-NetTrack")
        XCTAssertEqual(set.measurements.count, 2466)
        XCTAssertTrue(report.skipped.isEmpty)
        XCTAssertEqual(set.measurements.filter { $0.technology == .lte }.count, 1257)
        XCTAssertEqual(set.measurements.filter { $0.technology == .nr }.count, 1209)
        XCTAssertTrue(set.measurements.allSatisfy { $0.frequencyMHz == 768.0 })
        let first = set.measurements[0]
        XCTAssertEqual(first.transmitterID, "702072-20")
        XCTAssertEqual(first.metric, .ssRSRP)
        XCTAssertEqual(first.value, -98)
        XCTAssertEqual(first.pci, 473)
        XCTAssertEqual(first.timestamp, "2024-12-03T11:30:19")
        XCTAssertEqual(first.operatorName, "Operator C")
        XCTAssertEqual(set.measurements.map(\.value).min(), -118.5)
        XCTAssertEqual(set.measurements.map(\.value).max(), -58.5)
        // README: PSC 58.5 in 54 rows (a clip bound, not a PCI) → PCI dropped there, with a note.
        XCTAssertEqual(set.measurements.filter { $0.pci == nil }.count, 54)
        print("G-NetTrack slice notes:", set.notes)
        XCTAssertEqual(set.notes.count, 2)
    }

    /// A malformed copy of the slice: each damaged row gives file, row, column and value; --skip-invalid skips
    /// exactly those rows and lists them.
    func testMalformedGNetTrackCopyGivesRowErrors() throws {
        var lines = try String(contentsOf: try slice(), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func damage(_ row: Int, _ column: String, _ value: String) {
            var f = lines[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            f[header.firstIndex(of: column)!] = value
            lines[row] = f.joined(separator: ",")
        }
        damage(10, "Level", "-9O")
        damage(20, "Latitude", "93.1")
        damage(30, "NetworkTech", "6G")
        damage(40, "ARFCN", "19200")
        damage(50, "Timestamp", "03/12/2024 11:30")
        let path = try write("broken_gnettrack.csv", lines.joined(separator: "\n"))
        var report = LoadReport()
        XCTAssertThrowsError(try MeasurementLoader.load(path, report: &report)) { e in
            XCTAssertEqual(
                "\(e)",
                "broken_gnettrack.csv:11: row 10, column 'level': value '-9O': expected a number in [-200, 30] dBm (rsrp)".replacingOccurrences(
                    of: "broken_gnettrack.csv", with: path))
        }
        let set = try MeasurementLoader.load(path, skipInvalid: true, report: &report)
        XCTAssertEqual(set.measurements.count, 2466 - 5)
        XCTAssertEqual(report.skipped.map { $0.row }, [10, 20, 30, 40, 50])
        XCTAssertEqual(report.skipped.map { $0.column }, ["level", "latitude", "NetworkTech", "ARFCN", "Timestamp"])
        XCTAssertEqual(report.skipped.map { $0.value }, ["-9O", "93.1", "6G", "19200", "03/12/2024 11:30"])
        for e in report.skipped { print(e) }
        XCTAssertTrue(report.skipped[3].expected.contains("uplink"), report.skipped[3].expected)
    }

    func testGenericContractWithChannelNumbers() throws {
        let path = try write(
            "m.csv",
            """
            latitude,longitude,technology,metric,value,frequency_mhz,earfcn,uarfcn,arfcn,nrarfcn,transmitter_id,pci,timestamp,rx_height_m,operator
            10.95,106.84,4G,rsrp,-95.5,,1300,,,,T1,101,2026-03-14T09:26:53+07:00,,Viettel
            10.96,106.85,3G,rscp,-88,,,10700,,,,,,,
            10.97,106.86,2G,rxlev,-70,,,,62,,,,2026-03-14 09:27,2.0,
            10.98,106.87,5G,ss_rsrp,-101,,,,,632628,,,,,
            10.99,106.88,4G,total_dbm,-60,1842.5,,,,,,,,,
            10.99,106.88,FM,field_dbuv_m,54,98.5,,,,,,,,,
            """)
        var report = LoadReport()
        let m = try MeasurementLoader.load(path, report: &report).measurements
        XCTAssertEqual(m.map(\.frequencyMHz), [1815.0, 2140.0, 947.4, 3489.42, 1842.5, 98.5])
        XCTAssertEqual(m[0].transmitterID, "T1"); XCTAssertEqual(m[0].pci, 101); XCTAssertEqual(m[0].channel, "earfcn 1300")
        XCTAssertEqual(m[2].rxHeightM, 2.0); XCTAssertEqual(m[1].rxHeightM, 1.5)
        XCTAssertEqual(m[5].metric, .fieldDBuVm)
    }

    func testGenericContractErrors() throws {
        let head = "latitude,longitude,technology,metric,value,frequency_mhz,earfcn,pci,timestamp\n"
        let bad: [(String, String)] = [
            ("10.9,106.8,4G,rscp,-90,1800,,,", "column 'metric': value 'rscp': expected a metric of 4G"),
            ("10.9,106.8,4G,rsrp,-90,,99999,,", "column 'earfcn': value '99999': expected a downlink channel number"),
            ("10.9,106.8,4G,rsrp,-90,,,,", "column 'frequency_mhz': empty: expected a frequency in MHz, or a channel number"),
            ("10.9,106.8,4G,rsrp,-90,1800,,504.5,", "column 'pci': value '504.5'"),
            ("10.9,106.8,4G,rsrp,-90,1800,,,yesterday", "column 'timestamp': value 'yesterday': expected an ISO 8601"),
            ("10.9,106.8,4G,rsrp,nan,1800,,,", "column 'value': value 'nan'")
        ]
        for (row, expected) in bad {
            let path = try write("bad.csv", head + row + "\n")
            var report = LoadReport()
            XCTAssertThrowsError(try MeasurementLoader.load(path, report: &report)) { e in
                XCTAssertTrue("\(e)".contains("bad.csv:2: row 1, " + expected), "\(e)")
            }
        }
    }
}

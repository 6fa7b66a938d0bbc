import XCTest
import Foundation
import Geo
@testable import Records

/// The assignment rows parsed on every core (`collectRowsInParallel`) against the one-thread loop, and the byte
/// formatting of numbers and fields against Foundation's.
final class ParallelRowsTests: XCTestCase {
    static let fields = [
        "id", "station_id", "licensee", "service", "tx_frequency_mhz", "bandwidth_khz", "latitude", "longitude", "antenna_height_m",
        "eirp_dbm", "azimuth_deg"
    ]

    /// 5,000 rows: every 97th has a frequency out of range, every 211th an unparsable height, every 331st repeats an
    /// earlier id; the rest vary in every field.
    static func layer(rows: Int = 5000) -> VectorLayer {
        let features = (1...rows).map { i -> Feature in
            var a: [String: String] = [
                "id": i % 331 == 0 ? "A\(i / 2)" : "A\(i)", "station_id": "S\(i / 3)", "licensee": "L\(i % 7)",
                "service": i % 5 == 0 ? "Land_Mobile" : "mobile",
                "tx_frequency_mhz": String(100 + Double(i) * 0.0125), "bandwidth_khz": "12.5", "latitude": String(20 + Double(i % 100) * 0.01),
                "longitude": " \(105 + Double(i % 77) * 0.01) ", "antenna_height_m": "30", "eirp_dbm": "\(40 + i % 20)",
                "azimuth_deg": i % 3 == 0 ? "" : "\(i % 360)"
            ]
            if i % 97 == 0 { a["tx_frequency_mhz"] = "-5" }
            if i % 211 == 0 { a["antenna_height_m"] = "3O" }
            return Feature(index: i, fid: Int64(i), attributes: a, geometry: nil)
        }
        return VectorLayer(name: "register", fieldNames: fields, features: features, sourceCRS: "")
    }

    func load(_ data: VectorLayer, skipInvalid: Bool, parallel: Bool) -> (items: [Assignment], skipped: [RecordError], thrown: RecordError?) {
        var report = LoadReport()
        do {
            let items =
                parallel
                ? try collectRowsInParallel(
                    data, source: "r.csv", required: AssignmentLoader.requiredColumns, skipInvalid: skipInvalid, report: &report, wave: 700,
                    id: { $0.id }, make: { try AssignmentLoader.parse($0) })
                : try collectRows(
                    data, source: "r.csv", required: AssignmentLoader.requiredColumns, skipInvalid: skipInvalid, report: &report,
                    id: { $0.id }, make: { try AssignmentLoader.parse($0) })
            return (items, report.skipped, nil)
        } catch {
            return ([], report.skipped, error as? RecordError)
        }
    }

    func testParallelParseEqualsOneThreadWithSkippedRowsInOrder() {
        let data = Self.layer()
        let one = load(data, skipInvalid: true, parallel: false)
        let all = load(data, skipInvalid: true, parallel: true)
        XCTAssertNil(all.thrown)
        XCTAssertEqual(all.items, one.items)
        XCTAssertEqual(all.skipped, one.skipped)
        XCTAssertGreaterThan(one.items.count, 4800)
        // Bad values, bad numbers and repeated ids, each named by row, column and value, in row order.
        XCTAssertEqual(all.skipped.map(\.row), one.skipped.map(\.row))
        XCTAssertEqual(all.skipped.compactMap(\.row), all.skipped.compactMap(\.row).sorted())
        XCTAssertTrue(all.skipped.contains { $0.row == 97 && $0.column == "tx_frequency_mhz" && $0.value == "-5" })
        XCTAssertTrue(all.skipped.contains { $0.row == 211 && $0.column == "antenna_height_m" && $0.value == "3O" })
        XCTAssertTrue(all.skipped.contains { $0.row == 331 && $0.column == "id" && $0.expected.contains("already used in row 165") })
    }

    func testParallelParseThrowsTheFirstBadRowAsOneThreadDoes() {
        let data = Self.layer()
        let one = load(data, skipInvalid: false, parallel: false)
        let all = load(data, skipInvalid: false, parallel: true)
        XCTAssertEqual(one.thrown?.row, 97)
        XCTAssertEqual(all.thrown, one.thrown)
        XCTAssertTrue(all.skipped.isEmpty)
    }

    func testMissingColumnIsReportedBeforeAnyRow() {
        let d = Self.layer(rows: 10)
        let data = VectorLayer(name: d.name, fieldNames: d.fieldNames.filter { $0 != "eirp_dbm" }, features: d.features, sourceCRS: "")
        let all = load(data, skipInvalid: true, parallel: true)
        XCTAssertEqual(all.thrown?.column, "eirp_dbm")
        XCTAssertNil(all.thrown?.row)
    }

    func testFixedDecimalsEqualFoundationFormat() {
        var g = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.005, 0.015, 1e-9, -1e-9, 123456.789, 1e20, -1e22, 1e300, -1.7e308, .pi]
        for _ in 0..<20_000 {
            let scale = [1e-3, 1, 100, 1e6][Int.random(in: 0..<4, using: &g)]
            values.append(Double.random(in: -1...1, using: &g) * scale)
            values.append((Double(Int.random(in: -100_000...100_000, using: &g)) + 0.5) / 1000)
        }
        for x in values {
            for d in 0...6 {
                XCTAssertEqual(CSV.fixed(x, decimals: d), String(format: "%.\(d)f", x), "\(x) with \(d) decimals")
            }
        }
        XCTAssertEqual(CSV.number(nil), "")
        XCTAssertEqual(CSV.number(.nan), "")
        XCTAssertEqual(CSV.number(-.infinity), "")
    }

    /// A field is quoted when any of its Unicode scalars is a comma, quote, CR or LF: the scalars `CSV.parse` splits
    /// on. (The rule on `Character`s missed a CR LF pair and a comma followed by a combining mark, one Character
    /// each, which the parser then split.) Every case reads back as written.
    func testEscapeQuotesWhatTheParserWouldSplit() {
        func reference(_ s: String) -> String {
            s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        let cases = [
            "", "plain", "Hà Nội", "a,b", "say \"hi\"", "two\nlines", "cr\ronly", "crlf\r\nline", ",\u{301}", "\u{301},", "x\u{301}\"", "tab\there", "🙂,🙂"
        ]
        for s in cases { XCTAssertEqual(CSV.escape(s), reference(s), s.debugDescription) }
        XCTAssertEqual(CSV.escape(",\u{301}"), "\",\u{301}\"")
        XCTAssertEqual(CSV.escape("plain"), "plain")
        let row = cases.filter { !$0.contains("\r") } // CSV.parse drops CRs outside quotes by design
        XCTAssertEqual(CSV.parse(CSV.format(header: row.indices.map { "h\($0)" }, rows: [row]))[1], row)
    }
}

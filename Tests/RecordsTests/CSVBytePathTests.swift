import Foundation
import Radio
import TestSupport
import XCTest

@testable import Records

/// Assignment CSVs read as bytes (`CSVRecords`, issue 21) against OGR's CSV path (`loadThroughOGR`): the same
/// `[Assignment]` (every field), the same errors (message text) and the same skipped rows. Each file is read by the
/// byte path on one thread and on every core, with chunks of a few hundred bytes (so that records, quoted line
/// breaks and CRLF pairs meet chunk ends) and with the default chunks; the byte path must take the file (not hand it
/// to OGR), else the comparison would be empty.
final class CSVBytePathTests: XCTestCase {
    enum Outcome: Equatable {
        case rows([Assignment], skipped: [String])
        case error(String)
    }

    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("csvbytes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let path = folder.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }

    func throughOGR(_ path: String, skipInvalid: Bool) -> Outcome {
        var report = LoadReport()
        do {
            let rows = try AssignmentLoader.loadThroughOGR(path, skipInvalid: skipInvalid, report: &report)
            return .rows(rows, skipped: report.skipped.map(\.description))
        } catch { return .error("\(error)") }
    }

    /// The byte path's outcome; nil when it handed the file to OGR.
    func asBytes(_ path: String, skipInvalid: Bool, threads: Int, chunkBytes: Int) -> Outcome? {
        var report = LoadReport()
        do {
            guard
                let rows = try CSVRecords.collect(
                    path, layer: nil, encoding: .utf8, required: AssignmentLoader.requiredColumns, skipInvalid: skipInvalid,
                    report: &report, threads: threads, chunkBytes: chunkBytes, id: { $0.id }, make: AssignmentLoader.parse)
            else { return nil }
            return .rows(rows, skipped: report.skipped.map(\.description))
        } catch { return .error("\(error)") }
    }

    /// Both paths on `path`, both skip-invalid settings; returns OGR's outcomes for further checks.
    @discardableResult
    func assertSame(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> [Outcome] {
        var outcomes: [Outcome] = []
        for skipInvalid in [false, true] {
            let ogr = throughOGR(path, skipInvalid: skipInvalid)
            outcomes.append(ogr)
            for threads in [1, 0] {
                for chunkBytes in [97, 512, CSVRecords.chunkBytes] {
                    guard let bytes = asBytes(path, skipInvalid: skipInvalid, threads: threads, chunkBytes: chunkBytes) else {
                        XCTFail("the byte path handed \(path) to OGR", file: file, line: line)
                        return outcomes
                    }
                    if bytes != ogr {
                        XCTFail(
                            "skipInvalid \(skipInvalid), threads \(threads), chunks of \(chunkBytes) B:\n bytes: \(bytes)\n OGR:   \(ogr)",
                            file: file, line: line)
                    }
                }
            }
        }
        return outcomes
    }

    func rowCount(_ o: Outcome) -> Int { if case .rows(let r, _) = o { return r.count } else { return -1 } }

    func testDataAssignmentsIdentical() throws {
        let path = ReferenceData.projectRoot().appendingPathComponent("data/assignments.csv").path
        let o = assertSame(path)
        print("data/assignments.csv: \(rowCount(o[0])) assignments, identical on both paths")
        XCTAssertGreaterThan(rowCount(o[0]), 500)
    }

    static let header =
        "\u{FEFF} ID ,Station_ID,LICENSEE,Service,TX_Frequency_MHz,bandwidth_khz,Emission_Designator,Latitude,LONGITUDE,antenna_height_m,EIRP_dBm,azimuth_deg,rx_frequency_mhz,rx_latitude,rx_longitude"

    /// Quotes, embedded commas and line breaks, doubled quotes, CRLF, a BOM, blank lines, spaces around values,
    /// missing optional columns (no antenna_pattern, protection ratio, …), upper-case headers, Vietnamese text, a
    /// quote inside a field, extra fields, a short row.
    func testTrickyCSVIdentical() throws {
        let rows = [
            Self.header,
            "a1,S1,\"Tổng Công ty Viễn thông, Viettel\",mobile,1842.5,20000,,10.99,106.81,25,61,114,,,",
            "",
            "a2, S2 ,\"Mobi\"\"Fone\"\" \r\nchi nhánh Đồng Nai\",Mobile, 1850.1 ,,20M0G7W,  11.0 ,106.9,30,60,,1755.1,,",
            "   ",
            "a3,S3,\"Đài PT-TH \"\"Bình Dương\"\"\",broadcast_fm,98.5,200,, 11.1,106.7,60,70, 0 ,,,,extra,fields",
            "a4,S4,Cty ab\"c,d\"e,fixed,7500,28000,,11.2,106.6,40,55,45,7662,11.3,106.5",
            "\"a5\",\"S5\",\"VNPT\nVinaPhone\",\"mobile\",\"945\",\"5000\",,\"11.05\",\"106.75\",\"20\",\"58\"",
            "",
            "",
            "a6,S6,Ông Nguyễn Văn Á,land_mobile,450.0125,12.5,,11.06,106.76,15,40"
        ]
        let path = write("tricky.csv", rows.joined(separator: "\r\n") + "\r\n")
        let o = assertSame(path)
        XCTAssertEqual(rowCount(o[1]), 6, "\(o[1])")
        // The whitespace-only line is a row of its own for OGR (row 3: an empty id), blank lines are not.
        if case .error(let e) = o[0] { XCTAssertTrue(e.contains("row 3, column 'id': empty"), e) } else { XCTFail("\(o[0])") }
        // LF-only line ends and no BOM, no final line end.
        let lf = write("tricky-lf.csv", rows.joined(separator: "\n").replacingOccurrences(of: "\u{FEFF}", with: ""))
        assertSame(lf)
    }

    /// Bad rows: a bad number, a value out of range, an empty required value, a bad service, a repeated id, a
    /// receive bandwidth without a frequency; thrown first in order, or all skipped and listed.
    func testBadRowsSameErrors() throws {
        let rows = [
            Self.header,
            "b1,S1,L,mobile,1842.5,20000,,10.99,106.81,25,61,,,,",
            "b2,S1,L,mobile,18x2.5,20000,,10.99,106.81,25,61,,,,",
            "b3,S1,L,mobile,1842.5,20000,,10.99,206.81,25,61,,,,",
            "b4,,L,mobile,1842.5,20000,,10.99,106.81,25,61,,,,",
            "b5,S1,L,mob ile,1842.5,20000,,10.99,106.81,25,61,,,,",
            "b1,S1,L,mobile,1842.5,20000,,10.99,106.81,25,61,,,,",
            "b6,S1,L,mobile,1842.5,,,10.99,106.81,25,61,,,,",
            "b7,S1,L,mobile,1842.5,20000,,10.99,106.81,25,61,,,11.0,",
            "b8,S1,L,mobile,1842.5,20000,,10.99,106.81,0.1,61,,,,",
            "b9,S1,L,mobile,1842.5,20000,XYZ,10.99,106.81,25,61,,,,"
        ]
        let path = write("bad.csv", rows.joined(separator: "\n") + "\n")
        let o = assertSame(path)
        if case .error(let e) = o[0] { XCTAssertTrue(e.contains("row 2, column 'tx_frequency_mhz': value '18x2.5'"), e) } else { XCTFail("\(o[0])") }
        if case .rows(let items, let skipped) = o[1] {
            XCTAssertEqual(items.map(\.id), ["b1"])
            XCTAssertEqual(skipped.count, 9, skipped.joined(separator: "\n"))
        } else {
            XCTFail("\(o[1])")
        }
    }

    /// A missing required column, a header-only file, an unclosed quote at the end: the same answers.
    func testHeaderCasesSame() throws {
        let noEIRP = write(
            "no-eirp.csv", "id,station_id,licensee,service,tx_frequency_mhz,bandwidth_khz,latitude,longitude,antenna_height_m\na,b,c,mobile,900,200,10,106,30\n"
        )
        let o = assertSame(noEIRP)
        if case .error(let e) = o[0] { XCTAssertTrue(e.contains("a column named 'eirp_dbm'"), e) } else { XCTFail("\(o[0])") }
        let headerOnly = write("header-only.csv", Self.header + "\n")
        XCTAssertEqual(assertSame(headerOnly)[0], .rows([], skipped: []))
        let emptyName = write("empty-name.csv", Self.header + ", ,\nu1,S1,L,mobile,900,200,,10,106,30,50,,,,,x,y\n")
        assertSame(emptyName)
        // ';' before ',' in the header: OGR takes ',' (mixed separators), and so does the byte path.
        let mixed = write("mixed.csv", "note;x," + Self.header.dropFirst() + "\nn,u1,S1,L,mobile,900,200,,10,106,30,50\n")
        assertSame(mixed)
        let unclosed = write("unclosed.csv", Self.header + "\nu1,S1,L,mobile,900,200,,10,106,30,50\nu2,S1,\"L,mobile,900,200,,10,106,30,50\n\n")
        assertSame(unclosed)
    }

    /// What only OGR reads its own way goes to OGR: a semicolon-separated file, a lone CR (a line end for OGR),
    /// invalid UTF-8 (today's error, naming the byte offset and line, even after a bad row), a NUL byte, a file
    /// without latitude/longitude columns, a numeric header name.
    func testOGRCasesHandedToOGR() throws {
        let cases: [(String, [UInt8])] = [
            ("semicolon.csv", Array("id;station_id;latitude;longitude\n1;2;3;4\n".utf8)),
            ("semicolon-quoted-comma.csv", Array("id;\"lat,x\";latitude;longitude\n1;2;3;4\n".utf8)),
            ("lone-cr.csv", Array((Self.header + "\nc1,S1,L,mobile,900,200,,10,106,30,50\rc2,S1,L,mobile,900,200,,10,106,30,50\n").utf8)),
            (
                "latin1.csv",
                Array((Self.header + "\nc0,S1,L,mobile,9x0,200,,10,106,30,50\nc1,S1,").utf8) + [0xD4, 0x6E, 0x67]
                    + Array(",mobile,900,200,,10,106,30,50\n".utf8)
            ),
            (
                "no-eirp-latin1.csv",
                Array("id,station_id,licensee,service,tx_frequency_mhz,bandwidth_khz,latitude,longitude,antenna_height_m\nc1,S,".utf8) + [0xD4]
                    + Array(",mobile,900,200,10,106,30\n".utf8)
            ),
            ("nul.csv", Array((Self.header + "\nc1,S1,L").utf8) + [0] + Array(",mobile,900,200,,10,106,30,50\n".utf8)),
            ("wkt.csv", Array("WKT,id,station_id\n\"POINT (106 10)\",1,2\n".utf8)),
            ("numeric.csv", Array((Self.header + ",2024\n").utf8))
        ]
        for (name, bytes) in cases {
            let path = write(name, bytes)
            XCTAssertNil(asBytes(path, skipInvalid: false, threads: 0, chunkBytes: 64), name)
            var report = LoadReport(), reportOGR = LoadReport()
            let viaLoad = Result { try AssignmentLoader.load(path, report: &report) }.map { $0 }
            let viaOGR = Result { try AssignmentLoader.loadThroughOGR(path, report: &reportOGR) }
            XCTAssertEqual("\(viaLoad)", "\(viaOGR)", name)
            if name.hasSuffix("latin1.csv") { XCTAssertTrue("\(viaLoad)".contains("not valid UTF-8: byte 0xD4"), "\(viaLoad)") }
        }
    }

    /// 10,000 generated rows (every 101st with a bad height, every 257th repeating an id, quoted licensees with
    /// commas, line breaks and Vietnamese text): one thread, every core and OGR agree.
    func testTenThousandRowsSameOnThreadsAndOGR() throws {
        var text = Self.header + "\r\n"
        var g = SplitMix64(seed: 21)
        for i in 1...10_000 {
            let id = i % 257 == 0 ? "g\(i - 1)" : "g\(i)"
            let lic = i % 3 == 0 ? "\"Công ty \(i % 17), \"\"số\"\" \(i)\nchi nhánh\"" : "Licensee \(i % 13)"
            let height = i % 101 == 0 ? "3O" : String(format: "%.1f", 10 + Double(g.next() % 900) / 10)
            let lat = String(format: "%.6f", 10 + Double(g.next() % 1_000_000) / 1e6)
            let rx = i % 5 == 0 ? "\(800 + i % 100).5" : ""
            text +=
                "\(id),S\(i / 3),\(lic),\(i % 7 == 0 ? "fixed" : "mobile"),\(900 + Double(i % 500) * 0.2),200,,\(lat), 106.\(i % 1000) ,\(height),\(40 + i % 30),\(i % 360),\(rx),,\r\n"
            if i % 1000 == 0 { text += "\r\n" }
        }
        let path = write("ten-thousand.csv", text)
        let o = assertSame(path)
        XCTAssertEqual(rowCount(o[1]), 10_000 - 99 - 38, "\(o[1])".prefix(300).description)
    }
}

/// `DecimalNumber.parse`'s fast path (short numbers without strtod) against `Double(String)` (strtod), bit for bit,
/// on numbers of 1 to 20 digits with the point anywhere and exponents −30…30, signs, leading zeros and −0.
final class DecimalNumberFastPathTests: XCTestCase {
    func testSameBitsAsStrtod() {
        var g = SplitMix64(seed: 2121)
        var compared = 0, mismatches: [String] = []
        for _ in 0..<300_000 {
            let n = 1 + Int(g.next() % 20)
            var digits = String((0..<n).map { _ in Character(String(g.next() % 10)) })
            let point = Int(g.next() % UInt64(n + 1))
            if g.next() % 3 > 0 { digits.insert(".", at: digits.index(digits.startIndex, offsetBy: point)) }
            if g.next() % 4 == 0 { digits += (g.next() % 2 == 0 ? "e" : "E") + (g.next() % 2 == 0 ? "-" : "") + String(g.next() % 31) }
            let text = ["", "-", "+"][Int(g.next() % 3)] + digits
            guard let expected = Double(text), expected.isFinite else { continue }
            compared += 1
            let got = DecimalNumber.parse(text)
            if got?.bitPattern != expected.bitPattern { mismatches.append("\(text): \(String(describing: got)) vs \(expected)") }
        }
        for text in ["-0", "0.0", "-0.000", "9007199254740992", "9007199254740993", "1e22", "1e23", "0.1", "123456789012345678", ".5", "5."] {
            compared += 1
            if DecimalNumber.parse(text)?.bitPattern != Double(text)?.bitPattern { mismatches.append(text) }
        }
        print("DecimalNumber fast path: \(compared) numbers compared with strtod, \(mismatches.count) different")
        XCTAssertEqual(mismatches, [])
        XCTAssertGreaterThan(compared, 250_000)
        for bad in ["", "-", ".", "e5", "1e", "1e+", "0x10", "1_0", "inf", "nan", "1.2.3", " 1", "1e999"] { XCTAssertNil(DecimalNumber.parse(bad), bad) }
    }
}

/// `DecimalNumber.quotient`, the path of numbers of 17–19 digits with decimals (w > 2^53), against strtod, bit for
/// bit: coordinates and heights printed with every digit of a Double, random 17–19 digit numbers with the point
/// anywhere, and exact ties between two Doubles (rounded to the even one).
final class DecimalNumberQuotientTests: XCTestCase {
    func testSameBitsAsStrtod() {
        var g = SplitMix64(seed: 5150)
        var compared = 0, viaQuotient = 0, mismatches: [String] = []
        func check(_ text: String) {
            guard let expected = Double(text) else { return }
            compared += 1
            let digits = text.filter(\.isNumber), fraction = text.split(separator: ".").dropFirst().first?.count ?? 0
            if digits.count <= 19, let w = UInt64(digits), w > 1 << 53, (1...19).contains(fraction) { viaQuotient += 1 }
            if DecimalNumber.parse(text)?.bitPattern != expected.bitPattern { mismatches.append(text) }
        }
        for _ in 0..<300_000 {
            let n = 17 + Int(g.next() % 3)
            var digits = String(Character(String(1 + g.next() % 9))) + String((1..<n).map { _ in Character(String(g.next() % 10)) })
            digits.insert(".", at: digits.index(digits.startIndex, offsetBy: Int(g.next() % UInt64(n))))
            check((g.next() % 2 == 0 ? "-" : "") + digits)
        }
        // Doubles printed in full (the shortest round-trip text, padded to 17 significant digits).
        for _ in 0..<100_000 {
            let x = Double(bitPattern: 0x3FF0_0000_0000_0000 | (g.next() >> 12)) * Double(1 << Int(g.next() % 10))
            check(String(format: "%.17g", x))
            check(String(format: "%.15f", x))
        }
        // Ties: 2^53 + 1, 2^52 + 1/2, 2^52 + 3/2 (to even: 2^53, 2^52, 2^52 + 2), and their neighbours.
        for t in [
            "9007199254740993.0", "4503599627370496.5", "4503599627370497.5", "4503599627370496.50000000000001"[...].description,
            "4503599627370496.4999", "9007199254740993.00", "9007199254740995.0", "15.150074438642754", "102.51693746445572",
            "18446744073709551.615", "1844674407370955161.5", "9007199254740993.1", "0.9007199254740993"
        ] {
            check(t)
        }
        print("DecimalNumber.quotient: \(compared) numbers compared with strtod (\(viaQuotient) through the quotient), \(mismatches.count) different")
        XCTAssertEqual(mismatches, [])
        XCTAssertGreaterThan(viaQuotient, 300_000)
    }
}

import XCTest
import Foundation
import TestSupport
import Records
import Radio
@testable import Analysis

/// The streamed batch reader (bytes, chunks, every core) gives exactly the output of the text reader: on NTIA's
/// 2,350 differential paths with ITM, on awkward CSV (quotes, CRLF, BOM, blank lines, every number form), with
/// chunks so small that rows cross chunk boundaries, and on any thread count.
final class PathLossStreamTests: XCTestCase {
    /// The output of the text path (`PathLossBatch.parse` + `run` + `format`), the reference.
    func textOutput(_ path: String, model: PathLossModelID) throws -> String {
        let text = try InputText.read(path, kind: .batch)
        return PathLossBatch.format(PathLossBatch.run(try PathLossBatch.parse(csv: text), model: model, threads: 1))
    }

    func streamedOutput(_ path: String, model: PathLossModelID, threads: Int, chunkBytes: Int = 8 << 20) throws -> String {
        var out = ""
        _ = try PathLossStream.run(path: path, model: model, threads: threads, write: { out += $0 }, chunkBytes: chunkBytes)
        return out
    }

    func testDifferentialPathsStreamedEqualTheTextReader() throws {
        var compared = 0
        for part in 1...4 {
            let url = try ReferenceData.require("propagation/itm/differential/paths-\(part).csv")
            let expected = try textOutput(url.path, model: .itm)
            for (threads, chunk) in [(1, 8 << 20), (2, 8 << 20), (3, 50_000)] {
                XCTAssertEqual(try streamedOutput(url.path, model: .itm, threads: threads, chunkBytes: chunk), expected, "paths-\(part), \(threads) threads")
            }
            compared += expected.split(separator: "\n").count - 1
        }
        print("streamed = text reader on \(compared) differential rows (ITM), 1–3 threads, chunks of 8 MB and 50 kB")
        XCTAssertEqual(compared, 2_350)
    }

    func testAwkwardCSVStreamedEqualsTheTextReader() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let heights = [
            "100 101.5 99.25 98", "+5 -0 .5 5. 7", "1.2e2 1E1 -3.5e-1 0", "123.45678901234567 1 2", "0.1 0.2 0.3 0.30000000000000004",
            "100;101\t102  103", "0x10 20", "inf 20", "1e999 20", "20001 5", "5", "", "12 Phú 4", "12\u{00A0}13 14", "1_0 20"
        ]
        var lines = ["id,frequency_mhz,tx_height_m,rx_height_m,spacing_m,elevations_m,note"]
        for (i, h) in heights.enumerated() { lines.append("r\(i),900,30,1.5,100,\(h),plain") }
        lines.append("\"quoted, id\",900,30,1.5,100,\"1 2 3\",\"a \"\"note\"\"\nover two lines\"")
        lines.append("")
        lines.append("Phú Hữu,900,30,1.5,100,10 20 30,")
        lines.append("short,900")
        lines.append("bad-spacing,900,30,1.5,-1,10 20 30,")
        let text = "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
        let path = dir.appendingPathComponent("awkward.csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let expected = try textOutput(path, model: .fspl)
        XCTAssertEqual(expected.split(separator: "\n").count, heights.count + 5)
        for chunk in [7, 64, 1 << 20] {
            for threads in [1, 2] {
                XCTAssertEqual(
                    try streamedOutput(path, model: .fspl, threads: threads, chunkBytes: chunk), expected, "chunks of \(chunk) B, \(threads) threads")
            }
        }
        // Errors of the text path, row by row: hex, inf, overflow, out of range, too few points, a non-ASCII token.
        for bad in ["r6", "r7", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "short", "bad-spacing"] {
            let line = expected.split(separator: "\n").first { $0.hasPrefix(bad + ",") }
            XCTAssertTrue(line.map { $0.hasSuffix(",") == false } ?? false, "\(bad) has an error: \(line ?? "missing")")
        }
    }

    func testInvalidUTF8AndMissingColumnsAreErrorsNamingTheLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = Array("id,frequency_mhz,tx_height_m,rx_height_m,spacing_m,elevations_m\na,900,30,1.5,100,1 2 3\n".utf8)
        bytes += Array("b".utf8) + [0xE0, 0x41] + Array(",900,30,1.5,100,1 2 3\n".utf8)
        let path = dir.appendingPathComponent("latin.csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try streamedOutput(path, model: .fspl, threads: 2)) { error in
            XCTAssertTrue(String(describing: error).contains("line 3"), "\(error)")
            XCTAssertTrue(String(describing: error).contains("UTF-8"), "\(error)")
        }
        let noHeights = dir.appendingPathComponent("columns.csv").path
        try Data("id,frequency_mhz,tx_height_m,rx_height_m,spacing_m\na,900,30,1.5,100\n".utf8).write(to: URL(fileURLWithPath: noHeights))
        XCTAssertThrowsError(try streamedOutput(noHeights, model: .fspl, threads: 1)) { error in
            XCTAssertTrue(String(describing: error).contains("elevations_m"), "\(error)")
        }
    }

    /// The byte parser gives the bits `DecimalNumber.parse` gives, on 50,000
    /// random tokens of every shape, at the end of the buffer as well as inside it.
    func testByteParserEqualsDecimalNumberBitForBit() {
        var g = SeededGenerator(seed: 2026)
        func digits(_ n: Int) -> String { String((0..<n).map { _ in Character(String(g.next() % 10)) }) }
        var tokens: [String] = []
        for _ in 0..<50_000 {
            let sign = ["", "", "-", "+"][Int(g.next() % 4)]
            let int = digits(Int(g.next() % 5)), frac = digits(Int(g.next() % 20))
            var t = sign + int + (g.next() % 5 == 0 && !frac.isEmpty ? "" : "." + frac)
            if g.next() % 10 == 0 { t += "e" + ["", "-", "+"][Int(g.next() % 3)] + digits(1) }
            if DecimalNumber.parse(t).map({ abs($0) <= 20_000 }) == true { tokens.append(t) }
        }
        for tail in ["", " ", ";9"] {
            let text = tokens.joined(separator: " ") + tail
            let bytes = Array(text.utf8)
            let parsed = bytes.withUnsafeBufferPointer { ByteDecimal.heights($0, 0..<$0.count) }
            var expected = tokens.map { DecimalNumber.parse($0)! }
            if tail == ";9" { expected.append(9) }
            XCTAssertEqual(parsed?.map(\.bitPattern), expected.map(\.bitPattern), "tail '\(tail)'")
        }
        print("byte parser = DecimalNumber on \(tokens.count) random tokens")
        XCTAssertGreaterThan(tokens.count, 30_000)
    }

    /// Without setting columns the streamed reader reads the model's settings once for the whole batch: the
    /// output must still be the text reader's, row by row, for every model that needs no coordinates. The batch is
    /// NTIA's first 200 differential paths with the setting columns removed (every row then takes the defaults).
    func testBatchWithoutSettingColumnsStreamedEqualsTheTextReader() throws {
        let url = try ReferenceData.require("propagation/itm/differential/paths-1.csv")
        let table = CSV.parse(try InputText.read(url.path, kind: .batch))
        let keep = PathLossStream.required.map { c in table[0].firstIndex(of: c)! }
        var text = PathLossStream.required.joined(separator: ",") + "\n"
        for row in table.dropFirst().prefix(200) { text += keep.map { row[$0] }.joined(separator: ",") + "\n" }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-stream-defaults-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var compared = 0
        for model in PathLossModelID.allCases where model != .p1812 && model != .p452 {
            let expected = try textOutput(path, model: model)
            XCTAssertEqual(try streamedOutput(path, model: model, threads: 2, chunkBytes: 100_000), expected, "\(model)")
            compared += expected.split(separator: "\n").count - 1
        }
        print("streamed (settings read once) = text reader on \(compared) rows over \(PathLossModelID.allCases.count - 2) models")
        XCTAssertEqual(compared, 200 * (PathLossModelID.allCases.count - 2))
    }

    /// The byte trim of fields equals Foundation's `trimmingCharacters(in: .whitespaces)` (and leaves what is not
    /// plain ASCII to it); the output row's number and escaping equal `String(format:)` and `CSV.escape`.
    func testByteTrimAndRowFormattingEqualFoundation() {
        let fields = ["  abc ", "\tx\t", "", "   ", "a b", "\u{00A0}900\u{00A0}", " \u{2003}1.5", "é ", "1,5", "x\r\ny", "q\"q"]
        for f in fields {
            let bytes = Array(f.utf8)
            let fast = bytes.withUnsafeBufferPointer { PathLossStream.asciiTrimmed($0, 0..<$0.count) }
            if let fast { XCTAssertEqual(fast, f.trimmingCharacters(in: .whitespaces), "'\(f)'") }
            XCTAssertEqual(fast == nil, f.utf8.contains { $0 >= 0x80 }, "'\(f)': only non-ASCII fields go the Foundation way")
            XCTAssertEqual(PathLossBatch.escaped(f), CSV.escape(f), "'\(f)'")
        }
        var g = SeededGenerator(seed: 21)
        var worst = 0
        for k in 0..<20_000 {
            let x = (Double(g.next() % 2_000_000_000) / 1e6 - 1000) * (k % 3 == 0 ? 1e-3 : 1)
            let fast = PathLossBatch.fixed4(x), slow = String(format: "%.4f", x)
            if fast != slow { worst += 1 }
        }
        for x in [0.0, -0.0, 0.00005, -0.00005, 123.45675, 1e300, -1e-300] {
            XCTAssertEqual(PathLossBatch.fixed4(x), String(format: "%.4f", x), "\(x)")
        }
        XCTAssertEqual(worst, 0, "rows whose loss formats differently")
    }
}

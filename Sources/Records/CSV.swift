// A small RFC 4180 CSV reader and writer (quoted fields, doubled quotes, CRLF or LF line ends), for tables that
// are not geodata (path-loss batches, reports). Geodata goes through OGR.
import Foundation

public enum CSV {
    /// Parses CSV text into rows of fields. Quoted fields may hold commas, quotes ("") and line breaks.
    public static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, wasQuoted = false
        var it = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? { if let p = pending { pending = nil; return p }; return it.next() }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = n }
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else {
                switch c {
                case "\"" where field.isEmpty && !wasQuoted: quoted = true; wasQuoted = true
                case ",": row.append(field); field = ""; wasQuoted = false
                case "\r": break
                case "\n":
                    row.append(field); field = ""; wasQuoted = false
                    if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
                    row = []
                default: field.unicodeScalars.append(c)
                }
            }
        }
        if !field.isEmpty || !row.isEmpty || wasQuoted { row.append(field); rows.append(row) }
        return rows
    }

    /// One field, quoted when needed.
    public static func escape(_ s: String) -> String {
        // A Character equal to one of the four holds its byte: a string without any of them is returned as is,
        // without walking its Characters.
        guard s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return s }
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// CSV text of a header and rows (LF line ends).
    /// How printf and Swift spell non-finite numbers.
    static let nonFiniteSpellings: Set<String> = ["nan", "-nan", "+nan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity"]

    public static func format(header: [String], rows: [[String]]) -> String {
        var out = header.map(escape).joined(separator: ",") + "\n"
        for r in rows { out += r.map(escape).joined(separator: ",") + "\n" }
        return out
    }

    /// Writes atomically (temporary file in the same folder, then rename). A cell holding a formatted NaN or
    /// infinity (`nan`, `-nan`, `inf`, …, as printf and Swift write them) stops the write with an error naming the
    /// file, row and column: a product never carries a silent `nan`.
    public static func write(header: [String], rows: [[String]], to path: String) throws {
        for (r, row) in rows.enumerated() {
            for (c, cell) in row.enumerated() where nonFiniteSpellings.contains(cell.lowercased()) {
                let column = c < header.count ? header[c] : "column \(c + 1)"
                throw RecordError(
                    source: URL(fileURLWithPath: path).lastPathComponent, row: r + 1, column: column, value: cell,
                    expected: "a finite number (a non-finite value reached the writer: an internal error)")
            }
        }
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try format(header: header, rows: rows).write(to: url, atomically: true, encoding: .utf8)
    }

    /// Number formatting for tables: fixed decimals, empty for nil/NaN.
    public static func number(_ x: Double?, decimals: Int = 2) -> String {
        guard let x, x.isFinite else { return "" }
        return fixed(x, decimals: decimals)
    }

    /// `String(format: "%.Nf", x)` through C's printf into a stack buffer: the same text, without Foundation's
    /// format parsing and bridging (a table of half a million rows formats millions of numbers).
    static func fixed(_ x: Double, decimals: Int) -> String {
        let capacity = 64
        let text = withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer -> String? in
            let n = withVaList([Int32(clamping: decimals), x]) { vsnprintf(buffer.baseAddress!, capacity, "%.*f", $0) }
            guard n >= 0, n < capacity else { return nil }
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: Int(n)), as: UTF8.self)
        }
        return text ?? String(format: "%.\(decimals)f", x)
    }
}

// A small RFC 4180 CSV reader and writer (quoted fields, doubled quotes, CRLF or LF line ends), for tables that
// are not geodata (path-loss batches, reports). Geodata goes through OGR.
import CFastMath
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
    /// The test runs on the UTF-8 bytes (the four are ASCII, never part of a longer sequence), so a CR LF pair,
    /// one `Character`, is seen too.
    public static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return s }
        var out: [UInt8] = [0x22]
        out.reserveCapacity(s.utf8.count + 8)
        for b in s.utf8 {
            out.append(b)
            if b == 0x22 { out.append(0x22) } // a quote is doubled
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    /// How printf and Swift spell non-finite numbers.
    static let nonFiniteSpellings: Set<String> = ["nan", "-nan", "+nan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity"]

    /// CSV text of a header and rows (LF line ends).
    public static func format(header: [String], rows: [[String]]) -> String {
        var out = ""
        appendLine(header, to: &out)
        for r in rows { appendLine(r, to: &out) }
        return out
    }

    /// One CSV line (fields escaped, comma-separated, LF) appended to `text`.
    public static func appendLine(_ fields: [String], to text: inout String) {
        for (i, f) in fields.enumerated() {
            if i > 0 { text += "," }
            text += escape(f)
        }
        text += "\n"
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
    /// C's `%.*f` into a stack buffer: the same text as `String(format:)`, without Foundation's formatter (which
    /// cost 2–3 µs a number: most of writing 448,552 conflicts).
    public static func number(_ x: Double?, decimals: Int = 2) -> String {
        guard let x, x.isFinite else { return "" }
        return fixed(x, decimals: decimals)
    }

    /// `x` with `decimals` digits after the point: the text of `String(format: "%.<decimals>f", x)` (non-finite
    /// values and texts over 63 characters are left to it).
    /// Up to 9 decimals and below 2^53 the text is made on integers (`writeFixedExactly`), else by C's printf.
    public static func fixed(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return String(format: "%.\(decimals)f", x) }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf in
            let exact = buf.withMemoryRebound(to: UInt8.self) { writeFixedExactly(x, decimals: decimals, into: $0.baseAddress!) }
            let n = exact > 0 ? exact : Int(tanso_format_fixed(buf.baseAddress!, 64, Int32(clamping: decimals), x))
            guard n > 0, n < 64 else { return String(format: "%.\(decimals)f", x) }
            return String(decoding: UnsafeRawBufferPointer(start: buf.baseAddress!, count: n), as: UTF8.self)
        }
    }
}

// The one number parser of tanso's text inputs (CSV records, tables, pattern files, command-line values).
//
// Swift's `Double(String)` (strtod) also reads hexadecimal (`0x300` = 768), `inf`, `nan` and `infinity`; the
// loaders used to strip `_` as well (`7_7_3` = 773). A register or a command line holding such a value is a mistake,
// not a number, so only plain decimal notation is accepted here:
//   [+|-] digits [. digits] [(e|E) [+|-] digits]      (".5" and "5." too; at least one digit in the mantissa)
// The value must also be finite (`1e999` is refused).
import Foundation

public enum DecimalNumber {
    /// What a numeric field accepts, for error messages.
    public static let notation = "decimal notation (e.g. 763, -95.5, 1.2e3; no hex, '_', inf or nan)"

    /// The value of `text` when it is a finite number in decimal notation, else nil. Surrounding spaces are not
    /// trimmed here (loaders trim fields first).
    public static func parse<S: StringProtocol>(_ text: S) -> Double? {
        let u = Array(text.utf8)
        guard !u.isEmpty, u.count <= 64 else { return nil }
        var i = 0
        func digits() -> Int {
            let s = i
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
            return i - s
        }
        if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i += 1 }
        var mantissa = digits()
        if i < u.count, u[i] == UInt8(ascii: ".") { i += 1; mantissa += digits() }
        guard mantissa > 0 else { return nil }
        if i < u.count, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i += 1
            if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return nil }
        }
        guard i == u.count, let x = Double(String(decoding: u, as: UTF8.self)), x.isFinite else { return nil }
        return x
    }

    /// A whole number in decimal notation (optional sign, digits only), else nil.
    public static func parseInt<S: StringProtocol>(_ text: S) -> Int? {
        let u = Array(text.utf8)
        guard !u.isEmpty, u.count <= 20 else { return nil }
        var i = 0
        if u[0] == UInt8(ascii: "+") || u[0] == UInt8(ascii: "-") { i = 1 }
        guard i < u.count, u[i...].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(String(decoding: u, as: UTF8.self))
    }
}

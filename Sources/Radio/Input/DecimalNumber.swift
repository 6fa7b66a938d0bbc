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
        if let x = text.utf8.withContiguousStorageIfAvailable({ parse(utf8: $0) }) { return x }
        return Array(text.utf8).withUnsafeBufferPointer { parse(utf8: $0) }
    }

    /// `parse` on UTF-8 bytes. A number of at most 19 digits whose digits make an integer w ≤ 2^53, scaled by 10^k
    /// with |k| ≤ 22, is w × 10^k or w / 10^k in one floating-point operation on two exact values, hence correctly
    /// rounded: the value strtod gives (Clinger's fast path; `DecimalNumberFastPathTests` compares them). Longer
    /// numbers go to strtod (`Double(String)`).
    public static func parse(utf8 u: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !u.isEmpty, u.count <= 64 else { return nil }
        var i = 0
        var w: UInt64 = 0, digitCount = 0
        func digits() -> Int {
            let s = i
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 {
                if digitCount < 19 { w = w &* 10 &+ UInt64(u[i] - 0x30) }
                digitCount += 1
                i += 1
            }
            return i - s
        }
        let negative = u[i] == UInt8(ascii: "-")
        if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i += 1 }
        var mantissa = digits(), fraction = 0
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            fraction = digits()
            mantissa += fraction
        }
        guard mantissa > 0 else { return nil }
        var exponent = 0
        if i < u.count, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i += 1
            var sign = 1
            if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { sign = u[i] == UInt8(ascii: "-") ? -1 : 1; i += 1 }
            let s = i
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { exponent = min(exponent * 10 + Int(u[i] - 0x30), 100_000); i += 1 }
            guard i > s else { return nil }
            exponent *= sign
        }
        guard i == u.count else { return nil }
        let k = exponent - fraction
        if digitCount <= 19, w <= 1 << 53, (-22...22).contains(k) {
            let x = k >= 0 ? Double(w) * powersOfTen[k] : Double(w) / powersOfTen[-k]
            return negative ? -x : x
        }
        guard let x = Double(String(decoding: u, as: UTF8.self)), x.isFinite else { return nil }
        return x
    }

    /// 10^0 … 10^22, each exact in a Double.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    ]

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

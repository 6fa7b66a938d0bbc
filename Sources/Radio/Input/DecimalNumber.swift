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
    /// rounded: the value strtod gives (Clinger's fast path; `DecimalNumberFastPathTests` compares them). A larger
    /// w of at most 19 digits with 1–19 decimals is divided in integers (`quotient`). Other numbers go to strtod
    /// (`Double(String)`).
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
        if digitCount <= 19, w > 1 << 53, (-19 ... -1).contains(k) {
            let x = quotient(w, powersOfTenExact[-k])
            return negative ? -x : x
        }
        guard let x = Double(String(decoding: u, as: UTF8.self)), x.isFinite else { return nil }
        return x
    }

    /// w / d correctly rounded (to nearest, ties to even), for 2^53 < w < 2^64 and 10 ≤ d ≤ 10^19 (a number of
    /// 17–19 digits with decimals, such as a coordinate printed with every digit of a Double): the integer quotient
    /// of w·2^s by d for the s that gives it 55 or 56 bits, its bits past the 53rd and the remainder rounding it
    /// once. The quotient lies in [2^54, 2^56): w ∈ [2^(b_w − 1), 2^b_w) and d ∈ [2^(b_d − 1), 2^b_d) with
    /// s = 55 − b_w + b_d; w·2^s < 2^(55 + b_d) ≤ 2^119, and for s < 0 (b_d ≤ 9) d·2^−s < 2^14.
    static func quotient(_ w: UInt64, _ d: UInt64) -> Double {
        let s = 55 - (64 - w.leadingZeroBitCount) + (64 - d.leadingZeroBitCount)
        let q: UInt64, r: UInt64
        if s >= 0 {
            let high = s == 0 ? 0 : (s >= 64 ? w << (s - 64) : w >> (64 - s))
            let low = s >= 64 ? 0 : w << s
            (q, r) = d.dividingFullWidth((high, low))
        } else {
            (q, r) = w.quotientAndRemainder(dividingBy: d << -s)
        }
        let extra = (64 - q.leadingZeroBitCount) - 53 // 2 or 3 bits past the significand
        var m = q >> extra
        let rest = q & ((1 << extra) - 1), half: UInt64 = 1 << (extra - 1)
        if rest > half || (rest == half && (r != 0 || m & 1 == 1)) { m += 1 } // (m = 2^53 is still exact)
        return Double(sign: .plus, exponent: extra - s, significand: Double(m))
    }

    /// 10^0 … 10^19 as integers.
    private static let powersOfTenExact: [UInt64] = (0...19).map { k in (0..<k).reduce(UInt64(1)) { p, _ in p * 10 } }

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

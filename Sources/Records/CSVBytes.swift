// CSV lines built as bytes, for tables of hundreds of thousands of rows: the same text as `CSV.appendLine` of
// `CSV.number` cells, without a String per cell.
import CFastMath
import Foundation

extension CSV {
    /// `s` as `escape` writes it (quoted when it holds a comma, a quote or a line break; quotes doubled).
    public static func appendField(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { b in
            guard b.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                out.append(contentsOf: b)
                return
            }
            out.append(0x22)
            for c in b {
                out.append(c)
                if c == 0x22 { out.append(0x22) }
            }
            out.append(0x22)
        }
    }

    /// `number(x, decimals:)` as bytes: nothing for nil and non-finite values.
    public static func appendNumber(_ x: Double?, decimals: Int = 2, to out: inout [UInt8]) {
        guard let x, x.isFinite else { return }
        if appendFixedExactly(x, decimals: decimals, to: &out) { return }
        let written: Bool = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf in
            let n = Int(tanso_format_fixed(buf.baseAddress!, 64, Int32(clamping: decimals), x))
            guard n > 0, n < 64 else { return false }
            out.append(contentsOf: UnsafeRawBufferPointer(start: buf.baseAddress!, count: n))
            return true
        }
        if !written { out.append(contentsOf: fixed(x, decimals: decimals).utf8) }
    }

    /// `x` with `decimals` (0 to 3) digits after the point as printf's `%.*f` writes it: the exact binary value
    /// rounded to nearest, ties to even, "-" for every negative value (also one that rounds to zero, and −0).
    /// x = m·2^e with m < 2^53, so m·10^decimals < 2^63 and the rounding is done on integers. False (nothing
    /// written) when |x| ≥ 2^53 or `decimals` is outside 0…3.
    static func appendFixedExactly(_ x: Double, decimals: Int, to out: inout [UInt8]) -> Bool {
        guard (0...3).contains(decimals), x.magnitude < 9_007_199_254_740_992 else { return false }
        let scale: UInt64 = decimals == 0 ? 1 : decimals == 1 ? 10 : decimals == 2 ? 100 : 1000
        let biased = Int(x.exponentBitPattern)
        let m = biased == 0 ? x.significandBitPattern : x.significandBitPattern | 1 << 52
        let shift = (biased == 0 ? 1074 : 1075 - biased) // x = m / 2^shift, shift ≥ 0 below 2^53
        var q = m * scale
        if shift >= 64 {
            q = 0 // m·scale < 2^63 ≤ half of 2^shift: rounds to zero
        } else if shift > 0 {
            let r = q & ((1 << UInt64(shift)) - 1), half: UInt64 = 1 << UInt64(shift - 1)
            q >>= UInt64(shift)
            if r > half || (r == half && q & 1 == 1) { q += 1 }
        }
        if x.sign == .minus { out.append(0x2D) }
        appendDigits(q / scale, to: &out)
        if decimals > 0 {
            out.append(0x2E)
            var fraction = q % scale, divisor = scale / 10
            while divisor > 0 {
                out.append(0x30 + UInt8(fraction / divisor))
                fraction %= divisor
                divisor /= 10
            }
        }
        return true
    }

    /// The decimal digits of `n`.
    static func appendDigits(_ n: UInt64, to out: inout [UInt8]) {
        var count = 1, power: UInt64 = 10
        while count < 19, n >= power { count += 1; power *= 10 }
        if n >= power { count += 1 }
        let start = out.count
        out.append(contentsOf: repeatElement(0x30, count: count))
        var v = n
        for i in stride(from: start + count - 1, through: start, by: -1) {
            out[i] = 0x30 + UInt8(v % 10)
            v /= 10
        }
    }
}

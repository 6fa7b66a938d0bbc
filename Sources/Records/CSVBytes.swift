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
            // Quoted: the runs between quotes copied whole (a byte at a time was a fifth of conflicts.csv's
            // formatting), each quote doubled.
            out.append(0x22)
            var start = 0
            while start < b.count {
                guard let hit = memchr(b.baseAddress! + start, 0x22, b.count - start) else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start...]))
                    break
                }
                let quote = b.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start...quote]))
                out.append(0x22)
                start = quote + 1
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

    /// `x` with `decimals` (0 to 9) digits after the point as printf's `%.*f` writes it (`writeFixedExactly`), appended.
    /// False (nothing written) where that writes nothing.
    public static func appendFixedExactly(_ x: Double, decimals: Int, to out: inout [UInt8]) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buf in
            let n = writeFixedExactly(x, decimals: decimals, into: buf.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(start: buf.baseAddress!, count: n))
            return n > 0
        }
    }

    /// `x` with `decimals` (0 to 9) digits after the point as printf's `%.*f` writes it: the exact binary value
    /// rounded to nearest, ties to even, "-" for every negative value (also one that rounds to zero, and −0).
    /// x = m·2^e with m < 2^53, so m·10^decimals < 2^83 and the rounding is done on 128-bit integers. Writes at most
    /// 28 bytes at `p` and returns their count; 0 (nothing written) when |x| ≥ 2^53, x is not finite or `decimals`
    /// is outside 0…9.
    public static func writeFixedExactly(_ x: Double, decimals: Int, into p: UnsafeMutablePointer<UInt8>) -> Int {
        guard (0...9).contains(decimals), x.isFinite, x.magnitude < 9_007_199_254_740_992 else { return 0 }
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale &*= 10 }
        let biased = Int(x.exponentBitPattern)
        let m = biased == 0 ? x.significandBitPattern : x.significandBitPattern | 1 << 52
        let shift = (biased == 0 ? 1074 : 1075 - biased) // x = m / 2^shift, shift ≥ 0 below 2^53
        var q = UInt128(m) &* UInt128(scale)
        if shift > 83 {
            q = 0 // m·scale < 2^83 ≤ half of 2^shift: rounds to zero
        } else if shift > 0 {
            let r = q & ((1 << UInt128(shift)) &- 1), half: UInt128 = 1 << UInt128(shift - 1)
            q >>= UInt128(shift)
            if r > half || (r == half && q & 1 == 1) { q &+= 1 }
        }
        var n = 0
        if x.sign == .minus { p[0] = 0x2D; n = 1 }
        let whole = UInt64(q / UInt128(scale)), fraction = UInt64(q % UInt128(scale))
        n += writeDigits(whole, into: p + n)
        if decimals > 0 {
            p[n] = 0x2E
            var f = fraction
            for k in stride(from: n + decimals, through: n + 1, by: -1) {
                p[k] = 0x30 + UInt8(f % 10)
                f /= 10
            }
            n += decimals + 1
        }
        return n
    }

    /// The decimal digits of `v` at `p`; their count (at most 20).
    static func writeDigits(_ v: UInt64, into p: UnsafeMutablePointer<UInt8>) -> Int {
        var count = 1, power: UInt64 = 10
        while count < 19, v >= power { count += 1; power *= 10 }
        if v >= power { count += 1 }
        var r = v
        for k in stride(from: count - 1, through: 0, by: -1) {
            p[k] = 0x30 + UInt8(r % 10)
            r /= 10
        }
        return count
    }
}

// QTILE's order statistics (Interdecile.ranks, the bucket selection D1THX uses) against a full sort: an order
// statistic is one value, so both must agree bit for bit on every input, ties, runs of equal values, one outlier
// and spreads too narrow to divide included. And D1THX's branch-free resampling (tanso_itm_resample) against the
// Algorithm's advancing bracket written out as a loop, and the coverage engine's profile fill from a sampled radial
// (tanso_interpolate_radial) against its Swift expression: both C loops must round as Swift does (no FMA).
import CFastMath
import Foundation
import XCTest
@testable import Propagation

final class ITMInterdecileTests: XCTestCase {
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    private func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / 9_007_199_254_740_992
    }

    /// Inputs of D1THX's sizes (n = 10k − 5, k = 4…25) and shapes that stress the buckets.
    private func inputs() -> [[Double]] {
        var out: [[Double]] = []
        for k in 4...25 {
            let n = 10 * k - 5
            var z = 0.0
            out.append(
                (0..<n).map { _ in
                    z += 8 * (next() - 0.5); return z
                }) // random walk
            out.append((0..<n).map { _ in (next() * 10).rounded() }) // many ties
            out.append((0..<n).map { i in i == n / 2 ? 1e4 : next() }) // one outlier: a crowded bucket
            out.append((0..<n).map { i in i < n / 2 ? 50 : 50 + next() }) // half the values equal
            out.append([Double](repeating: 7.25, count: n)) // all equal
            out.append((0..<n).map { i in 1 + Double(i % 3) * 1e-300 }) // a spread of a few ulps
            out.append((0..<n).map { i in i % 7 == 0 ? -.greatestFiniteMagnitude : .greatestFiniteMagnitude }) // huge spread
        }
        return out
    }

    /// D1THX's residual pass (`tanso_subtract_line_range`) writes the scalar expression's bits, s_j − (z_0 + j·slope),
    /// and the minimum, maximum and NaN flag of the residuals, for every length from 1 to 245 and with NaN inside;
    /// the histogram built from that range (`tanso_bucket_histogram_in`) is the one `tanso_bucket_histogram` builds.
    func testResidualPassIsTheScalarLoopAndItsRange() {
        for n in 1...245 {
            for withNaN in [false, true] {
                var v = (0..<n).map { _ in 200 * next() - 50 }
                if withNaN { v[n / 2] = .nan }
                let z0 = 40 * next() - 20, slope = next() - 0.5
                let expected = v.enumerated().map { j, x in x - (z0 + Double(j) * slope) }
                var lo = 0.0, hi = 0.0
                let nan = v.withUnsafeMutableBufferPointer { tanso_subtract_line_range($0.baseAddress!, n, z0, slope, &lo, &hi) }
                XCTAssertEqual(v.map(\.bitPattern), expected.map(\.bitPattern), "n = \(n)")
                XCTAssertEqual(nan != 0, withNaN, "n = \(n)")
                guard !withNaN else { continue }
                XCTAssertEqual(lo, expected.min()!, "n = \(n)")
                XCTAssertEqual(hi, expected.max()!, "n = \(n)")
                var counts = [Int32](repeating: 0, count: 256), counts2 = counts
                var keys = [UInt8](repeating: 0, count: 256), keys2 = keys
                let a = tanso_bucket_histogram_in(v, n, lo, hi, 0, &counts, &keys)
                let b = tanso_bucket_histogram(v, n, &counts2, &keys2)
                XCTAssertEqual(a, b, "n = \(n)")
                XCTAssertEqual(counts, counts2, "n = \(n)")
                XCTAssertEqual(keys, keys2, "n = \(n)")
                // Every key is the scalar bucket of its value.
                if a != 0 {
                    let scale = 64 / (hi - lo)
                    for j in 0..<n { XCTAssertEqual(Int(keys[j]), min(Int((v[j] - lo) * scale), 63), "n = \(n), j = \(j)") }
                }
            }
        }
    }

    /// `Interdecile.ranks` with zeroed scratch.
    func ranks(_ kLow: Int, _ kHigh: Int, of values: [Double]) -> (Double, Double) {
        var scratch = [Double](repeating: 0, count: Interdecile.scratchCount)
        return values.withUnsafeBufferPointer { v in
            scratch.withUnsafeMutableBufferPointer { Interdecile.ranks(kLow, kHigh, of: v.baseAddress!, count: v.count, scratch: $0.baseAddress!) }
        }
    }

    func testRanksMatchAFullSort() {
        var checked = 0
        for values in inputs() {
            let n = values.count, ka = (n + 5) / 10
            let sorted = values.sorted()
            for (kLow, kHigh) in [(ka - 1, n - ka), (0, n - 1), (n / 2, n / 2), (1, 2)] {
                let (low, high) = ranks(kLow, kHigh, of: values)
                XCTAssertEqual(low.bitPattern, sorted[kLow].bitPattern, "n \(n), rank \(kLow)")
                XCTAssertEqual(high.bitPattern, sorted[kHigh].bitPattern, "n \(n), rank \(kHigh)")
                // D1THX's scratch is not initialised: garbage in it (NaN, huge counts) must change nothing.
                var scratch = (0..<Interdecile.scratchCount).map { $0 % 3 == 0 ? Double.nan : Double(bitPattern: UInt64.random(in: 0...UInt64.max)) }
                let (low2, high2) = values.withUnsafeBufferPointer { v in
                    scratch.withUnsafeMutableBufferPointer { Interdecile.ranks(kLow, kHigh, of: v.baseAddress!, count: n, scratch: $0.baseAddress!) }
                }
                XCTAssertEqual(low2.bitPattern, low.bitPattern, "n \(n), rank \(kLow), uninitialised scratch")
                XCTAssertEqual(high2.bitPattern, high.bitPattern, "n \(n), rank \(kHigh), uninitialised scratch")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 22 * 7 * 4)
    }

    /// The input is read, never reordered (D1THX reads the residuals once more for nothing, but callers may).
    func testRanksLeaveTheInputAlone() {
        let values = (0..<245).map { _ in next() }
        var copy = values
        var scratch = [Double](repeating: 0, count: Interdecile.scratchCount)
        _ = copy.withUnsafeMutableBufferPointer { c in
            scratch.withUnsafeMutableBufferPointer { Interdecile.ranks(24, 220, of: UnsafePointer(c.baseAddress!), count: 245, scratch: $0.baseAddress!) }
        }
        XCTAssertEqual(copy, values)
    }

    func testResampleMatchesTheAdvancingBracket() {
        for trial in 0..<500 {
            let last = 20 + Int(next() * 600)
            let h = (0...last).map { _ in next() * 100 }
            let xa = trial % 5 == 0 ? Double(Int(next() * 10)) : next() * 10 // whole starts too
            let xb = Double(last) - next() * 5
            let n = 10 * (4 + Int(next() * 22)) - 5
            let step = (xb - xa) / Double(n - 1)
            let first = Int(xa + 1)
            // The Algorithm: the bracket k advances one point at a time while k < x, never beyond the last point.
            var expected = [Double](repeating: 0, count: n)
            var k = min(first, last), kd = Double(k)
            for j in 0..<n {
                let x = xa + Double(j) * step
                while kd < x && k < last { k += 1; kd += 1 }
                expected[j] = h[k] + (h[k] - h[k - 1]) * (x - kd)
            }
            var got = [Double](repeating: 0, count: n)
            got.withUnsafeMutableBufferPointer { out in
                h.withUnsafeBufferPointer { tanso_itm_resample(out.baseAddress!, n, $0.baseAddress!, last, xa, step, first) }
            }
            XCTAssertEqual(got.map(\.bitPattern), expected.map(\.bitPattern), "trial \(trial)")
        }
    }

    func testRadialFillMatchesTheSwiftExpression() {
        for _ in 0..<300 {
            let samples = 50 + Int(next() * 900)
            let radial = (0..<samples).map { _ in next() * 2_000 }
            let ratio = 0.8 + next() * 0.2 // the cell's point spacing over the radial's step
            let count = Int(Double(samples - 2) / ratio) // every pos + 1 within the radial
            var expected = [Double](repeating: 0, count: count)
            for i in 0..<count {
                let pos = Double(i) * ratio
                let k = Int(pos), f = pos - Double(k)
                expected[i] = radial[k] + f * (radial[k + 1] - radial[k])
            }
            var got = [Double](repeating: 0, count: count)
            got.withUnsafeMutableBufferPointer { e in
                radial.withUnsafeBufferPointer { tanso_interpolate_radial(e.baseAddress!, $0.baseAddress!, count, ratio) }
            }
            XCTAssertEqual(got.map(\.bitPattern), expected.map(\.bitPattern))
        }
    }
}

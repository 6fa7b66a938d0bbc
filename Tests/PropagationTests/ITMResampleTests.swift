// D1THX's resampling (ITMTerrain.resample) against the Algorithm's rule for its bracketing point, written out
// directly: sample j at x_j = x_a + j·step (in intervals) is interpolated between points k − 1 and k with
// k = min(max(⌈x_j⌉, k_first), n) (Hufford, "ITM version 1.2.2: the Algorithm", §3, D1THX). The resampling
// advances k incrementally; this test takes ⌈x_j⌉ from Foundation's `ceil`, so it fails if the incremental
// index ever lands on another point (including the clamps at both ends) or if the interpolation changes.
// Exact (bit-for-bit) agreement is required: the differential test's results depend on these samples.
import Foundation
import XCTest
@testable import Propagation

final class ITMResampleTests: XCTestCase {
    /// The Algorithm's rule for the bracketing point, with a conversion per sample.
    private func reference(_ h: [Double], from xa: Double, step: Double, firstPoint: Int, count n: Int) -> [Double] {
        let np = h.count - 1
        return (0..<n).map { j in
            let x = xa + Double(j) * step
            let k = min(max(Int(ceil(x)), firstPoint), np)
            return h[k] + (h[k] - h[k - 1]) * (x - Double(k))
        }
    }

    func testResampleEqualsTheAlgorithmsBracketingRule() {
        var state: UInt64 = 21
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / 9_007_199_254_740_992
        }
        var cases = 0, samples = 0, clampedLow = 0, clampedHigh = 0
        for _ in 0..<2000 {
            let points = 3 + Int(uniform() * 600)
            var z = 100.0
            let h = (0..<points).map { _ in
                z += 20 * (uniform() - 0.5)
                return (z * 100).rounded() / 100 // heights to 0.01 m, as SRTM profiles are written
            }
            let np = points - 1
            // Ranges as QLRPFL passes them (x_L from each end), plus whole-path and integer-aligned ones, and ranges
            // beyond the profile's end (`ITM.terrainIrregularityM` takes any range: the last interval is read).
            let xa: Double, xb: Double
            switch cases % 5 {
            case 0: xa = 0; xb = Double(np)
            case 4: xa = Double(np) + 3 * uniform(); xb = xa + 2 + 50 * uniform() // beyond the profile (public Δh)
            case 1: xa = Double(Int(uniform() * Double(np) / 4)); xb = Double(np) - Double(Int(uniform() * Double(np) / 4))
            default: xa = uniform() * Double(np) * 0.2; xb = Double(np) * (1 - 0.2 * uniform())
            }
            cases += 1
            guard xb - xa >= 2 else { continue }
            let ka = min(max(4, Int(0.1 * (xb - xa + 8))), 25)
            let n = 10 * ka - 5
            let step = (xb - xa) / Double(n - 1)
            let kFirst = Int(xa + 1)
            let want = reference(h, from: xa, step: step, firstPoint: kFirst, count: n)
            var got = [Double](repeating: .nan, count: n)
            h.withUnsafeBufferPointer { hp in
                got.withUnsafeMutableBufferPointer { ITMTerrain.resample(hp, into: $0, from: xa, step: step, firstPoint: kFirst) }
            }
            for j in 0..<n {
                let x = xa + Double(j) * step
                if Int(ceil(x)) < kFirst { clampedLow += 1 }
                if Int(ceil(x)) > np { clampedHigh += 1 }
                if got[j].bitPattern != want[j].bitPattern {
                    XCTFail("profile of \(points) points, x_a \(xa), step \(step): sample \(j) is \(got[j]), the rule gives \(want[j])")
                    return
                }
            }
            samples += n
        }
        print(
            "ITM resampling: \(samples) samples on \(cases) profiles bit-identical to the Algorithm's rule (\(clampedLow) clamped to k_first, \(clampedHigh) to the last point)"
        )
        XCTAssertGreaterThan(samples, 100_000)
        XCTAssertGreaterThan(clampedLow, 0, "the clamp at k_first was exercised")
        XCTAssertGreaterThan(clampedHigh, 0, "the clamp at the last point was exercised")
    }
}

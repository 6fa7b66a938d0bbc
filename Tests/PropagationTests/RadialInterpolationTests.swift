// The C loop that interpolates a cell's profile from its sampled radial (`tanso_interpolate_radial`, two points at
// a time with SSE2) against the scalar rule written out in Swift: e[i] = h[k] + f (h[k + 1] − h[k]) with
// pos = i·ratio, k = ⌊pos⌋, f = pos − k. Bit-for-bit: the coverage digests and the link-mode comparison depend on
// these heights. Odd and even counts, ratios below and above 1, and counts of 0 and 1 (the scalar tail only).
import CFastMath
import Foundation
import XCTest

final class RadialInterpolationTests: XCTestCase {
    func testInterpolationEqualsTheScalarRuleBitForBit() {
        var state: UInt64 = 5
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / 9_007_199_254_740_992
        }
        var z = 50.0
        let h = (0..<4000).map { _ in
            z += 8 * (uniform() - 0.5)
            return (z * 100).rounded() / 100
        }
        var points = 0, odd = 0
        for trial in 0..<3000 {
            let count = trial < 4 ? trial : 1 + Int(uniform() * 1500)
            let ratio = 0.3 + 2.2 * uniform()
            guard Double(max(count - 1, 0)) * ratio + 1 < Double(h.count - 1) else { continue }
            let want = (0..<count).map { i -> Double in
                let pos = Double(i) * ratio
                let k = Int(pos)
                let f = pos - Double(k)
                return h[k] + f * (h[k + 1] - h[k])
            }
            var got = [Double](repeating: .nan, count: count)
            h.withUnsafeBufferPointer { hp in
                got.withUnsafeMutableBufferPointer { e in
                    if count > 0 { tanso_interpolate_radial(e.baseAddress!, hp.baseAddress!, count, ratio) }
                }
            }
            for i in 0..<count where got[i].bitPattern != want[i].bitPattern {
                XCTFail("count \(count), ratio \(ratio): point \(i) is \(got[i]), the rule gives \(want[i])")
                return
            }
            points += count
            odd += count % 2
        }
        print("radial interpolation: \(points) points bit-identical to the scalar rule (\(odd) odd counts)")
        XCTAssertGreaterThan(points, 1_000_000)
        XCTAssertGreaterThan(odd, 100, "the scalar tail after the pairs was exercised")
    }
}

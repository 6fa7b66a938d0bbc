// HZNS (ITMTerrain.horizons) against the point-by-point scan written out directly: the TX ray raised to the
// elevation angle of every point above it from the TX outwards, the RX ray from the RX outwards over the points
// from the first TX obstacle on, ties going to the point nearest the TX once the RX ray has been raised (Hufford,
// "ITM version 1.2.2: the Algorithm", §3, HZNS, with the RX scan reversed as ITMTerrain documents). The block
// filters, which skip eight points at a time and spans of 32 by their groups' highest points, must skip only
// points that raise nothing, so angles and distances must agree bit for bit.
//
// And that scan against the Algorithm's own, one pass from TX to RX raising each ray by θ += q/x: the same horizon
// points, and angles within 1e-11 rad. The Algorithm's q = h − (γ_e x/2 + θ) x − z cancels heights of hundreds of
// metres to centimetres, so its θ carries ~1e-13 m / x of rounding at every raise; the largest difference seen on
// these 3,000 paths is 9.4e-13 rad (7.5e-12 relative).
import CFastMath
import Foundation
import XCTest
@testable import Propagation

final class ITMHorizonTests: XCTestCase {
    /// The scan one point at a time: (θ_1, θ_2, index of the TX horizon, index of the RX horizon).
    private func reference(_ h: [Double], spacingM xi: Double, hg: ITM.Pair, gammaE: Double) -> (ITM.Pair, Int, Int) {
        let np = h.count - 1
        let dist = Double(np) * xi
        let za = h[0] + hg.tx, zb = h[np] + hg.rx
        let qc = 0.5 * gammaE
        let direct = (zb - za) / dist
        var thA = direct - qc * dist, thB = -direct - qc * dist
        var iA = 0, iB = 0, i0 = 0
        for i in stride(from: 1, to: np, by: 1) {
            let sa = Double(i) * xi
            let angle = (h[i] - za) / sa - qc * sa
            if angle > thA {
                thA = angle
                iA = i
                if i0 == 0 { i0 = i }
            }
        }
        var raised = false
        if i0 > 0 {
            for i in stride(from: np - 1, through: i0, by: -1) {
                let sb = dist - Double(i) * xi
                let angle = (h[i] - zb) / sb - qc * sb
                if angle > thB || (angle == thB && raised) {
                    thB = angle
                    iB = i
                    raised = true
                }
            }
        }
        return (ITM.Pair(tx: thA, rx: thB), iA, iB)
    }

    /// The Algorithm's HZNS as written: one pass from TX to RX, the TX ray raised by q/x at each point above it,
    /// the RX ray likewise from the first TX obstacle on.
    private func algorithm(_ h: [Double], spacingM xi: Double, hg: ITM.Pair, gammaE: Double) -> (ITM.Pair, Int, Int) {
        let np = h.count - 1
        let dist = Double(np) * xi
        let za = h[0] + hg.tx, zb = h[np] + hg.rx
        let qc = 0.5 * gammaE
        var thA = (zb - za) / dist - qc * dist, thB = -(zb - za) / dist - qc * dist
        var iA = 0, iB = 0, sa = 0.0, sb = dist, lineOfSight = true
        for i in stride(from: 1, to: np, by: 1) {
            sa += xi
            sb -= xi
            let qa = h[i] - (qc * sa + thA) * sa - za
            if qa > 0 {
                thA += qa / sa
                iA = i
                lineOfSight = false
            }
            if !lineOfSight {
                let qb = h[i] - (qc * sb + thB) * sb - zb
                if qb > 0 {
                    thB += qb / sb
                    iB = i
                }
            }
        }
        return (ITM.Pair(tx: thA, rx: thB), iA, iB)
    }

    /// Seeded random paths: random walks of 3 to 400 points (every fifth up to 1,500, so that the 32-point spans
    /// are passed as well as walked), heights in centimetres, three roughnesses and spacings, random antennas;
    /// with `plateaus`, every seventh path has runs of equal heights (exact ties on the RX side).
    private struct RandomPaths {
        var state: UInt64
        static let gammaE = 157e-9 * (1 - 0.04665 * exp(301 / 179.3))

        mutating func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / 9_007_199_254_740_992
        }

        mutating func path(_ c: Int, plateaus: Bool) -> (h: [Double], xi: Double, hg: ITM.Pair) {
            let points = 3 + Int(uniform() * (c % 5 == 4 ? 1500 : 400))
            var z = 500 * uniform()
            let rough = [2.0, 20, 80][c % 3]
            var h = [Double]()
            for _ in 0..<points {
                z += rough * (uniform() - 0.45)
                h.append((z * 100).rounded() / 100)
            }
            if plateaus && c % 7 == 0 {
                for i in stride(from: 1, to: points - 1, by: 1) where uniform() < 0.5 { h[i] = h[i - 1] }
            }
            let xi = [30.0, 29.87, 1.0 / 3 * 90][c % 3]
            return (h, xi, ITM.Pair(tx: 1 + 60 * uniform(), rx: 1 + 10 * uniform()))
        }
    }

    func testBlockScanEqualsThePointByPointScan() {
        var paths = 0, raisesTx = 0, raisesRx = 0, ties = 0
        var random = RandomPaths(state: 2112)
        for c in 0..<3000 {
            let (h, xi, hg) = random.path(c, plateaus: true)
            let gammaE = RandomPaths.gammaE
            let points = h.count
            let dist = Double(points - 1) * xi
            let setup = ITMSetup(frequencyMHz: 900, waveNumberPerM: 900 / 47.7, ns: 301, gammaE: gammaE, zg: ITMComplex(re: 1, im: 0))
            var g = ITMGeometry(hg: hg, distM: dist, setup: setup, pointToPoint: true)
            h.withUnsafeBufferPointer { ITMTerrain.horizons($0, spacingM: xi, geometry: &g) }
            let (theta, iA, iB) = reference(h, spacingM: xi, hg: hg, gammaE: gammaE)
            XCTAssertEqual(g.theta.tx.bitPattern, theta.tx.bitPattern, "case \(c): θ_1")
            XCTAssertEqual(g.theta.rx.bitPattern, theta.rx.bitPattern, "case \(c): θ_2")
            let dlTx = iA == 0 ? dist : ITMTerrain.runningSum(0, xi, steps: iA)
            let dlRx = iB == 0 ? dist : ITMTerrain.runningSum(dist, -xi, steps: iB)
            XCTAssertEqual(g.dl.tx.bitPattern, dlTx.bitPattern, "case \(c): d_L,1")
            XCTAssertEqual(g.dl.rx.bitPattern, dlRx.bitPattern, "case \(c): d_L,2")
            paths += 1
            if iA > 0 { raisesTx += 1 }
            if iB > 0 { raisesRx += 1 }
            if c % 7 == 0 && iB > 0 { ties += 1 }
        }
        print("ITMHorizonTests: \(paths) paths, \(raisesTx) with a TX obstacle, \(raisesRx) with an RX obstacle, \(ties) plateau paths with one")
        XCTAssertGreaterThan(raisesTx, 1000)
        XCTAssertGreaterThan(ties, 100)
    }

    func testAnglesAgreeWithTheAlgorithmsRaises() {
        var worst = 0.0, obstacles = 0
        var random = RandomPaths(state: 4242)
        for c in 0..<3000 {
            let (h, xi, hg) = random.path(c, plateaus: false)
            let gammaE = RandomPaths.gammaE
            let (theta, iA, iB) = reference(h, spacingM: xi, hg: hg, gammaE: gammaE)
            let (thetaA, iAA, iBA) = algorithm(h, spacingM: xi, hg: hg, gammaE: gammaE)
            XCTAssertEqual(iA, iAA, "case \(c): TX horizon")
            XCTAssertEqual(iB, iBA, "case \(c): RX horizon")
            for (a, b) in [(theta.tx, thetaA.tx), (theta.rx, thetaA.rx)] {
                worst = max(worst, abs(a - b))
                XCTAssertLessThanOrEqual(abs(a - b), 1e-11, "case \(c): θ \(a) against the Algorithm's \(b)")
            }
            if iA > 0 { obstacles += 1 }
        }
        print("ITMHorizonTests: angles against the Algorithm's raises on 3,000 paths (\(obstacles) with an obstacle): largest |Δθ| \(worst) rad")
        XCTAssertGreaterThan(obstacles, 1000)
    }

    /// `tanso_group_max8`, the coarse filter's table: each group of 8 points' highest, the last group shorter.
    func testGroupMaximaAreEachGroupsHighestPoint() {
        var state: UInt64 = 77
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / 9_007_199_254_740_992
        }
        for n in [1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 250, 1001] {
            let p = (0..<n).map { _ in 1000 * uniform() - 300 }
            var out = [Double](repeating: .nan, count: (n + 7) / 8)
            p.withUnsafeBufferPointer { pp in
                out.withUnsafeMutableBufferPointer { tanso_group_max8($0.baseAddress!, pp.baseAddress!, n) }
            }
            for g in 0..<out.count {
                XCTAssertEqual(out[g], p[(8 * g)..<min(n, 8 * g + 8)].max()!, "n \(n), group \(g)")
            }
        }
    }
}

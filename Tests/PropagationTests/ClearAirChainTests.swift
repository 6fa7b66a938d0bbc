// The clear-air chain shared by P.452-18 and P.1812-8 (Common/ClearAirChain/): checks of its branches. The
// validation data of both models (P452Tests, P1812Tests) hold it to the SG3 reference values.
import XCTest
@testable import Propagation

final class ClearAirChainTests: XCTestCase {
    /// P.1812 Eq. (7a) / P.452 Eq. (6a): ΔN = 40 → k50 = 157/117, a_e = 6371 · 157/117 km; a_β = 3 · 6371 km.
    func testEffectiveEarthRadii() {
        XCTAssertEqual(ClearAirChain.medianEarthRadiusKm(deltaN: 40), 6371 * 157 / 117, accuracy: 1e-9)
        XCTAssertEqual(ClearAirChain.beta0EarthRadiusKm, 19_113)
        XCTAssertEqual(try P526.effectiveEarthRadiusKm(deltaN: 40), ClearAirChain.medianEarthRadiusKm(deltaN: 40))
    }

    /// β0 is largest over an all-sea path at low latitude (μ1 = 1 when d_tm = 0: β0 = 10^1.67 %) and the two
    /// latitude branches of Eqs. (4)–(5) meet at |φ| = 70° within the Recommendation's rounding.
    func testBeta0Branches() {
        XCTAssertEqual(
            ClearAirChain.beta0Percent(pathCentreLatitudeDeg: 0, longestLandKm: 0, longestInlandKm: 0),
            pow(10, 1.67), accuracy: 0.05)
        let below = ClearAirChain.beta0Percent(pathCentreLatitudeDeg: 70, longestLandKm: 50, longestInlandKm: 20)
        let above = ClearAirChain.beta0Percent(pathCentreLatitudeDeg: 70.0001, longestLandKm: 50, longestInlandKm: 20)
        XCTAssertEqual(below, above, accuracy: 0.05 * below)
        XCTAssertEqual(
            P452.beta0Percent(latitudeDeg: 21, longestLandKm: 80, longestInlandKm: 30),
            ClearAirChain.beta0Percent(pathCentreLatitudeDeg: 21, longestLandKm: 80, longestInlandKm: 30))
    }

    /// Along a meridian the path centre is at the mean latitude, and the length is the arc.
    func testGreatCirclePathCentre() {
        let c = ClearAirChain.greatCirclePoint(lat1Deg: 10, lon1Deg: 106, lat2Deg: 12, lon2Deg: 106, distanceKm: 6371 * 2 * .pi / 360)
        XCTAssertEqual(c.latDeg, 11, accuracy: 1e-9)
        XCTAssertEqual(c.lonDeg, 106, accuracy: 1e-9)
        XCTAssertEqual(c.lengthKm, 6371 * 2 * 2 * .pi / 360, accuracy: 1e-9)
    }

    /// Eq. (49): the over-sea coupling correction applies only for ω ≥ 0.75 and a known coast distance ≤ 5 km
    /// within the horizon distance; Eq. (48): no site shielding while θ'' = θ − 0.1 d_l ≤ 0.
    func testCouplingAndShieldingBranches() {
        func act(_ dc: Double?, _ dl: Double = 10, _ omega: Double = 1) -> Double {
            ClearAirChain.seaDuctCouplingCorrectionDB(
                coastDistanceKm: dc, horizonDistanceKm: dl, antennaHeightAmslM: 20,
                seaFraction: omega)
        }
        XCTAssertEqual(act(nil), 0)
        XCTAssertEqual(act(6), 0)
        XCTAssertEqual(act(2, 1), 0)
        XCTAssertEqual(act(2, 10, 0.7), 0)
        XCTAssertEqual(act(0), -3 * (1 + tanh(0.07 * 30)), accuracy: 1e-12)
        XCTAssertEqual(ClearAirChain.siteShieldingLossDB(horizonAngleMrad: 1, horizonDistanceKm: 10, frequencyGHz: 1), 0)
        XCTAssertGreaterThan(ClearAirChain.siteShieldingLossDB(horizonAngleMrad: 5, horizonDistanceKm: 10, frequencyGHz: 1), 0)
    }

    /// L_dsph with the Recommendations' rounded constants stays within 0.5 dB of P.526's exact forms with
    /// c = 2.998e8 m/s (the rounding of 0.036, 21.88, 0.9575; the files explain why both exist).
    func testSphericalEarthAgreesWithP526WithinTheRounding() {
        for (d, h) in [(60.0, 20.0), (120, 50), (300, 100)] {
            let ours = ClearAirChain.sphericalEarthLossDB(
                distanceKm: d, txHeightM: h, rxHeightM: 10, apKm: 8500,
                frequencyGHz: 0.6, polarization: .horizontal, seaFraction: 0.3)
            let p526 = P526.sphericalEarthDiffraction(
                distanceKm: d, txHeightM: h, rxHeightM: 10, effectiveEarthRadiusKm: 8500,
                frequencyMHz: 600, polarization: .horizontal,
                ground: .landSeaMix(seaFraction: 0.3), speedOfLightMPerS: 2.998e8
            ).lossDB
            XCTAssertEqual(ours, p526, accuracy: 0.5, "d = \(d) km, h = \(h) m")
        }
    }
}

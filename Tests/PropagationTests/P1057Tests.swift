// The shared inverse complementary normal (Common/P1057.swift) and the shared knife-edge J(ν) (P526/KnifeEdge.swift).
import XCTest
@testable import Propagation

final class P1057Tests: XCTestCase {
    /// Source: Q⁻¹ values to 10 digits (standard normal table); the approximation is A&S 26.2.23, |error| < 4.5e-4,
    /// so it is held to 4.5e-4 against the refined form over 1e-6 ≤ x ≤ 1 − 1e-6.
    func testApproximationWithinItsStatedErrorOfTheRefinedForm() {
        XCTAssertEqual(P1057.inverseComplementaryNormal(0.5), 0, accuracy: 1e-12)
        XCTAssertEqual(P1057.inverseComplementaryNormal(0.05), 1.644853627, accuracy: 1e-8)
        XCTAssertEqual(P1057.inverseComplementaryNormal(0.975), -1.959963985, accuracy: 1e-8)
        var worst = 0.0
        for e in stride(from: -6.0, through: -0.302, by: 0.01) {
            for x in [pow(10, e), 1 - pow(10, e)] {
                let d = abs(P1057.inverseComplementaryNormalApproximation(x) - P1057.inverseComplementaryNormal(x))
                worst = max(worst, d)
                XCTAssertLessThan(d, 4.5e-4, "x = \(x)")
            }
        }
        print("P.1057 approximation vs refined Q⁻¹: largest difference \(worst)")
    }

    /// Each model's clamping and sign, as its Recommendation writes them.
    func testEachModelsClampAndSign() {
        for x in [1e-9, 1e-6, 0.01, 0.2, 0.5] {
            // P.452-18 Eq. (172) is the inverse cumulative normal: the negative, with x held at ≥ 1e-6.
            XCTAssertEqual(P452.inverseCumulativeNormal(x), -P1057.upperTailApproximation(max(x, 1e-6)))
        }
        // P.1812-8 Attachment 2: held to [1e-6, 0.999999], mirrored above 0.5 (Eq. (96b)).
        XCTAssertEqual(P1812.inverseComplementaryNormal(1e-9), P1812.inverseComplementaryNormal(1e-6))
        XCTAssertEqual(P1812.inverseComplementaryNormal(1 - 1e-9), P1812.inverseComplementaryNormal(0.999999))
        XCTAssertEqual(P1812.inverseComplementaryNormal(0.9), -P1812.inverseComplementaryNormal(1 - 0.9))
        // P.2108 takes the refined form.
        XCTAssertEqual(P2108.inverseComplementaryNormal(0.001), P1057.inverseComplementaryNormal(0.001))
    }

    /// J(ν) of P.526-15 Eq. (31) with P.1546-6 Eq. (12a)'s own threshold −0.7806.
    func testKnifeEdgeThresholds() {
        XCTAssertEqual(P526.knifeEdgeLossDB(nu: -0.78), 0)
        XCTAssertEqual(P526.knifeEdgeLossDB(nu: -0.7801), 0)
        XCTAssertGreaterThan(P1546.knifeEdgeJ(-0.7801), 0) // −0.7806 < ν ≤ −0.78: P.1546 only
        XCTAssertEqual(P1546.knifeEdgeJ(-0.7806), 0)
        XCTAssertEqual(P1546.knifeEdgeJ(-0.7799), P526.knifeEdgeLossDB(nu: -0.7799))
        XCTAssertEqual(P1546.knifeEdgeJ(1.3), P526.knifeEdgeLossDB(nu: 1.3))
    }
}

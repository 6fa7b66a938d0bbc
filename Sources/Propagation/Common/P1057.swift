// The inverse of the complementary cumulative normal distribution, Q⁻¹(x), one home for the models that use it.
// Q is defined in ITU-R P.1057-7 (08/2022) Annex 1 §3: Q(x) = ½ erfc(x / √2), the probability that a standard normal
// variable exceeds x; Q⁻¹(x) is the value exceeded with probability x.
//
// Two forms:
// - `inverseComplementaryNormalApproximation`: the rational approximation of Abramowitz & Stegun 26.2.23
//   (|error| < 4.5e-4), which the Recommendations write out themselves and whose validation data it reproduces:
//   ITU-R P.1812-8 Attachment 2 Eqs. (96)–(97), ITU-R P.452-18 Attachment 3 Eq. (172) (there with the opposite sign,
//   as the inverse *cumulative* normal, for x ≤ 0.5 only). Each model calls it with its Recommendation's own clamping
//   and sign (P1812Climate.swift, P452Predict.swift).
// - `inverseComplementaryNormal`: the same approximation refined by Halley steps on Q(x) − p with erfc, full double
//   precision for 1e-300 < p < 1 (ITU-R P.2108-1 Eqs. (3a) and (7)).
//
// Not used by ITM: the NTIA ITM keeps its own QERFI (ITMVariability.inverseComplementaryNormal), the NTIA routine as
// the ITS reference code writes it (the same A&S constants, but its own mirroring through 0.5 − |0.5 − q| and its
// own clamp), because the ITM reference outputs are built on that routine and ITM is maintained on its own; it is
// left as it is on purpose.
import Foundation

/// ITU-R P.1057: the inverse complementary cumulative normal distribution Q⁻¹.
public enum P1057 {
    /// T(x) − C(T(x)) for 0 < x ≤ 0.5: Q⁻¹(x) by the rational approximation A&S 26.2.23 (|error| < 4.5e-4).
    /// P.1812-8 Attachment 2 Eq. (97); P.452-18 Attachment 3 Eq. (172) is its negative, ξ(x) − T(x).
    /// No clamping here: x must be in (0, 0.5] (above 0.5 the formula has no meaning; see the mirrored form).
    @inline(__always)
    public static func upperTailApproximation(_ x: Double) -> Double {
        let t = (-2 * log(x)).squareRoot() // P.1812 Eq. (97a), P.452 Eq. (172a), T(x)
        // P.1812 Eq. (97b), P.452 Eq. (172b)–(172h): C(T) = ((C2 T + C1) T + C0) / (((D3 T + D2) T + D1) T + 1),
        // C0 = 2.515516698, C1 = 0.802853, C2 = 0.010328, D1 = 1.432788, D2 = 0.189269, D3 = 0.001308.
        let c = ((0.010328 * t + 0.802853) * t + 2.515516698) / (((0.001308 * t + 0.189269) * t + 1.432788) * t + 1)
        return t - c
    }

    /// Q⁻¹(x) for 0 < x < 1 by the approximation, mirrored above 0.5: P.1812-8 Attachment 2 Eq. (96a) for x ≤ 0.5
    /// and Eq. (96b), I(x) = −I(1 − x), for x > 0.5. No clamping here (P.1812 clamps to [1e-6, 0.999999]).
    @inline(__always)
    public static func inverseComplementaryNormalApproximation(_ x: Double) -> Double {
        x <= 0.5 ? upperTailApproximation(x) : -upperTailApproximation(1 - x)
    }

    /// Q⁻¹(p), the x with Q(x) = p, for 0 < p < 1, to full double precision: the approximation refined by three
    /// Halley steps on f(x) = Q(x) − p, f′ = −φ(x), f″ = x φ(x).
    public static func inverseComplementaryNormal(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "Q⁻¹ needs 0 < p < 1")
        var x = inverseComplementaryNormalApproximation(p) // start within 4.5e-4
        for _ in 0..<3 {
            let qx = 0.5 * erfc(x / 2.0.squareRoot()) // Q(x), P.1057-7 Annex 1 §3
            let phi = exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() // φ(x)
            guard phi > 0 else { break }
            let u = (qx - p) / (-phi) // Newton step f/f'
            x -= u / (1 + 0.5 * x * u) // Halley correction
        }
        return x
    }
}

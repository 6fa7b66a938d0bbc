// Inverse complementary cumulative normal distribution Q⁻¹(x), as used by ITU-R P.2108-1 Eqs. (3a) and (7)
// (Q is defined in ITU-R P.1057-7 Annex 1 §3: Q(x) = ½ erfc(x/√2)).
//
// Start from the rational approximation of Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4), then refine with
// Halley steps on Q(x) − p using erfc, which gives full double precision for 1e-300 < p < 1.
import Foundation

extension P2108 {
    /// Q⁻¹(p): the x with Q(x) = p, for 0 < p < 1.
    static func inverseComplementaryNormal(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "Q⁻¹ needs 0 < p < 1")
        // A&S 26.2.23 for 0 < q ≤ 0.5, mirrored for q > 0.5.
        let q = min(p, 1 - p)
        let t = (-2 * log(q)).squareRoot()
        var x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t)
            / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
        if p > 0.5 { x = -x }
        // Halley refinement of f(x) = Q(x) − p, f' = −φ(x), f'' = xφ(x).
        for _ in 0..<3 {
            let qx = 0.5 * erfc(x / 2.0.squareRoot())
            let phi = exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
            guard phi > 0 else { break }
            let u = (qx - p) / (-phi)                 // Newton step f/f'
            x -= u / (1 + 0.5 * x * u)                // Halley correction
        }
        return x
    }
}

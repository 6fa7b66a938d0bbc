// Single knife-edge diffraction: Recommendation ITU-R P.526-15 (10/2019), Annex 1 §4.1.
//
// J(ν) is the approximation of P.526-15 Eq. (31), within about 0.5 dB of the exact Fresnel-integral loss of
// §4.1 for ν > −0.78, and 0 dB below (as P.526, P.452, P.1812 and P.2108 use it; P.1546 with its own threshold).
// Left out: the exact Fresnel-integral form of J(ν), the rounded-obstacle, double-edge and multiple-cylinder
// methods (§§4.2–4.4), thin screens and wedges (§§5–6).
import Foundation

/// ITU-R P.526-15 diffraction. All functions are pure and thread-safe.
public enum P526 {
    static let modelName = "ITU-R P.526-15"

    /// Knife-edge diffraction loss J(ν), dB. P.526-15 Eq. (31):
    /// J(ν) = 6.9 + 20 log10(√((ν − 0.1)² + 1) + ν − 0.1) for ν > −0.78, else 0.
    /// The one home of J(ν): P.452 and P.1812 (through the Bullington construction) and P.2108-1 Eq. (2a) use it
    /// as it stands; P.1546-6 Eq. (12a) writes the same approximation with its own threshold, ν > −0.7806, and
    /// passes it as `validAboveNu`.
    @inlinable
    public static func knifeEdgeLossDB(nu: Double, validAboveNu threshold: Double = -0.78) -> Double {
        guard nu > threshold else { return 0 }
        let t = nu - 0.1
        return 6.9 + 20 * log10((t * t + 1).squareRoot() + t) // Eq. (31), dB
    }

    /// Diffraction parameter ν of an edge of height `clearanceM` above the direct ray (negative below it) at
    /// distances `d1Km`, `d2Km` from the two ends, P.526-15 §4.1 (first of the equivalent forms of ν):
    /// ν = h √(2 (d1 + d2) / (λ d1 d2)), with h and λ in m and d in m.
    public static func knifeEdgeNu(clearanceM: Double, d1Km: Double, d2Km: Double, wavelengthM: Double) -> Double {
        let d1 = d1Km * 1000, d2 = d2Km * 1000 // m
        return clearanceM * (2 * (d1 + d2) / (wavelengthM * d1 * d2)).squareRoot() // §4.1, ν from h, d1, d2
    }
}

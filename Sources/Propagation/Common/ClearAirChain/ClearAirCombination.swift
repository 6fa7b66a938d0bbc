// The pieces of the overall prediction that ITU-R P.1812-8 §4.2, §4.6 and ITU-R P.452-18 §4.1, §4.5 (P.452-17 §4.6)
// share: the focusing/multipath corrections of the line-of-sight loss and the blending of line of sight, diffraction
// and ducting. Kept in each model: free space (P.452 adds gases), F_j (P.1812 on θ, P.452 on S_tim − S_tr),
// L_minbap (P.452 writes it without overflow) and the final combination with troposcatter.
import Foundation

extension ClearAirChain {
    /// E_sp and E_sβ, the corrections for multipath and focusing effects at p % and β0 % of time, dB, for the
    /// horizon distances d_lt + d_lr (km): P.1812 Eqs. (9a, b), P.452 Eqs. (10a, b).
    @inline(__always)
    static func focusingCorrectionsDB(
        horizonDistancesKm dl: Double, timePercent p: Double,
        beta0Percent b0: Double
    ) -> (timeDB: Double, beta0DB: Double) {
        let scale = 2.6 * (1 - exp(-0.1 * dl))
        return (scale * log10(p / 50), scale * log10(b0 / 50))
    }

    /// F_k, the interpolation factor for the path length: P.1812 Eq. (58), P.452 Eq. (59), d_sw = 20 km, κ = 0.5.
    @inline(__always)
    static func pathLengthBlend(distanceKm d: Double) -> Double {
        1 - 0.5 * (1 + tanh(3 * 0.5 * (d - 20) / 20))
    }

    /// L_minb0p, the notional minimum loss for line of sight and sea-path diffraction, dB: P.1812 Eq. (59), P.452
    /// Eq. (60). `fi` is F_i = I(p/100) / I(β0/100) (P.1812 Eq. (40), P.452 Eq. (41a)), used for p ≥ β0 only; each
    /// model computes it with its own I(x).
    @inline(__always)
    static func minimumLineOfSightSeaLossDB(
        lineOfSightDB lb0p: Double, lineOfSightBeta0DB lb0b: Double,
        diffractionDB ldp: Double, diffractionBasicMedianDB lbd50: Double,
        seaFraction omega: Double, timePercent p: Double, beta0Percent b0: Double,
        fi: () -> Double
    ) -> Double {
        p < b0 ? lb0p + (1 - omega) * ldp : lbd50 + (lb0b + (1 - omega) * ldp - lbd50) * fi()
    }

    /// L_bda, dB: P.1812 Eq. (61), P.452 Eq. (62).
    @inline(__always)
    static func diffractionDuctingLossDB(
        minimumDuctingDB lminbap: Double, diffractionBasicDB lbd: Double,
        pathLengthBlend fk: Double
    ) -> Double {
        lminbap <= lbd ? lminbap + (lbd - lminbap) * fk : lbd
    }

    /// L_bam, the modified basic transmission loss, dB: P.1812 Eq. (62), P.452 Eq. (63).
    @inline(__always)
    static func modifiedLossDB(
        diffractionDuctingDB lbda: Double, minimumLineOfSightSeaDB lminb0p: Double,
        angularBlend fj: Double
    ) -> Double {
        lbda + (lminb0p - lbda) * fj
    }
}

// Ducting/layer reflection (anomalous propagation) as ITU-R P.1812-8 §4.5 and ITU-R P.452-18 §4.4 both write it,
// Eqs. (46)–(56a) (the two texts share the numbering). P.452's L_ba also carries the gaseous attenuation A_g over
// the path (its Eq. (46)); P.452 adds it to the value returned here, P.1812 has none.
import Foundation

extension ClearAirChain {
    /// Site-shielding loss A_st (or A_sr) towards the horizon, dB: P.1812 and P.452 Eqs. (48), (48a), with
    /// θ'' = θ − 0.1 d_l (mrad) for the terminal's horizon angle θ (mrad) and horizon distance d_l (km).
    /// `cubeRootFrequency` is f^(1/3) (computed once per path by the caller; nil computes it here).
    @inline(__always)
    static func siteShieldingLossDB(
        horizonAngleMrad theta: Double, horizonDistanceKm dl: Double,
        frequencyGHz f: Double, cubeRootFrequency: Double? = nil
    ) -> Double {
        let t2 = theta - 0.1 * dl // Eq. (48a), θ'', mrad
        guard t2 > 0 else { return 0 }
        let cbrtF = cubeRootFrequency ?? pow(f, 1.0 / 3.0)
        return 20 * log10(1 + 0.361 * t2 * (f * dl).squareRoot()) + 0.264 * t2 * cbrtF // Eq. (48)
    }

    /// Over-sea surface-duct coupling correction A_ct (or A_cr), dB: P.1812 and P.452 Eqs. (49), (49a). Applies
    /// when ω ≥ 0.75 and the coast distance d_c (km) is at most 5 km and within the horizon distance d_l; nil d_c
    /// (unknown, far from the coast) gives 0. h_s is the antenna height amsl, m.
    @inline(__always)
    static func seaDuctCouplingCorrectionDB(
        coastDistanceKm dc: Double?, horizonDistanceKm dl: Double,
        antennaHeightAmslM hs: Double, seaFraction omega: Double
    ) -> Double {
        guard let dc, omega >= 0.75, dc <= dl, dc <= 5 else { return 0 }
        return -3 * exp(-0.25 * dc * dc) * (1 + tanh(0.07 * (50 - hs))) // Eq. (49)
    }

    /// Geometry and climate of one path for the anomalous-propagation loss.
    struct DuctingPath {
        var frequencyGHz: Double // f
        var timePercent: Double // p, %
        var distanceKm: Double // d
        var txHorizonDistanceKm: Double // d_lt
        var rxHorizonDistanceKm: Double // d_lr
        var txHorizonAngleMrad: Double // θ_t
        var rxHorizonAngleMrad: Double // θ_r
        var txCoastDistanceKm: Double? // d_ct (nil: far from the coast)
        var rxCoastDistanceKm: Double? // d_cr
        var txHeightAmslM: Double // h_ts
        var rxHeightAmslM: Double // h_rs
        var txEffectiveHeightM: Double // h_te
        var rxEffectiveHeightM: Double // h_re
        var terrainRoughnessM: Double // h_m
        var longestInlandKm: Double // d_lm
        var seaFraction: Double // ω
        var medianEarthRadiusKm: Double // a_e
        var beta0Percent: Double // β0, %
    }

    /// L_ba without gases, dB: A_f + A_d(p) (P.1812 Eq. (46); P.452 Eq. (46) adds A_g).
    static func anomalousPropagationLossDB(_ path: DuctingPath) -> Double {
        let f = path.frequencyGHz, p = path.timePercent, dtot = path.distanceKm
        let dlt = path.txHorizonDistanceKm, dlr = path.rxHorizonDistanceKm
        let ae = path.medianEarthRadiusKm
        let alf = f < 0.5 ? 45.375 - 137 * f + 92.5 * f * f : 0 // Eq. (47a), A_lf
        let cbrtF = pow(f, 1.0 / 3.0) // f^(1/3), Eqs. (48), (51)
        let ast = siteShieldingLossDB(
            horizonAngleMrad: path.txHorizonAngleMrad, horizonDistanceKm: dlt,
            frequencyGHz: f, cubeRootFrequency: cbrtF) // Eq. (48), A_st
        let asr = siteShieldingLossDB(
            horizonAngleMrad: path.rxHorizonAngleMrad, horizonDistanceKm: dlr,
            frequencyGHz: f, cubeRootFrequency: cbrtF) // Eq. (48), A_sr
        let act = seaDuctCouplingCorrectionDB(
            coastDistanceKm: path.txCoastDistanceKm, horizonDistanceKm: dlt,
            antennaHeightAmslM: path.txHeightAmslM, seaFraction: path.seaFraction)
        let acr = seaDuctCouplingCorrectionDB(
            coastDistanceKm: path.rxCoastDistanceKm, horizonDistanceKm: dlr,
            antennaHeightAmslM: path.rxHeightAmslM, seaFraction: path.seaFraction)
        let af = 102.45 + 20 * log10(f) + 20 * log10(dlt + dlr) + alf + ast + asr + act + acr // Eq. (47), A_f
        let gammaD = 5e-5 * ae * cbrtF // Eq. (51), γ_d, dB/mrad
        let tt = min(path.txHorizonAngleMrad, 0.1 * dlt) // Eq. (52a), θ'_t, mrad
        let tr = min(path.rxHorizonAngleMrad, 0.1 * dlr) // Eq. (52a), θ'_r, mrad
        let thetaP = 1e3 * dtot / ae + tt + tr // Eq. (52), θ', mrad
        let di = min(dtot - dlt - dlr, 40) // Eq. (56a), d_I, km
        let hm = path.terrainRoughnessM
        let mu3 = hm <= 10 ? 1 : exp(-4.6e-5 * (hm - 10) * (43 + 6 * di)) // Eq. (56), μ3
        let tau = tau(longestInlandKm: path.longestInlandKm) // P.1812 Eq. (3), P.452 Eq. (3a), τ
        let alpha = max(-0.6 - 3.5e-9 * pow(dtot, 3.1) * tau, -3.4) // Eq. (55a), α (ε = 3.5)
        let sh = path.txEffectiveHeightM.squareRoot() + path.rxEffectiveHeightM.squareRoot()
        let mu2 = min(pow(500 / ae * dtot * dtot / (sh * sh), alpha), 1) // Eq. (55), μ2
        let beta = path.beta0Percent * mu2 * mu3 // Eq. (54), β, %
        let lb = log10(beta)
        let gam =
            1.076 / pow(2.0058 - lb, 1.012)
            * exp(-(9.51 - 4.8 * lb + 0.198 * lb * lb) * 1e-6 * pow(dtot, 1.13)) // Eq. (53a), Γ
        let ap = -12 + (1.2 + 3.7e-3 * dtot) * log10(p / beta) + 12 * pow(p / beta, gam) // Eq. (53), A_p
        let adp = gammaD * thetaP + ap // Eq. (50), A_d(p)
        return af + adp // Eq. (46), L_ba (no A_g)
    }
}

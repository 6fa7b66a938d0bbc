// ITU-R P.1812-8 (09/2025) Annex 1 §4.3: delta-Bullington diffraction (§4.3.1 Bullington on flat buffers, §4.3.4
// complete method) for one effective Earth radius a_p. The spherical-Earth loss (§4.3.2, §4.3.3 first term) and the
// composition of Eq. (39), which P.452 shares, are in Common/ClearAirChain/ClearAirDiffraction.swift.
//
// Why not P526.deltaBullington: P.1812's own text is followed exactly here, which differs from that function in
// three ways the validation data sees: (1) λ = 0.2998 / f (P.1812 §4.3.1) and the rounded first-term constants
// 0.036, 21.88, 0.9575 of Eqs. (29)–(32) (P526 uses P.526's exact forms: up to 0.006 dB); (2) the smooth
// surface h_std, h_srd of the modified heights (Eq. (37)) comes from the bare terrain h_i of Attachment 1 §5.6,
// while the Bullington construction runs on g_i = h_i + R_i; P526 derives both from the heights it is given;
// (3) no per-call allocation: scratch buffers are prepared once per prediction and shared by both radii.
// The test checks that with no clutter and the same constants this code agrees with P526.deltaBullington.
// Why P.452 does not use these Bullington loops: it calls P526.bullington (c = 2.998e8 m/s, arrays), whose
// arithmetic order differs from these loops in the last bits; its 595 reference rows were matched with that.
// Left out: Attachment 4 (L_bulls without profile analysis).
import Foundation

extension P1812 {
    /// Per-path buffers for the Bullington loops over the intermediate points i = 1 … n−2.
    struct DiffractionGeometry {
        let d: UnsafeBufferPointer<Double> // d_i, km
        let g: UnsafeBufferPointer<Double> // g_i = h_i + R_i (terminals at h), m amsl
        let zero: UnsafeBufferPointer<Double> // all 0 (the smooth profile of L_bulls)
        let w: UnsafeBufferPointer<Double> // 500 d_i (d − d_i), curvature term without C_e
        let invDt: UnsafeBufferPointer<Double> // 1 / d_i
        let invDr: UnsafeBufferPointer<Double> // 1 / (d − d_i)
        let q: UnsafeBufferPointer<Double> // √(0.002 d / (d_i (d − d_i))), ν without 1/√λ
        let dtot: Double // d, km
        let lambdaM: Double // λ, m
        let frequencyGHz: Double
        let seaFraction: Double // ω
        let polarization: P526.Polarization
    }

    struct DiffractionParts {
        var ldDB: Double, bullingtonActualDB: Double, bullingtonSmoothDB: Double, sphericalDB: Double
    }

    /// max over i in `range` of `value(i)`, with four independent accumulators so that the loop is not one long
    /// dependency chain (a floating-point max reduction is not vectorised by the compiler).
    @inline(__always)
    static func maxOver(_ range: Range<Int>, _ value: (Int) -> Double) -> Double {
        var m0 = -Double.infinity, m1 = -Double.infinity, m2 = -Double.infinity, m3 = -Double.infinity
        var i = range.lowerBound
        while i + 3 < range.upperBound {
            let a = value(i), b = value(i + 1), c = value(i + 2), e = value(i + 3)
            m0 = a > m0 ? a : m0
            m1 = b > m1 ? b : m1
            m2 = c > m2 ? c : m2
            m3 = e > m3 ? e : m3
            i += 4
        }
        while i < range.upperBound {
            let a = value(i)
            m0 = a > m0 ? a : m0
            i += 1
        }
        return max(max(m0, m1), max(m2, m3))
    }

    /// Bullington loss L_bull (§4.3.1, Eqs. (12)–(21)) for heights `hgt` and antennas at h_ts, h_rs (m amsl).
    static func bullingtonDB(
        _ geo: DiffractionGeometry, _ hgt: UnsafeBufferPointer<Double>, hts: Double, hrs: Double,
        ce: Double
    ) -> Double {
        let n = geo.d.count, dtot = geo.dtot
        let d = geo.d, w = geo.w, invDt = geo.invDt, invDr = geo.invDr, q = geo.q
        // Eq. (13): S_tim = max[(g_i + 500 C_e d_i (d − d_i) − h_ts) / d_i], m/km
        let stim = maxOver(1..<(n - 1)) { i in (hgt[i] + ce * w[i] - hts) * invDt[i] }
        let str = (hrs - hts) / dtot // Eq. (14), S_tr, m/km
        let invSqrtLambda = 1 / geo.lambdaM.squareRoot()
        let luc: Double
        if stim < str {
            // Case 1 (LoS). Eq. (15): ν_max = max{[g_i + 500 C_e d_i (d − d_i) − (h_ts (d − d_i) + h_rs d_i) / d]
            //                                   · √(0.002 d / (λ d_i (d − d_i)))}
            let a = hts, b = (hrs - hts) / dtot // line h_ts + (h_rs − h_ts) d_i / d
            let numax = maxOver(1..<(n - 1)) { i in (hgt[i] + ce * w[i] - (a + b * d[i])) * q[i] }
            luc = P526.knifeEdgeLossDB(nu: numax * invSqrtLambda) // Eqs. (12), (16), L_uc
        } else {
            // Case 2 (transhorizon). Eq. (17): S_rim = max[(g_i + 500 C_e d_i (d − d_i) − h_rs) / (d − d_i)]
            let srim = maxOver(1..<(n - 1)) { i in (hgt[i] + ce * w[i] - hrs) * invDr[i] }
            let dbp = (hrs - hts + srim * dtot) / (stim + srim) // Eq. (18), d_bp, km
            // Eq. (19): ν_b = [h_ts + S_tim d_bp − (h_ts (d − d_bp) + h_rs d_bp) / d] · √(0.002 d / (λ d_bp (d − d_bp)))
            let nub =
                (hts + stim * dbp - (hts * (dtot - dbp) + hrs * dbp) / dtot)
                * (0.002 * dtot / (geo.lambdaM * dbp * (dtot - dbp))).squareRoot()
            luc = P526.knifeEdgeLossDB(nu: nub) // Eqs. (12), (20), L_uc
        }
        return luc + (1 - exp(-luc / 6)) * (10 + 0.02 * dtot) // Eq. (21), L_bull, dB
    }

    /// Complete delta-Bullington loss L_d for a_p (§4.3.4, Eqs. (37)–(39)).
    /// - Parameters: hts, hrs antenna heights amsl; htsp, hrsp the modified heights h_ts − h_std, h_rs − h_srd.
    static func deltaBullington(
        _ geo: DiffractionGeometry, hts: Double, hrs: Double, htsp: Double, hrsp: Double,
        apKm: Double
    ) -> DiffractionParts {
        let ce = 1 / apKm // C_e, 1/km
        let lbulla = bullingtonDB(geo, geo.g, hts: hts, hrs: hrs, ce: ce) // L_bulla: actual profile g_i
        let lbulls = bullingtonDB(geo, geo.zero, hts: htsp, hrs: hrsp, ce: ce) // L_bulls: heights 0, Eq. (37)
        let ldsph = ClearAirChain.sphericalEarthLossDB(
            distanceKm: geo.dtot, txHeightM: htsp, rxHeightM: hrsp,
            apKm: apKm, frequencyGHz: geo.frequencyGHz,
            polarization: geo.polarization,
            seaFraction: geo.seaFraction) // L_dsph, §4.3.2, Eq. (38)
        let ld = ClearAirChain.deltaBullingtonLossDB(
            bullingtonActualDB: lbulla, bullingtonSmoothDB: lbulls,
            sphericalEarthDB: ldsph) // Eq. (39), L_d
        return DiffractionParts(ldDB: ld, bullingtonActualDB: lbulla, bullingtonSmoothDB: lbulls, sphericalDB: ldsph)
    }
}

// ITU-R P.1812-8 (09/2025) Annex 1 §4.3: delta-Bullington diffraction (§4.3.1 Bullington, §4.3.2 spherical
// Earth, §4.3.3 first term, §4.3.4 complete method) on flat buffers, for one effective Earth radius a_p.
//
// Why not P526.deltaBullington: P.1812's own text is followed exactly here, which differs from that function in
// three ways the validation data sees: (1) λ = 0.2998 / f (P.1812 §4.3.1) and the rounded first-term constants
// 0.036, 21.88, 0.9575 of Eqs. (29)–(32) (P526 uses P.526's exact forms: up to 0.006 dB); (2) the smooth
// surface h_std, h_srd of the modified heights (Eq. (37)) comes from the bare terrain h_i of Attachment 1 §5.6,
// while the Bullington construction runs on g_i = h_i + R_i; P526 derives both from the heights it is given;
// (3) no per-call allocation: scratch buffers are prepared once per prediction and shared by both radii.
// The test checks that with no clutter and the same constants this code agrees with P526.deltaBullington.
// Left out: Attachment 4 (L_bulls without profile analysis).
import Foundation

extension P1812 {
    /// Per-path buffers for the Bullington loops over the intermediate points i = 1 … n−2.
    struct DiffractionGeometry {
        let d: UnsafeBufferPointer<Double>        // d_i, km
        let g: UnsafeBufferPointer<Double>        // g_i = h_i + R_i (terminals at h), m amsl
        let zero: UnsafeBufferPointer<Double>     // all 0 (the smooth profile of L_bulls)
        let w: UnsafeBufferPointer<Double>        // 500 d_i (d − d_i), curvature term without C_e
        let invDt: UnsafeBufferPointer<Double>    // 1 / d_i
        let invDr: UnsafeBufferPointer<Double>    // 1 / (d − d_i)
        let q: UnsafeBufferPointer<Double>        // √(0.002 d / (d_i (d − d_i))), ν without 1/√λ
        let dtot: Double                          // d, km
        let lambdaM: Double                       // λ, m
        let frequencyGHz: Double
        let seaFraction: Double                   // ω
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
    static func bullingtonDB(_ geo: DiffractionGeometry, _ hgt: UnsafeBufferPointer<Double>, hts: Double, hrs: Double,
                             ce: Double) -> Double {
        let n = geo.d.count, dtot = geo.dtot
        let d = geo.d, w = geo.w, invDt = geo.invDt, invDr = geo.invDr, q = geo.q
        // Eq. (13): S_tim = max[(g_i + 500 C_e d_i (d − d_i) − h_ts) / d_i], m/km
        let stim = maxOver(1..<(n - 1)) { i in (hgt[i] + ce * w[i] - hts) * invDt[i] }
        let str = (hrs - hts) / dtot                                               // Eq. (14), S_tr, m/km
        let invSqrtLambda = 1 / geo.lambdaM.squareRoot()
        let luc: Double
        if stim < str {
            // Case 1 (LoS). Eq. (15): ν_max = max{[g_i + 500 C_e d_i (d − d_i) − (h_ts (d − d_i) + h_rs d_i) / d]
            //                                   · √(0.002 d / (λ d_i (d − d_i)))}
            let a = hts, b = (hrs - hts) / dtot                                    // line h_ts + (h_rs − h_ts) d_i / d
            let numax = maxOver(1..<(n - 1)) { i in (hgt[i] + ce * w[i] - (a + b * d[i])) * q[i] }
            luc = P526.knifeEdgeLossDB(nu: numax * invSqrtLambda)                  // Eqs. (12), (16), L_uc
        } else {
            // Case 2 (transhorizon). Eq. (17): S_rim = max[(g_i + 500 C_e d_i (d − d_i) − h_rs) / (d − d_i)]
            let srim = maxOver(1..<(n - 1)) { i in (hgt[i] + ce * w[i] - hrs) * invDr[i] }
            let dbp = (hrs - hts + srim * dtot) / (stim + srim)                    // Eq. (18), d_bp, km
            // Eq. (19): ν_b = [h_ts + S_tim d_bp − (h_ts (d − d_bp) + h_rs d_bp) / d] · √(0.002 d / (λ d_bp (d − d_bp)))
            let nub = (hts + stim * dbp - (hts * (dtot - dbp) + hrs * dbp) / dtot)
                * (0.002 * dtot / (geo.lambdaM * dbp * (dtot - dbp))).squareRoot()
            luc = P526.knifeEdgeLossDB(nu: nub)                                    // Eqs. (12), (20), L_uc
        }
        return luc + (1 - exp(-luc / 6)) * (10 + 0.02 * dtot)                      // Eq. (21), L_bull, dB
    }

    /// First-term spherical-Earth loss L_dft for one ground (§4.3.3, Eqs. (29)–(36)) with P.1812's constants.
    static func firstTermDB(epsr: Double, sigma: Double, distanceKm d: Double, hte: Double, hre: Double,
                            adftKm: Double, frequencyGHz f: Double, polarization: P526.Polarization) -> Double {
        let s = 18 * sigma / f
        // Eq. (29a): K_H = 0.036 (a_dft f)^(−1/3) [(ε_r − 1)² + (18σ/f)²]^(−1/4)
        let kH = 0.036 * pow(adftKm * f, -1.0 / 3.0) * pow((epsr - 1) * (epsr - 1) + s * s, -0.25)
        // Eq. (29b): K_V = K_H [ε_r² + (18σ/f)²]^(1/2)
        let k = polarization == .horizontal ? kH : kH * (epsr * epsr + s * s).squareRoot()
        let k2 = k * k, k4 = k2 * k2
        let beta = (1 + 1.6 * k2 + 0.67 * k4) / (1 + 4.5 * k2 + 1.53 * k4)      // Eq. (30), β_dft
        let x = 21.88 * beta * pow(f / (adftKm * adftKm), 1.0 / 3.0) * d           // Eq. (31), X
        let yScale = 0.9575 * beta * pow(f * f / adftKm, 1.0 / 3.0)                // Eq. (32), Y = yScale · h
        // Eq. (33): F(X) = 11 + 10 log X − 17.6 X (X ≥ 1.6), −20 log X − 5.6488 X^1.425 otherwise
        let fx = x >= 1.6 ? 11 + 10 * log10(x) - 17.6 * x : -20 * log10(x) - 5.6488 * pow(x, 1.425)
        let gFloor = 2 + 20 * log10(k)
        func gy(_ h: Double) -> Double {
            let b = beta * yScale * h                                              // Eq. (35), B = β_dft Y
            // Eq. (34): G(Y) = 17.6 (B − 1.1)^0.5 − 5 log(B − 1.1) − 8 (B > 2), 20 log(B + 0.1 B³) otherwise,
            // not below 2 + 20 log K.
            let v = b > 2 ? 17.6 * (b - 1.1).squareRoot() - 5 * log10(b - 1.1) - 8 : 20 * log10(b + 0.1 * b * b * b)
            return max(v, gFloor)
        }
        return -fx - gy(hte) - gy(hre)                                             // Eq. (36), L_dft
    }

    /// L_dft over the land/sea mix: ω L_dft(sea: ε_r 80, σ 5) + (1 − ω) L_dft(land: ε_r 22, σ 0.003) (Eq. (28)).
    static func firstTermMixDB(_ geo: DiffractionGeometry, hte: Double, hre: Double, adftKm: Double) -> Double {
        let land = firstTermDB(epsr: 22, sigma: 0.003, distanceKm: geo.dtot, hte: hte, hre: hre, adftKm: adftKm,
                               frequencyGHz: geo.frequencyGHz, polarization: geo.polarization)
        guard geo.seaFraction > 0 else { return land }
        let sea = firstTermDB(epsr: 80, sigma: 5, distanceKm: geo.dtot, hte: hte, hre: hre, adftKm: adftKm,
                              frequencyGHz: geo.frequencyGHz, polarization: geo.polarization)
        return geo.seaFraction * sea + (1 - geo.seaFraction) * land
    }

    /// Spherical-Earth diffraction loss L_dsph (§4.3.2, Eqs. (22)–(27)) for heights h_te, h_re above the smooth
    /// Earth, m, and effective radius a_p, km.
    static func sphericalEarthDB(_ geo: DiffractionGeometry, hte: Double, hre: Double, apKm ap: Double) -> Double {
        let d = geo.dtot
        let dlos = (2 * ap).squareRoot() * ((0.001 * hte).squareRoot() + (0.001 * hre).squareRoot())   // Eq. (22)
        if d >= dlos {
            return firstTermMixDB(geo, hte: hte, hre: hre, adftKm: ap)             // §4.3.3 with a_dft = a_p
        }
        let c = (hte - hre) / (hte + hre)                                          // Eq. (24d)
        let m = 250 * d * d / (ap * (hte + hre))                                   // Eq. (24e)
        let b = 2 * ((m + 1) / (3 * m)).squareRoot()
            * cos(Double.pi / 3 + acos(1.5 * c * (3 * m / ((m + 1) * (m + 1) * (m + 1))).squareRoot()) / 3)   // Eq. (24c)
        let dse1 = d / 2 * (1 + b)                                                 // Eq. (24a), km
        let dse2 = d - dse1                                                        // Eq. (24b), km
        let hse = ((hte - 500 * dse1 * dse1 / ap) * dse2 + (hre - 500 * dse2 * dse2 / ap) * dse1) / d   // Eq. (23), m
        let hreq = 17.456 * (dse1 * dse2 * geo.lambdaM / d).squareRoot()           // Eq. (25), h_req, m
        if hse > hreq { return 0 }
        let aem = 500 * pow(d / (hte.squareRoot() + hre.squareRoot()), 2)          // Eq. (26), a_em, km
        let ldft = firstTermMixDB(geo, hte: hte, hre: hre, adftKm: aem)            // §4.3.3 with a_dft = a_em
        return ldft < 0 ? 0 : (1 - hse / hreq) * ldft                              // Eq. (27), L_dsph
    }

    /// Complete delta-Bullington loss L_d for a_p (§4.3.4, Eqs. (37)–(39)).
    /// - Parameters: hts, hrs antenna heights amsl; htsp, hrsp the modified heights h_ts − h_std, h_rs − h_srd.
    static func deltaBullington(_ geo: DiffractionGeometry, hts: Double, hrs: Double, htsp: Double, hrsp: Double,
                                apKm: Double) -> DiffractionParts {
        let ce = 1 / apKm                                                          // C_e, 1/km
        let lbulla = bullingtonDB(geo, geo.g, hts: hts, hrs: hrs, ce: ce)          // L_bulla: actual profile g_i
        let lbulls = bullingtonDB(geo, geo.zero, hts: htsp, hrs: hrsp, ce: ce)     // L_bulls: heights 0, Eq. (37)
        let ldsph = sphericalEarthDB(geo, hte: htsp, hre: hrsp, apKm: apKm)        // L_dsph, Eq. (38)
        let ld = lbulla + max(ldsph - lbulls, 0)                                   // Eq. (39), L_d
        return DiffractionParts(ldDB: ld, bullingtonActualDB: lbulla, bullingtonSmoothDB: lbulls, sphericalDB: ldsph)
    }
}

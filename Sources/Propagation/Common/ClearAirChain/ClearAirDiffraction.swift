// Spherical-Earth diffraction and the delta-Bullington composition as ITU-R P.1812-8 §4.3.2–§4.3.4 and ITU-R
// P.452-18 §4.2.2–§4.2.3 write them: λ = 0.2998 / f and the rounded first-term constants 0.036, 21.88 and 0.9575
// (`P526.firstTermLoss` writes P.526's exact wavelength forms instead: 0.15–0.45 dB apart on the SG3 1 000 km
// path, which both validation sets would notice, hence this second, Recommendation-exact form).
//
// The arithmetic order is P.452's (B = β·(Y_scale·h), (m + 1)³ by pow), which P.452's reference outputs were
// matched with; P.1812's former copy differed from it only in floating-point order (last-bit differences).
import Foundation

extension ClearAirChain {
    /// First-term spherical-Earth loss L_dft, dB, over the land/sea mix for distance d (km), heights h_te, h_re above
    /// the smooth Earth (m) and Earth radius a_dft (km): P.1812 §4.3.3 Eqs. (28)–(36), P.452 §4.2.2.1 Eqs. (29)–(37).
    static func firstTermLossDB(
        distanceKm d: Double, txHeightM hte: Double, rxHeightM hre: Double, adftKm a: Double,
        frequencyGHz f: Double, polarization: P526.Polarization,
        seaFraction omega: Double
    ) -> Double {
        func inner(_ epsr: Double, _ sigma: Double) -> Double {
            let s18 = 18 * sigma / f
            // P.1812 Eq. (29a), P.452 Eq. (30a): K_H = 0.036 (a_dft f)^(−1/3) [(ε_r − 1)² + (18σ/f)²]^(−1/4)
            var k = 0.036 * pow(a * f, -1.0 / 3.0) * pow((epsr - 1) * (epsr - 1) + s18 * s18, -0.25)
            // P.1812 Eq. (29b), P.452 Eq. (30b): K_V = K_H [ε_r² + (18σ/f)²]^(1/2)
            if polarization == .vertical { k *= (epsr * epsr + s18 * s18).squareRoot() }
            let k2 = k * k, k4 = k2 * k2
            let beta = (1 + 1.6 * k2 + 0.67 * k4) / (1 + 4.5 * k2 + 1.53 * k4) // P.1812 Eq. (30), P.452 Eq. (31), β_dft
            let x = 21.88 * beta * pow(f / (a * a), 1.0 / 3.0) * d // P.1812 Eq. (31), P.452 Eq. (32), X
            let yScale = 0.9575 * beta * pow(f * f / a, 1.0 / 3.0) // P.1812 Eq. (32), P.452 Eq. (33), Y / h
            // P.1812 Eq. (33), P.452 Eq. (34): F(X) = 11 + 10 log X − 17.6 X (X ≥ 1.6), −20 log X − 5.6488 X^1.425
            let fx = x >= 1.6 ? 11 + 10 * log10(x) - 17.6 * x : -20 * log10(x) - 5.6488 * pow(x, 1.425)
            let floor = 2 + 20 * log10(k)
            func g(_ y: Double) -> Double {
                let b = beta * y // P.1812 Eq. (35), P.452 Eq. (36), B
                // P.1812 Eq. (34), P.452 Eq. (35): G(Y) = 17.6 (B − 1.1)^0.5 − 5 log(B − 1.1) − 8 (B > 2),
                // 20 log(B + 0.1 B³) otherwise, not below 2 + 20 log K.
                let gy = b > 2 ? 17.6 * (b - 1.1).squareRoot() - 5 * log10(b - 1.1) - 8 : 20 * log10(b + 0.1 * b * b * b)
                return max(gy, floor)
            }
            return -fx - g(yScale * hte) - g(yScale * hre) // P.1812 Eq. (36), P.452 Eq. (37), L_dft
        }
        // P.1812 Eq. (28), P.452 Eq. (29): ω L_dft(sea: ε_r 80, σ 5) + (1 − ω) L_dft(land: ε_r 22, σ 0.003)
        let land = inner(22, 0.003)
        return omega > 0 ? omega * inner(80, 5) + (1 - omega) * land : land
    }

    /// Spherical-Earth diffraction loss L_dsph, dB, for heights h_te, h_re above the smooth Earth (m) and effective
    /// radius a_p (km): P.1812 §4.3.2 Eqs. (22)–(27), P.452 §4.2.2 Eqs. (23)–(28), with λ = 0.2998 / f m.
    static func sphericalEarthLossDB(
        distanceKm d: Double, txHeightM hte: Double, rxHeightM hre: Double,
        apKm ap: Double, frequencyGHz f: Double, polarization: P526.Polarization,
        seaFraction omega: Double
    ) -> Double {
        let lambda = 0.2998 / f // λ, m
        // P.1812 Eq. (22), P.452 Eq. (23): marginal line-of-sight distance d_los, km
        let dlos = (2 * ap).squareRoot() * ((0.001 * hte).squareRoot() + (0.001 * hre).squareRoot())
        if d >= dlos {
            return firstTermLossDB(
                distanceKm: d, txHeightM: hte, rxHeightM: hre, adftKm: ap, frequencyGHz: f,
                polarization: polarization, seaFraction: omega) // a_dft = a_p
        }
        let c = (hte - hre) / (hte + hre) // P.1812 Eq. (24d), P.452 Eq. (25d)
        let m = 250 * d * d / (ap * (hte + hre)) // P.1812 Eq. (24e), P.452 Eq. (25e)
        let b =
            2 * ((m + 1) / (3 * m)).squareRoot()
            * cos(Double.pi / 3 + acos(1.5 * c * (3 * m / pow(m + 1, 3)).squareRoot()) / 3) // P.1812 Eq. (24c), P.452 Eq. (25c)
        let dse1 = d / 2 * (1 + b), dse2 = d - dse1 // P.1812 Eq. (24a, b), P.452 Eq. (25a, b), km
        // P.1812 Eq. (23), P.452 Eq. (24): smallest clearance h_se between the path and the curved Earth, m
        let hse = ((hte - 500 * dse1 * dse1 / ap) * dse2 + (hre - 500 * dse2 * dse2 / ap) * dse1) / d
        let hreq = 17.456 * (dse1 * dse2 * lambda / d).squareRoot() // P.1812 Eq. (25), P.452 Eq. (26), m
        if hse > hreq { return 0 }
        let aem = 500 * pow(d / (hte.squareRoot() + hre.squareRoot()), 2) // P.1812 Eq. (26), P.452 Eq. (27), a_em, km
        let ldft = firstTermLossDB(
            distanceKm: d, txHeightM: hte, rxHeightM: hre, adftKm: aem, frequencyGHz: f,
            polarization: polarization, seaFraction: omega) // a_dft = a_em
        return ldft < 0 ? 0 : (1 - hse / hreq) * ldft // P.1812 Eq. (27), P.452 Eq. (28)
    }

    /// Delta-Bullington loss L_d = L_bulla + max(L_dsph − L_bulls, 0), dB: P.1812 Eq. (39), P.452 Eq. (40). L_bulla is
    /// the Bullington loss of the actual profile, L_bulls that of the smooth profile (all heights 0, antennas at
    /// h'_ts = h_ts − h_std, h'_rs = h_rs − h_srd: P.1812 Eq. (37), P.452 Eq. (38)), L_dsph the spherical-Earth loss
    /// for h'_ts, h'_rs (P.1812 Eq. (38), P.452 Eq. (39)).
    @inline(__always)
    static func deltaBullingtonLossDB(
        bullingtonActualDB: Double, bullingtonSmoothDB: Double,
        sphericalEarthDB: Double
    ) -> Double {
        bullingtonActualDB + max(sphericalEarthDB - bullingtonSmoothDB, 0)
    }
}

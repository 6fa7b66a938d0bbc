// Smooth spherical-Earth diffraction: Recommendation ITU-R P.526-15 (10/2019), Annex 1 §3.2 ("diffraction loss
// for any distance at 10 MHz and above"), with the first-term formula of §3.1.1 (K, β, X, Y, F(X), G(Y)), in the
// form the delta-Bullington method uses it: ITU-R P.1812-6 §4.3.2–4.3.3, Eqs. (22)–(36) (= P.452-17 §4.2.2).
// Equation numbers below are those of P.1812-6; K, X and Y are written in P.526's exact wavelength forms, which
// is what the ITU-R SG3 delta-Bullington validation sheet computes (P.1812's constants 0.036, 21.88, 0.9575 are
// these forms with c rounded; they differ by up to 0.006 dB on the validation paths).
//
// As in P.452/P.1812, G(Y) is computed from B = β·Y and clamped below at 2 + 20 log10 K (P.526's separate
// K/10 < Y < 10K branch is not used). Left out: the nomograms (§3.1.2) and the residue series of §3.1.1.
import Foundation

extension P526 {
    public enum Polarization: Int, Sendable, Hashable {
        case horizontal = 0
        case vertical = 1
    }

    /// Electrical characteristics of the ground for the first-term spherical-Earth loss.
    public enum Ground: Sendable, Hashable {
        /// P.452/P.1812 convention: ω = fraction of the path over sea; land ε_r = 22, σ = 0.003 S/m, sea
        /// ε_r = 80, σ = 5 S/m, L_dft = ω L_dft(sea) + (1 − ω) L_dft(land) (P.1812-6 Eq. (28)).
        case landSeaMix(seaFraction: Double)
        /// One uniform ground (P.526-15 §3.1.1.1), relative permittivity and conductivity in S/m.
        case uniform(relativePermittivity: Double, conductivitySPerM: Double)

        public static let land = Ground.landSeaMix(seaFraction: 0)
        public static let sea = Ground.landSeaMix(seaFraction: 1)
    }

    /// Speed of light used for λ, m/s (SI value). P.452-17/P.1812-6 round it to 2.998e8, the ITU validation
    /// sheet for delta-Bullington to 3e8; callers may pass either.
    public static let speedOfLightMPerS = 299_792_458.0

    public struct FirstTermResult: Sendable, Equatable {
        /// L_dft, dB (Eq. 36), weighted by the ground model.
        public var lossDB: Double
        /// F(X), dB (Eq. 33), land (or uniform ground) term.
        public var distanceTermDB: Double
        /// G(Y_t), G(Y_r), dB (Eq. 34), land (or uniform ground) terms.
        public var txHeightGainDB: Double
        public var rxHeightGainDB: Double
        /// K (Eq. 29), land (or uniform ground).
        public var admittanceK: Double
    }

    /// First-term spherical-Earth diffraction loss L_dft for an Earth radius `earthRadiusKm` (a_dft).
    /// Structure of P.1812-6 §4.3.3, Eqs. (28)–(36); K, X and Y in the exact wavelength forms of P.526-15
    /// §3.1.1.1–3.1.1.2 (P.1812/P.452 write them with constants that round c). Heights are above the smooth Earth, m.
    public static func firstTermLoss(
        distanceKm: Double, txHeightM: Double, rxHeightM: Double,
        earthRadiusKm: Double, frequencyMHz: Double,
        polarization: Polarization, ground: Ground,
        speedOfLightMPerS c: Double = speedOfLightMPerS
    ) -> FirstTermResult {
        func inner(_ epsr: Double, _ sigma: Double) -> FirstTermResult {
            FirstTerm(
                txHeightM: txHeightM, rxHeightM: rxHeightM, earthRadiusKm: earthRadiusKm, frequencyMHz: frequencyMHz,
                polarization: polarization, relativePermittivity: epsr, conductivitySPerM: sigma, speedOfLightMPerS: c
            ).result(distanceKm: distanceKm)
        }
        switch ground {
        case let .uniform(epsr, sigma):
            return inner(epsr, sigma)
        case let .landSeaMix(omega):
            let land = inner(22, 0.003)
            guard omega > 0 else { return land }
            let sea = inner(80, 5)
            var r = land
            r.lossDB = omega * sea.lossDB + (1 - omega) * land.lossDB // Eq. (28)
            return r
        }
    }

    /// The first-term loss of one frequency, Earth radius, ground, polarization and pair of antenna heights, its
    /// constants computed once (K, β, the scale of X, the height gains G(Y)): over many distances only F(X) remains.
    /// `firstTermLoss` is this, so both give the same values to the last bit.
    public struct FirstTerm: Sendable {
        /// β (π / (λ a_e²))^(1/3), per m: X = xScale · d.
        let xScale: Double
        public let txHeightGainDB: Double, rxHeightGainDB: Double, admittanceK: Double

        public init(
            txHeightM: Double, rxHeightM: Double, earthRadiusKm: Double, frequencyMHz: Double, polarization: Polarization,
            relativePermittivity epsr: Double, conductivitySPerM sigma: Double, speedOfLightMPerS c: Double = speedOfLightMPerS
        ) {
            let lambda = c / (frequencyMHz * 1e6) // λ, m
            let ae = earthRadiusKm * 1000 // a_dft, m
            let s60 = 60 * lambda * sigma // 60 λ σ (= 18σ/f with f in GHz and c = 3e8)
            // P.526-15 §3.1.1.1 (P.1812-6 Eq. (29a)): K_H = (2π a_e / λ)^(−1/3) [(ε_r − 1)² + (60λσ)²]^(−1/4)
            let kH = pow(2 * Double.pi * ae / lambda, -1.0 / 3.0) * pow((epsr - 1) * (epsr - 1) + s60 * s60, -0.25)
            // P.526-15 §3.1.1.1 (P.1812-6 Eq. (29b)): K_V = K_H [ε_r² + (60λσ)²]^(1/2)
            let k = polarization == .horizontal ? kH : kH * (epsr * epsr + s60 * s60).squareRoot()
            let k2 = k * k, k4 = k2 * k2
            let beta = (1 + 1.6 * k2 + 0.67 * k4) / (1 + 4.5 * k2 + 1.53 * k4) // P.1812-6 Eq. (30), β
            // P.526-15 §3.1.1.2 (P.1812-6 Eq. (31)): X = β (π / (λ a_e²))^(1/3) d
            xScale = beta * pow(Double.pi / (lambda * ae * ae), 1.0 / 3.0)
            // P.526-15 §3.1.1.2 (P.1812-6 Eq. (32a, b)): Y = 2β (π² / (λ² a_e))^(1/3) h
            let yScale = 2 * beta * pow(Double.pi * Double.pi / (lambda * lambda * ae), 1.0 / 3.0)
            let yt = yScale * txHeightM, yr = yScale * rxHeightM
            let gFloor = 2 + 20 * log10(k)
            func g(_ y: Double) -> Double {
                let b = beta * y // Eq. (35), B
                // Eq. (34): G(Y) = 17.6 (B − 1.1)^0.5 − 5 log10(B − 1.1) − 8 for B > 2, else 20 log10(B + 0.1 B³),
                // and G(Y) ≥ 2 + 20 log10 K.
                let gy = b > 2 ? 17.6 * (b - 1.1).squareRoot() - 5 * log10(b - 1.1) - 8 : 20 * log10(b + 0.1 * b * b * b)
                return max(gy, gFloor)
            }
            txHeightGainDB = g(yt)
            rxHeightGainDB = g(yr)
            admittanceK = k
        }

        /// The loss at `distanceKm`, P.1812-6 Eq. (36).
        public func result(distanceKm: Double) -> FirstTermResult {
            let d = distanceKm * 1000 // d, m
            let x = xScale * d
            // P.1812-6 Eq. (33): F(X) = 11 + 10 log10 X − 17.6 X for X ≥ 1.6, else −20 log10 X − 5.6488 X^1.425
            let fx = x >= 1.6 ? 11 + 10 * log10(x) - 17.6 * x : -20 * log10(x) - 5.6488 * pow(x, 1.425)
            let gt = txHeightGainDB, gr = rxHeightGainDB
            return FirstTermResult(
                lossDB: -fx - gt - gr, distanceTermDB: fx, txHeightGainDB: gt,
                rxHeightGainDB: gr, admittanceK: admittanceK) // Eq. (36), L_dft
        }
    }

    /// The first-term loss's constants (`FirstTerm`) for a ground of one kind; nil for a mix of land and sea, whose
    /// loss mixes two of them (Eq. (28)).
    public static func firstTerm(
        txHeightM: Double, rxHeightM: Double, earthRadiusKm: Double, frequencyMHz: Double, polarization: Polarization, ground: Ground
    ) -> FirstTerm? {
        let (epsr, sigma): (Double, Double)
        switch ground {
        case let .uniform(e, s): (epsr, sigma) = (e, s)
        case let .landSeaMix(omega):
            guard omega <= 0 else { return nil }
            (epsr, sigma) = (22, 0.003)
        }
        return FirstTerm(
            txHeightM: txHeightM, rxHeightM: rxHeightM, earthRadiusKm: earthRadiusKm, frequencyMHz: frequencyMHz,
            polarization: polarization, relativePermittivity: epsr, conductivitySPerM: sigma)
    }

    /// The marginal line-of-sight distance over a smooth Earth, km (P.1812-6 Eq. (22)).
    public static func marginalLOSDistanceKm(txHeightM hte: Double, rxHeightM hre: Double, effectiveEarthRadiusKm ap: Double) -> Double {
        (2 * ap).squareRoot() * ((0.001 * hte).squareRoot() + (0.001 * hre).squareRoot())
    }

    public struct SphericalEarthResult: Sendable, Equatable {
        /// L_dsph, dB (Eq. 27, or L_dft at a_p beyond the marginal LoS distance).
        public var lossDB: Double
        /// d_los, marginal line-of-sight distance, km (Eq. 22).
        public var marginalLOSDistanceKm: Double
        /// h_se, smallest clearance between the curved-Earth path and the ray, m (Eq. 23); nil beyond d_los.
        public var clearanceM: Double?
        /// h_req, clearance required for zero diffraction loss, m (Eq. 25); nil beyond d_los.
        public var requiredClearanceM: Double?
        /// a_em, modified effective Earth radius giving marginal LoS, km (Eq. 26); nil unless used.
        public var modifiedEarthRadiusKm: Double?
        /// The first-term loss that was used (at a_p beyond d_los, at a_em within), nil when h_se > h_req.
        public var firstTerm: FirstTermResult?
    }

    /// Spherical-Earth diffraction loss L_dsph, P.526-15 §3.2 / P.1812-6 §4.3.2, Eqs. (22)–(27).
    /// - Parameters:
    ///   - txHeightM, rxHeightM: antenna heights above the smooth Earth, m (h'_ts, h'_rs in delta-Bullington).
    ///   - effectiveEarthRadiusKm: a_p, km.
    public static func sphericalEarthDiffraction(
        distanceKm: Double, txHeightM: Double, rxHeightM: Double,
        effectiveEarthRadiusKm: Double, frequencyMHz: Double,
        polarization: Polarization, ground: Ground,
        speedOfLightMPerS c: Double = speedOfLightMPerS
    ) -> SphericalEarthResult {
        let d = distanceKm, ap = effectiveEarthRadiusKm // km
        let hte = txHeightM, hre = rxHeightM // m
        let lambda = c / (frequencyMHz * 1e6) // λ, m
        let dlos = marginalLOSDistanceKm(txHeightM: hte, rxHeightM: hre, effectiveEarthRadiusKm: ap) // Eq. (22), km
        if d >= dlos {
            let ft = firstTermLoss(
                distanceKm: d, txHeightM: hte, rxHeightM: hre, earthRadiusKm: ap,
                frequencyMHz: frequencyMHz, polarization: polarization, ground: ground,
                speedOfLightMPerS: c)
            return SphericalEarthResult(
                lossDB: ft.lossDB, marginalLOSDistanceKm: dlos, clearanceM: nil,
                requiredClearanceM: nil, modifiedEarthRadiusKm: nil, firstTerm: ft)
        }
        let c0 = (hte - hre) / (hte + hre) // Eq. (24d), c
        let m = 250 * d * d / (ap * (hte + hre)) // Eq. (24e), m
        let b =
            2 * ((m + 1) / (3 * m)).squareRoot()
            * cos(Double.pi / 3 + acos(1.5 * c0 * (3 * m / pow(m + 1, 3)).squareRoot()) / 3) // Eq. (24c), b
        let dse1 = d / 2 * (1 + b) // Eq. (24a), km
        let dse2 = d - dse1 // Eq. (24b), km
        let hse = ((hte - 500 * dse1 * dse1 / ap) * dse2 + (hre - 500 * dse2 * dse2 / ap) * dse1) / d // Eq. (23), m
        // Eq. (25): h_req = 17.456 √(d_se1 d_se2 λ / d) with d in km; P.526-15 §3.2 writes 0.552 √(d1 d2 λ / d)
        // with d in m, i.e. 0.552 √1000 = 17.4558, which is used here.
        let hreq = 0.552 * (dse1 * dse2 * 1000 * lambda / d).squareRoot() // Eq. (25), h_req, m
        if hse > hreq {
            return SphericalEarthResult(
                lossDB: 0, marginalLOSDistanceKm: dlos, clearanceM: hse,
                requiredClearanceM: hreq, modifiedEarthRadiusKm: nil, firstTerm: nil)
        }
        let aem = 500 * pow(d / (hte.squareRoot() + hre.squareRoot()), 2) // Eq. (26), km
        let ft = firstTermLoss(
            distanceKm: d, txHeightM: hte, rxHeightM: hre, earthRadiusKm: aem,
            frequencyMHz: frequencyMHz, polarization: polarization, ground: ground,
            speedOfLightMPerS: c)
        let loss = ft.lossDB < 0 ? 0 : (1 - hse / hreq) * ft.lossDB // Eq. (27), dB
        return SphericalEarthResult(
            lossDB: loss, marginalLOSDistanceKm: dlos, clearanceM: hse,
            requiredClearanceM: hreq, modifiedEarthRadiusKm: aem, firstTerm: ft)
    }
}

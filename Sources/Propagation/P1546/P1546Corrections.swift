// ITU-R P.1546-6 Annex 5 §§9–18: corrections applied to the curve field strength, and the helper functions
// J(ν) (Eq. (12a)), Qi(x) (§16) and D06 (§18).
// Revision: P.1546-6 (08/2019). Left out: §12 default σL values without a square-area width.
import Foundation

extension P1546 {

    /// Eq. (12a): J(ν) = 6.9 + 20 log(√((ν − 0.1)² + 1) + ν − 0.1), taken as 0 for ν ≤ −0.7806: P.526's J(ν)
    /// (`P526.knifeEdgeLossDB`, P.526-15 Eq. (31)) with P.1546's own threshold.
    static func knifeEdgeJ(_ nu: Double) -> Double {
        P526.knifeEdgeLossDB(nu: nu, validAboveNu: -0.7806) // Eq. (12a)
    }

    // MARK: - §9 receiving/mobile antenna height

    struct RxCorrection { var correctionDB: Double; var rPrimeM: Double; var limited: Bool }

    static func rxHeightCorrection(
        h1M h1: Double, distanceKm d: Double, clutterHeightM r: Double, h2M h2: Double,
        frequencyMHz f: Double, area: ReceiverArea
    ) -> RxCorrection {
        let kh2 = 3.2 + 6.2 * log10(f) // Kh2
        switch area {
        case .rural:
            // Rural/open land: Eq. (28b) for all h2 with R′ = 10 m.
            return RxCorrection(correctionDB: kh2 * log10(h2 / 10), rPrimeM: 10, limited: false)
        case .suburban, .urban, .denseUrban:
            // Eq. (27): R′ = (1000·d·R − 15·h1)/(1000·d − 15), not less than 1 m.
            var rp = (1000 * d * r - 15 * h1) / (1000 * d - 15)
            var limited = false
            if !(rp >= 1) { rp = 1; limited = true }
            var c: Double
            if h2 < rp {
                let hdif = rp - h2 // hdif, m
                let thetaClut = atan(hdif / 27) * 180 / .pi // θclut, degrees
                let nu = 0.0108 * sqrt(f) * sqrt(hdif * thetaClut) // ν = Kν√(hdif·θclut), Kν = 0.0108√f
                c = 6.03 - knifeEdgeJ(nu) // Eq. (28a)
            } else {
                c = kh2 * log10(h2 / rp) // Eq. (28b)
            }
            // Urban environment with R′ < 10 m: reduce by Kh2·log(10/R′).
            if rp < 10 { c -= kh2 * log10(10 / rp) }
            return RxCorrection(correctionDB: c, rPrimeM: rp, limited: limited)
        case .sea:
            if h2 >= 10 {
                return RxCorrection(correctionDB: kh2 * log10(h2 / 10), rPrimeM: 10, limited: false) // Eq. (28b)
            }
            // h2 < 10 m adjacent to sea: 0.6 Fresnel clearance distances, Eq. (29a)(29b).
            let d10 = d06(frequencyMHz: f, h1M: h1, h2M: 10)
            let dh2 = d06(frequencyMHz: f, h1M: h1, h2M: h2)
            let c10 = kh2 * log10(h2 / 10) // C10, Eq. (28b) with R′ = 10 m
            let c: Double
            if d >= d10 { c = c10 } else if d <= dh2 { c = 0 } else { c = c10 * log10(d / dh2) / log10(d10 / dh2) }
            return RxCorrection(correctionDB: c, rPrimeM: 10, limited: false)
        }
    }

    // MARK: - §10 transmitting/base terminal clutter

    /// Eq. (30): correction = −J(ν) for ν > −0.7806, else 0; ν = ±Kν√(hdif1·θclut), hdif1 = ha − R1,
    /// θclut = arctan(hdif1/27) degrees, ν positive when the antenna is below the clutter (R1 ≥ ha).
    static func txClutterCorrection(haM ha: Double, clutterHeightM r1: Double, frequencyMHz f: Double) -> Double {
        let kNu = 0.0108 * sqrt(f)
        let hdif1 = ha - r1
        let thetaClut = atan(hdif1 / 27) * 180 / .pi
        let magnitude = kNu * sqrt(hdif1 * thetaClut) // hdif1·θclut ≥ 0 whatever the sign
        let nu = r1 >= ha ? magnitude : -magnitude
        return -knifeEdgeJ(nu)
    }

    // MARK: - §11 terrain clearance angle

    /// Eqs. (32a)–(32c): correction = J(ν′) − J(ν), ν′ = 0.036√f, ν = 0.065·θtca·√f, θtca limited to 0.55°–40°.
    static func clearanceAngleCorrection(frequencyMHz f: Double, tcaDeg: Double) -> (Double, Double) {
        let theta = min(max(tcaDeg, 0.55), 40)
        let nuPrime = 0.036 * sqrt(f)
        let nu = 0.065 * theta * sqrt(f)
        return (knifeEdgeJ(nuPrime) - knifeEdgeJ(nu), nu)
    }

    // MARK: - §13 tropospheric scatter

    /// Eqs. (35)(36): θs = 180·d/(π·k·a) + θeff1 + θeff2 (k·a = 4/3 · 6 370 km, θs ≥ 0);
    /// Ets = 24.4 − 20 log d − 10 θs − Lf + 0.15 N0 + Gt, Lf = 5 log f − 2.5 (log f − 3.3)²,
    /// Gt = 10.1 (−log(0.02 t))^0.7, N0 = 325 N-units.
    static func troposcatterField(
        distanceKm d: Double, frequencyMHz f: Double, timePercent t: Double,
        theta1Deg: Double, theta2Deg: Double
    ) -> (Double, Double) {
        let ka = 4.0 / 3.0 * 6370 // k·a, km
        let thetaS = max(0, 180 * d / (.pi * ka) + theta1Deg + theta2Deg) // Eq. (35), degrees
        let lf = 5 * log10(f) - 2.5 * pow(log10(f) - 3.3, 2) // Lf
        let gt = 10.1 * pow(-log10(0.02 * t), 0.7) // Gt
        let n0 = 325.0 // N0
        let ets = 24.4 - 20 * log10(d) - 10 * thetaS - lf + 0.15 * n0 + gt // Eq. (36)
        return (ets, thetaS)
    }

    // MARK: - §14 slope path, §15 short paths

    /// Eq. (37): slope distance dslope = √(d² + 10⁻⁶·((ha + htter) − (h2 + hrter))²), km.
    static func slopeDistanceKm(
        ha: Double, h2: Double, distanceKm d: Double,
        txGround: Double?, rxGround: Double?
    ) -> Double {
        let dh = (ha + (txGround ?? 0)) - (h2 + (rxGround ?? 0))
        return sqrt(d * d + 1e-6 * dh * dh)
    }

    /// Eq. (38): for d ≤ 0.04 km free space at the slope distance; otherwise interpolation in log(dslope)
    /// between free space at 0.04 km and the 1 km field `e1km`.
    static func shortPathField(
        e1km: Double, ha: Double, h2: Double, distanceKm d: Double,
        txGround: Double?, rxGround: Double?
    ) -> Double {
        let ds = slopeDistanceKm(ha: ha, h2: h2, distanceKm: d, txGround: txGround, rxGround: rxGround)
        if d <= 0.04 { return 106.9 - 20 * log10(ds) }
        let dInf = slopeDistanceKm(ha: ha, h2: h2, distanceKm: 0.04, txGround: txGround, rxGround: rxGround)
        let dSup = slopeDistanceKm(ha: ha, h2: h2, distanceKm: 1, txGround: txGround, rxGround: rxGround)
        let eInf = 106.9 - 20 * log10(dInf)
        return eInf + (e1km - eInf) * log10(ds / dInf) / log10(dSup / dInf)
    }

    // MARK: - §16 Qi, §18 D06

    /// §16: approximation to the inverse complementary cumulative normal distribution, valid 0.01 ≤ x ≤ 0.99.
    static func qi(_ x: Double) -> Double {
        func tOf(_ y: Double) -> Double { sqrt(-2 * log(y)) }
        func cOf(_ z: Double) -> Double {
            let c0 = 2.515517, c1 = 0.802853, c2 = 0.010328
            let d1 = 1.432788, d2 = 0.189269, d3 = 0.001308
            let tz = tOf(z)
            return ((c2 * tz + c1) * tz + c0) / (((d3 * tz + d2) * tz + d1) * tz + 1)
        }
        return x <= 0.5 ? tOf(x) - cOf(x) : -(tOf(1 - x) - cOf(1 - x))
    }

    /// §18: path length (km) with 0.6 first-Fresnel-zone clearance over smooth Earth:
    /// D06 = Df·Dh/(Df + Dh), Df = 0.0000389·f·h1·h2, Dh = 4.1(√h1 + √h2); h1 ≥ 0, D06 ≥ 0.001 km.
    static func d06(frequencyMHz f: Double, h1M: Double, h2M: Double) -> Double {
        let h1 = max(h1M, 0)
        let df = 0.0000389 * f * h1 * h2M
        let dh = 4.1 * (sqrt(h1) + sqrt(h2M))
        let dd = df * dh / (df + dh)
        return dd.isFinite ? max(dd, 0.001) : 0.001
    }
}

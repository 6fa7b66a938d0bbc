// ITM 1.2.2 variability: the quantile of attenuation for given time, location and situation deviates.
//
// Implements Hufford's "ITM version 1.2.2: the Algorithm", §5 (routine AVAR with its CURVE fits of the
// climate-dependent median V_med and the time-variability spreads σ_T−, σ_T+, σ_TD), and the inverse
// complementary normal distribution QERFI (Abramowitz & Stegun 26.2.23, as used by the Algorithm).
// The climate constants are the Algorithm's tables for the seven radio climates.
// Left out: AVAR's fallback to climate 5 and mdvar 0 on invalid codes (those are input errors here).
import Foundation

struct ITMVariability: Sendable {
    // Per-climate constants (Algorithm §5), index = climate − 1.
    fileprivate static let bv1: [Double] = [-9.67, -0.62, 1.26, -9.21, -0.62, -0.39, 3.15]
    fileprivate static let bv2: [Double] = [12.7, 9.19, 15.5, 9.05, 9.19, 2.86, 857.9]
    fileprivate static let xv1: [Double] = [144.9e3, 228.9e3, 262.6e3, 84.1e3, 228.9e3, 141.7e3, 2222.0e3]
    fileprivate static let xv2: [Double] = [190.3e3, 205.2e3, 185.2e3, 101.1e3, 205.2e3, 315.9e3, 164.8e3]
    fileprivate static let xv3: [Double] = [133.8e3, 143.6e3, 99.8e3, 98.6e3, 143.6e3, 167.4e3, 116.3e3]
    fileprivate static let bsm1: [Double] = [2.13, 2.66, 6.11, 1.98, 2.68, 6.86, 8.51]
    fileprivate static let bsm2: [Double] = [159.5, 7.67, 6.65, 13.11, 7.16, 10.38, 169.8]
    fileprivate static let xsm1: [Double] = [762.2e3, 100.4e3, 138.2e3, 139.1e3, 93.7e3, 187.8e3, 609.8e3]
    fileprivate static let xsm2: [Double] = [123.6e3, 172.5e3, 242.2e3, 132.7e3, 186.8e3, 169.6e3, 119.9e3]
    fileprivate static let xsm3: [Double] = [94.5e3, 136.4e3, 178.6e3, 193.5e3, 133.5e3, 108.9e3, 106.6e3]
    fileprivate static let bsp1: [Double] = [2.11, 6.87, 10.08, 3.68, 4.75, 8.58, 8.43]
    fileprivate static let bsp2: [Double] = [102.3, 15.53, 9.60, 159.3, 8.12, 13.97, 8.19]
    fileprivate static let xsp1: [Double] = [636.9e3, 138.7e3, 165.3e3, 464.4e3, 93.2e3, 216.0e3, 136.2e3]
    fileprivate static let xsp2: [Double] = [134.8e3, 143.7e3, 225.7e3, 93.1e3, 135.9e3, 152.0e3, 188.5e3]
    fileprivate static let xsp3: [Double] = [95.6e3, 98.6e3, 129.7e3, 94.2e3, 113.4e3, 122.7e3, 122.9e3]
    fileprivate static let bsd1: [Double] = [1.224, 0.801, 1.380, 1.000, 1.224, 1.518, 1.518]
    fileprivate static let bzd1: [Double] = [1.282, 2.161, 1.282, 20.0, 1.282, 1.282, 1.282]
    fileprivate static let bfm1: [Double] = [1.0, 1.0, 1.0, 1.0, 0.92, 1.0, 1.0]
    fileprivate static let bfm2: [Double] = [0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0]
    fileprivate static let bfm3: [Double] = [0.0, 0.0, 0.0, 0.0, 1.77, 0.0, 0.0]
    fileprivate static let bfp1: [Double] = [1.0, 0.93, 1.0, 0.93, 0.93, 1.0, 1.0]
    fileprivate static let bfp2: [Double] = [0.0, 0.31, 0.0, 0.19, 0.31, 0.0, 0.0]
    fileprivate static let bfp3: [Double] = [0.0, 2.00, 0.0, 1.79, 2.00, 0.0, 0.0]

    /// Splits NTIA's mdvar into (base mode 0–3, no location variability, no situation variability), or nil.
    static func decode(mdvar: Int) -> (mode: Int, noLocation: Bool, noSituation: Bool)? {
        guard mdvar >= 0 else { return nil }
        var kdv = mdvar
        let noSituation = kdv >= 20
        if noSituation { kdv -= 20 }
        let noLocation = kdv >= 10
        if noLocation { kdv -= 10 }
        guard kdv <= 3 else { return nil }
        return (kdv, noLocation, noSituation)
    }

    /// AVAR's terms that depend on the frequency, climate and mode of variability alone.
    struct Settings: Sendable {
        let c: Int // climate − 1 (index of the tables)
        let mode: Int // base mode of variability
        let noLocation: Bool
        let noSituation: Bool
        let waveNumberPerM: Double // k, 1/m
        let gm: Double // g_−(f)
        let gp: Double // g_+(f)
        let dexScatterM: Double // (575.7e12/k)^(1/3), m

        init(waveNumberPerM k: Double, climate: ITM.Climate, mdvar: Int) {
            c = climate.rawValue - 1
            let decoded = ITMVariability.decode(mdvar: mdvar) ?? (0, false, false)
            mode = decoded.mode
            noLocation = decoded.noLocation
            noSituation = decoded.noSituation
            waveNumberPerM = k
            // Frequency factors g_−(f), g_+(f), with q = ln(f/358 MHz) = ln(0.133 k)
            let q = log(0.133 * k)
            gm = ITMVariability.bfm1[c] + ITMVariability.bfm2[c] / (pow(ITMVariability.bfm3[c] * q, 2) + 1)
            gp = ITMVariability.bfp1[c] + ITMVariability.bfp2[c] / (pow(ITMVariability.bfp3[c] * q, 2) + 1)
            dexScatterM = pow(575.7e12 / k, 1.0 / 3)
        }
    }

    private let mode: Int
    private let vmd: Double // V_med, dB
    private let sgtm: Double // σ_T−, dB
    private let sgtp: Double // σ_T+, dB
    private let sgtd: Double // σ_TD, dB
    private let tgtd: Double // τ_D, dB
    private let zd: Double // z_D
    private let sgl: Double // σ_L, dB
    private let vs0: Double // σ_S² base, dB²

    /// AVAR set-up (everything that does not depend on the deviates).
    init(geometry g: ITMGeometry, settings v: Settings) {
        let c = v.c
        mode = v.mode
        let k = v.waveNumberPerM
        let d = g.distM

        // Effective distance d_e: d_ex = √(18e6 h_e1) + √(18e6 h_e2) + (575.7e12/k)^⅓, m
        let dexa = (18e6 * g.he.tx).squareRoot() + (18e6 * g.he.rx).squareRoot() + v.dexScatterM
        let de = d < dexa ? 130e3 * d / dexa : 130e3 + d - dexa // d_e, m

        vmd = Self.curve(Self.bv1[c], Self.bv2[c], Self.xv1[c], Self.xv2[c], Self.xv3[c], de)
        sgtm = Self.curve(Self.bsm1[c], Self.bsm2[c], Self.xsm1[c], Self.xsm2[c], Self.xsm3[c], de) * v.gm
        sgtp = Self.curve(Self.bsp1[c], Self.bsp2[c], Self.xsp1[c], Self.xsp2[c], Self.xsp3[c], de) * v.gp
        sgtd = sgtp * Self.bsd1[c]
        tgtd = (sgtp - sgtd) * Self.bzd1[c]
        zd = Self.bzd1[c]

        if v.noLocation {
            sgl = 0
        } else {
            // σ_L = 10 k Δh(d)/(k Δh(d) + 13), dB
            let kdh = (1 - 0.8 * exp(-d / 50e3)) * g.dh * k
            sgl = 10 * kdh / (kdh + 13)
        }
        // σ_S² = (5 + 3 exp(−d_e/100 km))², dB²
        vs0 = v.noSituation ? 0 : pow(5 + 3 * exp(-de / 100e3), 2)
    }

    /// CURVE: (c_1 + c_2/(1 + ((d_e − x_2)/x_3)²)) (d_e/x_1)²/(1 + (d_e/x_1)²), dB.
    private static func curve(
        _ c1: Double, _ c2: Double, _ x1: Double, _ x2: Double, _ x3: Double,
        _ de: Double
    ) -> Double {
        let r = (de - x2) / x3
        let s = (de / x1) * (de / x1)
        return (c1 + c2 / (1 + r * r)) * s / (1 + s)
    }

    /// AVAR: attenuation relative to free space A = A_ref − V_med − Y_R − σ_c z_c, softened below 0 dB, for the
    /// standard normal deviates of time, location and situation. Sets the extreme-variability warning.
    func attenuation(
        referenceDB aref: Double, zt zzt: Double, zl zzl: Double, zc: Double,
        warnings: inout ITM.Warnings
    ) -> Double {
        var zt = zzt, zl = zzl
        switch mode {
        case 0: zt = zc; zl = zc // single message: one deviate for all
        case 1: zl = zc // accidental
        case 2: zl = zt // mobile
        default: break // broadcast
        }
        if abs(zt) > 3.1 || abs(zl) > 3.1 || abs(zc) > 3.1 { warnings.insert(.extremeVariabilities) }
        let sgt: Double // σ_T, dB
        if zt < 0 { sgt = sgtm } else if zt <= zd { sgt = sgtp } else { sgt = sgtd + tgtd / zt }
        let rt = 7.8, rl = 24.0 // R_T, R_L
        let vs = vs0 + pow(sgt * zt, 2) / (rt + zc * zc) + pow(sgl * zl, 2) / (rl + zc * zc) // σ_S², dB²
        let yr: Double, sgc: Double // Y_R (dB), σ_c (dB)
        switch mode {
        case 0: yr = 0; sgc = (sgt * sgt + sgl * sgl + vs).squareRoot()
        case 1: yr = sgt * zt; sgc = (sgl * sgl + vs).squareRoot()
        case 2: yr = (sgt * sgt + sgl * sgl).squareRoot() * zt; sgc = vs.squareRoot()
        default: yr = sgt * zt + sgl * zl; sgc = vs.squareRoot()
        }
        var a = aref - vmd - yr - sgc * zc
        if a < 0 { a = a * (29 - a) / (29 - 10 * a) }
        return a
    }

    /// QERFI: z such that Q(z) = q, the inverse complementary standard normal distribution (A&S 26.2.23,
    /// |error| < 4.5e-4), with A&S's c_0 = 2.515517 written 2.515516 as in NTIA's release (the FORTRAN has
    /// 2.515516698). t = √(−2 ln min(q, 1 − q)); the floor 1e-6 on min(q, 1 − q) of the FORTRAN is kept (it
    /// only acts below 1e-4 %, where the inputs are already invalid).
    static func inverseComplementaryNormal(_ q: Double) -> Double {
        let upper = q > 0.5
        let t = (-2 * log(max(upper ? 1 - q : q, 0.000001))).squareRoot()
        let v = t - ((0.010328 * t + 0.802853) * t + 2.515516) / (((0.001308 * t + 0.189269) * t + 1.432788) * t + 1)
        return upper ? -v : v
    }
}

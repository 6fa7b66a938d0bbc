// NTIA Extended Hata (eHata) urban propagation model: NTIA Report TR-15-517 (2015), Appendix A, as implemented
// by the NTIA/ITS eHata reference (github.com/NTIA/ehata, original float version, "original ITS" behaviour —
// not the WinnForum modifications). Median basic transmission loss with terrain-profile corrections:
//   • quasi-smooth urban median (Hata below the break-point distance, Okumura Fig. 12 exponent above), with the
//     1.5–3 GHz refit of the intercept (TR-15-517 App. A, Eqs. A-4a…c) and the suburban / open-area corrections;
//   • effective antenna heights from the profile (average ground 3–15 km from each end);
//   • Okumura (1968) terrain corrections: rolling hilly terrain (median, Fig. 29; fine, Fig. 30), isolated
//     ridge (§4.2, Fig. 31), general slope (§4.3, Fig. 34), mixed land–sea path (§4.4, Fig. 36).
// Left out: the location/time variability (the reference's later `Variability`/reliability option); the
// WinnForum changes (20 m minimum base height, structural mobile height, corrected 3–15 km averages).
// The reference's quirks that change results are reproduced and commented: the (d − 3)/12 scaling of the
// 3–15 km average ground height, and the end-height weighting of the ridge height.
// Computation is in Double; the reference ran in single precision. Against the 53 ITS test cases the largest
// difference is 0.076 dB (one case whose single-precision value the ITS double-precision rerun also misses);
// the other 52 agree to 1e-4 dB.
import Foundation

public enum EHata {
    static let modelName = "NTIA Extended Hata"

    /// Environment, from the NLCD-style codes of the reference: 23/24 urban, 22 suburban, others rural (open).
    public enum Environment: Sendable, Hashable {
        case urban, suburban, rural

        /// Maps the reference's environment code (22 suburban, 23–24 urban, anything else rural).
        public init(code: Int) {
            switch code {
            case 23, 24: self = .urban
            case 22: self = .suburban
            default: self = .rural
            }
        }
    }

    public struct Warnings: NamedWarnings, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Frequency outside 1500–3000 MHz, the range the extension was fitted to (the reference accepts it).
        public static let frequencyOutOfRange = Warnings(rawValue: 1 << 0)
        /// Path shorter than 1 km or longer than 100 km (Okumura's curves).
        public static let distanceOutOfRange = Warnings(rawValue: 1 << 1)
        /// Effective base height was outside 30–200 m and was limited to that range (as the reference does).
        public static let baseEffectiveHeightLimited = Warnings(rawValue: 1 << 2)
        /// Effective mobile height was outside 1–10 m and was limited to that range (as the reference does).
        public static let mobileEffectiveHeightLimited = Warnings(rawValue: 1 << 3)

        public static let named: [(flag: Warnings, name: String)] = [
            (.frequencyOutOfRange, "frequency_out_of_range"), (.distanceOutOfRange, "distance_out_of_range"),
            (.baseEffectiveHeightLimited, "base_effective_height_limited"),
            (.mobileEffectiveHeightLimited, "mobile_effective_height_limited")
        ]
    }

    public struct Result: Sendable, Equatable {
        /// Median basic transmission loss with terrain corrections, dB.
        public var lossDB: Double
        /// Quasi-smooth-terrain median loss for the environment, before terrain corrections, dB.
        public var medianLossDB: Double
        /// Terrain corrections subtracted from the median (positive = less loss), dB.
        public var rollingHillyMedianCorrectionDB: Double
        public var rollingHillyFineCorrectionDB: Double
        public var isolatedRidgeCorrectionDB: Double
        public var generalSlopeCorrectionDB: Double
        public var mixedLandSeaCorrectionDB: Double
        /// Effective antenna heights used (after limiting), m.
        public var baseEffectiveHeightM: Double
        public var mobileEffectiveHeightM: Double
        /// Break-point distance d_bp, km; urban loss at 1 km and 100 km for the reference heights, dB.
        public var breakpointDistanceKm: Double
        public var attenuation1kmDB: Double
        public var attenuation100kmDB: Double
        /// Path length, km.
        public var distanceKm: Double
        public var terrain: TerrainAnalysis
        public var warnings: Warnings
    }

    /// eHata median path loss over a terrain profile.
    /// - Parameters:
    ///   - profile: terrain from the BASE STATION (index 0) to the MOBILE (last index), equally spaced.
    ///   - frequencyMHz: 1500–3000 MHz fitted; > 0 accepted with a warning outside (the test set runs to 4 GHz).
    ///   - baseHeightM: base-station antenna height above ground, m (≥ 0).
    ///   - mobileHeightM: mobile antenna height above ground, m (≥ 0).
    ///   - environment: urban, suburban or rural (open).
    public static func pathLoss(
        profile: TerrainProfile, frequencyMHz: Double, baseHeightM: Double,
        mobileHeightM: Double, environment: Environment
    ) throws -> Result {
        guard profile.elevationsM.count >= 2 else {
            throw ModelInputError(
                model: modelName, parameter: "profile_points", value: Double(profile.elevationsM.count),
                validRange: "≥ 2 points")
        }
        try ModelInputError.check(modelName, "spacing_m", profile.spacingM, 1e-3, 1e6, unit: "m")
        for (i, h) in profile.elevationsM.enumerated() where !h.isFinite {
            throw ModelInputError(model: modelName, parameter: "elevation_m[\(i)]", value: h, validRange: "finite")
        }
        try ModelInputError.check(modelName, "frequency_mhz", frequencyMHz, 1, 1e5, unit: "MHz")
        try ModelInputError.check(modelName, "base_height_m", baseHeightM, 0, 1e4, unit: "m")
        try ModelInputError.check(modelName, "mobile_height_m", mobileHeightM, 0, 1e4, unit: "m")

        var warnings: Warnings = []
        if frequencyMHz < 1500 || frequencyMHz > 3000 { warnings.insert(.frequencyOutOfRange) }

        let z = Array(profile.elevationsM.reversed()) // mobile first, as the reference
        let np = z.count - 1
        let xi = profile.spacingM
        let t = analyseTerrain(mobileFirst: z, stepM: xi, baseHeightM: baseHeightM, mobileHeightM: mobileHeightM)

        // Effective heights: antenna height + terminal ground − average ground (TR-15-517 App. A).
        var hmEff = mobileHeightM + z[0] - t.averageGroundHeightM[0]
        var hbEff = baseHeightM + z[np] - t.averageGroundHeightM[1]
        if hmEff < 1 || hmEff > 10 { warnings.insert(.mobileEffectiveHeightLimited); hmEff = min(max(hmEff, 1), 10) }
        if hbEff < 30 || hbEff > 200 { warnings.insert(.baseEffectiveHeightLimited); hbEff = min(max(hbEff, 30), 200) }

        let dKm = Double(np) * xi / 1000
        if dKm < 1 || dKm > 100 { warnings.insert(.distanceOutOfRange) }
        let median = medianBasicLoss(
            frequencyMHz: frequencyMHz, baseEffectiveHeightM: hbEff,
            mobileEffectiveHeightM: hmEff, distanceKm: dKm, environment: environment)

        let mixed = mixedLandSeaCorrectionDB(distanceKm: dKm, seaFraction: t.seaFraction, seaEnd: t.seaEnd)
        var ridge = 0.0, hillyMedian = 0.0, hillyFine = 0.0, slope = 0.0
        if t.singleHorizon {
            // d1 = horizon distance from the base, d2 = from the mobile (Okumura Fig. 31 notation).
            ridge = isolatedRidgeCorrectionDB(
                baseHorizonKm: t.horizonDistanceM[1] / 1000,
                mobileHorizonKm: t.horizonDistanceM[0] / 1000, ridgeHeightM: t.ridgeHeightM)
        } else {
            hillyMedian = rollingHillyMedianCorrectionDB(deltaHM: t.deltaHM)
            hillyFine = rollingHillyFineCorrectionDB(terrain: t, mobileGroundM: z[0])
            slope = generalSlopeCorrectionDB(slopeMrad: t.mobileSlopeMrad, distanceKm: dKm)
        }
        let loss = median.lossDB - ridge - hillyMedian - hillyFine - slope - mixed
        return Result(
            lossDB: loss, medianLossDB: median.lossDB, rollingHillyMedianCorrectionDB: hillyMedian,
            rollingHillyFineCorrectionDB: hillyFine, isolatedRidgeCorrectionDB: ridge,
            generalSlopeCorrectionDB: slope, mixedLandSeaCorrectionDB: mixed,
            baseEffectiveHeightM: hbEff, mobileEffectiveHeightM: hmEff,
            breakpointDistanceKm: median.breakpointKm, attenuation1kmDB: median.att1kmDB,
            attenuation100kmDB: median.att100kmDB, distanceKm: dKm, terrain: t, warnings: warnings)
    }

    // MARK: - Quasi-smooth median (TR-15-517 Appendix A)

    public struct MedianLoss: Sendable, Equatable {
        public var lossDB: Double
        public var breakpointKm: Double
        public var att1kmDB: Double
        public var att100kmDB: Double
    }

    /// Median basic transmission loss over quasi-smooth terrain, TR-15-517 Appendix A.
    public static func medianBasicLoss(
        frequencyMHz: Double, baseEffectiveHeightM: Double,
        mobileEffectiveHeightM: Double, distanceKm: Double,
        environment: Environment
    ) -> MedianLoss {
        let f = frequencyMHz, hb = baseEffectiveHeightM, hm = mobileEffectiveHeightM, d = distanceKm // MHz, m, m, km
        let c = 1 / (8.854e-12 * 4e-7 * Double.pi).squareRoot() // speed of light from ε0, μ0 (as the reference), m/s
        let lf = log10(f)

        // Urban 1 km intercept refitted to Okumura's median attenuation A(f, 1 km) of 22, 23.5, 25.85 dB at
        // 1500, 2000, 3000 MHz (h_b = 200 m, h_m = 3 m): α₁ + β₁ log f + γ₁ log² f (TR-15-517 Eqs. A-4a…c).
        let sr1km = (1e6 + 197.0 * 197.0).squareRoot() // slant range at 1 km, m
        let htgHbRef = 13.82 * log10(200.0) // Hata base height-gain at 200 m
        let htgHmRef = 3.2 * pow(log10(11.75 * 3.0), 2) - 4.97 // Hata mobile height-gain at 3 m (Hata Eq. 16)
        let wn1500 = 2 * Double.pi * 1.5e9 / c // wavenumber at 1500 MHz, 1/m
        let gamma1 = (3.85 / log10(2.0) - 1.5 / log10(4.0 / 3.0)) / log10(1.5)
        let beta1 = 20 + 1.5 / log10(4.0 / 3.0) - gamma1 * log10(3.0e6)
        let alpha1 = 22 + htgHbRef + htgHmRef + 20 * log10(2 * wn1500 * sr1km) - log10(1500.0) * (beta1 + gamma1 * log10(1500.0))

        // Suburban correction through 11.5, 12.4, 14 dB at 1500, 2000, 3000 MHz.
        let den = log10(4.0 / 3.0) * log10(1.5) * log10(2.0)
        let gammaS = (2.5 * log10(4.0 / 3.0) - 0.9 * log10(2.0)) / den
        let betaS = (0.9 * log10(2.0) * log10(4.5e6) - 2.5 * log10(4.0 / 3.0) * log10(3.0e6)) / den
        let alphaS = 11.5 - betaS * log10(1.5e3) - gammaS * pow(log10(1.5e3), 2)
        let suburban = alphaS + betaS * lf + gammaS * lf * lf // dB
        // Open-area (rural) correction, Hata Eq. (10) form: 40.94 − 18.33 log f + 4.78 log² f.
        let rural = 40.94 - 18.33 * lf + 4.78 * lf * lf // dB

        // 100 km attenuation fitted to 63.5, 65.75, 69.5 dB at 1500, 2000, 3000 MHz.
        let alpha100 = 120.78129, beta100 = -52.714929, gamma100 = 10.919011
        // Power-law exponent above the break point from Okumura Fig. 12 (n/2 = 2.5, 3, 3.22 at h_b = 24.5, 70, 200 m).
        let tau =
            (0.72 * log10(70.0 / 24.5) - 0.5 * log10(200.0 / 24.5)) / log10(70.0 / 24.5) / log10(200.0 / 70.0)
            / log10(200.0 / 24.5)
        let sigma = 0.72 / log10(200.0 / 24.5) - tau * log10(200.0 * 24.5)
        let rho = 2.5 - log10(24.5) * (sigma + tau * log10(24.5))

        let wnmh = 2e6 * Double.pi * f / c // wavenumber, 1/m
        let term1 = lf * (beta1 + gamma1 * lf)
        let att1km = alpha1 + term1 - htgHbRef - htgHmRef - 20 * log10(2 * wnmh * sr1km) // dB above free space
        let att100km = alpha100 + lf * (beta100 + gamma100 * lf) // dB above free space
        let term2 = -13.82 * log10(hb)
        let nh = 2 * (rho + log10(hb) * (sigma + tau * log10(hb)) - 1) // exponent above the break point
        let nl = 0.1 * (44.9 - 6.55 * log10(hb)) - 2 // Hata exponent − 2
        let dbp = pow(10, (2 * nh + 0.1 * (att1km - att100km)) / (nh - nl)) // break-point distance, km
        let terma = -3.2 * pow(log10(11.75 * hm), 2) + 4.97 // −a(h_m), Hata large-city form
        let srd = (1e6 * d * d + (hb - hm) * (hb - hm)).squareRoot() // slant range, m

        let urban: Double
        if d <= dbp {
            // Hata urban form with the refitted intercept.
            urban = alpha1 + term1 + term2 + terma + (44.9 - 6.55 * log10(hb)) * log10(d)
        } else {
            // Long-distance form anchored at the 100 km attenuation with exponent n_h.
            urban = att100km + htgHbRef + term2 + htgHmRef + terma - 20 * nh + 10 * nh * log10(d) + 20 * log10(2 * wnmh * srd)
        }
        let loss: Double
        switch environment {
        case .urban: loss = urban
        case .suburban: loss = urban - suburban
        case .rural: loss = urban - rural
        }
        return MedianLoss(lossDB: loss, breakpointKm: dbp, att1kmDB: att1km, att100kmDB: att100km)
    }

    // MARK: - Okumura terrain corrections

    /// Median rolling-hilly-terrain correction K_h (Okumura Fig. 29), Δh limited below at 15 m, dB.
    public static func rollingHillyMedianCorrectionDB(deltaHM: Double) -> Double {
        let dh = max(deltaHM, 15)
        let l = log10(dh)
        return -1.5072013 + l * (8.458676 - 6.102538 * l)
    }

    /// Fine rolling-hilly correction K_hf (Okumura Fig. 30) from the mobile's ground height within the
    /// terrain quantiles, Δh limited below at 10 m, dB.
    static func rollingHillyFineCorrectionDB(terrain t: TerrainAnalysis, mobileGroundM hg: Double) -> Double {
        let dh = max(t.deltaHM, 10)
        let l = log10(dh)
        let kh = -11.728795 + l * (15.544272 - 1.8154766 * l)
        if hg >= t.quantile10M { return kh }
        if hg <= t.quantile90M { return -kh }
        if hg >= t.quantile50M { return kh * (hg - t.quantile50M) / (t.quantile10M - t.quantile50M) }
        return -kh * (hg - t.quantile90M) / (t.quantile50M - t.quantile90M)
    }

    /// General slope correction K_sp (Okumura Fig. 34), θ_m in mrad, dB.
    public static func generalSlopeCorrectionDB(slopeMrad theta: Double, distanceKm d: Double) -> Double {
        if theta <= 0 {
            if d <= 10 { return theta * 0.25 }
            if d >= 30 { return theta * 0.8 }
            return theta * (0.25 + 0.05 * (0.8 - 0.25) * (d - 10))
        }
        if d <= 10 { return theta * 0.125 }
        if d >= 60 { return theta * 0.6 }
        if d <= 30 { return theta * (0.125 + 0.05 * (d - 10) * (0.35 - 0.125)) }
        return theta * (0.35 + (d - 30) * (0.6 - 0.35) / 30)
    }

    /// Isolated-ridge correction K_im (Okumura §4.2, Fig. 31 curves A/B/C, scaled by α = √(h/200)), dB.
    /// Distances are the horizon distances from the base (d1) and from the mobile (d2), km.
    public static func isolatedRidgeCorrectionDB(
        baseHorizonKm d1: Double, mobileHorizonKm d2: Double,
        ridgeHeightM h: Double
    ) -> Double {
        let d1Grid = [15.0, 30.0, 60.0]
        let curves: [[Double]] = [
            [4.0, -13.0, -17.5, -17.5, -15.0, -12.5, -10.0, -8.0, -6.0], // C: d1 = 15 km
            [12.0, -8.5, -13.0, -12.0, -10.0, -8.0, -6.5, -5.0, -4.0], // B: d1 = 30 km
            [20.0, -4.0, -6.5, -6.0, -4.5, -3.5, -2.5, -2.0, -1.0] // A: d1 = 60 km
        ]
        let alpha = (h / 200).squareRoot() // Okumura Eq. (1): α = 0.07 √h
        let i1 = d1 >= d1Grid[1] ? 1 : 0
        var i2 = 0
        while i2 < 7 && d2 > Double(i2 + 1) { i2 += 1 }
        let fr2 = d2 - Double(i2) // d2 grid is 0, 1, …, 8 km
        let c1 = curves[i1][i2] + (curves[i1][i2 + 1] - curves[i1][i2]) * fr2
        let c2 = curves[i1 + 1][i2] + (curves[i1 + 1][i2 + 1] - curves[i1 + 1][i2]) * fr2
        return alpha * (c1 + (c2 - c1) * (d1 - d1Grid[i1]) / (d1Grid[i1 + 1] - d1Grid[i1]))
    }

    /// Mixed land–sea correction K_mp (Okumura §4.4, Fig. 36), dB. `seaEnd`: 1 sea near the mobile, 0 near the
    /// base, −1 balanced (average of the two curves).
    public static func mixedLandSeaCorrectionDB(distanceKm d: Double, seaFraction beta: Double, seaEnd: Int) -> Double {
        guard beta != 0 else { return 0 }
        let beta30 = [0.0, 0.15, 0.35, 0.45, 0.6, 0.65, 0.725, 0.775, 0.85, 1.0]
        let corr30: [[Double]] = [
            [0.0, 1.0, 3.0, 4.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0],
            [0.0, 4.0, 5.5, 7.0, 8.5, 9.0, 9.5, 9.8, 10.25, 11.0]
        ]
        let beta60 = [0.0, 0.15, 0.3, 0.4, 0.5, 0.6, 0.725, 0.85, 0.9, 1.0]
        let corr60: [[Double]] = [
            [0.0, 2.0, 4.0, 5.5, 7.0, 9.0, 11.0, 13.0, 14.0, 15.0],
            [0.0, 4.25, 6.25, 9.2, 10.5, 11.75, 13.0, 14.0, 14.25, 15.0]
        ]
        func interval(_ grid: [Double]) -> Int {
            var i = 0
            while i < 8 && beta > grid[i + 1] { i += 1 }
            return i
        }
        func value(_ grid: [Double], _ corr: [[Double]]) -> Double {
            let i = interval(grid)
            func curve(_ k: Int) -> Double {
                corr[k][i] + (beta - grid[i]) * (corr[k][i + 1] - corr[k][i]) / (grid[i + 1] - grid[i])
            }
            return seaEnd == 0 || seaEnd == 1 ? curve(seaEnd) : 0.5 * (curve(0) + curve(1))
        }
        let v30 = value(beta30, corr30), v60 = value(beta60, corr60)
        if d <= 30 { return v30 }
        if d >= 60 { return v60 }
        return v30 + (d - 30) / 30 * (v60 - v30)
    }
}

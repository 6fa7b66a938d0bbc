// Delta-Bullington diffraction for a general terrestrial path: Recommendation ITU-R P.526-15 (10/2019),
// Annex 1 §4.5 (§4.5.1 Bullington model, §4.5.2 complete method), written as in ITU-R P.1812-6 §4.3.1 and
// §4.3.4 and P.452-17 §4.2.1 and §4.2.3, which carry the same text. Equation numbers are those of P.1812-6
// (Bullington Eqs. (12)–(21), delta-Bullington Eqs. (37)–(39)); the smooth-surface heights used for the
// modified antenna heights are those of P.452-17 Attachment 2 §5.1.6.2–5.1.6.3 (least-squares surface, then
// lowered by the largest obstruction, never above the ground at the terminals).
//
// Input conventions (checked against the ITU-R SG3 delta-Bullington validation sheet): distances in km from the
// transmitter (the first point's distance is subtracted), heights in m above sea level, antenna heights in m
// above the ground at the two ends, a_e in km (8500 km in the sheet), land ground, horizontal polarization.
// Left out: the P.452/P.1812 time-percentage interpolation between a_e and a_β (§4.2.4 / §4.3.5) — the
// caller runs this function with each radius it needs — and the slant-path method of §4.6.
import Foundation

extension P526 {
    public struct DeltaBullingtonWarnings: NamedWarnings, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Frequency outside 30 MHz – 50 GHz, the span over which P.452/P.1812/P.526 use the method.
        public static let frequencyOutsideUsualRange = DeltaBullingtonWarnings(rawValue: 1 << 0)
        /// Profile points not equally spaced (allowed; noted because terrain services produce equal spacing).
        public static let unequalSpacing = DeltaBullingtonWarnings(rawValue: 1 << 1)
        /// Profile has no intermediate point: the Bullington terms are 0 dB.
        public static let noIntermediatePoints = DeltaBullingtonWarnings(rawValue: 1 << 2)
        /// A terminal height above ground of 0 m (a modified height of 0 makes G(Y) sit on its floor).
        public static let zeroAntennaHeight = DeltaBullingtonWarnings(rawValue: 1 << 3)

        public static let named: [(flag: DeltaBullingtonWarnings, name: String)] = [
            (.frequencyOutsideUsualRange, "frequency_outside_usual_range"), (.unequalSpacing, "unequal_spacing"),
            (.noIntermediatePoints, "no_intermediate_points"), (.zeroAntennaHeight, "zero_antenna_height")
        ]
    }

    /// Result of the Bullington construction (§4.5.1) for one profile.
    public struct BullingtonResult: Sendable, Equatable {
        /// L_bull, dB (Eq. 21).
        public var lossDB: Double
        /// L_uc, knife-edge loss at the Bullington point (Eq. 16 or 20), dB.
        public var knifeEdgeLossDB: Double
        /// True when S_tim < S_tr (Case 1, line-of-sight path).
        public var lineOfSight: Bool
        /// ν_max (Case 1, Eq. 15) or ν_b (Case 2, Eq. 19).
        public var nu: Double
        /// S_tim, m/km (Eq. 13).
        public var txSlopeMPerKm: Double
        /// S_tr, m/km (Eq. 14).
        public var directSlopeMPerKm: Double
        /// S_rim, m/km (Eq. 17); nil in Case 1.
        public var rxSlopeMPerKm: Double?
        /// d_bp, distance of the Bullington point from the transmitter, km (Eq. 18); nil in Case 1.
        public var bullingtonPointKm: Double?
    }

    /// Smooth-surface heights for the diffraction model, P.452-17 Attachment 2 §5.1.6.2–5.1.6.3.
    public struct DiffractionSmoothSurface: Sendable, Equatable {
        /// h_st, h_sr: least-squares smooth surface at the two ends, m amsl.
        public var txLeastSquaresHeightM: Double
        public var rxLeastSquaresHeightM: Double
        /// h_obs, largest obstruction height above the straight line between the antennas, m.
        public var obstructionHeightM: Double
        /// α_obt, α_obr, m/km.
        public var txObstructionSlope: Double
        public var rxObstructionSlope: Double
        /// h_std, h_srd: smooth surface at the two ends used for diffraction, m amsl.
        public var txSurfaceHeightM: Double
        public var rxSurfaceHeightM: Double
    }

    public struct DeltaBullingtonResult: Sendable, Equatable {
        /// L_d, delta-Bullington diffraction loss, dB (Eq. 39).
        public var lossDB: Double
        /// L_bulla, Bullington loss for the actual profile and antenna heights, dB.
        public var bullingtonActualDB: Double
        /// L_bulls, Bullington loss with all profile heights at zero and modified antenna heights, dB.
        public var bullingtonSmoothDB: Double
        /// L_dsph, spherical-Earth diffraction loss with the modified antenna heights, dB.
        public var sphericalEarthDB: Double
        /// h'_ts, h'_rs: modified antenna heights above the smooth surface, m (Eq. 37/38).
        public var modifiedTxHeightM: Double
        public var modifiedRxHeightM: Double
        /// h_ts, h_rs: antenna heights above sea level, m.
        public var txHeightAmslM: Double
        public var rxHeightAmslM: Double
        /// Path length d, km.
        public var distanceKm: Double
        public var smoothSurface: DiffractionSmoothSurface
        public var actual: BullingtonResult
        public var smooth: BullingtonResult
        public var sphericalEarth: SphericalEarthResult
        public var warnings: DeltaBullingtonWarnings
    }

    // MARK: - Effective Earth radius

    /// Mean Earth radius used by P.452/P.1812, km.
    public static let earthRadiusKm = 6371.0

    /// a_e = 6371 k, km, for an effective Earth-radius factor k (k = 4/3 gives 8495 km).
    public static func effectiveEarthRadiusKm(kFactor: Double) -> Double { earthRadiusKm * kFactor }

    /// Median effective Earth radius from the average radio-refractive lapse rate ΔN (N-units/km):
    /// k50 = 157 / (157 − ΔN) (P.452-17 Eq. (5)), a_e = 6371 k50 (Eq. (6a)); the formula is the clear-air chain's
    /// (`ClearAirChain.medianEarthRadiusKm`), with this function's own range check.
    public static func effectiveEarthRadiusKm(deltaN: Double) throws -> Double {
        guard deltaN < 157, deltaN.isFinite else {
            throw ModelInputError(model: modelName, parameter: "delta_n", value: deltaN, validRange: "(−∞, 157) N-units/km")
        }
        return ClearAirChain.medianEarthRadiusKm(deltaN: deltaN)
    }

    // MARK: - Bullington (§4.5.1)

    /// Bullington diffraction loss for a profile, P.526-15 §4.5.1 / P.1812-6 §4.3.1, Eqs. (12)–(21).
    /// - Parameters:
    ///   - distancesKm: distance of each point from the transmitter, km (increasing; first usually 0).
    ///   - heightsM: terrain height of each point, m amsl.
    ///   - txHeightAmslM, rxHeightAmslM: antenna heights above sea level, m.
    public static func bullington(
        distancesKm: [Double], heightsM: [Double], txHeightAmslM: Double,
        rxHeightAmslM: Double, effectiveEarthRadiusKm: Double, frequencyMHz: Double,
        speedOfLightMPerS c: Double = speedOfLightMPerS
    ) -> BullingtonResult {
        let n = distancesKm.count
        let d0 = distancesKm[0]
        let dtot = distancesKm[n - 1] - d0 // d, km
        let ce = 1 / effectiveEarthRadiusKm // C_e, 1/km
        let lambda = c / (frequencyMHz * 1e6) // λ, m
        let hts = txHeightAmslM, hrs = rxHeightAmslM // m amsl

        var stim = -Double.infinity
        for i in 1..<max(n - 1, 1) {
            let di = distancesKm[i] - d0
            // Eq. (13): S_tim = max[(h_i + 500 C_e d_i (d − d_i) − h_ts) / d_i], m/km
            stim = max(stim, (heightsM[i] + 500 * ce * di * (dtot - di) - hts) / di)
        }
        let str = (hrs - hts) / dtot // Eq. (14), S_tr, m/km

        let luc: Double, nu: Double
        var srimOut: Double? = nil, dbpOut: Double? = nil
        let los = stim < str
        if los {
            // Case 1. Eq. (15): ν_max = max{[h_i + 500 C_e d_i(d − d_i) − (h_ts(d − d_i) + h_rs d_i)/d]
            //                               · √(0.002 d / (λ d_i (d − d_i)))}
            var numax = -Double.infinity
            for i in 1..<max(n - 1, 1) {
                let di = distancesKm[i] - d0
                let v =
                    (heightsM[i] + 500 * ce * di * (dtot - di) - (hts * (dtot - di) + hrs * di) / dtot)
                    * (0.002 * dtot / (lambda * di * (dtot - di))).squareRoot()
                numax = max(numax, v)
            }
            nu = numax
            luc = knifeEdgeLossDB(nu: numax) // Eq. (16) with J(ν) of Eq. (12) = P.526 Eq. (31)
        } else {
            // Case 2. Eq. (17): S_rim = max[(h_i + 500 C_e d_i (d − d_i) − h_rs) / (d − d_i)], m/km
            var srim = -Double.infinity
            for i in 1..<(n - 1) {
                let di = distancesKm[i] - d0
                srim = max(srim, (heightsM[i] + 500 * ce * di * (dtot - di) - hrs) / (dtot - di))
            }
            let dbp = (hrs - hts + srim * dtot) / (stim + srim) // Eq. (18), d_bp, km
            // Eq. (19): ν_b = [h_ts + S_tim d_bp − (h_ts(d − d_bp) + h_rs d_bp)/d] · √(0.002 d / (λ d_bp (d − d_bp)))
            let nub =
                (hts + stim * dbp - (hts * (dtot - dbp) + hrs * dbp) / dtot)
                * (0.002 * dtot / (lambda * dbp * (dtot - dbp))).squareRoot()
            nu = nub
            luc = knifeEdgeLossDB(nu: nub) // Eq. (20)
            srimOut = srim
            dbpOut = dbp
        }
        let lbull = luc + (1 - exp(-luc / 6)) * (10 + 0.02 * dtot) // Eq. (21), L_bull, dB
        return BullingtonResult(
            lossDB: lbull, knifeEdgeLossDB: luc, lineOfSight: los, nu: nu,
            txSlopeMPerKm: stim, directSlopeMPerKm: str, rxSlopeMPerKm: srimOut,
            bullingtonPointKm: dbpOut)
    }

    // MARK: - Smooth surface for the diffraction model

    /// Smooth-surface heights at the terminals for the diffraction model, P.452-17 Attachment 2 §5.1.6.2
    /// (least-squares fit) and §5.1.6.3 (obstruction correction and limits).
    public static func diffractionSmoothSurface(
        distancesKm: [Double], heightsM: [Double], txHeightAmslM: Double,
        rxHeightAmslM: Double
    ) -> DiffractionSmoothSurface {
        let n = distancesKm.count
        let d0 = distancesKm[0]
        let d = distancesKm[n - 1] - d0 // d, km
        // §5.1.6.2: v1 = Σ (d_i − d_{i−1})(h_i + h_{i−1});
        //           v2 = Σ (d_i − d_{i−1})[h_i (2d_i + d_{i−1}) + h_{i−1}(d_i + 2d_{i−1})]
        var v1 = 0.0, v2 = 0.0
        for i in 1..<n {
            let di = distancesKm[i] - d0, dp = distancesKm[i - 1] - d0
            let hi = heightsM[i], hp = heightsM[i - 1]
            v1 += (di - dp) * (hi + hp)
            v2 += (di - dp) * (hi * (2 * di + dp) + hp * (di + 2 * dp))
        }
        let hst = (2 * v1 * d - v2) / (d * d) // h_st, m amsl
        let hsr = (v2 - v1 * d) / (d * d) // h_sr, m amsl
        // §5.1.6.3: H_i = h_i − [h_ts (d − d_i) + h_rs d_i] / d; h_obs = max H_i;
        //           α_obt = max(H_i / d_i); α_obr = max(H_i / (d − d_i))
        var hobs = -Double.infinity, aobt = -Double.infinity, aobr = -Double.infinity
        for i in 1..<max(n - 1, 1) {
            let di = distancesKm[i] - d0
            let hI = heightsM[i] - (txHeightAmslM * (d - di) + rxHeightAmslM * di) / d
            hobs = max(hobs, hI)
            aobt = max(aobt, hI / di)
            aobr = max(aobr, hI / (d - di))
        }
        var hstp = hst, hsrp = hsr
        if hobs > 0 {
            let gt = aobt / (aobt + aobr), gr = aobr / (aobt + aobr) // g_t, g_r
            hstp = hst - hobs * gt
            hsrp = hsr - hobs * gr
        }
        let hstd = min(hstp, heightsM[0]) // h_std ≤ h_1 (ground at the transmitter)
        let hsrd = min(hsrp, heightsM[n - 1]) // h_srd ≤ h_n (ground at the receiver)
        return DiffractionSmoothSurface(
            txLeastSquaresHeightM: hst, rxLeastSquaresHeightM: hsr,
            obstructionHeightM: n > 2 ? hobs : 0,
            txObstructionSlope: n > 2 ? aobt : 0, rxObstructionSlope: n > 2 ? aobr : 0,
            txSurfaceHeightM: hstd, rxSurfaceHeightM: hsrd)
    }

    // MARK: - Complete delta-Bullington (§4.5.2)

    /// The scalar input checks and warnings of delta-Bullington, shared by the reference (`deltaBullington`) and
    /// the equal-spacing kernel (`deltaBullingtonLossDB(equallySpaced:…)`): frequency, antenna heights, a_p and ω
    /// throw when invalid; an unusual frequency, no intermediate point or a zero antenna height warn.
    static func checkDeltaBullingtonScalars(
        frequencyMHz: Double, pointCount n: Int, txHeightAboveGroundM: Double,
        rxHeightAboveGroundM: Double, effectiveEarthRadiusKm: Double,
        ground: Ground
    ) throws -> DeltaBullingtonWarnings {
        try ModelInputError.check(modelName, "frequency_mhz", frequencyMHz, 1e-3, 1e7, unit: "MHz")
        try ModelInputError.check(modelName, "tx_height_above_ground_m", txHeightAboveGroundM, 0, 1e5, unit: "m")
        try ModelInputError.check(modelName, "rx_height_above_ground_m", rxHeightAboveGroundM, 0, 1e5, unit: "m")
        try ModelInputError.check(modelName, "effective_earth_radius_km", effectiveEarthRadiusKm, 1, 1e9, unit: "km")
        if case let .landSeaMix(omega) = ground { try ModelInputError.check(modelName, "sea_fraction", omega, 0, 1) }
        var warnings: DeltaBullingtonWarnings = []
        if frequencyMHz < 30 || frequencyMHz > 50_000 { warnings.insert(.frequencyOutsideUsualRange) }
        if n < 3 { warnings.insert(.noIntermediatePoints) }
        if txHeightAboveGroundM == 0 || rxHeightAboveGroundM == 0 { warnings.insert(.zeroAntennaHeight) }
        return warnings
    }

    /// Delta-Bullington diffraction loss for a general profile, P.526-15 §4.5.2 / P.1812-6 §4.3.4.
    /// - Parameters:
    ///   - distancesKm: distance of each profile point from the transmitter, km (strictly increasing, ≥ 2 points).
    ///   - heightsM: terrain height of each point, m amsl (P.1812 passes terrain + representative clutter).
    ///   - txHeightAboveGroundM, rxHeightAboveGroundM: antenna heights above the ground at the ends, m (≥ 0).
    ///   - frequencyMHz: frequency, MHz (> 0; warning outside 30 MHz – 50 GHz).
    ///   - effectiveEarthRadiusKm: a_e (or a_β / a_p), km; see `effectiveEarthRadiusKm(kFactor:)` and `(deltaN:)`.
    ///   - polarization, ground: for the spherical-Earth first-term loss.
    ///   - speedOfLightMPerS: c for λ (SI by default; 3e8 reproduces the ITU validation sheet exactly).
    public static func deltaBullington(
        distancesKm: [Double], heightsM: [Double], txHeightAboveGroundM: Double,
        rxHeightAboveGroundM: Double, frequencyMHz: Double,
        effectiveEarthRadiusKm: Double, polarization: Polarization = .horizontal,
        ground: Ground = .land,
        speedOfLightMPerS c: Double = speedOfLightMPerS
    ) throws -> DeltaBullingtonResult {
        let n = distancesKm.count
        guard n >= 2, heightsM.count == n else {
            throw ModelInputError(
                model: modelName, parameter: "profile_points", value: Double(min(n, heightsM.count)),
                validRange: "≥ 2 points, distances and heights of equal count (\(n) vs \(heightsM.count))")
        }
        for i in 1..<n where !(distancesKm[i] > distancesKm[i - 1]) || !distancesKm[i].isFinite {
            throw ModelInputError(
                model: modelName, parameter: "distance_km[\(i)]", value: distancesKm[i],
                validRange: "strictly increasing, > \(distancesKm[i - 1]) km")
        }
        for (i, h) in heightsM.enumerated() where !h.isFinite {
            throw ModelInputError(model: modelName, parameter: "height_m[\(i)]", value: h, validRange: "finite")
        }
        var warnings = try checkDeltaBullingtonScalars(
            frequencyMHz: frequencyMHz, pointCount: n,
            txHeightAboveGroundM: txHeightAboveGroundM,
            rxHeightAboveGroundM: rxHeightAboveGroundM,
            effectiveEarthRadiusKm: effectiveEarthRadiusKm, ground: ground)
        if n > 2 {
            let step = distancesKm[1] - distancesKm[0]
            for i in 2..<n where abs(distancesKm[i] - distancesKm[i - 1] - step) > 1e-6 * max(step, 1e-9) + 1e-9 {
                warnings.insert(.unequalSpacing)
                break
            }
        }

        let dtot = distancesKm[n - 1] - distancesKm[0] // d, km
        let hts = heightsM[0] + txHeightAboveGroundM // h_ts, m amsl
        let hrs = heightsM[n - 1] + rxHeightAboveGroundM // h_rs, m amsl

        // Bullington for the actual profile and antenna heights: L_bulla.
        let actual = bullington(
            distancesKm: distancesKm, heightsM: heightsM, txHeightAmslM: hts, rxHeightAmslM: hrs,
            effectiveEarthRadiusKm: effectiveEarthRadiusKm, frequencyMHz: frequencyMHz,
            speedOfLightMPerS: c)
        // Modified antenna heights (P.1812-6 Eq. (37), P.452-17 Eq. (38)): h'_ts = h_ts − h_std, h'_rs = h_rs − h_srd.
        let surface = diffractionSmoothSurface(
            distancesKm: distancesKm, heightsM: heightsM,
            txHeightAmslM: hts, rxHeightAmslM: hrs)
        let htsp = hts - surface.txSurfaceHeightM // h'_ts, m
        let hrsp = hrs - surface.rxSurfaceHeightM // h'_rs, m
        // Bullington with all profile heights set to zero and the modified antenna heights: L_bulls.
        let smooth = bullington(
            distancesKm: distancesKm, heightsM: [Double](repeating: 0, count: n),
            txHeightAmslM: htsp, rxHeightAmslM: hrsp,
            effectiveEarthRadiusKm: effectiveEarthRadiusKm, frequencyMHz: frequencyMHz,
            speedOfLightMPerS: c)
        // Spherical-Earth diffraction with the modified heights: L_dsph.
        let sph = sphericalEarthDiffraction(
            distanceKm: dtot, txHeightM: htsp, rxHeightM: hrsp,
            effectiveEarthRadiusKm: effectiveEarthRadiusKm, frequencyMHz: frequencyMHz,
            polarization: polarization, ground: ground, speedOfLightMPerS: c)
        // Eq. (39): L_d = L_bulla + max(L_dsph − L_bulls, 0)
        let ld = actual.lossDB + max(sph.lossDB - smooth.lossDB, 0)
        return DeltaBullingtonResult(
            lossDB: ld, bullingtonActualDB: actual.lossDB, bullingtonSmoothDB: smooth.lossDB,
            sphericalEarthDB: sph.lossDB, modifiedTxHeightM: htsp, modifiedRxHeightM: hrsp,
            txHeightAmslM: hts, rxHeightAmslM: hrs, distanceKm: dtot,
            smoothSurface: surface, actual: actual, smooth: smooth, sphericalEarth: sph,
            warnings: warnings)
    }

    /// Same, for an equally spaced `TerrainProfile` (index 0 at the transmitter).
    public static func deltaBullington(
        profile: TerrainProfile, txHeightAboveGroundM: Double,
        rxHeightAboveGroundM: Double, frequencyMHz: Double,
        effectiveEarthRadiusKm: Double, polarization: Polarization = .horizontal,
        ground: Ground = .land,
        speedOfLightMPerS c: Double = speedOfLightMPerS
    ) throws -> DeltaBullingtonResult {
        try ModelInputError.check(modelName, "spacing_m", profile.spacingM, 1e-6, 1e9, unit: "m")
        let step = profile.spacingM / 1000
        let d = (0..<profile.elevationsM.count).map { Double($0) * step }
        return try deltaBullington(
            distancesKm: d, heightsM: profile.elevationsM,
            txHeightAboveGroundM: txHeightAboveGroundM, rxHeightAboveGroundM: rxHeightAboveGroundM,
            frequencyMHz: frequencyMHz, effectiveEarthRadiusKm: effectiveEarthRadiusKm,
            polarization: polarization, ground: ground, speedOfLightMPerS: c)
    }
}

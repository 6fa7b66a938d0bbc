// Clutter loss: Recommendation ITU-R P.2108-1 (09/2021), Annex 1 §3.
//
// Implemented:
//   §3.1 height-gain terminal correction model, Eqs. (2a)–(2g) (30 MHz – 3 GHz);
//   §3.2 statistical clutter loss model for terrestrial paths, Eqs. (3a)–(6) (0.5 – 67 GHz);
//   §3.3 statistical clutter loss model for Earth-space and aeronautical paths, Eqs. (7)–(8) (10 – 100 GHz).
// Left out: Annex 1 §2 (general clutter categories, text only) and the Annex 2 / Attachment data. The inverse
// complementary normal Q⁻¹ is computed to full double precision (ITU-R P.1057 Annex 1 defines Q), not with
// the 4.5e-4 accurate polynomial some implementations use; the difference is below 0.01 dB.
//
// Error codes are those of the NTIA/ITS reference implementation (github.com/NTIA/p2108 v1): 32–36 for §3.1,
// 48–50 for §3.2, 64–66 for §3.3. They are carried in `ModelInputError.code`.
import Foundation

public enum P2108 {
    static let modelName = "ITU-R P.2108-1"

    // MARK: - §3.1 Height-gain terminal correction model

    /// Representative clutter types of P.2108-1 §3.1 Table 3, numbered as in the NTIA reference implementation.
    public enum ClutterType: Int, Sendable, CaseIterable {
        case waterSea = 1
        case openRural = 2
        case suburban = 3
        case urban = 4
        case treesForest = 5
        case denseUrban = 6

        /// Default representative clutter height R, m (Table 3).
        public var defaultClutterHeightM: Double {
            switch self {
            case .waterSea, .openRural, .suburban: return 10
            case .urban, .treesForest: return 15
            case .denseUrban: return 20
            }
        }

        /// Which equation Table 3 prescribes: (2b) for water/sea and open/rural, (2a) otherwise.
        public var usesDiffractionEquation: Bool {
            switch self {
            case .waterSea, .openRural: return false
            default: return true
            }
        }
    }

    public struct HeightGainWarnings: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// The antenna is at or above the representative clutter height: the correction is 0 dB by definition.
        public static let antennaAboveClutter = HeightGainWarnings(rawValue: 1 << 0)
        /// R differs from the Table 3 default for the clutter type (allowed, but outside the tabulated usage).
        public static let nonDefaultClutterHeight = HeightGainWarnings(rawValue: 1 << 1)
    }

    public struct HeightGainResult: Sendable, Equatable {
        /// A_h, additional loss at the terminal, dB.
        public var lossDB: Double
        /// h_dif = R − h, m (Eq. 2d); 0 when the antenna is above the clutter.
        public var heightDifferenceM: Double
        /// θ_clut, degrees (Eq. 2e).
        public var clutterAngleDeg: Double
        /// K_h2 (Eq. 2f).
        public var kH2: Double
        /// K_ν (Eq. 2g).
        public var kNu: Double
        /// ν (Eq. 2c); nil when Eq. (2b) applies.
        public var nu: Double?
        public var warnings: HeightGainWarnings
    }

    /// Height-gain terminal correction A_h, P.2108-1 §3.1.
    /// - Parameters:
    ///   - frequencyGHz: 0.03 … 3 GHz (error 32 outside).
    ///   - antennaHeightM: antenna height above ground, > 0 m (error 33).
    ///   - streetWidthM: street width w_s, > 0 m (error 34).
    ///   - clutterHeightM: representative clutter height R, > 0 m (error 35).
    ///   - clutterType: Table 3 clutter type.
    public static func heightGainTerminalCorrection(
        frequencyGHz: Double, antennaHeightM: Double,
        streetWidthM: Double, clutterHeightM: Double,
        clutterType: ClutterType
    ) throws -> HeightGainResult {
        try ModelInputError.check(modelName + " §3.1", "frequency_ghz", frequencyGHz, 0.03, 3, unit: "GHz", code: 32)
        try checkPositive("antenna_height_m", antennaHeightM, unit: "m", code: 33)
        try checkPositive("street_width_m", streetWidthM, unit: "m", code: 34)
        try checkPositive("clutter_height_m", clutterHeightM, unit: "m", code: 35)

        var warnings: HeightGainWarnings = []
        if clutterHeightM != clutterType.defaultClutterHeightM { warnings.insert(.nonDefaultClutterHeight) }

        let f = frequencyGHz // f, GHz
        let kh2 = 21.8 + 6.2 * log10(f) // Eq. (2f)
        let knu = 0.342 * f.squareRoot() // Eq. (2g)
        guard antennaHeightM < clutterHeightM else {
            warnings.insert(.antennaAboveClutter)
            return HeightGainResult(
                lossDB: 0, heightDifferenceM: 0, clutterAngleDeg: 0, kH2: kh2, kNu: knu,
                nu: nil, warnings: warnings)
        }
        let h = antennaHeightM, r = clutterHeightM // h, R: m
        let hdif = r - h // Eq. (2d), h_dif, m
        let thetaClut = atan(hdif / streetWidthM) * 180 / Double.pi // Eq. (2e), θ_clut, degrees
        if clutterType.usesDiffractionEquation {
            let nu = knu * (hdif * thetaClut).squareRoot() // Eq. (2c)
            let ah = P526.knifeEdgeLossDB(nu: nu) - 6.03 // Eq. (2a), J(ν) of P.526-15 Eq. (31), dB
            return HeightGainResult(
                lossDB: ah, heightDifferenceM: hdif, clutterAngleDeg: thetaClut,
                kH2: kh2, kNu: knu, nu: nu, warnings: warnings)
        } else {
            let ah = -kh2 * log10(h / r) // Eq. (2b), dB
            return HeightGainResult(
                lossDB: ah, heightDifferenceM: hdif, clutterAngleDeg: thetaClut,
                kH2: kh2, kNu: knu, nu: nil, warnings: warnings)
        }
    }

    /// Same as above with the clutter type given by its NTIA integer code (1…6); another value throws code 36.
    public static func heightGainTerminalCorrection(
        frequencyGHz: Double, antennaHeightM: Double,
        streetWidthM: Double, clutterHeightM: Double,
        clutterTypeCode: Int
    ) throws -> HeightGainResult {
        try ModelInputError.check(modelName + " §3.1", "frequency_ghz", frequencyGHz, 0.03, 3, unit: "GHz", code: 32)
        try checkPositive("antenna_height_m", antennaHeightM, unit: "m", code: 33)
        try checkPositive("street_width_m", streetWidthM, unit: "m", code: 34)
        try checkPositive("clutter_height_m", clutterHeightM, unit: "m", code: 35)
        guard let type = ClutterType(rawValue: clutterTypeCode) else {
            throw ModelInputError(
                model: modelName + " §3.1", parameter: "clutter_type", value: Double(clutterTypeCode),
                validRange: "{1, 2, 3, 4, 5, 6}", code: 36)
        }
        return try heightGainTerminalCorrection(
            frequencyGHz: frequencyGHz, antennaHeightM: antennaHeightM,
            streetWidthM: streetWidthM, clutterHeightM: clutterHeightM,
            clutterType: type)
    }

    /// Q⁻¹(p), the inverse complementary cumulative normal distribution of P.2108-1 Eqs. (3a) and (7) (Q as defined
    /// in ITU-R P.1057-7 Annex 1 §3), to full double precision: `P1057.inverseComplementaryNormal`.
    static func inverseComplementaryNormal(_ p: Double) -> Double { P1057.inverseComplementaryNormal(p) }

    // MARK: - §3.2 Terrestrial statistical model

    public struct TerrestrialWarnings: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Path shorter than 1 km: applying this correction at both ends of so short a path is doubtful.
        public static let shortPathOneEndOnly = TerrestrialWarnings(rawValue: 1 << 0)
    }

    public struct TerrestrialResult: Sendable, Equatable {
        /// L_ctt, clutter loss not exceeded for p % of locations, dB (Eq. 3a, capped by Eq. 6).
        public var lossDB: Double
        /// L_l, dB (Eq. 4a).
        public var lossLDB: Double
        /// L_s, dB (Eq. 5a).
        public var lossSDB: Double
        /// σ_cb, dB (Eq. 3b).
        public var sigmaCBDB: Double
        /// L_ctt evaluated at d = 2 km, the cap of Eq. (6), dB.
        public var lossAt2kmDB: Double
        public var warnings: TerrestrialWarnings
    }

    /// Clutter loss at one end of a terrestrial path, P.2108-1 §3.2.
    /// - Parameters:
    ///   - frequencyGHz: 0.5 … 67 GHz (error 48).
    ///   - distanceKm: path length, ≥ 0.25 km (error 49).
    ///   - locationPercent: p, 0 < p < 100 (error 50).
    public static func terrestrialClutterLoss(
        frequencyGHz: Double, distanceKm: Double,
        locationPercent: Double
    ) throws -> TerrestrialResult {
        let model = modelName + " §3.2"
        try ModelInputError.check(model, "frequency_ghz", frequencyGHz, 0.5, 67, unit: "GHz", code: 48)
        guard distanceKm >= 0.25, distanceKm.isFinite else {
            throw ModelInputError(
                model: model, parameter: "distance_km", value: distanceKm,
                validRange: "[0.25, ∞) km", code: 49)
        }
        try checkOpenPercent(model, locationPercent, code: 50)

        let atD = terrestrialHelper(frequencyGHz: frequencyGHz, distanceKm: distanceKm, locationPercent: locationPercent)
        let at2km = terrestrialHelper(frequencyGHz: frequencyGHz, distanceKm: 2, locationPercent: locationPercent)
        // Eq. (6): the clutter loss must not exceed its value at d = 2 km.
        var result = atD
        result.lossAt2kmDB = at2km.lossDB
        result.lossDB = min(atD.lossDB, at2km.lossDB)
        result.warnings = distanceKm < 1 ? [.shortPathOneEndOnly] : []
        return result
    }

    /// Eqs. (3a)–(5b) at one distance, without the Eq. (6) cap.
    private static func terrestrialHelper(
        frequencyGHz: Double, distanceKm: Double,
        locationPercent: Double
    ) -> TerrestrialResult {
        let f = frequencyGHz, d = distanceKm, p = locationPercent // GHz, km, %
        let sigmaL = 4.0, sigmaS = 6.0 // σ_l, σ_s, dB (Eqs. 4b, 5b)
        let ll = -2 * log10(pow(10, -5 * log10(f) - 12.5) + pow(10, -16.5)) // Eq. (4a), L_l, dB
        let ls = 32.98 + 23.9 * log10(d) + 3 * log10(f) // Eq. (5a), L_s, dB
        let wl = pow(10, -0.2 * ll), ws = pow(10, -0.2 * ls)
        let sigmaCB = ((sigmaL * sigmaL * wl + sigmaS * sigmaS * ws) / (wl + ws)).squareRoot() // Eq. (3b), σ_cb, dB
        let lctt = -5 * log10(wl + ws) - sigmaCB * inverseComplementaryNormal(p / 100) // Eq. (3a), L_ctt, dB
        return TerrestrialResult(
            lossDB: lctt, lossLDB: ll, lossSDB: ls, sigmaCBDB: sigmaCB, lossAt2kmDB: lctt,
            warnings: [])
    }

    // MARK: - §3.3 Aeronautical statistical model

    public struct AeronauticalResult: Sendable, Equatable {
        /// L_ces, clutter loss not exceeded for p % of locations, dB (Eq. 7).
        public var lossDB: Double
        /// K_1 (Eq. 8).
        public var k1: Double
        /// A_1 (Eq. 7).
        public var a1: Double
    }

    /// Earth-space / aeronautical clutter loss, P.2108-1 §3.3.
    /// - Parameters:
    ///   - frequencyGHz: 10 … 100 GHz (error 64).
    ///   - elevationAngleDeg: θ, 0 … 90° (error 65).
    ///   - locationPercent: p, 0 < p < 100 (error 66).
    public static func aeronauticalClutterLoss(
        frequencyGHz: Double, elevationAngleDeg: Double,
        locationPercent: Double
    ) throws -> AeronauticalResult {
        let model = modelName + " §3.3"
        try ModelInputError.check(model, "frequency_ghz", frequencyGHz, 10, 100, unit: "GHz", code: 64)
        try ModelInputError.check(model, "elevation_angle_deg", elevationAngleDeg, 0, 90, unit: "°", code: 65)
        try checkOpenPercent(model, locationPercent, code: 66)

        let f = frequencyGHz, theta = elevationAngleDeg, p = locationPercent // GHz, degrees, %
        let a1 = 0.05 // A_1 (Eq. 7)
        let k1 = 93 * pow(f, 0.175) // Eq. (8), K_1
        let cotArg = a1 * (1 - theta / 90) + Double.pi * theta / 180 // radians
        let base = -k1 * log(1 - p / 100) / tan(cotArg) // −K_1 ln(1 − p/100) cot(...)
        let lces = pow(base, 0.5 * (90 - theta) / 90) - 1 - 0.6 * inverseComplementaryNormal(p / 100) // Eq. (7), L_ces, dB
        return AeronauticalResult(lossDB: lces, k1: k1, a1: a1)
    }

    // MARK: - helpers

    private static func checkPositive(_ parameter: String, _ value: Double, unit: String, code: Int) throws {
        guard value > 0, value.isFinite else {
            throw ModelInputError(
                model: modelName + " §3.1", parameter: parameter, value: value,
                validRange: "(0, ∞) \(unit)", code: code)
        }
    }

    private static func checkOpenPercent(_ model: String, _ value: Double, code: Int) throws {
        guard value > 0, value < 100 else {
            throw ModelInputError(
                model: model, parameter: "location_percent", value: value,
                validRange: "(0, 100) %", code: code)
        }
    }
}

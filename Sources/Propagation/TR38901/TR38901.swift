// 3GPP TR 38.901 V17.0.0 (2022-03) / V18.0.0 (2024-03), §7.4.1, Table 7.4.1-1: path loss for RMa, UMa and
// UMi-Street Canyon, LOS and NLOS. (The formulas of these three scenarios are identical in V16–V18.)
//
// Implemented: the LOS two-segment formulas with the breakpoint distance (Notes 1 and 5), the NLOS formulas
// as PL = max(PL_LOS, PL'_NLOS), the optional NLOS formulas of UMa and UMi, the shadow-fading standard
// deviations of the table, and the distance/height applicability ranges as warnings.
// Effective environment height h_E (Note 1): UMi uses h_E = 1 m, as the table says. For UMa the table draws
// h_E at random (h_E = 1 m with probability 1/(1 + C(d2D, h_UT)), otherwise from {12, 15, …, h_UT − 1.5});
// this implementation is deterministic and always uses h_E = 1 m, which is also the value the table gives
// for every h_UT < 13 m (C = 0). Callers who need the stochastic choice pass `umaEffectiveEnvironmentHeightM`.
// Left out: InH, InF and the O2I penetration / car losses (§7.4.3), the LOS probability (§7.4.2), the
// shadow-fading draw itself (only σ_SF is reported), and the ground-reflection model (§7.6.8).
//
// Hard errors: frequency outside 0.5–100 GHz (the frequency scope of TR 38.901, Note 2), non-positive or
// non-finite distances and heights, UT heights at or below h_E (the breakpoint distance would not be
// positive), RMa building height or street width ≤ 0 (their logarithms are taken).
// Warnings: everything outside the table's applicability columns (d2D, h_BS, h_UT, h, W, RMa fc ≤ 30 GHz).
import Foundation

public enum TR38901 {
    static let modelName = "3GPP TR 38.901 Table 7.4.1-1"
    /// Speed of light as the table's notes take it, m/s (Notes 1 and 5: c = 3.0 × 10⁸ m/s).
    public static let speedOfLightMPerS = 3.0e8

    public enum Scenario: Sendable, Equatable {
        /// Rural macro; average building height h (5–50 m, default 5) and street width W (5–50 m, default 20).
        case ruralMacro(averageBuildingHeightM: Double = 5, streetWidthM: Double = 20)
        /// Urban macro (h_BS nominally 25 m).
        case urbanMacro
        /// Urban micro, street canyon (h_BS nominally 10 m).
        case urbanMicroStreetCanyon
    }

    public enum Condition: Sendable, Equatable {
        case lineOfSight
        case nonLineOfSight
        /// The table's "optional" NLOS formula (UMa and UMi only).
        case nonLineOfSightOptional
    }

    public struct Warnings: NamedWarnings, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// d2D < 10 m, or beyond the table's upper limit (10 km RMa LOS, 5 km otherwise).
        public static let distanceOutOfRange = Warnings(rawValue: 1 << 0)
        /// h_BS outside 10–150 m (RMa) or different from the nominal 25 m (UMa) / 10 m (UMi).
        public static let baseStationHeightOutOfRange = Warnings(rawValue: 1 << 1)
        /// h_UT outside 1–10 m (RMa) or 1.5–22.5 m (UMa, UMi).
        public static let userTerminalHeightOutOfRange = Warnings(rawValue: 1 << 2)
        /// RMa average building height outside 5–50 m.
        public static let buildingHeightOutOfRange = Warnings(rawValue: 1 << 3)
        /// RMa street width outside 5–50 m.
        public static let streetWidthOutOfRange = Warnings(rawValue: 1 << 4)
        /// RMa above 30 GHz (Note 2: RMa is applicable for 0.5 < fc < 30 GHz).
        public static let frequencyOutOfRange = Warnings(rawValue: 1 << 5)

        public static let named: [(flag: Warnings, name: String)] = [
            (.distanceOutOfRange, "distance_out_of_range"), (.baseStationHeightOutOfRange, "base_station_height_out_of_range"),
            (.userTerminalHeightOutOfRange, "user_terminal_height_out_of_range"),
            (.buildingHeightOutOfRange, "building_height_out_of_range"), (.streetWidthOutOfRange, "street_width_out_of_range"),
            (.frequencyOutOfRange, "frequency_out_of_range")
        ]
    }

    public struct Result: Sendable, Equatable {
        /// Path loss PL, dB.
        public var lossDB: Double
        /// PL_LOS at this geometry, dB (also computed for NLOS, whose formula takes the max with it).
        public var lineOfSightLossDB: Double
        /// PL'_NLOS, dB; nil for LOS.
        public var nonLineOfSightPrimeLossDB: Double?
        /// d_BP (RMa, Note 5) or d'_BP (UMa/UMi, Note 1), m.
        public var breakpointDistanceM: Double
        /// d3D, m.
        public var distance3DM: Double
        /// True when the LOS formula used its second segment (PL2), i.e. d2D > breakpoint.
        public var beyondBreakpoint: Bool
        /// h_E used for the effective heights, m (0 for RMa, whose breakpoint uses actual heights).
        public var effectiveEnvironmentHeightM: Double
        /// Shadow-fading standard deviation σ_SF of the formula that gave `lossDB`, dB.
        public var shadowFadingStdDB: Double
        public var warnings: Warnings
    }

    /// Path loss from TR 38.901 Table 7.4.1-1.
    /// - Parameters:
    ///   - frequencyGHz: centre frequency f_c, GHz (0.5–100).
    ///   - distance2DM: horizontal BS–UT distance d2D, m (> 0).
    ///   - baseStationHeightM: h_BS, m.
    ///   - userTerminalHeightM: h_UT, m.
    ///   - umaEffectiveEnvironmentHeightM: h_E for UMa, m (default 1 m, see the file header). Ignored otherwise.
    public static func pathLoss(
        scenario: Scenario, condition: Condition, frequencyGHz: Double,
        distance2DM: Double, baseStationHeightM: Double, userTerminalHeightM: Double,
        umaEffectiveEnvironmentHeightM: Double = 1.0
    ) throws -> Result {
        try ModelInputError.check(modelName, "frequency_ghz", frequencyGHz, 0.5, 100, unit: "GHz")
        try positive("distance_2d_m", distance2DM, unit: "m")
        try positive("base_station_height_m", baseStationHeightM, unit: "m")
        try positive("user_terminal_height_m", userTerminalHeightM, unit: "m")

        switch scenario {
        case let .ruralMacro(h, w):
            guard condition != .nonLineOfSightOptional else {
                throw ModelInputError(
                    model: modelName, parameter: "condition", value: 2,
                    validRange: "LOS or NLOS (RMa has no optional NLOS formula)")
            }
            try positive("average_building_height_m", h, unit: "m")
            try positive("street_width_m", w, unit: "m")
            return rma(
                condition: condition, fc: frequencyGHz, d2D: distance2DM, hBS: baseStationHeightM,
                hUT: userTerminalHeightM, h: h, w: w)
        case .urbanMacro:
            try ModelInputError.check(
                modelName, "uma_effective_environment_height_m", umaEffectiveEnvironmentHeightM,
                0, userTerminalHeightM - 1e-9, unit: "m")
            try aboveEnvironment(userTerminalHeightM, baseStationHeightM, hE: umaEffectiveEnvironmentHeightM)
            return urban(
                micro: false, condition: condition, fc: frequencyGHz, d2D: distance2DM,
                hBS: baseStationHeightM, hUT: userTerminalHeightM, hE: umaEffectiveEnvironmentHeightM)
        case .urbanMicroStreetCanyon:
            try aboveEnvironment(userTerminalHeightM, baseStationHeightM, hE: 1.0)
            return urban(
                micro: true, condition: condition, fc: frequencyGHz, d2D: distance2DM,
                hBS: baseStationHeightM, hUT: userTerminalHeightM, hE: 1.0)
        }
    }

    /// Breakpoint distance d'_BP = 4 h'_BS h'_UT f_c / c (Note 1), m; heights already effective.
    public static func effectiveBreakpointDistanceM(
        effectiveBaseStationHeightM: Double,
        effectiveUserTerminalHeightM: Double,
        frequencyGHz: Double
    ) -> Double {
        4 * effectiveBaseStationHeightM * effectiveUserTerminalHeightM * frequencyGHz * 1e9 / speedOfLightMPerS
    }

    /// RMa breakpoint distance d_BP = 2π h_BS h_UT f_c / c (Note 5), m.
    public static func ruralBreakpointDistanceM(
        baseStationHeightM: Double, userTerminalHeightM: Double,
        frequencyGHz: Double
    ) -> Double {
        2 * Double.pi * baseStationHeightM * userTerminalHeightM * frequencyGHz * 1e9 / speedOfLightMPerS
    }

    // MARK: - RMa

    private static func rma(
        condition: Condition, fc: Double, d2D: Double, hBS: Double, hUT: Double,
        h: Double, w: Double
    ) -> Result {
        var warnings: Warnings = []
        if fc > 30 { warnings.insert(.frequencyOutOfRange) }
        if !(10...150).contains(hBS) { warnings.insert(.baseStationHeightOutOfRange) }
        if !(1...10).contains(hUT) { warnings.insert(.userTerminalHeightOutOfRange) }
        if !(5...50).contains(h) { warnings.insert(.buildingHeightOutOfRange) }
        if !(5...50).contains(w) { warnings.insert(.streetWidthOutOfRange) }

        // fc in GHz, distances and heights in m (Note 6).
        let dBP = ruralBreakpointDistanceM(baseStationHeightM: hBS, userTerminalHeightM: hUT, frequencyGHz: fc) // Note 5, m
        let dz = hBS - hUT
        let d3D = (d2D * d2D + dz * dz).squareRoot() // m
        // PL1 of RMa LOS, dB, as a function of a 3D distance (m).
        func pl1(_ d: Double) -> Double {
            20 * log10(40 * Double.pi * d * fc / 3) + min(0.03 * pow(h, 1.72), 10) * log10(d)
                - min(0.044 * pow(h, 1.72), 14.77) + 0.002 * log10(h) * d
        }
        let beyond = d2D > dBP
        let los: Double
        if beyond {
            // PL2 = PL1(d_BP) + 40 log10(d3D / d_BP); Table 7.4.1-1, RMa LOS, dBP ≤ d2D ≤ 10 km.
            los = pl1(dBP) + 40 * log10(d3D / dBP)
        } else {
            los = pl1(d3D) // RMa LOS PL1, 10 m ≤ d2D ≤ d_BP
        }
        switch condition {
        case .lineOfSight:
            if d2D < 10 || d2D > 10_000 { warnings.insert(.distanceOutOfRange) }
            return Result(
                lossDB: los, lineOfSightLossDB: los, nonLineOfSightPrimeLossDB: nil, breakpointDistanceM: dBP,
                distance3DM: d3D, beyondBreakpoint: beyond, effectiveEnvironmentHeightM: 0,
                shadowFadingStdDB: beyond ? 6 : 4, warnings: warnings)
        case .nonLineOfSight, .nonLineOfSightOptional:
            if d2D < 10 || d2D > 5_000 { warnings.insert(.distanceOutOfRange) }
            // RMa NLOS PL'_NLOS, 10 m ≤ d2D ≤ 5 km, dB.
            let a = 11.75 * hUT
            let nlosPrime =
                161.04 - 7.1 * log10(w) + 7.5 * log10(h)
                - (24.37 - 3.7 * (h / hBS) * (h / hBS)) * log10(hBS)
                + (43.42 - 3.1 * log10(hBS)) * (log10(d3D) - 3)
                + 20 * log10(fc) - (3.2 * pow(log10(a), 2) - 4.97)
            let pl = max(los, nlosPrime) // PL_RMa-NLOS = max(PL_RMa-LOS, PL'_RMa-NLOS)
            return Result(
                lossDB: pl, lineOfSightLossDB: los, nonLineOfSightPrimeLossDB: nlosPrime,
                breakpointDistanceM: dBP, distance3DM: d3D, beyondBreakpoint: beyond,
                effectiveEnvironmentHeightM: 0, shadowFadingStdDB: 8, warnings: warnings)
        }
    }

    // MARK: - UMa and UMi-Street Canyon

    private static func urban(
        micro: Bool, condition: Condition, fc: Double, d2D: Double, hBS: Double,
        hUT: Double, hE: Double
    ) -> Result {
        var warnings: Warnings = []
        if hBS != (micro ? 10 : 25) { warnings.insert(.baseStationHeightOutOfRange) }
        if !(1.5...22.5).contains(hUT) { warnings.insert(.userTerminalHeightOutOfRange) }
        if d2D < 10 || d2D > 5_000 { warnings.insert(.distanceOutOfRange) }

        // fc in GHz, distances and heights in m (Note 6).
        let dBPp = effectiveBreakpointDistanceM(
            effectiveBaseStationHeightM: hBS - hE,
            effectiveUserTerminalHeightM: hUT - hE, frequencyGHz: fc) // Note 1, d'_BP, m
        let dz = hBS - hUT
        let d3D = (d2D * d2D + dz * dz).squareRoot() // m
        let beyond = d2D > dBPp
        let los: Double
        if micro {
            if beyond {
                // UMi LOS PL2 = 32.4 + 40 log10(d3D) + 20 log10(fc) − 9.5 log10((d'BP)² + (hBS − hUT)²)
                los = 32.4 + 40 * log10(d3D) + 20 * log10(fc) - 9.5 * log10(dBPp * dBPp + dz * dz)
            } else {
                // UMi LOS PL1 = 32.4 + 21 log10(d3D) + 20 log10(fc)
                los = 32.4 + 21 * log10(d3D) + 20 * log10(fc)
            }
        } else {
            if beyond {
                // UMa LOS PL2 = 28.0 + 40 log10(d3D) + 20 log10(fc) − 9 log10((d'BP)² + (hBS − hUT)²)
                los = 28.0 + 40 * log10(d3D) + 20 * log10(fc) - 9 * log10(dBPp * dBPp + dz * dz)
            } else {
                // UMa LOS PL1 = 28.0 + 22 log10(d3D) + 20 log10(fc)
                los = 28.0 + 22 * log10(d3D) + 20 * log10(fc)
            }
        }
        switch condition {
        case .lineOfSight:
            return Result(
                lossDB: los, lineOfSightLossDB: los, nonLineOfSightPrimeLossDB: nil, breakpointDistanceM: dBPp,
                distance3DM: d3D, beyondBreakpoint: beyond, effectiveEnvironmentHeightM: hE,
                shadowFadingStdDB: 4, warnings: warnings)
        case .nonLineOfSight:
            let nlosPrime: Double
            if micro {
                // UMi NLOS PL'_UMi-NLOS = 35.3 log10(d3D) + 22.4 + 21.3 log10(fc) − 0.3 (hUT − 1.5)
                nlosPrime = 35.3 * log10(d3D) + 22.4 + 21.3 * log10(fc) - 0.3 * (hUT - 1.5)
            } else {
                // UMa NLOS PL'_UMa-NLOS = 13.54 + 39.08 log10(d3D) + 20 log10(fc) − 0.6 (hUT − 1.5)
                nlosPrime = 13.54 + 39.08 * log10(d3D) + 20 * log10(fc) - 0.6 * (hUT - 1.5)
            }
            let pl = max(los, nlosPrime) // PL_NLOS = max(PL_LOS, PL'_NLOS)
            return Result(
                lossDB: pl, lineOfSightLossDB: los, nonLineOfSightPrimeLossDB: nlosPrime,
                breakpointDistanceM: dBPp, distance3DM: d3D, beyondBreakpoint: beyond,
                effectiveEnvironmentHeightM: hE, shadowFadingStdDB: micro ? 7.82 : 6, warnings: warnings)
        case .nonLineOfSightOptional:
            let pl: Double
            if micro {
                // UMi NLOS optional: PL = 32.4 + 20 log10(fc) + 31.9 log10(d3D), σ_SF = 8.2
                pl = 32.4 + 20 * log10(fc) + 31.9 * log10(d3D)
            } else {
                // UMa NLOS optional: PL = 32.4 + 20 log10(fc) + 30 log10(d3D), σ_SF = 7.8
                pl = 32.4 + 20 * log10(fc) + 30 * log10(d3D)
            }
            return Result(
                lossDB: pl, lineOfSightLossDB: los, nonLineOfSightPrimeLossDB: pl,
                breakpointDistanceM: dBPp, distance3DM: d3D, beyondBreakpoint: beyond,
                effectiveEnvironmentHeightM: hE, shadowFadingStdDB: micro ? 8.2 : 7.8, warnings: warnings)
        }
    }

    // MARK: - checks

    private static func positive(_ parameter: String, _ value: Double, unit: String) throws {
        guard value > 0, value.isFinite else {
            throw ModelInputError(model: modelName, parameter: parameter, value: value, validRange: "(0, ∞) \(unit)")
        }
    }

    /// h'_UT = h_UT − h_E and h'_BS = h_BS − h_E must be positive for d'_BP (Note 1) to mean anything.
    private static func aboveEnvironment(_ hUT: Double, _ hBS: Double, hE: Double) throws {
        guard hUT > hE else {
            throw ModelInputError(
                model: modelName, parameter: "user_terminal_height_m", value: hUT,
                validRange: "(\(ModelInputError.fmt(hE)), ∞) m (above h_E)")
        }
        guard hBS > hE else {
            throw ModelInputError(
                model: modelName, parameter: "base_station_height_m", value: hBS,
                validRange: "(\(ModelInputError.fmt(hE)), ∞) m (above h_E)")
        }
    }
}

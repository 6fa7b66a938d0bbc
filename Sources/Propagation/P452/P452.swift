// ITU-R P.452-18 (10/2023): prediction procedure for the evaluation of interference between stations on the
// surface of the Earth at frequencies above about 0.1 GHz — the clear-air part (Annex 1 §4), 0.1–50 GHz,
// 0.001–50 % of an average year. Public interface: input, result, warnings, `basicTransmissionLoss`.
//
// Implemented: line of sight with multipath/focusing corrections (§4.1), delta-Bullington diffraction with the
// time-percentage interpolation between a_e and a_β (§4.2: Bullington parts by `P526.bullington` with P.452's
// λ = 0.2998/f m; the spherical-Earth part §4.2.2 with P.452's rounded constants 0.036, 21.88, 0.9575 and the
// land/sea ω mix, because `P526` uses the exact forms, 0.15–0.45 dB apart on a 1 000 km path; h_std, h_srd
// from the terrain while Bullington runs on g), troposcatter (§4.3), ducting/layer reflection (§4.4), the overall
// prediction (§4.5–§4.6),
// gaseous attenuation (P.676-11 Annex 1 line by line, see P452Gaseous.swift), the path-profile analysis of
// Attachment 2 and the radio-meteorological parameters β0, a_e, a_β (§3; see P452Profile.swift).
// Shared with P.1812 and written once in Common/ClearAirChain/: β0, the path centre, a_e and a_β, the spherical-Earth
// loss and the delta-Bullington composition (§4.2.2–§4.2.3), and the ducting/layer-reflection loss A_f + A_d(p)
// (§4.4; P.452 adds A_g). P.452's own: c = 2.998e8 m/s for the Bullington parts, gases, troposcatter, F_j on
// S_tim − S_tr, the zone codes and the Attachment 2 profile analysis.
// Clutter: as in P.452-18 (and its SG3 reference implementation) the profile used for diffraction is
// g_i = h_i + R_i with the representative clutter height R_i of each point, except within 50 m of either terminal;
// all other profile analysis uses the terrain heights h_i. As an option, the terminal height-gain clutter model of
// P.452-17 §4.5 (Eqs. (57)–(57a), with the profile shortened by d_k at each end) can be applied instead; P.452-18
// no longer contains it, so it is off by default and warns if combined with R_i (clutter counted twice).
//
// Equation numbers: those of P.452-17 (07/2021) as cited by the ITU-R SG3 reference implementation of -18 (its
// §4.6 "overall prediction", Eqs. (58)–(64), is §4.5 in -18, whose TOC drops the -17 §4.5 clutter section). The text
// of P.452-18 itself was not at hand to confirm its numbering: section numbers (P.452-18 unless marked -17) are the
// firm reference.
// Left out: the hydrometeor-scatter method (§5), the ITU digital maps of ΔN and N0 (not redistributable: inputs,
// read at the path centre), the maps of coast distances (inputs d_ct, d_cr), worst-month conversion (P.841),
// antenna gain patterns (G_t, G_r towards the horizon are inputs).
import Foundation

/// ITU-R P.452-18 clear-air interference prediction. Pure functions; all types are `Sendable`.
public enum P452 {
    public static let modelName = "ITU-R P.452-18"

    public typealias Polarization = P526.Polarization

    /// Radio-climatic zone of a profile point (§3.2.1, Table 3). Raw values are the codes of the SG3 profiles.
    public enum Zone: Int, Sendable, Hashable, CaseIterable {
        /// A1: coastal land and shore areas.
        case coastalLand = 1
        /// A2: all land other than coastal land.
        case inland = 2
        /// B: seas, oceans and other large bodies of water.
        case sea = 3
    }

    public enum PathType: Int, Sendable, Hashable {
        case lineOfSight = 1
        case transHorizon = 2
    }

    /// Terminal clutter for the optional height-gain model of P.452-17 §4.5 (not part of P.452-18).
    public struct TerminalClutter: Sendable, Hashable {
        /// h_a, nominal clutter height above ground, m (P.452-17 Table 4).
        public var nominalHeightM: Double
        /// d_k, distance from the nominal clutter point to the antenna, km (P.452-17 Table 4).
        public var nominalDistanceKm: Double
        public init(nominalHeightM: Double, nominalDistanceKm: Double) {
            self.nominalHeightM = nominalHeightM
            self.nominalDistanceKm = nominalDistanceKm
        }
    }

    public struct Input: Sendable {
        /// Distance of each profile point from the transmitter, km (first 0, strictly increasing, ≥ 4 points).
        public var distancesKm: [Double]
        /// Terrain height of each point, m amsl.
        public var heightsM: [Double]
        /// Representative clutter height R_i of each point above the terrain, m (nil: none). g_i = h_i + R_i.
        public var clutterHeightsM: [Double]?
        /// Radio-climatic zone of each point.
        public var zones: [Zone]
        /// f, GHz, 0.1–50.
        public var frequencyGHz: Double
        /// p, % of an average year for which the loss is not exceeded, 0.001–50.
        public var timePercent: Double
        /// h_tg, h_rg: antenna centre heights above ground, m.
        public var txHeightM: Double
        public var rxHeightM: Double
        /// Terminal coordinates, degrees (for the path-centre latitude of β0).
        public var txLatitudeDeg: Double
        public var txLongitudeDeg: Double
        public var rxLatitudeDeg: Double
        public var rxLongitudeDeg: Double
        /// G_t, G_r: antenna gains towards the horizon along the path, dBi (troposcatter coupling, Eq. (45b)).
        public var txGainDBi: Double
        public var rxGainDBi: Double
        public var polarization: Polarization
        /// ΔN, average radio-refractive index lapse rate through the lowest 1 km, N-units/km (path centre, maps).
        public var deltaN: Double
        /// N0, sea-level surface refractivity, N-units (path centre, maps).
        public var n0: Double
        /// d_ct, d_cr: distance over land from each antenna to the coast along the path, km (0 on a ship or sea
        /// platform); nil = far from the coast (no over-sea duct coupling correction, Eq. (49)).
        public var txCoastDistanceKm: Double?
        public var rxCoastDistanceKm: Double?
        /// Dry-air pressure, hPa, and air temperature, °C, for the gaseous attenuation.
        public var pressureHPa: Double
        public var temperatureC: Double
        /// ρ, water-vapour density for L_bfsg and L_ba, g/m³; nil = 7.5 + 2.5 ω (Eq. (9a)). Troposcatter uses 3 g/m³.
        public var waterVapourDensityGPerM3: Double?
        /// Optional terminal clutter (P.452-17 §4.5 height-gain model); nil = none (P.452-18).
        public var txClutter: TerminalClutter?
        public var rxClutter: TerminalClutter?

        public init(
            distancesKm: [Double], heightsM: [Double], clutterHeightsM: [Double]? = nil, zones: [Zone],
            frequencyGHz: Double, timePercent: Double, txHeightM: Double, rxHeightM: Double,
            txLatitudeDeg: Double, txLongitudeDeg: Double, rxLatitudeDeg: Double, rxLongitudeDeg: Double,
            txGainDBi: Double = 0, rxGainDBi: Double = 0, polarization: Polarization = .horizontal,
            deltaN: Double, n0: Double, txCoastDistanceKm: Double? = nil, rxCoastDistanceKm: Double? = nil,
            pressureHPa: Double = 1013.25, temperatureC: Double = 15, waterVapourDensityGPerM3: Double? = nil,
            txClutter: TerminalClutter? = nil, rxClutter: TerminalClutter? = nil
        ) {
            self.distancesKm = distancesKm
            self.heightsM = heightsM
            self.clutterHeightsM = clutterHeightsM
            self.zones = zones
            self.frequencyGHz = frequencyGHz
            self.timePercent = timePercent
            self.txHeightM = txHeightM
            self.rxHeightM = rxHeightM
            self.txLatitudeDeg = txLatitudeDeg
            self.txLongitudeDeg = txLongitudeDeg
            self.rxLatitudeDeg = rxLatitudeDeg
            self.rxLongitudeDeg = rxLongitudeDeg
            self.txGainDBi = txGainDBi
            self.rxGainDBi = rxGainDBi
            self.polarization = polarization
            self.deltaN = deltaN
            self.n0 = n0
            self.txCoastDistanceKm = txCoastDistanceKm
            self.rxCoastDistanceKm = rxCoastDistanceKm
            self.pressureHPa = pressureHPa
            self.temperatureC = temperatureC
            self.waterVapourDensityGPerM3 = waterVapourDensityGPerM3
            self.txClutter = txClutter
            self.rxClutter = rxClutter
        }
    }

    public struct Warnings: NamedWarnings, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// An antenna at 0 m above ground.
        public static let zeroAntennaHeight = Warnings(rawValue: 1 << 0)
        /// ΔN outside 20–120 N-units/km or N0 outside 250–420 N-units (beyond the P.452 maps).
        public static let unusualRefractivity = Warnings(rawValue: 1 << 1)
        /// Path longer than 10 000 km.
        public static let longPath = Warnings(rawValue: 1 << 2)
        /// Sea on the path but no coast distances given: the duct coupling correction (Eq. (49)) was not applied.
        public static let coastDistancesAssumedFar = Warnings(rawValue: 1 << 3)
        /// Both representative clutter heights R_i and the P.452-17 terminal clutter model were given.
        public static let clutterCountedTwice = Warnings(rawValue: 1 << 4)
        /// G_t + G_r outside 0–100 dBi: the troposcatter coupling loss (Eq. (45b)) is extrapolated.
        public static let unusualAntennaGains = Warnings(rawValue: 1 << 5)

        public static let named: [(flag: Warnings, name: String)] = [
            (.zeroAntennaHeight, "zero_antenna_height"), (.unusualRefractivity, "unusual_refractivity"),
            (.longPath, "long_path"), (.coastDistancesAssumedFar, "coast_distances_assumed_far"),
            (.clutterCountedTwice, "clutter_counted_twice"), (.unusualAntennaGains, "unusual_antenna_gains")
        ]
    }

    /// Losses of each mechanism and the blending terms, dB unless stated.
    public struct Components: Sendable, Equatable {
        /// L_bfsg: free space (3-D distance) + gases, Eq. (8).
        public var freeSpaceAndGasesDB: Double
        /// A_g of L_bfsg, Eq. (9).
        public var gaseousAttenuationDB: Double
        /// L_b0p, L_b0β: line of sight with multipath/focusing for p % and β0 %, Eqs. (11)–(12).
        public var lineOfSightDB: Double
        public var lineOfSightBeta0DB: Double
        /// L_d50, L_dβ, L_dp: diffraction loss for a_e, a_β and p %, Eqs. (40)–(42).
        public var diffractionMedianDB: Double
        public var diffractionBetaDB: Double
        public var diffractionDB: Double
        /// L_dsph, L_bulla, L_bulls for a_e (the parts of L_d50), §4.2.1–§4.2.3.
        public var sphericalEarthMedianDB: Double
        public var bullingtonActualMedianDB: Double
        public var bullingtonSmoothMedianDB: Double
        /// F_i, Eq. (41a) as used in Eq. (42).
        public var diffractionInterpolation: Double
        /// L_bd50, L_bd, Eqs. (43)–(44).
        public var diffractionBasicMedianDB: Double
        public var diffractionBasicDB: Double
        /// L_bs, troposcatter, Eq. (45).
        public var troposcatterDB: Double
        /// L_ba, ducting/layer reflection, Eq. (46).
        public var ductingDB: Double
        /// L_minb0p, L_minbap, L_bda, L_bam, Eqs. (60)–(63); F_j, F_k, Eqs. (58)–(59).
        public var minimumLineOfSightDB: Double
        public var minimumDuctingDB: Double
        public var diffractionDuctingDB: Double
        public var modifiedDB: Double
        public var fj: Double
        public var fk: Double
        /// A_ht, A_hr: terminal clutter losses of the optional P.452-17 height-gain model (0 when not used).
        public var txClutterLossDB: Double
        public var rxClutterLossDB: Double
    }

    public struct Result: Sendable, Equatable {
        /// L_b, basic transmission loss not exceeded for p % of time, dB, Eq. (64).
        public var lossDB: Double
        public var pathType: PathType
        public var components: Components
        public var path: PathParameters
        /// γ_o + γ_w used for L_bfsg and L_ba, dB/km, and ρ used, g/m³.
        public var gaseousSpecificAttenuationDBPerKm: Double
        public var waterVapourDensityGPerM3: Double
        public var warnings: Warnings
    }
}

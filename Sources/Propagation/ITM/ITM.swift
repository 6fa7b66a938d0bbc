// NTIA/ITS Irregular Terrain Model (Longley-Rice), public interface.
//
// Implements ITM version 1.2.2 as specified in G. A. Hufford, "The ITS Irregular Terrain Model, version 1.2.2:
// the Algorithm" (NTIA/ITS), which builds on A. G. Longley and P. L. Rice, "Prediction of tropospheric radio
// transmission loss over irregular terrain: a computer method", ESSA Tech. Rep. ERL 79-ITS 67 (1968), and on
// Hufford's 1985 memo (the 1.2.1 → 1.2.2 changes). Citations in this folder name the section of the Algorithm
// and the routine it defines there (QLRPS, QLRPFL, QLRA, HZNS, Z1SQ1, D1THX, QTILE, LRPROP, ALOS, ADIFF, ASCAT,
// AVAR, QERFI, ...), since the Algorithm describes the model routine by routine; ERL 79-ITS 67 equation numbers
// are given where the Algorithm takes a formula from it.
//
// Where the 1.2.2 FORTRAN rounded a constant (π, 10/ln 10, Z_0, X_ae, ...), the formulas are evaluated as NTIA's
// reference release (C++ ITM 1.2.2, github.com/NTIA/itm) evaluates them, and the results agree with that release
// on the 2,350 real-terrain paths of Tests/Fixtures/itm/differential (see ITMReference.swift).
//
// Error codes and warning bits follow NTIA's reference release (ITM 1.3/1.4, "ERRORS_AND_WARNINGS.md"), whose
// numbers are reproduced in `ITM.ErrorCode` and `ITM.Warnings`.
//
// Implemented: point-to-point mode (terrain profile) and area mode (Δh, siting criteria), with variability given
// either as time/location/situation percentages or as confidence/reliability, for every mode of variability
// (mdvar 0–3, +10 "no location variability", +20 "no direct situation variability").
// Left out: the "mdvar < 0 keeps the previous mode" state machine of the FORTRAN (every call here is complete
// and stateless); the Hufford-1985 "area mode with several distances in one call" optimisation (call `area`
// once per distance: each call is ~1 µs); ITWOM or any later ITS modification of the model.
import Foundation

public enum ITM {
    public static let modelName = "ITM 1.2.2"

    // MARK: - Enumerations

    public enum Polarization: Int, Sendable, CaseIterable {
        case horizontal = 0
        case vertical = 1

        /// NTIA's integer code; throws error 1010 for anything but 0 or 1.
        public init(code: Int) throws {
            guard let p = Polarization(rawValue: code) else {
                throw ITM.error("polarization", Double(code), "{0 horizontal, 1 vertical}", .polarization)
            }
            self = p
        }
    }

    /// Radio climate (Algorithm §5, the seven climates of the variability curves).
    public enum Climate: Int, Sendable, CaseIterable {
        case equatorial = 1
        case continentalSubtropical = 2
        case maritimeSubtropical = 3
        case desert = 4
        case continentalTemperate = 5
        case maritimeTemperateOverLand = 6
        case maritimeTemperateOverSea = 7

        /// NTIA's integer code 1–7; throws error 1002 otherwise.
        public init(code: Int) throws {
            guard let c = Climate(rawValue: code) else {
                throw ITM.error("climate", Double(code), "[1, 7]", .invalidRadioClimate)
            }
            self = c
        }
    }

    /// Siting criteria of a terminal in area mode (Algorithm §3, QLRA).
    public enum SitingCriteria: Int, Sendable, CaseIterable {
        case random = 0
        case careful = 1
        case veryCareful = 2
    }

    /// Dominant mode of propagation at the path distance.
    public enum PropagationMode: Int, Sendable, CaseIterable {
        case lineOfSight = 1
        case diffraction = 2
        case troposcatter = 3
    }

    /// The base mode of variability (mdvar mod 10).
    public enum VariabilityMode: Int, Sendable, CaseIterable {
        case singleMessage = 0
        case accidental = 1
        case mobile = 2
        case broadcast = 3
    }

    /// NTIA's `mdvar` code: the base mode, +10 to eliminate location variability, +20 to eliminate direct
    /// situation variability.
    public static func mdvar(
        _ mode: VariabilityMode, eliminateLocation: Bool = false,
        eliminateSituation: Bool = false
    ) -> Int {
        mode.rawValue + (eliminateLocation ? 10 : 0) + (eliminateSituation ? 20 : 0)
    }

    /// How the requested quantile is specified.
    public enum Variability: Sendable, Equatable {
        /// Percentages of time, locations and situations, each in the open interval (0, 100).
        case timeLocationSituation(timePct: Double, locationPct: Double, situationPct: Double)
        /// Confidence and reliability percentages, each in (0, 100). Reliability stands for time (and, in
        /// broadcast mode, for locations too); confidence for situations.
        case confidenceReliability(confidencePct: Double, reliabilityPct: Double)
    }

    // MARK: - Errors and warnings

    /// NTIA's numeric error codes (`ModelInputError.code`).
    public enum ErrorCode: Int, Sendable, CaseIterable {
        case txTerminalHeight = 1000
        case rxTerminalHeight = 1001
        case invalidRadioClimate = 1002
        case invalidTime = 1003
        case invalidLocation = 1004
        case invalidSituation = 1005
        case invalidConfidence = 1006
        case invalidReliability = 1007
        case refractivity = 1008
        case frequency = 1009
        case polarization = 1010
        case epsilon = 1011
        case sigma = 1012
        case groundImpedance = 1013
        case mdvar = 1014
        case mdvarBroadcastMode = 1015
        case effectiveEarth = 1016
        case pathDistance = 1017
        case deltaH = 1018
        case txSitingCriteria = 1019
        case rxSitingCriteria = 1020
        case surfaceRefractivitySmall = 1021
        case surfaceRefractivityLarge = 1022
    }

    /// NTIA's warning bits: the input is valid but at the edge of the model's domain.
    public struct Warnings: NamedWarnings, Sendable, Hashable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// 0x0001: TX structural height outside [1, 1000] m.
        public static let txTerminalHeight = Warnings(rawValue: 0x0001)
        /// 0x0002: RX structural height outside [1, 1000] m.
        public static let rxTerminalHeight = Warnings(rawValue: 0x0002)
        /// 0x0004: frequency outside [40, 10000] MHz.
        public static let frequency = Warnings(rawValue: 0x0004)
        /// 0x0008: path distance above 1000 km.
        public static let pathDistanceTooBig1 = Warnings(rawValue: 0x0008)
        /// 0x0010: path distance above 2000 km: care must be taken with the result.
        public static let pathDistanceTooBig2 = Warnings(rawValue: 0x0010)
        /// 0x0020: path distance below |h_e,tx − h_e,rx| / 0.2 rad.
        public static let pathDistanceTooSmall1 = Warnings(rawValue: 0x0020)
        /// 0x0040: path distance below 1 km: care must be taken with the result.
        public static let pathDistanceTooSmall2 = Warnings(rawValue: 0x0040)
        /// 0x0080: |θ_hzn,tx| > 200 mrad: small-angle approximations may break down.
        public static let txHorizonAngle = Warnings(rawValue: 0x0080)
        /// 0x0100: |θ_hzn,rx| > 200 mrad.
        public static let rxHorizonAngle = Warnings(rawValue: 0x0100)
        /// 0x0200: TX horizon distance below 1/10 of the smooth-earth horizon distance.
        public static let txHorizonDistance1 = Warnings(rawValue: 0x0200)
        /// 0x0400: RX horizon distance below 1/10 of the smooth-earth horizon distance.
        public static let rxHorizonDistance1 = Warnings(rawValue: 0x0400)
        /// 0x0800: TX horizon distance above 3 times the smooth-earth horizon distance.
        public static let txHorizonDistance2 = Warnings(rawValue: 0x0800)
        /// 0x1000: RX horizon distance above 3 times the smooth-earth horizon distance.
        public static let rxHorizonDistance2 = Warnings(rawValue: 0x1000)
        /// 0x2000: a standard normal deviate of time, location or situation beyond ±3.1.
        public static let extremeVariabilities = Warnings(rawValue: 0x2000)
        /// 0x4000: surface refractivity N_s below 250 N-units.
        public static let surfaceRefractivity = Warnings(rawValue: 0x4000)
        /// 0x8000 (tanso's, not NTIA's): the reference attenuation is undefined on this geometry (the smooth-earth
        /// diffraction term is outside Vogler's fit, K > 1.607); A_ref is taken as 0 dB, as NTIA's release returns.
        public static let referenceAttenuationUndefined = Warnings(rawValue: 0x8000)
        /// The bits NTIA's ITM defines (its `warnings` field).
        public static let ntiaBits = Warnings(rawValue: 0x7FFF)

        public static let named: [(flag: Warnings, name: String)] = [
            (.txTerminalHeight, "tx_terminal_height"), (.rxTerminalHeight, "rx_terminal_height"),
            (.frequency, "frequency"), (.pathDistanceTooBig1, "path_distance_too_big_1"),
            (.pathDistanceTooBig2, "path_distance_too_big_2"), (.pathDistanceTooSmall1, "path_distance_too_small_1"),
            (.pathDistanceTooSmall2, "path_distance_too_small_2"), (.txHorizonAngle, "tx_horizon_angle"),
            (.rxHorizonAngle, "rx_horizon_angle"), (.txHorizonDistance1, "tx_horizon_distance_1"),
            (.rxHorizonDistance1, "rx_horizon_distance_1"), (.txHorizonDistance2, "tx_horizon_distance_2"),
            (.rxHorizonDistance2, "rx_horizon_distance_2"), (.extremeVariabilities, "extreme_variabilities"),
            (.surfaceRefractivity, "surface_refractivity"),
            (.referenceAttenuationUndefined, "reference_attenuation_undefined")
        ]
    }

    // MARK: - Inputs and outputs

    /// A value for each terminal.
    public struct Pair: Sendable, Equatable {
        public var tx: Double
        public var rx: Double
        public init(tx: Double, rx: Double) { self.tx = tx; self.rx = rx }
        @inlinable public subscript(_ j: Int) -> Double {
            get { j == 0 ? tx : rx }
            set { if j == 0 { tx = newValue } else { rx = newValue } }
        }
    }

    /// The inputs common to both modes.
    public struct Parameters: Sendable, Equatable {
        /// Carrier frequency, MHz; valid 20–20000 (warning outside 40–10000).
        public var frequencyMHz: Double
        /// Structural antenna heights above ground, m; valid 0.5–3000 (warning outside 1–1000).
        public var txHeightM: Double
        public var rxHeightM: Double
        public var polarization: Polarization
        public var climate: Climate
        /// Minimum monthly mean surface refractivity reduced to sea level, N_0, N-units; valid 250–400.
        public var surfaceRefractivityN0: Double
        /// Relative permittivity of the ground, ε_r ≥ 1.
        public var relativePermittivity: Double
        /// Ground conductivity, σ, S/m; > 0.
        public var conductivitySPerM: Double
        /// NTIA's mode of variability code (0–3, +10, +20; see `ITM.mdvar(_:eliminateLocation:eliminateSituation:)`).
        public var mdvar: Int
        public var variability: Variability

        /// Whether a profile's ITM terrain analysis is the same under `other` as under these: the antenna heights
        /// and N_0 agree (the frequency, ground, climate and variability may differ).
        public func sharesTerrainAnalysis(with other: Parameters) -> Bool {
            txHeightM == other.txHeightM && rxHeightM == other.rxHeightM && surfaceRefractivityN0 == other.surfaceRefractivityN0
        }

        /// Time/location/situation form.
        public init(
            frequencyMHz: Double, txHeightM: Double, rxHeightM: Double,
            polarization: Polarization, climate: Climate,
            surfaceRefractivityN0: Double = 301, relativePermittivity: Double = 15,
            conductivitySPerM: Double = 0.005, mdvar: Int,
            timePct: Double, locationPct: Double, situationPct: Double
        ) {
            self.frequencyMHz = frequencyMHz
            self.txHeightM = txHeightM
            self.rxHeightM = rxHeightM
            self.polarization = polarization
            self.climate = climate
            self.surfaceRefractivityN0 = surfaceRefractivityN0
            self.relativePermittivity = relativePermittivity
            self.conductivitySPerM = conductivitySPerM
            self.mdvar = mdvar
            self.variability = .timeLocationSituation(timePct: timePct, locationPct: locationPct, situationPct: situationPct)
        }

        /// Confidence/reliability form.
        public init(
            frequencyMHz: Double, txHeightM: Double, rxHeightM: Double,
            polarization: Polarization, climate: Climate,
            surfaceRefractivityN0: Double = 301, relativePermittivity: Double = 15,
            conductivitySPerM: Double = 0.005, mdvar: Int,
            confidencePct: Double, reliabilityPct: Double
        ) {
            self.init(
                frequencyMHz: frequencyMHz, txHeightM: txHeightM, rxHeightM: rxHeightM,
                polarization: polarization, climate: climate, surfaceRefractivityN0: surfaceRefractivityN0,
                relativePermittivity: relativePermittivity, conductivitySPerM: conductivitySPerM,
                mdvar: mdvar, timePct: 50, locationPct: 50, situationPct: 50)
            self.variability = .confidenceReliability(confidencePct: confidencePct, reliabilityPct: reliabilityPct)
        }
    }

    /// Intermediate values, as NTIA's `IntermediateValues` plus a few more for debugging.
    public struct Intermediates: Sendable, Equatable {
        /// Terminal horizon elevation angles θ_hzn, rad.
        public var horizonAngleRad: Pair
        /// Terminal horizon distances d_hzn (d_L), m.
        public var horizonDistanceM: Pair
        /// Effective terminal heights h_e, m.
        public var effectiveHeightM: Pair
        /// Smooth-earth horizon distances d_Ls = √(2 h_e/γ_e), m.
        public var smoothEarthHorizonDistanceM: Pair
        /// Surface refractivity N_s, N-units.
        public var surfaceRefractivityNs: Double
        /// Effective earth curvature γ_e, 1/m.
        public var effectiveEarthCurvaturePerM: Double
        /// Surface transfer impedance of the ground Z_g (real, imaginary), normalised.
        public var groundImpedanceReal: Double
        public var groundImpedanceImag: Double
        /// Terrain irregularity parameter Δh, m (computed from the profile in point-to-point mode).
        public var terrainIrregularityM: Double
        /// Reference attenuation A_ref (median attenuation relative to free space), dB.
        public var referenceAttenuationDB: Double
        /// Free-space basic transmission loss, dB.
        public var freeSpaceLossDB: Double
        /// Path distance, km.
        public var distanceKm: Double
        /// Mean terrain elevation h_sys used for N_s (point-to-point), m; 0 in area mode.
        public var systemElevationM: Double
        /// Maximum line-of-sight distance d_sML = d_Ls,tx + d_Ls,rx, m.
        public var maxLineOfSightDistanceM: Double
        /// Distance beyond which troposcatter dominates, d_x, m.
        public var scatterDistanceM: Double
    }

    public struct Result: Sendable, Equatable {
        /// Basic transmission loss A, dB.
        public var lossDB: Double
        public var mode: PropagationMode
        public var warnings: Warnings
        public var intermediates: Intermediates
    }

    // MARK: - Entry points

    /// Point-to-point prediction over a terrain profile from TX (index 0) to RX (last index).
    public static func pointToPoint(profile: TerrainProfile, _ p: Parameters) throws -> Result {
        try profile.elevationsM.withUnsafeBufferPointer { try pointToPoint(elevationsM: $0, spacingM: profile.spacingM, p) }
    }

    /// Point-to-point prediction on a caller-owned buffer (no copy): heights above sea level in m at equal
    /// spacing `spacingM`, TX at index 0.
    public static func pointToPoint(
        elevationsM h: UnsafeBufferPointer<Double>, spacingM: Double,
        _ p: Parameters
    ) throws -> Result {
        try pointToPoint(elevationsM: h, spacingM: spacingM, Prepared(p))
    }

    /// The same with parameters prepared once for many paths (the same result to the last bit).
    public static func pointToPoint(
        elevationsM h: UnsafeBufferPointer<Double>, spacingM: Double,
        _ q: Prepared
    ) throws -> Result {
        let path = try ITMPath(h, spacingM: spacingM, q)
        return finish(path.geometry, path.setup, q, warnings: path.warnings, systemElevationM: path.systemElevationM)
    }

    /// Point-to-point prediction over a terrain profile with prepared parameters.
    public static func pointToPoint(profile: TerrainProfile, _ q: Prepared) throws -> Result {
        try profile.elevationsM.withUnsafeBufferPointer { try pointToPoint(elevationsM: $0, spacingM: profile.spacingM, q) }
    }

    /// The loss, mode and warnings of `pointToPoint(elevationsM:spacingM:_:)`, to the last bit, without the
    /// intermediates: on a path that cannot reach d_x (line of sight, or diffraction short of d_x's lower bound)
    /// the troposcatter line, which only the intermediates' d_x then needs, is not evaluated.
    public static func pointToPointLoss(
        elevationsM h: UnsafeBufferPointer<Double>, spacingM: Double,
        _ q: Prepared
    ) throws -> Loss {
        let path = try ITMPath(h, spacingM: spacingM, q)
        let m = median(path.geometry, path.setup, q, warnings: path.warnings, scatterDistance: false)
        return Loss(lossDB: m.freeSpaceDB + m.attenuationDB, mode: m.mode, warnings: m.warnings)
    }

    /// `pointToPointLoss(elevationsM:spacingM:_:)` of one profile under two parameter sets that share the
    /// terrain analysis, each result to the last bit what its own call gives. The analysis (QLRPFL: the mean
    /// height for N_s, the horizons, Δh, the effective heights) depends on the profile, the antenna heights and N_0
    /// only, so it is done once when `q1` and `q2` agree in those (`sharesTerrainAnalysis`; e.g. the sectors of a
    /// site on two frequencies), and twice otherwise. Each side fails on its own: the profile's errors fail both,
    /// a parameter set's own (its N_s range, its ground) fail its side.
    public static func pointToPointLosses(
        elevationsM h: UnsafeBufferPointer<Double>, spacingM: Double, _ q1: Prepared, _ q2: Prepared
    ) -> (Swift.Result<Loss, any Error>, Swift.Result<Loss, any Error>) {
        guard q1.parameters.sharesTerrainAnalysis(with: q2.parameters) else {
            return (
                Swift.Result { try pointToPointLoss(elevationsM: h, spacingM: spacingM, q1) },
                Swift.Result { try pointToPointLoss(elevationsM: h, spacingM: spacingM, q2) }
            )
        }
        do {
            try ITMPath.checkProfile(h, spacingM: spacingM)
        } catch {
            return (.failure(error), .failure(error))
        }
        let systemElevationM = ITMTerrain.centralMean(h)
        var w1 = q1.warnings, w2 = q2.warnings
        let s1 = Swift.Result { try q1.setup(systemElevationM: systemElevationM, warnings: &w1) }
        let s2 = Swift.Result { try q2.setup(systemElevationM: systemElevationM, warnings: &w2) }
        // γ_e comes from N_s, which comes from N_0 and the mean height alone: the same for both sets.
        let gammaSource: ITMSetup
        switch (s1, s2) {
        case (.success(let a), _): gammaSource = a
        case (_, .success(let b)): gammaSource = b
        case (.failure(let e1), .failure(let e2)): return (.failure(e1), .failure(e2))
        }
        let p = q1.parameters
        var geometry = ITMGeometry(
            hg: Pair(tx: p.txHeightM, rx: p.rxHeightM), distM: Double(h.count - 1) * spacingM, setup: gammaSource, pointToPoint: true)
        ITMTerrain.analyse(h, spacingM: spacingM, geometry: &geometry)
        func loss(_ setup: ITMSetup, _ q: Prepared, _ w: Warnings) -> Loss {
            let m = median(geometry, setup, q, warnings: w, scatterDistance: false)
            return Loss(lossDB: m.freeSpaceDB + m.attenuationDB, mode: m.mode, warnings: m.warnings)
        }
        return (s1.map { loss($0, q1, w1) }, s2.map { loss($0, q2, w2) })
    }

    /// `pointToPointLoss(elevationsM:spacingM:_:)` over a terrain profile.
    public static func pointToPointLoss(profile: TerrainProfile, _ q: Prepared) throws -> Loss {
        try profile.elevationsM.withUnsafeBufferPointer { try pointToPointLoss(elevationsM: $0, spacingM: profile.spacingM, q) }
    }

    /// A point-to-point result without intermediates.
    public struct Loss: Sendable, Equatable {
        /// Basic transmission loss A, dB.
        public var lossDB: Double
        public var mode: PropagationMode
        public var warnings: Warnings
    }

    /// Area prediction: path length `distanceKm`, terrain irregularity `deltaHM` (Δh, m), siting criteria.
    public static func area(
        distanceKm: Double, deltaHM: Double,
        txSiting: SitingCriteria, rxSiting: SitingCriteria, _ p: Parameters
    ) throws -> Result {
        let q = try Prepared(p)
        var warnings = q.warnings
        guard distanceKm > 0, distanceKm.isFinite else {
            throw error("distanceKm", distanceKm, "> 0 km", .pathDistance)
        }
        guard deltaHM >= 0, deltaHM.isFinite else { throw error("deltaHM", deltaHM, "≥ 0 m", .deltaH) }
        let setup = try q.setup(systemElevationM: 0, warnings: &warnings)
        var g = ITMGeometry(
            hg: Pair(tx: p.txHeightM, rx: p.rxHeightM), distM: distanceKm * 1000, setup: setup,
            pointToPoint: false)
        g.dh = deltaHM
        g.applyAreaSiting(tx: txSiting, rx: rxSiting)
        return finish(g, setup, q, warnings: warnings, systemElevationM: 0)
    }

    /// Area prediction with NTIA's integer siting codes (errors 1019/1020 for anything but 0, 1, 2).
    public static func area(
        distanceKm: Double, deltaHM: Double, txSitingCode: Int, rxSitingCode: Int,
        _ p: Parameters
    ) throws -> Result {
        guard let tx = SitingCriteria(rawValue: txSitingCode) else {
            throw error("txSiting", Double(txSitingCode), "{0, 1, 2}", .txSitingCriteria)
        }
        guard let rx = SitingCriteria(rawValue: rxSitingCode) else {
            throw error("rxSiting", Double(rxSitingCode), "{0, 1, 2}", .rxSitingCriteria)
        }
        return try area(distanceKm: distanceKm, deltaHM: deltaHM, txSiting: tx, rxSiting: rx, p)
    }

    /// Terrain irregularity Δh (m) of a profile between two distances from its start (Algorithm §3, D1THX): the
    /// interdecile range of the heights about a least-squares line, scaled to the asymptotic value. Use it to
    /// derive an area-mode Δh from real terrain.
    public static func terrainIrregularityM(
        elevationsM h: UnsafeBufferPointer<Double>, spacingM: Double,
        fromM: Double, toM: Double
    ) -> Double {
        guard h.count >= 2, spacingM > 0 else { return 0 }
        return ITMTerrain.deltaH(h, spacingM: spacingM, fromM: fromM, toM: toM)
    }

    // MARK: - Shared steps

    static func error(_ parameter: String, _ value: Double, _ range: String, _ code: ErrorCode) -> ModelInputError {
        ModelInputError(model: modelName, parameter: parameter, value: value, validRange: range, code: code.rawValue)
    }

    /// Input checks of NTIA's reference release; returns the warnings that depend on inputs alone.
    /// Checks the settings that do not depend on the path (climate, N_0, ground, mdvar, percentages) with NTIA's
    /// ranges, order and error codes, before any path is computed: placeholder frequency and heights (100 MHz,
    /// 10 m), valid by construction, stand in for the path's own.
    public static func checkSettings(
        climate: Int, surfaceRefractivityN0: Double, relativePermittivity: Double,
        conductivitySPerM: Double, mdvar: Int, timePct: Double, locationPct: Double,
        situationPct: Double
    ) throws {
        let p = Parameters(
            frequencyMHz: 100, txHeightM: 10, rxHeightM: 10, polarization: .vertical,
            climate: try Climate(code: climate), surfaceRefractivityN0: surfaceRefractivityN0,
            relativePermittivity: relativePermittivity, conductivitySPerM: conductivitySPerM, mdvar: mdvar,
            timePct: timePct, locationPct: locationPct, situationPct: situationPct)
        _ = try validate(p)
    }

    static func validate(_ p: Parameters) throws -> Warnings {
        var w: Warnings = []
        try ModelInputError.check(modelName, "txHeightM", p.txHeightM, 0.5, 3000, unit: "m", code: ErrorCode.txTerminalHeight.rawValue)
        try ModelInputError.check(modelName, "rxHeightM", p.rxHeightM, 0.5, 3000, unit: "m", code: ErrorCode.rxTerminalHeight.rawValue)
        if p.txHeightM < 1 || p.txHeightM > 1000 { w.insert(.txTerminalHeight) }
        if p.rxHeightM < 1 || p.rxHeightM > 1000 { w.insert(.rxTerminalHeight) }
        try ModelInputError.check(
            modelName, "surfaceRefractivityN0", p.surfaceRefractivityN0, 250, 400, unit: "N-units",
            code: ErrorCode.refractivity.rawValue)
        try ModelInputError.check(modelName, "frequencyMHz", p.frequencyMHz, 20, 20000, unit: "MHz", code: ErrorCode.frequency.rawValue)
        if p.frequencyMHz < 40 || p.frequencyMHz > 10000 { w.insert(.frequency) }
        try ModelInputError.check(
            modelName, "relativePermittivity", p.relativePermittivity, 1, .greatestFiniteMagnitude,
            code: ErrorCode.epsilon.rawValue)
        guard p.conductivitySPerM > 0, p.conductivitySPerM.isFinite else {
            throw error("conductivitySPerM", p.conductivitySPerM, "> 0 S/m", .sigma)
        }
        guard ITMVariability.decode(mdvar: p.mdvar) != nil else {
            throw error("mdvar", Double(p.mdvar), "{0…3, 10…13, 20…23, 30…33}", .mdvar)
        }
        func open(_ name: String, _ v: Double, _ code: ErrorCode) throws {
            guard v > 0, v < 100 else { throw error(name, v, "(0, 100) %", code) }
        }
        switch p.variability {
        case let .timeLocationSituation(t, l, s):
            // NTIA's order: situation, time, location (decides the code when several are invalid).
            try open("situationPct", s, .invalidSituation)
            try open("timePct", t, .invalidTime)
            try open("locationPct", l, .invalidLocation)
        case let .confidenceReliability(c, r):
            try open("confidencePct", c, .invalidConfidence)
            try open("reliabilityPct", r, .invalidReliability)
        }
        return w
    }

    /// The full result: the median loss and the intermediates.
    static func finish(
        _ g: ITMGeometry, _ setup: ITMSetup, _ q: Prepared, warnings w0: Warnings,
        systemElevationM: Double
    ) -> Result {
        let m = median(g, setup, q, warnings: w0, scatterDistance: true)
        let ref = m.reference
        let im = Intermediates(
            horizonAngleRad: g.theta, horizonDistanceM: g.dl, effectiveHeightM: g.he,
            smoothEarthHorizonDistanceM: ref.dlsM,
            surfaceRefractivityNs: setup.ns, effectiveEarthCurvaturePerM: setup.gammaE,
            groundImpedanceReal: setup.zg.re, groundImpedanceImag: setup.zg.im,
            terrainIrregularityM: g.dh, referenceAttenuationDB: ref.arefDB, freeSpaceLossDB: m.freeSpaceDB,
            distanceKm: g.distM / 1000, systemElevationM: systemElevationM,
            maxLineOfSightDistanceM: ref.dsMLM, scatterDistanceM: ref.dxM)
        return Result(lossDB: m.freeSpaceDB + m.attenuationDB, mode: m.mode, warnings: m.warnings, intermediates: im)
    }

    /// A_ref (LRPROP), the mode, free-space loss and the variability (AVAR) of a prepared path. Without
    /// `scatterDistance` a line-of-sight path leaves d_x undefined (it does not enter the loss).
    static func median(
        _ g: ITMGeometry, _ setup: ITMSetup, _ q: Prepared, warnings w0: Warnings, scatterDistance: Bool
    ) -> (reference: ITMReference, mode: PropagationMode, freeSpaceDB: Double, attenuationDB: Double, warnings: Warnings) {
        var warnings = w0
        let ref = ITMReference(geometry: g, setup: setup, scatterDistance: scatterDistance)
        warnings.formUnion(ref.warnings)

        let mode: PropagationMode =
            g.distM < ref.dsMLM
            ? .lineOfSight
            : (g.distM > ref.dxM ? .troposcatter : .diffraction)

        // Free-space basic transmission loss, 32.45 + 20 log f_MHz + 20 log d_km, dB
        let freeSpaceDB = q.freeSpaceAtOneKmDB + 20 * log10(g.distM / 1000)

        let variability = ITMVariability(geometry: g, settings: q.variability)
        let attenuationDB = variability.attenuation(
            referenceDB: ref.arefDB, zt: q.zt, zl: q.zl, zc: q.zc,
            warnings: &warnings)
        return (ref, mode, freeSpaceDB, attenuationDB, warnings)
    }
}

/// A profile prepared for LRPROP: QLRPS at its mean height and QLRPFL's geometry (Algorithm §3).
struct ITMPath {
    var geometry: ITMGeometry
    let setup: ITMSetup
    let warnings: ITM.Warnings
    let systemElevationM: Double

    init(_ h: UnsafeBufferPointer<Double>, spacingM: Double, _ q: ITM.Prepared) throws {
        var warnings = q.warnings
        try Self.checkProfile(h, spacingM: spacingM)
        let distM = Double(h.count - 1) * spacingM // d = n·Δx, m (QLRPFL)
        // Algorithm §3 (point-to-point preparation): N_s at the mean terrain height h_sys over the central part of
        // the profile (the first and last int(0.1 n) intervals left out).
        systemElevationM = ITMTerrain.centralMean(h)
        setup = try q.setup(systemElevationM: systemElevationM, warnings: &warnings)
        self.warnings = warnings
        // QLRPFL: horizons, Δh, effective heights.
        let p = q.parameters
        geometry = ITMGeometry(hg: ITM.Pair(tx: p.txHeightM, rx: p.rxHeightM), distM: distM, setup: setup, pointToPoint: true)
        ITMTerrain.analyse(h, spacingM: spacingM, geometry: &geometry)
    }

    /// At least 2 points at a positive, finite spacing.
    static func checkProfile(_ h: UnsafeBufferPointer<Double>, spacingM: Double) throws {
        guard h.count >= 2, spacingM > 0, spacingM.isFinite else {
            throw ModelInputError(
                model: ITM.modelName, parameter: "profile distance (m)",
                value: Double(max(h.count - 1, 0)) * spacingM, validRange: "> 0 (≥ 2 points)",
                code: ITM.ErrorCode.pathDistance.rawValue)
        }
    }
}

// MARK: - Internal state

/// Results of QLRPS, with the frequency's cube root and logarithm.
struct ITMSetup: Sendable {
    let frequencyMHz: Double // f, MHz
    let waveNumberPerM: Double // k = f/47.7 MHz·m, 1/m
    let ns: Double // N_s, N-units
    let gammaE: Double // γ_e, 1/m
    let zg: ITMComplex // Z_g
    var fCbrt: Double // f^(1/3), f in MHz
    var lnF: Double // ln f, f in MHz
}

extension ITMSetup {
    init(frequencyMHz: Double, waveNumberPerM: Double, ns: Double, gammaE: Double, zg: ITMComplex) {
        self.init(
            frequencyMHz: frequencyMHz, waveNumberPerM: waveNumberPerM, ns: ns, gammaE: gammaE, zg: zg,
            fCbrt: cbrt(frequencyMHz), lnF: log(frequencyMHz))
    }
}

/// Path geometry: the "prop" parameters of the Algorithm (§3, §4).
struct ITMGeometry: Sendable {
    var hg: ITM.Pair // structural heights h_g, m
    var he: ITM.Pair // effective heights h_e, m
    var dl: ITM.Pair // horizon distances d_L, m
    var theta: ITM.Pair // horizon angles θ_e, rad
    var dh: Double = 0 // terrain irregularity Δh, m
    var distM: Double // path distance d, m
    let gammaE: Double // γ_e, 1/m
    let pointToPoint: Bool // the FORTRAN's mdp < 0

    init(hg: ITM.Pair, distM: Double, setup: ITMSetup, pointToPoint: Bool) {
        self.hg = hg
        self.he = hg
        self.dl = ITM.Pair(tx: 0, rx: 0)
        self.theta = ITM.Pair(tx: 0, rx: 0)
        self.distM = distM
        self.gammaE = setup.gammaE
        self.pointToPoint = pointToPoint
    }

    /// Algorithm §3, area mode (QLRA): effective heights from the siting criteria, then horizon distances and
    /// angles over a smooth earth with terrain irregularity Δh.
    mutating func applyAreaSiting(tx: ITM.SitingCriteria, rx: ITM.SitingCriteria) {
        for j in 0..<2 {
            let siting = j == 0 ? tx : rx
            let hgj = hg[j] // h_g, m
            if siting == .random {
                he[j] = hgj
            } else {
                var b = siting == .careful ? 4.0 : 9.0 // B = 4 (careful) or 9, m
                if hgj < 5 { b *= sin(0.3141593 * hgj) } // B sin(π h_g/10) below 5 m
                // h_e = h_g + (1 + B) exp(−min(20, 2 h_g/Δh)), m
                he[j] = hgj + (1 + b) * exp(-min(20, 2 * hgj / max(1e-3, dh)))
            }
            setSmoothEarthHorizon(j)
        }
    }

    /// d_L = d_Ls exp(−0.07 √(Δh/max(h_e, 5))) and θ_e = (0.65 Δh (d_Ls/d_L − 1) − 2 h_e)/d_Ls
    /// (Algorithm §3, QLRA and the line-of-sight branch of QLRPFL).
    mutating func setSmoothEarthHorizon(_ j: Int) {
        let dls = (2 * he[j] / gammaE).squareRoot() // d_Ls, m
        dl[j] = dls * exp(-0.07 * (dh / max(he[j], 5)).squareRoot()) // d_L, m
        theta[j] = (0.65 * dh * (dls / dl[j] - 1) - 2 * he[j]) / dls // θ_e, rad
    }
}

/// Minimal complex arithmetic for the ground impedance and the reflection coefficient.
struct ITMComplex: Sendable, Equatable {
    var re: Double
    var im: Double

    static func + (a: ITMComplex, b: ITMComplex) -> ITMComplex { ITMComplex(re: a.re + b.re, im: a.im + b.im) }
    static func - (a: ITMComplex, b: ITMComplex) -> ITMComplex { ITMComplex(re: a.re - b.re, im: a.im - b.im) }
    static func * (a: ITMComplex, b: ITMComplex) -> ITMComplex {
        ITMComplex(re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re)
    }
    static func * (a: ITMComplex, s: Double) -> ITMComplex { ITMComplex(re: a.re * s, im: a.im * s) }
    static func / (a: ITMComplex, b: ITMComplex) -> ITMComplex {
        let d = b.re * b.re + b.im * b.im
        return ITMComplex(re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d)
    }
    /// |z|²
    var magnitudeSquared: Double { re * re + im * im }
    var magnitude: Double { magnitudeSquared.squareRoot() }
    /// Principal square root.
    func squareRoot() -> ITMComplex {
        let r = magnitude
        let a = ((r + re) / 2).squareRoot()
        let b = ((r - re) / 2).squareRoot()
        return ITMComplex(re: a, im: im < 0 ? -b : b)
    }
}

// Point-to-area field strength: Recommendation ITU-R P.1546-6 (08/2019), Annex 5 (30 – 4 000 MHz, 1 – 1 000 km,
// 1 – 50 % time), with the tabulated curves of Annexes 2–4 (generated into P1546Tables.swift).
//
// Implemented (Annex 5 unless noted), in the order of the step-by-step procedure of Annex 6:
//   §2   maximum field strength Emax, Eqs. (1a)(1b)(2)(3); mixed paths interpolated on the sea fraction;
//   §3   transmitting/base antenna height h1, Eqs. (4)–(7), §3.3 sea paths;
//   §4.1 interpolation/extrapolation in h1 ≥ 10 m, Eq. (8); §4.2 0 ≤ h1 < 10 m over land, Eqs. (9)(9a)(9b),
//        and over sea, Eqs. (10a)(10b)(11a)–(11c); §4.3 h1 < 0, case b), Eqs. (12)(12a)–(12c);
//   §5   interpolation in distance, Eq. (13); §6 frequency, Eq. (14), and sea paths below 100 MHz, Eqs. (15a)(15b);
//   §7   time percentage, Eq. (16); §8 mixed land/sea paths (the RRC-06 method), Eqs. (17)–(21);
//   §9   receiving/mobile antenna height correction with R′ (urban/suburban/dense urban, rural/open, sea);
//   §10  transmitting/base terminal clutter correction (the P.1546-6 replacement of the -5 "short
//        urban/suburban path" correction);
//   §11  terrain clearance angle correction; §12 location variability; §13 tropospheric scatter;
//   §14  slope-path correction; §15 paths shorter than 1 km; §16 Qi(x); §17 conversion to Lb; §18 D06.
//   Terrain helpers (P1546Terrain.swift): heff (3–15 km), hb (0.2d–d), θtca (§11), θeff1 (§4.3 a).
//
// Left out: Annex 5 §4.3 case a) for negative h1 (θeff1 used as Ch1; this file always uses case b, which never
// produces a discontinuity at h1 = 0, as the ITU-R reference implementation does); Annex 5 §1.1 terminal
// designation (the caller decides which terminal is the transmitter); Annex 7 (climatic regions other than the
// ones of the curves); Annex 5 §12 default σL values without a square-area width (the caller passes σL or wa).
//
// Conventions: field strength in dB(µV/m) for 1 kW e.r.p. Invalid input throws `ModelInputError`; doubtful input
// sets a `Warnings` flag. Numbers match the ITU-R WP 3K reference implementation (eeveetza/Py1546) where the
// Recommendation leaves a choice (e.g. Emax at the slope distance, §11 applied whenever θtca is given).
import Foundation

public enum P1546 {
    static let modelName = "ITU-R P.1546-6"

    // MARK: - Input

    /// Propagation zone type of a path section (Annex 5 §8; cold/warm sea as in Figures 5–8, 13–16, 21–24).
    public enum ZoneType: Sendable, Equatable {
        case land
        /// Sea (and coastal land) in a cold-sea climate (e.g. North Sea); used when a zone is simply "sea".
        case coldSea
        /// Warm sea (e.g. Mediterranean); if both cold and warm sea occur on one path, all sea is warm (§8).
        case warmSea

        var isSea: Bool { self != .land }
    }

    /// One section of the path, listed from the transmitter/base terminal.
    public struct PathZone: Sendable, Equatable {
        public var type: ZoneType
        public var lengthKm: Double
        public init(_ type: ZoneType, lengthKm: Double) {
            self.type = type
            self.lengthKm = lengthKm
        }
    }

    /// Environment of the receiving/mobile antenna (Annex 5 §9, §12).
    public enum ReceiverArea: Sendable, Equatable {
        /// Rural or open land: §9 uses R′ = 10 m for all h2.
        case rural
        case suburban
        case urban
        case denseUrban
        /// Over or adjacent to sea, with no significant obstruction towards the transmitter.
        case sea

        var isUrbanType: Bool { self == .suburban || self == .urban || self == .denseUrban }
    }

    /// How h1 (Annex 5 §3) is obtained.
    public enum TxHeightSource: Sendable, Equatable {
        /// h1 is given directly (m): e.g. computed from a terrain profile with `P1546.heffM(...)`.
        case h1(Double)
        /// Land paths: effective height heff (m, antenna height over the mean terrain 3–15 km towards the receiver).
        /// For d < 15 km without terrain data §3.1.1 Eqs. (4)(5) blend the antenna height above ground ha with heff.
        case effectiveHeight(heffM: Double)
        /// Land paths with terrain data: heff as above and hb (m, antenna height above the terrain averaged
        /// between 0.2d and d), used for d < 15 km, §3.1.2 Eq. (6).
        case effectiveHeightAndAverage(heffM: Double, hbM: Double)
        /// h1 = antenna height above ground (flat land) or above the sea surface (§3.3).
        case heightAboveGround
    }

    /// Location variability (Annex 5 §12).
    public enum LocationVariability: Sendable, Equatable {
        /// σL from the width wa (m) of the square area over which variability applies, Eq. (34).
        case squareAreaWidthM(Double)
        /// σL given directly, dB.
        case sigmaDB(Double)
    }

    public struct Input: Sendable, Equatable {
        public var frequencyMHz: Double
        /// Percentage of time, 1 – 50 %.
        public var timePercent: Double
        /// Path sections from the transmitter; the path length d is their sum (0 < d ≤ 1 000 km).
        public var zones: [PathZone]
        /// Transmitting/base antenna height above ground ha, m (mast height). Used by §3.1.1, §10, §14, §15.
        public var txHeightAboveGroundM: Double
        public var txHeightSource: TxHeightSource
        /// Receiving/mobile antenna height above ground h2, m.
        public var rxHeightM: Double
        public var rxArea: ReceiverArea
        /// Representative clutter height R around the receiver, m (used for urban/suburban/dense urban, §9).
        public var rxClutterHeightM: Double
        /// Representative clutter height R1 around the transmitter, m; nil: no §10 correction.
        public var txClutterHeightM: Double?
        /// Receiver terrain clearance angle θtca, degrees (§11); also θeff2 of §13. nil: no §11 correction.
        public var terrainClearanceAngleDeg: Double?
        /// Transmitter clearance angle θeff1, degrees (§4.3 a), as used by §13). nil: no troposcatter check.
        public var txClearanceAngleDeg: Double?
        /// Terrain heights above sea level at the transmitter and receiver, m, for the slope distance (§14, §15).
        public var txGroundHeightAmslM: Double?
        public var rxGroundHeightAmslM: Double?
        /// Percentage of locations, 1 – 99 % (§12).
        public var locationPercent: Double
        public var locationVariability: LocationVariability?

        public init(
            frequencyMHz: Double, timePercent: Double, zones: [PathZone],
            txHeightAboveGroundM: Double, txHeightSource: TxHeightSource = .heightAboveGround,
            rxHeightM: Double, rxArea: ReceiverArea = .rural, rxClutterHeightM: Double = 10,
            txClutterHeightM: Double? = nil, terrainClearanceAngleDeg: Double? = nil,
            txClearanceAngleDeg: Double? = nil,
            txGroundHeightAmslM: Double? = nil, rxGroundHeightAmslM: Double? = nil,
            locationPercent: Double = 50, locationVariability: LocationVariability? = nil
        ) {
            self.frequencyMHz = frequencyMHz
            self.timePercent = timePercent
            self.zones = zones
            self.txHeightAboveGroundM = txHeightAboveGroundM
            self.txHeightSource = txHeightSource
            self.rxHeightM = rxHeightM
            self.rxArea = rxArea
            self.rxClutterHeightM = rxClutterHeightM
            self.txClutterHeightM = txClutterHeightM
            self.terrainClearanceAngleDeg = terrainClearanceAngleDeg
            self.txClearanceAngleDeg = txClearanceAngleDeg
            self.txGroundHeightAmslM = txGroundHeightAmslM
            self.rxGroundHeightAmslM = rxGroundHeightAmslM
            self.locationPercent = locationPercent
            self.locationVariability = locationVariability
        }

        /// Path length d, km.
        public var distanceKm: Double { zones.reduce(0) { $0 + $1.lengthKm } }
    }

    // MARK: - Result

    public struct Warnings: NamedWarnings, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// d < 1 km: §15 extrapolation towards free space at the slope distance.
        public static let shortPathExtrapolated = Warnings(rawValue: 1 << 0)
        /// h1 > 1 200 m: extrapolated from the 600 m and 1 200 m curves (§4.1).
        public static let h1Extrapolated = Warnings(rawValue: 1 << 1)
        /// h1 < 0: §4.3 case b) diffraction correction applied.
        public static let negativeH1 = Warnings(rawValue: 1 << 2)
        /// Sea path with h1 < 3 m: the Recommendation is not reliable there (§3.3); Esea used h1 = 3 m.
        public static let seaH1BelowThreeMetres = Warnings(rawValue: 1 << 3)
        /// R′ of §9 fell below 1 m and was limited to 1 m.
        public static let modifiedClutterHeightLimited = Warnings(rawValue: 1 << 4)
        /// The result was limited to Emax (§2).
        public static let limitedToEmax = Warnings(rawValue: 1 << 5)
        /// The tropospheric-scatter field (§13) exceeded the curve field and was used instead.
        public static let troposcatterDominant = Warnings(rawValue: 1 << 6)
        /// θtca outside 0.55° – 40° was limited for §11.
        public static let clearanceAngleLimited = Warnings(rawValue: 1 << 7)
        /// f outside 100 – 2 000 MHz: extrapolated from the two nearest nominal frequencies (§6).
        public static let frequencyExtrapolated = Warnings(rawValue: 1 << 8)
        /// The transmitting antenna is at or below its surrounding clutter (R1 ≥ ha), where the method is doubtful.
        public static let txBelowClutter = Warnings(rawValue: 1 << 9)
        /// h2 < 1 m over land or < 3 m adjacent to sea: outside the stated validity of §9.
        public static let rxHeightBelowValidity = Warnings(rawValue: 1 << 10)

        public static let named: [(flag: Warnings, name: String)] = [
            (.shortPathExtrapolated, "short_path_extrapolated"),
            (.h1Extrapolated, "h1_extrapolated"),
            (.negativeH1, "negative_h1"),
            (.seaH1BelowThreeMetres, "sea_h1_below_three_metres"),
            (.modifiedClutterHeightLimited, "modified_clutter_height_limited"),
            (.limitedToEmax, "limited_to_emax"),
            (.troposcatterDominant, "troposcatter_dominant"),
            (.clearanceAngleLimited, "clearance_angle_limited"),
            (.frequencyExtrapolated, "frequency_extrapolated"),
            (.txBelowClutter, "tx_below_clutter"),
            (.rxHeightBelowValidity, "rx_height_below_validity")
        ]
    }

    public struct Intermediates: Sendable, Equatable {
        /// h1 used for the curves, m (§3).
        public var h1M = 0.0
        /// Emax including the slope-path adjustment, dB(µV/m) (§2, §14).
        public var emaxDBuVm = 0.0
        /// Curve field strength for the land / sea type over the whole distance, nil if that type is absent.
        public var landFieldDBuVm: Double?
        public var seaFieldDBuVm: Double?
        /// Field strength after the mixed-path combination (§8, Annex 6 step 11).
        public var curveFieldDBuVm = 0.0
        public var clearanceAngleNu: Double?
        public var clearanceAngleCorrectionDB = 0.0
        /// Scattering angle θs (degrees) and troposcatter field Ets (§13), when computed.
        public var scatterAngleDeg: Double?
        public var troposcatterDBuVm: Double?
        /// Modified representative clutter height R′ (m) and receiving-antenna height correction (§9).
        public var modifiedClutterHeightM = 0.0
        public var rxHeightCorrectionDB = 0.0
        public var txClutterCorrectionDB = 0.0
        public var slopeCorrectionDB = 0.0
        /// Field after §15 for d < 1 km.
        public var shortPathFieldDBuVm: Double?
        public var locationCorrectionDB = 0.0
    }

    public struct Result: Sendable, Equatable {
        /// Field strength for 1 kW e.r.p., dB(µV/m).
        public var fieldStrengthDBuVm: Double
        /// Basic transmission loss, dB (§17).
        public var basicLossDB: Double
        public var warnings: Warnings
        public var intermediates: Intermediates
    }

    // MARK: - Prediction (Annex 6 step-by-step procedure)

    public static func predict(_ input: Input) throws -> Result {
        let f = input.frequencyMHz // f, MHz
        let t = input.timePercent // t, %
        let ha = input.txHeightAboveGroundM // ha, m
        let h2 = input.rxHeightM // h2, m
        try ModelInputError.check(modelName, "frequencyMHz", f, 30, 4000, unit: "MHz")
        try ModelInputError.check(modelName, "timePercent", t, 1, 50, unit: "%")
        try ModelInputError.check(modelName, "locationPercent", input.locationPercent, 1, 99, unit: "%")
        guard !input.zones.isEmpty else {
            throw ModelInputError(model: modelName, parameter: "zones.count", value: 0, validRange: "[1, ∞)")
        }
        let d = input.distanceKm // d, km
        try ModelInputError.check(modelName, "distanceKm", d, 1e-6, 1000, unit: "km")
        for zone in input.zones {
            try ModelInputError.check(modelName, "zones.lengthKm", zone.lengthKm, 0, 1000, unit: "km")
        }
        try ModelInputError.check(modelName, "txHeightAboveGroundM", ha, 0, 3000, unit: "m")
        try ModelInputError.check(modelName, "rxHeightM", h2, 0, 3000, unit: "m")
        try ModelInputError.check(modelName, "rxClutterHeightM", input.rxClutterHeightM, 0, 1000, unit: "m")
        if let r1 = input.txClutterHeightM {
            try ModelInputError.check(modelName, "txClutterHeightM", r1, 0, 1000, unit: "m")
        }
        if let a = input.terrainClearanceAngleDeg {
            try ModelInputError.check(modelName, "terrainClearanceAngleDeg", a, -90, 90, unit: "°")
        }
        if let a = input.txClearanceAngleDeg {
            try ModelInputError.check(modelName, "txClearanceAngleDeg", a, -90, 90, unit: "°")
        }

        var warnings: Warnings = []
        var im = Intermediates()

        // Zones: §8 — where cold and warm sea both occur, all sea sections are treated as warm sea.
        let landKm = input.zones.filter { $0.type == .land }.reduce(0) { $0 + $1.lengthKm }
        let seaKm = d - landKm
        let hasWarm = input.zones.contains { $0.type == .warmSea && $0.lengthKm > 0 }
        let seaType: ZoneType = hasWarm ? .warmSea : .coldSea
        let isMixed = landKm > 0 && seaKm > 0
        let allSea = landKm <= 0

        // §3 Determination of h1. Mixed paths: h1 is determined as for land, taking the sea as though land.
        let h1 = try transmitterHeight(input.txHeightSource, ha: ha, distanceKm: d, seaPath: allSea)
        try ModelInputError.check(modelName, "h1M", h1, allSea ? 1 : -3000, 3000, unit: "m")
        im.h1M = h1
        if h1 > 1200 { warnings.insert(.h1Extrapolated) }
        if h1 < 0 { warnings.insert(.negativeH1) }
        if f < 100 || f > 2000 { warnings.insert(.frequencyExtrapolated) }

        // §2 Emax, Eqs. (1)–(3): Efs + (dsea/d)·Ese, i.e. linear between all-land and all-sea values,
        // adjusted to the slope distance of §14 (Efs at the slope distance).
        let slopeD = slopeDistanceKm(
            ha: ha, h2: h2, distanceKm: d,
            txGround: input.txGroundHeightAmslM, rxGround: input.rxGroundHeightAmslM)
        let emax = maximumFieldMixed(distanceKm: d, seaKm: seaKm, timePercent: t) + 20 * log10(d / slopeD)
        im.emaxDBuVm = emax

        // Annex 6 steps 5–10 for each propagation type present; curves are read at max(d, 1 km) (§15).
        let dCurves = max(d, 1)
        var eLand: Double?
        var eSea: Double?
        if landKm > 0 {
            eLand = curveField(
                zone: .land, h1M: h1, distanceKm: dCurves, frequencyMHz: f,
                timePercent: t, emax: emax)
        }
        if seaKm > 0 {
            // §3 (mixed paths): an h1 below 3 m is used as such for Eland but 3 m is used for Esea.
            var h1Sea = h1
            if h1Sea < 3 { h1Sea = 3; warnings.insert(.seaH1BelowThreeMetres) }
            eSea = curveField(
                zone: seaType, h1M: h1Sea, distanceKm: dCurves, frequencyMHz: f,
                timePercent: t, emax: emax)
        }
        im.landFieldDBuVm = eLand
        im.seaFieldDBuVm = eSea

        // Step 11, §8: mixed-path combination.
        var e: Double
        if isMixed, let el = eLand, let es = eSea {
            e = mixedPathField(eLand: el, eSea: es, landKm: landKm, seaKm: seaKm)
        } else {
            e = eLand ?? eSea!
        }
        im.curveFieldDBuVm = e

        // Step 12, §11: terrain clearance angle correction.
        if let tca = input.terrainClearanceAngleDeg {
            if tca < 0.55 || tca > 40 { warnings.insert(.clearanceAngleLimited) }
            let (corr, nu) = clearanceAngleCorrection(frequencyMHz: f, tcaDeg: tca)
            im.clearanceAngleCorrectionDB = corr
            im.clearanceAngleNu = nu
            e += corr
        }

        // Step 13, §13: tropospheric scatter; take the larger field.
        if let eff1 = input.txClearanceAngleDeg, let eff2 = input.terrainClearanceAngleDeg {
            let (ets, thetaS) = troposcatterField(
                distanceKm: dCurves, frequencyMHz: f, timePercent: t,
                theta1Deg: eff1, theta2Deg: eff2)
            im.troposcatterDBuVm = ets
            im.scatterAngleDeg = thetaS
            if ets > e { e = ets; warnings.insert(.troposcatterDominant) }
        }

        // Step 14, §9: receiving/mobile antenna height correction.
        if input.rxArea == .sea ? h2 < 3 : h2 < 1 { warnings.insert(.rxHeightBelowValidity) }
        let rx = rxHeightCorrection(
            h1M: h1, distanceKm: d, clutterHeightM: input.rxClutterHeightM,
            h2M: h2, frequencyMHz: f, area: input.rxArea)
        if rx.limited { warnings.insert(.modifiedClutterHeightLimited) }
        im.modifiedClutterHeightM = rx.rPrimeM
        im.rxHeightCorrectionDB = rx.correctionDB
        e += rx.correctionDB

        // Step 15, §10: transmitting/base terminal clutter correction.
        if let r1 = input.txClutterHeightM {
            if r1 >= ha && r1 > 0 { warnings.insert(.txBelowClutter) }
            let c = txClutterCorrection(haM: ha, clutterHeightM: r1, frequencyMHz: f)
            im.txClutterCorrectionDB = c
            e += c
        }

        // Step 16, §14: slope-path correction (at max(d, 1 km), as the curves).
        let slopeCurves = slopeDistanceKm(
            ha: ha, h2: h2, distanceKm: dCurves,
            txGround: input.txGroundHeightAmslM, rxGround: input.rxGroundHeightAmslM)
        im.slopeCorrectionDB = 20 * log10(dCurves / slopeCurves) // Eq. (37)
        e += im.slopeCorrectionDB

        // Step 17, §15: paths shorter than 1 km.
        if d < 1 {
            e = shortPathField(
                e1km: e, ha: ha, h2: h2, distanceKm: d,
                txGround: input.txGroundHeightAmslM, rxGround: input.rxGroundHeightAmslM)
            im.shortPathFieldDBuVm = e
            warnings.insert(.shortPathExtrapolated)
        }

        // Step 18, §12: location variability (not applied adjacent to sea).
        if input.locationPercent != 50, input.rxArea != .sea {
            let sigma: Double
            switch input.locationVariability {
            case .squareAreaWidthM(let wa)?:
                try ModelInputError.check(modelName, "squareAreaWidthM", wa, 1, 100_000, unit: "m")
                sigma = (0.024 * f / 1000 + 0.52) * pow(wa, 0.28) // Eq. (34)
            case .sigmaDB(let s)?:
                try ModelInputError.check(modelName, "sigmaDB", s, 0, 50, unit: "dB")
                sigma = s
            case nil:
                throw ModelInputError(
                    model: modelName, parameter: "locationVariability (needed for q ≠ 50 %)",
                    value: input.locationPercent, validRange: "[50, 50] % without σL or wa")
            }
            im.locationCorrectionDB = qi(input.locationPercent / 100) * sigma // Eq. (33)
            e += im.locationCorrectionDB
        }

        // Step 19, §2: limit to Emax.
        if e > emax {
            e = emax
            warnings.insert(.limitedToEmax)
        }

        // Step 20, §17: Lb = 139.3 − E + 20 log f, Eq. (40).
        let lb = 139.3 - e + 20 * log10(f)
        return Result(fieldStrengthDBuVm: e, basicLossDB: lb, warnings: warnings, intermediates: im)
    }

    /// §17 Eq. (40): basic transmission loss (dB) for a field strength E (dB(µV/m) for 1 kW e.r.p.).
    public static func basicLossDB(fieldStrengthDBuVm: Double, frequencyMHz: Double) -> Double {
        139.3 - fieldStrengthDBuVm + 20 * log10(frequencyMHz)
    }

    // MARK: - §3 h1

    static func transmitterHeight(
        _ source: TxHeightSource, ha: Double, distanceKm d: Double,
        seaPath: Bool
    ) throws -> Double {
        switch source {
        case .h1(let h1):
            return h1
        case .heightAboveGround:
            return ha // §3.3 sea paths, or flat land
        case .effectiveHeight(let heff):
            if seaPath || d >= 15 { return heff } // §3.2 Eq. (7)
            if d <= 3 { return ha } // §3.1.1 Eq. (4)
            return ha + (heff - ha) * (d - 3) / 12 // §3.1.1 Eq. (5)
        case .effectiveHeightAndAverage(let heff, let hb):
            if seaPath || d >= 15 { return heff } // §3.2 Eq. (7)
            return hb // §3.1.2 Eq. (6)
        }
    }
}

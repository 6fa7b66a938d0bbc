// Planning criteria of broadcasting in field strength: minimum field strengths with their location-probability
// correction, and protection ratios by frequency offset. Every number's source is in data/README.md
// ("Broadcasting planning criteria"); the tables can be replaced by a file (Records/BroadcastTables.swift).
//
// FM (ITU-R BS.412-9 §2.1): minimum median field strength at 10 m,
// 50 % of locations and 50 % of time, in the presence of man-made noise: mono 48 / 60 / 70 dB(µV/m), stereo
// 54 / 66 / 74 dB(µV/m) in rural / urban / large-city areas. Location standard deviation 8.3 dB (the VHF value of
// the GE84 plan and Report BS.945's simplified multiplication method).
//
// DVB-T2 (ITU-R BT.2033 Annex 1 Appendix 1, the GE06 method): E_med = E_min + P_mmn + C_l (+ L_h outdoor portable,
// + L_b indoor), E_min from the receiver noise (F = 6 dB, B = 7.77 MHz), the system C/N, the antenna aperture
// (gain G, feeder loss L_f) at 650 MHz; C_l = µ·σ_c, σ_c = √(5.5² + σ_b²), µ = Q⁻¹(1 − p). The parameters of each
// reception mode are kept here (and printed in data/README.md) so that the number can be checked.
import Foundation

/// One reception mode's minimum field strength.
public struct MinimumField: Sendable, Equatable {
    /// Service of the assignments it applies to: broadcast_fm, broadcast_tv.
    public var service: String
    /// Reception mode: stereo_rural, mono_urban, …, fixed, portable_outdoor, portable_indoor.
    public var reception: String
    /// Minimum field strength at 50 % of locations (before the location correction), dB(µV/m).
    public var fieldDBuVm: Double
    /// Standard deviation of the field over locations, dB.
    public var sigmaDB: Double
    /// Percentage of locations the service must reach.
    public var locationPct: Double
    /// Where the number comes from (table and row).
    public var source: String

    public init(service: String, reception: String, fieldDBuVm: Double, sigmaDB: Double, locationPct: Double, source: String) {
        self.service = service; self.reception = reception; self.fieldDBuVm = fieldDBuVm
        self.sigmaDB = sigmaDB; self.locationPct = locationPct; self.source = source
    }

    /// Location correction C_l = µ·σ, µ the standard normal quantile of the location percentage, dB.
    public var locationCorrectionDB: Double { Normal.quantile(locationPct / 100) * sigmaDB }
    /// The minimum median field strength the planning uses: field + C_l, dB(µV/m).
    public var medianDBuVm: Double { fieldDBuVm + locationCorrectionDB }
}

/// One point of a protection-ratio table: required wanted-to-nuisance ratio (dB) at a centre-frequency offset.
public struct ProtectionRatioPoint: Sendable, Equatable {
    public var offsetKHz: Double
    public var ratioDB: Double
    public init(offsetKHz: Double, ratioDB: Double) { self.offsetKHz = offsetKHz; self.ratioDB = ratioDB }
}

/// A protection-ratio table for one pair of systems and one kind of interference.
public struct ProtectionRatioTable: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case steady, tropospheric }
    public var victim: String, interferer: String
    public var kind: Kind
    /// Points sorted by |offset|; the table is symmetric in the sign of the offset.
    public var points: [ProtectionRatioPoint]
    public var source: String

    public init(victim: String, interferer: String, kind: Kind, points: [ProtectionRatioPoint], source: String) {
        self.victim = victim; self.interferer = interferer; self.kind = kind
        self.points = points.sorted { $0.offsetKHz < $1.offsetKHz }
        self.source = source
    }

    /// The ratio at |offset|, linearly interpolated; nil beyond the last point (no protection needed).
    public func ratioDB(offsetKHz: Double) -> Double? {
        let x = (abs(offsetKHz) * 1000).rounded() / 1000 // to 1 Hz: 98.7 − 98.5 MHz is 200 kHz, not 200.0000000000028
        guard let first = points.first, let last = points.last, x <= last.offsetKHz + 1e-6 else { return nil }
        if x <= first.offsetKHz { return first.ratioDB }
        for k in 1..<points.count where x <= points[k].offsetKHz + 1e-6 {
            let a = points[k - 1], b = points[k]
            let t = b.offsetKHz > a.offsetKHz ? (x - a.offsetKHz) / (b.offsetKHz - a.offsetKHz) : 1
            return a.ratioDB + (b.ratioDB - a.ratioDB) * t
        }
        return last.ratioDB
    }

    /// The largest offset that needs protection, kHz.
    public var reachKHz: Double { points.last?.offsetKHz ?? 0 }
}

/// The broadcasting criteria: minimum fields per reception mode and protection-ratio tables.
public struct BroadcastCriteria: Sendable, Equatable {
    public var minimumFields: [MinimumField]
    public var protection: [ProtectionRatioTable]

    public init(minimumFields: [MinimumField], protection: [ProtectionRatioTable]) {
        self.minimumFields = minimumFields; self.protection = protection
    }

    /// The default reception mode of each service (the one `tanso broadcast` plans with unless told otherwise).
    public static let defaultReception = ["broadcast_fm": "stereo_rural", "broadcast_tv": "fixed"]

    public func minimumField(service: String, reception: String? = nil) -> MinimumField? {
        let r = reception ?? Self.defaultReception[service]
        return minimumFields.first { $0.service == service && $0.reception == r }
    }

    /// The protection table of a victim/interferer service pair (the system names of the table: broadcast_fm,
    /// broadcast_tv, analogue_tv), for the kind of interference.
    public func table(victim: String, interferer: String, kind: ProtectionRatioTable.Kind = .tropospheric) -> ProtectionRatioTable? {
        protection.first { $0.victim == victim && $0.interferer == interferer && $0.kind == kind }
    }

    /// Required protection ratio (dB) for a victim on `victimMHz` from an interferer on `interfererMHz`; nil when
    /// the pair needs none (offset beyond the table or no table for the pair).
    public func protectionRatioDB(
        victim: String, interferer: String, victimMHz: Double, interfererMHz: Double, kind: ProtectionRatioTable.Kind = .tropospheric
    ) -> Double? {
        table(victim: victim, interferer: interferer, kind: kind)?.ratioDB(offsetKHz: (interfererMHz - victimMHz) * 1000)
    }

    // MARK: defaults

    /// BS.412-9 minimum median field strengths (FM, 10 m, 50 % locations, 50 % time) with the GE84 σ of 8.3 dB.
    static let fmMinimumFields: [MinimumField] = [
        ("mono_rural", 48.0), ("mono_urban", 60), ("mono_large_city", 70),
        ("stereo_rural", 54), ("stereo_urban", 66), ("stereo_large_city", 74)
    ].map {
        MinimumField(
            service: "broadcast_fm", reception: $0.0, fieldDBuVm: $0.1, sigmaDB: 8.3, locationPct: 50,
            source: "ITU-R BS.412-9 §2.1 (minimum median field strength in the presence of man-made noise)")
    }

    /// DVB-T2 reception parameters for BT.2033's Appendix 1 method (at 650 MHz, 8 MHz channel).
    public struct DVBT2Reception: Sendable, Equatable {
        public var reception: String
        public var cnDB: Double, antennaGainDBd: Double, feederLossDB: Double
        public var manMadeNoiseDB: Double, heightLossDB: Double, buildingLossDB: Double, buildingSigmaDB: Double
        public var locationPct: Double
        public var frequencyMHz = 650.0, noiseFigureDB = 6.0, noiseBandwidthHz = 7.77e6
        public static let macroSigmaDB = 5.5

        /// E_min, dB(µV/m): P_n = F + 10 log(k T0 B); P_s,min = C/N + P_n; A_a = G + 10 log(1.64 λ²/4π);
        /// φ_min = P_s,min − A_a + L_f; E_min = φ_min + 120 + 10 log(120π).
        public var eMinDBuVm: Double {
            let pn = noiseFigureDB + 10 * log10(1.38e-23 * 290 * noiseBandwidthHz)
            let lambda = 299.792458 / frequencyMHz
            let aa = antennaGainDBd + 10 * log10(1.64 * lambda * lambda / (4 * .pi))
            let phi = cnDB + pn - aa + feederLossDB
            return phi + 120 + 10 * log10(120 * .pi)
        }

        public var minimumField: MinimumField {
            MinimumField(
                service: "broadcast_tv", reception: reception,
                fieldDBuVm: eMinDBuVm + manMadeNoiseDB + heightLossDB + buildingLossDB,
                sigmaDB: (Self.macroSigmaDB * Self.macroSigmaDB + buildingSigmaDB * buildingSigmaDB).squareRoot(),
                locationPct: locationPct,
                source: "ITU-R BT.2033 Annex 1 Appendix 1 method (GE06), parameters in data/README.md")
        }
    }

    /// The DVB-T2 reception modes (parameters documented, and marked as simplified, in data/README.md).
    public static let dvbt2Receptions: [DVBT2Reception] = [
        DVBT2Reception(
            reception: "fixed", cnDB: 20.0, antennaGainDBd: 11, feederLossDB: 4, manMadeNoiseDB: 0, heightLossDB: 0,
            buildingLossDB: 0, buildingSigmaDB: 0, locationPct: 95),
        DVBT2Reception(
            reception: "portable_outdoor", cnDB: 17.0, antennaGainDBd: 0, feederLossDB: 0, manMadeNoiseDB: 0, heightLossDB: 17,
            buildingLossDB: 0, buildingSigmaDB: 0, locationPct: 95),
        DVBT2Reception(
            reception: "portable_indoor", cnDB: 17.0, antennaGainDBd: 0, feederLossDB: 0, manMadeNoiseDB: 0, heightLossDB: 17,
            buildingLossDB: 11, buildingSigmaDB: 6, locationPct: 95)
    ]

    static func table(
        _ victim: String, _ interferer: String, _ kind: ProtectionRatioTable.Kind, _ source: String, _ pts: [(Double, Double)]
    )
        -> ProtectionRatioTable
    {
        ProtectionRatioTable(
            victim: victim, interferer: interferer, kind: kind,
            points: pts.map { ProtectionRatioPoint(offsetKHz: $0.0, ratioDB: $0.1) }, source: source)
    }

    static let fmOffsets: [Double] = [0, 25, 50, 75, 100, 125, 150, 175, 200, 225, 250, 275, 300, 325, 350, 375, 400]

    /// BS.412-9 Annex 1 (Fig. 1 / Table 2) RF protection ratios for FM into FM, maximum deviation ±75 kHz, stereo.
    /// The tropospheric curve is the one the register checks use (`ProtectionRatios.defaults`).
    static let fmStereoSteady: [Double] = [45, 51, 51, 45, 33, 24.5, 18, 11, 7, 4.5, 2, -2, -7, -11.5, -15, -17.5, -20]

    public static let defaults = BroadcastCriteria(
        minimumFields: fmMinimumFields + dvbt2Receptions.map(\.minimumField),
        protection: [
            table(
                "broadcast_fm", "broadcast_fm", .steady, "ITU-R BS.412-9 Annex 1, stereophonic, steady interference",
                Array(zip(fmOffsets, fmStereoSteady))),
            table(
                "broadcast_fm", "broadcast_fm", .tropospheric, "ITU-R BS.412-9 Annex 1, stereophonic, tropospheric interference",
                ProtectionRatios.defaults.curves["broadcast_fm"]!.map { ($0.offsetKHz, $0.requiredDB) }),
            // DVB-T2 into DVB-T2 (8 MHz, 256-QAM CR 2/3 class): co-channel ≈ the C/N of the mode; N±1 and N±2 after
            // BT.2033 Annex 1 §1 (simplified to one value per channel offset).
            table(
                "broadcast_tv", "broadcast_tv", .steady, "ITU-R BT.2033 Annex 1 §1 (DVB-T2 into DVB-T2), simplified",
                [(0, 20), (8000, -28), (16000, -38)]),
            table(
                "broadcast_tv", "broadcast_tv", .tropospheric, "ITU-R BT.2033 Annex 1 §1 / Annex 5 (DVB-T2 into DVB-T2), simplified",
                [(0, 20), (8000, -28), (16000, -38)]),
            // Analogue television (PAL) into DVB-T2: BT.1368 values for an 8 MHz DVB-T(2) victim, simplified.
            table(
                "broadcast_tv", "analogue_tv", .steady, "ITU-R BT.1368 (analogue TV into digital TV), simplified",
                [(0, 4), (8000, -38), (16000, -45)]),
            table(
                "broadcast_tv", "analogue_tv", .tropospheric, "ITU-R BT.1368 (analogue TV into digital TV), simplified",
                [(0, 4), (8000, -38), (16000, -45)])
        ])
}

/// The standard normal distribution (for location corrections and the simplified multiplication method).
public enum Normal {
    /// Φ(x) = P(Z ≤ x).
    @inlinable public static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// The quantile µ with Φ(µ) = p, 0 < p < 1 (bisection on Φ to 1e-12: exact enough for planning tables).
    public static func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "quantile of \(p)")
        var lo = -40.0, hi = 40.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if cdf(mid) < p { lo = mid } else { hi = mid }
            if hi - lo < 1e-12 { break }
        }
        return (lo + hi) / 2
    }
}

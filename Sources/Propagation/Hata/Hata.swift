// Okumura-Hata and COST-231 Hata median path loss, with a vectorised batch kernel.
//
// Implements:
//  - Okumura-Hata as given in ITU-R Report SM.2028 / Hata (1980), IEEE Trans. VT-29(3), Eqs. (1)–(7):
//      L_u = 69.55 + 26.16 log f − 13.82 log h_b − a(h_m) + (44.9 − 6.55 log h_b) log d
//    with the urban, suburban and open-area corrections.
//  - COST-231 Hata (COST Action 231 final report, §4.4.1, Eq. 4.4.1):
//      L = 46.3 + 33.9 log f − 13.82 log h_b − a(h_m) + (44.9 − 6.55 log h_b) log d + C_m
//    C_m = 0 dB for medium cities and suburban centres, 3 dB for metropolitan centres.
//  f in MHz, h_b (base) and h_m (mobile) in m above ground, d in km.
//
// Validity (Hata 1980; COST 231): f 150–1500 MHz (Hata), 1500–2000 MHz (COST-231); h_b 30–200 m; h_m 1–10 m;
// d 1–20 km. Outside these ranges the formulas are extrapolated and the result carries a warning flag.
// Hard errors: non-positive heights, distances or frequencies (the logarithms are undefined).
// Left out: the Hata "large city" 200/400 MHz split for a(h_m) is applied at 300 MHz (the midpoint used by
// ITU-R SM.2028), see `mobileCorrectionDB`.
import Foundation

public enum Hata {
    public enum Environment: String, Sendable, CaseIterable {
        case urban, suburban, open
    }

    public enum CitySize: String, Sendable, CaseIterable {
        /// Small or medium city (the default a(h_m)).
        case smallMedium = "small"
        /// Large city (metropolitan centre for COST-231: C_m = 3 dB).
        case large
    }

    public enum Variant: String, Sendable { case okumuraHata = "hata", cost231 }

    public struct Warnings: NamedWarnings, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let frequencyOutOfRange = Warnings(rawValue: 1 << 0)
        public static let baseHeightOutOfRange = Warnings(rawValue: 1 << 1)
        public static let mobileHeightOutOfRange = Warnings(rawValue: 1 << 2)
        public static let distanceOutOfRange = Warnings(rawValue: 1 << 3)

        public static let named: [(flag: Warnings, name: String)] = [
            (.frequencyOutOfRange, "frequency_out_of_range"), (.baseHeightOutOfRange, "base_height_out_of_range"),
            (.mobileHeightOutOfRange, "mobile_height_out_of_range"), (.distanceOutOfRange, "distance_out_of_range")
        ]
    }

    /// A configured link geometry whose loss is `interceptDB + slopeDB · log10(d_km)`.
    /// Everything that does not depend on distance is computed once, so the per-receiver work is one log10.
    public struct Setup: Sendable, Equatable {
        public let variant: Variant
        public let environment: Environment
        public let citySize: CitySize
        public let frequencyMHz: Double
        public let baseHeightM: Double
        public let mobileHeightM: Double
        /// a(h_m), dB.
        public let mobileCorrectionDB: Double
        /// Loss at 1 km, dB.
        public let interceptDB: Double
        /// dB per decade of distance: 44.9 − 6.55 log h_b.
        public let slopeDB: Double
        public let warnings: Warnings

        public init(
            variant: Variant, environment: Environment = .urban, citySize: CitySize = .smallMedium,
            frequencyMHz: Double, baseHeightM: Double, mobileHeightM: Double
        ) throws {
            let model = variant == .cost231 ? "cost231" : "hata"
            try ModelInputError.check(model, "frequency_mhz", frequencyMHz, 1, 100_000, unit: "MHz")
            try ModelInputError.check(model, "tx_height_m", baseHeightM, 0.5, 3000, unit: "m")
            try ModelInputError.check(model, "rx_height_m", mobileHeightM, 0.5, 3000, unit: "m")
            self.variant = variant
            self.environment = environment
            self.citySize = citySize
            self.frequencyMHz = frequencyMHz
            self.baseHeightM = baseHeightM
            self.mobileHeightM = mobileHeightM

            var w: Warnings = []
            let fRange: ClosedRange<Double> = variant == .okumuraHata ? 150...1500 : 1500...2000
            if !fRange.contains(frequencyMHz) { w.insert(.frequencyOutOfRange) }
            if !(30...200).contains(baseHeightM) { w.insert(.baseHeightOutOfRange) }
            if !(1...10).contains(mobileHeightM) { w.insert(.mobileHeightOutOfRange) }
            warnings = w

            let logF = log10(frequencyMHz) // log f, f in MHz
            let logHb = log10(baseHeightM) // log h_b, h_b in m
            let hm = mobileHeightM // h_m, m
            let aHm = Hata.mobileCorrectionDB(frequencyMHz: frequencyMHz, mobileHeightM: hm, citySize: citySize)
            mobileCorrectionDB = aHm
            slopeDB = 44.9 - 6.55 * logHb // Hata Eq. (4), distance term

            switch variant {
            case .okumuraHata:
                let urban = 69.55 + 26.16 * logF - 13.82 * logHb - aHm // Hata Eq. (4) at d = 1 km
                switch environment {
                case .urban: interceptDB = urban
                case .suburban:
                    let t = log10(frequencyMHz / 28)
                    interceptDB = urban - 2 * t * t - 5.4 // Hata Eq. (5)
                case .open:
                    interceptDB = urban - 4.78 * logF * logF + 18.33 * logF - 40.94 // Hata Eq. (6)
                }
            case .cost231:
                // COST 231 Eq. (4.4.1): C_m = 3 dB for metropolitan centres, 0 dB otherwise. COST-231 defines no
                // open-area variant; "open" and "suburban" use C_m = 0 (medium city).
                let cm = (environment == .urban && citySize == .large) ? 3.0 : 0.0
                interceptDB = 46.3 + 33.9 * logF - 13.82 * logHb - aHm + cm
            }
        }

        /// Median loss, dB, at a distance in km (no free-space switch; see `Hata.lossDB`).
        @inlinable
        public func hataLossDB(distanceKm: Double) -> Double {
            interceptDB + slopeDB * log10(distanceKm)
        }
    }

    /// Mobile antenna height correction a(h_m), dB (Hata 1980, Eqs. (2)–(3)).
    public static func mobileCorrectionDB(frequencyMHz: Double, mobileHeightM hm: Double, citySize: CitySize) -> Double {
        let logF = log10(frequencyMHz)
        switch citySize {
        case .smallMedium:
            return (1.1 * logF - 0.7) * hm - (1.56 * logF - 0.8) // Eq. (2)
        case .large:
            if frequencyMHz <= 300 {
                let t = log10(1.54 * hm); return 8.29 * t * t - 1.1 // Eq. (3a), f ≤ 200 MHz
            } else {
                let t = log10(11.75 * hm); return 3.2 * t * t - 4.97 // Eq. (3b), f ≥ 400 MHz
            }
        }
    }

    public struct Result: Sendable, Equatable {
        public let lossDB: Double
        /// True when free-space loss exceeded the extrapolated Hata value (short range) and was used instead.
        public let usedFreeSpace: Bool
        public let warnings: Warnings
        public let setup: Setup
    }

    /// Median loss at a distance, dB.
    ///
    /// Short range: Hata is defined from 1 km. A plain switch to free space below 1 km would jump by ~35 dB at
    /// 1 km (126 dB Hata against 91 dB free space at 900 MHz), so below 1 km tanso extrapolates Hata's
    /// formula and floors it at free-space loss: L = max(L_Hata(d), L_fs(d)), continuous everywhere and never
    /// below free space. Outside 1–20 km the result carries `.distanceOutOfRange`.
    public static func loss(distanceKm: Double, setup: Setup) throws -> Result {
        try ModelInputError.check(setup.variant.rawValue, "distance_km", distanceKm, 1e-6, 1e5, unit: "km")
        var w = setup.warnings
        if distanceKm > 20 || distanceKm < 1 { w.insert(.distanceOutOfRange) }
        let hata = setup.hataLossDB(distanceKm: distanceKm)
        let fs = FreeSpace.lossDB(distanceKm: distanceKm, frequencyMHz: setup.frequencyMHz)
        return Result(lossDB: max(hata, fs), usedFreeSpace: fs > hata, warnings: w, setup: setup)
    }

    /// Batch kernel: loss, dB, for many distances (km) with the same setup, by the same rule as `loss`.
    /// Single precision, vectorised (one polynomial log per element); distances must be positive.
    /// Agrees with `loss` to within 1e-4 dB.
    public static func lossDB(distancesKm: UnsafeBufferPointer<Float>, setup: Setup, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(out.count >= distancesKm.count)
        let a = Float(setup.interceptDB), b = Float(setup.slopeDB) * FastLog.log10_2
        let fsA = Float(FreeSpace.lossDB(distanceKm: 1, frequencyMHz: setup.frequencyMHz)), fsB = 20 * FastLog.log10_2
        for i in 0..<distancesKm.count {
            let l2 = FastLog.log2(distancesKm[i])
            out[i] = Swift.max(a + b * l2, fsA + fsB * l2)
        }
    }
}

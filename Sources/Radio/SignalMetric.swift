// The signal metric each technology is planned with, converted from the total received channel power that the
// coverage engine computes (EIRP − path loss + antenna gain, over the whole channel bandwidth).
//
// The engine's rasters hold P_tot, the power of the whole downlink carrier at the receiver antenna port. The
// technologies are planned and measured on narrower quantities:
//
//   2G  RxLev (3GPP TS 45.008 §8.1): the received level of the 200 kHz carrier. The BCCH carrier is sent at full
//       power on every timeslot, so RxLev = P_tot (offset 0 dB).
//   3G  CPICH RSCP (TS 25.215 §5.1.1): the code power of the primary common pilot. The CPICH is usually given about
//       10 % of the cell's power (Holma & Toskala, "WCDMA for UMTS", 5th ed., §8.3: 5–10 %), so with the carrier
//       at full load RSCP = P_tot − 10 dB. The share is a parameter (`cpichShareDB`).
//   4G  RSRP (TS 36.214 §5.1.1): the power of one resource element of the cell-specific reference signal. With
//       the power spread evenly over the 12·N_RB subcarriers of the channel (reference signals at the same EPRE as
//       the data, the usual setting), RSRP = P_tot − 10·log10(12·N_RB), N_RB from the bandwidth per TS 36.101
//       Table 5.6-1 (1.4 → 6, 3 → 15, 5 → 25, 10 → 50, 15 → 75, 20 → 100). 10 MHz: −27.8 dB; 20 MHz: −30.8 dB.
//   5G  SS-RSRP (TS 38.215 §5.1.1): the power per resource element of the secondary synchronisation signal. With
//       SSB EPRE equal to the data EPRE, SS-RSRP = P_tot − 10·log10(12·N_RB), N_RB from the bandwidth and the
//       subcarrier spacing per TS 38.101-1 Table 5.3.2-1 (FR1) and TS 38.101-2 Table 5.3.2-1 (FR2); e.g. 100 MHz at
//       30 kHz → 273 RB, −35.2 dB. The SCS defaults to 30 kHz in FR1 (the n78/n41 deployments) and 120 kHz in FR2.
//
// Default outdoor thresholds (planning values for "good outdoor service" at 1.5 m; QCVN 81:2019/BTTTT defines the
// mobile broadband service area by throughput, not by a signal level, so these are the planner's choice and are
// documented in data/README.md, Signal metrics):
//   2G RxLev −95 dBm, 3G RSCP −100 dBm, 4G RSRP −110 dBm, 5G SS-RSRP −110 dBm.
// Indoor service adds a building penetration margin (typically 10–20 dB; ITU-R P.2109 gives ≈ 12 dB median at
// 2 GHz for traditional buildings), configurable; the default is 0 (outdoor).
import Foundation

/// The kind of measured quantity a technology's coverage is planned with.
public enum SignalMetricKind: String, Sendable, Codable, CaseIterable {
    case rxLev = "RxLev", rscp = "RSCP", rsrp = "RSRP", ssRSRP = "SS-RSRP", total = "total"
}

public struct SignalMetricError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Conversion from total channel power to a technology's metric, and its default threshold.
public struct SignalMetric: Sendable, Equatable {
    public let technology: Technology
    public let kind: SignalMetricKind
    /// 3G only: the CPICH share of the carrier power, dB (negative).
    public var cpichShareDB: Double = -10

    public init(technology: Technology, cpichShareDB: Double = -10) {
        self.technology = technology
        self.cpichShareDB = cpichShareDB
        switch technology {
        case .gsm: kind = .rxLev
        case .umts: kind = .rscp
        case .lte: kind = .rsrp
        case .nr: kind = .ssRSRP
        default: kind = .total
        }
    }

    /// Default outdoor threshold of the metric, dBm (see the file header).
    public var defaultThresholdDBm: Double {
        switch technology {
        case .gsm: return -95
        case .umts: return -100
        case .lte: return -110
        case .nr: return -110
        default: return CoverageThresholds.defaults.threshold(for: technology)
        }
    }

    /// The metric minus the total channel power, dB (≤ 0): add it to P_tot to get the metric.
    /// - Parameters:
    ///   - bandwidthMHz: the carrier's channel bandwidth (4G, 5G).
    ///   - frequencyMHz: 5G only, to tell FR1 from FR2 for the default subcarrier spacing.
    ///   - scsKHz: 5G only: subcarrier spacing (15, 30, 60 in FR1; 60, 120 in FR2); nil = 30 (FR1) or 120 (FR2).
    public func offsetDB(bandwidthMHz: Double, frequencyMHz: Double = 3500, scsKHz: Double? = nil) throws -> Double {
        switch kind {
        case .rxLev, .total: return 0
        case .rscp: return cpichShareDB
        case .rsrp:
            return -10 * log10(12 * Double(try Self.lteResourceBlocks(bandwidthMHz: bandwidthMHz)))
        case .ssRSRP:
            let fr2 = frequencyMHz > 7_125
            let scs = scsKHz ?? (fr2 ? 120 : 30)
            return -10 * log10(12 * Double(try Self.nrResourceBlocks(bandwidthMHz: bandwidthMHz, scsKHz: scs, fr2: fr2)))
        }
    }

    /// The metric (dBm) for a total channel power (dBm).
    public func value(totalDBm: Double, bandwidthMHz: Double, frequencyMHz: Double = 3500, scsKHz: Double? = nil) throws -> Double {
        totalDBm + (try offsetDB(bandwidthMHz: bandwidthMHz, frequencyMHz: frequencyMHz, scsKHz: scsKHz))
    }

    /// Transmission bandwidth configuration N_RB of LTE, TS 36.101 Table 5.6-1.
    public static let lteTable: [(bandwidthMHz: Double, rb: Int)] = [(1.4, 6), (3, 15), (5, 25), (10, 50), (15, 75), (20, 100)]

    /// N_RB of NR FR1 per subcarrier spacing, TS 38.101-1 Table 5.3.2-1 (bandwidth MHz → N_RB).
    public static let nrFR1Table: [Double: [(bandwidthMHz: Double, rb: Int)]] = [
        15: [(5, 25), (10, 52), (15, 79), (20, 106), (25, 133), (30, 160), (40, 216), (50, 270)],
        30: [
            (5, 11), (10, 24), (15, 38), (20, 51), (25, 65), (30, 78), (40, 106), (50, 133), (60, 162), (70, 189),
            (80, 217), (90, 245), (100, 273)
        ],
        60: [
            (10, 11), (15, 18), (20, 24), (25, 31), (30, 38), (40, 51), (50, 65), (60, 79), (70, 93), (80, 107),
            (90, 121), (100, 135)
        ]
    ]

    /// N_RB of NR FR2, TS 38.101-2 Table 5.3.2-1.
    public static let nrFR2Table: [Double: [(bandwidthMHz: Double, rb: Int)]] = [
        60: [(50, 66), (100, 132), (200, 264)],
        120: [(50, 32), (100, 66), (200, 132), (400, 264)]
    ]

    public static func lteResourceBlocks(bandwidthMHz: Double) throws -> Int {
        guard let e = lteTable.first(where: { abs($0.bandwidthMHz - bandwidthMHz) < 0.05 }) else {
            throw SignalMetricError("LTE channel bandwidth \(format(bandwidthMHz)) MHz is not one of 1.4, 3, 5, 10, 15, 20 MHz (TS 36.101 Table 5.6-1)")
        }
        return e.rb
    }

    public static func nrResourceBlocks(bandwidthMHz: Double, scsKHz: Double, fr2: Bool = false) throws -> Int {
        let table = fr2 ? nrFR2Table : nrFR1Table
        guard let rows = table[scsKHz] else {
            throw SignalMetricError("NR subcarrier spacing \(format(scsKHz)) kHz is not defined in \(fr2 ? "FR2 (60, 120 kHz)" : "FR1 (15, 30, 60 kHz)")")
        }
        guard let e = rows.first(where: { abs($0.bandwidthMHz - bandwidthMHz) < 0.05 }) else {
            throw SignalMetricError(
                "NR channel bandwidth \(format(bandwidthMHz)) MHz at \(format(scsKHz)) kHz is not one of "
                    + rows.map { format($0.bandwidthMHz) }.joined(separator: ", ") + " MHz (TS 38.101-\(fr2 ? 2 : 1) Table 5.3.2-1)")
        }
        return e.rb
    }

    public static func format(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}

/// Coverage thresholds in each technology's own metric, with an indoor margin.
public struct MetricThresholds: Sendable, Equatable, Codable {
    /// Outdoor thresholds per technology (metric dBm).
    public var outdoorDBm: [String: Double]
    /// Building penetration margin added to every threshold, dB (0 = outdoor service).
    public var indoorMarginDB: Double
    /// 3G: CPICH share of the carrier power, dB.
    public var cpichShareDB: Double
    /// 5G: subcarrier spacing, kHz (nil: 30 kHz in FR1, 120 kHz in FR2).
    public var nrSCSkHz: Double?

    public init(outdoorDBm: [String: Double]? = nil, indoorMarginDB: Double = 0, cpichShareDB: Double = -10, nrSCSkHz: Double? = nil) {
        self.outdoorDBm =
            outdoorDBm
            ?? Dictionary(
                uniqueKeysWithValues: [Technology.gsm, .umts, .lte, .nr].map {
                    ($0.rawValue, SignalMetric(technology: $0).defaultThresholdDBm)
                })
        self.indoorMarginDB = indoorMarginDB
        self.cpichShareDB = cpichShareDB
        self.nrSCSkHz = nrSCSkHz
    }

    public static let defaults = MetricThresholds()

    public func metric(for tech: Technology) -> SignalMetric { SignalMetric(technology: tech, cpichShareDB: cpichShareDB) }

    /// The threshold (metric dBm) a service must reach: outdoor threshold + indoor margin.
    public func threshold(for tech: Technology) -> Double {
        (outdoorDBm[tech.rawValue] ?? metric(for: tech).defaultThresholdDBm) + indoorMarginDB
    }

    /// The same threshold expressed as total channel power (dBm) for a carrier of the given bandwidth.
    public func totalPowerThreshold(for tech: Technology, bandwidthMHz: Double, frequencyMHz: Double = 3500) throws -> Double {
        threshold(for: tech) - (try metric(for: tech).offsetDB(bandwidthMHz: bandwidthMHz, frequencyMHz: frequencyMHz, scsKHz: nrSCSkHz))
    }
}

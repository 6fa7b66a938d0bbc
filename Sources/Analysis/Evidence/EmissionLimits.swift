// Unwanted-emission and receiver limits that the complaint ranking assumes for every station of the register.
//
// Spurious emissions (harmonics included) at the ITU-R SM.329-12 Annex 1 Category A limits, Table 1: the
// attenuation below the mean power P supplied to the antenna transmission line, "whichever is less stringent",
// i.e. the larger of an absolute level and a level relative to the carrier:
//
//   category                    attenuation                    absolute level   relative   cap
//   all services not below      43 + 10 log P (W), or 70 dBc   −13 dBm          P − 70     –
//   services below 30 MHz       43 + 10 log P, or 60 dBc       −13 dBm          P − 60     –
//   broadcast_fm                46 + 10 log P, or 70 dBc       −16 dBm          P − 70     1 mW (0 dBm)
//   broadcast_tv                46 + 10 log P, or 60 dBc       −16 dBm          P − 60     1 mW VHF, 12 mW UHF
//
// in the reference bandwidth of SM.329 Annex 1 §2.3 at the victim's frequency: 1 kHz from 9 to 150 kHz, 10 kHz to
// 30 MHz, 100 kHz to 1 GHz, 1 MHz above. The spurious domain starts 250 % of the necessary bandwidth from the
// centre (SM.329 §1.3, ITU-R SM.1539 for the usual case).
//
// Receiver blocking: the level of an unwanted signal outside the adjacent channels at which the receiver is
// desensitised by 3 dB (equivalent I/N 0 dB), per victim service, within a front-end half-width around the victim's
// frequency. The defaults are screening values rounded from the standards named in `BlockingTable.defaults`;
// `tanso interference --blocking FILE` replaces them.
import Foundation
import Radio

/// The SM.329 Category A spurious limit of a transmitter.
public enum SpuriousLimits {
    /// Largest spurious power (dBm, in the reference bandwidth) allowed to a transmitter of `service` supplying
    /// `powerDBm` to its antenna on `carrierMHz`.
    public static func limitDBm(service: String, powerDBm p: Double, carrierMHz f: Double) -> Double {
        switch service {
        case "broadcast_fm": return min(max(-16, p - 70), 0)
        case "broadcast_tv": return min(max(-16, p - 60), f < 300 ? 0 : 10 * log10(12))
        default: return f < 30 ? max(-13, p - 60) : max(-13, p - 70)
        }
    }

    /// The row of the table used, for the explanation.
    public static func rule(service: String, carrierMHz f: Double) -> String {
        switch service {
        case "broadcast_fm": return "SM.329 Cat. A broadcast FM: 46 + 10 log P or 70 dBc, ≤ 1 mW"
        case "broadcast_tv": return "SM.329 Cat. A broadcast TV: 46 + 10 log P or 60 dBc, ≤ \(f < 300 ? "1" : "12") mW"
        default: return f < 30 ? "SM.329 Cat. A below 30 MHz: 43 + 10 log P or 60 dBc" : "SM.329 Cat. A: 43 + 10 log P or 70 dBc"
        }
    }

    /// SM.329 reference bandwidth at `frequencyMHz`, kHz.
    public static func referenceBandwidthKHz(frequencyMHz f: Double) -> Double {
        f < 0.15 ? 1 : f < 30 ? 10 : f < 1000 ? 100 : 1000
    }

    /// Centre offset from which a transmitter of necessary bandwidth `bandwidthKHz` is in its spurious domain, kHz.
    public static func spuriousDomainOffsetKHz(bandwidthKHz: Double) -> Double { 2.5 * bandwidthKHz }
}

/// Receiver blocking levels per victim service (replaceable).
public struct BlockingTable: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// Half-width of the receiver's front end around the victim frequency, MHz.
        public var frontEndMHz: Double
        /// Blocking level at the receiver input, dBm.
        public var blockingDBm: Double
        public init(frontEndMHz: Double, blockingDBm: Double) { self.frontEndMHz = frontEndMHz; self.blockingDBm = blockingDBm }
    }

    public var entries: [String: Entry]
    public init(entries: [String: Entry]) { self.entries = entries }

    public func entry(_ service: String) -> Entry { entries[service] ?? entries["other"] ?? Self.defaults.entries["other"]! }

    /// Screening defaults (dBm at the receiver input, MHz):
    /// - mobile: −44 dBm within 60 MHz (3GPP TS 36.101 §7.6.1 in-band blocking of an LTE UE);
    /// - land_mobile: −29 dBm within 10 MHz (ETSI EN 300 086 / EN 300 113 blocking ≥ 84 dBµV e.m.f., i.e. −29 dBm
    ///   available power from 50 Ω);
    /// - broadcast_fm: −30 dBm within 10 MHz; broadcast_tv: −35 dBm within 50 MHz (consumer receivers, rounded);
    /// - fixed: −30 dBm within 100 MHz; other: −30 dBm within 10 % of the frequency (at least 10 MHz, entry 0
    ///   means that rule).
    public static let defaults = BlockingTable(entries: [
        "mobile": Entry(frontEndMHz: 60, blockingDBm: -44),
        "land_mobile": Entry(frontEndMHz: 10, blockingDBm: -29),
        "broadcast_fm": Entry(frontEndMHz: 10, blockingDBm: -30),
        "broadcast_tv": Entry(frontEndMHz: 50, blockingDBm: -35),
        "fixed": Entry(frontEndMHz: 100, blockingDBm: -30),
        "other": Entry(frontEndMHz: 0, blockingDBm: -30)
    ])

    /// Front-end half-width for a victim at `frequencyMHz`, MHz.
    public func frontEndMHz(_ service: String, frequencyMHz: Double) -> Double {
        let e = entry(service)
        return e.frontEndMHz > 0 ? e.frontEndMHz : max(10, 0.1 * frequencyMHz)
    }
}

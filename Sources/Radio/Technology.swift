// Radio technologies and their coverage metrics.
import Foundation

/// The technology of a transmitter, as in the data contract's `technology` column.
public enum Technology: String, Sendable, CaseIterable, Comparable, Codable {
    case gsm = "2G", umts = "3G", lte = "4G", nr = "5G", fm = "FM", tv = "TV", other = "other"

    /// Accepts the contract's spellings case-insensitively ("4G", "lte", "5g", "NR", "GSM", …).
    public init?(parsing raw: String) {
        switch raw.trimmingCharacters(in: .whitespaces).uppercased() {
        case "2G", "GSM": self = .gsm
        case "3G", "UMTS", "WCDMA": self = .umts
        case "4G", "LTE": self = .lte
        case "5G", "NR": self = .nr
        case "FM": self = .fm
        case "TV", "DVB-T", "DVB-T2": self = .tv
        case "OTHER": self = .other
        default: return nil
        }
    }

    public static func < (a: Technology, b: Technology) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Coverage thresholds, expressed as the total received power in the channel (dBm) at the receiver antenna
/// port, 1.5 m above ground, outdoors. The first skeleton uses total channel power; the per-technology metrics
/// (RxLev, RSCP, RSRP, SS-RSRP) arrive with the compliance issue.
public struct CoverageThresholds: Sendable, Equatable {
    public var dBm: [Technology: Double]

    /// Defaults: typical outdoor planning thresholds for good service, as total channel power:
    /// 2G RxLev −95 dBm (200 kHz); 3G −95 dBm RSCP +10 dB pilot share ≈ −85 dBm total in 5 MHz;
    /// 4G RSRP −105 dBm +10·log10(12·N_RB) (≈ +30.8 dB for 10 MHz) ≈ −75 dBm total; 5G SS-RSRP −105 dBm in a
    /// wider channel ≈ −70 dBm total; FM/TV −70 dBm.
    public static let defaults = CoverageThresholds(dBm: [.gsm: -95, .umts: -85, .lte: -80, .nr: -75, .fm: -70, .tv: -70, .other: -90])

    public func threshold(for tech: Technology) -> Double { dBm[tech] ?? -90 }
}

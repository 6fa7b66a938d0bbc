// Channel numbers → downlink centre frequencies, as the 3GPP specifications define them:
//
//   GSM ARFCN   3GPP TS 45.005 §2 (P-/E-/R-GSM 900, DCS 1800, GSM 850, GSM 450/480). ARFCN 512–810 is DCS 1800
//               unless the caller says PCS 1900 (the two share the numbers; Vietnam uses DCS).
//   UARFCN      3GPP TS 25.101 §5.4.4 Table 5.2: N_DL = 5 · (F_DL − F_DL_Offset), general channels of the bands
//               listed in `umtsBands` (additional channels of bands II, IV, V … are not taken).
//   EARFCN      3GPP TS 36.101 §5.7.3: F_DL = F_DL_low + 0.1 · (N_DL − N_Offs-DL), Table 5.7.3-1.
//   NR-ARFCN    3GPP TS 38.104 §5.4.2.1: F_REF = F_REF-Offs + ΔF_Global · (N_REF − N_REF-Offs), Table 5.4.2.1-1.
//
// Only downlink numbers are accepted (a survey measures the downlink): an uplink EARFCN is an error that says so.
import Foundation

public enum ChannelNumberKind: String, Sendable, CaseIterable {
    case arfcn, uarfcn, earfcn, nrarfcn

    /// The specification that defines the numbering.
    public var specification: String {
        switch self {
        case .arfcn: return "3GPP TS 45.005 §2"
        case .uarfcn: return "3GPP TS 25.101 §5.4.4"
        case .earfcn: return "3GPP TS 36.101 §5.7.3"
        case .nrarfcn: return "3GPP TS 38.104 §5.4.2.1"
        }
    }
}

public struct ChannelNumberError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

public enum ChannelNumbers {
    /// Downlink centre frequency (MHz) of a channel number of the given kind.
    public static func downlinkMHz(_ n: Int, kind: ChannelNumberKind, pcs1900: Bool = false) throws -> Double {
        switch kind {
        case .arfcn: return try gsmDownlinkMHz(n, pcs1900: pcs1900)
        case .uarfcn: return try umtsDownlinkMHz(n)
        case .earfcn: return try lteDownlinkMHz(n)
        case .nrarfcn: return try nrMHz(n)
        }
    }

    /// TS 45.005 §2: F_l(n) uplink, F_u(n) = F_l(n) + duplex spacing downlink.
    public static func gsmDownlinkMHz(_ n: Int, pcs1900: Bool = false) throws -> Double {
        let uplink: Double, duplex: Double
        switch n {
        case 0...124: uplink = 890 + 0.2 * Double(n); duplex = 45 // P-GSM (1–124), E-GSM (0)
        case 940...1023: uplink = 890 + 0.2 * Double(n - 1024); duplex = 45 // E-GSM 975–1023, R-GSM 940–1023
        case 128...251: uplink = 824.2 + 0.2 * Double(n - 128); duplex = 45 // GSM 850
        case 259...293: uplink = 450.6 + 0.2 * Double(n - 259); duplex = 10 // GSM 450
        case 306...340: uplink = 479 + 0.2 * Double(n - 306); duplex = 10 // GSM 480
        case 512...810 where pcs1900: uplink = 1850.2 + 0.2 * Double(n - 512); duplex = 80 // PCS 1900
        case 512...885: uplink = 1710.2 + 0.2 * Double(n - 512); duplex = 95 // DCS 1800
        default:
            throw ChannelNumberError(
                message: "ARFCN \(n) is in no GSM band of TS 45.005 §2 (0–124, 128–251, 259–293, 306–340, 512–885, 940–1023)")
        }
        return ((uplink + duplex) * 10).rounded() / 10
    }

    /// UMTS bands: (band, first and last downlink UARFCN of the general channels, F_DL_Offset MHz), TS 25.101
    /// Table 5.2.
    public static let umtsBands: [(band: String, first: Int, last: Int, offsetMHz: Double)] = [
        ("I", 10562, 10838, 0), ("II", 9662, 9938, 0), ("III", 1162, 1513, 1575), ("IV", 1537, 1738, 1805),
        ("V", 4357, 4458, 0), ("VII", 2237, 2563, 2175), ("VIII", 2937, 3088, 340), ("IX", 9237, 9387, 0),
        ("XIX", 712, 763, 735), ("XX", 4512, 4638, -109)
    ]

    public static func umtsDownlinkMHz(_ n: Int) throws -> Double {
        guard let b = umtsBands.first(where: { (($0.first)...($0.last)).contains(n) }) else {
            throw ChannelNumberError(
                message: "UARFCN \(n) is not a downlink channel of UMTS bands "
                    + umtsBands.map { "\($0.band) (\($0.first)–\($0.last))" }.joined(separator: ", ") + " (TS 25.101 Table 5.2)")
        }
        return ((Double(n) / 5 + b.offsetMHz) * 10).rounded() / 10
    }

    /// LTE bands: (band, F_DL_low MHz, N_Offs-DL, last N_DL), TS 36.101 Table 5.7.3-1.
    public static let lteBands: [(band: Int, lowMHz: Double, offset: Int, last: Int)] = [
        (1, 2110, 0, 599), (2, 1930, 600, 1199), (3, 1805, 1200, 1949), (4, 2110, 1950, 2399), (5, 869, 2400, 2649),
        (7, 2620, 2750, 3449), (8, 925, 3450, 3799), (12, 729, 5010, 5179), (13, 746, 5180, 5279), (14, 758, 5280, 5379),
        (17, 734, 5730, 5849), (18, 860, 5850, 5999), (19, 875, 6000, 6149), (20, 791, 6150, 6449), (25, 1930, 8040, 8689),
        (26, 859, 8690, 9039), (28, 758, 9210, 9659), (38, 2570, 37750, 38249), (39, 1880, 38250, 38649),
        (40, 2300, 38650, 39649), (41, 2496, 39650, 41589), (42, 3400, 41590, 43589), (43, 3600, 43590, 45589),
        (66, 2110, 66436, 67335), (71, 617, 68586, 68935)
    ]

    public static func lteDownlinkMHz(_ n: Int) throws -> Double {
        guard let b = lteBands.first(where: { ($0.offset...$0.last).contains(n) }) else {
            let uplink = (18000...27659).contains(n) || (131072...134001).contains(n)
            throw ChannelNumberError(
                message: "EARFCN \(n) is not a downlink channel of the LTE bands of TS 36.101 Table 5.7.3-1"
                    + (uplink ? " (it is an uplink EARFCN: give the downlink one)" : ""))
        }
        return ((b.lowMHz + 0.1 * Double(n - b.offset)) * 10).rounded() / 10
    }

    /// TS 38.104 Table 5.4.2.1-1: the global frequency raster.
    public static func nrMHz(_ n: Int) throws -> Double {
        let f: Double
        switch n {
        case 0...599_999: f = 0.005 * Double(n)
        case 600_000...2_016_666: f = 3000 + 0.015 * Double(n - 600_000)
        case 2_016_667...3_279_165: f = 24250.08 + 0.06 * Double(n - 2_016_667)
        default: throw ChannelNumberError(message: "NR-ARFCN \(n) is outside 0–3279165 (TS 38.104 Table 5.4.2.1-1)")
        }
        return (f * 1000).rounded() / 1000
    }
}

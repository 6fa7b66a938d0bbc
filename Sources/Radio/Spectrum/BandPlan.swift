// Band plan: allocations by service, with duplex pairing and block licensing, and a documented default for
// Vietnam that users replace with `--band-plan FILE` (format in data/README.md).
import Foundation

public struct Allocation: Sendable, Equatable {
    /// Name of the band or block, e.g. "B3 DL".
    public var name: String
    /// Services allowed (lower-case names).
    public var services: Set<String>
    public var lowMHz: Double
    public var highMHz: Double
    /// Name of the paired allocation for FDD systems (receive side of this one), if any.
    public var pairedName: String?
    /// Block-licensed band with block-edge masks: adjacent blocks of different licensees coexist by design
    /// and are not screened for adjacent-channel interference, and one licensee's reuse of its own channels
    /// inside the band is its own network planning (not screened). Co-channel use by different licensees is.
    public var blockLicensed: Bool

    public init(
        name: String, services: Set<String>, lowMHz: Double, highMHz: Double, pairedName: String? = nil,
        blockLicensed: Bool = false
    ) {
        self.name = name; self.services = services; self.lowMHz = lowMHz; self.highMHz = highMHz
        self.pairedName = pairedName; self.blockLicensed = blockLicensed
    }

    public var band: Channel { Channel(centreMHz: (lowMHz + highMHz) / 2, bandwidthKHz: (highMHz - lowMHz) * 1000) }
}

public struct BandPlan: Sendable, Equatable {
    public var name: String
    public var allocations: [Allocation]

    public init(name: String, allocations: [Allocation]) {
        self.name = name
        self.allocations = allocations.sorted { $0.lowMHz < $1.lowMHz }
    }

    /// The allocation of `service` that holds the whole channel, if any.
    public func allocation(for channel: Channel, service: String) -> Allocation? {
        allocations.first { $0.band.contains(channel) && $0.services.contains(service) }
    }

    /// The index in `allocations` of `allocation(for:service:)`.
    public func allocationIndex(for channel: Channel, service: String) -> Int? {
        allocations.firstIndex { $0.band.contains(channel) && $0.services.contains(service) }
    }

    public func allocation(named name: String) -> Allocation? { allocations.first { $0.name == name } }

    /// Why an assignment does not fit the plan, or nil when it does.
    public func violation(service: String, tx: Channel, rx: Channel?) -> String? {
        check(service: service, tx: tx, rx: rx).violation
    }

    /// `violation(service:tx:rx:)` and `allocationIndex(for: tx, service:)` from one scan of the plan (the screening
    /// asks both of every assignment).
    public func check(service: String, tx: Channel, rx: Channel?) -> (violation: String?, allocation: Int?) {
        guard let index = allocationIndex(for: tx, service: service) else {
            let near = allocations.filter { $0.band.overlapKHz(with: tx) > 0 }
            let what =
                near.isEmpty
                ? "no allocation of the band plan covers it"
                : "it falls in " + near.map { "\($0.name) (\($0.services.sorted().joined(separator: "/")))" }.joined(separator: ", ")
                    + (near.contains { $0.services.contains(service) } ? " but not wholly inside it" : "")
            return ("transmit channel \(mhz(tx.lowMHz))–\(mhz(tx.highMHz)) MHz is outside every \(service) allocation of the \(name) band plan: \(what)", nil)
        }
        guard let rx else { return (nil, index) }
        let a = allocations[index]
        if let pairedName = a.pairedName, let paired = allocation(named: pairedName) {
            if !paired.band.contains(rx) {
                return (
                    "receive channel \(mhz(rx.lowMHz))–\(mhz(rx.highMHz)) MHz is outside \(paired.name) (\(mhz(paired.lowMHz))–\(mhz(paired.highMHz)) MHz), the duplex pair of \(a.name)",
                    index
                )
            }
        } else if allocation(for: rx, service: service) == nil {
            return ("receive channel \(mhz(rx.lowMHz))–\(mhz(rx.highMHz)) MHz is outside every \(service) allocation of the \(name) band plan", index)
        }
        return (nil, index)
    }

    /// The default for Vietnam (indicative, after the National Frequency Allocation Table and the IMT band
    /// assignments; replace it with the official plan in force). Mobile bands are block-licensed FDD pairs
    /// (3GPP bands 28, 8, 3, 1) or TDD blocks (bands 40, 41, n78); FM and TV broadcasting, VHF/UHF land mobile
    /// and the fixed-link bands are assigned channel by channel.
    public static let vietnamDefault = BandPlan(
        name: "Vietnam default",
        allocations: [
            Allocation(name: "FM broadcasting", services: ["broadcast_fm"], lowMHz: 87.5, highMHz: 108),
            Allocation(name: "VHF land mobile", services: ["land_mobile", "fixed"], lowMHz: 136, highMHz: 174),
            Allocation(name: "VHF TV (band III)", services: ["broadcast_tv"], lowMHz: 174, highMHz: 230),
            Allocation(name: "UHF land mobile 403-470", services: ["land_mobile", "fixed"], lowMHz: 403, highMHz: 470),
            Allocation(name: "UHF TV (bands IV-V)", services: ["broadcast_tv"], lowMHz: 470, highMHz: 694),
            Allocation(name: "B28 UL (APT 700)", services: ["mobile"], lowMHz: 703, highMHz: 748, pairedName: "B28 DL (APT 700)", blockLicensed: true),
            Allocation(name: "B28 DL (APT 700)", services: ["mobile"], lowMHz: 758, highMHz: 803, pairedName: "B28 UL (APT 700)", blockLicensed: true),
            Allocation(name: "B8 UL (900)", services: ["mobile"], lowMHz: 880, highMHz: 915, pairedName: "B8 DL (900)", blockLicensed: true),
            Allocation(name: "B8 DL (900)", services: ["mobile"], lowMHz: 925, highMHz: 960, pairedName: "B8 UL (900)", blockLicensed: true),
            Allocation(name: "B3 UL (1800)", services: ["mobile"], lowMHz: 1710, highMHz: 1785, pairedName: "B3 DL (1800)", blockLicensed: true),
            Allocation(name: "B3 DL (1800)", services: ["mobile"], lowMHz: 1805, highMHz: 1880, pairedName: "B3 UL (1800)", blockLicensed: true),
            Allocation(name: "B1 UL (2100)", services: ["mobile"], lowMHz: 1920, highMHz: 1980, pairedName: "B1 DL (2100)", blockLicensed: true),
            Allocation(name: "B1 DL (2100)", services: ["mobile"], lowMHz: 2110, highMHz: 2170, pairedName: "B1 UL (2100)", blockLicensed: true),
            Allocation(name: "B40 TDD (2300)", services: ["mobile"], lowMHz: 2300, highMHz: 2400, blockLicensed: true),
            Allocation(name: "B41 TDD (2600)", services: ["mobile"], lowMHz: 2500, highMHz: 2690, blockLicensed: true),
            Allocation(name: "n78 TDD (3.5 GHz)", services: ["mobile"], lowMHz: 3300, highMHz: 3800, blockLicensed: true),
            Allocation(name: "Fixed links 6-8 GHz", services: ["fixed"], lowMHz: 5925, highMHz: 8500),
            Allocation(name: "Fixed links 10.7-11.7 GHz", services: ["fixed"], lowMHz: 10_700, highMHz: 11_700),
            Allocation(name: "Fixed links 12.75-13.25 GHz", services: ["fixed"], lowMHz: 12_750, highMHz: 13_250),
            Allocation(name: "Fixed links 14.4-15.35 GHz", services: ["fixed"], lowMHz: 14_400, highMHz: 15_350),
            Allocation(name: "Fixed links 17.7-19.7 GHz", services: ["fixed"], lowMHz: 17_700, highMHz: 19_700),
            Allocation(name: "Fixed links 21.2-23.6 GHz", services: ["fixed"], lowMHz: 21_200, highMHz: 23_600),
            Allocation(name: "Fixed links 37-39.5 GHz", services: ["fixed"], lowMHz: 37_000, highMHz: 39_500)
        ])
}

func mhz(_ x: Double) -> String {
    var s = String(format: "%.4f", x)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}

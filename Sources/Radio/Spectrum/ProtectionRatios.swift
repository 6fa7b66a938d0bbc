// Protection ratios: the wanted-to-interfering power ratio C/I (dB) a victim receiver needs, as a function of
// the victim's service and the frequency offset of the interferer.
//
// Two sources, both overridable (documented in data/README.md, "Frequency assignments"):
//  1. A measured curve per service: required C/I against the centre-to-centre offset |Δf| in kHz, linearly
//     interpolated; beyond the last point the pair needs no protection. Default: FM broadcasting, after
//     ITU-R BS.412-9 Annex 1 (stereophonic, tropospheric interference).
//  2. Otherwise, from spectrum masks: required(Δf) = PR_co − FDR(Δf), where FDR is the frequency-dependent
//     rejection. Overlapping channels: the part of the interferer's power inside the victim's channel,
//     FDR = −10 log10(overlap / B_int) (0 dB when the interferer lies wholly inside). Separate channels: the
//     adjacent-channel interference ratio ACIR = −10 log10(10^(−ACLR/10) + 10^(−ACS/10)) (3GPP TR 36.942 §5),
//     ACLR (transmitter leakage) and ACS (receiver selectivity) taken at the first adjacent channel when the
//     guard band g is 0, at the second when g equals one channel width, interpolated in dB in between, and
//     beyond two channel widths the pair is not screened (spurious domain, ITU-R SM.329).
import Foundation

/// Parameters of one service for interference screening.
public struct ServiceParameters: Sendable, Equatable {
    /// Co-channel protection ratio, dB.
    public var coChannelDB: Double
    /// Transmitter adjacent-channel leakage ratio at the first and second adjacent channel, dB.
    public var aclr1DB: Double { didSet { acirEnds = Self.acirEnds(aclr1DB, aclr2DB, acs1DB, acs2DB) } }
    public var aclr2DB: Double { didSet { acirEnds = Self.acirEnds(aclr1DB, aclr2DB, acs1DB, acs2DB) } }
    /// Receiver adjacent-channel selectivity at the first and second adjacent channel, dB.
    public var acs1DB: Double { didSet { acirEnds = Self.acirEnds(aclr1DB, aclr2DB, acs1DB, acs2DB) } }
    public var acs2DB: Double { didSet { acirEnds = Self.acirEnds(aclr1DB, aclr2DB, acs1DB, acs2DB) } }
    /// ACIR at the first and second adjacent channel (gaps of 0 and ≥ 1 widths, the usual case on a channel
    /// raster), kept so that the pair screening does not recompute them per pair.
    private var acirEnds: (first: Double, second: Double) = (0, 0)
    /// Wanted level at the edge of the service area (area services) or at the station's receiver, dBm.
    public var wantedDBm: Double
    /// Largest service radius considered, km (the area is where the wanted level is reached, capped here).
    public var maxRadiusKm: Double
    /// Receiver height in the service area, m above ground.
    public var receiverHeightM: Double

    public init(
        coChannelDB: Double, aclr1DB: Double, aclr2DB: Double, acs1DB: Double, acs2DB: Double,
        wantedDBm: Double, maxRadiusKm: Double, receiverHeightM: Double = 1.5
    ) {
        self.coChannelDB = coChannelDB; self.aclr1DB = aclr1DB; self.aclr2DB = aclr2DB
        self.acs1DB = acs1DB; self.acs2DB = acs2DB; self.wantedDBm = wantedDBm
        self.maxRadiusKm = maxRadiusKm; self.receiverHeightM = receiverHeightM
        acirEnds = Self.acirEnds(aclr1DB, aclr2DB, acs1DB, acs2DB)
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.coChannelDB == b.coChannelDB && a.aclr1DB == b.aclr1DB && a.aclr2DB == b.aclr2DB && a.acs1DB == b.acs1DB
            && a.acs2DB == b.acs2DB && a.wantedDBm == b.wantedDBm && a.maxRadiusKm == b.maxRadiusKm && a.receiverHeightM == b.receiverHeightM
    }

    /// ACIR at a guard band of `gapInWidths` channel widths (0 = first adjacent, 1 = second), dB.
    public func acirDB(gapInWidths g: Double) -> Double {
        let t = min(max(g, 0), 1)
        if t == 0 { return acirEnds.first }
        if t == 1 { return acirEnds.second }
        return Self.acir(aclr: aclr1DB + (aclr2DB - aclr1DB) * t, acs: acs1DB + (acs2DB - acs1DB) * t)
    }

    /// ACIR of a leakage ratio and a selectivity, dB: 1 / (1/ACLR + 1/ACS) in linear terms.
    static func acir(aclr: Double, acs: Double) -> Double { -10 * log10(pow(10, -aclr / 10) + pow(10, -acs / 10)) }

    private static func acirEnds(_ aclr1: Double, _ aclr2: Double, _ acs1: Double, _ acs2: Double) -> (first: Double, second: Double) {
        (acir(aclr: aclr1, acs: acs1), acir(aclr: aclr2, acs: acs2))
    }
}

/// One point of a measured protection-ratio curve.
public struct ProtectionPoint: Sendable, Equatable {
    public var offsetKHz: Double
    public var requiredDB: Double
    public init(offsetKHz: Double, requiredDB: Double) { self.offsetKHz = offsetKHz; self.requiredDB = requiredDB }
}

public struct ProtectionRatios: Sendable, Equatable {
    /// Per service (lower-case name); `other` applies to services not listed.
    public var services: [String: ServiceParameters]
    /// Measured curves, by service, sorted by offset.
    public var curves: [String: [ProtectionPoint]]

    public init(services: [String: ServiceParameters], curves: [String: [ProtectionPoint]]) {
        self.services = services
        self.curves = curves.mapValues { $0.sorted { $0.offsetKHz < $1.offsetKHz } }
    }

    public func parameters(_ service: String) -> ServiceParameters {
        services[service] ?? services["other"] ?? Self.defaults.services["other"]!
    }

    /// Mobile (IMT) wanted level at the cell edge from the channel width, following tanso's coverage
    /// thresholds per technology: ≤ 300 kHz −95 dBm (GSM), ≤ 5 MHz −85 (UMTS), ≤ 20 MHz −80 (LTE), else −75 (NR).
    public static func mobileWantedDBm(bandwidthKHz: Double) -> Double {
        bandwidthKHz <= 300 ? -95 : bandwidthKHz <= 5000 ? -85 : bandwidthKHz <= 20_000 ? -80 : -75
    }

    /// The default table (units: dB, dBm, km, m). Sources, rounded for screening:
    /// - mobile: co-channel C/I 10 dB at the cell edge; ACLR 45/50 dB and ACS 33/43 dB (3GPP TS 36.104 /
    ///   36.101 base-station leakage and UE selectivity); edge level from the channel width (see above).
    /// - land_mobile (12.5 kHz analogue FM): co-channel 8 dB; adjacent-channel power and selectivity 60 dB,
    ///   70 dB at the second channel (ETSI EN 300 086 / EN 300 113); −100 dBm wanted level (base receiver and
    ///   coverage edge, about 15 dB above a −117 dBm reference sensitivity).
    /// - fixed (digital point-to-point): co-channel 60 dB, a long-term C/I objective of the TIA TSB-10 kind
    ///   (fade margin plus threshold C/N) on the unfaded received level; ACLR/ACS 35/55 dB.
    /// - broadcast_fm: the BS.412 curve (below); edge −70 dBm (tanso's FM coverage threshold).
    /// - broadcast_tv (DVB-T2): co-channel 20 dB; ACLR 55, ACS 50 (≈ −29 dB at N±1, close to ITU-R BT.1368).
    /// - other: co-channel 20 dB, ACLR/ACS 30/50 dB, −90 dBm.
    public static let defaults = ProtectionRatios(
        services: [
            "mobile": ServiceParameters(coChannelDB: 10, aclr1DB: 45, aclr2DB: 50, acs1DB: 33, acs2DB: 43, wantedDBm: -80, maxRadiusKm: 30),
            "land_mobile": ServiceParameters(coChannelDB: 8, aclr1DB: 60, aclr2DB: 70, acs1DB: 60, acs2DB: 70, wantedDBm: -100, maxRadiusKm: 50),
            "fixed": ServiceParameters(coChannelDB: 60, aclr1DB: 35, aclr2DB: 55, acs1DB: 35, acs2DB: 55, wantedDBm: -50, maxRadiusKm: 0, receiverHeightM: 10),
            "broadcast_fm": ServiceParameters(coChannelDB: 37, aclr1DB: 40, aclr2DB: 60, acs1DB: 40, acs2DB: 60, wantedDBm: -70, maxRadiusKm: 80),
            "broadcast_tv": ServiceParameters(coChannelDB: 20, aclr1DB: 55, aclr2DB: 60, acs1DB: 50, acs2DB: 60, wantedDBm: -70, maxRadiusKm: 80),
            "other": ServiceParameters(coChannelDB: 20, aclr1DB: 30, aclr2DB: 50, acs1DB: 30, acs2DB: 50, wantedDBm: -90, maxRadiusKm: 30)
        ],
        curves: [
            // ITU-R BS.412-9 Annex 1, Fig. 1 / Table 2: RF protection ratio, stereophonic, tropospheric interference.
            "broadcast_fm": [
                (0, 37), (25, 43), (50, 43), (75, 37), (100, 25), (125, 18), (150, 14), (175, 11), (200, 7),
                (225, 5), (250, 2), (275, 0), (300, -7), (325, -10), (350, -15), (375, -18), (400, -20)
            ]
            .map { ProtectionPoint(offsetKHz: $0.0, requiredDB: $0.1) }
        ])

    /// Result of looking up the required C/I for one victim–interferer pair.
    public struct Requirement: Sendable, Equatable {
        public enum Basis: Sendable, Equatable { case curve(offsetKHz: Double), coChannel, acir(guardKHz: Double) }
        /// Required C/I, dB.
        public var requiredDB: Double
        /// Frequency-dependent rejection applied (PR_co − required), dB, for the explanation.
        public var rejectionDB: Double
        public var how: Basis
        public var victimService: String

        /// How it was obtained, for the explanation.
        public var basis: String {
            switch how {
            case .curve(let off): return "\(victimService) protection curve at \(fmt(off)) kHz"
            case .coChannel: return rejectionDB > 0.05 ? "co-channel, \(fmt(rejectionDB)) dB of the interferer outside the victim channel" : "co-channel"
            case .acir(let gap): return "ACIR \(fmt(rejectionDB)) dB from the \(victimService) masks at a \(fmt(gap)) kHz guard band"
            }
        }
    }

    /// Required C/I for a victim receiving `victim` (service `victimService`) from an interferer on `interferer`,
    /// or nil when the offset is beyond the screened range. `coChannelOverride` replaces the co-channel value
    /// (the curve or the mask rejection keeps its shape).
    public func requirement(
        victimService: String, victim: Channel, interferer: Channel,
        coChannelOverride: Double? = nil
    ) -> Requirement? {
        Self.requirement(
            parameters: parameters(victimService), curve: curves[victimService], victimService: victimService,
            victim: victim, interferer: interferer, coChannelOverride: coChannelOverride)
    }

    /// The same with the service's parameters and curve already looked up (the screening's inner loop).
    @inline(__always)
    public static func requirement(
        parameters p: ServiceParameters, curve: [ProtectionPoint]?, victimService: String,
        victim: Channel, interferer: Channel, coChannelOverride: Double?
    ) -> Requirement? {
        var co = coChannelOverride ?? p.coChannelDB
        let offset = abs(victim.offsetKHz(to: interferer))
        if let curve, let first = curve.first, let last = curve.last {
            co = coChannelOverride ?? first.requiredDB
            guard offset <= last.offsetKHz + 1e-9 else { return nil }
            var req = first.requiredDB
            if offset > first.offsetKHz {
                for k in 1..<curve.count where offset <= curve[k].offsetKHz + 1e-9 {
                    let a = curve[k - 1], b = curve[k]
                    let t = b.offsetKHz > a.offsetKHz ? (offset - a.offsetKHz) / (b.offsetKHz - a.offsetKHz) : 1
                    req = a.requiredDB + (b.requiredDB - a.requiredDB) * t
                    break
                }
            }
            let rejection = first.requiredDB - req
            return Requirement(requiredDB: co - rejection, rejectionDB: rejection, how: .curve(offsetKHz: offset), victimService: victimService)
        }
        let overlap = victim.overlapKHz(with: interferer)
        if overlap > 0 {
            let fdr = interferer.bandwidthKHz > overlap ? -10 * log10(overlap / interferer.bandwidthKHz) : 0
            return Requirement(requiredDB: co - fdr, rejectionDB: fdr, how: .coChannel, victimService: victimService)
        }
        let gap = victim.edgeGapKHz(to: interferer)
        let width = max(victim.bandwidthKHz, interferer.bandwidthKHz)
        let g = gap / width
        guard g <= 2 else { return nil }
        let acir = p.acirDB(gapInWidths: g)
        return Requirement(requiredDB: co - acir, rejectionDB: acir, how: .acir(guardKHz: gap), victimService: victimService)
    }

    /// Largest centre-to-centre offset (kHz) at which a victim of `victimService` with bandwidth `victimKHz`
    /// can need protection from an interferer of bandwidth `interfererKHz`.
    public func screeningWindowKHz(victimService: String, victimKHz: Double, interfererKHz: Double) -> Double {
        if let last = curves[victimService]?.last { return last.offsetKHz }
        return (victimKHz + interfererKHz) / 2 + 2 * max(victimKHz, interfererKHz)
    }

    /// The largest window any curve can ask for, kHz.
    public var largestCurveOffsetKHz: Double { curves.values.compactMap { $0.last?.offsetKHz }.max() ?? 0 }
}

func fmt(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
}

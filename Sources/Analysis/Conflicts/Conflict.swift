// Conflicts found by the register checks, their severity and the settings of a run.
import Foundation
import Propagation
import Radio

public enum ConflictKind: String, Sendable, CaseIterable {
    case coChannel = "co_channel"
    case adjacentChannel = "adjacent_channel"
    case intermodulation
    case duplicate
    case outOfPlan = "out_of_plan"
}

/// Severity from the margin by which the protection criterion is missed: critical below −20 dB, high below
/// −10 dB, medium below −3 dB, low otherwise; a duplicate record is high, an assignment outside the band
/// plan medium.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case critical, high, medium, low

    public var rank: Int {
        switch self {
        case .critical: 0;
        case .high: 1;
        case .medium: 2;
        case .low: 3
        }
    }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

    public static func fromMargin(_ m: Double) -> Severity {
        m < -20 ? .critical : m < -10 ? .high : m < -3 ? .medium : .low
    }
}

public struct Conflict: Sendable, Equatable {
    public var kind: ConflictKind
    /// The victim (co/adjacent channel, intermodulation), the first record (duplicate) or the assignment (out of plan).
    public var aID: String
    /// The interferer, the repeated record, or the first transmitter of an intermodulation product.
    public var bID: String?
    /// The other transmitter(s) of an intermodulation product, ';'-separated.
    public var cID: String?
    public var frequencyOffsetKHz: Double?
    public var overlapKHz: Double?
    public var distanceKm: Double?
    public var interferenceDBm: Double?
    public var cOverIDB: Double?
    public var requiredDB: Double?
    public var marginDB: Double?
    public var severity: Severity
    public var explanation: String
    /// Positions (lon, lat) for the map: a and b.
    public var aPosition: (lon: Double, lat: Double)
    public var bPosition: (lon: Double, lat: Double)?
    /// new / unchanged / resolved against a baseline; nil without one.
    public var status: String?

    public init(
        kind: ConflictKind, aID: String, bID: String? = nil, cID: String? = nil, frequencyOffsetKHz: Double? = nil,
        overlapKHz: Double? = nil, distanceKm: Double? = nil, interferenceDBm: Double? = nil, cOverIDB: Double? = nil,
        requiredDB: Double? = nil, marginDB: Double? = nil, severity: Severity, explanation: String,
        aPosition: (lon: Double, lat: Double), bPosition: (lon: Double, lat: Double)? = nil, status: String? = nil
    ) {
        self.kind = kind; self.aID = aID; self.bID = bID; self.cID = cID
        self.frequencyOffsetKHz = frequencyOffsetKHz; self.overlapKHz = overlapKHz; self.distanceKm = distanceKm
        self.interferenceDBm = interferenceDBm; self.cOverIDB = cOverIDB; self.requiredDB = requiredDB
        self.marginDB = marginDB; self.severity = severity; self.explanation = explanation
        self.aPosition = aPosition; self.bPosition = bPosition; self.status = status
    }

    /// Identity of a conflict across runs (for `--baseline`).
    /// Whether any conflict has a status (a baseline run), read in place: iterating the array would copy each
    /// conflict, its Strings retained and released.
    public static func anyHasStatus(_ conflicts: [Conflict]) -> Bool {
        conflicts.withUnsafeBufferPointer { p in p.indices.contains { p[$0].status != nil } }
    }

    public var key: String { [kind.rawValue, aID, bID ?? "", cID ?? ""].joined(separator: "|") }

    public static func == (l: Conflict, r: Conflict) -> Bool {
        l.key == r.key && l.marginDB == r.marginDB && l.severity == r.severity && l.explanation == r.explanation && l.status == r.status
    }

    /// `list` sorted by `ordered`, ties kept in their order (as `sort(by:)`, a stable sort), by sorting their
    /// indices: a conflict is too large a value to move about at every step of a sort of hundreds of thousands.
    /// Severity, margin and kind are compared from a compact copy; only full ties compare the conflicts.
    public static func sortedInOrder(_ list: [Conflict]) -> [Conflict] {
        var sorted = list
        sortInOrder(&sorted)
        return sorted
    }

    /// `sortedInOrder` in place: each conflict is moved to its place, not copied (a copy retains each of its
    /// Strings, and freeing the unsorted array released them again: for hundreds of thousands of conflicts, a
    /// tenth of a second of work on one core).
    public static func sortInOrder(_ list: inout [Conflict]) {
        let order = orderOf(list), parts = 16, count = list.count
        // What each moved-out place holds until the array is freed: no String to release.
        let placeholder = Conflict(kind: .duplicate, aID: "", severity: .low, explanation: "", aPosition: (0, 0))
        let sorted = [Conflict](unsafeUninitializedCapacity: count) { buffer, initialized in
            list.withUnsafeMutableBufferPointer { source in
                let from = UnsafeSendable(source.baseAddress), to = UnsafeSendable(buffer.baseAddress)
                // On every core: each read is a conflict's memory at random.
                DispatchQueue.concurrentPerform(iterations: parts) { p in
                    for k in p * count / parts..<(p + 1) * count / parts {
                        (to.value! + k).moveInitialize(from: from.value! + order[k], count: 1)
                        (from.value! + order[k]).initialize(to: placeholder)
                    }
                }
            }
            initialized = count
        }
        list = sorted
    }

    /// The positions of `list` in the order of `ordered`, ties kept in their order.
    private static func orderOf(_ list: [Conflict]) -> [Int] {
        // The compact copies are sorted as values (each with its conflict's index), not indices into them: a merge
        // then reads them in sequence, where an index sort read two of them at random per comparison.
        struct Head { var severity: Int, margin: Double, kind: Int, index: Int }
        var heads = list.indices.map { k in
            Head(severity: list[k].severity.rank, margin: list[k].marginDB ?? .infinity, kind: kindRank[list[k].kind]!, index: k)
        }
        @Sendable @inline(__always) func less(_ x: Head, _ y: Head) -> Bool {
            if x.severity != y.severity { return x.severity < y.severity }
            if x.margin != y.margin { return x.margin < y.margin }
            if x.kind != y.kind { return x.kind < y.kind }
            return ordered(list[x.index], list[y.index])
        }
        let count = heads.count, mid = count / 2
        guard count >= 1 << 14 else {
            heads.sort(by: less)
            return heads.map(\.index)
        }
        // Two halves sorted on two cores, then merged taking the first half's head on a tie: the order of one stable
        // sort.
        heads.withUnsafeMutableBufferPointer { buffer in
            let halves = UnsafeSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: 2) { h in
                var run = UnsafeMutableBufferPointer(rebasing: halves.value[(h == 0 ? 0 : mid)..<(h == 0 ? mid : count)])
                run.sort(by: less)
            }
        }
        var order = [Int]()
        order.reserveCapacity(count)
        var i = 0, j = mid
        while i < mid && j < count {
            if less(heads[j], heads[i]) {
                order.append(heads[j].index); j += 1
            } else {
                order.append(heads[i].index); i += 1
            }
        }
        while i < mid { order.append(heads[i].index); i += 1 }
        while j < count { order.append(heads[j].index); j += 1 }
        return order
    }

    /// Each kind's place among the kinds' raw values in order (the order `ordered` compares them in).
    private static let kindRank = Dictionary(
        uniqueKeysWithValues: ConflictKind.allCases.sorted { $0.rawValue < $1.rawValue }.enumerated().map { ($1, $0) })

    /// Severity first, then the margin (worst first), then kind and ids.
    public static func ordered(_ a: Conflict, _ b: Conflict) -> Bool {
        if a.severity != b.severity { return a.severity < b.severity }
        let ma = a.marginDB ?? .infinity, mb = b.marginDB ?? .infinity
        if ma != mb { return ma < mb }
        if a.kind != b.kind { return a.kind.rawValue < b.kind.rawValue }
        return a.key < b.key
    }
}

public struct ConflictSettings: Sendable {
    public var protection: ProtectionRatios = .defaults
    /// nil: no band-plan check and no block-licensing rules.
    public var bandPlan: BandPlan? = .vietnamDefault
    /// Hata environment of the simple model for area services.
    public var environment: Hata.Environment = .suburban
    /// Closest approach of an area victim's receivers to an interfering site, km (Hata starts at 1 km; the
    /// immediate surroundings of another licensee's mast are not protected).
    public var minDistanceKm = 1.0
    /// Separation assumed between co-sited antennas of station receivers and transmitters, km.
    public var coSiteDistanceKm = 0.05
    /// No pair farther apart than this is screened, km.
    public var maxDistanceKm = 500.0
    /// Transmitters with the same station_id or within this distance share a site for intermodulation, km.
    public var imSiteKm = 0.1
    /// Receive channels within this distance of a site are screened for its intermodulation products, km.
    public var imVictimKm = 10.0
    /// Attenuation of 3rd- and 5th-order intermodulation products relative to the weakest carrier involved, dB
    /// (40 dB is the ETSI EN 300 086 minimum for land-mobile transmitters; 5th order 15 dB lower).
    public var im3AttenuationDB = 40.0
    public var im5AttenuationDB = 55.0
    /// Services whose transmitters are not taken as intermodulation sources: point-to-point links have their own
    /// transmitters and dishes, without the shared combiners and feeders where products arise.
    public var imExcludedServices: Set<Service> = [.fixed]
    /// Sites with more distinct carriers than this are screened for the two-carrier products (2f1 − f2, 3f1 − 2f2)
    /// only, not for the k³/2 three-carrier ones (counted in `ScreeningStatistics.intermodulationSitesTruncated`).
    public var imMaxCarriersForTriples = 60
    /// Two records with the same channels, service and azimuth closer than this are duplicates, km.
    public var duplicateDistanceKm = 0.1
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    public init() {}
}

/// What a run examined, for reports and the benchmark.
public struct ScreeningStatistics: Sendable {
    public var assignments = 0
    public var victimChannels = 0
    /// Candidate (interferer, victim channel) pairs returned by the frequency and spatial indexes and examined.
    public var pairsExamined = 0
    /// Pairs whose interference was computed (past the distance, frequency and licensing rules).
    public var pairsEvaluated = 0
    /// Evaluated pairs that the bound of both dishes' F.699 discrimination cleared before their exact bearings.
    public var pairsClearedByDishes = 0
    /// Evaluated pairs whose path loss was computed (the others are cleared by free space alone).
    public var pairsComputed = 0
    public var intermodulationSites = 0
    public var intermodulationProducts = 0
    public var intermodulationSitesTruncated = 0
    /// Pairs for which the terrain model failed and the simple model was used.
    public var terrainFallbacks = 0
    public var seconds = 0.0
    /// Seconds per phase: duplicates and band plan, victims and reach, index, pair screening, intermodulation.
    public var phaseSeconds: [(phase: String, seconds: Double)] = []
    public var allPairs: Double { Double(assignments) * Double(max(0, assignments - 1)) / 2 }
    public init() {}
}

// Candidate search of the pair screening: the receive channels split into groups that an interferer either
// skips whole or searches with the narrowest frequency window that can still need protection.
//
// A group holds the victims of one bandwidth class, one frequency window rule and, inside a block-licensed
// allocation of the band plan, one allocation and licensee (others: allocation −1). For an interferer:
//  - a group of its own allocation and licensee is skipped (its network's reuse is not screened);
//  - a group of its own allocation and another licensee is searched for overlapping channels only (adjacent
//    blocks are not screened);
//  - any other group is searched within the offset beyond which `ProtectionRatios.requirement` gives no
//    requirement: the last point of the victim service's curve, else (B_i + B_v) / 2 + 2 max(B_i, B_v).
// Each group is a `SlabIndex` (frequency slabs as wide as a typical window, each with a spatial grid sized to its
// density), with the members' unit vectors, radii, assignments and stations side by side in its entry order for a
// chord-length test before the exact haversine distance.
import Foundation
import Geo
import Synchronization

struct VictimIndex: Sendable {
    struct Group: Sendable {
        var bandwidthClass: Int
        /// Block-licensed allocation (index in the band plan) and licensee of its members; −1 when not block-licensed.
        var allocation: Int, licensee: Int
        /// Last offset of the victim service's protection curve, kHz; nil: the mask rule (two channel widths).
        var curveKHz: Double?
        var maxBandwidthKHz = 0.0, maxRadiusKm = 0.0
        /// Lowest level any member must be protected down to, dBm: wanted − the largest C/I its service can
        /// require − its receive gain (`ConflictScreening.protectedFloorDBm`); with the members' receiver heights
        /// and whether any is a fixed service, it bounds by Hata how far an interferer can reach the group.
        var floorDBm = Double.infinity
        var heightsM: ClosedRange<Double>? = nil
        var hasFixedService = false
        var lowestMHz = Double.infinity, highestMHz = -Double.infinity
        /// The members in the grid's entry order (so that a query reads them in sequence), with their
        /// assignment, station and unit vector (x, y, z) side by side.
        var members: [ConflictScreening.Victim] = []
        var assignment: [Int32] = [], station: [Int32] = []
        var unit: [SIMD3<Double>] = []
        var grid: SlabIndex? = nil
        /// For the dishes' test of the search (`prepareDishTest`): each member's receive dish as its pointing (a unit
        /// tangent) and its F.699 bound in w (−1: not a link receiver with a dish), and whether any member has one.
        var dishAxes: [SIMD4<Double>] = []
        var hasDishLinks = false
    }

    let groups: [Group]

    /// Slack on frequency windows, kHz (1 Hz): far above the rounding of the offsets, far below any channel.
    static let windowSlackKHz = 0.001

    init(groups: [Group]) { self.groups = groups }

    init(victims: [ConflictScreening.Victim], ctx: ConflictScreening.Context) {
        struct Key: Hashable { var c: Int, allocation: Int, licensee: Int, curve: Double? }
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let floors = ConflictScreening.parallelMap(victims.count, threads: threads) { range, out in
            for (j, v) in range.enumerated() { out[j] = ConflictScreening.protectedFloorDBm(victims[v], ctx) }
        }
        let curveOf = ctx.services.map { $0.curve?.last?.offsetKHz }
        var ids: [Key: Int] = [:]
        var groups: [Group] = [], memberLists: [[Int32]] = []
        var last: (key: Key, group: Int)? = nil
        for (vi, v) in victims.enumerated() {
            let k = v.assignment
            let allocation = ctx.blockAllocation[k]
            let curve = curveOf[ctx.service[k]]
            let key = Key(c: v.bandwidthClass, allocation: allocation, licensee: allocation >= 0 ? ctx.licensee[k] : -1, curve: curve)
            let g: Int
            if let last, last.key == key {
                g = last.group
            } else if let x = ids[key] {
                g = x
            } else {
                g = groups.count
                ids[key] = g
                groups.append(Group(bandwidthClass: key.c, allocation: key.allocation, licensee: key.licensee, curveKHz: curve))
                memberLists.append([])
            }
            last = (key, g)
            groups[g].note(v, floorDBm: floors[vi])
            memberLists[g].append(Int32(vi))
        }
        // The groups' grids on every core, largest first.
        let order = groups.indices.sorted { memberLists[$0].count > memberLists[$1].count }
        let built = Mutex(groups)
        let lists = memberLists, stations = ctx.station
        DispatchQueue.concurrentPerform(iterations: order.count) { o in
            let g = order[o]
            var group = built.withLock { $0[g] }
            group.buildGrid(victims, members: lists[g], stations: stations)
            group.prepareDishTest()
            built.withLock { $0[g] = group }
        }
        self.groups = built.withLock { $0 }
    }

    /// Unit vector of a position on the sphere.
    @inline(__always)
    static func unitVector(lat: Double, lon: Double) -> SIMD3<Double> {
        let p = lat * .pi / 180, l = lon * .pi / 180
        return SIMD3(cos(p) * cos(l), cos(p) * sin(l), sin(p))
    }

    /// (chord / 2)² of a great-circle distance: the haversine's `a`, which the chord between unit vectors gives
    /// as |u − v|² / 4. Pairs whose chord exceeds this (with slack for rounding) are farther than `km`.
    @inline(__always)
    static func halfChordSquared(km: Double) -> Double {
        let s = sin(min(km / (2 * Geodesy.meanRadiusKm), .pi / 2))
        return s * s * (1 + 1e-9) + 1e-15
    }
}

extension VictimIndex.Group {
    /// Takes receive channel `v` (protected down to `floor`) into the group's bounds.
    mutating func note(_ v: ConflictScreening.Victim, floorDBm floor: Double) {
        maxBandwidthKHz = max(maxBandwidthKHz, v.channel.bandwidthKHz); maxRadiusKm = max(maxRadiusKm, v.radiusKm)
        floorDBm = min(floorDBm, floor)
        heightsM = heightsM.map { min($0.lowerBound, v.heightM)...max($0.upperBound, v.heightM) } ?? v.heightM...v.heightM
        hasFixedService = hasFixedService || v.fixedService
        lowestMHz = min(lowestMHz, v.channel.centreMHz); highestMHz = max(highestMHz, v.channel.centreMHz)
    }

    /// Half width of the frequency window (kHz) in which victims of this group can need protection from an
    /// interferer of bandwidth `bi`; `overlapOnly`: block-licensed neighbours, screened only where they overlap.
    func windowKHz(interfererKHz bi: Double, overlapOnly: Bool) -> Double {
        let bc = maxBandwidthKHz
        let w = overlapOnly ? (bi + bc) / 2 : curveKHz ?? ((bi + bc) / 2 + 2 * max(bi, bc))
        return w + VictimIndex.windowSlackKHz
    }

    /// The members in a `SlabIndex` whose slabs are as wide as the window of an interferer as wide as the group's
    /// widest channel.
    mutating func buildGrid(_ victims: [ConflictScreening.Victim], members list: [Int32], stations: [Int]) {
        let typicalWindowMHz = 2 * windowKHz(interfererKHz: maxBandwidthKHz, overlapOnly: false) / 1000
        var grid = SlabIndex(
            positions: list.map { (victims[Int($0)].lat, victims[Int($0)].lon) }, centresMHz: list.map { victims[Int($0)].channel.centreMHz },
            slabMHz: typicalWindowMHz)
        // Members in entry order, copied once from the receive channels; each entry then names its own position.
        let order = grid.entries.map { Int(list[Int($0.item)]) }
        members = order.map { victims[$0] }
        assignment = members.map { Int32($0.assignment) }
        station = members.map { Int32(stations[$0.assignment]) }
        unit = members.map { VictimIndex.unitVector(lat: $0.lat, lon: $0.lon) }
        grid.numberItemsByPosition()
        self.grid = grid
    }
}

extension VictimIndex.Group {
    /// `dishAxes` and `hasDishLinks` from the members (in their final order).
    mutating func prepareDishTest() {
        dishAxes = members.map { v in
            v.kind == .link && v.rxGainDBi != nil && v.pointingDeg != nil && v.rxPattern >= 0
                ? SIMD4(v.pointing.x, v.pointing.y, v.pointing.z, Double(v.rxPattern)) : SIMD4(0, 0, 0, -1)
        }
        hasDishLinks = dishAxes.contains { $0.w >= 0 }
        if !hasDishLinks { dishAxes = [] } // never read
    }
}

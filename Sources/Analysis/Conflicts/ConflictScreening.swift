// The register checks: co-channel and adjacent-channel interference, intermodulation, duplicates and
// assignments outside the band plan, each ranked by how badly the protection criterion is missed.
//
// Victims are receive channels:
//  - area: listeners of a broadcast or mobile transmitter (or any assignment without a link receiver) at the
//    edge of its service area, the radius where its signal falls to the service's wanted level (simple
//    model, capped); the test point is the edge point nearest the interferer, no closer to it than
//    `minDistanceKm`; the wanted level there is the service's;
//  - station: the station's own receiver on `rx_frequency_mhz` (duplex systems), at its position, wanted level
//    the service's;
//  - link: the far end of a point-to-point link, listening on the link's transmit channel; wanted level from
//    the link budget (EIRP − free-space loss over the hop + receive antenna gain); ITU-R F.699
//    discrimination of both antennas when their gains are known.
// Interference I = EIRP + transmit antenna discrimination − path loss (+ receive gain and discrimination on
// links); C/I = C − I against the required C/I for the victim's service at the frequency offset
// (`ProtectionRatios`); margin = C/I − required; a negative margin is a conflict (co_channel when the
// channels overlap, adjacent_channel otherwise). One row per pair and kind, in the worse direction.
//
// Not screened: an assignment against another of the same station and licensee; within a block-licensed
// allocation of the band plan, one licensee's own channels (its network's frequency reuse) and adjacent blocks
// of different licensees (block-edge masks); the second record of a duplicate pair (reported as duplicate).
//
// Candidate pairs come from `ChannelIndex` (frequency window × search radius); each interferer's reach is the
// distance beyond which its signal falls below the lowest (wanted − co-channel protection − receive gain)
// of any victim in its frequency neighbourhood.
import Foundation
import Geo
import Propagation
import Radio
import Records

public struct ConflictScreening: Sendable {
    public let settings: ConflictSettings
    public let terrain: TerrainPaths?

    public init(settings: ConflictSettings = ConflictSettings(), terrain: TerrainPaths? = nil) {
        self.settings = settings
        self.terrain = terrain
    }

    enum VictimKind: Sendable { case area, station, link }

    struct Victim: Sendable {
        var assignment: Int
        var channel: Channel
        var kind: VictimKind
        var lat: Double, lon: Double
        var heightM: Double
        var radiusKm: Double
        var wantedDBm: Double
        var pointingDeg: Double?
        var rxGainDBi: Double?
    }

    /// Raw finding before the pairs are merged.
    struct Finding: Sendable {
        var victim: Int, interferer: Int
        var overlapKHz: Double, offsetKHz: Double, distanceKm: Double, testDistanceKm: Double
        var interferenceDBm: Double, wantedDBm: Double, requiredDB: Double, marginDB: Double
        var victimKind: VictimKind, basis: String, lossDB: Double, model: String
    }

    public func run(_ assignments: [Assignment]) -> (conflicts: [Conflict], statistics: ScreeningStatistics) {
        let t0 = Date()
        var stats = ScreeningStatistics()
        stats.assignments = assignments.count
        var conflicts: [Conflict] = []
        let n = assignments.count
        guard n > 0 else { return ([], stats) }

        // Duplicates first: the second record of each pair is left out of the other checks.
        let dups = duplicates(assignments)
        var excluded = [Bool](repeating: false, count: n)
        for (first, second) in dups {
            excluded[second] = true
            let a = assignments[first], b = assignments[second]
            let d = Sphere.distanceKm(a.latitude, a.longitude, b.latitude, b.longitude)
            conflicts.append(Conflict(
                kind: .duplicate, aID: a.id, bID: b.id, frequencyOffsetKHz: 0, overlapKHz: a.tx.bandwidthKHz, distanceKm: d,
                severity: .high,
                explanation: "\(b.id) (row \(b.row)) repeats \(a.id) (row \(a.row)): same service \(a.service), transmit \(mhzText(a.tx.centreMHz)) MHz / \(khzText(a.tx.bandwidthKHz)) kHz"
                    + (a.rx.map { ", receive \(mhzText($0.centreMHz)) MHz" } ?? "") + (a.azimuthDeg.map { ", azimuth \(khzText($0))°" } ?? "")
                    + ", \(Int((d * 1000).rounded())) m apart; keep one record",
                aPosition: (a.longitude, a.latitude), bPosition: (b.longitude, b.latitude)))
        }

        // Out of plan.
        var blockAllocation = [Int](repeating: -1, count: n)
        if let plan = settings.bandPlan {
            for (k, a) in assignments.enumerated() {
                if let why = plan.violation(service: a.service, tx: a.tx, rx: a.rx) {
                    conflicts.append(Conflict(kind: .outOfPlan, aID: a.id, frequencyOffsetKHz: nil, severity: .medium,
                                              explanation: "\(a.id) (\(a.service)): \(why)", aPosition: (a.longitude, a.latitude)))
                } else if let alloc = plan.allocation(for: a.tx, service: a.service), alloc.blockLicensed,
                          let idx = plan.allocations.firstIndex(of: alloc) {
                    blockAllocation[k] = idx
                }
            }
        }

        // Interned licensees and stations.
        var licenseeIDs: [String: Int] = [:], stationIDs: [String: Int] = [:]
        let licensee = assignments.map { a -> Int in
            if let x = licenseeIDs[a.licensee] { return x }; licenseeIDs[a.licensee] = licenseeIDs.count; return licenseeIDs.count - 1
        }
        let station = assignments.map { a -> Int in
            let key = a.licensee + "\u{1}" + a.stationID
            if let x = stationIDs[key] { return x }; stationIDs[key] = stationIDs.count; return stationIDs.count - 1
        }

        // Victim receive channels.
        let victims = victimChannels(assignments, excluded: excluded)
        stats.victimChannels = victims.count
        let reach = interfererReach(assignments, victims: victims)

        let index = ChannelIndex(positions: victims.map { ($0.lat, $0.lon) }, centresMHz: victims.map { $0.channel.centreMHz },
                                 bandwidthsKHz: victims.map { $0.channel.bandwidthKHz }, radiiKm: victims.map(\.radiusKm), cellKm: 25)

        // Screening, in parallel over interferers.
        let threads = max(1, settings.threads)
        let chunks = min(n, threads * 8)
        let box = FindingsBox(chunks: chunks)
        let ctx = Context(assignments: assignments, victims: victims, index: index, reach: reach, excluded: excluded,
                          licensee: licensee, station: station, blockAllocation: blockAllocation)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var local: [Finding] = []
            var examined = 0, evaluated = 0, fallbacks = 0
            var i = chunk * n / chunks
            let end = (chunk + 1) * n / chunks
            while i < end {
                screen(interferer: i, ctx, into: &local, examined: &examined, evaluated: &evaluated, fallbacks: &fallbacks)
                i += 1
            }
            box.store(chunk, local, examined, evaluated, fallbacks)
        }
        let (findings, examined, evaluated, fallbacks) = box.merged()
        stats.pairsExamined = examined
        stats.pairsEvaluated = evaluated
        stats.terrainFallbacks = fallbacks
        conflicts += mergePairs(findings, assignments)

        // Intermodulation.
        let im = intermodulation(assignments, victims: victims, index: index, excluded: excluded, stats: &stats)
        conflicts += im

        conflicts.sort(by: Conflict.ordered)
        stats.seconds = Date().timeIntervalSince(t0)
        return (conflicts, stats)
    }

    struct Context: @unchecked Sendable {
        let assignments: [Assignment]
        let victims: [Victim]
        let index: ChannelIndex
        let reach: [Double]
        let excluded: [Bool]
        let licensee: [Int]
        let station: [Int]
        let blockAllocation: [Int]
    }

    final class FindingsBox: @unchecked Sendable {
        private let lock = NSLock()
        private var parts: [[Finding]]
        private var examined = 0, evaluated = 0, fallbacks = 0
        init(chunks: Int) { parts = Array(repeating: [], count: chunks) }
        func store(_ chunk: Int, _ f: [Finding], _ ex: Int, _ ev: Int, _ fb: Int) {
            lock.lock(); parts[chunk] = f; examined += ex; evaluated += ev; fallbacks += fb; lock.unlock()
        }
        func merged() -> ([Finding], Int, Int, Int) {
            lock.lock(); defer { lock.unlock() }
            return (parts.flatMap { $0 }, examined, evaluated, fallbacks)
        }
    }

    // MARK: victims and reach

    func serviceWanted(_ a: Assignment) -> Double {
        if a.service == "mobile" { return ProtectionRatios.mobileWantedDBm(bandwidthKHz: a.tx.bandwidthKHz) }
        return settings.protection.parameters(a.service).wantedDBm
    }

    func victimChannels(_ assignments: [Assignment], excluded: [Bool]) -> [Victim] {
        var out: [Victim] = []
        out.reserveCapacity(assignments.count + assignments.count / 4)
        var radiusCache: [String: Double] = [:]
        for (k, a) in assignments.enumerated() where !excluded[k] {
            let p = settings.protection.parameters(a.service)
            if let link = a.linkReceiver {
                let d = Sphere.distanceKm(a.latitude, a.longitude, link.latitude, link.longitude)
                // Links are line of sight by design: free space over the hop.
                let loss = FreeSpace.lossDB(distanceKm: max(d, 0.01), frequencyMHz: a.tx.centreMHz)
                let c = a.eirpDBm - loss + (link.antennaGainDBi ?? 0)
                out.append(Victim(assignment: k, channel: a.tx, kind: .link, lat: link.latitude, lon: link.longitude,
                                  heightM: link.antennaHeightM, radiusKm: 0, wantedDBm: c,
                                  pointingDeg: Sphere.bearingDeg(link.latitude, link.longitude, a.latitude, a.longitude),
                                  rxGainDBi: link.antennaGainDBi))
            } else if a.service != "fixed" {
                let wanted = serviceWanted(a)
                let key = "\(a.service)|\(a.tx.centreMHz)|\(a.antennaHeightM)|\(a.eirpDBm)|\(wanted)"
                let r: Double
                if let cached = radiusCache[key] { r = cached } else {
                    let los = false
                    r = ConflictPropagation.reachKm(lossBudgetDB: a.eirpDBm - wanted, maxKm: max(0.01, p.maxRadiusKm)) { d in
                        ConflictPropagation.simpleLossDB(distanceKm: d, frequencyMHz: a.tx.centreMHz, txHeightM: a.antennaHeightM,
                                                         rxHeightM: p.receiverHeightM, lineOfSight: los, environment: settings.environment)
                    }
                    radiusCache[key] = r
                }
                out.append(Victim(assignment: k, channel: a.tx, kind: .area, lat: a.latitude, lon: a.longitude,
                                  heightM: p.receiverHeightM, radiusKm: r, wantedDBm: wanted, pointingDeg: nil, rxGainDBi: nil))
            }
            if let rx = a.rx {
                out.append(Victim(assignment: k, channel: rx, kind: .station, lat: a.latitude, lon: a.longitude,
                                  heightM: a.antennaHeightM, radiusKm: 0, wantedDBm: serviceWanted(a), pointingDeg: nil, rxGainDBi: nil))
            }
        }
        return out
    }

    /// Lowest level (dBm, isotropic at the victim) any victim in each frequency bucket must be protected down to.
    static func bucket(_ mhz: Double) -> Int { Int(floor(log2(max(mhz, 0.001)) * 8)) + 200 }

    func interfererReach(_ assignments: [Assignment], victims: [Victim]) -> [Double] {
        var floorByBucket: [Int: (level: Double, heightM: Double)] = [:]
        for v in victims {
            let a = assignments[v.assignment]
            let co = a.protectionRatioDB ?? settings.protection.curves[a.service]?.first?.requiredDB ?? settings.protection.parameters(a.service).coChannelDB
            let level = v.wantedDBm - co - max(0, v.rxGainDBi ?? 0)
            for b in Self.bucket(v.channel.lowMHz)...Self.bucket(v.channel.highMHz) {
                let cur = floorByBucket[b] ?? (.infinity, 0)
                floorByBucket[b] = (min(cur.level, level), max(cur.heightM, v.heightM))
            }
        }
        let curveKHz = settings.protection.largestCurveOffsetKHz
        var cache: [String: Double] = [:]
        return assignments.map { a in
            // Frequency neighbourhood: the widest window any victim could use (a victim channel up to 100 MHz wide).
            let w = max(curveKHz, 2.5 * a.tx.bandwidthKHz + 250_000) / 1000
            var floor = Double.infinity, height = 0.0
            let b0 = Self.bucket(max(0.001, a.tx.lowMHz - w)), b1 = Self.bucket(a.tx.highMHz + w)
            for b in b0...b1 { if let f = floorByBucket[b] { floor = min(floor, f.level); height = max(height, f.heightM) } }
            guard floor.isFinite else { return 0 }
            let budget = a.eirpDBm - floor
            let key = "\(a.tx.centreMHz)|\(a.antennaHeightM)|\(budget)|\(height)"
            if let r = cache[key] { return r }
            // Free space plus smooth-Earth diffraction bounds the simple model from below (it is its minimum).
            let r = ConflictPropagation.reachKm(lossBudgetDB: budget, maxKm: settings.maxDistanceKm) { d in
                ConflictPropagation.lineOfSightLossDB(distanceKm: d, frequencyMHz: a.tx.centreMHz, txHeightM: a.antennaHeightM, rxHeightM: max(height, 1.5))
            }
            cache[key] = r
            return r
        }
    }

    // MARK: screening one interferer

    func screen(interferer i: Int, _ ctx: Context, into out: inout [Finding], examined: inout Int, evaluated: inout Int, fallbacks: inout Int) {
        let a = ctx.assignments[i]
        guard !ctx.excluded[i], ctx.reach[i] > 0 else { return }
        let curveKHz = settings.protection.largestCurveOffsetKHz
        for c in 0..<ctx.index.classes.count {
            let g = ctx.index.classes[c]
            guard !g.entries.isEmpty else { continue }
            let bc = g.maxBandwidthKHz, bi = a.tx.bandwidthKHz
            let windowKHz = max(curveKHz, (bi + bc) / 2 + 2 * max(bi, bc))
            let radius = min(ctx.reach[i] + g.maxRadiusKm, settings.maxDistanceKm + g.maxRadiusKm)
            examined += ctx.index.query(classIndex: c, lat: a.latitude, lon: a.longitude, radiusKm: radius,
                                        fLo: a.tx.centreMHz - windowKHz / 1000, fHi: a.tx.centreMHz + windowKHz / 1000) { vIdx in
                if let f = evaluate(interferer: i, victim: ctx.victims[vIdx], ctx, evaluated: &evaluated, fallbacks: &fallbacks) {
                    out.append(f)
                }
            }
        }
    }

    func evaluate(interferer i: Int, victim v: Victim, _ ctx: Context, evaluated: inout Int, fallbacks: inout Int) -> Finding? {
        let k = v.assignment
        guard k != i, !ctx.excluded[k] else { return nil }
        let a = ctx.assignments[i], va = ctx.assignments[k]
        if ctx.station[i] == ctx.station[k] { return nil }
        let overlap = v.channel.overlapKHz(with: a.tx)
        if ctx.blockAllocation[i] >= 0 && ctx.blockAllocation[i] == ctx.blockAllocation[k] {
            if ctx.licensee[i] == ctx.licensee[k] || overlap <= 0 { return nil }
        }
        guard let req = settings.protection.requirement(victimService: va.service, victim: v.channel, interferer: a.tx,
                                                        coChannelOverride: va.protectionRatioDB) else { return nil }
        let d = Sphere.distanceKm(a.latitude, a.longitude, v.lat, v.lon)
        guard d <= ctx.reach[i] + v.radiusKm, d <= settings.maxDistanceKm + v.radiusKm else { return nil }
        evaluated += 1
        // Test point.
        var testLat = v.lat, testLon = v.lon, testDist: Double
        switch v.kind {
        case .area:
            if v.radiusKm > 0 {
                let bearing = d > 1e-6 ? Sphere.bearingDeg(v.lat, v.lon, a.latitude, a.longitude) : 0
                (testLat, testLon) = Sphere.destination(v.lat, v.lon, bearingDeg: bearing, distanceKm: v.radiusKm)
                testDist = d > 1e-6 ? abs(d - v.radiusKm) : v.radiusKm
            } else { testDist = d }
            testDist = max(testDist, settings.minDistanceKm)
        case .station, .link:
            testDist = max(d, settings.coSiteDistanceKm)
        }
        let los = a.service == "fixed" && va.service == "fixed"
        var loss: Double
        var model = "simple"
        if let terrain, testDist > 0.05 {
            do {
                loss = try terrain.lossDB(fromLat: a.latitude, fromLon: a.longitude, toLat: testLat, toLon: testLon,
                                          frequencyMHz: a.tx.centreMHz, txHeightM: a.antennaHeightM, rxHeightM: v.heightM)
                model = terrain.model.id.rawValue
            } catch {
                fallbacks += 1
                loss = ConflictPropagation.simpleLossDB(distanceKm: testDist, frequencyMHz: a.tx.centreMHz, txHeightM: a.antennaHeightM,
                                                        rxHeightM: v.heightM, lineOfSight: los, environment: settings.environment)
            }
        } else {
            loss = ConflictPropagation.simpleLossDB(distanceKm: testDist, frequencyMHz: a.tx.centreMHz, txHeightM: a.antennaHeightM,
                                                    rxHeightM: v.heightM, lineOfSight: los, environment: settings.environment)
        }
        var interference = a.eirpDBm - loss
        if let az = a.azimuthDeg, Sphere.distanceKm(a.latitude, a.longitude, testLat, testLon) > 1e-3 {
            let off = Sphere.angleDiffDeg(Sphere.bearingDeg(a.latitude, a.longitude, testLat, testLon), az)
            if let g = a.antennaGainDBi, a.service == "fixed" {
                interference += ReferencePattern.f699RelativeDB(maxGainDBi: g, offAxisDeg: off)
            } else {
                interference += SectorAntenna().relativeGainDB(offAzimuthDeg: off, depressionDeg: 0, mechanicalTiltDeg: 0, electricalTiltDeg: 0)
            }
        }
        if v.kind == .link, let g = v.rxGainDBi, let pointing = v.pointingDeg {
            let off = d > 1e-6 ? Sphere.angleDiffDeg(Sphere.bearingDeg(v.lat, v.lon, a.latitude, a.longitude), pointing) : 180
            interference += g + ReferencePattern.f699RelativeDB(maxGainDBi: g, offAxisDeg: off)
        }
        let margin = (v.wantedDBm - interference) - req.requiredDB
        guard margin < 0 else { return nil }
        return Finding(victim: k, interferer: i, overlapKHz: overlap, offsetKHz: v.channel.offsetKHz(to: a.tx), distanceKm: d,
                       testDistanceKm: testDist, interferenceDBm: interference, wantedDBm: v.wantedDBm, requiredDB: req.requiredDB,
                       marginDB: margin, victimKind: v.kind, basis: req.basis, lossDB: loss, model: model)
    }

    // MARK: merging and wording

    func mergePairs(_ findings: [Finding], _ assignments: [Assignment]) -> [Conflict] {
        // Worst finding per unordered pair and kind; remember the other direction's margin.
        var best: [String: (f: Finding, reverse: Double?)] = [:]
        for f in findings {
            let lo = min(f.victim, f.interferer), hi = max(f.victim, f.interferer)
            let kind = f.overlapKHz > 0 ? "c" : "a"
            let key = "\(kind)|\(lo)|\(hi)"
            if let cur = best[key] {
                let sameDirection = cur.f.victim == f.victim
                if f.marginDB < cur.f.marginDB {
                    best[key] = (f, sameDirection ? cur.reverse : min(cur.f.marginDB, cur.reverse ?? .infinity))
                } else if !sameDirection {
                    best[key] = (cur.f, min(cur.reverse ?? .infinity, f.marginDB))
                }
            } else { best[key] = (f, nil) }
        }
        return best.values.map { entry in
            let f = entry.f
            let v = assignments[f.victim], i = assignments[f.interferer]
            let kind: ConflictKind = f.overlapKHz > 0 ? .coChannel : .adjacentChannel
            let where_: String
            switch f.victimKind {
            case .area: where_ = "at \(v.id)'s service-area edge \(km(f.testDistanceKm)) km from \(i.id)"
            case .station: where_ = "at \(v.id)'s receiver (\(mhzText(v.rx?.centreMHz ?? 0)) MHz)"
            case .link: where_ = "at the receiver of link \(v.id)"
            }
            let relation = kind == .coChannel
                ? "\(i.id) (\(mhzText(i.tx.centreMHz)) MHz, \(khzText(i.tx.bandwidthKHz)) kHz) overlaps \(v.id)'s channel by \(khzText(f.overlapKHz)) kHz"
                : "\(i.id) (\(mhzText(i.tx.centreMHz)) MHz) is \(khzText(abs(f.offsetKHz))) kHz from \(v.id)'s channel (\(mhzText(v.tx.centreMHz)) MHz)"
            var text = "\(relation), \(km(f.distanceKm)) km apart; \(where_) the interference is \(db(f.interferenceDBm)) dBm"
                + " (path loss \(db(f.lossDB)) dB, \(f.model == "simple" ? "simple model" : "model \(f.model) over the DEM")) against a wanted \(db(f.wantedDBm)) dBm:"
                + " C/I \(db(f.wantedDBm - f.interferenceDBm)) dB, \(db(f.requiredDB)) dB required (\(f.basis)), margin \(db(f.marginDB)) dB"
            if let r = entry.reverse, r.isFinite { text += "; the other way round the margin is \(db(r)) dB" }
            return Conflict(kind: kind, aID: v.id, bID: i.id, frequencyOffsetKHz: f.offsetKHz, overlapKHz: f.overlapKHz,
                            distanceKm: f.distanceKm, interferenceDBm: f.interferenceDBm, cOverIDB: f.wantedDBm - f.interferenceDBm,
                            requiredDB: f.requiredDB, marginDB: f.marginDB, severity: .fromMargin(f.marginDB), explanation: text,
                            aPosition: (v.longitude, v.latitude), bPosition: (i.longitude, i.latitude))
        }
    }

    // MARK: duplicates

    /// Pairs (first, repeat) of records with the same service, channels and azimuth within `duplicateDistanceKm`.
    func duplicates(_ assignments: [Assignment]) -> [(Int, Int)] {
        var groups: [String: [Int]] = [:]
        for (k, a) in assignments.enumerated() {
            let key = [a.service, String(Int((a.tx.centreMHz * 1e6).rounded())), String(Int((a.tx.bandwidthKHz * 1000).rounded())),
                       a.rx.map { "\(Int(($0.centreMHz * 1e6).rounded()))/\(Int(($0.bandwidthKHz * 1000).rounded()))" } ?? "-",
                       a.azimuthDeg.map { String(Int($0.rounded())) } ?? "-",
                       a.linkReceiver.map { "\(Int(($0.latitude * 1e3).rounded())),\(Int(($0.longitude * 1e3).rounded()))" } ?? "-"].joined(separator: "|")
            groups[key, default: []].append(k)
        }
        var out: [(Int, Int)] = []
        let dLat = settings.duplicateDistanceKm / 110.574
        var isRepeat = Set<Int>()
        for (_, g) in groups where g.count > 1 {
            let sorted = g.sorted { assignments[$0].latitude < assignments[$1].latitude }
            for x in 0..<sorted.count {
                let p = sorted[x]
                guard !isRepeat.contains(p) else { continue }
                var y = x + 1
                while y < sorted.count && assignments[sorted[y]].latitude - assignments[p].latitude <= dLat {
                    let q = sorted[y]
                    if !isRepeat.contains(q) {
                        let a = assignments[p], b = assignments[q]
                        if Sphere.distanceKm(a.latitude, a.longitude, b.latitude, b.longitude) <= settings.duplicateDistanceKm {
                            let (first, second) = a.row <= b.row ? (p, q) : (q, p)
                            out.append((first, second))
                            isRepeat.insert(second)
                        }
                    }
                    y += 1
                }
            }
        }
        return out.sorted { $0.1 < $1.1 }
    }
}

func db(_ x: Double) -> String { String(format: "%.1f", x) }
func km(_ x: Double) -> String { x < 10 ? String(format: "%.2f", x) : String(format: "%.1f", x) }
func khzText(_ x: Double) -> String {
    let r = (x * 1000).rounded() / 1000
    if r == r.rounded() { return String(Int(r)) }
    var s = String(format: "%.3f", r)
    while s.hasSuffix("0") { s.removeLast() }
    return s
}
func mhzText(_ x: Double) -> String {
    var s = String(format: "%.4f", x)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}

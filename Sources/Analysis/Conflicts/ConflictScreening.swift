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
// Candidate pairs come from `VictimIndex` (groups that an interferer skips or searches within the frequency window
// where a requirement exists, each a `ChannelIndex` of cells × frequency); without a DEM a lower bound of the loss
// (free space, Hata) with the antennas' discrimination clears most pairs before the loss. Each interferer's reach is the
// distance beyond which its signal falls below the lowest (wanted − co-channel protection − receive gain)
// of any victim in its frequency neighbourhood, by free space + smooth-Earth diffraction (the lower bound of
// the simple model; over a DEM with the antennas raised by the relief); without a DEM, a group of victims is
// searched only as far as Hata lets the interferer reach the group's lowest protected level (not fixed to fixed).
// Fixed links' pairs meet a bound of both dishes' F.699 discrimination (`F699DiscriminationBound`, from unit
// vectors) before their exact bearings and patterns.
import Foundation
import Synchronization
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

    /// The fields are laid out by use: the first 64 bytes hold what every candidate pair reads before its loss
    /// bound (most pairs stop there), so that a candidate costs one cache line of its receive channel, not three.
    struct Victim: Sendable {
        var assignment: Int
        /// The assignment's station and service (index in `Context.services`): copied in by `Context`.
        var station = 0
        var channel: Channel
        var radiusKm: Double
        var wantedDBm: Double
        var service = 0
        var kind: VictimKind
        /// Whether the assignment is of the fixed service (copied in by `Context`).
        var fixedService = false
        /// A link receiver's F.699 discrimination bound (index in `Context.patternBounds`, −1 without gain or
        /// pointing).
        var rxPattern: Int32 = -1
        /// The assignment's block-licensed allocation (−1: none) and licensee, and its co-channel protection-ratio
        /// override: copied in by `Context` so that a pair reads no other record.
        var allocation: Int32 = -1, licensee: Int32 = 0
        var coOverride: Double? = nil
        var rxGainDBi: Double?
        var pointingDeg: Double?
        var lat: Double, lon: Double
        var heightM: Double
        /// A link receiver's pointing as a unit tangent at the receiver (`Context.tangent`).
        var pointing = SIMD3<Double>(0, 0, 0)
        var bandwidthClass: Int { ChannelIndex.bandwidthClass(channel.bandwidthKHz) }

        init(
            assignment: Int, channel: Channel, kind: VictimKind, lat: Double, lon: Double, heightM: Double, radiusKm: Double,
            wantedDBm: Double, pointingDeg: Double?, rxGainDBi: Double?
        ) {
            self.assignment = assignment; self.channel = channel; self.kind = kind; self.lat = lat; self.lon = lon
            self.heightM = heightM; self.radiusKm = radiusKm; self.wantedDBm = wantedDBm; self.pointingDeg = pointingDeg
            self.rxGainDBi = rxGainDBi
        }
    }

    /// Raw finding before the pairs are merged.
    struct Finding: Sendable {
        var victim: Int, interferer: Int
        var overlapKHz: Double, offsetKHz: Double, distanceKm: Double, testDistanceKm: Double
        var interferenceDBm: Double, wantedDBm: Double, requiredDB: Double, marginDB: Double
        var victimKind: VictimKind, requirement: ProtectionRatios.Requirement, lossDB: Double, model: String
    }

    public func run(_ assignments: [Assignment]) -> (conflicts: [Conflict], statistics: ScreeningStatistics) {
        let t0 = Date()
        var stats = ScreeningStatistics()
        stats.assignments = assignments.count
        let n = assignments.count
        guard n > 0 else { return ([], stats) }
        let prepared = prepare(assignments, stats: &stats)
        let ctx = prepared.context
        var tPhase = Date()
        func phase(_ name: String) { let now = Date(); stats.phaseSeconds.append((name, now.timeIntervalSince(tPhase))); tPhase = now }

        // Intermodulation needs only the prepared context: it runs beside the pair screening, on the cores that the
        // screening's last chunks and its merge leave idle (its serial parts, the sites and the worst per key, are
        // then hidden). Its findings do not depend on when it runs, and the conflicts are sorted at the end.
        let screening = self
        let intermodulation = Background { () -> (conflicts: [Conflict], stats: ScreeningStatistics) in
            var imStats = ScreeningStatistics()
            let found = screening.intermodulation(
                assignments, victims: ctx.victims, index: ctx.index, excluded: ctx.excluded, stats: &imStats)
            return (found, imStats)
        }

        // Screening, in parallel over interferers (small chunks: interferers differ much in cost).
        let threads = max(1, settings.threads)
        let chunks = min(n, threads * 64)
        let box = Mutex(FindingParts(chunks: chunks))
        let order = Self.interfererOrder(ctx)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var local: [Finding] = []
            var counts = PairCounts()
            var k = chunk * n / chunks
            let end = (chunk + 1) * n / chunks
            while k < end {
                screen(interferer: Int(order[k]), ctx, into: &local, counts: &counts)
                k += 1
            }
            box.withLock { $0.store(chunk, local, counts) }
        }
        let (findings, counts) = box.withLock { $0.take() }
        stats.pairsExamined = counts.examined
        stats.pairsEvaluated = counts.evaluated
        stats.pairsComputed = counts.computed
        stats.terrainFallbacks = counts.fallbacks
        stats.pairsClearedByDishes = counts.clearedByDishes
        // What is left of the intermodulation once the pairs are screened (its conflicts' count sizes the array).
        let im = try! intermodulation.value() // the work above cannot throw
        stats.intermodulationSites = im.stats.intermodulationSites
        stats.intermodulationProducts = im.stats.intermodulationProducts
        stats.intermodulationSitesTruncated = im.stats.intermodulationSitesTruncated

        // The pairs' conflicts are most of them: the few others are appended to that array, made with room for them
        // (appending beyond its capacity moved hundreds of thousands of conflicts into fresh pages). Their order does
        // not matter: the conflicts' keys differ, and `sortInOrder` orders them by severity, margin, kind and key.
        var conflicts = mergePairs(parts: findings, assignments, room: prepared.conflicts.count + im.conflicts.count)
        conflicts += prepared.conflicts
        conflicts += im.conflicts
        phase("pair screening and intermodulation")

        Conflict.sortInOrder(&conflicts)
        stats.seconds = Date().timeIntervalSince(t0)
        return (conflicts, stats)
    }

    /// The interferers in the order the screening takes them: by frequency (eighth-octave buckets), then along a
    /// Z-order curve of 0.25° cells, so that consecutive interferers search the same groups' nearby cells while they
    /// are still in the cache (in the register's order, each query read its cells from memory).
    static func interfererOrder(_ ctx: Context) -> [Int32] {
        func spread(_ v: UInt64) -> UInt64 {
            var x = v & 0xFFFFF
            x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF
            x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF
            x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F
            x = (x | (x << 2)) & 0x3333_3333_3333_3333
            x = (x | (x << 1)) & 0x5555_5555_5555_5555
            return x
        }
        let keys = ctx.tx.indices.map { k -> UInt64 in
            let y = UInt64(max(0, min(1 << 20 - 1, Int((ctx.lat[k] + 90) * 4))))
            let x = UInt64(max(0, min(1 << 20 - 1, Int((ctx.lon[k] + 180) * 4))))
            return UInt64(bucket(ctx.tx[k].centreMHz)) << 40 | spread(x) | spread(y) << 1
        }
        return order(ofKeys: keys)
    }

    /// The indices of `keys` in the order of (key, index), for keys of a bucket (bits 40 and up) and a cell (below).
    /// Within the Earth's coordinates a key's cell part takes 22 bits and its bucket 10: each key then fits in 32
    /// bits beside its index, and the packed values sort as numbers (on two cores) in the same order.
    static func order(ofKeys keys: [UInt64]) -> [Int32] {
        let cellBits: UInt64 = 22
        guard keys.count < 1 << 32, keys.allSatisfy({ $0 & (1 << 40 - 1) < 1 << cellBits }) else {
            return keys.indices.map { Int32($0) }.sorted { keys[Int($0)] != keys[Int($1)] ? keys[Int($0)] < keys[Int($1)] : $0 < $1 }
        }
        var packed = keys.indices.map { k -> UInt64 in
            let bucket = keys[k] >> 40, cell = keys[k] & (1 << cellBits - 1)
            return (bucket << cellBits | cell) << 32 | UInt64(k)
        }
        Parallel.sort(&packed)
        return packed.map { Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF) }
    }

    /// Everything before the pair screening: duplicates and out-of-plan findings, victims, reach and indexes.
    func prepare(_ assignments: [Assignment], stats: inout ScreeningStatistics) -> (conflicts: [Conflict], context: Context) {
        var tPhase = Date()
        func phase(_ name: String) { let now = Date(); stats.phaseSeconds.append((name, now.timeIntervalSince(tPhase))); tPhase = now }
        var conflicts: [Conflict] = []
        let n = assignments.count

        // Duplicates first: the second record of each pair is left out of the other checks.
        let dups = duplicates(assignments)
        var excluded = [Bool](repeating: false, count: n)
        for (first, second) in dups {
            excluded[second] = true
            let a = assignments[first], b = assignments[second]
            let d = Geodesy.distanceKm(a.latitude, a.longitude, b.latitude, b.longitude)
            conflicts.append(
                Conflict(
                    kind: .duplicate, aID: a.id, bID: b.id, frequencyOffsetKHz: 0, overlapKHz: a.tx.bandwidthKHz, distanceKm: d,
                    severity: .high,
                    explanation:
                        "\(b.id) (row \(b.row)) repeats \(a.id) (row \(a.row)): same service \(a.service), transmit \(mhzText(a.tx.centreMHz)) MHz / \(khzText(a.tx.bandwidthKHz)) kHz"
                        + (a.rx.map { ", receive \(mhzText($0.centreMHz)) MHz" } ?? "") + (a.azimuthDeg.map { ", azimuth \(khzText($0))°" } ?? "")
                        + ", \(Int((d * 1000).rounded())) m apart; keep one record",
                    aPosition: (a.longitude, a.latitude), bPosition: (b.longitude, b.latitude)))
        }

        // Out of plan.
        var blockAllocation = [Int](repeating: -1, count: n)
        if let plan = settings.bandPlan {
            // Each assignment against the plan on every core: its violation, or its block-licensed allocation (the
            // first allocation equal to the one it falls in).
            let first = plan.allocations.map { a in plan.allocations.firstIndex(of: a)! }
            let checked = Self.parallelCompute(n, threads: settings.threads) { k -> (why: String?, block: Int) in
                // The fields read in place (a copy of the record retained each of its Strings).
                let service = assignments[k].service, tx = assignments[k].tx
                let fit = plan.check(service: service, tx: tx, rx: assignments[k].rx)
                if let why = fit.violation { return (why, -1) }
                guard let idx = fit.allocation, plan.allocations[idx].blockLicensed else { return (nil, -1) }
                return (nil, first[idx])
            }
            // By index: a record is read only when it is out of plan (iterating the array copied each one).
            for k in assignments.indices {
                blockAllocation[k] = checked[k].block
                if let why = checked[k].why {
                    let a = assignments[k]
                    conflicts.append(
                        Conflict(
                            kind: .outOfPlan, aID: a.id, frequencyOffsetKHz: nil, severity: .medium,
                            explanation: "\(a.id) (\(a.service)): \(why)", aPosition: (a.longitude, a.latitude)))
                }
            }
        }

        phase("duplicates and band plan")
        // Interned licensees, stations (a licensee's station) and services, on every core; an id is the index of the
        // first record with the same key.
        struct StationKey: Hashable, Sendable { var licensee: String, stationID: String }
        let licensee = Interning.firstIndices(count: n, threads: settings.threads) { assignments[$0].licensee }.map(Int.init)
        let station = Interning.firstIndices(count: n, threads: settings.threads) {
            StationKey(licensee: assignments[$0].licensee, stationID: assignments[$0].stationID)
        }.map(Int.init)
        let services = ServiceTable(assignments, protection: settings.protection, threads: settings.threads)

        // Victim receive channels.
        let victims = victimChannels(assignments, excluded: excluded, services: services)
        stats.victimChannels = victims.count
        let reach = interfererReach(assignments, victims: victims, services: services)
        phase("victims and reach")

        // The intermodulation's search: its victims are stations' and link receivers' channels, not service areas.
        let received = victims.indices.filter { victims[$0].kind != .area }
        let index = ChannelIndex(
            positions: received.map { (victims[$0].lat, victims[$0].lon) }, centresMHz: received.map { victims[$0].channel.centreMHz },
            bandwidthsKHz: received.map { victims[$0].channel.bandwidthKHz }, radiiKm: received.map { victims[$0].radiusKm }, cellKm: 25,
            items: received.map { Int32($0) })
        var ctx = Context(
            assignments: assignments, victims: consume victims, index: index, reach: reach, excluded: excluded,
            licensee: licensee, station: station, blockAllocation: blockAllocation, protection: settings.protection)
        ctx.victimIndex = VictimIndex(victims: ctx.victims, ctx: ctx)
        phase("index")
        return (conflicts, ctx)
    }

    struct Context: Sendable {
        let assignments: [Assignment]
        let victims: [Victim]
        /// The receive channels of stations and link receivers (`victims` that are not service areas), for the
        /// intermodulation.
        let index: ChannelIndex
        let reach: [Double]
        let excluded: [Bool]
        let licensee: [Int]
        let station: [Int]
        let blockAllocation: [Int]
        /// Compact copies for the inner loop (no String retain/release per candidate).
        let tx: [Channel]
        let lat: [Double], lon: [Double], eirp: [Double]
        let service: [Int]
        let fixedService: [Bool]
        let coOverride: [Double?]
        let services: [(name: String, parameters: ServiceParameters, curve: [ProtectionPoint]?)]
        /// The services' parameters and whether each has a curve, apart (read per pair without touching a String
        /// or an Array).
        let serviceParameters: [ServiceParameters]
        let serviceHasCurve: [Bool]
        /// F.699 discrimination bounds, one per distinct dish gain; each assignment's transmit antenna's (index,
        /// −1 unless a fixed service with gain and azimuth) and its boresight as a unit tangent at the site.
        let patternBounds: [F699DiscriminationBound]
        let txPattern: [Int32]
        let boresight: [SIMD3<Double>]
        /// The bounds' bins side by side (`F699DiscriminationBound.binCount` per bound), read through a pointer: an
        /// array element read per pair is retained and released, atomically on every core.
        let dishBins: PairTable<Double>
        /// 10^(bin / 20) of each of `dishBins`: the screening's dish test multiplies distances instead of taking logs.
        let dishAmplitude: PairTable<Double>
        /// Antenna height of each assignment (read per pair).
        let height: [Double]
        /// The candidate search of the pair screening (empty until `prepare` builds it).
        var victimIndex = VictimIndex(groups: [])

        init(
            assignments: [Assignment], victims: consuming [Victim], index: ChannelIndex, reach: [Double], excluded: [Bool],
            licensee: [Int], station: [Int], blockAllocation: [Int], protection: ProtectionRatios
        ) {
            self.assignments = assignments; self.index = index; self.reach = reach
            self.excluded = excluded; self.licensee = licensee; self.station = station; self.blockAllocation = blockAllocation
            // One pass over the records (each a few hundred bytes) for all the per-assignment columns, read in place:
            // a map per column went through the whole register once per column.
            let n = assignments.count
            var tx: [Channel] = [], lat: [Double] = [], lon: [Double] = [], eirp: [Double] = [], height: [Double] = []
            var coOverride: [Double?] = [], service: [Int] = [], fixedService: [Bool] = []
            tx.reserveCapacity(n); lat.reserveCapacity(n); lon.reserveCapacity(n); eirp.reserveCapacity(n)
            height.reserveCapacity(n); coOverride.reserveCapacity(n); service.reserveCapacity(n); fixedService.reserveCapacity(n)
            var ids: [Service: Int] = [:], table: [(name: String, parameters: ServiceParameters, curve: [ProtectionPoint]?)] = []
            var bounds: [F699DiscriminationBound] = [], boundIndex: [Double: Int32] = [:]
            func bound(_ gain: Double) -> Int32 {
                if let k = boundIndex[gain] { return k }
                bounds.append(F699DiscriminationBound(maxGainDBi: gain))
                boundIndex[gain] = Int32(bounds.count - 1)
                return Int32(bounds.count - 1)
            }
            var txPattern = [Int32](repeating: -1, count: n)
            var boresight = [SIMD3<Double>](repeating: .zero, count: n)
            assignments.withUnsafeBufferPointer { p in
                for k in p.indices {
                    tx.append(p[k].tx); lat.append(p[k].latitude); lon.append(p[k].longitude); eirp.append(p[k].eirpDBm)
                    height.append(p[k].antennaHeightM); coOverride.append(p[k].protectionRatioDB)
                    let kind = p[k].serviceKind
                    if let x = ids[kind] {
                        service.append(x)
                    } else {
                        ids[kind] = table.count
                        table.append((p[k].service, protection.parameters(p[k].service), protection.curves[p[k].service]))
                        service.append(table.count - 1)
                    }
                    fixedService.append(kind == .fixed)
                    if kind == .fixed, let g = p[k].antennaGainDBi, let az = p[k].azimuthDeg {
                        txPattern[k] = bound(g)
                        boresight[k] = Self.tangent(lat: p[k].latitude, lon: p[k].longitude, bearingDeg: az)
                    }
                }
            }
            self.tx = tx; self.lat = lat; self.lon = lon; self.eirp = eirp; self.coOverride = coOverride
            self.service = service; self.fixedService = fixedService
            services = table
            serviceParameters = table.map(\.parameters)
            serviceHasCurve = table.map { $0.curve != nil }
            // The receive channels completed in place (the caller hands them over; a copy was 180 MB of new pages
            // for a million channels, written on one thread): their record's columns on every core, then the link
            // dishes' bounds in order, on this thread (a bound's index is the order of first use).
            victims.withUnsafeMutableBufferPointer { vp in
                let out = UnsafeSendable(vp), chunk = 1 << 14
                let columns = UnsafeSendable((service, fixedService, coOverride, station, blockAllocation, licensee))
                Parallel.perform(iterations: (vp.count + chunk - 1) / chunk) { c in
                    let (service, fixedService, coOverride, station, blockAllocation, licensee) = columns.value
                    for k in (c * chunk)..<min(out.value.count, (c + 1) * chunk) {
                        let a = out.value[k].assignment
                        out.value[k].service = service[a]; out.value[k].station = station[a]
                        out.value[k].allocation = Int32(blockAllocation[a]); out.value[k].licensee = Int32(licensee[a])
                        out.value[k].fixedService = fixedService[a]; out.value[k].coOverride = coOverride[a]
                    }
                }
                for k in vp.indices where vp[k].kind == .link {
                    if let g = vp[k].rxGainDBi, let pointing = vp[k].pointingDeg {
                        vp[k].rxPattern = bound(g)
                        vp[k].pointing = Self.tangent(lat: vp[k].lat, lon: vp[k].lon, bearingDeg: pointing)
                    }
                }
            }
            self.victims = consume victims
            patternBounds = bounds
            dishBins = PairTable(bounds.flatMap(\.bins))
            dishAmplitude = PairTable(bounds.flatMap(\.bins).map { pow(10, $0 / 20) })
            self.height = height
            self.txPattern = txPattern
            self.boresight = boresight
        }

        /// The index in `dishBins` (and `dishAmplitude`) of bound p's bin for a dish at unit vector `u` with its
        /// axis along the unit tangent `axis`, towards the point at unit vector `t`; nil when the two are less than
        /// about 64 m apart (the direction is then not reliable: no discrimination is counted).
        @inline(__always)
        static func dishBin(_ p: Int, at u: SIMD3<Double>, toward t: SIMD3<Double>, axis: SIMD3<Double>) -> Int? {
            let w = t - (t * u).sum() * u
            let n = (w * w).sum().squareRoot()
            guard n >= 1e-5 else { return nil }
            return p * F699DiscriminationBound.binCount + F699DiscriminationBound.bin(cosOffAxis: (w * axis).sum() / n)
        }

        /// The unit vector tangent to the sphere at (lat, lon) pointing along `bearingDeg` (from north, clockwise):
        /// its dot product with the tangent towards another point is the cosine of the angle between the bearings.
        static func tangent(lat: Double, lon: Double, bearingDeg: Double) -> SIMD3<Double> {
            let p = lat * .pi / 180, l = lon * .pi / 180, b = bearingDeg * .pi / 180
            let north = SIMD3(-sin(p) * cos(l), -sin(p) * sin(l), cos(p)), east = SIMD3(-sin(l), cos(l), 0)
            return cos(b) * north + sin(b) * east
        }
    }

    /// The screening's findings per chunk and its counters (behind a `Mutex` while the chunks run).
    struct FindingParts: Sendable {
        private var parts: [[Finding]]
        private var counts = PairCounts()
        init(chunks: Int) { parts = Array(repeating: [], count: chunks) }
        mutating func store(_ chunk: Int, _ f: [Finding], _ c: PairCounts) {
            parts[chunk] = f; counts.add(c)
        }
        /// The chunks' findings in chunk order (not joined: a national register's findings are hundreds of MB) and
        /// the counters; the store is left empty.
        mutating func take() -> ([[Finding]], PairCounts) {
            defer { parts = [] }
            return (parts, counts)
        }
    }

    /// Pairs examined (returned by the index), evaluated (past the distance, frequency and licensing rules),
    /// computed (past the free-space bound: path loss computed) and terrain fallbacks.
    struct PairCounts: Sendable {
        var examined = 0, evaluated = 0, computed = 0, fallbacks = 0
        /// Pairs cleared by the bound of the dishes' discrimination (`discriminationCeilingDB`).
        var clearedByDishes = 0
        mutating func add(_ o: PairCounts) {
            examined += o.examined; evaluated += o.evaluated; computed += o.computed; fallbacks += o.fallbacks
            clearedByDishes += o.clearedByDishes
        }
    }

    // MARK: victims and reach

    func serviceWanted(_ a: Assignment) -> Double {
        if a.serviceKind == .mobile { return ProtectionRatios.mobileWantedDBm(bandwidthKHz: a.tx.bandwidthKHz) }
        return settings.protection.parameters(a.service).wantedDBm
    }

    struct RadiusKey: Hashable, Sendable { var service: Int; var f: Double; var h: Double; var eirp: Double; var wanted: Double }

    /// `body(k)` for k in 0..<count on all cores, in chunks of `threads` × 8; results in index order.
    static func parallelCompute<T: Sendable>(_ count: Int, threads: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let chunks = min(count, max(1, threads) * 8)
        let box = Mutex([[T]](repeating: [], count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let part = ((c * count / chunks)..<((c + 1) * count / chunks)).map(body)
            box.withLock { $0[c] = part }
        }
        return box.withLock { $0.flatMap { $0 } }
    }

    /// `body(k)` for k in 0..<count on `threads` threads, in chunks; results in index order.
    static func parallelMap(_ count: Int, threads: Int, _ body: @escaping @Sendable (Range<Int>, inout [Double]) -> Void) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        guard count > 0 else { return out }
        let chunks = min(count, max(1, threads) * 8)
        out.withUnsafeMutableBufferPointer { buf in
            let shared = UnsafeSendable(buf.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let range = (c * count / chunks)..<((c + 1) * count / chunks)
                var local = [Double](repeating: 0, count: range.count)
                body(range, &local)
                for (j, k) in range.enumerated() { shared.value[k] = local[j] }
            }
        }
        return out
    }

    func victimChannels(_ assignments: [Assignment], excluded: [Bool]) -> [Victim] {
        victimChannels(assignments, excluded: excluded, services: ServiceTable(assignments, protection: settings.protection, threads: settings.threads))
    }

    func victimChannels(_ assignments: [Assignment], excluded: [Bool], services: ServiceTable) -> [Victim] {
        // Service radii of area victims, in parallel: one bisection per run of records with the same transmitter
        // set-up (a station's sectors follow each other).
        let env = settings.environment, threads = settings.threads
        let radii = Self.parallelMap(assignments.count, threads: threads) { range, out in
            var last: (key: RadiusKey, radiusKm: Double)? = nil
            for (j, k) in range.enumerated() {
                guard !excluded[k], assignments[k].linkReceiver == nil, Int(services.id[k]) != services.fixed else { continue }
                let a = assignments[k], s = Int(services.id[k])
                let p = services.parameters[s], wanted = services.wantedDBm(k, a)
                let key = RadiusKey(service: s, f: a.tx.centreMHz, h: a.antennaHeightM, eirp: a.eirpDBm, wanted: wanted)
                if let last, last.key == key {
                    out[j] = last.radiusKm
                    continue
                }
                let loss = ConflictPropagation.SimpleLoss(
                    frequencyMHz: a.tx.centreMHz, txHeightM: a.antennaHeightM, rxHeightM: p.receiverHeightM, lineOfSight: false, environment: env)
                let budget = a.eirpDBm - wanted
                out[j] = ConflictPropagation.reachKm(lossBudgetDB: budget, maxKm: max(0.01, p.maxRadiusKm), loss: loss.lossDB) {
                    loss.isWithin(budgetDB: budget, distanceKm: $0)
                }
                last = (key, out[j])
            }
        }
        return Self.gather(
            assignments.count, threads: threads,
            count: { k in
                guard !excluded[k] else { return 0 }
                let a = assignments[k]
                return (a.linkReceiver != nil || Int(services.id[k]) != services.fixed ? 1 : 0) + (a.rx != nil ? 1 : 0)
            },
            make: { k, out in
                guard !excluded[k] else { return }
                let a = assignments[k], s = Int(services.id[k])
                let wanted = services.wantedDBm(k, a)
                if let link = a.linkReceiver {
                    let d = Geodesy.distanceKm(a.latitude, a.longitude, link.latitude, link.longitude)
                    // Links are line of sight by design: free space over the hop.
                    let loss = FreeSpace.lossDB(distanceKm: max(d, 0.01), frequencyMHz: a.tx.centreMHz)
                    let c = a.eirpDBm - loss + (link.antennaGainDBi ?? 0)
                    out.append(
                        Victim(
                            assignment: k, channel: a.tx, kind: .link, lat: link.latitude, lon: link.longitude,
                            heightM: link.antennaHeightM, radiusKm: 0, wantedDBm: c,
                            pointingDeg: Geodesy.bearingDeg(link.latitude, link.longitude, a.latitude, a.longitude),
                            rxGainDBi: link.antennaGainDBi))
                } else if s != services.fixed {
                    out.append(
                        Victim(
                            assignment: k, channel: a.tx, kind: .area, lat: a.latitude, lon: a.longitude,
                            heightM: services.parameters[s].receiverHeightM, radiusKm: radii[k], wantedDBm: wanted, pointingDeg: nil, rxGainDBi: nil))
                }
                if let rx = a.rx {
                    out.append(
                        Victim(
                            assignment: k, channel: rx, kind: .station, lat: a.latitude, lon: a.longitude,
                            heightM: a.antennaHeightM, radiusKm: 0, wantedDBm: wanted, pointingDeg: nil, rxGainDBi: nil))
                }
            })
    }

    /// Lowest level (dBm, isotropic at the victim) any victim in each frequency bucket must be protected down to.
    /// Eighth-octave buckets from 0.001 MHz (bucket 120) up: 1,024 of them reach beyond any radio frequency.
    static func bucket(_ mhz: Double) -> Int { min(bucketCount - 1, Int(floor(log2(max(mhz, 0.001)) * 8)) + 200) }
    static let bucketCount = 1024

    /// Reach of each interferer towards each bandwidth class of victims (flat, `classes` per assignment): the
    /// distance beyond which its signal falls below the lowest protected level of the victims of that class in
    /// its frequency window.
    func interfererReach(_ assignments: [Assignment], victims: [Victim], services: ServiceTable) -> [Double] {
        let classes = ChannelIndex.classCount, n = assignments.count
        // Lowest level and highest receiver per class and frequency bucket, flat (class × bucketCount).
        var floorLevel = [Double](repeating: .infinity, count: classes * Self.bucketCount)
        var floorHeight = [Double](repeating: 0, count: classes * Self.bucketCount)
        var classWidth = [Double](repeating: 0, count: classes)
        for v in victims {
            let co = assignments[v.assignment].protectionRatioDB ?? services.coChannelDB[Int(services.id[v.assignment])]
            let level = v.wantedDBm - co - max(0, v.rxGainDBi ?? 0)
            let c = ChannelIndex.bandwidthClass(v.channel.bandwidthKHz)
            classWidth[c] = max(classWidth[c], v.channel.bandwidthKHz)
            for b in Self.bucket(v.channel.lowMHz)...Self.bucket(v.channel.highMHz) {
                floorLevel[c * Self.bucketCount + b] = min(floorLevel[c * Self.bucketCount + b], level)
                floorHeight[c * Self.bucketCount + b] = max(floorHeight[c * Self.bucketCount + b], v.heightM)
            }
        }
        let curveKHz = settings.protection.largestCurveOffsetKHz
        let terrain = self.terrain, maxKm = settings.maxDistanceKm
        let levels = floorLevel, heights = floorHeight, widths = classWidth
        struct ReachKey: Hashable, Sendable { var f: Double; var txH: Double; var budget: Double; var rxH: Double }
        let ranges = Self.chunkRanges(n, threads: settings.threads)
        var reach = [Double](repeating: 0, count: n * classes)
        reach.withUnsafeMutableBufferPointer { buffer in
            let out = UnsafeSendable(buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: ranges.count) { chunk in
                // A chunk's bisections by key, and each class's last key (a station's sectors follow each other).
                var cache: [ReachKey: Double] = [:]
                var lastKey = [ReachKey?](repeating: nil, count: classes), lastReach = [Double](repeating: 0, count: classes)
                for k in ranges[chunk] {
                    let tx = assignments[k].tx, eirp = assignments[k].eirpDBm
                    var txH: Double? = nil
                    for c in 0..<classes where widths[c] > 0 {
                        // Victims of this class whose centre lies within the screening window, and their channel's half width.
                        let bi = tx.bandwidthKHz, bc = widths[c]
                        let w = (max(curveKHz, (bi + bc) / 2 + 2 * max(bi, bc)) + bc / 2) / 1000
                        var floor = Double.infinity, height = 0.0
                        let b0 = Self.bucket(max(0.001, tx.centreMHz - w)), b1 = Self.bucket(tx.centreMHz + w)
                        for b in (c * Self.bucketCount + b0)...(c * Self.bucketCount + b1) { floor = min(floor, levels[b]); height = max(height, heights[b]) }
                        guard floor.isFinite else { continue }
                        // Free space plus smooth-Earth diffraction bounds the simple model from below (it is its minimum).
                        // Over a DEM the antennas are raised by the relief (the site above the DEM's lowest point, the
                        // victims by the DEM's full range), a conservative bound for terrain paths. Budget and heights are
                        // rounded up (larger reach) so that similar transmitters share one bisection.
                        let budget = ((eirp - floor) * 2).rounded(.up) / 2
                        if txH == nil {
                            let a = assignments[k]
                            txH = ((a.antennaHeightM + (terrain?.reliefM(latitude: a.latitude, longitude: a.longitude) ?? 0)) / 2).rounded(.up) * 2
                        }
                        let rxH = ((max(height, 1.5) + (terrain.map { $0.maxElevationM - $0.minElevationM } ?? 0)) / 2).rounded(.up) * 2
                        let key = ReachKey(f: tx.centreMHz, txH: txH!, budget: budget, rxH: rxH)
                        if let last = lastKey[c], last == key {
                            out.value[k * classes + c] = lastReach[c]
                            continue
                        }
                        lastKey[c] = key
                        if let r = cache[key] {
                            out.value[k * classes + c] = r
                            lastReach[c] = r
                            continue
                        }
                        let loss = ConflictPropagation.SimpleLoss(
                            frequencyMHz: key.f, txHeightM: key.txH, rxHeightM: key.rxH, lineOfSight: true, environment: .urban)
                        let r = ConflictPropagation.reachKm(lossBudgetDB: budget, maxKm: maxKm, loss: loss.lossDB) {
                            loss.isWithin(budgetDB: budget, distanceKm: $0)
                        }
                        cache[key] = r
                        out.value[k * classes + c] = r
                        lastReach[c] = r
                    }
                }
            }
        }
        return reach
    }

    // MARK: screening one interferer

    func screen(interferer i: Int, _ ctx: Context, into out: inout [Finding], counts: inout PairCounts) {
        guard !ctx.excluded[i] else { return }
        let tx = ctx.tx[i], lat = ctx.lat[i], lon = ctx.lon[i]
        // Without a DEM the simple model's loss is at least Hata's (except fixed to fixed), which bounds the
        // search radius far below the free-space reach: pairs beyond it are those `lossLowerBoundDB` clears.
        let hata =
            terrain == nil
            ? ConflictPropagation.hataSetup(
                frequencyMHz: tx.centreMHz, txHeightM: ctx.height[i], rxHeightM: 1, environment: settings.environment)
            : nil
        let u = VictimIndex.unitVector(lat: lat, lon: lon)
        // The groups are read in place (a group is a large value: copying it per interferer was most of a memmove).
        ctx.victimIndex.groups.withUnsafeBufferPointer { groups in
            for gi in groups.indices {
                screen(interferer: i, group: groups.baseAddress! + gi, u: u, hata: hata, ctx, into: &out, counts: &counts)
            }
        }
    }

    @inline(__always)
    private func screen(
        interferer i: Int, group gp: UnsafePointer<VictimIndex.Group>, u: SIMD3<Double>, hata: Hata.Setup?, _ ctx: Context,
        into out: inout [Finding], counts: inout PairCounts
    ) {
        let tx = ctx.tx[i]
        let allocation = ctx.blockAllocation[i], licensee = ctx.licensee[i], station = ctx.station[i]
        let sameBlock = allocation >= 0 && gp.pointee.allocation == allocation
        if sameBlock && gp.pointee.licensee == licensee { return } // one licensee's reuse inside its block allocation
        let reach = ctx.reach[i * ChannelIndex.classCount + gp.pointee.bandwidthClass]
        guard reach > 0, gp.pointee.grid != nil else { return }
        let w = gp.pointee.windowKHz(interfererKHz: tx.bandwidthKHz, overlapOnly: sameBlock) / 1000
        let fLo = tx.centreMHz - w, fHi = tx.centreMHz + w
        guard fHi >= gp.pointee.lowestMHz, fLo <= gp.pointee.highestMHz else { return }
        var radius = min(reach, settings.maxDistanceKm) + gp.pointee.maxRadiusKm
        if let hata, let heights = gp.pointee.heightsM, !(ctx.fixedService[i] && gp.pointee.hasFixedService),
            let t = ConflictPropagation.hataDistanceKm(beyondLossDB: ctx.eirp[i] - gp.pointee.floorDBm, setup: hata, rxHeightsM: heights)
        {
            radius = min(radius, t + gp.pointee.maxRadiusKm)
        }
        let aMax = VictimIndex.halfChordSquared(km: radius)
        // Two dishes (`clearedByDishes`): the pair is cleared before `evaluate` when even free space over the chord
        // leaves EIRP + both dishes' bounds below the group's floor: R |u − v| > 10^((EIRP − floor − L_fs(1 km)) / 20)
        // × 10^(D_tx / 20) × 10^(D_rx / 20), D as `discriminationCeilingDB` takes them (the receive gain is in the
        // floor, the chord is at most the distance). `dishScale` is that threshold's first factor over R.
        let dishTest = terrain == nil && ctx.txPattern[i] >= 0 && gp.pointee.hasDishLinks
        let dishScale =
            dishTest
            ? pow(10, (ctx.eirp[i] - gp.pointee.floorDBm + 1e-5 - FreeSpace.lossDB(distanceKm: 1, frequencyMHz: ctx.tx[i].centreMHz)) / 20)
                / Geodesy.meanRadiusKm * (1 + 1e-9)
            : Double.infinity
        let txPattern = Int(ctx.txPattern[i]), boresight = ctx.boresight[i]
        // Members, unit vectors, assignments and stations through buffer pointers: an element is borrowed in place,
        // not copied per candidate (a receive channel is a large value); the group itself is read through its pointer
        // (a copy of it retained a dozen arrays per interferer and group).
        //
        // The search hands over runs of entries; each run is filtered in blocks without a branch per entry (window,
        // chord, same record, same station: each passes about half the time, so as branches they were mispredicted
        // on every other entry), the survivors' positions gathered in order, and only those go on to the dishes and
        // `evaluate`, in the same order as before.
        let grid = gp.pointee.grid.unsafelyUnwrapped
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: Self.filterBlock) { kept in
            grid.entries.withUnsafeBufferPointer { entries in
                gp.pointee.members.withUnsafeBufferPointer { members in
                    gp.pointee.dishAxes.withUnsafeBufferPointer { dishAxes in
                        gp.pointee.unit.withUnsafeBufferPointer { unit in
                            gp.pointee.assignment.withUnsafeBufferPointer { assignment in
                                gp.pointee.station.withUnsafeBufferPointer { stations in
                                    grid.runs(lat: ctx.lat[i], lon: ctx.lon[i], radiusKm: radius, fLo: fLo, fHi: fHi) { lo, hi in
                                        var k = lo
                                        while k < hi {
                                            let end = min(hi, k + Self.filterBlock)
                                            var n = 0, inWindow = 0
                                            while k < end {
                                                let f = entries[k].centreMHz
                                                let window = (f >= fLo ? 1 : 0) & (f <= fHi ? 1 : 0)
                                                let d = u - unit[k]
                                                let c2 = (d * d).sum()
                                                let pass =
                                                    window & (c2 / 4 <= aMax ? 1 : 0) & (Int(assignment[k]) != i ? 1 : 0)
                                                    & (Int(stations[k]) != station ? 1 : 0)
                                                kept[n] = Int32(truncatingIfNeeded: k)
                                                n &+= pass
                                                inWindow &+= window
                                                k += 1
                                            }
                                            counts.examined += inWindow
                                            for j in 0..<n {
                                                let m = Int(kept[j])
                                                if dishTest, dishAxes[m].w >= 0 {
                                                    // The interferer's dish alone first (the receiver's amplitude is at
                                                    // most 1 + 10⁻¹⁰).
                                                    let d = u - unit[m]
                                                    let axis = dishAxes[m], chord = (d * d).sum().squareRoot()
                                                    let tx =
                                                        Context.dishBin(txPattern, at: u, toward: unit[m], axis: boresight).map { ctx.dishAmplitude[$0] } ?? 1
                                                    if chord > dishScale * tx * (1 + 1e-9) {
                                                        counts.clearedByDishes += 1
                                                        continue
                                                    }
                                                    let rx = Context.dishBin(Int(axis.w), at: unit[m], toward: u, axis: SIMD3(axis.x, axis.y, axis.z))
                                                    if chord > dishScale * tx * (rx.map { ctx.dishAmplitude[$0] } ?? 1) {
                                                        counts.clearedByDishes += 1
                                                        continue
                                                    }
                                                }
                                                evaluate(
                                                    interferer: i, victimAt: members.baseAddress! + m, ctx, counts: &counts, units: (u, unit[m]), into: &out)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Entries filtered per block of the search's runs (their positions on the stack).
    static let filterBlock = 192

    /// The finding of one (interferer, receive channel) pair, nil when it is not screened or meets its protection
    /// criterion. `lossBound`: without a DEM, pairs that a lower bound of the path loss (free space, Hata) with the
    /// antennas' discrimination clears skip the loss itself (tests turn it off to check that it changes nothing).
    /// `units`: the interferer's and the victim's unit vectors when the caller has them (else computed): the distance
    /// comes from their chord, and a bound of the two dishes' discrimination (F.699 in bins) clears pairs before their
    /// exact bearings and patterns.
    func evaluate(
        interferer i: Int, victim v: Victim, _ ctx: Context, counts: inout PairCounts, lossBound: Bool = true,
        units: (SIMD3<Double>, SIMD3<Double>)? = nil
    ) -> Finding? {
        var found: [Finding] = []
        withUnsafePointer(to: v) { evaluate(interferer: i, victimAt: $0, ctx, counts: &counts, lossBound: lossBound, units: units, into: &found) }
        return found.first
    }

    /// `evaluate` for the search: the receive channel read in place through a pointer and the finding appended to
    /// `out` (a channel and a finding are large values: passing and returning them by value copied both per pair).
    @inline(__always)
    func evaluate(
        interferer i: Int, victimAt v: UnsafePointer<Victim>, _ ctx: Context, counts: inout PairCounts, lossBound: Bool = true,
        units: (SIMD3<Double>, SIMD3<Double>)? = nil, into out: inout [Finding]
    ) {
        let k = v.pointee.assignment // never an excluded record: those have no receive channels
        guard k != i, ctx.station[i] != v.pointee.station else { return }
        let overlap = v.pointee.channel.overlapKHz(with: ctx.tx[i])
        if ctx.blockAllocation[i] >= 0 && ctx.blockAllocation[i] == Int(v.pointee.allocation) {
            if ctx.licensee[i] == Int(v.pointee.licensee) || overlap <= 0 { return }
        }
        // The distance from the chord between the unit vectors (the haversine's a = |u − v|²/4, no trigonometry
        // when the search has the vectors).
        let (ui, uv) =
            units ?? (VictimIndex.unitVector(lat: ctx.lat[i], lon: ctx.lon[i]), VictimIndex.unitVector(lat: v.pointee.lat, lon: v.pointee.lon))
        let chord = ui - uv
        let d = 2 * Geodesy.meanRadiusKm * asin(min(1, ((chord * chord).sum() / 4).squareRoot()))
        guard d <= ctx.reach[i * ChannelIndex.classCount + v.pointee.bandwidthClass] + v.pointee.radiusKm, d <= settings.maxDistanceKm + v.pointee.radiusKm
        else { return }
        // The service's name is put into the requirement only for a finding (not copied per pair).
        guard
            var req = ProtectionRatios.requirement(
                parameters: ctx.serviceParameters[v.pointee.service],
                curve: ctx.serviceHasCurve[v.pointee.service] ? ctx.services[v.pointee.service].curve : nil,
                victimService: "", victim: v.pointee.channel, interferer: ctx.tx[i], coChannelOverride: v.pointee.coOverride)
        else { return }
        counts.evaluated += 1
        let testDist = testDistanceKm(v, d)
        // Without a DEM, a lower bound of the path loss clears most pairs before the costly part of the loss.
        let bound =
            terrain == nil && lossBound ? lossLowerBoundDB(interferer: i, victim: v, testDistanceKm: testDist, requiredDB: req.requiredDB, ctx) : -.infinity
        guard let bound else { return }
        if v.pointee.kind != .area,
            ctx.eirp[i] - bound + discriminationCeilingDB(interferer: i, victim: v, (ui, uv), distanceKm: d, ctx) < v.pointee.wantedDBm - req.requiredDB - 1e-6
        {
            counts.clearedByDishes += 1
            return
        }
        // The interferer's fields, read in place (no copy of its record per pair).
        let lat = ctx.lat[i], lon = ctx.lon[i], f = ctx.tx[i].centreMHz, h = ctx.height[i]
        // Test point: an area victim's edge point nearest the interferer.
        var testLat = v.pointee.lat, testLon = v.pointee.lon
        if v.pointee.kind == .area && v.pointee.radiusKm > 0 {
            let bearing = d > 1e-6 ? Geodesy.bearingDeg(v.pointee.lat, v.pointee.lon, lat, lon) : 0
            (testLat, testLon) = Geodesy.destination(v.pointee.lat, v.pointee.lon, bearingDeg: bearing, distanceKm: v.pointee.radiusKm)
        }
        // Antenna discrimination: the interferer's towards the test point, a link receiver's towards the interferer.
        // (A station or link victim's test point is the receiver itself, `d` away.)
        // The interferer's antenna read field by field (passing its record would copy it, Strings and all).
        let txGain = AssignmentAntenna.relativeGainDB(
            fromLat: lat, lon: lon, azimuthDeg: ctx.assignments[i].azimuthDeg,
            dishGainDBi: ctx.fixedService[i] ? ctx.assignments[i].antennaGainDBi : nil, towardLat: testLat, lon: testLon,
            distanceKm: v.pointee.kind == .area ? nil : d)
        var rxTerm: Double? = nil
        if v.pointee.kind == .link, let g = v.pointee.rxGainDBi, let pointing = v.pointee.pointingDeg {
            let off = d > 1e-6 ? Geodesy.angleDiffDeg(Geodesy.bearingDeg(v.pointee.lat, v.pointee.lon, lat, lon), pointing) : 180
            rxTerm = g + ReferencePattern.f699RelativeDB(maxGainDBi: g, offAxisDeg: off)
        }
        guard ctx.eirp[i] - bound + txGain + (rxTerm ?? 0) >= v.pointee.wantedDBm - req.requiredDB - 1e-6 else { return }
        counts.computed += 1
        let los = ctx.fixedService[i] && v.pointee.fixedService
        var loss: Double
        var model = "simple"
        if let terrain, testDist > 0.05 {
            do {
                loss = try terrain.lossDB(
                    fromLat: lat, fromLon: lon, toLat: testLat, toLon: testLon,
                    frequencyMHz: f, txHeightM: h, rxHeightM: v.pointee.heightM)
                model = terrain.model.id.rawValue
            } catch {
                counts.fallbacks += 1
                loss = ConflictPropagation.simpleLossDB(
                    distanceKm: testDist, frequencyMHz: f, txHeightM: h,
                    rxHeightM: v.pointee.heightM, lineOfSight: los, environment: settings.environment)
            }
        } else {
            loss = ConflictPropagation.simpleLossDB(
                distanceKm: testDist, frequencyMHz: f, txHeightM: h,
                rxHeightM: v.pointee.heightM, lineOfSight: los, environment: settings.environment)
        }
        var interference = ctx.eirp[i] - loss + txGain
        if let rxTerm { interference += rxTerm }
        let margin = (v.pointee.wantedDBm - interference) - req.requiredDB
        guard margin < 0 else { return }
        req.victimService = ctx.services[v.pointee.service].name
        out.append(
            Finding(
                victim: k, interferer: i, overlapKHz: overlap, offsetKHz: v.pointee.channel.offsetKHz(to: ctx.tx[i]), distanceKm: d,
                testDistanceKm: testDist, interferenceDBm: interference, wantedDBm: v.pointee.wantedDBm, requiredDB: req.requiredDB,
                marginDB: margin, victimKind: v.pointee.kind, requirement: req, lossDB: loss, model: model))
    }

    /// At least the transmit antenna's discrimination plus a link receiver's gain and discrimination for a station
    /// or link victim (whose test point is the receiver, `distanceKm` away), from unit vectors and
    /// `F699DiscriminationBound` instead of bearings and the pattern. Directions are used only where the sites are
    /// 64 m apart or more (the tangent's rounding then moves sin(φ/2) by far less than the 10⁻⁶ the bound allows).
    @inline(__always)
    func discriminationCeilingDB(
        interferer i: Int, victim v: UnsafePointer<Victim>, _ units: (SIMD3<Double>, SIMD3<Double>), distanceKm d: Double, _ ctx: Context
    )
        -> Double
    {
        let (ui, uv) = units
        var ceiling = 0.0
        let p = ctx.txPattern[i]
        if p >= 0, let b = Context.dishBin(Int(p), at: ui, toward: uv, axis: ctx.boresight[i]) { ceiling += ctx.dishBins[b] }
        if v.pointee.kind == .link, let g = v.pointee.rxGainDBi, v.pointee.pointingDeg != nil {
            ceiling += g
            if v.pointee.rxPattern >= 0, let b = Context.dishBin(Int(v.pointee.rxPattern), at: uv, toward: ui, axis: v.pointee.pointing) {
                ceiling += ctx.dishBins[b]
            }
        }
        return ceiling
    }

    /// Distance from the interferer to the victim's test point, km, for the interferer `d` km from the victim:
    /// an area victim's edge point nearest the interferer (no closer than `minDistanceKm`), else the receiver
    /// (no closer than `coSiteDistanceKm`).
    @inline(__always)
    func testDistanceKm(_ v: UnsafePointer<Victim>, _ d: Double) -> Double {
        switch v.pointee.kind {
        case .area: max(v.pointee.radiusKm > 0 ? (d > 1e-6 ? abs(d - v.pointee.radiusKm) : v.pointee.radiusKm) : d, settings.minDistanceKm)
        case .station, .link: max(d, settings.coSiteDistanceKm)
        }
    }

    /// The lowest level a receive channel must be protected down to, dBm, whatever the interferer: wanted level
    /// − the largest C/I its service can require at any offset − its receive gain when positive. The largest
    /// requirement: on a curve, the co-channel ratio raised by the curve's highest point above its first;
    /// otherwise the co-channel ratio, less nothing for overlapping channels (frequency-dependent rejection ≥ 0)
    /// and at most ACIR's lower bound min(ACLR, ACS) − 10 log10 2 when that is negative.
    static func protectedFloorDBm(_ v: Victim, _ ctx: Context) -> Double {
        let svc = ctx.services[v.service]
        let required: Double
        if let curve = svc.curve, let first = curve.first {
            let highest = curve.map(\.requiredDB).max() ?? first.requiredDB
            required = (v.coOverride ?? first.requiredDB) + (highest - first.requiredDB)
        } else {
            let p = svc.parameters
            let acirLow = min(p.aclr1DB, p.aclr2DB, p.acs1DB, p.acs2DB) - 3.0103
            required = (v.coOverride ?? p.coChannelDB) - min(0, acirLow)
        }
        return v.wantedDBm - required - max(0, v.rxGainDBi ?? 0)
    }

    /// A lower bound of the simple model's loss (L = max(L_fs + L_dsph, L_Hata) ≥ L_fs, and ≥ L_Hata on paths that
    /// are not fixed-to-fixed), dB; nil when it alone leaves the interference 10⁻⁶ dB or more below what the victim
    /// tolerates (antenna discrimination, never positive, left out): then the pair cannot conflict.
    func lossLowerBoundDB(interferer i: Int, victim v: UnsafePointer<Victim>, testDistanceKm: Double, requiredDB: Double, _ ctx: Context) -> Double? {
        let fs = FreeSpace.lossDB(distanceKm: max(testDistanceKm, 0.001), frequencyMHz: ctx.tx[i].centreMHz)
        if clears(lossDB: fs, interferer: i, victim: v, requiredDB: requiredDB, ctx) { return nil }
        // Hata costs a few logarithms where L_dsph costs many.
        guard !(ctx.fixedService[i] && v.pointee.fixedService) else { return fs }
        let hata = ConflictPropagation.hataLossDB(
            distanceKm: testDistanceKm, frequencyMHz: ctx.tx[i].centreMHz, txHeightM: ctx.height[i],
            rxHeightM: v.pointee.heightM, environment: settings.environment)
        return clears(lossDB: hata, interferer: i, victim: v, requiredDB: requiredDB, ctx) ? nil : max(fs, hata)
    }

    /// True when a path loss of at least `lossDB` leaves the interference 10⁻⁶ dB or more below what the victim
    /// tolerates (antenna discrimination, never positive, left out).
    @inline(__always)
    func clears(lossDB: Double, interferer i: Int, victim v: UnsafePointer<Victim>, requiredDB: Double, _ ctx: Context) -> Bool {
        let rxGain = v.pointee.kind == .link && v.pointee.pointingDeg != nil ? v.pointee.rxGainDBi ?? 0 : 0
        return ctx.eirp[i] + rxGain - lossDB < v.pointee.wantedDBm - requiredDB - 1e-6
    }

    // MARK: merging and wording

    func mergePairs(_ findings: [Finding], _ assignments: [Assignment]) -> [Conflict] {
        mergePairs(parts: [findings], assignments)
    }

    /// The worst finding so far of an unordered pair and kind: where it is (part and offset, part −1 while none),
    /// the fields the merge compares, and the other direction's worst margin (+∞ while none).
    struct PairBest {
        var part: Int32 = -1, offset: Int32 = 0, victim: Int32 = 0, interferer: Int32 = 0
        var margin = 0.0, reverse = Double.infinity
    }

    /// The findings of the screening's chunks (`parts`) merged to one conflict per unordered pair and kind: its worst
    /// finding, and the other direction's worst margin. A pair's key packs whether the channels overlap and the two
    /// indices into one integer; the table holds where each finding is, not the finding.
    /// `room`: conflicts the caller appends (the array is made with capacity for them).
    func mergePairs(parts: [[Finding]], _ assignments: [Assignment], room: Int = 0) -> [Conflict] {
        precondition(assignments.count < 1 << 31, "more than 2³¹ assignments")
        var best: [UInt64: PairBest] = [:]
        best.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for (p, part) in parts.enumerated() {
            part.withUnsafeBufferPointer { fs in
                for o in fs.indices {
                    let v = fs[o].victim, i = fs[o].interferer, margin = fs[o].marginDB
                    let key = UInt64(min(v, i)) << 32 | UInt64(max(v, i)) | (fs[o].overlapKHz > 0 ? 1 << 63 : 0)
                    Self.merge(
                        &best[key, default: PairBest()], PairBest(part: Int32(p), offset: Int32(o), victim: Int32(v), interferer: Int32(i), margin: margin))
                }
            }
        }
        // The explanations are written on every core (hundreds of thousands of them on a national register).
        // Chunks of the table read in place: their first indices found by walking it once.
        let chunk = 4096
        var starts: [Dictionary<UInt64, PairBest>.Index] = []
        var index = best.startIndex, k = 0
        while index != best.endIndex {
            if k % chunk == 0 { starts.append(index) }
            index = best.index(after: index)
            k += 1
        }
        let table = best, chunkStarts = starts
        // Each chunk initialises its own range of the result in place (no parts joined afterwards).
        return [Conflict](unsafeUninitializedCapacity: table.count + room) { buffer, initialized in
            let out = UnsafeMutableBufferPointerBox(buffer)
            DispatchQueue.concurrentPerform(iterations: chunkStarts.count) { c in
                var index = chunkStarts[c], position = c * chunk
                while position < min((c + 1) * chunk, table.count) {
                    let b = table[index].value
                    let f = parts[Int(b.part)][Int(b.offset)]
                    (out.p.baseAddress! + position).initialize(to: conflict(from: f, reverse: b.reverse, assignments))
                    index = table.index(after: index)
                    position += 1
                }
            }
            initialized = table.count
        }
    }

    /// `cur` after finding `f` of the same pair: the worse finding kept (equal margins both ways: the lower
    /// interferer's, whatever order the chunks ran in), and the other direction's worst margin.
    @inline(__always)
    static func merge(_ cur: inout PairBest, _ f: PairBest) {
        guard cur.part >= 0 else {
            cur = f
            return
        }
        let sameDirection = cur.victim == f.victim
        if f.margin < cur.margin || (!sameDirection && f.margin == cur.margin && f.interferer < cur.interferer) {
            let reverse = sameDirection ? cur.reverse : min(cur.margin, cur.reverse)
            cur = f
            cur.reverse = reverse
        } else if !sameDirection {
            cur.reverse = min(cur.reverse, f.margin)
        }
    }

    /// The conflict of a pair's worst finding, worded; `reverse`: the other direction's margin.
    func conflict(from f: Finding, reverse: Double?, _ assignments: [Assignment]) -> Conflict {
        assignments.withUnsafeBufferPointer { records in
            // The two records read in place (a copy of each, Strings and all, was a fifth of the cost).
            conflict(from: f, reverse: reverse, victim: records.baseAddress! + f.victim, interferer: records.baseAddress! + f.interferer)
        }
    }

    func conflict(from f: Finding, reverse: Double?, victim vp: UnsafePointer<Assignment>, interferer ip: UnsafePointer<Assignment>) -> Conflict {
        let kind: ConflictKind = f.overlapKHz > 0 ? .coChannel : .adjacentChannel
        var t = ConflictText()
        if kind == .coChannel {
            t.add(ip.pointee.id); t.add(" ("); t.mhz(ip.pointee.tx.centreMHz); t.add(" MHz, "); t.khz(ip.pointee.tx.bandwidthKHz); t.add(" kHz) overlaps ")
            t.add(vp.pointee.id); t.add("'s channel by "); t.khz(f.overlapKHz); t.add(" kHz")
        } else {
            t.add(ip.pointee.id); t.add(" ("); t.mhz(ip.pointee.tx.centreMHz); t.add(" MHz) is "); t.khz(abs(f.offsetKHz)); t.add(" kHz from ")
            t.add(vp.pointee.id); t.add("'s channel ("); t.mhz(vp.pointee.tx.centreMHz); t.add(" MHz)")
        }
        t.add(", "); t.km(f.distanceKm); t.add(" km apart; ")
        switch f.victimKind {
        case .area: t.add("at "); t.add(vp.pointee.id); t.add("'s service-area edge "); t.km(f.testDistanceKm); t.add(" km from "); t.add(ip.pointee.id)
        case .station: t.add("at "); t.add(vp.pointee.id); t.add("'s receiver ("); t.mhz(vp.pointee.rx?.centreMHz ?? 0); t.add(" MHz)")
        case .link: t.add("at the receiver of link "); t.add(vp.pointee.id)
        }
        t.add(" the interference is "); t.db(f.interferenceDBm); t.add(" dBm (path loss "); t.db(f.lossDB); t.add(" dB, ")
        if f.model == "simple" { t.add("simple model") } else { t.add("model "); t.add(f.model); t.add(" over the DEM") }
        t.add(") against a wanted "); t.db(f.wantedDBm); t.add(" dBm: C/I "); t.db(f.wantedDBm - f.interferenceDBm)
        t.add(" dB, "); t.db(f.requiredDB); t.add(" dB required ("); t.add(f.requirement.basis); t.add("), margin "); t.db(f.marginDB)
        t.add(" dB")
        if let r = reverse, r.isFinite { t.add("; the other way round the margin is "); t.db(r); t.add(" dB") }
        let text = t.string
        return Conflict(
            kind: kind, aID: vp.pointee.id, bID: ip.pointee.id, frequencyOffsetKHz: f.offsetKHz, overlapKHz: f.overlapKHz,
            distanceKm: f.distanceKm, interferenceDBm: f.interferenceDBm, cOverIDB: f.wantedDBm - f.interferenceDBm,
            requiredDB: f.requiredDB, marginDB: f.marginDB, severity: .fromMargin(f.marginDB), explanation: text,
            aPosition: (vp.pointee.longitude, vp.pointee.latitude), bPosition: (ip.pointee.longitude, ip.pointee.latitude))
    }

    // MARK: duplicates

    /// Pairs (first, repeat) of records with the same service, channels and azimuth within `duplicateDistanceKm`.
    func duplicates(_ assignments: [Assignment]) -> [(Int, Int)] {
        struct Key: Hashable, Sendable {
            var service: Service
            var txHz: Int64, bwHz: Int64, rxHz: Int64, rxBwHz: Int64, azimuth: Int
            var linkLat: Int, linkLon: Int
        }
        // Records of equal keys, interned on every core: each group in index order behind its first record.
        let first = Interning.firstIndices(count: assignments.count, threads: settings.threads) { k in
            let a = assignments[k]
            return Key(
                service: a.serviceKind, txHz: Int64((a.tx.centreMHz * 1e6).rounded()), bwHz: Int64((a.tx.bandwidthKHz * 1000).rounded()),
                rxHz: a.rx.map { Int64(($0.centreMHz * 1e6).rounded()) } ?? -1, rxBwHz: a.rx.map { Int64(($0.bandwidthKHz * 1000).rounded()) } ?? -1,
                azimuth: a.azimuthDeg.map { Int($0.rounded()) % 360 } ?? -1,
                linkLat: a.linkReceiver.map { Int(($0.latitude * 1e3).rounded()) } ?? Int.min,
                linkLon: a.linkReceiver.map { Int(($0.longitude * 1e3).rounded()) } ?? Int.min)
        }
        // Each group's records in index order (its first record first), one after another in `members`: counted,
        // then placed (no dictionary of arrays).
        var size = [Int32](repeating: 0, count: first.count)
        for k in first.indices { size[Int(first[k])] += 1 }
        let roots = size.indices.filter { size[$0] > 1 }
        var start = [Int](repeating: 0, count: first.count)
        var total = 0
        for r in roots {
            start[r] = total
            total += Int(size[r])
        }
        var placed = [Int](repeating: 0, count: total), filled = start
        for k in first.indices where size[Int(first[k])] > 1 {
            placed[filled[Int(first[k])]] = k
            filled[Int(first[k])] += 1
        }
        let members = placed
        // The groups are disjoint: each is swept on its own (any core), largest first.
        let dLat = Geodesy.degreesLatitude(km: settings.duplicateDistanceKm), maxKm = settings.duplicateDistanceKm
        let list = roots.sorted { size[$0] != size[$1] ? size[$0] > size[$1] : $0 < $1 }.map { start[$0]..<(start[$0] + Int(size[$0])) }
        let found = Mutex([(Int, Int)]())
        DispatchQueue.concurrentPerform(iterations: list.count) { gi in
            var pairs: [(Int, Int)] = []
            var isRepeat = Set<Int>()
            let sorted = members[list[gi]].sorted { assignments[$0].latitude < assignments[$1].latitude }
            for x in 0..<sorted.count {
                let p = sorted[x]
                guard !isRepeat.contains(p) else { continue }
                var y = x + 1
                while y < sorted.count && assignments[sorted[y]].latitude - assignments[p].latitude <= dLat {
                    let q = sorted[y]
                    if !isRepeat.contains(q) {
                        let a = assignments[p], b = assignments[q]
                        if Geodesy.distanceKm(a.latitude, a.longitude, b.latitude, b.longitude) <= maxKm {
                            let (first, second) = a.row <= b.row ? (p, q) : (q, p)
                            pairs.append((first, second))
                            isRepeat.insert(second)
                        }
                    }
                    y += 1
                }
            }
            if !pairs.isEmpty { found.withLock { $0 += pairs } }
        }
        let out = found.withLock { $0 }
        return out.sorted { $0.1 < $1.1 }
    }
}

func db(_ x: Double) -> String { CSV.fixed(x, decimals: 1) }
func km(_ x: Double) -> String { CSV.fixed(x, decimals: x < 10 ? 2 : 1) }
func khzText(_ x: Double) -> String {
    let r = (x * 1000).rounded() / 1000
    if r == r.rounded() { return String(Int(r)) }
    var s = CSV.fixed(r, decimals: 3)
    while s.hasSuffix("0") { s.removeLast() }
    return s
}
func mhzText(_ x: Double) -> String {
    var s = CSV.fixed(x, decimals: 4)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}

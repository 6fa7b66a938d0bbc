import XCTest
import Foundation
import Geo
import Propagation
import Radio
import Records
import TestSupport
@testable import Analysis

/// The screening's preparation on every core (interning, receive channels, service radii, reach, indexes) against
/// plain serial references and against itself on one and two threads.
final class ConflictPreparationTests: XCTestCase {
    /// A small register: three-sector mobile sites (some duplex), land mobile pairs on one station (some duplex, some
    /// with an override), fixed links, FM, TV, and repeated records.
    func register(count n: Int, seed: UInt64) -> [Assignment] {
        var r = SplitMix64(seed: seed)
        var out: [Assignment] = []
        func add(_ a: Assignment) { var a = a; a.row = out.count + 1; out.append(a) }
        while out.count < n {
            let lat = 10 + r.uniform(), lon = 106 + r.uniform(), k = out.count
            switch r.next() % 6 {
            case 0, 1:
                let f = r.pick([763.0, 773, 1842.5]), h = 20 + r.uniform() * 30, eirp = 45 + Double(r.next() % 20)
                for s in 0..<3 {
                    add(
                        Assignment(
                            id: "M\(k)-\(s)", stationID: "MS\(k)", licensee: r.pick(["Op-A", "Op-B"]), service: "mobile", latitude: lat,
                            longitude: lon, tx: Channel(centreMHz: f, bandwidthKHz: 10_000), antennaHeightM: h, eirpDBm: eirp,
                            azimuthDeg: Double(s) * 120, rx: f < 800 ? Channel(centreMHz: f - 55, bandwidthKHz: 10_000) : nil))
                }
            case 2:
                let ch = 160 + Double(r.next() % 20) * 0.0125
                for s in 0..<2 {
                    add(
                        Assignment(
                            id: "L\(k)-\(s)", stationID: "LS\(k)", licensee: "PMR-\(r.next() % 7)", service: "land_mobile", latitude: lat,
                            longitude: lon, tx: Channel(centreMHz: ch + Double(s) * 0.025, bandwidthKHz: 12.5), antennaHeightM: 15 + r.uniform() * 40,
                            eirpDBm: 37 + r.uniform() * 13, rx: r.next() % 3 == 0 ? Channel(centreMHz: ch - 0.1, bandwidthKHz: 12.5) : nil,
                            protectionRatioDB: r.next() % 5 == 0 ? 14 : nil))
                }
            case 3:
                let hop = 5 + r.uniform() * 30, bearing = r.uniform() * 360
                add(
                    Assignment(
                        id: "F\(k)", stationID: "FS\(k)", licensee: "Net-\(r.next() % 3)", service: "fixed", latitude: lat, longitude: lon,
                        tx: Channel(centreMHz: 7442 + Double(r.next() % 4) * 28, bandwidthKHz: 28_000), antennaHeightM: 20 + r.uniform() * 40,
                        eirpDBm: 55 + r.uniform() * 15, azimuthDeg: bearing, antennaGainDBi: 38,
                        linkReceiver: Assignment.LinkReceiver(
                            latitude: lat + hop * cos(bearing * .pi / 180) / 111.2, longitude: lon + hop * sin(bearing * .pi / 180) / 110,
                            antennaHeightM: 30, antennaGainDBi: 38)))
            case 4:
                add(
                    Assignment(
                        id: "FM\(k)", stationID: "FMS\(k)", licensee: "Radio", service: "broadcast_fm", latitude: lat, longitude: lon,
                        tx: Channel(centreMHz: 98 + Double(r.next() % 12) * 0.1, bandwidthKHz: 200), antennaHeightM: 30 + r.uniform() * 120,
                        eirpDBm: 50 + r.uniform() * 25))
            default:
                guard !out.isEmpty else { continue }
                var copy = out[Int(r.next() % UInt64(out.count))]
                copy.id = "DUP-\(k)"
                add(copy)
            }
        }
        return out
    }

    func testInterningNamesEveryKeyByItsFirstIndexOnAnyNumberOfThreads() {
        var r = SplitMix64(seed: 7)
        let keys = (0..<20_000).map { _ in "k\(r.next() % 3000)" + (r.next() % 2 == 0 ? "" : "-\(r.next() % 3)") }
        var first: [String: Int32] = [:]
        let expected = keys.indices.map { k -> Int32 in
            if let f = first[keys[k]] { return f }
            first[keys[k]] = Int32(k)
            return Int32(k)
        }
        for threads in [1, 2, 3] {
            XCTAssertEqual(Interning.firstIndices(count: keys.count, threads: threads) { keys[$0] }, expected, "\(threads) threads")
        }
        let (ids, firsts) = Interning.dense(expected)
        XCTAssertEqual(firsts.count, first.count)
        XCTAssertEqual(firsts, firsts.sorted())
        for k in keys.indices { XCTAssertEqual(keys[firsts[Int(ids[k])]], keys[k]) }
        XCTAssertEqual(Interning.firstIndices(count: 0, threads: 2) { keys[$0] }, [])
    }

    /// The simple model with its Hata set-up built once equals `simpleLossDB` to the bit, and its comparison with a
    /// budget (which skips the diffraction where Hata or free space settles it) equals the plain comparison, at
    /// budgets on, just above and just below the loss.
    func testSimpleLossAndItsComparisonMatchTheSimpleModelToTheBit() {
        var compared = 0, shortcuts = 0
        for f in [30.0, 98.5, 160.1, 470, 763, 1500, 1842.5, 3500, 7442] {
            for (txH, rxH) in [(1.0, 1.5), (15, 1.5), (40, 10), (150, 30), (400, 2)] {
                for los in [false, true] {
                    let model = ConflictPropagation.SimpleLoss(frequencyMHz: f, txHeightM: txH, rxHeightM: rxH, lineOfSight: los, environment: .urban)
                    for d in [0.0, 0.0005, 0.01, 0.3, 2, 9.7, 25, 48, 80, 130, 260, 499] {
                        let exact = ConflictPropagation.simpleLossDB(
                            distanceKm: d, frequencyMHz: f, txHeightM: txH, rxHeightM: rxH, lineOfSight: los, environment: .urban)
                        XCTAssertEqual(model.lossDB(distanceKm: d).bitPattern, exact.bitPattern, "f \(f) h \(txH)/\(rxH) d \(d) los \(los)")
                        for budget in [exact, exact.nextUp, exact.nextDown, exact - 20, exact + 20] {
                            XCTAssertEqual(model.isWithin(budgetDB: budget, distanceKm: d), exact <= budget)
                            compared += 1
                        }
                        let hataOnly = ConflictPropagation.hataLossDB(distanceKm: d, frequencyMHz: f, txHeightM: txH, rxHeightM: rxH, environment: .urban)
                        if !los && hataOnly > exact - 20 { shortcuts += 1 }
                    }
                }
            }
        }
        print("simple loss: \(compared) comparisons, \(shortcuts) distances where Hata alone exceeds the lowest budget")
        XCTAssertGreaterThan(shortcuts, 0)
    }

    /// The bisection with the cheaper comparison returns the plain bisection's distance to the bit, for the service
    /// radii (simple model) and the reach (free space plus smooth-Earth diffraction).
    func testReachWithTheCheaperComparisonIsThePlainBisection() {
        for f in [98.5, 160.1, 763, 1842.5, 7442] {
            for (txH, rxH) in [(10.0, 1.5), (36, 1.5), (120, 10), (300, 2)] {
                for los in [false, true] {
                    let model = ConflictPropagation.SimpleLoss(frequencyMHz: f, txHeightM: txH, rxHeightM: rxH, lineOfSight: los, environment: .urban)
                    for budget in stride(from: 60.0, through: 200, by: 3.5) {
                        for maxKm in [50.0, 500] {
                            let plain = ConflictPropagation.reachKm(lossBudgetDB: budget, maxKm: maxKm) { d in
                                los
                                    ? ConflictPropagation.lineOfSightLossDB(distanceKm: d, frequencyMHz: f, txHeightM: txH, rxHeightM: rxH)
                                    : ConflictPropagation.simpleLossDB(
                                        distanceKm: d, frequencyMHz: f, txHeightM: txH, rxHeightM: rxH, lineOfSight: false, environment: .urban)
                            }
                            let fast = ConflictPropagation.reachKm(lossBudgetDB: budget, maxKm: maxKm, loss: model.lossDB) {
                                model.isWithin(budgetDB: budget, distanceKm: $0)
                            }
                            XCTAssertEqual(fast.bitPattern, plain.bitPattern, "f \(f) h \(txH)/\(rxH) budget \(budget) max \(maxKm) los \(los)")
                        }
                    }
                }
            }
        }
    }

    /// Each area victim's service radius is the plain bisection of the simple model from its own record.
    func testServiceRadiiAreThePlainBisectionOfEachRecord() {
        let list = register(count: 1500, seed: 3)
        let screening = ConflictScreening()
        let victims = screening.victimChannels(list, excluded: Array(repeating: false, count: list.count))
        let areas = victims.filter { $0.kind == .area }
        XCTAssertGreaterThan(areas.count, 500)
        for v in areas {
            let a = list[v.assignment], p = screening.settings.protection.parameters(a.service)
            let wanted = screening.serviceWanted(a)
            let r = ConflictPropagation.reachKm(lossBudgetDB: a.eirpDBm - wanted, maxKm: max(0.01, p.maxRadiusKm)) { d in
                ConflictPropagation.simpleLossDB(
                    distanceKm: d, frequencyMHz: a.tx.centreMHz, txHeightM: a.antennaHeightM, rxHeightM: p.receiverHeightM,
                    lineOfSight: false, environment: screening.settings.environment)
            }
            XCTAssertEqual(v.radiusKm.bitPattern, r.bitPattern, a.id)
            XCTAssertEqual(v.wantedDBm, wanted)
        }
    }

    /// `prepare` on one thread and on two gives the same receive channels, reach, licensing ids, duplicates and
    /// candidate groups (members in the same order); the duplicates are the repeated records.
    func testPreparationIsTheSameOnOneAndTwoThreads() {
        let list = register(count: 3000, seed: 11)
        func prepared(_ threads: Int) -> ([Conflict], ConflictScreening.Context) {
            var s = ConflictSettings()
            s.threads = threads
            var stats = ScreeningStatistics()
            return ConflictScreening(settings: s).prepare(list, stats: &stats)
        }
        let (c1, one) = prepared(1), (c2, two) = prepared(2)
        XCTAssertEqual(c1, c2)
        let dups = c1.filter { $0.kind == .duplicate }
        XCTAssertEqual(Set(dups.map { $0.bID! }), Set(list.filter { $0.id.hasPrefix("DUP-") }.map(\.id)))
        XCTAssertEqual(one.excluded, two.excluded)
        XCTAssertEqual(one.reach.map(\.bitPattern), two.reach.map(\.bitPattern))
        XCTAssertGreaterThan(one.reach.filter { $0 > 0 }.count, list.count / 2)
        XCTAssertEqual(one.licensee, two.licensee)
        XCTAssertEqual(one.station, two.station)
        // Ids name equal keys: the same licensee (and station) exactly when the strings are equal.
        for k in stride(from: 0, to: list.count, by: 37) {
            for m in stride(from: 1, to: list.count, by: 53) {
                XCTAssertEqual(one.licensee[k] == one.licensee[m], list[k].licensee == list[m].licensee)
                XCTAssertEqual(
                    one.station[k] == one.station[m], list[k].licensee == list[m].licensee && list[k].stationID == list[m].stationID)
            }
        }
        XCTAssertEqual(one.victims.count, two.victims.count)
        for (a, b) in zip(one.victims, two.victims) {
            XCTAssertEqual(a.assignment, b.assignment)
            XCTAssertEqual(a.channel, b.channel)
            XCTAssertEqual(a.radiusKm.bitPattern, b.radiusKm.bitPattern)
            XCTAssertEqual(a.wantedDBm.bitPattern, b.wantedDBm.bitPattern)
        }
        XCTAssertEqual(one.victimIndex.groups.count, two.victimIndex.groups.count)
        for (g, h) in zip(one.victimIndex.groups, two.victimIndex.groups) {
            XCTAssertEqual(g.assignment, h.assignment)
            XCTAssertEqual(g.station, h.station)
            XCTAssertEqual(g.floorDBm, h.floorDBm)
            XCTAssertEqual(g.grid?.starts, h.grid?.starts)
            XCTAssertEqual(g.grid?.slabs.map(\.number), h.grid?.slabs.map(\.number))
        }
    }

    /// The index's cells hold their items sorted by (centre, item), and a query returns exactly the items a scan
    /// of all of them finds.
    func testChannelIndexCellsAreSortedAndQueriesMatchAScan() {
        var r = SplitMix64(seed: 5)
        let n = 6000
        let positions = (0..<n).map { _ in (lat: 10 + r.uniform() * 2, lon: 106 + r.uniform() * 2) }
        let centres = (0..<n).map { _ in 160 + Double(r.next() % 40) * 0.0125 }
        let widths = (0..<n).map { _ in r.pick([12.5, 25, 200, 10_000]) }
        let index = ChannelIndex(positions: positions, centresMHz: centres, bandwidthsKHz: widths, radiiKm: Array(repeating: 0, count: n), cellKm: 10)
        var seen = 0
        for (c, grid) in index.classes.enumerated() where !grid.entries.isEmpty {
            XCTAssertEqual(grid.start.last.map(Int.init), grid.entries.count)
            for cell in 0..<(grid.start.count - 1) {
                let run = grid.entries[Int(grid.start[cell])..<Int(grid.start[cell + 1])]
                for (a, b) in zip(run, run.dropFirst()) {
                    XCTAssertTrue(a.centreMHz < b.centreMHz || (a.centreMHz == b.centreMHz && a.item < b.item), "class \(c) cell \(cell)")
                }
            }
            seen += grid.entries.count
            let (lat, lon, radius) = (11.0, 107.0, 40.0)
            var found: [Int] = []
            _ = index.query(classIndex: c, lat: lat, lon: lon, radiusKm: radius, fLo: 160.1, fHi: 160.2) { found.append($0) }
            let scanned = (0..<n).filter { k in
                ChannelIndex.bandwidthClass(widths[k]) == c && centres[k] >= 160.1 && centres[k] <= 160.2
                    && Geodesy.distanceKm(lat, lon, positions[k].lat, positions[k].lon) <= radius
            }
            XCTAssertEqual(Set(found).isSuperset(of: scanned), true)
        }
        XCTAssertEqual(seen, n)
    }

    /// An index of some of the items, named by `items`, hands over those names, and a query finds exactly the
    /// named items that the index of all of them finds, in the same order (as the intermodulation's index of the
    /// stations' and links' channels, out of all the receive channels).
    func testChannelIndexOfASubsetNamesItsItems() {
        var r = SplitMix64(seed: 7)
        let n = 5000
        let positions = (0..<n).map { _ in (lat: 10 + r.uniform() * 2, lon: 106 + r.uniform() * 2) }
        let centres = (0..<n).map { _ in 160 + Double(r.next() % 40) * 0.0125 }
        let widths = (0..<n).map { _ in r.pick([12.5, 25, 200]) }
        let kept = (0..<n).filter { _ in r.next() % 3 == 0 }
        let all = ChannelIndex(positions: positions, centresMHz: centres, bandwidthsKHz: widths, radiiKm: Array(repeating: 0, count: n), cellKm: 10)
        let some = ChannelIndex(
            positions: kept.map { positions[$0] }, centresMHz: kept.map { centres[$0] }, bandwidthsKHz: kept.map { widths[$0] },
            radiiKm: Array(repeating: 0, count: kept.count), cellKm: 10, items: kept.map { Int32($0) })
        let keptSet = Set(kept)
        var found = 0
        for c in 0..<ChannelIndex.classCount {
            for (lat, lon) in [(11.0, 107.0), (10.2, 106.3), (11.9, 107.9)] {
                var inAll: [Int] = [], inSome: [Int] = []
                _ = all.query(classIndex: c, lat: lat, lon: lon, radiusKm: 30, fLo: 160.05, fHi: 160.3) { inAll.append($0) }
                _ = some.query(classIndex: c, lat: lat, lon: lon, radiusKm: 30, fLo: 160.05, fHi: 160.3) { inSome.append($0) }
                let expected = inAll.filter { keptSet.contains($0) && Geodesy.distanceKm(lat, lon, positions[$0].lat, positions[$0].lon) <= 30 }
                XCTAssertEqual(
                    inSome.filter { Geodesy.distanceKm(lat, lon, positions[$0].lat, positions[$0].lon) <= 30 }.sorted(), expected.sorted(),
                    "class \(c) at \(lat), \(lon)")
                XCTAssertTrue(inSome.allSatisfy(keptSet.contains))
                found += expected.count
            }
        }
        XCTAssertGreaterThan(found, 100)
    }

    /// A slab index holds every item once, by (slab, cell, centre, item); its query gives exactly the items of a
    /// scan inside the window and the radius (a superset outside the radius only), each once, and its runs hold
    /// every such item; on windows narrower and far wider than a slab, at the edges of the area and beyond it.
    func testSlabIndexQueriesMatchAScan() {
        var r = SplitMix64(seed: 11)
        let n = 8000
        let positions = (0..<n).map { _ in (lat: 10 + r.uniform() * 3, lon: 105 + r.uniform() * 2) }
        let centres = (0..<n).map { _ in 150 + Double(r.next() % 400) * 0.0125 }
        let index = SlabIndex(positions: positions, centresMHz: centres, slabMHz: 0.05)
        XCTAssertEqual(index.entries.count, n)
        XCTAssertEqual(Set(index.entries.map(\.item)).count, n)
        XCTAssertEqual(index.slabs.map(\.number), index.slabs.map(\.number).sorted())
        XCTAssertGreaterThan(index.slabs.count, 10)
        for (a, b) in zip(index.slabs, index.slabs.dropFirst()) { XCTAssertLessThan(a.number, b.number) }
        for g in index.slabs {
            for c in 0..<(g.nx * g.ny) {
                let run = index.entries[Int(index.starts[g.startBase + c])..<Int(index.starts[g.startBase + c + 1])]
                for e in run { XCTAssertEqual(SlabIndex.slabNumber(e.centreMHz, 0.05), g.number) }
                for (a, b) in zip(run, run.dropFirst()) {
                    XCTAssertTrue(a.centreMHz < b.centreMHz || (a.centreMHz == b.centreMHz && a.item < b.item), "slab \(g.number) cell \(c)")
                }
            }
        }
        let queries: [(lat: Double, lon: Double, radius: Double, fLo: Double, fHi: Double)] = [
            (11.5, 106, 20, 152.0, 152.03), (11.5, 106, 60, 151.0, 154.0), (10.0, 105.0, 35, 149.0, 150.5),
            (12.8, 106.8, 50, 154.9, 160.0), (20, 120, 10, 150, 156), (11, 106, 25, 152.0125, 152.0125)
        ]
        for q in queries {
            var found: [Int] = []
            let count = index.query(lat: q.lat, lon: q.lon, radiusKm: q.radius, fLo: q.fLo, fHi: q.fHi) { found.append(Int(index.entries[$0].item)) }
            XCTAssertEqual(count, found.count)
            XCTAssertEqual(Set(found).count, found.count, "each item once")
            XCTAssertTrue(found.allSatisfy { centres[$0] >= q.fLo && centres[$0] <= q.fHi })
            let scanned = (0..<n).filter { k in
                centres[k] >= q.fLo && centres[k] <= q.fHi && Geodesy.distanceKm(q.lat, q.lon, positions[k].lat, positions[k].lon) <= q.radius
            }
            XCTAssertTrue(Set(found).isSuperset(of: scanned), "query \(q)")
            if q.lat < 15 { XCTAssertFalse(scanned.isEmpty, "query \(q) finds something") }
        }
    }

    /// Shared sites (same station_id, or within `imSiteKm`, transitively) against a union of every pair, on one and
    /// two threads; and the intermodulation findings are the same on both.
    func testSitesMatchEveryPairAndIntermodulationIsTheSameOnOneAndTwoThreads() {
        var list = register(count: 2500, seed: 19)
        // Co-sited transmitters under other station ids: some 50 m from another record, some at 300 m (not a site).
        var r = SplitMix64(seed: 4)
        for k in stride(from: 0, to: list.count, by: 9) {
            let near = r.next() % 2 == 0
            var copy = list[Int(r.next() % UInt64(list.count))]
            copy.id = "CO-\(k)"; copy.stationID = "CO-\(k)"; copy.row = list.count + 1
            copy.latitude += (near ? 0.05 : 0.3) / 111.2
            copy.tx.centreMHz += 0.5
            list.append(copy)
        }
        let excluded = list.indices.map { $0 % 50 == 0 }
        var parent = Array(list.indices)
        func find(_ x: Int) -> Int { parent[x] == x ? x : find(parent[x]) }
        let settings = ConflictSettings()
        for k in list.indices where !excluded[k] {
            for m in (k + 1)..<list.count where !excluded[m] {
                let (a, b) = (list[k], list[m])
                if a.stationID == b.stationID || Geodesy.distanceKm(a.latitude, a.longitude, b.latitude, b.longitude) <= settings.imSiteKm {
                    let (ra, rb) = (find(k), find(m))
                    if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
                }
            }
        }
        var components: [Int: [Int]] = [:]
        for k in list.indices where !excluded[k] { components[find(k), default: []].append(k) }
        let expected = components.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
        XCTAssertGreaterThan(expected.filter { Set($0.map { list[$0].stationID }).count > 1 }.count, 20)
        var found: [[Conflict]] = []
        for threads in [1, 2] {
            var s = settings
            s.threads = threads
            XCTAssertEqual(ConflictScreening(settings: s).sites(list, excluded: excluded), expected, "\(threads) threads")
            found.append(ConflictScreening(settings: s).run(list).conflicts.filter { $0.kind == .intermodulation })
        }
        XCTAssertGreaterThan(found[0].count, 0)
        XCTAssertEqual(found[0], found[1])
    }
}

extension ConflictPreparationTests {
    /// The interferers' order by packed keys sorted on two cores is the order of (key, index) a sort by comparison
    /// gives: with keys in the Earth's range (packed), with repeated keys, and with a cell part too wide to pack (the
    /// comparison sort itself).
    func testInterfererOrderOfKeysIsTheOrderOfKeyThenIndex() {
        var r = SplitMix64(seed: 3)
        for (count, cellBits) in [(100_000, 22), (70_000, 8), (90_000, 30), (1_000, 22)] {
            let cellRange: UInt64 = 1 << UInt64(cellBits)
            var keys: [UInt64] = []
            for _ in 0..<count {
                let bucket: UInt64 = r.next() % 1_024
                keys.append(bucket << 40 | r.next() % cellRange)
            }
            let expected: [Int32] = (0..<count).map { Int32($0) }.sorted { (a: Int32, b: Int32) -> Bool in
                let ka = keys[Int(a)], kb = keys[Int(b)]
                return ka != kb ? ka < kb : a < b
            }
            XCTAssertEqual(ConflictScreening.order(ofKeys: keys), expected, "\(count) keys, \(cellBits) bits of cell")
        }
    }
}

extension ConflictPreparationTests {
    /// The intermodulation's cell order (packed and sorted on two cores, or compared when it does not fit 64 bits)
    /// is that of a sort by (row, column, position), negative rows and columns and repeated cells included.
    func testCellOrderIsTheOrderOfRowColumnPosition() {
        var r = SplitMix64(seed: 9)
        for (count, span) in [(120_000, 4_000), (80_000, 40), (1_000, 1 << 40), (3, 10)] {
            var cells: [(row: Int, column: Int)] = []
            for _ in 0..<count {
                let row = Int(r.next() % UInt64(span)) - span / 2, column = Int(r.next() % UInt64(2 * span)) - span
                cells.append((row, column))
            }
            let expected = cells.indices.sorted { (a: Int, b: Int) -> Bool in
                let ca = cells[a], cb = cells[b]
                return ca.row != cb.row ? ca.row < cb.row : ca.column != cb.column ? ca.column < cb.column : a < b
            }
            XCTAssertEqual(ConflictScreening.cellOrder(cells), expected, "\(count) cells over \(span)")
        }
        XCTAssertEqual(ConflictScreening.cellOrder([]), [])
    }
}

extension ConflictPreparationTests {
    /// The records within the site distance of each other, found by the cell search on every core, are exactly the
    /// pairs a comparison of every pair finds (records in clusters, so that most cells hold several and chunks cut
    /// through runs of equal cells).
    func testNearbyPairsAreThoseOfEveryPair() {
        var r = SplitMix64(seed: 13)
        var list: [Assignment] = []
        while list.count < 4_000 {
            let lat = 10 + r.uniform() * 0.2, lon = 106 + r.uniform() * 0.2
            for _ in 0..<Int(1 + r.next() % 4) {
                list.append(
                    Assignment(
                        id: "S\(list.count)", stationID: "ST\(list.count)", licensee: "L", service: "mobile",
                        latitude: lat + (r.uniform() - 0.5) * 0.003, longitude: lon + (r.uniform() - 0.5) * 0.003,
                        tx: Channel(centreMHz: 900, bandwidthKHz: 200), antennaHeightM: 30, eirpDBm: 50))
            }
        }
        for km in [0.1, 0.25] {
            var s = ConflictSettings()
            s.threads = 2
            s.imSiteKm = km
            let live = list.indices.filter { $0 % 17 != 5 }
            let found = ConflictScreening(settings: s).nearbyPairs(list, live: live)
            var expected: [String] = []
            for (x, k) in live.enumerated() {
                for m in live[(x + 1)...] where Geodesy.distanceKm(list[k].latitude, list[k].longitude, list[m].latitude, list[m].longitude) <= km {
                    expected.append("\(k)-\(m)")
                }
            }
            XCTAssertGreaterThan(expected.count, 1_000)
            XCTAssertEqual(found.map { "\($0.0)-\($0.1)" }.sorted(), expected.sorted(), "site distance \(km) km")
        }
    }
}

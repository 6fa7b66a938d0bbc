import XCTest
import Foundation
import Radio
import Records
import TestSupport
@testable import Analysis

/// The pair screening's candidate search (grouped index, frequency windows, chord test, free-space bound) against
/// every ordered pair evaluated in full.
final class ConflictSearchTests: XCTestCase {
    /// A mixed register over 220 × 220 km: three-sector mobile sites in block-licensed bands (operator C's 700 MHz
    /// block overlaps A's and B's; some sites duplex with an uplink receive channel), land mobile on a 12.5 kHz
    /// raster (a quarter duplex, some with a protection-ratio override), fixed links with dishes, FM (protection
    /// curve), UHF TV, repeated records and records out of plan.
    func register(count n: Int, seed: UInt64) -> [Assignment] {
        var r = SplitMix64(seed: seed)
        func position() -> (Double, Double) { (10 + r.uniform() * 2, 106 + r.uniform() * 2) }
        let blocks: [[(Double, Double, Double?)]] = [
            [(763, 10_000, 708), (937.4, 200, nil), (1862.5, 15_000, 1767.5)],
            [(773, 10_000, 718), (945, 200, nil), (1842.5, 20_000, nil)],
            [(768, 10_000, nil), (950.2, 200, 905.2), (1822.5, 15_000, nil)]
        ]
        var out: [Assignment] = []
        func add(_ a: Assignment) { var a = a; a.row = out.count + 1; out.append(a) }
        while out.count < n * 4 / 10 {
            let op = Int(r.next() % 3), s = out.count
            let (lat, lon) = position()
            let (f, bw, ul) = r.pick(blocks[op])
            let h = 20 + r.uniform() * 30, az0 = r.uniform() * 120, eirp = 45 + r.uniform() * 20
            for k in 0..<3 {
                add(
                    Assignment(
                        id: "M\(s)-\(k)", stationID: "MS\(s)", licensee: ["Op-A", "Op-B", "Op-C"][op], service: "mobile", latitude: lat,
                        longitude: lon, tx: Channel(centreMHz: f, bandwidthKHz: bw), antennaHeightM: h, eirpDBm: eirp,
                        azimuthDeg: az0 + Double(k) * 120, rx: ul.map { Channel(centreMHz: $0, bandwidthKHz: bw) }))
            }
        }
        for k in 0..<(n * 3 / 10) {
            let (lat, lon) = position()
            let ch = 160.0 + Double(r.next() % 40) * 0.0125
            add(
                Assignment(
                    id: "L\(k)", stationID: "LS\(k / 2)", licensee: "PMR-\(r.next() % 20)", service: "land_mobile", latitude: lat,
                    longitude: lon, tx: Channel(centreMHz: ch, bandwidthKHz: 12.5), antennaHeightM: 15 + r.uniform() * 40,
                    eirpDBm: 37 + r.uniform() * 13, rx: r.next() % 4 == 0 ? Channel(centreMHz: ch - 0.1, bandwidthKHz: 12.5) : nil,
                    protectionRatioDB: r.next() % 10 == 0 ? 14 : nil))
        }
        for k in 0..<(n / 10) {
            let (lat, lon) = position()
            let f = 7442 + Double(r.next() % 6) * 28, hop = 5 + r.uniform() * 35, bearing = r.uniform() * 2 * .pi
            let rlat = lat + hop * cos(bearing) / 111.2, rlon = lon + hop * sin(bearing) / (111.2 * cos(lat * .pi / 180))
            add(
                Assignment(
                    id: "F\(k)", stationID: "FS\(k)", licensee: "Net-\(r.next() % 5)", service: "fixed", latitude: lat, longitude: lon,
                    tx: Channel(centreMHz: f, bandwidthKHz: 28_000), antennaHeightM: 20 + r.uniform() * 40, eirpDBm: 55 + r.uniform() * 15,
                    azimuthDeg: bearing * 180 / .pi, antennaGainDBi: r.next() % 5 == 0 ? nil : 38,
                    linkReceiver: Assignment.LinkReceiver(
                        latitude: rlat, longitude: rlon, antennaHeightM: 20 + r.uniform() * 40, antennaGainDBi: r.next() % 5 == 0 ? nil : 38)))
        }
        for k in 0..<(n / 10) {
            let (lat, lon) = position()
            add(
                Assignment(
                    id: "FM\(k)", stationID: "FMS\(k)", licensee: "Radio-\(k % 8)", service: "broadcast_fm", latitude: lat, longitude: lon,
                    tx: Channel(centreMHz: 98 + Double(r.next() % 12) * 0.1, bandwidthKHz: 200), antennaHeightM: 30 + r.uniform() * 120,
                    eirpDBm: 50 + r.uniform() * 25))
        }
        for _ in 0..<(n / 100) {
            var copy = out[Int(r.next() % UInt64(out.count))]
            copy.id = "DUP-" + copy.id
            add(copy)
        }
        while out.count < n {
            let (lat, lon) = position(), k = out.count
            let outOfPlan = k % 7 == 0
            add(
                Assignment(
                    id: "TV\(k)", stationID: "TVS\(k)", licensee: "TV-\(k % 3)", service: outOfPlan ? "mobile" : "broadcast_tv", latitude: lat,
                    longitude: lon, tx: Channel(centreMHz: outOfPlan ? 1790 : 474 + Double(r.next() % 6) * 8, bandwidthKHz: 8000),
                    antennaHeightM: 40 + r.uniform() * 150, eirpDBm: 55 + r.uniform() * 25))
        }
        return out
    }

    /// Co- and adjacent-channel conflicts of every ordered (interferer, receive channel) pair evaluated in full:
    /// no index, no chord test, no free-space bound; the same preparation (victims, reach, licensing) as `run`.
    /// With `lossBound` the free-space and Hata bounds apply as in `run`; `computed` then counts the pairs that no
    /// bound clears.
    func allPairs(
        _ list: [Assignment], _ screening: ConflictScreening, lossBound: Bool = false
    ) -> (
        conflicts: [Conflict], evaluated: Int, computed: Int
    ) {
        var stats = ScreeningStatistics()
        let ctx = screening.prepare(list, stats: &stats).context
        var findings: [ConflictScreening.Finding] = []
        var counts = ConflictScreening.PairCounts()
        for i in 0..<list.count where !ctx.excluded[i] {
            for v in ctx.victims where ctx.reach[i * ChannelIndex.classCount + v.bandwidthClass] > 0 {
                if let f = screening.evaluate(interferer: i, victim: v, ctx, counts: &counts, lossBound: lossBound) { findings.append(f) }
            }
        }
        return (screening.mergePairs(findings, list).sorted(by: Conflict.ordered), counts.evaluated, counts.computed)
    }

    func testGroupedSearchFindsExactlyWhatAllPairsFind() {
        for seed: UInt64 in [21, 22] {
            let list = register(count: 2500, seed: seed)
            var s = ConflictSettings()
            s.threads = 2
            let screening = ConflictScreening(settings: s)
            let (fast, stats) = screening.run(list)
            let (brute, evaluated, _) = allPairs(list, screening)
            let (bounded, _, computed) = allPairs(list, screening, lossBound: true)
            let screened = fast.filter { $0.kind == .coChannel || $0.kind == .adjacentChannel }
            let blockPairs = brute.filter { $0.aID.hasPrefix("M") && $0.bID!.hasPrefix("M") }.count
            print(
                "seed \(seed): \(list.count) assignments, \(brute.count) co/adjacent conflicts by all pairs (\(blockPairs) between mobile blocks), "
                    + "\(screened.count) by the search; \(stats.pairsExamined) examined of \(list.count * stats.victimChannels) ordered pairs, "
                    + "\(stats.pairsEvaluated) evaluated (all pairs: \(evaluated)), \(stats.pairsClearedByDishes) cleared by the dishes' bound, "
                    + "\(stats.pairsComputed) path losses computed")
            XCTAssertGreaterThan(brute.count, 200)
            XCTAssertGreaterThan(blockPairs, 0)
            XCTAssertGreaterThan(Set(brute.map(\.kind)).count, 1)
            // Same conflicts, margins, severities and wording, in the same order.
            XCTAssertEqual(screened.count, brute.count)
            XCTAssertEqual(screened, brute)
            XCTAssertEqual(bounded, brute)
            // The run's order (indices sorted on a compact copy) is `sort(by: Conflict.ordered)`'s, ties included.
            var shuffled = fast
            shuffled.shuffle()
            shuffled += shuffled.prefix(50).map { c in
                var tie = c; tie.explanation += " (a tie)"; return tie
            }
            let expected = shuffled.sorted(by: Conflict.ordered)
            let given = shuffled.map(\.explanation)
            XCTAssertEqual(Conflict.sortedInOrder(shuffled).map(\.explanation), expected.map(\.explanation))
            // In place (each conflict moved, not copied): the same order and the same conflicts, whole; the array
            // given to `sortedInOrder` above is unchanged by it.
            var inPlace = shuffled
            Conflict.sortInOrder(&inPlace)
            XCTAssertEqual(inPlace, expected)
            XCTAssertEqual(inPlace.map(\.explanation), expected.map(\.explanation))
            XCTAssertEqual(shuffled.map(\.explanation), given)
            // The search radius (reach, and Hata's distance for the group's lowest protected level) leaves out only
            // pairs that the loss bound clears: fewer pairs evaluated, the same ones computed.
            XCTAssertLessThan(stats.pairsEvaluated, evaluated)
            XCTAssertEqual(stats.pairsComputed, computed)
            XCTAssertGreaterThan(stats.pairsClearedByDishes, 1000, "the links' pairs exercise the dishes' bound")
            XCTAssertLessThan(stats.pairsComputed, stats.pairsEvaluated)
        }
    }

    /// The findings' order does not matter: `run` screens interferers in a spatial order, not the register's. Ties
    /// both ways (each of 200 findings mirrored with the same margin) keep the lower interferer's finding.
    func testMergedPairsDoNotDependOnTheFindingsOrder() {
        let list = register(count: 800, seed: 23)
        let screening = ConflictScreening(settings: ConflictSettings())
        var stats = ScreeningStatistics()
        let ctx = screening.prepare(list, stats: &stats).context
        var findings: [ConflictScreening.Finding] = []
        var counts = ConflictScreening.PairCounts()
        for i in 0..<list.count where !ctx.excluded[i] {
            for v in ctx.victims {
                if let f = screening.evaluate(interferer: i, victim: v, ctx, counts: &counts) { findings.append(f) }
            }
        }
        let mirrored = findings.prefix(200).map { f in
            var m = f
            (m.victim, m.interferer) = (f.interferer, f.victim)
            return m
        }
        let all = findings + mirrored
        let reference = screening.mergePairs(all, list).sorted(by: Conflict.ordered)
        XCTAssertGreaterThan(findings.count, 500)
        for _ in 0..<3 {
            XCTAssertEqual(screening.mergePairs(all.shuffled(), list).sorted(by: Conflict.ordered), reference)
        }
        // A mirrored tie is reported from its lower interferer, the other way round at the same margin.
        for f in mirrored.prefix(20) where f.victim != f.interferer {
            let lowerInterferer = min(f.victim, f.interferer)
            let c = reference.first { c in
                Set([c.aID, c.bID]) == Set([list[f.victim].id, list[f.interferer].id]) && ((c.overlapKHz ?? 0) > 0) == (f.overlapKHz > 0)
            }
            guard let c, c.marginDB == f.marginDB else { continue } // another finding of the pair is worse
            XCTAssertEqual(c.bID, list[lowerInterferer].id)
        }
    }
}

extension ConflictSearchTests {
    /// A list large enough to be sorted in two halves on two cores, with many ties of severity, margin and kind, and
    /// full ties (equal keys, told apart by their explanation only): the order is that of one stable sort by
    /// `Conflict.ordered`, in place too.
    func testOrderOfManyConflictsIsOneStableSort() {
        var r = SplitMix64(seed: 17)
        let kinds: [ConflictKind] = [.coChannel, .adjacentChannel, .intermodulation, .duplicate, .outOfPlan]
        let severities: [Severity] = [.high, .medium, .low]
        let list = (0..<50_000).map { k in
            Conflict(
                kind: kinds[Int(r.next() % 5)], aID: "A\(r.next() % 60)", bID: "B\(r.next() % 50)",
                marginDB: r.next() % 7 == 0 ? nil : -Double(r.next() % 40) / 4, severity: severities[Int(r.next() % 3)],
                explanation: "conflict \(k)", aPosition: (106, 10))
        }
        let expected = list.sorted(by: Conflict.ordered).map(\.explanation)
        XCTAssertLessThan(Set(list.map(\.key)).count, list.count, "full ties are exercised")
        XCTAssertEqual(Conflict.sortedInOrder(list).map(\.explanation), expected)
        var inPlace = list
        Conflict.sortInOrder(&inPlace)
        XCTAssertEqual(inPlace.map(\.explanation), expected)
    }
}

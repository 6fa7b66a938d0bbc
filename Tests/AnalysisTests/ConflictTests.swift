import XCTest
import Foundation
import Geo
import Radio
import Records
import Terrain
import TestSupport
@testable import Analysis

final class ConflictTests: XCTestCase {
    /// An assignment at (lat, lon); distances below are along a meridian (1° ≈ 111.2 km).
    func a(
        _ id: String, _ service: String, _ f: Double, _ bwKHz: Double, lat: Double = 11, lon: Double = 107,
        licensee: String? = nil, station: String? = nil, eirp: Double = 47, height: Double = 40,
        rx: Channel? = nil, azimuth: Double? = nil, row: Int = 0
    ) -> Assignment {
        Assignment(
            id: id, stationID: station ?? "ST-\(id)", licensee: licensee ?? "L-\(id)", service: service, latitude: lat, longitude: lon,
            tx: Channel(centreMHz: f, bandwidthKHz: bwKHz), antennaHeightM: height, eirpDBm: eirp, azimuthDeg: azimuth, rx: rx, row: row)
    }

    func kmNorth(_ km: Double) -> Double { 11 + km / 111.195 }

    func run(_ list: [Assignment], _ configure: (inout ConflictSettings) -> Void = { _ in }) -> [Conflict] {
        var s = ConflictSettings()
        s.threads = 2
        configure(&s)
        return ConflictScreening(settings: s).run(list).conflicts
    }

    func pairs(_ c: [Conflict], _ kind: ConflictKind) -> Set<String> {
        Set(c.filter { $0.kind == kind }.map { [$0.aID, $0.bID ?? ""].sorted().joined(separator: "/") })
    }

    // MARK: co-channel

    func testCoChannelNeighboursAreFlaggedButNotAt300km() {
        let near = [a("P1", "land_mobile", 160.1, 12.5), a("P2", "land_mobile", 160.1, 12.5, lat: kmNorth(15))]
        let c = run(near)
        XCTAssertEqual(pairs(c, .coChannel), ["P1/P2"])
        let x = c.first { $0.kind == .coChannel }!
        XCTAssertEqual(x.distanceKm!, 15, accuracy: 0.05)
        XCTAssertEqual(x.overlapKHz!, 12.5, accuracy: 1e-9)
        XCTAssertEqual(x.requiredDB!, 8, accuracy: 1e-9)
        XCTAssertLessThan(x.marginDB!, 0)
        XCTAssertEqual(x.marginDB!, x.cOverIDB! - x.requiredDB!, accuracy: 1e-9)
        XCTAssertTrue(x.explanation.contains("margin"), x.explanation)
        // The same pair 300 km apart: beyond the radio horizon, no conflict.
        let far = [a("P1", "land_mobile", 160.1, 12.5), a("P2", "land_mobile", 160.1, 12.5, lat: kmNorth(300))]
        XCTAssertTrue(run(far).isEmpty, run(far).map(\.explanation).joined(separator: "\n"))
        // Same for FM broadcasters, and for mobile carriers of two operators.
        XCTAssertTrue(
            run([a("F1", "broadcast_fm", 98.5, 200, eirp: 60, height: 60), a("F2", "broadcast_fm", 98.5, 200, lat: kmNorth(300), eirp: 60, height: 60)]).isEmpty
        )
        XCTAssertTrue(
            run([a("M1", "mobile", 773, 10_000, eirp: 60, height: 30), a("M2", "mobile", 773, 10_000, lat: kmNorth(300), eirp: 60, height: 30)]).isEmpty)
        XCTAssertEqual(
            pairs(
                run([a("M1", "mobile", 773, 10_000, eirp: 60, height: 30), a("M2", "mobile", 773, 10_000, lat: kmNorth(8), eirp: 60, height: 30)]), .coChannel),
            ["M1/M2"])
    }

    func testMarginGrowsWithDistanceBeyondTheServiceArea() {
        let radius = ConflictScreening().victimChannels([a("P1", "land_mobile", 160.1, 12.5)], excluded: [false])[0].radiusKm
        XCTAssertGreaterThan(radius, 5)
        var margins: [Double] = []
        for d in [radius + 2, radius + 5, radius + 10, radius + 20] {
            let c = run([a("P1", "land_mobile", 160.1, 12.5), a("P2", "land_mobile", 160.1, 12.5, lat: kmNorth(d))])
            margins.append(c.first { $0.kind == .coChannel }?.marginDB ?? 0)
        }
        XCTAssertEqual(margins, margins.sorted(), "\(margins)")
        XCTAssertLessThan(margins[0], margins[3] - 5)
        // The worst place for an interferer is on the victim's service-area edge.
        let onEdge = run([a("P1", "land_mobile", 160.1, 12.5), a("P2", "land_mobile", 160.1, 12.5, lat: kmNorth(radius))])
        XCTAssertLessThan(onEdge.first!.marginDB!, margins[0])
    }

    // MARK: adjacent channel

    func testAdjacentChannelsFlaggedOnlyWithoutEnoughGuardBand() {
        // FM 200 kHz apart, 6 km: BS.412 asks 7 dB, far from met.
        let close = run([a("F3", "broadcast_fm", 101.0, 200, eirp: 60, height: 45), a("F4", "broadcast_fm", 101.2, 200, lat: kmNorth(6), eirp: 60, height: 45)])
        XCTAssertEqual(pairs(close, .adjacentChannel), ["F3/F4"])
        let x = close.first!
        XCTAssertEqual(x.requiredDB!, 7, accuracy: 1e-9)
        XCTAssertEqual(abs(x.frequencyOffsetKHz!), 200, accuracy: 1e-6)
        XCTAssertEqual(x.overlapKHz!, 0)
        // 400 kHz apart (−20 dB required): enough.
        XCTAssertTrue(
            run([a("F3", "broadcast_fm", 101.0, 200, eirp: 60, height: 45), a("F4", "broadcast_fm", 101.4, 200, lat: kmNorth(6), eirp: 60, height: 45)]).isEmpty
        )
        // 12.5 kHz land-mobile channels 2 km apart: co-channel conflicts, one channel of guard (25 kHz) is enough.
        XCTAssertEqual(pairs(run([a("P1", "land_mobile", 160.1, 12.5), a("P2", "land_mobile", 160.1, 12.5, lat: kmNorth(2))]), .coChannel), ["P1/P2"])
        XCTAssertTrue(run([a("P1", "land_mobile", 160.1, 12.5), a("P2", "land_mobile", 160.125, 12.5, lat: kmNorth(2))]).isEmpty)
    }

    func testBlockLicensedBandsAreNotScreenedForReuseOrAdjacentBlocks() {
        // Two operators on adjacent 10 MHz blocks of band 28 on the same tower: coexist by the block-edge masks.
        let adjacent = [
            a("VT", "mobile", 773, 10_000, licensee: "Viettel", eirp: 60, height: 30),
            a("VNP", "mobile", 783, 10_000, licensee: "VinaPhone", eirp: 60, height: 30)
        ]
        XCTAssertTrue(run(adjacent).isEmpty)
        // The worst geometry: the other operator's site on the victim's cell edge.
        let radius = ConflictScreening().victimChannels(adjacent, excluded: [false, false])[0].radiusKm
        var edge = adjacent
        edge[1].latitude = kmNorth(radius)
        XCTAssertTrue(run(edge).isEmpty)
        // Without a band plan (no block licensing known) that pair is screened as adjacent channels.
        XCTAssertEqual(pairs(run(edge) { $0.bandPlan = nil }, .adjacentChannel), ["VNP/VT"])
        // One operator reusing its channel on sites 3 km apart: its own planning.
        let reuse = [
            a("VT1", "mobile", 773, 10_000, licensee: "Viettel", eirp: 60, height: 30),
            a("VT2", "mobile", 773, 10_000, lat: kmNorth(3), licensee: "Viettel", eirp: 60, height: 30)
        ]
        XCTAssertTrue(run(reuse).isEmpty)
        // Another operator on the same block 3 km away: co-channel conflict.
        let foreign = [
            a("VT1", "mobile", 773, 10_000, licensee: "Viettel", eirp: 60, height: 30),
            a("X2", "mobile", 773, 10_000, lat: kmNorth(3), licensee: "Other", eirp: 60, height: 30)
        ]
        XCTAssertEqual(pairs(run(foreign), .coChannel), ["VT1/X2"])
        // Channels of one station are never screened against each other.
        XCTAssertTrue(
            run([
                a("S1", "land_mobile", 160.1, 12.5, licensee: "L", station: "S"), a("S2", "land_mobile", 160.1, 12.5, licensee: "L", station: "S", azimuth: 90)
            ]).isEmpty)
    }

    // MARK: intermodulation

    func trio(victimRx: Double, victimKm: Double = 3) -> [Assignment] {
        [
            a("T1", "land_mobile", 160.1, 12.5, station: "T-IM"), a("T2", "land_mobile", 160.5, 12.5, station: "T-IM"),
            a("T3", "land_mobile", 161.3, 12.5, station: "T-IM"),
            a("V", "land_mobile", 164.7, 12.5, lat: kmNorth(victimKm), eirp: 44, height: 25, rx: Channel(centreMHz: victimRx, bandwidthKHz: 12.5))
        ]
    }

    func testThirdOrderProductsInANearbyReceiveChannel() {
        let c = run(trio(victimRx: 159.7))
        let im = c.filter { $0.kind == .intermodulation }
        // 2·160.1 − 160.5 and 2·160.5 − 161.3 both give 159.7 MHz.
        XCTAssertEqual(Set(im.map { "\($0.aID)<\($0.bID!)+\($0.cID!)" }), ["V<T1+T2", "V<T2+T3"])
        XCTAssertTrue(im.allSatisfy { $0.marginDB! < 0 && abs($0.overlapKHz! - 12.5) < 1e-6 })
        XCTAssertTrue(im[0].explanation.contains("2f1 − f2"), im[0].explanation)
        XCTAssertEqual(c.count, im.count, c.map(\.explanation).joined(separator: "\n"))
        // f1 + f2 − f3 = 160.1 + 160.5 − 161.3 = 159.3 MHz.
        let sum = run(trio(victimRx: 159.3)).filter { $0.kind == .intermodulation }
        XCTAssertEqual(sum.map { "\($0.bID!)+\($0.cID!)" }, ["T1+T2;T3"])
        XCTAssertTrue(sum[0].explanation.contains("f1 + f2 − f3"))
        // Receive channel beside the product (159.75 MHz: product 159.68125–159.71875, channel from 159.74375): no conflict.
        XCTAssertTrue(run(trio(victimRx: 159.75)).isEmpty)
        // The receiver 30 km away (beyond im-victim-km): no conflict.
        XCTAssertTrue(run(trio(victimRx: 159.7, victimKm: 30)).isEmpty)
        // Transmitters on different sites (no shared station, 5 km apart): no products.
        var spread = trio(victimRx: 159.7)
        spread[1].stationID = "other"; spread[1].latitude = kmNorth(-5)
        XCTAssertTrue(run(spread).filter { $0.kind == .intermodulation && $0.cID == "T2" }.isEmpty)
        // Same site by distance alone (different station ids 50 m apart).
        var near = trio(victimRx: 159.7)
        near[1].stationID = "other"; near[1].latitude = kmNorth(0.05)
        XCTAssertEqual(run(near).filter { $0.kind == .intermodulation }.count, 2)
        // Above the carrier cap the three-carrier products are not screened (and the site is counted).
        var capped = ConflictSettings()
        capped.imMaxCarriersForTriples = 2
        let r = ConflictScreening(settings: capped).run(trio(victimRx: 159.3))
        XCTAssertTrue(r.conflicts.isEmpty)
        XCTAssertEqual(r.statistics.intermodulationSitesTruncated, 1)
    }

    func testFifthOrderProduct() {
        // 3·160.1 − 2·160.3 = 159.7 MHz; no 3rd-order product of this pair falls there (159.9, 160.5).
        let list = [
            a("T1", "land_mobile", 160.1, 12.5, station: "T"), a("T2", "land_mobile", 160.3, 12.5, station: "T"),
            a("V", "land_mobile", 164.7, 12.5, lat: kmNorth(1), eirp: 44, height: 25, rx: Channel(centreMHz: 159.7, bandwidthKHz: 12.5))
        ]
        let im = run(list).filter { $0.kind == .intermodulation }
        XCTAssertEqual(im.count, 1)
        XCTAssertEqual(im.first?.bID, "T1")
        XCTAssertEqual(im.first?.cID, "T2")
        XCTAssertTrue(im.first?.explanation.contains("5th-order") ?? false)
        // With 30 dB more attenuation of 5th-order products the margin is met.
        XCTAssertTrue(run(list) { $0.im5AttenuationDB = 85 }.isEmpty)
    }

    // MARK: duplicates and band plan

    func testDuplicatesAndOutOfPlan() {
        var dup = a("D1", "land_mobile", 164.7, 12.5, station: "S", rx: Channel(centreMHz: 159.7, bandwidthKHz: 12.5), row: 1)
        var copy = dup; copy.id = "D2"; copy.row = 2
        var c = run([copy, dup])
        XCTAssertEqual(c.filter { $0.kind == .duplicate }.map { "\($0.aID)>\($0.bID!)" }, ["D1>D2"])
        XCTAssertEqual(c.count, 1, "the repeat is not also a co-channel conflict: \(c.map(\.explanation))")
        // Same channel, same place, other azimuth: a sector, not a duplicate.
        dup.azimuthDeg = 0; copy.azimuthDeg = 120
        c = run([dup, copy])
        XCTAssertTrue(c.isEmpty, c.map(\.explanation).joined(separator: "\n"))
        // Out of plan: 1790 MHz mobile is in the duplex gap; 1842.5 MHz is inside band 3.
        c = run([a("MW", "mobile", 1790, 5000, eirp: 55), a("OK", "mobile", 1842.5, 20_000, lat: 12, eirp: 61)])
        XCTAssertEqual(c.map(\.kind), [.outOfPlan])
        XCTAssertEqual(c.first?.aID, "MW")
        XCTAssertEqual(c.first?.severity, .medium)
        XCTAssertTrue(run([a("MW", "mobile", 1790, 5000, eirp: 55)]) { $0.bandPlan = nil }.isEmpty)
    }

    // MARK: the sample register

    func testPlantedConflictsOfTheSampleDataAreFoundAndNothingElse() throws {
        let path = ReferenceData.projectRoot().appendingPathComponent("data/assignments.csv").path
        var report = LoadReport()
        let list = try AssignmentLoader.load(path, report: &report)
        var s = ConflictSettings()
        s.threads = 2
        let (c, stats) = ConflictScreening(settings: s).run(list)
        let found = Set(c.map { "\($0.kind.rawValue):" + [$0.aID, $0.bID, $0.cID].compactMap { $0 }.joined(separator: "/") })
        XCTAssertEqual(
            found,
            [
                // FM-40 is the broadcast plan's planted breach (SampleBroadcast.swift): 100 kHz from FM-10, whose
                // 200 kHz channel it overlaps, so the register checks see it as co-channel.
                "co_channel:FM-02/FM-01", "co_channel:FM-40/FM-10", "adjacent_channel:FM-04/FM-03", "intermodulation:PMR-04/PMR-01/PMR-02",
                "intermodulation:PMR-04/PMR-02/PMR-03", "duplicate:PMR-04/PMR-05", "out_of_plan:MW-01"
            ])
        // Sorted by severity, then margin.
        XCTAssertEqual(c.map(\.severity), c.map(\.severity).sorted())
        XCTAssertEqual(c.first?.kind, .coChannel)
        XCTAssertEqual(c.first?.distanceKm ?? 0, 24.1, accuracy: 0.1)
        XCTAssertLessThan(stats.pairsExamined, Int(stats.allPairs))
    }

    // MARK: index against brute force

    func testIndexFindsTheSameConflictsAsAllPairs() {
        // 400 random assignments over 300 × 300 km, few channels so that many pairs interact.
        var rng = SplitMix64(seed: 7)
        let services: [(String, [Double], Double)] = [
            ("land_mobile", [160.1, 160.1125, 160.125, 160.5], 12.5),
            ("broadcast_fm", [98.5, 98.7, 99.0], 200), ("mobile", [773, 783], 10_000)
        ]
        var list: [Assignment] = []
        for k in 0..<400 {
            let (svc, freqs, bw) = services[Int(rng.next() % 3)]
            list.append(
                a(
                    "A\(k)", svc, freqs[Int(rng.next() % UInt64(freqs.count))], bw,
                    lat: 10 + Double(rng.next() % 10_000) / 10_000 * 2.7, lon: 106 + Double(rng.next() % 10_000) / 10_000 * 2.7,
                    licensee: "L\(rng.next() % 5)", eirp: 40 + Double(rng.next() % 30), height: 20 + Double(rng.next() % 60)))
        }
        var s = ConflictSettings()
        s.threads = 2
        s.bandPlan = nil
        let screening = ConflictScreening(settings: s)
        let (fast, stats) = screening.run(list)
        // Brute force over every ordered pair, with the same evaluation.
        let victims = screening.victimChannels(list, excluded: Array(repeating: false, count: list.count))
        let ctx = ConflictScreening.Context(
            assignments: list, victims: victims, index: ChannelIndex(positions: [], centresMHz: [], bandwidthsKHz: [], radiiKm: [], cellKm: 25),
            reach: Array(repeating: 1e9, count: list.count * ChannelIndex.classCount), excluded: Array(repeating: false, count: list.count),
            licensee: list.map { Int($0.licensee.dropFirst())! }, station: Array(0..<list.count),
            blockAllocation: Array(repeating: -1, count: list.count), protection: s.protection)
        var findings: [ConflictScreening.Finding] = []
        var counts = ConflictScreening.PairCounts()
        for i in 0..<list.count {
            for v in ctx.victims {
                if let f = screening.evaluate(interferer: i, victim: v, ctx, counts: &counts) { findings.append(f) }
            }
        }
        let brute = screening.mergePairs(findings, list)
        let key: (Conflict) -> String = { "\($0.kind.rawValue):\($0.aID)/\($0.bID!):\(String(format: "%.6f", $0.marginDB!))" }
        XCTAssertGreaterThan(brute.count, 50)
        XCTAssertEqual(Set(fast.filter { $0.kind == .coChannel || $0.kind == .adjacentChannel }.map(key)), Set(brute.map(key)))
        XCTAssertLessThan(stats.pairsExamined, list.count * list.count)
    }

    // MARK: ULS on the real files

    func testULSLinksScreenedForCoChannelConflicts() throws {
        let rel = "stations/fcc_uls_microwave_daily_2015"
        let root = try ReferenceData.require(rel)
        let (links, report) = try ULSImport.load(["l_mw_fri.zip", "l_mw_sat.zip", "l_mw_sun.zip"].map { root.appendingPathComponent($0).path })
        var s = ConflictSettings()
        s.bandPlan = nil
        s.threads = 2
        let (c, stats) = ConflictScreening(settings: s).run(links)
        let co = c.filter { $0.kind == .coChannel }
        print(
            "ULS: \(report.links) links, \(links.count) link channels; \(stats.pairsExamined) pairs examined of \(Int(stats.allPairs)); \(co.count) co-channel conflicts, \(c.filter { $0.kind == .adjacentChannel }.count) adjacent, \(c.filter { $0.kind == .duplicate }.count) duplicates"
        )
        XCTAssertGreaterThan(co.count, 0)
        let byID = Dictionary(uniqueKeysWithValues: links.map { ($0.id, $0) })
        for x in co {
            let v = byID[x.aID]!, i = byID[x.bID!]!
            XCTAssertGreaterThan(v.tx.overlapKHz(with: i.tx), 0, x.explanation)
            XCTAssertLessThan(x.marginDB!, 0)
            XCTAssertTrue(x.explanation.contains("receiver of link"), x.explanation)
        }
        XCTAssertLessThan(Double(stats.pairsExamined), stats.allPairs / 10)
    }

    // MARK: products and baseline

    func testProductsAreWrittenAtomicallyAndBaselineMarksChanges() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-conflicts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let list = [
            a("P1", "land_mobile", 160.1, 12.5), a("P2", "land_mobile", 160.1, 12.5, lat: kmNorth(10)),
            a("F3", "broadcast_fm", 101.0, 200, eirp: 60, height: 45), a("F4", "broadcast_fm", 101.2, 200, lat: kmNorth(6), eirp: 60, height: 45)
        ]
        let first = run(list)
        XCTAssertEqual(first.count, 2)
        let paths = try ConflictReport.write(first, to: dir.appendingPathComponent("run1").path)
        let csv = try String(contentsOfFile: paths.csv, encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix(ConflictReport.columns.joined(separator: ",") + "\n"))
        XCTAssertEqual(CSV.parse(csv).count, 3)
        let layer = try VectorReader.read(paths.gpkg, layer: "conflicts")
        XCTAssertEqual(layer.features.count, 2)
        if case .lineString(let pts)? = layer.features[0].geometry { XCTAssertEqual(pts.count, 2) } else { XCTFail("not a line") }

        // Second run: F4 moved to 401.4 kHz away (resolved), a new co-channel pair P1/P5.
        var second = list
        second[3].tx.centreMHz = 101.4
        second.append(a("P5", "land_mobile", 160.1, 12.5, lat: kmNorth(-8)))
        let compared = try ConflictReport.compare(run(second), baselineCSV: paths.csv)
        let status = Dictionary(uniqueKeysWithValues: compared.map { ("\($0.kind.rawValue):\($0.aID)/\($0.bID!)", $0.status!) })
        XCTAssertEqual(status.values.filter { $0 == "unchanged" }.count, 1)
        XCTAssertEqual(status.values.filter { $0 == "new" }.count, 2) // P1/P5 (and P5's other neighbour P2 if within reach)
        XCTAssertEqual(status.first { $0.key.hasPrefix("adjacent_channel:") }?.value, "resolved")
        let out = try ConflictReport.write(
            ConflictReport.locate(compared, positions: Dictionary(uniqueKeysWithValues: second.map { ($0.id, ($0.longitude, $0.latitude)) })),
            to: dir.appendingPathComponent("run2").path)
        XCTAssertTrue(try String(contentsOfFile: out.csv, encoding: .utf8).split(separator: "\n")[0].hasSuffix(",status"))

        // A failed write leaves nothing: the GeoPackage fails (two layers of one name) after the CSV was written.
        let blocked = dir.appendingPathComponent("run3")
        let bad = ConflictReport.layers(first) + ConflictReport.layers(first)
        XCTAssertThrowsError(try ConflictReport.write(csvText: ConflictReport.csv(first), layers: bad, to: blocked.path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: blocked.path), [])
        // …and an earlier good run in that folder is kept as it was.
        let good = try ConflictReport.write(first, to: blocked.path)
        XCTAssertThrowsError(try ConflictReport.write(csvText: "x\n", layers: bad, to: blocked.path))
        XCTAssertEqual(try String(contentsOfFile: good.csv, encoding: .utf8), csv)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: blocked.path)), ["conflicts.csv", "conflicts.gpkg"])
    }

    // MARK: terrain

    func testDEMModelChangesTheLossAndFallsBackOutsideTheDEM() throws {
        // A 600 m ridge halfway between two co-channel land-mobile stations 20 km apart.
        let w = 200, h = 300
        var values = [Float](repeating: 10, count: w * h)
        for r in 0..<h { for c in 0..<w where r >= 140 && r <= 160 { values[r * w + c] = 600 } }
        let grid = RasterGrid(
            width: w, height: h, geoTransform: GeoTransform(originX: 106.9, originY: 11.3, pixelWidth: 0.001, pixelHeight: 0.001),
            crs: "EPSG:4326", nodata: nil, values: values)
        let dem = try ElevationModel(grid: grid)
        // P1 transmits on P2's receive channel; P2's own transmit channel is far away.
        let list = [
            a("P1", "land_mobile", 160.1, 12.5, lat: 11.25, eirp: 40, height: 20),
            a("P2", "land_mobile", 164.7, 12.5, lat: 11.05, eirp: 40, height: 20, rx: Channel(centreMHz: 160.1, bandwidthKHz: 12.5))
        ]
        var s = ConflictSettings()
        s.threads = 1
        let simple = ConflictScreening(settings: s).run(list).conflicts
        let terrain = ConflictScreening(settings: s, terrain: TerrainPaths(dem: dem, model: try ProfileModel(.itm))).run(list)
        XCTAssertEqual(pairs(simple, .coChannel), ["P1/P2"])
        // Behind the ridge the ITM loss is larger: the conflict disappears or its margin improves.
        let tm = terrain.conflicts.first { $0.kind == .coChannel }?.marginDB ?? .infinity
        XCTAssertGreaterThan(tm, simple.first!.marginDB! + 10)
        XCTAssertEqual(terrain.statistics.terrainFallbacks, 0)
        XCTAssertTrue(terrain.conflicts.allSatisfy { $0.explanation.contains("model itm") })
        // Two hilltop stations 120 km apart see each other over the valley: the candidate search must not stop at
        // the smooth-Earth horizon of their 40 m masts.
        var hills = [Float](repeating: 0, count: 20 * 150)
        for r in 0..<150 where r < 8 || r > 140 { for c in 0..<20 { hills[r * 20 + c] = 1500 } }
        let hillDEM = try ElevationModel(
            grid: RasterGrid(
                width: 20, height: 150, geoTransform: GeoTransform(originX: 106.9, originY: 12.5, pixelWidth: 0.01, pixelHeight: 0.01),
                crs: "EPSG:4326", nodata: nil, values: hills))
        let peaks = [
            a("H1", "land_mobile", 160.1, 12.5, lat: 12.46, eirp: 47, height: 40),
            a("H2", "land_mobile", 164.7, 12.5, lat: 12.46 - 120 / 111.195, eirp: 47, height: 40, rx: Channel(centreMHz: 160.1, bandwidthKHz: 12.5))
        ]
        XCTAssertTrue(ConflictScreening(settings: s).run(peaks).conflicts.isEmpty)
        let overHills = ConflictScreening(settings: s, terrain: TerrainPaths(dem: hillDEM, model: try ProfileModel(.itm))).run(peaks)
        XCTAssertEqual(overHills.conflicts.map { "\($0.kind.rawValue):\($0.aID)/\($0.bID!)" }, ["co_channel:H2/H1"])
        XCTAssertEqual(overHills.conflicts.first?.distanceKm ?? 0, 120, accuracy: 0.5)
        // Outside the DEM the simple model is used and counted.
        let outside = [
            a("P1", "land_mobile", 160.1, 12.5, lat: 12.0), a("P2", "land_mobile", 164.7, 12.5, lat: 12.05, rx: Channel(centreMHz: 160.1, bandwidthKHz: 12.5))
        ]
        let r = ConflictScreening(settings: s, terrain: TerrainPaths(dem: dem, model: try ProfileModel(.itm))).run(outside)
        XCTAssertGreaterThan(r.statistics.terrainFallbacks, 0)
        XCTAssertEqual(pairs(r.conflicts, .coChannel), ["P1/P2"])
    }
}

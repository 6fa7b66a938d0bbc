import XCTest
import Foundation
@testable import Analysis
import Geo
import Radio
import Records
import TestSupport

final class ComplianceTests: XCTestCase {
    // A 10 × 10 grid of 100 m cells. Service A 4G (10 MHz, threshold RSRP −110 → −82.2 dBm total): −80 dBm in
    // columns 0–4, −90 dBm in 5–9. Service B 5G (100 MHz at 3.5 GHz, SS-RSRP −110 → −74.8 dBm total): −70 dBm in
    // rows 0–2, nothing elsewhere. Service A 2G: −100 dBm everywhere (below −95).
    func scenario() throws -> (ServiceLayers, CoordinateTransform) {
        let base = try GridSpec.utm(west: 106.90, south: 10.90, east: 106.901, north: 10.901, resolutionM: 100)
        let spec = GridSpec(crs: base.crs, geoTransform: base.geoTransform, width: 10, height: 10)
        var a4 = [Float](repeating: -90, count: 100), b5 = [Float](repeating: CoverageResult.nodata, count: 100)
        for r in 0..<10 { for c in 0..<10 { if c <= 4 { a4[r * 10 + c] = -80 }; if r <= 2 { b5[r * 10 + c] = -70 } } }
        let a2 = [Float](repeating: -100, count: 100)
        let toWGS = try CoordinateTransform(from: spec.crs, to: "EPSG:4326")
        func site(_ id: String, _ op: String, _ tech: Technology, col: Int, row: Int, bw: Double, f: Double) throws -> Transmitter {
            let p = spec.cellCentre(col: col, row: row)
            let g = try toWGS.transform(x: p.x, y: p.y)
            return Transmitter(
                id: id, siteID: id, operatorName: op, technology: tech, latitude: g.y, longitude: g.x, antennaHeightM: 30,
                frequencyMHz: f, bandwidthMHz: bw, eirpDBm: 60, azimuthDeg: nil)
        }
        let txs = [
            try site("S1", "A", .lte, col: 0, row: 0, bw: 10, f: 1800), try site("S2", "B", .nr, col: 9, row: 9, bw: 100, f: 3500),
            try site("S1", "A", .gsm, col: 0, row: 0, bw: 0.2, f: 900)
        ]
        let layers = ServiceLayers(
            spec: spec, keys: [ServiceKey("A", .gsm), ServiceKey("A", .lte), ServiceKey("B", .nr)],
            totalDBm: [a2, a4, b5], transmitters: txs)
        return (layers, toWGS)
    }

    func village(
        _ id: String, col: Int, row: Int, pop: Int, commune: String, district: String, _ layers: ServiceLayers,
        _ t: CoordinateTransform
    ) throws -> Village {
        let p = layers.spec.cellCentre(col: col, row: row)
        let g = try t.transform(x: p.x, y: p.y)
        return Village(id: id, name: id, commune: commune, district: district, latitude: g.y, longitude: g.x, population: pop)
    }

    /// Hand count: V1 (4G+5G, 100), V2 (5G, 200) in D1/C1; V3 (4G, 300), V4 (nothing, 400) in D2/C2.
    /// 4G/5G target by population: D1 300/300, D2 300/700, province 600/1000. Zone over rows 0–3: 5G on 30 of 40
    /// cells (0.75), 4G on 20 of 40 (0.5).
    func testHandCountPerUnit() throws {
        let (layers, t) = try scenario()
        let villages = [
            try village("V1", col: 1, row: 1, pop: 100, commune: "C1", district: "D1", layers, t),
            try village("V2", col: 7, row: 1, pop: 200, commune: "C1", district: "D1", layers, t),
            try village("V3", col: 2, row: 6, pop: 300, commune: "C2", district: "D2", layers, t),
            try village("V4", col: 8, row: 8, pop: 400, commune: "C2", district: "D2", layers, t)
        ]
        // Zone: rows 0–3, all columns (corners at cell edges).
        let gt = layers.spec.geoTransform
        let corners = [(0.0, 0.0), (10.0, 0.0), (10.0, 4.0), (0.0, 4.0)].map { gt.map(col: $0.0, row: $0.1) }
        let ring = try corners.map {
            let g = try t.transform(x: $0.x, y: $0.y); return Coordinate(g.x, g.y)
        }
        // Zone has no public initialiser: load it as the contract says, from a GeoJSON file.
        let coords = (ring + [ring[0]]).map { "[\($0.x), \($0.y)]" }.joined(separator: ",")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("zone-\(UUID().uuidString).geojson")
        try Data(
            ("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"id\":\"Z\",\"name\":\"Park\",\"kind\":\"industrial_park\"},"
                + "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[\(coords)]]}}]}").utf8
        ).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var report = LoadReport()
        let zone = try ZoneLoader.load(file.path, report: &report)[0]
        let r = try ComplianceAnalysis.run(
            layers: layers, villages: villages, zones: [zone], admin: nil, targets: .plan,
            settings: ComplianceSettings())
        let keys = layers.keys
        XCTAssertEqual(r.villages.map { $0.covered(by: [.lte, .nr], keys: keys) }, [true, true, true, false])
        XCTAssertEqual(r.villages.map { $0.covered(by: [.lte], keys: keys) }, [true, false, true, false])
        XCTAssertEqual(r.villages.map { $0.covered(by: [.gsm], keys: keys) }, [false, false, false, false])
        // Metric values: RSRP = −80 − 27.78; SS-RSRP = −70 − 35.15.
        XCTAssertEqual(Double(r.villages[0].metricDBm[1]!), -80 - 10 * log10(600), accuracy: 1e-4)
        XCTAssertEqual(Double(r.villages[0].metricDBm[2]!), -70 - 10 * log10(12 * 273), accuracy: 1e-4)
        XCTAssertNil(r.villages[3].metricDBm[2])
        // Nearest site: V4 at (8, 8) is one diagonal cell from S2 at (9, 9).
        XCTAssertEqual(r.villages[3].nearestSiteID, "S2")
        XCTAssertEqual(r.villages[3].nearestSiteKm!, 0.1 * 2.0.squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(r.villages[0].nearestSiteID, "S1")

        let province = r.units(.province)[0]
        XCTAssertEqual(province.villages, 4); XCTAssertEqual(province.population, 1000)
        XCTAssertEqual(province.populationCovered[.lte], 400); XCTAssertEqual(province.populationCovered[.nr], 300)
        XCTAssertEqual(province.targets[0].share!, 0.6, accuracy: 1e-12)
        XCTAssertEqual(province.targets[0].achieved, false)
        let d = Dictionary(uniqueKeysWithValues: r.units(.district).map { ($0.name, $0) })
        XCTAssertEqual(d["D1"]!.targets[0].share!, 1, accuracy: 1e-12)
        XCTAssertEqual(d["D1"]!.targets[0].achieved, true)
        XCTAssertEqual(d["D2"]!.targets[0].share!, 300.0 / 700, accuracy: 1e-12)
        XCTAssertEqual(d["D2"]!.targets[0].metPopulation, 300)
        XCTAssertEqual(r.units(.commune).map(\.name), ["C1", "C2"])
        // Broadband target counts villages: 3 of 4.
        XCTAssertEqual(province.targets[2].share!, 0.75, accuracy: 1e-12)
        // Zone shares.
        XCTAssertEqual(r.zones[0].areaKm2, 0.4, accuracy: 1e-9)
        XCTAssertEqual(r.zones[0].technologyShare[.nr]!, 0.75, accuracy: 1e-12)
        XCTAssertEqual(r.zones[0].technologyShare[.lte]!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(r.zoneTargetShare[1][0]!, 0.75, accuracy: 1e-12)
        XCTAssertEqual(r.zoneMet[1][0], false) // 0.75 < 0.95
        XCTAssertEqual(province.targets[1].subjects, 1)

        // Indoor margin 15 dB: 4G needs −67.2 dBm total, 5G −59.8: nothing is covered.
        let indoor = try ComplianceAnalysis.run(
            layers: layers, villages: villages, zones: [], admin: nil, targets: .plan,
            settings: ComplianceSettings(thresholds: MetricThresholds(indoorMarginDB: 15)))
        XCTAssertEqual(indoor.units(.province)[0].targets[0].share!, 0, accuracy: 1e-12)
    }

    /// A polygon village over cells (3…6, row 4): 4G covers columns 3 and 4, half of it.
    func testPolygonVillageShare() throws {
        let (layers, t) = try scenario()
        let gt = layers.spec.geoTransform
        let corners = [(3.0, 4.0), (7.0, 4.0), (7.0, 5.0), (3.0, 5.0)].map { gt.map(col: $0.0, row: $0.1) }
        let ring = try corners.map {
            let g = try t.transform(x: $0.x, y: $0.y); return Coordinate(g.x, g.y)
        }
        let c = Geometry.polygon([ring]).centroid
        let v = Village(id: "P", name: "P", commune: "C", district: "D", latitude: c.y, longitude: c.x, population: 10, outline: .polygon([ring]))
        let half = try VillageCompliance.evaluate([v], layers: layers, settings: ComplianceSettings(polygonShare: 0.5))[0]
        XCTAssertEqual(half.cellCount, 4)
        XCTAssertEqual(half.coveredShare[1], 0.5)
        XCTAssertTrue(half.covered[1])
        let strict = try VillageCompliance.evaluate([v], layers: layers, settings: ComplianceSettings(polygonShare: 0.6))[0]
        XCTAssertFalse(strict.covered[1])
    }

    /// Aggregation with the real district boundaries of Đồng Nai (dvhcvn 75.json): three villages placed inside
    /// each district; 4G where the longitude is below 107.1. Each district's figures equal the count by hand.
    func testAggregationWithRealDistrictsOfDongNai() throws {
        let rel = "geography/vietnam/dvhcvn_daohoangson/gis/75.json"
        let url = try ReferenceData.require(rel)
        let admin = try AdminLayer.load(url.path)
        XCTAssertEqual(admin.units.count, 11)
        XCTAssertEqual(admin.parentName, "Tỉnh Đồng Nai")
        XCTAssertTrue(admin.units.contains { $0.name == "Thành phố Biên Hòa" })
        // Villages: the first three points of a 0.01° lattice inside each district.
        var villages: [Village] = [], expectedDistrict: [String] = []
        for u in admin.units {
            let b = u.geometry.bounds
            var found = 0
            var lat = b.minY + 0.005
            outer: while lat < b.maxY {
                var lon = b.minX + 0.005
                while lon < b.maxX {
                    if abs(lon - 107.1) > 0.005, u.geometry.contains(Coordinate(lon, lat)) {
                        villages.append(
                            Village(
                                id: "\(u.id)-\(found)", name: "v", commune: "c\(found)", district: "column",
                                latitude: lat, longitude: lon, population: 100 * (found + 1)))
                        expectedDistrict.append(u.name)
                        found += 1
                        if found == 3 { break outer }
                    }
                    lon += 0.037
                }
                lat += 0.029
            }
            XCTAssertEqual(found, 3, u.name)
        }
        let spec = try GridSpec.utm(west: 106.7, south: 10.5, east: 107.65, north: 11.65, resolutionM: 500)
        let toWGS = try CoordinateTransform(from: spec.crs, to: "EPSG:4326")
        var layer = [Float](repeating: -95, count: spec.cellCount)
        for r in 0..<spec.height {
            for c in 0..<spec.width {
                let p = spec.cellCentre(col: c, row: r)
                if try toWGS.transform(x: p.x, y: p.y).x < 107.1 { layer[r * spec.width + c] = -70 }
            }
        }
        let layers = ServiceLayers(spec: spec, keys: [ServiceKey("A", .lte)], totalDBm: [layer], transmitters: [])
        let r = try ComplianceAnalysis.run(
            layers: layers, villages: villages, zones: [], admin: admin, targets: .plan,
            settings: ComplianceSettings())
        XCTAssertEqual(r.districtOf, expectedDistrict)
        XCTAssertEqual(r.provinceName, "Tỉnh Đồng Nai")
        let districts = r.units(.district)
        XCTAssertEqual(districts.count, 11)
        for d in districts {
            let mine = villages.indices.filter { expectedDistrict[$0] == d.name }
            // Hand count (cell centres within 250 m of 107.1°E could differ: none of the lattice points is that close).
            let covered = mine.filter { villages[$0].longitude < 107.1 }
            XCTAssertTrue(mine.allSatisfy { abs(villages[$0].longitude - 107.1) > 0.004 }, d.name)
            XCTAssertEqual(d.villages, 3, d.name)
            XCTAssertEqual(d.population, 600, d.name)
            XCTAssertEqual(d.populationCovered[.lte], covered.reduce(0) { $0 + villages[$1].population }, d.name)
            XCTAssertEqual(d.targets[0].achieved, covered.count == 3, d.name)
        }
        XCTAssertEqual(r.units(.province)[0].population, 6600)
    }

    /// Greedy candidates cover at least as much uncovered population as random picks of the same count.
    func testCandidatesBeatRandomPicks() throws {
        var rng = LCG(seed: 7)
        var villages: [Village] = []
        for i in 0..<150 {
            villages.append(
                Village(
                    id: "V\(i)", name: "V\(i)", commune: "C", district: "D", latitude: 10.9 + rng.next() * 0.2,
                    longitude: 107.0 + rng.next() * 0.2, population: 100 + Int(rng.next() * 3000)))
        }
        let towers = (0..<12).map { i in
            Transmitter(
                id: "T\(i)", siteID: "T\(i)", operatorName: "Other", technology: .lte, latitude: 10.9 + rng.next() * 0.2,
                longitude: 107.0 + rng.next() * 0.2, antennaHeightM: 30, frequencyMHz: 1800, bandwidthMHz: 10, eirpDBm: 60, azimuthDeg: nil)
        }
        let candidates = CandidatePlanner.candidates(
            transmitters: towers, excludingOperator: "Mine", villages: villages,
            gridKm: 3, radiusKm: 5)
        XCTAssertEqual(candidates.filter { $0.kind == .existing }.count, 12)
        XCTAssertEqual(candidates.first?.kind, .existing)
        var config = SectorConfiguration()
        config.operatorName = "Mine"; config.eirpDBm = 50; config.frequencyMHz = 1800
        var study = CoverageStudy(west: 0, south: 0, east: 1, north: 1)
        study.resolutionM = 200; study.maxRadiusKm = 5; study.floorDBm = -140
        let covers = try CandidatePlanner.coverage(
            of: candidates, villages: villages, configuration: config, study: study,
            dem: nil, thresholds: .defaults)
        let pops = villages.map(\.population)
        let k = 5
        let picks = CandidatePlanner.greedy(candidates: candidates, covers: covers, populations: pops, maxSites: k, preferExisting: 1)
        XCTAssertEqual(picks.count, k)
        let greedyPop = picks.last!.cumulativePopulation
        // Each pick's villages are newly covered: no village twice.
        XCTAssertEqual(Set(picks.flatMap(\.villages)).count, picks.flatMap(\.villages).count)
        XCTAssertEqual(picks.reduce(0) { $0 + $1.population }, greedyPop)
        var best = 0
        for _ in 0..<50 {
            var chosen = Set<Int>()
            while chosen.count < k { chosen.insert(Int(rng.next() * Double(candidates.count)) % candidates.count) }
            let union = Set(chosen.flatMap { covers[$0] })
            best = max(best, union.reduce(0) { $0 + pops[$1] })
        }
        XCTAssertGreaterThanOrEqual(greedyPop, best, "greedy \(greedyPop) vs best of 50 random picks \(best)")
        XCTAssertGreaterThan(greedyPop, 0)
        // The sharing preference at 0 takes towers while they add anyone.
        let towersFirst = CandidatePlanner.greedy(candidates: candidates, covers: covers, populations: pops, maxSites: 2, preferExisting: 0)
        if covers[0..<12].contains(where: { !$0.isEmpty }) { XCTAssertEqual(towersFirst.first?.site.kind, .existing) }
        // A population target stops early.
        let half = CandidatePlanner.greedy(
            candidates: candidates, covers: covers, populations: pops, maxSites: 100,
            targetPopulation: greedyPop / 2)
        XCTAssertLessThanOrEqual(half.count, k)
    }
}

struct LCG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
}

import Foundation
import Geo
import Radio
import Records
import Terrain
import TestSupport
import XCTest

@testable import Analysis

final class InterferenceSearchTests: XCTestCase {
    static let victimLat = 10.95, victimLon = 106.90

    static func assignment(
        _ id: String, station: String? = nil, service: String, mhz: Double, khz: Double, km: Double, bearing: Double = 45,
        eirp: Double, height: Double = 30, azimuth: Double? = nil, from: (lat: Double, lon: Double)? = nil
    ) -> Assignment {
        let p = Geodesy.destination(from?.lat ?? victimLat, from?.lon ?? victimLon, bearingDeg: bearing, distanceKm: km)
        return Assignment(
            id: id, stationID: station ?? "ST-\(id)", licensee: "L-\(id)", service: service, latitude: p.lat, longitude: p.lon,
            tx: Channel(centreMHz: mhz, bandwidthKHz: khz), antennaHeightM: height, eirpDBm: eirp, azimuthDeg: azimuth)
    }

    /// A seeded background: 300 mobile transmitters at 2.5–2.7 GHz, 30–80 km from the victim, on their own sites.
    static func background(seed: UInt64) -> [Assignment] {
        var g = SeededGenerator(seed: seed)
        return (0..<300).map { k in
            assignment(
                "BG-\(k)", service: "mobile", mhz: (g.uniform(2500, 2700) * 10).rounded() / 10, khz: 5000, km: g.uniform(30, 80),
                bearing: g.uniform(0, 360), eirp: g.uniform(40, 55), azimuth: g.uniform(0, 360))
        }
    }

    func top(_ complaint: Complaint, _ planted: [Assignment], seed: UInt64) -> InterferenceCandidate {
        let register = Self.background(seed: seed) + planted
        let (c, stats) = InterferenceSearch(complaint: complaint).run(register)
        XCTAssertFalse(c.isEmpty)
        print(
            "planted \(planted.map(\.id)): first \(c[0].mechanism.rawValue) \(c[0].assignmentIDs) I/N \(db(c[0].iOverNDB)) dB; second "
                + (c.count > 1 ? "\(c[1].mechanism.rawValue) \(c[1].assignmentIDs) \(db(c[1].iOverNDB)) dB" : "none")
                + "; \(stats.totalEnumerated) emissions, \(stats.evaluated) evaluated")
        return c[0]
    }

    func complaint(_ mhz: Double, _ khz: Double, service: String) -> Complaint {
        var c = Complaint(latitude: Self.victimLat, longitude: Self.victimLon, frequencyMHz: mhz, bandwidthKHz: khz)
        c.service = service
        return c
    }

    func testPlantedCoChannelCulpritRanksFirst() {
        let c = top(
            complaint(450.0125, 12.5, service: "land_mobile"), [Self.assignment("CO", service: "land_mobile", mhz: 450.0125, khz: 12.5, km: 8, eirp: 40)],
            seed: 1)
        XCTAssertEqual(c.mechanism, .coChannel); XCTAssertEqual(c.assignmentIDs, ["CO"])
    }

    func testPlantedAdjacentChannelCulpritRanksFirst() {
        let c = top(
            complaint(450.0125, 12.5, service: "land_mobile"), [Self.assignment("ADJ", service: "land_mobile", mhz: 450.025, khz: 12.5, km: 0.5, eirp: 50)],
            seed: 2)
        XCTAssertEqual(c.mechanism, .adjacentChannel); XCTAssertEqual(c.assignmentIDs, ["ADJ"])
    }

    func testPlantedIntermodulationCulpritRanksFirst() {
        let site = Geodesy.destination(Self.victimLat, Self.victimLon, bearingDeg: 200, distanceKm: 3)
        let planted = [
            Self.assignment("IM-1", station: "T", service: "land_mobile", mhz: 160.1, khz: 12.5, km: 0, eirp: 47, from: site),
            Self.assignment("IM-2", station: "T", service: "land_mobile", mhz: 160.5, khz: 12.5, km: 0, eirp: 47, from: site)
        ]
        let c = top(complaint(159.7, 12.5, service: "land_mobile"), planted, seed: 3)
        XCTAssertEqual(c.mechanism, .intermodulation); XCTAssertEqual(c.assignmentIDs, ["IM-1", "IM-2"])
        XCTAssertTrue(c.explanation.contains("2·160.1 − 160.5 = 159.7 MHz"), c.explanation)
    }

    func testPlantedHarmonicCulpritRanksFirst() {
        let c = top(
            complaint(196.0, 200, service: "other"), [Self.assignment("FM", service: "broadcast_fm", mhz: 98.0, khz: 200, km: 2, eirp: 70, height: 60)], seed: 4
        )
        XCTAssertEqual(c.mechanism, .harmonic); XCTAssertEqual(c.assignmentIDs, ["FM"])
        XCTAssertTrue(c.explanation.contains("2 × 98 = 196 MHz"), c.explanation)
    }

    func testPlantedSpuriousCulpritRanksFirst() {
        let c = top(
            complaint(420.0, 12.5, service: "land_mobile"), [Self.assignment("BTS", service: "mobile", mhz: 945.0, khz: 5000, km: 0.3, eirp: 58)], seed: 5)
        XCTAssertEqual(c.mechanism, .spurious); XCTAssertEqual(c.assignmentIDs, ["BTS"])
    }

    func testPlantedBlockingCulpritRanksFirst() {
        // A TV receiver 300 m from a 62 dBm land-mobile base 31 MHz away: beyond the adjacent channels, inside the
        // 50 MHz front end; its spurious emissions at the SM.329 limit stay 7 dB below the blocking.
        let c = top(
            complaint(714.0, 8000, service: "broadcast_tv"), [Self.assignment("PMR", service: "land_mobile", mhz: 745.0, khz: 12.5, km: 0.3, eirp: 62)], seed: 6
        )
        XCTAssertEqual(c.mechanism, .blocking); XCTAssertEqual(c.assignmentIDs, ["PMR"])
    }

    /// 2,000 assignments on 400 sites within `maxKm` of the victim (seeded): land mobile on the 12.5 kHz raster near the
    /// victim's frequency, FM, mobile, fixed and low VHF.
    static func seededRegister(maxKm: Double) -> [Assignment] {
        var g = SeededGenerator(seed: 20_261_204)
        var register: [Assignment] = []
        for s in 0..<400 {
            let site = (km: g.uniform(0.2, maxKm), bearing: g.uniform(0, 360))
            for k in 0..<5 {
                let kind = g.next() % 10
                let (service, mhz, khz): (String, Double, Double)
                switch kind {
                case 0...4: (service, mhz, khz) = ("land_mobile", 150 + Double(g.next() % 1920) * 0.0125, 12.5)
                case 5: (service, mhz, khz) = ("broadcast_fm", 87.5 + Double(g.next() % 100) * 0.2, 200)
                case 6: (service, mhz, khz) = ("mobile", 925 + Double(g.next() % 35), 5000)
                case 7: (service, mhz, khz) = ("fixed", 7000 + Double(g.next() % 200), 28000)
                default: (service, mhz, khz) = ("other", g.pick([40.0, 53.325, 80.0, 32.0, 45.5, 61.2, 40 + Double(g.next() % 800) * 0.025]), 25)
                }
                register.append(
                    assignment(
                        "A\(s)-\(k)", station: "S\(s)", service: service, mhz: mhz, khz: khz, km: site.km, bearing: site.bearing,
                        eirp: g.uniform(30, 60), height: g.uniform(10, 60), azimuth: g.chance(0.5) ? g.uniform(0, 360) : nil))
            }
        }
        return register
    }

    /// The seeded register: the search's top 10 equal those of evaluating every single assignment, every ordered pair
    /// and every triple of the register (no bound, no index), over all mechanisms and for each alone.
    func testTopTenEqualBruteForceOverAllPairsAndTriples() {
        let register = Self.seededRegister(maxKm: 40)
        var complaint = complaint(160.0, 12.5, service: "land_mobile")
        complaint.rxAzimuthDeg = 30; complaint.rxGainDBi = 6
        var settings = InterferenceSettings()
        settings.top = 10
        let search = InterferenceSearch(complaint: complaint, settings: settings)
        let (fast, stats) = search.run(register)
        let brute = search.bruteForce(register)
        print("brute force: \(brute.count) candidates evaluated; search: \(stats.totalEnumerated) enumerated, \(stats.evaluated) evaluated")
        for (r, (a, b)) in zip(fast, brute.prefix(10)).enumerated() {
            print(
                "  \(r + 1). \(a.mechanism.rawValue) \(a.assignmentIDs.joined(separator: ";")) \(db(a.iOverNDB)) dB | \(b.mechanism.rawValue) \(b.assignmentIDs.joined(separator: ";")) \(db(b.iOverNDB)) dB"
            )
        }
        XCTAssertEqual(fast.count, 10)
        XCTAssertEqual(fast, Array(brute.prefix(10)))
        let counts = InterferenceMechanism.allCases.map { m in "\(brute.filter { $0.mechanism == m }.count) \(m.rawValue)" }
        print("brute-force candidates by mechanism: " + counts.joined(separator: ", "))
        for m in InterferenceMechanism.allCases where m != .coChannel { XCTAssertTrue(brute.contains { $0.mechanism == m }, "no \(m.rawValue) candidate") }
        XCTAssertTrue(brute.contains { $0.mechanism == .intermodulation && $0.assignmentIDs.count == 3 }, "the register must produce triple products")
        XCTAssertLessThan(stats.evaluated, brute.count / 2, "the bound must prune")
        // The same for each mechanism alone: its top 10 against the brute force's candidates of that mechanism.
        for m in InterferenceMechanism.allCases {
            var one = settings
            one.mechanisms = [m]
            let (top, s) = InterferenceSearch(complaint: complaint, settings: one).run(register)
            let reference = Array(brute.filter { $0.mechanism == m }.prefix(10))
            print(
                "  \(m.rawValue): top \(top.count) equal to brute force: \(top == reference); \(s.evaluated) of \(s.totalEnumerated) evaluated; first "
                    + (top.first.map { "\($0.assignmentIDs.joined(separator: ";")) \(db($0.iOverNDB)) dB" } ?? "none"))
            XCTAssertEqual(top, reference, m.rawValue)
        }
    }

    /// The same over terrain (P.526 on a synthetic hilly DEM, sites within 15 km): the bound holds for a terrain model
    /// (its losses are floored at free space − 6 dB), and the top 10 equal the brute force's.
    func testTopTenEqualBruteForceOverTerrain() throws {
        let (w, h) = (500, 500)
        var z = [Float](repeating: 0, count: w * h)
        for r in 0..<h {
            for c in 0..<w {
                let x = Double(c) / 40, y = Double(r) / 33
                z[r * w + c] = Float(60 + 120 * sin(x) * cos(y) + 40 * sin(2.7 * x + 1.3 * y))
            }
        }
        let grid = RasterGrid(
            width: w, height: h, geoTransform: GeoTransform(originX: 106.65, originY: 11.20, pixelWidth: 0.001, pixelHeight: 0.001), crs: "EPSG:4326",
            nodata: nil, values: z)
        let terrain = TerrainPaths(dem: try ElevationModel(grid: grid), model: try ProfileModel(.p526))
        let register = Self.seededRegister(maxKm: 15)
        var complaint = complaint(160.0, 12.5, service: "land_mobile")
        complaint.rxHeightM = 15
        var settings = InterferenceSettings()
        settings.top = 10
        let search = InterferenceSearch(complaint: complaint, settings: settings, terrain: terrain)
        let (fast, stats) = search.run(register)
        let brute = search.bruteForce(register)
        let raised = brute.filter { $0.explanation.contains("raised to free space") }.count
        print(
            "over terrain: brute force \(brute.count) evaluated (\(raised) paths raised to free space − 6 dB), search \(stats.evaluated); first \(fast[0].mechanism.rawValue) \(fast[0].assignmentIDs) \(db(fast[0].iOverNDB)) dB"
        )
        XCTAssertEqual(stats.terrainFallbacks, 0)
        XCTAssertEqual(fast, Array(brute.prefix(10)))
        XCTAssertTrue(fast.allSatisfy { $0.explanation.contains("p526 over the DEM") || $0.distanceKm <= 0.05 })
    }

    /// The SM.329 limits: the absolute level or the relative one, whichever is less stringent.
    func testSpuriousLimits() {
        XCTAssertEqual(SpuriousLimits.limitDBm(service: "land_mobile", powerDBm: 40, carrierMHz: 160), -13) // 10 W: 43 + 10 dB → −13 dBm
        XCTAssertEqual(SpuriousLimits.limitDBm(service: "mobile", powerDBm: 60, carrierMHz: 900), -10) // 1 kW: 70 dBc is less stringent
        XCTAssertEqual(SpuriousLimits.limitDBm(service: "broadcast_fm", powerDBm: 80, carrierMHz: 98), 0) // capped at 1 mW
        XCTAssertEqual(SpuriousLimits.limitDBm(service: "broadcast_fm", powerDBm: 40, carrierMHz: 98), -16)
        XCTAssertEqual(Complaint(latitude: 0, longitude: 0, frequencyMHz: 100, bandwidthKHz: 1000).noiseDBm, -173.98 + 60 + 7, accuracy: 0.01)
    }
}

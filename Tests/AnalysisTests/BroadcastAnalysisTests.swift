// Field strength through the coverage engine, and the plan analysis on synthetic fields.
import Foundation
import Geo
import Propagation
import Radio
import Records
import Terrain
import XCTest
@testable import Analysis

final class BroadcastAnalysisTests: XCTestCase {
    /// A 0.4° square of rolling hills, 3″ cells, EPSG:4326.
    func hills() throws -> ElevationModel {
        let step = 3.0 / 3600, n = Int((0.4 / step).rounded())
        var v = [Float](repeating: 0, count: n * n)
        for r in 0..<n {
            for c in 0..<n { v[r * n + c] = Float(40 + 60 * sin(Double(c) / 37) * cos(Double(r) / 53) + 0.2 * Double(c)) }
        }
        return try ElevationModel(
            grid: RasterGrid(
                width: n, height: n, geoTransform: GeoTransform(originX: 107.0, originY: 11.2, pixelWidth: step, pixelHeight: step), crs: "EPSG:4326",
                nodata: -32768, values: v))
    }

    /// `--metric field-strength` deposits E = EIRP(dBW) − L_b + 20 log f + 107.15 (P.1546's own §17 constant) where
    /// the power metric deposits EIRP(dBm) − L_b: the two rasters differ by 20 log f + 77.15 dB in every cell, and the
    /// field of 1 kW ERP equals P.1546's own field strength on the cell's profile.
    func testFieldStrengthMetricThroughTheEngine() throws {
        let dem = try hills()
        let tx = Transmitter(
            id: "F", siteID: "S", operatorName: "A", technology: .fm, latitude: 11.0, longitude: 107.2, antennaHeightM: 60, frequencyMHz: 98,
            bandwidthMHz: 0.2, eirpDBm: RadiatedPower.erp(dBW: 30).eirpDBm, azimuthDeg: nil)
        var study = CoverageStudy(west: 107.05, south: 10.85, east: 107.35, north: 11.15)
        study.resolutionM = 2000; study.model = "p1546"; study.profiles = "exact"; study.receiverHeightM = 10
        study.modelSettings = ["environment": "rural", "time_pct": "50"]; study.maxRadiusKm = 30; study.floorDBm = -200
        let power = try CoverageEngine.run(study: study, transmitters: [tx], dem: dem)
        var fs = study
        fs.metric = "field-strength"
        let field = try CoverageEngine.run(study: fs, transmitters: [tx], dem: dem)
        let offset = 20 * log10(98.0) + 107.15 - 30
        var worst = 0.0, cells = 0
        for (p, e) in zip(power.bestSignalDBm, field.bestSignalDBm) where p != CoverageResult.nodata {
            cells += 1
            worst = max(worst, abs(Double(e) - Double(p) - offset))
        }
        XCTAssertGreaterThan(cells, 100)
        XCTAssertLessThan(worst, 1e-3)
        // One cell against P.1546 on the same profile (ProfileModel, as tanso pathloss), read as field strength.
        let t = try CoordinateTransform(from: field.spec.crs, to: "EPSG:4326")
        let (col, row) = (field.spec.width / 2 + 4, field.spec.height / 2 - 3)
        let centre = field.spec.cellCentre(col: col, row: row)
        let ll = try t.transform(x: centre.x, y: centre.y)
        let prof = try dem.profile(fromLon: tx.longitude, lat1: tx.latitude, toLon: ll.x, lat2: ll.y)
        let model = try ProfileModel(.p1546, settings: study.modelSettings)
        let loss = try model.lossDB(
            profile: TerrainProfile(elevationsM: prof.elevationsM, spacingM: prof.spacingM),
            link: PathLink(frequencyMHz: 98, txHeightM: 60, rxHeightM: 10)
        ).lossDB
        let e1kW = 139.3 - loss + 20 * log10(98.0) // P.1546 §17 inverted: E for 1 kW ERP
        let engine = Double(field.bestSignalDBm[row * field.spec.width + col])
        print(String(format: "field strength through the engine: %.4f dBµV/m, P.1546 on the profile: %.4f dBµV/m", engine, e1kW))
        XCTAssertEqual(engine, e1kW, accuracy: 1e-3)
    }

    /// The wanted (50 %) and interfering (1 %) fields from one run of the engine, sharing each cell's profile,
    /// equal the two separate runs bit for bit: radial method with interpolation (each field refined on its own),
    /// three stations (an FM pair 100 kHz apart and a TV station), one of them without a 1 % field.
    func testOnePassFieldsEqualTwoRuns() throws {
        let dem = try hills()
        func station(_ id: String, _ service: String, _ mhz: Double, _ lat: Double, _ lon: Double, _ h: Double, _ erpDBW: Double) -> Assignment {
            Assignment(
                id: id, stationID: id, licensee: "L", service: service, latitude: lat, longitude: lon,
                tx: Channel(centreMHz: mhz, bandwidthKHz: service == "broadcast_tv" ? 7610 : 200), antennaHeightM: h,
                eirpDBm: RadiatedPower.erp(dBW: erpDBW).eirpDBm)
        }
        let stations = [
            station("A", "broadcast_fm", 97.7, 11.0, 107.2, 70, 30), station("B", "broadcast_fm", 97.8, 10.95, 107.28, 35, 17),
            station("T", "broadcast_tv", 578, 11.05, 107.1, 120, 37)
        ]
        var study = CoverageStudy(west: 107.05, south: 10.85, east: 107.35, north: 11.15)
        study.resolutionM = 1000; study.model = "p1546"; study.receiverHeightM = 10; study.maxRadiusKm = 40; study.floorDBm = -40
        study.modelSettings = ["environment": "rural"]
        XCTAssertGreaterThan(study.interpolateWithinDB, 0, "the default refines by interpolation: the test covers it")
        let needed = [true, true, false]
        let one = try FieldStrengthCoverage.broadcastFields(stations, study: study, dem: dem, interferingNeeded: needed)
        let two = try FieldStrengthCoverage.broadcastFieldsInTwoRuns(stations, study: study, dem: dem, interferingNeeded: needed)
        var worst = 0.0, cells = 0, differing50vs1 = 0
        for k in stations.indices {
            XCTAssertEqual(one.fields.wanted[k].count, two.fields.wanted[k].count)
            XCTAssertEqual(one.fields.interfering[k].count, two.fields.interfering[k].count)
            for (a, b) in Array(zip(one.fields.wanted[k], two.fields.wanted[k])) + zip(one.fields.interfering[k], two.fields.interfering[k]) {
                XCTAssertEqual(a.bitPattern, b.bitPattern)
                if a != CoverageResult.nodata { cells += 1; worst = max(worst, abs(Double(a) - Double(b))) }
            }
            for (w, i) in zip(one.fields.wanted[k], one.fields.interfering[k]) where w != i { differing50vs1 += 1 }
        }
        XCTAssertTrue(one.fields.interfering[2].isEmpty)
        XCTAssertGreaterThan(cells, 2000)
        XCTAssertGreaterThan(differing50vs1, 100, "the 1 % field differs from the 50 % one: the companion is evaluated")
        // Fewer profiles than the two runs together: the terrain work is shared.
        XCTAssertLessThan(one.diagnostics.profilesComputed, two.diagnostics.profilesComputed)
        print(
            "one-pass vs two runs: \(cells) field values, largest |Δ| = \(worst) dB; profiles \(one.diagnostics.profilesComputed) vs \(two.diagnostics.profilesComputed)"
        )
    }

    /// The plan analysis on hand-made fields: two co-channel FM stations; the victim's cells where the interferer's
    /// 1 % field + 37 dB exceeds the wanted field are lost, counted, and make a breach.
    func testPlanAnalysisOnHandMadeFields() throws {
        let spec = try GridSpec.utm(west: 107.0, south: 11.0, east: 107.05, north: 11.05, resolutionM: 1000)
        let n = spec.cellCount
        let a = Assignment(
            id: "A", stationID: "A", licensee: "a", service: "broadcast_fm", latitude: 11.02, longitude: 107.02,
            tx: Channel(centreMHz: 98.5, bandwidthKHz: 200), antennaHeightM: 50, eirpDBm: 72)
        var b = a
        b.id = "B"; b.stationID = "B"; b.latitude = 11.04
        // A: 70 dBµV/m everywhere; B: 1 % field 40 everywhere except 20 in the first half of the cells.
        let wantedA = [Float](repeating: 70, count: n), wantedB = [Float](repeating: 30, count: n)
        let interfB = (0..<n).map { $0 < n / 2 ? Float(20) : Float(40) }
        let fields = BroadcastFields(spec: spec, wanted: [wantedA, wantedB], interfering: [[Float](repeating: 80, count: n), interfB])
        let r = try BroadcastPlan.analyse([a, b], fields: fields, populationPerCell: [Int32](repeating: 10, count: n), settings: BroadcastSettings())
        let sa = r.stations[0]
        XCTAssertEqual(sa.noiseLimitedCells, n)
        // Second half: Eu = powersum(54, 40 + 37 = 77) = 77.02 > 70: lost. First half: powersum(54, 57) = 58.8 ≤ 70: served.
        XCTAssertEqual(sa.interferenceLimitedCells, n / 2)
        XCTAssertEqual(sa.interferers.first?.cellsTaken, n - n / 2)
        XCTAssertEqual(sa.interferers.first?.maxNuisanceDBuVm ?? 0, 77, accuracy: 1e-9)
        XCTAssertEqual(r.breaches.count, 1) // B (30 dBµV/m) has no noise-limited area to lose
        XCTAssertEqual(r.breaches.first?.victim, 0)
        XCTAssertTrue(r.breaches.first?.explanation.contains("37.0 dB of protection") ?? false)
    }
    /// The channel finder's two directions, computed once per station and cell list (shared by the channels), equal
    /// their definition evaluated channel by channel and cell by cell (`DB.powerSum` of the terms), and so give the
    /// same ranking: 31 FM channels around four stations on uneven hand-made fields.
    func testChannelDirectionsEqualTheirDefinition() throws {
        let spec = try GridSpec.utm(west: 107.0, south: 11.0, east: 107.3, north: 11.3, resolutionM: 1000)
        let n = spec.cellCount, nodata = CoverageResult.nodata
        func field(_ k: Double, _ base: Float) -> [Float] {
            (0..<n).map { c in c % 17 == Int(k) ? nodata : base + Float(18 * sin(Double(c) / (7 + k)) * cos(Double(c) / (29 + 3 * k))) }
        }
        let stations = [(97.7, 11.1), (97.9, 11.2), (98.3, 11.05), (97.8, 11.25)].enumerated().map { k, v in
            Assignment(
                id: "FM-\(k)", stationID: "S\(k)", licensee: "l", service: "broadcast_fm", latitude: v.1, longitude: 107.1,
                tx: Channel(centreMHz: v.0, bandwidthKHz: 200), antennaHeightM: 50, eirpDBm: 70)
        }
        let fields = BroadcastFields(
            spec: spec, wanted: (0..<4).map { field(Double($0), 62) }, interfering: (0..<4).map { field(Double($0) + 0.5, 30) })
        let pop = (0..<n).map { Int32($0 % 23) }
        let settings = BroadcastSettings()
        let plan = try BroadcastPlan.analyse(stations, fields: fields, populationPerCell: pop, settings: settings)
        let own = (wanted: field(5, 60), interfering: field(6, 32))
        let proposal = ChannelProposal(service: "broadcast_fm", latitude: 11.15, longitude: 107.15, antennaHeightM: 40, power: .erp(dBW: 20))
        let channels = (0...30).map { Channel(centreMHz: 96.5 + Double($0) / 10, bandwidthKHz: 200) }
        var verdicts = channels.map {
            ChannelVerdict(
                channel: $0, label: "\($0.centreMHz)", conflicts: [], populationTaken: 0, areaTakenKm2: 0, victims: [], populationServed: nil,
                areaServedKm2: nil, nearestCoChannelKm: nil)
        }
        try ChannelFinder.broadcastDirections(&verdicts, proposal: proposal, plan: plan, fields: fields, own: own, populationPerCell: pop, settings: settings)
        let emed = settings.minimumField("broadcast_fm")!.medianDBuVm
        var takenSomewhere = 0
        for v in verdicts {
            var taken = 0, served = 0
            for s in plan.stations {
                guard
                    let pr = settings.criteria.protectionRatioDB(
                        victim: "broadcast_fm", interferer: "broadcast_fm", victimMHz: s.assignment.tx.centreMHz, interfererMHz: v.channel.centreMHz)
                else { continue }
                for c in 0..<n where s.serviceClass[c] == 2 && own.interfering[c] != nodata {
                    if Double(fields.wanted[s.index][c]) < DB.powerSum([Double(s.usableDBuVm[c]), Double(own.interfering[c]) + pr]) { taken += Int(pop[c]) }
                }
            }
            for c in 0..<n where own.wanted[c] != nodata && Double(own.wanted[c]) >= emed {
                var terms = [emed]
                for s in plan.stations {
                    if let pr = settings.criteria.protectionRatioDB(
                        victim: "broadcast_fm", interferer: "broadcast_fm", victimMHz: v.channel.centreMHz, interfererMHz: s.assignment.tx.centreMHz),
                        fields.interfering[s.index][c] != nodata
                    {
                        terms.append(Double(fields.interfering[s.index][c]) + pr)
                    }
                }
                if Double(own.wanted[c]) >= DB.powerSum(terms) { served += Int(pop[c]) }
            }
            XCTAssertEqual(v.populationTaken, taken, v.label)
            XCTAssertEqual(v.populationServed, served, v.label)
            if taken > 0 { takenSomewhere += 1 }
        }
        XCTAssertGreaterThan(takenSomewhere, 3, "some channels take listeners: the comparison is not vacuous")
        XCTAssertLessThan(takenSomewhere, verdicts.count, "and some take none")
        print("channel directions: \(verdicts.count) channels equal their definition; \(takenSomewhere) take listeners")
    }
}

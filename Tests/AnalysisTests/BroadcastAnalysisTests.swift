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
}

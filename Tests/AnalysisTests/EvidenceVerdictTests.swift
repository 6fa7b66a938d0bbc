// Issue 17, "done when": compliance with measurements changes the verdict of exactly the villages whose nearby
// measurements disagree with the prediction.
import XCTest
import Foundation
@testable import Analysis
import Geo
import Radio
import Records

final class EvidenceVerdictTests: XCTestCase {
    /// A 40 × 40 grid of 100 m cells; operator A's 4G (10 MHz: RSRP −110 dBm ↔ −82.2 dBm total) is −80 dBm total
    /// (covered) in columns 0–19 and −90 dBm (not covered) in columns 20–39.
    func layers() throws -> (ServiceLayers, CoordinateTransform) {
        let base = try GridSpec.utm(west: 106.90, south: 10.90, east: 106.901, north: 10.901, resolutionM: 100)
        let spec = GridSpec(crs: base.crs, geoTransform: base.geoTransform, width: 40, height: 40)
        var a4 = [Float](repeating: -90, count: 1600)
        for r in 0..<40 { for c in 0..<20 { a4[r * 40 + c] = -80 } }
        let toWGS = try CoordinateTransform(from: spec.crs, to: "EPSG:4326")
        let p = spec.cellCentre(col: 0, row: 0), g = try toWGS.transform(x: p.x, y: p.y)
        let tx = Transmitter(
            id: "A1", siteID: "A1", operatorName: "A", technology: .lte, latitude: g.y, longitude: g.x, antennaHeightM: 30, frequencyMHz: 1800,
            bandwidthMHz: 10, eirpDBm: 60, azimuthDeg: nil)
        return (ServiceLayers(spec: spec, keys: [ServiceKey("A", .lte)], totalDBm: [a4], transmitters: [tx]), toWGS)
    }

    func testOnlyVillagesWithDisagreeingMeasurementsChange() throws {
        let (layers, t) = try layers()
        func position(_ col: Int, _ row: Int) throws -> (lat: Double, lon: Double) {
            let p = layers.spec.cellCentre(col: col, row: row)
            let g = try t.transform(x: p.x, y: p.y)
            return (g.y, g.x)
        }
        let cells = [("V1", 5, 5), ("V2", 5, 20), ("V3", 30, 5), ("V4", 30, 20), ("V5", 5, 35), ("V6", 30, 35)]
        let villages = try cells.map { id, c, r in
            let p = try position(c, r)
            return Village(id: id, name: id, commune: "C", district: "D", latitude: p.lat, longitude: p.lon, population: 100)
        }
        var ms: [SurveyMeasurement] = []
        func survey(near v: Int, northM: Double, rsrp: Double, count: Int = 5, op: String? = "A", metric: MeasurementMetric = .rsrp) {
            for k in 0..<count {
                ms.append(
                    SurveyMeasurement(
                        row: ms.count + 1, latitude: villages[v].latitude + (northM + Double(k) * 30) / 111_320, longitude: villages[v].longitude,
                        technology: .lte, metric: metric, value: rsrp + Double(k % 2), frequencyMHz: 1800, operatorName: op))
            }
        }
        survey(near: 0, northM: 100, rsrp: -120) // V1 predicted covered, measured not: changes
        survey(near: 1, northM: 100, rsrp: -100) // V2 predicted covered, measured covered: agrees
        survey(near: 2, northM: 100, rsrp: -100) // V3 predicted not, measured covered: changes
        survey(near: 3, northM: 100, rsrp: -120) // V4 predicted not, measured not: agrees
        survey(near: 4, northM: 700, rsrp: -125) // V5: disagreeing, but beyond 500 m: unchanged
        survey(near: 3, northM: 50, rsrp: -60, op: "Z") // a service the coverage run lacks: not used
        survey(near: 1, northM: 50, rsrp: -130, metric: .totalDBm) // not the technology's metric: not used
        let settings = ComplianceSettings()
        let predicted = try ComplianceAnalysis.run(layers: layers, villages: villages, zones: [], admin: nil, targets: .plan, settings: settings)
        let measured = try ComplianceAnalysis.run(
            layers: layers, villages: villages, zones: [], admin: nil, targets: .plan, settings: settings, measurements: ms)
        XCTAssertEqual(predicted.villages.map { $0.covered[0] }, [true, true, false, false, true, false])
        let changed = villages.indices.filter { predicted.villages[$0].covered[0] != measured.villages[$0].covered[0] }.map { villages[$0].id }
        let e = try XCTUnwrap(measured.evidence)
        let disagreeing = e.disagreements.map { villages[$0.village].id }
        print("changed:", changed, "disagreeing:", disagreeing, "unused:", e.unused)
        XCTAssertEqual(changed, ["V1", "V3"])
        XCTAssertEqual(disagreeing, changed)
        XCTAssertEqual(e.villagesOnEvidence, 4)
        XCTAssertEqual(e.evidence.filter { $0.agreement == .agree }.map { villages[$0.village].id }, ["V2", "V4"])
        XCTAssertEqual(e.disagreements.map(\.agreement), [.predictedCoveredMeasuredNot, .measuredCoveredPredictedNot])
        XCTAssertEqual(e.unused.values.reduce(0, +), 10)
        // The village targets follow: exactly V1 and V3 change their verdict on every village target.
        for ti in predicted.targets.targets.indices where predicted.targets.targets[ti].subject == .villages {
            let moved = villages.indices.filter { predicted.villageMet[ti][$0] != measured.villageMet[ti][$0] }.map { villages[$0].id }
            XCTAssertEqual(moved, ["V1", "V3"], predicted.targets.targets[ti].id)
        }
    }
}

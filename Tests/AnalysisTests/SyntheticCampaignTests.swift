// Issue 17, "done when": a synthetic drive-test campaign on the sample province with a planted model error —
// an offset of +7 dB, land-cover class errors of ±4 dB, 8 dB log-normal shadowing correlated over 50 m — is
// recovered by the calibration: the offset within 0.5 dB, each class within 1 dB, and the held-out RMSE falls.
import XCTest
import Foundation
import Geo
import Radio
import Records
import TestSupport
@testable import Analysis

final class SyntheticCampaignTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-campaign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Planted errors: extra loss per class, dB (class 40, the most common, carries none: it is the reference the
    /// class losses are relative to, and its error is the offset).
    static let plantedClassDB: [Int: Double] = [10: 4, 30: -4, 40: 0, 50: 4]
    static let plantedOffsetDB = 7.0, shadowingDB = 8.0, correlationM = 50.0, stepM = 20.0

    /// Land cover over the sample province: patches of 0.005° (≈ 550 m), class 40 with probability 0.4, the others
    /// 0.2 each.
    func writeLandCover(_ g: inout SeededGenerator) throws -> String {
        let w = 170, h = 210
        let v = (0..<(w * h)).map { _ -> Float in
            let u = g.uniform()
            return u < 0.4 ? 40 : u < 0.6 ? 10 : u < 0.8 ? 30 : 50
        }
        let grid = RasterGrid(
            width: w, height: h, geoTransform: GeoTransform(originX: 106.75, originY: 11.60, pixelWidth: 0.005, pixelHeight: 0.005),
            crs: "EPSG:4326", nodata: 255, values: v)
        let path = dir.appendingPathComponent("landcover.tif").path
        try grid.write(to: path)
        return path
    }

    /// Drive routes: each starts 0.3–3 km from a random sector's site, goes 5 km in 20 m steps, turning by up to
    /// ±40° every 200 m, logging the sector's own metric with its transmitter_id.
    func campaign(_ txs: [Transmitter], routes: Int, _ g: inout SeededGenerator) -> [SurveyMeasurement] {
        var out: [SurveyMeasurement] = []
        for _ in 0..<routes {
            let t = txs[Int(g.next() % UInt64(txs.count))]
            let r0 = g.uniform(300, 3000), a0 = g.uniform(0, 2 * .pi)
            var lat = t.latitude + r0 * cos(a0) / 111_320, lon = t.longitude + r0 * sin(a0) / (111_320 * cos(t.latitude * .pi / 180))
            var heading = g.uniform(0, 2 * .pi)
            for step in 0..<250 {
                if step % 10 == 0 { heading += g.uniform(-0.7, 0.7) }
                lat += Self.stepM * cos(heading) / 111_320
                lon += Self.stepM * sin(heading) / (111_320 * cos(lat * .pi / 180))
                out.append(
                    SurveyMeasurement(
                        row: out.count + 1, latitude: lat, longitude: lon, technology: t.technology,
                        metric: MeasurementMetric.native(for: t.technology), value: 0, frequencyMHz: t.frequencyMHz, transmitterID: t.id))
            }
        }
        return out
    }

    func testCalibrationRecoversPlantedErrors() throws {
        var report = LoadReport()
        let root = ReferenceData.projectRoot()
        let txs = try TransmitterLoader.load(root.appendingPathComponent("data/transmitters.csv").path, report: &report)
        var g = SeededGenerator(seed: 17)
        let landCover = try writeLandCover(&g)
        var survey = campaign(txs, routes: 150, &g)
        var study = CoverageStudy(west: 106.75, south: 10.55, east: 107.60, north: 11.60)
        study.model = "hata"
        let predictor = try PointPredictor(study: study, transmitters: txs, dem: nil)
        let classes = try ClutterMap.classCodes(raster: landCover, longitudes: survey.map(\.longitude), latitudes: survey.map(\.latitude))
        // The truth: the model's prediction less the planted errors, plus shadowing correlated along each route
        // (Gudmundson: AR(1) with ρ = exp(−step / 50 m)).
        let rho = exp(-Self.stepM / Self.correlationM)
        var shadow = 0.0, index: [String: Int] = [:]
        for (i, t) in txs.enumerated() { index[t.id] = i }
        for i in survey.indices {
            let m = survey[i], t = index[m.transmitterID!]!
            shadow = i % 250 == 0 ? Self.shadowingDB * g.normal() : rho * shadow + (1 - rho * rho).squareRoot() * Self.shadowingDB * g.normal()
            guard let k = classes[i] else { survey[i].value = .nan; continue } // off the land cover: dropped below
            let p = try predictor.predict(t, latitude: m.latitude, longitude: m.longitude, rxHeightM: 1.5)
            let predicted = try predictor.metricValue(totalDBm: p.totalDBm, metric: m.metric, transmitter: t)
            survey[i].value = predicted - Self.plantedOffsetDB - Self.plantedClassDB[k]! + shadow
        }
        survey.removeAll { $0.value.isNaN }
        let comparison = try MeasurementComparison.run(
            survey, predictor: predictor, classCodes: { try ClutterMap.classCodes(raster: landCover, longitudes: $0, latitudes: $1) })
        XCTAssertEqual(comparison.binsBy(.id), comparison.bins.count, "every bin attributed by its transmitter_id")
        var options = CalibrationOptions()
        options.fitClutter = true
        let fit = try CalibrationFit.fit(MeasurementComparison.calibrationPoints(comparison), model: "hata", options: options)
        let c = fit.calibration
        print(
            String(
                format:
                    "synthetic campaign: %d rows, %d bins; offset %.3f dB (planted 7, se %.3f); held out (%d of %d tiles): RMSE %.2f → %.2f dB, mean %.2f → %.2f dB",
                survey.count, comparison.bins.count, c.offsetDB, fit.parameters[0].standardErrorDB, fit.heldOutTiles, fit.tiles,
                fit.holdoutBefore.rmseDB!, fit.holdoutAfter.rmseDB!, fit.holdoutBefore.meanDB!, fit.holdoutAfter.meanDB!))
        XCTAssertEqual(fit.referenceClass, 40)
        XCTAssertEqual(c.offsetDB, Self.plantedOffsetDB, accuracy: 0.5)
        var worst = 0.0
        for (k, planted) in Self.plantedClassDB {
            let got = try XCTUnwrap(c.clutterLossesDB[String(k)])
            print(String(format: "  class %d: fitted %.3f dB, planted %.1f dB", k, got, planted))
            XCTAssertEqual(got, planted, accuracy: 1, "class \(k)")
            worst = max(worst, abs(got - planted))
        }
        print(String(format: "  largest class difference %.3f dB (tolerance 1 dB)", worst))
        XCTAssertLessThan(fit.holdoutAfter.rmseDB!, fit.holdoutBefore.rmseDB!)
        XCTAssertGreaterThan(fit.holdoutBefore.count, 1000)
        // After the correction the held-out error is the shadowing alone: mean near 0, σ near 8 dB.
        XCTAssertEqual(fit.holdoutAfter.meanDB!, 0, accuracy: 0.7)
        XCTAssertEqual(fit.holdoutAfter.sigmaDB!, Self.shadowingDB, accuracy: 1)
    }

    /// The fit itself on exact data (no noise): every parameter is recovered to 1e-9 dB, including the slope.
    func testExactDataAreFittedExactly() throws {
        var g = SeededGenerator(seed: 3)
        let points = (0..<500).map { _ -> CalibrationPoint in
            let d = g.logUniform(0.2, 20), k = g.pick([1, 2, 3])
            let extra = 5 + 3 * log10(d) + [1: 0.0, 2: 2.5, 3: -1.5][k]!
            return CalibrationPoint(
                measured: -90 - extra, predicted: -90, distanceKm: d, classCode: k, latitude: 10.9 + g.uniform(0, 0.1), longitude: 106.8 + g.uniform(0, 0.1))
        }
        var options = CalibrationOptions()
        options.fitSlope = true; options.fitClutter = true; options.referenceClass = 1
        let fit = try CalibrationFit.fit(points, model: "hata", options: options)
        XCTAssertEqual(fit.calibration.offsetDB, 5, accuracy: 1e-9)
        XCTAssertEqual(fit.calibration.slopeDBPerDecade, 3, accuracy: 1e-9)
        XCTAssertEqual(fit.calibration.clutterLossesDB["2"]!, 2.5, accuracy: 1e-9)
        XCTAssertEqual(fit.calibration.clutterLossesDB["3"]!, -1.5, accuracy: 1e-9)
        XCTAssertEqual(fit.holdoutAfter.rmseDB!, 0, accuracy: 1e-9)
        XCTAssertGreaterThan(fit.heldOutTiles, 0)
    }
}

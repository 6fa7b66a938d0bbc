// Attribution rules, Lee binning and the statistics of the comparison, on hand-made cases.
import XCTest
import Foundation
import Radio
import Records
@testable import Analysis

final class MeasurementComparisonTests: XCTestCase {
    let txs = [
        Transmitter(
            id: "A", siteID: "SA", operatorName: "Viettel", technology: .lte, latitude: 10.90, longitude: 106.90, antennaHeightM: 30,
            frequencyMHz: 1815, bandwidthMHz: 20, eirpDBm: 60, azimuthDeg: nil, pci: 101),
        Transmitter(
            id: "B", siteID: "SB", operatorName: "Viettel", technology: .lte, latitude: 10.90, longitude: 106.95, antennaHeightM: 30,
            frequencyMHz: 1815, bandwidthMHz: 20, eirpDBm: 60, azimuthDeg: nil, pci: 202)
    ]

    func m(_ row: Int, lat: Double, lon: Double, value: Double = -90, id: String? = nil, pci: Int? = nil, tech: Technology = .lte) -> SurveyMeasurement {
        SurveyMeasurement(
            row: row, latitude: lat, longitude: lon, technology: tech, metric: MeasurementMetric.native(for: tech), value: value, frequencyMHz: 1815,
            transmitterID: id, pci: pci)
    }

    func testRulesAndBins() throws {
        let predictor = try PointPredictor(study: CoverageStudy(west: 106.8, south: 10.8, east: 107.0, north: 11.0), transmitters: txs, dem: nil)
        let ms = [
            m(1, lat: 10.91, lon: 106.91, id: "B"), // id wins over position
            m(2, lat: 10.912, lon: 106.91, pci: 202), // pci: B although A is nearer
            m(3, lat: 10.91, lon: 106.945), // nearest to B: strongest B (omni, same EIRP)
            m(4, lat: 10.91, lon: 106.905, id: "nope"), // unknown id: falls to strongest, A
            m(5, lat: 10.91, lon: 106.90, tech: .nr), // no 5G transmitter: none
            // Three rows within 40 λ (6.6 m at 1815 MHz) of one another, named A: one bin, power mean.
            m(6, lat: 10.92, lon: 106.92, value: -80, id: "A"), m(7, lat: 10.92001, lon: 106.92001, value: -90, id: "A"),
            m(8, lat: 10.92002, lon: 106.92, value: -100, id: "A")
        ]
        let r = try MeasurementComparison.run(ms, predictor: predictor)
        let byRow = Dictionary(uniqueKeysWithValues: r.bins.flatMap { b in b.rows.map { ($0, b) } })
        XCTAssertEqual(byRow[1]!.rule, .id); XCTAssertEqual(byRow[1]!.transmitter, 1)
        XCTAssertEqual(byRow[2]!.rule, .pci); XCTAssertEqual(byRow[2]!.transmitter, 1)
        XCTAssertEqual(byRow[3]!.rule, .strongest); XCTAssertEqual(byRow[3]!.transmitter, 1)
        XCTAssertEqual(byRow[4]!.rule, .strongest); XCTAssertEqual(byRow[4]!.transmitter, 0)
        XCTAssertEqual(byRow[5]!.rule, .none); XCTAssertNil(byRow[5]!.predicted)
        let bin = byRow[6]!
        XCTAssertEqual(bin.rows, [6, 7, 8])
        XCTAssertEqual(bin.measured, 10 * log10((pow(10, -8.0) + pow(10, -9.0) + pow(10, -10.0)) / 3), accuracy: 1e-9)
        XCTAssertEqual(r.bins.count, 6)
        // The prediction is the metric of the attributed sector at the bin: RSRP = P_tot − 10 log10(12 · 100).
        let p = try predictor.predict(0, latitude: bin.latitude, longitude: bin.longitude, rxHeightM: 1.5)
        XCTAssertEqual(bin.predicted!, p.totalDBm - 10 * log10(1200), accuracy: 1e-9)
        XCTAssertEqual(r.overall.statistics.count, 5)
        XCTAssertEqual(r.overall.rawRows, 7)
    }

    func testStatisticsByHand() {
        let s = ErrorStatistics(measured: [-80, -90, -100, -95], predicted: [-82, -85, -101, -99])
        // errors 2, −5, 1, 4: mean 0.5, RMSE √(46/4), σ √(((1.5)² + 5.5² + 0.5² + 3.5²)/3), correlation of the two series
        XCTAssertEqual(s.meanDB!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(s.rmseDB!, (46.0 / 4).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(s.sigmaDB!, ((2.25 + 30.25 + 0.25 + 12.25) / 3).squareRoot(), accuracy: 1e-12)
        let mm = -91.25, mp = -91.75
        let a: [Double] = [-80, -90, -100, -95].map { $0 - mm }, b: [Double] = [-82, -85, -101, -99].map { $0 - mp }
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in 0..<4 { sab += a[i] * b[i]; saa += a[i] * a[i]; sbb += b[i] * b[i] }
        let r = sab / (saa * sbb).squareRoot()
        XCTAssertEqual(s.correlation!, r, accuracy: 1e-12)
    }
}

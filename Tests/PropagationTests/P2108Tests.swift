// ITU-R P.2108-1 clutter loss against the NTIA/ITS P.2108 test data (v1), 48 rows over the three models.
import XCTest
import TestSupport
@testable import Propagation

final class P2108Tests: XCTestCase {
    private func load(_ name: String) throws -> [[String: String]] {
        let rel = "propagation/p2108/\(name)"
        let url = try ReferenceData.require(rel)
        return try SimpleCSV.rows(url)
    }

    private func num(_ row: [String: String], _ key: String) -> Double {
        Double(row[key] ?? "") ?? .nan
    }

    /// Runs one NTIA row: expected code 0 must give the loss within `tolerance`; a non-zero code must throw a
    /// ModelInputError carrying that code. Returns |difference| (0 for error rows).
    private func check(
        _ expectedCode: Int, _ expectedLossDB: Double, tolerance: Double, line: String,
        _ body: () throws -> Double
    ) -> Double {
        do {
            let loss = try body()
            XCTAssertEqual(expectedCode, 0, "expected error \(expectedCode), got \(loss) dB: \(line)")
            XCTAssertEqual(loss, expectedLossDB, accuracy: tolerance, line)
            return abs(loss - expectedLossDB)
        } catch let e as ModelInputError {
            XCTAssertEqual(e.code, expectedCode, "\(e): \(line)")
            return 0
        } catch {
            XCTFail("unexpected error \(error): \(line)")
            return 0
        }
    }

    // Source: NTIA p2108-test-data v1, HeightGainTerminalCorrectionModelTestData.csv (23 rows).
    // Tolerance 0.05 dB: the file rounds A_h to 0.1 dB.
    func testHeightGainTerminalCorrectionAgainstNTIA() throws {
        let rows = try load("HeightGainTerminalCorrectionModelTestData.csv")
        XCTAssertEqual(rows.count, 23)
        var worst = 0.0
        for r in rows {
            let code = Int(num(r, "rtn"))
            worst = max(
                worst,
                check(code, num(r, "A_h__db"), tolerance: 0.05 + 1e-9, line: "\(r)") {
                    try P2108.heightGainTerminalCorrection(
                        frequencyGHz: num(r, "f__ghz"), antennaHeightM: num(r, "h__meter"),
                        streetWidthM: num(r, "w_s__meter"), clutterHeightM: num(r, "R__meter"),
                        clutterTypeCode: Int(num(r, "clutter_type"))
                    ).lossDB
                })
        }
        print("P.2108 §3.1 height-gain vs NTIA: largest difference \(worst) dB over \(rows.count) rows")
    }

    // Source: NTIA p2108-test-data v1, TerrestrialStatisticalModelTestData.csv (12 rows).
    // Tolerance 0.05 dB: the file rounds L_ctt to 0.1 dB.
    func testTerrestrialStatisticalModelAgainstNTIA() throws {
        let rows = try load("TerrestrialStatisticalModelTestData.csv")
        XCTAssertEqual(rows.count, 12)
        var worst = 0.0
        for r in rows {
            worst = max(
                worst,
                check(Int(num(r, "rtn")), num(r, "L_ctt__db"), tolerance: 0.05 + 1e-9, line: "\(r)") {
                    try P2108.terrestrialClutterLoss(
                        frequencyGHz: num(r, "f__ghz"), distanceKm: num(r, "d__km"),
                        locationPercent: num(r, "p")
                    ).lossDB
                })
        }
        print("P.2108 §3.2 terrestrial vs NTIA: largest difference \(worst) dB over \(rows.count) rows")
    }

    // Source: NTIA p2108-test-data v1, AeronauticalStatisticalModelTestData.csv (13 rows).
    // Tolerance 0.05 dB: the file rounds L_ces to 0.1 dB.
    func testAeronauticalStatisticalModelAgainstNTIA() throws {
        let rows = try load("AeronauticalStatisticalModelTestData.csv")
        XCTAssertEqual(rows.count, 13)
        var worst = 0.0
        for r in rows {
            worst = max(
                worst,
                check(Int(num(r, "rtn")), num(r, "L_ces__db"), tolerance: 0.05 + 1e-9, line: "\(r)") {
                    try P2108.aeronauticalClutterLoss(
                        frequencyGHz: num(r, "f__ghz"), elevationAngleDeg: num(r, "theta_deg"),
                        locationPercent: num(r, "p")
                    ).lossDB
                })
        }
        print("P.2108 §3.3 aeronautical vs NTIA: largest difference \(worst) dB over \(rows.count) rows")
    }

    func testInvalidClutterTypeAndErrorMessage() {
        XCTAssertThrowsError(
            try P2108.heightGainTerminalCorrection(
                frequencyGHz: 1, antennaHeightM: 2, streetWidthM: 20, clutterHeightM: 10, clutterTypeCode: 7)
        ) { e in
            XCTAssertEqual((e as? ModelInputError)?.code, 36)
        }
        XCTAssertThrowsError(try P2108.terrestrialClutterLoss(frequencyGHz: 70, distanceKm: 1, locationPercent: 50)) { e in
            let err = e as? ModelInputError
            XCTAssertEqual(err?.parameter, "frequency_ghz")
            XCTAssertEqual(err?.validRange, "[0.5, 67] GHz")
        }
    }

    func testInverseComplementaryNormal() {
        // Q⁻¹(0.5) = 0; Q⁻¹(0.05) = 1.644853627; Q⁻¹(0.001) = 3.090232306; symmetry.
        XCTAssertEqual(P2108.inverseComplementaryNormal(0.5), 0, accuracy: 1e-12)
        XCTAssertEqual(P2108.inverseComplementaryNormal(0.05), 1.644853627, accuracy: 1e-8)
        XCTAssertEqual(P2108.inverseComplementaryNormal(0.001), 3.090232306, accuracy: 1e-8)
        XCTAssertEqual(P2108.inverseComplementaryNormal(0.999), -3.090232306, accuracy: 1e-8)
        XCTAssertEqual(P2108.inverseComplementaryNormal(1e-10), 6.361340902, accuracy: 1e-7)
    }
}

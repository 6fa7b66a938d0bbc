// 3GPP TR 38.901 Table 7.4.1-1 (RMa, UMa, UMi-Street Canyon): values worked by hand from the table's formulas,
// breakpoint continuity and LOS ≤ NLOS. No published vectors are used; tolerance 1e-3 dB on hand values
// (the hand arithmetic below keeps 6 significant digits).
import XCTest
@testable import Propagation

final class TR38901Tests: XCTestCase {
    func testUMiLOSHandValue() throws {
        // fc = 3.5 GHz, d2D = 100 m, hBS = 10 m, hUT = 1.5 m.
        // d'BP = 4 (10 − 1)(1.5 − 1) 3.5e9 / 3e8 = 4 · 9 · 0.5 · 11.6667 = 210 m > d2D → PL1.
        // d3D = √(100² + 8.5²) = 100.3606 m, log10 = 2.001563.
        // PL1 = 32.4 + 21 · 2.001563 + 20 · log10(3.5) = 32.4 + 42.03283 + 10.88136 = 85.31419 dB.
        let r = try TR38901.pathLoss(
            scenario: .urbanMicroStreetCanyon, condition: .lineOfSight, frequencyGHz: 3.5,
            distance2DM: 100, baseStationHeightM: 10, userTerminalHeightM: 1.5)
        XCTAssertEqual(r.breakpointDistanceM, 210, accuracy: 1e-9)
        XCTAssertEqual(r.lossDB, 85.31419, accuracy: 1e-3)
        XCTAssertFalse(r.beyondBreakpoint)
        XCTAssertEqual(r.warnings, [])
        XCTAssertEqual(r.shadowFadingStdDB, 4)
    }

    func testUMaLOSAndNLOSHandValues() throws {
        // fc = 2 GHz, d2D = 1000 m, hBS = 25 m, hUT = 1.5 m, h_E = 1 m.
        // d'BP = 4 · 24 · 0.5 · 2e9 / 3e8 = 320 m < d2D → PL2.
        // d3D = √(1000² + 23.5²) = 1000.2761 m, log10 = 3.000120.
        // PL2 = 28 + 40 · 3.000120 + 20 log10 2 − 9 log10(320² + 23.5²)
        //     = 28 + 120.00480 + 6.02060 − 9 · 5.012636 = 108.91167 dB.
        // PL'NLOS = 13.54 + 39.08 · 3.000120 + 6.02060 − 0.6 · 0 = 136.80529 dB; PL_NLOS = max(108.91, 136.81).
        let los = try TR38901.pathLoss(
            scenario: .urbanMacro, condition: .lineOfSight, frequencyGHz: 2,
            distance2DM: 1000, baseStationHeightM: 25, userTerminalHeightM: 1.5)
        XCTAssertEqual(los.breakpointDistanceM, 320, accuracy: 1e-9)
        XCTAssertTrue(los.beyondBreakpoint)
        XCTAssertEqual(los.lossDB, 108.91167, accuracy: 1e-3)
        let nlos = try TR38901.pathLoss(
            scenario: .urbanMacro, condition: .nonLineOfSight, frequencyGHz: 2,
            distance2DM: 1000, baseStationHeightM: 25, userTerminalHeightM: 1.5)
        XCTAssertEqual(nlos.lossDB, 136.80529, accuracy: 1e-3)
        XCTAssertEqual(nlos.lineOfSightLossDB, los.lossDB, accuracy: 1e-12)
        XCTAssertEqual(nlos.shadowFadingStdDB, 6)
    }

    func testRMaLOSAndNLOSHandValues() throws {
        // fc = 0.7 GHz, d2D = 500 m, hBS = 35 m, hUT = 1.5 m, h = 5 m, W = 20 m.
        // dBP = 2π · 35 · 1.5 · 0.7e9 / 3e8 = 769.690 m > d2D → PL1.
        // d3D = √(500² + 33.5²) = 501.1210 m, log10 = 2.699943; h^1.72 = 15.93046.
        // PL1 = 20 log10(40π · 501.121 · 0.7 / 3) + min(0.477914, 10) · 2.699943 − min(0.700940, 14.77)
        //       + 0.002 · log10(5) · 501.121
        //     = 83.34285 + 1.29034 − 0.70094 + 0.70054 = 84.63279 … (exact: 84.63252) dB.
        // PL'NLOS = 161.04 − 7.1 · 1.30103 + 7.5 · 0.69897 − (24.37 − 3.7 · (5/35)²) · 1.544068
        //         + (43.42 − 3.1 · 1.544068)(2.699943 − 3) + 20 log10 0.7 − (3.2 · 1.246130² − 4.97)
        //         = 161.04 − 9.23731 + 5.24228 − 37.51237 − 11.59222 − 3.09804 + 0.00091 = 104.84326 dB.
        let los = try TR38901.pathLoss(
            scenario: .ruralMacro(), condition: .lineOfSight, frequencyGHz: 0.7,
            distance2DM: 500, baseStationHeightM: 35, userTerminalHeightM: 1.5)
        XCTAssertEqual(los.breakpointDistanceM, 769.6902, accuracy: 1e-3)
        XCTAssertEqual(los.lossDB, 84.63252, accuracy: 1e-3)
        let nlos = try TR38901.pathLoss(
            scenario: .ruralMacro(), condition: .nonLineOfSight, frequencyGHz: 0.7,
            distance2DM: 500, baseStationHeightM: 35, userTerminalHeightM: 1.5)
        XCTAssertEqual(nlos.nonLineOfSightPrimeLossDB ?? .nan, 104.84326, accuracy: 1e-3)
        XCTAssertEqual(nlos.lossDB, 104.84326, accuracy: 1e-3)
        XCTAssertEqual(nlos.shadowFadingStdDB, 8)
    }

    /// UMa/UMi PL1 and PL2 meet exactly at d2D = d'BP (40 − 18 = 22, 40 − 19 = 21); RMa's PL2 is anchored at
    /// PL1(dBP) with a 3D/2D mismatch of a few hundredths of a dB.
    func testBreakpointContinuity() throws {
        let cases: [(TR38901.Scenario, Double, Double, Double)] = [
            (.urbanMacro, 25, 1.5, 3.5), (.urbanMacro, 25, 10, 28), (.urbanMicroStreetCanyon, 10, 1.5, 2),
            (.urbanMicroStreetCanyon, 10, 5, 6), (.ruralMacro(), 35, 1.5, 0.7), (.ruralMacro(averageBuildingHeightM: 10, streetWidthM: 30), 60, 3, 3.5)
        ]
        for (scenario, hBS, hUT, fc) in cases {
            let atBP = try TR38901.pathLoss(
                scenario: scenario, condition: .lineOfSight, frequencyGHz: fc,
                distance2DM: 100, baseStationHeightM: hBS, userTerminalHeightM: hUT
            ).breakpointDistanceM
            let below = try TR38901.pathLoss(
                scenario: scenario, condition: .lineOfSight, frequencyGHz: fc,
                distance2DM: atBP * (1 - 1e-9), baseStationHeightM: hBS, userTerminalHeightM: hUT)
            let above = try TR38901.pathLoss(
                scenario: scenario, condition: .lineOfSight, frequencyGHz: fc,
                distance2DM: atBP * (1 + 1e-9), baseStationHeightM: hBS, userTerminalHeightM: hUT)
            XCTAssertFalse(below.beyondBreakpoint)
            XCTAssertTrue(above.beyondBreakpoint)
            let tol: Double
            if case .ruralMacro = scenario { tol = 0.05 } else { tol = 1e-6 }
            XCTAssertEqual(below.lossDB, above.lossDB, accuracy: tol, "\(scenario) fc=\(fc) dBP=\(atBP)")
        }
    }

    func testLOSNeverAboveNLOS() throws {
        let scenarios: [(TR38901.Scenario, Double, Double)] = [
            (.ruralMacro(), 35, 1.5), (.urbanMacro, 25, 1.5),
            (.urbanMacro, 25, 20), (.urbanMicroStreetCanyon, 10, 1.5)
        ]
        for (scenario, hBS, hUT) in scenarios {
            for fc in [0.7, 2.0, 3.5, 6.0, 28.0] {
                var d = 10.0
                while d <= 5000 {
                    let los = try TR38901.pathLoss(
                        scenario: scenario, condition: .lineOfSight, frequencyGHz: fc,
                        distance2DM: d, baseStationHeightM: hBS, userTerminalHeightM: hUT)
                    let nlos = try TR38901.pathLoss(
                        scenario: scenario, condition: .nonLineOfSight, frequencyGHz: fc,
                        distance2DM: d, baseStationHeightM: hBS, userTerminalHeightM: hUT)
                    XCTAssertLessThanOrEqual(los.lossDB, nlos.lossDB)
                    d *= 1.25
                }
            }
        }
    }

    func testErrorsAndWarnings() throws {
        XCTAssertThrowsError(
            try TR38901.pathLoss(
                scenario: .urbanMacro, condition: .lineOfSight, frequencyGHz: 0.4,
                distance2DM: 100, baseStationHeightM: 25, userTerminalHeightM: 1.5)
        ) { e in
            XCTAssertEqual((e as? ModelInputError)?.parameter, "frequency_ghz")
        }
        XCTAssertThrowsError(
            try TR38901.pathLoss(
                scenario: .urbanMicroStreetCanyon, condition: .lineOfSight, frequencyGHz: 3,
                distance2DM: 100, baseStationHeightM: 10, userTerminalHeightM: 1.0))
        XCTAssertThrowsError(
            try TR38901.pathLoss(
                scenario: .urbanMacro, condition: .lineOfSight, frequencyGHz: 3,
                distance2DM: 0, baseStationHeightM: 25, userTerminalHeightM: 1.5))
        XCTAssertThrowsError(
            try TR38901.pathLoss(
                scenario: .ruralMacro(), condition: .nonLineOfSightOptional, frequencyGHz: 3,
                distance2DM: 100, baseStationHeightM: 35, userTerminalHeightM: 1.5))
        let w = try TR38901.pathLoss(
            scenario: .urbanMacro, condition: .nonLineOfSight, frequencyGHz: 3.5,
            distance2DM: 6000, baseStationHeightM: 30, userTerminalHeightM: 25)
        XCTAssertEqual(w.warnings, [.distanceOutOfRange, .baseStationHeightOutOfRange, .userTerminalHeightOutOfRange])
        let rmaLong = try TR38901.pathLoss(
            scenario: .ruralMacro(), condition: .lineOfSight, frequencyGHz: 3.5,
            distance2DM: 8000, baseStationHeightM: 35, userTerminalHeightM: 1.5)
        XCTAssertEqual(rmaLong.warnings, []) // RMa LOS runs to 10 km
        let rmaHigh = try TR38901.pathLoss(
            scenario: .ruralMacro(), condition: .nonLineOfSight, frequencyGHz: 40,
            distance2DM: 8000, baseStationHeightM: 35, userTerminalHeightM: 1.5)
        XCTAssertEqual(rmaHigh.warnings, [.frequencyOutOfRange, .distanceOutOfRange])
    }
}

import XCTest
@testable import Radio

final class RadioTests: XCTestCase {
    let antenna = SectorAntenna()

    /// TR 36.814 Table A.2.1.1-2: −3 dB at ±φ3dB/2, front-to-back A_m, −3 dB at θ_tilt ± θ3dB/2.
    func testSectorPatternShape() {
        XCTAssertEqual(antenna.relativeGainDB(offAzimuthDeg: 0, depressionDeg: 0, mechanicalTiltDeg: 0, electricalTiltDeg: 0), 0)
        XCTAssertEqual(antenna.relativeGainDB(offAzimuthDeg: 32.5, depressionDeg: 0, mechanicalTiltDeg: 0, electricalTiltDeg: 0), -3, accuracy: 1e-12)
        XCTAssertEqual(antenna.relativeGainDB(offAzimuthDeg: -32.5 + 360, depressionDeg: 0, mechanicalTiltDeg: 0, electricalTiltDeg: 0), -3, accuracy: 1e-12)
        XCTAssertEqual(antenna.relativeGainDB(offAzimuthDeg: 180, depressionDeg: 0, mechanicalTiltDeg: 0, electricalTiltDeg: 0), -30)
        XCTAssertEqual(antenna.relativeGainDB(offAzimuthDeg: 0, depressionDeg: 11, mechanicalTiltDeg: 0, electricalTiltDeg: 6), -3, accuracy: 1e-12)
        XCTAssertEqual(antenna.relativeGainDB(offAzimuthDeg: 90, depressionDeg: 40, mechanicalTiltDeg: 0, electricalTiltDeg: 0), -30)
    }

    /// Mechanical down-tilt lowers the beam in front and raises it behind; electrical tilt lowers it all round.
    func testMechanicalTiltLowersFrontRaisesBack() {
        let front = antenna.relativeGainDB(offAzimuthDeg: 0, depressionDeg: 6, mechanicalTiltDeg: 6, electricalTiltDeg: 0)
        XCTAssertEqual(front, 0, accuracy: 1e-12)
        // Behind (180°): the beam points 6° up, so a receiver 6° above the horizon sees the back lobe's peak.
        let backUp = antenna.relativeGainDB(offAzimuthDeg: 180, depressionDeg: -6, mechanicalTiltDeg: 6, electricalTiltDeg: 0)
        let backDown = antenna.relativeGainDB(offAzimuthDeg: 180, depressionDeg: 6, mechanicalTiltDeg: 6, electricalTiltDeg: 0)
        XCTAssertGreaterThanOrEqual(backUp, backDown)
        // Electrical tilt: same depression in front and behind.
        let side = antenna.relativeGainDB(offAzimuthDeg: 20, depressionDeg: 6, mechanicalTiltDeg: 0, electricalTiltDeg: 6)
        let sideNeg = antenna.relativeGainDB(offAzimuthDeg: -20, depressionDeg: 6, mechanicalTiltDeg: 0, electricalTiltDeg: 6)
        XCTAssertEqual(side, sideNeg, accuracy: 1e-12)
        // At 90° from boresight mechanical tilt has no effect on the elevation of the beam.
        let ninety = antenna.relativeGainDB(offAzimuthDeg: 90, depressionDeg: 0, mechanicalTiltDeg: 8, electricalTiltDeg: 0)
        XCTAssertEqual(ninety, antenna.relativeGainDB(offAzimuthDeg: 90, depressionDeg: 0, mechanicalTiltDeg: 0, electricalTiltDeg: 0), accuracy: 1e-9)
    }

    func testDBArithmeticAndFieldStrength() {
        XCTAssertEqual(DB.powerSum([-80, -80]), -76.9897, accuracy: 1e-4)
        XCTAssertEqual(DB.powerSum([]), -.infinity)
        // P.525: E(dBµV/m) = P(dBm) + 20 log f(MHz) + 77.2 for an isotropic antenna.
        XCTAssertEqual(DB.fieldStrengthDBuVm(powerDBm: -77.2, frequencyMHz: 1), 0, accuracy: 1e-12)
        XCTAssertEqual(DB.powerDBm(fieldStrengthDBuVm: DB.fieldStrengthDBuVm(powerDBm: -60, frequencyMHz: 900), frequencyMHz: 900), -60, accuracy: 1e-12)
    }

    func testTechnologyParsing() {
        XCTAssertEqual(Technology(parsing: "lte"), .lte)
        XCTAssertEqual(Technology(parsing: " 5g "), .nr)
        XCTAssertEqual(Technology(parsing: "GSM"), .gsm)
        XCTAssertNil(Technology(parsing: "6G"))
        XCTAssertEqual(CoverageThresholds.defaults.threshold(for: .lte), -80)
    }
}

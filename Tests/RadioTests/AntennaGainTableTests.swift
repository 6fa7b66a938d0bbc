import Foundation
import XCTest

@testable import Radio

/// The gain table's azimuth wrap takes its floor by truncation (no libm call per cell and sector).
final class AntennaGainTableTests: XCTestCase {
    /// The truncating floor equals libm's floor, bit for bit, on integers, halves, values next to integers, ±0 and
    /// seeded random values over ±1e6 turns.
    func testTruncatingFloorEqualsFloor() {
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1, -1, 1e14 + 0.5, -(1e14 + 0.5), 359.999, -359.999]
        for k in -3...3 { let x = Double(k); values += [x, x.nextUp, x.nextDown] }
        var rng = SystemRandomNumberGenerator()
        values += (0..<100_000).map { _ in Double.random(in: -1e6...1e6, using: &rng) }
        for x in values { XCTAssertEqual(AntennaGainTable.floor(x).bitPattern, Foundation.floor(x).bitPattern, "\(x)") }
    }

    /// Offsets a whole number of turns apart read the same gain, negative or positive.
    func testAzimuthWrapsByTurns() {
        let table = AntennaGainTable(stepDeg: 1) { az, dep in -abs(az - 180) / 10 - abs(dep) / 20 }
        for az in stride(from: -720.0, through: 720, by: 7.3) {
            let g = table.relativeGainDB(azimuthOffDeg: az, depressionDeg: 3)
            XCTAssertEqual(g, table.relativeGainDB(azimuthOffDeg: az + 360, depressionDeg: 3), accuracy: 1e-4, "\(az)")
            XCTAssertEqual(g, table.relativeGainDB(azimuthOffDeg: az - 720, depressionDeg: 3), accuracy: 1e-4, "\(az)")
        }
    }
}

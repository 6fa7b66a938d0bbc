import XCTest
import Propagation
import TestSupport
@testable import Analysis

/// The coverage engine's scratch that drops warnings gives the same losses bit for bit.
final class ProfileModelScratchTests: XCTestCase {
    func testLossesWithoutWarningNamesAreTheSameBits() throws {
        var g = SeededGenerator(seed: 9)
        var keep = ProfileModel.Scratch(), drop = ProfileModel.Scratch()
        drop.keepsWarnings = false
        var warned = 0
        for id in [PathLossModelID.itm, .p526, .ehata] {
            let model = try ProfileModel(id)
            for _ in 0..<300 {
                let n = Int.random(in: 20...400, using: &g)
                var h = [Double](repeating: 0, count: n + 1)
                for i in 1...n { h[i] = max(0, h[i - 1] + Double.random(in: -12...12, using: &g)) }
                let profile = TerrainProfile(elevationsM: h, spacingM: 30)
                let link = PathLink(frequencyMHz: Double.random(in: 150...3000, using: &g), txHeightM: 30, rxHeightM: 1.5)
                let a = try model.lossDB(profile: profile, link: link, scratch: &keep)
                let b = try model.lossDB(profile: profile, link: link, scratch: &drop)
                XCTAssertEqual(a.lossDB.bitPattern, b.lossDB.bitPattern, "\(id)")
                XCTAssertTrue(b.warnings.isEmpty)
                if !a.warnings.isEmpty { warned += 1 }
            }
        }
        XCTAssertGreaterThan(warned, 0, "some paths carry warnings, so the dropped names are a real difference")
        print("paths with warnings kept by the default scratch: \(warned) of 900")
    }
}

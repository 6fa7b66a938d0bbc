import XCTest
import Reports
import TestSupport

/// The coverage map's hillshade computed only at the cells the map draws.
final class CoverageMapTests: XCTestCase {
    /// With a step, the shaded cells are those of a full run bit for bit and the others keep the default: the map,
    /// drawn from every step-th cell, is the same image as before.
    func testHillshadeWithAStepEqualsTheFullRunAtItsCells() {
        var g = SeededGenerator(seed: 21)
        let width = 101, height = 87
        var z = (0..<(width * height)).map { _ in Float.random(in: 0...800, using: &g) }
        z[5 * width + 7] = .nan
        let full = CoverageMap.hillshade(z, width: width, height: height, cellM: 30)
        for step in [2, 3, 7] {
            let sparse = CoverageMap.hillshade(z, width: width, height: height, cellM: 30, step: step)
            var shaded = 0
            for r in 0..<height {
                for c in 0..<width {
                    let i = r * width + c
                    if r % step == 0 && c % step == 0 {
                        XCTAssertEqual(sparse[i].bitPattern, full[i].bitPattern, "step \(step) row \(r) col \(c)")
                        shaded += 1
                    } else {
                        XCTAssertEqual(sparse[i], 0.8)
                    }
                }
            }
            XCTAssertEqual(shaded, ((height + step - 1) / step) * ((width + step - 1) / step))
        }
        XCTAssertFalse(Set(full).count < width * height / 2, "the terrain is rough enough to shade most cells differently")
    }
}

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

    /// The hillshade without trigonometry is the textbook formula (sun at azimuth 315°, altitude 45°; Horn's
    /// gradient): cos(alt) cos(slope) + sin(alt) sin(slope) cos(az − π/2 − aspect), slope = atan(|∇z|), aspect =
    /// atan2(∂z/∂y, −∂z/∂x). Within 1e-6 on rough terrain and on every gradient direction of a cone; largest seen 3.0e-8
    /// (the Float result's rounding).
    func testHillshadeIsTheTrigonometricFormula() {
        var g = SeededGenerator(seed: 5)
        let width = 61, height = 53
        let rough = (0..<(width * height)).map { _ in Float.random(in: 0...900, using: &g) }
        let cone = (0..<(width * height)).map { i in
            Float(400 - 9 * (Double((i % width) - 30) * Double((i % width) - 30) + Double((i / width) - 26) * Double((i / width) - 26)).squareRoot())
        }
        for z in [rough, cone] {
            let shade = CoverageMap.hillshade(z, width: width, height: height, cellM: 30)
            func at(_ c: Int, _ r: Int) -> Double { Double(z[min(max(r, 0), height - 1) * width + min(max(c, 0), width - 1)]) }
            var worst = 0.0
            for r in 0..<height {
                for c in 0..<width {
                    let p = ((at(c + 1, r - 1) + 2 * at(c + 1, r) + at(c + 1, r + 1)) - (at(c - 1, r - 1) + 2 * at(c - 1, r) + at(c - 1, r + 1))) / 240
                    let q = ((at(c - 1, r + 1) + 2 * at(c, r + 1) + at(c + 1, r + 1)) - (at(c - 1, r - 1) + 2 * at(c, r - 1) + at(c + 1, r - 1))) / 240
                    let slope = atan((p * p + q * q).squareRoot()), aspect = atan2(q, -p)
                    let alt = Double.pi / 4, az = 315 * Double.pi / 180
                    let expected = max(0, min(1, cos(alt) * cos(slope) + sin(alt) * sin(slope) * cos(az - .pi / 2 - aspect)))
                    worst = max(worst, abs(Double(shade[r * width + c]) - expected))
                }
            }
            print("hillshade: largest difference to the trigonometric formula \(worst)")
            XCTAssertLessThan(worst, 1e-6)
        }
    }
}

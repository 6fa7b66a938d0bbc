import XCTest
import Geo
import Terrain
@testable import Analysis

/// `DEMSampler.sampleLine` (the radial method's radials and exact tails, the exact method's profiles) against
/// `DEMSampler.sample` point by point, bit for bit: lines inside the grid (the C loop), lines crossing its edges and
/// leaving it (point by point), missing values as NaN and as a nodata value (sampled again, nearest value), and a
/// window of a larger raster (offsets, no clamping at the window's edges).
final class LineSamplingTests: XCTestCase {
    func testLinesEqualPointByPointSampling() {
        var rng = SystemRandomNumberGenerator()
        var linesInside = 0, pointsChecked = 0, missingSeen = 0
        for (nodata, offset) in [(Float?.none, 0), (Float(-32768), 0), (Float(-9999), 7)] {
            let width = 60, height = 45
            var grid = RasterGrid(
                width: width, height: height, geoTransform: GeoTransform(originX: 0, originY: 0, pixelWidth: 1, pixelHeight: 1),
                crs: "EPSG:4326", nodata: nodata, fill: 0)
            for r in 0..<height {
                for c in 0..<width { grid[c, r] = Float.random(in: -20...900, using: &rng) }
            }
            // Holes: NaN, and the nodata value when there is one.
            for _ in 0..<12 { grid[Int.random(in: 0..<width), Int.random(in: 0..<height)] = .nan }
            if let nodata { for _ in 0..<12 { grid[Int.random(in: 0..<width), Int.random(in: 0..<height)] = nodata } }
            let sampler = DEMSampler(
                grid: grid, colOffset: offset, rowOffset: offset, rasterWidth: offset == 0 ? nil : width + 2 * offset,
                rasterHeight: offset == 0 ? nil : height + 2 * offset)
            let o = Double(offset)
            grid.values.withUnsafeBufferPointer { v in
                for trial in 0..<2_000 {
                    // Most lines inside the grid; every tenth from outside it, across an edge.
                    let margin = trial % 10 == 0 ? -8.0 : 0.6
                    func position(_ n: Int) -> Double { o + Double.random(in: margin...(Double(n) - margin), using: &rng) }
                    let (ca, ra, cb, rb) = (position(width), position(height), position(width), position(height))
                    let m = Int.random(in: 4...120, using: &rng)
                    let i0 = Int.random(in: 0...m, using: &rng), i1 = Int.random(in: i0...m, using: &rng)
                    var out = [Double](repeating: 0, count: i1 - i0 + 1)
                    let missing = sampler.sampleLine(
                        fromCol: ca, row: ra, toCol: cb, row: rb, intervals: m, points: i0...i1, values: v, into: &out)
                    var anyNaN = false
                    for i in i0...i1 {
                        let f = Double(i) / Double(m)
                        let expected = sampler.sample(col: ca + f * (cb - ca), row: ra + f * (rb - ra), values: v)
                        XCTAssertEqual(out[i - i0].bitPattern, expected.bitPattern, "line \(trial), point \(i): \(out[i - i0]) vs \(expected)")
                        anyNaN = anyNaN || expected.isNaN
                        pointsChecked += 1
                    }
                    XCTAssertEqual(missing, anyNaN, "line \(trial)")
                    if anyNaN { missingSeen += 1 }
                    if margin > 0 { linesInside += 1 }
                }
            }
        }
        XCTAssertGreaterThan(linesInside, 5_000)
        XCTAssertGreaterThan(missingSeen, 100)
        XCTAssertGreaterThan(pointsChecked, 50_000)
    }
}

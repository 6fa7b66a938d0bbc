import XCTest
import Foundation
import Geo
@testable import Terrain

/// The bounded DEM block cache (issue 21): a raster larger than the cache is served block by block, with the
/// elevations, nearest values and profiles of the whole raster read at once, bit for bit, at block edges, raster
/// edges and next to nodata, while at most the cache's blocks are held.
final class ElevationCacheTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-demcache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// 1,300 × 1,100 cells at 1″ (3 × 3 blocks of 512), hills with a few nodata holes, one on a block edge.
    func writeRaster() throws -> String {
        let w = 1300, h = 1100, step = 1.0 / 3600
        var g = RasterGrid(
            width: w, height: h, geoTransform: GeoTransform(originX: 106, originY: 11.5, pixelWidth: step, pixelHeight: step),
            crs: "EPSG:4326", nodata: -32768, fill: 0)
        for r in 0..<h {
            for c in 0..<w { g[c, r] = Float(200 + 120 * sin(Double(c) / 97) * cos(Double(r) / 61) + 3 * sin(Double(c * r) / 11)) }
        }
        for (c, r) in [(511, 300), (512, 300), (700, 511), (700, 512), (10, 1099), (1299, 5)] { g[c, r] = -32768 }
        let path = dir.appendingPathComponent("dem.tif").path
        try g.write(to: path, format: .geoTIFF)
        return path
    }

    func testCachedElevationsEqualTheWholeRaster() throws {
        let path = try writeRaster()
        let whole = try ElevationModel(path: path)
        let cached = try ElevationModel.open(path: path, cacheMB: 1)
        let blocks = try XCTUnwrap(cached.blocks, "a 5.5 MB raster with a 1 MB cache is served by blocks")
        XCTAssertNil(try ElevationModel.open(path: path, cacheMB: 64).blocks, "a raster within the cache is read whole")
        // Pixel positions: a random spread, both sides of every block edge, the raster's edges, the nodata holes.
        // A fixed low-discrepancy spread (golden-ratio steps) over the raster and a cell beyond it.
        var positions: [(Double, Double)] = (0..<20_000).map { i in
            let u = (Double(i) * 0.618_033_988_75).truncatingRemainder(dividingBy: 1), v = (Double(i) * 0.754_877_666_2).truncatingRemainder(dividingBy: 1)
            return (-1 + 1302 * u, -1 + 1102 * v)
        }
        for e in [0.0, 0.5, 1, 511, 511.5, 512, 512.4999, 512.5, 513, 1023.7, 1024.5, 1299.5, 1300, 1100] {
            for f in [0.0, 0.25, 0.5, 511.5, 512.5, 700.2, 1099.5, 1100] { positions += [(e, f), (f, e)] }
        }
        var compared = 0, missing = 0
        for (c, r) in positions {
            let a = whole.sampler.sample(col: c, row: r), b = cached.sample(col: c, row: r)
            XCTAssertEqual(a.bitPattern, b.bitPattern, "col \(c), row \(r): \(a) vs \(b)")
            if a.isNaN { missing += 1 } else { compared += 1 }
            let p = whole.geoTransform.map(col: c, row: r)
            XCTAssertEqual(whole.nearestElevation(longitude: p.x, latitude: p.y), cached.nearestElevation(longitude: p.x, latitude: p.y), "col \(c), row \(r)")
        }
        for k in 0..<40 {
            let lon1 = 106.01 + Double(k % 8) * 0.04, lat1 = 11.23 + Double(k / 8) * 0.05
            let a = try whole.profile(fromLon: lon1, lat1: lat1, toLon: 106.34 - Double(k % 5) * 0.05, lat2: 11.47 - Double(k % 7) * 0.03)
            let b = try cached.profile(fromLon: lon1, lat1: lat1, toLon: 106.34 - Double(k % 5) * 0.05, lat2: 11.47 - Double(k % 7) * 0.03)
            XCTAssertEqual(a.elevationsM.map(\.bitPattern), b.elevationsM.map(\.bitPattern), "profile \(k)")
        }
        let range = try XCTUnwrap(blocks.valueRange())
        let valid = whole.sampler.values.filter { $0 != -32768 }
        XCTAssertEqual(range.min, valid.min()); XCTAssertEqual(range.max, valid.max())
        print(
            "DEM block cache: \(compared) elevations equal (and \(missing) missing in both), \(blocks.reads) block reads for 9 blocks, \(blocks.heldBlocks) held (capacity \(blocks.capacityBlocks))"
        )
        XCTAssertGreaterThan(compared, 19_000)
        XCTAssertLessThanOrEqual(blocks.heldBlocks, blocks.capacityBlocks)
        XCTAssertGreaterThan(blocks.reads, 9, "the cache evicted and read blocks again")
    }
}

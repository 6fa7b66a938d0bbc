import XCTest
import Foundation
import Geo

/// XYZ tiles made by GDALWarp (RGBAImage.writeWebTiles) land where the slippy-map formulas put them
/// (OpenStreetMap wiki "Slippy map tilenames": x = (λ + 180)/360 · 2^z, y = (1 − ln(tan φ + sec φ)/π)/2 · 2^z).
final class WebTilesTests: XCTestCase {
    /// Global pixel of a longitude/latitude at zoom z (256-px tiles), by the slippy-map formulas.
    func slippyPixel(lon: Double, lat: Double, zoom z: Int) -> (x: Double, y: Double) {
        let n = Double(256 << z), φ = lat * .pi / 180
        return ((lon + 180) / 360 * n, (1 - log(tan(φ) + 1 / cos(φ)) / .pi) / 2 * n)
    }

    func testTilesLandOnTheSlippyMapGrid() throws {
        // 1° × 1° in EPSG:4326 (106–107 E, 10–11 N) at 0.005°: west half red, east half blue; a transparent border
        // row at the top.
        let w = 200, h = 200
        var img = RGBAImage(width: w, height: h, fill: (0, 0, 0, 0))
        for r in 10..<h { for c in 0..<w { img.set(c, r, c < w / 2 ? (220, 0, 0) : (0, 0, 220)) } }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-tiles-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let counts = try img.writeWebTiles(
            geoTransform: GeoTransform(originX: 106, originY: 11, pixelWidth: 0.005, pixelHeight: 0.005), crs: "EPSG:4326",
            zooms: 7...9, resampling: "near", to: dir)
        XCTAssertEqual(counts.keys.sorted(), [7, 8, 9])
        var largest = 0.0
        for (lon, lat, want) in [(106.25, 10.5, (220.0, 0.0, 0.0)), (106.75, 10.3, (0.0, 0.0, 220.0)), (106.9, 10.9, (0.0, 0.0, 220.0))] {
            for z in 7...9 {
                let p = slippyPixel(lon: lon, lat: lat, zoom: z)
                let tx = Int(p.x) / 256, ty = Int(p.y) / 256, col = Int(p.x) % 256, row = Int(p.y) % 256
                let path = "\(dir)/\(z)/\(tx)/\(ty).png"
                XCTAssertTrue(FileManager.default.fileExists(atPath: path), "tile \(z)/\(tx)/\(ty) for (\(lon), \(lat))")
                let ds = try RasterDataset(path: path)
                XCTAssertEqual(ds.width, 256); XCTAssertEqual(ds.height, 256)
                let px = try (1...4).map { try ds.read(band: $0, col: col, row: row, width: 1, height: 1)[0] }
                XCTAssertEqual(Double(px[0]), want.0, "red at (\(lon), \(lat)) zoom \(z)")
                XCTAssertEqual(Double(px[2]), want.2, "blue at (\(lon), \(lat)) zoom \(z)")
                XCTAssertEqual(px[3], 255, "opaque at (\(lon), \(lat)) zoom \(z)")
            }
        }
        // The red/blue edge (106.5 E) at zoom 9: the first blue pixel east of it is at most one pixel from the
        // formula's position of the edge.
        let z = 9, edge = slippyPixel(lon: 106.5, lat: 10.5, zoom: z)
        let ty = Int(edge.y) / 256, row = Int(edge.y) % 256
        var firstBlue: Int?
        for gx in (Int(edge.x) - 4)...(Int(edge.x) + 4) where firstBlue == nil {
            let ds = try RasterDataset(path: "\(dir)/\(z)/\(gx / 256)/\(ty).png")
            if try ds.read(band: 3, col: gx % 256, row: row, width: 1, height: 1)[0] == 220 { firstBlue = gx }
        }
        largest = abs(Double(try XCTUnwrap(firstBlue)) - edge.x)
        print("edge 106.5 E at zoom 9: first blue pixel \(firstBlue!), formula \(edge.x): \(largest) px apart (tolerance 1 px)")
        XCTAssertLessThanOrEqual(largest, 1.0)
        // Nothing is written outside the image: the tile of 104.5 E (104.06–104.77 E) at zoom 9 is absent.
        let west = slippyPixel(lon: 104.5, lat: 10.5, zoom: 9)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(dir)/9/\(Int(west.x) / 256)/\(Int(west.y) / 256).png"))
    }

    func testZoomMatchesTheCellSize() {
        // 100 m cells at 11° N: zoom 11 has 76.4 × cos 11° = 75 m pixels, zoom 10 150 m.
        XCTAssertEqual(WebMercator.zoom(matchingCellM: 100, latitude: 11), 11)
        XCTAssertEqual(WebMercator.pixelSize(zoom: 0), 156_543.034, accuracy: 0.001)
        let r = WebMercator.tileRange(zoom: 1, minX: -1, minY: -1, maxX: 1, maxY: 1)
        XCTAssertEqual(r.x, 0...1); XCTAssertEqual(r.y, 0...1)
    }
}

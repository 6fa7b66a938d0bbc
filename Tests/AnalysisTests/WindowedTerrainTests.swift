import XCTest
import Foundation
import Geo
import Radio
import Records
import Terrain
@testable import Analysis

/// Terrain read by window (issue 21): a study reads only the DEM window it samples (`CoverageEngine.terrainWindow`),
/// and its results are those of the whole DEM bit for bit; memory follows the window, not the raster.
final class WindowedTerrainTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-window-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Hills on a 0.6° × 0.6° geographic grid of 0.0005° (1200 × 1200), with a nodata hole, as a GeoTIFF.
    func writeDEM(crs: String = "EPSG:4326") throws -> String {
        let n = 1200
        var grid = RasterGrid(
            width: n, height: n, geoTransform: GeoTransform(originX: 106.7, originY: 11.3, pixelWidth: 0.0005, pixelHeight: 0.0005),
            crs: crs, nodata: -32768, fill: 0)
        for r in 0..<n {
            for c in 0..<n {
                let x = Double(c) / 300, y = Double(r) / 300
                var h = 60 + 45 * sin(9 * x + 1) * cos(7 * y) + 120 * exp(-((x - 2.5) * (x - 2.5) + (y - 1.6) * (y - 1.6)) * 10)
                if (640...655).contains(c) && (600...615).contains(r) { h = -32768 }
                grid[c, r] = Float(h)
            }
        }
        let path = dir.appendingPathComponent("dem.tif").path
        try grid.write(to: path, format: .geoTIFF)
        return path
    }

    func tx(_ id: String, lon: Double, lat: Double, azimuth: Double? = nil, freq: Double = 900) -> Transmitter {
        Transmitter(
            id: id, siteID: "S-\(id)", operatorName: "Viettel", technology: .lte, latitude: lat, longitude: lon,
            antennaHeightM: 30, frequencyMHz: freq, bandwidthMHz: 10, eirpDBm: 60, azimuthDeg: azimuth)
    }

    func testWindowedStudyEqualsTheWholeDEMBitForBit() throws {
        let path = try writeDEM()
        var study = CoverageStudy(west: 106.98, south: 10.96, east: 107.06, north: 11.04)
        study.resolutionM = 200
        study.maxRadiusKm = 5
        study.floorDBm = -160
        // Inside the area, near its edge (profiles leave the area), and one far away that reaches no cell: the
        // window leaves it out, and it computes nothing either way.
        let transmitters = [
            tx("A", lon: 107.0, lat: 11.0, azimuth: 40), tx("B", lon: 107.055, lat: 10.97), tx("C", lon: 106.96, lat: 11.035, freq: 1800),
            tx("FAR", lon: 106.75, lat: 11.25)
        ]
        let whole = try ElevationModel(path: path)
        let window = try CoverageEngine.terrainWindow(study: study, transmitters: transmitters)
        let part = try ElevationModel(path: path, window: window)
        let share = Double(part.grid.width * part.grid.height) / Double(whole.grid.width * whole.grid.height)
        print("window \(part.grid.width)×\(part.grid.height) of \(whole.grid.width)×\(whole.grid.height): \(String(format: "%.1f", share * 100)) % of the DEM")
        XCTAssertLessThan(share, 0.05)
        XCTAssertLessThan(window.west, 106.961, "the window holds transmitter C, outside the area")
        XCTAssertGreaterThan(window.south, 10.9, "but not the far transmitter")
        for (model, profiles) in [("itm", "radial"), ("p526", "exact"), ("los", "radial")] {
            study.model = model
            study.profiles = profiles
            let a = try CoverageEngine.run(study: study, transmitters: transmitters, dem: whole)
            let b = try CoverageEngine.run(study: study, transmitters: transmitters, dem: part)
            XCTAssertEqual(CoverageChecksumTests.checksum(a), CoverageChecksumTests.checksum(b), "\(model) \(profiles)")
            XCTAssertEqual(a.bestSignalDBm.map(\.bitPattern), b.bestSignalDBm.map(\.bitPattern), model)
            XCTAssertEqual(a.groundM?.map(\.bitPattern), b.groundM?.map(\.bitPattern), model)
            XCTAssertGreaterThan(a.bestSignalDBm.filter { $0 != CoverageResult.nodata }.count, 100, "\(model): cells were computed")
        }
    }

    /// A window of a compressed, tiled GeoTIFF decoded on 1, 2 and 3 threads (GDAL's multi-threaded decoding): the
    /// same heights, bit for bit, and the same as the whole raster's over the window.
    func testWindowDecodedOnThreadsHoldsTheSameHeights() throws {
        let path = try writeDEM()
        let box = GeographicBox(west: 106.8, south: 10.8, east: 107.2, north: 11.2)
        let one = try ElevationModel(path: path, window: box, threads: 1)
        XCTAssertGreaterThan(one.grid.width * one.grid.height, 4 * 256 * 256, "the window spans several blocks")
        let whole = try ElevationModel(path: path, threads: 1)
        for threads in [2, 3] {
            let many = try ElevationModel(path: path, window: box, threads: threads)
            XCTAssertEqual(many.grid.width, one.grid.width)
            XCTAssertEqual(many.grid.values.map(\.bitPattern), one.grid.values.map(\.bitPattern), "\(threads) threads")
        }
        let col0 = Int(one.sampler.colOffset), row0 = Int(one.sampler.rowOffset)
        for r in Swift.stride(from: 0, to: one.grid.height, by: 37) {
            for c in Swift.stride(from: 0, to: one.grid.width, by: 41) {
                XCTAssertEqual(one.grid[c, r].bitPattern, whole.grid[c + col0, r + row0].bitPattern)
            }
        }
    }

    /// Inside the window a windowed model samples exactly what the whole one does; outside, nothing (NaN), never
    /// a neighbour's value. The same in a projected CRS.
    func testWindowedSamplesAreTheWholeRastersSamples() throws {
        var g = SplitMix64(seed: 7)
        for crs in ["EPSG:4326", "EPSG:32648"] {
            let path: String
            if crs == "EPSG:4326" {
                path = try writeDEM()
            } else {
                // The same values on a UTM 48N grid of 30 m (0.6° ≈ 66 km → 1200 cells of 55 m).
                var grid = try ElevationModel(path: try writeDEM()).grid
                grid.crs = crs
                grid.geoTransform = GeoTransform(originX: 690_000, originY: 1_250_000, pixelWidth: 55, pixelHeight: 55)
                path = dir.appendingPathComponent("utm.tif").path
                try grid.write(to: path, format: .geoTIFF)
            }
            let whole = try ElevationModel(path: path)
            let box = GeographicBox(west: 107.0, south: 10.9, east: 107.1, north: 11.0)
            let part = try ElevationModel(path: path, window: box)
            XCTAssertLessThan(part.grid.values.count * 10, whole.grid.values.count, crs)
            var inside = 0
            for _ in 0..<20_000 {
                let lon = 106.98 + 0.14 * Double(g.next() % 1_000_000) / 1e6, lat = 10.88 + 0.14 * Double(g.next() % 1_000_000) / 1e6
                let a = whole.elevation(longitude: lon, latitude: lat), b = part.elevation(longitude: lon, latitude: lat)
                if lon >= box.west, lon <= box.east, lat >= box.south, lat <= box.north {
                    inside += 1
                    XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "\(crs) at \(lon), \(lat)")
                } else if b != nil {
                    XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "\(crs): a value outside the box is the whole raster's")
                }
            }
            XCTAssertGreaterThan(inside, 5_000)
            XCTAssertNil(part.elevation(longitude: 106.75, latitude: 11.25), "far outside the window: missing")
            XCTAssertEqual(part.cellSizeM, whole.cellSizeM, "profile spacing follows the whole raster")
        }
    }
}

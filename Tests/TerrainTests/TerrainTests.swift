import XCTest
import Foundation
import Geo
import TestSupport
@testable import Terrain

final class TerrainTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-terrain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A genuine SRTM-1 tile, gzipped (Tests/Fixtures/terrain/S46W066.hgt.gz): the nearest sample to
    /// (−45.02475838, −65.92054638) is 25 m (reference README; gdallocationinfo agrees).
    func testSRTMHGTTile() throws {
        let url = try ReferenceData.require("terrain/S46W066.hgt.gz")
        let dem = try ElevationModel(path: url.path)
        XCTAssertEqual(dem.grid.width, 3601)
        XCTAssertTrue(dem.isGeographic)
        XCTAssertEqual(dem.nearestElevation(longitude: -65.92054638, latitude: -45.02475838), 25)
        XCTAssertNil(dem.elevation(longitude: -60, latitude: -45.5), "outside the tile")
        XCTAssertEqual(dem.cellSizeM, 1.0 / 3600 * 111_320 * cos(45.5 * Double.pi / 180), accuracy: 1)
    }

    /// Real SRTM 1″ in UTM 11N (bigtujunga): a geodesic profile between two points of the DEM has the DEM's
    /// heights at both ends and its spacing at most the requested one.
    func testProfileOverAProjectedDEM() throws {
        let url = try ReferenceData.require("terrain/bigtujunga_srtm1_utm11.tif")
        let dem = try ElevationModel(path: url.path)
        XCTAssertFalse(dem.isGeographic)
        XCTAssertEqual(dem.cellSizeM, 30, accuracy: 1)
        let back = try CoordinateTransform(from: dem.grid.crs, to: "EPSG:4326")
        let gt = dem.grid.geoTransform
        let a = try back.transform(x: gt.originX + 3000, y: gt.originY - 3000)
        let b = try back.transform(x: gt.originX + 25_000, y: gt.originY - 15_000)
        let p = try dem.profile(fromLon: a.x, lat1: a.y, toLon: b.x, lat2: b.y, spacingM: 30)
        XCTAssertLessThanOrEqual(p.spacingM, 30)
        XCTAssertEqual(p.elevationsM.count, Int(ceil(p.distanceM / 30)) + 1)
        XCTAssertEqual(p.elevationsM.first!, dem.elevation(longitude: a.x, latitude: a.y)!, accuracy: 1e-9)
        XCTAssertEqual(p.elevationsM.last!, dem.elevation(longitude: b.x, latitude: b.y)!, accuracy: 1e-9)
        // The geodesic length agrees with the UTM distance within the zone's scale error (< 0.1 %).
        XCTAssertEqual(p.distanceM, hypot(22_000.0, 12_000.0), accuracy: hypot(22_000.0, 12_000.0) * 1e-3)
        XCTAssertTrue((315...2295).contains(p.elevationsM.min()!) && (315...2295).contains(p.elevationsM.max()!))
    }

    /// A VRT mosaic of two tiles reads across the seam; the gap where a tile is missing is reported, not zero.
    func testVRTMosaicAndMissingTile() throws {
        func tile(_ name: String, originX: Double, value: Float) throws -> String {
            let g = RasterGrid(
                width: 10, height: 10, geoTransform: GeoTransform(originX: originX, originY: 11, pixelWidth: 0.01, pixelHeight: 0.01),
                crs: "EPSG:4326", nodata: -32768, fill: value)
            let path = dir.appendingPathComponent(name).path
            try g.write(to: path)
            return path
        }
        // Tiles at 107.0–107.1 and 107.2–107.3: the tile 107.1–107.2 is missing.
        let t1 = try tile("a.tif", originX: 107.0, value: 50), t2 = try tile("c.tif", originX: 107.2, value: 80)
        let vrt = dir.appendingPathComponent("mosaic.vrt").path
        try RasterMosaic.buildVRT(sources: [t1, t2], to: vrt)
        let dem = try ElevationModel(path: vrt)
        XCTAssertEqual(dem.elevation(longitude: 107.05, latitude: 10.95)!, 50, accuracy: 1e-9)
        XCTAssertEqual(dem.elevation(longitude: 107.25, latitude: 10.95)!, 80, accuracy: 1e-9)
        XCTAssertNil(dem.elevation(longitude: 107.15, latitude: 10.95), "the missing tile is nodata, not sea level")
        XCTAssertThrowsError(try dem.profile(fromLon: 107.05, lat1: 10.95, toLon: 107.25, lat2: 10.95)) { e in
            XCTAssertTrue("\(e)".contains("no elevation"), "\(e)")
        }
        XCTAssertThrowsError(try RasterMosaic.buildVRT(sources: [t1, dir.appendingPathComponent("nope.tif").path], to: vrt))
    }
}

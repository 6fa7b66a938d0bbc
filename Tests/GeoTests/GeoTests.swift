import XCTest
import Foundation
@testable import Geo
import CGDAL

final class GeoTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-geo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func sampleGrid() -> RasterGrid {
        var g = RasterGrid(
            width: 7, height: 5, geoTransform: GeoTransform(originX: 680_000, originY: 1_200_000, pixelWidth: 100, pixelHeight: 100),
            crs: "EPSG:32648", nodata: -9999, fill: 0)
        for r in 0..<5 { for c in 0..<7 { g[c, r] = Float(r * 10 + c) - 50.5 } }
        g[3, 2] = -9999
        return g
    }

    /// Issue 15: a raster writer refuses NaN and infinity (a reader would take them for data), names the cell, and
    /// leaves no file behind.
    func testRasterWriterRefusesNonFiniteValuesAndNamesTheCell() throws {
        for bad: Float in [.nan, .infinity, -.infinity] {
            var g = sampleGrid()
            g[4, 3] = bad
            let path = dir.appendingPathComponent("bad.tif").path
            XCTAssertThrowsError(try g.write(to: path, format: .cog)) { error in
                XCTAssertTrue("\(error)".contains("row 3, column 4"), "\(error)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        }
        // The nodata value itself is fine.
        XCTAssertNoThrow(try sampleGrid().write(to: dir.appendingPathComponent("ok.tif").path))
    }

    func testGeoTIFFAndCOGRoundTripKeepValuesNodataAndGeoreferencing() throws {
        for (name, format) in [("a.tif", RasterFormat.geoTIFF), ("b.tif", .cog)] {
            let path = dir.appendingPathComponent(name).path
            try sampleGrid().write(to: path, format: format)
            let ds = try RasterDataset(path: path)
            XCTAssertEqual(ds.width, 7); XCTAssertEqual(ds.height, 5)
            XCTAssertEqual(ds.geoTransform, sampleGrid().geoTransform)
            XCTAssertTrue(ds.crs.contains("UTM zone 48N"), ds.crs)
            XCTAssertEqual(try ds.nodata(), -9999)
            let back = try ds.readGrid()
            XCTAssertEqual(back.values, sampleGrid().values)
            // Windowed read: 2×2 at (col 3, row 1).
            XCTAssertEqual(try ds.read(col: 3, row: 1, width: 2, height: 2), [-37.5, -36.5, -9999, -26.5])
            let nan = try ds.read(col: 3, row: 2, width: 1, height: 1, nodataToNaN: true)
            XCTAssertTrue(nan[0].isNaN)
            XCTAssertThrowsError(try ds.read(col: 6, row: 0, width: 2, height: 1))
        }
        // No partial files left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["a.tif", "b.tif"])
    }

    /// Whole-number layers (a server's index, a count) are written as integers, and every COG's overviews hold only
    /// values of the grid: GDAL's default cubic overview of 0/7 neighbours gave indices such as 3 or −1.2, and of a
    /// signal field values no cell has.
    func testIntegerCOGsKeepTheirTypeAndTheirOverviewsTakeTheNearestCell() throws {
        let w = 600, h = 400
        // Columns of server 0 and server 7 alternating every 3 cells, nodata (−1) in the first row.
        let values = (0..<(w * h)).map { i in i < w ? Float(-1) : Float((i % w) / 3 % 2 == 0 ? 0 : 7) }
        let grid = RasterGrid(
            width: w, height: h, geoTransform: GeoTransform([500_000, 30, 0, 1_200_000, 0, -30]), crs: "EPSG:32648", nodata: -1, values: values)
        // A signal field: dBm falling with the column, with steps, nodata in the first row.
        let signal = RasterGrid(
            width: w, height: h, geoTransform: grid.geoTransform, crs: grid.crs, nodata: -9999,
            values: (0..<(w * h)).map { i in i < w ? Float(-9999) : Float(-60 - (i % w) / 7) - ((i / w) % 5 == 0 ? 0.25 : 0) })
        for (name, cells, type) in [
            ("server.tif", RasterCellType.int32, GDT_Int32), ("count.tif", .uint16, GDT_UInt16), ("signal.tif", .float32, GDT_Float32)
        ] {
            let path = dir.appendingPathComponent(name).path
            let written =
                cells == .uint16
                ? RasterGrid(width: w, height: h, geoTransform: grid.geoTransform, crs: grid.crs, nodata: nil, values: values.map { max($0, 0) })
                : cells == .float32 ? signal : grid
            try written.write(to: path, format: .cog, cells: cells)
            XCTAssertEqual(try RasterDataset(path: path).readGrid().values, written.values, name)
            let ds = try XCTUnwrap(GDALOpen(path, GA_ReadOnly))
            defer { GDALClose(ds) }
            let band = try XCTUnwrap(GDALGetRasterBand(ds, 1))
            XCTAssertEqual(GDALGetRasterDataType(band), type, name)
            XCTAssertGreaterThan(GDALGetOverviewCount(band), 0, name)
            let ov = try XCTUnwrap(GDALGetOverview(band, 0))
            let ow = Int(GDALGetRasterBandXSize(ov)), oh = Int(GDALGetRasterBandYSize(ov))
            var back = [Float](repeating: .nan, count: ow * oh)
            let err = back.withUnsafeMutableBytes {
                GDALRasterIO(ov, GF_Read, 0, 0, Int32(ow), Int32(oh), $0.baseAddress, Int32(ow), Int32(oh), GDT_Float32, 0, 0)
            }
            XCTAssertEqual(err, CE_None)
            XCTAssertTrue(Set(back).isSubset(of: Set(written.values)), "\(name): the overview holds \(Set(back).sorted()), not only the grid's values")
        }
    }

    func testGeoTransformPixelMapInverse() {
        let gt = GeoTransform([100, 2, 0.5, 50, 0.25, -3])
        let p = gt.map(col: 3.5, row: 7.25)
        let back = gt.pixel(x: p.x, y: p.y)
        XCTAssertEqual(back.col, 3.5, accuracy: 1e-12)
        XCTAssertEqual(back.row, 7.25, accuracy: 1e-12)
    }

    func testOpeningAMissingOrBrokenRasterCarriesTheMessage() throws {
        XCTAssertThrowsError(try RasterDataset(path: dir.appendingPathComponent("none.tif").path)) { e in
            XCTAssertTrue("\(e)".contains("none.tif") && "\(e)".contains("no such file"), "\(e)")
        }
        let junk = dir.appendingPathComponent("junk.tif")
        try Data("not a tiff".utf8).write(to: junk)
        XCTAssertThrowsError(try RasterDataset(path: junk.path)) { e in
            // GDAL's own message names the file and the reason.
            XCTAssertTrue("\(e)".contains("junk.tif"), "\(e)")
            XCTAssertFalse((e as! GeoError).message.isEmpty)
        }
    }

    /// 106.7 E, 10.8 N → WGS 84 / UTM zone 48N (EPSG:32648): E 685 864.13 m, N 1 194 382.27 m
    /// (values of the issue, checked with PROJ's cs2cs); tolerance 1 cm.
    func testTransformToUTM48N() throws {
        let t = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:32648")
        let p = try t.transform(x: 106.7, y: 10.8)
        XCTAssertEqual(p.x, 685_864.13, accuracy: 0.01)
        XCTAssertEqual(p.y, 1_194_382.27, accuracy: 0.01)
        var xs = [106.7, 107.0], ys = [10.8, 11.0]
        XCTAssertEqual(t.transform(xs: &xs, ys: &ys), 0)
        XCTAssertEqual(xs[0], 685_864.13, accuracy: 0.01)
        let back = try CoordinateTransform(from: "EPSG:32648", to: "EPSG:4326").transform(x: xs[1], y: ys[1])
        XCTAssertEqual(back.x, 107.0, accuracy: 1e-9); XCTAssertEqual(back.y, 11.0, accuracy: 1e-9)
        XCTAssertEqual(CoordinateTransform.utmCRS(longitude: 106.9, latitude: 11), "EPSG:32648")
        XCTAssertEqual(CoordinateTransform.utmCRS(longitude: -65.9, latitude: -45), "EPSG:32720")
    }

    /// The concurrent transform (one PROJ object per core, contiguous parts) gives the serial transform's values
    /// bit for bit, and counts and NaNs the points PROJ cannot transform.
    func testConcurrentTransformEqualsSerial() throws {
        let n = 200_001
        var xs = (0..<n).map { 600_000 + Double($0 % 1000) * 37.5 }, ys = (0..<n).map { 1_100_000 + Double($0 / 1000) * 41.25 }
        xs[123_456] = .infinity
        var sx = xs, sy = ys
        let serialFailed = try CoordinateTransform(from: "EPSG:32648", to: "EPSG:4326").transform(xs: &sx, ys: &sy)
        let failed = try CoordinateTransform.transformConcurrently(from: "EPSG:32648", to: "EPSG:4326", xs: &xs, ys: &ys)
        XCTAssertEqual(failed, 1)
        XCTAssertEqual(serialFailed, 1)
        XCTAssertTrue(xs[123_456].isNaN && ys[123_456].isNaN)
        XCTAssertEqual(xs.map(\.bitPattern), sx.map(\.bitPattern))
        XCTAssertEqual(ys.map(\.bitPattern), sy.map(\.bitPattern))
        XCTAssertThrowsError(try CoordinateTransform.transformConcurrently(from: "EPSG:32648", to: "EPSG:99999", xs: &xs, ys: &ys))
    }

    /// A released transform is reused by the next one between the same pair (no second PROJ database look-up),
    /// never handed to two live instances at once, gives the same values, and at most `perPair` wait per pair.
    func testReleasedTransformsAreReusedOneAtATime() throws {
        let (from, to) = ("EPSG:32631", "EPSG:4326") // a pair no other test uses
        var xs = [500_000.0, 612_345.5], ys = [4_500_000.0, 4_987_654.25]
        var firstValues: [UInt64] = []
        var released: Set<OpaquePointer> = []
        do {
            let a = try CoordinateTransform(from: from, to: to), b = try CoordinateTransform(from: from, to: to)
            XCTAssertNotEqual(a.pj, b.pj, "two live instances share one PROJ object")
            var x = xs, y = ys
            a.transform(xs: &x, ys: &y)
            firstValues = (x + y).map(\.bitPattern)
            released = [a.pj, b.pj]
        }
        XCTAssertEqual(TransformPool.idle(from: from, to: to), 2)
        let c = try CoordinateTransform(from: from, to: to)
        XCTAssertTrue(released.contains(c.pj), "a released transform was not reused")
        XCTAssertEqual(TransformPool.idle(from: from, to: to), 1)
        c.transform(xs: &xs, ys: &ys)
        XCTAssertEqual((xs + ys).map(\.bitPattern), firstValues)
        do {
            let many = try (0..<(TransformPool.perPair + 3)).map { _ in try CoordinateTransform(from: from, to: to) }
            XCTAssertEqual(Set(many.map(\.pj)).count, many.count)
        }
        XCTAssertEqual(TransformPool.idle(from: from, to: to), TransformPool.perPair)
    }

    func testBadCRSCarriesPROJMessage() {
        XCTAssertThrowsError(try CoordinateTransform(from: "EPSG:4326", to: "EPSG:999999")) { e in
            XCTAssertTrue("\(e)".contains("EPSG:999999"), "\(e)")
        }
    }

    func sampleLayer() -> LayerData {
        var layer = LayerData(name: "places", fields: [("id", .string), ("population", .integer), ("height_m", .real)], geometryType: .point)
        layer.append(.point(Coordinate(106.82, 10.95)), [.string("A"), .integer(1200), .real(12.5)])
        layer.append(.point(Coordinate(107.1, 11.2)), [.string("Bình Lộc"), .integer(30), .null])
        return layer
    }

    /// GDAL's warnings are collected (no longer dropped by a quiet handler) and handed over once: the Shapefile
    /// driver warns when it shortens a field name to 10 characters.
    func testGDALWarningsAreCollectedAndDrainedOnce() throws {
        _ = GDALEnvironment.drainWarnings()
        var layer = LayerData(name: "sites", fields: [("transmitter_name", .string)], geometryType: .point)
        layer.append(.point(Coordinate(106.82, 10.95)), [.string("A")])
        try VectorWriter.write([layer], to: dir.appendingPathComponent("sites.shp").path)
        let warnings = GDALEnvironment.drainWarnings()
        XCTAssertTrue(warnings.contains { $0.contains("'transmitter_name'") && $0.contains("'transmitte'") }, "\(warnings)")
        XCTAssertEqual(GDALEnvironment.drainWarnings(), [])
    }

    /// A failing OGR or GDAL call throws a GeoError of the matching kind carrying GDAL's own message.
    func testCheckedCallsCarryKindAndGDALMessage() {
        XCTAssertThrowsError(try SpatialReference.wkt(of: "EPSG:999999")) { e in
            let g = e as! GeoError
            XCTAssertEqual(g.kind, .projection)
            XCTAssertFalse(g.message.isEmpty)
        }
        XCTAssertThrowsError(try GDALEnvironment.check(OGRErr(OGRERR_UNSUPPORTED_OPERATION), "test")) { e in
            XCTAssertEqual((e as! GeoError).kind, .unsupported)
            XCTAssertEqual((e as! GeoError).message, "OGR error 4 (unsupported operation)")
        }
        XCTAssertNoThrow(try GDALEnvironment.check(CE_Warning, "test"))
    }

    func testVectorRoundTripInEveryFormat() throws {
        for ext in ["gpkg", "geojson", "shp", "kml", "csv"] {
            let path = dir.appendingPathComponent("places.\(ext)").path
            try VectorWriter.write([sampleLayer()], to: path)
            let back = try VectorReader.read(path)
            XCTAssertEqual(back.features.count, 2, ext)
            let first = back.features[0]
            XCTAssertEqual(first.index, 1)
            // Each field holds its own value in every format (KML's driver puts Name and Description fields
            // before the layer's: values set by OGR index landed one field off, under the wrong names).
            XCTAssertEqual(back.features[1].attributes["id"], "Bình Lộc", ext)
            XCTAssertEqual(back.features[1].attributes["population"], "30", ext)
            if case .point(let c)? = first.geometry {
                XCTAssertEqual(c.x, 106.82, accuracy: 1e-9, ext); XCTAssertEqual(c.y, 10.95, accuracy: 1e-9, ext)
            } else {
                XCTFail("\(ext): no point geometry: \(String(describing: first.geometry))")
            }
            XCTAssertEqual(first.attributes["population"], "1200", ext)
            // Google Earth's label: the first text field (no `name` field here).
            if ext == "kml" { XCTAssertEqual(back.features[1].attributes["Name"], "Bình Lộc") }
            XCTAssertEqual(Double(first.attributes["height_m"] ?? ""), 12.5, ext)
        }
    }

    /// A KML placemark is labelled with the row's `name` field when it has one (a village's name, not its id).
    func testKMLPlacemarksAreLabelledByTheNameField() throws {
        var villages = LayerData(name: "villages", fields: [("id", .string), ("name", .string), ("population", .integer)], geometryType: .point)
        villages.append(.point(Coordinate(106.82, 10.95)), [.string("V1"), .string("Ấp Bình Lộc"), .integer(500)])
        let path = dir.appendingPathComponent("villages.kml").path
        try VectorWriter.write([villages], to: path)
        let back = try VectorReader.read(path).features[0].attributes
        XCTAssertEqual(back["Name"], "Ấp Bình Lộc")
        XCTAssertEqual(back["id"], "V1")
        XCTAssertEqual(back["population"], "500")
    }

    func testGeoPackageHoldsSeveralLayersAndPolygons() throws {
        var polys = LayerData(name: "zones", fields: [("name", .string)], geometryType: .multiPolygon)
        let ring = [Coordinate(106.9, 10.9), Coordinate(107.0, 10.9), Coordinate(107.0, 11.0), Coordinate(106.9, 11.0)]
        polys.append(.polygon([ring]), [.string("square")])
        let path = dir.appendingPathComponent("multi.gpkg").path
        try VectorWriter.write([sampleLayer(), polys], to: path)
        XCTAssertEqual(try VectorReader.layerNames(path).sorted(), ["places", "zones"])
        let z = try VectorReader.read(path, layer: "zones")
        let g = try XCTUnwrap(z.features.first?.geometry)
        XCTAssertTrue(g.contains(Coordinate(106.95, 10.95)))
        XCTAssertFalse(g.contains(Coordinate(107.05, 10.95)))
        XCTAssertEqual(g.centroid.x, 106.95, accuracy: 1e-9)
        XCTAssertThrowsError(try VectorReader.read(path, layer: "nope")) { e in
            XCTAssertTrue("\(e)".contains("places") && "\(e)".contains("zones"), "\(e)")
        }
    }

    func testLayersInAProjectedCRSAreReadInWGS84() throws {
        // A GeoJSON in UTM 48N (legacy "crs" member) holding the reference point.
        let json = """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32648"}},
             "features":[{"type":"Feature","properties":{"id":"p"},"geometry":{"type":"Point","coordinates":[685864.13,1194382.27]}}]}
            """
        let path = dir.appendingPathComponent("utm.geojson")
        try Data(json.utf8).write(to: path)
        let layer = try VectorReader.read(path.path)
        guard case .point(let c)? = layer.features.first?.geometry else { return XCTFail("no point") }
        XCTAssertEqual(c.x, 106.7, accuracy: 1e-7); XCTAssertEqual(c.y, 10.8, accuracy: 1e-7)
    }

    func testUnknownExtensionIsRejectedAndNothingIsWritten() {
        XCTAssertThrowsError(try VectorWriter.write([sampleLayer()], to: dir.appendingPathComponent("x.xyz").path)) { e in
            XCTAssertTrue("\(e)".contains(".gpkg"), "\(e)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    func testPolygonizeFindsRegionsInWGS84() throws {
        // Two separate blocks of class 1 and one of class 2 on a 10×10 grid of 100 m in UTM 48N.
        var mask = [UInt8](repeating: 0, count: 100)
        for r in 1..<4 { for c in 1..<4 { mask[r * 10 + c] = 1 } }
        for r in 6..<9 { for c in 6..<9 { mask[r * 10 + c] = 1 } }
        mask[5 * 10 + 1] = 2
        let gt = GeoTransform(originX: 685_000, originY: 1_195_000, pixelWidth: 100, pixelHeight: 100)
        let regions = try Polygonize.regions(classes: mask, width: 10, height: 10, geoTransform: gt, crs: "EPSG:32648")
        XCTAssertEqual(regions.filter { $0.classValue == 1 }.count, 2)
        XCTAssertEqual(regions.filter { $0.classValue == 2 }.count, 1)
        let b = regions[0].geometry.bounds
        XCTAssertTrue((106.6...106.8).contains(b.minX) && (10.7...10.9).contains(b.minY), "\(b)")
    }

    func testPNGWriting() throws {
        var img = RGBAImage(width: 4, height: 3)
        img.set(1, 1, (255, 0, 0))
        let path = dir.appendingPathComponent("m.png").path
        try img.writePNG(to: path)
        let ds = try RasterDataset(path: path)
        XCTAssertEqual(ds.bandCount, 4)
        XCTAssertEqual(try ds.read(band: 1, col: 1, row: 1, width: 1, height: 1), [255])
        XCTAssertEqual(try ds.read(band: 2, col: 1, row: 1, width: 1, height: 1), [0])
    }
}

import XCTest
import Foundation
import Geo
import Radio
import Records
@testable import Analysis

/// Land-cover clutter: each cell loses its class's dB, whatever the transmitter; classes the table lacks are an
/// error naming them; cells off the raster or on nodata lose nothing and are counted.
final class ClutterMapTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-clutter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A WGS 84 land-cover raster (0.001° pixels) over 106.96–107.04 E, 10.96–11.04 N: west half class 10
    /// (trees), east half class 50 (built-up), one nodata column in the middle.
    func writeLandCover(classes: (Float, Float) = (10, 50)) throws -> String {
        let w = 80, h = 80
        var v = [Float](repeating: 0, count: w * h)
        for r in 0..<h { for c in 0..<w { v[r * w + c] = c < 40 ? classes.0 : classes.1 } }
        for r in 0..<h { v[r * w + 40] = 255 }
        let grid = RasterGrid(
            width: w, height: h, geoTransform: GeoTransform(originX: 106.96, originY: 11.04, pixelWidth: 0.001, pixelHeight: 0.001),
            crs: "EPSG:4326", nodata: 255, values: v)
        let path = dir.appendingPathComponent("landcover.tif").path
        try grid.write(to: path)
        return path
    }

    func testEachCellLosesItsClassLoss() throws {
        let raster = try writeLandCover()
        let tablePath = dir.appendingPathComponent("table.csv").path
        try "class,loss_db,name\n10,8.5,tree cover\n50,12,built-up\n".write(toFile: tablePath, atomically: true, encoding: .utf8)
        let table = try ClutterMap.readTable(tablePath)
        XCTAssertEqual(table, [10: 8.5, 50: 12])
        var study = CoverageStudy(west: 106.95, south: 10.95, east: 107.05, north: 11.05)
        study.resolutionM = 200; study.maxRadiusKm = 8; study.floorDBm = -200
        let spec = try GridSpec.utm(west: study.west, south: study.south, east: study.east, north: study.north, resolutionM: study.resolutionM)
        let (loss, uncovered) = try ClutterMap(path: raster, lossDB: table).lossPerCell(spec)
        XCTAssertGreaterThan(uncovered, 0, "the grid is wider than the raster and crosses its nodata column")
        let tx = Transmitter(
            id: "A", siteID: "A", operatorName: "Op", technology: .lte, latitude: 11.0, longitude: 107.0,
            antennaHeightM: 30, frequencyMHz: 1800, bandwidthMHz: 10, eirpDBm: 60, azimuthDeg: nil)
        let plain = try CoverageEngine.run(study: study, transmitters: [tx], dem: nil)
        let withClutter = try CoverageEngine.run(study: study, transmitters: [tx], dem: nil, receiverLossDB: loss)
        let toWGS = try CoordinateTransform(from: spec.crs, to: "EPSG:4326")
        var seen: Set<Float> = []
        for r in 0..<spec.height {
            for c in 0..<spec.width {
                let i = r * spec.width + c
                guard plain.bestSignalDBm[i] != CoverageResult.nodata else { continue }
                let p = spec.cellCentre(col: c, row: r)
                let g = try toWGS.transform(x: p.x, y: p.y)
                let inside = g.x > 106.96 && g.x < 107.04 && g.y > 10.96 && g.y < 11.04
                let nodataColumn = g.x >= 107.0 && g.x < 107.001
                let expected: Float = !inside || nodataColumn ? 0 : (g.x < 107.0 ? 8.5 : 12)
                // Cells within a pixel of a class edge are not asserted (the nearest pixel decides).
                if abs(g.x - 107.0) < 0.002 || abs(g.x - 106.96) < 0.002 || abs(g.x - 107.04) < 0.002
                    || abs(g.y - 10.96) < 0.002 || abs(g.y - 11.04) < 0.002
                {
                    continue
                }
                XCTAssertEqual(loss[i], expected, "cell \(c),\(r)")
                XCTAssertEqual(withClutter.bestSignalDBm[i], plain.bestSignalDBm[i] - expected, accuracy: 1e-4, "cell \(c),\(r)")
                seen.insert(expected)
            }
        }
        XCTAssertEqual(seen, [0, 8.5, 12])
    }

    func testMissingClassAndBadTablesAreNamed() throws {
        let raster = try writeLandCover(classes: (10, 95))
        let spec = try GridSpec.utm(west: 106.97, south: 10.97, east: 107.03, north: 11.03, resolutionM: 200)
        XCTAssertThrowsError(try ClutterMap(path: raster, lossDB: [10: 8]).lossPerCell(spec)) { e in
            XCTAssertTrue("\(e)".contains("95"), "\(e)")
            XCTAssertTrue("\(e)".contains("not in the clutter class table"), "\(e)")
        }
        let bad = dir.appendingPathComponent("bad.csv").path
        try "class,loss_db\n10,eight\n".write(toFile: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ClutterMap.readTable(bad)) { e in XCTAssertTrue("\(e)".contains("row 1, column loss_db: 'eight'"), "\(e)") }
        try "class,loss\n10,8\n".write(toFile: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ClutterMap.readTable(bad)) { e in XCTAssertTrue("\(e)".contains("class and loss_db"), "\(e)") }
        try "class,loss_db\n10,8\n10,9\n".write(toFile: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ClutterMap.readTable(bad)) { e in XCTAssertTrue("\(e)".contains("given twice"), "\(e)") }
    }
}

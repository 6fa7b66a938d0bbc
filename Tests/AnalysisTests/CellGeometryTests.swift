import XCTest
import Foundation
import Geo
import Radio
import Records
import TestSupport
import Terrain
@testable import Analysis

/// Line of sight reads only the DEM positions and the ground of the cells; when the DEM shares the grid's CRS
/// these come from the geotransforms without PROJ (issue 21). They must equal the PROJ route bit for bit.
final class CellGeometryTests: XCTestCase {
    /// Real SRTM 1″ terrain in UTM 11N (Tests/Fixtures/terrain/bigtujunga_srtm1_utm11.tif); the study's UTM grid
    /// is the same zone, at the DEM's 30 m and at 120 m (cell centres between DEM pixels).
    func testAffineGroundEqualsPROJRouteBitForBit() throws {
        let dem = try ElevationModel(path: try ReferenceData.require("terrain/bigtujunga_srtm1_utm11.tif").path)
        for resolution in [30.0, 120.0] {
            let spec = try GridSpec.utm(west: -118.19, south: 34.29, east: -118.11, north: 34.35, resolutionM: resolution)
            XCTAssertTrue(try SpatialReference.isSame(spec.crs, dem.grid.crs))
            let viaPROJ = try CellGeometry(spec: spec, dem: dem, needsLonLat: true)
            let affine = try CellGeometry(spec: spec, dem: dem, needsLonLat: true, lonLatUnused: true)
            XCTAssertTrue(affine.lon.isEmpty, "the affine route computes no WGS 84 positions")
            let a = affine.ground!, b = viaPROJ.ground!
            XCTAssertEqual(a.count, spec.cellCount)
            let differing = zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count
            var largest = 0.0
            for i in a.indices where !a[i].isNaN { largest = max(largest, abs(Double(a[i]) - Double(b[i]))) }
            print("ground at \(resolution) m: \(spec.cellCount) cells, \(differing) differ in bits, largest \(largest) m")
            XCTAssertEqual(differing, 0)
        }
    }

    /// The whole line-of-sight run on that terrain is unchanged: every layer's checksum equals the one taken
    /// with the PROJ route (the engine forced onto it, before issue 21's change).
    func testLineOfSightOnUTMTerrainUnchanged() throws {
        let (dem, t, s) = try Self.bigTujungaRun(model: "los", radiusKm: 5)
        let r = try CoverageEngine.run(study: s, transmitters: [t], dem: dem)
        XCTAssertEqual(CoverageChecksumTests.checksum(r), Self.losChecksum)
    }

    // MARK: the checked lattice (issue 21, scenario A's fixed costs)

    /// Source: PROJ itself (the exact route transforms every cell). Tolerance: the lattice's own, 1e-4 of a DEM
    /// pixel per axis (millimetres at 1″), which the lattice checks per block; the test measures every cell.
    /// Grids: scenario A's (40 × 40 km at 30 m in UTM 48N over the sample province) with a geographic 1″ DEM and
    /// with a DEM in VN-2000 / UTM 48N (a datum shift on the way); the Big Tujunga grid with its real UTM 11N DEM.
    func testLatticePositionsMatchPROJOnRealGrids() throws {
        let scenarioA = try GridSpec.utm(west: 107.117006, south: 10.769126, east: 107.482994, north: 11.130874, resolutionM: 30)
        let tujunga = try GridSpec.utm(west: -118.19, south: 34.29, east: -118.11, north: 34.35, resolutionM: 30)
        let cases: [(String, GridSpec, ElevationModel, latitude: Double)] = [
            ("scenario A, geographic 1″ DEM", scenarioA, try Self.syntheticDEM(crs: "EPSG:4326", over: scenarioA, pixel: 1.0 / 3600), 10.95),
            ("scenario A, VN-2000 UTM 48N DEM", scenarioA, try Self.syntheticDEM(crs: "EPSG:3405", over: scenarioA, pixel: 30), 10.95),
            (
                "Big Tujunga, real SRTM in UTM 11N", tujunga,
                try ElevationModel(path: try ReferenceData.require("terrain/bigtujunga_srtm1_utm11.tif").path), 34.32
            )
        ]
        for (name, spec, dem, latitude) in cases {
            let exact = try CellGeometry.$exactRoute.withValue(true) { try CellGeometry(spec: spec, dem: dem, needsLonLat: true) }
            let lattice = try CellGeometry(spec: spec, dem: dem, needsLonLat: true)
            let d = Self.largestDifference(lattice, exact)
            let metres = d.pixels * Self.pixelMetres(dem, latitude: latitude)
            print(
                "\(name): \(spec.cellCount) cells, largest |Δ| \(d.pixels) DEM pixels (about \(metres) m), ground \(d.groundM) m, "
                    + "lon/lat \(d.degrees)°")
            XCTAssertLessThanOrEqual(d.pixels, CellGeometry.tolerancePixels, name)
            XCTAssertLessThanOrEqual(d.degrees, CellGeometry.tolerancePixels * max(30 / 111_320, 1.0 / 3600), name)
            XCTAssertGreaterThan(d.pixels, 0, "\(name): the lattice interpolates (else this test compares PROJ with itself)")
        }
    }

    /// The radial ITM engine on real terrain (Big Tujunga, SRTM 1″ in UTM 11N, 8 × 7 km at 30 m, 20 km radius):
    /// received power with the lattice against the exact route, every cell. Tolerance 0.001 dB: the positions
    /// move by less than 1e-4 DEM pixel, so the ground under a cell moves by less than a millimetre.
    func testRadialITMWithLatticeEqualsExactRouteWithinRounding() throws {
        let (dem, t, s) = try Self.bigTujungaRun(model: "itm", radiusKm: 20)
        let exact = try CellGeometry.$exactRoute.withValue(true) { try CoverageEngine.run(study: s, transmitters: [t], dem: dem) }
        let lattice = try CoverageEngine.run(study: s, transmitters: [t], dem: dem)
        var largest: Float = 0, differing = 0, covered = 0
        for (a, b) in zip(lattice.bestSignalDBm, exact.bestSignalDBm) where a != CoverageResult.nodata || b != CoverageResult.nodata {
            covered += 1
            if a != b { differing += 1 }
            largest = max(largest, abs(a - b))
        }
        print("radial ITM: \(covered) cells with signal, \(differing) differ, largest |Δ| \(largest) dB")
        XCTAssertGreaterThan(covered, lattice.bestSignalDBm.count / 2)
        XCTAssertLessThanOrEqual(largest, 0.001)
    }

    /// The real terrain of Big Tujunga (SRTM 1″ in UTM 11N), one omnidirectional 30 m mast at 34.32 N 118.15 W,
    /// and a study of 8 × 7 km at 30 m with `model` and a radius of `radiusKm`.
    static func bigTujungaRun(model: String, radiusKm: Double) throws -> (ElevationModel, Transmitter, CoverageStudy) {
        let dem = try ElevationModel(path: try ReferenceData.require("terrain/bigtujunga_srtm1_utm11.tif").path)
        let t = Transmitter(
            id: "M", siteID: "M", operatorName: "Test", technology: .lte, latitude: 34.32, longitude: -118.15,
            antennaHeightM: 30, frequencyMHz: 900, bandwidthMHz: 10, eirpDBm: 60, azimuthDeg: nil)
        var s = CoverageStudy(west: -118.19, south: 34.29, east: -118.11, north: 34.35)
        s.resolutionM = 30; s.model = model; s.maxRadiusKm = radiusKm; s.floorDBm = -300
        return (dem, t, s)
    }

    /// A smooth synthetic DEM in `crs` covering `spec`'s area (with a margin), pixels of `pixel` CRS units.
    static func syntheticDEM(crs: String, over spec: GridSpec, pixel: Double) throws -> ElevationModel {
        let corners = [(0.0, 0.0), (Double(spec.width), 0), (0, Double(spec.height)), (Double(spec.width), Double(spec.height))]
        var xs = corners.map { spec.geoTransform.map(col: $0.0, row: $0.1).x }, ys = corners.map { spec.geoTransform.map(col: $0.0, row: $0.1).y }
        _ = try CoordinateTransform.transformConcurrently(from: spec.crs, to: "EPSG:4326", xs: &xs, ys: &ys)
        _ = try CoordinateTransform.transformConcurrently(from: "EPSG:4326", to: crs, xs: &xs, ys: &ys)
        let margin = 20 * pixel
        let west = xs.min()! - margin, north = ys.max()! + margin
        let width = Int(((xs.max()! + margin) - west) / pixel), height = Int((north - (ys.min()! - margin)) / pixel)
        var values = [Float](repeating: 0, count: width * height)
        for r in 0..<height { for c in 0..<width { values[r * width + c] = Float(200 + 150 * sin(Double(c) / 97) * cos(Double(r) / 61)) } }
        let gt = GeoTransform(originX: west, originY: north, pixelWidth: pixel, pixelHeight: pixel)
        return try ElevationModel(grid: RasterGrid(width: width, height: height, geoTransform: gt, crs: crs, nodata: nil, values: values))
    }

    /// Largest differences of two geometries: DEM pixel positions (pixels), ground (m), WGS 84 positions (°).
    static func largestDifference(_ a: CellGeometry, _ b: CellGeometry) -> (pixels: Double, groundM: Double, degrees: Double) {
        var pixels = 0.0, ground = 0.0, degrees = 0.0
        for i in a.demCol.indices {
            pixels = max(pixels, abs(a.demCol[i] - b.demCol[i]), abs(a.demRow[i] - b.demRow[i]))
            let ga = a.ground![i], gb = b.ground![i]
            if !ga.isNaN || !gb.isNaN { ground = max(ground, abs(Double(ga) - Double(gb))) }
        }
        for i in a.lon.indices { degrees = max(degrees, abs(a.lon[i] - b.lon[i]), abs(a.lat[i] - b.lat[i])) }
        return (pixels, ground, degrees)
    }

    /// A DEM pixel's size in metres (the larger side; geographic DEMs at `latitude`).
    static func pixelMetres(_ dem: ElevationModel, latitude: Double) -> Double {
        let c = dem.geoTransform.coefficients
        return dem.isGeographic ? abs(c[5]) * 110_574 : max(abs(c[1]), abs(c[5]))
    }

    static let losChecksum = "27eb52f7be236f38 0/0/0"
}

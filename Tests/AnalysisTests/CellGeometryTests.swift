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
        let dem = try ElevationModel(path: try ReferenceData.require("terrain/bigtujunga_srtm1_utm11.tif").path)
        let t = Transmitter(
            id: "M", siteID: "M", operatorName: "Test", technology: .lte, latitude: 34.32, longitude: -118.15,
            antennaHeightM: 30, frequencyMHz: 900, bandwidthMHz: 10, eirpDBm: 60, azimuthDeg: nil)
        var s = CoverageStudy(west: -118.19, south: 34.29, east: -118.11, north: 34.35)
        s.resolutionM = 30; s.model = "los"; s.maxRadiusKm = 5; s.floorDBm = -300
        let r = try CoverageEngine.run(study: s, transmitters: [t], dem: dem)
        XCTAssertEqual(CoverageChecksumTests.checksum(r), Self.losChecksum)
    }

    static let losChecksum = "27eb52f7be236f38 0/0/0"
}

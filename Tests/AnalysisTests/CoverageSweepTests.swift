import XCTest
import Foundation
import Geo
import Radio
import Records
import Terrain
import TestSupport
@testable import Analysis

/// The band sweep (issue 21): bands of a few rows, concatenated, equal the whole-grid run bit for bit, for a field
/// that keeps whole loss windows across bands (ITM, radial profiles) and for one that computes only the band's
/// rows (the Hata kernel). The bands are 7 rows high, so every sector's window crosses many band edges and the
/// last band is a partial one.
final class CoverageSweepTests: XCTestCase {
    /// Real SRTM 1″ terrain (Tests/Fixtures/terrain/bigtujunga_srtm1_utm11.tif, UTM 11N, San Gabriel Mountains).
    func bigTujunga() throws -> ElevationModel {
        try ElevationModel(path: try ReferenceData.require("terrain/bigtujunga_srtm1_utm11.tif").path)
    }

    /// Two sites of three sectors each, 4 km apart, and an omni of another operator: windows that overlap in part.
    func transmitters() -> [Transmitter] {
        var out: [Transmitter] = []
        for (site, lon) in [("A", -118.17), ("B", -118.13)] {
            for az in [0.0, 120, 240] {
                out.append(
                    Transmitter(
                        id: "\(site)-\(Int(az))", siteID: site, operatorName: "Viettel", technology: .lte, latitude: 34.32, longitude: lon,
                        antennaHeightM: 30, frequencyMHz: 900, bandwidthMHz: 10, eirpDBm: 60, azimuthDeg: az, mechanicalTiltDeg: 2,
                        electricalTiltDeg: 4))
            }
        }
        out.append(
            Transmitter(
                id: "C", siteID: "C", operatorName: "MobiFone", technology: .umts, latitude: 34.33, longitude: -118.15,
                antennaHeightM: 25, frequencyMHz: 2100, bandwidthMHz: 5, eirpDBm: 58, azimuthDeg: nil))
        return out
    }

    func study(_ model: String) -> CoverageStudy {
        var s = CoverageStudy(west: -118.19, south: 34.29, east: -118.11, north: 34.35)
        s.resolutionM = 120; s.model = model; s.maxRadiusKm = 3
        return s
    }

    func assertBandsEqualTheWholeRun(_ model: String) throws {
        let dem = try bigTujunga(), txs = transmitters()
        let plan = try study(model).validated()
        let whole = try CoverageEngine.run(validated: plan, transmitters: txs, dem: dem)
        var bands: [CoverageBand] = []
        let sweep = try CoverageEngine.sweep(validated: plan, transmitters: txs, dem: dem, bandRows: 7) { bands.append($0) }
        let spec = whole.spec
        XCTAssertEqual(sweep.spec, spec)
        XCTAssertEqual(bands.map(\.rowStart), Array(stride(from: 0, to: spec.height, by: 7)))
        XCTAssertNotEqual(spec.height % 7, 0, "the last band should be a partial one")
        XCTAssertEqual(bands.flatMap(\.best), whole.bestSignalDBm)
        XCTAssertEqual(bands.flatMap(\.server), whole.bestServer)
        XCTAssertEqual(bands.flatMap(\.count), whole.serverCount)
        for (i, k) in sweep.keys.enumerated() { XCTAssertEqual(bands.flatMap { $0.serviceLayer(i) }, whole.serviceDBm[k], "\(k)") }
        XCTAssertEqual(sweep.diagnostics, whole.diagnostics)
        // Every sector reaches cells, and its windows span several bands.
        let served = Set(whole.bestServer.filter { $0 >= 0 })
        print("\(model): grid \(spec.width)×\(spec.height), \(bands.count) bands of 7 rows, \(served.count) of \(txs.count) transmitters serve cells")
        XCTAssertEqual(served.count, txs.count)
    }

    func testBandsOfRadialITMEqualTheWholeGrid() throws { try assertBandsEqualTheWholeRun("itm") }

    func testBandsOfTheHataKernelEqualTheWholeGrid() throws { try assertBandsEqualTheWholeRun("hata") }
}

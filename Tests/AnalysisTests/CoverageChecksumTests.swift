import XCTest
import Foundation
import Geo
import Propagation
import Radio
import Records
import Terrain
@testable import Analysis

/// Pins small coverage runs of every strategy (Hata kernel, line of sight, radial with and without interpolation,
/// exact profiles; ITM, P.1812, P.452, P.1546, P.526) to checksums of their rasters, bit for bit, so that a
/// refactoring of the engine shows any change of a single cell. The checksums were taken on the engine before the
/// typed-study and one-pipeline refactoring (issue 16) and must not change with it. They hold on one platform
/// (x86-64 Linux, Swift 6.3): the kernels use libm, whose last bits may differ elsewhere.
final class CoverageChecksumTests: XCTestCase {
    /// FNV-1a over the bytes of every layer: best signal (Float bits), best server, server count, then each
    /// service layer in the sorted order of its key.
    static func checksum(_ r: CoverageResult) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        @inline(__always) func mix(_ v: UInt64, bytes: Int) {
            for b in 0..<bytes { h = (h ^ ((v >> (8 * UInt64(b))) & 0xff)) &* 0x100000001b3 }
        }
        for v in r.bestSignalDBm { mix(UInt64(v.bitPattern), bytes: 4) }
        for v in r.bestServer { mix(UInt64(UInt32(bitPattern: v)), bytes: 4) }
        for v in r.serverCount { mix(UInt64(v), bytes: 2) }
        for key in r.serviceDBm.keys.sorted() {
            for v in r.serviceDBm[key]! { mix(UInt64(v.bitPattern), bytes: 4) }
        }
        let d = r.diagnostics
        return String(h, radix: 16) + " \(d.cellsWithoutTerrain)/\(d.cellsRejectedByModel)/\(d.profilesComputed)"
    }

    func tx(
        _ id: String, op: String = "Viettel", tech: Technology = .lte, lon: Double = 107.0, lat: Double = 11.0,
        height: Double = 30, eirp: Double = 60, azimuth: Double? = nil, freq: Double = 900,
        mechTilt: Double = 0, elecTilt: Double = 0
    ) -> Transmitter {
        var t = Transmitter(
            id: id, siteID: "S-\(id)", operatorName: op, technology: tech, latitude: lat, longitude: lon,
            antennaHeightM: height, frequencyMHz: freq, bandwidthMHz: 10, eirpDBm: eirp, azimuthDeg: azimuth)
        t.mechanicalTiltDeg = mechTilt
        t.electricalTiltDeg = elecTilt
        return t
    }

    /// Hills and a valley on a geographic grid (0.0005°, ~55 m), with a nodata hole east of transmitter B.
    func syntheticDEM() throws -> ElevationModel {
        let n = 300
        var grid = RasterGrid(
            width: n, height: n, geoTransform: GeoTransform(originX: 106.925, originY: 11.075, pixelWidth: 0.0005, pixelHeight: 0.0005),
            crs: "EPSG:4326", nodata: -32768, fill: 0)
        for r in 0..<n {
            for c in 0..<n {
                let x = Double(c) / Double(n), y = Double(r) / Double(n)
                var hM = 60 + 45 * sin(9 * x + 1) * cos(7 * y) + 120 * exp(-((x - 0.62) * (x - 0.62) + (y - 0.4) * (y - 0.4)) * 40)
                if (200...215).contains(c) && (170...185).contains(r) { hM = -32768 }
                grid[c, r] = Float(hM)
            }
        }
        return try ElevationModel(grid: grid)
    }

    func study(_ model: String) -> CoverageStudy {
        var s = CoverageStudy(west: 106.96, south: 10.96, east: 107.04, north: 11.04)
        s.resolutionM = 250
        s.model = model
        s.maxRadiusKm = 4
        s.floorDBm = -160
        return s
    }

    /// Two sectors and an omni of two operators and technologies, one sector sharing the other's site.
    func transmitters() -> [Transmitter] {
        [
            tx("A1", azimuth: 30, mechTilt: 2, elecTilt: 4),
            tx("A2", azimuth: 200),
            tx("B", op: "MobiFone", tech: .nr, lon: 107.02, lat: 10.985, height: 25, eirp: 58, freq: 2100),
            tx("C", op: "MobiFone", tech: .gsm, lon: 106.975, lat: 11.02, height: 40, eirp: 55, freq: 950)
        ]
    }

    func run(_ s: CoverageStudy, dem: ElevationModel?, rxLoss: Bool = false) throws -> String {
        var loss: [Float]? = nil
        if rxLoss {
            let spec = try GridSpec.utm(west: s.west, south: s.south, east: s.east, north: s.north, resolutionM: s.resolutionM)
            loss = (0..<spec.cellCount).map { Float($0 % 7) * 0.75 }
        }
        return Self.checksum(try CoverageEngine.run(study: s, transmitters: transmitters(), dem: dem, receiverLossDB: loss))
    }

    /// A run whose cell positions come from the checked lattice (issue 21), which moves them by less than 1e-4 DEM
    /// pixel and so may change a cell's last bits: the exact route (PROJ on every cell) must still give `pinned`,
    /// the checksum taken before the lattice, and every layer of the two runs agree within 0.001 dB (the largest
    /// difference is printed). Returns the lattice run's checksum.
    func latticeRun(_ s: CoverageStudy, dem: ElevationModel?, exactRoute pinned: String) throws -> String {
        let exact = try CellGeometry.$exactRoute.withValue(true) { try CoverageEngine.run(study: s, transmitters: transmitters(), dem: dem) }
        let lattice = try CoverageEngine.run(study: s, transmitters: transmitters(), dem: dem)
        XCTAssertEqual(Self.checksum(exact), pinned, "the exact route gives the checksum pinned before the lattice")
        var largest: Float = 0
        let layers = [(lattice.bestSignalDBm, exact.bestSignalDBm)] + lattice.serviceDBm.keys.map { (lattice.serviceDBm[$0]!, exact.serviceDBm[$0]!) }
        for (a, b) in layers { for (x, y) in zip(a, b) { largest = max(largest, abs(x - y)) } }
        XCTAssertEqual(lattice.bestServer, exact.bestServer)
        XCTAssertEqual(lattice.serverCount, exact.serverCount)
        print("\(s.model): lattice against the exact route, largest |Δ| \(largest) dB")
        XCTAssertLessThanOrEqual(largest, 0.001)
        return Self.checksum(lattice)
    }

    func testHataKernelChecksums() throws {
        var s = study("hata")
        s.environment = "urban"
        s.thresholdsDBm["4G"] = -70
        XCTAssertEqual(try run(s, dem: nil), "a3403f617f1ac0c5 0/0/0")
        s.environment = "open"
        s.clutterLocationPct = 50
        XCTAssertEqual(try run(s, dem: nil, rxLoss: true), "82e8a5f04aa367c3 0/0/0")
        XCTAssertEqual(try run(s, dem: try syntheticDEM()), "47ac33e503755201 0/0/0")
    }

    func testLineOfSightChecksums() throws {
        var s = study("los")
        s.clutterLocationPct = 70
        XCTAssertEqual(try run(s, dem: try syntheticDEM(), rxLoss: true), "f041f1cd16a55ff1 0/0/0")
    }

    func testRadialChecksums() throws {
        let dem = try syntheticDEM()
        var s = study("itm")
        // ITM checksums re-pinned once, when ITM was brought to NTIA's C++ 1.2.2 on every path (issue 15): the
        // loss values moved (by up to 1.9 dB on the differential set), the cells computed did not.
        XCTAssertEqual(try run(s, dem: dem), "a0f2a1a6b181faf6 91/0/774")
        s.interpolateWithinDB = 0
        XCTAssertEqual(try run(s, dem: dem, rxLoss: true), "166b7d36d074639f 91/0/1850")
        s = study("p526")
        s.anchorSpacingCells = 2
        s.modelSettings = ["polarization": "vertical", "k_factor": "1.2"]
        XCTAssertEqual(try run(s, dem: dem), "f6e47eb1a07afce0 91/0/914")
        s = study("p452")
        s.maxRadiusKm = 2.5
        s.maxProfilePoints = 40
        XCTAssertEqual(try run(s, dem: dem), "348f08f1ac43124b 58/0/315")
    }

    func testExactChecksums() throws {
        let dem = try syntheticDEM()
        var s = study("itm")
        s.profiles = "exact"
        s.clutterLocationPct = 50
        XCTAssertEqual(try run(s, dem: dem), "4f9034994e0c0b9d 91/0/2642") // re-pinned with the ITM fixes (issue 15)
        s = study("p1812")
        s.profiles = "exact"
        s.maxRadiusKm = 2.5
        s.maxProfilePoints = 40
        XCTAssertEqual(try run(s, dem: dem), "b0bdab44da8db19d 58/0/1168")
        s = study("p1546")
        s.profiles = "exact"
        s.modelSettings = ["environment": "open", "path_type": "land"]
        XCTAssertEqual(try latticeRun(s, dem: dem, exactRoute: "a67adcdd16c3acbb 91/0/2642"), "9d061c92726f5d3b 91/0/2642")
        s = study("ehata")
        s.profiles = "exact"
        XCTAssertEqual(try latticeRun(s, dem: dem, exactRoute: "304ca54cf2426398 91/0/2642"), "f0d3d927d9429a34 91/0/2642")
        s = study("cost231")
        XCTAssertEqual(try run(s, dem: nil), "8511dba8eeff6538 0/0/2733")
    }
}

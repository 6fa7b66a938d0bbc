import XCTest
import Foundation
@testable import Geo

/// The checked lattice against PROJ on every cell, where it holds and where it must not be trusted. Source: PROJ
/// (the same transform applied to every cell centre). Tolerance: the lattice's own, per output axis; every cell is
/// compared, and the largest difference is printed.
final class LatticeTransformTests: XCTestCase {
    /// Every cell of `grid` through the lattice and through PROJ: the largest differences (x, y), the lattice's
    /// report, and whether NaN stands at the same cells in both.
    private func compare(
        _ crs: String, to target: String, origin: (x: Double, y: Double), cell: Double, size: Int, step: Int, tolerance: Double
    ) throws -> (largest: (x: Double, y: Double), report: LatticeTransform.Report, sameNaN: Bool) {
        let gt = GeoTransform(originX: origin.x, originY: origin.y, pixelWidth: cell, pixelHeight: cell)
        let t = try CoordinateTransform(from: crs, to: target)
        let lattice = LatticeTransform.cellCentres(
            geoTransform: gt, width: size, height: size, step: step, tolerance: (tolerance, tolerance)
        ) { xs, ys in t.transform(xs: &xs, ys: &ys) }
        var xs = [Double](), ys = [Double]()
        for r in 0..<size {
            for c in 0..<size { let p = gt.map(col: Double(c) + 0.5, row: Double(r) + 0.5); xs.append(p.x); ys.append(p.y) }
        }
        t.transform(xs: &xs, ys: &ys)
        var largest = (x: 0.0, y: 0.0), sameNaN = true
        for i in xs.indices {
            if xs[i].isNaN || lattice.xs[i].isNaN { sameNaN = sameNaN && xs[i].isNaN == lattice.xs[i].isNaN; continue }
            largest.x = max(largest.x, abs(xs[i] - lattice.xs[i])); largest.y = max(largest.y, abs(ys[i] - lattice.ys[i]))
        }
        let r = lattice.report
        print(
            "\(crs) → \(target): \(size * size) cells, \(r.latticePoints) lattice points, \(r.exactBlocks) of \(r.blocks) blocks exact (\(r.exactPoints) cells), "
                + "largest |Δ| \(largest.x), \(largest.y) (tolerance \(tolerance)), largest check error \(r.largestCheckError)")
        return (largest, r, sameNaN)
    }

    /// A smooth transform (UTM 48N → WGS 84 over 60 km at 30 m): every block interpolated, every cell within the
    /// tolerance (1e-4 of a 1″ pixel, in degrees), and PROJ asked for under 2 % of the cells.
    func testSmoothTransformInterpolatesEveryBlock() throws {
        let tol = 1e-4 / 3600
        let c = try compare("EPSG:32648", to: "EPSG:4326", origin: (680_000, 1_230_000), cell: 30, size: 2000, step: 16, tolerance: tol)
        XCTAssertEqual(c.report.exactBlocks, 0)
        XCTAssertLessThanOrEqual(c.largest.x, tol); XCTAssertLessThanOrEqual(c.largest.y, tol)
        XCTAssertGreaterThan(c.largest.x, 0, "interpolated, not copied")
        XCTAssertLessThan(Double(c.report.latticePoints + c.report.exactPoints), 0.02 * 2000 * 2000)
    }

    /// A grid in UTM 60N at 10° N that crosses the antimeridian (longitude jumps from +180 to −180): the blocks
    /// across the jump fail their checks and are transformed exactly, the others are interpolated; every cell
    /// equals PROJ within the tolerance (1e-4 of a 1″ pixel).
    func testAntimeridianBlocksFallBackToPROJ() throws {
        let tol = 1e-4 / 3600
        let c = try compare("EPSG:32660", to: "EPSG:4326", origin: (810_000, 1_110_000), cell: 30, size: 1000, step: 16, tolerance: tol)
        XCTAssertGreaterThan(c.report.exactBlocks, 0)
        XCTAssertLessThan(c.report.exactBlocks, c.report.blocks / 4, "only the blocks across the jump")
        XCTAssertLessThanOrEqual(c.largest.x, tol); XCTAssertLessThanOrEqual(c.largest.y, tol)
    }

    /// A polar stereographic grid around the North Pole (longitude is singular there, and within 20 km of the pole
    /// it turns faster than any block can follow): the blocks are transformed exactly; every cell equals PROJ.
    func testPoleBlocksFallBackToPROJ() throws {
        let tol = 1e-4 / 3600
        let c = try compare("EPSG:3413", to: "EPSG:4326", origin: (-20_000, 20_000), cell: 50, size: 800, step: 16, tolerance: tol)
        XCTAssertGreaterThan(c.report.exactBlocks, 0)
        XCTAssertLessThanOrEqual(c.largest.x, tol); XCTAssertLessThanOrEqual(c.largest.y, tol)
    }

    /// The inverse orthographic projection has no solution outside its disc and an infinite derivative at its
    /// rim: cells outside stay NaN as with PROJ, the blocks at the rim are exact, the others interpolated within
    /// the tolerance (1e-4°, about 11 m on 1.5 km cells with a lattice of every 4th cell).
    func testNonSmoothInverseFallsBackAtTheRim() throws {
        let tol = 1e-4
        let c = try compare(
            "+proj=ortho +lat_0=0 +lon_0=0 +ellps=WGS84", to: "EPSG:4326", origin: (5_000_000, 1_000_000), cell: 1500, size: 1000, step: 4,
            tolerance: tol)
        XCTAssertTrue(c.sameNaN, "NaN at the same cells as PROJ")
        XCTAssertGreaterThan(c.report.exactBlocks, 0)
        XCTAssertLessThan(c.report.exactBlocks, c.report.blocks, "the blocks inside the disc are interpolated")
        XCTAssertLessThanOrEqual(c.largest.x, tol); XCTAssertLessThanOrEqual(c.largest.y, tol)
    }

    /// The interpolation spread over threads (one row of blocks per call, rows taken in any order) gives the same
    /// bits as on one thread, on a grid whose blocks are partly exact (the antimeridian) and whose last row and
    /// column of blocks are narrower than the step.
    func testBlockRowsOnThreadsGiveTheSameBits() throws {
        let gt = GeoTransform(originX: 810_000, originY: 1_110_000, pixelWidth: 30, pixelHeight: 30)
        let t = try CoordinateTransform(from: "EPSG:32660", to: "EPSG:4326")
        let tol = (1e-4 / 3600, 1e-4 / 3600)
        let serial = LatticeTransform.cellCentres(geoTransform: gt, width: 997, height: 1003, step: 16, tolerance: tol) { xs, ys in
            t.transform(xs: &xs, ys: &ys)
        }
        let threaded = LatticeTransform.cellCentres(
            geoTransform: gt, width: 997, height: 1003, step: 16, tolerance: tol,
            perform: { n, body in
                withoutActuallyEscaping(body) { b in
                    let work = ThreadedBody(b)
                    DispatchQueue.concurrentPerform(iterations: n) { work.body(n - 1 - $0) }
                }
            }
        ) { xs, ys in t.transform(xs: &xs, ys: &ys) }
        XCTAssertGreaterThan(serial.report.exactBlocks, 0)
        XCTAssertEqual(serial.xs.count, 997 * 1003)
        XCTAssertEqual(serial.xs.map(\.bitPattern), threaded.xs.map(\.bitPattern))
        XCTAssertEqual(serial.ys.map(\.bitPattern), threaded.ys.map(\.bitPattern))
        XCTAssertFalse(serial.xs.contains { $0.isNaN }, "every cell written")
        // A grid of one row, and one of no cells.
        let row = LatticeTransform.cellCentres(geoTransform: gt, width: 50, height: 1, step: 16, tolerance: tol) { xs, ys in
            t.transform(xs: &xs, ys: &ys)
        }
        XCTAssertEqual(row.xs.count, 50)
        var xs = (0..<50).map { gt.map(col: Double($0) + 0.5, row: 0.5).x }, ys = (0..<50).map { _ in gt.map(col: 0.5, row: 0.5).y }
        t.transform(xs: &xs, ys: &ys)
        XCTAssertEqual(row.xs.map(\.bitPattern), xs.map(\.bitPattern), "a single row has no block to interpolate: PROJ's values")
        XCTAssertEqual(row.ys.map(\.bitPattern), ys.map(\.bitPattern))
        XCTAssertEqual(LatticeTransform.cellCentres(geoTransform: gt, width: 0, height: 3, step: 16, tolerance: tol) { _, _ in }.xs.count, 0)
    }
}

/// A block row's work, handed to Dispatch's threads (the rows write disjoint cells).
private struct ThreadedBody: @unchecked Sendable {
    let body: (Int) -> Void
    init(_ body: @escaping (Int) -> Void) { self.body = body }
}

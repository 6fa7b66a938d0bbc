import CGDAL
import Foundation
import Synchronization
import XCTest

@testable import Geo

/// `VectorWriter.FeaturePipeline`: features made on one thread and written on another, in row order, each feature
/// destroyed once whatever fails, and a failure on either side stopping both.
final class FeaturePipelineTests: XCTestCase {
    typealias Pipeline = VectorWriter.FeaturePipeline

    /// A feature definition with one integer field; its reference count tells how many features still hold it.
    final class Definition: @unchecked Sendable {
        let raw: OGRFeatureDefnH
        init() {
            GDALEnvironment.ensure()
            raw = OGR_FD_Create("rows")
            OGR_FD_Reference(raw)
            let field = OGR_Fld_Create("row", OFTInteger64)
            OGR_FD_AddFieldDefn(raw, field)
            OGR_Fld_Destroy(field)
        }
        deinit { OGR_FD_Release(raw) }
        /// Features alive (each holds one reference; this object holds one).
        var liveFeatures: Int { Int(OGR_FD_GetReferenceCount(raw)) - 1 }

        /// Row `row`'s feature: its id and field the row, its box at x = row.
        func make(_ row: Int) -> (feature: OGRFeatureH, box: GeoPackageRTree.Box?) {
            let f = OGR_F_Create(raw)!
            OGR_F_SetFID(f, GIntBig(row))
            OGR_F_SetFieldInteger64(f, 0, GIntBig(row))
            let box = row % 3 == 0 ? nil : GeoPackageRTree.Box(id: 0, minX: Double(row), maxX: Double(row), minY: 0, maxY: 1)
            return (f, box)
        }
    }

    struct Failure: Error, Equatable { let side: String; let row: Int }

    final class Counter: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    /// 10,000 rows (not a multiple of the batch): every row written once, in order, with the feature and box made for it.
    func testRowsAreWrittenInOrderEachWithTheFeatureMadeForIt() throws {
        let defn = Definition()
        let count = 10_000
        XCTAssertNotEqual(count % Pipeline.batchRows, 0)
        var next = 0
        let write: (OGRFeatureH, GeoPackageRTree.Box?, Int) throws -> Void = { f, box, row in
            XCTAssertEqual(row, next)
            XCTAssertEqual(Int(OGR_F_GetFID(f)), row)
            XCTAssertEqual(Int(OGR_F_GetFieldAsInteger64(f, 0)), row)
            let expected: Double? = row % 3 == 0 ? nil : Double(row)
            XCTAssertEqual(box.map { Double($0.minX) }, expected)
            next += 1
        }
        try Pipeline.run(count: count, prepare: { defn.make($0) }, write: write)
        XCTAssertEqual(next, count)
        XCTAssertEqual(defn.liveFeatures, 0, "every feature made is destroyed")
    }

    /// The maker fails at row 3,000: its error is thrown, the rows before it are written in order, none after.
    func testAMakersFailureStopsTheWriterAndIsThrown() {
        let defn = Definition()
        var written: [Int] = []
        let prepare: @Sendable (Int) throws -> (feature: OGRFeatureH, box: GeoPackageRTree.Box?) = { row in
            if row == 3_000 { throw Failure(side: "maker", row: row) }
            return defn.make(row)
        }
        let write: (OGRFeatureH, GeoPackageRTree.Box?, Int) throws -> Void = { _, _, row in written.append(row) }
        XCTAssertThrowsError(try Pipeline.run(count: 10_000, prepare: prepare, write: write)) { e in
            XCTAssertEqual(e as? Failure, Failure(side: "maker", row: 3_000))
        }
        XCTAssertEqual(written, Array(0..<written.count), "in order, from the first row")
        XCTAssertLessThan(written.count, 3_000)
        XCTAssertEqual(defn.liveFeatures, 0, "the features made before the failure are destroyed")
    }

    /// The writer fails at row 1,500: its error is thrown, the maker stops within the slots it had filled ahead,
    /// and no feature is left.
    func testAWritersFailureStopsTheMakerAndIsThrown() {
        let defn = Definition()
        let made = Counter()
        let prepare: @Sendable (Int) throws -> (feature: OGRFeatureH, box: GeoPackageRTree.Box?) = { row in
            made.add()
            return defn.make(row)
        }
        let write: (OGRFeatureH, GeoPackageRTree.Box?, Int) throws -> Void = { _, _, row in
            if row == 1_500 { throw Failure(side: "writer", row: row) }
        }
        XCTAssertThrowsError(try Pipeline.run(count: 100_000, prepare: prepare, write: write)) { e in
            XCTAssertEqual(e as? Failure, Failure(side: "writer", row: 1_500))
        }
        XCTAssertLessThanOrEqual(made.value, 1_500 + (Pipeline.slots + 1) * Pipeline.batchRows)
        XCTAssertEqual(defn.liveFeatures, 0)
    }

    /// A layer large enough for the pipeline reads back row for row as it was given.
    func testALargeLayerReadsBackInOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let count = Pipeline.fewestRows + 1_234
        var layer = LayerData(name: "points", fields: [("name", .string), ("n", .integer)], geometryType: .point)
        for k in 0..<count {
            layer.append(k % 97 == 5 ? nil : .point(Coordinate(102 + Double(k) * 1e-4, 10 + Double(k % 100) * 1e-3)), [.string("p\(k)"), .integer(k)])
        }
        for ext in ["gpkg", "geojson"] {
            let path = dir.appendingPathComponent("points.\(ext)").path
            try VectorWriter.write([layer], to: path)
            let back = try VectorReader.read(path)
            XCTAssertEqual(back.features.count, count, ext)
            for (k, f) in back.features.enumerated() {
                XCTAssertEqual(f.attributes["name"], "p\(k)", ext)
                XCTAssertEqual(f.attributes["n"], "\(k)", ext)
                if k % 97 == 5 {
                    XCTAssertNil(f.geometry, ext)
                } else if case .point(let c)? = f.geometry {
                    XCTAssertEqual(c.x, 102 + Double(k) * 1e-4, accuracy: 1e-12, ext)
                } else {
                    XCTFail("\(ext): row \(k) has no point")
                }
            }
        }
    }

    /// `Handover` on its own: no batch at all, a number of batches that is a multiple of the slots and one that is
    /// not; each batch used once, in order, with what was made for it.
    func testHandoverUsesEveryBatchOnceInOrderAndEnds() throws {
        final class Slot: @unchecked Sendable { var value = -1 }
        for batches in [0, 8, 11] {
            var used: [Int] = []
            try Handover.run(
                slots: (0..<4).map { _ in Slot() },
                make: { slot, k in
                    guard k < batches else { return false }
                    slot.value = k * k
                    return true
                },
                use: { slot, k in
                    XCTAssertEqual(slot.value, k * k)
                    used.append(k)
                })
            XCTAssertEqual(used, Array(0..<batches), "\(batches) batches")
        }
    }
}

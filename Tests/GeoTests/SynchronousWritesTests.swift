import CGDAL
import Foundation
import XCTest
@testable import Geo

/// `GDALEnvironment.withoutSynchronousWrites`: products' GeoPackages are written with SQLite's synchronous writes
/// off on the writing thread only, and the setting is put back afterwards, so that the shared register (the store)
/// keeps SQLite's default durability.
final class SynchronousWritesTests: XCTestCase {
    static func current() -> String? { CPLGetConfigOption("OGR_SQLITE_SYNCHRONOUS", nil).map { String(cString: $0) } }

    func testOffInsideOnlyAndPreviousValueRestored() throws {
        GDALEnvironment.ensure()
        XCTAssertNil(Self.current())
        GDALEnvironment.withoutSynchronousWrites { XCTAssertEqual(Self.current(), "OFF") }
        XCTAssertNil(Self.current())
        CPLSetThreadLocalConfigOption("OGR_SQLITE_SYNCHRONOUS", "FULL")
        defer { CPLSetThreadLocalConfigOption("OGR_SQLITE_SYNCHRONOUS", nil) }
        struct Failure: Error {}
        XCTAssertThrowsError(try GDALEnvironment.withoutSynchronousWrites { throw Failure() })
        XCTAssertEqual(Self.current(), "FULL")
        // Another thread does not see this thread's setting.
        let seen = Background { SynchronousWritesTests.current() }
        GDALEnvironment.withoutSynchronousWrites { XCTAssertNil(try? seen.value()) }
    }

    func testGeoPackageWrittenWithoutSynchronousWritesReadsBack() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-sync-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        var layer = LayerData(name: "points", fields: [("n", .integer)], geometryType: .point)
        for k in 0..<10 { layer.append(.point(Coordinate(105 + Double(k) / 10, 21)), [.integer(k)]) }
        let path = dir.appendingPathComponent("p.gpkg").path
        try VectorWriter.write([layer], to: path)
        let read = try VectorReader.read(path)
        XCTAssertEqual(read.features.count, 10)
        XCTAssertEqual(read.features.map { $0.attributes["n"] }, (0..<10).map { String($0) })
        XCTAssertNil(Self.current())
    }
}

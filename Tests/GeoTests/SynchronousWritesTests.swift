import CGDAL
import Foundation
import XCTest
@testable import Geo

/// `GDALEnvironment.withProductWriteSettings`: products' GeoPackages are written with SQLite's synchronous writes
/// off on the writing thread only, and the setting is put back afterwards, so that the shared register (the store)
/// keeps SQLite's default durability.
final class SynchronousWritesTests: XCTestCase {
    static func current() -> String? { CPLGetConfigOption("OGR_SQLITE_SYNCHRONOUS", nil).map { String(cString: $0) } }
    static func pragmas() -> String? { CPLGetConfigOption("OGR_SQLITE_PRAGMA", nil).map { String(cString: $0) } }

    func testOffInsideOnlyAndPreviousValueRestored() throws {
        GDALEnvironment.ensure()
        XCTAssertNil(Self.current())
        GDALEnvironment.withProductWriteSettings {
            XCTAssertEqual(Self.current(), "OFF")
            XCTAssertEqual(Self.pragmas(), "page_size=65536")
        }
        XCTAssertNil(Self.current())
        XCTAssertNil(Self.pragmas())
        // A user's own pragmas come after the page size (and so win over it).
        CPLSetConfigOption("OGR_SQLITE_PRAGMA", "cache_size=-8000")
        GDALEnvironment.withProductWriteSettings { XCTAssertEqual(Self.pragmas(), "page_size=65536,cache_size=-8000") }
        XCTAssertEqual(Self.pragmas(), "cache_size=-8000")
        CPLSetConfigOption("OGR_SQLITE_PRAGMA", nil)
        CPLSetThreadLocalConfigOption("OGR_SQLITE_SYNCHRONOUS", "FULL")
        defer { CPLSetThreadLocalConfigOption("OGR_SQLITE_SYNCHRONOUS", nil) }
        struct Failure: Error {}
        XCTAssertThrowsError(try GDALEnvironment.withProductWriteSettings { throw Failure() })
        XCTAssertEqual(Self.current(), "FULL")
        // Another thread does not see this thread's setting.
        let seen = Background { SynchronousWritesTests.current() }
        GDALEnvironment.withProductWriteSettings { XCTAssertNil(try? seen.value()) }
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
        let db = try SQLDatabase(source: path)
        defer { try? db.close() }
        XCTAssertEqual(try db.query("PRAGMA page_size").features.first?.attributes.values.first, "65536", "64 KiB pages")
        XCTAssertEqual(try db.query("PRAGMA integrity_check").features.first?.attributes.values.first, "ok")
    }
}

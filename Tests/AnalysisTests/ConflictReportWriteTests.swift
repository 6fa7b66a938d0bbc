import XCTest
import Foundation
import Geo
import Radio
import Records
import TestSupport
@testable import Analysis

/// conflicts.csv formatted in chunks on several threads (and beside the GeoPackage) against the one-string
/// formatting it replaced: `CSV.format` of every conflict's fields.
final class ConflictReportWriteTests: XCTestCase {
    /// 10,000 conflicts (three chunks and a part) of every kind, with optional values missing, explanations that
    /// need quoting, and out-of-plan points without an interferer.
    static func conflicts(withStatus: Bool = false) -> [Conflict] {
        SyntheticConflicts.make(count: 10_000, seed: 21, area: (105, 21, 1, 1), withStatus: withStatus)
    }

    static func reference(_ conflicts: [Conflict]) -> String {
        let withStatus = conflicts.contains { $0.status != nil }
        return CSV.format(
            header: ConflictReport.columns + (withStatus ? ["status"] : []),
            rows: conflicts.map { ConflictReport.fields($0) + (withStatus ? [$0.status ?? ""] : []) })
    }

    func testChunkedCSVEqualsOneStringFormatting() {
        for withStatus in [false, true] {
            let c = Self.conflicts(withStatus: withStatus)
            let expected = Self.reference(c)
            XCTAssertEqual(ConflictReport.csv(c), expected)
            let saved = Parallel.threads
            Parallel.threads = 1
            XCTAssertEqual(ConflictReport.csv(c), expected)
            Parallel.threads = 3
            XCTAssertEqual(ConflictReport.csv(c), expected)
            Parallel.threads = saved
        }
        XCTAssertEqual(ConflictReport.csv([]), ConflictReport.columns.joined(separator: ",") + "\n")
    }

    func testWrittenCSVAndGeoPackageHoldEveryConflict() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-conflict-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = Self.conflicts()
        let paths = try ConflictReport.write(c, to: dir.path)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: paths.csv)), Data(Self.reference(c).utf8))
        let lines = try VectorReader.read(paths.gpkg, layer: "conflicts")
        let points = try VectorReader.read(paths.gpkg, layer: "out_of_plan")
        XCTAssertEqual(lines.features.count, c.filter { $0.bPosition != nil }.count)
        XCTAssertEqual(points.features.count, c.filter { $0.bPosition == nil }.count)
        XCTAssertEqual(lines.features.map { $0.attributes["a_id"] }, c.filter { $0.bPosition != nil }.map(\.aID))
    }
}

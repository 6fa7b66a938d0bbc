import XCTest
import Foundation
import Geo
import Radio
import Records
@testable import Analysis

/// conflicts.csv formatted in chunks on several threads (and beside the GeoPackage) against the one-string
/// formatting it replaced: `CSV.format` of every conflict's fields.
final class ConflictReportWriteTests: XCTestCase {
    /// 10,000 conflicts (three chunks and a part) of every kind, with optional values missing, explanations that
    /// need quoting, and out-of-plan points without an interferer.
    static func conflicts(withStatus: Bool = false) -> [Conflict] {
        var g = SplitMix64(seed: 21)
        func r(_ lo: Double, _ hi: Double) -> Double { Double.random(in: lo..<hi, using: &g) }
        return (0..<10_000).map { i in
            let kind = ConflictKind.allCases[i % ConflictKind.allCases.count]
            let point = kind == .outOfPlan
            return Conflict(
                kind: kind, aID: "A\(i)", bID: point ? nil : "B\(i % 977)", cID: i % 13 == 0 ? "C1;C2" : nil,
                frequencyOffsetKHz: i % 5 == 0 ? nil : r(-500, 500), overlapKHz: r(0, 200), distanceKm: r(0.1, 300),
                interferenceDBm: r(-160, -30), cOverIDB: i % 7 == 0 ? .nan : r(-60, 60), requiredDB: r(-40, 30),
                marginDB: r(-90, -0.001), severity: Severity.allCases[i % 4],
                explanation: i % 3 == 0 ? "FM \"A\", \(i) kHz off\nsecond line" : "co-channel at \(i) m",
                aPosition: (105 + r(0, 1), 21 + r(0, 1)), bPosition: point ? nil : (105 + r(0, 1), 21 + r(0, 1)),
                status: withStatus ? ["new", "unchanged", "resolved"][i % 3] : nil)
        }
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

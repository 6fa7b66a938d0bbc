// Runs recorded in the register: the conflicts of `tanso conflicts` become findings with validity periods, and
// `tanso store diff` lists those new or resolved between two dates.
import Analysis
import Foundation
import Records
import Store
import XCTest

final class StoreFindingsTests: XCTestCase {
    func findings(_ conflicts: [Conflict]) -> [StoreFinding] {
        conflicts.map {
            StoreFinding(
                kind: $0.kind.rawValue, subject: [$0.aID, $0.bID, $0.cID].compactMap { $0 }.joined(separator: " / "), operatorName: nil,
                severity: $0.severity.rawValue, detail: $0.explanation)
        }
    }

    func testResolvedConflictsAreReportedBetweenTwoDates() throws {
        let db = try scratchFolder("findings").appendingPathComponent("register.gpkg").path
        let store = try Store(db, create: true)
        try store.initialize()
        try PlantedChanges.apply(to: store)
        let screening = ConflictScreening(settings: ConflictSettings(), terrain: nil)
        let january = screening.run(try store.assignments(at: "2026-01-20T00:00:00Z")).0
        let first = try store.recordRun(kind: "conflicts", command: ["tanso", "conflicts"], findings: findings(january), at: "2026-01-20T00:00:00Z")
        XCTAssertEqual(first.new, 7)
        XCTAssertEqual(first.resolved, 0)
        // April: FM-02 moves to 105.5 MHz, the repeated PMR-05 is withdrawn.
        var rows = try store.assignments().map(StoreRecords.row).filter { $0["id"] != "PMR-05" }
        let k = try XCTUnwrap(rows.firstIndex { $0["id"] == "FM-02" })
        rows[k]["tx_frequency_mhz"] = "105.5"
        _ = try store.importRows(.assignments, rows: rows, asOf: "2026-04-01T00:00:00Z")
        let april = screening.run(try store.assignments()).0
        let second = try store.recordRun(kind: "conflicts", command: ["tanso", "conflicts"], findings: findings(april), at: "2026-04-02T00:00:00Z")
        XCTAssertEqual(second.new, 0)
        XCTAssertEqual(second.resolved, 2)
        XCTAssertEqual(
            try store.resultChanges(from: "2026-01-25T00:00:00Z", to: "2026-04-05T00:00:00Z").map(\.description),
            ["findings co_channel FM-02 / FM-01 resolved", "findings duplicate PMR-04 / PMR-05 resolved"])
        // Before the first run nothing was open: all seven are new (with issue 20's planted FM-40 breach).
        XCTAssertEqual(try store.resultChanges(from: "2026-01-01T00:00:00Z", to: "2026-01-25T00:00:00Z").filter { $0.kind == .new }.count, 7)
        // The register side of the same period: exactly the planted changes and April's two.
        XCTAssertEqual(
            try store.diff(from: "2026-03-15T00:00:00Z", to: "2026-04-05T00:00:00Z").map(\.description),
            ["assignments FM-02 tx_frequency_mhz: 98.5 → 105.5", "assignments PMR-05 removed"])
    }

    func testConflictsRecordFromTheCommandLine() throws {
        let dir = try scratchFolder("record")
        let db = dir.appendingPathComponent("register.gpkg").path
        XCTAssertEqual(try runTanso(["store", "init", "--db", db]).code, 0)
        XCTAssertEqual(try runTanso(["store", "import", "--db", db, "--assignments", "data/assignments.csv", "--as-of", "2026-01-01"]).code, 0)
        let r = try runTanso(["conflicts", "--db", db, "--record", "--output", dir.appendingPathComponent("c").path])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("recorded in \(db): 7 new, 0 resolved, 0 still open"), r.out)
        let again = try runTanso(["conflicts", "--db", db, "--record", "--output", dir.appendingPathComponent("c2").path])
        XCTAssertTrue(again.out.contains("0 new, 0 resolved, 7 still open"), again.out)
        XCTAssertEqual(try Store(db).query("SELECT count(*) AS n FROM findings WHERE valid_to IS NULL").first?["n"], "7")
        XCTAssertEqual(try Store(db).query("SELECT count(*) AS n FROM runs").first?["n"], "2")
        let usage = try runTanso(["conflicts", "--assignments", "data/assignments.csv", "--record", "--output", dir.appendingPathComponent("c3").path])
        XCTAssertEqual(usage.code, 2)
    }

    /// The expected published figures, from a coverage run's villages.csv: communes, population, covered population.
    static func communeTotals(_ villagesCSV: URL) throws -> (communes: Int, population: Int, covered: Int) {
        var rows = CSV.parse(try String(contentsOf: villagesCSV, encoding: .utf8))
        let header = rows.removeFirst()
        let d = try XCTUnwrap(header.firstIndex(of: "district")), c = try XCTUnwrap(header.firstIndex(of: "commune"))
        let p = try XCTUnwrap(header.firstIndex(of: "population")), k = try XCTUnwrap(header.firstIndex(of: "covered_4g_5g"))
        let communes = Set(rows.map { $0[d] + "/" + $0[c] }).count
        let population = rows.map { Int($0[p])! }.reduce(0, +)
        let covered = rows.filter { $0[k] == "1" }.map { Int($0[p])! }.reduce(0, +)
        return (communes, population, covered)
    }

    func testCoverageRecordPublishesEachCommunesFigures() throws {
        let dir = try scratchFolder("coverage-record")
        let db = dir.appendingPathComponent("register.gpkg").path
        XCTAssertEqual(try runTanso(["store", "init", "--db", db]).code, 0)
        XCTAssertEqual(
            try runTanso(["store", "import", "--db", db, "--transmitters", "data/transmitters.csv", "--villages", "data/villages.csv"]).code, 0)
        let r = try runTanso([
            "coverage", "--db", db, "--area", "106.80,10.90,106.90,11.00", "--model", "hata", "--resolution-m", "500", "--products", "villages",
            "--record", "--output", dir.appendingPathComponent("cov").path
        ])
        XCTAssertEqual(r.code, 0, r.err)
        let expected = try Self.communeTotals(dir.appendingPathComponent("cov/villages.csv"))
        XCTAssertGreaterThan(expected.covered, 0)
        XCTAssertLessThan(expected.covered, expected.population)
        let got = try XCTUnwrap(
            try Store(db).query("SELECT count(*) AS n, sum(population) AS p, sum(covered_population) AS c FROM published_coverage").first)
        XCTAssertEqual(got["n"], "\(expected.communes)")
        XCTAssertEqual(got["p"], "\(expected.population)")
        XCTAssertEqual(got["c"], "\(expected.covered)")
        // The best-signal raster is kept beside the register, by a path relative to it (no absolute path).
        XCTAssertEqual(try Store(db).rasters().first?.name, "best_signal_dbm.tif")
        XCTAssertTrue(try XCTUnwrap(try Store(db).rasters().first?.path).hasPrefix("register.rasters/coverage-"))
    }
}

// tanso store on a GeoPackage file: schema, non-destructive history, export read back by the loaders, the diff of
// a planted change set, row-level errors on import, and --db in place of record files.
import Foundation
import Geo
import Records
import Store
import TestSupport
import XCTest

final class StoreGeoPackageTests: XCTestCase {
    func makeStore(_ name: String) throws -> (Store, String) {
        let path = try scratchFolder(name).appendingPathComponent("register.gpkg").path
        let store = try Store(path, create: true)
        try store.initialize()
        return (store, path)
    }

    func testDiffReportsThePlantedChangeSetExactly() throws {
        let (store, _) = try makeStore("diff")
        try PlantedChanges.apply(to: store)
        try PlantedChanges.checkDiffs(store)
    }

    func testHistoryIsNeverDestructive() throws {
        let (store, path) = try makeStore("history")
        try PlantedChanges.apply(to: store)
        let versions = try store.history(.assignments).filter { $0["id"] == "A-VT-S001-4G-1" }
        XCTAssertEqual(versions.map { $0["eirp_dbm"] }, ["61.0", "58.0"])
        XCTAssertEqual(versions.map { $0["valid_from"] }, ["2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"])
        XCTAssertEqual(versions.map { $0["valid_to"] }, ["2026-02-01T00:00:00Z", nil])
        // The removed assignment is still there, closed.
        let removed = try store.history(.assignments).filter { $0["id"] == "A-MBF-S001-4G-2" }
        XCTAssertEqual(removed.count, 1)
        XCTAssertEqual(removed.first?["valid_to"], "2026-02-01T00:00:00Z")
        // The register as it was in January is the sample data, record for record.
        var report = LoadReport()
        let january = try store.assignments(at: "2026-01-15T00:00:00Z")
        let original = try AssignmentLoader.load(PlantedChanges.data("assignments.csv"), report: &report)
        XCTAssertEqual(january.map(StoreRecords.row), original.map(StoreRecords.row))
        // A second init is refused and changes nothing.
        XCTAssertThrowsError(try store.initialize())
        try store.close()
        XCTAssertEqual(try Store(path).history(.assignments).count, original.count + 2)
    }

    func testExportIsReadBackByTheLoadersAsTheOriginalRecords() throws {
        let dir = try scratchFolder("export")
        let (db, imported) = try importedRegister(dir)
        XCTAssertTrue(imported.contains("assignments: 591 added, 0 changed, 0 closed, 0 unchanged"), imported)
        // The same files again change nothing.
        let again = try runTanso(["store", "import", "--db", db, "--assignments", "data/assignments.csv", "--as-of", "2026-02-01"])
        XCTAssertTrue(again.out.contains("assignments: 0 added, 0 changed, 0 closed, 591 unchanged"), again.out + again.err)
        let out = dir.appendingPathComponent("export").path
        let exp = try runTanso(["store", "export", "--db", db, "--output", out])
        XCTAssertEqual(exp.code, 0, exp.err)
        var r = LoadReport()
        XCTAssertEqual(
            try TransmitterLoader.load(out + "/transmitters.csv", report: &r),
            try TransmitterLoader.load(PlantedChanges.data("transmitters.csv"), report: &r))
        XCTAssertEqual(
            try AssignmentLoader.load(out + "/assignments.csv", report: &r), try AssignmentLoader.load(PlantedChanges.data("assignments.csv"), report: &r))
        XCTAssertEqual(try VillageLoader.load(out + "/villages.csv", report: &r), try VillageLoader.load(PlantedChanges.data("villages.csv"), report: &r))
    }

    func testImportStopsAtTheLoadersRowErrorAndLeavesTheStoreUntouched() throws {
        let dir = try scratchFolder("errors")
        let db = dir.appendingPathComponent("register.gpkg").path
        XCTAssertEqual(try runTanso(["store", "init", "--db", db]).code, 0)
        var lines = try String(contentsOfFile: PlantedChanges.data("assignments.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        lines[3] = lines[3].replacingOccurrences(of: ",61.0,", with: ",sixty,") // row 3: eirp_dbm not a number
        let bad = dir.appendingPathComponent("bad.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: bad, atomically: true, encoding: .utf8)
        let store = try runTanso(["store", "import", "--db", db, "--transmitters", "data/transmitters.csv", "--assignments", bad])
        let files = try runTanso(["conflicts", "--assignments", bad, "--output", dir.appendingPathComponent("c").path])
        XCTAssertEqual(store.code, 1)
        XCTAssertEqual(files.code, 1)
        XCTAssertTrue(store.err.contains("bad.csv:4: row 3, column 'eirp_dbm': value 'sixty'"), store.err)
        XCTAssertEqual(store.err, files.err)
        // Nothing was written, not even the valid transmitters file.
        XCTAssertEqual(try Store(db).history(.transmitters).count, 0)
    }

    func testConflictsAndCoverageReadTheStoreAsTheyReadFiles() throws {
        let dir = try scratchFolder("db-option")
        let db = dir.appendingPathComponent("register.gpkg").path
        XCTAssertEqual(try runTanso(["store", "init", "--db", db]).code, 0)
        let imp = try runTanso([
            "store", "import", "--db", db, "--transmitters", "data/transmitters.csv", "--assignments", "data/assignments.csv",
            "--villages", "data/villages.csv"
        ])
        XCTAssertEqual(imp.code, 0, imp.err)
        let a = try runTanso(["conflicts", "--db", db, "--output", dir.appendingPathComponent("c-db").path])
        let b = try runTanso(["conflicts", "--assignments", "data/assignments.csv", "--output", dir.appendingPathComponent("c-files").path])
        XCTAssertEqual(a.code, 0, a.err)
        XCTAssertEqual(
            try String(contentsOf: dir.appendingPathComponent("c-db/conflicts.csv"), encoding: .utf8),
            try String(contentsOf: dir.appendingPathComponent("c-files/conflicts.csv"), encoding: .utf8))
        XCTAssertTrue(try String(contentsOf: dir.appendingPathComponent("c-db/study.json"), encoding: .utf8).contains("\"role\" : \"store\""))
        // Coverage over a small area with the simple model: the same villages table either way.
        let area = "106.80,10.90,106.90,11.00"
        let common = ["--area", area, "--model", "hata", "--resolution-m", "500", "--products", "villages"]
        let c1 = try runTanso(["coverage", "--db", db, "--output", dir.appendingPathComponent("cov-db").path] + common)
        let c2 = try runTanso(
            ["coverage", "--transmitters", "data/transmitters.csv", "--villages", "data/villages.csv", "--output", dir.appendingPathComponent("cov-files").path]
                + common)
        XCTAssertEqual(c1.code, 0, c1.err)
        XCTAssertEqual(c2.code, 0, c2.err)
        let v1 = try String(contentsOf: dir.appendingPathComponent("cov-db/villages.csv"), encoding: .utf8)
        XCTAssertGreaterThan(v1.split(separator: "\n").count, 2)
        XCTAssertEqual(v1, try String(contentsOf: dir.appendingPathComponent("cov-files/villages.csv"), encoding: .utf8))
        // share-check: the same verdict and figures; only the inputs differ (the store instead of three files).
        let proposal = "data/proposals/co_location_pass.json"
        let s1 = try runTanso(["share-check", "--proposal", proposal, "--db", db, "--output", dir.appendingPathComponent("sc-db").path])
        let s2 = try runTanso([
            "share-check", "--proposal", proposal, "--transmitters", "data/transmitters.csv", "--assignments", "data/assignments.csv",
            "--villages", "data/villages.csv", "--output", dir.appendingPathComponent("sc-files").path
        ])
        XCTAssertEqual(s1.code, 0, s1.err)
        XCTAssertEqual(s2.code, 0, s2.err)
        func result(_ folder: String) throws -> NSDictionary {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("\(folder)/result.json")))
            let d = try XCTUnwrap(json as? [String: Any])
            return d.filter { $0.key != "inputs" } as NSDictionary
        }
        XCTAssertEqual(try result("sc-db"), try result("sc-files"))
        XCTAssertEqual(try result("sc-db")["verdict"] as? String, "pass")
    }

    func testAStoreIsAGeoPackageOrPostgreSQL() throws {
        let csv = try runTanso(["conflicts", "--db", "data/assignments.csv", "--output", try scratchFolder("not-a-store").appendingPathComponent("c").path])
        XCTAssertEqual(csv.code, 1)
        XCTAssertTrue(csv.err.contains("open store data/assignments.csv: not a GeoPackage file (.gpkg)"), csv.err)
        let missing = try runTanso(["store", "diff", "--db", "out/nothing-here.gpkg", "--from", "2026-01-01", "--to", "2026-02-01"])
        XCTAssertEqual(missing.code, 1)
        XCTAssertTrue(missing.err.contains("no such file (create it with tanso store init)"), missing.err)
        let date = try runTanso(["store", "diff", "--db", "out/nothing-here.gpkg", "--from", "2026-02-30", "--to", "2026-03-01"])
        XCTAssertEqual(date.code, 2)
        XCTAssertTrue(date.err.contains("--from expects YYYY-MM-DD"), date.err)
    }

    func testDatesAreParsedStrictly() {
        XCTAssertEqual(StoreTime.parse("2026-02-01"), "2026-02-01T00:00:00Z")
        XCTAssertEqual(StoreTime.parse("2026-02-01T13:45:10Z"), "2026-02-01T13:45:10Z")
        XCTAssertEqual(StoreTime.parse("2026-02-01 13:45"), "2026-02-01T13:45:00Z")
        for bad in ["2026-02-30", "2026-13-01", "01/02/2026", "2026-02-01T25:00", "2026-02-01X", ""] {
            XCTAssertNil(StoreTime.parse(bad), bad)
        }
    }
}

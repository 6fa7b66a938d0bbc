// --db in place of record files for every command that reads transmitters, assignments or villages: the products
// made from a GeoPackage register equal those made from the files it was imported from.
import Foundation
import Store
import XCTest

final class StoreRecordInputsTests: XCTestCase {
    nonisolated(unsafe) static var prepared: (dir: URL, db: String)?

    /// One register imported from data/ and one coverage run from the files (small area, simple model), for all tests.
    func register() throws -> (dir: URL, db: String) {
        if let p = Self.prepared { return p }
        let dir = try scratchFolder("record-inputs")
        let db = try importedRegister(dir).db
        let cov = try runTanso([
            "coverage", "--transmitters", "data/transmitters.csv", "--area", "106.80,10.90,106.90,11.00", "--model", "hata", "--resolution-m", "500",
            "--output", dir.appendingPathComponent("cov").path
        ])
        XCTAssertEqual(cov.code, 0, cov.err)
        Self.prepared = (dir, db)
        return (dir, db)
    }

    /// Runs `args` once with `files` and once with `--db`, into folders `name`-files and `name`-db; both succeed.
    func runBoth(_ name: String, _ args: [String], files: [String], output: String = "--output") throws -> (files: URL, db: URL) {
        let (dir, db) = try register()
        let f = dir.appendingPathComponent("\(name)-files"), d = dir.appendingPathComponent("\(name)-db")
        let a = try runTanso(args + files + [output, f.path])
        let b = try runTanso(args + ["--db", db, output, d.path])
        XCTAssertEqual(a.code, 0, a.err)
        XCTAssertEqual(b.code, 0, b.err)
        return (f, d)
    }

    func assertSameFiles(_ names: [String], _ folders: (files: URL, db: URL), file: StaticString = #filePath, line: UInt = #line) throws {
        for n in names {
            let a = try String(contentsOf: folders.files.appendingPathComponent(n), encoding: .utf8)
            let b = try String(contentsOf: folders.db.appendingPathComponent(n), encoding: .utf8)
            XCTAssertGreaterThan(a.split(separator: "\n").count, 1, "\(n) has no rows", file: file, line: line)
            XCTAssertEqual(a, b, n, file: file, line: line)
        }
        let study = try String(contentsOf: folders.db.appendingPathComponent("study.json"), encoding: .utf8)
        XCTAssertTrue(study.contains("\"role\" : \"store\""), "study.json records the register", file: file, line: line)
    }

    func testComplianceReadsVillagesAndTransmittersFromTheStore() throws {
        let cov = try register().dir.appendingPathComponent("cov").path
        let out = try runBoth(
            "compliance", ["compliance", "--coverage", cov], files: ["--villages", "data/villages.csv", "--transmitters", "data/transmitters.csv"])
        try assertSameFiles(["villages.csv", "uncovered_villages.csv", "units.csv", "targets.csv"], out)
    }

    func testCandidatesReadVillagesAndTransmittersFromTheStore() throws {
        let cov = try register().dir.appendingPathComponent("cov").path
        let out = try runBoth(
            "candidates", ["candidates", "--coverage", cov, "--grid-km", "0", "--sites", "3", "--radius-km", "5"],
            files: ["--villages", "data/villages.csv", "--transmitters", "data/transmitters.csv"])
        try assertSameFiles(["candidates.csv", "candidate_villages.csv"], out)
    }

    func testMonitorReadsTheAssignmentsFromTheStore() throws {
        let out = try runBoth(
            "monitor", ["monitor", "--emissions", "data/monitoring/emissions.csv"], files: ["--assignments", "data/assignments.csv"])
        try assertSameFiles(["findings.csv"], out)
    }

    func testVillagesReadTheVillagesFromTheStore() throws {
        let (dir, db) = try register()
        let raster = dir.appendingPathComponent("cov/best_signal_dbm.tif").path
        let common = ["villages", "--coverage", raster, "--threshold-dbm", "-90", "--all"]
        let a = try runTanso(common + ["--villages", "data/villages.csv", "--output", dir.appendingPathComponent("v-files.csv").path])
        let b = try runTanso(common + ["--db", db, "--output", dir.appendingPathComponent("v-db.csv").path])
        XCTAssertEqual(a.code, 0, a.err)
        XCTAssertEqual(b.code, 0, b.err)
        XCTAssertEqual(a.out.replacingOccurrences(of: "v-files", with: "v-db"), b.out)
        let rows = try String(contentsOf: dir.appendingPathComponent("v-db.csv"), encoding: .utf8)
        XCTAssertEqual(rows.split(separator: "\n").count, 1001)
        XCTAssertEqual(rows, try String(contentsOf: dir.appendingPathComponent("v-files.csv"), encoding: .utf8))
    }

    func testInterferenceReadsTheRegisterFromTheStore() throws {
        let complaint = ["interference", "--victim", "10.95,106.85", "--frequency-mhz", "98.5", "--bandwidth-khz", "200"]
        try assertSameFiles(["candidates.csv"], try runBoth("interference", complaint, files: ["--assignments", "data/assignments.csv"]))
    }

    func testShareCheckReadsAProposalImportedIntoTheStore() throws {
        let (dir, db) = try register()
        let imp = try runTanso(["store", "import", "--db", db, "--proposals", "data/proposals/co_location_pass.json", "--partial"])
        XCTAssertEqual(imp.code, 0, imp.err)
        XCTAssertTrue(imp.out.contains("proposals: 1 added"), imp.out)
        let stored = try XCTUnwrap(try Store(db).proposals().first)
        XCTAssertEqual([stored["id"], stored["operator"], stored["kind"], stored["site_id"]], ["P-2026-017", "MobiFone", "co_location", "VT-S005"])
        let out = (files: dir.appendingPathComponent("share-check-files"), db: dir.appendingPathComponent("share-check-db"))
        let a = try runTanso([
            "share-check", "--proposal", "data/proposals/co_location_pass.json", "--transmitters", "data/transmitters.csv", "--assignments",
            "data/assignments.csv", "--villages", "data/villages.csv", "--output", out.files.path
        ])
        let b = try runTanso(["share-check", "--proposal", "P-2026-017", "--db", db, "--output", out.db.path])
        XCTAssertEqual(a.code, 0, a.err)
        XCTAssertEqual(b.code, 0, b.err)
        func result(_ folder: URL) throws -> NSDictionary {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("result.json")))
            return try XCTUnwrap(json as? [String: Any]).filter { $0.key != "inputs" } as NSDictionary
        }
        XCTAssertEqual(try result(out.db), try result(out.files))
        XCTAssertEqual(try result(out.db)["verdict"] as? String, "pass")
        // An id that is not in the register names the register, not a missing file.
        let missing = try runTanso(["share-check", "--proposal", "P-NONE", "--db", db, "--output", dir.appendingPathComponent("sc-none").path])
        XCTAssertEqual(missing.code, 1)
        XCTAssertTrue(missing.err.contains("\(db): no proposal 'P-NONE'"), missing.err)
    }

    func testFilesAndStoreTogetherAreAUsageError() throws {
        let (dir, db) = try register()
        let r = try runTanso([
            "monitor", "--emissions", "data/monitoring/emissions.csv", "--assignments", "data/assignments.csv", "--db", db, "--output",
            dir.appendingPathComponent("both").path
        ])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.err.contains("give --assignments FILE or --db DB, not both"), r.err)
        let none = try runTanso(["compliance", "--coverage", dir.appendingPathComponent("cov").path, "--output", dir.appendingPathComponent("none").path])
        XCTAssertEqual(none.code, 2)
        XCTAssertTrue(none.err.contains("missing --villages FILE (or --db DB)"), none.err)
    }

    func testEveryCommandThatReadsRecordsOffersDB() throws {
        for command in [
            "coverage", "conflicts", "share-check", "compliance", "candidates", "monitor", "villages", "interference", "locate", "channels",
            "broadcast", "measurements", "calibrate"
        ] {
            let help = try runTanso([command, "--help"])
            XCTAssertEqual(help.code, 0, command)
            XCTAssertTrue(help.out.contains("--db DB"), "\(command) --help does not mention --db")
        }
    }
}

// tanso store on a real PostgreSQL 15 + PostGIS started by scripts/dev-postgres (installed from Debian when
// missing; one private server for the class, stopped at the end). Nothing is mocked: each test connects as a user
// of a role and shows what PostgreSQL itself allows.
import Foundation
import Geo
import Records
import Store
import TestSupport
import XCTest

final class StorePostgresTests: XCTestCase {
    nonisolated(unsafe) static var server: String?
    nonisolated(unsafe) static var setUpError: String?
    static let name = "xctest-\(getpid())"
    /// Login users, one per role (passwords are ignored on the private socket, which trusts local users).
    static let users = [
        "u_viettel": "tanso_operator_viettel", "u_mobifone": "tanso_operator_mobifone", "u_public": "tanso_public",
        "u_regulator": "tanso_regulator"
    ]

    static func devPostgres(_ action: String) throws -> (code: Int32, out: String, err: String) {
        try spawnAndWait(PlantedChanges.root.appendingPathComponent("scripts/dev-postgres").path, [action, "--name", name])
    }

    override class func setUp() {
        super.setUp()
        do {
            let started = Date()
            let r = try devPostgres("start")
            guard r.code == 0, let last = r.out.split(separator: "\n").last, last.hasPrefix("PG:") else {
                setUpError = "scripts/dev-postgres start failed (\(r.code)): \(r.err)"
                return
            }
            server = String(last)
            print(String(format: "dev-postgres start: %.1f s", Date().timeIntervalSince(started)))
            let admin = try Store(String(last))
            try admin.initialize()
            try PlantedChanges.apply(to: admin)
            for (user, role) in users { try admin.execute("CREATE ROLE \(user) LOGIN PASSWORD 'not-used' IN ROLE \(role)") }
            try admin.close()
        } catch {
            setUpError = "\(error)"
        }
    }

    override class func tearDown() {
        _ = try? devPostgres("stop")
        super.tearDown()
    }

    override func setUpWithError() throws {
        if let e = Self.setUpError { XCTFail(e) }
        _ = try XCTUnwrap(Self.server, "no server")
    }

    /// A connection as `user` (a fresh one each time: a refused statement does not spoil the next).
    func connect(_ user: String) throws -> Store {
        try Store(try XCTUnwrap(Self.server).replacingOccurrences(of: "user=postgres", with: "user=\(user)"))
    }

    func values(_ rows: [StoreRow], _ column: String) -> Set<String> { Set(rows.compactMap { $0[column] }) }

    func testDevPostgresStartIsIdempotent() throws {
        let again = try Self.devPostgres("start"), status = try Self.devPostgres("status")
        XCTAssertEqual(again.code, 0, again.err)
        XCTAssertEqual(again.out.split(separator: "\n").last.map(String.init), Self.server)
        XCTAssertEqual(status.out.split(separator: "\n").last.map(String.init), Self.server)
        // The register made in setUp is still there: the second start did not make a new cluster.
        XCTAssertFalse(try connect("u_regulator").assignments().isEmpty)
    }

    // MARK: Operators

    func testAnOperatorReadsOnlyItsOwnRowsEvenThroughViewsAndJoins() throws {
        let viettel = try connect("u_viettel")
        let expected = try PlantedChanges.load().assignments.filter { $0["licensee"] == "Viettel" }.count + 1 // + A-VT-NEW-1
        XCTAssertEqual(try viettel.assignments().count, expected)
        // Every version, current or closed, of every owned table.
        XCTAssertEqual(values(try viettel.query("SELECT licensee FROM assignments"), "licensee"), ["Viettel"])
        XCTAssertEqual(values(try viettel.query("SELECT operator FROM transmitters"), "operator"), ["Viettel"])
        XCTAssertEqual(try viettel.query("SELECT id FROM assignments WHERE licensee = 'MobiFone'").count, 0)
        // Joins: the other side of a join is filtered as well.
        let joined = try viettel.query(
            "SELECT a.licensee, t.operator FROM transmitters t FULL JOIN assignments a ON a.station_id = t.site_id")
        XCTAssertEqual(values(joined, "licensee").union(values(joined, "operator")), ["Viettel"])
        let summaryJoin = try viettel.query(
            "SELECT n.operator, a.tx_frequency_mhz FROM network_summary n LEFT JOIN assignments a ON a.licensee = n.operator")
        XCTAssertEqual(values(summaryJoin.filter { $0["tx_frequency_mhz"] != nil }, "operator"), ["Viettel"])
        // Every view of the schema the operator can read: others' networks appear only as aggregates, without a
        // frequency, power or antenna column.
        let views = values(try viettel.query("SELECT table_name::text AS v FROM information_schema.views WHERE table_schema = 'public'"), "v")
        var readable: [String] = []
        for view in views.sorted() {
            guard (try? connect("u_viettel").query("SELECT * FROM \(view)")) != nil else { continue }
            readable.append(view)
            let cols = try viettel.query(
                "SELECT column_name::text AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '\(view)'")
            XCTAssertFalse(cols.isEmpty, view)
            for c in values(cols, "c") {
                for secret in ["freq", "eirp", "power", "azimuth", "tilt", "antenna", "bandwidth", "emission", "latitude", "longitude"] {
                    XCTAssertFalse(c.contains(secret), "view \(view) exposes \(c)")
                }
            }
        }
        XCTAssertTrue(readable.contains("network_summary"), "\(readable)")
        print("views readable by an operator: \(readable.joined(separator: ", "))")
        let summary = try viettel.query("SELECT operator, transmitters FROM network_summary")
        XCTAssertEqual(values(summary, "operator"), ["Viettel", "MobiFone", "VinaPhone"])
        // An operator cannot create its own view (or anything) in the register's schema.
        XCTAssertThrowsError(try viettel.execute("CREATE VIEW mine AS SELECT * FROM assignments"))
        // Nor read the audit log, which holds everyone's old and new values.
        XCTAssertThrowsError(try connect("u_viettel").query("SELECT * FROM audit_log"))
    }

    func testAnOperatorCannotChangeAnotherOperatorsRow() throws {
        let admin = try connect("postgres")
        let before = try admin.query("SELECT version_id, valid_to FROM assignments WHERE licensee = 'MobiFone' ORDER BY version_id")
        let auditBefore = try admin.query("SELECT count(*) AS n FROM audit_log").first?["n"]
        // An UPDATE aimed at MobiFone's rows reaches none of them.
        try connect("u_viettel").execute("UPDATE assignments SET valid_to = '2027-01-01T00:00:00Z' WHERE licensee = 'MobiFone'")
        // Writing a row for MobiFone is refused by the policy's WITH CHECK.
        XCTAssertThrowsError(
            try connect("u_viettel").execute(
                "INSERT INTO assignments (id, station_id, licensee, service, tx_frequency_mhz, bandwidth_khz, latitude, longitude, antenna_height_m, eirp_dbm, valid_from) VALUES ('X-1', 'S', 'MobiFone', 'mobile', 1850, 5000, 11, 107, 30, 60, '2027-01-01T00:00:00Z')"
            ))
        // Closing one's own row and re-labelling it as MobiFone's is refused too (history guard and WITH CHECK).
        XCTAssertThrowsError(try connect("u_viettel").execute("UPDATE assignments SET licensee = 'MobiFone' WHERE licensee = 'Viettel'"))
        // An import as Viettel that carries a MobiFone row fails as a whole: not even Viettel's own rows change.
        var rows = try PlantedChanges.load().assignments.filter { $0["licensee"] == "Viettel" }
        rows[0]["eirp_dbm"] = "50.0"
        rows.append(try XCTUnwrap(try PlantedChanges.load().assignments.first { $0["licensee"] == "MobiFone" }))
        XCTAssertThrowsError(try connect("u_viettel").importRows(.assignments, rows: rows, asOf: "2027-01-01T00:00:00Z", partial: true))
        // Nobody can delete a version, not even the owner of the database.
        XCTAssertThrowsError(try connect("u_viettel").execute("DELETE FROM assignments WHERE licensee = 'Viettel'"))
        XCTAssertThrowsError(try connect("postgres").execute("DELETE FROM assignments WHERE id = 'A-VT-NEW-1'"))
        XCTAssertEqual(try admin.query("SELECT version_id, valid_to FROM assignments WHERE licensee = 'MobiFone' ORDER BY version_id"), before)
        XCTAssertEqual(try admin.query("SELECT count(*) AS n FROM audit_log").first?["n"], auditBefore)
    }

    func testEveryChangeLandsInTheAuditLogWithWhoAndValues() throws {
        let admin = try connect("postgres")
        // An operator's own change, as tanso store import makes it: close + insert, both audited as its user.
        let own = try XCTUnwrap(try connect("u_mobifone").query("SELECT id FROM assignments WHERE valid_to IS NULL ORDER BY id LIMIT 1").first?["id"])
        XCTAssertTrue(own.hasPrefix("A-MBF"), own)
        var rows = try connect("u_mobifone").assignments().map(StoreRecords.row)
        let k = try XCTUnwrap(rows.firstIndex { $0["id"] == own })
        let oldEIRP = try XCTUnwrap(rows[k]["eirp_dbm"])
        rows[k]["eirp_dbm"] = "33.0"
        let s = try connect("u_mobifone").importRows(.assignments, rows: rows, asOf: "2026-06-01T00:00:00Z")
        XCTAssertEqual(s, ImportSummary(changed: 1, unchanged: rows.count - 1))
        let entries = try admin.query(
            "SELECT who, action, old_values->>'eirp_dbm' AS old, new_values->>'eirp_dbm' AS new, new_values->>'valid_to' AS closed FROM audit_log WHERE record_id = '\(own)' AND who = 'u_mobifone' ORDER BY audit_id"
        )
        XCTAssertEqual(entries.map { $0["action"] }, ["UPDATE", "INSERT"])
        XCTAssertEqual(entries[0]["old"].flatMap(Double.init), Double(oldEIRP)) // jsonb writes 60.0 as 60
        XCTAssertEqual(entries[0]["closed"], "2026-06-01T00:00:00Z")
        XCTAssertEqual(entries[1]["new"].flatMap(Double.init), 33)
        // Every version ever written has its INSERT entry, every closed one its UPDATE entry, and nothing else is
        // in the log (the refused attempts of the other tests left none).
        for table in RegisterTable.allCases {
            let versions = try admin.query("SELECT version_id, valid_to FROM \(table.rawValue)")
            let log = try admin.query("SELECT row_id, action FROM audit_log WHERE table_name = '\(table.rawValue)'")
            XCTAssertEqual(values(log.filter { $0["action"] == "INSERT" }, "row_id"), values(versions, "version_id"), table.rawValue)
            XCTAssertEqual(log.filter { $0["action"] == "INSERT" }.count, versions.count, table.rawValue)
            XCTAssertEqual(
                values(log.filter { $0["action"] == "UPDATE" }, "row_id"), values(versions.filter { $0["valid_to"] != nil }, "version_id"), table.rawValue)
            XCTAssertEqual(log.count, versions.count + versions.filter { $0["valid_to"] != nil }.count, table.rawValue)
        }
        // The regulator reads the log but cannot rewrite it; a forged entry is stamped with its real author.
        let regulator = try connect("u_regulator")
        XCTAssertFalse(try regulator.query("SELECT audit_id FROM audit_log LIMIT 1").isEmpty)
        XCTAssertThrowsError(try connect("u_regulator").execute("UPDATE audit_log SET who = 'nobody'"))
        XCTAssertThrowsError(try connect("u_regulator").execute("DELETE FROM audit_log"))
        try connect("u_regulator").execute("INSERT INTO audit_log (who, table_name, action) VALUES ('u_viettel', 'forged', 'NOTE')")
        XCTAssertEqual(try admin.query("SELECT who FROM audit_log WHERE table_name = 'forged'").map { $0["who"] }, ["u_regulator"])
    }

    func testRecordedConflictsAreSeenByTheOperatorOfTheVictimOnly() throws {
        let db = try XCTUnwrap(Self.server).replacingOccurrences(of: "user=postgres", with: "user=u_regulator")
        let r = try runTanso(["conflicts", "--db", db, "--record", "--output", try scratchFolder("pg-record").appendingPathComponent("c").path])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("recorded in PostgreSQL database tanso: 7 new, 0 resolved, 0 still open"), r.out)
        let all = try connect("u_regulator").query(
            "SELECT kind, subject_id, operator FROM findings WHERE valid_to IS NULL AND run_id IN (SELECT run_id FROM runs WHERE kind = 'conflicts')")
        XCTAssertEqual(all.count, 7)
        XCTAssertEqual(all.first { $0["kind"] == "co_channel" }?["operator"], "Đài truyền thanh Long Khánh")
        // None of the seven is about a Viettel assignment: Viettel sees none of them.
        XCTAssertEqual(try connect("u_viettel").query("SELECT finding_id FROM findings").count, 0)
    }

    // MARK: Public and regulator

    func testThePublicRoleReadsTheCoveragePublishedByTheRegulator() throws {
        let db = try XCTUnwrap(Self.server).replacingOccurrences(of: "user=postgres", with: "user=u_regulator")
        let dir = try scratchFolder("pg-coverage")
        let r = try runTanso([
            "coverage", "--db", db, "--area", "106.80,10.90,106.90,11.00", "--model", "hata", "--resolution-m", "500", "--products", "villages",
            "--record", "--rasters", dir.appendingPathComponent("rasters").path, "--output", dir.appendingPathComponent("cov").path
        ])
        XCTAssertEqual(r.code, 0, r.err)
        // The raster is kept in --rasters and referenced relative to it.
        let kept = try XCTUnwrap(try connect("u_regulator").rasters().first)
        XCTAssertTrue(kept.path.hasPrefix("coverage-"), kept.path)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("rasters/\(kept.path)").path))
        let expected = try StoreFindingsTests.communeTotals(dir.appendingPathComponent("cov/villages.csv"))
        let got = try XCTUnwrap(
            try connect("u_public").query(
                "SELECT count(*) AS n, sum(population)::bigint AS p, sum(covered_population)::bigint AS c FROM published_coverage WHERE as_of = (SELECT max(as_of) FROM published_coverage)"
            ).first)
        XCTAssertEqual([got["n"], got["p"], got["c"]], ["\(expected.communes)", "\(expected.population)", "\(expected.covered)"])
        // The run itself (command, raster path) is the regulator's.
        XCTAssertThrowsError(try connect("u_public").query("SELECT * FROM runs"))
        XCTAssertFalse(try connect("u_regulator").query("SELECT kind FROM runs WHERE kind = 'coverage'").isEmpty)
    }

    func testThePublicRoleCannotReadTheRegister() throws {
        for table in ["transmitters", "assignments", "villages", "proposals", "findings", "runs", "audit_log", "operator_roles"] {
            XCTAssertThrowsError(try connect("u_public").query("SELECT * FROM \(table)"), table) { e in
                XCTAssertTrue("\(e)".contains("permission denied"), "\(e)")
            }
        }
        let published = try connect("u_public").query("SELECT operator, sites, transmitters FROM network_summary")
        XCTAssertEqual(values(published, "operator"), ["Viettel", "MobiFone", "VinaPhone"])
        _ = try connect("u_public").query("SELECT * FROM published_coverage")
    }

    func testTheRegulatorReadsEverything() throws {
        let regulator = try connect("u_regulator")
        let all = try PlantedChanges.load().assignments
        XCTAssertEqual(try regulator.assignments(at: "2026-01-15T00:00:00Z").map(StoreRecords.row), all)
        XCTAssertEqual(values(try regulator.query("SELECT licensee FROM assignments"), "licensee"), values(all, "licensee"))
    }

    // MARK: History, diff, and the same results as GeoPackage

    func testDiffReportsThePlantedChangeSetAsOnGeoPackage() throws {
        let pg = try connect("u_regulator")
        try PlantedChanges.checkDiffs(pg)
        let gpkgPath = try scratchFolder("pg-vs-gpkg").appendingPathComponent("register.gpkg").path
        let gpkg = try Store(gpkgPath, create: true)
        try gpkg.initialize()
        try PlantedChanges.apply(to: gpkg)
        for (from, to) in [("2025-12-01", "2026-01-15"), ("2026-01-15", "2026-03-15"), ("2026-02-15", "2026-05-01")] {
            let f = "\(from)T00:00:00Z", t = "\(to)T00:00:00Z"
            XCTAssertEqual(try pg.diff(from: f, to: t), try gpkg.diff(from: f, to: t), "\(from) → \(to)")
        }
        for table in [RegisterTable.transmitters, .assignments, .villages] {
            XCTAssertEqual(
                try pg.versions(table, at: "2026-04-01T00:00:00Z").features.map(\.attributes),
                try gpkg.versions(table, at: "2026-04-01T00:00:00Z").features.map(\.attributes), table.rawValue)
        }
        // The CLI's view of the same: exact lines.
        let cli = try runTanso(["store", "diff", "--db", try XCTUnwrap(Self.server), "--from", "2026-01-15", "--to", "2026-02-15"])
        XCTAssertEqual(cli.code, 0, cli.err)
        XCTAssertEqual(
            cli.out,
            "register changes from 2026-01-15T00:00:00Z to 2026-02-15T00:00:00Z: 1 added, 1 removed, 1 modified\n"
                + PlantedChanges.expectedJanuaryToFebruary.map { "  \($0)\n" }.joined())
    }

    // MARK: Proposals and --db on PostgreSQL

    /// MobiFone's (P-2026-017) and VinaPhone's proposals from data/proposals, and one of Viettel's, imported by
    /// the database's owner (who gives new operators their roles).
    func importProposals(_ dir: URL) throws {
        let text = try String(contentsOfFile: PlantedChanges.data("proposals/co_location_pass.json"), encoding: .utf8)
        let viettel = dir.appendingPathComponent("viettel.json").path
        try text.replacingOccurrences(of: "MobiFone", with: "Viettel").replacingOccurrences(of: "P-2026-017", with: "P-VT-1")
            .write(toFile: viettel, atomically: true, encoding: .utf8)
        let files = ["data/proposals/co_location_pass.json", "data/proposals/co_location_interferes.json", viettel].joined(separator: ",")
        let r = try runTanso(["store", "import", "--db", try XCTUnwrap(Self.server), "--proposals", files, "--partial"])
        XCTAssertEqual(r.code, 0, r.err)
    }

    func testAnOperatorReadsAndWritesOnlyItsOwnProposals() throws {
        let dir = try scratchFolder("pg-proposals")
        try importProposals(dir)
        XCTAssertEqual(Set(try connect("u_regulator").proposals().compactMap { $0["operator"] }), ["MobiFone", "VinaPhone", "Viettel"])
        XCTAssertEqual(try connect("u_mobifone").proposals().compactMap { $0["id"] }, ["P-2026-017"])
        XCTAssertEqual(try connect("u_viettel").proposals().compactMap { $0["id"] }, ["P-VT-1"])
        XCTAssertEqual(values(try connect("u_viettel").query("SELECT operator FROM proposals"), "operator"), ["Viettel"])
        XCTAssertThrowsError(try connect("u_public").proposals(), "the public role reads no proposal")
        // Viettel cannot read MobiFone's proposal through share-check, nor write one in MobiFone's name.
        let viettelDB = try XCTUnwrap(Self.server).replacingOccurrences(of: "user=postgres", with: "user=u_viettel")
        let read = try runTanso(["share-check", "--db", viettelDB, "--proposal", "P-2026-017", "--output", dir.appendingPathComponent("x").path])
        XCTAssertEqual(read.code, 1)
        XCTAssertTrue(read.err.contains("no proposal 'P-2026-017'"), read.err)
        let write = try runTanso(["store", "import", "--db", viettelDB, "--proposals", "data/proposals/co_location_pass.json", "--partial"])
        XCTAssertEqual(write.code, 1)
        XCTAssertTrue(write.err.contains("row-level security"), write.err)
        XCTAssertThrowsError(
            try connect("u_viettel").execute(
                "INSERT INTO proposals (id, operator, kind, details, valid_from) VALUES ('X', 'MobiFone', 'new_tower', '{}', '2027-01-01T00:00:00Z')"))
        XCTAssertThrowsError(try connect("u_viettel").execute("UPDATE proposals SET operator = 'MobiFone' WHERE operator = 'Viettel'"))
    }

    func testShareCheckReadsAProposalFromPostgreSQLAsFromItsFile() throws {
        let dir = try scratchFolder("pg-share-check")
        try importProposals(dir)
        let db = try XCTUnwrap(Self.server).replacingOccurrences(of: "user=postgres", with: "user=u_regulator")
        let a = try runTanso(["share-check", "--db", db, "--proposal", "P-2026-017", "--output", dir.appendingPathComponent("id").path])
        let b = try runTanso([
            "share-check", "--db", db, "--proposal", "data/proposals/co_location_pass.json", "--output", dir.appendingPathComponent("file").path
        ])
        XCTAssertEqual(a.code, 0, a.err)
        XCTAssertEqual(b.code, 0, b.err)
        func result(_ folder: String) throws -> NSDictionary {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("\(folder)/result.json")))
            return try XCTUnwrap(json as? [String: Any]).filter { $0.key != "inputs" } as NSDictionary
        }
        XCTAssertEqual(try result("id"), try result("file"))
        XCTAssertEqual(try result("id")["verdict"] as? String, "pass")
    }

    func testMonitorReadsThePostgreSQLRegisterAsItsExport() throws {
        let dir = try scratchFolder("pg-monitor")
        let db = try XCTUnwrap(Self.server).replacingOccurrences(of: "user=postgres", with: "user=u_regulator")
        let export = try runTanso(["store", "export", "--db", db, "--output", dir.appendingPathComponent("export").path])
        XCTAssertEqual(export.code, 0, export.err)
        let common = ["monitor", "--emissions", "data/monitoring/emissions.csv"]
        let a = try runTanso(common + ["--db", db, "--output", dir.appendingPathComponent("db").path])
        let b = try runTanso(
            common + ["--assignments", dir.appendingPathComponent("export/assignments.csv").path, "--output", dir.appendingPathComponent("files").path])
        XCTAssertEqual(a.code, 0, a.err)
        XCTAssertEqual(b.code, 0, b.err)
        let findings = try String(contentsOf: dir.appendingPathComponent("db/findings.csv"), encoding: .utf8)
        XCTAssertGreaterThan(findings.split(separator: "\n").count, 1)
        XCTAssertEqual(findings, try String(contentsOf: dir.appendingPathComponent("files/findings.csv"), encoding: .utf8))
    }

    func testComplianceRecordsTheSameUncoveredVillagesAsOnGeoPackage() throws {
        let dir = try scratchFolder("pg-compliance")
        let gpkgPath = dir.appendingPathComponent("register.gpkg").path
        let gpkg = try Store(gpkgPath, create: true)
        try gpkg.initialize()
        try PlantedChanges.apply(to: gpkg)
        let cov = dir.appendingPathComponent("cov").path
        let c = try runTanso(["coverage", "--db", gpkgPath, "--area", "106.80,10.90,106.90,11.00", "--model", "hata", "--resolution-m", "500", "--output", cov])
        XCTAssertEqual(c.code, 0, c.err)
        let pg = try XCTUnwrap(Self.server).replacingOccurrences(of: "user=postgres", with: "user=u_regulator")
        for (name, db) in [("pg", pg), ("gpkg", gpkgPath)] {
            let r = try runTanso(["compliance", "--coverage", cov, "--db", db, "--record", "--output", dir.appendingPathComponent(name).path])
            XCTAssertEqual(r.code, 0, r.err)
        }
        XCTAssertEqual(
            try String(contentsOf: dir.appendingPathComponent("pg/villages.csv"), encoding: .utf8),
            try String(contentsOf: dir.appendingPathComponent("gpkg/villages.csv"), encoding: .utf8))
        let sql =
            "SELECT kind, subject_id, detail FROM findings WHERE valid_to IS NULL AND run_id IN (SELECT run_id FROM runs WHERE kind = 'compliance') ORDER BY kind, subject_id"
        let onPG = try connect("u_regulator").query(sql), onGPKG = try Store(gpkgPath).query(sql)
        XCTAssertGreaterThan(onPG.count, 1000)
        XCTAssertEqual(onPG, onGPKG)
        // The regulator's findings about villages are no operator's: an operator sees none of them.
        XCTAssertEqual(try connect("u_viettel").query("SELECT finding_id FROM findings WHERE kind LIKE 'uncovered_%'").count, 0)
    }

    // MARK: Secrets

    func testConnectionStringsAndPasswordsNeverAppearInOutputs() throws {
        let server = try XCTUnwrap(Self.server)
        let secret = "Sekr3t-\(getpid())"
        let db = server.replacingOccurrences(of: "user=postgres", with: "user=u_regulator password=\(secret)")
        let host = try XCTUnwrap(SQLDatabase.connectionValue(server, "host"))
        let dir = try scratchFolder("secrets")
        let runs = [
            try runTanso(["store", "export", "--db", db, "--output", dir.appendingPathComponent("export").path]),
            try runTanso(["conflicts", "--db", db, "--output", dir.appendingPathComponent("conflicts").path]),
            try runTanso(["store", "diff", "--db=\(db)", "--from", "2026-01-01", "--to", "2026-03-01", "--output", dir.appendingPathComponent("diff").path]),
            try runTanso(["monitor", "--emissions", "data/monitoring/emissions.csv", "--db", db, "--output", dir.appendingPathComponent("monitor").path]),
            try runTanso([
                "coverage", "--db", db, "--area", "106.80,10.90,106.90,11.00", "--model", "hata", "--resolution-m", "1000", "--record", "--rasters",
                dir.appendingPathComponent("rasters").path, "--output", dir.appendingPathComponent("cov").path
            ]),
            // Failures: a database that does not exist, a role that may not read.
            try runTanso([
                "conflicts", "--db", db.replacingOccurrences(of: "dbname=tanso", with: "dbname=nothere"), "--output", dir.appendingPathComponent("x").path
            ]),
            try runTanso([
                "store", "export", "--db", db.replacingOccurrences(of: "u_regulator", with: "u_public"), "--output", dir.appendingPathComponent("y").path
            ])
        ]
        XCTAssertEqual(runs.map(\.code), [0, 0, 0, 0, 0, 1, 1], runs.map(\.err).joined(separator: "\n"))
        XCTAssertTrue(runs[5].err.contains("PostgreSQL database nothere"), runs[5].err)
        XCTAssertTrue(runs[6].err.contains("permission denied"), runs[6].err)
        var texts = runs.flatMap { [$0.out, $0.err] }
        // What --record wrote into the register: the run's command and inputs.
        for r in try connect("u_regulator").query("SELECT command, inputs, who FROM runs") { texts += [r["command"] ?? "", r["inputs"] ?? "", r["who"] ?? ""] }
        let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        XCTAssertGreaterThan(files.count, 6)
        for f in files { if let d = try? Data(contentsOf: f) { texts.append(String(decoding: d, as: UTF8.self)) } }
        for text in texts {
            XCTAssertFalse(text.contains(secret), text)
            XCTAssertFalse(text.contains(host), text)
            XCTAssertFalse(text.contains("PG:"), text)
        }
        XCTAssertTrue(
            try String(contentsOf: dir.appendingPathComponent("conflicts/study.json"), encoding: .utf8).contains("PostgreSQL database tanso"))
    }
}

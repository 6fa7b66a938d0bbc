// Runs recorded from the command line (conflicts, coverage, compliance with --db --record) and `tanso store diff`
// listing the result changes of a planted change set: a transmitter removed (villages become uncovered) and an
// assignment retuned (a conflict resolves).
import Foundation
import Geo
import Records
import Reports
import Store
import XCTest

final class StoreResultDiffTests: XCTestCase {
    static let removedTransmitter = "VNP-S010-4G700-3"

    /// conflicts, coverage and compliance recorded in the register, their outputs under `dir/<name>-<step>`.
    func recordRuns(_ db: String, _ dir: URL, step: String) throws {
        let c = try runTanso(["conflicts", "--db", db, "--record", "--output", dir.appendingPathComponent("conflicts-\(step)").path])
        XCTAssertEqual(c.code, 0, c.err)
        let cov = dir.appendingPathComponent("cov-\(step)").path
        let v = try runTanso([
            "coverage", "--db", db, "--area", "106.80,10.90,106.90,11.00", "--model", "hata", "--resolution-m", "500", "--record", "--output", cov
        ])
        XCTAssertEqual(v.code, 0, v.err)
        XCTAssertTrue(v.out.contains("COG rasters (in register.rasters/coverage-"), v.out)
        let m = try runTanso(["compliance", "--coverage", cov, "--db", db, "--record", "--output", dir.appendingPathComponent("comp-\(step)").path])
        XCTAssertEqual(m.code, 0, m.err)
        XCTAssertTrue(m.out.contains("recorded in \(db): uncovered villages per technology"), m.out)
    }

    /// The data files with the planted change: one transmitter removed, FM-02 moved from 98.5 to 105.5 MHz.
    func plantedFiles(_ dir: URL) throws -> (transmitters: String, assignments: String) {
        let tx = try String(contentsOfFile: PlantedChanges.data("transmitters.csv"), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let kept = tx.filter { !$0.hasPrefix(Self.removedTransmitter + ",") }
        XCTAssertEqual(kept.count, tx.count - 1)
        let asg = try String(contentsOfFile: PlantedChanges.data("assignments.csv"), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let retuned = asg.map { $0.hasPrefix("FM-02,") ? $0.replacingOccurrences(of: ",98.500,", with: ",105.500,") : String($0) }
        XCTAssertEqual(zip(asg, retuned).filter { $0 != $1 }.count, 1)
        let t = dir.appendingPathComponent("transmitters.csv").path, a = dir.appendingPathComponent("assignments.csv").path
        try retuned.joined(separator: "\n").write(toFile: a, atomically: true, encoding: .utf8)
        try kept.joined(separator: "\n").write(toFile: t, atomically: true, encoding: .utf8)
        return (t, a)
    }

    /// Villages covered in one compliance output and not in the other, per technology, read from villages.csv
    /// (columns covered_2G … covered_5G), as the diff names them: "findings uncovered_<tech> <id> new|resolved".
    func villageChanges(before: URL, after: URL) throws -> [String] {
        func covered(_ folder: URL) throws -> [String: Set<String>] {
            var rows = CSV.parse(try String(contentsOf: folder.appendingPathComponent("villages.csv"), encoding: .utf8))
            let header = rows.removeFirst()
            let id = try XCTUnwrap(header.firstIndex(of: "id"))
            var out: [String: Set<String>] = [:]
            for (i, h) in header.enumerated() where h.hasPrefix("covered_") && h.count == 10 {
                out[String(h.dropFirst(8))] = Set(rows.filter { $0[i] == "1" }.map { $0[id] })
            }
            return out
        }
        let b = try covered(before), a = try covered(after)
        var lines: [String] = []
        for tech in b.keys {
            lines += b[tech]!.subtracting(a[tech] ?? []).map { "findings uncovered_\(tech) \($0) new" }
            lines += (a[tech] ?? []).subtracting(b[tech]!).map { "findings uncovered_\(tech) \($0) resolved" }
        }
        return lines.sorted()
    }

    func latestRun(_ db: String) throws -> String {
        try XCTUnwrap(try Store(db).query("SELECT max(started_at) AS t FROM runs").first?["t"])
    }

    func testStoreDiffListsThePlantedResultChangesExactly() throws {
        let dir = try scratchFolder("result-diff")
        let db = try importedRegister(dir).db
        try recordRuns(db, dir, step: "1")
        let t1 = try latestRun(db)
        Thread.sleep(forTimeInterval: 1.2) // the register's instants are whole seconds
        let files = try plantedFiles(dir)
        let change = try runTanso(["store", "import", "--db", db, "--transmitters", files.transmitters, "--assignments", files.assignments])
        XCTAssertEqual(change.code, 0, change.err)
        XCTAssertTrue(change.out.contains("transmitters: 0 added, 0 changed, 1 closed"), change.out)
        Thread.sleep(forTimeInterval: 1.2)
        try recordRuns(db, dir, step: "2")
        let t2 = try latestRun(db)

        let villages = try villageChanges(before: dir.appendingPathComponent("comp-1"), after: dir.appendingPathComponent("comp-2"))
        XCTAssertFalse(villages.isEmpty, "removing \(Self.removedTransmitter) uncovers no village: the planted change tests nothing")
        XCTAssertTrue(villages.allSatisfy { $0.hasSuffix(" new") }, "\(villages)")
        let expected =
            [
                "transmitters \(Self.removedTransmitter) removed", "assignments FM-02 tx_frequency_mhz: 98.5 → 105.5",
                "findings co_channel FM-02 / FM-01 resolved"
            ] + villages
        let diff = try runTanso(["store", "diff", "--db", db, "--from", t1, "--to", t2, "--output", dir.appendingPathComponent("diff").path])
        XCTAssertEqual(diff.code, 0, diff.err)
        let listed = diff.out.split(separator: "\n").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(listed, expected)
        XCTAssertTrue(
            diff.out.hasPrefix(
                "register changes from \(t1) to \(t2): 0 added, 1 removed, 1 modified; conflicts: 0 new, 1 resolved; uncovered villages: \(villages.count) new, 0 resolved"
            ), diff.out)
        print("store diff: \(villages.count) villages newly uncovered by removing \(Self.removedTransmitter): \(villages)")
        // Nothing changed between the first runs and the change.
        let quiet = try runTanso(["store", "diff", "--db", db, "--from", t1, "--to", t1])
        XCTAssertEqual(quiet.out.split(separator: "\n").count, 1, quiet.out)
    }

    func testRecordedRunsNoteWhoWhenInputsAndKeepTheirRastersByRelativePath() throws {
        let dir = try scratchFolder("run-record")
        let db = try importedRegister(dir).db
        try recordRuns(db, dir, step: "1")
        let store = try Store(db)
        let runs = try store.query("SELECT kind, who, inputs, command FROM runs ORDER BY run_id")
        XCTAssertEqual(runs.map { $0["kind"] }, ["conflicts", "coverage", "compliance"])
        let user = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
        for r in runs {
            XCTAssertEqual(r["who"], user)
            let inputs = try XCTUnwrap(r["inputs"])
            XCTAssertTrue(inputs.contains("\"role\":\"store\""), inputs)
            XCTAssertNotNil(inputs.range(of: "\"sha256\":\"[0-9a-f]{64}\"", options: .regularExpression), inputs)
            XCTAssertTrue(inputs.contains("\"path\":\"\(db)\""), "the register as given on the command line: \(inputs)")
        }
        // The rasters: relative to the register's folder, each file's SHA-256 as recorded and equal to the run's.
        let rasters = try store.rasters()
        XCTAssertEqual(rasters.first?.name, "best_signal_dbm.tif")
        XCTAssertEqual(rasters.count, 1 + (try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("cov-1/services").path).count))
        for r in rasters {
            XCTAssertTrue(r.path.hasPrefix("register.rasters/coverage-"), r.path)
            let file = dir.appendingPathComponent(r.path).path
            XCTAssertEqual(try SHA256.hex(ofFile: file), r.sha256)
            XCTAssertEqual(try SHA256.hex(ofFile: dir.appendingPathComponent("cov-1/\(r.name)").path), r.sha256)
            // A cloud-optimised GeoTIFF as GDAL's COG driver writes it: the layout note at the head of the file.
            let head = try XCTUnwrap(FileHandle(forReadingAtPath: file)).readData(ofLength: 200)
            XCTAssertTrue(String(decoding: head, as: UTF8.self).contains("LAYOUT=IFDS_BEFORE_DATA"), file)
        }
        // Compliance published each commune's figures per technology. (The coverage run publishes its combined
        // 4G/5G figures; recorded within the same second, they share the compliance run's as_of.)
        let figures = try store.query(
            "SELECT technology, count(*) AS n FROM published_coverage WHERE as_of = (SELECT max(as_of) FROM published_coverage) AND technology <> '4G/5G' GROUP BY technology ORDER BY technology"
        )
        XCTAssertEqual(figures.map { $0["technology"] }, ["2G", "3G", "4G", "5G"])
    }
}

// The sample register (data/*.csv) with a planted set of changes, applied the same way to a GeoPackage and to
// PostgreSQL, and the register changes an inspector must be shown for it (written by hand, not computed).
import Foundation
import Records
import Store
import TestSupport
import XCTest

enum PlantedChanges {
    static let root = ReferenceData.projectRoot()
    static func data(_ name: String) -> String { root.appendingPathComponent("data/\(name)").path }

    static func load() throws -> (transmitters: [StoreRow], assignments: [StoreRow], villages: [StoreRow]) {
        var report = LoadReport()
        return (
            try TransmitterLoader.load(data("transmitters.csv"), report: &report).map(StoreRecords.row),
            try AssignmentLoader.load(data("assignments.csv"), report: &report).map(StoreRecords.row),
            try VillageLoader.load(data("villages.csv"), report: &report).map(StoreRecords.row)
        )
    }

    /// 2026-01-01: the sample register. 2026-02-01: assignment A-VT-S001-4G-1 gets 58 dBm at 120°, A-MBF-S001-4G-2
    /// disappears, A-VT-NEW-1 appears. 2026-03-01: transmitter VT-S001-4G-1 is raised to 30 m.
    static func apply(to store: Store) throws {
        let (tx, asg, vil) = try load()
        XCTAssertEqual(try store.importRows(.transmitters, rows: tx, asOf: "2026-01-01T00:00:00Z").added, tx.count)
        XCTAssertEqual(try store.importRows(.assignments, rows: asg, asOf: "2026-01-01T00:00:00Z").added, asg.count)
        XCTAssertEqual(try store.importRows(.villages, rows: vil, asOf: "2026-01-01T00:00:00Z").added, vil.count)

        var february = asg.filter { $0["id"] != "A-MBF-S001-4G-2" }
        let i = try XCTUnwrap(february.firstIndex { $0["id"] == "A-VT-S001-4G-1" })
        XCTAssertEqual(february[i]["eirp_dbm"], "61.0")
        XCTAssertEqual(february[i]["azimuth_deg"], "114.0")
        february[i]["eirp_dbm"] = "58.0"
        february[i]["azimuth_deg"] = "120.0"
        var added = february[i]
        added["id"] = "A-VT-NEW-1"
        added["tx_frequency_mhz"] = "1847.5"
        february.append(added)
        let s = try store.importRows(.assignments, rows: february, asOf: "2026-02-01T00:00:00Z")
        XCTAssertEqual(s, ImportSummary(added: 1, changed: 1, closed: 1, unchanged: asg.count - 2))

        var march = tx
        let j = try XCTUnwrap(march.firstIndex { $0["id"] == "VT-S001-4G-1" })
        XCTAssertEqual(march[j]["antenna_height_m"], "24.9")
        march[j]["antenna_height_m"] = "30.0"
        XCTAssertEqual(try store.importRows(.transmitters, rows: march, asOf: "2026-03-01T00:00:00Z").changed, 1)
    }

    /// The changes between 2026-01-15 and 2026-03-15, as an inspector reads them.
    static let expectedJanuaryToMarch = [
        "transmitters VT-S001-4G-1 antenna_height_m: 24.9 → 30.0",
        "assignments A-MBF-S001-4G-2 removed",
        "assignments A-VT-NEW-1 added",
        "assignments A-VT-S001-4G-1 eirp_dbm: 61.0 → 58.0",
        "assignments A-VT-S001-4G-1 azimuth_deg: 114.0 → 120.0"
    ]

    /// The changes between 2026-01-15 and 2026-02-15 (the transmitter's change comes later).
    static let expectedJanuaryToFebruary = Array(expectedJanuaryToMarch.dropFirst())

    /// Checks the diffs of `store` against the planted changes.
    static func checkDiffs(_ store: Store, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(
            try store.diff(from: "2026-01-15T00:00:00Z", to: "2026-03-15T00:00:00Z").map(\.description), expectedJanuaryToMarch,
            file: file, line: line)
        XCTAssertEqual(
            try store.diff(from: "2026-01-15T00:00:00Z", to: "2026-02-15T00:00:00Z").map(\.description), expectedJanuaryToFebruary,
            file: file, line: line)
        XCTAssertEqual(try store.diff(from: "2026-02-15T00:00:00Z", to: "2026-02-20T00:00:00Z"), [], file: file, line: line)
        // Before the first import nothing existed: everything is added, nothing else.
        let (tx, asg, vil) = try load()
        let all = try store.diff(from: "2025-12-01T00:00:00Z", to: "2026-01-15T00:00:00Z")
        XCTAssertEqual(all.count, tx.count + asg.count + vil.count, file: file, line: line)
        XCTAssertTrue(all.allSatisfy { $0.kind == .added }, file: file, line: line)
    }
}

/// Runs the `tanso` executable built beside the tests.
func runTanso(_ args: [String]) throws -> (code: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = TansoExecutable.url
    p.arguments = args
    p.currentDirectoryURL = PlantedChanges.root
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// A new GeoPackage register `dir`/register.gpkg with the sample records of data/ (valid from 2026-01-01), made
/// by the CLI as a user makes it; returns its path and the import's output.
func importedRegister(_ dir: URL) throws -> (db: String, out: String) {
    let db = dir.appendingPathComponent("register.gpkg").path
    XCTAssertEqual(try runTanso(["store", "init", "--db", db]).code, 0)
    let imp = try runTanso([
        "store", "import", "--db", db, "--transmitters", "data/transmitters.csv", "--assignments", "data/assignments.csv",
        "--villages", "data/villages.csv", "--as-of", "2026-01-01"
    ])
    XCTAssertEqual(imp.code, 0, imp.err)
    return (db, imp.out)
}

/// A fresh folder under out/ for a test's files (emptied first: the last run's files stay until the next run).
func scratchFolder(_ name: String) throws -> URL {
    let url = PlantedChanges.root.appendingPathComponent("out/store-tests/\(name)")
    try? FileManager.default.removeItem(at: url)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs a program to its end with posix_spawn and waitpid, its output through temporary files. (Foundation's
/// Process.waitUntilExit never returned for scripts/dev-postgres, whose server outlives it, in a class setUp.)
func spawnAndWait(_ executable: String, _ args: [String]) throws -> (code: Int32, out: String, err: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-spawn-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let outPath = dir.appendingPathComponent("out").path, errPath = dir.appendingPathComponent("err").path
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let argv = ([executable] + args).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard rc == 0 else { throw NSError(domain: NSPOSIXErrorDomain, code: Int(rc)) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (
        code, (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
        (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    )
}

// tanso store init|import|export|diff: the shared register on GeoPackage or PostgreSQL/PostGIS (Sources/Store).
import Analysis
import Foundation
import Geo
import Radio
import Records
import Reports
import Store

enum StoreCommand {
    static let dbOption = OptionSpec.value(
        "db", "DB", "the register: a GeoPackage file (register.gpkg) or a PostgreSQL connection string (PG:host=… dbname=… user=…)",
        required: true)

    static let help = """
        The shared register: transmitters, assignments, villages and proposals with their history, on a GeoPackage
        file or a PostgreSQL/PostGIS database (same commands, same results; roles only on PostgreSQL).

        Usage: tanso store init   --db DB
               tanso store import --db DB [--transmitters F] [--assignments F] [--villages F] [--proposals F,…]
                                  [--as-of DATE] [--partial]
               tanso store export --db DB --output DIR [--at DATE]
               tanso store diff   --db DB --from DATE --to DATE [--output DIR]

          init     creates the tables (valid_from/valid_to on every record). On PostgreSQL also the roles
                   tanso_regulator, tanso_operators, tanso_public, row-level security policies, the audit_log table
                   and its triggers, and a guard that refuses to delete or rewrite a version.
          import   loads record files with the same loaders (and the same row-level errors) as every command, then
                   brings the register to them as of --as-of (default: now): new ids added, changed records closed
                   and re-opened, records absent from the file closed (unless --partial). Only what changed is
                   written. On PostgreSQL each new operator or licensee gets its role tanso_operator_<name>.
                   Connected as an operator's user, an import sees and changes that operator's rows only.
                   --proposals: tower-sharing proposals (the JSON files of tanso share-check), each owned by its
                   operator like its transmitters (an operator reads and writes only its own); tanso share-check
                   --db DB --proposal ID reads one back.
          export   writes transmitters.csv, assignments.csv and villages.csv (the versions valid --at DATE, default
                   now) that tanso coverage, conflicts and the others read, with study.json.
          diff     lists the register changes between two dates: added, removed and modified records (field by
                   field, old → new), and the results of recorded runs that are new or resolved: conflicts (tanso
                   conflicts --db DB --record) and uncovered villages per technology (tanso compliance --db DB
                   --record), each date taking the findings open after the last run recorded before it; with
                   --output, register_changes.csv.

        DATE: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC). The connection string never appears in messages or products:
        a PostgreSQL database is named by its dbname only.

        Commands that read records take --db DB in place of record files (the current versions): coverage,
        conflicts, compliance, candidates, share-check (its proposals too: --proposal ID), monitor, villages,
        interference, locate, channels, broadcast, measurements, calibrate. With --record, conflicts keeps its
        conflicts as findings, compliance its uncovered villages per technology and commune figures, coverage its
        COG rasters (REGISTER.rasters/ beside a GeoPackage; --rasters DIR for PostgreSQL; relative paths and
        SHA-256 in run_rasters) and commune figures; every recorded run notes who, when, command and inputs.

        Examples:
          tanso store init --db out/register.gpkg
          tanso store import --db out/register.gpkg --transmitters data/transmitters.csv \\
                             --assignments data/assignments.csv --villages data/villages.csv --as-of 2026-01-01
          tanso store diff --db out/register.gpkg --from 2026-01-01 --to 2026-02-01
          tanso store export --db out/register.gpkg --output out/register-export
          tanso store init --db "PG:host=/tmp/tanso-pg-x port=5432 dbname=tanso user=postgres"
        """

    static func run(_ args: [String]) throws -> Int32 {
        guard let sub = args.first, !sub.hasPrefix("-") else {
            if args.contains("--help") || args.contains("-h") { print(help); return 0 }
            throw UsageError(message: "missing subcommand: init, import, export or diff", command: "store")
        }
        let rest = Array(args.dropFirst())
        switch sub {
        case "init": return try initialize(rest)
        case "import": return try importFiles(rest)
        case "export": return try export(rest, all: args)
        case "diff": return try diff(rest, all: args)
        case "help": print(help); return 0
        default: throw UsageError(message: "unknown subcommand '\(InputText.echo(sub))': init, import, export or diff", command: "store")
        }
    }

    static func parse(_ args: [String], _ options: [OptionSpec]) throws -> ParsedArguments? {
        let a = try ParsedArguments(command: "store", arguments: args, options: options)
        if a.helpRequested { print(help); return nil }
        return a
    }

    static func date(_ a: ParsedArguments, _ name: String) throws -> String? {
        guard let raw = a.string(name) else { return nil }
        guard let t = StoreTime.parse(raw) else {
            throw UsageError(message: "--\(name) expects YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, got '\(InputText.echo(raw))'", command: "store")
        }
        return t
    }

    static func initialize(_ args: [String]) throws -> Int32 {
        guard let a = try parse(args, [dbOption]) else { return 0 }
        let store = try Store(a.string("db")!, create: true)
        try store.initialize()
        try store.close()
        print("initialised \(store.label)" + (store.dialect == .postgreSQL ? " (roles tanso_regulator, tanso_operators, tanso_public; audit_log)" : ""))
        return 0
    }

    static func importFiles(_ args: [String]) throws -> Int32 {
        let options: [OptionSpec] = [
            dbOption,
            .value("transmitters", "FILE", "transmitters (any OGR source, data/README.md)"),
            .value("assignments", "FILE", "frequency assignments (any OGR source)"),
            .value("villages", "FILE", "villages (any OGR source)"),
            .value("proposals", "F,…", "tower-sharing proposals: JSON files of tanso share-check, comma-separated"),
            .value("as-of", "DATE", "when the imported state became valid [default: now]"),
            .flag("partial", "keep the current records absent from the files (default: they are closed)"),
            .flag("skip-invalid", "skip invalid rows (each is reported) instead of stopping at the first"),
            TansoCLI.encodingOption
        ]
        guard let a = try parse(args, options) else { return 0 }
        let enc = try TansoCLI.encoding(a)
        let asOf = try date(a, "as-of") ?? StoreTime.now
        let skip = a.flag("skip-invalid")
        // Every file is read and checked before the store is touched.
        var batches: [(RegisterTable, [StoreRow])] = []
        var report = LoadReport()
        if let f = a.string("transmitters") {
            batches.append((.transmitters, try TransmitterLoader.load(f, skipInvalid: skip, encoding: enc, report: &report).map(StoreRecords.row)))
        }
        if let f = a.string("assignments") {
            batches.append((.assignments, try AssignmentLoader.load(f, skipInvalid: skip, encoding: enc, report: &report).map(StoreRecords.row)))
        }
        if let f = a.string("villages") {
            batches.append((.villages, try VillageLoader.load(f, skipInvalid: skip, encoding: enc, report: &report).map(StoreRecords.row)))
        }
        if let list = a.string("proposals") {
            batches.append((.proposals, try StoreProposals.rows(list.split(separator: ",").map { String($0) })))
        }
        TansoCLI.reportSkipped(report, what: "record")
        guard !batches.isEmpty else {
            throw UsageError(message: "nothing to import: give --transmitters, --assignments, --villages and/or --proposals", command: "store")
        }
        let store = try Store(a.string("db")!)
        for (table, rows) in batches {
            let summary = try store.importRows(table, rows: rows, asOf: asOf, partial: a.flag("partial"))
            print("\(table.rawValue): \(summary)")
        }
        try store.close()
        return 0
    }

    static func export(_ args: [String], all: [String]) throws -> Int32 {
        let options: [OptionSpec] = [
            dbOption, .value("output", "DIR", "folder for transmitters.csv, assignments.csv, villages.csv", required: true),
            .value("at", "DATE", "export the versions valid at this date [default: now]")
        ]
        guard let a = try parse(args, options) else { return 0 }
        let at = try date(a, "at")
        let store = try Store(a.string("db")!)
        let tables: [RegisterTable] = [.transmitters, .assignments, .villages]
        let names = tables.map { "\($0.rawValue).csv" }
        let command = redacted(["tanso", "store"] + all)
        let output = try OutputOptions.value(a)
        let tx = try OutputOptions.open(output, command: command, inputs: [], writes: names)
        var counts: [String] = []
        for table in tables {
            let rows = try store.versions(table, at: at).features.map(\.attributes)
            try CSV.write(
                header: table.columns.map(\.name), rows: StoreRecords.csvRows(table, rows),
                to: (tx.staging as NSString).appendingPathComponent("\(table.rawValue).csv"))
            counts.append("\(rows.count) \(table.rawValue)")
        }
        try OutputOptions.commit(tx, kind: "store-export", command: command, inputs: [])
        print("exported \(counts.joined(separator: ", ")) from \(store.label)\(at.map { " as at \($0)" } ?? "") to \(output)")
        return 0
    }

    static func diff(_ args: [String], all: [String]) throws -> Int32 {
        let options: [OptionSpec] = [
            dbOption, .value("from", "DATE", "the earlier date", required: true), .value("to", "DATE", "the later date", required: true),
            .value("output", "DIR", "also write register_changes.csv (table,id,change,field,old_value,new_value) with study.json there")
        ]
        guard let a = try parse(args, options) else { return 0 }
        let from = try date(a, "from")!, to = try date(a, "to")!
        guard from <= to else { throw UsageError(message: "--from \(from) is after --to \(to)", command: "store") }
        let store = try Store(a.string("db")!)
        let conflicts = try store.resultChanges(kind: "conflicts", from: from, to: to)
        let uncovered = try store.resultChanges(kind: "compliance", from: from, to: to)
        let changes = try store.diff(from: from, to: to) + conflicts + uncovered
        let count = { (k: RegisterChange.Kind) in Set(changes.filter { $0.kind == k }.map { "\($0.table) \($0.id)" }).count }
        let results = { (name: String, c: [RegisterChange]) in
            c.isEmpty ? "" : "; \(name): \(c.filter { $0.kind == .new }.count) new, \(c.filter { $0.kind == .resolved }.count) resolved"
        }
        print(
            "register changes from \(from) to \(to): \(count(.added)) added, \(count(.removed)) removed, \(count(.modified)) modified"
                + results("conflicts", conflicts) + results("uncovered villages", uncovered))
        for c in changes { print("  " + c.description) }
        if let output = a.string("output") {
            let command = redacted(["tanso", "store"] + all)
            let tx = try OutputOptions.open(output, command: command, inputs: [], writes: ["register_changes.csv"])
            try CSV.write(
                header: RegisterChange.header, rows: changes.map(\.csvRow),
                to: (tx.staging as NSString).appendingPathComponent("register_changes.csv"))
            try OutputOptions.commit(tx, kind: "store-diff", command: command, inputs: [])
        }
        return 0
    }

    /// A command line as recorded in study.json and logs: a `PG:` connection string becomes its label.
    static func redacted(_ args: [String]) -> [String] {
        args.map { arg in
            if SQLDatabase.isPostgreSQL(arg) { return SQLDatabase.label(arg) }
            if let eq = arg.firstIndex(of: "="), arg.hasPrefix("--"), SQLDatabase.isPostgreSQL(String(arg[arg.index(after: eq)...])) {
                return String(arg[...eq]) + SQLDatabase.label(String(arg[arg.index(after: eq)...]))
            }
            return SQLDatabase.redact(arg)
        }
    }

    /// Records a conflicts run in the register (`tanso conflicts --db DB --record`); returns the line printed.
    static func record(
        _ conflicts: [Conflict], assignments: [Assignment], in store: Store, command: [String], inputs: [(role: String, path: String?)]
    ) throws -> String {
        var licensee: [String: String] = [:]
        for x in assignments { licensee[x.id] = x.licensee }
        let findings = conflicts.map { c in
            StoreFinding(
                kind: c.kind.rawValue, subject: [c.aID, c.bID, c.cID].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " / "),
                operatorName: licensee[c.aID], severity: c.severity.rawValue, detail: c.explanation)
        }
        let r = try store.recordRun(kind: "conflicts", command: command, inputs: try StoreRecording.inputsJSON(inputs), findings: findings, at: StoreTime.now)
        return "recorded in \(store.label): \(r.new) new, \(r.resolved) resolved, \(r.unchanged) still open\n"
    }

    /// Publishes a coverage run's village figures per commune (`tanso coverage --db DB --record`): population, and
    /// population of the villages covered in 4G or 5G (villages.csv, column covered_4g_5g). Returns the line printed.
    static func recordCoverage(output: String, in store: Store, command: [String], rasterFolder: String?) throws -> String {
        let path = (output as NSString).appendingPathComponent("villages.csv")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InputError("--record publishes the villages' figures: the run wrote no villages.csv (give villages, and --products with villages)")
        }
        var rows = CSV.parse(text)
        guard !rows.isEmpty else { throw InputError("\(path): empty") }
        let header = rows.removeFirst()
        let col = { (name: String) in header.firstIndex(of: name) }
        guard let d = col("district"), let c = col("commune"), let p = col("population"), let k = col("covered_4g_5g") else {
            throw InputError("\(path): expected the columns district, commune, population, covered_4g_5g")
        }
        var sums: [String: (district: String, commune: String, population: Int, covered: Int)] = [:]
        for r in rows where r.count == header.count {
            let key = r[d] + "\u{1}" + r[c], pop = Int(r[p]) ?? 0
            var e = sums[key] ?? (r[d], r[c], 0, 0)
            e.population += pop
            if r[k] == "1" { e.covered += pop }
            sums[key] = e
        }
        let figures = sums.keys.sorted().map { key in
            let e = sums[key]!
            return CoverageFigure(
                district: e.district, commune: e.commune, operatorName: "all", technology: "4G/5G", population: e.population, coveredPopulation: e.covered)
        }
        let at = StoreTime.now
        let kept = try StoreRecording.keepRasters(of: output, for: store, in: rasterFolder, at: at)
        do {
            try store.recordCoverage(
                command: command, inputs: try StoreRecording.inputsJSON(folder: output), rasters: kept.rasters, figures: figures, at: at)
        } catch {
            try? FileManager.default.removeItem(atPath: kept.folder)
            throw error
        }
        return
            "recorded in \(store.label): the run, its \(kept.rasters.count) COG rasters (in \(kept.reference)) and the coverage of \(figures.count) communes (published_coverage)"
    }

    /// The `--db` file recorded with its SHA-256 in study.json: a GeoPackage; a PostgreSQL database is not a file
    /// (and its connection string is never recorded).
    static func recordedPath(_ a: ParsedArguments) -> String? {
        a.string("db").flatMap { SQLDatabase.isPostgreSQL($0) ? nil : $0 }
    }

    /// The records of `--db` for commands that read them (the current versions), with how study.json names it.
    static func open(_ a: ParsedArguments) throws -> Store? {
        guard let db = a.string("db") else { return nil }
        return try Store(db)
    }
}

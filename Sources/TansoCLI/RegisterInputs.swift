// The records a command reads — transmitters, assignments, villages — from their files or, with --db, from a
// register (the current versions, through the same loaders). One place for every command: each declares
// `RegisterInputs.dbOption(...)` and asks for the records it needs.
import Foundation
import Radio
import Records
import Store

final class RegisterInputs {
    let a: ParsedArguments
    let store: Store?
    let encoding: TextEncoding
    /// The rows skipped with --skip-invalid (each also reported on standard error), named by file name.
    private(set) var skipped: [RecordError] = []

    /// The `--db` option of a command that reads `replacing` (e.g. "--villages") from files otherwise.
    static func dbOption(replacing files: String) -> OptionSpec {
        .value("db", "DB", "instead of \(files): the current records of a register (tanso store: a GeoPackage or PG:…)")
    }

    init(_ a: ParsedArguments, encoding: TextEncoding) throws {
        self.a = a
        self.encoding = encoding
        store = try StoreCommand.open(a)
    }

    /// The command line as study.json and logs record it (a connection string becomes its database's name).
    func command(_ args: [String]) -> [String] { StoreCommand.redacted(["tanso", a.command] + args) }

    /// The `--db` GeoPackage recorded in study.json with its SHA-256 (nil for PostgreSQL or without --db).
    var storePath: String? { StoreCommand.recordedPath(a) }

    /// How messages name where `option`'s records came from: the file, or the register's label.
    func sourceName(_ option: String) -> String? {
        a.string(option).map { URL(fileURLWithPath: $0).lastPathComponent } ?? store.map { "\($0.label), table \(option)" }
    }

    func villages(_ option: String = "villages", required: Bool = true, layer: String? = nil) throws -> [Village]? {
        try load(option, what: "village", required: required, fromStore: { try $0.villages() }) { path, report in
            try VillageLoader.load(path, layer: layer, skipInvalid: a.flag("skip-invalid"), encoding: encoding, report: &report)
        }
    }

    func transmitters(_ option: String = "transmitters", required: Bool = true) throws -> [Transmitter]? {
        try load(option, what: "transmitter", required: required, fromStore: { try $0.transmitters() }) { path, report in
            try TransmitterLoader.load(path, skipInvalid: a.flag("skip-invalid"), encoding: encoding, report: &report)
        }
    }

    func assignments(_ option: String = "assignments", required: Bool = true) throws -> [Assignment]? {
        try load(option, what: "assignment", required: required, fromStore: { try $0.assignments() }) { path, report in
            try AssignmentLoader.load(path, skipInvalid: a.flag("skip-invalid"), encoding: encoding, report: &report)
        }
    }

    /// The file of `--option` when given; else the register's records when --db is; both is a usage error.
    private func load<T>(
        _ option: String, what: String, required: Bool, fromStore: (Store) throws -> [T], fromFile: (String, inout LoadReport) throws -> [T]
    ) throws -> [T]? {
        switch (a.string(option), store) {
        case (_?, _?):
            throw UsageError(message: "give --\(option) FILE or --db DB, not both", command: a.command)
        case (let path?, nil):
            var report = LoadReport()
            let records = try fromFile(path, &report)
            TansoCLI.reportSkipped(report, what: what)
            skipped += report.skipped.map {
                RecordError(source: URL(fileURLWithPath: $0.source).lastPathComponent, row: $0.row, column: $0.column, value: $0.value, expected: $0.expected)
            }
            return records
        case (nil, let store?):
            return try fromStore(store)
        case (nil, nil):
            if required { throw UsageError(message: "missing --\(option) FILE (or --db DB)", command: a.command) }
            return nil
        }
    }
}

// --output for every command: never empty, never an input. Folders are transactions (Reports/OutputFolder.swift):
// opened before the work starts (lock, leftovers cleaned, inputs checked), committed with their record at the end.
import Foundation
import Reports
import Geo

enum OutputOptions {
    /// The value of `--output`, refused when empty (it would write into the current folder).
    static func value(_ a: ParsedArguments, _ name: String = "output") throws -> String {
        let v = a.string(name) ?? ""
        guard !v.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UsageError(message: "--\(name) is empty: give a \(name == "output" ? "path" : "value") for the products", command: a.command)
        }
        return v
    }

    /// Refuses a single output file that is one of the inputs (compared by resolved real path).
    static func refuseOverwrite(file output: String, inputs: [String?]) throws {
        // A product replaces only a regular file: never a device (/dev/full, /dev/null), a FIFO, a socket or a
        // folder, which the atomic rename would otherwise swap for a plain file.
        if let type = (try? FileManager.default.attributesOfItem(atPath: output))?[.type] as? FileAttributeType,
            type != .typeRegular, type != .typeSymbolicLink
        {
            let what =
                type == .typeDirectory
                ? "a folder"
                : type == .typeCharacterSpecial || type == .typeBlockSpecial
                    ? "a device"
                    : type == .typeSocket ? "a socket" : "not a regular file (a FIFO?)"
            throw InputError("--output \(output) is \(what): tanso writes its products only as regular files; choose a file path")
        }
        let out = realPath(output)
        for case let i? in inputs where !i.isEmpty && realPath(i) == out {
            throw InputError("--output \(output) is the input \(i): the run would overwrite it; choose another --output")
        }
    }

    /// A path with its existing part's symbolic links resolved (the rest appended).
    static func realPath(_ path: String) -> String {
        let abs = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var existing = (abs as NSString).standardizingPath, rest: [String] = []
        while !existing.isEmpty && existing != "/" {
            if let r = realpath(existing, nil) {
                defer { free(r) }
                return ([String(cString: r)] + rest.reversed()).joined(separator: "/")
            }
            rest.append((existing as NSString).lastPathComponent)
            existing = (existing as NSString).deletingLastPathComponent
        }
        return "/" + rest.reversed().joined(separator: "/")
    }

    /// Opens the output folder of a run.
    static func open(_ output: String, command: [String], inputs: [String?], writes: [String]) throws -> OutputTransaction {
        try OutputTransaction(output: output, command: command, inputs: inputs.compactMap { $0 }, writes: writes)
    }

    /// Commits a folder written by a command other than coverage, with a record of its inputs.
    @discardableResult
    static func commit(_ tx: OutputTransaction, kind: String, command: [String], inputs: [(role: String, path: String?)]) throws -> [ProductEntry] {
        try commit(tx, kind: kind, command: command, recorded: try inputs.compactMap { i in try i.path.map { try RunRecord.input(role: i.role, path: $0) } })
    }

    /// Starts taking the inputs' records (size, SHA-256) on another thread.
    static func recordInputs(_ inputs: [(role: String, path: String?)]) -> Background<[RunRecord.Input]> {
        let list = inputs.map { (role: $0.role, path: $0.path) }
        return Background { try list.compactMap { i in try i.path.map { try RunRecord.input(role: i.role, path: $0) } } }
    }

    /// Commits with inputs already recorded.
    @discardableResult
    static func commit(_ tx: OutputTransaction, kind: String, command: [String], recorded: [RunRecord.Input]) throws -> [ProductEntry] {
        try tx.commit { run, products in
            try RunRecord.encode(
                FolderRecord(
                    tool: "tanso \(TansoCLI.version)", kind: kind, command: command, inputs: recorded,
                    run: run, products: products))
        }
    }
}

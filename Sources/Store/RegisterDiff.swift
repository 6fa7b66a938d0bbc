// What changed in the register between two instants, for inspectors: records added, removed, and modified field
// by field (the versions valid at `from` against those valid at `to`).
import Foundation
import Geo

public struct RegisterChange: Sendable, Equatable, CustomStringConvertible {
    /// Records: added, removed, modified; findings of runs: new, resolved.
    public enum Kind: String, Sendable { case added, removed, modified, new, resolved }
    public var table: String
    public var id: String
    public var kind: Kind
    /// For `modified`: the field, its value at `from` and at `to` (nil = empty).
    public var field: String?
    public var old: String?
    public var new: String?

    public var description: String {
        switch kind {
        case .added, .removed, .new, .resolved: return "\(table) \(id) \(kind.rawValue)"
        case .modified: return "\(table) \(id) \(field ?? ""): \(old ?? "(empty)") → \(new ?? "(empty)")"
        }
    }

    /// The columns of register_changes.csv.
    public static let header = ["table", "id", "change", "field", "old_value", "new_value"]
    public var csvRow: [String] { [table, id, kind.rawValue, field ?? "", old ?? "", new ?? ""] }
}

extension Store {
    /// The changes of `tables` between the versions valid at `from` and those valid at `to`, by table, id, then
    /// the record's column order.
    public func diff(from: String, to: String, tables: [RegisterTable] = RegisterTable.allCases) throws -> [RegisterChange] {
        var out: [RegisterChange] = []
        for table in tables {
            let before = try keyed(table, at: from), after = try keyed(table, at: to)
            for id in Set(before.keys).union(after.keys).sorted() {
                switch (before[id], after[id]) {
                case (nil, _?): out.append(RegisterChange(table: table.rawValue, id: id, kind: .added))
                case (_?, nil): out.append(RegisterChange(table: table.rawValue, id: id, kind: .removed))
                case (let a?, let b?):
                    for c in table.columns where a[c.name] != b[c.name] {
                        out.append(RegisterChange(table: table.rawValue, id: id, kind: .modified, field: c.name, old: a[c.name], new: b[c.name]))
                    }
                default: break
                }
            }
        }
        return out
    }

    private func keyed(_ table: RegisterTable, at instant: String) throws -> [String: StoreRow] {
        var out: [String: StoreRow] = [:]
        for f in try versions(table, at: instant).features { out[f.attributes["id"] ?? ""] = f.attributes }
        return out
    }
}

/// Instants of the register: ISO 8601 UTC text, compared as text by both databases.
public enum StoreTime {
    /// `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS][Z]` (or a space for T), as `YYYY-MM-DDTHH:MM:SSZ`; nil when malformed.
    public static func parse(_ raw: String) -> String? {
        let s = raw.trimmingCharacters(in: .whitespaces)
        let digits = s.unicodeScalars.map { $0 }
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= digits.count else { return nil }
            let part = String(String.UnicodeScalarView(digits[from..<(from + count)]))
            return part.allSatisfy(\.isASCII) ? Int(part) : nil
        }
        guard digits.count >= 10, let y = number(0, 4), digits[4] == "-", let mo = number(5, 2), digits[7] == "-", let d = number(8, 2)
        else { return nil }
        var h = 0, mi = 0, sec = 0
        var rest = String(String.UnicodeScalarView(digits[10...]))
        if !rest.isEmpty {
            guard rest.first == "T" || rest.first == " ", rest.count >= 6 else { return nil }
            let t = Array(rest.dropFirst().unicodeScalars)
            guard t.count >= 5, t[2] == ":", let hh = Int(String(String.UnicodeScalarView(t[0..<2]))),
                let mm = Int(String(String.UnicodeScalarView(t[3..<5])))
            else { return nil }
            h = hh; mi = mm
            rest = String(String.UnicodeScalarView(t[5...]))
            if rest.hasPrefix(":") {
                guard rest.count >= 3, let ss = Int(rest.dropFirst().prefix(2)) else { return nil }
                sec = ss
                rest = String(rest.dropFirst(3))
            }
            guard rest.isEmpty || rest == "Z" else { return nil }
        }
        var c = DateComponents()
        c.year = y; c.month = mo; c.day = d; c.hour = h; c.minute = mi; c.second = sec
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 60, let date = cal.date(from: c),
            cal.component(.day, from: date) == d
        else { return nil }
        return format(date)
    }

    public static func format(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")!
        return f.string(from: date)
    }

    public static var now: String { format(Date()) }
}

// MARK: Results

/// A finding of a run (a conflict of `tanso conflicts`), as the store keeps it: `subject` identifies it across runs.
public struct StoreFinding: Sendable, Equatable {
    public var kind: String
    public var subject: String
    public var operatorName: String?
    public var severity: String?
    public var detail: String?
    public init(kind: String, subject: String, operatorName: String?, severity: String?, detail: String?) {
        self.kind = kind; self.subject = subject; self.operatorName = operatorName; self.severity = severity; self.detail = detail
    }
    var key: String { kind + " " + subject }
}

extension Store {
    /// Records a run of `kind` and its findings as of `at`: findings not open yet are opened (new), open findings
    /// of earlier runs of that kind that this run no longer finds are closed (resolved). One transaction.
    /// `inputs`: the run's inputs as its study.json lists them (JSON: role, path, sha256).
    public func recordRun(
        kind: String, command: [String], inputs: String? = nil, findings: [StoreFinding], at: String
    ) throws -> (
        new: Int, resolved: Int, unchanged: Int
    ) {
        try db.transaction { try insertRunAndFindings(kind: kind, command: command, inputs: inputs, findings: findings, at: at) }
    }

    func insertRunAndFindings(
        kind: String, command: [String], inputs: String?, findings: [StoreFinding], at: String
    ) throws -> (
        new: Int, resolved: Int, unchanged: Int
    ) {
        let runID = try insertRun(kind: kind, command: command, inputs: inputs, at: at)
        var open: [String: String] = [:] // key → finding_id
        for f in try openFindings(kind: kind) { open[(f["kind"] ?? "") + " " + (f["subject_id"] ?? "")] = f["finding_id"] }
        var seen = Set<String>(), new = 0
        for f in findings where !seen.contains(f.key) {
            seen.insert(f.key)
            if open[f.key] != nil { continue }
            let values =
                [runID, StoreSQL.text(f.kind), StoreSQL.text(f.subject)] + [f.operatorName, f.severity, f.detail, at].map { StoreSQL.literal($0, .text) }
            try db.execute(
                "INSERT INTO findings (run_id, kind, subject_id, operator, severity, detail, valid_from) VALUES (\(values.joined(separator: ", ")))")
            new += 1
        }
        var resolved = 0
        for (key, id) in open where !seen.contains(key) {
            try db.execute("UPDATE findings SET valid_to = \(StoreSQL.text(at)) WHERE finding_id = \(id)")
            resolved += 1
        }
        return (new, resolved, seen.count - new)
    }

    /// Writes the run record (kind, time, command, inputs, and who: the database user on PostgreSQL, the system
    /// user on a GeoPackage); returns its run_id. Inside the caller's transaction.
    func insertRun(kind: String, command: [String], inputs: String?, at: String) throws -> String {
        let token = UUID().uuidString
        let values = [kind, at, command.joined(separator: " "), token, try currentUser()].map(StoreSQL.text) + [StoreSQL.literal(inputs, .text)]
        try db.execute("INSERT INTO runs (kind, started_at, command, record, who, inputs) VALUES (\(values.joined(separator: ", ")))")
        guard let runID = try db.query("SELECT run_id FROM runs WHERE record = \(StoreSQL.text(token))").features.first?.attributes["run_id"] else {
            throw GeoError(operation: "record run", path: label, message: "the run just written cannot be read back")
        }
        return runID
    }

    /// Who records: the PostgreSQL user, or the system user for a GeoPackage file.
    func currentUser() throws -> String {
        if dialect == .postgreSQL, let u = try db.query("SELECT current_user AS u").features.first?.attributes["u"] { return u }
        return ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
    }

    func openFindings(kind: String, at instant: String? = nil) throws -> [StoreRow] {
        try db.query(
            "SELECT finding_id, kind, subject_id, operator, severity, detail FROM findings WHERE \(Self.validAt(instant)) AND run_id IN (SELECT run_id FROM runs WHERE kind = \(StoreSQL.text(kind))) ORDER BY kind, subject_id"
        ).features.map(\.attributes)
    }

    /// The findings of runs of `kind` new or resolved between `from` and `to`, by kind then subject: the findings
    /// open after the last run recorded before each date.
    public func resultChanges(kind: String = "conflicts", from: String, to: String) throws -> [RegisterChange] {
        func keyed(_ t: String) throws -> [String: StoreRow] {
            var out: [String: StoreRow] = [:]
            for r in try openFindings(kind: kind, at: t) { out[(r["kind"] ?? "") + " " + (r["subject_id"] ?? "")] = r }
            return out
        }
        let before = try keyed(from), after = try keyed(to)
        return Set(before.keys).symmetricDifference(after.keys).sorted().map { key in
            RegisterChange(table: "findings", id: key, kind: after[key] != nil ? .new : .resolved, field: nil, old: nil, new: nil)
        }
    }
}

/// A published coverage figure: the population of a commune, and the part of it covered (`published_coverage`,
/// readable by every role).
public struct CoverageFigure: Sendable, Equatable {
    public var district: String
    public var commune: String
    public var operatorName: String
    public var technology: String
    public var population: Int
    public var coveredPopulation: Int
    public init(district: String, commune: String, operatorName: String, technology: String, population: Int, coveredPopulation: Int) {
        self.district = district; self.commune = commune; self.operatorName = operatorName; self.technology = technology
        self.population = population; self.coveredPopulation = coveredPopulation
    }
}

extension Store {
    /// Records a coverage run with the rasters it keeps (COG files, referenced by relative path and SHA-256) and
    /// publishes its figures as of `at`. One transaction.
    public func recordCoverage(command: [String], inputs: String? = nil, rasters: [StoredRaster], figures: [CoverageFigure], at: String) throws {
        try db.transaction {
            let runID = try insertRun(kind: "coverage", command: command, inputs: inputs, at: at)
            try insertRasters(rasters, runID: runID)
            try publish(figures, at: at)
        }
    }

    func insertRasters(_ rasters: [StoredRaster], runID: String) throws {
        for r in rasters {
            let text = [r.name, r.path, r.sha256].map(StoreSQL.text)
            try db.execute("INSERT INTO run_rasters (run_id, name, path, sha256, bytes) VALUES (\(runID), \(text.joined(separator: ", ")), \(r.bytes))")
        }
    }

    func publish(_ figures: [CoverageFigure], at: String) throws {
        for f in figures {
            let text = [at, f.district, f.commune, f.operatorName, f.technology].map(StoreSQL.text)
            try db.execute(
                "INSERT INTO published_coverage (as_of, district, commune, operator, technology, population, covered_population) VALUES (\(text.joined(separator: ", ")), \(f.population), \(f.coveredPopulation))"
            )
        }
    }

    /// Records a compliance run: its uncovered villages as findings (kind `uncovered_<technology>`, subject the
    /// village id; opened when new, closed when covered again) and its figures per commune and technology.
    public func recordCompliance(
        command: [String], inputs: String? = nil, uncovered: [StoreFinding], figures: [CoverageFigure], at: String
    ) throws -> (new: Int, resolved: Int, unchanged: Int) {
        try db.transaction {
            let r = try insertRunAndFindings(kind: "compliance", command: command, inputs: inputs, findings: uncovered, at: at)
            try publish(figures, at: at)
            return r
        }
    }

    /// The rasters kept by the runs of `kind`, newest run first.
    public func rasters(kind: String = "coverage") throws -> [StoredRaster] {
        try db.query(
            "SELECT name, path, sha256, bytes FROM run_rasters WHERE run_id IN (SELECT run_id FROM runs WHERE kind = \(StoreSQL.text(kind))) ORDER BY run_id DESC, name"
        ).features.map { f in
            let a = f.attributes
            return StoredRaster(name: a["name"] ?? "", path: a["path"] ?? "", sha256: a["sha256"] ?? "", bytes: Int(a["bytes"] ?? "") ?? 0)
        }
    }
}

/// A raster kept by a run: its name in the run's products, its path (relative: to the GeoPackage register's folder,
/// or to the raster folder of a PostgreSQL register), SHA-256 and size.
public struct StoredRaster: Sendable, Equatable {
    public var name: String
    public var path: String
    public var sha256: String
    public var bytes: Int
    public init(name: String, path: String, sha256: String, bytes: Int) {
        self.name = name; self.path = path; self.sha256 = sha256; self.bytes = bytes
    }
}

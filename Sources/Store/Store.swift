// The shared register (`tanso store`) on GeoPackage or PostgreSQL/PostGIS, through OGR (Geo's SQLDatabase).
// Changes are never destructive: an import closes the versions that changed (valid_to) and opens new ones.
import Foundation
import Geo
import Records

public typealias StoreDialect = SQLDatabase.Dialect

/// Literals in SQL text (both dialects: standard single-quoted strings, reals in Swift's round-trip form).
public enum StoreSQL {
    public static func text(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "\u{0}", with: "").replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func literal(_ value: String?, _ kind: ColumnKind) -> String {
        guard let value else { return "NULL" }
        switch kind {
        case .text: return text(value)
        case .real, .integer:
            // Values reach here from the loaders' numbers, written by Swift: digits, sign, '.', 'e' only.
            precondition(value.allSatisfy { $0.isNumber || "+-.e".contains($0) }, "not a number: \(value)")
            return value
        }
    }
}

/// One version of a record: its column values as text (nil = NULL), as the store returns them.
public typealias StoreRow = [String: String]

public struct ImportSummary: Sendable, Equatable, CustomStringConvertible {
    public var added = 0, changed = 0, closed = 0, unchanged = 0
    public var newRoles: [String] = []
    public init(added: Int = 0, changed: Int = 0, closed: Int = 0, unchanged: Int = 0, newRoles: [String] = []) {
        self.added = added; self.changed = changed; self.closed = closed; self.unchanged = unchanged; self.newRoles = newRoles
    }
    public var description: String {
        "\(added) added, \(changed) changed, \(closed) closed, \(unchanged) unchanged"
            + (newRoles.isEmpty ? "" : "; new roles: \(newRoles.joined(separator: ", "))")
    }
}

public final class Store {
    let db: SQLDatabase
    public var label: String { db.label }
    public var dialect: StoreDialect { db.dialect }
    /// The file of a GeoPackage register (nil on PostgreSQL).
    public let geoPackagePath: String?

    /// Opens the register at `source` (a GeoPackage path or a `PG:` connection string); `create` makes a missing
    /// GeoPackage file.
    public init(_ source: String, create: Bool = false) throws {
        db = try SQLDatabase(source: source, create: create)
        geoPackagePath = SQLDatabase.isPostgreSQL(source) ? nil : source
    }

    public func close() throws { try db.close() }

    /// Creates the schema (and on PostgreSQL the roles, policies and audit triggers). Refuses a store that has one.
    public func initialize() throws {
        if (try? db.query("SELECT value FROM store_metadata WHERE key = 'schema_version'"))?.features.isEmpty == false {
            throw GeoError(operation: "init store", path: label, message: "the store is already initialised (schema version 1)")
        }
        try db.transaction {
            for s in StoreSchema.tables(dialect) { try db.execute(s) }
            if dialect == .postgreSQL { for s in StoreRoles.setUp() { try db.execute(s) } }
        }
    }

    /// The condition selecting the versions valid at `instant` (nil: the current ones).
    static func validAt(_ instant: String?) -> String {
        guard let t = instant else { return "valid_to IS NULL" }
        return "valid_from <= \(StoreSQL.text(t)) AND (valid_to IS NULL OR valid_to > \(StoreSQL.text(t)))"
    }

    /// The versions of `table` valid at `instant` (nil: current), in the order they were written (an import keeps its file's order), with version_id and valid_from.
    public func versions(_ table: RegisterTable, at instant: String? = nil) throws -> VectorLayer {
        let cols = (["version_id"] + table.columns.map(\.name) + ["valid_from"]).joined(separator: ", ")
        return try db.query("SELECT \(cols) FROM \(table.rawValue) WHERE \(Self.validAt(instant)) ORDER BY version_id")
    }

    /// Every version of `table` (for history and tests), ordered by id then valid_from.
    public func history(_ table: RegisterTable) throws -> [StoreRow] {
        let cols = (["version_id"] + table.columns.map(\.name) + ["valid_from", "valid_to"]).joined(separator: ", ")
        return try db.query("SELECT \(cols) FROM \(table.rawValue) ORDER BY id, valid_from").features.map(\.attributes)
    }

    /// Brings `table` to `rows` as of `asOf`: new ids are added, changed ones closed and re-opened, and (unless
    /// `partial`) the current versions absent from `rows` are closed. One transaction. On PostgreSQL an operator
    /// role sees, and so closes, only its own rows; new operators get their role (needs the owner's rights).
    public func importRows(_ table: RegisterTable, rows: [StoreRow], asOf: String, partial: Bool = false) throws -> ImportSummary {
        var summary = ImportSummary()
        try db.transaction {
            if dialect == .postgreSQL, let owner = table.ownerColumn {
                summary.newRoles = try ensureRoles(Set(rows.compactMap { $0[owner] }))
            }
            var current: [String: StoreRow] = [:]
            for f in try versions(table).features { current[f.attributes["id"] ?? ""] = f.attributes }
            var seen = Set<String>()
            for row in rows {
                guard let id = row["id"] else { continue }
                seen.insert(id)
                if let old = current[id] {
                    if table.columns.allSatisfy({ old[$0.name] == row[$0.name] }) { summary.unchanged += 1; continue }
                    try close(table, old, asOf: asOf)
                    summary.changed += 1
                } else {
                    summary.added += 1
                }
                try insert(table, row, asOf: asOf)
            }
            if !partial {
                for (id, old) in current where !seen.contains(id) {
                    try close(table, old, asOf: asOf)
                    summary.closed += 1
                }
            }
        }
        return summary
    }

    private func close(_ table: RegisterTable, _ old: StoreRow, asOf: String) throws {
        guard let from = old["valid_from"], from < asOf else {
            throw GeoError(
                operation: "import", path: label,
                message:
                    "\(table.rawValue) '\(old["id"] ?? "")': the date of the change (\(asOf)) is not after its current version's (\(old["valid_from"] ?? "?"))")
        }
        try db.execute("UPDATE \(table.rawValue) SET valid_to = \(StoreSQL.text(asOf)) WHERE version_id = \(old["version_id"] ?? "NULL")")
    }

    private func insert(_ table: RegisterTable, _ row: StoreRow, asOf: String) throws {
        let names = table.columns.map(\.name) + ["valid_from"]
        let values = table.columns.map { StoreSQL.literal(row[$0.name], $0.kind) } + [StoreSQL.text(asOf)]
        try db.execute("INSERT INTO \(table.rawValue) (\(names.joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))")
    }

    /// The operators without a role get one (PostgreSQL); returns the new role names.
    func ensureRoles(_ operators: Set<String>) throws -> [String] {
        let known = try db.query("SELECT operator_name, role_name FROM operator_roles").features.map(\.attributes)
        var names = Set(known.compactMap { $0["operator_name"] })
        var roles = Set(known.compactMap { $0["role_name"] })
        var added: [String] = []
        for op in operators.sorted() where !names.contains(op) {
            var role = StoreRoles.roleName(operator: op), n = 2
            while roles.contains(role) { role = String(StoreRoles.roleName(operator: op).prefix(59)) + "_\(n)"; n += 1 }
            for s in StoreRoles.addOperator(op, role: role) { try db.execute(s) }
            names.insert(op); roles.insert(role); added.append(role)
        }
        return added
    }

    /// The operator roles of the register (PostgreSQL): operator name → role.
    public func operatorRoles() throws -> [String: String] {
        var out: [String: String] = [:]
        for r in try db.query("SELECT operator_name, role_name FROM operator_roles").features.map(\.attributes) {
            if let o = r["operator_name"], let role = r["role_name"] { out[o] = role }
        }
        return out
    }

    /// Runs one statement on the store (tests and administration).
    public func execute(_ sql: String) throws { try db.execute(sql) }
    /// Runs one query on the store (tests and administration).
    public func query(_ sql: String) throws -> [StoreRow] { try db.query(sql).features.map(\.attributes) }
}

// MARK: Records in and out

extension Store {
    /// The transmitters valid at `instant` (nil: current), through the same loader as files (same checks).
    public func transmitters(at instant: String? = nil) throws -> [Transmitter] {
        var report = LoadReport()
        return try TransmitterLoader.load(rows: try versions(.transmitters, at: instant), source: "\(label), table transmitters", report: &report)
    }

    public func assignments(at instant: String? = nil) throws -> [Assignment] {
        var report = LoadReport()
        return try AssignmentLoader.load(rows: try versions(.assignments, at: instant), source: "\(label), table assignments", report: &report)
    }

    /// The tower-sharing proposals valid at `instant` (nil: current) as stored rows (`details`: the proposal JSON).
    public func proposals(at instant: String? = nil) throws -> [StoreRow] {
        try versions(.proposals, at: instant).features.map(\.attributes)
    }

    public func villages(at instant: String? = nil) throws -> [Village] {
        var report = LoadReport()
        return try VillageLoader.load(rows: try versions(.villages, at: instant), source: "\(label), table villages", report: &report)
    }
}

/// Records as store rows (the text of each column as the store returns it).
public enum StoreRecords {
    static func real(_ x: Double?) -> String? { x.flatMap { $0.isFinite ? "\($0)" : nil } }

    public static func row(_ t: Transmitter) -> StoreRow {
        var r: StoreRow = [
            "id": t.id, "site_id": t.siteID, "operator": t.operatorName, "technology": t.technology.rawValue
        ]
        r["latitude"] = real(t.latitude); r["longitude"] = real(t.longitude)
        r["antenna_height_m"] = real(t.antennaHeightM); r["frequency_mhz"] = real(t.frequencyMHz)
        r["bandwidth_mhz"] = real(t.bandwidthMHz); r["eirp_dbm"] = real(t.eirpDBm); r["azimuth_deg"] = real(t.azimuthDeg)
        r["mechanical_tilt_deg"] = real(t.mechanicalTiltDeg); r["electrical_tilt_deg"] = real(t.electricalTiltDeg)
        r["antenna_pattern"] = t.antennaPattern
        return r
    }

    public static func row(_ a: Assignment) -> StoreRow {
        var r: StoreRow = ["id": a.id, "station_id": a.stationID, "licensee": a.licensee, "service": a.service]
        r["tx_frequency_mhz"] = real(a.tx.centreMHz); r["bandwidth_khz"] = real(a.tx.bandwidthKHz)
        r["emission_designator"] = a.emission?.text
        r["latitude"] = real(a.latitude); r["longitude"] = real(a.longitude)
        r["antenna_height_m"] = real(a.antennaHeightM); r["eirp_dbm"] = real(a.eirpDBm); r["azimuth_deg"] = real(a.azimuthDeg)
        r["antenna_pattern"] = a.antennaPattern; r["antenna_gain_dbi"] = real(a.antennaGainDBi)
        r["rx_frequency_mhz"] = real(a.rx?.centreMHz); r["rx_bandwidth_khz"] = real(a.rx?.bandwidthKHz)
        r["rx_latitude"] = real(a.linkReceiver?.latitude); r["rx_longitude"] = real(a.linkReceiver?.longitude)
        r["rx_antenna_height_m"] = real(a.linkReceiver?.antennaHeightM); r["rx_antenna_gain_dbi"] = real(a.linkReceiver?.antennaGainDBi)
        r["protection_ratio_db"] = real(a.protectionRatioDB)
        return r
    }

    public static func row(_ v: Village) -> StoreRow {
        var r: StoreRow = ["id": v.id, "name": v.name, "commune": v.commune, "district": v.district, "population": "\(v.population)"]
        r["latitude"] = real(v.latitude); r["longitude"] = real(v.longitude)
        return r
    }

    /// A table's rows as CSV fields in the order of its columns (empty for NULL).
    public static func csvRows(_ table: RegisterTable, _ rows: [StoreRow]) -> [[String]] {
        rows.map { r in table.columns.map { r[$0.name] ?? "" } }
    }
}

// The register's schema, the same on GeoPackage and PostgreSQL: one table per record type, every row one version
// of a record (id) valid from `valid_from` until `valid_to` (NULL = current). Times are ISO 8601 UTC text
// (2026-01-31T00:00:00Z), so that both databases compare them alike. Columns are the record files' own
// (data/README.md), so that an export reads back with the existing loaders.
import Foundation

public enum ColumnKind: Sendable { case text, real, integer }

public struct StoreColumn: Sendable {
    public let name: String
    public let kind: ColumnKind
    init(_ name: String, _ kind: ColumnKind = .text) { self.name = name; self.kind = kind }
}

/// A versioned register table.
public enum RegisterTable: String, CaseIterable, Sendable {
    case transmitters, assignments, villages, proposals

    /// The record's columns, in the order of the record files.
    public var columns: [StoreColumn] {
        switch self {
        case .transmitters:
            return [
                .init("id"), .init("site_id"), .init("operator"), .init("technology"), .init("latitude", .real),
                .init("longitude", .real), .init("antenna_height_m", .real), .init("frequency_mhz", .real),
                .init("bandwidth_mhz", .real), .init("eirp_dbm", .real), .init("azimuth_deg", .real),
                .init("mechanical_tilt_deg", .real), .init("electrical_tilt_deg", .real), .init("antenna_pattern")
            ]
        case .assignments:
            return [
                .init("id"), .init("station_id"), .init("licensee"), .init("service"), .init("tx_frequency_mhz", .real),
                .init("bandwidth_khz", .real), .init("emission_designator"), .init("latitude", .real),
                .init("longitude", .real), .init("antenna_height_m", .real), .init("eirp_dbm", .real),
                .init("azimuth_deg", .real), .init("antenna_pattern"), .init("antenna_gain_dbi", .real),
                .init("rx_frequency_mhz", .real), .init("rx_bandwidth_khz", .real), .init("rx_latitude", .real),
                .init("rx_longitude", .real), .init("rx_antenna_height_m", .real), .init("rx_antenna_gain_dbi", .real),
                .init("protection_ratio_db", .real)
            ]
        case .villages:
            return [
                .init("id"), .init("name"), .init("commune"), .init("district"), .init("latitude", .real),
                .init("longitude", .real), .init("population", .integer)
            ]
        case .proposals:
            return [
                .init("id"), .init("operator"), .init("kind"), .init("site_id"), .init("latitude", .real),
                .init("longitude", .real), .init("details")
            ]
        }
    }

    /// The column naming the operator that owns a row (row-level security on PostgreSQL); nil = regulator's data.
    public var ownerColumn: String? {
        switch self {
        case .transmitters, .proposals: return "operator"
        case .assignments: return "licensee"
        case .villages: return nil
        }
    }
}

enum StoreSchema {
    /// Statements creating the tables (one statement each).
    static func tables(_ dialect: StoreDialect) -> [String] {
        var sql: [String] = []
        let key = dialect == .postgreSQL ? "version_id bigserial PRIMARY KEY" : "version_id INTEGER PRIMARY KEY AUTOINCREMENT"
        for table in RegisterTable.allCases {
            var cols = [key]
            cols += table.columns.map { c in
                "\(c.name) \(type(c.kind, dialect))" + (c.name == "id" || c.name == table.ownerColumn ? " NOT NULL" : "")
            }
            cols += ["valid_from TEXT NOT NULL", "valid_to TEXT"]
            if dialect == .postgreSQL, table.columns.contains(where: { $0.name == "latitude" }) {
                cols.append("geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)) STORED")
            }
            sql.append("CREATE TABLE \(table.rawValue) (\(cols.joined(separator: ", ")))")
            sql.append("CREATE INDEX \(table.rawValue)_id_idx ON \(table.rawValue) (id, valid_from)")
        }
        // Results of runs, the figures published to everyone, and the store's own metadata.
        let runKey = dialect == .postgreSQL ? "run_id bigserial PRIMARY KEY" : "run_id INTEGER PRIMARY KEY AUTOINCREMENT"
        let findingKey = dialect == .postgreSQL ? "finding_id bigserial PRIMARY KEY" : "finding_id INTEGER PRIMARY KEY AUTOINCREMENT"
        let int = type(.integer, dialect)
        sql.append("CREATE TABLE runs (\(runKey), kind TEXT NOT NULL, started_at TEXT NOT NULL, command TEXT, record TEXT, who TEXT, inputs TEXT)")
        // The rasters a run keeps (COG files): path relative to the register's folder (GeoPackage) or to the
        // raster folder named at the run (PostgreSQL), never absolute; their SHA-256 proves them unchanged.
        sql.append(
            "CREATE TABLE run_rasters (run_id \(type(.integer, dialect)) NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, bytes \(type(.integer, dialect)))"
        )
        sql.append(
            "CREATE TABLE findings (\(findingKey), run_id \(int) NOT NULL, kind TEXT NOT NULL, subject_id TEXT, operator TEXT, severity TEXT, detail TEXT, valid_from TEXT NOT NULL, valid_to TEXT)"
        )
        sql.append(
            "CREATE TABLE published_coverage (as_of TEXT NOT NULL, district TEXT, commune TEXT, operator TEXT, technology TEXT, population \(int), covered_population \(int))"
        )
        sql.append("CREATE TABLE store_metadata (key TEXT PRIMARY KEY, value TEXT)")
        sql.append("INSERT INTO store_metadata (key, value) VALUES ('schema_version', '1')")
        if dialect == .geoPackage {
            // Registered as attribute tables, so that OGR and QGIS list them.
            for t in RegisterTable.allCases.map(\.rawValue) + ["runs", "run_rasters", "findings", "published_coverage", "store_metadata"] {
                sql.append("INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('\(t)', 'attributes', '\(t)')")
            }
        }
        return sql
    }

    static func type(_ kind: ColumnKind, _ dialect: StoreDialect) -> String {
        switch (kind, dialect) {
        case (.text, _): return "TEXT"
        case (.real, .postgreSQL): return "double precision"
        case (.real, .geoPackage): return "REAL"
        case (.integer, .postgreSQL): return "bigint"
        case (.integer, .geoPackage): return "INTEGER"
        }
    }
}

// SQL on a GDAL vector data source (GeoPackage, PostgreSQL/PostGIS) through GDALDatasetExecuteSQL: the database's
// own dialect (SQLite for GeoPackage, PostgreSQL for PG:), one statement per call. Connection strings stay inside:
// every message names the source by `label`, which holds no host, user or password.
import CGDAL
import Foundation

public final class SQLDatabase {
    public enum Dialect: Sendable, Equatable { case geoPackage, postgreSQL }

    private let dataset: OwnedDataset
    public let dialect: Dialect
    /// How messages name the source: the file path, or `PostgreSQL database NAME` (never the connection string).
    public let label: String
    private let secrets: [String]

    /// Opens `source` for update: a GeoPackage path (created when `create` and missing) or a `PG:` connection string.
    public init(source: String, create: Bool = false) throws {
        GDALEnvironment.ensure()
        let isPG = Self.isPostgreSQL(source)
        dialect = isPG ? .postgreSQL : .geoPackage
        label = Self.label(source)
        // The whole string, its body, and the host (a socket folder or a server name) never reach a message.
        secrets = isPG ? [source, String(source.dropFirst(3))] + [Self.connectionValue(source, "host")].compactMap { $0 } : []
        if !isPG, create, !FileManager.default.fileExists(atPath: source) {
            guard let driver = GDALGetDriverByName("GPKG") else {
                throw GeoError(kind: .driver, operation: "create GeoPackage", path: source, message: "GDAL has no GPKG driver")
            }
            dataset = try OwnedDataset.create(driver: driver, path: source, operation: "create GeoPackage", reportedPath: source)
            return
        }
        if !isPG, !FileManager.default.fileExists(atPath: source) {
            throw GeoError(operation: "open store", path: label, message: "no such file (create it with tanso store init)")
        }
        CPLErrorReset()
        // LIST_ALL_TABLES=NO: a role that may read only a few tables opens the database without listing the others.
        let options = CStringList(isPG ? ["LIST_ALL_TABLES=NO"] : [])
        // Only these two drivers: anything else (a CSV file given by mistake) is never opened for update.
        let drivers = CStringList([isPG ? "PostgreSQL" : "GPKG"])
        guard let ds = GDALOpenEx(source, UInt32(GDAL_OF_VECTOR | GDAL_OF_UPDATE), drivers.constPointer, options.constPointer, nil) else {
            let gdal = GDALEnvironment.lastError()
            let msg = isPG ? gdal : "not a GeoPackage file (.gpkg)" + (gdal.isEmpty ? "" : ": \(gdal)")
            throw GeoError(
                kind: .driver, operation: "open store", path: Self.label(source),
                message: Self.redact(msg.isEmpty ? "not a PostgreSQL database GDAL can open" : msg, secrets: secrets))
        }
        dataset = OwnedDataset(ds)
    }

    /// True for `PG:` connection strings (GDAL's PostgreSQL driver).
    public static func isPostgreSQL(_ source: String) -> Bool { source.uppercased().hasPrefix("PG:") }

    /// The value of `key` in a `PG:` connection string (`key=value` or `key='value'`).
    public static func connectionValue(_ source: String, _ key: String) -> String? {
        let body = source.dropFirst(3)
        for part in body.split(separator: " ") {
            let kv = part.split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].lowercased() == key { return String(kv[1]).trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
        }
        return nil
    }

    /// How a source is named in messages and records: a file path as given; a PostgreSQL database by its name only.
    public static func label(_ source: String) -> String {
        guard isPostgreSQL(source) else { return source }
        return "PostgreSQL database " + (connectionValue(source, "dbname") ?? "(default)")
    }

    /// `text` with the connection string and any `password=…` replaced.
    public static func redact(_ text: String, secrets: [String] = []) -> String {
        var s = text
        for secret in secrets where !secret.isEmpty { s = s.replacingOccurrences(of: secret, with: "(connection)") }
        while let r = s.range(of: "password=", options: .caseInsensitive) {
            var end = r.upperBound
            while end < s.endIndex, !s[end].isWhitespace, s[end] != "'", s[end] != "\"" { end = s.index(after: end) }
            s.replaceSubrange(r.lowerBound..<end, with: "password hidden")
        }
        return s
    }

    private func failure(_ operation: String, fallback: String = "") -> GeoError {
        let msg = GDALEnvironment.lastError()
        return GeoError(operation: operation, path: label, message: Self.redact(msg.isEmpty ? fallback : msg, secrets: secrets))
    }

    /// Runs one statement that returns no rows (CREATE, INSERT, UPDATE, GRANT, …).
    public func execute(_ sql: String) throws {
        CPLErrorReset()
        let result = GDALDatasetExecuteSQL(dataset.raw, sql, nil, nil)
        if let result { GDALDatasetReleaseResultSet(dataset.raw, result) }
        let type = CPLGetLastErrorType()
        if type == CE_Failure || type == CE_Fatal { throw failure("run SQL", fallback: "the statement failed") }
    }

    /// Runs a query and returns its rows, each column as text: reals in Swift's shortest round-trip form, integers
    /// in decimal, NULL as a missing key. `Feature.index` is the 1-based row number.
    public func query(_ sql: String) throws -> VectorLayer {
        CPLErrorReset()
        let result = GDALDatasetExecuteSQL(dataset.raw, sql, nil, nil)
        let type = CPLGetLastErrorType()
        guard let result, type != CE_Failure, type != CE_Fatal else {
            if let result { GDALDatasetReleaseResultSet(dataset.raw, result) }
            if type == CE_Failure || type == CE_Fatal { throw failure("query") }
            return VectorLayer(name: "query", fieldNames: [], features: [], sourceCRS: "")
        }
        defer { GDALDatasetReleaseResultSet(dataset.raw, result) }
        let defn = OGR_L_GetLayerDefn(result)
        let count = OGR_FD_GetFieldCount(defn)
        let names = (0..<count).map { String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, $0))) }
        let types = (0..<count).map { OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, $0)) }
        // GeoPackage hands an INTEGER PRIMARY KEY over as the feature id, not as a field: it is put back as a column.
        let fidColumn = OGR_L_GetFIDColumn(result).map { String(cString: $0) } ?? ""
        var rows: [Feature] = []
        OGR_L_ResetReading(result)
        while let raw = OGR_L_GetNextFeature(result) {
            let feature = OwnedFeature(raw)
            var values: [String: String] = [:]
            for i in 0..<count where OGR_F_IsFieldSetAndNotNull(feature.raw, i) != 0 {
                switch types[Int(i)] {
                case OFTReal: values[names[Int(i)]] = "\(OGR_F_GetFieldAsDouble(feature.raw, i))"
                case OFTInteger, OFTInteger64: values[names[Int(i)]] = "\(OGR_F_GetFieldAsInteger64(feature.raw, i))"
                default: values[names[Int(i)]] = String(cString: OGR_F_GetFieldAsString(feature.raw, i))
                }
            }
            if !fidColumn.isEmpty, values[fidColumn] == nil { values[fidColumn] = "\(OGR_F_GetFID(feature.raw))" }
            rows.append(Feature(index: rows.count + 1, fid: Int64(OGR_F_GetFID(feature.raw)), attributes: values, geometry: nil))
        }
        // PostgreSQL runs a query when its first row is fetched: its errors show up only now.
        let after = CPLGetLastErrorType()
        if after == CE_Failure || after == CE_Fatal { throw failure("query") }
        let columns = fidColumn.isEmpty || names.contains(fidColumn) ? names : [fidColumn] + names
        return VectorLayer(name: "query", fieldNames: columns, features: rows, sourceCRS: "")
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        CPLErrorReset()
        guard GDALDatasetStartTransaction(dataset.raw, 1) == OGRERR_NONE else { throw failure("start transaction") }
        do {
            let value = try body()
            guard GDALDatasetCommitTransaction(dataset.raw) == OGRERR_NONE else { throw failure("commit") }
            return value
        } catch {
            GDALDatasetRollbackTransaction(dataset.raw)
            throw error
        }
    }

    /// The SQLite connection behind a GeoPackage (nil for PostgreSQL), for `SQLiteCalls`.
    var sqliteConnection: SQLiteCalls.Connection? { dialect == .geoPackage ? SQLiteCalls.connection(of: dataset.raw) : nil }

    /// Closes the database now (flushing a GeoPackage).
    public func close() throws { try dataset.close(operation: "close store", path: label) }
}

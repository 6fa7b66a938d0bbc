// The few SQLite calls tanso makes on GDAL's own connection to a GeoPackage (GDALGetInternalHandle(ds,
// "SQLITE_HANDLE"), which GDAL's MBTiles driver uses the same way). They are looked up at run time in the SQLite
// library GDAL itself loaded, so tanso links nothing beyond GDAL and writes with the very SQLite that GDAL's
// GeoPackage driver uses. When a call cannot be found, `shared` is nil and callers keep to OGR.
import CGDAL
import Foundation

struct SQLiteCalls: @unchecked Sendable {
    typealias Connection = OpaquePointer
    typealias Statement = OpaquePointer

    // SQLite's result codes and its "copy the value now" destructor (SQLITE_TRANSIENT, -1).
    static let ok: Int32 = 0
    static let row: Int32 = 100
    static let done: Int32 = 101
    static var transient: UnsafeRawPointer? { UnsafeRawPointer(bitPattern: -1) }

    typealias Prepare =
        @convention(c) (
            Connection, UnsafePointer<CChar>, Int32, UnsafeMutablePointer<Statement?>, UnsafeMutablePointer<UnsafePointer<CChar>?>?
        ) -> Int32
    typealias BindBytes = @convention(c) (Statement, Int32, UnsafeRawPointer?, Int32, UnsafeRawPointer?) -> Int32
    typealias BindText = @convention(c) (Statement, Int32, UnsafePointer<CChar>?, Int32, UnsafeRawPointer?) -> Int32
    typealias BindDouble = @convention(c) (Statement, Int32, Double) -> Int32
    typealias BindInt64 = @convention(c) (Statement, Int32, Int64) -> Int32
    typealias OnStatement = @convention(c) (Statement) -> Int32
    typealias Column = @convention(c) (Statement, Int32) -> Int64
    typealias Message = @convention(c) (Connection) -> UnsafePointer<CChar>?
    typealias RowID = @convention(c) (Connection) -> Int64

    let prepare: Prepare
    let bindText: BindText
    let bindBlob: BindBytes
    let bindDouble: BindDouble
    let bindInt64: BindInt64
    let step: OnStatement
    let reset: OnStatement
    let finalize: OnStatement
    let clearBindings: OnStatement
    let columnInt64: Column
    let errorMessage: Message
    let lastInsertRowID: RowID

    /// The calls of the SQLite library GDAL loaded (the shared libsqlite3 it links, already in the process), or nil
    /// when it is not there (a GDAL with SQLite built in) or a call is missing.
    static let shared: SQLiteCalls? = {
        GDALEnvironment.ensure() // GDAL, and with it its SQLite, loaded and set up
        guard let library = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_NOLOAD) else { return nil }
        func find<T>(_ name: String, _: T.Type) -> T? { dlsym(library, name).map { unsafeBitCast($0, to: T.self) } }
        guard let prepare = find("sqlite3_prepare_v2", Prepare.self),
            let bindText = find("sqlite3_bind_text", BindText.self),
            let bindBlob = find("sqlite3_bind_blob", BindBytes.self),
            let bindDouble = find("sqlite3_bind_double", BindDouble.self),
            let bindInt64 = find("sqlite3_bind_int64", BindInt64.self),
            let step = find("sqlite3_step", OnStatement.self),
            let reset = find("sqlite3_reset", OnStatement.self),
            let finalize = find("sqlite3_finalize", OnStatement.self),
            let clearBindings = find("sqlite3_clear_bindings", OnStatement.self),
            let columnInt64 = find("sqlite3_column_int64", Column.self),
            let errorMessage = find("sqlite3_errmsg", Message.self),
            let lastInsertRowID = find("sqlite3_last_insert_rowid", RowID.self)
        else { return nil }
        return SQLiteCalls(
            prepare: prepare, bindText: bindText, bindBlob: bindBlob, bindDouble: bindDouble, bindInt64: bindInt64,
            step: step, reset: reset, finalize: finalize, clearBindings: clearBindings, columnInt64: columnInt64,
            errorMessage: errorMessage, lastInsertRowID: lastInsertRowID)
    }()

    /// The SQLite connection behind a GDAL GeoPackage dataset, when GDAL hands it out.
    static func connection(of dataset: GDALDatasetH) -> Connection? {
        GDALGetInternalHandle(dataset, "SQLITE_HANDLE").map { OpaquePointer($0) }
    }

    /// Runs one statement with `bind` binding its parameters; throws with SQLite's message.
    func run(_ sql: String, on db: Connection, path: String, bind: (Statement) -> Void = { _ in }) throws {
        var statement: Statement? = nil
        guard prepare(db, sql, -1, &statement, nil) == Self.ok, let statement else { throw failure("run SQL", db, path) }
        defer { _ = finalize(statement) }
        bind(statement)
        guard step(statement) == Self.done else { throw failure("run SQL", db, path) }
    }

    func failure(_ operation: String, _ db: Connection, _ path: String) -> GeoError {
        GeoError(operation: operation, path: path, message: errorMessage(db).map { String(cString: $0) } ?? "SQLite failed")
    }
}

// GDAL/PROJ set-up and error capture. Habit 5 of DESIGN.md: C handles stay inside Geo; every failure becomes
// a Swift error carrying GDAL's or PROJ's own message.
import CGDAL
import CPROJ
import Foundation

/// A failure reported by GDAL, OGR or PROJ, or by tanso's own checks on geodata.
public struct GeoError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure: reading or writing data, a missing or failing driver, a CRS or transform, or
    /// something the format or GDAL does not support.
    public enum Kind: String, Sendable, Equatable {
        /// Reading or writing data (files, archive members, datasets, layers, features).
        case io
        /// A GDAL driver is missing, or refused to create or open a dataset.
        case driver
        /// A CRS could not be parsed or exported, or coordinates could not be transformed.
        case projection
        /// An operation or geometry type the format or GDAL does not support.
        case unsupported
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// What tanso was doing ("open raster", "write GeoPackage layer", …).
    public let operation: String
    /// The file or data source concerned, if any.
    public let path: String?
    /// The library's own message (GDAL's CPLGetLastErrorMsg, PROJ's proj_errno_string), or tanso's.
    public let message: String

    public init(kind: Kind = .io, operation: String, path: String? = nil, message: String) {
        self.kind = kind
        self.operation = operation
        self.path = path
        self.message = message
    }

    public var description: String {
        var s = operation
        if let path { s += " \(path)" }
        return s + ": " + (message.isEmpty ? "unknown GDAL error" : message)
    }
}

public enum GDALEnvironment {
    /// Registers all drivers exactly once (a global `let` initialiser is thread-safe), and routes GDAL's messages
    /// away from stderr: errors stay available per thread through CPLGetLastErrorMsg and are carried in GeoError;
    /// warnings are collected per thread by `collectGDALMessage` until `drainWarnings()` passes them on.
    static let ready: Bool = {
        GDALAllRegister()
        CPLSetErrorHandler(collectGDALMessage)
        return true
    }()

    static func ensure() { _ = ready }

    /// Runs `body` with the settings of product databases for the GeoPackages this thread opens or creates in it
    /// (GDAL's `OGR_SQLITE_SYNCHRONOUS` and `OGR_SQLITE_PRAGMA`, read when a database is opened); the previous
    /// values are put back afterwards:
    /// - SQLite's synchronous writes off: products are written into a staging folder and renamed into place, like
    ///   every other product, without waiting on the disk at each commit (0.4–0.6 s of writing conflicts.gpkg on a
    ///   million assignments);
    /// - 64 KiB pages instead of 4 KiB for a new database (a user's own `OGR_SQLITE_PRAGMA` comes after, and wins):
    ///   a sixteenth of the page writes and B-tree pages; conflicts.gpkg of a million assignments is written in
    ///   0.4–0.7 s less and is 5 % smaller, with the same content.
    static func withProductWriteSettings<T>(_ body: () throws -> T) rethrows -> T {
        let keys = ["OGR_SQLITE_SYNCHRONOUS", "OGR_SQLITE_PRAGMA"]
        let previous = keys.map { CPLGetThreadLocalConfigOption($0, nil).map { String(cString: $0) } }
        let userPragmas = CPLGetConfigOption("OGR_SQLITE_PRAGMA", nil).map { String(cString: $0) }
        CPLSetThreadLocalConfigOption(keys[0], "OFF")
        CPLSetThreadLocalConfigOption(keys[1], "page_size=\(productPageSize)" + (userPragmas.map { ",\($0)" } ?? ""))
        defer { for (key, value) in zip(keys, previous) { CPLSetThreadLocalConfigOption(key, value) } }
        return try body()
    }

    /// Runs `body` with GDAL's configuration option `key` set to `value` on this thread only (GDAL reads
    /// thread-local options before global ones); the thread's previous value is put back afterwards.
    static func withThreadSetting<T>(_ key: String, _ value: String, _ body: () throws -> T) rethrows -> T {
        let previous = CPLGetThreadLocalConfigOption(key, nil).map { String(cString: $0) }
        CPLSetThreadLocalConfigOption(key, value)
        defer { CPLSetThreadLocalConfigOption(key, previous) }
        return try body()
    }

    /// SQLite's page size for product GeoPackages, bytes.
    static let productPageSize = 65_536

    /// GDAL's warnings (CE_Warning) collected on the calling thread since the last call, oldest first, each
    /// once; the list is then empty. At most `GDALWarnings.limit` distinct warnings are kept per thread.
    public static func drainWarnings() -> [String] {
        ensure()
        return GDALWarnings.drain()
    }

    /// GDAL's last error message on this thread, then reset.
    static func lastError() -> String {
        let msg = CPLGetLastErrorMsg().map { String(cString: $0) } ?? ""
        CPLErrorReset()
        return msg
    }

    static func error(
        _ operation: String, _ path: String? = nil, fallback: String = "",
        kind: GeoError.Kind = .io
    ) -> GeoError {
        let msg = lastError()
        return GeoError(kind: kind, operation: operation, path: path, message: msg.isEmpty ? fallback : msg)
    }

    /// Checks a GDAL return code: anything but CE_None (and CE_Debug, CE_Warning) throws a GeoError of `kind`
    /// carrying GDAL's own message.
    static func check(_ code: CPLErr, _ operation: String, _ path: String? = nil, kind: GeoError.Kind = .io) throws {
        guard code == CE_Failure || code == CE_Fatal else { return }
        throw error(operation, path, fallback: "GDAL reported a failure", kind: kind)
    }

    /// Checks an OGR return code: anything but OGRERR_NONE throws a GeoError carrying GDAL's own message. The
    /// code picks the kind where it says more than `kind` (unsupported operation or geometry, unsupported SRS).
    static func check(_ code: OGRErr, _ operation: String, _ path: String? = nil, kind: GeoError.Kind = .io) throws {
        guard code != OGRERR_NONE else { return }
        let (name, codeKind): (String, GeoError.Kind?) =
            switch code {
            case OGRERR_NOT_ENOUGH_DATA: ("not enough data", nil)
            case OGRERR_NOT_ENOUGH_MEMORY: ("not enough memory", nil)
            case OGRERR_UNSUPPORTED_GEOMETRY_TYPE: ("unsupported geometry type", .unsupported)
            case OGRERR_UNSUPPORTED_OPERATION: ("unsupported operation", .unsupported)
            case OGRERR_CORRUPT_DATA: ("corrupt data", .io)
            case OGRERR_UNSUPPORTED_SRS: ("unsupported spatial reference", .projection)
            case OGRERR_INVALID_HANDLE: ("invalid handle", .driver)
            case OGRERR_NON_EXISTING_FEATURE: ("no such feature", .io)
            default: ("failure", nil)
            }
        throw error(operation, path, fallback: "OGR error \(code) (\(name))", kind: codeKind ?? kind)
    }
}

/// GDAL's error handler (a global function, as CPLSetErrorHandler needs): warnings go to the calling thread's
/// list (GDAL reports on the thread that did the work); errors are not printed, since CPLGetLastErrorMsg keeps
/// them per thread for GeoError; debug messages are dropped.
private func collectGDALMessage(_ level: CPLErr, _ code: CPLErrorNum, _ message: UnsafePointer<CChar>?) {
    guard level == CE_Warning, let message else { return }
    GDALWarnings.add(String(cString: message))
}

/// The per-thread lists of GDAL warnings, kept in the thread's dictionary.
enum GDALWarnings {
    /// Distinct warnings kept per thread between two drains (a warning repeated per feature stays one line).
    static let limit = 100
    private static let key = "tanso.GDALWarnings"

    private final class Box {
        var messages: [String] = []
    }

    private static var box: Box {
        let dict = Thread.current.threadDictionary
        if let b = dict[key] as? Box { return b }
        let b = Box()
        dict[key] = b
        return b
    }

    static func add(_ message: String) {
        let b = box
        guard b.messages.count < limit, !b.messages.contains(message) else { return }
        b.messages.append(message)
    }

    static func drain() -> [String] {
        let b = box
        defer { b.messages = [] }
        return b.messages
    }
}

/// A NULL-terminated C string list (GDAL's `char**` options), freed when the value goes away.
final class CStringList {
    private(set) var pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil

    init(_ items: [String]) {
        for item in items { pointer = CSLAddString(pointer, item) }
    }

    /// The list as GDAL's `const char* const*` (open options).
    var constPointer: UnsafePointer<UnsafePointer<CChar>?>? {
        pointer.map { UnsafePointer(OpaquePointer($0)) }
    }

    deinit { CSLDestroy(pointer) }
}

/// Writing a product atomically (habit 9): the caller writes to `temporaryPath` in the destination folder,
/// then `commit()` renames it into place. If the product is never committed, `deinit` removes the
/// temporary file, so a failed run leaves nothing half-written.
extension GDALEnvironment {
    /// Bounds GDAL's block cache (process-wide) to `megabytes` when it is larger, so that large rasters written or
    /// read a window at a time do not stay in memory (GDAL's default is 5 % of the machine's memory).
    public static func boundBlockCache(megabytes: Int) {
        ensure()
        if GDALGetCacheMax64() > Int64(megabytes) << 20 { GDALSetCacheMax64(Int64(megabytes) << 20) }
    }
}

extension AtomicOutput {
    /// Writes `bytes` to `path` atomically (a temporary file renamed over it): a failure leaves nothing behind.
    public static func write(_ bytes: [UInt8], to path: String, operation: String) throws {
        let out = try AtomicOutput(path: path)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: out.temporaryPath))
        } catch {
            throw GeoError(operation: operation, path: path, message: "\(error.localizedDescription)")
        }
        try out.commit()
    }
}

public final class AtomicOutput {
    public let finalPath: String
    public let temporaryPath: String
    private var committed = false

    public init(path: String) throws {
        finalPath = path
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ext = url.pathExtension
        let base = url.deletingPathExtension().lastPathComponent
        temporaryPath =
            dir.appendingPathComponent(
                ".\(base).partial-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))" + (ext.isEmpty ? "" : ".\(ext)")
            ).path
    }

    /// rename(2) alone replaces an existing product atomically: a reader sees the old file or the new one, never
    /// neither (the old product is not deleted first).
    public func commit() throws {
        guard rename(temporaryPath, finalPath) == 0 else {
            throw GeoError(operation: "rename", path: finalPath, message: String(cString: strerror(errno)))
        }
        committed = true
    }

    deinit {
        if !committed {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            // GDAL may leave side files (e.g. GeoPackage journals, .aux.xml).
            for side in ["-journal", "-wal", "-shm", ".aux.xml"] {
                try? FileManager.default.removeItem(atPath: temporaryPath + side)
            }
        }
    }
}

/// Versions of the linked libraries, for reports and `tanso --version`.
public enum GeoLibraries {
    public static var gdalVersion: String {
        GDALEnvironment.ensure()
        return String(cString: GDALVersionInfo("RELEASE_NAME"))
    }

    public static var projVersion: String {
        let info = proj_info()
        return String(cString: info.version)
    }
}

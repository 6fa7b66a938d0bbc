// GDAL/PROJ set-up and error capture. Habit 5 of DESIGN.md: C handles stay inside Geo; every failure becomes
// a Swift error carrying GDAL's or PROJ's own message.
import CGDAL
import CPROJ
import Foundation

/// A failure reported by GDAL, OGR or PROJ, or by tanso's own checks on geodata.
public struct GeoError: Error, CustomStringConvertible, Sendable {
    /// What tanso was doing ("open raster", "write GeoPackage layer", …).
    public let operation: String
    /// The file or data source concerned, if any.
    public let path: String?
    /// The library's own message (GDAL's CPLGetLastErrorMsg, PROJ's proj_errno_string), or tanso's.
    public let message: String

    public init(operation: String, path: String? = nil, message: String) {
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

enum GDALEnvironment {
    /// Registers all drivers exactly once (a global `let` initialiser is thread-safe), and makes GDAL quiet on
    /// stderr: its messages are collected per thread by CPLGetLastErrorMsg and carried in GeoError instead.
    static let ready: Bool = {
        GDALAllRegister()
        CPLSetErrorHandler(CPLQuietErrorHandler)
        return true
    }()

    static func ensure() { _ = ready }

    /// GDAL's last error message on this thread, then reset.
    static func lastError() -> String {
        let msg = CPLGetLastErrorMsg().map { String(cString: $0) } ?? ""
        CPLErrorReset()
        return msg
    }

    static func error(_ operation: String, _ path: String? = nil, fallback: String = "") -> GeoError {
        let msg = lastError()
        return GeoError(operation: operation, path: path, message: msg.isEmpty ? fallback : msg)
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
        temporaryPath = dir.appendingPathComponent(".\(base).partial-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))" + (ext.isEmpty ? "" : ".\(ext)")).path
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

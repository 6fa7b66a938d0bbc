// Errors people read (issue 23): every failure reaches the terminal as one line naming the file and the cause
// (no such folder, a file in the way, permission denied, read-only, disk full), never a Foundation error dump
// (`NSCocoaErrorDomain Code=516 …`), a SQLite statement or a raw library message about a table when the disk is
// full, and never a huge or binary text (values are capped and made printable).
import Foundation
import Geo
import Radio

enum ErrorText {
    /// The longest message printed (characters).
    static let limit = 1000

    /// One readable line for any error.
    static func describe(_ error: Error) -> String {
        let text: String
        if let e = error as? GeoError {
            text = geo(e)
        } else if let e = error as? InputFileError {
            text = e.description
        } else {
            let ns = error as NSError
            if ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain {
                text = foundation(ns)
            } else {
                text = String(describing: error)
            }
        }
        return sanitize(text)
    }

    /// Newlines and tabs to spaces, other control characters to '?', at most `limit` characters.
    static func sanitize(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\t", with: " ")
        return InputText.echo(SQLDatabase.redact(flat), limit: limit) // a `password=` never reaches the terminal
    }

    // MARK: Foundation file errors

    static func foundation(_ ns: NSError) -> String {
        let path =
            (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
            ?? (ns.userInfo["NSURL"] as? URL)?.path
        // (swift-corelibs-foundation stores a POSIXError there, which `as? NSError` does not match.)
        let underlying = (ns.userInfo[NSUnderlyingErrorKey] as? Error).map { $0 as NSError }
        let posix = ns.domain == NSPOSIXErrorDomain ? Int32(ns.code) : (underlying?.domain == NSPOSIXErrorDomain ? Int32(underlying!.code) : nil)
        let code = ns.domain == NSCocoaErrorDomain ? ns.code : 0
        let verb = (512..<768).contains(code) ? "cannot write" : (256..<512).contains(code) ? "cannot read" : "cannot access"
        var cause: String
        if let posix, let c = posixCause(posix, path: path) {
            cause = c
        } else {
            switch code {
            case 4, 260: cause = "no such file or folder"
            case 257, 513: cause = "permission denied"
            case 516: cause = "a file of that name is in the way"
            case 640: cause = "disk full"
            case 642: cause = "read-only file system"
            case 261, 264: cause = "not readable as text in the expected encoding"
            default: cause = ns.localizedDescription
            }
        }
        if let path, verb != "cannot read", let extra = FileDiagnosis.writeCause(path), !cause.contains(extra) {
            if cause == "no such file or folder" || cause == ns.localizedDescription { cause = extra }
        }
        return "\(path ?? "file"): \(verb): \(cause)"
    }

    static func posixCause(_ code: Int32, path: String?) -> String? {
        switch code {
        case ENOENT: return "no such file or folder"
        case ENOTDIR, EEXIST:
            if let path, let blocker = FileDiagnosis.fileInTheWay(path) { return "\(blocker) is a file, not a folder" }
            var isDir: ObjCBool = false
            if code == EEXIST, let path, FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
                return "\(path) is a file, not a folder"
            }
            return code == EEXIST ? "a file of that name is in the way" : "a part of the path is a file, not a folder"
        case EACCES, EPERM: return "permission denied"
        case EROFS: return "read-only file system"
        case ENOSPC: return "disk full"
        case EDQUOT: return "disk quota exceeded"
        case EISDIR: return "is a folder, not a file"
        case ENAMETOOLONG: return "file name too long"
        default: return nil
        }
    }

    // MARK: GDAL / SQLite

    /// Messages of GDAL and SQLite that say "the write failed" without saying why.
    static let writeFailureHints = [
        "disk is full", "disk i/o error", "no such table: gpkg_", "readonly database", "read-only",
        "unable to open database file", "no space left", "permission denied", "short write",
        "failed to create", "attempt to create", "failed: ", "cannot create", "i/o error", "write error"
    ]

    static func geo(_ e: GeoError) -> String {
        var message = e.message
        // "sqlite3_exec(<a whole SQL script>) failed: X" → "X".
        if let r = message.range(of: ") failed: ", options: .backwards), message.hasPrefix("sqlite3_") {
            message = String(message[r.upperBound...])
        }
        message = InputText.echo(message.replacingOccurrences(of: "\n", with: " "), limit: 300)
        let lower = (e.operation + " " + message).lowercased()
        let writing = e.operation.hasPrefix("write") || e.operation.hasPrefix("create") || e.operation.contains(" write")
        if let path = e.path, writing || writeFailureHints.contains(where: { lower.contains($0) }),
            let cause = FileDiagnosis.writeCause(path)
        {
            // The cause replaces the library's words (a full disk shows up in SQLite as "no such table: gpkg_…").
            return "\(path): cannot write: \(cause)"
        }
        if message.lowercased().contains("disk is full") || message.lowercased().contains("no space left") {
            return "\(e.path ?? e.operation): cannot write: disk full (\(message))"
        }
        var s = e.operation
        if let path = e.path { s += " \(path)" }
        return s + ": " + (message.isEmpty ? "unknown GDAL error" : message)
    }
}

/// Why a file could not be written, found by looking at its folder: missing, a file in the way, read-only,
/// no permission, or full.
enum FileDiagnosis {
    /// Free space below which a failed write is put down to a full disk.
    static let fullBelowBytes: UInt64 = 1 << 20

    static func writeCause(_ path: String) -> String? {
        let fm = FileManager.default
        var dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue { dir = path }
        // The nearest folder that exists.
        var probe = dir
        while !fm.fileExists(atPath: probe, isDirectory: &isDir) {
            let parent = URL(fileURLWithPath: probe).deletingLastPathComponent().path
            if parent == probe { break }
            probe = parent
        }
        if fm.fileExists(atPath: probe, isDirectory: &isDir), !isDir.boolValue { return "\(probe) is a file, not a folder" }
        var st = statvfs()
        if statvfs(probe, &st) == 0 {
            if st.f_flag & UInt(ST_RDONLY) != 0 { return "read-only file system" }
            let free = UInt64(st.f_bavail) * UInt64(st.f_frsize)
            // (f_blocks 0: a pseudo file system such as /proc, which has no space to be full of.)
            if st.f_blocks > 0, free < fullBelowBytes { return "disk full (\(free / 1024) KB free on the device of \(probe))" }
        }
        if access(probe, W_OK) != 0 { return "permission denied (\(probe) is not writable)" }
        if probe != dir { return "no such folder \(dir)" }
        return nil
    }

    /// The first part of `path` that exists as a file where a folder is needed, if any.
    static func fileInTheWay(_ path: String) -> String? {
        var isDir: ObjCBool = false
        var current = "/"
        for part in URL(fileURLWithPath: path).pathComponents.dropFirst().dropLast() {
            current = (current as NSString).appendingPathComponent(part)
            if FileManager.default.fileExists(atPath: current, isDirectory: &isDir) {
                if !isDir.boolValue { return current }
            } else {
                return nil
            }
        }
        return nil
    }
}

// Reading plain files through GDAL's virtual file systems, so that a member of a .zip archive
// (`/vsizip/archive.zip/FR.dat`) reads like a file on disk. Used by the FCC ULS import.
import Foundation
import CGDAL

public enum VirtualFiles {
    /// The whole content of a file, a `/vsizip/…` member or any other GDAL virtual path.
    public static func read(_ path: String) throws -> Data {
        try read(path, limit: nil)
    }

    /// The content of `path`, read through GDAL (a `/vsizip/…` member is inflated as it is read). With `limit`,
    /// reading stops once more than `limit` bytes have come out and the file is refused: a compressed member
    /// is never inflated much beyond the bound, whatever sizes its archive declares.
    public static func read(_ path: String, limit: Int?) throws -> Data {
        GDALEnvironment.ensure()
        CPLErrorReset()
        guard let file = OwnedVirtualFile(path: path, mode: "rb") else {
            throw GDALEnvironment.error("open", path, fallback: "cannot open (missing file or archive member)")
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { VSIFReadL($0.baseAddress, 1, $0.count, file.raw) }
            if n > 0 { data.append(contentsOf: buffer[0..<Int(n)]) }
            if let limit, data.count > limit {
                throw GeoError(operation: "read", path: path, message: "larger than the \(limit) bytes allowed")
            }
            if n < buffer.count { break }
        }
        return data
    }

    /// Writes `data` to a new file in GDAL's memory file system and returns its path (`/vsimem/tanso-<uuid>/name`),
    /// e.g. a record file transcoded to UTF-8 that OGR then reads like the original. Remove it with `remove`.
    public static func writeMemoryFile(_ data: Data, name: String) throws -> String {
        GDALEnvironment.ensure()
        let path = "/vsimem/tanso-\(UUID().uuidString)/\(name)"
        guard let file = OwnedVirtualFile(path: path, mode: "wb") else {
            throw GeoError(operation: "write", path: path, message: "cannot create a memory file")
        }
        let written = data.withUnsafeBytes { VSIFWriteL($0.baseAddress, 1, $0.count, file.raw) }
        guard file.close(), written == data.count else {
            VSIUnlink(path)
            throw GeoError(operation: "write", path: path, message: "short write to a memory file")
        }
        return path
    }

    /// Removes a file of the memory file system.
    public static func remove(_ path: String) {
        _ = VSIUnlink(path)
    }

    /// Names in a folder, a .zip archive (give `/vsizip/archive.zip`) or another virtual folder.
    public static func list(_ path: String) -> [String] {
        GDALEnvironment.ensure()
        guard let list = VSIReadDir(path) else { return [] }
        defer { CSLDestroy(list) }
        var out: [String] = []
        var i = 0
        while let p = list[i] { out.append(String(cString: p)); i += 1 }
        return out
    }
}

/// A ZIP archive read through GDAL's `/vsizip/` (no inflate of tanso's own): its member names, and each member's
/// bytes within a size bound. An archive given as bytes is kept in GDAL's memory file system until the value goes.
public final class ZipFile {
    /// The archive's file (a path on disk or in `/vsimem/`).
    public let archivePath: String
    /// Names of the files in the archive (folders left out; `sub/name` for nested members), in archive order.
    public let memberNames: [String]
    private let memoryFile: Bool

    /// Opens the archive at `path` (a file GDAL can read, named `….zip`: GDAL finds archives by their extension).
    public convenience init(path: String) throws {
        try self.init(archivePath: path, memoryFile: false)
    }

    /// Opens an archive held in memory, e.g. a file already read within a size limit; `name` is for messages.
    public convenience init(data: Data, name: String) throws {
        // GDAL finds the archive in a /vsizip/ path by its extension: a .pafx (or any name) is stored as .zip.
        let path = try VirtualFiles.writeMemoryFile(data, name: name.lowercased().hasSuffix(".zip") ? name : name + ".zip")
        do { try self.init(archivePath: path, memoryFile: true) } catch {
            VirtualFiles.remove(path)
            throw error
        }
    }

    private init(archivePath: String, memoryFile: Bool) throws {
        GDALEnvironment.ensure()
        self.archivePath = archivePath
        self.memoryFile = memoryFile
        let root = "/vsizip/" + archivePath
        CPLErrorReset()
        guard let list = VSIReadDirRecursive(root) else { // nil for a file that is no ZIP (or an empty one)
            throw GDALEnvironment.error(
                "open ZIP archive", memoryFile ? nil : archivePath,
                fallback: "not a ZIP archive GDAL can read")
        }
        defer { CSLDestroy(list) }
        var names: [String] = []
        var i = 0
        while let p = list[i] {
            let name = String(cString: p)
            if !name.hasSuffix("/") { names.append(name) }
            i += 1
        }
        memberNames = names
    }

    /// The bytes of member `name`, inflated to at most `limit` bytes (a larger member is refused). nil when the
    /// archive has no such member.
    public func read(_ name: String, limit: Int) throws -> Data? {
        guard memberNames.contains(name) else { return nil }
        return try VirtualFiles.read("/vsizip/" + archivePath + "/" + name, limit: limit)
    }

    deinit { if memoryFile { VirtualFiles.remove(archivePath) } }
}

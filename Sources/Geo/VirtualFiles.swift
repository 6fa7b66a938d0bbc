// Reading plain files through GDAL's virtual file systems, so that a member of a .zip archive
// (`/vsizip/archive.zip/FR.dat`) reads like a file on disk. Used by the FCC ULS import.
import Foundation
import CGDAL

public enum VirtualFiles {
    /// The whole content of a file, a `/vsizip/…` member or any other GDAL virtual path.
    public static func read(_ path: String) throws -> Data {
        GDALEnvironment.ensure()
        guard let file = OwnedVirtualFile(path: path, mode: "rb") else {
            throw GeoError(operation: "open", path: path, message: "cannot open (missing file or archive member)")
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { VSIFReadL($0.baseAddress, 1, $0.count, file.raw) }
            if n > 0 { data.append(contentsOf: buffer[0..<Int(n)]) }
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

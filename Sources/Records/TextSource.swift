// Record files before OGR reads them (issue 23): the size limit of record files, regular files only, and the
// text encoding. A CSV or GeoJSON file must be well-formed UTF-8 (checked in pieces, not held in memory) unless
// its encoding is declared (`--encoding windows-1258` or `latin1`): then it is transcoded to UTF-8 in GDAL's
// memory file system and OGR reads that copy. Other formats (GeoPackage, Shapefile, PostGIS) carry their own
// encoding and are passed as they are.
import Foundation
import Geo
import Radio

struct PreparedSource {
    /// What OGR opens: the source itself, or a UTF-8 copy in /vsimem.
    let path: String
    let temporary: Bool

    func release() { if temporary { VirtualFiles.remove(path) } }
}

enum TextSource {
    static let textExtensions: Set<String> = ["csv", "tsv", "txt", "json", "geojson"]

    static func prepare(_ source: String, encoding: TextEncoding) throws -> PreparedSource {
        let same = PreparedSource(path: source, temporary: false)
        // Connection strings (PG:…) and GDAL virtual paths are not files of ours.
        let isFile = !source.contains(":") || source.hasPrefix("/") || source.hasPrefix(".")
        guard isFile, !source.hasPrefix("/vsi"), FileManager.default.fileExists(atPath: source) else { return same }
        try InputLimits.check(source, kind: .records)
        let url = URL(fileURLWithPath: source)
        guard textExtensions.contains(url.pathExtension.lowercased()) else { return same }
        if encoding == .utf8 {
            try InputText.checkUTF8(source, kind: .records)
            return same
        }
        let text = try InputText.read(source, kind: .records, encoding: encoding)
        return PreparedSource(path: try VirtualFiles.writeMemoryFile(Data(text.utf8), name: url.lastPathComponent), temporary: true)
    }
}

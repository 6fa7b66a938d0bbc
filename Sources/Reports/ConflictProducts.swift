// conflicts.csv and conflicts.gpkg written into a run's staging folder together: the CSV is formatted, written and
// hashed part by part on another thread while this one writes the GeoPackage and then hashes the finished file.
// Both digests go to the transaction (`recordDigest`), which then reads neither file again.
import Foundation
import Analysis
import Geo

public enum ConflictProducts {
    public static let csv = "conflicts.csv"
    public static let gpkg = "conflicts.gpkg"

    /// Writes both products into `tx`'s staging folder. On failure the other thread has finished before this
    /// returns, and the transaction's staging folder (removed when it is not committed) holds whatever was written.
    public static func write(_ conflicts: [Conflict], into tx: OutputTransaction) throws {
        let csvPath = tx.path(csv), gpkgPath = tx.path(gpkg)
        let csvWritten = Background { try writeCSV(conflicts, to: csvPath) }
        let gpkgDigest = Result { try writeGeoPackage(conflicts, to: gpkgPath) }
        let csvDigest = try csvWritten.value()
        let gpkgSum = try gpkgDigest.get()
        tx.recordDigest(of: csv, sha256: csvDigest.sha256, bytes: csvDigest.bytes)
        tx.recordDigest(of: gpkg, sha256: gpkgSum.sha256, bytes: gpkgSum.bytes)
    }

    /// conflicts.csv, hashed as its parts are written.
    static func writeCSV(_ conflicts: [Conflict], to path: String) throws -> (sha256: String, bytes: Int) {
        var sha = SHA256()
        var bytes = 0
        try ConflictReport.writeCSV(conflicts, to: path) { part in
            sha.update(part)
            bytes += part.count
        }
        return (sha.finalize(), bytes)
    }

    /// conflicts.gpkg, hashed once SQLite has closed it (its pages are rewritten while it is written).
    static func writeGeoPackage(_ conflicts: [Conflict], to path: String) throws -> (sha256: String, bytes: Int) {
        try VectorWriter.write(streams: ConflictReport.streams(conflicts), to: path)
        var st = stat()
        guard stat(path, &st) == 0 else { throw OutputFolderError("\(path): \(String(cString: strerror(errno)))") }
        return (try SHA256.hex(ofFile: path), Int(st.st_size))
    }
}

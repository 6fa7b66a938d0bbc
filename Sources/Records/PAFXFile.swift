// PAFX antenna archives (ZIP) read through GDAL's /vsizip/ (module Geo), for Radio's pure PAFX parser: Radio reads
// no ZIP itself. The archive is read within the pattern size limit (InputLimits, 1 MB by default) and each member
// is inflated to at most that limit, whatever sizes the archive declares (a ZIP bomb stops at the bound).
import Foundation
import Geo
import Radio

public enum PAFXFile {
    /// Every pattern of the `.pafx` archive at `url`, in the order of its index.
    public static func read(_ url: URL) throws -> [AntennaPattern] {
        try PAFXReader.read(try open(url))
    }

    /// The archive at `url`, for `PAFXReader` (and `AntennaLibrary(folder:archiveOpener:)`).
    public static func open(_ url: URL) throws -> any PatternArchive {
        let file = url.lastPathComponent
        let data: Data
        do { data = try InputLimits.read(url.path, kind: .pattern) } catch let e as InputFileError {
            throw AntennaFileError(file: file, line: 0, value: file, expected: "a readable PAFX archive: \(e.reason)")
        }
        do {
            return GDALPatternArchive(zip: try ZipFile(data: data, name: file), fileName: file)
        } catch let e as GeoError {
            throw AntennaFileError(file: file, line: 0, value: e.message, expected: "a PAFX (ZIP) archive")
        }
    }

    /// The opener to hand to `AntennaLibrary`.
    public static let opener: PatternArchiveOpener = { try PAFXFile.open($0) }
}

/// A PAFX archive opened by GDAL; members are inflated within the pattern size limit.
final class GDALPatternArchive: PatternArchive {
    let zip: ZipFile
    let fileName: String
    var memberNames: [String] { zip.memberNames }

    init(zip: ZipFile, fileName: String) {
        self.zip = zip
        self.fileName = fileName
    }

    func member(_ name: String) throws -> [UInt8]? {
        let limit = InputLimits.bytes(.pattern)
        do {
            return try zip.read(name, limit: limit).map { [UInt8]($0) }
        } catch let e as GeoError {
            throw AntennaFileError(
                file: fileName, line: 0, value: e.message,
                expected:
                    "a readable entry \(name) of at most \(limit) bytes inflated (raise the limit with \(InputLimits.Kind.pattern.environmentVariable)=MB)")
        }
    }
}

// One entry point for the coverage engine, whatever the antenna: omnidirectional, the parametric 3GPP sector, or a
// pattern file; and the library that loads pattern files by the name a transmitter record gives
// (`antenna_pattern` column), each once.
import Foundation
import Synchronization

public enum AntennaModel: Sendable, Equatable {
    /// Isotropic in the horizontal and vertical planes: relative gain 0 dB everywhere.
    case omni
    /// The 3GPP parametric sector pattern (electrical tilt applied as given).
    case sector(SectorAntenna)
    /// A pattern file (its electrical tilt is in the cuts; the `electricalTiltDeg` argument is ignored).
    case pattern(AntennaPattern)

    /// Gain relative to the boresight gain, dB, toward azimuth offset (deg, clockwise from the antenna azimuth, any
    /// range) and depression (deg, positive below the horizon), for an antenna mechanically tilted down by
    /// `mechanicalTiltDeg`. `electricalTiltDeg` is used by `.sector` only: a pattern file already contains its own.
    @inlinable
    public func relativeGainDB(
        azimuthOffDeg: Double, depressionDeg: Double,
        mechanicalTiltDeg: Double = 0, electricalTiltDeg: Double = 0
    ) -> Double {
        switch self {
        case .omni:
            return 0
        case .sector(let s):
            return s.relativeGainDB(
                offAzimuthDeg: azimuthOffDeg, depressionDeg: depressionDeg,
                mechanicalTiltDeg: mechanicalTiltDeg, electricalTiltDeg: electricalTiltDeg)
        case .pattern(let p):
            return p.relativeGainDB(
                azimuthOffDeg: azimuthOffDeg, depressionDeg: depressionDeg,
                mechanicalTiltDeg: mechanicalTiltDeg)
        }
    }

    /// Boresight gain stated by a pattern file, dBi; nil for `.omni` and `.sector` (their gain is the record's).
    public var fileGainDBi: Double? {
        if case .pattern(let p) = self { return p.gainDBi }
        return nil
    }

    /// The fast path for one transmitter: `relativeGainDB` tabulated every `stepDeg` (Float, bilinear lookup).
    public func gainTable(
        mechanicalTiltDeg: Double = 0, electricalTiltDeg: Double = 0,
        stepDeg: Double = 1
    ) -> AntennaGainTable {
        AntennaGainTable(stepDeg: stepDeg) { az, dep in
            relativeGainDB(
                azimuthOffDeg: az, depressionDeg: dep, mechanicalTiltDeg: mechanicalTiltDeg,
                electricalTiltDeg: electricalTiltDeg)
        }
    }
}

/// Pattern files of a folder, loaded on first use by file name and cached (thread-safe).
///
/// A name is a path relative to the folder (`B800A065-18-4E.pln`, `vendor/AMB4520R8v06_05T.msi`); the extension
/// picks the reader: `.msi`, `.pln`, `.txt` (MSI/Planet text) or `.pafx` (archive: `file.pafx#PatternName` picks one
/// pattern, `file.pafx` alone the first). A name without extension is tried with each of them; when no file has the
/// exact name, a case-insensitive match in the folder is used.
///
/// Confinement (issue 23): a name resolves only to a file inside the folder after symbolic links are followed
/// (realpath); `../`, absolute paths elsewhere and links leading out are refused without opening the file, and a
/// pattern file is read only within the pattern size limit (`InputLimits`, 1 MB by default).
public final class AntennaLibrary: Sendable {
    public let folder: URL
    private let cache = Mutex<[String: AntennaPattern]>([:])

    /// Opens `.pafx` archives (ZIP); nil: PAFX names are refused. Radio reads no ZIP itself (Records' `PAFXFile.open`
    /// reads them through GDAL).
    public let archiveOpener: PatternArchiveOpener?

    public init(folder: URL, archiveOpener: PatternArchiveOpener? = nil) {
        self.folder = folder
        self.archiveOpener = archiveOpener
    }

    /// The pattern named by a transmitter record, loaded once.
    public func pattern(named name: String) throws -> AntennaPattern {
        let key = name.trimmingCharacters(in: .whitespaces)
        if let p = cache.withLock({ $0[key] }) { return p }
        let p = try load(key) // outside the lock: a duplicate load in a race is harmless
        return cache.withLock { cache in
            if let existing = cache[key] { return existing }
            cache[key] = p
            return p
        }
    }

    /// The antenna model for a record: `.pattern` when the record names a file, else `fallback`.
    public func model(patternName: String?, fallback: AntennaModel = .sector(SectorAntenna())) throws -> AntennaModel {
        guard let n = patternName?.trimmingCharacters(in: .whitespaces), !n.isEmpty else { return fallback }
        return .pattern(try pattern(named: n))
    }

    /// Number of patterns loaded so far.
    public var loadedCount: Int {
        cache.withLock { $0.count }
    }

    public static let extensions = ["msi", "pln", "txt", "pafx"]

    /// The file a pattern name resolves to, inside the folder (for checksums in the run record).
    public func file(named name: String) throws -> URL {
        let key = name.trimmingCharacters(in: .whitespaces)
        let fileName = key.firstIndex(of: "#").map { String(key[..<$0]) } ?? key
        return try confinedURL(fileName, displayName: key)
    }

    private func confinedURL(_ fileName: String, displayName name: String) throws -> URL {
        guard let url = resolve(fileName) else {
            throw AntennaFileError(
                file: name, line: 0, value: name,
                expected: "a pattern file (.msi, .pln, .txt, .pafx) of that name in the patterns folder")
        }
        // Follow every symbolic link of both, then require the file to lie under the folder.
        guard let base = Self.realPath(folder.path), let real = Self.realPath(url.path),
            real.hasPrefix(base.hasSuffix("/") ? base : base + "/")
        else {
            throw AntennaFileError(
                file: name, line: 0, value: name,
                expected: "a pattern file inside the patterns folder (--antenna-dir); '..', absolute paths and symbolic links leading out of it are refused")
        }
        return URL(fileURLWithPath: real)
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    private func load(_ name: String) throws -> AntennaPattern {
        var fileName = name, member: String?
        if let hash = name.firstIndex(of: "#") {
            fileName = String(name[..<hash])
            member = String(name[name.index(after: hash)...])
        }
        let url = try confinedURL(fileName, displayName: name)
        switch url.pathExtension.lowercased() {
        case "pafx":
            guard let archiveOpener else {
                throw AntennaFileError(
                    file: url.lastPathComponent, line: 0, value: url.lastPathComponent,
                    expected: "a pattern file this library reads (.msi, .pln, .txt; .pafx needs an archive reader)")
            }
            let all = try PAFXReader.read(try archiveOpener(url))
            if let member {
                guard let p = all.first(where: { $0.name == member }) else {
                    throw AntennaFileError(
                        file: url.lastPathComponent, line: 0, value: member,
                        expected: "one of the archive's patterns: " + all.map(\.name).joined(separator: ", "))
                }
                return p
            }
            return all[0]
        default:
            return try PlanetPatternReader.read(url)
        }
    }

    private func resolve(_ name: String) -> URL? {
        let fm = FileManager.default
        let direct = name.hasPrefix("/") ? URL(fileURLWithPath: name) : folder.appendingPathComponent(name)
        var candidates = [direct]
        if direct.pathExtension.isEmpty {
            candidates += AntennaLibrary.extensions.map { direct.appendingPathExtension($0) }
        }
        for c in candidates where fm.fileExists(atPath: c.path) { return c }
        // Case-insensitive match in the file's folder.
        let dir = direct.deletingLastPathComponent()
        guard let listing = try? fm.contentsOfDirectory(atPath: dir.path) else { return nil }
        let wanted = Set(candidates.map { $0.lastPathComponent.lowercased() })
        if let hit = listing.sorted().first(where: { wanted.contains($0.lowercased()) }) {
            return dir.appendingPathComponent(hit)
        }
        return nil
    }
}

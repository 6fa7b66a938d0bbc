// Reading text inputs safely: a size limit per kind of input checked before anything is read, regular files
// only (a FIFO or /dev/zero would never end), strict UTF-8 (the byte offset and line of the first invalid byte)
// or a declared encoding (Windows-1258, Latin-1), and values echoed in messages capped and printable.
import Foundation

/// A text input that cannot be used: the file and the reason, on one line.
public struct InputFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public let path: String
    public let reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
    public var description: String { "\(path): \(reason)" }
}

/// Size limits per kind of input file, so that a 1 GB file named by mistake (or malice) fails at once instead
/// of being read whole. Each can be raised with an environment variable, in MB: `TANSO_MAX_<KIND>_MB`.
public enum InputLimits {
    public enum Kind: String, Sendable, CaseIterable {
        /// Record files (transmitters, assignments, villages, zones: CSV, GeoJSON, GeoPackage, …).
        case records = "RECORDS"
        /// Path-loss batches (`tanso pathloss --input`).
        case batch = "BATCH"
        /// Small tables: band plan, protection ratios, exposure limits, clutter classes.
        case table = "TABLE"
        /// JSON documents: sharing proposals, coverage targets, study files.
        case json = "JSON"
        /// Antenna pattern files (.msi, .pln, .txt, .pafx).
        case pattern = "PATTERN"

        public var defaultMB: Double {
            switch self {
            case .records: return 200
            case .batch: return 200
            case .table: return 16
            case .json: return 16
            case .pattern: return 1
            }
        }

        public var what: String {
            switch self {
            case .records: return "record file"
            case .batch: return "path-loss batch"
            case .table: return "table"
            case .json: return "JSON file"
            case .pattern: return "antenna pattern file"
            }
        }

        var article: String { self == .pattern ? "an" : "a" }

        public var environmentVariable: String { "TANSO_MAX_\(rawValue)_MB" }
    }

    /// The limit in bytes for `kind`: the environment variable when set to a number of MB > 0, else the default.
    public static func bytes(_ kind: Kind) -> Int {
        var mb = kind.defaultMB
        if let v = ProcessInfo.processInfo.environment[kind.environmentVariable], let x = DecimalNumber.parse(v), x > 0 {
            mb = min(x, 1_000_000)
        }
        return Int(mb * 1_048_576)
    }

    /// Documentation of the limits for `--help` texts.
    public static var help: String {
        "Input size limits (MB; raise with the environment variable): "
            + Kind.allCases.map {
                "\($0.what) \(DecimalFormat.plain($0.defaultMB)) (\($0.environmentVariable))"
            }.joined(separator: ", ") + "."
    }

    /// Checks that `path` is a regular file (after following links) within the limit of `kind`; returns its size.
    /// A path that does not exist is left to the reader (which names it). Directories pass (e.g. a shapefile folder).
    @discardableResult
    public static func check(_ path: String, kind: Kind) throws -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        let type = st.st_mode & S_IFMT
        if type == S_IFDIR { return nil }
        guard type == S_IFREG else {
            throw InputFileError(path: path, reason: "not a regular file (a device, pipe or socket cannot be read as \(kind.article) \(kind.what))")
        }
        let size = Int(st.st_size), limit = bytes(kind)
        guard size <= limit else {
            throw InputFileError(
                path: path,
                reason:
                    "\(DecimalFormat.megabytes(size)) is larger than the \(DecimalFormat.megabytes(limit)) allowed for \(kind.article) \(kind.what); raise the limit with \(kind.environmentVariable)=MB if the file is right"
            )
        }
        return size
    }

    /// The bytes of `path` after `check` (the read itself stops at the limit, should the file grow meanwhile).
    public static func read(_ path: String, kind: Kind) throws -> Data {
        try check(path, kind: kind)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputFileError(path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read (permission denied?)" : "no such file")
        }
        defer { try? handle.close() }
        let limit = bytes(kind)
        let data: Data
        do { data = try handle.read(upToCount: limit + 1) ?? Data() } catch {
            throw InputFileError(path: path, reason: "cannot be read (\(error.localizedDescription))")
        }
        guard data.count <= limit else {
            throw InputFileError(
                path: path,
                reason:
                    "larger than the \(DecimalFormat.megabytes(limit)) allowed for \(kind.article) \(kind.what); raise the limit with \(kind.environmentVariable)=MB"
            )
        }
        return data
    }
}

enum DecimalFormat {
    static func plain(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
    static func megabytes(_ bytes: Int) -> String {
        let mb = Double(bytes) / 1_048_576
        return mb >= 10 ? String(format: "%.0f MB", mb) : String(format: "%.1f MB", mb)
    }
}

/// The encoding of a text input: UTF-8 (the default, checked strictly) or one declared with `--encoding`.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case windows1258 = "windows-1258"
    case latin1 = "iso-8859-1"

    /// Accepts the usual spellings: utf8, UTF-8, cp1258, windows-1258, latin1, iso-8859-1, iso8859-1.
    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8": self = .utf8
        case "windows-1258", "cp1258", "win1258", "windows1258": self = .windows1258
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1": self = .latin1
        default: return nil
        }
    }

    public static let names = "utf-8, windows-1258 (cp1258, Vietnamese), latin1 (iso-8859-1)"
}

public enum InputText {
    /// A value from an input, fit to be echoed in a message: control and other non-printable characters
    /// replaced by '?', at most `limit` characters (then "…").
    public static func echo(_ value: String, limit: Int = 80) -> String {
        var out = ""
        var n = 0
        for scalar in value.unicodeScalars {
            if n == limit { out += "…"; break }
            let printable: Bool
            switch scalar.properties.generalCategory {
            case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: printable = false
            default: printable = true
            }
            out.unicodeScalars.append(printable ? scalar : "?")
            n += 1
        }
        return out
    }

    /// Column names for a message: each capped and printable, at most 30 of them.
    public static func columnList(_ names: [String]) -> String {
        let shown = names.prefix(30).map { echo($0, limit: 40) }.joined(separator: ", ")
        return names.count > 30 ? shown + ", … (\(names.count) columns)" : shown
    }

    /// Reads a text file of `kind` within its size limit and decodes it (a leading byte-order mark dropped).
    public static func read(_ path: String, kind: InputLimits.Kind, encoding: TextEncoding = .utf8) throws -> String {
        let data = try InputLimits.read(path, kind: kind)
        return try decode(data, encoding: encoding, source: path)
    }

    /// Decodes bytes: strict UTF-8 (an error names the byte offset and line of the first invalid byte and the
    /// `--encoding` option), or Windows-1258 / Latin-1 (the result in Unicode NFC, so that a tone mark written as a
    /// combining character matches the precomposed letters of UTF-8 files).
    public static func decode(_ data: Data, encoding: TextEncoding, source: String) throws -> String {
        var bytes = [UInt8](data)
        switch encoding {
        case .utf8:
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            if let bad = firstInvalidUTF8(bytes) {
                let line = bytes[..<bad].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
                let offset = bad + (data.count - bytes.count)
                throw InputFileError(
                    path: source,
                    reason: String(format: "not valid UTF-8: byte 0x%02X at offset %d (line %d); ", bytes[bad], offset, line)
                        + "declare the file's encoding with --encoding (\(TextEncoding.names))")
            }
            return String(decoding: bytes, as: UTF8.self)
        case .latin1:
            var s = String.UnicodeScalarView()
            for b in bytes { s.append(Unicode.Scalar(b)) }
            return String(s).precomposedStringWithCanonicalMapping
        case .windows1258:
            var s = String.UnicodeScalarView()
            for (i, b) in bytes.enumerated() {
                if b < 0x80 { s.append(Unicode.Scalar(b)); continue }
                let u = Windows1258.table[Int(b) - 0x80]
                guard u != 0, let scalar = Unicode.Scalar(u) else {
                    let line = bytes[..<i].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
                    throw InputFileError(path: source, reason: String(format: "byte 0x%02X at offset %d (line %d) is not a Windows-1258 character", b, i, line))
                }
                s.append(scalar)
            }
            return String(s).precomposedStringWithCanonicalMapping
        }
    }

    /// Checks that a file is well-formed UTF-8 without holding it in memory (read in 4 MB pieces), after the size
    /// check of `kind`; the error names the byte offset and line of the first invalid byte.
    public static func checkUTF8(_ path: String, kind: InputLimits.Kind) throws {
        try InputLimits.check(path, kind: kind)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputFileError(path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read (permission denied?)" : "no such file")
        }
        defer { try? handle.close() }
        var carry: [UInt8] = []
        var offset = 0, line = 1, first = true
        let limit = InputLimits.bytes(kind)
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 4 << 20) ?? Data() } catch {
                throw InputFileError(path: path, reason: "cannot be read (\(error.localizedDescription))")
            }
            let final = chunk.isEmpty
            var bytes = carry + [UInt8](chunk)
            if first, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3); offset = 3 }
            first = false
            let (bad, consumed) = validUTF8Prefix(bytes, final: final)
            if let bad {
                let l = line + bytes[..<bad].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                throw InputFileError(
                    path: path,
                    reason: String(format: "not valid UTF-8: byte 0x%02X at offset %d (line %d); ", bytes[bad], offset + bad, l)
                        + "declare the file's encoding with --encoding (\(TextEncoding.names))")
            }
            line += bytes[..<consumed].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            offset += consumed
            carry = Array(bytes[consumed...])
            if final { return }
            guard offset <= limit else {
                throw InputFileError(
                    path: path,
                    reason:
                        "larger than the \(DecimalFormat.megabytes(limit)) allowed for \(kind.article) \(kind.what); raise the limit with \(kind.environmentVariable)=MB"
                )
            }
        }
    }

    /// The well-formed prefix of `b`: the index of the first invalid byte (nil if none) and how many bytes form
    /// whole characters. When `final` is false, a sequence cut by the end of `b` is left unconsumed, not an error.
    static func validUTF8Prefix(_ b: [UInt8], final: Bool) -> (bad: Int?, consumed: Int) {
        guard let i = firstInvalidUTF8(b) else { return (nil, b.count) }
        // A valid but incomplete character at the end of a piece: the next piece completes it.
        if !final, b.count - i <= 3, isIncompletePrefix(Array(b[i...])) { return (nil, i) }
        return (i, i)
    }

    static func isIncompletePrefix(_ tail: [UInt8]) -> Bool {
        guard let lead = tail.first else { return false }
        let need: Int
        switch lead {
        case 0xC2...0xDF: need = 1
        case 0xE0...0xEF: need = 2
        case 0xF0...0xF4: need = 3
        default: return false
        }
        guard tail.count <= need else { return false }
        // Pad with the smallest continuation bytes allowed after this lead and check the result is well-formed.
        for pad: UInt8 in [0x80, 0x90, 0xA0] {
            let full = tail + [UInt8](repeating: pad, count: need + 1 - tail.count)
            if firstInvalidUTF8(full) == nil { return true }
        }
        return false
    }

    /// Index of the first byte that does not belong to well-formed UTF-8 (RFC 3629: no overlongs, no surrogates,
    /// nothing above U+10FFFF), or nil.
    public static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalidUTF8(in: $0) }
    }

    /// `firstInvalidUTF8` on a buffer; runs of ASCII are passed eight bytes at a time.
    public static func firstInvalidUTF8(in b: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        let n = b.count
        let raw = UnsafeRawPointer(b.baseAddress)
        while i < n {
            if let raw, i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            var need = 0, lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return i
            }
            guard i + need < n else { return i }
            if b[i + 1] < lo || b[i + 1] > hi { return i }
            for k in 2...max(2, need) where k <= need {
                if b[i + k] < 0x80 || b[i + k] > 0xBF { return i }
            }
            i += need + 1
        }
        return nil
    }
}

/// Windows-1258 (Vietnamese) to Unicode, bytes 0x80–0xFF; 0 = no character. Written from Microsoft's code page
/// 1258 table: Latin-1 letters with the Vietnamese Ă ă Đ đ Ơ ơ Ư ư ₫, and five combining tone marks (grave U+0300,
/// acute U+0301, tilde U+0303, hook above U+0309, dot below U+0323) in place of Ì Ò Ý Þ and ì ò ý þ.
enum Windows1258 {
    static let table: [UInt32] = [
        // 0x80
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0, 0x2039, 0x0152, 0, 0, 0,
        // 0x90
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0, 0x203A, 0x0153, 0, 0, 0x0178,
        // 0xA0
        0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7, 0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
        // 0xB0
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, 0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
        // 0xC0
        0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7, 0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF,
        // 0xD0
        0x0110, 0x00D1, 0x0309, 0x00D3, 0x00D4, 0x01A0, 0x00D6, 0x00D7, 0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF,
        // 0xE0
        0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7, 0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF,
        // 0xF0
        0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7, 0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0, 0x20AB, 0x00FF
    ]
}

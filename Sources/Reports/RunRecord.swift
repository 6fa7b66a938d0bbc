// The record of a run (study.json): tool and library versions, the command, every input file with its size and
// SHA-256, the study, and the grid, so that a run can be repeated and its inputs checked.
import Foundation
import Analysis
import CSHA256
import Geo

/// SHA-256 (FIPS 180-4), streaming. Foundation on Linux has no digest API and the project takes no packages.
public struct SHA256 {
    private var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0
    /// The round constants (FIPS 180-4 §4.2.2), from the C side that the SHA extensions use too.
    nonisolated(unsafe) private static let k = UnsafeBufferPointer(start: tanso_sha256_constants(), count: 64)

    private let onHardware: Bool

    /// `portable`: the Swift rounds even where the CPU has SHA extensions (for tests that compare both paths).
    public init(portable: Bool = false) { onHardware = !portable && Self.hardware }

    public mutating func update<D: DataProtocol>(_ data: D) {
        length &+= UInt64(data.count)
        for region in data.regions {
            region.withUnsafeBytes { raw in
                var p = raw.bindMemory(to: UInt8.self)[...]
                // Fill a pending partial block first.
                if !buffer.isEmpty {
                    let take = min(64 - buffer.count, p.count)
                    buffer.append(contentsOf: p.prefix(take))
                    p = p.dropFirst(take)
                    if buffer.count == 64 {
                        let block = buffer
                        block.withUnsafeBufferPointer { compress($0.baseAddress!, blocks: 1) }
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
                // Whole blocks straight from the input.
                if let base = UnsafeBufferPointer(rebasing: p).baseAddress {
                    let blocks = p.count / 64
                    if blocks > 0 { compress(base, blocks: blocks) }
                    p = p.dropFirst(blocks * 64)
                }
                buffer.append(contentsOf: p)
            }
        }
    }

    public mutating func finalize() -> String {
        let bits = length &* 8
        var pad: [UInt8] = [0x80]
        pad += [UInt8](repeating: 0, count: (119 - Int(length % 64)) % 64)
        for i in (0..<8).reversed() { pad.append(UInt8(truncatingIfNeeded: bits >> (UInt64(i) * 8))) }
        let saved = length
        update(pad)
        length = saved
        return h.map { String(format: "%08x", $0) }.joined()
    }

    /// Whether the CPU's SHA extensions compress the blocks (about 25 times faster than the portable rounds).
    public static let hardware = tanso_sha256_hardware() == 1

    private mutating func compress(_ start: UnsafePointer<UInt8>, blocks: Int) {
        if onHardware {
            h.withUnsafeMutableBufferPointer { tanso_sha256_blocks($0.baseAddress!, start, blocks) }
        } else {
            compressPortably(start, blocks: blocks)
        }
    }

    /// FIPS 180-4 §6.2.2 over `blocks` consecutive 64-byte blocks; the state stays in locals for the whole run.
    private mutating func compressPortably(_ start: UnsafePointer<UInt8>, blocks: Int) {
        @inline(__always) func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
        var h0 = h[0], h1 = h[1], h2 = h[2], h3 = h[3], h4 = h[4], h5 = h[5], h6 = h[6], h7 = h[7]
        let k = Self.k
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for block in 0..<blocks {
                let p = start + block * 64
                for i in 0..<16 {
                    let j = 4 * i
                    w[i] = UInt32(p[j]) << 24 | UInt32(p[j + 1]) << 16 | UInt32(p[j + 2]) << 8 | UInt32(p[j + 3])
                }
                for i in 16..<64 {
                    let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                    let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                    w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
                }
                var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, hh = h7
                for i in 0..<64 {
                    let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
                    let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                    hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
                }
                h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d; h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= hh
            }
        }
        h = [h0, h1, h2, h3, h4, h5, h6, h7]
    }

    public static func hex(of data: Data) -> String { var s = SHA256(); s.update(data); return s.finalize() }

    /// Digest of a file, read in 4 MB chunks into one buffer.
    public static func hex(ofFile path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw GeoError(operation: "checksum", path: path, message: "cannot open the file") }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var s = SHA256()
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw GeoError(operation: "checksum", path: path, message: String(cString: strerror(errno)))
            }
            s.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return s.finalize()
    }
}

public struct RunRecord: Codable, Sendable {
    public struct Input: Codable, Sendable, Equatable {
        public var role: String
        /// As given on the command line (relative paths stay relative); connection strings are kept as given.
        public var path: String
        /// nil for sources that are not plain files (a PostGIS connection string, a folder).
        public var sha256: String?
        public var bytes: Int?
    }
    public struct Grid: Codable, Sendable, Equatable {
        public var crs: String
        public var width: Int
        public var height: Int
        public var geoTransform: [Double]
    }
    public struct Shard: Codable, Sendable, Equatable {
        public var index: Int
        public var count: Int
        /// Indices (in the full transmitter list) computed by this shard.
        public var transmitterIndices: [Int]
        public init(index: Int, count: Int, transmitterIndices: [Int]) {
            self.index = index; self.count = count; self.transmitterIndices = transmitterIndices
        }
    }

    public var tool: String
    public var gdal: String
    public var proj: String
    public var command: [String]
    public var inputs: [Input]
    public var study: CoverageStudy
    public var grid: Grid?
    public var shard: Shard?
    /// The run that wrote the folder, and its products with their sizes and SHA-256 (the completion record).
    public var run: RunInfo?
    public var products: [ProductEntry]?

    public init(tool: String, command: [String], inputs: [Input], study: CoverageStudy, grid: Grid? = nil, shard: Shard? = nil) {
        self.tool = tool
        gdal = GeoLibraries.gdalVersion
        proj = GeoLibraries.projVersion
        self.command = command
        self.inputs = inputs
        self.study = study
        self.grid = grid
        self.shard = shard
    }

    /// An input entry, with size and checksum when `path` is a regular file.
    public static func input(role: String, path: String) throws -> Input {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            return Input(role: role, path: path, sha256: nil, bytes: nil)
        }
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        return Input(role: role, path: path, sha256: try SHA256.hex(ofFile: path), bytes: size)
    }

    public static func grid(_ spec: GridSpec) -> Grid {
        Grid(crs: spec.crs, width: spec.width, height: spec.height, geoTransform: spec.geoTransform.coefficients)
    }

    public func write(to path: String) throws {
        try encoded().write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The record as written to study.json (sorted keys, indented).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Any Encodable as study.json writes it.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// Reads a run record, or a bare study (the older study.json, or one written by hand) as a record with no inputs.
    public static func read(_ path: String) throws -> RunRecord {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        if let r = try? JSONDecoder().decode(RunRecord.self, from: data) { return r }
        let study = try JSONDecoder().decode(CoverageStudy.self, from: data)
        return RunRecord(tool: "", command: [], inputs: [], study: study)
    }

    /// Inputs whose file changed since the record was written (size or checksum), as messages.
    public func changedInputs() -> [String] {
        inputs.compactMap { i in
            guard let sum = i.sha256 else { return nil }
            guard let now = try? SHA256.hex(ofFile: i.path) else { return "\(i.role) \(i.path): missing now" }
            return now == sum ? nil : "\(i.role) \(i.path): content changed since the run (SHA-256 differs)"
        }
    }
}

// A CSV file read as bytes, in chunks of whole records, with bounded memory: for tables too large to hold as
// `String`s (path-loss batches of hundreds of MB). The same RFC 4180 dialect as `CSV.parse`: quoted fields with
// commas, doubled quotes and line breaks; LF or CRLF line ends; a UTF-8 byte-order mark skipped; blank lines
// skipped.
import Foundation
import Radio

/// One chunk of whole records: their bytes, each record's byte range (line end excluded) and its first line
/// number in the file (1-based).
public struct CSVChunk: Sendable {
    public let bytes: [UInt8]
    public let records: [Range<Int>]
    public let lines: [Int]

    /// The fields of record `i`: each one's byte range (quotes excluded) and whether it was quoted (then a doubled
    /// quote inside stands for one).
    public func fields(_ i: Int) -> [(range: Range<Int>, quoted: Bool)] {
        let r = records[i]
        var out: [(range: Range<Int>, quoted: Bool)] = []
        var p = r.lowerBound
        bytes.withUnsafeBufferPointer { b in
            while true {
                if p < r.upperBound, b[p] == UInt8(ascii: "\"") {
                    // Quoted: up to the closing quote (a doubled one continues), then to the comma.
                    var q = p + 1
                    while q < r.upperBound {
                        if b[q] == UInt8(ascii: "\"") {
                            if q + 1 < r.upperBound, b[q + 1] == UInt8(ascii: "\"") { q += 2; continue }
                            break
                        }
                        q += 1
                    }
                    out.append((p + 1..<min(q, r.upperBound), true))
                    var c = min(q + 1, r.upperBound)
                    while c < r.upperBound, b[c] != UInt8(ascii: ",") { c += 1 } // bytes after the closing quote: dropped
                    guard c < r.upperBound else { return }
                    p = c + 1
                } else {
                    // The next comma (memchr: the heights column of a batch row is tens of kB without one).
                    var c = r.upperBound
                    if p < r.upperBound, let hit = memchr(b.baseAddress! + p, 0x2C, r.upperBound - p) {
                        c = b.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    }
                    out.append((p..<c, false))
                    guard c < r.upperBound else { return }
                    p = c + 1
                }
            }
        }
        return out
    }

    /// A field's text: UTF-8 (nil when its bytes are not valid UTF-8), doubled quotes undone when quoted.
    public func string(_ field: (range: Range<Int>, quoted: Bool)) -> String? {
        let s = bytes.withUnsafeBufferPointer { String(validating: UnsafeBufferPointer(rebasing: $0[field.range]), as: UTF8.self) }
        guard let s, field.quoted, s.contains("\"") else { return s }
        return s.replacingOccurrences(of: "\"\"", with: "\"")
    }
}

/// Reads `path` in chunks of whole records.
public final class CSVByteStream {
    public let path: String
    /// The file's size in bytes (for progress).
    public let size: Int
    private let handle: FileHandle
    private var carry: [UInt8] = []
    /// The buffer each read fills, reused: a fresh buffer per read (Foundation's `read(upToCount:)`) put every byte
    /// of the file into new pages, whose first write costs more than the copy on these machines (0.19 s of a 143 MB
    /// register's reading, on the thread that accepts the rows).
    private var buffer: [UInt8] = []
    private var atEnd = false
    private var nextLine = 1
    private var started = false
    /// Bytes read so far.
    public private(set) var bytesRead = 0

    public init(path: String) throws {
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw InputFileError(path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read (permission denied?)" : "no such file")
        }
        handle = h
        self.path = path
        size = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
    }

    deinit { try? handle.close() }

    /// The next whole records, about `targetBytes` of them (at least one record), or nil at the end of the file. A
    /// record longer than `maxRecordBytes` is an error naming its line.
    public func next(targetBytes: Int = 8 << 20, maxRecordBytes: Int) throws -> CSVChunk? {
        while true {
            if let chunk = cut(final: atEnd) { return chunk }
            if atEnd { return nil }
            guard carry.count <= maxRecordBytes else {
                throw InputFileError(
                    path: path,
                    reason:
                        "line \(nextLine): a record longer than \(maxRecordBytes / 1_048_576) MB (an unclosed quote?); raise the limit with TANSO_MAX_BATCH_MB=MB"
                )
            }
            let want = max(targetBytes, 1)
            if buffer.count < want { buffer = [UInt8](repeating: 0, count: want) }
            let fd = handle.fileDescriptor
            var got = 0
            repeat {
                got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, want) }
            } while got < 0 && errno == EINTR
            if got < 0 { throw InputFileError(path: path, reason: "cannot be read (\(String(cString: strerror(errno))))") }
            guard got > 0 else { atEnd = true; continue }
            bytesRead += got
            carry.append(contentsOf: buffer[0..<got])
            if !started, carry.count >= 3 {
                started = true
                if carry.starts(with: [0xEF, 0xBB, 0xBF]) { carry.removeFirst(3) }
            }
        }
    }

    /// Cuts the whole records at the front of `carry` into a chunk (the rest stays); with `final`, the remainder is
    /// the last record. Nil when there is no whole record yet.
    private func cut(final: Bool) -> CSVChunk? {
        var records: [Range<Int>] = [], lines: [Int] = []
        var start = 0, line = nextLine, consumed = 0
        carry.withUnsafeBufferPointer { b in
            let n = b.count
            guard let base = b.baseAddress else { return }
            var p = 0
            var inQuotes = false
            var newlinesInRecord = 0
            while p < n {
                // The next line end, then whether it ends the record (an even number of quotes so far).
                let rest = n - p
                guard let hit = memchr(base + p, 0x0A, rest) else { break }
                let nl = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                var q = p
                while q < nl, let qh = memchr(base + q, 0x22, nl - q) {
                    inQuotes.toggle()
                    q = base.distance(to: qh.assumingMemoryBound(to: UInt8.self)) + 1
                }
                p = nl + 1
                if inQuotes { newlinesInRecord += 1; continue }
                var end = nl
                if end > start, b[end - 1] == 0x0D { end -= 1 }
                if end > start { records.append(start..<end); lines.append(line) }
                line += 1 + newlinesInRecord
                newlinesInRecord = 0
                start = p
                consumed = p
            }
            if final, start < n {
                var end = n
                if b[end - 1] == 0x0D { end -= 1 }
                if end > start { records.append(start..<end); lines.append(line) }
                line += 1
                consumed = n
            }
        }
        guard consumed > 0 else { return nil }
        let bytes = Array(carry[0..<consumed])
        carry.removeFirst(consumed)
        nextLine = line
        if records.isEmpty { return final ? nil : cut(final: final) }
        return CSVChunk(bytes: bytes, records: records, lines: lines)
    }
}

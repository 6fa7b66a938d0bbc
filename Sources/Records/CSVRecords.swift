// Record CSV files read as bytes (issue 21): a UTF-8 `.csv` is cut into chunks of whole records (`CSVByteStream`),
// the chunks are split into fields and parsed on every core, and the rows are accepted in order, giving the same
// items, errors and `LoadReport` as OGR's CSV driver with `VectorReader.csvOpenOptions`. What that driver does,
// and this reader repeats (checked against GDAL 3.6 in CSVBytePathTests):
// - the header: names split like a data line, spaces around a name dropped (tabs kept), an empty name becomes
//   `field_N` (N = 1-based position);
// - a data line: a quote toggles quoting wherever it stands in a field (`ab"c,d"e` is `abc,de`); inside quotes a
//   doubled quote is one quote; values are not trimmed; fields past the header's are ignored; an empty field is
//   null; a quoted line break is a line feed (a CR before it dropped);
// - rows: a line with no field at all (empty) is skipped and not counted: rows are numbered 1, 2, … over the
//   records read, so with blank lines the line `RecordError` prints (row + 1) is not the file's line — OGR's
//   numbering, kept so that both paths report the same row;
// - a record with an unclosed quote runs to the end of the file, its last line end dropped.
// Anything else the driver treats in its own way is left to OGR (`nil`): a header that is not comma-separated,
// that has a numeric name (OGR then reads it as data), no latitude/longitude column (the position then comes from
// a WKT geometry), or two names equal up to case; a `.csvt` types file beside the CSV; a carriage return that does
// not end a line (OGR ends a line there); a NUL byte (OGR ends the value there); a byte-order mark at the start of
// a data line (OGR skips it); a record longer than 1 MB; invalid UTF-8 (OGR's path then reports it
// with its byte offset and line, as before).
import Foundation
import Geo
import Radio

/// One chunk's records split into fields: each field's byte range and whether it needs decoding (quotes, CR).
final class CSVFieldTable: @unchecked Sendable {
    let bytes: [UInt8]
    let starts: [Int32]
    let ends: [Int32]
    let decode: [Bool]
    /// Index of each record's first field; one more entry than records.
    let firstField: [Int]

    /// `fieldsPerRecord`: the header's count, to size the ranges once.
    init(_ chunk: CSVChunk, fieldsPerRecord: Int = 16) {
        bytes = chunk.bytes
        var fields = FieldRanges(capacity: chunk.records.count * (fieldsPerRecord + 1))
        var first = [0]
        first.reserveCapacity(chunk.records.count + 1)
        chunk.bytes.withUnsafeBufferPointer { b in
            for r in chunk.records {
                fields.split(b, r)
                first.append(fields.starts.count)
            }
        }
        starts = fields.starts; ends = fields.ends; decode = fields.decode; firstField = first
    }

    var recordCount: Int { firstField.count - 1 }

    /// Field `i` of record `record` as OGR gives it: nil when absent or empty.
    func text(record: Int, field i: Int) -> String? {
        let f = firstField[record] + i
        guard f < firstField[record + 1] else { return nil }
        let lo = Int(starts[f]), hi = Int(ends[f])
        guard hi > lo else { return nil }
        let s = bytes.withUnsafeBufferPointer { b -> String in
            decode[f] ? decoded(b, lo, hi) : String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)
        }
        return s.isEmpty ? nil : s
    }

    /// `body` over the bytes of field `i` of `record` when they are what OGR gives and need no trimming: present,
    /// non-empty, without quotes or carriage returns, starting and ending with a visible ASCII character. nil
    /// otherwise (absent, empty or not so plain: the caller takes `text` instead).
    @inline(__always)
    func withPlainField<R>(record: Int, field i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        let f = firstField[record] + i
        guard f < firstField[record + 1], !decode[f] else { return nil }
        let lo = Int(starts[f]), hi = Int(ends[f])
        guard hi > lo else { return nil }
        return bytes.withUnsafeBufferPointer { b in
            guard (0x21..<0x7F).contains(b[lo]), (0x21..<0x7F).contains(b[hi - 1]) else { return nil }
            return body(UnsafeBufferPointer(rebasing: b[lo..<hi]))
        }
    }

    /// A field with quotes or carriage returns: the quotes that open or close quoting removed, doubled quotes
    /// inside quotes made one, a CR before a line feed dropped.
    private func decoded(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(hi - lo)
        var quoted = false
        var p = lo
        while p < hi {
            let c = b[p]
            if c == 0x22 {
                if quoted, p + 1 < hi, b[p + 1] == 0x22 { out.append(0x22); p += 1 } else { quoted.toggle() }
            } else if !(c == 0x0D && p + 1 < hi && b[p + 1] == 0x0A) {
                out.append(c)
            }
            p += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// All fields of `record` (the header), decoded; empty ones as "".
    func allTexts(record: Int) -> [String] {
        (0..<(firstField[record + 1] - firstField[record])).map { text(record: record, field: $0) ?? "" }
    }
}

/// Fields' byte ranges as a chunk is split.
private struct FieldRanges {
    var starts: [Int32] = [], ends: [Int32] = [], decode: [Bool] = []

    init(capacity: Int) {
        starts.reserveCapacity(capacity); ends.reserveCapacity(capacity); decode.reserveCapacity(capacity)
    }

    /// Splits one record as GDAL's CSVSplitLine does: a quote outside quotes opens them wherever it stands; inside,
    /// a doubled quote is a quote and a single one closes them; a comma outside quotes ends the field.
    mutating func split(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) {
        var end = r.upperBound
        // An unclosed quote ran to the end of the file: OGR drops the last line end.
        if end > r.lowerBound, b[end - 1] == 0x0A {
            end -= 1
            if end > r.lowerBound, b[end - 1] == 0x0D { end -= 1 }
        }
        var p = r.lowerBound
        while true {
            let start = p
            var quoted = false, special = false
            while p < end {
                let c = b[p]
                if c == 0x2C, !quoted { break }
                if c == 0x22 {
                    special = true
                    if quoted, p + 1 < end, b[p + 1] == 0x22 { p += 1 } else { quoted.toggle() }
                } else if c == 0x0D {
                    special = true
                }
                p += 1
            }
            starts.append(Int32(start)); ends.append(Int32(p)); decode.append(special)
            guard p < end else { return }
            p += 1
            if p == end { // a trailing comma: one more, empty field
                starts.append(Int32(p)); ends.append(Int32(p)); decode.append(false)
                return
            }
        }
    }
}

/// One data record of a `CSVFieldTable`.
struct CSVRecordValues: Sendable {
    let table: CSVFieldTable
    let record: Int
}

enum CSVRecords {
    /// Bytes per chunk read and parsed as one piece.
    static let chunkBytes = 4 << 20
    /// A longer record (a register row is a few hundred bytes; an unclosed quote makes one of the rest of the file)
    /// is left to OGR, whose own line limit then applies.
    static let maxRecordBytes = 1 << 20

    /// Loads a record CSV as bytes when OGR would read it as this reader does; nil when the OGR path must read it
    /// (another encoding or format, a layer name, or one of the cases listed at the top of this file).
    /// `threads` 1 parses on the calling thread only (tests); `chunkBytes` is small in tests to cut many chunks.
    static func collect<T: Sendable>(
        _ source: String, layer: String?, encoding: TextEncoding, required: [String], skipInvalid: Bool,
        report: inout LoadReport, threads: Int = 0, chunkBytes: Int = chunkBytes,
        id: @escaping (T) -> String, make: @escaping @Sendable (RowReader) throws -> T
    ) throws -> [T]? {
        guard layer == nil, encoding == .utf8, isPlainCSVFile(source) else { return nil }
        try InputLimits.check(source, kind: .records)
        guard let stream = try? CSVByteStream(path: source) else { return nil }
        var reader = ChunkedRows<T>(
            stream: stream, source: source, required: required, skipInvalid: skipInvalid, threads: threads,
            chunkBytes: chunkBytes, id: id, make: make)
        guard try reader.run() else { return nil }
        report.skipped.append(contentsOf: reader.report.skipped)
        return reader.accepted.items
    }

    /// A `.csv` file of ours (not a connection string or GDAL path) without a `.csvt` types file beside it.
    static func isPlainCSVFile(_ source: String) -> Bool {
        let isFile = !source.contains(":") || source.hasPrefix("/") || source.hasPrefix(".")
        guard isFile, !source.hasPrefix("/vsi"), source.lowercased().hasSuffix(".csv") else { return false }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), !isDirectory.boolValue else { return false }
        let stem = String(source.dropLast(4))
        return !FileManager.default.fileExists(atPath: stem + ".csvt") && !FileManager.default.fileExists(atPath: stem + ".CSVT")
    }

    /// The header's names as OGR's CSV driver makes them, or nil when OGR would read the header otherwise.
    static func headerNames(_ table: CSVFieldTable, _ chunk: CSVChunk) -> [String]? {
        let r = chunk.records[0]
        guard InputText.firstInvalidUTF8(Array(chunk.bytes[r])) == nil, separatorIsComma(chunk.bytes[r]) else { return nil }
        var names: [String] = []
        for (i, raw) in table.allTexts(record: 0).enumerated() {
            let name = String(raw.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
            if let c = name.unicodeScalars.first, "0123456789+-.".unicodeScalars.contains(c) { return nil }
            names.append(name.isEmpty ? "field_\(i + 1)" : name)
        }
        let keys = names.map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        guard Set(keys).count == keys.count, keys.contains("latitude"), keys.contains("longitude") else { return nil }
        return names
    }

    /// OGR takes the first of ',', ';' and tab outside quotes as the separator (',' when another follows).
    private static func separatorIsComma(_ line: ArraySlice<UInt8>) -> Bool {
        var quoted = false
        var first: UInt8? = nil
        for c in line {
            if c == 0x22 { quoted.toggle(); continue }
            guard !quoted, c == 0x2C || c == 0x3B || c == 0x09 else { continue }
            if first == nil { first = c } else if first != c { return true }
        }
        return first == 0x2C
    }

    /// Whether OGR would read the chunk's bytes as this reader does: valid UTF-8, no NUL, every CR before a line
    /// feed (or the file's last byte), no byte-order mark starting a record.
    static func readsAlike(_ chunk: CSVChunk, isFinal: Bool) -> Bool {
        chunk.bytes.withUnsafeBufferPointer { b -> Bool in
            guard let base = b.baseAddress else { return true }
            let n = b.count
            if memchr(base, 0, n) != nil { return false }
            var p = 0
            while p < n, let hit = memchr(base + p, 0x0D, n - p) {
                let cr = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if cr + 1 < n ? b[cr + 1] != 0x0A : !isFinal { return false }
                p = cr + 1
            }
            for r in chunk.records where r.count >= 3 && b[r.lowerBound] == 0xEF && b[r.lowerBound + 1] == 0xBB && b[r.lowerBound + 2] == 0xBF {
                return false
            }
            return true
        } && InputText.firstInvalidUTF8(chunk.bytes) == nil
    }
}

/// The loading loop over chunks: parse a wave of chunks on every core, accept their rows in order. After the first
/// row error (without skip-invalid) the remaining chunks are still checked, so that a file OGR's path must read
/// (invalid UTF-8 further on, …) gets that path's error, not this one.
private struct ChunkedRows<T: Sendable> {
    let stream: CSVByteStream
    let source: String
    let required: [String]
    let skipInvalid: Bool
    let threads: Int
    let chunkBytes: Int
    let id: (T) -> String
    let make: @Sendable (RowReader) throws -> T
    var accepted: AcceptedRows<T>
    var report = LoadReport()
    private var columns = ColumnIndex([])
    private var nextRow = 1
    /// The row number of the next record read (rows are parsed ahead of their acceptance).
    private var nextParsedRow = 1
    private var fieldCount = 16
    private var pending: (any Error)? = nil

    init(
        stream: CSVByteStream, source: String, required: [String], skipInvalid: Bool, threads: Int, chunkBytes: Int,
        id: @escaping (T) -> String, make: @escaping @Sendable (RowReader) throws -> T
    ) {
        self.stream = stream; self.source = source; self.required = required; self.skipInvalid = skipInvalid
        self.threads = threads; self.chunkBytes = chunkBytes; self.id = id; self.make = make
        accepted = AcceptedRows(skipInvalid: skipInvalid)
    }

    /// False when OGR's path must read the file; throws the first row error (without skip-invalid). A wave is
    /// read and its parse started while the one before is still being parsed; then that one is accepted.
    mutating func run() throws -> Bool {
        var first = true
        var inFlight: WaveInFlight<T>? = nil
        defer { _ = inFlight?.results() } // no work left running when OGR's path takes over
        while true {
            guard let wave = readWave() else { return false }
            var headerTable: CSVFieldTable? = nil
            if first, !wave.isEmpty {
                first = false
                let head = CSVFieldTable(wave[0].chunk)
                guard let names = CSVRecords.headerNames(head, wave[0].chunk) else { return false }
                // A missing column is thrown at the end: a file OGR must read (invalid UTF-8 further on) gets
                // that path's error first, as before.
                do { columns = try columnMap(names, hasGeometry: false, source: source, required: required) } catch { pending = error }
                headerTable = head
                fieldCount = names.count
                reserve(for: wave[0].chunk)
            }
            let launched = wave.isEmpty ? nil : launch(wave, headerTable: headerTable)
            if let previous = inFlight {
                inFlight = launched
                guard let parsed = previous.results() else { return false }
                accept(parsed)
            } else {
                inFlight = launched
            }
            if wave.isEmpty { break }
        }
        if first { return false } // an empty file: OGR's answer
        if let pending { throw pending }
        return true
    }

    /// Room for the rows the file holds at the first chunk's bytes a record (the id dictionary grown once).
    private mutating func reserve(for chunk: CSVChunk) {
        guard stream.size > 0, !chunk.records.isEmpty else { return }
        let rows = Int(Double(stream.size) / (Double(chunk.bytes.count) / Double(chunk.records.count)) * 1.05) + 16
        accepted.items.reserveCapacity(rows)
        accepted.seen.reserveCapacity(rows)
    }

    /// About one chunk per core and a half (at least two), each with whether it ends the file; nil when a record
    /// is too long or the file cannot be read.
    private mutating func readWave() -> [(chunk: CSVChunk, isFinal: Bool)]? {
        let count = max(2, ProcessInfo.processInfo.activeProcessorCount * 3 / 2)
        var wave: [(chunk: CSVChunk, isFinal: Bool)] = []
        while wave.count < count {
            let next: CSVChunk?
            do { next = try stream.next(targetBytes: chunkBytes, maxRecordBytes: CSVRecords.maxRecordBytes) } catch { return nil }
            guard let chunk = next else { break }
            wave.append((chunk, stream.bytesRead >= stream.size))
        }
        return wave
    }

    /// Starts checking, splitting and (until a row error stops it) parsing each chunk of `wave` on every core (on
    /// this thread with `threads` 1). The first chunk's header table is passed in, already split.
    private mutating func launch(_ wave: [(chunk: CSVChunk, isFinal: Bool)], headerTable: CSVFieldTable?) -> WaveInFlight<T> {
        let out = ChunkResults<T>(count: wave.count)
        let columns = columns, source = source, make = make, parseRows = pending == nil, fieldCount = fieldCount
        var starts: [Int] = []
        for (k, w) in wave.enumerated() {
            starts.append(nextParsedRow)
            nextParsedRow += w.chunk.records.count - (k == 0 && headerTable != nil ? 1 : 0)
        }
        let firstRows = starts
        let work: @Sendable (Int) -> Void = { k in
            guard CSVRecords.readsAlike(wave[k].chunk, isFinal: wave[k].isFinal) else { return out.store(nil, at: k) }
            guard parseRows else { return out.store(ParsedChunk(rows: 0), at: k) }
            let isHead = k == 0 && headerTable != nil
            let table = isHead ? headerTable! : CSVFieldTable(wave[k].chunk, fieldsPerRecord: fieldCount)
            let rows = (isHead ? 1 : 0)..<table.recordCount
            let parsed = ParsedChunk<T>(rows: rows.count)
            for r in rows {
                let values = RowValues.record(CSVRecordValues(table: table, record: r))
                let row = firstRows[k] + r - rows.lowerBound
                do { parsed.append(try make(RowReader(source: source, row: row, values: values, columns: columns))) } catch {
                    parsed.fail(row: r - rows.lowerBound, error)
                }
            }
            out.store(parsed, at: k)
        }
        let group = DispatchGroup()
        if threads == 1 {
            (0..<wave.count).forEach(work)
        } else {
            DispatchQueue.global().async(group: group) { DispatchQueue.concurrentPerform(iterations: wave.count, execute: work) }
        }
        return WaveInFlight(group: group, out: out)
    }

    /// The wave's rows accepted in order, each item moved out of its chunk; the first error (without skip-invalid)
    /// kept for the end.
    private mutating func accept(_ parsed: [ParsedChunk<T>]) {
        for chunk in parsed {
            var failure = 0
            for r in 0..<chunk.rows where pending == nil {
                do {
                    if failure < chunk.failures.count && chunk.failures[failure].row == r {
                        failure += 1
                        try accepted.reject(chunk.failures[failure - 1].error, report: &report)
                    } else {
                        try accepted.accept(chunk.take(), row: nextRow, source: source, id: id, report: &report)
                    }
                } catch { pending = error }
                nextRow += 1
            }
        }
    }
}

/// One chunk's parsed rows in order: the items, each moved out once when it is accepted (accepting a row then
/// neither copies a record nor retains and releases its Strings), and the rows that failed, with their errors.
/// Filled by one thread, then read by another after the wave's group is waited for.
private final class ParsedChunk<T>: @unchecked Sendable {
    /// Rows in the chunk (items and failures).
    let rows: Int
    /// Failed rows (offset in the chunk) in order.
    private(set) var failures: [(row: Int, error: any Error)] = []
    private let items: UnsafeMutablePointer<T>
    private var count = 0, taken = 0

    init(rows: Int) {
        self.rows = rows
        items = .allocate(capacity: max(rows, 1))
    }

    func append(_ item: consuming T) {
        precondition(count + failures.count < rows)
        (items + count).initialize(to: item)
        count += 1
    }

    func fail(row: Int, _ error: any Error) { failures.append((row, error)) }

    /// The next item not yet taken.
    func take() -> T {
        precondition(taken < count)
        taken += 1
        return (items + taken - 1).move()
    }

    deinit {
        (items + taken).deinitialize(count: count - taken)
        items.deallocate()
    }
}

/// A wave being parsed: its results once the work is done.
private struct WaveInFlight<T: Sendable> {
    let group: DispatchGroup
    let out: ChunkResults<T>

    /// Waits for the wave; nil when one of its chunks must be read by OGR.
    func results() -> [ParsedChunk<T>]? {
        group.wait()
        return out.all()
    }
}

/// Each chunk's results, written once by one thread; nil marks a chunk OGR must read.
private final class ChunkResults<T: Sendable>: @unchecked Sendable {
    private var parts: [ParsedChunk<T>?]
    private var refused = false
    private let lock = NSLock()

    init(count: Int) { parts = Array(repeating: nil, count: count) }

    func store(_ part: ParsedChunk<T>?, at k: Int) {
        lock.withLock {
            if part == nil { refused = true }
            parts[k] = part
        }
    }

    func all() -> [ParsedChunk<T>]? { lock.withLock { refused ? nil : parts.map { $0 ?? ParsedChunk(rows: 0) } } }
}

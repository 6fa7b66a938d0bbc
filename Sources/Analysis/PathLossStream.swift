// `tanso pathloss` on a batch file of any size: the CSV is streamed in chunks of whole rows (bounded memory), each
// chunk parsed from bytes and computed on every core, and the results written in row order. The outcome of every
// row is the one `PathLossBatch.outcome` gives for the same row read as text (test: PathLossStreamTests).
import Foundation
import Synchronization
import Radio
import Records

public enum PathLossStream {
    /// What a streamed run did.
    public struct Summary: Sendable {
        public var rows = 0
        public var failed = 0
        /// The first row that failed: its id and error.
        public var firstFailure: (id: String, error: String)? = nil
    }

    /// The columns a batch must have.
    static let required = ["id", "frequency_mhz", "tx_height_m", "rx_height_m", "spacing_m", "elevations_m"]

    /// Streams the UTF-8 batch at `path` through `model` on `threads` threads; `write` receives the output CSV
    /// (header first) in row order, a chunk (about `chunkBytes` of input) at a time. `progress` gets the fraction of
    /// the file read.
    public static func run(
        path: String, model: PathLossModelID, threads: Int, write: (String) throws -> Void,
        progress: (@Sendable (Double) -> Void)? = nil, chunkBytes: Int = 8 << 20
    ) throws -> Summary {
        let stream = try CSVByteStream(path: path)
        let maxRecord = InputLimits.bytes(.batch)
        var header: [String]? = nil
        var summary = Summary()
        try write("id,loss_db,warnings,error\n")
        while let chunk = try stream.next(targetBytes: chunkBytes, maxRecordBytes: maxRecord) {
            var first = 0
            if header == nil {
                header = try readHeader(chunk, path: path)
                first = 1
            }
            let outcomes = try compute(chunk, records: first..<chunk.records.count, header: header!, model: model, threads: threads, path: path)
            var text = ""
            text.reserveCapacity(outcomes.count * 48)
            for o in outcomes {
                text += PathLossBatch.formatRow(o)
                summary.rows += 1
                if let e = o.error {
                    summary.failed += 1
                    if summary.firstFailure == nil { summary.firstFailure = (o.id, e) }
                }
            }
            try write(text)
            if stream.size > 0 { progress?(min(1, Double(stream.bytesRead) / Double(stream.size))) }
        }
        guard header != nil else { throw PathLossInputError(column: "header", value: nil, expected: "a header row") }
        progress?(1)
        return summary
    }

    static func readHeader(_ chunk: CSVChunk, path: String) throws -> [String] {
        let header = try chunk.fields(0).map { f -> String in
            guard let s = chunk.string(f) else {
                throw InputFileError(path: path, reason: "line \(chunk.lines[0]): the header is not valid UTF-8; convert the file to UTF-8")
            }
            return s.trimmingCharacters(in: .whitespaces).lowercased()
        }
        for column in required where !header.contains(column) {
            throw PathLossInputError(
                column: column, value: nil, expected: "a column named '\(column)' (the file has: \(InputText.columnList(header)))")
        }
        return header
    }

    /// The outcomes of `records` of `chunk`, in order, on `threads` threads (contiguous blocks taken in turn, each
    /// result at its row's index: the same whatever the thread count).
    static func compute(
        _ chunk: CSVChunk, records: Range<Int>, header: [String], model: PathLossModelID, threads: Int, path: String
    ) throws -> [PathLossOutcome] {
        let n = records.count
        var out = [PathLossOutcome](repeating: PathLossOutcome(id: "", lossDB: nil, warnings: [], error: nil), count: n)
        guard n > 0 else { return out }
        let elevationsColumn = header.firstIndex(of: "elevations_m")!
        // Without setting columns every row reads the same defaults: read once.
        let settings = header.contains(where: ProfileModel.settingNames.contains) ? nil : try? ProfileModel(model, settings: [:])
        let badLine = Atomic<Int>(Int.max)
        let t = max(1, min(threads, n))
        let blocks = min(n, t * 8)
        out.withUnsafeMutableBufferPointer { buf in
            let shared = UnsafeSendable(buf)
            DispatchQueue.concurrentPerform(iterations: t) { worker in
                var block = worker
                while block < blocks {
                    for k in (n * block / blocks)..<(n * (block + 1) / blocks) {
                        let i = records.lowerBound + k
                        guard let row = row(chunk, i, header: header, elevationsColumn: elevationsColumn) else {
                            _ = badLine.min(chunk.lines[i], ordering: .relaxed)
                            continue
                        }
                        shared.value[k] = PathLossBatch.outcome(row, model: model, settings: settings)
                    }
                    block += t
                }
            }
        }
        let bad = badLine.load(ordering: .relaxed)
        guard bad == Int.max else {
            throw InputFileError(
                path: path, reason: "line \(bad): a field is not valid UTF-8; convert the file to UTF-8 (or give --encoding windows-1258 or latin1)")
        }
        return out
    }

    /// Record `i` as a row: every column but the heights as text, the heights parsed from their bytes (when they are
    /// plain ASCII decimals within range; otherwise as text, so that the error is the text path's). Nil when a field
    /// is not valid UTF-8.
    static func row(_ chunk: CSVChunk, _ i: Int, header: [String], elevationsColumn: Int) -> PathLossRow? {
        var fields: [String: String] = [:]
        var heights: [Double]? = nil
        for (c, f) in chunk.fields(i).enumerated() where c < header.count {
            if c == elevationsColumn, !f.quoted, let h = chunk.bytes.withUnsafeBufferPointer({ ByteDecimal.heights($0, f.range) }) {
                heights = h
                continue
            }
            guard let s = trimmedText(chunk, f) else { return nil }
            fields[header[c]] = s
        }
        return PathLossRow(normalizedFields: fields, elevationsM: heights)
    }

    /// A field's text trimmed of whitespace: `chunk.string(f)?.trimmingCharacters(in: .whitespaces)`, with the
    /// common case (unquoted, plain ASCII) done on the bytes: ASCII spaces and tabs dropped from both ends. Any
    /// other field (quoted, or a byte ≥ 0x80, which may be Unicode whitespace) goes the Foundation way.
    static func trimmedText(_ chunk: CSVChunk, _ f: (range: Range<Int>, quoted: Bool)) -> String? {
        if !f.quoted, let s = chunk.bytes.withUnsafeBufferPointer({ asciiTrimmed($0, f.range) }) { return s }
        return chunk.string(f)?.trimmingCharacters(in: .whitespaces)
    }

    /// The bytes in `range` without leading and trailing spaces and tabs, when all are ASCII; nil otherwise.
    static func asciiTrimmed(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String? {
        var lo = range.lowerBound, hi = range.upperBound
        for k in lo..<hi where b[k] >= 0x80 { return nil }
        while lo < hi, b[lo] == 0x20 || b[lo] == 0x09 { lo += 1 }
        while hi > lo, b[hi - 1] == 0x20 || b[hi - 1] == 0x09 { hi -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)
    }
}

/// Decimal numbers read straight from ASCII bytes, with the value `DecimalNumber.parse` gives for the same text.
enum ByteDecimal {
    /// 10^0 … 10^22, each exact in binary64.
    static let powersOfTen: [Double] = {
        var p = [1.0]
        for _ in 1...22 { p.append(p.last! * 10) }
        return p
    }()

    /// The heights in `range`: tokens separated by spaces, tabs or semicolons, each a decimal within ±20,000, at
    /// least 2 and at most `WorkLimits.maxProfilePoints`; nil when any of that fails or a byte is not ASCII (the
    /// caller then reads the text, whose error names the token).
    static func heights(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [Double]? {
        var out: [Double] = []
        out.reserveCapacity(range.count / 6 + 2)
        let limit = WorkLimits.maxProfilePoints
        let ok = powersOfTen.withUnsafeBufferPointer { tens -> Bool in
            var p = range.lowerBound
            let end = range.upperBound
            while p < end {
                if isSeparator(b[p]) { p += 1; continue }
                guard let (v, next) = token(b, from: p, end: end, tens), abs(v) <= 20_000, out.count < limit else { return false }
                out.append(v)
                p = next
            }
            return true
        }
        return ok && out.count >= 2 ? out : nil
    }

    @inline(__always)
    static func isSeparator(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x3B }

    /// Reads the run of ASCII digits at `p` (up to `end`) into `mantissa` (× 10 per digit, wrapping: the caller
    /// uses the value only for at most 15 digits), advances `p` past it and returns its length. (A byte loop: on
    /// the 3–6 digit runs of terrain heights it takes fewer instructions than eight-byte SWAR, measured.)
    @inline(__always)
    static func digitRun(_ b: UnsafeBufferPointer<UInt8>, _ p: inout Int, end: Int, _ mantissa: inout UInt64) -> Int {
        let start = p
        while p < end, b[p] &- 0x30 < 10 { mantissa = mantissa &* 10 &+ UInt64(b[p] &- 0x30); p += 1 }
        return p - start
    }

    /// The number starting at `s` and the position after it (a separator or `end`), in one pass. Plain
    /// `[+-]digits[.digits]` with at most 15 digits and at most 22 after the point is exact by one division of two
    /// exactly represented numbers (correctly rounded, as strtod); anything else (exponents, long mantissas) goes
    /// through `DecimalNumber.parse`, which also refuses what is not decimal notation; nil when it does, or when a
    /// byte is not ASCII.
    @inline(__always)
    static func token(_ b: UnsafeBufferPointer<UInt8>, from s: Int, end: Int, _ tens: UnsafeBufferPointer<Double>) -> (Double, Int)? {
        var p = s
        var negative = false
        if b[p] == 0x2D || b[p] == 0x2B { negative = b[p] == 0x2D; p += 1 }
        var mantissa: UInt64 = 0
        var digits = digitRun(b, &p, end: end, &mantissa), fraction = 0
        if p < end, b[p] == 0x2E {
            p += 1
            fraction = digitRun(b, &p, end: end, &mantissa)
            digits += fraction
        }
        if p == end || isSeparator(b[p]), digits > 0, digits <= 15, fraction <= 22 {
            let v = Double(mantissa) / tens[fraction]
            return (negative ? -v : v, p)
        }
        while p < end, !isSeparator(b[p]) { p += 1 }
        for k in s..<p where b[k] >= 0x80 { return nil }
        return DecimalNumber.parse(String(decoding: UnsafeBufferPointer(rebasing: b[s..<p]), as: UTF8.self)).map { ($0, p) }
    }
}

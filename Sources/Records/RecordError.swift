// Row-level errors for the data contract: file, row, column, the value found and what was expected.
import Foundation
import Geo
import Radio

public struct RecordError: Error, Sendable, Equatable, CustomStringConvertible {
    public let source: String
    /// 1-based data row (for CSV the file line is row + 1, the header being line 1); nil for file-level errors.
    public let row: Int?
    public let column: String?
    public let value: String?
    public let expected: String
    public let isCSV: Bool

    public init(source: String, row: Int?, column: String?, value: String?, expected: String) {
        self.source = source
        self.row = row
        self.column = column
        self.value = value
        self.expected = expected
        isCSV = source.lowercased().hasSuffix(".csv")
    }

    public var description: String {
        var s = source
        if let row { s += isCSV ? ":\(row + 1): row \(row)" : ": feature \(row)" }
        if let column { s += ", column '\(InputText.echo(column))'" }
        if let value { s += ": value '\(InputText.echo(value))'" } else if column != nil && row != nil { s += ": empty" }
        return s + ": expected " + expected
    }
}

/// Rows that were skipped with `--skip-invalid`, and why.
public struct LoadReport: Sendable {
    public var skipped: [RecordError] = []
    public init() {}
}

/// Where a row's values come from: an OGR feature (attributes by field name, `fieldNames` by position) or a CSV
/// record read as bytes; `none` for a reader that only names a row in messages.
enum RowValues: Sendable {
    case feature(Feature, fieldNames: [String])
    case record(CSVRecordValues)
    case none

    func text(_ position: Int) -> String? {
        switch self {
        case .feature(let f, let names): return f.attributes[names[position]]
        case .record(let r): return r.table.text(record: r.record, field: position)
        case .none: return nil
        }
    }

    /// `body` over a CSV field's bytes when it is plain (`CSVFieldTable.withPlainField`): its text, untrimmed, is
    /// then exactly what `RowReader.raw` returns. nil for anything else (the caller goes through `text`).
    @inline(__always)
    func withPlainBytes<R>(_ position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        if case .record(let r) = self { return r.table.withPlainField(record: r.record, field: position, body) }
        return nil
    }
}

/// Typed access to one row's values with precise errors.
struct RowReader {
    let source: String
    /// 1-based row (OGR's feature index).
    let row: Int
    let values: RowValues
    /// Lower-cased column name → its position in the layer's fields.
    let columns: ColumnIndex

    init(source: String, row: Int, values: RowValues, columns: ColumnIndex) {
        self.source = source; self.row = row; self.values = values; self.columns = columns
    }

    init(source: String, feature: Feature, fieldNames: [String], columns: ColumnIndex) {
        self.init(source: source, row: feature.index, values: .feature(feature, fieldNames: fieldNames), columns: columns)
    }

    /// The feature's geometry (OGR sources; a CSV read as bytes has none: it is read so only with latitude and
    /// longitude columns).
    var geometry: Geometry? {
        if case .feature(let f, _) = values { return f.geometry }
        return nil
    }

    func raw(_ column: String) -> String? { raw(at: columns[column]) }
    func raw(_ column: RegisterColumn) -> String? { raw(at: columns[column]) }

    private func raw(at position: Int?) -> String? {
        guard let position else { return nil }
        if let plain = values.withPlainBytes(position, { String(decoding: $0, as: UTF8.self) }) { return plain }
        guard let text = values.text(position) else { return nil }
        // Most values start and end with a visible ASCII character: nothing to trim (every character of
        // `.whitespaces` is a tab, a space or outside ASCII), without Foundation's trimming.
        if let first = text.utf8.first, let last = text.utf8.last, (0x21..<0x7F).contains(first), (0x21..<0x7F).contains(last) { return text }
        let v = text.trimmingCharacters(in: .whitespaces)
        return v.isEmpty ? nil : v
    }

    func error(_ column: String?, _ value: String?, _ expected: String) -> RecordError {
        RecordError(source: source, row: row, column: column, value: value, expected: expected)
    }

    func string(_ column: String) throws -> String { try string(at: columns[column], column) }
    func string(_ column: RegisterColumn) throws -> String { try string(at: columns[column], column.name) }

    private func string(at position: Int?, _ name: String) throws -> String {
        guard let v = raw(at: position) else { throw error(name, nil, "a non-empty text") }
        return v
    }

    func optionalString(_ column: String) -> String? { raw(column) }
    func optionalString(_ column: RegisterColumn) -> String? { raw(column) }

    func double(_ column: String, in range: ClosedRange<Double>, unit: String) throws -> Double {
        try double(at: columns[column], column, range, unit)
    }
    func double(_ column: RegisterColumn, in range: ClosedRange<Double>, unit: String) throws -> Double {
        try double(at: columns[column], column.name, range, unit)
    }

    private func double(at position: Int?, _ name: String, _ range: ClosedRange<Double>, _ unit: String) throws -> Double {
        guard let x = try optionalDouble(at: position, name, range, unit) else {
            throw error(name, nil, "a number in \(describe(range, unit))")
        }
        return x
    }

    func optionalDouble(_ column: String, in range: ClosedRange<Double>, unit: String) throws -> Double? {
        try optionalDouble(at: columns[column], column, range, unit)
    }
    func optionalDouble(_ column: RegisterColumn, in range: ClosedRange<Double>, unit: String) throws -> Double? {
        try optionalDouble(at: columns[column], column.name, range, unit)
    }

    private func optionalDouble(at position: Int?, _ name: String, _ range: ClosedRange<Double>, _ unit: String) throws -> Double? {
        guard let position else { return nil }
        // A plain CSV field is parsed from its bytes, without making a String (that of `raw`, the same bytes);
        // a value that does not parse or lies outside the range takes the String path below for its error.
        if let x = values.withPlainBytes(position, { DecimalNumber.parse(utf8: $0) }) ?? nil, range.contains(x) { return x }
        guard let v = raw(at: position) else { return nil }
        return try parse(name, v, range, unit)
    }

    private func parse(_ column: String, _ v: String, _ range: ClosedRange<Double>, _ unit: String) throws -> Double {
        guard let x = DecimalNumber.parse(v) else {
            throw error(column, v, "a number in \(describe(range, unit))")
        }
        guard range.contains(x) else { throw error(column, v, "a number in \(describe(range, unit))") }
        return x
    }

    private func describe(_ r: ClosedRange<Double>, _ unit: String) -> String {
        func f(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
        return "[\(f(r.lowerBound)), \(f(r.upperBound))]" + (unit.isEmpty ? "" : " \(unit)")
    }

    /// WGS84 position: the latitude/longitude columns when present, else the feature's geometry (its centroid
    /// for polygons).
    func position() throws -> Coordinate {
        if columns[.latitude] != nil || columns[.longitude] != nil {
            let lat = try double(.latitude, in: -90...90, unit: "degrees")
            let lon = try double(.longitude, in: -180...180, unit: "degrees")
            return Coordinate(lon, lat)
        }
        guard let g = geometry else {
            throw error("latitude", nil, "latitude/longitude columns or a geometry")
        }
        let c = g.centroid
        guard (-90...90).contains(c.y), (-180...180).contains(c.x) else {
            throw error("geometry", "\(c.x) \(c.y)", "WGS84 longitude/latitude")
        }
        return c
    }
}

/// Shared loading loop: checks the header, reads each row, collects or throws row errors, rejects duplicate ids.
func loadRows<T>(
    source: String, layer: String?, required: [String], skipInvalid: Bool, encoding: TextEncoding = .utf8,
    report: inout LoadReport, requireGeometryOrLatLon: Bool = true,
    id: (T) -> String, make: (RowReader) throws -> T
) throws -> [T] {
    let data = try readLayer(source: source, layer: layer, encoding: encoding)
    return try collectRows(
        data, source: source, required: required, skipInvalid: skipInvalid, report: &report, id: id, make: make)
}

/// The layer of a vector source (a CSV in another encoding converted first), its errors named after `source`.
func readLayer(source: String, layer: String?, encoding: TextEncoding) throws -> VectorLayer {
    let prepared = try TextSource.prepare(source, encoding: encoding)
    defer { prepared.release() }
    do { return try VectorReader.read(prepared.path, layer: layer) } catch let e as GeoError {
        throw RecordError(
            source: source, row: nil, column: nil, value: nil,
            expected: "a readable vector source (\(e.message.replacingOccurrences(of: prepared.path, with: source)))")
    }
}

/// The loading loop over a layer already read (by OGR, or by a loader that parses its own text format).
func collectRows<T>(
    _ data: VectorLayer, source: String, required: [String], skipInvalid: Bool, report: inout LoadReport,
    id: (T) -> String, make: (RowReader) throws -> T
) throws -> [T] {
    let columns = try columnMap(data, source: source, required: required)
    var accepted = AcceptedRows<T>(skipInvalid: skipInvalid)
    for feature in data.features {
        let reader = RowReader(source: source, feature: feature, fieldNames: data.fieldNames, columns: columns)
        try accepted.accept(Result { try make(reader) }, reader: reader, id: id, report: &report)
    }
    return accepted.items
}

/// `collectRows` with the rows parsed on every core, a wave of rows at a time, then accepted in row order: the
/// same items, the same first error (or skipped rows, in order) and the same duplicate-id errors as one thread.
/// A wave bounds the parsed rows held besides the accepted ones.
func collectRowsInParallel<T: Sendable>(
    _ data: VectorLayer, source: String, required: [String], skipInvalid: Bool, report: inout LoadReport,
    wave: Int = 65_536, id: (T) -> String, make: @escaping @Sendable (RowReader) throws -> T
) throws -> [T] {
    let columns = try columnMap(data, source: source, required: required)
    var accepted = AcceptedRows<T>(skipInvalid: skipInvalid)
    accepted.items.reserveCapacity(data.features.count)
    var start = 0
    while start < data.features.count {
        let rows = data.features[start..<min(start + wave, data.features.count)]
        let parsed = parseRows(rows, source: source, fieldNames: data.fieldNames, columns: columns, make: make)
        for (feature, result) in zip(rows, parsed) {
            try accepted.accept(
                result, reader: RowReader(source: source, feature: feature, fieldNames: data.fieldNames, columns: columns), id: id,
                report: &report)
        }
        start += rows.count
    }
    return accepted.items
}

/// Lower-cased column name → the layer's position of it; throws when a required column is missing.
private func columnMap(_ data: VectorLayer, source: String, required: [String]) throws -> ColumnIndex {
    try columnMap(data.fieldNames, hasGeometry: data.features.contains { $0.geometry != nil }, source: source, required: required)
}

/// Lower-cased, trimmed column name → its position (the last of equal names); throws when a required column is
/// missing (latitude/longitude may be missing when the rows have geometries).
func columnMap(_ fieldNames: [String], hasGeometry: Bool, source: String, required: [String]) throws -> ColumnIndex {
    let columns = ColumnIndex(fieldNames.map { $0.lowercased().trimmingCharacters(in: .whitespaces) })
    for col in required where columns[col] == nil {
        if (col == "latitude" || col == "longitude") && hasGeometry { continue }
        throw RecordError(
            source: source, row: nil, column: col, value: nil,
            expected: "a column named '\(col)' (the file has: \(InputText.columnList(fieldNames)))")
    }
    return columns
}

/// Lower-cased column name → position, looked up a dozen times a row (twenty for an assignment, many of them
/// names the file does not have): an open-addressed table over the names' bytes, probed by a hash of the length
/// and three of the bytes and confirmed by comparing the bytes (no String hashing or comparison per lookup). Of
/// equal names the last counts, as in a dictionary filled in order. The columns of the large registers
/// (`RegisterColumn`) are looked up once, when the index is made: a row reads their positions from an array. A
/// class, so that each row's reader holds one reference, not the four arrays.
final class ColumnIndex: Sendable {
    /// The names' bytes one after another; name i is bytes[offsets[i] ..< offsets[i + 1]].
    private let bytes: [UInt8]
    private let offsets: [Int]
    /// Slot → index of a name + 1 (0: empty); a power of two, at least four times the names.
    private let slots: [Int32]
    /// The position of each `RegisterColumn` by its raw value (−1: the file has no such column).
    private let registerPositions: [Int32]

    init(_ names: [String]) {
        var bytes: [UInt8] = [], offsets = [0]
        for n in names {
            bytes.append(contentsOf: n.utf8)
            offsets.append(bytes.count)
        }
        var size = 16
        while size < 4 * names.count { size *= 2 }
        var slots = [Int32](repeating: 0, count: size)
        bytes.withUnsafeBufferPointer { b in
            func name(_ i: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: b[offsets[i]..<offsets[i + 1]]) }
            for i in names.indices {
                var k = Self.hash(name(i)) & (size - 1)
                // An equal earlier name is replaced (the last counts); else the next free slot.
                while slots[k] != 0, !name(Int(slots[k]) - 1).elementsEqual(name(i)) { k = (k + 1) & (size - 1) }
                slots[k] = Int32(i + 1)
            }
        }
        self.bytes = bytes; self.offsets = offsets; self.slots = slots
        registerPositions = RegisterColumn.allCases.map { c in
            Array(c.name.utf8).withUnsafeBufferPointer { Int32(Self.find($0, bytes, offsets, slots) ?? -1) }
        }
    }

    @inline(__always)
    private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        guard let first = b.first, let last = b.last else { return 0 }
        let h = (UInt64(b.count) << 24) ^ (UInt64(first) << 16) ^ (UInt64(last) << 8) ^ UInt64(b[b.count / 2])
        return Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> 40)
    }

    subscript(_ name: String) -> Int? {
        if let found = name.utf8.withContiguousStorageIfAvailable({ Self.find($0, bytes, offsets, slots) }) { return found }
        return Array(name.utf8).withUnsafeBufferPointer { Self.find($0, bytes, offsets, slots) }
    }

    @inline(__always)
    subscript(_ column: RegisterColumn) -> Int? {
        let p = registerPositions[column.rawValue]
        return p < 0 ? nil : Int(p)
    }

    private static func find(_ q: UnsafeBufferPointer<UInt8>, _ bytes: [UInt8], _ offsets: [Int], _ slots: [Int32]) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            offsets.withUnsafeBufferPointer { offsets in
                bytes.withUnsafeBufferPointer { bytes in
                    let mask = slots.count - 1
                    var k = Self.hash(q) & mask
                    while true {
                        let s = Int(slots[k])
                        if s == 0 { return nil }
                        let lo = offsets[s - 1], count = offsets[s] - lo
                        if count == q.count && (count == 0 || memcmp(bytes.baseAddress! + lo, q.baseAddress!, count) == 0) { return s - 1 }
                        k = (k + 1) & mask
                    }
                }
            }
        }
    }
}

/// `make` over the rows in chunks on every core; the results in row order.
private func parseRows<T: Sendable>(
    _ rows: ArraySlice<Feature>, source: String, fieldNames: [String], columns: ColumnIndex, make: @escaping @Sendable (RowReader) throws -> T
) -> [Result<T, any Error>] {
    let chunk = 1024
    let chunks = (rows.count + chunk - 1) / chunk
    let out = ParsedRows<T>(count: chunks)
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let lo = rows.startIndex + c * chunk
        let part = rows[lo..<min(lo + chunk, rows.endIndex)].map { feature in
            Result { try make(RowReader(source: source, feature: feature, fieldNames: fieldNames, columns: columns)) }
        }
        out.store(part, at: c)
    }
    return out.joined()
}

/// The chunks' results, each written once by one thread into its own slot.
private final class ParsedRows<T: Sendable>: @unchecked Sendable {
    private var chunks: [[Result<T, any Error>]]
    private let lock = NSLock()

    init(count: Int) { chunks = Array(repeating: [], count: count) }

    func store(_ part: [Result<T, any Error>], at c: Int) { lock.withLock { chunks[c] = part } }

    func joined() -> [Result<T, any Error>] { lock.withLock { chunks.flatMap { $0 } } }
}

/// Rows accepted in order: duplicate ids rejected, row errors thrown or (skipInvalid) skipped.
struct AcceptedRows<T> {
    let skipInvalid: Bool
    var items: [T] = []
    var seen: [String: Int] = [:]

    init(skipInvalid: Bool) { self.skipInvalid = skipInvalid }

    mutating func accept(_ result: Result<T, any Error>, reader: RowReader, id: (T) -> String, report: inout LoadReport) throws {
        switch result {
        case .success(let item): try accept(item, row: reader.row, source: reader.source, id: id, report: &report)
        case .failure(let error): try reject(error, report: &report)
        }
    }

    /// The item of `row`, kept unless its id was used before (then that row's error, as `reject` takes it).
    mutating func accept(_ item: consuming T, row: Int, source: String, id: (T) -> String, report: inout LoadReport) throws {
        let key = id(item)
        // One hash of the id: insert, and on a repeat put the first row back.
        if let first = seen.updateValue(row, forKey: key) {
            seen[key] = first
            try reject(
                RecordError(source: source, row: row, column: "id", value: key, expected: "a unique id (already used in row \(first))"),
                report: &report)
            return
        }
        items.append(item)
    }

    /// A row's error: thrown, or with skip-invalid kept in the report (an error that is not a row's is thrown).
    mutating func reject(_ error: any Error, report: inout LoadReport) throws {
        guard let e = error as? RecordError, skipInvalid else { throw error }
        report.skipped.append(e)
    }
}

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

/// Typed access to one feature's attributes with precise errors.
struct RowReader {
    let source: String
    let feature: Feature
    /// Lower-cased column name → actual column name in the layer.
    let columns: [String: String]

    func raw(_ column: String) -> String? {
        guard let actual = columns[column], let text = feature.attributes[actual] else { return nil }
        // Most values start and end with a visible ASCII character: nothing to trim (every character of
        // `.whitespaces` is a tab, a space or outside ASCII), without Foundation's trimming.
        if let first = text.utf8.first, let last = text.utf8.last, (0x21..<0x7F).contains(first), (0x21..<0x7F).contains(last) { return text }
        let v = text.trimmingCharacters(in: .whitespaces)
        return v.isEmpty ? nil : v
    }

    func error(_ column: String?, _ value: String?, _ expected: String) -> RecordError {
        RecordError(source: source, row: feature.index, column: column, value: value, expected: expected)
    }

    func string(_ column: String) throws -> String {
        guard let v = raw(column) else { throw error(column, nil, "a non-empty text") }
        return v
    }

    func optionalString(_ column: String) -> String? { raw(column) }

    func double(_ column: String, in range: ClosedRange<Double>, unit: String) throws -> Double {
        guard let v = raw(column) else { throw error(column, nil, "a number in \(describe(range, unit))") }
        return try parse(column, v, range, unit)
    }

    func optionalDouble(_ column: String, in range: ClosedRange<Double>, unit: String) throws -> Double? {
        guard let v = raw(column) else { return nil }
        return try parse(column, v, range, unit)
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
        if columns["latitude"] != nil || columns["longitude"] != nil {
            let lat = try double("latitude", in: -90...90, unit: "degrees")
            let lon = try double("longitude", in: -180...180, unit: "degrees")
            return Coordinate(lon, lat)
        }
        guard let g = feature.geometry else {
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
    report: inout LoadReport, requireGeometryOrLatLon: Bool = true, perform: RowLoop? = nil,
    id: (T) -> String, make: (RowReader) throws -> T
) throws -> [T] {
    let data: VectorLayer
    let prepared = try TextSource.prepare(source, encoding: encoding)
    defer { prepared.release() }
    do { data = try VectorReader.read(prepared.path, layer: layer) } catch let e as GeoError {
        throw RecordError(
            source: source, row: nil, column: nil, value: nil,
            expected: "a readable vector source (\(e.message.replacingOccurrences(of: prepared.path, with: source)))")
    }
    return try collectRows(
        data, source: source, required: required, skipInvalid: skipInvalid, report: &report, perform: perform, id: id, make: make)
}

/// A parallel loop (`body(i)` for every i in 0..<count, on several threads, each i once), such as the engine's
/// `Parallel.perform`: Records has no threads of its own, so a command that has them lends them to a loader.
public typealias RowLoop = (_ count: Int, _ body: (Int) -> Void) -> Void

/// The loading loop over a layer already read (by OGR, or by a loader that parses its own text format). With
/// `perform`, the rows are parsed on its threads (`make` must then be free of shared state) and then checked in
/// their order: the same records, the same first error, the same skipped rows as one by one.
func collectRows<T>(
    _ data: VectorLayer, source: String, required: [String], skipInvalid: Bool, report: inout LoadReport,
    perform: RowLoop? = nil, id: (T) -> String, make: (RowReader) throws -> T
) throws -> [T] {
    var columns: [String: String] = [:]
    for name in data.fieldNames { columns[name.lowercased().trimmingCharacters(in: .whitespaces)] = name }
    let hasGeometry = data.features.contains { $0.geometry != nil }
    for col in required where columns[col] == nil {
        if (col == "latitude" || col == "longitude") && hasGeometry { continue }
        throw RecordError(
            source: source, row: nil, column: col, value: nil,
            expected: "a column named '\(col)' (the file has: \(InputText.columnList(data.fieldNames)))")
    }
    var parsed: [Result<T, any Error>]? = nil
    if let perform, data.features.count > 1 {
        var results = [Result<T, any Error>?](repeating: nil, count: data.features.count)
        let features = data.features
        results.withUnsafeMutableBufferPointer { r in
            let base = r.baseAddress!
            perform((features.count + 1023) / 1024) { chunk in
                for i in (chunk * 1024)..<min(features.count, (chunk + 1) * 1024) {
                    base[i] = Result { try make(RowReader(source: source, feature: features[i], columns: columns)) }
                }
            }
        }
        parsed = results.map { $0! }
    }
    var out: [T] = []
    out.reserveCapacity(data.features.count)
    var seen: [String: Int] = [:]
    seen.reserveCapacity(data.features.count)
    for (n, feature) in data.features.enumerated() {
        func reader() -> RowReader { RowReader(source: source, feature: feature, columns: columns) }
        do {
            let item = try parsed?[n].get() ?? make(reader())
            let key = id(item)
            if let first = seen.updateValue(feature.index, forKey: key) {
                seen[key] = first // the first row keeps the id
                throw reader().error("id", key, "a unique id (already used in row \(first))")
            }
            out.append(item)
        } catch let e as RecordError {
            guard skipInvalid else { throw e }
            report.skipped.append(e)
        }
    }
    return out
}

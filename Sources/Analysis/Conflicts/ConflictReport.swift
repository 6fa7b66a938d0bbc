// conflicts.csv and conflicts.gpkg, and the comparison with a previous run (`--baseline`).
import Foundation
import Radio
import Geo
import Records

public enum ConflictReport {
    public static let columns = [
        "kind", "a_id", "b_id", "c_id", "frequency_offset_khz", "overlap_khz", "distance_km",
        "interference_dbm", "c_over_i_db", "required_db", "margin_db", "severity", "explanation"
    ]

    static func fields(_ c: Conflict) -> [String] {
        [
            c.kind.rawValue, c.aID, c.bID ?? "", c.cID ?? "", CSV.number(c.frequencyOffsetKHz, decimals: 3), CSV.number(c.overlapKHz, decimals: 3),
            CSV.number(c.distanceKm, decimals: 3), CSV.number(c.interferenceDBm), CSV.number(c.cOverIDB), CSV.number(c.requiredDB),
            CSV.number(c.marginDB), c.severity.rawValue, c.explanation
        ]
    }

    /// CSV text, sorted as given; a `status` column is added when any conflict has one (baseline runs).
    /// The rows are formatted in chunks on the engine's threads and joined in order: the text of `CSV.format`.
    public static func csv(_ conflicts: [Conflict]) -> String { csvParts(conflicts).joined(first: "") }

    /// The header line, with `status` when any conflict has one.
    static func csvHeader(_ conflicts: [Conflict]) -> (text: String, withStatus: Bool) {
        let withStatus = Conflict.anyHasStatus(conflicts)
        var text = ""
        CSV.appendLine(columns + (withStatus ? ["status"] : []), to: &text)
        return (text, withStatus)
    }

    /// The lines of `conflicts[range]` as bytes: the text of `CSV.appendLine` of each conflict's `fields` (+ status).
    static func csvLines(_ conflicts: [Conflict], _ range: Range<Int>, withStatus: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(range.count * 448)
        let comma = UInt8(ascii: ",")
        func field(_ s: String) {
            CSV.appendField(s, to: &out)
            out.append(comma)
        }
        func number(_ x: Double?, decimals: Int) {
            CSV.appendNumber(x, decimals: decimals, to: &out)
            out.append(comma)
        }
        // Each conflict read in place (a copy retained and released its Strings), its cells appended one by one.
        conflicts.withUnsafeBufferPointer { all in
            for k in range {
                let c = all.baseAddress! + k
                field(c.pointee.kind.rawValue); field(c.pointee.aID); field(c.pointee.bID ?? ""); field(c.pointee.cID ?? "")
                number(c.pointee.frequencyOffsetKHz, decimals: 3); number(c.pointee.overlapKHz, decimals: 3)
                number(c.pointee.distanceKm, decimals: 3)
                number(c.pointee.interferenceDBm, decimals: 2); number(c.pointee.cOverIDB, decimals: 2)
                number(c.pointee.requiredDB, decimals: 2); number(c.pointee.marginDB, decimals: 2)
                CSV.appendField(c.pointee.severity.rawValue, to: &out)
                out.append(comma)
                CSV.appendField(c.pointee.explanation, to: &out)
                if withStatus {
                    out.append(comma)
                    CSV.appendField(c.pointee.status ?? "", to: &out)
                }
                out.append(UInt8(ascii: "\n"))
            }
        }
        return out
    }

    static let csvChunk = 4096

    /// The CSV text in parts (the header, then chunks of 4,096 rows formatted on the engine's threads), in order.
    static func csvParts(_ conflicts: [Conflict]) -> OrderedParts {
        let (header, withStatus) = csvHeader(conflicts)
        let chunk = csvChunk
        let parts = OrderedParts(count: 1 + (conflicts.count + chunk - 1) / chunk)
        parts.store(header, at: 0)
        Parallel.perform(iterations: parts.count - 1) { p in
            let lines = csvLines(conflicts, (p * chunk)..<min((p + 1) * chunk, conflicts.count), withStatus: withStatus)
            parts.store(String(decoding: lines, as: UTF8.self), at: p + 1)
        }
        return parts
    }

    /// Writes conflicts.csv (the text of `csv`) at `path`, formatting 4,096 rows at a time on this thread: the text
    /// is never whole in memory. `written` is given each part's bytes, in file order, once they are in the file.
    public static func writeCSV(_ conflicts: [Conflict], to path: String, written: (UnsafeRawBufferPointer) -> Void = { _ in }) throws {
        guard let file = fopen(path, "wb") else {
            throw GeoError(operation: "write", path: path, message: String(cString: strerror(errno)))
        }
        let (header, withStatus) = csvHeader(conflicts)
        var failed = !put(Array(header.utf8), file, written)
        var start = 0
        while start < conflicts.count, !failed {
            let end = min(start + csvChunk, conflicts.count)
            failed = !put(csvLines(conflicts, start..<end, withStatus: withStatus), file, written)
            start = end
        }
        if fclose(file) != 0 || failed { throw GeoError(operation: "write", path: path, message: String(cString: strerror(errno))) }
    }

    /// `bytes` appended to `file`, then handed to `written`; false when the write failed.
    private static func put(_ bytes: [UInt8], _ file: UnsafeMutablePointer<FILE>, _ written: (UnsafeRawBufferPointer) -> Void) -> Bool {
        bytes.withUnsafeBytes { b in
            guard b.count == 0 || fwrite(b.baseAddress, 1, b.count, file) == b.count else { return false }
            written(b)
            return true
        }
    }

    static let layerFields: [(name: String, kind: FieldKind)] = [
        ("kind", .string), ("a_id", .string), ("b_id", .string), ("c_id", .string),
        ("frequency_offset_khz", .real), ("overlap_khz", .real), ("distance_km", .real), ("interference_dbm", .real),
        ("c_over_i_db", .real), ("required_db", .real), ("margin_db", .real), ("severity", .string), ("explanation", .string)
    ]

    /// The line layer (victim to interferer; intermodulation: victim to the site) and a point layer for
    /// assignments outside the band plan.
    public static func layers(_ conflicts: [Conflict]) -> [LayerData] {
        let withStatus = Conflict.anyHasStatus(conflicts)
        return zip(streams(conflicts), rowsByLayer(conflicts)).map { stream, rows in
            var layer = LayerData(name: stream.name, fields: stream.fields, geometryType: stream.geometryType)
            for k in rows {
                var values = FieldValues(count: stream.fields.count)
                set(conflicts[k], withStatus: withStatus, on: &values)
                layer.append(geometry(conflicts[k], stream.geometryType), values.values)
            }
            return layer
        }
    }

    /// The two layers of `layers`, each row made from its conflict as it is written (nothing held per row).
    public static func streams(_ conflicts: [Conflict]) -> [LayerStream] {
        let withStatus = Conflict.anyHasStatus(conflicts)
        let schema = layerFields + (withStatus ? [("status", .string)] : [])
        let rows = rowsByLayer(conflicts)
        return zip(["conflicts", "out_of_plan"], [LayerData.GeometryKind.lineString, .point]).enumerated().map { n, layer in
            let rows = rows[n]
            return LayerStream(
                name: layer.0, fields: schema, geometryType: layer.1, count: rows.count,
                // The conflict read in place through a pointer (an array element passed on was copied, its
                // Strings retained and released, per row and per geometry).
                geometry: { i in conflicts.withUnsafeBufferPointer { geometry(($0.baseAddress! + rows[i]).pointee, layer.1) } },
                values: { i, fields in
                    conflicts.withUnsafeBufferPointer { set(($0.baseAddress! + rows[i]).pointee, withStatus: withStatus, on: &fields) }
                })
        }
    }

    /// A conflict's values in the order of `layerFields` (+ status); missing and non-finite numbers are null.
    static func set<Sink: FieldSink>(_ c: borrowing Conflict, withStatus: Bool, on f: inout Sink) {
        f.set(0, c.kind.rawValue); f.set(1, c.aID); f.set(2, c.bID); f.set(3, c.cID)
        f.set(4, c.frequencyOffsetKHz); f.set(5, c.overlapKHz); f.set(6, c.distanceKm); f.set(7, c.interferenceDBm)
        f.set(8, c.cOverIDB); f.set(9, c.requiredDB); f.set(10, c.marginDB); f.set(11, c.severity.rawValue)
        f.set(12, c.explanation)
        if withStatus { f.set(13, c.status) }
    }

    /// The conflicts of each layer: lines where the interferer's position is known, points where not; conflicts
    /// without a finite victim position (resolved ones whose assignments are gone) in neither.
    static func rowsByLayer(_ conflicts: [Conflict]) -> [[Int]] {
        var lines: [Int] = [], points: [Int] = []
        // Positions read in place (iterating the array copied each conflict, its Strings retained and released).
        conflicts.withUnsafeBufferPointer { p in
            for k in p.indices where p[k].aPosition.lon.isFinite && p[k].aPosition.lat.isFinite {
                if let b = p[k].bPosition, b.lon.isFinite, b.lat.isFinite { lines.append(k) } else { points.append(k) }
            }
        }
        return [lines, points]
    }

    /// A line from the interferer to the victim, or the victim's point.
    static func geometry(_ c: borrowing Conflict, _ kind: LayerData.GeometryKind) -> Geometry {
        let a = Coordinate(c.aPosition.lon, c.aPosition.lat)
        guard kind == .lineString, let b = c.bPosition else { return .point(a) }
        return .lineString([Coordinate(b.lon, b.lat), a])
    }

    /// Writes conflicts.csv and conflicts.gpkg into `directory`. Both are written to temporary files first and
    /// renamed into place only when both are complete, so a failed run leaves neither (nor a partial one).
    /// conflicts.csv is formatted and written part by part on another thread while this one writes the GeoPackage.
    public static func write(_ conflicts: [Conflict], to directory: String) throws -> (csv: String, gpkg: String) {
        try write(csvTo: { path in try writeCSV(conflicts, to: path) }, layers: { streams(conflicts) }, to: directory)
    }

    static func write(csvText: String, layers: [LayerData], to directory: String) throws -> (csv: String, gpkg: String) {
        try write(csvTo: { try csvText.write(toFile: $0, atomically: false, encoding: .utf8) }, layers: { layers.map(LayerStream.init) }, to: directory)
    }

    /// `csvTo(path)` writes the CSV file on another thread while the GeoPackage is written on this one; both are
    /// renamed into place once both are written (after the other thread has finished, whatever failed).
    private static func write(
        csvTo: @escaping @Sendable (String) throws -> Void, layers: () -> [LayerStream], to directory: String
    ) throws -> (csv: String, gpkg: String) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let csvPath = (directory as NSString).appendingPathComponent("conflicts.csv")
        let gpkgPath = (directory as NSString).appendingPathComponent("conflicts.gpkg")
        let csvOut = try AtomicOutput(path: csvPath)
        let gpkgOut = try AtomicOutput(path: gpkgPath)
        let csvTemporary = csvOut.temporaryPath
        let csvWritten = Background { try csvTo(csvTemporary) }
        do {
            try VectorWriter.write(streams: layers(), to: gpkgOut.temporaryPath)
        } catch {
            csvWritten.wait()
            throw error
        }
        try csvWritten.value()
        try gpkgOut.commit()
        try csvOut.commit()
        return (csvPath, gpkgPath)
    }

    /// Marks each conflict new or unchanged against a previous conflicts.csv and appends the previous ones that
    /// are gone as resolved (their old values, margin as it was).
    public static func compare(_ conflicts: [Conflict], baselineCSV path: String) throws -> [Conflict] {
        let text: String
        do { text = try InputText.read(path, kind: .records) } catch let e as InputFileError {
            throw RecordError(source: path, row: nil, column: nil, value: nil, expected: "a readable conflicts.csv from an earlier run (\(e.reason))")
        }
        var rows = CSV.parse(text)
        guard !rows.isEmpty else { throw RecordError(source: path, row: nil, column: nil, value: nil, expected: "a header row") }
        let header = rows.removeFirst().map { $0.lowercased() }
        for col in ["kind", "a_id", "b_id", "c_id", "severity", "explanation"] where !header.contains(col) {
            throw RecordError(
                source: path, row: nil, column: col, value: nil,
                expected: "a conflicts.csv written by tanso conflicts (columns \(columns.joined(separator: ", ")))")
        }
        func col(_ r: [String], _ name: String) -> String { let i = header.firstIndex(of: name)!; return i < r.count ? r[i] : "" }
        var previous: [String: Conflict] = [:]
        for (n, r) in rows.enumerated() {
            if let s = header.firstIndex(of: "status"), s < r.count, r[s] == "resolved" { continue }
            guard let kind = ConflictKind(rawValue: col(r, "kind")) else {
                throw RecordError(
                    source: path, row: n + 1, column: "kind", value: col(r, "kind"), expected: ConflictKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let severity = Severity(rawValue: col(r, "severity")) ?? .low
            func num(_ name: String) -> Double? { header.contains(name) ? Double(col(r, name)) : nil }
            let b = col(r, "b_id"), c = col(r, "c_id")
            let old = Conflict(
                kind: kind, aID: col(r, "a_id"), bID: b.isEmpty ? nil : b, cID: c.isEmpty ? nil : c,
                frequencyOffsetKHz: num("frequency_offset_khz"), overlapKHz: num("overlap_khz"), distanceKm: num("distance_km"),
                interferenceDBm: num("interference_dbm"), cOverIDB: num("c_over_i_db"), requiredDB: num("required_db"),
                marginDB: num("margin_db"), severity: severity, explanation: col(r, "explanation"),
                aPosition: (.nan, .nan), bPosition: nil)
            previous[old.key] = old
        }
        var out = conflicts.map { c -> Conflict in
            var c = c
            c.status = previous[c.key] == nil ? "new" : "unchanged"
            return c
        }
        let current = Set(conflicts.map(\.key))
        for (key, old) in previous where !current.contains(key) {
            var o = old
            o.status = "resolved"
            o.explanation = "resolved since the baseline: " + old.explanation
            out.append(o)
        }
        out.sort(by: Conflict.ordered)
        return out
    }

    /// Gives resolved conflicts read from a baseline the positions of their assignments when still known.
    public static func locate(_ conflicts: [Conflict], positions: [String: (lon: Double, lat: Double)]) -> [Conflict] {
        conflicts.map { c in
            guard !c.aPosition.lon.isFinite, let a = positions[c.aID] else { return c }
            var c = c
            c.aPosition = a
            if c.kind != .outOfPlan, let b = c.bID.flatMap({ positions[$0] }) { c.bPosition = b }
            return c
        }
    }
}

/// Texts made by several threads, each stored once in its own slot, joined in slot order.
final class OrderedParts: @unchecked Sendable {
    private var parts: [String]
    private let lock = NSLock()

    init(count: Int) { parts = Array(repeating: "", count: count) }

    var count: Int { lock.withLock { parts.count } }

    func store(_ text: String, at i: Int) { lock.withLock { parts[i] = text } }

    func joined(first: String) -> String {
        lock.withLock {
            var out = first
            out.reserveCapacity(parts.reduce(first.utf8.count) { $0 + $1.utf8.count })
            for p in parts { out += p }
            return out
        }
    }
}

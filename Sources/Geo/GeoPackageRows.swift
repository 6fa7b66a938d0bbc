// A GeoPackage layer's rows inserted straight into its table on GDAL's own SQLite connection (SQLiteCalls): one
// prepared INSERT, each row's values bound as GDAL's driver binds them and its geometry encoded as the driver encodes
// it. OGR made, filled and bound a feature per row, on two threads; the 448,502 lines of conflicts.gpkg took
// 3.2–4.2 s that way, 1.9–2.2 s here (with the spatial index's rows also inserted by prepared statements, so that
// no other SQLite connection competes for SQLite's process-wide locks meanwhile). A large layer's rows are encoded
// on another thread, a few batches ahead of the inserts, and bound where they lie in their batch.
//
// A GeoPackage geometry blob (GeoPackage 1.3, §2.1.3) as GDAL writes it: "GP", version 0, a flags byte (bit 0:
// little-endian; bits 1–3: envelope kind, 1 = min x, max x, min y, max y, written for every geometry but a point;
// bit 4: empty), the srs_id (int32), the envelope (float64s), then the geometry as ISO WKB. Points, lines and
// polygons are encoded here; an empty geometry goes through OGR for its row alone.
//
// GDAL does not see the rows inserted here, so it writes a feature count of 0 and no extent for the table when it
// closes the file; `finish` then writes both with the statements GDAL itself uses.
import CGDAL
import Foundation

final class GeoPackageRows {
    /// What `finish` writes for a layer once GDAL has closed the file.
    struct Written: Sendable {
        var table: String
        var count: Int
        /// Union of the non-empty geometries' envelopes (min x, min y, max x, max y); nil without one.
        var extent: (minX: Double, minY: Double, maxX: Double, maxY: Double)?
    }

    private let calls: SQLiteCalls
    private let db: SQLiteCalls.Connection
    private let insert: SQLiteCalls.Statement
    private let kinds: [FieldKind]
    private let slots: [Int32]
    /// The layer's definition: each `Encoder` makes a feature of it, for values of another kind than their field.
    private let defn: OGRFeatureDefnH
    /// Parameter number of the layer's first field (the geometry is parameter 1).
    private let firstField: Int32
    private let srsID: Int32
    private let path: String

    /// Ready to insert rows into `layer`'s table (created now if GDAL had deferred it), or nil when the SQLite
    /// calls or GDAL's connection are not available, or the statement cannot be made: the caller then uses OGR.
    init?(dataset: GDALDatasetH, layer: OGRLayerH, defn: OGRFeatureDefnH, slots: [Int32], kinds: [FieldKind], path: String) {
        guard let calls = SQLiteCalls.shared, let db = SQLiteCalls.connection(of: dataset) else { return nil }
        // GDAL creates a new layer's table when it is first needed; counting its features is such a need, and, unlike
        // OGR_L_SyncToDisk, it does not put the feature count triggers on the table yet.
        _ = OGR_L_GetFeatureCount(layer, 1)
        let table = String(cString: OGR_L_GetName(layer))
        let geometryColumn = OGR_FD_GetGeomFieldCount(defn) > 0 ? String(cString: OGR_L_GetGeometryColumn(layer)) : nil
        var columns = geometryColumn.map { [$0] } ?? []
        for slot in slots { columns.append(String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, slot)))) }
        func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let sql =
            "INSERT INTO \(quoted(table)) (\(columns.map(quoted).joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        var statement: SQLiteCalls.Statement? = nil
        guard !columns.isEmpty, calls.prepare(db, sql, -1, &statement, nil) == SQLiteCalls.ok, let statement else { return nil }
        var srs: Int64 = 0
        if geometryColumn != nil {
            var query: SQLiteCalls.Statement? = nil
            let text = "SELECT srs_id FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)"
            if calls.prepare(db, text, -1, &query, nil) == SQLiteCalls.ok, let query {
                _ = table.withCString { calls.bindText(query, 1, $0, -1, SQLiteCalls.transient) }
                if calls.step(query) == SQLiteCalls.row { srs = calls.columnInt64(query, 0) }
                _ = calls.finalize(query)
            }
        }
        guard geometryColumn == nil || (srs != 0 && Int64(Int32.min)...Int64(Int32.max) ~= srs) else {
            _ = calls.finalize(statement)
            return nil
        }
        self.calls = calls; self.db = db; insert = statement; self.kinds = kinds; self.slots = slots
        self.defn = defn; firstField = geometryColumn == nil ? 1 : 2; srsID = Int32(srs); self.path = path
        written = Written(table: table, count: 0, extent: nil)
    }

    deinit { _ = calls.finalize(insert) }

    private(set) var written: Written

    /// Inserts every row of `data` and returns the index boxes of those with a non-empty geometry (each box's id is
    /// its row's feature id). Rows whose geometry is not encoded here are made by `viaOGR` and written with
    /// `OGR_L_CreateFeature` on `layer`. The rows are encoded (`Encoder`) in batches, on another thread a few batches
    /// ahead for a large layer, so that this thread only binds and steps: SQLite's side is the longest of the products'
    /// threads (`conflicts` on a million assignments), and the encoding was a quarter of it.
    func writeAll(
        _ data: LayerStream, layer: OGRLayerH, viaOGR: (Int) throws -> (feature: OGRFeatureH, box: GeoPackageRTree.Box?)
    ) throws -> [GeoPackageRTree.Box] {
        var boxes: [GeoPackageRTree.Box] = []
        guard let encoder = Encoder(self, data) else { throw GDALEnvironment.error("create feature", path) }
        guard data.count >= Self.fewestPipelinedRows else {
            // One thread: each batch encoded, then inserted.
            let batch = EncodedBatch()
            while encoder.encodeNext(into: batch) { try insert(batch, of: data, layer: layer, viaOGR: viaOGR, boxes: &boxes) }
            return boxes
        }
        try Handover.run(
            slots: (0..<Self.slots).map { _ in EncodedBatch() }, make: { batch, _ in encoder.encodeNext(into: batch) },
            use: { batch, _ in try insert(batch, of: data, layer: layer, viaOGR: viaOGR, boxes: &boxes) })
        return boxes
    }

    /// A batch ends after this many rows, or after the row that takes its bytes past `batchBytes` (layers of large
    /// polygons): `slots` batches are encoded ahead of the inserts.
    static let batchRows = 1_024
    /// (Settable for tests: the batches' bounds change no row.)
    nonisolated(unsafe) static var batchBytes = 16 << 20
    static let slots = 4
    /// Below this many rows a layer is encoded on the inserting thread (a thread and its hand-overs cost more).
    static let fewestPipelinedRows = 4_096

    /// Inserts an encoded batch: its values bound where they lie in the batch (SQLite copies them when it steps).
    private func insert(
        _ batch: EncodedBatch, of data: LayerStream, layer: OGRLayerH,
        viaOGR: (Int) throws -> (feature: OGRFeatureH, box: GeoPackageRTree.Box?), boxes: inout [GeoPackageRTree.Box]
    ) throws {
        let fieldCount = kinds.count
        try batch.bytes.withUnsafeBytes { bytes in
            defer { _ = calls.clearBindings(insert) } // no binding left pointing into the batch once it is handed back
            for (n, row) in batch.rows.enumerated() {
                let i = batch.first + n
                var id: Int64
                if row.blobCount == EncodedBatch.viaOGR {
                    let made = try viaOGR(i)
                    defer { OGR_F_Destroy(made.feature) }
                    try GDALEnvironment.check(OGR_L_CreateFeature(layer, made.feature), "write feature \(i + 1) of layer '\(data.name)'", path)
                    id = Int64(OGR_F_GetFID(made.feature))
                } else {
                    _ = calls.clearBindings(insert)
                    if row.blobCount >= 0 {
                        let bound = calls.bindBlob(insert, 1, bytes.baseAddress! + row.blobStart, row.blobCount, nil)
                        guard bound == SQLiteCalls.ok else { throw calls.failure("write feature \(i + 1) of layer '\(data.name)'", db, path) }
                    }
                    for k in 0..<fieldCount {
                        let p = firstField + Int32(k)
                        switch batch.values[n * fieldCount + k] {
                        case .null: break // parameters are NULL until bound
                        case .text(let start, let count):
                            _ = calls.bindText(insert, p, (bytes.baseAddress! + start).assumingMemoryBound(to: CChar.self), count, nil)
                        case .real(let x): _ = calls.bindDouble(insert, p, x)
                        case .integer(let v): _ = calls.bindInt64(insert, p, v)
                        }
                    }
                    let stepped = calls.step(insert)
                    _ = calls.reset(insert)
                    guard stepped == SQLiteCalls.done else { throw calls.failure("write feature \(i + 1) of layer '\(data.name)'", db, path) }
                    id = calls.lastInsertRowID(db)
                }
                written.count += 1
                guard let b = row.bounds else { continue }
                if let e = written.extent {
                    written.extent = (min(e.minX, b.minX), min(e.minY, b.minY), max(e.maxX, b.maxX), max(e.maxY, b.maxY))
                } else {
                    written.extent = b
                }
                boxes.append(GeoPackageRTree.Box(id: id, minX: b.minX, maxX: b.maxX, minY: b.minY, maxY: b.maxY))
            }
        }
    }

    // MARK: Rows encoded for the INSERT

    /// Consecutive rows of a layer, each as the INSERT binds it: the geometry blob and the texts in one byte buffer,
    /// the other values beside them. Refilled batch after batch (its buffers keep their capacity).
    final class EncodedBatch: @unchecked Sendable {
        /// `blobCount` of a row without geometry, and of one whose geometry goes through OGR (an empty one).
        static let noGeometry: Int32 = -1
        static let viaOGR: Int32 = -2
        struct Row {
            var blobStart = 0
            var blobCount: Int32 = EncodedBatch.noGeometry
            /// The geometry's envelope when it is not empty (its extent and index box).
            var bounds: (minX: Double, minY: Double, maxX: Double, maxY: Double)? = nil
        }
        /// A field's value as it is bound: a text is bytes of `bytes` (up to its first NUL, as SQLite reads a C string).
        enum Value {
            case null
            case text(start: Int, count: Int32)
            case real(Double)
            case integer(Int64)
        }
        var first = 0
        var rows: [Row] = []
        /// The rows' values, field after field, row after row.
        var values: [Value] = []
        var bytes: [UInt8] = []
    }

    /// Encodes rows of a layer for `GeoPackageRows`: their values as GDAL's driver binds a feature's fields (a value of
    /// another kind than its field converted through an OGR feature of its own, as OGR converts it), their geometries
    /// as the driver encodes them. Used by one thread at a time.
    final class Encoder: @unchecked Sendable {
        private let kinds: [FieldKind]
        private let slots: [Int32]
        private let srsID: Int32
        private let scratch: OGRFeatureH
        private let data: LayerStream
        /// The next row to encode.
        private var next = 0
        private var batch = EncodedBatch()
        private var blob: [UInt8] = []

        init?(_ rows: GeoPackageRows, _ data: LayerStream) {
            guard let scratch = OGR_F_Create(rows.defn) else { return nil }
            kinds = rows.kinds; slots = rows.slots; srsID = rows.srsID; self.scratch = scratch; self.data = data
        }

        deinit { OGR_F_Destroy(scratch) }

        /// `batch` refilled with the next rows of the layer, up to `batchRows` of them and `batchBytes` (at least one
        /// row); false, and `batch` untouched, when every row is encoded.
        func encodeNext(into batch: EncodedBatch) -> Bool {
            guard next < data.count else { return false }
            self.batch = batch
            defer { self.batch = EncodedBatch() }
            let first = next
            batch.first = first
            batch.rows.removeAll(keepingCapacity: true)
            batch.values.removeAll(keepingCapacity: true)
            batch.bytes.removeAll(keepingCapacity: true)
            var i = first
            while i < data.count && i - first < GeoPackageRows.batchRows && batch.bytes.count < GeoPackageRows.batchBytes {
                defer { i += 1 }
                var row = EncodedBatch.Row()
                if data.geometryType != .none, let g = data.geometry(i) {
                    let box = g.bounds
                    // An empty geometry has no box (its bounds are infinite): no extent, no index entry.
                    row.bounds = box.minX <= box.maxX && box.minY <= box.maxY ? box : nil
                    if GeoPackageRows.encode(g, as: data.geometryType, srsID: srsID, bounds: box, into: &blob) {
                        row.blobStart = batch.bytes.count
                        row.blobCount = Int32(blob.count)
                        batch.bytes.append(contentsOf: blob)
                    } else {
                        row.blobCount = EncodedBatch.viaOGR
                    }
                }
                batch.rows.append(row)
                let firstValue = batch.values.count
                batch.values.append(contentsOf: repeatElement(.null, count: kinds.count))
                if row.blobCount != EncodedBatch.viaOGR {
                    var fields = FeatureFields(encoder: self, firstValue: firstValue)
                    data.values(i, &fields)
                }
            }
            next = i
            return true
        }

        // Values, as GDAL binds a feature's fields: text, real and integer fields as such, null as NULL.

        func set(_ k: Int, at first: Int, _ s: String?) {
            guard let s else { return }
            switch kinds[k] {
            case .string:
                var s = s
                batch.values[first + k] = s.withUTF8 { text($0) }
            case .real, .integer:
                s.withCString { OGR_F_SetFieldString(scratch, slots[k], $0) }
                batch.values[first + k] = converted(k)
            }
        }

        func set(_ k: Int, at first: Int, _ x: Double?) {
            guard let x, x.isFinite else { return }
            if kinds[k] == .real {
                batch.values[first + k] = .real(x)
            } else {
                OGR_F_SetFieldDouble(scratch, slots[k], x)
                batch.values[first + k] = converted(k)
            }
        }

        func set(_ k: Int, at first: Int, _ n: Int) {
            if kinds[k] == .integer {
                batch.values[first + k] = .integer(Int64(n))
            } else {
                OGR_F_SetFieldInteger64(scratch, slots[k], Int64(n))
                batch.values[first + k] = converted(k)
            }
        }

        /// Field k's value as OGR turns the scratch feature's value into the field's type.
        private func converted(_ k: Int) -> EncodedBatch.Value {
            switch kinds[k] {
            case .string:
                let c = OGR_F_GetFieldAsString(scratch, slots[k])!
                return text(UnsafeBufferPointer(start: UnsafeRawPointer(c).assumingMemoryBound(to: UInt8.self), count: strlen(c)))
            case .real: return .real(OGR_F_GetFieldAsDouble(scratch, slots[k]))
            case .integer: return .integer(Int64(OGR_F_GetFieldAsInteger64(scratch, slots[k])))
            }
        }

        /// A text's bytes up to its first NUL (what SQLite reads of a C string), appended to the batch.
        private func text(_ utf8: UnsafeBufferPointer<UInt8>) -> EncodedBatch.Value {
            let count = utf8.firstIndex(of: 0) ?? utf8.count
            let start = batch.bytes.count
            batch.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[0..<count]))
            return .text(start: start, count: Int32(count))
        }
    }

    // MARK: Geometry blobs

    /// Replaces `out` with the GeoPackage blob of `g` as a layer of `kind` stores it (a polygon in a multi-polygon
    /// layer becomes a multi-polygon of one, as `makeOGRGeometry` makes it; rings are closed as OGR's are); false (and
    /// `out` undefined) for an empty geometry: a line without points, a polygon without rings or with an empty ring.
    /// `bounds` are `g.bounds` (computed once by the caller, who needs them too).
    static func encode(
        _ g: Geometry, as kind: LayerData.GeometryKind, srsID: Int32, bounds b: (minX: Double, minY: Double, maxX: Double, maxY: Double),
        into out: inout [UInt8]
    ) -> Bool {
        out.removeAll(keepingCapacity: true)
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func put(_ c: Coordinate) { put(c.x.bitPattern); put(c.y.bitPattern) }
        func header(envelope: Bool) {
            out.append(contentsOf: [0x47, 0x50, 0, envelope ? 0x03 : 0x01])
            put(srsID)
            guard envelope else { return }
            put(b.minX.bitPattern); put(b.maxX.bitPattern); put(b.minY.bitPattern); put(b.maxY.bitPattern)
        }
        func polygon(_ rings: [[Coordinate]]) {
            out.append(1)
            put(UInt32(3))
            put(UInt32(rings.count))
            for ring in rings {
                let close = ring.first != ring.last
                put(UInt32(ring.count + (close ? 1 : 0)))
                for c in ring { put(c) }
                if close { put(ring[0]) }
            }
        }
        func valid(_ rings: [[Coordinate]]) -> Bool { !rings.isEmpty && rings.allSatisfy { !$0.isEmpty } }
        switch g {
        case .point(let c):
            header(envelope: false)
            out.append(1)
            put(UInt32(1))
            put(c)
        case .lineString(let cs):
            guard !cs.isEmpty else { return false }
            header(envelope: true)
            out.append(1)
            put(UInt32(2))
            put(UInt32(cs.count))
            for c in cs { put(c) }
        case .polygon(let rings):
            guard valid(rings) else { return false }
            header(envelope: true)
            if kind == .multiPolygon {
                out.append(1)
                put(UInt32(6))
                put(UInt32(1))
            }
            polygon(rings)
        case .multiPolygon(let polygons):
            guard !polygons.isEmpty, polygons.allSatisfy(valid) else { return false }
            header(envelope: true)
            out.append(1)
            put(UInt32(6))
            put(UInt32(polygons.count))
            for p in polygons { polygon(p) }
        }
        return true
    }

    // MARK: After GDAL has closed the file

    /// Writes each layer's feature count (gpkg_ogr_contents) and extent (gpkg_contents) into the GeoPackage `store`,
    /// as GDAL writes them: its statements print each bound of the extent with SQLite's printf (%.18g), which SQLite
    /// then reads back as a number; `CAST(printf(…) AS REAL)` makes the same round trip.
    static func finish(_ layers: [Written], in store: SQLDatabase) throws {
        guard !layers.isEmpty else { return }
        let path = store.label
        guard let calls = SQLiteCalls.shared, let db = store.sqliteConnection else {
            throw GeoError(operation: "write feature counts", path: path, message: "GDAL's SQLite connection is not available")
        }
        try store.transaction {
            for layer in layers {
                func table(_ s: SQLiteCalls.Statement, _ p: Int32) { _ = layer.table.withCString { calls.bindText(s, p, $0, -1, SQLiteCalls.transient) } }
                try calls.run("UPDATE gpkg_ogr_contents SET feature_count = ?1 WHERE lower(table_name) = lower(?2)", on: db, path: path) {
                    _ = calls.bindInt64($0, 1, Int64(layer.count))
                    table($0, 2)
                }
                guard let e = layer.extent else { continue }
                let bound = "CAST(printf('%.18g', ?) AS REAL)"
                try calls.run(
                    "UPDATE gpkg_contents SET min_x = \(bound), min_y = \(bound), max_x = \(bound), max_y = \(bound) "
                        + "WHERE lower(table_name) = lower(?) AND Lower(data_type) = 'features'", on: db, path: path
                ) { s in
                    for (k, x) in [e.minX, e.minY, e.maxX, e.maxY].enumerated() { _ = calls.bindDouble(s, Int32(k + 1), x) }
                    table(s, 5)
                }
            }
        }
    }
}

// A GeoPackage layer's rows inserted straight into its table on GDAL's own SQLite connection (SQLiteCalls): one
// prepared INSERT, each row's values bound as GDAL's driver binds them and its geometry encoded as the driver encodes
// it. OGR made, filled and bound a feature per row, on two threads; the 448,502 lines of conflicts.gpkg took
// 3.2–4.2 s that way, 1.9–2.2 s here (with the spatial index's rows also inserted by prepared statements, so that
// no other SQLite connection competes for SQLite's process-wide locks meanwhile).
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
    /// A feature of the layer, for values of another kind than their field: converted as OGR converts them.
    private let scratch: OGRFeatureH
    /// Parameter number of the layer's first field (the geometry is parameter 1).
    private let firstField: Int32
    private let srsID: Int32
    private let path: String
    private var blob: [UInt8] = []

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
        guard geometryColumn == nil || (srs != 0 && Int64(Int32.min)...Int64(Int32.max) ~= srs), let scratch = OGR_F_Create(defn) else {
            _ = calls.finalize(statement)
            return nil
        }
        self.calls = calls; self.db = db; insert = statement; self.kinds = kinds; self.slots = slots
        self.scratch = scratch; firstField = geometryColumn == nil ? 1 : 2; srsID = Int32(srs); self.path = path
        written = Written(table: table, count: 0, extent: nil)
    }

    deinit {
        _ = calls.finalize(insert)
        OGR_F_Destroy(scratch)
    }

    private(set) var written: Written

    /// Inserts row `i` of `data`; rows whose geometry is not encoded here are made by `viaOGR` and written with
    /// `OGR_L_CreateFeature` on `layer`. Returns the row's index box (its id the row's feature id), if it has one.
    func write(
        _ data: LayerStream, row i: Int, layer: OGRLayerH, viaOGR: (Int) throws -> (feature: OGRFeatureH, box: GeoPackageRTree.Box?)
    ) throws -> GeoPackageRTree.Box? {
        let geometry = data.geometryType == .none ? nil : data.geometry(i)
        let box = geometry?.bounds
        // An empty geometry has no box (its bounds are infinite): no extent, no index entry.
        let bounds = box.flatMap { b in b.minX <= b.maxX && b.minY <= b.maxY ? b : nil }
        var id: Int64
        if let g = geometry, let box, !Self.encode(g, as: data.geometryType, srsID: srsID, bounds: box, into: &blob) {
            let row = try viaOGR(i)
            defer { OGR_F_Destroy(row.feature) }
            try GDALEnvironment.check(OGR_L_CreateFeature(layer, row.feature), "write feature \(i + 1) of layer '\(data.name)'", path)
            id = Int64(OGR_F_GetFID(row.feature))
        } else {
            _ = calls.clearBindings(insert)
            if geometry != nil {
                let bound = blob.withUnsafeBytes { calls.bindBlob(insert, 1, $0.baseAddress, Int32($0.count), SQLiteCalls.transient) }
                guard bound == SQLiteCalls.ok else { throw calls.failure("write feature \(i + 1) of layer '\(data.name)'", db, path) }
            }
            var fields = FeatureFields(row: self)
            data.values(i, &fields)
            let stepped = calls.step(insert)
            _ = calls.reset(insert)
            guard stepped == SQLiteCalls.done else { throw calls.failure("write feature \(i + 1) of layer '\(data.name)'", db, path) }
            id = calls.lastInsertRowID(db)
        }
        written.count += 1
        guard let b = bounds else { return nil }
        if let e = written.extent {
            written.extent = (min(e.minX, b.minX), min(e.minY, b.minY), max(e.maxX, b.maxX), max(e.maxY, b.maxY))
        } else {
            written.extent = b
        }
        return GeoPackageRTree.Box(id: id, minX: b.minX, maxX: b.maxX, minY: b.minY, maxY: b.maxY)
    }

    // MARK: Values, bound as GDAL binds a feature's fields: text, real and integer fields as such, null as NULL.

    func bind(_ i: Int, _ s: String?) {
        guard let s else { return } // parameters are NULL until bound
        switch kinds[i] {
        case .string: _ = s.withCString { calls.bindText(insert, firstField + Int32(i), $0, -1, SQLiteCalls.transient) }
        case .real, .integer:
            s.withCString { OGR_F_SetFieldString(scratch, slots[i], $0) }
            bindConverted(i)
        }
    }

    func bind(_ i: Int, _ x: Double?) {
        guard let x, x.isFinite else { return }
        if kinds[i] == .real {
            _ = calls.bindDouble(insert, firstField + Int32(i), x)
        } else {
            OGR_F_SetFieldDouble(scratch, slots[i], x)
            bindConverted(i)
        }
    }

    func bind(_ i: Int, _ n: Int) {
        if kinds[i] == .integer {
            _ = calls.bindInt64(insert, firstField + Int32(i), Int64(n))
        } else {
            OGR_F_SetFieldInteger64(scratch, slots[i], Int64(n))
            bindConverted(i)
        }
    }

    /// Field i's value as OGR turns the scratch feature's value into the field's type.
    private func bindConverted(_ i: Int) {
        let p = firstField + Int32(i)
        switch kinds[i] {
        case .string: _ = calls.bindText(insert, p, OGR_F_GetFieldAsString(scratch, slots[i]), -1, SQLiteCalls.transient)
        case .real: _ = calls.bindDouble(insert, p, OGR_F_GetFieldAsDouble(scratch, slots[i]))
        case .integer: _ = calls.bindInt64(insert, p, Int64(OGR_F_GetFieldAsInteger64(scratch, slots[i])))
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

// A GeoPackage layer's spatial index (the gpkg_rtree_index extension, an SQLite R*Tree) written in one pass,
// packed, after the layer's features: GDAL 3.6 fills it one feature at a time through SQLite's R*Tree insertion,
// which cost 6.5 s of a 8.4 s copy of 448,552 conflict lines. The result is the R*Tree SQLite itself reads and
// maintains afterwards (edits in QGIS go through the extension's triggers, as for an index GDAL wrote).
//
// SQLite's R*Tree keeps its nodes in three shadow tables of the virtual table rtree_<table>_<column>:
//  - _node(nodeno, data): each node a blob of the size the table was created with: 2 bytes tree depth (root
//    only), 2 bytes cell count, then cells of an 8-byte id (a feature id in a leaf, a child node number above)
//    and 4 float32 (min x, max x, min y, max y), all big-endian; the root is node 1;
//  - _rowid(rowid, nodeno): the leaf of each feature id; _parent(nodeno, parentnode): the parent of each node
//    but the root.
// Boxes are rounded outward to float32 exactly as SQLite rounds them. Leaves and nodes are packed by sort-tile-recursive (STR):
// entries sorted by x in vertical slices, each slice by y, cut into full nodes. The rows are inserted with prepared
// statements on GDAL's SQLite connection (`SQLiteCalls`).
import Foundation

enum GeoPackageRTree {
    /// A feature's bounding box, rounded outward to float32.
    struct Box: Sendable, Equatable {
        var id: Int64
        var minX: Float, maxX: Float, minY: Float, maxY: Float

        init(id: Int64, minX: Double, maxX: Double, minY: Double, maxY: Double) {
            self.id = id
            self.minX = Self.down(minX); self.maxX = Self.up(maxX); self.minY = Self.down(minY); self.maxY = Self.up(maxY)
        }

        init(id: Int64, enclosing boxes: ArraySlice<Box>) {
            self.id = id
            minX = boxes.map(\.minX).min() ?? 0; maxX = boxes.map(\.maxX).max() ?? 0
            minY = boxes.map(\.minY).min() ?? 0; maxY = boxes.map(\.maxY).max() ?? 0
        }

        /// Rounded down and up as SQLite's R*Tree rounds a value it is given (nearest float; when that is on the
        /// wrong side, the value scaled by 1 ∓ 2⁻²³ first), so that a box reads the same whoever wrote it.
        static func down(_ x: Double) -> Float {
            let f = Float(x)
            return Double(f) > x ? Float(x * (x < 0 ? 1 + 1 / 8_388_608 : 1 - 1 / 8_388_608)) : f
        }
        static func up(_ x: Double) -> Float {
            let f = Float(x)
            return Double(f) < x ? Float(x * (x < 0 ? 1 - 1 / 8_388_608 : 1 + 1 / 8_388_608)) : f
        }
        var centreX: Float { (minX + maxX) / 2 }
        var centreY: Float { (minY + maxY) / 2 }
    }

    /// A node about to be written: its number, its parent's, its cells and its depth above the leaves.
    struct Node {
        var number: Int64, parent: Int64
        var cells: [Box]
        var level: Int
    }

    /// The node size SQLite gives a 2-dimensional R*Tree in a database of pages of 1,292 bytes or more (GDAL's
    /// GeoPackages have 4,096): 51 cells of 24 bytes and a 4-byte header.
    static let nodeSize = 4 + 51 * 24

    /// The shadow tables' rows of a packed index, made without the database (on another thread while the features
    /// are written): the boxes it holds, each node's number and blob, the (node, parent) and (feature id, leaf) pairs.
    struct Plan: Sendable {
        let boxes: [Box]
        let size: Int
        let nodes: [(number: Int64, blob: [UInt8])]
        let parents: [(Int64, Int64)]
        let rowids: [(Int64, Int64)]
    }

    static func plan(_ boxes: [Box], size: Int = nodeSize) -> Plan {
        guard !boxes.isEmpty else { return Plan(boxes: boxes, size: size, nodes: [], parents: [], rowids: []) }
        let nodes = pack(boxes, capacity: min(51, (size - 4) / 24))
        let depth = nodes.map(\.level).max() ?? 0
        let parents = nodes.filter { $0.number != 1 }.map { ($0.number, $0.parent) }
        let leaves = nodes.filter { $0.level == 0 }.flatMap { node in node.cells.map { ($0.id, node.number) } }
        return Plan(
            boxes: boxes, size: size, nodes: nodes.map { ($0.number, blob($0, depth: depth, size: size)) }, parents: parents,
            rowids: leaves.sorted { $0.0 < $1.0 })
    }

    /// Writes the spatial index of `table` (a layer of the GeoPackage `db` written without one, opened by the caller,
    /// who may write more in it before closing it) from a plan of the boxes of its non-empty geometries (made again
    /// when SQLite's node size is not the plan's), with the extension's triggers and its gpkg_extensions row.
    static func build(in db: SQLDatabase, table: String, plan: Plan) throws {
        let path = db.label
        guard let calls = SQLiteCalls.shared, let connection = db.sqliteConnection else {
            throw GeoError(operation: "build spatial index", path: path, message: "GDAL's SQLite connection is not available")
        }
        let column = try db.query("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = \(literal(table))")
            .features.first?.attributes["column_name"]
        let fid = try db.query("SELECT name FROM pragma_table_info(\(literal(table))) WHERE pk = 1").features.first?.attributes["name"]
        guard let column, let fid else {
            throw GeoError(operation: "build spatial index", path: path, message: "layer '\(table)' has no geometry column or no primary key")
        }
        let name = "rtree_\(table)_\(column)"
        try db.transaction {
            try db.execute("CREATE VIRTUAL TABLE \(identifier(name)) USING rtree(id, minx, maxx, miny, maxy)")
            let size = try db.query("SELECT length(data) AS n FROM \(identifier(name + "_node")) WHERE nodeno = 1")
                .features.first?.attributes["n"].flatMap { Int($0) }
            guard let size, size >= 4 + 24 * 2 else {
                throw GeoError(operation: "build spatial index", path: path, message: "unexpected R*Tree node size \(size.map(String.init) ?? "none")")
            }
            try db.execute("DELETE FROM \(identifier(name + "_node"))")
            if !plan.boxes.isEmpty {
                let plan = size == plan.size ? plan : Self.plan(plan.boxes, size: size)
                try write(plan, calls: calls, on: connection, rtree: name, path: path)
            }
            for sql in triggers(table: table, column: column, fid: fid, rtree: name) { try db.execute(sql) }
            try db.execute(
                """
                CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
                definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))
                """)
            try db.execute(
                "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES ("
                    + "\(literal(table)), \(literal(column)), 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')")
        }
    }

    /// The tree's nodes by sort-tile-recursive packing of `capacity` cells a node, from the leaves up: each level's
    /// nodes become the entries of the next until one node, the root (node 1), holds them all. `boxes` not empty.
    static func pack(_ boxes: [Box], capacity m: Int) -> [Node] {
        var nodes: [Node] = []
        var level = tiles(boxes, capacity: m), depth = 0
        var next: Int64 = 2
        while level.count > 1 {
            var entries: [Box] = []
            for cells in level {
                nodes.append(Node(number: next, parent: 0, cells: cells, level: depth))
                entries.append(Box(id: next, enclosing: cells[...]))
                next += 1
            }
            level = tiles(entries, capacity: m)
            depth += 1
        }
        nodes.append(Node(number: 1, parent: 0, cells: level[0], level: depth))
        // Each cell of a node above the leaves names a child node.
        var parentOf: [Int64: Int64] = [:]
        for node in nodes where node.level > 0 { for c in node.cells { parentOf[c.id] = node.number } }
        for i in nodes.indices where nodes[i].number != 1 { nodes[i].parent = parentOf[nodes[i].number] ?? 0 }
        return nodes
    }

    /// `entries` cut into nodes of at most `m`: vertical slices of ⌈√P⌉ nodes each by x, each slice by y.
    static func tiles(_ entries: [Box], capacity m: Int) -> [[Box]] {
        let p = (entries.count + m - 1) / m
        let s = Int(Double(p).squareRoot().rounded(.up))
        let byX = entries.sorted { ($0.centreX, $0.id) < ($1.centreX, $1.id) }
        var out: [[Box]] = []
        var start = 0
        while start < byX.count {
            let end = min(byX.count, start + s * m)
            let slice = byX[start..<end].sorted { ($0.centreY, $0.id) < ($1.centreY, $1.id) }
            var k = 0
            while k < slice.count {
                out.append(Array(slice[k..<min(slice.count, k + m)]))
                k += m
            }
            start = end
        }
        return out
    }

    /// The plan's rows, one prepared statement a shadow table: the nodes' blobs, then the parent and rowid pairs.
    static func write(_ plan: Plan, calls: SQLiteCalls, on db: SQLiteCalls.Connection, rtree: String, path: String) throws {
        func insert(_ table: String, _ columns: String, rows: Int, bind: (SQLiteCalls.Statement, Int) -> Int32) throws {
            var statement: SQLiteCalls.Statement? = nil
            let sql = "INSERT INTO \(identifier(rtree + "_" + table)) (\(columns)) VALUES (?, ?)"
            guard calls.prepare(db, sql, -1, &statement, nil) == SQLiteCalls.ok, let statement else {
                throw calls.failure("build spatial index", db, path)
            }
            defer { _ = calls.finalize(statement) }
            for k in 0..<rows {
                let bound = bind(statement, k)
                let stepped = calls.step(statement)
                _ = calls.reset(statement)
                guard bound == SQLiteCalls.ok, stepped == SQLiteCalls.done else { throw calls.failure("build spatial index", db, path) }
            }
        }
        try insert("node", "nodeno, data", rows: plan.nodes.count) { s, k in
            let node = plan.nodes[k]
            let n = calls.bindInt64(s, 1, node.number)
            return n != SQLiteCalls.ok ? n : node.blob.withUnsafeBytes { calls.bindBlob(s, 2, $0.baseAddress, Int32($0.count), SQLiteCalls.transient) }
        }
        for (table, columns, pairs) in [("parent", "nodeno, parentnode", plan.parents), ("rowid", "rowid, nodeno", plan.rowids)] {
            try pairs.withUnsafeBufferPointer { pairs in
                try insert(table, columns, rows: pairs.count) { s, k in
                    let n = calls.bindInt64(s, 1, pairs[k].0)
                    return n != SQLiteCalls.ok ? n : calls.bindInt64(s, 2, pairs[k].1)
                }
            }
        }
    }

    /// A node's blob: depth (root only), cell count, cells, zeros to `size`.
    static func blob(_ node: Node, depth: Int, size: Int) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: size)
        func put16(_ v: Int, at p: Int) { b[p] = UInt8((v >> 8) & 0xFF); b[p + 1] = UInt8(v & 0xFF) }
        func put32(_ v: UInt32, at p: Int) { for i in 0..<4 { b[p + i] = UInt8((v >> (24 - 8 * UInt32(i))) & 0xFF) } }
        if node.number == 1 { put16(depth, at: 0) }
        put16(node.cells.count, at: 2)
        for (i, c) in node.cells.enumerated() {
            let p = 4 + 24 * i
            let id = UInt64(bitPattern: c.id)
            put32(UInt32(truncatingIfNeeded: id >> 32), at: p)
            put32(UInt32(truncatingIfNeeded: id), at: p + 4)
            put32(c.minX.bitPattern, at: p + 8); put32(c.maxX.bitPattern, at: p + 12)
            put32(c.minY.bitPattern, at: p + 16); put32(c.maxY.bitPattern, at: p + 20)
        }
        return b
    }

    /// The extension's six triggers (GeoPackage 1.2+, gpkg_rtree_index): the index follows inserts, geometry
    /// updates, feature id changes and deletes.
    static func triggers(table: String, column: String, fid: String, rtree: String) -> [String] {
        let t = identifier(table), c = identifier(column), i = identifier(fid), r = identifier(rtree)
        let box = "NEW.\(i), ST_MinX(NEW.\(c)), ST_MaxX(NEW.\(c)), ST_MinY(NEW.\(c)), ST_MaxY(NEW.\(c))"
        let nonEmpty = "(NEW.\(c) NOTNULL AND NOT ST_IsEmpty(NEW.\(c)))"
        let empty = "(NEW.\(c) ISNULL OR ST_IsEmpty(NEW.\(c)))"
        func name(_ suffix: String) -> String { identifier("\(rtree)_\(suffix)") }
        return [
            "CREATE TRIGGER \(name("insert")) AFTER INSERT ON \(t) WHEN \(nonEmpty) BEGIN INSERT OR REPLACE INTO \(r) VALUES (\(box)); END",
            "CREATE TRIGGER \(name("update1")) AFTER UPDATE OF \(c) ON \(t) WHEN OLD.\(i) = NEW.\(i) AND \(nonEmpty) "
                + "BEGIN INSERT OR REPLACE INTO \(r) VALUES (\(box)); END",
            "CREATE TRIGGER \(name("update2")) AFTER UPDATE OF \(c) ON \(t) WHEN OLD.\(i) = NEW.\(i) AND \(empty) "
                + "BEGIN DELETE FROM \(r) WHERE id = OLD.\(i); END",
            "CREATE TRIGGER \(name("update3")) AFTER UPDATE ON \(t) WHEN OLD.\(i) != NEW.\(i) AND \(nonEmpty) "
                + "BEGIN DELETE FROM \(r) WHERE id = OLD.\(i); INSERT OR REPLACE INTO \(r) VALUES (\(box)); END",
            "CREATE TRIGGER \(name("update4")) AFTER UPDATE ON \(t) WHEN OLD.\(i) != NEW.\(i) AND \(empty) "
                + "BEGIN DELETE FROM \(r) WHERE id IN (OLD.\(i), NEW.\(i)); END",
            "CREATE TRIGGER \(name("delete")) AFTER DELETE ON \(t) WHEN OLD.\(c) NOT NULL BEGIN DELETE FROM \(r) WHERE id = OLD.\(i); END"
        ]
    }

    static func identifier(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    static func literal(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
}

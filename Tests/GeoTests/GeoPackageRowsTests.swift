import Foundation
import XCTest

@testable import Geo

/// `GeoPackageRows`: rows inserted on GDAL's SQLite connection must make the GeoPackage OGR makes, feature by feature,
/// from the same layers: the same rows (storage class and value of every column, geometry blobs byte for byte), the
/// same feature counts and extents, the same spatial index, the same schema.
final class GeoPackageRowsTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-rows-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    static let fields: [(name: String, kind: FieldKind)] = [
        ("name", .string), ("level_dbm", .real), ("count", .integer), ("note", .string), ("value", .real)
    ]

    /// Values of every kind, and values of another kind than their field (a real into a text field, text into a real
    /// field, an integer into a real one), which OGR converts.
    static func values(_ k: Int) -> [FieldValue] {
        let name: FieldValue = k % 97 == 0 ? .null : .string(k % 5 == 0 ? "Xã Tân Phú \"\(k)\" 'ấp' " : "row \(k)")
        let level: FieldValue = k % 11 == 0 ? .null : .real(-120 + Double(k) * 0.013_7 + 1e-13 * Double(k % 7))
        let note: FieldValue = k % 3 == 0 ? .real(Double(k) / 7) : k % 7 == 0 ? .string("") : .string("n\(k)")
        let value: FieldValue = k % 4 == 0 ? .string("\(Double(k) / 8)") : k % 4 == 1 ? .integer(k) : .real(.pi * Double(k))
        return [name, level, .integer(k * 1_000_003), note, value]
    }

    /// Five layers: > 4,096 lines (OGR then makes its features on another thread), with rows without geometry, an
    /// empty line and a point; points; multi-polygons (polygons among them, rings closed or not, with holes, an empty
    /// one); polygons; a table; an empty layer.
    static func layers() -> [LayerData] {
        var seed: UInt64 = 7
        func uniform() -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(seed >> 11) / Double(1 << 53)
        }
        var lines = LayerData(name: "links", fields: fields, geometryType: .lineString)
        for k in 0..<5_000 {
            let x = 102 + uniform() * 8, y = 8 + uniform() * 16
            let geometry: Geometry?
            switch k {
            case 17, 4_444: geometry = nil
            case 300: geometry = .lineString([])
            case 301: geometry = .point(Coordinate(x, y))
            default: geometry = .lineString((0..<(2 + k % 3)).map { n in Coordinate(x + Double(n) * uniform(), y - Double(n) * uniform()) })
            }
            lines.append(geometry, values(k))
        }
        var points = LayerData(name: "sites", fields: fields, geometryType: .point)
        for k in 0..<600 { points.append(.point(Coordinate(102 + uniform() * 8, 8 + uniform() * 16)), values(k)) }
        var areas = LayerData(name: "areas", fields: fields, geometryType: .multiPolygon)
        var parcels = LayerData(name: "parcels", fields: fields, geometryType: .polygon)
        for k in 0..<40 {
            let x = 104 + uniform(), y = 10 + uniform()
            var ring = [Coordinate(x, y), Coordinate(x + 0.1, y), Coordinate(x + 0.1, y + 0.1), Coordinate(x, y + 0.1)]
            if k % 3 == 0 { ring.append(ring[0]) }
            let hole = [Coordinate(x + 0.02, y + 0.02), Coordinate(x + 0.05, y + 0.02), Coordinate(x + 0.02, y + 0.05)]
            let rings = k % 4 == 1 ? [ring, hole] : [ring]
            let area: Geometry =
                k == 13 ? .multiPolygon([]) : k % 2 == 0 ? .polygon(rings) : .multiPolygon([rings, [ring.map { Coordinate($0.x + 0.2, $0.y) }]])
            areas.append(area, values(k))
            parcels.append(k == 21 ? .polygon([]) : .polygon(rings), values(k))
        }
        var table = LayerData(name: "totals", fields: fields, geometryType: .none)
        for k in 0..<300 { table.append(nil, values(k)) }
        return [lines, points, areas, parcels, table, LayerData(name: "none_yet", fields: fields, geometryType: .point)]
    }

    /// Everything a reader sees in `path`, as text: each table's rows (every column's storage class and value, blobs
    /// in hex), and the GeoPackage's own tables but for their time stamps.
    func contents(_ path: String, _ layers: [LayerData]) throws -> [String: [String]] {
        let db = try SQLDatabase(source: path)
        defer { try? db.close() }
        func rows(_ sql: String) throws -> [String] {
            try db.query(sql).features.map { f in f.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "|") }
        }
        var out: [String: [String]] = [:]
        for layer in layers {
            var columns = ["fid"] + (layer.geometryType == .none ? [] : ["hex(geom) AS geom"])
            for (name, _) in Self.fields { columns += ["typeof(\"\(name)\") AS \"t_\(name)\"", "\"\(name)\""] }
            out[layer.name] = try rows("SELECT \(columns.joined(separator: ", ")) FROM \"\(layer.name)\" ORDER BY fid")
            if layer.geometryType != .none {
                for shadow in ["node", "parent", "rowid"] {
                    let table = "rtree_\(layer.name)_geom_\(shadow)"
                    out[table] = try rows("SELECT * \(shadow == "node" ? ", hex(data) AS data" : "") FROM \"\(table)\" ORDER BY 1")
                }
            }
        }
        out["gpkg_contents"] = try rows(
            "SELECT table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id, typeof(min_x) AS t FROM gpkg_contents ORDER BY 1")
        out["gpkg_ogr_contents"] = try rows("SELECT * FROM gpkg_ogr_contents ORDER BY 1")
        out["gpkg_geometry_columns"] = try rows("SELECT * FROM gpkg_geometry_columns ORDER BY 1")
        out["gpkg_extensions"] = try rows("SELECT * FROM gpkg_extensions ORDER BY 1, 2, 3")
        out["schema"] = try rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
        out["integrity"] = try rows("PRAGMA integrity_check")
        return out
    }

    func testRowsInsertedOnGDALsConnectionMakeTheGeoPackageOGRMakes() throws {
        XCTAssertNotNil(SQLiteCalls.shared, "the SQLite calls are found in the library GDAL loaded")
        let layers = Self.layers()
        let viaOGR = dir.appendingPathComponent("ogr.gpkg").path, direct = dir.appendingPathComponent("direct.gpkg").path
        try VectorWriter.write(streams: layers.map(LayerStream.init), to: viaOGR, rowsDirect: false)
        try VectorWriter.write(streams: layers.map(LayerStream.init), to: direct, rowsDirect: true)
        let expected = try contents(viaOGR, layers), got = try contents(direct, layers)
        // Batches cut by bytes (a few rows each, both on one thread and on two) make the same file's rows.
        let small = dir.appendingPathComponent("small-batches.gpkg").path, bytes = GeoPackageRows.batchBytes
        GeoPackageRows.batchBytes = 700
        defer { GeoPackageRows.batchBytes = bytes }
        try VectorWriter.write(streams: layers.map(LayerStream.init), to: small, rowsDirect: true)
        XCTAssertEqual(try contents(small, layers), got)
        XCTAssertEqual(Set(got.keys), Set(expected.keys))
        for key in expected.keys.sorted() {
            let e = expected[key]!, g = got[key] ?? []
            XCTAssertEqual(g.count, e.count, key)
            // The first difference, with its row, rather than two long lists.
            if let k = zip(e, g).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                XCTFail("\(key), row \(k + 1):\n  OGR:    \(e[k])\n  direct: \(g[k])")
            }
        }
        // The comparison covers what it should: counts, extents, blobs of lines, points and empty geometries.
        XCTAssertEqual(
            got["gpkg_ogr_contents"],
            [
                "feature_count=40|table_name=areas", "feature_count=5000|table_name=links", "table_name=none_yet", "feature_count=40|table_name=parcels",
                "feature_count=600|table_name=sites", "feature_count=300|table_name=totals"
            ])
        XCTAssertTrue(got["areas"]![0].contains("geom=47500003E6100000"), "a polygon in a multi-polygon layer")
        XCTAssertTrue(got["areas"]![0].contains("0106000000010000000103000000"), "… stored as a multi-polygon of one polygon")
        XCTAssertEqual(got["integrity"], ["integrity_check=ok"])
        let links = got["links"]!
        XCTAssertTrue(links[0].contains("geom=47500003E6100000"), "a line: little-endian, an envelope, srs_id 4326")
        XCTAssertTrue(links[301].contains("geom=47500001E61000000101000000"), "a point: no envelope, ISO WKB point")
        XCTAssertTrue(links[17].contains("|geom=|"), "no geometry: NULL")
        XCTAssertTrue(links[300].contains("geom=47500011E6100000"), "the empty line, through OGR: the empty flag, no envelope")
        XCTAssertTrue(links[3].contains("|t_note=text|"), "a real set into a text field is stored as OGR's text for it")
        XCTAssertTrue(links[4].contains("|t_value=real|value=0.5"), "text set into a real field is stored as the number OGR reads in it")
        XCTAssertTrue(
            got["gpkg_contents"]!.allSatisfy { $0.contains("t=real") || $0.contains("table_name=totals") || $0.contains("table_name=none_yet") },
            "every layer with geometry and rows has an extent")
    }

    /// The blob of a line and of a point, byte by byte (GeoPackage 1.3, §2.1.3; ISO WKB).
    func testGeometryBlobs() {
        var out: [UInt8] = []
        // srs_id 4326, with the bounds the caller computes.
        func encode(_ g: Geometry, as kind: LayerData.GeometryKind) -> Bool {
            GeoPackageRows.encode(g, as: kind, srsID: 4326, bounds: g.bounds, into: &out)
        }
        XCTAssertTrue(encode(.point(Coordinate(1, 2)), as: .point))
        XCTAssertEqual(out, [0x47, 0x50, 0, 1, 0xE6, 0x10, 0, 0, 1, 1, 0, 0, 0] + bytes(1.0) + bytes(2.0))
        XCTAssertTrue(encode(.lineString([Coordinate(3, -1), Coordinate(1, 2)]), as: .lineString))
        XCTAssertEqual(
            out,
            [0x47, 0x50, 0, 3, 0xE6, 0x10, 0, 0] + bytes(1.0) + bytes(3.0) + bytes(-1.0) + bytes(2.0)
                + [1, 2, 0, 0, 0, 2, 0, 0, 0] + bytes(3.0) + bytes(-1.0) + bytes(1.0) + bytes(2.0))
        XCTAssertFalse(encode(.lineString([]), as: .lineString), "an empty line goes through OGR")
        // A triangle, its ring closed: 4 points.
        XCTAssertTrue(encode(.polygon([[Coordinate(0, 0), Coordinate(1, 0), Coordinate(0, 1)]]), as: .polygon))
        XCTAssertEqual(
            out,
            [0x47, 0x50, 0, 3, 0xE6, 0x10, 0, 0] + bytes(0.0) + bytes(1.0) + bytes(0.0) + bytes(1.0) + [1, 3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0]
                + [0.0, 0, 1, 0, 0, 1, 0, 0].flatMap(bytes))
        XCTAssertFalse(encode(.polygon([]), as: .polygon), "an empty polygon goes through OGR")
    }

    func bytes(_ x: Double) -> [UInt8] { withUnsafeBytes(of: x.bitPattern.littleEndian) { Array($0) } }

}

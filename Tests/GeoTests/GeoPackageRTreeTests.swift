import XCTest
import Foundation
@testable import Geo

/// The packed spatial index `VectorWriter` writes into GeoPackages (`GeoPackageRTree`): SQLite's own check of the
/// R*Tree, GDAL's view of it, window queries against the features' own extents, and the index following edits
/// through the extension's triggers.
final class GeoPackageRTreeTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-rtree-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Lines over Vietnam's extent (a three-level tree of 51-cell nodes), some rows without geometry.
    func lines(count: Int) -> LayerData {
        var layer = LayerData(name: "links", fields: [("name", .string)], geometryType: .lineString)
        var seed: UInt64 = 42
        func uniform() -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(seed >> 11) / Double(1 << 53)
        }
        for k in 0..<count {
            if k % 500 == 7 {
                layer.append(nil, [.string("no geometry \(k)")])
                continue
            }
            let x = 102 + uniform() * 8, y = 8 + uniform() * 16
            layer.append(.lineString([Coordinate(x, y), Coordinate(x + uniform() * 0.5, y - uniform() * 0.5)]), [.string("line \(k)")])
        }
        return layer
    }

    func ids(_ db: SQLDatabase, _ sql: String, _ column: String) throws -> Set<Int> {
        Set(try db.query(sql).features.compactMap { $0.attributes[column].flatMap { Int($0) } })
    }

    func testPackedIndexPassesSQLitesCheckAndAnswersWindowsLikeTheFeatures() throws {
        let path = dir.appendingPathComponent("links.gpkg").path
        let layer = lines(count: 25000)
        try VectorWriter.write([layer], to: path)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["links.gpkg"], "no temporary file left")
        let db = try SQLDatabase(source: path)
        defer { try? db.close() }
        XCTAssertEqual(try db.query("SELECT rtreecheck('rtree_links_geom') AS r").features.first?.attributes["r"], "ok")
        // GDAL's own view (its SQL function names the result column itself).
        XCTAssertEqual(try db.query("SELECT HasSpatialIndex('links', 'geom')").features.first?.attributes.values.first, "1")
        let depth = try db.query("SELECT hex(substr(data, 1, 2)) AS d FROM rtree_links_geom_node WHERE nodeno = 1").features.first?.attributes["d"]
        XCTAssertEqual(depth, "0002", "25,000 entries in nodes of 51: leaves, one level of nodes, the root")
        let geometries = layer.rows.filter { $0.geometry != nil }.count
        XCTAssertEqual(try ids(db, "SELECT id FROM rtree_links_geom", "id").count, geometries)
        // Windows: the index's answer is the features whose extent meets the window.
        var checked = 0
        for k in 0..<25 {
            let x0 = 102 + Double(k % 5) * 1.6, y0 = 8 + Double(k / 5) * 3.2, x1 = x0 + 0.7, y1 = y0 + 0.9
            let byIndex = try ids(
                db, "SELECT id FROM rtree_links_geom WHERE maxx >= \(x0) AND minx <= \(x1) AND maxy >= \(y0) AND miny <= \(y1)", "id")
            let byFeatures = try ids(
                db,
                "SELECT fid FROM links WHERE geom IS NOT NULL AND ST_MaxX(geom) >= \(x0) AND ST_MinX(geom) <= \(x1) AND ST_MaxY(geom) >= \(y0) AND ST_MinY(geom) <= \(y1)",
                "fid")
            XCTAssertEqual(byIndex, byFeatures, "window \(k)")
            checked += byIndex.count
        }
        XCTAssertGreaterThan(checked, 100)
    }

    func testIndexFollowsEditsThroughTheTriggers() throws {
        let path = dir.appendingPathComponent("edit.gpkg").path
        try VectorWriter.write([lines(count: 300)], to: path)
        let db = try SQLDatabase(source: path)
        defer { try? db.close() }
        func box(_ id: Int) throws -> String? {
            try db.query("SELECT minx || ',' || miny AS b FROM rtree_links_geom WHERE id = \(id)").features.first?.attributes["b"]
        }
        let before = try box(2)
        try db.execute("UPDATE links SET geom = (SELECT geom FROM links WHERE fid = 2) WHERE fid = 1")
        XCTAssertEqual(try box(1), before)
        try db.execute("DELETE FROM links WHERE fid = 3")
        XCTAssertNil(try box(3))
        try db.execute("UPDATE links SET fid = 100000 WHERE fid = 4")
        XCTAssertNil(try box(4))
        XCTAssertNotNil(try box(100000))
        try db.execute("INSERT INTO links (geom, name) SELECT geom, 'copy' FROM links WHERE fid = 5")
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM rtree_links_geom").features.first?.attributes["n"], "\(300 - 1 - 1 + 1)")
        XCTAssertEqual(try db.query("SELECT rtreecheck('rtree_links_geom') AS r").features.first?.attributes["r"], "ok")
    }

    func testBoxesAreRoundedOutwardToFloat() {
        let b = GeoPackageRTree.Box(id: 1, minX: 105.123456789, maxX: 105.123456789, minY: -0.1, maxY: -0.1)
        XCTAssertLessThanOrEqual(Double(b.minX), 105.123456789)
        XCTAssertGreaterThanOrEqual(Double(b.maxX), 105.123456789)
        XCTAssertLessThan(b.minX, b.maxX)
        XCTAssertLessThanOrEqual(Double(b.minY), -0.1)
        XCTAssertGreaterThanOrEqual(Double(b.maxY), -0.1)
    }

    /// The index plan made on another thread before the features are written holds exactly the boxes and feature ids
    /// of the written features (so it is the one used), and is refused when a box or an id differs.
    func testIndexPlanMadeBeforeWritingHoldsTheWrittenFeaturesBoxes() throws {
        let path = dir.appendingPathComponent("plan.gpkg").path
        let layer = lines(count: 3000)
        try VectorWriter.write([layer], to: path)
        let db = try SQLDatabase(source: path)
        defer { try? db.close() }
        let written = try db.query(
            "SELECT fid, ST_MinX(geom) AS x0, ST_MaxX(geom) AS x1, ST_MinY(geom) AS y0, ST_MaxY(geom) AS y1 FROM links WHERE geom IS NOT NULL ORDER BY fid"
        ).features.map { f in
            let v = { (k: String) in Double(f.attributes[k]!)! }
            return GeoPackageRTree.Box(id: Int64(f.attributes["fid"]!)!, minX: v("x0"), maxX: v("x1"), minY: v("y0"), maxY: v("y1"))
        }
        XCTAssertEqual(written.count, layer.rows.filter { $0.geometry != nil }.count)
        let plans = VectorWriter.IndexPlans([LayerStream(layer)])
        let plan = try XCTUnwrap(plans.plan(layer: 0, boxes: written))
        XCTAssertEqual(plan.rowids.count, written.count, "one leaf entry a feature")
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM rtree_links_geom_rowid").features.first?.attributes["n"], "\(written.count)")
        var moved = written
        moved[17].maxX = moved[17].maxX.nextUp
        XCTAssertNil(plans.plan(layer: 0, boxes: moved))
        var renumbered = written
        renumbered[0].id += 1
        XCTAssertNil(plans.plan(layer: 0, boxes: renumbered))
    }
}

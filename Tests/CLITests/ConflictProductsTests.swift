import XCTest
import Foundation
import Analysis
import Geo
import Reports
import TestSupport

/// conflicts.csv and conflicts.gpkg written together into a run's folder (`ConflictProducts`, issue 21): the digests
/// taken while writing are those of the files, and the products are those of the one-thread paths.
final class ConflictProductsTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-conflict-products-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// 9,000 conflicts (two CSV chunks and a part): lines, out-of-plan points, a resolved one without position,
    /// missing and non-finite values, texts that need quoting.
    func conflicts() -> [Conflict] {
        SyntheticConflicts.make(count: 9000, seed: 5, area: (102, 8, 8, 16), unlocated: 4321)
    }

    /// Every feature of a layer as text: id, attributes, geometry.
    func features(_ path: String, _ layer: String) throws -> [String] {
        try VectorReader.read(path, layer: layer).features.map { f in
            "\(f.fid) \(f.attributes.sorted { $0.key < $1.key }) \(String(describing: f.geometry))"
        }
    }

    func testConflictProductsDigestsAreTheFilesAndProductsMatchTheOneThreadPaths() throws {
        let c = conflicts()
        let output = dir.appendingPathComponent("out").path
        let tx = try OutputTransaction(output: output, command: ["test"])
        try ConflictProducts.write(c, into: tx)
        let recorded = try tx.commit { run, products in
            try JSONEncoder().encode(FolderRecord(tool: "test", kind: "conflicts", command: [], inputs: [], run: run, products: products))
        }
        XCTAssertEqual(recorded.map(\.path), [ConflictProducts.csv, ConflictProducts.gpkg])
        for p in recorded {
            let path = (output as NSString).appendingPathComponent(p.path)
            XCTAssertEqual(p.sha256, try SHA256.hex(ofFile: path), p.path)
            XCTAssertEqual(p.bytes, try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, p.path)
        }
        XCTAssertNoThrow(try ProductFolder.verify(output))
        // The CSV is the text formatted in memory; the GeoPackage holds what the LayerData path writes.
        let csv = try Data(contentsOf: URL(fileURLWithPath: (output as NSString).appendingPathComponent(ConflictProducts.csv)))
        XCTAssertEqual(csv, Data(ConflictReport.csv(c).utf8))
        let reference = dir.appendingPathComponent("reference.gpkg").path
        try VectorWriter.write(ConflictReport.layers(c), to: reference)
        let gpkg = (output as NSString).appendingPathComponent(ConflictProducts.gpkg)
        for layer in ["conflicts", "out_of_plan"] {
            let written = try features(gpkg, layer), expected = try features(reference, layer)
            let positioned = c.filter { $0.aPosition.lon.isFinite }
            XCTAssertEqual(written.count, positioned.filter { (layer == "conflicts") == ($0.bPosition != nil) }.count)
            XCTAssertEqual(written, expected, layer)
        }
        let db = try SQLDatabase(source: gpkg)
        defer { try? db.close() }
        XCTAssertEqual(try db.query("SELECT rtreecheck('rtree_conflicts_geom') AS r").features.first?.attributes["r"], "ok")
    }

    func testARecordedDigestWhoseSizeNoLongerMatchesIsNotUsed() throws {
        let output = dir.appendingPathComponent("stale").path
        let tx = try OutputTransaction(output: output, command: ["test"])
        try Data("first text\n".utf8).write(to: URL(fileURLWithPath: tx.path("a.csv")))
        tx.recordDigest(of: "a.csv", sha256: SHA256.hex(of: Data("first text\n".utf8)), bytes: 11)
        try Data("rewritten, longer\n".utf8).write(to: URL(fileURLWithPath: tx.path("a.csv")))
        let products = try tx.commit { run, products in
            try JSONEncoder().encode(FolderRecord(tool: "test", kind: "conflicts", command: [], inputs: [], run: run, products: products))
        }
        XCTAssertEqual(products.first?.sha256, SHA256.hex(of: Data("rewritten, longer\n".utf8)))
        XCTAssertNoThrow(try ProductFolder.verify(output))
    }
}

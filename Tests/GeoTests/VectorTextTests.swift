import CGDAL
import Foundation
import XCTest

@testable import Geo

/// `VectorText` writes GeoJSON and KML as text; GDAL's own drivers (through `VectorWriter`'s OGR path) are the
/// reference: every file here is written both ways and compared byte for byte.
final class VectorTextTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-vectortext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// The file OGR's driver writes for `layers`, and the text writer's bytes (nil: it leaves the file to OGR).
    func both(_ layers: [LayerData], _ ext: String) throws -> (ogr: [UInt8], text: [UInt8]?) {
        let path = dir.appendingPathComponent("ogr-\(UUID().uuidString).\(ext)").path
        try VectorWriter.write(streams: layers.map(LayerStream.init), to: path, rowsDirect: true, viaOGR: true)
        let ogr = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let streams = layers.map(LayerStream.init)
        let text = ext == "kml" ? VectorText.kml(streams) : VectorText.geoJSON(streams[0])
        return (ogr, text)
    }

    func assertSame(_ layers: [LayerData], _ ext: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (ogr, text) = try both(layers, ext)
        guard let text else { return XCTFail("the text writer left this \(ext) to OGR", file: file, line: line) }
        if text != ogr {
            let k = (0..<min(text.count, ogr.count)).first { text[$0] != ogr[$0] } ?? min(text.count, ogr.count)
            let context = { (b: [UInt8]) in String(decoding: b[max(0, k - 80)..<min(b.count, k + 80)], as: UTF8.self) }
            XCTFail("\(ext) differs at byte \(k) (\(text.count) vs \(ogr.count) bytes)\ntext: \(context(text))\nOGR:  \(context(ogr))", file: file, line: line)
        }
    }

    /// Coverage polygons as the coverage command makes them: a mask polygonized on a UTM grid, in WGS84.
    func coveragePolygons() throws -> Geometry {
        let w = 90, h = 70
        var rng = SplitMix(seed: 7)
        var mask = [UInt8](repeating: 0, count: w * h)
        for r in 0..<h {
            for c in 0..<w {
                let dx = Double(c - 45), dy = Double(r - 35)
                let noise = Double(rng.next() % 1000) / 1000
                mask[r * w + c] = (dx * dx + dy * dy).squareRoot() < 25 + 8 * noise ? 1 : 0
            }
        }
        let polys = try Polygonize.regions(
            classes: mask, width: w, height: h,
            geoTransform: GeoTransform([713_000, 30, 0, 1_232_000, 0, -30]), crs: "EPSG:32648")
        return .multiPolygon(polys.flatMap { $0.geometry.polygons })
    }

    func testCoveragePolygonsAreWrittenAsGDALWritesThem() throws {
        var coverage = LayerData(
            name: "coverage",
            fields: [("operator", .string), ("technology", .string), ("threshold_dbm", .real), ("area_km2", .real)],
            geometryType: .multiPolygon)
        let g = try coveragePolygons()
        XCTAssertGreaterThan(g.polygons.count, 3)
        XCTAssertTrue(g.polygons.contains { $0.count > 1 }, "the mask should leave holes")
        coverage.append(g, [.string("Viettel"), .string("4G"), .real(-80), .real(357.7284)])
        coverage.append(g, [.string("VNPT"), .string("5G"), .real(-75.5), .real(0.1 + 0.2)])
        try assertSame([coverage], "geojson")
        try assertSame([coverage], "kml")
    }

    func testVillagesAndTextEscapes() throws {
        var coverage = LayerData(name: "coverage", fields: [("operator", .string), ("threshold_dbm", .real)], geometryType: .multiPolygon)
        coverage.append(try coveragePolygons(), [.string("Mobi<Fone> & \"co\""), .real(-95)])
        var villages = LayerData(
            name: "uncovered_villages",
            fields: [
                ("id", .string), ("name", .string), ("commune", .string), ("latitude", .real), ("longitude", .real),
                ("population", .integer), ("best_signal_dbm", .real), ("covered_4g_5g", .integer)
            ],
            geometryType: .point)
        villages.append(
            .point(Coordinate(107.2345678912345, 10.98765432198765)),
            [
                .string("V1"), .string("Thôn Đồng Tâm"), .string("  Xã Bình/Châu\ttab"), .real(10.98765432198765), .real(107.2345678912345),
                .integer(1234), .real(-101.25), .integer(0)
            ])
        villages.append(
            .point(Coordinate(107, 11)),
            [.string("V2"), .null, .string("line\nbreak\u{01}ctl"), .real(11), .real(107), .integer(-5), .null, .integer(1)])
        villages.append(
            .point(Coordinate(-107, 11.5)),
            [
                .string("V3"), .string(" lead"), .string("a\\b"), .real(1e-20), .real(123_456_789.123), .integer(Int(Int32.max) + 7),
                .real(0.30000000000000004), .integer(1)
            ])
        try assertSame([coverage, villages], "kml")
        try assertSame([villages], "kml")
        try assertSame([villages], "geojson")
        // An empty first layer, a layer with no rows, one with no fields.
        var bare = LayerData(name: "bare", fields: [], geometryType: .point)
        bare.append(.point(Coordinate(105.5, 21.25)), [])
        let empty = LayerData(name: "empty", fields: [("name", .string)], geometryType: .point)
        try assertSame([empty, villages, bare], "kml")
        try assertSame([empty], "kml")
        try assertSame([empty], "geojson")
        try assertSame([bare], "geojson")
        try assertSame([bare], "kml")
    }

    /// Numbers at the edges of the formatting rules: ties at the 7th decimal, GDAL's intelliround (runs of 0s and
    /// 9s), carries into a new digit, whole numbers, negative values, and a few thousand random positions.
    func testCoordinatesAtTheRoundingEdges() throws {
        var values: [Double] = [
            107.00390625, 107.01171875, -107.00390625, 11.00390625, 107.1000001, 107.1999999, 99.99999996, 9.99999999,
            107.10000000000001, 107.5, 107, 11, 1, -1, 1.5, 179, -179, 89, -89, 100.00000000000001, 99.999999999999986,
            12.345678949999999, 45.000000000000007, 1.0000000000000002, 107.99999999999999, 23.099999999999998,
            109.12345674999999, 109.12345675000001
        ]
        var rng = SplitMix(seed: 21)
        for _ in 0..<3000 {
            let u = Double(rng.next() >> 11) / Double(1 << 53)
            let scale = [1.0, 10.0, 100.0][Int(rng.next() % 3)]
            let v = (1 + u * 0.79) * scale // 1 … 179
            values.append(rng.next() % 2 == 0 ? v : -v)
            // Round to fewer decimals now and then: the runs of 0s and 9s intelliround looks for.
            let d = Double([1e3, 1e5, 1e7][Int(rng.next() % 3)])
            values.append((v * d).rounded() / d + Double(Int(rng.next() % 3) - 1) * 1e-9)
        }
        var points = LayerData(name: "points", fields: [("v", .real)], geometryType: .point)
        for k in stride(from: 0, to: values.count - 1, by: 2) {
            let x = min(max(values[k], -179), 179), y = min(max(values[k + 1], -89), 89)
            points.append(.point(Coordinate(x, y)), [.real(values[k])])
        }
        try assertSame([points], "geojson")
        try assertSame([points], "kml")
    }

    /// What the text writers do not reproduce goes to OGR, and the file is still GDAL's.
    func testWhatTheTextWritersLeaveToOGR() throws {
        var nearZero = LayerData(name: "near_zero", fields: [("v", .real)], geometryType: .point)
        nearZero.append(.point(Coordinate(0.5, 10)), [.real(1)])
        XCTAssertNil(VectorText.kml([LayerStream(nearZero)]), "|x| < 1 is OGR's fixed notation")
        XCTAssertNotNil(VectorText.geoJSON(LayerStream(nearZero)))
        try assertSame([nearZero], "geojson")

        var json = LayerData(name: "json", fields: [("s", .string)], geometryType: .point)
        json.append(.point(Coordinate(105, 10)), [.string("{\"a\": 1}")])
        XCTAssertNil(VectorText.geoJSON(LayerStream(json)), "text that looks like JSON is embedded as JSON by the driver")

        var polar = LayerData(name: "polar", fields: [], geometryType: .point)
        polar.append(.point(Coordinate(179.5, 10)), [])
        XCTAssertNil(VectorText.geoJSON(LayerStream(polar)))
        XCTAssertNil(VectorText.kml([LayerStream(polar)]))

        var oddName = LayerData(name: "odd name", fields: [], geometryType: .point)
        oddName.append(.point(Coordinate(105, 10)), [])
        XCTAssertNil(VectorText.geoJSON(LayerStream(oddName)))

        // Through VectorWriter, each of those files is OGR's.
        for (layer, ext) in [(nearZero, "kml"), (json, "geojson"), (polar, "geojson"), (polar, "kml")] {
            let a = dir.appendingPathComponent("a-\(layer.name).\(ext)").path, b = dir.appendingPathComponent("b-\(layer.name).\(ext)").path
            try VectorWriter.write([layer], to: a)
            try VectorWriter.write(streams: [LayerStream(layer)], to: b, rowsDirect: true, viaOGR: true)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a)), try Data(contentsOf: URL(fileURLWithPath: b)), "\(layer.name).\(ext)")
        }
    }

    /// The formatting primitives against glibc's printf on random doubles.
    func testDecimalTextMatchesPrintf() {
        var rng = SplitMix(seed: 3)
        for _ in 0..<20_000 {
            let bits = rng.next()
            // Doubles between 1 and 2^40, and halves, quarters, … that sit on rounding ties.
            let e = Double(Int(rng.next() % 40))
            var v = (1 + Double(bits >> 12) / Double(1 << 52)) * pow(2, e)
            if rng.next() % 4 == 0 { v = (v * 256).rounded() / 256 }
            if rng.next() % 2 == 0 { v = -v }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buf in
                let b = buf.baseAddress!
                if abs(v) < 1e8 {
                    let n = DecimalText.fixed(v, decimals: 7, into: b)
                    XCTAssertEqual(String(decoding: UnsafeBufferPointer(start: b, count: n), as: UTF8.self), VectorText.cFormat("%.7f", v), "\(v)")
                }
                if let n = DecimalText.g15(v, into: b) {
                    XCTAssertEqual(String(decoding: UnsafeBufferPointer(start: b, count: n), as: UTF8.self), VectorText.cFormat("%.15G", v), "\(v)")
                } else {
                    XCTFail("g15 refused \(v)")
                }
            }
        }
    }
}

/// A small seeded generator (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

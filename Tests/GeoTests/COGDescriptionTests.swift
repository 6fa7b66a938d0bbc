import Foundation
import XCTest

@testable import Geo

/// `COGDescription` turns a COG GDAL wrote into the one GDAL writes with another band description; GDAL's own file
/// is the reference, byte for byte.
final class COGDescriptionTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-cogdesc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func grid(width: Int, height: Int) -> RasterGrid {
        var values = [Float](repeating: -9999, count: width * height)
        for r in 0..<height {
            for c in 0..<width where (r * 7 + c * 3) % 11 != 0 {
                values[r * width + c] = -60 - Float(r) * 0.173 - Float(c) * 0.0917 + Float((r * c) % 13) * 0.25
            }
        }
        return RasterGrid(
            width: width, height: height, geoTransform: GeoTransform([731_190, 30, 0, 1_231_590, 0, -30]), crs: "EPSG:32648",
            nodata: -9999, values: values)
    }

    func write(_ g: RasterGrid, _ description: String, overviews: Bool) throws -> [UInt8] {
        let path = dir.appendingPathComponent("\(UUID().uuidString).tif").path
        try g.write(
            to: path, format: .cog, description: description, metadata: ["TANSO_MODEL": "itm", "UNITS": "dBm"], overviews: overviews)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func testAnotherDescriptionGivesGDALsOwnFile() throws {
        // Longer by one and by two bytes, shorter, the same length, tab and line feed, Vietnamese, long. (All
        // in dBm: the unit, a metadata item of its own, follows the description; `copy` checks that it stays.)
        let descriptions = [
            "best received power (dBm)", "best Viettel 4G signal (dBm)", "best VNPT 5G signal (dBm)", "x (dBm)",
            "best received power (dBm)!", "best-received-power (dBm)", "tab\tand\nlines (dBm)", "tín hiệu tốt nhất Đà Nẵng (dBm)",
            String(repeating: "long ", count: 60) + "(dBm)"
        ]
        var checked = 0
        for (w, h, overviews) in [(1346, 1345, true), (700, 530, true), (200, 150, false), (1346, 1345, false)] {
            let g = grid(width: w, height: h)
            let base = try write(g, descriptions[0], overviews: overviews)
            for d in descriptions.dropFirst() {
                let expected = try write(g, d, overviews: overviews)
                guard let made = COGDescription.replacingDescription(in: base, descriptions[0], with: d) else {
                    XCTFail("\(w)×\(h) \(overviews): no file for \"\(d)\"")
                    continue
                }
                XCTAssertEqual(made.count, expected.count, "\(w)×\(h) \(overviews) \"\(d)\"")
                XCTAssertTrue(made == expected, "\(w)×\(h) \(overviews) \"\(d)\": not GDAL's bytes")
                // And back again, from a file whose description was itself replaced.
                XCTAssertTrue(COGDescription.replacingDescription(in: made, d, with: descriptions[0]) == base)
                checked += 1
            }
        }
        XCTAssertEqual(checked, 32)
    }

    func testWhatItCannotDoIsLeftToGDAL() throws {
        let g = grid(width: 120, height: 90)
        let base = try write(g, "best received power (dBm)", overviews: true)
        XCTAssertNil(COGDescription.replacingDescription(in: base, "another description", with: "x"), "not this file's description")
        XCTAssertNil(COGDescription.replacingDescription(in: base, "best received power (dBm)", with: "bell \u{07}"), "GDAL drops control characters")
        XCTAssertNil(
            COGDescription.replacingDescription(in: base, "best received power (dBm)", with: "say \"quoted\""),
            "GDAL escapes quotes its own way")
        XCTAssertNil(COGDescription.replacingDescription(in: base, "best received power (dBm)", with: "AT&T 4G (dBm)"))
        var bigEndian = base
        bigEndian[0] = 0x4D
        bigEndian[1] = 0x4D
        XCTAssertNil(COGDescription.replacingDescription(in: bigEndian, "best received power (dBm)", with: "x"))
        XCTAssertNil(COGDescription.replacingDescription(in: Array(base.prefix(300)), "best received power (dBm)", with: "x"), "a cut file")
        // `copy` writes nothing then.
        let source = dir.appendingPathComponent("source.tif").path, target = dir.appendingPathComponent("target.tif").path
        try Data(base).write(to: URL(fileURLWithPath: source))
        XCTAssertFalse(try COGDescription.copy(source, to: target, description: "not it (dBm)", new: "x (dBm)"))
        XCTAssertFalse(try COGDescription.copy(source, to: target, description: "best received power (dBm)", new: "x"), "the unit would change")
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))
        XCTAssertTrue(try COGDescription.copy(source, to: target, description: "best received power (dBm)", new: "best Bench 4G signal (dBm)"))
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: target))), try write(g, "best Bench 4G signal (dBm)", overviews: true))
    }
}

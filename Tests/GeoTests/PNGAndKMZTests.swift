import XCTest
import Foundation
@testable import Geo
import CGDAL

/// `PNGEncoder` and the KMZ super-overlay, checked by reading their files back with GDAL (its PNG driver, libpng,
/// and its KMLSUPEROVERLAY driver): what another program sees, not what the writer meant.
final class PNGAndKMZTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-png-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Every pixel of an RGBA dataset GDAL opens, interleaved.
    func readRGBA(_ path: String) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        GDALEnvironment.ensure()
        guard let ds = GDALOpen(path, GA_ReadOnly) else { throw GDALEnvironment.error("open", path) }
        defer { GDALClose(ds) }
        let w = Int(GDALGetRasterXSize(ds)), h = Int(GDALGetRasterYSize(ds))
        XCTAssertEqual(GDALGetRasterCount(ds), 4, path)
        var px = [UInt8](repeating: 0, count: 4 * w * h)
        let err = px.withUnsafeMutableBytes {
            GDALDatasetRasterIO(ds, GF_Read, 0, 0, Int32(w), Int32(h), $0.baseAddress, Int32(w), Int32(h), GDT_Byte, 4, nil, 4, Int32(4 * w), 1)
        }
        XCTAssertEqual(err, CE_None)
        return (w, h, px)
    }

    /// An image with every byte value in every channel, runs of one colour and transparent pixels.
    func sampleImage(width: Int, height: Int) -> RGBAImage {
        var img = RGBAImage(width: width, height: height, fill: (10, 20, 30, 255))
        var state: UInt32 = 12345
        for i in 0..<(width * height) {
            state = state &* 1_103_515_245 &+ 12345
            if (i / width) % 3 == 0 { continue } // every third row stays one colour
            img.pixels[4 * i] = UInt8(truncatingIfNeeded: state >> 24)
            img.pixels[4 * i + 1] = UInt8(truncatingIfNeeded: state >> 16)
            img.pixels[4 * i + 2] = UInt8(truncatingIfNeeded: i)
            img.pixels[4 * i + 3] = i % 7 == 0 ? 0 : UInt8(truncatingIfNeeded: state >> 8)
        }
        return img
    }

    func testEveryFilterDecodesToTheSamePixels() throws {
        // Odd sizes, a single row and a single column: the filters' edges (no pixel to the left, no row above).
        for (w, h) in [(37, 23), (1, 9), (9, 1), (256, 256)] {
            let img = sampleImage(width: w, height: h)
            for filter in PNGEncoder.Filter.allCases {
                for level in [1, 6] {
                    let png = try PNGEncoder.encode(rgba: img.pixels, width: w, height: h, filter: filter, level: level)
                    let path = dir.appendingPathComponent("f\(filter.rawValue)-\(level)-\(w)x\(h).png").path
                    try Data(png).write(to: URL(fileURLWithPath: path))
                    let back = try readRGBA(path)
                    XCTAssertEqual(back.width, w)
                    XCTAssertEqual(back.height, h)
                    XCTAssertEqual(back.pixels, img.pixels, "\(filter) level \(level) \(w)×\(h)")
                }
            }
        }
    }

    func testCRCIsTheStandardOne() {
        // The check value of CRC-32 (ISO 3309 / ITU-T V.42): "123456789" → 0xCBF43926.
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum([UInt8]()), 0)
        // PNG's own IEND chunk always ends with the CRC of "IEND": AE 42 60 82.
        XCTAssertEqual(CRC32.checksum(Array("IEND".utf8)), 0xAE42_6082)
    }

    func testImagesAreFilledWithTheirColour() {
        let img = RGBAImage(width: 3, height: 2, fill: (1, 2, 3, 4))
        XCTAssertEqual(img.pixels, Array(repeating: [1, 2, 3, 4] as [UInt8], count: 6).flatMap { $0 })
        XCTAssertEqual(RGBAImage(width: 0, height: 5).pixels, [])
    }

    func testBadSizesAreRefused() {
        XCTAssertThrowsError(try PNGEncoder.encode(rgba: [0, 0, 0], width: 1, height: 1))
        XCTAssertThrowsError(try PNGEncoder.encode(rgba: [], width: 0, height: 0))
    }

    func testWritePNGIsAtomicAndReadable() throws {
        let img = sampleImage(width: 50, height: 40)
        let path = dir.appendingPathComponent("map.png").path
        try img.writePNG(to: path)
        XCTAssertEqual(try readRGBA(path).pixels, img.pixels)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("partial") }
        XCTAssertEqual(left, [])
    }

    /// A 700 × 600 image in UTM 48N (30 m cells near Xuân Lộc), its left 300 columns transparent, the rest in coloured
    /// stripes of 50 columns: the KMZ opens in GDAL as a WGS 84 raster over the image's box, its pyramid has the
    /// levels a 700-pixel image needs, the transparent third has no tiles, and GDAL reads each stripe's colour back
    /// at its place (the point 25 columns into the stripe, converted by PROJ).
    func testKMZOpensInGDALWithItsPixelsInPlace() throws {
        let w = 700, h = 600
        var img = RGBAImage(width: w, height: h, fill: (0, 0, 0, 0))
        func colour(_ stripe: Int) -> (UInt8, UInt8, UInt8) { (UInt8(40 * stripe % 256), UInt8(255 - 15 * stripe), 100) }
        for r in 0..<h { for c in 300..<w { img.set(c, r, colour(c / 50)) } }
        let gt = GeoTransform(originX: 720_000, originY: 1_215_000, pixelWidth: 30, pixelHeight: 30)
        let path = dir.appendingPathComponent("signal.kmz").path
        try img.writeKMZ(to: path, geoTransform: gt, crs: "EPSG:32648", name: "best <signal> & more")

        // The archive: doc.kml first, the tiles' PNGs stored, their documents compressed.
        let listing = try zipListing(path)
        XCTAssertEqual(listing.first?.name, "doc.kml")
        XCTAssertTrue(listing.filter { $0.name.hasSuffix(".png") }.allSatisfy { $0.stored })
        // About 700 × 600 warped pixels → levels 0 (one tile), 1 (2 × 2 tiles of 512 pixels) and 2 (3 × 3 of 256).
        // The image's left 300 columns are transparent: level 2's left column of tiles (warped columns 0–255; the
        // UTM grid turns by under 0.5° here, 5 pixels over the height) is left out, and nothing links to it.
        let pngs = Set(listing.map(\.name).filter { $0.hasSuffix(".png") })
        XCTAssertEqual(Set(pngs.filter { $0.hasPrefix("0/") }), Set(["0/0/0.png"]))
        XCTAssertEqual(pngs.filter { $0.hasPrefix("1/") }.count, 4)
        XCTAssertEqual(Set(pngs.filter { $0.hasPrefix("2/") }), Set(["2/1/0.png", "2/2/0.png", "2/1/1.png", "2/2/1.png", "2/1/2.png", "2/2/2.png"]))
        XCTAssertEqual(listing.count, 1 + 2 * 11)

        // GDAL's reader: a WGS 84 raster covering the image's box.
        let back = try readRGBA("/vsizip/\(path)/doc.kml")
        guard let ds = GDALOpen("/vsizip/\(path)/doc.kml", GA_ReadOnly) else { throw GDALEnvironment.error("open", path) }
        var kgt = [Double](repeating: 0, count: 6)
        XCTAssertEqual(GDALGetGeoTransform(ds, &kgt), CE_None)
        let name = String(cString: GDALGetMetadataItem(ds, "NAME", nil))
        GDALClose(ds)
        XCTAssertEqual(name, "best <signal> & more")
        let toDegrees = try CoordinateTransform(from: "EPSG:32648", to: "EPSG:4326")
        let nw = try toDegrees.transform(x: 720_000, y: 1_215_000), se = try toDegrees.transform(x: 720_000 + 30.0 * Double(w), y: 1_215_000 - 30.0 * Double(h))
        XCTAssertEqual(kgt[0], nw.x, accuracy: 0.002) // the box's west edge is the outline's westmost point
        XCTAssertEqual(kgt[3], nw.y, accuracy: 0.002)
        XCTAssertEqual(kgt[0] + kgt[1] * Double(back.width), se.x, accuracy: 0.002)
        XCTAssertEqual(kgt[3] + kgt[5] * Double(back.height), se.y, accuracy: 0.002)
        // Square pixels keeping the image's diagonal pixel count: within 1 % of 700 × 600.
        XCTAssertEqual(Double(back.width * back.width + back.height * back.height).squareRoot(), (700.0 * 700 + 600 * 600).squareRoot(), accuracy: 10)

        // Each stripe's colour at the stripe's middle, a third of the way down; transparency on the left.
        for stripe in 6..<14 {
            let x = 720_000 + 30 * (Double(stripe * 50) + 25.5), y = 1_215_000 - 30 * 200.5
            let p = try toDegrees.transform(x: x, y: y)
            let col = Int((p.x - kgt[0]) / kgt[1]), row = Int((p.y - kgt[3]) / kgt[5])
            let i = 4 * (row * back.width + col)
            let c = colour(stripe)
            XCTAssertEqual(Array(back.pixels[i..<(i + 4)]), [c.0, c.1, c.2, 255], "stripe \(stripe)")
        }
        let p = try toDegrees.transform(x: 720_000 + 30 * 100.5, y: 1_215_000 - 30 * 300.5)
        let i = 4 * (Int((p.y - kgt[3]) / kgt[5]) * back.width + Int((p.x - kgt[0]) / kgt[1]))
        XCTAssertEqual(back.pixels[i + 3], 0, "the transparent left")
    }

    /// An overlay across the antimeridian (UTM 60N, 179.9°E–180.1°E at 10°N) keeps one box east of 180°, and its
    /// pixels land on both sides: the box's east edge is past 180°, its width a few kilometres, not the world.
    func testKMZAcrossTheAntimeridianStaysOneBox() throws {
        let toUTM = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:32660")
        let origin = try toUTM.transform(x: 179.95, y: 10.05)
        let img = RGBAImage(width: 400, height: 400, fill: (200, 30, 30, 255))
        let gt = GeoTransform(originX: origin.x, originY: origin.y, pixelWidth: 30, pixelHeight: 30) // 12 km square
        let path = dir.appendingPathComponent("across.kmz").path
        try img.writeKMZ(to: path, geoTransform: gt, crs: "EPSG:32660", name: "across")
        guard let ds = GDALOpen("/vsizip/\(path)/doc.kml", GA_ReadOnly) else { throw GDALEnvironment.error("open", path) }
        var kgt = [Double](repeating: 0, count: 6)
        XCTAssertEqual(GDALGetGeoTransform(ds, &kgt), CE_None)
        let width = Int(GDALGetRasterXSize(ds))
        GDALClose(ds)
        let west = kgt[0], east = kgt[0] + kgt[1] * Double(width)
        XCTAssertEqual(west, 179.95, accuracy: 0.01)
        XCTAssertGreaterThan(east, 180.0)
        XCTAssertLessThan(east - west, 0.2)
    }

    /// The entries of a ZIP file and whether each is stored (method 0), from its central directory.
    func zipListing(_ path: String) throws -> [(name: String, stored: Bool)] {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func u16(_ o: Int) -> Int { Int(data[o]) | Int(data[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        guard let end = stride(from: data.count - 22, through: 0, by: -1).first(where: { u32($0) == 0x0605_4B50 }) else {
            XCTFail("no end of central directory"); return []
        }
        var o = u32(end + 16), out: [(String, Bool)] = []
        for _ in 0..<u16(end + 10) {
            XCTAssertEqual(u32(o), 0x0201_4B50)
            let method = u16(o + 10), nameLength = u16(o + 28), extra = u16(o + 30), comment = u16(o + 32)
            out.append((String(decoding: data[(o + 46)..<(o + 46 + nameLength)], as: UTF8.self), method == 0))
            o += 46 + nameLength + extra + comment
        }
        return out
    }
}

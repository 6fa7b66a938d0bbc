// PNG encoding of 8-bit RGBA images (ISO/IEC 15948): each row filtered, the whole compressed by GDAL's zlib-format
// DEFLATE (CPLZLibDeflate, on libdeflate where GDAL has it), chunks with their CRC-32.
//
// GDAL's PNG driver (libpng and zlib) is what `RGBAImage` used to write through: scenario A's 673 × 672 map took
// 36 ms there at zlib level 1 (456 KB) and takes 10 ms here (381 KB); GDAL's KMZ writer, which cannot be asked for
// another level than 6, spent about half of its 0.2 CPU s in zlib (benchmarks/README.md, round 19). PNG is
// lossless: any decoder gives back the same pixels (the tests decode with GDAL).
import CGDAL
import Foundation

public enum PNGEncoder {
    /// Row filters (PNG filter types 0–4).
    public enum Filter: UInt8, Sendable, CaseIterable {
        case none = 0, sub = 1, up = 2, average = 3, paeth = 4
    }

    /// The PNG file of an RGBA image (`pixels`: width × height × 4 bytes, top row first). Every row takes `filter`
    /// (Up by default: on maps and overlays, areas of one colour repeat from row to row), compressed at DEFLATE
    /// `level` (1–9).
    public static func encode(
        rgba pixels: [UInt8], width: Int, height: Int, filter: Filter = .up, level: Int = 1
    ) throws -> [UInt8] {
        guard width > 0, height > 0, width < 1 << 30, height < 1 << 30, pixels.count == width * height * 4 else {
            throw GeoError(
                operation: "encode PNG", message: "an image of \(width) × \(height) needs \(width * height * 4) bytes, got \(pixels.count)")
        }
        let filtered = Self.filtered(pixels, width: width, height: height, filter: filter)
        var idat = [UInt8]()
        try filtered.withUnsafeBytes { src in
            // DEFLATE's worst case is a few bytes per 16 KB block over the input: the bound leaves ample room.
            let capacity = src.count + src.count / 8 + 1024
            idat = try [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
                var written = 0
                guard CPLZLibDeflate(src.baseAddress, src.count, Int32(level), out.baseAddress, capacity, &written) != nil else {
                    count = 0
                    throw GeoError(operation: "encode PNG", message: "DEFLATE failed (GDAL's CPLZLibDeflate)")
                }
                count = written
            }
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png.reserveCapacity(idat.count + 64)
        var header = [UInt8]()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header += [8, 6, 0, 0, 0] // bit depth 8, colour type 6 (RGBA), deflate, adaptive filtering, no interlace
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", idat, to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    /// The rows, each behind its filter-type byte, filtered as PNG defines (bytes of the pixel to the left, `a`,
    /// above, `b`, and above-left, `c`; zero outside the image).
    static func filtered(_ p: [UInt8], width: Int, height: Int, filter: Filter) -> [UInt8] {
        let rowBytes = 4 * width, stride = rowBytes + 1
        return [UInt8](unsafeUninitializedCapacity: stride * height) { out, count in
            p.withUnsafeBufferPointer { src in
                for y in 0..<height {
                    let row = src.baseAddress! + y * rowBytes
                    let above: UnsafePointer<UInt8>? = y > 0 ? row - rowBytes : nil
                    let o = out.baseAddress! + y * stride
                    o[0] = filter.rawValue
                    let d = o + 1
                    switch filter {
                    case .none:
                        d.update(from: row, count: rowBytes)
                    case .sub:
                        for i in 0..<min(4, rowBytes) { d[i] = row[i] }
                        for i in 4..<max(4, rowBytes) { d[i] = row[i] &- row[i - 4] }
                    case .up:
                        if let above {
                            for i in 0..<rowBytes { d[i] = row[i] &- above[i] }
                        } else {
                            d.update(from: row, count: rowBytes)
                        }
                    case .average:
                        for i in 0..<rowBytes {
                            let a = i >= 4 ? Int(row[i - 4]) : 0, b = above.map { Int($0[i]) } ?? 0
                            d[i] = row[i] &- UInt8((a + b) / 2)
                        }
                    case .paeth:
                        for i in 0..<rowBytes {
                            let a = i >= 4 ? Int(row[i - 4]) : 0, b = above.map { Int($0[i]) } ?? 0
                            let c = i >= 4 ? (above.map { Int($0[i - 4]) } ?? 0) : 0
                            d[i] = row[i] &- UInt8(paeth(a, b, c))
                        }
                    }
                }
            }
            count = stride * height
        }
    }

    /// PNG's Paeth predictor: of a, b and c, the one nearest to a + b − c (ties in that order).
    @inline(__always) static func paeth(_ a: Int, _ b: Int, _ c: Int) -> Int {
        let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
    }

    /// Appends a chunk: its length, type, data and the CRC-32 of type and data.
    static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        png.appendBigEndian(UInt32(data.count))
        let start = png.count
        png += Array(type.utf8)
        png += data
        png.appendBigEndian(CRC32.checksum(png[start...]))
    }
}

/// CRC-32 (ISO 3309, the polynomial of PNG, ZIP and gzip; reflected, 0xEDB88320), a byte at a time by table.
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var c: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { t in
            for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        return c ^ 0xFFFF_FFFF
    }
}

extension [UInt8] {
    mutating func appendBigEndian(_ v: UInt32) {
        append(UInt8(v >> 24)); append(UInt8((v >> 16) & 0xFF)); append(UInt8((v >> 8) & 0xFF)); append(UInt8(v & 0xFF))
    }
}

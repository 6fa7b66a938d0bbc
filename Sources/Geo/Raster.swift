// Raster read/write through GDAL: any format GDAL opens, windowed reads, nodata, any CRS; Float32 GeoTIFF and
// COG output with nodata and georeferencing.
import CGDAL
import Foundation

/// Affine georeferencing, GDAL's six coefficients: x = gt0 + col·gt1 + row·gt2, y = gt3 + col·gt4 + row·gt5,
/// at pixel corners (col, row = 0 at the top-left corner of the top-left pixel).
public struct GeoTransform: Sendable, Equatable {
    public var coefficients: [Double]

    public init(_ coefficients: [Double]) {
        precondition(coefficients.count == 6)
        self.coefficients = coefficients
    }

    /// North-up grid: top-left corner (originX, originY), pixel size (pixelWidth > 0, pixelHeight > 0 going down).
    public init(originX: Double, originY: Double, pixelWidth: Double, pixelHeight: Double) {
        coefficients = [originX, pixelWidth, 0, originY, 0, -pixelHeight]
    }

    public var originX: Double { coefficients[0] }
    public var originY: Double { coefficients[3] }
    public var pixelWidth: Double { coefficients[1] }
    /// Positive for north-up grids.
    public var pixelHeight: Double { -coefficients[5] }
    public var isNorthUp: Bool { coefficients[2] == 0 && coefficients[4] == 0 }

    /// Map coordinates of a fractional pixel position (corners at integers; centres at +0.5).
    @inlinable
    public func map(col: Double, row: Double) -> (x: Double, y: Double) {
        (
            coefficients[0] + col * coefficients[1] + row * coefficients[2],
            coefficients[3] + col * coefficients[4] + row * coefficients[5]
        )
    }

    /// Fractional pixel position of map coordinates (inverse of `map`).
    @inlinable
    public func pixel(x: Double, y: Double) -> (col: Double, row: Double) {
        let c = coefficients
        let det = c[1] * c[5] - c[2] * c[4]
        let dx = x - c[0], dy = y - c[3]
        return ((dx * c[5] - dy * c[2]) / det, (dy * c[1] - dx * c[4]) / det)
    }
}

/// A single-band Float32 grid in memory with its georeferencing. Values equal to `nodata` (or NaN) are missing.
public struct RasterGrid: Sendable {
    public var width: Int
    public var height: Int
    public var geoTransform: GeoTransform
    /// CRS as WKT (or any string GDAL's SetProjection / OSRSetFromUserInput accepts, e.g. "EPSG:4326").
    public var crs: String
    public var nodata: Float?
    /// Row-major, top row first.
    public var values: [Float]

    public init(width: Int, height: Int, geoTransform: GeoTransform, crs: String, nodata: Float?, values: [Float]) {
        precondition(values.count == width * height, "values must hold width × height cells")
        self.width = width
        self.height = height
        self.geoTransform = geoTransform
        self.crs = crs
        self.nodata = nodata
        self.values = values
    }

    public init(width: Int, height: Int, geoTransform: GeoTransform, crs: String, nodata: Float?, fill: Float) {
        self.init(
            width: width, height: height, geoTransform: geoTransform, crs: crs, nodata: nodata,
            values: [Float](repeating: fill, count: width * height))
    }

    @inlinable public subscript(col: Int, row: Int) -> Float {
        get { values[row * width + col] }
        set { values[row * width + col] = newValue }
    }

    @inlinable public func isMissing(_ v: Float) -> Bool { v.isNaN || (nodata.map { v == $0 } ?? false) }

    /// Value at map coordinates (nearest cell), nil outside the grid or on nodata.
    public func value(atX x: Double, y: Double) -> Float? {
        let p = geoTransform.pixel(x: x, y: y)
        let col = Int(floor(p.col)), row = Int(floor(p.row))
        guard col >= 0, row >= 0, col < width, row < height else { return nil }
        let v = self[col, row]
        return isMissing(v) ? nil : v
    }
}

/// An open GDAL raster dataset (read-only). One handle per task: GDAL handles are not thread-safe.
public final class RasterDataset: @unchecked Sendable {
    let handle: GDALDatasetH
    public let path: String
    public let width: Int
    public let height: Int
    public let bandCount: Int
    public let geoTransform: GeoTransform
    /// CRS as WKT ("" when the file has none).
    public let crs: String

    /// Opens any raster GDAL reads. Compressed single files are opened through GDAL's virtual file systems:
    /// `x.hgt.gz` (or any `.gz`) as `/vsigzip/x.hgt.gz`, `x.zip` as `/vsizip/x.zip`.
    ///
    /// `decodeThreads` above 1 lets GDAL decode the compressed blocks of one read on that many threads (GTiff's
    /// multi-threaded decoding, `GDAL_NUM_THREADS`, set for this open only); the values are the same.
    public init(path: String, decodeThreads: Int = 1) throws {
        GDALEnvironment.ensure()
        guard FileManager.default.fileExists(atPath: path) || path.hasPrefix("/vsi") else {
            throw GeoError(operation: "open raster", path: path, message: "no such file")
        }
        var gdalPath = path
        if !path.hasPrefix("/vsi") {
            if path.lowercased().hasSuffix(".gz") { gdalPath = "/vsigzip/" + path } else if path.lowercased().hasSuffix(".zip") { gdalPath = "/vsizip/" + path }
        }
        let open = { GDALOpenEx(gdalPath, UInt32(GDAL_OF_RASTER | GDAL_OF_READONLY), nil, nil, nil) }
        let opened = decodeThreads > 1 ? GDALEnvironment.withThreadSetting("GDAL_NUM_THREADS", String(decodeThreads), open) : open()
        guard let h = opened else {
            throw GDALEnvironment.error("open raster", path, fallback: "not a raster GDAL can read")
        }
        handle = h
        self.path = path
        width = Int(GDALGetRasterXSize(h))
        height = Int(GDALGetRasterYSize(h))
        bandCount = Int(GDALGetRasterCount(h))
        var gt = [Double](repeating: 0, count: 6)
        if GDALGetGeoTransform(h, &gt) != CE_None {
            CPLErrorReset()
            gt = [0, 1, 0, 0, 0, 1] // GDAL's default for ungeoreferenced rasters
        }
        geoTransform = GeoTransform(gt)
        crs = GDALGetProjectionRef(h).map { String(cString: $0) } ?? ""
    }

    deinit { GDALClose(handle) }

    /// The files GDAL takes for this dataset (`GDALGetFileList`): the raster and any sidecar it picks up (.aux.xml,
    /// .ovr, or metadata a reader recognises by name beside it, as the ALOS reader takes a `summary.txt`). GDAL's
    /// copy, move and delete of the dataset act on all of them.
    public var files: [String] {
        guard let list = GDALGetFileList(handle) else { return [] }
        defer { CSLDestroy(list) }
        var out: [String] = []
        var i = 0
        while let p = list[i] {
            out.append(String(cString: p))
            i += 1
        }
        return out
    }

    /// The band's unit type (`GDALGetRasterUnitType`, e.g. "dBm", "m"; "" when unset).
    public func unit(band: Int = 1) throws -> String {
        let b = try bandHandle(band)
        return GDALGetRasterUnitType(b).map { String(cString: $0) } ?? ""
    }

    /// The band's description ("" when unset).
    public func bandDescription(band: Int = 1) throws -> String {
        let b = try bandHandle(band)
        return GDALGetDescription(b).map { String(cString: $0) } ?? ""
    }

    /// The band's nodata value, if it has one.
    public func nodata(band: Int = 1) throws -> Double? {
        let b = try bandHandle(band)
        var has: Int32 = 0
        let v = GDALGetRasterNoDataValue(b, &has)
        return has != 0 ? v : nil
    }

    /// Reads a window of one band as Float32 (row-major). Nodata stays as the file's nodata value, unless
    /// `nodataToNaN` is set, in which case nodata cells become NaN.
    public func read(
        band: Int = 1, col: Int = 0, row: Int = 0, width w: Int? = nil, height h: Int? = nil,
        nodataToNaN: Bool = false
    ) throws -> [Float] {
        let w = w ?? width - col, h = h ?? height - row
        guard col >= 0, row >= 0, w > 0, h > 0, col + w <= width, row + h <= height else {
            throw GeoError(
                operation: "read window", path: path,
                message: "window (col \(col), row \(row), \(w)×\(h)) is outside the \(width)×\(height) raster")
        }
        let b = try bandHandle(band)
        var out = [Float](repeating: 0, count: w * h)
        let err = out.withUnsafeMutableBytes { buf in
            GDALRasterIO(
                b, GF_Read, Int32(col), Int32(row), Int32(w), Int32(h), buf.baseAddress,
                Int32(w), Int32(h), GDT_Float32, 0, 0)
        }
        guard err == CE_None else { throw GDALEnvironment.error("read raster", path) }
        if nodataToNaN, let nd = try nodata(band: band) {
            let ndf = Float(nd)
            for i in 0..<out.count where out[i] == ndf { out[i] = .nan }
        }
        return out
    }

    /// Reads a whole band into a grid (nodata preserved as the grid's nodata).
    public func readGrid(band: Int = 1) throws -> RasterGrid {
        let nd = try nodata(band: band)
        return RasterGrid(
            width: width, height: height, geoTransform: geoTransform, crs: crs,
            nodata: nd.map { Float($0) }, values: try read(band: band))
    }

    private func bandHandle(_ band: Int) throws -> GDALRasterBandH {
        guard band >= 1, band <= bandCount, let b = GDALGetRasterBand(handle, Int32(band)) else {
            throw GeoError(operation: "read band \(band)", path: path, message: "the raster has \(bandCount) band(s)")
        }
        return b
    }
}

/// How a product raster stores its cells. Measures (dBm, metres) are Float32; whole numbers (a server's index, a
/// count) are integers, compressed with the integer predictor, and their overviews take the nearest cell (the
/// default cubic overview of indices would invent servers between two neighbours).
public enum RasterCellType: Sendable {
    case float32, int32, uint16

    var gdalType: GDALDataType {
        switch self {
        case .float32: return GDT_Float32
        case .int32: return GDT_Int32
        case .uint16: return GDT_UInt16
        }
    }
}

public enum RasterFormat: Sendable {
    /// Tiled, DEFLATE-compressed GeoTIFF.
    case geoTIFF
    /// Cloud-optimised GeoTIFF (GDAL's COG driver, with overviews).
    case cog
}

extension RasterGrid {
    /// Writes the grid as a GeoTIFF or COG of `cells` (Float32 unless said), atomically (temporary file, then
    /// rename). The band's unit type is `unit`, or "dBm" when the description says "(dBm)" (tanso's received-power
    /// layers), so that readers such as `tanso villages` can tell a dBm raster from a DEM.
    /// A COG gets overviews unless `overviews` is false (they are most of its writing time).
    public func write(
        to path: String, format: RasterFormat = .geoTIFF, cells: RasterCellType = .float32, description: String? = nil,
        unit: String? = nil, metadata: [String: String] = [:], overviews: Bool = true
    ) throws {
        GDALEnvironment.ensure()
        let unitType = RasterGrid.unitType(unit, description: description)
        let mem = try makeMemoryDataset(bands: [(values, nodata, description)], type: cells, metadata: metadata, unit: unitType)
        try RasterGrid.copy(mem, to: path, format: format, cells: cells, overviews: overviews)
    }

    /// The unit written with a band: the given one, else dBm when the description says "(dBm)".
    static func unitType(_ unit: String?, description: String?) -> String? {
        unit ?? (description?.contains("(dBm)") == true ? "dBm" : nil)
    }

    /// Writes `source` as a product file (COG or tiled GeoTIFF, DEFLATE), atomically.
    static func copy(_ source: OwnedDataset, to path: String, format: RasterFormat, cells: RasterCellType = .float32, overviews: Bool) throws {
        let out = try AtomicOutput(path: path)
        let driverName = format == .cog ? "COG" : "GTiff"
        guard let driver = GDALGetDriverByName(driverName) else {
            throw GeoError(kind: .driver, operation: "find driver", message: "GDAL has no \(driverName) driver")
        }
        // DEFLATE at level 1 with the floating-point predictor: level 6, GDAL's default, made files 7 % smaller
        // but took 50 ms more on a 1143 × 605 grid, as long as a whole line-of-sight engine run
        // (benchmarks/README.md, "Line of sight as a command").
        // Whole numbers: the integer (horizontal) predictor. Overviews by nearest cell for every layer: each of
        // their cells is a cell of the grid, never a blend (GDAL's default, cubic, turned server indices 0 and 7 into
        // 3 or −1.2, and blends dB values across the coverage edge into values no cell has). It is also the
        // cheapest: scenario A with Hata, its two Float32 COGs with overviews, 10 alternating runs: 0.625 → 0.555
        // CPU s (benchmarks/README.md, round 19).
        let whole = cells != .float32
        let options = CStringList(
            format == .cog
                ? ["COMPRESS=DEFLATE", "LEVEL=1", "PREDICTOR=YES", overviews ? "OVERVIEWS=AUTO" : "OVERVIEWS=NONE", "RESAMPLING=NEAREST"]
                : ["COMPRESS=DEFLATE", "ZLEVEL=1", whole ? "PREDICTOR=2" : "PREDICTOR=3", "TILED=YES"])
        // The COG driver computes the overviews into a temporary GeoTIFF beside the output and copies their
        // tiles from it; by default that file is ZSTD-compressed, then read back, then compressed again in the
        // product. Left uncompressed (GDAL's `COG_TMP_COMPRESSION`, for this thread only), a Float32 COG of
        // scenario A is written in 0.25 s instead of 0.28 s, the same to the byte. (A whole-number raster's
        // nearest-cell overviews may then take other cells at their second level: 38 of scenario A's 113,000
        // server-count cells there, at the coverage edge.)
        let ds = try GDALEnvironment.withThreadSetting("COG_TMP_COMPRESSION", "NONE") {
            try OwnedDataset.copy(source, driver: driver, to: out.temporaryPath, options: options, operation: "write raster", reportedPath: path)
        }
        try ds.close(operation: "write raster", path: path)
        try out.commit()
    }

    /// A GDAL MEM dataset holding bands of this grid's shape, of cells `type` (the values are whole numbers when
    /// it is an integer type).
    func makeMemoryDataset(
        bands: [(values: [Float], nodata: Float?, description: String?)], type: RasterCellType = .float32,
        metadata: [String: String] = [:], unit: String? = nil
    ) throws -> OwnedDataset {
        for (i, band) in bands.enumerated() { try RasterGrid.checkFinite(band.values, width: width, band: i + 1) }
        let mem = try OwnedDataset.memoryRaster(
            width: width, height: height, bands: bands.count, type: type.gdalType,
            operation: "create in-memory raster")
        try RasterGrid.describe(
            mem, geoTransform: geoTransform, crs: crs, bands: bands.map { ($0.nodata, $0.description) }, metadata: metadata, unit: unit)
        for (i, band) in bands.enumerated() {
            let b = try mem.band(i + 1, operation: "fill in-memory raster")
            // GDAL only reads the buffer of a write: the values are passed as they are, not copied into a
            // mutable array first (7 MB of fresh pages per layer of scenario A).
            let err = band.values.withUnsafeBytes { buf in
                GDALRasterIO(
                    b, GF_Write, 0, 0, Int32(width), Int32(height), UnsafeMutableRawPointer(mutating: buf.baseAddress),
                    Int32(width), Int32(height), GDT_Float32, 0, 0)
            }
            try GDALEnvironment.check(err, "fill in-memory raster")
        }
        return mem
    }
}

extension RasterGrid {
    /// Georeferences a new dataset and sets its metadata and each band's nodata, description and unit.
    static func describe(
        _ ds: OwnedDataset, geoTransform: GeoTransform, crs: String, bands: [(nodata: Float?, description: String?)],
        metadata: [String: String], unit: String?
    ) throws {
        var gt = geoTransform.coefficients
        try GDALEnvironment.check(GDALSetGeoTransform(ds.raw, &gt), "georeference raster")
        if !crs.isEmpty {
            let wkt = try SpatialReference.wkt(of: crs)
            try GDALEnvironment.check(GDALSetProjection(ds.raw, wkt), "set CRS of raster", kind: .projection)
        }
        for (k, v) in metadata {
            try GDALEnvironment.check(GDALSetMetadataItem(ds.raw, k, v, nil), "set metadata item '\(k)'")
        }
        for (i, band) in bands.enumerated() {
            let b = try ds.band(i + 1, operation: "describe raster")
            if let nd = band.nodata {
                try GDALEnvironment.check(GDALSetRasterNoDataValue(b, Double(nd)), "set nodata of band \(i + 1)")
            }
            if let d = band.description { GDALSetDescription(b, d) }
            if let unit { try GDALEnvironment.check(GDALSetRasterUnitType(b, unit), "set unit of band \(i + 1)") }
        }
    }

    /// A product holds numbers or the band's nodata value, never NaN or infinity (which readers take for data, or
    /// drop without a word): the first non-finite cell stops the write, named by band, row and column.
    static func checkFinite(_ values: [Float], width: Int, band: Int, firstRow: Int = 0) throws {
        // A vectorisable scan first (no branch per cell); the slow search only when something is wrong.
        var allFinite = true
        values.withUnsafeBufferPointer { buf in
            var acc: Float = 0
            for v in buf { acc += v - v } // NaN or ±inf makes v − v NaN
            allFinite = acc == 0
        }
        guard !allFinite, let i = values.firstIndex(where: { !$0.isFinite }) else { return }
        throw GeoError(
            operation: "write raster",
            message: "band \(band) has a non-finite value (\(values[i])) at row \(firstRow + i / max(width, 1)), column \(i % max(width, 1)); "
                + "missing cells must carry the band's nodata value")
    }
}

/// Mosaics of many raster tiles as a GDAL VRT (no pixels copied).
public enum RasterMosaic {
    /// Writes a VRT at `path` that mosaics `sources` (same CRS and band layout). Cells covered by no tile are
    /// nodata (`nodata`, default −32768), so a missing tile shows up as missing elevation, never as sea level.
    public static func buildVRT(sources: [String], to path: String, nodata: Double = -32768) throws {
        GDALEnvironment.ensure()
        guard !sources.isEmpty else { throw GeoError(operation: "build VRT", path: path, message: "no source rasters") }
        for s in sources where !FileManager.default.fileExists(atPath: s) {
            throw GeoError(operation: "build VRT", path: s, message: "no such file")
        }
        let options = CStringList(["-vrtnodata", String(nodata), "-srcnodata", String(nodata)])
        guard let opts = GDALBuildVRTOptionsNew(options.pointer, nil) else { throw GDALEnvironment.error("build VRT options", path) }
        defer { GDALBuildVRTOptionsFree(opts) }
        let names = CStringList(sources)
        var usageError: Int32 = 0
        guard let ds = GDALBuildVRT(path, Int32(sources.count), nil, names.constPointer, opts, &usageError) else {
            throw GDALEnvironment.error("build VRT", path)
        }
        try OwnedDataset(ds).close(operation: "build VRT", path: path)
    }
}

/// An 8-bit RGBA image, for PNG maps.
public struct RGBAImage: Sendable {
    public let width: Int
    public let height: Int
    /// Interleaved RGBA, row-major, top row first.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8, UInt8) = (255, 255, 255, 255)) {
        self.width = width
        self.height = height
        // One 4-byte pattern repeated (the byte-by-byte loop took 8 ms for a 1,368 × 1,352 overlay).
        let pattern = UInt32(fill.0) | UInt32(fill.1) << 8 | UInt32(fill.2) << 16 | UInt32(fill.3) << 24
        pixels = [UInt8](unsafeUninitializedCapacity: width * height * 4) { buffer, count in
            guard width * height > 0 else { return count = 0 }
            let words = UnsafeMutableRawPointer(buffer.baseAddress!).bindMemory(to: UInt32.self, capacity: width * height)
            words.initialize(repeating: pattern.littleEndian, count: width * height)
            count = width * height * 4
        }
    }

    @inlinable public mutating func set(_ x: Int, _ y: Int, _ c: (UInt8, UInt8, UInt8), alpha: Float = 1) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = 4 * (y * width + x)
        if alpha >= 1 {
            pixels[i] = c.0; pixels[i + 1] = c.1; pixels[i + 2] = c.2; pixels[i + 3] = 255
        } else {
            let a = max(0, alpha)
            pixels[i] = UInt8(Float(pixels[i]) * (1 - a) + Float(c.0) * a)
            pixels[i + 1] = UInt8(Float(pixels[i + 1]) * (1 - a) + Float(c.1) * a)
            pixels[i + 2] = UInt8(Float(pixels[i + 2]) * (1 - a) + Float(c.2) * a)
            pixels[i + 3] = 255
        }
    }

    /// Writes the image as a PNG (`PNGEncoder`: the Up filter, DEFLATE level 1), atomically. On scenario A's
    /// 673 × 672 coverage map: 10 ms and 381 KB, where GDAL's PNG driver (libpng, zlib level 1) took 36 ms for
    /// 456 KB. PNG is lossless: the pixels are the same whichever encoder wrote them.
    public func writePNG(to path: String) throws {
        try AtomicOutput.write(try PNGEncoder.encode(rgba: pixels, width: width, height: height), to: path, operation: "write PNG")
    }
}

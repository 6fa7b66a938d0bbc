// XYZ web-map tiles through GDAL: an image georeferenced in any CRS is warped by GDALWarp onto the Web Mercator
// tile grid (EPSG:3857, 256-px tiles, origin top left, as Leaflet/OpenStreetMap number them) and cut into PNGs;
// and a raster resampled onto another grid (the DEM under a coverage grid, for its hillshade).
import CGDAL
import Foundation

public enum WebMercator {
    /// Half the side of the square world in EPSG:3857 metres (π × 6,378,137).
    public static let halfWorld = Double.pi * 6_378_137
    public static let tileSize = 256

    /// Size of one pixel of zoom `z` in EPSG:3857 metres (ground metres × cos latitude).
    public static func pixelSize(zoom z: Int) -> Double { 2 * halfWorld / Double(tileSize << z) }

    /// The deepest zoom whose pixels are still no finer than `cellM` ground metres at `latitude`, i.e. the zoom
    /// that shows a grid of that cell size at about one cell per pixel.
    public static func zoom(matchingCellM cellM: Double, latitude: Double) -> Int {
        var z = 0
        while z < 22, pixelSize(zoom: z + 1) * cos(latitude * .pi / 180) >= cellM * 0.75 { z += 1 }
        return z
    }

    /// Tile columns and rows of zoom `z` that cover a box in EPSG:3857 metres.
    public static func tileRange(zoom z: Int, minX: Double, minY: Double, maxX: Double, maxY: Double) -> (x: ClosedRange<Int>, y: ClosedRange<Int>) {
        let span = 2 * halfWorld / Double(1 << z), n = (1 << z) - 1
        func clamp(_ v: Double) -> Int { min(max(Int(floor(v)), 0), n) }
        return (
            clamp((minX + halfWorld) / span)...clamp((maxX + halfWorld) / span),
            clamp((halfWorld - maxY) / span)...clamp((halfWorld - minY) / span)
        )
    }
}

extension RGBAImage {
    /// The image as a 4-band in-memory GDAL dataset georeferenced by `geoTransform` in `crs`, band 4 marked alpha.
    func georeferencedDataset(geoTransform: GeoTransform, crs: String, operation: String, path: String) throws -> OwnedDataset {
        GDALEnvironment.ensure()
        let mem = try OwnedDataset.memoryRaster(width: width, height: height, bands: 4, type: GDT_Byte, operation: operation, path: path)
        var gt = geoTransform.coefficients
        try GDALEnvironment.check(GDALSetGeoTransform(mem.raw, &gt), operation, path)
        try GDALEnvironment.check(GDALSetProjection(mem.raw, try SpatialReference.wkt(of: crs)), operation, path, kind: .projection)
        try Self.markRGBA(mem, operation: operation, path: path)
        var px = pixels
        let err = px.withUnsafeMutableBytes { buf in
            GDALDatasetRasterIO(
                mem.raw, GF_Write, 0, 0, Int32(width), Int32(height), buf.baseAddress,
                Int32(width), Int32(height), GDT_Byte, 4, nil, 4, Int32(4 * width), 1)
        }
        try GDALEnvironment.check(err, operation, path)
        return mem
    }

    static func markRGBA(_ ds: OwnedDataset, operation: String, path: String) throws {
        for (i, interp) in [GCI_RedBand, GCI_GreenBand, GCI_BlueBand, GCI_AlphaBand].enumerated() {
            let band = try ds.band(i + 1, operation: operation, path: path)
            try GDALEnvironment.check(GDALSetRasterColorInterpretation(band, interp), operation, path)
        }
    }

    /// Writes the image, georeferenced by `geoTransform` in `crs`, as XYZ tiles `directory/z/x/y.png` for each zoom
    /// of `zooms`: GDALWarp reprojects it onto each zoom's Web Mercator pixel grid (one row of tiles at a time, so
    /// memory stays a strip of 256 rows) with `resampling` (`near`, `bilinear`, `average`, …). Tiles that stay
    /// fully transparent are not written. Returns the number of tiles written per zoom.
    public func writeWebTiles(
        geoTransform: GeoTransform, crs: String, zooms: ClosedRange<Int>, resampling: String, to directory: String
    ) throws -> [Int: Int] {
        let operation = "write web tiles"
        let source = try georeferencedDataset(geoTransform: geoTransform, crs: crs, operation: operation, path: directory)
        let box = try mercatorBox(geoTransform: geoTransform, crs: crs)
        let mercatorWKT = try SpatialReference.wkt(of: "EPSG:3857")
        var written: [Int: Int] = [:]
        for z in zooms {
            let range = WebMercator.tileRange(zoom: z, minX: box.minX, minY: box.minY, maxX: box.maxX, maxY: box.maxY)
            let res = WebMercator.pixelSize(zoom: z), span = res * Double(WebMercator.tileSize), t = WebMercator.tileSize
            var count = 0
            for ty in range.y {
                let strip = try OwnedDataset.memoryRaster(
                    width: range.x.count * t, height: t, bands: 4, type: GDT_Byte, operation: operation, path: directory)
                var gt = [-WebMercator.halfWorld + Double(range.x.lowerBound) * span, res, 0, WebMercator.halfWorld - Double(ty) * span, 0, -res]
                try GDALEnvironment.check(GDALSetGeoTransform(strip.raw, &gt), operation, directory)
                try GDALEnvironment.check(GDALSetProjection(strip.raw, mercatorWKT), operation, directory, kind: .projection)
                try Self.markRGBA(strip, operation: operation, path: directory)
                try GDALWarping.warp(source.raw, into: strip.raw, options: ["-r", resampling, "-srcalpha", "-dstalpha"], path: directory)
                let px = try Self.readRGBA(strip, width: range.x.count * t, height: t, path: directory)
                for (i, tx) in range.x.enumerated() {
                    guard let tile = Self.tile(px, stripWidth: range.x.count * t, column: i) else { continue }
                    let folder = "\(directory)/\(z)/\(tx)"
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    try tile.writePNG(to: "\(folder)/\(ty).png")
                    count += 1
                }
            }
            written[z] = count
        }
        return written
    }

    /// Points along the image's four edges, every 1/`pieces` of their length (its corners included), in the
    /// coordinates of `geoTransform`.
    func outline(geoTransform: GeoTransform, pieces: Int) -> (xs: [Double], ys: [Double]) {
        var xs: [Double] = [], ys: [Double] = []
        for k in 0...pieces {
            let f = Double(k) / Double(pieces)
            for (c, r) in [(f * Double(width), 0.0), (f * Double(width), Double(height)), (0.0, f * Double(height)), (Double(width), f * Double(height))] {
                let p = geoTransform.map(col: c, row: r)
                xs.append(p.x); ys.append(p.y)
            }
        }
        return (xs, ys)
    }

    /// The image's extent in EPSG:3857 metres (its edges sampled every 1/32 of their length).
    public func mercatorBox(geoTransform: GeoTransform, crs: String) throws -> (minX: Double, minY: Double, maxX: Double, maxY: Double) {
        let toMercator = try CoordinateTransform(from: crs, to: "EPSG:3857")
        var (xs, ys) = outline(geoTransform: geoTransform, pieces: 32)
        toMercator.transform(xs: &xs, ys: &ys)
        let fx = xs.filter(\.isFinite), fy = ys.filter(\.isFinite)
        guard let minX = fx.min(), let maxX = fx.max(), let minY = fy.min(), let maxY = fy.max() else {
            throw GeoError(operation: "write web tiles", path: crs, message: "the image's extent has no Web Mercator coordinates")
        }
        return (minX, minY, maxX, maxY)
    }

    static func readRGBA(_ ds: OwnedDataset, width: Int, height: Int, path: String) throws -> [UInt8] {
        var px = [UInt8](repeating: 0, count: 4 * width * height)
        let err = px.withUnsafeMutableBytes { buf in
            GDALDatasetRasterIO(
                ds.raw, GF_Read, 0, 0, Int32(width), Int32(height), buf.baseAddress,
                Int32(width), Int32(height), GDT_Byte, 4, nil, 4, Int32(4 * width), 1)
        }
        try GDALEnvironment.check(err, "read warped tiles", path)
        return px
    }

    /// Tile `column` of a strip one tile high, or nil when it is fully transparent.
    static func tile(_ strip: [UInt8], stripWidth: Int, column: Int) -> RGBAImage? {
        let t = WebMercator.tileSize
        var tile = RGBAImage(width: t, height: t, fill: (0, 0, 0, 0))
        var opaque = false
        for r in 0..<t {
            let from = 4 * (r * stripWidth + column * t), to = 4 * r * t
            for k in 0..<(4 * t) { tile.pixels[to + k] = strip[from + k] }
            if !opaque { opaque = stride(from: 3, to: 4 * t, by: 4).contains { strip[from + $0] != 0 } }
        }
        return opaque ? tile : nil
    }
}

enum GDALWarping {
    /// GDALWarp of `source` into the existing dataset `destination` with gdalwarp's command-line `options`.
    static func warp(_ source: GDALDatasetH, into destination: GDALDatasetH, options: [String], path: String) throws {
        let list = CStringList(options)
        guard let opts = GDALWarpAppOptionsNew(list.pointer, nil) else {
            throw GDALEnvironment.error("warp", path, fallback: "GDAL refused the options \(options.joined(separator: " "))")
        }
        defer { GDALWarpAppOptionsFree(opts) }
        var sources: [GDALDatasetH?] = [source]
        var usageError: Int32 = 0
        CPLErrorReset()
        let out = sources.withUnsafeMutableBufferPointer { GDALWarp(nil, destination, 1, $0.baseAddress, opts, &usageError) }
        guard out != nil, usageError == 0 else { throw GDALEnvironment.error("warp", path) }
    }
}

extension RasterDataset {
    /// Band 1 resampled by GDALWarp (bilinear) onto a grid of `width` × `height` cells, `geoTransform` in `crs`;
    /// cells outside the raster or on its nodata are NaN. Row-major, top row first.
    public func resampled(width: Int, height: Int, geoTransform: GeoTransform, crs: String) throws -> [Float] {
        let operation = "resample raster"
        let dst = try OwnedDataset.memoryRaster(width: width, height: height, bands: 1, type: GDT_Float32, operation: operation, path: path)
        var gt = geoTransform.coefficients
        try GDALEnvironment.check(GDALSetGeoTransform(dst.raw, &gt), operation, path)
        try GDALEnvironment.check(GDALSetProjection(dst.raw, try SpatialReference.wkt(of: crs)), operation, path, kind: .projection)
        let band = try dst.band(1, operation: operation, path: path)
        try GDALEnvironment.check(GDALSetRasterNoDataValue(band, .nan), operation, path)
        try GDALEnvironment.check(GDALFillRaster(band, .nan, 0), operation, path)
        try GDALWarping.warp(handle, into: dst.raw, options: ["-r", "bilinear"], path: path)
        var values = [Float](repeating: .nan, count: width * height)
        let err = values.withUnsafeMutableBufferPointer {
            GDALRasterIO(band, GF_Read, 0, 0, Int32(width), Int32(height), $0.baseAddress, Int32(width), Int32(height), GDT_Float32, 0, 0)
        }
        try GDALEnvironment.check(err, operation, path)
        withExtendedLifetime(dst) {}
        return values
    }
}

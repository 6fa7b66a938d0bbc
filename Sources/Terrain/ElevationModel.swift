// Elevation from any GDAL raster (GeoTIFF, VRT mosaic, SRTM .hgt), in any CRS, queried in WGS84.
import Foundation
import Synchronization
import Geo

/// A digital elevation model in its own CRS: the whole raster, or only the window a study needs.
///
/// Sampling rule: bilinear interpolation between the four nearest cell centres; when any of them is nodata, the
/// nearest cell's value is used if valid, else the point is missing (`nil`), never sea level.
///
/// Pixel coordinates (`geoTransform`, `sampler`) always refer to the whole raster, so a windowed model samples
/// exactly the values of the whole one inside its window (bit for bit: the window's offset is an integer), and
/// nothing outside it (missing). Memory is the window's, whatever the raster's size: a VRT over many tiles opens
/// only the tiles the window touches.
public final class ElevationModel: Sendable {
    /// The values held: the whole raster, or the window (with its own geotransform).
    public let grid: RasterGrid
    public let path: String
    /// The whole raster's geotransform: the pixel coordinates `sampler` takes.
    public let geoTransform: GeoTransform
    /// The whole raster's size in pixels.
    public let rasterWidth: Int
    public let rasterHeight: Int
    /// The sampler over `grid`, in the whole raster's pixel coordinates (bilinear, nodata-aware).
    public let sampler: DEMSampler
    /// WGS 84 → the DEM's CRS (nil when that is geographic); one PROJ transform, used by one thread at a time.
    private let toDEM: Mutex<CoordinateTransform?>
    /// True when the DEM's CRS is geographic (degrees).
    public let isGeographic: Bool
    /// The bounded block cache that serves every elevation when the raster is too large to read whole (`open`);
    /// `grid` and `sampler` then hold nothing and the coverage engine takes a window (`window(_:)`).
    public let blocks: DEMBlockCache?

    /// The cache size when none is given: TANSO_DEM_CACHE_MB, else 256 MB.
    public static var defaultCacheMB: Int { Int(ProcessInfo.processInfo.environment["TANSO_DEM_CACHE_MB"] ?? "").flatMap { $0 > 0 ? $0 : nil } ?? 256 }

    /// Opens the raster at `path` for runs that may wander over all of it: read whole when its Float32 values fit
    /// in `cacheMB` (nil: `defaultCacheMB`), else served by a bounded cache of blocks of that size (and GDAL's own
    /// block cache bounded as well), with the same elevations bit for bit.
    public static func open(path: String, cacheMB: Int? = nil) throws -> ElevationModel {
        let mb = cacheMB ?? defaultCacheMB
        let ds = try RasterDataset(path: path)
        if ds.width * ds.height * MemoryLayout<Float>.size <= mb * 1_048_576 { return try ElevationModel(path: path) }
        return try ElevationModel(cached: ds, megabytes: mb)
    }

    private init(cached ds: RasterDataset, megabytes: Int) throws {
        GDALEnvironment.boundBlockCache(megabytes: max(8, megabytes / 8))
        let geographic = ds.crs.isEmpty ? true : try SpatialReference.isGeographic(ds.crs)
        blocks = try DEMBlockCache(dataset: ds, megabytes: megabytes)
        let nodata = try ds.nodata().map { Float($0) }
        grid = RasterGrid(width: 1, height: 1, geoTransform: ds.geoTransform, crs: ds.crs, nodata: nodata, values: [.nan])
        sampler = DEMSampler(grid: grid)
        geoTransform = ds.geoTransform
        rasterWidth = ds.width
        rasterHeight = ds.height
        path = ds.path
        isGeographic = geographic
        toDEM = Mutex(geographic ? nil : try CoordinateTransform(from: "EPSG:4326", to: ds.crs))
    }

    /// The model a study over `box` needs: itself when it holds the raster, else the window read from the file
    /// (`init(path:window:)`), whose elevations are the same.
    public func window(_ box: GeographicBox) throws -> ElevationModel {
        blocks == nil ? self : try ElevationModel(path: path, window: box)
    }

    /// Bilinear elevation at a fractional pixel position of the whole raster (NaN: missing), from the grid held
    /// or the block cache.
    public func sample(col: Double, row: Double) -> Double {
        blocks?.sample(col: col, row: row) ?? sampler.sample(col: col, row: row)
    }

    /// Opens the raster at `path` and reads the whole of it, or with `window` (WGS 84 degrees) only the pixels
    /// covering that box plus `marginCells` on each side, clipped to the raster. Compressed GeoTIFF blocks are
    /// decoded on `threads` threads (nil: all cores): scenario A's 1″ window took 0.06 s on one.
    public init(path: String, window: GeographicBox? = nil, marginCells: Int = 4, threads: Int? = nil) throws {
        let ds = try RasterDataset(path: path, decodeThreads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let geographic = ds.crs.isEmpty ? true : try SpatialReference.isGeographic(ds.crs)
        let transform = geographic ? nil : try CoordinateTransform(from: "EPSG:4326", to: ds.crs)
        let w = try window.map { try Self.pixelWindow($0, of: ds, transform: transform, margin: marginCells) }
        if let w, w.width * w.height < ds.width * ds.height {
            let origin = ds.geoTransform.map(col: Double(w.col), row: Double(w.row))
            var gt = ds.geoTransform.coefficients
            gt[0] = origin.x
            gt[3] = origin.y
            grid = RasterGrid(
                width: w.width, height: w.height, geoTransform: GeoTransform(gt), crs: ds.crs,
                nodata: try ds.nodata().map { Float($0) },
                values: try ds.read(col: w.col, row: w.row, width: w.width, height: w.height))
            sampler = DEMSampler(grid: grid, colOffset: w.col, rowOffset: w.row, rasterWidth: ds.width, rasterHeight: ds.height)
        } else {
            grid = try ds.readGrid()
            sampler = DEMSampler(grid: grid)
        }
        geoTransform = ds.geoTransform
        rasterWidth = ds.width
        rasterHeight = ds.height
        self.path = path
        isGeographic = geographic
        toDEM = Mutex(transform)
        blocks = nil
    }

    /// The pixel window (whole pixels, clipped to the raster, at least 1 × 1) covering `box` plus `margin` pixels.
    static func pixelWindow(
        _ box: GeographicBox, of ds: RasterDataset, transform: CoordinateTransform?, margin: Int
    ) throws -> (col: Int, row: Int, width: Int, height: Int) {
        guard ds.geoTransform.isNorthUp else { return (0, 0, ds.width, ds.height) }
        var xs: [Double] = [], ys: [Double] = []
        for i in 0...16 {
            let f = Double(i) / 16
            let lon = box.west + f * (box.east - box.west), lat = box.south + f * (box.north - box.south)
            xs += [lon, lon, box.west, box.east]
            ys += [box.south, box.north, lat, lat]
        }
        if let transform { _ = transform.transform(xs: &xs, ys: &ys) }
        let px = zip(xs, ys).map { ds.geoTransform.pixel(x: $0, y: $1) }.filter { $0.col.isFinite && $0.row.isFinite }
        guard !px.isEmpty else { return (0, 0, ds.width, ds.height) }
        func clamp(_ v: Double, _ hi: Int) -> Int { Int(max(0, min(Double(hi), v))) }
        let c0 = clamp(floor(px.map(\.col).min()!) - Double(margin), ds.width - 1)
        let r0 = clamp(floor(px.map(\.row).min()!) - Double(margin), ds.height - 1)
        let c1 = clamp(ceil(px.map(\.col).max()!) + Double(margin), ds.width)
        let r1 = clamp(ceil(px.map(\.row).max()!) + Double(margin), ds.height)
        return (c0, r0, max(1, c1 - c0), max(1, r1 - r0))
    }

    public init(grid: RasterGrid) throws {
        self.grid = grid
        geoTransform = grid.geoTransform
        rasterWidth = grid.width
        rasterHeight = grid.height
        sampler = DEMSampler(grid: grid)
        path = "(memory)"
        let geographic = grid.crs.isEmpty ? true : try SpatialReference.isGeographic(grid.crs)
        isGeographic = geographic
        toDEM = Mutex(geographic ? nil : try CoordinateTransform(from: "EPSG:4326", to: grid.crs))
        blocks = nil
    }

    /// DEM coordinates of a WGS84 point.
    public func demCoordinates(longitude: Double, latitude: Double) -> (x: Double, y: Double)? {
        guard !isGeographic else { return (longitude, latitude) }
        return toDEM.withLock { t in t.flatMap { try? $0.transform(x: longitude, y: latitude) } }
    }

    /// Elevation (m) at a WGS84 point, nil outside the DEM or on nodata.
    public func elevation(longitude: Double, latitude: Double) -> Double? {
        guard let p = demCoordinates(longitude: longitude, latitude: latitude) else { return nil }
        return elevation(x: p.x, y: p.y)
    }

    /// Elevation (m) of the nearest DEM sample to a WGS84 point, nil outside the DEM or on nodata.
    public func nearestElevation(longitude: Double, latitude: Double) -> Double? {
        guard let p = demCoordinates(longitude: longitude, latitude: latitude) else { return nil }
        if let blocks {
            let px = geoTransform.pixel(x: p.x, y: p.y)
            return blocks.nearest(col: px.col, row: px.row).map(Double.init)
        }
        return grid.value(atX: p.x, y: p.y).map(Double.init)
    }

    /// Elevation (m) at DEM coordinates, nil outside the DEM or on nodata.
    public func elevation(x: Double, y: Double) -> Double? {
        let px = geoTransform.pixel(x: x, y: y)
        let v = sample(col: px.col, row: px.row)
        return v.isNaN ? nil : v
    }
}

/// Bilinear sampling of a DEM grid at fractional pixel positions (GDAL convention: cell (c, r) spans
/// [c, c+1) × [r, r+1), its centre at (c + 0.5, r + 0.5)). The single implementation behind every elevation
/// tanso reads, so that the coverage engine and `tanso pathloss` see the same terrain.
///
/// Rule: bilinear between the four nearest cell centres (clamped at the edges); if any of them is nodata, the
/// value of the cell containing the point, if valid; otherwise NaN (missing). Outside the grid: NaN.
///
/// A window of a larger raster is sampled in the larger raster's pixel coordinates: `colOffset`/`rowOffset` (whole
/// pixels) are subtracted first, an exact operation, so the result equals sampling the whole raster.
public struct DEMSampler: Sendable {
    public let values: [Float]
    public let width: Int
    public let height: Int
    public let nodata: Float?
    /// Position of `values`' first pixel in the whole raster (0 when `values` is the whole raster).
    public let colOffset: Double
    public let rowOffset: Double
    /// The range of the interpolation's first column and row (c0, r0: the cell centre left of and above the point).
    /// At an edge of the whole raster the neighbourhood is clamped (c0 = −1 or c0 + 1 = width allowed); at an edge
    /// of a window inside it, the point is missing instead, so that a window never returns a clamped value the
    /// whole raster would not.
    @usableFromInline let c0Range: ClosedRange<Int>
    @usableFromInline let r0Range: ClosedRange<Int>

    /// A sampler over `grid`, which sits at (`colOffset`, `rowOffset`) in a raster of `rasterWidth` × `rasterHeight`
    /// (by default the grid is the whole raster).
    public init(grid: RasterGrid, colOffset: Int = 0, rowOffset: Int = 0, rasterWidth: Int? = nil, rasterHeight: Int? = nil) {
        values = grid.values
        width = grid.width
        height = grid.height
        nodata = grid.nodata
        self.colOffset = Double(colOffset)
        self.rowOffset = Double(rowOffset)
        let rw = rasterWidth ?? colOffset + grid.width, rh = rasterHeight ?? rowOffset + grid.height
        c0Range = (colOffset == 0 ? -1 : 0)...(colOffset + grid.width == rw ? grid.width - 1 : grid.width - 2)
        r0Range = (rowOffset == 0 ? -1 : 0)...(rowOffset + grid.height == rh ? grid.height - 1 : grid.height - 2)
    }

    @inlinable
    public func sample(col: Double, row: Double) -> Double {
        values.withUnsafeBufferPointer { sample(col: col, row: row, values: $0) }
    }

    @inlinable
    public func sample(col wholeCol: Double, row wholeRow: Double, values v: UnsafeBufferPointer<Float>) -> Double {
        let col = wholeCol - colOffset, row = wholeRow - rowOffset
        guard col >= 0, row >= 0, col <= Double(width), row <= Double(height) else { return .nan }
        let fc = col - 0.5, fr = row - 0.5 // relative to cell centres, ≥ −0.5 here
        // floor(fc) without a call to libm's floor (the baseline x86-64 build has no rounding instruction):
        // truncation is the floor for fc ≥ 0, and −1 for −0.5 ≤ fc < 0.
        let c0 = fc < 0 ? -1 : Int(fc), r0 = fr < 0 ? -1 : Int(fr)
        guard c0Range.contains(c0), r0Range.contains(r0) else { return .nan }
        let tx = fc - Double(c0), ty = fr - Double(r0)
        let ca = max(c0, 0), cb = min(c0 + 1, width - 1), ra = max(r0, 0), rb = min(r0 + 1, height - 1)
        let a = v[ra * width + ca], b = v[ra * width + cb], c = v[rb * width + ca], d = v[rb * width + cb]
        let nd = nodata ?? .nan
        if !(a.isNaN || b.isNaN || c.isNaN || d.isNaN || a == nd || b == nd || c == nd || d == nd) {
            let top = Double(a) * (1 - tx) + Double(b) * tx
            let bottom = Double(c) * (1 - tx) + Double(d) * tx
            return top * (1 - ty) + bottom * ty
        }
        let nc = min(Int(col), width - 1), nr = min(Int(row), height - 1)
        let e = v[nr * width + nc]
        return e.isNaN || e == nd ? .nan : Double(e)
    }
}

/// A box in WGS 84 degrees (west < east, south < north).
public struct GeographicBox: Sendable, Equatable {
    public var west: Double, south: Double, east: Double, north: Double
    public init(west: Double, south: Double, east: Double, north: Double) {
        self.west = west; self.south = south; self.east = east; self.north = north
    }

    /// The smallest box holding this one and the point (`longitude`, `latitude`).
    public func including(longitude: Double, latitude: Double) -> GeographicBox {
        GeographicBox(west: min(west, longitude), south: min(south, latitude), east: max(east, longitude), north: max(north, latitude))
    }
}

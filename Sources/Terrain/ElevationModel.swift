// Elevation from any GDAL raster (GeoTIFF, VRT mosaic, SRTM .hgt), in any CRS, queried in WGS84.
import Foundation
import Synchronization
import Geo

/// A digital elevation model held in memory in its own CRS.
///
/// Sampling rule: bilinear interpolation between the four nearest cell centres; when any of them is nodata, the
/// nearest cell's value is used if valid, else the point is missing (`nil`), never sea level.
public final class ElevationModel: Sendable {
    public let grid: RasterGrid
    public let path: String
    /// The sampler over `grid` (bilinear, nodata-aware).
    public let sampler: DEMSampler
    /// WGS 84 → the DEM's CRS (nil when that is geographic); one PROJ transform, used by one thread at a time.
    private let toDEM: Mutex<CoordinateTransform?>
    /// True when the DEM's CRS is geographic (degrees).
    public let isGeographic: Bool

    public init(path: String) throws {
        let ds = try RasterDataset(path: path)
        grid = try ds.readGrid()
        sampler = DEMSampler(grid: grid)
        self.path = path
        let geographic = ds.crs.isEmpty ? true : try SpatialReference.isGeographic(ds.crs)
        isGeographic = geographic
        toDEM = Mutex(geographic ? nil : try CoordinateTransform(from: "EPSG:4326", to: ds.crs))
    }

    public init(grid: RasterGrid) throws {
        self.grid = grid
        sampler = DEMSampler(grid: grid)
        path = "(memory)"
        let geographic = grid.crs.isEmpty ? true : try SpatialReference.isGeographic(grid.crs)
        isGeographic = geographic
        toDEM = Mutex(geographic ? nil : try CoordinateTransform(from: "EPSG:4326", to: grid.crs))
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
        return grid.value(atX: p.x, y: p.y).map(Double.init)
    }

    /// Elevation (m) at DEM coordinates, nil outside the DEM or on nodata.
    public func elevation(x: Double, y: Double) -> Double? {
        let px = grid.geoTransform.pixel(x: x, y: y)
        let v = sampler.sample(col: px.col, row: px.row)
        return v.isNaN ? nil : v
    }
}

/// Bilinear sampling of a DEM grid at fractional pixel positions (GDAL convention: cell (c, r) spans
/// [c, c+1) × [r, r+1), its centre at (c + 0.5, r + 0.5)). The single implementation behind every elevation
/// tanso reads, so that the coverage engine and `tanso pathloss` see the same terrain.
///
/// Rule: bilinear between the four nearest cell centres (clamped at the edges); if any of them is nodata, the
/// value of the cell containing the point, if valid; otherwise NaN (missing). Outside the grid: NaN.
public struct DEMSampler: Sendable {
    public let values: [Float]
    public let width: Int
    public let height: Int
    public let nodata: Float?

    public init(grid: RasterGrid) {
        values = grid.values
        width = grid.width
        height = grid.height
        nodata = grid.nodata
    }

    @inlinable
    public func sample(col: Double, row: Double) -> Double {
        values.withUnsafeBufferPointer { sample(col: col, row: row, values: $0) }
    }

    @inlinable
    public func sample(col: Double, row: Double, values v: UnsafeBufferPointer<Float>) -> Double {
        guard col >= 0, row >= 0, col <= Double(width), row <= Double(height) else { return .nan }
        let fc = col - 0.5, fr = row - 0.5 // relative to cell centres
        let c0 = Int(fc.rounded(.down)), r0 = Int(fr.rounded(.down))
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

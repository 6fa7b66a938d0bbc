// GDAL's own viewshed (GDALViewshedGenerate, the engine of `gdal_viewshed`) run in-process on a RasterGrid: the
// reference that tanso's `Viewshed` kernel (module Analysis) is tested and benchmarked against.
import CGDAL
import Foundation

public enum GDALViewshed {
    /// GDAL's result on the whole input grid, with the kernel's encoding: 1 visible, 0 not visible, 255 outside
    /// GDAL's output window or beyond the maximum distance. `seconds` times the GDALViewshedGenerate call alone
    /// (MEM input and MEM output; building the input dataset and reading the result back are not counted).
    public struct Result: Sendable {
        public var values: [UInt8]
        public var seconds: Double
    }

    /// Runs GDALViewshedGenerate in "edge" mode (GVM_Edge, gdal_viewshed's default) on a MEM copy of `grid`
    /// (with its CRS, so GDAL takes the Earth diameter from the CRS's semi-major axis), observer at the centre of
    /// cell (`observerCol`, `observerRow`). `maxDistanceM` nil means unlimited (GDAL's 0). GDAL does not treat
    /// nodata specially: nodata cells enter the computation with their stored value.
    public static func run(
        grid: RasterGrid, observerCol: Int, observerRow: Int, observerHeightM: Double,
        targetHeightM: Double, maxDistanceM: Double?, curvatureCoefficient: Double = 0.85714
    ) throws -> Result {
        GDALEnvironment.ensure()
        guard grid.geoTransform.isNorthUp else {
            throw GeoError(operation: "viewshed", message: "GDAL's viewshed needs a north-up grid")
        }
        guard observerCol >= 0, observerCol < grid.width, observerRow >= 0, observerRow < grid.height else {
            throw GeoError(operation: "viewshed", message: "observer cell (\(observerCol), \(observerRow)) is outside the grid")
        }
        let src = try grid.makeMemoryDataset(bands: [(grid.values, grid.nodata, nil)])
        let band = try src.band(1, operation: "viewshed input")
        let centre = grid.geoTransform.map(col: Double(observerCol) + 0.5, row: Double(observerRow) + 0.5)
        let t0 = DispatchTime.now().uptimeNanoseconds
        let outRaw = GDALViewshedGenerate(
            band, "MEM", "", nil, centre.x, centre.y, observerHeightM, targetHeightM,
            1, 0, 255, -1, curvatureCoefficient, GVM_Edge, maxDistanceM ?? 0,
            nil, nil, GVOT_NORMAL, nil)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        guard let outRaw else { throw GDALEnvironment.error("GDALViewshedGenerate") }
        let out = OwnedDataset(outRaw)
        withExtendedLifetime(src) {} // the input band belongs to src
        let w = Int(GDALGetRasterXSize(out.raw)), h = Int(GDALGetRasterYSize(out.raw))
        var gt = [Double](repeating: 0, count: 6)
        try GDALEnvironment.check(GDALGetGeoTransform(out.raw, &gt), "georeferencing of the viewshed")
        let colOff = Int(((gt[0] - grid.geoTransform.originX) / grid.geoTransform.pixelWidth).rounded())
        let rowOff = Int(((grid.geoTransform.originY - gt[3]) / grid.geoTransform.pixelHeight).rounded())
        let outBand = try out.band(1, operation: "read viewshed")
        var window = [UInt8](repeating: 0, count: w * h)
        let err = window.withUnsafeMutableBytes { buf in
            GDALRasterIO(
                outBand, GF_Read, 0, 0, Int32(w), Int32(h), buf.baseAddress,
                Int32(w), Int32(h), GDT_Byte, 0, 0)
        }
        try GDALEnvironment.check(err, "read viewshed")
        withExtendedLifetime(out) {}
        var values = [UInt8](repeating: 255, count: grid.width * grid.height)
        for r in 0..<h where r + rowOff >= 0 && r + rowOff < grid.height {
            for c in 0..<w where c + colOff >= 0 && c + colOff < grid.width {
                values[(r + rowOff) * grid.width + c + colOff] = window[r * w + c]
            }
        }
        return Result(values: values, seconds: seconds)
    }
}

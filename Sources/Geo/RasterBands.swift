// A raster written band of rows by band of rows: for grids too large to hold whole (the province at 30 m with
// every service layer). The rows go into a tiled, uncompressed GeoTIFF (beside the product, or in a scratch
// folder) as they come; `finish`
// copies it into the product (COG or GeoTIFF, the same options and description as `RasterGrid.write`, so the file
// is byte-identical to the one written from the whole grid) and deletes it. Memory: GDAL's block cache only.
import CGDAL
import Foundation

/// `@unchecked Sendable`: one caller at a time (a coverage run's writer thread), never shared between threads.
public final class RasterBandWriter: @unchecked Sendable {
    public let path: String
    public let width: Int, height: Int
    let scratchPath: String
    private var scratch: OwnedDataset?
    private let nodata: Float?
    private let cells: RasterCellType
    private var rowsWritten = 0

    /// A raster of `width` × `height` cells of type `cells` to be written at `path`, described as
    /// `RasterGrid.write` describes its grid (nodata, band description, unit, dataset metadata).
    public init(
        path: String, width: Int, height: Int, geoTransform: GeoTransform, crs: String, nodata: Float?, cells: RasterCellType = .float32,
        description: String? = nil, unit: String? = nil, metadata: [String: String] = [:], scratchDirectory: String? = nil
    ) throws {
        GDALEnvironment.ensure()
        self.path = path; self.width = width; self.height = height; self.nodata = nodata; self.cells = cells
        let url = URL(fileURLWithPath: path)
        let folder = scratchDirectory.map { URL(fileURLWithPath: $0) } ?? url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = url.lastPathComponent.replacingOccurrences(of: ".tif", with: "")
        scratchPath = folder.appendingPathComponent(".\(name).bands-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max)).tif").path
        guard let driver = GDALGetDriverByName("GTiff") else {
            throw GeoError(kind: .driver, operation: "find driver", message: "GDAL has no GTiff driver")
        }
        let ds = try OwnedDataset.create(
            driver: driver, path: scratchPath, width: width, height: height, bands: 1, type: cells.gdalType,
            options: CStringList(["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "BIGTIFF=IF_SAFER", "SPARSE_OK=FALSE"]),
            operation: "create band store", reportedPath: path)
        scratch = ds
        try RasterGrid.describe(
            ds, geoTransform: geoTransform, crs: crs, bands: [(nodata, description)], metadata: metadata,
            unit: RasterGrid.unitType(unit, description: description))
    }

    /// Writes the next band of rows (row-major, `width` values a row), checked as `RasterGrid.write` checks a grid.
    public func write<C: Collection>(rows values: C) throws where C.Element == Float {
        guard let ds = scratch else { throw GeoError(operation: "write rows", path: path, message: "the raster is already finished") }
        let rows = values.count / width
        guard rows * width == values.count, rowsWritten + rows <= height else {
            throw GeoError(
                operation: "write rows", path: path,
                message: "\(values.count) values after row \(rowsWritten): expected whole rows of \(width) within \(height) rows")
        }
        var band = Array(values)
        try RasterGrid.checkFinite(band, width: width, band: 1, firstRow: rowsWritten)
        let b = try ds.band(1, operation: "write rows", path: path)
        let err = band.withUnsafeMutableBytes { buf in
            GDALRasterIO(b, GF_Write, 0, Int32(rowsWritten), Int32(width), Int32(rows), buf.baseAddress, Int32(width), Int32(rows), GDT_Float32, 0, 0)
        }
        try GDALEnvironment.check(err, "write rows \(rowsWritten)–\(rowsWritten + rows - 1)", path)
        rowsWritten += rows
    }

    /// Copies the rows written into the product at `path` (the band store stays, for `values`, until `discard`).
    public func finish(format: RasterFormat = .cog, overviews: Bool = true) throws {
        try RasterGrid.copy(complete(), to: path, format: format, cells: cells, overviews: overviews)
    }

    /// Every row written, read back from the band store (row-major).
    public func values() throws -> [Float] {
        let b = try complete().band(1, operation: "read rows", path: path)
        var out = [Float](repeating: 0, count: width * height)
        let err = out.withUnsafeMutableBytes { buf in
            GDALRasterIO(b, GF_Read, 0, 0, Int32(width), Int32(height), buf.baseAddress, Int32(width), Int32(height), GDT_Float32, 0, 0)
        }
        try GDALEnvironment.check(err, "read rows", path)
        return out
    }

    private func complete() throws -> OwnedDataset {
        guard let ds = scratch else { throw GeoError(operation: "finish raster", path: path, message: "the band store is gone") }
        guard rowsWritten == height else {
            throw GeoError(operation: "finish raster", path: path, message: "\(rowsWritten) of \(height) rows written")
        }
        return ds
    }

    /// Drops the band store without writing the product.
    public func discard() {
        if let ds = scratch { try? ds.close() }
        scratch = nil
        try? FileManager.default.removeItem(atPath: scratchPath)
    }

    deinit { discard() }
}

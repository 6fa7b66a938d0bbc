// Line of sight (`--model los`): tanso's Viewshed kernel against GDAL's GDALViewshedGenerate (the engine of
// `gdal_viewshed`, edge mode, curvature coefficient 0.85714) on the SRTM 1″ DEM of the San Gabriel Mountains
// (Tests/Fixtures/terrain/bigtujunga_srtm1_utm11.tif, UTM 11N, 30 m, 1197×643), same grid and observers.
// GDAL runs in-process with MEM input and MEM output (the call alone is timed); the kernel is timed through its
// RasterGrid entry point (copy of the grid, nodata conversion and CRS check included) and, as `kernel_raw`, on the
// grid's buffer directly. Best of 3 each.
import Foundation
import Analysis
import Geo

func runViewshedBenchmark() throws -> [(name: String, value: Double, unit: String)] {
    guard let ref = referenceDir() else {
        print("viewshed: Tests/Fixtures not found (run from the project root or set TANSO_REFERENCE_DIR); skipped")
        return []
    }
    let grid = try RasterDataset(path: ref.appendingPathComponent("terrain/bigtujunga_srtm1_utm11.tif").path).readGrid()
    // The highest interior cell (a ridge top), 10 m mast, whole grid; and the canyon floor, 30 m mast, 15 km.
    var hi = (0, 0, -Float.infinity), lo = (0, 0, Float.infinity)
    for r in 100..<(grid.height - 100) {
        for c in 100..<(grid.width - 100) {
            let v = grid[c, r]
            if v > hi.2 { hi = (c, r, v) }
            if v < lo.2 { lo = (c, r, v) }
        }
    }
    let cases: [(name: String, col: Int, row: Int, eye: Double, target: Double, maxDistance: Double?)] = [
        ("ridge", hi.0, hi.1, 10, 0, nil),
        ("valley", lo.0, lo.1, 30, 2, 15_000)
    ]
    var figures: [(name: String, value: Double, unit: String)] = []
    for c in cases {
        var gdalBest = Double.infinity, kernelBest = Double.infinity, rawBest = Double.infinity
        var gdal: [UInt8] = [], ours: [UInt8] = []
        for _ in 0..<3 {
            let g = try GDALViewshed.run(
                grid: grid, observerCol: c.col, observerRow: c.row, observerHeightM: c.eye,
                targetHeightM: c.target, maxDistanceM: c.maxDistance)
            gdalBest = min(gdalBest, g.seconds)
            gdal = g.values
            let t0 = DispatchTime.now().uptimeNanoseconds
            ours = try Viewshed.compute(
                grid: grid, observerCol: c.col, observerRow: c.row, observerHeightM: c.eye,
                targetHeightM: c.target, maxDistanceM: c.maxDistance)
            kernelBest = min(kernelBest, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            let t1 = DispatchTime.now().uptimeNanoseconds
            _ = grid.values.withUnsafeBufferPointer {
                Viewshed.compute(
                    elevations: $0, width: grid.width, height: grid.height,
                    cellSizeXM: grid.geoTransform.pixelWidth, cellSizeYM: grid.geoTransform.pixelHeight,
                    observerCol: c.col, observerRow: c.row, observerHeightM: c.eye, targetHeightM: c.target,
                    maxDistanceM: c.maxDistance)
            }
            rawBest = min(rawBest, Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9)
        }
        var compared = 0, agree = 0
        for i in ours.indices where ours[i] != Viewshed.outside || gdal[i] != Viewshed.outside {
            compared += 1
            if ours[i] == gdal[i] { agree += 1 }
        }
        let pct = compared == 0 ? 0 : 100 * Double(agree) / Double(compared)
        print(
            String(
                format: "viewshed %@ (col %d, row %d, +%.0f m, target %.0f m, max %@): GDAL %.4f s, kernel %.4f s "
                    + "(raw %.4f s, %d threads), GDAL/kernel ×%.1f; %d cells compared, %.4f %% agree (%d differ)",
                c.name, c.col, c.row, c.eye, c.target, c.maxDistance.map { String(format: "%.0f m", $0) } ?? "none",
                gdalBest, kernelBest, rawBest, ProcessInfo.processInfo.activeProcessorCount, gdalBest / kernelBest,
                compared, pct, compared - agree))
        figures.append((name: "viewshed_\(c.name)_gdal_s", value: gdalBest, unit: "s"))
        figures.append((name: "viewshed_\(c.name)_kernel_s", value: kernelBest, unit: "s"))
        figures.append((name: "viewshed_\(c.name)_kernel_raw_s", value: rawBest, unit: "s"))
        figures.append((name: "viewshed_\(c.name)_gdal_over_kernel", value: gdalBest / kernelBest, unit: "x"))
        figures.append((name: "viewshed_\(c.name)_agreement_pct", value: pct, unit: "%"))
        figures.append((name: "viewshed_\(c.name)_cells_differing", value: Double(compared - agree), unit: "cells"))
    }
    return figures
}

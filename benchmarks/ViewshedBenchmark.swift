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
    return figures + (try runViewshedCommandComparison(dem: ref.appendingPathComponent("terrain/bigtujunga_srtm1_utm11.tif")))
}

/// The whole commands, as a user runs them (issue 21: `tanso coverage --model los` at most 2× `gdal_viewshed`):
/// one 10 m mast at 34.32 N 118.15 W, every cell of a 30 m UTM 11N grid over the DEM (35 × 17 km, radius 40 km),
/// receiver 1.5 m, curvature coefficient 0.85714. tanso writes with `--products ""` what the peer writes: one
/// raster (best_signal_dbm.tif, a COG without overviews; plus coverage_summary.txt and study.json), where gdal_viewshed
/// writes its visibility GeoTIFF. Wall time from start to exit and peak resident memory, best of 3 each.
func runViewshedCommandComparison(dem: URL) throws -> [(name: String, value: Double, unit: String)] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-bench-los-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let header = "id,site_id,operator,technology,latitude,longitude,antenna_height_m,frequency_mhz,bandwidth_mhz,eirp_dbm,azimuth_deg"
    try (header + "\nM,M,Test,4G,34.32,-118.15,10,900,10,60,\n").write(to: dir.appendingPathComponent("tx.csv"), atomically: true, encoding: .utf8)
    let site = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:32611").transform(x: -118.15, y: 34.32)
    var peer: (seconds: Double, peakMB: Double)? = nil
    for _ in 0..<3 {
        guard
            let r = runTimedChild(
                "/usr/bin/env",
                [
                    "gdal_viewshed", "-q", "-ox", String(site.x), "-oy", String(site.y), "-oz", "10", "-tz", "1.5", "-cc", "0.85714",
                    "-md", "40000", dem.path, dir.appendingPathComponent("viewshed.tif").path
                ])
        else { return [] }
        if peer == nil || r.seconds < peer!.seconds { peer = r }
    }
    guard let gdal = peer,
        let ours = bestOf(
            3,
            [
                "coverage", "--transmitters", "tx.csv", "--dem", dem.path, "--model", "los", "--area=-118.33,34.24,-117.96,34.40",
                "--resolution-m", "30", "--max-radius-km", "40", "--products", "", "--output", "out"
            ], in: dir)
    else { return [] }
    print(
        String(
            format: "whole commands: tanso coverage --model los --products \"\" %.3f s, %.0f MB peak; gdal_viewshed %.3f s, %.0f MB peak; "
                + "ratio ×%.2f (target ≤ 2)", ours.seconds, ours.peakMB, gdal.seconds, gdal.peakMB, ours.seconds / gdal.seconds))
    return [
        (name: "los_command_s", value: ours.seconds, unit: "s"), (name: "los_command_peak_mb", value: ours.peakMB, unit: "MB"),
        (name: "gdal_viewshed_command_s", value: gdal.seconds, unit: "s"),
        (name: "gdal_viewshed_command_peak_mb", value: gdal.peakMB, unit: "MB"),
        (name: "los_command_over_gdal_viewshed", value: ours.seconds / gdal.seconds, unit: "x")
    ]
}

/// Runs a program as a child under /usr/bin/time: wall seconds and peak resident MB; nil (with a message) on failure.
func runTimedChild(_ executable: String, _ args: [String]) -> (seconds: Double, peakMB: Double)? {
    let rssFile = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-bench-rss-\(getpid()).txt")
    defer { try? FileManager.default.removeItem(at: rssFile) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/time")
    p.arguments = ["-f", "%M", "-o", rssFile.path, executable] + args
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    let t0 = DispatchTime.now().uptimeNanoseconds
    do { try p.run() } catch {
        print("\(executable) \(args.joined(separator: " ")): \(error)")
        return nil
    }
    p.waitUntilExit()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    let text = (try? String(contentsOf: rssFile, encoding: .utf8)) ?? ""
    guard p.terminationStatus == 0, let kb = text.split(separator: "\n").last.flatMap({ Double($0) }) else {
        print("\(args.first ?? executable) failed (\(p.terminationStatus)) \(text.prefix(200))")
        return nil
    }
    return (seconds, kb / 1024)
}

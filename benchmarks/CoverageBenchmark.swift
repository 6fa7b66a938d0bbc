// Scenario A of the coverage engine: one transmitter, a 40 km × 40 km square at 1″ (~30 m, ≈1.78 M cells) on the
// sample province's terrain generated at 1″, ITM on every cell. Times the radial method (the default, with and
// without interpolation between anchor cells) and the exact method (a fresh profile per cell), and measures each
// against `tanso pathloss` link mode on 1,000 random cells (CoverageExactness). Signal-Server HD needs 12–20 s for this job on these machines.
import Foundation
import Analysis
import Geo
import Records
import Terrain
import TansoCLI

func runCoverageBenchmark(includeExact: Bool) throws -> [(name: String, value: Double, unit: String)] {
    var figures: [(name: String, value: Double, unit: String)] = []
    let t0 = Date()
    let dem = try ElevationModel(grid: SampleProvince.dem(arcSeconds: 1))
    print("sample DEM at 1″: \(dem.grid.width)×\(dem.grid.height) generated in \(String(format: "%.1f", Date().timeIntervalSince(t0))) s")
    // A hill site near Xuân Lộc: terrain varies in every direction.
    let tx = Transmitter(
        id: "A", siteID: "A", operatorName: "Bench", technology: .lte, latitude: 10.95, longitude: 107.30,
        antennaHeightM: 30, frequencyMHz: 900, bandwidthMHz: 10, eirpDBm: 60, azimuthDeg: nil)
    let halfLat = 20_000 / 110_574.0, halfLon = 20_000 / (111_320 * cos(tx.latitude * .pi / 180))
    var study = CoverageStudy(
        west: tx.longitude - halfLon, south: tx.latitude - halfLat,
        east: tx.longitude + halfLon, north: tx.latitude + halfLat)
    study.resolutionM = 30
    study.model = "itm"
    study.maxRadiusKm = 29
    study.floorDBm = -300

    // "radial": the default (radial profiles; from anchors every 4th row and column, cells whose neighbours agree
    // within 4 dB and whose ground is within 1 m of theirs interpolated; TANSO_SCENARIO_A_INTERPOLATE_DB and
    // TANSO_SCENARIO_A_ANCHOR_SPACING change them);
    // "radial-every-cell": radial profiles, every cell computed; "exact": a fresh profile per cell.
    let env = ProcessInfo.processInfo.environment
    let tolerance = Double(env["TANSO_SCENARIO_A_INTERPOLATE_DB"] ?? "") ?? study.interpolateWithinDB
    study.anchorSpacingCells = Int(env["TANSO_SCENARIO_A_ANCHOR_SPACING"] ?? "") ?? study.anchorSpacingCells
    study.interpolateGroundWithinM = Double(env["TANSO_SCENARIO_A_GROUND_M"] ?? "") ?? study.interpolateGroundWithinM
    // TANSO_SCENARIO_A_METHODS (comma-separated) picks methods, e.g. "radial" alone while tuning.
    let picked = env["TANSO_SCENARIO_A_METHODS"].map { $0.split(separator: ",").map(String.init) }
    for method in picked ?? (includeExact ? ["radial", "radial-every-cell", "exact"] : ["radial", "radial-every-cell"]) {
        study.profiles = method == "exact" ? "exact" : "radial"
        study.interpolateWithinDB = method == "radial" ? tolerance : 0
        var times: [Double] = []
        var result: CoverageResult? = nil
        for _ in 0..<(method == "exact" ? 1 : 3) {
            let r = try CoverageEngine.run(study: study, transmitters: [tx], dem: dem)
            times.append(r.seconds)
            result = r
        }
        let r = result!
        if env["TANSO_SCENARIO_A_DIGEST"] != nil {
            var hsh: UInt64 = 14_695_981_039_346_656_037
            for v in r.bestSignalDBm { hsh = (hsh ^ UInt64(v.bitPattern)) &* 1_099_511_628_211 }
            print("  digest of the best-signal grid (FNV-1a over the Float bits): \(String(hsh, radix: 16))")
        }
        let cells = r.bestSignalDBm.filter { $0 != CoverageResult.nodata }.count
        let best = times.min()!
        print(
            "scenario A, \(method): \(r.spec.width)×\(r.spec.height) grid, \(cells) cells computed, "
                + "\(String(format: "%.1f", 100 * Double(r.diagnostics.profilesComputed) / Double(max(cells, 1)))) % of them on their own profile, "
                + "best of \(times.count) \(String(format: "%.2f", best)) s, \(String(format: "%.2f", best / Double(cells) * 1e6 * Double(ProcessInfo.processInfo.activeProcessorCount))) µs per cell per core"
        )
        figures.append((name: "coverage_scenarioA_itm_\(method.replacingOccurrences(of: "-", with: "_"))_s", value: best, unit: "s"))
        let e = try CoverageExactness.compare(r, dem: dem, samples: Int(env["TANSO_SCENARIO_A_SAMPLES"] ?? "") ?? 1000)
        print(
            "  vs link mode on \(e.samples) cells: median |Δ| \(String(format: "%.3f", e.medianAbsDB)) dB, "
                + "p95 \(String(format: "%.3f", e.p95AbsDB)) dB, max \(String(format: "%.3f", e.maxAbsDB)) dB")
        figures.append((name: "coverage_scenarioA_itm_\(method.replacingOccurrences(of: "-", with: "_"))_median_abs_db", value: e.medianAbsDB, unit: "dB"))
        figures.append((name: "coverage_scenarioA_itm_\(method.replacingOccurrences(of: "-", with: "_"))_p95_abs_db", value: e.p95AbsDB, unit: "dB"))
    }
    return figures
}

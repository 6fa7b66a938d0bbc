// Scenario B of the coverage engine: the whole sample province (every sector of data/transmitters.csv, best
// server) on a 30 m grid over the province's terrain generated at 1″. Hata on the full 30 km radius; P.526 and
// ITM (terrain models, radial profiles) on a 10 km radius per sector (inter-site distance in the sample network is
// ~8 km; beyond 10 km a sector is not a province-scale best server; TANSO_SCENARIO_B_RADIUS_KM overrides it). Reports seconds and the peak resident memory.
import Foundation
import Analysis
import Records
import Terrain
import TansoCLI

func peakResidentMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024 // Linux: kilobytes
}

func runScenarioBBenchmark(models: [String]) throws -> [(name: String, value: Double, unit: String)] {
    var figures: [(name: String, value: Double, unit: String)] = []
    var report = LoadReport()
    let transmitters = try TransmitterLoader.load("data/transmitters.csv", report: &report)
    let dem = try ElevationModel(grid: SampleProvince.dem(arcSeconds: 1))
    let terrainRadiusKm = Double(ProcessInfo.processInfo.environment["TANSO_SCENARIO_B_RADIUS_KM"] ?? "") ?? 10
    var study = CoverageStudy(west: SampleProvince.west, south: SampleProvince.south, east: SampleProvince.east, north: SampleProvince.north)
    study.resolutionM = 30
    // TANSO_SCENARIO_B_INTERPOLATE_DB and TANSO_SCENARIO_B_ANCHOR_SPACING change the radial method's interpolation;
    // TANSO_SCENARIO_B_DIGEST=1 prints a digest of the result's layers and its diagnostics (before/after comparisons).
    let env = ProcessInfo.processInfo.environment
    study.interpolateWithinDB = Double(env["TANSO_SCENARIO_B_INTERPOLATE_DB"] ?? "") ?? study.interpolateWithinDB
    study.anchorSpacingCells = Int(env["TANSO_SCENARIO_B_ANCHOR_SPACING"] ?? "") ?? study.anchorSpacingCells
    for model in models {
        study.model = model
        study.maxRadiusKm = model == "hata" ? 30 : terrainRadiusKm
        let r = try CoverageEngine.run(study: study, transmitters: transmitters, dem: dem) { f in
            FileHandle.standardError.write(Data(String(format: "\rscenario B %@: %3.0f %%", model, f * 100).utf8))
        }
        FileHandle.standardError.write(Data("\n".utf8))
        let served = r.bestServer.filter { $0 >= 0 }.count
        print(
            "scenario B, \(model): \(transmitters.count) sectors, \(r.spec.width)×\(r.spec.height) grid at 30 m, radius \(Int(study.maxRadiusKm)) km, "
                + "\(served) cells served, \(r.diagnostics.profilesComputed) profiles computed, \(String(format: "%.1f", r.seconds)) s, peak RSS so far \(String(format: "%.0f", peakResidentMB())) MB"
        )
        if env["TANSO_SCENARIO_B_DIGEST"] != nil {
            // FNV-1a over the best signal's Float bits, the best server, the server count and every service layer.
            var hsh: UInt64 = 14_695_981_039_346_656_037
            func mix(_ v: UInt64) { hsh = (hsh ^ v) &* 1_099_511_628_211 }
            for v in r.bestSignalDBm { mix(UInt64(v.bitPattern)) }
            for v in r.bestServer { mix(UInt64(UInt32(bitPattern: v))) }
            for v in r.serverCount { mix(UInt64(v)) }
            for key in r.serviceDBm.keys.sorted() { for v in r.serviceDBm[key]! { mix(UInt64(v.bitPattern)) } }
            print("  digest of the layers (FNV-1a): \(String(hsh, radix: 16)); diagnostics \(r.diagnostics)")
        }
        figures.append((name: "coverage_scenarioB_\(model)_s", value: r.seconds, unit: "s"))
    }
    figures.append((name: "coverage_scenarioB_peak_rss_mb", value: peakResidentMB(), unit: "MB"))
    return figures
}

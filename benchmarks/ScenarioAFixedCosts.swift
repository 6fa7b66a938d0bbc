// Scenario A's fixed costs (issue 21): the whole `tanso coverage` command with each product alone, so that each
// product's cost can be set beside the engine's, and the fixed cost (Hata: no terrain engine) on its own.
import Foundation
import TansoCLI

/// Writes scenario A's inputs into `dir` (the sample province's terrain at 1″ as a GeoTIFF, one transmitter) and
/// returns the `tanso coverage` arguments without model, products and output: 40 × 40 km at 30 m.
func scenarioAInputs(in dir: URL) throws -> [String] {
    try SampleProvince.dem(arcSeconds: 1).write(to: dir.appendingPathComponent("dem.tif").path, format: .geoTIFF)
    let tx = """
        id,site_id,operator,technology,latitude,longitude,antenna_height_m,frequency_mhz,bandwidth_mhz,eirp_dbm
        A,A,Bench,4G,10.95,107.30,30,900,10,60

        """
    try Data(tx.utf8).write(to: dir.appendingPathComponent("tx.csv"))
    let halfLat = 20_000 / 110_574.0, halfLon = 20_000 / (111_320 * cos(10.95 * .pi / 180))
    let area = [107.30 - halfLon, 10.95 - halfLat, 107.30 + halfLon, 10.95 + halfLat].map { String(format: "%.6f", $0) }.joined(separator: ",")
    return ["coverage", "--transmitters", "tx.csv", "--dem", "dem.tif", "--resolution-m", "30", "--max-radius-km", "29", "--area", area]
}

/// Group `scenario-a-fixed`: Hata without and with the servers products (the fixed cost), ITM with no optional
/// product, with each product alone (`CoverageProducts.Selection.Kind`) and with all; best wall of 3, mean CPU seconds (user + system) of the 3, peak
/// resident MB. A product's cost is its run's CPU seconds less those of the run without optional products.
func runScenarioAFixedCostsBenchmark() throws -> [(name: String, value: Double, unit: String)] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-bench-scenario-a-fixed-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let common = try scenarioAInputs(in: dir)
    let runs: [(label: String, args: [String])] =
        [("hata_none", ["--model", "hata", "--products", ""]), ("hata_servers", ["--model", "hata", "--products", "servers"])]
        + [("itm_none", ["--model", "itm", "--products", ""])]
        + ["servers", "services", "kmz", "polygons", "villages", "map", "overviews"].map { ("itm_\($0)", ["--model", "itm", "--products", $0]) }
        + [("itm_all", ["--model", "itm"])]
    var figures: [(name: String, value: Double, unit: String)] = []
    var cpuOf: [String: Double] = [:]
    for run in runs {
        let cpu0 = childrenCPUSeconds()
        guard let r = bestOf(3, common + run.args + ["--output", "out-\(run.label)"], in: dir) else { return figures }
        let cpu = (childrenCPUSeconds() - cpu0) / 3
        cpuOf[run.label] = cpu
        let extra = run.label.hasPrefix("itm_") && run.label != "itm_none" ? cpu - (cpuOf["itm_none"] ?? cpu) : nil
        print(
            String(format: "scenario A, %@: %.2f s wall, %.2f CPU s, %.0f MB peak", run.label, r.seconds, cpu, r.peakMB)
                + (extra.map { String(format: " (%+.2f CPU s over itm_none)", $0) } ?? ""))
        figures += [
            ("cmd_scenarioA_\(run.label)_s", r.seconds, "s"), ("cmd_scenarioA_\(run.label)_cpu_s", cpu, "s"),
            ("cmd_scenarioA_\(run.label)_peak_mb", r.peakMB, "MB")
        ]
    }
    if let itm = cpuOf["itm_none"], let hata = cpuOf["hata_none"] {
        print(String(format: "scenario A: ITM engine less the Hata kernel, CPU s: %.2f", itm - hata))
        figures.append(("cmd_scenarioA_itm_engine_over_hata_cpu_s", itm - hata, "s"))
    }
    return figures
}

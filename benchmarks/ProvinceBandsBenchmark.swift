// The whole sample province at 30 m with every sector (data/transmitters.csv, 535 sectors) over its terrain at 1″,
// Hata (30 km radius) and ITM (10 km radius, radial profiles), as a user runs it: `tanso coverage` with every
// product, timed from start to exit with its peak resident memory. Each model runs twice: the whole grid at once
// (`--band-rows 0`, the way every run went before issue 21) and by bands of 512 rows (the default above 4 million
// cells); the raster products of the two runs are compared byte for byte. The engine's own seconds are the
// summary's. Not in the default set: minutes of work.
import Foundation
import TansoCLI

func runProvinceBandsBenchmark() throws -> [(name: String, value: Double, unit: String)] {
    let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-bench-bands-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try SampleProvince.dem(arcSeconds: 1).write(to: dir.appendingPathComponent("dem1.tif").path, description: "elevation (m), synthetic")
    var figures: [(name: String, value: Double, unit: String)] = []
    for (model, radius) in [("hata", "30"), ("itm", "10")] {
        var outputs: [String] = []
        for (mode, rows) in [("whole", "0"), ("bands", "512")] {
            let output = "out-\(model)-\(mode)"
            var load = [0.0, 0, 0]
            getloadavg(&load, 3)
            let args = [
                "coverage", "--transmitters", root.appendingPathComponent("data/transmitters.csv").path,
                "--villages", root.appendingPathComponent("data/villages.csv").path, "--dem", "dem1.tif", "--resolution-m", "30",
                "--model", model, "--max-radius-km", radius, "--band-rows", rows, "--output", output
            ]
            guard let r = runTanso(args, in: dir) else { continue }
            let summary = (try? String(contentsOf: dir.appendingPathComponent(output + "/coverage_summary.txt"), encoding: .utf8)) ?? ""
            let engine = summary.split(separator: "\n").first.flatMap { line in
                line.split(separator: ",").last.flatMap { Double($0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " s", with: "")) }
            }
            print(
                String(
                    format: "province at 30 m, %@, %@: %.1f s whole command (engine %.1f s), peak %.0f MB (load %.1f)", model, mode, r.seconds,
                    engine ?? .nan, r.peakMB, load[0]))
            figures.append((name: "coverage_province30_\(model)_\(mode)_command_s", value: r.seconds, unit: "s"))
            figures.append((name: "coverage_province30_\(model)_\(mode)_peak_rss_mb", value: r.peakMB, unit: "MB"))
            if let engine { figures.append((name: "coverage_province30_\(model)_\(mode)_engine_s", value: engine, unit: "s")) }
            outputs.append(output)
        }
        guard outputs.count == 2 else { continue }
        let rasters = ["best_signal_dbm.tif", "best_server.tif", "server_count.tif", "villages.csv", "coverage.geojson"]
        let same = rasters.filter { name in
            let a = try? Data(contentsOf: dir.appendingPathComponent(outputs[0] + "/" + name))
            return a != nil && a == (try? Data(contentsOf: dir.appendingPathComponent(outputs[1] + "/" + name)))
        }
        print("province at 30 m, \(model): \(same.count) of \(rasters.count) products identical byte for byte (\(same.joined(separator: ", ")))")
    }
    return figures
}

// Measurements (issue 17): 100,000 measurements against 500 sectors (the first 500 of data/transmitters.csv) with
// ITM on the sample DEM (3″), each measurement 0.2–10 km from its serving sector (named by transmitter_id), scattered
// so that nearly every row is its own 40 λ bin (the worst case for the work). Target ≤ 30 s on 2 cores, the whole
// command. Figures: the comparison in process (attribution, binning, ITM on each bin's own profile, statistics),
// the whole `tanso measurements` command as a child process (wall time and peak resident memory; the tanso binary
// next to this one, `swift build -c release --product tanso`), and the least-squares calibration of the 100,000
// compared points (offset, slope and 4 class losses, tile hold-out): target ≤ 2 s.
import Foundation
import Analysis
import Records
import Radio
import Terrain
import TansoCLI

func runMeasurementsBenchmark() throws -> [(name: String, value: Double, unit: String)] {
    var figures: [(name: String, value: Double, unit: String)] = []
    let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-meas-bench-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: tmp) }
    let demPath = tmp.appendingPathComponent("dem.tif").path
    try SampleProvince.dem(arcSeconds: 3).write(to: demPath)
    let lines = try String(contentsOfFile: "data/transmitters.csv", encoding: .utf8).split(separator: "\n")
    let txPath = tmp.appendingPathComponent("tx500.csv").path
    try (lines.prefix(501).joined(separator: "\n") + "\n").write(toFile: txPath, atomically: true, encoding: .utf8)
    var report = LoadReport()
    let txs = try TransmitterLoader.load(txPath, report: &report)
    var g = SplitMix64(seed: 1717)
    var csv = "latitude,longitude,technology,metric,value,frequency_mhz,transmitter_id\n"
    for i in 0..<100_000 {
        let t = txs[i % txs.count]
        let r = g.uniform(200, 10_000), a = g.uniform(0, 2 * .pi)
        let lat = min(max(t.latitude + r * cos(a) / 111_320, SampleProvince.south + 0.01), SampleProvince.north - 0.01)
        let lon = min(max(t.longitude + r * sin(a) / (111_320 * cos(t.latitude * .pi / 180)), SampleProvince.west + 0.01), SampleProvince.east - 0.01)
        csv +=
            "\(String(format: "%.6f", lat)),\(String(format: "%.6f", lon)),\(t.technology.rawValue),\(MeasurementMetric.native(for: t.technology).rawValue),\(String(format: "%.1f", g.uniform(-115, -60))),\(t.frequencyMHz),\(t.id)\n"
    }
    let mPath = tmp.appendingPathComponent("survey.csv").path
    try csv.write(toFile: mPath, atomically: true, encoding: .utf8)

    // In process.
    let t0 = Date()
    let set = try MeasurementLoader.load(mPath, report: &report)
    var study = CoverageStudy(west: SampleProvince.west, south: SampleProvince.south, east: SampleProvince.east, north: SampleProvince.north)
    study.model = "itm"
    let predictor = try PointPredictor(study: study, transmitters: txs, dem: try ElevationModel(path: demPath))
    let comparison = try MeasurementComparison.run(set.measurements, predictor: predictor)
    let seconds = Date().timeIntervalSince(t0)
    print(
        "measurements: 100,000 rows, \(txs.count) sectors, ITM on the sample DEM: \(comparison.bins.count) bins, \(comparison.compared.count) compared, in process \(String(format: "%.2f", seconds)) s on \(ProcessInfo.processInfo.activeProcessorCount) cores"
    )
    figures.append((name: "measurements_100k_itm_in_process_s", value: seconds, unit: "s"))

    // The calibration fit of the compared points.
    var points = MeasurementComparison.calibrationPoints(comparison)
    for i in points.indices { points[i].classCode = [10, 30, 40, 50][Int(g.next() % 4)] }
    var options = CalibrationOptions()
    options.fitSlope = true; options.fitClutter = true
    var fitTimes: [Double] = []
    for _ in 0..<3 {
        let t1 = Date()
        _ = try CalibrationFit.fit(points, model: "itm", options: options)
        fitTimes.append(Date().timeIntervalSince(t1))
    }
    print(
        "calibrate: least squares on \(points.count) points (offset, slope, 3 class losses, hold-out): best of 3 \(String(format: "%.3f", fitTimes.min()!)) s")
    figures.append((name: "calibration_fit_100k_s", value: fitTimes.min()!, unit: "s"))

    // The whole command.
    let tanso = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tanso")
    guard FileManager.default.isExecutableFile(atPath: tanso.path) else {
        print("measurements: no tanso binary beside the benchmarks (swift build -c release --product tanso): whole-command figure not taken")
        return figures
    }
    // Wall time and the command's own peak resident memory (`runTanso`: TANSO_REPORT_PEAK_RSS).
    let args = [
        "measurements", "--measurements", mPath, "--transmitters", txPath, "--dem", demPath, "--model", "itm", "--output",
        tmp.appendingPathComponent("out").path
    ]
    guard let (wall, rssMB) = runTanso(args, in: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) else { return figures }
    print("tanso measurements (whole command): \(String(format: "%.2f", wall)) s wall, peak RSS \(String(format: "%.0f", rssMB)) MB")
    figures.append((name: "measurements_100k_itm_command_s", value: wall, unit: "s"))
    figures.append((name: "measurements_100k_itm_command_peak_mb", value: rssMB, unit: "MB"))
    return figures
}

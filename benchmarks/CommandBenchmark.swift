// Whole commands, as a user runs them: the `tanso` binary built next to this one, started as a child process,
// timed from start to exit (products included), with its peak resident memory (TANSO_REPORT_PEAK_RSS).
import Foundation
import Geo
import TansoCLI

/// One run of `tanso ARGS` in `directory`: wall seconds and peak resident MB; nil (with a message) on failure.
func runTanso(_ args: [String], in directory: URL) -> (seconds: Double, peakMB: Double)? {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("tanso")
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
        print("whole-command benchmark skipped: no tanso binary next to the benchmarks (swift build -c release --product tanso)")
        return nil
    }
    let p = Process()
    p.executableURL = binary
    p.arguments = args
    p.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env["TANSO_REPORT_PEAK_RSS"] = "1"
    p.environment = env
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    let t0 = DispatchTime.now().uptimeNanoseconds
    do { try p.run() } catch {
        print("tanso \(args.joined(separator: " ")): \(error)")
        return nil
    }
    let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    let peak = text.split(separator: "\n").first { $0.hasPrefix("tanso: peak resident memory:") }.flatMap { Double($0.split(separator: " ")[4]) }
    guard p.terminationStatus == 0 || p.terminationStatus == 1, let peak else {
        print("tanso \(args.joined(separator: " ")) failed (\(p.terminationStatus)): \(text.prefix(400))")
        return nil
    }
    return (seconds, peak)
}

/// The best (lowest) wall time of `runs` runs, with the peak memory of that run.
func bestOf(_ runs: Int, _ args: [String], in directory: URL) -> (seconds: Double, peakMB: Double)? {
    var best: (seconds: Double, peakMB: Double)? = nil
    for _ in 0..<runs {
        guard let r = runTanso(args, in: directory) else { return nil }
        if best == nil || r.seconds < best!.seconds { best = r }
    }
    return best
}

/// `tanso pathloss` end to end: 10,000 rows of NTIA's 3,680-point profile (pfls.csv, about 367 MB of CSV), with
/// FSPL (all reading) and ITM; and the 10,000 real-terrain profiles of the batch benchmark with ITM.
func runPathLossCommandBenchmark() throws -> [(name: String, value: Double, unit: String)] {
    guard let ref = referenceDir() else {
        print("pathloss command benchmark skipped: Tests/Fixtures not found")
        return []
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-bench-pathloss-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    // NTIA's profile: "n,spacing,h0,h1,…" on the first line of pfls.csv.
    let pfl = try String(contentsOf: ref.appendingPathComponent("propagation/itm/pfls.csv"), encoding: .utf8).split(separator: "\n")[0]
    let values = pfl.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
    let heights = values.dropFirst(2).joined(separator: " ")
    let header = "id,frequency_mhz,tx_height_m,rx_height_m,spacing_m,elevations_m\n"
    guard
        let big = FileHandle(
            forWritingAtPath: {
                let p = dir.appendingPathComponent("ntia10k.csv").path; FileManager.default.createFile(atPath: p, contents: nil); return p
            }())
    else { return [] }
    big.write(Data(header.utf8))
    for i in 0..<10_000 { big.write(Data("\(i),\(500 + i % 500),\(10 + i % 40),\(1 + Double(i % 30) / 10),\(values[1]),\(heights)\n".utf8)) }
    try big.close()
    let bigMB = Double((try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("ntia10k.csv").path)[.size] as? Int) ?? 0) / 1_048_576
    var figures: [(name: String, value: Double, unit: String)] = []
    for model in ["fspl", "itm"] {
        guard let r = bestOf(3, ["pathloss", "--model", model, "--input", "ntia10k.csv", "--output", "out-\(model).csv"], in: dir) else { return figures }
        print(
            String(
                format: "tanso pathloss --model %@: 10,000 rows × 3,680 points (%.0f MB CSV): %.2f s, %.0f MB peak, %.0f rows/s", model, bigMB, r.seconds,
                r.peakMB, 10_000 / r.seconds))
        figures += [
            ("cmd_pathloss_\(model)_10k_x_3680pt_s", r.seconds, "s"), ("cmd_pathloss_\(model)_10k_x_3680pt_peak_mb", r.peakMB, "MB")
        ]
    }
    // The batch benchmark's 10,000 real profiles, as a file.
    if let rows = try bigTujungaRows(count: 10_000) {
        var text = header
        for r in rows {
            text += [r.fields["id"]!, "900", "30", "1.5", r.fields["spacing_m"]!, r.fields["elevations_m"]!].joined(separator: ",") + "\n"
        }
        try Data(text.utf8).write(to: dir.appendingPathComponent("real10k.csv"))
        let cpu0 = childrenCPUSeconds()
        if let r = bestOf(3, ["pathloss", "--model", "itm", "--input", "real10k.csv", "--output", "out-real.csv"], in: dir) {
            // CPU seconds (user + system, all threads) of the whole process, mean of the 3 runs: what the load of
            // other processes on a shared machine inflates least.
            let cpu = (childrenCPUSeconds() - cpu0) / 3
            print(
                String(
                    format:
                        "tanso pathloss --model itm: 10,000 real profiles: %.2f s, %.0f MB peak, %.0f rows/s; %.3f CPU s per run (%.0f rows per CPU second)",
                    r.seconds, r.peakMB, 10_000 / r.seconds, cpu, 10_000 / cpu))
            figures += [
                ("cmd_pathloss_itm_10k_real_rows_per_s", 10_000 / r.seconds, "rows/s"), ("cmd_pathloss_itm_10k_real_peak_mb", r.peakMB, "MB"),
                ("cmd_pathloss_itm_10k_real_cpu_s", cpu, "s")
            ]
        }
    }
    return figures
}

/// User plus system CPU seconds of the finished child processes so far.
func childrenCPUSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

/// Scenario A as a user runs it: `tanso coverage` with one transmitter over 40 × 40 km at 1″ (30 m) with ITM,
/// products included, with the default interpolation and with every cell computed; the DEM is the sample province's
/// terrain at 1″ written as a GeoTIFF first (not timed).
func runScenarioACommandBenchmark() throws -> [(name: String, value: Double, unit: String)] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-bench-scenario-a-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let common = try scenarioAInputs(in: dir) + ["--model", "itm"]
    var figures: [(name: String, value: Double, unit: String)] = []
    for (label, extra) in [("radial", [String]()), ("every_cell", ["--interpolate-within-db", "0"])] {
        guard let r = bestOf(3, common + extra + ["--output", "out-\(label)"], in: dir) else { return figures }
        print(String(format: "tanso coverage, scenario A (%@), whole command with products: %.2f s, %.0f MB peak", label, r.seconds, r.peakMB))
        figures += [("cmd_coverage_scenarioA_itm_\(label)_s", r.seconds, "s"), ("cmd_coverage_scenarioA_itm_\(label)_peak_mb", r.peakMB, "MB")]
    }
    return figures
}

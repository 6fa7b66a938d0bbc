// tanso monitor (issue 18):
//  1. Sweep detection kernel: a month of sweeps from one station at 1 s cadence over 87.5–108 MHz at 25 kHz
//     (2,592,000 sweeps × 820 bins, TANSO_MONITOR_SWEEPS overrides the count), Float32 levels streamed through
//     SweepAccumulator in blocks of 1,024 sweeps (per-bin histograms, channel maxima, occupancy per 100 kHz channel).
//     The levels are synthetic (noise, 25 FM carriers, an intermittent one), generated once into 8 blocks that are
//     cycled, so that the generator is not timed. Figures: kernel bins/s and the process's peak RSS.
//  2. The whole command from CSV: `tanso monitor --sweeps` on a generated sweep file (TANSO_MONITOR_CSV_SWEEPS,
//     default 2,000 sweeps × 820 bins, in a temporary folder, removed afterwards) through /usr/bin/time -v: wall
//     seconds, bins/s and the child's peak RSS. Needs .build/release/tanso (swift build -c release --product tanso).
//  3. Matching: 100,000 emissions (60 fixed stations, 10 vans on 500-position routes) against a national register of
//     100,000 assignments (simple model), seconds; predictions are shared by the emissions of one place.
import Foundation
import Analysis
import Geo
import Radio
import Records

func runMonitorBenchmark() -> [(name: String, value: Double, unit: String)] {
    var figures: [(name: String, value: Double, unit: String)] = []
    figures += monitorKernelBenchmark()
    figures += monitorCommandBenchmark()
    figures += monitorMatchingBenchmark()
    return figures
}

let fmGrid = (0..<820).map { 87.5 + 0.025 * Double($0) }

/// One synthetic sweep: noise around 8 dBµV/m and FM carriers every 800 kHz (one on 30 % of the time).
func syntheticFMSweep(_ rng: inout SplitMix64, into v: UnsafeMutableBufferPointer<Float>, sweep k: Int) {
    for b in 0..<fmGrid.count { v[b] = Float(8 + 2 * rng.normal()) }
    for c in stride(from: 40, to: 800, by: 32) where c != 360 || k % 10 < 3 {
        for d in -3...3 { v[c + d] = max(v[c + d], Float(60 - 6 * Double(d * d))) }
    }
}

func monitorKernelBenchmark() -> [(name: String, value: Double, unit: String)] {
    let sweeps = Int(ProcessInfo.processInfo.environment["TANSO_MONITOR_SWEEPS"] ?? "") ?? 2_592_000
    let n = fmGrid.count, block = 1024, pool = 8
    var rng = SplitMix64(seed: 1880)
    var blocks = [[Float]](repeating: [Float](repeating: 0, count: block * n), count: pool)
    for p in 0..<pool {
        blocks[p].withUnsafeMutableBufferPointer { b in
            for s in 0..<block { syntheticFMSweep(&rng, into: UnsafeMutableBufferPointer(rebasing: b[(s * n)..<((s + 1) * n)]), sweep: p * block + s) }
        }
    }
    var settings = MonitoringSettings()
    settings.channelKHz = 100
    let channels = OccupancyChannels.make(lowMHz: 87.5, highMHz: 108, assignments: [], bandPlan: .vietnamDefault, channelKHz: 100)
    let acc = SweepAccumulator(stationID: "BENCH", frequenciesMHz: fmGrid, unit: .dBuVm, channels: channels, settings: settings)
    let t0 = Date(), cpu0 = monitorCPUSeconds()
    var done = 0, p = 0
    while done < sweeps {
        let count = min(block, sweeps - done)
        blocks[p].withUnsafeBufferPointer { acc.add(block: $0, count: count) }
        done += count
        p = (p + 1) % pool
    }
    let kernelSeconds = Date().timeIntervalSince(t0)
    let t1 = Date()
    let summary = acc.finish()
    let finishSeconds = Date().timeIntervalSince(t1)
    let cpu = monitorCPUSeconds() - cpu0
    let bins = Double(sweeps * n)
    let rate = bins / (kernelSeconds + finishSeconds)
    // Under load (other processes on the 2 cores) the wall rate understates the kernel: bins per CPU second × 2 is
    // what 2 free cores would give (the kernel scales with threads: bins are split between them).
    let perCPU = bins / cpu
    print(
        "monitor kernel: \(sweeps) sweeps × \(n) bins = \(String(format: "%.3g", bins)) bins in \(String(format: "%.2f", kernelSeconds)) s + \(String(format: "%.3f", finishSeconds)) s finish: \(String(format: "%.1f", rate / 1e6)) M bins/s wall, \(String(format: "%.1f", perCPU / 1e6)) M bins per CPU second (\(String(format: "%.1f", cpu)) CPU s); \(summary.emissions.count) emissions, \(summary.channels.count) channels; peak RSS \(String(format: "%.0f", monitorPeakRSSMB())) MB"
    )
    return [
        (name: "monitor_sweep_kernel_mbins_per_s", value: rate / 1e6, unit: "M bins/s"),
        (name: "monitor_sweep_kernel_mbins_per_cpu_s", value: perCPU / 1e6, unit: "M bins/CPU s"),
        (name: "monitor_sweep_kernel_sweeps", value: Double(sweeps), unit: "sweeps"),
        (name: "monitor_sweep_kernel_peak_rss_mb", value: monitorPeakRSSMB(), unit: "MB")
    ]
}

/// User + system CPU seconds of this process so far.
func monitorCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func monitorPeakRSSMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func monitorCommandBenchmark() -> [(name: String, value: Double, unit: String)] {
    let tanso = ".build/release/tanso"
    guard FileManager.default.isExecutableFile(atPath: tanso), FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else {
        print("monitor command: skipped (needs \(tanso): swift build -c release --product tanso, and /usr/bin/time)")
        return []
    }
    let sweeps = Int(ProcessInfo.processInfo.environment["TANSO_MONITOR_CSV_SWEEPS"] ?? "") ?? 2000
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-monitor-bench-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let csv = dir.appendingPathComponent("sweeps.csv").path
    FileManager.default.createFile(atPath: csv, contents: nil)
    guard let h = FileHandle(forWritingAtPath: csv) else { return [] }
    h.write(Data("station_id,latitude,longitude,antenna_height_m,timestamp,frequency_mhz,level_dbuv_m\n".utf8))
    var rng = SplitMix64(seed: 443)
    var levels = [Float](repeating: 0, count: fmGrid.count)
    let freqText = fmGrid.map { String(format: "%.3f", $0) }
    for k in 0..<sweeps {
        levels.withUnsafeMutableBufferPointer { syntheticFMSweep(&rng, into: $0, sweep: k) }
        var s = ""
        let time = "2026-11-01T00:\(k / 60):\(k % 60)"
        for b in 0..<fmGrid.count { s += "MON-BH,10.940000,106.865000,10.0,\(time),\(freqText[b]),\(String(format: "%.1f", levels[b]))\n" }
        h.write(Data(s.utf8))
    }
    try? h.close()
    let bytes = (try? FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/time")
    p.arguments = ["-v", tanso, "monitor", "--sweeps", csv, "--assignments", "data/assignments.csv", "--output", dir.appendingPathComponent("out").path]
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    let t0 = Date()
    do { try p.run() } catch { print("monitor command: \(error)"); return [] }
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let seconds = Date().timeIntervalSince(t0)
    let text = String(decoding: errData, as: UTF8.self)
    let rssKB =
        text.split(separator: "\n").first { $0.contains("Maximum resident set size") }.flatMap {
            Double($0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces))
        } ?? 0
    let bins = Double(sweeps * fmGrid.count)
    print(
        "monitor command: tanso monitor --sweeps on \(sweeps) sweeps × \(fmGrid.count) bins (\(String(format: "%.0f", Double(bytes) / 1e6)) MB CSV): \(String(format: "%.2f", seconds)) s wall, \(String(format: "%.2f", bins / seconds / 1e6)) M bins/s, peak RSS \(String(format: "%.0f", rssKB / 1024)) MB (exit \(p.terminationStatus))"
    )
    return [
        (name: "monitor_command_csv_mbins_per_s", value: bins / seconds / 1e6, unit: "M bins/s"),
        (name: "monitor_command_csv_s", value: seconds, unit: "s"),
        (name: "monitor_command_csv_mb", value: Double(bytes) / 1e6, unit: "MB"),
        (name: "monitor_command_peak_rss_mb", value: rssKB / 1024, unit: "MB")
    ]
}

func monitorMatchingBenchmark() -> [(name: String, value: Double, unit: String)] {
    var rng = SplitMix64(seed: 1000)
    let services = ["broadcast_fm", "land_mobile", "mobile", "fixed", "broadcast_tv"]
    // A national register: 100,000 assignments spread over a box the size of Vietnam (8.6–23.3° N, 102.2–109.4° E).
    var assignments: [Assignment] = []
    assignments.reserveCapacity(100_000)
    for k in 0..<100_000 {
        let s = services[k % services.count]
        let (f, bw): (Double, Double)
        switch s {
        case "broadcast_fm": (f, bw) = (87.6 + 0.1 * Double(Int(rng.uniform(0, 204))), 200)
        case "land_mobile": (f, bw) = (136 + 0.0125 * Double(Int(rng.uniform(0, 2720))), 12.5)
        case "mobile": (f, bw) = (1805 + 5 * Double(Int(rng.uniform(0, 15))) + 2.5, 5000)
        case "broadcast_tv": (f, bw) = (474 + 8 * Double(Int(rng.uniform(0, 27))), 8000)
        default: (f, bw) = (rng.uniform(7000, 8000), 28000)
        }
        assignments.append(
            Assignment(
                id: "A\(k)", stationID: "S\(k / 3)", licensee: "L\(k % 50)", service: s, latitude: rng.uniform(8.6, 23.3),
                longitude: rng.uniform(102.2, 109.4), tx: Channel(centreMHz: f, bandwidthKHz: bw), antennaHeightM: rng.uniform(10, 60),
                eirpDBm: rng.uniform(30, 70)))
    }
    // 60 fixed stations (10 m) and 10 vans (2 m) on 20 km routes of 500 positions each; every emission is one of
    // the assignments within 60 km of where it was measured (its frequency and bandwidth measured), or, one in ten,
    // at a random frequency.
    func near(_ lat: Double, _ lon: Double) -> [Int] {
        assignments.indices.filter { Geodesy.distanceKm(lat, lon, assignments[$0].latitude, assignments[$0].longitude) < 60 }
    }
    var places: [(id: String, lat: Double, lon: Double, height: Double, nearby: [Int])] = []
    for s in 0..<60 {
        let lat = rng.uniform(9, 23), lon = rng.uniform(103, 109)
        places.append(("F\(s)", lat, lon, 10, near(lat, lon)))
    }
    for v in 0..<10 {
        let lat = rng.uniform(9, 23), lon = rng.uniform(103, 109)
        let nearby = near(lat, lon)
        for p in 0..<500 { places.append(("V\(v)", lat + 0.0004 * Double(p), lon + 0.0002 * Double(p), 2, nearby)) }
    }
    var emissions: [MonitoredEmission] = []
    emissions.reserveCapacity(100_000)
    for k in 0..<100_000 {
        let p = places[k % 10 < 7 ? Int(rng.uniform(0, 60)) : 60 + Int(rng.uniform(0, 5000))]
        guard !p.nearby.isEmpty else { continue }
        let a = assignments[p.nearby[Int(rng.uniform(0, Double(p.nearby.count)))]]
        let f = k % 10 == 9 ? rng.uniform(87.5, 2000) : a.tx.centreMHz + rng.uniform(-0.2, 0.2) * a.tx.bandwidthKHz / 1000
        emissions.append(
            MonitoredEmission(
                stationID: p.id, latitude: p.lat, longitude: p.lon, antennaHeightM: p.height, timestamp: "t\(k)", frequencyMHz: f,
                bandwidthKHz: a.tx.bandwidthKHz * rng.uniform(0.7, 1.2), levelDBuVm: rng.uniform(20, 90)))
    }
    let t0 = Date(), cpu0 = monitorCPUSeconds()
    let r = MonitoringCorrelation().run(emissions: emissions, assignments: assignments)
    let seconds = Date().timeIntervalSince(t0), cpu = monitorCPUSeconds() - cpu0
    print(
        "monitor matching: \(emissions.count) emissions at \(places.count) places × \(assignments.count) assignments: \(String(format: "%.2f", seconds)) s wall, \(String(format: "%.2f", cpu)) CPU s, \(r.candidatePairs) candidate pairs, \(r.predictions) predictions, \(r.findings.count) findings"
    )
    return [
        (name: "monitor_matching_100k_x_100k_s", value: seconds, unit: "s"),
        (name: "monitor_matching_100k_x_100k_cpu_s", value: cpu, unit: "CPU s"),
        (name: "monitor_matching_predictions", value: Double(r.predictions), unit: "predictions")
    ]
}

// `tanso pathloss --model itm` on 10,000 real-terrain profiles cut from the SRTM 1″ DEM of the San Gabriel
// Mountains (Tests/Fixtures/terrain/bigtujunga_srtm1_utm11.tif): profiles per second on 1 and 2 threads,
// the scaling, and a check that the results are identical whatever the thread count.
import Foundation
import Analysis
import Geo
import Terrain

/// The validation data the benchmarks read: `$TANSO_REFERENCE_DIR`, else the project's `Tests/Fixtures` (found from
/// the working directory or from this file), else nil (the benchmark then says it used synthetic data).
func referenceDir() -> URL? {
    let fm = FileManager.default
    if let env = ProcessInfo.processInfo.environment["TANSO_REFERENCE_DIR"], fm.fileExists(atPath: env) { return URL(fileURLWithPath: env) }
    for start in [URL(fileURLWithPath: fm.currentDirectoryPath), URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()] {
        let candidate = start.appendingPathComponent("Tests/Fixtures")
        if fm.fileExists(atPath: candidate.appendingPathComponent("README.md").path) { return candidate }
    }
    return nil
}

/// 10,000 profiles: random transmitter cells, receivers 1–15 km away in random directions, 30 m spacing,
/// heights read bilinearly in the DEM's own grid (UTM 11N). Deterministic (fixed seed).
func bigTujungaRows(count: Int) throws -> [PathLossRow]? {
    guard let ref = referenceDir() else { return nil }
    let dem = try ElevationModel(path: ref.appendingPathComponent("terrain/bigtujunga_srtm1_utm11.tif").path)
    let gt = dem.grid.geoTransform
    let minX = gt.originX + 100, maxX = gt.originX + gt.pixelWidth * Double(dem.grid.width) - 100
    let maxY = gt.originY - 100, minY = gt.originY - gt.pixelHeight * Double(dem.grid.height) + 100
    var state: UInt64 = 0x5EED
    func uniform() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
    var rows: [PathLossRow] = []
    rows.reserveCapacity(count)
    while rows.count < count {
        let x1 = minX + (maxX - minX) * uniform(), y1 = minY + (maxY - minY) * uniform()
        let d = 1000 + 14_000 * uniform(), a = 2 * Double.pi * uniform()
        let x2 = x1 + d * sin(a), y2 = y1 + d * cos(a)
        guard x2 > minX, x2 < maxX, y2 > minY, y2 < maxY else { continue }
        let n = Int(ceil(d / 30))
        var heights: [String] = []
        heights.reserveCapacity(n + 1)
        var ok = true
        for i in 0...n {
            let f = Double(i) / Double(n)
            guard let h = dem.elevation(x: x1 + f * (x2 - x1), y: y1 + f * (y2 - y1)) else { ok = false; break }
            heights.append(String(format: "%.1f", h))
        }
        guard ok else { continue }
        rows.append(
            PathLossRow(fields: [
                "id": String(rows.count), "frequency_mhz": "900", "tx_height_m": "30", "rx_height_m": "1.5",
                "spacing_m": String(d / Double(n)), "elevations_m": heights.joined(separator: " ")
            ]))
    }
    return rows
}

func runPathLossBatchBenchmark() -> [(name: String, value: Double, unit: String)] {
    guard let rows = try? bigTujungaRows(count: 10_000) else {
        print("pathloss batch benchmark skipped: Tests/Fixtures/terrain not found (run from the project root or set TANSO_REFERENCE_DIR)")
        return []
    }
    var results: [Int: [PathLossOutcome]] = [:]
    var rate: [Int: Double] = [:]
    for threads in [1, 2] {
        var best = Double.infinity
        for _ in 0..<3 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            results[threads] = PathLossBatch.run(rows, model: .itm, threads: threads)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        rate[threads] = Double(rows.count) / best
    }
    let identical = results[1]! == results[2]!
    let failed = results[1]!.filter { $0.error != nil }.count
    let points = rows.reduce(0) { $0 + ($1.fields["elevations_m"]!.split(separator: " ").count) } / rows.count
    print("pathloss itm batch: \(rows.count) profiles, \(points) points on average, \(failed) failed, identical across threads: \(identical)")
    return [
        ("pathloss_itm_10k_profiles_per_s_1thread", rate[1]!, "profiles/s"),
        ("pathloss_itm_10k_profiles_per_s_2threads", rate[2]!, "profiles/s"),
        ("pathloss_itm_scaling_2threads", rate[2]! / rate[1]!, "x"),
        ("pathloss_itm_identical_across_threads", identical ? 1 : 0, "bool")
    ]
}

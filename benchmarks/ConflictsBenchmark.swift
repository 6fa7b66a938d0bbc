// Register checks at country scale: 100,000 synthetic assignments over a Vietnam-sized rectangle
// (8.5–23.4 °N, 102.1–109.5 °E, about 1650 × 800 km), screened with the simple model (no DEM).
//
// Mix (deterministic, seed 6): 60,000 mobile sectors (20,000 three-sector sites of three operators on their
// own blocks of bands 28, 8, 3, 1, 41 and n78), 20,000 VHF land-mobile channels (12.5 kHz raster, a quarter of
// them duplex with a receive channel 4.6 MHz lower), 15,000 fixed links in the 6–8 GHz bands (28/29.65 MHz
// channels, 5–40 km hops, 38 dBi dishes), 2,000 FM and about 3,000 UHF TV transmitters, 50 records out of
// plan and 200 repeated records. One land-mobile channel in ten sits on a shared tower of four.
// Figures: seconds for the whole run (candidate search, simple-model margins, intermodulation, duplicates,
// band plan) on all cores, and candidate pairs examined against n²/2.
import Foundation
import Analysis
#if canImport(Glibc)
    import Glibc
#endif
import Radio
import Records

func syntheticRegister(count n: Int = 100_000, seed: UInt64 = 6) -> [Assignment] {
    var r = SplitMix64(seed: seed)
    let south = 8.5, north = 23.4, west = 102.1, east = 109.5
    func position() -> (Double, Double) { (south + r.uniform() * (north - south), west + r.uniform() * (east - west)) }
    var out: [Assignment] = []
    out.reserveCapacity(n)
    // Mobile: (centre MHz, bandwidth kHz, EIRP) per operator and band.
    let operators = ["Op-A", "Op-B", "Op-C"]
    let blocks: [[(Double, Double, Double)]] = [
        [(763, 10_000, 60), (937.4, 200, 47), (1862.5, 15_000, 61), (2122.6, 5000, 52), (2525, 50_000, 66), (3350, 100_000, 68)],
        [(773, 10_000, 60), (945, 200, 47), (1842.5, 20_000, 61), (2137.6, 5000, 52), (2575, 50_000, 66), (3450, 100_000, 68)],
        [(783, 10_000, 60), (950.2, 200, 47), (1822.5, 15_000, 61), (2152.6, 5000, 52), (2625, 50_000, 66), (3550, 100_000, 68)]
    ]
    let mobileSites = n * 6 / 10 / 3
    for s in 0..<mobileSites {
        let op = Int(r.next() % 3)
        let (lat, lon) = position()
        let (f, bw, eirp) = r.pick(blocks[op])
        let h = 20 + r.uniform() * 30
        let az0 = r.uniform() * 120
        for k in 0..<3 {
            out.append(
                Assignment(
                    id: "M\(s)-\(k)", stationID: "MS\(s)", licensee: operators[op], service: "mobile", latitude: lat, longitude: lon,
                    tx: Channel(centreMHz: f, bandwidthKHz: bw), antennaHeightM: h, eirpDBm: eirp,
                    azimuthDeg: az0 + Double(k) * 120, row: out.count + 1))
        }
    }
    // Land mobile; one in ten on a shared tower of four (intermodulation sites).
    var tower = (lat: 0.0, lon: 0.0, id: "")
    for k in 0..<(n / 5) {
        var (lat, lon) = position()
        var station = "LS\(k)"
        if k % 40 < 4 {
            if k % 40 == 0 { tower = (lat, lon, "TW\(k)") }
            (lat, lon, station) = tower
        }
        let ch = 136.0125 + Double(r.next() % 3000) * 0.0125
        let duplex = r.next() % 4 == 0 && ch > 141
        out.append(
            Assignment(
                id: "L\(k)", stationID: station, licensee: "PMR-\(r.next() % 500)", service: "land_mobile", latitude: lat, longitude: lon,
                tx: Channel(centreMHz: ch, bandwidthKHz: 12.5), antennaHeightM: 15 + r.uniform() * 40, eirpDBm: 37 + r.uniform() * 13,
                rx: duplex ? Channel(centreMHz: ch - 4.6, bandwidthKHz: 12.5) : nil, row: out.count + 1))
    }
    // Fixed links.
    let fixedBands: [(Double, Double, Int)] = [(5945.2, 29.65, 16), (6460, 20, 34), (7442, 28, 20), (7905, 28, 20)]
    for k in 0..<(n * 15 / 100) {
        let (lat, lon) = position()
        let (f0, step, count) = r.pick(fixedBands)
        let f = f0 + Double(r.next() % UInt64(count)) * step
        let hop = 5 + r.uniform() * 35, bearing = r.uniform() * 2 * .pi
        let rlat = lat + hop * cos(bearing) / 111.2, rlon = lon + hop * sin(bearing) / (111.2 * cos(lat * .pi / 180))
        out.append(
            Assignment(
                id: "F\(k)", stationID: "FS\(k)", licensee: "Net-\(r.next() % 40)", service: "fixed", latitude: lat, longitude: lon,
                tx: Channel(centreMHz: f, bandwidthKHz: step * 1000), antennaHeightM: 20 + r.uniform() * 40, eirpDBm: 55 + r.uniform() * 15,
                azimuthDeg: (bearing * 180 / .pi).truncatingRemainder(dividingBy: 360), antennaGainDBi: 38,
                linkReceiver: Assignment.LinkReceiver(latitude: rlat, longitude: rlon, antennaHeightM: 20 + r.uniform() * 40, antennaGainDBi: 38),
                row: out.count + 1))
    }
    // Broadcasting.
    for k in 0..<(n / 50) {
        let (lat, lon) = position()
        out.append(
            Assignment(
                id: "FM\(k)", stationID: "FMS\(k)", licensee: "Radio-\(k % 80)", service: "broadcast_fm", latitude: lat, longitude: lon,
                tx: Channel(centreMHz: 87.6 + Double(r.next() % 204) * 0.1, bandwidthKHz: 200),
                antennaHeightM: 30 + r.uniform() * 120, eirpDBm: 50 + r.uniform() * 25, row: out.count + 1))
    }
    // A few records out of plan (1790 MHz, band-3 duplex gap) and repeated records.
    for k in 0..<50 {
        let (lat, lon) = position()
        out.append(
            Assignment(
                id: "X\(k)", stationID: "XS\(k)", licensee: "Test", service: "mobile", latitude: lat, longitude: lon,
                tx: Channel(centreMHz: 1790, bandwidthKHz: 5000), antennaHeightM: 30, eirpDBm: 55, row: out.count + 1))
    }
    for k in 0..<200 {
        var copy = out[Int(r.next() % UInt64(out.count))]
        copy.id = "DUP\(k)-" + copy.id
        copy.row = out.count + 1
        out.append(copy)
    }
    while out.count < n {
        let k = out.count
        let (lat, lon) = position()
        out.append(
            Assignment(
                id: "TV\(k)", stationID: "TVS\(k)", licensee: "TV-\(k % 30)", service: "broadcast_tv", latitude: lat, longitude: lon,
                tx: Channel(centreMHz: 474 + Double(r.next() % 28) * 8, bandwidthKHz: 8000),
                antennaHeightM: 40 + r.uniform() * 150, eirpDBm: 55 + r.uniform() * 25, row: out.count + 1))
    }
    return out
}

func runConflictsBenchmark() -> [(name: String, value: Double, unit: String)] { runConflictsBenchmark(count: 100_000) }

/// The same mix at `count` assignments (`benchmarks conflicts-1m`: 1,000,000, issue 21's national target; generated,
/// never committed); figures named conflicts_100k_* or conflicts_1m_*.
func runConflictsBenchmark(count: Int) -> [(name: String, value: Double, unit: String)] {
    let tag = count == 100_000 ? "100k" : count == 1_000_000 ? "1m" : "\(count)"
    // The whole command first, while this process holds nothing of the register (on these virtual machines
    // another process's resident memory makes every new page cost more: the 1 M command took 18.2 s beside an
    // idle process holding 1.5 GB, 13.0 s alone, and the in-process run's register and conflicts are 1.5 GB).
    var commandFigures: [(name: String, value: Double, unit: String)] = []
    if ProcessInfo.processInfo.environment["TANSO_BENCH_KERNEL_ONLY"] == nil {
        commandFigures = runConflictsCommand(count: count, tag: tag)
    }
    let register = syntheticRegister(count: count)
    var settings = ConflictSettings()
    settings.threads = ProcessInfo.processInfo.activeProcessorCount
    let t0 = DispatchTime.now().uptimeNanoseconds, cpu0 = monitorCPUSeconds()
    let (conflicts, stats) = ConflictScreening(settings: settings).run(register)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9, cpu = monitorCPUSeconds() - cpu0
    var byKind: [String: Int] = [:]
    for c in conflicts { byKind[c.kind.rawValue, default: 0] += 1 }
    print(
        "conflicts: \(register.count) assignments, \(stats.victimChannels) receive channels, \(settings.threads) threads: \(String(format: "%.2f", seconds)) s; "
            + "\(stats.pairsExamined) pairs examined (\(String(format: "%.4f", 100 * Double(stats.pairsExamined) / stats.allPairs)) % of n²/2 = \(String(format: "%.3g", stats.allPairs))), "
            + "\(stats.pairsEvaluated) evaluated, \(stats.pairsClearedByDishes) cleared by the dishes' bound, \(stats.pairsComputed) path losses computed; \(String(format: "%.1f", cpu)) CPU s; conflicts "
            + byKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    print("  phases: " + stats.phaseSeconds.map { "\($0.phase) \(String(format: "%.2f", $0.seconds)) s" }.joined(separator: ", "))
    var figures: [(name: String, value: Double, unit: String)] = [
        ("conflicts_\(tag)_seconds", seconds, "s"),
        ("conflicts_\(tag)_pairs_examined", Double(stats.pairsExamined), "pairs"),
        ("conflicts_\(tag)_pairs_examined_fraction_of_n2_over_2", Double(stats.pairsExamined) / stats.allPairs, "ratio"),
        ("conflicts_\(tag)_pairs_evaluated", Double(stats.pairsEvaluated), "pairs"),
        ("conflicts_\(tag)_pairs_cleared_by_dishes", Double(stats.pairsClearedByDishes), "pairs"),
        ("conflicts_\(tag)_pairs_path_loss_computed", Double(stats.pairsComputed), "pairs"),
        ("conflicts_\(tag)_cpu_s", cpu, "s"),
        ("conflicts_\(tag)_threads", Double(settings.threads), "threads"),
        ("conflicts_\(tag)_found", Double(conflicts.count), "conflicts")
    ]
    return figures + commandFigures
}

/// `tanso conflicts` as a user runs it on the same register written as CSV into a temporary folder (deleted after;
/// TANSO_KEEP_BENCH keeps it): wall time and peak RSS of the child process, reading and products included.
/// The register is generated (the same as the in-process run's: same seed), written and let go before the child starts.
/// The command then runs as on a register that was on disk before: the file is flushed (`fsync`), and the memory
/// this process used to make it is given back to the system (`malloc_trim`). Without both, the 1 M command ran beside
/// 143 MB of dirty pages being written back and a parent holding the freed heap: 13.04 s where the same binary took
/// 10.3–10.4 s by hand in the same minutes. Best of 3 runs, as the other whole-command figures: single runs of the 1 M
/// command moved by ±15 % within minutes on these shared machines.
func runConflictsCommand(count: Int, tag: String) -> [(name: String, value: Double, unit: String)] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-bench-conflicts-\(tag)-\(getpid())")
    defer { if ProcessInfo.processInfo.environment["TANSO_KEEP_BENCH"] == nil { try? FileManager.default.removeItem(at: dir) } }
    do {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("register.csv")
        try Data(registerCSV(syntheticRegister(count: count)).utf8).write(to: path)
        let handle = try FileHandle(forUpdating: path)
        try handle.synchronize()
        try handle.close()
    } catch {
        print("conflicts command benchmark: \(error)")
        return []
    }
    releaseFreedHeap()
    guard let r = bestOf(3, ["conflicts", "--assignments", "register.csv", "--output", "out"], in: dir) else { return [] }
    print(String(format: "tanso conflicts, %@ assignments, whole command with products: %.2f s (best of 3), %.0f MB peak", tag, r.seconds, r.peakMB))
    return [("cmd_conflicts_\(tag)_s", r.seconds, "s"), ("cmd_conflicts_\(tag)_peak_mb", r.peakMB, "MB")]
}

/// glibc's `malloc_trim(0)` (not in Swift's Glibc module: looked up by name; a no-op elsewhere).
func releaseFreedHeap() {
    typealias Trim = @convention(c) (Int) -> Int32
    guard let symbol = dlsym(nil, "malloc_trim") else { return }
    _ = unsafeBitCast(symbol, to: Trim.self)(0)
}

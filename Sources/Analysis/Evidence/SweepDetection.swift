// Emissions and channel occupancy from the sweeps of a monitoring receiver, in one streaming pass with memory
// independent of the number of sweeps.
//
// Each frequency bin keeps a histogram of its levels over time (fixed cells of `histogram_step_db`); each
// occupancy channel keeps a histogram of its highest bin per sweep. After the pass:
//  - noise floor of a bin: the `noise_percentile` level of its histogram (the ITU-R SM.1753 idea: the noise is
//    what the bin shows most of the time when the lowest part of its level distribution is taken), lowered to the
//    20th percentile of those floors within ±`floor_window_khz`/2 where that is lower, so that a carrier on the air
//    in every sweep (a broadcaster) does not become its own floor;
//  - threshold: floor + `threshold_above_floor_db`; a bin's occupancy: the share of sweeps above its threshold;
//  - emissions: runs of adjacent bins whose occupancy reaches `min_occupancy_pct`; level: the highest of the
//    run's bins' median levels when above threshold; centre: the power-weighted centroid of those levels;
//    occupied bandwidth: the 99 % power bandwidth of the run (ITU-R SM.443 β/2 method, 0.5 % each side,
//    interpolated within bins); uncertainty: half a bin in frequency, one bin in bandwidth;
//  - channel occupancy (ITU-R SM.1880): the share of sweeps in which the channel's highest bin is above the
//    channel's threshold (its lowest bin floor + the margin).
// Levels are Float32 arrays, one per sweep (`add(levels:)`); blocks of sweeps are split over threads by bin, so
// the counts (integers) do not depend on the number of threads.
import Foundation
import Radio
import Records

public struct OccupancyChannel: Sendable, Equatable {
    public var name: String
    public var channel: Channel
    public init(name: String, channel: Channel) { self.name = name; self.channel = channel }
}

public struct ChannelOccupancy: Sendable {
    public var name: String
    public var channel: Channel
    public var bins: Int
    public var thresholdDB: Double
    public var occupancyPct: Double
}

public struct SweepSummary: Sendable {
    public var stationID: String
    public var frequenciesMHz: [Double]
    public var sweeps: Int
    public var firstTimestamp: String
    public var lastTimestamp: String
    /// Per bin, in dBµV/m: noise floor, threshold, highest level seen, occupancy share (%).
    public var floorDBuVm: [Double]
    public var thresholdDBuVm: [Double]
    public var maxDBuVm: [Double]
    public var occupancyPct: [Double]
    public var emissions: [MonitoredEmission]
    public var channels: [ChannelOccupancy]
    /// Distinct positions of the station (for the map), at most 1,000.
    public var positions: [(lat: Double, lon: Double, height: Double)]
}

public final class SweepAccumulator {
    public let stationID: String
    public let frequenciesMHz: [Double]
    public let settings: MonitoringSettings
    public let unit: SweepUnit
    let cells: Int
    let minDB: Float, invStep: Float
    /// bins × cells counts, and channels × cells counts of the channel's highest bin.
    var histogram: [UInt32]
    var channelHistogram: [UInt32]
    let channels: [OccupancyChannel]
    let channelBins: [Range<Int>]
    var maxLevel: [Float]
    var maxPosition: [Int32]
    public private(set) var sweeps = 0
    var firstTimestamp = "", lastTimestamp = ""
    var positions: [(lat: Double, lon: Double, height: Double)] = []
    var positionKeys: [String: Int32] = [:]
    // The block of sweeps waiting for the parallel update.
    let blockCapacity: Int
    var block: [Float]
    var blockPositions: [Int32]
    var blockCount = 0
    let threads: Int

    public init(
        stationID: String, frequenciesMHz: [Double], unit: SweepUnit, channels: [OccupancyChannel], settings: MonitoringSettings,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount, blockSweeps: Int = 1024
    ) {
        self.stationID = stationID; self.frequenciesMHz = frequenciesMHz; self.unit = unit; self.settings = settings
        cells = max(2, Int(((settings.histogramMaxDB - settings.histogramMinDB) / settings.histogramStepDB).rounded(.up)))
        minDB = Float(settings.histogramMinDB); invStep = Float(1 / settings.histogramStepDB)
        histogram = Array(repeating: 0, count: frequenciesMHz.count * cells)
        let n = frequenciesMHz.count
        var kept: [OccupancyChannel] = [], ranges: [Range<Int>] = []
        for c in channels {
            let lo = frequenciesMHz.firstIndex { $0 >= c.channel.lowMHz - 1e-9 } ?? n
            let hi = frequenciesMHz.firstIndex { $0 > c.channel.highMHz + 1e-9 } ?? n
            if hi > lo { kept.append(c); ranges.append(lo..<hi) }
        }
        self.channels = kept; channelBins = ranges
        channelHistogram = Array(repeating: 0, count: kept.count * cells)
        maxLevel = Array(repeating: -.infinity, count: n)
        maxPosition = Array(repeating: 0, count: n)
        blockCapacity = max(1, blockSweeps)
        block = Array(repeating: 0, count: blockCapacity * n)
        blockPositions = Array(repeating: 0, count: blockCapacity)
        self.threads = max(1, threads)
    }

    /// Adds one sweep (levels in the file's unit, one per grid frequency).
    public func add(levels: UnsafeBufferPointer<Float>, timestamp: String = "", latitude: Double = 0, longitude: Double = 0, heightM: Double = 0) {
        precondition(levels.count == frequenciesMHz.count)
        if sweeps == 0 { firstTimestamp = timestamp }
        lastTimestamp = timestamp
        let key = String(format: "%.5f,%.5f,%.1f", latitude, longitude, heightM)
        var p = positionKeys[key]
        if p == nil && positions.count < 1000 {
            p = Int32(positions.count); positionKeys[key] = p!; positions.append((latitude, longitude, heightM))
        }
        let n = frequenciesMHz.count
        block.withUnsafeMutableBufferPointer { b in
            _ = UnsafeMutableBufferPointer(rebasing: b[(blockCount * n)..<((blockCount + 1) * n)]).initialize(from: levels)
        }
        blockPositions[blockCount] = p ?? Int32(positions.count - 1)
        blockCount += 1
        sweeps += 1
        if blockCount == blockCapacity { flush() }
    }

    /// Adds a block of `count` sweeps stored one after another (count × bins levels): the kernel.
    public func add(block levels: UnsafeBufferPointer<Float>, count: Int) {
        precondition(levels.count >= count * frequenciesMHz.count)
        update(levels, count: count, positions: nil)
        sweeps += count
    }

    func flush() {
        guard blockCount > 0 else { return }
        let count = blockCount
        let pos = blockPositions
        block.withUnsafeBufferPointer { update($0, count: count, positions: pos) }
        blockCount = 0
    }

    private func update(_ levels: UnsafeBufferPointer<Float>, count: Int, positions: [Int32]?) {
        let n = frequenciesMHz.count, parts = min(threads, max(1, n / 64))
        let channelBins = channelBins
        let kernel = HistogramKernel(cells: cells, minDB: minDB, invStep: invStep)
        histogram.withUnsafeMutableBufferPointer { h in
            channelHistogram.withUnsafeMutableBufferPointer { ch in
                maxLevel.withUnsafeMutableBufferPointer { ml in
                    maxPosition.withUnsafeMutableBufferPointer { mp in
                        let hb = UnsafeMutableBufferPointerBox(h), chb = UnsafeMutableBufferPointerBox(ch)
                        let mlb = UnsafeMutableBufferPointerBox(ml), mpb = UnsafeMutableBufferPointerBox(mp)
                        let lv = UnsafeBufferPointerBox(levels)
                        DispatchQueue.concurrentPerform(iterations: parts) { t in
                            let b0 = t * n / parts, b1 = (t + 1) * n / parts
                            kernel.binsAndMaxHold(
                                lv.p, count: count, bins: n, range: b0..<b1, histogram: hb.p, level: mlb.p, position: mpb.p, positions: positions)
                            // Channels whose first bin is in this thread's range.
                            for (k, r) in channelBins.enumerated() where r.lowerBound >= b0 && r.lowerBound < b1 {
                                kernel.channel(lv.p, count: count, bins: n, range: r, histogram: chb.p, row: k)
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: results

    func cellLevel(_ c: Int) -> Double { settings.histogramMinDB + (Double(c) + 0.5) * settings.histogramStepDB }

    /// The level below which `pct` % of the counts of a histogram row lie (cell centre).
    func percentile(_ row: ArraySlice<UInt32>, _ pct: Double) -> Double? {
        let total = row.reduce(0) { $0 + Int($1) }
        guard total > 0 else { return nil }
        let target = Double(total) * pct / 100
        var acc = 0
        for (i, x) in row.enumerated() {
            acc += Int(x)
            if Double(acc) >= target { return cellLevel(i) }
        }
        return cellLevel(row.count - 1)
    }

    /// Counts above `threshold` and the median level of those.
    func above(_ row: ArraySlice<UInt32>, _ threshold: Double) -> (count: Int, median: Double?) {
        let first = max(0, min(cells, Int(((threshold - settings.histogramMinDB) / settings.histogramStepDB).rounded(.down)) + 1))
        let part = row.dropFirst(first)
        let count = part.reduce(0) { $0 + Int($1) }
        guard count > 0 else { return (0, nil) }
        var acc = 0
        for (i, x) in part.enumerated() {
            acc += Int(x)
            if 2 * acc >= count { return (count, cellLevel(first + i)) }
        }
        return (count, nil)
    }

    public func finish() -> SweepSummary {
        flush()
        let n = frequenciesMHz.count
        let total = max(1, sweeps)
        var floor = [Double](repeating: .nan, count: n), threshold = floor, occupancy = [Double](repeating: 0, count: n)
        var occupiedLevel = [Double?](repeating: nil, count: n)
        for b in 0..<n {
            floor[b] = percentile(histogram[(b * cells)..<((b + 1) * cells)], settings.noisePercentile) ?? .nan
        }
        floor = Self.neighbourhoodFloor(floor, frequenciesMHz: frequenciesMHz, windowKHz: settings.floorWindowKHz)
        for b in 0..<n where floor[b].isFinite {
            let row = histogram[(b * cells)..<((b + 1) * cells)]
            threshold[b] = floor[b] + settings.thresholdAboveFloorDB
            let a = above(row, threshold[b])
            occupancy[b] = 100 * Double(a.count) / Double(total)
            occupiedLevel[b] = a.median
        }
        let spacing = n > 1 ? (frequenciesMHz[n - 1] - frequenciesMHz[0]) / Double(n - 1) : 0.025
        let emissions = detect(occupancy: occupancy, level: occupiedLevel, spacingMHz: spacing)
        var channelResults: [ChannelOccupancy] = []
        for (k, c) in channels.enumerated() {
            let r = channelBins[k]
            let floors = r.map { floor[$0] }.filter { $0.isFinite }
            guard let lowest = floors.min() else { continue }
            let t = lowest + settings.thresholdAboveFloorDB
            let a = above(channelHistogram[(k * cells)..<((k + 1) * cells)], t)
            channelResults.append(
                ChannelOccupancy(
                    name: c.name, channel: c.channel, bins: r.count, thresholdDB: fieldStrength(t, at: c.channel.centreMHz),
                    occupancyPct: 100 * Double(a.count) / Double(total)))
        }
        return SweepSummary(
            stationID: stationID, frequenciesMHz: frequenciesMHz, sweeps: sweeps, firstTimestamp: firstTimestamp,
            lastTimestamp: lastTimestamp,
            floorDBuVm: (0..<n).map { fieldStrength(floor[$0], at: frequenciesMHz[$0]) },
            thresholdDBuVm: (0..<n).map { fieldStrength(threshold[$0], at: frequenciesMHz[$0]) },
            maxDBuVm: (0..<n).map { maxLevel[$0].isFinite ? fieldStrength(Double(maxLevel[$0]), at: frequenciesMHz[$0]) : .nan },
            occupancyPct: occupancy, emissions: emissions, channels: channelResults, positions: positions)
    }

    /// The lower of each bin's own floor and the 20th percentile of the floors within ±window/2: a carrier on the
    /// air in every sweep would otherwise be its own noise floor.
    static func neighbourhoodFloor(_ own: [Double], frequenciesMHz f: [Double], windowKHz: Double) -> [Double] {
        let n = own.count, half = windowKHz / 2000
        var out = own, lo = 0, hi = 0
        for b in 0..<n where own[b].isFinite {
            while f[lo] < f[b] - half { lo += 1 }
            while hi + 1 < n && f[hi + 1] <= f[b] + half { hi += 1 }
            let window = own[lo...hi].filter { $0.isFinite }.sorted()
            guard !window.isEmpty else { continue }
            out[b] = min(own[b], window[Int(Double(window.count - 1) * 0.2)])
        }
        return out
    }

    func fieldStrength(_ level: Double, at f: Double) -> Double { level.isFinite ? unit.fieldStrength(level, frequencyMHz: f) : .nan }

    /// Runs of adjacent occupied bins as emissions.
    func detect(occupancy: [Double], level: [Double?], spacingMHz: Double) -> [MonitoredEmission] {
        var out: [MonitoredEmission] = []
        let n = occupancy.count
        var b = 0
        while b < n {
            guard occupancy[b] >= settings.minOccupancyPct, level[b] != nil else { b += 1; continue }
            var e = b
            while e + 1 < n && occupancy[e + 1] >= settings.minOccupancyPct && level[e + 1] != nil { e += 1 }
            out.append(emission(bins: b...e, level: level, spacingMHz: spacingMHz))
            b = e + 1
        }
        return out
    }

    func emission(bins r: ClosedRange<Int>, level: [Double?], spacingMHz: Double) -> MonitoredEmission {
        let f = frequenciesMHz
        let levelsE = r.map { fieldStrength(level[$0]!, at: f[$0]) }
        let power = levelsE.map { pow(10, $0 / 10) }
        let sum = power.reduce(0, +)
        let centre = zip(r, power).reduce(0) { $0 + f[$1.0] * $1.1 } / sum
        // 99 % power bandwidth: 0.5 % cut from each side, each bin spread evenly over its width.
        func edge(_ share: Double) -> Double {
            var acc = 0.0
            for (i, p) in zip(r, power) {
                if acc + p >= share * sum { return f[i] - spacingMHz / 2 + spacingMHz * (share * sum - acc) / p }
                acc += p
            }
            return f[r.upperBound] + spacingMHz / 2
        }
        let bandwidthKHz = max(spacingMHz, edge(0.995) - edge(0.005)) * 1000
        let peak = r.max { (level[$0] ?? -.infinity) < (level[$1] ?? -.infinity) }!
        let p = positions.isEmpty ? (lat: 0.0, lon: 0.0, height: 0.0) : positions[Int(maxPosition[peak])]
        return MonitoredEmission(
            stationID: stationID, latitude: p.lat, longitude: p.lon, antennaHeightM: p.height,
            timestamp: firstTimestamp == lastTimestamp ? firstTimestamp : "\(firstTimestamp)/\(lastTimestamp)", frequencyMHz: centre,
            bandwidthKHz: bandwidthKHz, bandwidthMethod: "99%", levelDBuVm: levelsE.max()!,
            frequencyUncertaintyHz: spacingMHz * 1e6 / 2, levelUncertaintyDB: settings.histogramStepDB,
            bandwidthUncertaintyKHz: spacingMHz * 1000)
    }
}

/// The inner loops of the accumulator on raw buffers.
struct HistogramKernel: Sendable {
    let cells: Int, minDB: Float, invStep: Float

    /// Histogram cell of a level (clamped to the first and last cell), -1 for NaN.
    @inline(__always) func cell(_ v: Float) -> Int {
        let x = (v - minDB) * invStep
        return x.isNaN ? -1 : Int(min(max(x, 0), Float(cells - 1)))
    }

    /// Histogram counts and the highest level (with its sweep's position) of the bins in `range`, by tiles of 16
    /// bins over all sweeps of the block, so that a tile's histogram rows stay in cache.
    func binsAndMaxHold(
        _ l: UnsafeBufferPointer<Float>, count: Int, bins n: Int, range: Range<Int>, histogram h: UnsafeMutableBufferPointer<UInt32>,
        level ml: UnsafeMutableBufferPointer<Float>, position mp: UnsafeMutableBufferPointer<Int32>, positions: [Int32]?
    ) {
        var t0 = range.lowerBound
        while t0 < range.upperBound {
            let t1 = min(t0 + 16, range.upperBound)
            for s in 0..<count {
                let row = s * n
                for b in t0..<t1 {
                    let v = l[row + b]
                    let c = cell(v)
                    if c >= 0 { h[b * cells + c] &+= 1 }
                    if v > ml[b] {
                        ml[b] = v
                        mp[b] = positions?[s] ?? 0
                    }
                }
            }
            t0 = t1
        }
    }

    func channel(_ l: UnsafeBufferPointer<Float>, count: Int, bins n: Int, range r: Range<Int>, histogram h: UnsafeMutableBufferPointer<UInt32>, row k: Int) {
        for s in 0..<count {
            let row = s * n
            var m = -Float.infinity
            for b in r { m = max(m, l[row + b]) }
            let c = cell(m)
            if c >= 0 { h[k * cells + c] &+= 1 }
        }
    }
}

/// Occupancy channels for a sweep grid: the register's channels in range (one per distinct channel) and a raster
/// of `channelKHz` over each band-plan allocation that overlaps the range (centres low + k·step).
public enum OccupancyChannels {
    public static func make(lowMHz: Double, highMHz: Double, assignments: [Assignment], bandPlan: BandPlan?, channelKHz: Double) -> [OccupancyChannel] {
        var out: [OccupancyChannel] = []
        var seen: Set<Channel> = []
        for a in assignments.sorted(by: { ($0.tx.centreMHz, $0.id) < ($1.tx.centreMHz, $1.id) })
        where a.tx.centreMHz >= lowMHz && a.tx.centreMHz <= highMHz && seen.insert(a.tx).inserted {
            out.append(OccupancyChannel(name: a.id, channel: a.tx))
        }
        let step = channelKHz / 1000
        for al in bandPlan?.allocations ?? [] where al.highMHz > lowMHz && al.lowMHz < highMHz {
            var k = 1
            while al.lowMHz + Double(k) * step < al.highMHz - 1e-9 {
                let c = al.lowMHz + Double(k) * step
                if c >= lowMHz - 1e-9 && c <= highMHz + 1e-9 {
                    out.append(OccupancyChannel(name: "\(al.name) \(String(format: "%.4f", c))", channel: Channel(centreMHz: c, bandwidthKHz: channelKHz)))
                }
                k += 1
            }
        }
        return out
    }
}

struct UnsafeMutableBufferPointerBox<T>: @unchecked Sendable {
    let p: UnsafeMutableBufferPointer<T>
    init(_ p: UnsafeMutableBufferPointer<T>) { self.p = p }
}

struct UnsafeBufferPointerBox<T>: @unchecked Sendable {
    let p: UnsafeBufferPointer<T>
    init(_ p: UnsafeBufferPointer<T>) { self.p = p }
}

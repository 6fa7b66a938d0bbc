// Where next: candidate sites ranked by the uncovered population each would cover with a given sector
// configuration, chosen greedily (each pick removes the villages it covers) until a target or a budget is reached.
//
// Candidates are the existing towers of other operators first (sharing is the province's policy), then a grid of
// new sites near the uncovered villages. Each candidate's coverage comes from the coverage engine itself
// (CoverageEngine.run with the study's model: the fast Hata path or a terrain model over a DEM) on a grid around
// the site; a village counts as covered when the new sectors' total power at its cell reaches the technology's
// metric threshold expressed as total power for the configured bandwidth.
//
// Sharing preference: at each step the best existing tower is taken when it covers at least `preferExisting` times
// the population of the best new site (1 = plain greedy; 0 = towers always first while they add anyone).
import Dispatch
import Foundation
import Synchronization
import Geo
import Radio
import Records
import Terrain

public struct SectorConfiguration: Sendable, Equatable {
    public var operatorName: String = "NEW"
    public var technology: Technology = .lte
    public var frequencyMHz: Double = 700
    public var bandwidthMHz: Double = 10
    public var eirpDBm: Double = 60
    public var antennaHeightM: Double = 30
    /// Sector azimuths; empty = one omnidirectional antenna.
    public var azimuthsDeg: [Double] = [0, 120, 240]
    public var mechanicalTiltDeg: Double = 2
    public var electricalTiltDeg: Double = 4
    public init() {}

    func transmitters(siteID: String, latitude: Double, longitude: Double) -> [Transmitter] {
        let az: [Double?] = azimuthsDeg.isEmpty ? [nil] : azimuthsDeg.map { $0 }
        return az.enumerated().map { i, a in
            Transmitter(
                id: "\(siteID)-\(i + 1)", siteID: siteID, operatorName: operatorName, technology: technology,
                latitude: latitude, longitude: longitude, antennaHeightM: antennaHeightM, frequencyMHz: frequencyMHz,
                bandwidthMHz: bandwidthMHz, eirpDBm: eirpDBm, azimuthDeg: a,
                mechanicalTiltDeg: mechanicalTiltDeg, electricalTiltDeg: electricalTiltDeg)
        }
    }
}

public struct CandidateSite: Sendable, Equatable {
    public enum Kind: String, Sendable { case existing = "existing_tower", new = "new_site" }
    public var id: String
    public var kind: Kind
    public var latitude: Double
    public var longitude: Double
    /// Operators already on an existing tower.
    public var hosts: [String]
    public init(id: String, kind: Kind, latitude: Double, longitude: Double, hosts: [String] = []) {
        self.id = id; self.kind = kind; self.latitude = latitude; self.longitude = longitude; self.hosts = hosts
    }
}

public struct CandidatePick: Sendable {
    public let rank: Int
    public let site: CandidateSite
    /// Indices (into the villages given to the planner) newly covered by this pick.
    public let villages: [Int]
    public let population: Int
    public let cumulativePopulation: Int
}

public enum CandidatePlanner {
    /// The number of points of the square grid of new sites every `gridKm` over the villages' extent (before the
    /// "near a village" filter): what `candidates` would walk through.
    public static func gridPointCount(villages: [Village], gridKm: Double) -> Double {
        guard !villages.isEmpty, gridKm > 0 else { return 0 }
        let lat0 = villages.map(\.latitude).reduce(0, +) / Double(villages.count)
        let dLat = Geodesy.degreesLatitude(km: gridKm), dLon = Geodesy.degreesLongitude(km: gridKm, atLatitudeDeg: lat0, cosFloor: 1e-6)
        let rows = ((villages.map(\.latitude).max()! - villages.map(\.latitude).min()!) / dLat).rounded(.down) + 1
        let cols = ((villages.map(\.longitude).max()! - villages.map(\.longitude).min()!) / dLon).rounded(.down) + 1
        return rows * cols
    }

    /// Existing towers (sites of the transmitters, without those of `excludingOperator`) then a square grid of new
    /// sites every `gridKm` over the villages' extent, kept within `radiusKm` of a village; at most `maxNew` new sites
    /// (the grid is thinned evenly when larger).
    public static func candidates(
        transmitters: [Transmitter], excludingOperator: String?, villages: [Village],
        gridKm: Double, radiusKm: Double, maxNew: Int? = nil
    ) -> [CandidateSite] {
        var sites: [String: CandidateSite] = [:], order: [String] = [], withOperator: Set<String> = []
        for t in transmitters {
            if t.operatorName == excludingOperator { withOperator.insert(t.siteID) }
            if sites[t.siteID] == nil {
                sites[t.siteID] = CandidateSite(id: t.siteID, kind: .existing, latitude: t.latitude, longitude: t.longitude)
                order.append(t.siteID)
            }
            if !(sites[t.siteID]!.hosts.contains(t.operatorName)) { sites[t.siteID]!.hosts.append(t.operatorName) }
        }
        var out = order.filter { !withOperator.contains($0) }.map { sites[$0]! }
        guard !villages.isEmpty, gridKm > 0 else { return out }
        let lat0 = villages.map(\.latitude).reduce(0, +) / Double(villages.count)
        let dLat = Geodesy.degreesLatitude(km: gridKm), dLon = Geodesy.degreesLongitude(km: gridKm, atLatitudeDeg: lat0)
        let minLat = villages.map(\.latitude).min()!, maxLat = villages.map(\.latitude).max()!
        let minLon = villages.map(\.longitude).min()!, maxLon = villages.map(\.longitude).max()!
        // Villages bucketed by grid cell for the "near a village" test.
        let r2 = radiusKm * radiusKm
        var bucket: [Int64: [Int]] = [:]
        let cellLat = Geodesy.degreesLatitude(km: radiusKm), cellLon = Geodesy.degreesLongitude(km: radiusKm, atLatitudeDeg: lat0)
        func key(_ a: Int, _ b: Int) -> Int64 { Int64(a) << 32 ^ Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: b))) }
        for (i, v) in villages.enumerated() { bucket[key(Int(floor(v.latitude / cellLat)), Int(floor(v.longitude / cellLon))), default: []].append(i) }
        var grid: [CandidateSite] = []
        var row = 0, lat = minLat
        while lat <= maxLat + 1e-9 {
            var col = 0, lon = minLon
            while lon <= maxLon + 1e-9 {
                let bl = Int(floor(lat / cellLat)), bo = Int(floor(lon / cellLon))
                var near = false
                search: for a in (bl - 1)...(bl + 1) {
                    for b in (bo - 1)...(bo + 1) {
                        for i in bucket[key(a, b)] ?? [] {
                            let o = Geodesy.localOffsetKm(dLonDeg: villages[i].longitude - lon, dLatDeg: villages[i].latitude - lat, atLatitudeDeg: lat0)
                            if o.east * o.east + o.north * o.north <= r2 { near = true; break search }
                        }
                    }
                }
                if near {
                    grid.append(CandidateSite(id: String(format: "NEW-%03d-%03d", row, col), kind: .new, latitude: lat, longitude: lon))
                }
                col += 1; lon += dLon
            }
            row += 1; lat += dLat
        }
        if let maxNew, grid.count > maxNew {
            let stepF = Double(grid.count) / Double(maxNew)
            grid = (0..<maxNew).map { grid[Int(Double($0) * stepF)] }
        }
        out += grid
        return out
    }

    /// For each candidate, the villages (indices) its sectors would cover, computed with the coverage engine on a
    /// grid of `study.resolutionM` around the site (radius `study.maxRadiusKm`).
    public static func coverage(
        of candidates: [CandidateSite], villages: [Village], configuration: SectorConfiguration,
        study template: CoverageStudy, dem: ElevationModel?, thresholds: MetricThresholds,
        progress: ProgressHandler? = nil
    ) throws -> [[Int]] {
        let threshold = Float(
            try thresholds.totalPowerThreshold(
                for: configuration.technology, bandwidthMHz: configuration.bandwidthMHz,
                frequencyMHz: configuration.frequencyMHz))
        let key = ServiceKey(configuration.operatorName, configuration.technology)
        let radiusKm = template.maxRadiusKm
        let lats = villages.map(\.latitude), lons = villages.map(\.longitude)
        var sets = [[Int]](repeating: [], count: candidates.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, candidates.count))
        let next = Atomic<Int>(0)
        let failure = Mutex<String?>(nil)
        let out = UnsafeSendable(UnsafeMutableBufferPointer<[Int]>.allocate(capacity: candidates.count))
        out.value.initialize(repeating: [])
        defer { out.value.deallocate() }
        // Candidates in parallel; each engine run on its small grid then stays on one thread.
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let c = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard c < candidates.count, failure.withLock({ $0 == nil }) else { return }
                let site = candidates[c]
                let dLat = Geodesy.degreesLatitude(km: radiusKm), dLon = Geodesy.degreesLongitude(km: radiusKm, atLatitudeDeg: site.latitude)
                var study = template
                study.west = site.longitude - dLon; study.east = site.longitude + dLon
                study.south = site.latitude - dLat; study.north = site.latitude + dLat
                let txs = configuration.transmitters(siteID: site.id, latitude: site.latitude, longitude: site.longitude)
                do {
                    let r = try CoverageEngine.run(study: study, transmitters: txs, dem: dem)
                    guard let layer = r.serviceDBm[key] else { continue }
                    let near = villages.indices.filter { abs(lats[$0] - site.latitude) <= dLat && abs(lons[$0] - site.longitude) <= dLon }
                    guard !near.isEmpty else { continue }
                    var xs = near.map { lons[$0] }, ys = near.map { lats[$0] }
                    try CoordinateTransform(from: "EPSG:4326", to: r.spec.crs).transform(xs: &xs, ys: &ys)
                    var covered: [Int] = []
                    for (j, i) in near.enumerated() {
                        guard let cell = GridCells.cell(x: xs[j], y: ys[j], spec: r.spec) else { continue }
                        let v = layer[cell]
                        if v != CoverageResult.nodata && v >= threshold { covered.append(i) }
                    }
                    out.value[c] = covered
                } catch {
                    let message = "candidate \(site.id): \(error)"
                    failure.withLock { if $0 == nil { $0 = message } }
                    return
                }
                if let progress, c % 20 == 0 { progress(Double(c) / Double(candidates.count)) }
            }
        }
        if let message = failure.withLock({ $0 }) { throw StudyError(message) }
        for i in 0..<candidates.count { sets[i] = out.value[i] }
        progress?(1)
        return sets
    }

    /// Greedy selection: each step takes the candidate adding the most uncovered population (with the sharing
    /// preference), removes the villages it covers, until `maxSites`, `targetPopulation` or no gain.
    public static func greedy(
        candidates: [CandidateSite], covers: [[Int]], populations: [Int], maxSites: Int,
        targetPopulation: Int? = nil, preferExisting: Double = 1
    ) -> [CandidatePick] {
        var covered = [Bool](repeating: false, count: populations.count)
        var used = [Bool](repeating: false, count: candidates.count)
        var picks: [CandidatePick] = []
        var total = 0
        func gain(_ c: Int) -> Int { covers[c].reduce(0) { covered[$1] ? $0 : $0 + populations[$1] } }
        while picks.count < maxSites {
            if let targetPopulation, total >= targetPopulation { break }
            var bestE = -1, bestEG = 0, bestN = -1, bestNG = 0
            for c in candidates.indices where !used[c] {
                let g = gain(c)
                guard g > 0 else { continue }
                if candidates[c].kind == .existing { if g > bestEG { bestE = c; bestEG = g } } else if g > bestNG { bestN = c; bestNG = g }
            }
            let pick: Int
            if bestE >= 0 && (bestN < 0 || Double(bestEG) >= preferExisting * Double(bestNG)) {
                pick = bestE
            } else if bestN >= 0 {
                pick = bestN
            } else {
                break
            }
            used[pick] = true
            let new = covers[pick].filter { !covered[$0] }
            for i in new { covered[i] = true }
            let pop = new.reduce(0) { $0 + populations[$1] }
            total += pop
            picks.append(CandidatePick(rank: picks.count + 1, site: candidates[pick], villages: new, population: pop, cumulativePopulation: total))
        }
        return picks
    }
}

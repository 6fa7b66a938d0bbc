// Per village and per zone: best signal in each technology's metric per operator, covered flags, serving and
// nearest site, covered area share.
//
// Point villages take the grid cell holding the point. Polygon villages take the cells whose centres fall inside
// the polygon (the cell holding the centroid when none does): the best metric is the highest over those cells, the
// covered share the fraction of them at or above the threshold, and the village counts as covered by a service
// when that share reaches `polygonShare` (default 0.5).
import Dispatch
import Foundation
import Geo
import Radio
import Records

public struct ComplianceSettings: Sendable, Equatable {
    public var thresholds: MetricThresholds
    /// A polygon village is covered by a service when at least this share of its area is.
    public var polygonShare: Double
    public init(thresholds: MetricThresholds = .defaults, polygonShare: Double = 0.5) {
        self.thresholds = thresholds; self.polygonShare = polygonShare
    }
}

public struct VillageResult: Sendable {
    public let village: Village
    /// Per service (index into `ServiceLayers.keys`): best metric value, dBm (nil = no signal).
    public let metricDBm: [Float?]
    /// Per service: covered share of the village's cells (0 or 1 for point villages).
    public let coveredShare: [Float]
    /// Per service: covered (point: at the threshold; polygon: share ≥ polygonShare).
    public let covered: [Bool]
    /// Site and transmitter of the best server at the village (point or centroid), when known.
    public let servingTransmitterID: String?
    public let servingSiteID: String?
    /// Nearest site of any operator and its distance, km.
    public let nearestSiteID: String?
    public let nearestSiteKm: Double?
    /// Cells the village spans on the grid (1 for a point).
    public let cellCount: Int

    /// Covered by any of `techs`, by any operator or only by those in `operators`.
    public func covered(by techs: Set<Technology>, keys: [ServiceKey], operators: Set<String>? = nil) -> Bool {
        for (i, k) in keys.enumerated() where covered[i] && techs.contains(k.technology) {
            if let operators, !operators.contains(k.operatorName) { continue }
            return true
        }
        return false
    }
}

public struct ZoneResult: Sendable {
    public let zone: Zone
    /// Area of the zone on the grid (cells inside × cell area), km².
    public let areaKm2: Double
    /// Per service: covered share of the zone's area.
    public let coveredShare: [Double]
    /// Per technology (any operator): covered share of the area.
    public let technologyShare: [Technology: Double]
    /// Share of the area covered by any of a set of technologies (any operator), for targets.
    public func share(anyOf techs: Set<Technology>, keys: [ServiceKey], masks: ZoneMasks) -> Double {
        masks.share(zoneIndex: index, techs: techs, keys: keys)
    }
    let index: Int
}

/// The zones' cells and per-cell coverage per service, kept to evaluate any combination of technologies.
public struct ZoneMasks: Sendable {
    let cells: [[Int]]
    let totals: [Int]
    /// Covered flag per service per cell (flat: service-major).
    let coveredByService: [[Bool]]
    func share(zoneIndex z: Int, techs: Set<Technology>, keys: [ServiceKey]) -> Double {
        guard totals[z] > 0 else { return 0 }
        let sel = keys.indices.filter { techs.contains(keys[$0].technology) }
        var n = 0
        for (ci, _) in cells[z].enumerated() where sel.contains(where: { coveredByService[$0][cellOffset[z] + ci] }) { n += 1 }
        return Double(n) / Double(totals[z])
    }
    let cellOffset: [Int]
}

public enum VillageCompliance {
    /// Evaluates every village against the layers. Parallel over villages; the result is in input order.
    public static func evaluate(_ villages: [Village], layers: ServiceLayers, settings: ComplianceSettings) throws -> [VillageResult] {
        let spec = layers.spec
        let t = try CoordinateTransform(from: "EPSG:4326", to: spec.crs)
        let thresholds = try layers.totalThresholds(settings.thresholds)
        let offsets = try layers.metricOffsets(settings.thresholds)
        var xs = villages.map(\.longitude), ys = villages.map(\.latitude)
        t.transform(xs: &xs, ys: &ys)
        // Sites (unique site ids) in grid coordinates, bucketed for the nearest-site search.
        let siteIndex = SiteIndex(transmitters: layers.transmitters, transform: t)
        // Polygon cells (sequential: the transform handle is not shared across threads).
        var polyCells: [Int: [Int]] = [:]
        for (i, v) in villages.enumerated() {
            if let g = v.outline {
                let c = GridCells.cells(of: g, spec: spec, transform: t)
                if !c.cells.isEmpty { polyCells[i] = c.cells }
            }
        }
        let nk = layers.keys.count
        var out = [VillageResult?](repeating: nil, count: villages.count)
        let chunk = 4096
        let chunks = (villages.count + chunk - 1) / chunk
        let polys = polyCells, px = xs, py = ys
        out.withUnsafeMutableBufferPointer { buf in
            let p = UnsafeSendable(buf)
            DispatchQueue.concurrentPerform(iterations: chunks) { ch in
                let buf = p.value
                for i in (ch * chunk)..<min(villages.count, (ch + 1) * chunk) {
                    let v = villages[i]
                    let centre = GridCells.cell(x: px[i], y: py[i], spec: spec)
                    let cells = polys[i] ?? centre.map { [$0] } ?? []
                    var metric = [Float?](repeating: nil, count: nk), share = [Float](repeating: 0, count: nk)
                    var covered = [Bool](repeating: false, count: nk)
                    if !cells.isEmpty {
                        for k in 0..<nk {
                            let layer = layers.totalDBm[k]
                            var best: Float = -.infinity, n = 0
                            for c in cells {
                                let val = layer[c]
                                guard val != CoverageResult.nodata else { continue }
                                if val > best { best = val }
                                if val >= thresholds[k] { n += 1 }
                            }
                            if best > -.infinity { metric[k] = best + offsets[k] }
                            share[k] = Float(n) / Float(cells.count)
                            covered[k] = v.outline != nil && polys[i] != nil ? Double(share[k]) >= settings.polygonShare : n > 0
                        }
                    }
                    var servingTx: String? = nil, servingSite: String? = nil
                    if let c = centre, let bs = layers.bestServer, bs[c] >= 0 {
                        let tx = layers.transmitters[Int(bs[c])]
                        servingTx = tx.id; servingSite = tx.siteID
                    }
                    let near = siteIndex.nearest(x: px[i], y: py[i])
                    buf[i] = VillageResult(
                        village: v, metricDBm: metric, coveredShare: share, covered: covered,
                        servingTransmitterID: servingTx, servingSiteID: servingSite,
                        nearestSiteID: near?.id, nearestSiteKm: near.map { $0.distanceM / 1000 },
                        cellCount: max(1, cells.count))
                }
            }
        }
        return out.map { $0! }
    }

    /// Per zone: covered area share per service and per technology (any operator).
    public static func evaluate(zones: [Zone], layers: ServiceLayers, settings: ComplianceSettings) throws -> (results: [ZoneResult], masks: ZoneMasks) {
        let spec = layers.spec
        let t = try CoordinateTransform(from: "EPSG:4326", to: spec.crs)
        let thresholds = try layers.totalThresholds(settings.thresholds)
        let cellKm2 = spec.resolutionM * spec.resolutionM / 1e6
        var allCells: [[Int]] = [], totals: [Int] = [], offsets: [Int] = []
        var flat: [[Bool]] = Array(repeating: [], count: layers.keys.count)
        var results: [ZoneResult] = []
        for (zi, z) in zones.enumerated() {
            let (cells, total) = GridCells.cells(of: z.geometry, spec: spec, transform: t)
            offsets.append(flat.first?.count ?? 0)
            allCells.append(cells); totals.append(total)
            var shares: [Double] = []
            for k in layers.keys.indices {
                let layer = layers.totalDBm[k]
                let flags = cells.map { layer[$0] != CoverageResult.nodata && layer[$0] >= thresholds[k] }
                flat[k].append(contentsOf: flags)
                shares.append(total > 0 ? Double(flags.filter { $0 }.count) / Double(total) : 0)
            }
            var techShare: [Technology: Double] = [:]
            for tech in layers.technologies {
                let sel = layers.keys.indices.filter { layers.keys[$0].technology == tech }
                var n = 0
                for (ci, c) in cells.enumerated() {
                    _ = c
                    if sel.contains(where: { flat[$0][offsets[zi] + ci] }) { n += 1 }
                }
                techShare[tech] = total > 0 ? Double(n) / Double(total) : 0
            }
            results.append(ZoneResult(zone: z, areaKm2: Double(total) * cellKm2, coveredShare: shares, technologyShare: techShare, index: zi))
        }
        return (results, ZoneMasks(cells: allCells, totals: totals, coveredByService: flat, cellOffset: offsets))
    }
}

/// Sites in grid coordinates with a bucket grid for the nearest-site search.
struct SiteIndex {
    let ids: [String]
    let xs: [Double], ys: [Double]
    let bucketM = 5_000.0
    var buckets: [Int64: [Int]] = [:]

    init(transmitters: [Transmitter], transform: CoordinateTransform) {
        var seen: [String: Int] = [:], ids: [String] = [], lon: [Double] = [], lat: [Double] = []
        for t in transmitters where seen[t.siteID] == nil {
            seen[t.siteID] = ids.count; ids.append(t.siteID); lon.append(t.longitude); lat.append(t.latitude)
        }
        transform.transform(xs: &lon, ys: &lat)
        self.ids = ids; xs = lon; ys = lat
        for i in ids.indices where xs[i].isFinite { buckets[key(Int(floor(xs[i] / bucketM)), Int(floor(ys[i] / bucketM))), default: []].append(i) }
    }

    func key(_ bx: Int, _ by: Int) -> Int64 { Int64(bx) << 32 ^ Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: by))) }

    /// Nearest site (planar distance in the grid's projection).
    func nearest(x: Double, y: Double) -> (id: String, distanceM: Double)? {
        guard !ids.isEmpty, x.isFinite, y.isFinite else { return nil }
        let bx = Int(floor(x / bucketM)), by = Int(floor(y / bucketM))
        var best = -1, bestD2 = Double.infinity
        var ring = 0
        while ring < 400 {
            for dx in -ring...ring {
                for dy in -ring...ring where max(abs(dx), abs(dy)) == ring {
                    for i in buckets[key(bx + dx, by + dy)] ?? [] {
                        let d2 = (xs[i] - x) * (xs[i] - x) + (ys[i] - y) * (ys[i] - y)
                        if d2 < bestD2 { bestD2 = d2; best = i }
                    }
                }
            }
            // Any site beyond this ring is at least ring·bucket away.
            if best >= 0 && sqrt(bestD2) <= Double(ring) * bucketM { break }
            ring += 1
        }
        if best < 0 { // sites far away: plain scan
            for i in ids.indices { let d2 = (xs[i] - x) * (xs[i] - x) + (ys[i] - y) * (ys[i] - y); if d2 < bestD2 { bestD2 = d2; best = i } }
        }
        return best >= 0 ? (ids[best], sqrt(bestD2)) : nil
    }
}

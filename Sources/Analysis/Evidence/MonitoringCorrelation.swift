// Monitoring against the register: each measured emission is held against the assignments that could be received
// at the station, and classified.
//
// Receivable: the predicted field strength at the station reaches the detection threshold:
//   E = EIRP + antenna discrimination − L + 20 log10 f(MHz) + 77.2 (+ calibration bias), dBµV/m,
// L over the terrain profile with the chosen model when a DEM is given (TerrainPaths, as `tanso conflicts`), else
// the simple model of the register checks (Hata/COST-231, never below free space + P.526 smooth-Earth
// diffraction; fixed links: free space + diffraction). Discrimination: F.699 for fixed links with a gain, the
// 3GPP sector otherwise, none without an azimuth.
// Match: receivable assignments whose channel, widened by its frequency tolerance and the measurement
// uncertainty, overlaps the emission's occupied band [f − B/2, f + B/2]; the strongest predicted one whose centre
// is within tolerance, else the nearest in frequency. Findings:
//   unlicensed        no receivable assignment overlaps;
//   off_frequency     |f − f_a| > tolerance (RR Appendix 2 for band and service) + stated uncertainty;
//   excess_bandwidth  B > necessary bandwidth (designator, else bandwidth_khz) × (1 + tolerance %) + uncertainty;
//   over_level        E_measured − E_predicted > k·σ + stated level uncertainty;
//   not_heard         an assignment in the station's measured range predicted ≥ threshold + margin at the
//                     station's best position, with no emission of the station on its channel; the measured
//                     range is the span of the station's emissions and of its sweep grid.
// Candidates come from a frequency index (assignments by bandwidth class, sorted by centre; binary search),
// not from all emission × assignment pairs.
import Foundation
import Synchronization
import Geo
import Propagation
import Radio
import Records

public struct MonitoringResult: Sendable {
    public var findings: [MonitoringFinding]
    /// Per station: receivable assignments in its measured range (index into the assignments, predicted dBµV/m).
    public var receivable: [String: [(assignment: Int, predictedDBuVm: Double)]]
    /// Emission × assignment pairs the index let through (matching), and station position × assignment pairs of
    /// the not_heard pass.
    public var candidatePairs = 0
    public var notHeardPairs = 0
    public var predictions = 0
    public var terrainFallbacks = 0
    public var seconds = 0.0
}

public struct MonitoringCorrelation: Sendable {
    public let settings: MonitoringSettings
    public let tolerances: FrequencyTolerances
    public let terrain: TerrainPaths?
    /// σ and bias by service (`*` for any), from a calibration file.
    public let calibration: [String: (sigmaDB: Double, biasDB: Double)]

    public init(
        settings: MonitoringSettings = MonitoringSettings(), tolerances: FrequencyTolerances = .radioRegulations,
        terrain: TerrainPaths? = nil, calibration: [String: (sigmaDB: Double, biasDB: Double)] = [:]
    ) {
        self.settings = settings; self.tolerances = tolerances; self.terrain = terrain; self.calibration = calibration
    }

    /// The model named in explanations.
    public var modelName: String { terrain.map { "\($0.model.id.rawValue) over the DEM" } ?? "simple model (Hata/COST-231, ≥ free space + P.526)" }

    // MARK: per assignment

    /// Frequency tolerance of an assignment, Hz (0 when no rule covers its band and service).
    public func toleranceHz(_ a: Assignment) -> Double {
        tolerances.rule(service: a.service, frequencyMHz: a.tx.centreMHz)?.toleranceHz(atMHz: a.tx.centreMHz) ?? 0
    }

    public func necessaryBandwidthKHz(_ a: Assignment) -> Double { a.emission?.bandwidthKHz ?? a.tx.bandwidthKHz }

    func sigmaBias(_ a: Assignment) -> (sigmaDB: Double, biasDB: Double) {
        calibration[a.service] ?? calibration["*"] ?? (settings.sigmaDB, 0)
    }

    /// Predicted field strength of `a` at a receiver, dBµV/m, and whether the terrain model fell back.
    public func predictedDBuVm(_ a: Assignment, latitude: Double, longitude: Double, heightM: Double) -> (level: Double, fellBack: Bool) {
        let d = Geodesy.distanceKm(a.latitude, a.longitude, latitude, longitude)
        let f = a.tx.centreMHz
        let rxHeight = max(heightM, 0.5)
        var loss: Double? = nil, fellBack = false
        if let terrain, d > 0.05 {
            loss = try? terrain.lossDB(
                fromLat: a.latitude, fromLon: a.longitude, toLat: latitude, toLon: longitude, frequencyMHz: f,
                txHeightM: a.antennaHeightM, rxHeightM: rxHeight)
            fellBack = loss == nil
        }
        let l =
            loss
            ?? ConflictPropagation.simpleLossDB(
                distanceKm: max(d, 0.01), frequencyMHz: f, txHeightM: a.antennaHeightM, rxHeightM: rxHeight,
                lineOfSight: a.serviceKind == .fixed, environment: settings.environment)
        let eirp = a.eirpDBm + AssignmentAntenna.relativeGainDB(a, towardLat: latitude, lon: longitude)
        return (DB.fieldStrengthDBuVm(powerDBm: eirp - l, frequencyMHz: f) + sigmaBias(a).biasDB, fellBack)
    }

    // MARK: the run

    public func run(emissions: [MonitoredEmission], assignments: [Assignment], measuredRanges: [String: ClosedRange<Double>] = [:]) -> MonitoringResult {
        let started = Date()
        let widen = assignments.map { toleranceHz($0) / 1000 }
        let reach = MonitoringReach(maxKm: settings.maxDistanceKm).reachKm(
            assignments, correlation: self, rxHeightM: emissions.map(\.antennaHeightM).max() ?? 10)
        let spatial = SpatialFrequencyIndex(
            index: ChannelIndex(
                positions: assignments.map { ($0.latitude, $0.longitude) }, centresMHz: assignments.map(\.tx.centreMHz),
                bandwidthsKHz: assignments.map(\.tx.bandwidthKHz), radiiKm: reach, cellKm: 10),
            reachKm: reach, toleranceKHz: widen, maxWidenKHz: widen.max() ?? 0)
        // Emissions measured at one place share their predictions: grouped by position, in order of appearance.
        var groupOf: [PositionKey: Int] = [:]
        var groups: [[Int]] = []
        for (i, e) in emissions.enumerated() {
            let key = PositionKey(e)
            if let g = groupOf[key] { groups[g].append(i) } else { groupOf[key] = groups.count; groups.append([i]) }
        }
        let threads = max(1, settings.threads)
        let groupList = groups
        let chunks = min(groupList.count, threads * 8)
        let parts = Mutex(Array(repeating: [(Int, MonitoringFinding)](), count: chunks))
        let counts = Mutex((pairs: 0, predictions: 0, fallbacks: 0))
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            var local: [(Int, MonitoringFinding)] = []
            var pairs = 0, predictions = 0, fallbacks = 0
            for g in stride(from: c, to: groupList.count, by: chunks) {
                var cache: [Int: (level: Double, fellBack: Bool)] = [:]
                for i in groupList[g] {
                    local += classify(
                        emissions[i], assignments, spatial, cache: &cache, pairs: &pairs, predictions: &predictions, fallbacks: &fallbacks
                    ).map { (i, $0) }
                }
            }
            parts.withLock { $0[c] = local }
            counts.withLock {
                $0.pairs += pairs; $0.predictions += predictions; $0.fallbacks += fallbacks
            }
        }
        var findings = Self.merged(parts.withLock { $0.flatMap { $0 } }.sorted { $0.0 < $1.0 }.map(\.1))
        let (notHeard, receivable, extra) = notHeardFindings(emissions, assignments, spatial, measuredRanges: measuredRanges)
        findings += notHeard
        findings.sort(by: MonitoringFinding.ordered)
        let n = counts.withLock { $0 }
        return MonitoringResult(
            findings: findings, receivable: receivable, candidatePairs: n.pairs, notHeardPairs: extra.pairs, predictions: n.predictions + extra.predictions,
            terrainFallbacks: n.fallbacks + extra.fallbacks, seconds: Date().timeIntervalSince(started))
    }

    /// One finding per key (kind, station, assignment, frequency to 10 kHz): the largest deviation of the
    /// repeated measurements, with their count and time span in the explanation.
    static func merged(_ findings: [MonitoringFinding]) -> [MonitoringFinding] {
        var groups: [String: [MonitoringFinding]] = [:]
        var order: [String] = []
        for f in findings {
            if groups[f.key] == nil { order.append(f.key) }
            groups[f.key, default: []].append(f)
        }
        return order.map { key in
            let g = groups[key]!
            guard g.count > 1 else { return g[0] }
            var worst = g.max { abs($0.deviation ?? 0) < abs($1.deviation ?? 0) }!
            let times = g.compactMap(\.timestamp).filter { !$0.isEmpty }.sorted()
            worst.explanation += "; seen in \(g.count) measurements" + (times.count > 1 ? " (\(times.first!) – \(times.last!))" : "")
            return worst
        }
    }

    struct Candidate { var index: Int; var predicted: Double; var offsetKHz: Double; var toleranceKHz: Double }

    /// The findings of one emission.
    func classify(
        _ e: MonitoredEmission, _ assignments: [Assignment], _ index: SpatialFrequencyIndex,
        cache: inout [Int: (level: Double, fellBack: Bool)], pairs: inout Int, predictions: inout Int, fallbacks: inout Int
    ) -> [MonitoringFinding] {
        let uKHz = e.frequencyUncertaintyHz / 1000
        let lo = e.frequencyMHz - e.bandwidthKHz / 2000, hi = e.frequencyMHz + e.bandwidthKHz / 2000
        var candidates: [Candidate] = []
        let cosLat = max(0.01, cos(e.latitude * .pi / 180))
        pairs += index.near(latitude: e.latitude, longitude: e.longitude, lowMHz: lo - uKHz / 1000, highMHz: hi + uKHz / 1000) { k in
            let a = assignments[k]
            let tolKHz = index.toleranceKHz[k]
            // The assignment's channel widened by its tolerance and the uncertainty must overlap the emission.
            guard a.tx.lowMHz - (tolKHz + uKHz) / 1000 <= hi, a.tx.highMHz + (tolKHz + uKHz) / 1000 >= lo else { return }
            let limitKm = min(settings.maxDistanceKm, index.reachKm[k])
            // A flat-Earth distance first (within 1 % at these ranges, so 2 % + 1 km of slack), then the great circle.
            let dy = (a.latitude - e.latitude) * 111.2, dx = (a.longitude - e.longitude) * 111.2 * cosLat
            let slack = limitKm * 1.02 + 1
            guard dx * dx + dy * dy <= slack * slack else { return }
            guard Geodesy.distanceKm(a.latitude, a.longitude, e.latitude, e.longitude) <= limitKm else { return }
            let p: (level: Double, fellBack: Bool)
            if let x = cache[k] {
                p = x
            } else {
                predictions += 1
                p = predictedDBuVm(a, latitude: e.latitude, longitude: e.longitude, heightM: e.antennaHeightM)
                if p.fellBack { fallbacks += 1 }
                cache[k] = p
            }
            guard p.level >= settings.detectionThresholdDBuVm else { return }
            candidates.append(Candidate(index: k, predicted: p.level, offsetKHz: (e.frequencyMHz - a.tx.centreMHz) * 1000, toleranceKHz: tolKHz))
        }
        let station = (e.latitude, e.longitude)
        guard !candidates.isEmpty else {
            let above = e.levelDBuVm - settings.detectionThresholdDBuVm
            return [
                MonitoringFinding(
                    kind: .unlicensed, severity: above >= 20 ? .high : .medium, stationID: e.stationID, frequencyMHz: e.frequencyMHz,
                    bandwidthKHz: e.bandwidthKHz, levelDBuVm: e.levelDBuVm, expected: nil, deviation: above,
                    explanation:
                        "\(mhzText(e.frequencyMHz)) MHz, \(khzText(e.bandwidthKHz)) kHz wide at \(db(e.levelDBuVm)) dBµV/m: no assignment receivable at the station (predicted ≥ \(db(settings.detectionThresholdDBuVm)) dBµV/m, \(modelName)) overlaps it",
                    stationPosition: station, timestamp: e.timestamp)
            ]
        }
        let within = candidates.filter { abs($0.offsetKHz) <= $0.toleranceKHz + uKHz }
        let best =
            within.max { ($0.predicted, -$0.index) < ($1.predicted, -$1.index) }
            ?? candidates.min { (abs($0.offsetKHz), -$0.predicted, $0.index) < (abs($1.offsetKHz), -$1.predicted, $1.index) }!
        return violations(of: e, against: assignments[best.index], best)
    }

    func violations(of e: MonitoredEmission, against a: Assignment, _ c: Candidate) -> [MonitoringFinding] {
        var out: [MonitoringFinding] = []
        func finding(_ kind: MonitoringFindingKind, _ severity: Severity, expected: Double, deviation: Double, _ text: String) {
            out.append(
                MonitoringFinding(
                    kind: kind, severity: severity, stationID: e.stationID, frequencyMHz: e.frequencyMHz, bandwidthKHz: e.bandwidthKHz,
                    levelDBuVm: e.levelDBuVm, assignmentID: a.id, licensee: a.licensee, expected: expected, deviation: deviation,
                    explanation: text, stationPosition: (e.latitude, e.longitude), assignmentPosition: (a.latitude, a.longitude),
                    timestamp: e.timestamp))
        }
        let uKHz = e.frequencyUncertaintyHz / 1000
        let allowedKHz = c.toleranceKHz + uKHz
        if abs(c.offsetKHz) > allowedKHz {
            let r = abs(c.offsetKHz) / max(allowedKHz, 1e-9)
            let rule = tolerances.rule(service: a.service, frequencyMHz: a.tx.centreMHz)
            finding(
                .offFrequency, r >= 10 ? .high : r >= 3 ? .medium : .low, expected: a.tx.centreMHz, deviation: c.offsetKHz,
                "centre \(mhzText(e.frequencyMHz)) MHz is \(signed(c.offsetKHz)) kHz from \(a.id)'s \(mhzText(a.tx.centreMHz)) MHz; allowed ±\(khzText(c.toleranceKHz)) kHz (\(rule.map { "\($0.text), \($0.source)" } ?? "no tolerance rule")) + \(khzText(uKHz)) kHz measurement uncertainty"
            )
        }
        let necessary = necessaryBandwidthKHz(a)
        let limit = necessary * (1 + settings.bandwidthTolerancePct / 100) + e.bandwidthUncertaintyKHz
        if e.bandwidthKHz > limit {
            let r = e.bandwidthKHz / limit
            finding(
                .excessBandwidth, r >= 2 ? .high : r >= 1.3 ? .medium : .low, expected: necessary, deviation: e.bandwidthKHz - necessary,
                "occupied bandwidth \(khzText(e.bandwidthKHz)) kHz (\(e.bandwidthMethod)) exceeds \(a.id)'s necessary \(khzText(necessary)) kHz (\(a.emission.map { "designator \($0.text)" } ?? "bandwidth_khz")) + \(DecimalFormatting.plain(settings.bandwidthTolerancePct)) %\(e.bandwidthUncertaintyKHz > 0 ? " + \(khzText(e.bandwidthUncertaintyKHz)) kHz resolution" : "")"
            )
        }
        let (sigma, _) = sigmaBias(a)
        let excess = e.levelDBuVm - c.predicted
        let allowed = settings.overLevelK * sigma + e.levelUncertaintyDB
        if excess > allowed {
            let over = excess - allowed
            finding(
                .overLevel, over >= 10 ? .high : over >= 3 ? .medium : .low, expected: c.predicted, deviation: excess,
                "measured \(db(e.levelDBuVm)) dBµV/m is \(db(excess)) dB above the \(db(c.predicted)) dBµV/m predicted from \(a.id)'s licensed EIRP \(db(a.eirpDBm)) dBm (\(modelName)); allowed \(DecimalFormatting.plain(settings.overLevelK)) × σ \(db(sigma)) dB + \(db(e.levelUncertaintyDB)) dB uncertainty"
            )
        }
        return out
    }

    // MARK: not heard

    func notHeardFindings(
        _ emissions: [MonitoredEmission], _ assignments: [Assignment], _ index: SpatialFrequencyIndex, measuredRanges: [String: ClosedRange<Double>]
    ) -> ([MonitoringFinding], [String: [(assignment: Int, predictedDBuVm: Double)]], (pairs: Int, predictions: Int, fallbacks: Int)) {
        var byStation: [String: [Int]] = [:]
        for (i, e) in emissions.enumerated() { byStation[e.stationID, default: []].append(i) }
        for s in measuredRanges.keys where byStation[s] == nil { byStation[s] = [] }
        let stations = byStation.keys.sorted()
        let byStationList = byStation
        let results = Mutex([(findings: [MonitoringFinding], list: [(Int, Double)], counts: (Int, Int, Int))?](repeating: nil, count: stations.count))
        DispatchQueue.concurrentPerform(iterations: stations.count) { si in
            let station = stations[si]
            var findings: [MonitoringFinding] = []
            var pairs = 0, predictions = 0, fallbacks = 0
            let r: [(Int, Double)]? = {
                let mine = byStationList[station]!.map { emissions[$0] }
                var edges = mine.flatMap { [$0.frequencyMHz - $0.bandwidthKHz / 2000, $0.frequencyMHz + $0.bandwidthKHz / 2000] }
                if let r = measuredRanges[station] { edges += [r.lowerBound, r.upperBound] }
                guard let rangeLow = edges.min(), let rangeHigh = edges.max() else { return nil }
                let range = rangeLow...rangeHigh
                let positions = Self.distinctPositions(mine, limit: 64)
                guard !positions.isEmpty else { return nil }
                // Candidates: assignments within reach of any of the positions, centre in the measured range.
                var candidates: Set<Int> = []
                for p in positions {
                    pairs += index.near(latitude: p.lat, longitude: p.lon, lowMHz: range.lowerBound, highMHz: range.upperBound) { k in
                        if range.contains(assignments[k].tx.centreMHz) { candidates.insert(k) }
                    }
                }
                let heard = HeardChannels(mine)
                var list: [(Int, Double)] = []
                for k in candidates.sorted() {
                    let a = assignments[k]
                    let limitKm = min(settings.maxDistanceKm, index.reachKm[k])
                    var best = -Double.infinity, at = positions[0]
                    for p in positions where Geodesy.distanceKm(a.latitude, a.longitude, p.lat, p.lon) <= limitKm {
                        predictions += 1
                        let x = predictedDBuVm(a, latitude: p.lat, longitude: p.lon, heightM: p.height)
                        if x.fellBack { fallbacks += 1 }
                        if x.level > best { best = x.level; at = p }
                    }
                    guard best >= settings.detectionThresholdDBuVm else { continue }
                    list.append((k, best))
                    guard best >= settings.detectionThresholdDBuVm + settings.notHeardMarginDB,
                        !heard.any(overlapping: a.tx, toleranceKHz: index.toleranceKHz[k])
                    else { continue }
                    let margin = best - settings.detectionThresholdDBuVm
                    findings.append(
                        MonitoringFinding(
                            kind: .notHeard, severity: margin >= 30 ? .medium : .low, stationID: station, frequencyMHz: a.tx.centreMHz,
                            bandwidthKHz: a.tx.bandwidthKHz, levelDBuVm: nil, assignmentID: a.id, licensee: a.licensee, expected: best,
                            deviation: margin,
                            explanation:
                                "\(a.id) (\(a.licensee), \(mhzText(a.tx.centreMHz)) MHz) is predicted at \(db(best)) dBµV/m here, \(db(margin)) dB above the detection threshold (\(modelName)), but the station heard nothing on its channel: not in operation, or a wrong register entry?",
                            stationPosition: (at.lat, at.lon), assignmentPosition: (a.latitude, a.longitude)))
                }
                return list
            }()
            results.withLock { $0[si] = r.map { (findings, $0, (pairs, predictions, fallbacks)) } }
        }
        var findings: [MonitoringFinding] = []
        var receivable: [String: [(Int, Double)]] = [:]
        var pairs = 0, predictions = 0, fallbacks = 0
        for (si, r) in results.withLock({ $0 }).enumerated() {
            guard let r else { continue }
            findings += r.findings
            receivable[stations[si]] = r.list
            pairs += r.counts.0; predictions += r.counts.1; fallbacks += r.counts.2
        }
        return (findings, receivable, (pairs, predictions, fallbacks))
    }

    /// The station's distinct positions (to 10 m), at most `limit` spread evenly over the list.
    static func distinctPositions(_ list: [MonitoredEmission], limit: Int) -> [(lat: Double, lon: Double, height: Double)] {
        var seen: Set<String> = []
        var out: [(lat: Double, lon: Double, height: Double)] = []
        for e in list {
            let key = String(format: "%.4f,%.4f,%.0f", e.latitude, e.longitude, e.antennaHeightM)
            if seen.insert(key).inserted { out.append((e.latitude, e.longitude, e.antennaHeightM)) }
        }
        guard out.count > limit else { return out }
        return (0..<limit).map { out[$0 * out.count / limit] }
    }
}

/// Antenna discrimination of an assignment toward a point: F.699 for fixed links with a gain, the 3GPP sector
/// otherwise, 0 without an azimuth (as the register checks).
enum AssignmentAntenna {
    /// `distanceKm`: the distance from `a` to the point when the caller has it (`Geodesy.distanceKm`).
    static func relativeGainDB(_ a: Assignment, towardLat lat: Double, lon: Double, distanceKm: Double? = nil) -> Double {
        relativeGainDB(
            fromLat: a.latitude, lon: a.longitude, azimuthDeg: a.azimuthDeg, dishGainDBi: a.serviceKind == .fixed ? a.antennaGainDBi : nil,
            towardLat: lat, lon: lon, distanceKm: distanceKm)
    }

    /// The same from the assignment's fields (the pair screening reads them from flat arrays, not copying a record
    /// per pair); `dishGainDBi`: a fixed service's antenna gain (F.699), else nil (a sector antenna).
    @inline(__always)
    static func relativeGainDB(
        fromLat: Double, lon: Double, azimuthDeg: Double?, dishGainDBi: Double?, towardLat lat: Double, lon toLon: Double, distanceKm: Double? = nil
    ) -> Double {
        guard let az = azimuthDeg, distanceKm ?? Geodesy.distanceKm(fromLat, lon, lat, toLon) > 1e-3 else { return 0 }
        let off = Geodesy.angleDiffDeg(Geodesy.bearingDeg(fromLat, lon, lat, toLon), az)
        if let g = dishGainDBi { return ReferencePattern.f699RelativeDB(maxGainDBi: g, offAxisDeg: off) }
        return SectorAntenna().relativeGainDB(offAzimuthDeg: off, depressionDeg: 0, mechanicalTiltDeg: 0, electricalTiltDeg: 0)
    }
}

/// An emission's place: latitude, longitude and antenna height, exactly.
struct PositionKey: Hashable {
    let lat: UInt64, lon: UInt64, height: UInt64
    init(_ e: MonitoredEmission) { lat = e.latitude.bitPattern; lon = e.longitude.bitPattern; height = e.antennaHeightM.bitPattern }
}

/// The register in space and frequency: `ChannelIndex` cells within each class's largest reach of the station,
/// entries whose centre lies within the class's half width + the largest tolerance of the emission's band.
struct SpatialFrequencyIndex: Sendable {
    let index: ChannelIndex
    let reachKm: [Double]
    /// Frequency tolerance of each assignment, kHz.
    let toleranceKHz: [Double]
    let maxWidenKHz: Double

    /// Calls `body` with the candidates; returns how many were visited.
    func near(latitude: Double, longitude: Double, lowMHz: Double, highMHz: Double, _ body: (Int) -> Void) -> Int {
        var visited = 0
        for c in 0..<index.classes.count where !index.classes[c].entries.isEmpty {
            let g = index.classes[c]
            let half = (g.maxBandwidthKHz / 2 + maxWidenKHz) / 1000
            visited += index.query(classIndex: c, lat: latitude, lon: longitude, radiusKm: g.maxRadiusKm, fLo: lowMHz - half, fHi: highMHz + half, body)
        }
        return visited
    }
}

/// The emissions of one station by centre, to ask whether any lies on a channel (widened by its tolerance and the
/// emission's frequency uncertainty).
struct HeardChannels {
    let centres: [Double]
    let emissions: [MonitoredEmission]
    let maxHalfSpanMHz: Double

    init(_ list: [MonitoredEmission]) {
        emissions = list.sorted { $0.frequencyMHz < $1.frequencyMHz }
        centres = emissions.map(\.frequencyMHz)
        maxHalfSpanMHz = list.map { $0.bandwidthKHz / 2000 + $0.frequencyUncertaintyHz / 1e6 }.max() ?? 0
    }

    func any(overlapping ch: Channel, toleranceKHz: Double) -> Bool {
        let from = ch.lowMHz - toleranceKHz / 1000 - maxHalfSpanMHz, to = ch.highMHz + toleranceKHz / 1000 + maxHalfSpanMHz
        var lo = 0, hi = centres.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if centres[mid] < from { lo = mid + 1 } else { hi = mid }
        }
        while lo < centres.count && centres[lo] <= to {
            let e = emissions[lo]
            let u = (toleranceKHz + e.frequencyUncertaintyHz / 1000) / 1000
            if e.frequencyMHz + e.bandwidthKHz / 2000 >= ch.lowMHz - u && e.frequencyMHz - e.bandwidthKHz / 2000 <= ch.highMHz + u { return true }
            lo += 1
        }
        return false
    }
}

func signed(_ x: Double) -> String { String(format: "%+.3f", x) }

enum DecimalFormatting {
    static func plain(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
}

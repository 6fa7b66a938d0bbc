// Measurements against predictions: attribution, binning, prediction at each bin, statistics.
//
// 1. Attribution of each measurement to a transmitter of its technology, by the first rule that applies:
//    `id` — its transmitter_id names one; `pci` — a transmitter with its PCI on its frequency (within half the
//    carrier's bandwidth, at least 0.1 MHz; the nearest one when the PCI is reused); `strongest` — the transmitter
//    predicted strongest at the bin, among those on its frequency (and of its operator, when given) within the
//    study's radius; else `none` (listed, not compared).
// 2. Binning (Lee's criterion): measurements of one transmitter, metric and frequency closer together than the
//    bin (default 40 wavelengths) are averaged: a square grid of that size on a local metric grid; the bin is the
//    mean position and the power mean (mW, or the squared field) of its values, and it records how many raw rows it
//    holds. Averaging over 40 λ removes the fast fading and keeps the local mean (W. C. Y. Lee, "Estimate of local
//    average power of a mobile radio signal", IEEE Trans. Veh. Technol. 34(1), 1985).
// 3. Prediction of the same metric at the bin's position on its own profile (`PointPredictor`).
// 4. Statistics of the error (measured − predicted) per transmitter, technology, distance bin, land-cover class and
//    overall.
import Dispatch
import Foundation
import Radio
import Records
import Synchronization

public enum AttributionRule: String, Sendable, CaseIterable {
    case id, pci, strongest, none
}

public struct ComparisonOptions: Sendable {
    /// Bin size in wavelengths (0: every row is its own bin).
    public var binWavelengths = 40.0
    /// 3G: the CPICH share of the carrier power, dB.
    public var cpichShareDB = -10.0
    /// Distance bins of the statistics, km (lower edges).
    public var distanceEdgesKm: [Double] = [0, 0.5, 1, 2, 5, 10, 20]
    public init() {}
}

public struct ComparedBin: Sendable {
    /// 1-based bin number, in the order of the first row each bin holds.
    public let index: Int
    /// Data rows (1-based) of the raw measurements it averages.
    public let rows: [Int]
    public let latitude: Double, longitude: Double
    public let technology: Technology
    public let metric: MeasurementMetric
    public let frequencyMHz: Double
    /// Power mean of the raw values, dBm or dBµV/m.
    public let measured: Double
    public let rxHeightM: Double
    public let operatorName: String?
    public internal(set) var transmitter: Int?
    public internal(set) var rule: AttributionRule
    public internal(set) var predicted: Double?
    public internal(set) var distanceKm: Double?
    public internal(set) var classCode: Int?
    /// Why there is no prediction (or what the attribution met), if anything.
    public internal(set) var note: String?
    public var errorDB: Double? { predicted.map { measured - $0 } }
}

public struct StatisticsGroup: Sendable {
    /// transmitter, technology, distance, clutter_class, overall
    public let kind: String
    public let key: String
    public let statistics: ErrorStatistics
    /// Raw measurement rows in the group's bins.
    public let rawRows: Int
}

public struct SurveyComparison: Sendable {
    public let bins: [ComparedBin]
    public let rawRows: Int
    public let groups: [StatisticsGroup]
    public var overall: StatisticsGroup { groups.first { $0.kind == "overall" }! }
    public func binsBy(_ rule: AttributionRule) -> Int { bins.filter { $0.rule == rule }.count }
    /// Bins with a prediction.
    public var compared: [ComparedBin] { bins.filter { $0.predicted != nil } }
}

public enum MeasurementComparison {
    /// Runs the comparison. `classCodes` gives the land-cover class at points (nil: no land cover).
    public static func run(
        _ measurements: [SurveyMeasurement], predictor: PointPredictor, options: ComparisonOptions = ComparisonOptions(),
        classCodes: (([Double], [Double]) throws -> [Int?])? = nil, progress: ProgressHandler? = nil
    ) throws -> SurveyComparison {
        let txs = predictor.transmitters
        let firstRule = attributeByRecord(measurements, transmitters: txs)
        var bins = makeBins(measurements, attribution: firstRule, binWavelengths: options.binWavelengths)
        if let classCodes {
            let codes = try classCodes(bins.map(\.longitude), bins.map(\.latitude))
            for i in bins.indices { bins[i].classCode = codes[i] }
        }
        try predictAll(&bins, predictor: predictor, options: options, progress: progress)
        return SurveyComparison(bins: bins, rawRows: measurements.count, groups: statistics(bins, transmitters: txs, options: options))
    }

    /// Rules `id` and `pci` on the raw rows: (transmitter index, rule, note) per measurement; nil where neither applies.
    static func attributeByRecord(_ ms: [SurveyMeasurement], transmitters txs: [Transmitter]) -> [(Int, AttributionRule)?] {
        var byID: [String: Int] = [:]
        for (i, t) in txs.enumerated() where byID[t.id] == nil { byID[t.id] = i }
        var byPCI: [Int: [Int]] = [:]
        for (i, t) in txs.enumerated() { if let p = t.pci { byPCI[p, default: []].append(i) } }
        return ms.map { m in
            if let id = m.transmitterID, let t = byID[id], txs[t].technology == m.technology { return (t, .id) }
            if let p = m.pci {
                let grid = LocalGrid(latitudes: [m.latitude])
                let here = grid.metres(latitude: m.latitude, longitude: m.longitude)
                let near = (byPCI[p] ?? []).filter { onFrequency(txs[$0], m.technology, m.frequencyMHz) }.min { a, b in
                    distance2(grid, here, txs[a]) < distance2(grid, here, txs[b])
                }
                if let near { return (near, .pci) }
            }
            return nil
        }
    }

    static func onFrequency(_ t: Transmitter, _ tech: Technology, _ fMHz: Double) -> Bool {
        t.technology == tech && abs(t.frequencyMHz - fMHz) <= max(t.bandwidthMHz / 2, 0.1)
    }

    static func distance2(_ g: LocalGrid, _ p: (x: Double, y: Double), _ t: Transmitter) -> Double {
        let q = g.metres(latitude: t.latitude, longitude: t.longitude)
        return (q.x - p.x) * (q.x - p.x) + (q.y - p.y) * (q.y - p.y)
    }

    /// Bins of rows with the same attribution (or, unattributed, the same technology, frequency and operator),
    /// metric, and square of `binWavelengths` λ.
    static func makeBins(_ ms: [SurveyMeasurement], attribution: [(Int, AttributionRule)?], binWavelengths: Double) -> [ComparedBin] {
        let grid = LocalGrid(latitudes: ms.map(\.latitude))
        struct Key: Hashable { let tx: Int, tech: Technology, metric: MeasurementMetric, fKHz: Int64, op: String, ix: Int64, iy: Int64 }
        var order: [Key] = [], members: [Key: [Int]] = [:]
        for (i, m) in ms.enumerated() {
            let sizeM = binWavelengths * 299.792458 / m.frequencyMHz
            var ix = Int64(i), iy: Int64 = -1
            if sizeM > 0 {
                let p = grid.metres(latitude: m.latitude, longitude: m.longitude)
                ix = Int64(floor(p.x / sizeM)); iy = Int64(floor(p.y / sizeM))
            }
            let tx = attribution[i]?.0 ?? -1
            let key = Key(
                tx: tx, tech: m.technology, metric: m.metric, fKHz: Int64((m.frequencyMHz * 1000).rounded()),
                op: tx >= 0 ? "" : (m.operatorName ?? ""), ix: ix, iy: iy)
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(i)
        }
        return order.enumerated().map { n, key in
            let idx = members[key]!, first = ms[idx[0]], k = Double(idx.count)
            let power = idx.reduce(0.0) { $0 + pow(10, ms[$1].value / 10) } / k
            return ComparedBin(
                index: n + 1, rows: idx.map { ms[$0].row }, latitude: idx.reduce(0.0) { $0 + ms[$1].latitude } / k,
                longitude: idx.reduce(0.0) { $0 + ms[$1].longitude } / k, technology: first.technology, metric: first.metric,
                frequencyMHz: first.frequencyMHz, measured: 10 * log10(power), rxHeightM: idx.reduce(0.0) { $0 + ms[$1].rxHeightM } / k,
                operatorName: first.operatorName, transmitter: attribution[idx[0]]?.0, rule: attribution[idx[0]]?.1 ?? .none,
                predicted: nil, distanceKm: nil, classCode: nil, note: nil)
        }
    }

    /// Predicts every bin (and attributes the unattributed ones to the strongest candidate), in parallel over
    /// chunks of bins; the result does not depend on the number of threads.
    static func predictAll(_ bins: inout [ComparedBin], predictor: PointPredictor, options: ComparisonOptions, progress: ProgressHandler?) throws {
        let txs = predictor.transmitters
        let radiusKm = predictor.plan.study.maxRadiusKm
        let chunk = 64, chunks = (bins.count + chunk - 1) / chunk
        let done = Mutex(0)
        let total = bins.count
        bins.withUnsafeMutableBufferPointer { buffer in
            let out = UnsafeSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                for i in (c * chunk)..<min(total, (c + 1) * chunk) {
                    var b = out.value[i]
                    predict(&b, predictor: predictor, transmitters: txs, radiusKm: radiusKm, options: options)
                    out.value[i] = b
                }
                let n = done.withLock {
                    $0 += 1; return $0
                }
                progress?(Double(n) / Double(max(chunks, 1)))
            }
        }
    }

    static func predict(_ b: inout ComparedBin, predictor: PointPredictor, transmitters txs: [Transmitter], radiusKm: Double, options: ComparisonOptions) {
        func value(_ t: Int) throws -> (Double, Double) {
            let p = try predictor.predict(t, latitude: b.latitude, longitude: b.longitude, rxHeightM: b.rxHeightM, classCode: b.classCode)
            return (try predictor.metricValue(totalDBm: p.totalDBm, metric: b.metric, transmitter: t, cpichShareDB: options.cpichShareDB), p.distanceKm)
        }
        if let t = b.transmitter {
            do {
                let (v, d) = try value(t)
                b.predicted = v; b.distanceKm = d
            } catch { b.note = "\(error)" }
            return
        }
        // Strongest on the bin's frequency (and operator) within the radius.
        let grid = LocalGrid(latitudes: [b.latitude])
        let here = grid.metres(latitude: b.latitude, longitude: b.longitude)
        var best: (t: Int, v: Double, d: Double)? = nil, firstError: String? = nil
        for (t, tx) in txs.enumerated() where onFrequency(tx, b.technology, b.frequencyMHz) {
            if let op = b.operatorName, !op.isEmpty, tx.operatorName != op { continue }
            guard distance2(grid, here, tx) <= radiusKm * radiusKm * 1e6 else { continue }
            do {
                let (v, d) = try value(t)
                if best == nil || v > best!.v { best = (t, v, d) }
            } catch { if firstError == nil { firstError = "\(error)" } }
        }
        if let best {
            b.transmitter = best.t; b.rule = .strongest; b.predicted = best.v; b.distanceKm = best.d
        } else {
            b.note = firstError ?? "no transmitter of \(b.technology.rawValue) on \(b.frequencyMHz) MHz within \(radiusKm) km"
        }
    }

    static func statistics(_ bins: [ComparedBin], transmitters txs: [Transmitter], options: ComparisonOptions) -> [StatisticsGroup] {
        let done = bins.filter { $0.predicted != nil }
        func group(_ kind: String, _ key: (ComparedBin) -> String, order: [String]? = nil) -> [StatisticsGroup] {
            var byKey: [String: [ComparedBin]] = [:]
            for b in done { byKey[key(b), default: []].append(b) }
            let keys = order?.filter { byKey[$0] != nil } ?? byKey.keys.sorted()
            return keys.map { k in
                let g = byKey[k]!
                return StatisticsGroup(
                    kind: kind, key: k, statistics: ErrorStatistics(measured: g.map(\.measured), predicted: g.map { $0.predicted! }),
                    rawRows: g.reduce(0) { $0 + $1.rows.count })
            }
        }
        let edges = options.distanceEdgesKm
        let labels = edges.indices.map { i in i + 1 < edges.count ? "\(fmt(edges[i]))–\(fmt(edges[i + 1])) km" : "≥ \(fmt(edges[i])) km" }
        func distanceLabel(_ d: Double) -> String { labels[max(0, (edges.lastIndex { d >= $0 }) ?? 0)] }
        return group("overall", { _ in "all" }) + group("technology", { $0.technology.rawValue })
            + group("distance", { distanceLabel($0.distanceKm ?? 0) }, order: labels)
            + group("clutter_class", { $0.classCode.map(String.init) ?? "none" }) + group("transmitter", { txs[$0.transmitter!].id })
    }

    static func fmt(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }

    /// The compared bins as calibration points.
    public static func calibrationPoints(_ r: SurveyComparison) -> [CalibrationPoint] {
        r.compared.map {
            CalibrationPoint(
                measured: $0.measured, predicted: $0.predicted!, distanceKm: $0.distanceKm ?? 1, classCode: $0.classCode,
                latitude: $0.latitude, longitude: $0.longitude)
        }
    }
}

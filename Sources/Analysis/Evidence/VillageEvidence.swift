// Measured evidence in the village verdicts (`tanso compliance --measurements`).
//
// A village with measurements of a service (operator × technology) within `radiusM` takes the measured verdict for
// that service instead of the predicted one: the median of the binned measurements (Lee bins, as `tanso
// measurements` makes them) against the technology's threshold in its metric (RxLev, RSCP, RSRP, SS-RSRP, with the
// indoor margin). A measurement's operator is its `operator` column, else that of the transmitter its
// transmitter_id names; measurements of another metric (total power, field strength), of a service the coverage run
// does not hold, or without an operator are not used (counted).
import Foundation
import Radio
import Records

public struct EvidenceSettings: Sendable {
    public var radiusM = 500.0
    public var binWavelengths = 40.0
    public init() {}
}

public struct VillageEvidence: Sendable {
    public enum Agreement: String, Sendable {
        case agree, predictedCoveredMeasuredNot = "predicted_covered_measured_not", measuredCoveredPredictedNot = "measured_covered_predicted_not"
    }
    public let village: Int
    public let service: Int
    public let bins: Int
    public let rawRows: Int
    /// Median of the bins, metric dBm.
    public let medianDBm: Double
    public let thresholdDBm: Double
    public let predictedCovered: Bool
    public let measuredCovered: Bool
    public var agreement: Agreement {
        predictedCovered == measuredCovered ? .agree : predictedCovered ? .predictedCoveredMeasuredNot : .measuredCoveredPredictedNot
    }
}

public struct EvidenceSummary: Sendable {
    public let settings: EvidenceSettings
    public let evidence: [VillageEvidence]
    /// Measurements that could not be used, by reason.
    public let unused: [String: Int]
    /// Villages with evidence for at least one service, and with none.
    public var villagesOnEvidence: Int { Set(evidence.map(\.village)).count }
    public var disagreements: [VillageEvidence] { evidence.filter { $0.agreement != .agree } }
}

public enum EvidenceVerdicts {
    /// The village results with the measured verdicts in place of the predicted ones, and the evidence.
    public static func apply(
        _ results: [VillageResult], measurements: [SurveyMeasurement], keys: [ServiceKey], transmitters: [Transmitter],
        settings: ComplianceSettings, evidence: EvidenceSettings
    ) -> (results: [VillageResult], summary: EvidenceSummary) {
        var unused: [String: Int] = [:]
        var operatorOf: [String: String] = [:]
        for t in transmitters where operatorOf[t.id] == nil { operatorOf[t.id] = t.operatorName }
        let keyIndex = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        var usable: [SurveyMeasurement] = []
        for var m in measurements {
            guard m.metric == MeasurementMetric.native(for: m.technology), m.metric.technology != nil else {
                unused["metric is not the technology's own (RxLev, RSCP, RSRP, SS-RSRP)", default: 0] += 1; continue
            }
            guard let op = m.operatorName ?? m.transmitterID.flatMap({ operatorOf[$0] }) else { unused["no operator", default: 0] += 1; continue }
            guard keyIndex[ServiceKey(op, m.technology)] != nil else { unused["service not in the coverage run", default: 0] += 1; continue }
            m.operatorName = op
            usable.append(m)
        }
        let bins = MeasurementComparison.makeBins(
            usable, attribution: Array(repeating: nil, count: usable.count), binWavelengths: evidence.binWavelengths)
        // Bins by service, in buckets of the radius on a local grid.
        let grid = LocalGrid(latitudes: results.map(\.village.latitude) + bins.map(\.latitude))
        var buckets: [[Int]: [Int]] = [:]
        let r = evidence.radiusM
        for (i, b) in bins.enumerated() {
            let p = grid.metres(latitude: b.latitude, longitude: b.longitude)
            buckets[[keyIndex[ServiceKey(b.operatorName!, b.technology)]!, Int(floor(p.x / r)), Int(floor(p.y / r))], default: []].append(i)
        }
        var out = results, found: [VillageEvidence] = []
        for (vi, v) in results.enumerated() {
            let p = grid.metres(latitude: v.village.latitude, longitude: v.village.longitude)
            let bx = Int(floor(p.x / r)), by = Int(floor(p.y / r))
            var covered = v.covered
            for (k, key) in keys.enumerated() {
                var values: [Double] = [], raw = 0
                for dx in -1...1 {
                    for dy in -1...1 {
                        for i in buckets[[k, bx + dx, by + dy]] ?? [] {
                            let q = grid.metres(latitude: bins[i].latitude, longitude: bins[i].longitude)
                            guard (q.x - p.x) * (q.x - p.x) + (q.y - p.y) * (q.y - p.y) <= r * r else { continue }
                            values.append(bins[i].measured); raw += bins[i].rows.count
                        }
                    }
                }
                guard !values.isEmpty else { continue }
                let threshold = settings.thresholds.threshold(for: key.technology)
                let median = Self.median(values)
                let e = VillageEvidence(
                    village: vi, service: k, bins: values.count, rawRows: raw, medianDBm: median, thresholdDBm: threshold,
                    predictedCovered: v.covered[k], measuredCovered: median >= threshold)
                found.append(e)
                covered[k] = e.measuredCovered
            }
            out[vi] = v.with(covered: covered)
        }
        return (out, EvidenceSummary(settings: evidence, evidence: found, unused: unused))
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted(), n = s.count
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }
}

extension VillageResult {
    func with(covered: [Bool]) -> VillageResult {
        VillageResult(
            village: village, metricDBm: metricDBm, coveredShare: coveredShare, covered: covered, servingTransmitterID: servingTransmitterID,
            servingSiteID: servingSiteID, nearestSiteID: nearestSiteID, nearestSiteKm: nearestSiteKm, cellCount: cellCount)
    }
}

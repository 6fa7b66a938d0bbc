// Compliance with measured evidence: evidence.csv and the report's section (counts of villages resting on evidence
// and on prediction alone, the disagreements).
import Foundation
import Analysis
import Records

public enum EvidenceProducts {
    public static let csv = "evidence.csv"

    public static func writeCSV(_ r: ComplianceResult, _ e: EvidenceSummary, to path: String) throws {
        let header = [
            "village_id", "name", "commune", "district", "population", "operator", "technology", "bins", "raw_rows", "median_dbm", "threshold_dbm",
            "predicted_covered", "measured_covered", "agreement"
        ]
        let rows = e.evidence.map { x -> [String] in
            let v = r.villages[x.village].village, k = r.keys[x.service]
            var row = [v.id, v.name, v.commune, v.district, String(v.population), k.operatorName, k.technology.rawValue]
            row += [String(x.bins), String(x.rawRows), CSV.number(x.medianDBm), CSV.number(x.thresholdDBm)]
            return row + [x.predictedCovered ? "1" : "0", x.measuredCovered ? "1" : "0", x.agreement.rawValue]
        }
        try CSV.write(header: header, rows: rows, to: path)
    }

    public static func htmlSection(_ r: ComplianceResult, _ e: EvidenceSummary) -> String {
        let esc = ComplianceHTML.esc
        let onEvidence = e.villagesOnEvidence
        let groups = Dictionary(grouping: e.evidence, by: \.agreement)
        var h = "<h2>Measured evidence</h2>\n"
        h +=
            "<p>\(onEvidence) of \(r.villages.count) villages rest on measurements for at least one service (within \(Int(e.settings.radiusM)) m: the median of the binned measurements against the threshold replaces the prediction); \(r.villages.count - onEvidence) on prediction alone. "
        h += "Service verdicts with evidence: \(e.evidence.count): \(groups[.agree]?.count ?? 0) agree, "
        h += "\(groups[.predictedCoveredMeasuredNot]?.count ?? 0) predicted covered but measured not, "
        h += "\(groups[.measuredCoveredPredictedNot]?.count ?? 0) measured covered but predicted not.</p>\n"
        if !e.unused.isEmpty {
            h +=
                "<p class=muted>Measurements not used: " + e.unused.sorted { $0.key < $1.key }.map { "\(esc($0.key)): \($0.value)" }.joined(separator: "; ")
                + ".</p>\n"
        }
        let dis = e.disagreements
        if !dis.isEmpty {
            h +=
                "<table><tr><th>village</th><th>commune</th><th>service</th><th class=n>bins</th><th class=n>median dBm</th><th class=n>threshold dBm</th><th>predicted</th><th>measured</th></tr>\n"
            for x in dis.prefix(300) {
                let v = r.villages[x.village].village, k = r.keys[x.service]
                h += "<tr><td>\(esc(v.name)) (\(esc(v.id)))</td><td>\(esc(v.commune))</td><td>\(esc(k.operatorName)) \(k.technology.rawValue)</td>"
                h +=
                    "<td class=n>\(x.bins)</td><td class=n>\(String(format: "%.1f", x.medianDBm))</td><td class=n>\(String(format: "%.0f", x.thresholdDBm))</td>"
                h +=
                    "<td>\(x.predictedCovered ? "covered" : "not covered")</td><td class=\"\(x.measuredCovered ? "ok" : "ko")\">\(x.measuredCovered ? "covered" : "not covered")</td></tr>\n"
            }
            h += "</table>\n"
        }
        return h
    }
}

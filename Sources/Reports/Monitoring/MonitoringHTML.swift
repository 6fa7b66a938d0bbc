// The monitoring report as one self-contained HTML file: per station, a spectrum chart in inline SVG (level
// against frequency; licensed channels receivable at the station as bands; measured emissions as their occupied
// band at their level; sweeps as the highest level, noise floor and threshold; findings marked and numbered)
// split into panels where the station's frequencies lie far apart, and the station's findings as a table; before
// them, a map of the stations and findings (MonitoringSVGMap).
import Foundation
import Analysis
import Radio
import Records

public struct MonitoringStationView: Sendable {
    public var stationID: String
    public var emissions: [MonitoredEmission]
    public var sweep: SweepSummary?
    /// Receivable licensed channels: id, licensee, channel, predicted dBµV/m.
    public var channels: [(id: String, licensee: String, channel: Channel, predictedDBuVm: Double)]
    public var findings: [MonitoringFinding]
    /// Where the station was (several positions: a mobile station's route), WGS 84.
    public var positions: [(lat: Double, lon: Double)] = []

    public init(
        stationID: String, emissions: [MonitoredEmission], sweep: SweepSummary?,
        channels: [(id: String, licensee: String, channel: Channel, predictedDBuVm: Double)], findings: [MonitoringFinding]
    ) {
        self.stationID = stationID; self.emissions = emissions; self.sweep = sweep; self.channels = channels; self.findings = findings
    }
}

public enum MonitoringHTML {
    static let colours: [MonitoringFindingKind: String] = [
        .unlicensed: "#c62828", .offFrequency: "#ef6c00", .excessBandwidth: "#6a1b9a", .overLevel: "#ad1457", .notHeard: "#455a64"
    ]

    public static func render(
        title: String, stations: [MonitoringStationView], summary: [String], thresholdDBuVm: Double, inputs: [(role: String, path: String)],
        admin: AdminLayer? = nil
    ) -> String {
        var h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(esc(title))</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222;line-height:1.45}
            h1{font-size:1.6em;margin-bottom:.2em} h2{margin-top:2em;border-bottom:2px solid #ddd;padding-bottom:.2em}
            table{border-collapse:collapse;margin:.6em 0;font-size:.85em} th,td{border:1px solid #ccc;padding:.25em .55em;text-align:left;vertical-align:top}
            th{background:#f1f3f5} td.n{text-align:right;font-variant-numeric:tabular-nums}
            .muted{color:#666;font-size:.9em} .tag{display:inline-block;padding:0 .4em;border-radius:3px;color:#fff;font-size:.85em}
            svg{border:1px solid #ddd;background:#fff;margin:.4em 0}
            </style></head><body>
            <h1>\(esc(title))</h1>

            """
        h += "<p class=\"muted\">" + summary.map(esc).joined(separator: "<br>") + "</p>\n"
        h +=
            "<p>"
            + MonitoringFindingKind.allCases.map { k in "<span class=\"tag\" style=\"background:\(colours[k]!)\">\(k.rawValue)</span>" }.joined(separator: " ")
        h +=
            " <span class=\"muted\">— licensed channels receivable at the station are drawn as blue bands; measured emissions as black bars over their occupied bandwidth.</span></p>\n"
        if stations.contains(where: { !$0.positions.isEmpty }) {
            h += "<h2>Map</h2>\n" + MonitoringSVGMap.render(stations: stations, admin: admin, title: "Stations and findings") + "\n"
        }
        var number = 0
        for s in stations {
            h += "<h2>Station \(esc(s.stationID))</h2>\n"
            let counts = MonitoringFindingKind.allCases.compactMap { k -> String? in
                let c = s.findings.filter { $0.kind == k && $0.status != "resolved" }.count
                return c > 0 ? "\(c) \(k.rawValue)" : nil
            }
            h += "<p class=\"muted\">\(s.emissions.count) emissions"
            if let w = s.sweep { h += " (detected in \(w.sweeps) sweeps, \(esc(w.firstTimestamp)) – \(esc(w.lastTimestamp)))" }
            h += ", \(s.channels.count) receivable licensed channels; findings: \(counts.isEmpty ? "none" : esc(counts.joined(separator: ", ")))</p>\n"
            let numbered = s.findings.map { f -> (Int, MonitoringFinding) in
                number += 1; return (number, f)
            }
            for panel in panels(s) {
                h += chart(s, range: panel, numbered: numbered, thresholdDBuVm: thresholdDBuVm)
            }
            if !numbered.isEmpty {
                h += "<table><tr><th>#</th><th>kind</th><th>severity</th><th>MHz</th><th>kHz</th><th>dBµV/m</th><th>assignment</th><th>explanation</th></tr>\n"
                for (n, f) in numbered {
                    h += "<tr><td class=\"n\">\(n)</td><td><span class=\"tag\" style=\"background:\(colours[f.kind]!)\">\(f.kind.rawValue)</span>"
                    h += f.status.map { " <span class=\"muted\">\(esc($0))</span>" } ?? ""
                    h += "</td><td>\(f.severity.rawValue)</td><td class=\"n\">\(String(format: "%.4f", f.frequencyMHz))</td>"
                    h +=
                        "<td class=\"n\">\(f.bandwidthKHz.map { String(format: "%.1f", $0) } ?? "")</td><td class=\"n\">\(f.levelDBuVm.map { String(format: "%.1f", $0) } ?? "")</td>"
                    h += "<td>\(esc(f.assignmentID ?? "—"))</td><td>\(esc(f.explanation))</td></tr>\n"
                }
                h += "</table>\n"
            }
        }
        h += "<h2>Inputs</h2><ul>" + inputs.map { "<li>\(esc($0.role)): \(esc($0.path))</li>" }.joined() + "</ul>\n</body></html>\n"
        return h
    }

    /// Frequency ranges of the panels: the station's emissions, channels and sweep grid, split at gaps wider than
    /// 30 MHz (and a tenth of the span), each widened by 5 % on each side.
    static func panels(_ s: MonitoringStationView) -> [ClosedRange<Double>] {
        var spans: [(Double, Double)] = s.emissions.map { ($0.frequencyMHz - $0.bandwidthKHz / 2000, $0.frequencyMHz + $0.bandwidthKHz / 2000) }
        spans += s.channels.map { ($0.channel.lowMHz, $0.channel.highMHz) }
        spans += s.findings.map { ($0.frequencyMHz - ($0.bandwidthKHz ?? 0) / 2000, $0.frequencyMHz + ($0.bandwidthKHz ?? 0) / 2000) }
        if let w = s.sweep, let a = w.frequenciesMHz.first, let b = w.frequenciesMHz.last { spans.append((a, b)) }
        spans.sort { $0.0 < $1.0 }
        var out: [(Double, Double)] = []
        for sp in spans {
            if let last = out.last, sp.0 - last.1 <= 30 { out[out.count - 1].1 = max(last.1, sp.1) } else { out.append(sp) }
        }
        return out.map { lo, hi in
            let pad = max((hi - lo) * 0.05, 0.05)
            return (lo - pad)...(hi + pad)
        }
    }

    static func chart(_ s: MonitoringStationView, range: ClosedRange<Double>, numbered: [(Int, MonitoringFinding)], thresholdDBuVm: Double) -> String {
        let W = 1000.0, H = 340.0, left = 60.0, right = 20.0, top = 20.0, bottom = 50.0
        let emissions = s.emissions.filter { range.contains($0.frequencyMHz) }
        let channels = s.channels.filter { $0.channel.highMHz >= range.lowerBound && $0.channel.lowMHz <= range.upperBound }
        let findings = numbered.filter { range.contains($0.1.frequencyMHz) }
        var levels = emissions.map(\.levelDBuVm) + channels.map(\.predictedDBuVm) + findings.compactMap { $0.1.levelDBuVm ?? $0.1.expected }
        levels.append(thresholdDBuVm)
        var sweepIdx: [Int] = []
        if let w = s.sweep {
            sweepIdx = w.frequenciesMHz.indices.filter { range.contains(w.frequenciesMHz[$0]) }
            levels += sweepIdx.flatMap { [w.maxDBuVm[$0], w.floorDBuVm[$0]] }.filter { $0.isFinite }
        }
        let yLo = ((levels.min() ?? 0) - 5) / 10, yHi = ((levels.max() ?? 100) + 5) / 10
        let y0 = yLo.rounded(.down) * 10, y1 = max(yHi.rounded(.up) * 10, y0 + 10)
        func x(_ f: Double) -> Double { left + (f - range.lowerBound) / (range.upperBound - range.lowerBound) * (W - left - right) }
        func y(_ l: Double) -> Double { top + (y1 - min(max(l, y0), y1)) / (y1 - y0) * (H - top - bottom) }
        var g =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(W))\" height=\"\(Int(H))\" viewBox=\"0 0 \(Int(W)) \(Int(H))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        // Axes and grid.
        var l = y0
        while l <= y1 + 1e-9 {
            g += "<line x1=\"\(f1(left))\" y1=\"\(f1(y(l)))\" x2=\"\(f1(W - right))\" y2=\"\(f1(y(l)))\" stroke=\"#eee\"/>"
            g += "<text x=\"\(f1(left - 6))\" y=\"\(f1(y(l) + 4))\" text-anchor=\"end\">\(Int(l))</text>\n"
            l += (y1 - y0) > 80 ? 20 : 10
        }
        let step = niceStep((range.upperBound - range.lowerBound) / 8)
        var t = (range.lowerBound / step).rounded(.up) * step
        while t <= range.upperBound {
            g += "<line x1=\"\(f1(x(t)))\" y1=\"\(f1(top))\" x2=\"\(f1(x(t)))\" y2=\"\(f1(H - bottom))\" stroke=\"#f3f3f3\"/>"
            g += "<text x=\"\(f1(x(t)))\" y=\"\(f1(H - bottom + 15))\" text-anchor=\"middle\">\(trim(t))</text>\n"
            t += step
        }
        g += "<text x=\"\(f1((left + W - right) / 2))\" y=\"\(f1(H - 12))\" text-anchor=\"middle\">frequency (MHz)</text>"
        g +=
            "<text x=\"14\" y=\"\(f1((top + H - bottom) / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(f1((top + H - bottom) / 2)))\">level (dBµV/m)</text>\n"
        // Licensed channels.
        for (k, c) in channels.enumerated() {
            let a = x(max(c.channel.lowMHz, range.lowerBound)), b = x(min(c.channel.highMHz, range.upperBound))
            g +=
                "<rect x=\"\(f1(a))\" y=\"\(f1(top))\" width=\"\(f1(max(b - a, 1.5)))\" height=\"\(f1(H - top - bottom))\" fill=\"#1976d2\" fill-opacity=\"0.10\" stroke=\"#1976d2\" stroke-opacity=\"0.35\"><title>\(esc(c.id)) \(esc(c.licensee)) \(String(format: "%.4f", c.channel.centreMHz)) MHz, predicted \(String(format: "%.1f", c.predictedDBuVm)) dBµV/m</title></rect>"
            g +=
                "<line x1=\"\(f1(a))\" y1=\"\(f1(y(c.predictedDBuVm)))\" x2=\"\(f1(max(b, a + 1.5)))\" y2=\"\(f1(y(c.predictedDBuVm)))\" stroke=\"#1976d2\" stroke-dasharray=\"3 2\"/>"
            if channels.count <= 12 {
                g += "<text x=\"\(f1((a + b) / 2))\" y=\"\(f1(top + 12 + Double(k % 3) * 12))\" text-anchor=\"middle\" fill=\"#1565c0\">\(esc(c.id))</text>\n"
            }
        }
        // Sweeps: highest level, floor, threshold.
        if let w = s.sweep, sweepIdx.count > 1 {
            func path(_ v: [Double]) -> String {
                sweepIdx.filter { v[$0].isFinite }.enumerated().map {
                    ($0.offset == 0 ? "M" : "L") + "\(f1(x(w.frequenciesMHz[$0.element]))) \(f1(y(v[$0.element])))"
                }
                .joined(separator: " ")
            }
            g += "<path d=\"\(path(w.maxDBuVm))\" fill=\"none\" stroke=\"#000\" stroke-width=\"1\"/>"
            g += "<path d=\"\(path(w.floorDBuVm))\" fill=\"none\" stroke=\"#2e7d32\" stroke-width=\"1\"/>"
            g += "<path d=\"\(path(w.thresholdDBuVm))\" fill=\"none\" stroke=\"#2e7d32\" stroke-dasharray=\"4 3\" stroke-width=\"1\"/>\n"
            g +=
                "<text x=\"\(f1(W - right - 4))\" y=\"\(f1(H - bottom - 6))\" text-anchor=\"end\" fill=\"#2e7d32\">sweeps: highest level (black), noise floor (green), threshold (dashed)</text>\n"
        } else {
            g +=
                "<line x1=\"\(f1(left))\" y1=\"\(f1(y(thresholdDBuVm)))\" x2=\"\(f1(W - right))\" y2=\"\(f1(y(thresholdDBuVm)))\" stroke=\"#2e7d32\" stroke-dasharray=\"4 3\"/>"
            g += "<text x=\"\(f1(W - right - 4))\" y=\"\(f1(y(thresholdDBuVm) - 4))\" text-anchor=\"end\" fill=\"#2e7d32\">detection threshold</text>\n"
        }
        // Emissions: occupied band at the level, with a stem.
        for e in emissions {
            let a = x(e.frequencyMHz - e.bandwidthKHz / 2000), b = x(e.frequencyMHz + e.bandwidthKHz / 2000)
            g += "<line x1=\"\(f1(x(e.frequencyMHz)))\" y1=\"\(f1(y(y0)))\" x2=\"\(f1(x(e.frequencyMHz)))\" y2=\"\(f1(y(e.levelDBuVm)))\" stroke=\"#999\"/>"
            g +=
                "<rect x=\"\(f1(a))\" y=\"\(f1(y(e.levelDBuVm) - 2))\" width=\"\(f1(max(b - a, 2)))\" height=\"4\" fill=\"#222\"><title>\(String(format: "%.4f", e.frequencyMHz)) MHz, \(String(format: "%.1f", e.bandwidthKHz)) kHz, \(String(format: "%.1f", e.levelDBuVm)) dBµV/m</title></rect>\n"
        }
        // Findings: numbered markers.
        for (k, (n, f)) in findings.enumerated() {
            let lv = f.levelDBuVm ?? f.expected ?? thresholdDBuVm
            let cx = x(f.frequencyMHz), cy = y(lv) - 12 - Double(k % 2) * 16
            g +=
                "<circle cx=\"\(f1(cx))\" cy=\"\(f1(cy))\" r=\"8\" fill=\"\(colours[f.kind]!)\"\(f.kind == .notHeard ? " fill-opacity=\"0.75\"" : "")><title>\(esc(f.kind.rawValue)): \(esc(f.explanation))</title></circle>"
            g += "<text x=\"\(f1(cx))\" y=\"\(f1(cy + 4))\" text-anchor=\"middle\" fill=\"#fff\" font-size=\"10\" font-weight=\"bold\">\(n)</text>\n"
        }
        g += "</svg>\n"
        return g
    }

    static func niceStep(_ raw: Double) -> Double {
        let p = pow(10, (log10(max(raw, 1e-9))).rounded(.down))
        for m in [1.0, 2, 5, 10] where m * p >= raw { return m * p }
        return 10 * p
    }

    static func trim(_ x: Double) -> String {
        var s = String(format: "%.3f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static func f1(_ x: Double) -> String { String(format: "%.1f", x) }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}

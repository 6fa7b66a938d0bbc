// Products of `tanso measurements`: the compared bins and raw rows (CSV), the statistics (CSV), the bins as points
// (GeoPackage) and a self-contained HTML report with inline SVG charts (error histogram, error against
// log-distance, measured against predicted).
import Foundation
import Analysis
import Geo
import Radio
import Records

public enum MeasurementProducts {
    public static let binsCSV = "bins.csv", rowsCSV = "rows.csv", statisticsCSV = "statistics.csv"
    public static let pointsGPKG = "measurements.gpkg", reportHTML = "report.html"
    public static let fixed = [binsCSV, rowsCSV, statisticsCSV, pointsGPKG, reportHTML]

    /// Fixed decimals, empty for nil or non-finite, as `CSV.number` writes them (without printf: 100,000 rows of a
    /// dozen numbers each spent a fifth of the command in String(format:)); large magnitudes go through it. An exact
    /// tie (…5 in binary) may round away from zero where printf rounds to even.
    static func n(_ x: Double?, _ d: Int = 2) -> String {
        guard let x, x.isFinite else { return "" }
        let scale = [1.0, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000][min(max(d, 0), 7)]
        guard abs(x) * scale < 1e15, d <= 7 else { return CSV.number(x, decimals: d) }
        let q = Int64((abs(x) * scale).rounded())
        guard q != 0 || x >= 0 else { return CSV.number(x, decimals: d) }
        let digits = String(q), negative = x < 0 && q != 0
        guard d > 0 else { return (negative ? "-" : "") + digits }
        let padded = digits.count <= d ? String(repeating: "0", count: d - digits.count + 1) + digits : digits
        return (negative ? "-" : "") + padded.dropLast(d) + "." + padded.suffix(d)
    }

    public static func write(
        _ r: SurveyComparison, measurements: [SurveyMeasurement], transmitters: [Transmitter], title: String,
        model: String, inputs: [(role: String, name: String, sha256: String)], to dir: String
    ) throws -> [(path: String, what: String)] {
        let url = URL(fileURLWithPath: dir)
        func p(_ name: String) -> String { url.appendingPathComponent(name).path }
        func txID(_ b: ComparedBin) -> String { b.transmitter.map { transmitters[$0].id } ?? "" }
        let binHeader = [
            "bin", "raw_rows", "first_row", "rule", "transmitter_id", "operator", "technology", "metric", "frequency_mhz", "latitude", "longitude",
            "distance_km", "clutter_class", "measured", "predicted", "error_db", "note"
        ]
        var binRows: [[String]] = []
        for b in r.bins {
            var row = [String(b.index), String(b.rows.count), String(b.rows[0]), b.rule.rawValue, txID(b), b.operatorName ?? ""]
            row += [b.technology.rawValue, b.metric.rawValue, n(b.frequencyMHz, 3), n(b.latitude, 7), n(b.longitude, 7), n(b.distanceKm, 3)]
            row += [b.classCode.map(String.init) ?? "", n(b.measured), n(b.predicted), n(b.errorDB), b.note ?? ""]
            binRows.append(row)
        }
        try CSV.write(header: binHeader, rows: binRows, to: p(binsCSV))
        // Raw rows: each with its bin's prediction.
        var binOfRow: [Int: Int] = [:]
        for (i, b) in r.bins.enumerated() { for row in b.rows { binOfRow[row] = i } }
        let rowHeader = ["row", "bin", "rule", "transmitter_id", "latitude", "longitude", "metric", "measured", "predicted", "error_db", "distance_km"]
        let rows = measurements.map { m -> [String] in
            let b = r.bins[binOfRow[m.row]!]
            return [
                String(m.row), String(b.index), b.rule.rawValue, txID(b), n(m.latitude, 7), n(m.longitude, 7), m.metric.rawValue, n(m.value),
                n(b.predicted), n(b.predicted.map { m.value - $0 }), n(b.distanceKm, 3)
            ]
        }
        try CSV.write(header: rowHeader, rows: rows, to: p(rowsCSV))
        let statHeader = ["group", "key", "bins", "raw_rows", "mean_error_db", "sigma_db", "rmse_db", "correlation"]
        try CSV.write(
            header: statHeader,
            rows: r.groups.map { g in
                let s = g.statistics
                return [g.kind, g.key, String(s.count), String(g.rawRows), n(s.meanDB), n(s.sigmaDB), n(s.rmseDB), n(s.correlation, 3)]
            }, to: p(statisticsCSV))
        var layer = LayerData(
            name: "measurements",
            fields: [
                ("bin", .integer), ("raw_rows", .integer), ("rule", .string), ("transmitter_id", .string), ("technology", .string),
                ("metric", .string), ("measured", .real), ("predicted", .real), ("error_db", .real), ("distance_km", .real)
            ], geometryType: .point)
        for b in r.bins {
            layer.append(
                .point(Coordinate(b.longitude, b.latitude)),
                [
                    .integer(b.index), .integer(b.rows.count), .string(b.rule.rawValue), .string(txID(b)), .string(b.technology.rawValue),
                    .string(b.metric.rawValue), .real(round2(b.measured)), b.predicted.map { .real(round2($0)) } ?? .null,
                    b.errorDB.map { .real(round2($0)) } ?? .null, b.distanceKm.map { .real(round2($0)) } ?? .null
                ])
        }
        try VectorWriter.write([layer], to: p(pointsGPKG))
        try Data(html(r, title: title, model: model, inputs: inputs).utf8).write(to: URL(fileURLWithPath: p(reportHTML)))
        return [
            (p(binsCSV), "one row per bin (measurements averaged over the bin): rule, transmitter, measured, predicted, error, distance"),
            (p(rowsCSV), "one row per measurement with its bin's prediction and error"),
            (p(statisticsCSV), "count, mean error, σ, RMSE, correlation per transmitter, technology, distance, clutter class and overall"),
            (p(pointsGPKG), "the bins as points (layer measurements)"), (p(reportHTML), "the report: statistics and charts (self-contained)")
        ]
    }

    static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
    static func esc(_ s: String) -> String { ComplianceHTML.esc(s) }
    static func f(_ x: Double?, _ d: Int = 1) -> String { x.map { String(format: "%.\(d)f", $0) } ?? "–" }

    // MARK: - HTML

    public static func html(_ r: SurveyComparison, title: String, model: String, inputs: [(role: String, name: String, sha256: String)]) -> String {
        let o = r.overall.statistics
        var h =
            HTMLPage.head(title: title, extraCSS: ".charts{display:flex;flex-wrap:wrap;gap:1.5em}") + """
                <h1>\(esc(title))</h1>
                <p class="muted">Model <b>\(esc(model))</b>. Error = measured − predicted (positive: the model predicted less signal than was measured).
                Measurements closer together than the bin were averaged (power mean); each bin is compared with the prediction at its mean position.</p>
                <div class="cards">
                \(card("Measurements", "\(r.rawRows)", "\(r.bins.count) bins, \(r.compared.count) compared"))
                \(card("Mean error", f(o.meanDB) + " dB", "σ \(f(o.sigmaDB)) dB"))
                \(card("RMSE", f(o.rmseDB) + " dB", "over \(o.count) bins"))
                \(card("Correlation", f(o.correlation, 2), "measured with predicted"))
                </div>
                <h2>Attribution</h2>
                <table><tr><th>rule</th><th>meaning</th><th class=n>bins</th><th class=n>raw rows</th></tr>

                """
        let meaning: [AttributionRule: String] = [
            .id: "the row's transmitter_id", .pci: "PCI and frequency", .strongest: "strongest predicted on its frequency",
            .none: "no transmitter found (not compared)"
        ]
        for rule in AttributionRule.allCases {
            let bins = r.bins.filter { $0.rule == rule }
            h +=
                "<tr><td>\(rule.rawValue)</td><td>\(esc(meaning[rule]!))</td><td class=n>\(bins.count)</td><td class=n>\(bins.reduce(0) { $0 + $1.rows.count })</td></tr>\n"
        }
        let unpredicted = r.bins.filter { $0.transmitter != nil && $0.predicted == nil }.count
        h += "</table>\n"
        if unpredicted > 0 { h += "<p class=muted>\(unpredicted) attributed bin(s) have no prediction (see the note column of bins.csv).</p>\n" }
        let compared = r.compared
        h += "<h2>Charts</h2>\n<div class=\"charts\">\n"
        h += histogram(compared.compactMap(\.errorDB))
        h += scatter(
            compared.map { (log10(max($0.distanceKm ?? 0.001, 0.001)), $0.errorDB!) }, title: "Error against distance",
            xLabel: "distance (km, log scale)", yLabel: "error (dB)", logX: true, diagonal: false)
        h += scatter(
            compared.map { ($0.predicted!, $0.measured) }, title: "Measured against predicted", xLabel: "predicted (dBm)", yLabel: "measured (dBm)",
            logX: false, diagonal: true)
        h += "</div>\n<h2>Statistics</h2>\n"
        h +=
            "<table><tr><th>group</th><th>key</th><th class=n>bins</th><th class=n>raw rows</th><th class=n>mean error dB</th><th class=n>σ dB</th><th class=n>RMSE dB</th><th class=n>correlation</th></tr>\n"
        for g in r.groups {
            let s = g.statistics
            h +=
                "<tr><td>\(esc(g.kind))</td><td>\(esc(g.key))</td><td class=n>\(s.count)</td><td class=n>\(g.rawRows)</td><td class=n>\(f(s.meanDB))</td><td class=n>\(f(s.sigmaDB))</td><td class=n>\(f(s.rmseDB))</td><td class=n>\(f(s.correlation, 2))</td></tr>\n"
        }
        h += "</table>\n<h2>Inputs</h2>\n<table><tr><th>role</th><th>file</th><th>SHA-256</th></tr>\n"
        for i in inputs { h += "<tr><td>\(esc(i.role))</td><td>\(esc(i.name))</td><td><code>\(esc(i.sha256))</code></td></tr>\n" }
        return h + "</table>\n</body></html>\n"
    }

    static func card(_ title: String, _ big: String, _ note: String) -> String {
        "<div class=\"card\"><div>\(esc(title))</div><div class=\"big\">\(esc(big))</div><div class=\"muted\">\(esc(note))</div></div>"
    }

    /// "Nice" tick values covering [lo, hi].
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        let span = max(hi - lo, 1e-9), raw = span / Double(count)
        let mag = pow(10, floor(log10(raw))), step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        var t = (lo / step).rounded(.up) * step, out: [Double] = []
        while t <= hi + 1e-9 { out.append(abs(t) < 1e-12 ? 0 : t); t += step }
        return out
    }

    static func label(_ v: Double) -> String { abs(v - v.rounded()) < 1e-9 ? String(Int(v.rounded())) : String(format: "%.1f", v) }

    static let W = 500.0, H = 340.0, left = 55.0, right = 15.0, top = 30.0, bottom = 45.0

    static func frame(_ title: String, xLabel: String, yLabel: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(W))\" height=\"\(Int(H))\" role=\"img\" aria-label=\"\(esc(title))\" style=\"font:12px sans-serif\">"
            + "<text x=\"\(Int(W / 2))\" y=\"18\" text-anchor=\"middle\" style=\"font-weight:bold;font-size:14px\">\(esc(title))</text>"
            + "<text x=\"\(Int(left + (W - left - right) / 2))\" y=\"\(Int(H - 8))\" text-anchor=\"middle\">\(esc(xLabel))</text>"
            + "<text transform=\"translate(14 \(Int(top + (H - top - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(esc(yLabel))</text>"
    }

    static func axes(xTicks: [(Double, String)], yTicks: [(Double, String)]) -> String {
        var s = "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(W - left - right)\" height=\"\(H - top - bottom)\" fill=\"none\" stroke=\"#888\"/>"
        for (x, l) in xTicks {
            s += "<line x1=\"\(x)\" y1=\"\(H - bottom)\" x2=\"\(x)\" y2=\"\(H - bottom + 4)\" stroke=\"#888\"/>"
            s += "<text x=\"\(x)\" y=\"\(H - bottom + 16)\" text-anchor=\"middle\">\(esc(l))</text>"
        }
        for (y, l) in yTicks {
            s += "<line x1=\"\(left - 4)\" y1=\"\(y)\" x2=\"\(W - right)\" y2=\"\(y)\" stroke=\"#eee\"/>"
            s += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(esc(l))</text>"
        }
        return s
    }

    /// Histogram of the errors in 2 dB classes.
    static func histogram(_ errors: [Double]) -> String {
        var s = frame("Error histogram", xLabel: "error, measured − predicted (dB)", yLabel: "bins")
        guard let lo0 = errors.min(), let hi0 = errors.max() else {
            return s + "<text x=\"250\" y=\"170\" text-anchor=\"middle\">no compared bins</text></svg>"
        }
        let width = 2.0, lo = (lo0 / width).rounded(.down) * width, hi = max((hi0 / width).rounded(.down) * width + width, lo + width)
        let k = Int(((hi - lo) / width).rounded())
        var counts = [Int](repeating: 0, count: k)
        for e in errors { counts[min(k - 1, Int((e - lo) / width))] += 1 }
        let maxC = Double(counts.max() ?? 1) * 1.08, pw = W - left - right, ph = H - top - bottom
        func x(_ v: Double) -> Double { left + (v - lo) / (hi - lo) * pw }
        func y(_ c: Double) -> Double { H - bottom - c / maxC * ph }
        s += axes(
            xTicks: ticks(lo, hi).map { (x($0), label($0)) }, yTicks: ticks(0, maxC).map { (y($0), label($0)) })
        for (i, c) in counts.enumerated() where c > 0 {
            let x0 = x(lo + Double(i) * width), x1 = x(lo + Double(i + 1) * width)
            s += "<rect x=\"\(x0)\" y=\"\(y(Double(c)))\" width=\"\(max(x1 - x0 - 1, 1))\" height=\"\(H - bottom - y(Double(c)))\" fill=\"#4c78a8\"/>"
        }
        if lo < 0 && hi > 0 { s += "<line x1=\"\(x(0))\" y1=\"\(top)\" x2=\"\(x(0))\" y2=\"\(H - bottom)\" stroke=\"#c62828\" stroke-dasharray=\"4 3\"/>" }
        return s + "</svg>\n"
    }

    /// Scatter plot (at most 20,000 points drawn, evenly taken), with the 1:1 line or the zero line.
    static func scatter(_ points: [(Double, Double)], title: String, xLabel: String, yLabel: String, logX: Bool, diagonal: Bool) -> String {
        var s = frame(title, xLabel: xLabel, yLabel: yLabel)
        guard !points.isEmpty else { return s + "<text x=\"250\" y=\"170\" text-anchor=\"middle\">no compared bins</text></svg>\n" }
        var x0 = points.map(\.0).min()!, x1 = points.map(\.0).max()!, y0 = points.map(\.1).min()!, y1 = points.map(\.1).max()!
        if diagonal { x0 = min(x0, y0); y0 = x0; x1 = max(x1, y1); y1 = x1 }
        if x1 - x0 < 1e-6 { x0 -= 1; x1 += 1 }
        if y1 - y0 < 1e-6 { y0 -= 1; y1 += 1 }
        let padX = (x1 - x0) * 0.03, padY = (y1 - y0) * 0.05
        x0 -= padX; x1 += padX; y0 -= padY; y1 += padY
        let pw = W - left - right, ph = H - top - bottom
        func x(_ v: Double) -> Double { left + (v - x0) / (x1 - x0) * pw }
        func y(_ v: Double) -> Double { H - bottom - (v - y0) / (y1 - y0) * ph }
        var xt = ticks(x0, x1).map { (x($0), label($0)) }
        if logX {
            let decades = ticks(x0, x1).filter { $0 == $0.rounded() }
            xt = (decades.count >= 2 ? decades : ticks(x0, x1)).map { (x($0), String(format: "%g", Double(String(format: "%.2g", pow(10, $0)))!)) }
        }
        s += axes(xTicks: xt, yTicks: ticks(y0, y1).map { (y($0), label($0)) })
        let step = max(1, points.count / 20_000)
        var dots = ""
        for i in stride(from: 0, to: points.count, by: step) {
            dots += "<circle cx=\"\(String(format: "%.1f", x(points[i].0)))\" cy=\"\(String(format: "%.1f", y(points[i].1)))\" r=\"1.6\"/>"
        }
        s += "<g fill=\"#4c78a8\" fill-opacity=\"0.45\">\(dots)</g>"
        if diagonal {
            s += "<line x1=\"\(x(x0))\" y1=\"\(y(x0))\" x2=\"\(x(x1))\" y2=\"\(y(x1))\" stroke=\"#c62828\" stroke-dasharray=\"4 3\"/>"
        } else if y0 < 0 && y1 > 0 {
            s += "<line x1=\"\(left)\" y1=\"\(y(0))\" x2=\"\(W - right)\" y2=\"\(y(0))\" stroke=\"#c62828\" stroke-dasharray=\"4 3\"/>"
        }
        return s + "</svg>\n"
    }
}

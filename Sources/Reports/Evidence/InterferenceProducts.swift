// Products of `tanso interference`: candidates.csv, interference.gpkg (victim, candidate stations, paths) and a
// self-contained report.html (inline SVG map with real text, the ranked table with each candidate's chain).
import Analysis
import Foundation
import Geo
import Records

public enum InterferenceProducts {
    public static let files = ["candidates.csv", "interference.gpkg", "report.html"]
    public static let columns = ["rank", "mechanism", "assignment_ids", "frequencies_mhz", "interference_dbm", "i_over_n_db", "explanation"]

    public static func mhz(_ x: Double) -> String {
        var s = String(format: "%.4f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    public static func csv(_ c: [InterferenceCandidate]) -> String {
        CSV.format(
            header: columns,
            rows: c.enumerated().map { k, x in
                [
                    String(k + 1), x.mechanism.rawValue, x.assignmentIDs.joined(separator: ";"), x.frequenciesMHz.map(mhz).joined(separator: ";"),
                    CSV.number(x.interferenceDBm, decimals: 2), CSV.number(x.iOverNDB, decimals: 2), x.explanation
                ]
            })
    }

    static func layers(_ complaint: Complaint, _ c: [InterferenceCandidate]) -> [LayerData] {
        let victimPoint = Geometry.point(Coordinate(complaint.longitude, complaint.latitude))
        var victim = LayerData(
            name: "victim", fields: [("frequency_mhz", .real), ("bandwidth_khz", .real), ("service", .string), ("noise_dbm", .real)], geometryType: .point)
        victim.append(victimPoint, [.real(complaint.frequencyMHz), .real(complaint.bandwidthKHz), .string(complaint.service), .real(complaint.noiseDBm)])
        let fields: [(name: String, kind: FieldKind)] = [
            ("rank", .integer), ("mechanism", .string), ("assignment_ids", .string), ("frequencies_mhz", .string),
            ("interference_dbm", .real), ("i_over_n_db", .real), ("distance_km", .real), ("path_loss_db", .real), ("explanation", .string)
        ]
        var stations = LayerData(name: "candidates", fields: fields, geometryType: .point)
        var paths = LayerData(name: "paths", fields: fields, geometryType: .lineString)
        for (k, x) in c.enumerated() {
            let values: [FieldValue] = [
                .integer(k + 1), .string(x.mechanism.rawValue), .string(x.assignmentIDs.joined(separator: ";")),
                .string(x.frequenciesMHz.map(mhz).joined(separator: ";")), .real(x.interferenceDBm), .real(x.iOverNDB),
                .real(x.distanceKm), .real(x.pathLossDB), .string(x.explanation)
            ]
            let source = Coordinate(x.sourceLongitude, x.sourceLatitude)
            stations.append(.point(source), values)
            paths.append(.lineString([source, Coordinate(complaint.longitude, complaint.latitude)]), values)
        }
        return [victim, stations, paths]
    }

    /// Writes the three products into `directory` (an output transaction's staging folder).
    public static func write(
        complaint: Complaint, candidates: [InterferenceCandidate], statistics: InterferenceStatistics, settings: InterferenceSettings,
        title: String, inputs: [(role: String, name: String, sha256: String)], to directory: String
    ) throws {
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        try csv(candidates).write(toFile: path("candidates.csv"), atomically: false, encoding: .utf8)
        try VectorWriter.write(layers(complaint, candidates), to: path("interference.gpkg"))
        try html(complaint, candidates, statistics: statistics, settings: settings, title: title, inputs: inputs)
            .write(toFile: path("report.html"), atomically: false, encoding: .utf8)
    }

    static let colours: [InterferenceMechanism: String] = [
        .coChannel: "#c62828", .adjacentChannel: "#ef6c00", .intermodulation: "#6a1b9a", .harmonic: "#1565c0", .spurious: "#00838f",
        .blocking: "#2e7d32"
    ]

    /// The map: victim, candidates and paths in a local equirectangular frame, with a scale bar and labels.
    static func svg(_ complaint: Complaint, _ c: [InterferenceCandidate], width: Double = 760, height: Double = 520) -> String {
        let esc = ComplianceHTML.esc
        let cosLat = cos(complaint.latitude * .pi / 180)
        let pts = c.map { (x: ($0.sourceLongitude - complaint.longitude) * cosLat * 111.32, y: ($0.sourceLatitude - complaint.latitude) * 110.57) }
        let extent = max(1, (pts.map { max(abs($0.x), abs($0.y)) }.max() ?? 1) * 1.15)
        let scale = min(width, height) / 2 / extent
        func sx(_ x: Double) -> Double { width / 2 + x * scale }
        func sy(_ y: Double) -> Double { height / 2 - y * scale }
        var s =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\">"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"#f7f9fa\" stroke=\"#ccc\"/>"
        // Distance rings.
        let ring = [0.5, 1, 2, 5, 10, 20, 50, 100, 200].last { $0 <= extent / 1.5 } ?? 0.5
        for k in 1...3 where Double(k) * ring <= extent * 1.4 {
            let r = Double(k) * ring * scale
            s += "<circle cx=\"\(f1(sx(0)))\" cy=\"\(f1(sy(0)))\" r=\"\(f1(r))\" fill=\"none\" stroke=\"#d0d7de\" stroke-dasharray=\"4 4\"/>"
            s += "<text x=\"\(f1(sx(0) + r + 3))\" y=\"\(f1(sy(0) - 3))\" font-size=\"11\" fill=\"#888\">\(fmtKm(Double(k) * ring)) km</text>"
        }
        for (k, (x, p)) in zip(c, pts).enumerated().reversed() {
            let colour = colours[x.mechanism]!
            s +=
                "<line x1=\"\(f1(sx(p.x)))\" y1=\"\(f1(sy(p.y)))\" x2=\"\(f1(sx(0)))\" y2=\"\(f1(sy(0)))\" stroke=\"\(colour)\" stroke-opacity=\"0.55\" stroke-width=\"\(k == 0 ? 3 : 1.2)\"/>"
            s += "<circle cx=\"\(f1(sx(p.x)))\" cy=\"\(f1(sy(p.y)))\" r=\"\(k == 0 ? 7 : 5)\" fill=\"\(colour)\" stroke=\"#fff\"/>"
        }
        // One label per source position (co-sited candidates share it): their ranks, and the first one's ids.
        var labelled: [String: [Int]] = [:], order: [String] = []
        for (k, p) in pts.enumerated() {
            let key = "\(f1(sx(p.x))),\(f1(sy(p.y)))"
            if labelled[key] == nil { order.append(key) }
            labelled[key, default: []].append(k)
        }
        for (n, key) in order.enumerated() where n < 10 {
            let ranks = labelled[key]!, p = pts[ranks[0]]
            let text =
                ranks.prefix(4).map { String($0 + 1) }.joined(separator: ", ") + (ranks.count > 4 ? ", …" : "") + ": "
                + esc(c[ranks[0]].assignmentIDs.joined(separator: "+"))
            s += "<text x=\"\(f1(sx(p.x) + 8))\" y=\"\(f1(sy(p.y) + 4 + Double(n % 2) * 11))\" font-size=\"12\" fill=\"#222\">\(text)</text>"
        }
        s +=
            "<path d=\"M\(f1(sx(0) - 9)) \(f1(sy(0))) L\(f1(sx(0))) \(f1(sy(0) - 9)) L\(f1(sx(0) + 9)) \(f1(sy(0))) L\(f1(sx(0))) \(f1(sy(0) + 9)) Z\" fill=\"#000\"/>"
        s += "<text x=\"\(f1(sx(0) + 11))\" y=\"\(f1(sy(0) - 10))\" font-size=\"13\" font-weight=\"bold\">victim \(mhz(complaint.frequencyMHz)) MHz</text>"
        // Legend and north arrow.
        var y = 20.0
        for m in InterferenceMechanism.allCases where c.contains(where: { $0.mechanism == m }) {
            s += "<circle cx=\"16\" cy=\"\(f1(y - 4))\" r=\"5\" fill=\"\(colours[m]!)\"/><text x=\"26\" y=\"\(f1(y))\" font-size=\"12\">\(m.rawValue)</text>"
            y += 17
        }
        s +=
            "<text x=\"\(f1(width - 22))\" y=\"22\" font-size=\"14\" font-weight=\"bold\">N</text><path d=\"M\(f1(width - 17)) 28 l-6 16 l6 -4 l6 4 z\" fill=\"#333\"/>"
        return s + "</svg>"
    }

    static func f1(_ x: Double) -> String { String(format: "%.1f", x) }
    static func fmtKm(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x) }

    static func html(
        _ complaint: Complaint, _ c: [InterferenceCandidate], statistics: InterferenceStatistics, settings: InterferenceSettings,
        title: String, inputs: [(role: String, name: String, sha256: String)]
    ) -> String {
        let esc = ComplianceHTML.esc
        var s = """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>\(esc(title))</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222;line-height:1.45}
            h1{font-size:1.6em;margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:2px solid #ddd;padding-bottom:.2em}
            table{border-collapse:collapse;margin:.6em 0;font-size:.88em} th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
            th{background:#f1f3f5} td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap} .muted{color:#666;font-size:.9em}
            .m{font-weight:600;white-space:nowrap} ol.chain{margin:0;padding-left:1.2em} .ex{color:#c62828;font-weight:600}
            </style></head><body>
            <h1>\(esc(title))</h1>

            """
        s +=
            "<p>Victim at \(String(format: "%.5f, %.5f", complaint.latitude, complaint.longitude)), \(mhz(complaint.frequencyMHz)) MHz, \(mhz(complaint.bandwidthKHz)) kHz, "
        s += "service \(esc(complaint.service)); antenna \(f1(complaint.rxHeightM)) m, \(f1(complaint.rxGainDBi)) dBi, "
        s += (complaint.rxAzimuthDeg.map { "azimuth \(f1($0))°" } ?? "omnidirectional") + "; noise figure \(f1(complaint.noiseFigureDB)) dB: "
        s += "N = \(f1(complaint.noiseDBm)) dBm. Path loss at \(f1(complaint.timePct)) % of time. Criterion I/N \(f1(settings.criterionIOverNDB)) dB.</p>\n"
        let top = c.first
        s +=
            top.map {
                "<p><b>Most likely culprit:</b> <span class=\"m\">\($0.mechanism.rawValue)</span> \(esc($0.assignmentIDs.joined(separator: ", "))), I/N \(f1($0.iOverNDB)) dB"
                    + ($0.iOverNDB > settings.criterionIOverNDB
                        ? " <span class=\"ex\">(criterion exceeded by \(f1($0.iOverNDB - settings.criterionIOverNDB)) dB)</span>" : " (below the criterion)")
                    + ".</p>\n"
            } ?? "<p>No emission of the register reaches the victim's channel.</p>\n"
        s +=
            "<h2>Map</h2>\n<figure>" + svg(complaint, c)
            + "<figcaption>Candidate sources (numbered by rank) and their paths to the victim; dashed rings are distances from the victim.</figcaption></figure>\n"
        s +=
            "<h2>Ranked candidates</h2>\n<table><tr><th>#</th><th>mechanism</th><th>assignments</th><th>MHz</th><th>I (dBm)</th><th>I/N (dB)</th><th>explanation</th></tr>\n"
        for (k, x) in c.enumerated() {
            let chain = x.explanation.components(separatedBy: "; ").map { "<li>\(esc($0))</li>" }.joined()
            s += "<tr><td class=\"n\">\(k + 1)</td><td class=\"m\" style=\"color:\(colours[x.mechanism]!)\">\(x.mechanism.rawValue)</td>"
            s += "<td>\(esc(x.assignmentIDs.joined(separator: "; ")))</td><td class=\"n\">\(x.frequenciesMHz.map(mhz).joined(separator: "<br>"))</td>"
            s += "<td class=\"n\">\(f1(x.interferenceDBm))</td><td class=\"n\">\(f1(x.iOverNDB))</td><td><ol class=\"chain\">\(chain)</ol></td></tr>\n"
        }
        s += "</table>\n"
        let counts = InterferenceMechanism.allCases.map { "\(statistics.enumerated[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        s +=
            "<h2>Search</h2>\n<p>\(statistics.assignments) assignments; \(statistics.totalEnumerated) emissions reach the victim's channel or front end (\(counts)); "
        s +=
            "\(statistics.evaluated) paths computed, the others excluded by an upper bound of their I/N (free space − 6 dB, maximum gains): the ranking is exact.</p>\n"
        s +=
            "<p class=\"muted\">Levels assumed: unwanted emissions at the ITU-R SM.329 Category A limits; intermodulation at the weakest carrier less \(f1(settings.im3AttenuationDB)) dB (3rd order) or \(f1(settings.im5AttenuationDB)) dB (5th); blocking at the levels of the table in data/README.md.</p>\n"
        s += "<h2>Inputs</h2>\n<table><tr><th>role</th><th>file</th><th>SHA-256</th></tr>\n"
        for i in inputs { s += "<tr><td>\(esc(i.role))</td><td>\(esc(i.name))</td><td><code>\(i.sha256)</code></td></tr>\n" }
        return s + "</table>\n</body></html>\n"
    }
}

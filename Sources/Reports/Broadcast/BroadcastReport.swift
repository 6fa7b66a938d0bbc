// The products of `tanso broadcast`: tables (stations.csv, interferers.csv, breaches.csv), broadcast.gpkg
// (stations, service-area polygons, breach lines), map.png, and self-contained HTML reports (report.html for the
// plan, stations/<id>.html per station): inline CSS, inline SVG maps (BroadcastSVGMap: service areas, sites,
// breaches, boundaries, legend and scale bar as vectors with real text over an embedded PNG of the terrain). No
// script, no external resource.
import Foundation
import Analysis
import Geo
import Radio
import Records

public enum BroadcastReport {
    public static let fixedProducts = ["stations.csv", "interferers.csv", "breaches.csv", "broadcast.gpkg", "map.png", "report.html"]
    public static let stationsFolder = "stations"

    /// The per-station report names, unique and safe.
    public static func stationPages(_ r: BroadcastPlanResult) -> [String] {
        ProductLayout.uniqueNames(r.stations.map(\.assignment.id), prefix: stationsFolder + "/", suffix: ".html")
    }

    /// Writes every product into `directory` (the staging folder); returns the relative paths written.
    public static func write(
        _ r: BroadcastPlanResult, ground: [Float]?, populationPerCell pop: [Int32], title: String,
        inputs: [(role: String, path: String)], layers mapLayers: BroadcastMapLayers = BroadcastMapLayers(), to directory: String
    ) throws -> [String] {
        let dir = URL(fileURLWithPath: directory)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        try CSV.write(header: stationHeader, rows: r.stations.map { stationRow($0, ids: r.stations.map(\.assignment.id)) }, to: path("stations.csv"))
        try CSV.write(header: interfererHeader, rows: interfererRows(r), to: path("interferers.csv"))
        try CSV.write(
            header: ["victim", "interferer", "area_pct", "population_pct", "explanation"],
            rows: r.breaches.map { b in
                [r.stations[b.victim].assignment.id, r.stations[b.interferer].assignment.id, f(b.areaPct, 2), f(b.populationPct, 2), b.explanation]
            }, to: path("breaches.csv"))
        let areas = try r.stations.map { try ServiceAreaPolygons.of($0, spec: r.spec) }
        try VectorWriter.write(layers(r, areas: areas), to: path("broadcast.gpkg"))
        let shade = ground.map { CoverageMap.hillshade($0, width: r.spec.width, height: r.spec.height, cellM: r.spec.resolutionM) }
        let plan = planImage(r, ground: ground, shade: shade)
        try plan.writePNG(to: path("map.png"))
        let pages = stationPages(r)
        try FileManager.default.createDirectory(atPath: path(stationsFolder), withIntermediateDirectories: true)
        let planMap = try planSVG(r, background: plan, areas: areas, layers: mapLayers, title: title)
        try Data(planHTML(r, title: title, map: planMap, pages: pages, inputs: inputs).utf8).write(to: URL(fileURLWithPath: path("report.html")))
        let terrain = baseImage(r, ground: ground, shade: shade) { _ in nil }
        for (k, s) in r.stations.enumerated() {
            let map = try stationSVG(r, s, background: terrain, areas: areas[k], layers: mapLayers)
            try Data(stationHTML(r, s, title: title, map: map).utf8).write(to: URL(fileURLWithPath: path(pages[k])))
        }
        return fixedProducts + pages
    }

    // MARK: tables

    static let stationHeader = [
        "id", "station_id", "licensee", "service", "frequency_mhz", "erp_kw", "eirp_dbm", "reception", "minimum_field_dbuvm",
        "location_pct", "noise_limited_km2", "noise_limited_population", "interference_limited_km2", "interference_limited_population",
        "interferers", "worst_interferer", "breaches"
    ]

    static func stationRow(_ s: StationService, ids: [String]) -> [String] {
        let a = s.assignment
        let taking = s.interferers.filter { $0.cellsTaken > 0 }
        return [
            a.id, a.stationID, a.licensee, a.service, f(a.tx.centreMHz, 3), f(RadiatedPower.eirp(dBm: a.eirpDBm).erpKW, 3), f(a.eirpDBm, 1),
            s.minimum.reception, f(s.minimum.medianDBuVm, 1), f(s.minimum.locationPct, 0), f(s.noiseLimitedKm2, 2), String(s.noiseLimitedPopulation),
            f(s.interferenceLimitedKm2, 2), String(s.interferenceLimitedPopulation), String(taking.count),
            taking.first.map { ids[$0.interferer] } ?? "", String(s.interferers.filter(\.breach).count)
        ]
    }

    static let interfererHeader = [
        "victim", "interferer", "offset_khz", "protection_ratio_db", "area_taken_km2", "population_taken", "max_nuisance_dbuvm", "breach"
    ]

    static func interfererRows(_ r: BroadcastPlanResult) -> [[String]] {
        r.stations.flatMap { s in
            s.interferers.map { i in
                [
                    s.assignment.id, r.stations[i.interferer].assignment.id, f(i.offsetKHz, 1), f(i.protectionRatioDB, 1), f(i.areaTakenKm2, 2),
                    String(i.populationTaken), i.maxNuisanceDBuVm.map { f($0, 1) } ?? "", i.breach ? "yes" : "no"
                ]
            }
        }
    }

    // MARK: GeoPackage

    static func layers(_ r: BroadcastPlanResult, areas polygons: [ServiceAreaPolygons]) -> [LayerData] {
        var stations = LayerData(
            name: "stations",
            fields: [
                ("id", .string), ("service", .string), ("frequency_mhz", .real), ("erp_kw", .real), ("noise_limited_km2", .real),
                ("noise_limited_population", .integer), ("interference_limited_km2", .real), ("interference_limited_population", .integer)
            ], geometryType: .point)
        var areas = LayerData(
            name: "service_areas", fields: [("id", .string), ("kind", .string), ("area_km2", .real), ("population", .integer)],
            geometryType: .multiPolygon)
        var lines = LayerData(
            name: "breaches", fields: [("victim", .string), ("interferer", .string), ("area_pct", .real), ("population_pct", .real), ("explanation", .string)],
            geometryType: .lineString)
        for (s, p) in zip(r.stations, polygons) {
            let a = s.assignment
            stations.append(
                .point(Coordinate(a.longitude, a.latitude)),
                [
                    .string(a.id), .string(a.service), .real(a.tx.centreMHz), .real(RadiatedPower.eirp(dBm: a.eirpDBm).erpKW), .real(s.noiseLimitedKm2),
                    .integer(s.noiseLimitedPopulation), .real(s.interferenceLimitedKm2), .integer(s.interferenceLimitedPopulation)
                ])
            for (kind, all, km2, pop) in [
                ("noise_limited", p.noiseLimited, s.noiseLimitedKm2, s.noiseLimitedPopulation),
                ("interference_limited", p.interferenceLimited, s.interferenceLimitedKm2, s.interferenceLimitedPopulation)
            ] {
                guard !all.isEmpty else { continue }
                areas.append(.multiPolygon(all), [.string(a.id), .string(kind), .real(km2), .integer(pop)])
            }
        }
        for b in r.breaches {
            let v = r.stations[b.victim].assignment, i = r.stations[b.interferer].assignment
            lines.append(
                .lineString([Coordinate(i.longitude, i.latitude), Coordinate(v.longitude, v.latitude)]),
                [.string(v.id), .string(i.id), .real(b.areaPct), .real(b.populationPct), .string(b.explanation)])
        }
        return [stations, areas, lines]
    }

    // MARK: maps

    static let maxMapPixels = 560

    static func step(_ r: BroadcastPlanResult) -> Int { max(1, Int(ceil(Double(max(r.spec.width, r.spec.height)) / Double(maxMapPixels)))) }

    /// Hillshaded terrain at one pixel per `step` cells, with `paint` over it.
    static func baseImage(_ r: BroadcastPlanResult, ground: [Float]?, shade: [Float]?, paint: (Int) -> (UInt8, UInt8, UInt8, Float)?) -> RGBAImage {
        let st = step(r), w = r.spec.width / st, h = r.spec.height / st
        var img = RGBAImage(width: w, height: h, fill: (240, 240, 236, 255))
        for y in 0..<h {
            for x in 0..<w {
                let idx = (y * st) * r.spec.width + x * st
                let s = Double(shade.map { 0.45 + 0.55 * $0[idx] } ?? 0.9)
                let z = Double(ground?[idx] ?? 0)
                let t = z.isNaN ? 0 : min(max(z / 600, 0), 1)
                img.set(
                    x, y,
                    (UInt8(max(0, min(255, (236 - 40 * t) * s))), UInt8(max(0, min(255, (238 - 60 * t) * s))), UInt8(max(0, min(255, (226 - 80 * t) * s)))))
                if let c = paint(idx) { img.set(x, y, (c.0, c.1, c.2), alpha: c.3) }
            }
        }
        return img
    }

    /// The plan: the number of FM services receivable (interference-limited) per cell.
    static func planImage(_ r: BroadcastPlanResult, ground: [Float]?, shade: [Float]?) -> RGBAImage {
        var count = [UInt8](repeating: 0, count: r.spec.cellCount)
        for s in r.stations where s.assignment.service == "broadcast_fm" {
            for (i, c) in s.serviceClass.enumerated() where c == 2 { count[i] &+= 1 }
        }
        let ramp: [(UInt8, UInt8, UInt8)] = [(254, 224, 139), (166, 217, 106), (102, 189, 99), (26, 152, 80), (0, 104, 55)]
        return baseImage(r, ground: ground, shade: shade) { idx in
            let n = Int(count[idx])
            guard n > 0 else { return nil }
            let c = ramp[min(ramp.count - 1, (n - 1) / 3)]
            return (c.0, c.1, c.2, 0.55)
        }
    }

    /// Pixel position of a WGS 84 point on a map of `r` at `step`.
    static func pixel(_ r: BroadcastPlanResult, lon: Double, lat: Double, t: CoordinateTransform?) -> (x: Double, y: Double)? {
        guard let t, let p = try? t.transform(x: lon, y: lat) else { return nil }
        let px = r.spec.geoTransform.pixel(x: p.x, y: p.y)
        let st = Double(step(r))
        return (px.col / st, px.row / st)
    }

    /// Width of the SVG maps in the reports, px (the PNG is scaled to it; text keeps its size).
    static let svgWidth = 760.0

    static func stationColour(_ a: Assignment) -> String { a.service == "broadcast_fm" ? "#1565c0" : "#6a1b9a" }

    /// The plan's map: FM services per cell, every site named, the victims' service areas outlined, the breaches.
    static func planSVG(
        _ r: BroadcastPlanResult, background: RGBAImage, areas: [ServiceAreaPolygons], layers: BroadcastMapLayers, title: String
    ) throws -> String {
        let victims = Array(Set(r.breaches.map(\.victim))).sorted()
        return try BroadcastSVGMap.render(
            r, background: background, layers: layers, title: title,
            areas: victims.map { (r.stations[$0].assignment.id, areas[$0], true) },
            stations: r.stations.indices.map { ($0, stationColour(r.stations[$0].assignment)) }, breaches: r.breaches,
            legend: [
                ("square", "#fee08b", "1–3 FM services receivable (interference-limited)"), ("square", "#a6d96a", "4–6"), ("square", "#66bd63", "7–9"),
                ("square", "#1a9850", "10–12"), ("square", "#006837", "13 or more"), ("dot", "#1565c0", "FM station"), ("dot", "#6a1b9a", "DVB-T2 station"),
                ("square", BroadcastSVGMap.breachColour, "breach: interferer → victim (dashed arrow)"),
                ("square", "#0b5d2a", "victim's service areas (outlines: noise-limited orange, interference-limited green)")
            ])
    }

    /// A station's map: its noise- and interference-limited service areas as polygons, its main interferers.
    static func stationSVG(
        _ r: BroadcastPlanResult, _ s: StationService, background: RGBAImage, areas: ServiceAreaPolygons, layers: BroadcastMapLayers
    ) throws -> String {
        var stations = [(index: s.index, color: "#1a7f37")]
        for i in s.interferers.prefix(8) { stations.append((i.interferer, i.breach ? BroadcastSVGMap.breachColour : "#555555")) }
        return try BroadcastSVGMap.render(
            r, background: background, layers: layers, title: "\(s.assignment.id): service areas and main interferers",
            areas: [(s.assignment.id, areas, false)], stations: stations, breaches: r.breaches.filter { $0.victim == s.index },
            legend: [
                ("square", BroadcastSVGMap.served, "interference-limited service area (wanted field ≥ usable field strength)"),
                ("square", BroadcastSVGMap.lost, "noise-limited area lost to interference"), ("dot", "#1a7f37", "this station"),
                ("dot", BroadcastSVGMap.breachColour, "interferer breaking its protection (dashed arrow)"), ("dot", "#555555", "other interferer")
            ])
    }

    // MARK: HTML

    static let css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222;line-height:1.45}
        h1{font-size:1.6em;margin-bottom:.2em} h2{margin-top:2em;border-bottom:2px solid #ddd;padding-bottom:.2em}
        table{border-collapse:collapse;margin:.6em 0;font-size:.88em} th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
        th{background:#f1f3f5} td.n{text-align:right;font-variant-numeric:tabular-nums}
        .ko{color:#c62828;font-weight:600} .ok{color:#1a7f37;font-weight:600} .muted{color:#666;font-size:.9em}
        .cards{display:flex;flex-wrap:wrap;gap:1em} .card{border:1px solid #ddd;border-radius:6px;padding:.7em 1em;min-width:200px;flex:1}
        .card .big{font-size:1.8em;font-weight:700} figure{margin:1em 0} figcaption{color:#555;font-size:.9em}
        """

    static func head(_ title: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(esc(title))</title>"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>\(css)</style></head><body>\n"
    }

    static func card(_ t: String, _ big: String, _ note: String) -> String {
        "<div class=\"card\"><div class=\"muted\">\(esc(t))</div><div class=\"big\">\(big)</div><div class=\"muted\">\(note)</div></div>"
    }

    static func planHTML(
        _ r: BroadcastPlanResult, title: String, map: String, pages: [String], inputs: [(role: String, path: String)]
    ) -> String {
        var h = head(title) + "<h1>\(esc(title))</h1>\n"
        let fm = r.stations.filter { $0.assignment.service == "broadcast_fm" }, tv = r.stations.filter { $0.assignment.service == "broadcast_tv" }
        h +=
            "<p class=\"muted\">Field strength at 10 m, wanted fields at 50 % of time, interfering fields at 1 % (tropospheric). Usable field strength by "
            + (r.settings.method == .powerSum ? "power sum" : "the simplified multiplication method")
            + "; an interferer breaks a station's protection when it alone takes more than \(f(r.settings.breachPct, 1)) % of the station's noise-limited area or population. Grid \(f(r.spec.resolutionM, 0)) m, \(r.spec.width) × \(r.spec.height) cells.</p>\n"
        h += "<div class=\"cards\">"
        h += card("Stations", "\(r.stations.count)", "\(fm.count) FM, \(tv.count) DVB-T2")
        h += card(
            "Plan breaches", r.breaches.isEmpty ? "<span class=\"ok\">0</span>" : "<span class=\"ko\">\(r.breaches.count)</span>", "interferer → victim pairs")
        let lost = r.stations.reduce(0) { $0 + $1.noiseLimitedPopulation - $1.interferenceLimitedPopulation }
        h += card("Listeners lost to interference", ComplianceHTML.fmt(lost), "summed over stations")
        h += "</div>\n"
        h += "<h2>Breaches of protection</h2>\n"
        if r.breaches.isEmpty {
            h += "<p class=\"ok\">No assignment breaks a neighbour's protection.</p>\n"
        } else {
            h += "<table><tr><th>victim</th><th>interferer</th><th class=n>area taken</th><th class=n>population taken</th><th>why</th></tr>\n"
            for b in r.breaches {
                let v = r.stations[b.victim], i = r.stations[b.interferer]
                h +=
                    "<tr><td><a href=\"\(esc(pages[b.victim]))\">\(esc(v.assignment.id))</a></td><td><a href=\"\(esc(pages[b.interferer]))\">\(esc(i.assignment.id))</a></td>"
                    + "<td class=n>\(f(b.areaPct, 1)) %</td><td class=n>\(f(b.populationPct, 1)) %</td><td>\(esc(b.explanation))</td></tr>\n"
            }
            h += "</table>\n"
        }
        h += "<h2>Map of the plan</h2>\n<figure>" + map
        h += "<figcaption>Terrain (hillshade), the number of FM services receivable per cell, the stations and the breaches.</figcaption></figure>\n"
        h +=
            "<h2>Stations</h2>\n<table><tr><th>id</th><th>licensee</th><th class=n>MHz</th><th class=n>ERP kW</th><th>reception</th><th class=n>E<sub>med</sub> dBµV/m</th>"
        h +=
            "<th class=n>noise-limited km²</th><th class=n>population</th><th class=n>interference-limited km²</th><th class=n>population</th><th>worst interferer</th></tr>\n"
        for (k, s) in r.stations.enumerated() {
            let a = s.assignment
            let worst = s.interferers.first { $0.cellsTaken > 0 }.map { r.stations[$0.interferer].assignment.id } ?? "–"
            h +=
                "<tr><td><a href=\"\(esc(pages[k]))\">\(esc(a.id))</a></td><td>\(esc(a.licensee))</td><td class=n>\(f(a.tx.centreMHz, a.tx.centreMHz > 400 ? 0 : 1))</td>"
            h +=
                "<td class=n>\(f(RadiatedPower.eirp(dBm: a.eirpDBm).erpKW, 2))</td><td>\(esc(s.minimum.reception))</td><td class=n>\(f(s.minimum.medianDBuVm, 1))</td>"
            h += "<td class=n>\(f(s.noiseLimitedKm2, 1))</td><td class=n>\(ComplianceHTML.fmt(s.noiseLimitedPopulation))</td>"
            h +=
                "<td class=n>\(f(s.interferenceLimitedKm2, 1))</td><td class=n>\(ComplianceHTML.fmt(s.interferenceLimitedPopulation))</td><td>\(esc(worst))</td></tr>\n"
        }
        h +=
            "</table>\n<h2>Criteria</h2>\n<table><tr><th>service</th><th>reception</th><th class=n>minimum field</th><th class=n>σ</th><th class=n>locations</th><th class=n>E<sub>med</sub></th><th>source</th></tr>\n"
        for m in r.settings.criteria.minimumFields {
            h += "<tr><td>\(esc(m.service))</td><td>\(esc(m.reception))</td><td class=n>\(f(m.fieldDBuVm, 1))</td><td class=n>\(f(m.sigmaDB, 1))</td>"
            h += "<td class=n>\(f(m.locationPct, 0)) %</td><td class=n>\(f(m.medianDBuVm, 1))</td><td>\(esc(m.source))</td></tr>\n"
        }
        h +=
            "</table>\n<p class=\"muted\">Inputs: "
            + inputs.map { "\(esc($0.role)) \(esc(URL(fileURLWithPath: $0.path).lastPathComponent))" }.joined(separator: ", ") + ".</p>\n"
        return h + "</body></html>\n"
    }

    static func stationHTML(_ r: BroadcastPlanResult, _ s: StationService, title: String, map: String) -> String {
        let a = s.assignment
        var h = head("\(a.id) — \(title)") + "<p class=\"muted\"><a href=\"../report.html\">← the plan</a></p>\n"
        h += "<h1>\(esc(a.id)): \(esc(a.licensee))</h1>\n"
        h +=
            "<p>\(esc(a.service == "broadcast_fm" ? "FM" : "DVB-T2")) on \(f(a.tx.centreMHz, 3)) MHz, \(f(RadiatedPower.eirp(dBm: a.eirpDBm).erpKW, 3)) kW ERP "
            + "(\(f(a.eirpDBm, 1)) dBm EIRP), antenna \(f(a.antennaHeightM, 0)) m above ground at \(f(a.latitude, 4)), \(f(a.longitude, 4)). "
            + "Reception \(esc(s.minimum.reception)): minimum median field \(f(s.minimum.medianDBuVm, 1)) dBµV/m at \(f(s.minimum.locationPct, 0)) % of locations "
            + "(\(esc(s.minimum.source))).</p>\n"
        h += "<div class=\"cards\">"
        h += card("Noise-limited service area", "\(f(s.noiseLimitedKm2, 1)) km²", "\(ComplianceHTML.fmt(s.noiseLimitedPopulation)) people")
        h += card("Interference-limited", "\(f(s.interferenceLimitedKm2, 1)) km²", "\(ComplianceHTML.fmt(s.interferenceLimitedPopulation)) people")
        let breaches = s.interferers.filter(\.breach).count
        h += card(
            "Breaches of its protection", breaches == 0 ? "<span class=\"ok\">0</span>" : "<span class=\"ko\">\(breaches)</span>", "interferers over the limit")
        h += "</div>\n<figure>"
        h += map
        h += "<figcaption>Service area of \(esc(a.id)) and its main interferers.</figcaption></figure>\n"
        h += "<h2>Interferers, ranked by the area they take</h2>\n"
        if s.interferers.isEmpty {
            h += "<p>No station within the protection tables' offsets reaches this service area.</p>\n"
        } else {
            h +=
                "<table><tr><th>interferer</th><th class=n>MHz</th><th class=n>offset kHz</th><th class=n>protection ratio dB</th><th class=n>largest nuisance field dBµV/m</th>"
                + "<th class=n>area taken km²</th><th class=n>population taken</th><th>breach</th></tr>\n"
            for i in s.interferers {
                let x = r.stations[i.interferer].assignment
                h +=
                    "<tr><td>\(esc(x.id))</td><td class=n>\(f(x.tx.centreMHz, 3))</td><td class=n>\(f(i.offsetKHz, 0))</td><td class=n>\(f(i.protectionRatioDB, 1))</td>"
                h +=
                    "<td class=n>\(i.maxNuisanceDBuVm.map { f($0, 1) } ?? "–")</td><td class=n>\(f(i.areaTakenKm2, 2))</td><td class=n>\(ComplianceHTML.fmt(i.populationTaken))</td>"
                h += "<td>\(i.breach ? "<span class=\"ko\">yes</span>" : "no")</td></tr>\n"
            }
            h += "</table>\n"
        }
        for b in r.breaches where b.victim == s.index { h += "<p class=\"ko\">Breach: \(esc(b.explanation)).</p>\n" }
        for b in r.breaches where b.interferer == s.index {
            h += "<p class=\"ko\">This station breaks the protection of \(esc(r.stations[b.victim].assignment.id)): \(esc(b.explanation)).</p>\n"
        }
        return h + "</body></html>\n"
    }

    static func esc(_ s: String) -> String { ComplianceHTML.esc(s) }
    static func f(_ x: Double, _ d: Int) -> String { String(format: "%.\(d)f", x) }
}

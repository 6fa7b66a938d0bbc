// Products of tanso share-check: result.json (for machines), map.png (before | after coverage) and report.html
// (self-contained: inline CSS, the map as inline SVG with real text over base64 PNG rasters, the table of checks,
// the villages gained).
// Deterministic: no timestamps, no absolute paths (inputs by file name and SHA-256), keys sorted, numbers with
// fixed formatting; the same inputs give the same bytes.
import Foundation
import Geo
import Analysis
import Radio
import Records

/// A JSON value written with sorted keys and numbers already formatted.
public indirect enum StableJSON {
    case object([String: StableJSON])
    case array([StableJSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    static func num(_ x: Double, _ decimals: Int = 3) -> StableJSON {
        guard x.isFinite else { return .null }
        var s = String(format: "%.\(decimals)f", x)
        if s.hasPrefix("-") && Double(s) == 0 { s.removeFirst() }
        return .number(s)
    }
    static func int(_ x: Int) -> StableJSON { .number(String(x)) }

    public func render(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent), inner = String(repeating: "  ", count: indent + 1)
        switch self {
        case .object(let d):
            if d.isEmpty { return "{}" }
            return "{\n" + d.keys.sorted().map { "\(inner)\(StableJSON.quote($0)): \(d[$0]!.render(indent: indent + 1))" }.joined(separator: ",\n")
                + "\n\(pad)}"
        case .array(let a):
            if a.isEmpty { return "[]" }
            return "[\n" + a.map { inner + $0.render(indent: indent + 1) }.joined(separator: ",\n") + "\n\(pad)]"
        case .string(let s): return StableJSON.quote(s)
        case .number(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    static func quote(_ s: String) -> String {
        var o = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": o += "\\\""
            case "\\": o += "\\\\"
            case "\n": o += "\\n"
            case "\r": o += "\\r"
            case "\t": o += "\\t"
            default:
                if u.value < 0x20 { o += String(format: "\\u%04x", u.value) } else { o.unicodeScalars.append(u) }
            }
        }
        return o + "\""
    }
}

public enum SharingReport {
    /// A figure's value as shown in the report (the display precision of Analysis; same text as before the values were typed).
    public static func text(_ v: FigureValue) -> String {
        switch v {
        case .number(let x, let d): return String(format: "%.\(d)f", x)
        case .count(let n): return String(n)
        case .text(let s): return s
        case .villages(let n, let population): return "\(n), population \(population)"
        case .existingPlusProposed(let e, let p): return "\(e + p) (\(e) existing + \(p) proposed)"
        case .studyArea(let r, let cell, let model): return "±\(String(format: "%.1f", r)) km, \(cell) m cells, model \(model)"
        }
    }

    /// A figure in result.json: numbers as JSON numbers (counts as integers), the unit beside them; a value of
    /// several parts gives its main number as "value" and the other parts under their own keys.
    static func figure(_ f: CheckFigure) -> StableJSON {
        var o: [String: StableJSON] = ["name": .string(f.name), "unit": .string(f.unit)]
        switch f.value {
        case .number(let x, let d): o["value"] = .num(x, d)
        case .count(let n): o["value"] = .int(n)
        case .text(let s): o["value"] = .string(s)
        case .villages(let n, let population): o["value"] = .int(n); o["population"] = .int(population)
        case .existingPlusProposed(let e, let p): o["value"] = .int(e + p); o["existing"] = .int(e); o["proposed"] = .int(p)
        case .studyArea(let r, let cell, let model):
            o["value"] = .num(r, 1); o["unit"] = .string("km"); o["cell_m"] = .int(cell); o["model"] = .string(model)
        }
        return .object(o)
    }

    /// The machine-readable result.
    public static func json(_ r: SharingResult, inputs: [(role: String, name: String, sha256: String)]) -> String {
        let p = r.proposal
        func conflict(_ c: Conflict) -> StableJSON {
            var o: [String: StableJSON] = [
                "kind": .string(c.kind.rawValue), "victim": .string(c.aID), "severity": .string(c.severity.rawValue),
                "explanation": .string(c.explanation)
            ]
            o["interferer"] = c.bID.map { .string($0) } ?? .null
            o["other"] = c.cID.map { .string($0) } ?? .null
            o["margin_db"] = c.marginDB.map { StableJSON.num($0, 2) } ?? .null
            o["distance_km"] = c.distanceKm.map { StableJSON.num($0, 3) } ?? .null
            return .object(o)
        }
        let checks: [StableJSON] = r.checks.map { c in
            .object([
                "id": .string(c.id), "title": .string(c.title), "outcome": .string(c.outcome.rawValue), "summary": .string(c.summary),
                "figures": .array(c.figures.map(figure)),
                "details": .array(c.details.map { .string($0) })
            ])
        }
        let gains: [StableJSON] = r.gains.map { g in
            .object([
                "technology": .string(g.technology.rawValue), "villages_in_area": .int(g.villagesInArea),
                "new_villages_province": .int(g.newVillagesProvince), "new_population_province": .int(g.newPopulationProvince),
                "new_villages_operator": .int(g.newVillagesOperator), "new_population_operator": .int(g.newPopulationOperator),
                "proposal_area_km2": .num(g.proposalAreaKm2, 2), "new_area_province_km2": .num(g.newAreaProvinceKm2, 2),
                "new_area_operator_km2": .num(g.newAreaOperatorKm2, 2), "own_overlap_share": .num(g.ownOverlapShare, 4),
                "others_overlap_share": .num(g.othersOverlapShare, 4)
            ])
        }
        let villages: [StableJSON] = r.villagesGained.map { v in
            .object([
                "id": .string(v.village.id), "name": .string(v.village.name), "commune": .string(v.village.commune),
                "district": .string(v.village.district), "population": .int(v.village.population),
                "technology": .string(v.technology.rawValue), "new_for_province": .bool(v.newForProvince),
                "metric_dbm": v.metricDBm.map { StableJSON.num($0, 1) } ?? .null
            ])
        }
        let e = r.exposure
        let root: StableJSON = .object([
            "tool": .string("tanso share-check"),
            "proposal": .object([
                "id": .string(r.proposalID), "operator": .string(p.operatorName), "kind": .string(p.kind.rawValue),
                "transmitters": .array(
                    r.proposed.map { t in
                        .object([
                            "id": .string(t.id), "technology": .string(t.technology.rawValue),
                            "frequency_mhz": .num(t.frequencyMHz, 3), "bandwidth_mhz": .num(t.bandwidthMHz, 3),
                            "eirp_dbm": .num(t.eirpDBm, 2), "antenna_height_m": .num(t.antennaHeightM, 2),
                            "azimuth_deg": t.azimuthDeg.map { StableJSON.num($0, 1) } ?? .null
                        ])
                    }),
                "assignments": .array(
                    r.proposedAssignments.map { a in
                        .object([
                            "id": .string(a.id), "service": .string(a.service), "tx_frequency_mhz": .num(a.tx.centreMHz, 4),
                            "bandwidth_khz": .num(a.tx.bandwidthKHz, 3),
                            "rx_frequency_mhz": a.rx.map { StableJSON.num($0.centreMHz, 4) } ?? .null
                        ])
                    })
            ]),
            "tower": .object([
                "id": .string(r.tower.id), "latitude": .num(r.tower.latitude, 6), "longitude": .num(r.tower.longitude, 6),
                "height_m": .num(r.tower.heightM, 2), "operators": .array(r.tower.operators.map { .string($0) }),
                "existing_transmitters": .int(r.existingOnTower.count)
            ]),
            "verdict": .string(r.verdict.rawValue),
            "reasons": .array(r.reasons.map { .string($0) }),
            "checks": .array(checks),
            "shareable_towers": .array(
                r.shareableTowers.map {
                    .object([
                        "id": .string($0.tower.id), "distance_m": .num($0.distanceM, 1),
                        "height_m": .num($0.tower.heightM, 2),
                        "operators": .array($0.tower.operators.map { .string($0) })
                    ])
                }),
            "coverage": .array(gains),
            "villages_gained": .array(villages),
            "conflicts": .array(r.conflicts.map(conflict)),
            "intermodulation": .object(["new": .array(r.intermodulation.map(conflict)), "existing": .array(r.intermodulationExisting.map(conflict))]),
            "exposure": .object([
                "limits": .string(r.settings.limits.name), "boresight_distance_m": .num(e.boresightDistanceM, 2),
                "horizontal_distance_m": .num(e.horizontalDistanceM, 2), "ground_ratio": .num(e.groundRatio, 5),
                "ground_distance_m": .num(e.groundDistanceM, 1),
                "building_ratio": e.buildingRatio.map { StableJSON.num($0, 5) } ?? .null,
                "unlisted": .array(e.unlisted.map { .string($0) })
            ]),
            "inputs": .array(inputs.map { .object(["role": .string($0.role), "file": .string($0.name), "sha256": .string($0.sha256)]) }),
            "skipped_rows": .array(r.skippedRows.map { .string($0) })
        ])
        return root.render() + "\n"
    }

    // MARK: map

    static let colors: [UInt8: (UInt8, UInt8, UInt8)] = [1: (158, 154, 200), 2: (49, 130, 189), 3: (0, 158, 60), 4: (161, 217, 155)]

    /// Two panels side by side: before and after, with the tower, the villages and a legend.
    public static func map(_ r: SharingResult, maxPanel: Int = 520) throws -> RGBAImage? {
        guard let m = r.maps else { return nil }
        let spec = m.spec
        // Panel pixels per grid cell (up- or down-sampled to about maxPanel pixels on the long side).
        let scale = Double(maxPanel) / Double(max(spec.width, spec.height))
        let pw = max(1, Int(Double(spec.width) * scale)), ph = max(1, Int(Double(spec.height) * scale))
        func cell(_ x: Int, _ y: Int) -> Int { min(spec.height - 1, Int(Double(y) / scale)) * spec.width + min(spec.width - 1, Int(Double(x) / scale)) }
        let gap = 12, top = 34, legendH = 92
        var img = RGBAImage(width: 2 * pw + 3 * gap, height: ph + top + legendH + gap, fill: (255, 255, 255, 255))
        let shade = m.groundM.map { CoverageMap.hillshade($0, width: spec.width, height: spec.height, cellM: spec.resolutionM) }
        let t = try CoordinateTransform(from: "EPSG:4326", to: spec.crs)
        func pixel(_ lon: Double, _ lat: Double) -> (Int, Int)? {
            guard let p = try? t.transform(x: lon, y: lat) else { return nil }
            let px = spec.geoTransform.pixel(x: p.x, y: p.y)
            return (Int(px.col * scale), Int(px.row * scale))
        }
        for (panel, classes) in [m.before, m.after].enumerated() {
            let ox = gap + panel * (pw + gap), oy = top
            let raster = panelImage(classes, shade: shade, width: pw, height: ph, cell: cell)
            for y in 0..<ph {
                for x in 0..<pw { let k = 4 * (y * pw + x); img.set(ox + x, oy + y, (raster.pixels[k], raster.pixels[k + 1], raster.pixels[k + 2])) }
            }
            for (v, state) in m.villages {
                guard let (x, y) = pixel(v.longitude, v.latitude), x >= 0, y >= 0, x < pw, y < ph else { continue }
                if panel == 1 && (state == 1 || state == 3) {
                    CoverageMap.dot(&img, ox + x, oy + y, radius: 4, color: (0, 90, 30)); CoverageMap.dot(&img, ox + x, oy + y, radius: 3, color: (255, 221, 0))
                } else if state == 2 || (panel == 0 && state == 1) {
                    CoverageMap.dot(&img, ox + x, oy + y, radius: 3, color: (90, 0, 0)); CoverageMap.dot(&img, ox + x, oy + y, radius: 2, color: (228, 26, 28))
                } else {
                    CoverageMap.dot(&img, ox + x, oy + y, radius: 1, color: (60, 60, 60))
                }
            }
            for s in r.shareableTowers {
                guard let (x, y) = pixel(s.tower.longitude, s.tower.latitude) else { continue }
                for dy in -4...4 { for dx in -4...4 where abs(dx) == 4 || abs(dy) == 4 { img.set(ox + x + dx, oy + y + dy, (230, 120, 0)) } }
            }
            if let (x, y) = pixel(r.tower.longitude, r.tower.latitude), panel == 1 || r.proposal.kind == .coLocation {
                for dy in 0...8 { for dx in -dy / 2...dy / 2 { img.set(ox + x + dx, oy + y - 5 + dy, (0, 0, 0)) } }
            }
            // Frame and title.
            for x in 0..<pw { img.set(ox + x, oy, (120, 120, 120)); img.set(ox + x, oy + ph - 1, (120, 120, 120)) }
            for y in 0..<ph { img.set(ox, oy + y, (120, 120, 120)); img.set(ox + pw - 1, oy + y, (120, 120, 120)) }
            BitmapFont.draw(panel == 0 ? "BEFORE" : "AFTER (WITH THE PROPOSAL)", x: ox, y: 10, scale: 2, color: (0, 0, 0), into: &img)
        }
        // Legend.
        let ly = top + ph + 10, op = ascii(r.proposal.operatorName).uppercased()
        let items: [((UInt8, UInt8, UInt8), String)] = [
            (colors[2]!, "COVERED BY \(op) BEFORE"), (colors[1]!, "COVERED BY OTHER OPERATORS ONLY"),
            (colors[3]!, "NEW: NO OPERATOR BEFORE"), (colors[4]!, "NEW FOR \(op), OTHERS BEFORE")
        ]
        for (i, it) in items.enumerated() {
            let x = gap + (i % 2) * (pw + gap), y = ly + 16 * (i / 2)
            for dy in 0..<10 { for dx in 0..<18 { img.set(x + dx, y + dy, it.0) } }
            BitmapFont.draw(it.1, x: x + 26, y: y + 2, color: (0, 0, 0), into: &img)
        }
        let y2 = ly + 40
        CoverageMap.dot(&img, gap + 9, y2 + 5, radius: 4, color: (0, 90, 30)); CoverageMap.dot(&img, gap + 9, y2 + 5, radius: 3, color: (255, 221, 0))
        BitmapFont.draw("VILLAGE GAINED", x: gap + 26, y: y2 + 2, color: (0, 0, 0), into: &img)
        CoverageMap.dot(&img, gap + 9, y2 + 21, radius: 3, color: (90, 0, 0)); CoverageMap.dot(&img, gap + 9, y2 + 21, radius: 2, color: (228, 26, 28))
        let techs = Set(r.proposed.map(\.technology)).sorted().map(\.rawValue).joined(separator: "/")
        BitmapFont.draw("VILLAGE WITHOUT \(techs) (ANY OPERATOR)", x: gap + 26, y: y2 + 18, color: (0, 0, 0), into: &img)
        let x2 = gap + pw + gap
        for dy in 0...8 { for dx in -dy / 2...dy / 2 { img.set(x2 + 9 + dx, y2 + dy, (0, 0, 0)) } }
        BitmapFont.draw("PROPOSED TOWER", x: x2 + 26, y: y2 + 2, color: (0, 0, 0), into: &img)
        for dy in -4...4 { for dx in -4...4 where abs(dx) == 4 || abs(dy) == 4 { img.set(x2 + 9 + dx, y2 + 21 + dy, (230, 120, 0)) } }
        BitmapFont.draw("SHAREABLE EXISTING TOWER", x: x2 + 26, y: y2 + 18, color: (0, 0, 0), into: &img)
        return img
    }

    /// One panel's raster: the coverage classes over the hillshade, `cell(x, y)` the grid cell of a pixel.
    static func panelImage(_ classes: [UInt8], shade: [Float]?, width pw: Int, height ph: Int, cell: (Int, Int) -> Int) -> RGBAImage {
        var img = RGBAImage(width: pw, height: ph)
        for y in 0..<ph {
            for x in 0..<pw {
                let idx = cell(x, y)
                let s = Double(shade.map { 0.5 + 0.5 * $0[idx] } ?? 0.95)
                let g = UInt8(max(0, min(255, 236 * s)))
                img.set(x, y, (g, g, UInt8(max(0, min(255, 226 * s)))))
                if let c = colors[classes[idx]] { img.set(x, y, c, alpha: 0.65) }
            }
        }
        return img
    }

    static func ascii(_ s: String) -> String {
        String(s.folding(options: [.diacriticInsensitive], locale: nil).unicodeScalars.filter { $0.isASCII }.map(Character.init))
    }

    // MARK: HTML

    public static func html(_ r: SharingResult, mapSVG: String?, inputs: [(role: String, name: String, sha256: String)]) -> String {
        let esc = ComplianceHTML.esc
        let p = r.proposal
        func badge(_ o: CheckOutcome) -> String { "<span class=\"o \(o.rawValue)\">\(o.rawValue.uppercased())</span>" }
        var h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Share-check \(esc(r.proposalID))</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222;line-height:1.45}
            h1{font-size:1.6em;margin-bottom:.2em} h2{margin-top:2em;border-bottom:2px solid #ddd;padding-bottom:.2em}
            table{border-collapse:collapse;margin:.6em 0;font-size:.9em} th,td{border:1px solid #ccc;padding:.25em .55em;text-align:left;vertical-align:top}
            th{background:#f1f3f5} td.n{text-align:right;font-variant-numeric:tabular-nums}
            .o{display:inline-block;padding:.05em .5em;border-radius:4px;font-weight:700;font-size:.85em;color:#fff}
            .o.pass{background:#1a7f37} .o.review{background:#b26a00} .o.fail{background:#c62828}
            .verdict{font-size:1.3em;margin:.6em 0;padding:.6em 1em;border:2px solid #ccc;border-radius:6px}
            .muted{color:#666;font-size:.9em} figure{margin:1em 0} figcaption{color:#555;font-size:.9em} img{max-width:100%;border:1px solid #ccc}
            ul.d{margin:.2em 0;padding-left:1.2em;font-size:.85em;color:#444}
            </style></head><body>
            <h1>Infrastructure sharing check: \(esc(r.proposalID))</h1>
            <p class="muted">\(esc(p.operatorName)) proposes \(p.kind == .coLocation ? "to co-locate on the existing tower <b>\(esc(r.tower.id))</b> (\(esc(r.tower.operators.joined(separator: ", "))))" : "a <b>new tower</b> \(esc(r.tower.id)), \(SharingCheck.f1(r.tower.heightM)) m")
            at \(String(format: "%.5f", r.tower.latitude)) N, \(String(format: "%.5f", r.tower.longitude)) E, with \(r.proposed.count) transmitter(s).</p>
            <div class="verdict">Verdict: \(badge(r.verdict))<ul class="d">\(r.reasons.map { "<li>\(esc($0))</li>" }.joined())</ul></div>

            """
        h += "<h2>Checks</h2>\n<table><tr><th>check</th><th>outcome</th><th>why</th><th>figures</th></tr>\n"
        for c in r.checks where c.id != "verdict" {
            let figs = c.figures.map { "\(esc($0.name)): <b>\(esc(text($0.value)))</b>\($0.unit.isEmpty ? "" : " " + esc($0.unit))" }.joined(separator: "<br>")
            h += "<tr><td>\(esc(c.title))</td><td>\(badge(c.outcome))</td><td>\(esc(c.summary))"
            if !c.details.isEmpty {
                let shown = c.details.prefix(40)
                let items: String = shown.map { (d: String) -> String in "<li>" + esc(d) + "</li>" }.joined()
                let more: String = c.details.count > shown.count ? "<li>… \(c.details.count - shown.count) more in result.json</li>" : ""
                h += "<ul class=\"d\">" + items + more + "</ul>"
            }
            h += "</td><td>\(figs)</td></tr>\n"
        }
        h += "</table>\n"
        if !r.skippedRows.isEmpty {
            h +=
                "<h2>Input rows skipped (--skip-invalid)</h2>\n<p>\(r.skippedRows.count) invalid row(s) of the input files were left out; every check ran without them, so the verdict is at most REVIEW.</p>\n<ul class=\"d\">"
            h += r.skippedRows.map { "<li>" + esc($0) + "</li>" }.joined() + "</ul>\n"
        }
        h +=
            "<p class=\"muted\">Outcomes: PASS — nothing to object; REVIEW — the regulator should look at the reason given; FAIL — the proposal cannot be accepted as it stands. The verdict is the worst outcome.</p>\n"

        if let svg = mapSVG {
            h += "<h2>Coverage before and after</h2>\n<figure>\(svg)"
            h +=
                "<figcaption>Coverage of the proposal's technologies (\(esc(Set(r.proposed.map(\.technology)).sorted().map(\.rawValue).joined(separator: ", ")))) in each technology's metric, "
            h +=
                "±\(SharingCheck.f1(r.settings.coverageRadiusKm)) km around the tower, over a hillshade of the terrain when a DEM is given. Left: the existing network; right: with the proposal.</figcaption></figure>\n"
        }

        h +=
            "<h2>Coverage gain per technology</h2>\n<table><tr><th>technology</th><th class=n>villages newly covered (no operator before)</th><th class=n>population</th>"
        h +=
            "<th class=n>villages new for \(esc(p.operatorName))</th><th class=n>population</th><th class=n>proposal's area km²</th><th class=n>new area km² (no operator)</th>"
        h += "<th class=n>new area km² (\(esc(p.operatorName)))</th><th class=n>overlap own %</th><th class=n>overlap others %</th></tr>\n"
        for g in r.gains {
            h += "<tr><td>\(g.technology.rawValue)</td><td class=n>\(g.newVillagesProvince)</td><td class=n>\(ComplianceHTML.fmt(g.newPopulationProvince))</td>"
            h +=
                "<td class=n>\(g.newVillagesOperator)</td><td class=n>\(ComplianceHTML.fmt(g.newPopulationOperator))</td><td class=n>\(SharingCheck.f2(g.proposalAreaKm2))</td>"
            h += "<td class=n>\(SharingCheck.f2(g.newAreaProvinceKm2))</td><td class=n>\(SharingCheck.f2(g.newAreaOperatorKm2))</td>"
            h += "<td class=n>\(SharingCheck.pct(g.ownOverlapShare))</td><td class=n>\(SharingCheck.pct(g.othersOverlapShare))</td></tr>\n"
        }
        h += "</table>\n"

        h += "<h2>Villages gained</h2>\n"
        if r.villagesGained.isEmpty {
            h += "<p>No village becomes covered by \(esc(p.operatorName)).</p>\n"
        } else {
            h +=
                "<table><tr><th>technology</th><th>village</th><th>commune</th><th>district</th><th class=n>population</th><th>before</th><th class=n>signal after (metric dBm)</th></tr>\n"
            for v in r.villagesGained {
                h +=
                    "<tr><td>\(v.technology.rawValue)</td><td>\(esc(v.village.name)) (\(esc(v.village.id)))</td><td>\(esc(v.village.commune))</td><td>\(esc(v.village.district))</td>"
                h += "<td class=n>\(ComplianceHTML.fmt(v.village.population))</td><td>\(v.newForProvince ? "no operator" : "other operators only")</td>"
                h += "<td class=n>\(v.metricDBm.map { String(format: "%.1f", $0) } ?? "–")</td></tr>\n"
            }
            h += "</table>\n"
        }

        h +=
            "<h2>Transmitters and assignments</h2>\n<table><tr><th>id</th><th>tech</th><th class=n>MHz</th><th class=n>MHz wide</th><th class=n>EIRP dBm</th><th class=n>height m</th><th class=n>azimuth</th><th>assignment</th><th class=n>receive MHz</th></tr>\n"
        for (t, a) in zip(r.proposed, r.proposedAssignments) {
            h +=
                "<tr><td>\(esc(t.id))</td><td>\(t.technology.rawValue)</td><td class=n>\(String(format: "%.3f", t.frequencyMHz))</td><td class=n>\(String(format: "%.3f", t.bandwidthMHz))</td>"
            h +=
                "<td class=n>\(SharingCheck.f1(t.eirpDBm))</td><td class=n>\(SharingCheck.f1(t.antennaHeightM))</td><td class=n>\(t.azimuthDeg.map { SharingCheck.f1($0) } ?? "omni")</td>"
            h += "<td>\(esc(a.id)) (\(esc(a.service)))</td><td class=n>\(a.rx.map { String(format: "%.3f", $0.centreMHz) } ?? "–")</td></tr>\n"
        }
        h +=
            "</table>\n<p class=\"muted\">Already on the tower: \(r.existingOnTower.count) transmitter(s)\(r.existingOnTower.isEmpty ? "" : " — " + esc(r.existingOnTower.map(\.id).joined(separator: ", "))).</p>\n"

        h += "<h2>Inputs and method</h2>\n<table><tr><th>role</th><th>file</th><th>SHA-256</th></tr>\n"
        for i in inputs { h += "<tr><td>\(esc(i.role))</td><td>\(esc(i.name))</td><td><code>\(esc(i.sha256))</code></td></tr>\n" }
        h +=
            "</table>\n<p class=\"muted\">Coverage: tanso's coverage engine (model \(esc(r.settings.study.model)), \(Int(r.settings.study.resolutionM)) m cells), "
        h +=
            "thresholds in each technology's metric (RxLev, RSCP, RSRP, SS-RSRP). Interference and intermodulation: tanso's register checks (as tanso conflicts). "
        h += "Exposure: far-field power density S = EIRP·G/(4πr²), exposure ratios summed over frequencies against \(esc(r.settings.limits.name)). "
        h += "Towers' heights are the highest antenna on them plus \(SharingCheck.f1(r.settings.towerHeadroomM)) m. See tanso share-check --help.</p>\n"
        h += "</body></html>\n"
        return h
    }

    /// Writes result.json, map.png and report.html into `directory`; returns their paths.
    @discardableResult
    public static func write(_ r: SharingResult, to directory: String, inputs: [(role: String, name: String, sha256: String)]) throws -> [String] {
        let dir = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var written: [String] = []
        func put(_ name: String, _ data: Data) throws {
            let out = try AtomicOutput(path: dir.appendingPathComponent(name).path)
            try data.write(to: URL(fileURLWithPath: out.temporaryPath))
            try out.commit()
            written.append(out.finalPath)
        }
        try put("result.json", Data(json(r, inputs: inputs).utf8))
        if let img = try map(r) {
            let path = dir.appendingPathComponent("map.png").path
            try img.writePNG(to: path)
            written.append(path)
        }
        try put("report.html", Data(html(r, mapSVG: try SharingSVGMap.render(r), inputs: inputs).utf8))
        return written
    }
}

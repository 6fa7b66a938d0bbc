// The compliance report as one self-contained HTML file: inline CSS, inline SVG charts, tables, and the maps as
// inline SVG with real text (ComplianceSVGMap; their raster background a base64 PNG). No script, no external resource: it opens in any browser, offline.
import Foundation
import Analysis
import Radio

public enum ComplianceHTML {
    public static func render(
        _ r: ComplianceResult, title: String, maps: [(svg: String, caption: String)],
        changes: [VillageChange]?, inputs: [(role: String, path: String)]
    ) throws -> String {
        var h =
            HTMLPage.head(title: title) + """
                <h1>\(esc(title))</h1>
                <p class="muted">\(esc(r.targets.title)) — targets from \(esc(r.targets.source)). Province: \(esc(r.provinceName)).
                Units: communes from the village table, districts from \(esc(r.adminSource ?? "the village table")).</p>

                """
        let province = r.units(.province).first
        // Summary cards.
        h += "<div class=\"cards\">"
        if let p = province {
            h += card("Villages", fmt(p.villages), "population \(fmt(p.population))")
            for (ti, t) in r.targets.targets.enumerated() {
                let f = p.targets[ti]
                let state = f.achieved.map { $0 ? "<span class=\"ok\">achieved</span>" : "<span class=\"ko\">not achieved</span>" } ?? "no subject"
                h += card(t.id, f.share.map { pct($0) } ?? "–", "\(esc(t.description)) — target \(pct(f.minShare)): \(state)")
            }
        }
        h += "</div>\n"

        // Targets table.
        h +=
            "<h2>Targets, province</h2>\n<table><tr><th>target</th><th>what</th><th>counted on</th><th class=n>met</th><th class=n>share</th><th class=n>target</th><th>result</th><th class=n>missing</th></tr>\n"
        if let p = province {
            for (ti, t) in r.targets.targets.enumerated() {
                let f = p.targets[ti]
                let on =
                    t.subject == .zones
                    ? "zones (\(t.zoneKinds.sorted().joined(separator: ", ")), area ≥ \(pct(t.minAreaShare)))"
                    : t.measure == .population ? "population" : "villages"
                let missing =
                    t.subject == .villages && t.measure == .population
                    ? "\(fmt(f.population - f.metPopulation)) people" : "\(f.subjects - f.met) \(t.subject.rawValue)"
                h += "<tr><td>\(esc(t.id))</td><td>\(esc(t.description))</td><td>\(esc(on))</td><td class=n>\(f.met) / \(f.subjects)</td>"
                h +=
                    "<td class=n>\(f.share.map(pct) ?? "–")</td><td class=n>\(pct(f.minShare))</td><td>\(result(f.achieved))</td><td class=n>\(missing)</td></tr>\n"
            }
        }
        h += "</table>\n"

        // Charts per target by district.
        h += "<h2>Districts against the targets</h2>\n"
        let districts = r.units(.district)
        for (ti, t) in r.targets.targets.enumerated() {
            let bars = districts.compactMap { u in u.targets[ti].share.map { (u.name, $0) } }
            guard !bars.isEmpty else { continue }
            h +=
                "<figure>" + barChart(bars, target: t.minShare, title: "\(t.id): \(t.description)")
                + "<figcaption>Share per district (\(t.subject == .villages ? (t.measure == .population ? "of the population" : "of the villages") : "of the zones")); the dashed line is the target \(pct(t.minShare)).</figcaption></figure>\n"
        }
        if let p = province {
            let bars = r.keys.map {
                ("\($0.operatorName) \($0.technology.rawValue)", p.population > 0 ? Double(p.populationByService[$0] ?? 0) / Double(p.population) : 0)
            }
            h +=
                "<figure>" + barChart(bars, target: nil, title: "Population covered per operator and technology (province)")
                + "<figcaption>Share of the province's village population covered by each operator's network in each technology.</figcaption></figure>\n"
        }

        // District table.
        h += "<h2>Figures per district</h2>\n" + unitTable(r, districts)

        // Maps.
        h += "<h2>Maps</h2>\n"
        for m in maps {
            h +=
                "<figure>\(m.svg)<figcaption>\(esc(m.caption))</figcaption></figure>\n"
        }

        // Uncovered villages.
        if let primary = r.targets.targets.firstIndex(where: { $0.subject == .villages }) {
            let missing = r.villages.indices.filter { r.villageMet[primary][$0] == false }
                .sorted { r.villages[$0].village.population > r.villages[$1].village.population }
            let pop = missing.reduce(0) { $0 + r.villages[$1].village.population }
            h +=
                "<h2>Villages not meeting \(esc(r.targets.targets[primary].id))</h2>\n<p>\(missing.count) villages, population \(fmt(pop)). The 50 largest (all in uncovered_villages.csv):</p>\n"
            h +=
                "<table><tr><th>id</th><th>village</th><th>commune</th><th>district</th><th class=n>population</th><th>best \(esc(r.targets.targets[primary].technologyLabel)) (dBm)</th><th>nearest site</th><th class=n>km</th></tr>\n"
            let techs = r.targets.targets[primary].technologies
            for i in missing.prefix(50) {
                let v = r.villages[i]
                let best = r.keys.indices.filter { techs.contains(r.keys[$0].technology) }.compactMap { k in v.metricDBm[k].map { (r.keys[k], $0) } }.max {
                    $0.1 < $1.1
                }
                h += "<tr><td>\(esc(v.village.id))</td><td>\(esc(v.village.name))</td><td>\(esc(v.village.commune))</td><td>\(esc(r.districtOf[i]))</td>"
                h +=
                    "<td class=n>\(fmt(v.village.population))</td><td>\(best.map { "\(esc($0.0.description)) \(String(format: "%.1f", $0.1))" } ?? "none")</td>"
                h += "<td>\(esc(v.nearestSiteID ?? ""))</td><td class=n>\(v.nearestSiteKm.map { String(format: "%.1f", $0) } ?? "")</td></tr>\n"
            }
            h += "</table>\n"
        }

        // Zones.
        if !r.zones.isEmpty {
            h += "<h2>Zones</h2>\n<table><tr><th>id</th><th>name</th><th>kind</th><th class=n>km²</th>"
            h += r.technologies.map { "<th class=n>\($0.rawValue)</th>" }.joined() + "</tr>\n"
            for z in r.zones {
                h +=
                    "<tr><td>\(esc(z.zone.id))</td><td>\(esc(z.zone.name))</td><td>\(esc(z.zone.kind))</td><td class=n>\(String(format: "%.2f", z.areaKm2))</td>"
                h += r.technologies.map { "<td class=n>\(pct(z.technologyShare[$0] ?? 0))</td>" }.joined() + "</tr>\n"
            }
            h += "</table><p class=muted>Share of each zone's area covered by the technology (any operator).</p>\n"
        }

        // Changes.
        if let changes {
            h += "<h2>Change since the baseline</h2>\n"
            let groups = Dictionary(grouping: changes, by: \.kind)
            h +=
                "<p>"
                + [VillageChange.Kind.newlyCovered, .newlyUncovered, .added, .removed].map { k in
                    let g = groups[k] ?? []
                    return "\(k.rawValue.replacingOccurrences(of: "_", with: " ")): \(g.count) (population \(fmt(g.reduce(0) { $0 + $1.population })))"
                }.joined(separator: "; ") + "</p>\n"
            if !changes.isEmpty {
                h += "<table><tr><th>id</th><th>village</th><th>commune</th><th>district</th><th class=n>population</th><th>target</th><th>change</th></tr>\n"
                for c in changes.prefix(200) {
                    h +=
                        "<tr><td>\(esc(c.villageID))</td><td>\(esc(c.name))</td><td>\(esc(c.commune))</td><td>\(esc(c.district))</td><td class=n>\(fmt(c.population))</td><td>\(esc(c.targetID))</td><td class=\"\(c.kind == .newlyCovered ? "ok" : c.kind == .newlyUncovered ? "ko" : "")\">\(esc(c.kind.rawValue))</td></tr>\n"
                }
                h += "</table>\n"
            }
        }

        if let e = r.evidence { h += EvidenceProducts.htmlSection(r, e) }

        // Communes.
        h +=
            "<h2>Figures per commune</h2>\n<details><summary>\(r.units(.commune).count) communes</summary>\n" + unitTable(r, r.units(.commune)) + "</details>\n"

        // Method.
        h +=
            "<h2>Method</h2>\n<table><tr><th>technology</th><th>metric</th><th class=n>outdoor threshold (dBm)</th><th class=n>indoor margin (dB)</th><th>services and carriers converted with</th></tr>\n"
        for tech in r.technologies {
            let m = r.settings.thresholds.metric(for: tech)
            let services = r.keys.indices.filter { r.keys[$0].technology == tech }.map {
                "\(r.keys[$0].operatorName): \(SignalMetric.format(r.carriers[$0].bandwidthMHz)) MHz (\(r.carriers[$0].source)), offset \(String(format: "%.1f", (try? m.offsetDB(bandwidthMHz: r.carriers[$0].bandwidthMHz, frequencyMHz: r.carriers[$0].frequencyMHz, scsKHz: r.settings.thresholds.nrSCSkHz)) ?? .nan)) dB"
            }.joined(separator: "; ")
            h +=
                "<tr><td>\(tech.rawValue)</td><td>\(m.kind.rawValue)</td><td class=n>\(String(format: "%.0f", r.settings.thresholds.outdoorDBm[tech.rawValue] ?? m.defaultThresholdDBm))</td><td class=n>\(String(format: "%.0f", r.settings.thresholds.indoorMarginDB))</td><td>\(esc(services))</td></tr>\n"
        }
        h +=
            "</table>\n<p class=muted>The coverage rasters hold the total received channel power; each technology's metric is that power plus an offset: 2G RxLev 0 dB, 3G RSCP the CPICH share (\(String(format: "%.0f", r.settings.thresholds.cpichShareDB)) dB), 4G RSRP and 5G SS-RSRP −10·log10(12·N_RB) with N_RB from TS 36.101 / TS 38.101. Point villages take the grid cell at their position; polygon villages are covered when at least \(pct(r.settings.polygonShare)) of their cells are. A zone's share is the share of its cells covered by any operator.</p>\n"
        if !inputs.isEmpty {
            h += "<p class=muted>Inputs: " + inputs.map { "\(esc($0.role)) <code>\(esc($0.path))</code>" }.joined(separator: ", ") + ".</p>\n"
        }
        h += "</body></html>\n"
        return h
    }

    static func unitTable(_ r: ComplianceResult, _ units: [UnitFigures]) -> String {
        var h = "<table><tr><th>unit</th><th>parent</th><th class=n>villages</th><th class=n>population</th>"
        h += r.technologies.map { "<th class=n>\($0.rawValue) pop.</th>" }.joined()
        h += r.targets.targets.map { "<th>\(esc($0.id))</th>" }.joined() + "</tr>\n"
        for u in units {
            h += "<tr><td>\(esc(u.name))</td><td>\(esc(u.parent))</td><td class=n>\(u.villages)</td><td class=n>\(fmt(u.population))</td>"
            h += r.technologies.map { t in "<td class=n>\(u.population > 0 ? pct(Double(u.populationCovered[t] ?? 0) / Double(u.population)) : "–")</td>" }
                .joined()
            h += u.targets.map { f in "<td>\(f.share.map(pct) ?? "–") \(result(f.achieved))</td>" }.joined() + "</tr>\n"
        }
        return h + "</table>\n"
    }

    /// A horizontal bar chart of shares (0…1) as inline SVG, with an optional dashed target line.
    static func barChart(_ bars: [(String, Double)], target: Double?, title: String) -> String {
        let labelW = 220.0, barW = 560.0, rowH = 22.0, top = 30.0
        let height = top + rowH * Double(bars.count) + 24
        var s =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(labelW + barW + 70))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(esc(title))\" style=\"font:12px sans-serif\">"
        s += "<text x=\"0\" y=\"16\" style=\"font-weight:600\">\(esc(title))</text>"
        for (i, b) in bars.enumerated() {
            let y = top + rowH * Double(i)
            let w = max(0, min(1, b.1)) * barW
            let color = target.map { b.1 >= $0 - 1e-12 ? "#31a354" : "#e4572e" } ?? "#3182bd"
            s += "<text x=\"\(Int(labelW - 6))\" y=\"\(Int(y + 15))\" text-anchor=\"end\">\(esc(b.0))</text>"
            s += "<rect x=\"\(Int(labelW))\" y=\"\(Int(y + 3))\" width=\"\(String(format: "%.1f", w))\" height=\"\(Int(rowH - 6))\" fill=\"\(color)\"/>"
            s += "<text x=\"\(String(format: "%.1f", labelW + w + 4))\" y=\"\(Int(y + 15))\">\(pct(b.1))</text>"
        }
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            let x = labelW + tick * barW
            s += "<line x1=\"\(x)\" y1=\"\(top)\" x2=\"\(x)\" y2=\"\(height - 20)\" stroke=\"#ccc\" stroke-width=\"0.5\"/>"
            s += "<text x=\"\(x)\" y=\"\(Int(height - 6))\" text-anchor=\"middle\" fill=\"#666\">\(Int(tick * 100)) %</text>"
        }
        if let target {
            let x = labelW + min(1, target) * barW
            s += "<line x1=\"\(x)\" y1=\"\(top - 4)\" x2=\"\(x)\" y2=\"\(height - 20)\" stroke=\"#000\" stroke-dasharray=\"4 3\"/>"
        }
        return s + "</svg>"
    }

    static func card(_ title: String, _ big: String, _ note: String) -> String {
        "<div class=\"card\"><div class=\"muted\">\(esc(title))</div><div class=\"big\">\(big)</div><div class=\"muted\">\(note)</div></div>"
    }

    static func result(_ achieved: Bool?) -> String {
        achieved.map { $0 ? "<span class=\"ok\">✓</span>" : "<span class=\"ko\">✗</span>" } ?? ""
    }

    static func pct(_ x: Double) -> String { String(format: "%.1f %%", 100 * x) }

    static func fmt(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, c) in s.enumerated() { if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }; out.append(c) }
        return (n < 0 ? "-" : "") + out
    }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

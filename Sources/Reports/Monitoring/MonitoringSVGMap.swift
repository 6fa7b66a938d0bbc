// The map of the monitoring report as inline SVG (SVGMap), drawn from WGS 84 coordinates: the administrative
// units (--admin), the monitoring stations and the routes of mobile ones, the licensed transmitters the findings
// involve, a line from each station to the transmitter of each finding, and the findings as numbered markers
// (the numbers of the report's tables) stacked beside their station, each labelled with its frequency; a legend
// and a scale bar. All text is real text.
import Foundation
import Analysis
import Geo

enum MonitoringSVGMap {
    static let stationColour = "#111", transmitterColour = "#1565c0"

    static func render(stations: [MonitoringStationView], admin: AdminLayer?, title: String) -> String {
        let numbered = number(stations)
        var points: [(lon: Double, lat: Double)] = stations.flatMap { $0.positions.map { (lon: $0.lon, lat: $0.lat) } }
        points += numbered.compactMap { $0.finding.assignmentPosition.map { (lon: $0.lon, lat: $0.lat) } }
        var frame = LonLatFrame(points: points, width: 900)
        if frame.height > 620 { frame = LonLatFrame(points: points, width: 900 * 620 / frame.height) }
        let kinds = MonitoringFindingKind.allCases
        var svg = SVGMap(width: max(frame.width, 560), height: frame.height + 26 + 18 * Double(kinds.count + 2) + 12)
        svg.rect(x: 0, y: 0, w: svg.width, h: frame.height, fill: "#f4f3ee")
        svg.beginClip(id: "monitoring-map", w: svg.width, h: frame.height)
        svg.adminUnits(admin, villages: [], project: frame.project)
        drawRoutes(&svg, stations, frame: frame)
        let transmitters = drawFindingLines(&svg, numbered, frame: frame)
        for (id, p) in transmitters.sorted(by: { $0.key < $1.key }) {
            svg.raw(diamond(p, size: 6, fill: transmitterColour, title: "licensed transmitter \(id)"))
        }
        let sites = stations.compactMap { s in s.positions.first.map { (s.stationID, frame.xy(lon: $0.lon, lat: $0.lat)) } }
        for (_, p) in sites {
            svg.rect(x: p.0 - 5, y: p.1 - 5, w: 10, h: 10, fill: stationColour, stroke: "#fff")
            svg.placedLabels.append((p.0 - 6, p.1 - 6, p.0 + 6, p.1 + 6))
        }
        drawMarkers(&svg, numbered, frame: frame, others: sites.map(\.1) + Array(transmitters.values))
        for (id, p) in sites { svg.label(id, x: p.0, y: p.1, size: 13, weight: "bold") }
        for (id, p) in transmitters.sorted(by: { $0.key < $1.key }) { svg.label(id, x: p.0, y: p.1, size: 11, color: "#0d47a1") }
        svg.endClip()
        svg.text(title, x: 10, y: 22, size: 15, weight: "bold")
        let km = SVGMap.roundKm(frame.width / frame.pxPerKm)
        svg.scaleBar(km: km, pxPerKm: frame.pxPerKm, xRight: frame.width - 14, y: frame.height - 12)
        let rows = kinds.map { (shape: "dot", color: MonitoringHTML.colours[$0]!, label: "\($0.rawValue) (numbered as in the tables)") }
        svg.legend(
            x: 4, y: frame.height + 6, title: "Legend",
            rows: rows + [
                ("square", stationColour, "monitoring station (route: grey line)"), ("square", transmitterColour, "licensed transmitter of a finding")
            ])
        return svg.render(label: title)
    }

    /// Every finding with the number the report's tables give it (stations in order, their findings in order).
    static func number(_ stations: [MonitoringStationView]) -> [(n: Int, finding: MonitoringFinding)] {
        var n = 0
        return stations.flatMap { s in
            s.findings.map { f in
                n += 1
                return (n, f)
            }
        }
    }

    static func drawRoutes(_ svg: inout SVGMap, _ stations: [MonitoringStationView], frame: LonLatFrame) {
        for s in stations where s.positions.count > 1 {
            let pts = s.positions.map { frame.xy(lon: $0.lon, lat: $0.lat) }
            svg.raw(
                "<polyline class=\"route\" points=\"\(pts.map { "\(SVGMap.n($0.0)),\(SVGMap.n($0.1))" }.joined(separator: " "))\" fill=\"none\" stroke=\"#888\" stroke-width=\"2\"><title>route of \(SVGMap.esc(s.stationID))</title></polyline>"
            )
        }
    }

    /// Lines from the station to the finding's transmitter; returns the transmitters drawn (id → position).
    static func drawFindingLines(_ svg: inout SVGMap, _ numbered: [(n: Int, finding: MonitoringFinding)], frame: LonLatFrame) -> [String: (Double, Double)] {
        var transmitters: [String: (Double, Double)] = [:]
        for (n, f) in numbered {
            guard let a = f.assignmentPosition, let id = f.assignmentID, a.lat.isFinite, a.lon.isFinite, f.stationPosition.lat.isFinite else { continue }
            let s = frame.xy(lon: f.stationPosition.lon, lat: f.stationPosition.lat), t = frame.xy(lon: a.lon, lat: a.lat)
            svg.line(
                from: s, to: t, stroke: MonitoringHTML.colours[f.kind]!, width: 1.6, dash: f.kind == .notHeard ? "5 3" : nil,
                title: "#\(n) \(f.kind.rawValue): \(f.explanation)", cls: "finding-line")
            transmitters[id] = t
        }
        return transmitters
    }

    /// Numbered circles stacked beside the place where the station heard them (a column on the side with room and
    /// no other site), each joined to it by a thin leader and labelled with its frequency.
    static func drawMarkers(
        _ svg: inout SVGMap, _ numbered: [(n: Int, finding: MonitoringFinding)], frame: LonLatFrame, others: [(Double, Double)]
    ) {
        var groups: [(key: String, at: (Double, Double), items: [(n: Int, f: MonitoringFinding)])] = []
        for (n, f) in numbered where f.stationPosition.lat.isFinite && f.stationPosition.lon.isFinite {
            let key = "\(f.stationID) \((f.stationPosition.lat * 1e4).rounded()) \((f.stationPosition.lon * 1e4).rounded())"
            if let g = groups.firstIndex(where: { $0.key == key }) {
                groups[g].items.append((n, f))
            } else {
                groups.append((key, frame.xy(lon: f.stationPosition.lon, lat: f.stationPosition.lat), [(n, f)]))
            }
        }
        let step = 21.0, reach = 135.0
        for g in groups {
            let s = g.at, half = step * Double(g.items.count) / 2 + 12
            func crowded(_ dir: Double) -> Double {
                let outside = dir > 0 ? s.0 + reach > svg.width : s.0 - reach < 0
                let near = others.filter { o in (o.0 - s.0) * dir > 8 && (o.0 - s.0) * dir < reach && abs(o.1 - s.1) < half }.count
                return (outside ? 100 : 0) + Double(near)
            }
            let dir = crowded(1) <= crowded(-1) ? 1.0 : -1.0
            svg.circle(x: s.0, y: s.1, r: 2.5, fill: stationColour, strokeWidth: 0) // where it was heard (a route's point)
            for (k, item) in g.items.enumerated() {
                let x = s.0 + dir * 34, y = s.1 + (Double(k) - Double(g.items.count - 1) / 2) * step
                svg.line(from: s, to: (x - dir * 9, y), stroke: "#666", width: 0.8)
                svg.circle(
                    x: x, y: y, r: 9, fill: MonitoringHTML.colours[item.f.kind]!, stroke: "#fff", strokeWidth: 1.2,
                    title: "#\(item.n) \(item.f.kind.rawValue) at \(item.f.stationID): \(item.f.explanation)", cls: "finding")
                svg.text(String(item.n), x: x, y: y + 4, size: 10.5, anchor: "middle", weight: "bold", color: "#fff", halo: false)
                let label = String(format: "%.3f MHz", item.f.frequencyMHz), w = 0.58 * 10.5 * Double(label.count)
                svg.text(label, x: x + dir * 13, y: y + 4, size: 10.5, anchor: dir > 0 ? "start" : "end", color: "#333")
                let x0 = dir > 0 ? x - 9 : x - 13 - w, x1 = dir > 0 ? x + 13 + w : x + 9
                svg.placedLabels.append((x0, y - 10, x1, y + 10))
            }
        }
    }

    static func diamond(_ p: (Double, Double), size: Double, fill: String, title: String) -> String {
        let (x, y) = p
        return
            "<path class=\"transmitter\" d=\"M\(SVGMap.n(x)),\(SVGMap.n(y - size))L\(SVGMap.n(x + size)),\(SVGMap.n(y))L\(SVGMap.n(x)),\(SVGMap.n(y + size))L\(SVGMap.n(x - size)),\(SVGMap.n(y))Z\" fill=\"\(fill)\" stroke=\"#fff\" stroke-width=\"1\"><title>\(SVGMap.esc(title))</title></path>"
    }
}

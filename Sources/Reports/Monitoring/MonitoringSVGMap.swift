// The map of the monitoring report as inline SVG (SVGMap), drawn from WGS 84 coordinates: the administrative
// units (--admin), the monitoring stations and the routes of mobile ones, the licensed transmitters the findings
// involve, a line from each station to the transmitter of each finding, and the findings as numbered markers
// (the numbers of the report's tables) fanned out around their station, each labelled with its frequency; a legend
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
        drawMarkers(&svg, numbered, frame: frame)
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

    /// Numbered circles fanned out around each station, each labelled with its frequency.
    static func drawMarkers(_ svg: inout SVGMap, _ numbered: [(n: Int, finding: MonitoringFinding)], frame: LonLatFrame) {
        var atStation: [String: Int] = [:]
        var placed: [(n: Int, f: MonitoringFinding, x: Double, y: Double)] = []
        for (n, f) in numbered where f.stationPosition.lat.isFinite && f.stationPosition.lon.isFinite {
            let k = atStation[f.stationID, default: 0]
            atStation[f.stationID] = k + 1
            let ring = Double(k / 10), angle = (-90 + 36 * Double(k % 10) + 18 * ring) * .pi / 180, radius = 28 + 22 * ring
            let s = frame.xy(lon: f.stationPosition.lon, lat: f.stationPosition.lat)
            svg.circle(x: s.0, y: s.1, r: 2.5, fill: stationColour, strokeWidth: 0) // where it was heard (a route's point)
            svg.line(from: s, to: (s.0 + (radius - 9) * cos(angle), s.1 + (radius - 9) * sin(angle)), stroke: "#666", width: 0.8)
            placed.append((n, f, s.0 + radius * cos(angle), s.1 + radius * sin(angle)))
        }
        for m in placed {
            svg.circle(
                x: m.x, y: m.y, r: 9, fill: MonitoringHTML.colours[m.f.kind]!, stroke: "#fff", strokeWidth: 1.2,
                title: "#\(m.n) \(m.f.kind.rawValue) at \(m.f.stationID): \(m.f.explanation)", cls: "finding")
            svg.text(String(m.n), x: m.x, y: m.y + 4, size: 10.5, anchor: "middle", weight: "bold", color: "#fff", halo: false)
            svg.placedLabels.append((m.x - 9, m.y - 9, m.x + 9, m.y + 9))
        }
        for m in placed { svg.label(String(format: "%.3f MHz", m.f.frequencyMHz), x: m.x + 4, y: m.y, size: 10.5, color: "#333", gap: 8) }
    }

    static func diamond(_ p: (Double, Double), size: Double, fill: String, title: String) -> String {
        let (x, y) = p
        return
            "<path class=\"transmitter\" d=\"M\(SVGMap.n(x)),\(SVGMap.n(y - size))L\(SVGMap.n(x + size)),\(SVGMap.n(y))L\(SVGMap.n(x)),\(SVGMap.n(y + size))L\(SVGMap.n(x - size)),\(SVGMap.n(y))Z\" fill=\"\(fill)\" stroke=\"#fff\" stroke-width=\"1\"><title>\(SVGMap.esc(title))</title></path>"
    }
}

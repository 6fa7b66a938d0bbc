// The maps of the broadcast reports as inline SVG (SVGMap): the hillshade (and, on the plan, the number of FM
// services per cell) as the background image; over it, as vectors with real text, the administrative units, the
// service areas (noise- and interference-limited polygons), the breaches as interferer → victim arrows, the
// transmitter sites with their names, a legend and a scale bar.
import Foundation
import Analysis
import Geo
import Records

/// What the maps draw besides the plan's own results.
public struct BroadcastMapLayers: Sendable {
    public var admin: AdminLayer?
    public var villages: [Village]
    public init(admin: AdminLayer? = nil, villages: [Village] = []) { self.admin = admin; self.villages = villages }
}

/// A station's service areas as polygons (WGS 84, as Polygonize gives them).
struct ServiceAreaPolygons {
    var noiseLimited: [[[Coordinate]]]
    var interferenceLimited: [[[Coordinate]]]

    static func of(_ s: StationService, spec: GridSpec) throws -> ServiceAreaPolygons {
        func polygons(minClass: UInt8) throws -> [[[Coordinate]]] {
            let mask = s.serviceClass.map { $0 >= minClass ? UInt8(1) : 0 }
            return try Polygonize.regions(classes: mask, width: spec.width, height: spec.height, geoTransform: spec.geoTransform, crs: spec.crs)
                .filter { $0.classValue == 1 }.flatMap { $0.geometry.polygons }
        }
        return ServiceAreaPolygons(noiseLimited: try polygons(minClass: 1), interferenceLimited: try polygons(minClass: 2))
    }
}

enum BroadcastSVGMap {
    static let served = "#1a9850", lost = "#f46d43", breachColour = "#c62828"

    /// Projection of the map: WGS 84 points to drawing units.
    struct Frame {
        let r: BroadcastPlanResult
        let k: Double
        let toGrid: CoordinateTransform?

        func wgs84(_ cs: [Coordinate]) -> [(Double, Double)] {
            cs.compactMap { c in BroadcastReport.pixel(r, lon: c.x, lat: c.y, t: toGrid).map { ($0.x * k, $0.y * k) } }
        }
    }

    /// A map: `background` scaled to the report width, then the layers; the legend below the map.
    static func render(
        _ r: BroadcastPlanResult, background: RGBAImage, layers: BroadcastMapLayers, title: String,
        areas: [(id: String, polygons: ServiceAreaPolygons, outlineOnly: Bool)], stations: [(index: Int, color: String)],
        breaches: [Breach], legend: [(shape: String, color: String, label: String)]
    ) throws -> String {
        let k = BroadcastReport.svgWidth / Double(background.width)
        let mapH = Double(background.height) * k
        var svg = SVGMap(width: BroadcastReport.svgWidth, height: mapH + 26 + 18 * Double(legend.count) + 12)
        try svg.image(background, x: 0, y: 0, w: svg.width, h: mapH)
        svg.beginClip(id: "broadcast-map", w: svg.width, h: mapH)
        let frame = Frame(r: r, k: k, toGrid: try? CoordinateTransform(from: "EPSG:4326", to: r.spec.crs))
        for a in areas {
            for p in a.polygons.noiseLimited {
                svg.rings(
                    p.map(frame.wgs84), stroke: lost, width: 1.2, fill: a.outlineOnly ? "none" : lost, title: "\(a.id): noise-limited service area",
                    fillOpacity: 0.4, cls: "service-area noise-limited")
            }
            for p in a.polygons.interferenceLimited {
                svg.rings(
                    p.map(frame.wgs84), stroke: "#0b5d2a", width: a.outlineOnly ? 1.6 : 1.2, fill: a.outlineOnly ? "none" : served,
                    title: "\(a.id): interference-limited service area", fillOpacity: 0.6, cls: "service-area interference-limited")
            }
        }
        // Boundaries over the (translucent) service areas, so that both stay readable.
        svg.adminUnits(layers.admin, villages: layers.villages, project: frame.wgs84)
        for b in breaches { drawBreach(&svg, r, b, frame: frame) }
        drawSites(&svg, r, stations, frame: frame, mapHeight: mapH)
        svg.endClip()
        svg.text(title, x: 10, y: 22, size: 15, weight: "bold")
        let widthKm = Double(r.spec.width) * r.spec.resolutionM / 1000
        svg.scaleBar(km: SVGMap.roundKm(widthKm), pxPerKm: svg.width / widthKm, xRight: svg.width - 14, y: mapH - 12)
        svg.legend(x: 4, y: mapH + 6, title: "Legend", rows: legend)
        return svg.render(label: title)
    }

    /// The breach as an arrow from the interferer to the victim, named at its middle.
    static func drawBreach(_ svg: inout SVGMap, _ r: BroadcastPlanResult, _ b: Breach, frame: Frame) {
        let i = r.stations[b.interferer].assignment, v = r.stations[b.victim].assignment
        let pts = frame.wgs84([Coordinate(i.longitude, i.latitude), Coordinate(v.longitude, v.latitude)])
        guard pts.count == 2 else { return }
        let (a, c) = (pts[0], pts[1])
        svg.line(from: a, to: c, stroke: breachColour, width: 2.5, dash: "7 4", title: b.explanation, cls: "breach")
        let len = max(hypot(c.0 - a.0, c.1 - a.1), 1e-9), ux = (c.0 - a.0) / len, uy = (c.1 - a.1) / len
        let tip = (c.0 - ux * 7, c.1 - uy * 7)
        svg.raw(
            "<path d=\"M\(SVGMap.n(tip.0)),\(SVGMap.n(tip.1))L\(SVGMap.n(tip.0 - ux * 11 - uy * 5)),\(SVGMap.n(tip.1 - uy * 11 + ux * 5))L\(SVGMap.n(tip.0 - ux * 11 + uy * 5)),\(SVGMap.n(tip.1 - uy * 11 - ux * 5))Z\" fill=\"\(breachColour)\"/>"
        )
        svg.label("\(i.id) → \(v.id)", x: (a.0 + c.0) / 2, y: (a.1 + c.1) / 2, size: 11, weight: "bold", color: breachColour)
    }

    /// Sites inside the map, a dot each, named (stations on one mast share a label: "FM-01, FM-02").
    static func drawSites(_ svg: inout SVGMap, _ r: BroadcastPlanResult, _ stations: [(index: Int, color: String)], frame: Frame, mapHeight: Double) {
        var sites: [(x: Double, y: Double, names: [String], color: String)] = []
        for (index, color) in stations {
            let a = r.stations[index].assignment
            guard let p = frame.wgs84([Coordinate(a.longitude, a.latitude)]).first, (0...svg.width).contains(p.0), (0...mapHeight).contains(p.1) else {
                continue
            }
            if let j = sites.firstIndex(where: { abs($0.x - p.0) < 4 && abs($0.y - p.1) < 4 }) {
                sites[j].names.append(a.id)
            } else {
                sites.append((p.0, p.1, [a.id], color))
            }
        }
        for s in sites {
            svg.circle(x: s.x, y: s.y, r: 4.5, fill: s.color, stroke: "#fff", strokeWidth: 1.2, title: s.names.joined(separator: ", "), cls: "site")
        }
        for s in sites { svg.label(s.names.joined(separator: ", "), x: s.x, y: s.y, size: 11.5) }
    }
}

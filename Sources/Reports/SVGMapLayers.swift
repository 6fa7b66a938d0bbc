// What the SVG maps of several reports share: labels that avoid each other, lines, the administrative units
// (polygons with names, or each district's name at its villages' centre), a frame for maps drawn straight from
// WGS 84 coordinates (no raster under them), and a round scale-bar length.
import Foundation
import Analysis
import Geo
import Records

extension SVGMap {
    /// Text near the point (x, y): the first of eight places around it whose box is free of earlier labels (the
    /// least crowded one when none is), so that names of nearby points do not overprint.
    mutating func label(
        _ s: String, x: Double, y: Double, size: Double = 12, weight: String = "normal", color: String = "#111", gap: Double = 6
    ) {
        let w = 0.58 * size * Double(s.count), h = size
        let places: [(dx: Double, dy: Double, anchor: String)] = [
            (gap, -gap / 2, "start"), (gap, h + gap / 2, "start"), (-gap, -gap / 2, "end"), (-gap, h + gap / 2, "end"),
            (0, -gap - 2, "middle"), (0, h + gap + 2, "middle"), (gap, h * 1.9, "start"), (-gap, h * 1.9, "end")
        ]
        func box(_ p: (dx: Double, dy: Double, anchor: String)) -> (Double, Double, Double, Double) {
            let x0 = p.anchor == "start" ? x + p.dx : p.anchor == "end" ? x + p.dx - w : x - w / 2
            return (x0, y + p.dy - h, x0 + w, y + p.dy)
        }
        // Overlap with earlier labels, and the part outside the drawing counted twice.
        func overlap(_ a: (Double, Double, Double, Double)) -> Double {
            let inside = max(0, min(a.2, width) - max(a.0, 0)) * max(0, min(a.3, height) - max(a.1, 0))
            return placedLabels.reduce(2 * (w * h - inside)) { sum, b in
                sum + max(0, min(a.2, b.2) - max(a.0, b.0)) * max(0, min(a.3, b.3) - max(a.1, b.1))
            }
        }
        let best = places.min { overlap(box($0)) < overlap(box($1)) }!
        placedLabels.append(box(best))
        text(s, x: x + best.dx, y: y + best.dy, size: size, anchor: best.anchor, weight: weight, color: color)
    }

    /// Layers drawn until `endClip` stay inside the rectangle (0, 0, w, h): the map, not the legend below it.
    mutating func beginClip(id: String, w: Double, h: Double) {
        raw("<clipPath id=\"\(id)\"><rect x=\"0\" y=\"0\" width=\"\(Self.n(w))\" height=\"\(Self.n(h))\"/></clipPath><g clip-path=\"url(#\(id))\">")
    }

    mutating func endClip() { raw("</g>") }

    mutating func line(
        from a: (Double, Double), to b: (Double, Double), stroke: String, width: Double, dash: String? = nil, title: String? = nil, cls: String? = nil
    ) {
        let t = title.map { "<title>\(Self.esc($0))</title>" } ?? ""
        let dashAttr = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        raw(
            "<line\(Self.classAttr(cls)) x1=\"\(Self.n(a.0))\" y1=\"\(Self.n(a.1))\" x2=\"\(Self.n(b.0))\" y2=\"\(Self.n(b.1))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\" stroke-linecap=\"round\"\(dashAttr)>\(t)</line>"
        )
    }

    /// Admin polygons (dashed) with their names; without them, each district's name at its villages'
    /// population-weighted centre (the village table names districts but holds no boundary).
    mutating func adminUnits(_ admin: AdminLayer?, villages: [Village], project: ([Coordinate]) -> [(Double, Double)]) {
        if let admin, !admin.units.isEmpty {
            for u in admin.units {
                for poly in u.geometry.polygons { rings(poly.map(project), stroke: "#555", width: 1, dash: "5 3", title: u.name, cls: "admin-unit") }
            }
            for u in admin.units {
                if let c = project([u.geometry.centroid]).first, (0...width).contains(c.0), (0...height).contains(c.1) {
                    unitName(u.name, x: c.0, y: c.1, size: 12, weight: "normal")
                }
            }
            return
        }
        var centres: [String: (x: Double, y: Double, w: Double)] = [:]
        for v in villages {
            let w = Double(max(v.population, 1)), c = centres[v.district] ?? (0, 0, 0)
            centres[v.district] = (c.x + v.longitude * w, c.y + v.latitude * w, c.w + w)
        }
        for (name, c) in centres.sorted(by: { $0.key < $1.key }) where !name.isEmpty {
            if let p = project([Coordinate(c.x / c.w, c.y / c.w)]).first, (0...width).contains(p.0), (0...height).contains(p.1) {
                unitName(name.uppercased(), x: p.0, y: p.1, size: 12.5, weight: "bold")
            }
        }
    }

    /// A unit's name centred at (x, y), kept inside the drawing and remembered so that later labels avoid it.
    mutating func unitName(_ s: String, x: Double, y: Double, size: Double, weight: String) {
        let half = 0.29 * size * Double(s.count), cx = min(max(x, half + 2), width - half - 2)
        text(s, x: cx, y: y, size: size, anchor: "middle", weight: weight, color: "#444", italic: true)
        placedLabels.append((cx - half, y - size, cx + half, y))
    }

    /// A scale-bar length of 1, 2 or 5 × 10ⁿ km, about a fifth of `widthKm`.
    static func roundKm(_ widthKm: Double) -> Double {
        let raw = max(widthKm / 5, 0.1), p = pow(10, log10(raw).rounded(.down))
        return [5.0, 2, 1].map { $0 * p }.first { $0 <= raw } ?? p
    }
}

/// A map drawn from WGS 84 coordinates: longitude and latitude scaled to drawing units, east–west shrunk by the
/// cosine of the middle latitude (equal distances look equal at provincial extent).
struct LonLatFrame {
    let west: Double, north: Double, pxPerDegree: Double, cosLat: Double
    let width: Double, height: Double

    /// The frame over `points` (lon, lat) widened by `margin` of their span (at least `minSpanDeg`), `width` wide.
    init(points: [(lon: Double, lat: Double)], width: Double, margin: Double = 0.1, minSpanDeg: Double = 0.05) {
        let lons = points.map(\.lon).filter(\.isFinite), lats = points.map(\.lat).filter(\.isFinite)
        var w = lons.min() ?? 106.8, e = lons.max() ?? 107.0, s = lats.min() ?? 10.8, n = lats.max() ?? 11.0
        cosLat = cos((s + n) / 2 * .pi / 180)
        let padX = max((e - w) * margin, minSpanDeg / 2), padY = max((n - s) * margin, minSpanDeg / 2)
        w -= padX; e += padX; s -= padY; n += padY
        west = w; north = n
        pxPerDegree = width / ((e - w) * cosLat)
        self.width = width
        height = (n - s) * pxPerDegree
    }

    func xy(lon: Double, lat: Double) -> (Double, Double) { ((lon - west) * cosLat * pxPerDegree, (north - lat) * pxPerDegree) }
    func project(_ cs: [Coordinate]) -> [(Double, Double)] { cs.map { xy(lon: $0.x, lat: $0.y) } }
    /// Drawing units per kilometre (a degree of latitude is 111.2 km).
    var pxPerKm: Double { pxPerDegree / 111.195 }
}

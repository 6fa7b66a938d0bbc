// The before/after map of a share-check for the HTML report, as inline SVG: each panel's coverage classes over the
// hillshade as an image (SharingReport.panelImage), the villages, towers, names, legend and scale bar as vectors
// and real text.
import Foundation
import Geo
import Analysis

public enum SharingSVGMap {
    public static func render(_ r: SharingResult, maxPanel: Double = 520) throws -> String? {
        guard let m = r.maps else { return nil }
        let spec = m.spec
        let scale = maxPanel / Double(max(spec.width, spec.height))
        let pw = max(1, Int(Double(spec.width) * scale)), ph = max(1, Int(Double(spec.height) * scale))
        func cell(_ x: Int, _ y: Int) -> Int { min(spec.height - 1, Int(Double(y) / scale)) * spec.width + min(spec.width - 1, Int(Double(x) / scale)) }
        let gap = 12.0, top = 34.0
        var svg = SVGMap(width: 2 * Double(pw) + 3 * gap, height: Double(ph) + top + 112)
        let shade = m.groundM.map { CoverageMap.hillshade($0, width: spec.width, height: spec.height, cellM: spec.resolutionM) }
        let t = try CoordinateTransform(from: "EPSG:4326", to: spec.crs)
        func pixel(_ lon: Double, _ lat: Double) -> (Double, Double)? {
            guard let p = try? t.transform(x: lon, y: lat) else { return nil }
            let px = spec.geoTransform.pixel(x: p.x, y: p.y)
            let x = px.col * scale, y = px.row * scale
            return x >= 0 && y >= 0 && x < Double(pw) && y < Double(ph) ? (x, y) : nil
        }
        for (panel, classes) in [m.before, m.after].enumerated() {
            let ox = gap + Double(panel) * (Double(pw) + gap)
            try svg.image(
                SharingReport.panelImage(classes, shade: shade, width: pw, height: ph, cell: cell), x: ox, y: top, w: Double(pw), h: Double(ph))
            svg.rect(x: ox, y: top, w: Double(pw), h: Double(ph), fill: "none", stroke: "#777")
            svg.text(panel == 0 ? "Before" : "After (with the proposal)", x: ox, y: 24, size: 16, weight: "bold", halo: false)
            drawVillages(&svg, m, after: panel == 1, origin: (ox, top), pixel: pixel)
            drawTowers(&svg, r, after: panel == 1, origin: (ox, top), pixel: pixel)
            svg.scaleBar(km: 2, pxPerKm: scale * 1000 / spec.resolutionM, xRight: ox + Double(pw) - 10, y: top + Double(ph) - 10)
        }
        drawLegend(&svg, r, y: top + Double(ph) + 10, columnX: [gap, gap + Double(pw) + gap])
        return svg.render(label: "coverage before and after the proposal \(r.proposalID)")
    }

    static func drawVillages(_ svg: inout SVGMap, _ m: CoverageMaps, after: Bool, origin: (Double, Double), pixel: (Double, Double) -> (Double, Double)?) {
        for (v, state) in m.villages.sorted(by: { $0.state < $1.state }) {
            guard let (x, y) = pixel(v.longitude, v.latitude) else { continue }
            let tip = "\(v.name), \(v.commune): population \(v.population)"
            if after && (state == 1 || state == 3) {
                svg.circle(x: origin.0 + x, y: origin.1 + y, r: 4.5, fill: "#ffdd00", stroke: "#005a1e", strokeWidth: 1.5, title: tip + ", gained")
                svg.text(v.name, x: origin.0 + x + 7, y: origin.1 + y + 4, size: 11, color: "#004d1a")
            } else if state == 2 || (!after && state == 1) {
                svg.circle(x: origin.0 + x, y: origin.1 + y, r: 3.5, fill: "#e41a1c", stroke: "#5a0000", title: tip + ", without coverage")
            } else {
                svg.circle(x: origin.0 + x, y: origin.1 + y, r: 1.8, fill: "#3c3c3c", strokeWidth: 0, title: tip)
            }
        }
    }

    static func drawTowers(_ svg: inout SVGMap, _ r: SharingResult, after: Bool, origin: (Double, Double), pixel: (Double, Double) -> (Double, Double)?) {
        for s in r.shareableTowers {
            guard let (x, y) = pixel(s.tower.longitude, s.tower.latitude) else { continue }
            svg.raw(
                "<rect x=\"\(SVGMap.n(origin.0 + x - 5))\" y=\"\(SVGMap.n(origin.1 + y - 5))\" width=\"10\" height=\"10\" fill=\"none\" stroke=\"#e67800\" stroke-width=\"2\"/>"
            )
            svg.text(s.tower.id, x: origin.0 + x - 8, y: origin.1 + y + 14, size: 11, anchor: "end", color: "#8a4700")
        }
        if let (x, y) = pixel(r.tower.longitude, r.tower.latitude), after || r.proposal.kind == .coLocation {
            let cx = origin.0 + x, cy = origin.1 + y
            svg.raw(
                "<path d=\"M\(SVGMap.n(cx)),\(SVGMap.n(cy - 6))L\(SVGMap.n(cx + 5)),\(SVGMap.n(cy + 4))L\(SVGMap.n(cx - 5)),\(SVGMap.n(cy + 4))Z\" fill=\"#000\"/>"
            )
            svg.text(r.tower.id, x: cx + 8, y: cy - 2, size: 12, weight: "bold")
        }
    }

    static func drawLegend(_ svg: inout SVGMap, _ r: SharingResult, y: Double, columnX: [Double]) {
        let op = r.proposal.operatorName
        let techs = Set(r.proposed.map(\.technology)).sorted().map(\.rawValue).joined(separator: "/")
        let c = SharingReport.colors
        let items: [(String, String, String)] = [
            ("square", SVGMap.hex(c[2]!), "covered by \(op) before"), ("square", SVGMap.hex(c[1]!), "covered by other operators only"),
            ("square", SVGMap.hex(c[3]!), "new: no operator before"), ("square", SVGMap.hex(c[4]!), "new for \(op), others before"),
            ("dot", "#ffdd00", "village gained"), ("dot", "#e41a1c", "village without \(techs) (any operator)")
        ]
        for (i, it) in items.enumerated() {
            let x = columnX[i % 2], yy = y + 18 * Double(i / 2)
            if it.0 == "dot" { svg.circle(x: x + 9, y: yy + 6, r: 4.5, fill: it.1) } else { svg.rect(x: x, y: yy, w: 18, h: 11, fill: it.1, stroke: "#555") }
            svg.text(it.2, x: x + 26, y: yy + 10, size: 12.5, halo: false)
        }
        let yy = y + 18 * 3
        svg.raw(
            "<path d=\"M\(SVGMap.n(columnX[0] + 9)),\(SVGMap.n(yy))L\(SVGMap.n(columnX[0] + 14)),\(SVGMap.n(yy + 10))L\(SVGMap.n(columnX[0] + 4)),\(SVGMap.n(yy + 10))Z\" fill=\"#000\"/>"
        )
        svg.text("proposed tower", x: columnX[0] + 26, y: yy + 10, size: 12.5, halo: false)
        svg.raw(
            "<rect x=\"\(SVGMap.n(columnX[1] + 4))\" y=\"\(SVGMap.n(yy))\" width=\"10\" height=\"10\" fill=\"none\" stroke=\"#e67800\" stroke-width=\"2\"/>")
        svg.text("existing tower that could host it", x: columnX[1] + 26, y: yy + 10, size: 12.5, halo: false)
    }
}

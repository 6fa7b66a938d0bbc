// The map of one target for the HTML report, as inline SVG: the signal classes of ComplianceMap as the background
// image, then the admin boundaries (when --admin gave polygons) or the districts' names at their villages'
// population-weighted centre, the zones with their names, the villages (met or not, with a tooltip) and the names
// of the largest villages missing the target, a legend and a scale bar, all in real text.
import Foundation
import Geo
import Analysis
import Radio

public enum ComplianceSVGMap {
    static let classLabels = ["≥ threshold + 20 dB", "+10 to +20 dB above", "0 to +10 dB above", "−10 to 0 dB (below)"]
    static let met = "#1a9641", missed = "#e41a1c"

    public static func render(
        _ r: ComplianceResult, layers: ServiceLayers, targetIndex: Int, admin: AdminLayer?, title: String, maxSize: Int = 1000
    ) throws -> String {
        let spec = layers.spec
        let target = r.targets.targets[targetIndex]
        let (background, step) = try ComplianceMap.classImage(r, layers: layers, targetIndex: targetIndex, maxSize: maxSize)
        // Drawing units: the raster's pixels, scaled up to about 900 wide so that text has room.
        let k = max(1, 900 / Double(background.width))
        var svg = SVGMap(width: Double(background.width) * k, height: Double(background.height) * k)
        try svg.image(background, x: 0, y: 0, w: svg.width, h: svg.height)
        let t = try CoordinateTransform(from: "EPSG:4326", to: spec.crs)
        func project(_ cs: [Coordinate]) -> [(Double, Double)] {
            var xs = cs.map(\.x), ys = cs.map(\.y)
            t.transform(xs: &xs, ys: &ys)
            return zip(xs, ys).compactMap { x, y in
                let p = spec.geoTransform.pixel(x: x, y: y)
                return p.col.isFinite && p.row.isFinite ? (p.col / Double(step) * k, p.row / Double(step) * k) : nil
            }
        }
        svg.adminUnits(admin, villages: r.villages.map(\.village), project: project)
        for (i, z) in r.zones.enumerated() {
            let ok = r.zoneMet[targetIndex][i]
            let color = ok == nil ? "#3c5ac8" : ok! ? met : missed
            for poly in z.zone.geometry.polygons {
                svg.rings(poly.map(project), stroke: color, width: ok == nil ? 1.2 : 2.2, title: "\(z.zone.name) (\(z.zone.kind))")
            }
            if let c = project([z.zone.geometry.centroid]).first { svg.text(z.zone.name, x: c.0, y: c.1 - 8, size: 11, anchor: "middle", color: "#1d3c8f") }
        }
        if target.subject == .villages { drawVillages(&svg, r, targetIndex: targetIndex, project: project) }
        svg.text(title, x: 10, y: 24, size: 17, weight: "bold")
        let subject = target.subject == .villages ? "village" : "zone"
        let rows = zip(ComplianceMap.classes, classLabels).map { (shape: "square", color: SVGMap.hex($0.0.color), label: $0.1) }
        svg.legend(
            x: 8, y: svg.height - 26 - 18 * Double(rows.count + 2) - 8, title: "Best \(target.technologyLabel) vs threshold",
            rows: rows + [("dot", met, "\(subject) meets the target"), ("dot", missed, "\(subject) below the target")])
        svg.scaleBar(km: 10, pxPerKm: 1000 * k / (spec.resolutionM * Double(step)), xRight: svg.width - 16, y: svg.height - 16)
        return svg.render(label: title)
    }

    /// Villages meeting the target under those missing it; the 12 largest missing it named.
    static func drawVillages(_ svg: inout SVGMap, _ r: ComplianceResult, targetIndex: Int, project: ([Coordinate]) -> [(Double, Double)]) {
        let points = project(r.villages.map { Coordinate($0.village.longitude, $0.village.latitude) })
        guard points.count == r.villages.count else { return }
        let isMet = r.villages.indices.map { r.villageMet[targetIndex][$0] == true }
        for i in r.villages.indices.sorted(by: { (isMet[$0] ? 0 : 1) < (isMet[$1] ? 0 : 1) }) {
            let v = r.villages[i].village
            let radius = v.population >= 5000 ? 4.5 : v.population >= 2000 ? 3.5 : 2.5
            svg.circle(
                x: points[i].0, y: points[i].1, r: radius, fill: isMet[i] ? met : missed, strokeWidth: 0.6,
                title: "\(v.name), \(v.commune), \(v.district): population \(v.population), \(isMet[i] ? "meets" : "misses") the target")
        }
        let largest = r.villages.indices.filter { !isMet[$0] }.sorted { r.villages[$0].village.population > r.villages[$1].village.population }.prefix(12)
        for i in largest {
            svg.text(r.villages[i].village.name, x: points[i].0 + 6, y: points[i].1 + 4, size: 10.5, color: "#7f0000")
        }
    }
}

// PNG map of one target: the best signal of the target's technologies (any operator, in each technology's metric,
// classed against its threshold), admin boundaries, zones, and the villages or zones meeting the target or not.
import Foundation
import Geo
import Analysis
import Radio

public enum ComplianceMap {
    /// Classes relative to the threshold (dB above it) and colours.
    static let classes: [(aboveDB: Float, color: (UInt8, UInt8, UInt8), label: String)] = [
        (20, (0, 104, 55), "THRESHOLD +20 DB"),
        (10, (49, 163, 84), "+10 TO +20 DB"),
        (0, (161, 217, 155), "0 TO +10 DB"),
        (-10, (254, 224, 139), "-10 TO 0 DB (BELOW)")
    ]

    public static func render(
        _ r: ComplianceResult, layers: ServiceLayers, targetIndex: Int, admin: AdminLayer?,
        title: String, maxSize: Int = 1000
    ) throws -> RGBAImage {
        let spec = layers.spec
        let target = r.targets.targets[targetIndex]
        let (background, step) = try classImage(r, layers: layers, targetIndex: targetIndex, maxSize: maxSize)
        var img = background
        let w = img.width, h = img.height
        let t = try CoordinateTransform(from: "EPSG:4326", to: spec.crs)
        func pixels(_ ring: [Coordinate]) -> [(Int, Int)] {
            var xs = ring.map(\.x), ys = ring.map(\.y)
            t.transform(xs: &xs, ys: &ys)
            return zip(xs, ys).compactMap { px, py in
                let p = spec.geoTransform.pixel(x: px, y: py)
                return p.col.isFinite ? (Int(p.col) / step, Int(p.row) / step) : nil
            }
        }
        func outline(_ g: Geometry, _ color: (UInt8, UInt8, UInt8), width: Int) {
            for poly in g.polygons {
                for ring in poly { let p = pixels(ring); for i in 0..<p.count { line(&img, p[i], p[(i + 1) % p.count], color, width: width) } }
            }
        }
        if let admin { for u in admin.units { outline(u.geometry, (110, 110, 110), width: 1) } }
        for (i, z) in r.zones.enumerated() {
            let met = r.zoneMet[targetIndex][i]
            outline(z.zone.geometry, met == nil ? (60, 90, 200) : met! ? (0, 140, 40) : (215, 25, 28), width: met == nil ? 1 : 2)
        }
        if target.subject == .villages {
            var xs = r.villages.map(\.village.longitude), ys = r.villages.map(\.village.latitude)
            t.transform(xs: &xs, ys: &ys)
            let order = r.villages.indices.sorted { (r.villageMet[targetIndex][$0] == true ? 0 : 1) < (r.villageMet[targetIndex][$1] == true ? 0 : 1) }
            for i in order {
                let p = spec.geoTransform.pixel(x: xs[i], y: ys[i])
                guard p.col.isFinite else { continue }
                let pop = r.villages[i].village.population
                let radius = pop >= 5000 ? 4 : pop >= 2000 ? 3 : 2
                let met = r.villageMet[targetIndex][i] == true
                dot(&img, Int(p.col) / step, Int(p.row) / step, radius: radius, color: (40, 40, 40))
                dot(&img, Int(p.col) / step, Int(p.row) / step, radius: radius - 1, color: met ? (26, 150, 65) : (228, 26, 28))
            }
        }
        // Legend.
        let rows = classes.count + 2
        let lx = 8, ly = h - (30 + 16 * rows) - 8, lw = 230
        for yy in ly..<(ly + 30 + 16 * rows) { for xx in lx..<(lx + lw) { img.set(xx, yy, (255, 255, 255), alpha: 0.85) } }
        BitmapFont.draw("BEST \(target.technologyLabel) VS THRESHOLD", x: lx + 6, y: ly + 6, color: (0, 0, 0), into: &img)
        for (i, c) in classes.enumerated() {
            let yy = ly + 22 + 16 * i
            for dy in 0..<10 { for dx in 0..<18 { img.set(lx + 6 + dx, yy + dy, c.color) } }
            BitmapFont.draw(c.label, x: lx + 30, y: yy + 2, color: (0, 0, 0), into: &img)
        }
        let vy = ly + 22 + 16 * classes.count
        dot(&img, lx + 15, vy + 5, radius: 3, color: (26, 150, 65))
        BitmapFont.draw(target.subject == .villages ? "VILLAGE MEETS TARGET" : "ZONE MEETS TARGET", x: lx + 30, y: vy + 2, color: (0, 0, 0), into: &img)
        dot(&img, lx + 15, vy + 21, radius: 3, color: (228, 26, 28))
        BitmapFont.draw(target.subject == .villages ? "VILLAGE BELOW TARGET" : "ZONE BELOW TARGET", x: lx + 30, y: vy + 18, color: (0, 0, 0), into: &img)
        // Title and scale bar.
        let text = ascii(title)
        let tw = BitmapFont.width(text, scale: 2) + 12
        for yy in 4..<26 { for xx in 4..<(4 + tw) { img.set(xx, yy, (255, 255, 255), alpha: 0.85) } }
        BitmapFont.draw(text, x: 10, y: 8, scale: 2, color: (0, 0, 0), into: &img)
        let barKm = 10.0, barPx = Int(barKm * 1000 / (spec.resolutionM * Double(step)))
        if barPx < w - 40 {
            let bx = w - barPx - 20, by = h - 24
            for yy in (by - 14)..<(by + 10) { for xx in (bx - 6)..<(bx + barPx + 6) { img.set(xx, yy, (255, 255, 255), alpha: 0.85) } }
            for xx in bx..<(bx + barPx) { for dy in 0..<4 { img.set(xx, by + dy, (0, 0, 0)) } }
            BitmapFont.draw("10 KM", x: bx, y: by - 11, color: (0, 0, 0), into: &img)
        }
        return img
    }

    /// The background of a target's map: the best signal of its technologies classed against the threshold, one
    /// pixel per `step` grid cells (at most `maxSize` pixels on the long side).
    static func classImage(_ r: ComplianceResult, layers: ServiceLayers, targetIndex: Int, maxSize: Int) throws -> (RGBAImage, step: Int) {
        let spec = layers.spec
        let target = r.targets.targets[targetIndex]
        let step = max(1, Int(ceil(Double(max(spec.width, spec.height)) / Double(maxSize))))
        let w = max(1, spec.width / step), h = max(1, spec.height / step)
        var img = RGBAImage(width: w, height: h, fill: (242, 242, 238, 255))
        let totals = try layers.totalThresholds(r.settings.thresholds)
        let sel = layers.keys.indices.filter { target.technologies.contains(layers.keys[$0].technology) }
        for y in 0..<h {
            for x in 0..<w {
                let idx = (y * step) * spec.width + x * step
                var above: Float = -.infinity
                for k in sel {
                    let v = layers.totalDBm[k][idx]
                    if v != CoverageResult.nodata { above = max(above, v - totals[k]) }
                }
                if let c = classes.first(where: { above >= $0.aboveDB }) { img.set(x, y, c.color, alpha: 0.75) }
            }
        }
        return (img, step)
    }

    /// Upper-case ASCII for the bitmap font (Vietnamese diacritics dropped, đ → D).
    static func ascii(_ s: String) -> String {
        s.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
            .folding(options: [.diacriticInsensitive], locale: nil).uppercased()
    }

    static func dot(_ img: inout RGBAImage, _ x: Int, _ y: Int, radius: Int, color: (UInt8, UInt8, UInt8)) {
        guard radius >= 0 else { return }
        for dy in -radius...radius {
            for dx in -radius...radius where dx * dx + dy * dy <= radius * radius + radius {
                img.set(x + dx, y + dy, color)
            }
        }
    }

    static func line(_ img: inout RGBAImage, _ a: (Int, Int), _ b: (Int, Int), _ color: (UInt8, UInt8, UInt8), width: Int) {
        var x0 = a.0, y0 = a.1
        let x1 = b.0, y1 = b.1
        guard abs(x1 - x0) < 100_000, abs(y1 - y0) < 100_000 else { return }
        let dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            for ox in 0..<width { for oy in 0..<width { img.set(x0 + ox, y0 + oy, color) } }
            if x0 == x1 && y0 == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x0 += sx }
            if e2 <= dx { err += dx; y0 += sy }
        }
    }
}

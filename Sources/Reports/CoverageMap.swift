// PNG map of a coverage result: hillshade, best-signal classes, villages (uncovered in red), legend.
import Foundation
import Geo
import Analysis
import Radio

public enum CoverageMap {
    /// Signal classes of the map, strongest first: lower bound (dBm) and colour.
    public static let classes: [(lowerDBm: Float, color: (UInt8, UInt8, UInt8), label: String)] = [
        (-70, (0, 104, 55), ">= -70 DBM"),
        (-80, (49, 163, 84), "-80 TO -70"),
        (-90, (161, 217, 155), "-90 TO -80"),
        (-100, (254, 224, 139), "-100 TO -90"),
        (-110, (253, 174, 97), "-110 TO -100")
    ]

    /// Hillshade (0…1) of a grid of elevations, sun from the north-west at 45°, Horn's slope method.
    /// With `step` > 1 only the cells whose row and column are multiples of it are shaded (the others keep 0.8):
    /// a map drawn from every step-th cell needs no more, and those cells get the values of a full run.
    public static func hillshade(_ z: [Float], width: Int, height: Int, cellM: Double, step: Int = 1) -> [Float] {
        var out = [Float](repeating: 0.8, count: z.count)
        let az = 315.0 * .pi / 180, alt = 45.0 * .pi / 180
        func at(_ c: Int, _ r: Int) -> Double {
            let v = z[min(max(r, 0), height - 1) * width + min(max(c, 0), width - 1)]
            return v.isNaN ? 0 : Double(v)
        }
        // shade = cos(alt) cos(slope) + sin(alt) sin(slope) cos(A − aspect), A = az − π/2, with slope = atan(g),
        // g = |(p, q)|, and aspect = atan2(q, −p), written without trigonometry: cos(slope) = 1/√(1 + g²),
        // sin(slope) cos(A − aspect) = (−p cos A + q sin A)/√(1 + g²) (the same value to rounding; flat cells,
        // g = 0, give cos(alt) either way).
        let cosAlt = cos(alt), sinAlt = sin(alt), a = az - .pi / 2
        let px = -sinAlt * cos(a), qx = sinAlt * sin(a)
        for r in stride(from: 0, to: height, by: step) {
            for c in stride(from: 0, to: width, by: step) {
                let dzdx = ((at(c + 1, r - 1) + 2 * at(c + 1, r) + at(c + 1, r + 1)) - (at(c - 1, r - 1) + 2 * at(c - 1, r) + at(c - 1, r + 1))) / (8 * cellM)
                let dzdy = ((at(c - 1, r + 1) + 2 * at(c, r + 1) + at(c + 1, r + 1)) - (at(c - 1, r - 1) + 2 * at(c, r - 1) + at(c + 1, r - 1))) / (8 * cellM)
                let shade = (cosAlt + px * dzdx + qx * dzdy) / (1 + dzdx * dzdx + dzdy * dzdy).squareRoot()
                out[r * width + c] = Float(max(0, min(1, shade)))
            }
        }
        return out
    }

    /// Relief colour of a cell: hypsometric tint (lowland pale green-grey to upland brown) under the hillshade
    /// (`shade` 0…1 from `hillshade`; nil without terrain).
    public static func reliefColor(elevationM: Float, shade: Float?) -> (UInt8, UInt8, UInt8) {
        let s = Double(shade.map { 0.45 + 0.55 * $0 } ?? 0.9)
        let z = Double(elevationM)
        let t = z.isNaN ? 0 : min(max(z / 600, 0), 1)
        let tint = (236 - 40 * t, 238 - 60 * t, 226 - 80 * t)
        return (UInt8(max(0, min(255, tint.0 * s))), UInt8(max(0, min(255, tint.1 * s))), UInt8(max(0, min(255, tint.2 * s))))
    }

    /// The best-signal classes as a transparent overlay, one pixel per grid cell (cells below the last class or
    /// without value are transparent): the ground overlay of the KMZ for Google Earth.
    public static func signalOverlay(_ layers: CoverageLayers) throws -> RGBAImage {
        let spec = layers.spec, best = try layers.values(.bestSignal)
        var img = RGBAImage(width: spec.width, height: spec.height, fill: (0, 0, 0, 0))
        for i in 0..<spec.cellCount {
            let v = best[i]
            guard v != CoverageResult.nodata, let cls = classes.first(where: { v >= $0.lowerDBm }) else { continue }
            let k = 4 * i
            img.pixels[k] = cls.color.0; img.pixels[k + 1] = cls.color.1; img.pixels[k + 2] = cls.color.2; img.pixels[k + 3] = 170
        }
        return img
    }

    /// Renders the map at one pixel per grid cell (downsampled to at most `maxSize` pixels on the long side).
    public static func render(
        _ layers: CoverageLayers, villages: [VillageStatus], title: String,
        maxSize: Int = 1200
    ) throws -> RGBAImage {
        let spec = layers.spec, best = try layers.values(.bestSignal), ground = layers.groundM
        let step = max(1, Int(ceil(Double(max(spec.width, spec.height)) / Double(maxSize))))
        let w = spec.width / step, h = spec.height / step
        let legendH = 30 + 16 * (classes.count + 2)
        var img = RGBAImage(width: w, height: h, fill: (240, 240, 236, 255))
        let shade = ground.map { hillshade($0, width: spec.width, height: spec.height, cellM: spec.resolutionM, step: step) }
        for y in 0..<h {
            for x in 0..<w {
                let idx = (y * step) * spec.width + x * step
                img.set(x, y, reliefColor(elevationM: ground?[idx] ?? 0, shade: shade?[idx]))
                let v = best[idx]
                if v != CoverageResult.nodata, let cls = classes.first(where: { v >= $0.lowerDBm }) {
                    img.set(x, y, cls.color, alpha: 0.6)
                }
            }
        }
        let t = try CoordinateTransform(from: "EPSG:4326", to: spec.crs)
        for status in villages.sorted(by: { $0.covered(by: VillageAnalysis.targetTechnologies) && !$1.covered(by: VillageAnalysis.targetTechnologies) }) {
            guard let p = try? t.transform(x: status.village.longitude, y: status.village.latitude) else { continue }
            let px = spec.geoTransform.pixel(x: p.x, y: p.y)
            let x = Int(px.col) / step, y = Int(px.row) / step
            if status.covered(by: VillageAnalysis.targetTechnologies) {
                dot(&img, x, y, radius: 1, color: (60, 60, 60))
            } else {
                dot(&img, x, y, radius: 3, color: (90, 0, 0))
                dot(&img, x, y, radius: 2, color: (228, 26, 28))
            }
        }
        // Legend, bottom left.
        let lx = 8, ly = h - legendH - 8, lw = 190
        for yy in ly..<(ly + legendH) { for xx in lx..<(lx + lw) { img.set(xx, yy, (255, 255, 255), alpha: 0.85) } }
        BitmapFont.draw("BEST SIGNAL (DBM)", x: lx + 6, y: ly + 6, scale: 1, color: (0, 0, 0), into: &img)
        for (i, c) in classes.enumerated() {
            let yy = ly + 22 + 16 * i
            for dy in 0..<10 { for dx in 0..<18 { img.set(lx + 6 + dx, yy + dy, c.color) } }
            BitmapFont.draw(c.label, x: lx + 30, y: yy + 2, color: (0, 0, 0), into: &img)
        }
        let vy = ly + 22 + 16 * classes.count
        dot(&img, lx + 15, vy + 5, radius: 3, color: (90, 0, 0)); dot(&img, lx + 15, vy + 5, radius: 2, color: (228, 26, 28))
        BitmapFont.draw("VILLAGE WITHOUT 4G/5G", x: lx + 30, y: vy + 2, color: (0, 0, 0), into: &img)
        dot(&img, lx + 15, vy + 21, radius: 1, color: (60, 60, 60))
        BitmapFont.draw("VILLAGE COVERED", x: lx + 30, y: vy + 18, color: (0, 0, 0), into: &img)
        // Title and scale bar, top left.
        let tw = BitmapFont.width(title, scale: 2) + 12
        for yy in 4..<26 { for xx in 4..<(4 + tw) { img.set(xx, yy, (255, 255, 255), alpha: 0.85) } }
        BitmapFont.draw(title, x: 10, y: 8, scale: 2, color: (0, 0, 0), into: &img)
        let barKm = 10.0, barPx = Int(barKm * 1000 / (spec.resolutionM * Double(step)))
        let bx = w - barPx - 20, by = h - 24
        for yy in (by - 14)..<(by + 10) { for xx in (bx - 6)..<(bx + barPx + 6) { img.set(xx, yy, (255, 255, 255), alpha: 0.85) } }
        for xx in bx..<(bx + barPx) { for dy in 0..<4 { img.set(xx, by + dy, (0, 0, 0)) } }
        BitmapFont.draw("10 KM", x: bx, y: by - 11, color: (0, 0, 0), into: &img)
        return img
    }

    static func dot(_ img: inout RGBAImage, _ x: Int, _ y: Int, radius: Int, color: (UInt8, UInt8, UInt8)) {
        for dy in -radius...radius {
            for dx in -radius...radius where dx * dx + dy * dy <= radius * radius + radius {
                img.set(x + dx, y + dy, color)
            }
        }
    }
}

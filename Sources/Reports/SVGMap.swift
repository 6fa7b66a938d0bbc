// Maps of the HTML reports as inline SVG: the raster background (signal classes, hillshade) as an embedded PNG
// without any text, and over it everything people read as vectors with real text (boundaries, names, legend,
// scale bar), so that names keep their Vietnamese diacritics and stay sharp at any zoom.
import Foundation
import Geo

struct SVGMap {
    let width: Double
    let height: Double
    private(set) var body = ""
    /// Boxes of the labels placed so far (x0, y0, x1, y1), for `label` to avoid them.
    var placedLabels: [(Double, Double, Double, Double)] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    static func hex(_ c: (UInt8, UInt8, UInt8)) -> String { String(format: "#%02x%02x%02x", c.0, c.1, c.2) }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func n(_ x: Double) -> String { String(format: "%.1f", x) }

    /// A raster drawn at (x, y) with size w × h: PNG through GDAL, base64 in the document.
    mutating func image(_ img: RGBAImage, x: Double, y: Double, w: Double, h: Double) throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-svg-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        try img.writePNG(to: tmp)
        let png = try Data(contentsOf: URL(fileURLWithPath: tmp))
        body +=
            "<image x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(w))\" height=\"\(Self.n(h))\" preserveAspectRatio=\"none\" href=\"data:image/png;base64,\(png.base64EncodedString())\"/>\n"
    }

    /// Text with a white halo (readable over any background).
    mutating func text(
        _ s: String, x: Double, y: Double, size: Double = 12, anchor: String = "start", weight: String = "normal",
        color: String = "#111", italic: Bool = false, halo: Bool = true
    ) {
        let style = italic ? " font-style=\"italic\"" : ""
        let haloAttrs = halo ? " stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"" : ""
        body +=
            "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" font-size=\"\(Self.n(size))\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" fill=\"\(color)\"\(style)\(haloAttrs)>\(Self.esc(s))</text>\n"
    }

    mutating func circle(
        x: Double, y: Double, r: Double, fill: String, stroke: String = "#282828", strokeWidth: Double = 0.8, title: String? = nil, cls: String? = nil
    ) {
        let t = title.map { "<title>\(Self.esc($0))</title>" } ?? ""
        body +=
            "<circle\(Self.classAttr(cls)) cx=\"\(Self.n(x))\" cy=\"\(Self.n(y))\" r=\"\(Self.n(r))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(strokeWidth))\">\(t)</circle>\n"
    }

    mutating func rect(x: Double, y: Double, w: Double, h: Double, fill: String, stroke: String = "none", opacity: Double = 1) {
        body +=
            "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(w))\" height=\"\(Self.n(h))\" fill=\"\(fill)\" stroke=\"\(stroke)\" fill-opacity=\"\(Self.n(opacity))\"/>\n"
    }

    /// Closed rings (polygons with holes) as one path.
    mutating func rings(
        _ rings: [[(Double, Double)]], stroke: String, width: Double, fill: String = "none", dash: String? = nil, title: String? = nil,
        fillOpacity: Double = 1, cls: String? = nil
    ) {
        let d = rings.filter { $0.count > 1 }.map { ring in
            "M" + ring.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: "L") + "Z"
        }.joined()
        guard !d.isEmpty else { return }
        let t = title.map { "<title>\(Self.esc($0))</title>" } ?? ""
        let dashAttr = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        let opacity = fillOpacity < 1 ? " fill-opacity=\"\(Self.n(fillOpacity))\"" : ""
        body +=
            "<path\(Self.classAttr(cls)) d=\"\(d)\" fill=\"\(fill)\"\(opacity) fill-rule=\"evenodd\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\"\(dashAttr)>\(t)</path>\n"
    }

    mutating func raw(_ s: String) { body += s + "\n" }

    static func classAttr(_ cls: String?) -> String { cls.map { " class=\"\(esc($0))\"" } ?? "" }

    /// A legend box at (x, y): a title and rows of a swatch (square) or a dot, with their text.
    mutating func legend(x: Double, y: Double, title: String, rows: [(shape: String, color: String, label: String)]) {
        let w = max(16 + 7.6 * Double(title.count), 40 + 6.8 * Double(rows.map(\.label.count).max() ?? 10)), h = 26 + 18 * Double(rows.count)
        rect(x: x, y: y, w: w, h: h, fill: "#ffffff", stroke: "#999", opacity: 0.9)
        text(title, x: x + 8, y: y + 17, size: 12.5, weight: "bold", halo: false)
        for (i, r) in rows.enumerated() {
            let yy = y + 26 + 18 * Double(i)
            if r.shape == "dot" {
                circle(x: x + 17, y: yy + 6, r: 4.5, fill: r.color)
            } else {
                rect(x: x + 8, y: yy, w: 18, h: 11, fill: r.color, stroke: "#555")
            }
            text(r.label, x: x + 32, y: yy + 10, size: 12, halo: false)
        }
    }

    /// A scale bar of `km` kilometres ending at (xRight, y), for `pxPerKm` drawing units per kilometre.
    mutating func scaleBar(km: Double, pxPerKm: Double, xRight: Double, y: Double) {
        let len = km * pxPerKm
        guard len > 10, len < width - 40 else { return }
        rect(x: xRight - len - 8, y: y - 18, w: len + 16, h: 26, fill: "#ffffff", opacity: 0.85)
        rect(x: xRight - len, y: y, w: len, h: 4, fill: "#111")
        text("\(Int(km)) km", x: xRight - len / 2, y: y - 4, size: 12, anchor: "middle", halo: false)
    }

    func render(label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" width=\"100%\" style=\"max-width:\(Int(width))px;font-family:system-ui,sans-serif;border:1px solid #ccc\" role=\"img\" aria-label=\"\(Self.esc(label))\">\n"
            + body + "</svg>"
    }
}

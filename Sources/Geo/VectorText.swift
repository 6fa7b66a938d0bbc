// GeoJSON and KML files of tanso's layers written directly as text: the bytes GDAL 3.6's GeoJSON driver (with
// RFC7946=YES) and KML driver write for the same layers through `VectorWriter`'s OGR path, at a fraction of the
// cost. OGR builds a json-c object or a string per coordinate and formats every number through printf or an
// ostringstream; scenario A's coverage polygons (20,485 vertices) took 0.13–0.17 CPU s in those two drivers.
//
// What is reproduced, each rule as the drivers apply it:
//  - GeoJSON (RFC 7946): coordinates with 7 decimals, correctly rounded, then GDAL's "intelliround" (trailing
//    00000x or 99999x taken for representation noise) and its trailing-zero removal; exterior rings counter-
//    clockwise and interior rings clockwise (GDAL's orientation test: the turn at the lowest rightmost vertex,
//    else the signed area); reals with 17 significant digits, fewer when the text holds a run of 0s or 9s; json-c's
//    spacing and string escapes.
//  - KML: the Schema, Folder and Placemark layout of the driver, its Name field (the label) and default polygon
//    style, fields as OGR prints them (%.15g reals, unescaped; text XML-escaped), coordinates as OGR's WKT
//    coordinates (%.15G for |v| ≥ 1, whole numbers as such).
// What is not reproduced makes the writer return nil, and OGR writes the file: coordinates with |v| < 1 in KML,
// beyond ±179° / ±89° (the drivers' antimeridian and clamping rules), or not finite; rings of fewer than 4 points;
// text that is not valid UTF-8, holds a byte-order mark, or (GeoJSON) looks like a JSON object or array (the driver
// embeds it as JSON); layer and field names outside [A-Za-z0-9_-].
// The tests write the same layers both ways and compare the files byte for byte.
import Foundation

enum VectorText {
    // MARK: GeoJSON

    /// The GeoJSON file of one layer as OGR's driver writes it with RFC7946=YES, or nil (see above).
    static func geoJSON(_ layer: LayerStream) -> [UInt8]? {
        guard plainName(layer.name), layer.fields.allSatisfy({ plainName($0.name) }) else { return nil }
        var out = Text()
        out.add("{\n\"type\": \"FeatureCollection\",\n\"name\": \"")
        out.add(layer.name)
        out.add("\",\n\"features\": [\n")
        for i in 0..<layer.count {
            if i > 0 { out.add(",\n") }
            var fields = FeatureFields(recording: layer.fields.count)
            layer.values(i, &fields)
            out.add("{ \"type\": \"Feature\", \"properties\": {")
            for (k, field) in layer.fields.enumerated() {
                out.add(k == 0 ? " \"" : ", \"")
                out.add(field.name)
                out.add("\": ")
                switch fields.recorded[k] {
                case .null: out.add("null")
                case .integer(let n): out.add(String(n))
                case .real(let x): out.add(jsonReal(x))
                case .string(let s):
                    // The driver parses text that looks like a JSON object or array and embeds it as JSON.
                    if let f = s.utf8.first, let l = s.utf8.last,
                        (f == UInt8(ascii: "{") && l == UInt8(ascii: "}")) || (f == UInt8(ascii: "[") && l == UInt8(ascii: "]"))
                    {
                        return nil
                    }
                    out.add("\"")
                    guard out.jsonString(s) else { return nil }
                    out.add("\"")
                }
            }
            out.add(" }, \"geometry\": ") // (an empty object is "{ }" in json-c's spaced style)
            if layer.geometryType != .none, let g = layer.geometry(i) {
                guard geoJSONGeometry(forced(g, layer.geometryType), into: &out) else { return nil }
            } else {
                out.add("null")
            }
            out.add(" }")
        }
        out.add("\n]\n}\n")
        return out.bytes
    }

    /// A geometry as OGR makes it for a layer of `kind` (`VectorWriter.makeOGRGeometry`): a polygon in a
    /// multipolygon layer becomes a multipolygon; rings are closed.
    static func forced(_ g: Geometry, _ kind: LayerData.GeometryKind) -> Geometry {
        func closed(_ r: [Coordinate]) -> [Coordinate] {
            if let f = r.first, let l = r.last, f != l { return r + [f] }
            return r
        }
        switch g {
        case .point, .lineString: return g
        case .polygon(let rings):
            let p = rings.map(closed)
            return kind == .multiPolygon ? .multiPolygon([p]) : .polygon(p)
        case .multiPolygon(let ps): return .multiPolygon(ps.map { $0.map(closed) })
        }
    }

    static func geoJSONGeometry(_ g: Geometry, into out: inout Text) -> Bool {
        switch g {
        case .point(let c):
            out.add("{ \"type\": \"Point\", \"coordinates\": ")
            guard geoJSONPosition(c, into: &out) else { return false }
        case .lineString(let cs):
            guard !cs.isEmpty else { return false }
            out.add("{ \"type\": \"LineString\", \"coordinates\": [ ")
            for (k, c) in cs.enumerated() {
                if k > 0 { out.add(", ") }
                guard geoJSONPosition(c, into: &out) else { return false }
            }
            out.add(" ]")
        case .polygon(let rings):
            out.add("{ \"type\": \"Polygon\", \"coordinates\": ")
            guard geoJSONPolygon(rings, into: &out) else { return false }
        case .multiPolygon(let ps):
            guard !ps.isEmpty else { return false }
            out.add("{ \"type\": \"MultiPolygon\", \"coordinates\": [ ")
            for (k, p) in ps.enumerated() {
                if k > 0 { out.add(", ") }
                guard geoJSONPolygon(p, into: &out) else { return false }
            }
            out.add(" ]")
        }
        out.add(" }")
        return true
    }

    /// A polygon's rings, the exterior counter-clockwise and the holes clockwise (RFC 7946 §3.1.6).
    static func geoJSONPolygon(_ rings: [[Coordinate]], into out: inout Text) -> Bool {
        guard !rings.isEmpty else { return false }
        out.add("[ ")
        for (k, ring) in rings.enumerated() {
            guard ring.count >= 4 else { return false }
            if k > 0 { out.add(", ") }
            out.add("[ ")
            let reverse = k == 0 ? isClockwise(ring) : !isClockwise(ring)
            for j in 0..<ring.count {
                if j > 0 { out.add(", ") }
                guard geoJSONPosition(ring[reverse ? ring.count - 1 - j : j], into: &out) else { return false }
            }
            out.add(" ]")
        }
        out.add(" ]")
        return true
    }

    static func geoJSONPosition(_ c: Coordinate, into out: inout Text) -> Bool {
        guard inRange(c) else { return false }
        out.add("[ ")
        out.fixed7(c.x)
        out.add(", ")
        out.fixed7(c.y)
        out.add(" ]")
        return true
    }

    /// Away from the antimeridian and the poles, where the drivers split, wrap or clamp.
    @inline(__always) static func inRange(_ c: Coordinate) -> Bool { abs(c.x) <= 179 && abs(c.y) <= 89 }

    /// GDAL's ring orientation (OGRLinearRing::isClockwise) on a closed ring: the turn at the lowest rightmost
    /// vertex, unless that vertex is repeated or a neighbour lies within 1e-5 of it; then the signed area.
    static func isClockwise(_ p: [Coordinate]) -> Bool {
        let n = p.count
        if n < 2 { return true }
        var fallback = false
        var v = 0
        for i in 1..<(n - 1) {
            if p[i].y < p[v].y || (p[i].y == p[v].y && p[i].x > p[v].x) {
                v = i
                fallback = false
            } else if p[i].y == p[v].y && p[i].x == p[v].x {
                fallback = true
            }
        }
        let eps = 1e-5
        func near(_ a: Coordinate, _ b: Coordinate) -> Bool { abs(a.x - b.x) < eps && abs(a.y - b.y) < eps }
        var prev = v - 1
        if prev < 0 { prev = n - 2 }
        if near(p[prev], p[v]) { fallback = true }
        let dx0 = p[prev].x - p[v].x, dy0 = p[prev].y - p[v].y
        var next = v + 1
        if next >= n - 1 { next = 0 }
        if near(p[next], p[v]) { fallback = true }
        let dx1 = p[next].x - p[v].x, dy1 = p[next].y - p[v].y
        let cross = dx1 * dy0 - dx0 * dy1
        if !fallback {
            if cross > 0 { return false }
            if cross < 0 { return true }
        }
        var sum = p[0].x * (p[1].y - p[n - 1].y)
        for i in 1..<(n - 1) { sum += p[i].x * (p[i + 1].y - p[i - 1].y) }
        sum += p[n - 1].x * (p[0].y - p[n - 2].y)
        return sum < 0
    }

    /// A real property as the driver prints it: %.17g, or %.16g … %.14g when the text after the point holds a run of
    /// six 0s or 9s (the first of those without one; %.17g when none is), and ".0" after a whole number.
    static func jsonReal(_ x: Double) -> String {
        func noisy(_ s: String) -> Bool {
            guard let dot = s.firstIndex(of: ".") else { return false }
            let tail = s[dot...]
            return tail.contains("999999") || tail.contains("000000")
        }
        var s = cFormat("%.17g", x)
        if noisy(s) {
            var found = false
            for digits in [16, 15, 14] {
                s = cFormat("%.\(digits)g", x)
                if s.contains("."), !noisy(s) {
                    found = true
                    break
                }
            }
            if !found { s = cFormat("%.17g", x) }
        }
        if !s.contains("."), !s.contains("e") { s += ".0" }
        return s
    }

    // MARK: KML

    /// The KML file of `layers` as OGR's driver writes it, or nil (see above).
    static func kml(_ layers: [LayerStream]) -> [UInt8]? {
        guard layers.allSatisfy({ plainName($0.name) && $0.fields.allSatisfy { plainName($0.name) } }) else { return nil }
        var out = Text()
        out.add("<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document id=\"root_doc\">\n")
        var wrote = Array(repeating: 0, count: layers.count)
        var schemaWritten = Array(repeating: false, count: layers.count)
        for (n, layer) in layers.enumerated() {
            if n > 0 {
                if n == 1 && wrote[0] == 0 { out.add("<Folder><name>\(layers[0].name)</name>\n") }
                out.add("</Folder>\n<Folder><name>\(layer.name)</name>\n")
            }
            // The driver's layer has its Name and Description fields first; Name takes the label (`writeLayer`): the
            // row's `name` field, else its first text field.
            let label = layer.fields.firstIndex(where: { $0.name.lowercased() == "name" }) ?? layer.fields.firstIndex(where: { $0.kind == .string })
            if let label, layer.fields[label].kind != .string { return nil }
            let names: [String] = ["Name", "Description"] + layer.fields.map(\.name)
            let lower = names.map { $0.lowercased() } // the driver matches Name and Description in any case
            for i in 0..<layer.count {
                if n == 0 && i == 0 {
                    out.add(kmlSchema(layer))
                    schemaWritten[0] = true
                    out.add("<Folder><name>\(layer.name)</name>\n")
                }
                var fields = FeatureFields(recording: layer.fields.count)
                layer.values(i, &fields)
                // The driver's Name (the label, when it has a value) and Description (never set), then the row's.
                var values: [FieldValue] = [.null, .null] + fields.recorded
                if let label, case .string = fields.recorded[label] { values[0] = fields.recorded[label] }
                out.add("  <Placemark>\n")
                for k in names.indices where values[k] != .null && lower[k] == "name" {
                    out.add("\t<name>")
                    guard out.xmlEscaped(trimmingLeadingSpaces(text(values[k]))) else { return nil }
                    out.add("</name>\n")
                }
                for k in names.indices where values[k] != .null && lower[k] == "description" {
                    out.add("\t<description>")
                    guard out.xmlEscaped(trimmingLeadingSpaces(text(values[k]))) else { return nil }
                    out.add("</description>\n")
                }
                let geometry = layer.geometryType == .none ? nil : layer.geometry(i).map { forced($0, layer.geometryType) }
                switch geometry {
                case .polygon?, .multiPolygon?, .lineString?:
                    out.add("\t<Style><LineStyle><color>ff0000ff</color></LineStyle><PolyStyle><fill>0</fill></PolyStyle></Style>\n")
                default: break
                }
                var opened = false
                for (k, name) in names.enumerated() where values[k] != .null && lower[k] != "name" && lower[k] != "description" {
                    if !opened {
                        out.add("\t<ExtendedData><SchemaData schemaUrl=\"#\(layer.name)\">\n")
                        opened = true
                    }
                    out.add("\t\t<SimpleData name=\"\(name)\">")
                    let t = trimmingLeadingSpaces(text(values[k]))
                    if case .real = values[k] {
                        out.add(t)
                    } else {
                        guard out.xmlEscaped(t) else { return nil }
                    }
                    out.add("</SimpleData>\n")
                }
                if opened { out.add("\t</SchemaData></ExtendedData>\n") }
                if let geometry {
                    out.add("      ")
                    guard kmlGeometry(geometry, into: &out) else { return nil }
                    out.add("\n")
                }
                out.add("  </Placemark>\n")
                wrote[n] += 1
            }
        }
        if !layers.isEmpty {
            if layers.count == 1 && wrote[0] == 0 { out.add("<Folder><name>\(layers[0].name)</name>\n") }
            out.add("</Folder>\n")
            for (n, layer) in layers.enumerated() where !schemaWritten[n] && wrote[n] != 0 { out.add(kmlSchema(layer)) }
        }
        out.add("</Document></kml>\n")
        return out.bytes
    }

    /// A layer's Schema element (empty when it has no field besides Name and Description).
    static func kmlSchema(_ layer: LayerStream) -> String {
        var s = ""
        for field in layer.fields {
            let lower = field.name.lowercased()
            if lower == "name" || lower == "description" { continue }
            if s.isEmpty { s = "<Schema name=\"\(layer.name)\" id=\"\(layer.name)\">\n" }
            // OGR's Integer64 fields (tanso's integers) fall to the driver's default type, string.
            let type = field.kind == .real ? "float" : "string"
            s += "\t<SimpleField name=\"\(field.name)\" type=\"\(type)\"></SimpleField>\n"
        }
        return s.isEmpty ? s : s + "</Schema>\n"
    }

    /// A field's text as OGR_F_GetFieldAsString gives it.
    static func text(_ v: FieldValue) -> String {
        switch v {
        case .string(let s): return s
        case .integer(let n): return String(n)
        case .real(let x): return cFormat("%.15g", x)
        case .null: return ""
        }
    }

    static func trimmingLeadingSpaces(_ s: String) -> String {
        guard s.utf8.first == UInt8(ascii: " ") else { return s }
        return String(s.drop(while: { $0 == " " }))
    }

    static func kmlGeometry(_ g: Geometry, into out: inout Text) -> Bool {
        switch g {
        case .point(let c):
            out.add("<Point><coordinates>")
            guard out.kmlCoordinate(c) else { return false }
            out.add("</coordinates></Point>")
        case .lineString(let cs):
            guard !cs.isEmpty else { return false }
            out.add("<LineString>")
            guard kmlCoordinates(cs, into: &out) else { return false }
            out.add("</LineString>")
        case .polygon(let rings):
            guard kmlPolygon(rings, into: &out) else { return false }
        case .multiPolygon(let ps):
            guard !ps.isEmpty else { return false }
            out.add("<MultiGeometry>")
            for p in ps { guard kmlPolygon(p, into: &out) else { return false } }
            out.add("</MultiGeometry>")
        }
        return true
    }

    static func kmlPolygon(_ rings: [[Coordinate]], into out: inout Text) -> Bool {
        guard !rings.isEmpty else { return false }
        out.add("<Polygon>")
        for (k, ring) in rings.enumerated() {
            guard ring.count >= 4 else { return false }
            out.add(k == 0 ? "<outerBoundaryIs><LinearRing>" : "<innerBoundaryIs><LinearRing>")
            guard kmlCoordinates(ring, into: &out) else { return false }
            out.add(k == 0 ? "</LinearRing></outerBoundaryIs>" : "</LinearRing></innerBoundaryIs>")
        }
        out.add("</Polygon>")
        return true
    }

    static func kmlCoordinates(_ cs: [Coordinate], into out: inout Text) -> Bool {
        out.add("<coordinates>")
        for (k, c) in cs.enumerated() {
            if k > 0 { out.add(" ") }
            guard out.kmlCoordinate(c) else { return false }
        }
        out.add("</coordinates>")
        return true
    }

    // MARK: Text

    /// Names written as they are by both drivers (JSON keys, XML attribute values): ASCII letters, digits, _ and -.
    static func plainName(_ s: String) -> Bool {
        !s.isEmpty
            && s.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
            }
    }

    static func cFormat(_ format: String, _ x: Double) -> String {
        withVaList([x]) { va in
            withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf in
                _ = vsnprintf(buf.baseAddress!, 64, format, va)
                return String(cString: buf.baseAddress!)
            }
        }
    }

    /// A growing byte buffer with the writers' number and string encodings.
    struct Text {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(1 << 16) }

        @inline(__always) mutating func add(_ s: String) { bytes.append(contentsOf: s.utf8) }

        /// `s` as json-c writes a string's characters (between the quotes) with GDAL's flags: " and \ escaped,
        /// control characters as \b \f \n \r \t or \u00xx, / as it is. False when `s` is not valid UTF-8 or holds a byte-order mark.
        mutating func jsonString(_ s: String) -> Bool {
            guard plainText(s) else { return false }
            let hex = Array("0123456789abcdef".utf8)
            for c in s.utf8 {
                switch c {
                case 0x08: add("\\b")
                case 0x0A: add("\\n")
                case 0x0D: add("\\r")
                case 0x09: add("\\t")
                case 0x0C: add("\\f")
                case 0x22: add("\\\"")
                case 0x5C: add("\\\\")
                case ..<0x20:
                    add("\\u00")
                    bytes.append(hex[Int(c >> 4)])
                    bytes.append(hex[Int(c & 15)])
                default: bytes.append(c)
                }
            }
            return true
        }

        /// `s` XML-escaped as GDAL escapes text (CPLES_XML): & < > " as entities, control characters other than tab,
        /// line feed and carriage return dropped. False when `s` is not valid UTF-8 or holds a byte-order mark.
        mutating func xmlEscaped(_ s: String) -> Bool {
            guard plainText(s) else { return false }
            for c in s.utf8 {
                switch c {
                case 0x3C: add("&lt;")
                case 0x3E: add("&gt;")
                case 0x26: add("&amp;")
                case 0x22: add("&quot;")
                case 0x09, 0x0A, 0x0D: bytes.append(c)
                case ..<0x20: continue
                default: bytes.append(c)
                }
            }
            return true
        }

        /// Valid UTF-8 (a Swift string made from invalid bytes holds U+FFFD instead) without a byte-order mark.
        func plainText(_ s: String) -> Bool {
            !s.unicodeScalars.contains { $0 == "\u{FEFF}" || $0 == "\u{FFFD}" }
        }

        /// A GeoJSON coordinate: 7 decimals, correctly rounded; GDAL's intelliround; trailing zeros removed but one.
        mutating func fixed7(_ v: Double) {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buf in
                let b = buf.baseAddress!
                var len = DecimalText.fixed(v, decimals: 7, into: b)
                len = DecimalText.intelliround(b, len)
                len = DecimalText.removeTrailingZeros(b, len)
                bytes.append(contentsOf: UnsafeBufferPointer(start: b, count: len))
            }
        }

        /// A KML coordinate x,y as OGR's WKT coordinates: both whole (and within Int32): as integers; else each
        /// %.15G, ".0" after a non-negative whole number. False for |v| < 1 (OGR's fixed notation) and out of range.
        mutating func kmlCoordinate(_ c: Coordinate) -> Bool {
            guard inRange(c) else { return false }
            if c.x == c.x.rounded(.towardZero) && c.y == c.y.rounded(.towardZero) {
                add(String(Int32(c.x)))
                add(",")
                add(String(Int32(c.y)))
                return true
            }
            guard g15(c.x) else { return false }
            add(",")
            return g15(c.y)
        }

        mutating func g15(_ v: Double) -> Bool {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buf in
                let b = buf.baseAddress!
                guard let len = DecimalText.g15(v, into: b) else { return false }
                bytes.append(contentsOf: UnsafeBufferPointer(start: b, count: len))
                if v >= 0 && !UnsafeBufferPointer(start: b, count: len).contains(UInt8(ascii: ".")) { add(".0") }
                return true
            }
        }
    }
}

/// Decimal text of doubles as glibc's printf makes it: the exact binary value rounded to the digits asked, ties to
/// even. Each function writes ASCII at `b` (room for 48 bytes) and returns its length.
enum DecimalText {
    static let powers: [UInt64] = (0...18).map { k in (0..<k).reduce(UInt64(1)) { p, _ in p * 10 } }

    /// round(a · 10^d) for a ≥ 0 finite, d ≤ 14, exactly (a = m · 2^e, m · 10^d < 2^100 in 128 bits); nil when the
    /// result is 2^63 or more.
    static func scaled(_ a: Double, decimals d: Int) -> UInt64? {
        if a == 0 { return 0 }
        let normal = a.exponentBitPattern != 0
        let m = UInt128(a.significandBitPattern | (normal ? 1 << 52 : 0))
        let e = (normal ? Int(a.exponentBitPattern) : 1) - 1075
        let p = m * UInt128(powers[d])
        if e >= 0 {
            guard e < 64 else { return nil }
            let v = p << e
            return v < (UInt128(1) << 63) ? UInt64(v) : nil
        }
        let s = -e
        if s > 101 { return 0 } // p < 2^100 ≤ 2^(s−1): below one half
        var q = p >> s
        let r = p & ((UInt128(1) << s) - 1), half = UInt128(1) << (s - 1)
        if r > half || (r == half && q & 1 == 1) { q += 1 }
        return q < (UInt128(1) << 63) ? UInt64(q) : nil
    }

    /// Digits of n (≥ 0) at b; their count.
    @inline(__always)
    static func digits(_ n: UInt64, _ b: UnsafeMutablePointer<UInt8>, minimum: Int = 1) -> Int {
        var t = n, k = 0
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes of scratch: at most 20 digits
        withUnsafeMutableBytes(of: &tmp) { raw in
            let d = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            repeat {
                d[k] = UInt8(ascii: "0") + UInt8(t % 10)
                t /= 10
                k += 1
            } while t > 0 || k < minimum
            for j in 0..<k { b[j] = d[k - 1 - j] }
        }
        return k
    }

    /// printf("%.{d}f", v) for finite |v| with |v| · 10^d < 2^63 (tanso's coordinates); the sign of a negative value
    /// that rounds to zero is kept, as printf keeps it.
    static func fixed(_ v: Double, decimals d: Int, into b: UnsafeMutablePointer<UInt8>) -> Int {
        var len = 0
        if v.sign == .minus {
            b[0] = UInt8(ascii: "-")
            len = 1
        }
        let n = scaled(abs(v), decimals: d) ?? 0
        let p = powers[d]
        len += digits(n / p, b + len)
        if d > 0 {
            b[len] = UInt8(ascii: ".")
            len += 1
            len += digits(n % p, b + len, minimum: d)
        }
        return len
    }

    /// printf("%.15G", v) for 1 ≤ |v| < 10^15 (fixed notation, trailing zeros and a bare point removed); nil
    /// otherwise.
    static func g15(_ v: Double, into b: UnsafeMutablePointer<UInt8>) -> Int? {
        let a = abs(v)
        guard a >= 1, a < 1e15 else { return nil }
        var whole = UInt64(a), e = 0 // e: the decimal exponent of a
        while whole >= 10 {
            whole /= 10
            e += 1
        }
        var d = 14 - e // decimals for 15 significant digits
        guard var n = scaled(a, decimals: d) else { return nil }
        if n == powers[15] { // rounded up to the next power of ten
            guard d > 0 else { return nil } // 10^15: printf's exponent notation
            n = powers[14]
            d -= 1
        }
        var len = 0
        if v < 0 {
            b[0] = UInt8(ascii: "-")
            len = 1
        }
        let p = powers[d]
        len += digits(n / p, b + len)
        var frac = n % p, fd = d
        while fd > 0 && frac % 10 == 0 {
            frac /= 10
            fd -= 1
        }
        if fd > 0 {
            b[len] = UInt8(ascii: ".")
            len += 1
            len += digits(frac, b + len, minimum: fd)
        }
        return len
    }

    /// GDAL's intelliround (ogrutils.cpp) on a fixed-notation number of `len` bytes at b: a text of more than 10
    /// characters ending in five 0s and one more digit loses that digit; one ending in 9s is rounded up where they
    /// start; two longer patterns do the same for larger numbers. Returns the new length.
    static func intelliround(_ b: UnsafeMutablePointer<UInt8>, _ len: Int) -> Int {
        let i = len
        guard i > 10, let dot = (0..<len).first(where: { b[$0] == UInt8(ascii: ".") }) else { return len }
        var before = dot - 1 // (GDAL's count of the digits before the point, one less than there are)
        if b[0] == UInt8(ascii: "-") { before -= 1 }
        func at(_ k: Int) -> UInt8 { b[k] }
        let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
        if at(i - 2) == zero && at(i - 3) == zero && at(i - 4) == zero && at(i - 5) == zero && at(i - 6) == zero {
            return len - 1
        }
        if dot < i - 8 && (before >= 4 || at(i - 3) == zero) && (before >= 5 || at(i - 4) == zero)
            && (before >= 6 || at(i - 5) == zero) && (before >= 7 || at(i - 6) == zero)
            && (before >= 8 || at(i - 7) == zero) && at(i - 8) == zero && at(i - 9) == zero
        {
            return len - 8
        }
        if at(i - 2) == nine && at(i - 3) == nine && at(i - 4) == nine && at(i - 5) == nine && at(i - 6) == nine {
            return roundUp(b, i - 6)
        }
        if dot < i - 9 && (before >= 4 || at(i - 3) == nine) && (before >= 5 || at(i - 4) == nine)
            && (before >= 6 || at(i - 5) == nine) && (before >= 7 || at(i - 6) == nine)
            && (before >= 8 || at(i - 7) == nine) && at(i - 8) == nine && at(i - 9) == nine
        {
            return roundUp(b, i - 9)
        }
        return len
    }

    /// Adds one to the last digit of the number at b (carrying over the point; a leading 1 when it carries out).
    static func roundUp(_ b: UnsafeMutablePointer<UInt8>, _ len: Int) -> Int {
        let first = b[0] == UInt8(ascii: "-") ? 1 : 0
        var k = len - 1
        while k >= first {
            if b[k] == UInt8(ascii: ".") {
                k -= 1
                continue
            }
            if b[k] == UInt8(ascii: "9") {
                b[k] = UInt8(ascii: "0")
                k -= 1
            } else {
                b[k] += 1
                return len
            }
        }
        // Carried out of the first digit: "1" in front.
        var j = len
        while j > first {
            b[j] = b[j - 1]
            j -= 1
        }
        b[first] = UInt8(ascii: "1")
        return len + 1
    }

    /// GDAL's removeTrailingZeros: with a point, the zeros at the end go, but one after the point stays.
    static func removeTrailingZeros(_ b: UnsafeMutablePointer<UInt8>, _ len: Int) -> Int {
        guard (0..<len).contains(where: { b[$0] == UInt8(ascii: ".") }) else { return len }
        var n = len
        while n > 0 && b[n - 1] == UInt8(ascii: "0") { n -= 1 }
        if b[n - 1] == UInt8(ascii: ".") {
            b[n] = UInt8(ascii: "0")
            n += 1
        }
        return n
    }
}

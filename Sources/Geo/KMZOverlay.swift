// A KMZ super-overlay for Google Earth: the image warped to WGS 84, cut into a pyramid of 256-pixel PNG tiles,
// each level twice as fine as the one above, every tile a small KML document (a Region with its level of detail,
// the GroundOverlay, and NetworkLinks to its children), zipped by GDAL's ZIP writer with doc.kml first.
//
// The documents are laid out as GDAL's KMLSUPEROVERLAY driver lays out its own, and that driver reads these files
// back (the tests open them with it). GDAL's writer keeps the image's own grid and places each tile by a
// gx:LatLonQuad; here the image is warped first, so every tile is a plain LatLonBox. GDAL's writer also encodes its
// tiles through libpng and zlib at level 6, with no option to ask for less: on scenario A's overlay that job took
// about 0.2 s of CPU, half of it in zlib. Here the tiles go through `PNGEncoder` (DEFLATE level 1 on libdeflate)
// and are stored in the ZIP as they are (PNG is compressed already); tiles whose area is fully transparent are
// left out with their descendants.
import CGDAL
import Foundation

extension RGBAImage {
    /// Writes the image as a KMZ super-overlay for Google Earth: georeferenced by `geoTransform` in `crs`, warped to
    /// WGS 84 (`warpedToWGS84`: nearest pixel; transparent outside the image), cut into PNG tiles with level-of-detail
    /// regions (so large overlays stay fluid). Transparent pixels (alpha 0) stay transparent. Written atomically.
    public func writeKMZ(to path: String, geoTransform: GeoTransform, crs: String, name: String) throws {
        let (geo, geoTransform4326) = try warpedToWGS84(geoTransform: geoTransform, crs: crs, path: path)
        let pyramid = KMZPyramid(image: geo, geoTransform: geoTransform4326)
        let out = try AtomicOutput(path: path)
        guard let zip = CPLCreateZip(out.temporaryPath, nil) else { throw GDALEnvironment.error("create KMZ", path) }
        var closed = false
        defer { if !closed { CPLCloseZip(zip) } }
        func add(_ entry: String, _ bytes: [UInt8], compressed: Bool) throws {
            let options = CStringList(compressed ? [] : ["COMPRESSED=NO"])
            try GDALEnvironment.check(CPLCreateFileInZip(zip, entry, options.pointer), "add \(entry) to KMZ", path)
            try bytes.withUnsafeBytes { b in
                try GDALEnvironment.check(CPLWriteFileInZip(zip, b.baseAddress, Int32(b.count)), "write \(entry) in KMZ", path)
            }
            try GDALEnvironment.check(CPLCloseFileInZip(zip), "close \(entry) in KMZ", path)
        }
        try add("doc.kml", Array(pyramid.rootKML(name: name).utf8), compressed: true)
        for tile in pyramid.tiles {
            try add(tile.kmlPath, Array(pyramid.tileKML(tile).utf8), compressed: true)
            let image = pyramid.image(of: tile)
            try add(tile.pngPath, try PNGEncoder.encode(rgba: image.pixels, width: image.width, height: image.height), compressed: false)
        }
        closed = true
        try GDALEnvironment.check(CPLCloseZip(zip), "close KMZ", path)
        try out.commit()
    }

    /// The image warped to WGS 84 (EPSG:4326), nearest pixel, and the geotransform of its grid: the box of the
    /// image's outline in degrees, cut into square pixels that keep the image's diagonal pixel count (GDAL's
    /// suggested warp output does the same). Pixels outside the image are transparent. Each output pixel centre is
    /// mapped back to the image by `LatticeTransform`, 32 rows at a time (PROJ at every 32nd row and column and the
    /// last, bilinear between, within 5 cm; the blocks that miss that are transformed point by point).
    func warpedToWGS84(geoTransform gt: GeoTransform, crs: String, path: String) throws -> (RGBAImage, GeoTransform) {
        let toDegrees = try CoordinateTransform(from: crs, to: "EPSG:4326")
        var (xs, ys) = outline(geoTransform: gt, pieces: 64)
        toDegrees.transform(xs: &xs, ys: &ys)
        // An outline across the antimeridian continues east of 180° (as GDAL's KMZ writer does; PROJ takes such
        // longitudes back).
        let crosses = (xs.max() ?? 0) - (xs.min() ?? 0) > 180
        if crosses { xs = xs.map { $0 < 0 ? $0 + 360 : $0 } }
        let fx = xs.filter(\.isFinite), fy = ys.filter(\.isFinite)
        guard fx.count == xs.count, fy.count == ys.count, let west = fx.min(), let east = fx.max(), let south = fy.min(), let north = fy.max() else {
            throw GeoError(operation: "write KMZ", path: path, message: "the image's outline has no WGS 84 coordinates in \(crs)")
        }
        let corners = [(0.0, 0.0), (Double(width), Double(height))].map { gt.map(col: $0.0, row: $0.1) }
        let cx = corners.map(\.x), cy = corners.map(\.y)
        var dx = [cx[0], cx[1]], dy = [cy[0], cy[1]]
        toDegrees.transform(xs: &dx, ys: &dy)
        if crosses { dx = dx.map { $0 < 0 ? $0 + 360 : $0 } }
        let res = hypot(dx[1] - dx[0], dy[1] - dy[0]) / hypot(Double(width), Double(height))
        let w = max(1, Int(((east - west) / res).rounded())), h = max(1, Int(((north - south) / res).rounded()))
        let out = GeoTransform(originX: west, originY: north, pixelWidth: (east - west) / Double(w), pixelHeight: (north - south) / Double(h))
        // Each output pixel's centre in the image's CRS, then the image's pixel under it.
        let back = try CoordinateTransform(from: "EPSG:4326", to: crs)
        var image = RGBAImage(width: w, height: h, fill: (0, 0, 0, 0))
        let x0 = gt.originX, y0 = gt.originY, dxImage = gt.pixelWidth, dyImage = gt.pixelHeight
        // By strips of 32 rows: the centres of one strip at a time (0.7 MB instead of 30 MB for scenario A).
        let strip = 32
        try image.pixels.withUnsafeMutableBufferPointer { o in
            try pixels.withUnsafeBufferPointer { p in
                for first in Swift.stride(from: 0, to: h, by: strip) {
                    let rows = min(strip, h - first)
                    let stripGT = GeoTransform(
                        originX: out.originX, originY: out.originY - Double(first) * out.pixelHeight,
                        pixelWidth: out.pixelWidth, pixelHeight: out.pixelHeight)
                    let centres = try LatticeTransform.cellCentres(
                        geoTransform: stripGT, width: w, height: rows, step: strip, tolerance: (0.05, 0.05),
                        exact: { xs, ys in
                            guard back.transform(xs: &xs, ys: &ys) < xs.count else {
                                throw GeoError(operation: "write KMZ", path: path, message: "no point of the overlay transforms back to \(crs)")
                            }
                        })
                    // Each pixel's 4 bytes as one word.
                    let src = UnsafeRawPointer(p.baseAddress!), dst = UnsafeMutableRawPointer(o.baseAddress! + 4 * first * w)
                    let columns = Double(width), lines = Double(height)
                    for k in 0..<(w * rows) {
                        let c = (centres.xs[k] - x0) / dxImage, r = (y0 - centres.ys[k]) / dyImage
                        guard c >= 0, r >= 0, c < columns, r < lines else { continue } // NaN fails too
                        let word = src.loadUnaligned(fromByteOffset: 4 * (Int(r) * width + Int(c)), as: UInt32.self)
                        dst.storeBytes(of: word, toByteOffset: 4 * k, as: UInt32.self)
                    }
                }
            }
        }
        return (image, out)
    }
}

/// The tiles of a super-overlay of an image in WGS 84: level `maxZoom` shows it at full resolution in 256-pixel
/// tiles, each level above at half the resolution of the one below, level 0 in one tile. Tile (z, x, y) covers the
/// image's pixels [x, x + 1) × [y, y + 1) times 256·2^(maxZoom − z) (y from the top), clipped to the image.
struct KMZPyramid {
    static let tileSize = 256
    let image: RGBAImage
    let geoTransform: GeoTransform
    let maxZoom: Int
    /// The tiles whose area holds an opaque pixel, parents before children.
    private(set) var tiles: [Tile] = []
    /// Per level: its tiles across and down, and whether each tile (row-major) holds an opaque pixel.
    private var levels: [(nx: Int, ny: Int, opaque: [Bool])] = []

    struct Tile {
        let z: Int, x: Int, y: Int
        var kmlPath: String { "\(z)/\(x)/\(y).kml" }
        var pngPath: String { "\(z)/\(x)/\(y).png" }
    }

    init(image: RGBAImage, geoTransform: GeoTransform) {
        self.image = image
        self.geoTransform = geoTransform
        var z = 0
        while Self.tileSize << z < max(image.width, image.height) { z += 1 }
        maxZoom = z
        // Whether any pixel of a block is opaque, block by block at the finest level; coarser levels OR them.
        let t = Self.tileSize
        var opaque = [[Bool]]()
        let nx = (image.width + t - 1) / t, ny = (image.height + t - 1) / t
        var finest = [Bool](repeating: false, count: nx * ny)
        image.pixels.withUnsafeBufferPointer { p in
            for row in 0..<image.height {
                for col in 0..<image.width where p[4 * (row * image.width + col) + 3] != 0 {
                    finest[(row / t) * nx + col / t] = true
                }
            }
        }
        opaque.append(finest)
        var dims = [(nx, ny)]
        for _ in 0..<maxZoom {
            let (cx, cy) = dims.last!, fine = opaque.last!
            let px = (cx + 1) / 2, py = (cy + 1) / 2
            var coarse = [Bool](repeating: false, count: px * py)
            for y in 0..<cy { for x in 0..<cx where fine[y * cx + x] { coarse[(y / 2) * px + x / 2] = true } }
            opaque.append(coarse)
            dims.append((px, py))
        }
        opaque.reverse(); dims.reverse() // index = zoom
        levels = (0...maxZoom).map { (dims[$0].0, dims[$0].1, opaque[$0]) }
        for (z, level) in levels.enumerated() {
            for y in 0..<level.ny { for x in 0..<level.nx where level.opaque[y * level.nx + x] { tiles.append(Tile(z: z, x: x, y: y)) } }
        }
    }

    /// Source pixels per tile pixel at level z.
    func factor(_ z: Int) -> Int { 1 << (maxZoom - z) }

    /// The tile's pixel extent in the image: columns and rows it covers (clipped), and its own size in pixels.
    func extent(_ tile: Tile) -> (col0: Int, row0: Int, width: Int, height: Int) {
        let f = factor(tile.z), span = Self.tileSize * f
        let col0 = tile.x * span, row0 = tile.y * span
        let cols = min(image.width, col0 + span) - col0, rows = min(image.height, row0 + span) - row0
        return (col0, row0, (cols + f - 1) / f, (rows + f - 1) / f)
    }

    /// The tile's bounds in degrees (its pixels' outer edges).
    func bounds(_ tile: Tile) -> (north: Double, south: Double, east: Double, west: Double) {
        let e = extent(tile), f = Double(factor(tile.z))
        let west = geoTransform.map(col: Double(e.col0), row: 0).x, east = geoTransform.map(col: Double(e.col0) + Double(e.width) * f, row: 0).x
        let north = geoTransform.map(col: 0, row: Double(e.row0)).y, south = geoTransform.map(col: 0, row: Double(e.row0) + Double(e.height) * f).y
        return (max(north, south), min(north, south), east, west)
    }

    /// The tile's pixels: the image's pixel under each tile pixel's centre (transparent past the image's edge).
    func image(of tile: Tile) -> RGBAImage {
        let e = extent(tile), f = factor(tile.z)
        var out = RGBAImage(width: e.width, height: e.height, fill: (0, 0, 0, 0))
        out.pixels.withUnsafeMutableBufferPointer { o in
            image.pixels.withUnsafeBufferPointer { p in
                for j in 0..<e.height {
                    let row = e.row0 + j * f + f / 2
                    guard row < image.height else { continue }
                    for i in 0..<e.width {
                        let col = e.col0 + i * f + f / 2
                        guard col < image.width else { continue }
                        let s = 4 * (row * image.width + col), d = 4 * (j * e.width + i)
                        o[d] = p[s]; o[d + 1] = p[s + 1]; o[d + 2] = p[s + 2]; o[d + 3] = p[s + 3]
                    }
                }
            }
        }
        return out
    }

    /// The tile's children that are present (at most 4).
    func children(_ tile: Tile) -> [Tile] {
        guard tile.z < maxZoom else { return [] }
        let level = levels[tile.z + 1]
        var out: [Tile] = []
        for y in (2 * tile.y)...(2 * tile.y + 1) where y < level.ny {
            for x in (2 * tile.x)...(2 * tile.x + 1) where x < level.nx && level.opaque[y * level.nx + x] {
                out.append(Tile(z: tile.z + 1, x: x, y: y))
            }
        }
        return out
    }

    static func degrees(_ v: Double) -> String { String(format: "%.9f", v) }

    static func box(_ tag: String, _ b: (north: Double, south: Double, east: Double, west: Double), indent: String) -> String {
        "\(indent)<\(tag)><north>\(degrees(b.north))</north><south>\(degrees(b.south))</south>"
            + "<east>\(degrees(b.east))</east><west>\(degrees(b.west))</west></\(tag)>\n"
    }

    static let header = """
        <?xml version="1.0" encoding="UTF-8"?>
        <kml xmlns="http://www.opengis.net/kml/2.2">
        <Document>

        """

    /// Keeps the tiles' documents folded in Google Earth's Places panel.
    static let style = """
          <styleUrl>#hideChildren</styleUrl>
          <Style id="hideChildren"><ListStyle><listItemType>checkHideChildren</listItemType></ListStyle></Style>

        """

    /// doc.kml: the overlay's name and a link to the level-0 tile, loaded once its region is 128 pixels on screen.
    func rootKML(name: String) -> String {
        let escaped = name.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        var s = Self.header + "  <name>\(escaped)</name>\n" + Self.style
        if let top = tiles.first {
            s += link(to: top, from: nil, minLod: Self.tileSize / 2)
        }
        return s + "</Document>\n</kml>\n"
    }

    /// A tile's document: its region (shown from 128 pixels on screen, level 0 from 1; a tile with children gives
    /// way to them beyond 2,048), its ground overlay (drawn above coarser levels) and links to its children.
    func tileKML(_ tile: Tile) -> String {
        let kids = children(tile), b = bounds(tile)
        var s = Self.header + "  <name>\(tile.z)/\(tile.x)/\(tile.y)</name>\n" + Self.style
        s += "  <Region>\n" + Self.box("LatLonAltBox", b, indent: "    ")
        s += "    <Lod><minLodPixels>\(tile.z == 0 ? 1 : Self.tileSize / 2)</minLodPixels><maxLodPixels>\(kids.isEmpty ? -1 : 2048)</maxLodPixels></Lod>\n"
        s += "  </Region>\n"
        s += "  <GroundOverlay>\n    <drawOrder>\(tile.z)</drawOrder>\n    <Icon><href>\(tile.y).png</href></Icon>\n"
        s += Self.box("LatLonBox", b, indent: "    ") + "  </GroundOverlay>\n"
        for kid in kids { s += link(to: kid, from: tile, minLod: Self.tileSize / 2) }
        return s + "</Document>\n</kml>\n"
    }

    /// A NetworkLink to `tile`'s document (its path relative to the linking document's folder).
    func link(to tile: Tile, from parent: Tile?, minLod: Int) -> String {
        let href = parent == nil ? tile.kmlPath : "../../" + tile.kmlPath
        return "  <NetworkLink>\n    <name>\(tile.z)/\(tile.x)/\(tile.y)</name>\n    <open>1</open>\n    <Region>\n"
            + Self.box("LatLonAltBox", bounds(tile), indent: "      ")
            + "      <Lod><minLodPixels>\(minLod)</minLodPixels><maxLodPixels>-1</maxLodPixels></Lod>\n    </Region>\n"
            + "    <Link><href>\(href)</href><viewRefreshMode>onRegion</viewRefreshMode></Link>\n  </NetworkLink>\n"
    }
}

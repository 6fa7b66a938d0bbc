// Vector read/write through OGR: CSV, GeoJSON, GeoPackage, Shapefile, KML, PostGIS and anything else OGR opens.
// Geometries cross the boundary as plain Swift values in WGS84 longitude/latitude.
import CGDAL
import Foundation
import Synchronization

public struct Coordinate: Sendable, Equatable, Hashable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// A geometry in plain Swift values. Polygons are rings (outer first, then holes), each closed or not.
public enum Geometry: Sendable, Equatable {
    case point(Coordinate)
    case lineString([Coordinate])
    case polygon([[Coordinate]])
    case multiPolygon([[[Coordinate]]])

    /// All polygons of a polygonal geometry (empty for points and lines).
    public var polygons: [[[Coordinate]]] {
        switch self {
        case .polygon(let p): return [p]
        case .multiPolygon(let ps): return ps
        default: return []
        }
    }

    /// A representative point: the point itself, or the area-weighted centroid of the outer rings.
    public var centroid: Coordinate {
        switch self {
        case .point(let c): return c
        case .lineString(let cs): return cs.isEmpty ? Coordinate(.nan, .nan) : cs[cs.count / 2]
        case .polygon, .multiPolygon:
            // Shoelace formula relative to the first vertex, for precision with large coordinates.
            guard let o = polygons.first?.first?.first else { return Coordinate(.nan, .nan) }
            var ax = 0.0, ay = 0.0, aa = 0.0
            for poly in polygons {
                guard let ring = poly.first, ring.count >= 3 else { continue }
                for i in 0..<ring.count {
                    let p = Coordinate(ring[i].x - o.x, ring[i].y - o.y)
                    let q = Coordinate(ring[(i + 1) % ring.count].x - o.x, ring[(i + 1) % ring.count].y - o.y)
                    let cross = p.x * q.y - q.x * p.y
                    aa += cross; ax += (p.x + q.x) * cross; ay += (p.y + q.y) * cross
                }
            }
            if abs(aa) < 1e-18 { return o }
            return Coordinate(o.x + ax / (3 * aa), o.y + ay / (3 * aa))
        }
    }

    /// Even-odd point-in-polygon test (holes respected).
    public func contains(_ c: Coordinate) -> Bool {
        for poly in polygons {
            var inside = false
            for ring in poly where ring.count >= 3 {
                var j = ring.count - 1
                for i in 0..<ring.count {
                    let a = ring[i], b = ring[j]
                    if (a.y > c.y) != (b.y > c.y), c.x < (b.x - a.x) * (c.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
                    j = i
                }
            }
            if inside { return true }
        }
        return false
    }

    /// Bounding box (minX, minY, maxX, maxY).
    public var bounds: (minX: Double, minY: Double, maxX: Double, maxY: Double) {
        var b = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
        func add(_ c: Coordinate) { b.0 = min(b.0, c.x); b.1 = min(b.1, c.y); b.2 = max(b.2, c.x); b.3 = max(b.3, c.y) }
        switch self {
        case .point(let c): add(c)
        case .lineString(let cs): cs.forEach(add)
        case .polygon, .multiPolygon: polygons.forEach { $0.forEach { $0.forEach(add) } }
        }
        return b
    }
}

/// One feature read from a layer: attributes as strings exactly as stored (so that loaders can report the raw
/// value of a bad field), geometry in WGS84 longitude/latitude.
public struct Feature: Sendable {
    /// 1-based position in the layer as read (for CSV: data row number; the file line is `index + 1`).
    public let index: Int
    public let fid: Int64
    public let attributes: [String: String]
    public let geometry: Geometry?

    /// A feature made outside OGR (a text format that a loader parses itself).
    public init(index: Int, fid: Int64, attributes: [String: String], geometry: Geometry?) {
        self.index = index; self.fid = fid; self.attributes = attributes; self.geometry = geometry
    }
}

public struct VectorLayer: Sendable {
    public let name: String
    public let fieldNames: [String]
    public let features: [Feature]
    /// The layer's CRS as WKT before transforming to WGS84 ("" if none).
    public let sourceCRS: String

    public init(name: String, fieldNames: [String], features: [Feature], sourceCRS: String = "") {
        self.name = name; self.fieldNames = fieldNames; self.features = features; self.sourceCRS = sourceCRS
    }
}

/// Reading vector data with OGR.
public enum VectorReader {
    /// Open options used for CSV files: every column stays a string, geometry from WKT or x/y columns if present.
    /// (Latitude/longitude columns stay plain text fields: loaders parse them and report bad values precisely;
    /// GDAL's X/Y_POSSIBLE_NAMES would turn them into numbers and lose the raw text.)
    static let csvOpenOptions = [
        "AUTODETECT_TYPE=NO", "KEEP_GEOM_COLUMNS=YES", "EMPTY_STRING_AS_NULL=YES",
        "GEOM_POSSIBLE_NAMES=wkt,WKT,geometry"
    ]

    /// Names of the layers of a data source.
    public static func layerNames(_ source: String) throws -> [String] {
        let ds = try open(source)
        return (0..<GDALDatasetGetLayerCount(ds.raw)).compactMap { i in
            GDALDatasetGetLayer(ds.raw, i).map { String(cString: OGR_L_GetName($0)) }
        }
    }

    /// Reads a layer (by name, or the first) of any OGR source: a file path or a connection string such as
    /// `PG:dbname=… host=…`. Geometries are transformed to WGS84 when the layer has a CRS.
    public static func read(_ source: String, layer layerName: String? = nil) throws -> VectorLayer {
        let dataset = try open(source)
        defer { withExtendedLifetime(dataset) {} } // the layer belongs to the dataset
        let ds = dataset.raw
        let layer: OGRLayerH
        if let layerName {
            guard let l = GDALDatasetGetLayerByName(ds, layerName) else {
                let names = (0..<GDALDatasetGetLayerCount(ds)).compactMap { GDALDatasetGetLayer(ds, $0).map { String(cString: OGR_L_GetName($0)) } }
                throw GeoError(
                    operation: "open layer '\(layerName)'", path: source,
                    message: "no such layer; the source has: \(names.joined(separator: ", "))")
            }
            layer = l
        } else {
            guard GDALDatasetGetLayerCount(ds) > 0, let l = GDALDatasetGetLayer(ds, 0) else {
                throw GeoError(operation: "open layer", path: source, message: "the source has no layer")
            }
            layer = l
        }
        let defn = OGR_L_GetLayerDefn(layer)
        let fieldCount = OGR_FD_GetFieldCount(defn)
        let fieldNames = (0..<fieldCount).map { String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, $0))) }

        var transform: OwnedCoordinateTransformation? = nil
        var wkt = ""
        if let srs = OGR_L_GetSpatialRef(layer) {
            // The layer's CRS as WKT is informative only: a CRS OGR cannot export leaves it empty.
            var out: UnsafeMutablePointer<CChar>? = nil
            let err = OSRExportToWkt(srs, &out)
            if let text = takeCString(out), err == OGRERR_NONE { wkt = text }
            if let clone = OwnedSpatialReference.clone(srs) {
                transform = try OwnedCoordinateTransformation.between(
                    clone, try SpatialReference.handle("EPSG:4326"),
                    operation: "transform layer to WGS84", path: source)
            }
        }

        var features: [Feature] = []
        OGR_L_ResetReading(layer)
        var index = 0
        while let raw = OGR_L_GetNextFeature(layer) {
            let feature = OwnedFeature(raw)
            let f = feature.raw
            index += 1
            var attrs: [String: String] = [:]
            for i in 0..<fieldCount where OGR_F_IsFieldSetAndNotNull(f, i) != 0 {
                attrs[fieldNames[Int(i)]] = String(cString: OGR_F_GetFieldAsString(f, i))
            }
            var geometry: Geometry? = nil
            if let g = OGR_F_GetGeometryRef(f), OGR_G_IsEmpty(g) == 0 {
                try transform?.apply(to: g, operation: "transform feature \(index) to WGS84", path: source)
                geometry = convert(g)
            }
            features.append(Feature(index: index, fid: Int64(OGR_F_GetFID(f)), attributes: attrs, geometry: geometry))
            withExtendedLifetime(feature) {}
        }
        return VectorLayer(
            name: String(cString: OGR_L_GetName(layer)), fieldNames: fieldNames,
            features: features, sourceCRS: wkt)
    }

    static func open(_ source: String) throws -> OwnedDataset {
        GDALEnvironment.ensure()
        let isFile = !source.contains(":") || source.hasPrefix("/") || source.hasPrefix(".")
        if isFile && !source.hasPrefix("/vsi") && !FileManager.default.fileExists(atPath: source) {
            throw GeoError(operation: "open vector source", path: source, message: "no such file")
        }
        let options = CStringList(source.lowercased().hasSuffix(".csv") ? csvOpenOptions : [])
        guard let ds = GDALOpenEx(source, UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY), nil, options.constPointer, nil) else {
            throw GDALEnvironment.error("open vector source", source, fallback: "not a vector source OGR can read")
        }
        return OwnedDataset(ds)
    }

    static func points(_ g: OGRGeometryH) -> [Coordinate] {
        let n = OGR_G_GetPointCount(g)
        return (0..<n).map { Coordinate(OGR_G_GetX(g, $0), OGR_G_GetY(g, $0)) }
    }

    static func convert(_ g: OGRGeometryH) -> Geometry? {
        let type = OGR_GT_Flatten(OGR_G_GetGeometryType(g))
        switch type {
        case wkbPoint:
            return .point(Coordinate(OGR_G_GetX(g, 0), OGR_G_GetY(g, 0)))
        case wkbLineString:
            return .lineString(points(g))
        case wkbPolygon:
            return .polygon((0..<OGR_G_GetGeometryCount(g)).compactMap { OGR_G_GetGeometryRef(g, $0).map(points) })
        case wkbMultiPolygon, wkbGeometryCollection, wkbMultiPoint:
            var polys: [[[Coordinate]]] = []
            var firstPoint: Coordinate? = nil
            for i in 0..<OGR_G_GetGeometryCount(g) {
                guard let sub = OGR_G_GetGeometryRef(g, i) else { continue }
                switch convert(sub) {
                case .polygon(let p): polys.append(p)
                case .multiPolygon(let ps): polys.append(contentsOf: ps)
                case .point(let c): if firstPoint == nil { firstPoint = c }
                default: break
                }
            }
            if !polys.isEmpty { return .multiPolygon(polys) }
            return firstPoint.map { .point($0) }
        default:
            // Curves and others: ask OGR for a linear approximation.
            if let raw = OGR_G_GetLinearGeometry(g, 0, nil) {
                let lin = OwnedGeometry(raw)
                if OGR_GT_Flatten(OGR_G_GetGeometryType(lin.raw)) != type { return convert(lin.raw) }
            }
            return nil
        }
    }
}

/// Field types for written layers.
public enum FieldKind: Sendable {
    case string, integer, real
}

public enum FieldValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case real(Double)
    case null
}

/// A layer to write: field schema, then features (geometry in WGS84 lon/lat, attributes by field order).
public struct LayerData: Sendable {
    public var name: String
    public var fields: [(name: String, kind: FieldKind)]
    public var geometryType: GeometryKind
    public var rows: [(geometry: Geometry?, values: [FieldValue])]

    public enum GeometryKind: Sendable { case none, point, lineString, polygon, multiPolygon }

    public init(name: String, fields: [(name: String, kind: FieldKind)], geometryType: GeometryKind) {
        self.name = name
        self.fields = fields
        self.geometryType = geometryType
        rows = []
    }

    public mutating func append(_ geometry: Geometry?, _ values: [FieldValue]) {
        precondition(values.count == fields.count, "layer \(name): \(values.count) values for \(fields.count) fields")
        rows.append((geometry, values))
    }
}

/// A layer written row by row from values made as each row is written: no rows are held. `geometry(i)` is row
/// `i`'s geometry (it may be asked more than once, from another thread); `values(i, &fields)` sets its fields (by
/// index in `fields`; a field not set is null).
public struct LayerStream: Sendable {
    public var name: String
    public var fields: [(name: String, kind: FieldKind)]
    public var geometryType: LayerData.GeometryKind
    public var count: Int
    public var geometry: @Sendable (Int) -> Geometry?
    public var values: @Sendable (Int, inout FeatureFields) -> Void

    public init(
        name: String, fields: [(name: String, kind: FieldKind)], geometryType: LayerData.GeometryKind, count: Int,
        geometry: @escaping @Sendable (Int) -> Geometry?, values: @escaping @Sendable (Int, inout FeatureFields) -> Void
    ) {
        self.name = name; self.fields = fields; self.geometryType = geometryType; self.count = count
        self.geometry = geometry; self.values = values
    }

    /// The rows of `data`, as they are.
    public init(_ data: LayerData) {
        self.init(
            name: data.name, fields: data.fields, geometryType: data.geometryType, count: data.rows.count,
            geometry: { data.rows[$0].geometry },
            values: { i, fields in for (k, v) in data.rows[i].values.enumerated() { fields.set(k, v) } })
    }
}

/// Where a row's field values go, by index in the layer's field order: an OGR feature (`FeatureFields`) or a
/// list of values (`FieldValues`).
public protocol FieldSink {
    mutating func set(_ i: Int, _ value: FieldValue)
    /// A text field; nil is null.
    mutating func set(_ i: Int, _ s: String?)
    /// A real field; nil and non-finite values are null.
    mutating func set(_ i: Int, _ x: Double?)
}

/// The fields of the feature being written: an OGR feature's, or the row a GeoPackage INSERT binds
/// (`GeoPackageRows`).
public struct FeatureFields: FieldSink {
    let feature: OGRFeatureH?
    /// The OGR index of each of the layer's fields: a driver may put fields of its own first (KML adds Name and
    /// Description), so field i of the layer is not always OGR's field i.
    let slots: [Int32]
    /// Where the values go instead of `feature`: a row encoded for a GeoPackage INSERT, whose values start at
    /// `firstValue` in the encoder's batch; every field is null until set.
    let encoder: GeoPackageRows.Encoder?
    let firstValue: Int
    /// Without a feature or an encoder: the values as set, null until set (for the text formats, `VectorText`).
    var recorded: [FieldValue]

    init(feature: OGRFeatureH, slots: [Int32]) {
        self.feature = feature; self.slots = slots; encoder = nil; firstValue = 0; recorded = []
    }
    init(encoder: GeoPackageRows.Encoder, firstValue: Int) {
        feature = nil; slots = []; self.encoder = encoder; self.firstValue = firstValue; recorded = []
    }
    init(recording count: Int) {
        feature = nil; slots = []; encoder = nil; firstValue = 0; recorded = Array(repeating: .null, count: count)
    }

    public mutating func set(_ i: Int, _ value: FieldValue) {
        switch value {
        case .string(let s): set(i, s)
        case .integer(let n):
            if let encoder {
                encoder.set(i, at: firstValue, n)
            } else if let feature {
                OGR_F_SetFieldInteger64(feature, slots[i], Int64(n))
            } else {
                recorded[i] = value
            }
        case .real(let x): set(i, x)
        case .null:
            if encoder != nil { return }
            if let feature { OGR_F_SetFieldNull(feature, slots[i]) } else { recorded[i] = .null }
        }
    }

    public mutating func set(_ i: Int, _ s: String?) {
        if let encoder { return encoder.set(i, at: firstValue, s) }
        guard let feature else { return recorded[i] = s.map { .string($0) } ?? .null }
        // withCString: a short (inline) String is passed from the stack, not copied to the heap.
        if let s { s.withCString { OGR_F_SetFieldString(feature, slots[i], $0) } } else { OGR_F_SetFieldNull(feature, slots[i]) }
    }

    public mutating func set(_ i: Int, _ x: Double?) {
        if let encoder { return encoder.set(i, at: firstValue, x) }
        let finite = x.flatMap { $0.isFinite ? $0 : nil }
        guard let feature else { return recorded[i] = finite.map { .real($0) } ?? .null }
        if let finite { OGR_F_SetFieldDouble(feature, slots[i], finite) } else { OGR_F_SetFieldNull(feature, slots[i]) }
    }
}

/// A row's values as a list (for `LayerData`), null until set.
public struct FieldValues: FieldSink {
    public var values: [FieldValue]

    public init(count: Int) { values = Array(repeating: .null, count: count) }

    public mutating func set(_ i: Int, _ value: FieldValue) { values[i] = value }
    public mutating func set(_ i: Int, _ s: String?) { values[i] = s.map { .string($0) } ?? .null }
    public mutating func set(_ i: Int, _ x: Double?) { values[i] = x.map { $0.isFinite ? .real($0) : .null } ?? .null }
}

/// Writing vector files. The driver follows the extension: .gpkg GeoPackage, .geojson/.json GeoJSON,
/// .shp ESRI Shapefile, .kml KML, .csv CSV (geometry as WKT). Written atomically.
public enum VectorWriter {
    public static func driverName(for path: String) throws -> String {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "gpkg": return "GPKG"
        case "geojson", "json": return "GeoJSON"
        case "shp": return "ESRI Shapefile"
        case "kml": return "KML"
        case "csv": return "CSV"
        case let ext:
            throw GeoError(
                operation: "choose vector format", path: path,
                message: "unknown extension '.\(ext)'; expected .gpkg, .geojson, .shp, .kml or .csv")
        }
    }

    /// Writes one or more layers into a new file (replacing any existing one). Multi-layer output needs a
    /// format that holds several layers (GeoPackage, KML).
    public static func write(_ layers: [LayerData], to path: String) throws {
        try write(streams: layers.map(LayerStream.init), to: path)
    }

    /// Writes layers made row by row (`LayerStream`) into a new file, as `write` does.
    public static func write(streams layers: [LayerStream], to path: String) throws {
        try write(streams: layers, to: path, rowsDirect: true)
    }

    /// As `write(streams:to:)`; with `rowsDirect` false, GeoPackage rows go through OGR one feature at a time (the
    /// reference `GeoPackageRows` is compared with); with `viaOGR`, GeoJSON and KML files too (the reference of
    /// `VectorText`).
    static func write(streams layers: [LayerStream], to path: String, rowsDirect: Bool, viaOGR: Bool = false) throws {
        GDALEnvironment.ensure()
        try GDALEnvironment.withProductWriteSettings { try writeStreams(layers, to: path, rowsDirect: rowsDirect, viaOGR: viaOGR) }
    }

    private static func writeStreams(_ layers: [LayerStream], to path: String, rowsDirect: Bool, viaOGR: Bool) throws {
        let driverName = try driverName(for: path)
        guard let driver = GDALGetDriverByName(driverName) else {
            throw GeoError(kind: .driver, operation: "find driver", message: "GDAL has no \(driverName) driver")
        }
        // GeoJSON and KML as text, the same bytes as the drivers' (`VectorText`), unless something in the layers is
        // written by rules VectorText does not reproduce.
        if !viaOGR, driverName == "GeoJSON" || driverName == "KML",
            let text = driverName == "KML" ? VectorText.kml(layers) : layers.count == 1 ? VectorText.geoJSON(layers[0]) : nil
        {
            try AtomicOutput.write(text, to: path, operation: "write \(driverName)")
            return
        }
        if driverName == "ESRI Shapefile" {
            try writeShapefile(layers, to: path, driver: driver)
            return
        }
        let out = try AtomicOutput(path: path)
        let ds = try OwnedDataset.create(driver: driver, path: out.temporaryPath, operation: "create", reportedPath: path)
        // A GeoPackage's spatial indexes are written packed once its layers are (GeoPackageRTree), from plans made on
        // another thread while the features are written.
        let plans = driverName == "GPKG" && SQLiteCalls.shared != nil ? IndexPlans(layers) : nil
        var indexes: [(table: String, boxes: [GeoPackageRTree.Box], layer: Int)] = []
        var direct: [GeoPackageRows.Written] = []
        for (k, layer) in layers.enumerated() {
            let written = try writeLayer(layer, into: ds, driverName: driverName, path: path, rowsDirect: rowsDirect)
            if let boxes = written.boxes { indexes.append((layer.name, boxes, k)) }
            if let rows = written.direct { direct.append(rows) }
        }
        try ds.close(operation: "write", path: path)
        // What GDAL left to write once it has closed the file (counts, extents, packed indexes), in one opening of it.
        if !direct.isEmpty || !indexes.isEmpty {
            let db = try SQLDatabase(source: out.temporaryPath)
            try GeoPackageRows.finish(direct, in: db)
            for index in indexes {
                let plan = plans?.plan(layer: index.layer, boxes: index.boxes) ?? GeoPackageRTree.plan(index.boxes)
                try GeoPackageRTree.build(in: db, table: index.table, plan: plan)
            }
            try db.close()
        }
        try out.commit()
    }

    /// Packed-index plans made on another thread from the layers' geometries, before they are written: each
    /// geometry's box, with the feature id a new GeoPackage table gives the row (its number from 1).
    final class IndexPlans: @unchecked Sendable {
        private var plans: [Int: GeoPackageRTree.Plan] = [:]
        private let done = DispatchGroup()

        init(_ layers: [LayerStream]) {
            DispatchQueue.global().async(group: done) { [self] in
                for (k, layer) in layers.enumerated() where layer.geometryType != .none {
                    plans[k] = GeoPackageRTree.plan(Self.boxes(layer))
                }
            }
        }

        static func boxes(_ layer: LayerStream) -> [GeoPackageRTree.Box] {
            (0..<layer.count).compactMap { i in
                guard let b = layer.geometry(i)?.bounds, b.minX <= b.maxX, b.minY <= b.maxY else { return nil }
                return GeoPackageRTree.Box(id: Int64(i + 1), minX: b.minX, maxX: b.maxX, minY: b.minY, maxY: b.maxY)
            }
        }

        /// The plan of layer `k` when it holds exactly the boxes (ids included) the written features have.
        func plan(layer k: Int, boxes: [GeoPackageRTree.Box]) -> GeoPackageRTree.Plan? {
            done.wait()
            guard let plan = plans[k], plan.boxes == boxes else { return nil }
            return plan
        }
    }

    private static func writeShapefile(_ layers: [LayerStream], to path: String, driver: GDALDriverH) throws {
        guard layers.count == 1, let layer = layers.first else {
            throw GeoError(operation: "write Shapefile", path: path, message: "a Shapefile holds exactly one layer")
        }
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        let tmpDir = dir.appendingPathComponent(".partial-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmpDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmpDir) }
        let tmpPath = tmpDir.appendingPathComponent(url.lastPathComponent).path
        let ds = try OwnedDataset.create(driver: driver, path: tmpPath, operation: "create", reportedPath: path)
        var renamed = layer
        renamed.name = url.deletingPathExtension().lastPathComponent
        try writeLayer(renamed, into: ds, driverName: "ESRI Shapefile", path: path)
        try ds.close(operation: "write", path: path)
        let fm = FileManager.default
        for file in try fm.contentsOfDirectory(atPath: tmpDir.path) {
            let dest = dir.appendingPathComponent(file).path
            // rename(2) replaces an existing file atomically (no delete first).
            guard rename(tmpDir.appendingPathComponent(file).path, dest) == 0 else {
                throw GeoError(operation: "rename", path: dest, message: String(cString: strerror(errno)))
            }
        }
    }

    /// Writes one layer. For a GeoPackage layer with geometry, `boxes` are those of its spatial index (written after
    /// the layers by `GeoPackageRTree`, not by GDAL feature by feature); `direct` is set when its rows were inserted
    /// by `GeoPackageRows` (whose feature count and extent are written once GDAL has closed the file).
    @discardableResult
    private static func writeLayer(
        _ data: LayerStream, into dataset: OwnedDataset, driverName: String, path: String, rowsDirect: Bool = false
    ) throws -> (boxes: [GeoPackageRTree.Box]?, direct: GeoPackageRows.Written?) {
        let ds = dataset.raw
        let srs = try SpatialReference.handle("EPSG:4326")
        let gtype: OGRwkbGeometryType
        switch data.geometryType {
        case .none: gtype = wkbNone
        case .point: gtype = wkbPoint
        case .lineString: gtype = wkbLineString
        case .polygon: gtype = wkbPolygon
        case .multiPolygon: gtype = wkbMultiPolygon
        }
        var opts: [String] = []
        if driverName == "CSV" && data.geometryType != .none { opts.append("GEOMETRY=AS_WKT") }
        if driverName == "GeoJSON" { opts.append("RFC7946=YES") }
        if driverName == "ESRI Shapefile" { opts.append("ENCODING=UTF-8") } // Vietnamese names survive (.cpg written)
        // The packed index and the rows inserted directly need SQLite's calls; without them, GDAL does both its way.
        let sqlite = driverName == "GPKG" && SQLiteCalls.shared != nil
        let packedIndex = sqlite && data.geometryType != .none
        if packedIndex { opts.append("SPATIAL_INDEX=NO") }
        var boxes: [GeoPackageRTree.Box] = []
        let options = CStringList(opts)
        guard let layer = GDALDatasetCreateLayer(ds, data.name, data.geometryType == .none ? nil : srs.raw, gtype, options.pointer) else {
            throw GDALEnvironment.error("create layer '\(data.name)'", path)
        }
        // Each field's OGR index is the one it gets when created (a driver may have fields of its own before it, and
        // may launder its name, so it is not looked up by name).
        var slots: [Int32] = []
        for (name, kind) in data.fields {
            let type: OGRFieldType = kind == .integer ? OFTInteger64 : kind == .real ? OFTReal : OFTString
            let fd = try OwnedFieldDefinition(name: name, type: type)
            try GDALEnvironment.check(OGR_L_CreateField(layer, fd.raw, 1), "create field '\(name)' in layer '\(data.name)'", path)
            slots.append(OGR_FD_GetFieldCount(OGR_L_GetLayerDefn(layer)) - 1)
        }
        let defn = OGR_L_GetLayerDefn(layer)
        // One transaction for the whole layer: otherwise GeoPackage commits every feature.
        let transactional = GDALDatasetStartTransaction(ds, 0) == OGRERR_NONE
        var committed = !transactional
        defer { if !committed { GDALDatasetRollbackTransaction(ds) } } // a thrown error leaves no half layer
        // Each row's feature is made (fields, geometry, box) by `prepare`, written here, then destroyed. Large layers
        // make their features on another thread, a few batches ahead, so that this one only writes them.
        // A KML placemark's label is the driver's own Name field: it takes the row's `name` field, else its first text
        // field (a village's name, a coverage polygon's operator), so that Google Earth labels what it shows.
        var label: (from: Int32, to: Int32)? = nil
        if driverName == "KML",
            let k = data.fields.firstIndex(where: { $0.name.lowercased() == "name" }) ?? data.fields.firstIndex(where: { $0.kind == .string })
        {
            let to = OGR_FD_GetFieldIndex(defn, "Name")
            if to >= 0 && !slots.contains(to) { label = (slots[k], to) }
        }
        let prepare = RowPreparer(data: data, defn: defn!, slots: slots, label: label, srs: srs.raw, packedIndex: packedIndex, path: path)
        let write = { (f: OGRFeatureH, box: GeoPackageRTree.Box?, rowIndex: Int) throws in
            try GDALEnvironment.check(OGR_L_CreateFeature(layer, f), "write feature \(rowIndex + 1) of layer '\(data.name)'", path)
            if var box {
                box.id = Int64(OGR_F_GetFID(f))
                boxes.append(box)
            }
        }
        // GeoPackage rows go straight into the table on GDAL's SQLite connection (OGR only for geometries not encoded
        // there), unless that connection is not available. An empty layer is left to GDAL (its feature count stays
        // unknown, NULL, as GDAL leaves it).
        var direct: GeoPackageRows.Written? = nil
        if sqlite, rowsDirect, data.count > 0,
            let rows = GeoPackageRows(dataset: ds, layer: layer, defn: defn!, slots: slots, kinds: data.fields.map(\.kind), path: path)
        {
            let written = try rows.writeAll(data, layer: layer, viaOGR: { try prepare($0) })
            if packedIndex { boxes = written }
            direct = rows.written
        } else if data.count >= FeaturePipeline.fewestRows {
            try FeaturePipeline.run(count: data.count, prepare: { try prepare($0) }, write: write)
        } else {
            for rowIndex in 0..<data.count {
                let row = try prepare(rowIndex)
                defer { OGR_F_Destroy(row.feature) }
                try write(row.feature, row.box, rowIndex)
            }
        }
        if transactional {
            committed = true
            try GDALEnvironment.check(GDALDatasetCommitTransaction(ds), "commit layer '\(data.name)'", path)
        }
        withExtendedLifetime(srs) {}
        return (packedIndex ? boxes : nil, direct)
    }

    /// Makes the OGR feature of one row of a layer: every field null, then the row's values and its geometry (with
    /// its box, for a packed spatial index; the id is set once the feature is written). The caller owns the feature.
    struct RowPreparer: @unchecked Sendable {
        let data: LayerStream
        let defn: OGRFeatureDefnH
        let slots: [Int32]
        /// A field copied to another after the row's values are set (KML's Name, `writeLayer`).
        let label: (from: Int32, to: Int32)?
        let srs: OGRSpatialReferenceH
        let packedIndex: Bool
        let path: String

        func callAsFunction(_ rowIndex: Int) throws -> (feature: OGRFeatureH, box: GeoPackageRTree.Box?) {
            guard let f = OGR_F_Create(defn) else { throw GDALEnvironment.error("create feature", path) }
            var handedOver = false
            defer { if !handedOver { OGR_F_Destroy(f) } }
            for slot in slots { OGR_F_SetFieldNull(f, slot) }
            var fields = FeatureFields(feature: f, slots: slots)
            data.values(rowIndex, &fields)
            if let label, OGR_F_IsFieldSetAndNotNull(f, label.from) != 0 { OGR_F_SetFieldString(f, label.to, OGR_F_GetFieldAsString(f, label.from)) }
            var box: GeoPackageRTree.Box? = nil
            if let g = data.geometry(rowIndex), data.geometryType != .none {
                let h = try makeOGRGeometry(g, forcing: data.geometryType)
                OGR_G_AssignSpatialReference(h.raw, srs)
                if packedIndex && OGR_G_IsEmpty(h.raw) == 0 {
                    var e = OGREnvelope()
                    OGR_G_GetEnvelope(h.raw, &e)
                    box = GeoPackageRTree.Box(id: 0, minX: e.MinX, maxX: e.MaxX, minY: e.MinY, maxY: e.MaxY)
                }
                try GDALEnvironment.check(
                    OGR_F_SetGeometryDirectly(f, h.release()), "set geometry of feature \(rowIndex + 1) of layer '\(data.name)'", path)
            }
            handedOver = true
            return (f, box)
        }
    }

    /// Features made on another thread and written on this one, in row order. The maker fills batches of rows a few
    /// batches ahead of the writer (a bounded ring of slots) and destroys the features of a slot it takes back; the
    /// writer only writes. A failure on either side stops both, and every feature made is destroyed.
    enum FeaturePipeline {
        /// Below this many rows a layer is written on one thread (a thread and its hand-overs cost more).
        static let fewestRows = 4_096
        static let batchRows = 512
        static let slots = 4

        /// A slot: the features of one batch of rows, from `first` on (used by one thread at a time).
        final class Batch: @unchecked Sendable {
            var first = 0
            var features: [OGRFeatureH] = []
            var boxes: [GeoPackageRTree.Box?] = []
            func destroy() {
                for f in features { OGR_F_Destroy(f) }
                features.removeAll(keepingCapacity: true)
                boxes.removeAll(keepingCapacity: true)
            }
        }

        /// Calls `write(feature, box, row)` for rows 0 ..< count in order, each with the feature `prepare(row)` made on
        /// another thread (`Handover`, batches of `batchRows`); destroys every feature made, whatever fails. The first
        /// error (the writer's, else the maker's) is thrown once both threads have stopped.
        static func run(
            count: Int, prepare: @escaping @Sendable (Int) throws -> (feature: OGRFeatureH, box: GeoPackageRTree.Box?),
            write: (OGRFeatureH, GeoPackageRTree.Box?, Int) throws -> Void
        ) throws {
            let batches = (0..<slots).map { _ in Batch() }
            defer { for b in batches { b.destroy() } }
            try Handover.run(
                slots: batches,
                make: { batch, k in
                    batch.destroy() // the writer is done with the batch it held
                    guard k * batchRows < count else { return false }
                    batch.first = k * batchRows
                    for row in (k * batchRows)..<min(count, (k + 1) * batchRows) {
                        let made = try prepare(row)
                        batch.features.append(made.feature)
                        batch.boxes.append(made.box)
                    }
                    return true
                },
                use: { batch, _ in
                    for n in batch.features.indices { try write(batch.features[n], batch.boxes[n], batch.first + n) }
                })
        }
    }

    static func ring(_ cs: [Coordinate]) throws -> OwnedGeometry {
        let r = try OwnedGeometry.create(wkbLinearRing)
        for c in cs { OGR_G_AddPoint_2D(r.raw, c.x, c.y) }
        if let f = cs.first, let l = cs.last, f != l { OGR_G_AddPoint_2D(r.raw, f.x, f.y) }
        return r
    }

    static func polygon(_ rings: [[Coordinate]]) throws -> OwnedGeometry {
        let p = try OwnedGeometry.create(wkbPolygon)
        for r in rings { try add(try ring(r), to: p) }
        return p
    }

    /// Hands `part` over to `collection` (OGR_G_AddGeometryDirectly takes ownership).
    static func add(_ part: OwnedGeometry, to collection: OwnedGeometry) throws {
        try GDALEnvironment.check(
            OGR_G_AddGeometryDirectly(collection.raw, part.release()), "build geometry",
            kind: .unsupported)
    }

    static func makeOGRGeometry(_ g: Geometry, forcing kind: LayerData.GeometryKind) throws -> OwnedGeometry {
        switch g {
        case .point(let c):
            let h = try OwnedGeometry.create(wkbPoint)
            OGR_G_SetPoint_2D(h.raw, 0, c.x, c.y)
            return h
        case .lineString(let cs):
            let h = try OwnedGeometry.create(wkbLineString)
            for c in cs { OGR_G_AddPoint_2D(h.raw, c.x, c.y) }
            return h
        case .polygon(let rings):
            if kind == .multiPolygon {
                let m = try OwnedGeometry.create(wkbMultiPolygon)
                try add(try polygon(rings), to: m)
                return m
            }
            return try polygon(rings)
        case .multiPolygon(let ps):
            let m = try OwnedGeometry.create(wkbMultiPolygon)
            for p in ps { try add(try polygon(p), to: m) }
            return m
        }
    }
}

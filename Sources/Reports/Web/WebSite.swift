// tanso web: a static, self-contained Leaflet map of a run's products (coverage, compliance, conflicts,
// share-check). Tiles are made through GDAL (Geo/WebTiles.swift); the vector layers are GeoJSON assigned to
// variables in data/*.js so that index.html works when opened from disk (file://, no fetch, no server).
import Foundation
import Analysis
import Geo
import Radio
import Records

public struct WebSiteInputs: Sendable {
    public var coverage: String
    public var compliance: String?
    public var conflicts: String?
    public var shareChecks: [String] = []
    /// The DEM for the hillshade (nil: none is drawn).
    public var dem: String?
    /// District and commune boundaries (any OGR polygon source or a dvhcvn JSON file, as compliance --admin).
    public var districtBoundaries: String?
    public var communeBoundaries: String?
    /// Leaflet's folder (Debian's libjs-leaflet) and its licence file.
    public var leaflet: String
    public var leafletLicence: String
    public var title: String
    public var maxZoom: Int?
    public var zoomLevels: Int = 4

    public init(coverage: String, leaflet: String, leafletLicence: String, title: String) {
        self.coverage = coverage
        self.leaflet = leaflet
        self.leafletLicence = leafletLicence
        self.title = title
    }
}

public struct WebSiteSummary: Sendable {
    public var zooms: ClosedRange<Int>
    /// South-west and north-east corners, [latitude, longitude].
    public var bounds: [[Double]] = []
    public var tiles: [String: Int] = [:]
    public var layers: [(name: String, features: Int)] = []
    public var notes: [String] = []
}

public enum WebSite {
    /// Writes the site into `folder` (the staging folder of the run) and returns what it holds.
    public static func write(_ inputs: WebSiteInputs, to folder: String, progress: (String) -> Void = { _ in }) throws -> WebSiteSummary {
        let fm = FileManager.default
        for d in ["lib/images", "data", "tiles"] { try fm.createDirectory(atPath: folder + "/" + d, withIntermediateDirectories: true) }
        try copyLeaflet(inputs, to: folder + "/lib")
        progress("tiles")
        var summary = try writeTiles(inputs, to: folder + "/tiles")
        progress("layers")
        let villages = try WebVillages.load(coverage: inputs.coverage, compliance: inputs.compliance)
        var layers: [(String, String, [[String: Any]])] = [("villages", "TANSO_VILLAGES", villages.features)]
        if let c = inputs.compliance {
            var units = try WebUnits.load(compliance: c, villages: villages)
            var drawnAsCentres: [String] = []
            if let b = inputs.communeBoundaries { units.communes = try WebUnits.withBoundaries(units.communes, b) } else { drawnAsCentres.append("communes") }
            if let b = inputs.districtBoundaries {
                units.districts = try WebUnits.withBoundaries(units.districts, b)
            } else {
                drawnAsCentres.append("districts")
            }
            layers.append(("communes", "TANSO_COMMUNES", units.communes))
            layers.append(("districts", "TANSO_DISTRICTS", units.districts))
            layers.append(("zones", "TANSO_ZONES", try WebVectors.features(c + "/compliance.gpkg", layer: "zones")))
            if !drawnAsCentres.isEmpty {
                summary.notes.append(
                    "\(drawnAsCentres.joined(separator: " and ")): no boundary polygons given (--communes, --districts); each unit is drawn as a circle at its villages' population-weighted centre, coloured by its target share"
                )
            }
        }
        if let c = inputs.conflicts {
            let path = c + "/conflicts.gpkg"
            layers.append(("conflicts", "TANSO_CONFLICTS", try WebVectors.features(path, layer: "conflicts")))
            if try VectorReader.layerNames(path).contains("out_of_plan") {
                layers.append(("out_of_plan", "TANSO_OUT_OF_PLAN", try WebVectors.features(path, layer: "out_of_plan")))
            }
        }
        if !inputs.shareChecks.isEmpty {
            layers.append(("proposals", "TANSO_PROPOSALS", try inputs.shareChecks.map(WebProposals.feature)))
        }
        for (name, variable, features) in layers {
            try writeScript(variable, ["type": "FeatureCollection", "features": features], to: "\(folder)/data/\(name).js")
            summary.layers.append((name, features.count))
        }
        try writeScript(
            "TANSO_META",
            meta(inputs, summary: summary, villages: villages, layers: layers.map(\.0)),
            to: folder + "/data/meta.js")
        try WebAssets.write(to: folder, layers: layers.map { "data/\($0.0).js" } + ["data/meta.js"])
        return summary
    }

    static func copyLeaflet(_ inputs: WebSiteInputs, to lib: String) throws {
        let fm = FileManager.default
        for f in ["leaflet.js", "leaflet.css"] {
            let from = inputs.leaflet + "/" + f
            guard fm.fileExists(atPath: from) else {
                throw InputFileError(
                    path: from, reason: "Leaflet not found (expected Debian's libjs-leaflet: apt-get install libjs-leaflet, or give --leaflet DIR)")
            }
            try fm.copyItem(atPath: from, toPath: lib + "/" + f)
        }
        for f in (try? fm.contentsOfDirectory(atPath: inputs.leaflet + "/images")) ?? [] where f.hasSuffix(".png") {
            try fm.copyItem(atPath: inputs.leaflet + "/images/" + f, toPath: lib + "/images/" + f)
        }
        guard fm.fileExists(atPath: inputs.leafletLicence) else {
            throw InputFileError(path: inputs.leafletLicence, reason: "Leaflet's licence file not found")
        }
        try fm.copyItem(atPath: inputs.leafletLicence, toPath: lib + "/LEAFLET-LICENSE.txt")
    }

    /// The relief (hillshade of the DEM, hypsometric tint) and the best-signal classes, each an XYZ tile set.
    static func writeTiles(_ inputs: WebSiteInputs, to dir: String) throws -> WebSiteSummary {
        let signal = try RasterDataset(path: inputs.coverage + "/" + ProductLayout.bestValue(inFolder: inputs.coverage))
        let grid = try signal.readGrid()
        let cellM = abs(grid.geoTransform.coefficients[1])
        let centre = grid.geoTransform.map(col: Double(grid.width) / 2, row: Double(grid.height) / 2)
        let latitude = try CoordinateTransform(from: grid.crs, to: "EPSG:4326").transform(x: centre.x, y: centre.y).y
        let top = inputs.maxZoom ?? WebMercator.zoom(matchingCellM: cellM, latitude: latitude)
        let zooms = max(0, top - inputs.zoomLevels + 1)...top
        var summary = WebSiteSummary(zooms: zooms)
        let overlay = WebTileImages.signal(grid)
        summary.tiles["signal"] = try overlay.writeWebTiles(
            geoTransform: grid.geoTransform, crs: grid.crs, zooms: zooms, resampling: "near", to: dir + "/signal"
        ).values.reduce(0, +)
        if let dem = inputs.dem {
            let z = try RasterDataset(path: dem).resampled(width: grid.width, height: grid.height, geoTransform: grid.geoTransform, crs: grid.crs)
            let relief = WebTileImages.relief(z, width: grid.width, height: grid.height, cellM: cellM)
            summary.tiles["relief"] = try relief.writeWebTiles(
                geoTransform: grid.geoTransform, crs: grid.crs, zooms: zooms, resampling: "bilinear", to: dir + "/relief"
            ).values.reduce(0, +)
        } else {
            summary.notes.append("no DEM (--dem, or the coverage run's recorded DEM): the map has no relief layer")
        }
        let box = try overlay.mercatorBox(geoTransform: grid.geoTransform, crs: grid.crs)
        let toLonLat = try CoordinateTransform(from: "EPSG:3857", to: "EPSG:4326")
        let sw = try toLonLat.transform(x: box.minX, y: box.minY), ne = try toLonLat.transform(x: box.maxX, y: box.maxY)
        summary.bounds = [[sw.y, sw.x], [ne.y, ne.x]]
        return summary
    }

    static func meta(_ inputs: WebSiteInputs, summary: WebSiteSummary, villages: WebVillages, layers: [String]) -> [String: Any] {
        [
            "title": inputs.title,
            "bounds": summary.bounds,
            "minZoom": summary.zooms.lowerBound, "maxZoom": summary.zooms.upperBound,
            "tiles": summary.tiles.keys.sorted(),
            "layers": layers,
            "signalClasses": CoverageMap.classes.map { c in
                ["min": Double(c.lowerDBm), "color": String(format: "#%02x%02x%02x", c.color.0, c.color.1, c.color.2)] as [String: Any]
            },
            "targets": villages.targets,
            "unitTarget": villages.targets.first ?? "",
            "notes": summary.notes
        ]
    }

    /// `var NAME = <json>;` in a UTF-8 file.
    static func writeScript(_ variable: String, _ value: Any, to path: String) throws {
        let json = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        var data = Data("var \(variable) = ".utf8)
        data.append(json)
        data.append(Data(";\n".utf8))
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// The images cut into tiles: one pixel per coverage cell.
enum WebTileImages {
    /// Best-signal classes (CoverageMap.classes), opaque; cells below the last class or without value transparent.
    static func signal(_ grid: RasterGrid) -> RGBAImage {
        var img = RGBAImage(width: grid.width, height: grid.height, fill: (0, 0, 0, 0))
        for i in 0..<grid.values.count {
            let v = grid.values[i]
            guard !grid.isMissing(v), let cls = CoverageMap.classes.first(where: { v >= $0.lowerDBm }) else { continue }
            img.pixels[4 * i] = cls.color.0; img.pixels[4 * i + 1] = cls.color.1; img.pixels[4 * i + 2] = cls.color.2; img.pixels[4 * i + 3] = 255
        }
        return img
    }

    /// Hillshade with the hypsometric tint of the PNG map (CoverageMap.reliefColor); cells without elevation transparent.
    static func relief(_ z: [Float], width: Int, height: Int, cellM: Double) -> RGBAImage {
        let shade = CoverageMap.hillshade(z, width: width, height: height, cellM: cellM)
        var img = RGBAImage(width: width, height: height, fill: (0, 0, 0, 0))
        for i in 0..<z.count where !z[i].isNaN {
            let c = CoverageMap.reliefColor(elevationM: z[i], shade: shade[i])
            img.pixels[4 * i] = c.0; img.pixels[4 * i + 1] = c.1; img.pixels[4 * i + 2] = c.2; img.pixels[4 * i + 3] = 255
        }
        return img
    }
}

/// Rows of a CSV product as dictionaries (header → value).
enum ProductCSV {
    static func rows(_ path: String) throws -> (header: [String], rows: [[String: String]]) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InputFileError(path: path, reason: "cannot read the product (missing or not UTF-8)")
        }
        let table = CSV.parse(text)
        guard let header = table.first else { throw InputFileError(path: path, reason: "empty product, expected a header row") }
        let rows = table.dropFirst().filter { $0.count > 1 || $0.first?.isEmpty == false }.map { Dictionary(zip(header, $0), uniquingKeysWith: { a, _ in a }) }
        return (header, rows)
    }
}

/// The villages with their popup figures: population, signal per operator and technology, verdict with evidence.
struct WebVillages {
    var features: [[String: Any]] = []
    var targets: [String] = []
    /// id → (longitude, latitude, population, commune, district), for the units' centres.
    var places: [(lon: Double, lat: Double, population: Double, commune: String, district: String)] = []

    /// Compliance's villages.csv when given (its metric per technology, coverage flags and targets), else the
    /// coverage's villages.csv (signal per service); the coverage's best signal and server in both cases.
    static func load(coverage: String, compliance: String?) throws -> WebVillages {
        let cov = try ProductCSV.rows(coverage + "/" + ProductLayout.villagesCSV)
        let best = Dictionary(cov.rows.map { ($0["id"] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let source = try compliance.map { try ProductCSV.rows($0 + "/villages.csv") } ?? cov
        var out = WebVillages()
        out.targets = source.header.filter { $0.hasPrefix("target_") }.map { String($0.dropFirst("target_".count)) }
        let services = serviceColumns(source.header)
        for row in source.rows {
            guard let lat = row["latitude"].flatMap(Double.init), let lon = row["longitude"].flatMap(Double.init) else { continue }
            let id = row["id"] ?? ""
            var p: [String: Any] = [:]
            for k in ["id", "name", "commune", "district", "population", "serving_site", "serving_transmitter", "nearest_site", "nearest_site_km"] {
                if let v = row[k], !v.isEmpty { p[k] = v }
            }
            if let b = best[id] {
                p["best_signal_dbm"] = b["best_signal_dbm"] ?? ""
                p["best_server"] = b["best_server"] ?? ""
                p["covered_4g_5g"] = b["covered_4g_5g"] ?? ""
            }
            p["signals"] = services.map { s -> [String] in
                [s.operatorSlug, s.technology, s.metric, row[s.column] ?? "", s.covered.flatMap { row[$0] } ?? ""]
            }
            p["targets"] = out.targets.map { [$0, row["target_" + $0] ?? ""] }
            out.features.append(["type": "Feature", "properties": p, "geometry": ["type": "Point", "coordinates": [lon, lat]]])
            out.places.append((lon, lat, Double(row["population"] ?? "") ?? 0, row["commune"] ?? "", row["district_column"] ?? row["district"] ?? ""))
        }
        return out
    }

    struct ServiceColumn { var operatorSlug, technology, metric, column: String; var covered: String? }

    /// `<operator>_<2G…5G>[_<metric>]_dbm` columns (coverage: signal; compliance: RxLev/RSCP/RSRP/SS-RSRP) and
    /// their `_covered` flags.
    static func serviceColumns(_ header: [String]) -> [ServiceColumn] {
        let techs = ["2G", "3G", "4G", "5G"]
        return header.compactMap { col -> ServiceColumn? in
            guard col.hasSuffix("_dbm") else { return nil }
            let parts = col.dropLast(4).split(separator: "_").map(String.init)
            guard let t = parts.firstIndex(where: techs.contains), t > 0 else { return nil }
            let op = parts[..<t].joined(separator: "_"), tech = parts[t]
            let metric = parts[(t + 1)...].joined(separator: " ").uppercased()
            let covered = "\(op)_\(tech)_covered"
            return ServiceColumn(
                operatorSlug: op, technology: tech, metric: metric.isEmpty ? "signal" : metric, column: col,
                covered: header.contains(covered) ? covered : nil)
        }
    }
}

/// Communes and districts from compliance's units.csv, each at its villages' population-weighted centre.
enum WebUnits {
    static func load(compliance: String, villages: WebVillages) throws -> (communes: [[String: Any]], districts: [[String: Any]]) {
        let units = try ProductCSV.rows(compliance + "/units.csv")
        var sums: [String: (x: Double, y: Double, w: Double)] = [:]
        func add(_ key: String, _ v: (lon: Double, lat: Double, population: Double, commune: String, district: String)) {
            let w = max(v.population, 1), s = sums[key] ?? (0, 0, 0)
            sums[key] = (s.x + v.lon * w, s.y + v.lat * w, s.w + w)
        }
        for v in villages.places {
            add("commune|\(v.commune)|\(v.district)", v)
            add("district|\(v.district)", v)
        }
        var communes: [[String: Any]] = [], districts: [[String: Any]] = []
        for row in units.rows {
            let level = row["level"] ?? "", name = row["name"] ?? ""
            let key = level == "commune" ? "commune|\(name)|\(row["parent"] ?? "")" : "district|\(name)"
            guard level == "commune" || level == "district", let s = sums[key] else { continue }
            var p: [String: Any] = [
                "level": level, "name": name, "parent": row["parent"] ?? "", "villages": row["villages"] ?? "", "population": row["population"] ?? ""
            ]
            p["targets"] = villages.targets.map { t in
                [t, row["target_\(t)_share"] ?? "", row["target_\(t)_min"] ?? "", row["target_\(t)_achieved"] ?? "", row["target_\(t)_missing"] ?? ""]
            }
            let f: [String: Any] = ["type": "Feature", "properties": p, "geometry": ["type": "Point", "coordinates": [s.x / s.w, s.y / s.w]]]
            if level == "commune" { communes.append(f) } else { districts.append(f) }
        }
        return (communes, districts)
    }
}

extension WebUnits {
    /// The units with the polygon of the same name (case-insensitive) from `path` in place of their centre;
    /// polygons without figures are added too (their name only).
    static func withBoundaries(_ units: [[String: Any]], _ path: String) throws -> [[String: Any]] {
        let admin = try AdminLayer.load(path)
        func key(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces).lowercased() }
        let polygons = Dictionary(admin.units.map { (key($0.name), $0.geometry) }, uniquingKeysWith: { a, _ in a })
        var used: Set<String> = []
        var out = units.map { f -> [String: Any] in
            let name = key((f["properties"] as? [String: Any])?["name"] as? String ?? "")
            guard let g = polygons[name] else { return f }
            used.insert(name)
            var f = f
            f["geometry"] = WebVectors.geoJSON(g)
            return f
        }
        for u in admin.units where !used.contains(key(u.name)) {
            out.append(["type": "Feature", "properties": ["name": u.name, "level": "", "targets": [[String]]()], "geometry": WebVectors.geoJSON(u.geometry)])
        }
        return out
    }
}

/// Any OGR layer as GeoJSON features (geometry in WGS 84 longitude/latitude, attributes as text).
enum WebVectors {
    static func features(_ path: String, layer: String) throws -> [[String: Any]] {
        try VectorReader.read(path, layer: layer).features.map { f in
            ["type": "Feature", "properties": f.attributes, "geometry": f.geometry.map(geoJSON) ?? NSNull()]
        }
    }

    static func geoJSON(_ g: Geometry) -> [String: Any] {
        func pt(_ c: Coordinate) -> [Double] { [c.x, c.y] }
        switch g {
        case .point(let c): return ["type": "Point", "coordinates": pt(c)]
        case .lineString(let cs): return ["type": "LineString", "coordinates": cs.map(pt)]
        case .polygon(let rings): return ["type": "Polygon", "coordinates": rings.map { $0.map(pt) }]
        case .multiPolygon(let ps): return ["type": "MultiPolygon", "coordinates": ps.map { $0.map { $0.map(pt) } }]
        }
    }
}

/// A share-check folder's proposal at its tower, with the verdict, the reasons and each check's outcome.
enum WebProposals {
    static func feature(_ folder: String) throws -> [String: Any] {
        let path = folder + "/result.json"
        guard let data = FileManager.default.contents(atPath: path),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw InputFileError(path: path, reason: "cannot read the share-check result (missing or not JSON)") }
        guard let tower = json["tower"] as? [String: Any], let lat = tower["latitude"] as? Double, let lon = tower["longitude"] as? Double else {
            throw InputFileError(path: path, reason: "field 'tower': expected an object with latitude and longitude")
        }
        let proposal = json["proposal"] as? [String: Any] ?? [:]
        let checks = (json["checks"] as? [[String: Any]] ?? []).map { c in
            [c["title"] as? String ?? c["id"] as? String ?? "", c["outcome"] as? String ?? "", c["summary"] as? String ?? ""]
        }
        let p: [String: Any] = [
            "id": proposal["id"] as? String ?? "", "operator": proposal["operator"] as? String ?? "",
            "kind": proposal["kind"] as? String ?? "", "tower": tower["id"] as? String ?? "",
            "verdict": json["verdict"] as? String ?? "", "reasons": json["reasons"] as? [String] ?? [], "checks": checks
        ]
        return ["type": "Feature", "properties": p, "geometry": ["type": "Point", "coordinates": [lon, lat]]]
    }
}

// Writing the products of a coverage run: rasters, polygons, village tables and layers, map and summary.
import Foundation
import Geo
import Analysis
import Radio
import Records

public struct ProductList: Sendable {
    public var files: [(path: String, what: String)] = []
    public init() {}
    mutating func add(_ path: String, _ what: String) { files.append((path, what)) }
}

public enum CoverageProducts {
    /// Writes every product of a run into `directory` and returns what was written.
    /// Which products `write` makes (`tanso coverage --products`); the best-signal raster, the summary and the run
    /// record always.
    public struct Selection: Sendable, Equatable {
        public enum Kind: String, CaseIterable, Sendable {
            /// best_server.tif, best_server_ids.csv, server_count.tif
            case servers
            /// services/signal_<operator>_<tech>.tif
            case services
            /// signal.kmz
            case kmz
            /// coverage polygons (coverage.gpkg, coverage.geojson, coverage.kml)
            case polygons
            /// villages.csv, uncovered_villages.csv and their layers
            case villages
            /// map.png
            case map
            /// overviews inside the COG rasters
            case overviews
        }
        public var kinds: Set<Kind>
        public init(_ kinds: Set<Kind>) { self.kinds = kinds }
        public static let all = Selection(Set(Kind.allCases))
        public func has(_ k: Kind) -> Bool { kinds.contains(k) }

        /// "all", or names of `Kind` separated by commas; nil when a name is unknown.
        public static func parse(_ text: String) -> Selection? {
            let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
            if names == ["all"] { return .all }
            var kinds = Set<Kind>()
            for n in names {
                guard let k = Kind(rawValue: n) else { return nil }
                kinds.insert(k)
            }
            return Selection(kinds)
        }
    }

    public static func write(
        _ result: CoverageResult, villages: [VillageStatus], to directory: String,
        title: String, selection: Selection = .all
    ) throws -> ProductList {
        try write(result.layers, rastersWritten: false, villages: villages, to: directory, title: title, selection: selection)
    }

    /// One raster product: its file (relative to the output folder), its layer and how it is described.
    public struct Raster: Sendable {
        public let name: String
        public let layer: CoverageLayers.Layer
        public let nodata: Float?
        public let description: String
        public let metadata: [String: String]
        /// Float32 for signals; the best server's index and the server count are whole numbers.
        public var cells: RasterCellType = .float32
    }

    /// The raster products of a run with `selection`, in the order they are written.
    public static func rasters(_ layers: CoverageLayers, selection: Selection) -> [Raster] {
        let study = layers.study, services = ProductLayout.Services(layers.keys)
        let unit = study.isFieldStrength ? "dBµV/m" : "dBm"
        let quantity = study.isFieldStrength ? "field strength" : "received power"
        let meta = ["TANSO_MODEL": study.model, "TANSO_RX_HEIGHT_M": String(study.receiverHeightM), "UNITS": unit]
        var out = [
            Raster(
                name: ProductLayout.bestValue(fieldStrength: study.isFieldStrength), layer: .bestSignal, nodata: CoverageResult.nodata,
                description: "best \(quantity) (\(unit))", metadata: meta)
        ]
        if selection.has(.servers) {
            out.append(
                Raster(
                    name: ProductLayout.bestServer, layer: .bestServer, nodata: -1, description: "index of best server (see best_server_ids.csv)",
                    metadata: [:],
                    cells: .int32))
            out.append(
                Raster(
                    name: ProductLayout.serverCount, layer: .serverCount, nodata: nil, description: "transmitters at or above their threshold", metadata: [:],
                    cells: .uint16))
        }
        if selection.has(.services) {
            for key in layers.keys {
                out.append(
                    Raster(
                        name: services.raster(key), layer: .service(key), nodata: CoverageResult.nodata, description: "best \(key) signal (\(unit))",
                        metadata: meta))
            }
        }
        return out
    }

    /// Writes the products of a run read through `layers` into `directory`; its rasters (`rasters`) are written
    /// here unless `rastersWritten` (a band sweep wrote them). Returns what was written, in a fixed order.
    ///
    /// The products are independent files, so a run held in memory writes them side by side on the engine's
    /// threads (`Parallel`, largest first): on two cores scenario A's products take about half the time. A band
    /// sweep (`rastersWritten`) writes them one after the other: its layers are read back from band stores that
    /// share one GDAL dataset each, and its memory bound allows one layer at a time.
    public static func write(
        _ layers: CoverageLayers, rastersWritten: Bool, villages: [VillageStatus], to directory: String,
        title: String, selection: Selection = .all
    ) throws -> ProductList {
        let dir = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let jobs = productJobs(layers, rastersWritten: rastersWritten, villages: villages, dir: dir, title: title, selection: selection)
        var results = [Result<ProductList, any Error>?](repeating: nil, count: jobs.count)
        if rastersWritten {
            for (i, job) in jobs.enumerated() { results[i] = Result { try job.run() } }
        } else {
            // The costliest first, so that the last job to start is a short one.
            let order = jobs.indices.sorted { (jobs[$0].cost, $1) > (jobs[$1].cost, $0) }
            results.withUnsafeMutableBufferPointer { r in
                let out = UnsafeSendable(r)
                Parallel.perform(iterations: order.count) { k in out.value[order[k]] = Result { try jobs[order[k]].run() } }
            }
        }
        // The list in the jobs' order, whatever order they finished in; the first failure in that order is thrown.
        var list = ProductList()
        for r in results { list.files += try r!.get().files }
        return list
    }

    /// The products of `write`, one job each, in the order their files are listed, each with its rough cost (the
    /// CPU seconds of scenario A's products, 40 km at 30 m, in hundredths, measured 2026-12-06 (round 20): a Float32
    /// COG 15–21 (2 more for a service's COG made from it), the KMZ 9, the vector files 8, the best server's Int32 COG
    /// 7, the server count's UInt16 COG 4, the map 3; the tables and texts nothing).
    static func productJobs(
        _ layers: CoverageLayers, rastersWritten: Bool, villages: [VillageStatus], dir: URL, title: String, selection: Selection
    ) -> [(cost: Int, run: () throws -> ProductList)] {
        @Sendable func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let spec = layers.spec
        let unit = layers.study.isFieldStrength ? "dBµV/m" : "dBm"
        let quantity = layers.study.isFieldStrength ? "field strength" : "received power"
        var jobs: [(cost: Int, run: () throws -> ProductList)] = []
        func job(cost: Int = 0, _ body: @escaping (inout ProductList) throws -> Void) {
            jobs.append(
                (
                    cost,
                    {
                        var list = ProductList()
                        try body(&list)
                        return list
                    }
                ))
        }
        if !rastersWritten {
            let all = rasters(layers, selection: selection)
            @Sendable func write(_ r: Raster) throws {
                try spec.grid(values: layers.values(r.layer), nodata: r.nodata)
                    .write(
                        to: path(r.name), format: .cog, cells: r.cells, description: r.description, metadata: r.metadata,
                        overviews: selection.has(.overviews))
            }
            // With one service, that service's layer is the best over the same transmitters as the best signal: its
            // COG is the best signal's with another band description, made from the best signal's file once that is
            // written (`COGDescription`: the same bytes as GDAL's, without encoding the tiles twice), when the values
            // are indeed the same bits; otherwise it is written as any other.
            let best = all[0]
            let twins =
                layers.keys.count == 1
                ? all.filter { r in
                    guard case .service = r.layer else { return false }
                    return r.nodata == best.nodata && r.cells == best.cells && r.metadata == best.metadata
                } : []
            for r in all where !twins.contains(where: { $0.name == r.name }) {
                let cost = r.layer == .bestSignal ? 21 + 2 * twins.count : r.layer == .bestServer ? 7 : r.layer == .serverCount ? 4 : 18
                job(cost: cost) { _ in
                    try write(r)
                    guard r.layer == .bestSignal else { return }
                    for twin in twins {
                        let same = try layers.values(twin.layer).withUnsafeBytes { a in
                            try layers.values(r.layer).withUnsafeBytes { b in a.count == b.count && memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
                        }
                        let copied = try same && COGDescription.copy(path(r.name), to: path(twin.name), description: r.description, new: twin.description)
                        if !copied { try write(twin) }
                    }
                }
            }
        }
        job { list in
            list.add(
                path(ProductLayout.bestValue(fieldStrength: layers.study.isFieldStrength)),
                "best \(quantity) over all transmitters, \(unit) (Float32 COG, nodata −9999)")
        }
        if selection.has(.servers) {
            job { list in
                try CSV.write(
                    header: ["index", "transmitter_id", "site_id", "operator", "technology", "frequency_mhz"],
                    rows: layers.transmitters.enumerated().map { i, t in
                        [String(i), t.id, t.siteID, t.operatorName, t.technology.rawValue, CSV.number(t.frequencyMHz, decimals: 3)]
                    },
                    to: path(ProductLayout.bestServerIDs))
                list.add(
                    path(ProductLayout.bestServer), "index of the best server per cell (Int32 COG, nodata −1); best_server_ids.csv maps index → transmitter")
                list.add(path(ProductLayout.serverCount), "number of transmitters at or above their technology's threshold per cell (UInt16 COG)")
            }
        }
        if selection.has(.services) {
            job { list in
                list.add(dir.appendingPathComponent(ProductLayout.servicesFolder).path + "/", "best signal per operator and technology, \(unit) (one COG each)")
            }
        }
        if selection.has(.kmz) {
            job(cost: 9) { list in
                try CoverageMap.signalOverlay(layers).writeKMZ(
                    to: path(ProductLayout.signalKMZ), geoTransform: spec.geoTransform,
                    crs: spec.crs, name: "best signal")
                list.add(path(ProductLayout.signalKMZ), "best signal classes as a Google Earth ground overlay (KMZ super-overlay)")
            }
        }
        if selection.has(.polygons) || selection.has(.villages) {
            job(cost: 8) { list in try writeVectors(layers, villages: villages, list: &list, path: path, selection: selection) }
        }
        if selection.has(.map) {
            job(cost: 3) { list in
                let img = try CoverageMap.render(layers, villages: villages, title: title)
                try img.writePNG(to: path(ProductLayout.mapPNG))
                list.add(path(ProductLayout.mapPNG), "map: hillshade, best signal classes, villages without 4G/5G in red")
            }
        }
        job { list in
            let summary = summaryText(layers, villages: villages)
            try summary.write(to: dir.appendingPathComponent(ProductLayout.summary), atomically: true, encoding: .utf8)
            list.add(path(ProductLayout.summary), "the printed summary")
        }
        return jobs
    }

    /// The coverage polygons (GeoPackage, GeoJSON, KML) and the village tables and layers, as selected.
    static func writeVectors(
        _ layers: CoverageLayers, villages: [VillageStatus], list: inout ProductList, path: (String) -> String, selection: Selection
    ) throws {
        let spec = layers.spec
        let services = ProductLayout.Services(layers.keys)
        // Coverage polygons per service at its technology's threshold.
        var coverage = LayerData(
            name: "coverage",
            fields: [
                ("operator", .string), ("technology", .string),
                ("threshold_dbm", .real), ("area_km2", .real)
            ],
            geometryType: .multiPolygon)
        let thresholds = layers.study.thresholds
        let cellKm2 = spec.resolutionM * spec.resolutionM / 1e6
        for key in layers.keys where selection.has(.polygons) {
            let th = Float(thresholds.threshold(for: key.technology))
            let mask = try layers.values(.service(key)).map { $0 != CoverageResult.nodata && $0 >= th ? UInt8(1) : 0 }
            let areaKm2 = Double(mask.reduce(0) { $0 + Int($1) }) * cellKm2
            let polys = try Polygonize.regions(
                classes: mask, width: spec.width, height: spec.height,
                geoTransform: spec.geoTransform, crs: spec.crs)
            guard !polys.isEmpty else { continue }
            coverage.append(
                .multiPolygon(polys.flatMap { $0.geometry.polygons }),
                [.string(key.operatorName), .string(key.technology.rawValue), .real(Double(th)), .real(areaKm2)])
        }

        // Villages.
        let keys = layers.keys
        var villageLayer = LayerData(name: "villages", fields: villageFields(keys, services), geometryType: .point)
        var uncoveredLayer = LayerData(name: "uncovered_villages", fields: villageFields(keys, services), geometryType: .point)
        var villageRows: [[String]] = [], uncoveredRows: [[String]] = []
        for s in villages {
            let values = villageValues(s, keys)
            let geom = Geometry.point(Coordinate(s.village.longitude, s.village.latitude))
            villageLayer.append(geom, values)
            let row = values.map(text)
            villageRows.append(row)
            if !s.covered(by: VillageAnalysis.targetTechnologies) {
                uncoveredLayer.append(geom, values)
                uncoveredRows.append(row)
            }
        }
        let header = villageFields(keys, services).map(\.name)
        if selection.has(.villages) {
            try CSV.write(header: header, rows: villageRows, to: path(ProductLayout.villagesCSV))
            list.add(path(ProductLayout.villagesCSV), "every village with its best signal per operator and technology and its covered flags")
            try CSV.write(header: header, rows: uncoveredRows, to: path(ProductLayout.uncoveredVillagesCSV))
            list.add(path(ProductLayout.uncoveredVillagesCSV), "villages with no 4G/5G service from any operator, with population")
        }

        var txLayer = LayerData(
            name: "transmitters",
            fields: [
                ("id", .string), ("site_id", .string), ("operator", .string),
                ("technology", .string), ("frequency_mhz", .real), ("bandwidth_mhz", .real),
                ("eirp_dbm", .real), ("azimuth_deg", .real), ("antenna_height_m", .real),
                ("mechanical_tilt_deg", .real), ("electrical_tilt_deg", .real),
                ("antenna_pattern", .string)
            ],
            geometryType: .point)
        for t in layers.transmitters {
            txLayer.append(
                .point(Coordinate(t.longitude, t.latitude)),
                [
                    .string(t.id), .string(t.siteID), .string(t.operatorName), .string(t.technology.rawValue),
                    .real(t.frequencyMHz), .real(t.bandwidthMHz), .real(t.eirpDBm), t.azimuthDeg.map { .real($0) } ?? .null,
                    .real(t.antennaHeightM), .real(t.mechanicalTiltDeg), .real(t.electricalTiltDeg),
                    t.antennaPattern.map { .string($0) } ?? .null
                ])
        }
        let polygons = selection.has(.polygons), withVillages = selection.has(.villages)
        let gpkgLayers = (polygons ? [coverage] : []) + (withVillages ? [villageLayer, uncoveredLayer] : []) + [txLayer]
        try VectorWriter.write(gpkgLayers, to: path(ProductLayout.coverageGPKG))
        list.add(path(ProductLayout.coverageGPKG), "GeoPackage: " + gpkgLayers.map(\.name).joined(separator: ", "))
        guard polygons else { return }
        try VectorWriter.write([coverage], to: path(ProductLayout.coverageGeoJSON))
        list.add(path(ProductLayout.coverageGeoJSON), "coverage polygons per operator and technology (GeoJSON, WGS84)")
        try VectorWriter.write(withVillages ? [coverage, uncoveredLayer] : [coverage], to: path(ProductLayout.coverageKML))
        list.add(
            path(ProductLayout.coverageKML), withVillages ? "coverage polygons and uncovered villages for Google Earth" : "coverage polygons for Google Earth")
    }

    static func villageFields(_ keys: [ServiceKey], _ services: ProductLayout.Services) -> [(name: String, kind: FieldKind)] {
        var f: [(String, FieldKind)] = [
            ("id", .string), ("name", .string), ("commune", .string), ("district", .string),
            ("latitude", .real), ("longitude", .real), ("population", .integer),
            ("best_signal_dbm", .real), ("best_server", .string), ("covered_4g_5g", .integer)
        ]
        for k in keys { f.append(("\(services.column(k))_dbm", .real)) }
        return f
    }

    static func villageValues(_ s: VillageStatus, _ keys: [ServiceKey]) -> [FieldValue] {
        var v: [FieldValue] = [
            .string(s.village.id), .string(s.village.name), .string(s.village.commune),
            .string(s.village.district), .real(s.village.latitude), .real(s.village.longitude),
            .integer(s.village.population), s.bestDBm.map { .real((Double($0) * 10).rounded() / 10) } ?? .null,
            s.bestServerID.map { .string($0) } ?? .null,
            .integer(s.covered(by: VillageAnalysis.targetTechnologies) ? 1 : 0)
        ]
        for k in keys { v.append(s.signalDBm[k].map { .real((Double($0) * 10).rounded() / 10) } ?? .null) }
        return v
    }

    public static func text(_ v: FieldValue) -> String {
        switch v {
        case .string(let s): return s
        case .integer(let n): return String(n)
        case .real(let x):
            return CSV.number(x, decimals: x == x.rounded() && abs(x) > 1000 ? 0 : 6).replacingOccurrences(
                of: #"\.?0+$"#, with: "", options: .regularExpression)
        case .null: return ""
        }
    }

    /// Villages and population covered per operator and technology, and the 4G/5G target.
    public static func summaryText(_ result: CoverageResult, villages: [VillageStatus]) -> String {
        summaryText(result.layers, villages: villages)
    }

    public static func summaryText(_ result: CoverageLayers, villages: [VillageStatus]) -> String {
        let totalPop = villages.reduce(0) { $0 + $1.village.population }
        let keys = result.keys
        var out =
            "Coverage: \(result.transmitters.count) transmitters, grid \(result.spec.width)×\(result.spec.height) at \(Int(result.spec.resolutionM)) m (\(result.spec.crs)), model \(result.study.model), \(String(format: "%.1f", result.seconds)) s\n"
        out += "Villages: \(villages.count), population \(totalPop)\n\n"
        let header = ["operator", "tech", "threshold", "villages", "population", "share"]
        var rows: [[String]] = []
        for s in VillageAnalysis.summarize(villages, keys: keys) {
            rows.append([
                s.key.operatorName, s.key.technology.rawValue,
                String(format: "%.0f", result.study.thresholds.threshold(for: s.key.technology)) + (result.study.isFieldStrength ? " dBµV/m" : " dBm"),
                String(s.villagesCovered), String(s.populationCovered),
                totalPop > 0 ? String(format: "%.1f %%", 100 * Double(s.populationCovered) / Double(totalPop)) : "-"
            ])
        }
        out += table(header, rows)
        let uncovered = villages.filter { !$0.covered(by: VillageAnalysis.targetTechnologies) }
        let uncoveredPop = uncovered.reduce(0) { $0 + $1.village.population }
        out += "\nVillages without 4G/5G from any operator: \(uncovered.count) of \(villages.count), population \(uncoveredPop)"
        out += totalPop > 0 ? String(format: " (%.1f %%)\n", 100 * Double(uncoveredPop) / Double(totalPop)) : "\n"
        return out
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ r: [String]) -> String {
            r.enumerated().map { i, c in
                i < 2
                    ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - c.count) + c
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}

// A coverage output folder, written and read through ProductLayout and its completion record: the service
// rasters read back are the ones the record lists (with their operator and technology), never a directory listing.
import Foundation
import Geo
import Analysis
import Radio
import Records

public enum CoverageFolder {
    /// The completion record of a coverage run: the run record with its run id and products, the service rasters
    /// annotated with their operator and technology.
    public static func record(_ record: RunRecord, services: ProductLayout.Services, run: RunInfo, products: [ProductEntry]) throws -> Data {
        var byPath: [String: ServiceKey] = [:]
        for k in services.keys { byPath[services.raster(k)] = k }
        var r = record
        r.run = run
        r.products = products.map { e in
            var e = e
            if let k = byPath[e.path] { e.service = .init(operator: k.operatorName, technology: k.technology.rawValue) }
            return e
        }
        return try r.encoded()
    }

    /// Reads the service rasters of a verified `tanso coverage` folder (those its study.json lists), with
    /// best_server.tif and best_server_ids.csv. `transmitters` (the records of the run) give the carriers'
    /// bandwidths; without them the folder's coverage.gpkg `transmitters` layer gives frequencies and the
    /// bandwidths fall back to the defaults of `ServiceCarrier.fallback`.
    public static func layers(
        directory: String, transmitters given: [Transmitter]? = nil,
        warnings: inout [String]
    ) throws -> ServiceLayers {
        let record = try ProductFolder.verify(directory)
        let dir = URL(fileURLWithPath: directory)
        let services = record.products.filter { $0.service != nil }
        guard !services.isEmpty else {
            throw OutputFolderError(
                "\(directory): its record lists no service rasters (services/signal_<operator>_<tech>.tif): expected the output folder of tanso coverage")
        }
        let listed = Set(record.products.map(\.path))
        var transmitters = given ?? []
        var bandwidthsKnown = given != nil
        if given == nil, listed.contains(ProductLayout.coverageGPKG) {
            let gpkg = dir.appendingPathComponent(ProductLayout.coverageGPKG).path
            if let layer = try? VectorReader.read(gpkg, layer: "transmitters") {
                for f in layer.features {
                    guard let tech = f.attributes["technology"].flatMap(Technology.init(parsing:)),
                        let c = f.geometry?.centroid
                    else { continue }
                    let bw = f.attributes["bandwidth_mhz"].flatMap(DecimalNumber.parse)
                    if bw != nil { bandwidthsKnown = true }
                    transmitters.append(
                        Transmitter(
                            id: f.attributes["id"] ?? "", siteID: f.attributes["site_id"] ?? "", operatorName: f.attributes["operator"] ?? "",
                            technology: tech, latitude: c.y, longitude: c.x,
                            antennaHeightM: f.attributes["antenna_height_m"].flatMap(DecimalNumber.parse) ?? 30,
                            frequencyMHz: f.attributes["frequency_mhz"].flatMap(DecimalNumber.parse) ?? ServiceCarrier.fallback(tech).frequencyMHz,
                            bandwidthMHz: bw ?? ServiceCarrier.fallback(tech).bandwidthMHz,
                            eirpDBm: f.attributes["eirp_dbm"].flatMap(DecimalNumber.parse) ?? 60,
                            azimuthDeg: f.attributes["azimuth_deg"].flatMap(DecimalNumber.parse)))
                }
            }
        }
        if !bandwidthsKnown {
            warnings.append("the carriers' bandwidths are unknown (give --transmitters): converting with 2G 0.2, 3G 5, 4G 10, 5G 100 MHz")
        }

        var spec: GridSpec? = nil
        var keys: [ServiceKey] = [], layers: [[Float]] = []
        for entry in services {
            let s = entry.service!
            guard let tech = Technology(parsing: s.technology) else {
                throw OutputFolderError("\(directory)/\(ProductLayout.record): service \(entry.path) has an unknown technology '\(s.technology)'")
            }
            let ds = try RasterDataset(path: dir.appendingPathComponent(entry.path).path)
            let grid = try ds.readGrid()
            let g = GridSpec(crs: grid.crs, geoTransform: grid.geoTransform, width: grid.width, height: grid.height)
            if let spec, spec != g {
                throw OutputFolderError(
                    "\(directory)/\(entry.path): grid \(g.width)×\(g.height) differs from the other service rasters (\(spec.width)×\(spec.height)); expected one grid"
                )
            }
            spec = g
            var values = grid.values
            if let nd = grid.nodata, nd != CoverageResult.nodata {
                for i in values.indices where values[i] == nd || values[i].isNaN { values[i] = CoverageResult.nodata }
            }
            keys.append(ServiceKey(s.operator, tech))
            layers.append(values)
        }
        guard let spec else { throw OutputFolderError("\(directory): no usable service raster") }
        let order = keys.indices.sorted { keys[$0] < keys[$1] }

        // Best server: only usable when its table matches the transmitters' ids.
        var bestServer: [Int32]? = nil
        let bsPath = dir.appendingPathComponent(ProductLayout.bestServer).path, idsPath = dir.appendingPathComponent(ProductLayout.bestServerIDs).path
        if listed.contains(ProductLayout.bestServer), listed.contains(ProductLayout.bestServerIDs),
            let text = try? String(contentsOfFile: idsPath, encoding: .utf8)
        {
            let rows = CSV.parse(text)
            if let header = rows.first, let idCol = header.firstIndex(of: "transmitter_id") {
                let index = Dictionary(transmitters.enumerated().map { ($1.id, Int32($0)) }, uniquingKeysWith: { a, _ in a })
                let map = rows.dropFirst().map { $0.count > idCol ? index[$0[idCol]] ?? -1 : -1 }
                let grid = try RasterDataset(path: bsPath).readGrid()
                if grid.width == spec.width && grid.height == spec.height {
                    bestServer = grid.values.map { v in
                        let i = Int(v); return v.isNaN || i < 0 || i >= map.count ? -1 : map[i]
                    }
                }
            }
        }
        return ServiceLayers(
            spec: spec, keys: order.map { keys[$0] }, totalDBm: order.map { layers[$0] },
            transmitters: transmitters, bestServer: bestServer)
    }
}

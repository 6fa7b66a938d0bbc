// The composite rasters a compliance run reads: best total channel power per operator and technology on one grid
// (the `services/` folder of `tanso coverage`, or a CoverageResult in memory), with the carrier each service is
// converted with (bandwidth, frequency) and the transmitters behind them.
import Foundation
import Geo
import Radio
import Records

/// The carrier a service's total power is converted with to its metric.
public struct ServiceCarrier: Sendable, Equatable {
    public var bandwidthMHz: Double
    public var frequencyMHz: Double
    /// Where the figures came from ("transmitters", "default for 4G", …).
    public var source: String

    public init(bandwidthMHz: Double, frequencyMHz: Double, source: String) {
        self.bandwidthMHz = bandwidthMHz; self.frequencyMHz = frequencyMHz; self.source = source
    }

    /// Carriers assumed when the transmitters' bandwidths are unknown.
    public static func fallback(_ tech: Technology) -> ServiceCarrier {
        switch tech {
        case .gsm: return ServiceCarrier(bandwidthMHz: 0.2, frequencyMHz: 900, source: "default for 2G")
        case .umts: return ServiceCarrier(bandwidthMHz: 5, frequencyMHz: 2100, source: "default for 3G")
        case .lte: return ServiceCarrier(bandwidthMHz: 10, frequencyMHz: 1800, source: "default for 4G")
        case .nr: return ServiceCarrier(bandwidthMHz: 100, frequencyMHz: 3500, source: "default for 5G")
        default: return ServiceCarrier(bandwidthMHz: 1, frequencyMHz: 100, source: "default")
        }
    }

    /// The carrier of a service from its transmitters: the widest bandwidth (its metric offset is the most negative,
    /// so the converted value never overstates the metric of any of the service's carriers).
    public static func of(_ key: ServiceKey, transmitters: [Transmitter]) -> ServiceCarrier {
        let own = transmitters.filter { $0.operatorName == key.operatorName && $0.technology == key.technology }
        guard let widest = own.max(by: { ($0.bandwidthMHz, -$0.frequencyMHz) < ($1.bandwidthMHz, -$1.frequencyMHz) }) else {
            return fallback(key.technology)
        }
        let distinct = Set(own.map(\.bandwidthMHz)).count
        return ServiceCarrier(bandwidthMHz: widest.bandwidthMHz, frequencyMHz: widest.frequencyMHz,
                              source: distinct > 1 ? "widest of \(distinct) bandwidths in the transmitters" : "transmitters")
    }
}

public struct ServiceLayers: Sendable {
    public let spec: GridSpec
    /// Services in sorted order; `totalDBm[i]` is the layer of `keys[i]` (nodata −9999).
    public let keys: [ServiceKey]
    public let totalDBm: [[Float]]
    public var carriers: [ServiceCarrier]
    /// The transmitters behind the layers (may be empty when unknown).
    public let transmitters: [Transmitter]
    /// Index into `transmitters` of the best server per cell (−1 none), when known.
    public let bestServer: [Int32]?

    public init(spec: GridSpec, keys: [ServiceKey], totalDBm: [[Float]], transmitters: [Transmitter],
                bestServer: [Int32]? = nil, carriers: [ServiceCarrier]? = nil) {
        precondition(keys.count == totalDBm.count)
        self.spec = spec; self.keys = keys; self.totalDBm = totalDBm
        self.transmitters = transmitters; self.bestServer = bestServer
        self.carriers = carriers ?? keys.map { ServiceCarrier.of($0, transmitters: transmitters) }
    }

    /// The layers of a coverage result in memory.
    public init(result: CoverageResult) {
        let keys = result.serviceDBm.keys.sorted()
        self.init(spec: result.spec, keys: keys, totalDBm: keys.map { result.serviceDBm[$0]! },
                  transmitters: result.transmitters, bestServer: result.bestServer)
    }

    /// Reads the `services/signal_<operator>_<tech>.tif` rasters of a `tanso coverage` output folder, with
    /// best_server.tif and best_server_ids.csv when present. `transmitters` (the records of the run) give the
    /// operators' names and the carriers' bandwidths; without them the folder's coverage.gpkg `transmitters` layer
    /// gives names and frequencies and the bandwidths fall back to the defaults of `ServiceCarrier.fallback`.
    public static func load(directory: String, transmitters given: [Transmitter]? = nil,
                            warnings: inout [String]) throws -> ServiceLayers {
        let dir = URL(fileURLWithPath: directory)
        let servicesDir = dir.appendingPathComponent("services")
        let fm = FileManager.default
        guard let files = try? fm.contentsOfDirectory(atPath: servicesDir.path) else {
            throw StudyError("\(directory): no services/ folder: expected the output folder of tanso coverage (services/signal_<operator>_<tech>.tif)")
        }
        let tifs = files.filter { $0.hasPrefix("signal_") && $0.hasSuffix(".tif") }.sorted()
        guard !tifs.isEmpty else { throw StudyError("\(servicesDir.path): no signal_<operator>_<tech>.tif rasters") }

        var transmitters = given ?? []
        var bandwidthsKnown = given != nil
        if given == nil {
            let gpkg = dir.appendingPathComponent("coverage.gpkg").path
            if fm.fileExists(atPath: gpkg), let layer = try? VectorReader.read(gpkg, layer: "transmitters") {
                for f in layer.features {
                    guard let tech = f.attributes["technology"].flatMap(Technology.init(parsing:)),
                          let c = f.geometry?.centroid else { continue }
                    let bw = f.attributes["bandwidth_mhz"].flatMap(DecimalNumber.parse)
                    if bw != nil { bandwidthsKnown = true }
                    transmitters.append(Transmitter(
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
        var nameBySlug: [String: String] = [:]
        for t in transmitters { nameBySlug[slug(t.operatorName)] = t.operatorName }

        var spec: GridSpec? = nil
        var keys: [ServiceKey] = [], layers: [[Float]] = []
        for file in tifs {
            let stem = String(file.dropFirst("signal_".count).dropLast(".tif".count))
            guard let cut = stem.lastIndex(of: "_"), let tech = Technology(parsing: String(stem[stem.index(after: cut)...])) else {
                warnings.append("\(file): name is not signal_<operator>_<tech>.tif; ignored")
                continue
            }
            let opSlug = String(stem[..<cut])
            let ds = try RasterDataset(path: servicesDir.appendingPathComponent(file).path)
            let grid = try ds.readGrid()
            let s = GridSpec(crs: grid.crs, geoTransform: grid.geoTransform, width: grid.width, height: grid.height)
            if let spec, spec != s {
                throw StudyError("\(file): grid \(s.width)×\(s.height) differs from the other service rasters (\(spec.width)×\(spec.height)); expected one grid")
            }
            spec = s
            var values = grid.values
            if let nd = grid.nodata, nd != CoverageResult.nodata {
                for i in values.indices where values[i] == nd || values[i].isNaN { values[i] = CoverageResult.nodata }
            }
            keys.append(ServiceKey(nameBySlug[opSlug] ?? opSlug, tech))
            layers.append(values)
        }
        guard let spec else { throw StudyError("\(servicesDir.path): no usable service raster") }
        let order = keys.indices.sorted { keys[$0] < keys[$1] }

        // Best server: only usable when its table matches the transmitters' ids.
        var bestServer: [Int32]? = nil
        let bsPath = dir.appendingPathComponent("best_server.tif").path, idsPath = dir.appendingPathComponent("best_server_ids.csv").path
        if fm.fileExists(atPath: bsPath), let text = try? String(contentsOfFile: idsPath, encoding: .utf8) {
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
        return ServiceLayers(spec: spec, keys: order.map { keys[$0] }, totalDBm: order.map { layers[$0] },
                             transmitters: transmitters, bestServer: bestServer)
    }

    static func slug(_ s: String) -> String {
        String(s.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// Per service, the total channel power (dBm) at which it meets its technology's metric threshold.
    public func totalThresholds(_ thresholds: MetricThresholds) throws -> [Float] {
        try keys.indices.map { i in
            do {
                return Float(try thresholds.totalPowerThreshold(for: keys[i].technology, bandwidthMHz: carriers[i].bandwidthMHz,
                                                                frequencyMHz: carriers[i].frequencyMHz))
            } catch {
                throw StudyError("service \(keys[i]) (carrier \(carriers[i].bandwidthMHz) MHz from \(carriers[i].source)): \(error)")
            }
        }
    }

    /// Metric offset (metric − total power, dB) per service.
    public func metricOffsets(_ thresholds: MetricThresholds) throws -> [Float] {
        try keys.indices.map { i in
            Float(try thresholds.metric(for: keys[i].technology).offsetDB(bandwidthMHz: carriers[i].bandwidthMHz,
                                                                          frequencyMHz: carriers[i].frequencyMHz,
                                                                          scsKHz: thresholds.nrSCSkHz))
        }
    }

    /// The technologies present, sorted.
    public var technologies: [Technology] { Array(Set(keys.map(\.technology))).sorted() }
    public var operators: [String] { Array(Set(keys.map(\.operatorName))).sorted() }
}

/// Grid cells of polygons: the cells whose centres fall inside (even-odd rule, holes respected), by scanline.
public enum GridCells {
    /// Cells of a WGS 84 polygonal geometry on `spec`'s grid. `total` counts the cell centres inside the polygon
    /// also beyond the grid's edge (they have no data: uncovered); `cells` lists those on the grid.
    public static func cells(of geometry: Geometry, spec: GridSpec, transform: CoordinateTransform) -> (cells: [Int], total: Int) {
        var cells: [Int] = [], total = 0
        let gt = spec.geoTransform
        for poly in geometry.polygons {
            // Rings in grid pixel coordinates (col, row as continuous values).
            var rings: [[(Double, Double)]] = []
            for ring in poly where ring.count >= 3 {
                var xs = ring.map(\.x), ys = ring.map(\.y)
                transform.transform(xs: &xs, ys: &ys)
                rings.append(zip(xs, ys).map { gt.pixel(x: $0, y: $1) }.map { ($0.col, $0.row) })
            }
            guard let outer = rings.first else { continue }
            let minRow = outer.map(\.1).min()!, maxRow = outer.map(\.1).max()!
            guard minRow.isFinite, maxRow.isFinite, maxRow - minRow < 1e6 else { continue }
            var r = Int(ceil(minRow - 0.5))
            var xsAt: [Double] = []
            while Double(r) + 0.5 <= maxRow {
                let y = Double(r) + 0.5
                xsAt.removeAll(keepingCapacity: true)
                for ring in rings {
                    var j = ring.count - 1
                    for i in 0..<ring.count {
                        let a = ring[i], b = ring[j]
                        if (a.1 > y) != (b.1 > y) { xsAt.append(a.0 + (y - a.1) * (b.0 - a.0) / (b.1 - a.1)) }
                        j = i
                    }
                }
                xsAt.sort()
                var k = 0
                while k + 1 < xsAt.count {
                    // Centres c + 0.5 in [x0, x1).
                    let c0 = Int(ceil(xsAt[k] - 0.5)), c1 = Int(ceil(xsAt[k + 1] - 0.5)) - 1
                    if c1 >= c0 {
                        total += c1 - c0 + 1
                        if r >= 0 && r < spec.height {
                            let lo = max(c0, 0), hi = min(c1, spec.width - 1)
                            if hi >= lo { for c in lo...hi { cells.append(r * spec.width + c) } }
                        }
                    }
                    k += 2
                }
                r += 1
            }
        }
        return (cells, total)
    }

    /// The cell holding a WGS 84 point already in grid coordinates, or nil outside the grid.
    @inline(__always) public static func cell(x: Double, y: Double, spec: GridSpec) -> Int? {
        let px = spec.geoTransform.pixel(x: x, y: y)
        guard px.col.isFinite, px.row.isFinite else { return nil }
        let c = Int(floor(px.col)), r = Int(floor(px.row))
        guard c >= 0, r >= 0, c < spec.width, r < spec.height else { return nil }
        return r * spec.width + c
    }
}

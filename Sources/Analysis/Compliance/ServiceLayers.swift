// The composite rasters a compliance run reads: best total channel power per operator and technology on one grid
// (the `services/` rasters of a `tanso coverage` folder, read by Reports' CoverageFolder, or a CoverageResult in memory), with the carrier each service is
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
        return ServiceCarrier(
            bandwidthMHz: widest.bandwidthMHz, frequencyMHz: widest.frequencyMHz,
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

    public init(
        spec: GridSpec, keys: [ServiceKey], totalDBm: [[Float]], transmitters: [Transmitter],
        bestServer: [Int32]? = nil, carriers: [ServiceCarrier]? = nil
    ) {
        precondition(keys.count == totalDBm.count)
        self.spec = spec; self.keys = keys; self.totalDBm = totalDBm
        self.transmitters = transmitters; self.bestServer = bestServer
        self.carriers = carriers ?? keys.map { ServiceCarrier.of($0, transmitters: transmitters) }
    }

    /// The layers of a coverage result in memory.
    public init(result: CoverageResult) {
        let keys = result.serviceDBm.keys.sorted()
        self.init(
            spec: result.spec, keys: keys, totalDBm: keys.map { result.serviceDBm[$0]! },
            transmitters: result.transmitters, bestServer: result.bestServer)
    }

    // Reading a coverage output folder is Reports' CoverageFolder.layers (through the folder's record).

    /// Per service, the total channel power (dBm) at which it meets its technology's metric threshold.
    public func totalThresholds(_ thresholds: MetricThresholds) throws -> [Float] {
        try keys.indices.map { i in
            do {
                return Float(
                    try thresholds.totalPowerThreshold(
                        for: keys[i].technology, bandwidthMHz: carriers[i].bandwidthMHz,
                        frequencyMHz: carriers[i].frequencyMHz))
            } catch {
                throw StudyError("service \(keys[i]) (carrier \(carriers[i].bandwidthMHz) MHz from \(carriers[i].source)): \(error)")
            }
        }
    }

    /// Metric offset (metric − total power, dB) per service.
    public func metricOffsets(_ thresholds: MetricThresholds) throws -> [Float] {
        try keys.indices.map { i in
            Float(
                try thresholds.metric(for: keys[i].technology).offsetDB(
                    bandwidthMHz: carriers[i].bandwidthMHz,
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

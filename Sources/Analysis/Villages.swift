// Which villages are covered: per service (operator × technology) from the coverage result, or from any
// single-band raster in dBm with one threshold.
import Foundation
import Geo
import Radio
import Records

public struct VillageStatus: Sendable {
    public let village: Village
    /// Best signal (dBm) per service at the village point; missing = no signal above the floor.
    public let signalDBm: [ServiceKey: Float]
    /// Services whose signal meets their technology's threshold.
    public let coveredBy: Set<ServiceKey>
    /// Best signal over all services (dBm), nil if none.
    public let bestDBm: Float?
    /// Id of the best server at the village, if any.
    public let bestServerID: String?

    /// Covered by any operator with any of the given technologies.
    public func covered(by techs: Set<Technology>) -> Bool { coveredBy.contains { techs.contains($0.technology) } }
}

public struct ServiceSummary: Sendable {
    public let key: ServiceKey
    public let villagesCovered: Int
    public let populationCovered: Int
}

public enum VillageAnalysis {
    /// The technologies that count for the province's village target ("every village covered by 4G/5G").
    public static let targetTechnologies: Set<Technology> = [.lte, .nr]

    public static func evaluate(_ result: CoverageResult, villages: [Village]) throws -> [VillageStatus] {
        try evaluate(result.layers, villages: villages)
    }

    /// Each village's signal per service, covered services, best signal and server, reading one layer at a time.
    public static func evaluate(_ layers: CoverageLayers, villages: [Village]) throws -> [VillageStatus] {
        let spec = layers.spec
        let t = try CoordinateTransform(from: "EPSG:4326", to: spec.crs)
        let thresholds = layers.study.thresholds
        var xs = villages.map(\.longitude), ys = villages.map(\.latitude)
        t.transform(xs: &xs, ys: &ys)
        // The cell of each village (nil outside the grid).
        let cells: [Int?] = villages.indices.map { i in
            let px = spec.geoTransform.pixel(x: xs[i], y: ys[i])
            let c = Int(floor(px.col)), r = Int(floor(px.row))
            let inside = xs[i].isFinite && c >= 0 && r >= 0 && c < spec.width && r < spec.height
            return inside ? r * spec.width + c : nil
        }
        func sampled(_ layer: CoverageLayers.Layer) throws -> [Float?] {
            let values = try layers.values(layer)
            return cells.map { $0.map { values[$0] } }
        }
        var signal = [[ServiceKey: Float]](repeating: [:], count: villages.count)
        var covered = [Set<ServiceKey>](repeating: [], count: villages.count)
        for k in layers.keys {
            for (i, v) in try sampled(.service(k)).enumerated() {
                guard let val = v, val != CoverageResult.nodata else { continue }
                signal[i][k] = val
                if Double(val) >= thresholds.threshold(for: k.technology) { covered[i].insert(k) }
            }
        }
        let best = try sampled(.bestSignal), server = try sampled(.bestServer)
        return villages.enumerated().map { i, v in
            let b = best[i].flatMap { $0 == CoverageResult.nodata ? nil : $0 }
            let s = server[i].flatMap { $0 >= 0 ? layers.transmitters[Int($0)].id : nil }
            return VillageStatus(village: v, signalDBm: signal[i], coveredBy: covered[i], bestDBm: b, bestServerID: s)
        }
    }

    public static func summarize(_ statuses: [VillageStatus], keys: [ServiceKey]) -> [ServiceSummary] {
        keys.map { k in
            let cov = statuses.filter { $0.coveredBy.contains(k) }
            return ServiceSummary(key: k, villagesCovered: cov.count, populationCovered: cov.reduce(0) { $0 + $1.village.population })
        }
    }

    /// Villages against a single-band raster (dBm): uncovered when the value at the village is below the
    /// threshold, nodata, or outside the raster. Returns (village, value) for every village.
    public static func againstRaster(
        _ raster: RasterGrid, villages: [Village], thresholdDBm: Double
    ) throws
        -> [(village: Village, valueDBm: Float?, covered: Bool)]
    {
        var xs = villages.map(\.longitude), ys = villages.map(\.latitude)
        if !raster.crs.isEmpty, !(try SpatialReference.isGeographic(raster.crs)) {
            let t = try CoordinateTransform(from: "EPSG:4326", to: raster.crs)
            t.transform(xs: &xs, ys: &ys)
        }
        return villages.enumerated().map { i, v in
            let value = xs[i].isFinite ? raster.value(atX: xs[i], y: ys[i]) : nil
            return (v, value, value.map { Double($0) >= thresholdDBm } ?? false)
        }
    }
}

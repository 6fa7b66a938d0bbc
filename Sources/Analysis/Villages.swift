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
        let t = try CoordinateTransform(from: "EPSG:4326", to: result.spec.crs)
        let thresholds = result.study.thresholds
        var xs = villages.map(\.longitude), ys = villages.map(\.latitude)
        t.transform(xs: &xs, ys: &ys)
        let keys = result.serviceDBm.keys.sorted()
        return villages.enumerated().map { i, v in
            let px = result.spec.geoTransform.pixel(x: xs[i], y: ys[i])
            let c = Int(floor(px.col)), r = Int(floor(px.row))
            let inside = xs[i].isFinite && c >= 0 && r >= 0 && c < result.spec.width && r < result.spec.height
            var signal: [ServiceKey: Float] = [:], covered: Set<ServiceKey> = []
            var best: Float? = nil, server: String? = nil
            if inside {
                let idx = r * result.spec.width + c
                for k in keys {
                    let val = result.serviceDBm[k]![idx]
                    guard val != CoverageResult.nodata else { continue }
                    signal[k] = val
                    if Double(val) >= thresholds.threshold(for: k.technology) { covered.insert(k) }
                }
                let b = result.bestSignalDBm[idx]
                if b != CoverageResult.nodata { best = b }
                let s = result.bestServer[idx]
                if s >= 0 { server = result.transmitters[Int(s)].id }
            }
            return VillageStatus(village: v, signalDBm: signal, coveredBy: covered, bestDBm: best, bestServerID: server)
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

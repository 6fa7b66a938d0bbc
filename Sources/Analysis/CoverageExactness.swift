// How far the coverage engine is from `tanso pathloss` on each pixel's own geodesic profile.
import Foundation
import Geo
import Propagation
import Terrain

public enum CoverageExactness {
    public struct Report: Sendable {
        public var samples: Int
        public var medianAbsDB: Double
        public var p95AbsDB: Double
        public var maxAbsDB: Double
    }

    /// Picks `samples` random cells (fixed seed) where transmitter `index` is the best server, recomputes each
    /// with the link-mode path (geodesic profile from `ElevationModel.profile`, the same model and settings, the
    /// same spacing rule) for an omnidirectional antenna, and compares.
    public static func compare(
        _ result: CoverageResult, transmitterIndex index: Int = 0, dem: ElevationModel,
        samples: Int = 1000, seed: UInt64 = 42
    ) throws -> Report {
        let tx = result.transmitters[index]
        guard tx.azimuthDeg == nil else { throw StudyError("exactness is measured for omnidirectional transmitters") }
        guard let id = PathLossModelID(rawValue: result.study.model) else { throw StudyError("model \(result.study.model) is the fast Hata path") }
        let model = try ProfileModel(id, settings: result.study.modelSettings)
        let spec = result.spec
        let back = try CoordinateTransform(from: spec.crs, to: "EPSG:4326")
        var candidates: [Int] = []
        for i in 0..<spec.cellCount where result.bestServer[i] == Int32(index) { candidates.append(i) }
        guard !candidates.isEmpty else { throw StudyError("transmitter \(tx.id) serves no cell") }
        var state = seed
        func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
        var diffs: [Double] = []
        for _ in 0..<min(samples, candidates.count) {
            let idx = candidates[next() % candidates.count]
            let c = spec.cellCentre(col: idx % spec.width, row: idx / spec.width)
            let ll = try back.transform(x: c.x, y: c.y)
            let spacing = result.study.profileSpacingM ?? dem.cellSizeM
            let p = try dem.profile(fromLon: tx.longitude, lat1: tx.latitude, toLon: ll.x, lat2: ll.y, spacingM: spacing)
            let link = PathLink(
                frequencyMHz: tx.frequencyMHz, txHeightM: tx.antennaHeightM, rxHeightM: result.study.receiverHeightM,
                coordinates: (tx.latitude, tx.longitude, ll.y, ll.x))
            let loss = try model.lossDB(profile: TerrainProfile(elevationsM: p.elevationsM, spacingM: p.spacingM), link: link).lossDB
            diffs.append(abs(Double(result.bestSignalDBm[idx]) - (tx.eirpDBm - loss)))
        }
        diffs.sort()
        func q(_ f: Double) -> Double { diffs[min(diffs.count - 1, Int((Double(diffs.count - 1) * f).rounded()))] }
        return Report(samples: diffs.count, medianAbsDB: q(0.5), p95AbsDB: q(0.95), maxAbsDB: diffs.last!)
    }
}

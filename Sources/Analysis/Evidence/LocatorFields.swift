// Path loss from every candidate cell to every measurement point, through the coverage engine.
//
// Loss is reciprocal, so each measurement point is taken as the transmitter (at its receive height, isotropic,
// 0 dBm) and the candidate cells as receivers at the candidate emitter height: one coverage run per point and
// height gives the loss to every cell, with the engine's radial profiles (one fan of radials per point, shared by all
// cells) for terrain models. A cell's loss is −(received power).
import Foundation
import Geo
import Radio
import Records
import Terrain

extension LossFields {
    /// The candidate grid (UTM, as coverage) over `area` (west, south, east, north) and the losses.
    public static func compute(
        measurements: [LevelMeasurement], frequencyMHz: Double, area: (west: Double, south: Double, east: Double, north: Double),
        resolutionM: Double, heightsM: [Double], model: String, modelSettings: [String: String] = [:], dem: ElevationModel?,
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> LossFields {
        let spec = try GridSpec.utm(west: area.west, south: area.south, east: area.east, north: area.north, resolutionM: resolutionM)
        var xs: [Double] = [], ys: [Double] = []
        for r in 0..<spec.height {
            for c in 0..<spec.width { let p = spec.cellCentre(col: c, row: r); xs.append(p.x); ys.append(p.y) }
        }
        try CoordinateTransform(from: spec.crs, to: "EPSG:4326").transform(xs: &xs, ys: &ys)
        let corners = [(area.south, area.west), (area.south, area.east), (area.north, area.west), (area.north, area.east)]
        var losses: [[[Float]]] = []
        var done = 0
        for h in heightsM {
            var perPoint: [[Float]] = []
            for m in measurements {
                var study = CoverageStudy(west: area.west, south: area.south, east: area.east, north: area.north)
                study.resolutionM = resolutionM
                study.model = model
                study.modelSettings = modelSettings
                study.receiverHeightM = h
                study.floorDBm = -1000
                study.maxRadiusKm = corners.map { Geodesy.distanceKm(m.latitude, m.longitude, $0.0, $0.1) }.max()! + 2 * resolutionM / 1000
                let probe = Transmitter(
                    id: "P\(m.row)", siteID: "P\(m.row)", operatorName: "locate", technology: .other, latitude: m.latitude,
                    longitude: m.longitude, antennaHeightM: m.rxHeightM, frequencyMHz: frequencyMHz, bandwidthMHz: 0.2,
                    eirpDBm: 0, azimuthDeg: nil)
                let result = try CoverageEngine.run(study: study, transmitters: [probe], dem: dem)
                perPoint.append(result.bestSignalDBm.map { $0 == CoverageResult.nodata || !$0.isFinite ? .nan : -$0 })
                done += 1
                progress?(done, heightsM.count * measurements.count)
            }
            losses.append(perPoint)
        }
        return LossFields(spec: spec, heightsM: heightsM, cellLat: ys, cellLon: xs, losses: losses)
    }
}

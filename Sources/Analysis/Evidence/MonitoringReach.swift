// How far each assignment can be received: the distance beyond which even the most optimistic loss puts its
// predicted level below the detection threshold. Without a DEM that bound is the simple model itself (monotonic in
// distance; antenna discrimination only lowers the level); over a DEM it is free space + P.526 smooth-Earth
// diffraction with the antennas raised by the DEM's relief (as the register checks bound terrain paths). Losses
// are tabulated once per (frequency rounded down on a 1/32-octave scale, heights rounded up, path type) at 64
// log-spaced distances, and the reach is the first tabulated distance whose loss exceeds the budget: an upper bound.
import Foundation
import Geo
import Propagation
import Records

struct MonitoringReach {
    static let points = 64
    let maxKm: Double

    struct Key: Hashable { var fBucket: Int; var txH: Int; var rxH: Int; var lineOfSight: Bool }

    func distancesKm() -> [Double] { (0..<Self.points).map { 0.01 * pow(maxKm / 0.01, Double($0) / Double(Self.points - 1)) } }

    /// Reach of every assignment, km, for receivers up to `rxHeightM` above ground.
    func reachKm(_ assignments: [Assignment], correlation c: MonitoringCorrelation, rxHeightM: Double) -> [Double] {
        let d = distancesKm()
        var tables: [Key: [Double]] = [:]
        let relief = c.terrain.map { $0.maxElevationM - $0.minElevationM } ?? 0
        let rxH = Int((max(rxHeightM, 0.5) + relief).rounded(.up))
        return assignments.map { a in
            let lineOfSight = c.terrain != nil || a.serviceKind == .fixed
            let fBucket = Int(floor(log2(max(a.tx.centreMHz, 0.001)) * 32))
            let txH = Int((a.antennaHeightM + (c.terrain?.reliefM(latitude: a.latitude, longitude: a.longitude) ?? 0)).rounded(.up))
            let key = Key(fBucket: fBucket, txH: txH, rxH: rxH, lineOfSight: lineOfSight)
            if tables[key] == nil {
                let f = pow(2, Double(fBucket) / 32)
                tables[key] = d.map { km in
                    lineOfSight
                        ? ConflictPropagation.lineOfSightLossDB(distanceKm: km, frequencyMHz: f, txHeightM: Double(txH), rxHeightM: Double(rxH))
                        : ConflictPropagation.simpleLossDB(
                            distanceKm: km, frequencyMHz: f, txHeightM: Double(txH), rxHeightM: Double(rxH), lineOfSight: false,
                            environment: c.settings.environment)
                }
            }
            let loss = tables[key]!
            // E = EIRP − L + 20 log f + 77.2 + bias ≥ threshold  ⇔  L ≤ budget.
            let budget = a.eirpDBm + 20 * log10(a.tx.centreMHz) + 77.2 + max(0, c.sigmaBias(a).biasDB) - c.settings.detectionThresholdDBuVm
            guard let i = loss.firstIndex(where: { $0 > budget }) else { return maxKm }
            return d[i]
        }
    }
}

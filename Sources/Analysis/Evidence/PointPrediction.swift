// A coverage study's prediction at exact points, for measurements: the same model, settings, antennas and
// clutter as `tanso coverage`, evaluated on each point's own profile instead of a raster cell.
//
// Received power P = EIRP + G_rel(φ, θ) − L − L_clutter − L_class − L_calibration, with
//   - L: the Hata family (Okumura-Hata ≤ 1500 MHz, COST-231 above, never below free space: `Hata.loss`) at the
//     geodesic distance; or any model of `tanso pathloss` on the geodesic terrain profile from the site to the
//     point (`ElevationModel.profile`, as link mode samples it; a flat profile for models without terrain);
//   - G_rel: the transmitter's gain table (pattern file or 3GPP sector, as the engine builds it) toward the true
//     bearing and the depression angle (ground heights of both ends from the DEM, 4/3 Earth curvature);
//   - L_clutter: ITU-R P.2108 §3.2 at the study's location percentage (at d ≥ 0.25 km, the model's bound);
//   - L_class: the land-cover class table at the point (the caller passes it);
//   - L_calibration: a study's calibration (offset, slope per decade of distance, class corrections).
// The metric (RxLev, RSCP, RSRP, SS-RSRP) follows `SignalMetric`; field strength is E = P + 20 log10 f + 77.2.
import Dispatch
import Foundation
import Geo
import Propagation
import Radio
import Records
import Terrain

public struct PointPrediction: Sendable {
    /// Received total channel power, dBm.
    public let totalDBm: Double
    public let lossDB: Double
    public let antennaGainDB: Double
    /// Geodesic distance from the site, km.
    public let distanceKm: Double
}

public struct PointPredictor: Sendable {
    public let plan: ValidatedStudy
    public let transmitters: [Transmitter]
    let dem: ElevationModel?
    let gainTables: [AntennaGainTable?]
    let siteGroundM: [Double]

    public init(
        study: CoverageStudy, transmitters: [Transmitter], dem: ElevationModel?, antennas: AntennaLibrary? = nil,
        sectorAntenna: SectorAntenna = SectorAntenna()
    ) throws {
        plan = try study.validated()
        if plan.model == .lineOfSight { throw StudyError("model 'los' predicts coverage areas, not levels at points: choose hata or a terrain model") }
        if plan.model.needsTerrain && dem == nil { throw StudyError("model '\(plan.model)' needs terrain: give a DEM (--dem)") }
        self.transmitters = transmitters
        self.dem = dem
        var tables = CoverageEngine.AntennaTables(antennas: antennas, sectorAntenna: sectorAntenna)
        gainTables = try transmitters.map { try tables.table(for: $0) }
        // A site outside the DEM fails only the measurements attributed to it (NaN here, an error when predicted).
        siteGroundM = transmitters.map { (try? CoverageEngine.demPosition($0, dem: dem).groundM) ?? .nan }
    }

    /// Received power of transmitter `t` at a point whose land-cover class is `classCode` (nil: none known).
    public func predict(_ t: Int, latitude: Double, longitude: Double, rxHeightM: Double, classCode: Int? = nil) throws -> PointPrediction {
        let tx = transmitters[t], study = plan.study
        guard !siteGroundM[t].isNaN else {
            throw StudyError("transmitter \(tx.id) at (\(tx.latitude), \(tx.longitude)) has no elevation in the DEM (outside it or nodata)")
        }
        let inv = Geodesic.inverse(lon1: tx.longitude, lat1: tx.latitude, lon2: longitude, lat2: latitude)
        let dM = max(inv.distanceM, 1), dKm = dM / 1000
        let loss: Double
        switch plan.model {
        case .hataKernel:
            let setup = try Hata.Setup(
                variant: tx.frequencyMHz <= 1500 ? .okumuraHata : .cost231, environment: plan.environment, citySize: .smallMedium,
                frequencyMHz: tx.frequencyMHz, baseHeightM: tx.antennaHeightM, mobileHeightM: rxHeightM)
            loss = try Hata.loss(distanceKm: dKm, setup: setup).lossDB
        case .profile:
            loss = try profileLossDB(tx, latitude: latitude, longitude: longitude, distanceM: dM, rxHeightM: rxHeightM)
        case .lineOfSight:
            throw StudyError("model 'los' cannot predict at points")
        }
        var gain = 0.0
        if let table = gainTables[t], let az = tx.azimuthDeg {
            let rxGround = dem?.elevation(longitude: longitude, latitude: latitude) ?? 0
            let txAbs = siteGroundM[t] + tx.antennaHeightM, rxAbs = rxGround + rxHeightM
            let depression = atan2(txAbs - rxAbs, dM) * 180 / .pi + dM / (2 * CoverageEngine.effectiveEarthRadiusM) * 180 / .pi
            gain = Double(table.relativeGainDB(azimuthOffDeg: inv.azimuth1Deg - az, depressionDeg: depression))
        }
        var clutter = 0.0
        if let pct = study.clutterLocationPct {
            clutter = try P2108.terrestrialClutterLoss(frequencyGHz: tx.frequencyMHz / 1000, distanceKm: max(0.25, dKm), locationPercent: pct).lossDB
        }
        let calibration = study.calibration?.lossDB(distanceKm: dKm, classCode: classCode) ?? 0
        let total = tx.eirpDBm + gain - loss - clutter - (try classLossDB(classCode)) - calibration
        guard total.isFinite else { throw NonFiniteResultError(model: plan.model.name, quantity: "received power", value: total) }
        return PointPrediction(totalDBm: total, lossDB: loss, antennaGainDB: gain, distanceKm: dKm)
    }

    /// The study's land-cover table at a class (0 without a table or a class); a class missing from the table is
    /// an error, as in `tanso coverage`.
    func classLossDB(_ code: Int?) throws -> Double {
        guard let code, let table = plan.study.clutterClassLossDB else { return 0 }
        guard let v = table[String(code)] else {
            throw StudyError("land-cover class \(code) is not in the clutter class table")
        }
        return v
    }

    func profileLossDB(_ tx: Transmitter, latitude: Double, longitude: Double, distanceM: Double, rxHeightM: Double) throws -> Double {
        let model = plan.profileModel!, study = plan.study
        let profile: TerrainProfile
        if let dem {
            let p = try dem.profile(
                fromLon: tx.longitude, lat1: tx.latitude, toLon: longitude, lat2: latitude, spacingM: study.profileSpacingM,
                maxPoints: study.maxProfilePoints ?? Int.max)
            profile = TerrainProfile(elevationsM: p.elevationsM, spacingM: p.spacingM)
        } else {
            let n = ProfileSampling.intervals(distanceM: distanceM, spacingM: study.profileSpacingM ?? 100)
            profile = TerrainProfile(elevationsM: [Double](repeating: 0, count: n + 1), spacingM: distanceM / Double(n))
        }
        let link = PathLink(
            frequencyMHz: tx.frequencyMHz, txHeightM: tx.antennaHeightM, rxHeightM: rxHeightM,
            coordinates: (tx.latitude, tx.longitude, latitude, longitude))
        return try model.lossDB(profile: profile, link: link).lossDB
    }

    /// The measured quantity from a received total power: the technology's metric of the transmitter's carrier,
    /// total power, or field strength.
    public func metricValue(totalDBm: Double, metric: MeasurementMetric, transmitter t: Int, cpichShareDB: Double = -10) throws -> Double {
        let tx = transmitters[t]
        switch metric {
        case .totalDBm: return totalDBm
        case .fieldDBuVm: return DB.fieldStrengthDBuVm(powerDBm: totalDBm, frequencyMHz: tx.frequencyMHz)
        case .rxlev, .rscp, .rsrp, .ssRSRP:
            return try SignalMetric(technology: tx.technology, cpichShareDB: cpichShareDB).value(
                totalDBm: totalDBm, bandwidthMHz: tx.bandwidthMHz, frequencyMHz: tx.frequencyMHz)
        }
    }
}

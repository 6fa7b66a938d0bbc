// Path loss for the register checks.
//
// Without a DEM ("simple model"): for paths that end in a service area or at a land-mobile station,
// L = max(L_Hata(d), L_fs(d) + L_dsph(d)): Okumura-Hata up to 1500 MHz and COST-231 Hata above (extrapolated
// outside their ranges, mobile height clamped to 1–10 m), never below free space plus the ITU-R P.526
// spherical-Earth diffraction loss, so that paths beyond the radio horizon are not given Hata's gentle
// extrapolated slope. Fixed-to-fixed paths (line of sight by design): L = L_fs + L_dsph. Effective Earth
// radius 4/3 × 6371 km.
// With a DEM: the chosen model (`ProfileModel`, as `tanso pathloss`) on the geodesic terrain profile.
import Foundation
import Geo
import Propagation
import Terrain

enum ConflictPropagation {
    static let effectiveEarthRadiusKm = 6371.0 * 4 / 3

    /// Free space plus spherical-Earth diffraction, dB.
    static func lineOfSightLossDB(distanceKm: Double, frequencyMHz: Double, txHeightM: Double, rxHeightM: Double) -> Double {
        let d = max(distanceKm, 0.001)
        let fs = FreeSpace.lossDB(distanceKm: d, frequencyMHz: frequencyMHz)
        // Beyond 60 % of the smooth-Earth horizon only: nearer, the first Fresnel zone is clear (L_dsph = 0) for
        // any realistic antenna height, and skipping the evaluation keeps short paths cheap.
        let horizon = (2 * effectiveEarthRadiusKm).squareRoot() * ((0.001 * txHeightM).squareRoot() + (0.001 * rxHeightM).squareRoot())
        guard d > 0.6 * horizon else { return fs }
        let sph = P526.sphericalEarthDiffraction(
            distanceKm: d, txHeightM: txHeightM, rxHeightM: rxHeightM,
            effectiveEarthRadiusKm: effectiveEarthRadiusKm, frequencyMHz: frequencyMHz,
            polarization: .vertical, ground: .land)
        return fs + max(0, sph.lossDB)
    }

    /// Hata (or COST-231 above 1500 MHz) median loss, dB, extrapolated.
    static func hataLossDB(
        distanceKm: Double, frequencyMHz: Double, txHeightM: Double, rxHeightM: Double,
        environment: Hata.Environment
    ) -> Double {
        guard let s = hataSetup(frequencyMHz: frequencyMHz, txHeightM: txHeightM, rxHeightM: rxHeightM, environment: environment) else {
            return FreeSpace.lossDB(distanceKm: max(distanceKm, 0.001), frequencyMHz: frequencyMHz)
        }
        return s.hataLossDB(distanceKm: max(distanceKm, 0.001))
    }

    /// The Hata set-up of `hataLossDB` (variant by frequency, inputs clamped to the model's ranges, mobile height
    /// 1–10 m); nil when Hata rejects it (then the loss is free space).
    static func hataSetup(frequencyMHz: Double, txHeightM: Double, rxHeightM: Double, environment: Hata.Environment) -> Hata.Setup? {
        let variant: Hata.Variant = frequencyMHz <= 1500 ? .okumuraHata : .cost231
        return try? Hata.Setup(
            variant: variant, environment: environment, frequencyMHz: min(max(frequencyMHz, 1), 100_000),
            baseHeightM: min(max(txHeightM, 1), 3000), mobileHeightM: min(max(rxHeightM, 1), 10))
    }

    /// Distance (km) beyond which `hataLossDB` from this interferer set-up exceeds `lossDB` for every receiver
    /// height in `rxHeightsM`: Hata's loss is intercept + slope · log10 d with slope > 0, and its intercept
    /// depends on the mobile height only through −a(h_m), linear in h_m (medium-sized city), so the lowest
    /// intercept over the heights is at one of their ends. `setup` is `hataSetup` of the interferer at any mobile
    /// height. Widened by 10⁻⁶ dB and 10⁻⁹ relative for rounding; nil when the slope is not positive.
    static func hataDistanceKm(beyondLossDB lossDB: Double, setup s: Hata.Setup, rxHeightsM: ClosedRange<Double>) -> Double? {
        guard s.slopeDB > 0, s.citySize == .smallMedium else { return nil }
        let lo = min(max(rxHeightsM.lowerBound, 1), 10), hi = min(max(rxHeightsM.upperBound, 1), 10)
        let a = max(
            Hata.mobileCorrectionDB(frequencyMHz: s.frequencyMHz, mobileHeightM: lo, citySize: .smallMedium),
            Hata.mobileCorrectionDB(frequencyMHz: s.frequencyMHz, mobileHeightM: hi, citySize: .smallMedium))
        let intercept = s.interceptDB + s.mobileCorrectionDB - a
        return pow(10, (lossDB + 1e-6 - intercept) / s.slopeDB) * (1 + 1e-9) + 1e-9
    }

    /// The simple model. `lineOfSight`: fixed-to-fixed paths.
    static func simpleLossDB(
        distanceKm: Double, frequencyMHz: Double, txHeightM: Double, rxHeightM: Double,
        lineOfSight: Bool, environment: Hata.Environment
    ) -> Double {
        let los = lineOfSightLossDB(distanceKm: distanceKm, frequencyMHz: frequencyMHz, txHeightM: txHeightM, rxHeightM: rxHeightM)
        if lineOfSight { return los }
        return max(
            los,
            hataLossDB(
                distanceKm: distanceKm, frequencyMHz: frequencyMHz, txHeightM: txHeightM,
                rxHeightM: rxHeightM, environment: environment))
    }

    /// Largest distance (≤ maxKm) at which `lossBudgetDB` is not yet exceeded, by bisection (the loss grows with
    /// distance); 0 when even the shortest path loses more.
    static func reachKm(lossBudgetDB: Double, maxKm: Double, loss: (Double) -> Double) -> Double {
        reachKm(lossBudgetDB: lossBudgetDB, maxKm: maxKm, loss: loss) { loss($0) <= lossBudgetDB }
    }

    /// The bisection, with the comparison `loss(d) <= budget` made by `isWithin(d)` (which may settle it more
    /// cheaply, e.g. `SimpleLoss.isWithin`).
    static func reachKm(lossBudgetDB: Double, maxKm: Double, loss: (Double) -> Double, isWithin: (Double) -> Bool) -> Double {
        if isWithin(maxKm) { return maxKm }
        var lo = 0.0, hi = maxKm
        if loss(0.01) > lossBudgetDB { return 0 }
        for _ in 0..<30 {
            let mid = (lo + hi) / 2
            if isWithin(mid) { lo = mid } else { hi = mid }
            if hi - lo < 0.01 { break }
        }
        return hi
    }
}

/// Interference paths over terrain with a chosen model.
public struct TerrainPaths: Sendable {
    public let dem: ElevationModel
    public let model: ProfileModel
    /// Lowest and highest valid elevation of the DEM, m: the candidate search bounds terrain paths by the
    /// smooth-Earth loss with antennas raised by the relief, so that hilltop sites are not missed.
    public let minElevationM: Double, maxElevationM: Double

    public init(dem: ElevationModel, model: ProfileModel) {
        self.dem = dem; self.model = model
        var lo = Float.infinity, hi = -Float.infinity
        let nodata = dem.sampler.nodata
        for v in dem.sampler.values where v.isFinite && v != nodata { lo = min(lo, v); hi = max(hi, v) }
        if let range = try? dem.blocks?.valueRange() { (lo, hi) = range } // a DEM behind a block cache
        minElevationM = lo.isFinite ? Double(lo) : 0
        maxElevationM = hi.isFinite ? Double(hi) : 0
    }

    /// Height of a site above the DEM's lowest point, m (0 outside the DEM).
    func reliefM(latitude: Double, longitude: Double) -> Double {
        max(0, (dem.elevation(longitude: longitude, latitude: latitude) ?? minElevationM) - minElevationM)
    }

    func lossDB(
        fromLat: Double, fromLon: Double, toLat: Double, toLon: Double, frequencyMHz: Double,
        txHeightM: Double, rxHeightM: Double
    ) throws -> Double {
        let p = try dem.profile(fromLon: fromLon, lat1: fromLat, toLon: toLon, lat2: toLat)
        let link = PathLink(
            frequencyMHz: frequencyMHz, txHeightM: txHeightM, rxHeightM: rxHeightM,
            coordinates: (fromLat, fromLon, toLat, toLon))
        return try model.lossDB(profile: TerrainProfile(elevationsM: p.elevationsM, spacingM: p.spacingM), link: link).lossDB
    }
}

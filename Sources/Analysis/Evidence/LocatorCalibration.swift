// The honesty of the locator's confidence region, measured: synthetic emitters located with the same model.
//
// Each trial: an emitter at a random (continuous) position of the inner 80 % of a square area, `heightM` above ground,
// EIRP 40–60 dBm; 20–60 measurement points drawn from a pool of drive points in the area at 1.5 m; levels from the
// exact-profile loss from the emitter (the model over the DEM) plus normal shadowing of σ dB. The locator works on the
// coverage engine's radial loss fields of the pool (computed once). Per trial: whether the region holds the emitter's
// cell, the position error, the region's area and the Cramér–Rao bound of the same geometry (log-distance exponent
// fitted to the trial's true losses).
import Foundation
import Geo
import Radio
import Records
import Terrain

public struct LocatorCalibration: Sendable {
    public var trials = 200
    public var poolSize = 120
    public var halfSideKm = 4.0
    public var resolutionM = 200.0
    public var frequencyMHz = 450.0
    public var heightM = 20.0
    public var sigmaDB = 6.0
    public var seed: UInt64 = 20_261_205
    public init() {}

    public struct Result: Sendable {
        public var trials = 0, inside = 0
        public var errorsM: [Double] = [], boundsM: [Double] = [], regionKm2: [Double] = []
        public var fieldSeconds = 0.0
        public var share: Double { Double(inside) / Double(max(1, trials)) }
        static func median(_ x: [Double]) -> Double { x.isEmpty ? .nan : x.sorted()[x.count / 2] }
        public var medianErrorM: Double { Self.median(errorsM) }
        public var medianBoundM: Double { Self.median(boundsM) }
        public var medianRegionKm2: Double { Self.median(regionKm2) }
    }

    /// Runs the trials around `centre` on `dem` with `model` (a terrain model of `tanso pathloss`).
    public func run(dem: ElevationModel, model: PathLossModelID, centre: (lat: Double, lon: Double)) throws -> Result {
        let paths = TerrainPaths(dem: dem, model: try ProfileModel(model))
        let dLat = Geodesy.degreesLatitude(km: halfSideKm), dLon = Geodesy.degreesLongitude(km: halfSideKm, atLatitudeDeg: centre.lat)
        let area = (west: centre.lon - dLon, south: centre.lat - dLat, east: centre.lon + dLon, north: centre.lat + dLat)
        var g = SplitMix64(seed: seed)
        let pool = (0..<poolSize).map { k in
            LevelMeasurement(latitude: g.uniform(area.south, area.north), longitude: g.uniform(area.west, area.east), levelDBm: 0, rxHeightM: 1.5, row: k + 1)
        }
        let t0 = Date()
        let fields = try LossFields.compute(
            measurements: pool, frequencyMHz: frequencyMHz, area: area, resolutionM: resolutionM, heightsM: [heightM], model: model.rawValue, dem: dem)
        var result = Result()
        result.fieldSeconds = Date().timeIntervalSince(t0)
        let toGrid = try CoordinateTransform(from: "EPSG:4326", to: fields.spec.crs)
        var settings = LocatorSettings()
        settings.sigmaDB = sigmaDB
        for _ in 0..<trials {
            let truth = (lat: g.uniform(area.south + dLat * 0.2, area.north - dLat * 0.2), lon: g.uniform(area.west + dLon * 0.2, area.east - dLon * 0.2))
            let eirp = g.uniform(40, 60)
            let count = 20 + Int(g.next() % 41)
            var chosen = Array(pool.indices)
            for k in 0..<count { chosen.swapAt(k, k + Int(g.next() % UInt64(pool.count - k))) }
            chosen = Array(chosen.prefix(count))
            var measured: [LevelMeasurement] = [], trueLoss: [Double] = []
            for k in chosen {
                var m = pool[k]
                let loss = try paths.lossDB(
                    fromLat: truth.lat, fromLon: truth.lon, toLat: m.latitude, toLon: m.longitude, frequencyMHz: frequencyMHz, txHeightM: heightM,
                    rxHeightM: m.rxHeightM)
                trueLoss.append(loss)
                m.levelDBm = eirp - loss + sigmaDB * g.normal()
                measured.append(m)
            }
            let sub = LossFields(
                spec: fields.spec, heightsM: fields.heightsM, cellLat: fields.cellLat, cellLon: fields.cellLon, losses: [chosen.map { fields.losses[0][$0] }])
            let estimate = try Locator.locate(measured, fields: sub, settings: settings)
            var xs = [truth.lon], ys = [truth.lat]
            toGrid.transform(xs: &xs, ys: &ys)
            let px = fields.spec.geoTransform.pixel(x: xs[0], y: ys[0])
            result.trials += 1
            if estimate.inRegion[Int(px.row) * fields.spec.width + Int(px.col)] { result.inside += 1 }
            result.errorsM.append(Geodesy.distanceKm(truth.lat, truth.lon, estimate.latitude, estimate.longitude) * 1000)
            result.regionKm2.append(estimate.regionAreaKm2)
            let local = measured.map { m -> (x: Double, y: Double) in
                let o = Geodesy.localOffsetM(dLonDeg: m.longitude - truth.lon, dLatDeg: m.latitude - truth.lat, atLatitudeDeg: truth.lat)
                return (o.east, o.north)
            }
            let n = Locator.logDistanceExponent(distancesM: local.map { ($0.x * $0.x + $0.y * $0.y).squareRoot() }, lossesDB: trueLoss)
            result.boundsM.append(Locator.cramerRaoBoundM(emitter: (0, 0), points: local, exponent: n, sigmaDB: sigmaDB))
        }
        return result
    }
}

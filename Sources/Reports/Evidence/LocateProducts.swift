// Products of `tanso locate`: estimate.json, likelihood.tif, region.geojson and stations.csv (the registered stations
// inside the region, marked as candidates).
import Analysis
import Foundation
import Geo
import Radio
import Records

public enum LocateProducts {
    public static let files = ["estimate.json", "likelihood.tif", "region.geojson", "stations.csv"]

    /// The registered stations whose position lies in a cell of the region, nearest the estimate first.
    public static func stationsInRegion(_ e: LocationEstimate, fields: LossFields, assignments: [Assignment]) throws -> [Assignment] {
        guard !assignments.isEmpty else { return [] }
        let t = try CoordinateTransform(from: "EPSG:4326", to: fields.spec.crs)
        var xs = assignments.map(\.longitude), ys = assignments.map(\.latitude)
        t.transform(xs: &xs, ys: &ys)
        var inside: [Assignment] = []
        for (k, a) in assignments.enumerated() {
            let p = fields.spec.geoTransform.pixel(x: xs[k], y: ys[k])
            let col = Int(floor(p.col)), row = Int(floor(p.row))
            guard col >= 0, row >= 0, col < fields.spec.width, row < fields.spec.height, e.inRegion[row * fields.spec.width + col] else { continue }
            inside.append(a)
        }
        func d(_ a: Assignment) -> Double { Geodesy.distanceKm(a.latitude, a.longitude, e.latitude, e.longitude) }
        return inside.sorted { d($0) != d($1) ? d($0) < d($1) : $0.id < $1.id }
    }

    static func num(_ x: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", x) }

    public static func json(
        _ e: LocationEstimate, settings: LocatorSettings, measurements: Int, bearings: Int, frequencyMHz: Double, model: String,
        resolutionM: Double, stations: Int
    ) -> String {
        let fields: [(String, String)] = [
            ("latitude", num(e.latitude, 6)), ("longitude", num(e.longitude, 6)), ("eirp_dbm", num(e.eirpDBm, 2)),
            ("sigma_db", num(e.residualSigmaDB, 2)), ("assumed_sigma_db", num(settings.sigmaDB, 2)), ("eirp_sigma_db", num(e.eirpSigmaDB, 2)),
            ("height_m", num(e.heightM, 1)), ("confidence", num(settings.confidence, 3)), ("threshold", num(settings.threshold, 3)),
            ("region_area_km2", num(e.regionAreaKm2, 3)), ("region_cells", String(e.regionCells)), ("measurements", String(measurements)),
            ("bearings", String(bearings)), ("frequency_mhz", num(frequencyMHz, 4)), ("model", "\"\(model)\""), ("resolution_m", num(resolutionM, 1)),
            ("stations_in_region", String(stations))
        ]
        return "{\n" + fields.sorted { $0.0 < $1.0 }.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n}\n"
    }

    public static func write(
        _ e: LocationEstimate, fields: LossFields, settings: LocatorSettings, measurements: [LevelMeasurement], frequencyMHz: Double,
        model: String, stations: [Assignment], to directory: String
    ) throws {
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        try json(
            e, settings: settings, measurements: measurements.count, bearings: measurements.filter { $0.bearingDeg != nil }.count,
            frequencyMHz: frequencyMHz, model: model, resolutionM: fields.spec.resolutionM, stations: stations.count
        ).write(toFile: path("estimate.json"), atomically: false, encoding: .utf8)
        let nodata: Float = -9999
        let logLR = e.deltaS.map { $0.isFinite ? -$0 / 2 : nodata }
        try fields.spec.grid(values: logLR, nodata: nodata).write(
            to: path("likelihood.tif"), description: "log-likelihood ratio to the best cell (ln units, 0 at the estimate)", unit: "ln")
        let regions = try Polygonize.regions(
            classes: e.inRegion.map { $0 ? 1 : 0 }, width: fields.spec.width, height: fields.spec.height,
            geoTransform: fields.spec.geoTransform, crs: fields.spec.crs)
        var layer = LayerData(name: "region", fields: [("confidence", .real), ("area_km2", .real)], geometryType: .polygon)
        for r in regions { layer.append(r.geometry, [.real(settings.confidence), .real(e.regionAreaKm2)]) }
        try VectorWriter.write([layer], to: path("region.geojson"))
        let rows = stations.map { a in
            [
                a.id, a.stationID, a.licensee, a.service, InterferenceProducts.mhz(a.tx.centreMHz), CSV.number(a.tx.bandwidthKHz, decimals: 3),
                CSV.number(a.eirpDBm, decimals: 1), a.tx.contains(Channel(centreMHz: frequencyMHz, bandwidthKHz: 0.001)) ? "yes" : "no",
                CSV.number(Geodesy.distanceKm(a.latitude, a.longitude, e.latitude, e.longitude), decimals: 3), "candidate"
            ]
        }
        try CSV.format(
            header: ["id", "station_id", "licensee", "service", "tx_frequency_mhz", "bandwidth_khz", "eirp_dbm", "on_frequency", "distance_km", "status"],
            rows: rows
        ).write(toFile: path("stations.csv"), atomically: false, encoding: .utf8)
    }
}

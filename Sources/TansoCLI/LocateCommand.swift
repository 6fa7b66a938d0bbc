// tanso locate: where is an unknown emitter, from levels measured at several points (and bearings).
import Analysis
import Foundation
import Geo
import Radio
import Records
import Reports
import Terrain

enum LocateCommand {
    static let options: [OptionSpec] = [
        .value("measurements", "FILE", "measured levels: CSV with latitude, longitude, level_dbm (or level_dbuv_m), or an OGR point layer", required: true),
        .value("frequency-mhz", "F", "the emitter's frequency, MHz", required: true),
        .value("output", "DIR", "folder for estimate.json, likelihood.tif, region.geojson, stations.csv", required: true),
        .value("dem", "FILE", "elevation raster: loss with --model over the terrain"),
        .value("model", "M", "propagation model: a terrain model with --dem (itm, p526, p1812, …) or hata [default: itm with --dem, hata without]"),
        .value("set", "NAME=V,...", "model settings, as the optional columns of tanso pathloss (climate=1)"),
        .value("area", "W,S,E,N", "candidate area, WGS 84 degrees [default: the measurements' box widened by half its size, at least 2 km]"),
        .value("resolution-m", "M", "candidate grid cell size", default: "100"),
        .value("heights-m", "H[,H…]", "candidate antenna heights above ground (the best is kept per cell)", default: "10"),
        .value("sigma-db", "DB", "shadowing standard deviation of the model (log-normal)", default: "6"),
        .value("confidence", "P", "confidence of the region", default: "0.95"),
        .value("bearing-sigma-deg", "DEG", "standard deviation of bearings without bearing_sigma_deg", default: "10"),
        .value("assignments", "FILE", "the register: stations inside the region are listed as candidates in stations.csv"),
        RegisterInputs.dbOption(replacing: "--assignments"),
        .flag("skip-invalid", "skip invalid measurement rows (each is reported) instead of stopping at the first"),
        TansoCLI.encodingOption
    ]

    static let help = helpText(
        usage: "tanso locate --measurements FILE --frequency-mhz F [--dem FILE --model M] [--area W,S,E,N] [--assignments FILE | --db DB] --output DIR",
        summary:
            "Locate an unknown emitter from levels measured along a drive (and direction-finder bearings): best estimate, EIRP, likelihood and 95 % region.",
        options: options,
        details: """
            Measurements (one row per point): latitude, longitude, level_dbm (power at an isotropic antenna) or
            level_dbuv_m (field strength), optional rx_height_m (default 1.5), bearing_deg and bearing_sigma_deg.

            For every cell of the candidate grid (and every --heights-m), the path loss to every measurement point comes
            from the coverage engine (one run per point: loss is reciprocal, so each point's radial fan covers all
            cells). The EIRP is solved in closed form per cell; the cell scores the Gaussian likelihood of the level
            residuals with σ (--sigma-db, plus the loss's variation over the cell) and of the bearing errors. The region
            holds the cells whose likelihood ratio to the best passes the χ² threshold of two parameters (5.99 at 95 %).

            Products in DIR: estimate.json (latitude, longitude, eirp_dbm, sigma_db = RMS of the level residuals at the
            estimate, assumed_sigma_db, eirp_sigma_db, height_m, region_area_km2, …), likelihood.tif (log-likelihood ratio
            to the best cell, ln units), region.geojson (the confidence region), stations.csv (registered stations inside
            the region, with on_frequency yes/no), study.json.

            Examples:
              tanso locate --measurements data/complaints/drive_unknown.csv --frequency-mhz 163.25 \\
                --assignments data/assignments.csv --output out/locate
              tanso locate --measurements drive.gpkg --frequency-mhz 450.1 --dem srtm.vrt --model itm \\
                --area 106.9,10.8,107.1,11.0 --heights-m 10,30 --output out/locate
            """)

    /// --area, or the measurements' box widened by half its size (at least 2 km on each side).
    typealias Box = (west: Double, south: Double, east: Double, north: Double)

    /// --area when given, checked.
    static func givenArea(_ a: ParsedArguments) throws -> Box? {
        guard let v = try a.doubles("area", count: 4, meaning: "W,S,E,N in WGS 84 degrees") else { return nil }
        guard v[0] < v[2], v[1] < v[3], (-180...180).contains(v[0]), (-180...180).contains(v[2]), (-90...90).contains(v[1]), (-90...90).contains(v[3]) else {
            throw UsageError(message: "--area \(a.string("area")!): expected west < east in [-180, 180] and south < north in [-90, 90]", command: a.command)
        }
        return (v[0], v[1], v[2], v[3])
    }

    static func area(_ given: Box?, _ m: [LevelMeasurement]) -> Box {
        if let given { return given }
        let lats = m.map(\.latitude), lons = m.map(\.longitude)
        let midLat = (lats.min()! + lats.max()!) / 2
        let dLat = max((lats.max()! - lats.min()!) / 2, Geodesy.degreesLatitude(km: 2))
        let dLon = max((lons.max()! - lons.min()!) / 2, Geodesy.degreesLongitude(km: 2, atLatitudeDeg: midLat))
        return (lons.min()! - dLon, lats.min()! - dLat, lons.max()! + dLon, lats.max()! + dLat)
    }

    static func heights(_ a: ParsedArguments) throws -> [Double] {
        let raw = a.string("heights-m")!
        let values = raw.split(separator: ",").map { DecimalNumber.parse($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.count <= 16, values.allSatisfy({ $0 != nil && (0.5...1000).contains($0!) }) else {
            throw UsageError(
                message: "--heights-m expects 1 to 16 heights in [0.5, 1000] m separated by commas, got '\(InputText.echo(raw))'", command: a.command)
        }
        return values.map { $0! }
    }

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "locate", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        let f = try a.double("frequency-mhz", in: 1...100_000)!
        let output = try OutputOptions.value(a)
        var settings = LocatorSettings()
        settings.sigmaDB = try a.double("sigma-db", in: 0.5...30)!
        settings.confidence = try a.double("confidence", in: 0.5...0.9999)!
        settings.defaultBearingSigmaDeg = try a.double("bearing-sigma-deg", in: 0.1...90)!
        let resolution = try a.double("resolution-m", in: 10...5000)!
        let heights = try heights(a)
        let givenBox = try givenArea(a)
        let model = (a.string("model") ?? (a.string("dem") == nil ? "hata" : "itm")).lowercased()
        guard model == "hata" || PathLossModelID(rawValue: model) != nil else {
            throw UsageError(
                message:
                    "unknown model '\(InputText.echo(model))'; expected hata or one of \(PathLossModelID.allCases.map(\.rawValue).joined(separator: ", "))",
                command: a.command)
        }
        let modelSettings = try a.modelSettings(model: PathLossModelID(rawValue: model)) ?? [:]
        let enc = try TansoCLI.encoding(a)
        let dem = try a.string("dem").map { try ElevationModel.open(path: $0) }
        var report = LoadReport()
        let path = a.string("measurements")!
        let measurements = try LevelMeasurementLoader.load(path, frequencyMHz: f, skipInvalid: a.flag("skip-invalid"), encoding: enc, report: &report)
        TansoCLI.reportSkipped(report, what: "measurement")
        guard measurements.count >= 3 else {
            throw InputError("\(path): \(measurements.count) valid measurements; at least 3 are needed (the EIRP and two coordinates are unknown)")
        }
        let records = try RegisterInputs(a, encoding: enc)
        let assignments = try records.assignments(required: false) ?? []
        let box = area(givenBox, measurements)
        let inputs: [(role: String, path: String?)] = [
            ("measurements", path), ("dem", a.string("dem")), ("assignments", a.string("assignments")), ("store", records.storePath)
        ]
        let command = records.command(args)
        let tx = try OutputOptions.open(output, command: command, inputs: inputs.map(\.path), writes: LocateProducts.files)
        let started = Date()
        let progress = TansoCLI.progressHandler("locate")
        let fields = try LossFields.compute(
            measurements: measurements, frequencyMHz: f, area: box, resolutionM: resolution, heightsM: heights, model: model,
            modelSettings: modelSettings, dem: dem, progress: { done, total in progress?(Double(done) / Double(total)) })
        let lossSeconds = Date().timeIntervalSince(started)
        let estimate: LocationEstimate
        do { estimate = try Locator.locate(measurements, fields: fields, settings: settings) } catch let e as Locator.LocatorError {
            throw InputError(e.message)
        }
        let stations = try LocateProducts.stationsInRegion(estimate, fields: fields, assignments: assignments)
        try LocateProducts.write(
            estimate, fields: fields, settings: settings, measurements: measurements, frequencyMHz: f, model: model, stations: stations, to: tx.staging)
        try OutputOptions.commit(tx, kind: "locate", command: command, inputs: inputs)
        var s =
            "\(measurements.count) measurements (\(measurements.filter { $0.bearingDeg != nil }.count) bearings), \(fields.spec.width) × \(fields.spec.height) cells at "
        s += "\(Int(resolution)) m, \(heights.count) height(s), model \(model): "
        s += String(format: "loss fields %.1f s, total %.1f s\n", lossSeconds, Date().timeIntervalSince(started))
        s += String(
            format: "estimate %.5f, %.5f (height %.0f m), EIRP %.1f dBm ± %.1f dB; level residuals %.1f dB RMS (σ assumed %.1f dB); %.0f %% region %.2f km²\n",
            estimate.latitude, estimate.longitude, estimate.heightM, estimate.eirpDBm, estimate.eirpSigmaDB, estimate.residualSigmaDB, settings.sigmaDB,
            settings.confidence * 100, estimate.regionAreaKm2)
        if estimate.residualSigmaDB > 1.5 * settings.sigmaDB {
            s +=
                "warning: the residuals (\(String(format: "%.1f", estimate.residualSigmaDB)) dB) are much larger than --sigma-db: the region is too small; check the model, the frequency or the measurements\n"
        }
        if !assignments.isEmpty {
            s +=
                "\(stations.count) registered station(s) inside the region"
                + (stations.isEmpty
                    ? ""
                    : ": "
                        + stations.prefix(10).map { a in
                            a.id + (a.tx.contains(Channel(centreMHz: f, bandwidthKHz: 0.001)) ? " (on frequency)" : "")
                        }.joined(separator: ", ")) + "\n"
        }
        for name in LocateProducts.files { s += "wrote \((output as NSString).appendingPathComponent(name))\n" }
        print(s, terminator: "")
        return 0
    }
}

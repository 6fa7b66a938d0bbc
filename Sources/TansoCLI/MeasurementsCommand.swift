// tanso measurements (compare drive tests with a model's predictions) and tanso calibrate (fit the model to them).
import Foundation
import Geo
import Radio
import Records
import Analysis
import Reports
import Terrain

/// What both commands read: measurements, transmitters, terrain, the model and its study, the land cover.
struct SurveyInputs {
    let measurements: MeasurementSet
    let transmitters: [Transmitter]
    let study: CoverageStudy
    let predictor: PointPredictor
    let clutterRaster: String?
    let options: ComparisonOptions
    /// Input files with their role, for the run record and the report.
    let files: [(role: String, path: String)]

    static let options: [OptionSpec] = [
        .value("measurements", "FILE", "measurements: the generic contract (CSV or any OGR points) or a G-NetTrack Pro export", required: true),
        .value("transmitters", "FILE", "transmitters (CSV or any OGR source), with the ids the measurements name"),
        RegisterInputs.dbOption(replacing: "--transmitters"),
        .value("dem", "FILE", "elevation raster (any GDAL format/CRS): terrain models and antenna angles"),
        .value("model", "M", "hata, or a terrain model of tanso pathloss: itm, p526, p1812, p452, p1546, ehata, …", default: "hata"),
        .value("set", "NAME=V,...", "model settings, as the optional columns of tanso pathloss (climate=1,time_pct=50)"),
        .value("environment", "ENV", "Hata environment: urban, suburban, open", default: "suburban"),
        .value("profile-spacing-m", "M", "terrain models: profile spacing [default: the DEM's cell size]"),
        .value("clutter-pct", "P", "add ITU-R P.2108 §3.2 clutter loss not exceeded at P % of locations"),
        .value("clutter-raster", "FILE", "land-cover raster (integer classes): each bin's class, for the statistics and the fit"),
        .value("clutter-table", "FILE.csv", "loss per land-cover class (class,loss_db) added to the prediction; needs --clutter-raster"),
        .value("antenna-dir", "DIR", "folder of the pattern files named by the transmitters [default: the transmitters file's folder]"),
        .value("max-radius-km", "KM", "rule 'strongest': candidates within this distance", default: "30"),
        .value("bin-wavelengths", "N", "average measurements closer together than N wavelengths (Lee: 40); 0 keeps every row", default: "40"),
        .value("cpich-share-db", "DB", "3G: CPICH power relative to the carrier's total power", default: "-10"),
        .flag("skip-invalid", "skip invalid measurement or transmitter rows (each is reported) instead of stopping at the first"),
        TansoCLI.encodingOption
    ]

    static let inputHelp = """
        Measurements (data/README.md, Measurements): latitude, longitude, technology, metric (rxlev, rscp, rsrp, ss_rsrp,
        total_dbm, field_dbuv_m), value, and frequency_mhz or a channel number (arfcn, uarfcn, earfcn, nrarfcn: TS 45.005,
        25.101, 36.101, 38.104); optional transmitter_id, pci, timestamp, rx_height_m (1.5), operator. A G-NetTrack Pro
        export (Timestamp, Longitude, Latitude, NetworkTech, Level, ARFCN, Node, CellID, PSC, …) is recognised by its
        header: its serving cell Node-CellID (e.g. 702072-20) is the transmitter_id.

        Attribution of each measurement, first rule that applies (the rule is written per row): id (transmitter_id
        names a transmitter of its technology), pci (a transmitter with that pci column on its frequency, the nearest
        if reused), strongest (the transmitter predicted strongest at the point on its frequency within
        --max-radius-km), else none (listed, not compared). Measurements of one transmitter closer together than
        --bin-wavelengths λ are averaged (power mean) into one bin first; the bin is predicted at its mean position,
        on its own terrain profile, with the study's model, antenna pattern and clutter, in the measurement's metric.
        Error = measured − predicted.
        """

    static func load(_ a: ParsedArguments, command: String) throws -> SurveyInputs {
        let enc = try TansoCLI.encoding(a)
        let skip = a.flag("skip-invalid")
        var report = LoadReport()
        let measurementsPath = a.string("measurements")!
        let set = try MeasurementLoader.load(measurementsPath, skipInvalid: skip, encoding: enc, report: &report)
        TansoCLI.reportSkipped(report, what: "measurement")
        for n in set.notes { TansoCLI.printWarning("\(URL(fileURLWithPath: measurementsPath).lastPathComponent): \(n)") }
        guard !set.measurements.isEmpty else { throw InputError("\(measurementsPath): no measurements") }
        let records = try RegisterInputs(a, encoding: enc)
        let transmitters = try records.transmitters()!
        let txPath = a.string("transmitters") ?? records.storePath ?? "transmitters"
        let study = try CoverageCommand.buildStudy(a, transmitters: transmitters)
        let raster = a.string("clutter-raster")
        if a.string("clutter-table") != nil && raster == nil {
            throw UsageError(message: "--clutter-table needs --clutter-raster (the land-cover raster)", command: command)
        }
        let dem = try a.string("dem").map { try ElevationModel(path: $0) }
        let antennas = CoverageCommand.antennaLibrary(a.string("antenna-dir"), transmittersPath: txPath, transmitters: transmitters)
        let txName = records.sourceName("transmitters")!
        try TansoCLI.checkPatterns(antennas, transmitters.map { ("\(txName): transmitter '\(InputText.echo($0.id))'", $0.antennaPattern) })
        let predictor = try PointPredictor(study: study, transmitters: transmitters, dem: dem, antennas: antennas)
        var options = ComparisonOptions()
        options.binWavelengths = try a.double("bin-wavelengths", in: 0...10_000) ?? 40
        options.cpichShareDB = try a.double("cpich-share-db", in: -30...0) ?? -10
        var files: [(String, String)] = [("measurements", measurementsPath)]
        if let t = a.string("transmitters") { files.append(("transmitters", t)) }
        if let s = records.storePath { files.append(("store", s)) }
        for role in ["dem", "clutter-raster", "clutter-table", "calibration"] {
            if let p = a.string(role) { files.append((role.replacingOccurrences(of: "-", with: "_"), p)) }
        }
        return SurveyInputs(
            measurements: set, transmitters: transmitters, study: study, predictor: predictor, clutterRaster: raster, options: options, files: files)
    }

    func compare() throws -> SurveyComparison {
        let classCodes: (([Double], [Double]) throws -> [Int?])? = clutterRaster.map { path in
            { lons, lats in try ClutterMap.classCodes(raster: path, longitudes: lons, latitudes: lats) }
        }
        return try MeasurementComparison.run(
            measurements.measurements, predictor: predictor, options: options, classCodes: classCodes,
            progress: TansoCLI.progressHandler("predicting"))
    }

    func checksums() throws -> [(role: String, name: String, sha256: String)] {
        try files.map { ($0.role, URL(fileURLWithPath: $0.path).lastPathComponent, try SHA256.hex(ofFile: $0.path)) }
    }

    static func summary(_ r: SurveyComparison) -> String {
        let o = r.overall.statistics
        var s = "\(r.rawRows) measurements in \(r.bins.count) bins; attribution: "
        s += AttributionRule.allCases.map { "\($0.rawValue) \(r.binsBy($0))" }.joined(separator: ", ") + "\n"
        s += String(
            format: "compared %d bins: mean error %.2f dB, σ %.2f dB, RMSE %.2f dB, correlation %@\n", o.count, o.meanDB ?? .nan,
            o.sigmaDB ?? .nan, o.rmseDB ?? .nan, o.correlation.map { String(format: "%.3f", $0) } ?? "–")
        return s
    }
}

enum MeasurementsCommand {
    static let options: [OptionSpec] =
        SurveyInputs.options + [
            .value("calibration", "FILE", "apply a calibration.json of tanso calibrate (same model) to the predictions"),
            .value("output", "DIR", "folder for the products", required: true),
            .value("title", "TEXT", "report title", default: "Measurements against predictions")
        ]

    static let help = helpText(
        usage: "tanso measurements --measurements FILE (--transmitters FILE | --db DB) [--dem FILE] [--model M] --output DIR",
        summary: "Compare drive-test measurements with the predictions of a model, per transmitter, technology, distance and clutter class.",
        options: options,
        details: SurveyInputs.inputHelp + """


            Products in DIR: bins.csv (per bin: raw rows, rule, transmitter, measured, predicted, error, distance, class,
            note), rows.csv (per measurement row), statistics.csv (count, mean error, σ, RMSE, correlation per
            transmitter, technology, distance bin, clutter class and overall), measurements.gpkg (the bins as points),
            report.html (self-contained: error histogram, error against log-distance, measured against predicted),
            study.json.

            Example (the real G-NetTrack slice of the tests, with the dataset's estimated sites as notebook 06 writes them):
              tanso measurements --measurements Tests/Fixtures/measurements/sunway_gnettrack/gnettrack_processed_slice.csv \\
                                 --transmitters out/notebooks/measurements/sunway_sites.csv --model hata --environment urban \\
                                 --output out/sunway
            """)

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "measurements", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        let inputs = try SurveyInputs.load(a, command: "measurements")
        let output = try OutputOptions.value(a)
        let tx = try OutputOptions.open(
            output, command: StoreCommand.redacted(["tanso", "measurements"] + args), inputs: inputs.files.map(\.path), writes: MeasurementProducts.fixed)
        let start = Date()
        let result = try inputs.compare()
        let list = try MeasurementProducts.write(
            result, measurements: inputs.measurements.measurements, transmitters: inputs.transmitters, title: a.string("title")!,
            model: inputs.study.model, inputs: try inputs.checksums(), to: tx.staging)
        try OutputOptions.commit(
            tx, kind: "measurements", command: StoreCommand.redacted(["tanso", "measurements"] + args), inputs: inputs.files.map { ($0.role, $0.path) })
        print(SurveyInputs.summary(result) + String(format: "(%.2f s)", Date().timeIntervalSince(start)))
        print("Products in \(output):")
        for f in list { print("  \(URL(fileURLWithPath: f.path).lastPathComponent): \(f.what)") }
        return 0
    }
}

enum CalibrateCommand {
    static let options: [OptionSpec] =
        SurveyInputs.options + [
            .flag("fit-slope", "also fit a slope against log10 distance (dB per decade, from 1 km)"),
            .flag("fit-clutter", "also fit one loss per land-cover class (needs --clutter-raster), relative to the reference class"),
            .value("reference-class", "CODE", "the class whose loss is 0 (the offset is its correction) [default: the class with the most bins]"),
            .value("tile-size-m", "M", "hold-out tiles: the data are split by square tiles of this size", default: "1000"),
            .value("holdout-every", "N", "hold out every N-th tile ((ix + 2·iy) mod N = 0); 0 holds out nothing", default: "5"),
            .value("output", "DIR", "folder for calibration.json", required: true)
        ]

    static let help = helpText(
        usage:
            "tanso calibrate --measurements FILE (--transmitters FILE | --db DB) [--dem FILE] --model M [--fit-slope] [--fit-clutter --clutter-raster FILE] --output DIR",
        summary: "Fit a model to measurements by least squares: an offset, optionally a slope against log-distance and a loss per clutter class.",
        options: options,
        details: SurveyInputs.inputHelp + """


            The fit: residual loss r = predicted − measured ≈ offset + slope·log10(d / 1 km) + loss[class], over the bins
            (not the raw rows: neighbouring rows share their shadowing). Class losses are relative to the reference class
            (offset and class terms together would be collinear); bins without a class count with the reference class.
            Hold-out: the area is cut into tiles of --tile-size-m and every --holdout-every-th tile is left out of the fit
            (a spatial block, not a random share, because neighbouring measurements are correlated); the mean, σ and
            RMSE of the error there are reported before and after the correction. Standard errors assume independent
            bins and are too small when bins are closer than the shadowing's correlation distance.

            DIR/calibration.json: model, offset_db (positive = more loss), slope_db_per_decade, clutter_losses_db,
            reference_class, parameters with standard errors, fit and hold-out statistics, the inputs' SHA-256.
            Apply it: tanso coverage --calibration DIR/calibration.json (same model; recorded in study.json).

            Example:
              tanso calibrate --measurements survey.csv --transmitters data/transmitters.csv --dem out/demo/dem.tif \\
                              --model itm --clutter-raster landcover.tif --fit-clutter --output out/calibration
            """)

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "calibrate", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        var fit = CalibrationOptions()
        fit.fitSlope = a.flag("fit-slope")
        fit.fitClutter = a.flag("fit-clutter")
        if fit.fitClutter && a.string("clutter-raster") == nil {
            throw UsageError(message: "--fit-clutter needs --clutter-raster (the land-cover raster giving each bin's class)", command: "calibrate")
        }
        if let r = a.string("reference-class") {
            guard let k = DecimalNumber.parseInt(r) else {
                throw UsageError(message: "--reference-class expects an integer class code, got '\(InputText.echo(r))'", command: "calibrate")
            }
            fit.referenceClass = k
        }
        fit.tileSizeM = try a.double("tile-size-m", in: 10...100_000) ?? 1000
        fit.holdoutEvery = Int(try a.double("holdout-every", in: 0...1000) ?? 5)
        let inputs = try SurveyInputs.load(a, command: "calibrate")
        let output = try OutputOptions.value(a)
        let tx = try OutputOptions.open(
            output, command: StoreCommand.redacted(["tanso", "calibrate"] + args), inputs: inputs.files.map(\.path), writes: [CalibrationFile.name])
        let start = Date()
        let comparison = try inputs.compare()
        let result = try CalibrationFit.fit(MeasurementComparison.calibrationPoints(comparison), model: inputs.study.model, options: fit)
        let data = try CalibrationFile.encode(result, options: fit, inputs: try inputs.checksums())
        try data.write(to: URL(fileURLWithPath: tx.staging).appendingPathComponent(CalibrationFile.name))
        try OutputOptions.commit(
            tx, kind: "calibrate", command: StoreCommand.redacted(["tanso", "calibrate"] + args), inputs: inputs.files.map { ($0.role, $0.path) })
        print(SurveyInputs.summary(comparison) + summary(result) + String(format: "(%.2f s)", Date().timeIntervalSince(start)))
        print("Calibration in \((output as NSString).appendingPathComponent(CalibrationFile.name))")
        return 0
    }

    static func summary(_ r: CalibrationResult) -> String {
        var s = "fitted (± standard error):\n"
        for p in r.parameters { s += String(format: "  %@ %.2f ± %.2f dB\n", p.name, p.valueDB, p.standardErrorDB) }
        if let k = r.referenceClass { s += "  (class losses relative to class \(k))\n" }
        func line(_ name: String, _ b: ErrorStatistics, _ c: ErrorStatistics) -> String {
            String(
                format: "%@ (%d bins): mean error %.2f → %.2f dB, σ %.2f → %.2f dB, RMSE %.2f → %.2f dB\n", name, b.count, b.meanDB ?? .nan, c.meanDB ?? .nan,
                b.sigmaDB ?? .nan, c.sigmaDB ?? .nan, b.rmseDB ?? .nan, c.rmseDB ?? .nan)
        }
        s += line("fit set", r.fitBefore, r.fitAfter)
        s += line("held out, \(r.heldOutTiles) of \(r.tiles) tiles", r.holdoutBefore, r.holdoutAfter)
        return s
    }
}

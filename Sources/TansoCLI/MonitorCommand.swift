// tanso monitor: spectrum-monitoring data (an emission list and/or raw sweeps) held against the register.
import Foundation
import Analysis
import Geo
import Propagation
import Radio
import Records
import Reports
import Terrain

enum MonitorCommand {
    static let options: [OptionSpec] = [
        .value("emissions", "FILE", "emission list: one row per detected emission (CSV with latitude/longitude, or any OGR source; columns below)"),
        .value("sweeps", "FILE", "raw sweeps of a monitoring receiver (CSV, one row per sweep and bin; streamed): emissions detected, occupancy per channel"),
        .value("assignments", "FILE", "frequency assignments, the register (as tanso conflicts)"),
        RegisterInputs.dbOption(replacing: "--assignments"),
        .value("dem", "FILE", "elevation raster: predicted levels with --model over the terrain profile"),
        .value("model", "M", "with --dem: \(PathLossModelID.allCases.map(\.rawValue).joined(separator: ", "))", default: "itm"),
        .value("set", "NAME=V,...", "with --dem: model settings, as the optional columns of tanso pathloss"),
        .value("band-plan", "FILE", "band plan CSV for the occupancy channels, or 'none' [default: the Vietnam plan]"),
        .value("tolerances", "FILE", "frequency tolerances CSV replacing RR Appendix 2 (service,low_mhz,high_mhz,tolerance_ppm|tolerance_hz)"),
        .value("settings", "FILE", "detection and classification settings CSV (name,value; names below)"),
        .value("calibration", "FILE", "sigma (and bias) of the prediction per service CSV (service,sigma_db[,bias_db])"),
        .value("baseline", "FILE", "findings.csv of an earlier run: mark each finding new, unchanged or resolved"),
        .value("admin", "FILE", "district (or commune) polygons drawn on the report's map: any OGR polygon layer or a dvhcvn JSON file"),
        .value("output", "DIR", "folder for findings.csv, occupancy.csv, monitoring.gpkg, report.html", required: true),
        .value("title", "TEXT", "title of the HTML report", default: "Spectrum monitoring against the register"),
        .value("threads", "N", "worker threads [default: all cores]"),
        .value("list", "N", "findings printed on the terminal (all are in findings.csv)", default: "20"),
        .flag("skip-invalid", "skip invalid rows (each is reported) instead of stopping at the first"),
        TansoCLI.encodingOption
    ]

    static let help = helpText(
        usage: "tanso monitor (--emissions FILE | --sweeps FILE) (--assignments FILE | --db DB) [--dem FILE --model M] [--baseline PREVIOUS] --output DIR",
        summary:
            "Hold spectrum-monitoring data against the register: unlicensed, off-frequency, over-wide and over-level emissions, and assignments not heard.",
        options: options,
        details: """
            Emission list (data/README.md, "Monitoring"), one row per detected emission:
              station_id, timestamp                    monitoring station (fixed or mobile) and time of the measurement
              latitude, longitude, antenna_height_m    where the station was (WGS 84), its antenna above ground
              frequency_mhz, bandwidth_khz             measured centre and occupied bandwidth (ITU-R SM.443)
              bandwidth_method                         optional: 99% (default) or x-dB such as 26dB
              level_dbuv_m                             field strength, or level_dbm with rx_antenna_factor_db_per_m or rx_gain_dbi
              frequency_uncertainty_hz, level_uncertainty_db, bandwidth_uncertainty_khz   optional
            Sweeps: station_id, latitude, longitude, antenna_height_m, timestamp, frequency_mhz, level_dbuv_m (or
            level_dbm + rx_antenna_factor_db_per_m or rx_gain_dbi); rows of one sweep (same station and timestamp)
            together, in increasing frequency; every sweep of a station on the grid of its first.

            How:
              receivable     predicted E = EIRP + antenna discrimination − L + 20 log f + 77.2 ≥ detection threshold
                             (L: --model over --dem, else Hata/COST-231 never below free space + P.526 diffraction)
              unlicensed     no receivable assignment overlaps the emission (channel ± tolerance)
              off_frequency  |f − f_assigned| > RR Appendix 2 tolerance (band, service) + stated uncertainty
              excess_bandwidth  occupied > necessary bandwidth (designator, else bandwidth_khz) × (1 + tolerance)
              over_level     measured − predicted > k·σ (+ stated uncertainty); σ from --calibration or sigma_db
              not_heard      predicted ≥ threshold + margin at the station, nothing heard on the channel in the
                             station's measured range (its emissions' span, or its sweep grid)
            Sweeps: per-bin noise floor = low percentile of the bin's levels over time (ITU-R SM.1753 idea, streaming
            histogram per bin), threshold = floor + margin, emissions = runs of bins above threshold often enough
            (centre, 99 % bandwidth); occupancy per channel (ITU-R SM.1880) of the register and the band plan.
            Settings (--settings FILE, name,value):
            \(MonitoringSettings.documentation)

            Products in DIR: findings.csv (kind, severity, station_id, frequency_mhz, bandwidth_khz, level_dbuv_m,
            assignment_id, licensee, expected, deviation, explanation; + status with --baseline), occupancy.csv,
            monitoring.gpkg (stations, routes, findings as lines station → assignment, unlicensed points),
            report.html (a map of the stations, findings and transmitters involved, with --admin boundaries; a
            spectrum chart per station, findings marked), study.json.

            Examples:
              tanso monitor --emissions data/monitoring/emissions.csv --assignments data/assignments.csv --output out/monitor
              tanso monitor --emissions data/monitoring/emissions.csv --db out/register.gpkg --output out/monitor-db
              tanso monitor --sweeps data/monitoring/sweeps.csv --assignments data/assignments.csv --output out/monitor-sweeps
              tanso monitor --emissions data/monitoring/emissions.csv --assignments data/assignments.csv --dem out/demo/dem.tif --model itm --baseline out/monitor/findings.csv --output out/monitor2
            """)

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "monitor", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        guard a.string("emissions") != nil || a.string("sweeps") != nil else {
            throw UsageError(message: "give --emissions FILE or --sweeps FILE (or both)", command: "monitor")
        }
        let enc = try TansoCLI.encoding(a)
        let skip = a.flag("skip-invalid")
        let records = try RegisterInputs(a, encoding: enc)
        let assignments = try records.assignments()!
        var settings = MonitoringSettings()
        if let s = a.string("settings") { try settings.apply(try MonitoringTables.loadSettings(s), source: s) }
        if let t = try a.double("threads", in: 1...1024) { settings.threads = Int(t) }
        var job = MonitorJob(assignments: assignments, settings: settings)
        if let t = a.string("tolerances") { job.tolerances = try MonitoringTables.loadTolerances(t) }
        if let c = a.string("calibration") { job.calibration = try MonitoringTables.loadCalibration(c) }
        if let plan = a.string("band-plan") { job.bandPlan = plan.lowercased() == "none" ? nil : try AssignmentTables.loadBandPlan(plan) }
        if let path = a.string("emissions") {
            var r = LoadReport()
            job.emissions = try EmissionLoader.load(path, skipInvalid: skip, encoding: enc, report: &r)
            TansoCLI.reportSkipped(r, what: "emission")
        }
        job.sweepsPath = a.string("sweeps")
        job.admin = try a.string("admin").map { try AdminLayer.load($0) }
        job.skipInvalid = skip
        if let demPath = a.string("dem") {
            guard let id = PathLossModelID(rawValue: a.string("model")!.lowercased()) else {
                throw UsageError(
                    message: "unknown model '\(a.string("model")!)'; expected one of \(PathLossModelID.allCases.map(\.rawValue).joined(separator: ", "))",
                    command: "monitor")
            }
            job.terrain = TerrainPaths(dem: try ElevationModel(path: demPath), model: try ProfileModel(id, settings: try a.modelSettings(model: id) ?? [:]))
        } else if a.given.contains("set") || a.given.contains("model") {
            throw UsageError(message: "--model and --set need --dem (without a DEM the simple model is used)", command: "monitor")
        }
        let text = try execute(
            job, output: try OutputOptions.value(a), title: a.string("title")!, baseline: a.string("baseline"),
            list: Int(try a.double("list", in: 0...1_000_000)!), command: records.command(args),
            inputs: [
                ("assignments", a.string("assignments")), ("store", records.storePath), ("emissions", a.string("emissions")), ("sweeps", a.string("sweeps")),
                ("dem", a.string("dem")),
                ("band plan", a.string("band-plan")), ("tolerances", a.string("tolerances")), ("settings", a.string("settings")),
                ("calibration", a.string("calibration")), ("baseline", a.string("baseline")), ("admin", a.string("admin"))
            ])
        print(text, terminator: "")
        return 0
    }

    /// Reads the sweeps, correlates, writes the products and returns the printed summary. Shared with `tanso demo`.
    static func execute(
        _ job: MonitorJob, output: String, title: String, baseline: String? = nil, list: Int = 20, command: [String] = [],
        inputs: [(role: String, path: String?)] = []
    ) throws -> String {
        if let baseline { try ProductFolder.verifyIfRecorded(file: baseline) }
        let tx = try OutputOptions.open(output, command: command, inputs: inputs.map(\.path), writes: MonitoringProducts.fixed)
        var s = ""
        var emissions = job.emissions
        var summaries: [SweepSummary] = []
        if let path = job.sweepsPath {
            let (sums, text) = try job.detect(path)
            summaries = sums
            s += text
            emissions += sums.flatMap(\.emissions)
        }
        var ranges: [String: ClosedRange<Double>] = [:]
        for w in summaries { if let lo = w.frequenciesMHz.first, let hi = w.frequenciesMHz.last { ranges[w.stationID] = lo...hi } }
        let correlation = MonitoringCorrelation(settings: job.settings, tolerances: job.tolerances, terrain: job.terrain, calibration: job.calibration)
        let result = correlation.run(emissions: emissions, assignments: job.assignments, measuredRanges: ranges)
        var findings = result.findings
        if let baseline { findings = try MonitoringProducts.compare(findings, baselineCSV: baseline) }
        try writeProducts(
            job, emissions: emissions, summaries: summaries, result: result, findings: findings, title: title, correlation: correlation, inputs: inputs,
            to: tx.staging)
        try OutputOptions.commit(tx, kind: "monitor", command: command, inputs: inputs.filter { $0.role != "baseline" })
        s += "\(emissions.count) emissions at \(Set(emissions.map(\.stationID)).count) stations against \(job.assignments.count) assignments: "
        s += "\(result.candidatePairs) candidate pairs from the frequency index, \(result.predictions) predictions (\(correlation.modelName)); "
        s += String(format: "%.2f s\n", result.seconds)
        if result.terrainFallbacks > 0 { s += "warning: \(result.terrainFallbacks) paths outside the DEM used the simple model\n" }
        let active = findings.filter { $0.status != "resolved" }
        let byKind = MonitoringFindingKind.allCases.compactMap { k -> String? in
            let c = active.filter { $0.kind == k }.count
            return c > 0 ? "\(c) \(k.rawValue)" : nil
        }
        s += "\(active.count) findings" + (byKind.isEmpty ? "" : ": " + byKind.joined(separator: ", "))
        if baseline != nil {
            s +=
                " (baseline: " + ["new", "unchanged", "resolved"].map { st in "\(findings.filter { $0.status == st }.count) \(st)" }.joined(separator: ", ")
                + ")"
        }
        s += "\n"
        for f in findings.prefix(list) {
            s +=
                "  " + f.severity.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                + f.kind.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)
            s += f.stationID.padding(toLength: 12, withPad: " ", startingAt: 0) + String(format: "%10.4f MHz  ", f.frequencyMHz) + (f.assignmentID ?? "—")
            s += (f.status.map { "  [\($0)]" } ?? "") + "\n"
        }
        if findings.count > list { s += "  … \(findings.count - list) more in findings.csv\n" }
        for p in MonitoringProducts.fixed { s += "wrote \((output as NSString).appendingPathComponent(p))\n" }
        return s
    }

    static func writeProducts(
        _ job: MonitorJob, emissions: [MonitoredEmission], summaries: [SweepSummary], result: MonitoringResult, findings: [MonitoringFinding],
        title: String, correlation: MonitoringCorrelation, inputs: [(role: String, path: String?)], to dir: String
    ) throws {
        func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }
        try MonitoringProducts.findingsText(findings).write(toFile: path(MonitoringProducts.findingsCSV), atomically: false, encoding: .utf8)
        try MonitoringProducts.occupancyText(summaries).write(toFile: path(MonitoringProducts.occupancyCSV), atomically: false, encoding: .utf8)
        var stationIDs: [String] = []
        var positions: [String: [(lat: Double, lon: Double)]] = [:]
        func addPosition(_ id: String, _ lat: Double, _ lon: Double) {
            if positions[id] == nil { stationIDs.append(id); positions[id] = [] }
            if positions[id]!.last.map({ abs($0.lat - lat) > 1e-6 || abs($0.lon - lon) > 1e-6 }) ?? true { positions[id]!.append((lat, lon)) }
        }
        for w in summaries { for p in w.positions { addPosition(w.stationID, p.lat, p.lon) } }
        for e in emissions { addPosition(e.stationID, e.latitude, e.longitude) }
        stationIDs.sort()
        try VectorWriter.write(
            MonitoringProducts.layers(findings, stations: stationIDs.map { ($0, positions[$0]!) }), to: path(MonitoringProducts.gpkg))
        var views: [MonitoringStationView] = []
        for id in stationIDs {
            defer { views[views.count - 1].positions = positions[id]! }
            let channels = (result.receivable[id] ?? []).map { r in
                let a = job.assignments[r.assignment]
                return (id: a.id, licensee: a.licensee, channel: a.tx, predictedDBuVm: r.predictedDBuVm)
            }
            views.append(
                MonitoringStationView(
                    stationID: id, emissions: emissions.filter { $0.stationID == id }, sweep: summaries.first { $0.stationID == id },
                    channels: channels, findings: findings.filter { $0.stationID == id }))
        }
        let summary = [
            "\(emissions.count) emissions, \(job.assignments.count) assignments; prediction: \(correlation.modelName); detection threshold \(String(format: "%.1f", job.settings.detectionThresholdDBuVm)) dBµV/m.",
            "Tolerances: \(job.tolerances.name); over_level beyond \(DecimalFormatting.text(job.settings.overLevelK)) σ; not_heard at threshold + \(DecimalFormatting.text(job.settings.notHeardMarginDB)) dB.",
            "\(findings.filter { $0.status != "resolved" }.count) findings."
        ]
        let html = MonitoringHTML.render(
            title: title, stations: views, summary: summary, thresholdDBuVm: job.settings.detectionThresholdDBuVm,
            inputs: inputs.compactMap { i in i.path.map { (i.role, ($0 as NSString).lastPathComponent) } }, admin: job.admin)
        try html.write(toFile: path(MonitoringProducts.report), atomically: false, encoding: .utf8)
    }
}

/// The inputs of a monitoring run.
struct MonitorJob {
    var assignments: [Assignment]
    var settings: MonitoringSettings
    var emissions: [MonitoredEmission] = []
    var sweepsPath: String? = nil
    var skipInvalid = false
    var tolerances: FrequencyTolerances = .radioRegulations
    var calibration: [String: (sigmaDB: Double, biasDB: Double)] = [:]
    var bandPlan: BandPlan? = .vietnamDefault
    var terrain: TerrainPaths? = nil
    /// Boundaries for the report's map.
    var admin: AdminLayer? = nil

    /// Streams the sweep file through one accumulator per station.
    func detect(_ path: String) throws -> ([SweepSummary], String) {
        let started = Date()
        let reader = try SweepReader(path: path, skipInvalid: skipInvalid)
        var accumulators: [String: SweepAccumulator] = [:]
        var order: [String] = []
        let progress = TansoCLI.progressHandler("sweeps")
        try reader.forEachSweep { sw in
            let acc: SweepAccumulator
            if let x = accumulators[sw.stationID] {
                acc = x
            } else {
                let lo = sw.frequenciesMHz.first ?? 0, hi = sw.frequenciesMHz.last ?? 0
                acc = SweepAccumulator(
                    stationID: sw.stationID, frequenciesMHz: sw.frequenciesMHz, unit: sw.unit,
                    channels: OccupancyChannels.make(lowMHz: lo, highMHz: hi, assignments: assignments, bandPlan: bandPlan, channelKHz: settings.channelKHz),
                    settings: settings, threads: settings.threads)
                accumulators[sw.stationID] = acc
                order.append(sw.stationID)
            }
            acc.add(levels: sw.levels, timestamp: sw.timestamp, latitude: sw.latitude, longitude: sw.longitude, heightM: sw.antennaHeightM)
            if let progress, reader.sweepsRead % 2000 == 0, reader.fileBytes > 0 {
                progress(min(0.99, Double(reader.bytesConsumed) / Double(reader.fileBytes)))
            }
        }
        progress?(1)
        if reader.skippedCount > 0 {
            TansoCLI.printWarning("skipped \(reader.skippedCount) invalid sweep row(s) (their sweeps dropped):")
            for e in reader.report.skipped.prefix(20) { FileHandle.standardError.write(Data("  \(e)\n".utf8)) }
        }
        let summaries = order.map { accumulators[$0]!.finish() }
        let seconds = Date().timeIntervalSince(started)
        let bins = summaries.reduce(0) { $0 + $1.sweeps * $1.frequenciesMHz.count }
        var s = "\(reader.sweepsRead) sweeps (\(bins) bins) at \(summaries.count) station(s) read and detected in \(String(format: "%.2f", seconds)) s"
        s += String(format: " (%.2f M bins/s from CSV)", Double(bins) / max(seconds, 1e-9) / 1e6)
        s += ": \(summaries.reduce(0) { $0 + $1.emissions.count }) emissions, \(summaries.reduce(0) { $0 + $1.channels.count }) occupancy channels\n"
        return (summaries, s)
    }
}

enum DecimalFormatting {
    static func text(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
}

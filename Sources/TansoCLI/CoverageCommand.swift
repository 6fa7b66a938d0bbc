// tanso coverage: transmitters + area → rasters, polygons, village figures, map.
import Foundation
import Geo
import Radio
import Records
import Analysis
import Reports
import Terrain

enum CoverageCommand {
    static let options: [OptionSpec] = [
        .value("transmitters", "FILE", "transmitters (CSV with latitude/longitude, or any OGR source)", required: false),
        RegisterInputs.dbOption(replacing: "--transmitters and --villages"),
        .value("villages", "FILE", "villages (points or polygons; CSV or any OGR source)"),
        .value(
            "antenna-dir", "DIR",
            "folder of the pattern files named in the antenna_pattern column (.msi, .pln, .txt, .pafx); names resolve only inside it, after following links [default: the transmitters file's folder]"
        ),
        .value("dem", "FILE", "elevation raster (any GDAL format/CRS) for antenna angles and the hillshade"),
        .value("area", "W,S,E,N", "area in WGS84 degrees [default: transmitters' extent + 10 km]"),
        .value("resolution-m", "M", "grid cell size in metres", default: "100"),
        .value(
            "model", "M", "hata (fast, no terrain), los (line of sight + free space) or a terrain model: itm, p526, p1812, p452, p1546, ehata, …",
            default: "hata"),
        .value("set", "NAME=V,...", "model settings, as the optional columns of tanso pathloss (climate=1,time_pct=10,dn=50)"),
        .value("profile-spacing-m", "M", "terrain models: profile spacing [default: the DEM's cell size]"),
        .value("profiles", "METHOD", "terrain models: radial (one profile per radial, fast) or exact (one per cell) [default: radial]"),
        .value(
            "interpolate-within-db", "DB",
            "radial profiles: refine from anchor cells, interpolating a cell whose coarser neighbours agree within DB (half of it above the finest level; excess loss over the free-space distance term); 0 computes every cell [default: 4]"
        ),
        .value(
            "interpolate-ground-within-m", "M",
            "radial profiles with interpolation: only where the cell's ground is within M of its neighbours' mean [default: 1]"),
        .value("anchor-spacing", "CELLS", "radial profiles with interpolation: step of the computed anchor lattice, 1, 2, 4, 8 or 16 cells [default: 4]"),
        .value("max-profile-points", "N", "terrain models: cap the points of long profiles (faster, slightly less exact)"),
        .value("clutter-pct", "P", "add the receiver-end clutter loss of ITU-R P.2108 §3.2 not exceeded at P % of locations (0.5–67 GHz; for terrain models)"),
        .value(
            "clutter-raster", "FILE", "land-cover raster (integer classes, any GDAL format/CRS) for a receiver-end clutter loss per cell; with --clutter-table"),
        .value("clutter-table", "FILE.csv", "loss per land-cover class: CSV with class,loss_db (dB, e.g. data/clutter_worldcover.csv, illustrative values)"),
        .value(
            "calibration", "FILE",
            "apply a calibration.json of tanso calibrate (fitted for the same model): extra loss offset + slope·log10(d/1 km) + class loss; recorded in study.json"
        ),
        .value("environment", "ENV", "Hata environment: urban, suburban, open", default: "suburban"),
        .value("rx-height-m", "M", "receiver height above ground [default: 1.5; 10 with --metric field-strength]"),
        .value(
            "metric", "M",
            "power (received power at the antenna port, dBm) or field-strength (dBµV/m at --rx-height-m, ITU-R P.525; thresholds in dBµV/m)",
            default: "power"),
        .value("max-radius-km", "KM", "computation radius around each transmitter", default: "30"),
        .value("threshold", "TECH=DBM,...", "override coverage thresholds (total channel power), e.g. 4G=-85,5G=-80"),
        .value(
            "products", "LIST",
            "products to write besides best_signal_dbm.tif, coverage_summary.txt and study.json: all, or a comma-separated list of servers (best_server.tif, best_server_ids.csv, server_count.tif), services (services/*.tif), kmz, polygons (coverage polygons in coverage.gpkg/.geojson/.kml), villages (villages.csv, uncovered_villages.csv, their layers), map (map.png), overviews (inside the COGs) [default: all]"
        ),
        .value(
            "band-rows", "N",
            "compute and write the grid by bands of N rows, holding a band of each layer instead of whole layers (0: the whole grid at once; the products are the same byte for byte) [default: 512 when the grid has more than 4 million cells, else 0]"
        ),
        .value("shard", "I/N", "compute only shard I of N (the transmitters split into N sets of equal estimated cost) into a partial result for tanso merge"),
        .value(
            "threads", "N",
            "worker threads of the engine [default: all cores]; the products are the same bytes for any N (e.g. --threads 1 on a shared machine)"),
        .value("study", "FILE.json", "read the whole study from a JSON file (options given here override it)"),
        .value("output", "DIR", "folder for the products", required: true),
        .value("title", "TEXT", "map title", default: "TANSO COVERAGE"),
        .flag(
            "record",
            "with --db: record the run in the register (who, when, inputs with SHA-256), keep its COG rasters (best signal, per service) beside the register, referenced by relative path and SHA-256, and publish the 4G/5G coverage of each commune's population (published_coverage, readable by tanso_public)"
        ),
        .value(
            "rasters", "DIR",
            "with --record: the folder where the register keeps run rasters (required for PostgreSQL) [default: beside a GeoPackage register, REGISTER.rasters/]"
        ),
        .flag("skip-invalid", "skip invalid rows (each is reported) instead of stopping at the first"),
        TansoCLI.encodingOption
    ]

    static let help = helpText(
        usage: "tanso coverage (--transmitters FILE [--villages FILE] | --db DB) --output DIR [options]",
        summary: "Compute received power (dBm) of every transmitter on a grid and write coverage products.",
        options: options,
        details: """
            Models: `hata` (default) is Okumura-Hata up to 1500 MHz and COST-231 Hata above (max with free-space loss
            below 1 km), vectorised over distance. `los` is the viewshed of each antenna over the grid's ground heights
            (GDAL's gdal_viewshed method, 4/3-Earth curvature) with free-space loss in view, nothing out of it. Any model of `tanso pathloss` (itm, p526, p1812, p452, p1546, ehata,
            fspl, 38901-*) runs on the terrain profile from each transmitter to each cell centre, sampled exactly as
            `tanso pathloss` link mode samples it (n = max(4, ceil(distance / spacing)) equal steps, bilinear heights), so a
            cell's value equals `tanso pathloss` on that cell's profile. Antennas: a transmitter
            without azimuth is omnidirectional; with one, its antenna_pattern file (.msi, .pln, Planet .txt or .pafx,
            from --antenna-dir) gives the 3-D gain (data/README.md, Antenna patterns), else the 3GPP parametric sector
            (65° / 10°, 30 dB); azimuth and mechanical tilt always apply, electrical tilt to the parametric sector (a
            pattern file holds its own). EIRP (boresight) comes from the record. Coverage thresholds default to 2G −95, 3G −85, 4G −80, 5G −75 dBm total channel power.

            Products in DIR: best_signal_dbm.tif (best_field_dbuvm.tif with --metric field-strength), best_server.tif (+ best_server_ids.csv), server_count.tif,
            services/signal_<operator>_<tech>.tif, coverage.gpkg (coverage, villages, uncovered_villages,
            transmitters), coverage.geojson, coverage.kml, villages.csv, uncovered_villages.csv, map.png, study.json,
            coverage_summary.txt.

            Large grids are computed and written by bands of rows (--band-rows; memory: a band of each layer, not the
            whole grid), with the same products byte for byte; e.g. the whole sample province at 30 m:
              tanso coverage --transmitters data/transmitters.csv --dem dem1.tif --model itm --max-radius-km 10 \
                --resolution-m 30 --band-rows 512 --output out/province30
            A --shard run writes its partial result from the whole grid.
            """)

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "coverage", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        // The record of the run holds every input with its checksum: the files named here are hashed on another
        // thread while the records and the DEM window are read (a 1″ DEM of 30 MB takes about 25 ms).
        let named = OutputOptions.recordInputs([
            ("transmitters", a.string("transmitters")), ("store", StoreCommand.recordedPath(a)), ("villages", a.string("villages")),
            ("dem", a.string("dem")), ("calibration", a.string("calibration"))
        ])
        defer { named.wait() }
        let enc = try TansoCLI.encoding(a)
        let records = try RegisterInputs(a, encoding: enc)
        let store = records.store
        let transmitters = try records.transmitters()!
        let villages = try records.villages(required: false) ?? []
        if let t = try a.double("threads", in: 1...1024) { Parallel.threads = Int(t) }
        let study = try buildStudy(a, transmitters: transmitters)
        // Only the DEM window the study samples is read (a VRT over many tiles opens only the tiles it touches).
        let window = try CoverageEngine.terrainWindow(study: study, transmitters: transmitters)
        let dem = try a.string("dem").map { try ElevationModel(path: $0, window: window, threads: Parallel.threads) }
        let txPath = a.string("transmitters") ?? StoreCommand.recordedPath(a) ?? "transmitters"
        let antennas = antennaLibrary(a.string("antenna-dir"), transmittersPath: txPath, transmitters: transmitters)
        let txName = store == nil ? URL(fileURLWithPath: txPath).lastPathComponent : store!.label
        try TansoCLI.checkPatterns(antennas, transmitters.map { ("\(txName): transmitter '\(InputText.echo($0.id))'", $0.antennaPattern) })
        var shard: (index: Int, count: Int)? = nil
        if let text = a.string("shard") {
            let parts = text.split(separator: "/").map { Int($0) }
            guard parts.count == 2, let i = parts[0], let n = parts[1], n >= 1, (1...n).contains(i) else {
                throw UsageError(message: "--shard expects I/N with 1 ≤ I ≤ N (e.g. 2/8), got '\(text)'", command: "coverage")
            }
            shard = (i, n)
        }
        // The record of the run: every input with its checksum.
        var inputs = try named.value()
        let clutter = try clutterMap(a, study: study)
        if let clutter {
            inputs.append(try RunRecord.input(role: "clutter_raster", path: clutter.path))
            if let t = a.string("clutter-table") { inputs.append(try RunRecord.input(role: "clutter_table", path: t)) }
        }
        if let antennas {
            for name in Set(transmitters.compactMap(\.antennaPattern).filter { !$0.isEmpty }).sorted() {
                let path = try antennas.file(named: name).path
                inputs.append(try RunRecord.input(role: "antenna_pattern", path: path))
            }
        }
        if let path = a.string("study"), let previous = try? RunRecord.read(path), !previous.inputs.isEmpty {
            for message in previous.changedInputs() { TansoCLI.printWarning("\(path): \(message)") }
        }
        var selection = CoverageProducts.Selection.all
        if let text = a.string("products") {
            guard let s = CoverageProducts.Selection.parse(text) else {
                throw UsageError(
                    message:
                        "--products takes all or a comma-separated list of \(CoverageProducts.Selection.Kind.allCases.map(\.rawValue).joined(separator: ", ")), got '\(InputText.echo(text))'",
                    command: "coverage")
            }
            selection = s
        }
        let result = try execute(
            study: study, transmitters: transmitters, villages: villages, dem: dem, antennas: antennas,
            clutter: clutter, output: try OutputOptions.value(a), title: a.string("title")!, products: selection,
            record: RunRecord(
                tool: "tanso \(TansoCLI.version)", command: StoreCommand.redacted(["tanso", "coverage"] + args),
                inputs: inputs, study: study),
            shard: shard, otherInputs: [a.string("study")], bandRows: try a.double("band-rows", in: 0...1e9).map { Int($0) })
        print(result)
        if a.flag("record") {
            guard let store else { throw UsageError(message: "--record needs --db (the register to record the run in)", command: "coverage") }
            print(
                try StoreCommand.recordCoverage(
                    output: try OutputOptions.value(a), in: store, command: StoreCommand.redacted(["tanso", "coverage"] + args),
                    rasterFolder: a.string("rasters")))
        }
        return 0
    }

    /// Default thresholds in dBµV/m for --metric field-strength: FM and TV from the broadcasting criteria (BS.412
    /// stereo rural 54; DVB-T2 fixed 54.3), the others their power threshold (dBm, 0 dBi) converted at the median
    /// frequency of the technology's transmitters (ITU-R P.525).
    static func fieldStrengthThresholds(_ transmitters: [Transmitter]) -> ThresholdTable {
        var t = ThresholdTable(CoverageThresholds.defaults.dBm)
        for tech in Technology.allCases {
            let fs = transmitters.filter { $0.technology == tech }.map(\.frequencyMHz).sorted()
            switch tech {
            case .fm: t[tech] = BroadcastCriteria.defaults.minimumField(service: "broadcast_fm")!.medianDBuVm
            case .tv: t[tech] = BroadcastCriteria.defaults.minimumField(service: "broadcast_tv")!.medianDBuVm
            default:
                guard !fs.isEmpty else { continue }
                t[tech] = FieldStrength.fieldDBuVm(powerDBm: CoverageThresholds.defaults.threshold(for: tech), frequencyMHz: fs[fs.count / 2])
            }
        }
        return t
    }

    static func buildStudy(_ a: ParsedArguments, transmitters: [Transmitter]) throws -> CoverageStudy {
        var study: CoverageStudy
        if let path = a.string("study") {
            do {
                study = try RunRecord.read(path).study
            } catch {
                throw InputError("\(path): not a valid study file: \(error)")
            }
        } else if let area = try a.doubles("area", count: 4, meaning: "west,south,east,north in degrees") {
            study = CoverageStudy(west: area[0], south: area[1], east: area[2], north: area[3])
        } else {
            guard !transmitters.isEmpty else { throw InputError("no transmitters: give --area") }
            let margin = 0.1
            study = CoverageStudy(
                west: transmitters.map(\.longitude).min()! - margin, south: transmitters.map(\.latitude).min()! - margin,
                east: transmitters.map(\.longitude).max()! + margin, north: transmitters.map(\.latitude).max()! + margin)
        }
        if let area = try a.doubles("area", count: 4, meaning: "west,south,east,north in degrees"), a.string("study") != nil {
            study.west = area[0]; study.south = area[1]; study.east = area[2]; study.north = area[3]
        }
        // With --study, only the options given on the command line override the file; without it, defaults apply.
        let fromFile = a.string("study") != nil
        func use(_ name: String) -> Bool { !fromFile || a.given.contains(name) }
        if use("resolution-m"), let r = try a.double("resolution-m", in: 1...10_000) { study.resolutionM = r }
        if use("environment"), let e = a.string("environment") {
            guard ["urban", "suburban", "open"].contains(e) else {
                throw UsageError(message: "--environment must be urban, suburban or open, got '\(e)'", command: "coverage")
            }
            study.environment = e
        }
        if use("metric"), let m = a.string("metric") {
            guard ["power", "field-strength"].contains(m) else {
                throw UsageError(message: "--metric must be power or field-strength, got '\(m)'", command: "coverage")
            }
            study.metric = m == "power" ? nil : m
        }
        if study.isFieldStrength && !fromFile {
            study.receiverHeightM = 10
            study.floorDBm = -40 // dBµV/m
            study.thresholdsDBm = fieldStrengthThresholds(transmitters)
        }
        if use("rx-height-m"), let h = try a.double("rx-height-m", in: 0.5...100) { study.receiverHeightM = h }
        if use("max-radius-km"), let r = try a.double("max-radius-km", in: 0.1...200) { study.maxRadiusKm = r }
        if use("model"), let m = a.string("model") {
            guard m == "hata" || m == "los" || PathLossModelID(rawValue: m) != nil else {
                throw UsageError(
                    message: "--model must be hata, los or one of \(PathLossModelID.allCases.map(\.rawValue).joined(separator: ", ")), got '\(m)'",
                    command: "coverage")
            }
            study.model = m
        }
        if let set = try a.modelSettings(model: nil) {
            for (k, v) in set { study.modelSettings[k] = v }
        }
        if let id = PathLossModelID(rawValue: study.model) {
            try a.validateModelSettings(study.modelSettings, model: id)
        } else if a.string("set") != nil {
            TansoCLI.printWarning("--set has no effect with --model \(study.model) (its settings are --environment and --rx-height-m)")
        }
        if let s = try a.double("profile-spacing-m", in: 0.5...10_000) { study.profileSpacingM = s }
        if let m = try a.double("max-profile-points", in: 3...1_000_000) { study.maxProfilePoints = Int(m) }
        if let t = try a.double("interpolate-within-db", in: 0...20) { study.interpolateWithinDB = t }
        if let g = try a.double("interpolate-ground-within-m", in: 0...10_000) { study.interpolateGroundWithinM = g }
        if let k = try a.double("anchor-spacing", in: 1...16) {
            guard [1.0, 2, 4, 8, 16].contains(k) else {
                throw UsageError(message: "--anchor-spacing must be 1, 2, 4, 8 or 16 cells, got '\(k)'", command: "coverage")
            }
            study.anchorSpacingCells = Int(k)
        }
        if let p = try a.double("clutter-pct", in: 0.000001...99.999999) { study.clutterLocationPct = p }
        if let c = a.string("calibration") {
            do { study.calibration = try CalibrationFile.read(c) } catch let e as StudyError { throw InputError(e.message) }
        }
        if let t = a.string("clutter-table") {
            study.clutterClassLossDB = Dictionary(uniqueKeysWithValues: try ClutterMap.readTable(t).map { (String($0.key), $0.value) })
        }
        if let p = a.string("profiles") {
            guard ["radial", "exact"].contains(p) else {
                throw UsageError(message: "--profiles must be radial or exact, got '\(p)'", command: "coverage")
            }
            study.profiles = p
        }
        if let t = try a.thresholds(allowed: Technology.allCases, range: -200...50) {
            for (tech, v) in t { study.thresholdsDBm[tech.rawValue] = v }
        }
        return study
    }

    /// The land-cover clutter map of `--clutter-raster` with the study's class table (from `--clutter-table` or
    /// the study file); each needs the other.
    static func clutterMap(_ a: ParsedArguments, study: CoverageStudy) throws -> ClutterMap? {
        let raster = a.string("clutter-raster")
        guard let table = study.clutterClassLossDB else {
            if raster != nil { throw UsageError(message: "--clutter-raster needs --clutter-table (class,loss_db)", command: "coverage") }
            return nil
        }
        guard let raster else {
            throw UsageError(
                message: a.string("clutter-table") != nil
                    ? "--clutter-table needs --clutter-raster (the land-cover raster)"
                    : "the study uses a land-cover clutter table: give its raster with --clutter-raster",
                command: "coverage")
        }
        return ClutterMap(path: raster, lossDB: Dictionary(uniqueKeysWithValues: table.compactMap { k, v in Int(k).map { ($0, v) } }))
    }

    /// The clutter map with a calibration's class losses added to its table (a class the table lacks keeps its error).
    static func calibrated(_ clutter: ClutterMap, _ calibration: Calibration?) -> ClutterMap {
        guard let c = calibration, !c.clutterLossesDB.isEmpty else { return clutter }
        var table = clutter.lossDB
        for (k, v) in c.clutterLossesDB { if let code = Int(k), let l = table[code] { table[code] = l + v } }
        return ClutterMap(path: clutter.path, lossDB: table)
    }

    /// The pattern-file library when some transmitter names a pattern: `--antenna-dir`, else the folder of the
    /// transmitters file (a connection string has no folder: the current directory).
    static func antennaLibrary(_ dir: String?, transmittersPath: String, transmitters: [Transmitter]) -> AntennaLibrary? {
        guard transmitters.contains(where: { !($0.antennaPattern ?? "").isEmpty }) else { return nil }
        if let dir { return AntennaLibrary(folder: URL(fileURLWithPath: dir), archiveOpener: PAFXFile.opener) }
        let url = URL(fileURLWithPath: transmittersPath)
        let folder = FileManager.default.fileExists(atPath: url.path) ? url.deletingLastPathComponent() : URL(fileURLWithPath: ".")
        return AntennaLibrary(folder: folder, archiveOpener: PAFXFile.opener)
    }

    /// Runs a study and writes its products; returns the summary text.
    static func execute(
        study: CoverageStudy, transmitters: [Transmitter], villages: [Village], dem: ElevationModel?,
        antennas: AntennaLibrary? = nil, clutter: ClutterMap? = nil, output: String, title: String,
        products selection: CoverageProducts.Selection = .all,
        record: RunRecord? = nil, shard: (index: Int, count: Int)? = nil, otherInputs: [String?] = [], bandRows: Int? = nil
    ) throws -> String {
        var subset = transmitters, indices = Array(transmitters.indices)
        if let shard {
            let costs = transmitters.map { study.estimatedCells(latitude: $0.latitude, longitude: $0.longitude) }
            indices = PartialResult.indices(shard: shard.index, of: shard.count, costs: costs)
            guard !indices.isEmpty else {
                throw InputError("shard \(shard.index)/\(shard.count) has no transmitters: there are only \(transmitters.count); use N ≤ \(transmitters.count)")
            }
            subset = indices.map { transmitters[$0] }
        }
        // The output folder, locked and checked against the inputs before the work starts.
        let tx = try OutputOptions.open(
            output, command: record?.command ?? [], inputs: (record?.inputs.map(\.path) ?? []) + otherInputs,
            writes: shard == nil ? ProductLayout.coverageFixed : [ProductLayout.partialManifest])
        if clutter == nil, let c = study.calibration, c.clutterLossesDB.values.contains(where: { $0 != 0 }) {
            throw InputError(
                "the calibration \(c.source ?? "") has land-cover class losses: give the land cover it was fitted on (--clutter-raster) and a class table (--clutter-table)"
            )
        }
        var receiverLoss: [Float]? = nil
        if let clutter {
            let spec = try GridSpec.utm(
                west: study.west, south: study.south, east: study.east, north: study.north,
                resolutionM: study.resolutionM)
            let (loss, uncovered) = try calibrated(clutter, study.calibration).lossPerCell(spec)
            if uncovered > 0 {
                TansoCLI.printWarning("\(uncovered) of \(spec.cellCount) cell(s) fall outside \(clutter.path) or on its nodata: no clutter loss there")
            }
            receiverLoss = loss
        }
        var runRecord = record ?? RunRecord(tool: "tanso \(TansoCLI.version)", command: [], inputs: [], study: study)
        if shard == nil, let rows = try CoverageBands.rows(bandRows, study: study) {
            return try CoverageBands.execute(
                study: study, transmitters: transmitters, villages: villages, dem: dem, antennas: antennas,
                receiverLoss: receiverLoss, bandRows: rows, record: runRecord, output: tx, title: title, selection: selection)
        }
        let result = try CoverageEngine.run(
            study: study, transmitters: subset, dem: dem, antennas: antennas,
            receiverLossDB: receiverLoss, progress: TansoCLI.progressHandler("coverage"))
        warnAbout(result.diagnostics)
        runRecord.grid = RunRecord.grid(result.spec)
        if let shard {
            runRecord.shard = .init(index: shard.index, count: shard.count, transmitterIndices: indices)
            try PartialResult.write(result, globalIndices: indices, transmitterCount: transmitters.count, to: tx.staging)
            try tx.commit { run, products in
                var r = runRecord
                r.run = run
                r.products = products
                return try r.encoded()
            }
            return
                "Shard \(shard.index)/\(shard.count): \(subset.count) of \(transmitters.count) transmitters, grid \(result.spec.width)×\(result.spec.height), "
                + String(format: "%.1f s", result.seconds) + "\nPartial result in \(output) (partial/, study.json): combine the shards with tanso merge.\n"
        }
        return try writeProducts(result, villages: villages, record: runRecord, output: tx, title: title, selection: selection)
    }

    /// Cells left empty, as warnings.
    static func warnAbout(_ d: CoverageEngine.Diagnostics) {
        if d.cellsWithoutTerrain > 0 {
            TansoCLI.printWarning("\(d.cellsWithoutTerrain) cell(s) left empty: their profile leaves the DEM or crosses nodata")
        }
        if d.cellsRejectedByModel > 0 {
            TansoCLI.printWarning("\(d.cellsRejectedByModel) cell(s) left empty: the model rejected their path, e.g. \(d.firstModelError ?? "")")
        }
    }

    /// Products of a whole result (a single run or merged shards) into the staging folder of `output`, then the
    /// swap with the run record (study.json, last).
    static func writeProducts(
        _ result: CoverageResult, villages: [Village], record: RunRecord, output tx: OutputTransaction,
        title: String, selection: CoverageProducts.Selection = .all
    ) throws -> String {
        try writeProducts(result.layers, rastersWritten: false, villages: villages, record: record, output: tx, title: title, selection: selection)
    }

    /// Products of a run read through `layers` (its rasters already written when `rastersWritten`), then the swap.
    static func writeProducts(
        _ layers: CoverageLayers, rastersWritten: Bool, villages: [Village], record: RunRecord, output tx: OutputTransaction,
        title: String, selection: CoverageProducts.Selection
    ) throws -> String {
        let statuses = try VillageAnalysis.evaluate(layers, villages: villages)
        let products = try CoverageProducts.write(
            layers, rastersWritten: rastersWritten, villages: statuses, to: tx.staging, title: title, selection: selection)
        let services = ProductLayout.Services(layers.keys)
        try tx.commit { run, products in try CoverageFolder.record(record, services: services, run: run, products: products) }
        var text = CoverageProducts.summaryText(layers, villages: statuses)
        text += "\nProducts in \(tx.output):\n"
        for p in products.files { text += "  \(URL(fileURLWithPath: p.path).lastPathComponent)\(p.path.hasSuffix("/") ? "/" : "")  \(p.what)\n" }
        text +=
            "  study.json  the run record, written last: tool version, command, inputs with SHA-256, study (run again with --study), run id, every product's size and SHA-256\n"
        return text
    }
}

enum VillagesCommand {
    static let options: [OptionSpec] = [
        .value("coverage", "FILE.tif", "single-band raster in dBm (any GDAL format and CRS)", required: true),
        .value("villages", "FILE", "villages (CSV with latitude/longitude, or any OGR source)"),
        RegisterInputs.dbOption(replacing: "--villages"),
        .value("threshold-dbm", "DBM", "a village is uncovered below this value", required: true),
        .value("output", "FILE.csv", "uncovered villages (CSV; .gpkg/.geojson/.kml write a layer instead)", required: true),
        .value("layer", "NAME", "layer of the village source (default: the first)"),
        .value("unit", "dbm", "declare the raster's values as dBm when its band does not say so (tanso's rasters do: unit type dBm)"),
        .flag("all", "write every village with its value and a covered flag, not only the uncovered"),
        .flag("skip-invalid", "skip invalid village rows (each is reported)"),
        TansoCLI.encodingOption
    ]

    static let help = helpText(
        usage: "tanso villages --coverage FILE.tif (--villages FILE | --db DB) --threshold-dbm X --output FILE.csv",
        summary: "List the villages whose signal is below a threshold on a coverage raster.",
        options: options,
        details: """
            A village is uncovered when the raster value at its location is below the threshold, nodata, or outside the raster.
            The raster must be in dBm: its band's unit type is dBm (tanso's coverage rasters) or its description says
            dBm; any other raster (a DEM, a field strength in dBµV/m) is refused unless --unit dbm declares it.

            Example:
              tanso villages --coverage out/cov/best_signal_dbm.tif --villages data/villages.csv --threshold-dbm -95 --output out/uncovered.csv
              tanso villages --coverage out/cov/best_signal_dbm.tif --db out/register.gpkg --threshold-dbm -95 --output out/uncovered.csv
            """)

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "villages", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        let enc = try TansoCLI.encoding(a)
        let threshold = try a.double("threshold-dbm", in: -300...100)!
        let villages = try RegisterInputs(a, encoding: enc).villages(layer: a.string("layer"))!
        let output = try OutputOptions.value(a)
        try OutputOptions.refuseOverwrite(file: output, inputs: [a.string("villages"), StoreCommand.recordedPath(a), a.string("coverage")])
        // A raster of a tanso output folder is read only when that folder is complete and unchanged.
        try ProductFolder.verifyIfRecorded(file: a.string("coverage")!)
        let raster = try RasterDataset(path: a.string("coverage")!)
        if raster.bandCount != 1 { TansoCLI.printWarning("\(raster.path) has \(raster.bandCount) bands; using band 1") }
        if let u = a.string("unit") {
            guard u.lowercased() == "dbm" else {
                throw UsageError(
                    message: "--unit accepts only dbm (the values are compared with --threshold-dbm), got '\(InputText.echo(u))'", command: "villages")
            }
        } else {
            let unit = try raster.unit(band: 1), description = try raster.bandDescription(band: 1)
            let saysDBm = unit.lowercased() == "dbm" || (unit.isEmpty && description.lowercased().contains("dbm"))
            guard saysDBm else {
                throw InputError(
                    "\(raster.path): band 1 is not marked as dBm (unit '\(InputText.echo(unit))', description '\(InputText.echo(description))'): "
                        + "a DEM or another quantity would mark every village covered; give a coverage raster in dBm, or --unit dbm if its values are dBm")
            }
        }
        let evaluated = try VillageAnalysis.againstRaster(try raster.readGrid(), villages: villages, thresholdDBm: threshold)
        let rows = evaluated.filter { a.flag("all") || !$0.covered }
        let header = ["id", "name", "commune", "district", "latitude", "longitude", "population", "value_dbm", "covered"]
        func values(_ e: (village: Village, valueDBm: Float?, covered: Bool)) -> [FieldValue] {
            [
                .string(e.village.id), .string(e.village.name), .string(e.village.commune), .string(e.village.district),
                .real(e.village.latitude), .real(e.village.longitude), .integer(e.village.population),
                e.valueDBm.map { .real((Double($0) * 100).rounded() / 100) } ?? .null, .integer(e.covered ? 1 : 0)
            ]
        }
        if output.lowercased().hasSuffix(".csv") {
            try CSV.write(header: header, rows: rows.map { values($0).map(CoverageProducts.text) }, to: output)
        } else {
            var layer = LayerData(
                name: "villages",
                fields: header.enumerated().map { i, h in
                    (h, [6, 8].contains(i) ? .integer : [4, 5, 7].contains(i) ? .real : .string)
                }, geometryType: .point)
            for e in rows { layer.append(.point(Coordinate(e.village.longitude, e.village.latitude)), values(e)) }
            try VectorWriter.write([layer], to: output)
        }
        let uncovered = evaluated.filter { !$0.covered }
        let pop = uncovered.reduce(0) { $0 + $1.village.population }
        print("\(uncovered.count) of \(evaluated.count) villages below \(threshold) dBm (population \(pop)); written to \(output)")
        return 0
    }
}

enum MergeCommand {
    static let options: [OptionSpec] = [
        .value("parts", "DIR,DIR,…", "the output folders of tanso coverage --shard I/N, every shard once, any order", required: true),
        .value("output", "DIR", "folder for the products (required)", required: true),
        .value("transmitters", "FILE", "the transmitters file [default: the one recorded in the shards' study.json]"),
        .value("villages", "FILE", "villages [default: the file recorded in the shards' study.json, if any]"),
        .value("title", "TEXT", "map title", default: "TANSO COVERAGE"),
        TansoCLI.encodingOption
    ]

    static let help = helpText(
        usage: "tanso merge --parts DIR1,DIR2,… --output DIR",
        summary: "Combine the partial results of sharded coverage runs into the products of a single run.",
        options: options,
        details: """
            Shards split a study's transmitters deterministically into N sets of equal estimated cost (the cells each
            transmitter reaches in the area; largest first, each to the least loaded shard, ties by input order). Each
            shard writes partial layers and a run record (its transmitter indices included); merge checks
            that the parts belong to one study (same study, grid, input checksums, every shard once) and writes exactly
            the rasters a single run writes (best signal = maximum, best server = its transmitter, lowest index on ties,
            server count = sum, per-service maximum), then the polygons, villages, map and record.

            Example, 4 shards on one machine (or as a Kubernetes Indexed Job / Slurm array: see README.md):
              for i in 1 2 3 4; do tanso coverage --transmitters t.csv --dem dem.tif --model itm --shard $i/4 --output parts/$i; done
              tanso merge --parts parts/1,parts/2,parts/3,parts/4 --output coverage
            """)

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "merge", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        let enc = try TansoCLI.encoding(a)
        let parts = a.string("parts")!.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else {
            throw UsageError(
                message: "--parts needs the output folders of the shards, separated by commas (got '\(InputText.echo(a.string("parts")!))')", command: "merge")
        }
        let output = try OutputOptions.value(a)
        for p in parts where OutputOptions.realPath(p) == OutputOptions.realPath(output) {
            throw InputError("--output \(output) is the part \(p): merging into it would destroy the part; choose another --output")
        }
        let firstRecordPath = URL(fileURLWithPath: parts[0]).appendingPathComponent("study.json").path
        guard FileManager.default.fileExists(atPath: firstRecordPath) else {
            throw InputError("\(parts[0]): no study.json: not the output of tanso coverage --shard")
        }
        let first = try RunRecord.read(firstRecordPath)
        func recorded(_ role: String) -> RunRecord.Input? { first.inputs.first { $0.role == role } }
        guard let txPath = a.string("transmitters") ?? recorded("transmitters")?.path else {
            throw InputError("\(firstRecordPath) records no transmitters file: give --transmitters")
        }
        if a.string("transmitters") == nil, let sum = recorded("transmitters")?.sha256, let now = try? SHA256.hex(ofFile: txPath), now != sum {
            throw InputError("\(txPath) changed since the shards ran (SHA-256 differs): merge needs the same transmitters")
        }
        var report = LoadReport()
        let transmitters = try TransmitterLoader.load(txPath, encoding: enc, report: &report)
        var villages: [Village] = []
        if let v = a.string("villages") ?? recorded("villages")?.path {
            villages = try VillageLoader.load(v, encoding: enc, report: &report)
        }
        let villagesPath = a.string("villages") ?? recorded("villages")?.path
        let tx = try OutputOptions.open(
            output, command: ["tanso", "merge"] + args, inputs: parts + [txPath, villagesPath],
            writes: ProductLayout.coverageFixed)
        let (result, record) = try PartialResult.merge(parts, transmitters: transmitters)
        var merged = record
        merged.command = ["tanso", "merge"] + args
        let text = try CoverageCommand.writeProducts(result, villages: villages, record: merged, output: tx, title: a.string("title")!)
        print("Merged \(parts.count) shards.\n" + text)
        return 0
    }
}

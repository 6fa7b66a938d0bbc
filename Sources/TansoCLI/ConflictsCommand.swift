// tanso conflicts: the register checks over a table of frequency assignments (or FCC ULS microwave files).
import Foundation
import Analysis
import Geo
import Propagation
import Radio
import Records
import Reports
import Terrain

enum ConflictsCommand {
    static let options: [OptionSpec] = [
        .value("assignments", "FILE", "frequency assignments: CSV with latitude/longitude, or any OGR source (columns below)"),
        RegisterInputs.dbOption(replacing: "--assignments"),
        .value("uls", "ZIP[,ZIP…]", "instead of --assignments: FCC ULS microwave daily files (l_mw_*.zip or folders of .dat), imported as fixed links"),
        .value(
            "band-plan", "FILE",
            "band plan CSV (name,services,low_mhz,high_mhz,paired,block_licensed), or 'none' [default: the Vietnam plan in data/README.md; none with --uls]"),
        .value("protection-ratios", "FILE", "protection-ratio overrides CSV (curve points and/or service parameters, see data/README.md)"),
        .value("dem", "FILE", "elevation raster: interference paths with --model over the terrain profile"),
        .value("model", "M", "with --dem: \(PathLossModelID.allCases.map(\.rawValue).joined(separator: ", "))", default: "itm"),
        .value("set", "NAME=V,...", "with --dem: model settings, as the optional columns of tanso pathloss (climate=1,time_pct=10)"),
        .value("baseline", "FILE", "conflicts.csv of an earlier run: mark each conflict new, unchanged or resolved"),
        .value("output", "DIR", "folder for conflicts.csv and conflicts.gpkg", required: true),
        .value("environment", "ENV", "Hata environment of the simple model: urban, suburban, open", default: "suburban"),
        .value("min-distance-km", "KM", "closest approach of an area victim's receivers to an interfering site", default: "1"),
        .value("max-distance-km", "KM", "pairs farther apart are not screened", default: "500"),
        .value("im-site-km", "KM", "transmitters this close (or with the same station_id) share a site for intermodulation", default: "0.1"),
        .value("im-victim-km", "KM", "receive channels this close to a site are screened for its intermodulation products", default: "10"),
        .value("im3-attenuation-db", "DB", "3rd-order intermodulation attenuation below the weakest carrier", default: "40"),
        .value("im5-attenuation-db", "DB", "5th-order intermodulation attenuation below the weakest carrier", default: "55"),
        .value("threads", "N", "worker threads [default: all cores]"),
        .value("list", "N", "conflicts printed on the terminal (all are in conflicts.csv)", default: "20"),
        .flag(
            "record",
            "with --db: record the run and its conflicts in the register (findings opened when new, closed when resolved; tanso store diff lists them)"),
        .flag("skip-invalid", "skip invalid assignment rows (each is reported) instead of stopping at the first"),
        TansoCLI.encodingOption
    ]

    static let help = helpText(
        usage: "tanso conflicts --assignments FILE [--band-plan FILE] [--dem FILE --model M] [--baseline PREVIOUS] --output DIR",
        summary:
            "Register checks: co-channel and adjacent-channel conflicts, intermodulation, duplicates and out-of-plan assignments, ranked by how badly the protection criterion is missed.",
        options: options,
        details: """
            Input, one row per transmitter channel (data/README.md, "Frequency assignments"):
              id, station_id, licensee, service       service: mobile, fixed, broadcast_fm, broadcast_tv, land_mobile, …
              tx_frequency_mhz                        centre of the transmit channel, MHz
              bandwidth_khz or emission_designator    kHz, or ITU designator (5M00G7W, 200KF8E: necessary bandwidth + class)
              latitude, longitude                     WGS 84 degrees
              antenna_height_m, eirp_dbm              m above ground, dBm at boresight
              azimuth_deg, antenna_pattern            optional; empty azimuth = omnidirectional
              rx_frequency_mhz, rx_bandwidth_khz      optional: the station's own receiver (duplex systems)
              protection_ratio_db                     optional: co-channel C/I this assignment needs as a victim
              antenna_gain_dbi, rx_latitude, rx_longitude, rx_antenna_height_m, rx_antenna_gain_dbi
                                                      optional: fixed links (far end; F.699 antenna discrimination)

            What is checked, and how:
              duplicate         same service, channels and azimuth within 100 m: the later row repeats the earlier
              out_of_plan       transmit channel outside every allocation of its service (receive channel outside the
                                duplex pair)
              co_channel,       victims: listeners at the edge of a broadcast/mobile service area (where the wanted
              adjacent_channel  level is reached, e.g. FM −70 dBm), a station's receiver, or a link's far end.
                                Interference = EIRP + antenna discrimination − path loss at the edge point nearest the
                                interferer (no closer than --min-distance-km). C/I − required = margin; negative
                                margins are conflicts. Required C/I by service and offset: FM after ITU-R BS.412,
                                others co-channel ratio − ACIR from the masks (ACLR, ACS), table in data/README.md.
              intermodulation   2f1 − f2, f1 + f2 − f3 (3rd order), 3f1 − 2f2 (5th) of co-sited transmitters falling
                                in receive channels within --im-victim-km; product level = weakest carrier − attenuation.
            Not screened: channels of one station; inside a block-licensed band (mobile bands of the plan), one
            licensee's own reuse and adjacent blocks of different licensees (block-edge masks).
            Path loss: without --dem, Hata/COST-231 (max with free space + ITU-R P.526 smooth-Earth diffraction);
            fixed-to-fixed free space + diffraction. With --dem, --model over the profile from the interferer to the
            victim's test point.
            Candidates come from a frequency × spatial index, not all n²/2 pairs; the figures are printed.

            Products in DIR: conflicts.csv (kind, a_id (victim), b_id (interferer / repeat / first carrier), c_id (other
            carriers), frequency_offset_khz, overlap_khz, distance_km, interference_dbm, c_over_i_db, required_db,
            margin_db, severity, explanation; + status with --baseline), sorted by severity (critical < −20 dB,
            high < −10, medium < −3, low) then margin; conflicts.gpkg: layer conflicts (lines interferer → victim) and
            out_of_plan (points). Both are written atomically; a failed run leaves neither.

            Examples:
              tanso conflicts --assignments data/assignments.csv --output out/conflicts
              tanso conflicts --assignments register.gpkg --dem srtm.vrt --model itm --baseline out/conflicts/conflicts.csv --output out/conflicts2
              tanso conflicts --uls l_mw_fri.zip,l_mw_sat.zip --output out/uls
              tanso conflicts --db out/register.gpkg --output out/conflicts-register
            """)

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "conflicts", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        let enc = try TansoCLI.encoding(a)
        var settings = ConflictSettings()
        let assignments: [Assignment]
        if let uls = a.string("uls") {
            guard a.string("assignments") == nil else { throw UsageError(message: "give --assignments or --uls, not both", command: "conflicts") }
            let (list, report) = try ULSImport.load(uls.split(separator: ",").map(String.init))
            print(report.summary)
            for e in report.malformed.prefix(10) { print("  malformed: \(e)") }
            if report.malformed.count > 10 { print("  … \(report.malformed.count - 10) more malformed rows") }
            assignments = list
            settings.bandPlan = nil
        } else {
            let stage = TansoCLI.stage("reading assignments")
            assignments = try RegisterInputs(a, encoding: enc).assignments()!
            stage?("\(assignments.count) assignments")
        }
        if let plan = a.string("band-plan") {
            settings.bandPlan = plan.lowercased() == "none" ? nil : try AssignmentTables.loadBandPlan(plan)
        }
        if let pr = a.string("protection-ratios") { settings.protection = try AssignmentTables.loadProtectionRatios(pr) }
        guard let env = Hata.Environment(rawValue: a.string("environment")!) else {
            throw UsageError(message: "--environment expects urban, suburban or open", command: "conflicts")
        }
        settings.environment = env
        settings.minDistanceKm = try a.double("min-distance-km", in: 0...100)!
        settings.maxDistanceKm = try a.double("max-distance-km", in: 1...5000)!
        settings.imSiteKm = try a.double("im-site-km", in: 0...50)!
        settings.imVictimKm = try a.double("im-victim-km", in: 0...500)!
        settings.im3AttenuationDB = try a.double("im3-attenuation-db", in: 0...200)!
        settings.im5AttenuationDB = try a.double("im5-attenuation-db", in: 0...200)!
        if let t = try a.double("threads", in: 1...1024) { settings.threads = Int(t) }
        var terrain: TerrainPaths? = nil
        if let demPath = a.string("dem") {
            guard let id = PathLossModelID(rawValue: a.string("model")!.lowercased()) else {
                throw UsageError(
                    message: "unknown model '\(a.string("model")!)'; expected one of \(PathLossModelID.allCases.map(\.rawValue).joined(separator: ", "))",
                    command: "conflicts")
            }
            let set = try a.modelSettings(model: id) ?? [:]
            terrain = TerrainPaths(dem: try ElevationModel.open(path: demPath), model: try ProfileModel(id, settings: set))
        } else if a.given.contains("set") {
            throw UsageError(message: "--set needs --dem (the model settings apply to the terrain model)", command: "conflicts")
        } else if a.given.contains("model") {
            throw UsageError(message: "--model needs --dem (without a DEM the simple model is used)", command: "conflicts")
        }
        let store = try StoreCommand.open(a)
        if a.flag("record") && store == nil { throw UsageError(message: "--record needs --db (the register to record the run in)", command: "conflicts") }
        let command = StoreCommand.redacted(["tanso", "conflicts"] + args)
        let inputs: [(role: String, path: String?)] =
            [
                ("assignments", a.string("assignments")), ("store", StoreCommand.recordedPath(a)), ("band plan", a.string("band-plan")),
                ("protection ratios", a.string("protection-ratios")), ("dem", a.string("dem")),
                ("baseline", a.string("baseline"))
            ]
            + (a.string("uls")?.split(separator: ",").map { ("uls", String($0)) } ?? [])
        let record: (([Conflict]) throws -> String)? =
            a.flag("record") ? { try StoreCommand.record($0, assignments: assignments, in: store!, command: command, inputs: inputs) } : nil
        let text = try execute(
            assignments, settings: settings, terrain: terrain, baseline: a.string("baseline"),
            output: try OutputOptions.value(a), list: Int(try a.double("list", in: 0...1_000_000)!),
            command: command, record: record, inputs: inputs, keepUntilExit: true)
        print(text, terminator: "")
        ProcessLifetime.keep(assignments)
        return 0
    }

    /// Runs the checks, writes the products and returns the printed summary. Shared with `tanso demo`.
    static func execute(
        _ assignments: [Assignment], settings: ConflictSettings, terrain: TerrainPaths? = nil,
        baseline: String? = nil, output: String, list: Int = 20, command: [String] = [],
        record: (([Conflict]) throws -> String)? = nil, inputs: [(role: String, path: String?)] = [],
        keepUntilExit: Bool = false
    ) throws -> String {
        // A baseline from a tanso output folder is read only when that folder is complete and unchanged.
        if let baseline { try ProductFolder.verifyIfRecorded(file: baseline) }
        let tx = try OutputOptions.open(output, command: command, inputs: inputs.map(\.path), writes: ProductLayout.conflictsFixed)
        let screening = ConflictScreening(settings: settings, terrain: terrain)
        var stage = TansoCLI.stage("screening pairs")
        var (conflicts, stats) = screening.run(assignments)
        stage?("\(conflicts.count) conflicts; " + stats.phaseSeconds.map { "\($0.phase) \(CSV.fixed($0.seconds, decimals: 2)) s" }.joined(separator: ", "))
        if let baseline {
            conflicts = try ConflictReport.compare(conflicts, baselineCSV: baseline)
            var positions: [String: (lon: Double, lat: Double)] = [:]
            for x in assignments { positions[x.id] = (x.longitude, x.latitude) }
            conflicts = ConflictReport.locate(conflicts, positions: positions)
        }
        stage = TansoCLI.stage("writing conflicts.csv and conflicts.gpkg")
        // The inputs' digests for study.json are taken on another thread while the products are written.
        let recorded = OutputOptions.recordInputs(inputs.filter { $0.role != "baseline" })
        try ConflictProducts.write(conflicts, into: tx)
        try OutputOptions.commit(tx, kind: "conflicts", command: command, recorded: try recorded.value())
        stage?("done")
        let paths = (csv: (output as NSString).appendingPathComponent("conflicts.csv"), gpkg: (output as NSString).appendingPathComponent("conflicts.gpkg"))
        var s = "\(assignments.count) assignments, \(stats.victimChannels) receive channels; \(stats.pairsExamined) candidate pairs examined"
        s += String(
            format: " (%.4f %% of n²/2 = %.0f), %d evaluated", stats.allPairs > 0 ? 100 * Double(stats.pairsExamined) / stats.allPairs : 0, stats.allPairs,
            stats.pairsEvaluated)
        s +=
            "; \(stats.intermodulationSites) shared sites, \(stats.intermodulationProducts) intermodulation products; \(String(format: "%.2f", stats.seconds)) s\n"
        if stats.intermodulationSitesTruncated > 0 {
            s +=
                "warning: \(stats.intermodulationSitesTruncated) sites have more than \(settings.imMaxCarriersForTriples) distinct carriers: screened for 2f1 − f2 and 3f1 − 2f2 only\n"
        }
        if stats.terrainFallbacks > 0 { s += "warning: \(stats.terrainFallbacks) paths outside the DEM used the simple model\n" }
        // Counted in place: hundreds of thousands of conflicts are not copied to be counted.
        var perKind: [ConflictKind: Int] = [:], active = 0
        conflicts.withUnsafeBufferPointer { p in
            for k in p.indices where p[k].status != "resolved" { perKind[p[k].kind, default: 0] += 1; active += 1 }
        }
        let byKind = ConflictKind.allCases.compactMap { k in perKind[k].map { "\($0) \(k.rawValue)" } }
        s += "\(active) conflicts" + (byKind.isEmpty ? "" : ": " + byKind.joined(separator: ", "))
        if baseline != nil {
            let counts = ["new", "unchanged", "resolved"].map { st in "\(conflicts.count { $0.status == st }) \(st)" }
            s += " (baseline: " + counts.joined(separator: ", ") + ")"
        }
        s += "\n"
        let shown = Array(conflicts.prefix(list))
        let idText = shown.map { c in [c.aID, c.bID, c.cID].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " / ") }
        let width = (idText.map(\.count).max() ?? 0) + 2
        for (c, ids) in zip(shown, idText) {
            s +=
                "  " + c.severity.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                + c.kind.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)
                + ids.padding(toLength: width, withPad: " ", startingAt: 0)
                + (c.marginDB.map { String(format: "margin %6.1f dB", $0) } ?? "")
                + (c.status.map { "  [\($0)]" } ?? "") + "\n"
        }
        if conflicts.count > list { s += "  … \(conflicts.count - list) more in conflicts.csv\n" }
        s += "wrote \(paths.csv)\nwrote \(paths.gpkg)\n"
        if let record { s += try record(conflicts.filter { $0.status != "resolved" }) }
        if keepUntilExit { ProcessLifetime.keep(conflicts) }
        return s
    }
}

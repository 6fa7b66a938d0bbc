// tanso interference: from a victim's complaint to the likely culprit in the register.
import Analysis
import Foundation
import Geo
import Propagation
import Radio
import Records
import Reports
import Terrain

enum InterferenceCommand {
    static let options: [OptionSpec] = [
        .value("victim", "LAT,LON", "the complainant's receiver, WGS 84 degrees", required: true),
        .value("frequency-mhz", "F", "centre of the victim's channel, MHz", required: true),
        .value("bandwidth-khz", "B", "the victim's channel bandwidth, kHz", required: true),
        .value("assignments", "FILE", "the register: frequency assignments (CSV with latitude/longitude, or any OGR source)"),
        RegisterInputs.dbOption(replacing: "--assignments"),
        .value("output", "DIR", "folder for candidates.csv, interference.gpkg and report.html", required: true),
        .value("rx-height-m", "M", "receive antenna height above ground", default: "10"),
        .value("rx-gain-dbi", "DBI", "receive antenna gain", default: "0"),
        .value("rx-azimuth-deg", "DEG", "receive antenna azimuth (3GPP 65° sector pattern) [default: omnidirectional]"),
        .value(
            "service", "S",
            "the victim's service: selectivity, protection curve and blocking level (mobile, land_mobile, fixed, broadcast_fm, broadcast_tv, other)",
            default: "other"),
        .value("noise-figure-db", "DB", "receiver noise figure: N = kTB + NF", default: "7"),
        .value("time-pct", "P", "percentage of time of the interference path loss (itm, p1812, p1546, p452)", default: "1"),
        .value("dem", "FILE", "elevation raster: paths with --model over the terrain profile [default: the simple model]"),
        .value("model", "M", "with --dem: \(PathLossModelID.allCases.map(\.rawValue).joined(separator: ", "))", default: "itm"),
        .value("set", "NAME=V,...", "with --dem: further model settings, as the optional columns of tanso pathloss"),
        .value("victim-station", "ID[,ID…]", "the victim's own station_id(s): their transmitters are left out (duplexer and the licensee's own design)"),
        .value("top", "N", "candidates ranked (the exact top N)", default: "20"),
        .value("criterion-db", "DB", "protection criterion I/N: the margin is criterion − I/N", default: "-6"),
        .value(
            "mechanisms", "LIST",
            "mechanisms searched, comma-separated [default: all: \(InterferenceMechanism.allCases.map(\.rawValue).joined(separator: ","))]"),
        .value("blocking", "FILE", "receiver blocking levels CSV (service,front_end_mhz,blocking_dbm) replacing the defaults of data/README.md"),
        .value("protection-ratios", "FILE", "protection-ratio overrides CSV (as tanso conflicts)"),
        .value("environment", "ENV", "Hata environment of the simple model: urban, suburban, open", default: "suburban"),
        .value("im-site-km", "KM", "transmitters this close (or with the same station_id) share a site for intermodulation", default: "0.1"),
        .value("im3-attenuation-db", "DB", "3rd-order intermodulation attenuation below the weakest carrier", default: "40"),
        .value("im5-attenuation-db", "DB", "5th-order intermodulation attenuation below the weakest carrier", default: "55"),
        .value("title", "TEXT", "title of the report", default: "Interference complaint"),
        .value("threads", "N", "worker threads [default: all cores]"),
        .flag("skip-invalid", "skip invalid assignment rows (each is reported) instead of stopping at the first"),
        TansoCLI.encodingOption
    ]

    static let help = helpText(
        usage: "tanso interference --victim LAT,LON --frequency-mhz F --bandwidth-khz B (--assignments FILE | --db DB) [--dem FILE --model M] --output DIR",
        summary:
            "Rank the register's stations by how likely they cause a complaint: co-/adjacent-channel, intermodulation, harmonics, spurious emissions, blocking.",
        options: options,
        details: """
            Every emission of the register that can put energy into the victim's channel is a candidate:
              co_channel, adjacent_channel  the transmitter's channel, less the part outside the victim's channel or the
                                            ACIR of its mask and the victim's selectivity (as tanso conflicts)
              intermodulation               2f1 − f2, f1 + f2 − f3 (3rd order), 3f1 − 2f2 (5th) of transmitters on one
                                            site (same station_id or within --im-site-km), at the weakest carrier less
                                            --im3/--im5-attenuation-db, radiated from the site without antenna gain
              harmonic, spurious            at the ITU-R SM.329 Category A limit of the transmitter (table in
                                            data/README.md): a harmonic n·f in the channel, else one reference bandwidth
                                            of spurious emission
              blocking                      a strong signal beyond the adjacent channels within the receiver's front end,
                                            against the service's blocking level (--blocking replaces the table)
            Interference I = level + transmit antenna discrimination − path loss + receive gain − rejection; ranked by
            I/N with N = kTB + NF (blocking: the blocker's power less the blocking level, the equivalent I/N). Path loss:
            the simple model (Hata, never below free space + smooth-Earth diffraction) or --model over --dem at
            --time-pct; never below free space − 6 dB, which makes the ranking exact (an upper bound excludes the rest).

            Products in DIR: candidates.csv (rank, mechanism, assignment_ids (';'-separated), frequencies_mhz,
            interference_dbm, i_over_n_db, explanation), interference.gpkg (layers victim, candidates, paths),
            report.html (map and ranked table with each candidate's chain), study.json.

            Examples:
              tanso interference --victim 10.975,106.925 --frequency-mhz 159.7 --bandwidth-khz 12.5 --service land_mobile \\
                --rx-height-m 25 --victim-station ST-DISPATCH --assignments data/assignments.csv --output out/complaint-115
              tanso interference --victim 10.95,107.2 --frequency-mhz 98.5 --bandwidth-khz 200 --service broadcast_fm \\
                --assignments register.gpkg --dem srtm.vrt --model itm --output out/complaint-fm
            """)

    /// The complaint from the options.
    static func complaint(_ a: ParsedArguments) throws -> Complaint {
        let v = try a.doubles("victim", count: 2, meaning: "LAT,LON in WGS 84 degrees (e.g. 10.975,106.925)")!
        guard (-90...90).contains(v[0]), (-180...180).contains(v[1]) else {
            throw UsageError(
                message: "--victim \(a.string("victim")!): latitude must be in [-90, 90] and longitude in [-180, 180] (LAT,LON)", command: a.command)
        }
        var c = Complaint(
            latitude: v[0], longitude: v[1], frequencyMHz: try a.double("frequency-mhz", in: 0.009...300_000)!,
            bandwidthKHz: try a.double("bandwidth-khz", in: 0.001...10_000_000)!)
        c.rxHeightM = try a.double("rx-height-m", in: 0.5...1000)!
        c.rxGainDBi = try a.double("rx-gain-dbi", in: -20...70)!
        c.rxAzimuthDeg = try a.double("rx-azimuth-deg", in: 0...360)
        c.noiseFigureDB = try a.double("noise-figure-db", in: 0...40)!
        c.timePct = try a.double("time-pct", in: 0.001...50)!
        let service = a.string("service")!.lowercased()
        guard !service.isEmpty, service.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw UsageError(
                message: "--service expects a service name of letters, digits and '_' (mobile, land_mobile, fixed, broadcast_fm, broadcast_tv, other)",
                command: a.command)
        }
        c.service = service
        return c
    }

    static func settings(_ a: ParsedArguments) throws -> InterferenceSettings {
        var s = InterferenceSettings()
        s.top = Int(try a.double("top", in: 1...10_000)!)
        s.criterionIOverNDB = try a.double("criterion-db", in: -100...100)!
        if let ids = a.string("victim-station") {
            s.excludedStations = Set(ids.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        if let list = a.string("mechanisms") {
            var set = Set<InterferenceMechanism>()
            for name in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
                guard let m = InterferenceMechanism(rawValue: name) else {
                    throw UsageError(
                        message:
                            "--mechanisms: unknown mechanism '\(InputText.echo(name))'; the mechanisms are: \(InterferenceMechanism.allCases.map(\.rawValue).joined(separator: ", "))",
                        command: a.command)
                }
                set.insert(m)
            }
            guard !set.isEmpty else { throw UsageError(message: "--mechanisms is empty", command: a.command) }
            s.mechanisms = set
        }
        if let path = a.string("blocking") {
            var table = BlockingTable.defaults
            for r in try AssignmentTables.loadBlockingLevels(path) { table.entries[r.service] = .init(frontEndMHz: r.frontEndMHz, blockingDBm: r.blockingDBm) }
            s.blocking = table
        }
        if let pr = a.string("protection-ratios") { s.protection = try AssignmentTables.loadProtectionRatios(pr) }
        guard let env = Hata.Environment(rawValue: a.string("environment")!) else {
            throw UsageError(message: "--environment expects urban, suburban or open", command: a.command)
        }
        s.environment = env
        s.imSiteKm = try a.double("im-site-km", in: 0...50)!
        s.im3AttenuationDB = try a.double("im3-attenuation-db", in: 0...200)!
        s.im5AttenuationDB = try a.double("im5-attenuation-db", in: 0...200)!
        if let t = try a.double("threads", in: 1...1024) { s.threads = Int(t) }
        return s
    }

    /// The terrain paths of --dem and --model, the complaint's time percentage given to the models that take one.
    static func terrain(_ a: ParsedArguments, timePct: Double) throws -> TerrainPaths? {
        guard let demPath = a.string("dem") else {
            if a.given.contains("set") { throw UsageError(message: "--set needs --dem (the model settings apply to the terrain model)", command: a.command) }
            if a.given.contains("model") { throw UsageError(message: "--model needs --dem (without a DEM the simple model is used)", command: a.command) }
            return nil
        }
        guard let id = PathLossModelID(rawValue: a.string("model")!.lowercased()) else {
            throw UsageError(
                message:
                    "unknown model '\(InputText.echo(a.string("model")!))'; expected one of \(PathLossModelID.allCases.map(\.rawValue).joined(separator: ", "))",
                command: a.command)
        }
        var set = try a.modelSettings(model: nil) ?? [:]
        if [.itm, .p1812, .p1546, .p452].contains(id) && set["time_pct"] == nil { set["time_pct"] = String(timePct) }
        try a.validateModelSettings(set, model: id)
        return TerrainPaths(dem: try ElevationModel(path: demPath), model: try ProfileModel(id, settings: set))
    }

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "interference", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        let complaint = try complaint(a)
        let settings = try settings(a)
        let output = try OutputOptions.value(a)
        let terrain = try terrain(a, timePct: complaint.timePct)
        let loadStart = Date()
        let records = try RegisterInputs(a, encoding: try TansoCLI.encoding(a))
        let assignments = try records.assignments()!
        print(String(format: "read %d assignments in %.2f s", assignments.count, Date().timeIntervalSince(loadStart)))
        let inputs: [(role: String, path: String?)] = [
            ("assignments", a.string("assignments")), ("store", records.storePath), ("dem", a.string("dem")), ("blocking", a.string("blocking")),
            ("protection ratios", a.string("protection-ratios"))
        ]
        print(
            try execute(
                complaint, assignments, settings: settings, terrain: terrain, output: output, title: a.string("title")!,
                command: records.command(args), inputs: inputs),
            terminator: "")
        return 0
    }

    /// Runs the search, writes the products and returns the printed summary. Shared with `tanso demo`.
    static func execute(
        _ complaint: Complaint, _ assignments: [Assignment], settings: InterferenceSettings, terrain: TerrainPaths?, output: String,
        title: String, command: [String], inputs: [(role: String, path: String?)]
    ) throws -> String {
        let tx = try OutputOptions.open(output, command: command, inputs: inputs.map(\.path), writes: InterferenceProducts.files)
        let (candidates, stats) = InterferenceSearch(complaint: complaint, settings: settings, terrain: terrain).run(assignments)
        let recorded = try inputs.compactMap { i in try i.path.map { try RunRecord.input(role: i.role, path: $0) } }
        try InterferenceProducts.write(
            complaint: complaint, candidates: candidates, statistics: stats, settings: settings, title: title,
            inputs: recorded.map { ($0.role, ($0.path as NSString).lastPathComponent, $0.sha256 ?? "") }, to: tx.staging)
        try OutputOptions.commit(tx, kind: "interference", command: command, inputs: inputs)
        var s =
            "\(stats.assignments) assignments: \(stats.totalEnumerated) emissions reach the \(InterferenceProducts.mhz(complaint.frequencyMHz)) MHz channel, "
        s += "\(stats.evaluated) paths computed (the rest excluded by their bound); N = \(String(format: "%.1f", complaint.noiseDBm)) dBm; "
        s += String(format: "%.2f s\n", stats.seconds)
        if stats.terrainFallbacks > 0 { s += "warning: \(stats.terrainFallbacks) paths outside the DEM used the simple model\n" }
        for (k, c) in candidates.prefix(10).enumerated() {
            s +=
                String(format: "  %2d. ", k + 1) + c.mechanism.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)
                + c.assignmentIDs.joined(separator: ";").padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: " I/N %6.1f dB\n", c.iOverNDB)
        }
        if candidates.count > 10 { s += "  … \(candidates.count - 10) more in candidates.csv\n" }
        for name in InterferenceProducts.files { s += "wrote \((output as NSString).appendingPathComponent(name))\n" }
        return s
    }
}

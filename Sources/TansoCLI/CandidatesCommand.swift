// tanso candidates: rank candidate sites (existing towers of other operators first, then a grid of new sites) by
// the uncovered population each would cover, greedily, until a target or a budget.
import Foundation
import Geo
import Radio
import Records
import Analysis
import Reports
import Terrain

enum CandidatesCommand {
    static let options: [OptionSpec] = [
        .value("coverage", "DIR", "output folder of tanso coverage (the network as it is)", required: true),
        .value("villages", "FILE", "villages (points or polygons; CSV or any OGR source)"),
        RegisterInputs.dbOption(replacing: "--villages (and --transmitters)"),
        .value(
            "transmitters", "FILE", "the transmitters of the coverage run: existing towers and carriers [default: from DIR/study.json, else DIR/coverage.gpkg]"),
        .value("technologies", "TECHS", "a village is uncovered when none of these covers it (any operator)", default: "4G,5G"),
        .value("operator", "NAME", "operator that would build: its own sites are not candidates", default: "NEW"),
        .value("technology", "TECH", "technology of the new sectors", default: "4G"),
        .value("frequency-mhz", "MHZ", "downlink frequency of the new sectors", default: "700"),
        .value("bandwidth-mhz", "MHZ", "channel bandwidth of the new sectors", default: "10"),
        .value("eirp-dbm", "DBM", "EIRP per sector at boresight", default: "60"),
        .value("antenna-height-m", "M", "antenna height above ground", default: "30"),
        .value("azimuths", "DEG,...", "sector azimuths ('omni' for one omnidirectional antenna)", default: "0,120,240"),
        .value("tilt-deg", "M,E", "mechanical and electrical down-tilt", default: "2,4"),
        .value("grid-km", "KM", "spacing of the grid of new sites (0: existing towers only)", default: "2"),
        .value("max-new-sites", "N", "thin the grid evenly to at most N new sites"),
        .value("sites", "N", "budget: at most N picks", default: "20"),
        .value("target-share", "SHARE", "stop when this share of the uncovered population is covered"),
        .value(
            "prefer-existing", "RATIO",
            "take the best existing tower when it covers ≥ RATIO × the best new site's population (1 = plain greedy, 0 = towers first)", default: "0.8"),
        .value("model", "M", "propagation model of the engine: hata (fast) or a terrain model with --dem (itm, p1546, …)", default: "hata"),
        .value("dem", "FILE", "elevation raster for terrain models and antenna angles"),
        .value("environment", "ENV", "Hata environment: urban, suburban, open", default: "suburban"),
        .value("resolution-m", "M", "grid cell of each candidate's coverage", default: "100"),
        .value("radius-km", "KM", "computation radius around each candidate", default: "10"),
        .value("threshold", "TECH=DBM,...", "outdoor thresholds in each technology's metric [default: 2G=-95,3G=-100,4G=-110,5G=-110]"),
        .value("indoor-margin-db", "DB", "building penetration margin added to every threshold", default: "0"),
        .value("cpich-share-db", "DB", "3G: CPICH share of the carrier power", default: "-10"),
        .value("nr-scs-khz", "KHZ", "5G: subcarrier spacing for N_RB [default: 30 in FR1]"),
        .value("polygon-share", "SHARE", "a polygon village is covered when this share of its area is", default: "0.5"),
        .value("output", "DIR", "folder for candidates.csv, candidate_villages.csv, candidates.gpkg", required: true),
        .flag("skip-invalid", "skip invalid rows (each is reported) instead of stopping at the first"),
        TansoCLI.encodingOption
    ]

    static let help = helpText(
        usage: "tanso candidates --coverage DIR (--villages FILE | --db DB) --output DIR [options]",
        summary: "Rank candidate sites by the uncovered population each would cover, greedily (shared towers first).",
        options: options,
        details: """
            1. Uncovered villages: those no operator covers with --technologies (the coverage folder's rasters, judged
               in each technology's metric: RSRP, SS-RSRP, … as tanso compliance does).
            2. Candidates: every existing tower (site_id of the transmitters) without --operator on it, then a grid of
               new sites every --grid-km within --radius-km of an uncovered village.
            3. Each candidate gets the configured sectors (--technology, --frequency-mhz, --eirp-dbm, --azimuths, …) and
               the coverage engine computes them on a --resolution-m grid around it (--model hata, or a terrain model
               with --dem); a village is covered when its cell reaches the technology's threshold.
            4. Greedy: each pick adds the most uncovered population and removes the villages it covers; an existing
               tower is preferred while it covers at least --prefer-existing times what the best new site would. Stops
               at --sites picks, at --target-share of the uncovered population, or when nothing is gained.

            Products: candidates.csv (rank, site, kind, hosts, position, villages, population, cumulative share),
            candidate_villages.csv (each pick's villages), candidates.gpkg (layers picks, villages).

            Example:
              tanso candidates --coverage out/cov --villages data/villages.csv --operator Viettel \\
                               --technology 4G --frequency-mhz 700 --sites 15 --output out/where-next
              tanso candidates --coverage out/cov --db out/register.gpkg --operator Viettel --output out/where-next-db
            """)

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "candidates", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        let enc = try TansoCLI.encoding(a)
        let settings = try ComplianceCommand.settingsFrom(a, command: "candidates")
        var config = SectorConfiguration()
        config.operatorName = a.string("operator")!
        guard let tech = Technology(parsing: a.string("technology")!), [.gsm, .umts, .lte, .nr].contains(tech) else {
            throw UsageError(message: "--technology must be 2G, 3G, 4G or 5G, got '\(a.string("technology")!)'", command: "candidates")
        }
        config.technology = tech
        config.frequencyMHz = try a.double("frequency-mhz", in: 30...100_000)!
        config.bandwidthMHz = try a.double("bandwidth-mhz", in: 0.1...1000)!
        config.eirpDBm = try a.double("eirp-dbm", in: 0...100)!
        config.antennaHeightM = try a.double("antenna-height-m", in: 1...300)!
        let az = a.string("azimuths")!
        if az.lowercased() == "omni" {
            config.azimuthsDeg = []
        } else {
            config.azimuthsDeg = try az.split(separator: ",").map {
                guard let d = DecimalNumber.parse($0.trimmingCharacters(in: .whitespaces)), (0...360).contains(d) else {
                    throw UsageError(message: "--azimuths expects degrees in [0, 360] separated by commas, or 'omni', got '\(az)'", command: "candidates")
                }
                return d
            }
        }
        let tilts = try a.doubles("tilt-deg", count: 2, meaning: "mechanical,electrical tilt in degrees")!
        config.mechanicalTiltDeg = tilts[0]; config.electricalTiltDeg = tilts[1]
        do { _ = try settings.thresholds.totalPowerThreshold(for: tech, bandwidthMHz: config.bandwidthMHz, frequencyMHz: config.frequencyMHz) } catch {
            throw UsageError(message: "--bandwidth-mhz: \(error)", command: "candidates")
        }
        var techs: Set<Technology> = []
        for part in a.string("technologies")!.split(separator: ",") {
            guard let t = Technology(parsing: String(part)) else {
                throw UsageError(message: "--technologies expects e.g. 4G,5G, got '\(part)'", command: "candidates")
            }
            techs.insert(t)
        }
        let maxSites = Int(try a.double("sites", in: 1...100_000)!)
        let gridKm = try a.double("grid-km", in: 0...100)!
        let radiusKm = try a.double("radius-km", in: 1...100)!
        let preferExisting = try a.double("prefer-existing", in: 0...10)!
        let targetShare = try a.double("target-share", in: 0...1)
        let maxNew = try a.double("max-new-sites", in: 0...1_000_000).map { Int($0) }

        let records = try RegisterInputs(a, encoding: enc)
        let villages = try records.villages()!
        let (layers, transmittersSource) = try ComplianceCommand.loadLayers(a.string("coverage")!, records: records)
        let dem = try a.string("dem").map { try ElevationModel.open(path: $0) }
        let model = a.string("model")!
        guard model == "hata" || PathLossModelID(rawValue: model) != nil else {
            throw UsageError(
                message: "--model must be hata or one of \(PathLossModelID.allCases.map(\.rawValue).joined(separator: ", ")), got '\(model)'",
                command: "candidates")
        }
        let env = a.string("environment")!
        guard ["urban", "suburban", "open"].contains(env) else {
            throw UsageError(message: "--environment must be urban, suburban or open, got '\(env)'", command: "candidates")
        }

        let output = try OutputOptions.value(a)
        let tx = try OutputOptions.open(
            output, command: records.command(args),
            inputs: [a.string("coverage"), a.string("villages"), records.storePath, transmittersSource, a.string("dem")],
            writes: ProductLayout.candidatesFixed)
        let start = Date()
        let status = try VillageCompliance.evaluate(villages, layers: layers, settings: settings)
        let uncoveredIdx = status.indices.filter { !status[$0].covered(by: techs, keys: layers.keys) }
        let uncovered = uncoveredIdx.map { villages[$0] }
        let uncoveredPop = uncovered.reduce(0) { $0 + $1.population }
        FileHandle.standardError.write(
            Data(
                "candidates: \(uncovered.count) of \(villages.count) villages uncovered by \(techs.sorted().map(\.rawValue).joined(separator: "/")) (population \(uncoveredPop))\n"
                    .utf8))
        let gridPoints = CandidatePlanner.gridPointCount(villages: uncovered, gridKm: gridKm)
        guard gridPoints <= Double(WorkLimits.maxCandidateGridPoints) else {
            throw InputError(
                String(
                    format:
                        "--grid-km %g over the uncovered villages' extent makes a grid of %.3g points, more than the %d allowed; use a larger --grid-km (or raise TANSO_MAX_CANDIDATE_GRID)",
                    gridKm, gridPoints, WorkLimits.maxCandidateGridPoints))
        }
        let candidates = CandidatePlanner.candidates(
            transmitters: layers.transmitters, excludingOperator: config.operatorName,
            villages: uncovered, gridKm: gridKm, radiusKm: radiusKm, maxNew: maxNew)
        let existing = candidates.filter { $0.kind == .existing }.count
        FileHandle.standardError.write(Data("candidates: \(existing) existing towers, \(candidates.count - existing) new grid sites\n".utf8))
        var study = CoverageStudy(west: 0, south: 0, east: 1, north: 1)
        study.model = model
        study.environment = env
        study.resolutionM = try a.double("resolution-m", in: 10...1000)!
        study.maxRadiusKm = radiusKm
        study.floorDBm = -140
        let covers = try CandidatePlanner.coverage(
            of: candidates, villages: uncovered, configuration: config, study: study, dem: dem,
            thresholds: settings.thresholds, progress: TansoCLI.progressHandler("candidates"))
        let picks = CandidatePlanner.greedy(
            candidates: candidates, covers: covers, populations: uncovered.map(\.population),
            maxSites: maxSites, targetPopulation: targetShare.map { Int(ceil($0 * Double(uncoveredPop))) },
            preferExisting: preferExisting)
        try writeProducts(picks, uncovered: uncovered, uncoveredPopulation: uncoveredPop, to: tx.staging)
        try OutputOptions.commit(
            tx, kind: "candidates", command: records.command(args),
            inputs: [
                ("villages", a.string("villages")), ("store", records.storePath), ("transmitters", transmittersSource), ("dem", a.string("dem"))
            ])
        let seconds = Date().timeIntervalSince(start)
        var s =
            "Candidates: \(candidates.count) (\(existing) existing towers), \(picks.count) picked in \(String(format: "%.1f", seconds)) s; uncovered population \(uncoveredPop)\n"
        for p in picks {
            s +=
                "  \(p.rank). \(p.site.id) (\(p.site.kind.rawValue)\(p.site.hosts.isEmpty ? "" : ", on " + p.site.hosts.joined(separator: "/"))): \(p.villages.count) villages, population \(p.population), cumulative \(p.cumulativePopulation)"
            s += uncoveredPop > 0 ? String(format: " (%.1f %%)\n", 100 * Double(p.cumulativePopulation) / Double(uncoveredPop)) : "\n"
        }
        print(s, terminator: "")
        return 0
    }

    static func writeProducts(_ picks: [CandidatePick], uncovered: [Village], uncoveredPopulation: Int, to dir: String) throws {
        let url = URL(fileURLWithPath: dir)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let rows = picks.map { p in
            [
                String(p.rank), p.site.id, p.site.kind.rawValue, p.site.hosts.joined(separator: "/"), String(format: "%.6f", p.site.latitude),
                String(format: "%.6f", p.site.longitude), String(p.villages.count), String(p.population), String(p.cumulativePopulation),
                uncoveredPopulation > 0 ? String(format: "%.4f", Double(p.cumulativePopulation) / Double(uncoveredPopulation)) : ""
            ]
        }
        try CSV.write(
            header: [
                "rank", "site_id", "kind", "hosts", "latitude", "longitude", "villages", "population",
                "cumulative_population", "cumulative_share"
            ], rows: rows, to: url.appendingPathComponent("candidates.csv").path)
        var vrows: [[String]] = []
        for p in picks {
            for i in p.villages { let v = uncovered[i]; vrows.append([String(p.rank), p.site.id, v.id, v.name, v.commune, v.district, String(v.population)]) }
        }
        try CSV.write(
            header: ["rank", "site_id", "village_id", "name", "commune", "district", "population"], rows: vrows,
            to: url.appendingPathComponent("candidate_villages.csv").path)
        var pl = LayerData(
            name: "picks",
            fields: [
                ("rank", .integer), ("site_id", .string), ("kind", .string), ("hosts", .string),
                ("villages", .integer), ("population", .integer), ("cumulative_population", .integer)
            ],
            geometryType: .point)
        for p in picks {
            pl.append(
                .point(Coordinate(p.site.longitude, p.site.latitude)),
                [
                    .integer(p.rank), .string(p.site.id), .string(p.site.kind.rawValue), .string(p.site.hosts.joined(separator: "/")),
                    .integer(p.villages.count), .integer(p.population), .integer(p.cumulativePopulation)
                ])
        }
        var vl = LayerData(
            name: "villages",
            fields: [
                ("rank", .integer), ("site_id", .string), ("village_id", .string), ("name", .string),
                ("population", .integer)
            ], geometryType: .lineString)
        for p in picks {
            for i in p.villages {
                let v = uncovered[i]
                vl.append(
                    .lineString([Coordinate(p.site.longitude, p.site.latitude), Coordinate(v.longitude, v.latitude)]),
                    [.integer(p.rank), .string(p.site.id), .string(v.id), .string(v.name), .integer(v.population)])
            }
        }
        try VectorWriter.write([pl, vl], to: url.appendingPathComponent("candidates.gpkg").path)
    }
}

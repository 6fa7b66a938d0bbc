// tanso share-check: the checks of a tower-sharing proposal (new tower or co-location) against the network, the
// register and the exposure limits, with a verdict; HTML report and JSON result.
import Foundation
import Geo
import Radio
import Records
import Analysis
import Reports
import Terrain
import Propagation

enum ShareCheckCommand {
    static let options: [OptionSpec] = [
        .value(
            "proposal", "FILE|ID", "the proposal (JSON, schema below); with --db also the id of a proposal in the register (tanso store import --proposals)",
            required: true),
        .value("transmitters", "FILE", "existing transmitters (the data contract; site_id identifies towers)"),
        .value("assignments", "FILE", "the frequency register (assignments, as tanso conflicts)"),
        .value("villages", "FILE", "villages with population (points or polygons; CSV or any OGR source)"),
        RegisterInputs.dbOption(replacing: "the three files above (and with --proposal ID, the proposal)"),
        .value("output", "DIR", "folder for report.html, result.json and map.png", required: true),
        .value("dem", "FILE", "elevation raster: terrain models, antenna angles and the map's hillshade"),
        .value(
            "model", "M",
            "propagation model of the coverage engine: hata (fast) or a terrain model with --dem (itm, p1546, …); with --dem also the register checks' model",
            default: "hata"),
        .value("environment", "ENV", "Hata environment: urban, suburban, open", default: "suburban"),
        .value("resolution-m", "M", "coverage grid cell", default: "100"),
        .value("radius-km", "KM", "coverage is compared over a box of ± this around the tower", default: "10"),
        .value("max-radius-km", "KM", "computation radius around each transmitter", default: "20"),
        .value("sharing-radius-m", "M", "existing towers within this distance of a new tower are examined as hosts", default: "500"),
        .value("tower-headroom-m", "M", "usable height of an existing tower above its highest antenna", default: "3"),
        .value("host-height-share", "SHARE", "a tower can host when its usable height ≥ SHARE × the highest proposed antenna", default: "0.9"),
        .value("min-new-area-km2", "KM2", "coverage check fails below this new area for the operator (and no village gained)", default: "0.1"),
        .value("overlap-review", "SHARE", "review when this share of the proposal's coverage duplicates the operator's own", default: "0.8"),
        .value("threshold", "TECH=DBM,...", "outdoor thresholds in each technology's metric [default: 2G=-95,3G=-100,4G=-110,5G=-110]"),
        .value("indoor-margin-db", "DB", "building penetration margin added to every threshold", default: "0"),
        .value(
            "exposure-limits", "FILE", "national exposure limits (CSV low_mhz,high_mhz,limit_w_m2[,limit_w_m2_per_mhz]) [default: ICNIRP 2020 general public]"),
        .value("band-plan", "FILE", "band plan CSV as tanso conflicts, or 'none' [default: the built-in Vietnam plan]"),
        .value("protection-ratios", "FILE", "protection ratios CSV as tanso conflicts"),
        .value(
            "antenna-dir", "DIR",
            "folder of the pattern files named in antenna_pattern (transmitters file and proposal); names resolve only inside it, after following links [default: the transmitters file's folder]"
        ),
        .flag("skip-invalid", "skip invalid rows of the input files (each is reported) instead of stopping"),
        TansoCLI.encodingOption
    ]

    static let help = helpText(
        usage: "tanso share-check --proposal FILE.json (--transmitters FILE --assignments FILE --villages FILE | --db DB) --output DIR [options]",
        summary:
            "Check a tower-sharing proposal (a new tower or a co-location): what it adds, what it breaks, whether an existing tower should be shared instead.",
        options: options,
        details: """
            The proposal (JSON; fields in snake_case; example files in data/proposals/):
              {
                "id": "P-001",                       optional (default: the file name)
                "operator": "MobiFone",              required
                "kind": "co_location",               "co_location" or "new_tower"
                "host_site_id": "VT-S012",           co_location: a site_id of --transmitters
                "site_id": "MF-N001",                new_tower: its id (default "<id>-SITE")
                "latitude": 10.95, "longitude": 107.1,   new_tower: position (WGS 84)
                "tower_height_m": 40,                new_tower: height of the structure
                "building_height_m": 12,             optional: nearest building's roof (exposure check)
                "building_distance_m": 25,           optional: its distance from the tower (default 0)
                "transmitters": [{                   at least one; the columns of the transmitters file:
                  "id": "MF-P001-4G-1", "technology": "4G", "antenna_height_m": 30,
                  "frequency_mhz": 763, "bandwidth_mhz": 10, "eirp_dbm": 60,
                    (or "tx_power_dbm" + "antenna_gain_dbi" [+ "losses_db"]),
                  "azimuth_deg": 0 (omit: omni), "mechanical_tilt_deg": 2, "electrical_tilt_deg": 4,
                  "assignment": {                    optional; derived when omitted (id A-<transmitter id>,
                    "id", "service", "tx_frequency_mhz", "bandwidth_khz",     service mobile for 2G-5G,
                    "rx_frequency_mhz", "rx_bandwidth_khz",                   receive channel = the FDD
                    "emission_designator" } }]                                 pair of the band plan)
              }

            The checks (each with its figures and an outcome PASS / REVIEW / FAIL):
              1. sharing: co_location — the antennas fit under the host (its highest antenna + --tower-headroom-m);
                 new_tower — they fit under tower_height_m, and existing towers within --sharing-radius-m tall
                 enough to host them are listed: one that could is flagged REVIEW (share it or justify).
              2. coverage: the coverage engine before and after over ±--radius-km, in each technology's metric:
                 villages and population newly covered per technology (by no operator before / not by this
                 operator before), new area, overlap with the operator's own and other operators' coverage.
                 FAIL when it adds < --min-new-area-km2 and no village for the operator; REVIEW when ≥
                 --overlap-review of it duplicates the operator's own coverage, or a new tower covers nothing new.
              3. interference: the register checks of tanso conflicts on the register + the proposal's assignments,
                 pairs involving the proposal: FAIL out of the band plan or critical/high, REVIEW medium/low.
              4. intermodulation: products (2f1−f2, f1+f2−f3, 3f1−2f2) of all carriers on the tower that involve a
                 proposed carrier, against the tower's uplinks (FDD pairs) and receivers nearby.
              5. RF exposure: S = EIRP·G/(4πr²) summed as exposure ratios over frequencies for all transmitters of
                 the tower, against ICNIRP 2020 general-public levels (2 W/m² for 2–400 MHz, f/200 for 400–2000 MHz,
                 10 W/m² above 2 GHz) or --exposure-limits: compliance distance; FAIL when the exclusion zone reaches
                 2 m above ground, REVIEW when it reaches the building roof (+2 m).
              6. verdict: the worst outcome, with the reasons.

            Exit codes: 0 the check ran (whatever the verdict; it is printed and in result.json), 1 bad input (a
            malformed proposal names the line and column, a bad field its name), 2 usage error.

            Example:
              tanso share-check --proposal data/proposals/co_location_pass.json --transmitters data/transmitters.csv \\
                                --assignments data/assignments.csv --villages data/villages.csv --output out/share
              tanso store import --db out/register.gpkg --proposals data/proposals/co_location_pass.json --partial
              tanso share-check --proposal P-2026-017 --db out/register.gpkg --output out/share-db
            """)

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "share-check", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        let enc = try TansoCLI.encoding(a)
        let cmd = "share-check"
        var s = SharingSettings()
        let compliance = try ComplianceCommand.settingsFrom(a, command: cmd)
        s.thresholds = compliance.thresholds
        s.sharingRadiusM = try a.double("sharing-radius-m", in: 0...50_000)!
        s.towerHeadroomM = try a.double("tower-headroom-m", in: 0...100)!
        s.minHostHeightShare = try a.double("host-height-share", in: 0...2)!
        s.coverageRadiusKm = try a.double("radius-km", in: 1...100)!
        s.minNewAreaKm2 = try a.double("min-new-area-km2", in: 0...10_000)!
        s.overlapReview = try a.double("overlap-review", in: 0...1)!
        s.study.resolutionM = try a.double("resolution-m", in: 10...1000)!
        s.study.maxRadiusKm = try a.double("max-radius-km", in: 1...200)!
        let model = a.string("model")!.lowercased()
        guard model == "hata" || PathLossModelID(rawValue: model) != nil else {
            throw UsageError(
                message: "--model must be hata or one of \(PathLossModelID.allCases.map(\.rawValue).joined(separator: ", ")), got '\(model)'", command: cmd)
        }
        s.study.model = model
        let env = a.string("environment")!
        guard let henv = Hata.Environment(rawValue: env) else {
            throw UsageError(message: "--environment must be urban, suburban or open, got '\(env)'", command: cmd)
        }
        s.study.environment = env
        s.conflicts.environment = henv
        if let plan = a.string("band-plan") {
            s.conflicts.bandPlan = plan.lowercased() == "none" ? nil : try AssignmentTables.loadBandPlan(plan)
        }
        if let pr = a.string("protection-ratios") { s.conflicts.protection = try AssignmentTables.loadProtectionRatios(pr) }
        if let l = a.string("exposure-limits") { s.limits = try ExposureLimits.load(csv: l) }

        let records = try RegisterInputs(a, encoding: enc)
        let store = records.store
        let (proposal, proposalFile) = try StoreProposals.load(a.string("proposal")!, store: store)
        let transmitters = try records.transmitters()!
        let assignments = try records.assignments()!
        let villages = try records.villages()!
        let skipped = records.skipped.map(\.description)
        let txPath = a.string("transmitters") ?? StoreCommand.recordedPath(a) ?? "transmitters"
        let dem = try a.string("dem").map { try ElevationModel(path: $0) }
        if dem == nil && model != "hata" && !["cost231", "fspl", "38901-rma", "38901-uma", "38901-umi"].contains(model) {
            throw UsageError(message: "--model \(model) needs terrain: give --dem", command: cmd)
        }
        if let dem, model != "hata", let id = PathLossModelID(rawValue: model) {
            s.terrain = TerrainPaths(dem: dem, model: try ProfileModel(id))
        }
        let proposed = SharingCheck.transmitters(of: proposal, tower: Tower(id: "", latitude: 0, longitude: 0, operators: [], highestAntennaM: 0, heightM: 0))
        let antennas = CoverageCommand.antennaLibrary(
            a.string("antenna-dir"), transmittersPath: txPath,
            transmitters: transmitters + proposed)
        let proposalName = proposalFile.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "\(store?.label ?? ""), proposal"
        let txName = store?.label ?? URL(fileURLWithPath: txPath).lastPathComponent
        try TansoCLI.checkPatterns(
            antennas,
            proposed.enumerated().map { ("\(proposalName): transmitters[\($0.offset)] '\(InputText.echo($0.element.id))'", $0.element.antennaPattern) }
                + transmitters.map { ("\(txName): transmitter '\(InputText.echo($0.id))'", $0.antennaPattern) })

        let out = try OutputOptions.value(a)
        let tx = try OutputOptions.open(
            out, command: StoreCommand.redacted(["tanso", cmd] + args),
            inputs: [
                proposalFile, a.string("transmitters"), StoreCommand.recordedPath(a), a.string("assignments"), a.string("villages"), a.string("dem"),
                a.string("exposure-limits"), a.string("band-plan"), a.string("protection-ratios"), a.string("antenna-dir")
            ],
            writes: ProductLayout.shareCheckFixed)
        let start = Date()
        let result = try SharingCheck.run(
            proposal, proposalID: proposal.name(fallback: "proposal"), transmitters: transmitters,
            assignments: assignments, villages: villages, dem: dem, antennas: antennas, settings: s,
            skippedRows: skipped)
        var inputs: [(role: String, name: String, sha256: String)] = []
        for (role, path) in [
            ("proposal", proposalFile), ("transmitters", a.string("transmitters")), ("assignments", a.string("assignments")),
            ("villages", a.string("villages")), ("store", StoreCommand.recordedPath(a)), ("dem", a.string("dem")),
            ("exposure limits", a.string("exposure-limits")),
            ("band plan", a.string("band-plan")), ("protection ratios", a.string("protection-ratios"))
        ] {
            guard let path, FileManager.default.fileExists(atPath: path) else { continue }
            inputs.append((role, URL(fileURLWithPath: path).lastPathComponent, (try? SHA256.hex(ofFile: path)) ?? ""))
        }
        try SharingReport.write(result, to: tx.staging, inputs: inputs)
        try OutputOptions.commit(
            tx, kind: "share-check", command: StoreCommand.redacted(["tanso", cmd] + args),
            inputs: [
                ("proposal", proposalFile), ("transmitters", a.string("transmitters")), ("assignments", a.string("assignments")),
                ("villages", a.string("villages")), ("store", StoreCommand.recordedPath(a)), ("dem", a.string("dem")),
                ("exposure limits", a.string("exposure-limits")),
                ("band plan", a.string("band-plan")), ("protection ratios", a.string("protection-ratios"))
            ])
        let seconds = Date().timeIntervalSince(start)
        var text =
            "Share-check \(result.proposalID): \(proposal.operatorName), \(proposal.kind.rawValue) on \(result.tower.id) — verdict \(result.verdict.rawValue.uppercased())\n"
        for c in result.checks where c.id != "verdict" {
            text += "  \(c.outcome.rawValue.uppercased().padding(toLength: 7, withPad: " ", startingAt: 0)) \(c.title): \(c.summary)\n"
        }
        text += "Report: \((out as NSString).appendingPathComponent("report.html")) (\(String(format: "%.1f", seconds)) s)\n"
        print(text, terminator: "")
        return 0
    }
}

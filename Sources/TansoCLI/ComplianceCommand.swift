// tanso compliance: a coverage output folder + villages, zones, admin units and targets → figures per unit
// against the targets, maps and an HTML report.
import Foundation
import Geo
import Radio
import Records
import Analysis
import Reports

enum ComplianceCommand {
    static let options: [OptionSpec] = [
        .value("coverage", "DIR", "output folder of tanso coverage (services/signal_<operator>_<tech>.tif, best_server.tif, study.json)", required: true),
        .value("villages", "FILE", "villages (points or polygons; CSV or any OGR source)"),
        RegisterInputs.dbOption(replacing: "--villages (and --transmitters)"),
        .value("zones", "FILE", "zones: polygons with id, name, kind (industrial_park, high_tech_zone, …)"),
        .value("admin", "FILE", "district (or commune) polygons: any OGR polygon layer or a dvhcvn JSON file [default: the villages' district column]"),
        .value("admin-name-field", "NAME", "field holding the unit names in --admin [default: name, ten, NAME_2, … whichever exists]"),
        .value("targets", "FILE", "targets JSON (see data/targets.json) [default: the plan's targets, as data/targets.json]"),
        .value(
            "transmitters", "FILE",
            "the transmitters of the coverage run, for the carriers' bandwidths [default: the file named in DIR/study.json, else DIR/coverage.gpkg]"),
        .value(
            "threshold", "TECH=DBM,...",
            "outdoor thresholds in each technology's metric: 2G RxLev, 3G RSCP, 4G RSRP, 5G SS-RSRP [default: 2G=-95,3G=-100,4G=-110,5G=-110]"),
        .value("indoor-margin-db", "DB", "building penetration margin added to every threshold (0 = outdoor service)", default: "0"),
        .value("cpich-share-db", "DB", "3G: CPICH power relative to the carrier's total power", default: "-10"),
        .value("nr-scs-khz", "KHZ", "5G: subcarrier spacing for N_RB [default: 30 in FR1, 120 in FR2]"),
        .value("polygon-share", "SHARE", "a polygon village is covered when this share of its area is", default: "0.5"),
        .value("province", "NAME", "name of the whole area [default: from the admin file, else 'Province']"),
        .value("baseline", "DIR", "a previous compliance output folder: list villages newly covered / newly uncovered"),
        .value(
            "measurements", "FILE",
            "drive-test measurements (the formats of tanso measurements): a village with measurements of a service within --evidence-radius-m takes the measured verdict (median of the binned measurements against the threshold)"
        ),
        .value("evidence-radius-m", "M", "with --measurements: the radius around a village", default: "500"),
        .value("output", "DIR", "folder for the products", required: true),
        .value("title", "TEXT", "report and map title", default: "Coverage compliance"),
        .flag(
            "record",
            "with --db: record the run in the register: its uncovered villages per technology as findings (opened when new, closed when covered again; tanso store diff lists them) and each commune's figures per technology (published_coverage)"
        ),
        .flag("skip-invalid", "skip invalid village/zone rows (each is reported) instead of stopping at the first"),
        TansoCLI.encodingOption
    ]

    static let help = helpText(
        usage: "tanso compliance --coverage DIR (--villages FILE | --db DB) --output DIR [--zones FILE] [--admin FILE] [--targets FILE] [options]",
        summary: "Figures per commune, district and province against the province's coverage targets, from a coverage run.",
        options: options,
        details: """
            Signal per technology. The coverage rasters hold total received channel power. Each technology is judged on
            its own metric: 2G RxLev = total power of the 200 kHz carrier; 3G RSCP = total + CPICH share (−10 dB);
            4G RSRP = total − 10·log10(12·N_RB) (N_RB from the bandwidth, TS 36.101: 10 MHz → 50 RB, −27.8 dB);
            5G SS-RSRP = total − 10·log10(12·N_RB) (TS 38.101-1: 100 MHz at 30 kHz → 273 RB, −35.2 dB). A service with
            carriers of several bandwidths is converted with the widest (never overstating the metric). Indoor service:
            --indoor-margin-db 15 raises every threshold by 15 dB.

            Villages: point villages take the grid cell at their position; polygon villages the cells inside them, and
            count as covered when --polygon-share of them is. Zones: covered area share per operator and technology.
            Units: communes from the villages' commune column; districts from --admin polygons (the polygon holding each
            village) or from the district column; the province is everything.

            Targets (data/README.md, Targets file): e.g. every village covered by 4G or 5G (share of population), every
            industrial park and high-tech zone covered by 5G (95 % of its area).

            Products in DIR: villages.csv, uncovered_villages.csv, zones.csv, units.csv, targets.csv, changes.csv (with
            --baseline), evidence.csv (with --measurements: measured against predicted verdicts), compliance.gpkg (villages, zones, units, admin_units, changes), map_<target>.png, report.html
            (self-contained: open it in a browser).

            Example:
              tanso coverage --transmitters data/transmitters.csv --villages data/villages.csv --output out/cov
              tanso compliance --coverage out/cov --villages data/villages.csv --zones data/zones.geojson \\
                               --admin districts.geojson --targets data/targets.json --output out/compliance
              tanso compliance … --baseline out/compliance-2025 --output out/compliance-2026
              tanso compliance --coverage out/cov --db out/register.gpkg --record --output out/compliance-db
                (villages and transmitters from the register; the uncovered villages kept there, see tanso store diff)
            """)

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "compliance", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        let enc = try TansoCLI.encoding(a)
        let settings = try settingsFrom(a, command: "compliance")
        let coverageDir = a.string("coverage")!
        if a.flag("record") && a.string("db") == nil {
            throw UsageError(message: "--record needs --db (the register to record the run in)", command: "compliance")
        }
        let skip = a.flag("skip-invalid")
        let records = try RegisterInputs(a, encoding: enc)
        let villages = try records.villages()!
        var zoneReport = LoadReport()
        let zones = try a.string("zones").map { try ZoneLoader.load($0, skipInvalid: skip, encoding: enc, report: &zoneReport) } ?? []
        TansoCLI.reportSkipped(zoneReport, what: "zone")
        let admin = try a.string("admin").map { try AdminLayer.load($0, nameField: a.string("admin-name-field")) }
        let targets = try a.string("targets").map { try TargetSet.load($0) } ?? TargetSet.plan
        let (layers, transmittersSource) = try loadLayers(coverageDir, records: records)
        if let baseline = a.string("baseline") {
            let record = try ProductFolder.verify(baseline)
            guard record.products.contains(where: { $0.path == ProductLayout.villagesCSV }) else {
                throw InputError("--baseline \(baseline): no villages.csv there: expected the output folder of a previous tanso compliance")
            }
        }
        let measurements = try a.string("measurements").map { path -> [SurveyMeasurement] in
            var r = LoadReport()
            let set = try MeasurementLoader.load(path, skipInvalid: skip, encoding: enc, report: &r)
            TansoCLI.reportSkipped(r, what: "measurement")
            for n in set.notes { TansoCLI.printWarning("\(URL(fileURLWithPath: path).lastPathComponent): \(n)") }
            return set.measurements
        }
        var evidence = EvidenceSettings()
        evidence.radiusM = try a.double("evidence-radius-m", in: 1...100_000) ?? 500
        let output = try OutputOptions.value(a)
        let command = records.command(args)
        let tx = try OutputOptions.open(
            output, command: command,
            inputs: [
                coverageDir, a.string("villages"), records.storePath, a.string("zones"), a.string("admin"), a.string("targets"),
                transmittersSource, a.string("baseline"), a.string("measurements")
            ],
            writes: ProductLayout.complianceFixed + (measurements == nil ? [] : [EvidenceProducts.csv]))
        let start = Date()
        let result = try ComplianceAnalysis.run(
            layers: layers, villages: villages, zones: zones, admin: admin, targets: targets,
            settings: settings, provinceName: a.string("province"),
            adminSource: a.string("admin").map { "the admin polygons (\(URL(fileURLWithPath: $0).lastPathComponent))" },
            measurements: measurements, evidence: evidence)
        let changes = try a.string("baseline").map {
            try ComplianceAnalysis.changes(result, baselineVillagesCSV: URL(fileURLWithPath: $0).appendingPathComponent("villages.csv").path)
        }
        var inputs: [(role: String, path: String)] = [("coverage", coverageDir), ("villages", records.sourceName("villages")!)]
        if let z = a.string("zones") { inputs.append(("zones", z)) }
        if let ad = a.string("admin") { inputs.append(("admin", ad)) }
        inputs.append(("targets", a.string("targets") ?? "built-in plan"))
        if let t = transmittersSource { inputs.append(("transmitters", t)) }
        if let b = a.string("baseline") { inputs.append(("baseline", b)) }
        if let m = a.string("measurements") { inputs.append(("measurements", m)) }
        let list = try ComplianceProducts.write(
            result, layers: layers, admin: admin, changes: changes, to: tx.staging,
            title: a.string("title")!, inputs: inputs)
        try OutputOptions.commit(
            tx, kind: "compliance", command: command,
            inputs: [
                ("villages", a.string("villages")), ("store", records.storePath), ("zones", a.string("zones")), ("admin", a.string("admin")),
                ("targets", a.string("targets")), ("transmitters", transmittersSource), ("measurements", a.string("measurements"))
            ])
        print(summary(result, changes: changes, seconds: Date().timeIntervalSince(start)))
        if a.flag("record"), let store = records.store {
            print(try StoreRecording.recordCompliance(result, output: output, in: store, command: command))
        }
        print("Products in \(output):")
        for f in list.files { print("  \(URL(fileURLWithPath: f.path).lastPathComponent): \(f.what)") }
        return 0
    }

    /// Thresholds and shares from the options shared by compliance and candidates.
    static func settingsFrom(_ a: ParsedArguments, command: String) throws -> ComplianceSettings {
        var th = MetricThresholds()
        if let t = try a.thresholds(allowed: [.gsm, .umts, .lte, .nr], range: -160 ... -20) {
            for (tech, v) in t { th.outdoorDBm[tech.rawValue] = v }
        }
        th.indoorMarginDB = try a.double("indoor-margin-db", in: 0...60) ?? 0
        th.cpichShareDB = try a.double("cpich-share-db", in: -30...0) ?? -10
        if let scs = try a.double("nr-scs-khz", in: 15...120) {
            guard [15, 30, 60, 120].contains(scs) else {
                throw UsageError(message: "--nr-scs-khz must be 15, 30, 60 or 120, got '\(a.string("nr-scs-khz")!)'", command: command)
            }
            th.nrSCSkHz = scs
        }
        return ComplianceSettings(thresholds: th, polygonShare: try a.double("polygon-share", in: 0.01...1) ?? 0.5)
    }

    /// The service rasters of a coverage folder (complete and unchanged: its record is verified first), with the
    /// run's transmitters when they can be found (--transmitters, --db: the register's current ones, else the file
    /// named in the folder's study.json).
    static func loadLayers(_ dir: String, records: RegisterInputs) throws -> (ServiceLayers, String?) {
        try ProductFolder.verify(dir)
        var source = records.a.string("transmitters")
        var transmitters = try records.transmitters(required: false)
        if transmitters == nil {
            let study = URL(fileURLWithPath: dir).appendingPathComponent("study.json").path
            if let record = try? RunRecord.read(study), let input = record.inputs.first(where: { $0.role == "transmitters" }),
                FileManager.default.fileExists(atPath: input.path)
            {
                source = input.path
            }
        }
        if transmitters == nil, let source {
            var report = LoadReport()
            transmitters = try TransmitterLoader.load(source, skipInvalid: records.a.flag("skip-invalid"), encoding: records.encoding, report: &report)
            TansoCLI.reportSkipped(report, what: "transmitter")
        }
        var warnings: [String] = []
        let layers: ServiceLayers
        layers = try CoverageFolder.layers(directory: dir, transmitters: transmitters, warnings: &warnings)
        for w in warnings { TansoCLI.printWarning(w) }
        return (layers, source)
    }

    static func summary(_ r: ComplianceResult, changes: [VillageChange]?, seconds: Double) -> String {
        var s =
            "Compliance: \(r.villages.count) villages, \(r.zones.count) zones, \(r.keys.count) services, \(r.units(.district).count) districts, \(r.units(.commune).count) communes (\(String(format: "%.2f", seconds)) s)\n"
        if let p = r.units(.province).first {
            for (ti, t) in r.targets.targets.enumerated() {
                let f = p.targets[ti]
                let state = f.achieved.map { $0 ? "achieved" : "NOT achieved" } ?? "no subject"
                s +=
                    "  \(t.id): \(f.met)/\(f.subjects) \(t.subject.rawValue) meet it, share \(f.share.map { String(format: "%.1f %%", 100 * $0) } ?? "-") (target \(String(format: "%.0f %%", 100 * f.minShare))): \(state)\n"
            }
            let districtsMissing = r.units(.district).filter { $0.targets.contains { $0.achieved == false } }.count
            s += "  districts below at least one target: \(districtsMissing) of \(r.units(.district).count)\n"
        }
        if let e = r.evidence {
            let d = e.disagreements
            s +=
                "  measured evidence: \(e.villagesOnEvidence) of \(r.villages.count) villages rest on measurements (\(r.villages.count - e.villagesOnEvidence) on prediction alone); \(e.evidence.count) service verdicts measured, \(d.count) disagree with the prediction (\(d.filter { $0.predictedCovered }.count) predicted covered but measured not, \(d.filter { !$0.predictedCovered }.count) the reverse)\n"
        }
        if let changes {
            let up = changes.filter { $0.kind == .newlyCovered }, down = changes.filter { $0.kind == .newlyUncovered }
            s +=
                "  since the baseline: \(up.count) newly covered (population \(up.reduce(0) { $0 + $1.population })), \(down.count) newly uncovered (population \(down.reduce(0) { $0 + $1.population }))\n"
        }
        return s
    }
}

// `benchmarks broadcast`: the broadcasting plan of the sample province (data/assignments.csv: 40 FM + 10 DVB-T2
// stations) over the sample DEM (3″) at 250 m with P.1546. Targets (issue 20): `tanso broadcast` ≤ 60 s on 2 cores;
// `tanso channels` for FM (206 channels) ≤ 60 s.
// Whole commands: the release `tanso` beside this executable run as a child process, wall time and the child's
// peak resident memory (getrusage RUSAGE_CHILDREN). Kernel figures in process: the fields (one engine run: each cell's
// profile gives the 50 % and the 1 % of time loss), the plan analysis, and the channel finder's register checks over
// 206 channels.
import Foundation
import Analysis
import Radio
import Records
import TansoCLI
import Terrain

func runBroadcastBenchmark() throws -> [(name: String, value: Double, unit: String)] {
    let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-broadcast-bench-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: tmp) }
    let demPath = tmp.appendingPathComponent("dem.tif").path
    try SampleProvince.dem(arcSeconds: 3).write(to: demPath)
    let area = "\(SampleProvince.west),\(SampleProvince.south),\(SampleProvince.east),\(SampleProvince.north)"
    var figures: [(name: String, value: Double, unit: String)] = []

    // Kernels, in process.
    var report = LoadReport()
    let register = try AssignmentLoader.load("data/assignments.csv", report: &report)
    let stations = register.filter { BroadcastPlan.services.contains($0.service) }
    let villages = try VillageLoader.load("data/villages.csv", report: &report)
    let dem = try ElevationModel(path: demPath)
    var study = CoverageStudy(west: SampleProvince.west, south: SampleProvince.south, east: SampleProvince.east, north: SampleProvince.north)
    study.resolutionM = 250; study.model = "p1546"; study.receiverHeightM = 10; study.maxRadiusKm = 150; study.floorDBm = -40
    study.modelSettings = ["environment": "rural"]
    var t0 = Date()
    let (fields, _, diagnostics) = try FieldStrengthCoverage.broadcastFields(
        stations, study: study, dem: dem, interferingNeeded: BroadcastPlan.interferersNeeded(stations, settings: BroadcastSettings()))
    let tFields = Date().timeIntervalSince(t0)
    t0 = Date()
    let pop = try BroadcastPlan.populationPerCell(villages, spec: fields.spec)
    let plan = try BroadcastPlan.analyse(stations, fields: fields, populationPerCell: pop, settings: BroadcastSettings())
    let tPlan = Date().timeIntervalSince(t0)
    t0 = Date()
    let proposal = ChannelProposal(
        service: "broadcast_fm", latitude: 11.05, longitude: 107.20, antennaHeightM: 45, power: .erp(dBW: 20))
    let channels = ChannelRaster.channels(service: "broadcast_fm", bandPlan: .vietnamDefault)
    let verdicts = ChannelFinder.registerChecks(proposal, channels: channels, register: register, screening: ConflictScreening())
    let tChecks = Date().timeIntervalSince(t0)
    let cells = fields.spec.cellCount
    print(
        "broadcast kernels: \(stations.count) stations on \(fields.spec.width) × \(fields.spec.height) cells (\(cells)); fields (50 % and 1 %) "
            + String(
                format: "%.1f s, %d profiles computed; plan analysis %.2f s (%d breaches); register checks of %d FM channels %.2f s", tFields,
                diagnostics.profilesComputed, tPlan, plan.breaches.count, verdicts.count, tChecks))
    figures += [
        (name: "broadcast_fields_50_1pct_s", value: tFields, unit: "s"), (name: "broadcast_plan_analysis_s", value: tPlan, unit: "s"),
        (name: "channels_fm_register_checks_s", value: tChecks, unit: "s")
    ]

    // Whole commands through the release executable.
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tanso").path
    guard FileManager.default.isExecutableFile(atPath: exe) else {
        print("broadcast: no tanso beside the benchmarks executable (\(exe)): build it with swift build -c release --product tanso")
        return figures
    }
    // Wall time and the command's own peak resident memory (`runTanso`: TANSO_REPORT_PEAK_RSS), from the project root.
    func child(_ args: [String]) throws -> (seconds: Double, peakMB: Double) {
        guard let r = runTanso(args, in: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) else {
            throw BenchmarkError("tanso \(args.first ?? "") failed")
        }
        return r
    }
    let bc = try child([
        "broadcast", "--assignments", "data/assignments.csv", "--dem", demPath, "--villages", "data/villages.csv", "--area", area,
        "--resolution-m", "250", "--output", tmp.appendingPathComponent("bc").path
    ])
    print(String(format: "tanso broadcast (40 FM + 10 DVB-T2, 250 m, P.1546): %.1f s wall, peak RSS %.0f MB (target ≤ 60 s)", bc.seconds, bc.peakMB))
    let ch = try child([
        "channels", "--service", "broadcast_fm", "--at", "11.05,107.20", "--height-m", "45", "--erp-dbw", "20", "--assignments", "data/assignments.csv",
        "--dem", demPath, "--villages", "data/villages.csv", "--area", area, "--resolution-m", "250", "--output", tmp.appendingPathComponent("ch").path
    ])
    print(
        String(format: "tanso channels (FM, 206 channels, 250 m): %.1f s wall, peak RSS %.0f MB (target ≤ 60 s)", ch.seconds, ch.peakMB))
    figures += [
        (name: "broadcast_command_s", value: bc.seconds, unit: "s"), (name: "broadcast_command_peak_rss_mb", value: bc.peakMB, unit: "MB"),
        (name: "channels_fm_command_s", value: ch.seconds, unit: "s"), (name: "channels_fm_command_peak_rss_mb", value: ch.peakMB, unit: "MB")
    ]
    return figures
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

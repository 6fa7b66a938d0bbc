// tanso demo: the whole coverage job on the sample province, and tanso sample: regenerate its files.
import Foundation
import Geo
import Records
import Reports
import Analysis
import Terrain
import Radio
import Propagation

enum DemoCommand {
    static let options: [OptionSpec] = [
        .value("data", "DIR", "folder holding the sample province", default: "data"),
        .value("output", "DIR", "folder for the products", default: "out/demo"),
        .value("resolution-m", "M", "grid cell size in metres", default: "100"),
        .value("model", "M", "propagation model of the coverage: a terrain model over the sample DEM (itm, p526, …) or hata", default: "itm"),
        .value("max-radius-km", "KM", "computation radius around each sector (the sample network's sites are a few km apart)", default: "10")
    ]

    static let help = helpText(
        usage: "tanso demo [--data DIR] [--output DIR] [--resolution-m M] [--model M] [--max-radius-km KM]",
        summary: "Run the whole job on the sample province (Đồng Nai, synthetic network) and write every product.",
        options: options,
        details: """
            Seven steps (7: tanso broadcast, the broadcasting plan on a 1 km grid, OUTPUT/broadcast/), each the command a user would run:
              1. tanso coverage: the 535 sectors of DIR/transmitters.csv over the sample DEM (3″ grid, generated
                 deterministically into OUTPUT/dem.tif when it is not there yet) with --model (ITM by default), the
                 villages of DIR/villages.csv; products in OUTPUT/.
              2. tanso compliance: villages, communes, districts and zones (DIR/zones.geojson) against the targets of
                 DIR/targets.json, with the HTML report; products in OUTPUT/compliance/.
              3. tanso conflicts: the register checks on DIR/assignments.csv; products in OUTPUT/conflicts/.
              4. tanso share-check: the sample proposal DIR/proposals/new_tower_near_shared.json (a new tower next to
                 a tower that could host it) and its verdict; products in OUTPUT/share-check/.
              5. tanso interference and tanso locate: the sample complaints of DIR/complaints/complaints.csv; products in
                 OUTPUT/complaints/<id>/.
              6. tanso monitor: the sample monitoring data of DIR/monitoring/ (emission list and sweeps) against the
                 register; products in OUTPUT/monitor/.
            """)

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "demo", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        let data = URL(fileURLWithPath: a.string("data")!)
        let output = try OutputOptions.value(a)
        let demPath = (output as NSString).appendingPathComponent("dem.tif")
        var report = LoadReport()
        let transmitters = try TransmitterLoader.load(data.appendingPathComponent("transmitters.csv").path, report: &report)
        let villages = try VillageLoader.load(data.appendingPathComponent("villages.csv").path, report: &report)
        let assignments = try AssignmentLoader.load(data.appendingPathComponent("assignments.csv").path, report: &report)
        if !FileManager.default.fileExists(atPath: demPath) {
            FileHandle.standardError.write(Data("generating the sample DEM (seed \(SampleProvince.seed)) → \(demPath)\n".utf8))
            try SampleProvince.dem().write(to: demPath, format: .geoTIFF, description: "elevation (m), synthetic")
        }
        var study = CoverageStudy(
            west: SampleProvince.west, south: SampleProvince.south,
            east: SampleProvince.east, north: SampleProvince.north)
        study.resolutionM = try a.double("resolution-m", in: 10...5000)!
        let model = a.string("model")!.lowercased()
        guard model == "hata" || PathLossModelID(rawValue: model) != nil else {
            throw UsageError(
                message: "--model must be hata or one of \(PathLossModelID.allCases.map(\.rawValue).joined(separator: ", ")), got '\(InputText.echo(model))'",
                command: "demo")
        }
        study.model = model
        study.maxRadiusKm = try a.double("max-radius-km", in: 1...200)!
        let dem = try ElevationModel(path: demPath)
        let dataDir = a.string("data")! as NSString
        func inData(_ name: String) -> String { dataDir.appendingPathComponent(name) }
        func inOutput(_ name: String) -> String { (output as NSString).appendingPathComponent(name) }
        let inputs =
            try [("transmitters", "transmitters.csv"), ("villages", "villages.csv")].map {
                try RunRecord.input(role: $0.0, path: inData($0.1))
            } + [try RunRecord.input(role: "dem", path: demPath)]
        let started = Date()

        print("1. Coverage (tanso coverage --model \(model) over the sample DEM)\n")
        let text = try CoverageCommand.execute(
            study: study, transmitters: transmitters, villages: villages, dem: dem,
            output: output, title: "TANSO DEMO - DONG NAI (SYNTHETIC NETWORK)",
            record: RunRecord(
                tool: "tanso \(TansoCLI.version)", command: ["tanso", "demo"] + args,
                inputs: inputs, study: study))
        print(text + "  dem.tif  the sample terrain (Float32, EPSG:4326, 3″)")

        print("\n2. Compliance with the province's targets (tanso compliance)\n")
        _ = try ComplianceCommand.run([
            "--coverage", output, "--villages", inData("villages.csv"), "--zones", inData("zones.geojson"),
            "--targets", inData("targets.json"), "--transmitters", inData("transmitters.csv"),
            "--title", "Coverage compliance - Dong Nai (synthetic network)", "--province", "Đồng Nai",
            "--output", inOutput("compliance")
        ])

        // Register checks on the sample assignments (planted conflicts: data/README.md).
        print("\n3. Register checks (tanso conflicts on \(inData("assignments.csv")))\n")
        let conflicts = try ConflictsCommand.execute(
            assignments, settings: ConflictSettings(), output: inOutput("conflicts"),
            command: ["tanso", "demo"] + args,
            inputs: [("assignments", inData("assignments.csv"))])
        print(conflicts, terminator: "")

        print("\n4. A tower-sharing proposal (tanso share-check on \(inData("proposals/new_tower_near_shared.json")))\n")
        _ = try ShareCheckCommand.run([
            "--proposal", inData("proposals/new_tower_near_shared.json"),
            "--transmitters", inData("transmitters.csv"), "--assignments", inData("assignments.csv"),
            "--villages", inData("villages.csv"), "--output", inOutput("share-check")
        ])

        print("\n5. Interference complaints (tanso interference, tanso locate on \(inData("complaints/complaints.csv")))\n")
        try ComplaintDemo.run(data: a.string("data")!, output: output, dem: demPath)
        print(try MonitorDemo.step(data: a.string("data")!, output: output, command: ["tanso", "demo"] + args), terminator: "")
        try BroadcastDemo.step(data: a.string("data")!, output: output, dem: demPath)

        print(String(format: "\nDemo done in %.1f s. Open first:", Date().timeIntervalSince(started)))
        for (path, what) in [
            ("map.png", "best signal over the terrain, uncovered villages in red"),
            ("compliance/report.html", "compliance report: targets, districts, communes, zones, uncovered villages"),
            ("conflicts/conflicts.csv", "register conflicts, worst first"),
            ("share-check/report.html", "the sharing proposal's checks and verdict"),
            ("complaints/C-2026-041/report.html", "an interference complaint's likely culprits, ranked"),
            ("broadcast/report.html", "the broadcasting plan: service areas, interferers, the planted breach FM-40"),
            ("best_signal.kmz", "best signal for Google Earth"),
            ("coverage.gpkg", "coverage polygons, villages, transmitters for QGIS")
        ] {
            print("  \(inOutput(path))  \(what)")
        }
        return 0
    }
}

enum SampleCommand {
    static let options: [OptionSpec] = [
        .value("output", "DIR", "folder for the sample files", default: "data"),
        .flag("dem", "also write the DEM (dem.tif, ~5 MB) into the folder")
    ]

    static let help = helpText(
        usage: "tanso sample [--output DIR] [--dem]",
        summary: "Regenerate the sample province's files (deterministic, seed \(SampleProvince.seed)).",
        options: options)

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "sample", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        let out = try OutputOptions.value(a)
        for line in try SampleProvince.writeVectors(to: out) { print("wrote \(out)/\(line)") }
        for line in try SampleMonitoring.write(to: out, assignmentsPath: (out as NSString).appendingPathComponent("assignments.csv")) {
            print("wrote \(out)/\(line)")
        }
        if a.flag("dem") {
            let path = (out as NSString).appendingPathComponent("dem.tif")
            try SampleProvince.dem().write(to: path)
            print("wrote \(path)")
        }
        return 0
    }
}

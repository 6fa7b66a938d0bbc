// tanso demo: the whole coverage job on the sample province, and tanso sample: regenerate its files.
import Foundation
import Geo
import Records
import Reports
import Analysis
import Terrain

enum DemoCommand {
    static let options: [OptionSpec] = [
        .value("data", "DIR", "folder holding the sample province", default: "data"),
        .value("output", "DIR", "folder for the products", default: "out/demo"),
        .value("resolution-m", "M", "grid cell size in metres", default: "100"),
    ]

    static let help = helpText(
        usage: "tanso demo [--data DIR] [--output DIR] [--resolution-m M]",
        summary: "Run the coverage job on the sample province (Đồng Nai, synthetic network) and write every product.",
        options: options,
        details: """
        Reads DIR/transmitters.csv, DIR/villages.csv and DIR/zones.geojson; generates the sample DEM
        (3″ grid, deterministic) into OUTPUT/dem.tif when it is not there yet; then runs `tanso coverage`
        over the province and prints the villages and population covered per operator and technology; then runs
        `tanso conflicts` on DIR/assignments.csv (OUTPUT/conflicts/) and lists the conflicts found.
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
        var study = CoverageStudy(west: SampleProvince.west, south: SampleProvince.south,
                                  east: SampleProvince.east, north: SampleProvince.north)
        study.resolutionM = try a.double("resolution-m", in: 10...5000)!
        let dem = try ElevationModel(path: demPath)
        let dataDir = a.string("data")! as NSString
        let inputs = try [("transmitters", "transmitters.csv"), ("villages", "villages.csv")].map {
            try RunRecord.input(role: $0.0, path: dataDir.appendingPathComponent($0.1))
        } + [try RunRecord.input(role: "dem", path: demPath)]
        let text = try CoverageCommand.execute(study: study, transmitters: transmitters, villages: villages, dem: dem,
                                               output: output, title: "TANSO DEMO - DONG NAI (SYNTHETIC NETWORK)",
                                               record: RunRecord(tool: "tanso \(TansoCLI.version)", command: ["tanso", "demo"] + args,
                                                                 inputs: inputs, study: study))
        print(text + "  dem.tif  the sample terrain (Float32, EPSG:4326, 3″)")
        // Register checks on the sample assignments (planted conflicts: data/README.md).
        let conflicts = try ConflictsCommand.execute(assignments, settings: ConflictSettings(),
                                                     output: (output as NSString).appendingPathComponent("conflicts"),
                                                     command: ["tanso", "demo"] + args,
                                                     inputs: [("assignments", dataDir.appendingPathComponent("assignments.csv"))])
        print("\nRegister checks (tanso conflicts on \((a.string("data")! as NSString).appendingPathComponent("assignments.csv"))):\n" + conflicts, terminator: "")
        return 0
    }
}

enum SampleCommand {
    static let options: [OptionSpec] = [
        .value("output", "DIR", "folder for the sample files", default: "data"),
        .flag("dem", "also write the DEM (dem.tif, ~5 MB) into the folder"),
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
        if a.flag("dem") {
            let path = URL(fileURLWithPath: out).appendingPathComponent("dem.tif").path
            try SampleProvince.dem().write(to: path)
            print("wrote \(path)")
        }
        return 0
    }
}

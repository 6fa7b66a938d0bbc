// tanso broadcast: inspection of the broadcasting plan in field strength (service areas, usable field strength,
// interferers, breaches of protection), with CSV, GeoPackage, map and HTML products.
import Foundation
import Analysis
import Geo
import Radio
import Records
import Reports
import Terrain

enum BroadcastCommand {
    static let options: [OptionSpec] = [
        .value("assignments", "FILE", "frequency assignments (the register); its broadcast_fm and broadcast_tv rows are inspected"),
        RegisterInputs.dbOption(replacing: "--assignments and --villages"),
        .value("dem", "FILE", "elevation raster (any GDAL format/CRS)", required: true),
        .value("villages", "FILE", "villages with population (points or polygons): population served and taken"),
        .value("area", "W,S,E,N", "area in WGS84 degrees [default: the broadcast stations' extent + 0.1°, within a geographic DEM]"),
        .value("resolution-m", "M", "grid cell size in metres", default: "250"),
        .value("model", "M", "propagation model over the DEM: p1546, p1812, itm, …", default: "p1546"),
        .value("set", "NAME=V,...", "model settings, as the optional columns of tanso pathloss (time_pct is set to 50 and 1 by the command)"),
        .value("rx-height-m", "M", "receiving antenna height above ground", default: "10"),
        .value("max-radius-km", "KM", "field computed within this distance of each station", default: "150"),
        .value(
            "fm-reception", "MODE", "FM reception: stereo_rural, stereo_urban, stereo_large_city, mono_rural, mono_urban, mono_large_city",
            default: "stereo_rural"),
        .value("tv-reception", "MODE", "DVB-T2 reception: fixed, portable_outdoor, portable_indoor", default: "fixed"),
        .value("method", "M", "usable field strength: power-sum or smm (simplified multiplication method)", default: "power-sum"),
        .value("breach-pct", "P", "an interferer breaks a station's protection when it alone takes more than P % of its area or population", default: "1"),
        .value("criteria", "FILE", "replacement criteria CSV (minimum fields and protection ratios; format in data/README.md)"),
        .value("admin", "FILE", "district (or commune) polygons drawn on the report maps: any OGR polygon layer or a dvhcvn JSON file"),
        .value("output", "DIR", "folder for the products", required: true),
        .value("title", "TEXT", "report title", default: "Broadcasting plan inspection"),
        .flag("skip-invalid", "skip invalid rows (each is reported) instead of stopping at the first"),
        TansoCLI.encodingOption
    ]

    static let help = helpText(
        usage: "tanso broadcast (--assignments FILE | --db DB) --dem FILE [--villages FILE] --output DIR [options]",
        summary: "Inspect the broadcasting plan in field strength: service areas, usable field strength, interferers and breaches of protection.",
        options: options,
        details: """
            For every FM (broadcast_fm) and DVB-T2 (broadcast_tv) assignment of the register, on a grid over the DEM:
              wanted field      its field strength at 50 % of time, --rx-height-m above ground (P.1546 by default: h1 from
                                the terrain, terrain clearance angle; dBµV/m from the record's EIRP, ERP = EIRP − 2.15 dB)
              interfering field its field at 1 % of time (tropospheric interference)
              minimum field     FM: ITU-R BS.412 (e.g. stereo rural 54 dBµV/m); DVB-T2: the BT.2033 method (fixed rooftop
                                at 95 % of locations: 54.3 dBµV/m); data/README.md lists every number and its source
              usable field      E_u = power sum of the minimum field and each interferer's 1 % field plus its protection
                                ratio (BS.412, BT.2033 / BT.1368 by frequency offset), or --method smm
              service areas     noise-limited: wanted ≥ minimum; interference-limited: wanted ≥ E_u (polygons)
              interferers       ranked by the area and population each alone takes from the noise-limited area;
                                a breach when one takes more than --breach-pct % of either
            Products in DIR: stations.csv, interferers.csv, breaches.csv (with the explanation), broadcast.gpkg (layers
            stations, service_areas, breaches), map.png, report.html (the plan) and stations/<id>.html (one per station),
            study.json.

            Example:
              tanso broadcast --assignments data/assignments.csv --dem out/demo/dem.tif --villages data/villages.csv --output out/broadcast
            """)

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "broadcast", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        let start = Date()
        let input = try BroadcastInputs(a)
        let admin = try a.string("admin").map { try AdminLayer.load($0) }
        let tx = try OutputOptions.open(
            try OutputOptions.value(a), command: StoreCommand.redacted(["tanso", "broadcast"] + args), inputs: input.paths + [a.string("admin")],
            writes: BroadcastReport.fixedProducts)
        let (fields, ground, diagnostics) = try FieldStrengthCoverage.broadcastFields(
            input.stations, study: input.study, dem: input.dem,
            interferingNeeded: BroadcastPlan.interferersNeeded(input.stations, settings: input.settings), progress: TansoCLI.progressHandler("broadcast"))
        if diagnostics.cellsWithoutTerrain > 0 {
            TansoCLI.printWarning("\(diagnostics.cellsWithoutTerrain) cell(s) left empty: their profile leaves the DEM or crosses nodata")
        }
        let pop = try BroadcastPlan.populationPerCell(input.villages, spec: fields.spec)
        let result = try BroadcastPlan.analyse(input.stations, fields: fields, populationPerCell: pop, settings: input.settings)
        _ = try BroadcastReport.write(
            result, ground: ground, populationPerCell: pop, title: a.string("title")!,
            inputs: input.recorded.compactMap { r in r.path.map { (r.role, $0) } }, layers: BroadcastMapLayers(admin: admin, villages: input.villages),
            to: tx.staging)
        try OutputOptions.commit(
            tx, kind: "broadcast", command: StoreCommand.redacted(["tanso", "broadcast"] + args), inputs: input.recorded + [("admin", a.string("admin"))])
        print(summary(result, seconds: Date().timeIntervalSince(start), output: a.string("output")!), terminator: "")
        return 0
    }

    static func summary(_ r: BroadcastPlanResult, seconds: Double, output: String) -> String {
        let fm = r.stations.filter { $0.assignment.service == "broadcast_fm" }.count
        var s =
            "\(r.stations.count) broadcast stations (\(fm) FM, \(r.stations.count - fm) DVB-T2) on \(r.spec.width) × \(r.spec.height) cells of "
            + String(format: "%.0f m", r.spec.resolutionM) + String(format: "; %.1f s\n", seconds)
        s += "\(r.breaches.count) breach(es) of protection\n"
        for b in r.breaches { s += "  \(r.stations[b.victim].assignment.id) ← \(r.stations[b.interferer].assignment.id): \(b.explanation)\n" }
        s += "wrote \(output)/report.html, stations.csv, interferers.csv, breaches.csv, broadcast.gpkg, map.png, stations/\n"
        return s
    }
}

/// The inputs shared by `tanso broadcast` and `tanso channels`: the register's broadcast stations, the DEM, the
/// villages, the grid study and the criteria.
struct BroadcastInputs {
    var register: [Assignment]
    var stations: [Assignment]
    var dem: ElevationModel
    var villages: [Village]
    var study: CoverageStudy
    var settings: BroadcastSettings
    var recorded: [(role: String, path: String?)]
    var paths: [String?] { recorded.map(\.path) }

    init(_ a: ParsedArguments, extraPoints: [(lon: Double, lat: Double)] = []) throws {
        let enc = try TansoCLI.encoding(a)
        let records = try RegisterInputs(a, encoding: enc)
        register = try records.assignments()!
        stations = register.filter { BroadcastPlan.services.contains($0.service) }
        guard let demPath = a.string("dem") else { throw UsageError(message: "missing --dem FILE (field strength over the terrain)", command: a.command) }
        dem = try ElevationModel(path: demPath)
        villages = try records.villages(required: false) ?? []
        let points = stations.map { ($0.longitude, $0.latitude) } + extraPoints
        if let area = try a.doubles("area", count: 4, meaning: "west,south,east,north in degrees") {
            study = CoverageStudy(west: area[0], south: area[1], east: area[2], north: area[3])
        } else {
            guard !points.isEmpty else { throw InputError("\(records.sourceName("assignments")!): no broadcast_fm or broadcast_tv assignments: give --area") }
            study = CoverageStudy(
                west: points.map(\.0).min()! - 0.1, south: points.map(\.1).min()! - 0.1, east: points.map(\.0).max()! + 0.1,
                north: points.map(\.1).max()! + 0.1)
            if dem.isGeographic { // within the DEM: a profile that leaves it gives no field
                let g = dem.grid.geoTransform
                study.west = max(study.west, g.originX); study.east = min(study.east, g.originX + Double(dem.grid.width) * g.pixelWidth)
                study.north = min(study.north, g.originY); study.south = max(study.south, g.originY - Double(dem.grid.height) * g.pixelHeight)
            }
        }
        study.resolutionM = try a.double("resolution-m", in: 10...10_000)!
        let model = a.string("model")!
        guard let id = PathLossModelID(rawValue: model) else {
            throw UsageError(
                message: "--model must be one of \(PathLossModelID.allCases.map(\.rawValue).joined(separator: ", ")), got '\(model)'", command: a.command)
        }
        study.model = model
        var set = try a.modelSettings(model: id) ?? [:]
        if id == .p1546, set["environment"] == nil { set["environment"] = "rural" }
        set["time_pct"] = "50"
        try a.validateModelSettings(set, model: id)
        study.modelSettings = set
        study.receiverHeightM = try a.double("rx-height-m", in: 0.5...100)!
        study.maxRadiusKm = try a.double("max-radius-km", in: 1...1000)!
        study.floorDBm = -40 // read as dBµV/m: weaker fields matter to no plan
        settings = BroadcastSettings()
        if let path = a.string("criteria") { settings.criteria = try BroadcastTables.load(path) }
        settings.reception["broadcast_fm"] = a.string("fm-reception")!
        settings.reception["broadcast_tv"] = a.string("tv-reception")!
        for service in ["broadcast_fm", "broadcast_tv"] where settings.minimumField(service) == nil {
            let known = settings.criteria.minimumFields.filter { $0.service == service }.map(\.reception).joined(separator: ", ")
            throw UsageError(message: "no reception mode '\(settings.reception[service]!)' for \(service); known: \(known)", command: a.command)
        }
        guard let method = UsableField.Method(rawValue: a.string("method")!) else {
            throw UsageError(message: "--method must be power-sum or smm, got '\(a.string("method")!)'", command: a.command)
        }
        settings.method = method
        settings.breachPct = try a.double("breach-pct", in: 0...100)!
        recorded = [
            ("assignments", a.string("assignments")), ("store", records.storePath), ("dem", demPath), ("villages", a.string("villages")),
            ("criteria", a.string("criteria"))
        ]
    }
}

// tanso channels: the free-channel finder for a licence application.
import Foundation
import Analysis
import Geo
import Radio
import Records
import Reports
import Terrain

enum ChannelsCommand {
    static let options: [OptionSpec] = [
        .value("service", "S", "broadcast_fm, broadcast_tv or land_mobile", required: true),
        .value("at", "LAT,LON", "position of the proposed station, WGS84 degrees", required: true),
        .value("height-m", "H", "antenna height above ground, m", required: true),
        .value("erp-dbw", "P", "effective radiated power (ERP, referred to a half-wave dipole), dBW; EIRP = ERP + 2.15 dB"),
        .value("eirp-dbw", "P", "instead of --erp-dbw: EIRP (referred to an isotropic antenna), dBW"),
        .value(
            "pattern", "FILE", "antenna pattern of the proposed station (.msi, .pln, Planet .txt or .pafx; data/README.md): directional, with --azimuth-deg"),
        .value("azimuth-deg", "DEG", "azimuth of the pattern's boresight, degrees from true north (with --pattern)", default: "0"),
        .value("assignments", "FILE", "the register (CSV or any OGR source)"),
        RegisterInputs.dbOption(replacing: "--assignments (and --villages)"),
        .value("dem", "FILE", "elevation raster: needed for broadcast_fm and broadcast_tv (field strength over the terrain)"),
        .value("villages", "FILE", "villages with population: the people served and taken"),
        .value("area", "W,S,E,N", "grid area in WGS84 degrees [default: the broadcast stations' and the proposal's extent + 0.1°, within the DEM]"),
        .value("resolution-m", "M", "grid cell size, m", default: "250"),
        .value("model", "M", "propagation model over the DEM", default: "p1546"),
        .value("set", "NAME=V,...", "model settings (time_pct is set to 50 and 1 by the command)"),
        .value("rx-height-m", "M", "receiving antenna height above ground", default: "10"),
        .value("max-radius-km", "KM", "field computed within this distance of each station", default: "150"),
        .value("fm-reception", "MODE", "FM reception mode (see tanso broadcast)", default: "stereo_rural"),
        .value("tv-reception", "MODE", "DVB-T2 reception mode (see tanso broadcast)", default: "fixed"),
        .value("method", "M", "usable field strength of the existing stations: power-sum or smm", default: "power-sum"),
        .value("breach-pct", "P", "as tanso broadcast", default: "1"),
        .value("criteria", "FILE", "replacement criteria CSV (data/README.md)"),
        .value("band-plan", "FILE", "band plan CSV for the register checks (as tanso conflicts) [default: the Vietnam plan]"),
        .value("list", "N", "channels printed (all are in channels.csv)", default: "10"),
        .value("output", "DIR", "folder for channels.csv", required: true),
        .flag("skip-invalid", "skip invalid rows (each is reported) instead of stopping at the first"),
        TansoCLI.encodingOption
    ]

    static let help = helpText(
        usage:
            "tanso channels --service broadcast_fm|broadcast_tv|land_mobile --at LAT,LON --height-m H --erp-dbw P [--pattern FILE --azimuth-deg A] (--assignments FILE | --db DB) [--dem FILE] [--villages FILE] --output DIR",
        summary: "Find the channels a proposed station can use: every channel of the service's raster, both directions, ranked with the reasons.",
        options: options,
        details: """
            Channels: FM 87.5–108 MHz every 100 kHz (206); UHF TV 470–694 MHz every 8 MHz (channels 21–48); land mobile every
            12.5 kHz in the band plan's land_mobile bands.
            For each channel:
              register checks    the checks of tanso conflicts (co/adjacent channel, intermodulation, duplicate, out of plan)
                                 of the proposed assignment against the register, same settings; conflicts involving it count
              taken from others  (broadcast) the people and area existing stations lose: their usable field strength
                                 with the proposal's 1 % field plus the protection ratio added exceeds their wanted field
              its own service    (broadcast) the people and area where its 50 % field reaches the power sum of its
                                 minimum field and the existing stations' nuisance fields on that channel
            Ranked: no register conflict first, then fewest people taken, most people served, least area taken, farthest
            overlapping assignment. The fields are computed once (the terrain does not change with the channel); the
            proposal's at the band's centre (97.8 MHz FM, 578 MHz UHF).
            Products in DIR: channels.csv (rank, channel, conflicts, people and area taken and served, reasons), study.json.

            Examples:
              tanso channels --service broadcast_fm --at 11.05,107.20 --height-m 45 --erp-dbw 20 --assignments data/assignments.csv \\
                             --dem out/demo/dem.tif --villages data/villages.csv --output out/channels
              tanso channels --service broadcast_fm --at 11.05,107.20 --height-m 45 --erp-dbw 20 --pattern antenna.msi \\
                             --azimuth-deg 270 --assignments data/assignments.csv --dem out/demo/dem.tif --output out/channels-dir
              tanso channels --service land_mobile --at 10.96,106.90 --height-m 30 --erp-dbw 14 --assignments data/assignments.csv --output out/lm
            """)

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "channels", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        let start = Date()
        let service = a.string("service")!.lowercased()
        guard ["broadcast_fm", "broadcast_tv", "land_mobile"].contains(service) else {
            throw UsageError(message: "--service must be broadcast_fm, broadcast_tv or land_mobile, got '\(service)'", command: "channels")
        }
        guard let at = try a.doubles("at", count: 2, meaning: "latitude,longitude in degrees"), (-90...90).contains(at[0]), (-180...180).contains(at[1])
        else {
            throw UsageError(message: "--at expects LAT,LON in degrees", command: "channels")
        }
        let power: RadiatedPower
        switch (try a.double("erp-dbw", in: -60...100), try a.double("eirp-dbw", in: -60...100)) {
        case (let erp?, nil): power = .erp(dBW: erp)
        case (nil, let eirp?): power = RadiatedPower(dBW: eirp, .eirp)
        default: throw UsageError(message: "give the power as --erp-dbw P or --eirp-dbw P (one of them)", command: "channels")
        }
        var proposal = ChannelProposal(
            service: service, latitude: at[0], longitude: at[1], antennaHeightM: try a.double("height-m", in: 0.5...1000)!, power: power)
        proposal.id = "PROPOSED"
        let antennas = try patternLibrary(a, proposal: &proposal)
        var screeningSettings = ConflictSettings()
        if let plan = a.string("band-plan") { screeningSettings.bandPlan = plan.lowercased() == "none" ? nil : try AssignmentTables.loadBandPlan(plan) }
        let channels = ChannelRaster.channels(service: service, bandPlan: screeningSettings.bandPlan)
        var verdicts: [ChannelVerdict]
        var recorded: [(role: String, path: String?)]
        var note = ""
        let tx: OutputTransaction
        if service == "land_mobile" {
            let enc = try TansoCLI.encoding(a)
            let records = try RegisterInputs(a, encoding: enc)
            let register = try records.assignments()!
            recorded = [("assignments", a.string("assignments")), ("store", records.storePath), ("band plan", a.string("band-plan"))]
            tx = try OutputOptions.open(
                try OutputOptions.value(a), command: StoreCommand.redacted(["tanso", "channels"] + args), inputs: recorded.map(\.path), writes: ["channels.csv"]
            )
            verdicts = ChannelFinder.registerChecks(proposal, channels: channels, register: register, screening: ConflictScreening(settings: screeningSettings))
        } else {
            let input = try BroadcastInputs(a, extraPoints: [(at[1], at[0])])
            recorded = input.recorded + [("band plan", a.string("band-plan")), ("antenna pattern", a.string("pattern"))]
            tx = try OutputOptions.open(
                try OutputOptions.value(a), command: StoreCommand.redacted(["tanso", "channels"] + args), inputs: recorded.map(\.path), writes: ["channels.csv"]
            )
            verdicts = ChannelFinder.registerChecks(
                proposal, channels: channels, register: input.register, screening: ConflictScreening(settings: screeningSettings))
            let progress = TansoCLI.progressHandler("channels")
            // 1 % fields: the existing stations' interferers, and every station that can interfere with the proposal's
            // service on some channel of the raster.
            var needed = BroadcastPlan.interferersNeeded(input.stations, settings: input.settings)
            for (k, st) in input.stations.enumerated() where input.settings.criteria.table(victim: service, interferer: st.service) != nil {
                needed[k] = true
            }
            let (fields, _, _) = try FieldStrengthCoverage.broadcastFields(
                input.stations, study: input.study, dem: input.dem, interferingNeeded: needed,
                progress: progress.map { p in { @Sendable x in p(0.9 * x) } })
            let reference = proposal.assignment(on: Channel(centreMHz: ChannelFinder.referenceMHz(service: service), bandwidthKHz: 200))
            let own = try FieldStrengthCoverage.broadcastFields([reference], study: input.study, dem: input.dem, antennas: antennas)
            progress?(1)
            let pop = try BroadcastPlan.populationPerCell(input.villages, spec: fields.spec)
            let plan = try BroadcastPlan.analyse(input.stations, fields: fields, populationPerCell: pop, settings: input.settings)
            try ChannelFinder.broadcastDirections(
                &verdicts, proposal: proposal, plan: plan, fields: fields, own: (own.fields.wanted[0], own.fields.interfering[0]),
                populationPerCell: pop, settings: input.settings)
            note =
                "fields on \(fields.spec.width) × \(fields.spec.height) cells of \(Int(fields.spec.resolutionM)) m, \(input.stations.count) broadcast stations; "
                + "the proposal's field at \(ChannelFinder.referenceMHz(service: service)) MHz for every channel\n"
        }
        let ranked = ChannelFinder.rank(verdicts)
        try write(ranked, to: tx.staging)
        try OutputOptions.commit(tx, kind: "channels", command: StoreCommand.redacted(["tanso", "channels"] + args), inputs: recorded)
        let free = ranked.filter { $0.conflicts.isEmpty }.count
        var s =
            "\(ranked.count) channels of \(service) at \(at[0]), \(at[1]) (\(String(format: "%.2f", power.erpKW * 1000)) W ERP, \(String(format: "%.1f", power.eirpDBm)) dBm EIRP): "
            + "\(free) without a register conflict; \(String(format: "%.1f", Date().timeIntervalSince(start))) s\n" + note
        for v in ranked.prefix(Int(try a.double("list", in: 0...100_000)!)) {
            s +=
                "  \(String(v.rank).padding(toLength: 4, withPad: " ", startingAt: 0)) \(v.label.padding(toLength: 20, withPad: " ", startingAt: 0)) \(v.reasons)\n"
        }
        s += "wrote \(a.string("output")!)/channels.csv\n"
        print(s, terminator: "")
        return 0
    }

    /// The library holding `--pattern` (its folder), the pattern read once here so that a bad file is named
    /// before any work; the proposal gets the pattern and `--azimuth-deg`. Nil without `--pattern`.
    static func patternLibrary(_ a: ParsedArguments, proposal: inout ChannelProposal) throws -> AntennaLibrary? {
        guard let path = a.string("pattern") else { return nil }
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.path) else { throw InputError("--pattern \(path): no such file") }
        let library = AntennaLibrary(folder: url.deletingLastPathComponent(), archiveOpener: PAFXFile.opener)
        do { _ = try library.pattern(named: url.lastPathComponent) } catch { throw InputError("--pattern \(path): \(error)") }
        proposal.antennaPattern = url.lastPathComponent
        proposal.azimuthDeg = try a.double("azimuth-deg", in: -360...360)!
        return library
    }

    static func write(_ ranked: [ChannelVerdict], to dir: String) throws {
        let rows = ranked.map { v -> [String] in
            let list: String = v.conflicts.map { c -> String in
                let ids: [String] = [c.aID, c.bID, c.cID].compactMap { $0 }
                return c.kind.rawValue + ":" + ids.joined(separator: "/")
            }.joined(separator: " ")
            var row: [String] = [String(v.rank), v.label, String(format: "%.4f", v.channel.centreMHz), String(format: "%g", v.channel.bandwidthKHz)]
            row += [String(v.conflicts.count), list, String(v.populationTaken), String(format: "%.2f", v.areaTakenKm2)]
            row.append(v.populationServed.map { String($0) } ?? "")
            row.append(v.areaServedKm2.map { String(format: "%.2f", $0) } ?? "")
            row.append(v.nearestCoChannelKm.map { String(format: "%.1f", $0) } ?? "")
            row.append(v.reasons)
            return row
        }
        try CSV.write(
            header: [
                "rank", "channel", "centre_mhz", "bandwidth_khz", "conflicts", "conflict_list", "population_taken", "area_taken_km2",
                "population_served", "area_served_km2", "nearest_overlapping_km", "reasons"
            ], rows: rows, to: URL(fileURLWithPath: dir).appendingPathComponent("channels.csv").path)
    }
}

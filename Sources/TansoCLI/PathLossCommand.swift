// tanso pathloss: a batch of profiles through one model, or one link over a DEM.
import Foundation
import Radio
import Analysis
import Propagation
import Terrain

enum PathLossCommand {
    static let models = PathLossModelID.allCases.map(\.rawValue)

    static let options: [OptionSpec] = [
        .value("model", "M", "one of: \(PathLossModelID.allCases.map(\.rawValue).joined(separator: ", "))", required: true),
        .value("input", "paths.csv", "batch mode: one path per row (columns below)"),
        .value("output", "losses.csv", "batch mode: id,loss_db,warnings,error per input row (default: standard output)"),
        .value("threads", "N", "batch mode: worker threads [default: all cores]"),
        .value("dem", "FILE", "link mode: elevation raster (any GDAL format and CRS)"),
        .value("from", "LAT,LON", "link mode: transmitter position (WGS 84 degrees)"),
        .value("to", "LAT,LON", "link mode: receiver position (WGS 84 degrees)"),
        .value("frequency-mhz", "F", "link mode: frequency, MHz"),
        .value("tx-height-m", "H", "link mode: transmitter antenna height above ground, m"),
        .value("rx-height-m", "H", "link mode: receiver antenna height above ground, m"),
        .value("spacing-m", "M", "link mode: profile spacing [default: the DEM's cell size]"),
        .value(
            "set", "NAME=V,...",
            "link mode: model settings, the optional columns below (e.g. climate=1,polarization=horizontal); unknown names and values out of range are errors"),
        TansoCLI.encodingOption
    ]

    static let help = helpText(
        usage: """
            tanso pathloss --model M --input paths.csv --output losses.csv [--threads N]
                   tanso pathloss --model M --dem FILE --from LAT,LON --to LAT,LON --frequency-mhz F --tx-height-m H --rx-height-m H
            """,
        summary: "Basic transmission loss (dB) of terrain paths with any of tanso's propagation models.",
        options: options,
        details: """
            Batch input: CSV with a header row, columns in any order (unknown columns are ignored). A UTF-8 file is
            streamed: any size, in bounded memory, parsed on every core, rows written in input order (no row may
            exceed TANSO_MAX_BATCH_MB); with --encoding the file is converted whole, up to that size.
              id               path id, copied to the output
              frequency_mhz    frequency, MHz
              tx_height_m      transmitter antenna height above ground, m
              rx_height_m      receiver antenna height above ground, m
              spacing_m        distance between profile points, m
              elevations_m     n+1 terrain heights (m above sea level) from transmitter to receiver, space-separated
            Optional columns, with their defaults when missing:
              polarization     horizontal | vertical                     [vertical]       itm, p526
              climate          ITM 1–7: 1 equatorial, 2 continental subtropical, 3 maritime subtropical, 4 desert,
                               5 continental temperate, 6 maritime temperate over land, 7 over sea   [5]   itm
              n0               surface refractivity, N-units              [301]            itm
              permittivity     relative permittivity of the ground        [15]             itm (p526 if given)
              conductivity_s_per_m  ground conductivity, S/m              [0.005]          itm (p526 if given)
              time_pct, location_pct, situation_pct  variability, %       [50, 50, 50]     itm
              mdvar            ITM mode of variability (0–3, +10, +20)    [12]             itm
              k_factor         effective Earth radius factor              [4/3]            p526
              environment      urban | suburban | open (rural for ehata)  [urban]          hata, cost231, ehata
              city_size        small | large                              [small]          hata, cost231
              los              los | nlos                                 [nlos]           38901-*
              building_height_m, street_width_m                           [5, 20]          38901-rma
              dn               ΔN, average radio-refractivity lapse rate, N-units/km  [50]          p1812, p452
              n0               (p1812, p452) sea-level surface refractivity, N-units        [365]
                               ΔN and N0 come from the ITU-R P.453 maps, which tanso cannot ship: the defaults are
                               indicative values for Vietnam; pass your own.
              tx_lat, tx_lon, rx_lat, rx_lon   terminal coordinates, degrees (required)        p1812, p452
              zones            per point: sea|coastal|inland or 1|3|4, space-separated [inland]   p1812, p452
              clutter_heights_m  per point: representative clutter height, m      [0]              p1812, p452
              time_pct         % of time (p1812, p1546: 1–50; p452: 0.001–50)   [50]   itm, p1812, p1546, p452
              tx_gain_dbi, rx_gain_dbi  antenna gains toward the path, dBi   [0, 0]           p452
              location_pct     % of locations (1–99)                      [50]             itm, p1812, p1546
              path_type        land | sea | cold_sea | warm_sea           [land]           p1546
              environment      (p1546) rural | suburban | urban | dense_urban | sea   [rural]
              rx_clutter_height_m  representative clutter height at the receiver, m   [10]   p1546
              area_width_m     width of the square area for location variability, m  [500]  p1546
            Models: itm = NTIA ITM 1.2.2 point-to-point; p526 = free space + ITU-R P.526-15 delta-Bullington
            diffraction; hata/cost231 = Okumura-Hata / COST-231 (max with free space below 1 km); ehata = NTIA
            Extended Hata; fspl = free space (P.525); 38901-rma/uma/umi = 3GPP TR 38.901 Table 7.4.1-1 (distance =
            the profile's length); p1812 = ITU-R P.1812-8 (Lb); p1546 = ITU-R P.1546-6 (Lb from E, with h1, the
            terrain clearance angle and the slope from the profile); p452 = ITU-R P.452-18 clear-air interference
            prediction (Lb not exceeded for time_pct % of the time).
            Output: id,loss_db,warnings,error in input order. A row the model rejects gets an empty loss_db and the
            reason in error; the run goes on. Exit code 0 when every row was computed, 1 otherwise.
            Results are identical whatever the number of threads.

            Link mode: the profile follows the WGS 84 geodesic, cut into n = max(4, ceil(distance / spacing)) equal intervals,
            heights read bilinearly from the DEM; a point outside the DEM or on nodata is an error.
            """)

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "pathloss", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        _ = try TansoCLI.encoding(a)
        guard let model = PathLossModelID(rawValue: a.string("model")!.lowercased()) else {
            throw UsageError(message: "unknown model '\(a.string("model")!)'; expected one of \(models.joined(separator: ", "))", command: "pathloss")
        }
        if let input = a.string("input") { return try batch(a, model: model, input: input) }
        guard a.string("dem") != nil else {
            throw UsageError(message: "give --input paths.csv (batch) or --dem with --from and --to (one link)", command: "pathloss")
        }
        return try link(a, model: model)
    }

    static func batch(_ a: ParsedArguments, model: PathLossModelID, input: String) throws -> Int32 {
        if a.string("output") != nil { try OutputOptions.refuseOverwrite(file: try OutputOptions.value(a), inputs: [input]) }
        let threads = try a.double("threads", in: 1...1024).map { Int($0) } ?? ProcessInfo.processInfo.activeProcessorCount
        if try TansoCLI.encoding(a) == .utf8 { return try streamed(a, model: model, input: input, threads: threads) }
        let text: String
        do { text = try InputText.read(input, kind: .batch, encoding: try TansoCLI.encoding(a)) } catch let e as InputFileError {
            throw InputError(e.description)
        }
        let rows: [PathLossRow]
        do { rows = try PathLossBatch.parse(csv: text) } catch { throw InputError("\(input): \(error)") }
        let outcomes = PathLossBatch.run(rows, model: model, threads: threads, progress: TansoCLI.progressHandler("pathloss"))
        let csv = PathLossBatch.format(outcomes)
        if let output = a.string("output") {
            let url = URL(fileURLWithPath: output)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try csv.write(to: url, atomically: true, encoding: .utf8)
        } else {
            print(csv, terminator: "")
        }
        let failed = outcomes.filter { $0.error != nil }
        if !failed.isEmpty {
            TansoCLI.printWarning("\(failed.count) of \(outcomes.count) rows not computed; the first: id '\(failed[0].id)': \(failed[0].error!)")
            return 1
        }
        return 0
    }

    /// A UTF-8 batch, streamed: bounded memory whatever the file's size, parsed from bytes on every core, rows
    /// written in input order to a temporary file renamed over --output at the end (nothing half-written), or to
    /// standard output as they are done.
    static func streamed(_ a: ParsedArguments, model: PathLossModelID, input: String, threads: Int) throws -> Int32 {
        let summary: PathLossStream.Summary
        let progress = TansoCLI.progressHandler("pathloss")
        do {
            if let output = a.string("output") {
                let url = URL(fileURLWithPath: output)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tanso-\(getpid()).tmp")
                guard FileManager.default.createFile(atPath: temporary.path, contents: nil), let handle = FileHandle(forWritingAtPath: temporary.path) else {
                    throw InputError("\(output): cannot be written (permission denied or no such folder?)")
                }
                do {
                    summary = try PathLossStream.run(
                        path: input, model: model, threads: threads, write: { try handle.write(contentsOf: Data($0.utf8)) }, progress: progress)
                    try handle.close()
                    guard rename(temporary.path, url.path) == 0 else { throw InputError("\(output): cannot be written (\(String(cString: strerror(errno))))") }
                } catch {
                    try? handle.close()
                    try? FileManager.default.removeItem(at: temporary)
                    throw error
                }
            } else {
                summary = try PathLossStream.run(
                    path: input, model: model, threads: threads, write: { FileHandle.standardOutput.write(Data($0.utf8)) }, progress: progress)
            }
        } catch let e as InputFileError {
            throw InputError(e.description)
        } catch let e as PathLossInputError {
            throw InputError("\(input): \(e)")
        }
        if let f = summary.firstFailure {
            TansoCLI.printWarning("\(summary.failed) of \(summary.rows) rows not computed; the first: id '\(f.id)': \(f.error)")
            return 1
        }
        return 0
    }

    static func link(_ a: ParsedArguments, model: PathLossModelID) throws -> Int32 {
        guard let from = try a.doubles("from", count: 2, meaning: "LAT,LON in degrees"),
            let to = try a.doubles("to", count: 2, meaning: "LAT,LON in degrees")
        else {
            throw UsageError(message: "link mode needs --from LAT,LON and --to LAT,LON", command: "pathloss")
        }
        for (name, p) in [("from", from), ("to", to)] where !((-90...90).contains(p[0]) && (-180...180).contains(p[1])) {
            throw UsageError(message: "--\(name) \(p[0]),\(p[1]) is not a WGS 84 LAT,LON", command: "pathloss")
        }
        guard let f = try a.double("frequency-mhz"), let htx = try a.double("tx-height-m"), let hrx = try a.double("rx-height-m") else {
            throw UsageError(message: "link mode needs --frequency-mhz, --tx-height-m and --rx-height-m", command: "pathloss")
        }
        let extra = try a.modelSettings(model: model) ?? [:]
        let dem = try ElevationModel(path: a.string("dem")!)
        let profile = try dem.profile(
            fromLon: from[1], lat1: from[0], toLon: to[1], lat2: to[0], spacingM: try a.double("spacing-m", in: 0.1...100_000),
            maxPoints: WorkLimits.maxProfilePoints)
        guard profile.distanceM <= WorkLimits.maxProfileKm * 1000 else {
            throw InputError(
                String(
                    format: "the link is %.1f km long; profiles are limited to %.0f km (TANSO_MAX_PROFILE_KM)", profile.distanceM / 1000,
                    WorkLimits.maxProfileKm))
        }
        var fields: [String: String] = [
            "id": "link", "frequency_mhz": String(f), "tx_height_m": String(htx), "rx_height_m": String(hrx),
            "spacing_m": String(profile.spacingM), "elevations_m": profile.elevationsM.map { String($0) }.joined(separator: " "),
            // The terminals' coordinates (P.1812 and P.452 use them): those of the link.
            "tx_lat": String(from[0]), "tx_lon": String(from[1]), "rx_lat": String(to[0]), "rx_lon": String(to[1])
        ]
        for (k, v) in extra { fields[k] = v }
        let r = try PathLossBatch.compute(PathLossRow(fields: fields), model: model)
        let h = profile.elevationsM
        print(
            """
            model         \(model.rawValue)
            distance      \(String(format: "%.3f", profile.distanceM / 1000)) km (geodesic, WGS 84)
            profile       \(h.count) points every \(String(format: "%.2f", profile.spacingM)) m; terrain \(String(format: "%.1f", h.min()!))–\(String(format: "%.1f", h.max()!)) m, tx ground \(String(format: "%.1f", h.first!)) m, rx ground \(String(format: "%.1f", h.last!)) m
            loss          \(String(format: "%.2f", r.lossDB)) dB
            warnings      \(r.warnings.isEmpty ? "none" : r.warnings.joined(separator: ", "))
            """)
        return 0
    }
}

// The path-loss batch contract behind `tanso pathloss`: one CSV row per path, any propagation model.
//
// Input columns (any order, case-insensitive; unknown columns ignored):
//   id, frequency_mhz, tx_height_m, rx_height_m (above ground), spacing_m, elevations_m (n+1 heights in m above
//   sea level from transmitter to receiver, space-separated), and per model: polarization, climate, n0,
//   permittivity, conductivity_s_per_m, time_pct, location_pct, situation_pct, mdvar (ITM); k_factor (P.526);
//   environment, city_size (Hata family); los (38.901); building_height_m, street_width_m (38.901 RMa).
// Output: id, loss_db, warnings (names joined by ';'), error. One row per input row, input order.
import Dispatch
import Foundation
import Synchronization
import Propagation
import Radio
import Records

public enum PathLossModelID: String, CaseIterable, Sendable {
    case itm, p526, hata, cost231, ehata, fspl, p1812, p1546, p452
    case tr38901RMa = "38901-rma", tr38901UMa = "38901-uma", tr38901UMi = "38901-umi"
}

/// Defaults applied to missing optional columns (documented in `tanso pathloss --help`).
public enum PathLossDefaults {
    public static let polarization = "vertical"
    public static let climate = 5 // continental temperate (NTIA's example default)
    public static let n0 = 301.0 // N-units
    public static let permittivity = 15.0
    public static let conductivitySPerM = 0.005
    public static let timePct = 50.0, locationPct = 50.0, situationPct = 50.0
    public static let mdvar = 12 // mobile mode, location variability eliminated (known profile)
    public static let kFactor = 4.0 / 3.0
    public static let environment = "urban"
    public static let citySize = "small"
    public static let los = "nlos"
    /// P.1812/P.452 radio-meteorology: indicative values for Vietnam (ΔN 50 N-units/km, N0 365 N-units); users
    /// should read their own from the ITU-R P.453 maps (which tanso cannot ship).
    public static let deltaN = 50.0
    public static let n0ITU = 365.0
    public static let pathType = "land"
    public static let rxArea = "rural"
}

public struct PathLossOutcome: Sendable, Equatable {
    public var id: String
    public var lossDB: Double?
    public var warnings: [String]
    public var error: String?
}

/// A bad value in a batch row: the column, the value and what was expected.
public struct PathLossInputError: Error, CustomStringConvertible, Sendable {
    public let column: String
    public let value: String?
    public let expected: String
    public var description: String {
        "column '\(InputText.echo(column))': " + (value.map { "value '\(InputText.echo($0))'" } ?? "missing") + ": expected \(expected)"
    }
}

public struct PathLossRow: Sendable {
    public let fields: [String: String]
    /// The heights of `elevations_m`, already read (the streaming reader parses them from bytes, exactly as
    /// `profile()` would from the text); nil: read from `fields`.
    let elevationsM: [Double]?

    public init(fields: [String: String]) {
        var lower: [String: String] = [:]
        for (k, v) in fields { lower[k.lowercased().trimmingCharacters(in: .whitespaces)] = v.trimmingCharacters(in: .whitespaces) }
        self.fields = lower
        elevationsM = nil
    }

    /// A row whose `fields` are already lower-cased and trimmed, with `elevations_m` read into `elevationsM`.
    init(normalizedFields: [String: String], elevationsM: [Double]?) {
        fields = normalizedFields
        self.elevationsM = elevationsM
    }

    public var id: String { fields["id"] ?? "" }

    func raw(_ c: String) -> String? { fields[c].flatMap { $0.isEmpty ? nil : $0 } }

    func double(_ c: String) throws -> Double {
        guard let r = raw(c) else { throw PathLossInputError(column: c, value: nil, expected: "a number") }
        guard let v = DecimalNumber.parse(r) else { throw PathLossInputError(column: c, value: r, expected: "a number") }
        return v
    }

    func double(_ c: String, default d: Double) throws -> Double { raw(c) == nil ? d : try double(c) }

    /// An optional setting with its default, within `range` (a value outside it is an error naming the setting).
    func double(_ c: String, default d: Double, in range: ClosedRange<Double>, _ meaning: String) throws -> Double {
        let v = try double(c, default: d)
        guard range.contains(v) else {
            throw PathLossInputError(column: c, value: raw(c), expected: "\(meaning) in [\(fmt(range.lowerBound)), \(fmt(range.upperBound))]")
        }
        return v
    }

    /// An optional whole-number setting with its default, one of `allowed`.
    func int(_ c: String, default d: Int, allowed: [Int], _ meaning: String) throws -> Int {
        let v = try int(c, default: d)
        guard allowed.contains(v) else {
            throw PathLossInputError(column: c, value: raw(c), expected: meaning)
        }
        return v
    }

    private func fmt(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }

    func int(_ c: String, default d: Int) throws -> Int {
        guard let r = raw(c) else { return d }
        guard let v = DecimalNumber.parseInt(r) else { throw PathLossInputError(column: c, value: r, expected: "a whole number") }
        return v
    }

    func choice(_ c: String, _ options: [String], default d: String) throws -> String {
        let v = (raw(c) ?? d).lowercased()
        guard options.contains(v) else { throw PathLossInputError(column: c, value: raw(c), expected: options.joined(separator: " or ")) }
        return v
    }

    /// A per-point list column (space-separated numbers), nil when absent; must hold `count` values.
    func list(_ c: String, count: Int) throws -> [Double]? {
        guard let text = raw(c) else { return nil }
        var out: [Double] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" }) {
            guard let v = DecimalNumber.parse(token) else { throw PathLossInputError(column: c, value: String(token), expected: "numbers separated by spaces") }
            out.append(v)
        }
        guard out.count == count else {
            throw PathLossInputError(column: c, value: "\(out.count) values", expected: "\(count) values, one per profile point")
        }
        return out
    }

    /// Radio-meteorological zones per point: words (sea, coastal, inland) or ITU-R SG3 codes (1 sea, 3 coastal
    /// land, 4 inland).
    func zones(count: Int) throws -> [P1812.Zone]? {
        guard let text = raw("zones") else { return nil }
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" })
        guard tokens.count == count else {
            throw PathLossInputError(column: "zones", value: "\(tokens.count) values", expected: "\(count) zone codes, one per profile point")
        }
        return try tokens.map { t in
            switch t.lowercased() {
            case "1", "sea", "s": return .sea
            case "3", "coastal", "c", "a1": return .coastalLand
            case "4", "inland", "i", "a2": return .inland
            default: throw PathLossInputError(column: "zones", value: String(t), expected: "sea|coastal|inland or 1|3|4")
            }
        }
    }

    func coordinates() throws -> (txLat: Double, txLon: Double, rxLat: Double, rxLon: Double) {
        for c in ["tx_lat", "tx_lon", "rx_lat", "rx_lon"] where raw(c) == nil {
            throw PathLossInputError(column: c, value: nil, expected: "the terminal coordinates tx_lat, tx_lon, rx_lat, rx_lon (degrees)")
        }
        return (try double("tx_lat"), try double("tx_lon"), try double("rx_lat"), try double("rx_lon"))
    }

    func profile() throws -> TerrainProfile {
        let spacing = try double("spacing_m")
        let maxM = WorkLimits.maxProfileKm * 1000
        guard spacing > 0, spacing <= maxM else {
            throw PathLossInputError(
                column: "spacing_m", value: raw("spacing_m"), expected: "a spacing > 0 m and at most the longest profile, \(Int(maxM)) m (TANSO_MAX_PROFILE_KM)"
            )
        }
        let heights = try elevationsM ?? parseElevations()
        let lengthM = spacing * Double(heights.count - 1)
        guard lengthM <= maxM else {
            throw PathLossInputError(
                column: "spacing_m", value: raw("spacing_m"),
                expected:
                    "a profile of at most \(Int(WorkLimits.maxProfileKm)) km (TANSO_MAX_PROFILE_KM); \(heights.count) points at this spacing make \(String(format: "%.6g", lengthM / 1000)) km"
            )
        }
        return TerrainProfile(elevationsM: heights, spacingM: spacing)
    }

    /// The heights of the `elevations_m` text: decimal numbers within ±20,000 m separated by spaces, tabs or
    /// semicolons, at least 2 and at most `WorkLimits.maxProfilePoints`.
    func parseElevations() throws -> [Double] {
        guard let text = raw("elevations_m") else {
            throw PathLossInputError(column: "elevations_m", value: nil, expected: "space-separated terrain heights (m)")
        }
        var heights: [Double] = []
        heights.reserveCapacity(min(text.count / 4, WorkLimits.maxProfilePoints))
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" }) {
            guard let h = DecimalNumber.parse(token), abs(h) <= 20_000 else {
                throw PathLossInputError(column: "elevations_m", value: String(token), expected: "heights in m within ±20000, separated by spaces")
            }
            heights.append(h)
            guard heights.count <= WorkLimits.maxProfilePoints else {
                throw PathLossInputError(
                    column: "elevations_m", value: "more than \(WorkLimits.maxProfilePoints) values",
                    expected: "at most \(WorkLimits.maxProfilePoints) points per profile (TANSO_MAX_PROFILE_POINTS)")
            }
        }
        guard heights.count >= 2 else {
            throw PathLossInputError(column: "elevations_m", value: text, expected: "at least 2 heights (transmitter and receiver)")
        }
        return heights
    }
}

public enum PathLossBatch {
    /// Loss for one row with one model. Throws `PathLossInputError` for unreadable columns and
    /// `ModelInputError` for values the model rejects.
    public static func compute(_ row: PathLossRow, model: PathLossModelID) throws -> (lossDB: Double, warnings: [String]) {
        try compute(row, model: model, settings: nil)
    }

    /// The same, with the model's settings already read (`settings`, when the batch has no setting columns and
    /// every row would read the same defaults) or read from the row (nil).
    static func compute(_ row: PathLossRow, model: PathLossModelID, settings given: ProfileModel?) throws -> (lossDB: Double, warnings: [String]) {
        let settings = try given ?? ProfileModel(model, settings: row)
        let profile = try row.profile()
        let n = profile.elevationsM.count
        let needsCoordinates = model == .p1812 || model == .p452
        let link = PathLink(
            frequencyMHz: try row.double("frequency_mhz"), txHeightM: try row.double("tx_height_m"),
            rxHeightM: try row.double("rx_height_m"),
            coordinates: needsCoordinates ? try row.coordinates() : nil,
            zones: try row.zones(count: n), clutterHeightsM: try row.list("clutter_heights_m", count: n))
        return try settings.lossDB(profile: profile, link: link)
    }

    /// Outcome of one row: the loss, or the error text (the run goes on).
    public static func outcome(_ row: PathLossRow, model: PathLossModelID) -> PathLossOutcome {
        outcome(row, model: model, settings: nil)
    }

    /// The same, with the model's settings already read (see `compute(_:model:settings:)`).
    static func outcome(_ row: PathLossRow, model: PathLossModelID, settings: ProfileModel?) -> PathLossOutcome {
        do {
            let r = try compute(row, model: model, settings: settings)
            // No model may hand back NaN or ±inf as a loss (the output would read "-nan" with exit 0).
            guard r.lossDB.isFinite else {
                return PathLossOutcome(
                    id: row.id, lossDB: nil, warnings: r.warnings,
                    error: "the model returned a non-finite loss (\(r.lossDB)) for this path")
            }
            return PathLossOutcome(id: row.id, lossDB: r.lossDB, warnings: r.warnings, error: nil)
        } catch {
            return PathLossOutcome(id: row.id, lossDB: nil, warnings: [], error: String(describing: error))
        }
    }

    /// Runs every row on `threads` threads (1 = on the calling thread). Rows are split into contiguous chunks and
    /// each result lands at its row's index, so the output does not depend on the number of threads.
    public static func run(
        _ rows: [PathLossRow], model: PathLossModelID, threads: Int,
        progress: (@Sendable (Double) -> Void)? = nil
    ) -> [PathLossOutcome] {
        var out = [PathLossOutcome](repeating: PathLossOutcome(id: "", lossDB: nil, warnings: [], error: nil), count: rows.count)
        guard !rows.isEmpty else { return out }
        let t = max(1, min(threads, rows.count))
        if t == 1 {
            for i in rows.indices {
                out[i] = outcome(rows[i], model: model)
                if let progress, i % 1000 == 999 { progress(Double(i + 1) / Double(rows.count)) }
            }
            progress?(1)
            return out
        }
        let chunks = t * 8
        let done = Atomic<Int>(0)
        out.withUnsafeMutableBufferPointer { buf in
            let shared = UnsafeSendable(buf)
            DispatchQueue.concurrentPerform(iterations: t) { worker in
                // Workers take chunks worker, worker + t, …: balanced without a shared queue.
                var chunk = worker
                while chunk < chunks {
                    let lo = rows.count * chunk / chunks, hi = rows.count * (chunk + 1) / chunks
                    for i in lo..<hi { shared.value[i] = outcome(rows[i], model: model) }
                    let d = done.wrappingAdd(1, ordering: .relaxed).newValue
                    progress?(Double(d) / Double(chunks))
                    chunk += t
                }
            }
        }
        return out
    }

    /// Parses batch CSV text into rows (header row required).
    public static func parse(csv text: String) throws -> [PathLossRow] {
        var table = CSV.parse(text)
        guard !table.isEmpty else { throw PathLossInputError(column: "header", value: nil, expected: "a header row") }
        let header = table.removeFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for required in ["id", "frequency_mhz", "tx_height_m", "rx_height_m", "spacing_m", "elevations_m"] where !header.contains(required) {
            throw PathLossInputError(
                column: required, value: nil,
                expected: "a column named '\(required)' (the file has: \(InputText.columnList(header)))")
        }
        return table.map { fields in
            var d: [String: String] = [:]
            for (i, v) in fields.enumerated() where i < header.count { d[header[i]] = v }
            return PathLossRow(fields: d)
        }
    }

    /// Formats outcomes as the output CSV.
    public static func format(_ outcomes: [PathLossOutcome]) -> String {
        CSV.format(header: ["id", "loss_db", "warnings", "error"], rows: outcomes.map(cells))
    }

    /// One outcome as a line of the output CSV (line end included).
    static func formatRow(_ o: PathLossOutcome) -> String {
        var line = escaped(o.id) + ","
        if let loss = o.lossDB { line += fixed4(loss) }
        line += "," + escaped(o.warnings.joined(separator: ";")) + "," + escaped(o.error ?? "") + "\n"
        return line
    }

    /// `CSV.escape(s)`, without its `Character` scan when no byte of `s` is one it looks for (then it returns `s`).
    @inline(__always) static func escaped(_ s: String) -> String {
        s.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D } ? CSV.escape(s) : s
    }

    /// `String(format: "%.4f", x)`: the C library's formatting (which Foundation's calls for %f), without
    /// Foundation's format-string machinery.
    static func fixed4(_ x: Double) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf in
            let n = Int(withVaList([x]) { vsnprintf(buf.baseAddress!, 64, "%.4f", $0) })
            guard n > 0, n < 64 else { return String(format: "%.4f", x) }
            return String(decoding: UnsafeRawBufferPointer(start: buf.baseAddress!, count: n).bindMemory(to: UInt8.self), as: UTF8.self)
        }
    }

    static func cells(_ o: PathLossOutcome) -> [String] {
        [o.id, o.lossDB.map { String(format: "%.4f", $0) } ?? "", o.warnings.joined(separator: ";"), o.error ?? ""]
    }
}

// The tables the register checks read besides the assignments: a band plan and protection-ratio overrides.
// Plain CSV (RFC 4180), header row, column names case-insensitive; formats in data/README.md.
import Foundation
import Radio

public enum AssignmentTables {
    /// Reads a CSV table into header-keyed rows, with the header checked for `required` columns.
    static func table(_ path: String, required: [String]) throws -> [(row: Int, values: [String: String])] {
        let text: String
        do { text = try InputText.read(path, kind: .table) } catch let e as InputFileError {
            throw RecordError(source: path, row: nil, column: nil, value: nil, expected: "a readable UTF-8 CSV file (\(e.reason))")
        }
        var rows = CSV.parse(text)
        guard !rows.isEmpty else { throw RecordError(source: path, row: nil, column: nil, value: nil, expected: "a header row") }
        let header = rows.removeFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for c in required where !header.contains(c) {
            throw RecordError(
                source: path, row: nil, column: c, value: nil,
                expected: "a column named '\(c)' (the file has: \(InputText.columnList(header)))")
        }
        return rows.enumerated().map { i, fields in
            var v: [String: String] = [:]
            for (k, name) in header.enumerated() where k < fields.count {
                let x = fields[k].trimmingCharacters(in: .whitespaces)
                if !x.isEmpty { v[name] = x }
            }
            return (i + 1, v)
        }
    }

    static func number(
        _ path: String, _ row: Int, _ v: [String: String], _ column: String, _ range: ClosedRange<Double>, _ unit: String, optional: Bool = false
    ) throws -> Double? {
        guard let raw = v[column] else {
            if optional { return nil }
            throw RecordError(source: path, row: row, column: column, value: nil, expected: "a number in [\(range.lowerBound), \(range.upperBound)] \(unit)")
        }
        guard let x = DecimalNumber.parse(raw), range.contains(x) else {
            throw RecordError(source: path, row: row, column: column, value: raw, expected: "a number in [\(range.lowerBound), \(range.upperBound)] \(unit)")
        }
        return x
    }

    /// A band plan: `name, services, low_mhz, high_mhz[, paired, block_licensed]`; services separated by ';',
    /// `paired` the name of the duplex partner, `block_licensed` yes/no (default no).
    public static func loadBandPlan(_ path: String) throws -> BandPlan {
        let rows = try table(path, required: ["name", "services", "low_mhz", "high_mhz"])
        var allocations: [Allocation] = []
        for (row, v) in rows {
            guard let name = v["name"] else { throw RecordError(source: path, row: row, column: "name", value: nil, expected: "a non-empty name") }
            let services = Set((v["services"] ?? "").lowercased().split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            guard !services.isEmpty else {
                throw RecordError(source: path, row: row, column: "services", value: v["services"], expected: "one or more service names separated by ';'")
            }
            let lo = try number(path, row, v, "low_mhz", 0...300_000, "MHz")!
            let hi = try number(path, row, v, "high_mhz", 0...300_000, "MHz")!
            guard hi > lo else {
                throw RecordError(source: path, row: row, column: "high_mhz", value: v["high_mhz"], expected: "a frequency above low_mhz (\(lo))")
            }
            var block = false
            if let b = v["block_licensed"]?.lowercased() {
                guard ["yes", "no", "true", "false", "1", "0"].contains(b) else {
                    throw RecordError(source: path, row: row, column: "block_licensed", value: b, expected: "yes or no")
                }
                block = ["yes", "true", "1"].contains(b)
            }
            allocations.append(Allocation(name: name, services: services, lowMHz: lo, highMHz: hi, pairedName: v["paired"], blockLicensed: block))
        }
        let names = Set(allocations.map(\.name))
        for (i, a) in allocations.enumerated() {
            if let p = a.pairedName, !names.contains(p) {
                throw RecordError(source: path, row: i + 1, column: "paired", value: p, expected: "the name of another allocation in the file")
            }
        }
        return BandPlan(name: URL(fileURLWithPath: path).lastPathComponent, allocations: allocations)
    }

    /// Protection-ratio overrides, one CSV with rows of two kinds (columns may be left empty):
    ///  - a curve point: `service, offset_khz, protection_ratio_db` (the service's curve is replaced by the file's points);
    ///  - service parameters: `service` with any of `co_channel_db, aclr1_db, aclr2_db, acs1_db, acs2_db,
    ///    wanted_dbm, max_radius_km, receiver_height_m` (unlisted values keep their defaults).
    public static func loadProtectionRatios(_ path: String, base: ProtectionRatios = .defaults) throws -> ProtectionRatios {
        let rows = try table(path, required: ["service"])
        var services = base.services, curves = base.curves
        var replaced: Set<String> = []
        for (row, v) in rows {
            guard let service = v["service"]?.lowercased() else {
                throw RecordError(source: path, row: row, column: "service", value: nil, expected: "a service name")
            }
            if v["offset_khz"] != nil || v["protection_ratio_db"] != nil {
                let off = try number(path, row, v, "offset_khz", 0...10_000_000, "kHz")!
                let pr = try number(path, row, v, "protection_ratio_db", -100...150, "dB")!
                if !replaced.contains(service) { curves[service] = []; replaced.insert(service) }
                curves[service]!.append(ProtectionPoint(offsetKHz: off, requiredDB: pr))
            }
            var p = services[service] ?? base.parameters(service)
            func set(_ col: String, _ range: ClosedRange<Double>, _ unit: String, _ kp: WritableKeyPath<ServiceParameters, Double>) throws {
                if let x = try number(path, row, v, col, range, unit, optional: true) { p[keyPath: kp] = x }
            }
            try set("co_channel_db", -100...150, "dB", \.coChannelDB)
            try set("aclr1_db", 0...150, "dB", \.aclr1DB)
            try set("aclr2_db", 0...150, "dB", \.aclr2DB)
            try set("acs1_db", 0...150, "dB", \.acs1DB)
            try set("acs2_db", 0...150, "dB", \.acs2DB)
            try set("wanted_dbm", -200...50, "dBm", \.wantedDBm)
            try set("max_radius_km", 0...1000, "km", \.maxRadiusKm)
            try set("receiver_height_m", 0.5...1000, "m", \.receiverHeightM)
            services[service] = p
        }
        return ProtectionRatios(services: services, curves: curves)
    }
}

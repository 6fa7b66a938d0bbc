// The products of `tanso monitor`: findings.csv, occupancy.csv, monitoring.gpkg (stations, routes, lines from
// each finding to its assignment), and the comparison with an earlier findings.csv (`--baseline`).
import Foundation
import Analysis
import Geo
import Radio
import Records

public enum MonitoringProducts {
    public static let findingsCSV = "findings.csv"
    public static let occupancyCSV = "occupancy.csv"
    public static let gpkg = "monitoring.gpkg"
    public static let report = "report.html"
    public static let fixed = [findingsCSV, occupancyCSV, gpkg, report]

    public static let columns = [
        "kind", "severity", "station_id", "frequency_mhz", "bandwidth_khz", "level_dbuv_m", "assignment_id", "licensee",
        "expected", "deviation", "explanation"
    ]

    static func fields(_ f: MonitoringFinding) -> [String] {
        [
            f.kind.rawValue, f.severity.rawValue, f.stationID, CSV.number(f.frequencyMHz, decimals: 6), CSV.number(f.bandwidthKHz, decimals: 3),
            CSV.number(f.levelDBuVm, decimals: 1), f.assignmentID ?? "", f.licensee ?? "",
            CSV.number(f.expected, decimals: f.kind == .offFrequency ? 6 : f.kind == .excessBandwidth ? 3 : 1),
            CSV.number(f.deviation, decimals: f.kind == .offFrequency || f.kind == .excessBandwidth ? 3 : 1), f.explanation
        ]
    }

    /// findings.csv text; a `status` column is added when any finding has one (baseline runs).
    public static func findingsText(_ findings: [MonitoringFinding]) -> String {
        let withStatus = findings.contains { $0.status != nil }
        return CSV.format(header: columns + (withStatus ? ["status"] : []), rows: findings.map { fields($0) + (withStatus ? [$0.status ?? ""] : []) })
    }

    public static let occupancyColumns = [
        "station_id", "channel", "centre_mhz", "bandwidth_khz", "bins", "sweeps", "threshold_dbuv_m", "occupancy_pct", "first_timestamp", "last_timestamp"
    ]

    public static func occupancyText(_ summaries: [SweepSummary]) -> String {
        var rows: [[String]] = []
        for s in summaries {
            for c in s.channels {
                rows.append([
                    s.stationID, c.name, CSV.number(c.channel.centreMHz, decimals: 4), CSV.number(c.channel.bandwidthKHz, decimals: 1), String(c.bins),
                    String(s.sweeps), CSV.number(c.thresholdDB, decimals: 1), CSV.number(c.occupancyPct, decimals: 2), s.firstTimestamp, s.lastTimestamp
                ])
            }
        }
        return CSV.format(header: occupancyColumns, rows: rows)
    }

    /// Layers: `stations` (one point per station, its first position), `routes` (stations with several
    /// positions), `findings` (line from the station to the assignment; a point for unlicensed).
    public static func layers(_ findings: [MonitoringFinding], stations: [(id: String, positions: [(lat: Double, lon: Double)])]) -> [LayerData] {
        var st = LayerData(name: "stations", fields: [("station_id", .string), ("positions", .integer)], geometryType: .point)
        var routes = LayerData(name: "routes", fields: [("station_id", .string)], geometryType: .lineString)
        for s in stations {
            guard let p = s.positions.first else { continue }
            st.append(.point(Coordinate(p.lon, p.lat)), [.string(s.id), .integer(s.positions.count)])
            if s.positions.count > 1 { routes.append(.lineString(s.positions.map { Coordinate($0.lon, $0.lat) }), [.string(s.id)]) }
        }
        var schema: [(name: String, kind: FieldKind)] = [
            ("kind", .string), ("severity", .string), ("station_id", .string), ("frequency_mhz", .real), ("bandwidth_khz", .real),
            ("level_dbuv_m", .real), ("assignment_id", .string), ("licensee", .string), ("expected", .real), ("deviation", .real),
            ("explanation", .string)
        ]
        let withStatus = findings.contains { $0.status != nil }
        if withStatus { schema.append(("status", .string)) }
        var lines = LayerData(name: "findings", fields: schema, geometryType: .lineString)
        var points = LayerData(name: "unlicensed", fields: schema, geometryType: .point)
        for f in findings {
            func real(_ x: Double?) -> FieldValue { x.map { $0.isFinite ? .real($0) : .null } ?? .null }
            var values: [FieldValue] = [
                .string(f.kind.rawValue), .string(f.severity.rawValue), .string(f.stationID), real(f.frequencyMHz), real(f.bandwidthKHz),
                real(f.levelDBuVm), f.assignmentID.map { .string($0) } ?? .null, f.licensee.map { .string($0) } ?? .null,
                real(f.expected), real(f.deviation), .string(f.explanation)
            ]
            if withStatus { values.append(f.status.map { .string($0) } ?? .null) }
            let s = Coordinate(f.stationPosition.lon, f.stationPosition.lat)
            guard s.x.isFinite, s.y.isFinite else { continue }
            if let a = f.assignmentPosition, a.lat.isFinite, a.lon.isFinite {
                lines.append(.lineString([s, Coordinate(a.lon, a.lat)]), values)
            } else {
                points.append(.point(s), values)
            }
        }
        return [st, routes, lines, points]
    }

    /// Marks each finding new or unchanged against a previous findings.csv and appends the previous ones that
    /// are gone as resolved.
    public static func compare(_ findings: [MonitoringFinding], baselineCSV path: String) throws -> [MonitoringFinding] {
        let text: String
        do { text = try InputText.read(path, kind: .records) } catch let e as InputFileError {
            throw RecordError(source: path, row: nil, column: nil, value: nil, expected: "a readable findings.csv from an earlier run (\(e.reason))")
        }
        var rows = CSV.parse(text)
        guard !rows.isEmpty else { throw RecordError(source: path, row: nil, column: nil, value: nil, expected: "a header row") }
        let header = rows.removeFirst().map { $0.lowercased() }
        for col in ["kind", "severity", "station_id", "frequency_mhz", "assignment_id", "explanation"] where !header.contains(col) {
            throw RecordError(
                source: path, row: nil, column: col, value: nil,
                expected: "a findings.csv written by tanso monitor (columns \(columns.joined(separator: ", ")))")
        }
        func col(_ r: [String], _ name: String) -> String { let i = header.firstIndex(of: name)!; return i < r.count ? r[i] : "" }
        func opt(_ r: [String], _ name: String) -> Double? { header.contains(name) ? DecimalNumber.parse(col(r, name)) : nil }
        var previous: [String: MonitoringFinding] = [:]
        for (n, r) in rows.enumerated() {
            if let s = header.firstIndex(of: "status"), s < r.count, r[s] == "resolved" { continue }
            guard let kind = MonitoringFindingKind(rawValue: col(r, "kind")) else {
                throw RecordError(
                    source: path, row: n + 1, column: "kind", value: col(r, "kind"),
                    expected: MonitoringFindingKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard let f = DecimalNumber.parse(col(r, "frequency_mhz")) else {
                throw RecordError(source: path, row: n + 1, column: "frequency_mhz", value: col(r, "frequency_mhz"), expected: "a frequency in MHz")
            }
            let a = col(r, "assignment_id"), lic = col(r, "licensee")
            let old = MonitoringFinding(
                kind: kind, severity: Severity(rawValue: col(r, "severity")) ?? .low, stationID: col(r, "station_id"), frequencyMHz: f,
                bandwidthKHz: opt(r, "bandwidth_khz"), levelDBuVm: opt(r, "level_dbuv_m"), assignmentID: a.isEmpty ? nil : a,
                licensee: lic.isEmpty ? nil : lic, expected: opt(r, "expected"), deviation: opt(r, "deviation"),
                explanation: col(r, "explanation"), stationPosition: (.nan, .nan))
            previous[old.key] = old
        }
        var out = findings.map { f -> MonitoringFinding in
            var f = f
            f.status = previous[f.key] == nil ? "new" : "unchanged"
            return f
        }
        let current = Set(findings.map(\.key))
        for (key, old) in previous where !current.contains(key) {
            var o = old
            o.status = "resolved"
            o.explanation = "resolved since the baseline: " + old.explanation
            out.append(o)
        }
        out.sort(by: MonitoringFinding.ordered)
        return out
    }
}

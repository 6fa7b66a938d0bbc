// Replacement broadcasting criteria (`tanso broadcast --criteria FILE`, `tanso channels --criteria FILE`): one CSV,
// header row, columns case-insensitive, rows of two kinds (format in data/README.md, "Broadcasting planning
// criteria"):
//   kind = minimum_field:    service, reception, field_dbuvm, sigma_db, location_pct[, source]
//   kind = protection_ratio: victim, interferer, interference (steady | tropospheric), offset_khz, ratio_db[, source]
// A minimum field replaces the default of the same service and reception (or adds one); the points of one
// victim/interferer/interference table replace that default table as a whole.
import Foundation
import Radio

public enum BroadcastTables {
    public static func load(_ path: String, base: BroadcastCriteria = .defaults) throws -> BroadcastCriteria {
        let rows = try AssignmentTables.table(path, required: ["kind"])
        var fields = base.minimumFields
        var tables: [String: ProtectionRatioTable] = [:]
        var order: [String] = []
        func text(_ row: Int, _ v: [String: String], _ column: String, _ expected: String) throws -> String {
            guard let x = v[column], !x.isEmpty else { throw RecordError(source: path, row: row, column: column, value: nil, expected: expected) }
            return x
        }
        for (row, v) in rows {
            let kind = v["kind"]?.lowercased()
            let source = v["source"] ?? "\(URL(fileURLWithPath: path).lastPathComponent) row \(row)"
            switch kind {
            case "minimum_field":
                let service = try text(row, v, "service", "a service name (broadcast_fm, broadcast_tv)").lowercased()
                let reception = try text(row, v, "reception", "a reception mode name (stereo_rural, fixed, …)").lowercased()
                let m = MinimumField(
                    service: service, reception: reception,
                    fieldDBuVm: try AssignmentTables.number(path, row, v, "field_dbuvm", -50...200, "dBµV/m")!,
                    sigmaDB: try AssignmentTables.number(path, row, v, "sigma_db", 0...30, "dB")!,
                    locationPct: try AssignmentTables.number(path, row, v, "location_pct", 1...99.9, "%")!, source: source)
                fields.removeAll { $0.service == service && $0.reception == reception }
                fields.append(m)
            case "protection_ratio":
                let victim = try text(row, v, "victim", "the victim's service (broadcast_fm, broadcast_tv)").lowercased()
                let interferer = try text(row, v, "interferer", "the interferer's system (broadcast_fm, broadcast_tv, analogue_tv)").lowercased()
                let raw = try text(row, v, "interference", "steady or tropospheric")
                guard let k = ProtectionRatioTable.Kind(rawValue: raw.lowercased()) else {
                    throw RecordError(source: path, row: row, column: "interference", value: raw, expected: "steady or tropospheric")
                }
                let point = ProtectionRatioPoint(
                    offsetKHz: try AssignmentTables.number(path, row, v, "offset_khz", 0...1_000_000, "kHz")!,
                    ratioDB: try AssignmentTables.number(path, row, v, "ratio_db", -100...100, "dB")!)
                let key = "\(victim)|\(interferer)|\(k.rawValue)"
                if tables[key] == nil {
                    tables[key] = ProtectionRatioTable(victim: victim, interferer: interferer, kind: k, points: [], source: source)
                    order.append(key)
                }
                tables[key]!.points.append(point)
            default:
                throw RecordError(source: path, row: row, column: "kind", value: v["kind"], expected: "minimum_field or protection_ratio")
            }
        }
        var protection = base.protection
        for key in order {
            let t = tables[key]!
            protection.removeAll { $0.victim == t.victim && $0.interferer == t.interferer && $0.kind == t.kind }
            protection.append(ProtectionRatioTable(victim: t.victim, interferer: t.interferer, kind: t.kind, points: t.points, source: t.source))
        }
        return BroadcastCriteria(minimumFields: fields, protection: protection)
    }
}

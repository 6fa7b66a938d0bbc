// The tables `tanso monitor` reads besides the monitoring data: frequency tolerances (replacing RR Appendix 2),
// detection settings (name,value) and a calibration of the prediction (sigma and bias per service).
// Plain CSV, header row, column names case-insensitive; formats in data/README.md ("Monitoring").
import Foundation
import Radio

public enum MonitoringTables {
    /// `service, low_mhz, high_mhz, tolerance_ppm | tolerance_hz[, source]` (exactly one of the tolerances).
    public static func loadTolerances(_ path: String) throws -> FrequencyTolerances {
        var rules: [ToleranceRule] = []
        for (row, v) in try AssignmentTables.table(path, required: ["service", "low_mhz", "high_mhz"]) {
            guard let service = v["service"]?.lowercased() else {
                throw RecordError(source: path, row: row, column: "service", value: nil, expected: "a service name or *")
            }
            let lo = try AssignmentTables.number(path, row, v, "low_mhz", 0...300_000, "MHz")!
            let hi = try AssignmentTables.number(path, row, v, "high_mhz", 0...300_000, "MHz")!
            guard hi > lo else {
                throw RecordError(source: path, row: row, column: "high_mhz", value: v["high_mhz"], expected: "a frequency above low_mhz (\(lo))")
            }
            let ppm = try AssignmentTables.number(path, row, v, "tolerance_ppm", 0...1_000_000, "ppm", optional: true)
            let hz = try AssignmentTables.number(path, row, v, "tolerance_hz", 0...1e9, "Hz", optional: true)
            guard (ppm == nil) != (hz == nil) else {
                throw RecordError(
                    source: path, row: row, column: "tolerance_ppm", value: v["tolerance_ppm"],
                    expected: "exactly one of tolerance_ppm and tolerance_hz")
            }
            rules.append(ToleranceRule(service: service, lowMHz: lo, highMHz: hi, ppm: ppm, hz: hz, source: v["source"] ?? "\(path) row \(row)"))
        }
        return FrequencyTolerances(name: URL(fileURLWithPath: path).lastPathComponent, rules: rules)
    }

    /// `name, value` rows (settings files), in file order.
    public static func loadSettings(_ path: String) throws -> [(row: Int, name: String, value: String)] {
        try AssignmentTables.table(path, required: ["name", "value"]).map { row, v in
            guard let name = v["name"]?.lowercased(), let value = v["value"] else {
                throw RecordError(source: path, row: row, column: v["name"] == nil ? "name" : "value", value: nil, expected: "a setting name and its value")
            }
            return (row, name, value)
        }
    }

    /// Calibration of the predicted level: `service` (or `*`), `sigma_db`, optional `bias_db` (measured −
    /// predicted, added to the prediction).
    public static func loadCalibration(_ path: String) throws -> [String: (sigmaDB: Double, biasDB: Double)] {
        var out: [String: (Double, Double)] = [:]
        for (row, v) in try AssignmentTables.table(path, required: ["service", "sigma_db"]) {
            guard let service = v["service"]?.lowercased() else {
                throw RecordError(source: path, row: row, column: "service", value: nil, expected: "a service name or *")
            }
            let sigma = try AssignmentTables.number(path, row, v, "sigma_db", 0.1...40, "dB")!
            let bias = try AssignmentTables.number(path, row, v, "bias_db", -60...60, "dB", optional: true) ?? 0
            out[service] = (sigma, bias)
        }
        return out
    }
}

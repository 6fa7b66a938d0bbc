// The receiver blocking levels of `tanso interference --blocking FILE`: CSV service,front_end_mhz,blocking_dbm.
import Foundation

extension AssignmentTables {
    /// Rows (service, front-end half-width MHz, blocking level dBm); front_end_mhz 0 means 10 % of the frequency.
    public static func loadBlockingLevels(_ path: String) throws -> [(service: String, frontEndMHz: Double, blockingDBm: Double)] {
        let rows = try table(path, required: ["service", "front_end_mhz", "blocking_dbm"])
        return try rows.map { row, v in
            guard let service = v["service"]?.lowercased(), !service.isEmpty else {
                throw RecordError(source: path, row: row, column: "service", value: nil, expected: "a service name")
            }
            return (
                service, try number(path, row, v, "front_end_mhz", 0...100_000, "MHz")!,
                try number(path, row, v, "blocking_dbm", -150...50, "dBm")!
            )
        }
    }
}

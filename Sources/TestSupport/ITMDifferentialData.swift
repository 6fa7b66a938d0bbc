// The ITM differential reference set kept with the code: Tests/Fixtures/propagation/itm/differential/ (see its README.md).
//
// 2,350 real-terrain profiles with the outputs of NTIA's C++ ITM 1.2.2. `paths.csv` of the shared reference set
// is stored as `paths-1.csv`, `paths-2.csv`, … (rows in id order, each part with the header) so that no file is
// over 2 MB; `load` joins them again. A missing or incomplete fixture throws: tests that read it fail, they never
// skip.
import Foundation

public enum ITMDifferentialData {
    /// Where a fixture was expected and what was wrong with it.
    public struct FixtureError: Error, CustomStringConvertible {
        public let description: String
    }

    /// One row of `paths-*.csv`: the raw fields by column name (the `tanso pathloss` column names) and the parsed
    /// numbers. Numbers are parsed exactly as written (Swift's `Double(String)` rounds correctly, like the C
    /// library NTIA's inputs went through).
    public struct Path: Sendable {
        public let id: Int
        public let fields: [String: String]
        public let frequencyMHz: Double
        public let txHeightM: Double
        public let rxHeightM: Double
        /// NTIA's `pol`: 0 horizontal, 1 vertical.
        public let polarizationCode: Int
        public let climateCode: Int
        public let n0: Double
        public let permittivity: Double
        public let conductivitySPerM: Double
        public let timePct: Double, locationPct: Double, situationPct: Double
        public let mdvar: Int
        public let spacingM: Double
        /// Terrain heights above sea level, m, transmitter first.
        public let elevationsM: [Double]
    }

    /// One row of `expected.csv`.
    public struct Expected: Sendable {
        public let id: Int
        /// NTIA's basic transmission loss A, dB (6 decimals); nil when the row is invalid.
        public let lossDB: Double?
        /// NTIA's warning bit field.
        public let warnings: UInt16
        /// 0 for success (with or without warnings), else NTIA's error code (≥ 1000).
        public let errorCode: Int
    }

    /// One row of `intermediate.csv` (rows with error code 0 only).
    public struct Intermediate: Sendable {
        public let id: Int
        public let mode: Int
        public let distanceKm: Double // 6 decimals
        public let deltaHM: Double // 4 decimals
        public let ns: Double // 4 decimals
        public let effectiveHeightTxM: Double // 4 decimals
        public let effectiveHeightRxM: Double
        public let horizonDistanceTxM: Double // 3 decimals
        public let horizonDistanceRxM: Double
        public let horizonAngleTxRad: Double // 8 decimals
        public let horizonAngleRxRad: Double
        public let arefDB: Double // 6 decimals
        public let freeSpaceDB: Double // 6 decimals
    }

    public struct ReferenceSet: Sendable {
        public let paths: [Path]
        public let expected: [Int: Expected]
        public let intermediates: [Int: Intermediate]
    }

    /// The folder `propagation/itm/differential` of the fixtures (Tests/Fixtures, or TANSO_REFERENCE_DIR).
    public static func folder(filePath: String = #filePath) -> URL {
        ReferenceData.root(filePath: filePath).appendingPathComponent("propagation/itm/differential")
    }

    /// Reads the whole set; throws when a file is missing, a row is malformed, or ids do not join.
    public static func load(filePath: String = #filePath) throws -> ReferenceSet {
        let dir = folder(filePath: filePath)
        var parts: [URL] = []
        var k = 1
        while true {
            let url = dir.appendingPathComponent("paths-\(k).csv")
            guard FileManager.default.fileExists(atPath: url.path) else { break }
            parts.append(url)
            k += 1
        }
        guard !parts.isEmpty else { throw FixtureError(description: "no \(dir.path)/paths-1.csv: the ITM differential fixture is missing") }
        var paths: [Path] = []
        for url in parts { paths += try readPaths(url) }
        let expected = try Dictionary(
            uniqueKeysWithValues: readTable(dir.appendingPathComponent("expected.csv")).map { r -> (Int, Expected) in
                let e = Expected(
                    id: try int(r, "id"), lossDB: r["loss_db"].flatMap { $0.isEmpty ? nil : Double($0) },
                    warnings: UInt16(try int(r, "warnings")), errorCode: try int(r, "error_code"))
                return (e.id, e)
            })
        let intermediates = try Dictionary(
            uniqueKeysWithValues: readTable(dir.appendingPathComponent("intermediate.csv")).map { r -> (Int, Intermediate) in
                let i = Intermediate(
                    id: try int(r, "id"), mode: try int(r, "mode"), distanceKm: try double(r, "d_km"),
                    deltaHM: try double(r, "delta_h_m"), ns: try double(r, "n_s"),
                    effectiveHeightTxM: try double(r, "h_e_tx_m"), effectiveHeightRxM: try double(r, "h_e_rx_m"),
                    horizonDistanceTxM: try double(r, "d_hzn_tx_m"), horizonDistanceRxM: try double(r, "d_hzn_rx_m"),
                    horizonAngleTxRad: try double(r, "theta_hzn_tx_rad"), horizonAngleRxRad: try double(r, "theta_hzn_rx_rad"),
                    arefDB: try double(r, "a_ref_db"), freeSpaceDB: try double(r, "a_fs_db"))
                return (i.id, i)
            })
        for p in paths where expected[p.id] == nil {
            throw FixtureError(description: "id \(p.id) of paths-*.csv has no row in expected.csv")
        }
        guard Set(paths.map(\.id)).count == paths.count else { throw FixtureError(description: "duplicate ids in paths-*.csv") }
        return ReferenceSet(paths: paths, expected: expected, intermediates: intermediates)
    }

    // MARK: - Reading

    private static func lines(_ url: URL) throws -> [Substring] {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FixtureError(description: "missing fixture \(url.path)")
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true)
    }

    private static func readTable(_ url: URL) throws -> [[String: String]] {
        var ls = try lines(url)
        guard !ls.isEmpty else { throw FixtureError(description: "empty fixture \(url.path)") }
        let header = ls.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return try ls.map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == header.count else { throw FixtureError(description: "\(url.lastPathComponent): bad row \(line.prefix(40))") }
            var row: [String: String] = [:]
            for (h, v) in zip(header, f) { row[h] = String(v) }
            return row
        }
    }

    private static func readPaths(_ url: URL) throws -> [Path] {
        var ls = try lines(url)
        guard !ls.isEmpty else { throw FixtureError(description: "empty fixture \(url.path)") }
        let header = ls.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return try ls.map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == header.count else { throw FixtureError(description: "\(url.lastPathComponent): bad row \(line.prefix(40))") }
            var row: [String: String] = [:]
            for (h, v) in zip(header, f) { row[h] = String(v) }
            let heights = try (row["elevations_m"] ?? "").split(separator: " ").map { t -> Double in
                guard let v = Double(t) else { throw FixtureError(description: "\(url.lastPathComponent): bad height \(t)") }
                return v
            }
            let pol: Int
            switch row["polarization"] {
            case "horizontal": pol = 0
            case "vertical": pol = 1
            default: throw FixtureError(description: "\(url.lastPathComponent): bad polarization \(row["polarization"] ?? "")")
            }
            return Path(
                id: try int(row, "id"), fields: row, frequencyMHz: try double(row, "frequency_mhz"),
                txHeightM: try double(row, "tx_height_m"), rxHeightM: try double(row, "rx_height_m"),
                polarizationCode: pol, climateCode: try int(row, "climate"), n0: try double(row, "n0"),
                permittivity: try double(row, "permittivity"),
                conductivitySPerM: try double(row, "conductivity_s_per_m"),
                timePct: try double(row, "time_pct"), locationPct: try double(row, "location_pct"),
                situationPct: try double(row, "situation_pct"), mdvar: try int(row, "mdvar"),
                spacingM: try double(row, "spacing_m"), elevationsM: heights)
        }
    }

    private static func double(_ r: [String: String], _ key: String) throws -> Double {
        guard let s = r[key], let v = Double(s) else { throw FixtureError(description: "column \(key): \(r[key] ?? "missing")") }
        return v
    }

    private static func int(_ r: [String: String], _ key: String) throws -> Int {
        guard let s = r[key], let v = Int(s) else { throw FixtureError(description: "column \(key): \(r[key] ?? "missing")") }
        return v
    }
}

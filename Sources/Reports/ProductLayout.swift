// The names of the product files in tanso's output folders, in one place: the writers (CoverageProducts,
// PartialResult, ComplianceProducts, …) take their file names from here, and the readers (compliance, candidates,
// merge) find the files through the folder's completion record, whose service entries were written from here.
// File names made from data (operators, technologies, target ids) are sanitised (no path separators, no "..",
// only [a-z0-9_] for operators, [A-Za-z0-9._-] for ids) and made unique case-insensitively, so that `Viettel` and
// `VIETTEL` get two rasters and an id cannot name a file outside the folder.
import Foundation
import Analysis
import Radio

public enum ProductLayout {
    /// The completion record of every output folder (written last; see OutputFolder).
    public static let record = "study.json"

    // MARK: coverage folder (tanso coverage, merge, demo)
    public static let bestSignal = "best_signal_dbm.tif"
    /// The best field strength, dB(µV/m), of a study with the field-strength metric (in place of `bestSignal`).
    public static let bestField = "best_field_dbuvm.tif"
    /// The best-value raster of a study: received power (dBm) or field strength (dBµV/m).
    public static func bestValue(fieldStrength: Bool) -> String { fieldStrength ? bestField : bestSignal }
    /// The best-value raster present in a coverage folder: the field-strength one when it is there.
    public static func bestValue(inFolder dir: String) -> String {
        FileManager.default.fileExists(atPath: dir + "/" + bestField) ? bestField : bestSignal
    }
    public static let bestServer = "best_server.tif"
    public static let bestServerIDs = "best_server_ids.csv"
    public static let serverCount = "server_count.tif"
    public static let servicesFolder = "services"
    public static let signalKMZ = "best_signal.kmz"
    public static let coverageGPKG = "coverage.gpkg"
    public static let coverageGeoJSON = "coverage.geojson"
    public static let coverageKML = "coverage.kml"
    public static let villagesCSV = "villages.csv"
    public static let uncoveredVillagesCSV = "uncovered_villages.csv"
    public static let mapPNG = "map.png"
    public static let summary = "coverage_summary.txt"
    /// The fixed names of a coverage folder (the service rasters depend on the data).
    public static let coverageFixed = [
        bestSignal, bestField, bestServer, bestServerIDs, serverCount, signalKMZ, coverageGPKG, coverageGeoJSON,
        coverageKML, villagesCSV, uncoveredVillagesCSV, mapPNG, summary
    ]

    // MARK: shard folder (tanso coverage --shard)
    public static let partialFolder = "partial"
    public static let partialManifest = "partial/manifest.json"
    public static func partial(_ name: String) -> String { partialFolder + "/" + name }
    public static func partialService(_ index: Int) -> String { "\(partialFolder)/\(servicesFolder)/\(index).tif" }

    // MARK: compliance folder
    public static let complianceFixed = [
        "villages.csv", "uncovered_villages.csv", "zones.csv", "units.csv", "targets.csv", "changes.csv",
        "compliance.gpkg", "report.html"
    ]
    // MARK: candidates, share-check, conflicts folders
    public static let candidatesFixed = ["candidates.csv", "candidate_villages.csv", "candidates.gpkg"]
    public static let shareCheckFixed = ["result.json", "map.png", "report.html"]
    public static let conflictsFixed = ["conflicts.csv", "conflicts.gpkg"]

    /// The service rasters of a set of services: `services/signal_<operator>_<tech>.tif`, unique case-insensitively.
    public struct Services: Sendable {
        /// Sorted services and, for each, its operator slug (unique with its technology) and raster path.
        public let keys: [ServiceKey]
        public let slugs: [ServiceKey: String]

        public init<S: Sequence>(_ keys: S) where S.Element == ServiceKey {
            self.keys = Array(Set(keys)).sorted()
            var slugs: [ServiceKey: String] = [:]
            var used: Set<String> = []
            for k in self.keys {
                let base = ProductLayout.slug(k.operatorName)
                var s = base, n = 2
                // Unique as "<slug>_<tech>" compared case-insensitively (Viettel, VIETTEL → viettel, viettel_2).
                while used.contains("\(s)_\(k.technology.rawValue)".lowercased()) { s = "\(base)_\(n)"; n += 1 }
                used.insert("\(s)_\(k.technology.rawValue)".lowercased())
                slugs[k] = s
            }
            self.slugs = slugs
        }

        public func slug(_ key: ServiceKey) -> String { slugs[key] ?? ProductLayout.slug(key.operatorName) }
        /// `services/signal_<slug>_<tech>.tif`
        public func raster(_ key: ServiceKey) -> String { "\(servicesFolder)/signal_\(slug(key))_\(key.technology.rawValue).tif" }
        /// Column stem `<slug>_<tech>` for tables.
        public func column(_ key: ServiceKey) -> String { "\(slug(key))_\(key.technology.rawValue)" }
    }

    /// An operator name as a file-name and column stem: lower case ASCII letters and digits, diacritics folded
    /// (Đ → d), everything else `_`; at most 48 characters; never empty.
    public static func slug(_ s: String) -> String {
        let folded = s.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
        var out = String(
            folded.unicodeScalars.map { c -> Character in
                (c >= "a" && c <= "z") || (c >= "0" && c <= "9") ? Character(c) : "_"
            })
        if out.count > 48 { out = String(out.prefix(48)) }
        return out.isEmpty ? "_" : out
    }

    /// An id (target id, proposal id) as one file-name component: [A-Za-z0-9._-] kept, everything else `_`, no
    /// leading dot, at most 64 characters.
    public static func safeComponent(_ s: String) -> String {
        var out = String(
            s.unicodeScalars.map { c -> Character in
                (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-" || c == "_" || c == "." ? Character(c) : "_"
            })
        while out.hasPrefix(".") { out = "_" + out.dropFirst() }
        if out.count > 64 { out = String(out.prefix(64)) }
        return out.isEmpty ? "_" : out
    }

    /// Names `prefix<id>suffix` for `ids` in order, sanitised and unique case-insensitively (`_2`, `_3`, … added).
    public static func uniqueNames(_ ids: [String], prefix: String, suffix: String) -> [String] {
        var used: Set<String> = [], names: [String] = []
        for id in ids {
            let base = safeComponent(id)
            var s = base, n = 2
            while used.contains((prefix + s + suffix).lowercased()) { s = "\(base)_\(n)"; n += 1 }
            used.insert((prefix + s + suffix).lowercased())
            names.append(prefix + s + suffix)
        }
        return names
    }

    /// Compliance maps: `map_<target id>.png`, one per target in order.
    public static func complianceMaps(targetIDs: [String]) -> [String] { uniqueNames(targetIDs, prefix: "map_", suffix: ".png") }

    /// True when `path` is a plain relative path inside a folder: no leading "/", no empty, "." or ".." component.
    public static func isConfined(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}

// What `--record` writes into the register besides the run's findings: the run's inputs with their SHA-256, the
// coverage rasters kept as COG files beside the register (referenced by relative path and SHA-256), and the
// uncovered villages and commune figures of a compliance run.
import Analysis
import Foundation
import Geo
import Radio
import Records
import Reports
import Store

enum StoreRecording {
    /// The inputs as JSON (role, path as given, SHA-256 of files) for the run record. A PostgreSQL register is
    /// never among them (its connection string is not a path).
    static func inputsJSON(_ inputs: [(role: String, path: String?)]) throws -> String {
        let entries = try inputs.compactMap { i in try i.path.map { try RunRecord.input(role: i.role, path: $0) } }
        return try json(entries)
    }

    /// The inputs of an output folder's study.json, as JSON.
    static func inputsJSON(folder: String) throws -> String {
        struct Listed: Decodable { var inputs: [RunRecord.Input] }
        let data = try Data(contentsOf: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("study.json")))
        return try json(try JSONDecoder().decode(Listed.self, from: data).inputs)
    }

    private static func json(_ inputs: [RunRecord.Input]) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try enc.encode(inputs.map { ["role": $0.role, "path": $0.path, "sha256": $0.sha256 ?? ""] }), as: UTF8.self)
    }

    /// The folder where a register keeps run rasters: `--rasters DIR` if given, else beside a GeoPackage register
    /// (register.gpkg → register.rasters/). Returns it with the prefix of the references recorded (relative to
    /// the register's folder for a GeoPackage; to DIR otherwise).
    static func rasterHome(for store: Store, given: String?) throws -> (folder: String, prefix: String) {
        if let given { return (given, "") }
        guard let gpkg = store.geoPackagePath else {
            throw UsageError(
                message: "--record on a PostgreSQL register needs --rasters DIR (the folder where the run's COG rasters are kept)", command: "coverage")
        }
        let name = ((gpkg as NSString).lastPathComponent as NSString).deletingPathExtension + ".rasters"
        return (((gpkg as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name), name + "/")
    }

    /// Copies the COG rasters of a coverage output folder (best signal, and one per operator and technology) into a
    /// new folder of the raster home, checking each copy's SHA-256 against the folder's record.
    static func keepRasters(
        of output: String, for store: Store, in given: String?, at: String
    ) throws -> (
        rasters: [StoredRaster], folder: String, reference: String
    ) {
        let record = try ProductFolder.verify(output)
        let tifs = record.products.filter { $0.path.hasSuffix(".tif") && ($0.path == "best_signal_dbm.tif" || $0.path.hasPrefix("services/")) }
        guard !tifs.isEmpty else { throw InputError("\(output): the run wrote no best_signal_dbm.tif to keep in the register") }
        let home = try rasterHome(for: store, given: given)
        let run = "coverage-" + at.filter { $0.isNumber || $0 == "T" } + "-" + UUID().uuidString.prefix(8).lowercased()
        let folder = (home.folder as NSString).appendingPathComponent(run)
        let fm = FileManager.default
        var kept: [StoredRaster] = []
        do {
            for p in tifs {
                let target = (folder as NSString).appendingPathComponent(p.path)
                try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try fm.copyItem(atPath: (output as NSString).appendingPathComponent(p.path), toPath: target)
                let sum = try SHA256.hex(ofFile: target)
                guard sum == p.sha256 else { throw InputError("\(target): its SHA-256 differs from the run record's: the copy is damaged") }
                kept.append(StoredRaster(name: p.path, path: home.prefix + run + "/" + p.path, sha256: sum, bytes: p.bytes))
            }
        } catch {
            try? fm.removeItem(atPath: folder)
            throw error
        }
        return (kept, folder, home.prefix + run)
    }

    /// Records a compliance run (`tanso compliance --db DB --record`): per technology of the run, the villages
    /// no operator covers, as findings `uncovered_<tech>` (subject: the village id); per commune and technology,
    /// population and covered population (published_coverage). Returns the line printed.
    static func recordCompliance(_ r: ComplianceResult, output: String, in store: Store, command: [String]) throws -> String {
        let technologies = Set(r.keys.map(\.technology)).sorted()
        var uncovered: [StoreFinding] = []
        for tech in technologies {
            for v in r.villages where !v.covered(by: [tech], keys: r.keys) {
                let detail = "\(v.village.name), \(v.village.commune), \(v.village.district): population \(v.village.population)"
                uncovered.append(
                    StoreFinding(kind: "uncovered_\(tech.rawValue)", subject: v.village.id, operatorName: nil, severity: nil, detail: detail))
            }
        }
        var figures: [CoverageFigure] = []
        for u in r.units(.commune) {
            for tech in technologies {
                figures.append(
                    CoverageFigure(
                        district: u.parent, commune: u.name, operatorName: "all", technology: tech.rawValue, population: u.population,
                        coveredPopulation: u.populationCovered[tech] ?? 0))
            }
        }
        let c = try store.recordCompliance(
            command: command, inputs: try inputsJSON(folder: output), uncovered: uncovered, figures: figures, at: StoreTime.now)
        return
            "recorded in \(store.label): uncovered villages per technology (\(technologies.map(\.rawValue).joined(separator: ", "))): \(c.new) new, \(c.resolved) resolved, \(c.unchanged) still uncovered; \(figures.count) commune figures (published_coverage)"
    }
}

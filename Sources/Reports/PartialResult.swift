// Scale-out: a shard computes a deterministic subset of the transmitters (`--shard I/N`: the transmitters are split
// into N sets of about equal estimated cost, see `indices(shard:of:costs:)`) and writes its composite layers as a
// partial result; `merge` combines the partials into the layers a single run would have computed, bit for bit:
//   best signal  = the maximum over shards; best server = the server of that maximum, the lowest transmitter index
//                  on ties (a single run visits transmitters in input order and keeps the first maximum);
//   server count = the sum; per-service best = the maximum (a service's transmitters may span shards).
// Partial layers are Float32 GeoTIFFs (server indices and counts are exact in Float32 up to 2^24).
import Foundation
import Analysis
import Geo
import Radio
import Records

public enum PartialResult {
    struct ServiceFile: Codable { var operatorName: String; var technology: String; var file: String }
    struct Manifest: Codable {
        var services: [ServiceFile]
        var hasGround: Bool
        var diagnostics: CoverageEngine.Diagnostics
        var transmitterCount: Int
        var seconds: Double
    }

    /// Nodata of the partial ground-height raster (no real ground is 32,767 m below the geoid).
    static let groundNodata: Float = -32_767

    /// The transmitter indices of shard `index` (1-based) of `count`, in ascending order, balanced by cost.
    ///
    /// Rule (longest processing time first, deterministic): transmitters are taken by decreasing cost, ties by
    /// input index, and each goes to the shard whose total cost is smallest so far, ties to the lowest shard. The
    /// largest shard then exceeds the mean by at most one transmitter's cost. The same costs give the same split on
    /// every machine; `costs[i]` is transmitter i's estimate (e.g. `CoverageStudy.estimatedCells`).
    public static func indices(shard index: Int, of count: Int, costs: [Double]) -> [Int] {
        partition(costs: costs, into: count)[index - 1]
    }

    /// Every shard's transmitter indices (ascending within a shard), by the rule of `indices(shard:of:costs:)`.
    public static func partition(costs: [Double], into count: Int) -> [[Int]] {
        precondition(count >= 1)
        let order = costs.indices.sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
        var load = [Double](repeating: 0, count: count)
        var shards = [[Int]](repeating: [], count: count)
        for i in order {
            var target = 0
            for s in 1..<count where load[s] < load[target] { target = s }
            load[target] += costs[i]
            shards[target].append(i)
        }
        return shards.map { $0.sorted() }
    }

    /// Writes the layers of `result` (computed for `globalIndices` of the full list) into `directory`/partial (the
    /// run record, study.json, is the output folder's completion record: see OutputTransaction).
    public static func write(_ result: CoverageResult, globalIndices: [Int], transmitterCount: Int, to directory: String) throws {
        let root = URL(fileURLWithPath: directory)
        let dir = root.appendingPathComponent(ProductLayout.partialFolder)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(ProductLayout.servicesFolder), withIntermediateDirectories: true)
        let spec = result.spec
        func write(_ values: [Float], _ name: String, nodata: Float?) throws {
            try spec.grid(values: values, nodata: nodata).write(to: root.appendingPathComponent(ProductLayout.partial(name)).path, format: .geoTIFF)
        }
        try write(result.bestSignalDBm, "best_signal_dbm.tif", nodata: CoverageResult.nodata)
        try write(result.bestServer.map { $0 < 0 ? -1 : Float(globalIndices[Int($0)]) }, "best_server.tif", nodata: -1)
        try write(result.serverCount.map { Float($0) }, "server_count.tif", nodata: nil)
        var services: [ServiceFile] = []
        for (i, (key, layer)) in result.serviceDBm.sorted(by: { $0.key < $1.key }).enumerated() {
            let file = "\(ProductLayout.servicesFolder)/\(i).tif"
            try write(layer, file, nodata: CoverageResult.nodata)
            services.append(ServiceFile(operatorName: key.operatorName, technology: key.technology.rawValue, file: file))
        }
        // Ground heights are NaN where the DEM has none; a product never holds NaN, so those cells carry the
        // nodata value in the file and become NaN again when merged.
        if let g = result.groundM {
            try write(g.map { $0.isNaN ? Self.groundNodata : $0 }, "ground_m.tif", nodata: Self.groundNodata)
        }
        let manifest = Manifest(
            services: services, hasGround: result.groundM != nil, diagnostics: result.diagnostics,
            transmitterCount: transmitterCount, seconds: result.seconds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(manifest).write(to: root.appendingPathComponent(ProductLayout.partialManifest), options: .atomic)
    }

    public struct MergeError: Error, CustomStringConvertible {
        public let description: String
        init(_ d: String) { description = d }
    }

    /// Reads the partial results in `directories` (one per shard, in any order), checks that they belong to one
    /// study (same study, grid, inputs, shard count, every shard exactly once) and combines them. `transmitters`
    /// is the full list, as loaded from the record's transmitters input.
    public static func merge(_ directories: [String], transmitters: [Transmitter]) throws -> (CoverageResult, RunRecord) {
        guard !directories.isEmpty else { throw MergeError("no partial results given") }
        var records: [RunRecord] = []
        for d in directories {
            let path = URL(fileURLWithPath: d).appendingPathComponent(ProductLayout.record).path
            guard FileManager.default.fileExists(atPath: path) else { throw MergeError("\(d): no study.json (not a shard output of tanso coverage --shard)") }
            // Every part must be complete and as its run wrote it.
            do { try ProductFolder.verify(d) } catch { throw MergeError(String(describing: error)) }
            let r = try RunRecord.read(path)
            guard r.shard != nil else { throw MergeError("\(d): its study.json is not a shard's (no shard field)") }
            records.append(r)
        }
        let first = records[0]
        let count = first.shard!.count
        for (d, r) in zip(directories, records) {
            guard r.study == first.study else { throw MergeError("\(d): a different study from \(directories[0])") }
            guard r.grid == first.grid else { throw MergeError("\(d): a different grid from \(directories[0])") }
            guard r.shard!.count == count else { throw MergeError("\(d): shard \(r.shard!.index)/\(r.shard!.count), expected …/\(count)") }
            guard r.inputs.map(\.sha256) == first.inputs.map(\.sha256) else {
                throw MergeError("\(d): computed from different input files than \(directories[0]) (checksums differ)")
            }
        }
        let seen = records.map { $0.shard!.index }.sorted()
        guard seen == Array(1...count) else {
            let missing = Set(1...count).subtracting(seen).sorted()
            throw MergeError(
                "shards of \(count): " + (missing.isEmpty ? "some given twice (\(seen))" : "missing \(missing.map(String.init).joined(separator: ", "))"))
        }
        let spec = try GridSpec.utm(
            west: first.study.west, south: first.study.south, east: first.study.east,
            north: first.study.north, resolutionM: first.study.resolutionM)
        let n = spec.cellCount
        var best = [Float](repeating: CoverageResult.nodata, count: n)
        var server = [Int32](repeating: -1, count: n)
        var serverCount = [UInt16](repeating: 0, count: n)
        var services: [ServiceKey: [Float]] = [:]
        var ground: [Float]? = nil
        var diagnostics = CoverageEngine.Diagnostics()
        var seconds = 0.0
        func read(_ dir: URL, _ name: String) throws -> [Float] {
            let ds = try RasterDataset(path: dir.appendingPathComponent(name).path)
            guard ds.width == spec.width, ds.height == spec.height else {
                throw MergeError("\(dir.path)/\(name): \(ds.width)×\(ds.height), expected \(spec.width)×\(spec.height)")
            }
            return try ds.read()
        }
        for d in directories {
            let dir = URL(fileURLWithPath: d).appendingPathComponent(ProductLayout.partialFolder)
            let manifest = try JSONDecoder().decode(
                Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: d).appendingPathComponent(ProductLayout.partialManifest)))
            guard manifest.transmitterCount == transmitters.count else {
                throw MergeError("\(d): computed for \(manifest.transmitterCount) transmitters, the transmitters file has \(transmitters.count)")
            }
            let b = try read(dir, "best_signal_dbm.tif"), s = try read(dir, "best_server.tif"), c = try read(dir, "server_count.tif")
            for i in 0..<n {
                let v = b[i]
                if v != CoverageResult.nodata {
                    let idx = Int32(s[i])
                    if v > best[i] || (v == best[i] && idx < server[i]) { best[i] = v; server[i] = idx }
                }
                serverCount[i] &+= UInt16(c[i])
            }
            for f in manifest.services {
                guard ProductLayout.isConfined(f.file) else { throw MergeError("\(d): manifest names a file outside the folder: \(f.file)") }
                guard let tech = Technology(parsing: f.technology) else { throw MergeError("\(d): unknown technology \(f.technology)") }
                let key = ServiceKey(f.operatorName, tech)
                let layer = try read(dir, f.file)
                if var acc = services[key] {
                    for i in 0..<n where layer[i] > acc[i] { acc[i] = layer[i] }
                    services[key] = acc
                } else {
                    services[key] = layer
                }
            }
            if ground == nil, manifest.hasGround {
                ground = try read(dir, "ground_m.tif").map { $0 == Self.groundNodata ? .nan : $0 }
            }
            seconds += manifest.seconds
            diagnostics.cellsWithoutTerrain += manifest.diagnostics.cellsWithoutTerrain
            diagnostics.cellsRejectedByModel += manifest.diagnostics.cellsRejectedByModel
            diagnostics.profilesComputed += manifest.diagnostics.profilesComputed
            if diagnostics.firstModelError == nil { diagnostics.firstModelError = manifest.diagnostics.firstModelError }
        }
        let result = CoverageResult(
            spec: spec, transmitters: transmitters, bestSignalDBm: best, bestServer: server,
            serverCount: serverCount, serviceDBm: services, groundM: ground, study: first.study,
            seconds: seconds, diagnostics: diagnostics)
        var record = first
        record.shard = nil
        record.run = nil
        record.products = nil
        return (result, record)
    }
}

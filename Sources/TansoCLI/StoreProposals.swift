// Tower-sharing proposals in the register (`tanso store import --proposals`, `tanso share-check --db DB --proposal
// ID`): one row per proposal, owned by its operator (row-level security on PostgreSQL, as transmitters and
// assignments), the proposal's JSON kept whole in `details`.
import Analysis
import Foundation
import Store

enum StoreProposals {
    /// The register rows of proposal files (each checked as share-check reads it); ids must be unique.
    static func rows(_ paths: [String]) throws -> [StoreRow] {
        var rows: [StoreRow] = [], seen: [String: String] = [:]
        for path in paths {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw InputError("\(path): cannot read the proposal file") }
            let p = try SharingProposal.decode(data, source: path)
            let id = p.name(fallback: ((path as NSString).lastPathComponent as NSString).deletingPathExtension)
            if let other = seen[id] { throw InputError("\(path): proposal id '\(id)' is also the id of \(other)") }
            seen[id] = path
            var r: StoreRow = [
                "id": id, "operator": p.operatorName, "kind": p.kind.rawValue, "details": String(decoding: data, as: UTF8.self)
            ]
            r["site_id"] = p.kind == .coLocation ? p.hostSiteID : p.siteID
            r["latitude"] = p.latitude.flatMap { $0.isFinite ? "\($0)" : nil }
            r["longitude"] = p.longitude.flatMap { $0.isFinite ? "\($0)" : nil }
            rows.append(r)
        }
        return rows
    }

    /// The proposal of `--proposal`: a file, or with --db the id of a current proposal the user may read (an
    /// operator on PostgreSQL sees only its own). Returns it with its file (nil when it came from the register).
    static func load(_ value: String, store: Store?) throws -> (SharingProposal, String?) {
        if FileManager.default.fileExists(atPath: value) || store == nil { return (try SharingProposal.load(path: value), value) }
        let rows = try store!.proposals().filter { $0["id"] == value }
        guard let row = rows.first, let details = row["details"] else {
            throw InputError("\(store!.label): no proposal '\(value)' (neither a file nor the id of a current proposal you may read)")
        }
        return (try SharingProposal.decode(Data(details.utf8), source: "\(store!.label), proposal '\(value)'"), nil)
    }
}

// The demo's complaint step: the two sample complaints of DATA/complaints/complaints.csv, each the command a user runs.
// The first (victim_station given) through `tanso interference`; the one with a measurement file through `tanso locate`
// with ITM over the demo's DEM on a 200 m grid around the drive.
import Foundation
import Radio
import Records

enum ComplaintDemo {
    /// Runs the sample complaints; products in OUTPUT/complaints/<id>/.
    static func run(data: String, output: String, dem: String) throws {
        let folder = (data as NSString).appendingPathComponent("complaints")
        let table = (folder as NSString).appendingPathComponent("complaints.csv")
        let text = try InputText.read(table, kind: .records)
        var rows = CSV.parse(text)
        guard !rows.isEmpty else { throw InputError("\(table): empty, expected the sample complaints") }
        let header = rows.removeFirst()
        for row in rows where row.count == header.count {
            var v: [String: String] = [:]
            for (k, name) in header.enumerated() { v[name] = row[k] }
            guard let id = v["id"], let lat = v["latitude"], let lon = v["longitude"], let f = v["frequency_mhz"] else { continue }
            let out = ((output as NSString).appendingPathComponent("complaints") as NSString).appendingPathComponent(id)
            if let drive = v["measurements"], !drive.isEmpty {
                print("  \(id): \(v["description"] ?? "")\n  → tanso locate --measurements \((folder as NSString).appendingPathComponent(drive)) --dem \(dem)")
                _ = try LocateCommand.run([
                    "--measurements", (folder as NSString).appendingPathComponent(drive), "--frequency-mhz", f, "--dem", dem, "--model", "itm",
                    "--resolution-m", "200", "--heights-m", "15", "--assignments", (data as NSString).appendingPathComponent("assignments.csv"),
                    "--output", out
                ])
            } else {
                print("  \(id): \(v["description"] ?? "")\n  → tanso interference --victim \(lat),\(lon) --frequency-mhz \(f)")
                _ = try InterferenceCommand.run(
                    [
                        "--victim", "\(lat),\(lon)", "--frequency-mhz", f, "--bandwidth-khz", v["bandwidth_khz"] ?? "12.5", "--service",
                        v["service"] ?? "other", "--rx-height-m", v["rx_height_m"] ?? "10", "--assignments",
                        (data as NSString).appendingPathComponent("assignments.csv"), "--title", "Complaint \(id)", "--output", out
                    ] + ((v["victim_station"] ?? "").isEmpty ? [] : ["--victim-station", v["victim_station"]!]))
            }
        }
    }
}

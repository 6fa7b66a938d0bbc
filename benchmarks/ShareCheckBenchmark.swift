// tanso share-check on the sample province: a single-sector co-location (MobiFone 4G 1800 MHz on Viettel's VT-S005)
// checked against data/transmitters.csv, data/assignments.csv and data/villages.csv — the six checks, coverage
// before/after over ±10 km at 100 m included, and the products (JSON, map, HTML) written. Target ≤ 10 s.
// Two runs: Hata without terrain (the command's default) and Hata over the sample DEM (3″: antenna angles and the
// map's hillshade); best of 3 each.
import Foundation
import Analysis
import Records
import Reports
import Terrain
import TansoCLI

func runShareCheckBenchmark() throws -> [(name: String, value: Double, unit: String)] {
    var report = LoadReport()
    let transmitters = try TransmitterLoader.load("data/transmitters.csv", report: &report)
    let assignments = try AssignmentLoader.load("data/assignments.csv", report: &report)
    let villages = try VillageLoader.load("data/villages.csv", report: &report)
    var p = SharingProposal(
        id: "BENCH", operatorName: "MobiFone", kind: .coLocation,
        transmitters: [
            SharingProposal.TransmitterSpec(
                id: "MF-BENCH-1", technology: "4G", antennaHeightM: 36, frequencyMHz: 1862.5, bandwidthMHz: 15,
                eirpDBm: 60, azimuthDeg: 30, mechanicalTiltDeg: 2, electricalTiltDeg: 4)
        ])
    p.hostSiteID = "VT-S005"
    let dem = try ElevationModel(grid: SampleProvince.dem(arcSeconds: 3))
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-share-bench-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: out) }
    var figures: [(name: String, value: Double, unit: String)] = []
    for (label, d) in [("hata", nil), ("hata_dem", dem)] as [(String, ElevationModel?)] {
        var times: [Double] = []
        var verdict = ""
        for _ in 0..<3 {
            let t0 = Date()
            let r = try SharingCheck.run(p, proposalID: "BENCH", transmitters: transmitters, assignments: assignments, villages: villages, dem: d)
            try SharingReport.write(r, to: out.path, inputs: [])
            times.append(Date().timeIntervalSince(t0))
            verdict = r.verdict.rawValue
        }
        print(
            "share-check (\(label)): one sector on VT-S005, \(transmitters.count) transmitters, \(assignments.count) assignments, \(villages.count) villages: best of 3 \(String(format: "%.2f", times.min()!)) s, verdict \(verdict)"
        )
        figures.append((name: "share_check_single_sector_\(label)_s", value: times.min()!, unit: "s"))
    }
    return figures
}

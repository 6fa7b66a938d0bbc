// The sample monitoring data of the sample province (data/monitoring/, written by `tanso sample`): two fixed
// stations and one mobile route measuring the FM and VHF land-mobile assignments of data/assignments.csv, with
// planted violations of each kind among honest emissions, and a small sweep file of the FM band at one fixed
// station. Deterministic (seed below). Honest emissions are generated from the levels the simple model predicts
// (the model `tanso monitor` uses without a DEM): within tolerance in frequency (≤ 30 %), bandwidth (80–95 % of
// the necessary one) and level (within ±1 σ). planted.csv lists what was planted.
import Foundation
import Analysis
import Radio
import Records

enum SampleMonitoring {
    static let seed: UInt64 = 20_261_204

    struct Station { var id: String; var positions: [(lat: Double, lon: Double)]; var heightM: Double }

    static let fixedBH = Station(id: "MON-BH", positions: [(10.9400, 106.8650)], heightM: 10)
    static let fixedLK = Station(id: "MON-LK", positions: [(10.9300, 107.0600)], heightM: 10)
    /// A van from Biên Hòa towards Long Khánh along QL1 (2 m antenna).
    static let route = Station(id: "MON-VAN", positions: routePositions(), heightM: 2)

    static func routePositions() -> [(lat: Double, lon: Double)] {
        var out: [(lat: Double, lon: Double)] = []
        for k in 0..<8 {
            let x = Double(k)
            out.append((10.950 - 0.002 * x, 106.880 + 0.025 * x))
        }
        return out
    }

    /// What is planted: kind, station, frequency, assignment (empty for unlicensed), note.
    struct Plant { var kind: String; var station: String; var frequencyMHz: Double; var assignment: String; var note: String }

    static let emissionColumns = [
        "station_id", "latitude", "longitude", "antenna_height_m", "timestamp", "frequency_mhz", "bandwidth_khz", "bandwidth_method",
        "level_dbuv_m", "frequency_uncertainty_hz", "level_uncertainty_db"
    ]

    /// Writes emissions.csv, sweeps.csv and planted.csv into `directory` (its `monitoring` folder), from the
    /// assignments file. Returns the names written.
    static func write(to directory: String, assignmentsPath: String) throws -> [String] {
        var report = LoadReport()
        let assignments = try AssignmentLoader.load(assignmentsPath, report: &report)
        let folder = (directory as NSString).appendingPathComponent("monitoring")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let (rows, plants) = emissions(assignments)
        try CSV.write(header: emissionColumns, rows: rows, to: (folder as NSString).appendingPathComponent("emissions.csv"))
        let (sweepText, sweepPlants) = sweeps(assignments)
        try sweepText.write(toFile: (folder as NSString).appendingPathComponent("sweeps.csv"), atomically: true, encoding: .utf8)
        try CSV.write(
            header: ["source", "kind", "station_id", "frequency_mhz", "assignment_id", "note"],
            rows: plants.map { ["emissions.csv", $0.kind, $0.station, String(format: "%.4f", $0.frequencyMHz), $0.assignment, $0.note] }
                + sweepPlants.map { ["sweeps.csv", $0.kind, $0.station, String(format: "%.4f", $0.frequencyMHz), $0.assignment, $0.note] },
            to: (folder as NSString).appendingPathComponent("planted.csv"))
        return ["monitoring/emissions.csv", "monitoring/sweeps.csv", "monitoring/planted.csv"]
    }

    static func measured(_ a: Assignment) -> Bool { a.service == "broadcast_fm" || a.service == "land_mobile" }

    static func emissions(_ assignments: [Assignment]) -> ([[String]], [Plant]) {
        var rng = SplitMix64(seed: seed)
        let model = MonitoringCorrelation()
        var rows: [[String]] = [], plants: [Plant] = []
        func row(_ s: Station, _ p: (lat: Double, lon: Double), _ time: String, f: Double, bw: Double, level: Double) {
            rows.append([
                s.id, String(format: "%.6f", p.lat), String(format: "%.6f", p.lon), String(format: "%.1f", s.heightM), time, String(format: "%.6f", f),
                String(format: "%.2f", bw), "99%", String(format: "%.1f", level), "100", "2.0"
            ])
        }
        // Violations planted on licensed stations: station → assignment → how the emission departs from it.
        enum Departure { case offsetKHz(Double), bandwidthKHz(Double), levelDB(Double), silent }
        let departures: [String: [String: Departure]] = [
            fixedBH.id: ["PMR-02": .offsetKHz(4.5), "FM-01": .bandwidthKHz(290), "PMR-03": .silent],
            fixedLK.id: ["FM-02": .offsetKHz(12)],
            route.id: ["FM-03": .levelDB(30)]
        ]
        for (s, times) in [(fixedBH, ["2026-11-02T09:00:00+07:00", "2026-11-02T15:00:00+07:00"]), (fixedLK, ["2026-11-03T10:00:00+07:00"]), (route, [""])] {
            for (k, p) in s.positions.enumerated() {
                let time = s.id == route.id ? String(format: "2026-11-04T08:%02d:00+07:00", 5 * k) : ""
                for t in (s.id == route.id ? [time] : times) {
                    // Strongest receivable assignment per channel (co-channel stations are heard as one).
                    var heard: [Channel: (Assignment, Double)] = [:]
                    for a in assignments where measured(a) {
                        let e = model.predictedDBuVm(a, latitude: p.lat, longitude: p.lon, heightM: s.heightM).level
                        guard e >= model.settings.detectionThresholdDBuVm else { continue }
                        if heard[a.tx].map({ e > $0.1 }) ?? true { heard[a.tx] = (a, e) }
                    }
                    for (ch, (a, e)) in heard.sorted(by: { $0.key.centreMHz < $1.key.centreMHz }) {
                        let tol = model.toleranceHz(a) / 1e6
                        var f = ch.centreMHz + tol * rng.uniform(-0.3, 0.3)
                        var bw = model.necessaryBandwidthKHz(a) * rng.uniform(0.80, 0.95)
                        var level = e + model.settings.sigmaDB * rng.uniform(-1, 1)
                        switch departures[s.id]?[a.id] {
                        case .offsetKHz(let d)?:
                            f = ch.centreMHz + d / 1000
                            if k == 0 && t == times.first || s.id == route.id {
                                plants.append(Plant(kind: "off_frequency", station: s.id, frequencyMHz: f, assignment: a.id, note: "\(d) kHz off"))
                            }
                        case .bandwidthKHz(let b)?:
                            bw = b
                            if t == times.first {
                                plants.append(Plant(kind: "excess_bandwidth", station: s.id, frequencyMHz: f, assignment: a.id, note: "\(b) kHz wide"))
                            }
                        case .levelDB(let d)? where k == 3:
                            level = e + d
                            plants.append(Plant(kind: "over_level", station: s.id, frequencyMHz: f, assignment: a.id, note: "\(d) dB above the prediction"))
                        case .silent?:
                            if t == times.first {
                                plants.append(Plant(kind: "not_heard", station: s.id, frequencyMHz: ch.centreMHz, assignment: a.id, note: "off the air"))
                            }
                            continue
                        default: break
                        }
                        row(s, p, t, f: f, bw: bw, level: level)
                    }
                }
            }
        }
        // Unlicensed: an FM pirate heard by the Biên Hòa station and the van, a narrowband carrier at Long Khánh.
        let pirate = 104.3
        for t in ["2026-11-02T09:00:00+07:00", "2026-11-02T15:00:00+07:00"] { row(fixedBH, fixedBH.positions[0], t, f: pirate, bw: 180, level: 63) }
        plants.append(Plant(kind: "unlicensed", station: fixedBH.id, frequencyMHz: pirate, assignment: "", note: "FM pirate"))
        row(route, route.positions[1], "2026-11-04T08:05:00+07:00", f: pirate, bw: 175, level: 58)
        plants.append(Plant(kind: "unlicensed", station: route.id, frequencyMHz: pirate, assignment: "", note: "FM pirate"))
        row(fixedLK, fixedLK.positions[0], "2026-11-03T10:00:00+07:00", f: 162.0, bw: 11, level: 41)
        plants.append(Plant(kind: "unlicensed", station: fixedLK.id, frequencyMHz: 162.0, assignment: "", note: "unlicensed VHF carrier"))
        return (rows, plants)
    }

    /// Sweeps of MON-BH over 97–104 MHz at 25 kHz, 40 sweeps a minute apart: noise around 8 dBµV/m, the FM
    /// stations in range with a Gaussian spectrum (99 % bandwidth ≈ 110 kHz), FM-04 planted 50 kHz off its
    /// frequency, and an unlicensed carrier at 100.6 MHz (400 kHz from any FM assignment) on the air in 60 % of the sweeps.
    static func sweeps(_ assignments: [Assignment]) -> (String, [Plant]) {
        var rng = SplitMix64(seed: seed &+ 1)
        let model = MonitoringCorrelation()
        let s = fixedBH, p = s.positions[0]
        let grid = (0...280).map { 97.0 + 0.025 * Double($0) }
        var carriers: [(f: Double, level: Double, duty: Double)] = []
        var plants: [Plant] = []
        var strongest: [Channel: (Assignment, Double)] = [:]
        for a in assignments where a.service == "broadcast_fm" && a.tx.centreMHz > 97 && a.tx.centreMHz < 104 {
            let e = model.predictedDBuVm(a, latitude: p.lat, longitude: p.lon, heightM: s.heightM).level
            if strongest[a.tx].map({ e > $0.1 }) ?? true { strongest[a.tx] = (a, e) }
        }
        // Only what the station can receive goes on the air in the sweeps (a carrier below the detection threshold
        // would be an emission no assignment explains).
        for (ch, (a, e)) in strongest.sorted(by: { $0.key.centreMHz < $1.key.centreMHz }) where e >= MonitoringSettings().detectionThresholdDBuVm {
            var f = ch.centreMHz
            if a.id == "FM-04" {
                f += 0.050
                plants.append(Plant(kind: "off_frequency", station: s.id, frequencyMHz: f, assignment: a.id, note: "50 kHz off, in the sweeps"))
            }
            carriers.append((f, e, 1))
        }
        carriers.append((100.6, 45, 0.6))
        plants.append(Plant(kind: "unlicensed", station: s.id, frequencyMHz: 100.6, assignment: "", note: "on the air 60 % of the time"))
        var out = "station_id,latitude,longitude,antenna_height_m,timestamp,frequency_mhz,level_dbuv_m\n"
        for k in 0..<40 {
            let time = String(format: "2026-11-02T10:%02d:00+07:00", k)
            let on = carriers.map { $0.duty >= 1 || rng.uniform() < $0.duty }
            for f in grid {
                var power = pow(10, (8 + 2 * rng.normal()) / 10)
                for (c, isOn) in zip(carriers, on) where isOn {
                    let dk = (f - c.f) * 1000 / 100
                    power += pow(10, (c.level - 48 * dk * dk + rng.normal()) / 10)
                }
                out +=
                    "\(s.id),\(String(format: "%.6f", p.lat)),\(String(format: "%.6f", p.lon)),\(String(format: "%.1f", s.heightM)),\(time),\(String(format: "%.3f", f)),\(String(format: "%.1f", 10 * log10(power)))\n"
            }
        }
        return (out, plants)
    }
}

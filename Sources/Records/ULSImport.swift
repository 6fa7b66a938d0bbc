// FCC ULS microwave (Part 101) daily files to fixed-link assignments.
//
// Input: the pipe-delimited public-access records of `l_mw_*.zip` (an archive, or a folder holding the
// extracted .dat files). The layout of each record type is the FCC's `pa_ddef49.txt` (PUBACC_xx tables);
// fields are 1-based positions in that definition:
//   PA path:      2 unique_system_identifier, 5 callsign, 7 path_number, 8 transmit_location_number,
//                 9 transmit_antenna_number, 10 receiver_location_number, 11 receiver_antenna_number,
//                 13 path_type_desc, 17 receiver_callsign
//   LO location:  2 usi, 9 location_number, 19 ground_elevation, 20–23 lat degrees/minutes/seconds/direction,
//                 24–27 long degrees/minutes/seconds/direction, 43 location_name
//   AN antenna:   2 usi, 7 antenna_number, 8 location_number, 10 antenna_type_code, 11 height_to_tip,
//                 12 height_to_center_raat, 17 beamwidth, 18 gain, 19 azimuth (999 = not given, as the FCC files use it)
//   FR frequency: 2 usi, 7 location_number, 8 antenna_number, 11 frequency_assigned (MHz),
//                 12 frequency_upper_band (MHz), 21 eirp (dBm)
//   EM emission:  2 usi, 6 location_number, 7 antenna_number, 8 frequency_assigned, 10 emission_code
//   EN entity (optional, for licensee names): 2 usi, 6 entity_type (L = licensee), 8 entity_name
// Join: each PA path gives its transmit location and antenna (LO, AN) and receive location and antenna; each
// FR frequency of the transmit location and antenna becomes one assignment (service `fixed`) with the
// receiver as the far end of the link. Bandwidth: frequency_upper_band − frequency_assigned when the record
// gives a band (centre in the middle), else the necessary bandwidth of the matching EM emission designator.
// A later source replaces the records of the licences (unique_system_identifier) it holds, as the daily
// files do. Rows that do not parse (wrong field count, bad numbers, DMS out of range, bad emission
// designators) are listed with file, row, column and value; links that cannot be completed are counted by reason.
import Foundation
import Geo
import Radio

public enum ULSImport {
    public struct Report: Sendable {
        /// Rows read per record type (FR, LO, PA, AN, EM, EN).
        public var rows: [String: Int] = [:]
        public var malformed: [RecordError] = []
        public var paths = 0
        /// Links (paths) that produced at least one assignment.
        public var links = 0
        public var assignments = 0
        /// Paths or frequencies left out, by reason.
        public var incomplete: [String: Int] = [:]
        public init() {}

        public var summary: String {
            let r = ["FR", "LO", "PA", "AN", "EM", "EN"].compactMap { k in rows[k].map { "\(k) \($0)" } }.joined(separator: ", ")
            var s = "ULS rows: \(r); malformed \(malformed.count); paths \(paths); links \(links); assignments \(assignments)"
            if !incomplete.isEmpty { s += "; left out: " + incomplete.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
            return s
        }
    }

    /// Field count of each record type in pa_ddef49.txt.
    static let fieldCounts = ["FR": 29, "LO": 51, "PA": 22, "AN": 36, "EM": 16, "EN": 27]

    struct Location { var lat: Double; var lon: Double; var groundM: Double?; var name: String }
    struct Antenna { var heightM: Double?; var gainDBi: Double?; var azimuthDeg: Double?; var beamwidthDeg: Double? }
    struct Frequency { var location: Int; var antenna: Int; var assignedMHz: Double; var upperMHz: Double?; var eirpDBm: Double?; var row: Int }
    struct Path { var callsign: String; var number: Int; var txLoc: Int; var txAnt: Int; var rxLoc: Int; var rxAnt: Int; var type: String; var row: Int }

    struct Licence {
        var callsign = ""
        var licensee: String?
        var locations: [Int: Location] = [:]
        var antennas: [String: Antenna] = [:] // "loc/ant"
        var frequencies: [Frequency] = []
        var emissions: [String: EmissionDesignator] = [:] // "loc/ant/freq"
        var paths: [Path] = []
    }

    /// Imports one or more sources (each a .zip archive or a folder of .dat files), in order.
    public static func load(_ sources: [String]) throws -> (assignments: [Assignment], report: Report) {
        var report = Report()
        var licences: [Int: Licence] = [:]
        for source in sources {
            let batch = try readSource(source, report: &report)
            for (usi, lic) in batch { licences[usi] = lic }
        }
        var out: [Assignment] = []
        for usi in licences.keys.sorted() {
            let lic = licences[usi]!
            for p in lic.paths.sorted(by: { $0.number < $1.number }) {
                report.paths += 1
                guard let tx = lic.locations[p.txLoc] else { report.incomplete["path without its transmit location", default: 0] += 1; continue }
                guard let rx = lic.locations[p.rxLoc] else { report.incomplete["path without its receive location", default: 0] += 1; continue }
                let txAnt = lic.antennas["\(p.txLoc)/\(p.txAnt)"]
                let rxAnt = lic.antennas["\(p.rxLoc)/\(p.rxAnt)"]
                let freqs = lic.frequencies.filter { $0.location == p.txLoc && $0.antenna == p.txAnt }
                if freqs.isEmpty { report.incomplete["path without frequencies", default: 0] += 1; continue }
                var made = 0
                var seen: Set<String> = []
                for f in freqs {
                    let centre: Double, bw: Double
                    var emission: EmissionDesignator? = nil
                    let key = "\(p.txLoc)/\(p.txAnt)/\(String(format: "%.5f", f.assignedMHz))"
                    emission = lic.emissions[key]
                    if let up = f.upperMHz, up > f.assignedMHz {
                        centre = (f.assignedMHz + up) / 2; bw = (up - f.assignedMHz) * 1000
                    } else if let e = emission {
                        centre = f.assignedMHz; bw = e.bandwidthKHz
                    } else {
                        report.incomplete["frequency without bandwidth (no EM emission, no upper band)", default: 0] += 1; continue
                    }
                    guard let eirp = f.eirpDBm else { report.incomplete["frequency without EIRP", default: 0] += 1; continue }
                    let id = "\(p.callsign)/P\(p.number)/\(mhz(centre))"
                    guard seen.insert(id).inserted else { continue }
                    let bearing = Geodesy.bearingDeg(tx.lat, tx.lon, rx.lat, rx.lon)
                    out.append(
                        Assignment(
                            id: id, stationID: "\(p.callsign)/L\(p.txLoc)", licensee: lic.licensee ?? p.callsign, service: "fixed",
                            latitude: tx.lat, longitude: tx.lon, tx: Channel(centreMHz: centre, bandwidthKHz: bw), emission: emission,
                            antennaHeightM: max(0.5, txAnt?.heightM ?? 30), eirpDBm: eirp,
                            azimuthDeg: txAnt?.azimuthDeg ?? bearing, antennaPattern: nil,
                            antennaGainDBi: txAnt?.gainDBi,
                            rx: nil,
                            linkReceiver: Assignment.LinkReceiver(
                                latitude: rx.lat, longitude: rx.lon,
                                antennaHeightM: max(0.5, rxAnt?.heightM ?? 30),
                                antennaGainDBi: rxAnt?.gainDBi ?? txAnt?.gainDBi),
                            protectionRatioDB: nil, row: f.row))
                    made += 1
                }
                if made > 0 { report.links += 1 }
            }
        }
        report.assignments = out.count
        return (out, report)
    }

    /// Reads the record files of one source.
    static func readSource(_ source: String, report: inout Report) throws -> [Int: Licence] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDir) else {
            throw RecordError(source: source, row: nil, column: nil, value: nil, expected: "an FCC ULS .zip archive or a folder of .dat files")
        }
        let base = isDir.boolValue ? source : "/vsizip/" + source
        let names = isDir.boolValue ? ((try? FileManager.default.contentsOfDirectory(atPath: source)) ?? []) : VirtualFiles.list(base)
        func member(_ type: String) -> String? { names.first { $0.uppercased() == "\(type).DAT" } }
        for needed in ["PA", "LO", "FR"] where member(needed) == nil {
            throw RecordError(source: source, row: nil, column: nil, value: nil, expected: "a \(needed).dat file (ULS \(needed) records)")
        }
        let label = URL(fileURLWithPath: source).lastPathComponent
        var lic: [Int: Licence] = [:]
        for type in ["EN", "LO", "AN", "FR", "EM", "PA"] {
            guard let m = member(type) else { continue }
            let file = "\(label)/\(m)"
            let data: Data
            do { data = try VirtualFiles.read(base + "/" + m) } catch {
                throw RecordError(source: file, row: nil, column: nil, value: nil, expected: "a readable file (\(error))")
            }
            let text = String(decoding: data, as: UTF8.self)
            var rowNo = 0
            for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
                let l = line.hasSuffix("\r") ? line.dropLast() : line[...]
                if l.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                rowNo += 1
                let f = l.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                do {
                    try parse(type: type, fields: f, file: file, row: rowNo, into: &lic)
                } catch let e as RecordError {
                    report.malformed.append(e)
                }
            }
            report.rows[type, default: 0] += rowNo
        }
        return lic
    }

    static func parse(type: String, fields f: [String], file: String, row: Int, into lic: inout [Int: Licence]) throws {
        func err(_ col: String, _ value: String?, _ expected: String) -> RecordError {
            RecordError(source: file, row: row, column: col, value: value, expected: expected)
        }
        let expectedCount = fieldCounts[type]!
        guard f.count == expectedCount else {
            throw err("record", "\(f.count) fields", "\(expectedCount) '|'-separated fields for a \(type) record (pa_ddef49.txt)")
        }
        guard f[0] == type else { throw err("record_type", f[0], type) }
        func v(_ i: Int) -> String? { f[i - 1].isEmpty ? nil : f[i - 1] }
        func int(_ i: Int, _ name: String) throws -> Int {
            guard let s = v(i), let x = DecimalNumber.parseInt(s) else { throw err(name, v(i), "a whole number") }
            return x
        }
        func dbl(_ i: Int, _ name: String, _ range: ClosedRange<Double>) throws -> Double? {
            guard let s = v(i) else { return nil }
            guard let x = DecimalNumber.parse(s), range.contains(x) else { throw err(name, s, "a number in [\(range.lowerBound), \(range.upperBound)]") }
            return x
        }
        let usi = try int(2, "unique_system_identifier")
        var l = lic[usi] ?? Licence()
        if let cs = v(5) { l.callsign = cs }
        switch type {
        case "EN":
            if v(6) == "L", let name = v(8) { l.licensee = name }
        case "LO":
            let loc = try int(9, "location_number")
            func dms(_ i: Int, _ name: String, maxDeg: Double, dirs: [String: Double]) throws -> Double {
                guard let dS = v(i), let d = Double(dS), (0...maxDeg).contains(d) else { throw err("\(name)_degrees", v(i), "degrees in [0, \(Int(maxDeg))]") }
                let m = try dbl(i + 1, "\(name)_minutes", 0...59.999) ?? 0
                let s = try dbl(i + 2, "\(name)_seconds", 0...59.999) ?? 0
                guard let dir = v(i + 3), let sign = dirs[dir.uppercased()] else {
                    throw err("\(name)_direction", v(i + 3), dirs.keys.sorted().joined(separator: " or "))
                }
                let x = d + m / 60 + s / 3600
                guard x <= maxDeg else { throw err("\(name)_degrees", dS, "a position within ±\(Int(maxDeg))°") }
                return sign * x
            }
            let lat = try dms(20, "lat", maxDeg: 90, dirs: ["N": 1, "S": -1])
            let lon = try dms(24, "long", maxDeg: 180, dirs: ["E": 1, "W": -1])
            l.locations[loc] = Location(lat: lat, lon: lon, groundM: try dbl(19, "ground_elevation", -500...9000), name: v(43) ?? "")
        case "AN":
            let ant = try int(7, "antenna_number"), loc = try int(8, "location_number")
            let h = try dbl(12, "height_to_center_raat", 0...3000) ?? dbl(11, "height_to_tip", 0...3000)
            l.antennas["\(loc)/\(ant)"] = Antenna(
                heightM: h, gainDBi: try dbl(18, "gain", -20...70),
                azimuthDeg: v(19).flatMap(DecimalNumber.parse).map { $0 >= 999 } == true ? nil : try dbl(19, "azimuth", 0...360),
                beamwidthDeg: try dbl(17, "beamwidth", 0...360))
        case "FR":
            let loc = try int(7, "location_number"), ant = try int(8, "antenna_number")
            guard let fa = try dbl(11, "frequency_assigned", 0.001...300_000) else { throw err("frequency_assigned", nil, "a frequency in MHz") }
            l.frequencies.append(
                Frequency(
                    location: loc, antenna: ant, assignedMHz: fa, upperMHz: try dbl(12, "frequency_upper_band", 0.001...300_000),
                    eirpDBm: try dbl(21, "eirp", -50...130), row: row))
        case "EM":
            let loc = try int(6, "location_number"), ant = try int(7, "antenna_number")
            guard let fa = try dbl(8, "frequency_assigned", 0.001...300_000) else { throw err("frequency_assigned", nil, "a frequency in MHz") }
            guard let code = v(10) else { break }
            do {
                l.emissions["\(loc)/\(ant)/\(String(format: "%.5f", fa))"] = try EmissionDesignator(parsing: code)
            } catch let e as EmissionDesignator.ParseError {
                throw err("emission_code", code, EmissionDesignator.expected + " (\(e.reason))")
            }
        case "PA":
            l.paths.append(
                Path(
                    callsign: v(5) ?? l.callsign, number: try int(7, "path_number"),
                    txLoc: try int(8, "transmit_location_number"), txAnt: try int(9, "transmit_antenna_number"),
                    rxLoc: try int(10, "receiver_location_number"), rxAnt: v(11) == nil ? 0 : try int(11, "receiver_antenna_number"),
                    type: v(13) ?? "", row: row))
        default: break
        }
        lic[usi] = l
    }

    static func mhz(_ x: Double) -> String {
        var s = String(format: "%.5f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}

// A shared-infrastructure proposal: an operator asks to build a new tower or to co-locate on an existing one
// (a site of the transmitters file), with the transmitters it would install. JSON, decoded with the keys below
// (snake_case); every error names the field (`transmitters[1].frequency_mhz`) or, for malformed JSON, the line
// and column.
//
// {
//   "id": "P-001",                        optional; default: the file name without extension
//   "operator": "MobiFone",               required: the licensee that would operate the transmitters
//   "kind": "co_location",                required: "co_location" (on host_site_id) or "new_tower"
//   "host_site_id": "VT-S012",            co_location: a site_id of the transmitters file
//   "site_id": "MF-N001",                 new_tower: the new tower's id [default: "<id>-SITE"]
//   "latitude": 10.95, "longitude": 107.1,  new_tower: position, WGS 84 degrees
//   "tower_height_m": 40,                 new_tower: height of the structure, m (antennas must fit under it)
//   "building_height_m": 12,              optional: roof height of the nearest building (exposure check)
//   "building_distance_m": 25,            optional: its horizontal distance from the tower, m [default 0]
//   "transmitters": [ {                   required, at least one: the transmitter columns of the data contract
//       "id": "MF-P001-4G-1", "technology": "4G", "antenna_height_m": 30,
//       "frequency_mhz": 763, "bandwidth_mhz": 10,
//       "eirp_dbm": 60  (or "tx_power_dbm", "antenna_gain_dbi", "losses_db"),
//       "azimuth_deg": 0 (omit for omni), "mechanical_tilt_deg": 2, "electrical_tilt_deg": 4,
//       "antenna_pattern": null,
//       "assignment": {                   optional: the frequency assignment; derived when omitted
//         "id": "A-MF-P001-4G-1", "service": "mobile", "tx_frequency_mhz": 763, "bandwidth_khz": 10000,
//         "rx_frequency_mhz": 708, "rx_bandwidth_khz": 10000, "emission_designator": "10M0G7W" } } ]
// }
//
// Derived assignment: id "A-<transmitter id>", station = the tower, licensee = the operator, service mobile for
// 2G–5G (broadcast_fm for FM, broadcast_tv for TV, other otherwise), the transmitter's channel, and for a
// channel in a paired (FDD) allocation of the band plan the receive channel at the same offset in the pair
// (1842.5 MHz in B3 DL 1805–1880 → 1747.5 MHz in B3 UL 1710–1785).
import Foundation
import Radio
import Records

public struct SharingProposal: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case newTower = "new_tower", coLocation = "co_location" }

    public struct AssignmentSpec: Sendable, Codable, Equatable {
        public var id: String?
        public var service: String?
        public var txFrequencyMHz: Double?
        public var bandwidthKHz: Double?
        public var rxFrequencyMHz: Double?
        public var rxBandwidthKHz: Double?
        public var emissionDesignator: String?
        public init() {}
        enum CodingKeys: String, CodingKey {
            case id, service, txFrequencyMHz = "tx_frequency_mhz", bandwidthKHz = "bandwidth_khz", rxFrequencyMHz = "rx_frequency_mhz"
            case rxBandwidthKHz = "rx_bandwidth_khz", emissionDesignator = "emission_designator"
        }
    }

    public struct TransmitterSpec: Sendable, Codable, Equatable {
        public var id: String
        public var technology: String
        public var antennaHeightM: Double
        public var frequencyMHz: Double
        public var bandwidthMHz: Double
        public var eirpDBm: Double?
        public var txPowerDBm: Double?
        public var antennaGainDBi: Double?
        public var lossesDB: Double?
        public var azimuthDeg: Double?
        public var mechanicalTiltDeg: Double?
        public var electricalTiltDeg: Double?
        public var antennaPattern: String?
        public var assignment: AssignmentSpec?

        public init(
            id: String, technology: String, antennaHeightM: Double, frequencyMHz: Double, bandwidthMHz: Double,
            eirpDBm: Double?, azimuthDeg: Double? = nil, mechanicalTiltDeg: Double? = nil, electricalTiltDeg: Double? = nil
        ) {
            self.id = id; self.technology = technology; self.antennaHeightM = antennaHeightM; self.frequencyMHz = frequencyMHz
            self.bandwidthMHz = bandwidthMHz; self.eirpDBm = eirpDBm; self.azimuthDeg = azimuthDeg
            self.mechanicalTiltDeg = mechanicalTiltDeg; self.electricalTiltDeg = electricalTiltDeg
        }

        enum CodingKeys: String, CodingKey {
            case id, technology, antennaHeightM = "antenna_height_m", frequencyMHz = "frequency_mhz", bandwidthMHz = "bandwidth_mhz"
            case eirpDBm = "eirp_dbm", txPowerDBm = "tx_power_dbm", antennaGainDBi = "antenna_gain_dbi", lossesDB = "losses_db"
            case azimuthDeg = "azimuth_deg", mechanicalTiltDeg = "mechanical_tilt_deg", electricalTiltDeg = "electrical_tilt_deg"
            case antennaPattern = "antenna_pattern", assignment
        }

        /// EIRP at boresight: `eirp_dbm`, else power + gain − losses.
        public var effectiveEIRPDBm: Double? {
            if let eirpDBm { return eirpDBm }
            guard let p = txPowerDBm, let g = antennaGainDBi else { return nil }
            return p + g - (lossesDB ?? 0)
        }
    }

    public var id: String?
    public var operatorName: String
    public var kind: Kind
    public var hostSiteID: String?
    public var siteID: String?
    public var latitude: Double?
    public var longitude: Double?
    public var towerHeightM: Double?
    public var buildingHeightM: Double?
    public var buildingDistanceM: Double?
    public var transmitters: [TransmitterSpec]

    public init(id: String?, operatorName: String, kind: Kind, transmitters: [TransmitterSpec]) {
        self.id = id; self.operatorName = operatorName; self.kind = kind; self.transmitters = transmitters
    }

    enum CodingKeys: String, CodingKey {
        case id, operatorName = "operator", kind, hostSiteID = "host_site_id", siteID = "site_id", latitude, longitude
        case towerHeightM = "tower_height_m", buildingHeightM = "building_height_m", buildingDistanceM = "building_distance_m", transmitters
    }

    /// The proposal's id (given, else `fallback`).
    public func name(fallback: String) -> String { (id?.isEmpty == false ? id! : fallback) }
}

public struct ProposalError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension SharingProposal {
    /// Reads and validates a proposal file. Malformed JSON names the line and column; a missing or mistyped
    /// field names its path; values out of range name the field, the value and what was expected.
    public static func load(path: String) throws -> SharingProposal {
        let data: Data
        do { data = try InputLimits.read(path, kind: .json) } catch let e as InputFileError {
            throw ProposalError("\(path): cannot read the proposal file: \(e.reason)")
        }
        var p = try decode(data, source: path)
        if p.id == nil || p.id!.isEmpty { p.id = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }
        return p
    }

    public static func decode(_ data: Data, source: String) throws -> SharingProposal {
        // Syntax first, so that malformed JSON gets a line and a column.
        do { _ = try JSONSerialization.jsonObject(with: data) } catch {
            let text = String(describing: error)
            var position = ""
            if let r = text.range(of: #"character (\d+)"#, options: .regularExpression),
                let offset = Int(text[r].split(separator: " ").last ?? "")
            {
                let (line, column) = lineColumn(data, offset: offset)
                position = " at line \(line), column \(column)"
            }
            throw ProposalError("\(source): malformed JSON\(position): \(jsonReason(text))")
        }
        let p: SharingProposal
        do { p = try JSONDecoder().decode(SharingProposal.self, from: data) } catch let e as DecodingError {
            throw ProposalError("\(source): \(describe(e))")
        }
        try p.validate(source: source)
        return p
    }

    static func jsonReason(_ text: String) -> String {
        if let r = text.range(of: "NSDebugDescription=") {
            return String(text[r.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: "}. "))
        }
        return "not valid JSON"
    }

    /// 1-based line and column of a byte offset.
    static func lineColumn(_ data: Data, offset: Int) -> (Int, Int) {
        var line = 1, column = 1
        for (i, b) in data.enumerated() {
            if i >= offset { break }
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }

    static func path(_ codingPath: [CodingKey]) -> String {
        var s = ""
        for k in codingPath {
            if let i = k.intValue { s += "[\(i)]" } else { s += (s.isEmpty ? "" : ".") + k.stringValue }
        }
        return s.isEmpty ? "(top level)" : s
    }

    static func describe(_ e: DecodingError) -> String {
        switch e {
        case .keyNotFound(let key, let ctx):
            let at = path(ctx.codingPath + [key])
            return "field '\(at)' is missing"
        case .typeMismatch(let type, let ctx):
            return "field '\(path(ctx.codingPath))': expected \(typeName(type))"
        case .valueNotFound(let type, let ctx):
            return "field '\(path(ctx.codingPath))': expected \(typeName(type)), found null"
        case .dataCorrupted(let ctx):
            if ctx.codingPath.last?.stringValue == "kind" { return "field 'kind': expected \"new_tower\" or \"co_location\"" }
            return "field '\(path(ctx.codingPath))': \(ctx.debugDescription)"
        @unknown default:
            return "\(e)"
        }
    }

    static func typeName(_ t: Any.Type) -> String {
        if t == Double.self || t == Int.self { return "a number" }
        if t == String.self { return "a string" }
        if t == Bool.self { return "true or false" }
        let s = String(describing: t)
        if s.hasPrefix("Array") { return "an array" }
        return "an object"
    }

    /// Field-level checks (the data contract's ranges); the checks against the register come later.
    public func validate(source: String) throws {
        func fail(_ field: String, _ value: String, _ expected: String) -> ProposalError {
            ProposalError("\(source): field '\(InputText.echo(field))': value '\(InputText.echo(value))': expected \(expected)")
        }
        func num(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
        if operatorName.trimmingCharacters(in: .whitespaces).isEmpty { throw fail("operator", operatorName, "the operator's name") }
        switch kind {
        case .coLocation:
            guard let h = hostSiteID, !h.isEmpty else {
                throw ProposalError("\(source): field 'host_site_id' is missing: a co_location names the site_id of the host tower")
            }
        case .newTower:
            guard let lat = latitude else { throw ProposalError("\(source): field 'latitude' is missing: a new_tower needs its position") }
            guard let lon = longitude else { throw ProposalError("\(source): field 'longitude' is missing: a new_tower needs its position") }
            guard (-90...90).contains(lat) else { throw fail("latitude", num(lat), "degrees in [-90, 90]") }
            guard (-180...180).contains(lon) else { throw fail("longitude", num(lon), "degrees in [-180, 180]") }
            guard let th = towerHeightM else { throw ProposalError("\(source): field 'tower_height_m' is missing: a new_tower needs its height") }
            guard (1...1000).contains(th) else { throw fail("tower_height_m", num(th), "metres in [1, 1000]") }
        }
        if let b = buildingHeightM, !(0...1000).contains(b) { throw fail("building_height_m", num(b), "metres in [0, 1000]") }
        if let b = buildingDistanceM, !(0...100_000).contains(b) { throw fail("building_distance_m", num(b), "metres in [0, 100000]") }
        guard !transmitters.isEmpty else { throw ProposalError("\(source): field 'transmitters' is empty: list at least one transmitter") }
        var seen: Set<String> = []
        for (i, t) in transmitters.enumerated() {
            let f = "transmitters[\(i)]"
            if t.id.trimmingCharacters(in: .whitespaces).isEmpty { throw fail("\(f).id", t.id, "a non-empty id") }
            guard seen.insert(t.id).inserted else { throw fail("\(f).id", t.id, "a unique id (it repeats an earlier transmitter)") }
            guard Technology(parsing: t.technology) != nil else { throw fail("\(f).technology", t.technology, "2G, 3G, 4G, 5G, FM, TV or other") }
            guard (0.5...1000).contains(t.antennaHeightM) else { throw fail("\(f).antenna_height_m", num(t.antennaHeightM), "metres in [0.5, 1000]") }
            guard (3...100_000).contains(t.frequencyMHz) else { throw fail("\(f).frequency_mhz", num(t.frequencyMHz), "MHz in [3, 100000]") }
            guard (0.001...1000).contains(t.bandwidthMHz) else { throw fail("\(f).bandwidth_mhz", num(t.bandwidthMHz), "MHz in [0.001, 1000]") }
            guard let e = t.effectiveEIRPDBm else {
                throw ProposalError("\(source): field '\(f).eirp_dbm' is missing: give eirp_dbm, or tx_power_dbm and antenna_gain_dbi")
            }
            guard (-50...120).contains(e) else { throw fail("\(f).eirp_dbm", num(e), "dBm in [-50, 120]") }
            if let a = t.azimuthDeg, !(0...360).contains(a) { throw fail("\(f).azimuth_deg", num(a), "degrees in [0, 360]") }
            if let m = t.mechanicalTiltDeg, !(-30...45).contains(m) { throw fail("\(f).mechanical_tilt_deg", num(m), "degrees in [-30, 45]") }
            if let m = t.electricalTiltDeg, !(-30...45).contains(m) { throw fail("\(f).electrical_tilt_deg", num(m), "degrees in [-30, 45]") }
            if let a = t.assignment {
                if let x = a.txFrequencyMHz, !(0.009...300_000).contains(x) { throw fail("\(f).assignment.tx_frequency_mhz", num(x), "MHz in [0.009, 300000]") }
                if let x = a.bandwidthKHz, !(x > 0 && x <= 1e7) { throw fail("\(f).assignment.bandwidth_khz", num(x), "kHz in (0, 10000000]") }
                if let x = a.rxFrequencyMHz, !(0.009...300_000).contains(x) { throw fail("\(f).assignment.rx_frequency_mhz", num(x), "MHz in [0.009, 300000]") }
                if let x = a.rxBandwidthKHz, !(x > 0 && x <= 1e7) { throw fail("\(f).assignment.rx_bandwidth_khz", num(x), "kHz in (0, 10000000]") }
                if let d = a.emissionDesignator {
                    do { _ = try EmissionDesignator(parsing: d) } catch {
                        throw fail("\(f).assignment.emission_designator", d, "an ITU emission designator (\(error))")
                    }
                }
                if let s = a.service, s.isEmpty || !s.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                    throw fail("\(f).assignment.service", s, "letters, digits or _ (mobile, fixed, broadcast_fm, …)")
                }
            }
        }
    }
}

// Transmitters: one row per sector. Schema documented in data/README.md.
import Foundation
import Geo
import Radio

public struct Transmitter: Sendable, Equatable {
    public var id: String
    public var siteID: String
    public var operatorName: String
    public var technology: Technology
    public var latitude: Double
    public var longitude: Double
    /// Antenna height above ground, m.
    public var antennaHeightM: Double
    public var frequencyMHz: Double
    public var bandwidthMHz: Double
    /// Effective isotropic radiated power at boresight, dBm.
    public var eirpDBm: Double
    /// Boresight azimuth, degrees clockwise from north; nil = omnidirectional.
    public var azimuthDeg: Double?
    /// Mechanical down-tilt, degrees (positive = down).
    public var mechanicalTiltDeg: Double
    /// Electrical down-tilt, degrees (positive = down).
    public var electricalTiltDeg: Double
    /// Antenna pattern file name (optional; the parametric 3GPP sector pattern is used when absent).
    public var antennaPattern: String?
    /// Physical cell id (LTE/NR; UMTS scrambling code), for matching measurements that log it (optional).
    public var pci: Int? = nil

    public init(
        id: String, siteID: String, operatorName: String, technology: Technology, latitude: Double,
        longitude: Double, antennaHeightM: Double, frequencyMHz: Double, bandwidthMHz: Double,
        eirpDBm: Double, azimuthDeg: Double?, mechanicalTiltDeg: Double = 0, electricalTiltDeg: Double = 0,
        antennaPattern: String? = nil, pci: Int? = nil
    ) {
        self.id = id; self.siteID = siteID; self.operatorName = operatorName; self.technology = technology
        self.latitude = latitude; self.longitude = longitude; self.antennaHeightM = antennaHeightM
        self.frequencyMHz = frequencyMHz; self.bandwidthMHz = bandwidthMHz; self.eirpDBm = eirpDBm
        self.azimuthDeg = azimuthDeg; self.mechanicalTiltDeg = mechanicalTiltDeg
        self.electricalTiltDeg = electricalTiltDeg; self.antennaPattern = antennaPattern
        self.pci = pci
    }
}

public enum TransmitterLoader {
    public static let requiredColumns = [
        "id", "site_id", "operator", "technology", "latitude", "longitude",
        "antenna_height_m", "frequency_mhz", "bandwidth_mhz"
    ]

    /// Loads transmitters from any OGR source (CSV with latitude/longitude columns, GeoJSON, GeoPackage,
    /// Shapefile, `PG:` connection). Throws the first bad row unless `skipInvalid`, in which case bad rows are
    /// listed in `report`.
    public static func load(
        _ source: String, layer: String? = nil, skipInvalid: Bool = false,
        encoding: TextEncoding = .utf8, report: inout LoadReport
    ) throws -> [Transmitter] {
        try loadRows(
            source: source, layer: layer, required: requiredColumns, skipInvalid: skipInvalid, encoding: encoding,
            report: &report, id: { $0.id }
        ) { r in try parse(r) }
    }

    /// Loads transmitters from rows already read (`tanso store`: the current versions in the register), named
    /// `source` in messages.
    public static func load(rows: VectorLayer, source: String, skipInvalid: Bool = false, report: inout LoadReport) throws -> [Transmitter] {
        try collectRows(rows, source: source, required: requiredColumns, skipInvalid: skipInvalid, report: &report, id: { $0.id }) { r in try parse(r) }
    }

    static func parse(_ r: RowReader) throws -> Transmitter {
        let techRaw = try r.string("technology")
        guard let tech = Technology(parsing: techRaw) else {
            throw r.error("technology", techRaw, "one of 2G, 3G, 4G, 5G, FM, TV, other")
        }
        let pos = try r.position()
        let eirp: Double
        if let e = try r.optionalDouble("eirp_dbm", in: -50...120, unit: "dBm") {
            eirp = e
        } else if let p = try r.optionalDouble("tx_power_dbm", in: -50...100, unit: "dBm") {
            let g = try r.double("antenna_gain_dbi", in: -20...50, unit: "dBi")
            let l = try r.optionalDouble("losses_db", in: 0...50, unit: "dB") ?? 0
            eirp = p + g - l
        } else {
            throw r.error("eirp_dbm", nil, "eirp_dbm, or tx_power_dbm with antenna_gain_dbi (and optional losses_db)")
        }
        return Transmitter(
            id: try r.string("id"),
            siteID: try r.string("site_id"),
            operatorName: try r.string("operator"),
            technology: tech,
            latitude: pos.y, longitude: pos.x,
            antennaHeightM: try r.double("antenna_height_m", in: 0.5...1000, unit: "m"),
            frequencyMHz: try r.double("frequency_mhz", in: 3...100_000, unit: "MHz"),
            bandwidthMHz: try r.double("bandwidth_mhz", in: 0.001...1000, unit: "MHz"),
            eirpDBm: eirp,
            azimuthDeg: try r.optionalDouble("azimuth_deg", in: 0...360, unit: "degrees"),
            mechanicalTiltDeg: try r.optionalDouble("mechanical_tilt_deg", in: -30...45, unit: "degrees") ?? 0,
            electricalTiltDeg: try r.optionalDouble("electrical_tilt_deg", in: -30...45, unit: "degrees") ?? 0,
            antennaPattern: r.optionalString("antenna_pattern"), pci: try pci(r))
    }

    /// The optional `pci` column: a whole number in [0, 1007].
    static func pci(_ r: RowReader) throws -> Int? {
        guard let p = r.raw("pci") else { return nil }
        guard let v = DecimalNumber.parseInt(p), (0...1007).contains(v) else { throw r.error("pci", p, "a whole number in [0, 1007]") }
        return v
    }
}

// Frequency assignments, one row per transmitter channel: the register the conflict checks screen.
// Schema documented in data/README.md ("Frequency assignments").
import Foundation
import Geo
import Radio

public struct Assignment: Sendable, Equatable {
    public var id: String
    public var stationID: String
    public var licensee: String
    /// Lower-case service name: mobile, fixed, broadcast_fm, broadcast_tv, land_mobile, …
    public var service: String
    public var latitude: Double
    public var longitude: Double
    /// Transmit channel (centre MHz, bandwidth kHz).
    public var tx: Channel
    /// The emission designator when given.
    public var emission: EmissionDesignator?
    /// Antenna height above ground, m.
    public var antennaHeightM: Double
    /// EIRP at boresight, dBm.
    public var eirpDBm: Double
    /// Boresight azimuth, degrees from north; nil = omnidirectional.
    public var azimuthDeg: Double?
    public var antennaPattern: String?
    /// Maximum antenna gain, dBi (optional; with an azimuth it selects the ITU-R F.699 pattern).
    public var antennaGainDBi: Double?
    /// Receive channel of duplex systems: the station's own receiver, at its position.
    public var rx: Channel?
    /// Far end of a point-to-point link: where this transmission is received (fixed links).
    public var linkReceiver: LinkReceiver?
    /// Co-channel protection ratio for this assignment as a victim, dB (overrides the service default).
    public var protectionRatioDB: Double?
    /// Data row (1-based) in the source, for messages.
    public var row: Int

    public struct LinkReceiver: Sendable, Equatable {
        public var latitude: Double
        public var longitude: Double
        public var antennaHeightM: Double
        public var antennaGainDBi: Double?
        public init(latitude: Double, longitude: Double, antennaHeightM: Double, antennaGainDBi: Double? = nil) {
            self.latitude = latitude; self.longitude = longitude
            self.antennaHeightM = antennaHeightM; self.antennaGainDBi = antennaGainDBi
        }
    }

    public init(
        id: String, stationID: String, licensee: String, service: String, latitude: Double, longitude: Double,
        tx: Channel, emission: EmissionDesignator? = nil, antennaHeightM: Double, eirpDBm: Double,
        azimuthDeg: Double? = nil, antennaPattern: String? = nil, antennaGainDBi: Double? = nil,
        rx: Channel? = nil, linkReceiver: LinkReceiver? = nil, protectionRatioDB: Double? = nil, row: Int = 0
    ) {
        self.id = id; self.stationID = stationID; self.licensee = licensee; self.service = service
        self.latitude = latitude; self.longitude = longitude; self.tx = tx; self.emission = emission
        self.antennaHeightM = antennaHeightM; self.eirpDBm = eirpDBm; self.azimuthDeg = azimuthDeg
        self.antennaPattern = antennaPattern; self.antennaGainDBi = antennaGainDBi; self.rx = rx
        self.linkReceiver = linkReceiver; self.protectionRatioDB = protectionRatioDB; self.row = row
    }
}

/// The columns read from every row of a frequency-assignment register (a million rows at national scale):
/// `ColumnIndex` finds them once per file, and `RowReader` reads them by position.
enum RegisterColumn: Int, CaseIterable, Sendable {
    case id, stationID, licensee, service, latitude, longitude, txFrequency, emissionDesignator, bandwidth
    case rxFrequency, rxBandwidth, rxLatitude, rxLongitude, rxAntennaHeight, rxAntennaGain
    case antennaHeight, eirp, azimuth, antennaPattern, antennaGain, protectionRatio

    /// The column's name in a register's header (lower case).
    var name: String {
        switch self {
        case .id: "id"
        case .stationID: "station_id"
        case .licensee: "licensee"
        case .service: "service"
        case .latitude: "latitude"
        case .longitude: "longitude"
        case .txFrequency: "tx_frequency_mhz"
        case .emissionDesignator: "emission_designator"
        case .bandwidth: "bandwidth_khz"
        case .rxFrequency: "rx_frequency_mhz"
        case .rxBandwidth: "rx_bandwidth_khz"
        case .rxLatitude: "rx_latitude"
        case .rxLongitude: "rx_longitude"
        case .rxAntennaHeight: "rx_antenna_height_m"
        case .rxAntennaGain: "rx_antenna_gain_dbi"
        case .antennaHeight: "antenna_height_m"
        case .eirp: "eirp_dbm"
        case .azimuth: "azimuth_deg"
        case .antennaPattern: "antenna_pattern"
        case .antennaGain: "antenna_gain_dbi"
        case .protectionRatio: "protection_ratio_db"
        }
    }
}

public enum AssignmentLoader {
    public static let requiredColumns = [RegisterColumn]([
        .id, .stationID, .licensee, .service, .txFrequency, .latitude, .longitude, .antennaHeight, .eirp
    ]).map(\.name)

    /// Loads assignments from any OGR source (CSV with latitude/longitude columns, GeoPackage, GeoJSON, …).
    /// Throws the first bad row (file, row, column, value, expected) unless `skipInvalid`. A UTF-8 `.csv` is read
    /// as bytes on every core (`CSVRecords`), with the same rows and errors as OGR's path.
    public static func load(
        _ source: String, layer: String? = nil, skipInvalid: Bool = false,
        encoding: TextEncoding = .utf8, report: inout LoadReport
    ) throws -> [Assignment] {
        if let rows = try CSVRecords.collect(
            source, layer: layer, encoding: encoding, required: requiredColumns, skipInvalid: skipInvalid,
            report: &report, id: { $0.id }, make: parse)
        {
            return rows
        }
        return try loadThroughOGR(source, layer: layer, skipInvalid: skipInvalid, encoding: encoding, report: &report)
    }

    /// `load` through OGR's reader whatever the source (the path every format but a UTF-8 `.csv` takes).
    static func loadThroughOGR(
        _ source: String, layer: String? = nil, skipInvalid: Bool = false,
        encoding: TextEncoding = .utf8, report: inout LoadReport
    ) throws -> [Assignment] {
        let data = try readLayer(source: source, layer: layer, encoding: encoding)
        return try load(rows: data, source: source, skipInvalid: skipInvalid, report: &report)
    }

    /// Loads assignments from rows already read (`tanso store`: the current versions in the register), named
    /// `source` in messages. The rows are parsed on every core and accepted in row order (`collectRowsInParallel`).
    public static func load(rows: VectorLayer, source: String, skipInvalid: Bool = false, report: inout LoadReport) throws -> [Assignment] {
        try collectRowsInParallel(rows, source: source, required: requiredColumns, skipInvalid: skipInvalid, report: &report, id: { $0.id }) { r in
            try parse(r)
        }
    }

    static func parse(_ r: RowReader) throws -> Assignment {
        let id = try r.string(.id)
        let serviceRaw = try r.string(.service)
        let service = serviceRaw.lowercased()
        // ASCII letters, digits and '_' (on the bytes: the same test as on Characters, without Unicode properties).
        guard service.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }) else {
            throw r.error("service", serviceRaw, "a service name of letters, digits and '_' (mobile, fixed, broadcast_fm, broadcast_tv, land_mobile, …)")
        }
        let pos = try r.position()
        let f = try r.double(.txFrequency, in: 0.009...300_000, unit: "MHz")
        var emission: EmissionDesignator? = nil
        if let e = r.optionalString(.emissionDesignator) {
            do { emission = try EmissionDesignator(parsing: e) } catch let pe as EmissionDesignator.ParseError {
                throw r.error("emission_designator", e, EmissionDesignator.expected + " (\(pe.reason))")
            }
        }
        let bw: Double
        if let b = try r.optionalDouble(.bandwidth, in: 0.001...10_000_000, unit: "kHz") {
            bw = b
        } else if let e = emission {
            bw = e.bandwidthKHz
        } else {
            throw r.error("bandwidth_khz", nil, "bandwidth_khz (kHz) or an emission_designator such as 200KF8E")
        }
        var rx: Channel? = nil
        if let rf = try r.optionalDouble(.rxFrequency, in: 0.009...300_000, unit: "MHz") {
            let rb = try r.optionalDouble(.rxBandwidth, in: 0.001...10_000_000, unit: "kHz") ?? bw
            rx = Channel(centreMHz: rf, bandwidthKHz: rb)
        } else if let rb = r.optionalString(.rxBandwidth) {
            throw r.error("rx_frequency_mhz", nil, "a receive frequency in MHz when rx_bandwidth_khz is given ('\(rb)')")
        }
        var link: Assignment.LinkReceiver? = nil
        if let rlat = try r.optionalDouble(.rxLatitude, in: -90...90, unit: "degrees") {
            let rlon = try r.double(.rxLongitude, in: -180...180, unit: "degrees")
            link = Assignment.LinkReceiver(
                latitude: rlat, longitude: rlon,
                antennaHeightM: try r.optionalDouble(.rxAntennaHeight, in: 0.5...1000, unit: "m")
                    ?? (try r.double(.antennaHeight, in: 0.5...1000, unit: "m")),
                antennaGainDBi: try r.optionalDouble(.rxAntennaGain, in: -20...70, unit: "dBi"))
        } else if r.optionalString(.rxLongitude) != nil {
            throw r.error("rx_latitude", nil, "rx_latitude with rx_longitude (the far end of the link)")
        }
        return Assignment(
            id: id, stationID: try r.string(.stationID), licensee: try r.string(.licensee), service: service,
            latitude: pos.y, longitude: pos.x, tx: Channel(centreMHz: f, bandwidthKHz: bw), emission: emission,
            antennaHeightM: try r.double(.antennaHeight, in: 0.5...1000, unit: "m"),
            eirpDBm: try r.double(.eirp, in: -50...130, unit: "dBm"),
            azimuthDeg: try r.optionalDouble(.azimuth, in: 0...360, unit: "degrees"),
            antennaPattern: r.optionalString(.antennaPattern),
            antennaGainDBi: try r.optionalDouble(.antennaGain, in: -20...70, unit: "dBi"),
            rx: rx, linkReceiver: link,
            protectionRatioDB: try r.optionalDouble(.protectionRatio, in: -80...120, unit: "dB"),
            row: r.row)
    }
}

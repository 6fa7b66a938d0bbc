// Level measurements of an unknown emitter (a mobile unit's drive), the input of `tanso locate`.
// Schema documented in data/README.md ("Interference complaints and locating an emitter").
import Foundation
import Geo
import Radio

public struct LevelMeasurement: Sendable, Equatable {
    public var latitude: Double, longitude: Double
    /// Received level at an isotropic antenna, dBm.
    public var levelDBm: Double
    /// Receive antenna height above ground, m.
    public var rxHeightM: Double
    /// Direction-finder bearing toward the emitter, degrees from north, and its standard deviation.
    public var bearingDeg: Double?
    public var bearingSigmaDeg: Double?
    /// Data row (1-based) in the source.
    public var row: Int

    public init(
        latitude: Double, longitude: Double, levelDBm: Double, rxHeightM: Double = 1.5, bearingDeg: Double? = nil,
        bearingSigmaDeg: Double? = nil, row: Int = 0
    ) {
        self.latitude = latitude; self.longitude = longitude; self.levelDBm = levelDBm; self.rxHeightM = rxHeightM
        self.bearingDeg = bearingDeg; self.bearingSigmaDeg = bearingSigmaDeg; self.row = row
    }
}

public enum LevelMeasurementLoader {
    public static let requiredColumns = ["latitude", "longitude"]

    /// Loads measurements from any OGR source (CSV with latitude/longitude, or a point layer). `level_dbuv_m` (field
    /// strength) is converted to the power at an isotropic antenna on `frequencyMHz`.
    public static func load(
        _ source: String, frequencyMHz: Double, layer: String? = nil, skipInvalid: Bool = false,
        encoding: TextEncoding = .utf8, report: inout LoadReport
    ) throws -> [LevelMeasurement] {
        try loadRows(
            source: source, layer: layer, required: requiredColumns, skipInvalid: skipInvalid, encoding: encoding,
            report: &report, id: { "\($0.row)" }
        ) { r in try parse(r, frequencyMHz: frequencyMHz) }
    }

    static func parse(_ r: RowReader, frequencyMHz: Double) throws -> LevelMeasurement {
        let pos = try r.position()
        let level: Double
        if let p = try r.optionalDouble("level_dbm", in: -200...50, unit: "dBm") {
            if r.optionalString("level_dbuv_m") != nil {
                throw r.error("level_dbuv_m", r.optionalString("level_dbuv_m"), "only one of level_dbm and level_dbuv_m")
            }
            level = p
        } else if let e = try r.optionalDouble("level_dbuv_m", in: -100...200, unit: "dBµV/m") {
            level = DB.powerDBm(fieldStrengthDBuVm: e, frequencyMHz: frequencyMHz)
        } else {
            throw r.error("level_dbm", nil, "a level: level_dbm (dBm) or level_dbuv_m (dBµV/m)")
        }
        let bearing = try r.optionalDouble("bearing_deg", in: 0...360, unit: "degrees")
        let sigma = try r.optionalDouble("bearing_sigma_deg", in: 0.1...90, unit: "degrees")
        if sigma != nil && bearing == nil { throw r.error("bearing_deg", nil, "a bearing when bearing_sigma_deg is given") }
        return LevelMeasurement(
            latitude: pos.y, longitude: pos.x, levelDBm: level,
            rxHeightM: try r.optionalDouble("rx_height_m", in: 0.5...1000, unit: "m") ?? 1.5,
            bearingDeg: bearing, bearingSigmaDeg: sigma, row: r.row)
    }
}

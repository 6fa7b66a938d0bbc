// Spectrum-monitoring records: the emission list (one row per detected emission) and the level conversions
// they share with the sweep reader (MonitoringSweeps.swift). Schema in data/README.md ("Monitoring").
import Foundation
import Geo
import Radio

/// One emission detected by a monitoring station (fixed or mobile), its level as field strength.
public struct MonitoredEmission: Sendable, Equatable {
    public var stationID: String
    public var latitude: Double
    public var longitude: Double
    public var antennaHeightM: Double
    public var timestamp: String
    /// Measured centre, MHz.
    public var frequencyMHz: Double
    /// Measured occupied bandwidth, kHz (ITU-R SM.443).
    public var bandwidthKHz: Double
    /// How the bandwidth was measured: `99%` (β/2 = 0.5 %) or `x-dB` (e.g. `26dB`), as given.
    public var bandwidthMethod: String
    /// Field strength, dBµV/m (converted from dBm with the antenna factor or gain when given so).
    public var levelDBuVm: Double
    /// Stated measurement uncertainties (0 when not given).
    public var frequencyUncertaintyHz: Double
    public var levelUncertaintyDB: Double
    /// Resolution of the bandwidth measurement, kHz (sweeps: the bin spacing; 0 when not given).
    public var bandwidthUncertaintyKHz: Double
    /// Data row (1-based) in the source.
    public var row: Int

    public init(
        stationID: String, latitude: Double, longitude: Double, antennaHeightM: Double, timestamp: String,
        frequencyMHz: Double, bandwidthKHz: Double, bandwidthMethod: String = "99%", levelDBuVm: Double,
        frequencyUncertaintyHz: Double = 0, levelUncertaintyDB: Double = 0, bandwidthUncertaintyKHz: Double = 0, row: Int = 0
    ) {
        self.stationID = stationID; self.latitude = latitude; self.longitude = longitude
        self.antennaHeightM = antennaHeightM; self.timestamp = timestamp; self.frequencyMHz = frequencyMHz
        self.bandwidthKHz = bandwidthKHz; self.bandwidthMethod = bandwidthMethod; self.levelDBuVm = levelDBuVm
        self.frequencyUncertaintyHz = frequencyUncertaintyHz; self.levelUncertaintyDB = levelUncertaintyDB
        self.bandwidthUncertaintyKHz = bandwidthUncertaintyKHz; self.row = row
    }
}

/// Received power to field strength at a monitoring antenna.
public enum MonitoringLevel {
    /// With an antenna factor K (dB/m): E = V + K, V(dBµV) = P(dBm) + 107 (50 Ω).
    public static func fieldStrength(powerDBm: Double, antennaFactorDBPerM: Double) -> Double { powerDBm + 107 + antennaFactorDBPerM }

    /// With an antenna gain G (dBi): E = P + 20 log10 f(MHz) + 77.2 − G (ITU-R P.525 relation, 50 Ω).
    public static func fieldStrength(powerDBm: Double, gainDBi: Double, frequencyMHz: Double) -> Double {
        DB.fieldStrengthDBuVm(powerDBm: powerDBm, frequencyMHz: frequencyMHz) - gainDBi
    }
}

public enum EmissionLoader {
    public static let requiredColumns = [
        "station_id", "latitude", "longitude", "antenna_height_m", "timestamp", "frequency_mhz", "bandwidth_khz"
    ]

    /// Loads an emission list from any OGR source. Throws the first bad row unless `skipInvalid`.
    public static func load(
        _ source: String, layer: String? = nil, skipInvalid: Bool = false, encoding: TextEncoding = .utf8,
        report: inout LoadReport
    ) throws -> [MonitoredEmission] {
        try loadRows(
            source: source, layer: layer, required: requiredColumns, skipInvalid: skipInvalid, encoding: encoding,
            report: &report, id: { "row \($0.row)" }
        ) { r in try parse(r) }
    }

    static func parse(_ r: RowReader) throws -> MonitoredEmission {
        let pos = try r.position()
        let f = try r.double("frequency_mhz", in: 0.009...300_000, unit: "MHz")
        let method = r.optionalString("bandwidth_method") ?? "99%"
        guard isBandwidthMethod(method) else {
            throw r.error("bandwidth_method", method, "99% (β/2 method of ITU-R SM.443) or x-dB such as 26dB")
        }
        return MonitoredEmission(
            stationID: try r.string("station_id"), latitude: pos.y, longitude: pos.x,
            antennaHeightM: try r.double("antenna_height_m", in: 0...1000, unit: "m"),
            timestamp: try r.string("timestamp"), frequencyMHz: f,
            bandwidthKHz: try r.double("bandwidth_khz", in: 0.0001...10_000_000, unit: "kHz"),
            bandwidthMethod: method, levelDBuVm: try level(r, frequencyMHz: f),
            frequencyUncertaintyHz: try r.optionalDouble("frequency_uncertainty_hz", in: 0...1e9, unit: "Hz") ?? 0,
            levelUncertaintyDB: try r.optionalDouble("level_uncertainty_db", in: 0...60, unit: "dB") ?? 0,
            bandwidthUncertaintyKHz: try r.optionalDouble("bandwidth_uncertainty_khz", in: 0...1_000_000, unit: "kHz") ?? 0,
            row: r.row)
    }

    /// `99%`, `99 %`, or `<x>dB` / `x-dB` with a number x.
    static func isBandwidthMethod(_ s: String) -> Bool {
        let t = s.lowercased().replacingOccurrences(of: " ", with: "")
        if t == "99%" || t == "x-db" { return true }
        guard t.hasSuffix("db") else { return false }
        return DecimalNumber.parse(t.dropLast(2)) != nil
    }

    /// `level_dbuv_m`, or `level_dbm` with `rx_antenna_factor_db_per_m` or `rx_gain_dbi`.
    static func level(_ r: RowReader, frequencyMHz f: Double) throws -> Double {
        if let e = try r.optionalDouble("level_dbuv_m", in: -60...200, unit: "dBµV/m") {
            if r.optionalString("level_dbm") != nil {
                throw r.error("level_dbm", r.optionalString("level_dbm"), "either level_dbuv_m or level_dbm, not both")
            }
            return e
        }
        guard let p = try r.optionalDouble("level_dbm", in: -200...60, unit: "dBm") else {
            throw r.error("level_dbuv_m", nil, "a field strength in dBµV/m (or level_dbm with rx_antenna_factor_db_per_m or rx_gain_dbi)")
        }
        if let k = try r.optionalDouble("rx_antenna_factor_db_per_m", in: -40...80, unit: "dB/m") {
            return MonitoringLevel.fieldStrength(powerDBm: p, antennaFactorDBPerM: k)
        }
        if let g = try r.optionalDouble("rx_gain_dbi", in: -40...60, unit: "dBi") {
            return MonitoringLevel.fieldStrength(powerDBm: p, gainDBi: g, frequencyMHz: f)
        }
        throw r.error("rx_antenna_factor_db_per_m", nil, "an antenna factor in dB/m or rx_gain_dbi in dBi, to convert level_dbm to field strength")
    }
}

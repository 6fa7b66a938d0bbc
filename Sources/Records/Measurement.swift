// Measurements (drive and walk tests): one received level at one point. Two loaders:
//   - the generic contract (data/README.md, Measurements): a CSV with latitude/longitude or any OGR point layer;
//   - the text export of G-NetTrack Pro (Gyokov Solutions), comma- or tab-separated, with the app's column names.
// Bad rows give file, row, column, value and what was expected; `skipInvalid` skips and lists them.
import Foundation
import Geo
import Radio

/// The quantity a measurement holds.
public enum MeasurementMetric: String, Sendable, CaseIterable, Codable {
    case rxlev, rscp, rsrp, ssRSRP = "ss_rsrp", totalDBm = "total_dbm", fieldDBuVm = "field_dbuv_m"

    /// The metric a technology is planned and logged with (`SignalMetric`): RxLev, RSCP, RSRP, SS-RSRP, else total.
    public static func native(for technology: Technology) -> MeasurementMetric {
        switch technology {
        case .gsm: return .rxlev
        case .umts: return .rscp
        case .lte: return .rsrp
        case .nr: return .ssRSRP
        default: return .totalDBm
        }
    }

    public var unit: String { self == .fieldDBuVm ? "dBµV/m" : "dBm" }

    /// The technology a per-technology metric belongs to (nil: total power and field strength fit any).
    public var technology: Technology? {
        switch self {
        case .rxlev: return .gsm
        case .rscp: return .umts
        case .rsrp: return .lte
        case .ssRSRP: return .nr
        case .totalDBm, .fieldDBuVm: return nil
        }
    }
}

public struct SurveyMeasurement: Sendable, Equatable {
    /// Data row in its file (1-based), for messages and the per-row products.
    public var row: Int
    public var latitude: Double
    public var longitude: Double
    public var technology: Technology
    public var metric: MeasurementMetric
    /// dBm, or dBµV/m for `field_dbuv_m`.
    public var value: Double
    /// Downlink centre frequency, MHz (given, or from the channel number).
    public var frequencyMHz: Double
    /// The channel number the frequency came from ("earfcn 9310"), if any.
    public var channel: String?
    /// Serving sector, matching a transmitter's `id`.
    public var transmitterID: String?
    /// Physical cell id (LTE/NR) or scrambling code (UMTS) or BSIC (GSM), as logged.
    public var pci: Int?
    /// ISO 8601 text as given (the G-NetTrack loader converts the app's `YYYY.MM.DD_HH.MM.SS`).
    public var timestamp: String?
    /// Receiver height above ground, m.
    public var rxHeightM: Double
    public var operatorName: String?

    public init(
        row: Int, latitude: Double, longitude: Double, technology: Technology, metric: MeasurementMetric, value: Double,
        frequencyMHz: Double, channel: String? = nil, transmitterID: String? = nil, pci: Int? = nil, timestamp: String? = nil,
        rxHeightM: Double = 1.5, operatorName: String? = nil
    ) {
        self.row = row; self.latitude = latitude; self.longitude = longitude; self.technology = technology
        self.metric = metric; self.value = value; self.frequencyMHz = frequencyMHz; self.channel = channel
        self.transmitterID = transmitterID; self.pci = pci; self.timestamp = timestamp; self.rxHeightM = rxHeightM
        self.operatorName = operatorName
    }
}

/// Loaded measurements and what the loader noted without refusing a row (e.g. a PCI dropped).
public struct MeasurementSet: Sendable {
    public var measurements: [SurveyMeasurement]
    public var notes: [String]
    /// "generic" or "G-NetTrack".
    public var format: String
}

public enum MeasurementLoader {
    public static let requiredColumns = ["latitude", "longitude", "technology", "metric", "value"]
    static let channelColumns: [(String, ChannelNumberKind)] = [("arfcn", .arfcn), ("uarfcn", .uarfcn), ("earfcn", .earfcn), ("nrarfcn", .nrarfcn)]

    /// Either format: a text file whose header has G-NetTrack's `NetworkTech` and `Level` columns is read as
    /// G-NetTrack, anything else as the generic contract.
    public static func load(
        _ source: String, skipInvalid: Bool = false, encoding: TextEncoding = .utf8, report: inout LoadReport
    ) throws -> MeasurementSet {
        if GNetTrack.looksLikeExport(source) {
            return try GNetTrack.load(source, skipInvalid: skipInvalid, encoding: encoding, report: &report)
        }
        return try loadGeneric(source, skipInvalid: skipInvalid, encoding: encoding, report: &report)
    }

    /// The generic contract: CSV with latitude/longitude or any OGR point layer.
    public static func loadGeneric(
        _ source: String, layer: String? = nil, skipInvalid: Bool = false, encoding: TextEncoding = .utf8, report: inout LoadReport
    ) throws -> MeasurementSet {
        let rows = try loadRows(
            source: source, layer: layer, required: requiredColumns, skipInvalid: skipInvalid, encoding: encoding,
            report: &report, id: { (m: SurveyMeasurement) in String(m.row) }, make: measurement)
        return MeasurementSet(measurements: rows, notes: [], format: "generic")
    }

    static func measurement(_ r: RowReader) throws -> SurveyMeasurement {
        let pos = try r.position()
        let techRaw = try r.string("technology")
        guard let tech = Technology(parsing: techRaw), [.gsm, .umts, .lte, .nr, .fm, .tv, .other].contains(tech) else {
            throw r.error("technology", techRaw, "one of 2G, 3G, 4G, 5G (also GSM, UMTS, LTE, NR), FM, TV, other")
        }
        let metricRaw = try r.string("metric")
        guard let metric = MeasurementMetric(rawValue: metricRaw.lowercased()) else {
            throw r.error("metric", metricRaw, "one of " + MeasurementMetric.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if let t = metric.technology, t != tech {
            throw r.error(
                "metric", metricRaw,
                "a metric of \(tech.rawValue) (\(MeasurementMetric.native(for: tech).rawValue), total_dbm or field_dbuv_m): \(metric.rawValue) is a \(t.rawValue) metric"
            )
        }
        let value = try r.double("value", in: metric == .fieldDBuVm ? -50...200 : -200...30, unit: metric.unit)
        let (frequency, channel) = try frequencyMHz(r)
        var pci: Int? = nil
        if let p = r.raw("pci") {
            guard let v = DecimalNumber.parseInt(p), (0...1007).contains(v) else { throw r.error("pci", p, "a whole number in [0, 1007]") }
            pci = v
        }
        var timestamp: String? = nil
        if let t = r.raw("timestamp") {
            guard ISOTime.isValid(t) else { throw r.error("timestamp", t, "an ISO 8601 date and time, e.g. 2026-03-14T09:26:53+07:00") }
            timestamp = t
        }
        return SurveyMeasurement(
            row: r.row, latitude: pos.y, longitude: pos.x, technology: tech, metric: metric, value: value,
            frequencyMHz: frequency, channel: channel, transmitterID: r.optionalString("transmitter_id"), pci: pci,
            timestamp: timestamp, rxHeightM: try r.optionalDouble("rx_height_m", in: 0.1...500, unit: "m") ?? 1.5,
            operatorName: r.optionalString("operator"))
    }

    /// `frequency_mhz`, else the first channel-number column present.
    static func frequencyMHz(_ r: RowReader) throws -> (Double, String?) {
        if let f = try r.optionalDouble("frequency_mhz", in: 3...100_000, unit: "MHz") { return (f, nil) }
        for (column, kind) in channelColumns {
            guard let raw = r.raw(column) else { continue }
            return try channelFrequency(r, column: column, raw: raw, kind: kind)
        }
        throw r.error("frequency_mhz", nil, "a frequency in MHz, or a channel number in arfcn, uarfcn, earfcn or nrarfcn")
    }

    static func channelFrequency(_ r: RowReader, column: String, raw: String, kind: ChannelNumberKind) throws -> (Double, String) {
        guard let n = wholeNumber(raw) else { throw r.error(column, raw, "a whole channel number (\(kind.specification))") }
        do { return (try ChannelNumbers.downlinkMHz(n, kind: kind), "\(kind.rawValue) \(n)") } catch let e as ChannelNumberError {
            throw r.error(column, raw, "a downlink channel number: \(e.message)")
        }
    }

    /// A whole number, also written as a float with a zero fraction ("9310.0", as G-NetTrack exports write them).
    static func wholeNumber(_ raw: String) -> Int? {
        if let n = DecimalNumber.parseInt(raw) { return n }
        guard let x = DecimalNumber.parse(raw), x == x.rounded(), abs(x) < 1e9 else { return nil }
        return Int(x)
    }
}

/// ISO 8601 date-times: `YYYY-MM-DDTHH:MM[:SS[.fff]]` with an optional `Z` or `±HH:MM` (a space is accepted for
/// the `T`), or a date alone.
enum ISOTime {
    static func isValid(_ s: String) -> Bool {
        let u = Array(s.utf8)
        func digits(_ a: Int, _ n: Int) -> Int? {
            guard a + n <= u.count else { return nil }
            var v = 0
            for i in a..<(a + n) { guard (48...57).contains(u[i]) else { return nil }; v = v * 10 + Int(u[i] - 48) }
            return v
        }
        guard let _ = digits(0, 4), u.count >= 10, u[4] == 45, let mo = digits(5, 2), u[7] == 45, let d = digits(8, 2),
            (1...12).contains(mo), (1...31).contains(d)
        else { return false }
        if u.count == 10 { return true }
        guard u[10] == 84 || u[10] == 32, let h = digits(11, 2), u.count >= 16, u[13] == 58, let mi = digits(14, 2), h < 24, mi < 60 else { return false }
        var i = 16
        if i < u.count, u[i] == 58 {
            guard let sec = digits(i + 1, 2), sec <= 60 else { return false }
            i += 3
            if i < u.count, u[i] == 46 {
                i += 1
                let start = i
                while i < u.count, (48...57).contains(u[i]) { i += 1 }
                guard i > start else { return false }
            }
        }
        if i == u.count { return true }
        if u[i] == 90 { return i + 1 == u.count }
        guard u[i] == 43 || u[i] == 45, let oh = digits(i + 1, 2), oh < 24 else { return false }
        if i + 3 == u.count { return true }
        guard i + 6 == u.count, u[i + 3] == 58, let om = digits(i + 4, 2), om < 60 else { return false }
        return true
    }
}

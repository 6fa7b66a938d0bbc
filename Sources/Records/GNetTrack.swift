// The text export of G-NetTrack Pro (Gyokov Solutions), the Android logger regulators in the region use: one
// line per record, comma- or tab-separated, with the app's column names (`Timestamp`, `Longitude`, `Latitude`,
// `Operatorname`, `Node`, `CellID`, `NetworkTech`, `Level`, `Qual`, `ARFCN`, `PSC`, …). Column names are
// case-insensitive; unknown columns are ignored.
//
// How a row becomes a `SurveyMeasurement`:
//   - technology from `NetworkTech` (2G/3G/4G/5G, also GSM, EDGE, UMTS, HSPA, LTE, NR);
//   - metric: the technology's own (`Level` is RxLev, RSCP, RSRP or SS-RSRP as the app logs it), dBm;
//   - frequency from `ARFCN`, read per technology as ARFCN (2G), UARFCN (3G), EARFCN (4G) or NR-ARFCN (5G). In
//     5G NSA the app logs the LTE anchor: a 5G row whose ARFCN is below 123400 (the lowest NR-ARFCN of an NR
//     band, n71) is read as the anchor's EARFCN, and a note says how many rows were;
//   - serving sector `Node-CellID` (both written as whole numbers, e.g. `702072-20`), the `transmitter_id` a
//     transmitters file must use to match; `PSC` as the PCI (a non-integer PSC, e.g. an outlier clip, drops the
//     PCI of that row, with a note); `Timestamp` `YYYY.MM.DD_HH.MM.SS` → ISO 8601 (local time of the phone).
import Foundation
import Geo
import Radio

public enum GNetTrack {
    public static let requiredColumns = ["timestamp", "longitude", "latitude", "networktech", "level", "arfcn"]

    /// True for a text file whose first line holds `NetworkTech` and `Level`.
    static func looksLikeExport(_ source: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: source) else { return false }
        defer { try? h.close() }
        let head = String(decoding: (try? h.read(upToCount: 4096)) ?? Data(), as: UTF8.self).lowercased()
        let first = head.split(separator: "\n", maxSplits: 1).first ?? ""
        let names = first.split(whereSeparator: { $0 == "," || $0 == "\t" }).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        return names.contains("networktech") && names.contains("level")
    }

    public static func load(
        _ source: String, skipInvalid: Bool = false, encoding: TextEncoding = .utf8, report: inout LoadReport
    ) throws -> MeasurementSet {
        let text = try InputText.read(source, kind: .records, encoding: encoding)
        let layer = try parse(text, source: source)
        var anchorRows = 0, droppedPCI = 0
        let rows = try collectRows(
            layer, source: source, required: requiredColumns, skipInvalid: skipInvalid, report: &report,
            id: { (m: SurveyMeasurement) in String(m.row) }
        ) { r in
            let m = try measurement(r)
            if m.anchor { anchorRows += 1 }
            if m.droppedPCI { droppedPCI += 1 }
            return m.measurement
        }
        var notes: [String] = []
        if anchorRows > 0 {
            notes.append("\(anchorRows) 5G row(s) carry an LTE EARFCN in ARFCN (NSA: the app logs the LTE anchor); their frequency is the anchor's")
        }
        if droppedPCI > 0 { notes.append("\(droppedPCI) row(s) have a PSC that is not a whole number in [0, 1007]: no PCI taken for them") }
        return MeasurementSet(measurements: rows, notes: notes, format: "G-NetTrack")
    }

    /// The file as a layer of features (no geometry), tab-separated when the header holds a tab, else CSV.
    static func parse(_ text: String, source: String) throws -> VectorLayer {
        let firstLine = text.prefix { $0 != "\n" }
        let rows: [[String]]
        if firstLine.contains("\t") {
            rows = text.split(separator: "\n", omittingEmptySubsequences: true).map {
                $0.split(separator: "\t", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\r")) }
            }
        } else {
            rows = CSV.parse(text)
        }
        guard let header = rows.first else {
            throw RecordError(source: source, row: nil, column: nil, value: nil, expected: "a header line with G-NetTrack's column names")
        }
        var features: [Feature] = []
        features.reserveCapacity(rows.count)
        for (i, row) in rows.dropFirst().enumerated() {
            guard row.count == header.count else {
                throw RecordError(
                    source: source, row: i + 1, column: nil, value: nil,
                    expected: "\(header.count) fields as in the header, found \(row.count)")
            }
            var attributes: [String: String] = [:]
            for (k, v) in zip(header, row) { attributes[k] = v }
            features.append(Feature(index: i + 1, fid: Int64(i + 1), attributes: attributes, geometry: nil))
        }
        return VectorLayer(name: "gnettrack", fieldNames: header, features: features)
    }

    static func technology(_ raw: String) -> Technology? {
        switch raw.trimmingCharacters(in: .whitespaces).uppercased() {
        case "EDGE", "GPRS": return .gsm
        case "HSPA", "HSPA+", "HSDPA", "HSUPA": return .umts
        case "5G NSA", "5G SA", "NR NSA", "NR SA": return .nr
        default: return Technology(parsing: raw).flatMap { [.gsm, .umts, .lte, .nr].contains($0) ? $0 : nil }
        }
    }

    static func measurement(_ r: RowReader) throws -> (measurement: SurveyMeasurement, anchor: Bool, droppedPCI: Bool) {
        let techRaw = try r.string("networktech")
        guard let tech = technology(techRaw) else {
            throw r.error("NetworkTech", techRaw, "one of 2G, 3G, 4G, 5G (also GSM, EDGE, UMTS, HSPA, LTE, NR)")
        }
        let pos = try r.position()
        let metric = MeasurementMetric.native(for: tech)
        let level = try r.double("level", in: -200...30, unit: "dBm (\(metric.rawValue))")
        let arfcnRaw = try r.string("arfcn")
        guard let n = MeasurementLoader.wholeNumber(arfcnRaw) else { throw r.error("ARFCN", arfcnRaw, "a whole channel number") }
        let kind: ChannelNumberKind, anchor: Bool
        switch tech {
        case .gsm: kind = .arfcn; anchor = false
        case .umts: kind = .uarfcn; anchor = false
        case .lte: kind = .earfcn; anchor = false
        default: anchor = n < 123_400; kind = anchor ? .earfcn : .nrarfcn
        }
        let (frequency, channel) = try MeasurementLoader.channelFrequency(r, column: "ARFCN", raw: arfcnRaw, kind: kind)
        let timestamp = try isoTimestamp(r)
        var pci: Int? = nil, dropped = false
        if let p = r.raw("psc") {
            if let v = MeasurementLoader.wholeNumber(p), (0...1007).contains(v) { pci = v } else { dropped = true }
        }
        var transmitterID: String? = nil
        if let node = r.raw("node").flatMap(MeasurementLoader.wholeNumber), let cell = r.raw("cellid").flatMap(MeasurementLoader.wholeNumber) {
            transmitterID = "\(node)-\(cell)"
        }
        let m = SurveyMeasurement(
            row: r.row, latitude: pos.y, longitude: pos.x, technology: tech, metric: metric, value: level,
            frequencyMHz: frequency, channel: channel, transmitterID: transmitterID, pci: pci, timestamp: timestamp,
            rxHeightM: 1.5, operatorName: r.optionalString("operatorname"))
        return (m, anchor, dropped)
    }

    /// `YYYY.MM.DD_HH.MM.SS` → `YYYY-MM-DDTHH:MM:SS`.
    static func isoTimestamp(_ r: RowReader) throws -> String {
        let raw = try r.string("timestamp")
        let parts = raw.split(separator: "_")
        let date = parts.first?.split(separator: ".") ?? [], time = parts.count == 2 ? parts[1].split(separator: ".") : []
        let iso = date.count == 3 && time.count == 3 ? "\(date[0])-\(date[1])-\(date[2])T\(time[0]):\(time[1]):\(time[2])" : ""
        guard ISOTime.isValid(iso) else { throw r.error("Timestamp", raw, "G-NetTrack's YYYY.MM.DD_HH.MM.SS, e.g. 2024.12.03_11.30.19") }
        return iso
    }
}

// The sweep file of a monitoring receiver, read as a stream: one row per (sweep, frequency bin),
// `station_id, latitude, longitude, antenna_height_m, timestamp, frequency_mhz, level_dbuv_m` (or `level_dbm`
// with `rx_antenna_factor_db_per_m` or `rx_gain_dbi`). Consecutive rows with the same station and timestamp
// form one sweep; every sweep of a station has the frequency grid of its first sweep. The file is read in
// 1 MB pieces and each sweep is handed to the caller as a Float32 level array, so memory does not grow with the
// file (schema in data/README.md, "Monitoring").
import Foundation
import Radio

/// One sweep: its station, position and time, the station's frequency grid and the levels of this sweep.
public struct Sweep {
    public let stationID: String
    public let latitude: Double
    public let longitude: Double
    public let antennaHeightM: Double
    public let timestamp: String
    /// The station's grid, MHz (the same array for every sweep of the station).
    public let frequenciesMHz: [Double]
    /// Levels in the file's unit (`unit`), one per grid frequency.
    public let levels: UnsafeBufferPointer<Float>
    /// dB to add to a level to get field strength at frequency f: `fieldStrengthOffsetDB(f)`.
    public let unit: SweepUnit
    /// Data row (1-based) of the sweep's first row.
    public let row: Int
}

public enum SweepUnit: Sendable, Equatable {
    case dBuVm
    case dBmWithAntennaFactor(Double)
    case dBmWithGain(Double)

    /// The field strength (dBµV/m) of a level in this unit at `frequencyMHz`.
    public func fieldStrength(_ level: Double, frequencyMHz: Double) -> Double {
        switch self {
        case .dBuVm: return level
        case .dBmWithAntennaFactor(let k): return MonitoringLevel.fieldStrength(powerDBm: level, antennaFactorDBPerM: k)
        case .dBmWithGain(let g): return MonitoringLevel.fieldStrength(powerDBm: level, gainDBi: g, frequencyMHz: frequencyMHz)
        }
    }
}

public final class SweepReader {
    public let source: String
    /// Rows skipped with `skipInvalid` (the first 1,000 are kept; `skippedCount` counts all).
    public private(set) var report = LoadReport()
    public private(set) var skippedCount = 0
    public private(set) var rowsRead = 0
    public private(set) var sweepsRead = 0
    public let skipInvalid: Bool
    public let fileBytes: Int
    /// Bytes read from the file so far (for progress).
    public private(set) var bytesConsumed = 0

    private let handle: FileHandle
    private var columns: [String: Int] = [:]
    private var columnNames: [String] = []
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    private var dataRow = 0

    public init(path: String, skipInvalid: Bool = false) throws {
        source = path
        self.skipInvalid = skipInvalid
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
            let h = FileHandle(forReadingAtPath: path)
        else {
            throw RecordError(source: path, row: nil, column: nil, value: nil, expected: "a readable sweep file (CSV)")
        }
        handle = h
        fileBytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        try readHeader()
    }

    deinit { try? handle.close() }

    static let required = ["station_id", "latitude", "longitude", "antenna_height_m", "timestamp", "frequency_mhz"]

    private func readHeader() throws {
        guard let line = try nextLine() else {
            throw RecordError(source: source, row: nil, column: nil, value: nil, expected: "a header row")
        }
        var bytes = Array(line)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw RecordError(source: source, row: nil, column: nil, value: nil, expected: "a UTF-8 header row")
        }
        columnNames = (CSV.parse(text).first ?? []).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for (i, c) in columnNames.enumerated() where columns[c] == nil { columns[c] = i }
        for c in Self.required where columns[c] == nil {
            throw RecordError(
                source: source, row: nil, column: c, value: nil,
                expected: "a column named '\(c)' (the file has: \(InputText.columnList(columnNames)))")
        }
        let hasE = columns["level_dbuv_m"] != nil, hasP = columns["level_dbm"] != nil
        guard hasE != hasP else {
            throw RecordError(
                source: source, row: nil, column: "level_dbuv_m", value: nil,
                expected:
                    "one level column: level_dbuv_m, or level_dbm with rx_antenna_factor_db_per_m or rx_gain_dbi (the file has: \(InputText.columnList(columnNames)))"
            )
        }
        if hasP && columns["rx_antenna_factor_db_per_m"] == nil && columns["rx_gain_dbi"] == nil {
            throw RecordError(
                source: source, row: nil, column: "rx_antenna_factor_db_per_m", value: nil,
                expected: "rx_antenna_factor_db_per_m or rx_gain_dbi, to convert level_dbm to field strength")
        }
    }

    /// The next line without its line end, or nil at the end of the file.
    private func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                var end = nl
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                let line = buffer[start..<end]
                start = nl + 1
                return line
            }
            if eof {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == 0x0D { end -= 1 }
                let line = buffer[start..<end]
                start = buffer.count
                return line
            }
            buffer.removeFirst(start)
            start = 0
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { eof = true } else { buffer.append(contentsOf: chunk); bytesConsumed += chunk.count }
        }
    }

    // MARK: reading

    private struct Pending {
        var station: [UInt8] = [], time: [UInt8] = [], position: [UInt8] = []
        var stationID = "", timestamp = ""
        var lat = 0.0, lon = 0.0, height = 0.0
        var unit = SweepUnit.dBuVm
        var row = 0
        var frequencies: [Double] = []
        var levels: [Float] = []
        var failed = false
        /// The station's grid when an earlier sweep set it.
        var grid: [Double]? = nil
    }

    private struct StationGrid { var frequencies: [Double] }

    /// Calls `body` with every sweep in file order. A bad row throws a `RecordError` (file, row, column, value,
    /// expected), or with `skipInvalid` is listed and its sweep dropped.
    public func forEachSweep(_ body: (Sweep) throws -> Void) throws {
        var grids: [String: StationGrid] = [:]
        var p = Pending()
        var has = false
        func emit() throws {
            defer { has = false }
            guard has, !p.failed else { return }
            let n = p.frequencies.count
            if let g = grids[p.stationID] {
                guard g.frequencies.count == n else {
                    try fail(
                        RecordError(
                            source: source, row: p.row, column: "frequency_mhz", value: nil,
                            expected:
                                "\(g.frequencies.count) rows per sweep of station \(p.stationID) (its first sweep's grid); this sweep at \(p.timestamp) has \(n)"
                        ))
                    return
                }
            } else {
                grids[p.stationID] = StationGrid(frequencies: p.frequencies)
            }
            let grid = grids[p.stationID]!.frequencies
            sweepsRead += 1
            try p.levels.withUnsafeBufferPointer { lv in
                try body(
                    Sweep(
                        stationID: p.stationID, latitude: p.lat, longitude: p.lon, antennaHeightM: p.height,
                        timestamp: p.timestamp, frequenciesMHz: grid, levels: lv, unit: p.unit, row: p.row))
            }
        }
        func fail(_ e: RecordError) throws {
            guard skipInvalid else { throw e }
            skippedCount += 1
            if report.skipped.count < 1000 { report.skipped.append(e) }
        }
        let iStation = columns["station_id"]!, iLat = columns["latitude"]!, iLon = columns["longitude"]!
        let iHeight = columns["antenna_height_m"]!, iTime = columns["timestamp"]!, iFreq = columns["frequency_mhz"]!
        let iE = columns["level_dbuv_m"], iP = columns["level_dbm"]
        let iK = columns["rx_antenna_factor_db_per_m"], iG = columns["rx_gain_dbi"]
        var fields: [Range<Int>] = []
        while let line = try nextLine() {
            dataRow += 1
            if line.isEmpty { continue }
            rowsRead += 1
            let row = dataRow
            let lb = line.startIndex
            fields.removeAll(keepingCapacity: true)
            if line.contains(0x22) {
                try fail(RecordError(source: source, row: row, column: nil, value: String(decoding: line, as: UTF8.self), expected: "unquoted fields"))
                continue
            }
            var s = 0, k = 0
            for b in line {
                if b == 0x2C { fields.append(s..<k); s = k + 1 }
                k += 1
            }
            fields.append(s..<k)
            func slice(_ i: Int) -> ArraySlice<UInt8> { line[(lb + fields[i].lowerBound)..<(lb + fields[i].upperBound)] }
            func text(_ i: Int) -> String { i < fields.count ? String(decoding: slice(i), as: UTF8.self) : "" }
            func err(_ i: Int, _ expected: String) -> RecordError {
                let v = text(i).trimmingCharacters(in: .whitespaces)
                return RecordError(source: source, row: row, column: columnNames[i], value: v.isEmpty ? nil : v, expected: expected)
            }
            func number(_ i: Int, _ range: ClosedRange<Double>, _ unit: String) -> Double? {
                guard i < fields.count else { return nil }
                return line.withUnsafeBufferPointer { b in
                    guard let x = FastDecimal.parse(b, fields[i]), range.contains(x) else { return nil }
                    return x
                }
            }
            guard fields.count >= columnNames.count else {
                try fail(RecordError(source: source, row: row, column: nil, value: nil, expected: "\(columnNames.count) fields, found \(fields.count)"))
                continue
            }
            let station = slice(iStation), time = slice(iTime)
            if has && !(station.elementsEqual(p.station) && time.elementsEqual(p.time)) { try emit() }
            if !has {
                p = Pending(station: Array(station), time: Array(time), row: row)
                p.levels.reserveCapacity(1024)
                p.frequencies.reserveCapacity(1024)
                has = true
                p.stationID = String(decoding: station, as: UTF8.self).trimmingCharacters(in: .whitespaces)
                p.timestamp = String(decoding: time, as: UTF8.self).trimmingCharacters(in: .whitespaces)
                p.grid = grids[p.stationID]?.frequencies
                if p.stationID.isEmpty { p.failed = true; try fail(err(iStation, "a non-empty station id")); continue }
                if p.timestamp.isEmpty { p.failed = true; try fail(err(iTime, "a timestamp")); continue }
                guard let lat = number(iLat, -90...90, "degrees") else { p.failed = true; try fail(err(iLat, "a number in [-90, 90] degrees")); continue }
                guard let lon = number(iLon, -180...180, "degrees") else {
                    p.failed = true; try fail(err(iLon, "a number in [-180, 180] degrees")); continue
                }
                guard let h = number(iHeight, 0...1000, "m") else { p.failed = true; try fail(err(iHeight, "a number in [0, 1000] m")); continue }
                (p.lat, p.lon, p.height) = (lat, lon, h)
                p.position = Array(slice(iLat)) + [0x2C] + Array(slice(iLon)) + [0x2C] + Array(slice(iHeight))
                if iP != nil {
                    if let k = iK, let x = number(k, -40...80, "dB/m") {
                        p.unit = .dBmWithAntennaFactor(x)
                    } else if let g = iG, let x = number(g, -40...60, "dBi") {
                        p.unit = .dBmWithGain(x)
                    } else {
                        p.failed = true
                        try fail(err(iK ?? iG!, "an antenna factor in [-40, 80] dB/m or rx_gain_dbi in [-40, 60] dBi"))
                        continue
                    }
                }
            } else if p.failed {
                continue
            } else if !samePosition(slice(iLat), slice(iLon), slice(iHeight), p.position) {
                p.failed = true
                try fail(err(iLat, "the position of the sweep's first row (row \(p.row)): one sweep, one position"))
                continue
            }
            guard let f = number(iFreq, 0.009...300_000, "MHz") else {
                p.failed = true; try fail(err(iFreq, "a number in [0.009, 300000] MHz")); continue
            }
            if let last = p.frequencies.last, f <= last {
                p.failed = true; try fail(err(iFreq, "a frequency above the previous row's \(last) MHz (rows of a sweep in increasing frequency)")); continue
            }
            let n = p.frequencies.count
            if let g = p.grid, n < g.count, abs(g[n] - f) > 1e-6 {
                p.failed = true
                try fail(err(iFreq, "\(g[n]) MHz, bin \(n + 1) of station \(p.stationID)'s first sweep (every sweep of a station on one grid)"))
                continue
            }
            let iLevel = iE ?? iP!
            guard let level = number(iLevel, iE != nil ? -60...200 : -200...60, "") else {
                p.failed = true
                try fail(err(iLevel, iE != nil ? "a number in [-60, 200] dBµV/m" : "a number in [-200, 60] dBm"))
                continue
            }
            p.frequencies.append(f)
            p.levels.append(Float(level))
        }
        try emit()
    }
}

/// True when "lat,lon,height" of a row equals the bytes kept from the sweep's first row.
private func samePosition(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>, _ c: ArraySlice<UInt8>, _ kept: [UInt8]) -> Bool {
    guard a.count + b.count + c.count + 2 == kept.count else { return false }
    var i = 0
    for x in a { if kept[i] != x { return false }; i += 1 }
    i += 1
    for x in b { if kept[i] != x { return false }; i += 1 }
    i += 1
    for x in c { if kept[i] != x { return false }; i += 1 }
    return true
}

/// A decimal number from bytes: optional sign, digits, optional fraction, optional exponent, surrounding
/// spaces allowed. No hex, `_`, inf or nan (the DecimalNumber rules); correctly rounded for up to 15
/// significant digits and exponents within ±22, else through DecimalNumber.
public enum FastDecimal {
    static let powers: [Double] = (0...22).map { pow(10, Double($0)) }

    public static func parse(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
        var i = range.lowerBound, end = range.upperBound
        while i < end && b[i] == 0x20 { i += 1 }
        while end > i && b[end - 1] == 0x20 { end -= 1 }
        guard i < end else { return nil }
        var negative = false
        if b[i] == 0x2D || b[i] == 0x2B { negative = b[i] == 0x2D; i += 1 }
        var mantissa: UInt64 = 0, digits = 0, scale = 0, any = false
        while i < end, b[i] >= 0x30, b[i] <= 0x39 {
            if digits < 18 { mantissa = mantissa * 10 + UInt64(b[i] - 0x30); if mantissa > 0 { digits += 1 } } else { scale -= 1 }
            any = true; i += 1
        }
        if i < end && b[i] == 0x2E {
            i += 1
            while i < end, b[i] >= 0x30, b[i] <= 0x39 {
                if digits < 18 { mantissa = mantissa * 10 + UInt64(b[i] - 0x30); scale += 1; if mantissa > 0 { digits += 1 } }
                any = true; i += 1
            }
        }
        guard any else { return nil }
        var exponent = 0
        if i < end && (b[i] == 0x65 || b[i] == 0x45) {
            i += 1
            var eNeg = false
            if i < end && (b[i] == 0x2D || b[i] == 0x2B) { eNeg = b[i] == 0x2D; i += 1 }
            var eDigits = 0
            while i < end, b[i] >= 0x30, b[i] <= 0x39 {
                if exponent < 10000 { exponent = exponent * 10 + Int(b[i] - 0x30) }
                eDigits += 1; i += 1
            }
            guard eDigits > 0 else { return nil }
            if eNeg { exponent = -exponent }
        }
        guard i == end else { return nil }
        let e = exponent - scale
        var x: Double
        if digits <= 15 && abs(e) <= 22 {
            x = Double(mantissa)
            x = e >= 0 ? x * powers[e] : x / powers[-e]
        } else {
            guard let y = DecimalNumber.parse(String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self)) else { return nil }
            return y
        }
        if negative { x = -x }
        return x.isFinite ? x : nil
    }
}

// The path-loss batch contract behind `tanso pathloss`: one CSV row per path, any propagation model.
//
// Input columns (any order, case-insensitive; unknown columns ignored):
//   id, frequency_mhz, tx_height_m, rx_height_m (above ground), spacing_m, elevations_m (n+1 heights in m above
//   sea level from transmitter to receiver, space-separated), and per model: polarization, climate, n0,
//   permittivity, conductivity_s_per_m, time_pct, location_pct, situation_pct, mdvar (ITM); k_factor (P.526);
//   environment, city_size (Hata family); los (38.901); building_height_m, street_width_m (38.901 RMa).
// Output: id, loss_db, warnings (names joined by ';'), error. One row per input row, input order.
import Dispatch
import Foundation
import Propagation
import Records

public enum PathLossModelID: String, CaseIterable, Sendable {
    case itm, p526, hata, cost231, ehata, fspl, p1812, p1546, p452
    case tr38901RMa = "38901-rma", tr38901UMa = "38901-uma", tr38901UMi = "38901-umi"
}

/// Defaults applied to missing optional columns (documented in `tanso pathloss --help`).
public enum PathLossDefaults {
    public static let polarization = "vertical"
    public static let climate = 5             // continental temperate (NTIA's example default)
    public static let n0 = 301.0              // N-units
    public static let permittivity = 15.0
    public static let conductivitySPerM = 0.005
    public static let timePct = 50.0, locationPct = 50.0, situationPct = 50.0
    public static let mdvar = 12              // mobile mode, location variability eliminated (known profile)
    public static let kFactor = 4.0 / 3.0
    public static let environment = "urban"
    public static let citySize = "small"
    public static let los = "nlos"
    /// P.1812/P.452 radio-meteorology: indicative values for Vietnam (ΔN 50 N-units/km, N0 365 N-units); users
    /// should read their own from the ITU-R P.453 maps (which tanso cannot ship).
    public static let deltaN = 50.0
    public static let n0ITU = 365.0
    public static let pathType = "land"
    public static let rxArea = "rural"
}

public struct PathLossOutcome: Sendable, Equatable {
    public var id: String
    public var lossDB: Double?
    public var warnings: [String]
    public var error: String?
}

/// A bad value in a batch row: the column, the value and what was expected.
public struct PathLossInputError: Error, CustomStringConvertible, Sendable {
    public let column: String
    public let value: String?
    public let expected: String
    public var description: String {
        "column '\(column)': " + (value.map { "value '\($0)'" } ?? "missing") + ": expected \(expected)"
    }
}

public struct PathLossRow: Sendable {
    public let fields: [String: String]
    public init(fields: [String: String]) {
        var lower: [String: String] = [:]
        for (k, v) in fields { lower[k.lowercased().trimmingCharacters(in: .whitespaces)] = v.trimmingCharacters(in: .whitespaces) }
        self.fields = lower
    }

    public var id: String { fields["id"] ?? "" }

    func raw(_ c: String) -> String? { fields[c].flatMap { $0.isEmpty ? nil : $0 } }

    func double(_ c: String) throws -> Double {
        guard let r = raw(c) else { throw PathLossInputError(column: c, value: nil, expected: "a number") }
        guard let v = Double(r), v.isFinite else { throw PathLossInputError(column: c, value: r, expected: "a number") }
        return v
    }

    func double(_ c: String, default d: Double) throws -> Double { raw(c) == nil ? d : try double(c) }

    func int(_ c: String, default d: Int) throws -> Int {
        guard let r = raw(c) else { return d }
        guard let v = Int(r) else { throw PathLossInputError(column: c, value: r, expected: "a whole number") }
        return v
    }

    func choice(_ c: String, _ options: [String], default d: String) throws -> String {
        let v = (raw(c) ?? d).lowercased()
        guard options.contains(v) else { throw PathLossInputError(column: c, value: raw(c), expected: options.joined(separator: " or ")) }
        return v
    }

    /// A per-point list column (space-separated numbers), nil when absent; must hold `count` values.
    func list(_ c: String, count: Int) throws -> [Double]? {
        guard let text = raw(c) else { return nil }
        var out: [Double] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" }) {
            guard let v = Double(token), v.isFinite else { throw PathLossInputError(column: c, value: String(token), expected: "numbers separated by spaces") }
            out.append(v)
        }
        guard out.count == count else {
            throw PathLossInputError(column: c, value: "\(out.count) values", expected: "\(count) values, one per profile point")
        }
        return out
    }

    /// Radio-meteorological zones per point: words (sea, coastal, inland) or ITU-R SG3 codes (1 sea, 3 coastal
    /// land, 4 inland).
    func zones(count: Int) throws -> [P1812.Zone]? {
        guard let text = raw("zones") else { return nil }
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" })
        guard tokens.count == count else {
            throw PathLossInputError(column: "zones", value: "\(tokens.count) values", expected: "\(count) zone codes, one per profile point")
        }
        return try tokens.map { t in
            switch t.lowercased() {
            case "1", "sea", "s": return .sea
            case "3", "coastal", "c", "a1": return .coastalLand
            case "4", "inland", "i", "a2": return .inland
            default: throw PathLossInputError(column: "zones", value: String(t), expected: "sea|coastal|inland or 1|3|4")
            }
        }
    }

    func coordinates() throws -> (txLat: Double, txLon: Double, rxLat: Double, rxLon: Double) {
        for c in ["tx_lat", "tx_lon", "rx_lat", "rx_lon"] where raw(c) == nil {
            throw PathLossInputError(column: c, value: nil, expected: "the terminal coordinates tx_lat, tx_lon, rx_lat, rx_lon (degrees)")
        }
        return (try double("tx_lat"), try double("tx_lon"), try double("rx_lat"), try double("rx_lon"))
    }

    func profile() throws -> TerrainProfile {
        let spacing = try double("spacing_m")
        guard spacing > 0 else { throw PathLossInputError(column: "spacing_m", value: raw("spacing_m"), expected: "a spacing > 0 m") }
        guard let text = raw("elevations_m") else {
            throw PathLossInputError(column: "elevations_m", value: nil, expected: "space-separated terrain heights (m)")
        }
        var heights: [Double] = []
        heights.reserveCapacity(text.count / 4)
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" }) {
            guard let h = Double(token), h.isFinite else {
                throw PathLossInputError(column: "elevations_m", value: String(token), expected: "numbers separated by spaces")
            }
            heights.append(h)
        }
        guard heights.count >= 2 else {
            throw PathLossInputError(column: "elevations_m", value: text, expected: "at least 2 heights (transmitter and receiver)")
        }
        return TerrainProfile(elevationsM: heights, spacingM: spacing)
    }
}

public enum PathLossBatch {
    /// Loss for one row with one model. Throws `PathLossInputError` for unreadable columns and
    /// `ModelInputError` for values the model rejects.
    public static func compute(_ row: PathLossRow, model: PathLossModelID) throws -> (lossDB: Double, warnings: [String]) {
        let f = try row.double("frequency_mhz")
        let htx = try row.double("tx_height_m"), hrx = try row.double("rx_height_m")
        let profile = try row.profile()
        let dKm = profile.distanceKm
        switch model {
        case .itm:
            let pol = try row.choice("polarization", ["horizontal", "vertical"], default: PathLossDefaults.polarization)
            let p = ITM.Parameters(frequencyMHz: f, txHeightM: htx, rxHeightM: hrx,
                                   polarization: pol == "horizontal" ? .horizontal : .vertical,
                                   climate: try ITM.Climate(code: try row.int("climate", default: PathLossDefaults.climate)),
                                   surfaceRefractivityN0: try row.double("n0", default: PathLossDefaults.n0),
                                   relativePermittivity: try row.double("permittivity", default: PathLossDefaults.permittivity),
                                   conductivitySPerM: try row.double("conductivity_s_per_m", default: PathLossDefaults.conductivitySPerM),
                                   mdvar: try row.int("mdvar", default: PathLossDefaults.mdvar),
                                   timePct: try row.double("time_pct", default: PathLossDefaults.timePct),
                                   locationPct: try row.double("location_pct", default: PathLossDefaults.locationPct),
                                   situationPct: try row.double("situation_pct", default: PathLossDefaults.situationPct))
            let r = try ITM.pointToPoint(profile: profile, p)
            return (r.lossDB, r.warnings.names)
        case .p526:
            let pol = try row.choice("polarization", ["horizontal", "vertical"], default: PathLossDefaults.polarization)
            let k = try row.double("k_factor", default: PathLossDefaults.kFactor)
            let ground: P526.Ground = row.raw("permittivity") != nil || row.raw("conductivity_s_per_m") != nil
                ? .uniform(relativePermittivity: try row.double("permittivity", default: PathLossDefaults.permittivity),
                           conductivitySPerM: try row.double("conductivity_s_per_m", default: PathLossDefaults.conductivitySPerM))
                : .land
            let r = try P526.deltaBullington(profile: profile, txHeightAboveGroundM: htx, rxHeightAboveGroundM: hrx,
                                             frequencyMHz: f, effectiveEarthRadiusKm: P526.effectiveEarthRadiusKm(kFactor: k),
                                             polarization: pol == "horizontal" ? .horizontal : .vertical, ground: ground)
            // Basic transmission loss: free space plus the diffraction loss Ld over the profile.
            let fs = try FreeSpace.checkedLossDB(distanceKm: dKm, frequencyMHz: f)
            return (fs + r.lossDB, r.warnings.names)
        case .hata, .cost231:
            let env = try row.choice("environment", ["urban", "suburban", "open"], default: PathLossDefaults.environment)
            let city = try row.choice("city_size", ["small", "large"], default: PathLossDefaults.citySize)
            let s = try Hata.Setup(variant: model == .hata ? .okumuraHata : .cost231, environment: Hata.Environment(rawValue: env)!,
                                   citySize: city == "large" ? .large : .smallMedium, frequencyMHz: f,
                                   baseHeightM: htx, mobileHeightM: hrx)
            let r = try Hata.loss(distanceKm: dKm, setup: s)
            return (r.lossDB, r.warnings.names)
        case .ehata:
            let env = try row.choice("environment", ["urban", "suburban", "rural", "open"], default: PathLossDefaults.environment)
            let r = try EHata.pathLoss(profile: profile, frequencyMHz: f, baseHeightM: htx, mobileHeightM: hrx,
                                       environment: env == "urban" ? .urban : env == "suburban" ? .suburban : .rural)
            return (r.lossDB, r.warnings.names)
        case .fspl:
            return (try FreeSpace.checkedLossDB(distanceKm: dKm, frequencyMHz: f), [])
        case .p1812:
            let n = profile.elevationsM.count
            let c = try row.coordinates()
            let pol = try row.choice("polarization", ["horizontal", "vertical"], default: PathLossDefaults.polarization)
            let distances = (0..<n).map { Double($0) * profile.spacingM / 1000 }
            let input = P1812.Input(distancesKm: distances, heightsM: profile.elevationsM,
                                    clutterHeightsM: try row.list("clutter_heights_m", count: n), zones: try row.zones(count: n),
                                    frequencyGHz: f / 1000, timePercent: try row.double("time_pct", default: PathLossDefaults.timePct),
                                    locationPercent: try row.double("location_pct", default: PathLossDefaults.locationPct),
                                    txHeightM: htx, rxHeightM: hrx, txLatitudeDeg: c.txLat, txLongitudeDeg: c.txLon,
                                    rxLatitudeDeg: c.rxLat, rxLongitudeDeg: c.rxLon,
                                    polarization: pol == "horizontal" ? .horizontal : .vertical,
                                    meteorology: .init(deltaN: try row.double("dn", default: PathLossDefaults.deltaN),
                                                       n0: try row.double("n0", default: PathLossDefaults.n0ITU)))
            let r = try P1812.predict(input)
            return (r.basicLossDB, r.warnings.names)
        case .p452:
            let n = profile.elevationsM.count
            let c = try row.coordinates()
            let pol = try row.choice("polarization", ["horizontal", "vertical"], default: PathLossDefaults.polarization)
            let zones: [P452.Zone] = (try row.zones(count: n) ?? Array(repeating: .inland, count: n)).map {
                switch $0 { case .sea: return .sea; case .coastalLand: return .coastalLand; case .inland: return .inland }
            }
            let input = P452.Input(distancesKm: (0..<n).map { Double($0) * profile.spacingM / 1000 }, heightsM: profile.elevationsM,
                                   clutterHeightsM: try row.list("clutter_heights_m", count: n), zones: zones,
                                   frequencyGHz: f / 1000, timePercent: try row.double("time_pct", default: PathLossDefaults.timePct),
                                   txHeightM: htx, rxHeightM: hrx, txLatitudeDeg: c.txLat, txLongitudeDeg: c.txLon,
                                   rxLatitudeDeg: c.rxLat, rxLongitudeDeg: c.rxLon,
                                   txGainDBi: try row.double("tx_gain_dbi", default: 0), rxGainDBi: try row.double("rx_gain_dbi", default: 0),
                                   polarization: pol == "horizontal" ? .horizontal : .vertical,
                                   deltaN: try row.double("dn", default: PathLossDefaults.deltaN),
                                   n0: try row.double("n0", default: PathLossDefaults.n0ITU))
            let r = try P452.basicTransmissionLoss(input)
            return (r.lossDB, r.warnings.names)
        case .p1546:
            let pathType = try row.choice("path_type", ["land", "sea", "cold_sea", "warm_sea"], default: PathLossDefaults.pathType)
            let zone: P1546.ZoneType = pathType == "land" ? .land : pathType == "warm_sea" ? .warmSea : .coldSea
            let area = try row.choice("environment", ["rural", "open", "suburban", "urban", "dense_urban", "sea"], default: PathLossDefaults.rxArea)
            let rxArea: P1546.ReceiverArea = ["rural": .rural, "open": .rural, "suburban": .suburban, "urban": .urban,
                                              "dense_urban": .denseUrban, "sea": .sea][area]!
            let params = try P1546.profileParameters(profile, txHeightAboveGroundM: htx, rxHeightAboveGroundM: hrx)
            let input = P1546.Input(frequencyMHz: f, timePercent: try row.double("time_pct", default: PathLossDefaults.timePct),
                                    zones: [P1546.PathZone(zone, lengthKm: dKm)], txHeightAboveGroundM: htx,
                                    txHeightSource: zone == .land ? .h1(params.h1M) : .heightAboveGround,
                                    rxHeightM: hrx, rxArea: rxArea,
                                    rxClutterHeightM: try row.double("rx_clutter_height_m", default: 10),
                                    terrainClearanceAngleDeg: zone == .land ? params.terrainClearanceAngleDeg : nil,
                                    txClearanceAngleDeg: zone == .land ? params.txClearanceAngleDeg : nil,
                                    txGroundHeightAmslM: params.txGroundHeightAmslM, rxGroundHeightAmslM: params.rxGroundHeightAmslM,
                                    locationPercent: try row.double("location_pct", default: PathLossDefaults.locationPct),
                                    locationVariability: .squareAreaWidthM(try row.double("area_width_m", default: 500)))
            let r = try P1546.predict(input)
            return (r.basicLossDB, r.warnings.names)
        case .tr38901RMa, .tr38901UMa, .tr38901UMi:
            let los = try row.choice("los", ["los", "nlos"], default: PathLossDefaults.los)
            let scenario: TR38901.Scenario
            switch model {
            case .tr38901RMa:
                scenario = .ruralMacro(averageBuildingHeightM: try row.double("building_height_m", default: 5),
                                       streetWidthM: try row.double("street_width_m", default: 20))
            case .tr38901UMa: scenario = .urbanMacro
            default: scenario = .urbanMicroStreetCanyon
            }
            let r = try TR38901.pathLoss(scenario: scenario, condition: los == "los" ? .lineOfSight : .nonLineOfSight,
                                         frequencyGHz: f / 1000, distance2DM: profile.distanceM,
                                         baseStationHeightM: htx, userTerminalHeightM: hrx)
            return (r.lossDB, r.warnings.names)
        }
    }

    /// Outcome of one row: the loss, or the error text (the run goes on).
    public static func outcome(_ row: PathLossRow, model: PathLossModelID) -> PathLossOutcome {
        do {
            let r = try compute(row, model: model)
            return PathLossOutcome(id: row.id, lossDB: r.lossDB, warnings: r.warnings, error: nil)
        } catch {
            return PathLossOutcome(id: row.id, lossDB: nil, warnings: [], error: String(describing: error))
        }
    }

    /// Runs every row on `threads` threads (1 = on the calling thread). Rows are split into contiguous chunks and
    /// each result lands at its row's index, so the output does not depend on the number of threads.
    public static func run(_ rows: [PathLossRow], model: PathLossModelID, threads: Int,
                           progress: (@Sendable (Double) -> Void)? = nil) -> [PathLossOutcome] {
        var out = [PathLossOutcome](repeating: PathLossOutcome(id: "", lossDB: nil, warnings: [], error: nil), count: rows.count)
        guard !rows.isEmpty else { return out }
        let t = max(1, min(threads, rows.count))
        if t == 1 {
            for i in rows.indices {
                out[i] = outcome(rows[i], model: model)
                if let progress, i % 1000 == 999 { progress(Double(i + 1) / Double(rows.count)) }
            }
            progress?(1)
            return out
        }
        let chunks = t * 8
        let done = AtomicCounter()
        out.withUnsafeMutableBufferPointer { buf in
            let shared = UnsafeSendable(buf)
            DispatchQueue.concurrentPerform(iterations: t) { worker in
                // Workers take chunks worker, worker + t, …: balanced without a shared queue.
                var chunk = worker
                while chunk < chunks {
                    let lo = rows.count * chunk / chunks, hi = rows.count * (chunk + 1) / chunks
                    for i in lo..<hi { shared.value[i] = outcome(rows[i], model: model) }
                    let d = done.increment()
                    progress?(Double(d) / Double(chunks))
                    chunk += t
                }
            }
        }
        return out
    }

    /// Parses batch CSV text into rows (header row required).
    public static func parse(csv text: String) throws -> [PathLossRow] {
        var table = CSV.parse(text)
        guard !table.isEmpty else { throw PathLossInputError(column: "header", value: nil, expected: "a header row") }
        let header = table.removeFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for required in ["id", "frequency_mhz", "tx_height_m", "rx_height_m", "spacing_m", "elevations_m"] where !header.contains(required) {
            throw PathLossInputError(column: required, value: nil,
                                     expected: "a column named '\(required)' (the file has: \(header.joined(separator: ", ")))")
        }
        return table.map { fields in
            var d: [String: String] = [:]
            for (i, v) in fields.enumerated() where i < header.count { d[header[i]] = v }
            return PathLossRow(fields: d)
        }
    }

    /// Formats outcomes as the output CSV.
    public static func format(_ outcomes: [PathLossOutcome]) -> String {
        CSV.format(header: ["id", "loss_db", "warnings", "error"], rows: outcomes.map {
            [$0.id, $0.lossDB.map { String(format: "%.4f", $0) } ?? "", $0.warnings.joined(separator: ";"), $0.error ?? ""]
        })
    }
}

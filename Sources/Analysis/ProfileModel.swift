// One propagation model with its settings, evaluated on terrain profiles. The same code serves
// `tanso pathloss` (settings from each CSV row) and the coverage engine (settings from the study), so a pixel's
// value and `tanso pathloss` on the same profile agree exactly.
import Foundation
import Propagation
import Radio

/// The geometry and per-point data of one path.
public struct PathLink: Sendable {
    public var frequencyMHz: Double
    public var txHeightM: Double
    public var rxHeightM: Double
    /// Terminal coordinates (degrees), needed by P.1812 and P.452.
    public var coordinates: (txLat: Double, txLon: Double, rxLat: Double, rxLon: Double)?
    /// Radio-meteorological zone per profile point (P.1812, P.452); nil = inland everywhere.
    public var zones: [P1812.Zone]?
    /// Representative clutter height per profile point, m (P.1812, P.452); nil = none.
    public var clutterHeightsM: [Double]?

    public init(
        frequencyMHz: Double, txHeightM: Double, rxHeightM: Double,
        coordinates: (txLat: Double, txLon: Double, rxLat: Double, rxLon: Double)? = nil,
        zones: [P1812.Zone]? = nil, clutterHeightsM: [Double]? = nil
    ) {
        self.frequencyMHz = frequencyMHz
        self.txHeightM = txHeightM
        self.rxHeightM = rxHeightM
        self.coordinates = coordinates
        self.zones = zones
        self.clutterHeightsM = clutterHeightsM
    }
}

/// A model id with every setting that does not depend on the path, parsed once.
public struct ProfileModel: Sendable {
    public let id: PathLossModelID
    let polarization: P526.Polarization
    let climate: Int
    let n0: Double
    let permittivity: Double
    let conductivity: Double
    let groundGiven: Bool
    let timePct: Double, locationPct: Double, situationPct: Double
    let mdvar: Int
    let kFactor: Double
    /// The `environment` setting, parsed for the model that reads it (Hata/COST-231, E-Hata, P.1546).
    let environment: Environment
    let citySize: Hata.CitySize
    let lineOfSight: Bool
    let buildingHeightM: Double, streetWidthM: Double
    let deltaN: Double
    let n0ITU: Double
    let pathType: PathType
    let rxClutterHeightM: Double
    let areaWidthM: Double
    let txGainDBi: Double, rxGainDBi: Double

    /// The `environment` setting of each model, parsed once. The names a model accepts are those of
    /// `tanso pathloss`; a few map onto fewer classes of the model, explicitly:
    /// - Hata and COST-231: urban, suburban, open (`Hata.Environment`, one to one).
    /// - E-Hata: urban, suburban, rural; `open` is taken as rural (E-Hata has no open-area class: its rural
    ///   correction is the quasi-open one).
    /// - P.1546: rural, suburban, urban, dense_urban, sea; `open` is taken as rural (P.1546 has no receiver
    ///   area of its own for open land; `tanso pathloss` has always read it so, and still does).
    enum Environment: Sendable, Equatable {
        case hata(Hata.Environment)
        case ehata(EHata.Environment)
        case p1546(P1546.ReceiverArea)

        static func parse(_ name: String, for id: PathLossModelID) -> Environment {
            switch id {
            case .ehata:
                return .ehata(name == "urban" ? .urban : name == "suburban" ? .suburban : .rural) // rural, open: rural
            case .p1546:
                let areas: [String: P1546.ReceiverArea] = [
                    "rural": .rural, "open": .rural, "suburban": .suburban,
                    "urban": .urban, "dense_urban": .denseUrban, "sea": .sea
                ]
                return .p1546(areas[name]!)
            default:
                return .hata(Hata.Environment(rawValue: name)!)
            }
        }
    }

    /// The `path_type` setting (P.1546's propagation zone). `sea` is taken as cold sea, as `tanso pathloss`
    /// has always read it.
    enum PathType: String, Sendable, CaseIterable {
        case land, sea, coldSea = "cold_sea", warmSea = "warm_sea"
        var p1546Zone: P1546.ZoneType { self == .land ? .land : self == .warmSea ? .warmSea : .coldSea }
    }

    /// Settings from named values (the optional columns of `tanso pathloss`, with their documented defaults).
    public init(_ id: PathLossModelID, settings row: PathLossRow) throws {
        self.id = id
        polarization =
            try row.choice("polarization", ["horizontal", "vertical"], default: PathLossDefaults.polarization) == "horizontal"
            ? .horizontal : .vertical
        // Every setting is checked against its range here, once, so that a study with `climate=99` fails before
        // the run instead of leaving every cell empty (issue 23). Ranges: the models' own validity (ITM: climate
        // 1–7, mdvar codes, percentages in (0, 100); P.1812/P.1546: time 1–50 %, locations 1–99 %; P.452: time
        // 0.001–50 %) and physical bounds for the rest.
        let itm = id == .itm
        if itm {
            // ITM's own settings are checked by ITM itself, with NTIA's ranges, order and error codes (so that a
            // batch row NTIA rejects is rejected with NTIA's code), once here, before any path.
            climate = try row.int("climate", default: PathLossDefaults.climate)
            n0 = try row.double("n0", default: PathLossDefaults.n0)
            permittivity = try row.double("permittivity", default: PathLossDefaults.permittivity)
            conductivity = try row.double("conductivity_s_per_m", default: PathLossDefaults.conductivitySPerM)
            timePct = try row.double("time_pct", default: PathLossDefaults.timePct)
            locationPct = try row.double("location_pct", default: PathLossDefaults.locationPct)
            situationPct = try row.double("situation_pct", default: PathLossDefaults.situationPct)
            mdvar = try row.int("mdvar", default: PathLossDefaults.mdvar)
            try ITM.checkSettings(
                climate: climate, surfaceRefractivityN0: n0, relativePermittivity: permittivity,
                conductivitySPerM: conductivity, mdvar: mdvar, timePct: timePct, locationPct: locationPct,
                situationPct: situationPct)
            n0ITU = PathLossDefaults.n0ITU
        } else {
            climate = try row.int(
                "climate", default: PathLossDefaults.climate, allowed: Array(1...7),
                "an ITM radio climate 1–7 (1 equatorial … 7 maritime temperate over sea)")
            let itmStyle = id == .p526
            n0 = itmStyle ? try row.double("n0", default: PathLossDefaults.n0, in: 150...500, "a surface refractivity, N-units,") : PathLossDefaults.n0
            n0ITU =
                itmStyle
                ? PathLossDefaults.n0ITU : try row.double("n0", default: PathLossDefaults.n0ITU, in: 150...500, "a sea-level surface refractivity, N-units,")
            permittivity = try row.double("permittivity", default: PathLossDefaults.permittivity, in: 1...100, "a relative permittivity")
            conductivity = try row.double("conductivity_s_per_m", default: PathLossDefaults.conductivitySPerM, in: 1e-6...100, "a ground conductivity, S/m,")
            let timeRange: ClosedRange<Double> = id == .p1812 || id == .p1546 ? 1...50 : id == .p452 ? 0.001...50 : 0.001...99.999
            timePct = try row.double("time_pct", default: PathLossDefaults.timePct, in: timeRange, "a percentage of time for \(id.rawValue)")
            let locationRange: ClosedRange<Double> = id == .p1812 || id == .p1546 ? 1...99 : 0.001...99.999
            locationPct = try row.double(
                "location_pct", default: PathLossDefaults.locationPct, in: locationRange, "a percentage of locations for \(id.rawValue)")
            situationPct = try row.double("situation_pct", default: PathLossDefaults.situationPct, in: 0.001...99.999, "a percentage of situations")
            mdvar = try row.int(
                "mdvar", default: PathLossDefaults.mdvar, allowed: [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23, 30, 31, 32, 33],
                "an ITM mode of variability 0–3, +10, +20 or +30")
        }
        groundGiven = row.raw("permittivity") != nil || row.raw("conductivity_s_per_m") != nil
        kFactor = try row.double("k_factor", default: PathLossDefaults.kFactor, in: 0.1...1000, "an effective Earth radius factor")
        let environmentName: String
        switch id {
        case .ehata: environmentName = try row.choice("environment", ["urban", "suburban", "rural", "open"], default: PathLossDefaults.environment)
        case .p1546:
            environmentName = try row.choice("environment", ["rural", "open", "suburban", "urban", "dense_urban", "sea"], default: PathLossDefaults.rxArea)
        default: environmentName = try row.choice("environment", ["urban", "suburban", "open"], default: PathLossDefaults.environment)
        }
        environment = Environment.parse(environmentName, for: id)
        citySize = try row.choice("city_size", ["small", "large"], default: PathLossDefaults.citySize) == "large" ? .large : .smallMedium
        lineOfSight = try row.choice("los", ["los", "nlos"], default: PathLossDefaults.los) == "los"
        buildingHeightM = try row.double("building_height_m", default: 5, in: 0...100, "an average building height, m,")
        streetWidthM = try row.double("street_width_m", default: 20, in: 0...100, "an average street width, m,")
        deltaN = try row.double("dn", default: PathLossDefaults.deltaN, in: 0...500, "a radio-refractivity lapse rate ΔN, N-units/km,")
        pathType = PathType(rawValue: try row.choice("path_type", PathType.allCases.map(\.rawValue), default: PathLossDefaults.pathType))!
        rxClutterHeightM = try row.double("rx_clutter_height_m", default: 10, in: 0...500, "a clutter height, m,")
        areaWidthM = try row.double("area_width_m", default: 500, in: 1...1_000_000, "an area width, m,")
        txGainDBi = try row.double("tx_gain_dbi", default: 0, in: -50...100, "an antenna gain, dBi,")
        rxGainDBi = try row.double("rx_gain_dbi", default: 0, in: -50...100, "an antenna gain, dBi,")
    }

    /// The names of the model settings (`--set NAME=V`; the optional columns of `tanso pathloss`).
    public static let settingNames = [
        "polarization", "climate", "n0", "permittivity", "conductivity_s_per_m", "time_pct",
        "location_pct", "situation_pct", "mdvar", "k_factor", "environment", "city_size", "los",
        "building_height_m", "street_width_m", "dn", "path_type", "rx_clutter_height_m",
        "area_width_m", "tx_gain_dbi", "rx_gain_dbi"
    ]

    /// Parses `NAME=VALUE,NAME=VALUE` model settings (the one parser of `--set`): every name must be a setting
    /// (or one of `extraNames`), each given once; the error lists the valid names. Values are checked by `init`.
    public static func parseSettings(_ text: String, extraNames: [String] = []) throws -> [String: String] {
        let valid = settingNames + extraNames
        var out: [String: String] = [:]
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = kv.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard kv.count == 2, !name.isEmpty, !kv[1].trimmingCharacters(in: .whitespaces).isEmpty else {
                throw SettingsError("expects NAME=VALUE pairs separated by commas, got '\(InputText.echo(String(part)))'")
            }
            guard valid.contains(name) else {
                throw SettingsError("unknown setting '\(InputText.echo(name))'; the settings are: \(valid.joined(separator: ", "))")
            }
            guard out[name] == nil else { throw SettingsError("setting '\(name)' given twice") }
            out[name] = kv[1].trimmingCharacters(in: .whitespaces)
        }
        return out
    }

    /// Settings from a dictionary of the same names (e.g. a study's `modelSettings`).
    public init(_ id: PathLossModelID, settings: [String: String] = [:]) throws {
        try self.init(id, settings: PathLossRow(fields: settings))
    }

    /// Basic transmission loss (dB) and warning names for one profile (index 0 at the transmitter). A loss that
    /// is not finite is never returned: it throws `NonFiniteResultError`.
    public func lossDB(profile: TerrainProfile, link: PathLink) throws -> (lossDB: Double, warnings: [String]) {
        var scratch = Scratch()
        return try lossDB(profile: profile, link: link, scratch: &scratch)
    }

    /// Buffers that P.1812 and P.452 take as arrays (point distances, zones), kept by a caller that evaluates
    /// many profiles (one per thread in the coverage engine) and refilled in place for each, so that no cell
    /// allocates them.
    public struct Scratch {
        var distanceBuffer: [Double] = []
        var zones452: [P452.Zone] = []
        var itm: ITM.Prepared?
        /// False for a caller that takes the loss alone (the coverage engine): the models' warnings are then not
        /// turned into names, an array of strings a call.
        var keepsWarnings = true
        public init() {}

        /// The names of `w`'s flags when the caller keeps warnings.
        func names<W: NamedWarnings>(_ w: W) -> [String] { keepsWarnings ? w.names : [] }

        /// ITM's parameters prepared once while they stay the same (a coverage sector, a batch without setting
        /// columns): the same results as preparing them per call.
        mutating func preparedITM(_ p: ITM.Parameters) throws -> ITM.Prepared {
            if let itm, itm.parameters == p { return itm }
            let prepared = try ITM.Prepared(p)
            itm = prepared
            return prepared
        }

        /// Point distances i · spacing (km) of an n-point profile.
        mutating func distancesKm(count n: Int, spacingM: Double) -> [Double] {
            if distanceBuffer.count != n { distanceBuffer = [Double](repeating: 0, count: n) }
            distanceBuffer.withUnsafeMutableBufferPointer { d in
                for i in 0..<n { d[i] = Double(i) * spacingM / 1000 }
            }
            return distanceBuffer
        }

        /// All-inland zones for an n-point profile (P.452's default).
        mutating func inland452(count n: Int) -> [P452.Zone] {
            if zones452.count != n { zones452 = Array(repeating: .inland, count: n) }
            return zones452
        }
    }

    /// The same as `lossDB(profile:link:)`, with the caller's buffers.
    func lossDB(profile: TerrainProfile, link: PathLink, scratch: inout Scratch) throws -> (lossDB: Double, warnings: [String]) {
        let r = try modelLossDB(profile: profile, link: link, scratch: &scratch)
        return (try NonFiniteResultError.finite(r.lossDB, model: id.rawValue), r.warnings)
    }

    private func modelLossDB(profile: TerrainProfile, link: PathLink, scratch: inout Scratch) throws -> (lossDB: Double, warnings: [String]) {
        let f = link.frequencyMHz, htx = link.txHeightM, hrx = link.rxHeightM
        let dKm = profile.distanceKm
        let pol = polarization
        switch id {
        case .itm:
            let r = try ITM.pointToPointLoss(profile: profile, scratch.preparedITM(itmParameters(link)))
            return (r.lossDB, scratch.names(r.warnings))
        case .p526:
            let ground: P526.Ground = groundGiven ? .uniform(relativePermittivity: permittivity, conductivitySPerM: conductivity) : .land
            // The equal-spacing kernel: the same value as P526.deltaBullington(profile:…) to the last bit.
            let r = try profile.elevationsM.withUnsafeBufferPointer {
                try P526.deltaBullingtonLossDB(
                    equallySpaced: $0, spacingKm: profile.spacingM / 1000,
                    txHeightAboveGroundM: htx, rxHeightAboveGroundM: hrx, frequencyMHz: f,
                    effectiveEarthRadiusKm: P526.effectiveEarthRadiusKm(kFactor: kFactor),
                    polarization: pol, ground: ground)
            }
            // Basic transmission loss: free space plus the diffraction loss Ld over the profile.
            return (try FreeSpace.checkedLossDB(distanceKm: dKm, frequencyMHz: f) + r.lossDB, scratch.names(r.warnings))
        case .hata, .cost231:
            guard case .hata(let environment) = environment else { preconditionFailure("parsed for \(id)") }
            let s = try Hata.Setup(
                variant: id == .hata ? .okumuraHata : .cost231, environment: environment,
                citySize: citySize, frequencyMHz: f,
                baseHeightM: htx, mobileHeightM: hrx)
            let r = try Hata.loss(distanceKm: dKm, setup: s)
            return (r.lossDB, scratch.names(r.warnings))
        case .ehata:
            guard case .ehata(let environment) = environment else { preconditionFailure("parsed for \(id)") }
            let r = try EHata.pathLoss(
                profile: profile, frequencyMHz: f, baseHeightM: htx, mobileHeightM: hrx,
                environment: environment)
            return (r.lossDB, scratch.names(r.warnings))
        case .fspl:
            return (try FreeSpace.checkedLossDB(distanceKm: dKm, frequencyMHz: f), [])
        case .p1812:
            return try p1812LossDB(profile: profile, link: link, scratch: &scratch)
        case .p452:
            return try p452LossDB(profile: profile, link: link, scratch: &scratch)
        case .p1546:
            return try p1546LossDB(profile: profile, link: link)
        case .tr38901RMa, .tr38901UMa, .tr38901UMi:
            let scenario: TR38901.Scenario
            switch id {
            case .tr38901RMa: scenario = .ruralMacro(averageBuildingHeightM: buildingHeightM, streetWidthM: streetWidthM)
            case .tr38901UMa: scenario = .urbanMacro
            default: scenario = .urbanMicroStreetCanyon
            }
            let r = try TR38901.pathLoss(
                scenario: scenario, condition: lineOfSight ? .lineOfSight : .nonLineOfSight,
                frequencyGHz: f / 1000, distance2DM: profile.distanceM,
                baseStationHeightM: htx, userTerminalHeightM: hrx)
            return (r.lossDB, scratch.names(r.warnings))
        }
    }

    private func p1812LossDB(profile: TerrainProfile, link: PathLink, scratch: inout Scratch) throws -> (lossDB: Double, warnings: [String]) {
        let c = try coordinates(link)
        let n = profile.elevationsM.count
        let input = P1812.Input(
            distancesKm: scratch.distancesKm(count: n, spacingM: profile.spacingM), heightsM: profile.elevationsM,
            clutterHeightsM: link.clutterHeightsM, zones: link.zones,
            frequencyGHz: link.frequencyMHz / 1000, timePercent: timePct, locationPercent: locationPct,
            txHeightM: link.txHeightM, rxHeightM: link.rxHeightM, txLatitudeDeg: c.txLat, txLongitudeDeg: c.txLon,
            rxLatitudeDeg: c.rxLat, rxLongitudeDeg: c.rxLon, polarization: polarization,
            meteorology: .init(deltaN: deltaN, n0: n0ITU))
        let r = try P1812.predict(input)
        return (r.basicLossDB, r.warnings.names)
    }

    private func p452LossDB(profile: TerrainProfile, link: PathLink, scratch: inout Scratch) throws -> (lossDB: Double, warnings: [String]) {
        let c = try coordinates(link)
        let n = profile.elevationsM.count
        let zones: [P452.Zone] =
            link.zones.map { given in
                given.map {
                    switch $0 {
                    case .sea: return .sea;
                    case .coastalLand: return .coastalLand;
                    case .inland: return .inland
                    }
                }
            } ?? scratch.inland452(count: n)
        let input = P452.Input(
            distancesKm: scratch.distancesKm(count: n, spacingM: profile.spacingM), heightsM: profile.elevationsM,
            clutterHeightsM: link.clutterHeightsM, zones: zones,
            frequencyGHz: link.frequencyMHz / 1000, timePercent: timePct, txHeightM: link.txHeightM, rxHeightM: link.rxHeightM,
            txLatitudeDeg: c.txLat, txLongitudeDeg: c.txLon, rxLatitudeDeg: c.rxLat, rxLongitudeDeg: c.rxLon,
            txGainDBi: txGainDBi, rxGainDBi: rxGainDBi, polarization: polarization, deltaN: deltaN, n0: n0ITU)
        let r = try P452.basicTransmissionLoss(input)
        return (r.lossDB, r.warnings.names)
    }

    private func p1546LossDB(profile: TerrainProfile, link: PathLink) throws -> (lossDB: Double, warnings: [String]) {
        let params = try P1546.profileParameters(profile, txHeightAboveGroundM: link.txHeightM, rxHeightAboveGroundM: link.rxHeightM)
        return try p1546LossDB(profile: profile, link: link, params: params)
    }

    /// P.1546 on a profile whose terrain parameters (h1, clearance angles, ground heights) are already derived.
    fileprivate func p1546LossDB(
        profile: TerrainProfile, link: PathLink, params: P1546.ProfileParameters
    ) throws -> (lossDB: Double, warnings: [String]) {
        let htx = link.txHeightM, hrx = link.rxHeightM
        let zone = pathType.p1546Zone
        guard case .p1546(let rxArea) = environment else { preconditionFailure("parsed for \(id)") }
        let input = P1546.Input(
            frequencyMHz: link.frequencyMHz, timePercent: timePct, zones: [P1546.PathZone(zone, lengthKm: profile.distanceKm)],
            txHeightAboveGroundM: htx, txHeightSource: zone == .land ? .h1(params.h1M) : .heightAboveGround,
            rxHeightM: hrx, rxArea: rxArea, rxClutterHeightM: rxClutterHeightM,
            terrainClearanceAngleDeg: zone == .land ? params.terrainClearanceAngleDeg : nil,
            txClearanceAngleDeg: zone == .land ? params.txClearanceAngleDeg : nil,
            txGroundHeightAmslM: params.txGroundHeightAmslM, rxGroundHeightAmslM: params.rxGroundHeightAmslM,
            locationPercent: locationPct, locationVariability: .squareAreaWidthM(areaWidthM))
        let r = try P1546.predict(input)
        return (r.basicLossDB, r.warnings.names)
    }

    func coordinates(_ link: PathLink) throws -> (txLat: Double, txLon: Double, rxLat: Double, rxLon: Double) {
        guard let c = link.coordinates else {
            throw PathLossInputError(column: "tx_lat", value: nil, expected: "the terminal coordinates tx_lat, tx_lon, rx_lat, rx_lon (degrees)")
        }
        return c
    }
}

extension ProfileModel {
    /// ITM's parameters for `link` with this model's settings.
    func itmParameters(_ link: PathLink) throws -> ITM.Parameters {
        ITM.Parameters(
            frequencyMHz: link.frequencyMHz, txHeightM: link.txHeightM, rxHeightM: link.rxHeightM,
            polarization: polarization == .horizontal ? .horizontal : .vertical,
            climate: try ITM.Climate(code: climate), surfaceRefractivityN0: n0,
            relativePermittivity: permittivity, conductivitySPerM: conductivity, mdvar: mdvar,
            timePct: timePct, locationPct: locationPct, situationPct: situationPct)
    }

    /// This model's loss on one profile for two links that differ in frequency only (the sectors of one site on
    /// two frequencies), each as its own result, each equal to `lossDB` on its link exactly. ITM analyses the
    /// terrain once for both (`ITM.pointToPointLosses`); every other model is run twice. `scratch` serves the
    /// first link and `scratch2` the second, so that each keeps its prepared parameters.
    func lossesDB(
        profile: TerrainProfile, link: PathLink, secondFrequencyMHz f2: Double, scratch: inout Scratch, scratch2: inout Scratch
    ) -> (Result<Double, any Error>, Result<Double, any Error>) {
        var link2 = link
        link2.frequencyMHz = f2
        guard id == .itm else {
            let a = Result { try lossDB(profile: profile, link: link, scratch: &scratch).lossDB }
            return (a, Result { try lossDB(profile: profile, link: link2, scratch: &scratch2).lossDB })
        }
        let q1 = Result { try scratch.preparedITM(itmParameters(link)) }
        let q2 = Result { try scratch2.preparedITM(itmParameters(link2)) }
        func finite(_ r: Result<ITM.Loss, any Error>) -> Result<Double, any Error> {
            r.flatMap { loss in Result { try NonFiniteResultError.finite(loss.lossDB, model: id.rawValue) } }
        }
        switch (q1, q2) {
        case (.success(let a), .success(let b)):
            let (r1, r2) = profile.elevationsM.withUnsafeBufferPointer {
                ITM.pointToPointLosses(elevationsM: $0, spacingM: profile.spacingM, a, b)
            }
            return (finite(r1), finite(r2))
        default:
            func one(_ q: Result<ITM.Prepared, any Error>) -> Result<Double, any Error> {
                finite(q.flatMap { q in Result { try ITM.pointToPointLoss(profile: profile, q) } })
            }
            return (one(q1), one(q2))
        }
    }

    /// This model's loss and `other`'s (the same model with another time percentage) on one profile, each as
    /// its own result (a model may reject the path at one percentage only). P.1546 derives the profile's terrain
    /// parameters (h1, the clearance angles, the ground heights) once for both; every other model is run twice.
    /// Each loss equals `lossDB` of its model on the profile exactly.
    func lossPairDB(
        profile: TerrainProfile, link: PathLink, scratch: inout Scratch, other: ProfileModel
    ) -> (Result<Double, any Error>, Result<Double, any Error>) {
        guard id == .p1546, other.id == .p1546 else {
            let a = Result { try lossDB(profile: profile, link: link, scratch: &scratch).lossDB }
            return (a, Result { try other.lossDB(profile: profile, link: link, scratch: &scratch).lossDB })
        }
        let params: P1546.ProfileParameters
        do {
            params = try P1546.profileParameters(profile, txHeightAboveGroundM: link.txHeightM, rxHeightAboveGroundM: link.rxHeightM)
        } catch { return (.failure(error), .failure(error)) }
        func loss(_ m: ProfileModel) -> Result<Double, any Error> {
            Result { try NonFiniteResultError.finite(try m.p1546LossDB(profile: profile, link: link, params: params).lossDB, model: id.rawValue) }
        }
        return (loss(self), loss(other))
    }
}

/// A `--set` text that cannot be used (unknown name, malformed pair).
public struct SettingsError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

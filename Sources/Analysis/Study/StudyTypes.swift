// The typed vocabulary of a coverage study: what a study's strings mean, parsed once when the study is
// validated (`CoverageStudy.validated()`, which decoding a study runs), so that the engine reads enums.
import Foundation
import Propagation
import Radio

/// What computes a coverage run's path loss.
public enum CoverageModel: Sendable, Equatable, CustomStringConvertible {
    /// The vectorised Hata kernel over distance: Okumura-Hata up to 1500 MHz, COST-231 above ("hata").
    case hataKernel
    /// Line of sight: a viewshed over the grid's ground, free-space loss where visible ("los").
    case lineOfSight
    /// A model of `tanso pathloss` evaluated on a terrain profile to each cell ("itm", "p526", …).
    case profile(PathLossModelID)

    /// Parses a study's `model`; the error names the value and every accepted one.
    public init(parsing name: String) throws {
        switch name {
        case "hata": self = .hataKernel
        case "los": self = .lineOfSight
        default:
            guard let id = PathLossModelID(rawValue: name) else {
                throw StudyError("model '\(name)' is not one of hata, los, " + PathLossModelID.allCases.map(\.rawValue).joined(separator: ", "))
            }
            self = .profile(id)
        }
    }

    /// The study's name of the model.
    public var name: String {
        switch self {
        case .hataKernel: return "hata"
        case .lineOfSight: return "los"
        case .profile(let id): return id.rawValue
        }
    }
    public var description: String { name }

    /// Whether the model needs a DEM (the profile models that need no terrain see a flat profile).
    public var needsTerrain: Bool {
        switch self {
        case .hataKernel: return false
        case .lineOfSight: return true
        case .profile(let id): return ![.hata, .cost231, .fspl, .tr38901RMa, .tr38901UMa, .tr38901UMi].contains(id)
        }
    }
}

/// How profile models get their terrain profiles (see CoverageRadial.swift).
public enum ProfileMethod: String, Sendable, CaseIterable {
    /// One profile per radial, shared by the cells near it, refined from anchors.
    case radial
    /// A fresh profile to each cell centre, equal to `tanso pathloss` link mode.
    case exact
}

/// Coverage thresholds by technology (total channel power, dBm): the study's overrides of
/// `CoverageThresholds.defaults`. In JSON an object keyed by the technology's name ("2G", "4G", "FM", …, or any
/// spelling `Technology(parsing:)` accepts); a key that names no technology is an error that names it.
public struct ThresholdTable: Sendable, Equatable, Codable {
    public private(set) var dBm: [Technology: Double]
    /// Names set through `subscript(_: String)` that name no technology; `CoverageStudy.validated()` refuses them.
    public private(set) var unknownKeys: [String] = []

    public init(_ dBm: [Technology: Double]) { self.dBm = dBm }

    public subscript(technology: Technology) -> Double? {
        get { dBm[technology] }
        set { dBm[technology] = newValue }
    }

    /// By the contract's spelling of a technology ("4G", "lte", …).
    public subscript(name: String) -> Double? {
        get { Technology(parsing: name).flatMap { dBm[$0] } }
        set {
            if let t = Technology(parsing: name) { dBm[t] = newValue } else if !unknownKeys.contains(name) { unknownKeys.append(name) }
        }
    }

    /// The defaults with this table's values over them.
    public var thresholds: CoverageThresholds {
        var t = CoverageThresholds.defaults
        for (k, v) in dBm { t.dBm[k] = v }
        return t
    }

    /// Throws for the first name that is not a technology.
    func validate() throws {
        if let k = unknownKeys.first { throw StudyError(Self.unknownMessage(k)) }
    }

    static func unknownMessage(_ key: String) -> String {
        "thresholdsDBm: '\(key)' is not a technology (" + Technology.allCases.map(\.rawValue).joined(separator: ", ") + ")"
    }

    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([String: Double].self)
        var dBm: [Technology: Double] = [:]
        for (k, v) in raw {
            guard let t = Technology(parsing: k) else { throw StudyError(Self.unknownMessage(k)) }
            guard dBm[t] == nil else { throw StudyError("thresholdsDBm: technology \(t.rawValue) is given twice") }
            dBm[t] = v
        }
        self.dBm = dBm
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(Dictionary(uniqueKeysWithValues: dBm.map { ($0.key.rawValue, $0.value) }))
    }
}

/// A study checked and parsed: the enums the engine reads, the thresholds by technology and the terrain
/// model with its settings, each built once. Made by `CoverageStudy.validated()`.
public struct ValidatedStudy: Sendable {
    public let study: CoverageStudy
    public let model: CoverageModel
    public let profileMethod: ProfileMethod
    /// The Hata kernel's environment.
    public let environment: Hata.Environment
    public let thresholds: CoverageThresholds
    /// The profile model with its settings parsed once (nil for the Hata kernel and line of sight).
    public let profileModel: ProfileModel?
}

extension CoverageStudy {
    /// Checks every value and parses the study's names into their types; the error names the value and what is
    /// accepted. Decoding a study runs it, so a study file with a wrong value is refused when it is read.
    public func validated() throws -> ValidatedStudy {
        let model = try CoverageModel(parsing: self.model)
        var profileModel: ProfileModel? = nil
        if case .profile(let id) = model {
            do { profileModel = try ProfileModel(id, settings: modelSettings) } catch {
                throw StudyError("model settings: \(error)")
            }
        }
        guard let method = ProfileMethod(rawValue: profiles) else {
            throw StudyError("profiles '\(profiles)' is not one of radial, exact")
        }
        guard [1, 2, 4, 8, 16].contains(anchorSpacingCells) else {
            throw StudyError("anchor spacing \(anchorSpacingCells) cells is not one of 1, 2, 4, 8, 16")
        }
        guard interpolateWithinDB >= 0, interpolateGroundWithinM >= 0 else {
            throw StudyError("interpolation tolerances \(interpolateWithinDB) dB and \(interpolateGroundWithinM) m must be ≥ 0 (0 dB: every cell computed)")
        }
        guard let environment = Hata.Environment(rawValue: self.environment) else {
            throw StudyError("environment '\(self.environment)' is not one of urban, suburban, open")
        }
        try thresholdsDBm.validate()
        if let c = calibration, c.model != model.name {
            throw StudyError(
                "the calibration was fitted for model '\(c.model)', the study uses '\(model.name)': calibrate this model first (tanso calibrate --model \(model.name))"
            )
        }
        if let metric, !["power", "field-strength"].contains(metric) { throw StudyError("metric '\(metric)' is not one of power, field-strength") }
        return ValidatedStudy(
            study: self, model: model, profileMethod: method, environment: environment,
            thresholds: thresholdsDBm.thresholds, profileModel: profileModel)
    }
}

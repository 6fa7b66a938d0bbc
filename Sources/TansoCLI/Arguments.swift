// A small command-line parser: `--name value`, `--name=value`, boolean flags, positional arguments, and help
// text generated from the same declarations. Usage errors exit with code 2.
import Foundation
import Radio
import Analysis

struct OptionSpec {
    let name: String
    let valueName: String? // nil = boolean flag
    let help: String
    let required: Bool
    let defaultValue: String?

    static func value(_ name: String, _ valueName: String, _ help: String, required: Bool = false, default def: String? = nil) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, help: help, required: required, defaultValue: def)
    }

    static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: nil, help: help, required: false, defaultValue: nil)
    }
}

struct UsageError: Error, CustomStringConvertible {
    let message: String
    let command: String
    var description: String { message }
}

/// Bad input (files, values): exit code 1.
struct InputError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

struct ParsedArguments {
    let command: String
    private(set) var values: [String: String] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positional: [String] = []
    /// Options given explicitly (not filled from defaults).
    private(set) var given: Set<String> = []
    var helpRequested = false

    init(command: String, arguments: [String], options: [OptionSpec], allowsPositional: Bool = false) throws {
        self.command = command
        let byName = Dictionary(uniqueKeysWithValues: options.map { ($0.name, $0) })
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if arg == "--help" || arg == "-h" { helpRequested = true; continue }
            if arg.hasPrefix("--") {
                var name = String(arg.dropFirst(2)), inline: String? = nil
                if let eq = name.firstIndex(of: "=") { inline = String(name[name.index(after: eq)...]); name = String(name[..<eq]) }
                guard let spec = byName[name] else {
                    let close = options.map(\.name).min { editDistance($0, name) < editDistance($1, name) }
                    let hint = close.map { editDistance($0, name) <= 3 ? " (did you mean --\($0)?)" : "" } ?? ""
                    throw UsageError(message: "unknown option --\(name)\(hint)", command: command)
                }
                if spec.valueName == nil {
                    guard inline == nil else { throw UsageError(message: "--\(name) takes no value", command: command) }
                    flags.insert(name)
                } else if let inline {
                    values[name] = inline
                } else {
                    guard i < arguments.count, !(arguments[i].hasPrefix("--") && arguments[i].count > 2 && DecimalNumber.parse(arguments[i]) == nil) else {
                        throw UsageError(message: "--\(name) needs a value (\(spec.valueName!))", command: command)
                    }
                    values[name] = arguments[i]
                    i += 1
                }
            } else if allowsPositional {
                positional.append(arg)
            } else {
                throw UsageError(message: "unexpected argument '\(arg)'", command: command)
            }
        }
        if helpRequested { return }
        given = Set(values.keys).union(flags)
        for spec in options where spec.required && values[spec.name] == nil {
            throw UsageError(message: "missing required option --\(spec.name) \(spec.valueName ?? "")", command: command)
        }
        for spec in options { if values[spec.name] == nil, let d = spec.defaultValue { values[spec.name] = d } }
    }

    func string(_ name: String) -> String? { values[name] }
    func flag(_ name: String) -> Bool { flags.contains(name) }

    func double(_ name: String, in range: ClosedRange<Double>? = nil) throws -> Double? {
        guard let raw = values[name] else { return nil }
        guard let x = DecimalNumber.parse(raw.trimmingCharacters(in: .whitespaces)) else {
            throw UsageError(message: "--\(name) expects a number, got '\(raw)'", command: command)
        }
        if let range, !range.contains(x) {
            throw UsageError(message: "--\(name) \(raw) is outside [\(range.lowerBound), \(range.upperBound)]", command: command)
        }
        return x
    }

    /// Comma-separated numbers, e.g. an area "west,south,east,north" or "lat,lon".
    func doubles(_ name: String, count: Int, meaning: String) throws -> [Double]? {
        guard let raw = values[name] else { return nil }
        let parts = raw.split(separator: ",").map { DecimalNumber.parse($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == count, parts.allSatisfy({ $0 != nil }) else {
            throw UsageError(message: "--\(name) expects \(meaning), got '\(raw)'", command: command)
        }
        return parts.map { $0! }
    }
}

/// The input size and work limits, for every command's help.
let limitsHelp = InputLimits.help + "\n" + WorkLimits.help

/// Help text for a command from its declarations.
func helpText(usage: String, summary: String, options: [OptionSpec], details: String = "") -> String {
    var s = "\(summary)\n\nUsage: \(usage)\n\nOptions:\n"
    let left = options.map { "  --\($0.name)" + ($0.valueName.map { " \($0)" } ?? "") }
    let width = min(34, (left.map(\.count).max() ?? 0) + 2)
    for (spec, l) in zip(options, left) {
        var help = spec.help
        if spec.required { help += " (required)" }
        if let d = spec.defaultValue { help += " [default: \(d)]" }
        if l.count >= width {
            s += l + "\n" + String(repeating: " ", count: width) + help + "\n"
        } else {
            s += l.padding(toLength: width, withPad: " ", startingAt: 0) + help + "\n"
        }
    }
    s += "  --help".padding(toLength: width, withPad: " ", startingAt: 0) + "show this help\n"
    if !details.isEmpty { s += "\n" + details + "\n" }
    s += "\n" + limitsHelp + "\n"
    return s
}

extension ParsedArguments {
    /// The `--set NAME=V,...` model settings (the one parser of the option for every command): unknown names and
    /// malformed pairs are usage errors that list the valid names; values out of range are usage errors too, before
    /// any work, when `model` is given (a model of `tanso pathloss`).
    func modelSettings(model: PathLossModelID?, extraNames: [String] = []) throws -> [String: String]? {
        guard let raw = string("set") else { return nil }
        let settings: [String: String]
        do { settings = try ProfileModel.parseSettings(raw, extraNames: extraNames) } catch let e as SettingsError {
            throw UsageError(message: "--set: \(e.message)", command: command)
        }
        if let model { try validateModelSettings(settings, model: model) }
        return settings
    }

    /// Checks model settings against the model's ranges (a usage error naming the setting).
    func validateModelSettings(_ settings: [String: String], model: PathLossModelID) throws {
        do { _ = try ProfileModel(model, settings: settings) } catch let e as PathLossInputError {
            throw UsageError(message: "--set \(e.column)=\(InputText.echo(e.value ?? "")): expected \(e.expected)", command: command)
        }
    }

    /// `--threshold TECH=DBM,...`: every technology must be one of `allowed` (the error lists them), every value a
    /// decimal number in `range`.
    func thresholds(allowed: [Technology], range: ClosedRange<Double>) throws -> [Technology: Double]? {
        guard let raw = string("threshold") else { return nil }
        let names = allowed.map(\.rawValue).joined(separator: ", ")
        var out: [Technology: Double] = [:]
        for part in raw.split(separator: ",", omittingEmptySubsequences: false) {
            let kv = part.split(separator: "=", omittingEmptySubsequences: false)
            guard kv.count == 2 else {
                throw UsageError(message: "--threshold expects TECH=DBM pairs, got '\(InputText.echo(String(part)))'", command: command)
            }
            let techText = kv[0].trimmingCharacters(in: .whitespaces)
            guard let tech = Technology(parsing: techText), allowed.contains(tech) else {
                throw UsageError(message: "--threshold: unknown technology '\(InputText.echo(techText))'; the technologies are: \(names)", command: command)
            }
            guard let v = DecimalNumber.parse(kv[1].trimmingCharacters(in: .whitespaces)), range.contains(v) else {
                throw UsageError(
                    message:
                        "--threshold \(tech.rawValue): '\(InputText.echo(String(kv[1])))' is not a level in dBm in [\(Int(range.lowerBound)), \(Int(range.upperBound))]",
                    command: command)
            }
            out[tech] = v
        }
        return out
    }
}

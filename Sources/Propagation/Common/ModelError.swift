// Errors and warnings shared by every propagation model.
//
// Habit 3 of DESIGN.md: invalid input throws (naming the parameter, the value and the valid range);
// doubtful input sets a warning flag carried with the result. Nothing is clamped silently.

/// An input a model cannot evaluate. `code` carries the reference implementation's numeric error code where
/// one exists (NTIA ITM and P.2108 publish them), so that validation tests can compare codes as well.
public struct ModelInputError: Error, Equatable, Sendable, CustomStringConvertible {
    public let model: String
    public let parameter: String
    public let value: Double
    public let validRange: String
    public let code: Int?

    public init(model: String, parameter: String, value: Double, validRange: String, code: Int? = nil) {
        self.model = model
        self.parameter = parameter
        self.value = value
        self.validRange = validRange
        self.code = code
    }

    public var description: String {
        let v = value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        return "\(model): \(parameter) = \(v) is outside the valid range \(validRange)"
            + (code.map { " (code \($0))" } ?? "")
    }

    /// Throws unless `lower ≤ value ≤ upper`.
    @inlinable
    public static func check(
        _ model: String, _ parameter: String, _ value: Double,
        _ lower: Double, _ upper: Double, unit: String = "", code: Int? = nil
    ) throws {
        guard value >= lower, value <= upper, value.isFinite else {
            let u = unit.isEmpty ? "" : " \(unit)"
            throw ModelInputError(
                model: model, parameter: parameter, value: value,
                validRange: "[\(fmt(lower)), \(fmt(upper))]\(u)", code: code)
        }
    }

    @usableFromInline
    static func fmt(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}

/// A terrain profile at equal spacing from transmitter (index 0) to receiver (index n).
public struct TerrainProfile: Sendable, Equatable {
    /// Terrain heights above sea level, m; `count` = number of intervals + 1.
    public var elevationsM: [Double]
    /// Distance between consecutive points, m.
    public var spacingM: Double

    public init(elevationsM: [Double], spacingM: Double) {
        self.elevationsM = elevationsM
        self.spacingM = spacingM
    }

    /// Path length, m.
    public var distanceM: Double { Double(max(elevationsM.count - 1, 0)) * spacingM }
    public var distanceKm: Double { distanceM / 1000 }
}

/// Warning flags that can name themselves (for tables and the `warnings` column of `tanso pathloss`).
public protocol NamedWarnings: OptionSet where Element == Self {
    /// Every flag with its snake_case name, in bit order.
    static var named: [(flag: Self, name: String)] { get }
}

extension NamedWarnings {
    /// Names of the flags that are set.
    /// (Called per cell by the coverage engine: no work when no flag is set.)
    public var names: [String] {
        if isEmpty { return [] }
        var out: [String] = []
        for entry in Self.named where contains(entry.flag) { out.append(entry.name) }
        return out
    }
}

/// A model produced NaN or infinity for inputs it accepted: an internal error, never a value to write. The
/// message names the model and what came out, so that a row can be reported as failed instead of writing `nan`.
public struct NonFiniteResultError: Error, Equatable, Sendable, CustomStringConvertible {
    public let model: String
    public let quantity: String
    public let value: Double

    public init(model: String, quantity: String, value: Double) {
        self.model = model
        self.quantity = quantity
        self.value = value
    }

    public var description: String {
        "\(model): the model produced a non-finite \(quantity) (\(value)) for this input; the row is not written "
            + "(an internal error: please report the row)"
    }

    /// Returns `value` when finite, else throws.
    @inlinable
    public static func finite(_ value: Double, model: String, quantity: String = "loss") throws -> Double {
        guard value.isFinite else { throw NonFiniteResultError(model: model, quantity: quantity, value: value) }
        return value
    }
}

// The coverage study: one value that carries the whole configuration of a run (habit: a batch run is a file a
// regulator can keep with its results and run again).
import Foundation
import Radio

public struct CoverageStudy: Sendable, Codable, Equatable {
    /// Area of interest in WGS84 degrees.
    public var west: Double
    public var south: Double
    public var east: Double
    public var north: Double
    /// Grid resolution, m (the grid is laid out in the UTM zone of the area's centre).
    public var resolutionM: Double = 100
    /// Propagation model for the first coverage path: "hata" (Okumura-Hata up to 1500 MHz, COST-231 above) —
    /// see `PathLossModel`.
    public var model: String = "hata"
    /// Hata environment: urban, suburban or open.
    public var environment: String = "suburban"
    /// Receiver height above ground, m.
    public var receiverHeightM: Double = 1.5
    /// Maximum computation radius around each transmitter, km.
    public var maxRadiusKm: Double = 30
    /// Cells where the signal is below this level (dBm) are left empty for that transmitter.
    public var floorDBm: Double = -120
    /// Thresholds per technology (total channel power, dBm).
    public var thresholdsDBm: [String: Double] = Dictionary(uniqueKeysWithValues:
        CoverageThresholds.defaults.dBm.map { ($0.key.rawValue, $0.value) })

    public init(west: Double, south: Double, east: Double, north: Double) {
        self.west = west; self.south = south; self.east = east; self.north = north
    }

    public var thresholds: CoverageThresholds {
        var t = CoverageThresholds.defaults
        for (k, v) in thresholdsDBm { if let tech = Technology(parsing: k) { t.dBm[tech] = v } }
        return t
    }
}

public struct StudyError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

// The coverage study: one value that carries the whole configuration of a run (habit: a batch run is a file a
// regulator can keep with its results and run again).
import Foundation
import Radio
import Geo

public struct CoverageStudy: Sendable, Codable, Equatable {
    /// Area of interest in WGS84 degrees.
    public var west: Double
    public var south: Double
    public var east: Double
    public var north: Double
    /// Grid resolution, m (the grid is laid out in the UTM zone of the area's centre).
    public var resolutionM: Double = 100
    /// Propagation model: "hata" (the fast path: Okumura-Hata up to 1500 MHz, COST-231 above, vectorised over
    /// distance) or any model of `tanso pathloss` (itm, p526, p1812, p452, p1546, ehata, …), evaluated on the
    /// terrain profile from each transmitter to each cell centre.
    public var model: String = "hata"
    /// Model settings with the names of `tanso pathloss`'s optional columns (climate, time_pct, dn, …).
    public var modelSettings: [String: String] = [:]
    /// Profile spacing for terrain models, m (nil: the DEM's cell size, as `tanso pathloss` link mode).
    public var profileSpacingM: Double? = nil
    /// How terrain models get their profiles: "radial" (one profile per radial, shared by the cells near it:
    /// fast, within a few tenths of a dB of "exact") or "exact" (a fresh profile to each cell centre, equal to
    /// `tanso pathloss` link mode). See CoverageRadial.swift.
    public var profiles: String = "radial"
    /// Radial method: cells are refined coarse to fine from a lattice of computed anchor cells (every
    /// `anchorSpacingCells`-th row and column); a cell whose 2 or 4 neighbours of the next coarser level agree
    /// within this many dB (half of it above the finest level; in excess loss over 20 log10 d), and whose ground
    /// lies within `interpolateGroundWithinM` of theirs, takes their mean instead of its own profile (0: compute
    /// every cell). See CoverageRadial.swift.
    public var interpolateWithinDB: Double = 4
    /// Radial method with interpolation: the anchor lattice's step in cells, a power of 2 (1, 2, 4, 8, 16).
    public var anchorSpacingCells: Int = 4
    /// Radial method with interpolation: the largest difference between a cell's ground height and the mean of
    /// its neighbours' for the cell to be interpolated, m.
    public var interpolateGroundWithinM: Double = 1
    /// Optional cap on profile points (a speed/accuracy trade: coarser profiles for long paths).
    public var maxProfilePoints: Int? = nil
    /// Hata environment: urban, suburban or open.
    public var environment: String = "suburban"
    /// Receiver height above ground, m.
    public var receiverHeightM: Double = 1.5
    /// Maximum computation radius around each transmitter, km.
    public var maxRadiusKm: Double = 30
    /// Cells where the signal is below this level (dBm) are left empty for that transmitter.
    public var floorDBm: Double = -120
    /// Receiver-end clutter loss, ITU-R P.2108 §3.2 terrestrial statistical model, not exceeded at this
    /// percentage of locations (nil: none). For terrain models, which see bare ground; Hata includes clutter.
    public var clutterLocationPct: Double? = nil
    /// Receiver-end clutter loss by land-cover class (class code → dB), applied with a land-cover raster
    /// (`ClutterMap`); nil: none. Kept in the study so that a run record holds the table it used.
    public var clutterClassLossDB: [String: Double]? = nil
    /// What the rasters hold: nil or "power" (received power at the antenna port, dBm) or "field-strength" (dBµV/m at the
    /// receiving height: EIRP − L_b + 20 log f + 107.21, ITU-R P.525; P.1546 with its own §17 constant, see
    /// `FieldStrengthCoverage`). With field strength, `floorDBm` and the thresholds are read as dBµV/m.
    public var metric: String? = nil
    public var isFieldStrength: Bool { metric == "field-strength" }
    /// Thresholds per technology (total channel power, dBm); set by name (`thresholdsDBm["4G"] = -90`) or by
    /// technology (`thresholdsDBm[.lte] = -90`). A name that is not a technology is refused by `validated()`.
    public var thresholdsDBm = ThresholdTable(CoverageThresholds.defaults.dBm)
    /// A model calibration from measurements (`tanso calibrate`), applied as extra loss; nil: none.
    public var calibration: Calibration? = nil

    public init(west: Double, south: Double, east: Double, north: Double) {
        self.west = west; self.south = south; self.east = east; self.north = north
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case west, south, east, north, resolutionM, model, modelSettings, profileSpacingM, profiles, interpolateWithinDB, anchorSpacingCells,
            interpolateGroundWithinM, maxProfilePoints, clutterLocationPct, clutterClassLossDB, environment,
            receiverHeightM, maxRadiusKm, floorDBm, thresholdsDBm, calibration, metric
    }

    /// Missing keys take their defaults, so study files stay readable as the study grows. A key the study does
    /// not know is an error that names it (a misspelt key would otherwise be ignored silently), and so is any
    /// value `validated()` refuses: a study is checked once, when it is read.
    public init(from decoder: Decoder) throws {
        let any = try decoder.container(keyedBy: AnyKey.self)
        for key in any.allKeys where CodingKeys(stringValue: key.stringValue) == nil {
            throw StudyError("unknown key '\(key.stringValue)' in the study (known: " + Self.knownKeys.joined(separator: ", ") + ")")
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            west: try c.decode(Double.self, forKey: .west), south: try c.decode(Double.self, forKey: .south),
            east: try c.decode(Double.self, forKey: .east), north: try c.decode(Double.self, forKey: .north))
        resolutionM = try c.decodeIfPresent(Double.self, forKey: .resolutionM) ?? resolutionM
        model = try c.decodeIfPresent(String.self, forKey: .model) ?? model
        modelSettings = try c.decodeIfPresent([String: String].self, forKey: .modelSettings) ?? modelSettings
        profileSpacingM = try c.decodeIfPresent(Double.self, forKey: .profileSpacingM)
        maxProfilePoints = try c.decodeIfPresent(Int.self, forKey: .maxProfilePoints)
        profiles = try c.decodeIfPresent(String.self, forKey: .profiles) ?? profiles
        interpolateWithinDB = try c.decodeIfPresent(Double.self, forKey: .interpolateWithinDB) ?? interpolateWithinDB
        anchorSpacingCells = try c.decodeIfPresent(Int.self, forKey: .anchorSpacingCells) ?? anchorSpacingCells
        interpolateGroundWithinM = try c.decodeIfPresent(Double.self, forKey: .interpolateGroundWithinM) ?? interpolateGroundWithinM
        clutterLocationPct = try c.decodeIfPresent(Double.self, forKey: .clutterLocationPct)
        clutterClassLossDB = try c.decodeIfPresent([String: Double].self, forKey: .clutterClassLossDB)
        environment = try c.decodeIfPresent(String.self, forKey: .environment) ?? environment
        receiverHeightM = try c.decodeIfPresent(Double.self, forKey: .receiverHeightM) ?? receiverHeightM
        maxRadiusKm = try c.decodeIfPresent(Double.self, forKey: .maxRadiusKm) ?? maxRadiusKm
        floorDBm = try c.decodeIfPresent(Double.self, forKey: .floorDBm) ?? floorDBm
        thresholdsDBm = try c.decodeIfPresent(ThresholdTable.self, forKey: .thresholdsDBm) ?? thresholdsDBm
        calibration = try c.decodeIfPresent(Calibration.self, forKey: .calibration)
        metric = try c.decodeIfPresent(String.self, forKey: .metric)
        _ = try validated()
    }

    static let knownKeys = CodingKeys.allCases.map(\.rawValue)

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The thresholds of every technology: the defaults with the study's over them.
    public var thresholds: CoverageThresholds { thresholdsDBm.thresholds }
}

public struct StudyError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension CoverageStudy {
    /// The number of grid cells a transmitter at (`latitude`, `longitude`) can reach: the cells of the study area
    /// inside the square of half-side `maxRadiusKm` around it, at least 1. The cost estimate that balances
    /// `--shard` (the model's cost per cell is the same for every transmitter of a study, so it cancels).
    public func estimatedCells(latitude: Double, longitude: Double) -> Double {
        let dLat = Geodesy.degreesLatitude(km: maxRadiusKm)
        let dLon = Geodesy.degreesLongitude(km: maxRadiusKm, atLatitudeDeg: latitude, cosFloor: 0.01)
        let w = max(west, longitude - dLon), e = min(east, longitude + dLon)
        let s = max(south, latitude - dLat), n = min(north, latitude + dLat)
        guard e > w, n > s else { return 1 }
        let (xKm, yKm) = Geodesy.localOffsetKm(dLonDeg: e - w, dLatDeg: n - s, atLatitudeDeg: (s + n) / 2)
        let cellKm = resolutionM / 1000
        return max(1, (xKm / cellKm).rounded(.up) * (yKm / cellKm).rounded(.up))
    }
}

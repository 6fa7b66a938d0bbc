// Settings of the monitoring correlation and of sweep detection, with their documented defaults; a settings file
// (`name,value`, data/README.md "Monitoring: settings") replaces any of them.
import Foundation
import Propagation
import Radio
import Records

public struct MonitoringSettings: Sendable {
    /// An assignment is receivable at a station when its predicted field strength there reaches this, dBµV/m.
    public var detectionThresholdDBuVm = 20.0
    /// not_heard: predicted at least this far above the detection threshold and nothing heard on the channel, dB.
    public var notHeardMarginDB = 15.0
    /// over_level: measured − predicted > k·σ (+ the stated level uncertainty).
    public var overLevelK = 3.0
    /// Location variability σ of the prediction, dB, unless a calibration file gives one for the service:
    /// 5.5 dB, the value of ITU-R P.1546-6 §12 (and P.1812) for outdoor receivers.
    public var sigmaDB = 5.5
    /// excess_bandwidth: occupied bandwidth above the necessary bandwidth by more than this share, %.
    public var bandwidthTolerancePct = 10.0
    /// Assignments farther than this from a station are never receivable, km.
    public var maxDistanceKm = 150.0
    /// Hata environment of the simple model (no DEM).
    public var environment: Hata.Environment = .suburban
    /// Threads of the matching (results do not depend on it).
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    // Sweep detection (ITU-R SM.1753 noise floor, SM.1880 occupancy).
    /// Noise floor of a bin: this percentile of its levels over the measurement window, %.
    public var noisePercentile = 10.0
    /// Detection threshold: noise floor + this, dB.
    public var thresholdAboveFloorDB = 10.0
    /// A bin belongs to an emission when it is above its threshold in at least this share of the sweeps, %.
    public var minOccupancyPct = 5.0
    /// Neighbourhood of the noise floor: a bin's floor is at most the 20th percentile of the floors within this
    /// window, kHz (a carrier on the air all the time is not its own floor).
    public var floorWindowKHz = 2000.0
    /// Level histogram of each bin: lowest and highest level and step, dB (in the sweep file's unit).
    public var histogramMinDB = -200.0
    public var histogramMaxDB = 200.0
    public var histogramStepDB = 0.25
    /// Occupancy channels: the width of the band-plan raster where no assignment gives one, kHz.
    public var channelKHz = 100.0

    public init() {}

    typealias Key = WritableKeyPath<MonitoringSettings, Double>
    /// Every name a settings file may set, with its range and meaning.
    static var table: [(name: String, key: Key, range: ClosedRange<Double>, meaning: String)] {
        [
            ("detection_threshold_dbuv_m", \.detectionThresholdDBuVm, -40...150, "receivable when the predicted level reaches this, dBµV/m"),
            ("not_heard_margin_db", \.notHeardMarginDB, 0...100, "not_heard: predicted this far above the threshold, dB"),
            ("over_level_k", \.overLevelK, 0...20, "over_level: measured − predicted > k·σ"),
            ("sigma_db", \.sigmaDB, 0.1...40, "location variability of the prediction, dB"),
            ("bandwidth_tolerance_pct", \.bandwidthTolerancePct, 0...1000, "excess_bandwidth tolerance over the necessary bandwidth, %"),
            ("max_distance_km", \.maxDistanceKm, 0.1...2000, "farthest receivable assignment, km"),
            ("noise_percentile", \.noisePercentile, 0.1...90, "noise floor percentile of each bin over time, %"),
            ("threshold_above_floor_db", \.thresholdAboveFloorDB, 0...100, "detection threshold above the noise floor, dB"),
            ("min_occupancy_pct", \.minOccupancyPct, 0...100, "share of sweeps above threshold for a bin to be an emission, %"),
            ("floor_window_khz", \.floorWindowKHz, 0...1_000_000, "window of the neighbourhood noise floor, kHz"),
            ("histogram_min_db", \.histogramMinDB, -300...300, "lowest level of the per-bin histogram"),
            ("histogram_max_db", \.histogramMaxDB, -300...300, "highest level of the per-bin histogram"),
            ("histogram_step_db", \.histogramStepDB, 0.01...10, "step of the per-bin histogram, dB"),
            ("channel_khz", \.channelKHz, 1...1_000_000, "occupancy channel width off the register's channels, kHz")
        ]
    }

    public static var names: [String] { table.map(\.name) }
    public static var documentation: String {
        table.map { "  \($0.name.padding(toLength: 28, withPad: " ", startingAt: 0)) \($0.meaning)" }.joined(separator: "\n")
    }

    /// Applies `name,value` rows of a settings file; unknown names and bad values name the file and row.
    public mutating func apply(_ rows: [(row: Int, name: String, value: String)], source: String) throws {
        for r in rows {
            guard let entry = Self.table.first(where: { $0.name == r.name }) else {
                throw RecordError(source: source, row: r.row, column: "name", value: r.name, expected: "one of \(Self.names.joined(separator: ", "))")
            }
            guard let x = DecimalNumber.parse(r.value), entry.range.contains(x) else {
                throw RecordError(
                    source: source, row: r.row, column: "value", value: r.value,
                    expected: "a number in [\(entry.range.lowerBound), \(entry.range.upperBound)] for \(r.name)")
            }
            self[keyPath: entry.key] = x
        }
        guard histogramMaxDB > histogramMinDB + histogramStepDB else {
            throw RecordError(
                source: source, row: nil, column: "histogram_max_db", value: String(histogramMaxDB), expected: "above histogram_min_db + one step")
        }
    }
}

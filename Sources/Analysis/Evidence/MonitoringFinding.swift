// What the monitoring correlation finds: one finding per violation (an emission may give several), and the
// assignments that were expected but not heard.
import Foundation

public enum MonitoringFindingKind: String, Sendable, CaseIterable {
    case unlicensed
    case offFrequency = "off_frequency"
    case excessBandwidth = "excess_bandwidth"
    case overLevel = "over_level"
    case notHeard = "not_heard"

    var order: Int { Self.allCases.firstIndex(of: self)! }
}

public struct MonitoringFinding: Sendable, Equatable {
    public var kind: MonitoringFindingKind
    public var severity: Severity
    public var stationID: String
    /// Measured centre (emissions) or the assignment's centre (not_heard), MHz.
    public var frequencyMHz: Double
    public var bandwidthKHz: Double?
    public var levelDBuVm: Double?
    /// The matched assignment; nil for unlicensed.
    public var assignmentID: String?
    public var licensee: String?
    /// What the licence leads to expect, and the deviation from it (units by kind, data/README.md):
    /// off_frequency: assigned MHz / offset kHz; excess_bandwidth: necessary kHz / excess kHz; over_level and
    /// not_heard: predicted dBµV/m / dB above it (not_heard: above the threshold); unlicensed: — / dB above the
    /// detection threshold.
    public var expected: Double?
    public var deviation: Double?
    public var explanation: String
    /// Where the station was (lat, lon) and where the assignment is.
    public var stationPosition: (lat: Double, lon: Double)
    public var assignmentPosition: (lat: Double, lon: Double)?
    public var timestamp: String?
    /// new / unchanged / resolved against a baseline; nil without one.
    public var status: String?

    public init(
        kind: MonitoringFindingKind, severity: Severity, stationID: String, frequencyMHz: Double, bandwidthKHz: Double? = nil,
        levelDBuVm: Double? = nil, assignmentID: String? = nil, licensee: String? = nil, expected: Double? = nil,
        deviation: Double? = nil, explanation: String, stationPosition: (lat: Double, lon: Double),
        assignmentPosition: (lat: Double, lon: Double)? = nil, timestamp: String? = nil, status: String? = nil
    ) {
        self.kind = kind; self.severity = severity; self.stationID = stationID; self.frequencyMHz = frequencyMHz
        self.bandwidthKHz = bandwidthKHz; self.levelDBuVm = levelDBuVm; self.assignmentID = assignmentID
        self.licensee = licensee; self.expected = expected; self.deviation = deviation; self.explanation = explanation
        self.stationPosition = stationPosition; self.assignmentPosition = assignmentPosition
        self.timestamp = timestamp; self.status = status
    }

    /// Identity across runs (for `--baseline`): kind, station, assignment, and the frequency to 10 kHz.
    public var key: String {
        [kind.rawValue, stationID, assignmentID ?? "", String(Int((frequencyMHz * 100).rounded()))].joined(separator: "|")
    }

    public static func == (l: MonitoringFinding, r: MonitoringFinding) -> Bool {
        l.key == r.key && l.severity == r.severity && l.deviation == r.deviation && l.explanation == r.explanation && l.status == r.status
    }

    /// Severity, then kind, station and frequency.
    public static func ordered(_ a: MonitoringFinding, _ b: MonitoringFinding) -> Bool {
        if a.severity != b.severity { return a.severity < b.severity }
        if a.kind != b.kind { return a.kind.order < b.kind.order }
        if a.stationID != b.stationID { return a.stationID < b.stationID }
        if a.frequencyMHz != b.frequencyMHz { return a.frequencyMHz < b.frequencyMHz }
        return a.key < b.key
    }
}

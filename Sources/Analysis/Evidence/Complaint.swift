// An interference complaint (a receiver at a place, on a channel, suffering) and the candidates that could explain it.
//
// Every candidate is one way energy from the register reaches the victim's channel (InterferenceSearch.swift):
// an emission with a level at its source, a frequency for the path and a rejection by the victim's channel or
// selectivity. The interference at the victim is
//   I = EIRP + transmit discrimination toward the victim − path loss + receive gain toward the source − rejection,
// and it is ranked by I/N with N = kTB + NF (k T0 = −173.98 dBm/Hz at T0 = 290 K). Blocking is ranked by its
// equivalent I/N, the blocker's power at the receiver input less the blocking level (0 dB where the receiver is
// desensitised by 3 dB).
import Foundation
import Propagation
import Radio

public struct Complaint: Sendable, Equatable {
    public var latitude: Double, longitude: Double
    /// The victim's channel.
    public var frequencyMHz: Double, bandwidthKHz: Double
    /// Receive antenna: height above ground (m), maximum gain (dBi), boresight azimuth (nil: omnidirectional; else the
    /// 3GPP 65° sector pattern of `SectorAntenna`).
    public var rxHeightM = 10.0
    public var rxGainDBi = 0.0
    public var rxAzimuthDeg: Double? = nil
    /// The victim's service (selectivity, protection curve and blocking level).
    public var service = "other"
    public var noiseFigureDB = 7.0
    /// Percentage of time of the interference path loss (models that take it), %.
    public var timePct = 1.0

    public init(latitude: Double, longitude: Double, frequencyMHz: Double, bandwidthKHz: Double) {
        self.latitude = latitude; self.longitude = longitude
        self.frequencyMHz = frequencyMHz; self.bandwidthKHz = bandwidthKHz
    }

    public var channel: Channel { Channel(centreMHz: frequencyMHz, bandwidthKHz: bandwidthKHz) }

    /// k T0 at T0 = 290 K, dBm/Hz.
    public static let kT0DBmPerHz = 10 * log10(1.380649e-23 * 290 * 1000)

    /// Receiver noise N = kTB + NF, dBm.
    public var noiseDBm: Double { Self.kT0DBmPerHz + 10 * log10(bandwidthKHz * 1000) + noiseFigureDB }
}

public enum InterferenceMechanism: String, Sendable, CaseIterable, Comparable {
    case coChannel = "co_channel"
    case adjacentChannel = "adjacent_channel"
    case intermodulation
    case harmonic
    case spurious
    case blocking

    var order: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.order < b.order }
}

/// Settings of a complaint search.
public struct InterferenceSettings: Sendable {
    public var protection: ProtectionRatios = .defaults
    public var blocking: BlockingTable = .defaults
    /// Hata environment of the simple model (no DEM).
    public var environment: Hata.Environment = .suburban
    /// Transmitters with the same station_id or within this distance share a site for intermodulation, km.
    public var imSiteKm = 0.1
    /// Intermodulation attenuation below the weakest carrier's transmitter output, dB (3rd, 5th order).
    public var im3AttenuationDB = 40.0, im5AttenuationDB = 55.0
    /// Services not taken as intermodulation sources (as `tanso conflicts`).
    public var imExcludedServices: Set<Service> = [.fixed]
    /// Harmonic orders screened.
    public var harmonicOrders = 2...5
    /// Stations left out: the victim's own (its transmitters reach its receiver through the duplexer, by design).
    public var excludedStations: Set<String> = []
    /// Mechanisms searched.
    public var mechanisms = Set(InterferenceMechanism.allCases)
    /// Candidates returned (the exact top of the ranking).
    public var top = 20
    /// Protection criterion, I/N (dB): the margin is criterion − I/N (negative: the criterion is exceeded).
    public var criterionIOverNDB = -6.0
    /// Shortest path taken, km (a complaint at the foot of a mast).
    public var minDistanceKm = 0.01
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    public init() {}

    /// No path loses less than free space less this (the two-ray maximum: the direct and a reflected wave in phase
    /// double the field). Losses below it are raised to it, which makes the search's bound exact.
    public static let twoRayGainDB = 20 * log10(2.0)
}

/// One candidate, ranked.
public struct InterferenceCandidate: Sendable, Equatable {
    public var mechanism: InterferenceMechanism
    /// Assignments involved (the transmitter; for intermodulation f1, f2 [, f3] in the formula's order).
    public var assignmentIDs: [String]
    /// Their transmit frequencies, MHz.
    public var frequenciesMHz: [Double]
    /// Frequency of the emission that reaches the victim (carrier, product or harmonic), MHz.
    public var emissionMHz: Double
    /// Interference in the victim's channel (blocking: the blocker's power at the receiver input), dBm.
    public var interferenceDBm: Double
    public var iOverNDB: Double
    /// criterion − I/N, dB.
    public var marginDB: Double
    public var distanceKm: Double
    public var pathLossDB: Double
    public var sourceLatitude: Double, sourceLongitude: Double
    public var explanation: String

    /// Ranking: I/N (highest first), then mechanism, then ids.
    public static func ranked(_ a: Self, _ b: Self) -> Bool {
        if a.iOverNDB != b.iOverNDB { return a.iOverNDB > b.iOverNDB }
        if a.mechanism != b.mechanism { return a.mechanism < b.mechanism }
        return a.assignmentIDs.lexicographicallyPrecedes(b.assignmentIDs)
    }
}

/// What a search examined.
public struct InterferenceStatistics: Sendable {
    public var assignments = 0
    /// Emissions enumerated per mechanism (every one that reaches the victim's channel or front end).
    public var enumerated: [InterferenceMechanism: Int] = [:]
    /// Emissions whose path was computed (the rest were excluded by their bound).
    public var evaluated = 0
    public var intermodulationSites = 0
    public var terrainFallbacks = 0
    public var seconds = 0.0
    public var totalEnumerated: Int { enumerated.values.reduce(0, +) }
    public init() {}
}

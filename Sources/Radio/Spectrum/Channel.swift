// A radio channel: centre frequency and bandwidth, with the overlap and the guard band between two channels.
import Foundation

public struct Channel: Sendable, Equatable, Hashable {
    /// Centre frequency, MHz.
    public var centreMHz: Double
    /// Occupied (or necessary) bandwidth, kHz.
    public var bandwidthKHz: Double

    public init(centreMHz: Double, bandwidthKHz: Double) {
        self.centreMHz = centreMHz
        self.bandwidthKHz = bandwidthKHz
    }

    public var lowMHz: Double { centreMHz - bandwidthKHz / 2000 }
    public var highMHz: Double { centreMHz + bandwidthKHz / 2000 }

    /// Centre-to-centre offset of `other` from this channel, kHz (signed).
    public func offsetKHz(to other: Channel) -> Double { (other.centreMHz - centreMHz) * 1000 }

    /// Width of the common part of the two channels, kHz (0 when they do not overlap).
    public func overlapKHz(with other: Channel) -> Double {
        max(0, (min(highMHz, other.highMHz) - max(lowMHz, other.lowMHz)) * 1000)
    }

    /// Guard band between the nearest edges, kHz (0 or negative when the channels touch or overlap).
    public func edgeGapKHz(to other: Channel) -> Double {
        (max(lowMHz, other.lowMHz) - min(highMHz, other.highMHz)) * 1000
    }

    /// True when `other` lies wholly inside [lowMHz, highMHz] of this band (with 1 Hz tolerance).
    public func contains(_ other: Channel) -> Bool {
        other.lowMHz >= lowMHz - 1e-6 && other.highMHz <= highMHz + 1e-6
    }
}

// The project's one seeded random-number generator: the sample province, the property, fuzz and regression tests
// and the benchmarks draw from it, so the same seed gives the same data on every machine. Radio is the lowest
// module that all of them import (TansoCLI, TestSupport, the test targets and the benchmarks).
import Foundation

/// SplitMix64 (Steele, Lea and Flood 2014): 64-bit state, full period, passes BigCrush.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) (53 random bits).
    public mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Uniform in [lo, hi).
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * uniform() }

    /// Standard normal (Box–Muller, one of the pair).
    public mutating func normal() -> Double {
        let u = max(uniform(), 1e-12), v = uniform()
        return sqrt(-2 * log(u)) * cos(2 * .pi * v)
    }

    /// Log-uniform in [lo, hi] (lo > 0): each decade equally likely.
    public mutating func logUniform(_ lo: Double, _ hi: Double) -> Double { lo * pow(hi / lo, uniform(0, 1)) }

    /// One of `values` (not empty).
    public mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { uniform() < p }
}

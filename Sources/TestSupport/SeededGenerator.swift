// A seeded random-number generator for property and fuzz tests: the same seed gives the same cases on every
// machine, so a failure prints a seed and a row that reproduce it.
import Foundation

/// SplitMix64 (Steele, Lea and Flood 2014): 64-bit state, full period, passes BigCrush; more than enough to
/// draw test cases.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [lo, hi].
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * Double(next() >> 11) / Double(1 << 53)
    }

    /// Log-uniform in [lo, hi] (lo > 0): each decade equally likely.
    public mutating func logUniform(_ lo: Double, _ hi: Double) -> Double {
        let x = uniform(0, 1)
        return lo * pow(hi / lo, x)
    }

    /// One of `values`.
    public mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { uniform(0, 1) < p }
}

// A seeded random-number generator for property and fuzz tests: the same seed gives the same cases on every
// machine, so a failure prints a seed and a row that reproduce it.
import Radio

/// The project's SplitMix64 (`Radio/SplitMix64.swift`), under the name the tests know.
public typealias SeededGenerator = SplitMix64

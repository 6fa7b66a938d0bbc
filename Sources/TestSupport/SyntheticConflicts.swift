import Analysis

/// Conflicts of every kind for the products' tests: optional values missing, a non-finite C/I, explanations that need
/// quoting, out-of-plan points without an interferer. Positions are uniform in the box `area` (lon, lat, width and
/// height in degrees); conflict `unlocated` has none (a resolved one whose assignments are gone); `withStatus` marks
/// each new, unchanged or resolved in turn.
public enum SyntheticConflicts {
    public static func make(
        count: Int, seed: UInt64, area: (lon: Double, lat: Double, width: Double, height: Double), unlocated: Int? = nil,
        withStatus: Bool = false
    ) -> [Conflict] {
        var g = SeededGenerator(seed: seed)
        func r(_ lo: Double, _ hi: Double) -> Double { Double.random(in: lo..<hi, using: &g) }
        func position() -> (lon: Double, lat: Double) { (area.lon + r(0, area.width), area.lat + r(0, area.height)) }
        return (0..<count).map { i in
            let kind = ConflictKind.allCases[i % ConflictKind.allCases.count]
            let point = kind == .outOfPlan
            return Conflict(
                kind: kind, aID: "A\(i)", bID: point ? nil : "B\(i % 977)", cID: i % 13 == 0 ? "C1;C2" : nil,
                frequencyOffsetKHz: i % 5 == 0 ? nil : r(-500, 500), overlapKHz: r(0, 200), distanceKm: r(0.1, 300),
                interferenceDBm: r(-160, -30), cOverIDB: i % 7 == 0 ? .nan : r(-60, 60), requiredDB: r(-40, 30),
                marginDB: r(-90, -0.001), severity: Severity.allCases[i % 4],
                explanation: i % 3 == 0 ? "FM \"A\", \(i) kHz off\nsecond line" : "co-channel at \(i) m",
                aPosition: i == unlocated ? (.nan, .nan) : position(), bPosition: point ? nil : position(),
                status: withStatus ? ["new", "unchanged", "resolved"][i % 3] : nil)
        }
    }
}

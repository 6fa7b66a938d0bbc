// ITU-R P.1546-6 quantities taken from a terrain profile: effective height heff (Annex 5 §3, 3–15 km average),
// hb (§3.1.2, 0.2d–d average), the receiver terrain clearance angle θtca (§11) and the transmitter clearance
// angle θeff1 (§4.3 a), used by §13). Profiles run from the transmitter (index 0) to the receiver.
// Averages use the trapezoidal rule over the profile points inside the range, as the ITU-R reference
// implementation does. Left out: Earth curvature in θtca (the Recommendation says not to include it).
import Foundation

extension P1546 {

    /// Terrain-derived inputs for one profile and pair of antenna heights.
    public struct ProfileParameters: Sendable, Equatable {
        /// h1 (m): heff (3–15 km average) for paths ≥ 15 km, hb (0.2d–d average) for shorter paths (§3).
        public var h1M: Double
        /// θtca, degrees (§11), not yet limited to 0.55°–40°.
        public var terrainClearanceAngleDeg: Double
        /// θeff1, degrees (§4.3 a)).
        public var txClearanceAngleDeg: Double
        public var txGroundHeightAmslM: Double
        public var rxGroundHeightAmslM: Double
    }

    /// Computes h1, θtca and θeff1 from a profile given as distances (km, from the transmitter, increasing)
    /// and terrain heights (m above sea level).
    public static func profileParameters(
        distancesKm x: [Double], heightsM h: [Double],
        txHeightAboveGroundM ha: Double,
        rxHeightAboveGroundM h2: Double
    ) throws -> ProfileParameters {
        guard x.count == h.count, x.count >= 2 else {
            throw ModelInputError(
                model: modelName, parameter: "profile.count", value: Double(min(x.count, h.count)),
                validRange: "[2, ∞) points with as many heights as distances")
        }
        for i in 1..<x.count where !(x[i] > x[i - 1]) {
            throw ModelInputError(
                model: modelName, parameter: "profile.distancesKm[\(i)]", value: x[i],
                validRange: "(\(x[i - 1]), ∞) km (strictly increasing)")
        }
        return ProfileParameters(
            h1M: effectiveHeightM(distancesKm: x, heightsM: h, txHeightAboveGroundM: ha),
            terrainClearanceAngleDeg: terrainClearanceAngleDeg(
                distancesKm: x, heightsM: h,
                rxHeightAboveGroundM: h2),
            txClearanceAngleDeg: txClearanceAngleDeg(
                distancesKm: x, heightsM: h,
                txHeightAboveGroundM: ha),
            txGroundHeightAmslM: h[0], rxGroundHeightAmslM: h[h.count - 1])
    }

    /// Same for an equally spaced `TerrainProfile`.
    public static func profileParameters(
        _ profile: TerrainProfile, txHeightAboveGroundM ha: Double,
        rxHeightAboveGroundM h2: Double
    ) throws -> ProfileParameters {
        let x = (0..<profile.elevationsM.count).map { Double($0) * profile.spacingM / 1000 }
        return try profileParameters(
            distancesKm: x, heightsM: profile.elevationsM,
            txHeightAboveGroundM: ha, rxHeightAboveGroundM: h2)
    }

    /// §3: heff = ha + h(0) − hav, with hav the mean terrain height between 3 and 15 km from the transmitter
    /// (paths ≥ 15 km, §3.2 Eq. (7)), or between 0.2d and d (shorter paths: hb of §3.1.2 Eq. (6)).
    static func effectiveHeightM(distancesKm x: [Double], heightsM h: [Double], txHeightAboveGroundM ha: Double) -> Double {
        let x0 = x[0], dEnd = x[x.count - 1]
        let (lo, hi) = dEnd >= 15 ? (3.0, 15.0) : (0.2 * dEnd, dEnd)
        // The points inside [lo, hi] form one run (x increases); the trapezoids are summed over it in order, without
        // copying the run out (the coverage engine calls this for every cell).
        var first = -1, last = -1
        for i in x.indices {
            if x[i] - x0 > hi { break } // x increases: no later point is inside
            guard abs(x[i] - x0) >= lo else { continue }
            if first < 0 { first = i }
            last = i
        }
        guard first >= 0, last > first else { return ha + h[0] - (first >= 0 ? h[first] : h[0]) }
        var area = 0.0
        for i in first..<last { area += (h[i] + h[i + 1]) * (x[i + 1] - x[i]) / 2 }
        let hav = area / (x[last] - x[first])
        return ha + h[0] - hav
    }

    /// §11: elevation angle (degrees) of the line from the receiving antenna that just clears all terrain within
    /// 16 km in the direction of the transmitter (not beyond it); no Earth curvature.
    static func terrainClearanceAngleDeg(
        distancesKm x: [Double], heightsM h: [Double],
        rxHeightAboveGroundM h2: Double
    ) -> Double {
        let n = x.count, dEnd = x[n - 1], hr = h[n - 1] + h2
        // atan is increasing: the largest angle is the angle of the largest slope (one atan, not one per point).
        var best = -Double.infinity
        // The points within 16 km are the last ones (x increases): find the first, then take them in order.
        var start = n - 1
        while start > 0 && dEnd - x[start - 1] <= 16 { start -= 1 }
        for i in start..<(n - 1) {
            best = max(best, (h[i] - hr) / (1000 * (dEnd - x[i])))
        }
        return best.isFinite ? atan(best) * 180 / .pi : 0
    }

    /// §4.3 a): elevation angle (degrees) of the line from the transmitting antenna that just clears all terrain
    /// up to 15 km towards (and not beyond) the receiver.
    static func txClearanceAngleDeg(distancesKm x: [Double], heightsM h: [Double], txHeightAboveGroundM ha: Double) -> Double {
        let ht = h[0] + ha
        var best = -Double.infinity
        for i in 1..<x.count {
            if x[i] - x[0] > 15 { break } // x increases: no later point is within 15 km
            best = max(best, (h[i] - ht) / (1000 * (x[i] - x[0])))
        }
        return best.isFinite ? atan(best) * 180 / .pi : 0
    }
}

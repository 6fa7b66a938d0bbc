// Terrain analysis of the NTIA Extended Hata (eHata) model: NTIA Report TR-15-517 (Drocella et al., 2015,
// "3.5 GHz Exclusion Zone Analyses and Methodology", Appendix A), as implemented in the NTIA/ITS eHata
// reference (github.com/NTIA/ehata, the float version used for the original ITS test set). The terrain
// corrections come from Okumura et al. (1968), §§2.4 and 4; section numbers below refer to that paper.
//
// All functions here take the profile in the reference's order: index 0 at the MOBILE, last index at the
// base station. `EHata.pathLoss` reverses the caller's base-to-mobile profile before calling them.
import Foundation

extension EHata {
    /// Terrain quantities derived from the profile (the reference's "intermediate values").
    public struct TerrainAnalysis: Sendable, Equatable {
        /// Average ground height used for the effective antenna heights, m amsl: [mobile end, base end].
        public var averageGroundHeightM: [Double]
        /// 10 %, 50 %, 90 % terrain height quantiles (values exceeded at 10/50/90 % of points), m.
        public var quantile10M: Double
        public var quantile50M: Double
        public var quantile90M: Double
        /// Δh, terrain irregularity = q10 − q90, m (scaled to its 10 km asymptote on paths under 10 km).
        public var deltaHM: Double
        /// θ_m, mean terrain slope at the mobile, mrad (positive when the ground rises towards the base).
        public var mobileSlopeMrad: Double
        public var slopeMaxMrad: Double
        public var slopeMinMrad: Double
        /// β, fraction of profile points at exactly 0 m (sea).
        public var seaFraction: Double
        /// Which end the sea is at: 1 mobile half, 0 base half, −1 equal (reference's `iend_ov_sea`).
        public var seaEnd: Int
        /// Horizon distances, m: [from the mobile, from the base station].
        public var horizonDistanceM: [Double]
        /// True when the two horizons coincide within half a step (one isolated ridge).
        public var singleHorizon: Bool
        /// h̃_edge, ridge height above the line between the antennas, m (single horizon only, ≥ 0).
        public var ridgeHeightM: Double
        /// Effective Earth curvature γ_e, 1/m.
        public var effectiveCurvaturePerM: Double
    }

    /// Runs the reference's terrain pre-processing on a mobile-first profile.
    static func analyseTerrain(
        mobileFirst z: [Double], stepM xi: Double, baseHeightM hb: Double,
        mobileHeightM hm: Double
    ) -> TerrainAnalysis {
        let np = z.count - 1 // number of intervals
        let dM = Double(np) * xi // path length, m
        let dKm = dM / 1000
        let xiKm = xi / 1000

        // Average ground height at each terminal (TR-15-517 App. A; reference FindAverageGroundHeight).
        // The ITS reference scales the 3–15 km averages by (d − 3)/12 (a known quirk, kept for fidelity).
        var hAvg = [z[0], z[np]]
        func mean(_ a: Int, _ b: Int) -> Double {
            let lo = max(0, min(a, np)), hi = max(0, min(b, np))
            guard hi >= lo else { return z[lo] }
            return z[lo...hi].reduce(0, +) / Double(hi - lo + 1)
        }
        let i3 = Int(3.0 / xiKm), i15 = Int(15.0 / xiKm)
        if dKm < 3 {
            hAvg = [z[0], z[np]]
        } else if dKm <= 15 {
            hAvg[0] = mean(i3, np) * (dKm - 3) / 12
            hAvg[1] = mean(0, np - i3) * (dKm - 3) / 12
        } else {
            hAvg[0] = mean(i3, i15)
            hAvg[1] = mean(np - i15, np - i3)
        }

        // Terrain quantiles and Δh within 10 km of the mobile (Okumura §2.4(1)(b)).
        let iEnd = dKm < 10 ? np : min(Int(10.0 / xiKm), np)
        let segment = Array(z[0...iEnd]).sorted(by: >) // descending: index k = value exceeded by k points
        let npts = segment.count
        func quantile(_ fraction: Double) -> Double {
            let k = Int(fraction * Double(npts) - 1) // C truncation toward zero, as the reference
            return segment[min(max(0, k), npts - 1)]
        }
        var q10 = quantile(0.1), q50 = quantile(0.5), q90 = quantile(0.9)
        var deltaH = q10 - q90
        if dKm < 10 {
            // TR-15-517: asymptotic Δh for paths shorter than 10 km, Δh(d) = Δh_∞ (1 − 0.8 e^(−0.02 d)).
            let factor = (1 - 0.8 * exp(-0.2)) / (1 - 0.8 * exp(-0.02 * dKm))
            q10 *= factor; q50 *= factor; q90 *= factor; deltaH *= factor
        }

        // Mean slope at the mobile: least-squares lines over the first 5, 6, …, 10 km (Okumura §4.3).
        var slopeMax = -1e31, slopeMin = 1e31, slopeFive = 0.0
        var x2 = 5000.0
        while dM >= x2 && x2 <= 10000 {
            let n = Int(x2 / xi)
            let (z0, zn) = leastSquaresEnds(z, count: n)
            let slope = -1000 * (zn - z0) / x2 // sign as Okumura: mrad, rising ground positive
            slopeMin = min(slopeMin, slope)
            slopeMax = max(slopeMax, slope)
            if x2 == 5000 { slopeFive = slope }
            x2 += 1000
        }
        let thetaM: Double
        if dM <= 5000 || slopeMax * slopeMin < 0 {
            thetaM = slopeFive
        } else {
            thetaM = slopeMax >= 0 ? slopeMax : slopeMin
        }

        // Sea fraction and which end is over sea (Okumura §4.4): points at exactly 0 m.
        let mid = np / 2
        var sea = 0, low = 0, high = 0
        for i in 0...np where z[i] == 0 {
            sea += 1
            if i + 1 <= mid { low += 1 } else { high += 1 }
        }
        let beta = Double(sea) / Double(np + 1)
        let seaEnd = low > high ? 1 : (high > low ? 0 : -1)

        // Horizons with the ITM effective curvature for the mean ground height.
        let hGnd = z.reduce(0, +) / Double(np + 1)
        let ns = 301 * exp(-hGnd / 9460) // N_s, N-units
        let gme = 157e-9 * (1 - 0.04665 * exp(ns / 179.3)) // γ_e, 1/m
        let hzn = horizons(z, stepM: xi, curvature: gme, h1: hm, h2: hb)
        let dDiff = dM - hzn[0] - hzn[1]
        let q = max(dDiff - 0.5 * xi, 0) - max(-dDiff - 0.5 * xi, 0)
        var single = false
        var hEdge = 0.0
        if q == 0 {
            single = true
            let iedge = Int(hzn[0] / xi)
            let za = hb + z[np], zb = hm + z[0]
            // Ridge height above the ray with Earth bulge; the reference weights the end heights by the
            // opposite horizon distances (za·d_hzn,m + zb·d_hzn,b)/d, reproduced as it is.
            hEdge = z[min(iedge, np)] - (za * hzn[1] + zb * hzn[0]) / dM + 0.5 * gme * hzn[0] * hzn[1]
            if hEdge < 0 { hEdge = 0 }
        }
        return TerrainAnalysis(
            averageGroundHeightM: hAvg, quantile10M: q10, quantile50M: q50, quantile90M: q90,
            deltaHM: deltaH, mobileSlopeMrad: thetaM, slopeMaxMrad: slopeMax, slopeMinMrad: slopeMin,
            seaFraction: beta, seaEnd: seaEnd, horizonDistanceM: hzn, singleHorizon: single,
            ridgeHeightM: hEdge, effectiveCurvaturePerM: gme)
    }

    /// End values (at index 0 and index `count`) of the least-squares line through z[0...count], with the two
    /// end points at half weight (the ITM / eHata profile fit).
    static func leastSquaresEnds(_ z: [Double], count n: Int) -> (Double, Double) {
        guard n > 0 else { return (z[0], z[0]) }
        let c = Double(n) / 2 // centre, in steps
        var a = 0.5 * (z[0] + z[n])
        var b = 0.5 * (z[0] * (0 - c) + z[n] * (Double(n) - c))
        if n >= 2 {
            for k in 1..<n {
                a += z[k]
                b += z[k] * (Double(k) - c)
            }
        }
        let xa = Double(n)
        a /= xa // mean height
        b *= 12 / ((xa * xa + 2) * xa) // slope per step
        return (a - b * c, a + b * (Double(n) - c))
    }

    /// Horizon distances from both ends (ITM horizon search with curvature γ_e): [from z[0], from z[last]], m.
    static func horizons(_ z: [Double], stepM xi: Double, curvature gme: Double, h1: Double, h2: Double) -> [Double] {
        let np = z.count - 1
        let d = Double(np) * xi
        let za = z[0] + h1, zb = z[np] + h2
        let qc = 0.5 * gme
        var q = qc * d
        var theta1 = (zb - za) / d
        var theta0 = theta1 - q
        theta1 = -theta1 - q
        var dh = [d, d]
        guard np >= 2 else { return dh }
        var sa = 0.0, sb = d
        var seen = false
        for i in 1..<np {
            sa += xi
            sb -= xi
            q = z[i] - (qc * sa + theta0) * sa - za
            if q > 0 {
                theta0 += q / sa
                dh[0] = sa
                seen = true
            }
            if seen {
                q = z[i] - (qc * sb + theta1) * sb - zb
                if q > 0 {
                    theta1 += q / sb
                    dh[1] = sb
                }
            }
        }
        return dh
    }
}

// Locating an unknown emitter from levels measured at several points (and optional direction-finder bearings).
//
// Model: the level at point i from an emitter in cell c at height h is P_i = E − L_i(c, h) + ε_i, with ε_i normal of
// variance v_i = σ² + s_i²(c): σ the model's log-normal shadowing, s_i² the variance of the loss over the cell (the
// emitter may be anywhere in it; `withinCellVariance`). E, the unknown EIRP, is solved in closed form per cell and
// height, Ê = Σ w_i (P_i + L_i) / Σ w_i with w_i = 1/v_i, and the cell scores
//   S(c, h) = Σ_i w_i (P_i + L_i − Ê)² + Σ_i ln v_i  +  Σ_j (Δ_j / σ_j)²,
// Δ_j the difference between bearing j and the bearing from its point to the cell, σ_j its standard deviation
// (the Gaussian limit of the von Mises density, wrapped to ±180°). S is −2 ln of the likelihood up to a constant;
// the height is profiled out: S(c) = min_h S(c, h).
//
// Confidence region: the cells with S(c) − S_min ≤ χ²₂(p) = −2 ln(1 − p) (5.99 at 95 %): the likelihood-ratio
// region of the two position parameters, EIRP and height being nuisance parameters profiled out (Wilks).
//
// Cramér–Rao bound for the same geometry: with a log-distance loss L = A + 10 n log10 d, ∂L_i/∂p = 10n/ln10 ·
// (p − x_i)/d_i², the EIRP unknown; the Fisher information of the position is J = Σ (g_i − ḡ)(g_i − ḡ)ᵀ / σ²
// (the EIRP's information projected out) plus Σ u_j u_jᵀ / (σ_j² d_j²) for bearings (u_j the unit normal to the
// bearing, angles in radians); the bound on the RMS position error is √trace(J⁻¹).
import Foundation
import Geo
import Radio
import Records

/// Path loss from every candidate cell (at each candidate height) to every measurement point.
public struct LossFields: Sendable {
    public let spec: GridSpec
    public let heightsM: [Double]
    /// Cell positions, WGS 84.
    public let cellLat: [Double], cellLon: [Double]
    /// losses[h][i][c], dB (NaN: no value).
    public let losses: [[[Float]]]
    public init(spec: GridSpec, heightsM: [Double], cellLat: [Double], cellLon: [Double], losses: [[[Float]]]) {
        self.spec = spec; self.heightsM = heightsM; self.cellLat = cellLat; self.cellLon = cellLon; self.losses = losses
    }
}

public struct LocatorSettings: Sendable {
    /// Shadowing standard deviation of the model, dB.
    public var sigmaDB = 6.0
    public var confidence = 0.95
    /// Bearing standard deviation when a bearing has none, degrees.
    public var defaultBearingSigmaDeg = 10.0
    public init() {}
    /// χ²₂ quantile of the confidence: the likelihood-ratio threshold of two parameters.
    public var threshold: Double { -2 * log(1 - confidence) }
}

public struct LocationEstimate: Sendable {
    public var latitude: Double, longitude: Double, heightM: Double
    public var eirpDBm: Double
    /// RMS of the level residuals at the estimate, dB (compare with the assumed σ).
    public var residualSigmaDB: Double
    /// Standard error of the EIRP, σ/√N, dB.
    public var eirpSigmaDB: Double
    public var cell: Int
    /// S(c) − S_min per cell (NaN where no value), and the region's mask.
    public var deltaS: [Float]
    public var inRegion: [Bool]
    public var regionCells: Int
    public var regionAreaKm2: Double
}

public enum Locator {
    public struct LocatorError: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    /// The likelihood over the grid, the best cell and the confidence region.
    public static func locate(_ m: [LevelMeasurement], fields: LossFields, settings: LocatorSettings = LocatorSettings()) throws -> LocationEstimate {
        guard m.count >= 3 else { throw LocatorError(message: "\(m.count) measurements: at least 3 are needed (the EIRP and two coordinates are unknown)") }
        let n = fields.cellLat.count
        let sigma2 = settings.sigmaDB * settings.sigmaDB
        var best = [Double](repeating: .infinity, count: n), bestH = [Int](repeating: 0, count: n), bestE = [Double](repeating: .nan, count: n)
        let bearing = bearingTerms(m, fields: fields, settings: settings)
        for (h, perPoint) in fields.losses.enumerated() {
            let cellVar = perPoint.map { withinCellVariance($0, width: fields.spec.width) }
            for c in 0..<n {
                // Weighted mean and residual sum with the variance σ² + the loss's variance over the cell.
                var sw = 0.0, swr = 0.0, swr2 = 0.0, logVar = 0.0, ok = true
                for i in 0..<m.count {
                    let l = Double(perPoint[i][c])
                    guard l.isFinite else { ok = false; break }
                    let variance = sigma2 + Double(cellVar[i][c])
                    let w = 1 / variance, r = m[i].levelDBm + l
                    sw += w; swr += w * r; swr2 += w * r * r; logVar += log(variance)
                }
                guard ok else { continue }
                let mean = swr / sw
                let s = max(0, swr2 - sw * mean * mean) + logVar + bearing[c]
                if s < best[c] { best[c] = s; bestH[c] = h; bestE[c] = mean }
            }
        }
        guard let cBest = best.indices.filter({ best[$0].isFinite }).min(by: { best[$0] < best[$1] }) else {
            throw LocatorError(message: "no candidate cell has a path loss to every measurement point (check the DEM covers the area)")
        }
        let sMin = best[cBest], t = settings.threshold
        let delta = best.map { $0.isFinite ? Float($0 - sMin) : .nan }
        let inRegion = best.map { $0.isFinite && $0 - sMin <= t }
        let count = inRegion.filter { $0 }.count
        let h = bestH[cBest]
        let residuals = m.indices.map { m[$0].levelDBm + Double(fields.losses[h][$0][cBest]) - bestE[cBest] }
        let rms = (residuals.map { $0 * $0 }.reduce(0, +) / Double(max(1, m.count - 1))).squareRoot()
        let cellKm2 = fields.spec.resolutionM * fields.spec.resolutionM / 1e6
        return LocationEstimate(
            latitude: fields.cellLat[cBest], longitude: fields.cellLon[cBest], heightM: fields.heightsM[h], eirpDBm: bestE[cBest],
            residualSigmaDB: rms, eirpSigmaDB: settings.sigmaDB / Double(m.count).squareRoot(), cell: cBest, deltaS: delta,
            inRegion: inRegion, regionCells: count, regionAreaKm2: Double(count) * cellKm2)
    }

    /// Variance of the loss over each cell (dB²), for an emitter anywhere in it: the steepest change to one of the 8
    /// neighbouring cell centres, squared, over 12 (the variance of a change varying linearly across the cell in that
    /// direction; at least the variance of a linear field, twice it at most, and it follows the shadow edges of
    /// terrain that a central difference smooths away).
    static func withinCellVariance(_ loss: [Float], width: Int) -> [Float] {
        let height = loss.count / max(1, width)
        var out = [Float](repeating: 0, count: loss.count)
        for r in 0..<height {
            for c in 0..<width {
                let k = r * width + c
                var steepest: Float = 0
                for dr in -1...1 {
                    for dc in -1...1 where dr != 0 || dc != 0 {
                        let rr = r + dr, cc = c + dc
                        guard rr >= 0, rr < height, cc >= 0, cc < width else { continue }
                        let d = loss[rr * width + cc] - loss[k]
                        if d.isFinite { steepest = max(steepest, d * d) }
                    }
                }
                out[k] = steepest / 12
            }
        }
        return out
    }

    /// Σ_j (Δ_j/σ_j)² per cell (0 without bearings).
    static func bearingTerms(_ m: [LevelMeasurement], fields: LossFields, settings: LocatorSettings) -> [Double] {
        var out = [Double](repeating: 0, count: fields.cellLat.count)
        for p in m {
            guard let b = p.bearingDeg else { continue }
            let s = p.bearingSigmaDeg ?? settings.defaultBearingSigmaDeg
            for c in out.indices {
                let d = Geodesy.angleDiffDeg(Geodesy.bearingDeg(p.latitude, p.longitude, fields.cellLat[c], fields.cellLon[c]), b) / s
                out[c] += d * d
            }
        }
        return out
    }

    /// The exponent n of a least-squares fit L = A + 10 n log10 d (at least 2, free space).
    public static func logDistanceExponent(distancesM: [Double], lossesDB: [Double]) -> Double {
        let x = distancesM.map { 10 * log10(max($0, 1)) }
        let mx = x.reduce(0, +) / Double(x.count), my = lossesDB.reduce(0, +) / Double(lossesDB.count)
        var sxy = 0.0, sxx = 0.0
        for (a, b) in zip(x, lossesDB) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx) }
        return sxx > 0 ? max(2, sxy / sxx) : 2
    }

    /// The Cramér–Rao bound on the RMS position error (m) of an emitter at (x, y) seen from points (x_i, y_i) in a local
    /// metric frame, with a log-distance exponent n, shadowing σ (dB), and bearings (radians σ) at some points.
    public static func cramerRaoBoundM(
        emitter: (x: Double, y: Double), points: [(x: Double, y: Double)], exponent: Double, sigmaDB: Double,
        bearingSigmaRad: [Double?] = []
    ) -> Double {
        let k = 10 * exponent / log(10.0)
        let g = points.map { p -> (Double, Double) in
            let dx = emitter.x - p.x, dy = emitter.y - p.y, d2 = max(dx * dx + dy * dy, 1)
            return (k * dx / d2, k * dy / d2)
        }
        let mx = g.map(\.0).reduce(0, +) / Double(g.count), my = g.map(\.1).reduce(0, +) / Double(g.count)
        var jxx = 0.0, jxy = 0.0, jyy = 0.0
        for (gx, gy) in g {
            jxx += (gx - mx) * (gx - mx); jxy += (gx - mx) * (gy - my); jyy += (gy - my) * (gy - my)
        }
        jxx /= sigmaDB * sigmaDB; jxy /= sigmaDB * sigmaDB; jyy /= sigmaDB * sigmaDB
        for (p, s) in zip(points, bearingSigmaRad) {
            guard let s else { continue }
            let dx = emitter.x - p.x, dy = emitter.y - p.y, d2 = max(dx * dx + dy * dy, 1)
            // Bearing gradient: the unit normal to the line of sight over the distance.
            let ux = dy / d2, uy = -dx / d2
            jxx += ux * ux / (s * s); jxy += ux * uy / (s * s); jyy += uy * uy / (s * s)
        }
        let det = jxx * jyy - jxy * jxy
        guard det > 0 else { return .infinity }
        return ((jxx + jyy) / det).squareRoot()
    }
}

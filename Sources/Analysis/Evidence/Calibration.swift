// Calibration of a model against measurements: least squares on the extra loss the model missed.
//
// For each compared point i (a bin of measurements with its prediction), the residual loss is
//   r_i = predicted_i − measured_i  (dB; positive: the model predicted more signal than was measured)
// and the fit is r_i ≈ offset + slope · log10(d_i / 1 km) + Σ_k c_k · [class_i = k],
// the slope and the class terms optional. The offset and the class terms cannot both be free (every point has one
// class: the columns would be collinear), so the class losses are relative to a reference class (by default the
// class with the most points in the fit), whose own correction is the offset; points without a class count with
// the reference class. Solved by the normal equations (Cholesky); standard errors from σ̂² (XᵀX)⁻¹ with
// σ̂² = RSS / (n − p). Neighbouring measurements are correlated (shadowing decorrelates over tens of metres), so
// these standard errors are too small when points lie closer than that; binning (40 λ) and the spatial hold-out
// make the check honest: the hold-out set is every `holdoutEvery`-th tile of `tileSizeM` (tile (ix, iy) with
// (ix + 2·iy) mod N = 0: spread over the area, no tile next to another held-out tile in its row), never a random
// share of points, whose neighbours would sit in the fit set.
import Foundation

/// A model correction applied as extra loss: offset_db + slope · log10(d / 1 km) + the class's correction.
public struct Calibration: Sendable, Codable, Equatable {
    /// The model it was fitted for (`hata`, `itm`, …): a study with another model refuses it.
    public var model: String
    /// Extra loss, dB: positive means more loss (the model was optimistic).
    public var offsetDB: Double
    /// Extra loss per decade of distance from 1 km, dB.
    public var slopeDBPerDecade: Double
    /// Extra loss per land-cover class code, dB (the reference class 0).
    public var clutterLossesDB: [String: Double]
    /// The calibration file (name) and its SHA-256, as the study records it.
    public var source: String?
    public var sha256: String?

    public init(
        model: String, offsetDB: Double, slopeDBPerDecade: Double = 0, clutterLossesDB: [String: Double] = [:], source: String? = nil,
        sha256: String? = nil
    ) {
        self.model = model; self.offsetDB = offsetDB; self.slopeDBPerDecade = slopeDBPerDecade
        self.clutterLossesDB = clutterLossesDB; self.source = source; self.sha256 = sha256
    }

    /// The correction at a distance and land-cover class, dB.
    public func lossDB(distanceKm: Double, classCode: Int?) -> Double {
        var l = offsetDB
        if slopeDBPerDecade != 0 { l += slopeDBPerDecade * log10(max(distanceKm, 0.001)) }
        if let k = classCode, let c = clutterLossesDB[String(k)] { l += c }
        return l
    }
}

/// One compared point for the fit.
public struct CalibrationPoint: Sendable {
    public var measured: Double
    public var predicted: Double
    public var distanceKm: Double
    public var classCode: Int?
    public var latitude: Double
    public var longitude: Double
    public init(measured: Double, predicted: Double, distanceKm: Double, classCode: Int?, latitude: Double, longitude: Double) {
        self.measured = measured; self.predicted = predicted; self.distanceKm = distanceKm; self.classCode = classCode
        self.latitude = latitude; self.longitude = longitude
    }
}

public struct CalibrationOptions: Sendable {
    public var fitSlope = false
    public var fitClutter = false
    /// The class whose correction is 0 (nil: the class with the most points in the fit set).
    public var referenceClass: Int? = nil
    public var tileSizeM = 1000.0
    /// Every N-th tile is held out (0: none held out).
    public var holdoutEvery = 5
    public init() {}
}

public struct FittedParameter: Sendable {
    public let name: String
    public let valueDB: Double
    public let standardErrorDB: Double
}

public struct CalibrationResult: Sendable {
    public let calibration: Calibration
    public let parameters: [FittedParameter]
    public let referenceClass: Int?
    /// Errors (measured − predicted) on the fit set and the held-out set, before and after the correction.
    public let fitBefore: ErrorStatistics, fitAfter: ErrorStatistics
    public let holdoutBefore: ErrorStatistics, holdoutAfter: ErrorStatistics
    public let tiles: Int, heldOutTiles: Int
    /// Held-out points whose class had no point in the fit set (corrected by the offset and slope only).
    public let holdoutUnfittedClassPoints: Int
}

public struct CalibrationError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

public enum CalibrationFit {
    public static func fit(_ points: [CalibrationPoint], model: String, options: CalibrationOptions) throws -> CalibrationResult {
        guard !points.isEmpty else { throw CalibrationError("no compared measurements to fit") }
        let held = holdoutFlags(points, tileSizeM: options.tileSizeM, every: options.holdoutEvery)
        let fitIdx = points.indices.filter { !held.flags[$0] }, outIdx = points.indices.filter { held.flags[$0] }
        // Columns: offset, slope, then one per non-reference class.
        var classes: [Int] = [], reference: Int? = nil
        if options.fitClutter {
            var counts: [Int: Int] = [:]
            for i in fitIdx { if let k = points[i].classCode { counts[k, default: 0] += 1 } }
            guard !counts.isEmpty else { throw CalibrationError("no measurement in the fit set has a land-cover class: give --clutter-raster") }
            if let r = options.referenceClass {
                guard counts[r] != nil else {
                    throw CalibrationError(
                        "reference class \(r) has no measurement in the fit set (classes there: \(counts.keys.sorted().map(String.init).joined(separator: ", ")))"
                    )
                }
                reference = r
            } else {
                reference = counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }!.key
            }
            classes = counts.keys.filter { $0 != reference }.sorted()
        }
        let classColumn = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let p = 1 + (options.fitSlope ? 1 : 0) + classes.count
        guard fitIdx.count > p else { throw CalibrationError("\(fitIdx.count) compared points in the fit set for \(p) parameters: too few") }
        func row(_ pt: CalibrationPoint) -> (indices: [Int], values: [Double]) {
            var idx = [0], val = [1.0]
            if options.fitSlope { idx.append(1); val.append(log10(max(pt.distanceKm, 0.001))) }
            if let k = pt.classCode, let c = classColumn[k] { idx.append(1 + (options.fitSlope ? 1 : 0) + c); val.append(1) }
            return (idx, val)
        }
        var xtx = [Double](repeating: 0, count: p * p), xtr = [Double](repeating: 0, count: p)
        for i in fitIdx {
            let pt = points[i], (idx, val) = row(pt), r = pt.predicted - pt.measured
            for a in idx.indices {
                xtr[idx[a]] += val[a] * r
                for b in idx.indices { xtx[idx[a] * p + idx[b]] += val[a] * val[b] }
            }
        }
        let inverse = try invertSymmetric(xtx, p)
        var beta = [Double](repeating: 0, count: p)
        for a in 0..<p { for b in 0..<p { beta[a] += inverse[a * p + b] * xtr[b] } }
        var rss = 0.0
        for i in fitIdx {
            let pt = points[i], (idx, val) = row(pt)
            var f = 0.0
            for a in idx.indices { f += beta[idx[a]] * val[a] }
            rss += (pt.predicted - pt.measured - f) * (pt.predicted - pt.measured - f)
        }
        let sigma2 = rss / Double(fitIdx.count - p)
        func se(_ a: Int) -> Double { (sigma2 * inverse[a * p + a]).squareRoot() }
        var parameters = [FittedParameter(name: "offset_db", valueDB: beta[0], standardErrorDB: se(0))]
        if options.fitSlope { parameters.append(FittedParameter(name: "slope_db_per_decade", valueDB: beta[1], standardErrorDB: se(1))) }
        var losses: [String: Double] = [:]
        if let reference { losses[String(reference)] = 0 }
        for (c, k) in classes.enumerated() {
            let a = 1 + (options.fitSlope ? 1 : 0) + c
            losses[String(k)] = beta[a]
            parameters.append(FittedParameter(name: "clutter_\(k)_db", valueDB: beta[a], standardErrorDB: se(a)))
        }
        let calibration = Calibration(
            model: model, offsetDB: beta[0], slopeDBPerDecade: options.fitSlope ? beta[1] : 0, clutterLossesDB: losses)
        func stats(_ idx: [Int], corrected: Bool) -> ErrorStatistics {
            ErrorStatistics(
                measured: idx.map { points[$0].measured },
                predicted: idx.map { i in
                    let pt = points[i]
                    return corrected ? pt.predicted - calibration.lossDB(distanceKm: pt.distanceKm, classCode: pt.classCode) : pt.predicted
                })
        }
        let fitted = Set(classes + (reference.map { [$0] } ?? []))
        let unfitted = options.fitClutter ? outIdx.filter { points[$0].classCode.map { !fitted.contains($0) } ?? false }.count : 0
        return CalibrationResult(
            calibration: calibration, parameters: parameters, referenceClass: reference,
            fitBefore: stats(fitIdx, corrected: false), fitAfter: stats(fitIdx, corrected: true),
            holdoutBefore: stats(outIdx, corrected: false), holdoutAfter: stats(outIdx, corrected: true),
            tiles: held.tiles, heldOutTiles: held.heldOut, holdoutUnfittedClassPoints: unfitted)
    }

    /// Which points lie in a held-out tile: tiles of `tileSizeM` on a local equirectangular grid (metres from the
    /// points' mean latitude), tile (ix, iy) held out when (ix + 2·iy) mod `every` = 0.
    public static func holdoutFlags(_ points: [CalibrationPoint], tileSizeM: Double, every: Int) -> (flags: [Bool], tiles: Int, heldOut: Int) {
        guard every > 0, !points.isEmpty else { return (Array(repeating: false, count: points.count), 0, 0) }
        let grid = LocalGrid(latitudes: points.map(\.latitude))
        var tiles = Set<[Int]>(), heldTiles = Set<[Int]>()
        let flags = points.map { pt -> Bool in
            let (x, y) = grid.metres(latitude: pt.latitude, longitude: pt.longitude)
            let ix = Int(floor(x / tileSizeM)), iy = Int(floor(y / tileSizeM))
            tiles.insert([ix, iy])
            let m = ((ix + 2 * iy) % every + every) % every
            if m == 0 { heldTiles.insert([ix, iy]) }
            return m == 0
        }
        return (flags, tiles.count, heldTiles.count)
    }

    /// Inverse of a symmetric positive-definite matrix (Cholesky); a singular one is an error naming the cause.
    static func invertSymmetric(_ a: [Double], _ n: Int) throws -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard s > 1e-9 * max(1, a[i * n + i]) else {
                        throw CalibrationError(
                            "the fit is singular (parameter \(i + 1) of \(n) is not determined by the data: e.g. all measurements at one distance for the slope)"
                        )
                    }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        var inv = [Double](repeating: 0, count: n * n)
        for col in 0..<n {
            var y = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var s = i == col ? 1.0 : 0.0
                for k in 0..<i { s -= l[i * n + k] * y[k] }
                y[i] = s / l[i * n + i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {
                var s = y[i]
                for k in (i + 1)..<n { s -= l[k * n + i] * inv[k * n + col] }
                inv[i * n + col] = s / l[i * n + i]
            }
        }
        return inv
    }
}

/// Metres east and north on a local equirectangular grid (spherical Earth, R = 6371 km, scaled at the mean
/// latitude): within 0.1 % over a province, enough for bins and tiles.
public struct LocalGrid: Sendable {
    let cosLat: Double
    static let radiusM = 6_371_000.0
    public init(latitudes: [Double]) {
        let mean = latitudes.isEmpty ? 0 : latitudes.reduce(0, +) / Double(latitudes.count)
        cosLat = cos(mean * .pi / 180)
    }
    public func metres(latitude: Double, longitude: Double) -> (x: Double, y: Double) {
        (Self.radiusM * cosLat * longitude * .pi / 180, Self.radiusM * latitude * .pi / 180)
    }
}

/// Count, mean, standard deviation, RMSE of the error (measured − predicted) and the correlation of measured with
/// predicted.
public struct ErrorStatistics: Sendable, Equatable {
    public let count: Int
    public let meanDB: Double?
    /// Sample standard deviation (n − 1).
    public let sigmaDB: Double?
    public let rmseDB: Double?
    /// Pearson correlation of measured with predicted (nil below 2 points or without variance).
    public let correlation: Double?

    public init(measured: [Double], predicted: [Double]) {
        let n = min(measured.count, predicted.count)
        count = n
        guard n > 0 else { meanDB = nil; sigmaDB = nil; rmseDB = nil; correlation = nil; return }
        var sum = 0.0, sq = 0.0
        for i in 0..<n { let e = measured[i] - predicted[i]; sum += e; sq += e * e }
        let mean = sum / Double(n)
        meanDB = mean
        rmseDB = (sq / Double(n)).squareRoot()
        var v = 0.0
        for i in 0..<n { let e = measured[i] - predicted[i] - mean; v += e * e }
        sigmaDB = n > 1 ? (v / Double(n - 1)).squareRoot() : nil
        let mm = measured.prefix(n).reduce(0, +) / Double(n), mp = predicted.prefix(n).reduce(0, +) / Double(n)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<n {
            let a = measured[i] - mm, b = predicted[i] - mp
            sxy += a * b; sxx += a * a; syy += b * b
        }
        correlation = n > 1 && sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : nil
    }
}

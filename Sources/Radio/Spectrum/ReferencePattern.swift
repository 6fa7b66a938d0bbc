// Reference radiation pattern of fixed-link antennas, ITU-R F.699-8 §2.1 (peak side-lobe pattern), used to
// take off-axis discrimination into account when the antenna's gain and pointing are known.
//
// D/λ is estimated from the maximum gain (F.699 Note 1): 20 log10(D/λ) ≈ G_max − 7.7 dB. For D/λ > 100:
//   G(φ) = G_max − 2.5·10⁻³ (D/λ · φ)²   for 0 ≤ φ < φ_m
//   G(φ) = G_1 = 2 + 15 log10(D/λ)          for φ_m ≤ φ < φ_r
//   G(φ) = 32 − 25 log10 φ                  for φ_r ≤ φ < 48°
//   G(φ) = −10 dBi                          for 48° ≤ φ ≤ 180°
// with φ_m = (20 λ/D) √(G_max − G_1), φ_r = 15.85 (D/λ)^−0.6. For D/λ ≤ 100:
//   G(φ) = G_max − 2.5·10⁻³ (D/λ · φ)²   for 0 ≤ φ < φ_m
//   G(φ) = G_1                              for φ_m ≤ φ < 100 λ/D
//   G(φ) = 52 − 10 log10(D/λ) − 25 log10 φ  for 100 λ/D ≤ φ < 48°
//   G(φ) = 10 − 10 log10(D/λ)               for 48° ≤ φ ≤ 180°
import Foundation

public enum ReferencePattern {
    /// Gain in dBi at `offAxisDeg` (0–180°) from boresight of an antenna with maximum gain `maxGainDBi`.
    public static func f699GainDBi(maxGainDBi gmax: Double, offAxisDeg: Double) -> Double {
        var phi = abs(offAxisDeg).truncatingRemainder(dividingBy: 360)
        if phi > 180 { phi = 360 - phi }
        let dl = pow(10, (gmax - 7.7) / 20) // D/λ
        let g1 = 2 + 15 * log10(dl)
        let phiM = 20 / dl * max(0, gmax - g1).squareRoot()
        let main = gmax - 2.5e-3 * (dl * phi) * (dl * phi)
        if dl > 100 {
            let phiR = 15.85 * pow(dl, -0.6)
            if phi < phiM { return main }
            if phi < phiR { return g1 }
            if phi < 48 { return 32 - 25 * log10(phi) }
            return -10
        }
        if phi < phiM { return main }
        if phi < 100 / dl { return g1 }
        if phi < 48 { return 52 - 10 * log10(dl) - 25 * log10(phi) }
        return 10 - 10 * log10(dl)
    }

    /// Discrimination (dB ≤ 0) relative to the maximum gain.
    public static func f699RelativeDB(maxGainDBi: Double, offAxisDeg: Double) -> Double {
        min(0, f699GainDBi(maxGainDBi: maxGainDBi, offAxisDeg: offAxisDeg) - maxGainDBi)
    }
}

/// `ReferencePattern.f699RelativeDB` of one maximum gain bounded from above in bins of sin(φ/2), for screening many
/// directions cheaply: the angle between two unit vectors comes as a cosine c, and sin(φ/2) = √((1 − c)/2) needs
/// no trigonometry. Each bin holds the pattern's largest value over its angles: the pattern falls with φ except
/// for its step up to the far side-lobe level at 48°, so the largest value is at the bin's smallest angle, or at 48°
/// when the bin spans it.
public struct F699DiscriminationBound: Sendable {
    public let maxGainDBi: Double
    /// The bins' values, dB (`binCount` of them, by sin(φ/2)).
    public let bins: [Double]
    public static let binCount = 4096

    public init(maxGainDBi g: Double) {
        maxGainDBi = g
        let n = Self.binCount
        bins = (0..<n).map { j in
            let a = 2 * asin(Double(j) / Double(n)) * 180 / .pi, b = 2 * asin(Double(j + 1) / Double(n)) * 180 / .pi
            var v = ReferencePattern.f699RelativeDB(maxGainDBi: g, offAxisDeg: a)
            if a <= 48 && b >= 48 { v = max(v, ReferencePattern.f699RelativeDB(maxGainDBi: g, offAxisDeg: 48)) }
            return v + 1e-9
        }
    }

    /// At least the discrimination (dB ≤ 0) at the off-axis angle whose cosine is `cosOffAxis`; the bin is chosen
    /// one rounding on the safe side (a smaller angle).
    @inline(__always)
    public func upperBoundDB(cosOffAxis c: Double) -> Double { bins[Self.bin(cosOffAxis: c)] }

    /// The bin of `upperBoundDB` for the off-axis angle whose cosine is `c` (inlinable: the pair screening asks it
    /// for tens of millions of pairs).
    @inlinable @inline(__always)
    public static func bin(cosOffAxis c: Double) -> Int {
        let s = (max(0, (1 - c) / 2)).squareRoot()
        return min(binCount - 1, Int(max(0, s - 1e-6) * Double(binCount)))
    }
}

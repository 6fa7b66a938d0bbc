// dB arithmetic and unit conversions.
import Foundation

public enum DB {
    /// Power sum of levels in dB(m): 10·log10(Σ 10^(x/10)).
    public static func powerSum(_ levels: [Double]) -> Double {
        guard let m = levels.max(), m.isFinite else { return -.infinity }
        return m + 10 * log10(levels.reduce(0) { $0 + pow(10, ($1 - m) / 10) })
    }

    @inlinable public static func toLinear(_ dB: Double) -> Double { pow(10, dB / 10) }
    @inlinable public static func fromLinear(_ x: Double) -> Double { 10 * log10(x) }

    /// Field strength (dBµV/m) from received power (dBm) at an isotropic antenna: ITU-R P.525 / P.1546 §… :
    /// E = P + 20·log10 f(MHz) + 77.2 (isotropic receiving antenna, 50 Ω free-space relation).
    @inlinable public static func fieldStrengthDBuVm(powerDBm: Double, frequencyMHz: Double) -> Double {
        powerDBm + 20 * log10(frequencyMHz) + 77.2
    }

    @inlinable public static func powerDBm(fieldStrengthDBuVm e: Double, frequencyMHz: Double) -> Double {
        e - 20 * log10(frequencyMHz) - 77.2
    }
}

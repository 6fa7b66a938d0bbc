// Free-space basic transmission loss.
// ITU-R P.525-4 §2.2, Eq. (8): L_bf = 32.4 + 20 log10 f(MHz) + 20 log10 d(km).
import Foundation

public enum FreeSpace {
    /// Free-space basic transmission loss, dB, for a distance in km and a frequency in MHz.
    /// The constant is 20·log10(4π·10⁹/c) with c = 299 792 458 m/s (32.45 dB), not the rounded 32.4.
    @inlinable
    public static func lossDB(distanceKm: Double, frequencyMHz: Double) -> Double {
        32.44778322 + 20 * log10(frequencyMHz) + 20 * log10(distanceKm)
    }

    /// Checked version: throws for non-positive distance or frequency.
    public static func checkedLossDB(distanceKm: Double, frequencyMHz: Double) throws -> Double {
        try ModelInputError.check("fspl", "distance_km", distanceKm, 1e-9, 1e9, unit: "km")
        try ModelInputError.check("fspl", "frequency_mhz", frequencyMHz, 1e-6, 1e9, unit: "MHz")
        return lossDB(distanceKm: distanceKm, frequencyMHz: frequencyMHz)
    }
}

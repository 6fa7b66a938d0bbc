// Input checks that ITU-R P.452-18 and ITU-R P.1812-8 make alike, in the same order and the same words. Each model
// keeps its own validity ranges where its Recommendation differs (frequency, time, heights, N0, longitude span).
import Foundation

extension ClearAirChain {
    /// Terminal coordinates in degrees: latitudes in [−90, 90], longitudes in `longitudeRangeDeg` (P.1812 accepts
    /// [−360, 360], P.452 [−180, 360]).
    @inline(__always)
    static func checkTerminalCoordinates(
        model m: String, txLatitudeDeg: Double, txLongitudeDeg: Double,
        rxLatitudeDeg: Double, rxLongitudeDeg: Double,
        longitudeRangeDeg lon: ClosedRange<Double>
    ) throws {
        try ModelInputError.check(m, "tx_latitude_deg", txLatitudeDeg, -90, 90, unit: "°")
        try ModelInputError.check(m, "rx_latitude_deg", rxLatitudeDeg, -90, 90, unit: "°")
        try ModelInputError.check(m, "tx_longitude_deg", txLongitudeDeg, lon.lowerBound, lon.upperBound, unit: "°")
        try ModelInputError.check(m, "rx_longitude_deg", rxLongitudeDeg, lon.lowerBound, lon.upperBound, unit: "°")
    }

    /// ΔN in [0, 157) N-units/km: k50 = 157 / (157 − ΔN) (P.1812 Eq. (6), P.452 Eq. (5)) must stay finite and ≥ 1.
    @inline(__always)
    static func checkDeltaN(model m: String, _ deltaN: Double) throws {
        guard deltaN.isFinite, deltaN >= 0, deltaN < 157 else {
            throw ModelInputError(model: m, parameter: "delta_n", value: deltaN, validRange: "[0, 157) N-units/km")
        }
    }

    /// Coast distances d_ct, d_cr in [0, 1e5] km when given (nil: the model's default).
    @inline(__always)
    static func checkCoastDistances(model m: String, txKm: Double?, rxKm: Double?) throws {
        if let v = txKm { try ModelInputError.check(m, "tx_coast_distance_km", v, 0, 1e5, unit: "km") }
        if let v = rxKm { try ModelInputError.check(m, "rx_coast_distance_km", v, 0, 1e5, unit: "km") }
    }
}

// Radio-meteorological parameters shared by ITU-R P.452-18 §3 and ITU-R P.1812-8 §3.5–§3.7: the time percentage β0
// for which refractive-index lapse rates exceed 100 N-units/km, the effective Earth radii a_e and a_β, and the
// path-centre point of ITU-R P.2001-5 Attachment H at which both read β0's latitude (and the maps' ΔN, N0).
import Foundation

extension ClearAirChain {
    /// Mean Earth radius, km (P.452 Eq. (6a), P.1812 Eq. (7a); P.2001 Attachment H).
    static let meanEarthRadiusKm = P526.earthRadiusKm

    /// τ = 1 − exp(−4.12e-4 d_lm^2.41), for the longest continuous inland section d_lm (km):
    /// P.1812 Eq. (3), P.452 Eq. (3a). Used by β0 and by the ducting exponent α (Eq. (55a) of both).
    @inline(__always)
    static func tau(longestInlandKm dlm: Double) -> Double {
        1 - exp(-4.12e-4 * pow(dlm, 2.41))
    }

    /// β0, % of time for which refractive-index lapse rates exceeding 100 N-units/km can be expected in the first
    /// 100 m of the lower atmosphere: P.1812 §3.6 Eqs. (2)–(5), P.452 Eqs. (2)–(4), for the path-centre latitude φ
    /// (degrees), d_tm and d_lm (km).
    static func beta0Percent(
        pathCentreLatitudeDeg phi: Double, longestLandKm dtm: Double,
        longestInlandKm dlm: Double
    ) -> Double {
        let tau = tau(longestInlandKm: dlm) // P.1812 Eq. (3), P.452 Eq. (3a), τ
        // P.1812 Eq. (2), P.452 Eq. (3): μ1 = [10^(−d_tm / (16 − 6.6 τ)) + 10^(−5 (0.496 + 0.354 τ))]^0.2, μ1 ≤ 1
        let mu1 = min(pow(pow(10, -dtm / (16 - 6.6 * tau)) + pow(10, -5 * (0.496 + 0.354 * tau)), 0.2), 1)
        let aphi = abs(phi)
        if aphi <= 70 {
            let mu4 = pow(10, (-0.935 + 0.0176 * aphi) * log10(mu1)) // P.1812 Eq. (4), P.452 Eq. (4), |φ| ≤ 70°
            return pow(10, -0.015 * aphi + 1.67) * mu1 * mu4 // P.1812 Eq. (5), P.452 Eq. (2), %
        }
        let mu4 = pow(10, 0.3 * log10(mu1)) // P.1812 Eq. (4), P.452 Eq. (4), |φ| > 70°
        return 4.17 * mu1 * mu4 // P.1812 Eq. (5), P.452 Eq. (2), %
    }

    /// Median effective Earth radius a_e, km, for the average lapse rate ΔN (N-units/km, < 157):
    /// k50 = 157 / (157 − ΔN) (P.1812 Eq. (6), P.452 Eq. (5)), a_e = 6371 k50 (P.1812 Eq. (7a), P.452 Eq. (6a)).
    @inline(__always)
    static func medianEarthRadiusKm(deltaN: Double) -> Double {
        meanEarthRadiusKm * 157 / (157 - deltaN)
    }

    /// Effective Earth radius exceeded for β0 % of time, a_β = 6371 k_β with k_β = 3, km
    /// (P.1812 Eq. (7b), P.452 Eq. (6b)).
    static let beta0EarthRadiusKm = meanEarthRadiusKm * 3

    /// Point at `distanceKm` along the great circle from (lat1, lon1) towards (lat2, lon2) on a sphere of radius
    /// 6371 km, and the great-circle length: ITU-R P.2001-5 Attachment H §H.2–H.3 (Eqs. H.2.1–H.3.5). P.1812 §3.5
    /// and P.452 §3 take the path centre there, at d_pnt = d/2 of the profile length.
    static func greatCirclePoint(
        lat1Deg: Double, lon1Deg: Double, lat2Deg: Double, lon2Deg: Double,
        distanceKm: Double
    ) -> (latDeg: Double, lonDeg: Double, lengthKm: Double) {
        let g = greatCircleStart(
            lat1Deg: lat1Deg, lon1Deg: lon1Deg, lat2Deg: lat2Deg, lon2Deg: lon2Deg,
            distanceKm: distanceKm)
        let rad = Double.pi / 180
        let lengthKm = acos(max(-1, min(1, g.r))) * meanEarthRadiusKm // H.2.3–H.2.4
        let latDeg = asin(max(-1, min(1, g.s))) / rad // H.3.3
        let x2 = cos(g.phipnt) - g.s * sin(g.phit) // H.3.4a
        let y2 = cos(g.phit) * sin(g.phipnt) * sin(g.bearing) // H.3.4b
        let lonDeg = lon1Deg + ((abs(x2) < 1e-9 && abs(y2) < 1e-9) ? 0 : atan2(y2, x2) / rad) // H.3.5
        return (latDeg, lonDeg, lengthKm)
    }

    /// Latitude alone of the same point (H.3.3), for P.452, which needs no more.
    static func greatCircleLatitudeDeg(
        lat1Deg: Double, lon1Deg: Double, lat2Deg: Double, lon2Deg: Double,
        distanceKm: Double
    ) -> Double {
        let g = greatCircleStart(
            lat1Deg: lat1Deg, lon1Deg: lon1Deg, lat2Deg: lat2Deg, lon2Deg: lon2Deg,
            distanceKm: distanceKm)
        return asin(max(-1, min(1, g.s))) / (Double.pi / 180) // H.3.3
    }

    /// H.2.1, H.2.2, H.2.5–H.2.6 (bearing B_t2r), H.3.1 and H.3.2 (sine of the point's latitude).
    @inline(__always)
    private static func greatCircleStart(
        lat1Deg: Double, lon1Deg: Double, lat2Deg: Double, lon2Deg: Double,
        distanceKm: Double
    )
        -> (phit: Double, r: Double, bearing: Double, phipnt: Double, s: Double)
    {
        let rad = Double.pi / 180
        let phit = lat1Deg * rad, phir = lat2Deg * rad
        let dlon = (lon2Deg - lon1Deg) * rad // H.2.1
        let r = sin(phit) * sin(phir) + cos(phit) * cos(phir) * cos(dlon) // H.2.2
        let x1 = sin(phir) - r * sin(phit) // H.2.5a
        let y1 = cos(phit) * cos(phir) * sin(dlon) // H.2.5b
        let bearing = (abs(x1) < 1e-9 && abs(y1) < 1e-9) ? 0 : atan2(y1, x1) // H.2.6, B_t2r
        let phipnt = distanceKm / meanEarthRadiusKm // H.3.1
        let s = sin(phit) * cos(phipnt) + cos(phit) * sin(phipnt) * cos(bearing) // H.3.2
        return (phit, r, bearing, phipnt, s)
    }
}

// ITU-R P.1812-8 (09/2025) Annex 1 §3.3–3.7: radio-climatic zones along the path (d_tm, d_lm, ω), the path
// centre (P.2001 Attachment H great-circle construction, as P.1812 §3.5 prescribes for the path-centre
// location), β0 (§3.6) and the effective Earth radii (§3.7); Attachment 2: the inverse complementary cumulative
// normal distribution with P.1812's clamping (the approximation is `P1057`'s).
// Left out: the digital maps (ΔN, N0) and the map-based coast distances; see P1812.swift.
import Foundation

extension P1812 {
    /// Longest continuous section of the path whose points satisfy `inSection`, km (§3.6, d_tm and d_lm).
    /// A run of points stands for the path from half-way to the previous point to half-way to the next point,
    /// except at the path ends, as the SG3 reference implementation does; `sum` gives the total instead (ω).
    static func sectionLengthKm(_ d: UnsafeBufferPointer<Double>, _ zones: [Zone], sum: Bool,
                                _ inSection: (Zone) -> Bool) -> Double {
        let n = d.count
        var best = 0.0, total = 0.0
        var i = 0
        while i < n {
            guard inSection(zones[i]) else { i += 1; continue }
            let start = i
            while i + 1 < n && inSection(zones[i + 1]) { i += 1 }
            let stop = i
            var delta = 0.0
            if stop < n - 1 { delta += (d[stop + 1] - d[stop]) / 2 }
            if start > 0 { delta += (d[start] - d[start - 1]) / 2 }
            let length = d[stop] - d[start] + delta
            best = max(best, length)
            total += length
            i += 1
        }
        return sum ? total : best
    }

    /// Point at `distanceKm` along the great circle from (lat1, lon1) towards (lat2, lon2) on a sphere of
    /// radius 6371 km, and the great-circle length: ITU-R P.2001-5 Attachment H §H.2–H.3 (Eqs. H.2.1–H.3.5).
    static func greatCirclePoint(lat1Deg: Double, lon1Deg: Double, lat2Deg: Double, lon2Deg: Double,
                                 distanceKm: Double) -> (latDeg: Double, lonDeg: Double, lengthKm: Double) {
        let re = 6371.0, rad = Double.pi / 180
        let phit = lat1Deg * rad, phir = lat2Deg * rad
        let dlon = (lon2Deg - lon1Deg) * rad                                        // H.2.1
        let r = sin(phit) * sin(phir) + cos(phit) * cos(phir) * cos(dlon)           // H.2.2
        let lengthKm = acos(max(-1, min(1, r))) * re                                // H.2.3–H.2.4
        let x1 = sin(phir) - r * sin(phit)                                          // H.2.5a
        let y1 = cos(phit) * cos(phir) * sin(dlon)                                  // H.2.5b
        let bearing = (abs(x1) < 1e-9 && abs(y1) < 1e-9) ? 0 : atan2(y1, x1)        // H.2.6, Bt2r
        let phipnt = distanceKm / re                                                // H.3.1
        let s = sin(phit) * cos(phipnt) + cos(phit) * sin(phipnt) * cos(bearing)    // H.3.2
        let latDeg = asin(max(-1, min(1, s))) / rad                                 // H.3.3
        let x2 = cos(phipnt) - s * sin(phit)                                        // H.3.4a
        let y2 = cos(phit) * sin(phipnt) * sin(bearing)                             // H.3.4b
        let lonDeg = lon1Deg + ((abs(x2) < 1e-9 && abs(y2) < 1e-9) ? 0 : atan2(y2, x2) / rad)   // H.3.5
        return (latDeg, lonDeg, lengthKm)
    }

    /// β0, % of time for which refractive-index lapse rates exceeding 100 N-units/km can be expected in the
    /// first 100 m of the lower atmosphere (§3.6, Eqs. (2)–(5)).
    static func beta0Percent(pathCentreLatitudeDeg phi: Double, landKm dtm: Double, inlandKm dlm: Double) -> Double {
        let tau = 1 - exp(-(4.12e-4 * pow(dlm, 2.41)))                              // Eq. (3), τ
        var mu1 = pow(pow(10, -dtm / (16 - 6.6 * tau)) + pow(10, -5 * (0.496 + 0.354 * tau)), 0.2)   // Eq. (2), μ1
        mu1 = min(mu1, 1)
        let aphi = abs(phi)
        if aphi <= 70 {
            let mu4 = pow(mu1, -0.935 + 0.0176 * aphi)                              // Eq. (4), μ4
            return pow(10, -0.015 * aphi + 1.67) * mu1 * mu4                        // Eq. (5), β0, %
        } else {
            let mu4 = pow(mu1, 0.3)                                                 // Eq. (4), μ4
            return 4.17 * mu1 * mu4                                                 // Eq. (5), β0, %
        }
    }

    /// Median effective Earth radius a_e, km: k50 = 157 / (157 − ΔN) (Eq. (6)), a_e = 6371 k50 (Eq. (7a)).
    static func medianEarthRadiusKm(deltaN: Double) -> Double { 6371 * 157 / (157 - deltaN) }

    /// Effective Earth radius exceeded for β0 % of time, a_β = 6371 k_β with k_β = 3 (Eq. (7b)), km.
    static let beta0EarthRadiusKm = 6371.0 * 3

    /// I(x), the inverse complementary cumulative normal function of Attachment 2 (Eqs. (96)–(97)), valid for
    /// 1e-6 ≤ x ≤ 0.999999 (x is held to that range, as the Attachment's approximation requires). The
    /// approximation itself lives in `P1057` (Common/P1057.swift), shared with P.452 and P.2108.
    static func inverseComplementaryNormal(_ x0: Double) -> Double {
        P1057.inverseComplementaryNormalApproximation(min(max(x0, 0.000001), 0.999999))   // Eqs. (96a, b), (97)
    }
}

// ITU-R P.1812-8 (09/2025) Annex 1 §3.3–3.6: radio-climatic zones along the path (d_tm, d_lm, ω) with P.1812's zone
// codes; Attachment 2: the inverse complementary cumulative normal distribution with P.1812's clamping (the
// approximation is `P1057`'s). The path centre (P.2001 Attachment H), β0 (§3.6) and the effective Earth radii (§3.7),
// which P.452 shares, are in Common/ClearAirChain/RadioMeteorology.swift.
// Left out: the digital maps (ΔN, N0) and the map-based coast distances; see P1812.swift.
import Foundation

extension P1812 {
    /// Longest continuous section of the path whose points satisfy `inSection`, km (§3.6, d_tm and d_lm).
    /// A run of points stands for the path from half-way to the previous point to half-way to the next point,
    /// except at the path ends, as the SG3 reference implementation does; `sum` gives the total instead (ω).
    static func sectionLengthKm(
        _ d: UnsafeBufferPointer<Double>, _ zones: [Zone], sum: Bool,
        _ inSection: (Zone) -> Bool
    ) -> Double {
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

    /// I(x), the inverse complementary cumulative normal function of Attachment 2 (Eqs. (96)–(97)), valid for
    /// 1e-6 ≤ x ≤ 0.999999 (x is held to that range, as the Attachment's approximation requires). The
    /// approximation itself lives in `P1057` (Common/P1057.swift), shared with P.452 and P.2108.
    static func inverseComplementaryNormal(_ x0: Double) -> Double {
        P1057.inverseComplementaryNormalApproximation(min(max(x0, 0.000001), 0.999999)) // Eqs. (96a, b), (97)
    }
}

// The smooth-Earth surfaces of the path-profile analysis that ITU-R P.1812-8 Attachment 1 §5.6 and ITU-R P.452-18
// Attachment 2 §5.1.6 share: the least-squares surface and the heights and roughness for the ducting/layer-reflection
// model. (The surface for the diffraction model, h_std and h_srd, stays with each model: the two write the
// obstruction H_i in different arithmetic.)
import Foundation

extension ClearAirChain {
    /// Least-squares straight-line surface through the terrain h_i (m amsl) at distances d_i (km, d_0 = 0), as its
    /// heights at the transmitter and receiver, m amsl: P.1812 Eqs. (85)–(88), P.452 Eqs. (161)–(164).
    /// Inlined: called once per prediction, where the loop runs best in its caller's frame.
    @inline(__always)
    static func leastSquaresSurfaceM(
        d: UnsafeBufferPointer<Double>, h: UnsafeBufferPointer<Double>
    )
        -> (txM: Double, rxM: Double)
    {
        let n = d.count
        let dtot = d[n - 1] // d, km
        var v1 = 0.0, v2 = 0.0
        for i in 1..<n {
            let di = d[i], dp = d[i - 1], hi = h[i], hp = h[i - 1]
            v1 += (di - dp) * (hi + hp) // P.1812 Eq. (85), P.452 Eq. (161)
            v2 += (di - dp) * (hi * (2 * di + dp) + hp * (di + 2 * dp)) // P.1812 Eq. (86), P.452 Eq. (162)
        }
        let hst = (2 * v1 * dtot - v2) / (dtot * dtot) // P.1812 Eq. (87), P.452 Eq. (163), h_st
        let hsr = (v2 - v1 * dtot) / (dtot * dtot) // P.1812 Eq. (88), P.452 Eq. (164), h_sr
        return (hst, hsr)
    }

    /// Smooth surface, effective antenna heights and terrain roughness for the ducting/layer-reflection model.
    struct DuctingSurface {
        var txSmoothM: Double // h_st = min(h_st, h_1), m amsl
        var rxSmoothM: Double // h_sr = min(h_sr, h_n), m amsl
        var txEffectiveHeightM: Double // h_te, m
        var rxEffectiveHeightM: Double // h_re, m
        var terrainRoughnessM: Double // h_m, m
    }

    /// P.1812 Eqs. (92)–(95), P.452 Eqs. (168)–(171), from the least-squares surface (`leastSquaresSurfaceM`) and
    /// the antenna heights above ground h_tg, h_rg (m). h_m is the largest height of the terrain above the surface
    /// over the points `roughnessIndices`, which each Recommendation bounds by its own horizon points.
    @inline(__always)
    static func ductingSurface(
        d: UnsafeBufferPointer<Double>, h: UnsafeBufferPointer<Double>,
        leastSquares: (txM: Double, rxM: Double), txHeightM htg: Double, rxHeightM hrg: Double,
        roughnessIndices: ClosedRange<Int>
    ) -> DuctingSurface {
        let n = d.count
        let dtot = d[n - 1] // d, km
        let hst = min(leastSquares.txM, h[0]) // P.1812 Eq. (92a), P.452 Eq. (168a)
        let hsr = min(leastSquares.rxM, h[n - 1]) // P.1812 Eq. (92b), P.452 Eq. (168b)
        let m = (hsr - hst) / dtot // P.1812 Eq. (93), P.452 Eq. (169), m/km
        let hte = htg + h[0] - hst // P.1812 Eq. (94a), P.452 Eq. (170a)
        let hre = hrg + h[n - 1] - hsr // P.1812 Eq. (94b), P.452 Eq. (170b)
        var hm = -Double.infinity
        var i = roughnessIndices.lowerBound
        while i <= roughnessIndices.upperBound {
            hm = max(hm, h[i] - (hst + m * d[i])) // P.1812 Eq. (95), P.452 Eq. (171)
            i += 1
        }
        return DuctingSurface(
            txSmoothM: hst, rxSmoothM: hsr, txEffectiveHeightM: hte, rxEffectiveHeightM: hre,
            terrainRoughnessM: hm)
    }
}

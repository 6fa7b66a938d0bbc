// Delta-Bullington on an equally spaced profile, for the coverage engine: the same equations as
// `deltaBullington(distancesKm:…)` (DeltaBullington.swift, with their P.1812-6 / P.452-17 equation numbers), on a
// caller-owned buffer, without allocation, and with the per-point maxima of Eqs. (13), (15), (17) and of the
// obstruction terms of P.452-17 §5.1.6.3 evaluated four points at a time.
//
// Each lane computes the reference's expression in the reference's order (d_i = i·Δd exactly as the reference's
// distances i·Δd − 0), and a maximum does not depend on the order of its terms, so every maximum is bit-identical
// to the reference's; the least-squares sums v1, v2 are accumulated sequentially as there. The loss is therefore
// the reference's to the last bit (asserted on real terrain in P526Tests).
import Foundation

extension P526 {
    /// L_d (Eq. 39) and the warnings for heights `h` (m amsl) at equal spacing `spacingKm`, TX at index 0.
    public static func deltaBullingtonLossDB(
        equallySpaced h: UnsafeBufferPointer<Double>, spacingKm: Double,
        txHeightAboveGroundM: Double, rxHeightAboveGroundM: Double,
        frequencyMHz: Double, effectiveEarthRadiusKm: Double,
        polarization: Polarization = .horizontal, ground: Ground = .land,
        speedOfLightMPerS c: Double = speedOfLightMPerS
    ) throws
        -> (lossDB: Double, warnings: DeltaBullingtonWarnings)
    {
        let n = h.count
        guard n >= 2 else {
            throw ModelInputError(model: modelName, parameter: "profile_points", value: Double(n), validRange: "≥ 2 points")
        }
        guard spacingKm > 0, spacingKm.isFinite else {
            throw ModelInputError(model: modelName, parameter: "spacing_m", value: spacingKm * 1000, validRange: "> 0 m")
        }
        for i in 0..<n where !h[i].isFinite {
            throw ModelInputError(model: modelName, parameter: "height_m[\(i)]", value: h[i], validRange: "finite")
        }
        let warnings = try checkDeltaBullingtonScalars(
            frequencyMHz: frequencyMHz, pointCount: n,
            txHeightAboveGroundM: txHeightAboveGroundM,
            rxHeightAboveGroundM: rxHeightAboveGroundM,
            effectiveEarthRadiusKm: effectiveEarthRadiusKm, ground: ground)

        let p = h.baseAddress!
        let dtot = Double(n - 1) * spacingKm // d, km
        let hts = h[0] + txHeightAboveGroundM, hrs = h[n - 1] + rxHeightAboveGroundM // m amsl
        let ce = 1 / effectiveEarthRadiusKm, lambda = c / (frequencyMHz * 1e6)

        let lbulla = bullingtonLossDB(p, n: n, step: spacingKm, d: dtot, hts: hts, hrs: hrs, ce: ce, lambda: lambda)

        // P.452-17 Attachment 2 §5.1.6.2: least-squares surface (sums in the reference's order).
        var v1 = 0.0, v2 = 0.0
        for i in 1..<n {
            let di = Double(i) * spacingKm, dp = Double(i - 1) * spacingKm
            let hi = p[i], hp = p[i - 1]
            v1 += (di - dp) * (hi + hp)
            v2 += (di - dp) * (hi * (2 * di + dp) + hp * (di + 2 * dp))
        }
        let hst = (2 * v1 * dtot - v2) / (dtot * dtot), hsr = (v2 - v1 * dtot) / (dtot * dtot)
        // §5.1.6.3: h_obs = max H_i, α_obt = max H_i/d_i, α_obr = max H_i/(d − d_i).
        var hobs = -Double.infinity, aobt = -Double.infinity, aobr = -Double.infinity
        if n > 2 {
            var vObs = SIMD4<Double>(repeating: -.infinity), vT = vObs, vR = vObs
            let lanes = SIMD4<Double>(0, 1, 2, 3)
            var i = 1
            while i + 4 <= n - 1 {
                let di = (SIMD4<Double>(repeating: Double(i)) + lanes) * spacingKm
                let hv = UnsafeRawPointer(p).loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
                let hI = hv - (hts * (dtot - di) + hrs * di) / dtot
                maxInPlace(&vObs, hI)
                maxInPlace(&vT, hI / di)
                maxInPlace(&vR, hI / (dtot - di))
                i += 4
            }
            hobs = vObs.max(); aobt = vT.max(); aobr = vR.max()
            while i < n - 1 {
                let di = Double(i) * spacingKm
                let hI = p[i] - (hts * (dtot - di) + hrs * di) / dtot
                hobs = max(hobs, hI); aobt = max(aobt, hI / di); aobr = max(aobr, hI / (dtot - di))
                i += 1
            }
        }
        var hstp = hst, hsrp = hsr
        if hobs > 0 {
            hstp = hst - hobs * (aobt / (aobt + aobr))
            hsrp = hsr - hobs * (aobr / (aobt + aobr))
        }
        let htsp = hts - min(hstp, h[0]), hrsp = hrs - min(hsrp, h[n - 1]) // Eq. (37)/(38): h'_ts, h'_rs

        let lbulls = bullingtonLossDB(nil, n: n, step: spacingKm, d: dtot, hts: htsp, hrs: hrsp, ce: ce, lambda: lambda)
        let sph = sphericalEarthDiffraction(
            distanceKm: dtot, txHeightM: htsp, rxHeightM: hrsp,
            effectiveEarthRadiusKm: effectiveEarthRadiusKm, frequencyMHz: frequencyMHz,
            polarization: polarization, ground: ground, speedOfLightMPerS: c)
        return (lbulla + max(sph.lossDB - lbulls, 0), warnings) // Eq. (39)
    }

    /// v = max(v, x) lane by lane as a compare and blend (the standard library's generic `pointwiseMax` is not
    /// inlined here and runs lane by lane). Same values as `max` for the finite inputs this file sees.
    @inline(__always)
    static func maxInPlace(_ v: inout SIMD4<Double>, _ x: SIMD4<Double>) { v.replace(with: x, where: x .> v) }

    /// L_bull (Eqs. 12–21) on equally spaced heights (`h` nil: all heights zero, for L_bulls).
    @inline(__always)
    static func bullingtonLossDB(
        _ h: UnsafePointer<Double>?, n: Int, step: Double, d dtot: Double,
        hts: Double, hrs: Double, ce: Double, lambda: Double
    ) -> Double {
        let lanes = SIMD4<Double>(0, 1, 2, 3)
        let last = max(n - 1, 1) // points 1 … n−2
        @inline(__always) func heights(_ i: Int) -> SIMD4<Double> {
            guard let h else { return SIMD4<Double>() }
            return UnsafeRawPointer(h).loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
        }
        @inline(__always) func height(_ i: Int) -> Double { h?[i] ?? 0 }

        // Eq. (13): S_tim = max[(h_i + 500 C_e d_i (d − d_i) − h_ts) / d_i]
        var stim = -Double.infinity
        do {
            var v = SIMD4<Double>(repeating: -.infinity)
            var i = 1
            while i + 4 <= last {
                let di = (SIMD4<Double>(repeating: Double(i)) + lanes) * step
                maxInPlace(&v, (heights(i) + 500 * ce * di * (dtot - di) - hts) / di)
                i += 4
            }
            stim = v.max()
            while i < last {
                let di = Double(i) * step
                stim = max(stim, (height(i) + 500 * ce * di * (dtot - di) - hts) / di)
                i += 1
            }
        }
        let str = (hrs - hts) / dtot // Eq. (14)
        let luc: Double
        if stim < str {
            // Case 1, Eq. (15): ν_max
            var numax = -Double.infinity
            var v = SIMD4<Double>(repeating: -.infinity)
            var i = 1
            while i + 4 <= last {
                let di = (SIMD4<Double>(repeating: Double(i)) + lanes) * step
                let t =
                    (heights(i) + 500 * ce * di * (dtot - di) - (hts * (dtot - di) + hrs * di) / dtot)
                    * (0.002 * dtot / (lambda * di * (dtot - di))).squareRoot()
                maxInPlace(&v, t)
                i += 4
            }
            numax = v.max()
            while i < last {
                let di = Double(i) * step
                numax = max(
                    numax,
                    (height(i) + 500 * ce * di * (dtot - di) - (hts * (dtot - di) + hrs * di) / dtot)
                        * (0.002 * dtot / (lambda * di * (dtot - di))).squareRoot())
                i += 1
            }
            luc = knifeEdgeLossDB(nu: numax) // Eq. (16)
        } else {
            // Case 2, Eq. (17): S_rim, then Eqs. (18)–(20)
            var srim = -Double.infinity
            var v = SIMD4<Double>(repeating: -.infinity)
            var i = 1
            while i + 4 <= n - 1 {
                let di = (SIMD4<Double>(repeating: Double(i)) + lanes) * step
                maxInPlace(&v, (heights(i) + 500 * ce * di * (dtot - di) - hrs) / (dtot - di))
                i += 4
            }
            srim = v.max()
            while i < n - 1 {
                let di = Double(i) * step
                srim = max(srim, (height(i) + 500 * ce * di * (dtot - di) - hrs) / (dtot - di))
                i += 1
            }
            let dbp = (hrs - hts + srim * dtot) / (stim + srim)
            let nub =
                (hts + stim * dbp - (hts * (dtot - dbp) + hrs * dbp) / dtot)
                * (0.002 * dtot / (lambda * dbp * (dtot - dbp))).squareRoot()
            luc = knifeEdgeLossDB(nu: nub) // Eq. (20)
        }
        return luc + (1 - exp(-luc / 6)) * (10 + 0.02 * dtot) // Eq. (21)
    }
}

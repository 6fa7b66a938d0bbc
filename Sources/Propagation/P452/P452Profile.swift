// ITU-R P.452-18 (10/2023) path-profile analysis: Annex 1 §3.2.1 (radio-climatic zones, d_tm, d_lm, ω), Eqs. (2)–(4)
// (β0), Eqs. (5)–(6) (a_e, a_β) and Attachment 2 §4–§5 (path classification, horizon angles and distances,
// angular distance, smooth-Earth surface, effective heights for diffraction and for ducting, terrain roughness h_m).
//
// Equation numbers are those of P.452-17 (07/2021) Attachment 2, Eqs. (150)–(171), as cited by the ITU-R SG3
// reference implementation of P.452-18 (numbering of -18 not confirmed; see P452.swift). Conventions of that reference:
// a profile point stands for half the interval on each side (terminals: half an interval) when d_tm, d_lm and ω
// are measured; for a line-of-sight path d_lt, d_lr are the distances to the Bullington point (the point of
// largest ν with a_e, λ = 0.2998/f m), and θ_t, θ_r are the elevation angles of the other terminal.
// The path-centre latitude for β0 is that of the great-circle mid-point (ITU-R P.2001 Attachment H, d_pnt = d/2).
// Left out: reading ΔN, N0 and the coast distances from the ITU digital maps (not redistributable: inputs).
import Foundation

extension P452 {
    /// Path parameters derived from the profile (Attachment 2) and the radio-meteorology.
    public struct PathParameters: Sendable, Equatable {
        /// d, great-circle path length, km.
        public var distanceKm: Double
        /// a_e, median effective Earth radius, km (Eq. (6a)); a_β = 6371 · 3 km (Eq. (6b)).
        public var effectiveEarthRadiusKm: Double
        public var effectiveEarthRadiusBetaKm: Double
        /// h_ts, h_rs: antenna heights above mean sea level, m.
        public var txHeightAmslM: Double
        public var rxHeightAmslM: Double
        /// θ_t, θ_r: horizon elevation angles, mrad (Eqs. (152)–(157)).
        public var txHorizonAngleMrad: Double
        public var rxHorizonAngleMrad: Double
        /// θ, path angular distance, mrad (Eq. (159)).
        public var angularDistanceMrad: Double
        /// d_lt, d_lr: horizon distances, km (Eqs. (155), (158)).
        public var txHorizonDistanceKm: Double
        public var rxHorizonDistanceKm: Double
        /// h_st, h_sr: least-squares smooth-Earth surface at the terminals, m amsl (Eqs. (163)–(164)).
        public var txSmoothSurfaceM: Double
        public var rxSmoothSurfaceM: Double
        /// h_std, h_srd: smooth surface for the diffraction model, m amsl (Eq. (167)).
        public var txSmoothSurfaceDiffractionM: Double
        public var rxSmoothSurfaceDiffractionM: Double
        /// h_te, h_re: effective heights for the ducting/layer-reflection model, m (Eq. (170)).
        public var txEffectiveHeightM: Double
        public var rxEffectiveHeightM: Double
        /// h_m, terrain roughness, m (Eq. (171)).
        public var terrainRoughnessM: Double
        /// d_tm, longest continuous land (inland + coastal) section, km; d_lm, longest continuous inland section, km.
        public var longestLandSectionKm: Double
        public var longestInlandSectionKm: Double
        /// ω, fraction of the path over sea.
        public var seaFraction: Double
        /// β0, time percentage for which refractive-index lapse rates exceeding 100 N-units/km occur, % (Eq. (2)).
        public var beta0Percent: Double
        /// Latitude used for β0 (great-circle mid-point), degrees.
        public var pathCentreLatitudeDeg: Double
        /// S_tim, S_tr (m/km) with a_e on the terrain heights, for the interpolation factor F_j (Eq. (58)).
        public var txMaxSlopeMPerKm: Double
        public var directSlopeMPerKm: Double
        public var pathType: PathType
    }

    // MARK: - Radio-meteorology

    /// β0, %, P.452-18 Eqs. (2)–(4), for the path-centre latitude φ (degrees), d_tm and d_lm (km). Shared with P.1812:
    /// `ClearAirChain.beta0Percent` (Common/ClearAirChain/RadioMeteorology.swift).
    public static func beta0Percent(latitudeDeg phi: Double, longestLandKm dtm: Double, longestInlandKm dlm: Double) -> Double {
        ClearAirChain.beta0Percent(pathCentreLatitudeDeg: phi, longestLandKm: dtm, longestInlandKm: dlm)
    }

    /// Latitude of the point at `distanceFromStartKm` along the great-circle path from (lat1, lon1) to (lat2, lon2),
    /// ITU-R P.2001 Attachment H §H.2–H.3 (mean Earth radius; P.452-18 uses d_pnt = d/2 of the profile length):
    /// `ClearAirChain.greatCircleLatitudeDeg`, shared with P.1812.
    public static func greatCircleLatitudeDeg(
        fromLatDeg lat1: Double, fromLonDeg lon1: Double, toLatDeg lat2: Double,
        toLonDeg lon2: Double, distanceFromStartKm dpnt: Double
    ) -> Double {
        ClearAirChain.greatCircleLatitudeDeg(lat1Deg: lat1, lon1Deg: lon1, lat2Deg: lat2, lon2Deg: lon2, distanceKm: dpnt)
    }

    // MARK: - Zones

    /// d_tm (land: zones A1 + A2), d_lm (inland A2) and ω (sea B), §3.2.1 / Eq. (9a) context. Each point stands for
    /// half the interval to each neighbour.
    static func zoneStatistics(
        d: UnsafeBufferPointer<Double>, zones: UnsafeBufferPointer<Zone>
    )
        -> (dtm: Double, dlm: Double, omega: Double)
    {
        let n = d.count
        var dtm = 0.0, dlm = 0.0, runLand = 0.0, runInland = 0.0, sea = 0.0
        for i in 0..<n {
            let w = i == 0 ? (d[1] - d[0]) / 2 : (i == n - 1 ? (d[n - 1] - d[n - 2]) / 2 : (d[i + 1] - d[i - 1]) / 2)
            switch zones[i] {
            case .sea:
                sea += w; runLand = 0; runInland = 0
            case .coastalLand:
                runLand += w; runInland = 0
            case .inland:
                runLand += w; runInland += w
            }
            dtm = max(dtm, runLand)
            dlm = max(dlm, runInland)
        }
        return (dtm, dlm, sea / (d[n - 1] - d[0]))
    }

    // MARK: - Attachment 2

    struct ProfileGeometry {
        var hst = 0.0, hsr = 0.0, hstd = 0.0, hsrd = 0.0, hte = 0.0, hre = 0.0, hm = 0.0
        var dlt = 0.0, dlr = 0.0, thetaT = 0.0, thetaR = 0.0, theta = 0.0
        var stim = 0.0, str = 0.0
        var pathType = PathType.lineOfSight
    }

    /// Attachment 2 §4–§5 on the terrain heights h (not the clutter-raised g).
    static func analyseProfile(
        d: UnsafeBufferPointer<Double>, h: UnsafeBufferPointer<Double>, txHeightM htg: Double,
        rxHeightM hrg: Double, aeKm ae: Double, frequencyGHz f: Double
    ) -> ProfileGeometry {
        let n = d.count
        let dtot = d[n - 1] // d, km
        let hts = h[0] + htg, hrs = h[n - 1] + hrg // h_ts, h_rs, m amsl
        var g = ProfileGeometry()

        // §5.1.6.2, Eqs. (161)–(164): least-squares smooth surface.
        let leastSquares = ClearAirChain.leastSquaresSurfaceM(d: d, h: h)
        let hst = leastSquares.txM, hsr = leastSquares.rxM // Eqs. (163), (164), h_st, h_sr

        // One pass over the intermediate points: obstruction (§5.1.6.3, Eq. (165)), horizon angles (Eqs. (152),
        // (157): θ is monotonic in its atan argument, so the maxima are taken on the arguments), S_tim (Eq. (14)).
        let ce = 1 / ae, half = 1 / (2 * ae)
        var hobs = -Double.infinity, aobt = -Double.infinity, aobr = -Double.infinity
        var xt = -Double.infinity, xr = -Double.infinity, lt = 1, lr = 1
        var stim = -Double.infinity
        for i in 1..<(n - 1) {
            let di = d[i], hi = h[i], dr = dtot - di
            let hh = hi - (hts * dr + hrs * di) / dtot // Eq. (165d), H_i
            hobs = max(hobs, hh) // Eq. (165a)
            aobt = max(aobt, hh / di) // Eq. (165b)
            aobr = max(aobr, hh / dr) // Eq. (165c)
            let x = (hi - hts) / (1000 * di) - di * half // Eq. (152) argument
            if x > xt { xt = x; lt = i } // Eq. (154): first maximum
            let y = (hi - hrs) / (1000 * dr) - dr * half // Eq. (157) argument
            if y > xr { xr = y; lr = i } // Eq. (158): first maximum
            stim = max(stim, (hi + 500 * ce * di * dr - hts) / di) // Eq. (14), S_tim, m/km
        }
        g.stim = stim
        g.str = (hrs - hts) / dtot // Eq. (15), S_tr, m/km

        // Eq. (166): provisional smooth-surface heights corrected for the largest obstruction.
        var hstp = hst, hsrp = hsr
        if hobs > 0 {
            hstp = hst - hobs * aobt / (aobt + aobr) // Eq. (166c), (166e)
            hsrp = hsr - hobs * aobr / (aobt + aobr) // Eq. (166d), (166f)
        }
        g.hstd = min(hstp, h[0]) // Eq. (167a, b)
        g.hsrd = min(hsrp, h[n - 1]) // Eq. (167c, d)

        // §4 path classification, Eq. (150): trans-horizon when θ_max > θ_td.
        let thetaMax = 1000 * atan(xt) // Eq. (152)/(154), mrad
        let thetaTd = 1000 * atan((hrs - hts) / (1000 * dtot) - dtot * half) // Eq. (153), mrad
        if thetaMax > thetaTd {
            g.pathType = .transHorizon
            g.thetaT = thetaMax
            g.thetaR = 1000 * atan(xr) // Eq. (157), mrad
            g.dlt = d[lt] // Eq. (155)
            g.dlr = dtot - d[lr] // Eq. (158)
        } else {
            // Line of sight: θ_t, θ_r are the elevation angles of the other terminal (Eq. (153) and its mirror);
            // d_lt, d_lr are the distances to the Bullington point (largest ν, §4.2.1 Eq. (16), λ = 0.2998/f m).
            g.pathType = .lineOfSight
            g.thetaT = thetaTd
            g.thetaR = 1000 * atan((hts - hrs) / (1000 * dtot) - dtot * half)
            let lambda = 0.2998 / f // λ, m
            var numax = -Double.infinity
            for i in 1..<(n - 1) {
                let di = d[i], dr = dtot - di
                let nu =
                    (h[i] + 500 * ce * di * dr - (hts * dr + hrs * di) / dtot)
                    * (0.002 * dtot / (lambda * di * dr)).squareRoot() // Eq. (16), ν
                if nu > numax { numax = nu; lt = i }
            }
            lr = lt
            g.dlt = d[lt]
            g.dlr = dtot - d[lt]
        }
        g.theta = 1e3 * dtot / ae + g.thetaT + g.thetaR // Eq. (159), θ, mrad

        // §5.1.6.4 ducting/layer-reflection heights and roughness.
        // Eqs. (168)–(171), h_m from the transmitter's horizon point to the receiver's (as the SG3 reference).
        let duct = ClearAirChain.ductingSurface(
            d: d, h: h, leastSquares: leastSquares, txHeightM: htg, rxHeightM: hrg,
            roughnessIndices: lt...max(lt, lr))
        g.hte = duct.txEffectiveHeightM // Eq. (170a), h_te
        g.hre = duct.rxEffectiveHeightM // Eq. (170b), h_re
        g.hm = duct.terrainRoughnessM // Eq. (171), h_m
        g.hst = hst
        g.hsr = hsr
        return g
    }
}

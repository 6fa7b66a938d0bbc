// ITU-R P.1812-8 (09/2025) Annex 1: the prediction procedure (§4) and the path-profile analysis (Attachment 1
// §4–§5). Input checks, profile analysis, §4.2 line of sight, §4.3.5 diffraction for p %, §4.4 troposcatter,
// §4.5 ducting/layer reflection, §4.6 combination, §4.7–§4.10 location variability, building entry, L_b, E_p.
// What is left out is listed in P1812.swift.
import Foundation

extension P1812 {
    /// Basic transmission loss and field strength for one path (Annex 1 §4).
    public static func predict(_ input: Input) throws -> Result {
        let m = modelName
        let n = input.distancesKm.count
        guard n >= 5 else {
            throw ModelInputError(model: m, parameter: "profile_points", value: Double(n), validRange: "≥ 5 points")
        }
        guard input.heightsM.count == n else {
            throw ModelInputError(
                model: m, parameter: "heights_m.count", value: Double(input.heightsM.count),
                validRange: "\(n) (one per distance)")
        }
        if let r = input.clutterHeightsM, r.count != n {
            throw ModelInputError(
                model: m, parameter: "clutter_heights_m.count", value: Double(r.count),
                validRange: "\(n) (one per distance)")
        }
        if let z = input.zones, z.count != n {
            throw ModelInputError(model: m, parameter: "zones.count", value: Double(z.count), validRange: "\(n) (one per distance)")
        }
        guard input.distancesKm[0] == 0 else {
            throw ModelInputError(
                model: m, parameter: "distance_km[0]", value: input.distancesKm[0],
                validRange: "0 (the first point is the transmitter)")
        }
        for i in 1..<n where !(input.distancesKm[i] > input.distancesKm[i - 1]) || !input.distancesKm[i].isFinite {
            throw ModelInputError(
                model: m, parameter: "distance_km[\(i)]", value: input.distancesKm[i],
                validRange: "finite and > \(input.distancesKm[i - 1]) km (strictly increasing)")
        }
        for i in 0..<n where !input.heightsM[i].isFinite || abs(input.heightsM[i]) > 10_000 {
            throw ModelInputError(model: m, parameter: "height_m[\(i)]", value: input.heightsM[i], validRange: "[-10000, 10000] m")
        }
        if let r = input.clutterHeightsM {
            for i in 0..<n where !(r[i] >= 0 && r[i] <= 1000) {
                throw ModelInputError(model: m, parameter: "clutter_height_m[\(i)]", value: r[i], validRange: "[0, 1000] m")
            }
        }
        let f = input.frequencyGHz, p = input.timePercent, pL = input.locationPercent
        try ModelInputError.check(m, "frequency_ghz", f, 0.03, 6, unit: "GHz")
        try ModelInputError.check(m, "time_percent", p, 1, 50, unit: "%")
        guard pL > 0, pL < 100 else {
            throw ModelInputError(model: m, parameter: "location_percent", value: pL, validRange: "(0, 100) %")
        }
        try ModelInputError.check(m, "tx_height_m", input.txHeightM, 1, 3000, unit: "m")
        try ModelInputError.check(m, "rx_height_m", input.rxHeightM, 1, 3000, unit: "m")
        try ClearAirChain.checkTerminalCoordinates(
            model: m, txLatitudeDeg: input.txLatitudeDeg,
            txLongitudeDeg: input.txLongitudeDeg,
            rxLatitudeDeg: input.rxLatitudeDeg,
            rxLongitudeDeg: input.rxLongitudeDeg, longitudeRangeDeg: -360...360)
        let deltaN = input.meteorology.deltaN, n0 = input.meteorology.n0
        try ClearAirChain.checkDeltaN(model: m, deltaN)
        try ModelInputError.check(m, "n0", n0, 100, 600, unit: "N-units")
        if let e = input.txERPkW, !(e > 0 && e.isFinite) {
            throw ModelInputError(model: m, parameter: "tx_erp_kw", value: e, validRange: "(0, ∞) kW")
        }
        try ClearAirChain.checkCoastDistances(model: m, txKm: input.txCoastDistanceKm, rxKm: input.rxCoastDistanceKm)
        switch input.locationVariability {
        case let .computed(wa): try ModelInputError.check(m, "area_width_m", wa, 1e-3, 1e5, unit: "m")
        case let .sigmaDB(s): try ModelInputError.check(m, "location_sigma_db", s, 0, 100, unit: "dB")
        }
        if let b = input.buildingEntry {
            try ModelInputError.check(m, "building_entry_mean_db", b.meanLossDB, -50, 200, unit: "dB")
            try ModelInputError.check(m, "building_entry_sigma_db", b.sigmaDB, 0, 100, unit: "dB")
        }

        return input.distancesKm.withUnsafeBufferPointer { d in
            input.heightsM.withUnsafeBufferPointer { h in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 6 * n) { scratch in
                    compute(input, d, h, scratch)
                }
            }
        }
    }

    // MARK: - The procedure

    private static func compute(
        _ input: Input, _ d: UnsafeBufferPointer<Double>, _ h: UnsafeBufferPointer<Double>,
        _ scratch: UnsafeMutableBufferPointer<Double>
    ) -> Result {
        let n = d.count
        let f = input.frequencyGHz, p = input.timePercent
        let htg = input.txHeightM, hrg = input.rxHeightM
        var warnings: Warnings = []
        var im = Intermediates()

        // Scratch: g_i, zeros, 500 d_i (d − d_i), 1/d_i, 1/(d − d_i), √(0.002 d / (d_i (d − d_i))).
        let base = scratch.baseAddress!
        let gM = UnsafeMutableBufferPointer(start: base, count: n)
        let zM = UnsafeMutableBufferPointer(start: base + n, count: n)
        let wM = UnsafeMutableBufferPointer(start: base + 2 * n, count: n)
        let itM = UnsafeMutableBufferPointer(start: base + 3 * n, count: n)
        let irM = UnsafeMutableBufferPointer(start: base + 4 * n, count: n)
        let qM = UnsafeMutableBufferPointer(start: base + 5 * n, count: n)

        let dtot = d[n - 1] // d, km
        im.distanceKm = dtot
        if dtot < 0.25 || dtot > 3000 { warnings.insert(.distanceOutsideRange) }
        if n < 10 { warnings.insert(.coarseProfile) }
        if input.locationPercent < 1 || input.locationPercent > 99 { warnings.insert(.locationPercentOutsideRange) }
        let deltaN = input.meteorology.deltaN, n0 = input.meteorology.n0
        if deltaN < 20 || deltaN > 100 || n0 < 250 || n0 > 420 { warnings.insert(.meteorologyUnusual) }

        // §3.2.1: g_i = h_i + R_i for the intermediate points; the terminals stay at ground level.
        if let r = input.clutterHeightsM {
            r.withUnsafeBufferPointer { rp in for i in 0..<n { gM[i] = h[i] + rp[i] } }
        } else {
            for i in 0..<n { gM[i] = h[i] }
        }
        gM[0] = h[0]
        gM[n - 1] = h[n - 1]
        for i in 0..<n {
            let di = d[i], dr = dtot - di
            let it = 1 / di, ir = 1 / dr
            zM[i] = 0
            wM[i] = 500 * di * dr
            itM[i] = it
            irM[i] = ir
            qM[i] = (0.002 * dtot * it * ir).squareRoot()
        }
        let w = UnsafeBufferPointer(wM), invDt = UnsafeBufferPointer(itM), q = UnsafeBufferPointer(qM)

        // §3.3, §3.6: radio-climatic zones, d_tm (land = coastal + inland), d_lm (inland), ω (sea fraction).
        let zones = input.zones
        if let z = zones {
            im.longestLandSectionKm = sectionLengthKm(d, z, sum: false) { $0 != .sea }
            im.longestInlandSectionKm = sectionLengthKm(d, z, sum: false) { $0 == .inland }
            im.seaFraction = sectionLengthKm(d, z, sum: true) { $0 == .sea } / dtot
        } else {
            im.longestLandSectionKm = dtot
            im.longestInlandSectionKm = dtot
            im.seaFraction = 0
        }
        let dtm = im.longestLandSectionKm, dlm = im.longestInlandSectionKm, omega = im.seaFraction
        // §3.4: coast distances (default 500 km; 0 for a terminal in a sea zone).
        let dct = input.txCoastDistanceKm ?? (zones?.first == .sea ? 0 : 500)
        let dcr = input.rxCoastDistanceKm ?? (zones?.last == .sea ? 0 : 500)
        im.txCoastDistanceKm = dct
        im.rxCoastDistanceKm = dcr

        // §3.5: path centre, half-way along the profile on the great circle (P.2001 Attachment H).
        let centre = ClearAirChain.greatCirclePoint(
            lat1Deg: input.txLatitudeDeg, lon1Deg: input.txLongitudeDeg,
            lat2Deg: input.rxLatitudeDeg, lon2Deg: input.rxLongitudeDeg,
            distanceKm: dtot / 2)
        im.pathCentreLatitudeDeg = centre.latDeg
        im.pathCentreLongitudeDeg = centre.lonDeg
        if abs(centre.lengthKm - dtot) > max(0.01 * dtot, 0.1) { warnings.insert(.profileLengthMismatch) }
        let b0 = ClearAirChain.beta0Percent(
            pathCentreLatitudeDeg: centre.latDeg, longestLandKm: dtm,
            longestInlandKm: dlm) // β0, %, Eqs. (2)–(5)
        im.beta0Percent = b0
        let ae = ClearAirChain.medianEarthRadiusKm(deltaN: deltaN) // a_e, km, Eqs. (6), (7a)
        let ab = ClearAirChain.beta0EarthRadiusKm // a_β, km, Eq. (7b)
        im.medianEarthRadiusKm = ae
        im.beta0EarthRadiusKm = ab

        // Attachment 1: path-profile analysis on the terrain heights h_i.
        let hts = h[0] + htg, hrs = h[n - 1] + hrg // h_ts, h_rs, m amsl
        im.txHeightAmslM = hts
        im.rxHeightAmslM = hrs
        let lambda = 0.2998 / f // λ, m (§4.3.1)

        // §5.6.1 (Eqs. (85)–(88)): least-squares smooth-Earth surface h_st, h_sr.
        let leastSquares = ClearAirChain.leastSquaresSurfaceM(d: d, h: h)
        let hstLS = leastSquares.txM, hsrLS = leastSquares.rxM // Eqs. (87), (88), h_st, h_sr
        im.txLeastSquaresHeightM = hstLS
        im.rxLeastSquaresHeightM = hsrLS

        // §5.6.2 (Eqs. (89)–(91)): smooth-surface heights for the diffraction model, h_std, h_srd.
        // H_i = h_i − (h_ts (d − d_i) + h_rs d_i) / d; h_obs = max H_i; α_obt = max(H_i / d_i); α_obr = max(H_i / (d − d_i)).
        let slopeTR = (hrs - hts) / dtot
        let inner = 1..<(n - 1)
        let hobs = maxOver(inner) { i in h[i] - (hts + slopeTR * d[i]) } // Eqs. (89a), (89d)
        let aobt = maxOver(inner) { i in (h[i] - (hts + slopeTR * d[i])) * invDt[i] } // Eq. (89b)
        let aobr = maxOver(inner) { i in (h[i] - (hts + slopeTR * d[i])) * irM[i] } // Eq. (89c)
        var hstp = hstLS, hsrp = hsrLS
        if hobs > 0 {
            let gt = aobt / (aobt + aobr), gr = aobr / (aobt + aobr) // Eqs. (90e), (90f)
            hstp = hstLS - hobs * gt // Eq. (90c)
            hsrp = hsrLS - hobs * gr // Eq. (90d)
        }
        let hstd = hstp >= h[0] ? h[0] : hstp // Eqs. (91a), (91b)
        let hsrd = hsrp > h[n - 1] ? h[n - 1] : hsrp // Eqs. (91c), (91d)
        im.txDiffractionSurfaceM = hstd
        im.rxDiffractionSurfaceM = hsrd

        // §4 of Attachment 1: path classification, horizon angles and distances. atan is monotonic, so the
        // maxima of θ_i = 1000 atan(x_i) are found on x_i and atan is taken once.
        let inv2ae = 1 / (2 * ae)
        // Eq. (76)–(77): θ_i = 1000 arctan[(h_i − h_ts) / (1000 d_i) − d_i / (2 a_e)], mrad
        let xAt = { (i: Int) -> Double in (h[i] - hts) * 0.001 * invDt[i] - d[i] * inv2ae }
        let xmax = maxOver(inner, xAt)
        var lt = 1
        while lt < n - 2 && xAt(lt) != xmax { lt += 1 } // first index of the maximum
        let xtd = (hrs - hts) / (1000 * dtot) - dtot * inv2ae // Eq. (78), θ_td argument
        let xrd = (hts - hrs) / (1000 * dtot) - dtot * inv2ae // Eq. (81), θ_rd argument
        let pathType: PathType = xmax > xtd ? .transhorizon : .lineOfSight
        var lr: Int
        let thetaT: Double, thetaR: Double, dlt: Double, dlr: Double
        if pathType == .transhorizon {
            thetaT = 1000 * atan(xmax) // Eq. (79), θ_t, mrad
            dlt = d[lt] // Eq. (80), d_lt, km
            // Eq. (82a): θ_j = 1000 arctan[(h_j − h_rs) / (1000 (d − d_j)) − (d − d_j) / (2 a_e)], mrad
            let yAt = { (i: Int) -> Double in (h[i] - hrs) * 0.001 * irM[i] - (dtot - d[i]) * inv2ae }
            let ymax = maxOver(inner, yAt)
            lr = n - 2
            while lr > 1 && yAt(lr) != ymax { lr -= 1 } // last index of the maximum
            thetaR = 1000 * atan(ymax) // θ_r, mrad
            dlr = dtot - d[lr] // Eq. (83), d_lr, km
        } else {
            thetaT = 1000 * atan(xtd) // Eq. (79): θ_t = θ_td
            thetaR = 1000 * atan(xrd) // Eq. (81): θ_r = θ_rd
            // LoS: d_lt, d_lr from the point of largest ν (Bullington point for 50 % time, Eq. (15) with a_e).
            let ce = 1 / ae
            let nuAt = { (i: Int) -> Double in (h[i] + ce * w[i] - (hts + slopeTR * d[i])) * q[i] }
            let numax = maxOver(inner, nuAt)
            lt = n - 2
            while lt > 1 && nuAt(lt) != numax { lt -= 1 } // last index of the maximum
            dlt = d[lt] // Eq. (80)
            dlr = dtot - dlt // Eq. (83a)
            lr = lt
        }
        let theta = 1000 * dtot / ae + thetaT + thetaR // Eq. (84), θ, mrad
        im.txHorizonAngleMrad = thetaT
        im.rxHorizonAngleMrad = thetaR
        im.txHorizonDistanceKm = dlt
        im.rxHorizonDistanceKm = dlr
        im.angularDistanceMrad = theta

        // §5.6.3 (Eqs. (92)–(95)): ducting/layer-reflection heights and terrain roughness.
        // h_m over the points between the two horizon points (Eq. (95)), whichever comes first.
        let duct = ClearAirChain.ductingSurface(
            d: d, h: h, leastSquares: leastSquares, txHeightM: htg, rxHeightM: hrg,
            roughnessIndices: min(lt, lr)...max(lt, lr))
        let hst = duct.txSmoothM, hsr = duct.rxSmoothM // Eqs. (92a), (92b)
        let hte = duct.txEffectiveHeightM, hre = duct.rxEffectiveHeightM // Eqs. (94a), (94b), m
        let hm = duct.terrainRoughnessM // Eq. (95), h_m, m
        im.txSmoothHeightM = hst
        im.rxSmoothHeightM = hsr
        im.txEffectiveHeightM = hte
        im.rxEffectiveHeightM = hre
        im.terrainRoughnessM = hm

        // §4.2 Line of sight with short-term focusing and multipath (Eqs. (8)–(11)).
        let dfs2 = dtot * dtot + pow((hts - hrs) / 1000, 2) // Eq. (8a), km²
        let lbfs = 92.4 + 20 * log10(f) + 10 * log10(dfs2) // Eq. (8), L_bfs
        let (esp, esb) = ClearAirChain.focusingCorrectionsDB(
            horizonDistancesKm: dlt + dlr, timePercent: p,
            beta0Percent: b0) // Eqs. (9a, b), E_sp, E_sβ
        let lb0p = lbfs + esp // Eq. (10), L_b0p
        let lb0b = lbfs + esb // Eq. (11), L_b0β
        im.freeSpaceDB = lbfs
        im.lineOfSightDB = lb0p
        im.lineOfSightBeta0DB = lb0b

        // §4.3 Diffraction: delta-Bullington at a_e and a_β with h'_ts = h_ts − h_std, h'_rs = h_rs − h_srd (Eq. (37)).
        let geo = DiffractionGeometry(
            d: d, g: UnsafeBufferPointer(gM), zero: UnsafeBufferPointer(zM), w: w,
            invDt: invDt, invDr: UnsafeBufferPointer(irM), q: q, dtot: dtot,
            lambdaM: lambda, frequencyGHz: f, seaFraction: omega,
            polarization: input.polarization)
        let htsp = hts - hstd, hrsp = hrs - hsrd
        im.txDiffractionHeightM = htsp
        im.rxDiffractionHeightM = hrsp
        let d50 = deltaBullington(geo, hts: hts, hrs: hrs, htsp: htsp, hrsp: hrsp, apKm: ae)
        let db = deltaBullington(geo, hts: hts, hrs: hrs, htsp: htsp, hrsp: hrsp, apKm: ab)
        im.bullingtonActual50DB = d50.bullingtonActualDB
        im.bullingtonSmooth50DB = d50.bullingtonSmoothDB
        im.sphericalEarth50DB = d50.sphericalDB
        im.bullingtonActualBetaDB = db.bullingtonActualDB
        im.bullingtonSmoothBetaDB = db.bullingtonSmoothDB
        im.sphericalEarthBetaDB = db.sphericalDB
        let ld50 = d50.ldDB, ldb = db.ldDB // L_d50, L_dβ
        // §4.3.5: F_i = I(p/100) / I(β0/100) for p > β0, else 1 (Eq. (40)); L_dp = L_d50 + F_i (L_dβ − L_d50) (Eq. (41)).
        let iB0 = inverseComplementaryNormal(b0 / 100)
        let fiDiffraction = p > b0 ? inverseComplementaryNormal(p / 100) / iB0 : 1
        let ldp = p == 50 ? ld50 : ld50 + fiDiffraction * (ldb - ld50)
        let lbd50 = lbfs + ld50 // Eq. (42), L_bd50
        let lbd = lb0p + ldp // Eq. (43), L_bd
        im.diffraction50DB = ld50
        im.diffractionBetaDB = ldb
        im.diffractionDB = ldp
        im.diffractionBasic50DB = lbd50
        im.diffractionBasicDB = lbd

        // §4.4 Troposcatter (Eqs. (44), (45)).
        let lf = 25 * log10(f) - 2.5 * pow(log10(f / 2), 2) // Eq. (45), L_f
        let lbs =
            190.1 + lf + 20 * log10(dtot) + 0.573 * theta - 0.15 * n0
            - 10.125 * pow(log10(50 / p), 0.7) // Eq. (44), L_bs
        im.troposcatterDB = lbs

        // §4.5 Ducting/layer reflection (Eqs. (46)–(56)).
        let lba = ClearAirChain.anomalousPropagationLossDB(
            .init(
                frequencyGHz: f, timePercent: p, distanceKm: dtot, txHorizonDistanceKm: dlt, rxHorizonDistanceKm: dlr,
                txHorizonAngleMrad: thetaT, rxHorizonAngleMrad: thetaR, txCoastDistanceKm: dct, rxCoastDistanceKm: dcr,
                txHeightAmslM: hts, rxHeightAmslM: hrs, txEffectiveHeightM: hte, rxEffectiveHeightM: hre,
                terrainRoughnessM: hm, longestInlandKm: dlm, seaFraction: omega, medianEarthRadiusKm: ae,
                beta0Percent: b0)) // Eq. (46), L_ba
        im.ductingDB = lba

        // §4.6 Combination (Eqs. (57)–(63)).
        let fj = 1 - 0.5 * (1 + tanh(3 * 0.8 * (theta - 0.3) / 0.3)) // Eq. (57), Θ = 0.3 mrad, ξ = 0.8
        let fk = ClearAirChain.pathLengthBlend(distanceKm: dtot) // Eq. (58), d_sw = 20 km, κ = 0.5
        let fi = p >= b0 ? inverseComplementaryNormal(p / 100) / iB0 : 1 // Eq. (40), as Eq. (59) uses it
        let lminb0p = ClearAirChain.minimumLineOfSightSeaLossDB(
            lineOfSightDB: lb0p, lineOfSightBeta0DB: lb0b, diffractionDB: ldp, diffractionBasicMedianDB: lbd50,
            seaFraction: omega, timePercent: p, beta0Percent: b0, fi: { fi }) // Eq. (59), L_minb0p
        let eta = 2.5
        let lminbap = eta * log(exp(lba / eta) + exp(lb0p / eta)) // Eq. (60), L_minbap
        let lbda = ClearAirChain.diffractionDuctingLossDB(
            minimumDuctingDB: lminbap, diffractionBasicDB: lbd,
            pathLengthBlend: fk) // Eq. (61), L_bda
        let lbam = ClearAirChain.modifiedLossDB(
            diffractionDuctingDB: lbda, minimumLineOfSightSeaDB: lminb0p,
            angularBlend: fj) // Eq. (62), L_bam
        let lbc = -5 * log10(pow(10, -0.2 * lbs) + pow(10, -0.2 * lbam)) // Eq. (63), L_bc
        im.fi = fi
        im.fj = fj
        im.fk = fk
        im.minimumLoSSeaDB = lminb0p
        im.minimumLoSDuctingDB = lminbap
        im.diffractionDuctingDB = lbda
        im.modifiedDB = lbam
        im.combinedDB = lbc

        // §4.7 Location variability, §4.8 building entry loss (not applied to a receiver in a sea zone).
        let rxAtSea = zones?.last == .sea
        var sigmaL: Double
        switch input.locationVariability {
        case let .computed(wa):
            // σ_L = (0.52 + 0.024 f) w_a^0.28, reduced by u_h for a receiver above its representative clutter R:
            // u_h = 1 (h < R), 1 − (h − R)/10 (R ≤ h < R + 10), 0 (h ≥ R + 10).
            let rRx = input.clutterHeightsM?.last ?? 0
            let uh = hrg < rRx ? 1 : (hrg >= rRx + 10 ? 0 : 1 - (hrg - rRx) / 10)
            sigmaL = (0.52 + 0.024 * f) * pow(wa, 0.28) * uh
        case let .sigmaDB(s):
            sigmaL = s
        }
        var lbe = 0.0 // mean building entry loss
        if let b = input.buildingEntry {
            if rxAtSea {
                warnings.insert(.buildingEntryAtSea)
            } else {
                lbe = b.meanLossDB
                sigmaL = (sigmaL * sigmaL + b.sigmaDB * b.sigmaDB).squareRoot() // σ_Loc = √(σ_L² + σ_b²)
            }
        }
        let locCorrection = rxAtSea ? 0 : -inverseComplementaryNormal(input.locationPercent / 100) * sigmaL
        im.locationSigmaDB = rxAtSea ? 0 : sigmaL
        im.locationCorrectionDB = locCorrection
        im.buildingEntryDB = lbe

        // §4.9: L_b = max(L_b0p, L_bc + L_loc − I(p_L/100) σ_Loc) (Eq. (69)); §4.10: E_p (Eq. (70)), 1 kW e.r.p.
        let lb = max(lb0p, lbc + lbe + locCorrection)
        let ep = 199.36 + 20 * log10(f) - lb
        let epERP = input.txERPkW.map { ep + 10 * log10($0) }
        return Result(
            basicLossDB: lb, fieldStrengthDBuVm: ep, fieldStrengthForERPDBuVm: epERP, pathType: pathType,
            intermediates: im, warnings: warnings)
    }
}

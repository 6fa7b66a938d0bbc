// ITU-R P.452-18 (10/2023) Annex 1 §4: the clear-air mechanisms and their combination (see P452.swift for scope,
// equation numbering and what is left out).
import Foundation

extension P452 {
    /// P.452 writes λ = 0.2998/f(GHz) m, i.e. c = 2.998e8 m/s, in §4.2 and Attachment 2.
    static let speedOfLightMPerS = 2.998e8

    // MARK: - Attachment 3

    /// Approximation to the inverse cumulative normal distribution for x ≤ 0.5, P.452-18 Attachment 3 Eq. (172)
    /// (x below 1e-6 is taken as 1e-6, as in the SG3 reference implementation). Eq. (172) is I(x) = ξ(x) − T(x), the
    /// negative of the A&S 26.2.23 approximation to Q⁻¹ that `P1057` holds (Common/P1057.swift).
    public static func inverseCumulativeNormal(_ x0: Double) -> Double {
        -P1057.upperTailApproximation(max(x0, 1e-6)) // Eq. (172), I(x)
    }

    // MARK: - §4.2.3 delta-Bullington with separately given smooth-surface heights

    /// L_d for radius `apKm`, §4.2.3 Eqs. (38)–(40): Bullington (`P526.bullington`, §4.2.1) on g (actual) and on a
    /// zero profile with h'_ts = h_ts − h_std, h'_rs = h_rs − h_srd, and spherical-Earth diffraction (§4.2.2).
    /// P.452-18 takes h_std, h_srd from the terrain heights h while the Bullington profile is g = h + R, so
    /// `P526.deltaBullington` (which derives them from the profile it is given) is composed here from its parts.
    static func deltaBullington(
        d: [Double], g: [Double], zeros: [Double], hts: Double, hrs: Double, hstd: Double,
        hsrd: Double, apKm: Double, frequencyMHz: Double, polarization: Polarization,
        seaFraction: Double
    ) -> (ld: Double, bulla: Double, bulls: Double, dsph: Double) {
        let c = speedOfLightMPerS
        let bulla = P526.bullington(
            distancesKm: d, heightsM: g, txHeightAmslM: hts, rxHeightAmslM: hrs,
            effectiveEarthRadiusKm: apKm, frequencyMHz: frequencyMHz, speedOfLightMPerS: c
        ).lossDB
        let htsp = hts - hstd, hrsp = hrs - hsrd // Eq. (38a, b)
        let bulls = P526.bullington(
            distancesKm: d, heightsM: zeros, txHeightAmslM: htsp, rxHeightAmslM: hrsp,
            effectiveEarthRadiusKm: apKm, frequencyMHz: frequencyMHz, speedOfLightMPerS: c
        ).lossDB
        let dsph = ClearAirChain.sphericalEarthLossDB(
            distanceKm: d[d.count - 1] - d[0], txHeightM: htsp,
            rxHeightM: hrsp, apKm: apKm, frequencyGHz: frequencyMHz / 1000,
            polarization: polarization,
            seaFraction: seaFraction) // §4.2.2, Eq. (39a, b)
        let ld = ClearAirChain.deltaBullingtonLossDB(
            bullingtonActualDB: bulla, bullingtonSmoothDB: bulls,
            sphericalEarthDB: dsph) // Eq. (40)
        return (ld, bulla, bulls, dsph)
    }

    // §4.2.2 spherical-Earth diffraction with P.452's own constants (λ = 0.2998/f, 0.036, 21.88, 0.9575; P526 writes
    // the exact wavelength forms, 0.15–0.45 dB apart on the SG3 1 000 km path) is shared with P.1812:
    // Common/ClearAirChain/ClearAirDiffraction.swift.

    // MARK: - P.452-17 §4.5 terminal clutter (optional)

    /// A_h, P.452-17 §4.5.4 Eqs. (57)–(57a), for antenna height h (m agl), nominal clutter height h_a (m) and
    /// distance d_k (km); 0 when the antenna is above the clutter.
    public static func terminalClutterLossDB(
        frequencyGHz f: Double, antennaHeightM h: Double,
        clutter: TerminalClutter
    ) -> Double {
        guard clutter.nominalHeightM > h else { return 0 }
        let ffc = 0.25 + 0.375 * (1 + tanh(7.5 * (f - 0.5))) // Eq. (57a), F_fc
        return 10.25 * ffc * exp(-clutter.nominalDistanceKm)
            * (1 - tanh(6 * (h / clutter.nominalHeightM - 0.625))) - 0.33 // Eq. (57), A_h
    }

    // MARK: - Prediction

    /// Basic transmission loss not exceeded for p % of an average year, P.452-18 §4.
    public static func basicTransmissionLoss(_ input: Input) throws -> Result {
        var warnings = try validate(input)
        let f = input.frequencyGHz, p = input.timePercent

        // §3.2.1: zones on the full profile.
        let (dtm, dlm, omega) = input.distancesKm.withUnsafeBufferPointer { d in
            input.zones.withUnsafeBufferPointer { z in zoneStatistics(d: d, zones: z) }
        }
        if omega > 0 && (input.txCoastDistanceKm == nil || input.rxCoastDistanceKm == nil) {
            warnings.insert(.coastDistancesAssumedFar)
        }
        // β0 at the great-circle mid-point latitude, Eqs. (2)–(4).
        let dFull = input.distancesKm[input.distancesKm.count - 1]
        let phiM = greatCircleLatitudeDeg(
            fromLatDeg: input.txLatitudeDeg, fromLonDeg: input.txLongitudeDeg,
            toLatDeg: input.rxLatitudeDeg, toLonDeg: input.rxLongitudeDeg,
            distanceFromStartKm: dFull / 2)
        let b0 = beta0Percent(latitudeDeg: phiM, longestLandKm: dtm, longestInlandKm: dlm)
        // Eqs. (5), (6a), (6b).
        let ae = ClearAirChain.medianEarthRadiusKm(deltaN: input.deltaN) // a_e, km
        let ab = ClearAirChain.beta0EarthRadiusKm // a_β, km (k_β = 3)

        // Optional P.452-17 §4.5: terminal clutter losses and shortened profile.
        var d = input.distancesKm, h = input.heightsM
        var r = input.clutterHeightsM
        var htg = input.txHeightM, hrg = input.rxHeightM
        var aht = 0.0, ahr = 0.0
        if input.txClutter != nil || input.rxClutter != nil {
            var i1 = 0, i2 = d.count - 1
            if let c = input.txClutter, c.nominalHeightM > htg {
                aht = terminalClutterLossDB(frequencyGHz: f, antennaHeightM: htg, clutter: c)
                i1 = d.firstIndex { $0 >= c.nominalDistanceKm } ?? d.count - 1
                htg = c.nominalHeightM
            }
            if let c = input.rxClutter, c.nominalHeightM > hrg {
                ahr = terminalClutterLossDB(frequencyGHz: f, antennaHeightM: hrg, clutter: c)
                i2 = d.lastIndex { $0 <= dFull - c.nominalDistanceKm } ?? 0
                hrg = c.nominalHeightM
            }
            guard i2 - i1 >= 4 else {
                throw ModelInputError(
                    model: modelName, parameter: "clutter_nominal_distance_km",
                    value: (input.txClutter?.nominalDistanceKm ?? 0) + (input.rxClutter?.nominalDistanceKm ?? 0),
                    validRange: "leaving ≥ 3 profile points between the terminal clutter points")
            }
            if i1 > 0 || i2 < d.count - 1 {
                let d0 = d[i1]
                d = d[i1...i2].map { $0 - d0 }
                h = Array(h[i1...i2])
                r = r.map { Array($0[i1...i2]) }
            }
        }
        let n = d.count
        let dtot = d[n - 1] // d, km

        // g_i = h_i + R_i, but g_i = h_i within 50 m of either terminal (P.452-18 Attachment 2).
        var g = h
        if let r {
            for i in 0..<n where d[i] >= 0.05 && d[i] <= dtot - 0.05 { g[i] = h[i] + r[i] }
        }

        // Attachment 2 on the terrain heights.
        let geo = d.withUnsafeBufferPointer { db in
            h.withUnsafeBufferPointer { hb in
                analyseProfile(d: db, h: hb, txHeightM: htg, rxHeightM: hrg, aeKm: ae, frequencyGHz: f)
            }
        }
        let hts = h[0] + htg, hrs = h[n - 1] + hrg // h_ts, h_rs, m amsl

        // §4.1 line of sight. Free space over the 3-D distance, as the SG3 reference implementation.
        let rho = input.waterVapourDensityGPerM3 ?? (7.5 + 2.5 * omega) // Eq. (9a), ρ, g/m³
        let gamma = gaseousAttenuation(
            frequencyGHz: f, dryPressureHPa: input.pressureHPa,
            waterVapourDensityGPerM3: rho, temperatureC: input.temperatureC
        ).totalDBPerKm
        let dz = (hts - hrs) / 1000
        let d3 = (dtot * dtot + dz * dz).squareRoot() // km
        let ag = gamma * d3 // Eq. (9), A_g, dB
        let lbfsg = 92.4 + 20 * log10(f) + 20 * log10(d3) + ag // Eq. (8), L_bfsg
        let (esp, esb) = ClearAirChain.focusingCorrectionsDB(
            horizonDistancesKm: geo.dlt + geo.dlr, timePercent: p,
            beta0Percent: b0) // Eq. (10a, b), E_sp, E_sβ
        let lb0p = lbfsg + esp // Eq. (11), L_b0p
        let lb0b = lbfsg + esb // Eq. (12), L_b0β

        // §4.2 diffraction (§4.2.4: a_e for 50 %, a_β for β0 %, interpolated for p %).
        let fMHz = f * 1000
        let zeros = [Double](repeating: 0, count: n)
        let med = deltaBullington(
            d: d, g: g, zeros: zeros, hts: hts, hrs: hrs, hstd: geo.hstd, hsrd: geo.hsrd,
            apKm: ae, frequencyMHz: fMHz, polarization: input.polarization, seaFraction: omega)
        let ld50 = med.ld // L_d50
        var ldb = ld50, ldp = ld50, fiD = 0.0
        if p < 50 {
            ldb =
                deltaBullington(
                    d: d, g: g, zeros: zeros, hts: hts, hrs: hrs, hstd: geo.hstd, hsrd: geo.hsrd,
                    apKm: ab, frequencyMHz: fMHz, polarization: input.polarization,
                    seaFraction: omega
                ).ld // L_dβ
            fiD = p > b0 ? inverseCumulativeNormal(p / 100) / inverseCumulativeNormal(b0 / 100) : 1 // Eq. (41a, b)
            ldp = ld50 + fiD * (ldb - ld50) // Eq. (42), L_dp
        }
        let lbd50 = lbfsg + ld50 // Eq. (43), L_bd50
        let lbd = lb0p + ldp // Eq. (44), L_bd

        // §4.3 troposcatter (ρ = 3 g/m³ over d).
        let gamma3 = gaseousAttenuation(
            frequencyGHz: f, dryPressureHPa: input.pressureHPa,
            waterVapourDensityGPerM3: 3, temperatureC: input.temperatureC
        ).totalDBPerKm
        let lf = 25 * log10(f) - 2.5 * pow(log10(f / 2), 2) // Eq. (45a), L_f
        let lc = 0.051 * exp(0.055 * (input.txGainDBi + input.rxGainDBi)) // Eq. (45b), L_c
        let lbs =
            190 + lf + 20 * log10(dtot) + 0.573 * geo.theta - 0.15 * input.n0 + lc + gamma3 * dtot
            - 10.1 * pow(-log10(p / 50), 0.7) // Eq. (45), L_bs

        // §4.4 ducting/layer reflection.
        // Eq. (46): L_ba = A_f + A_d(p) + A_g, A_g over d with ρ of Eq. (9a); A_f + A_d(p) as P.1812 (shared).
        let lba =
            ClearAirChain.anomalousPropagationLossDB(
                .init(
                    frequencyGHz: f, timePercent: p, distanceKm: dtot, txHorizonDistanceKm: geo.dlt,
                    rxHorizonDistanceKm: geo.dlr, txHorizonAngleMrad: geo.thetaT, rxHorizonAngleMrad: geo.thetaR,
                    txCoastDistanceKm: input.txCoastDistanceKm, rxCoastDistanceKm: input.rxCoastDistanceKm,
                    txHeightAmslM: hts, rxHeightAmslM: hrs, txEffectiveHeightM: geo.hte, rxEffectiveHeightM: geo.hre,
                    terrainRoughnessM: geo.hm, longestInlandKm: dlm, seaFraction: omega, medianEarthRadiusKm: ae,
                    beta0Percent: b0)) + gamma * dtot

        // P.452-18 §4.5 (-17 §4.6) overall prediction.
        let fj = 1 - 0.5 * (1 + tanh(3 * 0.8 * (geo.stim - geo.str) / 0.3)) // Eq. (58), Θ = 0.3, ξ = 0.8
        let fk = ClearAirChain.pathLengthBlend(distanceKm: dtot) // Eq. (59), d_sw = 20, κ = 0.5
        let lminb0p = ClearAirChain.minimumLineOfSightSeaLossDB(
            lineOfSightDB: lb0p, lineOfSightBeta0DB: lb0b, diffractionDB: ldp, diffractionBasicMedianDB: lbd50,
            seaFraction: omega, timePercent: p, beta0Percent: b0,
            fi: { inverseCumulativeNormal(p / 100) / inverseCumulativeNormal(b0 / 100) }) // Eqs. (60), (41a)
        let eta = 2.5
        // Eq. (61), L_minbap = η ln(exp(L_ba/η) + exp(L_b0p/η)), written without overflow.
        let mx = max(lba, lb0p)
        let lminbap = mx + eta * log(exp((lba - mx) / eta) + exp((lb0p - mx) / eta))
        let lbda = ClearAirChain.diffractionDuctingLossDB(
            minimumDuctingDB: lminbap, diffractionBasicDB: lbd,
            pathLengthBlend: fk) // Eq. (62), L_bda
        let lbam = ClearAirChain.modifiedLossDB(
            diffractionDuctingDB: lbda, minimumLineOfSightSeaDB: lminb0p,
            angularBlend: fj) // Eq. (63), L_bam
        // Eq. (64): L_b = −5 log10(10^(−0.2 L_bs) + 10^(−0.2 L_bam)) (+ A_ht + A_hr, P.452-17), written stably.
        let mn = min(lbs, lbam)
        let lb = mn - 5 * log10(pow(10, -0.2 * (lbs - mn)) + pow(10, -0.2 * (lbam - mn))) + aht + ahr

        let path = PathParameters(
            distanceKm: dtot, effectiveEarthRadiusKm: ae, effectiveEarthRadiusBetaKm: ab,
            txHeightAmslM: hts, rxHeightAmslM: hrs, txHorizonAngleMrad: geo.thetaT, rxHorizonAngleMrad: geo.thetaR,
            angularDistanceMrad: geo.theta, txHorizonDistanceKm: geo.dlt, rxHorizonDistanceKm: geo.dlr,
            txSmoothSurfaceM: geo.hst, rxSmoothSurfaceM: geo.hsr,
            txSmoothSurfaceDiffractionM: geo.hstd, rxSmoothSurfaceDiffractionM: geo.hsrd,
            txEffectiveHeightM: geo.hte, rxEffectiveHeightM: geo.hre, terrainRoughnessM: geo.hm,
            longestLandSectionKm: dtm, longestInlandSectionKm: dlm, seaFraction: omega, beta0Percent: b0,
            pathCentreLatitudeDeg: phiM, txMaxSlopeMPerKm: geo.stim, directSlopeMPerKm: geo.str,
            pathType: geo.pathType)
        let comps = Components(
            freeSpaceAndGasesDB: lbfsg, gaseousAttenuationDB: ag, lineOfSightDB: lb0p, lineOfSightBeta0DB: lb0b,
            diffractionMedianDB: ld50, diffractionBetaDB: ldb, diffractionDB: ldp,
            sphericalEarthMedianDB: med.dsph, bullingtonActualMedianDB: med.bulla, bullingtonSmoothMedianDB: med.bulls,
            diffractionInterpolation: fiD, diffractionBasicMedianDB: lbd50, diffractionBasicDB: lbd,
            troposcatterDB: lbs, ductingDB: lba, minimumLineOfSightDB: lminb0p, minimumDuctingDB: lminbap,
            diffractionDuctingDB: lbda, modifiedDB: lbam, fj: fj, fk: fk, txClutterLossDB: aht, rxClutterLossDB: ahr)
        return Result(
            lossDB: lb, pathType: geo.pathType, components: comps, path: path,
            gaseousSpecificAttenuationDBPerKm: gamma, waterVapourDensityGPerM3: rho, warnings: warnings)
    }

    // MARK: - Input checks

    static func validate(_ input: Input) throws -> Warnings {
        let m = modelName
        let n = input.distancesKm.count
        guard n >= 4, input.heightsM.count == n, input.zones.count == n,
            input.clutterHeightsM.map({ $0.count == n }) ?? true
        else {
            throw ModelInputError(
                model: m, parameter: "profile_points", value: Double(n),
                validRange: "≥ 4 points; distances (\(n)), heights (\(input.heightsM.count)), zones "
                    + "(\(input.zones.count)) and clutter heights (\(input.clutterHeightsM?.count ?? n)) of equal count")
        }
        guard input.distancesKm[0] == 0 else {
            throw ModelInputError(model: m, parameter: "distance_km[0]", value: input.distancesKm[0], validRange: "0 (transmitter)")
        }
        for i in 1..<n where !(input.distancesKm[i] > input.distancesKm[i - 1]) || !input.distancesKm[i].isFinite {
            throw ModelInputError(
                model: m, parameter: "distance_km[\(i)]", value: input.distancesKm[i],
                validRange: "strictly increasing, > \(input.distancesKm[i - 1]) km")
        }
        for (i, h) in input.heightsM.enumerated() where !h.isFinite {
            throw ModelInputError(model: m, parameter: "height_m[\(i)]", value: h, validRange: "finite")
        }
        if let r = input.clutterHeightsM {
            for (i, v) in r.enumerated() where !(v >= 0) || !v.isFinite {
                throw ModelInputError(model: m, parameter: "clutter_height_m[\(i)]", value: v, validRange: "[0, ∞) m, finite")
            }
        }
        try ModelInputError.check(m, "frequency_ghz", input.frequencyGHz, 0.1, 50, unit: "GHz")
        try ModelInputError.check(m, "time_percent", input.timePercent, 0.001, 50, unit: "%")
        try ModelInputError.check(m, "tx_height_m", input.txHeightM, 0, 1e4, unit: "m")
        try ModelInputError.check(m, "rx_height_m", input.rxHeightM, 0, 1e4, unit: "m")
        try ClearAirChain.checkTerminalCoordinates(
            model: m, txLatitudeDeg: input.txLatitudeDeg,
            txLongitudeDeg: input.txLongitudeDeg,
            rxLatitudeDeg: input.rxLatitudeDeg,
            rxLongitudeDeg: input.rxLongitudeDeg, longitudeRangeDeg: -180...360)
        try ClearAirChain.checkDeltaN(model: m, input.deltaN)
        try ModelInputError.check(m, "n0", input.n0, 200, 500, unit: "N-units")
        try ModelInputError.check(m, "pressure_hpa", input.pressureHPa, 1, 1200, unit: "hPa")
        try ModelInputError.check(m, "temperature_c", input.temperatureC, -100, 60, unit: "°C")
        try ModelInputError.check(m, "tx_gain_dbi", input.txGainDBi, -50, 100, unit: "dBi")
        try ModelInputError.check(m, "rx_gain_dbi", input.rxGainDBi, -50, 100, unit: "dBi")
        try ClearAirChain.checkCoastDistances(model: m, txKm: input.txCoastDistanceKm, rxKm: input.rxCoastDistanceKm)
        if let v = input.waterVapourDensityGPerM3 {
            try ModelInputError.check(m, "water_vapour_density_g_per_m3", v, 0, 50, unit: "g/m³")
        }
        for (name, c) in [("tx", input.txClutter), ("rx", input.rxClutter)] {
            guard let c else { continue }
            try ModelInputError.check(m, "\(name)_clutter_nominal_height_m", c.nominalHeightM, 0, 1000, unit: "m")
            try ModelInputError.check(
                m, "\(name)_clutter_nominal_distance_km", c.nominalDistanceKm, 0,
                input.distancesKm[n - 1], unit: "km")
        }

        var w: Warnings = []
        if input.txHeightM == 0 || input.rxHeightM == 0 { w.insert(.zeroAntennaHeight) }
        if input.deltaN < 20 || input.deltaN > 120 || input.n0 < 250 || input.n0 > 420 { w.insert(.unusualRefractivity) }
        if input.distancesKm[n - 1] > 10_000 { w.insert(.longPath) }
        if input.clutterHeightsM != nil && (input.txClutter != nil || input.rxClutter != nil) {
            w.insert(.clutterCountedTwice)
        }
        let gsum = input.txGainDBi + input.rxGainDBi
        if gsum < 0 || gsum > 100 { w.insert(.unusualAntennaGains) }
        return w
    }
}

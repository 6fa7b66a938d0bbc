// ITU-R P.1546-6 Annex 5 §§2, 4–8: reading the tabulated curves and interpolating them in distance, h1,
// frequency and time percentage, and combining land and sea fields on mixed paths.
// Revision: P.1546-6 (08/2019). Left out here: nothing of §§4–8 except §4.3 case a) (see P1546.swift).
import Foundation

extension P1546 {

    // MARK: - §2 Maximum field strength

    /// Eq. (2): free-space field for 1 kW e.r.p., dB(µV/m).
    static func freeSpaceField(distanceKm d: Double) -> Double { 106.9 - 20 * log10(d) }

    /// Eq. (3): sea enhancement Ese, dB.
    static func seaEnhancement(distanceKm d: Double, timePercent t: Double) -> Double {
        2.38 * (1 - exp(-d / 8.94)) * log10(50 / t)
    }

    /// Eqs. (1a)(1b); for mixed paths linear interpolation between all-land and all-sea values on the sea fraction.
    static func maximumFieldMixed(distanceKm d: Double, seaKm: Double, timePercent t: Double) -> Double {
        freeSpaceField(distanceKm: d) + (seaKm / d) * seaEnhancement(distanceKm: d, timePercent: t)
    }

    // MARK: - Nominal values

    /// The nominal values bracketing `x` in the sorted `nominals`: equal values give (x, x); values beyond either
    /// end give the two end values (extrapolation), as required by §4.1 (h1 > 1 200 m), §5 and §6.
    static func bracket(_ nominals: [Double], _ x: Double) -> (lower: Double, upper: Double, lowerIndex: Int, upperIndex: Int) {
        let n = nominals.count
        if x > nominals[n - 1] { return (nominals[n - 2], nominals[n - 1], n - 2, n - 1) }
        if x < nominals[0] { return (nominals[0], nominals[1], 0, 1) }
        var hi = 0
        while nominals[hi] < x { hi += 1 }
        if nominals[hi] == x { return (x, x, hi, hi) }
        return (nominals[hi - 1], nominals[hi], hi - 1, hi)
    }

    static func table(path: CurvePath, frequencyMHz: Double, timePercent: Double) -> CurveTable {
        curveTables.first { $0.path == path && $0.frequencyMHz == frequencyMHz && $0.timePercent == timePercent }!
    }

    // MARK: - §5 distance

    /// Field strength of the curve for nominal height index `hIndex` at distance d (km ≥ 1): Eq. (13),
    /// E = Einf + (Esup − Einf)·log(d/dinf)/log(dsup/dinf).
    static func tabulated(_ table: CurveTable, hIndex: Int, distanceKm d: Double) -> Double {
        let b = bracket(nominalDistancesKm, d)
        let eInf = table.values[b.lowerIndex * 8 + hIndex]
        if b.lowerIndex == b.upperIndex { return eInf }
        let eSup = table.values[b.upperIndex * 8 + hIndex]
        return eInf + (eSup - eInf) * log10(d / b.lower) / log10(b.upper / b.lower) // Eq. (13)
    }

    // MARK: - §4 h1

    /// §4.3 Eq. (12): Ch1 = 6.03 − J(ν) with ν = Kν·θeff2, θeff2 = arctan(−h1/9000) (Eqs. (12b)(12c)).
    static func negativeHeightCorrection(h1M: Double, nominalFrequencyMHz fnom: Double) -> Double {
        let kNu: Double = fnom == 100 ? 1.35 : (fnom == 600 ? 3.31 : 6.00) // Kν for 100/600/2 000 MHz
        let thetaEff2 = atan(-h1M / 9000) * 180 / .pi // Eq. (12c), degrees
        let nu = kNu * thetaEff2 // Eq. (12b)
        return 6.03 - knifeEdgeJ(nu) // Eq. (12)
    }

    /// Field strength for one curve family (nominal f, t, path) at h1 and distance d (Annex 6 step 8).
    static func fieldForHeight(
        _ table: CurveTable, h1M h1: Double, distanceKm d: Double,
        frequencyMHz f: Double, timePercent t: Double, emax: Double
    ) -> Double {
        if h1 >= 10 {
            // §4.1 Eq. (8): interpolation (or extrapolation above 1 200 m from 600/1 200 m) in log h1.
            let b = bracket(nominalHeightsM, h1)
            let eInf = tabulated(table, hIndex: b.lowerIndex, distanceKm: d)
            var e = eInf
            if b.lowerIndex != b.upperIndex {
                let eSup = tabulated(table, hIndex: b.upperIndex, distanceKm: d)
                e = eInf + (eSup - eInf) * log10(h1 / b.lower) / log10(b.upper / b.lower)
            }
            return min(e, emax) // §4.1: limit to Emax
        }
        let fnom = table.frequencyMHz
        let e10 = tabulated(table, hIndex: 0, distanceKm: d) // E10(d)
        let e20 = tabulated(table, hIndex: 1, distanceKm: d) // E20(d)
        let c1020 = e10 - e20 // Eq. (9b)
        let ch1neg10 = negativeHeightCorrection(h1M: -10, nominalFrequencyMHz: fnom)
        let eZero = e10 + 0.5 * (c1020 + ch1neg10) // Eq. (9a)
        if table.path == .land {
            if h1 >= 0 {
                return eZero + 0.1 * h1 * (e10 - eZero) // §4.2 Eq. (9)
            }
            // §4.3 case b): field for h1 = 0 plus Ch1 (Eq. (12)).
            return eZero + negativeHeightCorrection(h1M: h1, nominalFrequencyMHz: fnom)
        }
        // §4.2 sea paths, 1 m ≤ h1 < 10 m. D06 with the nominal frequency (Eq. (10a), (10b)).
        let dh1 = d06(frequencyMHz: fnom, h1M: h1, h2M: 10) // Eq. (10a)
        let d20 = d06(frequencyMHz: fnom, h1M: 20, h2M: 10) // Eq. (10b)
        if d <= dh1 { return emax } // Eq. (11a)
        if d < d20 {
            // Eq. (11b): EDh1 + (ED20 − EDh1)·log(d/Dh1)/log(D20/Dh1)
            let e10D20 = tabulated(table, hIndex: 0, distanceKm: max(d20, 1))
            let e20D20 = tabulated(table, hIndex: 1, distanceKm: max(d20, 1))
            let eD20 = e10D20 + (e20D20 - e10D20) * log10(h1 / 10) / log10(20.0 / 10)
            let eDh1 = freeSpaceField(distanceKm: dh1) + seaEnhancement(distanceKm: dh1, timePercent: t)
            return eDh1 + (eD20 - eDh1) * log10(d / dh1) / log10(d20 / dh1)
        }
        // Eq. (11c): E′(1 − Fs) + E″·Fs, Fs = (d − D20)/d.
        let ePrime = e10 + (e20 - e10) * log10(h1 / 10) / log10(20.0 / 10)
        let eDoublePrime = eZero + 0.1 * h1 * (e10 - eZero) // Eq. (9)
        let fs = (d - d20) / d
        return ePrime * (1 - fs) + eDoublePrime * fs
    }

    // MARK: - §6 frequency

    /// Annex 6 steps 7–9 for one nominal time percentage: interpolate/extrapolate in log f, Eq. (14).
    static func fieldForFrequency(
        path: CurvePath, h1M h1: Double, distanceKm d: Double,
        frequencyMHz f: Double, nominalTime tn: Double, timePercent t: Double,
        emax: Double
    ) -> Double {
        let b = bracket([100, 600, 2000], f)
        func at(_ fn: Double) -> Double {
            fieldForHeight(
                table(path: path, frequencyMHz: fn, timePercent: tn), h1M: h1, distanceKm: d,
                frequencyMHz: f, timePercent: t, emax: emax)
        }
        let eInf = at(b.lower)
        if b.lowerIndex == b.upperIndex { return eInf }
        let eSup = at(b.upper)
        var e = eInf + (eSup - eInf) * log10(f / b.lower) / log10(b.upper / b.lower) // Eq. (14)
        if f > 2000 { e = min(e, emax) } // §6: extrapolation above 2 000 MHz limited to Emax
        return e
    }

    /// The curve family for a zone type and nominal time: 50 % sea curves serve cold and warm sea alike.
    static func curvePath(_ zone: ZoneType, nominalTime tn: Double) -> CurvePath {
        switch zone {
        case .land: return .land
        case .coldSea: return tn == 50 ? .sea : .coldSea
        case .warmSea: return tn == 50 ? .sea : .warmSea
        }
    }

    // MARK: - §7 time

    /// Annex 6 steps 6–10 for one propagation type over the whole distance d (km ≥ 1).
    static func curveField(
        zone: ZoneType, h1M h1: Double, distanceKm d: Double, frequencyMHz f: Double,
        timePercent t: Double, emax: Double
    ) -> Double {
        let b = bracket([1, 10, 50], t)
        func at(_ tn: Double) -> Double {
            let path = curvePath(zone, nominalTime: tn)
            if zone.isSea && f < 100 {
                // §6 Eqs. (15a)(15b): sea paths below 100 MHz, when d < D06(600, h1, 10).
                let d600 = d06(frequencyMHz: 600, h1M: h1, h2M: 10)
                if d < d600 {
                    let df = d06(frequencyMHz: f, h1M: h1, h2M: 10)
                    if d <= df { return emax } // Eq. (15a)
                    let edf = freeSpaceField(distanceKm: df) + seaEnhancement(distanceKm: df, timePercent: t)
                    let emax600 = freeSpaceField(distanceKm: d600) + seaEnhancement(distanceKm: d600, timePercent: t)
                    let ed600 = fieldForFrequency(
                        path: path, h1M: h1, distanceKm: max(d600, 1), frequencyMHz: f,
                        nominalTime: tn, timePercent: t, emax: emax600)
                    return edf + (ed600 - edf) * log10(d / df) / log10(d600 / df) // Eq. (15b)
                }
            }
            return fieldForFrequency(
                path: path, h1M: h1, distanceKm: d, frequencyMHz: f,
                nominalTime: tn, timePercent: t, emax: emax)
        }
        let eInf = at(b.lower)
        if b.lowerIndex == b.upperIndex { return eInf }
        let eSup = at(b.upper)
        // Eq. (16): E = Esup(Qinf − Qt)/(Qinf − Qsup) + Einf(Qt − Qsup)/(Qinf − Qsup)
        let qInf = qi(b.lower / 100), qSup = qi(b.upper / 100), qT = qi(t / 100)
        return eSup * (qInf - qT) / (qInf - qSup) + eInf * (qT - qSup) / (qInf - qSup)
    }

    // MARK: - §8 mixed paths

    /// Eqs. (17)–(21): E = (1 − A)·Eland + A·Esea, A = A0^V, A0 = 1 − (1 − Fsea)^(2/3), V = max(1, 1 + Δ/40),
    /// Δ = Esea − Eland (both for the whole path length).
    static func mixedPathField(eLand: Double, eSea: Double, landKm: Double, seaKm: Double) -> Double {
        let fSea = seaKm / (landKm + seaKm) // sea fraction
        let delta = eSea - eLand // Δ
        let v = max(1.0, 1.0 + delta / 40) // V
        let a0 = 1 - pow(1 - fSea, 2.0 / 3.0) // A0
        let a = pow(a0, v) // A
        return (1 - a) * eLand + a * eSea // Eq. (17)
    }
}

// ITM 1.2.2: the part of a prediction that depends on the parameters alone, prepared once for many paths.
//
// A caller with one set of parameters for many profiles (a coverage sector, a batch without setting columns)
// validates them, takes the terms of QLRPS, ADIFF, ASCAT and AVAR that depend only on the frequency, ground,
// climate and mode of variability, and the three standard normal deviates (QERFI), once. Every expression is the
// one the per-call path evaluated, on the same operands, so results are the same to the last bit; errors keep
// NTIA's order (the ground-impedance check, which the Algorithm makes after the N_s checks of the path, is
// recorded here and thrown at the same point of each call).
import Foundation

extension ITM {
    /// Parameters validated and their path-independent terms computed, for `pointToPoint(elevationsM:spacingM:_:)`
    /// and `pointToPointLoss(elevationsM:spacingM:_:)`.
    public struct Prepared: Sendable {
        public let parameters: Parameters
        /// Warnings that depend on the parameters alone (heights, frequency).
        let warnings: Warnings
        let waveNumberPerM: Double // k = f/47.7 MHz·m, 1/m
        let zg: ITMComplex // Z_g
        /// Re(Z_g) ≤ |Im(Z_g)|: an error thrown after the path's N_s checks. (A flag, not the error itself: without
        /// its strings the struct is plain data, copied per call without reference counting.)
        let groundInvalid: Bool
        let fCbrt: Double // f^(1/3), f in MHz
        let lnF: Double // ln f, f in MHz
        let freeSpaceAtOneKmDB: Double // 32.45 + 20 log10 f, dB
        let variability: ITMVariability.Settings
        let zt: Double, zl: Double, zc: Double // standard normal deviates of time, location, situation

        /// Validates `p` (NTIA's ranges, order and error codes) and prepares its path-independent terms.
        public init(_ p: Parameters) throws {
            parameters = p
            warnings = try ITM.validate(p)
            let k = p.frequencyMHz / 47.7 // k = f/f_0, f_0 = 47.7 MHz·m; 1/m
            waveNumberPerM = k
            // Z_g = √(ε_r' − 1), ε_r' = ε_r + i Z_0 σ/k; vertical: Z_g/ε_r' (Algorithm §3). Z_0σ/k is taken as
            // 18000 σ/f_MHz, as NTIA's reference release (C++ ITM 1.2.2) evaluates it (60 λ σ of ITU-R P.527 with c
            // rounded); the FORTRAN's 376.62 σ/k is 0.2 % smaller, which moved line-of-sight losses by ~0.01 dB.
            let epsC = ITMComplex(re: p.relativePermittivity, im: 18000 * p.conductivitySPerM / p.frequencyMHz)
            var zg = (epsC - ITMComplex(re: 1, im: 0)).squareRoot()
            if p.polarization == .vertical { zg = zg / epsC }
            self.zg = zg
            groundInvalid = zg.re <= abs(zg.im)
            fCbrt = cbrt(p.frequencyMHz)
            lnF = log(p.frequencyMHz)
            freeSpaceAtOneKmDB = 32.45 + 20 * log10(p.frequencyMHz)
            variability = ITMVariability.Settings(waveNumberPerM: k, climate: p.climate, mdvar: p.mdvar)
            switch p.variability {
            case let .timeLocationSituation(t, l, s):
                zt = ITMVariability.inverseComplementaryNormal(t / 100)
                zl = ITMVariability.inverseComplementaryNormal(l / 100)
                zc = ITMVariability.inverseComplementaryNormal(s / 100)
            case let .confidenceReliability(c, r):
                // Reliability stands for time and location, confidence for situations.
                zt = ITMVariability.inverseComplementaryNormal(r / 100)
                zl = zt
                zc = ITMVariability.inverseComplementaryNormal(c / 100)
            }
        }

        /// QLRPS for a path whose N_s is taken at `systemElevationM`: surface refractivity, effective earth
        /// curvature, and the prepared ground impedance (Algorithm §3).
        func setup(systemElevationM: Double, warnings: inout Warnings) throws -> ITMSetup {
            // N_s = N_0 exp(−z_s/z_1), z_1 = 9460 m (Algorithm §3, QLRPS), N-units; z_s = 0 in area mode
            let ns = parameters.surfaceRefractivityN0 * exp(-systemElevationM / 9460)
            if ns < 150 { throw ITM.error("N_s (from N_0 and mean terrain height)", ns, "[150, 400] N-units", .surfaceRefractivitySmall) }
            if ns > 400 { throw ITM.error("N_s (from N_0 and mean terrain height)", ns, "[150, 400] N-units", .surfaceRefractivityLarge) }
            if ns < 250 { warnings.insert(.surfaceRefractivity) }
            // γ_e = γ_a (1 − 0.04665 exp(N_s/N_1)), γ_a = 157e-9 1/m, N_1 = 179.3 N-units (Algorithm §3), 1/m
            let gammaE = 157e-9 * (1 - 0.04665 * exp(ns / 179.3))
            if !(gammaE >= 75e-9 && gammaE <= 250e-9) {
                throw ITM.error("γ_e (effective earth curvature, 1/m)", gammaE, "[75e-9, 250e-9] 1/m", .effectiveEarth)
            }
            if groundInvalid {
                throw ITM.error("ground impedance Re(Z_g) − |Im(Z_g)|", zg.re - abs(zg.im), "> 0", .groundImpedance)
            }
            return ITMSetup(
                frequencyMHz: parameters.frequencyMHz, waveNumberPerM: waveNumberPerM, ns: ns, gammaE: gammaE, zg: zg,
                fCbrt: fCbrt, lnF: lnF)
        }
    }
}

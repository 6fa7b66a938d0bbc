// The usable field strength E_u at a location (ITU-R BS.638 definition; methods of Report ITU-R BS.945 and EBU
// Tech 3236, as used by the GE84 and GE06 plans): the wanted field that a receiver needs there given noise and
// every interferer.
//
// Nuisance field of interferer i: N_i = E_i + A_i, E_i its field (dBµV/m, at 1 % of time for tropospheric
// interference) and A_i the protection ratio at its frequency offset from the wanted channel.
//
//  - Power sum: E_u = 10 log10(10^(E_min/10) + Σ 10^(N_i/10)).
//  - Simplified multiplication method (SMM): the wanted field and each nuisance field vary over locations
//    log-normally with the same σ, independently. The probability that a location is served when the wanted
//    median field is E is taken as the product of the probabilities of beating each term alone:
//        p(E) = Φ((E − E_min)/σ) · Π_i Φ((E − N_i)/(σ√2))
//    (the difference of two independent normals has σ√2; E_min does not vary). E_u is the E with p(E) = p_ref,
//    p_ref = Φ(0) = 0.5 by default, the coverage probability of a service limited by noise alone at E = E_min.
//    p(E) increases with E, so E_u is found by bisection (to 1e-9 dB).
import Foundation

public enum UsableField {
    /// The power sum of the minimum field and the nuisance fields, dB(µV/m).
    public static func powerSum(minimumDBuVm: Double, nuisanceDBuVm: [Double]) -> Double {
        DB.powerSum([minimumDBuVm] + nuisanceDBuVm)
    }

    /// The coverage probability p(E) of the simplified multiplication method (see the file header).
    public static func smmProbability(wantedDBuVm e: Double, minimumDBuVm: Double, nuisanceDBuVm: [Double], sigmaDB σ: Double) -> Double {
        var p = Normal.cdf((e - minimumDBuVm) / σ)
        let σi = σ * 2.0.squareRoot()
        for n in nuisanceDBuVm { p *= Normal.cdf((e - n) / σi) }
        return p
    }

    /// E_u by the simplified multiplication method, dB(µV/m): the wanted field whose coverage probability equals
    /// `referenceProbability` (default 0.5).
    public static func simplifiedMultiplication(
        minimumDBuVm: Double, nuisanceDBuVm: [Double], sigmaDB: Double, referenceProbability: Double = 0.5
    ) -> Double {
        let top = ([minimumDBuVm] + nuisanceDBuVm).max()!
        var lo = minimumDBuVm - 10 * sigmaDB, hi = top + 20 * sigmaDB
        while smmProbability(wantedDBuVm: hi, minimumDBuVm: minimumDBuVm, nuisanceDBuVm: nuisanceDBuVm, sigmaDB: sigmaDB) < referenceProbability {
            hi += 10 * sigmaDB
        }
        while hi - lo > 1e-9 {
            let mid = (lo + hi) / 2
            if smmProbability(wantedDBuVm: mid, minimumDBuVm: minimumDBuVm, nuisanceDBuVm: nuisanceDBuVm, sigmaDB: sigmaDB) < referenceProbability {
                lo = mid
            } else {
                hi = mid
            }
        }
        return (lo + hi) / 2
    }

    /// The method of combining nuisance fields.
    public enum Method: String, Sendable, CaseIterable, Codable {
        case powerSum = "power-sum", smm

        public func usableDBuVm(minimumDBuVm: Double, nuisanceDBuVm: [Double], sigmaDB: Double) -> Double {
            switch self {
            case .powerSum: return UsableField.powerSum(minimumDBuVm: minimumDBuVm, nuisanceDBuVm: nuisanceDBuVm)
            case .smm: return UsableField.simplifiedMultiplication(minimumDBuVm: minimumDBuVm, nuisanceDBuVm: nuisanceDBuVm, sigmaDB: sigmaDB)
            }
        }
    }
}

// Field strength as a metric: conversions between field strength (dBµV/m), received power (dBm) and basic
// transmission loss, per Recommendation ITU-R P.525-4 §2 (free-space relations between E, the power flux-density
// and the power at a receiving antenna), and ERP versus EIRP.
//
//   Power at the port of a receiving antenna of gain G_r (dBi) in a field E (dBµV/m) at f (MHz):
//     P_r(dBm) = E − 20 log10 f − 77.213 + G_r       (P.525 Eq. for P_r with f in GHz: E − 20 log f − 167.2 dBW)
//   the constant being 10 log10(480 π²) + 120 − 20 log10(300) − 30 = 77.2130 dB (a half-wave dipole adds
//   2.15 dB: G_r = 2.15 dBi).
//   Field strength of a transmitter of EIRP P_t (dBW) over a path of basic transmission loss L_b:
//     E = P_t − L_b + 20 log10 f + 107.2130.
//   ERP is referred to a half-wave dipole, EIRP to an isotropic antenna: EIRP = ERP + 2.15 dB.
//
// ITU-R P.1546 defines its field strength for 1 kW ERP and converts to basic transmission loss with the rounded
// constant of its Annex 5 §17, L_b = 139.3 − E + 20 log10 f; a loss that came from P.1546 is converted back with
// the same constant (`LossConvention.p1546`), so that P.1546's field strengths are reproduced exactly.
import Foundation

public enum FieldStrength {
    /// EIRP − ERP, dB: the gain of a half-wave dipole over an isotropic antenna.
    public static let dipoleGainDBi = 2.15
    /// 10 log10(480 π²) + 120 − 20 log10(300) − 30: P_r(dBm) = E − 20 log f(MHz) − this + G_r (P.525).
    public static let powerConstantDB = 10 * log10(480 * Double.pi * Double.pi) + 120 - 20 * log10(300) - 30

    /// How a basic transmission loss was defined by its model.
    public enum LossConvention: String, Sendable, Codable {
        /// ITU-R P.525: E = EIRP(dBW) − L_b + 20 log f + 107.2130 (every model but P.1546).
        case p525
        /// ITU-R P.1546-6 Annex 5 §17: L_b = 139.3 − E(1 kW ERP) + 20 log f.
        case p1546
    }

    /// Received power (dBm) at an antenna of gain `rxGainDBi` in a field of `fieldDBuVm`.
    @inlinable public static func powerDBm(fieldDBuVm e: Double, frequencyMHz f: Double, rxGainDBi g: Double = 0) -> Double {
        e - 20 * log10(f) - powerConstantDB + g
    }

    /// Field strength (dBµV/m) that gives `powerDBm` at the port of an antenna of gain `rxGainDBi`.
    @inlinable public static func fieldDBuVm(powerDBm p: Double, frequencyMHz f: Double, rxGainDBi g: Double = 0) -> Double {
        p + 20 * log10(f) + powerConstantDB - g
    }

    /// Field strength (dBµV/m) of a transmitter of EIRP `eirpDBW` over a path of basic transmission loss `lossDB`.
    @inlinable public static func fieldDBuVm(
        basicLossDB lossDB: Double, eirpDBW: Double, frequencyMHz f: Double, convention: LossConvention = .p525
    ) -> Double {
        eirpDBW - lossDB + 20 * log10(f) + offsetDB(convention)
    }

    /// E − (EIRP(dBW) − L_b + 20 log f): 107.2130 dB (P.525) or 139.3 − 30 − 2.15 = 107.15 dB (P.1546 §17).
    @inlinable public static func offsetDB(_ convention: LossConvention) -> Double {
        switch convention {
        case .p525: return powerConstantDB + 30
        case .p1546: return 139.3 - 30 - dipoleGainDBi
        }
    }
}

/// A radiated power stated with its reference: ERP (half-wave dipole) or EIRP (isotropic).
public struct RadiatedPower: Sendable, Equatable, Codable {
    public enum Reference: String, Sendable, Codable { case erp, eirp }
    public var dBW: Double
    public var reference: Reference

    public init(dBW: Double, _ reference: Reference) { self.dBW = dBW; self.reference = reference }
    public static func erp(dBW: Double) -> RadiatedPower { RadiatedPower(dBW: dBW, .erp) }
    public static func eirp(dBm: Double) -> RadiatedPower { RadiatedPower(dBW: dBm - 30, .eirp) }

    public var eirpDBW: Double { reference == .eirp ? dBW : dBW + FieldStrength.dipoleGainDBi }
    public var erpDBW: Double { reference == .erp ? dBW : dBW - FieldStrength.dipoleGainDBi }
    public var eirpDBm: Double { eirpDBW + 30 }
    /// ERP in kW (as broadcast licences state it).
    public var erpKW: Double { pow(10, erpDBW / 10) / 1000 }
}

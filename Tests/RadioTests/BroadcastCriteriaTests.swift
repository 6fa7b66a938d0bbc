// Field-strength conversions, broadcasting criteria and the usable field strength.
import Foundation
import XCTest
@testable import Radio

final class BroadcastCriteriaTests: XCTestCase {

    /// ITU-R P.525: P_r(dBm) = E − 20 log f − 77.2130 + G_r. Hand values: 60 dBµV/m at 100 MHz on a half-wave
    /// dipole (2.15 dBi): 60 − 40 − 77.2130 + 2.15 = −55.0630 dBm; back again for any gain.
    func testFieldStrengthPowerConversions() {
        XCTAssertEqual(FieldStrength.powerConstantDB, 77.2130, accuracy: 1e-4)
        XCTAssertEqual(FieldStrength.powerDBm(fieldDBuVm: 60, frequencyMHz: 100, rxGainDBi: 2.15), -55.0630, accuracy: 1e-4)
        for g in [-10.0, 0, 2.15, 12] {
            let p = FieldStrength.powerDBm(fieldDBuVm: 71.3, frequencyMHz: 650, rxGainDBi: g)
            XCTAssertEqual(FieldStrength.fieldDBuVm(powerDBm: p, frequencyMHz: 650, rxGainDBi: g), 71.3, accuracy: 1e-12)
        }
        // Free space (P.525 Eq. 4): E = EIRP(dBW) − 20 log d(km) + 74.77 for EIRP in dBW (P.525 prints 74.8); with L_bf = 32.45 +
        // 20 log f + 20 log d the loss route gives the same: 107.2130 − 32.4478 = 74.7652.
        let lbf = 32.4478 + 20 * log10(100.0) + 20 * log10(10.0)
        XCTAssertEqual(FieldStrength.fieldDBuVm(basicLossDB: lbf, eirpDBW: 30, frequencyMHz: 100), 30 - 20 + 74.7652, accuracy: 1e-3)
        // ERP and EIRP: 2.15 dB apart; 1 kW ERP = 30 dBW ERP = 32.15 dBW EIRP = 62.15 dBm EIRP.
        XCTAssertEqual(RadiatedPower.erp(dBW: 30).eirpDBm, 62.15, accuracy: 1e-12)
        XCTAssertEqual(RadiatedPower.eirp(dBm: 62.15).erpKW, 1, accuracy: 1e-12)
    }

    /// BS.412 minimum fields at 50 % of locations need no correction; DVB-T2 fixed reception at 95 % adds
    /// µ·σ = 1.6449 × 5.5 = 9.047 dB. E_min for fixed reception by the BT.2033 Appendix 1 arithmetic at 650 MHz:
    /// P_n = 6 + 10 log(1.38e-23 × 290 × 7.77e6) = 6 − 135.07 = −129.07 dBW; P_s,min = 20 − 129.07 = −109.07 dBW;
    /// λ = 0.46122 m, A_a = 11 + 10 log(1.64 × 0.46122² / 4π) = 11 − 15.57 = −4.57 dBm²;
    /// φ_min = −109.07 + 4.57 + 4 = −100.50 dBW/m²; E_min = −100.50 + 145.76 = 45.26 dB(µV/m); E_med = 54.30.
    func testMinimumFieldsAndLocationCorrection() throws {
        let c = BroadcastCriteria.defaults
        XCTAssertEqual(c.minimumField(service: "broadcast_fm", reception: "stereo_rural")?.medianDBuVm ?? 0, 54, accuracy: 1e-9)
        XCTAssertEqual(c.minimumField(service: "broadcast_fm", reception: "mono_large_city")?.medianDBuVm ?? 0, 70, accuracy: 1e-9)
        XCTAssertEqual(Normal.quantile(0.95), 1.6449, accuracy: 1e-4)
        let fixed = try XCTUnwrap(c.minimumField(service: "broadcast_tv", reception: "fixed"))
        XCTAssertEqual(fixed.fieldDBuVm, 45.26, accuracy: 0.01)
        XCTAssertEqual(fixed.locationCorrectionDB, 9.047, accuracy: 0.001)
        XCTAssertEqual(fixed.medianDBuVm, 54.30, accuracy: 0.01)
        let indoor = try XCTUnwrap(c.minimumField(service: "broadcast_tv", reception: "portable_indoor"))
        XCTAssertEqual(indoor.sigmaDB, (5.5 * 5.5 + 36).squareRoot(), accuracy: 1e-12)
        XCTAssertGreaterThan(indoor.medianDBuVm, fixed.medianDBuVm + 25)
    }

    func testProtectionRatiosByOffset() {
        let c = BroadcastCriteria.defaults
        XCTAssertEqual(c.protectionRatioDB(victim: "broadcast_fm", interferer: "broadcast_fm", victimMHz: 98.5, interfererMHz: 98.5), 37)
        XCTAssertEqual(c.protectionRatioDB(victim: "broadcast_fm", interferer: "broadcast_fm", victimMHz: 98.5, interfererMHz: 98.7), 7)
        XCTAssertEqual(c.protectionRatioDB(victim: "broadcast_fm", interferer: "broadcast_fm", victimMHz: 98.5, interfererMHz: 98.3), 7)
        XCTAssertEqual(
            c.protectionRatioDB(victim: "broadcast_fm", interferer: "broadcast_fm", victimMHz: 98.5, interfererMHz: 98.6, kind: .steady), 33)
        XCTAssertNil(c.protectionRatioDB(victim: "broadcast_fm", interferer: "broadcast_fm", victimMHz: 98.5, interfererMHz: 99.0))
        XCTAssertEqual(c.protectionRatioDB(victim: "broadcast_tv", interferer: "broadcast_tv", victimMHz: 602, interfererMHz: 610), -28)
        XCTAssertNil(c.protectionRatioDB(victim: "broadcast_tv", interferer: "broadcast_fm", victimMHz: 602, interfererMHz: 98.5))
    }

    /// The hand-worked example. A stereo FM receiver in a rural area: E_min = 54 dBµV/m (BS.412), σ = 8.3 dB.
    /// Three interferers, fields at 1 % of time, protection ratios from BS.412 (tropospheric, stereo):
    ///   I1  40 dBµV/m, co-channel (0 kHz):   A = 37 dB  → N1 = 77 dBµV/m
    ///   I2  50 dBµV/m, 200 kHz offset:       A =  7 dB  → N2 = 57 dBµV/m
    ///   I3  75 dBµV/m, 400 kHz offset:       A = −20 dB → N3 = 55 dBµV/m
    /// Power sum: 10^5.4 + 10^7.7 + 10^5.7 + 10^5.5 = 251,189 + 50,118,723 + 501,187 + 316,228 = 51,187,327;
    ///   E_u = 10 log10(51,187,327) = 77.09 dBµV/m.
    /// Simplified multiplication: σ√2 = 11.738 dB; at E = 77.99:
    ///   Φ((77.99 − 54)/8.3)    = Φ(2.890) = 0.99807
    ///   Φ((77.99 − 77)/11.738) = Φ(0.084) = 0.53354
    ///   Φ((77.99 − 57)/11.738) = Φ(1.788) = 0.96311
    ///   Φ((77.99 − 55)/11.738) = Φ(1.958) = 0.97491
    ///   product 0.99807 × 0.53354 × 0.96311 × 0.97491 = 0.5000 = Φ(0): E_u = 77.99 dBµV/m.
    func testUsableFieldHandWorkedExample() throws {
        let c = BroadcastCriteria.defaults
        let emin = try XCTUnwrap(c.minimumField(service: "broadcast_fm", reception: "stereo_rural")).medianDBuVm
        let wanted = 98.5
        let interferers: [(field: Double, mhz: Double)] = [(40, 98.5), (50, 98.7), (75, 98.9)]
        let nuisance = interferers.map { i in
            i.field + c.protectionRatioDB(victim: "broadcast_fm", interferer: "broadcast_fm", victimMHz: wanted, interfererMHz: i.mhz)!
        }
        XCTAssertEqual(nuisance, [77, 57, 55])
        let ps = UsableField.powerSum(minimumDBuVm: emin, nuisanceDBuVm: nuisance)
        let smm = UsableField.simplifiedMultiplication(minimumDBuVm: emin, nuisanceDBuVm: nuisance, sigmaDB: 8.3)
        print(String(format: "usable field, hand-worked example: power sum %.4f dBµV/m (hand 77.09), SMM %.4f dBµV/m (hand 77.99)", ps, smm))
        XCTAssertEqual(ps, 77.09, accuracy: 0.1)
        XCTAssertEqual(smm, 77.99, accuracy: 0.1)
        // The hand product at 77.99 is one half (0.99807 × 0.53354 × 0.96311 × 0.97491).
        XCTAssertEqual(0.99807 * 0.53354 * 0.96311 * 0.97491, 0.5, accuracy: 1e-4)
        XCTAssertEqual(UsableField.smmProbability(wantedDBuVm: 77.99, minimumDBuVm: 54, nuisanceDBuVm: nuisance, sigmaDB: 8.3), 0.5, accuracy: 1e-4)
        // With no interferer both methods give E_min; the SMM is never below the power sum's strongest term here.
        XCTAssertEqual(UsableField.simplifiedMultiplication(minimumDBuVm: 54, nuisanceDBuVm: [], sigmaDB: 8.3), 54, accuracy: 1e-6)
        XCTAssertEqual(UsableField.powerSum(minimumDBuVm: 54, nuisanceDBuVm: []), 54, accuracy: 1e-12)
    }
}

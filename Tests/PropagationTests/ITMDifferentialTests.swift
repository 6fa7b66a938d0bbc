// Differential test of ITM (Sources/Propagation/ITM) against NTIA's own C++ ITM 1.2.2 on 2,350 real-terrain
// profiles (Tests/Fixtures/propagation/itm/differential, README.md there: source, licence, how paths.csv was split).
//
// Every valid row must agree with NTIA's basic transmission loss within 0.01 dB and carry NTIA's warning bits
// exactly; every invalid row must be rejected with NTIA's error code and give no loss. tanso's own warning bit
// (0x8000, reference attenuation undefined, where NTIA silently returns A_ref = 0) is allowed only on rows where
// NTIA's A_ref is 0. The tolerance is the one
// the issue sets: NTIA's losses are written with 6 decimals, so the rounding of the reference is far below it.
// The intermediates (mode, Δh, N_s, h_e, d_hzn, θ_hzn, A_ref, A_fs) are compared within the precision they are
// written with (half a unit in the last decimal) plus a relative 1e-9, which leaves room for the last-bit
// rounding of sums taken in another order, and nothing more.
//
// The fixture is read from the repository; when it is missing the tests fail (they do not skip).
import Foundation
import XCTest
@testable import Propagation
import TestSupport

final class ITMDifferentialTests: XCTestCase {
    private static let loaded: Result<ITMDifferentialData.ReferenceSet, Error> = Result { try ITMDifferentialData.load() }

    private func data() throws -> ITMDifferentialData.ReferenceSet { try Self.loaded.get() }

    /// NTIA's call on one row: the parameters (throwing NTIA's error for an invalid climate or polarization).
    static func parameters(_ p: ITMDifferentialData.Path) throws -> ITM.Parameters {
        ITM.Parameters(
            frequencyMHz: p.frequencyMHz, txHeightM: p.txHeightM, rxHeightM: p.rxHeightM,
            polarization: try ITM.Polarization(code: p.polarizationCode),
            climate: try ITM.Climate(code: p.climateCode), surfaceRefractivityN0: p.n0,
            relativePermittivity: p.permittivity, conductivitySPerM: p.conductivitySPerM, mdvar: p.mdvar,
            timePct: p.timePct, locationPct: p.locationPct, situationPct: p.situationPct)
    }

    enum Outcome {
        case loss(ITM.Result)
        case error(Int?)
    }

    /// The buffer entry point (the kernel every caller ends in: `tanso pathloss`, the coverage engine, conflicts).
    static func run(_ p: ITMDifferentialData.Path) -> Outcome {
        do {
            let params = try parameters(p)
            let r = try p.elevationsM.withUnsafeBufferPointer {
                try ITM.pointToPoint(elevationsM: $0, spacingM: p.spacingM, params)
            }
            return .loss(r)
        } catch let e as ModelInputError {
            return .error(e.code)
        } catch {
            return .error(nil)
        }
    }

    // MARK: - Loss, warnings, error codes

    func testEveryRowAgreesWithNTIA() throws {
        let set = try data()
        XCTAssertEqual(set.paths.count, 2350, "rows in paths-*.csv")
        let toleranceDB = 0.01
        var diffs: [(id: Int, diff: Double)] = []
        var valid = 0, invalid = 0, warningMismatches = 0, errorMismatches = 0, undefinedRows: [Int] = []
        var failures: [String] = []
        for p in set.paths {
            let e = set.expected[p.id]!
            switch (e.errorCode, Self.run(p)) {
            case (0, .loss(let r)):
                valid += 1
                let d = abs(r.lossDB - e.lossDB!)
                diffs.append((p.id, r.lossDB.isFinite ? d : .infinity))
                if !(d <= toleranceDB) {
                    failures.append("id \(p.id): loss \(r.lossDB) dB, NTIA \(e.lossDB!) dB (Δ \(r.lossDB - e.lossDB!), mode \(r.mode.rawValue))")
                }
                if r.warnings.intersection(.ntiaBits).rawValue != e.warnings {
                    warningMismatches += 1
                    failures.append(String(format: "id %d: warnings 0x%04x, NTIA 0x%04x", p.id, Int(r.warnings.rawValue), Int(e.warnings)))
                }
                if r.warnings.contains(.referenceAttenuationUndefined) {
                    undefinedRows.append(p.id)
                    if set.intermediates[p.id]?.arefDB != 0 {
                        failures.append("id \(p.id): A_ref undefined here, but NTIA's A_ref is \(set.intermediates[p.id]?.arefDB ?? .nan)")
                    }
                }
            case (0, .error(let code)):
                valid += 1
                diffs.append((p.id, .infinity))
                failures.append("id \(p.id): rejected (code \(code.map(String.init) ?? "none")), NTIA gives \(e.lossDB!) dB")
            case (let expectedCode, .loss(let r)):
                invalid += 1
                errorMismatches += 1
                failures.append("id \(p.id): loss \(r.lossDB) dB, NTIA rejects it with \(expectedCode)")
            case (let expectedCode, .error(let code)):
                invalid += 1
                if code != expectedCode {
                    errorMismatches += 1
                    failures.append("id \(p.id): error code \(code.map(String.init) ?? "none"), NTIA \(expectedCode)")
                }
            }
        }
        let sorted = diffs.map(\.diff).sorted()
        let worst = diffs.max { $0.diff < $1.diff }
        let within = sorted.filter { $0 <= toleranceDB }.count
        let within01 = sorted.filter { $0 <= 0.1 }.count
        func pct(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))] }
        print(
            String(
                format: "ITM differential (NTIA C++ ITM 1.2.2): %d rows, %d valid, %d invalid; largest |ΔA| = %.2e dB at id %d; "
                    + "within 0.01 dB: %d (%.2f %%), within 0.1 dB: %d (%.2f %%); median %.2e dB, p90 %.2e dB; "
                    + "warning mismatches: %d; error-code mismatches: %d; A_ref undefined (0 dB as NTIA) on ids %@",
                set.paths.count, valid, invalid, worst?.diff ?? 0, worst?.id ?? 0, within,
                100 * Double(within) / Double(max(valid, 1)), within01, 100 * Double(within01) / Double(max(valid, 1)),
                pct(0.5), pct(0.9), warningMismatches, errorMismatches,
                undefinedRows.map(String.init).joined(separator: ", ")))
        XCTAssertEqual(valid + invalid, set.paths.count)
        XCTAssertEqual(invalid, 40, "invalid rows in the set (README of the fixture)")
        XCTAssertEqual(within, valid, "valid rows within \(toleranceDB) dB of NTIA")
        XCTAssertEqual(warningMismatches, 0, "rows whose warning bits differ from NTIA's")
        XCTAssertEqual(errorMismatches, 0, "invalid rows not rejected with NTIA's code")
        for f in failures.prefix(40) { XCTFail(f) }
        if failures.count > 40 { XCTFail("… and \(failures.count - 40) more") }
    }

    // MARK: - Intermediates

    /// Mode exactly; the other intermediates within half a unit of their last written decimal (+ 1e-9 relative).
    func testIntermediatesAgreeWithNTIA() throws {
        let set = try data()
        XCTAssertEqual(set.intermediates.count, 2310, "rows in intermediate.csv")
        var failures: [String] = []
        var counts: [String: Int] = [:]
        for p in set.paths {
            guard let want = set.intermediates[p.id] else { continue }
            guard case .loss(let r) = Self.run(p) else {
                failures.append("id \(p.id): rejected, NTIA computes it")
                continue
            }
            let im = r.intermediates
            var bad: [String] = []
            func check(_ name: String, _ got: Double, _ expected: Double, decimals: Int) {
                let tol = 0.5 * pow(10, -Double(decimals)) + 1e-9 * max(abs(expected), 1)
                if !(abs(got - expected) <= tol) {
                    bad.append("\(name) \(got) vs \(expected)")
                    counts[name, default: 0] += 1
                }
            }
            if r.mode.rawValue != want.mode { bad.append("mode \(r.mode.rawValue) vs \(want.mode)"); counts["mode", default: 0] += 1 }
            check("d_km", im.distanceKm, want.distanceKm, decimals: 6)
            check("n_s", im.surfaceRefractivityNs, want.ns, decimals: 4)
            check("delta_h", im.terrainIrregularityM, want.deltaHM, decimals: 4)
            check("h_e_tx", im.effectiveHeightM.tx, want.effectiveHeightTxM, decimals: 4)
            check("h_e_rx", im.effectiveHeightM.rx, want.effectiveHeightRxM, decimals: 4)
            check("d_hzn_tx", im.horizonDistanceM.tx, want.horizonDistanceTxM, decimals: 3)
            check("d_hzn_rx", im.horizonDistanceM.rx, want.horizonDistanceRxM, decimals: 3)
            check("theta_hzn_tx", im.horizonAngleRad.tx, want.horizonAngleTxRad, decimals: 8)
            check("theta_hzn_rx", im.horizonAngleRad.rx, want.horizonAngleRxRad, decimals: 8)
            check("a_ref", im.referenceAttenuationDB, want.arefDB, decimals: 6)
            check("a_fs", im.freeSpaceLossDB, want.freeSpaceDB, decimals: 6)
            if !bad.isEmpty { failures.append("id \(p.id): " + bad.joined(separator: "; ")) }
        }
        print(
            "ITM differential intermediates: \(set.intermediates.count) rows, \(failures.count) with a difference; by value: "
                + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        for f in failures.prefix(40) { XCTFail(f) }
        if failures.count > 40 { XCTFail("… and \(failures.count - 40) more") }
    }

    // MARK: - Entry points

    /// The `TerrainProfile` entry point (used through `ProfileModel` by `tanso pathloss` and the coverage engine)
    /// gives the same result as the buffer entry point, bit for bit, on every row.
    func testProfileEntryPointIsTheBufferKernel() throws {
        let set = try data()
        var compared = 0
        for p in set.paths where set.expected[p.id]!.errorCode == 0 {
            guard case .loss(let viaBuffer) = Self.run(p) else { XCTFail("id \(p.id) rejected"); continue }
            let viaProfile = try ITM.pointToPoint(
                profile: TerrainProfile(elevationsM: p.elevationsM, spacingM: p.spacingM),
                try Self.parameters(p))
            XCTAssertEqual(viaProfile, viaBuffer, "id \(p.id)")
            compared += 1
        }
        XCTAssertEqual(compared, 2310)
    }
}

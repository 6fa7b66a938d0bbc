// Prepared parameters (ITM.Prepared) and the loss-only entry point (ITM.pointToPointLoss) against the per-call
// entry point on NTIA's 2,350 differential paths (Tests/Fixtures/propagation/itm/differential): the same loss,
// mode, warnings and intermediates to the last bit, and the same error code on every invalid row (NTIA's order of
// checks kept although the ground impedance is computed before the path). The loss-only entry point skips the
// troposcatter line on line-of-sight paths; the test counts those paths so that it fails if the set holds none.
import Foundation
import XCTest
@testable import Propagation
import TestSupport

final class ITMPreparedTests: XCTestCase {
    /// Every Double of a result as its bit pattern, with the mode and warnings.
    private func bits(_ r: ITM.Result) -> String {
        let im = r.intermediates
        let values = [
            r.lossDB, im.horizonAngleRad.tx, im.horizonAngleRad.rx, im.horizonDistanceM.tx, im.horizonDistanceM.rx,
            im.effectiveHeightM.tx, im.effectiveHeightM.rx, im.smoothEarthHorizonDistanceM.tx,
            im.smoothEarthHorizonDistanceM.rx, im.surfaceRefractivityNs, im.effectiveEarthCurvaturePerM,
            im.groundImpedanceReal, im.groundImpedanceImag, im.terrainIrregularityM, im.referenceAttenuationDB,
            im.freeSpaceLossDB, im.distanceKm, im.systemElevationM, im.maxLineOfSightDistanceM, im.scatterDistanceM
        ]
        return "\(r.mode) \(r.warnings.rawValue) " + values.map { String($0.bitPattern, radix: 16) }.joined(separator: " ")
    }

    private func code(_ body: () throws -> Void) -> Int? {
        do { try body() } catch let e as ModelInputError { return e.code } catch { return -1 }
        return nil
    }

    /// `pointToPointLosses` (one terrain analysis for two parameter sets) equals two `pointToPointLoss` calls to the
    /// last bit, error codes included, on every differential path: with a second frequency (the analysis shared),
    /// with a second frequency and another ground (shared, each side its own ground), with another RX height (not
    /// shared), and with a second ground whose impedance is invalid (that side fails, the other does not).
    func testTwoParameterSetsShareTheTerrainAnalysisWithTheSameResults() throws {
        let set = try ITMDifferentialData.load()
        var compared = 0, shared = 0, oneSideFailed = 0
        func outcome(_ r: Swift.Result<ITM.Loss, any Error>) -> String {
            switch r {
            case .success(let l): return "\(String(l.lossDB.bitPattern, radix: 16)) \(l.mode) \(l.warnings.rawValue)"
            case .failure(let e as ModelInputError): return "error \(e.code ?? -1)"
            case .failure: return "error"
            }
        }
        for path in set.paths {
            guard let p1 = try? ITMDifferentialTests.parameters(path), let q1 = try? ITM.Prepared(p1) else { continue }
            var variants: [ITM.Parameters] = []
            var p2 = p1
            p2.frequencyMHz = p1.frequencyMHz < 1000 ? p1.frequencyMHz * 1.9 : p1.frequencyMHz / 2.3
            variants.append(p2)
            p2.relativePermittivity = 4; p2.conductivitySPerM = 0.001
            variants.append(p2)
            var p3 = p1
            p3.rxHeightM = p1.rxHeightM + 7
            variants.append(p3)
            var p4 = p2
            p4.relativePermittivity = 1; p4.conductivitySPerM = 5 // Re(Z_g) ≤ |Im(Z_g)|: fails at the ground check
            variants.append(p4)
            for v in variants {
                guard let q2 = try? ITM.Prepared(v) else { continue }
                path.elevationsM.withUnsafeBufferPointer { h in
                    let (a, b) = ITM.pointToPointLosses(elevationsM: h, spacingM: path.spacingM, q1, q2)
                    let a0 = Swift.Result { try ITM.pointToPointLoss(elevationsM: h, spacingM: path.spacingM, q1) }
                    let b0 = Swift.Result { try ITM.pointToPointLoss(elevationsM: h, spacingM: path.spacingM, q2) }
                    XCTAssertEqual(outcome(a), outcome(a0), "path \(path.id), first set")
                    XCTAssertEqual(outcome(b), outcome(b0), "path \(path.id), second set")
                    compared += 1
                    if p1.sharesTerrainAnalysis(with: v) { shared += 1 }
                    if (try? a0.get()) != nil && (try? b0.get()) == nil { oneSideFailed += 1 }
                }
            }
        }
        print("pointToPointLosses: \(compared) pairs, \(shared) with the analysis shared, \(oneSideFailed) with the second side failing alone")
        XCTAssertGreaterThan(shared, 4000)
        XCTAssertGreaterThan(compared - shared, 1000)
        XCTAssertGreaterThan(oneSideFailed, 1000)
        // A profile of one point fails both sides with the path-distance error.
        let one = [100.0]
        let (a, b) = one.withUnsafeBufferPointer {
            ITM.pointToPointLosses(
                elevationsM: $0, spacingM: 30, try! ITM.Prepared(ITMDifferentialTests.parameters(set.paths[0])),
                try! ITM.Prepared(ITMDifferentialTests.parameters(set.paths[0])))
        }
        XCTAssertEqual(outcome(a), "error \(ITM.ErrorCode.pathDistance.rawValue)")
        XCTAssertEqual(outcome(b), "error \(ITM.ErrorCode.pathDistance.rawValue)")
    }

    func testPreparedAndLossOnlyCallsEqualThePerCallEntryPoint() throws {
        let set = try ITMDifferentialData.load()
        var compared = 0, lineOfSight = 0, diffraction = 0, troposcatter = 0, rejected = 0
        for path in set.paths {
            guard let params = try? ITMDifferentialTests.parameters(path) else { continue } // climate/polarization codes
            try path.elevationsM.withUnsafeBufferPointer { h in
                var plain: ITM.Result?
                let plainCode = code { plain = try ITM.pointToPoint(elevationsM: h, spacingM: path.spacingM, params) }
                var prepared: ITM.Result?, loss: ITM.Loss?
                let preparedCode = code {
                    let q = try ITM.Prepared(params)
                    prepared = try ITM.pointToPoint(elevationsM: h, spacingM: path.spacingM, q)
                }
                let lossCode = code {
                    loss = try ITM.pointToPointLoss(elevationsM: h, spacingM: path.spacingM, ITM.Prepared(params))
                }
                XCTAssertEqual(preparedCode, plainCode, "path \(path.id): error code, prepared")
                XCTAssertEqual(lossCode, plainCode, "path \(path.id): error code, loss only")
                guard let plain else { rejected += 1; return }
                let full = try XCTUnwrap(prepared), slim = try XCTUnwrap(loss)
                XCTAssertEqual(bits(full), bits(plain), "path \(path.id): prepared")
                XCTAssertEqual(slim.lossDB.bitPattern, plain.lossDB.bitPattern, "path \(path.id): loss only")
                XCTAssertEqual(slim.mode, plain.mode, "path \(path.id): mode")
                XCTAssertEqual(slim.warnings, plain.warnings, "path \(path.id): warnings")
                compared += 1
                switch plain.mode {
                case .lineOfSight: lineOfSight += 1
                case .diffraction: diffraction += 1 // the loss-only call leaves out the troposcatter line here
                case .troposcatter: troposcatter += 1
                }
            }
        }
        print(
            "ITMPreparedTests: \(compared) paths bit-identical (\(lineOfSight) line of sight, \(diffraction) diffraction, "
                + "\(troposcatter) troposcatter), \(rejected) rejected with the same code")
        XCTAssertGreaterThan(compared, 2300)
        XCTAssertGreaterThan(lineOfSight, 50)
        XCTAssertGreaterThan(diffraction, 20)
        XCTAssertGreaterThan(troposcatter, 10)
        XCTAssertGreaterThan(rejected, 0)
    }

    /// Errors keep NTIA's order: validation first, then the profile, then N_s, γ_e and last the ground impedance.
    func testGroundImpedanceErrorComesAfterTheProfileCheck() throws {
        // ε_r = 1 with tiny σ: Re(Z_g) ≤ |Im(Z_g)|, error 1013, but only once the profile is accepted.
        let p = ITM.Parameters(
            frequencyMHz: 900, txHeightM: 30, rxHeightM: 1.5, polarization: .horizontal, climate: .continentalTemperate,
            relativePermittivity: 1, conductivitySPerM: 1e-9, mdvar: 12, timePct: 50, locationPct: 50, situationPct: 50)
        let q = try ITM.Prepared(p)
        let onePoint = [100.0], path = [100.0, 120, 110, 90]
        let short = code { _ = try onePoint.withUnsafeBufferPointer { try ITM.pointToPointLoss(elevationsM: $0, spacingM: 30, q) } }
        XCTAssertEqual(short, ITM.ErrorCode.pathDistance.rawValue)
        let ground = code { _ = try path.withUnsafeBufferPointer { try ITM.pointToPointLoss(elevationsM: $0, spacingM: 30, q) } }
        XCTAssertEqual(ground, ITM.ErrorCode.groundImpedance.rawValue)
        let plain = code { _ = try path.withUnsafeBufferPointer { try ITM.pointToPoint(elevationsM: $0, spacingM: 30, p) } }
        XCTAssertEqual(plain, ITM.ErrorCode.groundImpedance.rawValue)
    }
}

// The differential test against NTIA's C++ ITM 1.2.2 (Tests/Fixtures/propagation/itm/differential) through the code path
// of the tool: `PathLossBatch` (the engine of `tanso pathloss`) reads each row of the fixture as it reads a
// CSV row — the fixture's columns are the `tanso pathloss` columns — and evaluates it with `ProfileModel`, the
// same type the coverage engine, the exactness check and the conflicts engine build from their settings and
// call per profile. Run on 2 threads, as the tool runs.
//
// Valid rows: loss within 0.01 dB of NTIA's, warning names = the names of NTIA's bits (plus tanso's
// `reference_attenuation_undefined` only where NTIA's A_ref is 0). Invalid rows: no loss, and the error names
// NTIA's code. A missing fixture fails the test.
import Foundation
import XCTest
import Propagation
import TestSupport
@testable import Analysis

final class PathLossITMDifferentialTests: XCTestCase {
    func testPathLossBatchAgreesWithNTIAOnEveryRow() throws {
        let set = try ITMDifferentialData.load()
        XCTAssertEqual(set.paths.count, 2350)
        let rows = set.paths.map { PathLossRow(fields: $0.fields) }
        let outcomes = PathLossBatch.run(rows, model: .itm, threads: 2)
        XCTAssertEqual(outcomes.count, rows.count)
        var worst = (diff: 0.0, id: 0)
        var within = 0, valid = 0, invalid = 0, warningMismatches = 0
        var failures: [String] = []
        for (p, o) in zip(set.paths, outcomes) {
            let e = set.expected[p.id]!
            XCTAssertEqual(o.id, String(p.id))
            if e.errorCode == 0 {
                valid += 1
                guard let loss = o.lossDB else { failures.append("id \(p.id): \(o.error ?? "no loss")"); continue }
                let d = abs(loss - e.lossDB!)
                if !(d <= worst.diff) { worst = (d.isNaN ? .infinity : d, p.id) }
                if d <= 0.01 { within += 1 } else { failures.append("id \(p.id): \(loss) dB, NTIA \(e.lossDB!) dB") }
                var expectedNames = ITM.Warnings(rawValue: e.warnings).names
                if o.warnings.contains("reference_attenuation_undefined") && set.intermediates[p.id]?.arefDB == 0 {
                    expectedNames.append("reference_attenuation_undefined")
                }
                if o.warnings != expectedNames {
                    warningMismatches += 1
                    failures.append("id \(p.id): warnings \(o.warnings), NTIA \(expectedNames)")
                }
            } else {
                invalid += 1
                if o.lossDB != nil || !(o.error ?? "").contains("(code \(e.errorCode))") {
                    failures.append("id \(p.id): \(o.lossDB.map { "\($0) dB" } ?? o.error ?? "?"), NTIA rejects it with \(e.errorCode)")
                }
            }
        }
        print(
            String(
                format: "ITM differential through PathLossBatch (tanso pathloss, 2 threads): %d rows, %d valid, %d invalid; "
                    + "largest |ΔA| = %.2e dB at id %d; within 0.01 dB: %d (%.2f %%); warning mismatches: %d",
                rows.count, valid, invalid, worst.diff, worst.id, within, 100 * Double(within) / Double(max(valid, 1)),
                warningMismatches))
        XCTAssertEqual(valid, 2310)
        XCTAssertEqual(invalid, 40)
        XCTAssertEqual(within, valid)
        for f in failures.prefix(40) { XCTFail(f) }
        if failures.count > 40 { XCTFail("… and \(failures.count - 40) more") }
    }
}

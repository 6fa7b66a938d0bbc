// NTIA Extended Hata against the ITS test set (as shipped by WinnForum, its/test/): 53 cases, 1–4 GHz,
// 0.44–537 km, real terrain profiles. The pfl files hold "n, step_m, z0 … zn" from the MOBILE to the base
// (the ITS reference's order); EHata.pathLoss takes base-to-mobile, so the test reverses them.
import XCTest
import TestSupport
@testable import Propagation

final class EHataTests: XCTestCase {
    private static let folder = "propagation/ehata_ntia_via_winnforum/its/test"

    struct Case { let id: String; let title: String; let f, hb, hm: Double; let env: Int; let profile: TerrainProfile; let expected: Double }

    private func loadCases(_ file: String) throws -> [Case] {
        let rel = "\(Self.folder)/\(file)"
        let url = try ReferenceData.require(rel)
        var out: [Case] = []
        for r in try SimpleCSV.rows(url) {
            let pflRel = "\(Self.folder)/pfls/\(r["pfl file name"] ?? "")"
            let pflURL = try ReferenceData.require(pflRel)
            let values = try String(contentsOf: pflURL, encoding: .utf8)
                .split(whereSeparator: { $0 == "," || $0.isNewline }).compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            let n = Int(values[0])
            let mobileFirst = Array(values[2...(n + 2)])
            let profile = TerrainProfile(elevationsM: mobileFirst.reversed(), spacingM: values[1])
            let num = { (k: String) in Double(r[k] ?? "") ?? .nan }
            out.append(
                Case(
                    id: r["ID"] ?? "", title: r["Scenario Title"] ?? "", f: num("f"), hb: num("hb"), hm: num("hm"),
                    env: Int(num("env")), profile: profile, expected: num("Path Loss(dB)")))
        }
        return out
    }

    private func run(_ c: Case) throws -> EHata.Result {
        try EHata.pathLoss(
            profile: c.profile, frequencyMHz: c.f, baseHeightM: c.hb, mobileHeightM: c.hm,
            environment: EHata.Environment(code: c.env))
    }

    /// Source: its/test/test-inputs.csv, the original ITS expected losses (53 cases, 4 decimals).
    /// Tolerance 0.1 dB on every case. 52 cases agree to 1e-4 dB; case 90032 (Coronado National Forest) differs by
    /// 0.076 dB because the ITS reference ran in single precision (its double-precision rerun in
    /// test-inputs-wfmod.csv gives 195.4891 dB, which this implementation reproduces).
    func testAgainstOriginalITSTestSet() throws {
        let cases = try loadCases("test-inputs.csv")
        XCTAssertEqual(cases.count, 53)
        var worst = 0.0, worstID = ""
        for c in cases {
            let r = try run(c)
            let diff = abs(r.lossDB - c.expected)
            if diff > worst { worst = diff; worstID = c.id }
            XCTAssertEqual(r.lossDB, c.expected, accuracy: 0.1, "\(c.id) \(c.title)")
        }
        print("eHata vs ITS test-inputs.csv: largest difference \(worst) dB (case \(worstID)) over \(cases.count) cases")
    }

    func testSingleHorizonAndSeaCasesTakeTheirBranches() throws {
        // 90022 (Washington crossing the Delaware) and 90033 (Cross Sound Ferry) exercise the ridge and sea code.
        let cases = try loadCases("test-inputs.csv")
        let ferry = try XCTUnwrap(cases.first { $0.id == "90033" })
        let r = try run(ferry)
        XCTAssertGreaterThan(r.terrain.seaFraction, 0.5)
        XCTAssertGreaterThan(r.mixedLandSeaCorrectionDB, 0)
        let anySingle = try cases.contains { try run($0).terrain.singleHorizon }
        XCTAssertTrue(anySingle)
    }

    func testInvalidInputs() {
        let p = TerrainProfile(elevationsM: [0, 0, 0], spacingM: 100)
        XCTAssertThrowsError(
            try EHata.pathLoss(
                profile: p, frequencyMHz: 0, baseHeightM: 30, mobileHeightM: 1.5,
                environment: .urban))
        XCTAssertThrowsError(
            try EHata.pathLoss(
                profile: p, frequencyMHz: 2000, baseHeightM: -1, mobileHeightM: 1.5,
                environment: .urban))
        XCTAssertThrowsError(
            try EHata.pathLoss(
                profile: TerrainProfile(elevationsM: [0], spacingM: 100), frequencyMHz: 2000,
                baseHeightM: 30, mobileHeightM: 1.5, environment: .urban))
    }

    func testEnvironmentOrderingOnFlatTerrain() throws {
        // Flat land at 100 m, 20 km: urban > suburban > rural, and the effective heights equal the real ones.
        let p = TerrainProfile(elevationsM: [Double](repeating: 100, count: 201), spacingM: 100)
        let u = try EHata.pathLoss(profile: p, frequencyMHz: 2000, baseHeightM: 50, mobileHeightM: 3, environment: .urban)
        let s = try EHata.pathLoss(profile: p, frequencyMHz: 2000, baseHeightM: 50, mobileHeightM: 3, environment: .suburban)
        let r = try EHata.pathLoss(profile: p, frequencyMHz: 2000, baseHeightM: 50, mobileHeightM: 3, environment: .rural)
        XCTAssertGreaterThan(u.lossDB, s.lossDB)
        XCTAssertGreaterThan(s.lossDB, r.lossDB)
        XCTAssertEqual(u.baseEffectiveHeightM, 50, accuracy: 1e-9)
        XCTAssertEqual(u.mobileEffectiveHeightM, 3, accuracy: 1e-9)
        XCTAssertEqual(u.warnings, [])
    }
}

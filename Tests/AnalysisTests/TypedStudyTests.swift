import XCTest
import Foundation
import Propagation
import Radio
import Records
@testable import Analysis

/// The typed study (issue 16 item 1): a study is validated once, when it is decoded; unknown keys and values are
/// errors that name them; thresholds are keyed by technology; services are values.
final class TypedStudyTests: XCTestCase {
    func decode(_ json: String) throws -> CoverageStudy {
        try JSONDecoder().decode(CoverageStudy.self, from: Data(json.utf8))
    }

    func testStudyRoundTripsThroughJSON() throws {
        var s = CoverageStudy(west: 106.9, south: 10.9, east: 107.1, north: 11.1)
        s.model = "p1812"; s.profiles = "exact"; s.environment = "open"
        s.thresholdsDBm["lte"] = -92
        s.thresholdsDBm[.fm] = -65
        let data = try JSONEncoder().encode(s)
        let back = try JSONDecoder().decode(CoverageStudy.self, from: data)
        XCTAssertEqual(back, s)
        XCTAssertEqual(back.thresholds.threshold(for: .lte), -92)
        XCTAssertEqual(back.thresholds.threshold(for: .fm), -65)
        XCTAssertEqual(back.thresholds.threshold(for: .gsm), CoverageThresholds.defaults.threshold(for: .gsm))
        let keys = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        XCTAssertEqual((keys["thresholdsDBm"] as! [String: Double])["4G"], -92, "thresholds keep the technology names as JSON keys")
    }

    func testUnknownKeyInAStudyFileIsAnErrorThatNamesIt() {
        XCTAssertThrowsError(try decode(#"{"west": 106.9, "south": 10.9, "east": 107.1, "north": 11.1, "resolutonM": 50}"#)) {
            XCTAssertTrue("\($0)".contains("unknown key 'resolutonM'"), "\($0)")
        }
    }

    func testUnknownTechnologyInThresholdsIsAnErrorThatNamesIt() {
        XCTAssertThrowsError(try decode(#"{"west": 106.9, "south": 10.9, "east": 107.1, "north": 11.1, "thresholdsDBm": {"6G": -90}}"#)) {
            XCTAssertTrue("\($0)".contains("'6G' is not a technology"), "\($0)")
        }
        var s = CoverageStudy(west: 106.9, south: 10.9, east: 107.1, north: 11.1)
        s.thresholdsDBm["LTEE"] = -90
        XCTAssertThrowsError(try s.validated()) { XCTAssertTrue("\($0)".contains("'LTEE'"), "\($0)") }
    }

    func testWrongValuesAreRefusedWhenTheStudyIsDecoded() {
        let base = #""west": 106.9, "south": 10.9, "east": 107.1, "north": 11.1"#
        for (extra, expected) in [
            (#""model": "okumura""#, "model 'okumura'"), (#""profiles": "fast""#, "radial, exact"),
            (#""environment": "jungle""#, "environment 'jungle'"), (#""anchorSpacingCells": 3"#, "anchor spacing 3"),
            (#""model": "itm", "modelSettings": {"climate": "seven"}"#, "model settings")
        ] {
            XCTAssertThrowsError(try decode("{\(base), \(extra)}"), extra) { XCTAssertTrue("\($0)".contains(expected), "\($0)") }
        }
    }

    func testValidatedStudyCarriesTypes() throws {
        var s = CoverageStudy(west: 106.9, south: 10.9, east: 107.1, north: 11.1)
        XCTAssertEqual(try s.validated().model, .hataKernel)
        s.model = "los"
        XCTAssertEqual(try s.validated().model, .lineOfSight)
        s.model = "itm"; s.profiles = "exact"; s.environment = "urban"
        let v = try s.validated()
        XCTAssertEqual(v.model, .profile(.itm))
        XCTAssertEqual(v.profileMethod, .exact)
        XCTAssertEqual(v.environment, .urban)
        XCTAssertEqual(v.profileModel?.id, .itm)
        XCTAssertTrue(v.model.needsTerrain)
        XCTAssertFalse(CoverageModel.profile(.cost231).needsTerrain)
    }

    /// P.1546 has no receiver area for open land: `open` is read as rural, explicitly, and gives the same loss.
    func testOpenIsRuralForP1546AndEHata() throws {
        let open = try ProfileModel(.p1546, settings: ["environment": "open"])
        let rural = try ProfileModel(.p1546, settings: ["environment": "rural"])
        XCTAssertEqual(open.environment, .p1546(.rural))
        XCTAssertEqual(open.environment, rural.environment)
        XCTAssertEqual(try ProfileModel(.ehata, settings: ["environment": "open"]).environment, .ehata(.rural))
        XCTAssertEqual(try ProfileModel(.hata, settings: ["environment": "open"]).environment, .hata(.open))
        XCTAssertEqual(try ProfileModel(.p1546, settings: ["path_type": "sea"]).pathType.p1546Zone, .coldSea)
        XCTAssertThrowsError(try ProfileModel(.p1546, settings: ["environment": "forest"]))
    }

    /// P.1812 and P.452 refill the caller's buffers: the same loss as with fresh arrays, whatever the lengths seen before.
    func testScratchBuffersGiveTheSameLoss() throws {
        for id in [PathLossModelID.p1812, .p452] {
            let model = try ProfileModel(id)
            var scratch = ProfileModel.Scratch()
            for n in [40, 12, 40, 7] {
                let profile = TerrainProfile(elevationsM: (0..<n).map { 20 + 15 * sin(Double($0)) }, spacingM: 90)
                let link = PathLink(frequencyMHz: 900, txHeightM: 30, rxHeightM: 1.5, coordinates: (11.0, 107.0, 11.02, 107.01))
                XCTAssertEqual(
                    try model.lossDB(profile: profile, link: link, scratch: &scratch).lossDB,
                    try model.lossDB(profile: profile, link: link).lossDB, "\(id) \(n) points")
            }
        }
    }

    func testServicesAreValuesWithTheRegistersNames() {
        XCTAssertEqual(Service.broadcastFM.rawValue, "broadcast_fm")
        XCTAssertEqual(Service(rawValue: "fixed"), .fixed)
        let own = Service(rawValue: "aeronautical")
        XCTAssertNotEqual(own, .mobile)
        XCTAssertEqual("\(own)", "aeronautical")
        XCTAssertEqual(ConflictSettings().imExcludedServices, [.fixed])
    }
}

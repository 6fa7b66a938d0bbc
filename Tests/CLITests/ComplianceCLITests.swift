import XCTest
import Foundation
import TestSupport
import Geo

/// End-to-end tests of `tanso compliance` and `tanso candidates` through the executable.
final class ComplianceCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-compliance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    var executable: URL { TansoExecutable.url }

    @discardableResult
    func run(_ args: [String]) throws -> (code: Int32, out: String, err: String) {
        let r = try runProcess(executable, args, in: dir)
        return (r.code, r.out, r.err)
    }

    func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }

    func csv(_ name: String) throws -> [[String: String]] {
        let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    func testHelp() throws {
        for c in ["compliance", "candidates"] {
            let h = try run([c, "--help"])
            XCTAssertEqual(h.code, 0)
            XCTAssertTrue(h.out.contains("Usage: tanso \(c)"), h.out)
            XCTAssertTrue(h.out.contains("RSRP"), h.out)
        }
        XCTAssertTrue(try run(["--help"]).out.contains("compliance"))
    }

    /// coverage → compliance (zones, targets, HTML) → compliance again with an indoor margin and --baseline
    /// (villages newly uncovered) → candidates.
    func testComplianceEndToEnd() throws {
        try write(
            "tx.csv",
            """
            id,site_id,operator,technology,latitude,longitude,antenna_height_m,frequency_mhz,bandwidth_mhz,eirp_dbm,azimuth_deg,mechanical_tilt_deg,electrical_tilt_deg,antenna_pattern
            A1,SA,Viettel,4G,10.950,106.900,30,773,10,60,,,,
            B1,SB,MobiFone,5G,10.950,106.960,30,3650,100,68,,,,
            """)
        try write(
            "villages.csv",
            """
            id,name,commune,district,latitude,longitude,population
            V1,Near A,Xã 1,Huyện X,10.951,106.905,1000
            V2,Near B,Xã 1,Huyện X,10.950,106.958,800
            V3,Far,Xã 2,Huyện Y,11.040,107.040,300
            """)
        try write(
            "zones.geojson",
            """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"Z1","name":"KCN","kind":"industrial_park"},
            "geometry":{"type":"Polygon","coordinates":[[[106.955,10.945],[106.965,10.945],[106.965,10.955],[106.955,10.955],[106.955,10.945]]]}}]}
            """)
        try write(
            "targets.json",
            """
            {"targets":[{"id":"v45","subject":"villages","technologies":["4G","5G"],"min_share":0.5},
                        {"id":"z5","subject":"zones","technologies":["5G"],"zone_kinds":["industrial_park"],"min_area_share":0.9}]}
            """)
        let cov = try run([
            "coverage", "--transmitters", "tx.csv", "--villages", "villages.csv", "--area", "106.85,10.90,107.05,11.05",
            "--resolution-m", "100", "--output", "cov"
        ])
        XCTAssertEqual(cov.code, 0, cov.err)
        let r = try run([
            "compliance", "--coverage", "cov", "--villages", "villages.csv", "--zones", "zones.geojson",
            "--targets", "targets.json", "--transmitters", "tx.csv", "--output", "c1"
        ])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("v45: 2/3 villages meet it"), r.out)
        XCTAssertTrue(r.out.contains("z5: 1/1 zones meet it"), r.out)
        let villages = try csv("c1/villages.csv")
        XCTAssertEqual(villages.map { $0["target_v45"]! }, ["1", "1", "0"])
        XCTAssertEqual(villages[0]["serving_site"], "SA")
        XCTAssertEqual(villages[1]["nearest_site"], "SB")
        XCTAssertNotNil(villages[0]["viettel_4G_rsrp_dbm"].flatMap(Double.init))
        let units = try csv("c1/units.csv")
        let x = units.first { $0["level"] == "district" && $0["name"] == "Huyện X" }!
        XCTAssertEqual(x["target_v45_share"], "1")
        let y = units.first { $0["level"] == "district" && $0["name"] == "Huyện Y" }!
        XCTAssertEqual(y["target_v45_achieved"], "0")
        let html = try String(contentsOf: dir.appendingPathComponent("c1/report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<svg"))
        XCTAssertTrue(html.contains("data:image/png;base64,"))
        XCTAssertFalse(html.contains("src=\"http"))
        XCTAssertEqual(try VectorReader.layerNames(dir.appendingPathComponent("c1/compliance.gpkg").path), ["villages", "zones", "units"])

        // Indoor: 40 dB more loses the villages; the baseline names them.
        let r2 = try run([
            "compliance", "--coverage", "cov", "--villages", "villages.csv", "--targets", "targets.json",
            "--transmitters", "tx.csv", "--indoor-margin-db", "40", "--baseline", "c1", "--output", "c2"
        ])
        XCTAssertEqual(r2.code, 0, r2.err)
        let changes = try csv("c2/changes.csv")
        XCTAssertEqual(Set(changes.filter { $0["change"] == "newly_uncovered" }.map { $0["id"]! }), ["V1", "V2"])

        let c = try run([
            "candidates", "--coverage", "cov", "--villages", "villages.csv", "--transmitters", "tx.csv",
            "--operator", "Viettel", "--grid-km", "2", "--sites", "3", "--radius-km", "5", "--output", "cand"
        ])
        XCTAssertEqual(c.code, 0, c.err)
        let picks = try csv("cand/candidates.csv")
        XCTAssertFalse(picks.isEmpty, c.out)
        XCTAssertEqual(try csv("cand/candidate_villages.csv").first?["village_id"], "V3")
    }

    func testBadTargetsFileNamesTheField() throws {
        try write("targets.json", #"{"targets":[{"id":"a","subject":"villages","technologies":["6G"]}]}"#)
        try write("villages.csv", "id,name,commune,district,latitude,longitude,population\nV1,a,b,c,10.9,106.9,10\n")
        let r = try run(["compliance", "--coverage", "nowhere", "--villages", "villages.csv", "--targets", "targets.json", "--output", "o"])
        XCTAssertEqual(r.code, 1)
        XCTAssertTrue(r.err.contains("target 1, field 'technologies': value '6G'"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("o").path))
    }
}

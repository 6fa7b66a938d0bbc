import XCTest
import Foundation

/// `tanso share-check` through the executable: help, bad proposals, deterministic products, the sample proposals.
extension CLITests {
    static let shareTx = """
        id,site_id,operator,technology,latitude,longitude,antenna_height_m,frequency_mhz,bandwidth_mhz,eirp_dbm,azimuth_deg,mechanical_tilt_deg,electrical_tilt_deg,antenna_pattern
        VT-A-1,VT-A,Viettel,4G,10.9,107.0,40,773,10,60,0,2,4,
        VT-A-2,VT-A,Viettel,4G,10.9,107.0,40,773,10,60,120,2,4,
        VT-A-3,VT-A,Viettel,4G,10.9,107.0,40,773,10,60,240,2,4,
        VN-B-1,VN-B,VinaPhone,4G,10.95,107.05,30,783,10,60,,0,2,

        """
    static let shareAssignments = """
        id,station_id,licensee,service,tx_frequency_mhz,bandwidth_khz,emission_designator,latitude,longitude,antenna_height_m,eirp_dbm,azimuth_deg,antenna_pattern,rx_frequency_mhz,rx_bandwidth_khz,protection_ratio_db
        A-VT-A-1,VT-A,Viettel,mobile,773,10000,,10.9,107.0,40,60,0,,,,
        A-VT-A-2,VT-A,Viettel,mobile,773,10000,,10.9,107.0,40,60,120,,,,
        A-VT-A-3,VT-A,Viettel,mobile,773,10000,,10.9,107.0,40,60,240,,,,
        A-VN-B-1,VN-B,VinaPhone,mobile,783,10000,,10.95,107.05,30,60,,,,,

        """
    static let shareVillages = """
        id,name,commune,district,latitude,longitude,population
        V1,Ấp Một,Xã A,Huyện B,10.905,107.003,1200
        V2,Ấp Hai,Xã A,Huyện B,10.89,106.99,800
        V3,Ấp Ba,Xã C,Huyện B,10.93,107.02,450

        """

    func shareInputs() throws -> [String] {
        [
            "--transmitters", try write("tx.csv", Self.shareTx), "--assignments", try write("asg.csv", Self.shareAssignments),
            "--villages", try write("villages.csv", Self.shareVillages), "--radius-km", "4", "--max-radius-km", "10"
        ]
    }

    func proposal(_ name: String, host: String = "VT-A", height: Double = 36, frequency: Double = 1862.5, bandwidth: Double = 15) throws -> String {
        try write(
            name,
            """
            {
              "operator": "MobiFone",
              "kind": "co_location",
              "host_site_id": "\(host)",
              "transmitters": [
                {"id": "MF-1", "technology": "4G", "antenna_height_m": \(height), "frequency_mhz": \(frequency), "bandwidth_mhz": \(bandwidth),
                 "eirp_dbm": 60, "azimuth_deg": 30, "mechanical_tilt_deg": 2, "electrical_tilt_deg": 4}
              ]
            }
            """)
    }

    func resultJSON(_ dir: String) throws -> [String: Any] {
        let data = try Data(contentsOf: self.dir.appendingPathComponent(dir).appendingPathComponent("result.json"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func outcomes(_ json: [String: Any]) -> [String: String] {
        var o: [String: String] = [:]
        for c in json["checks"] as? [[String: Any]] ?? [] { o[c["id"] as! String] = c["outcome"] as? String }
        return o
    }

    func testShareCheckHelpTeachesTheSchema() throws {
        let h = try run(["share-check", "--help"])
        XCTAssertEqual(h.code, 0)
        for s in [
            "Usage: tanso share-check", "\"host_site_id\"", "\"kind\": \"co_location\"", "new_tower", "\"transmitters\"",
            "ICNIRP 2020", "f/200", "intermodulation", "verdict"
        ] {
            XCTAssertTrue(h.out.contains(s), "help lacks \(s)")
        }
        XCTAssertTrue(try run(["--help"]).out.contains("share-check"))
        XCTAssertEqual(try run(["share-check", "--proposal", "p.json"]).code, 2)
    }

    func testShareCheckBadProposals() throws {
        let inputs = try shareInputs()
        // Malformed JSON: exit 1 with line and column, nothing written.
        _ = try write("bad.json", "{\n  \"operator\": \"MobiFone\",\n  \"kind\": co_location\n}\n")
        let bad = try run(["share-check", "--proposal", "bad.json", "--output", "o-bad"] + inputs)
        XCTAssertEqual(bad.code, 1)
        XCTAssertTrue(bad.err.contains("bad.json: malformed JSON at line 3, column 11"), bad.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("o-bad").path))
        // Unknown host: exit 1, the closest ids named.
        let unknown = try run(["share-check", "--proposal", try proposal("u.json", host: "VT-X"), "--output", "o-u"] + inputs)
        XCTAssertEqual(unknown.code, 1)
        XCTAssertTrue(unknown.err.contains("host_site_id 'VT-X' is not a site_id of the transmitters file (closest ids: VT-A"), unknown.err)
        // Above the host (40 m + 3 m headroom): a fail outcome.
        let high = try run(["share-check", "--proposal", try proposal("h.json", height: 48), "--output", "o-h"] + inputs)
        XCTAssertEqual(high.code, 0, high.err)
        XCTAssertTrue(high.out.contains("verdict FAIL"), high.out)
        XCTAssertEqual(outcomes(try resultJSON("o-h"))["sharing"], "fail")
        // Outside the band plan (1790 MHz lies between B3 UL and DL): a fail outcome of the interference check.
        let oop = try run(["share-check", "--proposal", try proposal("o.json", frequency: 1790, bandwidth: 5), "--output", "o-o"] + inputs)
        XCTAssertEqual(oop.code, 0, oop.err)
        let j = try resultJSON("o-o")
        XCTAssertEqual(outcomes(j)["interference"], "fail")
        XCTAssertEqual(j["verdict"] as? String, "fail")
        XCTAssertTrue((j["conflicts"] as? [[String: Any]] ?? []).contains { $0["kind"] as? String == "out_of_plan" })
        // A field of the wrong type names its path.
        _ = try write(
            "t.json",
            "{\"operator\": \"M\", \"kind\": \"co_location\", \"host_site_id\": \"VT-A\", \"transmitters\": [{\"id\": \"x\", \"technology\": \"4G\", \"antenna_height_m\": \"high\", \"frequency_mhz\": 1862.5, \"bandwidth_mhz\": 15, \"eirp_dbm\": 60}]}"
        )
        let typed = try run(["share-check", "--proposal", "t.json", "--output", "o-t"] + inputs)
        XCTAssertEqual(typed.code, 1)
        XCTAssertTrue(typed.err.contains("field 'transmitters[0].antenna_height_m': expected a number"), typed.err)
    }

    func testShareCheckProductsAreDeterministic() throws {
        let inputs = try shareInputs()
        let p = try proposal("p.json")
        let a = try run(["share-check", "--proposal", p, "--output", "run1"] + inputs)
        XCTAssertEqual(a.code, 0, a.err)
        XCTAssertEqual(try run(["share-check", "--proposal", p, "--output", "run2"] + inputs).code, 0)
        for f in ["result.json", "report.html", "map.png"] {
            let x = try Data(contentsOf: dir.appendingPathComponent("run1").appendingPathComponent(f))
            let y = try Data(contentsOf: dir.appendingPathComponent("run2").appendingPathComponent(f))
            XCTAssertGreaterThan(x.count, 100, f)
            XCTAssertEqual(x, y, "\(f) differs between two runs")
        }
        let html = try String(contentsOf: dir.appendingPathComponent("run1/report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("data:image/png;base64,"))
        XCTAssertTrue(html.contains("Villages gained"))
        XCTAssertFalse(html.contains(dir.path), "no absolute path in the report")
        XCTAssertFalse(html.contains("<script"))
        let j = try resultJSON("run1")
        XCTAssertEqual(Set(outcomes(j).keys), ["sharing", "coverage", "interference", "intermodulation", "exposure", "verdict"])
        XCTAssertEqual(j["verdict"] as? String, outcomes(j)["verdict"])
        // Keys sorted in the file.
        let text = try String(contentsOf: dir.appendingPathComponent("run1/result.json"), encoding: .utf8)
        let top = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { String($0.dropFirst(3).prefix { $0 != "\"" }) }
        XCTAssertEqual(top, top.sorted())
    }

    /// The sample proposals of data/proposals on the sample province (Hata, no DEM): a co-location that passes,
    /// a new tower next to a shareable tower (review), a co-location on another operator's block (fail).
    func testShareCheckSampleProposals() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = root.appendingPathComponent("data")
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: data.appendingPathComponent("proposals").path),
            "data/proposals (the sample proposals) must be in the repository")
        let common = [
            "--transmitters", data.appendingPathComponent("transmitters.csv").path,
            "--assignments", data.appendingPathComponent("assignments.csv").path,
            "--villages", data.appendingPathComponent("villages.csv").path
        ]
        for (file, verdict, check) in [
            ("co_location_pass", "pass", "sharing"), ("new_tower_near_shared", "review", "sharing"),
            ("co_location_interferes", "fail", "interference")
        ] {
            let r = try run(["share-check", "--proposal", data.appendingPathComponent("proposals/\(file).json").path, "--output", file] + common)
            XCTAssertEqual(r.code, 0, r.err)
            let j = try resultJSON(file)
            XCTAssertEqual(j["verdict"] as? String, verdict, "\(file): \(r.out)")
            XCTAssertEqual(outcomes(j)[check], verdict, "\(file): \(r.out)")
        }
    }

    /// result.json holds the figures' numbers as JSON numbers (counts as integers) with their unit beside them, and a
    /// value of several parts with each part under its own key. Failed before: every value was a formatted string
    /// ("500.0", "1", "0, population 0").
    func testShareCheckResultHoldsNumbersAsNumbers() throws {
        let p = try write(
            "nt.json",
            """
            {"operator": "MobiFone", "kind": "new_tower", "site_id": "MF-N1", "latitude": 10.901, "longitude": 107.001, "tower_height_m": 40,
             "transmitters": [{"id": "MF-N1-1", "technology": "4G", "antenna_height_m": 35, "frequency_mhz": 1862.5, "bandwidth_mhz": 15,
                               "eirp_dbm": 60, "azimuth_deg": 30, "mechanical_tilt_deg": 2, "electrical_tilt_deg": 4}]}
            """)
        let r = try run(["share-check", "--proposal", p, "--output", "numbers"] + (try shareInputs()))
        XCTAssertEqual(r.code, 0, r.err)
        let j = try resultJSON("numbers")
        var figures: [String: [String: Any]] = [:]
        for c in j["checks"] as? [[String: Any]] ?? [] {
            for f in c["figures"] as? [[String: Any]] ?? [] { figures["\(c["id"] as! String)/\(f["name"] as! String)"] = f }
        }
        let radius = try XCTUnwrap(figures["sharing/sharing radius"])
        let value = try XCTUnwrap(radius["value"])
        XCTAssertTrue(value is NSNumber, "sharing radius: \(type(of: value)) \(value)")
        XCTAssertFalse(value is String)
        XCTAssertEqual((value as? NSNumber)?.doubleValue, 500)
        XCTAssertEqual(radius["unit"] as? String, "m")
        XCTAssertEqual((figures["sharing/towers within the radius"]?["value"] as? NSNumber)?.intValue, 1)
        let villages = try XCTUnwrap(figures.first { $0.key.hasPrefix("coverage/") && $0.key.hasSuffix("villages newly covered (no operator before)") }?.value)
        XCTAssertTrue(villages["value"] is NSNumber)
        XCTAssertTrue(villages["population"] is NSNumber)
        let onTower = try XCTUnwrap(figures["exposure/transmitters on the tower"])
        XCTAssertEqual((onTower["value"] as? NSNumber)?.intValue, 1)
        XCTAssertEqual((onTower["existing"] as? NSNumber)?.intValue, 0)
        XCTAssertEqual((onTower["proposed"] as? NSNumber)?.intValue, 1)
        XCTAssertEqual(figures["exposure/total EIRP"]?["unit"] as? String, "dBW")
        // No number left as text; counts written as integers.
        for (k, f) in figures { if let s = f["value"] as? String { XCTAssertNil(Double(s), "\(k): \(s) is a number written as text") } }
        let text = try String(contentsOf: dir.appendingPathComponent("numbers/result.json"), encoding: .utf8)
        XCTAssertTrue(text.contains("\"value\": 500.0"), "sharing radius as a JSON number")
        XCTAssertFalse(text.contains("\"value\": \"500.0\""))
        // The report shows them as before.
        let html = try String(contentsOf: dir.appendingPathComponent("numbers/report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("sharing radius: <b>500.0</b> m"))
        XCTAssertTrue(html.contains("transmitters on the tower: <b>1 (0 existing + 1 proposed)</b>"))
    }
}

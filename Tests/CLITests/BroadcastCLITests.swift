import Foundation
import Reports
import TansoCLI
import TestSupport
import XCTest

/// `tanso broadcast` and `tanso channels` through the executable, on the sample register (data/assignments.csv)
/// over a coarse sample DEM and a small grid (the debug build's P.1546 is slow).
extension CLITests {
    /// The sample terrain at 15″ (≈ 460 m), enough for a 2–3 km test grid.
    func coarseSampleDEM() throws -> String {
        let path = dir.appendingPathComponent("dem15.tif").path
        if !FileManager.default.fileExists(atPath: path) { try SampleProvince.dem(arcSeconds: 15).write(to: path) }
        return path
    }

    var sampleRegister: String { ReferenceData.projectRoot().appendingPathComponent("data/assignments.csv").path }
    var sampleVillages: String { ReferenceData.projectRoot().appendingPathComponent("data/villages.csv").path }

    func broadcastCSV(_ path: String) throws -> [[String: String]] {
        let rows = Self.parseCSV(try String(contentsOfFile: path, encoding: .utf8))
        guard let header = rows.first else { return [] }
        return rows.dropFirst().filter { $0.count == header.count }.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// RFC 4180 fields (quoted fields may hold commas and doubled quotes), one row per line.
    static func parseCSV(_ text: String) -> [[String]] {
        text.split(whereSeparator: \.isNewline).map { line in
            var fields: [String] = [], cur = "", quoted = false
            var it = Array(line), i = 0
            while i < it.count {
                let ch = it[i]
                if quoted {
                    if ch == "\"" { if i + 1 < it.count && it[i + 1] == "\"" { cur.append("\""); i += 1 } else { quoted = false } } else { cur.append(ch) }
                } else if ch == "\"" {
                    quoted = true
                } else if ch == "," {
                    fields.append(cur); cur = ""
                } else {
                    cur.append(ch)
                }
                i += 1
            }
            it.removeAll()
            fields.append(cur)
            return fields
        }
    }

    /// The planted plan breach of the sample data (FM-40, 97.8 MHz, 100 kHz from the VOV3 relay FM-10 on Chứa Chan)
    /// is found and explained; the other breaches are the register's deliberate FM conflicts, nothing else.
    func testBroadcastFindsAndExplainsThePlantedBreach() throws {
        let out = dir.appendingPathComponent("bc").path
        let r = try run([
            "broadcast", "--assignments", sampleRegister, "--dem", try coarseSampleDEM(), "--villages", sampleVillages,
            "--area", "107.25,10.72,107.58,11.00", "--resolution-m", "2000", "--max-radius-km", "60", "--output", out
        ])
        XCTAssertEqual(r.code, 0, r.err)
        let breaches = try broadcastCSV(out + "/breaches.csv")
        let pairs = Set(breaches.map { "\($0["victim"]!)<-\($0["interferer"]!)" })
        XCTAssertTrue(pairs.contains("FM-10<-FM-40"), "\(pairs)")
        let allowed: Set<String> = ["FM-10<-FM-40", "FM-40<-FM-10", "FM-01<-FM-02", "FM-02<-FM-01", "FM-03<-FM-04", "FM-04<-FM-03"]
        XCTAssertTrue(pairs.isSubset(of: allowed), "unexpected breaches: \(pairs.subtracting(allowed))")
        let planted = try XCTUnwrap(breaches.first { $0["victim"] == "FM-10" && $0["interferer"] == "FM-40" })
        let why = planted["explanation"]!
        for part in ["FM-40 (97.8 MHz", "100 kHz from FM-10 (97.7 MHz)", "25.0 dB of protection", "nuisance field", "km²"] {
            XCTAssertTrue(why.contains(part), "'\(part)' missing from: \(why)")
        }
        XCTAssertGreaterThan(Double(planted["area_pct"]!)!, 1)
        print("planted breach: \(why)")
        // The products: station pages, the plan report with real SVG text, the GeoPackage layers.
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        XCTAssertTrue(html.contains("<svg") && html.contains(">FM-40</text>") && !html.contains("http://www.w3.org/1999/xhtml\" src=\"http"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/stations/FM-40.html"))
        let stations = try broadcastCSV(out + "/stations.csv")
        XCTAssertEqual(stations.count, 50)
        let fm10 = try XCTUnwrap(stations.first { $0["id"] == "FM-10" })
        XCTAssertLessThan(Double(fm10["interference_limited_km2"]!)!, Double(fm10["noise_limited_km2"]!)!)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/broadcast.gpkg"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/study.json"))
    }

    /// The free-channel round trip: the top-ranked channel added to the register gives no new conflict in
    /// `tanso conflicts` (FM over the terrain, and land mobile on the register alone).
    func testChannelsTopRankedChannelAddsNoConflict() throws {
        let cases: [(service: String, extra: [String], bandwidth: String, emission: String)] = [
            (
                "broadcast_fm",
                [
                    "--dem", try coarseSampleDEM(), "--villages", sampleVillages, "--area", "107.25,10.75,107.55,11.00", "--resolution-m", "3000",
                    "--max-radius-km", "50"
                ], "200", "200KF8E"
            ),
            ("land_mobile", [], "12.5", "11K0F3E")
        ]
        let before = dir.appendingPathComponent("conf-before").path
        XCTAssertEqual(try run(["conflicts", "--assignments", sampleRegister, "--output", before]).code, 0)
        let old = Set(try broadcastCSV(before + "/conflicts.csv").map { [$0["kind"]!, $0["a_id"]!, $0["b_id"]!, $0["c_id"] ?? ""].joined(separator: "|") })
        for c in cases {
            let out = dir.appendingPathComponent("ch-\(c.service)").path
            let r = try run(
                ["channels", "--service", c.service, "--at", "10.93,107.40", "--height-m", "40", "--erp-dbw", "23", "--assignments", sampleRegister]
                    + c.extra + ["--output", out])
            XCTAssertEqual(r.code, 0, r.err)
            let ranked = try broadcastCSV(out + "/channels.csv")
            // FM 87.5–108.0 MHz every 100 kHz: 206; land mobile 12.5 kHz channels wholly inside 136–174 and 403–470 MHz: 3,039 + 5,359.
            XCTAssertEqual(ranked.count, c.service == "broadcast_fm" ? 206 : 8398)
            let top = try XCTUnwrap(ranked.first)
            XCTAssertEqual(top["rank"], "1")
            XCTAssertEqual(top["conflicts"], "0", "\(top)")
            // The checks are live: some channel does conflict (FM: 97.7 MHz, the VOV3 relay 4 km away).
            XCTAssertTrue(ranked.contains { $0["conflicts"] != "0" })
            // Add it to the register and run the register checks.
            var text = try String(contentsOfFile: sampleRegister, encoding: .utf8)
            if !text.hasSuffix("\n") { text += "\n" }
            text +=
                "NEW-1,ST-NEW,applicant,\(c.service),\(top["centre_mhz"]!),\(c.bandwidth),\(c.emission),10.930000,107.400000,40.0,\(String(format: "%.2f", 23 + 30 + 2.15)),,,,,\n"
            let register = try write("register-\(c.service).csv", text)
            let after = dir.appendingPathComponent("conf-after-\(c.service)").path
            XCTAssertEqual(try run(["conflicts", "--assignments", register, "--output", after]).code, 0)
            let now = Set(try broadcastCSV(after + "/conflicts.csv").map { [$0["kind"]!, $0["a_id"]!, $0["b_id"]!, $0["c_id"] ?? ""].joined(separator: "|") })
            XCTAssertEqual(now.subtracting(old), [], "\(c.service): the top channel \(top["channel"]!) brought conflicts")
            print("channels \(c.service): top \(top["channel"]!): \(top["reasons"]!)")
        }
    }
}

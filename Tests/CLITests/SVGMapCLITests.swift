import Analysis
import Foundation
import Geo
import TestSupport
import XCTest

/// Issue 22: the maps of the `monitor` and `broadcast` HTML reports are inline SVG with real text (names,
/// boundaries, legend), never a bitmap map; each marker, line and polygon counted against the products.
extension CLITests {
    var districts: String { get throws { try ReferenceData.require("geography/vietnam/dvhcvn_daohoangson/gis/75.json").path } }

    /// The first `<svg …>…</svg>` after `marker` in `html`.
    func svgMap(_ html: String, after marker: String) throws -> String {
        let start = try XCTUnwrap(html.range(of: marker), "no '\(marker)'")
        let from = try XCTUnwrap(html.range(of: "<svg", range: start.upperBound..<html.endIndex))
        let to = try XCTUnwrap(html.range(of: "</svg>", range: from.upperBound..<html.endIndex))
        return String(html[from.lowerBound..<to.upperBound])
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The texts of the `<text>` elements of an SVG.
    func texts(_ svg: String) -> [String] {
        svg.components(separatedBy: "<text").dropFirst().compactMap { part in
            guard let open = part.firstIndex(of: ">"), let close = part.range(of: "</text>") else { return nil }
            return String(part[part.index(after: open)..<close.lowerBound])
        }
    }

    func testMonitorReportDrawsItsMapAsSVGWithRealText() throws {
        let out = dir.appendingPathComponent("mon").path
        let r = try run([
            "monitor", "--emissions", sampleData("data/monitoring/emissions.csv"), "--sweeps", sampleData("data/monitoring/sweeps.csv"),
            "--assignments", sampleData("data/assignments.csv"), "--admin", try districts, "--output", out
        ])
        XCTAssertEqual(r.code, 0, r.err)
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        XCTAssertFalse(html.contains("<img"), "no bitmap map")
        let map = try svgMap(html, after: "<h2>Map</h2>")
        let labels = texts(map)
        for station in ["MON-BH", "MON-LK", "MON-VAN"] { XCTAssertTrue(labels.contains(station), "\(station) not named: \(labels)") }
        for district in ["Thành phố Biên Hòa", "Huyện Trảng Bom"] { XCTAssertTrue(labels.contains(district), "\(district) not named") }
        XCTAssertTrue(labels.contains("Legend") && labels.contains { $0.hasSuffix(" km") }, "legend and scale bar")
        // One numbered marker per finding, one line per finding with an assignment, one diamond per transmitter.
        let findings = Self.parseCSV(try String(contentsOfFile: out + "/findings.csv", encoding: .utf8)).dropFirst()
        let withAssignment = findings.filter { !$0[6].isEmpty }
        XCTAssertEqual(count("class=\"finding\"", in: map), findings.count)
        XCTAssertEqual(count("class=\"finding-line\"", in: map), withAssignment.count)
        XCTAssertEqual(count("class=\"transmitter\"", in: map), Set(withAssignment.map { $0[6] }).count)
        for n in 1...findings.count { XCTAssertTrue(labels.contains(String(n)), "finding #\(n) unnumbered") }
        for id in Set(withAssignment.map { $0[6] }) { XCTAssertTrue(labels.contains(id), "transmitter \(id) not named") }
        XCTAssertEqual(count("class=\"admin-unit\"", in: map), try AdminLayer.load(try districts).units.reduce(0) { $0 + $1.geometry.polygons.count })
        print("monitor map: \(findings.count) findings, \(withAssignment.count) lines, \(labels.count) texts")
    }

    func testBroadcastReportsDrawTheirMapsAsSVGWithRealText() throws {
        let out = dir.appendingPathComponent("bc").path
        let r = try run([
            "broadcast", "--assignments", sampleRegister, "--dem", try coarseSampleDEM(), "--villages", sampleVillages, "--admin", try districts,
            "--area", "107.25,10.72,107.58,11.00", "--resolution-m", "2000", "--max-radius-km", "60", "--output", out
        ])
        XCTAssertEqual(r.code, 0, r.err)
        let plan = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        XCTAssertFalse(plan.contains("<img"), "no bitmap map")
        let planMap = try svgMap(plan, after: "<h2>Map of the plan</h2>")
        let labels = texts(planMap)
        for name in ["FM-10", "FM-40"] { XCTAssertTrue(labels.contains { $0.components(separatedBy: ", ").contains(name) }, "\(name) not named: \(labels)") }
        XCTAssertTrue(labels.contains("Huyện Xuân Lộc"), "district not named")
        XCTAssertTrue(labels.contains("FM-40 → FM-10") && labels.contains("FM-10 → FM-40"), "the planted breach named")
        XCTAssertTrue(labels.contains("Legend") && labels.contains { $0.hasSuffix(" km") }, "legend and scale bar")
        let breaches = try broadcastCSV(out + "/breaches.csv")
        XCTAssertEqual(count("class=\"breach\"", in: planMap), breaches.count)
        XCTAssertEqual(
            count("class=\"admin-unit\"", in: planMap), try AdminLayer.load(try districts).units.reduce(0) { $0 + $1.geometry.polygons.count })
        // The station page of the victim: its service areas, polygon for polygon as in broadcast.gpkg.
        let page = try String(contentsOfFile: out + "/stations/FM-10.html", encoding: .utf8)
        XCTAssertFalse(page.contains("<img"))
        let map = try svgMap(page, after: "<figure>")
        let areas = try VectorReader.read(out + "/broadcast.gpkg", layer: "service_areas").features.filter { $0.attributes["id"] == "FM-10" }
        for kind in ["noise_limited", "interference_limited"] {
            let polygons = areas.filter { $0.attributes["kind"] == kind }.reduce(0) { $0 + ($1.geometry?.polygons.count ?? 0) }
            XCTAssertGreaterThan(polygons, 0, kind)
            XCTAssertEqual(count("class=\"service-area \(kind.replacingOccurrences(of: "_", with: "-"))\"", in: map), polygons, kind)
        }
        XCTAssertTrue(texts(map).contains { $0.components(separatedBy: ", ").contains("FM-40") }, "the interferer named")
        XCTAssertEqual(count("class=\"breach\"", in: map), breaches.filter { $0["victim"] == "FM-10" }.count)
    }
}

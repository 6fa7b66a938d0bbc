import XCTest
import TestSupport
import Foundation
import Geo
@testable import Records

final class RecordsTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-records-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    let header =
        "id,site_id,operator,technology,latitude,longitude,antenna_height_m,frequency_mhz,bandwidth_mhz,eirp_dbm,azimuth_deg,mechanical_tilt_deg,electrical_tilt_deg,antenna_pattern"

    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Issue 15: the CSV writer refuses a formatted NaN or infinity, names file, row and column, writes nothing.
    func testCSVWriterRefusesNonFiniteCells() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-nan-\(UUID().uuidString).csv").path
        for bad in ["nan", "-nan", "inf", "-inf", "NaN"] {
            XCTAssertThrowsError(try CSV.write(header: ["id", "loss_db"], rows: [["a", "1.0"], ["b", bad]], to: path)) { error in
                XCTAssertTrue("\(error)".contains("row 2, column 'loss_db'"), "\(error)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        }
        try CSV.write(header: ["id", "name"], rows: [["a", "Nang"], ["b", "-9999"]], to: path)
        try FileManager.default.removeItem(atPath: path)
    }

    func testGoodTransmittersCSV() throws {
        let path = try write(
            "tx.csv",
            """
            \(header)
            T1,S1,Viettel,4G,10.95,106.84,30,1842.5,20,61,120,2,4,
            T2,S1,Viettel,2g,10.95,106.84,30,945,0.2,53,,,,ant.msi
            """)
        var report = LoadReport()
        let tx = try TransmitterLoader.load(path, report: &report)
        XCTAssertEqual(tx.count, 2)
        XCTAssertEqual(tx[0].azimuthDeg, 120); XCTAssertEqual(tx[0].electricalTiltDeg, 4)
        XCTAssertEqual(tx[0].latitude, 10.95); XCTAssertEqual(tx[0].longitude, 106.84)
        XCTAssertNil(tx[1].azimuthDeg, "empty azimuth = omnidirectional")
        XCTAssertEqual(tx[1].technology, .gsm)
        XCTAssertEqual(tx[1].antennaPattern, "ant.msi")
        XCTAssertTrue(report.skipped.isEmpty)
    }

    func testEIRPFromPowerGainAndLosses() throws {
        let path = try write(
            "tx.csv",
            """
            id,site_id,operator,technology,latitude,longitude,antenna_height_m,frequency_mhz,bandwidth_mhz,tx_power_dbm,antenna_gain_dbi,losses_db
            T1,S1,VNPT,4G,10.9,106.9,30,1800,20,46,17.5,2.5
            """)
        var report = LoadReport()
        XCTAssertEqual(try TransmitterLoader.load(path, report: &report)[0].eirpDBm, 61)
    }

    func assertError(
        _ body: String, row: Int?, column: String?, value: String?, contains: String,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let path = try write("bad.csv", body)
        var report = LoadReport()
        XCTAssertThrowsError(try TransmitterLoader.load(path, report: &report), file: file, line: line) { e in
            guard let err = e as? RecordError else { return XCTFail("not a RecordError: \(e)", file: file, line: line) }
            XCTAssertEqual(err.row, row, file: file, line: line)
            XCTAssertEqual(err.column, column, file: file, line: line)
            XCTAssertEqual(err.value, value, file: file, line: line)
            XCTAssertTrue(err.description.contains("bad.csv"), err.description, file: file, line: line)
            XCTAssertTrue(err.description.contains(contains), err.description, file: file, line: line)
        }
    }

    func testBadInputsNameFileRowColumnValueAndExpectation() throws {
        try assertError("id,site_id,operator\nT1,S1,X\n", row: nil, column: "technology", value: nil, contains: "a column named 'technology'")
        try assertError("\(header)\nT1,S1,V,4G,ten,106.8,30,1800,20,60,,,,\n", row: 1, column: "latitude", value: "ten", contains: "[-90, 90] degrees")
        try assertError(
            "\(header)\nT1,S1,V,4G,10.9,106.8,30,1800,20,60,,,,\nT2,S1,V,4G,95,106.8,30,1800,20,60,,,,\n",
            row: 2, column: "latitude", value: "95", contains: "bad.csv:3: row 2")
        try assertError("\(header)\nT1,S1,V,4G,10.9,106.8,30,-5,20,60,,,,\n", row: 1, column: "frequency_mhz", value: "-5", contains: "MHz")
        try assertError(
            "\(header)\nT1,S1,V,4G,10.9,106.8,30,1800,20,60,,,,\nT1,S2,V,4G,10.9,106.8,30,1800,20,60,,,,\n",
            row: 2, column: "id", value: "T1", contains: "already used in row 1")
        try assertError("\(header)\nT1,S1,V,7G,10.9,106.8,30,1800,20,60,,,,\n", row: 1, column: "technology", value: "7G", contains: "2G, 3G, 4G, 5G")
        try assertError("\(header)\nT1,S1,V,4G,10.9,106.8,30,1800,20,,,,,\n", row: 1, column: "eirp_dbm", value: nil, contains: "tx_power_dbm")
        try assertError("\(header)\nT1,S1,V,4G,10.9,106.8,30,1800,20,60,400,,,\n", row: 1, column: "azimuth_deg", value: "400", contains: "[0, 360]")
    }

    func testSkipInvalidReportsEveryBadRowAndKeepsTheGoodOnes() throws {
        let path = try write(
            "mixed.csv",
            """
            \(header)
            T1,S1,V,4G,10.9,106.8,30,1800,20,60,,,,
            T2,S1,V,4G,95,106.8,30,1800,20,60,,,,
            T3,S1,V,4G,10.9,106.8,30,abc,20,60,,,,
            T1,S1,V,4G,10.9,106.8,30,1800,20,60,,,,
            T4,S1,V,4G,10.9,106.8,30,1800,20,60,,,,
            """)
        var report = LoadReport()
        let tx = try TransmitterLoader.load(path, skipInvalid: true, report: &report)
        XCTAssertEqual(tx.map(\.id), ["T1", "T4"])
        XCTAssertEqual(report.skipped.map(\.row), [2, 3, 4])
        XCTAssertEqual(report.skipped.map(\.column), ["latitude", "frequency_mhz", "id"])
    }

    func testVillagesFromCSVAndFromGeoPackagePolygons() throws {
        let csv = try write(
            "v.csv",
            """
            id,name,commune,district,latitude,longitude,population
            V1,"Ấp 1, Bàu Hàm",Xã Bàu Hàm,Trảng Bom,10.95,107.05,1200
            V2,Khu phố 3,Phường Tân Hiệp,Biên Hòa,10.96,106.86,3400
            """)
        var report = LoadReport()
        let villages = try VillageLoader.load(csv, report: &report)
        XCTAssertEqual(villages.map(\.name), ["Ấp 1, Bàu Hàm", "Khu phố 3"])
        XCTAssertEqual(villages[1].population, 3400)

        var layer = LayerData(
            name: "villages",
            fields: [
                ("id", .string), ("name", .string), ("commune", .string),
                ("district", .string), ("population", .integer)
            ], geometryType: .polygon)
        let ring = [Coordinate(107.0, 10.9), Coordinate(107.02, 10.9), Coordinate(107.02, 10.92), Coordinate(107.0, 10.92)]
        layer.append(.polygon([ring]), [.string("P1"), .string("Ấp Polygon"), .string("Xã A"), .string("Huyện B"), .integer(500)])
        let gpkg = dir.appendingPathComponent("v.gpkg").path
        try VectorWriter.write([layer], to: gpkg)
        let poly = try VillageLoader.load(gpkg, report: &report)
        XCTAssertEqual(poly.count, 1)
        XCTAssertEqual(poly[0].longitude, 107.01, accuracy: 1e-9)
        XCTAssertEqual(poly[0].latitude, 10.91, accuracy: 1e-9)
        XCTAssertNotNil(poly[0].outline)
    }

    func testBadVillagePopulation() throws {
        let csv = try write("v.csv", "id,name,commune,district,latitude,longitude,population\nV1,A,B,C,10.9,107,-3\n")
        var report = LoadReport()
        XCTAssertThrowsError(try VillageLoader.load(csv, report: &report)) { e in
            XCTAssertEqual((e as? RecordError)?.column, "population")
            XCTAssertTrue("\(e)".contains("whole number"), "\(e)")
        }
    }

    func testZonesNeedPolygons() throws {
        let json = """
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"id":"Z1","name":"KCN A","kind":"industrial_park"},
              "geometry":{"type":"Polygon","coordinates":[[[106.8,10.9],[106.9,10.9],[106.9,11.0],[106.8,10.9]]]}},
             {"type":"Feature","properties":{"id":"Z2","name":"B","kind":"industrial_park"},"geometry":{"type":"Point","coordinates":[106.8,10.9]}}]}
            """
        let path = try write("z.geojson", json)
        var report = LoadReport()
        let zones = try ZoneLoader.load(path, skipInvalid: true, report: &report)
        XCTAssertEqual(zones.map(\.id), ["Z1"])
        XCTAssertEqual(report.skipped.first?.column, "geometry")
        XCTAssertTrue(report.skipped.first!.description.contains("feature 2"), report.skipped.first!.description)
    }

    func testMissingFileIsARecordError() {
        var report = LoadReport()
        XCTAssertThrowsError(try TransmitterLoader.load(dir.appendingPathComponent("none.csv").path, report: &report)) { e in
            XCTAssertTrue("\(e)".contains("none.csv") && "\(e)".contains("no such file"), "\(e)")
        }
    }

    func testCSVParserAndWriter() {
        let text = "a,b,c\r\n1,\"x, y\",\"he said \"\"hi\"\"\"\n2,,\"multi\nline\"\n"
        XCTAssertEqual(CSV.parse(text), [["a", "b", "c"], ["1", "x, y", "he said \"hi\""], ["2", "", "multi\nline"]])
        let rows = [["1", "x, y", "q\"q"], ["", "plain", "a\nb"]]
        XCTAssertEqual(CSV.parse(CSV.format(header: ["h1", "h2", "h3"], rows: rows)), [["h1", "h2", "h3"]] + rows)
        XCTAssertEqual(CSV.parse("x\n\n1"), [["x"], ["1"]])
        XCTAssertEqual(CSV.number(nil), "")
        XCTAssertEqual(CSV.number(-80.456, decimals: 1), "-80.5")
    }

    /// `CSV.number` (C's `%.*f` into a buffer) writes what Foundation's `String(format:)` writes, on 200,000 seeded
    /// values of every magnitude and sign, with 0–6 decimals, ties and negative zeros; beyond 63 characters it
    /// falls back to Foundation.
    func testCSVNumberEqualsFoundationsFormatting() {
        var g = SeededGenerator(seed: 4)
        var values: [Double] = [0, -0.0, 0.5, 1.5, 2.5, -0.004, -0.005, 0.125, 1e-12, -1e-12, 123_456_789.987_654, 1e15, -2.675, 1e200, -1e300]
        for _ in 0..<200_000 {
            let scale = Double.random(in: -9...12, using: &g)
            values.append((Bool.random(using: &g) ? -1 : 1) * Double.random(in: 0..<10, using: &g) * pow(10, scale.rounded(.down)))
        }
        for (i, x) in values.enumerated() {
            let d = i % 7
            XCTAssertEqual(CSV.number(x, decimals: d), String(format: "%.\(d)f", x), "\(x) with \(d) decimals")
        }
        XCTAssertEqual(CSV.number(.nan), "")
        XCTAssertEqual(CSV.number(-.infinity), "")
        // A field holding a CR LF pair (one Character) is quoted, as a lone CR or LF is.
        XCTAssertEqual(CSV.escape("a\r\nb"), "\"a\r\nb\"")
        XCTAssertEqual(CSV.escape("a\rb"), "\"a\rb\"")
        XCTAssertEqual(CSV.escape("Hà Nội, Việt Nam"), "\"Hà Nội, Việt Nam\"")
        XCTAssertEqual(CSV.escape("Hà Nội"), "Hà Nội")
    }
}

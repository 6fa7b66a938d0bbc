import XCTest
import Foundation
import TestSupport
import Geo

/// End-to-end tests of the `tanso` executable: exit codes, help, errors, and the contents of the products.
final class CLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    var executable: URL { TansoExecutable.url }

    @discardableResult
    func run(_ args: [String]) throws -> (code: Int32, out: String, err: String) {
        let r = try runProcess(executable, args, in: dir)
        return (r.code, r.out, r.err)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testHelpAndUsageErrors() throws {
        let main = try run(["--help"])
        XCTAssertEqual(main.code, 0)
        for c in ["demo", "coverage", "villages"] { XCTAssertTrue(main.out.contains(c)) }
        // Every command's summary starts in one column, with at least two spaces after the longest name
        // ("interference", "measurements" once ran into their summaries).
        let lines = main.out.components(separatedBy: "Commands:\n")[1].components(separatedBy: "\n\n")[0].split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 10)
        let columns = Set(lines.map { line in line.dropFirst(2).firstIndex(of: " ").map { line.distance(from: line.startIndex, to: $0) } ?? 0 })
        let starts = Set(lines.map { line in line.distance(from: line.startIndex, to: line.dropFirst(2).drop { $0 != " " }.drop { $0 == " " }.startIndex) })
        XCTAssertEqual(starts.count, 1, "summaries start in different columns:\n" + lines.joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(starts.first! - columns.max()!, 2, lines.joined(separator: "\n"))
        for c in ["demo", "coverage", "villages", "sample", "pathloss"] {
            let h = try run([c, "--help"])
            XCTAssertEqual(h.code, 0, c)
            XCTAssertTrue(h.out.contains("Usage: tanso \(c)"), h.out)
        }
        XCTAssertEqual(try run([]).code, 2)
        let unknown = try run(["coverag"])
        XCTAssertEqual(unknown.code, 2)
        XCTAssertTrue(unknown.err.contains("did you mean 'coverage'"), unknown.err)
        let badOpt = try run(["villages", "--threshold", "-90"])
        XCTAssertEqual(badOpt.code, 2)
        XCTAssertTrue(badOpt.err.contains("unknown option --threshold"), badOpt.err)
        let missing = try run(["villages", "--coverage", "x.tif"])
        XCTAssertEqual(missing.code, 2)
        XCTAssertTrue(missing.err.contains("missing required option"), missing.err)
        let notNumber = try run(["villages", "--coverage", "x.tif", "--villages", "v.csv", "--threshold-dbm", "abc", "--output", "o.csv"])
        XCTAssertEqual(notNumber.code, 2)
        XCTAssertTrue(notNumber.err.contains("expects a number"), notNumber.err)
    }

    let txHeader =
        "id,site_id,operator,technology,latitude,longitude,antenna_height_m,frequency_mhz,bandwidth_mhz,eirp_dbm,azimuth_deg,mechanical_tilt_deg,electrical_tilt_deg,antenna_pattern"

    func testBadInputExitsOneWithAOneLineMessage() throws {
        _ = try write("tx.csv", "\(txHeader)\nT1,S1,V,4G,10.9,106.8,30,1800,20,60,,,,\nT2,S1,V,4G,95,106.8,30,1800,20,60,,,,\n")
        let r = try run(["coverage", "--transmitters", "tx.csv", "--output", "out"])
        XCTAssertEqual(r.code, 1)
        XCTAssertEqual(r.err.split(separator: "\n").count, 1, r.err)
        XCTAssertTrue(r.err.contains("tx.csv:3: row 2, column 'latitude': value '95'"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path), "nothing written on failure")
    }

    /// A small scenario: two omni transmitters, a hill DEM, five villages. Checks the products' contents.
    /// --clutter-raster with --clutter-table: the signal drops by the class loss, the study record keeps the table
    /// and both files' checksums; either option alone is a usage error (exit 2).
    func testCoverageWithALandCoverClutterMap() throws {
        _ = try write("tx.csv", "\(txHeader)\nA1,SA,Viettel,4G,10.950,106.900,30,773,10,60,,,,\n")
        _ = try write("classes.csv", "class,loss_db\n40,5\n")
        let lc = RasterGrid(
            width: 300, height: 300, geoTransform: GeoTransform(originX: 106.75, originY: 11.10, pixelWidth: 0.001, pixelHeight: 0.001),
            crs: "EPSG:4326", nodata: 0, fill: 40)
        try lc.write(to: dir.appendingPathComponent("lc.tif").path)
        let common = ["coverage", "--transmitters", "tx.csv", "--area", "106.85,10.90,106.95,11.00", "--resolution-m", "200"]
        XCTAssertEqual(try run(common + ["--output", "plain"]).code, 0)
        let r = try run(common + ["--clutter-raster", "lc.tif", "--clutter-table", "classes.csv", "--output", "clutter"])
        XCTAssertEqual(r.code, 0, r.err)
        let plain = try RasterDataset(path: dir.appendingPathComponent("plain/best_signal_dbm.tif").path).read()
        let clutter = try RasterDataset(path: dir.appendingPathComponent("clutter/best_signal_dbm.tif").path).read()
        var compared = 0
        for (a, b) in zip(plain, clutter) where a != -9999 {
            XCTAssertEqual(b, a - 5, accuracy: 1e-4)
            compared += 1
        }
        XCTAssertGreaterThan(compared, 100)
        let study = try String(contentsOf: dir.appendingPathComponent("clutter/study.json"), encoding: .utf8)
        XCTAssertTrue(study.contains("clutter_raster") && study.contains("clutter_table") && study.contains("clutterClassLossDB"), study)
        let alone = try run(common + ["--clutter-raster", "lc.tif", "--output", "x"])
        XCTAssertEqual(alone.code, 2)
        XCTAssertTrue(alone.err.contains("--clutter-table"), alone.err)
        XCTAssertEqual(try run(common + ["--clutter-table", "classes.csv", "--output", "y"]).code, 2)
    }

    func testCoverageAndVillagesEndToEnd() throws {
        _ = try write(
            "tx.csv",
            """
            \(txHeader)
            A1,SA,Viettel,4G,10.950,106.900,30,773,10,60,,,,
            B1,SB,MobiFone,4G,10.950,106.960,40,1842.5,15,62,270,2,4,
            """)
        _ = try write(
            "villages.csv",
            """
            id,name,commune,district,latitude,longitude,population
            V1,Near A,Xã 1,Huyện X,10.951,106.905,1000
            V2,Near B,Xã 1,Huyện X,10.950,106.950,800
            V3,Far,Xã 2,Huyện Y,11.030,107.040,300
            V4,Outside,Xã 2,Huyện Y,12.000,107.000,50
            V5,Mid,Xã 3,Huyện Y,10.990,106.930,400
            """)
        // DEM: a geographic 0.001° grid with a 200 m hill.
        var dem = RasterGrid(
            width: 200, height: 150, geoTransform: GeoTransform(originX: 106.85, originY: 11.05, pixelWidth: 0.001, pixelHeight: 0.001),
            crs: "EPSG:4326", nodata: -32768, fill: 10)
        for r in 0..<150 { for c in 0..<200 { dem[c, r] = 10 + 200 * Float(exp(-(pow(Double(c - 100), 2) + pow(Double(r - 75), 2)) / 400)) } }
        try dem.write(to: dir.appendingPathComponent("dem.tif").path)

        let r = try run([
            "coverage", "--transmitters", "tx.csv", "--villages", "villages.csv", "--dem", "dem.tif",
            "--area", "106.85,10.90,107.05,11.05", "--resolution-m", "100", "--output", "out", "--threshold", "4G=-85"
        ])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("Villages without 4G/5G from any operator"), r.out)

        // Raster: georeferenced Float32 in UTM 48N with nodata.
        let best = try RasterDataset(path: dir.appendingPathComponent("out/best_signal_dbm.tif").path)
        XCTAssertTrue(best.crs.contains("UTM zone 48N"), best.crs)
        XCTAssertEqual(try best.nodata(), -9999)
        XCTAssertEqual(best.geoTransform.pixelWidth, 100)
        let grid = try best.readGrid()
        let t = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:32648")

        // villages.csv agrees with the raster at each village, and uncovered_villages.csv lists exactly those below.
        let rows = try csvRows("out/villages.csv")
        XCTAssertEqual(rows.count, 5)
        var expectUncovered: [String] = []
        for row in rows {
            let p = try t.transform(x: Double(row["longitude"]!)!, y: Double(row["latitude"]!)!)
            let v = grid.value(atX: p.x, y: p.y)
            if let v {
                XCTAssertEqual(Double(row["best_signal_dbm"]!)!, Double(v), accuracy: 0.051, row["id"]!)
            } else {
                XCTAssertEqual(row["best_signal_dbm"], "", row["id"]!)
            }
            let services = row.filter { $0.key.hasSuffix("_4G_dbm") }.compactMap { Double($0.value) }
            let covered = services.contains { $0 >= -85 }
            XCTAssertEqual(row["covered_4g_5g"], covered ? "1" : "0", row["id"]!)
            if !covered { expectUncovered.append(row["id"]!) }
        }
        XCTAssertTrue(expectUncovered.contains("V4"))
        XCTAssertFalse(expectUncovered.contains("V1"))
        let uncovered = try csvRows("out/uncovered_villages.csv")
        XCTAssertEqual(uncovered.map { $0["id"]! }.sorted(), expectUncovered.sorted())

        // Best server raster and its id table.
        let server = try RasterDataset(path: dir.appendingPathComponent("out/best_server.tif").path).readGrid()
        let pA = try t.transform(x: 106.905, y: 10.951)
        XCTAssertEqual(server.value(atX: pA.x, y: pA.y), 0)
        let ids = try csvRows("out/best_server_ids.csv")
        XCTAssertEqual(ids.map { $0["transmitter_id"]! }, ["A1", "B1"])

        // GeoPackage layers, polygons in WGS84 that contain the covered village.
        let gpkg = dir.appendingPathComponent("out/coverage.gpkg").path
        XCTAssertEqual(try VectorReader.layerNames(gpkg).sorted(), ["coverage", "transmitters", "uncovered_villages", "villages"])
        let coverage = try VectorReader.read(gpkg, layer: "coverage")
        let viettel = try XCTUnwrap(coverage.features.first { $0.attributes["operator"] == "Viettel" })
        XCTAssertTrue(viettel.geometry!.contains(Coordinate(106.905, 10.951)))
        XCTAssertFalse(viettel.geometry!.contains(Coordinate(107.04, 11.03)))
        XCTAssertEqual(try VectorReader.read(gpkg, layer: "uncovered_villages").features.count, expectUncovered.count)
        XCTAssertEqual(try VectorReader.read(dir.appendingPathComponent("out/coverage.kml").path).features.isEmpty, false)
        let png = try RasterDataset(path: dir.appendingPathComponent("out/map.png").path)
        XCTAssertEqual(png.bandCount, 4)

        // study.json reproduces the run.
        let again = try run([
            "coverage", "--transmitters", "tx.csv", "--villages", "villages.csv", "--dem", "dem.tif",
            "--study", "out/study.json", "--output", "out2"
        ])
        XCTAssertEqual(again.code, 0, again.err)
        XCTAssertEqual(try RasterDataset(path: dir.appendingPathComponent("out2/best_signal_dbm.tif").path).readGrid().values, grid.values)

        // tanso villages on the raster gives the same uncovered list at the same threshold for the best signal.
        let v = try run([
            "villages", "--coverage", "out/best_signal_dbm.tif", "--villages", "villages.csv",
            "--threshold-dbm", "-85", "--output", "below.csv"
        ])
        XCTAssertEqual(v.code, 0, v.err)
        let below = try csvRows("below.csv").map { $0["id"]! }
        let bestBelow = rows.filter { Double($0["best_signal_dbm"]!).map { $0 < -85 } ?? true }.map { $0["id"]! }
        XCTAssertEqual(below.sorted(), bestBelow.sorted())
        XCTAssertTrue(v.out.contains("villages below -85.0 dBm"), v.out)
        let gp = try run([
            "villages", "--coverage", "out/best_signal_dbm.tif", "--villages", "villages.csv",
            "--threshold-dbm", "-85", "--output", "below.gpkg", "--all"
        ])
        XCTAssertEqual(gp.code, 0, gp.err)
        XCTAssertEqual(try VectorReader.read(dir.appendingPathComponent("below.gpkg").path).features.count, 5)
    }

    func csvRows(_ relative: String) throws -> [[String: String]] {
        let text = try String(contentsOf: dir.appendingPathComponent(relative), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Dictionary(uniqueKeysWithValues: zip(header, f))
        }
    }
}

extension CLITests {
    func testPathLossBatchAndLinkModes() throws {
        _ = try write(
            "paths.csv",
            """
            id,frequency_mhz,tx_height_m,rx_height_m,spacing_m,elevations_m,note
            a,900,30,1.5,500,100 110 130 100 90 95 100,first
            b,900,30,1.5,500,100 x,broken
            c,1800,40,1.5,250,50 55 60 80 70 60 50 45 40,third
            """)
        let r = try run(["pathloss", "--model", "hata", "--input", "paths.csv", "--output", "out/losses.csv", "--threads", "2"])
        XCTAssertEqual(r.code, 1, "one row failed")
        XCTAssertTrue(r.err.contains("1 of 3 rows not computed"), r.err)
        let rows = try csvRows("out/losses.csv")
        XCTAssertEqual(rows.map { $0["id"]! }, ["a", "b", "c"])
        XCTAssertEqual(rows[1]["loss_db"], "")
        XCTAssertTrue(rows[1]["error"]!.contains("elevations_m"))
        // 3 km Okumura-Hata urban, small city, 900 MHz, 30 m / 1.5 m: 69.55 + 77.2830 − 20.4138 − 0.0159 + 35.2249·log10(3).
        XCTAssertEqual(Double(rows[0]["loss_db"]!)!, 69.55 + 77.2830 - 20.4138 - 0.0159 + 35.2249 * log10(3.0), accuracy: 0.001)
        XCTAssertEqual(rows[2]["warnings"], "frequency_out_of_range")

        let good = try run(["pathloss", "--model", "fspl", "--input", "paths.csv"])
        XCTAssertEqual(good.code, 1)
        XCTAssertTrue(good.out.hasPrefix("id,loss_db,warnings,error\n"), good.out)

        let unknown = try run(["pathloss", "--model", "okumura", "--input", "paths.csv"])
        XCTAssertEqual(unknown.code, 2)
        XCTAssertTrue(unknown.err.contains("itm, p526"), unknown.err)

        // Link mode over a small UTM DEM: a 100 m plateau.
        let dem = RasterGrid(
            width: 100, height: 100, geoTransform: GeoTransform(originX: 680_000, originY: 1_200_000, pixelWidth: 30, pixelHeight: 30),
            crs: "EPSG:32648", nodata: -32768, fill: 100)
        try dem.write(to: dir.appendingPathComponent("dem.tif").path)
        let t = try CoordinateTransform(from: "EPSG:32648", to: "EPSG:4326")
        let a = try t.transform(x: 680_300, y: 1_199_700), b = try t.transform(x: 682_700, y: 1_197_600)
        let link = try run([
            "pathloss", "--model", "fspl", "--dem", "dem.tif", "--from", "\(a.y),\(a.x)", "--to", "\(b.y),\(b.x)",
            "--frequency-mhz", "1000", "--tx-height-m", "30", "--rx-height-m", "1.5"
        ])
        XCTAssertEqual(link.code, 0, link.err)
        let dKm = (2400.0 * 2400.0 + 2100.0 * 2100.0).squareRoot() / 1000 // UTM distance; the geodesic differs by the scale factor (< 0.1 %)
        let expected = 32.44778322 + 20 * log10(1000) + 20 * log10(dKm)
        let loss = try XCTUnwrap(link.out.split(separator: "\n").first { $0.hasPrefix("loss") }.flatMap { Double($0.split(separator: " ")[1]) })
        XCTAssertEqual(loss, expected, accuracy: 0.02, link.out)
        XCTAssertTrue(link.out.contains("terrain 100.0–100.0 m"), link.out)
        // P.1812 and P.452 take the link's coordinates without --set.
        for model in ["p1812", "p452"] {
            let r = try run([
                "pathloss", "--model", model, "--dem", "dem.tif", "--from", "\(a.y),\(a.x)", "--to", "\(b.y),\(b.x)",
                "--frequency-mhz", "1000", "--tx-height-m", "30", "--rx-height-m", "1.5"
            ])
            XCTAssertEqual(r.code, 0, model + ": " + r.err)
            XCTAssertTrue(r.out.contains("loss"), r.out)
        }

        let outside = try run([
            "pathloss", "--model", "itm", "--dem", "dem.tif", "--from", "\(a.y),\(a.x)", "--to", "11.5,107.5",
            "--frequency-mhz", "1000", "--tx-height-m", "30", "--rx-height-m", "1.5"
        ])
        XCTAssertEqual(outside.code, 1)
        XCTAssertTrue(outside.err.contains("no elevation"), outside.err)
    }
}

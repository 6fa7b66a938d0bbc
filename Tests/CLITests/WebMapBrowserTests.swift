import XCTest
import Foundation
import TestSupport
import Geo

/// `tanso web` end to end in a real browser: coverage → compliance → conflicts → share-check on a small province
/// (villages "Phú Hữu" and "Đồng Hiệp" among them), the site, then headless Chromium driven by Selenium
/// (scripts/web-browser-check.py): layers listed and their tiles loaded, a village's popup against the village
/// CSV, the accent-folding search, a screenshot that is not blank. A missing browser is installed
/// (scripts/install-deps --browser, needs root), never skipped.
final class WebMapBrowserTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        continueAfterFailure = false
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    static var projectRoot: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    @discardableResult
    func run(_ executable: URL, _ args: [String]) throws -> (code: Int32, out: String, err: String) {
        let r = try runProcess(executable, args, in: dir)
        return (r.code, r.out, r.err)
    }

    func tanso(_ args: [String]) throws -> String {
        let r = try run(TansoExecutable.url, args)
        XCTAssertEqual(r.code, 0, "tanso \(args.joined(separator: " ")): \(r.err)")
        return r.out
    }

    func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }

    /// A hill north-east of the centre on a 0.002° grid, enough for a visible hillshade.
    func writeDEM() throws {
        let w = 150, h = 125, x0 = 106.80, y0 = 11.10, step = 0.002
        var z = [Float](repeating: 0, count: w * h)
        for r in 0..<h {
            for c in 0..<w {
                let x = x0 + (Double(c) + 0.5) * step, y = y0 - (Double(r) + 0.5) * step
                z[r * w + c] = Float(15 + 350 * exp(-(pow(x - 106.99, 2) + pow(y - 11.02, 2)) / 0.0015) + 8 * sin(x * 300) * cos(y * 250))
            }
        }
        let grid = RasterGrid(
            width: w, height: h, geoTransform: GeoTransform(originX: x0, originY: y0, pixelWidth: step, pixelHeight: step),
            crs: "EPSG:4326", nodata: nil, values: z)
        try grid.write(to: dir.appendingPathComponent("dem.tif").path)
    }

    func writeProvince() throws {
        try write(
            "tx.csv",
            """
            id,site_id,operator,technology,latitude,longitude,antenna_height_m,frequency_mhz,bandwidth_mhz,eirp_dbm,azimuth_deg,mechanical_tilt_deg,electrical_tilt_deg,antenna_pattern
            A1,SA,Viettel,4G,10.950,106.900,30,773,10,60,,,,
            A2,SA,Viettel,2G,10.950,106.900,30,947,0.2,55,,,,
            B1,SB,MobiFone,4G,10.990,106.960,30,1842.5,15,60,,,,
            B2,SB,MobiFone,5G,10.990,106.960,30,3650,100,68,,,,
            """)
        try write(
            "villages.csv",
            """
            id,name,commune,district,latitude,longitude,population
            V1,Phú Hữu,Xã Phú Hữu,Nhơn Trạch,10.953,106.906,2150
            V2,Đồng Hiệp,Xã Phú Hữu,Nhơn Trạch,10.985,106.955,1320
            V3,Ấp Bến Cam,Xã Phước Thiền,Nhơn Trạch,10.962,106.925,870
            V4,Khu phố 4,Xã Long Tân,Long Thành,11.035,107.035,410
            V5,Ấp Xóm Hố,Xã Long Tân,Long Thành,11.040,107.020,560
            """)
        try write(
            "zones.geojson",
            """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"Z1","name":"KCN Nhơn Trạch","kind":"industrial_park"},
            "geometry":{"type":"Polygon","coordinates":[[[106.955,10.985],[106.965,10.985],[106.965,10.995],[106.955,10.995],[106.955,10.985]]]}}]}
            """)
        try write(
            "targets.json",
            """
            {"targets":[{"id":"villages_4g5g","subject":"villages","technologies":["4G","5G"],"min_share":1.0},
                        {"id":"zones_5g","subject":"zones","technologies":["5G"],"zone_kinds":["industrial_park"],"min_area_share":0.9}]}
            """)
        try write(
            "assignments.csv",
            """
            id,station_id,licensee,service,tx_frequency_mhz,bandwidth_khz,emission_designator,latitude,longitude,antenna_height_m,eirp_dbm,azimuth_deg,antenna_pattern,rx_frequency_mhz,rx_bandwidth_khz,protection_ratio_db
            FM-01,ST-1,Đài PT-TH,broadcast_fm,98.500,200,200KF8E,10.951000,106.870000,120.0,74.0,,,,,
            FM-02,ST-2,Đài Long Thành,broadcast_fm,98.500,200,200KF8E,11.020000,107.030000,60.0,64.0,,,,,
            A-A1,SA,Viettel,mobile,773.000,10000,10M0G7W,10.950,106.900,30,60,,,,,
            """)
        // District boundaries: two of the villages' districts (schematic rectangles) and one without villages.
        try write(
            "districts.geojson",
            """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"ten_huyen":"Nhơn Trạch"},"geometry":{"type":"Polygon","coordinates":[[[106.86,10.92],[106.98,10.92],[106.98,11.00],[106.86,11.00],[106.86,10.92]]]}},
            {"type":"Feature","properties":{"ten_huyen":"Long Thành"},"geometry":{"type":"Polygon","coordinates":[[[106.98,11.00],[107.06,11.00],[107.06,11.06],[106.98,11.06],[106.98,11.00]]]}},
            {"type":"Feature","properties":{"ten_huyen":"Huyện Khác"},"geometry":{"type":"Polygon","coordinates":[[[106.86,11.00],[106.98,11.00],[106.98,11.06],[106.86,11.06],[106.86,11.00]]]}}]}
            """)
        try write(
            "proposal.json",
            """
            {"id":"P-1","operator":"MobiFone","kind":"new_tower","site_id":"MF-N1","latitude":10.952,"longitude":106.903,"tower_height_m":40,
             "transmitters":[{"id":"MF-N1-4G","technology":"4G","antenna_height_m":35,"frequency_mhz":1862.5,"bandwidth_mhz":15,"eirp_dbm":60}]}
            """)
    }

    func testMapSiteInHeadlessChromium() throws {
        try writeProvince()
        try writeDEM()
        let area = ["--area", "106.85,10.90,107.06,11.06", "--resolution-m", "200"]
        _ = try tanso(["coverage", "--transmitters", "tx.csv", "--villages", "villages.csv", "--dem", "dem.tif", "--output", "cov"] + area)
        _ = try tanso([
            "compliance", "--coverage", "cov", "--villages", "villages.csv", "--zones", "zones.geojson", "--targets", "targets.json",
            "--transmitters", "tx.csv", "--output", "comp"
        ])
        _ = try tanso(["conflicts", "--assignments", "assignments.csv", "--output", "conf"])
        _ = try tanso([
            "share-check", "--proposal", "proposal.json", "--transmitters", "tx.csv", "--assignments", "assignments.csv",
            "--villages", "villages.csv", "--radius-km", "3", "--output", "share"
        ])
        try checkReportMapsAreSVG()
        let out = try tanso([
            "web", "--coverage", "cov", "--compliance", "comp", "--conflicts", "conf", "--share-check", "share",
            "--dem", "dem.tif", "--districts", "districts.geojson", "--title", "Test province", "--output", "site"
        ])
        print(out)
        XCTAssertTrue(out.contains("layers: villages 5, communes 3, districts 3, zones 1, conflicts"), out)
        XCTAssertTrue(out.contains("note: communes: no boundary polygons given"), out)
        let site = dir.appendingPathComponent("site")
        for f in ["index.html", "lib/leaflet.js", "lib/leaflet.css", "lib/LEAFLET-LICENSE.txt", "lib/images/marker-icon.png", "study.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: site.appendingPathComponent(f).path), f)
        }
        let html = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertFalse(html.contains("http://") || html.contains("https://"), "the page must not load anything from the network")

        try installBrowser()
        let shot = dir.appendingPathComponent("shot.png").path
        let check = try run(
            URL(fileURLWithPath: "/usr/bin/python3"),
            [
                Self.projectRoot.appendingPathComponent("scripts/web-browser-check.py").path, "--site", site.path,
                "--villages", dir.appendingPathComponent("comp/villages.csv").path, "--village", "V2",
                "--search", "Phu Huu=Phú Hữu", "--search", "dong hiep=Đồng Hiệp",
                "--layers",
                "Relief (hillshade of the DEM),Best signal (dBm classes),Villages,Communes (villages_4g5g),Zones (5G target),Conflicts (register),Sharing proposals",
                "--count", "path.unit-district=2", "--count", "path.unit-other=1", "--count", "path.unit-commune=3",
                "--screenshot", shot
            ])
        print(check.out, check.err)
        XCTAssertEqual(check.code, 0, check.out + check.err)
        XCTAssertFalse(check.out.contains("FAIL"), check.out)
        for expected in [
            "PASS tiles relief", "PASS tiles signal", "PASS popup population", "PASS popup has signals", "PASS search 'Phu Huu'", "PASS search opens 'Phú Hữu'",
            "PASS search 'dong hiep'"
        ] {
            XCTAssertTrue(check.out.contains(expected), expected)
        }
        let colours = try distinctColours(shot)
        print("screenshot: \(colours.distinct) distinct colours, the commonest covers \(String(format: "%.1f", 100 * colours.commonestShare)) %")
        XCTAssertGreaterThan(colours.distinct, 200)
        XCTAssertLessThan(colours.commonestShare, 0.8)
    }

    /// The compliance and share-check reports draw their maps as inline SVG: the raster as an image, names and
    /// legend as text with their diacritics.
    func checkReportMapsAreSVG() throws {
        let compliance = try String(contentsOf: dir.appendingPathComponent("comp/report.html"), encoding: .utf8)
        let maps = compliance.components(separatedBy: "<svg").dropFirst().filter { $0.contains("<image") }
        XCTAssertEqual(maps.count, 2, "one SVG map per target")
        let first = try XCTUnwrap(maps.first)
        for text in [">NHƠN TRẠCH</text>", ">LONG THÀNH</text>", ">KCN Nhơn Trạch</text>", ">village meets the target</text>", ">10 km</text>"] {
            XCTAssertTrue(first.contains(text), text)
        }
        XCTAssertTrue(first.contains("<title>Phú Hữu, Xã Phú Hữu, Nhơn Trạch: population 2150"), "village tooltip")
        let share = try String(contentsOf: dir.appendingPathComponent("share/report.html"), encoding: .utf8)
        XCTAssertTrue(share.contains("<svg") && share.contains(">After (with the proposal)</text>") && share.contains(">MF-N1</text>"), "share-check SVG map")
        XCTAssertFalse(compliance.contains("<img") || share.contains("<img"), "no bitmap-font PNG maps left in the reports")
    }

    /// Help, a missing product folder, a missing Leaflet: one line naming the path, exit 1, no site left behind.
    func testHelpAndInputErrors() throws {
        let help = try run(TansoExecutable.url, ["web", "--help"])
        XCTAssertEqual(help.code, 0)
        XCTAssertTrue(help.out.contains("Usage: tanso web") && help.out.contains("Phu Huu"), help.out)
        let missing = try run(TansoExecutable.url, ["web", "--coverage", "nowhere", "--output", "site"])
        XCTAssertEqual(missing.code, 1)
        XCTAssertTrue(missing.err.contains("nowhere: no such folder"), missing.err)
        try writeProvince()
        _ = try tanso([
            "coverage", "--transmitters", "tx.csv", "--villages", "villages.csv", "--area", "106.85,10.90,107.06,11.06", "--resolution-m", "500", "--output",
            "cov"
        ])
        let noLeaflet = try run(TansoExecutable.url, ["web", "--coverage", "cov", "--leaflet", "no-leaflet", "--output", "site"])
        XCTAssertEqual(noLeaflet.code, 1)
        XCTAssertTrue(noLeaflet.err.contains("no-leaflet/leaflet.js: Leaflet not found"), noLeaflet.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("site/index.html").path))
        // Without a DEM the site has no relief layer and says so.
        let plain = try tanso(["web", "--coverage", "cov", "--output", "site"])
        XCTAssertTrue(plain.contains("no DEM"), plain)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("site/tiles/relief").path))
    }

    /// Chromium, its driver and Selenium from Debian, installed when missing (fails without root: never skipped).
    func installBrowser() throws {
        let r = try run(URL(fileURLWithPath: "/bin/bash"), [Self.projectRoot.appendingPathComponent("scripts/install-deps").path, "--browser"])
        XCTAssertEqual(r.code, 0, "scripts/install-deps --browser: " + r.err)
    }

    func distinctColours(_ png: String) throws -> (distinct: Int, commonestShare: Double) {
        let ds = try RasterDataset(path: png)
        let bands = try (1...3).map { try ds.read(band: $0) }
        var counts: [UInt32: Int] = [:]
        for i in 0..<bands[0].count {
            counts[UInt32(bands[0][i]) << 16 | UInt32(bands[1][i]) << 8 | UInt32(bands[2][i]), default: 0] += 1
        }
        return (counts.count, Double(counts.values.max() ?? 0) / Double(max(1, bands[0].count)))
    }
}

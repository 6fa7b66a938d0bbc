import XCTest
import Foundation
import Geo
import Radio
import TestSupport
@testable import Records

final class AssignmentTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-assignments-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    static let header =
        "id,station_id,licensee,service,tx_frequency_mhz,bandwidth_khz,emission_designator,latitude,longitude,antenna_height_m,eirp_dbm,azimuth_deg,antenna_pattern,rx_frequency_mhz,rx_bandwidth_khz,protection_ratio_db"

    func write(_ name: String, _ rows: [String], header: String = AssignmentTests.header) throws -> String {
        let url = dir.appendingPathComponent(name)
        try ([header] + rows).joined(separator: "\n").appending("\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func loadError(_ rows: [String], header: String = AssignmentTests.header) throws -> RecordError {
        let path = try write("bad.csv", rows, header: header)
        var report = LoadReport()
        do {
            _ = try AssignmentLoader.load(path, report: &report)
        } catch let e as RecordError {
            return e
        }
        XCTFail("no error for \(rows)")
        throw ExpectedErrorMissing()
    }

    func testSampleRegisterLoads() throws {
        let path = ReferenceData.projectRoot().appendingPathComponent("data/assignments.csv").path
        var report = LoadReport()
        let list = try AssignmentLoader.load(path, report: &report)
        XCTAssertEqual(list.count, 591) // 545 + the 46 broadcasting stations of SampleBroadcast.swift
        let byID = Dictionary(uniqueKeysWithValues: list.map { ($0.id, $0) })
        let fm = try XCTUnwrap(byID["FM-01"])
        XCTAssertEqual(fm.service, "broadcast_fm")
        XCTAssertEqual(fm.tx, Channel(centreMHz: 98.5, bandwidthKHz: 200))
        XCTAssertEqual(fm.emission?.emissionClass, "F8E")
        XCTAssertEqual(fm.eirpDBm, 74)
        XCTAssertNil(fm.azimuthDeg)
        XCTAssertEqual(fm.latitude, 10.951, accuracy: 1e-9)
        let pmr = try XCTUnwrap(byID["PMR-04"])
        XCTAssertEqual(pmr.rx, Channel(centreMHz: 159.7, bandwidthKHz: 12.5))
        XCTAssertEqual(pmr.licensee, "Trung tâm cấp cứu 115")
        XCTAssertEqual(byID["A-VT-S001-4G-2"]?.azimuthDeg, 234)
        XCTAssertEqual(byID["A-VT-S001-4G-2"]?.tx.bandwidthKHz, 20_000)
    }

    func testBandwidthFromEmissionDesignatorWhenNoBandwidthColumn() throws {
        let path = try write(
            "e.csv",
            [
                "X1,S1,L,Land_Mobile,160.1,,11K0F3E,11,107,30,40,,,,,",
                "X2,S2,L,fixed,6100,,30M0D7W,11,107,30,60,90,,,,55"
            ])
        var report = LoadReport()
        let list = try AssignmentLoader.load(path, report: &report)
        XCTAssertEqual(list[0].tx.bandwidthKHz, 11)
        XCTAssertEqual(list[0].service, "land_mobile")
        XCTAssertEqual(list[1].tx.bandwidthKHz, 30_000)
        XCTAssertEqual(list[1].protectionRatioDB, 55)
        XCTAssertEqual(list[1].row, 2)
    }

    func testBadRowsNameFileRowColumnValueAndExpectation() throws {
        var e = try loadError(["X1,S1,L,fixed,6100,,30Q0D7W,11,107,30,60,,,,,"])
        XCTAssertEqual(e.row, 1)
        XCTAssertEqual(e.column, "emission_designator")
        XCTAssertEqual(e.value, "30Q0D7W")
        XCTAssertTrue(
            e.description.contains("bad.csv:2: row 1, column 'emission_designator': value '30Q0D7W': expected an ITU emission designator"), e.description)

        e = try loadError(["X1,S1,L,fixed,6100,,,11,107,30,60,,,,,"])
        XCTAssertEqual(e.column, "bandwidth_khz")
        XCTAssertTrue(e.expected.contains("emission_designator"))

        e = try loadError(["X1,S1,L,fixed,6100,500,,11,107,30,60,,,,,", "X2,S1,L,fixed,abc,500,,11,107,30,60,,,,,"])
        XCTAssertEqual(e.row, 2)
        XCTAssertEqual(e.column, "tx_frequency_mhz")
        XCTAssertEqual(e.value, "abc")

        e = try loadError(["X1,S1,L,fixed,6100,500,,95,107,30,60,,,,,"])
        XCTAssertEqual(e.column, "latitude")

        e = try loadError(["X1,S1,L,fixed,6100,500,,11,107,30,60,,,,12.5,"])
        XCTAssertEqual(e.column, "rx_frequency_mhz")

        e = try loadError(["X1,S1,L,fixed,6100,500,,11,107,30,60,,,,,", "X1,S2,L,fixed,6200,500,,11,107,30,60,,,,,"])
        XCTAssertEqual(e.column, "id")
        XCTAssertTrue(e.expected.contains("unique"))

        e = try loadError(["X1,S1,L,fixed-link,6100,500,,11,107,30,60,,,,,"])
        XCTAssertEqual(e.column, "service")

        e = try loadError(
            ["X1,S1,L,fixed,6100,500,11,107,30,60"],
            header: "id,station_id,licensee,service,tx_frequency_mhz,bandwidth_khz,latitude,longitude,antenna_height_m,eirp")
        XCTAssertEqual(e.column, "eirp_dbm")
        XCTAssertNil(e.row)
    }

    func testSkipInvalidListsEveryBadRow() throws {
        let path = try write(
            "s.csv",
            [
                "X1,S1,L,fixed,6100,500,,11,107,30,60,,,,,",
                "X2,S1,L,fixed,6100,,5M0,11,107,30,60,,,,,",
                "X3,S1,L,fixed,6100,500,,11,107,30,60,,,,,",
                "X4,S1,L,fixed,6100,500,,11,107,-3,60,,,,,"
            ])
        var report = LoadReport()
        let list = try AssignmentLoader.load(path, skipInvalid: true, report: &report)
        XCTAssertEqual(list.map(\.id), ["X1", "X3"])
        XCTAssertEqual(report.skipped.map(\.row), [2, 4])
        XCTAssertEqual(report.skipped.map(\.column), ["emission_designator", "antenna_height_m"])
    }

    func testLinkReceiverColumns() throws {
        let header = AssignmentTests.header + ",antenna_gain_dbi,rx_latitude,rx_longitude,rx_antenna_height_m,rx_antenna_gain_dbi"
        let path = try write("l.csv", ["L1,S1,Op,fixed,7500,28000,,11,107,40,70,45,,,,,38,11.2,107.2,35,40"], header: header)
        var report = LoadReport()
        let l = try XCTUnwrap(try AssignmentLoader.load(path, report: &report).first)
        XCTAssertEqual(l.antennaGainDBi, 38)
        XCTAssertEqual(l.linkReceiver, Assignment.LinkReceiver(latitude: 11.2, longitude: 107.2, antennaHeightM: 35, antennaGainDBi: 40))
    }

    // MARK: band plan and protection-ratio tables

    func testBandPlanFile() throws {
        let path = try write(
            "plan.csv", ["UL,mobile,1710,1785,DL,yes", "DL,mobile,1805,1880,UL,yes", "PMR,land_mobile;fixed,136,174,,no"],
            header: "name,services,low_mhz,high_mhz,paired,block_licensed")
        let plan = try AssignmentTables.loadBandPlan(path)
        XCTAssertEqual(plan.allocations.count, 3)
        XCTAssertEqual(plan.allocation(named: "PMR")?.services, ["land_mobile", "fixed"])
        XCTAssertTrue(plan.allocation(named: "DL")!.blockLicensed)
        XCTAssertNil(plan.violation(service: "fixed", tx: Channel(centreMHz: 150, bandwidthKHz: 25), rx: nil))
        XCTAssertNotNil(plan.violation(service: "broadcast_fm", tx: Channel(centreMHz: 98, bandwidthKHz: 200), rx: nil))

        let bad = try write("plan2.csv", ["UL,mobile,1785,1710,,"], header: "name,services,low_mhz,high_mhz,paired,block_licensed")
        XCTAssertThrowsError(try AssignmentTables.loadBandPlan(bad)) { e in
            XCTAssertEqual((e as? RecordError)?.column, "high_mhz")
            XCTAssertEqual((e as? RecordError)?.row, 1)
        }
        let unpaired = try write("plan3.csv", ["UL,mobile,1710,1785,DLX,"], header: "name,services,low_mhz,high_mhz,paired,block_licensed")
        XCTAssertThrowsError(try AssignmentTables.loadBandPlan(unpaired)) { e in XCTAssertEqual((e as? RecordError)?.column, "paired") }
    }

    func testProtectionRatioOverrides() throws {
        let path = try write(
            "pr.csv", ["broadcast_fm,0,40,,", "broadcast_fm,200,10,,", "land_mobile,,,12,-95"],
            header: "service,offset_khz,protection_ratio_db,co_channel_db,wanted_dbm")
        let pr = try AssignmentTables.loadProtectionRatios(path)
        XCTAssertEqual(pr.curves["broadcast_fm"]?.count, 2)
        let v = Channel(centreMHz: 98.5, bandwidthKHz: 200)
        XCTAssertEqual(
            pr.requirement(victimService: "broadcast_fm", victim: v, interferer: Channel(centreMHz: 98.6, bandwidthKHz: 200))?.requiredDB ?? .nan, 25,
            accuracy: 1e-9)
        XCTAssertNil(pr.requirement(victimService: "broadcast_fm", victim: v, interferer: Channel(centreMHz: 98.8, bandwidthKHz: 200)))
        XCTAssertEqual(pr.parameters("land_mobile").coChannelDB, 12)
        XCTAssertEqual(pr.parameters("land_mobile").wantedDBm, -95)
        XCTAssertEqual(pr.parameters("land_mobile").acs1DB, 60) // kept
        let bad = try write("pr2.csv", ["mobile,abc,3,,"], header: "service,offset_khz,protection_ratio_db,co_channel_db,wanted_dbm")
        XCTAssertThrowsError(try AssignmentTables.loadProtectionRatios(bad)) { e in
            XCTAssertEqual((e as? RecordError)?.column, "offset_khz")
            XCTAssertEqual((e as? RecordError)?.value, "abc")
        }
    }

    // MARK: FCC ULS

    static let ulsDir = "stations/fcc_uls_microwave_daily_2015"

    func testULSImportOnTheRealDailyFiles() throws {
        let root = try ReferenceData.require(Self.ulsDir)
        let zips = ["l_mw_fri.zip", "l_mw_sat.zip", "l_mw_sun.zip"].map { root.appendingPathComponent($0).path }
        let (links, report) = try ULSImport.load(zips)
        print("ULS: " + report.summary)
        XCTAssertEqual(report.rows["FR"], 1260 + 254 + 109)
        XCTAssertEqual(report.rows["PA"], 533 + 185 + 38)
        XCTAssertEqual(report.rows["LO"], 662 + 193 + 38)
        // One LO row has no latitude: reported with its file, row and column, not dropped silently.
        XCTAssertEqual(report.malformed.count, 1)
        XCTAssertEqual(report.malformed.first?.column, "lat_degrees")
        XCTAssertEqual(report.malformed.first?.source, "l_mw_fri.zip/LO.dat")
        XCTAssertEqual(report.malformed.first?.row, 140)
        XCTAssertGreaterThan(report.links, 700)
        XCTAssertEqual(links.count, report.assignments)
        XCTAssertTrue(links.allSatisfy { $0.service == "fixed" && $0.linkReceiver != nil && $0.tx.bandwidthKHz > 0 })
        // KBR46 (Norfolk Southern), path 7: transmitter at location 1, 33°36'40.3"N 86°39'19.9"W (Catoctin), to
        // location 8 (Norris YD), 33°33'22.2"N 86°41'11.6"W, on 6665 MHz with a 10M0D7W emission.
        let kbr = try XCTUnwrap(links.first { $0.id == "KBR46/P7/6665" })
        XCTAssertEqual(kbr.latitude, 33 + 36 / 60.0 + 40.3 / 3600, accuracy: 1e-9)
        XCTAssertEqual(kbr.longitude, -(86 + 39 / 60.0 + 19.9 / 3600), accuracy: 1e-9)
        XCTAssertEqual(kbr.linkReceiver!.latitude, 33 + 33 / 60.0 + 22.2 / 3600, accuracy: 1e-9)
        XCTAssertEqual(kbr.linkReceiver!.longitude, -(86 + 41 / 60.0 + 11.6 / 3600), accuracy: 1e-9)
        XCTAssertEqual(kbr.tx.bandwidthKHz, 10_000)
        XCTAssertEqual(kbr.emission?.text, "10M0D7W")
        XCTAssertEqual(kbr.licensee, "NORFOLK SOUTHERN RAILWAY COMPANY")
        // A band assignment (frequency_upper_band): WLP935 6925–6950 MHz is centred at 6937.5 MHz, 25 MHz wide.
        let band = try XCTUnwrap(links.first { $0.id.hasPrefix("WLP935/") })
        XCTAssertEqual(band.tx, Channel(centreMHz: 6937.5, bandwidthKHz: 25_000))
    }

    func testULSMalformedRowsAreReported() throws {
        let uls = dir.appendingPathComponent("uls")
        try FileManager.default.createDirectory(at: uls, withIntermediateDirectories: true)
        func record(_ type: String, _ count: Int, _ values: [Int: String]) -> String {
            var f = Array(repeating: "", count: count)
            f[0] = type
            for (k, v) in values { f[k - 1] = v }
            return f.joined(separator: "|")
        }
        let lo = [
            record("LO", 51, [2: "1", 5: "TEST1", 9: "1", 20: "33", 21: "36", 22: "40.3", 23: "N", 24: "86", 25: "39", 26: "19.9", 27: "W"]),
            record("LO", 51, [2: "1", 5: "TEST1", 9: "2", 20: "33", 21: "75", 22: "0", 23: "N", 24: "86", 25: "0", 26: "0", 27: "W"]),
            record("LO", 51, [2: "1", 5: "TEST1", 9: "3", 20: "33", 21: "30", 22: "0", 23: "N", 24: "86", 25: "40", 26: "0", 27: "W"]),
            "LO|1|||TEST1|short"
        ]
        let fr = [
            record("FR", 29, [2: "1", 5: "TEST1", 7: "1", 8: "1", 11: "6175.0", 21: "65.0"]),
            record("FR", 29, [2: "1", 5: "TEST1", 7: "1", 8: "1", 11: "6xx", 21: "65.0"])
        ]
        let em = [
            record("EM", 16, [2: "1", 5: "TEST1", 6: "1", 7: "1", 8: "6175.00000000", 10: "30M0D7W"]),
            record("EM", 16, [2: "1", 5: "TEST1", 6: "1", 7: "1", 8: "6200.00000000", 10: "30M0Z7W"])
        ]
        let pa = [
            record("PA", 22, [2: "1", 5: "TEST1", 7: "1", 8: "1", 9: "1", 10: "3", 11: "1"]),
            record("PA", 22, [2: "1", 5: "TEST1", 7: "2", 8: "1", 9: "1", 10: "2", 11: "1"])
        ]
        for (name, rows) in [("LO.dat", lo), ("FR.dat", fr), ("EM.dat", em), ("PA.dat", pa)] {
            try (rows.joined(separator: "\r\n") + "\r\n").write(to: uls.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let (links, report) = try ULSImport.load([uls.path])
        XCTAssertEqual(links.count, 1)
        XCTAssertEqual(links[0].tx, Channel(centreMHz: 6175, bandwidthKHz: 30_000))
        XCTAssertEqual(links[0].linkReceiver?.latitude ?? 0, 33.5, accuracy: 1e-9)
        let cols = Set(report.malformed.map { "\($0.source.split(separator: "/").last!):\($0.row!):\($0.column!)" })
        XCTAssertEqual(cols, ["LO.dat:2:lat_minutes", "LO.dat:4:record", "FR.dat:2:frequency_assigned", "EM.dat:2:emission_code"])
        // Path 2 points at location 2, which did not parse.
        XCTAssertEqual(report.incomplete["path without its receive location"], 1)
        XCTAssertThrowsError(try ULSImport.load([dir.appendingPathComponent("nope.zip").path]))
    }
}

/// Thrown by a test helper when the loader accepted rows it had to reject (the test has already failed).
private struct ExpectedErrorMissing: Error {}

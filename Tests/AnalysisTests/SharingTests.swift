import XCTest
import Foundation
@testable import Analysis
import Radio
import Records

/// tanso share-check: each check with a proposal built to pass it and one built to fail it, on a small synthetic
/// province (no DEM, Hata), and the exposure formulas against hand computation.
final class SharingTests: XCTestCase {
    // Two towers 300 m apart near 10.9 N 107.0 E (Viettel, 773 MHz 4G + a 945 MHz 2G carrier; VinaPhone), a land-
    // mobile tower T-IM with a carrier and a dispatch receiver 1 km away, villages around a far uncovered spot.
    let lat0 = 10.9, lon0 = 107.0

    func tx(
        _ id: String, site: String, op: String, tech: Technology = .lte, lat: Double, lon: Double, h: Double = 30,
        f: Double = 773, bw: Double = 10, eirp: Double = 60, az: Double? = 0
    ) -> Transmitter {
        Transmitter(
            id: id, siteID: site, operatorName: op, technology: tech, latitude: lat, longitude: lon, antennaHeightM: h,
            frequencyMHz: f, bandwidthMHz: bw, eirpDBm: eirp, azimuthDeg: az, mechanicalTiltDeg: 2, electricalTiltDeg: 4)
    }

    var transmitters: [Transmitter] {
        let dLon300 = 0.3 / (111.32 * cos(lat0 * .pi / 180))
        return [0.0, 120, 240].enumerated().map { i, az in tx("VT-A-\(i + 1)", site: "VT-A", op: "Viettel", lat: lat0, lon: lon0, h: 40, az: az) }
            + [tx("VT-A-2G", site: "VT-A", op: "Viettel", tech: .gsm, lat: lat0, lon: lon0, h: 40, f: 945, bw: 0.2, eirp: 55, az: nil)]
            + [0.0, 120, 240].enumerated().map { i, az in
                tx("VN-B-\(i + 1)", site: "VN-B", op: "VinaPhone", lat: lat0, lon: lon0 + dLon300, h: 20, f: 783, az: az)
            }
            + [tx("PMR-T", site: "T-IM", op: "Cảng", tech: .other, lat: 10.96, lon: 106.90, h: 40, f: 160.1, bw: 0.0125, eirp: 47, az: nil)]
    }

    func asg(
        _ id: String, station: String, lic: String, svc: String = "mobile", lat: Double, lon: Double, f: Double, bwKHz: Double,
        eirp: Double = 60, rx: Double? = nil
    ) -> Assignment {
        Assignment(
            id: id, stationID: station, licensee: lic, service: svc, latitude: lat, longitude: lon,
            tx: Channel(centreMHz: f, bandwidthKHz: bwKHz), antennaHeightM: 30, eirpDBm: eirp,
            rx: rx.map { Channel(centreMHz: $0, bandwidthKHz: bwKHz) })
    }

    var register: [Assignment] {
        let dLon300 = 0.3 / (111.32 * cos(lat0 * .pi / 180))
        return (1...3).map { asg("A-VT-A-\($0)", station: "VT-A", lic: "Viettel", lat: lat0, lon: lon0, f: 773, bwKHz: 10000) }
            + [asg("A-VT-A-2G", station: "VT-A", lic: "Viettel", lat: lat0, lon: lon0, f: 945, bwKHz: 200, eirp: 55)]
            + (1...3).map { asg("A-VN-B-\($0)", station: "VN-B", lic: "VinaPhone", lat: lat0, lon: lon0 + dLon300, f: 783, bwKHz: 10000) }
            + [
                asg("PMR-01", station: "T-IM", lic: "Water", svc: "land_mobile", lat: 10.96, lon: 106.90, f: 160.1, bwKHz: 12.5, eirp: 47),
                asg("PMR-04", station: "ST-DISPATCH", lic: "115", svc: "land_mobile", lat: 10.969, lon: 106.90, f: 164.7, bwKHz: 12.5, eirp: 44, rx: 159.7)
            ]
    }

    /// Villages: a ring 1–4 km around VT-A (covered by Viettel 4G) and a cluster 6 km north of it (nobody).
    var villages: [Village] {
        var v: [Village] = []
        for i in 0..<8 {
            let a = Double(i) * .pi / 4, r = 1.0 + Double(i % 3)
            v.append(
                Village(
                    id: "R\(i)", name: "Ring \(i)", commune: "C", district: "D", latitude: lat0 + r * cos(a) / 110.574,
                    longitude: lon0 + r * sin(a) / (111.32 * cos(lat0 * .pi / 180)), population: 1000 + i))
        }
        for i in 0..<4 {
            v.append(
                Village(
                    id: "N\(i)", name: "North \(i)", commune: "C", district: "D", latitude: lat0 + (25 + Double(i) * 0.3) / 110.574,
                    longitude: lon0 + Double(i) * 0.003, population: 500 + i))
        }
        return v
    }

    var settings: SharingSettings {
        var s = SharingSettings()
        s.coverageRadiusKm = 4
        s.study.maxRadiusKm = 10
        s.study.resolutionM = 100
        return s
    }

    func sector(
        _ id: String, tech: String = "4G", h: Double = 30, f: Double = 1862.5, bw: Double = 15, eirp: Double = 60,
        az: Double? = 0
    ) -> SharingProposal.TransmitterSpec {
        SharingProposal.TransmitterSpec(
            id: id, technology: tech, antennaHeightM: h, frequencyMHz: f, bandwidthMHz: bw, eirpDBm: eirp,
            azimuthDeg: az, mechanicalTiltDeg: 2, electricalTiltDeg: 4)
    }

    func coLocation(_ sectors: [SharingProposal.TransmitterSpec], op: String = "MobiFone", host: String = "VT-A") -> SharingProposal {
        var p = SharingProposal(id: "P", operatorName: op, kind: .coLocation, transmitters: sectors)
        p.hostSiteID = host
        return p
    }

    func newTower(lat: Double, lon: Double, height: Double = 40, op: String = "MobiFone", _ sectors: [SharingProposal.TransmitterSpec]) -> SharingProposal {
        var p = SharingProposal(id: "P", operatorName: op, kind: .newTower, transmitters: sectors)
        p.latitude = lat; p.longitude = lon; p.towerHeightM = height; p.siteID = "NEW-1"
        return p
    }

    func check(_ p: SharingProposal, _ s: SharingSettings? = nil) throws -> SharingResult {
        try SharingCheck.run(
            p, proposalID: "P", transmitters: transmitters, assignments: register, villages: villages, dem: nil,
            settings: s ?? settings, computeMaps: false)
    }

    func outcome(_ r: SharingResult, _ id: String) -> CheckOutcome { r.checks.first { $0.id == id }!.outcome }

    let three = [0.0, 120, 240]

    // MARK: 1. sharing

    func testSharingCoLocationFitsOrIsTooHigh() throws {
        let ok = try check(coLocation(three.enumerated().map { sector("MF-\($0.offset)", h: 38, az: $0.element) }))
        XCTAssertEqual(outcome(ok, "sharing"), .pass)
        XCTAssertEqual(ok.tower.heightM, 43, accuracy: 1e-9) // highest antenna 40 m + 3 m headroom
        let high = try check(coLocation([sector("MF-1", h: 45)]))
        XCTAssertEqual(outcome(high, "sharing"), .fail)
        XCTAssertTrue(high.checks[0].summary.contains("MF-1 at 45.0 m"), high.checks[0].summary)
        XCTAssertEqual(high.verdict, .fail)
    }

    func testSharingNewTowerNextToAShareableTowerIsFlagged() throws {
        let dLon = 0.2 / (111.32 * cos(lat0 * .pi / 180)) // 200 m east of VT-A, 100 m west of VN-B
        let near = try check(newTower(lat: lat0, lon: lon0 + dLon, [sector("MF-1", h: 35)]))
        XCTAssertEqual(outcome(near, "sharing"), .review)
        XCTAssertEqual(near.shareableTowers.map(\.tower.id), ["VT-A"], "VN-B (23 m) is too low for a 35 m antenna; VT-A (43 m) can host")
        XCTAssertEqual(near.shareableTowers[0].distanceM, 200, accuracy: 2)
        let far = try check(newTower(lat: lat0 + 25 / 110.574, lon: lon0, [sector("MF-1", h: 35)]))
        XCTAssertEqual(outcome(far, "sharing"), .pass)
        XCTAssertTrue(far.shareableTowers.isEmpty)
        let tooHigh = try check(newTower(lat: lat0 + 25 / 110.574, lon: lon0, height: 30, [sector("MF-1", h: 35)]))
        XCTAssertEqual(outcome(tooHigh, "sharing"), .fail)
    }

    func testUnknownHostAndClashingIDsAreClearErrors() throws {
        XCTAssertThrowsError(try check(coLocation([sector("MF-1")], host: "VT-Z"))) { e in
            XCTAssertTrue("\(e)".contains("host_site_id 'VT-Z' is not a site_id"), "\(e)")
            XCTAssertTrue("\(e)".contains("VT-A"), "closest ids named: \(e)")
        }
        XCTAssertThrowsError(try check(coLocation([sector("VT-A-1")]))) { e in
            XCTAssertTrue("\(e)".contains("'VT-A-1' is already in the transmitters file"), "\(e)")
        }
    }

    // MARK: 2. coverage

    func testCoverageGainInAnUncoveredAreaAndNoneForADuplicate() throws {
        // A new tower among the northern villages: nobody covers them; every village there is gained.
        let north = try check(newTower(lat: lat0 + 25.5 / 110.574, lon: lon0 + 0.0045, [sector("MF-1", f: 763, bw: 10, az: nil)]))
        XCTAssertEqual(outcome(north, "coverage"), .pass, north.checks[1].summary)
        let g = try XCTUnwrap(north.gains.first)
        XCTAssertEqual(g.technology, .lte)
        XCTAssertEqual(g.newVillagesProvince, 4)
        XCTAssertEqual(g.newPopulationProvince, 500 + 501 + 502 + 503)
        XCTAssertEqual(g.newVillagesOperator, 4)
        XCTAssertEqual(g.ownOverlapShare, 0)
        XCTAssertEqual(g.othersOverlapShare, 0)
        XCTAssertGreaterThan(g.newAreaProvinceKm2, 1)
        XCTAssertEqual(g.newAreaProvinceKm2, g.proposalAreaKm2, accuracy: 1e-9)
        XCTAssertEqual(Set(north.villagesGained.map(\.village.id)), ["N0", "N1", "N2", "N3"])
        XCTAssertTrue(north.villagesGained.allSatisfy(\.newForProvince))

        // Viettel duplicating its own sectors on its own tower: nothing new for Viettel.
        let dup = try check(coLocation(three.enumerated().map { sector("VT-X-\($0.offset)", h: 40, f: 773, bw: 10, az: $0.element) }, op: "Viettel"))
        XCTAssertEqual(outcome(dup, "coverage"), .fail, dup.checks[1].summary)
        XCTAssertEqual(dup.gains[0].newAreaOperatorKm2, 0)
        XCTAssertEqual(dup.gains[0].ownOverlapShare, 1, accuracy: 1e-9)
        XCTAssertTrue(dup.villagesGained.isEmpty)

        // MobiFone on VT-A: new for MobiFone, all within Viettel's coverage (no village new for the province).
        let mf = try check(coLocation(three.enumerated().map { sector("MF-\($0.offset)", h: 38, f: 763, bw: 10, az: $0.element) }))
        XCTAssertEqual(outcome(mf, "coverage"), .pass)
        XCTAssertGreaterThan(mf.gains[0].newVillagesOperator, 0)
        XCTAssertEqual(mf.gains[0].newVillagesProvince, 0)
        XCTAssertGreaterThan(mf.gains[0].othersOverlapShare, 0.5)
        XCTAssertTrue(mf.villagesGained.allSatisfy { !$0.newForProvince })
    }

    // MARK: 3. interference

    func testInterferenceOwnBlockPassesCoChannelAndOutOfPlanFail() throws {
        let own = try check(coLocation(three.enumerated().map { sector("MF-\($0.offset)", h: 38, f: 1862.5, az: $0.element) }))
        XCTAssertEqual(outcome(own, "interference"), .pass, own.checks[2].summary)
        XCTAssertTrue(own.conflicts.isEmpty)
        XCTAssertEqual(own.proposedAssignments[0].rx?.centreMHz ?? 0, 1767.5, accuracy: 1e-9, "B3 DL 1862.5 pairs with UL 1767.5")

        // MobiFone on Viettel's 773 MHz block, next door: co-channel with another licensee.
        let co = try check(coLocation([sector("MF-1", h: 38, f: 773, bw: 10)]))
        XCTAssertEqual(outcome(co, "interference"), .fail, co.checks[2].summary)
        XCTAssertTrue(co.conflicts.contains { $0.kind == .coChannel && ($0.aID == "A-MF-1" || $0.bID == "A-MF-1") })

        let oop = try check(coLocation([sector("MF-1", h: 38, f: 1790, bw: 5)]))
        XCTAssertEqual(outcome(oop, "interference"), .fail)
        XCTAssertTrue(oop.checks[2].summary.contains("outside the band plan"), oop.checks[2].summary)
    }

    // MARK: 4. intermodulation

    func testIntermodulationOnTheTower() throws {
        // 2·160.1 − 160.5 = 159.7 MHz: the dispatch receiver 1 km away.
        var p = coLocation([sector("PMR-NEW", tech: "other", h: 38, f: 160.5, bw: 0.0125, eirp: 47, az: nil)], op: "Power", host: "T-IM")
        p.transmitters[0].assignment = SharingProposal.AssignmentSpec()
        p.transmitters[0].assignment!.service = "land_mobile"
        let bad = try check(p)
        XCTAssertEqual(outcome(bad, "intermodulation"), .fail, bad.checks[3].summary)
        XCTAssertTrue(bad.intermodulation.contains { $0.aID == "PMR-04" && $0.explanation.contains("159.7") }, "\(bad.intermodulation.map(\.explanation))")
        // 161.3 MHz: its products (160.9, 159.5, 162.5, …) miss every receive channel.
        p.transmitters[0].frequencyMHz = 161.3
        let ok = try check(p)
        XCTAssertEqual(outcome(ok, "intermodulation"), .pass, ok.checks[3].summary)
        // A 1800 MHz carrier next to 773 and 945 MHz: no product in an uplink.
        let mobile = try check(coLocation(three.enumerated().map { sector("MF-\($0.offset)", h: 38, f: 1862.5, az: $0.element) }))
        XCTAssertEqual(outcome(mobile, "intermodulation"), .pass, mobile.checks[3].summary)
        // 763 next to 773 MHz: 3·763 − 2·773 = 743 MHz reaches Viettel's uplink 718 MHz (B28) on the tower.
        let b28 = try check(coLocation([sector("MF-1", h: 38, f: 763, bw: 10)]))
        XCTAssertEqual(outcome(b28, "intermodulation"), .fail, b28.checks[3].summary)
        XCTAssertTrue(b28.intermodulation.contains { $0.explanation.contains("3·763 − 2·773 = 743") }, "\(b28.intermodulation.map(\.explanation))")
    }

    /// A proposed carrier on the channel of an existing one adds no product: 2·160.1 − 160.5 = 159.7 MHz already
    /// hits the dispatch receiver from PMR-01 and PMR-NEW; the proposal's id ("AAA…") sorting first must not make it
    /// the proposal's.
    func testExistingProductsStayExistingWhateverTheIdsSortOrder() throws {
        let extra = asg("PMR-NEW", station: "T-IM", lic: "Power", svc: "land_mobile", lat: 10.96, lon: 106.90, f: 160.5, bwKHz: 12.5, eirp: 47)
        var p = coLocation([sector("AAA-1", tech: "other", h: 38, f: 160.1, bw: 0.0125, eirp: 47, az: nil)], op: "Power", host: "T-IM")
        p.transmitters[0].assignment = SharingProposal.AssignmentSpec()
        p.transmitters[0].assignment!.service = "land_mobile"
        let r = try SharingCheck.run(
            p, proposalID: "P", transmitters: transmitters, assignments: register + [extra], villages: villages,
            dem: nil, settings: settings, computeMaps: false)
        let check = r.checks.first { $0.id == "intermodulation" }!
        XCTAssertEqual(check.outcome, .pass, check.summary)
        XCTAssertTrue(check.details.contains { $0.contains("existing") && $0.contains("159.7") }, "\(check.details)")
    }

    // MARK: 5. exposure

    func testExposureFormulasByHand() {
        let icnirp = ExposureLimits.icnirp2020
        XCTAssertEqual(icnirp.limit(frequencyMHz: 100), 2)
        XCTAssertEqual(icnirp.limit(frequencyMHz: 900)!, 4.5, accuracy: 1e-12)
        XCTAssertEqual(icnirp.limit(frequencyMHz: 3500), 10)
        XCTAssertNil(icnirp.limit(frequencyMHz: 1))
        // One omni, EIRP 1000 W (60 dBm) at 900 MHz: r = √(1000 / (4π · 4.5)) = 4.2052 m.
        let one = RFExposure.assess([ExposureSource(id: "a", frequencyMHz: 900, eirpDBm: 60, heightM: 30, azimuthDeg: nil)], limits: icnirp)
        XCTAssertEqual(one.boresightDistanceM, (1000 / (4 * Double.pi * 4.5)).squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(one.horizontalDistanceM, one.boresightDistanceM, accuracy: 0.05)
        // At 2 m above ground, 28 m below the antenna: ER = 1000 / (4π · 28² · 4.5) directly under it.
        XCTAssertEqual(one.groundRatio, 1000 / (4 * Double.pi * 28 * 28 * 4.5), accuracy: 1e-6)
        // Two frequencies: the exposure ratios add, r² = Σ EIRP/(4π L).
        let two = RFExposure.assess(
            [
                ExposureSource(id: "a", frequencyMHz: 900, eirpDBm: 60, heightM: 30, azimuthDeg: nil),
                ExposureSource(id: "b", frequencyMHz: 3500, eirpDBm: 60, heightM: 30, azimuthDeg: nil)
            ], limits: icnirp)
        XCTAssertEqual(two.boresightDistanceM, (1000 / (4 * Double.pi * 4.5) + 1000 / (4 * Double.pi * 10)).squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(two.shares[0], 10 / 14.5, accuracy: 1e-9)
        // A sector: the reach is along boresight (azimuth 90), behind it 30 dB less.
        let sec = RFExposure.assess([ExposureSource(id: "s", frequencyMHz: 1800, eirpDBm: 65, heightM: 30, azimuthDeg: 90)], limits: icnirp)
        XCTAssertEqual(sec.horizontalAzimuthDeg, 90, accuracy: 10)
        XCTAssertLessThanOrEqual(sec.horizontalDistanceM, sec.boresightDistanceM + 1e-9)
    }

    func testExposureLimitsTableFromCSV() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("low_mhz,high_mhz,limit_w_m2,limit_w_m2_per_mhz\n10,400,0.2,\n400,2000,,0.0005\n2000,300000,1,\n".utf8).write(to: url)
        let t = try ExposureLimits.load(csv: url.path)
        XCTAssertEqual(t.limit(frequencyMHz: 900)!, 0.45, accuracy: 1e-12) // one tenth of ICNIRP
        XCTAssertEqual(t.limit(frequencyMHz: 3500), 1)
        try Data("low_mhz,high_mhz,limit_w_m2\n10,400,abc\n".utf8).write(to: url)
        XCTAssertThrowsError(try ExposureLimits.load(csv: url.path)) { e in XCTAssertTrue("\(e)".contains("row 1, column 'limit_w_m2': value 'abc'"), "\(e)") }
    }

    func testExposureCheckPassReviewFail() throws {
        let ok = try check(coLocation(three.enumerated().map { sector("MF-\($0.offset)", h: 38, f: 1862.5, az: $0.element) }))
        XCTAssertEqual(outcome(ok, "exposure"), .pass, ok.checks[4].summary)
        XCTAssertEqual(ok.exposureSources.count, 4 + 3, "the tower's 4 transmitters and the 3 proposed")
        // A roof terrace at 36 m (a person's head at 38 m), 2 m from the antennas at 38 m: inside the zone.
        var roof = coLocation(three.enumerated().map { sector("MF-\($0.offset)", h: 38, f: 1862.5, az: $0.element) })
        roof.buildingHeightM = 36; roof.buildingDistanceM = 2
        let r = try check(roof)
        XCTAssertEqual(outcome(r, "exposure"), .review, r.checks[4].summary)
        XCTAssertGreaterThanOrEqual(r.exposure.buildingRatio ?? 0, 1)
        // 80 dBm omni at 4 m: the zone reaches people on the ground.
        let low = try check(newTower(lat: lat0 + 25 / 110.574, lon: lon0, height: 10, [sector("MF-1", h: 4, f: 763, bw: 10, eirp: 80, az: nil)]))
        XCTAssertEqual(outcome(low, "exposure"), .fail, low.checks[4].summary)
        XCTAssertGreaterThanOrEqual(low.exposure.groundRatio, 1)
    }

    // MARK: 6. verdict and proposals

    func testVerdictIsTheWorstOutcomeWithReasons() throws {
        let pass = try check(newTower(lat: lat0 + 25.5 / 110.574, lon: lon0 + 0.0045, [sector("MF-1", f: 1862.5, az: nil)]))
        XCTAssertEqual(pass.verdict, .pass, pass.reasons.joined(separator: "; "))
        XCTAssertEqual(pass.reasons, ["all five checks pass"])
        let dLon = 0.2 / (111.32 * cos(lat0 * .pi / 180))
        let review = try check(newTower(lat: lat0, lon: lon0 + dLon, [sector("MF-1", h: 35, f: 1862.5, az: nil)]))
        XCTAssertEqual(review.verdict, .review, review.reasons.joined(separator: "; "))
        XCTAssertTrue(review.reasons.contains { $0.hasPrefix("Tower sharing (review)") })
        let fail = try check(coLocation([sector("MF-1", h: 38, f: 773, bw: 10)]))
        XCTAssertEqual(fail.verdict, .fail)
        XCTAssertEqual(fail.checks.last?.id, "verdict")
    }

    func testProposalDecodingErrors() throws {
        func err(_ text: String) -> String {
            do { _ = try SharingProposal.decode(Data(text.utf8), source: "p.json"); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(
            err("{\n  \"operator\": \"X\",\n  \"kind\": co_location\n}").contains("malformed JSON at line 3, column 11"),
            err("{\n  \"operator\": \"X\",\n  \"kind\": co_location\n}"))
        XCTAssertTrue(err("{\"operator\": \"X\", \"kind\": \"tower\", \"transmitters\": []}").contains("'kind'"))
        XCTAssertTrue(err("{\"operator\": \"X\", \"kind\": \"co_location\", \"transmitters\": []}").contains("host_site_id"))
        let t = "{\"id\":\"a\",\"technology\":\"4G\",\"antenna_height_m\":30,\"frequency_mhz\":\"763\",\"bandwidth_mhz\":10,\"eirp_dbm\":60}"
        XCTAssertTrue(
            err("{\"operator\": \"X\", \"kind\": \"co_location\", \"host_site_id\": \"S\", \"transmitters\": [\(t)]}")
                .contains("field 'transmitters[0].frequency_mhz': expected a number"))
        let noEirp = "{\"id\":\"a\",\"technology\":\"4G\",\"antenna_height_m\":30,\"frequency_mhz\":763,\"bandwidth_mhz\":10}"
        XCTAssertTrue(
            err("{\"operator\": \"X\", \"kind\": \"co_location\", \"host_site_id\": \"S\", \"transmitters\": [\(noEirp)]}")
                .contains("transmitters[0].eirp_dbm' is missing"))
        let badTech = "{\"id\":\"a\",\"technology\":\"6G\",\"antenna_height_m\":30,\"frequency_mhz\":763,\"bandwidth_mhz\":10,\"eirp_dbm\":60}"
        XCTAssertTrue(
            err("{\"operator\": \"X\", \"kind\": \"co_location\", \"host_site_id\": \"S\", \"transmitters\": [\(badTech)]}")
                .contains("transmitters[0].technology': value '6G'"))
        // Power + gain − losses instead of EIRP.
        let split =
            "{\"id\":\"a\",\"technology\":\"4G\",\"antenna_height_m\":30,\"frequency_mhz\":763,\"bandwidth_mhz\":10,\"tx_power_dbm\":46,\"antenna_gain_dbi\":17,\"losses_db\":3}"
        let p = try SharingProposal.decode(
            Data("{\"operator\": \"X\", \"kind\": \"co_location\", \"host_site_id\": \"S\", \"transmitters\": [\(split)]}".utf8), source: "p.json")
        XCTAssertEqual(p.transmitters[0].effectiveEIRPDBm, 60)
    }
}

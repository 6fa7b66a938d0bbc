import XCTest
import Foundation
import Propagation
import TestSupport
@testable import Analysis

final class PathLossBatchTests: XCTestCase {
    func row(_ id: String, f: String = "900", elevations: String = "100 120 180 90 95 100", extra: [String: String] = [:]) -> PathLossRow {
        var fields = [
            "id": id, "frequency_mhz": f, "tx_height_m": "30", "rx_height_m": "1.5", "spacing_m": "1000", "elevations_m": elevations,
            "tx_lat": "10.95", "tx_lon": "106.84", "rx_lat": "10.95", "rx_lon": "106.886"
        ]
        for (k, v) in extra { fields[k] = v }
        return PathLossRow(fields: fields)
    }

    /// NTIA's five point-to-point cases through the batch contract, within 0.005 dB of p2p.csv (the published
    /// values have 2 decimals).
    func testITMThroughTheBatchContract() throws {
        let p2p = try ReferenceData.require("propagation/itm/p2p.csv")
        let pfls = try ReferenceData.require("propagation/itm/pfls.csv")
        let cases = try SimpleCSV.rows(p2p)
        let profiles = try String(contentsOf: pfls, encoding: .utf8).split(whereSeparator: \.isNewline).filter { !$0.isEmpty }
        var rows: [PathLossRow] = []
        for (i, (c, p)) in zip(cases, profiles).enumerated() {
            let v = p.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            rows.append(
                PathLossRow(fields: [
                    "id": "c\(i)", "frequency_mhz": c["f__mhz"]!, "tx_height_m": c["h_tx__meter"]!,
                    "rx_height_m": c["h_rx__meter"]!, "spacing_m": String(v[1]),
                    "elevations_m": v[2...].map { String($0) }.joined(separator: " "),
                    "polarization": c["pol"] == "1" ? "vertical" : "horizontal", "climate": c["climate"]!,
                    "n0": c["N_0"]!, "permittivity": c["epsilon"]!, "conductivity_s_per_m": c["sigma"]!,
                    "time_pct": c["time"]!, "location_pct": c["location"]!, "situation_pct": c["situation"]!,
                    "mdvar": c["mdvar"]!
                ]))
        }
        let out = PathLossBatch.run(rows, model: .itm, threads: 2)
        var maxDiff = 0.0
        for (o, c) in zip(out, cases) {
            let d = abs(o.lossDB! - Double(c["A__db"]!)!)
            maxDiff = max(maxDiff, d)
            XCTAssertLessThanOrEqual(d, 0.005, o.id)
        }
        print("pathloss itm vs NTIA p2p.csv: max |diff| = \(maxDiff) dB")
    }

    func testEveryModelComputesAndRowsStayInOrderWhateverTheThreads() {
        var rows: [PathLossRow] = []
        for i in 0..<200 {
            let h = (0...20).map { String(100 + 40 * sin(Double($0 + i) / 3)) }.joined(separator: " ")
            rows.append(row("r\(i)", f: String(700 + 10 * i), elevations: h))
        }
        for model in PathLossModelID.allCases {
            let one = PathLossBatch.run(rows, model: model, threads: 1)
            let many = PathLossBatch.run(rows, model: model, threads: 3)
            XCTAssertEqual(one, many, model.rawValue)
            XCTAssertEqual(one.map(\.id), rows.map(\.id))
            XCTAssertTrue(one.allSatisfy { $0.lossDB != nil && $0.lossDB! > 80 && $0.lossDB! < 250 }, "\(model): \(one.first!)")
        }
    }

    func testModelsAgreeWithTheirLibraryFunctions() throws {
        let r = row("x")
        let fspl = try PathLossBatch.compute(r, model: .fspl).lossDB
        XCTAssertEqual(fspl, FreeSpace.lossDB(distanceKm: 5, frequencyMHz: 900), accuracy: 1e-9)
        let hata = try PathLossBatch.compute(r, model: .hata).lossDB
        let setup = try Hata.Setup(variant: .okumuraHata, environment: .urban, frequencyMHz: 900, baseHeightM: 30, mobileHeightM: 1.5)
        XCTAssertEqual(hata, try Hata.loss(distanceKm: 5, setup: setup).lossDB, accuracy: 1e-9)
        let p526 = try PathLossBatch.compute(r, model: .p526).lossDB
        let d = try P526.deltaBullington(
            profile: TerrainProfile(elevationsM: [100, 120, 180, 90, 95, 100], spacingM: 1000),
            txHeightAboveGroundM: 30, rxHeightAboveGroundM: 1.5, frequencyMHz: 900,
            effectiveEarthRadiusKm: P526.effectiveEarthRadiusKm(kFactor: 4.0 / 3.0), polarization: .vertical)
        XCTAssertEqual(p526, fspl + d.lossDB, accuracy: 1e-9)
        XCTAssertGreaterThan(d.lossDB, 0, "the 180 m ridge obstructs the path")
    }

    /// The ITU models through the batch contract equal direct calls with the same inputs.
    func testITUModelsThroughTheBatch() throws {
        let elevations = "20 25 40 60 35 30 28 25 22 20 18"
        let r = row(
            "itu", f: "600", elevations: elevations,
            extra: [
                "spacing_m": "2000", "time_pct": "10", "zones": "inland inland 4 4 4 4 4 4 4 coastal 3",
                "clutter_heights_m": "0 10 10 10 10 10 10 10 10 10 0", "dn": "45", "n0": "360", "polarization": "horizontal"
            ])
        let viaBatch = try PathLossBatch.compute(r, model: .p1812).lossDB
        let heights = elevations.split(separator: " ").map { Double($0)! }
        let direct = try P1812.predict(
            P1812.Input(
                distancesKm: (0...10).map { Double($0) * 2 }, heightsM: heights,
                clutterHeightsM: [0] + Array(repeating: 10, count: 9) + [0],
                zones: Array(repeating: .inland, count: 9) + [.coastalLand, .coastalLand],
                frequencyGHz: 0.6, timePercent: 10, txHeightM: 30, rxHeightM: 1.5,
                txLatitudeDeg: 10.95, txLongitudeDeg: 106.84, rxLatitudeDeg: 10.95, rxLongitudeDeg: 106.886,
                polarization: .horizontal, meteorology: .init(deltaN: 45, n0: 360))
        ).basicLossDB
        XCTAssertEqual(viaBatch, direct, accuracy: 1e-9)
        XCTAssertThrowsError(try PathLossBatch.compute(row("z", extra: ["zones": "sea land"]), model: .p1812)) { e in
            XCTAssertTrue("\(e)".contains("6 zone codes"), "\(e)")
        }
        var noCoords = r.fields; noCoords["tx_lat"] = nil
        XCTAssertThrowsError(try PathLossBatch.compute(PathLossRow(fields: noCoords), model: .p1812)) { e in
            XCTAssertTrue("\(e)".contains("tx_lat"), "\(e)")
        }
        let p452Batch = try PathLossBatch.compute(r, model: .p452).lossDB
        let p452 = try P452.basicTransmissionLoss(
            P452.Input(
                distancesKm: (0...10).map { Double($0) * 2 }, heightsM: heights,
                clutterHeightsM: [0] + Array(repeating: 10, count: 9) + [0],
                zones: Array(repeating: .inland, count: 9) + [.coastalLand, .coastalLand],
                frequencyGHz: 0.6, timePercent: 10, txHeightM: 30, rxHeightM: 1.5,
                txLatitudeDeg: 10.95, txLongitudeDeg: 106.84, rxLatitudeDeg: 10.95, rxLongitudeDeg: 106.886,
                polarization: .horizontal, deltaN: 45, n0: 360)
        ).lossDB
        XCTAssertEqual(p452Batch, p452, accuracy: 1e-9)
        let land = try PathLossBatch.compute(r, model: .p1546).lossDB
        let sea = try PathLossBatch.compute(
            row(
                "s", f: "600", elevations: "0 0 0 0 0 0 0 0 0 0 0",
                extra: ["spacing_m": "2000", "time_pct": "10", "path_type": "warm_sea"]), model: .p1546
        ).lossDB
        XCTAssertLessThan(sea, land, "a warm-sea path loses less than a land path of the same length")
    }

    func testBadRowsCarryTheirErrorAndTheRunGoesOn() throws {
        let rows = [
            row("ok"), row("f", f: "abc"), row("e", elevations: "1 x 2"), row("one", elevations: "100"),
            row("neg", f: "-5"), row("pol", extra: ["polarization": "circular"]), row("clim", extra: ["climate": "9"])
        ]
        let out = PathLossBatch.run(rows, model: .itm, threads: 1)
        XCTAssertNotNil(out[0].lossDB)
        XCTAssertEqual(out[1].error, "column 'frequency_mhz': value 'abc': expected a number")
        XCTAssertTrue(out[2].error!.contains("'x'"))
        XCTAssertTrue(out[3].error!.contains("at least 2 heights"))
        XCTAssertTrue(out[4].error!.contains("-5"), out[4].error!)
        XCTAssertTrue(out[5].error!.contains("horizontal or vertical"))
        XCTAssertTrue(out[6].error!.contains("9"), out[6].error!)
        XCTAssertTrue(out.dropFirst().allSatisfy { $0.lossDB == nil })
        let csv = PathLossBatch.format(out)
        XCTAssertTrue(csv.hasPrefix("id,loss_db,warnings,error\nok,"))
    }

    func testHeaderMustHoldTheRequiredColumns() {
        XCTAssertThrowsError(try PathLossBatch.parse(csv: "id,frequency_mhz\n1,900\n")) { e in
            XCTAssertTrue("\(e)".contains("tx_height_m"), "\(e)")
        }
        XCTAssertEqual(
            try PathLossBatch.parse(csv: "ID,Frequency_MHz,tx_height_m,rx_height_m,spacing_m,elevations_m,other\n1,900,30,1.5,100,1 2 3,x\n").first?.fields[
                "frequency_mhz"], "900")
    }
}

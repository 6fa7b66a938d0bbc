// The demo's broadcasting step, and `tanso channels --pattern`.
import Foundation
import Reports
import TestSupport
import XCTest

@testable import TansoCLI

extension CLITests {
    /// Step 7 of `tanso demo` (BroadcastDemo) on the sample data: the plan report names the planted breach FM-40
    /// and breaches.csv holds it (a coarser grid than the demo's 1 km, for the debug build).
    func testDemoBroadcastStepNamesThePlantedBreach() throws {
        let data = ReferenceData.projectRoot().appendingPathComponent("data").path
        try BroadcastDemo.step(
            data: data, output: dir.path, dem: try coarseSampleDEM(),
            extra: ["--area", "107.25,10.72,107.58,11.00", "--resolution-m", "2000", "--max-radius-km", "60"])
        let out = dir.appendingPathComponent("broadcast").path
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        XCTAssertTrue(html.contains("FM-40"))
        let breaches = try broadcastCSV(out + "/breaches.csv")
        XCTAssertTrue(breaches.contains { $0["victim"] == "FM-10" && $0["interferer"] == "FM-40" }, "\(breaches)")
        XCTAssertEqual(BroadcastDemo.resolutionM, "1000")
    }

    /// `tanso channels --pattern`: a pattern with a 40 dB back null (relative gain ≤ 0 dB everywhere) at two opposite
    /// azimuths, and no pattern. Turning the antenna changes which existing services lose listeners on which channels;
    /// and the directional station, never stronger than the omnidirectional one, takes no more on any channel.
    func testChannelsPatternChangesWhichServicesLoseArea() throws {
        // MSI: attenuation 40 ((1 − cos φ) / 2)² dB, φ off boresight (0 ahead, 10 dB at 90°, 40 dB behind); flat vertically.
        var msi = "NAME TEST-CARDIOID\nFREQUENCY 98\nGAIN 2.15 dBi\nHORIZONTAL 360\n"
        for d in 0..<360 {
            let x = (1 - cos(Double(d) * .pi / 180)) / 2
            msi += String(format: "%d %.3f\n", d, 40 * x * x)
        }
        msi += "VERTICAL 360\n" + (0..<360).map { "\($0) 0\n" }.joined()
        let pattern = try write("cardioid.msi", msi)
        func channels(_ name: String, _ antenna: [String]) throws -> [String: [String: String]] {
            let out = dir.appendingPathComponent("ch-\(name)").path
            let r = try self.run(
                [
                    "channels", "--service", "broadcast_fm", "--at", "10.93,107.40", "--height-m", "40", "--erp-dbw", "23", "--assignments", sampleRegister,
                    "--dem", try coarseSampleDEM(), "--villages", sampleVillages, "--area", "107.25,10.75,107.55,11.00", "--resolution-m", "2000",
                    "--max-radius-km", "50", "--output", out
                ] + antenna)
            XCTAssertEqual(r.code, 0, r.err)
            if !antenna.isEmpty {
                let study = try String(contentsOfFile: out + "/study.json", encoding: .utf8)
                XCTAssertTrue(study.contains("cardioid.msi"), "the pattern is a recorded input")
            }
            return Dictionary(uniqueKeysWithValues: try broadcastCSV(out + "/channels.csv").map { ($0["channel"]!, $0) })
        }
        /// "channel|victim" for every existing service a channel takes listeners from (the reasons name them).
        func victims(_ table: [String: [String: String]]) -> Set<String> {
            var out = Set<String>()
            for (channel, row) in table {
                guard let r = row["reasons"]!.range(of: "from existing services (") else { continue }
                let list = row["reasons"]![r.upperBound...].prefix { $0 != ")" }
                for v in list.split(separator: ",") {
                    let parts = v.split(separator: " ")
                    if parts.count == 2, parts[1] != "0" { out.insert("\(channel)|\(parts[0])") }
                }
            }
            return out
        }
        let omni = try channels("omni", [])
        let southEast = try channels("se", ["--pattern", pattern, "--azimuth-deg", "137"])
        let northWest = try channels("nw", ["--pattern", pattern, "--azimuth-deg", "317"])
        let a = victims(southEast), b = victims(northWest)
        XCTAssertFalse(a.isEmpty)
        XCTAssertNotEqual(a, b, "turning the antenna changes which services lose listeners")
        var totals = (omni: 0, se: 0, nw: 0)
        for (channel, row) in omni {
            let o = Int(row["population_taken"]!)!, se = Int(southEast[channel]!["population_taken"]!)!, nw = Int(northWest[channel]!["population_taken"]!)!
            XCTAssertLessThanOrEqual(se, o, channel)
            XCTAssertLessThanOrEqual(nw, o, channel)
            totals.omni += o; totals.se += se; totals.nw += nw
        }
        XCTAssertLessThan(totals.se, totals.omni)
        print(
            "channels --pattern: people taken over all channels omni \(totals.omni), boresight 137° \(totals.se), 317° \(totals.nw); "
                + "(channel, victim) pairs only at 137°: \(a.subtracting(b).sorted().prefix(5)), only at 317°: \(b.subtracting(a).sorted().prefix(5))")
    }

    /// `coverage --metric field-strength` names its best-value raster for what it holds (dBµV/m): best_field_dbuvm.tif,
    /// and no best_signal_dbm.tif; the power metric keeps the dBm name. `tanso web` reads either.
    func testFieldStrengthRasterIsNamedForWhatItHolds() throws {
        _ = try write("fm.csv", "\(txHeader)\nF1,SF,Radio,FM,10.95,106.90,60,98.5,0.2,72,,,,\n")
        for (metric, name, other) in [
            ("field-strength", "best_field_dbuvm.tif", "best_signal_dbm.tif"), ("power", "best_signal_dbm.tif", "best_field_dbuvm.tif")
        ] {
            let out = "fs-\(metric)"
            let r = try run([
                "coverage", "--transmitters", "fm.csv", "--metric", metric, "--area", "106.85,10.90,106.95,11.00", "--resolution-m", "500",
                "--output", out
            ])
            XCTAssertEqual(r.code, 0, r.err)
            let folder = dir.appendingPathComponent(out).path
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/" + name), metric)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/" + other), metric)
            XCTAssertEqual(ProductLayout.bestValue(inFolder: folder), name)
            let study = try String(contentsOfFile: folder + "/study.json", encoding: .utf8)
            XCTAssertTrue(study.contains(name), "study.json lists \(name)")
        }
    }
}

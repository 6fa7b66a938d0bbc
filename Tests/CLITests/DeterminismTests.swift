import Foundation
import Reports
import TestSupport
import XCTest

/// Issue 21 item 6: the products are the same bytes whatever the number of threads or shards. Each run is the
/// `tanso` executable on the sample province's own sectors (data/transmitters.csv) over its terrain at 15″.
extension CLITests {
    /// The sample sectors inside a small box (several sites and operators, sectors with azimuths).
    func sampleSectors(minLat: Double = 10.93, maxLat: Double = 10.99, minLon: Double = 106.80, maxLon: Double = 106.88) throws -> (path: String, count: Int) {
        let text = try String(contentsOf: ReferenceData.projectRoot().appendingPathComponent("data/transmitters.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        let kept = lines.filter { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count > 5, let lat = Double(f[4]), let lon = Double(f[5]) else { return false }
            return (minLat...maxLat).contains(lat) && (minLon...maxLon).contains(lon)
        }
        return (try write("sectors.csv", ([header] + kept).joined(separator: "\n") + "\n"), kept.count)
    }

    /// `tanso` with GDAL's OGR_CURRENT_DATE fixed: a GeoPackage records the time it was written (gpkg_contents
    /// last_change), the one byte difference between two runs of the same study; with the date fixed, GeoPackages
    /// are compared byte for byte like every other product.
    func runFixedDate(_ args: [String]) throws -> (code: Int32, out: String, err: String) {
        let r = try runProcess(executable, args, in: dir, environment: ["OGR_CURRENT_DATE": "2026-01-01T00:00:00Z"])
        return (r.code, r.out, r.err)
    }

    /// SHA-256 of every file under `folder` (relative path → digest), study.json and coverage_summary.txt left out (they
    /// hold the command line and timings), and so are hidden files (the output lock).
    func digests(_ folder: String) throws -> [String: String] {
        let root = dir.appendingPathComponent(folder).path
        var out: [String: String] = [:]
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        for f in files where !["study.json", "coverage_summary.txt"].contains(f) && !f.hasPrefix(".") {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + f, isDirectory: &isDir), !isDir.boolValue else { continue }
            out[f] = try SHA256.hex(ofFile: root + "/" + f)
        }
        return out
    }

    func testCoverageIsTheSameBytesOnOneTwoAndThreeThreads() throws {
        let (tx, count) = try sampleSectors()
        XCTAssertGreaterThanOrEqual(count, 12, "several sectors")
        let dem = try coarseSampleDEM()
        for model in ["hata", "itm"] {
            let common = [
                "coverage", "--transmitters", tx, "--dem", dem, "--model", model, "--area", "106.80,10.93,106.88,10.99", "--resolution-m", "150",
                "--max-radius-km", "4", "--villages", sampleVillages
            ]
            var reference: [String: String]? = nil
            for threads in ["1", "2", "3", nil] {
                let name = "\(model)-\(threads ?? "all")"
                let r = try runFixedDate(common + (threads.map { ["--threads", $0] } ?? []) + ["--output", name])
                XCTAssertEqual(r.code, 0, r.err)
                let d = try digests(name)
                XCTAssertTrue(d.keys.contains("best_signal_dbm.tif") && d.keys.contains("best_server.tif") && d.keys.contains { $0.hasPrefix("services/") })
                if let reference {
                    XCTAssertEqual(d, reference, "\(model): \(threads ?? "all cores") threads differ from 1 thread")
                } else {
                    reference = d
                    print("\(model), 1 thread: \(d.count) files, best_signal_dbm.tif SHA-256 \(d["best_signal_dbm.tif"]!)")
                }
            }
        }
        let bad = try run(["coverage", "--transmitters", tx, "--threads", "0", "--output", "x"])
        XCTAssertEqual(bad.code, 2, bad.err)
    }

    func testShardsOneTwoThreeAndFiveMergeToTheUnshardedBytes() throws {
        let (tx, _) = try sampleSectors()
        let common = [
            "coverage", "--transmitters", tx, "--dem", try coarseSampleDEM(), "--model", "itm", "--area", "106.80,10.93,106.88,10.99",
            "--resolution-m", "200", "--max-radius-km", "4", "--villages", sampleVillages
        ]
        let single = try runFixedDate(common + ["--output", "single"])
        XCTAssertEqual(single.code, 0, single.err)
        let reference = try digests("single")
        for product in ["best_signal_dbm.tif", "best_server.tif", "server_count.tif", "best_server_ids.csv", "coverage.gpkg", "villages.csv"] {
            XCTAssertNotNil(reference[product], product)
        }
        for n in [1, 2, 3, 5] {
            var parts: [String] = []
            for i in 1...n {
                let r = try runFixedDate(common + ["--shard", "\(i)/\(n)", "--output", "n\(n)-part\(i)"])
                XCTAssertEqual(r.code, 0, r.err)
                parts.append("n\(n)-part\(i)")
            }
            let m = try runFixedDate(["merge", "--parts", parts.reversed().joined(separator: ","), "--output", "merged\(n)"])
            XCTAssertEqual(m.code, 0, m.err)
            let merged = try digests("merged\(n)")
            for (product, digest) in reference.sorted(by: { $0.key < $1.key }) {
                XCTAssertEqual(merged[product], digest, "\(product): \(n) shards merged differ from the single run")
            }
            XCTAssertEqual(Set(merged.keys), Set(reference.keys), "the same products")
            print("\(n) shard(s) merged: \(merged.count) products compared with the single run's \(reference.count)")
        }
    }

    /// The simple model, and ITM over the sample terrain (the paths computed in parallel).
    func testConflictsOnOneAndTwoThreadsListTheSameFindingsInTheSameOrder() throws {
        for (name, terrain) in [("simple", [String]()), ("itm", ["--dem", try coarseSampleDEM(), "--model", "itm"])] {
            var outputs: [[String: String]] = []
            for threads in ["1", "2"] {
                let r = try runFixedDate(["conflicts", "--assignments", sampleRegister] + terrain + ["--threads", threads, "--output", "\(name)-\(threads)"])
                XCTAssertEqual(r.code, 0, r.err)
                outputs.append(try digests("\(name)-\(threads)"))
            }
            XCTAssertTrue(outputs[0].keys.contains("conflicts.csv") && outputs[0].keys.contains("conflicts.gpkg"), "\(outputs[0].keys)")
            XCTAssertEqual(outputs[0], outputs[1], name)
            let csv = try String(contentsOf: dir.appendingPathComponent("\(name)-1/conflicts.csv"), encoding: .utf8)
            let rows = csv.split(separator: "\n").count - 1
            XCTAssertGreaterThan(rows, 0)
            print("conflicts, \(name): \(rows) rows, the same bytes on 1 and 2 threads")
        }
    }
}

import XCTest
import Foundation
import Geo
import Reports

/// The output folder is a transaction (issue 23, items 1 and 2): regression tests for each finding, through the
/// executable. Each of them failed on the code before the transaction (stale services, mixed concurrent runs,
/// study.json out of step after an interruption, .partial leftovers, escaping target ids, Viettel/VIETTEL,
/// outputs over inputs, unverified readers).
/// (An extension of CLITests for its helpers; run them with `swift test --filter testOutputFolder`.)
extension CLITests {
    func ofPath(_ name: String) -> String { dir.appendingPathComponent(name).path }
    func ofExists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: ofPath(name)) }
    func ofFiles(_ name: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: ofPath(name))) ?? []).sorted() }
    func ofText(_ name: String) throws -> String { try String(contentsOfFile: ofPath(name), encoding: .utf8) }

    /// Sectors of three operators around the box, and villages.
    func ofWriteNetwork(operators: [String] = ["Viettel", "MobiFone", "Vinaphone"]) throws {
        var lines = [cli.txHeader]
        for (i, op) in operators.enumerated() {
            lines.append("T\(i),S\(i),\(op),4G,10.95,\(String(format: "%.3f", 106.90 + 0.03 * Double(i))),30,773,10,60,,,,")
        }
        _ = try cli.write("tx.csv", lines.joined(separator: "\n") + "\n")
        _ = try cli.write(
            "villages.csv",
            """
            id,name,commune,district,latitude,longitude,population
            V1,A,Xã 1,Huyện X,10.951,106.905,1000
            V2,B,Xã 1,Huyện X,10.950,106.958,800
            V3,C,Xã 2,Huyện Y,10.990,106.990,300
            """)
    }

    func ofCoverage(_ output: String, extra: [String] = []) throws -> (code: Int32, out: String, err: String) {
        try cli.run(
            [
                "coverage", "--transmitters", "tx.csv", "--villages", "villages.csv", "--area", "106.85,10.90,107.02,11.02",
                "--resolution-m", "250", "--output", output
            ] + extra)
    }

    // MARK: stale and mixed products

    /// A rerun with fewer operators leaves no stale service raster, and compliance on the folder then gives the
    /// answer of a fresh folder (the issue's case: 12 services counted, 562 villages instead of 1). A file tanso did
    /// not write stays.
    func testOutputFolderRerunWithFewerOperatorsLeavesNoStaleProducts() throws {
        try ofWriteNetwork()
        XCTAssertEqual(try ofCoverage("out").code, 0)
        XCTAssertEqual(ofFiles("out/services").count, 3)
        try Data("mine".utf8).write(to: dir.appendingPathComponent("out/notes.txt"))
        try Data("mine".utf8).write(to: dir.appendingPathComponent("out/services/keep.tif"))
        try ofWriteNetwork(operators: ["Viettel"])
        let again = try ofCoverage("out")
        XCTAssertEqual(again.code, 0, again.err)
        XCTAssertEqual(ofFiles("out/services"), ["keep.tif", "signal_viettel_4G.tif"])
        XCTAssertTrue(ofExists("out/notes.txt"), "a file tanso did not record is never removed")
        XCTAssertEqual(try ofCoverage("fresh").code, 0)
        let inOld = try cli.run(["compliance", "--coverage", "out", "--villages", "villages.csv", "--transmitters", "tx.csv", "--output", "c-old"])
        let inFresh = try cli.run(["compliance", "--coverage", "fresh", "--villages", "villages.csv", "--transmitters", "tx.csv", "--output", "c-fresh"])
        XCTAssertEqual(inOld.code, 0, inOld.err)
        XCTAssertEqual(inFresh.code, 0, inFresh.err)
        XCTAssertTrue(inOld.out.contains("1 services"), inOld.out)
        XCTAssertEqual(try ofText("c-old/villages.csv"), try ofText("c-fresh/villages.csv"))
        XCTAssertEqual(try ofText("c-old/targets.csv"), try ofText("c-fresh/targets.csv"))
        // The record lists exactly what is there (and no staging is left).
        let record = try ProductFolder.verify(ofPath("out"))
        XCTAssertEqual(record.products.filter { $0.path.hasPrefix("services/") }.map(\.path), ["services/signal_viettel_4G.tif"])
        XCTAssertFalse(ofFiles("out").contains { $0.hasPrefix(".tanso-staging-") })
    }

    /// A second run into a folder in use fails with an error naming the first run; then two real runs started
    /// together: any that fails fails with that error, and the folder is one run's products, as its record says
    /// (the issue: both exit 0 and leave a mix, 3 of 3 trials).
    func testOutputFolderASecondRunIntoAFolderInUseFailsWithTheLockError() throws {
        try ofWriteNetwork()
        var holder: OutputTransaction? = try OutputTransaction(output: ofPath("busy"), command: ["tanso", "holder-in-test"])
        XCTAssertNotNil(holder)
        let second = try ofCoverage("busy")
        XCTAssertEqual(second.code, 1)
        XCTAssertTrue(second.err.contains("is in use by another tanso run"), second.err)
        XCTAssertTrue(second.err.contains("pid \(getpid())") && second.err.contains("holder-in-test"), second.err)
        XCTAssertEqual(second.err.split(separator: "\n").count, 1, second.err)
        holder = nil
        XCTAssertEqual(try ofCoverage("busy").code, 0, "the lock is released with its holder")

        // Two processes at once, three times.
        for trial in 0..<3 {
            let out = "both\(trial)"
            var procs: [(Process, Pipe)] = []
            for ops in [["Viettel", "MobiFone", "Vinaphone"], ["Viettel"]] {
                let p = Process(), e = Pipe()
                p.executableURL = cli.executable
                p.currentDirectoryURL = dir
                let tx = "tx-\(ops.count).csv"
                if !ofExists(tx) {
                    try ofWriteNetwork(operators: ops)
                    try FileManager.default.copyItem(atPath: ofPath("tx.csv"), toPath: ofPath(tx))
                }
                p.arguments = [
                    "coverage", "--transmitters", tx, "--villages", "villages.csv", "--area", "106.85,10.90,107.02,11.02",
                    "--resolution-m", "250", "--output", out
                ]
                p.standardError = e
                p.standardOutput = FileHandle.nullDevice
                procs.append((p, e))
            }
            for (p, _) in procs { try p.run() }
            var codes: [Int32] = []
            for (p, e) in procs {
                let err = String(decoding: e.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                p.waitUntilExit()
                codes.append(p.terminationStatus)
                if p.terminationStatus != 0 { XCTAssertTrue(err.contains("is in use by another tanso run"), err) }
            }
            XCTAssertTrue(codes.contains(0), "\(codes)")
            // One run's products: the record verifies, and its service rasters are those of the run it names.
            let record = try ProductFolder.verify(ofPath(out))
            let services = record.products.filter { $0.service != nil }.count
            XCTAssertEqual(services, record.run.command.contains("tx-3.csv") ? 3 : 1)
            XCTAssertEqual(ofFiles("\(out)/services").count, services)
        }
    }

    /// A run killed while it computes leaves the previous products and their study.json as they were (the issue: a
    /// study.json of 535 transmitters next to the rasters of a 3-transmitter run); the next run cleans the staging
    /// folder and the `.partial` files of older versions, and removes products that a dead run's record names.
    func testOutputFolderAnInterruptedRunLeavesThePreviousProductsConsistent() throws {
        try ofWriteNetwork(operators: ["Viettel"])
        XCTAssertEqual(try ofCoverage("out").code, 0)
        let before = try Data(contentsOf: dir.appendingPathComponent("out/study.json"))
        let bestBefore = try Data(contentsOf: dir.appendingPathComponent("out/best_signal_dbm.tif"))

        // A slow rerun (ITM, exact profiles, many sectors), killed once its staging folder exists.
        var lines = [cli.txHeader]
        for i in 0..<40 { lines.append("K\(i),S\(i),Op\(i % 4),4G,\(10.92 + 0.002 * Double(i)),\(106.90 + 0.002 * Double(i)),30,773,10,60,,,,") }
        _ = try cli.write("tx-big.csv", lines.joined(separator: "\n") + "\n")
        var dem = RasterGrid(
            width: 200, height: 150, geoTransform: GeoTransform(originX: 106.85, originY: 11.05, pixelWidth: 0.001, pixelHeight: 0.001),
            crs: "EPSG:4326", nodata: -32768, fill: 10)
        for r in 0..<150 { for c in 0..<200 { dem[c, r] = 10 + 200 * Float(exp(-(pow(Double(c - 100), 2) + pow(Double(r - 75), 2)) / 400)) } }
        try dem.write(to: ofPath("dem.tif"))
        let p = Process()
        p.executableURL = cli.executable
        p.currentDirectoryURL = dir
        p.arguments = [
            "coverage", "--transmitters", "tx-big.csv", "--dem", "dem.tif", "--model", "itm", "--profiles", "exact",
            "--area", "106.86,10.91,107.04,11.04", "--resolution-m", "60", "--output", "out"
        ]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(60)
        while !ofFiles("out").contains(where: { $0.hasPrefix(".tanso-staging-") }) && p.isRunning && Date() < deadline { usleep(5_000) }
        XCTAssertTrue(p.isRunning, "the rerun ended before it could be interrupted")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal)
        XCTAssertTrue(ofFiles("out").contains { $0.hasPrefix(".tanso-staging-") }, "the killed run's staging folder is left")
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("out/study.json")), before)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("out/best_signal_dbm.tif")), bestBefore)
        XCTAssertNoThrow(try ProductFolder.verify(ofPath("out")))
        let readable = try cli.run(["compliance", "--coverage", "out", "--villages", "villages.csv", "--transmitters", "tx.csv", "--output", "c"])
        XCTAssertEqual(readable.code, 0, readable.err)

        // Leftovers of older versions and of a run that died while swapping (its record names old_product.tif).
        try Data("x".utf8).write(to: dir.appendingPathComponent("out/.best_signal_dbm.partial-123-456.tif"))
        try Data("x".utf8).write(to: dir.appendingPathComponent("out/services/.signal_x_4G.partial-7-8.tif"))
        try Data("x".utf8).write(to: dir.appendingPathComponent("out/old_product.tif"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("out/.tanso-staging-dead"), withIntermediateDirectories: true)
        try Data(
            #"{"run":{"id":"dead","pid":1,"started":"x","command":[]},"products":[{"path":"old_product.tif","bytes":1,"sha256":"0"},{"path":"../outside.txt","bytes":1,"sha256":"0"}]}"#
                .utf8
        )
        .write(to: dir.appendingPathComponent("out/.tanso-staging-dead/previous-study.json"))
        try Data("mine".utf8).write(to: dir.appendingPathComponent("outside.txt"))
        let next = try ofCoverage("out")
        XCTAssertEqual(next.code, 0, next.err)
        XCTAssertEqual(ofFiles("out").filter { $0.hasPrefix(".") }, [".tanso.lock"])
        XCTAssertEqual(ofFiles("out/services").filter { $0.hasPrefix(".") }, [])
        XCTAssertFalse(ofExists("out/old_product.tif"), "a product recorded by a dead run is removed")
        XCTAssertTrue(ofExists("outside.txt"), "a recorded path outside the folder is never touched")
        XCTAssertNoThrow(try ProductFolder.verify(ofPath("out")))
    }

    // MARK: paths

    /// A target id `../../…` cannot make compliance write outside its folder; the map gets a sanitised name.
    func testOutputFolderATargetIDCannotEscapeIt() throws {
        try ofWriteNetwork()
        XCTAssertEqual(try ofCoverage("cov").code, 0)
        _ = try cli.write(
            "targets.json",
            #"{"targets":[{"id":"../../../escaped","subject":"villages","technologies":["4G"],"min_share":0.5},{"id":"A/B","subject":"villages","technologies":["4G"]},{"id":"a_b","subject":"villages","technologies":["4G"]}]}"#
        )
        let r = try cli.run([
            "compliance", "--coverage", "cov", "--villages", "villages.csv", "--targets", "targets.json",
            "--transmitters", "tx.csv", "--output", "a/b/c"
        ])
        XCTAssertEqual(r.code, 0, r.err)
        let maps = ofFiles("a/b/c").filter { $0.hasPrefix("map_") }
        XCTAssertEqual(maps, ["map_A_B.png", "map__._.._.._escaped.png", "map_a_b_2.png"])
        // Nothing named after the id anywhere else.
        let all = FileManager.default.enumerator(atPath: dir.path)!.compactMap { $0 as? String }
        XCTAssertEqual(all.filter { $0.contains("escaped") }, ["a/b/c/map__._.._.._escaped.png"])
    }

    /// `Viettel` and `VIETTEL` get a raster each, read back under their own names.
    func testOutputFolderOperatorsDifferingInCaseKeepTheirOwnServiceRasters() throws {
        try ofWriteNetwork(operators: ["Viettel", "VIETTEL"])
        let r = try ofCoverage("out")
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertEqual(ofFiles("out/services"), ["signal_viettel_2_4G.tif", "signal_viettel_4G.tif"])
        let record = try ProductFolder.verify(ofPath("out"))
        let named = Dictionary(uniqueKeysWithValues: record.products.compactMap { e in e.service.map { ($0.operator, e.path) } })
        // Sorted services: VIETTEL before Viettel, so VIETTEL keeps the plain name.
        XCTAssertEqual(named, ["VIETTEL": "services/signal_viettel_4G.tif", "Viettel": "services/signal_viettel_2_4G.tif"])
        let a = try RasterDataset(path: ofPath("out/services/signal_viettel_4G.tif")).read()
        let b = try RasterDataset(path: ofPath("out/services/signal_viettel_2_4G.tif")).read()
        XCTAssertNotEqual(a, b, "two services, two different layers")
        let c = try cli.run(["compliance", "--coverage", "out", "--villages", "villages.csv", "--transmitters", "tx.csv", "--output", "c"])
        XCTAssertEqual(c.code, 0, c.err)
        XCTAssertTrue(c.out.contains("2 services"), c.out)
        let header = try ofText("c/villages.csv").split(separator: "\n")[0]
        XCTAssertTrue(header.contains("viettel_4G_rsrp_dbm") && header.contains("viettel_2_4G_rsrp_dbm"), String(header))
    }

    /// Outputs never overwrite inputs; an empty --output is refused; merge never writes over a part.
    func testOutputFolderNeverOverwritesInputs() throws {
        try ofWriteNetwork()
        let villagesBefore = try ofText("villages.csv")
        XCTAssertEqual(try ofCoverage("cov").code, 0)
        let v = try cli.run([
            "villages", "--coverage", "cov/best_signal_dbm.tif", "--villages", "villages.csv", "--threshold-dbm", "-90",
            "--output", "./villages.csv"
        ])
        XCTAssertEqual(v.code, 1)
        XCTAssertTrue(v.err.contains("is the input villages.csv"), v.err)
        XCTAssertEqual(try ofText("villages.csv"), villagesBefore)

        // coverage --output DIR where DIR/villages.csv is the input.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("d"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: ofPath("villages.csv"), toPath: ofPath("d/villages.csv"))
        let c = try cli.run([
            "coverage", "--transmitters", "tx.csv", "--villages", "d/villages.csv", "--area", "106.85,10.90,107.02,11.02",
            "--resolution-m", "250", "--output", "d"
        ])
        XCTAssertEqual(c.code, 1)
        XCTAssertTrue(c.err.contains("would overwrite the input d/villages.csv"), c.err)
        XCTAssertEqual(try ofText("d/villages.csv"), villagesBefore)
        XCTAssertEqual(ofFiles("d"), ["villages.csv"], "nothing written")

        // --output "" (and blank) is refused, nothing is written in the current folder.
        let listing = ofFiles(".")
        for empty in ["", " "] {
            let e = try ofCoverage(empty)
            XCTAssertEqual(e.code, 2, e.err)
            XCTAssertTrue(e.err.contains("--output is empty"), e.err)
            XCTAssertEqual(
                try cli.run([
                    "villages", "--coverage", "cov/best_signal_dbm.tif", "--villages", "villages.csv",
                    "--threshold-dbm", "-90", "--output", empty
                ]).code, 2)
        }
        XCTAssertEqual(ofFiles("."), listing)

        // compliance into its own coverage folder.
        let same = try cli.run(["compliance", "--coverage", "cov", "--villages", "villages.csv", "--output", "cov"])
        XCTAssertEqual(same.code, 1)
        XCTAssertTrue(same.err.contains("is the input cov"), same.err)
        XCTAssertNoThrow(try ProductFolder.verify(ofPath("cov")))

        // merge: --output equal to a part; --parts empty.
        for i in 1...2 {
            XCTAssertEqual(
                try cli.run([
                    "coverage", "--transmitters", "tx.csv", "--area", "106.85,10.90,107.02,11.02", "--resolution-m", "250",
                    "--shard", "\(i)/2", "--output", "part\(i)"
                ]).code, 0)
        }
        let partBefore = try Data(contentsOf: dir.appendingPathComponent("part1/study.json"))
        let m = try cli.run(["merge", "--parts", "part1,part2", "--output", "./part1/"])
        XCTAssertEqual(m.code, 1)
        XCTAssertTrue(m.err.contains("is the part part1"), m.err)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("part1/study.json")), partBefore)
        XCTAssertNoThrow(try ProductFolder.verify(ofPath("part1")))
        let noParts = try cli.run(["merge", "--parts", "", "--output", "m"])
        XCTAssertEqual(noParts.code, 2, noParts.err)
        XCTAssertTrue(noParts.err.contains("--parts needs the output folders of the shards"), noParts.err)
        XCTAssertEqual(try cli.run(["merge", "--parts", "part1,part2", "--output", "m"]).code, 0)
    }

    // MARK: readers verify

    /// A product changed after the run, a missing record, a record without checksums: every reader refuses the
    /// folder with one line naming it and the file.
    func testOutputFolderReadersRefuseAnIncompleteOrTamperedOne() throws {
        try ofWriteNetwork()
        XCTAssertEqual(try ofCoverage("cov").code, 0)
        for i in 1...2 {
            XCTAssertEqual(
                try cli.run([
                    "coverage", "--transmitters", "tx.csv", "--area", "106.85,10.90,107.02,11.02", "--resolution-m", "250",
                    "--shard", "\(i)/2", "--output", "part\(i)"
                ]).code, 0)
        }
        let readers: [[String]] = [
            ["compliance", "--coverage", "cov", "--villages", "villages.csv", "--output", "r1"],
            ["candidates", "--coverage", "cov", "--villages", "villages.csv", "--grid-km", "0", "--output", "r2"],
            ["villages", "--coverage", "cov/services/signal_mobifone_4G.tif", "--villages", "villages.csv", "--threshold-dbm", "-90", "--output", "r3.csv"]
        ]
        for r in readers { XCTAssertEqual(try cli.run(r).code, 0, r.joined(separator: " ")) }

        // One byte changed in a service raster (same size).
        let raster = dir.appendingPathComponent("cov/services/signal_mobifone_4G.tif")
        var bytes = try Data(contentsOf: raster)
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: raster)
        for r in readers {
            let x = try cli.run(r)
            XCTAssertEqual(x.code, 1, r.joined(separator: " "))
            XCTAssertTrue(x.err.contains("services/signal_mobifone_4G.tif") && x.err.contains("SHA-256"), x.err)
            XCTAssertEqual(x.err.split(separator: "\n").count, 1, x.err)
        }
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: raster)
        XCTAssertEqual(try cli.run(readers[0]).code, 0)

        // A missing product; no record; a record without the product list (older tanso or by hand).
        try FileManager.default.moveItem(atPath: ofPath("cov/coverage_summary.txt"), toPath: ofPath("coverage_summary.txt"))
        let missing = try cli.run(readers[0])
        XCTAssertEqual(missing.code, 1)
        XCTAssertTrue(missing.err.contains("cov/coverage_summary.txt: missing"), missing.err)
        try FileManager.default.moveItem(atPath: ofPath("coverage_summary.txt"), toPath: ofPath("cov/coverage_summary.txt"))
        let record = try Data(contentsOf: dir.appendingPathComponent("cov/study.json"))
        try FileManager.default.removeItem(atPath: ofPath("cov/study.json"))
        let none = try cli.run(readers[1])
        XCTAssertEqual(none.code, 1)
        XCTAssertTrue(none.err.contains("cov: no completion record"), none.err)
        var object = try JSONSerialization.jsonObject(with: record) as! [String: Any]
        object["products"] = nil
        try JSONSerialization.data(withJSONObject: object).write(to: dir.appendingPathComponent("cov/study.json"))
        let old = try cli.run(readers[0])
        XCTAssertEqual(old.code, 1)
        XCTAssertTrue(old.err.contains("cov/study.json: not a complete record"), old.err)

        // merge refuses a tampered part.
        let part = dir.appendingPathComponent("part2/partial/best_signal_dbm.tif")
        var pb = try Data(contentsOf: part)
        pb[pb.count / 2] ^= 0x01
        try pb.write(to: part)
        let m = try cli.run(["merge", "--parts", "part1,part2", "--output", "merged"])
        XCTAssertEqual(m.code, 1)
        XCTAssertTrue(m.err.contains("part2/partial/best_signal_dbm.tif"), m.err)
        XCTAssertFalse(ofExists("merged"))
    }

    /// Every command that writes a folder leaves a record that lists exactly its products, with their checksums;
    /// the readers of a compliance or conflicts baseline check it too.
    func testOutputFolderEveryCommandRecordsItsProducts() throws {
        let share = try shareInputs()
        let runs: [(String, [String])] = [
            ("share", ["share-check", "--proposal", try proposal("p.json")] + share),
            ("cov", ["coverage", "--transmitters", "tx.csv", "--villages", "villages.csv", "--area", "106.85,10.90,107.02,11.02", "--resolution-m", "250"]),
            ("comp", ["compliance", "--coverage", "cov", "--villages", "villages.csv", "--transmitters", "tx.csv"]),
            ("cand", ["candidates", "--coverage", "cov", "--villages", "villages.csv", "--transmitters", "tx.csv", "--grid-km", "0"]),
            ("conf", ["conflicts", "--assignments", "asg.csv"])
        ]
        for (out, args) in runs {
            if out == "cov" { try ofWriteNetwork() } // after share-check, which has its own tx.csv and villages.csv
            let r = try cli.run(args + ["--output", out])
            XCTAssertEqual(r.code, 0, "\(args[0]): \(r.err)")
            let record = try ProductFolder.verify(ofPath(out))
            let onDisk = FileManager.default.enumerator(atPath: ofPath(out))!.compactMap { $0 as? String }
                .filter { p in
                    var d: ObjCBool = false; return FileManager.default.fileExists(atPath: ofPath(out + "/" + p), isDirectory: &d) && !d.boolValue
                }
                .filter { $0 != ".tanso.lock" && $0 != "study.json" }.sorted()
            XCTAssertEqual(record.products.map(\.path), onDisk, args[0])
            XCTAssertEqual(record.run.command.prefix(2), ["tanso", args[0]][...], args[0])
        }
        // Baselines from tanso folders are checked.
        XCTAssertEqual(try cli.run(["conflicts", "--assignments", "asg.csv", "--baseline", "conf/conflicts.csv", "--output", "conf2"]).code, 0)
        XCTAssertEqual(try cli.run(["compliance", "--coverage", "cov", "--villages", "villages.csv", "--baseline", "comp", "--output", "comp2"]).code, 0)
        try Data("kind,a_id,b_id,c_id,severity,explanation\n".utf8).write(to: dir.appendingPathComponent("conf/conflicts.csv"))
        let b = try cli.run(["conflicts", "--assignments", "asg.csv", "--baseline", "conf/conflicts.csv", "--output", "conf3"])
        XCTAssertEqual(b.code, 1)
        XCTAssertTrue(b.err.contains("conf/conflicts.csv"), b.err)
        try Data("id\n".utf8).write(to: dir.appendingPathComponent("comp/villages.csv"))
        let c = try cli.run(["compliance", "--coverage", "cov", "--villages", "villages.csv", "--baseline", "comp", "--output", "comp3"])
        XCTAssertEqual(c.code, 1)
        XCTAssertTrue(c.err.contains("comp/villages.csv"), c.err)
    }

    // MARK: replacing products

    /// A commit replaces an earlier product file and a symbolic link in its place by the staged file (the link
    /// itself, not what it points to), and a folder in the way fails the commit with its name.
    func testOutputFolderCommitReplacesFilesAndLinksInPlace() throws {
        let output = ofPath("replace"), fm = FileManager.default
        try fm.createDirectory(atPath: output, withIntermediateDirectories: true)
        try Data("old".utf8).write(to: URL(fileURLWithPath: output + "/a.csv"))
        try Data("theirs".utf8).write(to: URL(fileURLWithPath: ofPath("target.txt")))
        try fm.createSymbolicLink(atPath: output + "/b.csv", withDestinationPath: ofPath("target.txt"))
        let record: (RunInfo, [ProductEntry]) throws -> Data = { run, products in
            try JSONEncoder().encode(FolderRecord(tool: "test", kind: "test", command: [], inputs: [], run: run, products: products))
        }
        do { // (the transaction holds the folder's lock until it is released)
            let tx = try OutputTransaction(output: output, command: ["test"])
            try Data("new a".utf8).write(to: URL(fileURLWithPath: tx.path("a.csv")))
            try Data("new b".utf8).write(to: URL(fileURLWithPath: tx.path("b.csv")))
            XCTAssertEqual(try tx.commit(record).map(\.path), ["a.csv", "b.csv"])
        }
        XCTAssertEqual(try String(contentsOfFile: output + "/a.csv", encoding: .utf8), "new a")
        XCTAssertEqual(try String(contentsOfFile: output + "/b.csv", encoding: .utf8), "new b")
        XCTAssertEqual(try fm.attributesOfItem(atPath: output + "/b.csv")[.type] as? FileAttributeType, .typeRegular)
        XCTAssertEqual(try String(contentsOfFile: ofPath("target.txt"), encoding: .utf8), "theirs", "the link's target is not touched")
        XCTAssertNoThrow(try ProductFolder.verify(output))

        try fm.createDirectory(atPath: output + "/c.csv", withIntermediateDirectories: true)
        let blocked = try OutputTransaction(output: output, command: ["test"])
        try Data("new c".utf8).write(to: URL(fileURLWithPath: blocked.path("c.csv")))
        XCTAssertThrowsError(try blocked.commit(record)) { XCTAssertTrue("\($0)".contains("c.csv"), "\($0)") }
        var isDirectory: ObjCBool = false
        XCTAssertTrue(fm.fileExists(atPath: output + "/c.csv", isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    // MARK: names

    func testOutputFolderProductLayoutNames() {
        XCTAssertEqual(ProductLayout.slug("Viettel"), "viettel")
        XCTAssertEqual(ProductLayout.slug("Điện Lực"), "dien_luc")
        XCTAssertEqual(ProductLayout.slug("../x"), "___x")
        XCTAssertEqual(ProductLayout.slug(""), "_")
        XCTAssertEqual(ProductLayout.safeComponent("../../tmp/X"), "_._.._tmp_X")
        XCTAssertEqual(ProductLayout.safeComponent(".."), "_.")
        let s = ProductLayout.Services([.init("Viettel", .lte), .init("VIETTEL", .lte), .init("viettel_2", .lte), .init("Viettel", .nr)])
        XCTAssertEqual(Set(s.keys.map { s.raster($0).lowercased() }).count, 4)
        XCTAssertEqual(s.raster(.init("Viettel", .nr)), "services/signal_viettel_5G.tif")
        XCTAssertTrue(ProductLayout.isConfined("services/a.tif"))
        for bad in ["", "/etc/passwd", "../x", "a/../b", "a//b", "./a"] { XCTAssertFalse(ProductLayout.isConfined(bad), bad) }
    }
}

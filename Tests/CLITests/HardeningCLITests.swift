import XCTest
import Foundation
import TestSupport
import Geo

/// Issue 23 through the executable: settings, limits, confinement, encodings, errors people read.
final class HardeningCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-harden-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    var executable: URL { TansoExecutable.url }

    @discardableResult
    func run(_ args: [String], environment: [String: String] = [:], timeout: TimeInterval = 120) throws -> (code: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        p.currentDirectoryURL = dir
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let outURL = dir.appendingPathComponent(".stdout-\(UUID().uuidString)"), errURL = dir.appendingPathComponent(".stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let o = try FileHandle(forWritingTo: outURL), e = try FileHandle(forWritingTo: errURL)
        p.standardOutput = o; p.standardError = e
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning { p.terminate(); p.waitUntilExit(); XCTFail("tanso \(args.prefix(1)) did not finish within \(Int(timeout)) s") }
        p.waitUntilExit()
        try o.close(); try e.close()
        let out = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
        let err = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL)
        return (p.terminationStatus, out, err)
    }

    func write(_ name: String, _ text: String) throws -> String { try write(name, Data(text.utf8)) }
    func write(_ name: String, _ data: Data) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        return url.path
    }

    static let tx = """
        id,site_id,operator,technology,latitude,longitude,antenna_height_m,frequency_mhz,bandwidth_mhz,eirp_dbm,azimuth_deg,mechanical_tilt_deg,electrical_tilt_deg,antenna_pattern
        T1,S1,Viettel,4G,10.9,107.0,40,773,10,60,0,2,4,
        T2,S2,VinaPhone,4G,10.95,107.05,30,783,10,60,,0,2,

        """
    static let villages = """
        id,name,commune,district,latitude,longitude,population
        V1,Ấp Một,Xã A,Huyện B,10.905,107.003,1200
        V2,Ấp Hai,Xã A,Huyện B,10.89,106.99,800

        """

    func coverageArgs(_ extra: [String]) throws -> [String] {
        [
            "coverage", "--transmitters", try write("tx.csv", Self.tx), "--area", "106.98,10.88,107.02,10.92",
            "--resolution-m", "500", "--output", dir.appendingPathComponent("out").path
        ] + extra
    }

    /// A one-line error: no raw Foundation error domains, no control characters, not longer than ~400 characters.
    func assertReadable(_ err: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(err.hasPrefix("tanso: error: "), err, file: file, line: line)
        XCTAssertFalse(err.contains("NSCocoaErrorDomain"), err, file: file, line: line)
        XCTAssertFalse(err.contains("Error Domain"), err, file: file, line: line)
        XCTAssertLessThanOrEqual(err.split(separator: "\n").first?.count ?? 0, 600, err, file: file, line: line)
        XCTAssertFalse(err.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "control characters in: \(err.debugDescription)", file: file, line: line)
    }

    // MARK: settings

    /// Failed before: `--set colour=red` was stored in the study and ignored (exit 0).
    func testUnknownSetKeyIsAnErrorListingTheSettings() throws {
        let r = try run(try coverageArgs(["--set", "colour=red"]))
        XCTAssertEqual(r.code, 2, r.err)
        XCTAssertTrue(r.err.contains("unknown setting 'colour'"), r.err)
        XCTAssertTrue(r.err.contains("climate") && r.err.contains("time_pct"), r.err)
        let p = try run([
            "pathloss", "--model", "fspl", "--dem", "x.tif", "--from", "10,106", "--to", "10.1,106",
            "--frequency-mhz", "900", "--tx-height-m", "30", "--rx-height-m", "2", "--set", "colour=red"
        ])
        XCTAssertEqual(p.code, 2, p.err)
        XCTAssertTrue(p.err.contains("unknown setting 'colour'"), p.err)
    }

    /// Failed before: `--threshold 6G=-80` was stored under "6G" and ignored (exit 0).
    func testUnknownThresholdTechnologyIsAnError() throws {
        let r = try run(try coverageArgs(["--threshold", "6G=-80"]))
        XCTAssertEqual(r.code, 2, r.err)
        XCTAssertTrue(r.err.contains("unknown technology '6G'"), r.err)
        XCTAssertTrue(r.err.contains("2G, 3G, 4G, 5G"), r.err)
        let hex = try run(try coverageArgs(["--threshold", "4G=-0x50"]))
        XCTAssertEqual(hex.code, 2, hex.err)
    }

    /// Failed before: `--set climate=99` left every cell empty and exited 0.
    func testOutOfRangeModelSettingFailsBeforeTheRun() throws {
        let r = try run(try coverageArgs(["--model", "fspl", "--set", "climate=99"]))
        XCTAssertEqual(r.code, 2, r.err)
        XCTAssertTrue(r.err.contains("--set climate=99"), r.err)
        XCTAssertTrue(r.err.contains("1–7"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/best_signal_dbm.tif").path))
        // The same range in a path-loss batch row: a row error, the other rows computed.
        let batch = try write(
            "paths.csv",
            """
            id,frequency_mhz,tx_height_m,rx_height_m,spacing_m,elevations_m,climate
            good,900,30,2,100,0 0 0 0 0,5
            bad,900,30,2,100,0 0 0 0 0,99

            """)
        let b = try run(["pathloss", "--model", "itm", "--input", batch, "--output", dir.appendingPathComponent("loss.csv").path])
        XCTAssertEqual(b.code, 1, b.err)
        let out = try String(contentsOf: dir.appendingPathComponent("loss.csv"), encoding: .utf8)
        // ITM checks its own settings with NTIA's ranges and error codes (1002: radio climate).
        XCTAssertTrue(out.contains("bad,,,\"ITM 1.2.2: climate = 99 is outside the valid range [1, 7] (code 1002)\""), out)
    }

    // MARK: antenna patterns

    static let shareAssignments = """
        id,station_id,licensee,service,tx_frequency_mhz,bandwidth_khz,latitude,longitude,antenna_height_m,eirp_dbm
        A-T1,S1,Viettel,mobile,773,10000,10.9,107.0,40,60

        """

    /// Failed before: a transmitters file or a proposal naming `../../…/shadow` opened the file and echoed its
    /// first line in the error.
    func testPatternOutsideTheFolderIsAnErrorNamingRecordAndField() throws {
        _ = try write("secret/shadow", "root:$6$SECRETHASH:19000:0:99999:7:::\n")
        let tx = Self.tx.replacingOccurrences(
            of: "T1,S1,Viettel,4G,10.9,107.0,40,773,10,60,0,2,4,",
            with: "T1,S1,Viettel,4G,10.9,107.0,40,773,10,60,0,2,4,../secret/shadow")
        let txPath = try write("net/tx.csv", tx)
        let r = try run([
            "coverage", "--transmitters", txPath, "--area", "106.98,10.88,107.02,10.92", "--resolution-m", "500",
            "--output", dir.appendingPathComponent("out").path
        ])
        XCTAssertEqual(r.code, 1, r.err)
        assertReadable(r.err)
        XCTAssertTrue(r.err.contains("tx.csv: transmitter 'T1', field 'antenna_pattern'"), r.err)
        XCTAssertTrue(r.err.contains("inside the patterns folder"), r.err)
        XCTAssertFalse(r.err.contains("SECRETHASH"), r.err)
        // Absolute path, through --antenna-dir.
        let abs = try run([
            "coverage", "--transmitters",
            try write("net/tx2.csv", tx.replacingOccurrences(of: "../secret/shadow", with: dir.appendingPathComponent("secret/shadow").path)),
            "--antenna-dir", dir.appendingPathComponent("net").path, "--area", "106.98,10.88,107.02,10.92",
            "--resolution-m", "500", "--output", dir.appendingPathComponent("out").path
        ])
        XCTAssertEqual(abs.code, 1, abs.err)
        XCTAssertFalse(abs.err.contains("SECRETHASH"), abs.err)
        // A sharing proposal's antenna_pattern.
        let proposal = try write(
            "net/p.json",
            """
            {"operator": "MobiFone", "kind": "co_location", "host_site_id": "S1",
             "transmitters": [{"id": "MF-1", "technology": "4G", "antenna_height_m": 30, "frequency_mhz": 1862.5,
                               "bandwidth_mhz": 15, "eirp_dbm": 60, "azimuth_deg": 30, "antenna_pattern": "../secret/shadow"}]}
            """)
        let share = try run([
            "share-check", "--proposal", proposal, "--transmitters", try write("net/tx3.csv", Self.tx),
            "--assignments", try write("net/asg.csv", Self.shareAssignments),
            "--villages", try write("net/v.csv", Self.villages), "--output", dir.appendingPathComponent("share").path
        ])
        XCTAssertEqual(share.code, 1, share.err)
        XCTAssertTrue(share.err.contains("p.json: transmitters[0] 'MF-1', field 'antenna_pattern'"), share.err)
        XCTAssertFalse(share.err.contains("SECRETHASH"), share.err)
    }

    // MARK: crashes, hangs and limits

    /// Failed before: spacing_m 1e20 crashed the process (rc 132, the whole batch lost) and 1e12 wrote "-nan"
    /// with exit 0.
    func testAbsurdProfileSpacingIsARowError() throws {
        let batch = try write(
            "paths.csv",
            """
            id,frequency_mhz,tx_height_m,rx_height_m,spacing_m,elevations_m
            huge,900,30,2,1e20,0 0 0 0 0
            big,900,30,2,1e12,0 0 0 0 0
            fine,900,30,2,100,0 0 0 0 0

            """)
        for model in ["itm", "p526", "fspl", "ehata"] {
            let out = dir.appendingPathComponent("loss-\(model).csv").path
            let r = try run(["pathloss", "--model", model, "--input", batch, "--output", out])
            XCTAssertEqual(r.code, 1, "\(model): \(r.err)")
            let text = try String(contentsOfFile: out, encoding: .utf8)
            XCTAssertFalse(text.lowercased().contains("nan"), text)
            XCTAssertTrue(text.contains("huge,,,\"column 'spacing_m': value '1e20'"), text)
            XCTAssertTrue(text.contains("big,,,\"column 'spacing_m': value '1e12'"), text)
            XCTAssertTrue(text.contains("\nfine,") && !text.contains("fine,,"), text)
            XCTAssertTrue(r.err.contains("2 of 3 rows not computed; the first: id 'huge'"), r.err)
        }
    }

    /// Failed before: a 1 GB path-loss batch was read whole and hung. A UTF-8 batch is now streamed (any size), but
    /// no single row may exceed the limit: this file (a header, then 1 GB without a line end) fails as soon as its
    /// second line passes 200 MB.
    func testHugeBatchFailsFast() throws {
        let big = dir.appendingPathComponent("paths.csv")
        FileManager.default.createFile(atPath: big.path, contents: Data("id,frequency_mhz,tx_height_m,rx_height_m,spacing_m,elevations_m\n".utf8))
        let h = try FileHandle(forWritingTo: big)
        try h.truncate(atOffset: 1 << 30)
        try h.close()
        let start = Date()
        let r = try run(["pathloss", "--model", "fspl", "--input", big.path], timeout: 60)
        XCTAssertEqual(r.code, 1, r.err)
        assertReadable(r.err)
        XCTAssertTrue(r.err.contains("paths.csv: line 2: a record longer than 200 MB"), r.err)
        XCTAssertTrue(r.err.contains("TANSO_MAX_BATCH_MB"), r.err)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    /// Failed before: `merge --parts ""` crashed (index out of range).
    func testMergeWithEmptyPartsIsAUsageError() throws {
        for parts in ["", ",", " , "] {
            let r = try run(["merge", "--parts", parts, "--output", dir.appendingPathComponent("m").path])
            XCTAssertEqual(r.code, 2, r.err)
            XCTAssertTrue(r.err.contains("--parts needs the output folders"), r.err)
        }
    }

    /// Failed before: `candidates --grid-km 0.001` built a grid without bound (hours, gigabytes).
    func testCandidateGridIsLimited() throws {
        let villages = try write(
            "villages.csv",
            """
            id,name,commune,district,latitude,longitude,population
            V1,A,C,D,10.0,106.5,100
            V2,B,C,D,11.0,107.5,100

            """)
        let cov = try run(try coverageArgs([]))
        XCTAssertEqual(cov.code, 0, cov.err)
        let start = Date()
        let r = try run(
            [
                "candidates", "--coverage", dir.appendingPathComponent("out").path, "--villages", villages,
                "--grid-km", "0.001", "--output", dir.appendingPathComponent("cand").path
            ], timeout: 60)
        XCTAssertEqual(r.code, 1, r.err)
        assertReadable(r.err.components(separatedBy: "\n").first { $0.hasPrefix("tanso: error") } ?? r.err)
        XCTAssertTrue(r.err.contains("use a larger --grid-km"), r.err)
        XCTAssertTrue(r.err.contains("TANSO_MAX_CANDIDATE_GRID"), r.err)
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
    }

    /// A coverage grid beyond the limit is refused with the way out named (the limit can be lowered for the test).
    func testGridCellLimitIsOverridable() throws {
        let r = try run(try coverageArgs([]), environment: ["TANSO_MAX_GRID_CELLS": "10"])
        XCTAssertEqual(r.code, 1, r.err)
        XCTAssertTrue(r.err.contains("TANSO_MAX_GRID_CELLS"), r.err)
    }

    // MARK: encodings

    /// Failed before: a Windows-1258 villages file ran with its names turned into U+FFFD, exit 0.
    func testEncodingIsCheckedOrDeclared() throws {
        var bytes = Data("id,name,commune,district,latitude,longitude,population\nV1,".utf8)
        bytes.append(contentsOf: [0x56, 0x69, 0xEA, 0xF2, 0x74]) // "Việt" in Windows-1258
        bytes.append(contentsOf: Array(",X,D,10.9,107.0,100\n".utf8))
        let villages = try write("v1258.csv", bytes)
        let bad = try run(try coverageArgs(["--villages", villages]))
        XCTAssertEqual(bad.code, 1, bad.err)
        assertReadable(bad.err)
        XCTAssertTrue(bad.err.contains("v1258.csv: not valid UTF-8: byte 0xEA at offset 60 (line 2)"), bad.err)
        XCTAssertTrue(bad.err.contains("--encoding"), bad.err)
        let good = try run(try coverageArgs(["--villages", villages, "--encoding", "windows-1258"]))
        XCTAssertEqual(good.code, 0, good.err)
        let out = try String(contentsOf: dir.appendingPathComponent("out/villages.csv"), encoding: .utf8)
        XCTAssertTrue(out.contains("Việt"), out)
        let unknown = try run(try coverageArgs(["--villages", villages, "--encoding", "tcvn9"]))
        XCTAssertEqual(unknown.code, 2, unknown.err)
        XCTAssertTrue(unknown.err.contains("windows-1258"), unknown.err)
    }

    // MARK: share-check judgement

    func shareProposal(_ name: String, kind: String) throws -> String {
        let place =
            kind == "new_tower"
            ? "\"site_id\": \"NEW-1\", \"latitude\": -33.8568, \"longitude\": 151.2153, \"tower_height_m\": 40,"
            : "\"host_site_id\": \"VT-A\","
        return try write(
            name,
            """
            {"operator": "MobiFone", "kind": "\(kind)", \(place)
             "transmitters": [{"id": "MF-1", "technology": "4G", "antenna_height_m": 36, "frequency_mhz": 1862.5, "bandwidth_mhz": 15,
                               "eirp_dbm": 60, "azimuth_deg": 30, "mechanical_tilt_deg": 2, "electrical_tilt_deg": 4}]}
            """)
    }

    func shareRun(
        _ proposal: String, tx: String = CLITests.shareTx, output: String, extra: [String] = []
    ) throws -> (code: Int32, json: [String: Any], html: String, err: String) {
        let r = try run(
            [
                "share-check", "--proposal", proposal, "--transmitters", try write("s-tx.csv", tx),
                "--assignments", try write("s-asg.csv", CLITests.shareAssignments),
                "--villages", try write("s-v.csv", CLITests.shareVillages), "--radius-km", "4", "--max-radius-km", "10",
                "--output", dir.appendingPathComponent(output).path
            ] + extra)
        guard r.code == 0 else { return (r.code, [:], "", r.err) }
        let data = try Data(contentsOf: dir.appendingPathComponent(output).appendingPathComponent("result.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let html = try String(contentsOf: dir.appendingPathComponent(output).appendingPathComponent("report.html"), encoding: .utf8)
        return (r.code, json, html, r.err)
    }

    func outcome(_ json: [String: Any], _ id: String) -> String? {
        (json["checks"] as? [[String: Any]])?.first { $0["id"] as? String == id }?["outcome"] as? String
    }

    /// Failed before: a new tower in Sydney, with a network, villages and register in Vietnam, passed.
    func testProposalOutsideTheRecordsIsReview() throws {
        let r = try shareRun(try shareProposal("sydney.json", kind: "new_tower"), output: "sydney")
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertNotEqual(r.json["verdict"] as? String, "pass")
        XCTAssertEqual(outcome(r.json, "records"), "review")
        let reasons = (r.json["reasons"] as? [String] ?? []).joined(separator: " | ")
        XCTAssertTrue(reasons.contains("outside the area of the network given"), reasons)
        XCTAssertTrue(reasons.contains("no village of the villages file within"), reasons)
        XCTAssertTrue(r.html.contains("outside the area of the network given"))
    }

    /// Failed before: with --skip-invalid a proposal passed after rows were dropped, and no report said so.
    func testSkippedRowsAreReportedAndLowerAPass() throws {
        let proposal = try shareProposal("co.json", kind: "co_location")
        let clean = try shareRun(proposal, output: "clean")
        XCTAssertEqual(clean.code, 0, clean.err)
        XCTAssertEqual(clean.json["verdict"] as? String, "pass", "the fixture passes with every row valid")
        XCTAssertNil(outcome(clean.json, "records"))
        let broken = CLITests.shareTx + "VN-C-1,VN-C,VinaPhone,4G,10.96,107.06,30,0x300,10,60,,0,2,\n"
        let skipped = try shareRun(proposal, tx: broken, output: "skipped", extra: ["--skip-invalid"])
        XCTAssertEqual(skipped.code, 0, skipped.err)
        XCTAssertEqual(skipped.json["verdict"] as? String, "review")
        XCTAssertEqual(outcome(skipped.json, "records"), "review")
        let rows = skipped.json["skipped_rows"] as? [String] ?? []
        XCTAssertEqual(rows.count, 1)
        XCTAssertTrue(rows.first?.contains("s-tx.csv:6: row 5, column 'frequency_mhz': value '0x300'") == true, "\(rows)")
        XCTAssertTrue(skipped.html.contains("Input rows skipped"), "html lists the skipped rows")
        XCTAssertTrue(skipped.html.contains("value &#39;0x300&#39;") || skipped.html.contains("value '0x300'"))
        XCTAssertFalse(skipped.html.contains(dir.path), "no absolute path in the report")
    }

    // MARK: villages --coverage in dBm only

    /// Failed before: a DEM given to `villages --coverage` marked every village covered (heights above the
    /// threshold), exit 0.
    func testVillagesRefusesARasterNotInDBm() throws {
        let cov = try run(try coverageArgs([]))
        XCTAssertEqual(cov.code, 0, cov.err)
        let best = dir.appendingPathComponent("out/best_signal_dbm.tif").path
        XCTAssertEqual(try RasterDataset(path: best).unit(band: 1), "dBm", "tanso's writer marks the unit")
        var dem = RasterGrid(
            width: 60, height: 60, geoTransform: GeoTransform(originX: 106.97, originY: 10.93, pixelWidth: 0.001, pixelHeight: 0.001),
            crs: "EPSG:4326", nodata: -32768, fill: 120)
        dem[0, 0] = 100
        try dem.write(to: dir.appendingPathComponent("dem.tif").path)
        let villages = try write("v.csv", Self.villages)
        let args = ["villages", "--villages", villages, "--threshold-dbm", "-95", "--output", dir.appendingPathComponent("u.csv").path]
        let refused = try run(args + ["--coverage", dir.appendingPathComponent("dem.tif").path])
        XCTAssertEqual(refused.code, 1, refused.err)
        assertReadable(refused.err)
        XCTAssertTrue(refused.err.contains("dem.tif: band 1 is not marked as dBm"), refused.err)
        XCTAssertTrue(refused.err.contains("--unit dbm"), refused.err)
        XCTAssertEqual(try run(args + ["--coverage", dir.appendingPathComponent("dem.tif").path, "--unit", "dbm"]).code, 0)
        XCTAssertEqual(try run(args + ["--coverage", dir.appendingPathComponent("dem.tif").path, "--unit", "dbuv"]).code, 2)
        let ok = try run(args + ["--coverage", best])
        XCTAssertEqual(ok.code, 0, ok.err)
    }

    // MARK: errors people read

    /// Failed before: "Error Domain=NSCocoaErrorDomain Code=516 …" when a folder of the output path is a file.
    func testFileSystemErrorsNameTheFileAndTheCause() throws {
        _ = try write("afile", "x")
        let cov = try run(try coverageArgs([]).dropLast(2) + ["--output", dir.appendingPathComponent("afile/cov").path])
        XCTAssertEqual(cov.code, 1, cov.err)
        assertReadable(cov.err)
        XCTAssertTrue(cov.err.contains("afile/cov: cannot write: ") && cov.err.contains("afile is a file, not a folder"), cov.err)
        let batch = try write("paths.csv", "id,frequency_mhz,tx_height_m,rx_height_m,spacing_m,elevations_m\na,900,30,2,100,0 0 0\n")
        let pl = try run(["pathloss", "--model", "fspl", "--input", batch, "--output", dir.appendingPathComponent("afile/x.csv").path])
        XCTAssertEqual(pl.code, 1, pl.err)
        assertReadable(pl.err)
        XCTAssertTrue(pl.err.contains("is a file, not a folder"), pl.err)
        let missing = try run(["pathloss", "--model", "fspl", "--input", dir.appendingPathComponent("none/paths.csv").path])
        XCTAssertEqual(missing.code, 1, missing.err)
        assertReadable(missing.err)
        XCTAssertTrue(missing.err.contains("none/paths.csv: no such file"), missing.err)
    }

    /// Failed before: a full disk printed "sqlite3_exec(<the GeoPackage schema>) failed: database or disk is
    /// full" or "no such table: gpkg_geometry_columns"; a read-only folder a Foundation error dump.
    /// Needs a small tmpfs (root); skipped elsewhere.
    /// An --output that is a FIFO (or a device such as /dev/full) is refused and left as it was: the atomic rename
    /// used to replace it with a regular file (as root, `pathloss --output /dev/full` replaced the device).
    func testOutputOntoANonRegularFileIsRefused() throws {
        let batch = try write("paths.csv", "id,frequency_mhz,tx_height_m,rx_height_m,spacing_m,elevations_m\na,900,30,2,100,0 0 0 0\n")
        let fifo = dir.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        for output in [fifo, dir.path] {
            let r = try run(["pathloss", "--model", "fspl", "--input", batch, "--output", output])
            XCTAssertEqual(r.code, 1, r.err)
            XCTAssertTrue(r.err.contains("tanso writes its products only as regular files"), r.err)
        }
        var st = stat()
        XCTAssertEqual(lstat(fifo, &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFIFO, "the FIFO is still a FIFO")
    }

    func testDiskFullAndReadOnlyAreNamed() throws {
        let mnt = dir.appendingPathComponent("mnt")
        try FileManager.default.createDirectory(at: mnt, withIntermediateDirectories: true)
        func sh(_ args: [String]) throws -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/mount")
            p.arguments = args
            p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
            try p.run(); p.waitUntilExit()
            return p.terminationStatus
        }
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/bin/mount"),
            try sh(["-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt.path]) == 0
        else {
            throw XCTSkip("needs root and a tmpfs mount")
        }
        defer {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/umount")
            p.arguments = [mnt.path]
            try? p.run(); p.waitUntilExit()
        }
        try Data(repeating: 0, count: 200 << 10).write(to: mnt.appendingPathComponent("filler"))
        let villages = try write("v.csv", Self.villages)
        let full = try run(try coverageArgs(["--villages", villages]).dropLast(2) + ["--output", mnt.appendingPathComponent("cov").path])
        XCTAssertEqual(full.code, 1, full.err)
        assertReadable(full.err)
        XCTAssertTrue(full.err.contains("cannot write: disk full"), full.err)
        XCTAssertFalse(full.err.contains("gpkg_") || full.err.contains("sqlite3_exec"), full.err)
        try FileManager.default.removeItem(at: mnt.appendingPathComponent("filler"))
        try? FileManager.default.removeItem(at: mnt.appendingPathComponent("cov"))
        XCTAssertEqual(try sh(["-o", "remount,ro", mnt.path]), 0)
        let ro = try run(try coverageArgs([]).dropLast(2) + ["--output", mnt.appendingPathComponent("cov2").path])
        XCTAssertEqual(ro.code, 1, ro.err)
        assertReadable(ro.err)
        XCTAssertTrue(ro.err.contains("cannot write: read-only file system"), ro.err)
    }

    /// Failed before: a file of NUL bytes or a huge header was echoed whole in the message (256 MB of NULs).
    func testMessagesAreCappedAndPrintable() throws {
        var header = Data("id,site_id,".utf8)
        header.append(Data(repeating: 0, count: 2 << 20))
        header.append(Data(",x\n1,2,3\n".utf8))
        let r = try run(["coverage", "--transmitters", try write("nul.csv", header), "--output", dir.appendingPathComponent("o").path])
        XCTAssertEqual(r.code, 1)
        assertReadable(r.err)
        XCTAssertLessThan(r.err.utf8.count, 1200, "message of \(r.err.utf8.count) bytes")
        XCTAssertFalse(r.err.contains("\0"))
        // A row value of a megabyte: capped in the row error.
        let tx = Self.tx.replacingOccurrences(
            of: "T1,S1,Viettel,4G,10.9,107.0,40,773", with: "T1,S1,Viettel,4G,10.9,107.0,40," + String(repeating: "9", count: 1 << 20))
        let big = try run(try coverageArgs([]).map { $0.hasSuffix("tx.csv") ? (try? self.write("big.csv", tx)) ?? $0 : $0 })
        XCTAssertEqual(big.code, 1)
        assertReadable(big.err)
        XCTAssertLessThan(big.err.utf8.count, 1200)
        XCTAssertTrue(big.err.contains("column 'frequency_mhz': value '99999"), big.err)
    }
}

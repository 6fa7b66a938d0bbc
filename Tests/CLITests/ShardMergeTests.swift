import XCTest
import Foundation
import Geo
import Reports
import Radio
import Analysis

/// Scale-out and provenance: shards merged equal a single run byte for byte; the run record carries checksums;
/// the KMZ overlay is a real KMZ.
extension CLITests {
    var cli: CLITests { self }

    func testShardsMergedEqualASingleRunByteForByte() throws {
        var lines = [cli.txHeader]
        // 7 sectors on 3 sites over a hill, with ITM on the terrain: enough for 3 unequal shards.
        for (i, (lat, lon)) in [(10.95, 106.90), (10.97, 106.96), (11.00, 106.93)].enumerated() {
            lines.append("O\(i),S\(i),Viettel,4G,\(lat),\(lon),30,900,10,58,,,,")
            lines.append("A\(i),S\(i),MobiFone,4G,\(lat),\(lon),35,1842.5,15,62,\(i * 120),2,2,")
            if i < 1 { lines.append("B\(i),S\(i),Vinaphone,3G,\(lat),\(lon),25,2100,5,55,200,0,0,") }
        }
        _ = try cli.write("tx.csv", lines.joined(separator: "\n") + "\n")
        var dem = RasterGrid(
            width: 200, height: 150, geoTransform: GeoTransform(originX: 106.85, originY: 11.05, pixelWidth: 0.001, pixelHeight: 0.001),
            crs: "EPSG:4326", nodata: -32768, fill: 10)
        for r in 0..<150 { for c in 0..<200 { dem[c, r] = 10 + 200 * Float(exp(-(pow(Double(c - 100), 2) + pow(Double(r - 75), 2)) / 400)) } }
        try dem.write(to: cli.dir.appendingPathComponent("dem.tif").path)
        let common = [
            "coverage", "--transmitters", "tx.csv", "--dem", "dem.tif", "--model", "itm", "--max-radius-km", "5",
            "--area", "106.86,10.91,107.04,11.04", "--resolution-m", "150"
        ]
        let single = try cli.run(common + ["--output", "single"])
        XCTAssertEqual(single.code, 0, single.err)
        for i in 1...3 {
            let r = try cli.run(common + ["--shard", "\(i)/3", "--output", "part\(i)"])
            XCTAssertEqual(r.code, 0, r.err)
            XCTAssertTrue(r.out.contains("Shard \(i)/3"), r.out)
        }
        // Any order of the parts.
        let m = try cli.run(["merge", "--parts", "part3,part1,part2", "--output", "merged"])
        XCTAssertEqual(m.code, 0, m.err)
        let fm = FileManager.default
        let services = try fm.contentsOfDirectory(atPath: cli.dir.appendingPathComponent("single/services").path).sorted()
        XCTAssertEqual(services.count, 3)
        for name in ["best_signal_dbm.tif", "best_server.tif", "server_count.tif", "best_server_ids.csv"] + services.map({ "services/" + $0 }) {
            let a = try Data(contentsOf: cli.dir.appendingPathComponent("single/\(name)"))
            let b = try Data(contentsOf: cli.dir.appendingPathComponent("merged/\(name)"))
            XCTAssertEqual(a, b, "\(name) differs between the single run and the merged shards")
        }
        // A missing shard and a shard of another study are refused with a reason.
        let missing = try cli.run(["merge", "--parts", "part1,part3", "--output", "bad"])
        XCTAssertEqual(missing.code, 1)
        XCTAssertTrue(missing.err.contains("missing 2"), missing.err)
        let other = try cli.run([
            "coverage", "--transmitters", "tx.csv", "--dem", "dem.tif", "--model", "itm", "--max-radius-km", "5",
            "--area", "106.86,10.91,107.04,11.04", "--resolution-m", "300", "--shard", "2/3", "--output", "other2"
        ])
        XCTAssertEqual(other.code, 0, other.err)
        let mixed = try cli.run(["merge", "--parts", "part1,other2,part3", "--output", "bad"])
        XCTAssertEqual(mixed.code, 1)
        XCTAssertTrue(mixed.err.contains("different study"), mixed.err)
        XCTAssertFalse(fm.fileExists(atPath: cli.dir.appendingPathComponent("bad/best_signal_dbm.tif").path))
    }

    /// A grid reaching beyond the DEM (cells without terrain, NaN ground) still shards and merges to the single
    /// run's bytes: the partial ground raster carries nodata, never NaN (which the raster writer refuses).
    func testShardsBeyondTheDEMMergeToTheSingleRun() throws {
        _ = try cli.write(
            "tx.csv",
            [
                cli.txHeader, "O0,S0,Viettel,4G,10.95,106.90,30,900,10,58,,,,",
                "A1,S1,MobiFone,4G,10.97,106.93,35,1842.5,15,62,120,2,2,"
            ].joined(separator: "\n") + "\n")
        var dem = RasterGrid(
            width: 100, height: 100, geoTransform: GeoTransform(originX: 106.87, originY: 11.00, pixelWidth: 0.001, pixelHeight: 0.001),
            crs: "EPSG:4326", nodata: -32768, fill: 20)
        for r in 0..<100 { for c in 0..<100 { dem[c, r] = 20 + Float(r + c) } }
        try dem.write(to: cli.dir.appendingPathComponent("dem.tif").path)
        let common = [
            "coverage", "--transmitters", "tx.csv", "--dem", "dem.tif", "--max-radius-km", "5",
            "--area", "106.85,10.88,107.00,11.02", "--resolution-m", "200"
        ]
        XCTAssertEqual(try cli.run(common + ["--output", "single"]).code, 0)
        for i in 1...2 {
            let r = try cli.run(common + ["--shard", "\(i)/2", "--output", "part\(i)"])
            XCTAssertEqual(r.code, 0, r.err)
        }
        let m = try cli.run(["merge", "--parts", "part1,part2", "--output", "merged"])
        XCTAssertEqual(m.code, 0, m.err)
        for name in ["best_signal_dbm.tif", "best_server.tif", "server_count.tif"] {
            XCTAssertEqual(
                try Data(contentsOf: cli.dir.appendingPathComponent("single/\(name)")),
                try Data(contentsOf: cli.dir.appendingPathComponent("merged/\(name)")), name)
        }
    }

    func testRunRecordCarriesInputChecksumsAndRepeats() throws {
        _ = try cli.write("tx.csv", cli.txHeader + "\nA1,SA,Viettel,4G,10.950,106.900,30,773,10,60,,,,\n")
        let r = try cli.run([
            "coverage", "--transmitters", "tx.csv", "--area", "106.85,10.90,106.95,11.00", "--resolution-m", "200",
            "--output", "out"
        ])
        XCTAssertEqual(r.code, 0, r.err)
        let record = try RunRecord.read(cli.dir.appendingPathComponent("out/study.json").path)
        XCTAssertTrue(record.tool.hasPrefix("tanso "))
        XCTAssertEqual(record.command.prefix(2), ["tanso", "coverage"])
        let tx = try XCTUnwrap(record.inputs.first { $0.role == "transmitters" })
        XCTAssertEqual(tx.path, "tx.csv")
        // Cross-check the checksum with coreutils when present.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum") {
            let p = Process(), o = Pipe()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
            p.arguments = [cli.dir.appendingPathComponent("tx.csv").path]
            p.standardOutput = o
            try p.run(); p.waitUntilExit()
            let out = String(decoding: o.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertEqual(tx.sha256, String(out.prefix(64)))
        }
        let grid = try XCTUnwrap(record.grid)
        XCTAssertEqual(grid.crs, "EPSG:32648")
        XCTAssertEqual(grid.geoTransform[1], 200)
        // Repeat the run from the record: same raster bytes; a changed input is reported.
        let again = try cli.run(["coverage", "--transmitters", "tx.csv", "--study", "out/study.json", "--output", "again"])
        XCTAssertEqual(again.code, 0, again.err)
        XCTAssertEqual(
            try Data(contentsOf: cli.dir.appendingPathComponent("out/best_signal_dbm.tif")),
            try Data(contentsOf: cli.dir.appendingPathComponent("again/best_signal_dbm.tif")))
        _ = try cli.write("tx.csv", cli.txHeader + "\nA1,SA,Viettel,4G,10.950,106.900,30,773,10,61,,,,\n")
        let changed = try cli.run(["coverage", "--transmitters", "tx.csv", "--study", "out/study.json", "--output", "changed"])
        XCTAssertEqual(changed.code, 0, changed.err)
        XCTAssertTrue(changed.err.contains("content changed since the run"), changed.err)
        // The KMZ is a ZIP holding a KML document.
        let kmz = try Data(contentsOf: cli.dir.appendingPathComponent("out/best_signal.kmz"))
        XCTAssertEqual(Array(kmz.prefix(2)), [0x50, 0x4B])
        XCTAssertNotNil(kmz.range(of: Data("doc.kml".utf8)))
    }

    /// FIPS 180-4 examples (NIST CSRC "SHA256.pdf" and "SHA2_Additional.pdf"): "abc", the 448-bit message, the
    /// empty string and one million "a", on the portable Swift rounds and on the CPU's SHA extensions where present.
    func testSHA256KnownAnswers() {
        for portable in [true, false] {
            func digest(_ d: Data) -> String { var s = SHA256(portable: portable); s.update(d); return s.finalize() }
            XCTAssertEqual(digest(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            XCTAssertEqual(
                digest(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
            XCTAssertEqual(digest(Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
            XCTAssertEqual(
                digest(Data(repeating: UInt8(ascii: "a"), count: 1_000_000)),
                "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
            // Streaming in odd pieces equals one shot.
            let big = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            var s = SHA256(portable: portable)
            var i = 0
            while i < big.count { let n = min(777, big.count - i); s.update(big[i..<(i + n)]); i += n }
            XCTAssertEqual(s.finalize(), digest(big))
        }
    }

    /// The SHA extensions give the portable rounds' digest for every length around the block and padding edges,
    /// on seeded random bytes. (On a CPU without them both paths are the portable one, and the test says so.)
    func testSHA256HardwareEqualsPortableOnEveryLength() {
        if !SHA256.hardware { print("SHA-256: this CPU has no SHA extensions; both paths are the portable one") }
        var g = SplitMix64(seed: 180_4)
        let bytes = Data((0..<5_000).map { _ in UInt8(truncatingIfNeeded: g.next()) })
        var lengths = Array(0...200) + [447, 448, 511, 512, 1_000, 4_095, 4_096, 4_999]
        lengths.append(bytes.count)
        for n in lengths {
            var hw = SHA256(), sw = SHA256(portable: true)
            hw.update(bytes.prefix(n)); sw.update(bytes.prefix(n))
            XCTAssertEqual(hw.finalize(), sw.finalize(), "length \(n)")
        }
    }
}

/// `--shard I/N` splits by estimated cost: every transmitter in exactly one shard, the largest shard within one
/// transmitter's cost of the mean, the same split every time; the cost is the cells a transmitter can reach.
final class ShardBalanceTests: XCTestCase {
    func testPartitionCoversEveryTransmitterOnceAndBalancesCost() {
        var g = SplitMix64(seed: 21)
        // Skewed costs, as in a province: many small rural sectors, a few big ones, in an order where i mod N is
        // badly unbalanced (every 4th transmitter is a big one).
        let costs = (0..<400).map { i -> Double in i % 4 == 0 ? 40_000 + Double(g.next() % 10_000) : 500 + Double(g.next() % 2_000) }
        for n in [1, 2, 3, 4, 7, 16] {
            let shards = PartialResult.partition(costs: costs, into: n)
            XCTAssertEqual(shards.count, n)
            XCTAssertEqual(shards.flatMap { $0 }.sorted(), Array(costs.indices), "every transmitter exactly once (N = \(n))")
            for s in shards { XCTAssertEqual(s, s.sorted(), "ascending within a shard") }
            let loads = shards.map { $0.reduce(0) { $0 + costs[$1] } }
            let mean = costs.reduce(0, +) / Double(n)
            XCTAssertLessThanOrEqual(loads.max()!, mean + costs.max()!, "N = \(n): largest shard \(loads.max()!) vs mean \(mean)")
            XCTAssertEqual(PartialResult.partition(costs: costs, into: n), shards, "deterministic")
            for i in 1...n { XCTAssertEqual(PartialResult.indices(shard: i, of: n, costs: costs), shards[i - 1]) }
        }
        // The index rule it replaces put every big transmitter in shard 1 of 4: four times the work of the others.
        let byIndex = (0..<4).map { s in costs.indices.filter { $0 % 4 == s }.reduce(0) { $0 + costs[$1] } }
        let balanced = PartialResult.partition(costs: costs, into: 4).map { $0.reduce(0) { $0 + costs[$1] } }
        XCTAssertGreaterThan(byIndex.max()! / byIndex.min()!, 5)
        XCTAssertLessThan(balanced.max()! / balanced.min()!, 1.05, "\(balanced)")
    }

    func testEstimatedCellsAreTheReachableCellsOfTheArea() {
        var study = CoverageStudy(west: 106.0, south: 10.0, east: 108.0, north: 12.0)
        study.resolutionM = 100
        study.maxRadiusKm = 10
        // In the middle: the whole 20 × 20 km square, 200 × 200 cells (±1 for rounding up).
        let centre = study.estimatedCells(latitude: 11.0, longitude: 107.0)
        XCTAssertEqual(centre, 40_000, accuracy: 500)
        // At a corner of the area: a quarter of it.
        let corner = study.estimatedCells(latitude: 12.0, longitude: 108.0)
        XCTAssertEqual(corner / centre, 0.25, accuracy: 0.01)
        // Outside the area by more than the radius: nothing to compute, cost 1.
        XCTAssertEqual(study.estimatedCells(latitude: 13.0, longitude: 107.0), 1)
    }
}

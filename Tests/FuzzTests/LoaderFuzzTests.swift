import XCTest
import Foundation
import Geo
import TestSupport
@testable import Radio
@testable import Records
@testable import Analysis

/// A seeded, time-boxed fuzz suite over every loader (issue 23): mutated inputs must give a result or an error,
/// never a crash, a hang or unbounded memory.
///
/// Time: TANSO_FUZZ_SECONDS in total (default 30, spread over the loaders); seed: TANSO_FUZZ_SEED (default fixed,
/// so CI runs the same inputs every time). An input that takes longer than 10 s counts as a hang: it is saved
/// next to the test's temporary folder and the test fails naming it. A crash stops the test process; rerun with
/// the printed seed to reproduce.
final class LoaderFuzzTests: XCTestCase {
    static let totalSeconds: Double = ProcessInfo.processInfo.environment["TANSO_FUZZ_SECONDS"].flatMap(Double.init) ?? 30
    static let seed: UInt64 = ProcessInfo.processInfo.environment["TANSO_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x7A45_0023
    /// Loaders fuzzed (the share of the time each gets).
    static let loaderCount = 15.0
    static let hangSeconds = 10.0
    static let memoryBoundKB = 3 << 20 // 3 GB of resident memory at most, over the whole suite

    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    // MARK: the machinery

    /// The project's SplitMix64, with the fuzzer's own draws.
    struct RNG {
        var base: SeededGenerator
        init(state: UInt64) { base = SeededGenerator(seed: state) }
        mutating func next() -> UInt64 { base.next() }
        mutating func int(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
        mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < p }
    }

    /// Tokens that have broken parsers before, or could.
    static let tokens: [String] = [
        "0x300", "7_7_3", "inf", "-inf", "nan", "NaN", "1e999", "-1e308", "1e20", "1e-320", "-0", "", " ", "\"", "\"\"", ",", ",,,,",
        "\n", "\r\n", "\r", "#", ";", "\t", "\u{0}", "\u{FEFF}", "é", "ệ", "\u{301}", "🙂", "../../etc/passwd", "/dev/zero",
        "HORIZONTAL 100000", "VERTICAL 0", "GAIN 1e308 dBi", "99999999999999999999", "-1", "360", "359.999", "1,5",
        String(repeating: "9", count: 400), String(repeating: "A", count: 5000), "{", "}", "[", "]", "null", "true",
        "<Gains>", "</Gains>", "<Step>0.0001</Step>", "PK\u{3}\u{4}", "2G", "6G", "mobile", "200KF8E", "9999M9F8E"
    ]

    func mutate(_ input: [UInt8], _ rng: inout RNG) -> [UInt8] {
        var b = input
        for _ in 0..<(1 + rng.int(4)) {
            switch rng.int(8) {
            case 0 where !b.isEmpty: // flip a byte
                b[rng.int(b.count)] = UInt8(truncatingIfNeeded: rng.next())
            case 1: // insert random bytes
                let at = rng.int(b.count + 1)
                b.insert(contentsOf: (0..<(1 + rng.int(8))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
            case 2 where !b.isEmpty: // delete a range
                let at = rng.int(b.count), n = min(b.count - at, 1 + rng.int(32))
                b.removeSubrange(at..<(at + n))
            case 3 where !b.isEmpty: // duplicate a range
                let at = rng.int(b.count), n = min(b.count - at, 1 + rng.int(64))
                b.insert(contentsOf: b[at..<(at + n)], at: rng.int(b.count + 1))
            case 4 where !b.isEmpty: // truncate
                b.removeLast(rng.int(b.count))
            case 5, 6: // splice a token, often over a field
                let t = Array(Self.tokens[rng.int(Self.tokens.count)].utf8)
                let at = rng.int(b.count + 1)
                var end = at
                if rng.chance(0.7) {
                    while end < b.count, ![UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: " "), UInt8(ascii: "<")].contains(b[end]) { end += 1 }
                }
                b.replaceSubrange(at..<end, with: t)
            default: // swap two lines
                let lines = b.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                guard lines.count > 2 else { continue }
                var l = lines.map(Array.init)
                l.swapAt(rng.int(l.count), rng.int(l.count))
                b = Array(l.joined(separator: [UInt8(ascii: "\n")]))
            }
        }
        return b
    }

    /// Runs `body` on mutated seeds for this loader's share of the time; each call must return or throw within
    /// `hangSeconds`, and a thrown error must read as a bounded message.
    func fuzz(_ name: String, seeds: [[UInt8]], share: Double = 1, body: @escaping @Sendable ([UInt8]) throws -> Void) {
        guard !seeds.isEmpty else { return }
        let budget = Self.totalSeconds * share / Self.loaderCount
        var rng = RNG(state: Self.seed ^ UInt64(truncatingIfNeeded: name.hashValueStable))
        var iterations = 0, results = 0, errors = 0
        let start = Date()
        // The seeds themselves first, then mutations.
        var queue = seeds
        while Date().timeIntervalSince(start) < budget || iterations < seeds.count {
            let input = queue.isEmpty ? mutate(seeds[rng.int(seeds.count)], &rng) : queue.removeFirst()
            let box = Outcome()
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                do { try body(input); box.set(nil) } catch { box.set("\(error)") }
                done.signal()
            }
            if done.wait(timeout: .now() + Self.hangSeconds) == .timedOut {
                let saved = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-fuzz-hang-\(name)-\(iterations).bin")
                try? Data(input).write(to: saved)
                XCTFail("\(name): an input took more than \(Self.hangSeconds) s (saved to \(saved.path); seed \(Self.seed))")
                return
            }
            if let message = box.message {
                errors += 1
                XCTAssertFalse(message.isEmpty, "\(name): an error without a message")
                XCTAssertLessThan(message.count, 5000, "\(name): a message of \(message.count) characters: \(message.prefix(200))")
            } else {
                results += 1
            }
            iterations += 1
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        XCTAssertLessThan(usage.ru_maxrss, Self.memoryBoundKB, "\(name): resident memory \(usage.ru_maxrss) KB")
        print(
            "fuzz \(name): \(iterations) inputs in \(String(format: "%.1f", Date().timeIntervalSince(start))) s, \(results) results, \(errors) errors (seed \(Self.seed))"
        )
    }

    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var value: String?? = .none
        func set(_ m: String?) { lock.lock(); value = .some(m); lock.unlock() }
        var message: String? { lock.lock(); defer { lock.unlock() }; return value ?? nil }
    }

    /// A file loader: the mutated bytes are written to `name` in a fresh folder, then loaded.
    func fileBody(_ fileName: String, _ load: @escaping @Sendable (String) throws -> Void) -> @Sendable ([UInt8]) throws -> Void {
        let base = dir!
        return { bytes in
            let folder = base.appendingPathComponent(UUID().uuidString)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent(fileName).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            try load(path)
        }
    }

    func projectFile(_ relative: String, lines: Int = 25) -> [UInt8]? {
        let url = ReferenceData.projectRoot().appendingPathComponent(relative)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        return Array(text.split(separator: "\n", omittingEmptySubsequences: false).prefix(lines).joined(separator: "\n").utf8)
    }

    /// A validation fixture (Tests/Fixtures) as bytes; a missing fixture fails the test.
    func referenceFile(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: try ReferenceData.require(relative)))
    }

    // MARK: record files

    static let transmitters = """
        id,site_id,operator,technology,latitude,longitude,antenna_height_m,frequency_mhz,bandwidth_mhz,eirp_dbm,azimuth_deg,mechanical_tilt_deg,electrical_tilt_deg,antenna_pattern
        T1,S1,Viettel,4G,10.9,107.0,40,773,10,60,0,2,4,
        T2,S2,VinaPhone,2G,10.95,107.05,30,945,0.2,53,,0,2,ant.msi
        T3,S3,MobiFone,5g,"10.8",106.9,25,3500,100,,120,,,

        """
    static let assignments = """
        id,station_id,licensee,service,tx_frequency_mhz,bandwidth_khz,emission_designator,latitude,longitude,antenna_height_m,eirp_dbm,azimuth_deg,rx_frequency_mhz,rx_latitude,rx_longitude,protection_ratio_db
        A1,S1,Viettel,mobile,773,10000,,10.9,107.0,40,60,0,718,,,
        A2,S2,VOV,broadcast_fm,99.1,,200KF8E,10.95,107.05,120,80,,,,,
        A3,S3,EVN,fixed,7500,28000,,10.8,106.9,30,50,45,7200,10.9,107.1,30

        """
    static let villages = """
        id,name,commune,district,latitude,longitude,population
        V1,Ấp Một,Xã A,Huyện B,10.905,107.003,1200
        V2,"Ấp, Hai",Xã A,Huyện B,10.89,106.99,800

        """

    func testTransmitterLoader() {
        let seeds = [Array(Self.transmitters.utf8)] + [projectFile("data/transmitters.csv")].compactMap { $0 }
        fuzz(
            "transmitters", seeds: seeds,
            body: fileBody("tx.csv") { path in
                var r = LoadReport()
                _ = try TransmitterLoader.load(path, report: &r)
                _ = try TransmitterLoader.load(path, skipInvalid: true, report: &r)
            })
    }

    func testAssignmentLoader() {
        let seeds = [Array(Self.assignments.utf8)] + [projectFile("data/assignments.csv")].compactMap { $0 }
        fuzz(
            "assignments", seeds: seeds,
            body: fileBody("asg.csv") { path in
                var r = LoadReport()
                _ = try AssignmentLoader.load(path, skipInvalid: true, report: &r)
            })
    }

    func testVillageLoader() {
        let seeds = [Array(Self.villages.utf8)] + [projectFile("data/villages.csv")].compactMap { $0 }
        fuzz(
            "villages", seeds: seeds,
            body: fileBody("v.csv") { path in
                var r = LoadReport()
                _ = try VillageLoader.load(path, skipInvalid: true, report: &r)
                _ = try VillageLoader.load(path, skipInvalid: true, encoding: .windows1258, report: &r)
            })
    }

    func testZonesGeoJSON() {
        let seeds = [projectFile("data/zones.geojson", lines: 400)].compactMap { $0 }
        fuzz(
            "zones", seeds: seeds, share: 0.5,
            body: fileBody("z.geojson") { path in
                var r = LoadReport()
                _ = try ZoneLoader.load(path, skipInvalid: true, report: &r)
            })
    }

    // MARK: antenna patterns

    static let msi = """
        NAME FUZZ
        MAKE Test
        FREQUENCY 1845
        GAIN 16.95 dBd
        TILT ELECTRICAL
        HORIZONTAL 8
        0 0
        45 3
        90 10
        135 20
        180 25
        225 20
        270 10
        315 3
        VERTICAL 4
        0 0
        90 15
        180 25
        270 15

        """

    func testMSIAndPlanetPatterns() throws {
        let refs = try [
            "antennas/strang00_python_antenna_pattern/B800A065-18-4E.pln",
            "antennas/strang00_python_antenna_pattern/LTE-R_1960MHz_P1.txt",
            "antennas/strang00_python_antenna_pattern/AMB4520R8v06_05T.msi"
        ].map { try referenceFile($0) }
        fuzz("msi/planet", seeds: [Array(Self.msi.utf8)] + refs, share: 1.5) { bytes in
            let p = try PlanetPatternReader.parse(Data(bytes), fileName: "fuzz.msi")
            // A pattern that loads gives finite gains everywhere, and no absurd gain over boresight (attenuations
            // are ≥ 0; a pattern whose minimum is off boresight may exceed it by that difference only).
            let bound = p.horizontal.attenuationDB.max()! + p.vertical.attenuationDB.max()!
            for az in stride(from: 0.0, to: 360, by: 45) {
                let g = p.relativeGainDB(azimuthOffDeg: az, depressionDeg: 5)
                XCTAssertTrue(g.isFinite && g <= bound + 1e-9, "gain \(g) dB at \(az)°")
            }
        }
    }

    func testPAFXArchives() throws {
        let seed = try referenceFile("antennas/strang00_pafx2msi/data/SV460-SF2SNM.pafx")
        fuzz(
            "pafx", seeds: [seed],
            body: fileBody("a.pafx") { path in
                _ = try PAFXFile.read(URL(fileURLWithPath: path))
            })
    }

    func testAntennaLibraryNames() {
        let base = dir!
        try? Data(Self.msi.utf8).write(to: base.appendingPathComponent("good.msi"))
        let lib = AntennaLibrary(folder: base)
        fuzz("pattern names", seeds: [Array("good.msi".utf8), Array("good".utf8), Array("../good.msi".utf8)], share: 0.5) { bytes in
            let name = String(decoding: bytes, as: UTF8.self)
            do { _ = try lib.pattern(named: name) } catch let e as AntennaFileError {
                XCTAssertFalse(e.description.contains("root:"), e.description)
                throw e
            }
        }
    }

    // MARK: spectrum

    func testEmissionDesignators() {
        let seeds = ["200KF8E", "16K0F3E", "5M00G7W", "10M0W7D", "8K50F1E", "2K70J3E", "100HA1A"].map { Array($0.utf8) }
        fuzz("emission designators", seeds: seeds, share: 0.5) { bytes in
            let e = try EmissionDesignator(parsing: String(decoding: bytes, as: UTF8.self))
            XCTAssertTrue(e.bandwidthKHz.isFinite && e.bandwidthKHz >= 0, "\(e.bandwidthKHz)")
        }
    }

    func testBandPlan() {
        let seed =
            "name,services,low_mhz,high_mhz,paired,block_licensed\nB28 UL,mobile,703,748,B28 DL,yes\nB28 DL,mobile,758,803,B28 UL,yes\nFM,broadcast_fm,87.5,108,,no\n"
        fuzz(
            "band plan", seeds: [Array(seed.utf8)],
            body: fileBody("plan.csv") { path in
                _ = try AssignmentTables.loadBandPlan(path)
            })
    }

    func testProtectionRatios() {
        let seed =
            "service,offset_khz,protection_ratio_db,co_channel_db,aclr1_db,wanted_dbm,max_radius_km\nmobile,0,18,,,,\nmobile,5000,-27,,,,\nbroadcast_fm,,,37,,-60,100\n"
        fuzz(
            "protection ratios", seeds: [Array(seed.utf8)],
            body: fileBody("pr.csv") { path in
                _ = try AssignmentTables.loadProtectionRatios(path)
            })
    }

    // MARK: JSON documents

    func testSharingProposals() {
        let seeds = [
            "data/proposals/co_location_pass.json", "data/proposals/new_tower_near_shared.json",
            "data/proposals/co_location_interferes.json"
        ].compactMap { projectFile($0, lines: 200) }
        fuzz("proposals", seeds: seeds) { bytes in
            _ = try SharingProposal.decode(Data(bytes), source: "fuzz.json")
        }
    }

    func testTargets() {
        let seeds = [projectFile("data/targets.json", lines: 400)].compactMap { $0 }
        fuzz(
            "targets", seeds: seeds,
            body: fileBody("targets.json") { path in
                _ = try TargetSet.load(path)
            })
    }

    // MARK: tables and batches

    func testExposureLimitsAndClutterTables() {
        fuzz(
            "exposure limits", seeds: [Array("low_mhz,high_mhz,limit_w_m2,limit_w_m2_per_mhz\n10,400,2,\n400,2000,,0.005\n2000,300000,10,\n".utf8)],
            share: 0.5, body: fileBody("limits.csv") { path in _ = try ExposureLimits.load(csv: path) })
        fuzz(
            "clutter table", seeds: [Array("class,loss_db\n10,12\n20,8\n50,20\n80,0\n".utf8)],
            share: 0.5, body: fileBody("clutter.csv") { path in _ = try ClutterMap.readTable(path) })
    }

    func testPathLossBatches() {
        let seed = """
            id,frequency_mhz,tx_height_m,rx_height_m,spacing_m,elevations_m,climate,time_pct,tx_lat,tx_lon,rx_lat,rx_lon,zones
            a,900,30,2,100,10 12 15 30 22 18 10,5,50,10,106,10.01,106,inland inland inland coastal coastal sea sea
            b,1800,25,1.5,250,0 0 0 0 0,,,10,106,10.02,106,

            """
        let models = PathLossModelID.allCases
        fuzz("pathloss batch", seeds: [Array(seed.utf8)], share: 2) { bytes in
            let rows = try PathLossBatch.parse(csv: String(decoding: bytes, as: UTF8.self))
            for (i, row) in rows.prefix(20).enumerated() {
                let o = PathLossBatch.outcome(row, model: models[(i + bytes.count) % models.count])
                if let loss = o.lossDB { XCTAssertTrue(loss.isFinite, "non-finite loss \(loss)") }
                XCTAssertTrue(o.lossDB != nil || o.error != nil)
            }
        }
    }

    func testModelSettings() {
        let seeds = ["climate=5,time_pct=50", "polarization=horizontal,n0=301", "dn=50,n0=365,environment=urban"].map { Array($0.utf8) }
        fuzz("--set", seeds: seeds, share: 0.5) { bytes in
            let s = try ProfileModel.parseSettings(String(decoding: bytes, as: UTF8.self))
            for id in PathLossModelID.allCases { _ = try? ProfileModel(id, settings: s) }
        }
    }
}

extension String {
    /// A hash that does not change between runs (Swift's hashValue is seeded per process).
    var hashValueStable: UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }
}

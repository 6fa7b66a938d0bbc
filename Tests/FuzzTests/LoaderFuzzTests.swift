// A seeded, time-boxed fuzz suite over every loader of tanso's inputs (issue 23, item 6). Each round takes a real
// input (the sample data in data/, the vendor antenna patterns of Tests/Fixtures), mutates it (bytes flipped,
// inserted, deleted, duplicated; numbers replaced by hostile spellings; lines swapped, cut or repeated; invalid
// UTF-8, NUL bytes, stray quotes and separators) and hands it to the loader. Expected every time: an error or a
// result. Not expected: a crash (it ends the test process), a call that takes more than `hangSeconds`, an error
// message of unbounded size, or memory beyond `memoryLimitMB`.
//
// The budget is TANSO_FUZZ_SECONDS (default 40 s in all, shared by the loaders); the seed is TANSO_FUZZ_SEED
// (default fixed, so CI runs the same inputs every time). A failure prints the loader, the round and the seed.
import Foundation
import XCTest
import Analysis
import Radio
import Records
import TestSupport

final class LoaderFuzzTests: XCTestCase {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["TANSO_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_261_204
    static let totalSeconds: Double = ProcessInfo.processInfo.environment["TANSO_FUZZ_SECONDS"].flatMap { Double($0) } ?? 40
    static let hangSeconds = 10.0
    static let memoryLimitMB = 2_048.0
    static let maxErrorCharacters = 4_096

    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// One loader under test: its seed inputs and how to call it on a file.
    struct Target {
        let name: String
        let fileName: String
        let seeds: [Data]
        let call: (_ path: String, _ skipInvalid: Bool) throws -> Void
    }

    func testEveryLoaderSurvivesMutatedInputs() throws {
        let root = ReferenceData.projectRoot()
        func file(_ rel: String) throws -> Data { try Data(contentsOf: root.appendingPathComponent(rel)) }
        func fixture(_ rel: String) throws -> Data { try Data(contentsOf: try ReferenceData.require(rel)) }
        // Large seeds are cut to their first rows: the mutations matter, not the size.
        func head(_ data: Data, lines: Int) -> Data {
            var count = 0
            guard let end = data.firstIndex(where: { b in if b == 10 { count += 1 }; return count == lines }) else { return data }
            return data[..<end]
        }
        let antennas = "antennas/strang00_python_antenna_pattern/"
        let targets: [Target] = [
            Target(name: "transmitters", fileName: "transmitters.csv", seeds: [head(try file("data/transmitters.csv"), lines: 40)]) { path, skip in
                var report = LoadReport(); _ = try TransmitterLoader.load(path, skipInvalid: skip, report: &report)
            },
            Target(name: "assignments", fileName: "assignments.csv", seeds: [head(try file("data/assignments.csv"), lines: 40)]) { path, skip in
                var report = LoadReport(); _ = try AssignmentLoader.load(path, skipInvalid: skip, report: &report)
            },
            Target(name: "villages", fileName: "villages.csv", seeds: [head(try file("data/villages.csv"), lines: 40)]) { path, skip in
                var report = LoadReport(); _ = try VillageLoader.load(path, skipInvalid: skip, report: &report)
            },
            Target(name: "zones", fileName: "zones.geojson", seeds: [try file("data/zones.geojson")]) { path, skip in
                var report = LoadReport(); _ = try ZoneLoader.load(path, report: &report)
            },
            Target(name: "msi pattern", fileName: "p.msi", seeds: [try fixture(antennas + "AMB4520R8v06_05T.msi")]) { path, skip in
                _ = try PlanetPatternReader.read(URL(fileURLWithPath: path))
            },
            Target(name: "pln pattern", fileName: "p.pln", seeds: [try fixture(antennas + "B800A065-18-4E.pln")]) { path, skip in
                _ = try PlanetPatternReader.read(URL(fileURLWithPath: path))
            },
            Target(name: "planet txt pattern", fileName: "p.txt", seeds: [try fixture(antennas + "LTE-L_1960MHz_P1.txt")]) { path, skip in
                _ = try PlanetPatternReader.read(URL(fileURLWithPath: path))
            },
            Target(name: "pafx archive", fileName: "p.pafx", seeds: [try fixture("antennas/strang00_pafx2msi/data/SV460-SF2SNM.pafx")]) { path, skip in
                _ = try PAFXReader.read(URL(fileURLWithPath: path))
            },
            Target(name: "emission designator", fileName: "designators.txt",
                   seeds: [Data("5M00G7W\n200KF8E\n16K0F3E\n8K50F1E\n6M00C3F\n28M0D7W\n100HA1A\n".utf8)]) { path, skip in
                let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
                for line in text.split(whereSeparator: \.isNewline).prefix(50) { _ = try? EmissionDesignator(parsing: String(line)) }
            },
            Target(name: "band plan", fileName: "plan.csv", seeds: [Data("""
                name,services,low_mhz,high_mhz,paired,block_licensed
                FM,broadcast_fm,87.5,108,,no
                B3 UL,mobile,1710,1785,B3 DL,yes
                B3 DL,mobile,1805,1880,B3 UL,yes
                links,fixed;land_mobile,5925,8500,,no

                """.utf8)]) { path, skip in _ = try AssignmentTables.loadBandPlan(path) },
            Target(name: "protection ratios", fileName: "pr.csv", seeds: [Data("""
                service,offset_khz,protection_ratio_db,co_channel_db,aclr1_db,acs1_db,wanted_dbm
                broadcast_fm,0,37,,,,
                broadcast_fm,100,25,,,,
                mobile,,,12,45,33,-95

                """.utf8)]) { path, skip in _ = try AssignmentTables.loadProtectionRatios(path) },
            Target(name: "targets json", fileName: "targets.json", seeds: [try file("data/targets.json")]) { path, skip in
                _ = try TargetSet.load(path)
            },
            Target(name: "sharing proposal json", fileName: "proposal.json",
                   seeds: try ["co_location_pass", "new_tower_near_shared", "co_location_interferes"].map { try file("data/proposals/\($0).json") }) { path, skip in
                _ = try SharingProposal.load(path: path)
            },
            Target(name: "pathloss batch csv", fileName: "paths.csv", seeds: [Data("""
                id,frequency_mhz,tx_height_m,rx_height_m,spacing_m,elevations_m,climate,time_pct
                a,900,30,1.5,100,120 130 150 140 135 120 110,5,50
                b,150,10,10,33.3,0 0 0 0,7,1

                """.utf8)]) { path, skip in
                let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
                let rows = try PathLossBatch.parse(csv: text)
                for row in rows.prefix(20) { for model in [PathLossModelID.itm, .p526, .hata] { _ = PathLossBatch.outcome(row, model: model) } }
            },
        ]

        var rng = SeededGenerator(seed: Self.seed)
        let perTarget = Self.totalSeconds / Double(targets.count)
        var failures: [String] = []
        var tally: [String] = []
        for target in targets {
            let path = dir.appendingPathComponent(target.fileName).path
            let start = Date()
            var rounds = 0, errors = 0
            while Date().timeIntervalSince(start) < perTarget {
                rounds += 1
                let input = Self.mutate(rng.pick(target.seeds), rng: &rng)
                try input.write(to: URL(fileURLWithPath: path))
                let t0 = Date()
                do {
                    try target.call(path, rng.chance(0.5))
                } catch {
                    errors += 1
                    let message = "\(error)"
                    if message.count > Self.maxErrorCharacters {
                        failures.append("\(target.name) round \(rounds): error message of \(message.count) characters")
                    }
                }
                let seconds = Date().timeIntervalSince(t0)
                if seconds > Self.hangSeconds {
                    failures.append("\(target.name) round \(rounds): one call took \(Int(seconds)) s on \(input.count) bytes")
                }
            }
            tally.append("\(target.name) \(rounds) rounds (\(errors) errors)")
        }
        let peakMB = Self.peakResidentMB()
        print("fuzz (seed \(Self.seed), \(Int(Self.totalSeconds)) s): " + tally.joined(separator: ", ")
              + String(format: "; peak resident %.0f MB", peakMB))
        if peakMB > Self.memoryLimitMB { failures.append(String(format: "peak resident memory %.0f MB over %.0f MB", peakMB, Self.memoryLimitMB)) }
        XCTAssert(failures.isEmpty, failures.prefix(20).joined(separator: "\n"))
    }

    // MARK: - Mutations

    static let hostileTokens: [String] = [
        "nan", "NaN", "inf", "-inf", "1e308", "-1e308", "1e-320", "0x300", "7_7_3", "-0", "+5", ".", "-", "1,5",
        "99999999999999999999999999", "0.0000000000000000000001", "１２３", "\u{0}", "\"", "\"\"", ",,,", ";",
        "\u{FEFF}", "Đồng Nai", "../../../../etc/passwd", "/etc/shadow", String(repeating: "9", count: 400),
        String(repeating: "A", count: 5_000),
    ]

    static func mutate(_ seed: Data, rng: inout SeededGenerator) -> Data {
        var bytes = [UInt8](seed)
        for _ in 0..<Int(rng.uniform(1, 6)) {
            let n = bytes.count
            switch rng.next() % 10 {
            case 0 where n > 0:   // flip bits of a byte
                bytes[Int(rng.next() % UInt64(n))] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            case 1:               // insert random bytes (NUL, 0xFF, separators, line breaks among them)
                let at = n == 0 ? 0 : Int(rng.next() % UInt64(n + 1))
                let run = (0..<Int(rng.uniform(1, 16))).map { _ in rng.pick([0, 0xFF, 0xC3, 0x22, 0x2C, 0x3B, 0x0A, 0x0D, 0x09, UInt8(truncatingIfNeeded: rng.next())]) }
                bytes.insert(contentsOf: run, at: at)
            case 2 where n > 1:   // delete a range
                let a = Int(rng.next() % UInt64(n)), len = min(n - a, Int(rng.uniform(1, 200)))
                bytes.removeSubrange(a..<(a + len))
            case 3 where n > 1:   // duplicate a range (bounded growth)
                let a = Int(rng.next() % UInt64(n)), len = min(n - a, Int(rng.uniform(1, 400)))
                if bytes.count < 400_000 { bytes.insert(contentsOf: bytes[a..<(a + len)], at: a) }
            case 4, 5:            // replace a number with a hostile spelling
                if let range = numberRange(in: bytes, rng: &rng) {
                    bytes.replaceSubrange(range, with: Array(rng.pick(hostileTokens).utf8))
                }
            case 6 where n > 0:   // truncate
                bytes.removeLast(Int(rng.next() % UInt64(n)))
            case 7:               // swap, repeat or drop whole lines
                var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
                guard lines.count > 2 else { break }
                let i = Int(rng.next() % UInt64(lines.count)), j = Int(rng.next() % UInt64(lines.count))
                switch rng.next() % 3 {
                case 0: lines.swapAt(i, j)
                case 1: if lines.count < 5_000 { lines.insert(contentsOf: repeatElement(lines[i], count: Int(rng.uniform(1, 50))), at: j) }
                default: lines.remove(at: i)
                }
                bytes = Array(lines.joined(separator: [10]))
            case 8:               // invalid UTF-8 sequences
                let at = n == 0 ? 0 : Int(rng.next() % UInt64(n + 1))
                bytes.insert(contentsOf: rng.pick([[0xC3], [0xE1, 0xBB], [0xF0, 0x9F], [0xFF, 0xFE], [0xED, 0xA0, 0x80]]), at: at)
            default:              // a huge field
                let at = n == 0 ? 0 : Int(rng.next() % UInt64(n + 1))
                if bytes.count < 400_000 { bytes.insert(contentsOf: Array(repeating: rng.pick([0x39, 0x41, 0x2C, 0x22]), count: Int(rng.uniform(100, 100_000))), at: at) }
            }
        }
        return Data(bytes)
    }

    /// A run of digits (with sign, point and exponent) somewhere in the input, or nil.
    static func numberRange(in bytes: [UInt8], rng: inout SeededGenerator) -> Range<Int>? {
        guard !bytes.isEmpty else { return nil }
        let isNumberByte: (UInt8) -> Bool = { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x65 || $0 == 0x45 }
        var i = Int(rng.next() % UInt64(bytes.count))
        var tries = 0
        while tries < bytes.count, !(bytes[i] >= 0x30 && bytes[i] <= 0x39) { i = (i + 1) % bytes.count; tries += 1 }
        guard tries < bytes.count else { return nil }
        var a = i, b = i
        while a > 0, isNumberByte(bytes[a - 1]) { a -= 1 }
        while b < bytes.count, isNumberByte(bytes[b]) { b += 1 }
        return a..<b
    }

    /// The process's peak resident set (VmHWM), MB.
    static func peakResidentMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kB = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kB / 1024
    }
}

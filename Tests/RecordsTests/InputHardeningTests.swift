import XCTest
import Foundation
import Geo
import Radio
@testable import Records

/// Issue 23: inputs that never pass silently (numbers, encodings, sizes) at the loaders.
final class InputHardeningTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-harden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    let header = "id,site_id,operator,technology,latitude,longitude,antenna_height_m,frequency_mhz,bandwidth_mhz,eirp_dbm"

    func write(_ name: String, _ data: Data) throws -> String {
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }
    func write(_ name: String, _ text: String) throws -> String { try write(name, Data(text.utf8)) }

    // MARK: numbers

    func testDecimalNumberAcceptsOnlyDecimalNotation() {
        for good in ["763", "-95.5", "+3", ".5", "5.", "1.2e3", "1E-3", "0", "-0"] {
            XCTAssertNotNil(DecimalNumber.parse(good), good)
        }
        XCTAssertEqual(DecimalNumber.parse("1.2e3"), 1200)
        for bad in ["0x300", "0X1p3", "7_7_3", "inf", "-inf", "Infinity", "nan", "NaN", "1e999", "", " 5", "5 ", "1,5",
                    "e5", ".", "-", "1e", "1e+", "--1", "1.2.3", "٣", "１２"] {
            XCTAssertNil(DecimalNumber.parse(bad), bad)
        }
        XCTAssertEqual(DecimalNumber.parseInt("42"), 42)
        XCTAssertNil(DecimalNumber.parseInt("0x2A"))
        XCTAssertNil(DecimalNumber.parseInt("4_2"))
    }

    /// Failed before: `0x300` was read as 768 MHz and `7_7_3` as 773 MHz (Double(String) reads hex; the loader
    /// stripped '_'); `inf`/`nan` were refused only because of isFinite.
    func testHexUnderscoreInfNaNFrequenciesAreRowErrors() throws {
        for bad in ["0x300", "7_7_3", "inf", "nan"] {
            let path = try write("tx.csv", "\(header)\nT1,S1,Viettel,4G,10.95,106.84,30,\(bad),20,61\n")
            var report = LoadReport()
            XCTAssertThrowsError(try TransmitterLoader.load(path, report: &report), bad) { e in
                let text = "\(e)"
                XCTAssertTrue(text.contains("tx.csv:2: row 1"), text)
                XCTAssertTrue(text.contains("column 'frequency_mhz'"), text)
                XCTAssertTrue(text.contains("value '\(bad)'"), text)
                XCTAssertTrue(text.contains("expected a number in [3, 100000] MHz"), text)
            }
        }
    }

    /// Failed before: the band plan's `low_mhz` took `0x300` (Double(String) reads hex).
    func testTablesRefuseHex() throws {
        let path = try write("plan.csv", "name,services,low_mhz,high_mhz\nB,mobile,0x300,800\n")
        XCTAssertThrowsError(try AssignmentTables.loadBandPlan(path)) { e in
            XCTAssertTrue("\(e)".contains("column 'low_mhz': value '0x300'"), "\(e)")
        }
    }

    /// Failed before: a population of `1_000` or `0x10` … the first read through Double(String) as 16.
    func testVillagePopulationHexIsRefused() throws {
        let path = try write("v.csv", "id,name,commune,district,latitude,longitude,population\nV1,A,C,D,10,106,0x10\n")
        var report = LoadReport()
        XCTAssertThrowsError(try VillageLoader.load(path, report: &report)) { e in
            XCTAssertTrue("\(e)".contains("column 'population': value '0x10'"), "\(e)")
        }
    }

    // MARK: antenna patterns

    static func msi(_ name: String = "A", attenuation: String = "10") -> String {
        "NAME \(name)\nGAIN 10 dBd\nHORIZONTAL 4\n0 0\n90 \(attenuation)\n180 20\n270 10\nVERTICAL 4\n0 0\n90 10\n180 20\n270 10\n"
    }

    /// Failed before: `../secret.msi`, an absolute path and a link out of the folder were opened (and the first
    /// unreadable line of the file echoed in the error).
    func testPatternNamesAreConfinedToTheFolder() throws {
        let patterns = dir.appendingPathComponent("patterns"), outside = dir.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: patterns, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: patterns.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data(Self.msi("inside").utf8).write(to: patterns.appendingPathComponent("good.msi"))
        // A valid pattern outside (it would load if reachable) and a secret-looking file.
        try Data(Self.msi("outside").utf8).write(to: outside.appendingPathComponent("secret.msi"))
        try Data("root:$6$SECRETHASH:19000:0:99999:7:::\n".utf8).write(to: outside.appendingPathComponent("shadow"))
        try FileManager.default.createSymbolicLink(atPath: patterns.appendingPathComponent("link.msi").path,
                                                   withDestinationPath: outside.appendingPathComponent("secret.msi").path)
        try FileManager.default.createSymbolicLink(atPath: patterns.appendingPathComponent("alias.msi").path,
                                                   withDestinationPath: "good.msi")
        let lib = AntennaLibrary(folder: patterns)
        XCTAssertEqual(try lib.pattern(named: "good.msi").name, "inside")
        XCTAssertEqual(try lib.pattern(named: "alias.msi").name, "inside", "a link that stays inside is followed")
        for name in ["../outside/secret.msi", outside.appendingPathComponent("secret.msi").path, "link.msi",
                     "../outside/shadow", outside.appendingPathComponent("shadow").path, "sub/../../outside/secret"] {
            XCTAssertThrowsError(try lib.pattern(named: name), name) { e in
                let text = "\(e)"
                XCTAssertTrue(text.contains("inside the patterns folder"), text)
                XCTAssertFalse(text.contains("SECRETHASH") || text.contains("outside'"), text)
            }
        }
    }

    /// Failed before: a pattern file was read whole whatever its size (a 1 GB file took minutes and 6.7 GB).
    func testPatternFileSizeLimitFailsFast() throws {
        let big = dir.appendingPathComponent("big.msi")
        FileManager.default.createFile(atPath: big.path, contents: nil)
        let h = try FileHandle(forWritingTo: big)
        try h.truncate(atOffset: 1 << 30)          // sparse: 1 GB on paper, nothing on disk
        try h.close()
        let start = Date()
        XCTAssertThrowsError(try AntennaLibrary(folder: dir).pattern(named: "big.msi")) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("1024 MB is larger than the 1.0 MB allowed for an antenna pattern file"), text)
            XCTAssertTrue(text.contains("TANSO_MAX_PATTERN_MB"), text)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
        // Not a regular file: refused, not read forever.
        XCTAssertThrowsError(try PlanetPatternReader.read(URL(fileURLWithPath: "/dev/zero"))) { e in
            XCTAssertTrue("\(e)".contains("not a regular file"), "\(e)")
        }
    }

    /// Failed before: an attenuation of −60 dB was taken as +60 dB of gain over boresight.
    func testNegativeAttenuationIsAnError() throws {
        XCTAssertThrowsError(try PlanetPatternReader.parse(text: Self.msi(attenuation: "-60"), fileName: "neg.msi")) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("neg.msi line 5"), text)
            XCTAssertTrue(text.contains("'-60'"), text)
            XCTAssertTrue(text.contains("attenuation ≥ 0"), text)
        }
        XCTAssertNoThrow(try PlanetPatternReader.parse(text: Self.msi(attenuation: "0"), fileName: "zero.msi"))
    }
}

import XCTest
import Foundation
import Geo
import CGDAL
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
        for bad in [
            "0x300", "0X1p3", "7_7_3", "inf", "-inf", "Infinity", "nan", "NaN", "1e999", "", " 5", "5 ", "1,5",
            "e5", ".", "-", "1e", "1e+", "--1", "1.2.3", "٣", "１２"
        ] {
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
        try FileManager.default.createSymbolicLink(
            atPath: patterns.appendingPathComponent("link.msi").path,
            withDestinationPath: outside.appendingPathComponent("secret.msi").path)
        try FileManager.default.createSymbolicLink(
            atPath: patterns.appendingPathComponent("alias.msi").path,
            withDestinationPath: "good.msi")
        let lib = AntennaLibrary(folder: patterns)
        XCTAssertEqual(try lib.pattern(named: "good.msi").name, "inside")
        XCTAssertEqual(try lib.pattern(named: "alias.msi").name, "inside", "a link that stays inside is followed")
        for name in [
            "../outside/secret.msi", outside.appendingPathComponent("secret.msi").path, "link.msi",
            "../outside/shadow", outside.appendingPathComponent("shadow").path, "sub/../../outside/secret"
        ] {
            XCTAssertThrowsError(try lib.pattern(named: name), name) { e in
                let text = "\(e)"
                XCTAssertTrue(text.contains("inside the patterns folder"), text)
                XCTAssertFalse(text.contains("SECRETHASH") || text.contains("outside'"), text)
            }
        }
    }

    /// A PAFX archive is a ZIP read through GDAL's /vsizip/: a member that inflates beyond the pattern limit (here
    /// 3 MB of spaces, a few kB compressed) is refused once the bound is passed, never inflated whole. Written with
    /// GDAL's own /vsizip/ writer. A PAFX name with no archive reader given to the library is refused.
    func testPAFXMemberInflatedOnlyUpToTheLimit() throws {
        let bomb = dir.appendingPathComponent("bomb.pafx")
        let zip = dir.appendingPathComponent("bomb.zip") // GDAL writes archives named .zip
        guard let fp = VSIFOpenL("/vsizip/" + zip.path + "/antenna.paf", "wb") else { return XCTFail("cannot write ZIP") }
        let spaces = [UInt8](repeating: 0x20, count: 3 << 20)
        XCTAssertEqual(spaces.withUnsafeBytes { VSIFWriteL($0.baseAddress, 1, $0.count, fp) }, spaces.count)
        VSIFCloseL(fp)
        try FileManager.default.moveItem(at: zip, to: bomb)
        let size = try FileManager.default.attributesOfItem(atPath: bomb.path)[.size] as! Int
        XCTAssertLessThan(size, 100_000)
        XCTAssertThrowsError(try AntennaLibrary(folder: dir, archiveOpener: PAFXFile.opener).pattern(named: "bomb.pafx")) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("antenna.paf of at most 1048576 bytes inflated"), text)
            XCTAssertTrue(text.contains("TANSO_MAX_PATTERN_MB"), text)
        }
        XCTAssertThrowsError(try AntennaLibrary(folder: dir).pattern(named: "bomb.pafx")) { e in
            XCTAssertTrue("\(e)".contains(".pafx needs an archive reader"), "\(e)")
        }
        XCTAssertThrowsError(try PAFXFile.read(dir.appendingPathComponent("missing.pafx")))
    }

    /// Failed before: a pattern file was read whole whatever its size (a 1 GB file took minutes and 6.7 GB).
    func testPatternFileSizeLimitFailsFast() throws {
        let big = dir.appendingPathComponent("big.msi")
        FileManager.default.createFile(atPath: big.path, contents: nil)
        let h = try FileHandle(forWritingTo: big)
        try h.truncate(atOffset: 1 << 30) // sparse: 1 GB on paper, nothing on disk
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

    // MARK: encodings

    /// "Việt Nam", "Đường", "₫" as Windows-1258 writes them: ệ = ê (0xEA) + combining dot below (0xF2),
    /// ờ = ơ (0xF5) + combining grave (0xCC).
    static let cp1258Bytes: [UInt8] = [0x56, 0x69, 0xEA, 0xF2, 0x74, 0x20, 0x4E, 0x61, 0x6D, 0x2C, 0xD0, 0xFD, 0xF5, 0xCC, 0x6E, 0x67, 0x2C, 0xFE]

    func testWindows1258TableAndNFC() throws {
        let s = try InputText.decode(Data(Self.cp1258Bytes), encoding: .windows1258, source: "x")
        XCTAssertEqual(s, "Việt Nam,Đường,₫")
        XCTAssertEqual(Array(s.unicodeScalars).count, 16, "tone marks composed (NFC)")
        // The five combining tone marks and the Vietnamese letters of the table.
        let marks: [UInt8: UInt32] = [
            0xCC: 0x300, 0xEC: 0x301, 0xDE: 0x303, 0xD2: 0x309, 0xF2: 0x323,
            0xC3: 0x102, 0xE3: 0x103, 0xD0: 0x110, 0xF0: 0x111, 0xD5: 0x1A0, 0xF5: 0x1A1,
            0xDD: 0x1AF, 0xFD: 0x1B0, 0xFE: 0x20AB, 0x80: 0x20AC, 0x9F: 0x178
        ]
        for (b, u) in marks {
            let d = try InputText.decode(Data([b]), encoding: .windows1258, source: "x")
            XCTAssertEqual(d.unicodeScalars.first?.value, u, String(format: "0x%02X", b))
        }
        var undefined: [UInt8] = []
        for b in UInt8(0x80)...UInt8(0xFF) where (try? InputText.decode(Data([b]), encoding: .windows1258, source: "x")) == nil { undefined.append(b) }
        XCTAssertEqual(undefined, [0x81, 0x8A, 0x8D, 0x8E, 0x8F, 0x90, 0x9A, 0x9D, 0x9E])
        XCTAssertEqual(try InputText.decode(Data([0x5A, 0xE9]), encoding: .latin1, source: "x"), "Zé")
    }

    func villagesBytes(_ name: [UInt8]) -> Data {
        var d = Data("id,name,commune,district,latitude,longitude,population\nV1,".utf8)
        d.append(contentsOf: name)
        d.append(contentsOf: Array(",C,D,10,106,100\n".utf8))
        return d
    }

    /// Failed before: a Windows-1258 or Latin-1 file was read with its names turned into U+FFFD, silently.
    func testNonUTF8RecordsAreAnErrorUnlessDeclared() throws {
        let path = try write("villages.csv", villagesBytes(Self.cp1258Bytes.prefix(9).map { $0 }))
        var report = LoadReport()
        XCTAssertThrowsError(try VillageLoader.load(path, report: &report)) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("villages.csv: not valid UTF-8: byte 0xEA at offset 60 (line 2)"), text)
            XCTAssertTrue(text.contains("--encoding"), text)
        }
        let v = try VillageLoader.load(path, encoding: .windows1258, report: &report)
        XCTAssertEqual(v.first?.name, "Việt Nam")
        let latin = try write("latin.csv", villagesBytes([0x5A, 0xE9]))
        XCTAssertEqual(try VillageLoader.load(latin, encoding: .latin1, report: &report).first?.name, "Zé")
        // GeoJSON too.
        var gj = Data(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"V1","name":""#.utf8)
        gj.append(contentsOf: [0x5A, 0xE9])
        gj.append(contentsOf: Array(#"","commune":"C","district":"D","population":5},"geometry":{"type":"Point","coordinates":[106,10]}}]}"#.utf8))
        let gjPath = try write("v.geojson", gj)
        XCTAssertThrowsError(try VillageLoader.load(gjPath, report: &report))
        XCTAssertEqual(try VillageLoader.load(gjPath, encoding: .latin1, report: &report).first?.name, "Zé")
    }

    /// The UTF-8 check reads in 4 MB pieces: a character cut by a piece's end is fine, an invalid byte far into
    /// the file is found with its offset and line.
    func testStreamingUTF8CheckAcrossPieces() throws {
        var d = Data(repeating: 0x61, count: (4 << 20) - 1)
        d.append(contentsOf: Array("ệ\n".utf8)) // 3 bytes across the first boundary
        d.append(contentsOf: Array(repeating: 0x62, count: 100))
        let good = try write("good.txt", d)
        XCTAssertNoThrow(try InputText.checkUTF8(good, kind: .records))
        d.append(0xFF)
        let bad = try write("bad.txt", d)
        XCTAssertThrowsError(try InputText.checkUTF8(bad, kind: .records)) { e in
            XCTAssertTrue("\(e)".contains("byte 0xFF at offset \((4 << 20) - 1 + 4 + 100) (line 2)"), "\(e)")
        }
    }

    /// Failed before: a 1 GB record file was read whole (1.4–1.6 GB of memory); now it fails from its size.
    func testRecordFileSizeLimitFailsFast() throws {
        let big = dir.appendingPathComponent("villages.csv")
        FileManager.default.createFile(atPath: big.path, contents: nil)
        let h = try FileHandle(forWritingTo: big)
        try h.write(contentsOf: Data("id,name,commune,district,latitude,longitude,population\n".utf8))
        try h.truncate(atOffset: 1 << 30)
        try h.close()
        let start = Date()
        var report = LoadReport()
        XCTAssertThrowsError(try VillageLoader.load(big.path, report: &report)) { e in
            XCTAssertTrue("\(e)".contains("1024 MB is larger than the 200 MB allowed for a record file"), "\(e)")
            XCTAssertTrue("\(e)".contains("TANSO_MAX_RECORDS_MB"), "\(e)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
        let table = try write("plan.csv", "name,services,low_mhz,high_mhz\n")
        setenv("TANSO_MAX_TABLE_MB", "0.00001", 1)
        defer { unsetenv("TANSO_MAX_TABLE_MB") }
        XCTAssertThrowsError(try AssignmentTables.loadBandPlan(table)) { e in
            XCTAssertTrue("\(e)".contains("TANSO_MAX_TABLE_MB"), "\(e)")
        }
    }
}

import XCTest
import Foundation
import TestSupport
import Geo

/// Memory follows the study, not the DEM (issue 21): a 40 km study on a 4° × 4° mosaic at 1″ (`SyntheticMosaic`:
/// a VRT of 16 tiles, 791 MB as Float32 if read whole) runs in a fraction of that.
final class BoundedMemoryTests: XCTestCase {
    func testA40kmStudyOnA4x4DegreeMosaicReadsOnlyItsWindow() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-mosaic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try SyntheticMosaic.write(in: dir)
        let tx = """
            id,site_id,operator,technology,latitude,longitude,antenna_height_m,frequency_mhz,bandwidth_mhz,eirp_dbm
            T1,S1,Viettel,4G,16.0,106.0,30,900,10,60

            """
        try Data(tx.utf8).write(to: dir.appendingPathComponent("tx.csv"))

        let r = try runProcess(
            TansoExecutable.url,
            [
                "coverage", "--transmitters", "tx.csv", "--dem", "mosaic.vrt", "--model", "itm", "--area", "105.8,15.8,106.2,16.2",
                "--resolution-m", "250", "--max-radius-km", "15", "--output", "out"
            ], in: dir, environment: ["TANSO_REPORT_PEAK_RSS": "1"])
        let err = r.err
        XCTAssertEqual(r.code, 0, err)
        let mb = try XCTUnwrap(SyntheticMosaic.peakMB(err), err)
        let whole = SyntheticMosaic.wholeMB
        print("4° × 4° mosaic at 1″ (\(String(format: "%.0f", whole)) MB as Float32), 40 km study with ITM: peak resident memory \(mb) MB")
        XCTAssertLessThan(mb, 400, "the whole mosaic is \(whole) MB; a windowed read needs a fraction")
        // The products are there and hold computed cells.
        let signal = try RasterDataset(path: dir.appendingPathComponent("out/best_signal_dbm.tif").path).read()
        XCTAssertGreaterThan(signal.filter { $0 > -200 }.count, 1000)
    }

    /// The reported peak is the command's own: a child started while this process holds 600 MB reports what it
    /// used. (getrusage's ru_maxrss carried the parent's 600 MB into the child over posix_spawn and exec.)
    func testThePeakReportedIsTheCommandsOwnNotItsParents() throws {
        let bytes = 600 << 20
        let block = try XCTUnwrap(malloc(bytes))
        defer { free(block) }
        memset(block, 1, bytes) // resident: every page written
        let r = try runProcess(
            TansoExecutable.url, ["coverage", "--help"], in: FileManager.default.temporaryDirectory, environment: ["TANSO_REPORT_PEAK_RSS": "1"])
        XCTAssertEqual(r.code, 0, r.err)
        let mb = try XCTUnwrap(SyntheticMosaic.peakMB(r.err), r.err)
        XCTAssertGreaterThan(mb, 1, "a running program holds at least a megabyte")
        XCTAssertLessThan(mb, 200, "`tanso coverage --help` beside a 600 MB parent reported \(mb) MB")
        XCTAssertEqual(UnsafeMutableRawPointer(block).load(fromByteOffset: bytes - 1, as: UInt8.self), 1)
    }
}

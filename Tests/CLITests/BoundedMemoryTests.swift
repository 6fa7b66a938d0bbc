import XCTest
import Foundation
import TestSupport
import Geo

/// Memory follows the study, not the DEM (issue 21): a 40 km study on a 4° × 4° mosaic at 1″ (a VRT of 16 tiles,
/// 14,400 × 14,400 Float32 = 829 MB if read whole) runs in a fraction of that.
final class BoundedMemoryTests: XCTestCase {
    func testA40kmStudyOnA4x4DegreeMosaicReadsOnlyItsWindow() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-mosaic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // One 1° × 1° tile at 1″ (3600 × 3600, rolling hills), placed 16 times by the VRT: a mosaic as large as 16
        // distinct tiles for GDAL, for 52 MB of disk.
        let n = 3600, step = 1.0 / 3600
        var tile = RasterGrid(
            width: n, height: n, geoTransform: GeoTransform(originX: 104, originY: 14, pixelWidth: step, pixelHeight: step),
            crs: "EPSG:4326", nodata: -32768, fill: 0)
        for r in 0..<n {
            let y = Double(r) / 300
            for c in 0..<n { tile[c, r] = Float(80 + 60 * sin(Double(c) / 300 + 1) * cos(y) + 20 * sin(Double(c + r) / 37)) }
        }
        try tile.write(to: dir.appendingPathComponent("tile.tif").path, format: .geoTIFF)
        var sources = ""
        for i in 0..<4 {
            for j in 0..<4 {
                sources += """
                    <SimpleSource><SourceFilename relativeToVRT="1">tile.tif</SourceFilename><SourceBand>1</SourceBand>
                    <SrcRect xOff="0" yOff="0" xSize="\(n)" ySize="\(n)"/><DstRect xOff="\(i * n)" yOff="\(j * n)" xSize="\(n)" ySize="\(n)"/></SimpleSource>

                    """
            }
        }
        let vrt = """
            <VRTDataset rasterXSize="\(4 * n)" rasterYSize="\(4 * n)">
            <SRS>EPSG:4326</SRS><GeoTransform>104, \(step), 0, 18, 0, -\(step)</GeoTransform>
            <VRTRasterBand dataType="Float32" band="1"><NoDataValue>-32768</NoDataValue>
            \(sources)</VRTRasterBand></VRTDataset>
            """
        try Data(vrt.utf8).write(to: dir.appendingPathComponent("mosaic.vrt"))
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
        let line = err.split(separator: "\n").first { $0.hasPrefix("tanso: peak resident memory:") }
        let mb = try XCTUnwrap(line.flatMap { Double($0.split(separator: " ")[4]) }, err)
        let whole = Double(16 * n * n * 4) / 1_048_576
        print("4° × 4° mosaic at 1″ (\(String(format: "%.0f", whole)) MB as Float32), 40 km study with ITM: peak resident memory \(mb) MB")
        XCTAssertLessThan(mb, 400, "the whole mosaic is \(whole) MB; a windowed read needs a fraction")
        // The products are there and hold computed cells.
        let signal = try RasterDataset(path: dir.appendingPathComponent("out/best_signal_dbm.tif").path).read()
        XCTAssertGreaterThan(signal.filter { $0 > -200 }.count, 1000)
    }
}

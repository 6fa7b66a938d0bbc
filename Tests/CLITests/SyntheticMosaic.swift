import Foundation
import Geo

/// A 4° × 4° DEM mosaic at 1″ for the bounded-memory tests (issue 21): one 1° × 1° tile at 1″ (3600 × 3600,
/// rolling hills) placed 16 times by a VRT over 104–108° E, 14–18° N: a mosaic as large as 16 distinct tiles for
/// GDAL (14,400 × 14,400 Float32 = 791 MB if read whole), for 52 MB of disk.
enum SyntheticMosaic {
    static let n = 3600
    /// The mosaic's size as Float32, MB.
    static var wholeMB: Double { Double(16 * n * n * 4) / 1_048_576 }

    /// Writes tile.tif and mosaic.vrt into `dir`; returns the VRT's name.
    @discardableResult
    static func write(in dir: URL) throws -> String {
        let step = 1.0 / 3600
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
        return "mosaic.vrt"
    }

    /// The peak resident memory a child reported (TANSO_REPORT_PEAK_RSS=1), MB.
    static func peakMB(_ stderr: String) -> Double? {
        let line = stderr.split(separator: "\n").first { $0.hasPrefix("tanso: peak resident memory:") }
        return line.flatMap { Double($0.split(separator: " ")[4]) }
    }
}

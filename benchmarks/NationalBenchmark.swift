// The national scenario (issue 21): what covering Vietnam at 30 m with ITM would cost, from one measured tile.
//
// Inputs, generated here and deleted after (not committed):
// - a 1″ DEM mosaic over Vietnam's extent (102–110 E, 8–24 N): a VRT of 128 tiles of 1° × 1° (3600 × 3600), each
//   the sample province's generated 1″ terrain; 14.7 G cells, 59 GB as Float32 were it read whole;
// - a synthetic network at national density: 20,000 sites and 60,000 sectors over 331,000 km² of land, i.e. one
//   site per 16.6 km² (a jittered grid 4.07 km apart), 3 sectors each (0°, 120°, 240°), 30 m, 60 dBm EIRP, bands
//   700/1800/2100 MHz in turn.
// The benchmark runs `tanso coverage` on one 0.25° × 0.25° tile near Hà Nội (the sites within reach of it included)
// with ITM at 30 m and a 10 km radius, as a user or a Slurm array task would, and measures wall time and peak memory.
// Extrapolation: tiles = land area / tile area; node-hours = tiles × tile time (a node = these 2 cores);
// wall time on 50 nodes = ⌈tiles / 50⌉ × tile time. The tiles' products are disjoint: a mosaic (gdalbuildvrt)
// joins them.
import Foundation
import Geo
import TansoCLI

func runNationalBenchmark() throws -> [(name: String, value: Double, unit: String)] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-bench-national-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    // The DEM mosaic.
    let tile = SampleProvince.dem(arcSeconds: 1)
    try tile.write(to: dir.appendingPathComponent("tile.tif").path, format: .geoTIFF)
    let n = 3600, step = 1.0 / 3600
    var sources = ""
    for i in 0..<8 {
        for j in 0..<16 {
            sources +=
                "<SimpleSource><SourceFilename relativeToVRT=\"1\">tile.tif</SourceFilename><SourceBand>1</SourceBand>"
                + "<SrcRect xOff=\"0\" yOff=\"0\" xSize=\"\(min(n, tile.width))\" ySize=\"\(min(n, tile.height))\"/>"
                + "<DstRect xOff=\"\(i * n)\" yOff=\"\(j * n)\" xSize=\"\(n)\" ySize=\"\(n)\"/></SimpleSource>\n"
        }
    }
    let vrt = """
        <VRTDataset rasterXSize="\(8 * n)" rasterYSize="\(16 * n)"><SRS>EPSG:4326</SRS>
        <GeoTransform>102, \(step), 0, 24, 0, -\(step)</GeoTransform>
        <VRTRasterBand dataType="Float32" band="1"><NoDataValue>-32768</NoDataValue>
        \(sources)</VRTRasterBand></VRTDataset>
        """
    try Data(vrt.utf8).write(to: dir.appendingPathComponent("vietnam.vrt"))

    // The network around the measured tile: every site within 10 km of it.
    let (west, south, size) = (105.50, 20.75, 0.25)
    let landKm2 = 331_000.0, sites = 20_000.0, radiusKm = 10.0
    let spacingKm = (landKm2 / sites).squareRoot()
    let midLat = south + size / 2
    let dLat = spacingKm / 110.574, dLon = spacingKm / (111.320 * cos(midLat * .pi / 180))
    let marginLat = radiusKm / 110.574, marginLon = radiusKm / (111.320 * cos(midLat * .pi / 180))
    var state: UInt64 = 0x2026_1204
    func jitter() -> Double { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return Double(state >> 11) / Double(1 << 53) - 0.5 }
    var csv = "id,site_id,operator,technology,latitude,longitude,antenna_height_m,frequency_mhz,bandwidth_mhz,eirp_dbm,azimuth_deg\n"
    var siteCount = 0
    var lat = south - marginLat
    while lat < south + size + marginLat {
        var lon = west - marginLon
        while lon < west + size + marginLon {
            let (la, lo) = (lat + 0.6 * dLat * jitter(), lon + 0.6 * dLon * jitter())
            let band = [(700.0, "4G"), (1800.0, "4G"), (2100.0, "3G")][siteCount % 3]
            for (k, az) in [0, 120, 240].enumerated() {
                csv += "S\(siteCount)-\(k),S\(siteCount),Op\(siteCount % 3),\(band.1),\(la),\(lo),30,\(band.0),10,60,\(az)\n"
            }
            siteCount += 1
            lon += dLon
        }
        lat += dLat
    }
    try Data(csv.utf8).write(to: dir.appendingPathComponent("network.csv"))
    let area = [west, south, west + size, south + size].map { String($0) }.joined(separator: ",")
    print("national scenario: 128 DEM tiles of 1° at 1″ (VRT); one 0.25° tile with \(siteCount) sites (\(3 * siteCount) sectors) within reach")
    guard
        let r = runTanso(
            [
                "coverage", "--transmitters", "network.csv", "--dem", "vietnam.vrt", "--model", "itm", "--resolution-m", "30",
                "--max-radius-km", String(radiusKm), "--area", area, "--output", "tile"
            ], in: dir)
    else { return [] }
    let tileKm2 = (size * 111.320 * cos(midLat * .pi / 180)) * (size * 110.574)
    let tiles = (landKm2 / tileKm2).rounded(.up)
    let nodeHours = tiles * r.seconds / 3600
    let wall50 = (tiles / 50).rounded(.up) * r.seconds / 3600
    print(
        String(
            format: "one tile (%.0f km²): %.1f s, %.0f MB peak → Vietnam (%.0f km², %.0f tiles): %.1f node-hours on 2-core nodes, %.2f h on 50 nodes",
            tileKm2, r.seconds, r.peakMB, landKm2, tiles, nodeHours, wall50))
    return [
        ("national_tile_0p25deg_itm_30m_s", r.seconds, "s"), ("national_tile_0p25deg_itm_30m_peak_mb", r.peakMB, "MB"),
        ("national_itm_30m_node_hours", nodeHours, "node-h"), ("national_itm_30m_wall_h_50_nodes", wall50, "h")
    ]
}

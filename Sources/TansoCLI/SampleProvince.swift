// The sample province: synthetic but realistic data on real coordinates around Đồng Nai (106.75–107.60 E,
// 10.55–11.60 N). Deterministic: the same seed gives the same files byte for byte.
//
// Terrain: a plain in the south-west (2–20 m) rising to hills in the north and east, value-noise relief whose
// amplitude grows with the base height, named summits (Chứa Chan ≈ 800 m near Xuân Lộc, Mây Tào, the Định Quán
// hills, the Cát Tiên uplands) and the Đồng Nai valley carved from Tân Phú to Biên Hòa. District centres and
// industrial-park locations are approximate real places; sites, sectors, villages, communes and populations are
// synthetic.
import Foundation
import Geo
import Radio
import Records

public enum SampleProvince {
    static let seed: UInt64 = 20_261_122
    public static let west = 106.75, south = 10.55, east = 107.60, north = 11.60

    struct Town { let district: String; let lon: Double; let lat: Double; let weight: Double; let urban: Bool }
    /// District centres of Đồng Nai (approximate real positions), weighted by population.
    static let towns: [Town] = [
        Town(district: "Biên Hòa", lon: 106.842, lat: 10.950, weight: 10, urban: true),
        Town(district: "Long Khánh", lon: 107.243, lat: 10.933, weight: 3, urban: true),
        Town(district: "Trảng Bom", lon: 107.005, lat: 10.952, weight: 4, urban: false),
        Town(district: "Long Thành", lon: 106.952, lat: 10.785, weight: 4, urban: false),
        Town(district: "Nhơn Trạch", lon: 106.885, lat: 10.700, weight: 3, urban: false),
        Town(district: "Vĩnh Cửu", lon: 106.985, lat: 11.120, weight: 2, urban: false),
        Town(district: "Định Quán", lon: 107.350, lat: 11.195, weight: 2, urban: false),
        Town(district: "Tân Phú", lon: 107.430, lat: 11.320, weight: 2, urban: false),
        Town(district: "Thống Nhất", lon: 107.150, lat: 10.975, weight: 2, urban: false),
        Town(district: "Xuân Lộc", lon: 107.405, lat: 10.925, weight: 2, urban: false),
        Town(district: "Cẩm Mỹ", lon: 107.255, lat: 10.780, weight: 2, urban: false)
    ]

    static let placeNames = [
        "Phú Hòa", "Tân Hiệp", "Bình An", "Xuân Bắc", "Phước Thái", "An Phước", "Long An", "Bàu Hàm",
        "Gia Kiệm", "Hưng Lộc", "Suối Tre", "Bình Lộc", "Tân Bình", "Thạnh Phú", "Phú Lý", "Mã Đà",
        "La Ngà", "Phú Túc", "Túc Trưng", "Nam Cát Tiên", "Phú Lâm", "Đắk Lua", "Xuân Đường",
        "Sông Ray", "Lâm San", "Xuân Tâm", "Suối Cát", "Lang Minh", "Phú Hội", "Hiệp Phước",
        "Long Tân", "Vĩnh Thanh", "Đại Phước", "Tam An", "Cẩm Đường", "Bình Sơn", "Lộc An",
        "Bàu Cạn", "Tân Hạnh", "Hóa An", "Tam Phước", "Phước Tân", "An Hòa", "Long Hưng",
        "Thiện Tân", "Trị An", "Bình Lợi", "Hiếu Liêm", "Sông Trầu", "Cây Gáo", "Đồi 61",
        "Hố Nai", "Bắc Sơn", "Quang Trung", "Gia Tân", "Xuân Thiện", "Lộ 25", "Xuân Thạnh"
    ]

    // MARK: terrain

    /// Elevation (m) of the synthetic terrain at a WGS84 point.
    static func elevation(lon: Double, lat: Double) -> Double {
        let u = (lon - west) / (east - west), v = (lat - south) / (north - south)
        // Base: rises from the south-west plain to the north-east uplands.
        let t = min(max((0.55 * u + 0.75 * v - 0.25) / 0.9, 0), 1)
        var h = 4 + 260 * t * t * (3 - 2 * t)
        // Relief whose amplitude grows with the base height.
        h += (15 + 0.55 * h) * fractalNoise(lon * 40, lat * 40)
        // Named summits: (lon, lat, height m, radius deg).
        for (x, y, a, r) in [
            (107.363, 10.870, 780.0, 0.035), (107.33, 10.625, 420.0, 0.03), (107.30, 11.22, 260.0, 0.05),
            (107.52, 11.47, 330.0, 0.08), (107.05, 11.30, 220.0, 0.06), (107.20, 10.68, 180.0, 0.04)
        ] {
            let d2 = ((lon - x) * (lon - x) + (lat - y) * (lat - y)) / (r * r)
            h += a * exp(-d2)
        }
        // The Đồng Nai valley: Tân Phú → Trị An → Biên Hòa → the sea.
        let river: [(Double, Double)] = [
            (107.55, 11.52), (107.42, 11.33), (107.25, 11.20), (107.08, 11.13), (106.97, 11.02), (106.85, 10.93), (106.80, 10.75), (106.78, 10.55)
        ]
        var dmin = Double.infinity
        for i in 0..<(river.count - 1) { dmin = min(dmin, segmentDistance(lon, lat, river[i], river[i + 1])) }
        let valley = exp(-(dmin * dmin) / (0.03 * 0.03))
        h = h * (1 - 0.85 * valley) + 3 * valley
        return max(h, 1)
    }

    static func segmentDistance(_ x: Double, _ y: Double, _ a: (Double, Double), _ b: (Double, Double)) -> Double {
        let dx = b.0 - a.0, dy = b.1 - a.1
        let t = max(0, min(1, ((x - a.0) * dx + (y - a.1) * dy) / (dx * dx + dy * dy)))
        let px = a.0 + t * dx - x, py = a.1 + t * dy - y
        return sqrt(px * px + py * py)
    }

    /// Value noise in [−1, 1], five octaves, hashed lattice (deterministic, seed-dependent).
    static func fractalNoise(_ x: Double, _ y: Double) -> Double {
        var sum = 0.0, amp = 0.5, f = 1.0
        for octave in 0..<5 {
            sum += amp * valueNoise(x * f, y * f, salt: UInt64(octave))
            amp *= 0.5; f *= 2.03
        }
        return sum
    }

    static func valueNoise(_ x: Double, _ y: Double, salt: UInt64) -> Double {
        let xi = floor(x), yi = floor(y)
        let fx = x - xi, fy = y - yi
        let sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy)
        func lattice(_ i: Double, _ j: Double) -> Double {
            var g = SplitMix64(
                seed: seed ^ (UInt64(bitPattern: Int64(i)) &* 0x9E37_79B1) ^ (UInt64(bitPattern: Int64(j)) &* 0x85EB_CA77) ^ (salt &* 0xC2B2_AE3D))
            return g.uniform() * 2 - 1
        }
        let a = lattice(xi, yi), b = lattice(xi + 1, yi), c = lattice(xi, yi + 1), d = lattice(xi + 1, yi + 1)
        return (a * (1 - sx) + b * sx) * (1 - sy) + (c * (1 - sx) + d * sx) * sy
    }

    /// The DEM as a 3-arc-second geographic grid (like SRTM-3), Float32 metres.
    public static func dem(arcSeconds: Double = 3) -> RasterGrid {
        let step = arcSeconds / 3600
        let w = Int(((east - west) / step).rounded()), h = Int(((north - south) / step).rounded())
        var values = [Float](repeating: 0, count: w * h)
        values.withUnsafeMutableBufferPointer { buf in
            let out = SendableBuffer(buf)
            DispatchQueue.concurrentPerform(iterations: h) { r in
                let lat = north - (Double(r) + 0.5) * step
                for c in 0..<w { out.buffer[r * w + c] = Float(elevation(lon: west + (Double(c) + 0.5) * step, lat: lat)) }
            }
        }
        return RasterGrid(
            width: w, height: h, geoTransform: GeoTransform(originX: west, originY: north, pixelWidth: step, pixelHeight: step),
            crs: "EPSG:4326", nodata: -32768, values: values)
    }

    // MARK: vector data

    struct Files {
        var transmitters: [[String]] = []
        var villages: [[String]] = []
        var assignments: [[String]] = []
        var zones = LayerData(name: "zones", fields: [("id", .string), ("name", .string), ("kind", .string)], geometryType: .polygon)
    }

    static let transmitterHeader = [
        "id", "site_id", "operator", "technology", "latitude", "longitude", "antenna_height_m",
        "frequency_mhz", "bandwidth_mhz", "eirp_dbm", "azimuth_deg", "mechanical_tilt_deg",
        "electrical_tilt_deg", "antenna_pattern"
    ]
    static let villageHeader = ["id", "name", "commune", "district", "latitude", "longitude", "population"]
    static let assignmentHeader = [
        "id", "station_id", "licensee", "service", "tx_frequency_mhz", "bandwidth_khz",
        "emission_designator", "latitude", "longitude", "antenna_height_m", "eirp_dbm",
        "azimuth_deg", "antenna_pattern", "rx_frequency_mhz", "rx_bandwidth_khz", "protection_ratio_db"
    ]

    struct Layer { let tech: Technology; let freq: Double; let bw: Double; let eirp: Double; let designator: String }
    static let operators: [(name: String, code: String, layers: [String: Layer])] = [
        (
            "Viettel", "VT",
            [
                "2G": Layer(tech: .gsm, freq: 945.0, bw: 0.2, eirp: 53, designator: "200KGXW"),
                "3G": Layer(tech: .umts, freq: 2137.6, bw: 5, eirp: 58, designator: "5M00G7W"),
                "4G": Layer(tech: .lte, freq: 1842.5, bw: 20, eirp: 61, designator: "20M0G7W"),
                "4G700": Layer(tech: .lte, freq: 773.0, bw: 10, eirp: 60, designator: "10M0G7W"),
                "5G": Layer(tech: .nr, freq: 2590.0, bw: 90, eirp: 68, designator: "90M0G7W")
            ]
        ),
        (
            "VinaPhone", "VNP",
            [
                "2G": Layer(tech: .gsm, freq: 950.2, bw: 0.2, eirp: 53, designator: "200KGXW"),
                "3G": Layer(tech: .umts, freq: 2152.6, bw: 5, eirp: 58, designator: "5M00G7W"),
                "4G": Layer(tech: .lte, freq: 1822.5, bw: 15, eirp: 60, designator: "15M0G7W"),
                "4G700": Layer(tech: .lte, freq: 783.0, bw: 10, eirp: 60, designator: "10M0G7W"),
                "5G": Layer(tech: .nr, freq: 3750.0, bw: 100, eirp: 70, designator: "100MG7W")
            ]
        ),
        (
            "MobiFone", "MBF",
            [
                "2G": Layer(tech: .gsm, freq: 937.4, bw: 0.2, eirp: 53, designator: "200KGXW"),
                "3G": Layer(tech: .umts, freq: 2122.6, bw: 5, eirp: 58, designator: "5M00G7W"),
                "4G": Layer(tech: .lte, freq: 1862.5, bw: 15, eirp: 60, designator: "15M0G7W"),
                "4G700": Layer(tech: .lte, freq: 763.0, bw: 10, eirp: 60, designator: "10M0G7W"),
                "5G": Layer(tech: .nr, freq: 3650.0, bw: 100, eirp: 70, designator: "100MG7W")
            ]
        )
    ]

    static func f(_ x: Double, _ d: Int) -> String { String(format: "%.\(d)f", x) }

    static func nearestTown(_ lon: Double, _ lat: Double) -> Town {
        towns.min { hypot($0.lon - lon, $0.lat - lat) < hypot($1.lon - lon, $1.lat - lat) }!
    }

    static func randomPoint(_ g: inout SplitMix64, clustered: Bool, spread: Double) -> (Double, Double) {
        while true {
            let lon: Double, lat: Double
            if clustered {
                let total = towns.reduce(0) { $0 + $1.weight }
                var pick = g.uniform() * total
                var town = towns[0]
                for t in towns { pick -= t.weight; if pick <= 0 { town = t; break } }
                lon = town.lon + spread * g.normal(); lat = town.lat + spread * g.normal()
            } else {
                lon = g.uniform(west + 0.03, east - 0.03); lat = g.uniform(south + 0.03, north - 0.03)
            }
            if lon > west + 0.02, lon < east - 0.02, lat > south + 0.02, lat < north - 0.02 { return (lon, lat) }
        }
    }

    static func generate() -> Files {
        var g = SplitMix64(seed: seed)
        var files = Files()

        // Sites and sectors: 50 sites per operator; most near towns, some rural; the far north-east left thin.
        var sectorCount = 0
        for op in operators {
            for s in 1...50 {
                let rural = s > 38
                let (lon, lat) = randomPoint(&g, clustered: !rural, spread: 0.045)
                let town = nearestTown(lon, lat)
                let siteID = "\(op.code)-S\(String(format: "%03d", s))"
                let height = rural ? g.uniform(36, 54) : g.uniform(24, 42)
                let baseAz = g.uniform(0, 120)
                func add(_ key: String, sectors: Int) {
                    let layer = op.layers[key]!
                    for k in 0..<sectors {
                        sectorCount += 1
                        let id = "\(siteID)-\(key)-\(k + 1)"
                        let az = sectors == 1 ? "" : f((baseAz + Double(k) * 120).truncatingRemainder(dividingBy: 360), 0)
                        let mech = sectors == 1 ? 0 : (town.urban ? g.uniform(2, 4) : g.uniform(0, 2)).rounded()
                        let elec = sectors == 1 ? 0 : (town.urban ? g.uniform(3, 6) : g.uniform(1, 3)).rounded()
                        let eirp = layer.eirp - (sectors == 1 ? 6 : 0)
                        files.transmitters.append([
                            id, siteID, op.name, layer.tech.rawValue, f(lat, 6), f(lon, 6), f(height, 1),
                            f(layer.freq, 1), f(layer.bw, 1), f(eirp, 1), az, f(mech, 0), f(elec, 0), ""
                        ])
                        files.assignments.append([
                            "A-\(id)", siteID, op.name, "mobile", f(layer.freq, 3), f(layer.bw * 1000, 0),
                            layer.designator, f(lat, 6), f(lon, 6), f(height, 1), f(eirp, 1), az, "", "", "", ""
                        ])
                    }
                }
                if rural {
                    add("4G700", sectors: g.chance(0.5) ? 2 : 3)
                    if g.chance(0.4) { add("2G", sectors: 1) }
                } else if town.urban {
                    add("4G", sectors: 3)
                    if s % 4 == 0 { add("2G", sectors: 1) }
                    if s % 3 == 1 { add("5G", sectors: 3) }
                } else {
                    add("4G700", sectors: 3)
                    if s % 4 == 0 { add("2G", sectors: 1) }
                    if s % 3 == 0 { add("3G", sectors: 1) }
                }
            }
        }

        // Villages: 70 % around towns, 30 % spread over the province; communes are clusters within each district.
        var communeSeeds: [String: [(String, Double, Double)]] = [:]
        var usedNames = Set<String>()
        for t in towns {
            var seeds: [(String, Double, Double)] = []
            for _ in 0..<(t.urban ? 10 : 14) {
                var name = g.pick(placeNames)
                while usedNames.contains("\(t.district)/\(name)") { name = g.pick(placeNames) + " " + String(Int(g.uniform(2, 9))) }
                usedNames.insert("\(t.district)/\(name)")
                seeds.append(((t.urban ? "Phường " : "Xã ") + name, t.lon + 0.07 * g.normal(), t.lat + 0.07 * g.normal()))
            }
            communeSeeds[t.district] = seeds
        }
        var villageNumber: [String: Int] = [:]
        for i in 1...1000 {
            let clustered = g.chance(0.7)
            let (lon, lat) = randomPoint(&g, clustered: clustered, spread: 0.07)
            let town = nearestTown(lon, lat)
            let commune = communeSeeds[town.district]!.min { hypot($0.1 - lon, $0.2 - lat) < hypot($1.1 - lon, $1.2 - lat) }!.0
            let n = (villageNumber[commune] ?? 0) + 1
            villageNumber[commune] = n
            let name = (town.urban ? "Khu phố \(n)" : (g.chance(0.5) ? "Ấp \(n)" : "Ấp \(g.pick(placeNames))"))
            let pop = Int((exp(g.normal() * 0.6) * (town.urban ? 3200 : 1300)).rounded(.down) / 10 * 10)
            files.villages.append([String(format: "V%04d", i), name, commune, town.district, f(lat, 6), f(lon, 6), String(max(pop, 60))])
        }

        // Industrial parks (approximate real locations; rectangles are schematic) and one high-tech zone.
        let parks: [(String, String, Double, Double, Double, Double)] = [
            ("KCN Amata", "industrial_park", 106.872, 10.958, 0.022, 0.014),
            ("KCN Biên Hòa 2", "industrial_park", 106.860, 10.925, 0.018, 0.012),
            ("KCN Long Thành", "industrial_park", 107.005, 10.800, 0.025, 0.015),
            ("KCN Nhơn Trạch 3", "industrial_park", 106.935, 10.722, 0.03, 0.02),
            ("KCN Giang Điền", "industrial_park", 106.985, 10.905, 0.02, 0.014),
            ("KCN Dầu Giây", "industrial_park", 107.135, 10.945, 0.018, 0.012),
            ("KCN Định Quán", "industrial_park", 107.340, 11.180, 0.014, 0.01),
            ("Khu công nghệ cao Long Thành (mẫu)", "high_tech_zone", 107.045, 10.760, 0.03, 0.02)
        ]
        for (i, p) in parks.enumerated() {
            let ring = [
                Coordinate(p.2 - p.4, p.3 - p.5), Coordinate(p.2 + p.4, p.3 - p.5), Coordinate(p.2 + p.4, p.3 + p.5),
                Coordinate(p.2 - p.4, p.3 + p.5), Coordinate(p.2 - p.4, p.3 - p.5)
            ]
            files.zones.append(.polygon([ring]), [.string(String(format: "Z%02d", i + 1)), .string(p.0), .string(p.1)])
        }

        // Non-mobile assignments with deliberate conflicts for the register checks:
        //  - co-channel neighbours: two FM stations on 98.5 MHz 24 km apart;
        //  - an adjacent-channel pair: FM 101.0 and 101.2 MHz 6 km apart;
        //  - an intermodulation triple on one tower (T-IM): PMR transmitters 160.100 and 160.500 MHz give
        //    2f1 − f2 = 159.700 MHz, the receive channel of a dispatch station 3 km away;
        //  - a duplicate row and one assignment outside the mobile band plan (1790 MHz).
        let extra: [[String]] = [
            [
                "FM-01", "ST-FM-DN", "Đài PT-TH Đồng Nai", "broadcast_fm", "98.500", "200", "200KF8E", "10.951000", "106.830000", "120.0", "74.0", "", "", "",
                "", ""
            ],
            [
                "FM-02", "ST-FM-LK", "Đài truyền thanh Long Khánh", "broadcast_fm", "98.500", "200", "200KF8E", "10.935000", "107.050000", "60.0", "64.0", "",
                "", "", "", ""
            ],
            [
                "FM-03", "ST-FM-TB", "Đài truyền thanh Trảng Bom", "broadcast_fm", "101.000", "200", "200KF8E", "10.955000", "107.000000", "45.0", "60.0", "",
                "", "", "", ""
            ],
            [
                "FM-04", "ST-FM-TN", "Đài truyền thanh Thống Nhất", "broadcast_fm", "101.200", "200", "200KF8E", "10.975000", "107.052000", "45.0", "60.0", "",
                "", "", "", ""
            ],
            [
                "PMR-01", "T-IM", "Công ty Cấp nước Đồng Nai", "land_mobile", "160.100", "12.5", "11K0F3E", "10.960000", "106.900000", "40.0", "47.0", "", "",
                "", "", ""
            ],
            [
                "PMR-02", "T-IM", "Công ty Điện lực Đồng Nai", "land_mobile", "160.500", "12.5", "11K0F3E", "10.960000", "106.900000", "42.0", "47.0", "", "",
                "", "", ""
            ],
            ["PMR-03", "T-IM", "Cảng Đồng Nai", "land_mobile", "161.300", "12.5", "11K0F3E", "10.960000", "106.900000", "38.0", "47.0", "", "", "", "", ""],
            [
                "PMR-04", "ST-DISPATCH", "Trung tâm cấp cứu 115", "land_mobile", "164.700", "12.5", "11K0F3E", "10.975000", "106.925000", "25.0", "44.0", "",
                "", "159.700", "12.5", ""
            ],
            [
                "PMR-05", "ST-DISPATCH", "Trung tâm cấp cứu 115", "land_mobile", "164.700", "12.5", "11K0F3E", "10.975000", "106.925000", "25.0", "44.0", "",
                "", "159.700", "12.5", ""
            ],
            ["MW-01", "ST-OUT", "Công ty TNHH Mẫu", "mobile", "1790.000", "5000", "5M00G7W", "11.050000", "107.100000", "30.0", "55.0", "90", "", "", "", ""]
        ]
        files.assignments.append(contentsOf: extra)
        files.assignments.append(contentsOf: broadcastRows()) // SampleBroadcast.swift
        return files
    }

    /// Writes the vector files of the sample province into `directory`.
    static func writeVectors(to directory: String) throws -> [String] {
        let files = generate()
        let dir = URL(fileURLWithPath: directory)
        try CSV.write(header: transmitterHeader, rows: files.transmitters, to: dir.appendingPathComponent("transmitters.csv").path)
        try CSV.write(header: villageHeader, rows: files.villages, to: dir.appendingPathComponent("villages.csv").path)
        try CSV.write(header: assignmentHeader, rows: files.assignments, to: dir.appendingPathComponent("assignments.csv").path)
        try VectorWriter.write([files.zones], to: dir.appendingPathComponent("zones.geojson").path)
        return [
            "transmitters.csv (\(files.transmitters.count) sectors)", "villages.csv (\(files.villages.count) villages)",
            "assignments.csv (\(files.assignments.count) assignments)", "zones.geojson (\(files.zones.rows.count) zones)"
        ]
    }
}

/// `@unchecked` on purpose: a raw buffer filled by concurrent rows at disjoint indices, without a lock.
struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}

// The broadcasting stations of the sample province (appended to assignments.csv by `tanso sample`): FM and
// DVB-T2, synthetic but of the kinds a provincial plan holds. Deterministic (fixed lists, no random draws).
//
//   - the provincial broadcaster (Đài PT-TH Đồng Nai): FM-01 (in the register already) and FM relays on Chứa
//     Chan, at Tân Phú and Định Quán; DVB-T2 multiplexes at Biên Hòa and a relay at Long Khánh;
//   - national networks' relays: VOV1, VOV2, VOV3 and VOV Giao thông FM on Chứa Chan, at Biên Hòa and Tân Phú;
//     DVB-T2 multiplexes of the national operators on Chứa Chan, at Biên Hòa, Xuân Lộc, Định Quán and Tân Phú;
//   - district radio stations (đài truyền thanh huyện, 100–300 W) and commune stations (low-power FM, 30–50 W).
//
// FM frequencies are 500 kHz apart (BS.412's protection ends at 400 kHz) and clear of FM-01 … FM-04, so that the
// plan is clean apart from the register's deliberate FM conflicts and one planted plan breach: FM-40, a commune
// station on 97.8 MHz, 100 kHz from the VOV3 relay on Chứa Chan (97.7 MHz) inside its service area. DVB-T2
// channels of different stations are at least four channels apart (a multiplex pair of one station is adjacent).
import Foundation

extension SampleProvince {
    struct BroadcastSite { let name: String; let lon: Double; let lat: Double }

    static let chuaChan = BroadcastSite(name: "Chứa Chan", lon: 107.362, lat: 10.872)
    static let bienHoaTower = BroadcastSite(name: "Biên Hòa", lon: 106.830, lat: 10.951)

    /// EIRP (dBm) of an ERP in kW: 10 log10(kW · 1000) + 30 + 2.15.
    static func eirpDBm(erpKW: Double) -> Double { 10 * log10(erpKW * 1000) + 30 + 2.15 }

    static func fmRow(
        _ id: String, _ station: String, _ licensee: String, _ mhz: Double, _ lon: Double, _ lat: Double, _ h: Double, _ kW: Double
    )
        -> [String]
    {
        [
            id, station, licensee, "broadcast_fm", f(mhz, 3), "200", "200KF8E", f(lat, 6), f(lon, 6), f(h, 1), f(eirpDBm(erpKW: kW), 1), "", "", "",
            "", ""
        ]
    }

    static func tvRow(_ id: String, _ station: String, _ licensee: String, _ channel: Int, _ site: BroadcastSite, _ h: Double, _ kW: Double) -> [String] {
        [
            id, station, licensee, "broadcast_tv", f(306 + 8 * Double(channel), 3), "7610", "7M61G7F", f(site.lat, 6), f(site.lon, 6), f(h, 1),
            f(eirpDBm(erpKW: kW), 1), "", "", "", "", ""
        ]
    }

    /// The FM and DVB-T2 rows (36 FM besides FM-01 … FM-04, and 10 DVB-T2).
    static func broadcastRows() -> [[String]] {
        let dn = "Đài PT-TH Đồng Nai", vov = "Đài Tiếng nói Việt Nam (VOV)"
        let tanPhu = BroadcastSite(name: "Tân Phú", lon: 107.430, lat: 11.322)
        let dinhQuan = BroadcastSite(name: "Định Quán", lon: 107.352, lat: 11.197)
        let longKhanh = BroadcastSite(name: "Long Khánh", lon: 107.245, lat: 10.930)
        let xuanLoc = BroadcastSite(name: "Xuân Lộc", lon: 107.405, lat: 10.927)
        var rows: [[String]] = [
            fmRow("FM-05", "ST-CC-DN", dn, 88.2, chuaChan.lon, chuaChan.lat, 60, 2),
            fmRow("FM-06", "ST-TP-DN", dn, 89.7, tanPhu.lon, tanPhu.lat, 50, 1),
            fmRow("FM-07", "ST-DQ-DN", dn, 90.7, dinhQuan.lon, dinhQuan.lat, 50, 1),
            fmRow("FM-08", "ST-CC-VOV1", vov, 100.2, chuaChan.lon + 0.001, chuaChan.lat, 70, 5),
            fmRow("FM-09", "ST-CC-VOV2", vov, 96.2, chuaChan.lon + 0.002, chuaChan.lat, 70, 5),
            fmRow("FM-10", "ST-CC-VOV3", vov, 97.7, chuaChan.lon + 0.003, chuaChan.lat, 70, 5),
            fmRow("FM-11", "ST-BH-VOVGT", vov, 91.2, 106.846, 10.962, 80, 2),
            fmRow("FM-12", "ST-BH-VOV1", vov, 102.7, 106.848, 10.964, 80, 2),
            fmRow("FM-13", "ST-TP-VOV1", vov, 104.7, tanPhu.lon + 0.002, tanPhu.lat, 50, 1),
            fmRow("FM-14", "ST-TP-VOV3", vov, 105.7, tanPhu.lon + 0.003, tanPhu.lat, 50, 1),
            fmRow("FM-15", "ST-LK-VOVGT", vov, 106.7, longKhanh.lon, longKhanh.lat, 60, 1)
        ]
        // District radio stations (the four of FM-01 … FM-04 aside).
        let districts: [(String, String, Double, Double, Double, Double)] = [
            ("FM-16", "Biên Hòa", 87.7, 106.820, 10.935, 0.3), ("FM-17", "Long Thành", 89.2, 106.952, 10.787, 0.2),
            ("FM-18", "Nhơn Trạch", 90.2, 106.887, 10.702, 0.2), ("FM-19", "Vĩnh Cửu", 92.2, 106.987, 11.122, 0.15),
            ("FM-20", "Định Quán", 92.7, 107.345, 11.190, 0.15), ("FM-21", "Tân Phú", 93.2, 107.425, 11.315, 0.15),
            ("FM-22", "Xuân Lộc", 93.7, 107.400, 10.930, 0.2), ("FM-23", "Cẩm Mỹ", 94.2, 107.257, 10.782, 0.15)
        ]
        for (id, d, mhz, lon, lat, kW) in districts {
            rows.append(fmRow(id, "ST-\(id)", "Đài truyền thanh \(d)", mhz, lon, lat, 40, kW))
        }
        // Commune stations (low-power FM).
        let communes: [(String, String, Double, Double, Double)] = [
            ("FM-24", "Phú Hòa", 94.7, 107.390, 11.250), ("FM-25", "Tân Hiệp", 95.2, 106.872, 10.985),
            ("FM-26", "Bình An", 95.7, 106.915, 10.825), ("FM-27", "Xuân Bắc", 96.7, 107.460, 11.020),
            ("FM-28", "Phước Thái", 97.2, 106.990, 10.690), ("FM-29", "Bàu Hàm", 99.2, 107.110, 10.985),
            ("FM-30", "Gia Kiệm", 99.7, 107.180, 11.030), ("FM-31", "Suối Tre", 101.7, 107.215, 10.955),
            ("FM-32", "Mã Đà", 102.2, 107.050, 11.280), ("FM-33", "La Ngà", 103.2, 107.260, 11.150),
            ("FM-34", "Phú Lý", 103.7, 107.090, 11.370), ("FM-35", "Nam Cát Tiên", 104.2, 107.460, 11.430),
            ("FM-36", "Sông Ray", 105.2, 107.330, 10.740), ("FM-37", "Long Tân", 106.2, 107.010, 10.745),
            ("FM-38", "Hiệp Phước", 107.2, 106.945, 10.735), ("FM-39", "Tam An", 107.7, 106.905, 10.810)
        ]
        for (id, c, mhz, lon, lat) in communes {
            rows.append(fmRow(id, "ST-\(id)", "Đài truyền thanh xã \(c)", mhz, lon, lat, 30, 0.05))
        }
        // The planted plan breach: 100 kHz from VOV3 on Chứa Chan (97.7 MHz), 14 km from it, inside its service area.
        rows.append(fmRow("FM-40", "ST-FM-40", "Đài truyền thanh xã Xuân Tâm", 97.8, 107.485, 10.840, 35, 0.3))
        // DVB-T2: channel N at 306 + 8 N MHz.
        rows += [
            tvRow("TV-01", "ST-BH-DNRTV", dn, 25, bienHoaTower, 150, 10), tvRow("TV-02", "ST-BH-DNRTV", dn, 26, bienHoaTower, 150, 10),
            tvRow("TV-03", "ST-CC-VTV", "Đài Truyền hình Việt Nam (VTV)", 30, chuaChan, 80, 10),
            tvRow("TV-04", "ST-CC-VTV", "Đài Truyền hình Việt Nam (VTV)", 31, chuaChan, 80, 10),
            tvRow("TV-05", "ST-BH-VTC", "Đài Truyền hình Kỹ thuật số VTC", 35, BroadcastSite(name: "Biên Hòa", lon: 106.850, lat: 10.940), 120, 5),
            tvRow("TV-06", "ST-XL-AVG", "Công ty AVG", 39, xuanLoc, 60, 2),
            tvRow("TV-07", "ST-DQ-SCTV", "Công ty SCTV", 43, dinhQuan, 60, 2),
            tvRow("TV-08", "ST-TP-VTV", "Đài Truyền hình Việt Nam (VTV)", 47, tanPhu, 60, 2),
            tvRow("TV-09", "ST-TP-VTV", "Đài Truyền hình Việt Nam (VTV)", 48, tanPhu, 60, 2),
            tvRow("TV-10", "ST-LK-DNRTV", dn, 21, longKhanh, 60, 1)
        ]
        return rows
    }
}

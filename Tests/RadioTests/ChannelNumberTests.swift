// Channel numbers → downlink frequencies, against the values the 3GPP tables define (band edges and the
// formulas' worked cases), exact to 1 kHz.
import XCTest
@testable import Radio

final class ChannelNumberTests: XCTestCase {
    /// TS 45.005 §2: P-GSM F_l(1) = 890.2, downlink + 45 MHz; E-GSM n = 975 → 880.2 + 45; DCS 1800 F_l(512) =
    /// 1710.2, downlink + 95 MHz; GSM 850 F_l(128) = 824.2, + 45; PCS 1900 F_l(512) = 1850.2, + 80.
    func testGSMARFCN() throws {
        let cases: [(Int, Bool, Double)] = [
            (1, false, 935.2), (124, false, 959.8), (0, false, 935.0), (975, false, 925.2), (1023, false, 934.8),
            (512, false, 1805.2), (885, false, 1879.8), (128, false, 869.2), (251, false, 893.8), (512, true, 1930.2),
            (259, false, 460.6)
        ]
        for (n, pcs, f) in cases { XCTAssertEqual(try ChannelNumbers.gsmDownlinkMHz(n, pcs1900: pcs), f, accuracy: 1e-9, "ARFCN \(n)") }
        XCTAssertThrowsError(try ChannelNumbers.gsmDownlinkMHz(900))
    }

    /// TS 25.101 Table 5.2: band I UARFCN 10562–10838 ↔ 2112.4–2167.6 MHz; band VIII 2937–3088 ↔ 927.4–957.6
    /// (offset 340 MHz); band III 1162 ↔ 1807.4 (offset 1575); band V 4357 ↔ 871.4.
    func testUARFCN() throws {
        let cases: [(Int, Double)] = [(10562, 2112.4), (10838, 2167.6), (2937, 927.4), (3088, 957.6), (1162, 1807.4), (4357, 871.4), (9662, 1932.4)]
        for (n, f) in cases { XCTAssertEqual(try ChannelNumbers.umtsDownlinkMHz(n), f, accuracy: 1e-9, "UARFCN \(n)") }
        XCTAssertThrowsError(try ChannelNumbers.umtsDownlinkMHz(9612)) // band I uplink
    }

    /// TS 36.101 Table 5.7.3-1: F_DL = F_DL_low + 0.1 (N_DL − N_Offs-DL): band 1 N 0 → 2110.0, 599 → 2169.9;
    /// band 3 N 1200 → 1805.0, 1300 → 1815.0; band 28 N 9210 → 758.0, 9310 → 768.0 (the G-NetTrack slice's
    /// channel); band 40 N 38650 → 2300.0; band 8 N 3450 → 925.0.
    func testEARFCN() throws {
        let cases: [(Int, Double)] = [
            (0, 2110.0), (599, 2169.9), (1200, 1805.0), (1300, 1815.0), (1949, 1879.9), (9210, 758.0), (9310, 768.0), (9659, 802.9),
            (38650, 2300.0), (3450, 925.0), (6300, 806.0)
        ]
        for (n, f) in cases { XCTAssertEqual(try ChannelNumbers.lteDownlinkMHz(n), f, accuracy: 1e-9, "EARFCN \(n)") }
        XCTAssertThrowsError(try ChannelNumbers.lteDownlinkMHz(19200)) { XCTAssertTrue("\($0)".contains("uplink"), "\($0)") }
    }

    /// TS 38.104 Table 5.4.2.1-1: 0–599999 at 5 kHz; 600000 → 3000 MHz, then 15 kHz; 2016667 → 24250.08 MHz,
    /// then 60 kHz. n78 spans N_REF 620000–653333 (3300–3799.995 MHz), n41 starts at 499200 (2496 MHz).
    func testNRARFCN() throws {
        let cases: [(Int, Double)] = [
            (620000, 3300), (653333, 3799.995), (632628, 3489.42), (499200, 2496), (600000, 3000), (2016667, 24250.08), (2016668, 24250.14)
        ]
        for (n, f) in cases { XCTAssertEqual(try ChannelNumbers.nrMHz(n), f, accuracy: 1e-9, "NR-ARFCN \(n)") }
        XCTAssertThrowsError(try ChannelNumbers.nrMHz(3_279_166))
    }
}

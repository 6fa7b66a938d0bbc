import XCTest

@testable import Records

/// `ColumnIndex` (the column lookup of every record loader) against a dictionary filled in order: the same
/// position for every name of the header, nil for every other, the last of equal names, and names that share
/// the length and the bytes its hash reads.
final class ColumnIndexTests: XCTestCase {
    func reference(_ names: [String]) -> [String: Int] {
        var d: [String: Int] = [:]
        for (i, n) in names.enumerated() { d[n] = i }
        return d
    }

    func testSameAsADictionaryOnARegisterHeader() {
        let names = [
            "id", "station_id", "licensee", "service", "tx_frequency_mhz", "bandwidth_khz", "latitude", "longitude",
            "antenna_height_m", "eirp_dbm", "azimuth_deg", "antenna_gain_dbi", "rx_frequency_mhz", "rx_bandwidth_khz",
            "rx_latitude", "rx_longitude", "rx_antenna_height_m", "rx_antenna_gain_dbi", "", "field_20", "tên trạm"
        ]
        let index = ColumnIndex(names), d = reference(names)
        for n in names { XCTAssertEqual(index[n], d[n], n) }
        // Absent names, some of the same length, first, middle and last byte as present ones.
        for n in [
            "emission_designator", "antenna_pattern", "protection_ratio_db", "tx_frequencx_mhz", "ix_frequency_mhz",
            "i", "iD", "latitudE", "latitude ", " latitude", "tên trạm2", "x"
        ] {
            XCTAssertNil(index[n], n)
        }
        XCTAssertEqual(index["tx_frequency_mhz"], 4)
        XCTAssertEqual(index["rx_frequency_mhz"], 12)
    }

    /// A register column read by position is the column of its name: in the header above, in a header holding
    /// every one of them (in reverse, one twice), and in a header holding none.
    func testRegisterColumnsAreTheColumnsOfTheirNames() {
        let all = RegisterColumn.allCases.map(\.name)
        XCTAssertEqual(Set(all).count, all.count, "one name per column")
        let headers = [
            all.reversed() + ["eirp_dbm"], ["id", "service", "latitude", "longitude", "eirp_dbm", "tên trạm", "rx_latitude"],
            ["a", "b"], []
        ]
        for names in headers {
            let index = ColumnIndex(names), d = reference(names)
            for c in RegisterColumn.allCases { XCTAssertEqual(index[c], d[c.name], "\(c.name) in \(names)") }
        }
        XCTAssertEqual(ColumnIndex(all.reversed() + ["eirp_dbm"])[.eirp], all.count)
    }

    func testLastOfEqualNamesCounts() {
        let names = ["a", "b", "a", "c", "b", "a"]
        let index = ColumnIndex(names)
        XCTAssertEqual(index["a"], 5)
        XCTAssertEqual(index["b"], 4)
        XCTAssertEqual(index["c"], 3)
        XCTAssertNil(index["d"])
        XCTAssertNil(ColumnIndex([])["a"])
    }

    /// 2,000 random headers of up to 60 names drawn from a small alphabet (many share lengths and bytes, so that
    /// probes collide), each looked up with its own names and with other names of the alphabet.
    func testRandomHeadersCollide() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "b", "_", "z"]
        func name() -> String { String((0..<Int.random(in: 0...5, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }) }
        for _ in 0..<2_000 {
            let names = (0..<Int.random(in: 0...60, using: &rng)).map { _ in name() }
            let index = ColumnIndex(names), d = reference(names)
            for n in names { XCTAssertEqual(index[n], d[n], "\(n) in \(names)") }
            for _ in 0..<20 {
                let n = name()
                XCTAssertEqual(index[n], d[n], "\(n) in \(names)")
            }
        }
    }
}

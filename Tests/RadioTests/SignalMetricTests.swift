import XCTest
@testable import Radio

final class SignalMetricTests: XCTestCase {
    /// 2G RxLev is the carrier's total power; 3G RSCP is 10 dB below (CPICH share); 4G RSRP is total − 10·log10(12·N_RB).
    func testConversionFromTotalPower() throws {
        XCTAssertEqual(try SignalMetric(technology: .gsm).value(totalDBm: -80, bandwidthMHz: 0.2), -80)
        XCTAssertEqual(try SignalMetric(technology: .umts).value(totalDBm: -80, bandwidthMHz: 5), -90)
        XCTAssertEqual(try SignalMetric(technology: .umts, cpichShareDB: -7).value(totalDBm: -80, bandwidthMHz: 5), -87)
        // 10 MHz: 50 RB, 600 subcarriers: −27.78 dB. The old README's worked example: −80 dBm total → −107.8 dBm RSRP.
        XCTAssertEqual(try SignalMetric(technology: .lte).value(totalDBm: -80, bandwidthMHz: 10), -80 - 10 * log10(600), accuracy: 1e-12)
        XCTAssertEqual(try SignalMetric(technology: .lte).offsetDB(bandwidthMHz: 10), -27.7815, accuracy: 1e-4)
        XCTAssertEqual(try SignalMetric(technology: .lte).offsetDB(bandwidthMHz: 20), -30.7918, accuracy: 1e-4)
        XCTAssertEqual(try SignalMetric(technology: .lte).offsetDB(bandwidthMHz: 1.4), -10 * log10(72), accuracy: 1e-12)
        // 5G n78 100 MHz at 30 kHz: 273 RB.
        XCTAssertEqual(try SignalMetric(technology: .nr).offsetDB(bandwidthMHz: 100, frequencyMHz: 3650), -10 * log10(12 * 273), accuracy: 1e-12)
        XCTAssertEqual(try SignalMetric(technology: .nr).offsetDB(bandwidthMHz: 100, frequencyMHz: 3650), -35.154, accuracy: 1e-3)
        // n41 90 MHz at 30 kHz: 245 RB; 20 MHz at 15 kHz: 106 RB; FR2 100 MHz at 120 kHz: 66 RB.
        XCTAssertEqual(try SignalMetric(technology: .nr).offsetDB(bandwidthMHz: 90, frequencyMHz: 2590), -10 * log10(12 * 245), accuracy: 1e-12)
        XCTAssertEqual(try SignalMetric(technology: .nr).offsetDB(bandwidthMHz: 20, frequencyMHz: 700, scsKHz: 15), -10 * log10(12 * 106), accuracy: 1e-12)
        XCTAssertEqual(try SignalMetric(technology: .nr).offsetDB(bandwidthMHz: 100, frequencyMHz: 28_000), -10 * log10(12 * 66), accuracy: 1e-12)
    }

    func testResourceBlockTables() throws {
        for (bw, rb) in [(1.4, 6), (3.0, 15), (5.0, 25), (10.0, 50), (15.0, 75), (20.0, 100)] {
            XCTAssertEqual(try SignalMetric.lteResourceBlocks(bandwidthMHz: bw), rb)
        }
        XCTAssertEqual(try SignalMetric.nrResourceBlocks(bandwidthMHz: 50, scsKHz: 15), 270)
        XCTAssertEqual(try SignalMetric.nrResourceBlocks(bandwidthMHz: 40, scsKHz: 30), 106)
        XCTAssertEqual(try SignalMetric.nrResourceBlocks(bandwidthMHz: 100, scsKHz: 60), 135)
        // Every RB count fits its channel: 12·N_RB·SCS below the bandwidth.
        for (scs, rows) in SignalMetric.nrFR1Table { for r in rows { XCTAssertLessThan(Double(12 * r.rb) * scs / 1000, r.bandwidthMHz) } }
    }

    func testBadBandwidthNamesTheValueAndTheTable() {
        XCTAssertThrowsError(try SignalMetric(technology: .lte).offsetDB(bandwidthMHz: 12)) { e in
            XCTAssertTrue("\(e)".contains("12 MHz"), "\(e)")
            XCTAssertTrue("\(e)".contains("36.101"), "\(e)")
        }
        XCTAssertThrowsError(try SignalMetric(technology: .nr).offsetDB(bandwidthMHz: 100, frequencyMHz: 3500, scsKHz: 15)) { e in
            XCTAssertTrue("\(e)".contains("100 MHz at 15 kHz"), "\(e)")
        }
    }

    /// Defaults and the indoor margin; the threshold expressed as total power inverts the conversion.
    func testThresholds() throws {
        let d = MetricThresholds.defaults
        XCTAssertEqual(d.threshold(for: .gsm), -95)
        XCTAssertEqual(d.threshold(for: .umts), -100)
        XCTAssertEqual(d.threshold(for: .lte), -110)
        XCTAssertEqual(d.threshold(for: .nr), -110)
        let indoor = MetricThresholds(indoorMarginDB: 15)
        XCTAssertEqual(indoor.threshold(for: .lte), -95)
        // RSRP −110 in 10 MHz = −82.2 dBm total.
        XCTAssertEqual(try d.totalPowerThreshold(for: .lte, bandwidthMHz: 10), -110 + 10 * log10(600), accuracy: 1e-12)
        let total = try indoor.totalPowerThreshold(for: .nr, bandwidthMHz: 100, frequencyMHz: 3650)
        XCTAssertEqual(try indoor.metric(for: .nr).value(totalDBm: total, bandwidthMHz: 100, frequencyMHz: 3650), -95, accuracy: 1e-12)
        XCTAssertEqual(SignalMetric(technology: .lte).kind, .rsrp)
        XCTAssertEqual(SignalMetric(technology: .nr).kind, .ssRSRP)
    }
}

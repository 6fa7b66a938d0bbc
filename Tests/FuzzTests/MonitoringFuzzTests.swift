import XCTest
import Foundation
@testable import Records
@testable import Analysis

/// The monitoring loaders under the seeded fuzz suite: emission lists and the streamed sweep reader (whose
/// sweeps go through the detection accumulator), each with half a loader's share of the time.
extension LoaderFuzzTests {
    func testEmissionListLoader() {
        let seeds = [projectFile("data/monitoring/emissions.csv")].compactMap { $0 }
        fuzz(
            "emissions", seeds: seeds, share: 0.5,
            body: fileBody("em.csv") { path in
                var r = LoadReport()
                _ = try EmissionLoader.load(path, skipInvalid: true, report: &r)
            })
    }

    func testSweepReader() {
        let seeds = [projectFile("data/monitoring/sweeps.csv", lines: 120)].compactMap { $0 }
        fuzz(
            "sweeps", seeds: seeds, share: 0.5,
            body: fileBody("sw.csv") { path in
                let reader = try SweepReader(path: path, skipInvalid: true)
                var acc: SweepAccumulator?
                try reader.forEachSweep { sw in
                    if acc == nil {
                        acc = SweepAccumulator(
                            stationID: sw.stationID, frequenciesMHz: sw.frequenciesMHz, unit: sw.unit, channels: [], settings: MonitoringSettings(),
                            threads: 1)
                    }
                    if acc!.stationID == sw.stationID { acc!.add(levels: sw.levels) }
                }
                _ = acc?.finish()
            })
    }
}

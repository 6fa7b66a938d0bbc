import Foundation
import Terrain
import XCTest

@testable import Analysis
@testable import TansoCLI

/// The honesty of `tanso locate`'s 95 % region: synthetic emitters on the sample DEM, measured with log-normal
/// shadowing, located with the same model (`LocatorCalibration`).
final class LocateCalibrationTests: XCTestCase {
    /// 200 trials in an 8 × 8 km box in the hills of the sample DEM (Chứa Chan): an emitter 20 m above ground at a random
    /// position, EIRP 40–60 dBm; 20–60 of 120 drive points at 1.5 m; levels from the exact-profile P.526 loss plus
    /// N(0, 6 dB); the locator on the coverage engine's radial loss fields on a 200 m grid. P.526 here (ITM over 200
    /// trials is the benchmark's, `interference` group: too slow for a debug-build unit test). The region must hold the
    /// truth in 90–99 % of trials; the median error is printed beside the median Cramér–Rao bound of the geometries.
    func testConfidenceRegionHoldsTheTruthIn90To99PercentOfTrials() throws {
        let dem = try ElevationModel(grid: SampleProvince.dem())
        let r = try LocatorCalibration().run(dem: dem, model: .p526, centre: (10.90, 107.33))
        print(
            String(
                format:
                    "locate calibration (P.526, 200 m grid, σ 6 dB, 20–60 points): 95 %% region holds the truth in %d of %d trials (%.1f %%); median error %.0f m, median Cramér–Rao bound %.0f m (ratio %.2f); median region %.2f km²; loss fields %.1f s",
                r.inside, r.trials, 100 * r.share, r.medianErrorM, r.medianBoundM, r.medianErrorM / r.medianBoundM, r.medianRegionKm2, r.fieldSeconds))
        XCTAssertEqual(r.trials, 200)
        XCTAssertGreaterThanOrEqual(r.share, 0.90)
        XCTAssertLessThanOrEqual(r.share, 0.99)
    }
}

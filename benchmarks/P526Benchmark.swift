// ITU-R P.526 delta-Bullington: µs per call (median of repeats, one thread) on the real Regensburg–Munich profile
// of the ITU-R SG3 set resampled to 100, 1,000 and 5,000 equally spaced points: the reference function (distance
// and height arrays, as P.1812/P.452 call it) and the equal-spacing kernel that `tanso pathloss` and the coverage
// engine use (same value to the last bit, see P526Tests).
import Foundation
import Propagation

func runP526Benchmark() -> [(name: String, value: Double, unit: String)] {
    let (d0, h0) = p1812BenchmarkProfile()
    var figures: [(name: String, value: Double, unit: String)] = []
    func median(_ calls: Int, _ body: () -> Double) -> Double {
        var samples: [Double] = [], sink = 0.0
        for _ in 0..<9 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<calls { sink += body() }
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000 / Double(calls))
        }
        precondition(sink.isFinite)
        return samples.sorted()[samples.count / 2]
    }
    for count in [100, 1_000, 5_000] {
        let (d, h) = resampleProfile(d0, h0, count: count)
        let step = d[d.count - 1] / Double(count - 1)
        let dEq = (0..<count).map { Double($0) * step }
        let calls = max(20, 200_000 / count)
        let reference = median(calls) {
            (try? P526.deltaBullington(
                distancesKm: dEq, heightsM: h, txHeightAboveGroundM: 30, rxHeightAboveGroundM: 1.5,
                frequencyMHz: 900, effectiveEarthRadiusKm: 8495
            ).lossDB) ?? .nan
        }
        let kernel = h.withUnsafeBufferPointer { hp in
            median(calls) {
                (try? P526.deltaBullingtonLossDB(
                    equallySpaced: hp, spacingKm: step, txHeightAboveGroundM: 30, rxHeightAboveGroundM: 1.5,
                    frequencyMHz: 900, effectiveEarthRadiusKm: 8495
                ).lossDB) ?? .nan
            }
        }
        print("p526 delta-Bullington, \(count) points: reference \(String(format: "%.2f", reference)) µs, kernel \(String(format: "%.2f", kernel)) µs")
        figures.append(("p526_reference_us_per_call_\(count)pts_1thread", reference, "µs"))
        figures.append(("p526_kernel_us_per_call_\(count)pts_1thread", kernel, "µs"))
    }
    return figures
}

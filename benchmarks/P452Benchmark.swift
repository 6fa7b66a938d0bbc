// ITU-R P.452-18: µs per prediction (median of 9 repeats, one thread) for 100-, 1,000- and 5,000-point profiles.
// The profile is the real Regensburg–Munich path of the ITU-R SG3 P.452 validation set (96.2 km, 963 points,
// inland) when the fixtures (Tests/Fixtures) are present, resampled linearly to each size; otherwise a synthetic hilly
// profile. p = 10 % so that both diffraction radii (a_e and a_β) are evaluated. Target: tens of µs at 1,000 points.
import Foundation
import Propagation

private func p452BenchmarkProfile() -> (d: [Double], h: [Double]) {
    let rel = "propagation/p452/matlab/validation_examples/profiles/test_profile_rburg_rural_no_clutter.csv"
    let candidates = [referenceDir().map { $0.appendingPathComponent(rel).path }].compactMap { $0 }
    for path in candidates {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
        var d: [Double] = [], h: [Double] = []
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let c = line.split(separator: ",", omittingEmptySubsequences: false)
            if c.count >= 2, let x = Double(c[0]), let y = Double(c[1]) { d.append(x); h.append(y) }
        }
        if d.count > 10 { return (d, h) }
    }
    let d = (0...962).map { Double($0) * 0.1 }
    return (d, d.map { 400 + 60 * sin($0 / 3) + 25 * sin($0 * 1.7) })
}

/// Linear resampling of (d, h) to `count` equally spaced points over the same length.
private func p452Resample(_ d: [Double], _ h: [Double], count: Int) -> (d: [Double], h: [Double]) {
    let total = d[d.count - 1]
    var outD = [Double](repeating: 0, count: count), outH = [Double](repeating: 0, count: count)
    var j = 0
    for i in 0..<count {
        let x = total * Double(i) / Double(count - 1)
        while j < d.count - 2 && d[j + 1] < x { j += 1 }
        let t = (x - d[j]) / (d[j + 1] - d[j])
        outD[i] = x
        outH[i] = h[j] + t * (h[j + 1] - h[j])
    }
    outD[0] = 0
    outD[count - 1] = total
    return (outD, outH)
}

func runP452Benchmark() -> [(name: String, value: Double, unit: String)] {
    let (d0, h0) = p452BenchmarkProfile()
    var figures: [(name: String, value: Double, unit: String)] = []
    for count in [100, 1_000, 5_000] {
        let (d, h) = p452Resample(d0, h0, count: count)
        let input = P452.Input(
            distancesKm: d, heightsM: h, zones: [P452.Zone](repeating: .inland, count: count),
            frequencyGHz: 2, timePercent: 10, txHeightM: 30, rxHeightM: 10,
            txLatitudeDeg: 48.9947, txLongitudeDeg: 12.0772, rxLatitudeDeg: 48.1869,
            rxLongitudeDeg: 11.6297, deltaN: 38, n0: 325)
        let calls = max(20, 200_000 / count)
        var samples: [Double] = []
        var sink = 0.0
        for _ in 0..<9 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<calls { sink += (try? P452.basicTransmissionLoss(input).lossDB) ?? .nan }
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000 / Double(calls))
        }
        precondition(sink.isFinite)
        samples.sort()
        figures.append(("p452_us_per_call_\(count)pts_1thread", samples[samples.count / 2], "µs"))
    }
    return figures
}

// Hata / COST-231 batch kernel: ns per receiver, single-threaded.
import Foundation
import Propagation

func timeBest(repeats: Int, _ body: () -> Void) -> Double {
    var best = Double.infinity
    for _ in 0..<repeats {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0))
    }
    return best
}

func runHataBenchmark() -> [(name: String, value: Double, unit: String)] {
    let n = 10_000_000
    var d = [Float](repeating: 0, count: n)
    for i in 0..<n { d[i] = 0.05 + Float(i % 30_000) / 1000 }
    var out = [Float](repeating: 0, count: n)
    let setup = try! Hata.Setup(variant: .cost231, environment: .urban, frequencyMHz: 1800, baseHeightM: 30, mobileHeightM: 1.5)
    let ns = timeBest(repeats: 5) {
        d.withUnsafeBufferPointer { dp in out.withUnsafeMutableBufferPointer { op in Hata.lossDB(distancesKm: dp, setup: setup, into: op) } }
    }
    var check: Float = 0
    for i in stride(from: 0, to: n, by: 9973) { check += out[i] }
    precondition(check.isFinite)
    return [("hata_batch_ns_per_receiver_1thread", ns / Double(n), "ns")]
}

// SHA-256 of inputs and products (study.json records both): the CPU's SHA extensions against the portable Swift
// rounds, on 64 MB in memory (a province DEM is 28 MB; every run hashes its inputs and its products).
import Foundation
import Reports

func runDigestBenchmark() -> [(name: String, value: Double, unit: String)] {
    let data = Data((0..<(64 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
    func rate(portable: Bool) -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            let t0 = Date()
            var s = SHA256(portable: portable)
            s.update(data)
            _ = s.finalize()
            best = min(best, Date().timeIntervalSince(t0))
        }
        return Double(data.count) / 1e6 / best
    }
    var figures = [(name: "sha256_portable_mb_per_s", value: rate(portable: true), unit: "MB/s")]
    if SHA256.hardware { figures.append((name: "sha256_sha_extensions_mb_per_s", value: rate(portable: false), unit: "MB/s")) }
    return figures
}

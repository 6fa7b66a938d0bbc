// The AVX2 forms of the terrain loops (CFastMath's fastmath.c) against their SSE2 forms, bit for bit: the coverage
// engine's profile fill from a radial (tanso_interpolate_radial), D1THX's resampling (tanso_itm_resample) and the
// bilinear heights along a line of a DEM (tanso_sample_line, the radials' and the cells' tails); and Z1SQ1's sums
// (tanso_fit_sums_avx2) against their Swift form (ITMTerrain.interiorSums). The
// dispatch takes the AVX2 form on a CPU that has it, so results must not depend on which form ran. Inputs cover
// every count's tail (0 … 9 points past the last whole group of four), positions beyond the profile's last point
// (the resampling's clamp), starts below the first bracket, whole-number positions, missing heights (NaN) and, in
// the DEM, nodata values.
import CFastMath
import TestSupport
import XCTest
@testable import Propagation

final class AVX2FormsTests: XCTestCase {
    private var rng = SeededGenerator(seed: 0x2545_F491_4F6C_DD1D)
    private func next() -> Double { rng.uniform() }

    /// On a CPU without AVX2 the dispatch must take the SSE2 forms (the AVX2 ones cannot run there).
    func testDispatchFollowsTheCPU() {
        if tanso_cpu_has_avx2() == 0 { XCTAssertEqual(tanso_avx2(), 0) }
        XCTAssertTrue(tanso_avx2() == 0 || tanso_cpu_has_avx2() == 1)
    }

    // The AVX2 forms exist on x86-64 only; elsewhere the dispatch test above is what applies.
    #if arch(x86_64)
        private let avx2 = tanso_cpu_has_avx2() == 1

        private func heights(_ count: Int, missingEvery gap: Int?) -> [Double] {
            var z = 100 * next()
            return (0..<count).map { i in
                if let gap, i % gap == gap / 2 { return .nan }
                z += 20 * (next() - 0.5)
                return i % 7 == 3 ? z.rounded() : z
            }
        }

        func testRadialFillAVX2EqualsSSE2() {
            for trial in 0..<3_000 {
                let samples = 2 + Int(next() * 900)
                let radial = heights(samples, missingEvery: trial % 11 == 0 ? 37 : nil)
                let ratio = trial % 13 == 0 ? 1.0 : 0.5 + next() // whole-number positions too
                let count = trial % 17 == 0 ? Int(next() * 10) : Int(Double(samples - 2) / ratio) // every pos + 1 inside
                var sse = [Double](repeating: 0, count: count), avx = sse
                radial.withUnsafeBufferPointer { h in
                    sse.withUnsafeMutableBufferPointer { if count > 0 { tanso_interpolate_radial_sse2($0.baseAddress!, h.baseAddress!, count, ratio) } }
                    // Without AVX2 the dispatched form (then SSE2) stands in: the AVX2 form cannot run there.
                    avx.withUnsafeMutableBufferPointer {
                        guard count > 0 else { return }
                        if avx2 {
                            tanso_interpolate_radial_avx2($0.baseAddress!, h.baseAddress!, count, ratio)
                        } else {
                            tanso_interpolate_radial($0.baseAddress!, h.baseAddress!, count, ratio)
                        }
                    }
                }
                XCTAssertEqual(avx.map(\.bitPattern), sse.map(\.bitPattern), "trial \(trial): \(count) points, ratio \(ratio)")
            }
        }

        func testResampleAVX2EqualsSSE2() {
            for trial in 0..<3_000 {
                let last = 2 + Int(next() * 700)
                let p = heights(last + 1, missingEvery: trial % 11 == 0 ? 41 : nil)
                let n = trial % 17 == 0 ? 1 + Int(next() * 10) : 10 * (4 + Int(next() * 22)) - 5
                let xa = trial % 5 == 0 ? Double(Int(next() * 10)) : next() * 10 // whole starts too
                // Ends up to 5 intervals beyond the last point: the bracket stops there (the clamp).
                let xb = Double(last) + 5 * (next() - 0.5)
                let step = max(0, xb - xa) / Double(max(1, n - 1))
                let first = min(last, max(1, Int(xa + 1) + (trial % 7 == 0 ? 2 : 0))) // starts below the first bracket too
                var sse = [Double](repeating: 0, count: n), avx = sse
                p.withUnsafeBufferPointer { h in
                    sse.withUnsafeMutableBufferPointer { tanso_itm_resample_sse2($0.baseAddress!, n, h.baseAddress!, last, xa, step, first) }
                    avx.withUnsafeMutableBufferPointer {
                        if avx2 {
                            tanso_itm_resample_avx2($0.baseAddress!, n, h.baseAddress!, last, xa, step, first)
                        } else {
                            tanso_itm_resample($0.baseAddress!, n, h.baseAddress!, last, xa, step, first)
                        }
                    }
                }
                XCTAssertEqual(avx.map(\.bitPattern), sse.map(\.bitPattern), "trial \(trial): \(n) samples from \(xa), step \(step)")
            }
        }

        func testLineSamplingAVX2EqualsSSE2() {
            let width = 97, height = 83, nodata: Float = -32_768
            var dem = (0..<(width * height)).map { _ in Float(next() * 1_500) }
            for _ in 0..<12 { dem[Int(next() * Double(dem.count))] = .nan }
            for _ in 0..<12 { dem[Int(next() * Double(dem.count))] = nodata }
            for trial in 0..<3_000 {
                // Whole-raster pixel positions whose four neighbours lie inside: [0.5, size − 0.5) after the offsets.
                func position(_ size: Int) -> Double { 0.5 + next() * Double(size - 1) * 0.999 }
                let ca = position(width), ra = position(height), cb = position(width), rb = position(height)
                let m = 1 + Int(next() * 400)
                let i0 = trial % 3 == 0 ? Int(next() * Double(m)) : 0, i1 = i0 + Int(next() * Double(m - i0))
                let nd: Float = trial % 2 == 0 ? nodata : .nan // .nan: no nodata value
                var sse = [Double](repeating: 0, count: i1 - i0 + 1), avx = sse
                var flaggedSSE = 0, flaggedAVX = 0
                dem.withUnsafeBufferPointer { v in
                    sse.withUnsafeMutableBufferPointer {
                        flaggedSSE = tanso_sample_line_sse2(
                            $0.baseAddress!, v.baseAddress!, width, ca, ra, cb - ca, rb - ra, 0, 0, Double(m), i0, i1, nd)
                    }
                    avx.withUnsafeMutableBufferPointer {
                        flaggedAVX =
                            avx2
                            ? tanso_sample_line_avx2($0.baseAddress!, v.baseAddress!, width, ca, ra, cb - ca, rb - ra, 0, 0, Double(m), i0, i1, nd)
                            : tanso_sample_line($0.baseAddress!, v.baseAddress!, width, ca, ra, cb - ca, rb - ra, 0, 0, Double(m), i0, i1, nd)
                    }
                }
                XCTAssertEqual(avx.map(\.bitPattern), sse.map(\.bitPattern), "trial \(trial): points \(i0)…\(i1) of \(m)")
                XCTAssertEqual(flaggedAVX, flaggedSSE, "trial \(trial)")
            }
        }

        func testFitSumsAVX2EqualTheSwiftLoop() {
            for trial in 0..<3_000 {
                let count = 2 + Int(next() * 700)
                let z = heights(count, missingEvery: trial % 19 == 0 ? 53 : nil)
                let k = Int(next() * Double(count - 1)), jb = k + 1 + Int(next() * Double(count - 1 - k))
                let x0 = -0.5 * Double(jb - k + 1 + Int(next() * 3)) // whole and half numbers, as Z1SQ1's centring gives
                let swift = z.withUnsafeBufferPointer { ITMTerrain.interiorSums($0.baseAddress!, from: k, to: jb, x0: x0) }
                var a = 0.0, b = 0.0
                z.withUnsafeBufferPointer { p in
                    if avx2 {
                        tanso_fit_sums_avx2(p.baseAddress!, k, jb, x0, &a, &b)
                    } else {
                        (a, b) = ITMTerrain.interiorSums(p.baseAddress!, from: k, to: jb, x0: x0) // the form that runs there
                    }
                }
                XCTAssertEqual(a.bitPattern, swift.0.bitPattern, "trial \(trial): points \(k)..<\(jb)")
                XCTAssertEqual(b.bitPattern, swift.1.bitPattern, "trial \(trial): points \(k)..<\(jb)")
            }
        }
    #endif
}

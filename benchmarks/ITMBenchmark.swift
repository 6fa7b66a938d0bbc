// ITM 1.2.2 point-to-point timing on a 3,680-point profile (single-threaded).
//
// The profile is NTIA's first reference profile (pfls.csv, 3,680 points at 99.978 m, 368 km) when the validation
// fixtures can be found (Tests/Fixtures or TANSO_REFERENCE_DIR: see referenceDir()); otherwise a deterministic synthetic profile of the same length and spacing. The figure is the median
// over repeats of the mean time per call of a batch, in µs. Target (issue): ≤ 17 µs; NTIA's C++ ≈ 35 µs.
import Foundation
import Propagation

func runITMBenchmark() -> [(name: String, value: Double, unit: String)] {
    let (profile, source) = itmBenchmarkProfile()
    let p = ITM.Parameters(
        frequencyMHz: 230, txHeightM: 10, rxHeightM: 1, polarization: .vertical,
        climate: .continentalTemperate, surfaceRefractivityN0: 301, relativePermittivity: 15,
        conductivitySPerM: 0.008, mdvar: 12, timePct: 50, locationPct: 17, situationPct: 23)
    let clock = ContinuousClock()
    func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
    var sink = 0.0
    let callsPerBatch = 2000
    var perCallUs: [Double] = []
    profile.elevationsM.withUnsafeBufferPointer { h in
        // Warm-up.
        for _ in 0..<200 { sink += (try? ITM.pointToPoint(elevationsM: h, spacingM: profile.spacingM, p))?.lossDB ?? 0 }
        for _ in 0..<9 {
            let t = clock.measure {
                for _ in 0..<callsPerBatch {
                    sink += (try? ITM.pointToPoint(elevationsM: h, spacingM: profile.spacingM, p))?.lossDB ?? 0
                }
            }
            perCallUs.append(seconds(t) / Double(callsPerBatch) * 1e6)
        }
    }
    perCallUs.sort()
    let median = perCallUs[perCallUs.count / 2]

    // The same through the array-taking entry point (one array borrow per call, no copy).
    var arrayUs: [Double] = []
    for _ in 0..<5 {
        let t = clock.measure {
            for _ in 0..<callsPerBatch { sink += (try? ITM.pointToPoint(profile: profile, p))?.lossDB ?? 0 }
        }
        arrayUs.append(seconds(t) / Double(callsPerBatch) * 1e6)
    }
    arrayUs.sort()

    // Area mode (no terrain analysis).
    var areaUs: [Double] = []
    for _ in 0..<5 {
        let t = clock.measure {
            for i in 0..<callsPerBatch {
                sink +=
                    (try? ITM.area(
                        distanceKm: 10 + Double(i % 100), deltaHM: 90, txSiting: .random,
                        rxSiting: .careful, p))?.lossDB ?? 0
            }
        }
        areaUs.append(seconds(t) / Double(callsPerBatch) * 1e6)
    }
    areaUs.sort()

    // Δh alone (D1THX: resampling to 245 points, fit, interdecile) on 64 seeded random-walk profiles of 600
    // points at 30 m, the length of a coverage cell's profile at 18 km.
    var state: UInt64 = 3
    func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / 9_007_199_254_740_992 - 0.5 }
    let walks: [[Double]] = (0..<64).map { _ in
        var z = 100.0;
        return (0..<600).map { _ in
            z += 8 * next(); return z
        }
    }
    var dhUs: [Double] = []
    for _ in 0..<7 {
        let t = clock.measure {
            for i in 0..<callsPerBatch {
                walks[i % 64].withUnsafeBufferPointer { sink += ITM.terrainIrregularityM(elevationsM: $0, spacingM: 30, fromM: 450, toM: 17_980) }
            }
        }
        dhUs.append(seconds(t) / Double(callsPerBatch) * 1e6)
    }
    dhUs.sort()
    if sink.isNaN { print("") } // keep the work observable
    return [
        (name: "itm_p2p_\(profile.elevationsM.count)pt_\(source)_buffer", value: median, unit: "us/call"),
        (name: "itm_p2p_\(profile.elevationsM.count)pt_\(source)_profile", value: arrayUs[arrayUs.count / 2], unit: "us/call"),
        (name: "itm_area", value: areaUs[areaUs.count / 2], unit: "us/call"),
        (name: "itm_delta_h_600pt", value: dhUs[dhUs.count / 2], unit: "us/call")
    ]
}

/// NTIA's first reference profile when available, else a synthetic one of the same size.
private func itmBenchmarkProfile() -> (TerrainProfile, String) {
    let roots = referenceDir().map { [$0] } ?? []
    for root in roots {
        let url = root.appendingPathComponent("propagation/itm/pfls.csv")
        guard let text = try? String(contentsOf: url, encoding: .utf8),
            let first = text.split(whereSeparator: \.isNewline).first
        else { continue }
        let v = first.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        if v.count >= 4, v.count == Int(v[0]) + 3 {
            return (TerrainProfile(elevationsM: Array(v[2...]), spacingM: v[1]), "ntia")
        }
    }
    // Synthetic: 3,680 points at 99.978 m, rolling hills (deterministic).
    var h = [Double](repeating: 0, count: 3680)
    var state: UInt64 = 0x9E3779B97F4A7C15
    var z = 300.0
    for i in 0..<h.count {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        z += (Double(state >> 11) / Double(1 << 53) - 0.5) * 8
        h[i] = z + 60 * sin(Double(i) / 150)
    }
    return (TerrainProfile(elevationsM: h, spacingM: 99.97805), "synthetic")
}

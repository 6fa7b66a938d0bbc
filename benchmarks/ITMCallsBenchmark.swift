// ITM point-to-point calls on real terrain (`benchmarks itm-calls`): µs per call, single thread, on
//  - NTIA's 2,350-path differential set (Tests/Fixtures/propagation/itm/differential: SRTM profiles of 3–2,000
//    points with the set's own radio parameters), and
//  - 2,000 of the batch benchmark's real profiles (1–15 km at 30 m, 34–500 points, 900 MHz, 30 m / 1.5 m, the
//    defaults of `tanso pathloss`): the profiles coverage and `tanso pathloss` feed ITM.
// Figures: the median over repeats of the mean time per call of a pass over the set.
//
// `TANSO_ITM_PASSES=N` sets the number of timed passes (default 7), so that callgrind can count instructions per
// call by differencing two runs; `TANSO_ITM_SET=differential`, `real` or `prepared` times one set only (`prepared`: the real profiles with
// the parameters prepared once and the loss-only entry point, as coverage and `tanso pathloss` call ITM). `TANSO_ITM_DUMP=FILE` writes every call's loss, mode, warnings and intermediates
// as the bit patterns of the Doubles (one line per call), so that two builds can be compared bit for bit (`cmp`).
import Foundation
import Propagation

func runITMCallsBenchmark() -> [(name: String, value: Double, unit: String)] {
    guard let cases = itmCallCases() else {
        print("itm-calls skipped: Tests/Fixtures not found (run from the project root or set TANSO_REFERENCE_DIR)")
        return []
    }
    let env = ProcessInfo.processInfo.environment
    let passes = max(0, Int(env["TANSO_ITM_PASSES"] ?? "") ?? 7)
    if let path = env["TANSO_ITM_DUMP"] { dumpITMCalls(cases.differential + cases.real, to: path) }
    var figures: [(name: String, value: Double, unit: String)] = []
    let only = env["TANSO_ITM_SET"] // "differential" or "real": time one set only
    for (name, set) in [("differential_2350", cases.differential), ("real_2000x30m", cases.real)]
    where passes > 0 && (only == nil || name.hasPrefix(only!)) {
        let us = medianMicrosecondsPerCall(set, passes: passes)
        let points = set.reduce(0) { $0 + $1.h.count } / max(set.count, 1)
        print(String(format: "itm-calls %@: %d calls, %d points on average: %.3f µs per call (median of %d passes)", name, set.count, points, us, passes))
        figures.append(("itm_calls_\(name)_us_per_call", us, "us/call"))
    }
    // As coverage and `tanso pathloss` call it: the parameters prepared once, the loss without intermediates.
    if passes > 0 && (only == nil || only == "prepared"), let p = cases.real.first?.p, let q = try? ITM.Prepared(p) {
        let us = medianMicrosecondsPerCall(cases.real, passes: passes) {
            (try? ITM.pointToPointLoss(elevationsM: $0, spacingM: $1, q))?.lossDB ?? 0
        }
        print(String(format: "itm-calls real_2000x30m, prepared, loss only: %.3f µs per call (median of %d passes)", us, passes))
        figures.append(("itm_calls_real_2000x30m_prepared_loss_us_per_call", us, "us/call"))
    }
    return figures
}

private struct ITMCall {
    var h: [Double]
    var spacingM: Double
    var p: ITM.Parameters
}

private func medianMicrosecondsPerCall(
    _ set: [ITMCall], passes: Int, call: ((UnsafeBufferPointer<Double>, Double) -> Double)? = nil
) -> Double {
    var sink = 0.0
    var perCall: [Double] = []
    for _ in 0..<passes {
        let t0 = DispatchTime.now().uptimeNanoseconds
        for c in set {
            sink += c.h.withUnsafeBufferPointer {
                call?($0, c.spacingM) ?? (try? ITM.pointToPoint(elevationsM: $0, spacingM: c.spacingM, c.p))?.lossDB ?? 0
            }
        }
        perCall.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3 / Double(set.count))
    }
    if sink.isNaN { print("") } // keep the work observable
    perCall.sort()
    return perCall[perCall.count / 2]
}

/// One line per call: the bit patterns of every Double of the result (or the error code).
private func dumpITMCalls(_ set: [ITMCall], to path: String) {
    var out = ""
    for c in set {
        do {
            let r = try c.h.withUnsafeBufferPointer { try ITM.pointToPoint(elevationsM: $0, spacingM: c.spacingM, c.p) }
            let im = r.intermediates
            let values = [
                r.lossDB, im.horizonAngleRad.tx, im.horizonAngleRad.rx, im.horizonDistanceM.tx, im.horizonDistanceM.rx,
                im.effectiveHeightM.tx, im.effectiveHeightM.rx, im.smoothEarthHorizonDistanceM.tx,
                im.smoothEarthHorizonDistanceM.rx, im.surfaceRefractivityNs, im.effectiveEarthCurvaturePerM,
                im.groundImpedanceReal, im.groundImpedanceImag, im.terrainIrregularityM, im.referenceAttenuationDB,
                im.freeSpaceLossDB, im.distanceKm, im.systemElevationM, im.maxLineOfSightDistanceM, im.scatterDistanceM
            ]
            out += "\(r.mode.rawValue) \(r.warnings.rawValue) " + values.map { String($0.bitPattern, radix: 16) }.joined(separator: " ") + "\n"
        } catch let e as ModelInputError {
            out += "error \(e.code)\n"
        } catch {
            out += "error\n"
        }
    }
    try? Data(out.utf8).write(to: URL(fileURLWithPath: path))
}

private func itmCallCases() -> (differential: [ITMCall], real: [ITMCall])? {
    guard let ref = referenceDir() else { return nil }
    var differential: [ITMCall] = []
    for part in 1...4 {
        let url = ref.appendingPathComponent("propagation/itm/differential/paths-\(part).csv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 15, let call = differentialCall(f) else { continue } // invalid codes: not timed
            differential.append(call)
        }
    }
    guard let rows = try? bigTujungaRows(count: 2_000) else { return nil }
    let real = rows.compactMap { row -> ITMCall? in
        guard let s = Double(row.fields["spacing_m"] ?? "") else { return nil }
        let h = (row.fields["elevations_m"] ?? "").split(separator: " ").compactMap { Double($0) }
        let p = ITM.Parameters(
            frequencyMHz: 900, txHeightM: 30, rxHeightM: 1.5, polarization: .vertical, climate: .continentalTemperate,
            mdvar: 12, timePct: 50, locationPct: 50, situationPct: 50)
        return ITMCall(h: h, spacingM: s, p: p)
    }
    return (differential, real)
}

/// A row of paths-N.csv (id, f, h_tx, h_rx, polarization, climate, N_0, ε_r, σ, time, location, situation, mdvar,
/// spacing, heights); nil when a code is out of range.
private func differentialCall(_ f: [String]) -> ITMCall? {
    let d = f.map { Double($0) }
    guard let fMHz = d[1], let htx = d[2], let hrx = d[3], let climateCode = Int(f[5]),
        let climate = ITM.Climate(rawValue: climateCode), let n0 = d[6], let eps = d[7], let sigma = d[8],
        let t = d[9], let l = d[10], let s = d[11], let mdvar = Int(f[12]), let spacing = d[13]
    else { return nil }
    let pol: ITM.Polarization
    switch f[4] {
    case "vertical", "1": pol = .vertical
    case "horizontal", "0": pol = .horizontal
    default: return nil
    }
    let h = f[14].split(separator: " ").compactMap { Double($0) }
    let p = ITM.Parameters(
        frequencyMHz: fMHz, txHeightM: htx, rxHeightM: hrx, polarization: pol, climate: climate,
        surfaceRefractivityN0: n0, relativePermittivity: eps, conductivitySPerM: sigma, mdvar: mdvar,
        timePct: t, locationPct: l, situationPct: s)
    return ITMCall(h: h, spacingM: spacing, p: p)
}

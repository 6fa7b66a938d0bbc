// Compliance and candidates (issue 7):
// 1. 100,000 point villages against composite rasters of 3 operators × 4 technologies on the sample province's
//    100 m grid (938 × 1170 cells): metric conversion, covered flags, nearest site, figures per unit and targets.
//    Target ≤ 2 s.
// 2. tanso candidates on the sample province: the uncovered villages of the demo network (Hata), 2,000 candidate
//    sites (existing towers of other operators first, then a grid), 3 sectors of 4G 700 MHz each through the
//    coverage engine, greedy picks. Target ≤ 60 s on 2 cores.
import Foundation
import Analysis
import Geo
import Radio
import Records

func runComplianceBenchmark() throws -> [(name: String, value: Double, unit: String)] {
    var figures: [(name: String, value: Double, unit: String)] = []
    // 1. Villages.
    let spec = try GridSpec.utm(west: 106.75, south: 10.55, east: 107.60, north: 11.60, resolutionM: 100)
    var keys: [ServiceKey] = [], layers: [[Float]] = []
    var seed: UInt64 = 20261122
    func rand() -> Double { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Double(seed >> 11) / Double(1 << 53) }
    var txs: [Transmitter] = []
    let bw: [Technology: Double] = [.gsm: 0.2, .umts: 5, .lte: 10, .nr: 100]
    for op in ["MobiFone", "Viettel", "VinaPhone"] {
        for tech in [Technology.gsm, .umts, .lte, .nr] {
            keys.append(ServiceKey(op, tech))
            let a = rand() * 0.02, b = rand() * 0.02
            layers.append(
                (0..<spec.cellCount).map { i in
                    let r = i / spec.width, c = i % spec.width
                    let v = -90 + 25 * sin(Double(r) * a) * cos(Double(c) * b)
                    return v < -110 ? CoverageResult.nodata : Float(v)
                })
        }
        for s in 0..<50 {
            txs.append(
                Transmitter(
                    id: "\(op)-\(s)", siteID: "\(op)-\(s)", operatorName: op, technology: .lte, latitude: 10.55 + rand() * 1.05,
                    longitude: 106.75 + rand() * 0.85, antennaHeightM: 30, frequencyMHz: 700, bandwidthMHz: bw[.lte]!,
                    eirpDBm: 60, azimuthDeg: nil))
        }
    }
    let carriers = keys.map { ServiceCarrier(bandwidthMHz: bw[$0.technology]!, frequencyMHz: 2000, source: "benchmark") }
    let service = ServiceLayers(spec: spec, keys: keys, totalDBm: layers, transmitters: txs, carriers: carriers)
    let villages = (0..<100_000).map { i in
        Village(
            id: "V\(i)", name: "V\(i)", commune: "C\(i % 400)", district: "D\(i % 11)", latitude: 10.56 + rand() * 1.03,
            longitude: 106.76 + rand() * 0.83, population: 100 + Int(rand() * 3000))
    }
    var times: [Double] = []
    var result: ComplianceResult? = nil
    for _ in 0..<3 {
        let t0 = Date()
        result = try ComplianceAnalysis.run(
            layers: service, villages: villages, zones: [], admin: nil, targets: .plan,
            settings: ComplianceSettings())
        times.append(Date().timeIntervalSince(t0))
    }
    let p = result!.units(.province)[0]
    print(
        "compliance: 100,000 villages × \(keys.count) services on \(spec.width)×\(spec.height) cells, \(result!.units.count) units: best of 3 \(String(format: "%.3f", times.min()!)) s (4G/5G share \(String(format: "%.3f", p.targets[0].share ?? 0)))"
    )
    figures.append((name: "compliance_100k_villages_12_services_s", value: times.min()!, unit: "s"))

    // 2. Candidates on the sample province.
    var report = LoadReport()
    let sampleTx = try TransmitterLoader.load("data/transmitters.csv", report: &report)
    let sampleVillages = try VillageLoader.load("data/villages.csv", report: &report)
    var study = CoverageStudy(west: 106.75, south: 10.55, east: 107.60, north: 11.60)
    let t0 = Date()
    let coverage = try CoverageEngine.run(study: study, transmitters: sampleTx, dem: nil)
    let status = try VillageCompliance.evaluate(sampleVillages, layers: ServiceLayers(result: coverage), settings: ComplianceSettings())
    let uncovered = sampleVillages.indices.filter { !status[$0].covered(by: [.lte, .nr], keys: coverage.serviceDBm.keys.sorted()) }.map { sampleVillages[$0] }
    print("candidates: sample network coverage \(String(format: "%.1f", Date().timeIntervalSince(t0))) s; \(uncovered.count) villages without 4G/5G")
    var candidates = CandidatePlanner.candidates(
        transmitters: sampleTx, excludingOperator: "Viettel", villages: uncovered,
        gridKm: 1.5, radiusKm: 10)
    let existing = candidates.filter { $0.kind == .existing }.count
    candidates = CandidatePlanner.candidates(
        transmitters: sampleTx, excludingOperator: "Viettel", villages: uncovered,
        gridKm: 1.5, radiusKm: 10, maxNew: 2000 - existing)
    var config = SectorConfiguration()
    config.operatorName = "Viettel"
    study.maxRadiusKm = 10
    study.floorDBm = -140
    let t1 = Date()
    let covers = try CandidatePlanner.coverage(
        of: candidates, villages: uncovered, configuration: config, study: study,
        dem: nil, thresholds: .defaults)
    let picks = CandidatePlanner.greedy(
        candidates: candidates, covers: covers, populations: uncovered.map(\.population),
        maxSites: 30, preferExisting: 0.8)
    let seconds = Date().timeIntervalSince(t1)
    let uncoveredPop = uncovered.reduce(0) { $0 + $1.population }
    print(
        "candidates: \(candidates.count) sites (\(existing) existing towers), 30 picks cover \(picks.last?.cumulativePopulation ?? 0) of \(uncoveredPop) people in \(String(format: "%.1f", seconds)) s on \(ProcessInfo.processInfo.activeProcessorCount) cores"
    )
    figures.append((name: "candidates_2000_sites_s", value: seconds, unit: "s"))
    figures.append(
        (name: "candidates_30_picks_population_share", value: Double(picks.last?.cumulativePopulation ?? 0) / Double(max(1, uncoveredPop)), unit: "share"))
    return figures
}

import XCTest
import Foundation
import Radio
import Records
import Geo
import TestSupport
@testable import Analysis

/// Monitoring against the register: the planted violations of the sample, each tolerance rule at its edge, the
/// frequency index against brute force, and sweep detection.
final class MonitoringTests: XCTestCase {
    func sample(_ name: String) -> String { ReferenceData.projectRoot().appendingPathComponent(name).path }

    func sampleAssignments() throws -> [Assignment] {
        var report = LoadReport()
        return try AssignmentLoader.load(sample("data/assignments.csv"), report: &report)
    }

    /// planted.csv rows of one source as (kind, station, assignment).
    func planted(_ source: String) throws -> Set<String> {
        let rows = try SimpleCSV.rows(URL(fileURLWithPath: sample("data/monitoring/planted.csv")))
        return Set(rows.filter { $0["source"] == source }.map { "\($0["kind"]!)|\($0["station_id"]!)|\($0["assignment_id"] ?? "")" })
    }

    func keys(_ findings: [MonitoringFinding]) -> Set<String> { Set(findings.map { "\($0.kind.rawValue)|\($0.stationID)|\($0.assignmentID ?? "")" }) }

    func testEveryPlantedViolationInTheSampleEmissionsIsFoundAndNothingElse() throws {
        var report = LoadReport()
        let emissions = try EmissionLoader.load(sample("data/monitoring/emissions.csv"), report: &report)
        let result = MonitoringCorrelation().run(emissions: emissions, assignments: try sampleAssignments())
        let want = try planted("emissions.csv")
        XCTAssertEqual(Set(MonitoringFindingKind.allCases.map(\.rawValue)), Set(want.map { String($0.split(separator: "|")[0]) }), "each kind is planted")
        // Equal sets: every planted violation with its kind and assignment, and no finding on an honest emission.
        XCTAssertEqual(keys(result.findings), want)
        XCTAssertEqual(result.findings.count, want.count, "one finding per planted violation (repeated measurements merged)")
        print("sample emissions: \(emissions.count), findings \(result.findings.count), planted \(want.count)")
    }

    func testThePlantedViolationsInTheSampleSweepsAreFound() throws {
        let assignments = try sampleAssignments()
        let reader = try SweepReader(path: sample("data/monitoring/sweeps.csv"))
        var acc: SweepAccumulator?
        let settings = MonitoringSettings()
        try reader.forEachSweep { sw in
            if acc == nil {
                acc = SweepAccumulator(
                    stationID: sw.stationID, frequenciesMHz: sw.frequenciesMHz, unit: sw.unit,
                    channels: OccupancyChannels.make(lowMHz: 97, highMHz: 104, assignments: assignments, bandPlan: .vietnamDefault, channelKHz: 100),
                    settings: settings)
            }
            acc!.add(levels: sw.levels, timestamp: sw.timestamp, latitude: sw.latitude, longitude: sw.longitude, heightM: sw.antennaHeightM)
        }
        let summary = try XCTUnwrap(acc).finish()
        XCTAssertEqual(summary.sweeps, 40)
        // Every FM channel of the register between 97 and 104 MHz that MON-BH can receive (its strongest assignment
        // above the detection threshold; FM-40 at 97.8 merges with FM-10 at 97.7, 100 kHz apart), FM-04 planted
        // 50 kHz off at 101.25, and the intermittent unlicensed carrier at 100.6.
        XCTAssertEqual(
            summary.emissions.map { ($0.frequencyMHz * 100).rounded() / 100 },
            [97.2, 97.7, 98.5, 99.2, 99.7, 100.2, 100.6, 101.0, 101.25, 101.7, 102.2, 102.7, 103.2])
        let result = MonitoringCorrelation().run(
            emissions: summary.emissions, assignments: assignments, measuredRanges: ["MON-BH": 97...104])
        XCTAssertEqual(keys(result.findings), try planted("sweeps.csv"))
        let occupancy = Dictionary(summary.channels.map { ($0.name, $0.occupancyPct) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(occupancy["FM-01"], 100)
        XCTAssertEqual(occupancy["FM broadcasting 100.6000"]!, 60, accuracy: 12.5, "on the air in about 60 % of the sweeps")
        // 400 kHz from any carrier: noise alone, above the threshold in at most 2 of the 40 sweeps.
        XCTAssertLessThanOrEqual(try XCTUnwrap(occupancy["FM broadcasting 98.1000"]), 5)
    }

    // MARK: tolerance rules at their edges

    static let station = (lat: 10.95, lon: 106.90)

    func assignment(
        _ id: String, service: String, mhz: Double, khz: Double, designator: String? = nil, lat: Double = 10.97, lon: Double = 106.92
    ) throws -> Assignment {
        Assignment(
            id: id, stationID: "ST-\(id)", licensee: "L", service: service, latitude: lat, longitude: lon,
            tx: Channel(centreMHz: mhz, bandwidthKHz: khz), emission: try designator.map { try EmissionDesignator(parsing: $0) },
            antennaHeightM: 40, eirpDBm: 60)
    }

    func emission(_ mhz: Double, khz: Double, level: Double, uncertaintyHz: Double = 0, levelUncertainty: Double = 0) -> MonitoredEmission {
        MonitoredEmission(
            stationID: "M", latitude: Self.station.lat, longitude: Self.station.lon, antennaHeightM: 10, timestamp: "t", frequencyMHz: mhz,
            bandwidthKHz: khz, levelDBuVm: level, frequencyUncertaintyHz: uncertaintyHz, levelUncertaintyDB: levelUncertainty)
    }

    func kinds(_ e: MonitoredEmission, _ a: [Assignment], settings: MonitoringSettings = MonitoringSettings()) -> [MonitoringFindingKind] {
        MonitoringCorrelation(settings: settings).run(emissions: [e], assignments: a).findings.filter { $0.kind != .notHeard }.map(\.kind)
    }

    func testOffFrequencyAtEachToleranceEdge() throws {
        let m = MonitoringCorrelation()
        // (service, MHz, channel kHz, tolerance Hz by RR Appendix 2)
        let cases: [(String, Double, Double, Double)] = [
            ("broadcast_fm", 98.5, 200, 2000), ("land_mobile", 160.1, 12.5, 160.1 * 15), ("land_mobile", 300, 12.5, 300 * 7),
            ("land_mobile", 450.2, 12.5, 450.2 * 5), ("broadcast_tv", 506, 8000, 500), ("mobile", 1842.5, 20000, 1842.5 * 20)
        ]
        for (service, f, bw, tolHz) in cases {
            let a = try assignment("A", service: service, mhz: f, khz: bw)
            XCTAssertEqual(m.toleranceHz(a), tolHz, accuracy: 1e-6, service)
            let level = m.predictedDBuVm(a, latitude: Self.station.lat, longitude: Self.station.lon, heightM: 10).level
            for sign in [1.0, -1.0] {
                let inside = emission(f + sign * (tolHz - 1) / 1e6, khz: bw * 0.9, level: level)
                let outside = emission(f + sign * (tolHz + 1) / 1e6, khz: bw * 0.9, level: level)
                XCTAssertEqual(kinds(inside, [a]), [], "\(service) \(sign * (tolHz - 1)) Hz is within tolerance")
                XCTAssertEqual(kinds(outside, [a]), [.offFrequency], "\(service) \(sign * (tolHz + 1)) Hz is beyond tolerance")
                // The stated measurement uncertainty widens the allowance by exactly its value.
                let u = 300.0
                XCTAssertEqual(kinds(emission(f + sign * (tolHz + u - 1) / 1e6, khz: bw * 0.9, level: level, uncertaintyHz: u), [a]), [], service)
                XCTAssertEqual(kinds(emission(f + sign * (tolHz + u + 1) / 1e6, khz: bw * 0.9, level: level, uncertaintyHz: u), [a]), [.offFrequency], service)
            }
        }
    }

    func testExcessBandwidthAtTheToleranceEdgeUsesTheDesignator() throws {
        // Designator 16K0F3E: necessary 16 kHz although the channel is 25 kHz wide; +10 % → 17.6 kHz.
        let a = try assignment("A", service: "land_mobile", mhz: 160.1, khz: 25, designator: "16K0F3E")
        let level = MonitoringCorrelation().predictedDBuVm(a, latitude: Self.station.lat, longitude: Self.station.lon, heightM: 10).level
        XCTAssertEqual(kinds(emission(160.1, khz: 17.59, level: level), [a]), [])
        XCTAssertEqual(kinds(emission(160.1, khz: 17.61, level: level), [a]), [.excessBandwidth])
        // Without a designator the assignment's bandwidth_khz is the necessary bandwidth: 25 → 27.5 kHz.
        let b = try assignment("B", service: "land_mobile", mhz: 160.1, khz: 25)
        XCTAssertEqual(kinds(emission(160.1, khz: 27.49, level: level), [b]), [])
        XCTAssertEqual(kinds(emission(160.1, khz: 27.51, level: level), [b]), [.excessBandwidth])
        var s = MonitoringSettings()
        s.bandwidthTolerancePct = 0
        XCTAssertEqual(kinds(emission(160.1, khz: 25.01, level: level), [b], settings: s), [.excessBandwidth])
    }

    func testOverLevelAtKSigma() throws {
        let a = try assignment("A", service: "broadcast_fm", mhz: 98.5, khz: 200)
        let m = MonitoringCorrelation()
        let predicted = m.predictedDBuVm(a, latitude: Self.station.lat, longitude: Self.station.lon, heightM: 10).level
        let limit = 3 * 5.5
        XCTAssertEqual(kinds(emission(98.5, khz: 180, level: predicted + limit - 0.01), [a]), [])
        XCTAssertEqual(kinds(emission(98.5, khz: 180, level: predicted + limit + 0.01), [a]), [.overLevel])
        XCTAssertEqual(kinds(emission(98.5, khz: 180, level: predicted + limit + 1.99, levelUncertainty: 2), [a]), [])
        // A calibration σ replaces the default.
        let calibrated = MonitoringCorrelation(calibration: ["broadcast_fm": (sigmaDB: 2, biasDB: 0)])
        XCTAssertEqual(calibrated.run(emissions: [emission(98.5, khz: 180, level: predicted + 6.01)], assignments: [a]).findings.map(\.kind), [.overLevel])
        // Lower than predicted is never a finding.
        XCTAssertEqual(kinds(emission(98.5, khz: 180, level: predicted - 40), [a]), [])
    }

    func testUnlicensedWhenNothingReceivableOverlapsAndPredictedLevelDecides() throws {
        let near = try assignment("NEAR", service: "land_mobile", mhz: 160.1, khz: 12.5)
        XCTAssertEqual(kinds(emission(160.1 + 0.025, khz: 10, level: 40), [near]), [.unlicensed], "two channels up: not overlapping")
        // The adjacent channel's emission spills into the assignment's channel widened by the tolerance: matched, off frequency.
        XCTAssertEqual(kinds(emission(160.1 + 0.0125, khz: 10, level: 40), [near]), [.offFrequency])
        // The same assignment 140 km away is not receivable (predicted below the threshold): unlicensed too.
        let far = try assignment("FAR", service: "land_mobile", mhz: 160.1, khz: 12.5, lat: 12.2)
        let m = MonitoringCorrelation()
        XCTAssertLessThan(m.predictedDBuVm(far, latitude: Self.station.lat, longitude: Self.station.lon, heightM: 10).level, 20)
        XCTAssertEqual(kinds(emission(160.1, khz: 10, level: 40), [far]), [.unlicensed])
        let findings = m.run(emissions: [emission(160.1, khz: 10, level: 40)], assignments: [far]).findings
        XCTAssertNil(findings.first?.assignmentID)
    }

    func testNotHeardNeedsTheMarginAndNoEmissionOnTheChannel() throws {
        let a = try assignment("A", service: "land_mobile", mhz: 160.5, khz: 12.5)
        let b = try assignment("B", service: "land_mobile", mhz: 160.1, khz: 12.5)
        let m = MonitoringCorrelation()
        let pa = m.predictedDBuVm(a, latitude: Self.station.lat, longitude: Self.station.lon, heightM: 10).level
        XCTAssertGreaterThan(pa, 35)
        // Heard B and something at 160.8: A (160.5) lies in the measured range and is silent.
        let heard = [emission(160.1, khz: 10, level: pa), emission(160.8, khz: 10, level: 30)]
        let r = m.run(emissions: heard, assignments: [a, b])
        XCTAssertEqual(r.findings.filter { $0.kind == .notHeard }.map(\.assignmentID), ["A"])
        XCTAssertEqual(r.findings.first { $0.kind == .notHeard }!.expected!, pa, accuracy: 1e-9)
        // With the margin above A's predicted level less the threshold, it is not listed.
        var s = MonitoringSettings()
        s.notHeardMarginDB = pa - s.detectionThresholdDBuVm + 0.01
        XCTAssertTrue(MonitoringCorrelation(settings: s).run(emissions: heard, assignments: [a, b]).findings.allSatisfy { $0.kind != .notHeard })
        // An emission on A's channel (within tolerance) makes it heard.
        let r2 = m.run(emissions: heard + [emission(160.5 + 0.002, khz: 10, level: pa)], assignments: [a, b])
        XCTAssertTrue(r2.findings.allSatisfy { $0.kind != .notHeard })
    }

    // MARK: the frequency index

    func testFrequencyIndexMatchesBruteForce() throws {
        var rng = SplitMix64(seed: 18)
        let services = ["broadcast_fm", "land_mobile", "mobile", "fixed"]
        var assignments: [Assignment] = []
        for k in 0..<1000 {
            let s = services[k % 4]
            let f =
                s == "broadcast_fm"
                ? rng.uniform(88, 108) : s == "land_mobile" ? rng.uniform(150, 170) : s == "mobile" ? rng.uniform(1800, 1880) : rng.uniform(7000, 7100)
            let bw = s == "broadcast_fm" ? 200 : s == "land_mobile" ? 12.5 : s == "mobile" ? 5000 : 28000
            assignments.append(
                Assignment(
                    id: "A\(k)", stationID: "S\(k)", licensee: "L", service: s, latitude: rng.uniform(10.5, 11.5), longitude: rng.uniform(106.5, 107.5),
                    tx: Channel(centreMHz: f, bandwidthKHz: bw), antennaHeightM: 30, eirpDBm: rng.uniform(30, 70)))
        }
        var emissions: [MonitoredEmission] = []
        for k in 0..<600 {
            let a = assignments[Int(rng.uniform(0, 1000))]
            let f = k % 3 == 0 ? rng.uniform(80, 2000) : a.tx.centreMHz + rng.uniform(-1, 1) * a.tx.bandwidthKHz / 1000
            emissions.append(
                MonitoredEmission(
                    stationID: "M\(k % 7)", latitude: rng.uniform(10.5, 11.5), longitude: rng.uniform(106.5, 107.5), antennaHeightM: 10, timestamp: "t\(k)",
                    frequencyMHz: f, bandwidthKHz: a.tx.bandwidthKHz * rng.uniform(0.5, 1.2), levelDBuVm: 50))
        }
        let m = MonitoringCorrelation()
        let result = m.run(emissions: emissions, assignments: assignments)
        let unlicensed = Set(result.findings.filter { $0.kind == .unlicensed }.map { "\($0.stationID)|\($0.frequencyMHz)" })
        var expected: Set<String> = []
        for e in emissions {
            let lo = e.frequencyMHz - e.bandwidthKHz / 2000, hi = e.frequencyMHz + e.bandwidthKHz / 2000
            let any = assignments.contains { a in
                let w = m.toleranceHz(a) / 1e6
                guard a.tx.lowMHz - w <= hi, a.tx.highMHz + w >= lo else { return false }
                guard Geodesy.distanceKm(a.latitude, a.longitude, e.latitude, e.longitude) <= m.settings.maxDistanceKm else { return false }
                return m.predictedDBuVm(a, latitude: e.latitude, longitude: e.longitude, heightM: e.antennaHeightM).level >= m.settings.detectionThresholdDBuVm
            }
            if !any { expected.insert("\(e.stationID)|\(e.frequencyMHz)") }
        }
        XCTAssertEqual(unlicensed, expected)
        XCTAssertLessThan(Double(result.candidatePairs), 0.05 * Double(emissions.count * assignments.count), "the index visits a small share of all pairs")
        print("index: \(result.candidatePairs) candidate pairs of \(emissions.count * assignments.count); \(expected.count) unlicensed")
    }

    func testResultsDoNotDependOnThreads() throws {
        var report = LoadReport()
        let emissions = try EmissionLoader.load(sample("data/monitoring/emissions.csv"), report: &report)
        var one = MonitoringSettings()
        one.threads = 1
        var four = MonitoringSettings()
        four.threads = 4
        let a = try sampleAssignments()
        XCTAssertEqual(
            MonitoringCorrelation(settings: one).run(emissions: emissions, assignments: a).findings,
            MonitoringCorrelation(settings: four).run(emissions: emissions, assignments: a).findings)
    }

    // MARK: sweep detection

    func syntheticSweeps(count: Int, bins: Int, _ body: (Int, inout [Float]) -> Void) -> [[Float]] {
        (0..<count).map { k in
            var v = [Float](repeating: 0, count: bins)
            body(k, &v)
            return v
        }
    }

    func testSweepDetectionFloorOccupancyAndEmissions() throws {
        let bins = 200
        let f = (0..<bins).map { 100.0 + 0.025 * Double($0) }
        var rng = SplitMix64(seed: 1753)
        // Noise 10 dB ± 1 (normal); a continuous carrier at bins 50–57 (40 dB); one at 120–125 (35 dB) in 30 % of the sweeps.
        let sweeps = syntheticSweeps(count: 500, bins: bins) { k, v in
            for b in 0..<bins { v[b] = Float(10 + rng.normal()) }
            for b in 50...57 { v[b] = 40 }
            if k % 10 < 3 { for b in 120...125 { v[b] = 35 } }
        }
        let channels = [
            OccupancyChannel(name: "A", channel: Channel(centreMHz: f[53] + 0.0125, bandwidthKHz: 200)),
            OccupancyChannel(name: "B", channel: Channel(centreMHz: f[122] + 0.0125, bandwidthKHz: 150)),
            OccupancyChannel(name: "free", channel: Channel(centreMHz: f[170], bandwidthKHz: 100))
        ]
        func summary(threads: Int, block: Bool) -> SweepSummary {
            let acc = SweepAccumulator(
                stationID: "S", frequenciesMHz: f, unit: .dBuVm, channels: channels, settings: MonitoringSettings(), threads: threads, blockSweeps: 64)
            if block {
                let flat = sweeps.flatMap { $0 }
                flat.withUnsafeBufferPointer { acc.add(block: $0, count: sweeps.count) }
            } else {
                for s in sweeps { s.withUnsafeBufferPointer { acc.add(levels: $0) } }
            }
            return acc.finish()
        }
        let s = summary(threads: 2, block: false)
        // Floor of a noise bin: the 10th percentile of N(10, 1) is 10 − 1.2816; histogram cells of 0.25 dB.
        let noiseFloors = (0..<bins).filter { !(50...57).contains($0) && !(120...125).contains($0) }.map { s.floorDBuVm[$0] }
        let worst = noiseFloors.map { abs($0 - (10 - 1.2816)) }.max()!
        print("noise floor: largest deviation from 8.72 dB over \(noiseFloors.count) bins: \(worst) dB")
        XCTAssertLessThan(worst, 0.5)
        // The continuous carrier's floor comes from its neighbourhood, not from itself.
        XCTAssertLessThan(s.floorDBuVm[53], 9.5)
        XCTAssertEqual(s.emissions.count, 2)
        XCTAssertEqual(s.emissions[0].frequencyMHz, (f[50] + f[57]) / 2, accuracy: 1e-9)
        XCTAssertEqual(s.emissions[0].bandwidthKHz, 8 * 25 * 0.99, accuracy: 1e-6, "99 % of a flat 8-bin spectrum")
        XCTAssertEqual(s.emissions[1].frequencyMHz, (f[120] + f[125]) / 2, accuracy: 1e-9)
        XCTAssertEqual(s.emissions[1].levelDBuVm, 35, accuracy: 0.25)
        let occ = Dictionary(s.channels.map { ($0.name, $0.occupancyPct) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(occ["A"], 100)
        XCTAssertEqual(occ["B"], 30)
        XCTAssertLessThan(occ["free"]!, 1)
        // Same counts on one thread, and through the block kernel.
        for other in [summary(threads: 1, block: false), summary(threads: 2, block: true)] {
            XCTAssertEqual(other.floorDBuVm, s.floorDBuVm)
            XCTAssertEqual(other.occupancyPct, s.occupancyPct)
            XCTAssertEqual(other.channels.map(\.occupancyPct), s.channels.map(\.occupancyPct))
        }
    }
}

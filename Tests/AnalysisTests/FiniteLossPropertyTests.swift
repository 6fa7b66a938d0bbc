// Property: every model of `tanso pathloss` (and so of the coverage engine, which calls the same ProfileModel),
// and the vectorised Hata kernel of the coverage engine, gives a finite loss or a named input error, never NaN or
// infinity, on thousands of seeded random inputs that include the edges: 3–5 profile points, paths of 100 m,
// flat, spiky, sea and cliff profiles, heights and frequencies at the ends of each model's range (and beyond,
// where the answer must be the model's range error). Issue 15, item 2.
import Foundation
import XCTest
@testable import Analysis
import Propagation
import TestSupport

final class FiniteLossPropertyTests: XCTestCase {
    /// Seed of the whole run; a failure prints the model, the case number and the row, which reproduce it.
    static let seed: UInt64 = 20_261_204

    func testEveryPathLossModelGivesAFiniteLossOrANamedError() {
        var rng = SeededGenerator(seed: Self.seed)
        var failures: [String] = []
        var summary: [String] = []
        for model in PathLossModelID.allCases {
            let cases = [.p1812, .p452, .p1546].contains(model) ? 600 : 2_000
            var finite = 0, rejected = 0
            for i in 0..<cases {
                let row = Self.randomRow(model: model, rng: &rng)
                do {
                    let r = try PathLossBatch.compute(row, model: model)
                    if r.lossDB.isFinite {
                        finite += 1
                    } else {
                        failures.append("\(model.rawValue) case \(i): loss \(r.lossDB) for \(Self.describe(row))")
                    }
                } catch is PathLossInputError {
                    rejected += 1
                } catch is ModelInputError {
                    rejected += 1
                } catch {
                    failures.append("\(model.rawValue) case \(i): \(type(of: error)) \(error) for \(Self.describe(row))")
                }
            }
            summary.append("\(model.rawValue) \(finite) finite / \(rejected) rejected")
            // Each model must mostly be driven inside its range, or the property says little about its branches.
            XCTAssertGreaterThan(finite, cases / 4, "\(model.rawValue): too few valid cases drawn (\(finite) of \(cases))")
        }
        print("finite-loss property (seed \(Self.seed)): " + summary.joined(separator: ", "))
        XCTAssert(
            failures.isEmpty,
            "\(failures.count) non-finite or unnamed outcomes; first ones:\n"
                + failures.prefix(40).joined(separator: "\n"))
    }

    /// The single-precision Hata/COST-231 kernel of the coverage engine over its whole input domain (the engine
    /// passes distances ≥ 1 m).
    func testHataCoverageKernelIsFiniteOverItsDomain() throws {
        var rng = SeededGenerator(seed: Self.seed ^ 0x4A7A)
        var bad: [String] = []
        for _ in 0..<400 {
            let variant: Hata.Variant = rng.chance(0.5) ? .okumuraHata : .cost231
            let f =
                variant == .okumuraHata
                ? rng.pick([150, 1500, rng.uniform(150, 1500)])
                : rng.pick([1500, 2000, rng.uniform(1500, 2000)])
            guard
                let setup = try? Hata.Setup(
                    variant: variant, environment: rng.pick([.urban, .suburban, .open]),
                    citySize: rng.pick([.smallMedium, .large]), frequencyMHz: f,
                    baseHeightM: rng.pick([30, 200, rng.uniform(30, 200)]),
                    mobileHeightM: rng.pick([1, 10, rng.uniform(1, 10)]))
            else { continue }
            let d: [Float] = (0..<256).map { _ in Float(rng.pick([0.001, 1e5, rng.logUniform(0.001, 1e5)])) }
            var out = [Float](repeating: .nan, count: d.count)
            d.withUnsafeBufferPointer { dp in out.withUnsafeMutableBufferPointer { Hata.lossDB(distancesKm: dp, setup: setup, into: $0) } }
            for (k, v) in out.enumerated() where !v.isFinite { bad.append("\(variant) f \(f) d \(d[k]) km → \(v)") }
        }
        XCTAssert(bad.isEmpty, "non-finite kernel values: \(bad.prefix(5))")
    }

    // MARK: - Case generation

    static func number(_ x: Double) -> String { String(format: "%.6f", x) }

    static func randomRow(model: PathLossModelID, rng: inout SeededGenerator) -> PathLossRow {
        var f: [String: String] = ["id": "x"]
        // Profile: 3–5 points often, else up to 1,200; 100 m to 100 km.
        let n = rng.chance(0.3) ? rng.pick([3, 4, 5]) : Int(rng.uniform(6, 1200))
        let lengthKm = rng.pick([0.1, 100, rng.logUniform(0.1, 100)])
        let spacing = lengthKm * 1000 / Double(n - 1)
        let shape = rng.pick(["flat", "sea", "spiky", "rolling", "cliff", "valley"])
        var h = [Double](repeating: 0, count: n)
        var z = rng.uniform(0, 1500)
        for i in 0..<n {
            switch shape {
            case "flat": h[i] = 120
            case "sea": h[i] = 0
            case "spiky": h[i] = rng.chance(0.2) ? rng.uniform(0, 2500) : rng.uniform(0, 50)
            case "cliff": h[i] = i < n / 2 ? 0 : 1800
            case "valley": h[i] = abs(Double(i) - Double(n) / 2) * 3000 / Double(n)
            default: z = max(0, z + rng.uniform(-40, 40)); h[i] = z
            }
        }
        f["spacing_m"] = number(spacing)
        f["elevations_m"] = h.map { String(format: "%.1f", $0) }.joined(separator: " ")
        let edges: [Double] = [20, 30, 100, 150, 300, 400, 1500, 2000, 3000, 4000, 6000, 20000, 50000, 100000]
        f["frequency_mhz"] = number(rng.chance(0.5) ? rng.pick(edges) : rng.logUniform(20, 100000))
        f["tx_height_m"] = number(rng.chance(0.5) ? rng.pick([0.5, 1, 1.5, 10, 30, 200, 1000, 3000]) : rng.uniform(0.5, 300))
        f["rx_height_m"] = number(rng.chance(0.5) ? rng.pick([0.5, 1, 1.5, 3, 10, 30, 1000, 3000]) : rng.uniform(0.5, 30))
        f["polarization"] = rng.pick(["horizontal", "vertical"])
        switch model {
        case .itm:
            f["climate"] = String(rng.pick([1, 2, 3, 4, 5, 6, 7]))
            f["n0"] = number(rng.pick([250, 301, 400, rng.uniform(250, 400)]))
            f["permittivity"] = number(rng.pick([1, 4, 15, 80, rng.uniform(1, 100)]))
            f["conductivity_s_per_m"] = number(rng.pick([0.00001, 0.001, 0.005, 5, rng.logUniform(0.00001, 10)]))
            for c in ["time_pct", "location_pct", "situation_pct"] {
                f[c] = number(rng.pick([0.01, 0.1, 1, 10, 50, 90, 99, 99.9, 99.99, rng.uniform(0.01, 99.99)]))
            }
            f["mdvar"] = String(rng.pick([0, 1, 2, 3]) + rng.pick([0, 10, 20, 30]))
        case .p526:
            f["k_factor"] = number(rng.pick([0.5, 1, 4.0 / 3.0, 4, 100]))
        case .hata, .cost231:
            f["environment"] = rng.pick(["urban", "suburban", "open"])
            f["city_size"] = rng.pick(["small", "large"])
        case .ehata:
            f["environment"] = rng.pick(["urban", "suburban", "rural"])
        case .p1812, .p452:
            let lat = rng.uniform(8, 23), lon = rng.uniform(102, 110)
            let bearing = rng.uniform(0, 2 * Double.pi)
            f["tx_lat"] = number(lat); f["tx_lon"] = number(lon)
            f["rx_lat"] = number(lat + lengthKm / 111.2 * cos(bearing))
            f["rx_lon"] = number(lon + lengthKm / 111.2 * sin(bearing) / cos(lat * .pi / 180))
            f["time_pct"] = number(
                model == .p452
                    ? rng.pick([0.001, 0.01, 1, 10, 50, rng.uniform(0.001, 50)])
                    : rng.pick([1, 10, 50, rng.uniform(1, 50)]))
            f["location_pct"] = number(rng.pick([1, 50, 99, rng.uniform(1, 99)]))
            f["dn"] = number(rng.pick([0, 40, 50, 100, rng.uniform(0, 100)]))
            f["n0"] = number(rng.pick([300, 365, 400, rng.uniform(300, 400)]))
            if rng.chance(0.3) { f["zones"] = (0..<n).map { _ in rng.pick(["sea", "coastal", "inland"]) }.joined(separator: " ") }
            if rng.chance(0.3) { f["clutter_heights_m"] = (0..<n).map { _ in rng.pick(["0", "10", "20", "30"]) }.joined(separator: " ") }
        case .p1546:
            f["time_pct"] = number(rng.pick([1, 10, 50, rng.uniform(1, 50)]))
            f["location_pct"] = number(rng.pick([1, 50, 99, rng.uniform(1, 99)]))
            f["environment"] = rng.pick(["rural", "open", "suburban", "urban", "dense_urban", "sea"])
            f["path_type"] = rng.pick(["land", "sea", "cold_sea", "warm_sea"])
        case .tr38901RMa, .tr38901UMa, .tr38901UMi:
            f["los"] = rng.pick(["los", "nlos"])
            f["building_height_m"] = number(rng.pick([5, 50, rng.uniform(5, 50)]))
            f["street_width_m"] = number(rng.pick([5, 50, rng.uniform(5, 50)]))
        case .fspl:
            break
        }
        return PathLossRow(fields: f)
    }

    static func describe(_ row: PathLossRow) -> String {
        row.fields.sorted { $0.key < $1.key }.map { k, v in "\(k)=\(v.count > 120 ? String(v.prefix(120)) + "…" : v)" }
            .joined(separator: " ")
    }
}

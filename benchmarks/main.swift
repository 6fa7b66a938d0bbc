// Benchmarks: times the engine on fixed scenarios and writes the figures as JSON (benchmarks/results/latest.json).
// Run: swift run -c release benchmarks
import Foundation
import Propagation

// `swift run -c release benchmarks [NAME...]` runs the named groups (default: all): hata itm p1812 p526 p452 conflicts batch pathloss-command scenario-a-command viewshed compliance share-check coverage.
// `coverage-exact` adds the exact (one profile per cell) method to the coverage scenario: slow.
let wanted = Set(CommandLine.arguments.dropFirst())
func want(_ name: String) -> Bool { wanted.isEmpty || wanted.contains(name) }

var figures: [(name: String, value: Double, unit: String)] = []
if want("hata") { figures += runHataBenchmark() }
if want("itm") { figures += runITMBenchmark() }
if wanted.contains("itm-calls") { figures += runITMCallsBenchmark() } // ITM on real terrain; TANSO_ITM_DUMP for bit comparisons
if want("p1812") { figures += runP1812Benchmark() }
if want("p526") { figures += runP526Benchmark() }
if want("p452") { figures += runP452Benchmark() }
if want("conflicts") { figures += runConflictsBenchmark() }
if want("batch") { figures += runPathLossBatchBenchmark() }
if want("scenario-a-command") { do { figures += try runScenarioACommandBenchmark() } catch { print("scenario A command benchmark failed: \(error)") } }
if want("scenario-a-fixed") { do { figures += try runScenarioAFixedCostsBenchmark() } catch { print("scenario A fixed costs benchmark failed: \(error)") } }
if want("pathloss-command") { do { figures += try runPathLossCommandBenchmark() } catch { print("pathloss command benchmark failed: \(error)") } }
if want("viewshed") { do { figures += try runViewshedBenchmark() } catch { print("viewshed benchmark failed: \(error)") } }
if want("compliance") { do { figures += try runComplianceBenchmark() } catch { print("compliance benchmark failed: \(error)") } }
if want("monitor") { figures += runMonitorBenchmark() }
if want("broadcast") { do { figures += try runBroadcastBenchmark() } catch { print("broadcast benchmark failed: \(error)") } }
if want("share-check") { do { figures += try runShareCheckBenchmark() } catch { print("share-check benchmark failed: \(error)") } }
if want("interference") { do { figures += try runInterferenceBenchmark() } catch { print("interference benchmark failed: \(error)") } }
if want("measurements") { do { figures += try runMeasurementsBenchmark() } catch { print("measurements benchmark failed: \(error)") } }
if want("digest") { figures += runDigestBenchmark() }
if want("store") { do { figures += try runStoreBenchmark() } catch { print("store benchmark failed: \(error)") } }
if wanted.contains("scenario-b") || wanted.contains("scenario-b-itm") || wanted.contains("scenario-b-p526") {
    // Not in the default set: minutes of work. `scenario-b` runs Hata; `scenario-b-p526`, `scenario-b-itm` add those.
    // TANSO_SCENARIO_B_SKIP_HATA=1 leaves Hata out (to time or profile the terrain models alone).
    var models = ProcessInfo.processInfo.environment["TANSO_SCENARIO_B_SKIP_HATA"] == "1" ? [String]() : ["hata"]
    if wanted.contains("scenario-b-p526") { models.append("p526") }
    if wanted.contains("scenario-b-itm") { models.append("itm") }
    do { figures += try runScenarioBBenchmark(models: models) } catch { print("scenario B failed: \(error)") }
}
if wanted.contains("province-bands") { do { figures += try runProvinceBandsBenchmark() } catch { print("province bands benchmark failed: \(error)") } }
if wanted.contains("conflicts-1m") { figures += runConflictsBenchmark(count: 1_000_000) } // not default: 1 M assignments
if wanted.contains("read-assignments") { figures += runReadAssignmentsBenchmark() } // not default: OGR vs bytes on a 1 M register
if wanted.contains("national") {
    // Not in the default set: minutes of work (one national tile with ITM at 30 m).
    do { figures += try runNationalBenchmark() } catch { print("national benchmark failed: \(error)") }
}
if want("coverage") || wanted.contains("coverage-exact") {
    do { figures += try runCoverageBenchmark(includeExact: wanted.contains("coverage-exact")) } catch { print("coverage benchmark failed: \(error)") }
}

// Figures of the groups run now replace theirs in latest.json; the figures of groups not run are kept, so running
// one group never erases the others' record.
let out = URL(fileURLWithPath: "benchmarks/results/latest.json")
var merged: [String: Any] = [:]
if let data = try? Data(contentsOf: out), let old = try? JSONSerialization.jsonObject(with: data) as? [String: Any] { merged = old }
for f in figures { merged[f.name] = ["value": Double(String(format: "%.4g", f.value)) ?? f.value, "unit": f.unit] }
var json = "{\n"
json += merged.keys.sorted().map { key -> String in
    let entry = merged[key] as? [String: Any] ?? [:]
    let value = (entry["value"] as? Double).map { String(format: "%.4g", $0) } ?? "null"
    return "  \"\(key)\": {\"value\": \(value), \"unit\": \"\(entry["unit"] as? String ?? "")\"}"
}.joined(separator: ",\n")
json += "\n}\n"
for f in figures { print("\(f.name): \(String(format: "%.4g", f.value)) \(f.unit)") }
try? FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
try? json.write(to: out, atomically: true, encoding: .utf8)

// Benchmarks: times the engine on fixed scenarios and writes the figures as JSON (benchmarks/results/latest.json).
// Run: swift run -c release benchmarks
import Foundation
import Propagation

var figures: [(name: String, value: Double, unit: String)] = []
figures += runHataBenchmark()
figures += runITMBenchmark()
figures += runP1812Benchmark()
figures += runP452Benchmark()
figures += runPathLossBatchBenchmark()

var json = "{\n"
json += figures.map { "  \"\($0.name)\": {\"value\": \(String(format: "%.4g", $0.value)), \"unit\": \"\($0.unit)\"}" }.joined(separator: ",\n")
json += "\n}\n"
for f in figures { print("\(f.name): \(String(format: "%.4g", f.value)) \(f.unit)") }
let out = URL(fileURLWithPath: "benchmarks/results/latest.json")
try? FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
try? json.write(to: out, atomically: true, encoding: .utf8)

// Reading a 1 M-row assignment register (issue 21): OGR's path (UTF-8 check, OGR's CSV driver into features,
// rows parsed on every core) against the CSV read as bytes (`AssignmentLoader.load` on a UTF-8 .csv), each in a
// child process of its own (this binary again, TANSO_READ_CHILD=ogr|bytes) for its wall time and peak resident
// memory, alternating, three times each. `benchmarks read-assignments` (not in the default set); the register is
// TANSO_READ_REGISTER or else the conflicts-1m register generated into a temporary folder.
import Foundation
import Geo
import Radio
import Records

func runReadAssignmentsBenchmark() -> [(name: String, value: Double, unit: String)] {
    let env = ProcessInfo.processInfo.environment
    if let mode = env["TANSO_READ_CHILD"], let path = env["TANSO_READ_REGISTER"] { readAssignmentsChild(mode: mode, path: path) }
    var generated: URL? = nil
    defer { if let generated { try? FileManager.default.removeItem(at: generated) } }
    let path: String
    if let given = env["TANSO_READ_REGISTER"] {
        path = given
    } else {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tanso-bench-read-\(getpid())")
        generated = dir
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            path = dir.appendingPathComponent("register.csv").path
            try Data(registerCSV(syntheticRegister(count: 1_000_000)).utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            print("read-assignments benchmark: \(error)")
            return []
        }
    }
    var best: [String: (seconds: Double, peakMB: Double, rows: Int)] = [:]
    for round in 1...3 {
        for mode in ["ogr", "bytes"] {
            guard let r = readAssignmentsInChild(mode: mode, path: path) else { return [] }
            print(String(format: "read-assignments round %d, %@: %d rows, %.2f s, %.0f MB peak", round, mode, r.rows, r.seconds, r.peakMB))
            if best[mode] == nil || r.seconds < best[mode]!.seconds { best[mode] = r }
        }
    }
    guard let ogr = best["ogr"], let bytes = best["bytes"] else { return [] }
    return [
        ("read_assignments_1m_ogr_s", ogr.seconds, "s"), ("read_assignments_1m_ogr_peak_mb", ogr.peakMB, "MB"),
        ("read_assignments_1m_bytes_s", bytes.seconds, "s"), ("read_assignments_1m_bytes_peak_mb", bytes.peakMB, "MB")
    ]
}

/// Runs this binary as a child reading `path` one way; its printed line parsed.
private func readAssignmentsInChild(mode: String, path: String) -> (seconds: Double, peakMB: Double, rows: Int)? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    p.arguments = ["read-assignments"]
    var env = ProcessInfo.processInfo.environment
    env["TANSO_READ_CHILD"] = mode
    env["TANSO_READ_REGISTER"] = path
    p.environment = env
    let out = Pipe()
    p.standardOutput = out
    do { try p.run() } catch {
        print("read-assignments child: \(error)")
        return nil
    }
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    let words = text.split(whereSeparator: \.isWhitespace)
    guard p.terminationStatus == 0, words.count == 4, words[0] == "read", let rows = Int(words[1]), let s = Double(words[2]), let mb = Double(words[3]) else {
        print("read-assignments child \(mode) failed (\(p.terminationStatus)): \(text.prefix(400))")
        return nil
    }
    return (s, mb, rows)
}

/// The child: reads the register one way, prints "read ROWS SECONDS PEAK_MB" and exits.
private func readAssignmentsChild(mode: String, path: String) -> Never {
    var report = LoadReport()
    let t0 = DispatchTime.now().uptimeNanoseconds
    do {
        let rows: [Assignment]
        if mode == "ogr" {
            try InputText.checkUTF8(path, kind: .records)
            rows = try AssignmentLoader.load(rows: VectorReader.read(path), source: path, report: &report)
        } else {
            rows = try AssignmentLoader.load(path, report: &report)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print("read \(rows.count) \(seconds) \(Double(usage.ru_maxrss) / 1024)")
        exit(0)
    } catch {
        print("read failed: \(error)")
        exit(1)
    }
}

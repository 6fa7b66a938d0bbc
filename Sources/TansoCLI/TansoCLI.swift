// The `tanso` command line: parse, build a study, call the library, report. No domain logic here.
import Foundation
import Geo
import Records
import Analysis
import Propagation
import Radio

public enum TansoCLI {
    struct Command {
        let name: String
        let summary: String
        let run: ([String]) throws -> Int32
    }

    static let version = "0.1.0"

    static var commands: [Command] {
        [
            Command(name: "demo", summary: "run the whole coverage job on the sample province in data/", run: DemoCommand.run),
            Command(name: "coverage", summary: "coverage rasters, polygons and village figures for transmitters over an area", run: CoverageCommand.run),
            Command(name: "merge", summary: "combine sharded coverage runs (--shard I/N) into the products of a single run", run: MergeCommand.run),
            Command(name: "villages", summary: "villages below a threshold on any single-band dBm raster", run: VillagesCommand.run),
            Command(
                name: "compliance", summary: "figures per commune, district and province against the coverage targets; HTML report", run: ComplianceCommand.run),
            Command(
                name: "candidates", summary: "rank candidate sites (shared towers first, then new sites) by the uncovered population they would cover",
                run: CandidatesCommand.run),
            Command(
                name: "conflicts", summary: "register checks: co/adjacent-channel conflicts, intermodulation, duplicates, out of plan",
                run: ConflictsCommand.run),
            Command(
                name: "share-check", summary: "check a tower-sharing proposal (new tower or co-location): coverage gain, interference, exposure, verdict",
                run: ShareCheckCommand.run),
            Command(
                name: "interference", summary: "rank the register's likely culprits of an interference complaint (all mechanisms, exact)",
                run: InterferenceCommand.run),
            Command(
                name: "locate", summary: "locate an unknown emitter from measured levels (and bearings): estimate, likelihood, 95 % region",
                run: LocateCommand.run),
            Command(name: "measurements", summary: "compare drive-test measurements with a model's predictions; HTML report", run: MeasurementsCommand.run),
            Command(name: "calibrate", summary: "fit a model to measurements: offset, slope, clutter losses; spatial hold-out", run: CalibrateCommand.run),
            Command(
                name: "monitor", summary: "monitoring data against the register: unlicensed, off-frequency, over-wide, over-level, not heard",
                run: MonitorCommand.run),
            Command(name: "broadcast", summary: "the broadcasting plan in field strength: service areas, breaches", run: BroadcastCommand.run),
            Command(name: "channels", summary: "free-channel finder: every channel for a proposed station, both directions, ranked", run: ChannelsCommand.run),
            Command(name: "web", summary: "an interactive map of a run's products as a static site (Leaflet; open index.html)", run: WebCommand.run),
            Command(name: "pathloss", summary: "path loss of terrain profiles (batch CSV) or of one link over a DEM", run: PathLossCommand.run),
            Command(
                name: "store", summary: "the shared register on GeoPackage or PostgreSQL/PostGIS: init, import, export, diff (history, roles, audit)",
                run: StoreCommand.run),
            Command(name: "sample", summary: "regenerate the sample province (vector files and DEM)", run: SampleCommand.run)
        ]
    }

    static var mainHelp: String {
        var s = """
            tanso \(version): radio-spectrum and telecom-infrastructure analysis

            Usage: tanso <command> [options]     (tanso <command> --help for each)

            Commands:

            """
        // The summaries in one column after the longest name (at least two spaces after every name).
        let column = max(12, (commands.map(\.name.count).max() ?? 0) + 2)
        for c in commands { s += "  " + c.name.padding(toLength: column, withPad: " ", startingAt: 0) + c.summary + "\n" }
        s += """

            Exit codes: 0 success, 1 bad input (the message names file, row, column and value), 2 usage error.

            \(limitsHelp)

            Examples:
              tanso demo
              tanso coverage --transmitters data/transmitters.csv --villages data/villages.csv \\
                             --dem out/demo/dem.tif --output out/mine
              tanso villages --coverage out/mine/best_signal_dbm.tif --villages data/villages.csv \\
                             --threshold-dbm -95 --output out/mine/uncovered.csv
            """
        return s
    }

    /// Runs the tool with `arguments` (including the program name) and returns the exit code.
    public static func main(_ arguments: [String]) -> Int32 {
        let args = Array(arguments.dropFirst())
        guard let first = args.first else {
            FileHandle.standardError.write(Data(mainHelp.utf8))
            return 2
        }
        if first == "--help" || first == "-h" || first == "help" { print(mainHelp); return 0 }
        if first == "--version" {
            print("tanso \(version) (GDAL \(GeoLibraries.gdalVersion), PROJ \(GeoLibraries.projVersion))")
            return 0
        }
        guard let command = commands.first(where: { $0.name == first }) else {
            let close = commands.map(\.name).min { editDistance($0, first) < editDistance($1, first) }
            let hint = close.map { editDistance($0, first) <= 3 ? " (did you mean '\($0)'?)" : "" } ?? ""
            printError("unknown command '\(first)'\(hint); see 'tanso --help'")
            return 2
        }
        // GDAL's warnings (collected by Geo instead of dropped) reach the user after the command's own output.
        defer { for w in GDALEnvironment.drainWarnings() { printWarning("GDAL: " + ErrorText.sanitize(w)) } }
        defer { reportPeakMemory() }
        do {
            return try command.run(Array(args.dropFirst()))
        } catch let e as UsageError {
            printError("\(ErrorText.sanitize(e.message))\nsee 'tanso \(e.command) --help'")
            return 2
        } catch {
            printError(oneLine(error))
            return 1
        }
    }

    /// One readable line naming the file and the cause (ErrorText).
    static func oneLine(_ error: Error) -> String {
        ErrorText.describe(error)
    }

    /// With TANSO_REPORT_PEAK_RSS set, the peak resident memory of the whole command on stderr (benchmarks and
    /// the bounded-memory tests read it): `tanso: peak resident memory: 123.4 MB`.
    static func reportPeakMemory() {
        guard ProcessInfo.processInfo.environment["TANSO_REPORT_PEAK_RSS"] != nil else { return }
        guard let kb = peakResidentKB() else { return }
        FileHandle.standardError.write(Data(String(format: "tanso: peak resident memory: %.1f MB\n", Double(kb) / 1024).utf8))
    }

    /// This process's peak resident memory, kB: VmHWM of /proc/self/status, the high-water mark of this program's
    /// own address space. (getrusage's ru_maxrss is not: Linux carries the maximum over to the program an exec
    /// starts, and a child spawned with posix_spawn shares its parent's address space until its exec, so a child
    /// of a 500 MB process reported at least 500 MB, whatever it used itself.) ru_maxrss where /proc is missing.
    static func peakResidentKB() -> Int? {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kb = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap({ Int($0) })
        {
            return kb
        }
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return nil }
        return usage.ru_maxrss // Linux reports kilobytes
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("tanso: error: \(message)\n".utf8))
    }

    static func printWarning(_ message: String) {
        FileHandle.standardError.write(Data("tanso: warning: \(message)\n".utf8))
    }

    /// A long step's start and end on stderr, only when stderr is a terminal: "label …" now, then "label: what
    /// (1.2 s)" when the returned closure is called with what it did; nil otherwise.
    static func stage(_ label: String) -> ((String) -> Void)? {
        guard isatty(2) != 0 else { return nil }
        FileHandle.standardError.write(Data("\(label) …\n".utf8))
        let start = Date()
        return { what in
            let s = Date().timeIntervalSince(start)
            FileHandle.standardError.write(Data("\(label): \(what) (\(CSV.fixed(s, decimals: s < 10 ? 2 : 1)) s)\n".utf8))
        }
    }

    /// Progress on stderr, only when stderr is a terminal.
    static func progressHandler(_ label: String) -> ProgressHandler? {
        guard isatty(2) != 0 else { return nil }
        return { fraction in
            let pct = Int((fraction * 100).rounded())
            FileHandle.standardError.write(Data("\r\(label) \(pct) %".utf8) + (fraction >= 1 ? Data("\n".utf8) : Data()))
        }
    }

    /// Resolves and reads every pattern file named by the records before any work, so that a name leading out of
    /// the patterns folder, a missing file or a malformed pattern is an error naming the record and the field
    /// (the file's content is never echoed beyond the capped value of the offending field).
    static func checkPatterns(_ library: AntennaLibrary?, _ records: [(record: String, name: String?)]) throws {
        guard let library else { return }
        for r in records {
            guard let name = r.name?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { continue }
            do { _ = try library.pattern(named: name) } catch {
                throw InputError("\(r.record), field 'antenna_pattern': \(error)")
            }
        }
    }

    /// The `--encoding` option of commands that read record files.
    static let encodingOption = OptionSpec.value(
        "encoding", "NAME",
        "encoding of text record files (CSV, GeoJSON) that are not UTF-8: windows-1258 (cp1258, Vietnamese, tone marks composed to NFC) or latin1 (iso-8859-1); without it such files must be valid UTF-8 (an error names the byte offset and line) [default: utf-8]"
    )

    /// The declared encoding of text record files (`--encoding`), UTF-8 by default.
    static func encoding(_ a: ParsedArguments) throws -> TextEncoding {
        guard let raw = a.string("encoding") else { return .utf8 }
        guard let e = TextEncoding(name: raw.trimmingCharacters(in: .whitespaces)) else {
            throw UsageError(message: "--encoding must be one of \(TextEncoding.names), got '\(InputText.echo(raw))'", command: a.command)
        }
        return e
    }

    /// Prints the rows skipped by `--skip-invalid`.
    static func reportSkipped(_ report: LoadReport, what: String) {
        guard !report.skipped.isEmpty else { return }
        printWarning("skipped \(report.skipped.count) invalid \(what) row(s):")
        for e in report.skipped { FileHandle.standardError.write(Data("  \(e)\n".utf8)) }
    }
}

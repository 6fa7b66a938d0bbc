// The `tanso` executable that `swift test` built beside the test bundle, for end-to-end tests of the command line.
import Foundation

public enum TansoExecutable {
    /// The first `tanso` found next to the test bundle or the test runner.
    public static var url: URL {
        let bundleDir = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [
            Bundle.main.bundleURL.appendingPathComponent("tanso"), bundleDir.appendingPathComponent("tanso"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tanso")
        ]
        where FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        return bundleDir.appendingPathComponent("tanso")
    }
}

/// What a child process printed and how it ended.
public struct ProcessOutput: Sendable {
    public let code: Int32
    public let out: String
    public let err: String
}

/// Runs `executable` with `args` in `directory` (environment: this process's, changed by `environment`) and
/// returns its exit code and output. Standard error is read on another thread while standard output is read here,
/// so that a child filling one pipe never blocks on it.
public func runProcess(_ executable: URL, _ args: [String], in directory: URL, environment: [String: String] = [:]) throws -> ProcessOutput {
    let p = Process()
    p.executableURL = executable
    p.arguments = args
    p.currentDirectoryURL = directory
    if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let o = Pipe(), e = Pipe()
    p.standardOutput = o
    p.standardError = e
    try p.run()
    let errBox = ErrBox()
    let reader = Thread { errBox.set(e.fileHandleForReading.readDataToEndOfFile()) }
    reader.start()
    let outData = o.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let errData = errBox.wait()
    return ProcessOutput(code: p.terminationStatus, out: String(decoding: outData, as: UTF8.self), err: String(decoding: errData, as: UTF8.self))
}

/// The standard-error bytes handed from the reader thread.
private final class ErrBox: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()
    func set(_ d: Data) { data = d; done.signal() }
    func wait() -> Data { done.wait(); return data }
}

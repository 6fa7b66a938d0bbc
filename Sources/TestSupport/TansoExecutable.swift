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

// Large results a command holds until it returns, kept instead until the process exits: freeing a million
// assignments or hundreds of thousands of conflicts object by object (their Strings and arrays) costs a tenth of a
// second or more of a run the user waits for, while the kernel takes the whole address space back at exit at once.
// Only commands run from the command line keep anything (`tanso demo` and tests run several in one process).
import Synchronization

enum ProcessLifetime {
    private static let kept = Mutex<[any Sendable]>([])

    /// Holds `value` until the process exits.
    static func keep(_ value: some Sendable) { kept.withLock { $0.append(value) } }
}

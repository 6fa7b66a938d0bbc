// Work started on another thread now and waited for later: a product written while another is, an input hashed
// while the products are written. Lives in Geo, the module every writer of products builds on.
import Foundation
import Synchronization

/// A computation running on another thread. `value()` waits for it and returns its result or rethrows its error;
/// callers that may throw before asking for the value still wait for it (`wait()`), so that nothing runs on after
/// them.
public final class Background<T: Sendable>: @unchecked Sendable {
    private let result = Mutex<Result<T, any Error>?>(nil)
    private let done = DispatchGroup()

    public init(_ body: @escaping @Sendable () throws -> T) {
        DispatchQueue.global().async(group: done) { [self] in
            let r = Result { try body() }
            result.withLock { $0 = r }
        }
    }

    /// Waits for the computation; its result, or its error rethrown.
    public func value() throws -> T {
        done.wait()
        return try result.withLock { $0! }.get()
    }

    /// Waits for the computation, whatever its outcome.
    public func wait() { done.wait() }
}

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

    /// `onOwnThread`: on a thread of its own, started now, rather than on Dispatch's pool, which starts a block only
    /// when one of its few threads is free: work that another thread waits on at once (a producer) must not queue
    /// behind long computations already running there.
    public init(onOwnThread: Bool = false, _ body: @escaping @Sendable () throws -> T) {
        guard onOwnThread else {
            DispatchQueue.global().async(group: done) { [self] in
                let r = Result { try body() }
                result.withLock { $0 = r }
            }
            return
        }
        done.enter()
        Thread { [self] in
            let r = Result { try body() }
            result.withLock { $0 = r }
            done.leave()
        }.start()
    }

    /// Waits for the computation; its result, or its error rethrown.
    public func value() throws -> T {
        done.wait()
        return try result.withLock { $0! }.get()
    }

    /// Waits for the computation, whatever its outcome.
    public func wait() { done.wait() }
}

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

/// Batches made on a thread of their own and used on the calling thread in order, a few ahead: `slots` reusable
/// slots go round, each handed over once made and handed back once used (the maker then refills it). A failure on
/// either side stops both; the first error (the user's, else the maker's) is thrown once the maker has stopped.
/// (Features made for OGR, `VectorWriter.FeaturePipeline`; GeoPackage rows encoded for SQLite, `GeoPackageRows`.)
enum Handover {
    /// `make(slot, k)` fills `slot` with batch k (k = 0, 1, …) and returns true, or returns false when there is no
    /// batch k (the end). `use(slot, k)` takes batch k on this thread.
    static func run<Slot: Sendable>(
        slots: [Slot], make: @escaping @Sendable (Slot, Int) throws -> Bool, use: (Slot, Int) throws -> Void
    ) throws {
        let ring = Ring(slots: slots.count)
        // On a thread of its own: the user waits for the first batch at once, and Dispatch's threads may all be busy
        // (the CSV beside a GeoPackage, the index plans, the inputs' digests).
        let maker = Background(onOwnThread: true) { () throws -> Void in
            var k = 0
            while true {
                ring.free.wait()
                if ring.isStopped { return }
                let made: Bool
                do { made = try make(slots[k % slots.count], k) } catch {
                    ring.stop()
                    ring.ready.signal()
                    throw error
                }
                if !made { ring.finish(after: k) }
                ring.ready.signal()
                if !made { return }
                k += 1
            }
        }
        var failure: (any Error)? = nil
        var k = 0
        while true {
            ring.ready.wait()
            if ring.isStopped || ring.isFinished(at: k) { break } // the maker failed, or made every batch
            do { try use(slots[k % slots.count], k) } catch {
                failure = error
                ring.stop()
                break
            }
            k += 1
            ring.free.signal()
        }
        // A maker waiting for a slot sees the stop once it gets one.
        if ring.isStopped { for _ in slots { ring.free.signal() } }
        let made = Result { try maker.value() }
        if let failure { throw failure }
        try made.get()
    }

    /// The semaphores that order the slots' hand-overs, the stop, and the number of batches once all are made.
    private final class Ring: Sendable {
        let ready = DispatchSemaphore(value: 0)
        let free = DispatchSemaphore(value: 0)
        private let state = Mutex((stopped: false, batches: Int?.none))
        /// The free slots are signalled, not given as the semaphore's start value: libdispatch traps when a
        /// semaphore is freed below its start value, as this one is when the maker's last wait found the end.
        init(slots: Int) { for _ in 0..<slots { free.signal() } }
        var isStopped: Bool { state.withLock { $0.stopped } }
        func stop() { state.withLock { $0.stopped = true } }
        func finish(after count: Int) { state.withLock { $0.batches = count } }
        func isFinished(at k: Int) -> Bool { state.withLock { $0.batches.map { k >= $0 } ?? false } }
    }
}

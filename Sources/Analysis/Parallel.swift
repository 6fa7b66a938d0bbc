// The coverage engine's parallel loops, with a settable number of worker threads (`tanso coverage --threads N`).
// Unlimited (the default), a loop is Dispatch's `concurrentPerform`; limited to N, N threads take iterations
// i ≡ w (mod N) in turn. The loops write disjoint ranges, so results are the same bytes whatever N is.
import Dispatch
import Foundation

public enum Parallel {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var limit: Int? = nil

    /// Worker threads of the engine's loops: nil for all cores (Dispatch decides).
    public static var threads: Int? {
        get { lock.withLock { limit } }
        set { lock.withLock { limit = newValue.map { max(1, $0) } } }
    }

    /// `body(i)` for every i in 0..<iterations, on `threads` threads.
    public static func perform(iterations: Int, _ body: (Int) -> Void) {
        let workers = min(threads ?? Int.max, iterations)
        if workers <= 1 {
            for i in 0..<iterations { body(i) }
            return
        }
        withoutActuallyEscaping(body) { b in
            // The threads reach the loop body through a box emptied before returning: a thread object may outlive
            // its work, the body must not.
            let box = BodyBox(b)
            defer { box.body = nil }
            if threads == nil {
                DispatchQueue.concurrentPerform(iterations: iterations) { box.body!($0) }
                return
            }
            let done = DispatchGroup()
            for w in 1..<workers {
                done.enter()
                let t = Thread {
                    for i in stride(from: w, to: iterations, by: workers) { box.body!(i) }
                    done.leave()
                }
                t.stackSize = 8 << 20
                t.start()
            }
            for i in stride(from: 0, to: iterations, by: workers) { box.body!(i) }
            done.wait()
        }
    }

    /// `count` copies of `value`, written on all cores when the array is large: the first write to each page of
    /// fresh memory costs the kernel more than the write itself (~2 µs a 4 KiB page on these machines; scenario
    /// B's composite layers are 700 MB).
    static func array<T: BitwiseCopyable>(repeating value: T, count: Int) -> [T] {
        array(count: count) { out, range in out.initialize(repeating: value, count: range.count) }
    }

    /// An array of `count` values, each chunk of 2^18 initialised by `fill(start of the chunk, its range)`, the
    /// chunks on all cores (one chunk: on this thread).
    private static func array<T: BitwiseCopyable>(count: Int, _ fill: (UnsafeMutablePointer<T>, Range<Int>) -> Void) -> [T] {
        let chunk = 1 << 18
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let out = UnsafeSendable(buffer)
            perform(iterations: (count + chunk - 1) / chunk) { c in
                let range = (c * chunk)..<min(count, (c + 1) * chunk)
                fill(out.value.baseAddress! + range.lowerBound, range)
            }
            initialized = count
        }
    }
}

extension Parallel {
    /// `a` sorted ascending: halves sorted on two cores, then merged.
    static func sort(_ a: inout [UInt64]) {
        let count = a.count, mid = count / 2
        guard count >= 1 << 16 else {
            a.sort()
            return
        }
        a.withUnsafeMutableBufferPointer { buffer in
            let halves = UnsafeSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: 2) { h in
                var run = UnsafeMutableBufferPointer(rebasing: halves.value[(h == 0 ? 0 : mid)..<(h == 0 ? mid : count)])
                run.sort()
            }
        }
        a = [UInt64](unsafeUninitializedCapacity: count) { out, initialized in
            a.withUnsafeBufferPointer { a in
                var i = 0, j = mid, k = 0
                while i < mid && j < count {
                    let x = a[i], y = a[j]
                    out[k] = y < x ? y : x
                    if y < x { j += 1 } else { i += 1 }
                    k += 1
                }
                while i < mid { out[k] = a[i]; i += 1; k += 1 }
                while j < count { out[k] = a[j]; j += 1; k += 1 }
            }
            initialized = count
        }
    }
}

private final class BodyBox: @unchecked Sendable {
    var body: ((Int) -> Void)?
    init(_ body: @escaping (Int) -> Void) { self.body = body }
}

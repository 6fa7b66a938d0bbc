import XCTest
import Foundation
@testable import Geo

/// `Background`: the value computed on another thread, its error rethrown, and the work finished before `wait`
/// returns.
final class BackgroundTests: XCTestCase {
    struct Failure: Error, Equatable { let code: Int }

    func testValueErrorAndWait() throws {
        let sum = Background { (1...1000).reduce(0, +) }
        XCTAssertEqual(try sum.value(), 500_500)
        XCTAssertEqual(try sum.value(), 500_500) // asked again: the same value

        let failing = Background<Int> { throw Failure(code: 7) }
        XCTAssertThrowsError(try failing.value()) { XCTAssertEqual($0 as? Failure, Failure(code: 7)) }

        let finished = ManagedFlag()
        let slow = Background<Void> {
            Thread.sleep(forTimeInterval: 0.05)
            finished.set()
        }
        slow.wait()
        XCTAssertTrue(finished.value)
    }

    /// On a thread of its own the work starts at once, even while every thread of Dispatch's pool is held (here by
    /// blocks waiting for a signal that comes only after the work has run); its value and error as before.
    func testOwnThreadStartsWhileDispatchsThreadsAreHeld() throws {
        let held = ProcessInfo.processInfo.activeProcessorCount * 8
        let release = DispatchSemaphore(value: 0), blocks = DispatchGroup()
        for _ in 0..<held { DispatchQueue.global().async(group: blocks) { release.wait() } }
        let ran = DispatchSemaphore(value: 0)
        let own = Background(onOwnThread: true) { () -> Int in
            ran.signal()
            return 42
        }
        let started = ran.wait(timeout: .now() + 20)
        for _ in 0..<held { release.signal() }
        blocks.wait()
        XCTAssertEqual(started, .success, "the work ran while the pool was held")
        XCTAssertEqual(try own.value(), 42)
        let failing = Background<Int>(onOwnThread: true) { throw Failure(code: 9) }
        XCTAssertThrowsError(try failing.value()) { XCTAssertEqual($0 as? Failure, Failure(code: 9)) }
    }
}

/// A flag set from another thread.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.lock(); flag = true; lock.unlock() }
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}

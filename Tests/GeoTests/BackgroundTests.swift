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
}

/// A flag set from another thread.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.lock(); flag = true; lock.unlock() }
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}

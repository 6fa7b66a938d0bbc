import XCTest
@testable import Analysis

/// `Parallel.array`: large arrays are written in chunks of 2^18 on all cores; every element must be written once,
/// with the value, at sizes below, at and across the chunk boundaries, and on 1 and 3 threads.
final class ParallelArrayTests: XCTestCase {
    func testArraysEqualTheirSequentialConstruction() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        for threads in [nil, 1, 3] as [Int?] {
            Parallel.threads = threads
            for count in [0, 1, 1000, 1 << 18, (1 << 18) + 1, 3 << 18, (3 << 18) + 17] {
                XCTAssertEqual(Parallel.array(repeating: Int32(-1), count: count), [Int32](repeating: -1, count: count), "\(count)")
            }
        }
    }
}

// The radial method computes each level's cells radial by radial (`RadialField.byRadial`, a counting sort of the
// cells the bands listed). The order must hold every listed cell once, radials ascending, and within a radial the
// bands' own order (band after band, each band's cells as listed), so that the chunks handed to the threads are
// the same whatever the thread count.
import XCTest
@testable import Analysis

final class RadialOrderTests: XCTestCase {
    func testCellsAreOrderedByRadialKeepingTheBandsOrder() {
        var state: UInt64 = 31
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % n
        }
        let radials = 50
        var serial = 0 // the listing order, in the cell field
        let lists: [[CoverageEngine.RadialPass.Pending]] = (0..<7).map { band in
            (0..<(band == 3 ? 0 : 40 + next(60))).map { _ in
                serial += 1
                return .init(radial: next(radials), cell: serial, first: band % 2 == 0, second: next(2) == 0)
            }
        }
        let ordered = CoverageEngine.RadialField.byRadial(lists, radials: radials)
        XCTAssertEqual(ordered.count, lists.map(\.count).reduce(0, +))
        XCTAssertEqual(Set(ordered.map(\.cell)).count, ordered.count, "each cell once")
        for (a, b) in zip(ordered, ordered.dropFirst()) {
            XCTAssertTrue(a.radial < b.radial || (a.radial == b.radial && a.cell < b.cell), "\(a) before \(b)")
        }
        // The 8-byte packing keeps each field.
        let packed = CoverageEngine.RadialPass.Pending(radial: (1 << 29) - 1, cell: Int(UInt32.max), first: true, second: false)
        XCTAssertEqual(MemoryLayout<CoverageEngine.RadialPass.Pending>.stride, 8)
        XCTAssertEqual(packed.radial, (1 << 29) - 1)
        XCTAssertEqual(packed.cell, UInt32.max)
        XCTAssertTrue(packed.first)
        XCTAssertFalse(packed.second)
        XCTAssertTrue(CoverageEngine.RadialField.byRadial([[], []], radials: 4).isEmpty)
    }
}

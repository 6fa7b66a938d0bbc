import XCTest
@testable import Analysis

/// `ConflictText` writes the numbers of the conflicts' explanations as bytes; each must read exactly as the String
/// functions (`db`, `km`, `khzText`, `mhzText`) that the other reports use write them.
final class ConflictTextTests: XCTestCase {
    func testNumbersReadAsTheStringFunctionsWriteThem() {
        var seed: UInt64 = 11
        func next() -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(seed >> 11) / Double(1 << 53)
        }
        var values: [Double] = [0, -0.0, 0.05, -0.05, 0.25, 9.995, 9.999_999, 10, 12.5, 100, 1e6, 5_945.2, 7_120.000_05, 0.000_5, -3.05]
        for k in 0..<50_000 { values.append((next() - 0.3) * pow(10, Double(k % 8) - 2)) }
        for x in values {
            func text(_ write: (inout ConflictText) -> Void) -> String {
                var t = ConflictText()
                write(&t)
                return t.string
            }
            XCTAssertEqual(text { $0.db(x) }, db(x), "db \(x)")
            XCTAssertEqual(text { $0.km(x) }, km(x), "km \(x)")
            XCTAssertEqual(text { $0.khz(x) }, khzText(x), "kHz \(x)")
            XCTAssertEqual(text { $0.mhz(x) }, mhzText(x), "MHz \(x)")
        }
        var t = ConflictText()
        t.add("Hà Nội ")
        t.add(StaticString("co_channel, "))
        t.mhz(1_800.25)
        XCTAssertEqual(t.string, "Hà Nội co_channel, 1800.25")
    }
}

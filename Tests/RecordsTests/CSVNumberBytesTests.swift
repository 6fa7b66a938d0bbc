import XCTest
import Foundation
@testable import Records

/// `CSV.appendNumber`, `CSV.fixed` and `CSV.appendField` (the bytes of conflicts.csv and the conflicts' texts) against
/// `String(format:)` and `CSV.escape`: the integer rounding of `writeFixedExactly` must give printf's text for every
/// value and every number of decimals it takes (0–9), and printf's beyond them.
final class CSVNumberBytesTests: XCTestCase {
    func text(_ x: Double?, _ decimals: Int) -> String {
        var out: [UInt8] = []
        CSV.appendNumber(x, decimals: decimals, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Values where rounding is decided: exact ties (k/2^n), one ulp on either side of them, −0, negatives that
    /// round to zero, subnormals, the largest values of the integer path and beyond it.
    func testFixedDecimalsMatchPrintfOnTiesAndEdges() {
        var values: [Double] = [0, -0.0, 1e-300, -1e-300, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 0.0005, -0.0005, 0.5, -0.5, 1.5, 2.5]
        for k in 0..<4096 {
            for n in [1, 2, 3, 4, 8, 10, 16] {
                let tie = Double(k) / Double(1 << n)
                values += [tie, -tie, tie.nextUp, tie.nextDown, -tie.nextUp]
            }
            let decimal = Double(k) / 1000 + 0.0005
            values += [decimal, decimal.nextUp, decimal.nextDown, -decimal]
        }
        values += [9_007_199_254_740_991, -9_007_199_254_740_991, 9_007_199_254_740_992, 1e17, 123_456_789.125, 4_503_599_627_370_495.5]
        for x in values {
            for d in 0...10 {
                let printf = String(format: "%.\(d)f", x)
                XCTAssertEqual(text(x, d), printf, "\(x.bitPattern) with \(d) decimals")
                XCTAssertEqual(CSV.fixed(x, decimals: d), printf, "\(x.bitPattern) with \(d) decimals")
            }
        }
    }

    func testFixedDecimalsMatchPrintfOnRandomValues() {
        var seed: UInt64 = 7
        func next() -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return seed
        }
        for i in 0..<200_000 {
            // Random bit patterns (any exponent) and values of the magnitudes conflicts.csv holds.
            let x = i % 2 == 0 ? Double(bitPattern: next()) : (Double(next() >> 11) / Double(1 << 53) - 0.5) * pow(10, Double(i % 9))
            let d = Int(next() % 10)
            let printf = String(format: "%.\(d)f", x)
            // appendNumber leaves non-finite cells empty; fixed spells them as printf does.
            XCTAssertEqual(text(x, d), x.isFinite ? printf : "", "\(x.bitPattern) with \(d) decimals")
            XCTAssertEqual(CSV.fixed(x, decimals: d), printf, "\(x.bitPattern) with \(d) decimals")
        }
        XCTAssertEqual(text(nil, 2), "")
        XCTAssertEqual(text(.nan, 2), "")
        XCTAssertEqual(text(-.infinity, 3), "")
    }

    func testFieldsAreEscapedLikeEscape() {
        let long = String(repeating: "Chứa Chan, \"VOV3\" 97.8 MHz; ", count: 40)
        for s in [
            "", "plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", "\"", "Hà Nội, Việt Nam", ",,", "\"\"\"", "a\"", "\"a", ",\"", long
        ] {
            var out: [UInt8] = []
            CSV.appendField(s, to: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), CSV.escape(s))
        }
    }
}

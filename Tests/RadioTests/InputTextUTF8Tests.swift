import XCTest

@testable import Radio

/// `InputText.firstInvalidUTF8` (run over every CSV read as bytes) against a byte-by-byte validator written from
/// RFC 3629's table, on random text: ASCII runs of every length (so that the eight-byte steps end anywhere),
/// Vietnamese letters, four-byte characters, and one corrupted byte at a random place.
final class InputTextUTF8Tests: XCTestCase {
    /// RFC 3629 §4, one byte at a time.
    static func reference(_ b: [UInt8]) -> Int? {
        var i = 0
        while i < b.count {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let (need, lo, hi): (Int, UInt8, UInt8) =
                switch c {
                case 0xC2...0xDF: (1, 0x80, 0xBF)
                case 0xE0: (2, 0xA0, 0xBF)
                case 0xE1...0xEC, 0xEE, 0xEF: (2, 0x80, 0xBF)
                case 0xED: (2, 0x80, 0x9F)
                case 0xF0: (3, 0x90, 0xBF)
                case 0xF1...0xF3: (3, 0x80, 0xBF)
                case 0xF4: (3, 0x80, 0x8F)
                default: (-1, 0, 0)
                }
            if need < 0 || i + need >= b.count || b[i + 1] < lo || b[i + 1] > hi { return i }
            for k in stride(from: 2, through: need, by: 1) where b[i + k] < 0x80 || b[i + k] > 0xBF { return i }
            i += need + 1
        }
        return nil
    }

    func testSameAsByteByByteValidation() {
        var rng = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = ["a", "12.5,", "Đồng Nai", "ữ", "𝄞", "\u{FEFF}", ",,"].map { Array($0.utf8) }
        var invalid = 0
        for _ in 0..<20_000 {
            var b: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &rng) {
                if Bool.random(using: &rng) {
                    b += [UInt8](repeating: UInt8(ascii: "x"), count: Int.random(in: 0...20, using: &rng))
                } else {
                    b += pieces.randomElement(using: &rng)!
                }
            }
            if !b.isEmpty, Int.random(in: 0..<3, using: &rng) == 0 {
                b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0x80...0xFF, using: &rng)
            }
            let expected = Self.reference(b)
            if expected != nil { invalid += 1 }
            XCTAssertEqual(InputText.firstInvalidUTF8(b), expected, "\(b)")
        }
        XCTAssertGreaterThan(invalid, 1_000) // the corrupted cases were exercised
        XCTAssertEqual(InputText.firstInvalidUTF8(Array("Tổng Công ty Viễn thông".utf8)), nil)
        XCTAssertEqual(InputText.firstInvalidUTF8(Array("abcdefgh".utf8) + [0xED, 0xA0, 0x80]), 8) // a surrogate
    }
}

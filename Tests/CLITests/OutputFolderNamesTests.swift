import Foundation
import XCTest

@testable import Reports

/// The output folder's two helpers that replaced Foundation's ICU-backed classes (to spare every command their
/// set-up): they give what those classes gave.
final class OutputFolderNamesTests: XCTestCase {
    /// `isPartialTemporary` accepts exactly the names the regular expression it replaces accepted.
    func testPartialTemporaryMatchesTheRegularExpression() throws {
        let regex = try NSRegularExpression(pattern: #"^\..+\.partial-[0-9]+-[0-9]+(\.[A-Za-z0-9]+)?(-journal|-wal|-shm|\.aux\.xml)?$"#)
        var names = [
            ".best_signal_dbm.partial-123-456.tif", ".signal_x_4G.partial-7-8.tif", ".a.partial-1-2", ".a.partial-1-2.gpkg-journal",
            ".a.partial-1-2.gpkg-wal", ".a.partial-1-2-shm", ".a.partial-1-2.tif.aux.xml", ".a.partial-1-2.aux.xml",
            ".partial-1-2", "..partial-1-2", "a.partial-1-2", ".a.partial-1-", ".a.partial--2", ".a.partial-1-2.", ".a.partial-1-2.t_f",
            ".a.partial-1-2.tif.xml", ".a.partial-x.partial-1-2.tif", ".a.partial-1-2.partial-3-4", ".a.partial-12-34.tif-journal",
            ".a.partial-1-2.tïf", ".ä.partial-1-2.tif", "", ".", ".a.partial-1-2-wal-wal", "study.json", ".tanso.lock"
        ]
        // And random names: well-formed ones, then the same with one byte changed, inserted or dropped.
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array(".partil-0123456789tfxmjwshu_A")
        func word(_ n: ClosedRange<Int>, _ chars: String) -> String {
            String((0..<Int.random(in: n, using: &rng)).map { _ in chars.randomElement(using: &rng)! })
        }
        for _ in 0..<20_000 {
            var name =
                "." + word(0...6, "ab.-_1") + ".partial-" + word(0...3, "0123456789") + "-" + word(0...3, "0123456789")
                + (Bool.random(using: &rng) ? "." + word(0...4, "tifgpkTIF9_") : "")
                + ["", "-journal", "-wal", "-shm", ".aux.xml", ".xml"].randomElement(using: &rng)!
            var chars = Array(name)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0 where !chars.isEmpty: chars[Int.random(in: 0..<chars.count, using: &rng)] = alphabet.randomElement(using: &rng)!
            case 1: chars.insert(alphabet.randomElement(using: &rng)!, at: Int.random(in: 0...chars.count, using: &rng))
            case 2 where !chars.isEmpty: chars.remove(at: Int.random(in: 0..<chars.count, using: &rng))
            default: break
            }
            name = String(chars)
            names.append(name)
        }
        var accepted = 0
        for name in names {
            let expected = regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
            XCTAssertEqual(OutputTransaction.isPartialTemporary(name), expected, name)
            if expected { accepted += 1 }
        }
        XCTAssertGreaterThan(accepted, 2_000)
        XCTAssertLessThan(accepted, names.count - 2_000)
    }

    /// `timestamp` writes what ISO8601DateFormatter wrote (UTC, seconds, "Z").
    func testTimestampEqualsISO8601DateFormatter() {
        let formatter = ISO8601DateFormatter()
        for seconds in [0.0, 1_796_394_400.9, 951_782_400, 4_102_444_799.5, 1_234_567_890] {
            let date = Date(timeIntervalSince1970: seconds)
            XCTAssertEqual(OutputTransaction.timestamp(date), formatter.string(from: date))
        }
    }
}

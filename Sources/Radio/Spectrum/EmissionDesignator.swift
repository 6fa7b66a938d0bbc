// ITU emission designators (Radio Regulations, Appendix 1): the necessary bandwidth followed by the class of
// emission, e.g. `5M00G7W` (5 MHz, phase modulation, digital multi-channel, combination of information),
// `200KF8E`, `11K0F3E`, `30M0D7W`.
//
// Necessary bandwidth (App. 1 §1): three digits and one letter H, K, M or G in the place of the decimal point
// (Hz, kHz, MHz, GHz); the first character may not be 0, K, M or G (0.1 Hz is `H100`). Class (§2): three
// mandatory symbols (type of modulation of the main carrier, nature of the modulating signal, type of
// information) and two optional ones (details of the signal, nature of multiplexing).
import Foundation

public struct EmissionDesignator: Sendable, Equatable, CustomStringConvertible {
    /// Necessary bandwidth, Hz.
    public let bandwidthHz: Double
    /// The 3 to 5 classification symbols, e.g. "G7W".
    public let emissionClass: String
    /// The designator as written (upper-cased).
    public let text: String

    public var bandwidthKHz: Double { bandwidthHz / 1000 }
    public var description: String { text }

    /// App. 1 §2.1–2.3 and §3: the allowed symbols in each position of the class.
    static let modulation: Set<Character> = ["N", "A", "H", "R", "J", "B", "C", "F", "G", "D", "P", "K", "L", "M", "Q", "V", "W", "X"]
    static let signal: Set<Character> = ["0", "1", "2", "3", "7", "8", "9", "X"]
    static let information: Set<Character> = ["N", "A", "B", "C", "D", "E", "F", "W", "X"]
    static let details: Set<Character> = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "W", "X"]
    static let multiplexing: Set<Character> = ["N", "C", "F", "T", "W", "X"]

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let text: String
        public let reason: String
        public var description: String { "emission designator '\(InputText.echo(text))': \(reason)" }
    }

    /// What a valid designator looks like, for error messages.
    public static let expected =
        "an ITU emission designator: 4-character bandwidth with H/K/M/G as decimal point, then 3–5 class symbols (e.g. 5M00G7W, 200KF8E, 11K0F3E)"

    public init(parsing raw: String) throws {
        let s = raw.trimmingCharacters(in: .whitespaces).uppercased()
        func fail(_ reason: String) -> ParseError { ParseError(text: raw, reason: reason) }
        let chars = Array(s)
        guard (7...9).contains(chars.count) else {
            throw fail("expected 7 to 9 characters (4 for the bandwidth, 3–5 for the class), got \(chars.count)")
        }
        let bw = Array(chars[0..<4])
        let units: [Character: Double] = ["H": 1, "K": 1e3, "M": 1e6, "G": 1e9]
        let letters = bw.enumerated().filter { units[$0.element] != nil }
        guard letters.count == 1, let (pos, unitLetter) = letters.first.map({ ($0.offset, $0.element) }) else {
            throw fail("the bandwidth '\(String(bw))' needs exactly one of H, K, M, G in the place of the decimal point")
        }
        guard bw.enumerated().allSatisfy({ $0.offset == pos || $0.element.isASCII && $0.element.isNumber }) else {
            throw fail("the bandwidth '\(String(bw))' must be digits around one unit letter")
        }
        if bw[0] == "0" || (pos == 0 && unitLetter != "H") {
            throw fail("the bandwidth may not start with 0, K, M or G (App. 1 §1)")
        }
        let intPart = String(bw[0..<pos]), fracPart = String(bw[(pos + 1)...])
        let value = Double((intPart.isEmpty ? "0" : intPart) + "." + (fracPart.isEmpty ? "0" : fracPart))!
        guard value > 0 else { throw fail("the necessary bandwidth is zero") }
        let cls = Array(chars[4...])
        guard Self.modulation.contains(cls[0]) else { throw fail("'\(cls[0])' is not a type of modulation (N A H R J B C F G D P K L M Q V W X)") }
        guard Self.signal.contains(cls[1]) else { throw fail("'\(cls[1])' is not a nature of signal (0 1 2 3 7 8 9 X)") }
        guard Self.information.contains(cls[2]) else { throw fail("'\(cls[2])' is not a type of information (N A B C D E F W X)") }
        if cls.count > 3, !Self.details.contains(cls[3]) { throw fail("'\(cls[3])' is not a detail of signal symbol") }
        if cls.count > 4, !Self.multiplexing.contains(cls[4]) { throw fail("'\(cls[4])' is not a nature of multiplexing (N C F T W X)") }
        bandwidthHz = value * units[unitLetter]!
        emissionClass = String(cls)
        text = s
    }
}

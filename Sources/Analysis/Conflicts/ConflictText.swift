// The conflicts' explanations built as UTF-8 bytes: pieces and numbers appended in place and one String made at the
// end. Hundreds of thousands of explanations are written per national run; interpolating Strings and a String per
// number cost three times as much. The numbers read as `db`, `km`, `khzText` and `mhzText` write them.
import Records

struct ConflictText {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 384) { bytes.reserveCapacity(capacity) }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func add(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    mutating func add(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// `CSV.fixed(x, decimals:)`.
    mutating func fixed(_ x: Double, decimals: Int) {
        if x.isFinite, CSV.appendFixedExactly(x, decimals: decimals, to: &bytes) { return }
        add(CSV.fixed(x, decimals: decimals))
    }

    /// `db(x)`: one decimal.
    mutating func db(_ x: Double) { fixed(x, decimals: 1) }

    /// `km(x)`: two decimals below 10 km, else one.
    mutating func km(_ x: Double) { fixed(x, decimals: x < 10 ? 2 : 1) }

    /// `khzText(x)`: to the hertz, without trailing zeros.
    mutating func khz(_ x: Double) {
        let r = (x * 1000).rounded() / 1000
        if r == r.rounded() { return add(String(Int(r))) }
        fixed(r, decimals: 3)
        while bytes.last == 0x30 { bytes.removeLast() }
    }

    /// `mhzText(x)`: four decimals without trailing zeros (nor a trailing point).
    mutating func mhz(_ x: Double) {
        fixed(x, decimals: 4)
        while bytes.last == 0x30 { bytes.removeLast() }
        if bytes.last == 0x2E { bytes.removeLast() }
    }
}

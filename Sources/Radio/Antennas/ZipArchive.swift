// Minimal ZIP reading with Foundation only, for PAFX antenna archives: the central directory, stored and deflated
// entries (RFC 1951 inflate, written after M. Adler's `puff.c` reference decoder), CRC-32 checked. No ZIP64, no
// encryption, no multi-disk archives (PAFX files are a few kB).
import Foundation

public struct ZipError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

struct ZipArchive {
    struct Entry {
        let name: String
        let method: Int
        let compressedSize: Int
        let uncompressedSize: Int
        let crc32: UInt32
        let localHeaderOffset: Int
    }

    let bytes: [UInt8]
    let entries: [Entry]

    init(_ data: Data) throws {
        bytes = [UInt8](data)
        let b = bytes
        func u16(_ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        // End of central directory: signature 0x06054b50 within the last 64 kB + 22 bytes.
        guard b.count >= 22 else { throw ZipError(message: "not a ZIP archive (too short)") }
        var eocd = -1
        var o = b.count - 22
        while o >= max(0, b.count - 22 - 65_535) {
            if u32(o) == 0x0605_4b50 { eocd = o; break }
            o -= 1
        }
        guard eocd >= 0 else { throw ZipError(message: "not a ZIP archive (no end of central directory)") }
        let count = u16(eocd + 10)
        var p = u32(eocd + 16)
        var list: [Entry] = []
        for _ in 0..<count {
            guard p + 46 <= b.count, u32(p) == 0x0201_4b50 else {
                throw ZipError(message: "damaged ZIP central directory at byte \(p)")
            }
            let nameLen = u16(p + 28), extraLen = u16(p + 30), commentLen = u16(p + 32)
            guard p + 46 + nameLen <= b.count else { throw ZipError(message: "damaged ZIP entry name at byte \(p)") }
            let name = String(decoding: b[(p + 46)..<(p + 46 + nameLen)], as: UTF8.self)
            list.append(Entry(name: name, method: u16(p + 10), compressedSize: u32(p + 20),
                              uncompressedSize: u32(p + 24), crc32: UInt32(u32(p + 16)),
                              localHeaderOffset: u32(p + 42)))
            p += 46 + nameLen + extraLen + commentLen
        }
        entries = list
    }

    func data(of entry: Entry) throws -> [UInt8] {
        let b = bytes
        func u16(_ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
        let o = entry.localHeaderOffset
        guard o + 30 <= b.count, u16(o) | u16(o + 2) << 16 == 0x0403_4b50 else {
            throw ZipError(message: "damaged ZIP local header of \(entry.name)")
        }
        let start = o + 30 + u16(o + 26) + u16(o + 28)
        guard start + entry.compressedSize <= b.count else { throw ZipError(message: "truncated ZIP entry \(entry.name)") }
        let raw = Array(b[start..<(start + entry.compressedSize)])
        let out: [UInt8]
        switch entry.method {
        case 0: out = raw
        case 8:
            // An entry inflates to its declared size and no further; a declared size beyond 64 MB is refused
            // (pattern archives hold kilobytes).
            guard entry.uncompressedSize <= 64 << 20 else {
                throw ZipError(message: "ZIP entry \(entry.name) declares \(entry.uncompressedSize) bytes; at most 64 MB are inflated")
            }
            out = try Inflate.inflate(raw, expectedSize: entry.uncompressedSize, limit: entry.uncompressedSize)
        default: throw ZipError(message: "ZIP entry \(entry.name) uses compression method \(entry.method); only stored (0) and deflate (8) are read")
        }
        guard out.count == entry.uncompressedSize, CRC32.checksum(out) == entry.crc32 else {
            throw ZipError(message: "ZIP entry \(entry.name) fails its size or CRC-32 check")
        }
        return out
    }

    func data(named name: String) throws -> [UInt8]? {
        guard let e = entries.first(where: { $0.name == name })
                ?? entries.first(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
        return try data(of: e)
    }
}

enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for x in bytes { c = table[Int((c ^ UInt32(x)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

/// Raw DEFLATE (RFC 1951) decoder.
enum Inflate {
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int]

        init(lengths: ArraySlice<Int>) throws {
            symbols = [Int](repeating: 0, count: lengths.count)
            for l in lengths { counts[l] += 1 }
            var left = 1
            for len in 1..<16 {
                left <<= 1
                left -= counts[len]
                if left < 0 { throw ZipError(message: "deflate: over-subscribed Huffman code") }
            }
            var offs = [Int](repeating: 0, count: 16)
            for len in 1..<15 { offs[len + 1] = offs[len] + counts[len] }
            for (sym, l) in lengths.enumerated() where l != 0 {
                symbols[offs[l]] = sym
                offs[l] += 1
            }
        }
    }

    struct State {
        let input: [UInt8]
        var pos = 0
        var bitBuffer = 0
        var bitCount = 0
        var out: [UInt8] = []
        /// Output size beyond which inflating stops (a small archive must not inflate to gigabytes).
        var limit = Int.max

        mutating func bits(_ need: Int) throws -> Int {
            var val = bitBuffer
            while bitCount < need {
                guard pos < input.count else { throw ZipError(message: "deflate: unexpected end of data") }
                val |= Int(input[pos]) << bitCount
                pos += 1
                bitCount += 8
            }
            bitBuffer = val >> need
            bitCount -= need
            return val & ((1 << need) - 1)
        }

        mutating func decode(_ h: Huffman) throws -> Int {
            var code = 0, first = 0, index = 0
            for len in 1..<16 {
                code |= try bits(1)
                let count = h.counts[len]
                if code - count < first { return h.symbols[index + (code - first)] }
                index += count
                first += count
                first <<= 1
                code <<= 1
            }
            throw ZipError(message: "deflate: invalid Huffman code")
        }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
                             131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                           2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    static func inflate(_ input: [UInt8], expectedSize: Int = 0, limit: Int = Int.max) throws -> [UInt8] {
        var s = State(input: input)
        s.limit = limit
        s.out.reserveCapacity(min(expectedSize, limit))
        var last = 0
        repeat {
            last = try s.bits(1)
            switch try s.bits(2) {
            case 0: try stored(&s)
            case 1: try codes(&s, fixedLit, fixedDist)
            case 2:
                let (lit, dist) = try dynamicTables(&s)
                try codes(&s, lit, dist)
            default: throw ZipError(message: "deflate: invalid block type")
            }
        } while last == 0
        return s.out
    }

    static func stored(_ s: inout State) throws {
        s.bitBuffer = 0
        s.bitCount = 0
        guard s.pos + 4 <= s.input.count else { throw ZipError(message: "deflate: truncated stored block") }
        let len = Int(s.input[s.pos]) | Int(s.input[s.pos + 1]) << 8
        let nlen = Int(s.input[s.pos + 2]) | Int(s.input[s.pos + 3]) << 8
        guard len == (~nlen & 0xFFFF) else { throw ZipError(message: "deflate: stored block length check failed") }
        s.pos += 4
        guard s.pos + len <= s.input.count else { throw ZipError(message: "deflate: truncated stored block") }
        s.out.append(contentsOf: s.input[s.pos..<(s.pos + len)])
        s.pos += len
        guard s.out.count <= s.limit else { throw ZipError(message: "deflate: entry larger than its declared size") }
    }

    static let fixedLit: Huffman = {
        var l = [Int](repeating: 8, count: 288)
        for i in 144..<256 { l[i] = 9 }
        for i in 256..<280 { l[i] = 7 }
        return try! Huffman(lengths: l[...])
    }()
    static let fixedDist: Huffman = try! Huffman(lengths: [Int](repeating: 5, count: 30)[...])

    static func dynamicTables(_ s: inout State) throws -> (Huffman, Huffman) {
        let nlen = try s.bits(5) + 257, ndist = try s.bits(5) + 1, ncode = try s.bits(4) + 4
        guard nlen <= 286, ndist <= 30 else { throw ZipError(message: "deflate: bad table counts") }
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var lengths = [Int](repeating: 0, count: 320)
        for i in 0..<ncode { lengths[order[i]] = try s.bits(3) }
        let lencode = try Huffman(lengths: lengths[0..<19])
        var index = 0
        while index < nlen + ndist {
            var symbol = try s.decode(lencode)
            if symbol < 16 {
                lengths[index] = symbol
                index += 1
            } else {
                var len = 0
                if symbol == 16 {
                    guard index > 0 else { throw ZipError(message: "deflate: repeat with no previous length") }
                    len = lengths[index - 1]
                    symbol = 3 + (try s.bits(2))
                } else if symbol == 17 {
                    symbol = 3 + (try s.bits(3))
                } else {
                    symbol = 11 + (try s.bits(7))
                }
                guard index + symbol <= nlen + ndist else { throw ZipError(message: "deflate: too many lengths") }
                for _ in 0..<symbol { lengths[index] = len; index += 1 }
            }
        }
        guard lengths[256] != 0 else { throw ZipError(message: "deflate: no end-of-block code") }
        return (try Huffman(lengths: lengths[0..<nlen]), try Huffman(lengths: lengths[nlen..<(nlen + ndist)]))
    }

    static func codes(_ s: inout State, _ lit: Huffman, _ dist: Huffman) throws {
        while true {
            var symbol = try s.decode(lit)
            if symbol < 256 {
                s.out.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                symbol -= 257
                guard symbol < 29 else { throw ZipError(message: "deflate: bad length symbol") }
                let len = lengthBase[symbol] + (try s.bits(lengthExtra[symbol]))
                let dsym = try s.decode(dist)
                guard dsym < 30 else { throw ZipError(message: "deflate: bad distance symbol") }
                let d = distBase[dsym] + (try s.bits(distExtra[dsym]))
                guard d <= s.out.count else { throw ZipError(message: "deflate: distance too far back") }
                let start = s.out.count - d
                for i in 0..<len { s.out.append(s.out[start + i]) }
                guard s.out.count <= s.limit else { throw ZipError(message: "deflate: entry larger than its declared size") }
            }
        }
    }
}

// A COG as GDAL writes it (`RasterGrid.write`), given another band description without encoding its tiles again.
//
// A coverage run with one service writes the same values twice: the best signal, and that service's own layer
// (the best over the same transmitters). The two COGs differ only in the band's description, one item of the
// GDAL_METADATA tag (42112) in the first IFD. GDAL lays both files out alike: the header and IFDs with their
// out-of-line values first (IFDS_BEFORE_DATA), the tag's XML among those values, then the tiles; a longer or
// shorter XML moves everything after it by the difference (word-aligned, as libtiff pads odd-length values). So the
// second file is the first with the XML replaced and every offset beyond it moved: IFD links, out-of-line values,
// tile offsets. Anything else in the file (other byte orders, BigTIFF, sub-IFDs, a description GDAL would escape) makes `replacingDescription` return nil, and the caller writes the file with GDAL.
// The tests compare its result with GDAL's own file byte for byte.
import Foundation

public enum COGDescription {
    /// GDAL_METADATA: GDAL's band and dataset metadata as XML.
    static let metadataTag = 42112
    /// TileOffsets and StripOffsets: file offsets of the image data.
    static let offsetTags: Set<Int> = [273, 324]

    /// `file` (a little-endian classic TIFF written by GDAL) with its first band's description `old` replaced by
    /// `new`; nil when the file is not laid out as expected.
    public static func replacingDescription(in file: [UInt8], _ old: String, with new: String) -> [UInt8]? {
        let b = file
        func u16(_ o: Int) -> Int? { o >= 0 && o + 2 <= b.count ? Int(b[o]) | Int(b[o + 1]) << 8 : nil }
        func u32(_ o: Int) -> Int? {
            guard o >= 0 && o + 4 <= b.count else { return nil }
            return Int(b[o]) | Int(b[o + 1]) << 8 | Int(b[o + 2]) << 16 | Int(b[o + 3]) << 24
        }
        guard b.count >= 8, b[0] == 0x49, b[1] == 0x49, u16(2) == 42, var ifd = u32(4) else { return nil }

        // The IFD chain and every entry: (entry position, tag, type, count, value or offset).
        typealias Entry = (at: Int, tag: Int, type: Int, count: Int, value: Int)
        var ifds: [(at: Int, entries: [Entry], nextAt: Int)] = []
        while ifd != 0 {
            guard ifds.count < 64, !ifds.contains(where: { $0.at == ifd }), let n = u16(ifd) else { return nil }
            var entries: [Entry] = []
            for k in 0..<n {
                let e = ifd + 2 + 12 * k
                guard let tag = u16(e), let type = u16(e + 2), let count = u32(e + 4), let value = u32(e + 8) else { return nil }
                entries.append((e, tag, type, count, value))
            }
            let nextAt = ifd + 2 + 12 * n
            guard let next = u32(nextAt) else { return nil }
            ifds.append((ifd, entries, nextAt))
            ifd = next
        }
        func size(_ type: Int) -> Int? {
            switch type {
            case 1, 2, 6, 7: return 1
            case 3, 8: return 2
            case 4, 9, 11: return 4
            case 5, 10, 12: return 8
            default: return nil
            }
        }
        guard let first = ifds.first,
            let xmlEntry = first.entries.first(where: { $0.tag == metadataTag }), xmlEntry.type == 2, xmlEntry.count > 4,
            xmlEntry.value + xmlEntry.count <= b.count
        else { return nil }
        let x = xmlEntry.value, count = xmlEntry.count
        let xml = Array(b[x..<(x + count)])

        // The description item, its text as it is (GDAL escapes & < > " in ways of its own, twice over here: those
        // are left to GDAL, as are control characters, which it drops).
        let open = Array(#"<Item name="DESCRIPTION" sample="0" role="description">"#.utf8), close = Array("</Item>".utf8)
        guard let start = find(open, in: xml), find(open, in: xml, from: start + 1) == nil,
            let end = find(close, in: xml, from: start + open.count),
            plain(old), plain(new), Array(xml[(start + open.count)..<end]) == Array(old.utf8)
        else { return nil }
        let replacement = Array(new.utf8)
        let newXML = Array(xml[..<(start + open.count)]) + replacement + Array(xml[end...])
        let oldSpan = count + (count & 1), newSpan = newXML.count + (newXML.count & 1) // libtiff's word alignment
        let delta = newSpan - oldSpan
        let after = x + oldSpan // positions from here on move by delta
        guard after <= b.count else { return nil }

        // Nothing else may lie inside the XML's span.
        var positions = [4] + ifds.map(\.at)
        for d in ifds {
            for e in d.entries {
                guard let s = size(e.type) else { return nil }
                if e.tag == 330 || e.tag == 34665 || e.tag == 34853 { return nil } // sub-IFDs, EXIF, GPS
                if offsetTags.contains(e.tag) {
                    guard e.type == 4 else { return nil }
                    if e.count == 1 {
                        positions.append(e.value)
                    } else {
                        for j in 0..<e.count {
                            guard let v = u32(e.value + 4 * j) else { return nil }
                            positions.append(v)
                        }
                    }
                }
                if s * e.count > 4 && !(d.at == first.at && e.tag == metadataTag) { positions.append(e.value) }
            }
        }
        guard positions.allSatisfy({ $0 < x || $0 >= after }) else { return nil }

        var out = Array(b[..<x])
        out.reserveCapacity(b.count + delta)
        out += newXML
        if newXML.count & 1 == 1 { out.append(0) }
        out += b[after...]
        func moved(_ p: Int) -> Int { p >= after ? p + delta : p }
        func put32(_ o: Int, _ v: Int) {
            out[o] = UInt8(v & 0xFF)
            out[o + 1] = UInt8(v >> 8 & 0xFF)
            out[o + 2] = UInt8(v >> 16 & 0xFF)
            out[o + 3] = UInt8(v >> 24 & 0xFF)
        }
        guard b.count + delta < 1 << 32 else { return nil }
        put32(4, moved(u32(4)!))
        for d in ifds {
            for e in d.entries {
                let at = moved(e.at)
                if d.at == first.at && e.tag == metadataTag { put32(at + 4, newXML.count) }
                if size(e.type)! * e.count > 4 { put32(at + 8, moved(e.value)) }
                if offsetTags.contains(e.tag) {
                    if e.count == 1 {
                        put32(at + 8, moved(e.value))
                    } else {
                        for j in 0..<e.count { put32(moved(e.value) + 4 * j, moved(u32(e.value + 4 * j)!)) }
                    }
                }
            }
            put32(moved(d.nextAt), moved(u32(d.nextAt)!))
        }
        return out
    }

    /// Writes `source` (a COG written by `RasterGrid.write` with band description `old` and no unit) to `path` with
    /// description `new`, atomically; false (nothing written) when `replacingDescription` cannot, or when the two
    /// descriptions give the band different units (`RasterGrid.unitType`: "(dBm)" in a description makes it dBm).
    public static func copy(_ source: String, to path: String, description old: String, new: String) throws -> Bool {
        guard RasterGrid.unitType(nil, description: old) == RasterGrid.unitType(nil, description: new) else { return false }
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
        } catch {
            throw GeoError(operation: "read COG", path: source, message: "\(error.localizedDescription)")
        }
        guard let retitled = replacingDescription(in: bytes, old, with: new) else { return false }
        try AtomicOutput.write(retitled, to: path, operation: "write COG")
        return true
    }

    /// Text GDAL's metadata XML holds as it is: no & < > " and no control character but tab, line feed, return.
    static func plain(_ s: String) -> Bool {
        s.utf8.allSatisfy { c in !(c == 0x26 || c == 0x3C || c == 0x3E || c == 0x22 || (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D)) }
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int = 0) -> Int? {
        guard needle.count <= hay.count, from <= hay.count - needle.count else { return nil }
        for i in from...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }
}

// Reader of PAFX antenna archives (Planet/Infovista pattern exchange, as published e.g. by Sinclair): a ZIP
// archive holding an index `antenna.paf` (XML: the antenna and its <Pattern> records: name, frequency, electrical
// tilt, boresight gain and unit, the entry name of its pattern file) and one `*.pap` file per pattern (XML:
// <HorizontalPattern> and <VerticalPattern> with StartAngle, EndAngle, Step and `;`-separated <Gains> in dB relative
// to boresight, ≤ 0). Radio stays pure: the archive's members come through `PatternArchive` (Records reads the
// ZIP with GDAL's /vsizip/: `PAFXFile`), and the XML is a plain scan of the tags (FoundationXML is not used, to keep
// Radio free of libxml2).
//
// Angles map to the MSI convention by angle mod 360 (−1° → 359°), gains to attenuation by a change of sign; the
// horizontal pattern with Inclination 0 and the vertical pattern with Orientation 0 are used. This is the mapping
// of Strang00's pafx2msi converter, whose MSI output for the Sinclair SV460-SF2SNM archive our tests compare with.
import Foundation

/// The members of an opened archive (a PAFX file is a ZIP archive), as a reader outside Radio provides them.
public protocol PatternArchive {
    /// The archive's file name, for messages.
    var fileName: String { get }
    /// Names of the archive's files.
    var memberNames: [String] { get }
    /// The bytes of a member (nil when there is no such member), within the reader's size bound.
    func member(_ name: String) throws -> [UInt8]?
}

/// Opens the archive at a URL (already confined to the patterns folder by `AntennaLibrary`).
public typealias PatternArchiveOpener = @Sendable (URL) throws -> any PatternArchive

public enum PAFXReader {
    /// Every pattern of a `.pafx` archive, in the order of the index.
    public static func read(_ zip: any PatternArchive) throws -> [AntennaPattern] {
        let file = zip.fileName
        guard let indexBytes = try zipData(zip, "antenna.paf", file) else {
            throw AntennaFileError(
                file: file, line: 0, value: zip.memberNames.joined(separator: ", "),
                expected: "an antenna.paf index in the archive")
        }
        let index = text(indexBytes)
        let manufacturer = XMLScan.first("Manufacturer", in: index)
        let patterns = XMLScan.blocks("Pattern", in: XMLScan.first("Patterns", in: index) ?? "")
        guard !patterns.isEmpty else {
            throw AntennaFileError(
                file: file + "/antenna.paf", line: 0, value: "no <Pattern>",
                expected: "at least one <Pattern> in <Patterns>")
        }
        return try patterns.map { p in
            let name = XMLScan.first("Name", in: p) ?? "pattern"
            let where_ = "\(file)/antenna.paf pattern \(name)"
            func num(_ tag: String) throws -> Double? {
                guard let s = XMLScan.first(tag, in: p), !s.isEmpty else { return nil }
                guard let v = DecimalNumber.parse(s.trimmingCharacters(in: .whitespaces)) else {
                    throw AntennaFileError(file: where_, line: 0, value: s, expected: "a number in <\(tag)>")
                }
                return v
            }
            guard let entry = XMLScan.first("AntennaPatternsEntryName", in: p),
                let papBytes = try zipData(zip, entry, file)
            else {
                throw AntennaFileError(
                    file: where_, line: 0, value: XMLScan.first("AntennaPatternsEntryName", in: p) ?? "",
                    expected: "<AntennaPatternsEntryName> naming a .pap entry of the archive")
            }
            let pap = text(papBytes)
            let papName = "\(file)/\(entry)"
            let hBlocks = XMLScan.blocks("HorizontalPattern", in: pap)
            let vBlocks = XMLScan.blocks("VerticalPattern", in: pap)
            let hBlock = hBlocks.first { (XMLScan.first("Inclination", in: $0).flatMap(DecimalNumber.parse) ?? 0) == 0 } ?? hBlocks.first
            let vBlock = vBlocks.first { (XMLScan.first("Orientation", in: $0).flatMap(DecimalNumber.parse) ?? 0) == 0 } ?? vBlocks.first
            guard let hBlock else {
                throw AntennaFileError(file: papName, line: 0, value: "no <HorizontalPattern>", expected: "a horizontal pattern")
            }
            guard let vBlock else {
                throw AntennaFileError(file: papName, line: 0, value: "no <VerticalPattern>", expected: "a vertical pattern")
            }
            let gain = try num("BoresightGain") ?? 0
            let unit = XMLScan.first("BoresightGainUnit", in: p) ?? "dBi"
            let gainDBi: Double
            switch unit.lowercased() {
            case "dbd": gainDBi = gain + 2.15
            case "dbi": gainDBi = gain
            default: throw AntennaFileError(file: where_, line: 0, value: unit, expected: "<BoresightGainUnit> dBi or dBd")
            }
            var header: [String: String] = [:]
            for tag in [
                "HorizontalBeamwidthDegrees", "VerticalBeamwidthDegrees", "FrontToBackRatioDB", "Polarization",
                "MinimumFrequencyMHz", "MaximumFrequencyMHz", "Comment"
            ] {
                if let v = XMLScan.first(tag, in: p) { header[tag.uppercased()] = v }
            }
            return AntennaPattern(
                name: name, make: manufacturer,
                frequencyMHz: try num("MeasurementFrequencyMHz") ?? num("MinimumFrequencyMHz"),
                gainDBi: gainDBi, electricalTiltDeg: try num("ElectricalTiltDegrees"), tiltKind: nil,
                horizontal: try cut(hBlock, "HorizontalPattern", papName),
                vertical: try cut(vBlock, "VerticalPattern", papName),
                header: header)
        }
    }

    static func zipData(_ zip: any PatternArchive, _ name: String, _ file: String) throws -> [UInt8]? {
        do { return try zip.member(name) } catch let e as AntennaFileError { throw e } catch {
            throw AntennaFileError(file: file, line: 0, value: "\(error)", expected: "a readable entry \(name)")
        }
    }

    static func text(_ bytes: [UInt8]) -> String {
        var s = String(decoding: bytes, as: UTF8.self)
        if s.hasPrefix("\u{FEFF}") { s.removeFirst() }
        return s
    }

    static func cut(_ block: String, _ tag: String, _ file: String) throws -> PatternCut {
        func num(_ t: String) throws -> Double {
            guard let s = XMLScan.first(t, in: block), let v = DecimalNumber.parse(s.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw AntennaFileError(
                    file: file, line: 0, value: XMLScan.first(t, in: block) ?? "missing",
                    expected: "a number in <\(tag)><\(t)>")
            }
            return v
        }
        let start = try num("StartAngle"), end = try num("EndAngle"), step = try num("Step")
        guard step >= 0.001, end >= start, end - start < 360 else {
            throw AntennaFileError(
                file: file, line: 0, value: "\(start)…\(end) step \(step)",
                expected: "StartAngle ≤ EndAngle within 360° and Step ≥ 0.001 in <\(tag)>")
        }
        let gainsText = XMLScan.first("Gains", in: block) ?? ""
        let fields = gainsText.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let n = Int(((end - start) / step).rounded()) + 1
        guard fields.count == n else {
            throw AntennaFileError(
                file: file, line: 0, value: "\(fields.count) gains",
                expected: "\(n) gains in <\(tag)><Gains> (\(start)…\(end) step \(step))")
        }
        var points: [(Double, Double)] = []
        for (i, f) in fields.enumerated() {
            guard let g = DecimalNumber.parse(f) else {
                throw AntennaFileError(
                    file: file, line: 0, value: f,
                    expected: "a gain in dB (value \(i + 1) of <\(tag)><Gains>)")
            }
            // Gains are relative to boresight: a positive one would be an attenuation below 0 dB, i.e. more gain
            // than the boresight's.
            guard g <= 0 else {
                throw AntennaFileError(
                    file: file, line: 0, value: f,
                    expected: "a gain ≤ 0 dB relative to boresight (value \(i + 1) of <\(tag)><Gains>)")
            }
            var a = (start + Double(i) * step).truncatingRemainder(dividingBy: 360)
            if a < 0 { a += 360 }
            points.append((a, -g == 0 ? 0 : -g))
        }
        points.sort { $0.0 < $1.0 }
        return PatternCut(anglesDeg: points.map(\.0), attenuationDB: points.map(\.1))
    }
}

/// Just enough XML for PAFX: the text of elements by tag name (no attributes, no CDATA; entities &amp; &lt; &gt;
/// &quot; &apos; decoded). `<Tag/>` and `<Tag xsi:nil="true" />` read as empty.
enum XMLScan {
    /// Contents of every `<tag>…</tag>` (outermost, in order).
    static func blocks(_ tag: String, in s: String) -> [String] {
        var out: [String] = []
        var rest = s[...]
        let open = "<\(tag)>", close = "</\(tag)>"
        while let o = rest.range(of: open) {
            guard let c = rest.range(of: close, range: o.upperBound..<rest.endIndex) else { break }
            out.append(String(rest[o.upperBound..<c.lowerBound]))
            rest = rest[c.upperBound...]
        }
        return out
    }

    /// Trimmed, entity-decoded text of the first `<tag>…</tag>`, or nil.
    static func first(_ tag: String, in s: String) -> String? {
        guard let o = s.range(of: "<\(tag)>"), let c = s.range(of: "</\(tag)>", range: o.upperBound..<s.endIndex) else {
            return nil
        }
        return String(s[o.upperBound..<c.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

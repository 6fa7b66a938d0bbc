// Reader of the MSI / Planet antenna pattern format (`.msi`, `.pln`, Planet `.txt`): the same text format under
// three names.
//
//   NAME B800A065-18-4E            header lines: KEYWORD value, separated by spaces or tabs, any keyword case
//   MAKE Amphenol
//   FREQUENCY 851                  MHz ("851 MHz" and "890-960" accepted: the first number)
//   GAIN 13.6 dBd                  dBd (default when no unit) or dBi; stored in dBi (dBd + 2.15)
//   TILT ELECTRICAL                kind of tilt, or a number of degrees; ELECTRICAL_TILT 4 also read
//   COMMENT …                      kept; H_WIDTH, V_WIDTH, FRONT_TO_BACK, POLARIZATION, … kept in `header`
//   HORIZONTAL 360                 then that many lines "angle attenuation_dB", angle clockwise from boresight
//   0 0.2
//   …
//   VERTICAL 360                   then that many lines, angle below the front horizon (90 = nadir, 180 = back)
//   …
// Lines may end in CRLF; blank lines and lines starting with `#`, `//` or `;` are comments; a UTF-8 byte-order
// mark is skipped; files that are not UTF-8 are read as ISO Latin 1. Angles need not be whole degrees nor 360 in
// number, but must be within [0, 360) and strictly increasing; a decimal comma is accepted.
import Foundation

/// A pattern file that cannot be read: the file, the line (1-based; 0 when not tied to a line), the offending value
/// and what was expected.
public struct AntennaFileError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    public let line: Int
    public let value: String
    public let expected: String

    public init(file: String, line: Int, value: String, expected: String) {
        self.file = file
        self.line = line
        self.value = value
        self.expected = expected
    }

    public var description: String {
        let at = line > 0 ? "\(InputText.echo(file)) line \(line)" : InputText.echo(file)
        return "\(at): '\(InputText.echo(value))' — expected \(expected)"
    }
}

public enum PlanetPatternReader {
    /// Reads a `.msi`, `.pln` or Planet `.txt` file.
    public static func read(_ url: URL) throws -> AntennaPattern {
        let data: Data
        do { data = try InputLimits.read(url.path, kind: .pattern) } catch let e as InputFileError {
            throw AntennaFileError(file: url.lastPathComponent, line: 0, value: url.lastPathComponent, expected: "a readable pattern file: \(e.reason)")
        }
        return try parse(data, fileName: url.lastPathComponent)
    }

    /// Parses the bytes of a pattern file; `fileName` is used in error messages.
    public static func parse(_ data: Data, fileName: String) throws -> AntennaPattern {
        let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) ?? ""
        return try parse(text: text, fileName: fileName)
    }

    /// Parses the text of a pattern file.
    public static func parse(text: String, fileName: String) throws -> AntennaPattern {
        var body = text
        if body.hasPrefix("\u{FEFF}") { body.removeFirst() }
        // Split on LF, CR LF or lone CR, keeping line numbers.
        let lines = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)

        func fail(_ line: Int, _ value: String, _ expected: String) -> AntennaFileError {
            AntennaFileError(file: fileName, line: line, value: value, expected: expected)
        }

        var header: [String: String] = [:]
        var cuts: [String: (angles: [Double], values: [Double], line: Int)] = [:]
        var k = 0
        while k < lines.count {
            let lineNo = k + 1
            let line = lines[k].trimmingCharacters(in: .whitespaces)
            k += 1
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("//") || line.hasPrefix(";") { continue }
            let (keyRaw, rest) = splitKeyword(line)
            let key = keyRaw.uppercased()
            if key == "HORIZONTAL" || key == "VERTICAL" {
                if cuts[key] != nil { throw fail(lineNo, line, "one \(key) section only") }
                let countText = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
                guard let count = Int(countText), count > 0, count <= 100_000 else {
                    throw fail(
                        lineNo, countText.isEmpty ? line : countText,
                        "the number of points after \(key) (e.g. \(key) 360)")
                }
                var angles: [Double] = [], values: [Double] = []
                angles.reserveCapacity(count); values.reserveCapacity(count)
                while angles.count < count {
                    guard k < lines.count else {
                        throw fail(
                            lines.count, "end of file",
                            "\(count) points in the \(key) section, found \(angles.count)")
                    }
                    let pNo = k + 1
                    let p = lines[k].trimmingCharacters(in: .whitespaces)
                    k += 1
                    if p.isEmpty || p.hasPrefix("#") || p.hasPrefix("//") || p.hasPrefix(";") { continue }
                    let fields = p.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" })
                    guard let a = number(fields.first) else {
                        throw fail(
                            pNo, String(fields.first ?? Substring(p)),
                            "an angle in degrees (point \(angles.count + 1) of \(count) in the \(key) section)")
                    }
                    guard fields.count >= 2 else {
                        throw fail(pNo, p, "two numbers, angle and attenuation in dB (\(key) section)")
                    }
                    guard let v = number(fields[1]) else {
                        throw fail(pNo, String(fields[1]), "an attenuation in dB (\(key) section, angle \(fields[0]))")
                    }
                    guard a >= 0, a < 360 else { throw fail(pNo, String(fields[0]), "an angle in [0, 360)") }
                    // Attenuation relative to GAIN: below 0 it would be more gain than the boresight's (a −60 dB
                    // attenuation would turn into +60 dB of gain).
                    guard v >= 0 else {
                        throw fail(pNo, String(fields[1]), "an attenuation ≥ 0 dB relative to GAIN (\(key) section, angle \(fields[0]))")
                    }
                    if let last = angles.last, a <= last {
                        throw fail(pNo, String(fields[0]), "angles strictly increasing (previous \(last))")
                    }
                    angles.append(a); values.append(v)
                }
                cuts[key] = (angles, values, lineNo)
                continue
            }
            if number(Substring(keyRaw)) != nil {
                throw fail(
                    lineNo, line,
                    "a keyword line or a point inside a HORIZONTAL/VERTICAL section "
                        + "(more points than the section's count?)")
            }
            header[key] = rest
        }

        guard let h = cuts["HORIZONTAL"] else { throw fail(0, fileName, "a HORIZONTAL section") }
        guard let v = cuts["VERTICAL"] else { throw fail(0, fileName, "a VERTICAL section") }

        // GAIN value [unit]
        var gainDBi = 0.0
        if let g = header["GAIN"] {
            let lineNo = lineOf("GAIN", lines)
            let fields = g.split(whereSeparator: { $0 == " " || $0 == "\t" })
            var numText = fields.first.map(String.init) ?? ""
            var unit = fields.count > 1 ? String(fields[1]) : "dBd"
            // "13.6dBd" written without a space
            if number(Substring(numText)) == nil, let r = numText.range(of: "db", options: .caseInsensitive) {
                unit = String(numText[r.lowerBound...]); numText = String(numText[..<r.lowerBound])
            }
            guard let value = number(Substring(numText)) else {
                throw fail(lineNo, g, "a gain: a number followed by dBi or dBd (e.g. GAIN 16.95 dBd)")
            }
            switch unit.lowercased() {
            case "dbd": gainDBi = value + 2.15
            case "dbi": gainDBi = value
            default: throw fail(lineNo, unit, "a gain unit dBi or dBd")
            }
        } else {
            throw fail(0, fileName, "a GAIN line (e.g. GAIN 16.95 dBd)")
        }

        var frequency: Double?
        if let f = header["FREQUENCY"], !f.isEmpty {
            guard let value = leadingNumber(f) else {
                throw fail(lineOf("FREQUENCY", lines), f, "a frequency in MHz (e.g. FREQUENCY 1845)")
            }
            frequency = value
        }

        var tilt: Double?
        if let t = header["ELECTRICAL_TILT"], !t.isEmpty {
            guard let value = leadingNumber(t) else {
                throw fail(lineOf("ELECTRICAL_TILT", lines), t, "an electrical tilt in degrees")
            }
            tilt = value
        }
        let tiltLine = header["TILT"]
        if tilt == nil, let t = tiltLine, let value = leadingNumber(t) { tilt = value }

        let name = header["NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? fileName
        return AntennaPattern(
            name: name, make: header["MAKE"], frequencyMHz: frequency, gainDBi: gainDBi,
            electricalTiltDeg: tilt, tiltKind: tiltLine,
            horizontal: PatternCut(anglesDeg: h.angles, attenuationDB: h.values),
            vertical: PatternCut(anglesDeg: v.angles, attenuationDB: v.values),
            header: header)
    }

    // MARK: helpers

    static func splitKeyword(_ line: String) -> (String, String) {
        guard let sep = line.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return (line, "") }
        return (String(line[..<sep]), line[sep...].trimmingCharacters(in: .whitespaces))
    }

    static func number(_ s: Substring?) -> Double? {
        guard let s, !s.isEmpty else { return nil }
        guard let v = DecimalNumber.parse(s.replacingOccurrences(of: ",", with: ".")) else { return nil }
        return v
    }

    /// The first number at the start of a value ("851", "851 MHz", "890-960", "4°").
    static func leadingNumber(_ s: String) -> Double? {
        let t = s.trimmingCharacters(in: .whitespaces)
        var end = t.startIndex
        var seenDigit = false
        for i in t.indices {
            let c = t[i]
            if c.isNumber && c.isASCII { seenDigit = true; end = t.index(after: i); continue }
            if c == "." || ((c == "-" || c == "+") && i == t.startIndex) { end = t.index(after: i); continue }
            break
        }
        guard seenDigit else { return nil }
        return DecimalNumber.parse(t[..<end])
    }

    static func lineOf(_ keyword: String, _ lines: [Substring]) -> Int {
        for (i, l) in lines.enumerated() {
            let (k, _) = splitKeyword(l.trimmingCharacters(in: .whitespaces))
            if k.uppercased() == keyword { return i + 1 }
        }
        return 0
    }
}

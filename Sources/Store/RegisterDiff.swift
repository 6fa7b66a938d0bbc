// What changed in the register between two instants, for inspectors: records added, removed, and modified field
// by field (the versions valid at `from` against those valid at `to`).
import Foundation
import Geo

public struct RegisterChange: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable { case added, removed, modified }
    public var table: String
    public var id: String
    public var kind: Kind
    /// For `modified`: the field, its value at `from` and at `to` (nil = empty).
    public var field: String?
    public var old: String?
    public var new: String?

    public var description: String {
        switch kind {
        case .added, .removed: return "\(table) \(id) \(kind.rawValue)"
        case .modified: return "\(table) \(id) \(field ?? ""): \(old ?? "(empty)") → \(new ?? "(empty)")"
        }
    }

    /// The columns of register_changes.csv.
    public static let header = ["table", "id", "change", "field", "old_value", "new_value"]
    public var csvRow: [String] { [table, id, kind.rawValue, field ?? "", old ?? "", new ?? ""] }
}

extension Store {
    /// The changes of `tables` between the versions valid at `from` and those valid at `to`, by table, id, then
    /// the record's column order.
    public func diff(from: String, to: String, tables: [RegisterTable] = RegisterTable.allCases) throws -> [RegisterChange] {
        var out: [RegisterChange] = []
        for table in tables {
            let before = try keyed(table, at: from), after = try keyed(table, at: to)
            for id in Set(before.keys).union(after.keys).sorted() {
                switch (before[id], after[id]) {
                case (nil, _?): out.append(RegisterChange(table: table.rawValue, id: id, kind: .added))
                case (_?, nil): out.append(RegisterChange(table: table.rawValue, id: id, kind: .removed))
                case (let a?, let b?):
                    for c in table.columns where a[c.name] != b[c.name] {
                        out.append(RegisterChange(table: table.rawValue, id: id, kind: .modified, field: c.name, old: a[c.name], new: b[c.name]))
                    }
                default: break
                }
            }
        }
        return out
    }

    private func keyed(_ table: RegisterTable, at instant: String) throws -> [String: StoreRow] {
        var out: [String: StoreRow] = [:]
        for f in try versions(table, at: instant).features { out[f.attributes["id"] ?? ""] = f.attributes }
        return out
    }
}

/// Instants of the register: ISO 8601 UTC text, compared as text by both databases.
public enum StoreTime {
    /// `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS][Z]` (or a space for T), as `YYYY-MM-DDTHH:MM:SSZ`; nil when malformed.
    public static func parse(_ raw: String) -> String? {
        let s = raw.trimmingCharacters(in: .whitespaces)
        let digits = s.unicodeScalars.map { $0 }
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= digits.count else { return nil }
            let part = String(String.UnicodeScalarView(digits[from..<(from + count)]))
            return part.allSatisfy(\.isASCII) ? Int(part) : nil
        }
        guard digits.count >= 10, let y = number(0, 4), digits[4] == "-", let mo = number(5, 2), digits[7] == "-", let d = number(8, 2)
        else { return nil }
        var h = 0, mi = 0, sec = 0
        var rest = String(String.UnicodeScalarView(digits[10...]))
        if !rest.isEmpty {
            guard rest.first == "T" || rest.first == " ", rest.count >= 6 else { return nil }
            let t = Array(rest.dropFirst().unicodeScalars)
            guard t.count >= 5, t[2] == ":", let hh = Int(String(String.UnicodeScalarView(t[0..<2]))),
                let mm = Int(String(String.UnicodeScalarView(t[3..<5])))
            else { return nil }
            h = hh; mi = mm
            rest = String(String.UnicodeScalarView(t[5...]))
            if rest.hasPrefix(":") {
                guard rest.count >= 3, let ss = Int(rest.dropFirst().prefix(2)) else { return nil }
                sec = ss
                rest = String(rest.dropFirst(3))
            }
            guard rest.isEmpty || rest == "Z" else { return nil }
        }
        var c = DateComponents()
        c.year = y; c.month = mo; c.day = d; c.hour = h; c.minute = mi; c.second = sec
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 60, let date = cal.date(from: c),
            cal.component(.day, from: date) == d
        else { return nil }
        return format(date)
    }

    public static func format(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")!
        return f.string(from: date)
    }

    public static var now: String { format(Date()) }
}

// The province's coverage targets (a JSON file; the default is data/targets.json, documented in data/README.md).
//
//   { "title": "…", "source": "…",
//     "targets": [
//       { "id": "villages_4g5g", "description": "…", "subject": "villages", "technologies": ["4G", "5G"],
//         "operators": [] (any operator), "measure": "population" | "villages", "min_share": 1.0 },
//       { "id": "zones_5g", "subject": "zones", "zone_kinds": ["industrial_park", "high_tech_zone"],
//         "technologies": ["5G"], "min_area_share": 0.95, "min_share": 1.0 } ] }
//
// A village meets a village target when one of the technologies of one of the operators (any when the list is
// empty) covers it; a unit's figure is the share of its population (or of its villages) meeting it, compared with
// min_share. A zone meets a zone target when the share of its area covered by one of the technologies (any
// operator) reaches min_area_share; a unit's figure is the share of its zones meeting it.
import Foundation
import Radio

public struct CoverageTarget: Sendable, Equatable {
    public enum Subject: String, Sendable { case villages, zones }
    public enum Measure: String, Sendable { case population, villages }
    public var id: String
    public var description: String
    public var subject: Subject
    public var technologies: Set<Technology>
    /// Operators that count (empty: any).
    public var operators: Set<String>
    public var measure: Measure
    public var minShare: Double
    /// Zones only: the kinds that count (empty: all) and the area share a zone needs.
    public var zoneKinds: Set<String>
    public var minAreaShare: Double

    public init(
        id: String, description: String = "", subject: Subject, technologies: Set<Technology>, operators: Set<String> = [],
        measure: Measure = .population, minShare: Double = 1, zoneKinds: Set<String> = [], minAreaShare: Double = 0.95
    ) {
        self.id = id; self.description = description; self.subject = subject; self.technologies = technologies
        self.operators = operators; self.measure = measure; self.minShare = minShare; self.zoneKinds = zoneKinds
        self.minAreaShare = minAreaShare
    }

    public var technologyLabel: String { technologies.sorted().map(\.rawValue).joined(separator: "/") }
}

public struct TargetSet: Sendable {
    public var title: String
    public var source: String
    public var targets: [CoverageTarget]

    public init(title: String, source: String = "", targets: [CoverageTarget]) {
        self.title = title; self.source = source; self.targets = targets
    }

    /// The plan's targets, as in data/targets.json (used when no file is given).
    public static let plan = TargetSet(
        title: "Provincial plan: mobile coverage targets", source: "built-in default (data/targets.json)",
        targets: [
            CoverageTarget(
                id: "villages_4g5g", description: "Every village and neighbourhood covered by 4G or 5G",
                subject: .villages, technologies: [.lte, .nr]),
            CoverageTarget(
                id: "zones_5g", description: "Every industrial park and high-tech zone covered by 5G",
                subject: .zones, technologies: [.nr], zoneKinds: ["industrial_park", "high_tech_zone"], minAreaShare: 0.95),
            CoverageTarget(
                id: "villages_broadband", description: "Mobile broadband (3G or better) wherever there was none",
                subject: .villages, technologies: [.umts, .lte, .nr], measure: .villages)
        ])

    public static func load(_ path: String) throws -> TargetSet {
        let data: Data
        do { data = try Data(InputText.read(path, kind: .json).utf8) } catch let e as InputFileError {
            throw StudyError("\(path): cannot read the targets file: \(e.reason)")
        }
        let any: Any
        do { any = try JSONSerialization.jsonObject(with: data) } catch {
            throw StudyError("\(path): not valid JSON: \(error.localizedDescription)")
        }
        guard let obj = any as? [String: Any], let list = obj["targets"] as? [[String: Any]] else {
            throw StudyError("\(path): expected an object with a 'targets' array")
        }
        var targets: [CoverageTarget] = [], ids: Set<String> = []
        for (i, t) in list.enumerated() {
            func fail(_ field: String, _ value: Any?, _ expected: String) -> StudyError {
                StudyError(
                    "\(path): target \(i + 1), field '\(InputText.echo(field))'" + (value.map { ": value '\(InputText.echo("\($0)"))'" } ?? ": missing")
                        + ": expected \(expected)")
            }
            guard let id = t["id"] as? String, !id.isEmpty else { throw fail("id", t["id"], "a non-empty text") }
            guard ids.insert(id).inserted else { throw fail("id", id, "a unique id") }
            guard let subjectRaw = t["subject"] as? String, let subject = CoverageTarget.Subject(rawValue: subjectRaw) else {
                throw fail("subject", t["subject"], "villages or zones")
            }
            guard let techList = t["technologies"] as? [String], !techList.isEmpty else {
                throw fail("technologies", t["technologies"], "a non-empty list such as [\"4G\", \"5G\"]")
            }
            var techs: Set<Technology> = []
            for raw in techList {
                guard let tech = Technology(parsing: raw), [.gsm, .umts, .lte, .nr].contains(tech) else {
                    throw fail("technologies", raw, "2G, 3G, 4G or 5G")
                }
                techs.insert(tech)
            }
            let operators = t["operators"] as? [String] ?? []
            var measure = CoverageTarget.Measure.population
            if let m = t["measure"] {
                guard let s = m as? String, let v = CoverageTarget.Measure(rawValue: s) else { throw fail("measure", m, "population or villages") }
                measure = v
            }
            func share(_ field: String, _ def: Double) throws -> Double {
                guard let v = t[field] else { return def }
                guard let x = (v as? NSNumber)?.doubleValue, (0...1).contains(x) else { throw fail(field, v, "a share in [0, 1]") }
                return x
            }
            targets.append(
                CoverageTarget(
                    id: id, description: t["description"] as? String ?? "", subject: subject,
                    technologies: techs, operators: Set(operators), measure: measure,
                    minShare: try share("min_share", 1), zoneKinds: Set(t["zone_kinds"] as? [String] ?? []),
                    minAreaShare: try share("min_area_share", 0.95)))
        }
        return TargetSet(title: obj["title"] as? String ?? "Coverage targets", source: obj["source"] as? String ?? path, targets: targets)
    }
}

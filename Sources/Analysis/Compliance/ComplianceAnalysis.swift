// Figures per administrative unit (commune, district, province) against the targets, and the change since a
// previous run.
//
// Units: communes from the villages' `commune` column (within their district); districts from the admin polygons
// when given (each village in the polygon holding its point; villages outside every polygon go to "(outside)"),
// else from the villages' `district` column; the province is everything. Zones go to the district holding their
// centroid (admin polygons only; else they count at the province level alone).
import Foundation
import Geo
import Radio
import Records

public struct TargetFigure: Sendable, Equatable {
    public let targetID: String
    /// Villages or zones the target applies to in the unit, and those meeting it.
    public let subjects: Int
    public let met: Int
    /// Population of those villages and of those meeting it (village targets).
    public let population: Int
    public let metPopulation: Int
    /// The unit's figure (share of population, of villages or of zones) and whether it reaches the target; nil
    /// when the unit has nothing the target applies to.
    public let share: Double?
    public let minShare: Double
    public var achieved: Bool? { share.map { $0 >= minShare - 1e-12 } }
}

public struct UnitFigures: Sendable {
    public enum Level: String, Sendable, CaseIterable { case province, district, commune }
    public let level: Level
    public let name: String
    /// The district of a commune, the province of a district.
    public let parent: String
    public let villages: Int
    public let population: Int
    /// Per technology (any operator): villages and population covered.
    public let villagesCovered: [Technology: Int]
    public let populationCovered: [Technology: Int]
    /// Per service (operator × technology): population covered.
    public let populationByService: [ServiceKey: Int]
    public let targets: [TargetFigure]
}

public struct VillageChange: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case newlyCovered = "newly_covered", newlyUncovered = "newly_uncovered", added = "new_village", removed = "removed_village"
    }
    public let villageID: String
    public let name: String
    public let commune: String
    public let district: String
    public let population: Int
    public let targetID: String
    public let kind: Kind
}

public struct ComplianceResult: Sendable {
    public let keys: [ServiceKey]
    public let carriers: [ServiceCarrier]
    public let settings: ComplianceSettings
    public let targets: TargetSet
    public let villages: [VillageResult]
    /// District of each village (from the admin polygons or the village column).
    public let districtOf: [String]
    public let zones: [ZoneResult]
    public let zoneDistrict: [String?]
    /// Per target (index into targets.targets): per village or per zone, met or not (nil: the target does not
    /// apply to that village or zone).
    public let villageMet: [[Bool?]]
    public let zoneMet: [[Bool?]]
    /// Per zone target: the share of each zone's area covered by its technologies (any operator).
    public let zoneTargetShare: [[Double?]]
    public let units: [UnitFigures]
    public let provinceName: String
    public let adminSource: String?
    /// Measured evidence that replaced predicted verdicts (`--measurements`), nil without measurements.
    public var evidence: EvidenceSummary? = nil

    public var technologies: [Technology] { Array(Set(keys.map(\.technology))).sorted() }
    public func units(_ level: UnitFigures.Level) -> [UnitFigures] { units.filter { $0.level == level } }
}

public enum ComplianceAnalysis {
    public static func run(
        layers: ServiceLayers, villages: [Village], zones: [Zone], admin: AdminLayer?,
        targets: TargetSet, settings: ComplianceSettings, provinceName: String? = nil,
        adminSource: String? = nil, measurements: [SurveyMeasurement]? = nil, evidence evidenceSettings: EvidenceSettings = EvidenceSettings()
    ) throws -> ComplianceResult {
        var vr = try VillageCompliance.evaluate(villages, layers: layers, settings: settings)
        var evidence: EvidenceSummary? = nil
        if let measurements {
            let applied = EvidenceVerdicts.apply(
                vr, measurements: measurements, keys: layers.keys, transmitters: layers.transmitters, settings: settings, evidence: evidenceSettings)
            vr = applied.results
            evidence = applied.summary
        }
        let (zr, masks) = try VillageCompliance.evaluate(zones: zones, layers: layers, settings: settings)
        let keys = layers.keys
        // Districts.
        var districtOf = villages.map(\.district)
        var zoneDistrict: [String?] = Array(repeating: nil, count: zones.count)
        if let admin {
            let idx = admin.assign(longitudes: villages.map(\.longitude), latitudes: villages.map(\.latitude))
            districtOf = idx.map { $0.map { admin.units[$0].name } ?? "(outside)" }
            let zc = zones.map { $0.geometry.centroid }
            zoneDistrict = admin.assign(longitudes: zc.map(\.x), latitudes: zc.map(\.y)).map { $0.map { admin.units[$0].name } }
        }
        // Per target flags.
        var villageMet: [[Bool?]] = [], zoneMet: [[Bool?]] = [], zoneShare: [[Double?]] = []
        for t in targets.targets {
            switch t.subject {
            case .villages:
                villageMet.append(vr.map { $0.covered(by: t.technologies, keys: keys, operators: t.operators.isEmpty ? nil : t.operators) })
                zoneMet.append(Array(repeating: nil, count: zones.count)); zoneShare.append(Array(repeating: nil, count: zones.count))
            case .zones:
                villageMet.append(Array(repeating: nil, count: villages.count))
                var flags: [Bool?] = [], shares: [Double?] = []
                for (i, z) in zones.enumerated() {
                    guard t.zoneKinds.isEmpty || t.zoneKinds.contains(z.kind) else { flags.append(nil); shares.append(nil); continue }
                    let s = zr[i].share(anyOf: t.technologies, keys: keys, masks: masks)
                    shares.append(s); flags.append(s >= t.minAreaShare - 1e-12)
                }
                zoneMet.append(flags); zoneShare.append(shares)
            }
        }
        let province = provinceName ?? admin?.parentName ?? "Province"

        // Unit membership: province, districts, communes (key district|commune).
        struct Members { var villages: [Int] = []; var zones: [Int] = []; var parent = "" }
        var groups: [(UnitFigures.Level, String, Members)] = []
        groups.append((.province, province, Members(villages: Array(villages.indices), zones: Array(zones.indices), parent: "")))
        var districts: [String: Members] = [:], communes: [String: Members] = [:]
        for i in villages.indices {
            districts[districtOf[i], default: Members(parent: province)].villages.append(i)
            let ck = districtOf[i] + "|" + villages[i].commune
            communes[ck, default: Members(parent: districtOf[i])].villages.append(i)
        }
        for (i, d) in zoneDistrict.enumerated() { if let d { districts[d, default: Members(parent: province)].zones.append(i) } }
        for name in districts.keys.sorted() { groups.append((.district, name, districts[name]!)) }
        for key in communes.keys.sorted() {
            groups.append((.commune, String(key.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).last ?? ""), communes[key]!))
        }

        let techs = Array(Set(keys.map(\.technology))).sorted()
        var units: [UnitFigures] = []
        for (level, name, m) in groups {
            let pop = m.villages.reduce(0) { $0 + villages[$1].population }
            var vc: [Technology: Int] = [:], pc: [Technology: Int] = [:], ps: [ServiceKey: Int] = [:]
            for tech in techs {
                let cov = m.villages.filter { vr[$0].covered(by: [tech], keys: keys) }
                vc[tech] = cov.count; pc[tech] = cov.reduce(0) { $0 + villages[$1].population }
            }
            for (k, key) in keys.enumerated() { ps[key] = m.villages.filter { vr[$0].covered[k] }.reduce(0) { $0 + villages[$1].population } }
            var figures: [TargetFigure] = []
            for (ti, t) in targets.targets.enumerated() {
                switch t.subject {
                case .villages:
                    let met = m.villages.filter { villageMet[ti][$0] == true }
                    let metPop = met.reduce(0) { $0 + villages[$1].population }
                    let share: Double? =
                        m.villages.isEmpty
                        ? nil
                        : t.measure == .villages
                            ? Double(met.count) / Double(m.villages.count)
                            : pop > 0 ? Double(metPop) / Double(pop) : (met.count == m.villages.count ? 1 : 0)
                    figures.append(
                        TargetFigure(
                            targetID: t.id, subjects: m.villages.count, met: met.count, population: pop,
                            metPopulation: metPop, share: share, minShare: t.minShare))
                case .zones:
                    let applies = m.zones.filter { zoneMet[ti][$0] != nil }
                    let met = applies.filter { zoneMet[ti][$0] == true }
                    figures.append(
                        TargetFigure(
                            targetID: t.id, subjects: applies.count, met: met.count, population: 0, metPopulation: 0,
                            share: applies.isEmpty ? nil : Double(met.count) / Double(applies.count), minShare: t.minShare))
                }
            }
            units.append(
                UnitFigures(
                    level: level, name: name, parent: m.parent, villages: m.villages.count, population: pop,
                    villagesCovered: vc, populationCovered: pc, populationByService: ps, targets: figures))
        }
        var result = ComplianceResult(
            keys: keys, carriers: layers.carriers, settings: settings, targets: targets, villages: vr,
            districtOf: districtOf, zones: zr, zoneDistrict: zoneDistrict, villageMet: villageMet,
            zoneMet: zoneMet, zoneTargetShare: zoneShare, units: units, provinceName: province, adminSource: adminSource)
        result.evidence = evidence
        return result
    }

    /// Villages whose status against each village target changed since a previous compliance output: reads the
    /// previous `villages.csv` (columns id and target_<id>, 0/1).
    public static func changes(_ result: ComplianceResult, baselineVillagesCSV path: String) throws -> [VillageChange] {
        guard let text = try? InputText.read(path, kind: .records) else {
            throw StudyError("\(path): cannot read the baseline's villages.csv (expected the output folder of a previous tanso compliance)")
        }
        let rows = CSV.parse(text)
        guard let header = rows.first, let idCol = header.firstIndex(of: "id") else {
            throw StudyError("\(path): no 'id' column: expected the villages.csv of a previous tanso compliance")
        }
        let col = { (name: String) in header.firstIndex(of: name) }
        var previous: [String: [String]] = [:]
        for (n, r) in rows.dropFirst().enumerated() where r.count == header.count {
            _ = n
            previous[r[idCol]] = r
        }
        var out: [VillageChange] = []
        var current: Set<String> = []
        for (ti, t) in result.targets.targets.enumerated() where t.subject == .villages {
            guard let tc = col("target_\(t.id)") else { continue }
            for (i, v) in result.villages.enumerated() {
                let vil = v.village
                current.insert(vil.id)
                let now = result.villageMet[ti][i] == true
                let change: VillageChange.Kind?
                if let row = previous[vil.id] {
                    let before = row[tc] == "1"
                    change = before == now ? nil : now ? .newlyCovered : .newlyUncovered
                } else {
                    change = .added
                }
                if let change, change != .added || ti == result.targets.targets.firstIndex(where: { $0.subject == .villages }) {
                    out.append(
                        VillageChange(
                            villageID: vil.id, name: vil.name, commune: vil.commune, district: result.districtOf[i],
                            population: vil.population, targetID: change == .added ? "" : t.id, kind: change))
                }
            }
        }
        let nameCol = col("name"), communeCol = col("commune"), districtCol = col("district"), popCol = col("population")
        for (id, row) in previous.sorted(by: { $0.key < $1.key }) where !current.contains(id) && !result.villages.isEmpty {
            out.append(
                VillageChange(
                    villageID: id, name: nameCol.map { row[$0] } ?? "", commune: communeCol.map { row[$0] } ?? "",
                    district: districtCol.map { row[$0] } ?? "", population: popCol.flatMap { Int(row[$0]) } ?? 0,
                    targetID: "", kind: .removed))
        }
        return out
    }
}

// Products of a compliance run: CSV tables, a GeoPackage with every layer, PNG maps and the HTML report.
import Foundation
import Geo
import Analysis
import Radio
import Records

public enum ComplianceProducts {
    /// Writes every product into `directory` (each file atomically) and returns what was written.
    public static func write(
        _ r: ComplianceResult, layers: ServiceLayers, admin: AdminLayer?, changes: [VillageChange]?,
        to directory: String, title: String, inputs: [(role: String, path: String)] = []
    ) throws -> ProductList {
        var list = ProductList()
        let dir = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let keys = r.keys
        let services = ProductLayout.Services(keys)

        // Villages.
        let vHeader = villageHeader(r)
        let vRows = r.villages.indices.map { villageRow(r, $0) }
        try CSV.write(header: vHeader, rows: vRows, to: path("villages.csv"))
        list.add(path("villages.csv"), "every village: metric per operator and technology, covered flags, targets met, serving and nearest site")
        let primary = r.targets.targets.firstIndex { $0.subject == .villages }
        if let primary {
            let idx = r.villages.indices.filter { r.villageMet[primary][$0] == false }
                .sorted { (r.villages[$0].village.population, r.villages[$1].village.id) > (r.villages[$1].village.population, r.villages[$0].village.id) }
            try CSV.write(header: vHeader, rows: idx.map { vRows[$0] }, to: path("uncovered_villages.csv"))
            list.add(path("uncovered_villages.csv"), "villages not meeting '\(r.targets.targets[primary].id)', largest population first")
        }

        // Zones.
        let zHeader =
            ["id", "name", "kind", "district", "area_km2"] + r.technologies.map { "share_\($0.rawValue)" }
            + keys.map { "share_\(services.column($0))" }
            + r.targets.targets.filter { $0.subject == .zones }.flatMap { ["target_\($0.id)_area_share", "target_\($0.id)"] }
        var zRows: [[String]] = []
        for (i, z) in r.zones.enumerated() {
            var row = [z.zone.id, z.zone.name, z.zone.kind, r.zoneDistrict[i] ?? "", num(z.areaKm2, 3)]
            row += r.technologies.map { num(z.technologyShare[$0] ?? 0, 4) }
            row += z.coveredShare.map { num($0, 4) }
            for (ti, t) in r.targets.targets.enumerated() where t.subject == .zones {
                row += [r.zoneTargetShare[ti][i].map { num($0, 4) } ?? "", r.zoneMet[ti][i].map { $0 ? "1" : "0" } ?? ""]
            }
            zRows.append(row)
        }
        try CSV.write(header: zHeader, rows: zRows, to: path("zones.csv"))
        list.add(path("zones.csv"), "every zone: covered area share per technology and per operator, targets met")

        // Units and targets.
        let (uHeader, uRows) = unitTable(r)
        try CSV.write(header: uHeader, rows: uRows, to: path("units.csv"))
        list.add(path("units.csv"), "figures per province, district and commune: villages, population covered per technology, targets")
        var tRows: [[String]] = []
        for u in r.units {
            for (ti, f) in u.targets.enumerated() where f.share != nil {
                let t = r.targets.targets[ti]
                tRows.append([
                    t.id, u.level.rawValue, u.name, u.parent, String(f.subjects), String(f.met),
                    t.subject == .villages ? String(f.population - f.metPopulation) : "",
                    num(f.share!, 4), num(f.minShare, 4), f.achieved! ? "yes" : "no"
                ])
            }
        }
        try CSV.write(
            header: ["target", "level", "unit", "parent", "subjects", "met", "population_missing", "share", "target_share", "achieved"],
            rows: tRows, to: path("targets.csv"))
        list.add(path("targets.csv"), "each target per unit: subjects, met, share against the target share, achieved yes/no")
        if let changes {
            try CSV.write(
                header: ["id", "name", "commune", "district", "population", "target", "change"],
                rows: changes.map { [$0.villageID, $0.name, $0.commune, $0.district, String($0.population), $0.targetID, $0.kind.rawValue] },
                to: path("changes.csv"))
            list.add(path("changes.csv"), "villages newly covered / newly uncovered since the baseline, per village target")
        }
        if let e = r.evidence {
            try EvidenceProducts.writeCSV(r, e, to: path(EvidenceProducts.csv))
            list.add(path(EvidenceProducts.csv), "villages with measurements: measured against predicted verdict per service (agreements and disagreements)")
        }

        // GeoPackage.
        var gl: [LayerData] = []
        let vKinds = vHeader.map(villageFieldKind)
        var vl = LayerData(name: "villages", fields: Array(zip(vHeader, vKinds)), geometryType: .point)
        var vValues: [[FieldValue]] = []
        for (i, v) in r.villages.enumerated() {
            let values = zip(vRows[i], vKinds).map { typed($0, $1) }
            vValues.append(values)
            vl.append(.point(Coordinate(v.village.longitude, v.village.latitude)), values)
        }
        gl.append(vl)
        let outlines = r.villages.indices.filter { r.villages[$0].village.outline != nil }
        if !outlines.isEmpty {
            var ol = LayerData(name: "village_outlines", fields: vl.fields, geometryType: .multiPolygon)
            for i in outlines { ol.append(r.villages[i].village.outline!, vValues[i]) }
            gl.append(ol)
        }
        var zl = LayerData(name: "zones", fields: zHeader.enumerated().map { ($1, $0 < 4 ? .string : .real) }, geometryType: .multiPolygon)
        for (i, z) in r.zones.enumerated() {
            zl.append(z.zone.geometry, zRows[i].enumerated().map { $0 < 4 ? .string($1) : Double($1).map { .real($0) } ?? .null })
        }
        gl.append(zl)
        let districtFigures = Dictionary(r.units(.district).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var ul = LayerData(name: "units", fields: uHeader.enumerated().map { ($1, $0 < 3 ? .string : .real) }, geometryType: .none)
        for row in uRows { ul.append(nil, row.enumerated().map { $0 < 3 ? .string($1) : Double($1).map { .real($0) } ?? .null }) }
        gl.append(ul)
        if let admin {
            var al = LayerData(
                name: "admin_units", fields: [("id", .string)] + uHeader.enumerated().map { ($1, $0 < 3 ? .string : .real) },
                geometryType: .multiPolygon)
            for u in admin.units {
                let row =
                    districtFigures[u.name].map { unitRow(r, $0) } ?? (["district", u.name, r.provinceName] + Array(repeating: "", count: uHeader.count - 3))
                al.append(u.geometry, [.string(u.id)] + row.enumerated().map { $0 < 3 ? .string($1) : Double($1).map { .real($0) } ?? .null })
            }
            gl.append(al)
        }
        if let changes {
            let byID = Dictionary(r.villages.map { ($0.village.id, $0.village) }, uniquingKeysWith: { a, _ in a })
            var cl = LayerData(
                name: "changes",
                fields: [
                    ("id", .string), ("name", .string), ("commune", .string), ("district", .string),
                    ("population", .integer), ("target", .string), ("change", .string)
                ], geometryType: .point)
            for c in changes {
                let g = byID[c.villageID].map { Geometry.point(Coordinate($0.longitude, $0.latitude)) }
                cl.append(
                    g,
                    [
                        .string(c.villageID), .string(c.name), .string(c.commune), .string(c.district), .integer(c.population),
                        .string(c.targetID), .string(c.kind.rawValue)
                    ])
            }
            gl.append(cl)
        }
        try VectorWriter.write(gl, to: path("compliance.gpkg"))
        list.add(path("compliance.gpkg"), "GeoPackage: " + gl.map(\.name).joined(separator: ", "))

        // Maps and the report.
        var maps: [(svg: String, caption: String)] = []
        // Target ids come from a file: sanitised, unique names (an id cannot name a file outside the folder).
        let mapNames = ProductLayout.complianceMaps(targetIDs: r.targets.targets.map(\.id))
        for (ti, t) in r.targets.targets.enumerated() {
            let img = try ComplianceMap.render(r, layers: layers, targetIndex: ti, admin: admin, title: "\(title): \(t.id)")
            let name = mapNames[ti]
            try img.writePNG(to: path(name))
            let svg = try ComplianceSVGMap.render(r, layers: layers, targetIndex: ti, admin: admin, title: "\(title): \(t.id)")
            maps.append(
                (
                    svg,
                    "\(t.description.isEmpty ? t.id : t.description): \(t.subject == .villages ? "villages meeting the target in green, the others in red (size by population)" : "zones meeting the target outlined in green, the others in red"); background: best \(t.technologyLabel) signal of any operator, in each technology's metric."
                ))
        }
        list.add(path("map_<target>.png"), "one map per target: villages or zones meeting it, over the best signal of its technologies")
        let html = try ComplianceHTML.render(
            r, title: title, maps: maps,
            changes: changes, inputs: inputs)
        let out = try AtomicOutput(path: path("report.html"))
        try Data(html.utf8).write(to: URL(fileURLWithPath: out.temporaryPath))
        try out.commit()
        list.add(path("report.html"), "self-contained HTML report: targets, charts, tables, maps (open in a browser)")
        return list
    }

    // MARK: tables

    static func villageHeader(_ r: ComplianceResult) -> [String] {
        var h = ["id", "name", "commune", "district", "district_column", "latitude", "longitude", "population", "cells"]
        let services = ProductLayout.Services(r.keys)
        for k in r.keys {
            let m = SignalMetric(technology: k.technology).kind.rawValue.lowercased().replacingOccurrences(of: "-", with: "_")
            h += ["\(services.column(k))_\(m)_dbm", "\(services.column(k))_covered"]
        }
        h += r.technologies.map { "covered_\($0.rawValue)" }
        h += r.targets.targets.filter { $0.subject == .villages }.map { "target_\($0.id)" }
        h += ["serving_transmitter", "serving_site", "nearest_site", "nearest_site_km"]
        return h
    }

    static func villageRow(_ r: ComplianceResult, _ i: Int) -> [String] {
        let v = r.villages[i], vil = v.village
        var row = [
            vil.id, vil.name, vil.commune, r.districtOf[i], vil.district, num(vil.latitude, 6), num(vil.longitude, 6),
            String(vil.population), String(v.cellCount)
        ]
        for k in r.keys.indices {
            row.append(v.metricDBm[k].map { num(Double($0), 1) } ?? "")
            row.append(vil.outline != nil && v.cellCount > 1 ? num(Double(v.coveredShare[k]), 3) : (v.covered[k] ? "1" : "0"))
        }
        row += r.technologies.map { v.covered(by: [$0], keys: r.keys) ? "1" : "0" }
        for (ti, t) in r.targets.targets.enumerated() where t.subject == .villages { row.append(r.villageMet[ti][i] == true ? "1" : "0") }
        row += [v.servingTransmitterID ?? "", v.servingSiteID ?? "", v.nearestSiteID ?? "", v.nearestSiteKm.map { num($0, 2) } ?? ""]
        return row
    }

    static func unitTable(_ r: ComplianceResult) -> ([String], [[String]]) {
        var h = ["level", "name", "parent", "villages", "population"]
        for t in r.technologies { h += ["villages_\(t.rawValue)", "population_\(t.rawValue)", "population_share_\(t.rawValue)"] }
        for t in r.targets.targets { h += ["target_\(t.id)_share", "target_\(t.id)_min", "target_\(t.id)_achieved", "target_\(t.id)_missing"] }
        return (h, r.units.map { unitRow(r, $0) })
    }

    static func unitRow(_ r: ComplianceResult, _ u: UnitFigures) -> [String] {
        var row = [u.level.rawValue, u.name, u.parent, String(u.villages), String(u.population)]
        for t in r.technologies {
            let p = u.populationCovered[t] ?? 0
            row += [String(u.villagesCovered[t] ?? 0), String(p), u.population > 0 ? num(Double(p) / Double(u.population), 4) : ""]
        }
        for (ti, f) in u.targets.enumerated() {
            let t = r.targets.targets[ti]
            row += [
                f.share.map { num($0, 4) } ?? "", num(f.minShare, 4), f.achieved.map { $0 ? "1" : "0" } ?? "",
                f.share == nil ? "" : t.subject == .villages && t.measure == .population ? String(f.population - f.metPopulation) : String(f.subjects - f.met)
            ]
        }
        return row
    }

    static func villageFieldKind(_ name: String) -> FieldKind {
        if ["population", "cells"].contains(name) || name.hasPrefix("covered_") || name.hasPrefix("target_") { return .integer }
        if ["latitude", "longitude"].contains(name) || name.hasSuffix("_dbm") || name.hasSuffix("_km") || name.hasSuffix("_covered") { return .real }
        return .string
    }

    static func typed(_ s: String, _ k: FieldKind) -> FieldValue {
        if s.isEmpty { return .null }
        switch k {
        case .string: return .string(s)
        case .integer: return Int(s).map { .integer($0) } ?? .null
        case .real: return Double(s).map { .real($0) } ?? .null
        }
    }

    static func num(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return "" }
        var s = String(format: "%.\(decimals)f", x)
        if s.contains(".") { while s.hasSuffix("0") { s.removeLast() }; if s.hasSuffix(".") { s.removeLast() } }
        return s == "-0" ? "0" : s
    }
}

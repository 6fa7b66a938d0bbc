// Administrative units (districts or communes) as polygons: any OGR polygon layer, or the JSON of the dvhcvn
// project (daohoangson/dvhcvn, `gis/<province>.json`: {"name", "level2s": [{"level2_id", "name", "coordinates"}]}).
// Villages are placed in the unit whose polygon holds their point (or centroid).
import Foundation
import Geo

public struct AdminUnit: Sendable, Equatable {
    public var id: String
    public var name: String
    public var geometry: Geometry
    public init(id: String, name: String, geometry: Geometry) { self.id = id; self.name = name; self.geometry = geometry }
}

public struct AdminLayer: Sendable {
    /// The province (or parent) name when the source gives one.
    public var parentName: String?
    public var units: [AdminUnit]
    public init(parentName: String? = nil, units: [AdminUnit]) { self.parentName = parentName; self.units = units }

    /// Fields tried, in order, for a unit's name when `nameField` is not given.
    public static let nameFields = ["name", "ten", "ten_huyen", "ten_xa", "name_2", "name_3", "varname_2", "district", "commune", "shapename"]
    public static let idFields = ["id", "ma", "ma_huyen", "ma_xa", "gid_2", "gid_3", "level2_id", "level3_id", "code"]

    /// Loads units from `path`: a dvhcvn JSON file, or any OGR polygon layer (`name_field` names the units).
    public static func load(_ path: String, nameField: String? = nil, layer: String? = nil) throws -> AdminLayer {
        if path.lowercased().hasSuffix(".json"), let data = FileManager.default.contents(atPath: path),
            let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any], obj["level2s"] != nil || obj["level3s"] != nil
        {
            return try dvhcvn(obj, path: path)
        }
        let l: VectorLayer
        do { l = try VectorReader.read(path, layer: layer) } catch {
            throw StudyError("\(path): cannot read the admin layer: \(error)")
        }
        let lower = Dictionary(l.fieldNames.map { ($0.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        let nameCol: String
        if let nameField {
            guard let c = lower[nameField.lowercased()] else {
                throw StudyError("\(path): no field '\(nameField)' for the unit names; fields: \(l.fieldNames.joined(separator: ", "))")
            }
            nameCol = c
        } else {
            guard let c = nameFields.compactMap({ lower[$0] }).first else {
                throw StudyError(
                    "\(path): no name field (tried \(nameFields.joined(separator: ", "))); fields: \(l.fieldNames.joined(separator: ", ")); give --admin-name-field"
                )
            }
            nameCol = c
        }
        let idCol = idFields.compactMap { lower[$0] }.first
        var units: [AdminUnit] = []
        for f in l.features {
            guard let g = f.geometry, !g.polygons.isEmpty else {
                throw StudyError("\(path): feature \(f.index), column 'geometry': expected a polygon")
            }
            guard let name = f.attributes[nameCol], !name.isEmpty else {
                throw StudyError("\(path): feature \(f.index), column '\(nameCol)': empty: expected the unit's name")
            }
            units.append(AdminUnit(id: idCol.flatMap { f.attributes[$0] } ?? String(f.index), name: name, geometry: g))
        }
        guard !units.isEmpty else { throw StudyError("\(path): no admin units") }
        return AdminLayer(parentName: nil, units: units)
    }

    static func dvhcvn(_ obj: [String: Any], path: String) throws -> AdminLayer {
        let key = obj["level2s"] != nil ? "level2" : "level3"
        guard let items = obj[key + "s"] as? [[String: Any]] else {
            throw StudyError("\(path): field '\(key)s': expected an array of units")
        }
        var units: [AdminUnit] = []
        for (i, item) in items.enumerated() {
            guard let name = item["name"] as? String else {
                throw StudyError("\(path): \(key)s[\(i)], field 'name': expected a string")
            }
            let id = item["\(key)_id"] as? String ?? String(i + 1)
            let type = item["type"] as? String ?? "MultiPolygon"
            guard let coords = item["coordinates"] as? [Any], let g = geometry(type: type, coordinates: coords) else {
                throw StudyError("\(path): \(key)s[\(i)] (\(name)), field 'coordinates': expected Polygon or MultiPolygon coordinates")
            }
            units.append(AdminUnit(id: id, name: name, geometry: g))
        }
        return AdminLayer(parentName: obj["name"] as? String, units: units)
    }

    static func geometry(type: String, coordinates: [Any]) -> Geometry? {
        func ring(_ a: Any) -> [Coordinate]? {
            guard let pts = a as? [[Double]] else { return nil }
            return pts.compactMap { $0.count >= 2 ? Coordinate($0[0], $0[1]) : nil }
        }
        func polygon(_ a: Any) -> [[Coordinate]]? { (a as? [Any])?.compactMap(ring) }
        switch type {
        case "Polygon": return polygon(coordinates).map { .polygon($0) }
        case "MultiPolygon":
            let ps = coordinates.compactMap(polygon)
            return ps.isEmpty ? nil : .multiPolygon(ps)
        default: return nil
        }
    }

    /// The unit holding each point (index into `units`), nil when none does.
    public func assign(longitudes: [Double], latitudes: [Double]) -> [Int?] {
        let boxes = units.map { $0.geometry.bounds }
        return zip(longitudes, latitudes).map { lon, lat in
            let c = Coordinate(lon, lat)
            for (i, b) in boxes.enumerated() where lon >= b.minX && lon <= b.maxX && lat >= b.minY && lat <= b.maxY {
                if units[i].geometry.contains(c) { return i }
            }
            return nil
        }
    }
}

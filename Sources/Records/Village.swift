// Villages (points, or polygons whose centroid stands for them) and zones (polygons).
import Foundation
import Geo
import Radio

public struct Village: Sendable, Equatable {
    public var id: String
    public var name: String
    public var commune: String
    public var district: String
    public var latitude: Double
    public var longitude: Double
    public var population: Int
    /// The village's outline when the layer holds polygons.
    public var outline: Geometry?

    public init(
        id: String, name: String, commune: String, district: String, latitude: Double, longitude: Double,
        population: Int, outline: Geometry? = nil
    ) {
        self.id = id; self.name = name; self.commune = commune; self.district = district
        self.latitude = latitude; self.longitude = longitude; self.population = population; self.outline = outline
    }
}

public struct Zone: Sendable, Equatable {
    public var id: String
    public var name: String
    /// industrial_park, high_tech_zone, …
    public var kind: String
    public var geometry: Geometry
}

public enum VillageLoader {
    public static let requiredColumns = ["id", "name", "commune", "district", "latitude", "longitude", "population"]

    public static func load(
        _ source: String, layer: String? = nil, skipInvalid: Bool = false,
        encoding: TextEncoding = .utf8, report: inout LoadReport
    ) throws -> [Village] {
        try loadRows(
            source: source, layer: layer, required: requiredColumns, skipInvalid: skipInvalid, encoding: encoding,
            report: &report, id: { $0.id }
        ) { r in try parse(r) }
    }

    /// Loads villages from rows already read (`tanso store`: the current versions in the register), named
    /// `source` in messages.
    public static func load(rows: VectorLayer, source: String, skipInvalid: Bool = false, report: inout LoadReport) throws -> [Village] {
        try collectRows(rows, source: source, required: requiredColumns, skipInvalid: skipInvalid, report: &report, id: { $0.id }) { r in try parse(r) }
    }

    static func parse(_ r: RowReader) throws -> Village {
        let pos = try r.position()
        let popRaw = try r.string("population")
        guard let pop = DecimalNumber.parseInt(popRaw) ?? DecimalNumber.parse(popRaw).flatMap({ $0 == $0.rounded() ? Int(exactly: $0) : nil }), pop >= 0
        else {
            throw r.error("population", popRaw, "a whole number ≥ 0")
        }
        let outline = r.geometry.flatMap { $0.polygons.isEmpty ? nil : $0 }
        return Village(
            id: try r.string("id"), name: try r.string("name"), commune: try r.string("commune"),
            district: try r.string("district"), latitude: pos.y, longitude: pos.x,
            population: pop, outline: outline)
    }
}

public enum ZoneLoader {
    public static let requiredColumns = ["id", "name", "kind"]

    public static func load(
        _ source: String, layer: String? = nil, skipInvalid: Bool = false,
        encoding: TextEncoding = .utf8, report: inout LoadReport
    ) throws -> [Zone] {
        try loadRows(
            source: source, layer: layer, required: requiredColumns, skipInvalid: skipInvalid, encoding: encoding,
            report: &report, id: { $0.id }
        ) { r in
            guard let g = r.geometry, !g.polygons.isEmpty else {
                throw r.error("geometry", nil, "a polygon")
            }
            return Zone(id: try r.string("id"), name: try r.string("name"), kind: try r.string("kind"), geometry: g)
        }
    }
}

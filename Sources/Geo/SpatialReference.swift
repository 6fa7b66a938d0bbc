// CRS definitions through OGR's spatial-reference API.
import CGDAL
import Foundation

public enum SpatialReference {
    /// WKT of a CRS given as anything GDAL accepts ("EPSG:32648", a PROJ string, WKT).
    public static func wkt(of definition: String) throws -> String {
        try handle(definition).wkt(path: definition)
    }

    /// True when the CRS is geographic (degrees).
    public static func isGeographic(_ definition: String) throws -> Bool {
        let srs = try handle(definition)
        return OSRIsGeographic(srs.raw) != 0
    }

    /// True when two CRS definitions describe the same CRS (OGR's comparison: "EPSG:32611" and its WKT agree), so
    /// coordinates in one are coordinates in the other without a transform.
    public static func isSame(_ a: String, _ b: String) throws -> Bool {
        if a == b { return true }
        return try handle(a).isSame(handle(b))
    }

    /// An OGR spatial reference in traditional GIS axis order (longitude/easting first).
    static func handle(_ definition: String) throws -> OwnedSpatialReference {
        GDALEnvironment.ensure()
        guard let raw = OSRNewSpatialReference(nil) else {
            throw GDALEnvironment.error("create CRS", kind: .projection)
        }
        let srs = OwnedSpatialReference(raw)
        do {
            try GDALEnvironment.check(
                OSRSetFromUserInput(raw, definition), "parse CRS", String(definition.prefix(80)),
                kind: .projection)
        } catch let e as GeoError {
            // OGR's code alone ("unsupported spatial reference") says less than the old wording.
            throw GeoError(
                kind: .projection, operation: e.operation, path: e.path,
                message: e.message.hasPrefix("OGR error") ? "not a CRS GDAL understands" : e.message)
        }
        OSRSetAxisMappingStrategy(raw, OAMS_TRADITIONAL_GIS_ORDER)
        return srs
    }
}

// CRS definitions through OGR's spatial-reference API.
import CGDAL
import Foundation

public enum SpatialReference {
    /// WKT of a CRS given as anything GDAL accepts ("EPSG:32648", a PROJ string, WKT).
    public static func wkt(of definition: String) throws -> String {
        GDALEnvironment.ensure()
        let srs = try handle(definition)
        defer { OSRDestroySpatialReference(srs) }
        var out: UnsafeMutablePointer<CChar>? = nil
        guard OSRExportToWkt(srs, &out) == OGRERR_NONE, let out else {
            throw GDALEnvironment.error("export CRS", definition)
        }
        defer { VSIFree(out) }
        return String(cString: out)
    }

    /// True when the CRS is geographic (degrees).
    public static func isGeographic(_ definition: String) throws -> Bool {
        let srs = try handle(definition)
        defer { OSRDestroySpatialReference(srs) }
        return OSRIsGeographic(srs) != 0
    }

    /// An OGR spatial reference in traditional GIS axis order (longitude/easting first); the caller destroys it.
    static func handle(_ definition: String) throws -> OGRSpatialReferenceH {
        GDALEnvironment.ensure()
        guard let srs = OSRNewSpatialReference(nil) else { throw GDALEnvironment.error("create CRS") }
        guard OSRSetFromUserInput(srs, definition) == OGRERR_NONE else {
            OSRDestroySpatialReference(srs)
            throw GDALEnvironment.error("parse CRS", String(definition.prefix(80)), fallback: "not a CRS GDAL understands")
        }
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER)
        return srs
    }
}

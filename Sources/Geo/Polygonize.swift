// Raster → polygons with GDALPolygonize (8-connected), returned in WGS84 lon/lat.
import CGDAL
import Foundation

public enum Polygonize {
    /// Polygons of the connected regions of equal non-zero class in `classes` (row-major, width × height, on the
    /// grid described by `geoTransform` and `crs`). Zero cells are background. Each result carries its class.
    public static func regions(classes: [UInt8], width: Int, height: Int, geoTransform: GeoTransform,
                               crs: String) throws -> [(classValue: Int, geometry: Geometry)] {
        precondition(classes.count == width * height)
        GDALEnvironment.ensure()
        guard let memDriver = GDALGetDriverByName("MEM"),
              let mem = GDALCreate(memDriver, "", Int32(width), Int32(height), 1, GDT_Byte, nil) else {
            throw GDALEnvironment.error("create in-memory raster for polygonize")
        }
        defer { GDALClose(mem) }
        var gt = geoTransform.coefficients
        GDALSetGeoTransform(mem, &gt)
        let band = GDALGetRasterBand(mem, 1)
        var data = classes
        let err = data.withUnsafeMutableBytes { buf in
            GDALRasterIO(band, GF_Write, 0, 0, Int32(width), Int32(height), buf.baseAddress,
                         Int32(width), Int32(height), GDT_Byte, 0, 0)
        }
        guard err == CE_None else { throw GDALEnvironment.error("fill raster for polygonize") }

        guard let vecDriver = GDALGetDriverByName("Memory"),
              let vds = GDALCreate(vecDriver, "", 0, 0, 0, GDT_Unknown, nil) else {
            throw GDALEnvironment.error("create in-memory vector")
        }
        defer { GDALClose(vds) }
        let srs = try SpatialReference.handle(crs.isEmpty ? "EPSG:4326" : crs)
        defer { OSRDestroySpatialReference(srs) }
        guard let layer = GDALDatasetCreateLayer(vds, "regions", srs, wkbPolygon, nil) else {
            throw GDALEnvironment.error("create polygon layer")
        }
        let fd = OGR_Fld_Create("class", OFTInteger)
        OGR_L_CreateField(layer, fd, 1)
        OGR_Fld_Destroy(fd)
        let options = CStringList(["8CONNECTED=8"])
        // The band is its own mask: zero cells produce no polygon.
        guard GDALPolygonize(band, band, layer, 0, options.pointer, nil, nil) == CE_None else {
            throw GDALEnvironment.error("polygonize")
        }

        let wgs84 = try SpatialReference.handle("EPSG:4326")
        defer { OSRDestroySpatialReference(wgs84) }
        var transform: OGRCoordinateTransformationH? = nil
        if OSRIsSame(srs, wgs84) == 0 {
            transform = OCTNewCoordinateTransformation(srs, wgs84)
            if transform == nil { throw GDALEnvironment.error("transform polygons to WGS84") }
        }
        defer { if let transform { OCTDestroyCoordinateTransformation(transform) } }

        var out: [(Int, Geometry)] = []
        OGR_L_ResetReading(layer)
        while let f = OGR_L_GetNextFeature(layer) {
            defer { OGR_F_Destroy(f) }
            guard let g = OGR_F_GetGeometryRef(f) else { continue }
            if let transform, OGR_G_Transform(g, transform) != OGRERR_NONE {
                throw GDALEnvironment.error("transform polygon to WGS84")
            }
            if let geom = VectorReader.convert(g) { out.append((Int(OGR_F_GetFieldAsInteger(f, 0)), geom)) }
        }
        return out
    }
}

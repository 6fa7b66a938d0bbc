// Raster → polygons with GDALPolygonize (8-connected), returned in WGS84 lon/lat.
import CGDAL
import Foundation

public enum Polygonize {
    /// Polygons of the connected regions of equal non-zero class in `classes` (row-major, width × height, on the
    /// grid described by `geoTransform` and `crs`). Zero cells are background. Each result carries its class.
    public static func regions(
        classes: [UInt8], width: Int, height: Int, geoTransform: GeoTransform,
        crs: String
    ) throws -> [(classValue: Int, geometry: Geometry)] {
        precondition(classes.count == width * height)
        GDALEnvironment.ensure()
        let mem = try OwnedDataset.memoryRaster(
            width: width, height: height, bands: 1, type: GDT_Byte,
            operation: "create in-memory raster for polygonize")
        var gt = geoTransform.coefficients
        try GDALEnvironment.check(GDALSetGeoTransform(mem.raw, &gt), "georeference raster for polygonize")
        let band = try mem.band(1, operation: "polygonize")
        var data = classes
        let err = data.withUnsafeMutableBytes { buf in
            GDALRasterIO(
                band, GF_Write, 0, 0, Int32(width), Int32(height), buf.baseAddress,
                Int32(width), Int32(height), GDT_Byte, 0, 0)
        }
        try GDALEnvironment.check(err, "fill raster for polygonize")

        guard let vecDriver = GDALGetDriverByName("Memory") else {
            throw GeoError(kind: .driver, operation: "create in-memory vector", message: "GDAL has no Memory driver")
        }
        let vds = try OwnedDataset.create(driver: vecDriver, path: "", operation: "create in-memory vector")
        let srs = try SpatialReference.handle(crs.isEmpty ? "EPSG:4326" : crs)
        guard let layer = GDALDatasetCreateLayer(vds.raw, "regions", srs.raw, wkbPolygon, nil) else {
            throw GDALEnvironment.error("create polygon layer")
        }
        let fd = try OwnedFieldDefinition(name: "class", type: OFTInteger)
        try GDALEnvironment.check(OGR_L_CreateField(layer, fd.raw, 1), "create field 'class' in polygon layer")
        let options = CStringList(["8CONNECTED=8"])
        // The band is its own mask: zero cells produce no polygon.
        try GDALEnvironment.check(GDALPolygonize(band, band, layer, 0, options.pointer, nil, nil), "polygonize")

        let wgs84 = try SpatialReference.handle("EPSG:4326")
        let transform = try OwnedCoordinateTransformation.between(srs, wgs84, operation: "transform polygons to WGS84")

        var out: [(Int, Geometry)] = []
        OGR_L_ResetReading(layer)
        while let raw = OGR_L_GetNextFeature(layer) {
            let f = OwnedFeature(raw)
            guard let g = OGR_F_GetGeometryRef(f.raw) else { continue }
            try transform?.apply(to: g, operation: "transform polygon to WGS84")
            if let geom = VectorReader.convert(g) { out.append((Int(OGR_F_GetFieldAsInteger(f.raw, 0)), geom)) }
        }
        withExtendedLifetime((mem, vds, srs, fd)) {} // the layer and band belong to these
        return out
    }
}

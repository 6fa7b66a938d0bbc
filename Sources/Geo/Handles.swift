// Owning types for the GDAL, OGR and OSR handles (habit 5 of DESIGN.md): each final class owns one C handle and
// frees it in `deinit`, so no code path, thrown errors included, leaks a handle or closes one twice. The raw
// handle (`raw`) is for calls within Geo only, while the owner is alive: an owner held in a local stays alive
// until the end of its scope whenever a C call (a deinit barrier) uses the handle after the owner's last mention.
import CGDAL
import Foundation

/// A GDAL dataset (raster or vector, on disk or in memory), closed in `deinit`. Written datasets are flushed by
/// `close()`, which reports a failure of the final write.
final class OwnedDataset {
    let raw: GDALDatasetH
    private var closed = false

    init(_ raw: GDALDatasetH) { self.raw = raw }

    /// A new dataset from `GDALCreate` (`bands` of `type`; 0 × 0 × 0 and GDT_Unknown for vector).
    static func create(
        driver: GDALDriverH, path: String, width: Int = 0, height: Int = 0, bands: Int = 0,
        type: GDALDataType = GDT_Unknown, options: CStringList? = nil,
        operation: String, reportedPath: String? = nil
    ) throws -> OwnedDataset {
        guard let h = GDALCreate(driver, path, Int32(width), Int32(height), Int32(bands), type, options?.pointer) else {
            throw GDALEnvironment.error(operation, reportedPath, kind: .driver)
        }
        return OwnedDataset(h)
    }

    /// An in-memory raster (GDAL's MEM driver).
    static func memoryRaster(
        width: Int, height: Int, bands: Int, type: GDALDataType,
        operation: String, path: String? = nil
    ) throws -> OwnedDataset {
        guard let driver = GDALGetDriverByName("MEM") else {
            throw GeoError(kind: .driver, operation: operation, path: path, message: "GDAL has no MEM driver")
        }
        return try create(
            driver: driver, path: "", width: width, height: height, bands: bands, type: type,
            operation: operation, reportedPath: path)
    }

    /// A copy of `source` written by `driver` (`GDALCreateCopy`; COG, PNG and KML super-overlays are copy-only).
    static func copy(
        _ source: OwnedDataset, driver: GDALDriverH, to path: String, options: CStringList? = nil,
        operation: String, reportedPath: String?
    ) throws -> OwnedDataset {
        // tanso's creation options are fixed in its code and tested, so GDAL need not validate them on every
        // copy: validating COG options builds the driver's option list, which reads every tiling-scheme file in
        // GDAL's data folder (about 25 ms a product, a sixth of a line-of-sight run).
        let copied = GDALEnvironment.withThreadSetting("GDAL_VALIDATE_CREATION_OPTIONS", "NO") {
            GDALCreateCopy(driver, path, source.raw, 0, options?.pointer, nil, nil)
        }
        guard let h = copied else {
            throw GDALEnvironment.error(operation, reportedPath)
        }
        return OwnedDataset(h)
    }

    /// Band `index` (1-based), owned by this dataset.
    func band(_ index: Int, operation: String, path: String? = nil) throws -> GDALRasterBandH {
        guard let b = GDALGetRasterBand(raw, Int32(index)) else {
            throw GDALEnvironment.error(operation, path, fallback: "the dataset has no band \(index)")
        }
        return b
    }

    /// Closes the dataset now (flushing a written one) and throws if GDAL reported a failure while closing.
    func close(operation: String = "close", path: String? = nil) throws {
        guard !closed else { return }
        closed = true
        CPLErrorReset()
        GDALClose(raw)
        if CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal {
            throw GDALEnvironment.error(operation, path)
        }
    }

    deinit { if !closed { GDALClose(raw) } }
}

/// An OGR spatial reference (reference-counted by OGR: released in `deinit`).
final class OwnedSpatialReference {
    let raw: OGRSpatialReferenceH

    init(_ raw: OGRSpatialReferenceH) { self.raw = raw }

    /// A clone of a spatial reference owned by someone else (e.g. a layer's), in traditional GIS axis order.
    static func clone(_ srs: OGRSpatialReferenceH) -> OwnedSpatialReference? {
        guard let c = OSRClone(srs) else { return nil }
        OSRSetAxisMappingStrategy(c, OAMS_TRADITIONAL_GIS_ORDER)
        return OwnedSpatialReference(c)
    }

    func isSame(_ other: OwnedSpatialReference) -> Bool { OSRIsSame(raw, other.raw) != 0 }

    /// WKT of the spatial reference.
    func wkt(operation: String = "export CRS", path: String? = nil) throws -> String {
        var out: UnsafeMutablePointer<CChar>? = nil
        let err = OSRExportToWkt(raw, &out)
        let text = takeCString(out)
        try GDALEnvironment.check(err, operation, path, kind: .projection)
        guard let text else { throw GDALEnvironment.error(operation, path, kind: .projection) }
        return text
    }

    deinit { OSRRelease(raw) }
}

/// An OGR coordinate transformation, destroyed in `deinit`.
final class OwnedCoordinateTransformation {
    let raw: OGRCoordinateTransformationH

    /// nil when source and target are the same CRS (nothing to transform).
    static func between(
        _ source: OwnedSpatialReference, _ target: OwnedSpatialReference,
        operation: String, path: String? = nil
    ) throws -> OwnedCoordinateTransformation? {
        if source.isSame(target) { return nil }
        guard let t = OCTNewCoordinateTransformation(source.raw, target.raw) else {
            throw GDALEnvironment.error(operation, path, kind: .projection)
        }
        return OwnedCoordinateTransformation(t)
    }

    private init(_ raw: OGRCoordinateTransformationH) { self.raw = raw }

    /// Transforms `geometry` in place.
    func apply(to geometry: OGRGeometryH, operation: String, path: String? = nil) throws {
        try GDALEnvironment.check(OGR_G_Transform(geometry, raw), operation, path, kind: .projection)
    }

    deinit { OCTDestroyCoordinateTransformation(raw) }
}

/// An OGR feature, destroyed in `deinit`.
final class OwnedFeature {
    let raw: OGRFeatureH
    init(_ raw: OGRFeatureH) { self.raw = raw }
    deinit { OGR_F_Destroy(raw) }
}

/// An OGR geometry not (yet) owned by a feature or a collection, destroyed in `deinit` unless handed over
/// with `release()` to a call that takes ownership (`…Directly`).
final class OwnedGeometry {
    private(set) var raw: OGRGeometryH
    private var owned = true

    init(_ raw: OGRGeometryH) { self.raw = raw }

    /// A new empty geometry of `type`.
    static func create(_ type: OGRwkbGeometryType) throws -> OwnedGeometry {
        guard let g = OGR_G_CreateGeometry(type) else {
            throw GDALEnvironment.error("create geometry", kind: .unsupported)
        }
        return OwnedGeometry(g)
    }

    /// Gives up ownership: the returned handle now belongs to whoever takes it.
    func release() -> OGRGeometryH {
        owned = false
        return raw
    }

    deinit { if owned { OGR_G_DestroyGeometry(raw) } }
}

/// An OGR field definition, destroyed in `deinit` (layers copy it).
final class OwnedFieldDefinition {
    let raw: OGRFieldDefnH
    init(name: String, type: OGRFieldType) throws {
        guard let fd = OGR_Fld_Create(name, type) else { throw GDALEnvironment.error("create field '\(name)'") }
        raw = fd
    }
    deinit { OGR_Fld_Destroy(raw) }
}

/// A file opened through GDAL's virtual file systems (VSIL), closed in `deinit`.
final class OwnedVirtualFile {
    let raw: UnsafeMutablePointer<VSILFILE>
    private var closed = false

    init?(path: String, mode: String) {
        guard let fp = VSIFOpenL(path, mode) else { return nil }
        raw = fp
    }

    /// Closes now; false when the final flush failed.
    func close() -> Bool {
        guard !closed else { return true }
        closed = true
        return VSIFCloseL(raw) == 0
    }

    deinit { if !closed { VSIFCloseL(raw) } }
}

/// The text of a string GDAL allocated for the caller (`OSRExportToWkt`, …), which is then freed.
func takeCString(_ p: UnsafeMutablePointer<CChar>?) -> String? {
    guard let p else { return nil }
    defer { VSIFree(p) }
    return String(cString: p)
}

// The rasters of a coverage run written band by band while the engine sweeps the grid (`CoverageEngine.sweep`):
// each band of rows goes into a band store per layer and is let go; at the end the stores become the product
// COGs (byte-identical to those written from whole grids) and the other products (polygons, village figures,
// KMZ, map) read the layers back from the stores one at a time (`CoverageLayers`). Memory: a band of every layer,
// then one or two whole layers, instead of every layer of the grid at once.
import Foundation
import Geo
import Analysis
import Records

public final class CoverageBandWriter {
    public let spec: GridSpec
    /// The services, in the order of the engine's bands.
    public let keys: [ServiceKey]
    let directory: String, scratchDirectory: String
    let selection: CoverageProducts.Selection
    let rasters: [CoverageProducts.Raster]
    private var stores: [CoverageLayers.Layer: RasterBandWriter] = [:]

    /// The band stores of the layers that the products of `selection` need, in `scratchDirectory` (created, and
    /// removed by `discard`); the raster products go into `directory` (a staging folder).
    public init(
        spec: GridSpec, transmitters: [Transmitter], study: CoverageStudy, directory: String, scratchDirectory: String,
        selection: CoverageProducts.Selection
    ) throws {
        self.spec = spec; self.directory = directory; self.scratchDirectory = scratchDirectory; self.selection = selection
        keys = CoverageEngine.serviceKeys(transmitters)
        let probe = CoverageLayers(spec: spec, transmitters: transmitters, keys: keys, study: study, seconds: 0, groundM: nil) { _ in [] }
        rasters = CoverageProducts.rasters(probe, selection: selection)
        var needed = Dictionary(rasters.map { ($0.layer, $0) }, uniquingKeysWith: { a, _ in a })
        if selection.has(.polygons) || selection.has(.villages) {
            for k in keys where needed[.service(k)] == nil { needed[.service(k)] = scratch(.service(k), "service-\(k)") }
        }
        if selection.has(.villages), needed[.bestServer] == nil { needed[.bestServer] = scratch(.bestServer, "best-server") }
        GDALEnvironment.boundBlockCache(megabytes: 64)
        for (layer, r) in needed {
            stores[layer] = try RasterBandWriter(
                path: directory + "/" + r.name, width: spec.width, height: spec.height, geoTransform: spec.geoTransform,
                crs: spec.crs, nodata: r.nodata, cells: r.cells, description: r.description, metadata: r.metadata, scratchDirectory: scratchDirectory)
        }
    }

    /// A layer that no product file holds but polygons or village figures read (its store is never finished).
    private func scratch(_ layer: CoverageLayers.Layer, _ name: String) -> CoverageProducts.Raster {
        CoverageProducts.Raster(
            name: name.replacingOccurrences(of: " ", with: "_") + ".tif", layer: layer, nodata: CoverageResult.nodata, description: "", metadata: [:])
    }

    /// Writes one band of the engine's sweep into every store.
    public func write(_ band: CoverageBand) throws {
        for (layer, store) in stores {
            switch layer {
            case .bestSignal: try store.write(rows: band.best)
            case .bestServer: try store.write(rows: band.server.map { Float($0) })
            case .serverCount: try store.write(rows: band.count.map { Float($0) })
            case .service(let k):
                guard let i = keys.firstIndex(of: k) else { throw StudyError("no service \(k) in the run") }
                try store.write(rows: band.serviceLayer(i))
            }
        }
    }

    /// Writes the raster products from the stores and returns the run's layers, read back from the stores, for
    /// the other products (`CoverageProducts.write(_:rastersWritten: true, …)`). `discard()` afterwards.
    public func finish(sweep: CoverageEngine.Sweep, transmitters: [Transmitter]) throws -> CoverageLayers {
        for r in rasters { try stores[r.layer]!.finish(format: .cog, overviews: selection.has(.overviews)) }
        let stores = self.stores
        return CoverageLayers(
            spec: spec, transmitters: transmitters, keys: keys, study: sweep.study,
            seconds: sweep.seconds, groundM: sweep.groundM
        ) { layer in
            guard let store = stores[layer] else { throw StudyError("the layer \(layer) was not kept for the products asked for") }
            return try store.values()
        }
    }

    /// Deletes the band stores.
    public func discard() {
        for s in stores.values { s.discard() }
        stores = [:]
        try? FileManager.default.removeItem(atPath: scratchDirectory)
    }

    deinit { discard() }
}

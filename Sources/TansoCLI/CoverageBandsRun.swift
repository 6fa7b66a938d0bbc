// tanso coverage by bands of rows (`--band-rows`): the engine sweeps the grid band by band, each band is written
// into the raster products' stores and let go, and the other products read the layers back one at a time. Used
// for large grids; the products are the same byte for byte as a whole-grid run's (CoverageBandsTests).
import Foundation
import Geo
import Analysis
import Reports
import Terrain
import Radio
import Records

enum CoverageBands {
    /// Band height when the grid is large and `--band-rows` is not given.
    static let defaultRows = 512
    /// Grids above this many cells are swept by bands unless `--band-rows 0`.
    static let defaultAboveCells = 4_000_000

    /// The band height of a run: the one given (0: none), else `defaultRows` for a grid above `defaultAboveCells`.
    static func rows(_ given: Int?, study: CoverageStudy) throws -> Int? {
        if let given { return given > 0 ? given : nil }
        let spec = try GridSpec.utm(west: study.west, south: study.south, east: study.east, north: study.north, resolutionM: study.resolutionM)
        return spec.cellCount > defaultAboveCells ? defaultRows : nil
    }

    /// Runs the study band by band into the staging folder of `output`, then writes the other products and swaps.
    static func execute(
        study: CoverageStudy, transmitters: [Transmitter], villages: [Village], dem: ElevationModel?,
        antennas: AntennaLibrary?, receiverLoss: [Float]?, bandRows: Int, record: RunRecord, output tx: OutputTransaction,
        title: String, selection: CoverageProducts.Selection
    ) throws -> String {
        let plan = try study.validated()
        let spec = try GridSpec.utm(west: study.west, south: study.south, east: study.east, north: study.north, resolutionM: study.resolutionM)
        let writer = try CoverageBandWriter(
            spec: spec, transmitters: transmitters, study: study, directory: tx.staging, scratchDirectory: tx.staging + "-bands",
            selection: selection)
        defer { writer.discard() }
        let sweep = try CoverageEngine.sweep(
            validated: plan, transmitters: transmitters, dem: dem, antennas: antennas, receiverLossDB: receiverLoss,
            bandRows: bandRows, progress: TansoCLI.progressHandler("coverage")
        ) { try writer.write($0) }
        CoverageCommand.warnAbout(sweep.diagnostics)
        var runRecord = record
        runRecord.grid = RunRecord.grid(sweep.spec)
        let layers = try writer.finish(sweep: sweep, transmitters: transmitters)
        return try CoverageCommand.writeProducts(
            layers, rastersWritten: true, villages: villages, record: runRecord, output: tx, title: title, selection: selection)
    }
}

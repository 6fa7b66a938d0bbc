// Coverage engine: per-sector received power on a metric grid; composite best signal, best server and server
// count, plus the best signal per operator and technology. The strategies (loss fields) and the compositor are in
// CoveragePipeline.swift, CoverageKernels.swift (Hata kernel, exact profiles), CoverageRadial.swift and
// CoverageLOS.swift; the sectors' set-up in CoverageSectors.swift.
//
// Geometry: the grid is laid out in the UTM zone of the study's centre; distances and bearings are planar in
// that projection (scale error < 0.1 % and meridian convergence < 0.5° across Đồng Nai: documented, and replaced
// by geodesic profiles in the terrain-aware engine).
// Received power: P_rx = EIRP + G_rel(φ, θ) − L(d), with G_rel the sector pattern relative to boresight toward
// the receiver (θ from the terrain heights of both ends when a DEM is given), L from the Hata family
// (Okumura-Hata ≤ 1500 MHz, COST-231 above; `Hata.loss` rule below 1 km).
// Parallel by bands of rows (`Parallel.perform`, `--threads`) within each sector's window; every deposit is order-free, so
// results are identical whatever the number of threads.
import Dispatch
import Foundation
import Synchronization
import Geo
import Propagation
import Radio
import Records
import Terrain

/// A metric grid definition in a projected CRS.
public struct GridSpec: Sendable, Equatable {
    public let crs: String
    public let geoTransform: GeoTransform
    public let width: Int
    public let height: Int

    public init(crs: String, geoTransform: GeoTransform, width: Int, height: Int) {
        self.crs = crs; self.geoTransform = geoTransform; self.width = width; self.height = height
    }

    /// A north-up grid in the UTM zone of the area's centre, covering the WGS84 box at `resolutionM`.
    public static func utm(west: Double, south: Double, east: Double, north: Double, resolutionM: Double) throws -> GridSpec {
        guard west < east, south < north, (-180...180).contains(west), (-180...180).contains(east),
            (-90...90).contains(south), (-90...90).contains(north)
        else {
            throw StudyError("area \(west),\(south),\(east),\(north) is not a valid WGS84 box (west,south,east,north)")
        }
        guard resolutionM >= 1, resolutionM <= 10_000 else {
            throw StudyError("resolution \(resolutionM) m is outside [1, 10000] m")
        }
        let crs = CoordinateTransform.utmCRS(longitude: (west + east) / 2, latitude: (south + north) / 2)
        let t = try CoordinateTransform(from: "EPSG:4326", to: crs)
        var xs: [Double] = [], ys: [Double] = []
        for i in 0...10 {
            let f = Double(i) / 10
            for (lon, lat) in [
                (west + f * (east - west), south), (west + f * (east - west), north),
                (west, south + f * (north - south)), (east, south + f * (north - south))
            ] {
                xs.append(lon); ys.append(lat)
            }
        }
        t.transform(xs: &xs, ys: &ys)
        let minX = floor(xs.min()! / resolutionM) * resolutionM, maxX = ceil(xs.max()! / resolutionM) * resolutionM
        let minY = floor(ys.min()! / resolutionM) * resolutionM, maxY = ceil(ys.max()! / resolutionM) * resolutionM
        let w = Int(((maxX - minX) / resolutionM).rounded()), h = Int(((maxY - minY) / resolutionM).rounded())
        guard w * h <= WorkLimits.maxGridCells else {
            throw StudyError(
                "grid of \(w)×\(h) cells is larger than the \(WorkLimits.maxGridCells) allowed; use a coarser resolution or a smaller area (or raise TANSO_MAX_GRID_CELLS)"
            )
        }
        return GridSpec(
            crs: crs, geoTransform: GeoTransform(originX: minX, originY: maxY, pixelWidth: resolutionM, pixelHeight: resolutionM),
            width: w, height: h)
    }

    public var cellCount: Int { width * height }

    /// The WGS 84 box holding the whole grid: its rectangle's outline (16 points a side) transformed back.
    public func geographicBox() throws -> GeographicBox {
        let t = try CoordinateTransform(from: crs, to: "EPSG:4326")
        var xs: [Double] = [], ys: [Double] = []
        let x0 = geoTransform.originX, y0 = geoTransform.originY
        let x1 = x0 + Double(width) * geoTransform.pixelWidth, y1 = y0 - Double(height) * geoTransform.pixelHeight
        for i in 0...16 {
            let f = Double(i) / 16
            xs += [x0 + f * (x1 - x0), x0 + f * (x1 - x0), x0, x1]
            ys += [y0, y1, y0 + f * (y1 - y0), y0 + f * (y1 - y0)]
        }
        t.transform(xs: &xs, ys: &ys)
        return GeographicBox(west: xs.min()!, south: ys.min()!, east: xs.max()!, north: ys.max()!)
    }
    public var resolutionM: Double { geoTransform.pixelWidth }
    public func cellCentre(col: Int, row: Int) -> (x: Double, y: Double) {
        geoTransform.map(col: Double(col) + 0.5, row: Double(row) + 0.5)
    }

    public func grid(values: [Float], nodata: Float?) -> RasterGrid {
        RasterGrid(width: width, height: height, geoTransform: geoTransform, crs: crs, nodata: nodata, values: values)
    }
}

/// Key of a per-operator, per-technology layer.
public struct ServiceKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let operatorName: String
    public let technology: Technology
    public init(_ operatorName: String, _ technology: Technology) {
        self.operatorName = operatorName
        self.technology = technology
    }
    public static func < (a: ServiceKey, b: ServiceKey) -> Bool {
        (a.operatorName, a.technology.rawValue) < (b.operatorName, b.technology.rawValue)
    }
    public var description: String { "\(operatorName) \(technology.rawValue)" }
}

public struct CoverageResult: Sendable {
    public static let nodata: Float = -9999
    public let spec: GridSpec
    public let transmitters: [Transmitter]
    /// Best received power over all transmitters, dBm (nodata where none reaches the floor).
    public let bestSignalDBm: [Float]
    /// Index into `transmitters` of the best server (−1 where none).
    public let bestServer: [Int32]
    /// Number of transmitters at or above their technology's threshold.
    public let serverCount: [UInt16]
    /// Best received power per operator and technology, dBm (nodata where none).
    public let serviceDBm: [ServiceKey: [Float]]
    /// Ground elevation at cell centres (m), when a DEM was given.
    public let groundM: [Float]?
    public let study: CoverageStudy
    public let seconds: Double
    /// Cells skipped for missing terrain or rejected by the model (summed over transmitters).
    public var diagnostics = CoverageEngine.Diagnostics()

    public init(
        spec: GridSpec, transmitters: [Transmitter], bestSignalDBm: [Float], bestServer: [Int32], serverCount: [UInt16],
        serviceDBm: [ServiceKey: [Float]], groundM: [Float]?, study: CoverageStudy, seconds: Double,
        diagnostics: CoverageEngine.Diagnostics = CoverageEngine.Diagnostics()
    ) {
        self.spec = spec; self.transmitters = transmitters; self.bestSignalDBm = bestSignalDBm; self.bestServer = bestServer
        self.serverCount = serverCount; self.serviceDBm = serviceDBm; self.groundM = groundM; self.study = study
        self.seconds = seconds; self.diagnostics = diagnostics
    }

    /// Best signal value at a WGS84 point for a service, nil when outside the grid or nodata.
    public func value(_ layer: [Float], longitude: Double, latitude: Double, transform: CoordinateTransform) -> Float? {
        guard let p = try? transform.transform(x: longitude, y: latitude) else { return nil }
        let px = spec.geoTransform.pixel(x: p.x, y: p.y)
        let c = Int(floor(px.col)), r = Int(floor(px.row))
        guard c >= 0, r >= 0, c < spec.width, r < spec.height else { return nil }
        let v = layer[r * spec.width + c]
        return v == CoverageResult.nodata ? nil : v
    }
}

/// Progress callback: fraction done in [0, 1].
public typealias ProgressHandler = @Sendable (Double) -> Void

public enum CoverageEngine {
    /// Cells left empty for a transmitter because the terrain or the model could not give a value.
    public struct Diagnostics: Sendable, Codable, Equatable {
        public init() {}
        public var cellsWithoutTerrain = 0
        public var cellsRejectedByModel = 0
        /// Path-loss evaluations on terrain profiles (radial method: once per loss field shared by a site's
        /// sectors; the rest of the cells were interpolated).
        public var profilesComputed = 0
        public var firstModelError: String?
    }

    /// Effective Earth radius (4/3 of 6371 km) for the antenna elevation angle, m.
    static let effectiveEarthRadiusM = 6_371_000.0 * 4 / 3

    /// Validates the study (`CoverageStudy.validated()`) and runs it.
    public static func run(
        study: CoverageStudy, transmitters: [Transmitter], dem: ElevationModel?,
        antennas: AntennaLibrary? = nil, sectorAntenna: SectorAntenna = SectorAntenna(),
        receiverLossDB: [Float]? = nil,
        progress: ProgressHandler? = nil
    ) throws -> CoverageResult {
        try run(
            validated: study.validated(), transmitters: transmitters, dem: dem, antennas: antennas,
            sectorAntenna: sectorAntenna, receiverLossDB: receiverLossDB, progress: progress)
    }

    /// Runs a validated study: the cells' positions, the sectors' set-up, then the loss field of the study's
    /// strategy through the compositor, as one band (the whole grid) held in the result.
    public static func run(
        validated plan: ValidatedStudy, transmitters: [Transmitter], dem: ElevationModel?,
        antennas: AntennaLibrary? = nil, sectorAntenna: SectorAntenna = SectorAntenna(),
        receiverLossDB: [Float]? = nil,
        progress: ProgressHandler? = nil
    ) throws -> CoverageResult {
        try run(
            validated: plan, transmitters: transmitters, dem: dem, antennas: antennas, sectorAntenna: sectorAntenna,
            receiverLossDB: receiverLossDB, companion: nil, progress: progress
        ).result
    }

    /// A second profile model evaluated on the same profiles as the study's (the same model at another time
    /// percentage), for the transmitters marked in `transmitters`: the radial method computes both losses from
    /// one profile per cell and deposits the companion's into layers of its own.
    struct Companion {
        let model: ProfileModel
        let transmitters: [Bool]
    }

    /// Runs a validated study as one band (the whole grid) held in the result, with the companion's service
    /// layers when one is given (nil when the study's strategy is not the radial method, which alone shares its
    /// profiles).
    static func run(
        validated plan: ValidatedStudy, transmitters: [Transmitter], dem: ElevationModel?,
        antennas: AntennaLibrary? = nil, sectorAntenna: SectorAntenna = SectorAntenna(),
        receiverLossDB: [Float]? = nil, companion: Companion?,
        progress: ProgressHandler? = nil
    ) throws -> (result: CoverageResult, companion: [ServiceKey: [Float]]?) {
        var whole: (band: CoverageBand, companion: CoverageBand?)? = nil
        let run = try sweep(
            validated: plan, transmitters: transmitters, dem: dem, antennas: antennas, sectorAntenna: sectorAntenna,
            receiverLossDB: receiverLossDB, bandRows: Int.max, companion: companion, progress: progress
        ) { whole = ($0, $1) }
        let band = whole!.band
        let result = CoverageResult(
            spec: run.spec, transmitters: transmitters, bestSignalDBm: band.best, bestServer: band.server,
            serverCount: band.count, serviceDBm: band.serviceLayers(run.keys), groundM: run.groundM,
            study: run.study, seconds: run.seconds, diagnostics: run.diagnostics)
        return (result, whole!.companion?.serviceLayers(run.keys))
    }

    /// What a swept run leaves besides its bands.
    public struct Sweep: Sendable {
        public let spec: GridSpec
        /// The services of the bands' layers, in their order.
        public let keys: [ServiceKey]
        /// Ground elevation at cell centres (m), when a DEM was given.
        public let groundM: [Float]?
        public let study: CoverageStudy
        /// The engine's time, s.
        public let seconds: Double
        public let diagnostics: Diagnostics
    }

    /// Runs a validated study band by band: `sink` receives the composites of `bandRows` grid rows at a time, top
    /// to bottom, so that a caller can write each band and let it go (memory: a few bands, the cells' positions and
    /// the loss windows of the sectors that reach the current band). The bands equal the rows of `run`'s result.
    public static func sweep(
        validated plan: ValidatedStudy, transmitters: [Transmitter], dem: ElevationModel?,
        antennas: AntennaLibrary? = nil, sectorAntenna: SectorAntenna = SectorAntenna(),
        receiverLossDB: [Float]? = nil, bandRows: Int,
        progress: ProgressHandler? = nil, sink: (CoverageBand) throws -> Void
    ) throws -> Sweep {
        try sweep(
            validated: plan, transmitters: transmitters, dem: dem, antennas: antennas, sectorAntenna: sectorAntenna,
            receiverLossDB: receiverLossDB, bandRows: bandRows, companion: nil, progress: progress
        ) { band, _ in try sink(band) }
    }

    /// `sweep`, with a companion model's bands beside the study's (the second argument of `sink`; nil without one).
    static func sweep(
        validated plan: ValidatedStudy, transmitters: [Transmitter], dem: ElevationModel?,
        antennas: AntennaLibrary? = nil, sectorAntenna: SectorAntenna = SectorAntenna(),
        receiverLossDB: [Float]? = nil, bandRows: Int, companion: Companion?,
        progress: ProgressHandler? = nil, sink: (CoverageBand, CoverageBand?) throws -> Void
    ) throws -> Sweep {
        let start = Date(), study = plan.study
        guard !transmitters.isEmpty else { throw StudyError("no transmitters to compute") }
        // A DEM served by a block cache (`ElevationModel.open`) gives the study its window.
        let dem = try dem.map { $0.blocks == nil ? $0 : try $0.window(terrainWindow(study: study, transmitters: transmitters)) }
        if plan.model.needsTerrain && dem == nil {
            throw StudyError(
                plan.model == .lineOfSight
                    ? "model 'los' (line of sight) needs terrain: give a DEM (--dem)"
                    : "model '\(plan.model)' needs terrain: give a DEM (--dem)")
        }
        let spec = try GridSpec.utm(
            west: study.west, south: study.south, east: study.east, north: study.north,
            resolutionM: study.resolutionM)
        // Extra receiver-end loss per cell (a land-cover clutter map, `ClutterMap.lossPerCell`), the same for every
        // transmitter at that cell.
        if let r = receiverLossDB, r.count != spec.cellCount {
            throw StudyError("receiver loss per cell: \(r.count) values for a grid of \(spec.cellCount) cells")
        }
        let profileID: PathLossModelID? = if case .profile(let id) = plan.model { id } else { nil }
        let coordinates = profileID == .p1812 || profileID == .p452
        var cells = try CellGeometry(
            spec: spec, dem: dem, needsLonLat: dem != nil || coordinates, keepLonLat: coordinates, lonLatUnused: plan.model == .lineOfSight)
        let keys = serviceKeys(transmitters)
        let sectors = try sectorSetups(
            plan, transmitters: transmitters, spec: spec, dem: dem, antennas: antennas,
            sectorAntenna: sectorAntenna, keys: keys)
        var context = DepositContext(
            spec: spec, ground: cells.ground, rxHeightM: study.receiverHeightM,
            receiverLossDB: receiverLossDB ?? [], floorDBm: Float(study.floorDBm))
        if let cal = study.calibration {
            context.calibrationOffsetDB = Float(cal.offsetDB)
            context.calibrationSlopeDB = Float(cal.slopeDBPerDecade)
        }
        let diagnostics = DiagnosticsBox()
        func through<F: LossField>(_ field: F, companion: CompanionWindows? = nil) throws {
            try CoverageEngine.sweep(
                field, sectors: sectors, context: context, services: keys.count, bandRows: min(bandRows, spec.height),
                diagnostics: diagnostics, progress: progress, companion: companion, sink: sink)
        }
        let chosen = try strategy(plan, spec: spec, dem: dem, cells: cells)
        let ground = cells.ground
        cells = CellGeometry() // the positions are the strategy's now (or nobody's)
        switch chosen {
        case .hata(let f): try through(f)
        case .lineOfSight(let f): try through(f)
        case .radial(let f):
            try through(
                f,
                companion: companion.map { c in
                    CompanionWindows(transmitters: c.transmitters) { s, members in
                        let wanted = members.contains { c.transmitters[$0] }
                        return f.lossWindows(for: s, members: members.count, key: members[0], companion: wanted ? c.model : nil, diagnostics: diagnostics)
                    }
                })
        case .exact(let f): try through(f)
        }
        return Sweep(
            spec: spec, keys: keys, groundM: ground, study: study, seconds: Date().timeIntervalSince(start), diagnostics: diagnostics.total)
    }

    /// The loss field of a run.
    enum Strategy {
        case hata(HataKernelField), lineOfSight(LineOfSightField), radial(RadialField), exact(ExactProfileField)
    }

    /// The study's model and profile method, with the terrain at hand: line of sight; the Hata kernel; radial
    /// profiles (terrain models with a DEM); exact profiles (or a flat profile per cell without a DEM).
    static func strategy(_ plan: ValidatedStudy, spec: GridSpec, dem: ElevationModel?, cells: CellGeometry) throws -> Strategy {
        let study = plan.study
        switch plan.model {
        case .hataKernel:
            return .hata(HataKernelField(spec: spec))
        case .lineOfSight:
            return .lineOfSight(LineOfSightField(spec: spec, ground: cells.ground!, rxHeightM: study.receiverHeightM))
        case .profile:
            let model = plan.profileModel!
            let spacingM = study.profileSpacingM ?? dem?.cellSizeM ?? 100
            if let dem, plan.profileMethod == .radial {
                return .radial(
                    RadialField(
                        spec: spec, dem: dem, model: model, spacingM: spacingM, maxPoints: study.maxProfilePoints,
                        rxHeightM: study.receiverHeightM, cells: cells,
                        gridToDEM: try CoordinateTransform(from: spec.crs, to: dem.grid.crs),
                        interpolateWithinDB: study.interpolateWithinDB, anchorSpacing: study.anchorSpacingCells,
                        interpolateGroundWithinM: study.interpolateGroundWithinM))
            }
            return .exact(
                ExactProfileField(
                    spec: spec, model: model, sampler: dem?.sampler, cells: cells, spacingM: spacingM,
                    maxPoints: study.maxProfilePoints, rxHeightM: study.receiverHeightM))
        }
    }
}

extension CoverageEngine {
    /// Grid bearing (degrees clockwise from grid north, before the convergence) and depression below the horizon
    /// (degrees, with the Earth's curvature) from the sector's antenna toward a cell; the same for every sector
    /// at the site and height.
    @inline(__always)
    static func antennaAngles(_ s: SectorSetup, dx: Double, dy: Double, gridM: Double, rxAbsM: Double) -> (bearingDeg: Double, depressionDeg: Double) {
        let dM = max(gridM, 1)
        return (
            FastAngle.atan2(dx, dy) * (180 / .pi),
            FastAngle.atan2(s.txAbsM - rxAbsM, dM) * (180 / .pi) + dM / (2 * effectiveEarthRadiusM) * (180 / .pi)
        )
    }

    /// Antenna gain relative to boresight toward a cell at a grid bearing and depression (`antennaAngles`): 0 for
    /// omnidirectional transmitters; a pattern file's table, tilted mechanically when built; or the parametric
    /// sector with both tilts. The grid bearing plus the meridian convergence gives the true bearing.
    @inline(__always)
    static func antennaGainDB(_ s: SectorSetup, bearingDeg gridBearing: Double, depressionDeg depression: Double) -> Float {
        guard let az = s.azimuth else { return 0 }
        let bearing = gridBearing + s.gridConvergenceDeg
        if let table = s.gainTable { return table.relativeGainDB(azimuthOffDeg: bearing - az, depressionDeg: depression) }
        guard let sector = s.sectorAntenna else { return 0 }
        return Float(
            sector.relativeGainDB(
                offAzimuthDeg: bearing - az, depressionDeg: depression,
                mechanicalTiltDeg: s.mechTilt, electricalTiltDeg: s.elecTilt))
    }
}

/// atan2 to 1.2e-5 rad (7e-4°) without libm: range reduction to [0, 1] and the polynomial of Abramowitz & Stegun
/// 4.4.49 for atan there (checked against Foundation's atan2 in CoverageEngineTests). Antenna angles need far less.
enum FastAngle {
    @inline(__always)
    static func atan2(_ y: Double, _ x: Double) -> Double {
        let ax = abs(x), ay = abs(y)
        let hi = max(ax, ay), lo = min(ax, ay)
        if hi == 0 { return 0 }
        let a = lo / hi, s = a * a
        // Abramowitz & Stegun 4.4.49: |ε| ≤ 1e-5 on [0, 1].
        var r = a * (0.9998660 + s * (-0.3302995 + s * (0.1801410 + s * (-0.0851330 + s * 0.0208351))))
        if ay > ax { r = .pi / 2 - r }
        if x < 0 { r = .pi - r }
        return y < 0 ? -r : r
    }
}

/// Collects per-band diagnostics; the first model error reported is the one of the lowest band, so the
/// message does not depend on thread timing.
final class DiagnosticsBox: Sendable {
    private let parts = Mutex<[Int: CoverageEngine.Diagnostics]>([:])
    func add(_ d: CoverageEngine.Diagnostics, band: Int) { parts.withLock { $0[band] = d } }
    var total: CoverageEngine.Diagnostics {
        parts.withLock { parts in
            var t = CoverageEngine.Diagnostics()
            for band in parts.keys.sorted() {
                let d = parts[band]!
                t.cellsWithoutTerrain += d.cellsWithoutTerrain
                t.cellsRejectedByModel += d.cellsRejectedByModel
                t.profilesComputed += d.profilesComputed
                if t.firstModelError == nil { t.firstModelError = d.firstModelError }
            }
            return t
        }
    }
}

/// Carries non-Sendable buffers into `concurrentPerform`, whose iterations write disjoint ranges.
/// `@unchecked` on purpose: a raw buffer shared without a lock, the disjointness of the writes being the caller's
/// guarantee (a lock per cell would cost the kernels their speed).
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

// One coverage pipeline: a loss field per strategy (the Hata kernel, exact profiles, radial profiles with
// refinement, line of sight) computes the path loss over a sector's window, and one compositor turns it into
// received power for each sector that shares it and deposits that into the composites (best signal, best
// server, server count, best signal per operator and technology).
//
// Received power at a cell: P_rx = EIRP + G_rel(φ, θ) − L − L_clutter(d) − L_rx, with L from the field, G_rel the
// sector's antenna toward the cell, L_clutter the P.2108 table of the sector's frequency, L_rx the extra
// receiver-end loss of the cell (a land-cover map). Every deposit is order-free (maximum with ties to the lower
// transmitter index, count), so the result depends neither on the order of the sectors nor on the thread count.
import Dispatch
import Foundation
import Geo
import Propagation
import Terrain

/// A strategy that computes path loss over the window of one sector (its rows and columns within its radius).
protocol LossField: Sendable {
    /// Whether sectors of one site at one antenna height, frequency and radius share the field: it is then
    /// computed once for the group (as its first member) and deposited for each member.
    var sharedBySiteSectors: Bool { get }
    /// The grid distance (m) with which the field measured a cell, for the antenna angles and the clutter table.
    func gridDistanceM(dx: Double, dy: Double) -> Double
    /// Path loss (dB) at each cell of the sector's window, row-major (`WindowShape`); +inf where the cell
    /// receives nothing (beyond the radius, hidden, no terrain, rejected by the model). `members` is the number
    /// of sectors that share it (diagnostics count per transmitter); `key` orders the diagnostics.
    func lossWindow(for s: CoverageEngine.SectorSetup, members: Int, key: Int, diagnostics: DiagnosticsBox) throws -> [Float]
    /// Path loss at the sector's window restricted to `rows` (`WindowShape(s, rows:)`), when the field computes
    /// each row on its own, so that a band sweep recomputes it per band instead of keeping the whole window; nil
    /// (the default): the field computes whole windows only.
    func lossRows(for s: CoverageEngine.SectorSetup, rows: ClosedRange<Int>) -> [Float]?
    /// The loss windows of two groups of sectors at one site, antenna height, radius and window on two frequencies
    /// (`s` on its own, `sibling` on `sibling.frequencyMHz`), each equal to its own `lossWindow`, computed
    /// together when the field can share work between them; nil (the default): it cannot.
    func siblingWindows(
        for s: CoverageEngine.SectorSetup, members: Int, key: Int, sibling: CoverageEngine.Sibling, diagnostics: DiagnosticsBox
    ) -> (window: [Float], sibling: [Float])?
}

extension LossField {
    func lossRows(for s: CoverageEngine.SectorSetup, rows: ClosedRange<Int>) -> [Float]? { nil }
    func siblingWindows(
        for s: CoverageEngine.SectorSetup, members: Int, key: Int, sibling: CoverageEngine.Sibling, diagnostics: DiagnosticsBox
    ) -> (window: [Float], sibling: [Float])? { nil }
}

/// The rows and columns of a sector's window, and its bands of rows for parallel work.
struct WindowShape {
    let rowMin: Int, rowMax: Int, colMin: Int, colMax: Int
    static let bandRows = 8
    init(_ s: CoverageEngine.SectorSetup) { rowMin = s.rowMin; rowMax = s.rowMax; colMin = s.colMin; colMax = s.colMax }
    /// The sector's window restricted to `rows` (within its own rows).
    init(_ s: CoverageEngine.SectorSetup, rows: ClosedRange<Int>) {
        rowMin = rows.lowerBound; rowMax = rows.upperBound; colMin = s.colMin; colMax = s.colMax
    }
    var rows: Int { rowMax - rowMin + 1 }
    var cols: Int { colMax - colMin + 1 }
    var count: Int { rows * cols }
    var isEmpty: Bool { rowMax < rowMin || colMax < colMin }
    var bands: Int { (rows + Self.bandRows - 1) / Self.bandRows }
    /// Grid rows of one band.
    func rows(ofBand band: Int) -> ClosedRange<Int> {
        let r0 = rowMin + band * Self.bandRows
        return r0...min(rowMax, r0 + Self.bandRows - 1)
    }
    @inline(__always) func index(row: Int, col: Int) -> Int { (row - rowMin) * cols + (col - colMin) }
}

/// The positions of the grid's cells that the strategies read: WGS 84 (P.1812, P.452 and the DEM), DEM pixel
/// position and ground elevation at the cell centres (with a DEM). Computed once per run, on all cores.
struct CellGeometry: Sendable {
    var lon: [Double] = [], lat: [Double] = []
    var demCol: [Double] = [], demRow: [Double] = []
    var ground: [Float]? = nil

    /// No positions (a run's geometry once its strategy holds what it needs).
    init() {}

    /// `needsLonLat`: the strategy reads WGS 84 positions (or the DEM needs them); `keepLonLat`: hold the WGS 84
    /// positions after the DEM's are derived (P.1812 and P.452 take the terminals' coordinates; other models do
    /// not, and a large grid saves 16 bytes a cell); `lonLatUnused`: the strategy reads only the DEM positions and
    /// the ground, so when the DEM shares the grid's CRS these come from the geotransforms alone, without PROJ and
    /// without WGS 84 positions.
    init(spec: GridSpec, dem: ElevationModel?, needsLonLat: Bool, keepLonLat: Bool = true, lonLatUnused: Bool = false) throws {
        guard needsLonLat else { return }
        if lonLatUnused, let dem, try SpatialReference.isSame(spec.crs, dem.grid.crs) {
            (demCol, demRow) = Self.cellCentres(spec)
            ground = Self.sampleGround(dem: dem, demCol: &demCol, demRow: &demRow)
            return
        }
        let toLonLat = { (xs: inout [Double], ys: inout [Double]) in
            _ = try CoordinateTransform.transformConcurrently(from: spec.crs, to: "EPSG:4326", xs: &xs, ys: &ys)
        }
        guard let dem else {
            (lon, lat) = try Self.positions(spec, tolerance: try Self.lonLatTolerance(spec), exact: toLonLat)
            return
        }
        let toDEM = { (xs: inout [Double], ys: inout [Double]) in
            try toLonLat(&xs, &ys)
            if !dem.isGeographic { _ = try CoordinateTransform.transformConcurrently(from: "EPSG:4326", to: dem.grid.crs, xs: &xs, ys: &ys) }
        }
        (demCol, demRow) = try Self.positions(spec, tolerance: Self.demTolerance(dem), exact: toDEM)
        if keepLonLat {
            (lon, lat) = dem.isGeographic ? (demCol, demRow) : try Self.positions(spec, tolerance: try Self.lonLatTolerance(spec), exact: toLonLat)
        }
        ground = Self.sampleGround(dem: dem, demCol: &demCol, demRow: &demRow)
    }

    /// Cell positions through PROJ on every cell (true) instead of the checked lattice (tests compare both routes).
    @TaskLocal static var exactRoute = false
    /// The lattice's spacing in cells: PROJ transforms every 16th row and column and 3 check points per block
    /// (about 1/64 of the cells); at 16 × 30 m bilinear interpolation of UTM → WGS 84 stays within 3e-5 of a 1″
    /// pixel (1 mm; `CellGeometryTests`). Blocks whose checks fail are transformed cell by cell.
    static let latticeStep = 16
    /// The interpolation error accepted, as a share of a DEM pixel (1e-4: millimetres at 1″).
    static let tolerancePixels = 1e-4

    /// The cell centres of `spec` through `exact`: on a checked lattice (`LatticeTransform`) or, on the exact
    /// route, cell by cell.
    private static func positions(
        _ spec: GridSpec, tolerance: (x: Double, y: Double), exact: (inout [Double], inout [Double]) throws -> Void
    ) throws -> (xs: [Double], ys: [Double]) {
        if exactRoute {
            var (xs, ys) = cellCentres(spec)
            try exact(&xs, &ys)
            return (xs, ys)
        }
        let r = try LatticeTransform.cellCentres(
            geoTransform: spec.geoTransform, width: spec.width, height: spec.height, step: latticeStep, tolerance: tolerance,
            perform: { Parallel.perform(iterations: $0, $1) }, exact: exact)
        return (r.xs, r.ys)
    }

    /// The tolerance in the DEM's CRS: `tolerancePixels` of its pixel along each axis.
    private static func demTolerance(_ dem: ElevationModel) -> (x: Double, y: Double) {
        let c = dem.geoTransform.coefficients
        return (tolerancePixels * hypot(c[1], c[4]), tolerancePixels * hypot(c[2], c[5]))
    }

    /// The tolerance in WGS 84 degrees: `tolerancePixels` of the grid's cell (its smaller side), in degrees of
    /// latitude (stricter in longitude).
    private static func lonLatTolerance(_ spec: GridSpec) throws -> (x: Double, y: Double) {
        let c = spec.geoTransform.coefficients
        let cell = min(hypot(c[1], c[4]), hypot(c[2], c[5]))
        let degrees = try SpatialReference.isGeographic(spec.crs) ? cell : cell / 111_320
        return (tolerancePixels * degrees, tolerancePixels * degrees)
    }

    /// The grid's cell centres in its own CRS, row-major.
    private static func cellCentres(_ spec: GridSpec) -> (xs: [Double], ys: [Double]) {
        var xs = [Double](), ys = [Double]()
        xs.reserveCapacity(spec.cellCount); ys.reserveCapacity(spec.cellCount)
        for r in 0..<spec.height {
            for c in 0..<spec.width { let p = spec.cellCentre(col: c, row: r); xs.append(p.x); ys.append(p.y) }
        }
        return (xs, ys)
    }

    /// Turns DEM coordinates into DEM pixel positions in place and samples the ground there (bilinear).
    private static func sampleGround(dem: ElevationModel, demCol: inout [Double], demRow: inout [Double]) -> [Float] {
        let n = demCol.count, gt = dem.geoTransform, sampler = dem.sampler
        var ground = [Float](unsafeUninitializedCapacity: n) { _, written in written = n } // every value is set below
        withMutableBuffers(&demCol, &demRow, &ground) { cp, rp, gp in
            let out = UnsafeSendable((cp, rp, gp))
            let parts = 64
            Parallel.perform(iterations: parts) { k in
                let (cp, rp, gp) = out.value
                sampler.values.withUnsafeBufferPointer { vp in
                    for i in (n * k / parts)..<(n * (k + 1) / parts) {
                        let px = gt.pixel(x: cp[i], y: rp[i])
                        cp[i] = px.col; rp[i] = px.row
                        gp[i] = Float(sampler.sample(col: px.col, row: px.row, values: vp))
                    }
                }
            }
        }
        return ground
    }
}

/// The cells of one window row that have a loss, with what every member of the group deposits over them.
/// The group's members share the site and the antenna height (`sectorGroups`), hence the grid bearing and the
/// depression toward each cell.
struct DepositRow {
    private(set) var count = 0
    private var cell: [Int], loss: [Float], gridM: [Double], extra: [Float]
    /// Grid bearing (degrees, before the convergence) and depression below the horizon (degrees) of each cell.
    private var bearingDeg: [Double], depressionDeg: [Double]

    init(capacity: Int) {
        cell = Array(repeating: 0, count: capacity); loss = Array(repeating: 0, count: capacity)
        gridM = Array(repeating: 0, count: capacity); extra = Array(repeating: 0, count: capacity)
        bearingDeg = Array(repeating: 0, count: capacity); depressionDeg = Array(repeating: 0, count: capacity)
    }

    /// Collects the cells of `row` with a finite loss; with `angles`, their bearing and depression from `site`.
    mutating func gather<F: LossField>(
        row: Int, shape: WindowShape, loss window: UnsafeBufferPointer<Float>, field: F,
        site s: CoverageEngine.SectorSetup, context c: DepositContext, angles: Bool
    ) {
        let geo = c.spec.geoTransform, width = c.spec.width, originX = geo.originX, pixelWidth = geo.pixelWidth
        let y = geo.originY - (Double(row) + 0.5) * geo.pixelHeight, dy = y - s.y
        var n = 0
        withMutableBuffers(&cell, &loss, &gridM) { cellP, lossP, gridP in
            withMutableBuffers(&extra, &bearingDeg, &depressionDeg) { extraP, bearingP, depressionP in
                for col in shape.colMin...shape.colMax {
                    let cellLoss = window[shape.index(row: row, col: col)]
                    guard cellLoss.isFinite else { continue }
                    let x = originX + (Double(col) + 0.5) * pixelWidth, dx = x - s.x
                    let d = field.gridDistanceM(dx: dx, dy: dy)
                    let idx = row * width + col
                    cellP[n] = idx; lossP[n] = cellLoss; gridP[n] = d
                    extraP[n] = c.extraLossDB(idx) + c.calibrationLossDB(d)
                    if angles {
                        let a = CoverageEngine.antennaAngles(s, dx: dx, dy: dy, gridM: d, rxAbsM: c.rxAbsM(idx))
                        bearingP[n] = a.bearingDeg; depressionP[n] = a.depressionDeg
                    }
                    n += 1
                }
            }
        }
        count = n
    }

    /// Deposits sector `m` (index `si`) over the gathered cells.
    func deposit(_ m: CoverageEngine.SectorSetup, index si: Int, into layers: CompositeLayers) {
        for k in 0..<count {
            let gain = CoverageEngine.antennaGainDB(m, bearingDeg: bearingDeg[k], depressionDeg: depressionDeg[k])
            layers.deposit(m.eirp + gain - loss[k] - m.clutterLossDB(gridM[k]) - extra[k], sector: m, index: si, cell: cell[k])
        }
    }
}

/// Lends three arrays as flat buffers at once (the one place for the nesting).
func withMutableBuffers<A, B, C, R>(
    _ a: inout [A], _ b: inout [B], _ c: inout [C],
    _ body: (UnsafeMutableBufferPointer<A>, UnsafeMutableBufferPointer<B>, UnsafeMutableBufferPointer<C>) throws -> R
) rethrows -> R {
    try a.withUnsafeMutableBufferPointer { pa in
        try b.withUnsafeMutableBufferPointer { pb in
            try c.withUnsafeMutableBufferPointer { pc in try body(pa, pb, pc) }
        }
    }
}

/// What the compositor needs to turn a field's loss into received power at a cell.
struct DepositContext: Sendable {
    let spec: GridSpec
    let ground: [Float]?
    let rxHeightM: Double
    /// Extra receiver-end loss per cell, dB (empty: none).
    let receiverLossDB: [Float]
    let floorDBm: Float
    /// A calibration's offset (dB) and slope (dB per decade of distance, from 1 km), as extra loss.
    var calibrationOffsetDB: Float = 0
    var calibrationSlopeDB: Float = 0

    @inline(__always) func rxAbsM(_ idx: Int) -> Double {
        guard let g = ground else { return rxHeightM }
        return rxHeightM + (g[idx].isNaN ? 0 : Double(g[idx]))
    }
    @inline(__always) func extraLossDB(_ idx: Int) -> Float { receiverLossDB.isEmpty ? 0 : receiverLossDB[idx] }
    /// The calibration's loss at a grid distance (m); the slope term only when there is one.
    @inline(__always) func calibrationLossDB(_ gridM: Double) -> Float {
        calibrationSlopeDB == 0 ? calibrationOffsetDB : calibrationOffsetDB + calibrationSlopeDB * Float(log10(max(gridM, 1) / 1000))
    }
}

/// A band of rows of the composite layers (rows `rowStart ..< rowStart + rows` of the grid, row-major): best
/// signal, best server, server count and the best signal per service (in the order of the run's service keys).
/// A run that is not swept by bands has one band, the whole grid.
public struct CoverageBand: Sendable {
    public let rowStart: Int, rows: Int, width: Int
    public internal(set) var best: [Float], server: [Int32], count: [UInt16]
    /// The service layers, `cells` values each, in the order of the run's service keys: one array each, so that
    /// a whole-grid run hands them to its result without copying them (scenario B's twelve layers are 580 MB).
    public internal(set) var service: [[Float]]
    public var cells: Int { rows * width }

    init(rowStart: Int, rows: Int, width: Int, services: Int) {
        self.rowStart = rowStart; self.rows = rows; self.width = width
        let n = rows * width
        best = Parallel.array(repeating: CoverageResult.nodata, count: n)
        server = Parallel.array(repeating: Int32(-1), count: n)
        count = Parallel.array(repeating: UInt16(0), count: n)
        service = (0..<services).map { _ in Parallel.array(repeating: CoverageResult.nodata, count: n) }
    }

    /// The band of the `i`-th service layer.
    public func serviceLayer(_ i: Int) -> [Float] { service[i] }

    mutating func withLayers<R>(floorDBm: Float, _ body: (CompositeLayers) throws -> R) rethrows -> R {
        let n = cells, offset = rowStart * width
        return try withMutableBuffers(&best, &server, &count) { b, s, c in
            try Self.withServiceBuffers(&service) { v in
                try body(CompositeLayers(best: b, server: s, count: c, service: v, cells: n, cellOffset: offset, floorDBm: floorDBm))
            }
        }
    }

    /// The service layers by key, in the order of `keys` (the arrays themselves, shared until written to).
    func serviceLayers(_ keys: [ServiceKey]) -> [ServiceKey: [Float]] {
        var out: [ServiceKey: [Float]] = [:]
        for (i, k) in keys.enumerated() { out[k] = service[i] }
        return out
    }

    /// `body` with a table of the base addresses of `layers`, valid during the call: each layer is held by its own
    /// `withUnsafeMutableBufferPointer`, nested, so none is copied or moved while `body` writes through the table.
    private static func withServiceBuffers<R>(
        _ layers: inout [[Float]], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<Float>>) throws -> R
    ) rethrows -> R {
        let table = UnsafeMutablePointer<UnsafeMutablePointer<Float>>.allocate(capacity: max(layers.count, 1))
        defer { table.deallocate() }
        return try layers.withUnsafeMutableBufferPointer { try nest($0, from: 0, into: table, body) }
    }

    private static func nest<R>(
        _ layers: UnsafeMutableBufferPointer<[Float]>, from i: Int, into table: UnsafeMutablePointer<UnsafeMutablePointer<Float>>,
        _ body: (UnsafeMutablePointer<UnsafeMutablePointer<Float>>) throws -> R
    ) rethrows -> R {
        if i == layers.count { return try body(table) }
        return try layers[i].withUnsafeMutableBufferPointer { b in
            // (an empty layer, a band of no rows, is never written: any aligned address stands for it)
            table[i] = b.baseAddress ?? UnsafeMutablePointer(bitPattern: MemoryLayout<Float>.alignment)!
            return try nest(layers, from: i + 1, into: table, body)
        }
    }
}

/// The composites of a band as flat buffers; each cell is written by one thread at a time. `@unchecked` on
/// purpose: raw buffers shared by the workers without a lock (their cells are disjoint).
struct CompositeLayers: @unchecked Sendable {
    let best: UnsafeMutableBufferPointer<Float>, server: UnsafeMutableBufferPointer<Int32>
    let count: UnsafeMutableBufferPointer<UInt16>
    /// The base address of each service layer (`cells` values each), by service index.
    let service: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    let cells: Int
    /// The grid index of the band's first cell.
    let cellOffset: Int
    let floorDBm: Float

    /// Adds one transmitter's received power at a cell (grid index): best signal and server (ties to the lower
    /// transmitter index, as `tanso merge` does), server count at the sector's threshold, best per service.
    @inline(__always)
    func deposit(_ p: Float, sector s: CoverageEngine.SectorSetup, index si: Int, cell gridIdx: Int) {
        if p < floorDBm { return }
        let idx = gridIdx - cellOffset
        if p > best[idx] || (p == best[idx] && Int32(si) < server[idx]) { best[idx] = p; server[idx] = Int32(si) }
        if p >= s.threshold { count[idx] &+= 1 }
        let layer = service[s.serviceIndex]
        if p > layer[idx] { layer[idx] = p }
    }
}

extension CoverageEngine {
    /// The pipeline, swept by bands of `bandRows` grid rows: for each band, each group of sectors that share a
    /// field and reach the band deposits its received power there, then `sink` takes the band. A field that
    /// computes rows on their own (`lossRows`) computes only the band's rows; another computes a group's whole
    /// window once, at the first band it reaches, and keeps it until its last band (the per-transmitter state
    /// reused across bands). Deposits are order-free, so the bands hold what one whole-grid band would.
    /// Progress is the share of window rows done.
    static func sweep<F: LossField>(
        _ field: F, sectors: [SectorSetup], context: DepositContext, services: Int, bandRows: Int,
        diagnostics: DiagnosticsBox, progress: ProgressHandler?, companion: CompanionWindows? = nil,
        sink: (CoverageBand, CoverageBand?) throws -> Void
    ) throws {
        let groups = sectorGroups(sectors, shared: field.sharedBySiteSectors)
        // Without a companion model, a group whose site has another on another frequency computes both windows at
        // once and keeps the other's for its turn.
        let partners = companion == nil && field.sharedBySiteSectors ? siblingPartners(groups, sectors: sectors) : [:]
        let totalRows = max(1, sectors.reduce(0) { $0 + max(0, $1.rowMax - $1.rowMin + 1) })
        let width = context.spec.width, height = context.spec.height
        var rowsDone = 0
        var kept: [Int: (window: [Float], companion: [Float]?)] = [:]
        for r0 in stride(from: 0, to: height, by: max(1, bandRows)) {
            let r1 = min(height, r0 + max(1, bandRows)) - 1
            var band = CoverageBand(rowStart: r0, rows: r1 - r0 + 1, width: width, services: services)
            // The companion's band (no rows, nothing held, without a companion).
            var other = CoverageBand(rowStart: r0, rows: companion == nil ? 0 : r1 - r0 + 1, width: width, services: services)
            try band.withLayers(floorDBm: context.floorDBm) { layers in
                try other.withLayers(floorDBm: context.floorDBm) { otherLayers in
                    for (g, members) in groups.enumerated() {
                        let s = sectors[members[0]], whole = WindowShape(s)
                        guard whole.rowMin <= r1, whole.rowMax >= r0 else { continue }
                        let rows = max(r0, whole.rowMin)...min(r1, whole.rowMax)
                        if companion == nil, let part = field.lossRows(for: s, rows: rows) {
                            depositWindow(
                                part, shape: WindowShape(s, rows: rows), rows: rows, field: field, members: members, sectors: sectors,
                                context: context, layers: layers)
                        } else {
                            var computed: (window: [Float], companion: [Float]?)? = nil
                            if kept[g] == nil, let h = partners[g] {
                                let other = groups[h]
                                let sibling = Sibling(frequencyMHz: sectors[other[0]].frequencyMHz, members: other.count, key: other[0])
                                if let pair = field.siblingWindows(
                                    for: s, members: members.count, key: members[0], sibling: sibling, diagnostics: diagnostics)
                                {
                                    computed = (pair.window, nil)
                                    kept[h] = (pair.sibling, nil)
                                }
                            }
                            let windows =
                                try computed
                                ?? kept[g]
                                ?? companion?.windows(s, members)
                                ?? (try field.lossWindow(for: s, members: members.count, key: members[0], diagnostics: diagnostics), nil)
                            depositWindow(
                                windows.window, shape: whole, rows: rows, field: field, members: members, sectors: sectors, context: context,
                                layers: layers)
                            if let second = windows.companion, let companion {
                                depositWindow(
                                    second, shape: whole, rows: rows, field: field, members: members.filter { companion.transmitters[$0] },
                                    sectors: sectors, context: context, layers: otherLayers)
                            }
                            kept[g] = whole.rowMax > r1 ? windows : nil
                        }
                        rowsDone += rows.count * members.count
                        progress?(Double(rowsDone) / Double(totalRows))
                    }
                }
            }
            try sink(band, companion == nil ? nil : other)
        }
    }

    /// A companion model's loss windows (the radial method's second time percentage from the same profiles): for a
    /// group of sectors, the study model's window and, when a member is in `transmitters`, the companion's, which
    /// is deposited for those members only into bands of its own.
    struct CompanionWindows {
        let transmitters: [Bool]
        let windows: (SectorSetup, [Int]) -> (window: [Float], companion: [Float]?)
    }

    /// Pairs of groups (first → second, in group order) whose sectors share the site, antenna height, radius and
    /// window but not the frequency: the second's loss window can be computed with the first's. A site on three
    /// frequencies pairs its first two; the third goes alone.
    static func siblingPartners(_ groups: [[Int]], sectors: [SectorSetup]) -> [Int: Int] {
        var waiting: [[UInt64]: Int] = [:], partners: [Int: Int] = [:]
        for (g, members) in groups.enumerated() {
            let s = sectors[members[0]]
            let key =
                [s.x, s.y, s.lon, s.lat, s.demCol, s.demRow, s.antennaHeightM, s.radiusM].map(\.bitPattern)
                + [s.colMin, s.colMax, s.rowMin, s.rowMax].map { UInt64(bitPattern: Int64($0)) }
            if let first = waiting.removeValue(forKey: key) {
                if sectors[groups[first][0]].frequencyMHz != s.frequencyMHz { partners[first] = g } else { waiting[key] = first }
            } else {
                waiting[key] = g
            }
        }
        return partners
    }

    /// Sectors with a non-empty window, grouped by site, antenna height, frequency and radius when the field is
    /// shared (groups in the order of their first sector), else one group each.
    static func sectorGroups(_ sectors: [SectorSetup], shared: Bool) -> [[Int]] {
        var groups: [[Int]] = [], groupOf: [[UInt64]: Int] = [:]
        for (si, s) in sectors.enumerated() where !WindowShape(s).isEmpty {
            guard shared else { groups.append([si]); continue }
            let key = [s.x, s.y, s.lon, s.lat, s.antennaHeightM, s.frequencyMHz, s.radiusM].map(\.bitPattern)
            if let g = groupOf[key] { groups[g].append(si) } else { groupOf[key] = groups.count; groups.append([si]) }
        }
        return groups
    }

    /// Received power of each member over `rows` of the window (of shape `shape`): the common loss, the member's
    /// own antenna gain and clutter loss, the cell's extra loss. In parallel over bands of rows. Row by row, what
    /// the members share (the cells with a loss, their distance, direction, depression and extra loss) is gathered
    /// once into a `DepositRow`, then each member deposits over it: a member's set-up is read once a row, not once
    /// a cell (copying it retains its tables), and the two arc tangents once a cell, not once a member.
    static func depositWindow<F: LossField>(
        _ window: [Float], shape: WindowShape, rows: ClosedRange<Int>, field: F, members: [Int], sectors: [SectorSetup],
        context c: DepositContext, layers: CompositeLayers
    ) {
        let s = sectors[members[0]]
        let directional = members.contains { sectors[$0].azimuth != nil }
        let parts = (rows.count + WindowShape.bandRows - 1) / WindowShape.bandRows
        window.withUnsafeBufferPointer { w in
            let loss = UnsafeSendable(w)
            Parallel.perform(iterations: parts) { part in
                var cells = DepositRow(capacity: shape.cols)
                let first = rows.lowerBound + part * WindowShape.bandRows
                for row in first...min(rows.upperBound, first + WindowShape.bandRows - 1) {
                    cells.gather(
                        row: row, shape: shape, loss: loss.value, field: field, site: s, context: c, angles: directional)
                    for si in members { cells.deposit(sectors[si], index: si, into: layers) }
                }
            }
        }
    }

    /// Profile intervals for a path of `distanceM`: the spacing rule, capped by the study's `maxProfilePoints`.
    @inline(__always)
    static func profileIntervals(distanceM: Double, spacingM: Double, maxPoints: Int?) -> Int {
        var points = ProfileSampling.intervals(distanceM: distanceM, spacingM: spacingM)
        if let cap = maxPoints { points = min(points, max(cap - 1, ProfileSampling.minimumIntervals)) }
        return points
    }
}

// Line-of-sight viewshed of one observer over a north-up elevation grid (`--model los`), built to agree with
// GDAL's GDALViewshedGenerate / `gdal_viewshed` in its default "edge" mode.
import Dispatch
import Foundation
import Geo

/// Viewshed of one observer on a north-up elevation grid.
///
/// **Method** (Wang, Robinson & White 2000, "Generating viewsheds without using sightlines", in the "edge"
/// variant GDAL uses by default). Heights are taken relative to the observer's eye (ground + observer height)
/// and lowered by the Earth's curvature less refraction, `k · r² / D` (k = `curvatureCoefficient`, 0.85714 =
/// 1 − 1/7; D = Earth diameter; r = horizontal distance between cell centres). The grid is swept outward from
/// the observer, one line of cells at a time (GDAL goes row by row; here, see Parallelism, rows or columns: the
/// arithmetic per cell is the same). Every cell keeps a *horizon height* H, the height the line of sight from the eye must clear
/// there: the larger of its own height and the sight line continued from the nearer cells. For a cell at
/// offsets (dx, dy) ≥ 0 from the observer, the sight line is estimated from the already-swept neighbours
/// nearer the observer, assuming the sight line through them is a plane through the eye:
/// - on the observer's row or column (dy = 0 or dx = 0): the neighbour inward, H·n/(n − 1) with n the offset;
/// - on a diagonal (dx = dy): the diagonal neighbour, H·n/(n − 1);
/// - dx > dy: between the diagonal neighbour (a) and the row neighbour (b): (a·dy + b·(dx − dy)) / (dx − 1);
/// - dy > dx: between the diagonal neighbour (a) and the column neighbour (b): (a·dx + b·(dy − dx)) / (dy − 1).
/// (n = 1, next to the observer, the estimate is the observer's ground height.) A cell is visible when its
/// height + `targetHeightM` reaches the estimate. One deliberate difference from GDAL: the observer's cell and
/// its eight neighbours are always visible (nothing lies between them and the eye). GDAL marks the two
/// neighbours in the observer's column and the four diagonal ones hidden when they lie lower than the observer's
/// ground (even a flat plane, once curvature lowers them), an artefact of that starting estimate. Horizon
/// heights are unchanged by this, so no other cell differs.
///
/// **Difference from exact ray tracing.** The horizon of a cell is interpolated from two neighbours one cell
/// nearer, not found by walking the straight ray to the observer, so the estimate blends the horizons of
/// adjacent rays: single-cell obstacles cast slightly spread, slightly softened shadows, and cells just at a
/// shadow edge can flip compared with an exact line-of-sight (R2) check. Cost is one pass, O(cells), against
/// O(cells × distance) for exact rays. The blending also spreads the shadow of a tall, narrow obstacle
/// toward the observer's row and column axes, well beyond its straight-line shadow (ViewshedTests' wall case,
/// where GDAL does the same). On the Big Tujunga SRTM DEM (three observers) the result equals GDAL 3.6's
/// GDALViewshedGenerate on every cell but 1–3 neighbours of the observer (see above).
///
/// **Output**: one byte per cell, row-major like the input: `visible` (1), `hidden` (0), `outside` (255) for
/// cells beyond `maxDistanceM` (distance between cell centres, as GDAL) and cells without elevation (NaN).
/// A nodata cell is transparent: its horizon height is the sight line through it. (GDAL has no nodata handling
/// and uses the stored value; on DEMs without holes the two agree.) If the observer's own cell is nodata,
/// everything is `outside`.
///
/// **Parallelism**: the sweep splits into eight octants (row-major where |dy| ≥ |dx|, column-major where
/// |dx| ≥ |dy|). Within an octant a cell depends only on the previous line (row or column), never on its
/// neighbour in the same line, so lines pipeline well; and the octants depend on nothing but the observer, so
/// they run concurrently. Cells shared by two octants (diagonals and axes) are computed identically by both and
/// written by one; the result is identical whatever the number of threads.
public enum Viewshed {
    public static let visible: UInt8 = 1
    public static let hidden: UInt8 = 0
    public static let outside: UInt8 = 255
    /// Twice WGS 84's semi-major axis: the diameter GDAL uses for a CRS on WGS 84.
    public static let wgs84EarthDiameterM = 2 * 6_378_137.0

    /// Viewshed of the observer standing on cell (`observerCol`, `observerRow`) of a row-major north-up grid
    /// (top row first, NaN = no elevation). Cell sizes in metres. `maxDistanceM` nil (or ≤ 0) = unlimited.
    /// Returns `width × height` bytes: 1 visible, 0 not visible, 255 beyond the distance or nodata.
    public static func compute(
        elevations: UnsafeBufferPointer<Float>, width: Int, height: Int,
        cellSizeXM: Double, cellSizeYM: Double, observerCol: Int, observerRow: Int,
        observerHeightM: Double, targetHeightM: Double, maxDistanceM: Double?,
        curvatureCoefficient: Double = 0.85714,
        earthDiameterM: Double = wgs84EarthDiameterM
    ) -> [UInt8] {
        compute(
            elevations: elevations, width: width, height: height, cellSizeXM: cellSizeXM, cellSizeYM: cellSizeYM,
            observerCol: observerCol, observerRow: observerRow, observerHeightM: observerHeightM,
            targetHeightM: targetHeightM, maxDistanceM: maxDistanceM, curvatureCoefficient: curvatureCoefficient,
            earthDiameterM: earthDiameterM, concurrent: true)
    }

    /// The same on a `RasterGrid` (its nodata value counts as missing). Cell sizes come from the geotransform:
    /// in metres for a projected CRS; for a geographic CRS, degrees are converted to metres at the observer's
    /// latitude (an approximation over large areas). Throws on a rotated grid or an observer outside it.
    public static func compute(
        grid: RasterGrid, observerCol: Int, observerRow: Int, observerHeightM: Double,
        targetHeightM: Double, maxDistanceM: Double?,
        curvatureCoefficient: Double = 0.85714
    ) throws -> [UInt8] {
        guard grid.geoTransform.isNorthUp else {
            throw GeoError(operation: "viewshed", message: "the elevation grid must be north-up (no rotation)")
        }
        guard observerCol >= 0, observerCol < grid.width, observerRow >= 0, observerRow < grid.height else {
            throw GeoError(operation: "viewshed", message: "observer cell (\(observerCol), \(observerRow)) is outside the \(grid.width)×\(grid.height) grid")
        }
        var sx = grid.geoTransform.pixelWidth, sy = abs(grid.geoTransform.pixelHeight)
        if !grid.crs.isEmpty, try SpatialReference.isGeographic(grid.crs) {
            let lat = grid.geoTransform.map(col: Double(observerCol) + 0.5, row: Double(observerRow) + 0.5).y
            sx *= Geodesy.metresPerDegreeLongitude(atLatitudeDeg: lat)
            sy *= Geodesy.metresPerDegreeLatitude
        }
        var values = grid.values
        if let nd = grid.nodata { for i in values.indices where values[i] == nd { values[i] = .nan } }
        return values.withUnsafeBufferPointer {
            compute(
                elevations: $0, width: grid.width, height: grid.height, cellSizeXM: sx, cellSizeYM: sy,
                observerCol: observerCol, observerRow: observerRow, observerHeightM: observerHeightM,
                targetHeightM: targetHeightM, maxDistanceM: maxDistanceM, curvatureCoefficient: curvatureCoefficient)
        }
    }

    /// `concurrent: false` sweeps the quadrants one after the other (tests compare both).
    static func compute(
        elevations: UnsafeBufferPointer<Float>, width: Int, height: Int,
        cellSizeXM: Double, cellSizeYM: Double, observerCol: Int, observerRow: Int,
        observerHeightM: Double, targetHeightM: Double, maxDistanceM: Double?,
        curvatureCoefficient: Double, earthDiameterM: Double, concurrent: Bool
    ) -> [UInt8] {
        precondition(width > 0 && height > 0 && elevations.count >= width * height, "elevations must hold width × height cells")
        precondition(
            observerCol >= 0 && observerCol < width && observerRow >= 0 && observerRow < height,
            "observer outside the grid")
        precondition(cellSizeXM > 0 && cellSizeYM > 0, "cell sizes must be positive")
        var out = [UInt8](repeating: outside, count: width * height)
        let ground = elevations[observerRow * width + observerCol]
        guard !ground.isNaN else { return out }

        let p = Params(
            width: width, height: height, cx: cellSizeXM, cy: cellSizeYM,
            col: observerCol, row: observerRow,
            eye: Double(ground) + observerHeightM, groundRel: -observerHeightM, target: targetHeightM,
            maxR2: (maxDistanceM ?? 0) > 0 ? maxDistanceM! * maxDistanceM! : .infinity,
            curve: earthDiameterM > 0 && earthDiameterM.isFinite ? curvatureCoefficient / earthDiameterM : 0)

        out[observerRow * width + observerCol] = visible
        // Eight octants, largest first so that the dynamic schedule balances them; each is self-contained.
        var octants: [Octant] = []
        for major in [Octant.Major.row, .column] {
            for sx in [-1, 1] { for sy in [-1, 1] { octants.append(Octant(p, major: major, stepX: sx, stepY: sy)) } }
        }
        octants.sort { $0.workEstimate > $1.workEstimate }
        let plan = octants
        out.withUnsafeMutableBufferPointer { o in
            if concurrent {
                let shared = UnsafeSendable((o, elevations))
                Parallel.perform(iterations: plan.count) { k in
                    let (o, z) = shared.value
                    sweep(p, plan[k], z, o)
                }
            } else {
                for k in plan.indices { sweep(p, plan[k], elevations, o) }
            }
        }
        return out
    }

    struct Params: Sendable {
        let width: Int, height: Int
        let cx: Double, cy: Double
        let col: Int, row: Int
        /// Eye height above the datum; heights below are relative to it.
        let eye: Double
        /// The observer's ground relative to the eye (−observer height).
        let groundRel: Double
        let target: Double
        let maxR2: Double
        /// Curvature-and-refraction drop per squared metre: k / D.
        let curve: Double
    }

    /// One octant of the sweep, in its own coordinates: lines at distance n ≥ 1 from the observer along the major
    /// axis (rows for `.row`, columns for `.column`), and in each line the offset m = 0…n along the minor axis. The
    /// cell (m, n) depends only on cells (m − 1, n − 1) and (m, n − 1) of the previous line, so the cells of a line
    /// are independent of one another. Shared cells are computed by both neighbouring octants (identically) and
    /// written by one: the diagonal by the row octant, the observer's column by the row octants with stepX = +1,
    /// the observer's row by the column octants with stepY = +1.
    struct Octant: Sendable {
        enum Major: Sendable { case row, column }
        let major: Major
        let stepX: Int, stepY: Int
        /// Lines available in the grid (and within the distance), and the largest minor offset in the grid.
        let lines: Int, minorMax: Int
        /// Index steps for one unit of n and of m, and the index of the observer.
        let lineStride: Int, cellStride: Int, origin: Int
        /// Cell sizes along the major and minor axes.
        let majorSize: Double, minorSize: Double
        let writesAxis: Bool, writesDiagonal: Bool
        /// On the observer's row the first cell keeps its own height as horizon (GDAL's seed line); elsewhere the
        /// first cell's horizon is the larger of its height and the observer's ground.
        let axisStartsUnmaxed: Bool

        init(_ p: Params, major: Major, stepX: Int, stepY: Int) {
            self.major = major
            self.stepX = stepX
            self.stepY = stepY
            let colsAvail = stepX > 0 ? p.width - 1 - p.col : p.col
            let rowsAvail = stepY > 0 ? p.height - 1 - p.row : p.row
            origin = p.row * p.width + p.col
            var n: Int
            switch major {
            case .row:
                n = rowsAvail; minorMax = colsAvail
                lineStride = stepY * p.width; cellStride = stepX
                majorSize = p.cy; minorSize = p.cx
                writesAxis = stepX > 0; writesDiagonal = true; axisStartsUnmaxed = false
            case .column:
                n = colsAvail; minorMax = rowsAvail
                lineStride = stepX; cellStride = stepY * p.width
                majorSize = p.cx; minorSize = p.cy
                writesAxis = stepY > 0; writesDiagonal = false; axisStartsUnmaxed = true
            }
            if p.maxR2.isFinite { n = min(n, Int(p.maxR2.squareRoot() / majorSize) + 1) }
            lines = max(n, 0)
        }

        var workEstimate: Int { lines == 0 ? 0 : lines * (min(lines, minorMax) + 1) - min(lines, minorMax) * min(lines, minorMax) / 2 }
    }

    private static func sweep(_ p: Params, _ o: Octant, _ z: UnsafeBufferPointer<Float>, _ out: UnsafeMutableBufferPointer<UInt8>) {
        guard o.lines > 0 else { return }
        let width = min(o.lines, o.minorMax) + 1
        var lastBuf = [Double](repeating: p.groundRel, count: width)
        var curBuf = [Double](repeating: 0, count: width)
        let target = p.target, curve = p.curve, eye = p.eye, maxR2 = p.maxR2
        let minor2 = o.minorSize * o.minorSize, major2 = o.majorSize * o.majorSize
        lastBuf.withUnsafeMutableBufferPointer { lastP in
            curBuf.withUnsafeMutableBufferPointer { curP in
                var L = lastP.baseAddress!, C = curP.baseAddress!
                // Line 0 is the observer alone: L[0] = the observer's ground relative to the eye.
                for n in 1...o.lines {
                    let rn2 = major2 * Double(n * n)
                    if rn2 > maxR2 { break }
                    let fn = Double(n), fn1 = Double(n - 1)
                    let base = o.origin + n * o.lineStride
                    // m = 0: on the axis, continued straight from the previous cell of the axis.
                    do {
                        let est = n == 1 ? L[0] : L[0] * fn / fn1
                        let e = z[base]
                        if e.isNaN {
                            C[0] = est
                        } else {
                            let h = Double(e) - eye - curve * rn2
                            if o.writesAxis { out[base] = n == 1 || h + target >= est ? visible : hidden }
                            C[0] = n == 1 && o.axisStartsUnmaxed ? h : max(h, est)
                        }
                    }
                    let mEnd = min(n, o.minorMax)
                    if mEnd >= 1 {
                        // 0 < m < n: between the diagonal neighbour and the straight neighbour of the previous line.
                        var m = 1
                        while m < min(n, mEnd + 1) {
                            let r2 = minor2 * Double(m * m) + rn2
                            if r2 > maxR2 { break }
                            let fm = Double(m)
                            let est = (L[m - 1] * fm + L[m] * (fn - fm)) / fn1
                            let i = base + m * o.cellStride
                            let e = z[i]
                            if e.isNaN {
                                C[m] = est
                            } else {
                                let h = Double(e) - eye - curve * r2
                                out[i] = h + target >= est ? visible : hidden
                                C[m] = max(h, est)
                            }
                            m += 1
                        }
                        // m = n: the diagonal, continued from the previous diagonal cell.
                        if m == n && n <= o.minorMax {
                            let r2 = minor2 * Double(n * n) + rn2
                            if r2 <= maxR2 {
                                let est = n == 1 ? L[0] : L[n - 1] * fn / fn1
                                let i = base + n * o.cellStride
                                let e = z[i]
                                if e.isNaN {
                                    C[n] = est
                                } else {
                                    let h = Double(e) - eye - curve * r2
                                    if o.writesDiagonal { out[i] = n == 1 || h + target >= est ? visible : hidden }
                                    C[n] = max(h, est)
                                }
                            }
                        }
                    }
                    swap(&L, &C)
                }
            }
        }
    }
}

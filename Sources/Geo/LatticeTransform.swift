// Transforms of every cell centre of a raster grid, computed exactly (through PROJ) only on a coarse lattice of the
// grid's rows and columns and interpolated bilinearly in between, with the interpolation checked against the exact
// transform in every block of the lattice. A block whose checks exceed the tolerance, or that touches a point the
// exact transform cannot take, is transformed exactly cell by cell: the lattice is used only where it is shown to
// hold (it does not across the antimeridian, near a pole, or where the transform has a kink).
//
// Error bound: bilinear interpolation reproduces 1, u, v and uv exactly; for a transform that is quadratic over a
// block its error is e(u, v) = −(f_uu·u(1−u) + f_vv·v(1−v))/2, largest in size at the centre or at an edge's middle,
// and |e| ≤ |e(½, 0)| + |e(0, ½)|. A block is kept when, for each output coordinate, the error at its centre is
// within the tolerance and the largest error at the middles of its horizontal edges plus the largest at the middles
// of its vertical edges is too.
import Foundation

public enum LatticeTransform {
    /// What the lattice did: its blocks and those transformed exactly; the points sent through the exact transform
    /// for the lattice (nodes and check points) and for the exact blocks; the largest error seen at the check points
    /// of the interpolated blocks (output units, x and y).
    public struct Report: Sendable {
        public var blocks = 0, exactBlocks = 0, latticePoints = 0, exactPoints = 0
        public var largestCheckError = (x: 0.0, y: 0.0)
    }

    /// The centres of the `width` × `height` cells of `geoTransform` (row-major) through `exact`, which transforms
    /// arrays in place (one or more PROJ transforms in a row) and leaves NaN where it cannot. `step`: the lattice's
    /// spacing in cells (every `step`-th row and column, plus the last); `tolerance`: the largest interpolation error
    /// accepted, in output units.
    /// `perform(n, body)` calls `body(i)` for every i in 0..<n, on any threads (default: in turn on this one); the
    /// interpolation runs one row of blocks per call, and the result does not depend on how they are spread.
    public static func cellCentres(
        geoTransform gt: GeoTransform, width: Int, height: Int, step: Int, tolerance: (x: Double, y: Double),
        perform: (Int, (Int) -> Void) -> Void = { n, body in for i in 0..<n { body(i) } },
        exact: (inout [Double], inout [Double]) throws -> Void
    ) rethrows -> (xs: [Double], ys: [Double], report: Report) {
        guard width > 0, height > 0 else { return ([], [], Report()) }
        let rows = Axis(count: height, step: step), cols = Axis(count: width, step: step)
        var report = Report()
        // The lattice's nodes, then the check points: middles of horizontal edges, of vertical edges, centres.
        var probe = Probe(gt: gt)
        for r in rows.nodes { for c in cols.nodes { probe.add(row: r, col: c) } }
        for r in rows.nodes { for c in cols.middles { probe.add(row: r, col: c) } }
        for r in rows.middles { for c in cols.nodes { probe.add(row: r, col: c) } }
        for r in rows.middles { for c in cols.middles { probe.add(row: r, col: c) } }
        report.latticePoints = probe.xs.count
        try exact(&probe.xs, &probe.ys)
        let lattice = Lattice(rows: rows, cols: cols, xs: probe.xs, ys: probe.ys)
        let kept = lattice.blocksWithinTolerance(tolerance, report: &report)
        // Every cell lies in one block: kept blocks are interpolated here, the others transformed exactly below.
        // (The arrays are not filled first: the first write to each page of fresh memory is the costly one.)
        var ys = [Double]()
        var xs = [Double](unsafeUninitializedCapacity: width * height) { xp, xn in
            ys = [Double](unsafeUninitializedCapacity: width * height) { yp, yn in
                let out = LatticeOutput(xs: xp.baseAddress!, ys: yp.baseAddress!)
                perform(lattice.rows.blocks) { i in lattice.interpolate(blockRow: i, into: out, width: width, kept: kept) }
                yn = width * height
            }
            xn = width * height
        }
        try transformRejectedBlocks(kept, lattice: lattice, gt: gt, width: width, xs: &xs, ys: &ys, exact: exact, report: &report)
        return (xs, ys, report)
    }

    /// Transforms the cells of the blocks not kept exactly, all in one call, and puts them in place.
    private static func transformRejectedBlocks(
        _ kept: [Bool], lattice: Lattice, gt: GeoTransform, width: Int, xs: inout [Double], ys: inout [Double],
        exact: (inout [Double], inout [Double]) throws -> Void, report: inout Report
    ) rethrows {
        var probe = Probe(gt: gt), index = [Int]()
        for b in kept.indices where !kept[b] {
            lattice.forEachCell(ofBlock: b) { r, c in
                probe.add(row: r, col: c); index.append(r * width + c)
            }
        }
        report.exactBlocks = kept.filter { !$0 }.count
        report.exactPoints = index.count
        guard !index.isEmpty else { return }
        try exact(&probe.xs, &probe.ys)
        for (k, i) in index.enumerated() { xs[i] = probe.xs[k]; ys[i] = probe.ys[k] }
    }

    /// Points at cell centres, gathered for one call of the exact transform.
    private struct Probe {
        let gt: GeoTransform
        var xs: [Double] = [], ys: [Double] = []
        mutating func add(row: Int, col: Int) {
            let p = gt.map(col: Double(col) + 0.5, row: Double(row) + 0.5)
            xs.append(p.x); ys.append(p.y)
        }
    }

    /// The lattice's lines along one axis: every `step`-th index and the last; the blocks between consecutive lines,
    /// and the middle index of each block.
    struct Axis {
        let nodes: [Int], middles: [Int]
        var blocks: Int { max(1, nodes.count - 1) }
        init(count: Int, step: Int) {
            var n = Array(stride(from: 0, to: max(count - 1, 1), by: max(1, step)))
            if count > 0 { n.append(count - 1) }
            nodes = n.count > 1 && n[n.count - 1] == n[n.count - 2] ? Array(n.dropLast()) : n
            middles = zip(nodes, nodes.dropFirst()).map { ($0 + $1) / 2 }
        }
    }

    /// The exact values at the lattice's nodes and check points, laid out as `cellCentres` probes them.
    struct Lattice {
        let rows: Axis, cols: Axis
        let xs: [Double], ys: [Double]

        private var nodeCount: Int { rows.nodes.count * cols.nodes.count }
        private var horizontalCount: Int { rows.nodes.count * (cols.nodes.count - 1) }
        private var verticalCount: Int { (rows.nodes.count - 1) * cols.nodes.count }
        @inline(__always) func node(_ i: Int, _ j: Int) -> Int { i * cols.nodes.count + j }
        /// The middle of the horizontal edge from node (i, j) to (i, j+1).
        private func horizontal(_ i: Int, _ j: Int) -> Int { nodeCount + i * (cols.nodes.count - 1) + j }
        /// The middle of the vertical edge from node (i, j) to (i+1, j).
        private func vertical(_ i: Int, _ j: Int) -> Int { nodeCount + horizontalCount + i * cols.nodes.count + j }
        private func centre(_ i: Int, _ j: Int) -> Int {
            nodeCount + horizontalCount + verticalCount + i * (cols.nodes.count - 1) + j
        }

        /// The bilinear value of block (i, j) at grid cell (r, c), x and y.
        @inline(__always) func bilinear(_ i: Int, _ j: Int, row r: Int, col c: Int) -> (x: Double, y: Double) {
            let r0 = rows.nodes[i], r1 = rows.nodes[min(i + 1, rows.nodes.count - 1)]
            let c0 = cols.nodes[j], c1 = cols.nodes[min(j + 1, cols.nodes.count - 1)]
            let v = r1 > r0 ? Double(r - r0) / Double(r1 - r0) : 0, u = c1 > c0 ? Double(c - c0) / Double(c1 - c0) : 0
            let a = node(i, j), b = node(i, min(j + 1, cols.nodes.count - 1))
            let d = node(min(i + 1, rows.nodes.count - 1), j)
            let e = node(min(i + 1, rows.nodes.count - 1), min(j + 1, cols.nodes.count - 1))
            func mix(_ p: [Double]) -> Double {
                let top = p[a] + u * (p[b] - p[a]), bottom = p[d] + u * (p[e] - p[d])
                return top + v * (bottom - top)
            }
            return (mix(xs), mix(ys))
        }

        /// Whether each block (row-major over the lattice's blocks) passes its checks; updates the report's
        /// largest check error over the blocks kept.
        func blocksWithinTolerance(_ tol: (x: Double, y: Double), report: inout Report) -> [Bool] {
            var kept = [Bool](repeating: false, count: rows.blocks * cols.blocks)
            report.blocks = kept.count
            guard rows.nodes.count > 1, cols.nodes.count > 1 else { return kept }
            for i in 0..<rows.blocks {
                for j in 0..<cols.blocks {
                    guard let e = checkErrors(i, j) else { continue }
                    let ok = e.centre.x <= tol.x && e.centre.y <= tol.y && e.edges.x <= tol.x && e.edges.y <= tol.y
                    kept[i * cols.blocks + j] = ok
                    if ok {
                        report.largestCheckError.x = max(report.largestCheckError.x, e.centre.x, e.edges.x)
                        report.largestCheckError.y = max(report.largestCheckError.y, e.centre.y, e.edges.y)
                    }
                }
            }
            return kept
        }

        /// Block (i, j)'s interpolation error at its centre and its bound from the edge middles (the larger of the
        /// two horizontal edges plus the larger of the two vertical ones); nil when a node or a check point did
        /// not transform.
        private func checkErrors(_ i: Int, _ j: Int) -> (centre: (x: Double, y: Double), edges: (x: Double, y: Double))? {
            let mr = rows.middles[i], mc = cols.middles[j]
            func error(_ k: Int, row: Int, col: Int) -> (x: Double, y: Double) {
                let p = bilinear(i, j, row: row, col: col)
                return (abs(p.x - xs[k]), abs(p.y - ys[k])) // NaN when either is NaN
            }
            let top = error(horizontal(i, j), row: rows.nodes[i], col: mc)
            let bottom = error(horizontal(i + 1, j), row: rows.nodes[i + 1], col: mc)
            let left = error(vertical(i, j), row: mr, col: cols.nodes[j])
            let right = error(vertical(i, j + 1), row: mr, col: cols.nodes[j + 1])
            let centre = error(centre(i, j), row: mr, col: mc)
            let edges = (x: max(top.x, bottom.x) + max(left.x, right.x), y: max(top.y, bottom.y) + max(left.y, right.y))
            let all = [centre.x, centre.y, edges.x, edges.y]
            return all.allSatisfy(\.isFinite) ? (centre, edges) : nil
        }

        /// Calls `body(row, col)` for each grid cell of block `b` (row-major over the lattice's blocks).
        func forEachCell(ofBlock b: Int, _ body: (Int, Int) -> Void) {
            let i = b / cols.blocks, j = b % cols.blocks
            let lastRow = i + 1 < rows.nodes.count ? rows.nodes[i + 1] - (i + 1 == rows.blocks ? 0 : 1) : rows.nodes[i]
            let lastCol = j + 1 < cols.nodes.count ? cols.nodes[j + 1] - (j + 1 == cols.blocks ? 0 : 1) : cols.nodes[j]
            for r in rows.nodes[i]...lastRow { for c in cols.nodes[j]...lastCol { body(r, c) } }
        }

        /// Bilinear values at every cell of the kept blocks of block row `i` (row-major grid of `width` columns).
        /// (`bilinear`'s arithmetic, operation for operation, with each block's nodes and each row's v taken once:
        /// the same bits at a fifth of the cost.)
        func interpolate(blockRow i: Int, into out: LatticeOutput, width: Int, kept: [Bool]) {
            let lastNode = (row: rows.nodes.count - 1, col: cols.nodes.count - 1)
            let r0 = rows.nodes[i], r1 = rows.nodes[min(i + 1, lastNode.row)]
            let lastRow = i + 1 < rows.nodes.count ? rows.nodes[i + 1] - (i + 1 == rows.blocks ? 0 : 1) : rows.nodes[i]
            for j in 0..<cols.blocks where kept[i * cols.blocks + j] {
                let c0 = cols.nodes[j], c1 = cols.nodes[min(j + 1, lastNode.col)]
                let lastCol = j + 1 < cols.nodes.count ? cols.nodes[j + 1] - (j + 1 == cols.blocks ? 0 : 1) : cols.nodes[j]
                let a = node(i, j), b = node(i, min(j + 1, lastNode.col))
                let d = node(min(i + 1, lastNode.row), j), e = node(min(i + 1, lastNode.row), min(j + 1, lastNode.col))
                let (xa, xb, xd, xe) = (xs[a], xs[b], xs[d], xs[e]), (ya, yb, yd, ye) = (ys[a], ys[b], ys[d], ys[e])
                for r in r0...lastRow {
                    let v = r1 > r0 ? Double(r - r0) / Double(r1 - r0) : 0
                    let ox = out.xs + r * width, oy = out.ys + r * width
                    for c in c0...lastCol {
                        let u = c1 > c0 ? Double(c - c0) / Double(c1 - c0) : 0
                        let topX = xa + u * (xb - xa), bottomX = xd + u * (xe - xd)
                        let topY = ya + u * (yb - ya), bottomY = yd + u * (ye - yd)
                        ox[c] = topX + v * (bottomX - topX)
                        oy[c] = topY + v * (bottomY - topY)
                    }
                }
            }
        }
    }

    /// Where the interpolation writes: block rows write disjoint cells, from any thread.
    struct LatticeOutput: @unchecked Sendable {
        let xs: UnsafeMutablePointer<Double>, ys: UnsafeMutablePointer<Double>
    }
}

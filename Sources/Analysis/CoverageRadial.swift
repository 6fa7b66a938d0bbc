// The radial method of the terrain-aware engine: one terrain profile per radial, shared by every cell near it.
//
// The exact method samples a fresh profile for each cell (n = max(4, ceil(d / spacing)) steps along the straight line
// from the transmitter to the cell centre in DEM pixel space, bilinear heights): for a 1-transmitter 40 km study
// at 30 m that is ~1.8 M profiles of ~600 points, and sampling dominates the run. The radial method casts radials
// from the transmitter so closely that at the study's radius neighbouring radials are half a DEM cell apart,
// samples each once at the profile spacing, and gives each cell the profile of its nearest radial: the radial's
// heights interpolated (linearly, between radial samples) at the cell's own n + 1 equally spaced distances. The
// last 16 points and the cell centre are sampled on the cell's own line, as the exact method does: near the
// receiver a metre of height moves its horizon angle, and ITM's diffraction loss, the most (on the San Gabriel
// Mountains' 1″ SRTM, taking them from the radial too gave p95 |Δ| 4 dB; with them exact, 0.29 dB). The only
// departure from the exact profile is then the lateral offset of the radial over the rest of the path, at most a
// quarter of a DEM cell at the radius and less nearer in. `CoverageExactness` measures the difference.
import Foundation
import CFastMath
import Geo
import Propagation
import Radio
import Terrain

extension CoverageEngine {
    /// Radial profiles refined from anchor cells (the default method for terrain models with a DEM).
    struct RadialField: LossField, Sendable {
        let spec: GridSpec
        let dem: ElevationModel
        let model: ProfileModel
        let spacingM: Double
        let maxPoints: Int?
        let rxHeightM: Double
        let cells: CellGeometry
        let gridToDEM: CoordinateTransform
        /// Cells between anchors within this spread (dB) are interpolated; 0: every cell computed.
        let interpolateWithinDB: Double
        /// Step of the anchor lattice in cells (a power of 2) when interpolating.
        let anchorSpacing: Int
        /// Interpolation also needs the cell's ground within this many metres of its neighbours' mean.
        let interpolateGroundWithinM: Double

        /// Sectors of one site at one antenna height and frequency see the same terrain with the same model: the
        /// path loss to each cell is theirs in common, and only the antenna gain differs.
        var sharedBySiteSectors: Bool { true }
        func gridDistanceM(dx: Double, dy: Double) -> Double { sqrt(dx * dx + dy * dy) }
        var interpolates: Bool { interpolateWithinDB > 0 }

        /// The last points of each cell's profile, sampled on the cell's own line.
        static let exactTail = 16

        /// 20 log10 d (d: grid distance, at least 1 m), dB: what interpolation takes out of the loss and puts back.
        @inline(__always) static func distanceTermDB(_ gridM: Double) -> Float { Float(20 * log10(max(gridM, 1))) }

        func lossWindow(for s: SectorSetup, members: Int, key: Int, diagnostics: DiagnosticsBox) throws -> [Float] {
            lossWindows(for: s, members: members, key: key, companion: nil, diagnostics: diagnostics).window
        }

        func siblingWindows(
            for s: SectorSetup, members: Int, key: Int, sibling: Sibling, diagnostics: DiagnosticsBox
        ) -> (window: [Float], sibling: [Float])? {
            let w = lossWindows(for: s, members: members, key: key, companion: nil, sibling: sibling, diagnostics: diagnostics)
            return (w.window, w.companion!)
        }

        /// The study model's loss window and, with a companion model, the companion's, from one set of profiles.
        /// Each window is refined on its own (a cell is interpolated in one window when its neighbours there agree,
        /// and computed otherwise), so each equals the window a run of its model alone gives.
        ///
        /// With a `sibling` instead (a group of sectors at the same site, antenna height and radius on another
        /// frequency), the companion window is the sibling's loss window: the same model on the sibling's frequency,
        /// from the same radials and cell profiles, ITM's terrain analysis done once for both where both windows
        /// need the cell (`ProfileModel.lossesDB`). Each window and its diagnostics (under the sibling's own `key`
        /// and `members`) then equal those its own `lossWindow` gives.
        func lossWindows(
            for s: SectorSetup, members: Int, key: Int, companion: ProfileModel?, sibling: Sibling? = nil,
            diagnostics: DiagnosticsBox
        ) -> (window: [Float], companion: [Float]?) {
            let companion = sibling == nil ? companion : model
            let radials = sampleRadials(for: s)
            let shape = WindowShape(s)
            precondition(shape.count < 1 << 32 && radials.count < 1 << 29, "a window of \(shape.count) cells")
            var window = [Float](repeating: .nan, count: shape.count) // NaN: not computed; +inf: failed or outside
            var other = [Float](repeating: .nan, count: companion == nil ? 0 : shape.count)
            window.withUnsafeMutableBufferPointer { w in
                other.withUnsafeMutableBufferPointer { w2 in
                    let out = UnsafeSendable((w, w2))
                    for (phase, h) in levels.enumerated() {
                        func pass() -> RadialPass {
                            var pass = RadialPass(field: self, s: s, radials: radials, window: out.value.0, h: h, phase: phase)
                            if let companion { pass.companion = (companion, out.value.1) }
                            pass.sibling = sibling
                            return pass
                        }
                        // The level's cells band by band: interpolated ones written at once, the others listed; then
                        // computed radial by radial, so that cells of one radial in a row read the same radial heights
                        // from cache. Each cell reads only coarser levels, so the order changes no result. A large
                        // window goes by slabs of bands of at most 2^18 cells, which bounds the lists (8 bytes a cell).
                        let bandsPerSlab = max(1, (1 << 18) / max(1, WindowShape.bandRows * shape.cols))
                        for (slab, first) in Swift.stride(from: 0, to: shape.bands, by: bandsPerSlab).enumerated() {
                            let bands = first..<min(shape.bands, first + bandsPerSlab)
                            var listed = [[RadialPass.Pending]](repeating: [], count: bands.count)
                            listed.withUnsafeMutableBufferPointer { lp in
                                let lists = UnsafeSendable(lp)
                                Parallel.perform(iterations: bands.count) { b in
                                    var p = pass()
                                    lists.value[b] = p.triage(rows: shape.rows(ofBand: bands.lowerBound + b))
                                }
                            }
                            let pending = Self.byRadial(listed, radials: radials.count)
                            listed = []
                            let chunk = 256
                            pending.withUnsafeBufferPointer { pp in
                                let cells = UnsafeSendable(pp)
                                Parallel.perform(iterations: (pp.count + chunk - 1) / chunk) { c in
                                    var p = pass()
                                    p.compute(UnsafeBufferPointer(rebasing: cells.value[(c * chunk)..<min(cells.value.count, (c + 1) * chunk)]))
                                    // Counts are per transmitter: each member of the group misses the same cells.
                                    p.local.cellsWithoutTerrain *= members
                                    p.local.cellsRejectedByModel *= members
                                    diagnostics.add(p.local, band: ((key * 16 + phase) << 32) + (slab << 16) + c)
                                    if let sibling {
                                        p.sibling2.cellsWithoutTerrain *= sibling.members
                                        p.sibling2.cellsRejectedByModel *= sibling.members
                                        diagnostics.add(p.sibling2, band: ((sibling.key * 16 + phase) << 32) + (slab << 16) + c)
                                    }
                                }
                            }
                        }
                    }
                    if interpolates {
                        addDistanceTerm(s, window: out.value.0)
                        if companion != nil { addDistanceTerm(s, window: out.value.1) }
                    }
                }
            }
            return (window, companion == nil ? nil : other)
        }

        /// Lattice step of each pass, coarse to fine: the anchors, then each finer level down to single cells.
        var levels: [Int] {
            var levels = [interpolates ? anchorSpacing : 1]
            while levels.last! > 1 { levels.append(levels.last! / 2) }
            return levels
        }

        /// The listed cells ordered by radial (a counting sort; within a radial, in the lists' order).
        static func byRadial(_ lists: [[RadialPass.Pending]], radials: Int) -> [RadialPass.Pending] {
            var start = [Int](repeating: 0, count: radials + 1)
            for list in lists { for c in list { start[c.radial + 1] += 1 } }
            for j in 0..<radials { start[j + 1] += start[j] }
            let total = start[radials]
            return [RadialPass.Pending](unsafeUninitializedCapacity: total) { out, n in
                for list in lists {
                    for c in list {
                        let j = c.radial
                        (out.baseAddress! + start[j]).initialize(to: c)
                        start[j] += 1
                    }
                }
                n = total
            }
        }

        /// With interpolation the window holds excess loss over 20 log10 d: the distance term is put back.
        func addDistanceTerm(_ s: SectorSetup, window: UnsafeMutableBufferPointer<Float>) {
            let shape = WindowShape(s), geo = spec.geoTransform
            let out = UnsafeSendable(window)
            Parallel.perform(iterations: shape.bands) { band in
                for row in shape.rows(ofBand: band) {
                    let dy = geo.originY - (Double(row) + 0.5) * geo.pixelHeight - s.y
                    for col in shape.colMin...shape.colMax {
                        let i = shape.index(row: row, col: col)
                        guard out.value[i].isFinite else { continue }
                        let dx = geo.originX + (Double(col) + 0.5) * geo.pixelWidth - s.x
                        out.value[i] = out.value[i] + Self.distanceTermDB(gridDistanceM(dx: dx, dy: dy))
                    }
                }
            }
        }

        /// Radials from the site, so close that at the window's reach neighbours are half a DEM cell apart, each
        /// sampled once at the profile spacing (in parallel over chunks of radials).
        func sampleRadials(for s: SectorSetup) -> RadialSamples {
            let geo = spec.geoTransform, sampler = dem.sampler
            // The radius actually needed: the farthest corner of the sector's window, capped by its radius.
            var reach = 0.0
            for (col, row) in [(s.colMin, s.rowMin), (s.colMax + 1, s.rowMin), (s.colMin, s.rowMax + 1), (s.colMax + 1, s.rowMax + 1)] {
                let x = geo.originX + Double(col) * geo.pixelWidth, y = geo.originY - Double(row) * geo.pixelHeight
                reach = max(reach, hypot(x - s.x, y - s.y))
            }
            reach = min(reach, s.radiusM) + spec.resolutionM
            let count = max(64, Int((2 * .pi * reach / (dem.cellSizeM / 2)).rounded(.up)))
            // Radial ends: grid → DEM CRS → DEM pixel position.
            var ex = [Double](repeating: 0, count: count), ey = ex
            for j in 0..<count {
                let t = Double(j) * 2 * .pi / Double(count)
                ex[j] = s.x + reach * sin(t); ey[j] = s.y + reach * cos(t)
            }
            let gridEndX = ex
            _ = gridToDEM.transform(xs: &ex, ys: &ey)
            var r = RadialSamples(count: count)
            for j in 0..<count {
                r.lengths[j] = Geodesy.UTM.geodesicM(gridM: reach, x0: s.x, x1: gridEndX[j])
                r.steps[j] = ProfileSampling.intervals(distanceM: r.lengths[j], spacingM: spacingM)
                r.stride = max(r.stride, r.steps[j] + 1)
            }
            // Only the radials some cell reads, each only as far as the farthest sample one reads (with a coarse grid
            // most radials serve no cell): packed one after the other, NaN past a radial's own end as before.
            let needed = samplesNeeded(s, radials: r)
            var total = 0
            for j in 0..<count {
                r.offsets[j] = total
                total += needed[j] + 1
            }
            // Every value is written by the radials' own loop, on all cores: the first write to each page of these
            // tens of MB costs the kernel more than the sampling (a NaN fill on one thread took 0.06 s of scenario A).
            let ends = (x: ex, y: ey), steps = r.steps, offsets = r.offsets, gt = dem.geoTransform
            r.heights = [Double](unsafeUninitializedCapacity: total) { hp, initialized in
                r.firstMissing.withUnsafeMutableBufferPointer { fp in
                    let o = UnsafeSendable((hp, fp))
                    let chunk = 64
                    Parallel.perform(iterations: (count + chunk - 1) / chunk) { ch in
                        let (hp, fp) = o.value
                        sampler.values.withUnsafeBufferPointer { vp in
                            for j in (ch * chunk)..<min(count, (ch + 1) * chunk) where needed[j] >= 0 {
                                let m = steps[j], last = min(m, needed[j])
                                let end = gt.pixel(x: ends.x[j], y: ends.y[j])
                                let out = hp.baseAddress! + offsets[j]
                                let missing = sampler.sampleLine(
                                    fromCol: s.demCol, row: s.demRow, toCol: end.col, row: end.row, intervals: m, points: 0...last,
                                    values: vp, into: out)
                                if missing { fp[j] = (0...last).first { out[$0].isNaN }! }
                                // Past the radial's own end: NaN.
                                (out + last + 1).initialize(repeating: .nan, count: needed[j] - last)
                            }
                        }
                    }
                }
                initialized = total
            }
            return r
        }

        /// Per radial, the last sample index a cell of the window within the radius may read (−1: none). Where the
        /// cells are no coarser than the DEM and many per radial, the bound from the window's geometry (asking each
        /// of scenario B's 445,000 cells per window cost an arc tangent each, on one core: 10 % of its time);
        /// elsewhere each cell is asked, since coarse cells leave long stretches of radials unread.
        func samplesNeeded(_ s: SectorSetup, radials: RadialSamples) -> [Int] {
            boundsSamples(s, radials: radials)
                ? samplesNeededBound(s, radials: radials) : samplesNeededByCell(s, radials: radials)
        }

        /// Whether `samplesNeeded` takes the geometric bound for this window.
        func boundsSamples(_ s: SectorSetup, radials: RadialSamples) -> Bool {
            spec.resolutionM <= dem.cellSizeM && WindowShape(s).count >= 4 * radials.count
        }

        /// Per radial, a bound on the last sample index a cell of the window within the radius reads (−1: no cell
        /// can read it), from the window's geometry alone, in O(radials). With cells no coarser than the DEM it
        /// samples 2.5–3.5 % more than the cells read (`samplesNeededByCell`; test `RadialSamplesNeededTests`);
        /// with coarser cells, radials that catch no cell near their end are sampled to it anyway (11 % more at
        /// 90 m on a 55 m DEM, 44 % at 250 m).
        ///
        /// The cells whose nearest radial is j have centres in the window's rectangle of cell centres and within
        /// the wedge of angles [t_j − π/count, t_j + π/count] (widened by a millionth for rounding). That set is
        /// convex, so its farthest point from the site is a vertex: a corner of the rectangle inside the wedge, or
        /// where one of the wedge's two edges leaves the rectangle. Capped by the radius, that grid distance g
        /// bounds the cell's geodesic distance dM ≤ max(g, 1)/k_min (k_min: the least UTM point scale over the
        /// eastings involved, below the mean scale `geodesicM` divides by), and a cell of n profile intervals reads
        /// radial samples up to ⌊(n − 1)/n · dM/step⌋ + 1 < dM/step + 1. Three samples of margin cover the
        /// roundings. Reading more samples than needed changes no cell: each cell reads its own samples.
        func samplesNeededBound(_ s: SectorSetup, radials: RadialSamples) -> [Int] {
            var needed = [Int](repeating: -1, count: radials.count)
            guard s.rowMax >= s.rowMin, s.colMax >= s.colMin else { return needed }
            let geo = spec.geoTransform
            // The rectangle of the window's cell centres relative to the site, m, as the cells compute dx and dy.
            let xs = [s.colMin, s.colMax].map { geo.originX + (Double($0) + 0.5) * geo.pixelWidth - s.x }
            let ys = [s.rowMin, s.rowMax].map { geo.originY - (Double($0) + 0.5) * geo.pixelHeight - s.y }
            let x0 = min(xs[0], xs[1]), x1 = max(xs[0], xs[1]), y0 = min(ys[0], ys[1]), y1 = max(ys[0], ys[1])
            let corners = [(x0, y0), (x0, y1), (x1, y0), (x1, y1)].map { c -> (angle: Double, m: Double) in
                var t = atan2(c.0, c.1)
                if t < 0 { t += 2 * .pi }
                return (t, hypot(c.0, c.1))
            }
            // Where a ray from the site along grid azimuth θ leaves the rectangle, m (nil: it misses it).
            func exit(_ theta: Double) -> Double? {
                let ux = sin(theta), uy = cos(theta)
                var enter = 0.0, leave = Double.infinity
                for (u, lo, hi) in [(ux, x0, x1), (uy, y0, y1)] {
                    if abs(u) < 1e-12 {
                        if lo > 0 || hi < 0 { return nil }
                    } else {
                        let a = lo / u, b = hi / u
                        enter = max(enter, min(a, b)); leave = min(leave, max(a, b))
                    }
                }
                return leave >= enter ? leave : nil
            }
            let eastings = (lo: s.x + min(0, x0), hi: s.x + max(0, x1))
            let kMin = Geodesy.UTM.pointScale(eastingM: min(max(500_000, eastings.lo), eastings.hi))
            let half = Double.pi / Double(radials.count) * (1 + 1e-6)
            let siteInside = x0 <= 0 && 0 <= x1 && y0 <= 0 && 0 <= y1
            for j in 0..<radials.count {
                let t = Double(j) * 2 * .pi / Double(radials.count)
                var far = siteInside ? 0.0 : -1.0
                for c in corners where abs(remainder(c.angle - t, 2 * .pi)) <= half { far = max(far, c.m) }
                if let m = exit(t - half) { far = max(far, m) }
                if let m = exit(t + half) { far = max(far, m) }
                guard far >= 0 else { continue }
                let dM = max(min(far, s.radiusM), 1) / kMin
                let step = radials.lengths[j] / Double(radials.steps[j])
                needed[j] = min(Int(dM / step * (1 + 1e-9)) + 3, radials.stride - 1)
            }
            return needed
        }

        /// Per radial, the last sample index any cell of the window within the radius reads (−1: none), cell by
        /// cell: what `samplesNeededBound` bounds (tests compare the two).
        func samplesNeededByCell(_ s: SectorSetup, radials: RadialSamples) -> [Int] {
            let geo = spec.geoTransform
            var needed = [Int](repeating: -1, count: radials.count)
            for row in s.rowMin...max(s.rowMin, s.rowMax) where s.rowMax >= s.rowMin {
                let dy = geo.originY - (Double(row) + 0.5) * geo.pixelHeight - s.y
                for col in s.colMin...max(s.colMin, s.colMax) where s.colMax >= s.colMin {
                    let x = geo.originX + (Double(col) + 0.5) * geo.pixelWidth, dx = x - s.x
                    let gridM = sqrt(dx * dx + dy * dy)
                    guard gridM <= s.radiusM else { continue }
                    let j = Self.radialIndex(dx: dx, dy: dy, count: radials.count)
                    let c = cellOnRadial(s, x: x, gridM: gridM, radial: j, radials: radials)
                    needed[j] = max(needed[j], min(c.lastNeeded, radials.stride - 1))
                }
            }
            return needed
        }

        /// The nearest of `count` radials (radial j at grid azimuth 2πj/count) to a cell at (dx, dy) from the site.
        @inline(__always) static func radialIndex(dx: Double, dy: Double, count: Int) -> Int {
            var t = atan2(dx, dy)
            if t < 0 { t += 2 * .pi }
            return Int((t / (2 * .pi) * Double(count)).rounded()) % count
        }

        /// For a cell on radial j (`radialIndex`, its nearest): the cell's geodesic distance and profile intervals, the
        /// ratio of its point spacing to the radial's sample step, and the last radial sample its profile reads.
        @inline(__always)
        func cellOnRadial(
            _ s: SectorSetup, x: Double, gridM: Double, radial j: Int, radials: RadialSamples
        ) -> (dM: Double, points: Int, ratio: Double, lastNeeded: Int) {
            let dM = Geodesy.UTM.geodesicM(gridM: max(gridM, 1), x0: s.x, x1: x)
            let points = profileIntervals(distanceM: dM, spacingM: spacingM, maxPoints: maxPoints)
            // Radial sample positions are multiples of its step; the cell's profile points sit at multiples of
            // dM / points.
            let ratio = dM / Double(points) / (radials.lengths[j] / Double(radials.steps[j]))
            let lastNeeded = Int((Double(points - 1) * ratio).rounded(.down)) + 1
            return (dM, points, ratio, lastNeeded)
        }
    }

    /// A group of sectors whose loss window is computed beside another's (`RadialField.lossWindows`): at the same
    /// site, antenna height, radius and window, on `frequencyMHz`; `members` and `key` as `lossWindow` takes them.
    struct Sibling: Sendable {
        let frequencyMHz: Double
        let members: Int
        let key: Int
    }

    /// The sampled radials of one site: heights (radial after radial, from `offsets[j]`; `stride` is the longest
    /// radial's sample count), steps, the index of each radial's first missing height and its geodesic length.
    struct RadialSamples: Sendable {
        let count: Int
        var stride = 0
        var heights: [Double] = []
        var offsets: [Int]
        var steps: [Int], firstMissing: [Int], lengths: [Double]
        init(count: Int) {
            self.count = count
            offsets = [Int](repeating: 0, count: count)
            steps = [Int](repeating: 0, count: count)
            firstMissing = [Int](repeating: .max, count: count)
            lengths = [Double](repeating: 0, count: count)
        }
    }

    /// One refinement level's work on a band of rows (`triage`) or a chunk of listed cells (`compute`). With
    /// interpolation on, the cells are visited level by level, coarse to fine: first the anchors (row and column
    /// multiples of `anchorSpacing`), then for h = spacing/2, …, 1 the cells on the h-lattice that are not on the
    /// 2h-lattice. Each of those takes the mean of its 2 or 4 neighbours on the 2h-lattice (h cells away, all known by
    /// then) when they are all computed, agree within the tolerance, and the cell's ground lies within
    /// `interpolateGroundWithinM` of the mean of theirs; otherwise it is computed. Failing neighbours (terrain, model)
    /// force the cell to be computed. The tolerance is `interpolateWithinDB` at the finest level and half of it at the
    /// coarser ones, whose interpolations spread to more cells. What is compared and interpolated is the excess loss
    /// over 20 log10 d (the loss less its free-space distance term), so that the steep distance slope near the
    /// transmitter is not mistaken for terrain. The ground test keeps mountains exact: on the San Gabriel Mountains'
    /// SRTM at 120 m cells the spread test alone let p95 |Δ| reach 7 dB, with it 0.4 dB. Every pass reads only coarser
    /// levels: the result does not depend on the thread count. (Measured and left out: the diamond-square order, 4
    /// neighbours for every cell, gave the same speed for the same exactness.)
    struct RadialPass {
        let field: RadialField
        let s: SectorSetup
        let radials: RadialSamples
        let window: UnsafeMutableBufferPointer<Float>
        let h: Int, phase: Int
        let shape: WindowShape
        let tolerance: Float, levelTolerance: Float, groundTolerance: Float
        /// A second model evaluated on the same profiles, with its own window.
        var companion: (model: ProfileModel, window: UnsafeMutableBufferPointer<Float>)? = nil
        /// With a sibling, the companion is the study's model on the sibling's frequency, counted in `sibling2`.
        var sibling: CoverageEngine.Sibling? = nil
        var local = CoverageEngine.Diagnostics()
        var sibling2 = CoverageEngine.Diagnostics()
        var profile = TerrainProfile(elevationsM: [], spacingM: 1)
        var scratch = ProfileModel.Scratch()
        var scratch2 = ProfileModel.Scratch()

        init(field: RadialField, s: SectorSetup, radials: RadialSamples, window: UnsafeMutableBufferPointer<Float>, h: Int, phase: Int) {
            self.field = field; self.s = s; self.radials = radials; self.window = window; self.h = h; self.phase = phase
            shape = WindowShape(s)
            tolerance = Float(field.interpolateWithinDB)
            levelTolerance = h == 1 ? tolerance : tolerance / 2
            groundTolerance = Float(field.interpolateGroundWithinM)
            profile.elevationsM.reserveCapacity(radials.stride + 1)
            scratch.keepsWarnings = false // the window keeps losses only
            scratch2.keepsWarnings = false
        }

        /// A cell of the level to compute, in 8 bytes: its radial (bits 0–28) and which windows need its loss (bit
        /// 30 the study model's, bit 29 the companion's), and its index in the window.
        struct Pending {
            private let tag: UInt32
            let cell: UInt32
            init(radial: Int, cell: Int, first: Bool, second: Bool) {
                tag = UInt32(radial) | (first ? 1 << 30 : 0) | (second ? 1 << 29 : 0)
                self.cell = UInt32(cell)
            }
            var radial: Int { Int(tag & 0x1FFF_FFFF) }
            var first: Bool { tag & (1 << 30) != 0 }
            var second: Bool { tag & (1 << 29) != 0 }
        }

        /// The level's cells in `rows`: those outside the radius and those interpolated in every window are written;
        /// the others are returned, to be computed.
        mutating func triage(rows: ClosedRange<Int>) -> [Pending] {
            var pending: [Pending] = []
            let geo = field.spec.geoTransform, coarse = 2 * h
            // At most the level's cells in these rows (all of them when every cell is computed).
            pending.reserveCapacity(((rows.count + h - 1) / h) * ((shape.cols + h - 1) / h))
            // Outside the radius is sqrt(dx² + dy²) > r. The square of the distance decides it, away from the edge
            // by more than its rounding (square roots are correctly rounded and monotone); the root itself near it.
            let r2 = s.radiusM * s.radiusM, r2Below = r2 * (1 - 1e-9), r2Above = r2 * (1 + 1e-9)
            for row in rows where row % h == 0 {
                let y = geo.originY - (Double(row) + 0.5) * geo.pixelHeight, dy = y - s.y
                let firstCol = s.colMin + (h - s.colMin % h) % h
                let rowOnCoarse = row % coarse == 0
                for col in Swift.stride(from: firstCol, through: s.colMax, by: h) {
                    // Cells of the coarser lattice were done in an earlier pass.
                    if phase > 0 && rowOnCoarse && col % coarse == 0 { continue }
                    let x = geo.originX + (Double(col) + 0.5) * geo.pixelWidth, dx = x - s.x
                    let d2 = dx * dx + dy * dy
                    let local0 = shape.index(row: row, col: col)
                    if d2 > r2Above || (d2 >= r2Below && sqrt(d2) > s.radiusM) {
                        window[local0] = .infinity
                        companion?.window[local0] = .infinity
                        continue
                    }
                    let idx = row * field.spec.width + col
                    let canInterpolate = phase > 0 && !field.cells.ground![idx].isNaN
                    let v1 = canInterpolate ? interpolated(row: row, col: col, in: window) : nil
                    let v2 = canInterpolate ? companion.flatMap { interpolated(row: row, col: col, in: $0.window) } : nil
                    let need2 = companion != nil && v2 == nil
                    if let v1 { window[local0] = v1 }
                    if let v2, let w2 = companion?.window { w2[local0] = v2 }
                    if v1 == nil || need2 {
                        let j = RadialField.radialIndex(dx: dx, dy: dy, count: radials.count)
                        pending.append(Pending(radial: j, cell: local0, first: v1 == nil, second: need2))
                    }
                }
            }
            return pending
        }

        /// Computes the listed cells' losses (the same positions, to the bit, as `triage` took).
        mutating func compute(_ cells: UnsafeBufferPointer<Pending>) {
            let geo = field.spec.geoTransform
            for c in cells {
                let local0 = Int(c.cell)
                let row = shape.rowMin + local0 / shape.cols, col = shape.colMin + local0 % shape.cols
                let y = geo.originY - (Double(row) + 0.5) * geo.pixelHeight, dy = y - s.y
                let x = geo.originX + (Double(col) + 0.5) * geo.pixelWidth, dx = x - s.x
                let gridM = sqrt(dx * dx + dy * dy)
                let idx = row * field.spec.width + col
                let losses = computeLosses(idx: idx, x: x, gridM: gridM, radial: c.radial, first: c.first, second: c.second)
                if c.first { window[local0] = stored(losses.0, gridM: gridM) }
                if c.second, let w2 = companion?.window { w2[local0] = stored(losses.1, gridM: gridM) }
            }
        }

        /// A computed loss as the window holds it (excess over 20 log10 d when interpolating; +inf for none).
        @inline(__always) func stored(_ loss: Float?, gridM: Double) -> Float {
            guard let loss else { return .infinity }
            return field.interpolates ? loss - RadialField.distanceTermDB(gridM) : loss
        }

        /// The interpolated excess loss of a cell of level `h`, or nil when a neighbour on the 2h-lattice is
        /// outside the window or not finite, or they differ by more than the level's tolerance.
        @inline(__always) func interpolated(row: Int, col: Int, in window: UnsafeMutableBufferPointer<Float>) -> Float? {
            let rowOn = row % (2 * h) == 0, colOn = col % (2 * h) == 0
            let ra = rowOn ? row : row - h, rb = rowOn ? row : row + h
            let ca = colOn ? col : col - h, cb = colOn ? col : col + h
            guard ra >= s.rowMin, rb <= s.rowMax, ca >= s.colMin, cb <= s.colMax else { return nil }
            let v0 = window[shape.index(row: ra, col: ca)], v1 = window[shape.index(row: ra, col: cb)]
            let v2 = window[shape.index(row: rb, col: ca)], v3 = window[shape.index(row: rb, col: cb)]
            guard v0.isFinite, v1.isFinite, v2.isFinite, v3.isFinite else { return nil }
            // The cell's own ground must lie within the tolerance of its neighbours' mean: a cell on a crest or in
            // a hollow has a horizon, and a loss, of its own.
            if groundTolerance.isFinite, let ground = field.cells.ground, !ground.isEmpty {
                let width = field.spec.width
                @inline(__always) func g(_ r: Int, _ cc: Int) -> Float { ground[r * width + cc] }
                let mean = (g(ra, ca) + g(ra, cb) + g(rb, ca) + g(rb, cb)) / 4
                guard abs(g(row, col) - mean) <= groundTolerance else { return nil }
            }
            let lo = min(min(v0, v1), min(v2, v3)), hi = max(max(v0, v1), max(v2, v3))
            // A cell on a line of the coarser lattice has 2 neighbours, each counted twice: the mean is theirs.
            return hi - lo <= levelTolerance ? (v0 + v1 + v2 + v3) / 4 : nil
        }

        /// The study model's loss (`first`) and the companion's (`second`) for one cell on its radial profile; nil
        /// when terrain is missing or the model rejects the path (counted).
        mutating func computeLosses(
            idx: Int, x: Double, gridM: Double, radial: Int, first: Bool, second: Bool
        ) -> (Float?, Float?) {
            guard let link = cellProfile(idx: idx, x: x, gridM: gridM, radial: radial) else {
                // A cell without terrain: once (the companion shares the transmitters), or once in each window
                // that needs it (a sibling counts its own).
                if sibling == nil || first { local.cellsWithoutTerrain += 1 }
                if sibling != nil && second { sibling2.cellsWithoutTerrain += 1 }
                return (nil, nil)
            }
            if let f2 = sibling?.frequencyMHz {
                // Each window counts the evaluations it needs, as its own run would.
                if first { local.profilesComputed += 1 }
                if second { sibling2.profilesComputed += 1 }
                if first && second {
                    let (a, b) = field.model.lossesDB(
                        profile: profile, link: link, secondFrequencyMHz: f2, scratch: &scratch, scratch2: &scratch2)
                    return (Self.accepted(a, in: &local), Self.accepted(b, in: &sibling2))
                }
                if first {
                    let r = evaluate(field.model, link)
                    return (Self.accepted(r, in: &local), nil)
                }
                var link2 = link
                link2.frequencyMHz = f2
                let r = evaluate(field.model, link2, secondScratch: true)
                return (nil, Self.accepted(r, in: &sibling2))
            }
            local.profilesComputed += 1
            if first, second, let other = companion?.model {
                let (a, b) = field.model.lossPairDB(profile: profile, link: link, scratch: &scratch, other: other)
                return (Self.accepted(a, in: &local), Self.accepted(b, in: &local))
            }
            let r = evaluate(first ? field.model : companion!.model, link)
            let loss = Self.accepted(r, in: &local)
            return first ? (loss, nil) : (nil, loss)
        }

        /// `model`'s loss on the current profile as a result.
        mutating func evaluate(_ model: ProfileModel, _ link: PathLink, secondScratch: Bool = false) -> Result<Double, any Error> {
            do {
                if secondScratch { return .success(try model.lossDB(profile: profile, link: link, scratch: &scratch2).lossDB) }
                return .success(try model.lossDB(profile: profile, link: link, scratch: &scratch).lossDB)
            } catch {
                return .failure(error)
            }
        }

        /// A model's result as a loss, or nil with the rejection counted in `counts`. (Static: a method of the pass
        /// called with one of its own counters inout made Swift copy the whole pass for the call.)
        static func accepted(_ r: Result<Double, any Error>, in counts: inout CoverageEngine.Diagnostics) -> Float? {
            switch r {
            case .success(let loss): return Float(loss)
            case .failure(let error):
                counts.cellsRejectedByModel += 1
                if counts.firstModelError == nil { counts.firstModelError = "\(error)" }
                return nil
            }
        }

        /// Fills `profile` with the cell's profile and returns its link; nil when terrain is missing.
        mutating func cellProfile(idx: Int, x: Double, gridM: Double, radial j: Int) -> PathLink? {
            let (dM, points, ratio, lastNeeded) = field.cellOnRadial(s, x: x, gridM: gridM, radial: j, radials: radials)
            if radials.firstMissing[j] <= lastNeeded { return nil }
            let sampler = field.dem.sampler
            let hEnd = sampler.sample(col: field.cells.demCol[idx], row: field.cells.demRow[idx])
            if hEnd.isNaN { return nil }
            guard fillProfile(j: j, points: points, ratio: ratio, idx: idx, hEnd: hEnd) else { return nil }
            profile.spacingM = dM / Double(points)
            var link = PathLink(frequencyMHz: s.frequencyMHz, txHeightM: s.antennaHeightM, rxHeightM: field.rxHeightM)
            if !field.cells.lon.isEmpty { link.coordinates = (s.lat, s.lon, field.cells.lat[idx], field.cells.lon[idx]) }
            return link
        }

        /// The cell's points + 1 heights: the radial's heights interpolated at the cell's distances, the last
        /// `exactTail` points (where a metre of height moves the receiver's horizon angle most) and the cell
        /// centre sampled on the cell's own line, as the exact method does. False when a tail height is missing.
        mutating func fillProfile(j: Int, points: Int, ratio: Double, idx: Int, hEnd: Double) -> Bool {
            // Resize the reused buffer to points + 1 without reallocating, then fill it.
            let have = profile.elevationsM.count
            if have > points + 1 {
                profile.elevationsM.removeLast(have - points - 1)
            } else if have < points + 1 {
                profile.elevationsM.append(contentsOf: repeatElement(0, count: points + 1 - have))
            }
            let base = radials.offsets[j], s = self.s, sampler = field.dem.sampler
            let tailStart = max(0, points - RadialField.exactTail)
            let c1 = field.cells.demCol[idx], r1 = field.cells.demRow[idx]
            var tailMissing = false
            radials.heights.withUnsafeBufferPointer { hp in
                sampler.values.withUnsafeBufferPointer { vp in
                    profile.elevationsM.withUnsafeMutableBufferPointer { e in
                        // Points 0 ..< tailStart lie at most at radial sample lastNeeded − 1, so both samples of each pair
                        // are finite (checked by the caller) and within the radial; at f = 0 the sum is h0 exactly.
                        tanso_interpolate_radial(e.baseAddress!, hp.baseAddress! + base, tailStart, ratio)
                        tailMissing = sampler.sampleLine(
                            fromCol: s.demCol, row: s.demRow, toCol: c1, row: r1, intervals: points, points: tailStart...(points - 1),
                            values: vp, into: e.baseAddress! + tailStart)
                        e[points] = hEnd
                    }
                }
            }
            return !tailMissing
        }
    }
}

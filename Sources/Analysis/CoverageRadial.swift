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
import Geo
import Propagation
import Radio
import Terrain

extension CoverageEngine {
    struct RadialContext: @unchecked Sendable {
        let spec: GridSpec
        let dem: ElevationModel
        let model: ProfileModel
        let spacingM: Double
        let maxPoints: Int?
        let rxHeightM: Double
        let floorDBm: Float
        let cellLon: [Double], cellLat: [Double]
        let cellDemCol: [Double], cellDemRow: [Double]
        let groundM: [Float]
        let gridToDEM: CoordinateTransform
        /// Cells between anchors within this spread (dB) are interpolated; 0: every cell computed.
        let interpolateWithinDB: Double
        /// Step of the anchor lattice in cells (a power of 2) when interpolating.
        let anchorSpacing: Int
        /// Interpolation also needs the cell's ground within this many metres of its neighbours' mean.
        let interpolateGroundWithinM: Double
        /// Extra receiver-end loss per cell, dB (empty: none).
        let receiverLossDB: [Float]
    }

    /// Computes every sector with the radial method, sector after sector (each in parallel over radials, then
    /// over bands of rows), depositing into the composites.
    static func runRadial(_ c: RadialContext, sectors: [SectorSetup],
                          best: UnsafeMutableBufferPointer<Float>, server: UnsafeMutableBufferPointer<Int32>,
                          count: UnsafeMutableBufferPointer<UInt16>, service: UnsafeMutableBufferPointer<Float>,
                          diagnostics: DiagnosticsBox, progress: ProgressHandler?) throws {
        let spec = c.spec, geo = spec.geoTransform, width = spec.width, n = spec.cellCount
        let sampler = c.dem.sampler
        let k0 = 0.9996, r2 = 2 * 6_371_000.0 * 6_371_000.0
        @Sendable @inline(__always) func scale(_ e: Double) -> Double { let x = (e - 500_000) / k0; return k0 * (1 + x * x / r2) }
        @Sendable @inline(__always) func geodesicM(_ gridM: Double, _ x0: Double, _ x1: Double) -> Double {
            gridM / ((scale(x0) + 4 * scale((x0 + x1) / 2) + scale(x1)) / 6)
        }
        let out = UnsafeSendable((best, server, count, service))
        let exactTail = 16
        /// 20 log10 d (d: grid distance, at least 1 m), dB: what interpolation takes out of the loss and puts back.
        @Sendable @inline(__always) func distanceTermDB(_ gridM: Double) -> Float { Float(20 * log10(max(gridM, 1))) }
        let totalRows = max(1, sectors.reduce(0) { $0 + max(0, $1.rowMax - $1.rowMin + 1) })
        var rowsDone = 0

        // Sectors of one site at one antenna height and frequency see the same terrain with the same model: the
        // path loss to each cell is theirs in common, and only the antenna gain differs. The loss is computed once
        // per such group (in the order of the group's first sector) and deposited for each member.
        var groups: [[Int]] = [], groupOf: [String: Int] = [:]
        for (si, s) in sectors.enumerated() where s.rowMax >= s.rowMin && s.colMax >= s.colMin {
            let key = "\(s.x.bitPattern)|\(s.y.bitPattern)|\(s.antennaHeightM.bitPattern)|\(s.frequencyMHz.bitPattern)|\(s.radiusM.bitPattern)"
            if let g = groupOf[key] { groups[g].append(si) } else { groupOf[key] = groups.count; groups.append([si]) }
        }
        for members in groups {
            let s = sectors[members[0]]
            // The radius actually needed: the farthest corner of the sector's window, capped by its radius.
            var reach = 0.0
            for (col, row) in [(s.colMin, s.rowMin), (s.colMax + 1, s.rowMin), (s.colMin, s.rowMax + 1), (s.colMax + 1, s.rowMax + 1)] {
                let x = geo.originX + Double(col) * geo.pixelWidth, y = geo.originY - Double(row) * geo.pixelHeight
                reach = max(reach, hypot(x - s.x, y - s.y))
            }
            reach = min(reach, s.radiusM) + spec.resolutionM
            let demCellM = c.dem.cellSizeM
            let radials = max(64, Int((2 * .pi * reach / (demCellM / 2)).rounded(.up)))
            // Radial ends: grid → DEM CRS → DEM pixel position.
            var ex = [Double](repeating: 0, count: radials), ey = ex
            for j in 0..<radials {
                let t = Double(j) * 2 * .pi / Double(radials)
                ex[j] = s.x + reach * sin(t); ey[j] = s.y + reach * cos(t)
            }
            let gridEndX = ex
            _ = c.gridToDEM.transform(xs: &ex, ys: &ey)
            var lengths = [Double](repeating: 0, count: radials), maxSteps = 0
            for j in 0..<radials {
                lengths[j] = geodesicM(reach, s.x, gridEndX[j])
                maxSteps = max(maxSteps, ProfileSampling.intervals(distanceM: lengths[j], spacingM: c.spacingM))
            }
            let stride = maxSteps + 1
            let ends = (x: ex, y: ey), radialLengths = lengths
            var heights = [Double](repeating: .nan, count: radials * stride)
            var steps = [Int](repeating: 0, count: radials), firstMissing = [Int](repeating: .max, count: radials)
            let gt = c.dem.grid.geoTransform
            heights.withUnsafeMutableBufferPointer { hp in
            steps.withUnsafeMutableBufferPointer { sp in
            firstMissing.withUnsafeMutableBufferPointer { fp in
                let o = UnsafeSendable((hp, sp, fp))
                let chunk = 64
                DispatchQueue.concurrentPerform(iterations: (radials + chunk - 1) / chunk) { ch in
                    let (hp, sp, fp) = o.value
                    sampler.values.withUnsafeBufferPointer { vp in
                        for j in (ch * chunk)..<min(radials, (ch + 1) * chunk) {
                            let m = ProfileSampling.intervals(distanceM: radialLengths[j], spacingM: c.spacingM)
                            sp[j] = m
                            let end = gt.pixel(x: ends.x[j], y: ends.y[j])
                            for i in 0...m {
                                let f = Double(i) / Double(m)
                                let h = sampler.sample(col: s.demCol + f * (end.col - s.demCol), row: s.demRow + f * (end.row - s.demRow), values: vp)
                                hp[j * stride + i] = h
                                if h.isNaN && fp[j] == .max { fp[j] = i }
                            }
                        }
                    }
                }
            }}}

            // Cells, by bands of rows. With interpolation on, the cells are visited level by level, coarse to fine:
            // first the anchors (row and column multiples of `anchorSpacing`), then for h = spacing/2, …, 1 the
            // cells on the h-lattice that are not on the 2h-lattice. Each of those takes the mean of its 2 or 4
            // neighbours on the 2h-lattice (h cells away, all known by then) when they are all computed, agree
            // within the tolerance, and the cell's ground lies within `interpolateGroundWithinM` of the mean of
            // theirs; otherwise it is computed. Failing neighbours (terrain, model) force the cell to be computed.
            // The tolerance is `interpolateWithinDB` at the finest level and half of it at the coarser ones, whose
            // interpolations spread to more cells. What is compared and interpolated is the excess loss over
            // 20 log10 d (the loss less its free-space distance term), so that the steep distance slope near the
            // transmitter is not mistaken for terrain. The ground test keeps mountains exact: on the San Gabriel
            // Mountains' SRTM at 120 m cells the spread test alone let p95 |Δ| reach 7 dB, with it 0.4 dB. Every
            // pass reads only coarser levels: the result does not depend on the thread count. (Measured and left
            // out: the diamond-square order, 4 neighbours for every cell, gave the same speed for the same
            // exactness.)
            let rows = s.rowMax - s.rowMin + 1, cols = s.colMax - s.colMin + 1, bandRows = 8
            let bands = (rows + bandRows - 1) / bandRows
            let radialData = UnsafeSendable((heights, steps, firstMissing, lengths))
            let tolerance = Float(c.interpolateWithinDB)
            let interpolate = tolerance > 0
            let groundTolerance = Float(c.interpolateGroundWithinM)
            let spacing = interpolate ? c.anchorSpacing : 1
            var levels: [Int] = [spacing]                       // lattice step of each pass, coarse to fine
            while levels.last! > 1 { levels.append(levels.last! / 2) }
            var lossGrid = [Float](repeating: .nan, count: rows * cols)   // NaN: not computed; +inf: failed or outside
            lossGrid.withUnsafeMutableBufferPointer { lg in
            let lossOut = UnsafeSendable(lg)
            for (phase, h) in levels.enumerated() {
            DispatchQueue.concurrentPerform(iterations: bands) { band in
                let lg = lossOut.value
                let (heights, steps, firstMissing, lengths) = radialData.value
                var local = CoverageEngine.Diagnostics()
                var profile = TerrainProfile(elevationsM: [], spacingM: 1)
                profile.elevationsM.reserveCapacity(stride + 1)
                let r0 = s.rowMin + band * bandRows, r1 = min(s.rowMax, r0 + bandRows - 1)
                heights.withUnsafeBufferPointer { hp in
                sampler.values.withUnsafeBufferPointer { vp in
                    /// The model's loss for one cell on its radial profile; nil when terrain is missing or the model
                    /// rejects the path (counted).
                    func computeLoss(row: Int, col: Int, idx: Int, x: Double, gridM: Double, dx: Double, dy: Double) -> Float? {
                        var t = atan2(dx, dy)
                        if t < 0 { t += 2 * .pi }
                        let j = Int((t / (2 * .pi) * Double(radials)).rounded()) % radials
                        let dM = geodesicM(max(gridM, 1), s.x, x)
                        var points = ProfileSampling.intervals(distanceM: dM, spacingM: c.spacingM)
                        if let cap = c.maxPoints { points = min(points, max(cap - 1, ProfileSampling.minimumIntervals)) }
                        // Radial sample positions are multiples of its step; the cell's profile points sit at
                        // multiples of dM / points.
                        let radialStep = lengths[j] / Double(steps[j])
                        let ratio = dM / Double(points) / radialStep
                        let lastNeeded = Int((Double(points - 1) * ratio).rounded(.down)) + 1
                        if firstMissing[j] <= lastNeeded { local.cellsWithoutTerrain += 1; return nil }
                        let hEnd = sampler.sample(col: c.cellDemCol[idx], row: c.cellDemRow[idx], values: vp)
                        if hEnd.isNaN { local.cellsWithoutTerrain += 1; return nil }
                        // Resize the reused buffer to points + 1 without reallocating, then fill it.
                        let have = profile.elevationsM.count
                        if have > points + 1 { profile.elevationsM.removeLast(have - points - 1) }
                        else if have < points + 1 { profile.elevationsM.append(contentsOf: repeatElement(0, count: points + 1 - have)) }
                        let base = j * stride
                        // The last `exactTail` points, where a metre of height moves the receiver's horizon
                        // angle most, are sampled on the cell's own line as the exact method does.
                        let tailStart = max(0, points - exactTail)
                        var tailMissing = false
                        profile.elevationsM.withUnsafeMutableBufferPointer { e in
                            // Points 0 ..< tailStart lie at most at radial sample lastNeeded − 1, so both samples
                            // of each pair are finite (checked above) and within the radial; at f = 0 the sum is
                            // h0 exactly.
                            for i in 0..<tailStart {
                                let pos = Double(i) * ratio
                                let k = Int(pos), f = pos - Double(k)
                                let h0 = hp[base + k], h1 = hp[base + k + 1]
                                e[i] = h0 + f * (h1 - h0)
                            }
                            let c1 = c.cellDemCol[idx], r1 = c.cellDemRow[idx]
                            for i in tailStart..<points {
                                let f = Double(i) / Double(points)
                                let h = sampler.sample(col: s.demCol + f * (c1 - s.demCol), row: s.demRow + f * (r1 - s.demRow), values: vp)
                                if h.isNaN { tailMissing = true }
                                e[i] = h
                            }
                            e[points] = hEnd
                        }
                        if tailMissing { local.cellsWithoutTerrain += 1; return nil }
                        profile.spacingM = dM / Double(points)
                        var link = PathLink(frequencyMHz: s.frequencyMHz, txHeightM: s.antennaHeightM, rxHeightM: c.rxHeightM)
                        link.coordinates = (s.lat, s.lon, c.cellLat[idx], c.cellLon[idx])
                        local.profilesComputed += 1
                        do {
                            return Float(try c.model.lossDB(profile: profile, link: link).lossDB)
                        } catch {
                            local.cellsRejectedByModel += 1
                            if local.firstModelError == nil { local.firstModelError = "\(error)" }
                            return nil
                        }
                    }
                    /// The interpolated excess loss of a cell of level `h`, or nil when a neighbour on the 2h-lattice
                    /// is outside the window or not finite, or they differ by more than the level's tolerance.
                    @inline(__always) func interpolated(row: Int, col: Int) -> Float? {
                        let rowOn = row % (2 * h) == 0, colOn = col % (2 * h) == 0
                        let ra = rowOn ? row : row - h, rb = rowOn ? row : row + h
                        let ca = colOn ? col : col - h, cb = colOn ? col : col + h
                        guard ra >= s.rowMin, rb <= s.rowMax, ca >= s.colMin, cb <= s.colMax else { return nil }
                        @inline(__always) func at(_ r: Int, _ cc: Int) -> Float { lg[(r - s.rowMin) * cols + (cc - s.colMin)] }
                        let v0 = at(ra, ca), v1 = at(ra, cb), v2 = at(rb, ca), v3 = at(rb, cb)
                        guard v0.isFinite, v1.isFinite, v2.isFinite, v3.isFinite else { return nil }
                        // The cell's own ground must lie within the tolerance of its neighbours' mean: a cell on a
                        // crest or in a hollow has a horizon, and a loss, of its own.
                        if groundTolerance.isFinite, !c.groundM.isEmpty {
                            @inline(__always) func g(_ r: Int, _ cc: Int) -> Float { c.groundM[r * width + cc] }
                            let mean = (g(ra, ca) + g(ra, cb) + g(rb, ca) + g(rb, cb)) / 4
                            guard abs(g(row, col) - mean) <= groundTolerance else { return nil }
                        }
                        let lo = min(min(v0, v1), min(v2, v3)), hi = max(max(v0, v1), max(v2, v3))
                        // A cell on a line of the coarser lattice has 2 neighbours, each counted twice: the mean is theirs.
                        return hi - lo <= levelTolerance ? (v0 + v1 + v2 + v3) / 4 : nil
                    }
                    let coarse = 2 * h
                    let levelTolerance = h == 1 ? tolerance : tolerance / 2
                    for row in r0...r1 where row % h == 0 {
                        let y = geo.originY - (Double(row) + 0.5) * geo.pixelHeight, dy = y - s.y
                        let firstCol = s.colMin + (h - s.colMin % h) % h
                        let rowOnCoarse = row % coarse == 0
                        for col in Swift.stride(from: firstCol, through: s.colMax, by: h) {
                            // Cells of the coarser lattice were done in an earlier pass.
                            if phase > 0 && rowOnCoarse && col % coarse == 0 { continue }
                            let x = geo.originX + (Double(col) + 0.5) * geo.pixelWidth, dx = x - s.x
                            let gridM = sqrt(dx * dx + dy * dy)
                            let local0 = (row - s.rowMin) * cols + (col - s.colMin)
                            if gridM > s.radiusM { lg[local0] = .infinity; continue }
                            let idx = row * width + col
                            if phase > 0, let v = interpolated(row: row, col: col), !c.groundM[idx].isNaN {
                                lg[local0] = v
                            } else if let loss = computeLoss(row: row, col: col, idx: idx, x: x, gridM: gridM, dx: dx, dy: dy) {
                                lg[local0] = interpolate ? loss - distanceTermDB(gridM) : loss
                            } else {
                                lg[local0] = .infinity
                            }
                        }
                    }
                }}
                // Counts are per transmitter: each member of the group misses the same cells.
                local.cellsWithoutTerrain *= members.count
                local.cellsRejectedByModel *= members.count
                diagnostics.add(local, band: members[0] * 1_000_000 + phase * 100_000 + band)
            }
            }
            // Received power of each member: the common loss, the member's own antenna gain and clutter loss.
            DispatchQueue.concurrentPerform(iterations: bands) { band in
                let (bestP, serverP, countP, serviceP) = out.value
                let lg = lossOut.value
                let r0 = s.rowMin + band * bandRows, r1 = min(s.rowMax, r0 + bandRows - 1)
                for row in r0...r1 {
                    let y = geo.originY - (Double(row) + 0.5) * geo.pixelHeight, dy = y - s.y
                    for col in s.colMin...s.colMax {
                        let stored = lg[(row - s.rowMin) * cols + (col - s.colMin)]
                        guard stored.isFinite else { continue }
                        let x = geo.originX + (Double(col) + 0.5) * geo.pixelWidth, dx = x - s.x
                        let gridM = sqrt(dx * dx + dy * dy)
                        let cellLoss = interpolate ? stored + distanceTermDB(gridM) : stored
                        let idx = row * width + col
                        let g = c.groundM[idx]
                        let rxAbsM = c.rxHeightM + (g.isNaN ? 0 : Double(g))
                        let extra = c.receiverLossDB.isEmpty ? 0 : c.receiverLossDB[idx]
                        for si in members {
                            let m = sectors[si]
                            let gain = antennaGainDB(m, dx: dx, dy: dy, gridM: gridM, rxAbsM: rxAbsM)
                            deposit(m.eirp + gain - cellLoss - m.clutterLossDB(gridM) - extra, sector: m, index: si, cell: idx, cells: n,
                                    floor: c.floorDBm, best: bestP, server: serverP, count: countP, service: serviceP)
                        }
                    }
                }
            }
            }
            rowsDone += rows * members.count
            progress?(Double(rowsDone) / Double(totalRows))
        }
    }
}

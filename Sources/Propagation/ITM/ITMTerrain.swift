// ITM 1.2.2 terrain analysis of a point-to-point profile: horizons, least-squares fit, terrain irregularity Δh.
//
// Implements the point-to-point preparation of Hufford's "ITM version 1.2.2: the Algorithm" (§3, routines
// QLRPFL, HZNS, Z1SQ1, D1THX, QTILE) on flat buffers, without allocation on the heap:
//  - HZNS (horizons) is evaluated eight points at a time: a block whose points all lie below the current horizon
//    ray cannot change it, so only blocks with a candidate are looked at closer. The Algorithm raises the ray
//    point by point, θ += q/x, each raise a division waiting for the last; in exact arithmetic every raise sets θ
//    to that point's own elevation angle, so the ray ends at the largest angle. Here each candidate block's eight
//    angles are computed at once, independent of θ, and θ is their running maximum: the same horizon point (ties
//    kept as the Algorithm keeps them; angles closer than the Algorithm's rounding could part), and θ within 1e-11
//    rad of the Algorithm's, whose every raise rounds q, a difference of heights of hundreds of metres
//    (ITMHorizonTests: 9.4e-13 rad at most on 3,000 paths). The RX horizon is searched from the RX end (same
//    maximum, same tie-breaking as the Algorithm's single TX-to-RX scan).
//  - Z1SQ1 (trapezoid-weighted least squares) sums with SIMD accumulators; the rounding of the sums differs from
//    a sequential sum in the last bits only (< 1e-12 relative).
//  - D1THX's resampling computes the Algorithm's bracketing point of each sample directly (branch-free, in C), and
//    QTILE (the quantiles of D1THX) is a selection by value buckets (`Interdecile`) on stack buffers of ≤ 245
//    values. An order statistic is unique, so the value is the same as the Algorithm's partial sort.
//  - D1THX's resampling positions are x_a + j·step rather than a running sum (last-bit differences).
//  - The horizon tests use distances i·Δx; the horizon distances d_L returned are the Algorithm's running sums of
//    Δx (computed in O(log n), `runningSum`), whose last bits decide the ranges of the fits.
// Left out: nothing of the Algorithm.
import CFastMath
import Foundation

enum ITMTerrain {
    /// h_sys: mean height of points int(0.1 n) … n − int(0.1 n) of a profile with n intervals
    /// (Algorithm §3, point-to-point: N_s is taken at the mean elevation of the central path), m.
    static func centralMean(_ h: UnsafeBufferPointer<Double>) -> Double {
        let np = h.count - 1
        let p10 = Int(0.1 * Double(np))
        let lo = p10, hi = np - p10
        return sum(h.baseAddress!, lo, hi) / Double(hi - lo + 1)
    }

    /// Σ h[lo…hi] with SIMD accumulators.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Double>, _ lo: Int, _ hi: Int) -> Double {
        var acc0 = SIMD4<Double>(), acc1 = SIMD4<Double>()
        var i = lo
        let raw = UnsafeRawPointer(p)
        let stride = MemoryLayout<Double>.stride
        while i + 8 <= hi + 1 {
            acc0 += raw.loadUnaligned(fromByteOffset: i * stride, as: SIMD4<Double>.self)
            acc1 += raw.loadUnaligned(fromByteOffset: (i + 4) * stride, as: SIMD4<Double>.self)
            i += 8
        }
        var s = (acc0 + acc1).sum()
        while i <= hi { s += p[i]; i += 1 }
        return s
    }

    /// QLRPFL: horizons, Δh and effective heights of a profile (Algorithm §3, point-to-point preparation).
    static func analyse(_ h: UnsafeBufferPointer<Double>, spacingM: Double, geometry g: inout ITMGeometry) {
        let np = h.count - 1
        let distM = g.distM
        horizons(h, spacingM: spacingM, geometry: &g)

        // x_L,j = min(15 h_g,j, 0.1 d_L,j) from each end: the part of the path used for Δh and the fit, m
        let xl0 = min(15 * g.hg.tx, 0.1 * g.dl.tx)
        let xl1 = distM - min(15 * g.hg.rx, 0.1 * g.dl.rx)
        g.dh = deltaH(h, spacingM: spacingM, fromM: xl0, toM: xl1) // Δh, m (D1THX)

        let base = h.baseAddress!
        if g.dl.tx + g.dl.rx > 1.5 * distM {
            // Line-of-sight path: effective heights above the least-squares line over [x_L,1, x_L,2] (Z1SQ1), then
            // horizon distances and angles of a smooth earth with irregularity Δh.
            let fit = leastSquares(base, intervals: np, spacingM: spacingM, fromM: xl0, toM: xl1)
            g.he.tx = g.hg.tx + dim(h[0], fit.z0) // h_e = h_g + max(z_0 − z_fit, 0), m
            g.he.rx = g.hg.rx + dim(h[np], fit.zn)
            g.setSmoothEarthHorizon(0)
            g.setSmoothEarthHorizon(1)
            let sumDl = g.dl.tx + g.dl.rx // d_L,1 + d_L,2, m
            if sumDl <= distM {
                // Horizons would not reach: scale h_e by (d/(d_L,1 + d_L,2))² and recompute.
                let scale = (distM / sumDl) * (distM / sumDl)
                g.he.tx *= scale
                g.he.rx *= scale
                g.setSmoothEarthHorizon(0)
                g.setSmoothEarthHorizon(1)
            }
        } else {
            // Transhorizon path: separate fits from each terminal to 0.9 of its horizon distance.
            let fitTx = leastSquares(base, intervals: np, spacingM: spacingM, fromM: xl0, toM: 0.9 * g.dl.tx)
            let fitRx = leastSquares(base, intervals: np, spacingM: spacingM, fromM: distM - 0.9 * g.dl.rx, toM: xl1)
            g.he.tx = g.hg.tx + dim(h[0], fitTx.z0)
            g.he.rx = g.hg.rx + dim(h[np], fitRx.zn)
        }
    }

    /// FORTRAN's DIM(x, y) = max(x − y, 0).
    @inline(__always) static func dim(_ x: Double, _ y: Double) -> Double { x > y ? x - y : 0 }

    /// HZNS: horizon angles θ_e,j (rad) and distances d_L,j (m) of both terminals over an earth of curvature γ_e
    /// (Algorithm §3). Terrain point i at distance x_i = iΔx is an obstacle for the TX when it rises above the ray
    /// z_a + θ x + γ_e x²/2; the RX horizon is searched only from the first TX obstacle on (without one the path
    /// is line of sight and both rays stay on the direct ray).
    ///
    /// The Algorithm scans once from TX to RX, raising θ_1 and θ_2 at every point above either ray. The RX ray is
    /// raised at most points of that scan (the nearer a point to the RX, the likelier it lies above a ray fixed by
    /// farther points), so here the RX side is scanned from the RX outwards instead, where it changes rarely; the
    /// maximum is the same, and ties keep the Algorithm's choice (the point nearest the TX). Both scans test eight
    /// points at a time, and take the elevation angles (h_i − z)/x_i − γ_e x_i/2 of blocks holding a candidate.
    static func horizons(_ h: UnsafeBufferPointer<Double>, spacingM xi: Double, geometry g: inout ITMGeometry) {
        let np = h.count - 1
        let dist = g.distM // d, m
        let za = h[0] + g.hg.tx // TX antenna height above sea level, m
        let zb = h[np] + g.hg.rx // RX antenna height above sea level, m
        let qc = 0.5 * g.gammaE // γ_e/2, 1/m
        let direct = (zb - za) / dist // slope of the direct ray, rad
        var thA = direct - qc * dist // θ_1, rad
        var thB = -direct - qc * dist // θ_2, rad
        var iA = 0, iB = 0 // indices of the horizons (0: none, d_L = d)
        if np >= 2 {
            // The scans keep θ and the indices in the closure's own locals and hand them back at the end: state of the
            // enclosing function mutated inside the closure was boxed, behind Swift's run-time exclusivity checks.
            (thA, thB, iA, iB) = scan(h, spacingM: xi, qc: qc, za: za, zb: zb, dist: dist, thA: thA, thB: thB)
        }
        g.theta = ITM.Pair(tx: thA, rx: thB)
        // d_L,j as the Algorithm's scan reaches it: Δx added to 0 (TX) or taken from d (RX) once per point, each
        // step rounded. Its last bits decide int(0.1 d_L/Δx) and int(0.9 d_L/Δx) in the fits of QLRPFL, and
        // those are whole numbers in exact arithmetic whenever the horizon index is a multiple of 10, so i·Δx
        // (one rounding) picked the neighbouring point there on ~6 % of real profiles (h_e off by up to 25 m).
        // They also decide D1THX's sample count int(0.1 ((x_2 − x_1)/Δx + 8)), whose argument is a whole number
        // for other horizon indices too (with i·Δx wherever the index is not a multiple of 10, reference-set
        // id 141 got another Δh and A 0.06 dB off), so the running sum is used for every horizon.
        g.dl = ITM.Pair(
            tx: iA == 0 ? dist : runningSum(0, xi, steps: iA),
            rx: iB == 0 ? dist : runningSum(dist, -xi, steps: iB))
    }

    /// HZNS's two scans on a profile of ≥ 3 points (`horizons`): θ_1, θ_2 and the horizon indices (0: none).
    static func scan(
        _ h: UnsafeBufferPointer<Double>, spacingM xi: Double, qc: Double, za: Double, zb: Double, dist: Double, thA: Double, thB: Double
    ) -> (Double, Double, Int, Int) {
        let np = h.count - 1
        let p = h.baseAddress!
        let raw = UnsafeRawPointer(p)
        let stride = MemoryLayout<Double>.stride

        // Block filter: a block's angles are taken when any of its points is above the current ray or within
        // `margin` below it. The filter's distances, i·Δx + kΔx, may differ from i·Δx in their last bits, which
        // moves its q by far less than the margin; the decisions themselves are made on the angles.
        let margin = -1e-3 // m
        let ks = SIMD4<Double>(0, 1, 2, 3)
        let lanes = ks * xi

        // Before it, a coarser one: the highest point of each group of 8 (groups from index 0) lets a span of 32
        // points be passed at once when even its highest point at the ray's lowest height over the span stays
        // `margin` below the ray. The ray's height above the terminal, (q_c s + θ) s, is convex in the distance
        // s, least at s* = −θ/(2 q_c) clamped to the span. The bound errs by rounding only (< 1e-9 m).
        let groups = np / 8 + 1
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: groups) { gmax in
            var thA = thA, thB = thB, iA = 0, iB = 0
            let gm = gmax.baseAddress!
            tanso_group_max8(gm, p, np + 1)
            let vertex = -0.5 / qc
            /// Whether every point lo … hi stays `margin` below the ray θ from a terminal at height z, s_lo and
            /// s_hi being the span's distances from that terminal.
            @inline(__always) func clears(_ lo: Int, _ hi: Int, _ sLo: Double, _ sHi: Double, _ theta: Double, _ z: Double) -> Bool {
                var top = gm[lo >> 3]
                var k = (lo >> 3) + 1
                while k <= hi >> 3 { top = Swift.max(top, gm[k]); k += 1 }
                let sc = Swift.min(Swift.max(theta * vertex, sLo), sHi)
                return top - (qc * sc + theta) * sc - z <= margin
            }

            // TX side, from the TX outwards; i0 = first obstacle. A point raises the ray to its own elevation angle
            // θ_i = (h_i − z_a)/s_i − q_c s_i when that is above the ray's; the ray ends at the highest angle, and
            // the horizon is the first point reaching it (later equals do not raise).
            var i0 = 0
            @inline(__always) func stepA(_ i: Int) {
                let sa = Double(i) * xi // distance from TX, m
                let angle = (p[i] - za) / sa - qc * sa
                if angle > thA {
                    thA = angle
                    iA = i
                    if i0 == 0 { i0 = i }
                }
            }
            var i = 1
            while i + 8 <= np {
                if i + 32 <= np && clears(i, i + 31, Double(i) * xi, Double(i + 31) * xi, thA, za) {
                    i += 32
                    continue
                }
                let sa0 = Double(i) * xi + lanes, sa1 = sa0 + 4 * xi
                let h0 = raw.loadUnaligned(fromByteOffset: i * stride, as: SIMD4<Double>.self)
                let h1 = raw.loadUnaligned(fromByteOffset: (i + 4) * stride, as: SIMD4<Double>.self)
                let q0 = h0 - (qc * sa0 + thA) * sa0 - za
                let q1 = h1 - (qc * sa1 + thA) * sa1 - za
                if any((q0 .> margin) .| (q1 .> margin)) {
                    // The block's angles at once (distances (i + k)·Δx, as `stepA` takes them), then the highest.
                    let s0 = (Double(i) + ks) * xi, s1 = (Double(i + 4) + ks) * xi
                    let a0 = (h0 - za) / s0 - qc * s0, a1 = (h1 - za) / s1 - qc * s1
                    let top = highest(a0, a1)
                    if top.isNaN { // a point without height: it raises nothing, the others as they would
                        for m in i..<(i + 8) { stepA(m) }
                    } else if top > thA {
                        if i0 == 0 { i0 = i + first(a0 .> thA, a1 .> thA) }
                        thA = top
                        iA = i + first(a0 .== top, a1 .== top)
                    }
                }
                i += 8
            }
            while i < np { stepA(i); i += 1 }

            // RX side, from the RX outwards over points i0 … np−1: the highest angle from the RX, the point nearest
            // the TX among equals (the Algorithm's forward scan keeps the first), and only above the direct ray.
            if i0 > 0 {
                var raised = false
                @inline(__always) func stepB(_ i: Int) {
                    let sb = dist - Double(i) * xi // distance from RX, m
                    let angle = (p[i] - zb) / sb - qc * sb
                    if angle > thB || (angle == thB && raised) {
                        thB = angle
                        iB = i
                        raised = true
                    }
                }
                var j = np - 8 // lowest index of the next block
                while j >= i0 {
                    if j - 24 >= i0 && clears(j - 24, j + 7, dist - Double(j + 7) * xi, dist - Double(j - 24) * xi, thB, zb) {
                        j -= 32
                        continue
                    }
                    let sb0 = (dist - Double(j) * xi) - lanes // distances of points j … j+3 from RX, m
                    let sb1 = sb0 - 4 * xi // points j+4 … j+7
                    let h0 = raw.loadUnaligned(fromByteOffset: j * stride, as: SIMD4<Double>.self)
                    let h1 = raw.loadUnaligned(fromByteOffset: (j + 4) * stride, as: SIMD4<Double>.self)
                    let q0 = h0 - (qc * sb0 + thB) * sb0 - zb
                    let q1 = h1 - (qc * sb1 + thB) * sb1 - zb
                    if any((q0 .> margin) .| (q1 .> margin)) {
                        let s0 = dist - (Double(j) + ks) * xi, s1 = dist - (Double(j + 4) + ks) * xi
                        let a0 = (h0 - zb) / s0 - qc * s0, a1 = (h1 - zb) / s1 - qc * s1
                        let top = highest(a0, a1)
                        if top.isNaN {
                            var m = j + 7
                            while m >= j { stepB(m); m -= 1 }
                        } else if top > thB || (top == thB && raised) {
                            thB = top
                            iB = j + first(a0 .== top, a1 .== top)
                            raised = true
                        }
                    }
                    j -= 8
                }
                var m = j + 7 // the remaining points i0 … j+7
                while m >= i0 { stepB(m); m -= 1 }
            }
            return (thA, thB, iA, iB)
        }
    }

    /// The largest of 8 lanes; NaN, or the largest of the others, when a lane is NaN.
    @inline(__always) static func highest(_ a: SIMD4<Double>, _ b: SIMD4<Double>) -> Double {
        Swift.max(Swift.max(Swift.max(a[0], b[0]), Swift.max(a[1], b[1])), Swift.max(Swift.max(a[2], b[2]), Swift.max(a[3], b[3])))
    }

    /// The first of 8 lanes (0 … 3 in `m0`, 4 … 7 in `m1`) that is set; 8 when none is.
    @inline(__always) static func first(_ m0: SIMDMask<SIMD4<Int64>>, _ m1: SIMDMask<SIMD4<Int64>>) -> Int {
        for k in 0..<4 where m0[k] { return k }
        for k in 0..<4 where m1[k] { return 4 + k }
        return 8
    }

    /// `start` with `step` added `steps` times, rounded after every addition as a loop `s += step` rounds it,
    /// in O(log) time: within one binade [B, 2B) every addition adds the same amount δ, `step` rounded to a
    /// multiple of the binade's ulp u (the sum stays a multiple of u), unless `step` lies exactly half-way between
    /// two multiples of u (then the loop is run step by step). The steps inside a binade are taken at once,
    /// s + k·δ, which is exact (a multiple of u inside the binade); the step that leaves it is a real addition.
    /// Sums at or below zero, subnormal, or within 8 steps of zero are stepped one by one (ITM's sums start at 0 or
    /// d > 0 and stay ≥ 0).
    static func runningSum(_ start: Double, _ step: Double, steps: Int) -> Double {
        // A little under 1/|step|: room · perStep never exceeds the whole steps that fit in the room, given that the
        // binade's increment differs from |step| by at most half an ulp (relative 2^-31 while the sum stays within
        // 2^30 steps); beyond that the check below takes k down. (No division on the loop's dependency chain.)
        let perStep = 1 / abs(step) * (1 - 0x1p-20)
        // Within 8 steps of zero a binade holds at most about 8 steps, and adding them one by one costs less than
        // a jump's arithmetic (ITM's TX side starts at 0, its RX side often ends near it).
        let small = 8 * abs(step)
        var s = start
        var left = steps
        while left > 0 {
            if s >= small && s >= .leastNormalMagnitude && s < 0x1p1000 { // a binade of normal numbers
                let bottom = Double(bitPattern: s.bitPattern & 0x7FF0_0000_0000_0000) // B = 2^e ≤ s
                let u = bottom * 0x1p-52 // the binade's ulp (exact)
                // δ: `step` rounded to a multiple of u, as s + step rounds it inside the binade: 1.5 B has ulp u and
                // 1.5 B + step stays in [B, 2B) since |step| ≤ s/8 < B/4. (The ties, where s's own parity decides,
                // are stepped.)
                let anchor = 1.5 * bottom
                let delta = (anchor + step) - anchor
                if abs(step - delta) != 0.5 * u {
                    if delta == 0 { return s } // step below half an ulp: every further addition leaves s as it is
                    // Steps k that keep s + k·δ within [B + u, 2B − u]: then s + k·δ ± u/2 lies inside the binade,
                    // so each real addition rounds on the grid of u to exactly s + k·δ.
                    let room = delta > 0 ? (2 * bottom - u) - s : s - (bottom + u)
                    let fit = room * perStep
                    var k = fit < Double(left) ? Int(fit) : left
                    if Double(k) * abs(delta) > room { k = Self.fewerSteps(k, abs(delta), room) }
                    s += Double(k) * delta
                    left -= k
                    if left == 0 { break }
                }
            }
            s += step // one real step (across the binade's edge, or a tie, or near zero)
            left -= 1
        }
        return s
    }

    /// The largest k' ≤ k with k'·δ ≤ room (`runningSum`, when its estimate of k was high: rare).
    @inline(never)
    static func fewerSteps(_ k: Int, _ delta: Double, _ room: Double) -> Int {
        var k = k
        while k > 0 && Double(k) * delta > room { k -= 1 }
        return k
    }

    /// Z1SQ1: trapezoid-weighted least-squares line through the profile points between `fromM` and `toM`
    /// (Algorithm §3). Returns the line's heights at the two ends of the whole profile (z_0 at x = 0 and z_n at
    /// x = nΔx), m. `z` holds `intervals + 1` heights.
    static func leastSquares(
        _ z: UnsafePointer<Double>, intervals: Int, spacingM: Double,
        fromM x1: Double, toM x2: Double
    ) -> (z0: Double, zn: Double) {
        let xn = Double(intervals)
        var xa = Double(Int(dim(x1 / spacingM, 0))) // first index of the fit
        var xb = xn - Double(Int(dim(xn, x2 / spacingM))) // last index of the fit
        if xb <= xa {
            xa = dim(xa, 1)
            xb = xn - dim(xn, xb + 1)
        }
        let ja = Int(xa), jb = Int(xb)
        let width = xb - xa // number of intervals in the fit
        let x0 = -0.5 * width // abscissa of point ja, centred on the midpoint
        let mid = xb + x0 // index of the midpoint
        var a = 0.5 * (z[ja] + z[jb]) // Σ w_i z_i (end points weigh 1/2)
        var b = 0.5 * (z[ja] - z[jb]) * x0 // Σ w_i z_i x_i
        // Interior points ja+1 … jb−1 with x = x0 + (k − ja): the same sums in AVX2 when the CPU has it.
        if ja + 1 < jb {
            var sumA = 0.0, sumB = 0.0
            #if arch(x86_64)
                if tanso_avx2() != 0 {
                    tanso_fit_sums_avx2(z, ja + 1, jb, x0, &sumA, &sumB)
                } else {
                    (sumA, sumB) = interiorSums(z, from: ja + 1, to: jb, x0: x0)
                }
            #else
                (sumA, sumB) = interiorSums(z, from: ja + 1, to: jb, x0: x0)
            #endif
            a += sumA
            b += sumB
        }
        a /= width // mean height, m
        b = b * 12 / ((width * width + 2) * width) // slope, m per interval
        return (a - b * mid, a + b * (xn - mid))
    }

    /// Z1SQ1's sums over points k … jb − 1 (k < jb), Σ z_i and Σ z_i x_i with x = x0 + 1 at point k and one more per
    /// point: eight points an iteration in two SIMD4 lanes each, then the lanes summed in order (SIMD4.sum adds lane
    /// after lane), then the remaining points one by one. `tanso_fit_sums_avx2` does the same operations in AVX2.
    @inline(__always)
    static func interiorSums(_ z: UnsafePointer<Double>, from k: Int, to jb: Int, x0: Double) -> (Double, Double) {
        let raw = UnsafeRawPointer(z)
        let stride = MemoryLayout<Double>.stride
        var k = k
        var sa0 = SIMD4<Double>(), sa1 = SIMD4<Double>()
        var sb0 = SIMD4<Double>(), sb1 = SIMD4<Double>()
        var xv0 = SIMD4<Double>(x0 + 1, x0 + 2, x0 + 3, x0 + 4)
        var xv1 = xv0 + 4
        while k + 8 <= jb {
            let z0 = raw.loadUnaligned(fromByteOffset: k * stride, as: SIMD4<Double>.self)
            let z1 = raw.loadUnaligned(fromByteOffset: (k + 4) * stride, as: SIMD4<Double>.self)
            sa0 += z0; sa1 += z1
            sb0 += z0 * xv0; sb1 += z1 * xv1
            xv0 += 8; xv1 += 8
            k += 8
        }
        var sumA = (sa0 + sa1).sum(), sumB = (sb0 + sb1).sum()
        var x = xv0[0]
        while k < jb { sumA += z[k]; sumB += z[k] * x; x += 1; k += 1 }
        return (sumA, sumB)
    }

    /// D1THX: terrain irregularity Δh between `fromM` and `toM` (Algorithm §3): the profile is resampled at
    /// n = 10k − 5 points (k = int((x_2 − x_1)/Δx/10 + 0.8) within 4…25), the least-squares line removed, and the
    /// interdecile range of the residuals (k-th largest minus k-th smallest) is converted to the asymptotic Δh by
    /// Δh(d) = Δh (1 − 0.8 exp(−d/50 km)) (ERL 79-ITS 67 Eq. 3), m.
    static func deltaH(_ h: UnsafeBufferPointer<Double>, spacingM: Double, fromM x1: Double, toM x2: Double) -> Double {
        if x2 / spacingM - x1 / spacingM < 2 { return 0 }
        // The resampled profile (≤ 245 values) and the selection's scratch (672) live on a C stack frame, not
        // initialised (an InlineArray here was zeroed on every call; withUnsafeTemporaryAllocation takes the heap
        // above 1 KB).
        var call = DeltaHCall(h: h, spacingM: spacingM, x1: x1, x2: x2)
        withUnsafeMutablePointer(to: &call) { c in
            tanso_with_stack_scratch(
                { scratch, context in
                    let c = context!.assumingMemoryBound(to: DeltaHCall.self)
                    c.pointee.result = ITMTerrain.deltaH(c.pointee, scratch: scratch!)
                }, c)
        }
        return call.result
    }

    /// The arguments and result of one D1THX, through the C stack frame of `deltaH`.
    struct DeltaHCall {
        let h: UnsafeBufferPointer<Double>
        let spacingM: Double, x1: Double, x2: Double
        var result = 0.0
    }

    /// D1THX with `scratch` of ≥ 245 + `Interdecile.scratchCount` = 917 doubles (the C frame has 1,024).
    static func deltaH(_ c: DeltaHCall, scratch: UnsafeMutablePointer<Double>) -> Double {
        let xa = c.x1 / c.spacingM // start, in intervals
        let xbStart = c.x2 / c.spacingM // end, in intervals
        let ka = min(max(4, Int(0.1 * (xbStart - xa + 8))), 25)
        let n = 10 * ka - 5 // number of resampled points
        let sn = Double(n - 1)
        let step = (xbStart - xa) / sn // resampling step, in intervals
        let kFirst = Int(xa + 1) // the Algorithm's first bracketing point
        let s = UnsafeMutableBufferPointer(start: scratch, count: n)
        resample(c.h, into: s, from: xa, step: step, firstPoint: kFirst)
        let fit = leastSquares(UnsafePointer(scratch), intervals: n - 1, spacingM: 1, fromM: 0, toM: sn)
        // The residuals about the line, s_j −= z_0 + j·slope, and their range, in one pass (C, SSE2: each lane
        // rounds as the scalar expression does).
        var lo = 0.0, hi = 0.0
        let nan = tanso_subtract_line_range(scratch, n, fit.z0, (fit.zn - fit.z0) / sn, &lo, &hi) != 0
        // QTILE: the ka-th largest and the ka-th smallest residuals.
        let (lower, upper) = Interdecile.ranks(
            ka - 1, n - ka, of: UnsafePointer(scratch), count: n, scratch: scratch + 245, range: (lo, hi, nan))
        return (upper - lower) / (1 - 0.8 * exp(-(c.x2 - c.x1) / 50e3))
    }

    /// D1THX's resampling: sample j lies at x_j = x_a + j·step (in intervals) and is interpolated linearly between
    /// points k − 1 and k of the profile. The Algorithm advances k one point at a time until x_j − k ≤ 0, never
    /// below its first k (`firstPoint`) and never beyond the last point, which gives k_j = min(max(⌈x_j⌉, k_first),
    /// n) since x_j only grows; that k_j is computed directly, without a branch (C, `tanso_itm_resample`: the
    /// bracket's advance mispredicted about once a sample). (The Algorithm accumulates x_j by repeated addition;
    /// the direct product differs from it in the last bits only.)
    @inline(__always)
    static func resample(
        _ h: UnsafeBufferPointer<Double>, into s: UnsafeMutableBufferPointer<Double>, from xa: Double, step: Double,
        firstPoint: Int
    ) {
        // (a range starting beyond the profile reads its last interval; x − k lies in (−1, 0] inside the profile)
        tanso_itm_resample(s.baseAddress!, s.count, h.baseAddress!, h.count - 1, xa, step, firstPoint)
    }

    /// The value of rank `k` (0-based, ascending) of `a[0…last]`, reordering it in place (Wirth's selection):
    /// afterwards a[0..<k] ≤ a[k] ≤ a[k+1…last].
    static func kthSmallest(_ a: UnsafeMutableBufferPointer<Double>, _ k: Int, upTo last: Int? = nil) -> Double {
        var l = 0, r = last ?? a.count - 1
        while l < r {
            let x = a[k]
            var i = l, j = r
            repeat {
                while a[i] < x { i += 1 }
                while x < a[j] { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            } while i <= j
            if j < k { l = i }
            if k < i { r = j }
        }
        return a[k]
    }
}

/// Two order statistics of at most 256 values by value buckets, without reordering the input: one histogram of
/// 64 equal-width buckets between the minimum and the maximum gives the bucket holding each rank; the values of
/// that bucket are gathered (branch-free) and the rank found among them, by buckets again while they are many
/// and by Wirth's selection once they are few.
///
/// An order statistic is a unique value, so this returns what any exact selection returns (QTILE's partial sort
/// included): the bucket of a value, int((x − min) · 64 / (max − min)) capped at 63, never decreases as x grows,
/// whatever the rounding, so every value of a lower bucket is ≤ every value of a higher one. Quickselect's
/// partitions on terrain residuals mispredicted about one comparison in three; here the histogram and the
/// gathers have no data-dependent branch, and the selection that remains works on a handful of values.
enum Interdecile {
    /// Buckets of a histogram (`tanso_bucket_histogram` has the same 64 written in).
    static let buckets = 64
    /// At most this many values left: selected directly (Wirth), without another histogram.
    static let fewValues = 24

    /// Doubles of scratch `ranks` needs: 2 × 256 gathered values, 4 × 64 counters (four interleaved histograms,
    /// so that runs of equal buckets, common on terrain, do not wait on one counter), 256 bucket numbers.
    static let scratchCount = 672

    /// The values of ascending ranks `kLow` and `kHigh` (0-based) of `a[0 ..< count]`, count ≤ 256, with
    /// `scratchCount` doubles of scratch (any contents). `range`, when given, is the values' minimum and maximum
    /// and whether one is NaN, as `tanso_range` finds them (D1THX finds them while it computes the values).
    static func ranks(
        _ kLow: Int, _ kHigh: Int, of a: UnsafePointer<Double>, count m: Int, scratch: UnsafeMutablePointer<Double>,
        range: (lo: Double, hi: Double, nan: Bool)? = nil
    ) -> (Double, Double) {
        precondition(m > 0 && m <= 256 && 0 <= kLow && kLow <= kHigh && kHigh < m)
        let base = UnsafeMutableRawPointer(scratch)
        let bufLow = base.assumingMemoryBound(to: Double.self), bufHigh = bufLow + 256
        let counts = (base + 512 * 8).assumingMemoryBound(to: Int32.self)
        let keys = (base + 640 * 8).assumingMemoryBound(to: UInt8.self)
        let bucketed =
            range.map { tanso_bucket_histogram_in(a, m, $0.lo, $0.hi, $0.nan ? 1 : 0, counts, keys) != 0 }
            ?? histogram(a, m, counts: counts, keys: keys)
        guard bucketed else {
            // All values equal, a spread too narrow to divide, or a NaN: Wirth's selection on a copy.
            for j in 0..<m { bufLow[j] = a[j] }
            let b = UnsafeMutableBufferPointer(start: bufLow, count: m)
            let high = ITMTerrain.kthSmallest(b, kHigh)
            return (kLow < kHigh ? ITMTerrain.kthSmallest(b, kLow, upTo: kHigh - 1) : high, high)
        }
        // Both buckets are found and gathered before either selection, which reuses the counters and keys.
        let (bLow, inLow) = bucket(ofRank: kLow, counts: counts)
        let (bHigh, inHigh) = bucket(ofRank: kHigh, counts: counts, fromTop: m)
        var cLow = 0, cHigh = 0 // both buckets gathered in one pass over the values and their keys
        tanso_bucket_gather2(
            a, m, keys, UInt8(truncatingIfNeeded: bLow), UInt8(truncatingIfNeeded: bHigh), bufLow, bufHigh, &cLow, &cHigh)
        let low = select(bufLow, cLow, inLow, counts: counts, keys: keys)
        let high = select(bufHigh, cHigh, inHigh, counts: counts, keys: keys)
        return (low, high)
    }

    /// The value of ascending rank `k` of `a[0 ..< m]` (gathered values, reordered in place).
    static func select(
        _ a: UnsafeMutablePointer<Double>, _ m: Int, _ k: Int, counts: UnsafeMutablePointer<Int32>,
        keys: UnsafeMutablePointer<UInt8>
    ) -> Double {
        var m = m, k = k
        while m > fewValues {
            guard histogram(UnsafePointer(a), m, counts: counts, keys: keys) else { break }
            let (b, inB) = bucket(ofRank: k, counts: counts)
            let left = gather(UnsafePointer(a), m, bucket: b, keys: keys, into: a) // in place: writes trail reads
            // (The minimum and the maximum fall in buckets 0 and 63, so a level always leaves fewer values.)
            guard left < m else { break }
            m = left
            k = inB
        }
        return ITMTerrain.kthSmallest(UnsafeMutableBufferPointer(start: a, count: m), k)
    }

    /// Bucket numbers of `a[0 ..< m]` in `keys` and their counts in `counts` (4 × 64, summed by `count`); false
    /// (nothing written) when all values are equal, their spread is infinite or cannot be divided into 64 finite
    /// buckets, or one is NaN.
    @inline(__always)
    static func histogram(
        _ a: UnsafePointer<Double>, _ m: Int, counts: UnsafeMutablePointer<Int32>, keys: UnsafeMutablePointer<UInt8>
    ) -> Bool {
        tanso_bucket_histogram(a, m, counts, keys) != 0 // (C: no range checks on the bucket's conversion)
    }

    @inline(__always) static func count(_ counts: UnsafeMutablePointer<Int32>, _ b: Int) -> Int {
        Int(counts[b] &+ counts[b &+ buckets] &+ counts[b &+ 2 &* buckets] &+ counts[b &+ 3 &* buckets])
    }

    /// The bucket holding ascending rank `k` and the rank within it; searched from the top when `fromTop` (the
    /// count of values) is given, for ranks near the top.
    @inline(__always)
    static func bucket(ofRank k: Int, counts: UnsafeMutablePointer<Int32>, fromTop m: Int? = nil) -> (Int, Int) {
        if let m {
            let r = m - 1 - k // rank from the top
            var above = 0, b = buckets - 1
            while above + count(counts, b) <= r { above += count(counts, b); b -= 1 }
            return (b, count(counts, b) - 1 - (r - above))
        }
        var below = 0, b = 0
        while below + count(counts, b) <= k { below += count(counts, b); b += 1 }
        return (b, k - below)
    }

    /// Copies the values of bucket `b` to `out` in order, branch-free (every value is stored, the position
    /// advances only past those of the bucket); `out` may be `a` itself. Returns how many.
    @inline(__always)
    static func gather(
        _ a: UnsafePointer<Double>, _ m: Int, bucket b: Int, keys: UnsafeMutablePointer<UInt8>,
        into out: UnsafeMutablePointer<Double>
    ) -> Int {
        tanso_bucket_gather(a, m, keys, UInt8(truncatingIfNeeded: b), out)
    }
}

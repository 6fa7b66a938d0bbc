// Heights along a straight line of a DEM: the radial method's radials and its cells' exact tails, the exact
// method's profiles.
import CFastMath
import Terrain

extension DEMSampler {
    /// Heights at f = i/m for i in `points`, on the line from whole-raster pixel position (ca, ra) to (cb, rb):
    /// out[i − points.lowerBound] is `sample(col: ca + f·(cb − ca), row: ra + f·(rb − ra))`, bit for bit. Returns
    /// whether any height is missing (NaN).
    ///
    /// When the interpolation's four neighbours of both ends lie inside this grid, so do those of every point
    /// between (the positions are monotone in i), and one C loop without per-point range checks computes them
    /// (`tanso_sample_line`); a point with a missing value among its neighbours is then sampled again through
    /// `sample`, which falls back to the nearest value. A line near the grid's edge goes point by point.
    @inline(__always)
    func sampleLine(
        fromCol ca: Double, row ra: Double, toCol cb: Double, row rb: Double, intervals m: Int, points: ClosedRange<Int>,
        values v: UnsafeBufferPointer<Float>, into out: UnsafeMutablePointer<Double>
    ) -> Bool {
        let dc = cb - ca, dr = rb - ra, md = Double(m), i0 = points.lowerBound, i1 = points.upperBound
        @inline(__always) func inside(_ i: Int) -> Bool {
            let f = Double(i) / md
            let fc = ((ca + f * dc) - colOffset) - 0.5, fr = ((ra + f * dr) - rowOffset) - 0.5
            return fc >= 0 && fc < Double(width - 1) && fr >= 0 && fr < Double(height - 1)
        }
        // The point sampler at point i (NaN: missing).
        @inline(__always) func sampled(_ i: Int) -> Double {
            let f = Double(i) / md
            out[i - i0] = sample(col: ca + f * dc, row: ra + f * dr, values: v)
            return out[i - i0]
        }
        var missing = false
        if width >= 2, height >= 2, inside(i0), inside(i1) {
            let flagged = tanso_sample_line(
                out, v.baseAddress!, width, ca, ra, dc, dr, colOffset, rowOffset, md, i0, i1, nodata ?? .nan)
            if flagged == 0 { return false }
            for i in points where out[i - i0].isNaN { missing = sampled(i).isNaN || missing }
        } else {
            for i in points { missing = sampled(i).isNaN || missing }
        }
        return missing
    }
}

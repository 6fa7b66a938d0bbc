// `--model los`: line of sight. For each transmitter, the viewshed of its antenna over the study grid's ground
// heights (bilinear from the DEM at cell centres), computed by `Viewshed` (GDAL's edge method, agreeing with
// gdal_viewshed on ≥ 99.999 % of cells of a real DEM; curvature coefficient 0.85714 = 4/3-Earth refraction);
// visible cells receive EIRP + antenna gain − free-space loss, hidden cells nothing.
import Foundation
import Propagation
import Radio

extension CoverageEngine {
    struct LineOfSightField: LossField {
        let spec: GridSpec
        /// Ground elevation at the cell centres, m.
        let ground: [Float]
        let rxHeightM: Double
        /// The viewshed and the loss depend only on the site, the antenna height, the frequency and the radius.
        var sharedBySiteSectors: Bool { true }
        func gridDistanceM(dx: Double, dy: Double) -> Double { sqrt(dx * dx + dy * dy) }

        func lossWindow(for s: SectorSetup, members: Int, key: Int, diagnostics: DiagnosticsBox) throws -> [Float] {
            let shape = WindowShape(s), geo = spec.geoTransform, w = shape.cols, h = shape.rows
            var loss = [Float](repeating: .infinity, count: shape.count)
            let txPx = geo.pixel(x: s.x, y: s.y)
            let oc = Int(txPx.col.rounded(.down)) - s.colMin, orow = Int(txPx.row.rounded(.down)) - s.rowMin
            guard oc >= 0, oc < w, orow >= 0, orow < h else { return loss }
            var window = [Float](repeating: .nan, count: w * h)
            for r in 0..<h { for c in 0..<w { window[r * w + c] = ground[(s.rowMin + r) * spec.width + s.colMin + c] } }
            // The observer stands on the ground under the antenna (the window's cell may differ from the site's own
            // elevation by the slope within a cell): its height above that cell is set so the antenna sits at its
            // true height above sea level.
            let cellGround = Double(window[orow * w + oc])
            guard !cellGround.isNaN else { return loss }
            let visible = window.withUnsafeBufferPointer {
                Viewshed.compute(
                    elevations: $0, width: w, height: h, cellSizeXM: geo.pixelWidth, cellSizeYM: geo.pixelHeight,
                    observerCol: oc, observerRow: orow, observerHeightM: s.txAbsM - cellGround, targetHeightM: rxHeightM,
                    maxDistanceM: s.radiusM)
            }
            for r in 0..<h {
                let dy = geo.originY - (Double(s.rowMin + r) + 0.5) * geo.pixelHeight - s.y
                for c in 0..<w where visible[r * w + c] == 1 {
                    let dx = geo.originX + (Double(s.colMin + c) + 0.5) * geo.pixelWidth - s.x
                    let gridM = gridDistanceM(dx: dx, dy: dy)
                    if gridM > s.radiusM { continue }
                    loss[r * w + c] = Float(FreeSpace.lossDB(distanceKm: max(gridM, 1) / 1000, frequencyMHz: s.frequencyMHz))
                }
            }
            return loss
        }
    }
}

// `--model los`: line of sight. For each transmitter, the viewshed of its antenna over the study grid's ground
// heights (bilinear from the DEM at cell centres), computed by `Viewshed` (GDAL's edge method, agreeing with
// gdal_viewshed on ≥ 99.999 % of cells of a real DEM; curvature coefficient 0.85714 = 4/3-Earth refraction);
// visible cells receive EIRP + antenna gain − free-space loss, hidden cells nothing.
import Foundation
import Propagation
import Radio

extension CoverageEngine {
    static func runLineOfSight(spec: GridSpec, sectors: [SectorSetup], ground: [Float], rxHeightM: Double, floorDBm: Float,
                               receiverLossDB rxLoss: [Float],
                               best: UnsafeMutableBufferPointer<Float>, server: UnsafeMutableBufferPointer<Int32>,
                               count: UnsafeMutableBufferPointer<UInt16>, service: UnsafeMutableBufferPointer<Float>,
                               progress: ProgressHandler?) {
        let geo = spec.geoTransform, width = spec.width, n = spec.cellCount
        for (si, s) in sectors.enumerated() where s.rowMax >= s.rowMin && s.colMax >= s.colMin {
            let w = s.colMax - s.colMin + 1, h = s.rowMax - s.rowMin + 1
            let txPx = geo.pixel(x: s.x, y: s.y)
            let oc = Int(txPx.col.rounded(.down)) - s.colMin, orow = Int(txPx.row.rounded(.down)) - s.rowMin
            guard oc >= 0, oc < w, orow >= 0, orow < h else { continue }
            var window = [Float](repeating: .nan, count: w * h)
            for r in 0..<h { for c in 0..<w { window[r * w + c] = ground[(s.rowMin + r) * width + s.colMin + c] } }
            // The observer stands on the ground under the antenna (the window's cell may differ from the site's own
            // elevation by the slope within a cell): its height above that cell is set so the antenna sits at its
            // true height above sea level.
            let cellGround = Double(window[orow * w + oc])
            guard !cellGround.isNaN else { continue }
            let observerHeight = s.txAbsM - cellGround
            let visible = window.withUnsafeBufferPointer {
                Viewshed.compute(elevations: $0, width: w, height: h, cellSizeXM: geo.pixelWidth, cellSizeYM: geo.pixelHeight,
                                 observerCol: oc, observerRow: orow, observerHeightM: observerHeight, targetHeightM: rxHeightM,
                                 maxDistanceM: s.radiusM)
            }
            for r in 0..<h {
                let row = s.rowMin + r
                let y = geo.originY - (Double(row) + 0.5) * geo.pixelHeight, dy = y - s.y
                for c in 0..<w where visible[r * w + c] == 1 {
                    let col = s.colMin + c
                    let x = geo.originX + (Double(col) + 0.5) * geo.pixelWidth, dx = x - s.x
                    let gridM = sqrt(dx * dx + dy * dy)
                    if gridM > s.radiusM { continue }
                    let idx = row * width + col
                    let loss = Float(FreeSpace.lossDB(distanceKm: max(gridM, 1) / 1000, frequencyMHz: s.frequencyMHz))
                    let g = ground[idx]
                    let gain = antennaGainDB(s, dx: dx, dy: dy, gridM: gridM, rxAbsM: rxHeightM + (g.isNaN ? 0 : Double(g)))
                    deposit(s.eirp + gain - loss - s.clutterLossDB(gridM) - (rxLoss.isEmpty ? 0 : rxLoss[idx]), sector: s, index: si,
                            cell: idx, cells: n, floor: floorDBm,
                            best: best, server: server, count: count, service: service)
                }
            }
            progress?(Double(si + 1) / Double(sectors.count))
        }
    }
}

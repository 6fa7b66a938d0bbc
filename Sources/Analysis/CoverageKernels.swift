// Two loss fields that measure each cell on its own: the Hata kernel (vectorised over the distances of a row)
// and exact profiles (a fresh terrain profile to each cell centre, equal to `tanso pathloss` link mode).
//
// Both measure a cell by its planar UTM distance from the site, rounded to Float km and at least 1 m (the
// kernel's input), and leave cells beyond the radius empty.
import Dispatch
import Foundation
import Geo
import Propagation
import Terrain

extension CoverageEngine {
    /// Planar distance of a cell as the Hata kernel takes it: Float km, at least 1 m.
    @inline(__always) static func kernelDistanceKm(dx: Double, dy: Double) -> Float {
        Float(max(sqrt(dx * dx + dy * dy), 1) / 1000)
    }

    /// The Hata family over distance (Okumura-Hata ≤ 1500 MHz, COST-231 above; `Hata.loss` rule below 1 km),
    /// with each sector's `Hata.Setup` built once per study.
    struct HataKernelField: LossField {
        let spec: GridSpec
        var sharedBySiteSectors: Bool { true }

        func gridDistanceM(dx: Double, dy: Double) -> Double { Double(kernelDistanceKm(dx: dx, dy: dy)) * 1000 }

        func lossWindow(for s: SectorSetup, members: Int, key: Int, diagnostics: DiagnosticsBox) throws -> [Float] {
            loss(for: s, shape: WindowShape(s))
        }

        /// Each row on its own (a distance and Hata per cell): a band sweep computes only its rows.
        func lossRows(for s: SectorSetup, rows: ClosedRange<Int>) -> [Float]? { loss(for: s, shape: WindowShape(s, rows: rows)) }

        private func loss(for s: SectorSetup, shape: WindowShape) -> [Float] {
            let geo = spec.geoTransform, cols = shape.cols
            guard let hata = s.hata else { preconditionFailure("Hata kernel without a Hata set-up") }
            var window = [Float](repeating: .infinity, count: shape.count)
            window.withUnsafeMutableBufferPointer { w in
                let out = UnsafeSendable(w)
                Parallel.perform(iterations: shape.bands) { band in
                    var dist = [Float](repeating: 0, count: cols)
                    for row in shape.rows(ofBand: band) {
                        let y = geo.originY - (Double(row) + 0.5) * geo.pixelHeight, dy = y - s.y
                        for k in 0..<cols {
                            let x = geo.originX + (Double(shape.colMin + k) + 0.5) * geo.pixelWidth
                            dist[k] = kernelDistanceKm(dx: x - s.x, dy: dy)
                        }
                        let start = shape.index(row: row, col: shape.colMin)
                        let rowLoss = UnsafeMutableBufferPointer(rebasing: out.value[start..<(start + cols)])
                        dist.withUnsafeBufferPointer { Hata.lossDB(distancesKm: $0, setup: hata, into: rowLoss) }
                        for k in 0..<cols where Double(dist[k]) * 1000 > s.radiusM { rowLoss[k] = .infinity }
                    }
                }
            }
            return window
        }
    }

    /// A model of `tanso pathloss` on a fresh profile to each cell centre: n = max(4, ceil(d / spacing)) steps
    /// along the straight line from the site to the cell centre in DEM pixel space, bilinear heights, over the
    /// geodesic length (flat at 0 m without a DEM).
    struct ExactProfileField: LossField {
        let spec: GridSpec
        let model: ProfileModel
        let sampler: DEMSampler?
        let cells: CellGeometry
        let spacingM: Double
        let maxPoints: Int?
        let rxHeightM: Double
        var sharedBySiteSectors: Bool { false } // profilesComputed counts one evaluation per transmitter and cell

        func gridDistanceM(dx: Double, dy: Double) -> Double { Double(kernelDistanceKm(dx: dx, dy: dy)) * 1000 }

        func lossWindow(for s: SectorSetup, members: Int, key: Int, diagnostics: DiagnosticsBox) throws -> [Float] {
            let shape = WindowShape(s), geo = spec.geoTransform
            var window = [Float](repeating: .infinity, count: shape.count)
            window.withUnsafeMutableBufferPointer { w in
                let out = UnsafeSendable(w)
                Parallel.perform(iterations: shape.bands) { band in
                    var worker = Worker(field: self, s: s)
                    for row in shape.rows(ofBand: band) {
                        let y = geo.originY - (Double(row) + 0.5) * geo.pixelHeight
                        for col in shape.colMin...shape.colMax {
                            let x = geo.originX + (Double(col) + 0.5) * geo.pixelWidth
                            let gridM = gridDistanceM(dx: x - s.x, dy: y - s.y)
                            if gridM > s.radiusM { continue }
                            if let loss = worker.lossDB(idx: row * spec.width + col, x: x, gridM: gridM) {
                                out.value[shape.index(row: row, col: col)] = loss
                            }
                        }
                    }
                    diagnostics.add(worker.diagnostics, band: key * 1_000_000 + band)
                }
            }
            return window
        }

        /// One thread's profile buffer, model scratch and counts.
        struct Worker {
            let field: ExactProfileField
            let s: SectorSetup
            var profile = TerrainProfile(elevationsM: [], spacingM: 1)
            var scratch = ProfileModel.Scratch()
            var diagnostics = CoverageEngine.Diagnostics()
            init(field: ExactProfileField, s: SectorSetup) {
                self.field = field; self.s = s
                scratch.keepsWarnings = false // the window keeps losses only
            }

            /// The model's loss to cell `idx` (grid centre easting `x`), nil when terrain is missing or the model
            /// rejects the path (counted).
            mutating func lossDB(idx: Int, x: Double, gridM: Double) -> Float? {
                // Geodesic length from the grid length and the UTM scale factor along the line.
                let dM = Geodesy.UTM.geodesicM(gridM: max(gridM, 1), x0: s.x, x1: x)
                let points = profileIntervals(distanceM: dM, spacingM: field.spacingM, maxPoints: field.maxPoints)
                profile.elevationsM.removeAll(keepingCapacity: true)
                profile.spacingM = dM / Double(points)
                if let sampler = field.sampler {
                    let c1 = field.cells.demCol[idx], r1 = field.cells.demRow[idx], s = self.s
                    profile.elevationsM.append(contentsOf: repeatElement(0, count: points + 1))
                    let missing = sampler.values.withUnsafeBufferPointer { vp in
                        profile.elevationsM.withUnsafeMutableBufferPointer { e in
                            sampler.sampleLine(
                                fromCol: s.demCol, row: s.demRow, toCol: c1, row: r1, intervals: points, points: 0...points, values: vp,
                                into: e.baseAddress!)
                        }
                    }
                    if missing { diagnostics.cellsWithoutTerrain += 1; return nil }
                } else {
                    profile.elevationsM.append(contentsOf: repeatElement(0, count: points + 1))
                }
                var link = PathLink(frequencyMHz: s.frequencyMHz, txHeightM: s.antennaHeightM, rxHeightM: field.rxHeightM)
                if !field.cells.lon.isEmpty { link.coordinates = (s.lat, s.lon, field.cells.lat[idx], field.cells.lon[idx]) }
                diagnostics.profilesComputed += 1
                do {
                    return Float(try field.model.lossDB(profile: profile, link: link, scratch: &scratch).lossDB)
                } catch {
                    diagnostics.cellsRejectedByModel += 1
                    if diagnostics.firstModelError == nil { diagnostics.firstModelError = "\(error)" }
                    return nil
                }
            }
        }
    }
}

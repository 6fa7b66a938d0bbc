// Coverage engine, first path: per-sector received power on a metric grid with the Hata family and the
// parametric 3GPP sector pattern; composite best signal, best server and server count, plus the best signal per
// operator and technology.
//
// Geometry: the grid is laid out in the UTM zone of the study's centre; distances and bearings are planar in
// that projection (scale error < 0.1 % and meridian convergence < 0.5° across Đồng Nai: documented, and replaced
// by geodesic profiles in the terrain-aware engine).
// Received power: P_rx = EIRP + G_rel(φ, θ) − L(d), with G_rel the sector pattern relative to boresight toward
// the receiver (θ from the terrain heights of both ends when a DEM is given), L from the Hata family
// (Okumura-Hata ≤ 1500 MHz, COST-231 above; `Hata.loss` rule below 1 km).
// Parallel by bands of rows (`concurrentPerform`); each band loops over the sectors in a fixed order and writes
// only its own rows, so results are identical whatever the number of threads.
import Dispatch
import Foundation
import Geo
import Propagation
import Radio
import Records
import Terrain

/// A metric grid definition in a projected CRS.
public struct GridSpec: Sendable, Equatable {
    public let crs: String
    public let geoTransform: GeoTransform
    public let width: Int
    public let height: Int

    /// A north-up grid in the UTM zone of the area's centre, covering the WGS84 box at `resolutionM`.
    public static func utm(west: Double, south: Double, east: Double, north: Double, resolutionM: Double) throws -> GridSpec {
        guard west < east, south < north, (-180...180).contains(west), (-180...180).contains(east),
              (-90...90).contains(south), (-90...90).contains(north) else {
            throw StudyError("area \(west),\(south),\(east),\(north) is not a valid WGS84 box (west,south,east,north)")
        }
        guard resolutionM >= 1, resolutionM <= 10_000 else {
            throw StudyError("resolution \(resolutionM) m is outside [1, 10000] m")
        }
        let crs = CoordinateTransform.utmCRS(longitude: (west + east) / 2, latitude: (south + north) / 2)
        let t = try CoordinateTransform(from: "EPSG:4326", to: crs)
        var xs: [Double] = [], ys: [Double] = []
        for i in 0...10 {
            let f = Double(i) / 10
            for (lon, lat) in [(west + f * (east - west), south), (west + f * (east - west), north),
                               (west, south + f * (north - south)), (east, south + f * (north - south))] {
                xs.append(lon); ys.append(lat)
            }
        }
        t.transform(xs: &xs, ys: &ys)
        let minX = floor(xs.min()! / resolutionM) * resolutionM, maxX = ceil(xs.max()! / resolutionM) * resolutionM
        let minY = floor(ys.min()! / resolutionM) * resolutionM, maxY = ceil(ys.max()! / resolutionM) * resolutionM
        let w = Int(((maxX - minX) / resolutionM).rounded()), h = Int(((maxY - minY) / resolutionM).rounded())
        guard w * h <= 200_000_000 else { throw StudyError("grid of \(w)×\(h) cells is too large; use a coarser resolution") }
        return GridSpec(crs: crs, geoTransform: GeoTransform(originX: minX, originY: maxY, pixelWidth: resolutionM, pixelHeight: resolutionM),
                        width: w, height: h)
    }

    public var cellCount: Int { width * height }
    public var resolutionM: Double { geoTransform.pixelWidth }
    public func cellCentre(col: Int, row: Int) -> (x: Double, y: Double) {
        geoTransform.map(col: Double(col) + 0.5, row: Double(row) + 0.5)
    }

    public func grid(values: [Float], nodata: Float?) -> RasterGrid {
        RasterGrid(width: width, height: height, geoTransform: geoTransform, crs: crs, nodata: nodata, values: values)
    }
}

/// Key of a per-operator, per-technology layer.
public struct ServiceKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let operatorName: String
    public let technology: Technology
    public init(_ operatorName: String, _ technology: Technology) {
        self.operatorName = operatorName
        self.technology = technology
    }
    public static func < (a: ServiceKey, b: ServiceKey) -> Bool {
        (a.operatorName, a.technology.rawValue) < (b.operatorName, b.technology.rawValue)
    }
    public var description: String { "\(operatorName) \(technology.rawValue)" }
}

public struct CoverageResult: Sendable {
    public static let nodata: Float = -9999
    public let spec: GridSpec
    public let transmitters: [Transmitter]
    /// Best received power over all transmitters, dBm (nodata where none reaches the floor).
    public let bestSignalDBm: [Float]
    /// Index into `transmitters` of the best server (−1 where none).
    public let bestServer: [Int32]
    /// Number of transmitters at or above their technology's threshold.
    public let serverCount: [UInt16]
    /// Best received power per operator and technology, dBm (nodata where none).
    public let serviceDBm: [ServiceKey: [Float]]
    /// Ground elevation at cell centres (m), when a DEM was given.
    public let groundM: [Float]?
    public let study: CoverageStudy
    public let seconds: Double
    /// Cells skipped for missing terrain or rejected by the model (summed over transmitters).
    public var diagnostics = CoverageEngine.Diagnostics()

    public init(spec: GridSpec, transmitters: [Transmitter], bestSignalDBm: [Float], bestServer: [Int32], serverCount: [UInt16],
                serviceDBm: [ServiceKey: [Float]], groundM: [Float]?, study: CoverageStudy, seconds: Double,
                diagnostics: CoverageEngine.Diagnostics = CoverageEngine.Diagnostics()) {
        self.spec = spec; self.transmitters = transmitters; self.bestSignalDBm = bestSignalDBm; self.bestServer = bestServer
        self.serverCount = serverCount; self.serviceDBm = serviceDBm; self.groundM = groundM; self.study = study
        self.seconds = seconds; self.diagnostics = diagnostics
    }

    /// Best signal value at a WGS84 point for a service, nil when outside the grid or nodata.
    public func value(_ layer: [Float], longitude: Double, latitude: Double, transform: CoordinateTransform) -> Float? {
        guard let p = try? transform.transform(x: longitude, y: latitude) else { return nil }
        let px = spec.geoTransform.pixel(x: p.x, y: p.y)
        let c = Int(floor(px.col)), r = Int(floor(px.row))
        guard c >= 0, r >= 0, c < spec.width, r < spec.height else { return nil }
        let v = layer[r * spec.width + c]
        return v == CoverageResult.nodata ? nil : v
    }
}

/// Progress callback: fraction done in [0, 1].
public typealias ProgressHandler = @Sendable (Double) -> Void

public enum CoverageEngine {
    /// Per-transmitter set-up that does not depend on the receiver.
    struct SectorSetup: Sendable {
        let x: Double, y: Double            // UTM position, m
        let lon: Double, lat: Double        // WGS 84, degrees
        let demCol: Double, demRow: Double  // fractional DEM pixel position (terrain models)
        let groundM: Double                 // ground elevation at the site, m
        let antennaHeightM: Double
        let frequencyMHz: Double
        let hata: Hata.Setup?
        let eirp: Float
        let azimuth: Double?
        let gridConvergenceDeg: Double      // true bearing = grid bearing + convergence
        let mechTilt: Double, elecTilt: Double
        let radiusM: Double
        let serviceIndex: Int
        let threshold: Float
        let colMin: Int, colMax: Int, rowMin: Int, rowMax: Int
        /// Sector antennas: the parametric 3GPP pattern (closed form) or a pattern file's gain table.
        let sectorAntenna: SectorAntenna?
        let gainTable: AntennaGainTable?
        /// P.2108 clutter loss at the receiver every 10 m from 0 to 2 km (constant beyond: Eq. 6), dB; nil: none.
        let clutterDB: [Float]?

        /// Clutter loss toward a cell `gridM` away, dB (linear between the 10 m steps).
        @inline(__always) func clutterLossDB(_ gridM: Double) -> Float {
            guard let t = clutterDB else { return 0 }
            let x = min(gridM / 10, Double(t.count - 1))
            let i = min(Int(x), t.count - 2)
            let f = Float(x - Double(i))
            return t[i] + (t[i + 1] - t[i]) * f
        }
        var txAbsM: Double { groundM + antennaHeightM }
    }

    /// Cells left empty for a transmitter because the terrain or the model could not give a value.
    public struct Diagnostics: Sendable, Codable, Equatable {
        public init() {}
        public var cellsWithoutTerrain = 0
        public var cellsRejectedByModel = 0
        /// Path-loss evaluations on terrain profiles (radial method: once per loss field shared by a site's
        /// sectors; the rest of the cells were interpolated).
        public var profilesComputed = 0
        public var firstModelError: String?
    }

    /// Effective Earth radius (4/3 of 6371 km) for the antenna elevation angle, m.
    static let effectiveEarthRadiusM = 6_371_000.0 * 4 / 3

    public static func run(study: CoverageStudy, transmitters: [Transmitter], dem: ElevationModel?,
                           antennas: AntennaLibrary? = nil, sectorAntenna: SectorAntenna = SectorAntenna(),
                           receiverLossDB: [Float]? = nil,
                           progress: ProgressHandler? = nil) throws -> CoverageResult {
        let start = Date()
        guard !transmitters.isEmpty else { throw StudyError("no transmitters to compute") }
        let plan = try study.validated()
        let fast = plan.model == .hataKernel
        let lineOfSight = plan.model == .lineOfSight
        if plan.model.needsTerrain && dem == nil {
            throw StudyError(lineOfSight ? "model 'los' (line of sight) needs terrain: give a DEM (--dem)"
                                         : "model '\(plan.model)' needs terrain: give a DEM (--dem)")
        }
        let profileModel = plan.profileModel
        let env = plan.environment
        let spec = try GridSpec.utm(west: study.west, south: study.south, east: study.east, north: study.north,
                                    resolutionM: study.resolutionM)
        // Extra receiver-end loss per cell (a land-cover clutter map, `ClutterMap.lossPerCell`), the same for every
        // transmitter at that cell.
        if let r = receiverLossDB, r.count != spec.cellCount {
            throw StudyError("receiver loss per cell: \(r.count) values for a grid of \(spec.cellCount) cells")
        }
        let rxLoss = receiverLossDB ?? []
        let toGrid = try CoordinateTransform(from: "EPSG:4326", to: spec.crs)
        let thresholds = plan.thresholds
        let n = spec.cellCount, width = spec.width

        // Cell centres: WGS 84 (for P.1812/P.452 and the DEM), DEM pixel positions, ground elevation.
        let needsLonLat = dem != nil || profileModel?.id == .p1812 || profileModel?.id == .p452
        var cellLon: [Double] = [], cellLat: [Double] = []
        if needsLonLat {
            cellLon.reserveCapacity(n); cellLat.reserveCapacity(n)
            for r in 0..<spec.height { for c in 0..<width { let p = spec.cellCentre(col: c, row: r); cellLon.append(p.x); cellLat.append(p.y) } }
            try CoordinateTransform.transformConcurrently(from: spec.crs, to: "EPSG:4326", xs: &cellLon, ys: &cellLat)
        }
        var cellDemCol: [Double] = [], cellDemRow: [Double] = []
        var ground: [Float]? = nil
        if let dem {
            cellDemCol = cellLon; cellDemRow = cellLat
            if !dem.isGeographic {
                try CoordinateTransform.transformConcurrently(from: "EPSG:4326", to: dem.grid.crs, xs: &cellDemCol, ys: &cellDemRow)
            }
            let gt = dem.grid.geoTransform, sampler = dem.sampler
            var g = [Float](repeating: .nan, count: n)
            cellDemCol.withUnsafeMutableBufferPointer { cp in
            cellDemRow.withUnsafeMutableBufferPointer { rp in
            g.withUnsafeMutableBufferPointer { gp in
                let o = UnsafeSendable((cp, rp, gp))
                let parts = 64
                DispatchQueue.concurrentPerform(iterations: parts) { k in
                    let (cp, rp, gp) = o.value
                    sampler.values.withUnsafeBufferPointer { vp in
                        for i in (n * k / parts)..<(n * (k + 1) / parts) {
                            let px = gt.pixel(x: cp[i], y: rp[i])
                            cp[i] = px.col; rp[i] = px.row
                            gp[i] = Float(sampler.sample(col: px.col, row: px.row, values: vp))
                        }
                    }
                }
            }}}
            ground = g
        }

        // Services (operator × technology) in a fixed, sorted order.
        let keys = Array(Set(transmitters.map { ServiceKey($0.operatorName, $0.technology) })).sorted()
        let keyIndex = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        let utmZoneCM = Double((Int(floor(((study.west + study.east) / 2 + 180) / 6)) + 1) * 6 - 183)

        // Antennas: omnidirectional without azimuth; with azimuth, the record's pattern file (through the library)
        // or else the parametric sector. Each is tabulated every 0.5° (bilinear lookup, no trigonometry per cell),
        // once per pattern and tilt: for the parametric sector the table is within 0.01 dB of the formula.
        var tables: [String: AntennaGainTable] = [:]
        func antennaFor(_ tx: Transmitter) throws -> (SectorAntenna?, AntennaGainTable?) {
            guard tx.azimuthDeg != nil else { return (nil, nil) }
            guard let name = tx.antennaPattern, !name.isEmpty else {
                let key = "sector|\(tx.mechanicalTiltDeg)|\(tx.electricalTiltDeg)"
                if let t = tables[key] { return (nil, t) }
                let t = AntennaModel.sector(sectorAntenna).gainTable(mechanicalTiltDeg: tx.mechanicalTiltDeg,
                                                                     electricalTiltDeg: tx.electricalTiltDeg, stepDeg: 0.5)
                tables[key] = t
                return (nil, t)
            }
            guard let antennas else {
                throw StudyError("transmitter \(tx.id) names antenna pattern '\(name)': give the folder of pattern files (--antenna-dir)")
            }
            let key = "\(name)|\(tx.mechanicalTiltDeg)"
            if let t = tables[key] { return (nil, t) }
            let pattern: AntennaPattern
            do { pattern = try antennas.pattern(named: name) } catch {
                throw StudyError("transmitter \(tx.id): antenna pattern '\(name)': \(error)")
            }
            let t = AntennaModel.pattern(pattern).gainTable(mechanicalTiltDeg: tx.mechanicalTiltDeg, stepDeg: 0.5)
            tables[key] = t
            return (nil, t)
        }

        // P.2108 terrestrial clutter loss at the receiver: per frequency, a table over 0–2 km (d < 0.25 km takes
        // the 0.25 km value, the model's lower bound; beyond 2 km the loss is constant, Eq. 6).
        var clutterTables: [Double: [Float]] = [:]
        func clutterFor(_ tx: Transmitter) throws -> [Float]? {
            guard let pct = study.clutterLocationPct else { return nil }
            if let t = clutterTables[tx.frequencyMHz] { return t }
            var t: [Float] = []
            do {
                for i in 0...200 {
                    t.append(Float(try P2108.terrestrialClutterLoss(frequencyGHz: tx.frequencyMHz / 1000,
                                                                     distanceKm: max(0.25, Double(i) * 0.01),
                                                                     locationPercent: pct).lossDB))
                }
            } catch {
                throw StudyError("clutter (P.2108 §3.2) for transmitter \(tx.id) at \(tx.frequencyMHz) MHz: \(error)")
            }
            clutterTables[tx.frequencyMHz] = t
            return t
        }

        var sectors: [SectorSetup] = []
        for tx in transmitters {
            let (sectorModel, table) = try antennaFor(tx)
            let clutter = try clutterFor(tx)
            let p = try toGrid.transform(x: tx.longitude, y: tx.latitude)
            var setup: Hata.Setup? = nil
            if fast {
                setup = try Hata.Setup(variant: tx.frequencyMHz <= 1500 ? .okumuraHata : .cost231, environment: env,
                                       citySize: .smallMedium, frequencyMHz: tx.frequencyMHz,
                                       baseHeightM: tx.antennaHeightM, mobileHeightM: study.receiverHeightM)
            }
            var demCol = 0.0, demRow = 0.0, groundTx = 0.0
            if let dem {
                guard let d = dem.demCoordinates(longitude: tx.longitude, latitude: tx.latitude) else {
                    throw StudyError("transmitter \(tx.id): its position cannot be placed in the DEM's CRS")
                }
                let px = dem.grid.geoTransform.pixel(x: d.x, y: d.y)
                demCol = px.col; demRow = px.row
                let h = dem.sampler.sample(col: px.col, row: px.row)
                guard !h.isNaN else {
                    throw StudyError("transmitter \(tx.id) at (\(tx.latitude), \(tx.longitude)) has no elevation in \(dem.path) (outside the DEM or nodata)")
                }
                groundTx = h
            }
            let r = study.maxRadiusKm * 1000
            let pc = spec.geoTransform.pixel(x: p.x - r, y: p.y + r), pc2 = spec.geoTransform.pixel(x: p.x + r, y: p.y - r)
            // Meridian convergence of the UTM grid at the site: γ = atan(tan(λ − λ0) · sin φ).
            let gamma = atan(tan((tx.longitude - utmZoneCM) * .pi / 180) * sin(tx.latitude * .pi / 180)) * 180 / .pi
            sectors.append(SectorSetup(x: p.x, y: p.y, lon: tx.longitude, lat: tx.latitude, demCol: demCol, demRow: demRow,
                                       groundM: groundTx, antennaHeightM: tx.antennaHeightM, frequencyMHz: tx.frequencyMHz,
                                       hata: setup, eirp: Float(tx.eirpDBm), azimuth: tx.azimuthDeg, gridConvergenceDeg: gamma,
                                       mechTilt: tx.mechanicalTiltDeg, elecTilt: tx.electricalTiltDeg, radiusM: r,
                                       serviceIndex: keyIndex[ServiceKey(tx.operatorName, tx.technology)]!,
                                       threshold: Float(thresholds.threshold(for: tx.technology)),
                                       colMin: max(0, Int(floor(pc.col))), colMax: min(spec.width - 1, Int(floor(pc2.col))),
                                       rowMin: max(0, Int(floor(pc.row))), rowMax: min(spec.height - 1, Int(floor(pc2.row))),
                                       sectorAntenna: sectorModel, gainTable: table, clutterDB: clutter))
        }

        var best = [Float](repeating: CoverageResult.nodata, count: n)
        var server = [Int32](repeating: -1, count: n)
        var count = [UInt16](repeating: 0, count: n)
        var service = [Float](repeating: CoverageResult.nodata, count: n * keys.count)
        let floorDBm = Float(study.floorDBm)
        let rxHeight = study.receiverHeightM
        let geo = spec.geoTransform
        let bandRows = 8
        let bands = (spec.height + bandRows - 1) / bandRows
        let done = AtomicCounter()
        let sectorList = sectors, groundM = ground
        let lonLat = UnsafeSendable((cellLon, cellLat)), demPos = UnsafeSendable((cellDemCol, cellDemRow))
        let sampler = dem?.sampler
        let model = profileModel
        let spacingM = study.profileSpacingM ?? dem?.cellSizeM ?? 100
        let maxPoints = study.maxProfilePoints
        let diagnostics = DiagnosticsBox()
        // UTM point scale factor k(E) = k0 (1 + x²/(2R²)), x = (E − 500 km)/k0: the geodesic length of a short line
        // is its grid length over the mean of k along it (Simpson's rule), accurate to ~1e-6.
        let k0 = 0.9996, r2 = 2 * 6_371_000.0 * 6_371_000.0
        @Sendable @inline(__always) func scale(_ e: Double) -> Double { let x = (e - 500_000) / k0; return k0 * (1 + x * x / r2) }

        var radialContext: RadialContext? = nil
        var radialError: Error? = nil
        if let dem, let model = profileModel, plan.profileMethod == .radial {
            radialContext = RadialContext(spec: spec, dem: dem, model: model, spacingM: spacingM, maxPoints: maxPoints,
                                          rxHeightM: rxHeight, floorDBm: floorDBm,
                                          cellLon: cellLon, cellLat: cellLat, cellDemCol: cellDemCol, cellDemRow: cellDemRow,
                                          groundM: ground ?? [], gridToDEM: try CoordinateTransform(from: spec.crs, to: dem.grid.crs),
                                          interpolateWithinDB: study.interpolateWithinDB,
                                          anchorSpacing: study.anchorSpacingCells,
                                          interpolateGroundWithinM: study.interpolateGroundWithinM, receiverLossDB: rxLoss)
        }
        best.withUnsafeMutableBufferPointer { bestP in
        server.withUnsafeMutableBufferPointer { serverP in
        count.withUnsafeMutableBufferPointer { countP in
        service.withUnsafeMutableBufferPointer { serviceP in
            if lineOfSight, let ground {
                runLineOfSight(spec: spec, sectors: sectorList, ground: ground, rxHeightM: rxHeight, floorDBm: floorDBm, receiverLossDB: rxLoss,
                               best: bestP, server: serverP, count: countP, service: serviceP, progress: progress)
                return
            }
            if let radial = radialContext {
                do {
                    try runRadial(radial, sectors: sectorList, best: bestP, server: serverP, count: countP, service: serviceP,
                                  diagnostics: diagnostics, progress: progress)
                } catch { radialError = error }
                return
            }
            let out = UnsafeSendable((bestP, serverP, countP, serviceP))
            DispatchQueue.concurrentPerform(iterations: bands) { band in
                let (bestP, serverP, countP, serviceP) = out.value
                let r0 = band * bandRows, r1 = min(spec.height, r0 + bandRows) - 1
                var dist = [Float](repeating: 0, count: width)
                var loss = [Float](repeating: 0, count: width)
                var profile = TerrainProfile(elevationsM: [], spacingM: 1)
                var local = CoverageEngine.Diagnostics()
                for (si, s) in sectorList.enumerated() where s.rowMax >= r0 && s.rowMin <= r1 {
                    let cols = s.colMax - s.colMin + 1
                    guard cols > 0 else { continue }
                    for row in max(r0, s.rowMin)...min(r1, s.rowMax) {
                        let y = geo.originY - (Double(row) + 0.5) * geo.pixelHeight
                        let dy = y - s.y
                        for k in 0..<cols {
                            let x = geo.originX + (Double(s.colMin + k) + 0.5) * geo.pixelWidth
                            let dx = x - s.x
                            dist[k] = Float(max(sqrt(dx * dx + dy * dy), 1) / 1000)
                        }
                        if let hata = s.hata {
                            dist.withUnsafeBufferPointer { dp in
                                loss.withUnsafeMutableBufferPointer { lp in
                                    Hata.lossDB(distancesKm: UnsafeBufferPointer(rebasing: dp[0..<cols]), setup: hata,
                                                into: UnsafeMutableBufferPointer(rebasing: lp[0..<cols]))
                                }
                            }
                        }
                        for k in 0..<cols {
                            let gridM = Double(dist[k]) * 1000
                            if gridM > s.radiusM { continue }
                            let col = s.colMin + k
                            let idx = row * width + col
                            let x = geo.originX + (Double(col) + 0.5) * geo.pixelWidth
                            let cellLoss: Float
                            if s.hata != nil {
                                cellLoss = loss[k]
                            } else {
                                // Geodesic length from the grid length and the UTM scale factor along the line.
                                let dM = max(gridM, 1) / ((scale(s.x) + 4 * scale((s.x + x) / 2) + scale(x)) / 6)
                                var points = ProfileSampling.intervals(distanceM: dM, spacingM: spacingM)
                                if let cap = maxPoints { points = min(points, max(cap - 1, ProfileSampling.minimumIntervals)) }
                                profile.elevationsM.removeAll(keepingCapacity: true)
                                profile.spacingM = dM / Double(points)
                                var missing = false
                                if let sampler {
                                    let (cc, rr) = demPos.value
                                    let c1 = cc[idx], rw1 = rr[idx]
                                    sampler.values.withUnsafeBufferPointer { vp in
                                        for i in 0...points {
                                            let f = Double(i) / Double(points)
                                            let h = sampler.sample(col: s.demCol + f * (c1 - s.demCol), row: s.demRow + f * (rw1 - s.demRow), values: vp)
                                            if h.isNaN { missing = true; break }
                                            profile.elevationsM.append(h)
                                        }
                                    }
                                } else {
                                    profile.elevationsM.append(contentsOf: repeatElement(0, count: points + 1))
                                }
                                if missing { local.cellsWithoutTerrain += 1; continue }
                                var link = PathLink(frequencyMHz: s.frequencyMHz, txHeightM: s.antennaHeightM, rxHeightM: rxHeight)
                                if !lonLat.value.0.isEmpty { link.coordinates = (s.lat, s.lon, lonLat.value.1[idx], lonLat.value.0[idx]) }
                                local.profilesComputed += 1
                                do {
                                    cellLoss = Float(try model!.lossDB(profile: profile, link: link).lossDB)
                                } catch {
                                    local.cellsRejectedByModel += 1
                                    if local.firstModelError == nil { local.firstModelError = "\(error)" }
                                    continue
                                }
                            }
                            let gain = antennaGainDB(s, dx: x - s.x, dy: dy, gridM: gridM,
                                                     rxAbsM: rxHeight + (groundM.map { $0[idx].isNaN ? 0 : Double($0[idx]) } ?? 0))
                            deposit(s.eirp + gain - cellLoss - s.clutterLossDB(gridM) - (rxLoss.isEmpty ? 0 : rxLoss[idx]), sector: s, index: si,
                                    cell: idx, cells: n, floor: floorDBm, best: bestP, server: serverP, count: countP, service: serviceP)
                        }
                    }
                }
                diagnostics.add(local, band: band)
                let d = done.increment()
                if let progress, d % max(1, bands / 100) == 0 || d == bands { progress(Double(d) / Double(bands)) }
            }
        }}}}

        if let radialError { throw radialError }
        var perService: [ServiceKey: [Float]] = [:]
        for (i, k) in keys.enumerated() { perService[k] = Array(service[(i * n)..<((i + 1) * n)]) }
        return CoverageResult(spec: spec, transmitters: transmitters, bestSignalDBm: best, bestServer: server,
                              serverCount: count, serviceDBm: perService, groundM: ground, study: study,
                              seconds: Date().timeIntervalSince(start), diagnostics: diagnostics.total)
    }
}

extension CoverageEngine {
    /// Antenna gain relative to boresight toward a cell (0 for omnidirectional transmitters; a pattern file's
    /// table, tilted mechanically when built; or the parametric sector with both tilts): the grid bearing
    /// plus the meridian convergence gives the true bearing; the depression angle includes the Earth's curvature
    /// (4/3 effective radius), positive downward.
    @inline(__always)
    static func antennaGainDB(_ s: SectorSetup, dx: Double, dy: Double, gridM: Double, rxAbsM: Double) -> Float {
        guard let az = s.azimuth else { return 0 }
        let bearing = FastAngle.atan2(dx, dy) * (180 / .pi) + s.gridConvergenceDeg
        let dM = max(gridM, 1)
        let depression = FastAngle.atan2(s.txAbsM - rxAbsM, dM) * (180 / .pi) + dM / (2 * effectiveEarthRadiusM) * (180 / .pi)
        if let table = s.gainTable { return table.relativeGainDB(azimuthOffDeg: bearing - az, depressionDeg: depression) }
        guard let sector = s.sectorAntenna else { return 0 }
        return Float(sector.relativeGainDB(offAzimuthDeg: bearing - az, depressionDeg: depression,
                                           mechanicalTiltDeg: s.mechTilt, electricalTiltDeg: s.elecTilt))
    }

    /// Adds one transmitter's received power at a cell to the composites (best signal and server, server count,
    /// best per service). Each cell is touched by one thread at a time, and every update is order-free (maximum
    /// with ties to the lower index, count), so the result depends neither on the thread count nor on the order
    /// in which sectors are deposited.
    @inline(__always)
    static func deposit(_ p: Float, sector s: SectorSetup, index si: Int, cell idx: Int, cells n: Int, floor: Float,
                        best: UnsafeMutableBufferPointer<Float>, server: UnsafeMutableBufferPointer<Int32>,
                        count: UnsafeMutableBufferPointer<UInt16>, service: UnsafeMutableBufferPointer<Float>) {
        if p < floor { return }
        // Ties go to the lower transmitter index (as `tanso merge` does), so the order of deposits does not matter.
        if p > best[idx] || (p == best[idx] && Int32(si) < server[idx]) { best[idx] = p; server[idx] = Int32(si) }
        if p >= s.threshold { count[idx] &+= 1 }
        let sIdx = s.serviceIndex * n + idx
        if p > service[sIdx] { service[sIdx] = p }
    }
}

/// atan2 to 1.2e-5 rad (7e-4°) without libm: range reduction to [0, 1] and the polynomial of Abramowitz & Stegun
/// 4.4.49 for atan there (checked against Foundation's atan2 in CoverageEngineTests). Antenna angles need far less.
enum FastAngle {
    @inline(__always)
    static func atan2(_ y: Double, _ x: Double) -> Double {
        let ax = abs(x), ay = abs(y)
        let hi = max(ax, ay), lo = min(ax, ay)
        if hi == 0 { return 0 }
        let a = lo / hi, s = a * a
        // Abramowitz & Stegun 4.4.49: |ε| ≤ 1e-5 on [0, 1].
        var r = a * (0.9998660 + s * (-0.3302995 + s * (0.1801410 + s * (-0.0851330 + s * 0.0208351))))
        if ay > ax { r = .pi / 2 - r }
        if x < 0 { r = .pi - r }
        return y < 0 ? -r : r
    }
}

/// Collects per-band diagnostics; the first model error reported is the one of the lowest band, so the
/// message does not depend on thread timing.
final class DiagnosticsBox: @unchecked Sendable {
    private var parts: [Int: CoverageEngine.Diagnostics] = [:]
    private let lock = NSLock()
    func add(_ d: CoverageEngine.Diagnostics, band: Int) { lock.lock(); parts[band] = d; lock.unlock() }
    var total: CoverageEngine.Diagnostics {
        lock.lock(); defer { lock.unlock() }
        var t = CoverageEngine.Diagnostics()
        for band in parts.keys.sorted() {
            let d = parts[band]!
            t.cellsWithoutTerrain += d.cellsWithoutTerrain
            t.cellsRejectedByModel += d.cellsRejectedByModel
            t.profilesComputed += d.profilesComputed
            if t.firstModelError == nil { t.firstModelError = d.firstModelError }
        }
        return t
    }
}

/// Carries non-Sendable buffers into `concurrentPerform`, whose iterations write disjoint ranges.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

final class AtomicCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}

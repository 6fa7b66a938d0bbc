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
    struct SectorSetup {
        let x: Double, y: Double            // UTM position, m
        let txAbsM: Double                  // antenna height above sea level, m (ground + mast)
        let hata: Hata.Setup
        let eirp: Float
        let azimuth: Double?
        let mechTilt: Double, elecTilt: Double
        let radiusM: Double
        let serviceIndex: Int
        let threshold: Float
        let colMin: Int, colMax: Int, rowMin: Int, rowMax: Int
    }

    public static func run(study: CoverageStudy, transmitters: [Transmitter], dem: ElevationModel?,
                           antenna: SectorAntenna = SectorAntenna(), progress: ProgressHandler? = nil) throws -> CoverageResult {
        let start = Date()
        guard !transmitters.isEmpty else { throw StudyError("no transmitters to compute") }
        guard study.model == "hata" else {
            throw StudyError("model '\(study.model)' is not available in the coverage engine yet; use hata")
        }
        guard let env = Hata.Environment(rawValue: study.environment) else {
            throw StudyError("environment '\(study.environment)' is not one of urban, suburban, open")
        }
        let spec = try GridSpec.utm(west: study.west, south: study.south, east: study.east, north: study.north,
                                    resolutionM: study.resolutionM)
        let toGrid = try CoordinateTransform(from: "EPSG:4326", to: spec.crs)
        let thresholds = study.thresholds

        // Ground elevation at cell centres, from the DEM (bilinear), for antenna elevation angles and maps.
        var ground: [Float]? = nil
        if let dem {
            var g = [Float](repeating: .nan, count: spec.cellCount)
            var xs = [Double](), ys = [Double]()
            xs.reserveCapacity(spec.cellCount); ys.reserveCapacity(spec.cellCount)
            for r in 0..<spec.height { for c in 0..<spec.width { let p = spec.cellCentre(col: c, row: r); xs.append(p.x); ys.append(p.y) } }
            let back = try CoordinateTransform(from: spec.crs, to: "EPSG:4326")
            back.transform(xs: &xs, ys: &ys)
            for i in 0..<spec.cellCount { g[i] = dem.elevation(longitude: xs[i], latitude: ys[i]).map(Float.init) ?? .nan }
            ground = g
        }

        // Services (operator × technology) in a fixed, sorted order.
        let keys = Array(Set(transmitters.map { ServiceKey($0.operatorName, $0.technology) })).sorted()
        let keyIndex = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })

        var sectors: [SectorSetup] = []
        for tx in transmitters {
            let p = try toGrid.transform(x: tx.longitude, y: tx.latitude)
            let variant: Hata.Variant = tx.frequencyMHz <= 1500 ? .okumuraHata : .cost231
            let setup = try Hata.Setup(variant: variant, environment: env, citySize: .smallMedium,
                                       frequencyMHz: tx.frequencyMHz, baseHeightM: tx.antennaHeightM,
                                       mobileHeightM: study.receiverHeightM)
            let groundTx = dem?.elevation(longitude: tx.longitude, latitude: tx.latitude) ?? 0
            let r = study.maxRadiusKm * 1000
            let pc = spec.geoTransform.pixel(x: p.x - r, y: p.y + r), pc2 = spec.geoTransform.pixel(x: p.x + r, y: p.y - r)
            let colMin = max(0, Int(floor(pc.col))), colMax = min(spec.width - 1, Int(floor(pc2.col)))
            let rowMin = max(0, Int(floor(pc.row))), rowMax = min(spec.height - 1, Int(floor(pc2.row)))
            sectors.append(SectorSetup(x: p.x, y: p.y, txAbsM: groundTx + tx.antennaHeightM, hata: setup,
                                       eirp: Float(tx.eirpDBm), azimuth: tx.azimuthDeg,
                                       mechTilt: tx.mechanicalTiltDeg, elecTilt: tx.electricalTiltDeg, radiusM: r,
                                       serviceIndex: keyIndex[ServiceKey(tx.operatorName, tx.technology)]!,
                                       threshold: Float(thresholds.threshold(for: tx.technology)),
                                       colMin: colMin, colMax: colMax, rowMin: rowMin, rowMax: rowMax))
        }

        let n = spec.cellCount, width = spec.width
        let sectorList = sectors, groundM = ground
        var best = [Float](repeating: CoverageResult.nodata, count: n)
        var server = [Int32](repeating: -1, count: n)
        var count = [UInt16](repeating: 0, count: n)
        var service = [Float](repeating: CoverageResult.nodata, count: n * keys.count)
        let floorDBm = Float(study.floorDBm)
        let rxHeight = study.receiverHeightM
        let geo = spec.geoTransform
        let bandRows = 16
        let bands = (spec.height + bandRows - 1) / bandRows
        let done = AtomicCounter()

        best.withUnsafeMutableBufferPointer { bestP in
        server.withUnsafeMutableBufferPointer { serverP in
        count.withUnsafeMutableBufferPointer { countP in
        service.withUnsafeMutableBufferPointer { serviceP in
            let out = UnsafeSendable((bestP, serverP, countP, serviceP))
            DispatchQueue.concurrentPerform(iterations: bands) { band in
                let (bestP, serverP, countP, serviceP) = out.value
                let r0 = band * bandRows, r1 = min(spec.height, r0 + bandRows) - 1
                var dist = [Float](repeating: 0, count: width)
                var loss = [Float](repeating: 0, count: width)
                for (si, s) in sectorList.enumerated() where s.rowMax >= r0 && s.rowMin <= r1 {
                    let cols = s.colMax - s.colMin + 1
                    guard cols > 0 else { continue }
                    for row in max(r0, s.rowMin)...min(r1, s.rowMax) {
                        let y = geo.originY - (Double(row) + 0.5) * geo.pixelHeight
                        let dy = y - s.y
                        // Distances for the row span, then the vectorised Hata kernel.
                        for k in 0..<cols {
                            let x = geo.originX + (Double(s.colMin + k) + 0.5) * geo.pixelWidth
                            let dx = x - s.x
                            dist[k] = Float(max(sqrt(dx * dx + dy * dy), 1) / 1000)
                        }
                        dist.withUnsafeBufferPointer { dp in
                            loss.withUnsafeMutableBufferPointer { lp in
                                Hata.lossDB(distancesKm: UnsafeBufferPointer(rebasing: dp[0..<cols]), setup: s.hata,
                                            into: UnsafeMutableBufferPointer(rebasing: lp[0..<cols]))
                            }
                        }
                        for k in 0..<cols {
                            let dKm = Double(dist[k])
                            if dKm * 1000 > s.radiusM { continue }
                            let col = s.colMin + k
                            let idx = row * width + col
                            var gain: Float = 0
                            if let az = s.azimuth {
                                let x = geo.originX + (Double(col) + 0.5) * geo.pixelWidth
                                let bearing = atan2(x - s.x, dy) * 180 / .pi
                                var rxAbs = rxHeight
                                if let g = groundM, !g[idx].isNaN { rxAbs += Double(g[idx]) }
                                let depression = atan2(s.txAbsM - rxAbs, dKm * 1000) * 180 / .pi
                                gain = Float(antenna.relativeGainDB(offAzimuthDeg: bearing - az, depressionDeg: depression,
                                                                    mechanicalTiltDeg: s.mechTilt, electricalTiltDeg: s.elecTilt))
                            }
                            let p = s.eirp + gain - loss[k]
                            if p < floorDBm { continue }
                            if p > bestP[idx] { bestP[idx] = p; serverP[idx] = Int32(si) }
                            if p >= s.threshold { countP[idx] &+= 1 }
                            let sIdx = s.serviceIndex * n + idx
                            if p > serviceP[sIdx] { serviceP[sIdx] = p }
                        }
                    }
                }
                let d = done.increment()
                if let progress, d % max(1, bands / 50) == 0 || d == bands { progress(Double(d) / Double(bands)) }
            }
        }}}}

        var perService: [ServiceKey: [Float]] = [:]
        for (i, k) in keys.enumerated() { perService[k] = Array(service[(i * n)..<((i + 1) * n)]) }
        return CoverageResult(spec: spec, transmitters: transmitters, bestSignalDBm: best, bestServer: server,
                              serverCount: count, serviceDBm: perService, groundM: ground, study: study,
                              seconds: Date().timeIntervalSince(start))
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

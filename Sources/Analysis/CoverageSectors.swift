// The per-transmitter set-up of a coverage run: position in the grid and the DEM, its window, the antenna's gain
// table, the P.2108 clutter table and the Hata kernel's parameters, each built once per study.
import Foundation
import Geo
import Propagation
import Radio
import Records
import Terrain

extension CoverageEngine {
    /// Per-transmitter set-up that does not depend on the receiver.
    struct SectorSetup: Sendable {
        let x: Double, y: Double // UTM position, m
        let lon: Double, lat: Double // WGS 84, degrees
        let demCol: Double, demRow: Double // fractional DEM pixel position (terrain models)
        let groundM: Double // ground elevation at the site, m
        let antennaHeightM: Double
        let frequencyMHz: Double
        let hata: Hata.Setup?
        let eirp: Float
        let azimuth: Double?
        let gridConvergenceDeg: Double // true bearing = grid bearing + convergence
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

    /// Antennas: omnidirectional without azimuth; with azimuth, the record's pattern file (through the library)
    /// or else the parametric sector. Each is tabulated every 0.5° (bilinear lookup, no trigonometry per cell),
    /// once per pattern and tilt: for the parametric sector the table is within 0.01 dB of the formula.
    struct AntennaTables {
        let antennas: AntennaLibrary?
        let sectorAntenna: SectorAntenna
        private var tables: [String: AntennaGainTable] = [:]
        init(antennas: AntennaLibrary?, sectorAntenna: SectorAntenna) { self.antennas = antennas; self.sectorAntenna = sectorAntenna }

        mutating func table(for tx: Transmitter) throws -> AntennaGainTable? {
            guard tx.azimuthDeg != nil else { return nil }
            guard let name = tx.antennaPattern, !name.isEmpty else {
                let key = "sector|\(tx.mechanicalTiltDeg)|\(tx.electricalTiltDeg)"
                if let t = tables[key] { return t }
                let t = AntennaModel.sector(sectorAntenna).gainTable(
                    mechanicalTiltDeg: tx.mechanicalTiltDeg,
                    electricalTiltDeg: tx.electricalTiltDeg, stepDeg: 0.5)
                tables[key] = t
                return t
            }
            guard let antennas else {
                throw StudyError("transmitter \(tx.id) names antenna pattern '\(name)': give the folder of pattern files (--antenna-dir)")
            }
            let key = "\(name)|\(tx.mechanicalTiltDeg)"
            if let t = tables[key] { return t }
            let pattern: AntennaPattern
            do { pattern = try antennas.pattern(named: name) } catch {
                throw StudyError("transmitter \(tx.id): antenna pattern '\(name)': \(error)")
            }
            let t = AntennaModel.pattern(pattern).gainTable(mechanicalTiltDeg: tx.mechanicalTiltDeg, stepDeg: 0.5)
            tables[key] = t
            return t
        }
    }

    /// P.2108 terrestrial clutter loss at the receiver: per frequency, a table over 0–2 km (d < 0.25 km takes the
    /// 0.25 km value, the model's lower bound; beyond 2 km the loss is constant, Eq. 6).
    struct ClutterTables {
        let locationPct: Double?
        private var tables: [Double: [Float]] = [:]
        init(locationPct: Double?) { self.locationPct = locationPct }

        mutating func table(for tx: Transmitter) throws -> [Float]? {
            guard let pct = locationPct else { return nil }
            if let t = tables[tx.frequencyMHz] { return t }
            var t: [Float] = []
            do {
                for i in 0...200 {
                    t.append(
                        Float(
                            try P2108.terrestrialClutterLoss(
                                frequencyGHz: tx.frequencyMHz / 1000,
                                distanceKm: max(0.25, Double(i) * 0.01),
                                locationPercent: pct
                            ).lossDB))
                }
            } catch {
                throw StudyError("clutter (P.2108 §3.2) for transmitter \(tx.id) at \(tx.frequencyMHz) MHz: \(error)")
            }
            tables[tx.frequencyMHz] = t
            return t
        }
    }

    /// Services (operator × technology) in a fixed, sorted order.
    public static func serviceKeys(_ transmitters: [Transmitter]) -> [ServiceKey] {
        Array(Set(transmitters.map { ServiceKey($0.operatorName, $0.technology) })).sorted()
    }

    /// The set-up of every transmitter, in their order.
    static func sectorSetups(
        _ plan: ValidatedStudy, transmitters: [Transmitter], spec: GridSpec, dem: ElevationModel?,
        antennas: AntennaLibrary?, sectorAntenna: SectorAntenna, keys: [ServiceKey]
    ) throws -> [SectorSetup] {
        let study = plan.study
        let toGrid = try CoordinateTransform(from: "EPSG:4326", to: spec.crs)
        let keyIndex = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        let utmZoneCM = Geodesy.UTM.centralMeridianDeg(longitudeDeg: (study.west + study.east) / 2)
        var antennaTables = AntennaTables(antennas: antennas, sectorAntenna: sectorAntenna)
        var clutterTables = ClutterTables(locationPct: study.clutterLocationPct)
        var sectors: [SectorSetup] = []
        for tx in transmitters {
            let table = try antennaTables.table(for: tx)
            let clutter = try clutterTables.table(for: tx)
            let p = try toGrid.transform(x: tx.longitude, y: tx.latitude)
            var setup: Hata.Setup? = nil
            if plan.model == .hataKernel {
                setup = try Hata.Setup(
                    variant: tx.frequencyMHz <= 1500 ? .okumuraHata : .cost231, environment: plan.environment,
                    citySize: .smallMedium, frequencyMHz: tx.frequencyMHz,
                    baseHeightM: tx.antennaHeightM, mobileHeightM: study.receiverHeightM)
            }
            let r = study.maxRadiusKm * 1000
            let reach = Self.reach(x: p.x, y: p.y, radiusM: r, spec: spec)
            // A transmitter that reaches no cell computes nothing: its ground is not needed (and may lie outside
            // the DEM window of the study, see `terrainWindow`).
            let site = reach.isEmpty ? (col: 0, row: 0, groundM: 0) : try demPosition(tx, dem: dem)
            // Meridian convergence of the UTM grid at the site (closed form; within 5e-5° of PROJ's proj_factors, GeodesyTests).
            let gamma = Geodesy.UTM.convergenceDeg(longitudeDeg: tx.longitude, latitudeDeg: tx.latitude, centralMeridianDeg: utmZoneCM)
            sectors.append(
                SectorSetup(
                    x: p.x, y: p.y, lon: tx.longitude, lat: tx.latitude, demCol: site.col, demRow: site.row,
                    groundM: site.groundM, antennaHeightM: tx.antennaHeightM, frequencyMHz: tx.frequencyMHz,
                    hata: setup, eirp: Float(FieldStrengthCoverage.depositedEIRP(tx, study: study)), azimuth: tx.azimuthDeg, gridConvergenceDeg: gamma,
                    mechTilt: tx.mechanicalTiltDeg, elecTilt: tx.electricalTiltDeg, radiusM: r,
                    serviceIndex: keyIndex[ServiceKey(tx.operatorName, tx.technology)]!,
                    threshold: Float(plan.thresholds.threshold(for: tx.technology)),
                    colMin: reach.colMin, colMax: reach.colMax, rowMin: reach.rowMin, rowMax: reach.rowMax,
                    sectorAntenna: nil, gainTable: table, clutterDB: clutter))
        }
        return sectors
    }

    /// The grid cells (clamped to the grid) inside the square of half-side `radiusM` around the grid-CRS point
    /// (`x`, `y`); empty when the square misses the grid.
    static func reach(x: Double, y: Double, radiusM r: Double, spec: GridSpec) -> (colMin: Int, colMax: Int, rowMin: Int, rowMax: Int, isEmpty: Bool) {
        let pc = spec.geoTransform.pixel(x: x - r, y: y + r), pc2 = spec.geoTransform.pixel(x: x + r, y: y - r)
        let colMin = max(0, Int(floor(pc.col))), colMax = min(spec.width - 1, Int(floor(pc2.col)))
        let rowMin = max(0, Int(floor(pc.row))), rowMax = min(spec.height - 1, Int(floor(pc2.row)))
        return (colMin, colMax, rowMin, rowMax, colMin > colMax || rowMin > rowMax)
    }

    /// The WGS 84 box of terrain a study samples: its grid, and the sites of the transmitters that reach the grid
    /// (profiles run between the two). Open the DEM with this window (`ElevationModel(path:window:)`) and memory
    /// follows the study, not the DEM: the products are the same bit for bit.
    public static func terrainWindow(study: CoverageStudy, transmitters: [Transmitter]) throws -> GeographicBox {
        let spec = try GridSpec.utm(west: study.west, south: study.south, east: study.east, north: study.north, resolutionM: study.resolutionM)
        var box = try spec.geographicBox()
        let toGrid = try CoordinateTransform(from: "EPSG:4326", to: spec.crs)
        for tx in transmitters {
            let p = try toGrid.transform(x: tx.longitude, y: tx.latitude)
            if !reach(x: p.x, y: p.y, radiusM: study.maxRadiusKm * 1000, spec: spec).isEmpty {
                box = box.including(longitude: tx.longitude, latitude: tx.latitude)
            }
        }
        return box
    }

    /// A transmitter's fractional DEM pixel position and ground elevation (zeros without a DEM).
    static func demPosition(_ tx: Transmitter, dem: ElevationModel?) throws -> (col: Double, row: Double, groundM: Double) {
        guard let dem else { return (0, 0, 0) }
        guard let d = dem.demCoordinates(longitude: tx.longitude, latitude: tx.latitude) else {
            throw StudyError("transmitter \(tx.id): its position cannot be placed in the DEM's CRS")
        }
        let px = dem.geoTransform.pixel(x: d.x, y: d.y)
        let h = dem.sample(col: px.col, row: px.row)
        guard !h.isNaN else {
            throw StudyError("transmitter \(tx.id) at (\(tx.latitude), \(tx.longitude)) has no elevation in \(dem.path) (outside the DEM or nodata)")
        }
        return (px.col, px.row, h)
    }
}

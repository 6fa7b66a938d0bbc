// Inspection of a broadcasting plan in field strength (GE84/GE06 style), on a grid:
//
//   wanted field      E_w: each station's field at 50 % of time (P.1546 by default), 10 m above ground;
//   interfering field E_i: each station's field at 1 % of time (tropospheric interference);
//   minimum field     E_med of the victim's service and reception mode (BS.412; BT.2033), location correction
//                     included (`MinimumField.medianDBuVm`);
//   nuisance field    N_i = E_i + A_i, A_i the protection ratio (tropospheric table) at the offset of i from w;
//   usable field      E_u = power sum of E_med and the N_i (or the simplified multiplication method).
//
// Per station: the noise-limited service area (cells with E_w ≥ E_med) and the interference-limited one
// (E_w ≥ E_u), their areas and the population of the villages in them. Per interferer of a station: the cells of
// the noise-limited area that it alone takes away (E_w < power sum of E_med and N_i), their area and population,
// and its largest nuisance field there. An interferer breaks the station's protection when it alone takes more
// than `breachPct` % of the noise-limited area or population (default 1 %).
import Foundation
import Geo
import Radio
import Records

public struct BroadcastSettings: Sendable {
    public var criteria: BroadcastCriteria = .defaults
    /// Reception mode per service (broadcast_fm: stereo_rural …; broadcast_tv: fixed …).
    public var reception: [String: String] = BroadcastCriteria.defaultReception
    public var method: UsableField.Method = .powerSum
    /// Share of a station's noise-limited area or population that one interferer may take, %.
    public var breachPct: Double = 1
    public init() {}

    public func minimumField(_ service: String) -> MinimumField? { criteria.minimumField(service: service, reception: reception[service]) }
}

/// The per-station fields of a plan on one grid.
public struct BroadcastFields: Sendable {
    public let spec: GridSpec
    /// Field at 50 % of time per station, dBµV/m (`CoverageResult.nodata` where none).
    public let wanted: [[Float]]
    /// Field at 1 % of time per station, dBµV/m.
    public let interfering: [[Float]]
    public init(spec: GridSpec, wanted: [[Float]], interfering: [[Float]]) {
        self.spec = spec; self.wanted = wanted; self.interfering = interfering
    }
}

public struct InterfererImpact: Sendable, Equatable {
    public var interferer: Int
    public var offsetKHz: Double
    public var protectionRatioDB: Double
    /// Cells of the victim's noise-limited area this interferer alone takes away.
    public var cellsTaken: Int
    public var areaTakenKm2: Double
    public var populationTaken: Int
    /// Largest nuisance field E_i(1 %) + A_i in the victim's noise-limited area, dBµV/m (nil: none reaches it).
    public var maxNuisanceDBuVm: Double?
    public var breach: Bool
}

public struct StationService: Sendable {
    public var index: Int
    public var assignment: Assignment
    public var minimum: MinimumField
    public var noiseLimitedCells: Int, interferenceLimitedCells: Int
    public var noiseLimitedKm2: Double, interferenceLimitedKm2: Double
    public var noiseLimitedPopulation: Int, interferenceLimitedPopulation: Int
    /// Interferers that take something, largest area first.
    public var interferers: [InterfererImpact]
    /// Per cell: 0 not served, 1 noise-limited only (lost to interference), 2 served (interference-limited area).
    public var serviceClass: [UInt8]
    /// Per cell of the noise-limited area: the usable field strength E_u, dBµV/m (`CoverageResult.nodata` elsewhere).
    public var usableDBuVm: [Float]
}

public struct Breach: Sendable, Equatable {
    public var victim: Int, interferer: Int
    public var areaPct: Double, populationPct: Double
    public var explanation: String
}

public struct BroadcastPlanResult: Sendable {
    public var spec: GridSpec
    public var stations: [StationService]
    public var breaches: [Breach]
    public var settings: BroadcastSettings
}

public enum BroadcastPlan {
    /// Services `tanso broadcast` inspects.
    public static let services: Set<String> = ["broadcast_fm", "broadcast_tv"]

    /// The grid cell of each village (nil outside the grid).
    public static func villageCells(_ villages: [Village], spec: GridSpec) throws -> [Int?] {
        let t = try CoordinateTransform(from: "EPSG:4326", to: spec.crs)
        let gt = spec.geoTransform
        return villages.map { v in
            guard let p = try? t.transform(x: v.longitude, y: v.latitude) else { return nil }
            let c = Int(floor((p.x - gt.originX) / gt.pixelWidth)), r = Int(floor((gt.originY - p.y) / gt.pixelHeight))
            return c >= 0 && r >= 0 && c < spec.width && r < spec.height ? r * spec.width + c : nil
        }
    }

    /// Population per cell from the villages.
    public static func populationPerCell(_ villages: [Village], spec: GridSpec) throws -> [Int32] {
        var pop = [Int32](repeating: 0, count: spec.cellCount)
        for (v, c) in zip(villages, try villageCells(villages, spec: spec)) { if let c { pop[c] &+= Int32(clamping: v.population) } }
        return pop
    }

    /// The interferers that can need protection from `victim` (a table for the pair, offset within its reach).
    public static func relevantInterferers(
        of victim: Int, in assignments: [Assignment], settings: BroadcastSettings
    ) -> [(index: Int, offsetKHz: Double, ratioDB: Double)] {
        let w = assignments[victim]
        var out: [(Int, Double, Double)] = []
        for (j, a) in assignments.enumerated() where j != victim {
            guard
                let pr = settings.criteria.protectionRatioDB(
                    victim: w.service, interferer: a.service, victimMHz: w.tx.centreMHz, interfererMHz: a.tx.centreMHz)
            else { continue }
            out.append((j, (a.tx.centreMHz - w.tx.centreMHz) * 1000, pr))
        }
        return out
    }

    /// Which stations are some other station's relevant interferer (their 1 % field is needed).
    public static func interferersNeeded(_ assignments: [Assignment], settings: BroadcastSettings) -> [Bool] {
        var need = [Bool](repeating: false, count: assignments.count)
        for w in assignments.indices { for r in relevantInterferers(of: w, in: assignments, settings: settings) { need[r.index] = true } }
        return need
    }

    /// Analyses every station of `assignments` (all of one of `services`) on `fields`.
    public static func analyse(
        _ assignments: [Assignment], fields: BroadcastFields, populationPerCell pop: [Int32], settings: BroadcastSettings
    ) throws -> BroadcastPlanResult {
        let cellKm2 = fields.spec.resolutionM * fields.spec.resolutionM / 1e6
        var stations: [StationService] = []
        for (w, a) in assignments.enumerated() {
            guard let minimum = settings.minimumField(a.service) else {
                throw StudyError("no minimum field strength for service '\(a.service)' reception '\(settings.reception[a.service] ?? "-")'")
            }
            stations.append(
                station(w, assignments: assignments, fields: fields, pop: pop, minimum: minimum, settings: settings, cellKm2: cellKm2))
        }
        var breaches: [Breach] = []
        for s in stations {
            for imp in s.interferers where imp.breach {
                breaches.append(breach(victim: s, impact: imp, assignments: assignments, allowedPct: settings.breachPct))
            }
        }
        breaches.sort { max($0.areaPct, $0.populationPct) > max($1.areaPct, $1.populationPct) }
        return BroadcastPlanResult(spec: fields.spec, stations: stations, breaches: breaches, settings: settings)
    }

    static func station(
        _ w: Int, assignments: [Assignment], fields: BroadcastFields, pop: [Int32], minimum: MinimumField,
        settings: BroadcastSettings, cellKm2: Double
    ) -> StationService {
        let emed = minimum.medianDBuVm
        let nodata = CoverageResultNodata.value
        let ew = fields.wanted[w]
        let rel = relevantInterferers(of: w, in: assignments, settings: settings)
        var cls = [UInt8](repeating: 0, count: ew.count)
        var usable = [Float](repeating: nodata, count: ew.count)
        var taken = [Int](repeating: 0, count: rel.count), takenPop = [Int](repeating: 0, count: rel.count)
        var maxN = [Double?](repeating: nil, count: rel.count)
        var nCells = 0, iCells = 0, nPop = 0, iPop = 0
        var nuisance: [Double] = []
        for c in 0..<ew.count {
            let e = Double(ew[c])
            guard ew[c] != nodata, e >= emed else { continue }
            nCells += 1; nPop += Int(pop[c])
            nuisance.removeAll(keepingCapacity: true)
            for (k, r) in rel.enumerated() {
                let ei = fields.interfering[r.index][c]
                guard ei != nodata else { continue }
                let n = Double(ei) + r.ratioDB
                nuisance.append(n)
                maxN[k] = max(maxN[k] ?? -.infinity, n)
                if e < DB.powerSum([emed, n]) { taken[k] += 1; takenPop[k] += Int(pop[c]) }
            }
            let eu = nuisance.isEmpty ? emed : settings.method.usableDBuVm(minimumDBuVm: emed, nuisanceDBuVm: nuisance, sigmaDB: minimum.sigmaDB)
            usable[c] = Float(eu)
            if e >= eu {
                cls[c] = 2; iCells += 1; iPop += Int(pop[c])
            } else {
                cls[c] = 1
            }
        }
        var impacts: [InterfererImpact] = []
        for (k, r) in rel.enumerated() where taken[k] > 0 || maxN[k] != nil {
            let areaPct = nCells > 0 ? 100 * Double(taken[k]) / Double(nCells) : 0
            let popPct = nPop > 0 ? 100 * Double(takenPop[k]) / Double(nPop) : 0
            impacts.append(
                InterfererImpact(
                    interferer: r.index, offsetKHz: r.offsetKHz, protectionRatioDB: r.ratioDB, cellsTaken: taken[k],
                    areaTakenKm2: Double(taken[k]) * cellKm2, populationTaken: takenPop[k], maxNuisanceDBuVm: maxN[k],
                    breach: taken[k] > 0 && max(areaPct, popPct) > settings.breachPct))
        }
        impacts.sort { ($0.cellsTaken, $0.populationTaken, -$0.interferer) > ($1.cellsTaken, $1.populationTaken, -$1.interferer) }
        return StationService(
            index: w, assignment: assignments[w], minimum: minimum, noiseLimitedCells: nCells, interferenceLimitedCells: iCells,
            noiseLimitedKm2: Double(nCells) * cellKm2, interferenceLimitedKm2: Double(iCells) * cellKm2,
            noiseLimitedPopulation: nPop, interferenceLimitedPopulation: iPop, interferers: impacts, serviceClass: cls, usableDBuVm: usable)
    }

    static func breach(victim s: StationService, impact imp: InterfererImpact, assignments: [Assignment], allowedPct: Double) -> Breach {
        let v = s.assignment, i = assignments[imp.interferer]
        let areaPct = s.noiseLimitedCells > 0 ? 100 * Double(imp.cellsTaken) / Double(s.noiseLimitedCells) : 0
        let popPct = s.noiseLimitedPopulation > 0 ? 100 * Double(imp.populationTaken) / Double(s.noiseLimitedPopulation) : 0
        let d = Geodesy.distanceKm(v.latitude, v.longitude, i.latitude, i.longitude)
        let text =
            "\(i.id) (\(mhz(i.tx.centreMHz)) MHz, \(f1(RadiatedPower.eirp(dBm: i.eirpDBm).erpKW)) kW ERP, \(f1(d)) km away) "
            + "is \(Int(abs(imp.offsetKHz).rounded())) kHz from \(v.id) (\(mhz(v.tx.centreMHz)) MHz), which needs \(f1(imp.protectionRatioDB)) dB of protection there; "
            + "its field at 1 % of time plus that ratio (nuisance field) reaches \(f1(imp.maxNuisanceDBuVm ?? 0)) dBµV/m in \(v.id)'s service area, "
            + "above the wanted field on \(f1(imp.areaTakenKm2)) km² (\(f1(areaPct)) %) with \(imp.populationTaken) people (\(f1(popPct)) %): "
            + "more than the \(f1(allowedPct)) % one interferer may take"
        return Breach(victim: s.index, interferer: imp.interferer, areaPct: areaPct, populationPct: popPct, explanation: text)
    }

    static func mhz(_ x: Double) -> String { String(format: x >= 400 ? "%.0f" : "%.1f", x) }
    static func f1(_ x: Double) -> String { String(format: "%.1f", x) }
}

/// The coverage rasters' nodata, as the broadcast analysis reads it.
enum CoverageResultNodata { static let value = CoverageResult.nodata }

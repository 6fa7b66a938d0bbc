// tanso share-check: what a proposed new tower or co-location adds, what it breaks, and whether an existing tower
// should be shared instead. Six checks, each with figures and an outcome (pass / review / fail):
//
//  1. sharing: co_location — the host exists and the antennas fit under its height (highest existing antenna +
//     `towerHeadroomM`); new_tower — the antennas fit under the declared tower height, and no existing tower
//     within `sharingRadiusM` could host them (tall enough: ≥ `minHostHeightShare` × the highest proposed
//     antenna); one that could is flagged (review: share it or justify);
//  2. coverage: the coverage engine over a box of ±`coverageRadiusKm` around the tower, before (existing
//     transmitters) and after (with the proposal), judged in each technology's metric (`MetricThresholds`, as
//     tanso compliance): villages and population newly covered per technology (no operator before: new for the
//     province; not the operator before: new for the operator), new area, and the share of the proposal's own
//     coverage that overlaps the operator's and other operators' existing coverage. Fail when it adds less than
//     `minNewAreaKm2` and no village to the operator; review when ≥ `overlapReview` of it duplicates the
//     operator's own coverage, or when a new tower adds nothing the province lacks;
//  3. interference: the register checks (ConflictScreening) on the register plus the proposal's assignments,
//     keeping the pairs that involve the proposal (co/adjacent channel, duplicate, out of plan); fail on an
//     out-of-plan channel or a critical/high conflict, review on medium/low ones;
//  4. intermodulation: the same checks on the tower's carriers (register assignments of the station or within
//     `imSiteKm`, plus the proposal), with the uplink of every FDD carrier of the tower as a receiver (derived
//     from the band plan's pairing when the register has none) and the register's receivers within
//     `imVictimKm`; products that involve a proposed carrier count (fail critical/high, review otherwise);
//  5. exposure: RFExposure over all transmitters of the tower (transmitters file + proposal): fail when the
//     exclusion zone reaches 2 m above ground, review when it reaches the roof of the given building (+2 m);
//  6. verdict: fail if any check fails, else review if any asks for review, else pass; with each reason.
import Foundation
import Geo
import Radio
import Records
import Terrain

public enum CheckOutcome: String, Sendable, Comparable, Codable {
    case pass, review, fail
    var rank: Int {
        switch self {
        case .pass: 0;
        case .review: 1;
        case .fail: 2
        }
    }
    public static func < (a: CheckOutcome, b: CheckOutcome) -> Bool { a.rank < b.rank }
}

/// The value of a figure, typed: Analysis gives numbers, Reports formats them (HTML, terminal) or writes them
/// as JSON numbers. `decimals` is the display precision, so the reports are byte-stable.
public enum FigureValue: Sendable, Equatable {
    case number(Double, decimals: Int)
    case count(Int)
    case text(String)
    /// Villages and their population ("4, population 1200").
    case villages(Int, population: Int)
    /// Transmitters on a tower: existing + proposed ("3 (2 existing + 1 proposed)").
    case existingPlusProposed(existing: Int, proposed: Int)
    /// The compared box: ±radius, cell size, propagation model ("±10.0 km, 100 m cells, model hata").
    case studyArea(radiusKm: Double, cellM: Int, model: String)
}

/// A figure of a check: name, typed value, unit.
public struct CheckFigure: Sendable, Equatable {
    public var name: String
    public var value: FigureValue
    public var unit: String
    public init(_ name: String, _ value: FigureValue, _ unit: String = "") { self.name = name; self.value = value; self.unit = unit }
}

public struct CheckResult: Sendable, Equatable {
    public var id: String
    public var title: String
    public var outcome: CheckOutcome
    /// One sentence: why this outcome.
    public var summary: String
    public var figures: [CheckFigure]
    /// Further lines (conflicts, towers, products).
    public var details: [String]
}

public struct SharingSettings: Sendable {
    public var sharingRadiusM = 500.0
    public var towerHeadroomM = 3.0
    public var minHostHeightShare = 0.9
    public var coverageRadiusKm = 10.0
    /// Model, resolution, environment, receiver height, maximum radius of the coverage runs (area is set per run).
    public var study: CoverageStudy = {
        var s = CoverageStudy(west: 0, south: 0, east: 1, north: 1)
        s.resolutionM = 100; s.maxRadiusKm = 20; s.floorDBm = -140
        return s
    }()
    public var thresholds: MetricThresholds = .defaults
    public var conflicts = ConflictSettings()
    public var terrain: TerrainPaths? = nil
    public var limits: ExposureLimits = .icnirp2020
    public var minNewAreaKm2 = 0.1
    public var overlapReview = 0.8
    public init() {}
}

/// A tower: the sites of the transmitters file.
public struct Tower: Sendable, Equatable {
    public var id: String
    public var latitude: Double
    public var longitude: Double
    /// Operators on it, sorted.
    public var operators: [String]
    /// Highest antenna on it, m.
    public var highestAntennaM: Double
    /// Usable height: highest antenna + headroom (existing), or the declared height (new).
    public var heightM: Double

    public init(id: String, latitude: Double, longitude: Double, operators: [String], highestAntennaM: Double, heightM: Double) {
        self.id = id; self.latitude = latitude; self.longitude = longitude; self.operators = operators
        self.highestAntennaM = highestAntennaM; self.heightM = heightM
    }

    public static func all(_ transmitters: [Transmitter], headroomM: Double) -> [Tower] {
        var byID: [String: Tower] = [:]
        for t in transmitters {
            if var x = byID[t.siteID] {
                if !x.operators.contains(t.operatorName) { x.operators.append(t.operatorName); x.operators.sort() }
                x.highestAntennaM = max(x.highestAntennaM, t.antennaHeightM); x.heightM = x.highestAntennaM + headroomM
                byID[t.siteID] = x
            } else {
                byID[t.siteID] = Tower(
                    id: t.siteID, latitude: t.latitude, longitude: t.longitude, operators: [t.operatorName],
                    highestAntennaM: t.antennaHeightM, heightM: t.antennaHeightM + headroomM)
            }
        }
        return byID.values.sorted { $0.id < $1.id }
    }
}

/// Village gained by the proposal for a technology.
public struct VillageGain: Sendable, Equatable {
    public var village: Village
    public var technology: Technology
    /// true: no operator covered it before (new for the province); false: other operators did.
    public var newForProvince: Bool
    /// Best metric value after (dBm, the technology's metric) from the proposal.
    public var metricDBm: Double?
}

public struct TechnologyGain: Sendable, Equatable {
    public var technology: Technology
    public var villagesInArea: Int
    public var newVillagesProvince: Int, newPopulationProvince: Int
    public var newVillagesOperator: Int, newPopulationOperator: Int
    public var proposalAreaKm2: Double
    public var newAreaProvinceKm2: Double
    public var newAreaOperatorKm2: Double
    public var ownOverlapShare: Double
    public var othersOverlapShare: Double
}

/// The grids behind the before/after map (per cell: 0 nothing, 1 other operators only, 2 the operator; after:
/// 3 newly covered by the proposal where nobody was, 4 newly for the operator where others were).
public struct CoverageMaps: Sendable {
    public var spec: GridSpec
    public var groundM: [Float]?
    public var before: [UInt8]
    public var after: [UInt8]
    /// 0 covered before and after, 1 gained where no operator was, 2 uncovered after, 3 gained for the operator
    /// where other operators were.
    public var villages: [(village: Village, state: UInt8)]
}

public struct SharingResult: Sendable {
    public var proposalID: String
    public var proposal: SharingProposal
    public var tower: Tower
    public var existingOnTower: [Transmitter]
    public var proposed: [Transmitter]
    public var proposedAssignments: [Assignment]
    public var shareableTowers: [(tower: Tower, distanceM: Double)]
    public var gains: [TechnologyGain]
    public var villagesGained: [VillageGain]
    public var conflicts: [Conflict]
    public var intermodulation: [Conflict]
    public var intermodulationExisting: [Conflict]
    public var exposure: ExposureAssessment
    public var exposureSources: [ExposureSource]
    public var checks: [CheckResult]
    public var verdict: CheckOutcome
    public var reasons: [String]
    public var maps: CoverageMaps?
    public var settings: SharingSettings
    /// Input rows skipped with `--skip-invalid` (file, row, column, value, expected): the checks ran without them.
    public var skippedRows: [String] = []
}

public enum SharingCheck {
    // MARK: derived records

    /// The proposal's transmitters as records of the data contract, on the tower.
    public static func transmitters(of p: SharingProposal, tower: Tower) -> [Transmitter] {
        p.transmitters.map { s in
            Transmitter(
                id: s.id, siteID: tower.id, operatorName: p.operatorName, technology: Technology(parsing: s.technology) ?? .other,
                latitude: tower.latitude, longitude: tower.longitude, antennaHeightM: s.antennaHeightM,
                frequencyMHz: s.frequencyMHz, bandwidthMHz: s.bandwidthMHz, eirpDBm: s.effectiveEIRPDBm ?? 0,
                azimuthDeg: s.azimuthDeg, mechanicalTiltDeg: s.mechanicalTiltDeg ?? 0, electricalTiltDeg: s.electricalTiltDeg ?? 0,
                antennaPattern: s.antennaPattern)
        }
    }

    /// Service of a technology in the register.
    public static func service(for tech: Technology) -> String {
        switch tech {
        case .gsm, .umts, .lte, .nr: return Service.mobile.rawValue
        case .fm: return Service.broadcastFM.rawValue
        case .tv: return Service.broadcastTV.rawValue
        case .other: return "other"
        }
    }

    /// The receive channel paired with `tx` in the band plan (same offset in the paired allocation), if any.
    public static func pairedReceive(_ tx: Channel, service: String, plan: BandPlan?) -> Channel? {
        guard let plan, let a = plan.allocation(for: tx, service: service), let pn = a.pairedName,
            let pair = plan.allocation(named: pn)
        else { return nil }
        return Channel(centreMHz: tx.centreMHz - a.lowMHz + pair.lowMHz, bandwidthKHz: tx.bandwidthKHz)
    }

    /// The proposal's frequency assignments: as given, or derived from the transmitters.
    public static func assignments(of p: SharingProposal, tower: Tower, plan: BandPlan?) throws -> [Assignment] {
        try p.transmitters.map { s in
            let tech = Technology(parsing: s.technology) ?? .other
            let spec = s.assignment ?? SharingProposal.AssignmentSpec()
            let emission = try spec.emissionDesignator.map { try EmissionDesignator(parsing: $0) }
            let svc = spec.service ?? service(for: tech)
            let tx = Channel(
                centreMHz: spec.txFrequencyMHz ?? s.frequencyMHz,
                bandwidthKHz: spec.bandwidthKHz ?? emission?.bandwidthKHz ?? s.bandwidthMHz * 1000)
            let rx: Channel?
            if let rf = spec.rxFrequencyMHz {
                rx = Channel(centreMHz: rf, bandwidthKHz: spec.rxBandwidthKHz ?? tx.bandwidthKHz)
            } else {
                rx = pairedReceive(tx, service: svc, plan: plan)
            }
            return Assignment(
                id: spec.id ?? "A-\(s.id)", stationID: tower.id, licensee: p.operatorName, service: svc,
                latitude: tower.latitude, longitude: tower.longitude, tx: tx, emission: emission,
                antennaHeightM: s.antennaHeightM, eirpDBm: s.effectiveEIRPDBm ?? 0, azimuthDeg: s.azimuthDeg,
                antennaPattern: s.antennaPattern, antennaGainDBi: nil, rx: rx)
        }
    }

    // MARK: the run

    public static func run(
        _ p: SharingProposal, proposalID: String, transmitters existing: [Transmitter], assignments register: [Assignment],
        villages: [Village], dem: ElevationModel?, antennas: AntennaLibrary? = nil,
        settings: SharingSettings = SharingSettings(), computeMaps: Bool = true,
        skippedRows: [String] = []
    ) throws -> SharingResult {
        let towers = Tower.all(existing, headroomM: settings.towerHeadroomM)
        // The tower.
        let tower: Tower
        switch p.kind {
        case .coLocation:
            let host = p.hostSiteID ?? ""
            guard let t = towers.first(where: { $0.id == host }) else {
                let close = towers.map(\.id).sorted { (editDistance($0, host), $0) < (editDistance($1, host), $1) }.prefix(3)
                throw ProposalError(
                    "proposal \(proposalID): host_site_id '\(host)' is not a site_id of the transmitters file"
                        + (close.isEmpty ? "" : " (closest ids: \(close.joined(separator: ", ")))"))
            }
            tower = t
        case .newTower:
            let id = p.siteID ?? "\(proposalID)-SITE"
            if towers.contains(where: { $0.id == id }) {
                throw ProposalError("proposal \(proposalID): site_id '\(id)' of the new tower is already a site of the transmitters file")
            }
            tower = Tower(
                id: id, latitude: p.latitude!, longitude: p.longitude!, operators: [],
                highestAntennaM: 0, heightM: p.towerHeightM!)
        }
        let existingIDs = Set(existing.map(\.id))
        for s in p.transmitters where existingIDs.contains(s.id) {
            throw ProposalError("proposal \(proposalID): transmitter id '\(s.id)' is already in the transmitters file; give the new sector its own id")
        }
        let proposed = transmitters(of: p, tower: tower)
        let proposedAssignments = try assignments(of: p, tower: tower, plan: settings.conflicts.bandPlan)
        let registerIDs = Set(register.map(\.id))
        for a in proposedAssignments where registerIDs.contains(a.id) {
            throw ProposalError("proposal \(proposalID): assignment id '\(a.id)' is already in the register; give it its own id (transmitters[].assignment.id)")
        }
        let onTower = existing.filter { $0.siteID == tower.id }

        var checks: [CheckResult] = []
        // 1. Sharing.
        let sharing = sharingCheck(p, tower: tower, towers: towers, settings: settings)
        checks.append(sharing.check)
        // 2. Coverage.
        let cov = try coverageCheck(
            p, tower: tower, proposed: proposed, existing: existing, villages: villages, dem: dem,
            antennas: antennas, settings: settings, computeMaps: computeMaps)
        checks.append(cov.check)
        // 3. Interference.
        let inter = interferenceCheck(proposedAssignments, register: register, settings: settings)
        checks.append(inter.check)
        // 4. Intermodulation.
        let im = intermodulationCheck(proposedAssignments, tower: tower, register: register, settings: settings)
        checks.append(im.check)
        // 5. Exposure.
        let sources = (onTower + proposed).map {
            ExposureSource(
                id: $0.id, frequencyMHz: $0.frequencyMHz, eirpDBm: $0.eirpDBm, heightM: $0.antennaHeightM,
                azimuthDeg: $0.azimuthDeg, mechanicalTiltDeg: $0.mechanicalTiltDeg, electricalTiltDeg: $0.electricalTiltDeg)
        }
        let exp = exposureCheck(sources, proposal: p, onTower: onTower.count, settings: settings)
        checks.append(exp.check)
        // The records themselves: only when they make the judgement doubtful (issue 23), a REVIEW check.
        if let records = recordsCheck(
            tower: tower, existing: existing, villages: villages, dem: dem, settings: settings,
            skippedRows: skippedRows)
        {
            checks.append(records)
        }
        // 6. Verdict.
        let verdict = checks.map(\.outcome).max() ?? .pass
        var reasons = checks.filter { $0.outcome != .pass }.sorted { $0.outcome > $1.outcome }
            .map { "\($0.title) (\($0.outcome.rawValue)): \($0.summary)" }
        if reasons.isEmpty { reasons = ["all five checks pass"] }
        checks.append(
            CheckResult(
                id: "verdict", title: "Verdict", outcome: verdict,
                summary: verdict == .pass
                    ? "all checks pass"
                    : "\(checks.filter { $0.outcome == .fail }.count) check(s) fail, \(checks.filter { $0.outcome == .review }.count) ask for review",
                figures: [
                    CheckFigure("checks passed", .count(checks.filter { $0.outcome == .pass }.count)),
                    CheckFigure("checks", .count(checks.count))
                ],
                details: reasons))
        return SharingResult(
            proposalID: proposalID, proposal: p, tower: tower, existingOnTower: onTower, proposed: proposed,
            proposedAssignments: proposedAssignments, shareableTowers: sharing.shareable, gains: cov.gains,
            villagesGained: cov.gained, conflicts: inter.conflicts, intermodulation: im.new, intermodulationExisting: im.existing,
            exposure: exp.assessment, exposureSources: sources, checks: checks, verdict: verdict, reasons: reasons,
            maps: cov.maps, settings: settings, skippedRows: skippedRows)
    }

    /// Whether the records can judge this proposal: a tower outside the area of the given records (no village
    /// within the compared box, no existing transmitter within reach, no terrain under it), or rows dropped with
    /// `--skip-invalid`, make every other check's PASS unfounded, so the verdict is at least REVIEW with the reason.
    static func recordsCheck(
        tower: Tower, existing: [Transmitter], villages: [Village], dem: ElevationModel?,
        settings: SharingSettings, skippedRows: [String]
    ) -> CheckResult? {
        var reasons: [String] = []
        var figures: [CheckFigure] = []
        let r = settings.coverageRadiusKm
        let dLat = Geodesy.degreesLatitude(km: r), dLon = Geodesy.degreesLongitude(km: r, atLatitudeDeg: tower.latitude, cosFloor: 1e-6)
        let inBox = villages.filter { abs($0.latitude - tower.latitude) <= dLat && abs($0.longitude - tower.longitude) <= dLon }.count
        if inBox == 0 {
            reasons.append("no village of the villages file within ±\(f1(r)) km of the tower: the coverage gain cannot be judged")
        }
        figures.append(CheckFigure("villages within ±\(f1(r)) km", .count(inBox)))
        let reachKm = max(50, 2 * settings.study.maxRadiusKm)
        let nearest = existing.map { Geodesy.distanceKm(tower.latitude, tower.longitude, $0.latitude, $0.longitude) }.min()
        if let nearest {
            figures.append(CheckFigure("nearest existing transmitter", .number(nearest, decimals: 1), "km"))
            if nearest > reachKm {
                reasons.append(
                    "the nearest existing transmitter is \(f1(nearest)) km away (more than \(f1(reachKm)) km): the tower lies outside the area of the network given, so interference and sharing cannot be judged"
                )
            }
        } else {
            reasons.append("the transmitters file holds no existing transmitter: interference and sharing cannot be judged")
        }
        if let dem, dem.elevation(longitude: tower.longitude, latitude: tower.latitude) == nil {
            reasons.append(
                "the DEM has no terrain at the tower (\(String(format: "%.5f", tower.latitude)), \(String(format: "%.5f", tower.longitude))): outside it or on nodata"
            )
        }
        if !skippedRows.isEmpty {
            reasons.append("\(skippedRows.count) invalid input row(s) were skipped with --skip-invalid: the checks ran without them")
            figures.append(CheckFigure("rows skipped", .count(skippedRows.count)))
        }
        guard !reasons.isEmpty else { return nil }
        return CheckResult(
            id: "records", title: "Input records", outcome: .review, summary: reasons.joined(separator: "; "),
            figures: figures, details: skippedRows.map { "skipped: \($0)" })
    }

    public static func f1(_ x: Double) -> String { String(format: "%.1f", x) }
    public static func f2(_ x: Double) -> String { String(format: "%.2f", x) }
    public static func pct(_ x: Double) -> String { String(format: "%.1f", 100 * x) }

    // MARK: 1. sharing

    static func sharingCheck(
        _ p: SharingProposal, tower: Tower, towers: [Tower], settings: SharingSettings
    )
        -> (check: CheckResult, shareable: [(tower: Tower, distanceM: Double)])
    {
        let highest = p.transmitters.map(\.antennaHeightM).max() ?? 0
        var figures = [CheckFigure("tower", .text(tower.id)), CheckFigure("highest proposed antenna", .number(highest, decimals: 1), "m")]
        var details: [String] = []
        let tooHigh = p.transmitters.filter { $0.antennaHeightM > tower.heightM + 1e-9 }
        switch p.kind {
        case .coLocation:
            figures += [
                CheckFigure("host operators", .text(tower.operators.joined(separator: ", "))),
                CheckFigure("host height (highest antenna + headroom)", .number(tower.heightM, decimals: 1), "m")
            ]
            if !tooHigh.isEmpty {
                let list = tooHigh.map { "\($0.id) at \(f1($0.antennaHeightM)) m" }.joined(separator: ", ")
                return (
                    CheckResult(
                        id: "sharing", title: "Tower sharing", outcome: .fail,
                        summary:
                            "antennas above the host tower \(tower.id) (\(f1(tower.heightM)) m: highest antenna \(f1(tower.highestAntennaM)) m + \(f1(settings.towerHeadroomM)) m headroom): \(list)",
                        figures: figures, details: details), []
                )
            }
            let own = tower.operators.contains(p.operatorName)
            return (
                CheckResult(
                    id: "sharing", title: "Tower sharing", outcome: .pass,
                    summary: own
                        ? "adds sectors to \(p.operatorName)'s own tower \(tower.id); the antennas fit under its height"
                        : "co-location on \(tower.id) of \(tower.operators.joined(separator: ", ")): the antennas fit under its \(f1(tower.heightM)) m",
                    figures: figures, details: details), []
            )
        case .newTower:
            figures.append(CheckFigure("declared tower height", .number(tower.heightM, decimals: 1), "m"))
            figures.append(CheckFigure("sharing radius", .number(settings.sharingRadiusM, decimals: 1), "m"))
            var near: [(tower: Tower, distanceM: Double)] = []
            for t in towers {
                let d = Geodesy.distanceKm(tower.latitude, tower.longitude, t.latitude, t.longitude) * 1000
                if d <= settings.sharingRadiusM { near.append((t, d)) }
            }
            near.sort { ($0.distanceM, $0.tower.id) < ($1.distanceM, $1.tower.id) }
            let need = settings.minHostHeightShare * highest
            let shareable = near.filter { $0.tower.heightM >= need - 1e-9 }
            figures.append(CheckFigure("towers within the radius", .count(near.count)))
            figures.append(CheckFigure("of which could host (height ≥ \(f1(need)) m)", .count(shareable.count)))
            for n in near {
                let ok = n.tower.heightM >= need - 1e-9
                details.append(
                    "\(n.tower.id) (\(n.tower.operators.joined(separator: ", "))), \(Int(n.distanceM.rounded())) m away, height \(f1(n.tower.heightM)) m: "
                        + (ok
                            ? (n.tower.operators.contains(p.operatorName) ? "the operator's own tower, could carry the sectors" : "could host the equipment")
                            : "too low (needs \(f1(need)) m)"))
            }
            if !tooHigh.isEmpty {
                return (
                    CheckResult(
                        id: "sharing", title: "Tower sharing", outcome: .fail,
                        summary: "antennas above the declared tower height \(f1(tower.heightM)) m: "
                            + tooHigh.map { "\($0.id) at \(f1($0.antennaHeightM)) m" }.joined(separator: ", "),
                        figures: figures, details: details), shareable
                )
            }
            if let first = shareable.first {
                let own = first.tower.operators.contains(p.operatorName)
                return (
                    CheckResult(
                        id: "sharing", title: "Tower sharing", outcome: .review,
                        summary:
                            "new tower \(Int(first.distanceM.rounded())) m from \(first.tower.id) (\(first.tower.operators.joined(separator: ", ")), \(f1(first.tower.heightM)) m), which could host it: "
                            + (own ? "\(p.operatorName)'s own tower: add the sectors to it or justify a new one" : "share that tower or justify a new one")
                            + (shareable.count > 1 ? " (\(shareable.count) shareable towers within \(Int(settings.sharingRadiusM)) m)" : ""),
                        figures: figures, details: details), shareable
                )
            }
            return (
                CheckResult(
                    id: "sharing", title: "Tower sharing", outcome: .pass,
                    summary: near.isEmpty
                        ? "no existing tower within \(Int(settings.sharingRadiusM)) m"
                        : "no tower within \(Int(settings.sharingRadiusM)) m is tall enough to host the antennas",
                    figures: figures, details: details), []
            )
        }
    }

    // MARK: 2. coverage

    static func coverageCheck(
        _ p: SharingProposal, tower: Tower, proposed: [Transmitter], existing: [Transmitter],
        villages: [Village], dem: ElevationModel?, antennas: AntennaLibrary?, settings: SharingSettings,
        computeMaps: Bool
    ) throws -> (check: CheckResult, gains: [TechnologyGain], gained: [VillageGain], maps: CoverageMaps?) {
        let r = settings.coverageRadiusKm
        let dLat = Geodesy.degreesLatitude(km: r), dLon = Geodesy.degreesLongitude(km: r, atLatitudeDeg: tower.latitude)
        var study = settings.study
        study.west = tower.longitude - dLon; study.east = tower.longitude + dLon
        study.south = tower.latitude - dLat; study.north = tower.latitude + dLat
        let reach = r * 1.5 + study.maxRadiusKm
        let near = existing.filter { Geodesy.distanceKm(tower.latitude, tower.longitude, $0.latitude, $0.longitude) <= reach }
        let after = try CoverageEngine.run(study: study, transmitters: proposed, dem: dem, antennas: antennas)
        let before = near.isEmpty ? nil : try CoverageEngine.run(study: study, transmitters: near, dem: dem, antennas: antennas)
        let spec = after.spec
        let n = spec.cellCount
        let empty = [Float](repeating: CoverageResult.nodata, count: n)
        var keySet = Set(after.serviceDBm.keys)
        if let before { keySet.formUnion(before.serviceDBm.keys) }
        let keys = keySet.sorted()
        let all = near + proposed
        let carriers = keys.map { ServiceCarrier.of($0, transmitters: all) }
        let beforeLayers = ServiceLayers(
            spec: spec, keys: keys, totalDBm: keys.map { before?.serviceDBm[$0] ?? empty },
            transmitters: near, carriers: carriers)
        let newLayers = keys.map { after.serviceDBm[$0] ?? empty }
        let afterLayers = ServiceLayers(
            spec: spec, keys: keys,
            totalDBm: keys.indices.map { i in
                let b = beforeLayers.totalDBm[i], a = newLayers[i]
                var out = b
                for c in 0..<n where a[c] != CoverageResult.nodata && (out[c] == CoverageResult.nodata || a[c] > out[c]) { out[c] = a[c] }
                return out
            }, transmitters: all, carriers: carriers)
        let thr = try beforeLayers.totalThresholds(settings.thresholds)
        let offsets = try beforeLayers.metricOffsets(settings.thresholds)
        // Villages in the box.
        let inBox = villages.filter { $0.latitude >= study.south && $0.latitude <= study.north && $0.longitude >= study.west && $0.longitude <= study.east }
        let cs = ComplianceSettings(thresholds: settings.thresholds)
        let vb = try VillageCompliance.evaluate(inBox, layers: beforeLayers, settings: cs)
        let va = try VillageCompliance.evaluate(inBox, layers: afterLayers, settings: cs)
        let techs = Array(Set(proposed.map(\.technology))).sorted()
        let cellKm2 = spec.resolutionM * spec.resolutionM / 1e6
        var gains: [TechnologyGain] = [], gained: [VillageGain] = []
        var anyBeforeMask = [Bool](repeating: false, count: n), ownBeforeMask = [Bool](repeating: false, count: n)
        var proposalMask = [Bool](repeating: false, count: n)
        for tech in techs {
            let tk = keys.indices.filter { keys[$0].technology == tech }
            let own = tk.first { keys[$0].operatorName == p.operatorName }!
            var gain = TechnologyGain(
                technology: tech, villagesInArea: inBox.count, newVillagesProvince: 0, newPopulationProvince: 0,
                newVillagesOperator: 0, newPopulationOperator: 0, proposalAreaKm2: 0, newAreaProvinceKm2: 0,
                newAreaOperatorKm2: 0, ownOverlapShare: 0, othersOverlapShare: 0)
            for i in inBox.indices {
                let anyB = tk.contains { vb[i].covered[$0] }, anyA = tk.contains { va[i].covered[$0] }
                let ownB = vb[i].covered[own], ownA = va[i].covered[own]
                if ownA && !ownB {
                    gain.newVillagesOperator += 1; gain.newPopulationOperator += inBox[i].population
                    gained.append(
                        VillageGain(
                            village: inBox[i], technology: tech, newForProvince: !anyB,
                            metricDBm: va[i].metricDBm[own].map { Double($0) }))
                }
                if anyA && !anyB { gain.newVillagesProvince += 1; gain.newPopulationProvince += inBox[i].population }
            }
            var pc = 0, newP = 0, newO = 0, ownO = 0, othO = 0
            let newLayer = newLayers[own]
            for c in 0..<n {
                let pv = newLayer[c]
                let isP = pv != CoverageResult.nodata && pv >= thr[own]
                var anyB = false, othB = false
                for k in tk {
                    let v = beforeLayers.totalDBm[k][c]
                    if v != CoverageResult.nodata && v >= thr[k] { anyB = true; if k != own { othB = true } }
                }
                let ownB = {
                    let v = beforeLayers.totalDBm[own][c]; return v != CoverageResult.nodata && v >= thr[own]
                }()
                if anyB { anyBeforeMask[c] = true }
                if ownB { ownBeforeMask[c] = true }
                guard isP else { continue }
                proposalMask[c] = true
                pc += 1
                if !anyB { newP += 1 }
                if !ownB { newO += 1 } else { ownO += 1 }
                if othB { othO += 1 }
            }
            gain.proposalAreaKm2 = Double(pc) * cellKm2
            gain.newAreaProvinceKm2 = Double(newP) * cellKm2
            gain.newAreaOperatorKm2 = Double(newO) * cellKm2
            gain.ownOverlapShare = pc > 0 ? Double(ownO) / Double(pc) : 0
            gain.othersOverlapShare = pc > 0 ? Double(othO) / Double(pc) : 0
            gains.append(gain)
        }
        _ = offsets
        gained.sort { ($0.technology, -$0.village.population, $0.village.id) < ($1.technology, -$1.village.population, $1.village.id) }
        // Figures and outcome.
        var figures: [CheckFigure] = [
            CheckFigure("study area", .studyArea(radiusKm: r, cellM: Int(spec.resolutionM), model: "\(study.model)")),
            CheckFigure("villages in the area", .count(inBox.count))
        ]
        for g in gains {
            let t = g.technology.rawValue
            figures += [
                CheckFigure("\(t): villages newly covered (no operator before)", .villages(g.newVillagesProvince, population: g.newPopulationProvince)),
                CheckFigure("\(t): villages newly covered for \(p.operatorName)", .villages(g.newVillagesOperator, population: g.newPopulationOperator)),
                CheckFigure("\(t): area covered by the proposal", .number(g.proposalAreaKm2, decimals: 2), "km²"),
                CheckFigure("\(t): new area (no operator before)", .number(g.newAreaProvinceKm2, decimals: 2), "km²"),
                CheckFigure("\(t): new area for \(p.operatorName)", .number(g.newAreaOperatorKm2, decimals: 2), "km²"),
                CheckFigure("\(t): overlap with \(p.operatorName)'s existing coverage", .number(100 * g.ownOverlapShare, decimals: 1), "%"),
                CheckFigure("\(t): overlap with other operators' coverage", .number(100 * g.othersOverlapShare, decimals: 1), "%")
            ]
        }
        let newOpArea = gains.reduce(0) { $0 + $1.newAreaOperatorKm2 }, newOpVillages = gains.reduce(0) { $0 + $1.newVillagesOperator }
        let newProvArea = gains.reduce(0) { $0 + $1.newAreaProvinceKm2 }, newProvVillages = gains.reduce(0) { $0 + $1.newVillagesProvince }
        let newProvPop = gains.reduce(0) { $0 + $1.newPopulationProvince }, newOpPop = gains.reduce(0) { $0 + $1.newPopulationOperator }
        let worstOwn = gains.map(\.ownOverlapShare).max() ?? 0
        let outcome: CheckOutcome, summary: String
        if newOpArea < settings.minNewAreaKm2 && newOpVillages == 0 {
            outcome = .fail
            summary =
                "adds no village and \(f2(newOpArea)) km² (< \(f2(settings.minNewAreaKm2)) km²) to \(p.operatorName)'s coverage: the proposal duplicates what exists"
        } else if worstOwn >= settings.overlapReview {
            outcome = .review
            summary =
                "\(pct(worstOwn)) % of the proposal's coverage overlaps \(p.operatorName)'s own (≥ \(pct(settings.overlapReview)) %): capacity, not coverage? justify"
        } else if p.kind == .newTower && newProvVillages == 0 && newProvArea < settings.minNewAreaKm2 {
            outcome = .review
            summary = "a new tower that covers nothing no operator covers already (\(f2(newProvArea)) km², no village): sharing an existing tower would do"
        } else {
            outcome = .pass
            summary =
                "newly covered: \(newProvVillages) village(s), population \(newProvPop), \(f2(newProvArea)) km² where no operator was; for \(p.operatorName) \(newOpVillages) village(s), population \(newOpPop), \(f2(newOpArea)) km²"
        }
        var maps: CoverageMaps? = nil
        if computeMaps {
            var b = [UInt8](repeating: 0, count: n), a = [UInt8](repeating: 0, count: n)
            for c in 0..<n {
                b[c] = ownBeforeMask[c] ? 2 : anyBeforeMask[c] ? 1 : 0
                a[c] = b[c]
                if proposalMask[c] && !ownBeforeMask[c] { a[c] = anyBeforeMask[c] ? 4 : 3 }
            }
            let gainedNew = Set(gained.filter(\.newForProvince).map(\.village.id)), gainedIDs = Set(gained.map(\.village.id))
            var vs: [(village: Village, state: UInt8)] = []
            for i in inBox.indices {
                let coveredAfter = techs.contains { tech in keys.indices.contains { keys[$0].technology == tech && va[i].covered[$0] } }
                vs.append((inBox[i], gainedNew.contains(inBox[i].id) ? 1 : gainedIDs.contains(inBox[i].id) ? 3 : coveredAfter ? 0 : 2))
            }
            maps = CoverageMaps(spec: spec, groundM: after.groundM, before: b, after: a, villages: vs)
        }
        return (
            CheckResult(id: "coverage", title: "Coverage gain", outcome: outcome, summary: summary, figures: figures, details: []),
            gains, gained, maps
        )
    }

    // MARK: 3. interference

    static func involves(_ c: Conflict, _ ids: Set<String>) -> Bool {
        if ids.contains(c.aID) { return true }
        if let b = c.bID, ids.contains(b) { return true }
        if let cc = c.cID, cc.split(separator: ";").contains(where: { ids.contains(String($0)) }) { return true }
        return false
    }

    static func interferenceCheck(
        _ proposed: [Assignment], register: [Assignment], settings: SharingSettings
    )
        -> (check: CheckResult, conflicts: [Conflict])
    {
        let ids = Set(proposed.map(\.id))
        let screening = ConflictScreening(settings: settings.conflicts, terrain: settings.terrain)
        let (all, stats) = screening.run(register + proposed)
        let mine = all.filter { $0.kind != .intermodulation && involves($0, ids) }
        let outOfPlan = mine.filter { $0.kind == .outOfPlan }
        let serious = mine.filter { $0.kind != .outOfPlan && ($0.severity == .critical || $0.severity == .high) }
        var figures = [
            CheckFigure("proposed assignments", .count(proposed.count)), CheckFigure("register assignments", .count(register.count)),
            CheckFigure("pairs examined", .count(stats.pairsExamined)),
            CheckFigure("conflicts involving the proposal", .count(mine.count))
        ]
        for k in [ConflictKind.coChannel, .adjacentChannel, .duplicate, .outOfPlan] {
            figures.append(CheckFigure("  \(k.rawValue.replacingOccurrences(of: "_", with: " "))", .count(mine.filter { $0.kind == k }.count)))
        }
        if let worst = mine.compactMap(\.marginDB).min() { figures.append(CheckFigure("worst margin", .number(worst, decimals: 1), "dB")) }
        let details = mine.map { "[\($0.severity.rawValue)] \($0.kind.rawValue): \($0.explanation)" }
        let outcome: CheckOutcome, summary: String
        if !outOfPlan.isEmpty {
            outcome = .fail
            summary = "outside the band plan: " + outOfPlan.map(\.aID).joined(separator: ", ") + " (\(outOfPlan[0].explanation))"
        } else if !serious.isEmpty {
            outcome = .fail
            let w = serious[0]
            summary =
                "\(serious.count) critical/high conflict(s) with the register; worst: \(w.kind.rawValue) \(w.aID) ← \(w.bID ?? ""), margin \(w.marginDB.map(f1) ?? "–") dB"
        } else if !mine.isEmpty {
            outcome = .review
            summary = "\(mine.count) minor conflict(s) (medium/low severity or a duplicate record) with the register"
        } else {
            outcome = .pass
            summary = "no conflict with the \(register.count) assignments of the register; every channel inside the band plan"
        }
        return (
            CheckResult(
                id: "interference", title: "Interference with the register", outcome: outcome, summary: summary,
                figures: figures, details: details), mine
        )
    }

    // MARK: 4. intermodulation

    static func intermodulationCheck(
        _ proposed: [Assignment], tower: Tower, register: [Assignment], settings: SharingSettings
    )
        -> (check: CheckResult, new: [Conflict], existing: [Conflict])
    {
        let ids = Set(proposed.map(\.id))
        let plan = settings.conflicts.bandPlan
        var onTower = register.filter {
            $0.stationID == tower.id || Geodesy.distanceKm(tower.latitude, tower.longitude, $0.latitude, $0.longitude) <= settings.conflicts.imSiteKm
        }
        // The uplink of every FDD carrier on the tower is a receiver there.
        for i in onTower.indices where onTower[i].rx == nil {
            onTower[i].rx = pairedReceive(onTower[i].tx, service: onTower[i].service, plan: plan)
        }
        let towerIDs = Set(onTower.map(\.id)).union(ids)
        let receivers = register.filter {
            !towerIDs.contains($0.id) && ($0.rx != nil || $0.linkReceiver != nil)
                && Geodesy.distanceKm(tower.latitude, tower.longitude, $0.latitude, $0.longitude) <= settings.conflicts.imVictimKm + 1
        }
        let set = onTower + proposed + receivers
        var s = settings.conflicts
        s.bandPlan = nil // the band plan is check 3's business
        let (all, stats) = ConflictScreening(settings: s, terrain: settings.terrain).run(set)
        let products = all.filter { c in
            c.kind == .intermodulation
                && ([c.bID ?? ""] + (c.cID ?? "").split(separator: ";").map(String.init)).allSatisfy { $0.isEmpty || towerIDs.contains($0) }
        }
        // A product is the proposal's when it does not exist without the proposal, or when it falls into one of the
        // proposal's own receive channels. (Carriers on one channel are named after one of their assignments, so
        // the names in a product cannot tell whether the proposal is needed for it: screen the tower without the
        // proposal and compare products by victim and frequency.)
        func physicalKey(_ c: Conflict) -> String { "\(c.aID)|\(Int(((c.frequencyOffsetKHz ?? 0) * 10).rounded()))" }
        let (before, _) = ConflictScreening(settings: s, terrain: settings.terrain).run(onTower + receivers)
        let existedBefore = Set(before.filter { $0.kind == .intermodulation }.map(physicalKey))
        let new = products.filter { c in ids.contains(c.aID) || !existedBefore.contains(physicalKey(c)) }
        let existing = products.filter { c in !new.contains(where: { $0.key == c.key }) }
        let carriers = Set((onTower + proposed).map { "\($0.tx.centreMHz)/\($0.tx.bandwidthKHz)" }).count
        let uplinks = (onTower + proposed).filter { $0.rx != nil }.count
        var figures = [
            CheckFigure("transmitters on the tower (register + proposal)", .count(onTower.count + proposed.count)),
            CheckFigure("distinct carriers", .count(carriers)),
            CheckFigure("receive channels on the tower", .count(uplinks)),
            CheckFigure("receivers nearby (≤ \(f1(settings.conflicts.imVictimKm)) km)", .count(receivers.count)),
            CheckFigure("products screened", .count(stats.intermodulationProducts)),
            CheckFigure("products hitting a receiver, involving the proposal", .count(new.count)),
            CheckFigure("products hitting a receiver, existing carriers only", .count(existing.count))
        ]
        if let w = new.compactMap(\.marginDB).min() { figures.append(CheckFigure("worst margin (proposal)", .number(w, decimals: 1), "dB")) }
        let details = new.map { "[\($0.severity.rawValue)] new: \($0.explanation)" } + existing.map { "[\($0.severity.rawValue)] existing: \($0.explanation)" }
        let serious = new.filter { $0.severity == .critical || $0.severity == .high }
        let outcome: CheckOutcome, summary: String
        if !serious.isEmpty {
            outcome = .fail
            summary =
                "\(serious.count) intermodulation product(s) of the proposed carriers fall in a receive channel with a critical/high margin; worst \(f1(serious.compactMap(\.marginDB).min() ?? 0)) dB into \(serious[0].aID)"
        } else if !new.isEmpty {
            outcome = .review
            summary = "\(new.count) intermodulation product(s) of the proposed carriers reach a receiver with a small deficit"
        } else {
            outcome = .pass
            summary =
                carriers < 2
                ? "a single carrier on the tower: no intermodulation"
                : "no product of the \(carriers) carriers on the tower that involves the proposal falls in a receive channel"
                    + (existing.isEmpty ? "" : " (\(existing.count) existing product(s) listed)")
        }
        return (
            CheckResult(
                id: "intermodulation", title: "Intermodulation on the tower", outcome: outcome, summary: summary,
                figures: figures, details: details), new, existing
        )
    }

    // MARK: 5. exposure

    static func exposureCheck(
        _ sources: [ExposureSource], proposal p: SharingProposal, onTower: Int, settings: SharingSettings
    )
        -> (check: CheckResult, assessment: ExposureAssessment)
    {
        let a = RFExposure.assess(sources, limits: settings.limits, buildingHeightM: p.buildingHeightM, buildingDistanceM: p.buildingDistanceM)
        var figures = [
            CheckFigure("limits", .text(settings.limits.name)),
            CheckFigure("transmitters on the tower", .existingPlusProposed(existing: onTower, proposed: sources.count - onTower)),
            CheckFigure("total EIRP", .number(10 * log10(max(1e-30, sources.reduce(0) { $0 + pow(10, ($1.eirpDBm - 30) / 10) })), decimals: 1), "dBW"),
            CheckFigure("compliance distance, main beams aligned (upper bound)", .number(a.boresightDistanceM, decimals: 1), "m"),
            CheckFigure("exclusion zone, largest horizontal reach", .number(a.horizontalDistanceM, decimals: 1), "m"),
            CheckFigure("  at azimuth", .number(Double(Int(a.horizontalAzimuthDeg)), decimals: 0), "°"),
            CheckFigure("lowest antenna", .number(sources.map(\.heightM).min() ?? 0, decimals: 1), "m"),
            CheckFigure("largest exposure ratio at 2 m above ground", .number(a.groundRatio, decimals: 4)),
            CheckFigure("  at horizontal distance", .number(a.groundDistanceM, decimals: 1), "m")
        ]
        if let br = a.buildingRatio {
            figures.append(
                CheckFigure(
                    "largest exposure ratio on the building roof (\(f1(p.buildingHeightM ?? 0)) m + 2 m, from \(f1(p.buildingDistanceM ?? 0)) m)",
                    .number(br, decimals: 4)))
        }
        var details = settings.limits.bands.map { "limit \($0.text)" }
        for (s, share) in zip(sources, a.shares) where share > 0 {
            details.append(
                "\(s.id): \(String(format: "%.1f", s.frequencyMHz)) MHz, EIRP \(f1(s.eirpDBm)) dBm at \(f1(s.heightM)) m, \(pct(share)) % of the exposure sum")
        }
        if !a.unlisted.isEmpty { details.append("outside the limits table (not counted): " + a.unlisted.joined(separator: ", ")) }
        let outcome: CheckOutcome, summary: String
        if a.groundRatio >= 1 {
            outcome = .fail
            summary =
                "the exclusion zone reaches ground level: exposure ratio \(f2(a.groundRatio)) at 2 m above ground, \(f1(a.groundDistanceM)) m from the tower"
        } else if let br = a.buildingRatio, br >= 1 {
            outcome = .review
            summary =
                "the exclusion zone reaches the roof of the building (\(f1(p.buildingHeightM ?? 0)) m): exposure ratio \(f2(br)); site-specific assessment needed"
        } else if !a.unlisted.isEmpty {
            outcome = .review
            summary = "frequencies outside the limits table: " + a.unlisted.joined(separator: ", ")
        } else {
            outcome = .pass
            summary =
                "compliance distance \(f1(a.horizontalDistanceM)) m around the antennas; at ground level \(pct(a.groundRatio)) % of the limit"
                + (a.buildingRatio.map { ", on the building roof \(pct($0)) %" } ?? "")
        }
        return (CheckResult(id: "exposure", title: "RF exposure", outcome: outcome, summary: summary, figures: figures, details: details), a)
    }
}

// The complaint ranking: every emission of the register that reaches the victim's channel, ranked by I/N, exactly.
//
// Enumeration (each assignment once, each co-sited pair and triple whose product reaches the channel):
//  - co_channel / adjacent_channel: the interferer's channel within the screened range of the victim's service
//    (`ProtectionRatios.requirement`, as `tanso conflicts`): rejection = the part outside the channel (co-channel)
//    or the ACIR of the interferer's mask and the victim's selectivity (or the service's protection curve);
//  - harmonic: n·f (n in `harmonicOrders`, n·B wide) overlapping the channel, beyond the adjacent range, at the
//    SM.329 spurious limit of the transmitter, less the part outside the channel;
//  - spurious: any other transmitter beyond the adjacent range: one reference bandwidth at the SM.329 limit in the
//    victim's channel (the part inside a channel narrower than the reference bandwidth);
//  - intermodulation: 2f1 − f2, f1 + f2 − f3 (3rd order) and 3f1 − 2f2 (5th) of transmitters on one site (same
//    station_id or within `imSiteKm`, the sites of `tanso conflicts`), distinct frequencies, at the weakest
//    carrier's transmitter output less the attenuation, radiated without antenna gain from the site;
//  - blocking: a transmitter beyond the adjacent range within the victim's front end.
// Transmitter power P = EIRP − antenna gain (the gain when the register gives it, else 0: conservative); unwanted
// emissions are radiated with that gain and the transmitter's pattern.
//
// Exactness: each emission has an upper bound on its I/N, its level with both antennas at maximum gain over free
// space less 6.02 dB; paths are never taken below that (`InterferenceSettings.twoRayGainDB`), so the bound holds
// for every model. Emissions are evaluated in decreasing bound until the k-th best I/N found exceeds the next
// bound: the top k equal those of evaluating every emission (`bruteForce`, the test's reference).
import Foundation
import Synchronization
import Geo
import Propagation
import Radio
import Records

/// One way energy from the register can reach the victim, before the path.
struct Emission: Sendable {
    var mechanism: InterferenceMechanism
    /// Assignment indices: the transmitter, or f1, f2 [, f3] of a product.
    var members: [Int]
    /// Harmonic order, or the product's coefficients.
    var coefficients: [Int]
    var lat: Double, lon: Double, heightM: Double
    /// Level at the source toward the antenna's boresight, dBm (products: isotropic).
    var eirpDBm: Double
    /// The assignment whose antenna pattern applies (nil: isotropic).
    var antenna: Int?
    /// Frequency of the emission (the path's), MHz, and its width, kHz.
    var frequencyMHz: Double, widthKHz: Double
    var rejectionDB: Double
    /// N, or the blocking level.
    var referenceDBm: Double
    /// The rule that set the level or the rejection, for the explanation.
    var rule: String
    /// Upper bound of I/N, dB (set by the search).
    var boundDB = 0.0
}

public struct InterferenceSearch: Sendable {
    public let complaint: Complaint
    public let settings: InterferenceSettings
    public let terrain: TerrainPaths?

    public init(complaint: Complaint, settings: InterferenceSettings = InterferenceSettings(), terrain: TerrainPaths? = nil) {
        self.complaint = complaint; self.settings = settings; self.terrain = terrain
    }

    // MARK: the search

    /// The exact top `settings.top` candidates.
    public func run(_ register: [Assignment]) -> (candidates: [InterferenceCandidate], statistics: InterferenceStatistics) {
        let t0 = Date()
        let assignments = considered(register)
        var stats = InterferenceStatistics()
        stats.assignments = assignments.count
        var all = (singleEmissions(assignments) + intermodulationEmissions(assignments, stats: &stats)).filter { settings.mechanisms.contains($0.mechanism) }
        for e in all { stats.enumerated[e.mechanism, default: 0] += 1 }
        for k in all.indices { all[k].boundDB = bound(all[k]) }
        // Decreasing bound; equal bounds (the sectors of one site) in a fixed order.
        let keys = all.map { Self.key($0, assignments) }
        let order = all.indices.sorted { all[$0].boundDB != all[$1].boundDB ? all[$0].boundDB > all[$1].boundDB : keys[$0] < keys[$1] }
        let emissions = order.map { all[$0] }
        var found: [InterferenceCandidate] = []
        var next = 0, batch = max(16, settings.threads * 16)
        let k = max(1, settings.top)
        while next < emissions.count {
            if found.count >= k && emissions[next].boundDB < found[k - 1].iOverNDB { break }
            var end = min(emissions.count, next + batch)
            if found.count >= k { while end > next + 1 && emissions[end - 1].boundDB < found[k - 1].iOverNDB { end -= 1 } }
            let part = evaluate(Array(emissions[next..<end]), assignments, fallbacks: &stats.terrainFallbacks)
            stats.evaluated += part.count
            found = Array((found + part).sorted(by: InterferenceCandidate.ranked).prefix(k))
            next = end
            batch *= 2
        }
        stats.seconds = Date().timeIntervalSince(t0)
        return (found, stats)
    }

    /// Every emission evaluated, no bound, no index: all single assignments, all ordered pairs and all triples of the
    /// register checked for a common site (the reference of the exactness test).
    func bruteForce(_ register: [Assignment]) -> [InterferenceCandidate] {
        let assignments = considered(register)
        var emissions: [Emission] = []
        for k in assignments.indices { emissions += singleEmissions(of: k, assignments) }
        let site = siteIndex(assignments)
        let n = assignments.count
        for i in 0..<n {
            for j in 0..<n where j != i && site[i] >= 0 && site[i] == site[j] {
                for (c, order) in [([2, -1], 3), ([3, -2], 5)] {
                    if let e = product([i, j], c, order: order, assignments) { emissions.append(e) }
                }
                guard i < j else { continue }
                for m in 0..<n where m != i && m != j && site[m] == site[i] {
                    if let e = product([i, j, m], [1, 1, -1], order: 3, assignments) { emissions.append(e) }
                }
            }
        }
        var fallbacks = 0
        return evaluate(emissions, assignments, fallbacks: &fallbacks).sorted(by: InterferenceCandidate.ranked)
    }

    /// Overlaps below this are rounding noise of channels that touch, kHz.
    static let touchKHz = 1e-6

    /// The register without the victim's own stations.
    func considered(_ register: [Assignment]) -> [Assignment] {
        settings.excludedStations.isEmpty ? register : register.filter { !settings.excludedStations.contains($0.stationID) }
    }

    static func key(_ e: Emission, _ assignments: [Assignment]) -> String {
        e.mechanism.rawValue + "|" + e.members.map { assignments[$0].id }.joined(separator: ";")
    }

    // MARK: enumeration

    func singleEmissions(_ assignments: [Assignment]) -> [Emission] {
        var out: [Emission] = []
        for k in assignments.indices { out += singleEmissions(of: k, assignments) }
        return out
    }

    /// Transmitter power (dBm) and the antenna gain it is radiated with (dBi).
    static func power(_ a: Assignment) -> (powerDBm: Double, gainDBi: Double) {
        let g = a.antennaGainDBi ?? 0
        return (a.eirpDBm - g, g)
    }

    /// Co-/adjacent-channel, harmonic, spurious and blocking emissions of one assignment.
    func singleEmissions(of k: Int, _ assignments: [Assignment]) -> [Emission] {
        let a = assignments[k], v = complaint.channel, noise = complaint.noiseDBm
        func emission(
            _ m: InterferenceMechanism, eirp: Double, f: Double, width: Double, rejection: Double, ref: Double, rule: String, n: [Int] = []
        ) -> Emission {
            Emission(
                mechanism: m, members: [k], coefficients: n, lat: a.latitude, lon: a.longitude, heightM: a.antennaHeightM,
                eirpDBm: eirp, antenna: k, frequencyMHz: f, widthKHz: width, rejectionDB: rejection, referenceDBm: ref, rule: rule)
        }
        // Channels that only touch (an overlap of rounding noise, 450.0125 and 450.025 MHz at 12.5 kHz) are adjacent:
        // the interferer is moved 1 Hz apart for the mask look-up.
        var tx = a.tx
        if v.overlapKHz(with: tx) > 0 && v.overlapKHz(with: tx) < Self.touchKHz {
            tx.centreMHz += (tx.centreMHz >= v.centreMHz ? 1 : -1) * 1e-6
        }
        if let req = settings.protection.requirement(victimService: complaint.service, victim: v, interferer: tx) {
            let co = v.overlapKHz(with: tx) > 0
            return [
                emission(
                    co ? .coChannel : .adjacentChannel, eirp: a.eirpDBm, f: a.tx.centreMHz, width: a.tx.bandwidthKHz,
                    rejection: req.rejectionDB, ref: noise, rule: req.basis)
            ]
        }
        var out: [Emission] = []
        let (p, g) = Self.power(a)
        let limit = SpuriousLimits.limitDBm(service: a.service, powerDBm: p, carrierMHz: a.tx.centreMHz)
        let rule = SpuriousLimits.rule(service: a.service, carrierMHz: a.tx.centreMHz)
        if let n = settings.harmonicOrders.first(where: {
            v.overlapKHz(with: Channel(centreMHz: Double($0) * a.tx.centreMHz, bandwidthKHz: Double($0) * a.tx.bandwidthKHz)) >= Self.touchKHz
        }) {
            let h = Channel(centreMHz: Double(n) * a.tx.centreMHz, bandwidthKHz: Double(n) * a.tx.bandwidthKHz)
            let overlap = v.overlapKHz(with: h)
            let rejection = h.bandwidthKHz > overlap ? -10 * log10(overlap / h.bandwidthKHz) : 0
            out.append(
                emission(.harmonic, eirp: limit + g, f: h.centreMHz, width: h.bandwidthKHz, rejection: rejection, ref: noise, rule: rule, n: [n]))
        } else {
            let ref = SpuriousLimits.referenceBandwidthKHz(frequencyMHz: v.centreMHz)
            out.append(
                emission(
                    .spurious, eirp: limit + g, f: v.centreMHz, width: ref, rejection: max(0, -10 * log10(v.bandwidthKHz / ref)), ref: noise,
                    rule: rule + " per \(khzText(ref)) kHz"))
        }
        let block = settings.blocking.entry(complaint.service)
        if abs(a.tx.centreMHz - v.centreMHz) <= settings.blocking.frontEndMHz(complaint.service, frequencyMHz: v.centreMHz) {
            out.append(
                emission(
                    .blocking, eirp: a.eirpDBm, f: a.tx.centreMHz, width: a.tx.bandwidthKHz, rejection: 0, ref: block.blockingDBm,
                    rule: "blocking level \(db(block.blockingDBm)) dBm of a \(complaint.service) receiver"))
        }
        return out
    }

    /// Site of each assignment (-1: not an intermodulation source or alone), the sites of `tanso conflicts`.
    func siteIndex(_ assignments: [Assignment]) -> [Int] {
        var conflictSettings = ConflictSettings()
        conflictSettings.imSiteKm = settings.imSiteKm
        let excluded = assignments.map { settings.imExcludedServices.contains($0.serviceKind) }
        var site = [Int](repeating: -1, count: assignments.count)
        for (s, members) in ConflictScreening(settings: conflictSettings).sites(assignments, excluded: excluded).enumerated() {
            for m in members { site[m] = s }
        }
        return site
    }

    /// The product Σ c·f of `members` when it reaches the victim's channel (distinct carrier frequencies).
    func product(_ members: [Int], _ c: [Int], order: Int, _ assignments: [Assignment]) -> Emission? {
        let ch = members.map { assignments[$0].tx }
        guard Set(ch.map(\.centreMHz)).count == ch.count else { return nil }
        let f = zip(c, ch).reduce(0.0) { $0 + Double($1.0) * $1.1.centreMHz }
        let width = zip(c, ch).reduce(0.0) { $0 + Double(abs($1.0)) * $1.1.bandwidthKHz }
        guard f > 0 else { return nil }
        let prod = Channel(centreMHz: f, bandwidthKHz: width)
        let overlap = complaint.channel.overlapKHz(with: prod)
        guard overlap >= Self.touchKHz else { return nil }
        let attenuation = order == 3 ? settings.im3AttenuationDB : settings.im5AttenuationDB
        let weakest = members.map { Self.power(assignments[$0]).powerDBm }.min()!
        let lat = members.reduce(0.0) { $0 + assignments[$1].latitude } / Double(members.count)
        let lon = members.reduce(0.0) { $0 + assignments[$1].longitude } / Double(members.count)
        return Emission(
            mechanism: .intermodulation, members: members, coefficients: c, lat: lat, lon: lon,
            heightM: members.map { assignments[$0].antennaHeightM }.max()!, eirpDBm: weakest - attenuation, antenna: nil,
            frequencyMHz: f, widthKHz: width, rejectionDB: width > overlap ? -10 * log10(overlap / width) : 0,
            referenceDBm: complaint.noiseDBm,
            rule: "\(order == 3 ? "3rd" : "5th")-order, weakest carrier \(db(weakest)) dBm − \(db(attenuation)) dB")
    }

    /// Products of co-sited transmitters that reach the victim's channel: per site, carriers sorted by frequency and,
    /// for each f1 (and f1 + f2), the other term found by binary search in the window the channel allows.
    func intermodulationEmissions(_ assignments: [Assignment], stats: inout InterferenceStatistics) -> [Emission] {
        let site = siteIndex(assignments)
        var members: [Int: [Int]] = [:]
        for (k, s) in site.enumerated() where s >= 0 { members[s, default: []].append(k) }
        let fv = complaint.frequencyMHz, bv = complaint.bandwidthKHz
        var out: [Emission] = []
        for s in members.keys.sorted() {
            let m = members[s]!.sorted { assignments[$0].tx.centreMHz < assignments[$1].tx.centreMHz }
            guard m.count >= 2 else { continue }
            stats.intermodulationSites += 1
            let f = m.map { assignments[$0].tx.centreMHz }
            let maxBW = m.map { assignments[$0].tx.bandwidthKHz }.max()!
            /// Members whose frequency lies in [lo, hi].
            func within(_ lo: Double, _ hi: Double) -> ArraySlice<Int> {
                var a = 0, b = f.count
                while a < b { let mid = (a + b) / 2; if f[mid] < lo { a = mid + 1 } else { b = mid } }
                var e = a
                while e < f.count && f[e] <= hi { e += 1 }
                return m[a..<e]
            }
            for i in m {
                let fi = assignments[i].tx.centreMHz, bi = assignments[i].tx.bandwidthKHz
                // 2f1 − f2 reaches the channel only if |2f1 − f2 − fv| < (2B1 + B2 + Bv)/2.
                let w3 = (2 * bi + maxBW + bv) / 2000 + 1e-9
                for j in within(2 * fi - fv - w3, 2 * fi - fv + w3) where j != i {
                    if let e = product([i, j], [2, -1], order: 3, assignments) { out.append(e) }
                }
                let w5 = (3 * bi + 2 * maxBW + bv) / 2000 + 1e-9
                for j in within((3 * fi - fv - w5) / 2, (3 * fi - fv + w5) / 2) where j != i {
                    if let e = product([i, j], [3, -2], order: 5, assignments) { out.append(e) }
                }
            }
            guard m.count >= 3 else { continue }
            let byIndex = m.sorted()
            for (x, i) in byIndex.enumerated() {
                for j in byIndex[(x + 1)...] {
                    let sum = assignments[i].tx.centreMHz + assignments[j].tx.centreMHz
                    let w = (assignments[i].tx.bandwidthKHz + assignments[j].tx.bandwidthKHz + maxBW + bv) / 2000 + 1e-9
                    for k in within(sum - fv - w, sum - fv + w) where k != i && k != j {
                        if let e = product([i, j, k], [1, 1, -1], order: 3, assignments) { out.append(e) }
                    }
                }
            }
        }
        return out
    }

    // MARK: bound and evaluation

    func distanceKm(_ e: Emission) -> Double {
        max(settings.minDistanceKm, Geodesy.distanceKm(e.lat, e.lon, complaint.latitude, complaint.longitude))
    }

    /// Free space less the two-ray gain: no path loses less.
    func lossFloorDB(distanceKm: Double, frequencyMHz: Double) -> Double {
        FreeSpace.lossDB(distanceKm: distanceKm, frequencyMHz: frequencyMHz) - InterferenceSettings.twoRayGainDB
    }

    /// I/N with both antennas at their maximum gain over the loss floor, dB.
    func bound(_ e: Emission) -> Double {
        e.eirpDBm - lossFloorDB(distanceKm: distanceKm(e), frequencyMHz: e.frequencyMHz) + complaint.rxGainDBi - e.rejectionDB - e.referenceDBm
    }

    struct PathKey: Hashable { var lat: Double, lon: Double, heightM: Double, frequencyMHz: Double }

    /// Path loss from a source to the victim (dB, never below the floor) and the model's name.
    func pathLoss(_ key: PathKey, fallback: inout Bool) -> (lossDB: Double, model: String) {
        let d = max(settings.minDistanceKm, Geodesy.distanceKm(key.lat, key.lon, complaint.latitude, complaint.longitude))
        var loss: Double, model = "simple model"
        if let terrain, d > 0.05 {
            do {
                loss = try terrain.lossDB(
                    fromLat: key.lat, fromLon: key.lon, toLat: complaint.latitude, toLon: complaint.longitude,
                    frequencyMHz: key.frequencyMHz, txHeightM: key.heightM, rxHeightM: complaint.rxHeightM)
                model = "\(terrain.model.id.rawValue) over the DEM"
            } catch {
                fallback = true
                loss = simpleLoss(d, key)
            }
        } else {
            loss = simpleLoss(d, key)
        }
        let floor = lossFloorDB(distanceKm: d, frequencyMHz: key.frequencyMHz)
        return loss < floor ? (floor, model + ", raised to free space − 6 dB") : (loss, model)
    }

    func simpleLoss(_ d: Double, _ key: PathKey) -> Double {
        ConflictPropagation.simpleLossDB(
            distanceKm: d, frequencyMHz: key.frequencyMHz, txHeightM: key.heightM, rxHeightM: complaint.rxHeightM,
            lineOfSight: false, environment: settings.environment)
    }

    /// The emissions' paths (each distinct one once, in parallel), then their candidates.
    func evaluate(_ emissions: [Emission], _ assignments: [Assignment], fallbacks: inout Int) -> [InterferenceCandidate] {
        let keys = emissions.map { PathKey(lat: $0.lat, lon: $0.lon, heightM: $0.heightM, frequencyMHz: $0.frequencyMHz) }
        var unique: [PathKey] = [], slot: [PathKey: Int] = [:]
        for k in keys where slot[k] == nil { slot[k] = unique.count; unique.append(k) }
        let results = Mutex([(Double, String, Bool)](repeating: (0, "", false), count: unique.count))
        let list = unique
        DispatchQueue.concurrentPerform(iterations: min(list.count, max(1, settings.threads) * 4)) { chunk in
            let n = min(list.count, max(1, settings.threads) * 4)
            var local: [(Int, (Double, String, Bool))] = []
            for u in stride(from: chunk, to: list.count, by: n) {
                var fb = false
                let r = pathLoss(list[u], fallback: &fb)
                local.append((u, (r.lossDB, r.model, fb)))
            }
            results.withLock { for (u, r) in local { $0[u] = r } }
        }
        let paths = results.withLock { $0 }
        fallbacks += paths.filter(\.2).count
        return zip(emissions, keys).map { e, key in
            let p = paths[slot[key]!]
            return candidate(e, lossDB: p.0, model: p.1, assignments)
        }
    }

    /// Transmit discrimination toward the victim (dB ≤ 0): the F.699 pattern of fixed links with a gain, else the
    /// 3GPP sector pattern, as `tanso conflicts`; 0 for omnidirectional antennas and products.
    func transmitDiscriminationDB(_ e: Emission, _ assignments: [Assignment]) -> Double {
        guard let k = e.antenna, let az = assignments[k].azimuthDeg,
            Geodesy.distanceKm(e.lat, e.lon, complaint.latitude, complaint.longitude) > 1e-3
        else { return 0 }
        let a = assignments[k]
        let off = Geodesy.angleDiffDeg(Geodesy.bearingDeg(e.lat, e.lon, complaint.latitude, complaint.longitude), az)
        if let g = a.antennaGainDBi, a.serviceKind == .fixed { return ReferencePattern.f699RelativeDB(maxGainDBi: g, offAxisDeg: off) }
        return SectorAntenna().relativeGainDB(offAzimuthDeg: off, depressionDeg: 0, mechanicalTiltDeg: 0, electricalTiltDeg: 0)
    }

    /// Receive gain toward the source, dBi.
    func receiveGainDBi(_ e: Emission) -> Double {
        guard let az = complaint.rxAzimuthDeg, Geodesy.distanceKm(e.lat, e.lon, complaint.latitude, complaint.longitude) > 1e-3 else {
            return complaint.rxGainDBi
        }
        let off = Geodesy.angleDiffDeg(Geodesy.bearingDeg(complaint.latitude, complaint.longitude, e.lat, e.lon), az)
        return complaint.rxGainDBi + SectorAntenna().relativeGainDB(offAzimuthDeg: off, depressionDeg: 0, mechanicalTiltDeg: 0, electricalTiltDeg: 0)
    }

    func candidate(_ e: Emission, lossDB: Double, model: String, _ assignments: [Assignment]) -> InterferenceCandidate {
        let tx = transmitDiscriminationDB(e, assignments), rx = receiveGainDBi(e)
        let received = e.eirpDBm + tx - lossDB + rx
        let interference = received - e.rejectionDB
        let iOverN = interference - e.referenceDBm
        let d = distanceKm(e)
        let chain = [
            source(e, assignments),
            "level \(db(e.eirpDBm)) dBm (\(e.rule))",
            "path \(km(d)) km, loss \(db(lossDB)) dB (\(model))",
            "transmit discrimination \(db(tx)) dB, receive gain \(db(rx)) dBi",
            e.mechanism == .blocking
                ? "blocker \(db(received)) dBm at the receiver input against the blocking level \(db(e.referenceDBm)) dBm: equivalent I/N \(db(iOverN)) dB"
                : "rejection \(db(e.rejectionDB)) dB: I = \(db(interference)) dBm, N = \(db(e.referenceDBm)) dBm (kTB + NF \(db(complaint.noiseFigureDB)) dB), I/N \(db(iOverN)) dB",
            "margin \(db(settings.criterionIOverNDB - iOverN)) dB against the I/N criterion \(db(settings.criterionIOverNDB)) dB"
                + (iOverN > settings.criterionIOverNDB ? " (exceeded)" : "")
        ]
        return InterferenceCandidate(
            mechanism: e.mechanism, assignmentIDs: e.members.map { assignments[$0].id },
            frequenciesMHz: e.members.map { assignments[$0].tx.centreMHz }, emissionMHz: e.frequencyMHz,
            interferenceDBm: e.mechanism == .blocking ? received : interference, iOverNDB: iOverN,
            marginDB: settings.criterionIOverNDB - iOverN, distanceKm: d, pathLossDB: lossDB,
            sourceLatitude: e.lat, sourceLongitude: e.lon, explanation: chain.joined(separator: "; "))
    }

    /// The first link of the chain: who emits what on which frequency.
    func source(_ e: Emission, _ assignments: [Assignment]) -> String {
        let a = assignments[e.members[0]]
        let v = "the victim's \(mhzText(complaint.frequencyMHz)) MHz channel (\(khzText(complaint.bandwidthKHz)) kHz)"
        switch e.mechanism {
        case .coChannel, .adjacentChannel:
            return "\(a.id) (\(a.service), \(a.stationID)) transmits \(mhzText(a.tx.centreMHz)) MHz / \(khzText(a.tx.bandwidthKHz)) kHz, "
                + "\(khzText(abs(a.tx.centreMHz - complaint.frequencyMHz) * 1000)) kHz from \(v)"
        case .harmonic:
            let n = e.coefficients[0]
            return
                "harmonic \(n) of \(a.id) (\(a.service), \(a.stationID)): \(n) × \(mhzText(a.tx.centreMHz)) = \(mhzText(e.frequencyMHz)) MHz (\(khzText(e.widthKHz)) kHz wide) in \(v)"
        case .spurious:
            return "spurious emissions of \(a.id) (\(a.service), \(a.stationID), \(mhzText(a.tx.centreMHz)) MHz) in \(v)"
        case .blocking:
            return
                "\(a.id) (\(a.service), \(a.stationID)) at \(mhzText(a.tx.centreMHz)) MHz, \(db(abs(a.tx.centreMHz - complaint.frequencyMHz))) MHz from the victim, within its front end"
        case .intermodulation:
            let terms = zip(e.coefficients, e.members).map { c, k -> String in
                let f = mhzText(assignments[k].tx.centreMHz)
                return (c < 0 ? " − " : " + ") + (abs(c) == 1 ? f : "\(abs(c))·\(f)")
            }
            var formula = terms.joined()
            formula.removeFirst(3)
            let order = e.coefficients.map(abs).reduce(0, +)
            return
                "\(order == 3 ? "3rd" : "5th")-order intermodulation of \(e.members.map { assignments[$0].id }.joined(separator: ", ")) on site \(a.stationID): "
                + "\(formula) = \(mhzText(e.frequencyMHz)) MHz (\(khzText(e.widthKHz)) kHz wide) in \(v)"
        }
    }
}

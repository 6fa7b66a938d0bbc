// The free-channel finder: every channel of a service's raster for a proposed station, judged in both directions
// and by the register checks of `tanso conflicts`, then ranked.
//
// Rasters: FM 87.5–108 MHz at 100 kHz (206 centres; 87.5 and 108.0 put half of a 200 kHz carrier outside the band,
// which the band-plan check reports); UHF TV 470–694 MHz at 8 MHz (channels 21–48, centre 306 + 8N MHz); land
// mobile at 12.5 kHz in the band plan's land_mobile allocations.
//
// Broadcasting (FM, DVB-T2), on the grid of `tanso broadcast`:
//   - the fields of the existing stations and of the proposed one are computed once (terrain does not change with
//     the channel; the proposed station's field at the band's centre frequency: P.1546 varies by < 1 dB across
//     87.5–108 MHz, ~1.5 dB across 470–694 MHz — a simplification stated in the output);
//   - taken from others: cells an existing station serves (interference-limited) where its usable field strength
//     with the proposed station's nuisance field added (power sum) exceeds its wanted field;
//   - its own service: cells where its wanted field reaches the power sum of its minimum field and the existing
//     stations' nuisance fields at that channel.
// Every service: the register checks (co/adjacent channel, intermodulation, duplicates, out of plan) of the
// proposed assignment against the register, with the settings of `tanso conflicts`; only conflicts that involve
// the proposed assignment count. The screening runs on the assignments that can interact with it: those within
// the frequency window of the largest protection requirement, and, when another carrier shares its site (within
// 3 × the intermodulation site distance), that site's carriers and the station and link receivers within the
// intermodulation victim distance (the proposal itself has no receiver, so it is never an intermodulation victim).
//
// Ranking: no register conflict first; then the fewest people taken from existing services, the most people
// served, the least area taken, and (land mobile) the farthest co-channel assignment.
import Dispatch
import Foundation
import Geo
import Synchronization
import Radio
import Records

public struct ChannelProposal: Sendable {
    public var service: String
    public var latitude: Double, longitude: Double
    public var antennaHeightM: Double
    public var power: RadiatedPower
    public var id = "PROPOSED"
    /// A directional antenna: its azimuth (degrees from true north) and the pattern file's name in the antenna
    /// library the fields are computed with (nil: omnidirectional).
    public var azimuthDeg: Double? = nil
    public var antennaPattern: String? = nil
    public init(service: String, latitude: Double, longitude: Double, antennaHeightM: Double, power: RadiatedPower) {
        self.service = service; self.latitude = latitude; self.longitude = longitude
        self.antennaHeightM = antennaHeightM; self.power = power
    }

    /// The proposal as a register row on `channel`.
    public func assignment(on channel: Channel) -> Assignment {
        Assignment(
            id: id, stationID: id, licensee: "applicant", service: service, latitude: latitude, longitude: longitude, tx: channel,
            antennaHeightM: antennaHeightM, eirpDBm: power.eirpDBm, azimuthDeg: azimuthDeg, antennaPattern: antennaPattern)
    }
}

public struct ChannelVerdict: Sendable {
    public var channel: Channel
    public var label: String
    /// Conflicts of the register checks that involve the proposed assignment.
    public var conflicts: [Conflict]
    public var populationTaken: Int, areaTakenKm2: Double
    /// Existing stations that lose service, with the people each loses.
    public var victims: [(id: String, population: Int)]
    public var populationServed: Int?, areaServedKm2: Double?
    /// Distance to the nearest assignment on an overlapping channel, km (nil: none).
    public var nearestCoChannelKm: Double?
    public var rank = 0
    public var reasons: String = ""
}

public enum ChannelRaster {
    /// The channel centres of a service's raster, with labels.
    public static func channels(service: String, bandPlan: BandPlan?) -> [(channel: Channel, label: String)] {
        switch service {
        case "broadcast_fm":
            return (875...1080).map { k in
                let f = Double(k) / 10
                return (Channel(centreMHz: f, bandwidthKHz: 200), String(format: "%.1f MHz", f))
            }
        case "broadcast_tv":
            return (21...48).map { n in (Channel(centreMHz: 306 + 8 * Double(n), bandwidthKHz: 7610), "ch \(n) (\(306 + 8 * n) MHz)") }
        default:
            let plan = bandPlan ?? .vietnamDefault
            var out: [(Channel, String)] = []
            for a in plan.allocations where a.services.contains(service) {
                var k = Int((a.lowMHz * 80).rounded(.up)) + 1 // centres at multiples of 12.5 kHz, ≥ 6.25 kHz inside the band
                while Double(k) / 80 + 0.00625 <= a.highMHz + 1e-9 {
                    let f = Double(k) / 80
                    out.append((Channel(centreMHz: f, bandwidthKHz: 12.5), String(format: "%.4f MHz", f)))
                    k += 1
                }
            }
            return out
        }
    }
}

public enum ChannelFinder {
    /// The centre frequency at which the proposed station's field is computed once for all channels.
    public static func referenceMHz(service: String) -> Double { service == "broadcast_tv" ? 578 : 97.8 }

    /// Register checks of the proposal on every channel (all services). `screening` holds the settings of
    /// `tanso conflicts`.
    public static func registerChecks(
        _ proposal: ChannelProposal, channels: [(channel: Channel, label: String)], register: [Assignment], screening: ConflictScreening
    ) -> [ChannelVerdict] {
        let s = screening.settings
        // Intermodulation with the proposal needs a carrier on its site; its products hit station and link receivers
        // (the proposal has none) within the victim distance. Without a co-sited carrier nothing nearby matters.
        func km(_ a: Assignment) -> Double { Geodesy.distanceKm(proposal.latitude, proposal.longitude, a.latitude, a.longitude) }
        let coSited = register.filter { km($0) <= 3 * s.imSiteKm }
        let nearSite =
            coSited.isEmpty
            ? [] : coSited + register.filter { km($0) > 3 * s.imSiteKm && km($0) <= s.imVictimKm + 1 && ($0.rx != nil || $0.linkReceiver != nil) }
        let sorted = register.sorted { $0.tx.centreMHz < $1.tx.centreMHz }
        let lows = sorted.map(\.tx.centreMHz)
        // The widest window any pair with the proposal can be screened in (ProtectionRatios.screeningWindowKHz).
        let bwP = (channels.first?.channel.bandwidthKHz ?? 0) / 1000, bwMax = (register.map(\.tx.bandwidthKHz).max() ?? 0) / 1000
        let windowMHz = max(s.protection.largestCurveOffsetKHz / 1000, (bwP + bwMax) / 2 + 2 * max(bwP, bwMax)) + 0.001
        // One screening per channel, on one thread each, the channels spread over the cores.
        var single = s
        single.threads = 1
        let one = ConflictScreening(settings: single, terrain: screening.terrain)
        let out = Mutex<[Int: ChannelVerdict]>([:])
        DispatchQueue.concurrentPerform(iterations: channels.count) { k in
            let (ch, label) = channels[k]
            let me = proposal.assignment(on: ch)
            let lo = lower(lows, ch.centreMHz - windowMHz), hi = lower(lows, ch.centreMHz + windowMHz + 1e-9)
            var subset = Array(sorted[lo..<hi])
            let ids = Set(subset.map(\.id))
            subset += nearSite.filter { !ids.contains($0.id) }
            let (conflicts, _) = one.run(subset + [me])
            let mine = conflicts.filter { [$0.aID, $0.bID, $0.cID].contains(me.id) }
            var nearest: Double? = nil
            for a in subset where a.tx.overlapKHz(with: ch) > 0 {
                let d = Geodesy.distanceKm(proposal.latitude, proposal.longitude, a.latitude, a.longitude)
                nearest = min(nearest ?? .infinity, d)
            }
            let v = ChannelVerdict(
                channel: ch, label: label, conflicts: mine, populationTaken: 0, areaTakenKm2: 0, victims: [], populationServed: nil,
                areaServedKm2: nil, nearestCoChannelKm: nearest)
            out.withLock { $0[k] = v }
        }
        let all = out.withLock { $0 }
        return (0..<channels.count).map { all[$0]! }
    }

    static func lower(_ xs: [Double], _ x: Double) -> Int {
        var lo = 0, hi = xs.count
        while lo < hi {
            let m = (lo + hi) / 2
            if xs[m] < x { lo = m + 1 } else { hi = m }
        }
        return lo
    }

    /// Both directions in field strength for a broadcasting proposal, on the fields of the existing stations
    /// (`plan`, `fields`) and of the proposed one (`own`: 50 % and 1 % of time on the same grid).
    public static func broadcastDirections(
        _ verdicts: inout [ChannelVerdict], proposal: ChannelProposal, plan: BroadcastPlanResult, fields: BroadcastFields,
        own: (wanted: [Float], interfering: [Float]), populationPerCell pop: [Int32], settings: BroadcastSettings
    ) throws {
        guard let minimum = settings.minimumField(proposal.service) else {
            throw StudyError("no minimum field strength for service '\(proposal.service)'")
        }
        let nodata = CoverageResult.nodata
        let cellKm2 = fields.spec.resolutionM * fields.spec.resolutionM / 1e6
        let emed = minimum.medianDBuVm
        // What does not change with the channel, found once: the cells each existing station serves where the
        // proposal's 1 % field reaches, and the cells where the proposal's 50 % field reaches its minimum.
        let exposed: [[Int]] = plan.stations.map { s in
            (0..<s.serviceClass.count).filter { s.serviceClass[$0] == 2 && own.interfering[$0] != nodata }
        }
        let reached = (0..<own.wanted.count).filter { own.wanted[$0] != nodata && Double(own.wanted[$0]) >= emed }
        for v in verdicts.indices {
            let ch = verdicts[v].channel
            // Taken from others.
            var takenCells = 0, takenPop = 0
            var victims: [(String, Int)] = []
            for s in plan.stations {
                guard
                    let pr = settings.criteria.protectionRatioDB(
                        victim: s.assignment.service, interferer: proposal.service, victimMHz: s.assignment.tx.centreMHz, interfererMHz: ch.centreMHz)
                else { continue }
                let ew = fields.wanted[s.index]
                var lostPop = 0, lostCells = 0
                for c in exposed[s.index] where Double(ew[c]) < powerSum(Double(s.usableDBuVm[c]), Double(own.interfering[c]) + pr) {
                    lostCells += 1; lostPop += Int(pop[c])
                }
                if lostCells > 0 { victims.append((s.assignment.id, lostPop)) }
                takenCells += lostCells; takenPop += lostPop
            }
            // Its own service.
            var rel: [(index: Int, ratio: Double)] = []
            for s in plan.stations {
                if let pr = settings.criteria.protectionRatioDB(
                    victim: proposal.service, interferer: s.assignment.service, victimMHz: ch.centreMHz, interfererMHz: s.assignment.tx.centreMHz)
                {
                    rel.append((s.index, pr))
                }
            }
            var servedCells = 0, servedPop = 0
            var terms: [Double] = []
            for c in reached {
                terms.removeAll(keepingCapacity: true)
                terms.append(emed)
                for r in rel where fields.interfering[r.index][c] != nodata { terms.append(Double(fields.interfering[r.index][c]) + r.ratio) }
                if Double(own.wanted[c]) >= DB.powerSum(terms) { servedCells += 1; servedPop += Int(pop[c]) }
            }
            verdicts[v].populationTaken = takenPop
            verdicts[v].areaTakenKm2 = Double(takenCells) * cellKm2
            verdicts[v].victims = victims.sorted { $0.1 > $1.1 }
            verdicts[v].populationServed = servedPop
            verdicts[v].areaServedKm2 = Double(servedCells) * cellKm2
        }
    }

    /// `DB.powerSum([a, b])` without building an array (the same operations in the same order: the same bits).
    @inline(__always) static func powerSum(_ a: Double, _ b: Double) -> Double {
        let m = max(a, b)
        guard m.isFinite else { return -.infinity }
        return m + 10 * log10(0 + pow(10, (a - m) / 10) + pow(10, (b - m) / 10))
    }

    /// Ranks the verdicts (1 = best) and writes each one's reasons.
    public static func rank(_ verdicts: [ChannelVerdict]) -> [ChannelVerdict] {
        let sorted = verdicts.sorted { a, b in
            let ka = (a.conflicts.isEmpty ? 0 : 1, a.conflicts.count, a.populationTaken, -(a.populationServed ?? 0))
            let kb = (b.conflicts.isEmpty ? 0 : 1, b.conflicts.count, b.populationTaken, -(b.populationServed ?? 0))
            if ka != kb { return ka < kb }
            if a.areaTakenKm2 != b.areaTakenKm2 { return a.areaTakenKm2 < b.areaTakenKm2 }
            let da = a.nearestCoChannelKm ?? .infinity, db = b.nearestCoChannelKm ?? .infinity
            if da != db { return da > db }
            return a.channel.centreMHz < b.channel.centreMHz
        }
        return sorted.enumerated().map { k, v in
            var x = v
            x.rank = k + 1
            x.reasons = reasons(v)
            return x
        }
    }

    static func reasons(_ v: ChannelVerdict) -> String {
        var parts: [String] = []
        if v.conflicts.isEmpty {
            parts.append("no register conflict")
        } else {
            let worst = v.conflicts.min { ($0.marginDB ?? 0) < ($1.marginDB ?? 0) }!
            let other = [worst.aID, worst.bID, worst.cID].compactMap { $0 }.filter { $0 != "PROPOSED" && !$0.isEmpty }.joined(separator: "/")
            parts.append(
                "\(v.conflicts.count) register conflict(s), worst \(worst.kind.rawValue) with \(other)"
                    + (worst.marginDB.map { String(format: " (margin %.1f dB)", $0) } ?? ""))
        }
        if v.populationServed != nil {
            if v.populationTaken == 0 {
                parts.append("takes no listeners from existing services")
            } else {
                let names = v.victims.prefix(3).map { "\($0.id) \($0.population)" }.joined(separator: ", ")
                parts.append(String(format: "takes %d people (%.1f km²) from existing services (%@)", v.populationTaken, v.areaTakenKm2, names))
            }
            parts.append(String(format: "serves %d people on %.1f km²", v.populationServed ?? 0, v.areaServedKm2 ?? 0))
        }
        if let d = v.nearestCoChannelKm {
            parts.append(String(format: "nearest overlapping assignment %.1f km", d))
        } else {
            parts.append("no overlapping assignment in the register")
        }
        return parts.joined(separator: "; ")
    }
}

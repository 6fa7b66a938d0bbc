// Intermodulation among transmitters sharing a site: 3rd-order products 2f1 − f2 and f1 + f2 − f3 and 5th-order
// 3f1 − 2f2, screened against the receive channels nearby (station receivers on rx_frequency_mhz and the
// receivers of fixed links).
//
// Sites: transmitters with the same station_id, or within `imSiteKm` of each other (transitively). Carriers
// are the distinct transmit channels of a site. A product's width is the sum of the widths of its terms
// weighted by their coefficients (2B1 + B2, B1 + B2 + B3, 3B1 + 2B2). Its level is the weakest carrier's
// transmitter output (EIRP less the antenna gain when the gain is known; the product is radiated without
// antenna gain) less the intermodulation attenuation (`im3AttenuationDB`, `im5AttenuationDB`) less the part of the product
// outside the victim's channel, then the path loss to the receiver (simple model); the margin is
// C/I − the victim service's co-channel protection ratio, C being the victim's wanted level. Negative margins
// are reported, with a = the victim, b = f1, c = the other carrier(s). Fixed links are not taken as sources
// (`imExcludedServices`): each has its own transmitter and dish.
import Foundation
import Geo
import Radio
import Records

extension ConflictScreening {
    struct Carrier { var channel: Channel; var members: [Int]; var eirp: Double; var heightM: Double }

    func sites(_ assignments: [Assignment], excluded: [Bool]) -> [[Int]] {
        let n = assignments.count
        var parent = Array(0..<n)
        func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
        func union(_ a: Int, _ b: Int) { let ra = find(a), rb = find(b); if ra != rb { parent[max(ra, rb)] = min(ra, rb) } }
        var byStation: [String: Int] = [:]
        byStation.reserveCapacity(n)
        for k in 0..<n where !excluded[k] {
            if let first = byStation[assignments[k].stationID] { union(first, k) } else { byStation[assignments[k].stationID] = k }
        }
        // Grid hashing at the site distance: the live records sorted by cell (row, then column), so that the three
        // cells of a neighbouring row are one run found by binary search. Positions read once, not per record copy.
        let lat = assignments.map(\.latitude), lon = assignments.map(\.longitude)
        let cellLat = Geodesy.degreesLatitude(km: max(settings.imSiteKm, 0.001))
        func coords(_ k: Int) -> (x: Int, y: Int) {
            let cellLon = cellLat / max(0.05, cos(lat[k] * .pi / 180))
            return (Int(floor(lon[k] / cellLon)), Int(floor(lat[k] / cellLat)))
        }
        let cellOf = (0..<n).map { excluded[$0] ? (x: 0, y: 0) : coords($0) }
        let sorted = (0..<n).filter { !excluded[$0] }.sorted { (cellOf[$0].y, cellOf[$0].x, $0) < (cellOf[$1].y, cellOf[$1].x, $1) }
        func firstAtOrAfter(y: Int, x: Int) -> Int {
            var lo = 0, hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if (cellOf[sorted[mid]].y, cellOf[sorted[mid]].x) < (y, x) { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        for k in sorted {
            let (x, y) = cellOf[k]
            for dy in -1...1 {
                var p = firstAtOrAfter(y: y + dy, x: x - 1)
                while p < sorted.count, cellOf[sorted[p]].y == y + dy, cellOf[sorted[p]].x <= x + 1 {
                    let m = sorted[p]
                    if m > k, Geodesy.distanceKm(lat[k], lon[k], lat[m], lon[m]) <= settings.imSiteKm { union(k, m) }
                    p += 1
                }
            }
        }
        var groups: [Int: [Int]] = [:]
        for k in 0..<n where !excluded[k] { groups[find(k), default: []].append(k) }
        return groups.values.filter { $0.count > 1 }.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    func intermodulation(
        _ assignments: [Assignment], victims: [Victim], index: ChannelIndex, excluded: [Bool],
        stats: inout ScreeningStatistics
    ) -> [Conflict] {
        var best: [String: Conflict] = [:]
        for site in sites(assignments, excluded: excluded) {
            // Distinct carriers.
            var carriers: [Carrier] = []
            var byChannel: [String: Int] = [:]
            for k in site where !settings.imExcludedServices.contains(assignments[k].serviceKind) {
                let a = assignments[k]
                // The product arises in transmitters and shared feeders: take the transmitter output (EIRP less the
                // antenna gain when known), radiated without antenna gain.
                let output = a.eirpDBm - max(0, a.antennaGainDBi ?? 0)
                let key = "\(Int((a.tx.centreMHz * 1e6).rounded()))/\(Int((a.tx.bandwidthKHz * 1000).rounded()))"
                if let c = byChannel[key] {
                    carriers[c].members.append(k); carriers[c].eirp = max(carriers[c].eirp, output)
                    carriers[c].heightM = max(carriers[c].heightM, a.antennaHeightM)
                } else {
                    byChannel[key] = carriers.count
                    carriers.append(Carrier(channel: a.tx, members: [k], eirp: output, heightM: a.antennaHeightM))
                }
            }
            guard carriers.count >= 2 else { continue }
            stats.intermodulationSites += 1
            let m = carriers.count
            let lat = site.map { assignments[$0].latitude }.reduce(0, +) / Double(site.count)
            let lon = site.map { assignments[$0].longitude }.reduce(0, +) / Double(site.count)
            func product(_ terms: [(coef: Int, carrier: Int)], order: Int) {
                let f = terms.reduce(0.0) { $0 + Double($1.coef) * carriers[$1.carrier].channel.centreMHz }
                let bw = terms.reduce(0.0) { $0 + Double(abs($1.coef)) * carriers[$1.carrier].channel.bandwidthKHz }
                guard f > 0 else { return }
                stats.intermodulationProducts += 1
                let prod = Channel(centreMHz: f, bandwidthKHz: bw)
                let eirp = terms.map { carriers[$0.carrier].eirp }.min()! - (order == 3 ? settings.im3AttenuationDB : settings.im5AttenuationDB)
                let height = terms.map { carriers[$0.carrier].heightM }.max()!
                for c in 0..<index.classes.count where !index.classes[c].entries.isEmpty {
                    let half = (bw + index.classes[c].maxBandwidthKHz) / 2000
                    _ = index.query(classIndex: c, lat: lat, lon: lon, radiusKm: settings.imVictimKm, fLo: f - half, fHi: f + half) { vi in
                        let v = victims[vi]
                        guard v.kind != .area else { return }
                        let overlap = v.channel.overlapKHz(with: prod)
                        guard overlap > 0 else { return }
                        let d = Geodesy.distanceKm(lat, lon, v.lat, v.lon)
                        guard d <= settings.imVictimKm else { return }
                        let va = assignments[v.assignment]
                        let fdr = bw > overlap ? -10 * log10(overlap / bw) : 0
                        let loss = ConflictPropagation.simpleLossDB(
                            distanceKm: max(d, settings.coSiteDistanceKm), frequencyMHz: f,
                            txHeightM: height, rxHeightM: v.heightM,
                            lineOfSight: va.serviceKind == .fixed, environment: settings.environment)
                        let interference = eirp - fdr - loss
                        let required =
                            va.protectionRatioDB ?? settings.protection.curves[va.service]?.first?.requiredDB
                            ?? settings.protection.parameters(va.service).coChannelDB
                        let margin = (v.wantedDBm - interference) - required
                        guard margin < 0 else { return }
                        let ids = terms.map { carriers[$0.carrier].members.map { assignments[$0].id }.sorted()[0] }
                        let formula: String
                        switch (order, terms.count) {
                        case (3, 2):
                            formula = "2·\(mhzText(carriers[terms[0].carrier].channel.centreMHz)) − \(mhzText(carriers[terms[1].carrier].channel.centreMHz))"
                        case (3, _):
                            formula =
                                "\(mhzText(carriers[terms[0].carrier].channel.centreMHz)) + \(mhzText(carriers[terms[1].carrier].channel.centreMHz)) − \(mhzText(carriers[terms[2].carrier].channel.centreMHz))"
                        default:
                            formula = "3·\(mhzText(carriers[terms[0].carrier].channel.centreMHz)) − 2·\(mhzText(carriers[terms[1].carrier].channel.centreMHz))"
                        }
                        let name = order == 3 ? (terms.count == 2 ? "3rd-order 2f1 − f2" : "3rd-order f1 + f2 − f3") : "5th-order 3f1 − 2f2"
                        let siteName = assignments[site[0]].stationID
                        let text =
                            "\(name) product of \(ids.joined(separator: ", ")) on site \(siteName): \(formula) = \(mhzText(f)) MHz (\(khzText(bw)) kHz wide)"
                            + " falls in \(va.id)'s receive channel \(mhzText(v.channel.centreMHz)) MHz (overlap \(khzText(overlap)) kHz), \(km(d)) km away;"
                            + " product level \(db(eirp)) dBm (weakest carrier − \(db(order == 3 ? settings.im3AttenuationDB : settings.im5AttenuationDB)) dB), interference \(db(interference)) dBm"
                            + " against a wanted \(db(v.wantedDBm)) dBm: C/I \(db(v.wantedDBm - interference)) dB, \(db(required)) dB required, margin \(db(margin)) dB"
                        let conflict = Conflict(
                            kind: .intermodulation, aID: va.id, bID: ids[0], cID: ids.dropFirst().joined(separator: ";"),
                            frequencyOffsetKHz: (f - v.channel.centreMHz) * 1000, overlapKHz: overlap, distanceKm: d,
                            interferenceDBm: interference, cOverIDB: v.wantedDBm - interference, requiredDB: required,
                            marginDB: margin, severity: .fromMargin(margin), explanation: text,
                            aPosition: (va.longitude, va.latitude), bPosition: (lon, lat))
                        if let cur = best[conflict.key], cur.marginDB! <= margin { return }
                        best[conflict.key] = conflict
                    }
                }
            }
            for i in 0..<m {
                for j in 0..<m where j != i {
                    product([(2, i), (-1, j)], order: 3)
                    product([(3, i), (-2, j)], order: 5)
                }
            }
            if m > settings.imMaxCarriersForTriples {
                stats.intermodulationSitesTruncated += 1
            } else if m >= 3 {
                for i in 0..<m {
                    for j in (i + 1)..<m {
                        for k in 0..<m where k != i && k != j {
                            product([(1, i), (1, j), (-1, k)], order: 3)
                        }
                    }
                }
            }
        }
        return Array(best.values)
    }
}

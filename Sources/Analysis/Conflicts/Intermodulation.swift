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
import Synchronization
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
        // The root of a set is its lowest index whatever the order of the unions, so the unions can be found on every
        // core. Same station_id: each live record joined to the first with its station (interned on every core).
        let live = (0..<n).filter { !excluded[$0] }
        let firstOfStation = Interning.firstIndices(count: live.count, threads: settings.threads) { assignments[live[$0]].stationID }
        for j in live.indices where Int(firstOfStation[j]) != j { union(live[Int(firstOfStation[j])], live[j]) }
        for (k, m) in nearbyPairs(assignments, live: live) { union(k, m) }
        // Components of two or more, each in index order, ordered by their first (lowest) index.
        var root = [Int](repeating: -1, count: n), size = [Int32](repeating: 0, count: n)
        for k in live {
            root[k] = find(k)
            size[root[k]] += 1
        }
        var slot = [Int32](repeating: -1, count: n), groups: [[Int]] = []
        for k in live where size[root[k]] > 1 {
            if slot[root[k]] < 0 {
                slot[root[k]] = Int32(groups.count)
                groups.append([])
            }
            groups[Int(slot[root[k]])].append(k)
        }
        return groups
    }

    /// Pairs (k, m), k < m, of live records within `imSiteKm`, found on every core: grid hashing at the site distance,
    /// the records sorted by cell (row, then column) so that the three cells of a neighbouring row are one run, whose
    /// start is found by a binary search for a chunk's first record and then advanced from record to record.
    func nearbyPairs(_ assignments: [Assignment], live: [Int]) -> [(Int, Int)] {
        let (lat, lon) = assignments.withUnsafeBufferPointer { a in
            (a.map { $0.latitude }, a.map { $0.longitude })
        }
        // Cells at least the site distance wide everywhere (1 % slack): two records within it are in neighbouring
        // rows and columns. Their longitude span is that of the live records' latitude farthest from the equator: a
        // pair d km apart differs in longitude by at most about d / (R cos φ) at the larger |φ| of the two. (Each
        // record's cells used to be as wide as at its own latitude: the columns of records at different latitudes
        // were then on different scales, and a pair within the distance could fall two columns apart and be missed.)
        let cellLat = Geodesy.degreesLatitude(km: max(settings.imSiteKm, 0.001)) * 1.01
        let farthest = live.reduce(0.0) { max($0, abs(lat[$1])) }
        let cellLon = cellLat / max(0.05, cos(min(90, farthest) * .pi / 180))
        struct Cell: Sendable { var row: Int, column: Int }
        let cells = live.map { k in Cell(row: Int(floor(lat[k] / cellLat)), column: Int(floor(lon[k] / cellLon))) }
        let order = Self.cellOrder(cells.map { ($0.row, $0.column) })
        let sortedCells = order.map { cells[$0] }
        /// The first position whose cell is at or after (row, column).
        @Sendable func firstAtOrAfter(row: Int, column: Int) -> Int {
            var lo = 0, hi = sortedCells.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                let c = sortedCells[mid]
                if c.row < row || (c.row == row && c.column < column) { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        let ranges = Self.chunkRanges(order.count, threads: settings.threads)
        let parts = Mutex([[(Int, Int)]](repeating: [], count: ranges.count))
        DispatchQueue.concurrentPerform(iterations: ranges.count) { c in
            var found: [(Int, Int)] = []
            // A record's three neighbouring rows start at cells that only move forward as the records do (they are in
            // cell order): each row's start is searched once per chunk, then advanced.
            var start: [Int]? = nil
            for p in ranges[c] {
                let k = live[order[p]], (y, x) = (sortedCells[p].row, sortedCells[p].column)
                if start == nil { start = (-1...1).map { firstAtOrAfter(row: y + $0, column: x - 1) } }
                for dy in -1...1 {
                    var q = start![dy + 1]
                    while q < sortedCells.count, sortedCells[q].row < y + dy || (sortedCells[q].row == y + dy && sortedCells[q].column < x - 1) { q += 1 }
                    start![dy + 1] = q
                    while q < sortedCells.count, sortedCells[q].row == y + dy, sortedCells[q].column <= x + 1 {
                        let m = live[order[q]]
                        if m > k, Geodesy.distanceKm(lat[k], lon[k], lat[m], lon[m]) <= settings.imSiteKm { found.append((k, m)) }
                        q += 1
                    }
                }
            }
            parts.withLock { $0[c] = found }
        }
        return parts.withLock { $0.flatMap { $0 } }
    }

    /// Positions of `cells` in the order of (row, column, position). Row, column and position packed in one UInt64
    /// (offsets from the least row and column) sort as numbers on two cores in that order; when they need more than
    /// 64 bits (cells of metres over a continent), a comparison sort.
    static func cellOrder(_ cells: [(row: Int, column: Int)]) -> [Int] {
        guard let first = cells.first else { return [] }
        var (minRow, maxRow, minColumn, maxColumn) = (first.row, first.row, first.column, first.column)
        for c in cells {
            minRow = min(minRow, c.row); maxRow = max(maxRow, c.row)
            minColumn = min(minColumn, c.column); maxColumn = max(maxColumn, c.column)
        }
        func bits(_ v: Int) -> Int { Int.bitWidth - v.leadingZeroBitCount }
        let rowBits = bits(maxRow - minRow), columnBits = bits(maxColumn - minColumn), positionBits = bits(cells.count - 1)
        guard rowBits + columnBits + positionBits <= 64 else {
            return cells.indices.sorted { a, b in
                let ca = cells[a], cb = cells[b]
                return ca.row != cb.row ? ca.row < cb.row : ca.column != cb.column ? ca.column < cb.column : a < b
            }
        }
        var packed = cells.indices.map { p -> UInt64 in
            let row = UInt64(cells[p].row - minRow), column = UInt64(cells[p].column - minColumn)
            return row << UInt64(columnBits + positionBits) | column << UInt64(positionBits) | UInt64(p)
        }
        Parallel.sort(&packed)
        let mask: UInt64 = positionBits == 64 ? .max : (1 << UInt64(positionBits)) - 1
        return packed.map { Int($0 & mask) }
    }

    func intermodulation(
        _ assignments: [Assignment], victims: [Victim], index: ChannelIndex, excluded: [Bool],
        stats: inout ScreeningStatistics
    ) -> [Conflict] {
        // The sites on every core, each site's findings in order; then the worst finding per key, taken in site order
        // as a single loop over the sites would.
        let siteList = sites(assignments, excluded: excluded)
        let ranges = Self.chunkRanges(siteList.count, threads: settings.threads)
        let parts = Mutex([SiteFindings](repeating: SiteFindings(), count: ranges.count))
        DispatchQueue.concurrentPerform(iterations: ranges.count) { c in
            var part = SiteFindings()
            for s in ranges[c] { intermodulation(site: siteList[s], assignments, victims: victims, index: index, into: &part) }
            parts.withLock { $0[c] = part }
        }
        var best: [String: Conflict] = [:]
        for part in parts.withLock({ $0 }) {
            stats.intermodulationSites += part.sites
            stats.intermodulationProducts += part.products
            stats.intermodulationSitesTruncated += part.truncated
            for conflict in part.found {
                if let cur = best[conflict.key], cur.marginDB! <= conflict.marginDB! { continue }
                best[conflict.key] = conflict
            }
        }
        return Array(best.values)
    }

    /// One site's findings, in order, and its counts.
    struct SiteFindings: Sendable {
        var found: [Conflict] = []
        var sites = 0, products = 0, truncated = 0
    }

    /// The intermodulation products of one site against the receive channels nearby, appended to `part` in order.
    func intermodulation(site: [Int], _ assignments: [Assignment], victims: [Victim], index: ChannelIndex, into part: inout SiteFindings) {
        // Distinct carriers.
        var carriers: [Carrier] = []
        struct ChannelKey: Hashable { var hz: Int, bandwidthMilliKHz: Int }
        var byChannel: [ChannelKey: Int] = [:]
        for k in site where !settings.imExcludedServices.contains(assignments[k].serviceKind) {
            let a = assignments[k]
            // The product arises in transmitters and shared feeders: take the transmitter output (EIRP less the
            // antenna gain when known), radiated without antenna gain.
            let output = a.eirpDBm - max(0, a.antennaGainDBi ?? 0)
            let key = ChannelKey(hz: Int((a.tx.centreMHz * 1e6).rounded()), bandwidthMilliKHz: Int((a.tx.bandwidthKHz * 1000).rounded()))
            if let c = byChannel[key] {
                carriers[c].members.append(k); carriers[c].eirp = max(carriers[c].eirp, output)
                carriers[c].heightM = max(carriers[c].heightM, a.antennaHeightM)
            } else {
                byChannel[key] = carriers.count
                carriers.append(Carrier(channel: a.tx, members: [k], eirp: output, heightM: a.antennaHeightM))
            }
        }
        guard carriers.count >= 2 else { return }
        part.sites += 1
        let m = carriers.count
        let lat = site.map { assignments[$0].latitude }.reduce(0, +) / Double(site.count)
        let lon = site.map { assignments[$0].longitude }.reduce(0, +) / Double(site.count)
        func product(_ terms: [(coef: Int, carrier: Int)], order: Int) {
            let f = terms.reduce(0.0) { $0 + Double($1.coef) * carriers[$1.carrier].channel.centreMHz }
            let bw = terms.reduce(0.0) { $0 + Double(abs($1.coef)) * carriers[$1.carrier].channel.bandwidthKHz }
            guard f > 0 else { return }
            part.products += 1
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
                    part.found.append(conflict)
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
            part.truncated += 1
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
}

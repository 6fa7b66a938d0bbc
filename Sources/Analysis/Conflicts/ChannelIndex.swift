// Candidate search without O(n²): receive channels in a spatial grid (equal-angle cells), one grid per
// bandwidth class, and inside each cell sorted by centre frequency. A query visits the cells within the
// search radius and, in each, only the entries inside the frequency window (binary search), so the work
// grows with the number of true neighbours in space and frequency, not with n².
import CFastMath
import Foundation
import Geo
import Synchronization

struct ChannelIndex: Sendable {
    struct Entry: Sendable { var centreMHz: Double; var item: Int32 }

    struct ClassGrid: Sendable {
        /// Largest bandwidth in the class, kHz, and the largest service radius of its entries, km.
        var maxBandwidthKHz: Double = 0
        var maxRadiusKm: Double = 0
        /// CSR layout: entries of cell c are entries[start[c]..<start[c+1]], sorted by centre frequency.
        var start: [Int32] = []
        var entries: [Entry] = []
    }

    let lat0: Double, lon0: Double
    let cellLatDeg: Double, cellLonDeg: Double
    let nx: Int, ny: Int
    var classes: [ClassGrid]

    /// Bandwidth classes: ×4 steps from 25 kHz (≤ 25 kHz, ≤ 100 kHz, …).
    static let classCount = 12
    @inline(__always)
    static func bandwidthClass(_ kHz: Double) -> Int {
        var c = 0, edge = 25.0
        while kHz > edge && c < classCount - 1 { edge *= 4; c += 1 }
        return c
    }

    /// Builds the index of items (position, centre MHz, bandwidth kHz, radius km). A query hands over an item's
    /// position in these arrays, or, with `items` (increasing), `items` at that position.
    init(
        positions: [(lat: Double, lon: Double)], centresMHz: [Double], bandwidthsKHz: [Double], radiiKm: [Double], cellKm: Double,
        items: [Int32]? = nil
    ) {
        let lats = positions.map(\.lat), lons = positions.map(\.lon)
        let minLat = (lats.min() ?? 0) - 1e-9, maxLat = (lats.max() ?? 0) + 1e-9
        let minLon = (lons.min() ?? 0) - 1e-9, maxLon = (lons.max() ?? 0) + 1e-9
        let midLat = (minLat + maxLat) / 2
        var cell = max(cellKm, 1)
        // At most about 4 million cells per class.
        func counts(_ c: Double) -> (Int, Int) {
            let cl = Geodesy.degreesLatitude(km: c), cx = Geodesy.degreesLongitude(km: c, atLatitudeDeg: midLat, cosFloor: 0.05)
            return (max(1, Int(((maxLon - minLon) / cx).rounded(.up))), max(1, Int(((maxLat - minLat) / cl).rounded(.up))))
        }
        while true { let (a, b) = counts(cell); if a * b <= 4_000_000 { break }; cell *= 2 }
        lat0 = minLat; lon0 = minLon
        cellLatDeg = Geodesy.degreesLatitude(km: cell)
        cellLonDeg = Geodesy.degreesLongitude(km: cell, atLatitudeDeg: midLat, cosFloor: 0.05)
        (nx, ny) = counts(cell)
        let nCells = nx * ny
        // Each item's class and cell; then per class (on every core) a counting sort by cell, stable in item order,
        // and each cell's run sorted by (centre, item): the order of a stable sort by (cell, centre).
        var classOf = [UInt8](repeating: 0, count: positions.count), cellOf = [Int32](repeating: 0, count: positions.count)
        var grids = Array(repeating: ClassGrid(), count: Self.classCount)
        var members = [Int](repeating: 0, count: Self.classCount)
        for k in 0..<positions.count {
            let c = Self.bandwidthClass(bandwidthsKHz[k])
            let cx = min(nx - 1, max(0, Int((positions[k].lon - minLon) / cellLonDeg)))
            let cy = min(ny - 1, max(0, Int((positions[k].lat - minLat) / cellLatDeg)))
            classOf[k] = UInt8(c); cellOf[k] = Int32(cy * nx + cx)
            members[c] += 1
            grids[c].maxBandwidthKHz = max(grids[c].maxBandwidthKHz, bandwidthsKHz[k])
            grids[c].maxRadiusKm = max(grids[c].maxRadiusKm, radiiKm[k])
        }
        let filled = (0..<Self.classCount).filter { members[$0] > 0 }
        let built = Mutex([Int: (start: [Int32], entries: [Entry])]())
        let classOfItem = classOf, cells = cellOf, sizes = members
        DispatchQueue.concurrentPerform(iterations: filled.count) { f in
            let c = filled[f]
            let grid = Self.cellSorted(
                classIndex: UInt8(c), count: sizes[c], nCells: nCells, classOf: classOfItem, cellOf: cells, centresMHz: centresMHz)
            built.withLock { $0[c] = grid }
        }
        built.withLock { table in
            for (c, grid) in table {
                grids[c].start = grid.start
                grids[c].entries = grid.entries
            }
            table = [:]
        }
        // Renumbered in place: the items increase with the positions, so each cell's order (centre, item) stays.
        if let items {
            for c in grids.indices {
                grids[c].entries.withUnsafeMutableBufferPointer { e in for k in e.indices { e[k].item = items[Int(e[k].item)] } }
            }
        }
        classes = grids
    }

    @inline(__always)
    private static func centreThenItem(_ a: Entry, _ b: Entry) -> Bool {
        if a.centreMHz != b.centreMHz { return a.centreMHz < b.centreMHz }
        return a.item < b.item
    }

    /// The CSR layout of class `c`'s items: cell starts, and entries by cell, each cell's by (centre, item).
    private static func cellSorted(
        classIndex c: UInt8, count: Int, nCells: Int, classOf: [UInt8], cellOf: [Int32], centresMHz: [Double]
    ) -> (start: [Int32], entries: [Entry]) {
        var start = [Int32](repeating: 0, count: nCells + 1)
        for k in classOf.indices where classOf[k] == c { start[Int(cellOf[k]) + 1] += 1 }
        for i in 0..<nCells { start[i + 1] += start[i] }
        var next = start
        var entries = [Entry](repeating: Entry(centreMHz: 0, item: 0), count: count)
        for k in classOf.indices where classOf[k] == c {
            let cell = Int(cellOf[k])
            entries[Int(next[cell])] = Entry(centreMHz: centresMHz[k], item: Int32(k))
            next[cell] += 1
        }
        entries.withUnsafeMutableBufferPointer { e in
            for cell in 0..<nCells where start[cell + 1] - start[cell] > 1 {
                var run = UnsafeMutableBufferPointer(rebasing: e[Int(start[cell])..<Int(start[cell + 1])])
                run.sort(by: Self.centreThenItem)
            }
        }
        return (start, entries)
    }

    /// Half the sides, degrees of latitude and longitude, of a box around a point at latitude `lat` holding every
    /// point within `radiusKm` of it (the longitude's at the box's latitude farthest from the equator).
    @inline(__always)
    static func searchSpan(lat: Double, radiusKm: Double) -> (dLat: Double, dLon: Double) {
        let dLat = Geodesy.degreesLatitude(km: radiusKm)
        let maxAbsLat = min(89.0, max(abs(lat - dLat), abs(lat + dLat)))
        return (dLat, min(360, Geodesy.degreesLongitude(km: radiusKm, atLatitudeDeg: maxAbsLat, cosFloor: 0.01)))
    }

    /// Calls `body` with every item of class `c` in cells within `radiusKm` of (lat, lon) whose centre lies in
    /// [fLo, fHi] MHz. Returns the number of entries visited.
    @inline(__always)
    func query(classIndex c: Int, lat: Double, lon: Double, radiusKm: Double, fLo: Double, fHi: Double, _ body: (Int) -> Void) -> Int {
        let g = classes[c]
        guard !g.entries.isEmpty else { return 0 }
        let (dLat, dLon) = Self.searchSpan(lat: lat, radiusKm: radiusKm)
        let x0 = max(0, Int(floor((lon - dLon - lon0) / cellLonDeg))), x1 = min(nx - 1, Int(floor((lon + dLon - lon0) / cellLonDeg)))
        let y0 = max(0, Int(floor((lat - dLat - lat0) / cellLatDeg))), y1 = min(ny - 1, Int(floor((lat + dLat - lat0) / cellLatDeg)))
        guard x0 <= x1, y0 <= y1 else { return 0 }
        var visited = 0
        g.entries.withUnsafeBufferPointer { e in
            g.start.withUnsafeBufferPointer { s in
                for y in y0...y1 {
                    for x in x0...x1 {
                        let cell = y * nx + x
                        let first = Int(s[cell]), end = Int(s[cell + 1])
                        if first == end { continue }
                        if x < x1, Int(s[cell + 2]) > end {
                            tanso_prefetch(e.baseAddress! + end + (Int(s[cell + 2]) - end) / 2)
                        }
                        // Lower bound of fLo, halving without a branch to mispredict: every entry before `base` lies
                        // below fLo, and the bound is at most base + n.
                        var base = first, n = end - first
                        while n > 1 {
                            let half = n >> 1
                            base += half & -(e[base + half].centreMHz < fLo ? 1 : 0)
                            n -= half
                        }
                        var k = e[base].centreMHz < fLo ? base + 1 : base
                        while k < end && e[k].centreMHz <= fHi {
                            visited += 1
                            body(Int(e[k].item))
                            k += 1
                        }
                    }
                }
            }
        }
        return visited
    }
}

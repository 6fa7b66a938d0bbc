// The candidate search of one group of receive channels (`VictimIndex.Group`): the channels split into frequency
// slabs of a fixed width, and each slab's channels into a spatial grid of its own (equal-angle cells sized to the
// slab's density). A query takes the slabs its frequency window overlaps (one binary search per query) and, in each,
// the cells within the search radius, reading every entry of those cells and keeping those inside the window.
//
// `ChannelIndex` (one grid, each cell sorted by frequency) searched every cell of the radius for the window's first
// entry: on the 1,000,000-assignment register that was 25 million binary searches, each a chain of dependent reads
// from memory, for 97 million candidates. Here a cell costs its two bounds, read in sequence along a row.
import Foundation
import Geo

struct SlabIndex: Sendable {
    struct Entry: Sendable { var centreMHz: Double; var item: Int32 }

    /// One slab: its number (⌊centre / width⌋), its grid and where its cells' bounds start in `starts`.
    struct Slab: Sendable {
        var number: Int
        var lat0: Double, lon0: Double
        var cellLatDeg: Double, cellLonDeg: Double
        var nx: Int, ny: Int
        /// Index in `starts` of the slab's first cell bound (nx·ny + 1 bounds, absolute positions in `entries`).
        var startBase: Int
    }

    /// Width of a slab, MHz.
    let slabMHz: Double
    /// The non-empty slabs by number.
    let slabs: [Slab]
    let starts: [Int32]
    /// Entries by slab, cell, centre and item.
    private(set) var entries: [Entry]

    /// Channels per cell, on average, that a slab's grid aims at (cells are cheap: two bounds read in sequence).
    static let entriesPerCell = 3.0

    /// Indexes `positions` with their centres; `slabMHz`: about the width of a typical query's window.
    init(positions: [(lat: Double, lon: Double)], centresMHz: [Double], slabMHz: Double) {
        precondition(positions.count == centresMHz.count && positions.count < Int(Int32.max))
        let width = slabMHz.isFinite && slabMHz > 1e-6 ? slabMHz : 1e-6
        self.slabMHz = width
        let n = positions.count
        // Items by (slab, centre, item): a slab's items are then grouped by cell with a stable counting sort.
        let number = centresMHz.map { Self.slabNumber($0, width) }
        var order = Array(0..<n)
        order.sort { a, b in
            number[a] != number[b] ? number[a] < number[b] : centresMHz[a] != centresMHz[b] ? centresMHz[a] < centresMHz[b] : a < b
        }
        var slabs: [Slab] = [], starts: [Int32] = [], entries: [Entry] = []
        entries.reserveCapacity(n)
        var first = 0
        while first < n {
            var end = first + 1
            while end < n && number[order[end]] == number[order[first]] { end += 1 }
            let run = order[first..<end]
            var lats = (Double.infinity, -Double.infinity), lons = (Double.infinity, -Double.infinity)
            for k in run {
                lats = (min(lats.0, positions[k].lat), max(lats.1, positions[k].lat))
                lons = (min(lons.0, positions[k].lon), max(lons.1, positions[k].lon))
            }
            let lat0 = lats.0 - 1e-9, lon0 = lons.0 - 1e-9
            let midLat = (lats.0 + lats.1) / 2
            let hKm = (lats.1 - lats.0) * Geodesy.kmPerDegreeLatitude + 1
            let wKm = (lons.1 - lons.0) * Geodesy.kmPerDegreeLongitude(atLatitudeDeg: midLat, cosFloor: 0.05) + 1
            let count = end - first
            var cellKm = min(50, max(1, (hKm * wKm * Self.entriesPerCell / Double(count)).squareRoot()))
            var cellLat = 0.0, cellLon = 0.0, nx = 1, ny = 1
            while true {
                cellLat = Geodesy.degreesLatitude(km: cellKm)
                cellLon = Geodesy.degreesLongitude(km: cellKm, atLatitudeDeg: midLat, cosFloor: 0.05)
                nx = max(1, Int(((lons.1 + 1e-9 - lon0) / cellLon).rounded(.up)))
                ny = max(1, Int(((lats.1 + 1e-9 - lat0) / cellLat).rounded(.up)))
                if nx * ny <= 2 * count + 16 { break }
                cellKm *= 1.5
            }
            // Cell of each item, then a stable counting sort (the run is in centre order, so each cell's entries are).
            let base = starts.count, offset = Int32(entries.count)
            starts.append(contentsOf: repeatElement(0, count: nx * ny + 1))
            var cellOf = [Int32](repeating: 0, count: count)
            for (j, k) in run.enumerated() {
                let cx = min(nx - 1, max(0, Int((positions[k].lon - lon0) / cellLon)))
                let cy = min(ny - 1, max(0, Int((positions[k].lat - lat0) / cellLat)))
                cellOf[j] = Int32(cy * nx + cx)
                starts[base + Int(cellOf[j]) + 1] += 1
            }
            starts[base] = offset
            for c in 0..<(nx * ny) { starts[base + c + 1] += starts[base + c] }
            var next = Array(starts[base..<(base + nx * ny)])
            entries.append(contentsOf: repeatElement(Entry(centreMHz: 0, item: 0), count: count))
            for (j, k) in run.enumerated() {
                let c = Int(cellOf[j])
                entries[Int(next[c])] = Entry(centreMHz: centresMHz[k], item: Int32(k))
                next[c] += 1
            }
            slabs.append(
                Slab(number: number[order[first]], lat0: lat0, lon0: lon0, cellLatDeg: cellLat, cellLonDeg: cellLon, nx: nx, ny: ny, startBase: base))
            first = end
        }
        self.slabs = slabs
        self.starts = starts
        self.entries = entries
    }

    /// ⌊centre / width⌋, clamped far inside Int's range.
    @inline(__always)
    static func slabNumber(_ mhz: Double, _ width: Double) -> Int {
        let q = (mhz / width).rounded(.down)
        return q.isNaN ? 0 : Int(min(max(q, -1e15), 1e15))
    }

    /// Makes each entry's item its own position, for callers that store their data in entry order.
    mutating func numberItemsByPosition() {
        for p in entries.indices { entries[p].item = Int32(p) }
    }

    /// Calls `body` with the entry position of every item in the cells within `radiusKm` of (lat, lon) whose centre
    /// lies in [fLo, fHi] MHz. Returns how many.
    func query(lat: Double, lon: Double, radiusKm: Double, fLo: Double, fHi: Double, _ body: (Int) -> Void) -> Int {
        var visited = 0
        entries.withUnsafeBufferPointer { e in
            runs(lat: lat, lon: lon, radiusKm: radiusKm, fLo: fLo, fHi: fHi) { lo, hi in
                for k in lo..<hi where e[k].centreMHz >= fLo && e[k].centreMHz <= fHi {
                    visited += 1
                    body(k)
                }
            }
        }
        return visited
    }

    /// Calls `body` with runs lo ..< hi of entry positions that hold every item in the cells within `radiusKm` of
    /// (lat, lon) of the slabs that [fLo, fHi] MHz overlaps; the caller tests each entry's centre against the window.
    /// The cells x0 … x1 of a grid row are consecutive in `entries`, so a row is one run.
    @inline(__always)
    func runs(lat: Double, lon: Double, radiusKm: Double, fLo: Double, fHi: Double, _ body: (Int, Int) -> Void) {
        guard !slabs.isEmpty, fLo <= fHi else { return }
        let (dLat, dLon) = ChannelIndex.searchSpan(lat: lat, radiusKm: radiusKm)
        let sLo = Self.slabNumber(fLo, slabMHz), sHi = Self.slabNumber(fHi, slabMHz)
        slabs.withUnsafeBufferPointer { slab in
            // The first slab numbered sLo or more.
            var lo = 0, hi = slab.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if slab[mid].number < sLo { lo = mid + 1 } else { hi = mid }
            }
            starts.withUnsafeBufferPointer { s in
                var q = lo
                while q < slab.count && slab[q].number <= sHi {
                    let g = slab[q]
                    q += 1
                    let x0 = max(0, Int(floor((lon - dLon - g.lon0) / g.cellLonDeg)))
                    let x1 = min(g.nx - 1, Int(floor((lon + dLon - g.lon0) / g.cellLonDeg)))
                    let y0 = max(0, Int(floor((lat - dLat - g.lat0) / g.cellLatDeg)))
                    let y1 = min(g.ny - 1, Int(floor((lat + dLat - g.lat0) / g.cellLatDeg)))
                    guard x0 <= x1, y0 <= y1 else { continue }
                    for y in y0...y1 {
                        let row = g.startBase + y * g.nx
                        let first = Int(s[row + x0]), end = Int(s[row + x1 + 1])
                        if first < end { body(first, end) }
                    }
                }
            }
        }
    }
}

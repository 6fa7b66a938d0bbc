// Receiver-end clutter loss from a land-cover raster and a class table: each grid cell takes the class of the
// land-cover pixel under its centre (nearest pixel, in the raster's own CRS) and that class's loss in dB, which
// is subtracted from every transmitter's received power there. The table is the user's (measured or from a
// planning guideline): tanso ships an illustrative one for ESA WorldCover classes (data/README.md), not a standard.
//
// Only the window of the raster that covers the study grid is read, so a country-wide land-cover mosaic costs
// the study area's pixels, not the country's.
import Foundation
import Geo
import Radio
import Records

public struct ClutterMap: Sendable {
    /// The land-cover raster (any single-band GDAL raster of integer class codes, any CRS).
    public let path: String
    /// Loss per class code, dB.
    public let lossDB: [Int: Double]

    public init(path: String, lossDB: [Int: Double]) {
        self.path = path
        self.lossDB = lossDB
    }

    /// Reads a class table: CSV with a header and the columns `class` (integer code) and `loss_db` (dB, 0–100),
    /// optionally `name`; other columns are ignored. Errors name the file, the row, the column and the value.
    public static func readTable(_ path: String) throws -> [Int: Double] {
        let text: String
        do { text = try InputText.read(path, kind: .table) } catch let e as InputFileError {
            throw StudyError("\(path): cannot read the clutter class table (\(e.reason))")
        }
        let rows = CSV.parse(text)
        guard let header = rows.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw StudyError("\(path): empty clutter class table; expected a header with class,loss_db")
        }
        guard let ci = header.firstIndex(of: "class"), let li = header.firstIndex(of: "loss_db") else {
            throw StudyError("\(path): the clutter class table needs the columns class and loss_db, found \(InputText.columnList(header))")
        }
        var table: [Int: Double] = [:]
        for (n, row) in rows.dropFirst().enumerated() where !(row.count == 1 && row[0].trimmingCharacters(in: .whitespaces).isEmpty) {
            let line = n + 1
            let c = ci < row.count ? row[ci].trimmingCharacters(in: .whitespaces) : ""
            let l = li < row.count ? row[li].trimmingCharacters(in: .whitespaces) : ""
            guard let code = DecimalNumber.parseInt(c) else {
                throw StudyError("\(path): row \(line), column class: '\(InputText.echo(c))' is not an integer class code")
            }
            guard let loss = DecimalNumber.parse(l), (0...100).contains(loss) else {
                throw StudyError("\(path): row \(line), column loss_db: '\(InputText.echo(l))' is not a loss in dB between 0 and 100")
            }
            guard table[code] == nil else { throw StudyError("\(path): row \(line), column class: class \(code) is given twice") }
            table[code] = loss
        }
        guard !table.isEmpty else { throw StudyError("\(path): the clutter class table has no rows") }
        return table
    }

    /// Loss per cell of `spec` (row-major), dB, and the number of cells outside the raster or on its nodata
    /// (those get 0 dB). A class that occurs in the study area but is missing from the table is an error.
    public func lossPerCell(_ spec: GridSpec) throws -> (lossDB: [Float], uncovered: Int) {
        let ds = try RasterDataset(path: path)
        guard ds.geoTransform.isNorthUp else { throw StudyError("\(path): a rotated land-cover raster is not supported; warp it north-up first (gdalwarp)") }
        let n = spec.cellCount
        var xs = [Double](repeating: 0, count: n), ys = xs
        for r in 0..<spec.height {
            for c in 0..<spec.width {
                let p = spec.cellCentre(col: c, row: r)
                xs[r * spec.width + c] = p.x; ys[r * spec.width + c] = p.y
            }
        }
        if !ds.crs.isEmpty {
            _ = try CoordinateTransform(from: spec.crs, to: ds.crs).transform(xs: &xs, ys: &ys)
        }
        // Pixel of each cell centre, and the window that holds them all.
        var cols = [Int](repeating: -1, count: n), rowsOf = cols
        var c0 = Int.max, c1 = Int.min, r0 = Int.max, r1 = Int.min
        for i in 0..<n where xs[i].isFinite && ys[i].isFinite {
            let px = ds.geoTransform.pixel(x: xs[i], y: ys[i])
            let c = Int(floor(px.col)), r = Int(floor(px.row))
            guard c >= 0, r >= 0, c < ds.width, r < ds.height else { continue }
            cols[i] = c; rowsOf[i] = r
            c0 = min(c0, c); c1 = max(c1, c); r0 = min(r0, r); r1 = max(r1, r)
        }
        var loss = [Float](repeating: 0, count: n)
        guard c0 <= c1 else { return (loss, n) }
        let w = c1 - c0 + 1
        let window = try ds.read(col: c0, row: r0, width: w, height: r1 - r0 + 1)
        let nodata = try ds.nodata().map { Float($0) }
        var table = [Float](repeating: .nan, count: 0), offset = 0
        if let lo = lossDB.keys.min(), let hi = lossDB.keys.max(), hi - lo < 1_000_000 {
            offset = lo
            table = [Float](repeating: .nan, count: hi - lo + 1)
            for (k, v) in lossDB { table[k - lo] = Float(v) }
        }
        var uncovered = 0
        var missing: [Int: Int] = [:]
        for i in 0..<n {
            guard cols[i] >= 0 else { uncovered += 1; continue }
            let v = window[(rowsOf[i] - r0) * w + (cols[i] - c0)]
            if v.isNaN || v == nodata { uncovered += 1; continue }
            let code = Int(v.rounded())
            let k = code - offset
            if k >= 0, k < table.count, !table[k].isNaN { loss[i] = table[k] } else { missing[code, default: 0] += 1 }
        }
        if !missing.isEmpty {
            let list = missing.keys.sorted().map { "\($0) (\(missing[$0]!) cells)" }.joined(separator: ", ")
            throw StudyError("\(path): land-cover class(es) \(list) occur in the study area but are not in the clutter class table")
        }
        return (loss, uncovered)
    }

    /// The class code of the land-cover pixel under each WGS 84 point (nil outside the raster or on nodata), for
    /// measurements; only the window holding the points is read.
    public static func classCodes(raster path: String, longitudes: [Double], latitudes: [Double]) throws -> [Int?] {
        let ds = try RasterDataset(path: path)
        guard ds.geoTransform.isNorthUp else { throw StudyError("\(path): a rotated land-cover raster is not supported; warp it north-up first (gdalwarp)") }
        var xs = longitudes, ys = latitudes
        if !ds.crs.isEmpty { _ = try CoordinateTransform(from: "EPSG:4326", to: ds.crs).transform(xs: &xs, ys: &ys) }
        let n = xs.count
        var pixel = [(col: Int, row: Int)?](repeating: nil, count: n)
        var c0 = Int.max, c1 = Int.min, r0 = Int.max, r1 = Int.min
        for i in 0..<n where xs[i].isFinite && ys[i].isFinite {
            let px = ds.geoTransform.pixel(x: xs[i], y: ys[i])
            let c = Int(floor(px.col)), r = Int(floor(px.row))
            guard c >= 0, r >= 0, c < ds.width, r < ds.height else { continue }
            pixel[i] = (c, r)
            c0 = min(c0, c); c1 = max(c1, c); r0 = min(r0, r); r1 = max(r1, r)
        }
        guard c0 <= c1 else { return pixel.map { _ in nil } }
        let w = c1 - c0 + 1
        let window = try ds.read(col: c0, row: r0, width: w, height: r1 - r0 + 1)
        let nodata = try ds.nodata().map { Float($0) }
        return pixel.map { p in
            guard let p else { return nil }
            let v = window[(p.row - r0) * w + (p.col - c0)]
            return v.isNaN || v == nodata ? nil : Int(v.rounded())
        }
    }
}

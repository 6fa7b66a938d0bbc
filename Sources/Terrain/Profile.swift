// Terrain profiles along geodesics.
//
// Sampling rule: the path from transmitter to receiver is cut into n equal geodesic intervals, with
// n = max(4, ceil(distance / spacing)) (`ProfileSampling.intervals`; at least 4 intervals, the fewest the ITU-R
// profile models accept), so the actual spacing is distance / n ≤ the requested spacing; the
// n + 1 points (both ends included) are placed with PROJ's geodesic routines on WGS 84 and their heights
// read bilinearly from the DEM (see `ElevationModel`). A point outside the DEM or on nodata is an error naming
// its index and position, never sea level.
import Foundation
import Geo

/// The sampling rule shared by `tanso pathloss` link mode and the coverage engine.
public enum ProfileSampling {
    /// The fewest intervals of a profile: P.1812 needs 5 points, P.452 4.
    public static let minimumIntervals = 4
    /// Number of equal intervals for a path of `distanceM` at a requested spacing.
    @inlinable
    public static func intervals(distanceM: Double, spacingM: Double) -> Int {
        max(minimumIntervals, Int((distanceM / spacingM).rounded(.up)))
    }
}

public struct GeodesicProfile: Sendable {
    public let distanceM: Double
    public let spacingM: Double
    public let elevationsM: [Double]
    public let points: [(lon: Double, lat: Double)]
}

public struct ProfileError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

extension ElevationModel {
    /// Nominal cell size of the DEM in metres (at the whole raster's centre for geographic grids, whatever window is
    /// held, so that a windowed model samples profiles exactly as the whole one).
    public var cellSizeM: Double {
        let gt = geoTransform
        let lat = gt.originY - gt.pixelHeight * Double(rasterHeight) / 2
        guard isGeographic else { return min(gt.pixelWidth, gt.pixelHeight) }
        let m = Geodesy.localOffsetM(dLonDeg: gt.pixelWidth, dLatDeg: gt.pixelHeight, atLatitudeDeg: lat)
        return min(m.east, m.north)
    }

    /// The terrain profile from one WGS 84 point to another, sampled at `spacingM` or finer (nil: the DEM's cell size).
    /// `maxPoints` stops absurd work (a continent at 0.1 m) with an error before any point is sampled.
    public func profile(
        fromLon lon1: Double, lat1: Double, toLon lon2: Double, lat2: Double, spacingM: Double? = nil,
        maxPoints: Int = Int.max
    ) throws -> GeodesicProfile {
        let inv = Geodesic.inverse(lon1: lon1, lat1: lat1, lon2: lon2, lat2: lat2)
        let target = spacingM ?? cellSizeM
        guard target > 0 else { throw ProfileError(message: "profile spacing must be > 0 m, got \(target)") }
        guard inv.distanceM / target < Double(maxPoints) else {
            throw ProfileError(
                message: String(
                    format: "a profile of %.1f km every %.3g m has more than %d points; give a larger spacing", inv.distanceM / 1000, target, maxPoints))
        }
        let n = ProfileSampling.intervals(distanceM: inv.distanceM, spacingM: target)
        let pts = Geodesic.points(lon1: lon1, lat1: lat1, lon2: lon2, lat2: lat2, count: n + 1)
        var heights: [Double] = []
        heights.reserveCapacity(n + 1)
        var missing: [Int] = []
        for (i, p) in pts.enumerated() {
            if let h = elevation(longitude: p.lon, latitude: p.lat) { heights.append(h) } else { missing.append(i); heights.append(.nan) }
        }
        if let first = missing.first {
            let p = pts[first]
            throw ProfileError(
                message:
                    "\(missing.count) of \(n + 1) profile points have no elevation in \(path) (outside the DEM or nodata), the first at point \(first) (\(String(format: "%.6f", p.lat)), \(String(format: "%.6f", p.lon)))"
            )
        }
        return GeodesicProfile(distanceM: inv.distanceM, spacingM: inv.distanceM / Double(n), elevationsM: heights, points: pts)
    }
}

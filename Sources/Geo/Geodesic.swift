// Geodesics on the WGS 84 ellipsoid through PROJ's geodesic routines (Karney 2013), for terrain profiles.
import CPROJ
import Foundation

public enum Geodesic {
    private static func wgs84() -> geod_geodesic {
        var g = geod_geodesic()
        geod_init(&g, 6_378_137, 1 / 298.257223563)
        return g
    }

    /// Distance (m) and forward azimuths (degrees clockwise from north) between two WGS 84 points.
    public static func inverse(lon1: Double, lat1: Double, lon2: Double, lat2: Double) -> (distanceM: Double, azimuth1Deg: Double, azimuth2Deg: Double) {
        var g = wgs84()
        var s12 = 0.0, azi1 = 0.0, azi2 = 0.0
        geod_inverse(&g, lat1, lon1, lat2, lon2, &s12, &azi1, &azi2)
        return (s12, azi1, azi2)
    }

    /// `count` points at equal geodesic spacing from the first point to the second, both included (count ≥ 2).
    public static func points(lon1: Double, lat1: Double, lon2: Double, lat2: Double, count: Int) -> [(lon: Double, lat: Double)] {
        precondition(count >= 2)
        var g = wgs84()
        var line = geod_geodesicline()
        geod_inverseline(&line, &g, lat1, lon1, lat2, lon2, 0)
        let s13 = line.s13
        return (0..<count).map { i in
            if i == count - 1 { return (lon2, lat2) }
            var lat = 0.0, lon = 0.0, azi = 0.0
            geod_position(&line, s13 * Double(i) / Double(count - 1), &lat, &lon, &azi)
            return (lon, lat)
        }
    }
}

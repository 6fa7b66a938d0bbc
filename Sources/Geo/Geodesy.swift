// One home for the small geodesy the tool does by hand: degree lengths, the local east/north frame, distance,
// bearing and destination on the mean sphere, and the UTM grid's convergence and scale.
//
// What lives elsewhere, and why:
// - WGS 84 geodesics for terrain profiles: `Geodesic` (PROJ's Karney routines), not the sphere below.
// - `Propagation` and `Radio` are pure (Foundation only, by the module graph in Package.swift): the ITU-R
//   models keep their own Earth radii and great-circle equations (6371 km, P.2001 Attachment H), which are part
//   of each recommendation's text, not this file's sphere.
import CPROJ
import Foundation

public enum Geodesy {
    // MARK: degree lengths (short distances: boxes, buckets, local frames)

    /// Length of one degree of latitude, km (≈ the WGS 84 meridian degree at mid latitudes).
    public static let kmPerDegreeLatitude = 110.574
    /// Length of one degree of longitude on the equator, km; × cos φ elsewhere.
    public static let kmPerDegreeLongitudeAtEquator = 111.320
    /// The same two lengths in metres.
    public static let metresPerDegreeLatitude = 110_574.0
    public static let metresPerDegreeLongitudeAtEquator = 111_320.0

    /// Length of one degree of longitude at latitude `latitudeDeg`, km: 111.320 × cos φ, with cos φ raised to
    /// `cosFloor` when given (callers that divide by it near the poles).
    @inlinable
    public static func kmPerDegreeLongitude(atLatitudeDeg latitudeDeg: Double, cosFloor: Double? = nil) -> Double {
        let c = cos(latitudeDeg * .pi / 180)
        return kmPerDegreeLongitudeAtEquator * (cosFloor.map { max($0, c) } ?? c)
    }

    /// Length of one degree of longitude at latitude `latitudeDeg`, m.
    @inlinable
    public static func metresPerDegreeLongitude(atLatitudeDeg latitudeDeg: Double) -> Double {
        metresPerDegreeLongitudeAtEquator * cos(latitudeDeg * .pi / 180)
    }

    /// Degrees of latitude spanned by `km`.
    @inlinable
    public static func degreesLatitude(km: Double) -> Double { km / kmPerDegreeLatitude }

    /// Degrees of longitude spanned by `km` at latitude `latitudeDeg` (see `kmPerDegreeLongitude` for `cosFloor`).
    @inlinable
    public static func degreesLongitude(km: Double, atLatitudeDeg latitudeDeg: Double, cosFloor: Double? = nil) -> Double {
        km / kmPerDegreeLongitude(atLatitudeDeg: latitudeDeg, cosFloor: cosFloor)
    }

    /// Local east/north frame: the offsets, km, of a difference of `dLonDeg`, `dLatDeg` at latitude `latitudeDeg`
    /// (equirectangular; for distances of tens of km).
    @inlinable
    public static func localOffsetKm(dLonDeg: Double, dLatDeg: Double, atLatitudeDeg latitudeDeg: Double) -> (east: Double, north: Double) {
        (dLonDeg * kmPerDegreeLongitudeAtEquator * cos(latitudeDeg * .pi / 180), dLatDeg * kmPerDegreeLatitude)
    }

    /// The same local frame in metres.
    @inlinable
    public static func localOffsetM(dLonDeg: Double, dLatDeg: Double, atLatitudeDeg latitudeDeg: Double) -> (east: Double, north: Double) {
        (dLonDeg * metresPerDegreeLongitudeAtEquator * cos(latitudeDeg * .pi / 180), dLatDeg * metresPerDegreeLatitude)
    }

    // MARK: the mean sphere (screening distances; terrain profiles use the WGS 84 geodesic)

    /// Mean Earth radius R1 (IUGG), km.
    public static let meanRadiusKm = 6371.0088

    /// Great-circle distance, km (haversine on the mean sphere).
    @inlinable
    public static func distanceKm(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let p1 = lat1 * .pi / 180, p2 = lat2 * .pi / 180
        let dp = p2 - p1, dl = (lon2 - lon1) * .pi / 180
        let a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)
        return 2 * meanRadiusKm * asin(min(1, a.squareRoot()))
    }

    /// Initial bearing from the first point to the second, degrees clockwise from north in [0, 360).
    @inlinable
    public static func bearingDeg(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let p1 = lat1 * .pi / 180, p2 = lat2 * .pi / 180, dl = (lon2 - lon1) * .pi / 180
        let b = atan2(sin(dl) * cos(p2), cos(p1) * sin(p2) - sin(p1) * cos(p2) * cos(dl)) * 180 / .pi
        return b < 0 ? b + 360 : b
    }

    /// The point at `distanceKm` from (lat, lon) along `bearingDeg`, on the mean sphere.
    public static func destination(_ lat: Double, _ lon: Double, bearingDeg: Double, distanceKm: Double) -> (lat: Double, lon: Double) {
        let d = distanceKm / meanRadiusKm, b = bearingDeg * .pi / 180, p1 = lat * .pi / 180, l1 = lon * .pi / 180
        let p2 = asin(sin(p1) * cos(d) + cos(p1) * sin(d) * cos(b))
        let l2 = l1 + atan2(sin(b) * sin(d) * cos(p1), cos(d) - sin(p1) * sin(p2))
        var lon2 = l2 * 180 / .pi
        if lon2 > 180 { lon2 -= 360 } else if lon2 < -180 { lon2 += 360 }
        return (p2 * 180 / .pi, lon2)
    }

    /// The absolute difference of two angles, degrees in [0, 180].
    @inlinable
    public static func angleDiffDeg(_ a: Double, _ b: Double) -> Double {
        var d = (a - b).truncatingRemainder(dividingBy: 360)
        if d > 180 { d -= 360 } else if d < -180 { d += 360 }
        return abs(d)
    }
}

// MARK: UTM grid factors

extension Geodesy {
    /// UTM convergence and scale: PROJ's `proj_factors` (exact, on WGS 84) for set-up work, and the closed forms
    /// the coverage kernels evaluate per cell (too many calls for PROJ), whose agreement with PROJ is pinned in
    /// GeoTests (`GeodesyTests`).
    public enum UTM {
        /// The UTM scale factor on the central meridian.
        public static let centralScale = 0.9996

        /// Central meridian, degrees, of the UTM zone holding `longitudeDeg`.
        public static func centralMeridianDeg(longitudeDeg: Double) -> Double {
            Double((Int(floor((longitudeDeg + 180) / 6)) + 1) * 6 - 183)
        }

        /// Meridian convergence, degrees (true bearing = grid bearing + convergence), spherical closed form
        /// γ = atan(tan(λ − λ0) · sin φ).
        public static func convergenceDeg(longitudeDeg: Double, latitudeDeg: Double, centralMeridianDeg: Double) -> Double {
            atan(tan((longitudeDeg - centralMeridianDeg) * .pi / 180) * sin(latitudeDeg * .pi / 180)) * 180 / .pi
        }

        /// Point scale factor at easting `eastingM`, closed form k(E) = k0 (1 + x²/(2R²)), x = (E − 500 km)/k0,
        /// R = 6371 km.
        @inlinable @inline(__always)
        public static func pointScale(eastingM: Double) -> Double {
            let k0 = 0.9996, r2 = 2 * 6_371_000.0 * 6_371_000.0
            let x = (eastingM - 500_000) / k0
            return k0 * (1 + x * x / r2)
        }

        /// Geodesic length of a short grid line from easting x0 to x1: its grid length over the mean point scale
        /// factor along it (Simpson's rule); accurate to ~1e-6.
        @inlinable @inline(__always)
        public static func geodesicM(gridM: Double, x0: Double, x1: Double) -> Double {
            gridM / ((pointScale(eastingM: x0) + 4 * pointScale(eastingM: (x0 + x1) / 2) + pointScale(eastingM: x1)) / 6)
        }

        /// Convergence (degrees, true bearing = grid bearing + convergence) and point scale factor of the UTM
        /// projection `crs` (anything PROJ accepts: "EPSG:32648", a PROJ string) at a WGS 84 point, from PROJ's
        /// `proj_factors`. One call opens PROJ's database; for many points keep a `Factors`.
        public static func factors(crs: String, longitudeDeg: Double, latitudeDeg: Double) throws -> (convergenceDeg: Double, scale: Double) {
            try Factors(crs: crs).at(longitudeDeg: longitudeDeg, latitudeDeg: latitudeDeg)
        }

        /// PROJ's `proj_factors` for one projected CRS; owns its PROJ context, so use it from one thread at a time.
        public final class Factors {
            private let context: OpaquePointer
            private let pj: OpaquePointer
            public let crs: String

            public init(crs: String) throws {
                guard let ctx = proj_context_create() else { throw GeoError(operation: "create PROJ context", message: "out of memory") }
                proj_log_level(ctx, PJ_LOG_NONE)
                guard let pj = proj_create(ctx, crs) else {
                    let msg = String(cString: proj_context_errno_string(ctx, proj_context_errno(ctx)))
                    proj_context_destroy(ctx)
                    throw GeoError(operation: "create CRS", path: crs, message: msg)
                }
                context = ctx
                self.pj = pj
                self.crs = crs
            }

            deinit {
                proj_destroy(pj)
                proj_context_destroy(context)
            }

            /// Convergence, degrees, and point scale factor at a WGS 84 point.
            public func at(longitudeDeg: Double, latitudeDeg: Double) throws -> (convergenceDeg: Double, scale: Double) {
                proj_errno_reset(pj)
                let f = proj_factors(pj, proj_coord(longitudeDeg * .pi / 180, latitudeDeg * .pi / 180, 0, 0))
                let err = proj_errno(pj)
                guard err == 0, f.meridional_scale.isFinite, f.meridian_convergence.isFinite else {
                    throw GeoError(
                        operation: "UTM factors at (\(longitudeDeg), \(latitudeDeg))", path: crs,
                        message: String(cString: proj_context_errno_string(context, err)))
                }
                // PROJ gives the convergence in radians, with the sign used here.
                return (f.meridian_convergence * 180 / .pi, f.meridional_scale)
            }
        }
    }
}

import Foundation
import Geo
import Testing

@Suite struct GeodesyTests {
    /// The closed forms the coverage engine evaluates (spherical convergence γ = atan(tan Δλ · sin φ), point scale
    /// k0 (1 + x²/2R²)) against PROJ's `proj_factors` on WGS 84, over zone 48 N from the equator to 30° N and up
    /// to 3° either side of the central meridian (the whole zone). Tolerances: 5e-5° for the convergence (the
    /// sphere leaves out the ellipsoid's η² terms; 1.6e-5° seen at the zone's edge) and 1e-5 relative for the
    /// scale (x⁴ and ellipsoid terms; 6.5e-6 seen); both far below what a 0.1 dB antenna gain or a 1 m profile length can see.
    @Test func utmClosedFormsAgreeWithProjFactors() throws {
        let crs = "EPSG:32648"
        let toUTM = try CoordinateTransform(from: "EPSG:4326", to: crs)
        let cm = Geodesy.UTM.centralMeridianDeg(longitudeDeg: 106.8)
        #expect(cm == 105)
        let factors = try Geodesy.UTM.Factors(crs: crs)
        let once = try Geodesy.UTM.factors(crs: crs, longitudeDeg: 105, latitudeDeg: 10)
        // On the central meridian: no convergence and the central scale (PROJ differentiates numerically: 1e-8).
        #expect(abs(once.convergenceDeg) < 1e-9)
        #expect(abs(once.scale - Geodesy.UTM.centralScale) < 1e-8, "\(once.scale)")
        var maxGamma = 0.0, maxScale = 0.0
        for lat in stride(from: 0.0, through: 30.0, by: 2.5) {
            for lon in stride(from: 102.0, through: 108.0, by: 0.5) {
                let proj = try factors.at(longitudeDeg: lon, latitudeDeg: lat)
                let gamma = Geodesy.UTM.convergenceDeg(longitudeDeg: lon, latitudeDeg: lat, centralMeridianDeg: cm)
                let e = try toUTM.transform(x: lon, y: lat).x
                let k = Geodesy.UTM.pointScale(eastingM: e)
                maxGamma = max(maxGamma, abs(gamma - proj.convergenceDeg))
                maxScale = max(maxScale, abs(k / proj.scale - 1))
            }
        }
        print("UTM closed forms vs proj_factors: largest convergence difference \(maxGamma)°, largest relative scale difference \(maxScale)")
        #expect(maxGamma < 5e-5)
        #expect(maxScale < 1e-5)
    }

    @Test func sphereAndLocalFrame() {
        // Hanoi to Ho Chi Minh City: 1137 km on the mean sphere (haversine), initial bearing ~156°.
        let d = Geodesy.distanceKm(21.0285, 105.8542, 10.8231, 106.6297)
        #expect(abs(d - 1137) < 2)
        let b = Geodesy.bearingDeg(21.0285, 105.8542, 10.8231, 106.6297)
        let back = Geodesy.destination(21.0285, 105.8542, bearingDeg: b, distanceKm: d)
        #expect(abs(back.lat - 10.8231) < 1e-9 && abs(back.lon - 106.6297) < 1e-9)
        #expect(Geodesy.angleDiffDeg(350, 10) == 20)
        let o = Geodesy.localOffsetKm(dLonDeg: 0.01, dLatDeg: 0.01, atLatitudeDeg: 11)
        #expect(abs(hypot(o.east, o.north) - Geodesy.distanceKm(11, 107, 11.01, 107.01)) < 0.01)
        #expect(Geodesy.degreesLatitude(km: 110.574) == 1)
    }
}

// Specific attenuation by atmospheric gases for ITU-R P.452-18 §4.1 Eq. (9), §4.3 and §4.4.
//
// P.452-18 takes γ = γ_o + γ_w from Recommendation ITU-R P.676; the ITU-R SG3 reference implementation of P.452-18
// (and its validation set) evaluates them with the line-by-line method of ITU-R P.676-11 (09/2016) Annex 1 §1:
// Eqs. (1)–(9) with the spectroscopic data of Tables 1 (oxygen, 44 lines) and 2 (water vapour, 35 lines). That is
// what is implemented here, so that long paths at 50 GHz (where γ_o ≈ 0.4 dB/km) agree with the reference; the
// simplified Annex 2 curve fit of P.676 would differ by several dB on a 1 000 km path near the 60 GHz complex.
// Left out: P.676-12/-13 line data (they change γ by a few per cent near strong lines), the slant-path parts of P.676.
import Foundation

extension P452 {
    /// Specific gaseous attenuation, dB/km.
    public struct GaseousAttenuation: Sendable, Equatable {
        /// γ_o, dry air (oxygen, pressure-induced nitrogen, non-resonant Debye), dB/km.
        public var oxygenDBPerKm: Double
        /// γ_w, water vapour, dB/km.
        public var waterVapourDBPerKm: Double
        public var totalDBPerKm: Double { oxygenDBPerKm + waterVapourDBPerKm }
    }

    // P.676-11 Annex 1 Table 1 (oxygen): f0 (GHz), a1, a2, a3, a4, a5, a6. (a4 is 0 for every line.)
    private static let oxygenLines: [(f0: Double, a1: Double, a2: Double, a3: Double, a5: Double, a6: Double)] = [
        (50.474214, 0.975, 9.651, 6.690, 2.566, 6.850), (50.987745, 2.529, 8.653, 7.170, 2.246, 6.800),
        (51.503360, 6.193, 7.709, 7.640, 1.947, 6.729), (52.021429, 14.320, 6.819, 8.110, 1.667, 6.640),
        (52.542418, 31.240, 5.983, 8.580, 1.388, 6.526), (53.066934, 64.290, 5.201, 9.060, 1.349, 6.206),
        (53.595775, 124.600, 4.474, 9.550, 2.227, 5.085), (54.130025, 227.300, 3.800, 9.960, 3.170, 3.750),
        (54.671180, 389.700, 3.182, 10.370, 3.558, 2.654), (55.221384, 627.100, 2.618, 10.890, 2.560, 2.952),
        (55.783815, 945.300, 2.109, 11.340, -1.172, 6.135), (56.264774, 543.400, 0.014, 17.030, 3.525, -0.978),
        (56.363399, 1331.800, 1.654, 11.890, -2.378, 6.547), (56.968211, 1746.600, 1.255, 12.230, -3.545, 6.451),
        (57.612486, 2120.100, 0.910, 12.620, -5.416, 6.056), (58.323877, 2363.700, 0.621, 12.950, -1.932, 0.436),
        (58.446588, 1442.100, 0.083, 14.910, 6.768, -1.273), (59.164204, 2379.900, 0.387, 13.530, -6.561, 2.309),
        (59.590983, 2090.700, 0.207, 14.080, 6.957, -0.776), (60.306056, 2103.400, 0.207, 14.150, -6.395, 0.699),
        (60.434778, 2438.000, 0.386, 13.390, 6.342, -2.825), (61.150562, 2479.500, 0.621, 12.920, 1.014, -0.584),
        (61.800158, 2275.900, 0.910, 12.630, 5.014, -6.619), (62.411220, 1915.400, 1.255, 12.170, 3.029, -6.759),
        (62.486253, 1503.000, 0.083, 15.130, -4.499, 0.844), (62.997984, 1490.200, 1.654, 11.740, 1.856, -6.675),
        (63.568526, 1078.000, 2.108, 11.340, 0.658, -6.139), (64.127775, 728.700, 2.617, 10.880, -3.036, -2.895),
        (64.678910, 461.300, 3.181, 10.380, -3.968, -2.590), (65.224078, 274.000, 3.800, 9.960, -3.528, -3.680),
        (65.764779, 153.000, 4.473, 9.550, -2.548, -5.002), (66.302096, 80.400, 5.200, 9.060, -1.660, -6.091),
        (66.836834, 39.800, 5.982, 8.580, -1.680, -6.393), (67.369601, 18.560, 6.818, 8.110, -1.956, -6.475),
        (67.900868, 8.172, 7.708, 7.640, -2.216, -6.545), (68.431006, 3.397, 8.652, 7.170, -2.492, -6.600),
        (68.960312, 1.334, 9.650, 6.690, -2.773, -6.650), (118.750334, 940.300, 0.010, 16.640, -0.439, 0.079),
        (368.498246, 67.400, 0.048, 16.400, 0, 0), (424.763020, 637.700, 0.044, 16.400, 0, 0),
        (487.249273, 237.400, 0.049, 16.000, 0, 0), (715.392902, 98.100, 0.145, 16.000, 0, 0),
        (773.839490, 572.300, 0.141, 16.200, 0, 0), (834.145546, 183.100, 0.145, 14.700, 0, 0)
    ]

    // P.676-11 Annex 1 Table 2 (water vapour): f0 (GHz), b1, b2, b3, b4, b5, b6.
    private static let waterVapourLines: [(f0: Double, b1: Double, b2: Double, b3: Double, b4: Double, b5: Double, b6: Double)] = [
        (22.235080, 0.1079, 2.144, 26.38, 0.76, 5.087, 1.00), (67.803960, 0.0011, 8.732, 28.58, 0.69, 4.930, 0.82),
        (119.995940, 0.0007, 8.353, 29.48, 0.70, 4.780, 0.79), (183.310087, 2.273, 0.668, 29.06, 0.77, 5.022, 0.85),
        (321.225630, 0.0470, 6.179, 24.04, 0.67, 4.398, 0.54), (325.152888, 1.514, 1.541, 28.23, 0.64, 4.893, 0.74),
        (336.227764, 0.0010, 9.825, 26.93, 0.69, 4.740, 0.61), (380.197353, 11.67, 1.048, 28.11, 0.54, 5.063, 0.89),
        (390.134508, 0.0045, 7.347, 21.52, 0.63, 4.810, 0.55), (437.346667, 0.0632, 5.048, 18.45, 0.60, 4.230, 0.48),
        (439.150807, 0.9098, 3.595, 20.07, 0.63, 4.483, 0.52), (443.018343, 0.1920, 5.048, 15.55, 0.60, 5.083, 0.50),
        (448.001085, 10.41, 1.405, 25.64, 0.66, 5.028, 0.67), (470.888999, 0.3254, 3.597, 21.34, 0.66, 4.506, 0.65),
        (474.689092, 1.260, 2.379, 23.20, 0.65, 4.804, 0.64), (488.490108, 0.2529, 2.852, 25.86, 0.69, 5.201, 0.72),
        (503.568532, 0.0372, 6.731, 16.12, 0.61, 3.980, 0.43), (504.482692, 0.0124, 6.731, 16.12, 0.61, 4.010, 0.45),
        (547.676440, 0.9785, 0.158, 26.00, 0.70, 4.500, 1.00), (552.020960, 0.1840, 0.158, 26.00, 0.70, 4.500, 1.00),
        (556.935985, 497.0, 0.159, 30.86, 0.69, 4.552, 1.00), (620.700807, 5.015, 2.391, 24.38, 0.71, 4.856, 0.68),
        (645.766085, 0.0067, 8.633, 18.00, 0.60, 4.000, 0.50), (658.005280, 0.2732, 7.816, 32.10, 0.69, 4.140, 1.00),
        (752.033113, 243.4, 0.396, 30.86, 0.68, 4.352, 0.84), (841.051732, 0.0134, 8.177, 15.90, 0.33, 5.760, 0.45),
        (859.965698, 0.1325, 8.055, 30.60, 0.68, 4.090, 0.84), (899.303175, 0.0547, 7.914, 29.85, 0.68, 4.530, 0.90),
        (902.611085, 0.0386, 8.429, 28.65, 0.70, 5.100, 0.95), (906.205957, 0.1836, 5.110, 24.08, 0.70, 4.700, 0.53),
        (916.171582, 8.400, 1.441, 26.73, 0.70, 5.150, 0.78), (923.112692, 0.0079, 10.293, 29.00, 0.70, 5.000, 0.80),
        (970.315022, 9.009, 1.919, 25.50, 0.64, 4.940, 0.67), (987.926764, 134.6, 0.257, 29.85, 0.68, 4.550, 0.90),
        (1780.000000, 17506.0, 0.952, 196.3, 2.00, 24.15, 5.00)
    ]

    /// Specific attenuation of dry air and water vapour, ITU-R P.676-11 Annex 1 §1 (line-by-line), as used by
    /// P.452-18 Eq. (9).
    /// - Parameters:
    ///   - frequencyGHz: f, GHz.
    ///   - dryPressureHPa: p, dry-air pressure, hPa.
    ///   - waterVapourDensityGPerM3: ρ, g/m³ (P.452 Eq. (9a): 7.5 + 2.5 ω; 3 g/m³ for troposcatter).
    ///   - temperatureC: t, °C.
    public static func gaseousAttenuation(
        frequencyGHz f: Double, dryPressureHPa p: Double,
        waterVapourDensityGPerM3 rho: Double,
        temperatureC: Double
    ) -> GaseousAttenuation {
        let tK = temperatureC + 273.15 // T, K
        let theta = 300 / tK // θ = 300/T
        let e = rho * tK / 216.7 // P.676-11 Eq. (4): water-vapour partial pressure e, hPa
        let theta3 = theta * theta * theta
        let theta08 = pow(theta, 0.8)
        let theta35 = theta3 * theta.squareRoot() // θ^3.5

        // Oxygen, P.676-11 Eqs. (3), (5)–(7) with Table 1 (a4 = 0, so θ^(0.8 − a4) = θ^0.8).
        var sumO = 0.0
        for line in oxygenLines {
            let fi = line.f0
            let si = line.a1 * 1e-7 * p * theta3 * exp(line.a2 * (1 - theta)) // Eq. (3), S_i
            var df = line.a3 * 1e-4 * (p * theta08 + 1.1 * e * theta) // Eq. (6a), Δf
            df = (df * df + 2.25e-6).squareRoot() // Eq. (6b), Zeeman splitting
            let delta = (line.a5 + line.a6 * theta) * 1e-4 * (p + e) * theta08 // Eq. (7), δ
            let dm = fi - f, dp = fi + f
            let fl =
                f / fi
                * ((df - delta * dm) / (dm * dm + df * df)
                    + (df - delta * dp) / (dp * dp + df * df)) // Eq. (5), line shape F_i
            sumO += si * fl
        }
        // Eqs. (8)–(9): dry continuum N''_D(f), with the Debye width d.
        let d = 5.6e-4 * (p + e) * theta08 // Eq. (9), d
        let fd = f / d
        let nd =
            f * p * theta * theta
            * (6.14e-5 / (d * (1 + fd * fd))
                + 1.4e-12 * p * pow(theta, 1.5) / (1 + 1.9e-5 * pow(f, 1.5))) // Eq. (8)
        let gammaO = 0.1820 * f * (sumO + nd) // Eqs. (1)–(2), γ_o, dB/km

        // Water vapour, P.676-11 Eqs. (3), (5), (6a), (6b) with Table 2 (δ = 0 for water-vapour lines).
        var sumW = 0.0
        for line in waterVapourLines {
            let fi = line.f0
            let si = line.b1 * 1e-1 * e * theta35 * exp(line.b2 * (1 - theta)) // Eq. (3), S_i
            var df = line.b3 * 1e-4 * (p * pow(theta, line.b4) + line.b5 * e * pow(theta, line.b6)) // Eq. (6a)
            df = 0.535 * df + (0.217 * df * df + 2.1316e-12 * fi * fi / theta).squareRoot() // Eq. (6b), Doppler
            let dm = fi - f, dp = fi + f
            let fl = f / fi * (df / (dm * dm + df * df) + df / (dp * dp + df * df)) // Eq. (5) with δ = 0
            sumW += si * fl
        }
        let gammaW = 0.1820 * f * sumW // Eqs. (1)–(2), γ_w, dB/km
        return GaseousAttenuation(oxygenDBPerKm: gammaO, waterVapourDBPerKm: gammaW)
    }
}

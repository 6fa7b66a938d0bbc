// ITU-R P.1812-8 (09/2025): a path-specific propagation prediction method for point-to-area terrestrial
// services in the frequency range 30 MHz to 6 000 MHz. Public interface: input, result, warnings.
//
// Implemented (Annex 1): radio-climatic zones and the distances d_tm, d_lm, the sea fraction ω (§3.3, §3.6),
// β0 (§3.6), the effective Earth radii a_e and a_β (§3.7), the path-profile analysis of Attachment 1 (LoS or
// transhorizon, horizon angles and distances, angular distance, smooth-Earth and effective heights, h_m),
// line of sight with focusing/multipath (§4.2), delta-Bullington diffraction with the time-percentage
// interpolation between a_e and a_β (§4.3), troposcatter (§4.4), ducting/layer reflection (§4.5), the
// combination (§4.6), location variability (§4.7), an optional building entry loss supplied by the caller
// (§4.8), L_b for p % time and p_L % locations (§4.9) and the field strength E_p (§4.10).
//
// Representative clutter (§3.2.1, Table 2): each intermediate profile point is raised by its representative
// clutter height R_i (g_i = h_i + R_i); the two terminal points stay at ground level. This is how P.1812-6/-7/-8
// account for terminal surroundings: the separate terminal-clutter (height-gain) correction of P.1812-5 §4.7 no
// longer exists in the Recommendation, and adding one would count the clutter twice.
//
// Equation numbers: §3–§4 of Annex 1 are cited with the equation labels of the ITU-R SG3 validation logs
// (eeveetza/Py1812, e.g. "Eq. (44)" for L_bs, "Eq. (63)" for L_bc); Attachment 1 (Eqs. (76)–(95)) with the numbers
// of that reference implementation's source, whose logs label a few of the same heights two numbers lower.
// The text of P.1812-8 itself was not at hand: the section numbers (those of P.1812-8) are the firm reference.
//
// Left out: the ITU digital maps of ΔN and N0 (P.453; not redistributable: both are inputs), the alternative
// Attachment 4 method for L_bulls without profile analysis, the surface-data (DSM) profile variant of §3.2.2,
// the building-entry-loss statistics of P.2109 (mean and σ are inputs), and the Attachment 3 interpolation of
// the coast distances from maps (d_ct, d_cr are inputs, default 500 km, 0 for a terminal in a sea zone).
import Foundation

/// ITU-R P.1812-8 point-to-area prediction. Pure functions; all types are `Sendable`.
public enum P1812 {
    public static let modelName = "ITU-R P.1812-8"

    /// Radio-climatic zone of a profile point (§3.3, Table 3). Raw values are the codes of the SG3 profiles.
    public enum Zone: Int, Sendable, Hashable, CaseIterable {
        /// Sea, lakes and rivers large enough to count as sea (code 1, "B").
        case sea = 1
        /// Coastal land: land adjacent to sea up to 100 m altitude and within 50 km of the coast (code 3, "A1").
        case coastalLand = 3
        /// Inland: all land other than coastal land (code 4, "A2").
        case inland = 4
    }

    /// Clutter categories of §3.2.1 Table 2 with their default representative clutter heights.
    public enum ClutterCategory: Int, Sendable, Hashable, CaseIterable {
        case waterSea = 1, openRural = 2, suburban = 3, urbanTreesForest = 4, denseUrban = 5

        /// Default representative clutter height R, m (§3.2.1 Table 2).
        public var defaultRepresentativeHeightM: Double {
            switch self {
            case .waterSea, .openRural: return 0
            case .suburban: return 10
            case .urbanTreesForest: return 15
            case .denseUrban: return 20
            }
        }
    }

    /// Standard deviation of location variability (§4.7).
    public enum LocationVariability: Sendable, Hashable {
        /// σ_L from the §4.7 formula for a square area of the given width, m (100 m is typical), reduced by
        /// the receiver's height above its representative clutter: σ_L = (0.52 + 0.024 f) w_a^0.28 · u_h.
        case computed(areaWidthM: Double)
        /// A σ_L supplied by the caller, dB (e.g. 5.5 dB for DTT planning).
        case sigmaDB(Double)
    }

    /// Building entry loss supplied by the caller from ITU-R P.2109 (§4.8): mean loss and its standard deviation.
    public struct BuildingEntry: Sendable, Hashable {
        public var meanLossDB: Double
        public var sigmaDB: Double
        public init(meanLossDB: Double, sigmaDB: Double) {
            self.meanLossDB = meanLossDB
            self.sigmaDB = sigmaDB
        }
    }

    /// Radio-meteorological inputs at the path centre (§3.5). P.1812 takes ΔN and N0 from the P.453 digital maps,
    /// which the ITU does not allow to be redistributed: users must supply values read from those maps.
    ///
    /// Indicative values for Vietnam (tropical, humid; read off the published P.453 figures, NOT map lookups):
    /// ΔN ≈ 45–60 N-units/km and N0 ≈ 350–380 N-units. `indicativeVietnam` uses ΔN = 50, N0 = 365 for first
    /// studies only; replace them with the P.453 values at the path centre for any regulatory work.
    public struct RadioMeteorology: Sendable, Hashable {
        /// ΔN, average radio-refractivity lapse rate through the lowest 1 km, N-units/km (positive).
        public var deltaN: Double
        /// N0, sea-level surface refractivity, N-units.
        public var n0: Double
        public init(deltaN: Double, n0: Double) {
            self.deltaN = deltaN
            self.n0 = n0
        }
        public static let indicativeVietnam = RadioMeteorology(deltaN: 50, n0: 365)
    }

    public struct Input: Sendable {
        /// Distance of each profile point from the transmitter, km; first 0, strictly increasing, ≥ 5 points.
        public var distancesKm: [Double]
        /// Terrain height of each point, m above sea level.
        public var heightsM: [Double]
        /// Representative clutter height R_i of each point, m (§3.2.1); nil for none. Terminal points are ignored.
        public var clutterHeightsM: [Double]?
        /// Radio-climatic zone of each point (§3.3); nil for all inland.
        public var zones: [Zone]?
        public var frequencyGHz: Double
        /// p, % of an average year for which L_b is not exceeded (1–50 %).
        public var timePercent: Double
        /// p_L, % of locations (1–99 %).
        public var locationPercent: Double
        /// Antenna heights above ground, m (1–3000 m).
        public var txHeightM: Double
        public var rxHeightM: Double
        public var txLatitudeDeg: Double
        public var txLongitudeDeg: Double
        public var rxLatitudeDeg: Double
        public var rxLongitudeDeg: Double
        public var polarization: P526.Polarization
        public var meteorology: RadioMeteorology
        /// Transmitter e.r.p., kW; when set, the result also carries E for this power.
        public var txERPkW: Double?
        /// d_ct, d_cr: distance over land from each terminal to the coast along the path, km (§3.4).
        /// nil → 500 km (far from the sea), or 0 when the terminal's own profile point is in a sea zone.
        public var txCoastDistanceKm: Double?
        public var rxCoastDistanceKm: Double?
        public var locationVariability: LocationVariability
        /// Building entry loss (§4.8), nil for an outdoor receiver.
        public var buildingEntry: BuildingEntry?

        public init(
            distancesKm: [Double], heightsM: [Double], clutterHeightsM: [Double]? = nil, zones: [Zone]? = nil,
            frequencyGHz: Double, timePercent: Double, locationPercent: Double = 50,
            txHeightM: Double, rxHeightM: Double,
            txLatitudeDeg: Double, txLongitudeDeg: Double, rxLatitudeDeg: Double, rxLongitudeDeg: Double,
            polarization: P526.Polarization = .horizontal, meteorology: RadioMeteorology,
            txERPkW: Double? = nil, txCoastDistanceKm: Double? = nil, rxCoastDistanceKm: Double? = nil,
            locationVariability: LocationVariability = .computed(areaWidthM: 100),
            buildingEntry: BuildingEntry? = nil
        ) {
            self.distancesKm = distancesKm
            self.heightsM = heightsM
            self.clutterHeightsM = clutterHeightsM
            self.zones = zones
            self.frequencyGHz = frequencyGHz
            self.timePercent = timePercent
            self.locationPercent = locationPercent
            self.txHeightM = txHeightM
            self.rxHeightM = rxHeightM
            self.txLatitudeDeg = txLatitudeDeg
            self.txLongitudeDeg = txLongitudeDeg
            self.rxLatitudeDeg = rxLatitudeDeg
            self.rxLongitudeDeg = rxLongitudeDeg
            self.polarization = polarization
            self.meteorology = meteorology
            self.txERPkW = txERPkW
            self.txCoastDistanceKm = txCoastDistanceKm
            self.rxCoastDistanceKm = rxCoastDistanceKm
            self.locationVariability = locationVariability
            self.buildingEntry = buildingEntry
        }
    }

    public enum PathType: Int, Sendable, Hashable {
        case lineOfSight = 1
        case transhorizon = 2
    }

    public struct Warnings: NamedWarnings, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Path length outside 0.25–3000 km, the Recommendation's range.
        public static let distanceOutsideRange = Warnings(rawValue: 1 << 0)
        /// p_L outside 1–99 %.
        public static let locationPercentOutsideRange = Warnings(rawValue: 1 << 1)
        /// ΔN outside 20–100 N-units/km or N0 outside 250–420 N-units: values unlike any on the P.453 maps.
        public static let meteorologyUnusual = Warnings(rawValue: 1 << 2)
        /// Profile length differs by more than 1 % (and 0.1 km) from the great-circle distance of the coordinates.
        public static let profileLengthMismatch = Warnings(rawValue: 1 << 3)
        /// Fewer than 10 profile points: horizons and the Bullington point are poorly resolved.
        public static let coarseProfile = Warnings(rawValue: 1 << 4)
        /// Building entry loss requested for a receiver in a sea zone (ignored there, as location variability).
        public static let buildingEntryAtSea = Warnings(rawValue: 1 << 5)

        public static let named: [(flag: Warnings, name: String)] = [
            (.distanceOutsideRange, "distance_outside_range"),
            (.locationPercentOutsideRange, "location_percent_outside_range"),
            (.meteorologyUnusual, "meteorology_unusual"),
            (.profileLengthMismatch, "profile_length_mismatch"),
            (.coarseProfile, "coarse_profile"),
            (.buildingEntryAtSea, "building_entry_at_sea")
        ]
    }

    /// Intermediate values, named as in the Recommendation (units in the names).
    public struct Intermediates: Sendable, Equatable {
        // Path and climate (§3)
        public var distanceKm = 0.0 // d
        public var longestLandSectionKm = 0.0 // d_tm
        public var longestInlandSectionKm = 0.0 // d_lm
        public var seaFraction = 0.0 // ω
        public var pathCentreLatitudeDeg = 0.0 // φ
        public var pathCentreLongitudeDeg = 0.0
        public var beta0Percent = 0.0 // β0, %
        public var medianEarthRadiusKm = 0.0 // a_e
        public var beta0EarthRadiusKm = 0.0 // a_β
        public var txCoastDistanceKm = 0.0 // d_ct
        public var rxCoastDistanceKm = 0.0 // d_cr
        // Profile analysis (Attachment 1)
        public var txHeightAmslM = 0.0 // h_ts
        public var rxHeightAmslM = 0.0 // h_rs
        public var txHorizonDistanceKm = 0.0 // d_lt
        public var rxHorizonDistanceKm = 0.0 // d_lr
        public var txHorizonAngleMrad = 0.0 // θ_t
        public var rxHorizonAngleMrad = 0.0 // θ_r
        public var angularDistanceMrad = 0.0 // θ
        public var txLeastSquaresHeightM = 0.0 // h_st (least-squares surface)
        public var rxLeastSquaresHeightM = 0.0 // h_sr
        public var txSmoothHeightM = 0.0 // h_st after min(h_st, h_1)
        public var rxSmoothHeightM = 0.0 // h_sr after min(h_sr, h_n)
        public var txDiffractionSurfaceM = 0.0 // h_std
        public var rxDiffractionSurfaceM = 0.0 // h_srd
        public var txDiffractionHeightM = 0.0 // h'_ts = h_ts − h_std (Eq. 37a)
        public var rxDiffractionHeightM = 0.0 // h'_rs = h_rs − h_srd (Eq. 37b)
        public var txEffectiveHeightM = 0.0 // h_te (ducting)
        public var rxEffectiveHeightM = 0.0 // h_re
        public var terrainRoughnessM = 0.0 // h_m
        // Interpolation factors
        public var fi = 0.0, fj = 0.0, fk = 0.0
        // Losses, dB
        public var freeSpaceDB = 0.0 // L_bfs
        public var lineOfSightDB = 0.0 // L_b0p
        public var lineOfSightBeta0DB = 0.0 // L_b0β
        public var bullingtonActual50DB = 0.0 // L_bulla at a_e
        public var bullingtonSmooth50DB = 0.0 // L_bulls at a_e
        public var sphericalEarth50DB = 0.0 // L_dsph at a_e
        public var bullingtonActualBetaDB = 0.0 // L_bulla at a_β
        public var bullingtonSmoothBetaDB = 0.0 // L_bulls at a_β
        public var sphericalEarthBetaDB = 0.0 // L_dsph at a_β
        public var diffraction50DB = 0.0 // L_d50
        public var diffractionBetaDB = 0.0 // L_dβ
        public var diffractionDB = 0.0 // L_dp
        public var diffractionBasic50DB = 0.0 // L_bd50
        public var diffractionBasicDB = 0.0 // L_bd
        public var minimumLoSSeaDB = 0.0 // L_minb0p
        public var ductingDB = 0.0 // L_ba
        public var minimumLoSDuctingDB = 0.0 // L_minbap
        public var diffractionDuctingDB = 0.0 // L_bda
        public var modifiedDB = 0.0 // L_bam
        public var troposcatterDB = 0.0 // L_bs
        public var combinedDB = 0.0 // L_bc
        public var locationSigmaDB = 0.0 // σ_L (or σ_Loc with building entry)
        public var locationCorrectionDB = 0.0 // −I(p_L/100) σ_Loc
        public var buildingEntryDB = 0.0 // L_loc, mean building entry loss
    }

    public struct Result: Sendable, Equatable {
        /// L_b, basic transmission loss not exceeded for p % time and p_L % locations, dB (Eq. 69).
        public var basicLossDB: Double
        /// E_p, field strength exceeded for p % time and p_L % locations for 1 kW e.r.p., dBµV/m (Eq. 70).
        public var fieldStrengthDBuVm: Double
        /// E_p scaled to `Input.txERPkW`, dBµV/m; nil when no e.r.p. was given.
        public var fieldStrengthForERPDBuVm: Double?
        public var pathType: PathType
        public var intermediates: Intermediates
        public var warnings: Warnings
    }
}

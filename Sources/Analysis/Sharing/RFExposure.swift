// Radio-frequency exposure around a tower: the compliance distance for all its transmitters together.
//
// Far field: S_i(p) = EIRP_i · G_rel,i(p) / (4π r_i²)  (W/m²; EIRP in W, G_rel the antenna gain toward p relative
// to boresight, r_i the distance from antenna i to p). Several frequencies: the exposure ratio
// ER(p) = Σ_i S_i(p) / L(f_i) (ICNIRP 2020 summation for the whole-body average, 100 kHz–300 GHz), the limit is
// met where ER < 1. The exclusion zone is where ER ≥ 1.
//
// Figures:
//  - boresight compliance distance r_c = √(Σ_i EIRP_i / (4π L(f_i))): every main beam assumed to point the same
//    way (an upper bound: no point farther than r_c from every antenna can reach ER = 1);
//  - horizontal compliance distance: the largest horizontal distance from the tower axis at which ER ≥ 1, over
//    all azimuths (1° steps) at the height of each antenna, with each antenna's pattern (3GPP sector with its
//    tilts, omnidirectional without azimuth) — the exclusion zone's reach;
//  - ground level: the largest ER at 2 m above ground (a standing person) anywhere around the tower; the
//    exclusion zone reaches ground level when it is ≥ 1;
//  - building: the largest ER at the given roof height + 2 m, at and beyond the building's distance.
// The far-field formula overestimates S close to the antenna (within a few wavelengths and the antenna's
// aperture): the figures are conservative there, as in IEC 62232's simple far-field assessment.
import Foundation
import Radio

/// Reference levels for power density (W/m²) against frequency.
public struct ExposureLimits: Sendable, Equatable, Codable {
    public struct Band: Sendable, Equatable, Codable {
        public var lowMHz: Double
        public var highMHz: Double
        /// Constant limit, W/m² …
        public var limitWm2: Double?
        /// … or a limit proportional to frequency: f (MHz) × this, W/m².
        public var limitWm2PerMHz: Double?
        public init(lowMHz: Double, highMHz: Double, limitWm2: Double? = nil, limitWm2PerMHz: Double? = nil) {
            self.lowMHz = lowMHz; self.highMHz = highMHz; self.limitWm2 = limitWm2; self.limitWm2PerMHz = limitWm2PerMHz
        }
        public func limit(_ f: Double) -> Double { limitWm2 ?? (f * (limitWm2PerMHz ?? .nan)) }
        public var text: String {
            limitWm2.map { "\(ExposureLimits.num(lowMHz))–\(ExposureLimits.num(highMHz)) MHz: \(ExposureLimits.num($0)) W/m²" }
                ?? "\(ExposureLimits.num(lowMHz))–\(ExposureLimits.num(highMHz)) MHz: f/\(ExposureLimits.num(1 / (limitWm2PerMHz ?? 1))) W/m²"
        }
    }
    public var name: String
    public var bands: [Band]
    public init(name: String, bands: [Band]) { self.name = name; self.bands = bands }

    /// ICNIRP 2020 (Health Physics 118(5), Table 5), general public, whole-body average over 30 min, incident
    /// power density: 2 W/m² for 2–400 MHz (ICNIRP states the band below 30 MHz in field strength; 2 W/m² is the
    /// plane-wave equivalent of its 30–400 MHz level), f/200 W/m² for 400–2000 MHz, 10 W/m² for 2–300 GHz.
    public static let icnirp2020 = ExposureLimits(
        name: "ICNIRP 2020 general public, whole-body average",
        bands: [
            Band(lowMHz: 2, highMHz: 400, limitWm2: 2),
            Band(lowMHz: 400, highMHz: 2000, limitWm2PerMHz: 1.0 / 200),
            Band(lowMHz: 2000, highMHz: 300_000, limitWm2: 10)
        ])

    /// The limit at `frequencyMHz`, W/m² (the first band holding it), nil outside the table.
    public func limit(frequencyMHz f: Double) -> Double? {
        bands.first { f >= $0.lowMHz && f <= $0.highMHz }.map { $0.limit(f) }
    }

    static func num(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e12 ? String(Int(x)) : String(format: "%g", x) }

    /// A national table from CSV: `low_mhz,high_mhz,limit_w_m2` with, instead of a constant limit, an optional
    /// column `limit_w_m2_per_mhz` (limit = f × value: ICNIRP's f/200 is 0.005). Bad rows name row and column.
    public static func load(csv path: String) throws -> ExposureLimits {
        let text: String
        do { text = try InputText.read(path, kind: .table) } catch let e as InputFileError {
            throw ProposalError("\(path): cannot read the exposure limits table: \(e.reason)")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { String($0).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard let head = lines.first else { throw ProposalError("\(path): empty exposure limits table") }
        let cols = head.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func col(_ n: String) -> Int? { cols.firstIndex(of: n) }
        guard let lo = col("low_mhz"), let hi = col("high_mhz") else {
            throw ProposalError("\(path): header needs low_mhz, high_mhz and limit_w_m2 (or limit_w_m2_per_mhz)")
        }
        let lc = col("limit_w_m2"), pc = col("limit_w_m2_per_mhz")
        guard lc != nil || pc != nil else { throw ProposalError("\(path): header needs limit_w_m2 or limit_w_m2_per_mhz") }
        var bands: [Band] = []
        for (i, line) in lines.dropFirst().enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            func value(_ c: Int?, _ name: String) throws -> Double? {
                guard let c, c < f.count, !f[c].isEmpty else { return nil }
                guard let x = DecimalNumber.parse(f[c]), x > 0 else {
                    throw ProposalError("\(path): row \(i + 1), column '\(InputText.echo(name))': value '\(InputText.echo(f[c]))': expected a positive number")
                }
                return x
            }
            guard let l = try value(lo, "low_mhz"), let h = try value(hi, "high_mhz"), l < h else {
                throw ProposalError("\(path): row \(i + 1): expected low_mhz < high_mhz, both positive")
            }
            let c = try value(lc, "limit_w_m2"), p = try value(pc, "limit_w_m2_per_mhz")
            guard (c == nil) != (p == nil) else {
                throw ProposalError("\(path): row \(i + 1): give exactly one of limit_w_m2 and limit_w_m2_per_mhz")
            }
            bands.append(Band(lowMHz: l, highMHz: h, limitWm2: c, limitWm2PerMHz: p))
        }
        guard !bands.isEmpty else { throw ProposalError("\(path): no rows in the exposure limits table") }
        return ExposureLimits(name: URL(fileURLWithPath: path).lastPathComponent, bands: bands)
    }
}

/// One radiating source on the tower.
public struct ExposureSource: Sendable, Equatable {
    public var id: String
    public var frequencyMHz: Double
    public var eirpDBm: Double
    public var heightM: Double
    public var azimuthDeg: Double?
    public var mechanicalTiltDeg: Double
    public var electricalTiltDeg: Double
    public init(
        id: String, frequencyMHz: Double, eirpDBm: Double, heightM: Double, azimuthDeg: Double?,
        mechanicalTiltDeg: Double = 0, electricalTiltDeg: Double = 0
    ) {
        self.id = id; self.frequencyMHz = frequencyMHz; self.eirpDBm = eirpDBm; self.heightM = heightM
        self.azimuthDeg = azimuthDeg; self.mechanicalTiltDeg = mechanicalTiltDeg; self.electricalTiltDeg = electricalTiltDeg
    }
}

public struct ExposureAssessment: Sendable, Equatable {
    /// √(Σ EIRP/(4π L)), m.
    public var boresightDistanceM: Double
    /// The exclusion zone's largest horizontal reach from the tower axis, m, and the azimuth where it occurs.
    public var horizontalDistanceM: Double
    public var horizontalAzimuthDeg: Double
    /// Largest exposure ratio at 2 m above ground and where (horizontal distance, m).
    public var groundRatio: Double
    public var groundDistanceM: Double
    /// Largest exposure ratio on the building's roof (+2 m), when a building is given.
    public var buildingRatio: Double?
    public var buildingDistanceM: Double?
    /// Sources outside the limits table (not counted).
    public var unlisted: [String]
    /// Each source's share of the boresight sum Σ EIRP/(4π L), in source order.
    public var shares: [Double]
}

public enum RFExposure {
    /// Height of the evaluation point above the surface a person stands on, m.
    public static let personHeightM = 2.0

    public static func assess(
        _ sources: [ExposureSource], limits: ExposureLimits, buildingHeightM: Double? = nil,
        buildingDistanceM: Double? = nil, antenna: SectorAntenna = SectorAntenna()
    ) -> ExposureAssessment {
        var used: [(s: ExposureSource, k: Double)] = [] // k = EIRP / (4π L), m²
        var unlisted: [String] = []
        var shares: [Double] = []
        for s in sources {
            guard let l = limits.limit(frequencyMHz: s.frequencyMHz), l > 0 else { unlisted.append(s.id); shares.append(0); continue }
            let k = pow(10, (s.eirpDBm - 30) / 10) / (4 * .pi * l)
            used.append((s, k)); shares.append(k)
        }
        let total = used.reduce(0) { $0 + $1.k }
        shares = shares.map { total > 0 ? $0 / total : 0 }
        let rc = total.squareRoot()
        func ratio(x: Double, azimuthDeg: Double, z: Double) -> Double {
            var er = 0.0
            for (s, k) in used {
                let dz = s.heightM - z
                let r2 = x * x + dz * dz
                guard r2 > 1e-6 else { return .infinity }
                var g = 1.0
                if let az = s.azimuthDeg {
                    let dep = atan2(dz, x) * 180 / .pi
                    g = pow(
                        10,
                        antenna.relativeGainDB(
                            offAzimuthDeg: azimuthDeg - az, depressionDeg: dep,
                            mechanicalTiltDeg: s.mechanicalTiltDeg, electricalTiltDeg: s.electricalTiltDeg) / 10)
                }
                er += k * g / r2
            }
            return er
        }
        let step = max(0.05, rc / 400)
        // Horizontal reach at each antenna height.
        var reach = 0.0, reachAz = 0.0
        for z in Set(used.map(\.s.heightM)).sorted() {
            for a in 0..<360 {
                var x = rc
                while x > 0 && ratio(x: x, azimuthDeg: Double(a), z: z) < 1 { x -= step }
                if x > reach + 1e-9 { reach = x; reachAz = Double(a) }
            }
        }
        func worst(z: Double, from x0: Double) -> (ratio: Double, at: Double) {
            var best = 0.0, at = x0
            let far = max(x0, rc) + 2 * step
            var x = x0
            while x <= far + 1e-9 {
                for a in stride(from: 0, to: 360, by: 2) {
                    let r = ratio(x: x, azimuthDeg: Double(a), z: z)
                    if r > best { best = r; at = x }
                }
                x += step
            }
            // Beyond r_c the ratio only falls; a coarser sweep out to the main beams' ground distance.
            for xi in stride(from: far, through: far + 300, by: 1.0) {
                for a in stride(from: 0, to: 360, by: 2) {
                    let r = ratio(x: xi, azimuthDeg: Double(a), z: z)
                    if r > best { best = r; at = xi }
                }
            }
            return (best, at)
        }
        let ground = used.isEmpty ? (0.0, 0.0) : worst(z: personHeightM, from: 0)
        var building: (Double, Double)? = nil
        if let bh = buildingHeightM, !used.isEmpty { building = worst(z: bh + personHeightM, from: buildingDistanceM ?? 0) }
        return ExposureAssessment(
            boresightDistanceM: rc, horizontalDistanceM: reach, horizontalAzimuthDeg: reachAz,
            groundRatio: ground.0, groundDistanceM: ground.1, buildingRatio: building?.0,
            buildingDistanceM: building?.1, unlisted: unlisted, shares: shares)
    }
}

// Transmitter frequency tolerances by band and service: ITU Radio Regulations, Appendix 2 ("Table of transmitter
// frequency tolerances", Section I, the tolerances for transmitters in use; Rev. WRC-19 as transcribed here).
// The table's categories of station are mapped to the register's service names:
//   broadcast_fm → "Broadcasting stations (other than television)", broadcast_tv → "Broadcasting stations
//   (television, sound and vision)", mobile and land_mobile → "Land stations: base stations" (the register lists
//   the network's transmitters, the base stations), fixed → "Fixed stations"; `*` is the fallback of the band.
// Where Appendix 2 splits a category by transmitter power, the looser tolerance is encoded (a register gives EIRP,
// not transmitter power), so that a tolerance finding never rests on a guessed power class. The rows are listed in
// data/README.md ("Monitoring: frequency tolerances"); `tanso monitor --tolerances FILE` replaces them.
import Foundation

public struct ToleranceRule: Sendable, Equatable {
    /// Lower-case service name, or `*` for any service of the band.
    public var service: String
    /// Band: lowMHz ≤ f < highMHz.
    public var lowMHz: Double
    public var highMHz: Double
    /// Tolerance in parts per million of the assigned frequency, or an absolute one in Hz (exactly one is set).
    public var ppm: Double?
    public var hz: Double?
    /// Where the value comes from (the Appendix 2 row).
    public var source: String

    public init(service: String, lowMHz: Double, highMHz: Double, ppm: Double? = nil, hz: Double? = nil, source: String) {
        self.service = service; self.lowMHz = lowMHz; self.highMHz = highMHz; self.ppm = ppm; self.hz = hz; self.source = source
    }

    /// The tolerance at an assigned frequency, Hz (ppm × f in MHz = Hz).
    public func toleranceHz(atMHz f: Double) -> Double { hz ?? (ppm ?? 0) * f }

    /// "20 ppm" or "2000 Hz".
    public var text: String {
        func n(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
        if let hz { return "\(n(hz)) Hz" }
        return "\(n(ppm ?? 0)) ppm"
    }
}

public struct FrequencyTolerances: Sendable, Equatable {
    public var name: String
    public var rules: [ToleranceRule]

    public init(name: String, rules: [ToleranceRule]) { self.name = name; self.rules = rules }

    /// The rule of `service` at `frequencyMHz`: the service's own row of the band, else the band's `*` row.
    public func rule(service: String, frequencyMHz f: Double) -> ToleranceRule? {
        var fallback: ToleranceRule? = nil
        for r in rules where f >= r.lowMHz && f < r.highMHz {
            if r.service == service { return r }
            if fallback == nil && r.service == "*" { fallback = r }
        }
        return fallback
    }

    static func rows(_ low: Double, _ high: Double, _ bandName: String, _ entries: [(String, Double?, Double?, String)]) -> [ToleranceRule] {
        entries.map { ToleranceRule(service: $0.0, lowMHz: low, highMHz: high, ppm: $0.1, hz: $0.2, source: "RR App. 2, \(bandName): \($0.3)") }
    }

    /// RR Appendix 2, Section I, by band (ppm of the assigned frequency unless given in Hz).
    public static let radioRegulations = FrequencyTolerances(
        name: "ITU-R Radio Regulations Appendix 2",
        rules:
            rows(
                0.009, 0.535, "9–535 kHz",
                [
                    ("broadcast_am", nil, 10, "broadcasting stations"), ("fixed", 100, nil, "fixed stations 9–50 kHz"),
                    ("*", 100, nil, "land stations")
                ])
            + rows(0.535, 1.6065, "535–1606.5 kHz", [("broadcast_am", nil, 10, "broadcasting stations"), ("*", 100, nil, "land stations")])
            + rows(
                1.6065, 4, "1606.5–4000 kHz",
                [
                    ("broadcast_am", nil, 10, "broadcasting stations"), ("fixed", 100, nil, "fixed stations, 200 W or less"),
                    ("*", 100, nil, "land stations, 200 W or less")
                ])
            + rows(
                4, 29.7, "4–29.7 MHz",
                [
                    ("broadcast_am", nil, 10, "broadcasting stations"), ("fixed", 20, nil, "fixed stations, other than single-sideband, 500 W or less"),
                    ("*", 20, nil, "land stations: base stations")
                ])
            + rows(
                29.7, 100, "29.7–100 MHz",
                [
                    ("broadcast_fm", nil, 2000, "broadcasting stations (other than television)"),
                    ("broadcast_tv", nil, 500, "broadcasting stations (television, sound and vision)"),
                    ("fixed", 30, nil, "fixed stations"), ("land_mobile", 20, nil, "land stations"), ("mobile", 20, nil, "land stations"),
                    ("*", 20, nil, "land stations")
                ])
            + rows(
                100, 235, "100–470 MHz",
                [
                    ("broadcast_fm", nil, 2000, "broadcasting stations (other than television)"),
                    ("broadcast_tv", nil, 500, "broadcasting stations (television, sound and vision)"),
                    ("fixed", 20, nil, "fixed stations"), ("land_mobile", 15, nil, "land stations: base stations, 100–235 MHz"),
                    ("mobile", 15, nil, "land stations: base stations, 100–235 MHz"), ("*", 20, nil, "land stations: aeronautical stations")
                ])
            + rows(
                235, 401, "100–470 MHz",
                [
                    ("broadcast_tv", nil, 500, "broadcasting stations (television, sound and vision)"), ("fixed", 20, nil, "fixed stations"),
                    ("land_mobile", 7, nil, "land stations: base stations, 235–401 MHz"), ("mobile", 7, nil, "land stations: base stations, 235–401 MHz"),
                    ("*", 20, nil, "land stations: aeronautical stations")
                ])
            + rows(
                401, 470, "100–470 MHz",
                [
                    ("broadcast_tv", nil, 500, "broadcasting stations (television, sound and vision)"), ("fixed", 20, nil, "fixed stations"),
                    ("land_mobile", 5, nil, "land stations: base stations, 401–470 MHz"), ("mobile", 5, nil, "land stations: base stations, 401–470 MHz"),
                    ("*", 20, nil, "land stations: aeronautical stations")
                ])
            + rows(
                470, 2450, "470–2450 MHz",
                [
                    ("broadcast_tv", nil, 500, "broadcasting stations (television, sound and vision)"),
                    ("broadcast_fm", 100, nil, "broadcasting stations (other than television)"),
                    ("fixed", 100, nil, "fixed stations, 100 W or less"), ("land_mobile", 20, nil, "land stations"), ("mobile", 20, nil, "land stations"),
                    ("*", 20, nil, "land stations")
                ])
            + rows(
                2450, 10_500, "2450–10500 MHz",
                [("fixed", 200, nil, "fixed stations, 100 W or less"), ("*", 100, nil, "land stations")])
            + rows(10_500, 40_000, "10.5–40 GHz", [("fixed", 300, nil, "fixed stations"), ("*", 300, nil, "fixed stations")])
    )
}

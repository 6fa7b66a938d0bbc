// Field strength over a grid with the coverage engine: the engine deposits EIRP + G − L per cell; giving it, in
// place of each transmitter's EIRP in dBm, the constant of the field-strength relation
//     E = EIRP(dBW) − L_b + 20 log10 f + k,   k = 107.2130 dB (ITU-R P.525) or 107.15 dB (P.1546 §17, for a loss
//                                             that P.1546 produced from its own field strength)
// makes the deposited value the field strength in dB(µV/m) at the receiving height (study metric "field-strength",
// `tanso coverage --metric field-strength`), with every strategy of the
// engine (radial or exact profiles, antennas, clutter) unchanged. P.1546 works from the terrain as it defines it
// (h1 from the profile, §3; terrain clearance angle, §11; location variability, §12, through `location_pct`).
import Foundation
import Propagation
import Radio
import Records
import Terrain

public enum FieldStrengthCoverage {
    /// The loss convention of a coverage model (P.1546's own §17 constant, P.525 for every other model).
    public static func convention(model: String) -> FieldStrength.LossConvention { model == "p1546" ? .p1546 : .p525 }

    /// The value to put in place of a transmitter's EIRP (dBm) so that the engine deposits dB(µV/m).
    public static func fieldEIRP(eirpDBm: Double, frequencyMHz: Double, model: String) -> Double {
        FieldStrength.fieldDBuVm(basicLossDB: 0, eirpDBW: eirpDBm - 30, frequencyMHz: frequencyMHz, convention: convention(model: model))
    }

    /// The EIRP the engine deposits with: the record's (power) or the field-strength constant (field-strength).
    static func depositedEIRP(_ t: Transmitter, study: CoverageStudy) -> Double {
        study.isFieldStrength ? fieldEIRP(eirpDBm: t.eirpDBm, frequencyMHz: t.frequencyMHz, model: study.model) : t.eirpDBm
    }

    /// Field strength of every transmitter on the study's grid, one layer each (dBµV/m, `CoverageResult.nodata`
    /// where the transmitter gives nothing: beyond the study radius, no terrain, below `study.floorDBm` read as
    /// dBµV/m). Each transmitter is its own service in the engine, so one run gives all the layers.
    public static func perTransmitter(
        study: CoverageStudy, transmitters: [Transmitter], dem: ElevationModel?, antennas: AntennaLibrary? = nil,
        progress: ProgressHandler? = nil
    ) throws -> (spec: GridSpec, layers: [[Float]], ground: [Float]?, diagnostics: CoverageEngine.Diagnostics) {
        var own = transmitters, fieldStudy = study
        for i in own.indices { own[i].operatorName = "#\(i)" }
        fieldStudy.metric = "field-strength"
        let result = try CoverageEngine.run(study: fieldStudy, transmitters: own, dem: dem, antennas: antennas, progress: progress)
        let layers = own.map { t in result.serviceDBm[ServiceKey(t.operatorName, t.technology)]! }
        return (result.spec, layers, result.groundM, result.diagnostics)
    }
}

extension FieldStrengthCoverage {
    /// The wanted (50 % of time) and interfering (1 % of time) fields of broadcast assignments on the study's grid,
    /// with the study's model at `time_pct` 50 and 1 (P.1546 and P.1812 read it; models without a time percentage
    /// give the same field twice). A station that `interferingNeeded` marks false gets no 1 % field (an empty
    /// layer): no analysis reads it. With the radial profile method (the default over a DEM) both fields come from
    /// one run: one profile per cell, the 1 % loss evaluated beside the 50 % one (P.1546 derives h1 and the
    /// clearance angles once), each field refined on its own, so each equals its own run's
    /// (`broadcastFieldsInTwoRuns`) exactly. Other methods make the two runs.
    public static func broadcastFields(
        _ assignments: [Assignment], study: CoverageStudy, dem: ElevationModel?, interferingNeeded: [Bool]? = nil,
        antennas: AntennaLibrary? = nil, progress: ProgressHandler? = nil
    ) throws -> (fields: BroadcastFields, ground: [Float]?, diagnostics: CoverageEngine.Diagnostics) {
        var own = assignments.map(\.broadcastTransmitter)
        for i in own.indices { own[i].operatorName = "#\(i)" }
        var s50 = study, s1 = study
        s50.modelSettings["time_pct"] = "50"
        s1.modelSettings["time_pct"] = "1"
        s50.metric = "field-strength"; s1.metric = "field-strength"
        let needed = interferingNeeded ?? Array(repeating: true, count: assignments.count)
        if let m1 = try s1.validated().profileModel, needed.contains(true) {
            let r = try CoverageEngine.run(
                validated: try s50.validated(), transmitters: own, dem: dem, antennas: antennas,
                companion: .init(model: m1, transmitters: needed), progress: progress)
            if let other = r.companion {
                let keys = own.map { ServiceKey($0.operatorName, $0.technology) }
                let fields = BroadcastFields(
                    spec: r.result.spec, wanted: keys.map { r.result.serviceDBm[$0]! },
                    interfering: keys.indices.map { needed[$0] ? other[keys[$0]]! : [] })
                return (fields, r.result.groundM, r.result.diagnostics)
            }
        }
        return try broadcastFieldsInTwoRuns(
            assignments, study: study, dem: dem, interferingNeeded: interferingNeeded, antennas: antennas, progress: progress)
    }

    /// The same fields from two runs of the engine, at `time_pct` 50 and 1 (methods that cannot share profiles).
    /// Progress runs 0–0.5 over the first run, 0.5–1 over the second.
    public static func broadcastFieldsInTwoRuns(
        _ assignments: [Assignment], study: CoverageStudy, dem: ElevationModel?, interferingNeeded: [Bool]? = nil,
        antennas: AntennaLibrary? = nil, progress: ProgressHandler? = nil
    ) throws -> (fields: BroadcastFields, ground: [Float]?, diagnostics: CoverageEngine.Diagnostics) {
        let transmitters = assignments.map(\.broadcastTransmitter)
        var s50 = study, s1 = study
        s50.modelSettings["time_pct"] = "50"
        s1.modelSettings["time_pct"] = "1"
        let w = try perTransmitter(
            study: s50, transmitters: transmitters, dem: dem, antennas: antennas, progress: progress.map { p in { @Sendable x in p(0.5 * x) } })
        // The 1 % field only of the stations some analysis reads as an interferer (`interferingNeeded`; all by default).
        let needed = interferingNeeded ?? Array(repeating: true, count: assignments.count)
        let subset = transmitters.indices.filter { needed[$0] }
        var layers = [[Float]](repeating: [], count: assignments.count)
        var d = w.diagnostics
        if !subset.isEmpty {
            let i = try perTransmitter(
                study: s1, transmitters: subset.map { transmitters[$0] }, dem: dem, antennas: antennas,
                progress: progress.map { p in { @Sendable x in p(0.5 + 0.5 * x) } })
            for (k, j) in subset.enumerated() { layers[j] = i.layers[k] }
            d.cellsWithoutTerrain = max(d.cellsWithoutTerrain, i.diagnostics.cellsWithoutTerrain)
            d.cellsRejectedByModel = max(d.cellsRejectedByModel, i.diagnostics.cellsRejectedByModel)
            d.profilesComputed += i.diagnostics.profilesComputed
        }
        return (BroadcastFields(spec: w.spec, wanted: w.layers, interfering: layers), w.ground, d)
    }
}

extension Assignment {
    /// The assignment as a coverage transmitter (omnidirectional unless it has an azimuth), EIRP from the record.
    public var broadcastTransmitter: Transmitter {
        Transmitter(
            id: id, siteID: stationID, operatorName: licensee, technology: service == "broadcast_tv" ? .tv : service == "broadcast_fm" ? .fm : .other,
            latitude: latitude, longitude: longitude, antennaHeightM: antennaHeightM, frequencyMHz: tx.centreMHz,
            bandwidthMHz: tx.bandwidthKHz / 1000, eirpDBm: eirpDBm, azimuthDeg: azimuthDeg, antennaPattern: antennaPattern)
    }
}

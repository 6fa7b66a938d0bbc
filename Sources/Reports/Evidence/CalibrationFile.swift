// calibration.json: what `tanso calibrate` writes and `tanso coverage --calibration` reads.
import Foundation
import Analysis

public enum CalibrationFile {
    public static let name = "calibration.json"

    struct Statistics: Encodable {
        let count: Int
        let meanErrorDB: Double?, sigmaDB: Double?, rmseDB: Double?, correlation: Double?
        init(_ s: ErrorStatistics) {
            count = s.count; meanErrorDB = s.meanDB.map(r); sigmaDB = s.sigmaDB.map(r); rmseDB = s.rmseDB.map(r); correlation = s.correlation.map(r)
        }
        enum CodingKeys: String, CodingKey { case count, meanErrorDB = "mean_error_db", sigmaDB = "sigma_db", rmseDB = "rmse_db", correlation }
    }
    struct BeforeAfter: Encodable { let before: Statistics, after: Statistics }
    struct Holdout: Encodable {
        let tileSizeM: Double, every: Int, tiles: Int, heldOutTiles: Int, unfittedClassPoints: Int
        let before: Statistics, after: Statistics
        enum CodingKeys: String, CodingKey {
            case tileSizeM = "tile_size_m", every, tiles, heldOutTiles = "held_out_tiles", unfittedClassPoints = "points_of_classes_not_fitted", before, after
        }
    }
    struct Parameter: Encodable {
        let name: String, valueDB: Double, standardErrorDB: Double
        enum CodingKeys: String, CodingKey { case name, valueDB = "value_db", standardErrorDB = "standard_error_db" }
    }
    struct Input: Encodable { let role: String, file: String, sha256: String }
    struct Document: Encodable {
        let model: String, offsetDB: Double, slopeDBPerDecade: Double, clutterLossesDB: [String: Double], referenceClass: Int?
        let sign: String, parameters: [Parameter], fit: BeforeAfter, holdout: Holdout, inputs: [Input]
        enum CodingKeys: String, CodingKey {
            case model, offsetDB = "offset_db", slopeDBPerDecade = "slope_db_per_decade", clutterLossesDB = "clutter_losses_db"
            case referenceClass = "reference_class", sign, parameters, fit, holdout, inputs
        }
    }

    static func r(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    /// The JSON text (keys sorted, numbers to 0.001 dB).
    public static func encode(_ c: CalibrationResult, options: CalibrationOptions, inputs: [(role: String, name: String, sha256: String)]) throws -> Data {
        let doc = Document(
            model: c.calibration.model, offsetDB: r(c.calibration.offsetDB), slopeDBPerDecade: r(c.calibration.slopeDBPerDecade),
            clutterLossesDB: c.calibration.clutterLossesDB.mapValues(r), referenceClass: c.referenceClass,
            sign:
                "extra loss = offset_db + slope_db_per_decade * log10(d / 1 km) + clutter_losses_db[class]; positive means more loss than the model; error = measured - predicted",
            parameters: c.parameters.map { Parameter(name: $0.name, valueDB: r($0.valueDB), standardErrorDB: r($0.standardErrorDB)) },
            fit: BeforeAfter(before: Statistics(c.fitBefore), after: Statistics(c.fitAfter)),
            holdout: Holdout(
                tileSizeM: options.tileSizeM, every: options.holdoutEvery, tiles: c.tiles, heldOutTiles: c.heldOutTiles,
                unfittedClassPoints: c.holdoutUnfittedClassPoints, before: Statistics(c.holdoutBefore), after: Statistics(c.holdoutAfter)),
            inputs: inputs.map { Input(role: $0.role, file: $0.name, sha256: $0.sha256) })
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(doc) + Data("\n".utf8)
    }

    struct Read: Decodable {
        let model: String
        let offsetDB: Double
        let slopeDBPerDecade: Double?
        let clutterLossesDB: [String: Double]?
        enum CodingKeys: String, CodingKey {
            case model, offsetDB = "offset_db", slopeDBPerDecade = "slope_db_per_decade", clutterLossesDB = "clutter_losses_db"
        }
    }

    /// Reads a calibration file; its SHA-256 and name go with the calibration into the study.
    public static func read(_ path: String) throws -> Calibration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw StudyError("\(path): cannot read the calibration file (\(error.localizedDescription))")
        }
        let d: Read
        do { d = try JSONDecoder().decode(Read.self, from: data) } catch {
            throw StudyError("\(path): not a calibration file of tanso calibrate (model, offset_db, slope_db_per_decade, clutter_losses_db): \(error)")
        }
        let values = [d.offsetDB, d.slopeDBPerDecade ?? 0] + (d.clutterLossesDB.map { Array($0.values) } ?? [])
        guard values.allSatisfy({ $0.isFinite && abs($0) <= 100 }) else { throw StudyError("\(path): calibration values must be finite and within ±100 dB") }
        for k in (d.clutterLossesDB ?? [:]).keys where Int(k) == nil {
            throw StudyError("\(path): clutter_losses_db key '\(k)' is not an integer class code")
        }
        return Calibration(
            model: d.model, offsetDB: d.offsetDB, slopeDBPerDecade: d.slopeDBPerDecade ?? 0, clutterLossesDB: d.clutterLossesDB ?? [:],
            source: URL(fileURLWithPath: path).lastPathComponent, sha256: try SHA256.hex(ofFile: path))
    }
}

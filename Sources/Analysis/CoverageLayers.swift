// A run's layers as the product writers read them, one whole layer at a time: from a result held in memory, or
// from the rasters a band sweep wrote (`CoverageEngine.sweep`), so that polygons, village figures and maps of a
// large area never hold more than one or two layers at once.
import Foundation
import Geo
import Records

public struct CoverageLayers: Sendable {
    public enum Layer: Hashable, Sendable {
        /// Best signal (nodata `CoverageResult.nodata`).
        case bestSignal
        /// Index of the best server as a number (−1 where none).
        case bestServer
        /// Number of transmitters at or above their threshold.
        case serverCount
        /// Best signal of one operator and technology (nodata `CoverageResult.nodata`).
        case service(ServiceKey)
    }

    public let spec: GridSpec
    public let transmitters: [Transmitter]
    /// The services, sorted.
    public let keys: [ServiceKey]
    public let study: CoverageStudy
    public let seconds: Double
    /// Ground elevation at cell centres (m), when a DEM was given.
    public let groundM: [Float]?
    private let read: @Sendable (Layer) throws -> [Float]

    public init(
        spec: GridSpec, transmitters: [Transmitter], keys: [ServiceKey], study: CoverageStudy, seconds: Double,
        groundM: [Float]?, read: @escaping @Sendable (Layer) throws -> [Float]
    ) {
        self.spec = spec; self.transmitters = transmitters; self.keys = keys.sorted(); self.study = study
        self.seconds = seconds; self.groundM = groundM; self.read = read
    }

    /// The whole layer, row-major over `spec`.
    public func values(_ layer: Layer) throws -> [Float] { try read(layer) }
}

extension CoverageResult {
    /// The result's layers, read from memory.
    public var layers: CoverageLayers {
        let r = self
        return CoverageLayers(
            spec: spec, transmitters: transmitters, keys: Array(serviceDBm.keys), study: study, seconds: seconds,
            groundM: groundM
        ) { layer in
            switch layer {
            case .bestSignal: return r.bestSignalDBm
            case .bestServer: return r.bestServer.map { Float($0) }
            case .serverCount: return r.serverCount.map { Float($0) }
            case .service(let k):
                guard let v = r.serviceDBm[k] else { throw StudyError("no service layer \(k) in the result") }
                return v
            }
        }
    }
}

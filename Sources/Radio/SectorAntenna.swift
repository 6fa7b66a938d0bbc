// Parametric sector antenna: the 3GPP pattern of TR 36.814 Table A.2.1.1-2 / TR 38.901 Table 7.3-1.
//   A_H(φ) = −min(12 (φ/φ3dB)², A_m)                          horizontal cut, dB
//   A_V(θ) = −min(12 ((θ − θ_tilt)/θ3dB)², SLA_V)              vertical cut, dB (θ: angle below horizon here)
//   A(φ, θ) = −min(−(A_H + A_V), A_m)                          3-D pattern
// with φ3dB = 65°, θ3dB = 10°, A_m = 30 dB, SLA_V = 30 dB by default. Tilt = mechanical + electrical down-tilt.
// Mechanical tilt is applied by rotating the beam in elevation around the horizontal axis perpendicular to the
// boresight, so it lowers the beam in front and raises it behind (electrical tilt lowers it all round).
import Foundation

public struct SectorAntenna: Sendable, Equatable {
    public var horizontalBeamwidthDeg: Double = 65
    public var verticalBeamwidthDeg: Double = 10
    public var frontToBackDB: Double = 30
    public var sideLobeLevelDB: Double = 30

    public init(
        horizontalBeamwidthDeg: Double = 65, verticalBeamwidthDeg: Double = 10,
        frontToBackDB: Double = 30, sideLobeLevelDB: Double = 30
    ) {
        self.horizontalBeamwidthDeg = horizontalBeamwidthDeg
        self.verticalBeamwidthDeg = verticalBeamwidthDeg
        self.frontToBackDB = frontToBackDB
        self.sideLobeLevelDB = sideLobeLevelDB
    }

    /// Attenuation relative to boresight gain, dB (≤ 0), toward a direction given by its horizontal angle
    /// from boresight (deg, any range) and its elevation below the horizon (deg, positive = downward).
    @inlinable
    public func relativeGainDB(
        offAzimuthDeg: Double, depressionDeg: Double,
        mechanicalTiltDeg: Double, electricalTiltDeg: Double
    ) -> Double {
        var phi = offAzimuthDeg.truncatingRemainder(dividingBy: 360)
        if phi > 180 { phi -= 360 } else if phi < -180 { phi += 360 }
        // Mechanical tilt: the beam's depression seen in direction φ is tilt·cos φ (lowered in front, raised behind).
        let phiRad = phi * .pi / 180
        let theta = depressionDeg - mechanicalTiltDeg * cos(phiRad) - electricalTiltDeg
        let h = 12 * (phi / horizontalBeamwidthDeg) * (phi / horizontalBeamwidthDeg)
        let aH = -min(h, frontToBackDB)
        let v = 12 * (theta / verticalBeamwidthDeg) * (theta / verticalBeamwidthDeg)
        let aV = -min(v, sideLobeLevelDB)
        return -min(-(aH + aV), frontToBackDB)
    }
}

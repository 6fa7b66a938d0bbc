// The radio service of an assignment (the data contract's `service` column), as a value rather than a string.
import Records

/// A radio service, in the style of swift-system's `FilePermissions`: the services tanso knows are static
/// members, and any other name a register uses (`aeronautical`, `amateur`, …) is a value too. Raw values are the
/// contract's lower-case names, as `Assignment` stores them.
public struct Service: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    /// Public mobile networks (2G–5G).
    public static let mobile: Service = "mobile"
    /// Private land mobile radio (PMR, trunking).
    public static let landMobile: Service = "land_mobile"
    /// Point-to-point fixed links (line of sight, directional dishes).
    public static let fixed: Service = "fixed"
    public static let broadcastFM: Service = "broadcast_fm"
    public static let broadcastTV: Service = "broadcast_tv"
}

extension Assignment {
    /// The assignment's service as a `Service` value.
    public var serviceKind: Service { Service(rawValue: service) }
}

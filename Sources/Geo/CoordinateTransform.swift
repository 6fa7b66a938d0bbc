// CRS transforms through PROJ, in GIS axis order (x = easting/longitude, y = northing/latitude).
import CPROJ
import Foundation
import Synchronization

/// A PROJ transformation between two CRSs. Owns its own PROJ context, so one instance must be used from one
/// thread at a time; create one per task for parallel work.
public final class CoordinateTransform: @unchecked Sendable {
    private let context: OpaquePointer
    /// The PROJ operation (internal for the pool's tests).
    let pj: OpaquePointer
    public let source: String
    public let target: String

    /// `source` and `target` are anything PROJ accepts: "EPSG:4326", a PROJ string, WKT. A transform between the
    /// same pair that an earlier instance has released is reused (`TransformPool`): creating one opens PROJ's
    /// database and looks the operation up there, which costs milliseconds; transforming a point costs
    /// nanoseconds.
    public init(from source: String, to target: String) throws {
        (context, pj) = try TransformPool.take(from: source, to: target) ?? Self.create(from: source, to: target)
        self.source = source
        self.target = target
    }

    /// A new PROJ context and normalised operation for the pair.
    private static func create(from source: String, to target: String) throws -> (OpaquePointer, OpaquePointer) {
        guard let ctx = proj_context_create() else {
            throw GeoError(operation: "create PROJ context", message: "out of memory")
        }
        proj_log_level(ctx, PJ_LOG_NONE)
        guard let raw = proj_create_crs_to_crs(ctx, source, target, nil) else {
            let msg = String(cString: proj_context_errno_string(ctx, proj_context_errno(ctx)))
            proj_context_destroy(ctx)
            throw GeoError(operation: "create CRS transform", path: "\(source) → \(target)", message: msg)
        }
        // Longitude/easting first whatever the CRS's official axis order (EPSG:4326 is latitude first).
        guard let normalized = proj_normalize_for_visualization(ctx, raw) else {
            let msg = String(cString: proj_context_errno_string(ctx, proj_context_errno(ctx)))
            proj_destroy(raw)
            proj_context_destroy(ctx)
            throw GeoError(operation: "normalise axis order", path: "\(source) → \(target)", message: msg)
        }
        proj_destroy(raw)
        return (ctx, normalized)
    }

    deinit {
        TransformPool.give(context: context, pj: pj, from: source, to: target)
    }

    /// Transforms one point.
    public func transform(x: Double, y: Double) throws -> (x: Double, y: Double) {
        var coord = proj_coord(x, y, 0, 0)
        proj_errno_reset(pj)
        coord = proj_trans(pj, PJ_FWD, coord)
        let err = proj_errno(pj)
        guard err == 0, coord.xy.x.isFinite, coord.xy.y.isFinite else {
            throw GeoError(
                operation: "transform (\(x), \(y))", path: "\(source) → \(target)",
                message: String(cString: proj_context_errno_string(context, err)))
        }
        return (coord.xy.x, coord.xy.y)
    }

    /// Transforms arrays in place. Points PROJ cannot transform become NaN (and are counted in the result).
    @discardableResult
    public func transform(xs: inout [Double], ys: inout [Double]) -> Int {
        precondition(xs.count == ys.count)
        let n = xs.count
        guard n > 0 else { return 0 }
        return xs.withUnsafeMutableBufferPointer { xp in
            ys.withUnsafeMutableBufferPointer { yp in transform(xs: xp.baseAddress!, ys: yp.baseAddress!, count: n) }
        }
    }

    /// Transforms arrays in place on all cores: the arrays are cut into one contiguous part per core, each
    /// transformed by its own `CoordinateTransform` (PROJ objects are single-threaded). The values are those of
    /// `transform(xs:ys:)`; points PROJ cannot transform become NaN (and are counted in the result).
    @discardableResult
    public static func transformConcurrently(
        from source: String, to target: String,
        xs: inout [Double], ys: inout [Double]
    ) throws -> Int {
        precondition(xs.count == ys.count)
        let n = xs.count
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, n / 50_000))
        if parts == 1 { return try CoordinateTransform(from: source, to: target).transform(xs: &xs, ys: &ys) }
        let transforms = try (0..<parts).map { _ in try CoordinateTransform(from: source, to: target) }
        var failed = [Int](repeating: 0, count: parts)
        xs.withUnsafeMutableBufferPointer { xp in
            ys.withUnsafeMutableBufferPointer { yp in
                failed.withUnsafeMutableBufferPointer { fp in
                    let buffers = UnsafeTransformBuffers(xs: xp, ys: yp, failed: fp)
                    DispatchQueue.concurrentPerform(iterations: parts) { k in
                        let lo = n * k / parts, hi = n * (k + 1) / parts
                        buffers.failed[k] = transforms[k].transform(xs: buffers.xs.baseAddress! + lo, ys: buffers.ys.baseAddress! + lo, count: hi - lo)
                    }
                }
            }
        }
        return failed.reduce(0, +)
    }

    /// Transforms `count` points in place; untransformable ones become NaN. Returns how many failed.
    func transform(xs: UnsafeMutablePointer<Double>, ys: UnsafeMutablePointer<Double>, count n: Int) -> Int {
        guard n > 0 else { return 0 }
        _ = proj_trans_generic(
            pj, PJ_FWD, xs, MemoryLayout<Double>.stride, n, ys, MemoryLayout<Double>.stride, n,
            nil, 0, 0, nil, 0, 0)
        var failed = 0
        for i in 0..<n where !(xs[i].isFinite && ys[i].isFinite) {
            xs[i] = .nan; ys[i] = .nan; failed += 1
        }
        return failed
    }

    /// The UTM zone CRS ("EPSG:326zz" or "EPSG:327zz") for a WGS84 longitude/latitude.
    public static func utmCRS(longitude: Double, latitude: Double) -> String {
        let zone = min(max(Int(floor((longitude + 180) / 6)) + 1, 1), 60)
        return latitude >= 0 ? "EPSG:\(32600 + zone)" : "EPSG:\(32700 + zone)"
    }
}

/// Released PROJ transforms (a context and its operation), kept for the next `CoordinateTransform` between the
/// same pair. An entry is used by one instance at a time, so PROJ's rule (one context, one thread at a time)
/// holds. At most `perPair` entries a pair are kept (one per core is what `transformConcurrently` asks for);
/// the rest are destroyed.
enum TransformPool {
    struct Key: Hashable { let source: String; let target: String }
    struct Entry: @unchecked Sendable { let context: OpaquePointer; let pj: OpaquePointer }
    static let perPair = max(2, ProcessInfo.processInfo.activeProcessorCount)
    static let entries = Mutex<[Key: [Entry]]>([:])

    static func take(from source: String, to target: String) -> (OpaquePointer, OpaquePointer)? {
        let e = entries.withLock { $0[Key(source: source, target: target)]?.popLast() }
        guard let e else { return nil }
        proj_errno_reset(e.pj)
        return (e.context, e.pj)
    }

    /// How many released transforms between the pair wait for reuse.
    static func idle(from source: String, to target: String) -> Int {
        entries.withLock { $0[Key(source: source, target: target)]?.count ?? 0 }
    }

    static func give(context: OpaquePointer, pj: OpaquePointer, from source: String, to target: String) {
        let kept = entries.withLock { pool -> Bool in
            let key = Key(source: source, target: target)
            guard pool[key, default: []].count < perPair else { return false }
            pool[key, default: []].append(Entry(context: context, pj: pj))
            return true
        }
        if !kept {
            proj_destroy(pj)
            proj_context_destroy(context)
        }
    }
}

/// The buffers of `transformConcurrently`, whose parts are disjoint.
private struct UnsafeTransformBuffers: @unchecked Sendable {
    let xs: UnsafeMutableBufferPointer<Double>
    let ys: UnsafeMutableBufferPointer<Double>
    let failed: UnsafeMutableBufferPointer<Int>
}

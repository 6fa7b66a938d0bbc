// A bounded cache of DEM blocks for runs that wander over a large area (conflicts with terrain, candidates,
// complaints and locate): the raster is read through GDAL windows of `blockSize` × `blockSize` pixels (plus one
// pixel of overlap right and below, so that every bilinear neighbourhood lies in one block), the least recently
// used block is dropped when the cache is full. Sampling a block is `DEMSampler`'s, with the block's offset in the
// whole raster: the values equal those of the whole raster read at once, bit for bit (ElevationCacheTests).
import Foundation
import Synchronization
import Geo

public final class DEMBlockCache: Sendable {
    public static let blockSize = 512
    public let capacityBlocks: Int
    let dataset: RasterDataset
    let nodata: Float?
    private struct State {
        var blocks: [Int: (sampler: DEMSampler, used: UInt64)] = [:]
        var clock: UInt64 = 0
        var reads = 0
    }
    private let state = Mutex(State())

    /// A cache of at most `megabytes` of blocks (at least 4 blocks) over `dataset`.
    public init(dataset: RasterDataset, megabytes: Int) throws {
        self.dataset = dataset
        nodata = try dataset.nodata().map { Float($0) }
        let blockBytes = (Self.blockSize + 1) * (Self.blockSize + 1) * MemoryLayout<Float>.size
        capacityBlocks = max(4, megabytes * 1_048_576 / blockBytes)
    }

    /// Blocks read from the raster so far (misses).
    public var reads: Int { state.withLock { $0.reads } }
    /// Blocks held now.
    public var heldBlocks: Int { state.withLock { $0.blocks.count } }

    /// Bilinear elevation at a fractional pixel position of the whole raster (NaN: outside or nodata), as
    /// `DEMSampler.sample` on the whole raster.
    public func sample(col: Double, row: Double) -> Double {
        guard col >= 0, row >= 0, col <= Double(dataset.width), row <= Double(dataset.height) else { return .nan }
        // The block of the neighbourhood's first cell (c0, r0; −1 at the raster's left or top edge).
        let c0 = max(0, Int((col - 0.5).rounded(.down))), r0 = max(0, Int((row - 0.5).rounded(.down)))
        guard let sampler = try? block(bc: min(c0, dataset.width - 1) / Self.blockSize, br: min(r0, dataset.height - 1) / Self.blockSize) else {
            return .nan
        }
        return sampler.sample(col: col, row: row)
    }

    /// The value of the pixel holding a fractional position (nil outside or nodata), as `RasterGrid.value`.
    public func nearest(col: Double, row: Double) -> Float? {
        let c = Int(floor(col)), r = Int(floor(row))
        guard c >= 0, r >= 0, c < dataset.width, r < dataset.height, let s = try? block(bc: c / Self.blockSize, br: r / Self.blockSize) else {
            return nil
        }
        let v = s.values[(r - Int(s.rowOffset)) * s.width + (c - Int(s.colOffset))]
        return v.isNaN || v == nodata ? nil : v
    }

    /// The sampler of block (`bc`, `br`), read on a miss (the least recently used block dropped when full).
    func block(bc: Int, br: Int) throws -> DEMSampler {
        let key = br * ((dataset.width + Self.blockSize - 1) / Self.blockSize) + bc
        return try state.withLock { s in
            s.clock += 1
            if let b = s.blocks[key] {
                s.blocks[key] = (b.sampler, s.clock)
                return b.sampler
            }
            let col = bc * Self.blockSize, row = br * Self.blockSize
            let w = min(Self.blockSize + 1, dataset.width - col), h = min(Self.blockSize + 1, dataset.height - row)
            let values = try dataset.read(col: col, row: row, width: w, height: h)
            let grid = RasterGrid(
                width: w, height: h, geoTransform: dataset.geoTransform, crs: dataset.crs, nodata: nodata, values: values)
            let sampler = DEMSampler(grid: grid, colOffset: col, rowOffset: row, rasterWidth: dataset.width, rasterHeight: dataset.height)
            if s.blocks.count >= capacityBlocks, let oldest = s.blocks.min(by: { $0.value.used < $1.value.used })?.key {
                s.blocks[oldest] = nil
            }
            s.blocks[key] = (sampler, s.clock)
            s.reads += 1
            return sampler
        }
    }

    /// Lowest and highest valid value of the whole raster, read block by block without keeping the blocks.
    public func valueRange() throws -> (min: Float, max: Float)? {
        var lo = Float.infinity, hi = -Float.infinity
        for row in stride(from: 0, to: dataset.height, by: Self.blockSize) {
            for col in stride(from: 0, to: dataset.width, by: Self.blockSize) {
                let v = try dataset.read(
                    col: col, row: row, width: min(Self.blockSize, dataset.width - col), height: min(Self.blockSize, dataset.height - row))
                for x in v where x.isFinite && x != nodata { lo = min(lo, x); hi = max(hi, x) }
            }
        }
        return lo.isFinite ? (lo, hi) : nil
    }
}

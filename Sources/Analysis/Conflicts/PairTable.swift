// A read-only table for the pair screening's inner loop. Reading an element of a Swift array held in a struct
// retains and releases the array's storage around calls the optimiser cannot see through: two atomic operations per
// read, on every core. The table keeps its values in memory it owns and is read through a plain pointer.
final class PairTableStorage<T>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<T>
    init(_ values: [T]) {
        base = .allocate(capacity: max(1, values.count))
        _ = base.initialize(from: values)
    }
    deinit {
        base.deinitialize()
        base.deallocate()
    }
}

struct PairTable<T>: @unchecked Sendable {
    /// Keeps the memory alive as long as any copy of the table.
    private let storage: PairTableStorage<T>
    private let base: UnsafePointer<T>
    let count: Int

    init(_ values: [T]) {
        storage = PairTableStorage(values)
        base = UnsafePointer(storage.base.baseAddress!)
        count = values.count
    }

    @inline(__always)
    subscript(_ k: Int) -> T {
        precondition(k >= 0 && k < count, "PairTable index out of range")
        return base[k]
    }
}

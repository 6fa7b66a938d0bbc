// Interning a register's keys (licensees, stations, services, duplicate keys) on every core: a million Strings hashed
// on one thread were a large part of the screening's preparation.
//
// Each key's id is the index of its first occurrence, which depends neither on the hash seed nor on the number of
// threads. The hashes are computed on all cores; the keys are then split by hash into partitions, and each partition
// is interned on its own core in index order into an open-addressing table of indices, comparing keys only where the
// hashes are equal.
import Dispatch
import Foundation

enum Interning {
    /// For each k in 0..<count, the smallest index j with key(j) == key(k).
    static func firstIndices<K: Hashable & Sendable>(count: Int, threads: Int, key: @Sendable (Int) -> K) -> [Int32] {
        precondition(count < Int(Int32.max), "too many keys to intern")
        guard count > 0 else { return [] }
        let hashes = hashValues(count: count, threads: threads, key: key)
        // A power of two, so that a hash's partition is its low bits.
        let partitions = 1 << (64 - UInt64(max(1, threads) * 4 - 1).leadingZeroBitCount)
        var ids = [Int32](repeating: 0, count: count)
        ids.withUnsafeMutableBufferPointer { idBuffer in
            hashes.withUnsafeBufferPointer { h in
                let out = UnsafeSendable(idBuffer.baseAddress!), hp = UnsafeSendable(h.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: partitions) { p in
                    internPartition(p, of: partitions, hashes: UnsafeBufferPointer(start: hp.value, count: count), key: key, into: out.value)
                }
            }
        }
        return ids
    }

    /// Dense ids 0, 1, … in order of first occurrence, from `firstIndices`; and the first index of each id.
    static func dense(_ first: [Int32]) -> (ids: [Int32], firsts: [Int]) {
        var ids = [Int32](repeating: 0, count: first.count)
        var firsts: [Int] = []
        for k in first.indices {
            let f = Int(first[k])
            if f == k {
                ids[k] = Int32(firsts.count)
                firsts.append(k)
            } else {
                ids[k] = ids[f]
            }
        }
        return (ids, firsts)
    }

    private static func hashValues<K: Hashable & Sendable>(count: Int, threads: Int, key: @Sendable (Int) -> K) -> [Int] {
        var hashes = [Int](repeating: 0, count: count)
        let chunks = min(count, max(1, threads) * 8)
        hashes.withUnsafeMutableBufferPointer { h in
            let out = UnsafeSendable(h.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                for k in (c * count / chunks)..<((c + 1) * count / chunks) { out.value[k] = key(k).hashValue }
            }
        }
        return hashes
    }

    @inline(__always)
    private static func partition(_ hash: Int, of partitions: Int) -> Int { hash & (partitions - 1) }

    /// Interns the keys of partition `p` in index order: the first of equal keys names them all.
    private static func internPartition<K: Hashable & Sendable>(
        _ p: Int, of partitions: Int, hashes h: UnsafeBufferPointer<Int>, key: (Int) -> K, into out: UnsafeMutablePointer<Int32>
    ) {
        var members = 0
        for k in h.indices where partition(h[k], of: partitions) == p { members += 1 }
        guard members > 0 else { return }
        var capacity = 16
        while capacity < 2 * members { capacity <<= 1 }
        let mask = UInt(capacity - 1)
        var table = [Int32](repeating: -1, count: capacity)
        table.withUnsafeMutableBufferPointer { t in
            for k in h.indices where partition(h[k], of: partitions) == p {
                let hk = h[k]
                // Slot from the hash's bits mixed (the partition took its low bits).
                var slot = Int((UInt(bitPattern: hk) &* 0x9E37_79B9_7F4A_7C15) >> 20 & mask)
                while true {
                    let r = t[slot]
                    if r < 0 {
                        t[slot] = Int32(k)
                        out[k] = Int32(k)
                        break
                    }
                    if h[Int(r)] == hk && key(Int(r)) == key(k) {
                        out[k] = r
                        break
                    }
                    slot = (slot + 1) & Int(mask)
                }
            }
        }
    }
}

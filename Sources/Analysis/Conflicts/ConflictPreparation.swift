// Pieces of the screening's preparation (`ConflictScreening.prepare`) that keep it on every core and off Strings:
// the register's services interned once, the simple model with its Hata set-up built once per transmitter and
// bisections that skip the diffraction where a cheaper term settles the comparison, and the receive channels written
// in place by chunks.
import Foundation
import Synchronization
import Propagation
import Radio
import Records

extension ConflictScreening {
    /// The register's services interned once: each assignment's service id, and per id its name, parameters,
    /// co-channel requirement (the curve's first point, else the co-channel ratio) and whether it is mobile.
    struct ServiceTable: Sendable {
        let id: [Int32]
        let names: [String]
        let parameters: [ServiceParameters]
        let coChannelDB: [Double]
        let isMobile: [Bool]
        /// The id of the fixed service, −1 when the register has none.
        let fixed: Int

        init(_ assignments: [Assignment], protection: ProtectionRatios, threads: Int) {
            let (ids, firsts) = Interning.dense(Interning.firstIndices(count: assignments.count, threads: threads) { assignments[$0].service })
            id = ids
            names = firsts.map { assignments[$0].service }
            parameters = names.map { protection.parameters($0) }
            coChannelDB = names.map { protection.curves[$0]?.first?.requiredDB ?? protection.parameters($0).coChannelDB }
            isMobile = names.map { Service(rawValue: $0) == .mobile }
            fixed = names.firstIndex { Service(rawValue: $0) == .fixed } ?? -1
        }

        /// `ConflictScreening.serviceWanted` of assignment `k`.
        @inline(__always)
        func wantedDBm(_ k: Int, _ a: Assignment) -> Double {
            let s = Int(id[k])
            return isMobile[s] ? ProtectionRatios.mobileWantedDBm(bandwidthKHz: a.tx.bandwidthKHz) : parameters[s].wantedDBm
        }
    }

    /// Chunks of 0..<count for `threads` threads (eight per thread, for balance).
    static func chunkRanges(_ count: Int, threads: Int) -> [Range<Int>] {
        let chunks = min(count, max(1, threads) * 8)
        return (0..<chunks).map { c in (c * count / chunks)..<((c + 1) * count / chunks) }
    }

    /// The receive channels of the assignments, in assignment order (as `victimChannels` lists them), built by
    /// chunks on every core straight into the result: `count(k)` of them for assignment k, made by `make(k, into:)`.
    static func gather(
        _ n: Int, threads: Int, count: @Sendable (Int) -> Int, make: @Sendable (Int, inout [Victim]) -> Void
    ) -> [Victim] {
        let ranges = chunkRanges(n, threads: threads)
        let counts = Mutex([Int](repeating: 0, count: ranges.count))
        DispatchQueue.concurrentPerform(iterations: ranges.count) { c in
            let m = ranges[c].reduce(0) { $0 + count($1) }
            counts.withLock { $0[c] = m }
        }
        let sizes = counts.withLock { $0 }
        var offsets = [0]
        for m in sizes { offsets.append(offsets.last! + m) }
        let starts = offsets
        return [Victim](unsafeUninitializedCapacity: starts.last!) { buffer, initialized in
            let base = UnsafeSendable(buffer.baseAddress)
            DispatchQueue.concurrentPerform(iterations: ranges.count) { c in
                // Each record's few channels through a small reused array, copied into place.
                var made: [Victim] = [], at = starts[c]
                for k in ranges[c] {
                    made.removeAll(keepingCapacity: true)
                    make(k, &made)
                    precondition(at + made.count <= starts[c + 1], "receive channels counted and made differ")
                    for v in made {
                        (base.value! + at).initialize(to: v)
                        at += 1
                    }
                }
                precondition(at == starts[c + 1], "receive channels counted and made differ")
            }
            initialized = starts.last!
        }
    }
}

extension ConflictPropagation {
    /// `simpleLossDB` of one transmitter towards one receiver height, its Hata set-up and its smooth-Earth first term
    /// (`P526.FirstTerm`) built once: the same operations on the same values, so the same results to the last bit.
    struct SimpleLoss: Sendable {
        let frequencyMHz: Double, txHeightM: Double, rxHeightM: Double
        let lineOfSight: Bool
        let hata: Hata.Setup?
        /// The smooth-Earth horizon, km: `lineOfSightLossDB`'s, and P.526's marginal line-of-sight distance (the same
        /// expression), beyond which its loss is the first term alone.
        let horizonKm: Double
        let firstTerm: P526.FirstTerm?

        init(frequencyMHz: Double, txHeightM: Double, rxHeightM: Double, lineOfSight: Bool, environment: Hata.Environment) {
            self.frequencyMHz = frequencyMHz; self.txHeightM = txHeightM; self.rxHeightM = rxHeightM
            self.lineOfSight = lineOfSight
            hata = lineOfSight ? nil : hataSetup(frequencyMHz: frequencyMHz, txHeightM: txHeightM, rxHeightM: rxHeightM, environment: environment)
            horizonKm = P526.marginalLOSDistanceKm(txHeightM: txHeightM, rxHeightM: rxHeightM, effectiveEarthRadiusKm: effectiveEarthRadiusKm)
            firstTerm = P526.firstTerm(
                txHeightM: txHeightM, rxHeightM: rxHeightM, earthRadiusKm: effectiveEarthRadiusKm, frequencyMHz: frequencyMHz,
                polarization: .vertical, ground: .land)
        }

        /// `lineOfSightLossDB`.
        func lineOfSightLossDB(distanceKm: Double) -> Double {
            let d = max(distanceKm, 0.001)
            let fs = FreeSpace.lossDB(distanceKm: d, frequencyMHz: frequencyMHz)
            guard d > 0.6 * horizonKm else { return fs }
            let sph: Double
            if let firstTerm, d >= horizonKm {
                sph = firstTerm.result(distanceKm: d).lossDB
            } else {
                sph =
                    P526.sphericalEarthDiffraction(
                        distanceKm: d, txHeightM: txHeightM, rxHeightM: rxHeightM, effectiveEarthRadiusKm: effectiveEarthRadiusKm,
                        frequencyMHz: frequencyMHz, polarization: .vertical, ground: .land
                    ).lossDB
            }
            return fs + max(0, sph)
        }

        func lossDB(distanceKm: Double) -> Double {
            let los = lineOfSightLossDB(distanceKm: distanceKm)
            if lineOfSight { return los }
            let d = max(distanceKm, 0.001)
            return max(los, hata?.hataLossDB(distanceKm: d) ?? FreeSpace.lossDB(distanceKm: d, frequencyMHz: frequencyMHz))
        }

        /// `lossDB(distanceKm:) <= budgetDB`, the costly smooth-Earth diffraction left out where Hata's loss or free
        /// space alone already exceeds the budget: L = max(L_los, L_Hata) with L_los = L_fs + max(0, L_dsph) ≥ L_fs
        /// (adding a non-negative number never rounds below), so either above the budget puts L above it.
        func isWithin(budgetDB: Double, distanceKm: Double) -> Bool {
            let d = max(distanceKm, 0.001)
            if !lineOfSight {
                let h = hata?.hataLossDB(distanceKm: d) ?? FreeSpace.lossDB(distanceKm: d, frequencyMHz: frequencyMHz)
                if h > budgetDB { return false }
            }
            if FreeSpace.lossDB(distanceKm: d, frequencyMHz: frequencyMHz) > budgetDB { return false }
            return lossDB(distanceKm: distanceKm) <= budgetDB
        }
    }
}

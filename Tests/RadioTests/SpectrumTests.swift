import XCTest
import Foundation
@testable import Radio

final class SpectrumTests: XCTestCase {
    // MARK: emission designators (Radio Regulations Appendix 1)

    func testEmissionDesignatorsParse() throws {
        let cases: [(String, Double, String)] = [
            ("5M00G7W", 5e6, "G7W"), ("200KF8E", 200e3, "F8E"), ("11K0F3E", 11e3, "F3E"), ("12K5F3EJN", 12.5e3, "F3EJN"),
            ("100MG7W", 100e6, "G7W"), ("30M0D7W", 30e6, "D7W"), ("200KGXW", 200e3, "GXW"), ("2K70J3E", 2.7e3, "J3E"),
            ("1G25D7W", 1.25e9, "D7W"), ("H100A1A", 0.1, "A1A"), ("400HA1A", 400, "A1A"), ("25H3J2B", 25.3, "J2B"),
            (" 6m00c3f ", 6e6, "C3F")
        ]
        for (text, hz, cls) in cases {
            let e = try EmissionDesignator(parsing: text)
            XCTAssertEqual(e.bandwidthHz, hz, accuracy: hz * 1e-12, text)
            XCTAssertEqual(e.emissionClass, cls, text)
        }
        XCTAssertEqual(try EmissionDesignator(parsing: "200KF8E").bandwidthKHz, 200)
    }

    func testMalformedEmissionDesignatorsAreRejectedWithTheReason() {
        let bad: [(String, String)] = [
            ("5M00", "7 to 9 characters"), ("5M00G7WXXY", "7 to 9 characters"), ("0K50F3E", "may not start"),
            ("K500F3E", "may not start"), ("5000G7W", "exactly one of H, K, M, G"), ("5M0MG7W", "exactly one of H, K, M, G"),
            ("5M00Z7W", "type of modulation"), ("5M00G5W", "nature of signal"), ("5M00G7Z", "type of information"),
            ("5M00G7WZ", "detail of signal"), ("5M00G7WNZ", "multiplexing"), ("5M-0G7W", "digits"), ("0H00A1A", "may not start")
        ]
        for (text, reason) in bad {
            XCTAssertThrowsError(try EmissionDesignator(parsing: text), text) { error in
                let e = error as? EmissionDesignator.ParseError
                XCTAssertNotNil(e, text)
                XCTAssertTrue(e?.reason.contains(reason) ?? false, "\(text): \(e?.reason ?? "?")")
                XCTAssertTrue(String(describing: error).contains(text), text)
            }
        }
    }

    // MARK: channels

    func testChannelOverlapAndGuardBand() {
        let a = Channel(centreMHz: 1842.5, bandwidthKHz: 20_000) // 1832.5–1852.5
        let b = Channel(centreMHz: 1862.5, bandwidthKHz: 15_000) // 1855–1870
        XCTAssertEqual(a.overlapKHz(with: b), 0)
        XCTAssertEqual(a.edgeGapKHz(to: b), 2500, accuracy: 1e-6)
        XCTAssertEqual(a.offsetKHz(to: b), 20_000, accuracy: 1e-6)
        let c = Channel(centreMHz: 1850, bandwidthKHz: 10_000) // 1845–1855: 7.5 MHz inside a
        XCTAssertEqual(a.overlapKHz(with: c), 7500, accuracy: 1e-6)
        XCTAssertEqual(c.overlapKHz(with: a), 7500, accuracy: 1e-6)
        XCTAssertLessThan(a.edgeGapKHz(to: c), 0)
        XCTAssertTrue(Channel(centreMHz: 1842.5, bandwidthKHz: 75_000).contains(a))
        XCTAssertFalse(Channel(centreMHz: 1842.5, bandwidthKHz: 10_000).contains(a))
        XCTAssertFalse(Channel(centreMHz: 1835, bandwidthKHz: 20_000).contains(a))
    }

    // MARK: protection ratios

    func testFMProtectionCurveFollowsBS412AndEndsAt400kHz() throws {
        let pr = ProtectionRatios.defaults
        let v = Channel(centreMHz: 98.5, bandwidthKHz: 200)
        func req(_ offsetKHz: Double) -> Double? {
            pr.requirement(victimService: "broadcast_fm", victim: v, interferer: Channel(centreMHz: 98.5 + offsetKHz / 1000, bandwidthKHz: 200))?.requiredDB
        }
        XCTAssertEqual(try XCTUnwrap(req(0)), 37, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(req(-200)), 7, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(req(300)), -7, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(req(400)), -20, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(req(110)), 25 + (18 - 25) * 0.4, accuracy: 1e-9) // linear between 100 and 125 kHz
        XCTAssertNil(req(500))
        // A co-channel override shifts the whole curve.
        let shifted = pr.requirement(victimService: "broadcast_fm", victim: v, interferer: Channel(centreMHz: 98.7, bandwidthKHz: 200), coChannelOverride: 45)
        XCTAssertEqual(try XCTUnwrap(shifted).requiredDB, 45 - 30, accuracy: 1e-9)
    }

    func testACIRFollowsTheMasksWhenTheyChange() {
        var p = ProtectionRatios.defaults.parameters("mobile")
        func acir(_ aclr: Double, _ acs: Double) -> Double { -10 * log10(pow(10, -aclr / 10) + pow(10, -acs / 10)) }
        XCTAssertEqual(p.acirDB(gapInWidths: 0), acir(p.aclr1DB, p.acs1DB), accuracy: 1e-12)
        XCTAssertEqual(p.acirDB(gapInWidths: 1.5), acir(p.aclr2DB, p.acs2DB), accuracy: 1e-12)
        XCTAssertEqual(p.acirDB(gapInWidths: 0.5), acir((p.aclr1DB + p.aclr2DB) / 2, (p.acs1DB + p.acs2DB) / 2), accuracy: 1e-12)
        // The first and second adjacent values are kept; a changed mask changes them.
        p.aclr1DB = 30; p.acs2DB = 60
        XCTAssertEqual(p.acirDB(gapInWidths: 0), acir(30, p.acs1DB), accuracy: 1e-12)
        XCTAssertEqual(p.acirDB(gapInWidths: 1), acir(p.aclr2DB, 60), accuracy: 1e-12)
        p.acs1DB = 20; p.aclr2DB = 70
        XCTAssertEqual(p.acirDB(gapInWidths: -1), acir(30, 20), accuracy: 1e-12)
        XCTAssertEqual(p.acirDB(gapInWidths: 2), acir(70, 60), accuracy: 1e-12)
    }

    func testMaskBasedRequirementUsesACIRAndOverlap() throws {
        let pr = ProtectionRatios.defaults
        let v = Channel(centreMHz: 773, bandwidthKHz: 10_000)
        // Co-channel, same width.
        XCTAssertEqual(try XCTUnwrap(pr.requirement(victimService: "mobile", victim: v, interferer: v)).requiredDB, 10, accuracy: 1e-9)
        // A 20 MHz interferer of which 5 MHz falls into the victim's channel: 6.02 dB less.
        let partial = Channel(centreMHz: 763, bandwidthKHz: 20_000) // 753–773, overlap 768–773
        XCTAssertEqual(
            try XCTUnwrap(pr.requirement(victimService: "mobile", victim: v, interferer: partial)).requiredDB,
            10 + 10 * log10(5000.0 / 20_000), accuracy: 1e-9)
        // First adjacent channel: ACIR of ACLR 45 dB and ACS 33 dB.
        let acir = -10 * log10(pow(10, -4.5) + pow(10, -3.3))
        let adj = try XCTUnwrap(pr.requirement(victimService: "mobile", victim: v, interferer: Channel(centreMHz: 783, bandwidthKHz: 10_000)))
        XCTAssertEqual(adj.requiredDB, 10 - acir, accuracy: 1e-9)
        XCTAssertEqual(acir, 32.73, accuracy: 0.01)
        // Second adjacent (one channel of guard): ACLR 50, ACS 43.
        let second = try XCTUnwrap(pr.requirement(victimService: "mobile", victim: v, interferer: Channel(centreMHz: 793, bandwidthKHz: 10_000)))
        XCTAssertEqual(second.requiredDB, 10 + 10 * log10(pow(10, -5.0) + pow(10, -4.3)), accuracy: 1e-9)
        // Beyond two channel widths of guard: not screened.
        XCTAssertNil(pr.requirement(victimService: "mobile", victim: v, interferer: Channel(centreMHz: 804, bandwidthKHz: 10_000)))
        // Unknown services fall back to 'other'.
        XCTAssertEqual(try XCTUnwrap(pr.requirement(victimService: "radar_xyz", victim: v, interferer: v)).requiredDB, 20, accuracy: 1e-9)
        XCTAssertEqual(ProtectionRatios.mobileWantedDBm(bandwidthKHz: 200), -95)
        XCTAssertEqual(ProtectionRatios.mobileWantedDBm(bandwidthKHz: 100_000), -75)
    }

    // MARK: band plan

    /// `check` (the screening's one scan) gives `allocationIndex`'s allocation with its answer, on channels in, across
    /// and outside the default plan's allocations, with and without receive channels.
    func testBandPlanCheckAgreesWithViolationAndAllocationIndex() {
        let plan = BandPlan.vietnamDefault
        var r = SplitMix64(seed: 3)
        let services = ["mobile", "land_mobile", "broadcast_fm", "broadcast_tv", "fixed", "radar_xyz"]
        var inPlan = 0, outOfPlan = 0
        for _ in 0..<4000 {
            let service = r.pick(services)
            let tx = Channel(centreMHz: 50 + r.uniform() * 8000, bandwidthKHz: r.pick([12.5, 200, 5000, 20_000, 28_000]))
            let rx = r.uniform() < 0.5 ? nil : Channel(centreMHz: tx.centreMHz - r.pick([4.6, 95, 190, 300]), bandwidthKHz: tx.bandwidthKHz)
            let fit = plan.check(service: service, tx: tx, rx: rx)
            XCTAssertEqual(fit.allocation, plan.allocationIndex(for: tx, service: service))
            // In plan only inside an allocation; outside every allocation of the service always out of plan.
            if fit.violation == nil { XCTAssertNotNil(fit.allocation) }
            if fit.allocation == nil { XCTAssertNotNil(fit.violation) }
            if fit.violation == nil { inPlan += 1 } else { outOfPlan += 1 }
        }
        XCTAssertGreaterThan(inPlan, 20)
        XCTAssertGreaterThan(outOfPlan, 20)
    }

    func testVietnamBandPlanAcceptsTheMobileBlocksAndRejectsTheDuplexGap() {
        let plan = BandPlan.vietnamDefault
        XCTAssertNil(plan.violation(service: "mobile", tx: Channel(centreMHz: 1842.5, bandwidthKHz: 20_000), rx: nil))
        XCTAssertNil(plan.violation(service: "mobile", tx: Channel(centreMHz: 773, bandwidthKHz: 10_000), rx: nil))
        XCTAssertNil(plan.violation(service: "mobile", tx: Channel(centreMHz: 3750, bandwidthKHz: 100_000), rx: nil))
        XCTAssertNil(plan.violation(service: "broadcast_fm", tx: Channel(centreMHz: 98.5, bandwidthKHz: 200), rx: nil))
        XCTAssertNil(
            plan.violation(service: "land_mobile", tx: Channel(centreMHz: 164.7, bandwidthKHz: 12.5), rx: Channel(centreMHz: 159.7, bandwidthKHz: 12.5)))
        // 1790 MHz lies in the band-3 duplex gap (1785–1805).
        let gap = plan.violation(service: "mobile", tx: Channel(centreMHz: 1790, bandwidthKHz: 5000), rx: nil)
        XCTAssertNotNil(gap)
        XCTAssertTrue(gap!.contains("1787.5–1792.5"), gap!)
        // Right band, wrong service.
        XCTAssertNotNil(plan.violation(service: "broadcast_fm", tx: Channel(centreMHz: 160, bandwidthKHz: 200), rx: nil))
        // Straddling an allocation edge.
        XCTAssertNotNil(plan.violation(service: "mobile", tx: Channel(centreMHz: 1880, bandwidthKHz: 10_000), rx: nil))
        // FDD: receive channel must be in the paired block.
        XCTAssertNil(
            plan.violation(service: "mobile", tx: Channel(centreMHz: 1842.5, bandwidthKHz: 20_000), rx: Channel(centreMHz: 1747.5, bandwidthKHz: 20_000)))
        let wrongPair = plan.violation(
            service: "mobile", tx: Channel(centreMHz: 1842.5, bandwidthKHz: 20_000), rx: Channel(centreMHz: 1950, bandwidthKHz: 20_000))
        XCTAssertTrue(wrongPair?.contains("duplex pair") ?? false, wrongPair ?? "nil")
        XCTAssertTrue(plan.allocation(for: Channel(centreMHz: 773, bandwidthKHz: 10_000), service: "mobile")!.blockLicensed)
        XCTAssertFalse(plan.allocation(for: Channel(centreMHz: 98.5, bandwidthKHz: 200), service: "broadcast_fm")!.blockLicensed)
    }

    // MARK: F.699

    func testF699BoundIsNeverBelowThePatternAndFollowsItClosely() {
        // Dense angles, both D/λ branches (gains of 20 to 45 dBi) and the step at 48°: the bound is never below the
        // pattern, and within 0.6 dB of it away from the main lobe's steep flank.
        var worstBelow = 0.0, largestAbove = 0.0
        for g in [20.0, 30.4, 38, 45] {
            let bound = F699DiscriminationBound(maxGainDBi: g)
            for k in 0...200_000 {
                let phi = 180 * Double(k) / 200_000
                let exact = ReferencePattern.f699RelativeDB(maxGainDBi: g, offAxisDeg: phi)
                let b = bound.upperBoundDB(cosOffAxis: cos(phi * .pi / 180))
                worstBelow = min(worstBelow, b - exact)
                if phi > 5 { largestAbove = max(largestAbove, b - exact) }
            }
        }
        print("F.699 bound: lowest bound − pattern \(worstBelow) dB, largest beyond 5° \(largestAbove) dB")
        XCTAssertGreaterThanOrEqual(worstBelow, 0)
        XCTAssertLessThan(largestAbove, 0.6)
    }

    func testF699PatternShape() {
        // D/λ > 100 (G_max 48 dBi: D/λ = 10^(40.3/20) ≈ 103.5).
        XCTAssertEqual(ReferencePattern.f699GainDBi(maxGainDBi: 48, offAxisDeg: 0), 48, accuracy: 1e-9)
        XCTAssertEqual(ReferencePattern.f699GainDBi(maxGainDBi: 48, offAxisDeg: 90), -10, accuracy: 1e-9)
        XCTAssertEqual(ReferencePattern.f699GainDBi(maxGainDBi: 48, offAxisDeg: 10), 32 - 25, accuracy: 1e-9)
        XCTAssertEqual(ReferencePattern.f699RelativeDB(maxGainDBi: 48, offAxisDeg: 180), -58, accuracy: 1e-9)
        // D/λ ≤ 100 (G_max 40 dBi: D/λ ≈ 41.2): 52 − 10 log(D/λ) − 25 log φ, and 10 − 10 log(D/λ) beyond 48°.
        let dl40 = pow(10, (40 - 7.7) / 20)
        XCTAssertEqual(ReferencePattern.f699GainDBi(maxGainDBi: 40, offAxisDeg: 10), 52 - 10 * log10(dl40) - 25, accuracy: 1e-9)
        XCTAssertEqual(ReferencePattern.f699GainDBi(maxGainDBi: 40, offAxisDeg: 90), 10 - 10 * log10(dl40), accuracy: 1e-9)
        var last = 100.0
        for phi in stride(from: 0.0, through: 180, by: 0.25) {
            let g = ReferencePattern.f699GainDBi(maxGainDBi: 38, offAxisDeg: phi)
            XCTAssertLessThanOrEqual(g, last + 1e-9, "φ = \(phi)")
            last = g
        }
        // Small antennas (D/λ ≤ 100).
        XCTAssertEqual(ReferencePattern.f699GainDBi(maxGainDBi: 20, offAxisDeg: 0), 20, accuracy: 1e-9)
        XCTAssertEqual(ReferencePattern.f699GainDBi(maxGainDBi: 20, offAxisDeg: 120), 10 - 10 * log10(pow(10, 12.3 / 20)), accuracy: 1e-9)
    }
}

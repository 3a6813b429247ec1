import XCTest
import PowerISA

/// The software TLB: filled from `RadixMMU` translations of `RadixTestTables`, probed and
/// invalidated as tlbie/tlbiel would.
final class TranslationCacheTests: XCTestCase {
    var memory: TestRealMemory!
    var mmu: RadixMMU!
    var cache: TranslationCache!
    let kernelMSR: UInt64 = MSR.sf | MSR.ir | MSR.dr

    override func setUp() {
        memory = RadixTestTables.build()
        mmu = RadixMMU(registration: RadixTestTables.registration)
        cache = TranslationCache(entryCount: 256)
    }

    /// Translates (privileged state) and caches the result.
    @discardableResult
    func fill(_ ea: UInt64, _ access: StorageAccess = .load, pidr: UInt32 = 1, msr: UInt64? = nil) -> Translation? {
        guard case .translated(let t) = mmu.translate(ea: ea, access: access, msr: msr ?? kernelMSR,
                                                      pidr: pidr, memory: memory) else {
            XCTFail("0x\(String(ea, radix: 16)) does not translate")
            return nil
        }
        cache.insert(ea: ea, translation: t)
        return t
    }

    func testHitGivesTheRealAddressOfTheGranule() {
        // 2M page at 0x0060_0000 (see RadixMMUTests.test2MLeafAtThePMDLevel): EA
        // 0xC000_0080_80A1_2345 → 0x0061_2345. The cache holds its 64K granule (the page is
        // larger than 64K): another 4K block of the same granule hits; the next 64K granule of
        // the same 2M page misses.
        fill(0xC000_0080_80A1_2345)
        XCTAssertEqual(cache.entryCount, 256)
        XCTAssertEqual(cache.lookup(ea: 0xC000_0080_80A1_2FF8, pidr: 1, access: .load, problemState: false), 0x0061_2FF8)
        XCTAssertEqual(cache.lookup(ea: 0xC000_0080_80A1_2000, pidr: 7, access: .fetch, problemState: false), 0x0061_2000,
                       "quadrant 3 is PID 0 whatever PIDR holds")
        XCTAssertEqual(cache.lookup(ea: 0xC000_0080_80A1_F004, pidr: 1, access: .load, problemState: false), 0x0061_F004)
        XCTAssertNil(cache.lookup(ea: 0xC000_0080_80A2_0000, pidr: 1, access: .load, problemState: false))
    }

    func testFourKPagesKeepTheirOwnGranules() {
        // 0x0022_3000 and 0x0022_5000 are 4K pages of the same 64K region mapped to unrelated
        // real pages (0x0007_8000, 0x0007_A000): both stay cached, each at its own address, and
        // the 4K page between them (0x0022_4000) is not made to hit.
        fill(0x0022_3000)
        fill(0x0022_5000)
        XCTAssertEqual(cache.lookup(ea: 0x0022_3FFC, pidr: 1, access: .load, problemState: false), 0x0007_8FFC)
        XCTAssertEqual(cache.lookup(ea: 0x0022_5004, pidr: 1, access: .load, problemState: false), 0x0007_A004)
        XCTAssertNil(cache.lookup(ea: 0x0022_4000, pidr: 1, access: .load, problemState: false))
    }

    func testEntriesAreTaggedWithThePID() {
        fill(0x0022_3ABC, pidr: 1)
        XCTAssertEqual(cache.lookup(ea: 0x0022_3000, pidr: 1, access: .load, problemState: true), 0x0007_8000)
        XCTAssertNil(cache.lookup(ea: 0x0022_3000, pidr: 2, access: .load, problemState: true))
    }

    func testRightsFollowTheStateOfTheAccess() {
        // Privileged page PTE[0x24]: privileged state may store, problem state nothing.
        fill(0x0022_4000, .store)
        XCTAssertEqual(cache.lookup(ea: 0x0022_4008, pidr: 1, access: .store, problemState: false), 0x0007_9008)
        XCTAssertNil(cache.lookup(ea: 0x0022_4008, pidr: 1, access: .load, problemState: true))
        // Read-only page PTE[0x25]: loads hit, stores and fetches miss (the walk then faults).
        fill(0x0022_5000)
        XCTAssertEqual(cache.lookup(ea: 0x0022_5010, pidr: 1, access: .load, problemState: true), 0x0007_A010)
        XCTAssertNil(cache.lookup(ea: 0x0022_5010, pidr: 1, access: .store, problemState: true))
        XCTAssertNil(cache.lookup(ea: 0x0022_5010, pidr: 1, access: .fetch, problemState: true))
        // Guarded page PTE[0x28]: no fetch even though EAA has X.
        fill(0x0022_8000)
        XCTAssertNil(cache.lookup(ea: 0x0022_8000, pidr: 1, access: .fetch, problemState: false))
    }

    func testACleanPageIsNotWritableUntilItsChangeBitIsSet() {
        // PTE[0x2A]: R = 1, C = 0. Cached after a load, a store misses so the walk can act on C.
        fill(0x0022_A000)
        XCTAssertNil(cache.lookup(ea: 0x0022_A000, pidr: 1, access: .store, problemState: true))
        XCTAssertEqual(cache.lookup(ea: 0x0022_A000, pidr: 1, access: .load, problemState: true), 0x0007_F000)
        // With hardware R/C updates the store's walk sets C; the refilled entry is writable.
        mmu.referenceChangePolicy = .setByHardware
        fill(0x0022_A000, .store)
        XCTAssertEqual(cache.lookup(ea: 0x0022_A000, pidr: 1, access: .store, problemState: true), 0x0007_F000)
    }

    func testAMRKeyZeroAppliesAtLookup() {
        fill(0x0022_3000)            // user page
        fill(0xC000_0080_8064_0000)  // kernel (privileged) page
        cache.keyZeroDenied = AccessRights.keyZeroDenied(amr: 0xC000_0000_0000_0000, iamr: 0)
        XCTAssertEqual(cache.keyZeroDenied, [.read, .write])
        XCTAssertNil(cache.lookup(ea: 0x0022_3000, pidr: 1, access: .load, problemState: false))
        XCTAssertEqual(cache.lookup(ea: 0x0022_3000, pidr: 1, access: .load, problemState: true), 0x0007_8000)
        XCTAssertEqual(cache.lookup(ea: 0xC000_0080_8064_0000, pidr: 1, access: .store, problemState: false), 0x0123_0000)
    }

    func testDirectMappedConflictEvicts() {
        // 16 entries: the 4K user page 0x0022_3000 sits at index (EA >> 12) & 15 = 3, the 64K
        // granule of kernel 0xC000_0080_80A3_0000 (inside the 2M page, RA 0x0060_0000 +
        // 0x3_0000) at (EA >> 16) & 15 = 3 too: the second evicts the first.
        cache = TranslationCache(entryCount: 16)
        fill(0x0022_3000)
        fill(0xC000_0080_80A3_0000)
        XCTAssertEqual(cache.validEntryCount, 1)
        XCTAssertNil(cache.lookup(ea: 0x0022_3000, pidr: 1, access: .load, problemState: false))
        XCTAssertEqual(cache.lookup(ea: 0xC000_0080_80A3_0000, pidr: 1, access: .load, problemState: false), 0x0063_0000)
    }

    // MARK: - tlbie / tlbiel

    func testDecodesKvmUnitTestsFlushTlbPage() {
        // kvm-unit-tests flush_tlb_page: rb = vaddr & ~0xFFF | ap << 5 (AP 5 = 64K), rs = 1 << 32
        // (PID 1), tlbie rb,rs,0,1,1.
        let inv = TLBInvalidation(rb: 0x0022_3000 | 5 << 5, rs: 1 << 32, ric: 0, prs: true, r: true)
        XCTAssertEqual(inv.epn, 0x0022_3000)
        XCTAssertEqual(inv.isField, 0)
        XCTAssertEqual(inv.ap, 5)
        XCTAssertEqual(inv.pid, 1)
        XCTAssertEqual(inv.lpid, 0)
        XCTAssertEqual(inv.scope, .page(ea: 0x0022_3000, pid: 1, pageShift: 16))
    }

    func testScopesOfTheOtherForms() {
        // IS in RB bits 52:53 = (rb >> 10) & 3.
        func scope(is isField: UInt64, ric: Int = 0, prs: Bool = true, r: Bool = true, ap: UInt64 = 0) -> TLBInvalidation.Scope {
            TLBInvalidation(rb: 0xC000_0000_0001_0000 | isField << 10 | ap << 5, rs: 3 << 32 | 9,
                            ric: ric, prs: prs, r: r).scope
        }
        XCTAssertEqual(scope(is: 0), .page(ea: 0xC000_0000_0001_0000, pid: 3, pageShift: 12))
        XCTAssertEqual(scope(is: 0, ap: 1), .page(ea: 0xC000_0000_0001_0000, pid: 3, pageShift: 21))
        XCTAssertEqual(scope(is: 0, ap: 2), .page(ea: 0xC000_0000_0001_0000, pid: 3, pageShift: 30))
        XCTAssertEqual(scope(is: 0, ap: 3), .process(pid: 3), "an AP no POWER9 page has: the whole PID")
        XCTAssertEqual(scope(is: 1), .process(pid: 3))
        XCTAssertEqual(scope(is: 1, ric: 2), .process(pid: 3))
        XCTAssertEqual(scope(is: 2), .everything)
        XCTAssertEqual(scope(is: 3), .everything)
        XCTAssertEqual(scope(is: 1, ric: 1), .nothing, "page walk cache only: lpar keeps none")
        XCTAssertEqual(scope(is: 0, prs: false), .everything, "partition scoped")
        XCTAssertEqual(scope(is: 0, r: false), .everything, "hashed page table form")
        XCTAssertEqual(scope(is: 0, ric: 3), .everything)
    }

    func testInvalidateByPageDropsOnlyThatPageOfThatPID() {
        fill(0x0022_3000)                  // PID 1, 4K
        fill(0x0022_5000)                  // PID 1, 4K
        fill(0xC000_0080_8064_0000)        // PID 0, 64K page: one entry
        fill(0xC000_0080_8064_F000)        // PID 0, same 64K page: the same entry
        XCTAssertEqual(cache.validEntryCount, 3)
        cache.apply(TLBInvalidation(rb: 0x0022_3000, rs: 1 << 32, ric: 0, prs: true, r: true))
        XCTAssertNil(cache.lookup(ea: 0x0022_3000, pidr: 1, access: .load, problemState: false))
        XCTAssertEqual(cache.validEntryCount, 2)
        // The same EA for another PID drops nothing.
        cache.apply(TLBInvalidation(rb: 0x0022_5000, rs: 2 << 32, ric: 0, prs: true, r: true))
        XCTAssertEqual(cache.validEntryCount, 2)
        // A 4K invalidation inside a cached 64K page drops that page's entry.
        cache.apply(TLBInvalidation(rb: 0xC000_0080_8064_8000, rs: 0, ric: 0, prs: true, r: true))
        XCTAssertEqual(cache.validEntryCount, 1)
        XCTAssertNotNil(cache.lookup(ea: 0x0022_5000, pidr: 1, access: .load, problemState: false))
    }

    func testInvalidateByLargePageSizeCoversItsGranules() {
        // Two granules of the 2M page, one 4K user page; tlbie AP = 1 (2M) at the 2M page's base.
        fill(0xC000_0080_80A0_0000)
        fill(0xC000_0080_80BF_F000)
        fill(0x0022_3000)
        cache.apply(TLBInvalidation(rb: 0xC000_0080_80A0_0000 | 1 << 5, rs: 0, ric: 0, prs: true, r: true))
        XCTAssertEqual(cache.validEntryCount, 1)
    }

    func testInvalidateByPIDAndAll() {
        fill(0x0022_3000)
        fill(0x0022_5000)
        fill(0xC000_0080_8064_0000)
        cache.apply(TLBInvalidation(rb: 1 << 10, rs: 1 << 32, ric: 2, prs: true, r: true))
        XCTAssertEqual(cache.validEntryCount, 1, "PID 1's two entries gone, PID 0's kept")
        cache.apply(TLBInvalidation(rb: 3 << 10, rs: 0, ric: 0, prs: true, r: true))
        XCTAssertEqual(cache.validEntryCount, 0)
        fill(0x0022_3000)
        cache.apply(TLBInvalidation(rb: 1 << 10, rs: 1 << 32, ric: 1, prs: true, r: true))
        XCTAssertEqual(cache.validEntryCount, 1, "RIC = 1 keeps TLB entries")
        cache.invalidateAll()
        XCTAssertEqual(cache.validEntryCount, 0)
    }

    func testTlbieAfterAPTEChangeMakesTheNewMappingVisible() {
        // kvm-unit-tests mmu.c tlbi-this-cpu: repoint a PTE, flush the page, the next access
        // sees the new page.
        fill(0x0022_3000)
        let pteAddress = RadixTestTables.uPTE + 0x23 * 8
        memory.write(pteAddress, ISAFormat.pte(0x0009_8000, RadixTestTables.userRWX))
        XCTAssertEqual(cache.lookup(ea: 0x0022_3000, pidr: 1, access: .load, problemState: true), 0x0007_8000,
                       "stale until invalidated, as on hardware")
        cache.apply(TLBInvalidation(rb: 0x0022_3000, rs: 1 << 32, ric: 0, prs: true, r: true))
        XCTAssertNil(cache.lookup(ea: 0x0022_3000, pidr: 1, access: .load, problemState: true))
        XCTAssertEqual(fill(0x0022_3000)?.realAddress, 0x0009_8000)
    }
}

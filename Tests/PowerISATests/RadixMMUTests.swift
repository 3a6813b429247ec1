import XCTest
import PowerISA

/// Radix tree translation on the hand-built tables of `RadixTestTables` (layout and EA bit
/// positions there). Expected real addresses are the leaf's RPN with the EA's offset inside the
/// page; expected DSISR/SRR1 values are sums of the ISA bits, each 1 << (63 − bit):
/// 33 = 0x40000000 no translation, 35 = 0x10000000 fetch protection (SRR1), 36 = 0x08000000
/// protection (DSISR), 38 = 0x02000000 store, 44 = 0x00080000 radix configuration,
/// 45 = 0x00040000 R/C — the bits QEMU's mmu-radix64.c and microwatt's loadstore1.vhdl set.
final class RadixMMUTests: XCTestCase {
    var memory: TestRealMemory!
    var mmu: RadixMMU!

    // MSR values: SF with IR and DR, privileged or problem state.
    let kernelMSR: UInt64 = MSR.sf | MSR.ir | MSR.dr
    let userMSR: UInt64 = MSR.sf | MSR.ir | MSR.dr | MSR.pr

    override func setUp() {
        memory = RadixTestTables.build()
        mmu = RadixMMU(registration: RadixTestTables.registration, referenceChangePolicy: .interrupt)
    }

    func translate(_ ea: UInt64, _ access: StorageAccess, user: Bool = false, pidr: UInt32 = 1,
                   amr: UInt64 = 0, iamr: UInt64 = 0) -> TranslationResult {
        mmu.translate(ea: ea, access: access, msr: user ? userMSR : kernelMSR, pidr: pidr,
                      amr: amr, iamr: iamr, memory: memory)
    }

    func expectTranslation(_ ea: UInt64, _ access: StorageAccess, user: Bool = false, pidr: UInt32 = 1,
                           amr: UInt64 = 0, iamr: UInt64 = 0,
                           file: StaticString = #filePath, line: UInt = #line) -> Translation? {
        switch translate(ea, access, user: user, pidr: pidr, amr: amr, iamr: iamr) {
        case .translated(let t): return t
        case .fault(let f):
            XCTFail("0x\(String(ea, radix: 16)) faulted: \(f)", file: file, line: line)
            return nil
        }
    }

    func expectFault(_ ea: UInt64, _ access: StorageAccess, _ expected: StorageFault, user: Bool = false,
                     pidr: UInt32 = 1, amr: UInt64 = 0, iamr: UInt64 = 0,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(translate(ea, access, user: user, pidr: pidr, amr: amr, iamr: iamr), .fault(expected),
                       file: file, line: line)
    }

    // MARK: - Formats

    func testProcessTableEntryFieldsAsKvmUnitTestsWritesThem() {
        // kvm-unit-tests lib/ppc64/mmu.c: dw0 = pgd | (16 - 3) | (0x2 << 61) | (0x5 << 5):
        // RTS = 0b10 << 3 | 0b101 = 21, tree size 21 + 31 = 52; RPDS = 13 (a 64K PGD).
        let dw0: UInt64 = 0x0012_3400_0000_0000 | (16 - 3) | (0x2 << 61) | (0x5 << 5)
        let entry = ProcessTableEntry(dw0)
        XCTAssertEqual(entry.rts, 21)
        XCTAssertEqual(entry.radixTreeSize, 52)
        XCTAssertEqual(entry.rpds, 13)
        XCTAssertEqual(entry.rpdb, 0x0012_3400_0000_0000)
        XCTAssertEqual(ProcessTableEntry.encode(radixTreeSize: 52, rpdb: 0x0012_3400_0000_0000, rpds: 13), dw0)
        XCTAssertEqual(ISAFormat.prtb0(rts: 21, rpdb: 0x0012_3400_0000_0000, rpds: 13), dw0)
    }

    func testPTEFieldsAsLinuxDefinesThem() {
        // Linux book3s/64 radix: _PAGE_EXEC 0x1, _PAGE_WRITE 0x2, _PAGE_READ 0x4,
        // _PAGE_PRIVILEGED 0x8, _PAGE_NON_IDEMPOTENT 0x20, _PAGE_DIRTY 0x80, _PAGE_ACCESSED 0x100,
        // _PAGE_PTE 1 << 62, _PAGE_PRESENT 1 << 63: the ISA bits 63, 62, 61, 60, 58, 56, 55, 1, 0.
        XCTAssertEqual(ISAFormat.execute, 0x1)
        XCTAssertEqual(ISAFormat.readWrite, 0x2)
        XCTAssertEqual(ISAFormat.read, 0x4)
        XCTAssertEqual(ISAFormat.privileged, 0x8)
        XCTAssertEqual(ISAFormat.nonIdempotentIO, 0x20)
        XCTAssertEqual(ISAFormat.C, 0x80)
        XCTAssertEqual(ISAFormat.R, 0x100)
        XCTAssertEqual(ISAFormat.L, 1 << 62)
        XCTAssertEqual(ISAFormat.V, 1 << 63)
        let pte = RadixPTE(ISAFormat.pte(0x0123_0000, ISAFormat.read | ISAFormat.readWrite, att: ISAFormat.nonIdempotentIO))
        XCTAssertEqual(pte.rpn, 0x0123_0000)
        XCTAssertEqual(pte.encodedRights, [.read, .write])
        XCTAssertTrue(pte.isGuarded && pte.isReferenced && pte.isChanged && !pte.isPrivileged)
    }

    func testDSISRAndSRR1BitsAreTheISABitNumbers() {
        typealias F = ISAFormat
        XCTAssertEqual(UInt64(DSISR.noTranslation), F.bit(33))
        XCTAssertEqual(UInt64(DSISR.protection), F.bit(36))
        XCTAssertEqual(UInt64(DSISR.store), F.bit(38))
        XCTAssertEqual(UInt64(DSISR.radixConfiguration), F.bit(44))
        XCTAssertEqual(UInt64(DSISR.referenceChange), F.bit(45))
        XCTAssertEqual(UInt64(SRR1.noTranslation), F.bit(33))
        XCTAssertEqual(UInt64(SRR1.fetchProtection), F.bit(35))
        XCTAssertEqual(SRR1.interruptSpecific, F.bit(33) | F.bit(34) | F.bit(35) | F.bit(36)
                       | F.bit(42) | F.bit(43) | F.bit(44) | F.bit(45) | F.bit(46) | F.bit(47))
    }

    // MARK: - Page sizes

    func test64KPageInTheKernelQuadrant() {
        // EA 0xC000_0080_8064_5678: quadrant 3 (PID 0); offset 0x80_8064_5678 =
        // 1 << 39 | 2 << 30 | 3 << 21 | 4 << 16 | 0x5678 → PGD[1], PUD[2], PMD[3], PTE[4] = 64K page
        // 0x0123_0000; RA = 0x0123_0000 | 0x5678.
        guard let t = expectTranslation(0xC000_0080_8064_5678, .load) else { return }
        XCTAssertEqual(t.realAddress, 0x0123_5678)
        XCTAssertEqual(t.pageShift, 16)
        XCTAssertEqual(t.pageSize, 0x1_0000)
        XCTAssertEqual(t.pid, 0, "quadrant 3 uses PID 0 whatever PIDR holds")
        XCTAssertEqual(t.pteAddress, RadixTestTables.kPTE + 4 * 8)
        XCTAssertEqual(t.rights, .all)
    }

    func test4KPageInTheUserQuadrant() {
        // EA 0x0022_3ABC: quadrant 0 (PIDR = 1); 1 << 21 | 0x23 << 12 | 0xABC → PGD[0], PUD[0],
        // PMD[1], PTE[0x23] = 4K page 0x0007_8000; RA = 0x0007_8ABC.
        guard let t = expectTranslation(0x0022_3ABC, .load, user: true) else { return }
        XCTAssertEqual(t.realAddress, 0x0007_8ABC)
        XCTAssertEqual(t.pageShift, 12)
        XCTAssertEqual(t.pid, 1)
        XCTAssertEqual(t.pteAddress, RadixTestTables.uPTE + 0x23 * 8)
    }

    func test2MLeafAtThePMDLevel() {
        // 1 << 39 | 2 << 30 | 5 << 21 | 0x1_2345 = 0x80_80A1_2345: PMD[5] is a leaf, 52 − 13 − 9 − 9
        // = 21 bits left → 2M page 0x0060_0000; RA = 0x0060_0000 | 0x1_2345.
        guard let t = expectTranslation(0xC000_0080_80A1_2345, .fetch) else { return }
        XCTAssertEqual(t.realAddress, 0x0061_2345)
        XCTAssertEqual(t.pageShift, 21)
    }

    func test1GLeafAtThePUDLevelIgnoresRPNBitsInsideThePage() {
        // 1 << 39 | 7 << 30 | 0x0ABC_DEF0 = 0x81_CABC_DEF0: PUD[7] is a leaf, 52 − 13 − 9 = 30 bits
        // left → 1G page; its RPN 0x4000_1000 has bit 12 set, inside the page, which the RA
        // replaces by EA bits: 0x4000_0000 | 0x0ABC_DEF0.
        guard let t = expectTranslation(0xC000_0081_CABC_DEF0, .store) else { return }
        XCTAssertEqual(t.realAddress, 0x4ABC_DEF0)
        XCTAssertEqual(t.pageShift, 30)
    }

    func testAFortyBitTreeWithOtherLevelSizes() {
        // PID 3: RTS = 9 → 40 bits, levels of 10, 9, 9 bits → 40 − 28 = 12: 4K pages.
        // EA 0xFF_C000_0123 = 0x3FF << 30 | 0x123 → root[0x3FF], mid[0], leaf[0] = 0x0009_0000.
        guard let t = expectTranslation(0x00FF_C000_0123, .load, pidr: 3) else { return }
        XCTAssertEqual(t.realAddress, 0x0009_0123)
        XCTAssertEqual(t.pageShift, 12)
        // 1 << 40 is beyond a 40-bit tree (it would be inside a 52-bit one): segment interrupt.
        expectFault(0x0100_0000_0000, .load, .dataSegment(dar: 0x0100_0000_0000), pidr: 3)
    }

    func testMisalignedNextLevelBaseIsAlignedDownToTheTableSize() {
        // User PMD[2] points at 0x52100 with NLS 9 (a 4K table): the walk reads
        // 0x52000 + 0x23 × 8, PTE[0x23] (unaligned it would read 0x52218, PTE[0x43], empty).
        // EA 2 << 21 | 0x23 << 12 | 0xABC = 0x0042_3ABC → RA 0x0007_8ABC.
        guard let t = expectTranslation(0x0042_3ABC, .load, user: true) else { return }
        XCTAssertEqual(t.realAddress, 0x0007_8ABC)
        XCTAssertEqual(t.pteAddress, RadixTestTables.uPTE + 0x23 * 8)
    }

    // MARK: - Quadrants and EA range

    func testQuadrantsOneAndTwoAreSegmentInterruptsForAGuest() {
        for ea: UInt64 in [0x4000_0000_0022_3ABC, 0x8000_0000_0022_3ABC] {
            expectFault(ea, .load, .dataSegment(dar: ea))
            expectFault(ea, .store, .dataSegment(dar: ea))
            expectFault(ea, .fetch, .instructionSegment(ea: ea))
            expectFault(ea, .load, .dataSegment(dar: ea), user: true)
        }
        XCTAssertEqual(StorageFault.dataSegment(dar: 0).vector, 0x380)
        XCTAssertEqual(StorageFault.instructionSegment(ea: 0).vector, 0x480)
    }

    func testEABeyondTheTreeSizeIsASegmentInterrupt() {
        // A 52-bit tree: EA bits 2:11 must be 0. 0x0010_0000_0000_0000 sets bit 11.
        expectFault(0x0010_0000_0000_0000, .load, .dataSegment(dar: 0x0010_0000_0000_0000), user: true)
        expectFault(0xC010_0000_0000_0000, .fetch, .instructionSegment(ea: 0xC010_0000_0000_0000))
        // kvm-unit-tests interrupts.c expects 0x380 and 0x480 for EA -4 with its MMU on.
        expectFault(0xFFFF_FFFF_FFFF_FFFC, .load, .dataSegment(dar: 0xFFFF_FFFF_FFFF_FFFC))
        expectFault(0xFFFF_FFFF_FFFF_FFFC, .fetch, .instructionSegment(ea: 0xFFFF_FFFF_FFFF_FFFC))
        // The last EA inside the tree walks: PGD[0x1FFF] is empty → no translation, not segment.
        expectFault(0xC00F_FFFF_FFFF_F000, .load, .dataStorage(dar: 0xC00F_FFFF_FFFF_F000, dsisr: 0x4000_0000))
    }

    // MARK: - Process table

    func testPIDSelectsTheProcessTableEntry() {
        // EA 0x0022_3ABC in PID 1's tree maps to 0x0007_8ABC; PID 0's tree has no PGD[0].
        XCTAssertNotNil(expectTranslation(0x0022_3ABC, .load, pidr: 1))
        expectFault(0x0022_3ABC, .load, .dataStorage(dar: 0x0022_3ABC, dsisr: 0x4000_0000), pidr: 0)
    }

    func testPIDBeyondTheProcessTableIsNoTranslation() {
        // Size field 0: 2^12 bytes = 256 entries of 16 bytes; PID 256 starts at offset 4096.
        expectFault(0x1000, .load, .dataStorage(dar: 0x1000, dsisr: 0x4000_0000), pidr: 256)
        expectFault(0x1000, .store, .dataStorage(dar: 0x1000, dsisr: 0x4200_0000), pidr: 256)
        expectFault(0x1000, .fetch, .instructionStorage(ea: 0x1000, srr1: 0x4000_0000), pidr: 256)
        // PID 255 is inside (its entry is 0: see the next test).
        expectFault(0x1000, .load, .dataStorage(dar: 0x1000, dsisr: 0x0008_0000), pidr: 255)
    }

    func testAZeroProcessTableEntryIsARadixConfigurationError() {
        // PID 2's PRTB0 is 0: RTS 0 → a 31-bit tree, RPDS 0 < 5. EA 0x1000 is inside 31 bits,
        // so the root's size is the error (DSISR 44); EA 1 << 31 is outside: segment.
        expectFault(0x1000, .load, .dataStorage(dar: 0x1000, dsisr: 0x0008_0000), pidr: 2)
        expectFault(0x1000, .fetch, .instructionStorage(ea: 0x1000, srr1: 0x0008_0000), pidr: 2)
        expectFault(0x8000_0000, .load, .dataSegment(dar: 0x8000_0000), pidr: 2)
    }

    func testNoRegisteredProcessTableTranslatesNothing() {
        mmu.registration = nil
        expectFault(0xC000_0080_8064_5678, .load, .dataStorage(dar: 0xC000_0080_8064_5678, dsisr: 0x4000_0000))
        expectFault(0xC000_0080_8064_5678, .fetch, .instructionStorage(ea: 0xC000_0080_8064_5678, srr1: 0x4000_0000))
    }

    func testProcessTableOutsideMemory() {
        mmu.registration = ProcessTableRegistration(base: 0x0200_0000, sizeField: 0)
        expectFault(0xC000_0000_0000_0000, .load,
                    .tableOutsideMemory(realAddress: 0x0200_0000, ea: 0xC000_0000_0000_0000))
        XCTAssertNil(StorageFault.tableOutsideMemory(realAddress: 0, ea: 0).vector)
    }

    // MARK: - Invalid entries and malformed trees

    func testInvalidPTEAndPDE() {
        // PTE[0x2B] is 0: EA 0x0022_B000.
        expectFault(0x0022_B000, .load, .dataStorage(dar: 0x0022_B000, dsisr: 0x4000_0000), user: true)
        expectFault(0x0022_B010, .store, .dataStorage(dar: 0x0022_B010, dsisr: 0x4200_0000), user: true)
        expectFault(0x0022_B000, .fetch, .instructionStorage(ea: 0x0022_B000, srr1: 0x4000_0000), user: true)
        // PID 0's PGD[0] is 0: EA 0xC000_0000_0000_0000 stops at the first level.
        expectFault(0xC000_0000_0000_0000, .load, .dataStorage(dar: 0xC000_0000_0000_0000, dsisr: 0x4000_0000))
        XCTAssertEqual(StorageFault.dataStorage(dar: 0, dsisr: 0).vector, 0x300)
        XCTAssertEqual(StorageFault.instructionStorage(ea: 0, srr1: 0).vector, 0x400)
    }

    func testMalformedTreesAreRadixConfigurationErrors() {
        // PMD[10] has NLS 4: EA 1 << 39 | 2 << 30 | 10 << 21 = 0xC000_0080_8140_0000.
        expectFault(0xC000_0080_8140_0000, .load, .dataStorage(dar: 0xC000_0080_8140_0000, dsisr: 0x0008_0000))
        expectFault(0xC000_0080_8140_0000, .store, .dataStorage(dar: 0xC000_0080_8140_0000, dsisr: 0x0208_0000))
        // PTE[5] is a directory with 16 bits left; 16 − 5 = 11 < 12: EA … | 3 << 21 | 5 << 16.
        expectFault(0xC000_0080_8065_0000, .fetch, .instructionStorage(ea: 0xC000_0080_8065_0000, srr1: 0x0008_0000))
    }

    func testPageTableOutsideMemory() {
        // PMD[8] → NLB 0x0800_0000; EA … | 8 << 21 | 3 << 16 reads entry 3 at 0x0800_0018.
        expectFault(0xC000_0080_8103_0000, .load,
                    .tableOutsideMemory(realAddress: 0x0800_0018, ea: 0xC000_0080_8103_0000))
    }

    // MARK: - Permissions

    func testUserAccessToAPrivilegedPage() {
        // PTE[0x24] is privileged RWX: EA 0x0022_4000.
        expectFault(0x0022_4000, .load, .dataStorage(dar: 0x0022_4000, dsisr: 0x0800_0000), user: true)
        expectFault(0x0022_4008, .store, .dataStorage(dar: 0x0022_4008, dsisr: 0x0A00_0000), user: true)
        expectFault(0x0022_4000, .fetch, .instructionStorage(ea: 0x0022_4000, srr1: 0x1000_0000), user: true)
        // The kernel may use it: RA 0x0007_9000 | 0x10.
        XCTAssertEqual(expectTranslation(0x0022_4010, .store)?.realAddress, 0x0007_9010)
    }

    func testKernelAccessToAUserPage() {
        // Without AMR/IAMR restrictions privileged state may load, store and execute a user page.
        XCTAssertEqual(expectTranslation(0x0022_3ABC, .load)?.realAddress, 0x0007_8ABC)
        XCTAssertEqual(expectTranslation(0x0022_3ABC, .store)?.realAddress, 0x0007_8ABC)
        XCTAssertEqual(expectTranslation(0x0022_3ABC, .fetch)?.realAddress, 0x0007_8ABC)
    }

    func testStoreToAReadOnlyPage() {
        // PTE[0x25]: EAA read only. EA 0x0022_5123.
        XCTAssertEqual(expectTranslation(0x0022_5123, .load, user: true)?.realAddress, 0x0007_A123)
        expectFault(0x0022_5123, .store, .dataStorage(dar: 0x0022_5123, dsisr: 0x0A00_0000), user: true)
        expectFault(0x0022_5123, .store, .dataStorage(dar: 0x0022_5123, dsisr: 0x0A00_0000))
        expectFault(0x0022_5123, .fetch, .instructionStorage(ea: 0x0022_5123, srr1: 0x1000_0000), user: true)
    }

    func testFetchFromANoExecutePage() {
        // PTE[0x26]: read/write, no execute.
        expectFault(0x0022_6000, .fetch, .instructionStorage(ea: 0x0022_6000, srr1: 0x1000_0000), user: true)
        expectFault(0x0022_6000, .fetch, .instructionStorage(ea: 0x0022_6000, srr1: 0x1000_0000))
        XCTAssertNotNil(expectTranslation(0x0022_6000, .store, user: true))
    }

    func testExecuteOnlyPageCannotBeLoaded() {
        // PTE[0x27]: EAA execute only.
        XCTAssertEqual(expectTranslation(0x0022_7004, .fetch, user: true)?.realAddress, 0x0007_C004)
        expectFault(0x0022_7004, .load, .dataStorage(dar: 0x0022_7004, dsisr: 0x0800_0000), user: true)
    }

    func testNoFetchFromNonIdempotentIO() {
        // PTE[0x28]: RWX but ATT = 0b10 (non-idempotent I/O, Guarded): loads and stores work.
        expectFault(0x0022_8000, .fetch, .instructionStorage(ea: 0x0022_8000, srr1: 0x1000_0000), user: true)
        XCTAssertNotNil(expectTranslation(0x0022_8000, .load, user: true))
    }

    func testAMRKeyZeroGuardsUserPagesFromTheKernel() {
        // Linux KUAP's blocked value sets AMR bits 0 (stores) and 1 (loads) for key 0.
        let blocked: UInt64 = 0xC000_0000_0000_0000
        expectFault(0x0022_3ABC, .load, .dataStorage(dar: 0x0022_3ABC, dsisr: 0x0800_0000), amr: blocked)
        expectFault(0x0022_3ABC, .store, .dataStorage(dar: 0x0022_3ABC, dsisr: 0x0A00_0000), amr: blocked)
        // Bit 0 alone blocks stores only.
        XCTAssertNotNil(expectTranslation(0x0022_3ABC, .load, amr: 0x8000_0000_0000_0000))
        expectFault(0x0022_3ABC, .store, .dataStorage(dar: 0x0022_3ABC, dsisr: 0x0A00_0000), amr: 0x8000_0000_0000_0000)
        // Not applied to problem state, nor to privileged pages.
        XCTAssertNotNil(expectTranslation(0x0022_3ABC, .store, user: true, amr: blocked))
        XCTAssertNotNil(expectTranslation(0x0022_4000, .store, amr: blocked))
        // IAMR bit 1: no kernel execution of user pages (KUEP).
        expectFault(0x0022_3000, .fetch, .instructionStorage(ea: 0x0022_3000, srr1: 0x1000_0000),
                    iamr: 0x4000_0000_0000_0000)
        XCTAssertNotNil(expectTranslation(0xC000_0080_8064_0000, .fetch, iamr: 0x4000_0000_0000_0000))
    }

    // MARK: - Reference and Change

    func testPOWER9RaisesAStorageInterruptWhenRorCNeedSetting() {
        // PTE[0x29]: R = C = 0. PTE[0x2A]: R = 1, C = 0.
        expectFault(0x0022_9000, .load, .dataStorage(dar: 0x0022_9000, dsisr: 0x0004_0000), user: true)
        expectFault(0x0022_9000, .fetch, .instructionStorage(ea: 0x0022_9000, srr1: 0x0004_0000), user: true)
        expectFault(0x0022_A000, .store, .dataStorage(dar: 0x0022_A000, dsisr: 0x0204_0000), user: true)
        // A load from the R = 1 page succeeds but is not a write permission.
        let t = expectTranslation(0x0022_A000, .load, user: true)
        XCTAssertEqual(t?.rights, [.read, .execute])
        XCTAssertTrue(memory.storeLog.isEmpty, "the interrupt policy never writes the PTE")
    }

    func testProtectionIsReportedBeforeReferenceChange() {
        // PTE[0x2C]: read-only with R = 0: a store is a protection fault, not an R/C one.
        expectFault(0x0022_C000, .store, .dataStorage(dar: 0x0022_C000, dsisr: 0x0A00_0000), user: true)
        expectFault(0x0022_C000, .load, .dataStorage(dar: 0x0022_C000, dsisr: 0x0004_0000), user: true)
    }

    func testHardwareUpdatePolicySetsRAndCInThePTE() {
        mmu.referenceChangePolicy = .setByHardware
        let pteAddress = RadixTestTables.uPTE + 0x29 * 8
        let before = memory.read(pteAddress)
        // A load sets R (0x100) only, and the translation is not writable (C still 0).
        let load = expectTranslation(0x0022_9040, .load, user: true)
        XCTAssertEqual(memory.read(pteAddress), before | 0x100)
        XCTAssertEqual(load?.realAddress, 0x0007_E040)
        XCTAssertEqual(load?.rights, [.read, .execute])
        // A store sets C (0x80) too and is writable.
        let store = expectTranslation(0x0022_9040, .store, user: true)
        XCTAssertEqual(memory.read(pteAddress), before | 0x180)
        XCTAssertEqual(store?.rights, .all)
        XCTAssertEqual(store?.pte.value, before | 0x180)
        // Nothing is written once both are set.
        let stores = memory.storeLog.count
        _ = expectTranslation(0x0022_9040, .store, user: true)
        XCTAssertEqual(memory.storeLog.count, stores)
        XCTAssertEqual(stores, 2)
    }

    // MARK: - kvm-unit-tests

    func testTheTreeKvmUnitTestsBuildsGivesTheInterruptsItsTestsExpect() {
        // lib/ppc64/mmu.c setup_mmu: a 4K process table whose PID 1 entry is
        // pgd | (16 − 3) | 0x2 << 61 | 0x5 << 5, PID 0's left 0; registered with size 0; PIDR = 1.
        // install_page maps page p at EA p with _PAGE_VALID | _PAGE_PTE | _PAGE_READ |
        // _PAGE_WRITE | _PAGE_EXEC | _PAGE_ACCESSED | _PAGE_DIRTY (no _PAGE_PRIVILEGED) in
        // 64K pages: PGD 64K, PUD and PMD 4K, PTE table 256 bytes. Here: page 0x10000 only
        // (EA 0x10000 = PTE index 1, every upper index 0).
        let m = TestRealMemory(size: 0x10_0000)
        let table: UInt64 = 0x8000, pgd: UInt64 = 0x20000, pud: UInt64 = 0x30000, pmd: UInt64 = 0x31000, pte: UInt64 = 0x32000
        m.write(table + 16, pgd | (16 - 3) | 0x2 << 61 | 0x5 << 5)
        m.write(pgd, 0x8000_0000_0000_0000 | pud | 9)
        m.write(pud, 0x8000_0000_0000_0000 | pmd | 9)
        m.write(pmd, 0x8000_0000_0000_0000 | pte | 5)
        m.write(pte + 8, 0x10000 | 0x8000_0000_0000_0000 | 0x4000_0000_0000_0000 | 0x4 | 0x2 | 0x1 | 0x100 | 0x80)
        guard case .success(let registration?) = ProcessTableRegistration.apply(
            flags: 0x18 | 0x04 | 0x01, base: table, pageSize: 0, tableSize: 0, current: nil) else { return XCTFail() }
        let kut = RadixMMU(registration: registration)
        func run(_ ea: UInt64, _ access: StorageAccess) -> TranslationResult {
            kut.translate(ea: ea, access: access, msr: kernelMSR, pidr: 1, memory: m)
        }
        guard case .translated(let t) = run(0x1_0008, .store) else { return XCTFail() }
        XCTAssertEqual(t.realAddress, 0x1_0008)
        XCTAssertEqual(t.pageShift, 16)
        // interrupts.c test_mmu: "dsi" — DSISR & (1 << 30); "isi" — SRR1 & (1 << 30);
        // "dseg" / "iseg" at EA −4 (quadrant 3, PID 0's empty entry: a 31-bit tree).
        XCTAssertEqual(run(0x2_0000, .load), .fault(.dataStorage(dar: 0x2_0000, dsisr: 1 << 30)))
        XCTAssertEqual(run(0x2_0000, .fetch), .fault(.instructionStorage(ea: 0x2_0000, srr1: 1 << 30)))
        XCTAssertEqual(run(0xFFFF_FFFF_FFFF_FFFC, .load), .fault(.dataSegment(dar: 0xFFFF_FFFF_FFFF_FFFC)))
        XCTAssertEqual(run(0xFFFF_FFFF_FFFF_FFFC, .fetch), .fault(.instructionSegment(ea: 0xFFFF_FFFF_FFFF_FFFC)))
    }

    // MARK: - Real mode

    func testRelocationOffIsRealModeForThatAccessOnly() {
        // DR = 0, IR = 1: data is real (EA bits 0:3 ignored), fetches translate.
        let msr = MSR.sf | MSR.ir
        let load = mmu.translate(ea: 0xC000_0000_0123_4567, access: .load, msr: msr, pidr: 1, memory: memory)
        guard case .translated(let t) = load else { return XCTFail("\(load)") }
        XCTAssertEqual(t.realAddress, 0x0000_0000_0123_4567)
        XCTAssertEqual(t.rights, .all)
        let fetch = mmu.translate(ea: 0xC000_0080_8064_5678, access: .fetch, msr: msr, pidr: 1, memory: memory)
        guard case .translated(let f) = fetch else { return XCTFail("\(fetch)") }
        XCTAssertEqual(f.realAddress, 0x0123_5678)
        // IR = 0: a quadrant 1 fetch is real mode, not a segment interrupt.
        let real = mmu.translate(ea: 0x4000_0000_0000_1000, access: .fetch, msr: MSR.sf | MSR.dr, pidr: 1, memory: memory)
        guard case .translated(let r) = real else { return XCTFail("\(real)") }
        XCTAssertEqual(r.realAddress, 0x1000)
    }
}

import XCTest
import GuestMemory
import PowerISA

/// The interpreter with MSR[IR] = MSR[DR] = 1: instructions fetched, and loads and stores made,
/// through the hand-built radix tables of `RadixTestTables` (PID 1's 4K-page user tree, quadrant
/// 0, accessed from privileged state, where its non-privileged pages grant their EAA). Expected
/// real addresses come from those tables' PTEs; interrupt registers from Book III chapter 6 and
/// docs/MMU.md's table: DSI DAR = EA, DSISR bits 33 (no translation), 36 (protection), 38
/// (store), 45 (R/C); ISI SRR0 = the EA, SRR1 bit 35 for protection; segment interrupts for
/// quadrants 1 and 2. Instruction words were checked with powerpc64-linux-gnu-as.
final class TranslatedExecutionTests: XCTestCase {
    var memory: GuestMemory!
    var cpu: CPU!
    var interpreter: Interpreter!

    /// EA 0x22_3000 → RA 0x7_8000 (PTE 0x23, user RWX): the code page.
    let code: UInt64 = 0x22_3000
    let codeRA: UInt64 = 0x7_8000
    /// 64-bit, ME, both relocations on, supervisor.
    let runMSR = MSR.sf | MSR.me | MSR.ir | MSR.dr
    static let branchToSelf: UInt32 = 0x4800_0000
    static let vectors: [UInt64] = [0x200, 0x300, 0x380, 0x400, 0x480, 0x700]
    /// SRR1 bits 33:36 and 42:47, which an interrupt sets; the rest is the old MSR.
    let causeBits: UInt64 = 0x0000_0000_783F_0000

    override func setUpWithError() throws {
        memory = try GuestMemory(ramSize: UInt64(RadixTestTables.memorySize))
        cpu = CPU()
        interpreter = Interpreter(cpu: cpu, memory: memory, deliversInterrupts: true)
        let tables = RadixTestTables.build()
        // Extra user PTEs for these tests: 0x2D → RA 0x8_1000 (data), 0x2E → RA 0x7_8000 (a
        // second mapping of the code page).
        tables.write(RadixTestTables.uPTE + 0x2D * 8, ISAFormat.pte(0x8_1000, RadixTestTables.userRWX))
        tables.write(RadixTestTables.uPTE + 0x2E * 8, ISAFormat.pte(0x7_8000, RadixTestTables.userRWX))
        try memory.write(tables.bytes, at: 0)
        interpreter.mmu.register(RadixTestTables.registration)
        cpu[RegisterSlot.pidr] = 1
        for v in Self.vectors { memory.store32(v, Self.branchToSelf) }
    }

    /// Puts `words` at EA `code` (real `codeRA`) and runs them translated.
    @discardableResult
    func run(_ words: [UInt32], gprs: [Int: UInt64] = [:], limit: UInt64 = 16) -> StopReason {
        interpreter.invalidateAll()  // the test's own stores bypass the interpreter's snooping
        for (i, w) in words.enumerated() { memory.store32(codeRA + UInt64(4 * i), w) }
        for (r, v) in gprs { cpu.gpr[r] = v }
        cpu.msr = runMSR
        cpu.pc = code
        return interpreter.run(limit: limit)
    }

    var srr0: UInt64 { cpu[RegisterSlot.srr0] }
    var srr1: UInt64 { cpu[RegisterSlot.srr1] }
    var dar: UInt64 { cpu[RegisterSlot.dar] }
    var dsisr: UInt64 { cpu[RegisterSlot.dsisr] }

    /// The state after a storage interrupt: vector, SRR0, SRR1 = the old MSR plus `cause`, and
    /// the handler's MSR (relocation off, SF and ME).
    func assertInterrupt(_ vector: UInt64, srr0 expected: UInt64, cause: UInt64 = 0, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(cpu.pc, vector, "vector", file: file, line: line)
        XCTAssertEqual(srr0, expected, "SRR0", file: file, line: line)
        XCTAssertEqual(srr1, (runMSR & ~causeBits) | cause, "SRR1", file: file, line: line)
        XCTAssertEqual(cpu.msr, MSR.sf | MSR.me, "MSR", file: file, line: line)
    }

    // MARK: - Successful translation

    func testLoadAndStoreReachThePTEsRealPage() {
        memory.store64(codeRA + 0x100, 0x0102_0304_0506_0708)
        memory.store32(0x7_A000, 0xCAFE_F00D)                      // the read-only page 0x22_5000
        // ld r3,0x100(r4); std r5,0x108(r4); lwz r6,0(r7)
        run([0xE864_0100, 0xF8A4_0108, 0x80C7_0000],
            gprs: [4: code, 5: 0x1122_3344_5566_7788, 7: 0x22_5000], limit: 3)
        XCTAssertEqual(cpu.gpr[3], 0x0102_0304_0506_0708)
        XCTAssertEqual(memory.load64(codeRA + 0x108), 0x1122_3344_5566_7788)
        XCTAssertEqual(cpu.gpr[6], 0xCAFE_F00D)
        XCTAssertEqual(cpu.pc, code + 12)
        XCTAssertEqual(interpreter.interruptsDelivered, 0)
    }

    func testUnalignedLoadAcrossTwoPagesJoinsBothRealPages() {
        // EA 0x22_3FFC..0x22_4003: the last 4 bytes of RA 0x7_8000's page, then the first 4 of
        // 0x22_4000's page, RA 0x7_9000 (a privileged page, allowed in privileged state).
        memory.store32(codeRA + 0xFFC, 0xAABB_CCDD)
        memory.store32(0x7_9000, 0x1122_3344)
        run([0xE864_0000], gprs: [4: code + 0xFFC], limit: 1)          // ld r3,0(r4)
        XCTAssertEqual(cpu.gpr[3], 0xAABB_CCDD_1122_3344)
    }

    // MARK: - Faults

    func testStoreToReadOnlyPageIsDSIWithProtectionAndStore() {
        run([0x90C7_0000], gprs: [6: 1, 7: 0x22_5004])                // stw r6,0(r7)
        assertInterrupt(0x300, srr0: code)
        XCTAssertEqual(dar, 0x22_5004)
        XCTAssertEqual(dsisr, 0x0800_0000 | 0x0200_0000)              // bits 36, 38
        XCTAssertEqual(memory.load32(0x7_A004), 0)                      // nothing written
    }

    func testLoadThroughInvalidPTEIsDSINoTranslation() {
        run([0x80C7_0000], gprs: [7: 0x22_B010])                       // lwz r6,0(r7)
        assertInterrupt(0x300, srr0: code)
        XCTAssertEqual(dar, 0x22_B010)
        XCTAssertEqual(dsisr, 0x4000_0000)                              // bit 33
    }

    func testQuadrantOneIsDataSegmentAndLeavesDSISR() {
        cpu[RegisterSlot.dsisr] = 0x1234
        run([0x80C7_0000], gprs: [7: 0x4000_0000_0000_0000])
        assertInterrupt(0x380, srr0: code)
        XCTAssertEqual(dar, 0x4000_0000_0000_0000)
        XCTAssertEqual(dsisr, 0x1234)
    }

    func testReferenceAndChangeBitsInterruptAsOnPOWER9() {
        // Load from the R = C = 0 page (PTE 0x29): DSISR bit 45.
        run([0x80C7_0000], gprs: [7: 0x22_9000])
        assertInterrupt(0x300, srr0: code)
        XCTAssertEqual(dsisr, 0x0004_0000)
        // Store to the C = 0 page (PTE 0x2A): bits 45 and 38; the PTE is not written.
        let pteAddress = RadixTestTables.uPTE + 0x2A * 8
        let pteBefore = memory.load64(pteAddress)
        run([0x90C7_0000], gprs: [7: 0x22_A000])
        assertInterrupt(0x300, srr0: code)
        XCTAssertEqual(dsisr, 0x0004_0000 | 0x0200_0000)
        XCTAssertEqual(memory.load64(pteAddress), pteBefore)
    }

    func testStoreCrossingIntoReadOnlyPageWritesNothing() {
        // std r5,0(r4) at EA 0x22_4FFC: 4 bytes in the privileged RWX page (RA 0x7_9FFC), 4 in
        // the read-only one: the whole store faults, DAR = the first byte in the faulting page.
        run([0xF8A4_0000], gprs: [4: 0x22_4FFC, 5: UInt64.max])
        assertInterrupt(0x300, srr0: code)
        XCTAssertEqual(dar, 0x22_5000)
        XCTAssertEqual(dsisr, 0x0800_0000 | 0x0200_0000)
        XCTAssertEqual(memory.load32(0x7_9FFC), 0)
    }

    func testTranslationToRealAddressBeyondMemoryIsMachineCheck() {
        // PID 0's 64K page at quadrant 3 EA (PGD 1, PUD 2, PMD 3, PTE 4) maps RA 0x0123_0000,
        // beyond the 1 MiB of memory: as a real-mode access there, a machine check, DAR = EA,
        // SRR1[42] (a load or store); ME is cleared.
        let ea: UInt64 = 0xC000_0000_0000_0000 | 1 << 39 | 2 << 30 | 3 << 21 | 4 << 16
        run([0x80C7_0000], gprs: [7: ea])
        XCTAssertEqual(cpu.pc, 0x200)
        XCTAssertEqual(srr0, code)
        XCTAssertEqual(dar, ea)
        XCTAssertEqual(srr1, runMSR | 0x0020_0000)
        XCTAssertEqual(cpu.msr, MSR.sf)
    }

    func testFetchFromNoExecutePageIsISIWithSRR1Bit35() {
        run([0x7C89_03A6, 0x4E80_0420], gprs: [4: 0x22_6000])         // mtctr r4; bctr
        assertInterrupt(0x400, srr0: 0x22_6000, cause: 0x1000_0000)
    }

    func testFetchThroughInvalidPTEIsISINoTranslation() {
        run([0x7C89_03A6, 0x4E80_0420], gprs: [4: 0x22_B000])
        assertInterrupt(0x400, srr0: 0x22_B000, cause: 0x4000_0000)
    }

    func testFetchFromQuadrantTwoIsInstructionSegment() {
        run([0x7C89_03A6, 0x4E80_0420], gprs: [4: 0x8000_0000_0000_0000])
        assertInterrupt(0x480, srr0: 0x8000_0000_0000_0000)
    }

    func testFetchFromPageWithoutCodeIsNotARealModeFetch() {
        // The fetch at EA 0x22_7000 (execute-only page, RA 0x7_C000) runs what is at RA 0x7_C000.
        memory.store32(0x7_C000, 0x3860_002A)                           // li r3,42
        memory.store32(0x7_C004, Self.branchToSelf)
        run([0x7C89_03A6, 0x4E80_0420], gprs: [4: 0x22_7000], limit: 3)
        XCTAssertEqual(cpu.gpr[3], 42)
        XCTAssertEqual(cpu.pc, 0x22_7004)
    }

    // MARK: - TLB invalidation and coherence

    func testTLBKeepsTheOldMappingUntilTlbie() {
        let data: UInt64 = 0x22_D000                                    // PTE 0x2D → RA 0x8_1000
        memory.store64(0x8_1000, 0x1111)
        memory.store64(0x8_2000, 0x2222)
        run([0xE864_0000], gprs: [4: data], limit: 1)                   // ld r3,0(r4): fills the TLB
        XCTAssertEqual(cpu.gpr[3], 0x1111)
        // The guest remaps the page without invalidating: the TLB still holds the old page.
        memory.store64(RadixTestTables.uPTE + 0x2D * 8, ISAFormat.pte(0x8_2000, RadixTestTables.userRWX))
        run([0xE864_0000], gprs: [4: data], limit: 1)
        XCTAssertEqual(cpu.gpr[3], 0x1111)
        // tlbie r8,r9,0,1,1 with RB = EPN | IS 0 | AP 0 (4K), RS = PID 1 << 32, then the load.
        run([0x7D23_4264, 0xE864_0000], gprs: [4: data, 8: data, 9: 1 << 32], limit: 2)
        XCTAssertEqual(cpu.gpr[3], 0x2222)
    }

    func testTlbieOfAnotherPIDKeepsTheEntry() {
        let data: UInt64 = 0x22_D000
        memory.store64(0x8_1000, 0x1111)
        run([0xE864_0000], gprs: [4: data], limit: 1)
        memory.store64(RadixTestTables.uPTE + 0x2D * 8, ISAFormat.pte(0x8_2000, RadixTestTables.userRWX))
        run([0x7D23_4264, 0xE864_0000], gprs: [4: data, 8: data, 9: 2 << 32], limit: 2)   // PID 2
        XCTAssertEqual(cpu.gpr[3], 0x1111)
    }

    func testNewProcessTableRegistrationFlushesTheTLB() {
        let data: UInt64 = 0x22_D000
        memory.store64(0x8_1000, 0x1111)
        memory.store64(0x8_2000, 0x2222)
        run([0xE864_0000], gprs: [4: data], limit: 1)
        memory.store64(RadixTestTables.uPTE + 0x2D * 8, ISAFormat.pte(0x8_2000, RadixTestTables.userRWX))
        interpreter.mmu.register(RadixTestTables.registration)
        run([0xE864_0000], gprs: [4: data], limit: 1)
        XCTAssertEqual(cpu.gpr[3], 0x2222)
    }

    func testCodeWrittenThroughASecondMappingRunsAtTheFirst() {
        // EA 0x22_3000 and EA 0x22_E000 both map RA 0x7_8000. The function at EA 0x22_3100 runs
        // once (li r3,1), is rewritten through the other mapping (li r3,2), and runs again.
        let words: [UInt32] = [
            0x4800_0101,    // bl +0x100
            0x7C67_1B78,    // mr r7,r3
            0x90A6_0100,    // stw r5,0x100(r6): EA 0x22_E100 = RA 0x7_8100
            0x4800_00F5,    // bl +0xF4 (to EA 0x22_3100)
            Self.branchToSelf]
        for (i, w) in words.enumerated() { memory.store32(codeRA + UInt64(4 * i), w) }
        memory.store32(codeRA + 0x100, 0x3860_0001)                     // li r3,1
        memory.store32(codeRA + 0x104, 0x4E80_0020)                     // blr
        cpu.gpr[5] = 0x3860_0002                                        // li r3,2
        cpu.gpr[6] = 0x22_E000
        cpu.msr = runMSR
        cpu.pc = code
        interpreter.run(limit: 9)
        XCTAssertEqual(cpu.gpr[7], 1)
        XCTAssertEqual(cpu.gpr[3], 2)
        XCTAssertEqual(cpu.pc, code + 16)
    }

    // MARK: - MMU registers

    func testPIDRIsASupervisorSPR() {
        // mtspr 48,r3 (mtpidr); mfspr r4,48 (mfpidr).
        run([0x7C70_0BA6, 0x7C90_0AA6], gprs: [3: 1], limit: 2)
        XCTAssertEqual(cpu.gpr[4], 1)
        // In problem state: a privileged-instruction program interrupt (SRR1 bit 45).
        cpu.msr = runMSR | MSR.pr
        cpu.pc = code
        interpreter.run(limit: 1)
        XCTAssertEqual(cpu.pc, 0x700)
        XCTAssertEqual(srr1 & causeBits, 0x0004_0000)
    }

    func testAMRKeyZeroDeniesPrivilegedLoadsOfUserPages() {
        memory.store32(codeRA + 0x200, 7)
        // AMR bit 1 (loads): 0x4000_0000_0000_0000; mtspr 29,r8 (mtamr); lwz r6,0x200(r4).
        run([0x7D1D_03A6, 0x80C4_0200], gprs: [4: code, 8: 1 << 62], limit: 2)
        assertInterrupt(0x300, srr0: code + 4)
        XCTAssertEqual(dsisr, 0x0800_0000)
        XCTAssertEqual(dar, code + 0x200)
    }

    // MARK: - What a debugger sees

    /// gdb's view of an EA (`debugRealAddress`): the PTEs' real pages, with none of the engine's
    /// effects: no TLB entry, no R/C written back (0x22_9000's PTE has R = C = 0, which the
    /// engine answers with a DSI), and permissions as privileged code has them, reading an
    /// execute-only page too. Unmapped (PTE 0x2B is 0): nil. Relocation off: EA bits 0:3 go.
    func testDebuggerTranslationHasNoSideEffects() {
        cpu.msr = runMSR
        let pte29 = memory.load64(RadixTestTables.uPTE + 0x29 * 8)
        XCTAssertEqual(interpreter.debugRealAddress(code + 0x10), codeRA + 0x10)
        XCTAssertEqual(interpreter.debugRealAddress(0x22_7004), 0x7_C004, "execute-only page")
        XCTAssertEqual(interpreter.debugRealAddress(0x22_9008), 0x7_E008, "R = C = 0")
        XCTAssertEqual(interpreter.debugRealAddress(0x22_7004, fetch: true), 0x7_C004)
        XCTAssertNil(interpreter.debugRealAddress(0x22_B000), "invalid PTE")
        XCTAssertEqual(memory.load64(RadixTestTables.uPTE + 0x29 * 8), pte29, "R/C not written")
        XCTAssertNil(interpreter.dataTLB.lookup(ea: code, pidr: 1, access: .load, problemState: false), "no TLB entry")
        cpu.msr = MSR.sf | MSR.me
        XCTAssertEqual(interpreter.debugRealAddress(0xC000_0000_0000_1234), 0x1234)
    }

    /// A breakpoint armed at a real address stops the translated loop before the instruction
    /// at the EA mapping it (pc = the EA, nothing executed there); disarmed, it runs.
    func testBreakpointStopsBeforeTheInstructionThroughTranslation() {
        // li r3,1; li r4,2; li r5,3
        let words: [UInt32] = [0x3860_0001, 0x3880_0002, 0x38A0_0003]
        interpreter.cache.armBreakpoint(codeRA + 4)
        XCTAssertEqual(run(words, limit: 3), .breakpoint)
        XCTAssertEqual(cpu.pc, code + 4)
        XCTAssertEqual(cpu.gpr[3], 1)
        XCTAssertEqual(cpu.gpr[4], 0, "the instruction at the breakpoint has not run")
        XCTAssertEqual(interpreter.instructionsExecuted, 1)
        interpreter.cache.disarmBreakpoint(codeRA + 4)
        XCTAssertEqual(interpreter.run(limit: 2), .instructionLimit)
        XCTAssertEqual(cpu.gpr[4], 2)
        XCTAssertEqual(cpu.gpr[5], 3)
    }

    /// A checkpoint restored gives the same registers, count and time base, and running the
    /// same instructions again gives the same result (reverse execution rests on it).
    func testCheckpointRestoresTheVCPU() {
        // addi r3,r3,1 ×3
        let words: [UInt32] = [0x3863_0001, 0x3863_0001, 0x3863_0001]
        run(words, gprs: [3: 10], limit: 1)
        let saved = interpreter.checkpoint()
        let tb = interpreter.timeBase
        XCTAssertEqual(interpreter.run(limit: 2), .instructionLimit)
        XCTAssertEqual(cpu.gpr[3], 13)
        interpreter.restore(saved)
        XCTAssertEqual(cpu.gpr[3], 11)
        XCTAssertEqual(cpu.pc, code + 4)
        XCTAssertEqual(interpreter.instructionsExecuted, 1)
        XCTAssertEqual(interpreter.timeBase, tb)
        XCTAssertEqual(interpreter.run(limit: 2), .instructionLimit)
        XCTAssertEqual(cpu.gpr[3], 13)
    }
}

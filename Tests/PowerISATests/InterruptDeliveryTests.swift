import XCTest
import Foundation
import GuestMemory
import PowerISA

/// Interrupt delivery to a PAPR guest (Power ISA 3.0B Book III chapter 6), one interrupt kind
/// per test. Expected SRR0/SRR1/DAR/DSISR/MSR values are worked out from the ISA in each test:
/// SRR1 = the old MSR with bits 33:36 and 42:47 replaced by the interrupt's, the new MSR keeps
/// only ME (and HV) and sets SF; SRR0 is the interrupted instruction except after sc and trace.
final class InterruptDeliveryTests: XCTestCase {
    var memory: GuestMemory!
    var cpu: CPU!
    var interpreter: Interpreter!
    /// A 1 MiB PAPR guest; code at 0x1000, handlers (a `b .` each) at every vector.
    let code: UInt64 = 0x1000
    static let branchToSelf: UInt32 = 0x4800_0000
    static let vectors: [UInt64] = [0x200, 0x300, 0x380, 0x400, 0x480, 0x500, 0x600, 0x700, 0x800, 0x900, 0xC00, 0xD00, 0xF20, 0xF40, 0xF60]
    /// The MSR the guest runs with: 64-bit, ME, FP on, EE off.
    let runMSR = MSR.sf | MSR.me | MSR.fp

    override func setUpWithError() throws {
        memory = try GuestMemory(ramSize: 1 << 20)
        cpu = CPU()
        interpreter = Interpreter(cpu: cpu, memory: memory, deliversInterrupts: true)
    }

    func installHandlers() {
        for v in Self.vectors { memory.store32(v, Self.branchToSelf) }
    }

    /// Runs `words` at 0x1000 for at most `limit` instructions (the handler's `b .` then spins).
    @discardableResult
    func run(_ words: [UInt32], msr: UInt64? = nil, gprs: [Int: UInt64] = [:], limit: UInt64 = 64) -> StopReason {
        interpreter.invalidateAll()
        for (i, w) in words.enumerated() { memory.store32(code + UInt64(4 * i), w) }
        for (r, v) in gprs { cpu.gpr[r] = v }
        cpu.msr = msr ?? runMSR
        cpu.pc = code
        return interpreter.run(limit: limit)
    }

    var srr0: UInt64 { cpu[RegisterSlot.srr0] }
    var srr1: UInt64 { cpu[RegisterSlot.srr1] }
    var dar: UInt64 { cpu[RegisterSlot.dar] }
    var dsisr: UInt64 { cpu[RegisterSlot.dsisr] }
    /// The MSR every interrupt gives a partition: SF = 1, ME kept, the rest 0.
    var handlerMSR: UInt64 { MSR.sf | MSR.me }

    func testIllegalInstructionIsProgramInterruptWithSRR1Bit44() {
        installHandlers()
        run([0x6000_0000, 0x0000_0000])          // nop, then a word that is no instruction
        XCTAssertEqual(cpu.pc, 0x700)
        XCTAssertEqual(srr0, code + 4)
        // SRR1: the old MSR (SF ME FP) with bit 44 (0x0008_0000) set.
        XCTAssertEqual(srr1, runMSR | 0x0008_0000)
        XCTAssertEqual(cpu.msr, handlerMSR)
    }

    func testPrivilegedInstructionInProblemStateSetsSRR1Bit45() {
        installHandlers()
        // mfmsr r3 with MSR[PR] = 1 and EE. Relocation stays off: with IR = 1 the fetch would
        // need a process table (TranslatedExecutionTests covers problem state translated).
        let user = runMSR | MSR.pr | MSR.ee
        run([0x7C60_00A6], msr: user)
        XCTAssertEqual(cpu.pc, 0x700)
        XCTAssertEqual(srr0, code)
        XCTAssertEqual(srr1, user | 0x0004_0000)
        XCTAssertEqual(cpu.msr, handlerMSR)  // PR, EE, FP cleared
    }

    func testTrapSetsSRR1Bit46() {
        installHandlers()
        run([0x7FE0_0008])                       // tw 31,0,0: always traps
        XCTAssertEqual(cpu.pc, 0x700)
        XCTAssertEqual(srr0, code)
        XCTAssertEqual(srr1, runMSR | 0x0002_0000)
    }

    func testSystemCallZeroGoesToC00WithSRR0AfterTheSc() {
        installHandlers()
        let stop = run([0x4400_0002], limit: 1)   // sc 0
        XCTAssertEqual(stop, .instructionLimit)
        XCTAssertEqual(cpu.pc, 0xC00)
        XCTAssertEqual(srr0, code + 4)
        XCTAssertEqual(srr1, runMSR)              // no interrupt-specific bits for sc
    }

    func testSystemCallOneIsAHostExit() {
        installHandlers()
        XCTAssertEqual(run([0x4400_0022]), .systemCall(level: 1))
        XCTAssertEqual(cpu.pc, code + 4)
    }

    func testMisalignedLwarxIsAlignmentWithDAR() {
        installHandlers()
        run([0x7C60_2028], gprs: [4: 0x2002])     // lwarx r3,0,r4 at 0x2002
        XCTAssertEqual(cpu.pc, 0x600)
        XCTAssertEqual(srr0, code)
        XCTAssertEqual(dar, 0x2002)
    }

    func testFloatingPointWithFPOffIsFPUnavailable() {
        installHandlers()
        run([0xFC20_1090], msr: MSR.sf | MSR.me)   // fmr f1,f2 with MSR[FP] = 0
        XCTAssertEqual(cpu.pc, 0x800)
        XCTAssertEqual(srr0, code)
        XCTAssertEqual(srr1, MSR.sf | MSR.me)
        // An FP load with FP off raises it too; with FP on it executes.
        run([0xC820_2000], msr: MSR.sf | MSR.me)  // lfd f1,0x2000(0)
        XCTAssertEqual(cpu.pc, 0x800)
        XCTAssertEqual(run([0xC820_2000], limit: 1), .instructionLimit)
        XCTAssertEqual(cpu.pc, code + 4)
    }

    func testLoadBeyondRAMInRealModeIsMachineCheckWithDAR() {
        installHandlers()
        // lbz r3,0(r4) with r4 = -4: EA bits 0:3 are ignored, 0x0FFF_FFFF_FFFF_FFFC is no memory.
        run([0x8864_0000], gprs: [4: UInt64.max - 3])
        XCTAssertEqual(cpu.pc, 0x200)
        XCTAssertEqual(srr0, code)
        XCTAssertEqual(dar, UInt64.max - 3)            // the effective address
        XCTAssertEqual(srr1, runMSR | 0x0020_0000)     // SRR1[42]: a load or store
        XCTAssertEqual(cpu.msr, MSR.sf, "a machine check clears ME (6.5.2)")
    }

    func testRfidAfterMachineCheckSetsMEAgainAndASecondWithMEOffIsACheckstop() {
        installHandlers()
        // The handler's rfid (SRR1 has ME from the interrupted MSR) turns ME on again.
        run([0x8864_0000], gprs: [4: UInt64.max - 3])
        memory.store32(0x2000, 0x4C00_0024)                 // rfid at 0x2000
        cpu[RegisterSlot.srr0] = code + 4
        cpu.pc = 0x2000
        interpreter.invalidateAll()
        XCTAssertEqual(interpreter.run(limit: 1), .instructionLimit)
        XCTAssertEqual(cpu.pc, code + 4)
        XCTAssertEqual(cpu.msr, runMSR)
        // With ME = 0, a machine check is a checkstop: the machine stops on it.
        XCTAssertEqual(run([0x8864_0000], msr: MSR.sf | MSR.fp, gprs: [4: UInt64.max - 3]),
                       .interrupt(.machineCheck(MemoryFault(address: UInt64.max - 3, size: 1, kind: .load))))
        XCTAssertEqual(cpu.pc, code)
    }

    func testVectorAndVSXWordsRaiseTheirUnavailableInterrupts() {
        installHandlers()
        run([0x1000_0484])                              // vor v0,v0,v0 (VX form, primary 4)
        XCTAssertEqual(cpu.pc, 0xF20)
        XCTAssertEqual(srr0, code)
        run([0xF000_0490])                              // xxlor vs0,vs0,vs0 (XX3, primary 60)
        XCTAssertEqual(cpu.pc, 0xF40)
        run([0x7C00_0619])                              // lxvw4x vs32,0,r0 (primary 31, XO 780)
        XCTAssertEqual(cpu.pc, 0xF40)
        // With the facility on, lpar (no vector unit) raises illegal instruction.
        run([0x1000_0484], msr: runMSR | MSR.vec)
        XCTAssertEqual(cpu.pc, 0x700)
        XCTAssertEqual(srr1 & SRR1.interruptSpecific, 0x0008_0000)
    }

    func testFetchBeyondRAMIsMachineCheckWithSRR0TheAddress() {
        installHandlers()
        // mtctr r4; bctrl with r4 = 0x20_0000 (past the 1 MiB of RAM).
        run([0x7C89_03A6, 0x4E80_0421], gprs: [4: 0x20_0000])
        XCTAssertEqual(cpu.pc, 0x200)
        XCTAssertEqual(srr0, 0x20_0000)
        XCTAssertEqual(srr1, runMSR)                   // SRR1[42] clear: an instruction fetch
    }

    func testRealModeIgnoresEABits0To3() {
        // std r5,0(r4) with r4 = 0xC000_0000_0000_3000, then ld r6,0x3000(0).
        run([0xF8A4_0000, 0xE8C0_3000], gprs: [4: 0xC000_0000_0000_3000, 5: 0x1122_3344_5566_7788], limit: 2)
        XCTAssertEqual(cpu.gpr[6], 0x1122_3344_5566_7788)
        XCTAssertEqual(memory.load64(0x3000), 0x1122_3344_5566_7788)
    }

    func testDecrementerFiresOnlyWithEEAndSRR0IsTheNextInstruction() {
        installHandlers()
        // li r3,10; mtdec r3; then nops. With EE = 0 nothing happens.
        let program: [UInt32] = [0x3860_000A, 0x7C76_03A6] + Array(repeating: 0x6000_0000, count: 30)
        XCTAssertEqual(run(program, limit: 32), .instructionLimit)
        XCTAssertEqual(cpu.pc, code + 4 * 32)
        XCTAssertLessThan(interpreter.decrementer, 0)
        // It stays pending (level-triggered): DEC is still negative. Make it positive again.
        cpu[RegisterSlot.decrementerBase] = interpreter.timeBase + 0x7FFF_FFFF
        // With EE = 1: mtdec writes 10 when the time base is T (the li has completed); the TB
        // ticks once per completed instruction, so DEC reads -1 at T + 11: after the mtdec
        // itself and 10 nops. The interrupt is taken before the 11th nop.
        run(program, msr: runMSR | MSR.ee, limit: 40)
        XCTAssertEqual(srr0, code + 8 + 4 * 10)
        XCTAssertEqual(srr1, runMSR | MSR.ee)
        XCTAssertEqual(cpu.msr, handlerMSR)
    }

    func testTraceInterruptAfterEachInstructionWithSE() {
        installHandlers()
        let stop = run([0x6000_0000, 0x6000_0000], msr: runMSR | MSR.se, limit: 1)
        XCTAssertEqual(stop, .instructionLimit)
        XCTAssertEqual(cpu.pc, 0xD00)
        XCTAssertEqual(srr0, code + 4)                 // the next instruction
        XCTAssertEqual(srr1, runMSR | MSR.se)
    }

    func testRfidCannotClearMEAndRestoresSRR0AndSRR1() {
        // mtsrr0 r4; mtsrr1 r5; rfid, with r5 = SF only (ME clear): ME stays set.
        run([0x7C9A_03A6, 0x7CBB_03A6, 0x4C00_0024], gprs: [4: 0x2000, 5: MSR.sf], limit: 3)
        XCTAssertEqual(cpu.pc, 0x2000)
        XCTAssertEqual(cpu.msr, MSR.sf | MSR.me)
    }

    func testNoHandlerReportsTheCauseAtTheInstruction() {
        // Vectors hold zeros: nothing installed, so the interrupt comes back as a stop.
        XCTAssertEqual(run([0x6000_0000, 0x7FE0_0008]), .interrupt(.program(.trap)))
        XCTAssertEqual(cpu.pc, code + 4)
        XCTAssertEqual(cpu.msr, runMSR, "nothing was delivered")
    }

    func testHandlerFaultingOnItsFirstInstructionReportsTheOriginalCause() {
        // The program vector holds a trap too: the second interrupt hits the vector's first
        // instruction before anything completed there, so the first (at 0x1000) is reported.
        memory.store32(0x700, 0x7FE0_0008)
        XCTAssertEqual(run([0x7FE0_0008]), .interrupt(.program(.trap)))
        XCTAssertEqual(cpu.pc, code)
        XCTAssertEqual(cpu.msr, runMSR)
    }

    /// A store into a read-only window (a read-only NVDIMM's bound blocks: the host mapping is
    /// PROT_READ) is a data storage interrupt, DSISR = protection (bit 36) | store (bit 38) =
    /// 0x0A00_0000, DAR = the address; never a host fault. Loads from it work.
    func testStoreToReadOnlyWindowIsDataStorageNotAHostCrash() throws {
        memory = try GuestMemory(ramSize: 1 << 20, deviceSize: 1 << 30)
        interpreter = Interpreter(cpu: cpu, memory: memory, deliversInterrupts: true)
        let path = NSTemporaryDirectory() + "lpar-ro-\(getpid()).img"
        FileManager.default.createFile(atPath: path, contents: Data(repeating: 0xAB, count: 65536))
        defer { unlink(path) }
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let window = memory.deviceBase
        try memory.mapWindow(start: window, length: 65536, fd: fd, fileOffset: 0, writable: false)
        // ld r3,8(r4) reads; std r5,16(r4) faults. No handler: the interrupt is the stop.
        XCTAssertEqual(run([0xE864_0008, 0xF8A4_0010], gprs: [4: window, 5: 1]),
                       .interrupt(.dataStorage(address: window + 16, dsisr: 0x0A00_0000)))
        XCTAssertEqual(cpu.gpr[3], 0xABAB_ABAB_ABAB_ABAB)
        XCTAssertEqual(cpu.pc, code + 4)
        XCTAssertEqual(memory.load64(window + 16), 0xABAB_ABAB_ABAB_ABAB)
        // With a handler it is delivered.
        installHandlers()
        run([0xF8A4_0010], gprs: [4: window, 5: 1])
        XCTAssertEqual(cpu.pc, 0x300)
        XCTAssertEqual(srr0, code)
        XCTAssertEqual(dar, window + 16)
        XCTAssertEqual(dsisr, 0x0A00_0000)
        XCTAssertEqual(srr1, runMSR)
        XCTAssertFalse(memory.store64(window, 0), "GuestMemory refuses the store itself")
    }

    /// `lpar explain interrupts` lists each vector with its SRR0 rule as Book III defines it.
    func testExplanationListsTheVectorsAndTheirSRR0Rule() {
        let lines = Interrupt.explanation.split(separator: "\n").map(String.init)
        func row(_ vector: String, _ name: String) -> String? { lines.first { $0.hasPrefix(vector) && $0.contains(name) } }
        XCTAssertTrue(row("0x700", "program (trap)")?.contains("the instruction") ?? false)
        XCTAssertTrue(row("0xC00", "system call")?.contains("next instruction") ?? false)
        XCTAssertTrue(row("0xD00", "trace")?.contains("next instruction") ?? false)
        XCTAssertTrue(row("0x900", "decrementer")?.contains("next instruction") ?? false)
        XCTAssertTrue(row("0x200", "machine check")?.contains("the instruction") ?? false)
        XCTAssertTrue(Interrupt.explanation.contains("0x783F0000"))
    }
}

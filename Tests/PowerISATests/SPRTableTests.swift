import XCTest
import PowerISA

/// The SPR table against the Power ISA 3.0B (Book III 4.4.4 and the SPR descriptions) and what
/// kvm-unit-tests' powerpc/sprs.c expects of a POWER9 partition (MSR[HV] = 0).
final class SPRTableTests: InterpreterTestCase {
    static func mfspr(_ rt: Int, _ spr: Int) -> UInt32 {
        31 << 26 | UInt32(rt) << 21 | UInt32(spr & 31) << 16 | UInt32(spr >> 5) << 11 | 339 << 1
    }
    static func mtspr(_ spr: Int, _ rs: Int) -> UInt32 {
        31 << 26 | UInt32(rs) << 21 | UInt32(spr & 31) << 16 | UInt32(spr >> 5) << 11 | 467 << 1
    }
    let pattern: UInt64 = 0xCAFE_FACE_C0DE_BABE   // sprs.c's default pattern
    let supervisor = MSR.sf
    let problem = MSR.sf | MSR.pr

    /// mtspr `spr` ← `value`, then mfspr r3 ← `readAs` (default: the same number).
    func writeThenRead(_ spr: Int, _ value: UInt64, readAs: Int? = nil, msr: UInt64? = nil) -> UInt64 {
        cpu.msr = msr ?? supervisor
        cpu.gpr[3] = 0x5555
        XCTAssertEqual(execute([Self.mtspr(spr, 4), Self.mfspr(3, readAs ?? spr)], gprs: [4: value]), .instructionLimit, "SPR \(spr)")
        return cpu.gpr[3]
    }

    /// Runs one mfspr or mtspr and returns how it stopped (no interrupt: `.instructionLimit`).
    func access(_ spr: Int, write: Bool, msr: UInt64) -> StopReason {
        cpu.msr = msr
        return execute([write ? Self.mtspr(spr, 4) : Self.mfspr(3, spr)], gprs: [3: 0x5555, 4: pattern])
    }

    func testRowsAreWellFormed() {
        var seen = Set<Int>()
        for row in SPRTable.rows {
            XCTAssertTrue(seen.insert(row.number).inserted, "SPR \(row.number) twice")
            XCTAssertTrue((0..<1024).contains(row.number))
            XCTAssertTrue(row.width == 32 || row.width == 64, row.name)
            if case .storage(let slot, let mask) = row.behaviour {
                XCTAssertTrue(slot < RegisterSlot.sprStorage0 + RegisterSlot.sprStorageCount, row.name)
                XCTAssertTrue(slot != RegisterSlot.pc && slot != RegisterSlot.msr && slot >= RegisterSlot.pc, row.name)
                if row.width == 32 { XCTAssertEqual(mask >> 32, 0, "\(row.name): a 32-bit SPR keeps no high bits") }
            }
            XCTAssertEqual(SPRTable.definition(row.number), row)
        }
    }

    func testThirtyTwoBitSPRsReadBackWithTheHighWordZero() {
        // DSISR, PIDR, PSPB, VRSAVE, PMC1-6 (both numbers) and PPR32 are 32-bit SPRs: bits
        // 0:31 read as 0 (QEMU 7.2 keeps them, failing 16 of sprs.c's checks).
        for spr in [18, 48, 159, 256, 771, 772, 773, 774, 775, 776, 787, 788, 789, 790, 791, 792] {
            XCTAssertEqual(writeThenRead(spr, pattern), 0xC0DE_BABE, "SPR \(spr)")
        }
    }

    func testSixtyFourBitSPRsKeepEveryBit() {
        for spr in [19, 26, 27, 28, 29, 61, 144, 153, 157, 272, 273, 274, 275, 779, 795, 804, 805, 806, 815, 823] {
            XCTAssertEqual(writeThenRead(spr, pattern), pattern, "SPR \(spr)")
        }
    }

    func testAliasesNameTheSameRegister() {
        // DSCR 17 and its problem-state number 3; only bits 39:63 are defined (0x01FF_FFFF).
        XCTAssertEqual(writeThenRead(17, pattern, readAs: 3), pattern & 0x01FF_FFFF)
        // SPRG3 (275) reads through 259; MMCR0 795 through 779, PMC1 787 through 771 (32 bits).
        XCTAssertEqual(writeThenRead(275, pattern, readAs: 259), pattern)
        XCTAssertEqual(writeThenRead(795, 0x1234, readAs: 779), 0x1234)
        XCTAssertEqual(writeThenRead(787, pattern, readAs: 771), 0xC0DE_BABE)
        // AMR 29 reads through 13.
        XCTAssertEqual(writeThenRead(29, pattern, readAs: 13), pattern)
    }

    func testBESCRSetAndResetForms() {
        // BESCRS/BESCRSU set the bits written (SU: the high word from RS's low word), BESCRR/
        // BESCRRU clear them; all read BESCR (the U forms its high word).
        XCTAssertEqual(writeThenRead(806, 0xF0), 0xF0)
        XCTAssertEqual(writeThenRead(800, 0x0F, readAs: 806), 0xFF)
        XCTAssertEqual(writeThenRead(801, 0x8000_0001, readAs: 806), 0x8000_0001_0000_00FF)
        XCTAssertEqual(writeThenRead(802, 0x3C, readAs: 806), 0x8000_0001_0000_00C3)
        XCTAssertEqual(writeThenRead(803, 0x8000_0000, readAs: 801), 0x1)
        XCTAssertEqual(writeThenRead(806, 0, readAs: 800), 0)
    }

    func testAMRThroughSPR13InProblemStateChangesOnlyTheBitsUAMORAllows() {
        XCTAssertEqual(writeThenRead(157, 0xF000_0000_0000_000F), 0xF000_0000_0000_000F)
        XCTAssertEqual(writeThenRead(29, 0), 0)
        XCTAssertEqual(writeThenRead(13, .max, msr: problem), 0xF000_0000_0000_000F)
        // In supervisor state SPR 13 writes every bit (AMOR is all ones for a partition).
        XCTAssertEqual(writeThenRead(13, 0x1234), 0x1234)
    }

    func testPPRKeepsPRIAndRefusesPrioritiesTheStateMayNotSet() {
        let pri = { (p: UInt64) in p << 50 }  // PPR[PRI] is bits 11:13
        XCTAssertEqual(writeThenRead(896, pri(6) | 0xFFFF), pri(6))          // supervisor: 1-6
        XCTAssertEqual(writeThenRead(896, pri(7)), pri(6))                   // 7: hypervisor only
        XCTAssertEqual(writeThenRead(896, pri(5), msr: problem), pri(6))     // problem: 2-4 only
        XCTAssertEqual(writeThenRead(896, pri(2), msr: problem), pri(2))
        // PPR32 is PPR's high word: 0x0010_0000 there is PRI = 4.
        XCTAssertEqual(writeThenRead(898, 0x0010_0000, readAs: 896), pri(4))
        XCTAssertEqual(writeThenRead(898, 0x0010_0000), 0x0010_0000)
    }

    func testCTRLWritesThroughSPR152AndReadsThroughSPR136() {
        XCTAssertEqual(writeThenRead(152, 0xFFFF_FFFF, readAs: 136), 1)  // only RUN (bit 63)
        XCTAssertEqual(access(136, write: true, msr: supervisor), .instructionLimit)  // 136 is not writable: 0x10 clear, supervisor → no-op
        XCTAssertEqual(access(152, write: true, msr: problem), .interrupt(.program(.privilegedInstruction)))
    }

    func testPVRIsPOWER9AndReadOnly() {
        XCTAssertEqual(writeThenRead(274, 0, readAs: 287), 0x004E_1202)
        XCTAssertEqual(access(287, write: true, msr: supervisor), .instructionLimit)  // undefined mtspr, 0x10 set: no-op
        XCTAssertEqual(cpu.gpr[3], 0x5555)
    }

    func testProblemStateAccessToPrivilegedSPRsIsAPrivilegedInstruction() {
        for spr in [18, 19, 22, 26, 27, 272, 287, 1023, 795, 153] {
            XCTAssertEqual(access(spr, write: false, msr: problem), .interrupt(.program(.privilegedInstruction)), "mfspr \(spr)")
            XCTAssertEqual(access(spr, write: true, msr: problem), .interrupt(.program(.privilegedInstruction)), "mtspr \(spr)")
        }
        // The problem-state numbers work there.
        for spr in [1, 3, 8, 9, 13, 256, 769, 771, 779, 800, 815, 896] {
            XCTAssertEqual(access(spr, write: false, msr: problem), .instructionLimit, "mfspr \(spr)")
        }
        XCTAssertEqual(access(268, write: false, msr: problem), .instructionLimit)
    }

    func testHypervisorSPRsAreAnIllegalInstructionForAPartition() {
        // Hypervisor emulation assistance, which the partition sees as a program interrupt.
        for spr in [304, 305, 310, 318, 319, 349, 464, 1008] {
            XCTAssertEqual(access(spr, write: false, msr: supervisor), .interrupt(.program(.illegalInstruction)), "mfspr \(spr)")
            XCTAssertEqual(access(spr, write: true, msr: supervisor), .interrupt(.program(.illegalInstruction)), "mtspr \(spr)")
            XCTAssertEqual(access(spr, write: true, msr: problem), .interrupt(.program(.privilegedInstruction)), "mtspr \(spr)")
        }
        // Writing the time base (TBL 284, TBU 285) or DPDES, PURR, VTB: the hypervisor's.
        for spr in [284, 285, 176, 309, 849] {
            XCTAssertEqual(access(spr, write: true, msr: supervisor), .interrupt(.program(.illegalInstruction)), "mtspr \(spr)")
        }
    }

    func testUndefinedSPRNumbersFollowBookIII444() {
        // 0x10 clear: problem state → hypervisor emulation assistance (illegal); supervisor →
        // no-op, except SPRs 0, 4, 5 and 6 (illegal).
        XCTAssertEqual(access(7, write: false, msr: supervisor), .instructionLimit)
        XCTAssertEqual(cpu.gpr[3], 0x5555, "a no-op mfspr leaves RT")
        XCTAssertEqual(access(7, write: false, msr: problem), .interrupt(.program(.illegalInstruction)))
        for spr in [0, 4, 5, 6] {
            XCTAssertEqual(access(spr, write: false, msr: supervisor), .interrupt(.program(.illegalInstruction)), "mfspr \(spr)")
            XCTAssertEqual(access(spr, write: true, msr: supervisor), .interrupt(.program(.illegalInstruction)), "mtspr \(spr)")
        }
        // 0x10 set (25: SDR1, gone in ISA 3.0; 1020): problem → privileged; supervisor → no-op.
        for spr in [25, 1020] {
            XCTAssertEqual(access(spr, write: false, msr: supervisor), .instructionLimit, "mfspr \(spr)")
            XCTAssertEqual(access(spr, write: false, msr: problem), .interrupt(.program(.privilegedInstruction)), "mfspr \(spr)")
        }
    }

    func testDecrementerIsA32BitDownCounterReadSignExtended() {
        // mtdec 0xC000_0000 (negative as 32 bits); one instruction later DEC has counted down.
        let v = writeThenRead(22, 0xC000_0000)
        XCTAssertEqual(v >> 32, 0xFFFF_FFFF)
        XCTAssertTrue((0xBFFF_FF00...0xC000_0000).contains(v & 0xFFFF_FFFF), String(v, radix: 16))
        // TBU is the time base's high word: 0 this early.
        XCTAssertEqual(writeThenRead(274, 0, readAs: 269), 0)
    }

    func testTraceNamesOfTheTableSlots() {
        XCTAssertEqual(RegisterSlot.name(RegisterSlot.amr), "amr")
        XCTAssertEqual(RegisterSlot.name(RegisterSlot.pmc1 + 2), "pmc3")
        XCTAssertEqual(RegisterSlot.name(RegisterSlot.bescr), "bescr")
    }

    func testDisassemblerUsesObjdumpsSPRNames() {
        // Expected text from powerpc64-linux-gnu-objdump 2.40.
        let cases: [(UInt32, String)] = [
            (Self.mfspr(3, 22), "mfdec   r3"), (Self.mtspr(26, 3), "mtsrr0  r3"),
            (Self.mfspr(3, 272), "mfsprg  r3,0"), (Self.mtspr(275, 3), "mtsprg  3,r3"),
            (Self.mfspr(3, 779), "mfummcr0 r3"), (Self.mtspr(795, 3), "mtmmcr0 r3"),
            (Self.mfspr(3, 795), "mfspr   r3,795"), (Self.mfspr(3, 259), "mfusprg3 r3"),
            (Self.mtspr(152, 3), "mtctrl  r3"), (Self.mfspr(3, 136), "mfctrl  r3"),
            (Self.mfspr(3, 528), "mfibatu r3,0"), (Self.mtspr(284, 3), "mttbl   r3"),
        ]
        for (word, text) in cases { XCTAssertEqual(Disassembler.text(word, address: 0), text) }
    }
}

extension SPRTableTests {
    func testMftbReadsOnlyTheTimeBase() {
        // mftb r3 (268) and mftbu r3 (269) decode; mftb with any other SPR is an invalid form
        // (ISA 3.0B mftb): the illegal-instruction interrupt, and objdump's `.long`.
        let mftb = { (spr: Int) -> UInt32 in 31 << 26 | 3 << 21 | UInt32(spr & 31) << 16 | UInt32(spr >> 5) << 11 | 371 << 1 }
        XCTAssertEqual(access(268, write: false, msr: supervisor), .instructionLimit)
        XCTAssertEqual(execute([mftb(269)]), .instructionLimit)
        XCTAssertEqual(execute([mftb(270)]), .interrupt(.program(.illegalInstruction)))
        XCTAssertEqual(Disassembler.text(mftb(268), address: 0), "mftb    r3")
        XCTAssertEqual(Disassembler.text(mftb(22), address: 0), ".long   0x7c7602e6")
    }
}

extension SPRTableTests {
    func testADecrementerWriteIsSeenAtOnceByTheRunLoop() {
        // With MSR[EE] = 1 and DEC far away the slice would run all 32 nops; mtdec 2 moves the
        // interrupt to two ticks later (DEC's top bit is set after 3: 2, 1, 0, -1), so the
        // interrupt must come within the first few nops, not after them.
        interpreter = Interpreter(cpu: cpu, memory: memory, deliversInterrupts: true)
        memory.store32(0x900, 0x38A0_0063)   // li r5,99: the decrementer handler
        cpu.msr = MSR.sf | MSR.ee
        cpu[RegisterSlot.decrementerBase] = 0x7FFF_0000
        let nop: UInt32 = 0x6000_0000
        execute([Self.mtspr(22, 4)] + Array(repeating: nop, count: 32), gprs: [4: 2, 5: 0])
        XCTAssertEqual(cpu.gpr[5], 99, "the handler ran")
        XCTAssertEqual(cpu.msr & MSR.ee, 0, "the interrupt cleared EE")
        XCTAssertTrue((0x1004...0x1010).contains(cpu[RegisterSlot.srr0]), String(cpu[RegisterSlot.srr0], radix: 16))
    }
}

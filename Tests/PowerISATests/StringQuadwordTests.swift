import XCTest
import GuestMemory
import PowerISA

/// lswi/lswx/stswi/stswx, lq/stq/lqarx/stqcx., maddld/maddhd/maddhdu and the privileged and
/// waiting instructions, with expected values worked out from the ISA 3.0B pseudocode.
final class StringQuadwordTests: InterpreterTestCase {
    static func x(_ xo: UInt32, _ rt: Int, _ ra: Int, _ rb: Int, rc: Bool = false) -> UInt32 {
        31 << 26 | UInt32(rt) << 21 | UInt32(ra) << 16 | UInt32(rb) << 11 | xo << 1 | (rc ? 1 : 0)
    }
    static func lswi(_ rt: Int, _ ra: Int, _ nb: Int) -> UInt32 { x(597, rt, ra, nb) }
    static func lswx(_ rt: Int, _ ra: Int, _ rb: Int) -> UInt32 { x(533, rt, ra, rb) }
    static func stswi(_ rs: Int, _ ra: Int, _ nb: Int) -> UInt32 { x(725, rs, ra, nb) }
    static func stswx(_ rs: Int, _ ra: Int, _ rb: Int) -> UInt32 { x(661, rs, ra, rb) }
    static func lq(_ rt: Int, _ dq: Int, _ ra: Int) -> UInt32 { 56 << 26 | UInt32(rt) << 21 | UInt32(ra) << 16 | UInt32(dq & 0xFFF0) }
    static func stq(_ rs: Int, _ ds: Int, _ ra: Int) -> UInt32 { 62 << 26 | UInt32(rs) << 21 | UInt32(ra) << 16 | UInt32(ds & 0xFFFC) | 2 }
    static func va(_ xo: UInt32, _ rt: Int, _ ra: Int, _ rb: Int, _ rc: Int) -> UInt32 {
        4 << 26 | UInt32(rt) << 21 | UInt32(ra) << 16 | UInt32(rb) << 11 | UInt32(rc) << 6 | xo
    }

    /// Bytes 1, 2, 3… at 0x2000 (as kvm-unit-tests' emulator.c fills its buffer).
    func fillSequence() { for i in 0..<64 { memory.store8(0x2000 + UInt64(i), UInt8(i + 1)) } }

    // MARK: load/store string

    func testLswiFillsWordsHighOrderFirstAndZeroPadsTheLast() {
        fillSequence()
        // lswi r11,r12,3: three bytes into r11's low word, the rest of r11 zero; r12 untouched.
        execute([Self.lswi(11, 12, 3)], gprs: [11: .max, 12: 0x2000])
        XCTAssertEqual(cpu.gpr[11], 0x0102_0300)
        XCTAssertEqual(cpu.gpr[12], 0x2000)
    }

    func testLswiWithNBZeroMoves32BytesAndWrapsFromR31ToR0() {
        fillSequence()
        execute([Self.lswi(11, 3, 0)], gprs: [3: 0x2000, 19: .max])
        XCTAssertEqual((11...18).map { cpu.gpr[$0] }, [0x0102_0304, 0x0506_0708, 0x090A_0B0C, 0x0D0E_0F10,
                                                       0x1112_1314, 0x1516_1718, 0x191A_1B1C, 0x1D1E_1F20])
        XCTAssertEqual(cpu.gpr[19], .max)
        execute([Self.lswi(31, 3, 8)], gprs: [3: 0x2000, 0: .max])
        XCTAssertEqual(cpu.gpr[31], 0x0102_0304)
        XCTAssertEqual(cpu.gpr[0], 0x0506_0708)
    }

    func testLswiWithRAAmongTheLoadedRegistersIsIllegal() {
        fillSequence()
        // lswi r31,r1,10 loads r31, r0, r1: RA = r1 is in the range (emulator.c's "Don't overwrite Ra").
        XCTAssertEqual(execute([Self.lswi(31, 1, 10)], gprs: [1: 0x2000, 31: 7, 0: 7]), .interrupt(.program(.illegalInstruction)))
        XCTAssertEqual([cpu.gpr[31], cpu.gpr[0], cpu.gpr[1]], [7, 7, 0x2000])
        // RA = 0 counts too: lswi r31,0,8 would load r31 and r0.
        XCTAssertEqual(execute([Self.lswi(31, 0, 8)]), .interrupt(.program(.illegalInstruction)))
    }

    func testLswxTakesTheByteCountFromXER() {
        fillSequence()
        execute([Self.lswx(5, 0, 3)], gprs: [3: 0x2000, 6: .max, 7: .max], xer: 5)
        XCTAssertEqual(cpu.gpr[5], 0x0102_0304)
        XCTAssertEqual(cpu.gpr[6], 0x0500_0000)
        XCTAssertEqual(cpu.gpr[7], .max)
        // XER[57:63] = 0: nothing moves (RT is undefined; lpar, like QEMU, leaves it).
        execute([Self.lswx(5, 0, 3)], gprs: [3: 0x2000, 5: 42], xer: 0)
        XCTAssertEqual(cpu.gpr[5], 42)
    }

    func testLswxWithRBAmongTheLoadedRegistersIsIllegal() {
        fillSequence()
        // lswx r31,0,r0 with 12 bytes: r31, r0, r1; RB = r0 (emulator.c's "Don't overwrite Rb").
        XCTAssertEqual(execute([Self.lswx(31, 0, 0)], gprs: [0: 0x2000], xer: 12), .interrupt(.program(.illegalInstruction)))
        XCTAssertEqual(cpu.gpr[0], 0x2000)
        // RA = 0 means the value 0, not r0: lswx r0,0,r5 with 4 bytes is valid.
        XCTAssertEqual(execute([Self.lswx(0, 0, 5)], gprs: [5: 0x2000], xer: 4), .instructionLimit)
        XCTAssertEqual(cpu.gpr[0], 0x0102_0304)
    }

    func testStswiAndStswxStoreTheLowWordsHighOrderFirst() {
        memory.store64(0x3000, 0xEEEE_EEEE_EEEE_EEEE)
        execute([Self.stswi(30, 4, 6)], gprs: [4: 0x3000, 30: 0xDEAD_BEEF_1122_3344, 31: 0x5566_7788])
        XCTAssertEqual(memory.load64(0x3000), 0x1122_3344_5566_EEEE)
        // stswx r31,0,r4 with XER = 5: r31's word, then r0's first byte.
        execute([Self.stswx(31, 0, 4)], gprs: [4: 0x3000, 31: 0xA1A2_A3A4, 0: 0xB1B2_B3B4], xer: 5)
        XCTAssertEqual(memory.load64(0x3000), 0xA1A2_A3A4_B166_EEEE)
    }

    // MARK: quadword

    func testLqAndStqMoveAnEvenOddPairBigEndian() {
        memory.store64(0x2000, 0x0011_2233_4455_6677)
        memory.store64(0x2008, 0x8899_AABB_CCDD_EEFF)
        execute([Self.lq(4, 0x10, 3)], gprs: [3: 0x1FF0])
        XCTAssertEqual(cpu.gpr[4], 0x0011_2233_4455_6677)
        XCTAssertEqual(cpu.gpr[5], 0x8899_AABB_CCDD_EEFF)
        execute([Self.stq(4, -16, 3)], gprs: [3: 0x3010])
        XCTAssertEqual(memory.load64(0x3000), 0x0011_2233_4455_6677)
        XCTAssertEqual(memory.load64(0x3008), 0x8899_AABB_CCDD_EEFF)
    }

    func testQuadwordInvalidFormsAreIllegalAndMisalignmentIsAnAlignmentInterrupt() {
        XCTAssertEqual(execute([Self.lq(5, 0, 3)], gprs: [3: 0x2000]), .interrupt(.program(.illegalInstruction)))  // odd RTp
        XCTAssertEqual(execute([Self.lq(4, 0, 4)], gprs: [4: 0x2000]), .interrupt(.program(.illegalInstruction)))  // RTp = RA
        XCTAssertEqual(execute([Self.stq(3, 0, 4)], gprs: [4: 0x2000]), .interrupt(.program(.illegalInstruction))) // odd RSp
        XCTAssertEqual(execute([Self.x(276, 4, 3, 4)], gprs: [3: 0x2000]), .interrupt(.program(.illegalInstruction))) // lqarx RTp = RB
        XCTAssertEqual(execute([Self.lq(4, 0, 3)], gprs: [3: 0x2008]), .interrupt(.alignment(address: 0x2008)))
        XCTAssertEqual(execute([Self.stq(4, 4, 3)], gprs: [3: 0x2000]), .interrupt(.alignment(address: 0x2004)))
        XCTAssertEqual(execute([Self.x(276, 4, 0, 3)], gprs: [3: 0x2001]), .interrupt(.alignment(address: 0x2001)))
    }

    func testLqarxStqcxSucceedOnceOnTheReservedQuadword() {
        memory.store64(0x2000, 1)
        memory.store64(0x2008, 2)
        let lqarx = Self.x(276, 6, 0, 3), stqcx = Self.x(182, 8, 0, 3, rc: true)
        execute([lqarx, stqcx, stqcx], gprs: [3: 0x2000, 8: 0xAA, 9: 0xBB])
        XCTAssertEqual([cpu.gpr[6], cpu.gpr[7]], [1, 2])
        XCTAssertEqual([memory.load64(0x2000), memory.load64(0x2008)], [0xAA, 0xBB])
        XCTAssertEqual(cpu.crField(0), 0, "the second stqcx. finds no reservation: CR0 = 0b000 || SO")
        execute([lqarx, stqcx], gprs: [3: 0x2000, 8: 0xCC, 9: 0xDD])
        XCTAssertEqual(cpu.crField(0), 2, "a successful stqcx. sets CR0[EQ]")
        XCTAssertEqual(memory.load64(0x2008), 0xDD)
    }

    // MARK: multiply-add

    func testMultiplyAddTakesTheHighOrLowHalfOfTheSum() {
        // (-1) × 2 + 1 = -1: the 128-bit sum is all ones.
        execute([Self.va(48, 3, 4, 5, 6), Self.va(51, 7, 4, 5, 6)], gprs: [4: .max, 5: 2, 6: 1])
        XCTAssertEqual(cpu.gpr[3], .max)
        XCTAssertEqual(cpu.gpr[7], .max)
        // maddhd sign-extends RC: 0 × 0 + (-1) has high half -1; maddhdu zero-extends it: 0.
        execute([Self.va(48, 3, 4, 5, 6), Self.va(49, 7, 4, 5, 6)], gprs: [4: 0, 5: 0, 6: .max])
        XCTAssertEqual(cpu.gpr[3], .max)
        XCTAssertEqual(cpu.gpr[7], 0)
        // Unsigned: (2^64 - 1) × 2 + 2 = 2^65, high half 2, low half 0 (the add carries).
        execute([Self.va(49, 3, 4, 5, 6), Self.va(51, 7, 4, 5, 6)], gprs: [4: .max, 5: 2, 6: 2])
        XCTAssertEqual(cpu.gpr[3], 2)
        XCTAssertEqual(cpu.gpr[7], 0)
        // Signed: 2^62 × 4 + 0 = 2^64: high half 1.
        execute([Self.va(48, 3, 4, 5, 6)], gprs: [4: 1 << 62, 5: 4, 6: 0])
        XCTAssertEqual(cpu.gpr[3], 1)
    }

    // MARK: privileged, waiting, doorbells

    func testTranslationInstructionsArePrivilegedNoOps() {
        let words = [Self.x(306, 4, 0, 3), Self.x(274, 0, 0, 3), Self.x(566, 0, 0, 0), Self.x(498, 0, 0, 0),
                     Self.x(434, 0, 0, 3), Self.x(402, 3, 0, 4)]
        cpu.msr = MSR.sf
        XCTAssertEqual(execute(words), .instructionLimit)
        XCTAssertEqual(cpu.pc, 0x1000 + 4 * UInt64(words.count))
        for w in words {
            cpu.msr = MSR.sf | MSR.pr
            XCTAssertEqual(execute([w]), .interrupt(.program(.privilegedInstruction)), String(w, radix: 16))
        }
    }

    func testWaitIdlesAfterTheInstruction() {
        XCTAssertEqual(execute([Self.x(30, 0, 0, 0)]), .idle)
        XCTAssertEqual(cpu.pc, 0x1004)
        // WC = 2 (pause_short) only pauses.
        XCTAssertEqual(execute([Self.x(30, 2, 0, 0)]), .instructionLimit)
    }

    func testMsgsndpAndMsgclrpSetAndClearThisThreadsDPDESBit() {
        let mfdpdes = SPRTableTests.mfspr(3, 176)
        cpu.msr = MSR.sf
        execute([Self.x(142, 0, 0, 4), mfdpdes], gprs: [4: 0])
        XCTAssertEqual(cpu.gpr[3], 1)
        execute([Self.x(142, 0, 0, 4), mfdpdes], gprs: [4: 5])  // thread 5: there is none
        XCTAssertEqual(cpu.gpr[3], 1)
        execute([Self.x(174, 0, 0, 4), mfdpdes], gprs: [4: 0])
        XCTAssertEqual(cpu.gpr[3], 0)
        cpu.msr = MSR.sf | MSR.pr
        XCTAssertEqual(execute([Self.x(142, 0, 0, 4)]), .interrupt(.program(.privilegedInstruction)))
    }

    func testLoadMultipleMisalignedIsAnAlignmentInterruptForAPartition() throws {
        let lmw = 46 << 26 | UInt32(30) << 21 | UInt32(3) << 16 | 2
        // A Linux process (lpar plays the kernel, which emulates it) loads the words.
        memory.store64(0x2002, 0x0102_0304_0506_0708)
        execute([lmw], gprs: [3: 0x2000])
        XCTAssertEqual([cpu.gpr[30], cpu.gpr[31]], [0x0102_0304, 0x0506_0708])
        // A PAPR guest gets the alignment interrupt (DAR = EA).
        interpreter = Interpreter(cpu: cpu, memory: memory, deliversInterrupts: true)
        memory.store32(0x600, 0)   // no handler: the interrupt comes back as a stop
        XCTAssertEqual(execute([lmw], gprs: [3: 0x2000]), .interrupt(.alignment(address: 0x2002)))
    }
}

extension StringQuadwordTests {
    func testReservationLoadsIgnoreTheEHHint() {
        // lwarx r3,0,r4,1 and ldarx r5,0,r4,1: EH = 1 (bit 31) only hints at the lock's use.
        memory.store64(0x2000, 0x1122_3344_5566_7788)
        execute([Self.x(20, 3, 0, 4) | 1, Self.x(84, 5, 0, 4) | 1], gprs: [4: 0x2000])
        XCTAssertEqual(cpu.gpr[3], 0x1122_3344)
        XCTAssertEqual(cpu.gpr[5], 0x1122_3344_5566_7788)
    }
}

import XCTest
import GuestMemory
import PowerISA

/// The Floating-Point Enabled Exception program interrupt (Book III 6.5.9, Book I 4.4): with
/// MSR[FE0,FE1] ≠ 0, an FP instruction that raises an exception its FPSCR enables interrupts
/// precisely: at itself (SRR0 = the instruction), after updating the FPSCR; an enabled zero
/// divide or invalid operation leaves FRT unwritten.
final class FloatingPointEnabledTests: InterpreterTestCase {
    let one: UInt64 = 0x3FF0_0000_0000_0000, three: UInt64 = 0x4008_0000_0000_0000
    let big: UInt64 = 0x7FE1_CCF3_85EB_C8A0  // 1e308

    func testEnabledZeroDivideTrapsAtTheInstructionWithFRTUnchanged() {
        cpu.msr |= MSR.fe0 | MSR.fe1  // PR_FP_EXC_PRECISE
        let stop = execute([EncodeFP.fdiv(1, 2, 3)], fprs: [1: three, 2: one, 3: 0], fpscr: FPSCR.ze)
        XCTAssertEqual(stop, .interrupt(.program(.floatingPointEnabled)))
        XCTAssertEqual(cpu.pc, 0x1000, "precise: the instruction that caused it")
        XCTAssertEqual(cpu.fpr[1], three, "the result of an enabled zero divide is suppressed")
        XCTAssertEqual(cpu.fpscr, FPSCR.ze | FPSCR.zx | FPSCR.fx | FPSCR.fex)
    }

    func testSameDivideWithFEZeroDoesNotTrap() {
        let stop = execute([EncodeFP.fdiv(1, 2, 3)], fprs: [1: three, 2: one, 3: 0], fpscr: FPSCR.ze)
        XCTAssertEqual(stop, .instructionLimit)
        XCTAssertEqual(cpu.fpscr & FPSCR.fex, FPSCR.fex, "FEX is set either way")
    }

    func testDisabledExceptionDoesNotTrap() {
        cpu.msr |= MSR.fe0 | MSR.fe1
        // 1/0 with ZE = 0: +inf, no interrupt.
        XCTAssertEqual(execute([EncodeFP.fdiv(1, 2, 3)], fprs: [2: one, 3: 0], fpscr: 0), .instructionLimit)
        XCTAssertEqual(cpu.fpr[1], 0x7FF0_0000_0000_0000)
    }

    func testEnabledOverflowTrapsAfterWritingTheResult() {
        cpu.msr |= MSR.fe0 | MSR.fe1
        // 1e308 * 1e308 overflows: with OE the (unadjusted, as qemu) result is written, then the trap.
        let stop = execute([EncodeFP.fmul(1, 2, 3)], fprs: [2: big, 3: big], fpscr: FPSCR.oe)
        XCTAssertEqual(stop, .interrupt(.program(.floatingPointEnabled)))
        XCTAssertEqual(cpu.fpscr & (FPSCR.ox | FPSCR.fex), FPSCR.ox | FPSCR.fex)
    }

    func testStickyExceptionDoesNotTrapAnInstructionThatRaisesNone() {
        cpu.msr |= MSR.fe0 | MSR.fe1
        // ZX and FEX already set from an earlier divide; 1 + 1 raises nothing.
        let stop = execute([EncodeFP.fadd(1, 2, 2)], fprs: [2: one], fpscr: FPSCR.ze | FPSCR.zx | FPSCR.fx | FPSCR.fex)
        XCTAssertEqual(stop, .instructionLimit)
        XCTAssertEqual(cpu.fpscr & FPSCR.fex, FPSCR.fex, "the summary stays set")
    }

    func testMtfsfThatSetsFEXTraps() {
        cpu.msr |= MSR.fe0 | MSR.fe1
        // mtfsf 0xFF from f4 = ZX | ZE: FEX becomes 1 by this instruction.
        let value = FPSCR.zx | FPSCR.fx | FPSCR.ze
        XCTAssertEqual(execute([EncodeFP.mtfsf(0xFF, 4)], fprs: [4: value]), .interrupt(.program(.floatingPointEnabled)))
        XCTAssertEqual(cpu.fpscr & FPSCR.fex, FPSCR.fex)
    }
}

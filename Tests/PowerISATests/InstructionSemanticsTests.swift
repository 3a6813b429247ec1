import XCTest
import GuestMemory
import PowerISA

/// Encoders for the forms the tests use (field layouts from the Power ISA, Book I §1.6).
enum Encode {
    static func d(_ po: UInt32, _ rt: Int, _ ra: Int, _ imm: Int) -> UInt32 {
        po << 26 | UInt32(rt) << 21 | UInt32(ra) << 16 | UInt32(truncatingIfNeeded: imm) & 0xFFFF
    }
    static func x(_ xo: UInt32, _ rt: Int, _ ra: Int, _ rb: Int, rc: Bool = false) -> UInt32 {
        31 << 26 | UInt32(rt) << 21 | UInt32(ra) << 16 | UInt32(rb) << 11 | xo << 1 | (rc ? 1 : 0)
    }
    static func xo(_ xo: UInt32, _ rt: Int, _ ra: Int, _ rb: Int, oe: Bool = false, rc: Bool = false) -> UInt32 {
        31 << 26 | UInt32(rt) << 21 | UInt32(ra) << 16 | UInt32(rb) << 11 | (oe ? 0x400 : 0) | xo << 1 | (rc ? 1 : 0)
    }
    static func m(_ po: UInt32, _ rs: Int, _ ra: Int, _ sh: Int, _ mb: Int, _ me: Int, rc: Bool = false) -> UInt32 {
        po << 26 | UInt32(rs) << 21 | UInt32(ra) << 16 | UInt32(sh) << 11 | UInt32(mb) << 6 | UInt32(me) << 1 | (rc ? 1 : 0)
    }
    /// MD form (rldicl 0, rldicr 1, rldic 2, rldimi 3): sh and mb are 6-bit, split as the ISA splits them.
    static func md(_ xo: UInt32, _ rs: Int, _ ra: Int, _ sh: Int, _ mb: Int) -> UInt32 {
        let mbField = UInt32((mb & 31) << 1 | (mb >> 5))
        return 30 << 26 | UInt32(rs) << 21 | UInt32(ra) << 16 | UInt32(sh & 31) << 11 | mbField << 5 | xo << 2 | UInt32(sh >> 5) << 1
    }
    static func sradi(_ rs: Int, _ ra: Int, _ sh: Int) -> UInt32 {
        31 << 26 | UInt32(rs) << 21 | UInt32(ra) << 16 | UInt32(sh & 31) << 11 | 413 << 2 | UInt32(sh >> 5) << 1
    }
    static func bc(_ bo: Int, _ bi: Int, _ offset: Int, lk: Bool = false) -> UInt32 {
        16 << 26 | UInt32(bo) << 21 | UInt32(bi) << 16 | UInt32(truncatingIfNeeded: offset) & 0xFFFC | (lk ? 1 : 0)
    }
}

final class InstructionSemanticsTests: InterpreterTestCase {
    /// Runs `words` from 0x1000 with the given registers; returns the stop reason.
    @discardableResult
    func run(_ words: [UInt32], _ regs: [Int: UInt64] = [:], xer: UInt64 = 0, cr: UInt32 = 0) -> StopReason {
        execute(words, gprs: regs, xer: xer, cr: cr)
    }

    let flags: UInt64 = XER.so | XER.ov | XER.ca | XER.ov32 | XER.ca32
    let minus1 = UInt64.max
    let int64Min: UInt64 = 0x8000_0000_0000_0000

    // MARK: add family: result, CA/CA32, OV/OV32/SO, CR0

    func testAddCarryForms() {
        // addc r3,r4,r5: 0xff..ff + 1 = 2^64 → 0, carry out of bit 0 and out of bit 32.
        run([Encode.xo(10, 3, 4, 5)], [4: minus1, 5: 1])
        XCTAssertEqual(cpu.gpr[3], 0)
        XCTAssertEqual(cpu.xer & flags, XER.ca | XER.ca32)
        // addc: 0xffffffff + 1 = 0x1_00000000: only the low word carries.
        run([Encode.xo(10, 3, 4, 5)], [4: 0xFFFF_FFFF, 5: 1])
        XCTAssertEqual(cpu.gpr[3], 0x1_0000_0000)
        XCTAssertEqual(cpu.xer & flags, XER.ca32)
        // adde: 5 + 6 + CA(1) = 12, no carry: CA cleared.
        run([Encode.xo(138, 3, 4, 5)], [4: 5, 5: 6], xer: XER.ca)
        XCTAssertEqual(cpu.gpr[3], 12)
        XCTAssertEqual(cpu.xer & flags, 0)
        // addze: 0xff..ff + 0 + CA(1) = 0 with carry.
        run([Encode.xo(202, 3, 4, 0)], [4: minus1], xer: XER.ca)
        XCTAssertEqual(cpu.gpr[3], 0)
        XCTAssertEqual(cpu.xer & flags, XER.ca | XER.ca32)
        // addme: 0 + (-1) + CA(0) = -1, no carry.
        run([Encode.xo(234, 3, 4, 0)], [4: 0])
        XCTAssertEqual(cpu.gpr[3], minus1)
        XCTAssertEqual(cpu.xer & flags, 0)
        // subfc r3,r4,r5 = r5 - r4: 3 - 5 → ~5 + 3 + 1 = 0xff..fe, no carry (a borrow).
        run([Encode.xo(8, 3, 4, 5)], [4: 5, 5: 3])
        XCTAssertEqual(cpu.gpr[3], 0xFFFF_FFFF_FFFF_FFFE)
        XCTAssertEqual(cpu.xer & XER.ca, 0)
        // subfe: 10 - 3 - 1 (CA=0 means borrow): ~3 + 10 + 0 = 6, carry.
        run([Encode.xo(136, 3, 4, 5)], [4: 3, 5: 10])
        XCTAssertEqual(cpu.gpr[3], 6)
        XCTAssertEqual(cpu.xer & XER.ca, XER.ca)
        // subfme: ~0 + (-1) + CA(1) = -1 + ... = ~0 + 0xff..ff + 1 = 0xff..ff with carry.
        run([Encode.xo(232, 3, 4, 0)], [4: 0], xer: XER.ca)
        XCTAssertEqual(cpu.gpr[3], minus1)
        XCTAssertEqual(cpu.xer & XER.ca, XER.ca)
        // subfze: ~1 + 0 + CA(1) = -1, no carry.
        run([Encode.xo(200, 3, 4, 0)], [4: 1], xer: XER.ca)
        XCTAssertEqual(cpu.gpr[3], minus1)
        XCTAssertEqual(cpu.xer & XER.ca, 0)
        // addic r3,r4,-1 with r4 = 0: 0 + 0xff..ff, no carry; with r4 = 1: 0 with carry.
        run([Encode.d(12, 3, 4, -1)], [4: 0])
        XCTAssertEqual(cpu.gpr[3], minus1); XCTAssertEqual(cpu.xer & XER.ca, 0)
        run([Encode.d(12, 3, 4, -1)], [4: 1])
        XCTAssertEqual(cpu.gpr[3], 0); XCTAssertEqual(cpu.xer & XER.ca, XER.ca)
        // addic. sets CR0 too: 0 → EQ.
        run([Encode.d(13, 3, 4, -1)], [4: 1])
        XCTAssertEqual(cpu.crField(0), 0b0010)
        // subfic r3,r4,0: 0 - 0 = 0 with carry (~0 + 0 + 1 = 2^64); 0 - 1 = -1 without.
        run([Encode.d(8, 3, 4, 0)], [4: 0])
        XCTAssertEqual(cpu.gpr[3], 0); XCTAssertEqual(cpu.xer & XER.ca, XER.ca)
        run([Encode.d(8, 3, 4, 0)], [4: 1])
        XCTAssertEqual(cpu.gpr[3], minus1); XCTAssertEqual(cpu.xer & XER.ca, 0)
    }

    func testOverflowForms() {
        // addo: INT64_MAX + 1 overflows (OV, SO); the low words -1 + 1 do not (OV32 clear).
        run([Encode.xo(266, 3, 4, 5, oe: true)], [4: 0x7FFF_FFFF_FFFF_FFFF, 5: 1])
        XCTAssertEqual(cpu.gpr[3], int64Min)
        XCTAssertEqual(cpu.xer & flags, XER.so | XER.ov)
        // addo: 0x7fffffff + 1 overflows only as a 32-bit sum: OV32 alone.
        run([Encode.xo(266, 3, 4, 5, oe: true)], [4: 0x7FFF_FFFF, 5: 1])
        XCTAssertEqual(cpu.xer & flags, XER.ov32)
        // SO is sticky: a later addo without overflow clears OV but keeps SO.
        run([Encode.xo(266, 3, 4, 5, oe: true)], [4: 1, 5: 1], xer: XER.so | XER.ov)
        XCTAssertEqual(cpu.xer & flags, XER.so)
        // nego: -INT64_MIN overflows and gives INT64_MIN.
        run([Encode.xo(104, 3, 4, 0, oe: true)], [4: int64Min])
        XCTAssertEqual(cpu.gpr[3], int64Min)
        XCTAssertEqual(cpu.xer & (XER.ov | XER.so), XER.ov | XER.so)
        // neg 0 = 0, no overflow.
        run([Encode.xo(104, 3, 4, 0, oe: true)], [4: 0])
        XCTAssertEqual(cpu.gpr[3], 0)
        XCTAssertEqual(cpu.xer & XER.ov, 0)
        // subfo: INT64_MIN - 1 overflows.
        run([Encode.xo(40, 3, 4, 5, oe: true)], [4: 1, 5: int64Min])
        XCTAssertEqual(cpu.gpr[3], 0x7FFF_FFFF_FFFF_FFFF)
        XCTAssertEqual(cpu.xer & XER.ov, XER.ov)
        // mullwo: 0x10000 * 0x10000 = 2^32 does not fit 32 bits: OV; RT holds the 64-bit product.
        run([Encode.xo(235, 3, 4, 5, oe: true)], [4: 0x10000, 5: 0x10000])
        XCTAssertEqual(cpu.gpr[3], 0x1_0000_0000)
        XCTAssertEqual(cpu.xer & XER.ov, XER.ov)
        // mullw -1 * INT32_MIN = 2^31: overflows 32 bits.
        run([Encode.xo(235, 3, 4, 5, oe: true)], [4: minus1, 5: 0xFFFF_FFFF_8000_0000])
        XCTAssertEqual(cpu.gpr[3], 0x8000_0000)
        XCTAssertEqual(cpu.xer & XER.ov, XER.ov)
        // mulldo: 2^62 * 4 overflows; the low 64 bits are 0.
        run([Encode.xo(233, 3, 4, 5, oe: true)], [4: 0x4000_0000_0000_0000, 5: 4])
        XCTAssertEqual(cpu.gpr[3], 0)
        XCTAssertEqual(cpu.xer & XER.ov, XER.ov)
        // divwo by zero and INT32_MIN / -1 set OV (the quotient is undefined: not checked).
        for (a, b) in [(UInt64(7), UInt64(0)), (UInt64(0x8000_0000), minus1)] {
            XCTAssertEqual(run([Encode.xo(491, 3, 4, 5, oe: true)], [4: a, 5: b]), .instructionLimit)
            XCTAssertEqual(cpu.xer & (XER.ov | XER.so), XER.ov | XER.so)
        }
        // divdo INT64_MIN / -1 and divduo by zero set OV.
        run([Encode.xo(489, 3, 4, 5, oe: true)], [4: int64Min, 5: minus1])
        XCTAssertEqual(cpu.xer & XER.ov, XER.ov)
        run([Encode.xo(457, 3, 4, 5, oe: true)], [4: 9, 5: 0])
        XCTAssertEqual(cpu.xer & XER.ov, XER.ov)
        // divw -7 / 2 = -3 (toward zero), low word 0xfffffffd; divdu 2^64-1 / 16.
        run([Encode.xo(491, 3, 4, 5)], [4: UInt64(bitPattern: -7), 5: 2])
        XCTAssertEqual(cpu.gpr[3] & 0xFFFF_FFFF, 0xFFFF_FFFD)
        run([Encode.xo(457, 3, 4, 5)], [4: minus1, 5: 16])
        XCTAssertEqual(cpu.gpr[3], 0x0FFF_FFFF_FFFF_FFFF)
        // mulhdu: (2^64-1)^2 = 2^128 - 2^65 + 1 → high doubleword 2^64 - 2.
        run([Encode.xo(9, 3, 4, 5)], [4: minus1, 5: minus1])
        XCTAssertEqual(cpu.gpr[3], 0xFFFF_FFFF_FFFF_FFFE)
        // mulhd: -1 * 1 = -1 → high doubleword all ones.
        run([Encode.xo(73, 3, 4, 5)], [4: minus1, 5: 1])
        XCTAssertEqual(cpu.gpr[3], minus1)
        // mulhwu: (2^32-1)^2 = 0xfffffffe_00000001 → high word 0xfffffffe.
        run([Encode.xo(11, 3, 4, 5)], [4: 0xFFFF_FFFF, 5: 0xFFFF_FFFF])
        XCTAssertEqual(cpu.gpr[3] & 0xFFFF_FFFF, 0xFFFF_FFFE)
    }

    func testRecordForms() {
        // add. negative → LT; zero → EQ; positive → GT; SO copied from XER.
        run([Encode.xo(266, 3, 4, 5, rc: true)], [4: 1, 5: UInt64(bitPattern: -3)])
        XCTAssertEqual(cpu.crField(0), 0b1000)
        run([Encode.xo(266, 3, 4, 5, rc: true)], [4: 3, 5: UInt64(bitPattern: -3)])
        XCTAssertEqual(cpu.crField(0), 0b0010)
        run([Encode.xo(266, 3, 4, 5, rc: true)], [4: 3, 5: 3], xer: XER.so)
        XCTAssertEqual(cpu.crField(0), 0b0101)
        // CR0 compares all 64 bits in 64-bit mode: 0x80000000 is positive.
        run([Encode.x(444, 4, 3, 4, rc: true)], [4: 0x8000_0000])  // or. r3,r4,r4
        XCTAssertEqual(cpu.crField(0), 0b0100)
        // andi. 0xf0 & 0x0f = 0 → EQ; other CR fields untouched.
        run([Encode.d(28, 4, 3, 0x0F)], [4: 0xF0], cr: 0x0000_000A)
        XCTAssertEqual(cpu.cr, 0x2000_000A)
        // rlwinm. and extsw. record too.
        run([Encode.m(21, 4, 3, 0, 0, 31, rc: true)], [4: 0xFFFF_FFFF_0000_0000])
        XCTAssertEqual(cpu.gpr[3], 0); XCTAssertEqual(cpu.crField(0), 0b0010)
        run([Encode.x(986, 4, 3, 0, rc: true)], [4: 0x8000_0000])
        XCTAssertEqual(cpu.gpr[3], 0xFFFF_FFFF_8000_0000); XCTAssertEqual(cpu.crField(0), 0b1000)
    }

    // MARK: rotates and shifts

    func testWordRotates() {
        let v: UInt64 = 0x1234_5678
        run([Encode.m(21, 4, 3, 8, 0, 31)], [4: v]);   XCTAssertEqual(cpu.gpr[3], 0x3456_7812)   // rotlwi 8
        run([Encode.m(21, 4, 3, 0, 0, 31)], [4: 0xFFFF_FFFF_1234_5678]); XCTAssertEqual(cpu.gpr[3], v) // high word masked off
        run([Encode.m(21, 4, 3, 4, 0, 27)], [4: v]);   XCTAssertEqual(cpu.gpr[3], 0x2345_6780)   // slwi 4
        run([Encode.m(21, 4, 3, 28, 4, 31)], [4: v]);  XCTAssertEqual(cpu.gpr[3], 0x0123_4567)   // srwi 4
        run([Encode.m(21, 4, 3, 31, 31, 31)], [4: 2]); XCTAssertEqual(cpu.gpr[3], 1)             // rotate by 31
        // MB > ME wraps; the high word comes from ROTL32's replicated word: MASK(60,35).
        run([Encode.m(21, 4, 3, 0, 28, 3)], [4: 0xFFFF_FFFF]); XCTAssertEqual(cpu.gpr[3], 0xFFFF_FFFF_F000_000F)
        // rlwnm uses the low 5 bits of RB: 36 → 4.
        run([Encode.m(23, 4, 3, 5, 0, 31)], [4: 0x8000_0001, 5: 36]); XCTAssertEqual(cpu.gpr[3], 0x18)
        // rlwimi inserts bits 16..23 of the rotated word, keeps the rest of RA.
        run([Encode.m(20, 4, 3, 0, 16, 23)], [3: 0xFFFF_FFFF_AAAA_AAAA, 4: v]); XCTAssertEqual(cpu.gpr[3], 0xFFFF_FFFF_AAAA_56AA)
    }

    func testDoublewordRotates() {
        let w: UInt64 = 0x1234_5678_9ABC_DEF0
        run([Encode.md(0, 4, 3, 0, 32)], [4: w]);  XCTAssertEqual(cpu.gpr[3], 0x9ABC_DEF0)            // clrldi 32
        run([Encode.md(0, 4, 3, 56, 8)], [4: w]);  XCTAssertEqual(cpu.gpr[3], 0x0012_3456_789A_BCDE)  // srdi 8
        run([Encode.md(0, 4, 3, 63, 0)], [4: 1]);  XCTAssertEqual(cpu.gpr[3], int64Min)               // rotldi 63
        run([Encode.md(1, 4, 3, 8, 55)], [4: w]);  XCTAssertEqual(cpu.gpr[3], 0x3456_789A_BCDE_F000)  // sldi 8 (me in the mb field)
        run([Encode.md(1, 4, 3, 0, 0)], [4: minus1]); XCTAssertEqual(cpu.gpr[3], int64Min)          // keep bit 0 only
        run([Encode.md(2, 4, 3, 4, 56)], [4: 0xFF]); XCTAssertEqual(cpu.gpr[3], 0xF0)              // rldic: MASK(56,59)
        run([Encode.md(3, 4, 3, 8, 48)], [3: minus1, 4: 0]); XCTAssertEqual(cpu.gpr[3], 0xFFFF_FFFF_FFFF_00FF) // rldimi
        run([Encode.md(3, 4, 3, 32, 0)], [3: 0x1111_1111_2222_2222, 4: 0x3333_3333]); XCTAssertEqual(cpu.gpr[3], 0x3333_3333_2222_2222) // insrdi
        // rldcl r3,r4,r5,0 rotates by RB's low 6 bits: 68 → 4.
        run([30 << 26 | 4 << 21 | 3 << 16 | 5 << 11 | 8 << 1], [4: 0xF000_0000_0000_0001, 5: 68])
        XCTAssertEqual(cpu.gpr[3], 0x1F)
        // rldcr r3,r4,r5,31: rotate by 0, keep bits 0..31.
        run([30 << 26 | 4 << 21 | 3 << 16 | 5 << 11 | 31 << 6 | 9 << 1], [4: minus1, 5: 0])
        XCTAssertEqual(cpu.gpr[3], 0xFFFF_FFFF_0000_0000)
    }

    func testShifts() {
        func shift(_ xo: UInt32, _ v: UInt64, _ n: UInt64) -> UInt64 { run([Encode.x(xo, 4, 3, 5)], [4: v, 5: n]); return cpu.gpr[3] }
        XCTAssertEqual(shift(24, 1, 0), 1)                       // slw by 0
        XCTAssertEqual(shift(24, 1, 31), 0x8000_0000)
        XCTAssertEqual(shift(24, 1, 32), 0)                      // counts 32..63 give 0
        XCTAssertEqual(shift(24, minus1, 0), 0xFFFF_FFFF)        // the high word is cleared
        XCTAssertEqual(shift(24, 1, 64), 1)                      // only 6 bits of RB count: 64 → 0
        XCTAssertEqual(shift(536, 0xFFFF_FFFF_8000_0000, 31), 1) // srw
        XCTAssertEqual(shift(536, 0xFFFF_FFFF, 32), 0)
        XCTAssertEqual(shift(27, 1, 63), int64Min)               // sld
        XCTAssertEqual(shift(27, 1, 64), 0)
        XCTAssertEqual(shift(27, 1, 128), 1)                     // 7 bits of RB count: 128 → 0
        XCTAssertEqual(shift(539, int64Min, 63), 1)              // srd
        XCTAssertEqual(shift(539, minus1, 64), 0)
        // sraw: -5 >> 1 = -3, a 1 bit lost from a negative value: CA.
        XCTAssertEqual(shift(792, UInt64(bitPattern: -5), 1), UInt64(bitPattern: -3))
        XCTAssertEqual(cpu.xer & (XER.ca | XER.ca32), XER.ca | XER.ca32)
        XCTAssertEqual(shift(792, 0x8000_0000, 31), minus1)      // INT32_MIN >> 31 = -1, only zeros lost: no CA
        XCTAssertEqual(cpu.xer & XER.ca, 0)
        XCTAssertEqual(shift(792, 0x8000_0000, 32), minus1)      // ≥ 32: all sign; lost bits non-zero: CA
        XCTAssertEqual(cpu.xer & XER.ca, XER.ca)
        XCTAssertEqual(shift(792, 5, 63), 0); XCTAssertEqual(cpu.xer & XER.ca, 0)
        XCTAssertEqual(shift(792, 0x1_0000_0007, 0), 7)          // shift 0 sign-extends the low word
        // srad
        XCTAssertEqual(shift(794, minus1, 63), minus1); XCTAssertEqual(cpu.xer & XER.ca, XER.ca)
        XCTAssertEqual(shift(794, int64Min, 64), minus1); XCTAssertEqual(cpu.xer & XER.ca, XER.ca)
        XCTAssertEqual(shift(794, 16, 64), 0); XCTAssertEqual(cpu.xer & XER.ca, 0)
        XCTAssertEqual(shift(794, UInt64(bitPattern: -16), 4), minus1); XCTAssertEqual(cpu.xer & XER.ca, 0)
        // srawi r3,r4,0 and 31
        run([Encode.x(824, 4, 3, 0)], [4: 0xFFFF_FFFF]); XCTAssertEqual(cpu.gpr[3], minus1); XCTAssertEqual(cpu.xer & XER.ca, 0)
        run([Encode.x(824, 4, 3, 31)], [4: 0xFFFF_FFFE]); XCTAssertEqual(cpu.gpr[3], minus1); XCTAssertEqual(cpu.xer & XER.ca, XER.ca)
        // sradi 63 and 0, and a shift ≥ 32 (sh5 set).
        run([Encode.sradi(4, 3, 63)], [4: 0x7FFF_FFFF_FFFF_FFFF]); XCTAssertEqual(cpu.gpr[3], 0)
        run([Encode.sradi(4, 3, 0)], [4: minus1]); XCTAssertEqual(cpu.gpr[3], minus1); XCTAssertEqual(cpu.xer & XER.ca, 0)
        run([Encode.sradi(4, 3, 33)], [4: UInt64(bitPattern: -(1 << 40))]); XCTAssertEqual(cpu.gpr[3], UInt64(bitPattern: -(1 << 7)))
    }

    func testCountAndExtend() {
        func unary(_ xo: UInt32, _ v: UInt64) -> UInt64 { run([Encode.x(xo, 4, 3, 0)], [4: v]); return cpu.gpr[3] }
        XCTAssertEqual(unary(26, 0), 32)                           // cntlzw
        XCTAssertEqual(unary(26, 0xFFFF_FFFF_0000_0001), 31)       // low word only
        XCTAssertEqual(unary(58, 0), 64)                           // cntlzd
        XCTAssertEqual(unary(58, int64Min), 0)
        XCTAssertEqual(unary(122, 0x0102_0304_0506_0708), 0x0101_0201_0202_0301) // popcntb per byte
        XCTAssertEqual(unary(378, 0xFF00_0000_0000_000F), 0x0000_0008_0000_0004) // popcntw per word
        XCTAssertEqual(unary(506, minus1), 64)                     // popcntd
        XCTAssertEqual(unary(954, 0x80), 0xFFFF_FFFF_FFFF_FF80)    // extsb
        XCTAssertEqual(unary(922, 0x1_7FFF), 0x7FFF)               // extsh
        XCTAssertEqual(unary(986, 0x8000_0000), 0xFFFF_FFFF_8000_0000) // extsw
    }

    // MARK: compares, CR, branches

    func testCompares() {
        // cmpw (L=0) compares low words as signed: -1 < 1.
        run([Encode.x(0, 0, 4, 5)], [4: 0x1_FFFF_FFFF, 5: 1]); XCTAssertEqual(cpu.crField(0), 0b1000)
        // cmpd cr7 (L=1): 2^33-1 > 1.
        run([Encode.x(0, 7 << 2 | 1, 4, 5)], [4: 0x1_FFFF_FFFF, 5: 1]); XCTAssertEqual(cpu.crField(7), 0b0100)
        // cmplw: 0xffffffff > 1 unsigned; cmpld 1 < 2.
        run([Encode.x(32, 0, 4, 5)], [4: 0xFFFF_FFFF, 5: 1]); XCTAssertEqual(cpu.crField(0), 0b0100)
        run([Encode.x(32, 1, 4, 5)], [4: 1, 5: 2]); XCTAssertEqual(cpu.crField(0), 0b1000)
        // cmpdi -1: equal; cmpwi compares the sign-extended immediate.
        run([Encode.d(11, 1, 4, -1)], [4: minus1]); XCTAssertEqual(cpu.crField(0), 0b0010)
        // cmplwi 0xffff vs 0x10000 → GT; SO copied into the field.
        run([Encode.d(10, 3 << 2, 4, 0xFFFF)], [4: 0x10000], xer: XER.so); XCTAssertEqual(cpu.crField(3), 0b0101)
    }

    func testConditionRegisterOps() {
        // mtcrf 0xff then mfcr round-trips.
        run([31 << 26 | 4 << 21 | 0xFF << 12 | 144 << 1, Encode.x(19, 3, 0, 0)], [4: 0x1234_5678])
        XCTAssertEqual(cpu.gpr[3], 0x1234_5678)
        // mtocrf 0x01 (cr7 only) and mfocrf 0x01 read back only that field.
        run([31 << 26 | 4 << 21 | 1 << 20 | 0x01 << 12 | 144 << 1, 31 << 26 | 3 << 21 | 1 << 20 | 0x01 << 12 | 19 << 1],
            [4: 0xFFFF_FFFA], cr: 0x1111_1111)
        XCTAssertEqual(cpu.cr, 0x1111_111A)
        XCTAssertEqual(cpu.gpr[3], 0xA)
        // crxor 0,1,2: lt = gt ^ eq.
        run([19 << 26 | 0 << 21 | 1 << 16 | 2 << 11 | 193 << 1], cr: 0x2000_0000)
        XCTAssertEqual(cpu.cr, 0xA000_0000)
        // mcrf cr7,cr0
        run([19 << 26 | 7 << 23 | 0 << 18], cr: 0x5000_0000)
        XCTAssertEqual(cpu.cr, 0x5000_0005)
        // isel r3,r4,r5,2 (eq of cr0): true → r4, false → r5; RA = 0 reads as 0.
        run([Encode.x(0, 3, 4, 5) | 2 << 6 | 15 << 1], [4: 10, 5: 20], cr: 0x2000_0000)
        XCTAssertEqual(cpu.gpr[3], 10)
        run([Encode.x(0, 3, 4, 5) | 2 << 6 | 15 << 1], [4: 10, 5: 20], cr: 0)
        XCTAssertEqual(cpu.gpr[3], 20)
        run([Encode.x(0, 3, 0, 5) | 2 << 6 | 15 << 1], [5: 20], cr: 0x2000_0000)
        XCTAssertEqual(cpu.gpr[3], 0)
    }

    func testBranches() {
        // bdnz: CTR 3 → 2, taken back by 0 (to itself) until CTR reaches 0: 3 iterations, then falls through.
        cpu.ctr = 3
        interpreter.invalidateAll()
        memory.store32(0x1000, Encode.bc(16, 0, 0))
        cpu.pc = 0x1000
        interpreter.run(limit: 3)
        XCTAssertEqual(cpu.ctr, 0)
        XCTAssertEqual(cpu.pc, 0x1004)
        // bdz with CTR=1: decrements to 0 and branches.
        cpu.ctr = 1
        run([Encode.bc(18, 0, 0x40)])
        XCTAssertEqual(cpu.pc, 0x1040)
        // beq taken / not taken, with bcl setting LR.
        run([Encode.bc(12, 2, 0x20, lk: true)], cr: 0x2000_0000)
        XCTAssertEqual(cpu.pc, 0x1020); XCTAssertEqual(cpu.lr, 0x1004)
        run([Encode.bc(12, 2, 0x20)], cr: 0)
        XCTAssertEqual(cpu.pc, 0x1004)
        // bdnzt 4*cr1+gt: needs CTR ≠ 0 after decrement and the bit set.
        cpu.ctr = 5
        run([Encode.bc(8, 5, -8)], cr: 0x0400_0000)
        XCTAssertEqual(cpu.pc, 0x0FF8); XCTAssertEqual(cpu.ctr, 4)
        // b back, bl, ba
        run([18 << 26 | 0x03FF_FFF0])            // b -16
        XCTAssertEqual(cpu.pc, 0x0FF0)
        run([18 << 26 | 0x2000 | 1])              // bl +0x2000
        XCTAssertEqual(cpu.pc, 0x3000); XCTAssertEqual(cpu.lr, 0x1004)
        run([18 << 26 | 0x500 | 2])               // ba 0x500
        XCTAssertEqual(cpu.pc, 0x500)
        // blr / bctrl: the target is read before LR is written.
        cpu.lr = 0x2000
        run([19 << 26 | 20 << 21 | 16 << 1])      // blr
        XCTAssertEqual(cpu.pc, 0x2000)
        cpu.ctr = 0x3000
        run([19 << 26 | 20 << 21 | 528 << 1 | 1]) // bctrl
        XCTAssertEqual(cpu.pc, 0x3000); XCTAssertEqual(cpu.lr, 0x1004)
        cpu.lr = 0x4000
        run([19 << 26 | 20 << 21 | 16 << 1 | 1])  // blrl
        XCTAssertEqual(cpu.pc, 0x4000); XCTAssertEqual(cpu.lr, 0x1004)
    }

    func testSpecialRegisters() {
        // mtlr r4; mfctr after mtctr; mtxer keeps the low word: the defined bits and, as
        // qemu-ppc64 does (tools/difftest compares), the reserved ones; the high word reads 0.
        let mtspr = { (spr: Int, rs: Int) -> UInt32 in 31 << 26 | UInt32(rs) << 21 | UInt32(spr & 31) << 16 | UInt32(spr >> 5) << 11 | 467 << 1 }
        let mfspr = { (spr: Int, rt: Int) -> UInt32 in 31 << 26 | UInt32(rt) << 21 | UInt32(spr & 31) << 16 | UInt32(spr >> 5) << 11 | 339 << 1 }
        run([mtspr(8, 4), mfspr(8, 3)], [4: 0xABCD])
        XCTAssertEqual(cpu.lr, 0xABCD); XCTAssertEqual(cpu.gpr[3], 0xABCD)
        run([mtspr(9, 4), mfspr(9, 3)], [4: 77])
        XCTAssertEqual(cpu.ctr, 77); XCTAssertEqual(cpu.gpr[3], 77)
        run([mtspr(1, 4), mfspr(1, 3)], [4: minus1])
        XCTAssertEqual(cpu.gpr[3], 0xFFFF_FFFF)
    }

    // MARK: memory

    func testLoadsAndStores() {
        memory.store64(0x2000, 0x8081_8283_8485_8687)
        func load(_ w: UInt32) -> UInt64 { run([w], [4: 0x2000, 5: 4]); return cpu.gpr[3] }
        XCTAssertEqual(load(Encode.d(34, 3, 4, 1)), 0x81)                      // lbz
        XCTAssertEqual(load(Encode.d(40, 3, 4, 2)), 0x8283)                    // lhz
        XCTAssertEqual(load(Encode.d(42, 3, 4, 2)), 0xFFFF_FFFF_FFFF_8283)     // lha sign-extends
        XCTAssertEqual(load(Encode.d(32, 3, 4, 4)), 0x8485_8687)               // lwz
        XCTAssertEqual(load(Encode.d(58, 3, 4, 4) | 2), 0xFFFF_FFFF_8485_8687) // lwa (DS form, xo 2)
        XCTAssertEqual(load(Encode.d(58, 3, 4, 0)), 0x8081_8283_8485_8687)     // ld
        XCTAssertEqual(load(Encode.x(23, 3, 4, 5)), 0x8485_8687)               // lwzx
        XCTAssertEqual(load(Encode.x(341, 3, 4, 5)), 0xFFFF_FFFF_8485_8687)    // lwax
        XCTAssertEqual(load(Encode.x(534, 3, 4, 5)), 0x8786_8584)              // lwbrx
        XCTAssertEqual(load(Encode.x(790, 3, 4, 0)), 0x8180)                   // lhbrx
        XCTAssertEqual(load(Encode.x(532, 3, 4, 0)), 0x8786_8584_8382_8180)    // ldbrx
        // Update forms write the effective address back to RA.
        run([Encode.d(33, 3, 4, 4)], [4: 0x2000]); XCTAssertEqual(cpu.gpr[4], 0x2004)       // lwzu
        run([Encode.d(58, 3, 4, 8) | 1], [4: 0x1FF8]); XCTAssertEqual(cpu.gpr[4], 0x2000); XCTAssertEqual(cpu.gpr[3], 0x8081_8283_8485_8687) // ldu
        // Stores, big-endian; stdu; stwbrx.
        run([Encode.d(62, 4, 1, -16) | 1], [1: 0x3010, 4: 0x0102_0304_0506_0708])
        XCTAssertEqual(cpu.gpr[1], 0x3000); XCTAssertEqual(memory.load8(0x3000), 1); XCTAssertEqual(memory.load8(0x3007), 8)
        run([Encode.x(662, 4, 0, 5)], [4: 0x1122_3344, 5: 0x3100]); XCTAssertEqual(memory.load32(0x3100), 0x4433_2211)
        run([Encode.d(44, 4, 5, 0)], [4: 0xABCD_EF12, 5: 0x3200]); XCTAssertEqual(memory.load16(0x3200), 0xEF12)  // sth
        // lmw/stmw r29..r31.
        run([Encode.d(47, 29, 0, 0x3300)], [29: 1, 30: 2, 31: 0x1_0000_0003])
        XCTAssertEqual(memory.load32(0x3308), 3)
        run([Encode.d(46, 29, 0, 0x3300)], [29: 0, 30: 0, 31: 0]); XCTAssertEqual(cpu.gpr[31], 3)
        // dcbz zeroes the aligned 128-byte block.
        for i in 0..<16 { memory.store64(0x3400 + UInt64(8 * i), minus1) }
        run([Encode.x(1014, 0, 0, 4)], [4: 0x3433]); XCTAssertEqual(memory.load64(0x3400), 0); XCTAssertEqual(memory.load64(0x3478), 0)
    }

    func testReservations() {
        // lwarx then stwcx. to the same address succeeds (CR0 EQ); a second stwcx. fails.
        let lwarx = Encode.x(20, 3, 0, 4), stwcx = Encode.x(150, 5, 0, 4, rc: true)
        run([lwarx, stwcx], [4: 0x2000, 5: 42])
        XCTAssertEqual(memory.load32(0x2000), 42); XCTAssertEqual(cpu.crField(0), 0b0010)
        run([stwcx], [4: 0x2000, 5: 43])
        XCTAssertEqual(memory.load32(0x2000), 42); XCTAssertEqual(cpu.crField(0), 0)
        // ldarx/stdcx. at a different address than reserved fails.
        run([Encode.x(84, 3, 0, 4), Encode.x(214, 5, 0, 6, rc: true)], [4: 0x2000, 5: 7, 6: 0x2008])
        XCTAssertEqual(cpu.crField(0), 0); XCTAssertEqual(memory.load64(0x2008), 0)
    }

    // MARK: traps as values

    func testTrapsAreValues() {
        XCTAssertEqual(run([0]), .interrupt(.program(.illegalInstruction)))
        XCTAssertEqual(cpu.pc, 0x1000)
        // ld r3,0(r4) at an address past RAM: a fault value, PC unchanged.
        XCTAssertEqual(run([Encode.d(58, 3, 4, 0)], [4: 0x7FFF_0000_0000]),
                       .interrupt(.machineCheck(MemoryFault(address: 0x7FFF_0000_0000, size: 8, kind: .load))))
        XCTAssertEqual(cpu.pc, 0x1000)
        // An access straddling the end of RAM faults too.
        XCTAssertEqual(run([Encode.d(62, 3, 4, 0)], [4: (1 << 20) - 4]),
                       .interrupt(.machineCheck(MemoryFault(address: (1 << 20) - 4, size: 8, kind: .store))))
        XCTAssertEqual(run([0x4400_0022]), .systemCall(level: 1))
        XCTAssertEqual(cpu.pc, 0x1004)
        XCTAssertEqual(run([0x4400_0002]), .systemCall(level: 0))
        XCTAssertEqual(run([0x7FE0_0008]), .interrupt(.program(.trap)))          // tw 31,0,0
        // Division by zero does not trap the host.
        XCTAssertEqual(run([Encode.xo(491, 3, 4, 5), Encode.xo(457, 3, 4, 5)], [4: 1, 5: 0]), .instructionLimit)
    }

    func testSelfModifyingCodeIsSeen() {
        // Run "li r3,1" once, then overwrite it with "li r3,2" through a store and run it again.
        run([Encode.d(14, 3, 0, 1)])
        XCTAssertEqual(cpu.gpr[3], 1)
        cpu.gpr[4] = UInt64(Encode.d(14, 3, 0, 2))
        memory.store32(0x2000, Encode.d(36, 4, 0, 0x1000))   // stw r4,0x1000(0)
        cpu.pc = 0x2000
        interpreter.run(limit: 1)
        cpu.pc = 0x1000
        interpreter.run(limit: 1)
        XCTAssertEqual(cpu.gpr[3], 2)
    }

    func testDecodingIsUnambiguous() {
        for spec in InstructionTable.specs {
            // Rows with invalid register forms (lq: RT = RA) are probed with RT 2, RA 4, RB 6.
            var word = spec.invalidForms.isEmpty ? spec.match : spec.match | 2 << 21 | 4 << 16 | 6 << 11
            if spec.invalidForms.contains(.sprNotTimeBase) { word = spec.match | 12 << 16 | 8 << 11 }  // SPR 268
            XCTAssertEqual(Decoder.shared.decode(word), spec.op, spec.mnemonic)
            XCTAssertEqual(Decoder.shared.allMatches(word).count, 1, spec.mnemonic)
        }
    }

    // MARK: bpermd, lfiwax, lfiwzx

    func testBpermdGathersBitsByIndex() {
        // RS bytes are bit indexes into RB (bit 0 = most significant): 0, 1, 2, 3, 63, 64, 255, 7.
        // RB has bits 0, 1, 7 and 63 set. Indexes 64 and 255 select 0. Result bits, most
        // significant first: 1 1 0 0 1 0 0 1 = 0xC9 in the low byte, the rest 0.
        run([Encode.x(252, 3, 5, 4)], [3: 0x0001_0203_3F40_FF07, 4: 0xC100_0000_0000_0001, 5: 0xDEAD])
        XCTAssertEqual(cpu.gpr[5], 0xC9)
    }

    func testLfiwaxAndLfiwzxLoadAWordAsAnInteger() {
        memory.store32(0x2000, 0x8000_0001)
        run([Encode.x(855, 1, 0, 4), Encode.x(887, 2, 0, 4)], [4: 0x2000])
        XCTAssertEqual(cpu.fpr[1], 0xFFFF_FFFF_8000_0001)          // sign-extended
        XCTAssertEqual(cpu.fpr[2], 0x0000_0000_8000_0001)          // zero-extended
    }
}

import XCTest
import GuestMemory
import PowerISA

/// Encoders of the vector forms (Power ISA 3.0 Book I 1.6: VA, VX, VC, XX1, XX3, DQ, DS).
enum VEncode {
    static func vx(_ xo: UInt32, _ vrt: Int, _ vra: Int, _ vrb: Int) -> UInt32 {
        4 << 26 | UInt32(vrt) << 21 | UInt32(vra) << 16 | UInt32(vrb) << 11 | xo
    }
    static func va(_ xo: UInt32, _ vrt: Int, _ vra: Int, _ vrb: Int, _ vrc: Int) -> UInt32 {
        4 << 26 | UInt32(vrt) << 21 | UInt32(vra) << 16 | UInt32(vrb) << 11 | UInt32(vrc) << 6 | xo
    }
    static func vc(_ xo: UInt32, _ vrt: Int, _ vra: Int, _ vrb: Int, rc: Bool) -> UInt32 {
        vx(xo, vrt, vra, vrb) | (rc ? 0x400 : 0)
    }
    /// XX1 (and X-form vector loads with a 5-bit VRT: pass xt < 32).
    static func xx1(_ xo: UInt32, _ xt: Int, _ ra: Int, _ rb: Int, po: UInt32 = 31) -> UInt32 {
        po << 26 | UInt32(xt & 31) << 21 | UInt32(ra) << 16 | UInt32(rb) << 11 | xo << 1 | UInt32(xt >> 5)
    }
    static func xx3(_ xo: UInt32, _ xt: Int, _ xa: Int, _ xb: Int) -> UInt32 {
        60 << 26 | UInt32(xt & 31) << 21 | UInt32(xa & 31) << 16 | UInt32(xb & 31) << 11 | xo << 3
            | UInt32(xa >> 5) << 2 | UInt32(xb >> 5) << 1 | UInt32(xt >> 5)
    }
    static func xx2(_ xo: UInt32, _ xt: Int, _ xb: Int, uim: Int) -> UInt32 {
        60 << 26 | UInt32(xt & 31) << 21 | UInt32(uim) << 16 | UInt32(xb & 31) << 11 | xo << 2 | UInt32(xb >> 5) << 1 | UInt32(xt >> 5)
    }
    static func xxpermdi(_ xt: Int, _ xa: Int, _ xb: Int, dm: Int) -> UInt32 { xx3(10, xt, xa, xb) | UInt32(dm) << 8 }
    static func xxsldwi(_ xt: Int, _ xa: Int, _ xb: Int, shw: Int) -> UInt32 { xx3(2, xt, xa, xb) | UInt32(shw) << 8 }
    static func dq(_ xo: UInt32, _ xt: Int, _ ra: Int, _ dq: Int) -> UInt32 {
        61 << 26 | UInt32(xt & 31) << 21 | UInt32(ra) << 16 | UInt32(truncatingIfNeeded: dq) & 0xFFF0 | UInt32(xt >> 5) << 3 | xo
    }
    static func ds(_ po: UInt32, _ xo: UInt32, _ vrt: Int, _ ra: Int, _ ds: Int) -> UInt32 {
        po << 26 | UInt32(vrt) << 21 | UInt32(ra) << 16 | UInt32(truncatingIfNeeded: ds) & 0xFFFC | xo
    }
}

/// Vector and VSX semantics with expected values worked out by hand from the ISA's pseudocode
/// (big-endian element order: element 0 is the leftmost).
final class VectorSemanticsTests: InterpreterTestCase {
    let bytes0to15 = Vector128(high: 0x0001_0203_0405_0607, low: 0x0809_0A0B_0C0D_0E0F)
    let bytes16to31 = Vector128(high: 0x1011_1213_1415_1617, low: 0x1819_1A1B_1C1D_1E1F)

    override func setUpWithError() throws {
        try super.setUpWithError()
        cpu.msr = MSR.sf | MSR.fp | MSR.vec | MSR.vsx
    }

    @discardableResult
    func run(_ words: [UInt32], _ regs: [Int: UInt64] = [:], cr: UInt32 = 0) -> StopReason {
        execute(words, gprs: regs, cr: cr)
    }

    func storeBytes(_ address: UInt64, _ bytes: [UInt8]) {
        for (i, b) in bytes.enumerated() { memory.store8(address + UInt64(i), b) }
    }
    func loadBytes(_ address: UInt64, _ count: Int) -> [UInt8] {
        (0..<count).map { memory.load8(address + UInt64($0))! }
    }

    // MARK: State layout

    func testVSRsOverlayFPRsAndVRs() {
        cpu.fpr[3] = 0x1111
        cpu.vsr[3] = Vector128(high: 0xAAAA, low: 0xBBBB)
        XCTAssertEqual(cpu.fpr[3], 0xAAAA)        // VSR[3].dword[0] is FPR 3
        cpu.vr[5] = bytes0to15
        XCTAssertEqual(cpu.vsr[37], bytes0to15)   // VSR[37] is VR 5
        XCTAssertEqual(cpu[RegisterSlot.vr0 + 10], 0x0001_0203_0405_0607)
        XCTAssertEqual(bytes0to15.byte(0), 0x00)
        XCTAssertEqual(bytes0to15.byte(15), 0x0F)
        XCTAssertEqual(bytes0to15.word(1), 0x0405_0607)
        XCTAssertEqual(bytes0to15.element(3, bytes: 2), 0x0607)
    }

    // MARK: VMX loads and stores

    func testLvxIgnoresLowFourBitsAndStvxStoresBigEndian() {
        storeBytes(0x2000, (0..<16).map { UInt8($0) })
        run([Encode.x(103, 1, 0, 3)], [3: 0x2007])               // lvx v1,0,r3
        XCTAssertEqual(cpu.vr[1], bytes0to15)
        cpu.vr[2] = bytes16to31
        run([Encode.x(231, 2, 4, 5)], [4: 0x3000, 5: 9])          // stvx v2,r4,r5 → 0x3000
        XCTAssertEqual(loadBytes(0x3000, 16), (16..<32).map { UInt8($0) })
    }

    func testElementLoadsPlaceTheElementAtItsOffsetAndKeepTheRest() {
        storeBytes(0x2000, (0..<16).map { UInt8(0x40 + $0) })
        let fill = Vector128(high: 0xAAAA_AAAA_AAAA_AAAA, low: 0xAAAA_AAAA_AAAA_AAAA)
        cpu.vr[1] = fill; cpu.vr[2] = fill; cpu.vr[3] = fill
        run([Encode.x(7, 1, 0, 3),        // lvebx v1,0,r3   EA 0x2005: byte 5
             Encode.x(39, 2, 0, 4),       // lvehx v2,0,r4   EA 0x2007 → 0x2006: half 3
             Encode.x(71, 3, 0, 5)],      // lvewx v3,0,r5   EA 0x200B → 0x2008: word 2
            [3: 0x2005, 4: 0x2007, 5: 0x200B])
        XCTAssertEqual(cpu.vr[1], Vector128(high: 0xAAAA_AAAA_AA45_AAAA, low: 0xAAAA_AAAA_AAAA_AAAA))
        XCTAssertEqual(cpu.vr[2], Vector128(high: 0xAAAA_AAAA_AAAA_4647, low: 0xAAAA_AAAA_AAAA_AAAA))
        XCTAssertEqual(cpu.vr[3], Vector128(high: 0xAAAA_AAAA_AAAA_AAAA, low: 0x4849_4A4B_AAAA_AAAA))
    }

    func testElementStoresWriteOnlyTheirElement() {
        cpu.vr[4] = bytes0to15
        run([Encode.x(135, 4, 0, 3),      // stvebx v4,0,r3  EA 0x300E: byte 14
             Encode.x(167, 4, 0, 5),      // stvehx v4,0,r5  EA 0x3103 → 0x3102: half 1 = 02 03
             Encode.x(199, 4, 0, 6)],     // stvewx v4,0,r6  EA 0x320D → 0x320C: word 3
            [3: 0x300E, 5: 0x3103, 6: 0x320D])
        XCTAssertEqual(loadBytes(0x300D, 3), [0, 0x0E, 0])
        XCTAssertEqual(loadBytes(0x3101, 4), [0, 0x02, 0x03, 0])
        XCTAssertEqual(loadBytes(0x320B, 6), [0, 0x0C, 0x0D, 0x0E, 0x0F, 0])
    }

    func testLvslAndLvsr() {
        run([Encode.x(6, 1, 3, 4), Encode.x(38, 2, 3, 4)], [3: 0x1000, 4: 3])  // sh = 3
        XCTAssertEqual(cpu.vr[1], Vector128(high: 0x0304_0506_0708_090A, low: 0x0B0C_0D0E_0F10_1112))
        XCTAssertEqual(cpu.vr[2], Vector128(high: 0x0D0E_0F10_1112_1314, low: 0x1516_1718_191A_1B1C))
    }

    func testVSCRMovesAndStickySaturation() {
        cpu.vr[1] = Vector128(high: 0xFFFF_FFFF_FFFF_FFFF, low: 0x0001_0001_0000_0001)
        run([VEncode.vx(1604, 0, 0, 1),   // mtvscr v1: VSCR = word 3 = 0x00000001 (SAT)
             VEncode.vx(1540, 2, 0, 0)])  // mfvscr v2
        XCTAssertEqual(cpu.vscr, 1)
        XCTAssertEqual(cpu.vr[2], Vector128(high: 0, low: 1))
        // SAT stays set across a saturating add that does not saturate; NJ is kept as written.
        cpu.vscr = 0x0001_0001
        cpu.vr[3] = .zero
        run([VEncode.vx(512, 4, 3, 3)])   // vaddubs v4,v3,v3
        XCTAssertEqual(cpu.vscr, 0x0001_0001)
    }

    // MARK: Logical and permutes

    func testLogicalAndSelect() {
        cpu.vr[1] = Vector128(high: 0xFF00_FF00_0000_FFFF, low: 0x0F0F_0F0F_0F0F_0F0F)
        cpu.vr[2] = Vector128(high: 0x0FF0_0FF0_FFFF_0000, low: 0x00FF_00FF_00FF_00FF)
        cpu.vr[3] = Vector128(high: 0xFFFF_0000_FFFF_0000, low: 0x0000_0000_FFFF_FFFF)
        run([VEncode.vx(1028, 10, 1, 2),       // vand
             VEncode.vx(1092, 11, 1, 2),       // vandc
             VEncode.vx(1348, 12, 1, 2),       // vorc
             VEncode.vx(1412, 13, 1, 2),       // vnand
             VEncode.vx(1668, 14, 1, 2),       // veqv
             VEncode.va(42, 15, 1, 2, 3)])     // vsel v15,v1,v2,v3
        XCTAssertEqual(cpu.vr[10], Vector128(high: 0x0F00_0F00_0000_0000, low: 0x000F_000F_000F_000F))
        XCTAssertEqual(cpu.vr[11], Vector128(high: 0xF000_F000_0000_FFFF, low: 0x0F00_0F00_0F00_0F00))
        XCTAssertEqual(cpu.vr[12], Vector128(high: 0xFF0F_FF0F_0000_FFFF, low: 0xFF0F_FF0F_FF0F_FF0F))
        XCTAssertEqual(cpu.vr[13], Vector128(high: 0xF0FF_F0FF_FFFF_FFFF, low: 0xFFF0_FFF0_FFF0_FFF0))
        XCTAssertEqual(cpu.vr[14], Vector128(high: 0x0F0F_0F0F_0000_0000, low: 0xF00F_F00F_F00F_F00F))
        // vsel: VRB's bits where VRC is 1, VRA's elsewhere.
        XCTAssertEqual(cpu.vr[15], Vector128(high: 0x0FF0_FF00_FFFF_FFFF, low: 0x0F0F_0F0F_00FF_00FF))
    }

    func testPermutes() {
        cpu.vr[1] = bytes0to15
        cpu.vr[2] = bytes16to31
        // Control: indexes 31, 0, 17, 2 … (only bits 3:7 of each byte count: 0xE0 | 1 is 1).
        cpu.vr[3] = Vector128(high: 0x1F00_1102_E104_0506, low: 0x1A1B_0908_FFF0_0010)
        run([VEncode.va(43, 4, 1, 2, 3),      // vperm v4,v1,v2,v3
             VEncode.va(59, 5, 1, 2, 3),      // vpermr v5,v1,v2,v3: index 31 - i
             VEncode.va(44, 6, 1, 2, 0) | 5 << 6])  // vsldoi v6,v1,v2,5
        XCTAssertEqual(cpu.vr[4], Vector128(high: 0x1F00_1102_0104_0506, low: 0x1A1B_0908_1F10_0010))
        XCTAssertEqual(cpu.vr[5], Vector128(high: 0x001F_0E1D_1E1B_1A19, low: 0x0504_1617_000F_1F0F))
        XCTAssertEqual(cpu.vr[6], Vector128(high: 0x0506_0708_090A_0B0C, low: 0x0D0E_0F10_1112_1314))
    }

    func testSplatsAndMerges() {
        cpu.vr[1] = bytes0to15
        cpu.vr[2] = bytes16to31
        run([VEncode.vx(524, 3, 13, 1),       // vspltb v3,v1,13
             VEncode.vx(588, 4, 6, 1),        // vsplth v4,v1,6
             VEncode.vx(652, 5, 2, 1),        // vspltw v5,v1,2
             VEncode.vx(780, 6, 0x1F, 0),     // vspltisb v6,-1
             VEncode.vx(844, 7, 0x10, 0),     // vspltish v7,-16
             VEncode.vx(908, 8, 15, 0),       // vspltisw v8,15
             VEncode.vx(12, 9, 1, 2),         // vmrghb
             VEncode.vx(332, 10, 1, 2),       // vmrglh
             VEncode.vx(140, 11, 1, 2)])      // vmrghw
        XCTAssertEqual(cpu.vr[3], Vector128(high: 0x0D0D_0D0D_0D0D_0D0D, low: 0x0D0D_0D0D_0D0D_0D0D))
        XCTAssertEqual(cpu.vr[4], Vector128(high: 0x0C0D_0C0D_0C0D_0C0D, low: 0x0C0D_0C0D_0C0D_0C0D))
        XCTAssertEqual(cpu.vr[5], Vector128(high: 0x0809_0A0B_0809_0A0B, low: 0x0809_0A0B_0809_0A0B))
        XCTAssertEqual(cpu.vr[6], Vector128(high: .max, low: .max))
        XCTAssertEqual(cpu.vr[7], Vector128(high: 0xFFF0_FFF0_FFF0_FFF0, low: 0xFFF0_FFF0_FFF0_FFF0))
        XCTAssertEqual(cpu.vr[8], Vector128(high: 0x0000_000F_0000_000F, low: 0x0000_000F_0000_000F))
        XCTAssertEqual(cpu.vr[9], Vector128(high: 0x0010_0111_0212_0313, low: 0x0414_0515_0616_0717))
        XCTAssertEqual(cpu.vr[10], Vector128(high: 0x0809_1819_0A0B_1A1B, low: 0x0C0D_1C1D_0E0F_1E1F))
        XCTAssertEqual(cpu.vr[11], Vector128(high: 0x0001_0203_1011_1213, low: 0x0405_0607_1415_1617))
    }

    func testWholeRegisterShifts() {
        cpu.vr[1] = bytes0to15
        cpu.vr[2] = Vector128(high: 0, low: 0x18)      // byte 15 = 0x18: 3 octets, 0 bits
        cpu.vr[3] = Vector128(high: 0, low: 0x03)      // 3 bits
        run([VEncode.vx(1036, 4, 1, 2),                // vslo
             VEncode.vx(1100, 5, 1, 2),                // vsro
             VEncode.vx(452, 6, 1, 3),                 // vsl
             VEncode.vx(708, 7, 1, 3)])                // vsr
        XCTAssertEqual(cpu.vr[4], Vector128(high: 0x0304_0506_0708_090A, low: 0x0B0C_0D0E_0F00_0000))
        XCTAssertEqual(cpu.vr[5], Vector128(high: 0x0000_0000_0102_0304, low: 0x0506_0708_090A_0B0C))
        XCTAssertEqual(cpu.vr[6], Vector128(high: 0x0008_1018_2028_3038, low: 0x4048_5058_6068_7078))
        XCTAssertEqual(cpu.vr[7], Vector128(high: 0x0000_2040_6080_A0C0, low: 0xE101_2141_6181_A1C1))
    }

    // MARK: Integer arithmetic

    func testModuloAddAndSubtract() {
        cpu.vr[1] = Vector128(high: 0xFF01_FFFF_FFFF_FFFF, low: 0x7FFF_FFFF_0000_0001)
        cpu.vr[2] = Vector128(high: 0x0102_0001_0000_0001, low: 0x0000_0001_FFFF_FFFF)
        run([VEncode.vx(0, 3, 1, 2),          // vaddubm
             VEncode.vx(64, 4, 1, 2),         // vadduhm
             VEncode.vx(192, 5, 1, 2),        // vaddudm
             VEncode.vx(1152, 6, 1, 2),       // vsubuwm
             VEncode.vx(384, 7, 1, 2),        // vaddcuw
             VEncode.vx(1408, 8, 1, 2)])      // vsubcuw
        XCTAssertEqual(cpu.vr[3], Vector128(high: 0x0003_FF00_FFFF_FF00, low: 0x7FFF_FF00_FFFF_FF00))
        XCTAssertEqual(cpu.vr[4], Vector128(high: 0x0003_0000_FFFF_0000, low: 0x7FFF_0000_FFFF_0000))
        XCTAssertEqual(cpu.vr[5], Vector128(high: 0x0004_0001_0000_0000, low: 0x8000_0001_0000_0000))
        XCTAssertEqual(cpu.vr[6], Vector128(high: 0xFDFF_FFFE_FFFF_FFFE, low: 0x7FFF_FFFE_0000_0002))
        // Carry out of each word: FF01FFFF+01020001 carries, FFFFFFFF+00000001 carries,
        // 7FFFFFFF+00000001 does not, 00000001+FFFFFFFF carries.
        XCTAssertEqual(cpu.vr[7], Vector128(high: 0x0000_0001_0000_0001, low: 0x0000_0000_0000_0001))
        // No borrow (VRA >= VRB unsigned): yes, yes, yes, no.
        XCTAssertEqual(cpu.vr[8], Vector128(high: 0x0000_0001_0000_0001, low: 0x0000_0001_0000_0000))
    }

    func testSaturatingArithmeticSetsSAT() {
        cpu.vr[1] = Vector128(high: 0xF010_7F80_0000_0000, low: 0x7FFF_8000_0000_0001)
        cpu.vr[2] = Vector128(high: 0x2020_01FF_0000_0000, low: 0x0001_FFFF_0000_0002)
        run([VEncode.vx(512, 3, 1, 2)])       // vaddubs: F0+20 → FF (saturates), 10+20 = 30…
        XCTAssertEqual(cpu.vr[3], Vector128(high: 0xFF30_80FF_0000_0000, low: 0x7FFF_FFFF_0000_0003))
        XCTAssertEqual(cpu.vscr & 1, 1)
        cpu.vscr = 0
        run([VEncode.vx(768, 4, 1, 2)])       // vaddsbs: 7F+01 → 7F, 80+FF (-128-1) → 80
        XCTAssertEqual(cpu.vr[4], Vector128(high: 0x1030_7F80_0000_0000, low: 0x7F00_80FF_0000_0003))
        XCTAssertEqual(cpu.vscr & 1, 1)
        cpu.vscr = 0
        run([VEncode.vx(832, 5, 1, 2)])       // vaddshs: 7FFF+0001 → 7FFF, 8000+FFFF → 8000
        XCTAssertEqual(cpu.vr[5], Vector128(high: 0x1030_7FFF_0000_0000, low: 0x7FFF_8000_0000_0003))
        XCTAssertEqual(cpu.vscr & 1, 1)
        cpu.vscr = 0
        run([VEncode.vx(1664, 6, 1, 2)])      // vsubuws: words clamp at 0
        XCTAssertEqual(cpu.vr[6], Vector128(high: 0xCFF0_7D81_0000_0000, low: 0x7FFD_8001_0000_0000))
        XCTAssertEqual(cpu.vscr & 1, 1)
        cpu.vscr = 0
        run([VEncode.vx(1920, 7, 1, 2)])      // vsubsws: F0107F80 - 202001FF = CFF07D81 (no overflow)…
        XCTAssertEqual(cpu.vr[7], Vector128(high: 0xCFF0_7D81_0000_0000, low: 0x7FFD_8001_FFFF_FFFF))
        XCTAssertEqual(cpu.vscr & 1, 0)
        cpu.vr[8] = Vector128(high: 0x8000_0000_7FFF_FFFF, low: 0)
        cpu.vr[9] = Vector128(high: 0x0000_0001_FFFF_FFFF, low: 0)
        run([VEncode.vx(1920, 10, 8, 9)])     // vsubsws: INT_MIN - 1 → INT_MIN, INT_MAX - (-1) → INT_MAX
        XCTAssertEqual(cpu.vr[10], Vector128(high: 0x8000_0000_7FFF_FFFF, low: 0))
        XCTAssertEqual(cpu.vscr & 1, 1)
    }

    func testQuadwordArithmetic() {
        cpu.vr[1] = Vector128(high: 0, low: .max)
        cpu.vr[2] = Vector128(high: 0, low: 1)
        cpu.vr[3] = Vector128(high: .max, low: .max)
        cpu.vr[4] = .zero
        run([VEncode.vx(256, 10, 1, 2),       // vadduqm: carry into dword 0
             VEncode.vx(320, 11, 3, 2),       // vaddcuq: all ones + 1 carries out
             VEncode.vx(1280, 12, 4, 2),      // vsubuqm: 0 - 1 = all ones
             VEncode.vx(1344, 13, 4, 2),      // vsubcuq: 0 - 1 borrows: carry 0
             VEncode.vx(1344, 14, 2, 2),      // vsubcuq: 1 - 1: carry 1
             VEncode.va(60, 15, 1, 4, 2),     // vaddeuqm v15,v1,v4,v2: max64 + 0 + 1
             VEncode.va(63, 16, 4, 4, 4)])    // vsubecuq: 0 + ~0 + 0: no carry
        XCTAssertEqual(cpu.vr[10], Vector128(high: 1, low: 0))
        XCTAssertEqual(cpu.vr[11], Vector128(high: 0, low: 1))
        XCTAssertEqual(cpu.vr[12], Vector128(high: .max, low: .max))
        XCTAssertEqual(cpu.vr[13], .zero)
        XCTAssertEqual(cpu.vr[14], Vector128(high: 0, low: 1))
        XCTAssertEqual(cpu.vr[15], Vector128(high: 1, low: 0))
        XCTAssertEqual(cpu.vr[16], .zero)
    }

    func testComparesAndCR6() {
        cpu.vr[1] = bytes0to15
        cpu.vr[2] = bytes16to31
        cpu.vr[3] = Vector128(high: 0x0001_0203_0405_0607, low: 0x0809_0A0B_0C0D_0EFF)
        run([VEncode.vc(6, 4, 1, 1, rc: true)], cr: 0xFFFF_FFFF)     // vcmpequb. equal everywhere
        XCTAssertEqual(cpu.vr[4], Vector128(high: .max, low: .max))
        XCTAssertEqual(cpu.crField(6), 0b1000)
        XCTAssertEqual(cpu.cr & ~0xF0, 0xFFFF_FF0F)                   // the other fields untouched
        run([VEncode.vc(6, 4, 1, 2, rc: true)])                      // nowhere
        XCTAssertEqual(cpu.vr[4], .zero)
        XCTAssertEqual(cpu.crField(6), 0b0010)
        run([VEncode.vc(6, 4, 1, 3, rc: true)])                      // all but byte 15
        XCTAssertEqual(cpu.vr[4], Vector128(high: .max, low: 0xFFFF_FFFF_FFFF_FF00))
        XCTAssertEqual(cpu.crField(6), 0)
        run([VEncode.vc(6, 4, 1, 2, rc: false)], cr: 0x1234_5678)     // Rc = 0: CR unchanged
        XCTAssertEqual(cpu.cr, 0x1234_5678)
        // Signed versus unsigned: 0xFF is 255 unsigned, -1 signed.
        run([VEncode.vc(518, 5, 3, 1, rc: false),                     // vcmpgtub
             VEncode.vc(774, 6, 3, 1, rc: false)])                    // vcmpgtsb
        XCTAssertEqual(cpu.vr[5], Vector128(high: 0, low: 0xFF))
        XCTAssertEqual(cpu.vr[6], .zero)
        cpu.vr[7] = Vector128(high: 0x0000_0001_0000_0000, low: 0x0005_0000_0000_0006)
        cpu.vr[8] = Vector128(high: 0x0000_0001_0000_0003, low: 0x0005_0000_0000_0007)
        run([VEncode.vc(327, 9, 7, 8, rc: false),                     // vcmpnezh: ne, or either zero
             VEncode.vc(71, 10, 7, 8, rc: false),                     // vcmpneh
             VEncode.vc(199, 11, 7, 8, rc: true)])                    // vcmpequd.
        XCTAssertEqual(cpu.vr[9], Vector128(high: 0xFFFF_0000_FFFF_FFFF, low: 0x0000_FFFF_FFFF_FFFF))
        XCTAssertEqual(cpu.vr[10], Vector128(high: 0x0000_0000_0000_FFFF, low: 0x0000_0000_0000_FFFF))
        XCTAssertEqual(cpu.vr[11], .zero)
        XCTAssertEqual(cpu.crField(6), 0b0010)
    }

    func testMaxMin() {
        cpu.vr[1] = Vector128(high: 0x8000_0000_0000_0001, low: 0x7F00_FFFF_0000_0005)
        cpu.vr[2] = Vector128(high: 0x0000_0000_0000_0002, low: 0x8100_0001_0000_0004)
        run([VEncode.vx(194, 3, 1, 2),        // vmaxud
             VEncode.vx(450, 4, 1, 2),        // vmaxsd
             VEncode.vx(770, 5, 1, 2),        // vminsb
             VEncode.vx(642, 6, 1, 2)])       // vminuw
        XCTAssertEqual(cpu.vr[3], Vector128(high: 0x8000_0000_0000_0001, low: 0x8100_0001_0000_0004))
        XCTAssertEqual(cpu.vr[4], Vector128(high: 0x0000_0000_0000_0002, low: 0x7F00_FFFF_0000_0005))
        XCTAssertEqual(cpu.vr[5], Vector128(high: 0x8000_0000_0000_0001, low: 0x8100_FFFF_0000_0004))
        XCTAssertEqual(cpu.vr[6], Vector128(high: 0x0000_0000_0000_0001, low: 0x7F00_FFFF_0000_0004))
    }

    func testElementRotatesAndShifts() {
        cpu.vr[1] = Vector128(high: 0x8101_F00F_8000_7FFF, low: 0x1234_5678_9ABC_DEF0)
        cpu.vr[2] = Vector128(high: 0x0109_0407_0103_0801, low: 0x0000_0004_0000_0021)  // counts
        run([VEncode.vx(4, 3, 1, 2),          // vrlb: counts mod 8
             VEncode.vx(388, 4, 1, 2),        // vslw: mod 32
             VEncode.vx(836, 5, 1, 2),        // vsrah: mod 16, sign copies
             VEncode.vx(1732, 6, 1, 2)])      // vsrd: mod 64
        XCTAssertEqual(cpu.vr[3], Vector128(high: 0x0302_0F87_0100_7FFF, low: 0x1234_5687_9ABC_DEE1))
        XCTAssertEqual(cpu.vr[4], Vector128(high: 0x80F8_0780_0000_FFFE, low: 0x2345_6780_3579_BDE0))
        XCTAssertEqual(cpu.vr[5], Vector128(high: 0xFFC0_FFE0_F000_3FFF, low: 0x1234_0567_9ABC_EF78))
        XCTAssertEqual(cpu.vr[6], Vector128(high: 0x4080_F807_C000_3FFF, low: 0x0000_0000_091A_2B3C))
    }

    func testCountsAndBitPermute() {
        cpu.vr[1] = Vector128(high: 0x8101_F00F_8000_7FFF, low: 0x1234_5678_9ABC_DEF0)
        run([VEncode.vx(1794, 3, 0, 1),       // vclzb
             VEncode.vx(1923, 4, 0, 1),       // vpopcntw
             VEncode.vx(1986, 5, 0, 1)])      // vclzd
        XCTAssertEqual(cpu.vr[3], Vector128(high: 0x0007_0004_0008_0100, low: 0x0302_0101_0000_0000))
        XCTAssertEqual(cpu.vr[4], Vector128(high: 0x0000_000B_0000_0010, low: 0x0000_000D_0000_0013))
        XCTAssertEqual(cpu.vr[5], Vector128(high: 0, low: 3))
        // vbpermq: bit VRB.byte[i] of VRA (indexes 128 and up give 0) into bit 48 + i.
        cpu.vr[6] = bytes0to15
        cpu.vr[7] = Vector128(high: 0x0007_0F7F_80FF_3F40, low: 0x447E_787C_0E7F_8016)
        run([VEncode.vx(1356, 8, 6, 7)])
        XCTAssertEqual(cpu.vr[8], Vector128(high: 0x32D5, low: 0))
    }

    func testSumsAcross() {
        cpu.vr[1] = Vector128(high: 0xFFFF_FFFF_8080_8080, low: 0x7F7F_7F7F_0102_0304)
        cpu.vr[2] = Vector128(high: 0xFFFF_FF00_7FFF_FFF0, low: 0x0000_0001_8000_0000)
        run([VEncode.vx(1544, 3, 1, 2)])      // vsum4ubs: word 0 saturates at 0xFFFFFFFF
        XCTAssertEqual(cpu.vr[3], Vector128(high: 0xFFFF_FFFF_8000_01F0, low: 0x0000_01FD_8000_000A))
        XCTAssertEqual(cpu.vscr & 1, 1)
        cpu.vscr = 0
        run([VEncode.vx(1800, 4, 1, 2),       // vsum4sbs
             VEncode.vx(1928, 5, 1, 2),       // vsumsws
             VEncode.vx(1672, 6, 1, 2)])      // vsum2sws
        XCTAssertEqual(cpu.vr[4], Vector128(high: 0xFFFF_FEFC_7FFF_FDF0, low: 0x0000_01FD_8000_000A))
        XCTAssertEqual(cpu.vr[5], Vector128(high: 0, low: 0x8102_0302))
        XCTAssertEqual(cpu.vr[6], Vector128(high: 0x0080_806F, low: 0x0081_8283))
        XCTAssertEqual(cpu.vscr & 1, 0)
        cpu.vr[7] = Vector128(splat: 0x7FFF_FFFF, bytes: 4)
        run([VEncode.vx(1928, 8, 7, 7)])      // vsumsws: 5 × INT_MAX clamps to INT_MAX
        XCTAssertEqual(cpu.vr[8], Vector128(high: 0, low: 0x7FFF_FFFF))
        XCTAssertEqual(cpu.vscr & 1, 1)
    }

    // MARK: VSX

    func testVSXLoadsAndStores() {
        storeBytes(0x2003, (0..<16).map { UInt8($0) })
        run([VEncode.xx1(844, 33, 0, 3),                 // lxvd2x vs33,0,r3 (unaligned)
             VEncode.xx1(908, 33, 4, 5),                 // stxvw4x vs33,r4,r5
             VEncode.dq(1, 40, 6, -16),                  // lxv vs40,-16(r6)
             VEncode.dq(5, 2, 6, 32)],                   // stxv vs2,32(r6)
            [3: 0x2003, 4: 0x3000, 5: 1, 6: 0x2013])
        XCTAssertEqual(cpu.vr[1], bytes0to15)            // VSR 33 is VR 1
        XCTAssertEqual(loadBytes(0x3001, 16), (0..<16).map { UInt8($0) })
        XCTAssertEqual(cpu.vr[8], bytes0to15)
        cpu.vsr[2] = bytes16to31
        run([VEncode.dq(5, 2, 6, 32)], [6: 0x2013])
        XCTAssertEqual(loadBytes(0x2033, 16), (16..<32).map { UInt8($0) })
    }

    func testScalarVSXLoadsAndStores() {
        storeBytes(0x2000, [0x3F, 0x80, 0, 0, 0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18])
        cpu.vr[3] = Vector128(high: 1, low: 2)
        cpu.vsr[5] = Vector128(high: 7, low: 0x5555)
        run([VEncode.ds(57, 3, 1, 3, 0),      // lxssp v1,0(r3): 1.0f as a double
             VEncode.ds(57, 2, 2, 3, 4),      // lxsd v2,4(r3)
             VEncode.ds(61, 2, 2, 3, 16),     // stxsd v2,16(r3)
             VEncode.ds(61, 3, 1, 3, 24),     // stxssp v1,24(r3)
             VEncode.xx1(588, 5, 0, 4)],      // lxsdx vs5,0,r4
            [3: 0x2000, 4: 0x2004])
        XCTAssertEqual(cpu.vr[1], Vector128(high: 0x3FF0_0000_0000_0000, low: 0))
        XCTAssertEqual(cpu.vr[2], Vector128(high: 0x4009_21FB_5444_2D18, low: 0))
        XCTAssertEqual(loadBytes(0x2010, 8), [0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18])
        XCTAssertEqual(loadBytes(0x2018, 4), [0x3F, 0x80, 0, 0])
        XCTAssertEqual(cpu.vsr[5], Vector128(high: 0x4009_21FB_5444_2D18, low: 0x5555))  // dword[1] kept
        XCTAssertEqual(cpu.fpr[5], 0x4009_21FB_5444_2D18)
    }

    func testVSXLogicalPermuteAndSplat() {
        cpu.vsr[1] = bytes0to15
        cpu.vsr[34] = bytes16to31
        cpu.vsr[3] = Vector128(high: 0xFFFF_FFFF_0000_0000, low: 0x0000_0000_FFFF_FFFF)
        run([VEncode.xx3(154, 10, 1, 34),                // xxlxor vs10,vs1,vs34
             VEncode.xxpermdi(11, 1, 34, dm: 1),         // dword[0] of vs1, dword[1] of vs34
             VEncode.xxpermdi(12, 1, 1, dm: 2),          // xxswapd
             VEncode.xxsldwi(13, 1, 34, shw: 3),
             VEncode.xx2(164, 14, 1, uim: 2),             // xxspltw vs14,vs1,2
             VEncode.xx1(360, 47, 0, 0, po: 60) | 0xAB << 11,  // xxspltib vs47,171
             60 << 26 | 15 << 21 | 1 << 16 | 34 << 11 & 0xF800 | 3 << 6 | 3 << 4 | 2])  // xxsel vs15,vs1,vs34,vs3
        XCTAssertEqual(cpu.vsr[10], Vector128(high: 0x1010_1010_1010_1010, low: 0x1010_1010_1010_1010))
        XCTAssertEqual(cpu.vsr[11], Vector128(high: 0x0001_0203_0405_0607, low: 0x1819_1A1B_1C1D_1E1F))
        XCTAssertEqual(cpu.vsr[12], Vector128(high: 0x0809_0A0B_0C0D_0E0F, low: 0x0001_0203_0405_0607))
        XCTAssertEqual(cpu.vsr[13], Vector128(high: 0x0C0D_0E0F_1011_1213, low: 0x1415_1617_1819_1A1B))
        XCTAssertEqual(cpu.vsr[14], Vector128(high: 0x0809_0A0B_0809_0A0B, low: 0x0809_0A0B_0809_0A0B))
        XCTAssertEqual(cpu.vr[15], Vector128(splatByte: 0xAB))
        XCTAssertEqual(cpu.vsr[15], Vector128(high: 0x1011_1213_0405_0607, low: 0x0809_0A0B_1C1D_1E1F))
    }

    func testWordMergesBytePermutesAndSplattingLoads() {
        cpu.vsr[1] = bytes0to15
        cpu.vsr[34] = bytes16to31
        cpu.vsr[5] = bytes16to31                       // xxperm's second source is XT itself
        cpu.vsr[3] = Vector128(high: 0x1F00_1102_E104_0506, low: 0x1A1B_0908_FFF0_0010)
        storeBytes(0x2000, [0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x23, 0x45, 0x67])
        run([VEncode.xx3(18, 10, 1, 34),               // xxmrghw vs10,vs1,vs34
             VEncode.xx3(50, 11, 1, 34),               // xxmrglw vs11,vs1,vs34
             VEncode.xx3(26, 5, 1, 3),                 // xxperm vs5,vs1,vs3
             VEncode.xx1(364, 40, 0, 4),               // lxvwsx vs40,0,r4
             VEncode.xx1(332, 6, 0, 4)],               // lxvdsx vs6,0,r4
            [4: 0x2000])
        XCTAssertEqual(cpu.vsr[10], Vector128(high: 0x0001_0203_1011_1213, low: 0x0405_0607_1415_1617))
        XCTAssertEqual(cpu.vsr[11], Vector128(high: 0x0809_0A0B_1819_1A1B, low: 0x0C0D_0E0F_1C1D_1E1F))
        // The same control as testPermutes' vperm, so the same bytes.
        XCTAssertEqual(cpu.vsr[5], Vector128(high: 0x1F00_1102_0104_0506, low: 0x1A1B_0908_1F10_0010))
        XCTAssertEqual(cpu.vr[8], Vector128(high: 0xDEAD_BEEF_DEAD_BEEF, low: 0xDEAD_BEEF_DEAD_BEEF))
        XCTAssertEqual(cpu.vsr[6], Vector128(high: 0xDEAD_BEEF_0123_4567, low: 0xDEAD_BEEF_0123_4567))
    }

    func testMovesBetweenGPRsAndVSRs() {
        cpu.vsr[4] = Vector128(high: 0x1111_2222_3333_4444, low: 0x5555_6666_7777_8888)
        cpu.vsr[40] = Vector128(high: 0xAAAA, low: 0xBBBB)
        run([VEncode.xx1(51, 4, 3, 0),         // mfvsrd r3,vs4
             VEncode.xx1(115, 4, 5, 0),        // mfvsrwz r5,vs4
             VEncode.xx1(307, 4, 6, 0),        // mfvsrld r6,vs4
             VEncode.xx1(211, 40, 7, 0),       // mtvsrwa vs40,r7: dword[1] kept
             VEncode.xx1(435, 41, 0, 8),       // mtvsrdd vs41,0,r8
             VEncode.xx1(403, 42, 7, 0),       // mtvsrws vs42,r7
             VEncode.xx1(179, 1, 8, 0)],       // mtvsrd vs1,r8 (FPR 1)
            [7: 0xFFFF_FFFF_8000_0001, 8: 0x0123_4567_89AB_CDEF])
        XCTAssertEqual(cpu.gpr[3], 0x1111_2222_3333_4444)
        XCTAssertEqual(cpu.gpr[5], 0x3333_4444)
        XCTAssertEqual(cpu.gpr[6], 0x5555_6666_7777_8888)
        XCTAssertEqual(cpu.vsr[40], Vector128(high: 0xFFFF_FFFF_8000_0001, low: 0xBBBB))
        XCTAssertEqual(cpu.vsr[41], Vector128(high: 0, low: 0x0123_4567_89AB_CDEF))
        XCTAssertEqual(cpu.vsr[42], Vector128(high: 0x8000_0001_8000_0001, low: 0x8000_0001_8000_0001))
        XCTAssertEqual(cpu.fpr[1], 0x0123_4567_89AB_CDEF)
    }

    func testFPRWritesZeroTheLowDoubleword() {
        cpu.vsr[2] = Vector128(high: 0, low: 0x1234)
        cpu.vsr[3] = Vector128(high: 0x3FF0_0000_0000_0000, low: 0x5678)
        memory.store64(0x2000, 0x4000_0000_0000_0000)
        XCTAssertEqual(run([Encode.d(50, 2, 4, 0),             // lfd f2,0(r4)
                            63 << 26 | 3 << 21 | 2 << 11 | 72 << 1],  // fmr f3,f2
                           [4: 0x2000]), .instructionLimit)
        XCTAssertEqual(cpu.vsr[2], Vector128(high: 0x4000_0000_0000_0000, low: 0))
        XCTAssertEqual(cpu.vsr[3], Vector128(high: 0x4000_0000_0000_0000, low: 0))
    }

    // MARK: Facility availability (Book III 6.5.19, 6.5.20)

    // MARK: Second slice: VSX floating point, VMX integer

    func testVSXScalarArithmeticIsTheFPUs() {
        let one = 0x3FF0_0000_0000_0000 as UInt64, two = 0x4000_0000_0000_0000 as UInt64, three = 0x4008_0000_0000_0000 as UInt64
        cpu.vsr[2] = Vector128(high: two, low: 0x1111)
        cpu.vsr[3] = Vector128(high: three, low: 0x2222)
        cpu.vsr[1] = Vector128(high: one, low: 0x3333)
        run([VEncode.xx3(32, 4, 2, 3)])       // xsadddp: 2 + 3 = 5, dword 1 = 0, FPRF "+normal"
        XCTAssertEqual(cpu.vsr[4], Vector128(high: 0x4014_0000_0000_0000, low: 0))
        XCTAssertEqual((cpu.fpscr >> 12) & 0x1F, 0x04)
        run([VEncode.xx3(33, 1, 2, 3)])       // xsmaddadp: XT = XA × XB + XT = 2 × 3 + 1 = 7
        XCTAssertEqual(cpu.vsr[1].high, 0x401C_0000_0000_0000)
        cpu.vsr[1] = Vector128(high: one, low: 0)
        run([VEncode.xx3(41, 1, 2, 3)])       // xsmaddmdp: XT = XA × XT + XB = 2 × 1 + 3 = 5
        XCTAssertEqual(cpu.vsr[1].high, 0x4014_0000_0000_0000)
        cpu.vsr[5] = Vector128(high: 0xBFF8_0000_0000_0000, low: 0)   // -1.5
        run([VEncode.xx2(88, 6, 5, uim: 0)])  // xscvdpsxws: -1 in word 1, copied into word 0; inexact
        XCTAssertEqual(cpu.vsr[6], Vector128(high: 0xFFFF_FFFF_FFFF_FFFF, low: 0))
        XCTAssertEqual(cpu.fpscr & (FPSCR.xx | FPSCR.fi), FPSCR.xx | FPSCR.fi)
    }

    func testVSXVectorCompareSetsCR6AndLeavesFPRF() {
        cpu.fpscr = 0
        cpu.vsr[2] = Vector128(high: 0x3FF0_0000_0000_0000, low: 0x7FF8_0000_0000_0000)  // 1.0, QNaN
        cpu.vsr[3] = Vector128(high: 0x3FF0_0000_0000_0000, low: 0x3FF0_0000_0000_0000)
        run([VEncode.xx3(99, 1, 2, 3) | 0x400])    // xvcmpeqdp.: true, false (NaN) → CR6 = 0
        XCTAssertEqual(cpu.vsr[1], Vector128(high: .max, low: 0))
        XCTAssertEqual((cpu.cr >> 4) & 0xF, 0)
        XCTAssertEqual(cpu.fpscr, 0, "a quiet NaN in an unordered compare raises nothing")
        run([VEncode.xx3(107, 1, 2, 3)])          // xvcmpgtdp: ordered, so the QNaN is VXVC; no FPCC
        XCTAssertEqual(cpu.fpscr, FPSCR.fx | FPSCR.vx | FPSCR.vxvc)
    }

    func testVectorFloatToIntegerFollowsQEMUElementOrder() {
        // qemu-ppc64 gives every element after an invalid one the NaN value (0x80000000).
        cpu.vsr[2] = Vector128(high: 0x7FF8_0000_0000_0000, low: 0x4000_0000_0000_0000)  // NaN, 2.0
        run([VEncode.xx2(216, 1, 2, uim: 0)])     // xvcvdpsxws
        XCTAssertEqual(cpu.vsr[1], Vector128(high: 0x8000_0000_8000_0000, low: 0x8000_0000_8000_0000))
        cpu.vsr[2] = Vector128(high: 0x4000_0000_0000_0000, low: 0x7FF8_0000_0000_0000)  // 2.0, NaN
        run([VEncode.xx2(216, 1, 2, uim: 0)])
        XCTAssertEqual(cpu.vsr[1], Vector128(high: 0x0000_0002_0000_0002, low: 0x8000_0000_8000_0000))
    }

    func testByteReversalAndScalarIntegerLoads() {
        cpu.vsr[2] = bytes0to15
        run([0xF037_176C])                        // xxbrd vs1,vs2
        XCTAssertEqual(cpu.vsr[1], Vector128(high: 0x0706_0504_0302_0100, low: 0x0F0E_0D0C_0B0A_0908))
        run([0xF03F_176C])                        // xxbrq
        XCTAssertEqual(cpu.vsr[1], Vector128(high: 0x0F0E_0D0C_0B0A_0908, low: 0x0706_0504_0302_0100))
        storeBytes(0x2000, [0xFF, 0xFE, 0xFD, 0xFC])
        cpu.vsr[7] = Vector128(high: 0, low: 0x5555)
        run([VEncode.xx1(76, 7, 0, 6)], [6: 0x2000])   // lxsiwax: sign-extended; dword 1 kept
        XCTAssertEqual(cpu.vsr[7], Vector128(high: 0xFFFF_FFFF_FFFE_FDFC, low: 0x5555))
        run([VEncode.xx1(781, 7, 0, 6)], [6: 0x2001])  // lxsibzx
        XCTAssertEqual(cpu.vsr[7].high, 0xFE)
    }

    func testPackUnpackMultiplyAndExtract() {
        cpu.vr[1] = Vector128(high: 0x0001_7FFF_8000_FFFF, low: 0x0100_00FF_FF80_0080)
        cpu.vr[2] = Vector128(high: 0x0002_0003_0004_0005, low: 0x0006_0007_0008_0009)
        cpu.vscr = 0
        run([VEncode.vx(14, 3, 1, 2)])        // vpkuhum: the low bytes
        XCTAssertEqual(cpu.vr[3], Vector128(high: 0x01FF_00FF_00FF_8080, low: 0x0203_0405_0607_0809))
        XCTAssertEqual(cpu.vscr & 1, 0)
        run([VEncode.vx(398, 3, 1, 2)])       // vpkshss: signed halfwords clamped to signed bytes
        XCTAssertEqual(cpu.vr[3], Vector128(high: 0x017F_80FF_7F7F_807F, low: 0x0203_0405_0607_0809))
        XCTAssertEqual(cpu.vscr & 1, 1)
        run([VEncode.vx(526, 4, 0, 1)])       // vupkhsb: bytes 0-7 sign-extended to halfwords
        XCTAssertEqual(cpu.vr[4], Vector128(high: 0x0000_0001_007F_FFFF, low: 0xFF80_0000_FFFF_FFFF))
        run([VEncode.vx(776, 5, 1, 2)])       // vmulesb: even bytes, signed: 00×00, 7F×00, 80×00, FF×00…
        XCTAssertEqual(cpu.vr[5], Vector128(high: 0, low: 0))
        run([VEncode.vx(8, 5, 1, 2)])         // vmuloub: odd bytes, unsigned: 01×02, FF×03, 00×04, FF×05…
        XCTAssertEqual(cpu.vr[5], Vector128(high: 0x0002_02FD_0000_04FB, low: 0x0000_06F9_0400_0480))
        cpu.vr[6] = bytes0to15
        run([VEncode.vx(1549, 3, 4, 6)], [4: 5])   // vextublx r3,r4,v6: byte 5
        XCTAssertEqual(cpu.gpr[3], 5)
        run([VEncode.vx(1869, 3, 4, 6)], [4: 2])   // vextuhrx: halfword at bytes 12-13 (2 from the right)
        XCTAssertEqual(cpu.gpr[3], 0x0C0D)
        run([VEncode.vx(1538, 3, 0, 6)])      // vclzlsbb: byte 0 is 00 (bit 7 clear), byte 1 is 01
        XCTAssertEqual(cpu.gpr[3], 1)
    }

    func testUnavailableFacilitiesRaiseTheirInterrupts() {
        cpu.msr = MSR.sf | MSR.fp | MSR.vsx                 // VEC off
        XCTAssertEqual(run([VEncode.vx(1028, 1, 2, 3)]), .interrupt(.vectorUnavailable))
        XCTAssertEqual(run([VEncode.dq(1, 40, 6, 0)]), .interrupt(.vectorUnavailable))   // lxv vs40: a VR
        XCTAssertEqual(run([VEncode.xx1(51, 33, 3, 0)]), .interrupt(.vectorUnavailable)) // mfvrd
        cpu.msr = MSR.sf | MSR.fp | MSR.vec                 // VSX off
        XCTAssertEqual(run([VEncode.xx3(154, 1, 2, 3)]), .interrupt(.vsxUnavailable))
        XCTAssertEqual(run([VEncode.dq(1, 8, 6, 0)]), .interrupt(.vsxUnavailable))       // lxv vs8
        XCTAssertEqual(run([VEncode.dq(1, 40, 6, 0)], [6: 0x2000]), .instructionLimit)  // lxv vs40: VEC is enough
        cpu.msr = MSR.sf | MSR.vec | MSR.vsx                // FP off
        XCTAssertEqual(run([VEncode.xx1(179, 1, 8, 0)]), .interrupt(.floatingPointUnavailable))  // mtfprd
        XCTAssertEqual(run([VEncode.xx1(179, 33, 8, 0)]), .instructionLimit)                     // mtvrd
        XCTAssertEqual(cpu.pc, 0x1004)
    }
    func testXscvspdpnKeepsASignallingNaNSignalling() {
        // Non-signalling conversion (ISA 3.0 ConvertSPtoDP_NS): single SNaN 0x7F80_0001 becomes
        // exponent 2047 with the 23-bit fraction moved up 29 bits, quiet bit still clear:
        // 0x7FF0_0000_2000_0000, and the FPSCR is untouched. A normal value widens exactly:
        // 1.5f 0x3FC0_0000 → 0x3FF8_0000_0000_0000.
        cpu.fpscr = 0
        cpu.vsr[2] = Vector128(high: 0x7F80_0001_3FC0_0000, low: 0)
        run([VEncode.xx2(331, 1, 2, uim: 0)])     // xscvspdpn vs1,vs2
        XCTAssertEqual(cpu.vsr[1].high, 0x7FF0_0000_2000_0000)
        XCTAssertEqual(cpu.fpscr, 0)
        cpu.vsr[2] = Vector128(high: 0x3FC0_0000_0000_0000, low: 0)
        run([VEncode.xx2(331, 1, 2, uim: 0)])
        XCTAssertEqual(cpu.vsr[1].high, 0x3FF8_0000_0000_0000)
    }
}

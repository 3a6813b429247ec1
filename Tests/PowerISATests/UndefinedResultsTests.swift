import XCTest
import GuestMemory
import PowerISA

/// Integer results the ISA leaves undefined, where lpar gives what qemu-ppc64 gives (each was a
/// difference tools/difftest found; the quotients are computed by hand below, the choice of
/// extension or "unchanged" is qemu-ppc64's, as tools/difftest observed it).
final class UndefinedResultsTests: InterpreterTestCase {
    func run(_ words: [UInt32], _ regs: [Int: UInt64], cr: UInt32 = 0) {
        execute(words, gprs: regs, cr: cr)
    }

    func testDivwZeroExtendsTheWordQuotient() {
        // Low words: 0xF0000000 = -268435456; / 7 = -38347922.3 → -38347922 = 0xFDB6DB6E; the
        // high word (undefined) is 0 in qemu-ppc64. divw. then compares the 64-bit value: GT.
        run([Encode.xo(491, 4, 5, 6, rc: true)], [5: 0xFFFF_FFFF_F000_0000, 6: 7])
        XCTAssertEqual(cpu.gpr[4], 0xFDB6_DB6E)
        XCTAssertEqual(cpu.crField(0), 0b0100)
        // 0x80000000 / -1 overflows: the dividend's word, zero-extended.
        run([Encode.xo(491, 4, 5, 6)], [5: 0x8000_0000, 6: 0xFFFF_FFFF])
        XCTAssertEqual(cpu.gpr[4], 0x8000_0000)
    }

    func testDivweSignExtendsTheWordQuotient() {
        // (-6 << 32) / 41 = -25769803776 / 41 = -628531799.4 → -628531799 = 0xDA895DA9, and
        // qemu-ppc64 fills the undefined high word with its sign.
        run([Encode.xo(427, 10, 0, 7)], [0: 0xFFFF_FFFF_FFFF_FFFA, 7: 41])
        XCTAssertEqual(cpu.gpr[10], 0xFFFF_FFFF_DA89_5DA9)
    }

    func testDivdeBeyondTheSignedRangeOverflowsButKeepsTheQuotient() {
        // 1 << 64 / 3 = 0x5555555555555555 fits; 2 << 64 / 3 = 0xAAAAAAAAAAAAAAAA does not fit a
        // signed doubleword: OV (ISA; qemu-ppc64 misses it), RT = the low 64 bits (as qemu-ppc64).
        run([Encode.xo(425, 3, 4, 5, oe: true)], [4: 1, 5: 3])
        XCTAssertEqual(cpu.gpr[3], 0x5555_5555_5555_5555)
        XCTAssertEqual(cpu.xer & XER.ov, 0)
        run([Encode.xo(425, 3, 4, 5, oe: true)], [4: 2, 5: 3])
        XCTAssertEqual(cpu.gpr[3], 0xAAAA_AAAA_AAAA_AAAA)
        XCTAssertEqual(cpu.xer & (XER.ov | XER.so), XER.ov | XER.so)
    }

    func testMoveCRFieldWithSeveralFXMBitsChangesNothing() {
        let mfocrf = { (rt: Int, fxm: Int) -> UInt32 in 31 << 26 | UInt32(rt) << 21 | 1 << 20 | UInt32(fxm) << 12 | 19 << 1 }
        let mtocrf = { (fxm: Int, rs: Int) -> UInt32 in 31 << 26 | UInt32(rs) << 21 | 1 << 20 | UInt32(fxm) << 12 | 144 << 1 }
        run([mfocrf(3, 0xCD), mfocrf(4, 0)], [3: 8, 4: 9], cr: 0x1234_5678)
        XCTAssertEqual(cpu.gpr[3], 8)
        XCTAssertEqual(cpu.gpr[4], 9)
        run([mtocrf(0x37, 5), mtocrf(0, 5)], [5: 0xFFFF_FFFF], cr: 0x5A34_B41A)
        XCTAssertEqual(cpu.cr, 0x5A34_B41A)
        // One bit: one field, as always.
        run([mtocrf(0x01, 5), mfocrf(6, 0x80)], [5: 0xFFFF_FFFF], cr: 0x5A34_B41A)
        XCTAssertEqual(cpu.cr, 0x5A34_B41F)
        XCTAssertEqual(cpu.gpr[6], 0x5000_0000)
    }
}

import XCTest
import Foundation
import GuestMemory
import PowerISA

/// Loads and stores through the interpreter stay inside guest memory. Rules under test:
/// - an effective address is computed modulo 2^64 (Power ISA Book I 1.10.3): ra + rb wrapping
///   past 2^64 is an ordinary address, and the access is checked there, whole;
/// - an access with any byte outside RAM or a mapped window stops the guest with
///   `.interrupt(.machineCheck(address, size, kind))` at the faulting instruction, writes no byte, and leaves
///   the update-form base register unchanged;
/// - lmw/stmw are checked as one access of 4 × (32 - rt) bytes, dcbz as one 128-byte line.
final class InterpreterContainmentTests: XCTestCase {
    let ram: UInt64 = 1 << 20
    let windowLength: UInt64 = 64 << 10
    var memory: GuestMemory!
    var cpu: CPU!
    var interpreter: Interpreter!
    var fd: Int32 = -1

    override func setUpWithError() throws {
        memory = try GuestMemory(ramSize: ram, deviceSize: 2 * windowLength)
        var template = Array("/tmp/lpar-interp-containment-XXXXXX".utf8CString)
        fd = mkstemp(&template)
        unlink(template)
        XCTAssertEqual(ftruncate(fd, off_t(windowLength)), 0)
        try memory.mapWindow(start: memory.deviceBase, length: windowLength, fd: fd, fileOffset: 0, writable: true)
        cpu = CPU()
        cpu.msr = MSR.sf
        interpreter = Interpreter(cpu: cpu, memory: memory)
    }
    override func tearDown() { interpreter = nil; memory = nil; close(fd) }

    var windowEnd: UInt64 { memory.deviceBase + windowLength }

    // Encodings (Power ISA Book I): D/DS-form and X-form.
    func d(_ po: UInt32, _ rt: Int, _ ra: Int, _ imm: Int) -> UInt32 {
        po << 26 | UInt32(rt) << 21 | UInt32(ra) << 16 | UInt32(truncatingIfNeeded: imm) & 0xFFFF
    }
    func x(_ xo: UInt32, _ rt: Int, _ ra: Int, _ rb: Int) -> UInt32 {
        31 << 26 | UInt32(rt) << 21 | UInt32(ra) << 16 | UInt32(rb) << 11 | xo << 1
    }
    func ld(_ rt: Int, _ ds: Int, _ ra: Int) -> UInt32 { d(58, rt, ra, ds) }
    func std(_ rs: Int, _ ds: Int, _ ra: Int) -> UInt32 { d(62, rs, ra, ds) }
    func stdu(_ rs: Int, _ ds: Int, _ ra: Int) -> UInt32 { d(62, rs, ra, ds) | 1 }
    func ldx(_ rt: Int, _ ra: Int, _ rb: Int) -> UInt32 { x(21, rt, ra, rb) }
    func stdx(_ rs: Int, _ ra: Int, _ rb: Int) -> UInt32 { x(149, rs, ra, rb) }
    func lmw(_ rt: Int, _ disp: Int, _ ra: Int) -> UInt32 { d(46, rt, ra, disp) }
    func stmw(_ rs: Int, _ disp: Int, _ ra: Int) -> UInt32 { d(47, rs, ra, disp) }
    func dcbz(_ ra: Int, _ rb: Int) -> UInt32 { x(1014, 0, ra, rb) }

    /// Runs one instruction at 0x1000 with the given registers.
    @discardableResult
    func run(_ word: UInt32, _ regs: [Int: UInt64]) -> StopReason {
        interpreter.invalidateAll()
        memory.store32(0x1000, word)
        for (r, v) in regs { cpu.gpr[r] = v }
        cpu.pc = 0x1000
        return interpreter.run(limit: 1)
    }

    /// Sets the 32 bytes before `end` to 0xA5; `assertSentinel` checks they are still there.
    func setSentinel(_ end: UInt64) throws { try memory.write([UInt8](repeating: 0xA5, count: 32), at: end - 32) }
    func assertSentinel(_ end: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(try memory.read(end - 32, count: 32), [UInt8](repeating: 0xA5, count: 32), file: file, line: line)
    }

    func testIndexedAddressWrapsModulo2To64() {
        // ra + rb = (2^64 - 8) + 0x2008 = 0x2000: a plain, in-range access (the ISA's EA rule).
        memory.store64(0x2000, 0x1122_3344_5566_7788)
        XCTAssertEqual(run(ldx(3, 4, 5), [4: UInt64.max - 7, 5: 0x2008]), .instructionLimit)
        XCTAssertEqual(cpu.gpr[3], 0x1122_3344_5566_7788)
        // ra + rb = 2^64 - 4: the 8 bytes would run past 2^64 into address 0. Refused whole.
        XCTAssertEqual(run(ldx(3, 4, 5), [3: 0, 4: UInt64.max - 7, 5: 4]),
                       .interrupt(.machineCheck(MemoryFault(address: UInt64.max - 3, size: 8, kind: .load))))
        XCTAssertEqual(cpu.gpr[3], 0)
        XCTAssertEqual(cpu.pc, 0x1000, "the PC stays at the faulting instruction")
        memory.store64(0, 0)
        XCTAssertEqual(run(stdx(6, 4, 5), [4: UInt64.max - 7, 5: 4, 6: UInt64.max]),
                       .interrupt(.machineCheck(MemoryFault(address: UInt64.max - 3, size: 8, kind: .store))))
        XCTAssertEqual(memory.load64(0), 0, "no byte wrapped to address 0")
    }

    func testDisplacementWrapsAndStraddlesTheRAMEnd() throws {
        try setSentinel(ram)
        // ld r3,-8(r4) with r4 = 4: EA = 2^64 - 4.
        XCTAssertEqual(run(ld(3, -8, 4), [4: 4]), .interrupt(.machineCheck(MemoryFault(address: UInt64.max - 3, size: 8, kind: .load))))
        // std r6,0(r4) with r4 = RAM end - 4: half inside, half out. No byte is written.
        XCTAssertEqual(run(std(6, 0, 4), [4: ram - 4, 6: 0]), .interrupt(.machineCheck(MemoryFault(address: ram - 4, size: 8, kind: .store))))
        assertSentinel(ram)
        // stdu: on a fault the base register keeps its value.
        XCTAssertEqual(run(stdu(6, 8, 4), [4: ram - 12, 6: 0]), .interrupt(.machineCheck(MemoryFault(address: ram - 4, size: 8, kind: .store))))
        XCTAssertEqual(cpu.gpr[4], ram - 12)
        assertSentinel(ram)
        // The last doubleword itself is fine.
        XCTAssertEqual(run(std(6, 0, 4), [4: ram - 8, 6: 42]), .instructionLimit)
        XCTAssertEqual(memory.load64(ram - 8), 42)
    }

    func testStoresStraddlingTheWindowEndAndIntoTheUnmappedRegionFault() throws {
        try setSentinel(windowEnd)
        XCTAssertEqual(run(std(6, 0, 4), [4: windowEnd - 4, 6: 0]), .interrupt(.machineCheck(MemoryFault(address: windowEnd - 4, size: 8, kind: .store))))
        XCTAssertEqual(run(std(6, 0, 4), [4: windowEnd, 6: 0]), .interrupt(.machineCheck(MemoryFault(address: windowEnd, size: 8, kind: .store))))
        XCTAssertEqual(run(std(6, -8, 4), [4: memory.arenaSize + 4, 6: 0]), .interrupt(.machineCheck(MemoryFault(address: memory.arenaSize - 4, size: 8, kind: .store))))
        assertSentinel(windowEnd)
        XCTAssertEqual(run(std(6, 0, 4), [4: windowEnd - 8, 6: 7]), .instructionLimit)
        XCTAssertEqual(memory.load64(windowEnd - 8), 7)
    }

    func testStoreMultipleAcrossTheEndWritesNothing() throws {
        try setSentinel(ram)
        // stmw r20: 12 registers = 48 bytes from RAM end - 32: the first 32 would fit.
        let regs = Dictionary(uniqueKeysWithValues: (20..<32).map { ($0, UInt64(0x1111_1111) * UInt64($0)) })
        XCTAssertEqual(run(stmw(20, -32, 4), regs.merging([4: ram]) { a, _ in a }),
                       .interrupt(.machineCheck(MemoryFault(address: ram - 32, size: 48, kind: .store))))
        assertSentinel(ram)
        // Around 2^64: EA = 2^64 - 16, 48 bytes.
        XCTAssertEqual(run(stmw(20, -16, 0), regs), .interrupt(.machineCheck(MemoryFault(address: UInt64.max - 15, size: 48, kind: .store))))
        XCTAssertEqual(memory.load64(0), 0)
        // Across the window end.
        try setSentinel(windowEnd)
        XCTAssertEqual(run(stmw(20, -32, 4), regs.merging([4: windowEnd]) { a, _ in a }),
                       .interrupt(.machineCheck(MemoryFault(address: windowEnd - 32, size: 48, kind: .store))))
        assertSentinel(windowEnd)
    }

    func testLoadMultipleAcrossTheEndLoadsNothing() {
        for r in 28..<32 { cpu.gpr[r] = 0xDEAD }
        XCTAssertEqual(run(lmw(28, -8, 4), [4: ram]), .interrupt(.machineCheck(MemoryFault(address: ram - 8, size: 16, kind: .load))))
        for r in 28..<32 { XCTAssertEqual(cpu.gpr[r], 0xDEAD, "r\(r)") }
        // lmw r28 reads 16 bytes; at RAM end - 16 it fits.
        XCTAssertEqual(run(lmw(28, -16, 4), [4: ram]), .instructionLimit)
    }

    func testDcbzZeroesOnlyWholeLinesInsideMemory() throws {
        // dcbz clears the 128-byte line holding EA: at RAM end - 1 that is the last line.
        try memory.write([UInt8](repeating: 0xA5, count: 256), at: ram - 256)
        XCTAssertEqual(run(dcbz(4, 5), [4: ram - 1, 5: 0]), .instructionLimit)
        XCTAssertEqual(try memory.read(ram - 128, count: 128), [UInt8](repeating: 0, count: 128))
        XCTAssertEqual(try memory.read(ram - 256, count: 128), [UInt8](repeating: 0xA5, count: 128))
        // At the RAM end, at 2^64 - 1 (line 2^64 - 128), and at ra + rb wrapping there: faults.
        XCTAssertEqual(run(dcbz(4, 5), [4: ram, 5: 0]), .interrupt(.machineCheck(MemoryFault(address: ram, size: 128, kind: .store))))
        XCTAssertEqual(run(dcbz(4, 5), [4: UInt64.max, 5: 0]), .interrupt(.machineCheck(MemoryFault(address: UInt64.max - 127, size: 128, kind: .store))))
        XCTAssertEqual(run(dcbz(4, 5), [4: UInt64.max - 64, 5: 32]), .interrupt(.machineCheck(MemoryFault(address: UInt64.max - 127, size: 128, kind: .store))))
        XCTAssertEqual(run(dcbz(4, 5), [4: windowEnd, 5: 0]), .interrupt(.machineCheck(MemoryFault(address: windowEnd, size: 128, kind: .store))))
        XCTAssertEqual(try memory.read(ram - 256, count: 128), [UInt8](repeating: 0xA5, count: 128))
    }

    func testFetchOutsideMemoryFaults() {
        for pc in [ram, ram - 2, UInt64.max - 3, memory.deviceBase, windowEnd - 4] {
            cpu.pc = pc
            let stop = interpreter.run(limit: 1)
            // Code runs from RAM only: the window (a file mapping) is data.
            XCTAssertEqual(stop, .interrupt(.machineCheck(MemoryFault(address: pc, size: 4, kind: .fetch))), "pc 0x\(String(pc, radix: 16))")
        }
    }
}

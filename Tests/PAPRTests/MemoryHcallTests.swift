import Foundation
import XCTest
import GuestMemory
import PowerISA
import PAPR

/// H_PAGE_INIT and H_LOGICAL_CI_LOAD/STORE. Flags from Linux hvcall.h: H_ZERO_PAGE = 1 << (63-48)
/// = 0x8000, H_COPY_PAGE = 1 << (63-49) = 0x4000, H_ICACHE_INVALIDATE = 1 << 23; H_PARAMETER -4.
/// Checks in QEMU h_page_init's order: flags, destination, then (copying) source.
final class MemoryHcallTests: XCTestCase {
    let ram: UInt64 = 1 << 20
    let zero: UInt64 = 0x8000, copy: UInt64 = 0x4000
    var memory: GuestMemory!
    var cpu: CPU!
    var hv: Hypervisor!
    var dir: URL?

    override func setUpWithError() throws {
        memory = try GuestMemory(ramSize: ram)
        cpu = CPU()
        cpu.msr = MSR.sf
        hv = Hypervisor(memory: memory, console: Console(outputFD: -1, inputFD: -1))
    }
    override func tearDownWithError() throws { hv = nil; if let dir { try? FileManager.default.removeItem(at: dir) } }

    func call(_ opcode: UInt64, _ args: UInt64...) -> Int64 { hv.call(cpu: cpu, opcode, args) }
    func fill(_ address: UInt64, _ byte: UInt8, _ count: Int = 4096) throws { try memory.write([UInt8](repeating: byte, count: count), at: address) }
    func bytes(_ address: UInt64, _ count: Int = 4096) throws -> [UInt8] { try memory.read(address, count: count) }

    func testZeroPageClearsExactlyOnePage() throws {
        try fill(0x2000, 0xAA, 3 * 4096)
        XCTAssertEqual(call(0x2C, zero, 0x3000, 0), 0)
        XCTAssertEqual(try bytes(0x3000), [UInt8](repeating: 0, count: 4096))
        XCTAssertEqual(try bytes(0x2FFF, 1), [0xAA], "the byte before is kept")
        XCTAssertEqual(try bytes(0x4000, 1), [0xAA], "the byte after is kept")
    }

    func testCopyPageCopiesAndWinsOverZero() throws {
        let pattern = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
        try memory.write(pattern, at: 0x5000)
        try fill(0x3000, 0xAA)
        XCTAssertEqual(call(0x2C, copy, 0x3000, 0x5000), 0)
        XCTAssertEqual(try bytes(0x3000), pattern)
        try fill(0x3000, 0xAA)
        XCTAssertEqual(call(0x2C, copy | zero, 0x3000, 0x5000), 0, "both flags: QEMU copies")
        XCTAssertEqual(try bytes(0x3000), pattern)
    }

    func testPageInitRefusesBadFlagsAndAddresses() throws {
        try fill(0x3000, 0xAA)
        XCTAssertEqual(call(0x2C, zero | 1, 0x3000, 0), -4, "an unknown flag bit")
        XCTAssertEqual(call(0x2C, zero, 0x3123, 0), -4, "unaligned destination")
        XCTAssertEqual(call(0x2C, copy, 0x3000, 0x5123), -4, "unaligned source")
        XCTAssertEqual(call(0x2C, zero, ram, 0), -4, "destination past RAM")
        XCTAssertEqual(call(0x2C, copy, 0x3000, ram), -4, "source past RAM")
        XCTAssertEqual(try bytes(0x3000), [UInt8](repeating: 0xAA, count: 4096), "nothing written")
        // Zeroing looks at no source: a bad one does not matter.
        XCTAssertEqual(call(0x2C, zero, 0x3000, 0x5123), 0)
        // No ZERO/COPY flag (icache flags only): success, nothing changes.
        try fill(0x3000, 0xAA)
        XCTAssertEqual(call(0x2C, 1 << 23, 0x3000, 0), 0)
        XCTAssertEqual(try bytes(0x3000), [UInt8](repeating: 0xAA, count: 4096))
    }

    func testPageInitDropsPredecodedCodeOfThePage() {
        var invalidated: [UInt64] = []
        memory.codeWriteObserver = { invalidated.append($0) }
        memory.codePageFlags[3] = 1          // page 0x3000 holds decoded code
        XCTAssertEqual(call(0x2C, zero, 0x3000, 0), 0)
        XCTAssertEqual(invalidated, [3])
    }

    func testPageInitIntoAReadOnlyWindowIsRefused() throws {
        // A readonly NVDIMM (data 256K + label 128K) bound at lpar's choice of address.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpar-pageinit-\(getpid())")
        self.dir = dir
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("ro.img")
        try Data(repeating: 0x5A, count: 384 << 10).write(to: file)
        let config = try NVDIMMConfig.parse("file=\(file.path),size=256K,label-size=128K,block-size=64K,readonly=on")
        memory = try GuestMemory(ramSize: ram, deviceSize: SCMController.deviceRegionSize([config]))
        hv = Hypervisor(memory: memory, console: Console(outputFD: -1, inputFD: -1))
        hv.scm = try SCMController.open([config], memory: memory, markInUse: false)
        hv.scm.blocksPerCall = 64
        XCTAssertEqual(call(0x3EC, 0x9000_0000, 0, 1, UInt64.max, 0), 0)
        let window = cpu.gpr[5]
        XCTAssertEqual(call(0x2C, zero, window, 0), -4)
        XCTAssertEqual(try bytes(window, 16), [UInt8](repeating: 0x5A, count: 16))
        // As a source it is fine: it can be read.
        XCTAssertEqual(call(0x2C, copy, 0x3000, window), 0)
        XCTAssertEqual(try bytes(0x3000, 16), [UInt8](repeating: 0x5A, count: 16))
        // The CI store is refused the same way; the CI load reads it.
        XCTAssertEqual(call(0x40, 1, window, 0), -4)
        XCTAssertEqual(call(0x3C, 2, window), 0)
        XCTAssertEqual(cpu.gpr[4], 0x5A5A)
    }

    func testLogicalLoadReadsBigEndianOfEachSize() throws {
        try memory.write([1, 2, 3, 4, 5, 6, 7, 8], at: 0x4001)    // unaligned is fine
        let want: [(UInt64, UInt64)] = [(1, 0x01), (2, 0x0102), (4, 0x0102_0304), (8, 0x0102_0304_0506_0708)]
        for (size, value) in want {
            XCTAssertEqual(call(0x3C, size, 0x4001), 0)
            XCTAssertEqual(cpu.gpr[4], value, "size \(size)")
        }
        for size: UInt64 in [0, 3, 16, UInt64.max] { XCTAssertEqual(call(0x3C, size, 0x4001), -4, "size \(size)") }
        XCTAssertEqual(call(0x3C, 4, ram - 2), -4, "runs past RAM")
        XCTAssertEqual(call(0x3C, 8, UInt64.max - 3), -4)
    }

    func testLogicalStoreWritesTheLowBytes() throws {
        try fill(0x4000, 0xEE, 16)
        XCTAssertEqual(call(0x40, 2, 0x4001, 0xAABB_CCDD), 0)
        XCTAssertEqual(try bytes(0x4000, 4), [0xEE, 0xCC, 0xDD, 0xEE])
        XCTAssertEqual(call(0x40, 8, 0x4008, 0x1122_3344_5566_7788), 0)
        XCTAssertEqual(try bytes(0x4008, 8), [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88])
        XCTAssertEqual(call(0x40, 5, 0x4000, 0), -4)
        XCTAssertEqual(call(0x40, 4, ram - 3, 0), -4)
        XCTAssertEqual(try bytes(ram - 3, 3), [0, 0, 0], "a refused store writes nothing")
    }
}

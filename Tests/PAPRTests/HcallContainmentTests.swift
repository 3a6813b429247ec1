import Foundation
import XCTest
import GuestMemory
import PowerISA
import PAPR

/// hcalls that take guest addresses or lengths stay inside guest memory. Rules under test:
/// - a buffer is validated whole (address + length without wrapping at 2^64, inside RAM or one
///   bound window) before any byte is read or written;
/// - a refused call changes no guest byte (checked with a 0xA5 sentinel up to the edge) and
///   returns the documented status from the hcall table;
/// - lengths near 2^64 are refused, never truncated or allowed to wrap.
final class HcallContainmentTests: XCTestCase {
    let drc: UInt64 = 0x9000_0000
    let ram: UInt64 = 1 << 20
    var dir: URL!
    var config: NVDIMMConfig!
    var memory: GuestMemory!
    var cpu: CPU!
    var hv: Hypervisor!
    var console: [UInt8] = []

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpar-hcall-containment-\(getpid())-\(abs(name.hashValue))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        config = try NVDIMMConfig.parse("file=\(dir.path)/nv0.img,size=256K,label-size=128K,block-size=64K")
        memory = try GuestMemory(ramSize: ram, deviceSize: SCMController.deviceRegionSize([config]))
        cpu = CPU()
        cpu.msr = MSR.sf
        let c = Console(outputFD: -1, inputFD: -1)
        c.tap = { [unowned self] in self.console += $0 }
        hv = Hypervisor(memory: memory, console: c)
        hv.scm = try SCMController.open([config], memory: memory, markInUse: false)
        hv.scm.blocksPerCall = 64
    }
    override func tearDownWithError() throws { hv = nil; try? FileManager.default.removeItem(at: dir) }

    @discardableResult
    func call(_ opcode: UInt64, _ args: UInt64...) -> Int64 { hv.call(cpu: cpu, opcode, args) }

    /// 0xA5 in the `count` bytes before `end`.
    func setSentinel(_ end: UInt64, count: Int = 512) throws { try memory.write([UInt8](repeating: 0xA5, count: count), at: end - UInt64(count)) }
    func assertSentinel(_ end: UInt64, count: Int = 512, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(try memory.read(end - UInt64(count), count: count), [UInt8](repeating: 0xA5, count: count), file: file, line: line)
    }

    static let statsOpcode: UInt64 = 0x418
    /// The statistics buffer: 16-byte header + 16 bytes per statistic (11 of them in lpar).
    var statsSize: UInt64 {
        call(Self.statsOpcode, drc, 0, 0)
        return cpu.gpr[4]
    }

    /// The request Linux writes before the call: eye-catcher, version 1, count 0 (= all).
    static let header = Array("SCMSTATS".utf8) + [0, 0, 0, 1, 0, 0, 0, 0]

    func testPerformanceStatsRefusesBuffersPastRAMWithoutWriting() throws {
        let needed = statsSize
        XCTAssertEqual(needed, 16 + 16 * 11)
        try setSentinel(ram)
        // A size near 2^64 at an address where address + size wraps.
        XCTAssertEqual(call(Self.statsOpcode, drc, ram - 256, UInt64.max), HcallStatus.parameter)
        XCTAssertEqual(call(Self.statsOpcode, drc, ram - 256, UInt64.max - (ram - 256) + 1), HcallStatus.parameter)
        // The buffer straddles the RAM end.
        XCTAssertEqual(call(Self.statsOpcode, drc, ram - needed + 8, needed), HcallStatus.parameter)
        // Address at 2^64 - 16: the header is readable nowhere.
        XCTAssertEqual(call(Self.statsOpcode, drc, UInt64.max - 15, 16), HcallStatus.parameter)
        assertSentinel(ram)
        // A buffer that fits in RAM but is one byte too small for the answer (count 0 = all
        // statistics): checked before writing, so the header is not half-written either.
        let short = ram - (needed - 1)
        try memory.write(Self.header, at: short)
        XCTAssertEqual(call(Self.statsOpcode, drc, short, needed - 1), HcallStatus.parameter)
        XCTAssertEqual(try memory.read(short, count: 16), Self.header)
        XCTAssertEqual(try memory.read(short + 16, count: Int(needed) - 17), [UInt8](repeating: 0xA5, count: Int(needed) - 17))
        // And one that fits exactly ends at the last byte of RAM.
        try memory.write(Self.header, at: ram - needed)
        XCTAssertEqual(call(Self.statsOpcode, drc, ram - needed, needed), HcallStatus.success)
        XCTAssertEqual(try memory.read(ram - needed, count: 8), Array("SCMSTATS".utf8))
        XCTAssertEqual(try memory.read(ram - needed - 16, count: 16), [UInt8](repeating: 0xA5, count: 16))
    }

    func testPerformanceStatsRequestedCountCannotOverrunTheBuffer() throws {
        // Header asks for 0xFFFFFFFF statistics; the buffer holds 3 ids. Refused, no overflow.
        let buffer = ram - 64
        try setSentinel(ram, count: 64)
        try memory.write(Self.header, at: buffer)
        memory.store32(buffer + 12, 0xFFFF_FFFF)
        XCTAssertEqual(call(Self.statsOpcode, drc, buffer, 64), HcallStatus.parameter)
        XCTAssertEqual(memory.load32(buffer + 12), 0xFFFF_FFFF)
        XCTAssertEqual(try memory.read(buffer + 16, count: 48), [UInt8](repeating: 0xA5, count: 48))
    }

    func testPerformanceStatsInsideABoundWindowAndPastIt() throws {
        XCTAssertEqual(call(0x3EC, drc, 0, 1, UInt64.max, 0), HcallStatus.success)   // bind block 0 anywhere
        let window = cpu.gpr[5], end = window + config.blockSize
        let needed = statsSize
        try setSentinel(end)
        XCTAssertEqual(call(Self.statsOpcode, drc, end - needed + 16, needed), HcallStatus.parameter)
        assertSentinel(end)
        try memory.write(Self.header, at: end - needed)
        XCTAssertEqual(call(Self.statsOpcode, drc, end - needed, needed), HcallStatus.success)
        XCTAssertEqual(try memory.read(end - needed, count: 8), Array("SCMSTATS".utf8))
    }

    func testPutTermCharLengthIsBoundedNotTruncated() {
        // len = 2^64 - 1 and 17: H_PARAMETER, nothing written; 2^32 + 1 must not pass as 1.
        for len: UInt64 in [UInt64.max, 17, (1 << 32) + 1, 1 << 63] {
            XCTAssertEqual(call(0x58, 0, len, 0x4142_4344_4546_4748, 0), HcallStatus.parameter, "len \(len)")
        }
        XCTAssertEqual(console, [])
        XCTAssertEqual(call(0x58, 0, 16, 0x4142_4344_4546_4748, 0x494A_4B4C_4D4E_4F50), HcallStatus.success)
        XCTAssertEqual(console, Array("ABCDEFGHIJKLMNOP".utf8))
    }

    func testMetadataOffsetsCannotWrapOrPassTheLabelArea() throws {
        let label = config.labelSize
        // offset + length wrapping at 2^64, and straddling the label end.
        XCTAssertEqual(call(0x3E4, drc, UInt64.max - 3, 8), HcallStatus.p2)
        XCTAssertEqual(call(0x3E4, drc, label - 4, 8), HcallStatus.p2)
        XCTAssertEqual(call(0x3E4, drc, label - 8, UInt64.max), HcallStatus.p3)
        XCTAssertEqual(call(0x3E8, drc, UInt64.max - 3, 0, 8), HcallStatus.p2)
        XCTAssertEqual(call(0x3E8, drc, label - 4, 0x0102_0304_0506_0708, 8), HcallStatus.p2)
        // The backing file's bytes after the label area do not exist: its size is unchanged.
        let attrs = try FileManager.default.attributesOfItem(atPath: config.path)
        XCTAssertEqual(attrs[.size] as? UInt64, config.size + label)
        XCTAssertEqual(call(0x3E4, drc, label - 8, 8), HcallStatus.success)
        XCTAssertEqual(cpu.gpr[4], 0, "the refused write at label - 4 left the last bytes alone")
    }

    func testBindTargetsNearTheTopOfTheAddressSpaceAreRefused() {
        // A target whose range wraps at 2^64, one past the device region, and a count that
        // overflows start + count.
        XCTAssertEqual(call(0x3EC, drc, 0, 1, UInt64.max - config.blockSize + 1, 0), HcallStatus.tooBig)
        XCTAssertEqual(call(0x3EC, drc, 0, 1, memory.arenaSize, 0), HcallStatus.tooBig)
        XCTAssertEqual(call(0x3EC, drc, 0, 1, 0, 0), HcallStatus.overlap, "RAM is not a target")
        XCTAssertEqual(call(0x3EC, drc, 1, UInt64.max, UInt64.max, 0), HcallStatus.p3)
        XCTAssertEqual(memory.windows, [], "nothing was mapped")
        XCTAssertEqual(call(0x3F0, drc, UInt64.max & ~(config.blockSize - 1), UInt64.max, 0), HcallStatus.p3)
        XCTAssertEqual(call(0x3F8, UInt64.max), HcallStatus.notFound)
    }

    func testRTASBufferMustFitWholeBeforeAnythingIsWritten() throws {
        // {token, nargs, nret} readable at RAM end - 16, but args + rets run past the end.
        let buffer = ram - 16
        try setSentinel(ram, count: 16)
        memory.store32(buffer, 0x2000)      // display-character
        memory.store32(buffer + 4, 1)
        memory.store32(buffer + 8, 1)       // 12 + 4 * 2 = 20 bytes > 16
        XCTAssertEqual(call(0xF000, buffer), HcallStatus.parameter)
        XCTAssertEqual(memory.load32(buffer + 12), 0xA5A5_A5A5)
        XCTAssertEqual(console, [])
        // At 2^64 - 4 (after lpar strips the top nibble as QEMU does, 0x0FFF…FFC): outside.
        XCTAssertEqual(call(0xF000, UInt64.max - 3), HcallStatus.parameter)
        // nargs near 2^32: refused before computing a size from it.
        memory.store32(buffer + 4, 0xFFFF_FFFF)
        XCTAssertEqual(call(0xF000, buffer), HcallStatus.parameter)
    }

    func testHugeNVDIMMSizesAreRefusedNotTrapped() throws {
        // size is capped at 16T (NVDIMMConfig.maxSize); above it, one error naming the key.
        XCTAssertThrowsError(try NVDIMMConfig.parse("file=x,size=15000000T,label-size=128K,block-size=64K")) {
            XCTAssertTrue("\($0)".contains("size=15000000T"), "\($0)")
        }
        XCTAssertNoThrow(try NVDIMMConfig.parse("file=x,size=16T,label-size=128K"))
        // Configs built by hand may be anything: the region size saturates instead of trapping,
        // and GuestMemory refuses it.
        var huge = NVDIMMConfig(path: "x", size: UInt64.max - 5, labelSize: 0)
        huge.blockSize = 64 << 10
        XCTAssertEqual(SCMController.deviceRegionSize([huge, huge]), UInt64.max)
        XCTAssertThrowsError(try GuestMemory(ramSize: 1 << 20, deviceSize: SCMController.deviceRegionSize([huge, huge])))
    }

    func testUnbindAllWithTheLargestBlocksPerCall() {
        // --scm-blocks-per-call accepts any UInt64; H_SCM_UNBIND_ALL trapped converting it to Int.
        hv.scm.blocksPerCall = UInt64.max
        XCTAssertEqual(call(0x3EC, drc, 0, 3, UInt64.max, 0), HcallStatus.success)
        XCTAssertEqual(cpu.gpr[6], 3, "three blocks bound in one call")
        XCTAssertEqual(call(0x3FC, 1, 0, 0), HcallStatus.success)
        XCTAssertEqual(cpu.gpr[5], 3, "all three unbound in one call")
        XCTAssertEqual(memory.windows, [])
    }
}

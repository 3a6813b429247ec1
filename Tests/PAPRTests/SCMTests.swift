import Foundation
import XCTest
import GuestMemory
import PowerISA
import PAPR

/// The SCM hcalls driven through `Hypervisor.hypercall`; expected codes from the seed document,
/// papr-facts and QEMU 7.2's check order (see docs in the hcall table).
final class SCMTests: XCTestCase {
    let drc: UInt64 = 0x9000_0000
    let block: UInt64 = 64 << 10          // small blocks keep the test files small
    var dir: URL!
    var config: NVDIMMConfig!
    var memory: GuestMemory!
    var cpu: CPU!
    var hv: Hypervisor!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpar-scm-\(getpid())-\(abs(name.hashValue))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        config = try NVDIMMConfig.parse("file=\(dir.path)/nv0.img,size=1M,label-size=128K,block-size=64K")
        try boot()
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A new partition on the same backing file (as a second run of lpar).
    func boot() throws {
        hv = nil
        memory = try GuestMemory(ramSize: 1 << 20, deviceSize: SCMController.deviceRegionSize([config]))
        cpu = CPU()
        cpu.msr = MSR.sf
        hv = Hypervisor(memory: memory, console: Console(outputFD: -1))
        hv.scm = try SCMController.open([config], memory: memory)
        hv.scm.blocksPerCall = 4                 // lpar's default is 1; 4 keeps the loops short
    }

    @discardableResult
    func call(_ opcode: UInt64, _ args: UInt64...) -> Int64 { hv.call(cpu: cpu, opcode, args) }
    var r4: UInt64 { cpu.gpr[4] }
    var r5: UInt64 { cpu.gpr[5] }
    var r6: UInt64 { cpu.gpr[6] }

    func testConfigParsing() throws {
        XCTAssertEqual(config.size, 1 << 20)
        XCTAssertEqual(config.labelSize, 128 << 10)
        XCTAssertThrowsError(try NVDIMMConfig.parse("file=x,size=1G")) { XCTAssertTrue("\($0)".contains("label-size")) }
        XCTAssertThrowsError(try NVDIMMConfig.parse("file=x,size=100M,label-size=128K")) { XCTAssertTrue("\($0)".contains("block-size")) }
        XCTAssertThrowsError(try NVDIMMConfig.parse("file=x,size=256M,label-size=64K")) { XCTAssertTrue("\($0)".contains("128K")) }
        XCTAssertThrowsError(try NVDIMMConfig.parse("file=x,size=-1G,label-size=128K")) { XCTAssertTrue("\($0)".contains("size=-1G")) }
        XCTAssertThrowsError(try NVDIMMConfig.parse("file=x,size=1G,label-size=128K,colour=red")) { XCTAssertTrue("\($0)".contains("colour")) }
        XCTAssertEqual(try NVDIMMConfig.parse("file=x,size=256M,label-size=128K,health=unarmed+fatal").health, 0x8400_0000_0000_0000)
        // The backing file has QEMU's layout: data then label, size + label-size bytes, sparse.
        let attrs = try FileManager.default.attributesOfItem(atPath: config.path)
        XCTAssertEqual(attrs[.size] as? UInt64, (1 << 20) + (128 << 10))
    }

    func testMetadataChecksAndPersistence() throws {
        XCTAssertEqual(call(0x3E8, drc, 0, 0x0102_0304_0506_0708, 8), 0)
        XCTAssertEqual(call(0x3E4, drc, 0, 1), 0); XCTAssertEqual(r4, 0x01)
        XCTAssertEqual(call(0x3E4, drc, 6, 2), 0); XCTAssertEqual(r4, 0x0708)
        XCTAssertEqual(call(0x3E4, drc, 0, 8), 0); XCTAssertEqual(r4, 0x0102_0304_0506_0708)
        XCTAssertEqual(call(0x3E4, drc, 0, 3), HcallStatus.p3)                        // length not 1/2/4/8
        XCTAssertEqual(call(0x3E8, drc, 0, 1, 3), HcallStatus.p4)
        XCTAssertEqual(call(0x3E4, drc, (128 << 10) - 4, 8), HcallStatus.p2)         // past the label end
        XCTAssertEqual(call(0x3E4, drc, (128 << 10) - 8, 8), 0)                      // exactly the last 8 bytes
        XCTAssertEqual(call(0x3E4, drc, UInt64.max - 3, 8), HcallStatus.p2)          // offset + len overflows
        XCTAssertEqual(call(0x3E8, drc, UInt64.max - 3, 0, 8), HcallStatus.p2)
        XCTAssertEqual(call(0x3E8, drc, 0, 0x100, 1), HcallStatus.p2)                // data wider than 1 byte
        XCTAssertEqual(call(0x3E8, drc, 0, 0x1_0000_0000, 4), HcallStatus.p2)
        XCTAssertEqual(call(0x3E4, 0x9000_0001, 0, 1), HcallStatus.parameter)        // no NVDIMM in slot 1
        XCTAssertEqual(call(0x3E8, 0x8000_0000, 0, 1, 1), HcallStatus.parameter)
        // The label lives at offset `size` of the file, big-endian.
        let fd = open(config.path, O_RDONLY); defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 8)
        XCTAssertEqual(pread(fd, &bytes, 8, off_t(1 << 20)), 8)
        XCTAssertEqual(bytes, [1, 2, 3, 4, 5, 6, 7, 8])
        try boot()
        XCTAssertEqual(call(0x3E4, drc, 4, 4), 0); XCTAssertEqual(r4, 0x0506_0708)    // survives a new run
    }

    func testBindContinuesAndReachesTheFile() throws {
        let base = memory.deviceBase
        var calls = 0
        var status = call(0x3EC, drc, 0, 16, UInt64.max, 0)
        calls += 1
        XCTAssertEqual(status, HcallStatus.busy)
        XCTAssertNotEqual(r4, 0); XCTAssertEqual(r5, base); XCTAssertEqual(r6, 4)       // 4 blocks per call
        let firstToken = r4
        XCTAssertEqual(call(0x3EC, drc, 0, 16, UInt64.max, 0x1234_5670), HcallStatus.p5) // a token never issued
        status = call(0x3EC, drc, 0, 16, UInt64.max, 0)                               // a second bind: blocks are taken
        XCTAssertEqual(status, HcallStatus.overlap)
        // Continue the first bind with its token.
        var tokenStatus = call(0x3EC, drc, 0, 16, UInt64.max, firstToken)
        calls += 1
        while tokenStatus == HcallStatus.busy { tokenStatus = call(0x3EC, drc, 0, 16, UInt64.max, r4); calls += 1 }
        XCTAssertEqual(tokenStatus, HcallStatus.success)
        XCTAssertEqual(calls, 4)                                                      // 16 blocks, 4 per call
        XCTAssertEqual(r4, 0); XCTAssertEqual(r5, base); XCTAssertEqual(r6, 16)
        // Guest stores reach the file; the file reaches guest loads.
        XCTAssertTrue(memory.store64(base + 3 * block + 8, 0xFEED_FACE_CAFE_BEEF))
        let fd = open(config.path, O_RDONLY); defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 8)
        XCTAssertEqual(pread(fd, &bytes, 8, off_t(3 * block + 8)), 8)
        XCTAssertEqual(bytes, [0xFE, 0xED, 0xFA, 0xCE, 0xCA, 0xFE, 0xBE, 0xEF])
        // Queries answer from the binding table.
        XCTAssertEqual(call(0x3F4, drc, 5), 0); XCTAssertEqual(r4, base + 5 * block)
        XCTAssertEqual(call(0x3F4, drc, 16), HcallStatus.p2)
        XCTAssertEqual(call(0x3F8, base + 5 * block + 100), 0); XCTAssertEqual(r4, drc); XCTAssertEqual(r5, 5)
        XCTAssertEqual(call(0x3F8, 0x1000), HcallStatus.notFound)
    }

    func testBindRangeChecks() {
        XCTAssertEqual(call(0x3EC, drc, 17, 1, UInt64.max, 0), HcallStatus.p2)        // start > total
        XCTAssertEqual(call(0x3EC, drc, 16, 1, UInt64.max, 0), HcallStatus.p3)        // start = total, 1 more block
        XCTAssertEqual(call(0x3EC, drc, 8, UInt64.max, UInt64.max, 0), HcallStatus.p3) // start + n overflows
        XCTAssertEqual(call(0x3EC, drc, 0, 1, 0, 0), HcallStatus.overlap)              // target in RAM
        XCTAssertEqual(call(0x3EC, drc, 0, 1, memory.deviceBase + 1, 0), HcallStatus.p4)  // not block-aligned: argument 4
        XCTAssertEqual(call(0x3EC, drc, 0, 2, memory.deviceBase + 15 * block, 0), HcallStatus.tooBig) // 16 blocks of room: 15 + 2 > 16
        XCTAssertEqual(call(0x3EC, drc, 0, 1, memory.deviceBase + 16 * block, 0), HcallStatus.tooBig) // starts at the region's end
        XCTAssertEqual(call(0x3EC, 0x9000_0005, 0, 1, UInt64.max, 0), HcallStatus.parameter)
        XCTAssertEqual(call(0x3EC, drc, 0, 2, memory.deviceBase + 4 * block, 0), 0)    // an explicit target
        XCTAssertEqual(r5, memory.deviceBase + 4 * block)
    }

    func testUnbindAndUnbindAll() throws {
        let base = memory.deviceBase
        hv.scm.blocksPerCall = 16
        XCTAssertEqual(call(0x3EC, drc, 0, 16, UInt64.max, 0), 0)
        hv.scm.blocksPerCall = 4
        XCTAssertEqual(call(0x3F0, drc, base + 1, 1, 0), HcallStatus.p2)             // not block-aligned
        XCTAssertEqual(call(0x3F0, drc, base, 0, 0), HcallStatus.p3)                 // zero blocks
        XCTAssertEqual(call(0x3F0, drc, base, UInt64.max, 0), HcallStatus.p3)        // size overflows
        XCTAssertEqual(call(0x3F0, drc, base, 1, 0x9990), HcallStatus.p4)            // unknown token
        XCTAssertEqual(call(0x3F0, drc, base + 4 * block, 8, 0), HcallStatus.busy)
        XCTAssertEqual(r5, 4)
        XCTAssertEqual(call(0x3F0, drc, base + 4 * block, 8, r4), 0)
        XCTAssertEqual(r5, 8)
        XCTAssertNil(memory.load8(base + 4 * block))                                 // unbound: faults
        XCTAssertNotNil(memory.load8(base + 3 * block))
        XCTAssertEqual(call(0x3F4, drc, 4), HcallStatus.notFound)
        XCTAssertEqual(call(0x3F0, drc, base + 4 * block, 1, 0), HcallStatus.p2)     // nothing bound there now
        // Unbind-all: the 8 blocks still bound, 4 per call.
        XCTAssertEqual(call(0x3FC, 3, drc, 0), HcallStatus.parameter)                // bad scope
        XCTAssertEqual(call(0x3FC, 2, 0x9000_0007, 0), HcallStatus.p2)               // scope DRC, bad DRC
        XCTAssertEqual(call(0x3FC, 1, 0, 0x7770), HcallStatus.p3)                    // unknown token: argument 3
        XCTAssertEqual(call(0x3FC, 2, drc, 0), HcallStatus.busy); XCTAssertEqual(r5, 4)
        XCTAssertEqual(call(0x3FC, 2, drc, r4), 0); XCTAssertEqual(r5, 8)
        XCTAssertNil(memory.load8(base))
        // H_BUSY is the default: the seed document's lists for BIND_MEM, UNBIND_MEM and
        // UNBIND_ALL name it (and Linux's papr_scm loops on it); H_CONTINUE, its generic
        // continuation, on request (--scm-continue-status continue).
        hv.scm.continueStatus = HcallStatus.continue
        XCTAssertEqual(call(0x3EC, drc, 0, 8, UInt64.max, 0), HcallStatus.continue)
    }

    func testHealthReflectsAnUnflushedRun() throws {
        XCTAssertEqual(call(0x400, drc), 0)
        XCTAssertEqual(r4, 0)                                                        // first run: nothing before it
        XCTAssertEqual(r5, 0xFFC0_0000_0000_0000)                                    // bits 0-9 valid
        try boot()                                                                   // the previous run never flushed
        XCTAssertEqual(call(0x400, drc), 0); XCTAssertEqual(r4, 0x4000_0000_0000_0000) // SHUTDOWN_DIRTY
        XCTAssertEqual(call(0x44C, drc, 0), 0)                                       // flush
        try boot()
        XCTAssertEqual(call(0x400, drc), 0); XCTAssertEqual(r4, 0)
        XCTAssertEqual(call(0x400, 0x9000_0001), HcallStatus.parameter)
    }

    func testUnbindWaitsForAnOutstandingFlush() {
        let base = memory.deviceBase
        hv.scm.slowFlush = true
        XCTAssertEqual(call(0x3EC, drc, 0, 2, UInt64.max, 0), 0)
        XCTAssertEqual(call(0x44C, drc, 0), HcallStatus.longBusy10ms)
        let token = r4
        XCTAssertEqual(call(0x3F0, drc, base, 2, 0), HcallStatus.inUse)
        XCTAssertEqual(call(0x3FC, 1, 0, 0), HcallStatus.inUse)
        XCTAssertNotNil(memory.load8(base))                                          // still bound
        XCTAssertEqual(call(0x44C, drc, token), 0)
        XCTAssertEqual(call(0x3F0, drc, base, 2, 0), 0)
    }

    func testRegistersAnHcallDoesNotOutputKeepTheirInputs() {
        // H_SCM_HEALTH outputs r4 and r5 only; QEMU passes r4... in place, so r6-r12 read back
        // as the guest left them.
        for i in 0..<9 { cpu.gpr[4 + i] = 0x1111 * UInt64(i + 1) }
        cpu.gpr[4] = drc
        cpu.gpr[3] = 0x400
        hv.hypercall(cpu: cpu)
        XCTAssertEqual(cpu.gpr[3], 0)
        XCTAssertEqual(cpu.gpr[5], SCMController.healthValidMask)
        for r in 6...12 { XCTAssertEqual(cpu.gpr[r], 0x1111 * UInt64(r - 3), "r\(r)") }
    }

    func testFlushContinuation() {
        hv.scm.slowFlush = true
        XCTAssertEqual(call(0x44C, drc, 0), HcallStatus.longBusy10ms)
        let token = r4
        XCTAssertNotEqual(token, 0)
        XCTAssertEqual(call(0x44C, drc, 0xABC0), HcallStatus.p2)                     // not a token of ours
        XCTAssertEqual(call(0x44C, drc, token), 0)
        XCTAssertEqual(call(0x44C, drc, token), HcallStatus.p2)                      // used up
    }

    func testPerformanceStats() throws {
        XCTAssertEqual(call(0x418, drc, 0, 0), 0)
        let needed = r4
        XCTAssertEqual((needed - 16) % 16, 0)
        // As Linux asks for every statistic: the header with a count of 0.
        try memory.write(Array("SCMSTATS".utf8) + [0, 0, 0, 1, 0, 0, 0, 0], at: 0x2000)
        XCTAssertEqual(call(0x418, drc, 0x2000, needed), 0)
        let buf = try memory.read(0x2000, count: Int(needed))
        XCTAssertEqual(Array(buf[0..<8]), Array("SCMSTATS".utf8))
        XCTAssertEqual(Array(buf[8..<12]), [0, 0, 0, 1])                              // version 1, big-endian
        XCTAssertEqual(UInt64(buf[15]), (needed - 16) / 16)                           // count
        XCTAssertEqual(Array(buf[16..<24]), Array("CtlResCt".utf8))
        // One named statistic.
        try memory.write(Array("SCMSTATS".utf8) + [0, 0, 0, 1, 0, 0, 0, 1] + Array("MemLife ".utf8) + [UInt8](repeating: 0, count: 8), at: 0x3000)
        XCTAssertEqual(call(0x418, drc, 0x3000, 32), 0)
        XCTAssertEqual(memory.load64(0x3018), 100)
        // An unknown id: H_PARTIAL with the id in r4.
        try memory.write(Array("Bogus!!!".utf8), at: 0x3010)
        XCTAssertEqual(call(0x418, drc, 0x3000, 32), HcallStatus.partial)
        XCTAssertEqual(r4, 0x426F_6775_7321_2121)
        // A buffer running past RAM is refused before anything is written.
        XCTAssertEqual(call(0x418, drc, (1 << 20) - 16, needed), HcallStatus.parameter)
        XCTAssertEqual(call(0x418, drc, 0x2000, 8), HcallStatus.parameter)            // shorter than the header
        // A header lpar cannot serve: no eye-catcher, or a version other than 1.
        try memory.write(Array("SCMSTATZ".utf8) + [0, 0, 0, 1, 0, 0, 0, 0], at: 0x4000)
        XCTAssertEqual(call(0x418, drc, 0x4000, needed), HcallStatus.parameter)
        try memory.write(Array("SCMSTATS".utf8) + [0, 0, 0, 2, 0, 0, 0, 0], at: 0x4000)
        XCTAssertEqual(call(0x418, drc, 0x4000, needed), HcallStatus.unsupported)
        // stats=off: the partition lacks the authority.
        config.statistics = false
        try boot()
        XCTAssertEqual(call(0x418, drc, 0, 0), 0)                                     // the size query still answers
        XCTAssertEqual(call(0x418, drc, 0x2000, needed), HcallStatus.authority)
    }
}

import XCTest
import Foundation
import Partition
import PAPR

/// The machine wires the hypervisor to its time: RTAS get-time-of-day reads `--rtc base=` plus
/// the interpreter's time base, H_CEDE's idle moves that time base to the decrementer's expiry,
/// and the VPA's dispatch count goes odd at the cede and even when the vCPU runs again.
final class PAPRClockTests: XCTestCase {
    var path = ""
    override func tearDown() { try? FileManager.default.removeItem(atPath: path) }

    /// A big-endian ELF64 with one PT_LOAD from 0x900 (the decrementer vector, `vector`) to
    /// 0x10000 + `code`; entry 0x10000.
    func writeELF(vector: [UInt32], code: [UInt32]) -> String {
        var out = [UInt8]()
        func put(_ v: UInt64, _ n: Int) { for i in 0..<n { out.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * (n - 1 - i)))) } }
        func words(_ w: [UInt32]) -> [UInt8] { w.flatMap { x in (0..<4).map { UInt8(truncatingIfNeeded: x >> UInt32(24 - 8 * $0)) } } }
        var image = words(vector)
        image += [UInt8](repeating: 0, count: 0x10000 - 0x900 - image.count)
        image += words(code)
        out += [0x7F, 0x45, 0x4C, 0x46, 2, 2, 1, 0] + [UInt8](repeating: 0, count: 8)
        put(2, 2); put(21, 2); put(1, 4); put(0x10000, 8); put(64, 8); put(0, 8)   // EXEC, PPC64, entry, phoff, shoff
        put(2, 4); put(64, 2); put(56, 2); put(1, 2); put(64, 2); put(0, 2); put(0, 2)   // ELFv2 flags
        put(1, 4); put(7, 4); put(120, 8); put(0x900, 8); put(0x900, 8)                 // PT_LOAD rwx at 120
        put(UInt64(image.count), 8); put(UInt64(image.count), 8); put(4, 8)
        out += image
        path = NSTemporaryDirectory() + "lpar-clock-\(getpid())-\(abs(name.hashValue)).elf"
        FileManager.default.createFile(atPath: path, contents: Data(out))
        return path
    }

    func testCedeMovesTheRTASClockAndTheDispatchCount() throws {
        // 0x900: lis r0,0x7FFF; mtdec r0; rfid — the decrementer handler pushes DEC ~4 s away.
        let handler: [UInt32] = [0x3C00_7FFF, 0x7C16_03A6, 0x4C00_0024]
        let code: [UInt32] = [
            0x3C00_1E84, 0x6000_8000,   // r0 = 0x1E848000 = 512,000,000: one second of time base
            0x7C16_03A6,                // mtdec r0
            0x3860_00E0, 0x4400_0022,   // H_CEDE: idle until DEC expires, then take 0x900
            0x3CA0_0002,                // r5 = 0x20000, the RTAS buffer
            0x38C0_2001, 0x90C5_0000,   // token get-time-of-day
            0x38C0_0000, 0x90C5_0004,   // nargs 0
            0x38C0_0008, 0x90C5_0008,   // nret 8
            0x3860_0000, 0x6063_F000,   // r3 = H_RTAS
            0x7CA4_2B78, 0x4400_0022,   // mr r4,r5; sc 1
            0x8085_0024,                // lwz r4,36(r5): rets[6], the seconds
            0x3860_0000, 0x6063_FF00, 0x4400_0022,   // H_LPAR_EXIT(seconds)
        ]
        var config = PartitionConfig(elfPath: writeELF(vector: handler, code: code))
        config.memorySize = 1 << 20
        config.rtcBase = try XCTUnwrap(try RTCOption.parse("base=2006-06-17T00:00:41"))
        let p = try Partition(config: config, console: Console(outputFD: -1, inputFD: -1))
        // A VPA registered for processor 0, dispatch count 0 (running).
        p.memory.store16(0x30004, 640)
        p.hypervisor.processors[0].vpa = 0x30000
        let outcome = p.run()
        XCTAssertNil(outcome.report)
        // 41 s + the second the cede skipped (+ a few dozen instructions' nanoseconds).
        XCTAssertEqual(outcome.exitStatus, 42)
        XCTAssertEqual(p.memory.load32(0x30100), 2, "odd at the cede, even again after it")
        XCTAssertLessThan(outcome.instructions, 100, "the second passed idle, not executed")
    }
}

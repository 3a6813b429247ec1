#if canImport(Glibc)
import Glibc
#endif
import XCTest
import GuestMemory
import PowerISA
@testable import LinuxUser

/// Swift must never trap on guest input: every syscall in the table, called with hostile
/// arguments (bad pointers, huge sizes, negative fds), must return or fail with an errno.
final class RobustnessTests: XCTestCase {
    func testHostileArgumentsNeverTrap() throws {
        let memory = try GuestMemory(ramSize: 32 << 20)
        // Every path is confined to a fresh directory, removed afterwards: syscalls that read
        // random guest bytes as names may create files there.
        let root = NSTemporaryDirectory() + "lpar-fuzz-\(getpid())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let devnull = open("/dev/null", O_RDWR)
        defer { close(devnull) }
        // Calls that change file modes, owners, times, sizes or names, or sleep, are left out
        // (fds 0-2 are /dev/null, and a chmod of it would hurt the host); so are those that can
        // block for good (poll and select with random timeouts, a read of a fresh pipe or
        // eventfd; pause, rt_sigsuspend and rt_sigtimedwait, which wait for a signal) and those
        // that change the test process itself (setpriority, sched_setaffinity; alarm and
        // setitimer, which arm the process's own timers).
        let excluded: Set<UInt64> = [15, 92, 93, 94, 162, 248, 38, 293, 357, 10, 292, 39, 287, 40, 12,
                                     95, 304, 167, 281, 142, 280, 42, 317, 307, 314, 97, 222,
                                     29, 176, 178, 27, 104]
        let values: [UInt64] = [0, 1, 2, 3, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FF9C, 0x7FFF_FFFF_FFFF_FFFF, 1 << 63,
                                0x8000, 0x1_FFFF_FFFF_0000, (32 << 20) - 1, (32 << 20) - 8, 0x10000, 4096, 65536, 1 << 40, 0x100]
        var seed: UInt64 = 0x1234_5678
        func next() -> UInt64 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return seed >> 33 }
        for round in 0..<4000 {
            let process = LinuxProcess(memory: memory, program: ProgramInfo(path: "/p", entry: 0, toc: nil, headerEntry: 0, abiVersion: round % 2 + 1,
                                                                           programHeaderAddress: 0, programHeaderEntrySize: 56, programHeaderCount: 0,
                                                                           imageEnd: 0x2_0000), root: root)
            process.files = [0: dup(devnull), 1: dup(devnull), 2: dup(devnull)]
            let cpu = CPU()
            cpu.gpr[1] = values[Int(next() % UInt64(values.count))]
            for _ in 0..<4 {
                let specs = SyscallTable.all.filter { !excluded.contains($0.number) }
                cpu.gpr[0] = next() % 8 == 0 ? next() % 500 : specs[Int(next() % UInt64(specs.count))].number
                if excluded.contains(cpu.gpr[0]) { continue }
                for r in 3...8 { cpu.gpr[r] = next() % 4 == 0 ? next() : values[Int(next() % UInt64(values.count))] }
                let record = process.systemCall(cpu: cpu, render: true)
                XCTAssertNotNil(record.text)
                if let e = record.errno { XCTAssertEqual(cpu.gpr[3], UInt64(e.code)) }
            }
            for (g, h) in process.files where g > 2 || h > 2 { close(h) }
            process.files = [:]
        }
    }
}

import XCTest
import GuestMemory
import PowerISA
@testable import LinuxUser

/// The ppc64 name table against arch/powerpc/kernel/syscalls/syscall.tbl, and its use for the
/// numbers lpar does not implement.
final class SyscallNamesTests: XCTestCase {
    func testNumbersFromPowerpcSyscallTbl() {
        // Rows of syscall.tbl (ppc64 differs from x86-64 and from the generic table in all of these).
        let rows: [UInt64: String] = [0: "restart_syscall", 2: "fork", 11: "execve", 42: "pipe", 120: "clone", 133: "fchdir",
                                      143: "flock", 167: "poll", 171: "prctl", 186: "sendfile", 189: "vfork", 233: "fadvise64",
                                      252: "statfs64", 255: "rtas", 280: "pselect6", 281: "ppoll", 314: "eventfd2", 317: "pipe2",
                                      326: "socket", 360: "memfd_create", 363: "switch_endian", 379: "copy_file_range",
                                      383: "statx", 435: "clone3", 449: "futex_waitv", 462: "mseal"]
        for (n, name) in rows { XCTAssertEqual(SyscallNames.ppc64[n], name, "number \(n)") }
        // Holes: 224 unused, 366-377 left for IPC and unused, 192 mmap2 is 32-bit only.
        for n: UInt64 in [192, 224, 366, 377] { XCTAssertNil(SyscallNames.ppc64[n], "number \(n)") }
        XCTAssertEqual(SyscallNames.name(9999), "syscall_9999")
    }

    func testEveryImplementedRowCarriesTheKernelName() {
        for spec in SyscallTable.all {
            XCTAssertEqual(SyscallNames.ppc64[spec.number], spec.name, "row \(spec.number)")
        }
        XCTAssertEqual(Set(SyscallTable.all.map(\.number)).count, SyscallTable.all.count, "one row per number")
    }

    func testUnimplementedCallIsTracedByNameAndIsENOSYS() throws {
        let memory = try GuestMemory(ramSize: 32 << 20)
        let process = LinuxProcess(memory: memory, program: ProgramInfo(path: "/bin/prog", entry: 0x1000, toc: nil, headerEntry: 0x1000,
                                                                       abiVersion: 2, programHeaderAddress: 0, programHeaderEntrySize: 56,
                                                                       programHeaderCount: 0, imageEnd: 0x4_0000), root: nil)
        let cpu = CPU()
        cpu.gpr[0] = 26                                    // ptrace(17, ...): not implemented
        cpu.gpr[3] = 17
        let r = process.systemCall(cpu: cpu, render: true)
        XCTAssertEqual(cpu.gpr[3], 38)                     // ENOSYS
        XCTAssertEqual(cpu.cr & 0x1000_0000, 0x1000_0000)  // CR0.SO
        XCTAssertEqual(r.displayName, "ptrace")
        XCTAssertNil(r.name, "not a table row")
        XCTAssertEqual(r.text?.hasPrefix("ptrace(0x11, "), true, r.text ?? "")
        XCTAssertEqual(r.text?.hasSuffix(") = -1 ENOSYS (Function not implemented)"), true, r.text ?? "")
        XCTAssertEqual(process.syscallSummary, "ptrace 1")
    }
}

#if canImport(Glibc)
import Glibc
#endif
import XCTest
import GuestMemory
import PowerISA
@testable import LinuxUser

/// `sc 0` driven directly: r0 = number, r3–r8 arguments; the ppc64 convention returns the
/// result in r3 with CR0.SO clear, or the positive errno in r3 with CR0.SO set.
final class SyscallTests: XCTestCase {
    var memory: GuestMemory!
    var process: LinuxProcess!
    var cpu: CPU!
    let so: UInt32 = 0x1000_0000          // CR0[SO]
    let scratch: UInt64 = 0x8_0000        // guest addresses for strings and buffers

    override func setUpWithError() throws {
        memory = try GuestMemory(ramSize: 32 << 20)
        let made = LinuxProcess.testProcess(memory: memory)
        process = made.0
        cpu = made.1
    }

    @discardableResult
    func sc(_ nr: UInt64, _ args: UInt64...) -> SyscallRecord {
        cpu.gpr[0] = nr
        for (i, a) in args.enumerated() { cpu.gpr[3 + i] = a }
        return process.systemCall(cpu: cpu, render: true)
    }

    func put(_ s: String, at a: UInt64) { try! memory.write(Array(s.utf8) + [0], at: a) }

    func testErrorSetsSOAndPositiveErrno() {
        cpu.cr = 0x0000_0042                      // other CR fields must survive
        let r = sc(6, 99)                           // close(99): EBADF
        XCTAssertEqual(cpu.gpr[3], 9)
        XCTAssertEqual(cpu.cr & so, so)
        XCTAssertEqual(cpu.cr & 0x0FFF_FFFF, 0x42)
        XCTAssertEqual(r.errno, Errno.EBADF)
        XCTAssertEqual(r.text, "close(99) = -1 EBADF (Bad file descriptor)")
    }

    func testSuccessClearsSO() {
        cpu.cr = so
        sc(20)                                      // getpid
        XCTAssertEqual(cpu.gpr[3], UInt64(getpid()))
        XCTAssertEqual(cpu.cr & so, 0)
    }

    func testUnknownSyscallIsENOSYS() {
        let r = sc(9999)
        XCTAssertEqual(cpu.gpr[3], 38)
        XCTAssertEqual(cpu.cr & so, so)
        XCTAssertNil(r.name)
    }

    func testBadGuestPointerIsEFAULT() {
        sc(4, 1, 0xFFFF_FFFF_0000, 4)               // write(1, <unmapped>, 4)
        XCTAssertEqual(cpu.gpr[3], 14)
        XCTAssertEqual(cpu.cr & so, so)
        sc(5, 0x7FFF_FFFF_0000, 0, 0)               // open(<unmapped path>)
        XCTAssertEqual(cpu.gpr[3], 14)
    }

    func testOpenReadStatOfAHostFile() throws {
        let path = NSTemporaryDirectory() + "lpar-sc-\(getpid())"
        FileManager.default.createFile(atPath: path, contents: Data("0123456789".utf8))
        defer { unlink(path) }
        put(path, at: scratch)
        sc(286, UInt64(bitPattern: -100), scratch, 0, 0)   // openat(AT_FDCWD, path, O_RDONLY)
        XCTAssertEqual(cpu.cr & so, 0)
        let fd = cpu.gpr[3]
        XCTAssertEqual(fd, 3, "the lowest free guest fd")
        let r = sc(3, fd, scratch + 0x1000, 4)              // read(fd, buf, 4)
        XCTAssertEqual(cpu.gpr[3], 4)
        XCTAssertEqual(try memory.read(scratch + 0x1000, count: 4), Array("0123".utf8))
        XCTAssertEqual(r.text, "read(3, \"0123\", 4) = 4")
        sc(108, fd, scratch + 0x2000)                       // fstat
        XCTAssertEqual(cpu.cr & so, 0)
        // ppc64 struct stat: st_mode (u32) at 24, st_size at 48, big-endian.
        XCTAssertEqual(memory.load32(scratch + 0x2000 + 24)! & 0o170000, 0o100000, "S_IFREG")
        XCTAssertEqual(memory.load64(scratch + 0x2000 + 48), 10)
        sc(6, fd)
        XCTAssertEqual(cpu.gpr[3], 0)
        sc(6, fd)
        XCTAssertEqual(cpu.gpr[3], 9, "closed fds are gone")
    }

    func testMissingFileTraceLine() {
        put("no-such-file-here", at: scratch)
        let r = sc(5, scratch, 0, 0)
        XCTAssertEqual(cpu.gpr[3], 2)
        XCTAssertEqual(r.text, "open(\"no-such-file-here\", O_RDONLY) = -1 ENOENT (No such file or directory)")
    }

    func testWriteTraceTruncatesAt32Bytes() {
        let long = String(repeating: "a", count: 40)
        try! memory.write(Array(long.utf8), at: scratch)
        let devnull = open("/dev/null", O_WRONLY)
        defer { close(devnull) }
        process.files[5] = dup(devnull)
        let r = sc(4, 5, scratch, 40)
        XCTAssertEqual(r.text, "write(5, \"" + String(repeating: "a", count: 32) + "\"..., 40) = 40")
    }

    func testExitGroupEndsTheProcess() {
        let r = sc(234, 0x1_0003)
        XCTAssertEqual(process.exitStatus, 3, "the status is the low 8 bits")
        XCTAssertEqual(r.text, "exit_group(65539) = ?")
    }

    func testAbortBySignalIs134() {
        sc(250, UInt64(getpid()), UInt64(getpid()), 6)   // tgkill(pid, tid, SIGABRT)
        XCTAssertEqual(process.exitStatus, 134)
    }

    func testIgnoredSignalDoesNothing() throws {
        try memory.write([UInt8](repeating: 0, count: 7) + [1] + [UInt8](repeating: 0, count: 24), at: scratch)  // sa_handler = SIG_IGN
        sc(173, 10, scratch, 0, 8)                       // rt_sigaction(SIGUSR1, &act, NULL, 8)
        XCTAssertEqual(cpu.gpr[3], 0)
        sc(37, UInt64(getpid()), 10)
        XCTAssertNil(process.exitStatus)
    }

    func testHandlerRunsOnReturnAndSigreturnRestores() throws {
        // struct sigaction { handler = 0x5000, flags = 0, restorer = 0, mask = 0 } (ELFv2: code address).
        try memory.write([0, 0, 0, 0, 0, 0, 0x50, 0] + [UInt8](repeating: 0, count: 24), at: scratch)
        sc(173, 10, scratch, 0, 8)
        cpu.gpr[1] = 0x10_0000
        cpu.pc = 0x2004                                  // just after the sc
        cpu.gpr[31] = 0x1234
        sc(250, UInt64(getpid()), UInt64(getpid()), 10)  // tgkill(self, SIGUSR1)
        XCTAssertNil(process.exitStatus)
        XCTAssertEqual(memory.load32(cpu.pc), 0x4E80_0421, "the handler is called through the trampoline's bctrl")
        XCTAssertEqual(cpu.ctr, 0x5000, "CTR = the handler")
        XCTAssertEqual(cpu.gpr[3], 10, "r3 = the signal")
        XCTAssertEqual(cpu.gpr[12], 0x5000, "ELFv2: r12 = the handler's address")
        XCTAssertEqual(cpu.gpr[1] % 16, 0)
        XCTAssertLessThan(cpu.gpr[1], 0x10_0000 - 512, "below the red zone")
        XCTAssertEqual(memory.load64(cpu.gpr[1]), 0x10_0000, "back chain to the interrupted frame")
        XCTAssertEqual(memory.load32(cpu.pc + 4), 0x3821_0080, "then addi r1,r1,128")
        XCTAssertEqual(memory.load32(cpu.pc + 8), 0x3800_00AC, "li r0,172 (rt_sigreturn)")
        XCTAssertEqual(memory.load32(cpu.pc + 12), 0x4400_0002, "then sc")
        cpu.gpr[31] = 0
        cpu.gpr[1] += 128                                // what the trampoline does
        sc(172)
        XCTAssertEqual(cpu.pc, 0x2004, "back after the tgkill")
        XCTAssertEqual(cpu.gpr[1], 0x10_0000)
        XCTAssertEqual(cpu.gpr[31], 0x1234)
        XCTAssertEqual(cpu.gpr[3], 0, "tgkill's own result, as it was")
        XCTAssertEqual(cpu.cr & so, 0)
    }

    func testFutexWaitOnChangedWordIsEAGAIN() {
        _ = memory.store32(scratch, 5)
        sc(221, scratch, 0x80, 4, 0)                     // FUTEX_WAIT_PRIVATE, expecting 4
        XCTAssertEqual(cpu.gpr[3], 11)
        sc(221, scratch, 0x81, 1)                        // FUTEX_WAKE_PRIVATE
        XCTAssertEqual(cpu.gpr[3], 0); XCTAssertEqual(cpu.cr & so, 0)
    }

    func testUnameSaysPPC64() throws {
        sc(122, scratch)
        XCTAssertEqual(String(decoding: try memory.readCString(scratch), as: UTF8.self), "Linux")
        XCTAssertEqual(String(decoding: try memory.readCString(scratch + 4 * 65), as: UTF8.self), "ppc64", "machine is the 5th 65-byte field")
    }

    func testBrkAndMmap() {
        sc(45, 0)
        let brk0 = cpu.gpr[3]
        XCTAssertEqual(brk0, 0x4_0000, "the break starts at the 64K page after the image")
        sc(45, brk0 + 0x1234)
        XCTAssertEqual(cpu.gpr[3], brk0 + 0x1234)
        sc(90, 0, 0x3000, 3, 0x22, UInt64(bitPattern: -1), 0)   // mmap(NULL, 12K, RW, PRIVATE|ANON)
        let a = cpu.gpr[3]
        XCTAssertEqual(cpu.cr & so, 0)
        XCTAssertEqual(a % 65536, 0, "64K pages")
        XCTAssertGreaterThan(a, brk0)
        XCTAssertLessThan(a, memory.ramSize - LinuxProcess.stackSize)
        sc(90, 0, 0x3000, 3, 0x22, UInt64(bitPattern: -1), 0)
        XCTAssertLessThan(cpu.gpr[3], a, "top-down")
        sc(91, a, 0x3000)
        XCTAssertEqual(cpu.gpr[3], 0)
        sc(90, 0, 0x1_0000_0000_0000, 3, 0x22, UInt64(bitPattern: -1), 0)
        XCTAssertEqual(cpu.gpr[3], 12, "ENOMEM")
    }

    func testReadlinkProcSelfExe() throws {
        put("/proc/self/exe", at: scratch)
        sc(85, scratch, scratch + 0x100, 4096)
        XCTAssertEqual(cpu.cr & so, 0)
        XCTAssertEqual(String(decoding: try memory.read(scratch + 0x100, count: Int(cpu.gpr[3])), as: UTF8.self), "/bin/prog")
    }
}

#if canImport(Glibc)
import Glibc
#endif
import XCTest
import GuestMemory
import PowerISA
@testable import LinuxUser

/// The descriptor, metadata, process-control and /proc/self system calls, driven through `sc 0`
/// with guest structures checked byte by byte (big-endian, ppc64 layouts).
final class NewSyscallTests: XCTestCase {
    var memory: GuestMemory!
    var process: LinuxProcess!
    var cpu: CPU!
    let so: UInt32 = 0x1000_0000
    let scratch: UInt64 = 0x8_0000

    func makeProcess(root: String? = nil, segments: [ProgramInfo.LoadSegment] = [], imageEnd: UInt64 = 0x4_0000) throws {
        memory = try GuestMemory(ramSize: 32 << 20)
        var info = ProgramInfo(path: "/bin/prog", entry: 0x1000, toc: nil, headerEntry: 0x1000, abiVersion: 2, programHeaderAddress: 0,
                               programHeaderEntrySize: 56, programHeaderCount: 0, imageEnd: imageEnd)
        info.segments = segments
        process = LinuxProcess(memory: memory, program: info, root: root)
        cpu = CPU()
        cpu.msr = MSR.sf | MSR.pr
    }

    override func setUpWithError() throws { try makeProcess() }

    @discardableResult
    func sc(_ nr: UInt64, _ args: UInt64...) -> SyscallRecord {
        cpu.gpr[0] = nr
        for (i, a) in args.enumerated() { cpu.gpr[3 + i] = a }
        return process.systemCall(cpu: cpu, render: true)
    }
    var failed: Bool { cpu.cr & so != 0 }
    func put(_ s: String, at a: UInt64) { try! memory.write(Array(s.utf8) + [0], at: a) }
    func be32(_ a: UInt64) -> Int32 { Int32(bitPattern: memory.load32(a)!) }

    func testPipe2WritesTwoBigEndianIntsAndTraces() {
        let r = sc(317, scratch, 0o2000000)                 // pipe2(fds, O_CLOEXEC)
        XCTAssertFalse(failed)
        XCTAssertEqual([be32(scratch), be32(scratch + 4)], [3, 4], "the two lowest free guest fds, int[2]")
        XCTAssertEqual(r.text, "pipe2([3, 4], O_CLOEXEC) = 0")
        put("hi", at: scratch + 0x100)
        XCTAssertEqual(sc(4, 4, scratch + 0x100, 2).result, 2)
        XCTAssertEqual(sc(3, 3, scratch + 0x200, 8).result, 2)
        XCTAssertEqual(try memory.read(scratch + 0x200, count: 2), Array("hi".utf8))
        sc(42, 0xFFFF_FFFF_0000)                            // pipe(<unmapped>)
        XCTAssertEqual(cpu.gpr[3], 14, "EFAULT")
    }

    func testPollReventsAtOffset6AndClosedFdIsPOLLNVAL() throws {
        sc(42, scratch)
        put("x", at: scratch + 0x100)
        sc(4, 4, scratch + 0x100, 1)
        // struct pollfd { int fd; short events; short revents; }: {3, POLLIN}, {99, POLLIN}, {-1, POLLIN}.
        try memory.write([0, 0, 0, 3, 0, 1, 0xAA, 0xAA, 0, 0, 0, 99, 0, 1, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 1, 0x55, 0x55], at: scratch + 0x40)
        sc(167, scratch + 0x40, 3, UInt64(bitPattern: -1))
        XCTAssertEqual(cpu.gpr[3], 2, "the readable pipe and the closed fd")
        XCTAssertEqual(try memory.read(scratch + 0x46, count: 2), [0, 1], "POLLIN")
        XCTAssertEqual(try memory.read(scratch + 0x4E, count: 2), [0, 0x20], "POLLNVAL")
        XCTAssertEqual(try memory.read(scratch + 0x56, count: 2), [0, 0], "a negative fd is skipped")
    }

    func testSelectSetsAreBigEndianLongs() throws {
        sc(42, scratch)                                    // fds 3 (read end), 4 (write end)
        // fd_set bit n is bit n % 64 of long n / 64: fd 3 is the low byte's bit 3, last byte of the first BE long.
        try memory.write([0, 0, 0, 0, 0, 0, 0, 0x08], at: scratch + 0x100)       // read set {3}
        try memory.write([0, 0, 0, 0, 0, 0, 0, 0x10], at: scratch + 0x200)       // write set {4}
        try memory.write(BE.words([0, 0]), at: scratch + 0x300)                  // timeout 0
        sc(142, 5, scratch + 0x100, scratch + 0x200, 0, scratch + 0x300)         // _newselect
        XCTAssertEqual(cpu.gpr[3], 1, "only the write end is ready")
        XCTAssertEqual(memory.load64(scratch + 0x100), 0)
        XCTAssertEqual(memory.load64(scratch + 0x200), 0x10)
        try memory.write([0, 0, 0, 0, 0, 0, 0, 0x80], at: scratch + 0x100)       // fd 7: not open
        sc(280, 8, scratch + 0x100, 0, 0, 0, 0)
        XCTAssertEqual(cpu.gpr[3], 9, "EBADF")
    }

    func testEventfdCounterIsBigEndian() throws {
        sc(314, 0x0102_0304, 0)                            // eventfd2(0x01020304, 0)
        let fd = cpu.gpr[3]
        sc(3, fd, scratch, 8)
        XCTAssertEqual(try memory.read(scratch, count: 8), [0, 0, 0, 0, 1, 2, 3, 4])
        try memory.write([0, 0, 0, 0, 0, 0, 1, 0], at: scratch)                  // add 256
        sc(41, fd)                                                                // a dup is an eventfd too
        XCTAssertEqual(sc(4, cpu.gpr[3], scratch, 8).result, 8)
        sc(3, fd, scratch + 8, 8)
        XCTAssertEqual(memory.load64(scratch + 8), 256)
    }

    func testPrctlNameAndFPExceptionMode() throws {
        put("a-rather-long-thread-name", at: scratch)
        let r = sc(171, 15, scratch)                      // PR_SET_NAME
        XCTAssertEqual(r.text?.hasPrefix("prctl(PR_SET_NAME, 0x80000"), true, r.text ?? "")
        sc(171, 16, scratch + 0x100)                      // PR_GET_NAME: 16 bytes, NUL included
        XCTAssertEqual(try memory.read(scratch + 0x100, count: 16), Array("a-rather-long-t".utf8) + [0])
        XCTAssertEqual(process.fpExceptionMode, 0)
        sc(171, 12, 3)                                     // PR_SET_FPEXC, PR_FP_EXC_PRECISE
        XCTAssertFalse(failed)
        XCTAssertEqual(process.fpExceptionMode, 3)
        sc(171, 11, scratch + 0x200)                      // PR_GET_FPEXC
        XCTAssertEqual(memory.load32(scratch + 0x200), 3)
        sc(171, 12, 0x80)                                  // PR_FP_EXC_SW_ENABLE: SPE only
        XCTAssertEqual(cpu.gpr[3], 22)
        sc(171, 12, 4)
        XCTAssertEqual(cpu.gpr[3], 22, "above PR_FP_EXC_PRECISE")
        XCTAssertEqual(process.fpExceptionMode, 3, "unchanged by refused calls")
    }

    func testGetpriorityIsTwentyMinusNice() {
        sc(96, 0, 0)
        XCTAssertEqual(Int32(cpu.gpr[3]), 20 - getpriority(__priority_which_t(0), 0))
    }

    func testStatfsSizeIsChecked() {
        put("/", at: scratch)
        sc(252, scratch, 88, scratch + 0x100)             // statfs64 with a wrong size
        XCTAssertEqual(cpu.gpr[3], 22)
        sc(252, scratch, 120, scratch + 0x100)
        XCTAssertFalse(failed)
        XCTAssertNotEqual(memory.load64(scratch + 0x108), 0, "f_bsize")
    }

    func testItimerValuesRoundTripInGuestLayout() throws {
        try memory.write(BE.words([0, 0, 100, 0]), at: scratch)               // it_interval 0, it_value 100 s
        sc(104, 0, scratch, 0)
        XCTAssertFalse(failed)
        sc(105, 0, scratch + 0x100)
        let left = memory.load64(scratch + 0x110)!
        XCTAssertTrue(left == 99 || left == 100, "\(left)")
        XCTAssertEqual(sc(27, 0).result, 100, "alarm(0) returns the seconds left, rounded")
        try memory.write(BE.words([0, 0, 0, 1_000_000]), at: scratch)         // tv_usec out of range
        sc(104, 0, scratch, 0)
        XCTAssertEqual(cpu.gpr[3], 22)
    }

    func testLinkAndSymlinkStayInsideTheRoot() throws {
        let dir = NSTemporaryDirectory() + "lpar-link-\(getpid())"
        mkdir(dir, 0o755)
        defer { for f in ["a", "b", "s"] { unlink(dir + "/" + f) }; rmdir(dir) }
        FileManager.default.createFile(atPath: dir + "/a", contents: Data("x".utf8))
        try makeProcess(root: dir)
        put("/a", at: scratch); put("/b", at: scratch + 0x100)
        sc(9, scratch, scratch + 0x100)                     // link("/a", "/b") inside the root
        XCTAssertFalse(failed)
        var st = stat()
        XCTAssertEqual(stat(dir + "/b", &st), 0)
        XCTAssertEqual(st.st_nlink, 2)
        put("/etc/passwd", at: scratch + 0x200); put("/s", at: scratch + 0x300)
        sc(83, scratch + 0x200, scratch + 0x300)            // symlink: the target is stored as written
        XCTAssertEqual(PathResolver.linkTarget(dir + "/s"), "/etc/passwd")
        put("/../escape", at: scratch + 0x400)
        sc(9, scratch, scratch + 0x400)
        XCTAssertEqual(cpu.gpr[3], 13, "EACCES: .. cannot leave the root")
        put("/s", at: scratch + 0x500)
        sc(181, scratch + 0x500, UInt64(getuid()), UInt64(getgid()))  // chown follows /s to <root>/etc/passwd
        XCTAssertEqual(cpu.gpr[3], 2, "ENOENT: the link's target is looked up inside the root")
    }

    func testProcSelfCmdlineAndMaps() throws {
        // A text segment at 0x10000 (R+X, 0x173f0 bytes) and a data one at 0x37990 (R+W, 0x7e8 in
        // the file at 0x27990, 0x1fd58 in memory), 64 KiB pages:
        //   text 0x10000-0x30000 offset 0; data file part 0x30000-0x40000 offset 0x20000;
        //   bss beyond it 0x40000-0x60000 anonymous; the heap from 0x60000.
        try makeProcess(segments: [.init(address: 0x10000, fileSize: 0x173F0, memorySize: 0x173F0, fileOffset: 0, flags: 5),
                                   .init(address: 0x37990, fileSize: 0x7E8, memorySize: 0x1FD58, fileOffset: 0x27990, flags: 6)],
                        imageEnd: 0x576E8)
        _ = try process.start(cpu: cpu, info: ProcessStartInfo(arguments: ["/bin/prog", "a b", ""], environment: ["X=1"],
                                                                execPath: "/bin/prog", random: [UInt8](repeating: 0, count: 16)))
        XCTAssertEqual(process.procSelfContents(.cmdline), Array("/bin/prog\0a b\0\0".utf8))
        sc(45, 0x7_0000)                                    // brk: one heap page
        try memory.write(BE.words([0]), at: scratch)
        sc(90, 0, 0x10000, 1, 0x22, UInt64(bitPattern: -1), 0)   // mmap 64 KiB PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS
        let top = cpu.gpr[3]
        let lines = ProcMaps.text(process.mapsEntries()).split(separator: "\n").map { String($0.prefix(47)).trimmingCharacters(in: .whitespaces) }
        // The mmap region sits highest below the stack's guard gap: 32M - 8M (stack) - 1M (gap) - 64K.
        XCTAssertEqual(top, 0x16F_0000)
        XCTAssertEqual(lines, ["00010000-00030000 r-xp 00000000 00:00 0", "00030000-00040000 rw-p 00020000 00:00 0",
                               "00040000-00060000 rw-p 00000000 00:00 0", "00060000-00070000 rw-p 00000000 00:00 0",
                               "016f0000-01700000 r--p 00000000 00:00 0", "01800000-02000000 rw-p 00000000 00:00 0"])
        let names = process.mapsEntries().map(\.name)
        XCTAssertEqual(names, ["/bin/prog", "/bin/prog", "", "[heap]", "", "[stack]"])
        // Opening it gives a read-only fd with the same text; writing is refused as by the kernel.
        put("/proc/self/maps", at: scratch + 0x100)
        sc(5, scratch + 0x100, 1, 0)                        // O_WRONLY
        XCTAssertEqual(cpu.gpr[3], 13, "EACCES")
        sc(5, scratch + 0x100, 0, 0)
        let fd = cpu.gpr[3]
        XCTAssertEqual(sc(3, fd, scratch + 0x1000, 4096).result, Int64(ProcMaps.text(process.mapsEntries()).utf8.count))
    }
}

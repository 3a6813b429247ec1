import XCTest
import GuestMemory
@testable import LinuxUser

/// Guest structure layouts, from the ppc64 headers (arch/powerpc/include/uapi/asm/stat.h,
/// include/uapi/linux/stat.h, asm/fcntl.h), and the personality rule.
final class LayoutTests: XCTestCase {
    func be64(_ b: [UInt8], _ o: Int) -> UInt64 { b[o..<o + 8].reduce(0) { $0 << 8 | UInt64($1) } }
    func be32(_ b: [UInt8], _ o: Int) -> UInt32 { b[o..<o + 4].reduce(0) { $0 << 8 | UInt32($1) } }

    func testPPC64StatLayout() {
        var f = StatLayout.Fields()
        f.dev = 0x801; f.ino = 0x1122334455; f.nlink = 3; f.mode = 0o100644; f.uid = 1000; f.gid = 100; f.rdev = 0x5
        f.size = 123456789; f.blksize = 4096; f.blocks = 8
        f.atime = 1_700_000_001; f.atimeNsec = 11; f.mtime = 1_700_000_002; f.mtimeNsec = 22; f.ctime = 1_700_000_003; f.ctimeNsec = 33
        let b = StatLayout.ppc64Stat(f)
        XCTAssertEqual(b.count, 144, "sizeof(struct stat) on ppc64")
        XCTAssertEqual(be64(b, 0), 0x801, "st_dev")
        XCTAssertEqual(be64(b, 8), 0x1122334455, "st_ino")
        XCTAssertEqual(be64(b, 16), 3, "st_nlink is a long at 16 on ppc64 (before st_mode)")
        XCTAssertEqual(be32(b, 24), 0o100644, "st_mode is 32-bit at 24")
        XCTAssertEqual(be32(b, 28), 1000, "st_uid"); XCTAssertEqual(be32(b, 32), 100, "st_gid")
        XCTAssertEqual(be64(b, 40), 5, "st_rdev after 4 bytes of padding")
        XCTAssertEqual(be64(b, 48), 123456789, "st_size")
        XCTAssertEqual(be64(b, 56), 4096, "st_blksize"); XCTAssertEqual(be64(b, 64), 8, "st_blocks")
        XCTAssertEqual(be64(b, 72), 1_700_000_001); XCTAssertEqual(be64(b, 80), 11)
        XCTAssertEqual(be64(b, 88), 1_700_000_002); XCTAssertEqual(be64(b, 96), 22)
        XCTAssertEqual(be64(b, 104), 1_700_000_003); XCTAssertEqual(be64(b, 112), 33)
        XCTAssertEqual(Array(b[120..<144]), [UInt8](repeating: 0, count: 24), "__unused4..6")
    }

    func testStatxLayout() {
        var f = StatLayout.Fields()
        f.mode = 0o40755; f.size = 77; f.mtime = 42; f.mtimeNsec = 7; f.dev = (8 << 8) | 1
        let b = StatLayout.statx(f)
        XCTAssertEqual(b.count, 256)
        XCTAssertEqual(UInt16(b[28]) << 8 | UInt16(b[29]), 0o40755, "stx_mode is u16 at 28")
        XCTAssertEqual(be64(b, 40), 77, "stx_size")
        XCTAssertEqual(be64(b, 112), 42, "stx_mtime.tv_sec"); XCTAssertEqual(be32(b, 120), 7)
        XCTAssertEqual(be32(b, 136), 8, "stx_dev_major"); XCTAssertEqual(be32(b, 140), 1, "stx_dev_minor")
    }

    func testOpenFlagTranslation() {
        // powerpc: O_DIRECTORY 040000, O_NOFOLLOW 0100000, O_LARGEFILE 0200000, O_DIRECT 0400000;
        // x86-64: O_DIRECTORY 0200000, O_NOFOLLOW 0400000, O_LARGEFILE 0100000, O_DIRECT 040000.
        XCTAssertEqual(LinuxProcess.hostOpenFlags(0o40000), 0o200000)
        XCTAssertEqual(LinuxProcess.hostOpenFlags(0o100000), 0o400000)
        XCTAssertEqual(LinuxProcess.hostOpenFlags(0o2000000 | 0o100 | 2), 0o2000000 | 0o100 | 2, "O_CLOEXEC|O_CREAT|O_RDWR are generic")
        XCTAssertEqual(LinuxProcess.guestOpenFlags(0o100000 | 1), 0o200000 | 1)
    }

    func testDetectionRule() {
        XCTAssertTrue(PersonalityDetector.isLinuxProgram(hasABINote: true, osABI: 0, definesLibcStartMain: false))
        XCTAssertTrue(PersonalityDetector.isLinuxProgram(hasABINote: false, osABI: 3, definesLibcStartMain: false))
        XCTAssertTrue(PersonalityDetector.isLinuxProgram(hasABINote: false, osABI: 0, definesLibcStartMain: true))
        XCTAssertFalse(PersonalityDetector.isLinuxProgram(hasABINote: false, osABI: 0, definesLibcStartMain: false),
                       "a freestanding guest keeps the PAPR platform")
    }

    func testAddressSpaceKeepsHeapAndMappingsApart() {
        var s = AddressSpace(imageEnd: 0x10_0001, stackBottom: 0x100_0000)
        XCTAssertEqual(s.brk, 0x11_0000)
        let a = s.allocate(0x1_0000)!
        XCTAssertEqual(a, 0x100_0000 - 0x10_0000 - 0x1_0000, "below the 1 MiB guard gap under the stack")
        XCTAssertEqual(s.setBreak(a + 0x100).brk, 0x11_0000, "the break cannot grow into a mapping")
        s.remove(a, a + 0x1_0000)
        XCTAssertEqual(s.allocate(0x8000), a, "freed space is reused")
    }
}

/// Flag arguments in `--trace syscall` lines, named as strace names them, with powerpc's values
/// (asm/mman.h: MAP_NORESERVE 0x40, MAP_LOCKED 0x80; uapi/linux/fcntl.h for AT_*).
final class SyscallFlagNameTests: XCTestCase {
    func name(_ v: UInt64, _ kind: SyscallArg) throws -> String {
        SyscallFormatter.argument(kind, v, args: [], result: nil, memory: try GuestMemory(ramSize: 1 << 20))
    }

    func testFlagsAreNamedWithLeftoverBitsInHex() throws {
        XCTAssertEqual(try name(0x22, .mapFlags), "MAP_PRIVATE|MAP_ANONYMOUS")
        XCTAssertEqual(try name(0x40 | 0x02, .mapFlags), "MAP_PRIVATE|MAP_NORESERVE")
        XCTAssertEqual(try name(3, .prot), "PROT_READ|PROT_WRITE")
        XCTAssertEqual(try name(0, .prot), "PROT_NONE")
        XCTAssertEqual(try name(0x1100, .atFlags), "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH")
        XCTAssertEqual(try name(0x1_0000, .atFlags), "0x10000")
        XCTAssertEqual(try name(0, .atFlags), "0")
    }
}

import XCTest
@testable import LinuxUser

/// ppc64 structure layouts against the kernel's uapi definitions (offsets written out here by
/// hand from the headers; big-endian, LP64).
final class KernelLayoutTests: XCTestCase {
    func testStatfsIsTheGenericLayoutBigEndian() {
        var s = KernelLayout.Statfs()
        s.type = 0xEF53; s.blockSize = 4096; s.blocks = 0x1_0000_0002; s.freeBlocks = 3; s.availableBlocks = 4
        s.files = 5; s.freeFiles = 6; s.fsid = (0x1122_3344, -2); s.nameLength = 255; s.fragmentSize = 4096; s.flags = 0x20
        let b = s.bytes
        // asm-generic/statfs.h with a 64-bit __statfs_word: 7 longs, f_fsid (2 ints), 3 longs, f_spare[4].
        XCTAssertEqual(b.count, 120)
        XCTAssertEqual(Array(b[0..<8]), [0, 0, 0, 0, 0, 0, 0xEF, 0x53], "f_type at 0")
        XCTAssertEqual(Array(b[16..<24]), [0, 0, 0, 1, 0, 0, 0, 2], "f_blocks at 16")
        XCTAssertEqual(b[55], 6, "f_ffree ends at 56")
        XCTAssertEqual(Array(b[56..<64]), [0x11, 0x22, 0x33, 0x44, 0xFF, 0xFF, 0xFF, 0xFE], "f_fsid.val[0], val[1] at 56, 60")
        XCTAssertEqual(b[71], 255, "f_namelen at 64")
        XCTAssertEqual(Array(b[72..<80]), [0, 0, 0, 0, 0, 0, 0x10, 0], "f_frsize at 72")
        XCTAssertEqual(b[87], 0x20, "f_flags at 80")
        XCTAssertEqual(Array(b[88..<120]), [UInt8](repeating: 0, count: 32), "f_spare")
    }

    func testHostStatfsWordsBecomeFields() {
        // x86-64's struct statfs: f_fsid's two ints share word 7, val[0] in the low half (little-endian).
        var w = [UInt64](repeating: 0, count: 15)
        w[0] = 0x9FA0; w[1] = 4096; w[7] = 0xFFFF_FFFE_0000_0007; w[8] = 255
        let s = LinuxProcess.guestStatfs(hostWords: w)
        XCTAssertEqual(s.type, 0x9FA0)
        XCTAssertEqual(s.fsid.0, 7)
        XCTAssertEqual(s.fsid.1, -2)
        XCTAssertEqual(s.nameLength, 255)
    }

    func testRusageLayout() {
        // struct rusage: two struct timevals (16 bytes each), then 14 longs.
        let b = KernelLayout.rusage(user: (1, 500_000), system: (2, 250_000), counters: Array(1...14))
        XCTAssertEqual(b.count, 144)
        XCTAssertEqual(BE.word(b, 0), 1); XCTAssertEqual(BE.word(b, 8), 500_000)
        XCTAssertEqual(BE.word(b, 16), 2); XCTAssertEqual(BE.word(b, 24), 250_000)
        XCTAssertEqual(BE.word(b, 32), 1, "ru_maxrss at 32")
        XCTAssertEqual(BE.word(b, 136), 14, "ru_nivcsw at 136")
    }

    func testItimerval() {
        let b = KernelLayout.itimerval(interval: (1, 2), value: (3, 4))
        XCTAssertEqual(b.count, 32)
        XCTAssertEqual([0, 8, 16, 24].map { BE.word(b, $0) }, [1, 2, 3, 4], "it_interval then it_value, timevals of two longs")
    }
}

/// setitimer/getitimer/alarm arithmetic, with the clock given (nanoseconds).
final class IntervalTimerTests: XCTestCase {
    func testOneShotCountsDownAndDisarms() {
        var t = IntervalTimers()
        XCTAssertEqual(t.set(0, interval: 0, value: 1_500_000, now: 0).value, 0)
        XCTAssertEqual(t.get(0, now: 500_000_000).value, 1_000_000, "1.5 s armed, 0.5 s later: 1 s left")
        XCTAssertEqual(t.get(0, now: 1_499_999_001).value, 1, "rounded up to the microsecond")
        XCTAssertEqual(t.get(0, now: 2_000_000_000).value, 0, "expired one-shot reads disarmed")
        XCTAssertNil(t.nextExpiry)
    }

    func testPeriodicReloads() {
        var t = IntervalTimers()
        _ = t.set(0, interval: 1_000_000, value: 1_000_000, now: 0)
        // Expired at 1 s and 2 s; at 2.25 s the next expiry is 3 s: 0.75 s left.
        XCTAssertEqual(t.get(0, now: 2_250_000_000).value, 750_000)
        XCTAssertEqual(t.get(0, now: 2_250_000_000).interval, 1_000_000)
        XCTAssertEqual(t.nextExpiry, 3_000_000_000)
    }

    func testAlarmRoundsTheOldValue() {
        var t = IntervalTimers()
        XCTAssertEqual(t.alarm(10, now: 0), 0)
        // 10 s armed at 0; at 8.5 s 1.5 s are left: alarm rounds to nearest, up at .5 -> 2.
        XCTAssertEqual(t.alarm(5, now: 8_500_000_000), 2)
        // 5 s armed at 8.5 s; at 13.3 s 0.2 s are left: less than .5 but not zero -> 1.
        XCTAssertEqual(t.alarm(0, now: 13_300_000_000), 1)
        XCTAssertEqual(t.get(0, now: 13_300_000_000).value, 0, "alarm(0) disarms")
    }
}

/// /proc/self/maps lines in the kernel's format (show_map_vma: the header padded to 72
/// characters, then a space, so a name starts in column 73).
final class ProcMapsTests: XCTestCase {
    func testNamedAndAnonymousLines() {
        let named = ProcMaps.Entry(start: 0x1000_0000, end: 0x100c_0000, prot: 5, offset: 0, device: 0xFE00, inode: 16223166, name: "/tmp/lp/maps")
        let header = "10000000-100c0000 r-xp 00000000 fe:00 16223166 "   // 47 characters
        XCTAssertEqual(ProcMaps.line(named), header + String(repeating: " ", count: 72 - 47) + " /tmp/lp/maps")
        XCTAssertEqual(ProcMaps.line(named).distance(from: ProcMaps.line(named).startIndex, to: ProcMaps.line(named).firstIndex(of: "/")!), 73)
        // Anonymous: no padding, the line ends with the space after the inode.
        XCTAssertEqual(ProcMaps.line(.init(start: 0x1f8b_0000, end: 0x1f8d_0000, prot: 1)), "1f8b0000-1f8d0000 r--p 00000000 00:00 0 ")
        // More than 8 hex digits print in full; device 8:1 as 08:01.
        XCTAssertEqual(ProcMaps.line(.init(start: 0x40_0000_0000, end: 0x40_0001_0000, prot: 3, device: 0x801, inode: 2, name: "x")).prefix(43),
                       "4000000000-4000010000 rw-p 00000000 08:01 2")
    }

    func testSplitAtRecordedProtections() {
        let page = AddressSpace.pageSize
        let e = ProcMaps.Entry(start: 0x10_0000, end: 0x10_0000 + 3 * page, prot: 3)
        let pieces = ProcMaps.split([e], by: [(0x10_0000 + page) / page: 1])
        XCTAssertEqual(pieces.map { [$0.start, $0.end, UInt64($0.prot)] },
                       [[0x10_0000, 0x11_0000, 3], [0x11_0000, 0x12_0000, 1], [0x12_0000, 0x13_0000, 3]])
        // A file mapping's second piece keeps its file offset.
        let file = ProcMaps.Entry(start: 0x20_0000, end: 0x20_0000 + 2 * page, prot: 3, offset: 0x5_0000, inode: 9, name: "f")
        let split = ProcMaps.split([file], by: [0x20_0000 / page: 1])
        XCTAssertEqual(split.map(\.offset), [0x5_0000, 0x6_0000])
        // Neighbouring anonymous entries with one protection merge.
        XCTAssertEqual(ProcMaps.split([.init(start: 0, end: page, prot: 3), .init(start: page, end: 2 * page, prot: 3)], by: [:]).count, 1)
    }
}

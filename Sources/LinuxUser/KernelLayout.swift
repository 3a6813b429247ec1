/// ppc64 kernel structures other than `struct stat` (StatLayout), big-endian as the guest reads
/// them. Sizes and offsets are the kernel's uapi definitions for __powerpc64__ (LP64: long and
/// pointers 8 bytes, int 4).
public enum KernelLayout {
    /// `struct statfs` and `struct statfs64` (asm-generic/statfs.h, which powerpc's
    /// uapi/asm/statfs.h includes; __statfs_word is a 64-bit long, ARCH_PACK_STATFS64 empty): both
    /// are f_type 0, f_bsize 8, f_blocks 16, f_bfree 24, f_bavail 32, f_files 40, f_ffree 48,
    /// f_fsid (two ints) 56, f_namelen 64, f_frsize 72, f_flags 80, f_spare[4] 88, 120 bytes.
    public struct Statfs: Equatable, Sendable {
        public var type: UInt64 = 0, blockSize: UInt64 = 0, blocks: UInt64 = 0, freeBlocks: UInt64 = 0, availableBlocks: UInt64 = 0
        public var files: UInt64 = 0, freeFiles: UInt64 = 0, fsid: (Int32, Int32) = (0, 0)
        public var nameLength: UInt64 = 0, fragmentSize: UInt64 = 0, flags: UInt64 = 0
        public init() {}
        public static func == (a: Statfs, b: Statfs) -> Bool { a.bytes == b.bytes }
    }
    public static let statfsSize = 120

    /// `struct rusage` (linux/resource.h): ru_utime 0 and ru_stime 16 (struct timeval, two
    /// longs each), then 14 longs from ru_maxrss at 32 to ru_nivcsw at 136; 144 bytes.
    public static let rusageSize = 144

    /// `struct pollfd` (asm-generic/poll.h): int fd 0, short events 4, short revents 6; 8 bytes.
    public static let pollfdSize = 8

    /// struct rusage from its two times (seconds, microseconds) and the 14 counters in order.
    public static func rusage(user: (Int64, Int64), system: (Int64, Int64), counters: [Int64]) -> [UInt8] {
        BE.words([user.0, user.1, system.0, system.1].map { UInt64(bitPattern: $0) }
                 + (0..<14).map { UInt64(bitPattern: $0 < counters.count ? counters[$0] : 0) })
    }

    /// `struct itimerval` (linux/time.h): it_interval then it_value, each a struct timeval
    /// { long tv_sec; long tv_usec; }: 32 bytes.
    public static let itimervalSize = 32
    public static func itimerval(interval: (Int64, Int64), value: (Int64, Int64)) -> [UInt8] {
        BE.words([interval.0, interval.1, value.0, value.1].map { UInt64(bitPattern: $0) })
    }
}

extension KernelLayout.Statfs {
    public var bytes: [UInt8] {
        var b = BE.words([type, blockSize, blocks, freeBlocks, availableBlocks, files, freeFiles, 0, nameLength, fragmentSize, flags, 0, 0, 0, 0])
        StatLayout.put32(&b, 56, UInt32(bitPattern: fsid.0)); StatLayout.put32(&b, 60, UInt32(bitPattern: fsid.1))
        return b
    }
}

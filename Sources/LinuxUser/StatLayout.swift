#if canImport(Glibc)
import Glibc
#endif

/// Guest structure layouts the host's differ from: ppc64 is big-endian and its `struct stat`
/// is its own (arch/powerpc/include/uapi/asm/stat.h, the __powerpc64__ branch).
public enum StatLayout {
    /// Host-independent fields of a stat result.
    public struct Fields: Equatable, Sendable {
        public var dev: UInt64 = 0, ino: UInt64 = 0, nlink: UInt64 = 0, mode: UInt32 = 0, uid: UInt32 = 0, gid: UInt32 = 0
        public var rdev: UInt64 = 0, size: Int64 = 0, blksize: Int64 = 0, blocks: Int64 = 0
        public var atime: Int64 = 0, atimeNsec: Int64 = 0, mtime: Int64 = 0, mtimeNsec: Int64 = 0, ctime: Int64 = 0, ctimeNsec: Int64 = 0
        public init() {}
    }

    /// sizeof(struct stat) on ppc64.
    public static let statSize = 144

    /// ppc64 `struct stat`: st_dev 0, st_ino 8, st_nlink 16, st_mode 24 (u32), st_uid 28,
    /// st_gid 32, (pad 36), st_rdev 40, st_size 48, st_blksize 56, st_blocks 64, st_atime 72,
    /// st_atime_nsec 80, st_mtime 88, st_mtime_nsec 96, st_ctime 104, st_ctime_nsec 112,
    /// three unused longs to 144. All big-endian.
    public static func ppc64Stat(_ f: Fields) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: statSize)
        put64(&b, 0, f.dev); put64(&b, 8, f.ino); put64(&b, 16, f.nlink)
        put32(&b, 24, f.mode); put32(&b, 28, f.uid); put32(&b, 32, f.gid)
        put64(&b, 40, f.rdev); put64(&b, 48, UInt64(bitPattern: f.size)); put64(&b, 56, UInt64(bitPattern: f.blksize))
        put64(&b, 64, UInt64(bitPattern: f.blocks))
        put64(&b, 72, UInt64(bitPattern: f.atime)); put64(&b, 80, UInt64(bitPattern: f.atimeNsec))
        put64(&b, 88, UInt64(bitPattern: f.mtime)); put64(&b, 96, UInt64(bitPattern: f.mtimeNsec))
        put64(&b, 104, UInt64(bitPattern: f.ctime)); put64(&b, 112, UInt64(bitPattern: f.ctimeNsec))
        return b
    }

    /// `struct statx` (include/uapi/linux/stat.h; the same on every architecture, 256 bytes),
    /// big-endian. Birth time is not reported (STATX_BTIME clear in stx_mask).
    public static func statx(_ f: Fields) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 256)
        put32(&b, 0, 0x7FF)  // STATX_BASIC_STATS
        put32(&b, 4, UInt32(truncatingIfNeeded: f.blksize))
        put32(&b, 16, UInt32(truncatingIfNeeded: f.nlink)); put32(&b, 20, f.uid); put32(&b, 24, f.gid)
        put16(&b, 28, UInt16(truncatingIfNeeded: f.mode))
        put64(&b, 32, f.ino); put64(&b, 40, UInt64(bitPattern: f.size)); put64(&b, 48, UInt64(bitPattern: f.blocks))
        // Timestamps: { s64 tv_sec; u32 tv_nsec; s32 pad } at 64 (atime), 80 (btime), 96 (ctime), 112 (mtime).
        put64(&b, 64, UInt64(bitPattern: f.atime)); put32(&b, 72, UInt32(truncatingIfNeeded: f.atimeNsec))
        put64(&b, 96, UInt64(bitPattern: f.ctime)); put32(&b, 104, UInt32(truncatingIfNeeded: f.ctimeNsec))
        put64(&b, 112, UInt64(bitPattern: f.mtime)); put32(&b, 120, UInt32(truncatingIfNeeded: f.mtimeNsec))
        put32(&b, 128, major(f.rdev)); put32(&b, 132, minor(f.rdev))
        put32(&b, 136, major(f.dev)); put32(&b, 140, minor(f.dev))
        return b
    }

    /// glibc's gnu_dev_major/minor encoding (the same for the kernel's new_encode_dev).
    static func major(_ d: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: ((d >> 8) & 0xFFF) | ((d >> 32) & ~0xFFF)) }
    static func minor(_ d: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: (d & 0xFF) | ((d >> 12) & ~0xFF)) }

    public static func fields(_ s: stat) -> Fields {
        var f = Fields()
        f.dev = UInt64(s.st_dev); f.ino = UInt64(s.st_ino); f.nlink = UInt64(s.st_nlink); f.mode = UInt32(s.st_mode)
        f.uid = UInt32(s.st_uid); f.gid = UInt32(s.st_gid); f.rdev = UInt64(s.st_rdev); f.size = Int64(s.st_size)
        f.blksize = Int64(s.st_blksize); f.blocks = Int64(s.st_blocks)
        f.atime = Int64(s.st_atim.tv_sec); f.atimeNsec = Int64(s.st_atim.tv_nsec)
        f.mtime = Int64(s.st_mtim.tv_sec); f.mtimeNsec = Int64(s.st_mtim.tv_nsec)
        f.ctime = Int64(s.st_ctim.tv_sec); f.ctimeNsec = Int64(s.st_ctim.tv_nsec)
        return f
    }

    static func put64(_ b: inout [UInt8], _ o: Int, _ v: UInt64) { for i in 0..<8 { b[o + i] = UInt8(truncatingIfNeeded: v >> UInt64(56 - 8 * i)) } }
    static func put32(_ b: inout [UInt8], _ o: Int, _ v: UInt32) { for i in 0..<4 { b[o + i] = UInt8(truncatingIfNeeded: v >> UInt32(24 - 8 * i)) } }
    static func put16(_ b: inout [UInt8], _ o: Int, _ v: UInt16) { b[o] = UInt8(v >> 8); b[o + 1] = UInt8(truncatingIfNeeded: v) }
}

/// Big-endian packing of guest structures made of 64-bit words (timespec, rlimit, iovec…).
enum BE {
    static func words(_ ws: [UInt64]) -> [UInt8] {
        var b: [UInt8] = []
        b.reserveCapacity(ws.count * 8)
        for w in ws { for i in 0..<8 { b.append(UInt8(truncatingIfNeeded: w >> UInt64(56 - 8 * i))) } }
        return b
    }
    static func word(_ b: [UInt8], _ o: Int) -> UInt64 { b[o..<o + 8].reduce(0) { $0 << 8 | UInt64($1) } }
}

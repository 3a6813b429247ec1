#if canImport(Glibc)
import Glibc
#endif
import GuestMemory

/// Links, ownership, times, file-system statistics and fchdir. Every path goes through
/// `hostPath`, so `--root` confines these as it does open and stat.
extension LinuxProcess {
    static let fileMetadataSyscalls: [SyscallSpec] = [
        // link(2) does not follow a symbolic link in the old path; linkat does with AT_SYMLINK_FOLLOW (0x400).
        SyscallSpec(9, "link", [.path, .path]) { p, a in try p.link(-100, a[0], -100, a[1], flags: 0) },
        SyscallSpec(294, "linkat", [.dirfd, .path, .dirfd, .path, .atFlags]) { p, a in
            try p.link(a.int32(0), a[1], a.int32(2), a[3], flags: a.int32(4))
        },
        // The target is stored as written: it is not a path lpar resolves.
        SyscallSpec(83, "symlink", [.path, .path]) { p, a in
            try p.check(symlinkat(try p.string(a[0]), AT_FDCWD, try p.hostPath(-100, a[1], follow: false)))
        },
        SyscallSpec(295, "symlinkat", [.path, .dirfd, .path]) { p, a in
            try p.check(symlinkat(try p.string(a[0]), try p.hostDir(a.int32(1)), try p.hostPath(a.int32(1), a[2], follow: false)))
        },
        // uid_t and gid_t are 32-bit; -1 leaves one unchanged on both sides.
        SyscallSpec(181, "chown", [.path, .int, .int]) { p, a in try p.chown(-100, a[0], a[1], a[2], flags: 0) },
        SyscallSpec(16, "lchown", [.path, .int, .int]) { p, a in try p.chown(-100, a[0], a[1], a[2], flags: AT_SYMLINK_NOFOLLOW) },
        SyscallSpec(289, "fchownat", [.dirfd, .path, .int, .int, .atFlags]) { p, a in try p.chown(a.int32(0), a[1], a[2], a[3], flags: a.int32(4)) },
        SyscallSpec(95, "fchown", [.int, .int, .int]) { p, a in
            try p.check(fchown(try p.host(a.int(0)), uid_t(truncatingIfNeeded: a[1]), gid_t(truncatingIfNeeded: a[2])))
        },
        SyscallSpec(133, "fchdir", [.int]) { p, a in try p.fchdir(a.int(0)) },
        SyscallSpec(99, "statfs", [.path, .hex]) { p, a in try p.statfs(path: a[0], nil, a[1]) },
        SyscallSpec(100, "fstatfs", [.int, .hex]) { p, a in try p.statfs(fd: a.int(0), nil, a[1]) },
        // The 64 variants name the structure's size: 120 on ppc64, where both structures are the same.
        SyscallSpec(252, "statfs64", [.path, .int, .hex]) { p, a in try p.statfs(path: a[0], a[1], a[2]) },
        SyscallSpec(253, "fstatfs64", [.int, .int, .hex]) { p, a in try p.statfs(fd: a.int(0), a[1], a[2]) },
        SyscallSpec(304, "utimensat", [.dirfd, .path, .hex, .atFlags]) { p, a in try p.utimensat(a) },
    ]

    func link(_ oldDir: Int32, _ old: UInt64, _ newDir: Int32, _ new: UInt64, flags: Int32) throws(Errno) -> Int64 {
        guard flags & ~(0x400 | 0x1000) == 0 else { throw Errno.EINVAL }  // AT_SYMLINK_FOLLOW, AT_EMPTY_PATH
        let from = try hostPath(oldDir, old, follow: flags & 0x400 != 0)
        let to = try hostPath(newDir, new, follow: false)
        return try check(linkat(try hostDir(oldDir), from, try hostDir(newDir), to, flags))
    }

    func chown(_ dir: Int32, _ path: UInt64, _ uid: UInt64, _ gid: UInt64, flags: Int32) throws(Errno) -> Int64 {
        let hp = try hostPath(dir, path, follow: flags & AT_SYMLINK_NOFOLLOW == 0)
        return try check(fchownat(try hostDir(dir), hp, uid_t(truncatingIfNeeded: uid), gid_t(truncatingIfNeeded: gid), flags))
    }

    /// With --root the guest's current directory is lpar's record, so it becomes the directory's
    /// guest path (which must lie inside the root); otherwise lpar's own directory changes.
    func fchdir(_ fd: Int64) throws(Errno) -> Int64 {
        let h = try host(fd)
        var st = Glibc.stat()
        _ = try check(fstat(h, &st))
        guard st.st_mode & S_IFMT == S_IFDIR else { throw Errno.ENOTDIR }
        guard paths.root != nil else { return try check(Glibc.fchdir(h)) }
        guard let dir = PathResolver.linkTarget("/proc/self/fd/\(h)"), let guest = paths.guestPath(ofHost: dir) else { throw Errno.EACCES }
        paths.setCwd(guest)
        return 0
    }

    /// statfs and fstatfs (and their 64 forms, which check the size): the host's struct statfs
    /// (x86-64's has the same fields, also 120 bytes) rewritten big-endian.
    func statfs(path: UInt64? = nil, fd: Int64? = nil, _ size: UInt64?, _ buffer: UInt64) throws(Errno) -> Int64 {
        if let size, size != UInt64(KernelLayout.statfsSize) { throw Errno.EINVAL }
        var raw = [UInt64](repeating: 0, count: 15)
        let r: Int
        if let path {
            let hp = try hostPath(-100, path)
            r = hp.withCString { s in raw.withUnsafeMutableBytes { HostSyscall.call(HostSyscall.statfs, Int(bitPattern: s), Int(bitPattern: $0.baseAddress)) } }
        } else {
            let h = try host(fd ?? -1)
            r = raw.withUnsafeMutableBytes { HostSyscall.call(HostSyscall.fstatfs, Int(h), Int(bitPattern: $0.baseAddress)) }
        }
        _ = try check(r)
        try put(Self.guestStatfs(hostWords: raw).bytes, at: buffer)
        return 0
    }

    /// The host's struct statfs, read as 15 native longs (f_fsid is two ints in word 7).
    static func guestStatfs(hostWords w: [UInt64]) -> KernelLayout.Statfs {
        var s = KernelLayout.Statfs()
        s.type = w[0]; s.blockSize = w[1]; s.blocks = w[2]; s.freeBlocks = w[3]; s.availableBlocks = w[4]
        s.files = w[5]; s.freeFiles = w[6]
        s.fsid = (Int32(truncatingIfNeeded: w[7]), Int32(truncatingIfNeeded: w[7] >> 32))  // little-endian host: val[0] is the low half
        s.nameLength = w[8]; s.fragmentSize = w[9]; s.flags = w[10]
        return s
    }

    /// utimensat: a NULL path means the dirfd itself (futimens); times are two timespecs, with
    /// UTIME_NOW and UTIME_OMIT in tv_nsec (the same values on both sides); NULL means now.
    func utimensat(_ a: SyscallArgs) throws(Errno) -> Int64 {
        let flags = a.int32(3)
        var times: [timespec]?
        if a[2] != 0 {
            let w = try bytes(a[2], 32)
            times = [timespec(tv_sec: Int(Int64(bitPattern: BE.word(w, 0))), tv_nsec: Int(Int64(bitPattern: BE.word(w, 8)))),
                     timespec(tv_sec: Int(Int64(bitPattern: BE.word(w, 16))), tv_nsec: Int(Int64(bitPattern: BE.word(w, 24))))]
        }
        let dir = try hostDir(a.int32(0))
        if a[1] == 0 {
            return try check(times.map { futimens(dir, $0) } ?? futimens(dir, nil))
        }
        let hp = try hostPath(a.int32(0), a[1], follow: flags & AT_SYMLINK_NOFOLLOW == 0)
        return try check(times.map { Glibc.utimensat(dir, hp, $0, flags) } ?? Glibc.utimensat(dir, hp, nil, flags))
    }
}

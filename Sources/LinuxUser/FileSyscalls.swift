#if canImport(Glibc)
import Glibc
#endif
import GuestMemory

/// File-descriptor and path system calls, answered by the host's.
extension LinuxProcess {
    static let fileSyscalls: [SyscallSpec] = [
        SyscallSpec(3, "read", [.int, .outBuffer, .int]) { p, a in
            let h = try p.host(a.int(0))
            if p.eventFDs.contains(h) { return try p.eventfdRead(h, a[1], a[2]) }
            return try p.check(Glibc.read(h, try p.hostPointer(a[1], a[2], writing: true), Int(a[2]))).noted(p, a[1])
        },
        SyscallSpec(4, "write", [.int, .inBuffer(lengthArg: 2), .int]) { p, a in
            let h = try p.host(a.int(0))
            if p.eventFDs.contains(h) { return try p.eventfdWrite(h, a[1], a[2]) }
            return try p.check(Glibc.write(h, try p.hostPointer(a[1], a[2], writing: false), Int(a[2])))
        },
        SyscallSpec(179, "pread64", [.int, .outBuffer, .int, .int]) { p, a in
            let h = try p.host(a.int(0))
            return try p.check(pread(h, try p.hostPointer(a[1], a[2], writing: true), Int(a[2]), off_t(a.int(3)))).noted(p, a[1])
        },
        SyscallSpec(180, "pwrite64", [.int, .inBuffer(lengthArg: 2), .int, .int]) { p, a in
            let h = try p.host(a.int(0))
            return try p.check(pwrite(h, try p.hostPointer(a[1], a[2], writing: false), Int(a[2]), off_t(a.int(3))))
        },
        SyscallSpec(145, "readv", [.int, .hex, .int]) { p, a in try p.vectored(a, write: false) },
        SyscallSpec(146, "writev", [.int, .hex, .int]) { p, a in try p.vectored(a, write: true) },
        SyscallSpec(5, "open", [.path, .openFlags, .octal]) { p, a in
            try p.open(dirfd: -100, a[0], flags: a[1], mode: a[2])
        },
        SyscallSpec(286, "openat", [.dirfd, .path, .openFlags, .octal]) { p, a in
            try p.open(dirfd: a.int32(0), a[1], flags: a[2], mode: a[3])
        },
        SyscallSpec(140, "_llseek", [.int, .int, .int, .hex, .int]) { p, a in
            // The offset comes in two 32-bit halves; the new position is stored as a loff_t.
            let offset = Int64(bitPattern: (a[1] & 0xFFFF_FFFF) << 32 | (a[2] & 0xFFFF_FFFF))
            let pos = try p.check(Int(Glibc.lseek(try p.host(a.int(0)), off_t(offset), a.int32(4))))
            try p.store64(a[3], UInt64(pos))
            return 0
        },
        SyscallSpec(6, "close", [.int]) { p, a in try p.closeGuest(a.int(0)); return 0 },
        SyscallSpec(19, "lseek", [.int, .int, .int]) { p, a in
            try p.check(Int(Glibc.lseek(try p.host(a.int(0)), off_t(a.int(1)), a.int32(2))))
        },
        SyscallSpec(41, "dup", [.int]) { p, a in
            let h = try p.host(a.int(0))
            return try p.newGuestFD(for: p.duplicated(h, as: Int32(try p.check(Glibc.dup(h)))))
        },
        SyscallSpec(63, "dup2", [.int, .int]) { p, a in try p.dup3(a.int(0), a.int(1), flags: 0, isDup2: true) },
        SyscallSpec(316, "dup3", [.int, .int, .flags]) { p, a in try p.dup3(a.int(0), a.int(1), flags: a[2], isDup2: false) },
        SyscallSpec(55, "fcntl", [.int, .int, .flags]) { p, a in try p.fcntl(a) },
        SyscallSpec(54, "ioctl", [.int, .hex, .hex]) { p, a in try p.ioctl(a) },
        SyscallSpec(106, "stat", [.path, .hex]) { p, a in try p.stat(dirfd: -100, a[0], a[1], flags: 0) },
        SyscallSpec(107, "lstat", [.path, .hex]) { p, a in try p.stat(dirfd: -100, a[0], a[1], flags: AT_SYMLINK_NOFOLLOW) },
        SyscallSpec(108, "fstat", [.int, .hex]) { p, a in
            var st = Glibc.stat()
            _ = try p.check(fstat(try p.host(a.int(0)), &st))
            try p.put(StatLayout.ppc64Stat(StatLayout.fields(st)), at: a[1])
            return 0
        },
        SyscallSpec(291, "newfstatat", [.dirfd, .path, .hex, .atFlags]) { p, a in
            try p.stat(dirfd: a.int32(0), a[1], a[2], flags: Int32(truncatingIfNeeded: a[3]))
        },
        SyscallSpec(383, "statx", [.dirfd, .path, .atFlags, .flags, .hex]) { p, a in
            let st = try p.hostStat(dirfd: a.int32(0), a[1], flags: Int32(truncatingIfNeeded: a[2]))
            try p.put(StatLayout.statx(StatLayout.fields(st)), at: a[4])
            return 0
        },
        SyscallSpec(85, "readlink", [.path, .outBuffer, .int]) { p, a in try p.readlink(dirfd: -100, a[0], a[1], a[2]) },
        SyscallSpec(296, "readlinkat", [.dirfd, .path, .outBuffer, .int]) { p, a in try p.readlink(dirfd: a.int32(0), a[1], a[2], a[3]) },
        SyscallSpec(33, "access", [.path, .octal]) { p, a in
            try p.check(faccessat(AT_FDCWD, try p.hostPath(-100, a[0]), a.int32(1), 0))
        },
        SyscallSpec(298, "faccessat", [.dirfd, .path, .octal]) { p, a in
            try p.check(faccessat(try p.hostDir(a.int32(0)), try p.hostPath(a.int32(0), a[1]), a.int32(2), 0))
        },
        SyscallSpec(10, "unlink", [.path]) { p, a in try p.check(unlinkat(AT_FDCWD, try p.hostPath(-100, a[0], follow: false), 0)) },
        SyscallSpec(292, "unlinkat", [.dirfd, .path, .atFlags]) { p, a in
            try p.check(unlinkat(try p.hostDir(a.int32(0)), try p.hostPath(a.int32(0), a[1], follow: false), a.int32(2)))
        },
        SyscallSpec(39, "mkdir", [.path, .octal]) { p, a in
            try p.check(mkdirat(AT_FDCWD, try p.hostPath(-100, a[0], follow: false), mode_t(a[1] & 0o7777)))
        },
        SyscallSpec(287, "mkdirat", [.dirfd, .path, .octal]) { p, a in
            try p.check(mkdirat(try p.hostDir(a.int32(0)), try p.hostPath(a.int32(0), a[1], follow: false), mode_t(a[2] & 0o7777)))
        },
        SyscallSpec(40, "rmdir", [.path]) { p, a in try p.check(unlinkat(AT_FDCWD, try p.hostPath(-100, a[0], follow: false), AT_REMOVEDIR)) },
        SyscallSpec(38, "rename", [.path, .path]) { p, a in
            try p.check(renameat(AT_FDCWD, try p.hostPath(-100, a[0], follow: false), AT_FDCWD, try p.hostPath(-100, a[1], follow: false)))
        },
        SyscallSpec(293, "renameat", [.dirfd, .path, .dirfd, .path]) { p, a in
            try p.check(renameat(try p.hostDir(a.int32(0)), try p.hostPath(a.int32(0), a[1], follow: false), try p.hostDir(a.int32(2)), try p.hostPath(a.int32(2), a[3], follow: false)))
        },
        SyscallSpec(357, "renameat2", [.dirfd, .path, .dirfd, .path, .flags]) { p, a in
            guard a[4] == 0 else { throw Errno.EINVAL }
            return try p.check(renameat(try p.hostDir(a.int32(0)), try p.hostPath(a.int32(0), a[1], follow: false), try p.hostDir(a.int32(2)), try p.hostPath(a.int32(2), a[3], follow: false)))
        },
        SyscallSpec(93, "ftruncate", [.int, .int]) { p, a in try p.check(ftruncate(try p.host(a.int(0)), off_t(a.int(1)))) },
        SyscallSpec(92, "truncate", [.path, .int]) { p, a in try p.check(truncate(try p.hostPath(-100, a[0]), off_t(a.int(1)))) },
        SyscallSpec(118, "fsync", [.int]) { p, a in try p.check(fsync(try p.host(a.int(0)))) },
        SyscallSpec(148, "fdatasync", [.int]) { p, a in try p.check(fdatasync(try p.host(a.int(0)))) },
        SyscallSpec(15, "chmod", [.path, .octal]) { p, a in try p.check(chmod(try p.hostPath(-100, a[0]), mode_t(a[1] & 0o7777))) },
        SyscallSpec(94, "fchmod", [.int, .octal]) { p, a in try p.check(fchmod(try p.host(a.int(0)), mode_t(a[1] & 0o7777))) },
        SyscallSpec(60, "umask", [.octal]) { _, a in Int64(umask(mode_t(a[0] & 0o777))) },
        SyscallSpec(182, "getcwd", [.outBuffer, .int]) { p, a in try p.getcwd(a[0], a[1]) },
        SyscallSpec(12, "chdir", [.path]) { p, a in try p.chdir(a[0]) },
        SyscallSpec(202, "getdents64", [.int, .hex, .int]) { p, a in try p.getdents64(a) },
    ]

    /// The host path for a path argument relative to a guest dirfd (AT_FDCWD = -100).
    /// `follow`: whether the call follows a symbolic link in the last component.
    func hostPath(_ dirfd: Int32, _ address: UInt64, follow: Bool = true) throws(Errno) -> String {
        let path = try string(address)
        if path.isEmpty { throw Errno.ENOENT }
        return try hostPath(dirfd, path: path, follow: follow)
    }

    func hostPath(_ dirfd: Int32, path: String, follow: Bool) throws(Errno) -> String {
        guard paths.root != nil else { return path }
        guard dirfd != -100, !path.hasPrefix("/") else { return try paths.hostPath(path, follow: follow) }
        // Relative to a directory fd: walk from that directory's guest path. The result is
        // absolute, so the host ignores the dirfd.
        let h = try host(Int64(dirfd))
        guard let dir = PathResolver.linkTarget("/proc/self/fd/\(h)") else { throw Errno.EBADF }
        guard let guestDir = paths.guestPath(ofHost: dir) else { throw Errno.EACCES }
        return try paths.hostPath(path, follow: follow, base: guestDir)
    }

    /// powerpc's O_DIRECTORY, O_NOFOLLOW, O_LARGEFILE and O_DIRECT differ from x86-64's; the
    /// other open flags are the generic values on both.
    static let openFlagPairs: [(guest: Int32, host: Int32)] = [(0o40000, 0o200000), (0o100000, 0o400000), (0o200000, 0o100000), (0o400000, 0o40000)]
    static func hostOpenFlags(_ g: Int32) -> Int32 {
        var h = g & ~(0o40000 | 0o100000 | 0o200000 | 0o400000)
        for (gb, hb) in openFlagPairs where g & gb != 0 { h |= hb }
        return h
    }
    static func guestOpenFlags(_ h: Int32) -> Int32 {
        var g = h & ~(0o40000 | 0o100000 | 0o200000 | 0o400000)
        for (gb, hb) in openFlagPairs where h & hb != 0 { g |= gb }
        return g
    }

    func open(dirfd: Int32, _ pathAddress: UInt64, flags: UInt64, mode: UInt64) throws(Errno) -> Int64 {
        if let file = procSelfFile(try string(pathAddress)) { return try openProcSelf(file, flags: flags) }
        // O_NOFOLLOW (powerpc 0o100000): the last component's link is not followed.
        let path = try hostPath(dirfd, pathAddress, follow: flags & 0o100000 == 0)
        let h = openat(try hostDir(dirfd), path, Self.hostOpenFlags(Int32(truncatingIfNeeded: flags)), mode_t(mode & 0o7777))
        guard h >= 0 else { throw Errno.host }
        return try newGuestFD(for: h)
    }

    func vectored(_ a: SyscallArgs, write: Bool) throws(Errno) -> Int64 {
        let h = try host(a.int(0))
        let count = a.int(2)
        guard count >= 0, count <= 1024 else { throw Errno.EINVAL }
        var iov: [iovec] = []
        for i in 0..<UInt64(count) {
            let base = try load64(a[1] &+ i * 16), len = try load64(a[1] &+ i * 16 + 8)
            guard len > 0 else { continue }
            // A bad buffer after a good one ends the transfer there, as the kernel's copy stops
            // at the first fault and returns what it moved; a bad first buffer is EFAULT.
            do throws(Errno) { iov.append(iovec(iov_base: try hostPointer(base, len, writing: !write), iov_len: Int(len))) } catch {
                if iov.isEmpty { throw error }
                break
            }
        }
        let n = write ? Glibc.writev(h, iov, Int32(iov.count)) : Glibc.readv(h, iov, Int32(iov.count))
        let r = try check(n)
        if !write { for v in iov { memory.noteWrite(UInt64(Int(bitPattern: v.iov_base) - Int(bitPattern: memory.base)), UInt64(v.iov_len)) } }
        return r
    }

    func dup3(_ old: Int64, _ new: Int64, flags: UInt64, isDup2: Bool) throws(Errno) -> Int64 {
        let h = try host(old)
        guard new >= 0, new < 1024 else { throw Errno.EBADF }
        if old == new { if isDup2 { return new }; throw Errno.EINVAL }
        let copy = Glibc.dup(h)
        guard copy >= 0 else { throw Errno.host }
        _ = duplicated(h, as: copy)
        if files[Int32(new)] != nil { try closeGuest(new) }
        files[Int32(new)] = copy
        if flags & 0o2000000 != 0 { _ = Glibc.fcntl(copy, F_SETFD, FD_CLOEXEC) }
        return new
    }

    func fcntl(_ a: SyscallArgs) throws(Errno) -> Int64 {
        let h = try host(a.int(0))
        switch a.int32(1) {
        case F_DUPFD, 1030 /* F_DUPFD_CLOEXEC */:
            guard a.int(2) >= 0, a.int(2) < 1024 else { throw Errno.EINVAL }
            let copy = Glibc.fcntl(h, a.int32(1), 3)
            guard copy >= 0 else { throw Errno.host }
            return try newGuestFD(for: duplicated(h, as: copy), from: Int32(clamping: a.int(2)))
        case F_GETFD, F_SETFD:
            return try check(Glibc.fcntl(h, a.int32(1), a.int32(2)))
        case F_GETFL:
            return Int64(Self.guestOpenFlags(Int32(try check(Glibc.fcntl(h, F_GETFL)))))
        case F_SETFL:
            return try check(Glibc.fcntl(h, F_SETFL, Self.hostOpenFlags(a.int32(2))))
        default:
            throw Errno.EINVAL
        }
    }

    /// Terminal ioctls: TCGETS (ppc64 0x402c7413) and TIOCGWINSZ (0x40087468) answer for a host
    /// terminal, so glibc's isatty() is right; everything else is ENOTTY, as for a file.
    func ioctl(_ a: SyscallArgs) throws(Errno) -> Int64 {
        let h = try host(a.int(0))
        switch UInt32(truncatingIfNeeded: a[1]) {
        case 0x402c_7413:
            var t = termios()
            guard tcgetattr(h, &t) == 0 else { throw Errno.ENOTTY }
            // ppc64 struct termios: four u32 flag words, c_cc[19], c_line, two u32 speeds (44
            // bytes). The flag bits differ between ppc and x86; only "is a terminal" matters
            // to glibc, so the words are passed as the host has them.
            var b = [UInt8](repeating: 0, count: 44)
            for (i, w) in [t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag].enumerated() { StatLayout.put32(&b, 4 * i, UInt32(w)) }
            try put(b, at: a[2])
            return 0
        case 0x4008_7468:
            var w = winsize()
            guard Glibc.ioctl(h, UInt(TIOCGWINSZ), &w) == 0 else { throw Errno.ENOTTY }
            var b = [UInt8](repeating: 0, count: 8)
            for (i, v) in [w.ws_row, w.ws_col, w.ws_xpixel, w.ws_ypixel].enumerated() { StatLayout.put16(&b, 2 * i, v) }
            try put(b, at: a[2])
            return 0
        default:
            throw Errno.ENOTTY
        }
    }

    func hostStat(dirfd: Int32, _ pathAddress: UInt64, flags: Int32) throws(Errno) -> Glibc.stat {
        var st = Glibc.stat()
        let path = try string(pathAddress)
        // AT_EMPTY_PATH (0x1000): the dirfd itself.
        if path.isEmpty {
            guard flags & 0x1000 != 0 else { throw Errno.ENOENT }
            _ = try check(fstat(try hostDir(dirfd), &st))
            return st
        }
        let hp = try hostPath(dirfd, path: path, follow: flags & AT_SYMLINK_NOFOLLOW == 0)
        _ = try check(fstatat(try hostDir(dirfd), hp, &st, flags & AT_SYMLINK_NOFOLLOW))
        return st
    }

    func stat(dirfd: Int32, _ pathAddress: UInt64, _ buffer: UInt64, flags: Int32) throws(Errno) -> Int64 {
        let st = try hostStat(dirfd: dirfd, pathAddress, flags: flags)
        try put(StatLayout.ppc64Stat(StatLayout.fields(st)), at: buffer)
        return 0
    }

    func readlink(dirfd: Int32, _ pathAddress: UInt64, _ buffer: UInt64, _ size: UInt64) throws(Errno) -> Int64 {
        let path = try string(pathAddress)
        guard Int64(bitPattern: size) > 0 else { throw Errno.EINVAL }
        var target: [UInt8]
        if path == "/proc/self/exe" || path == "/proc/\(getpid())/exe" {
            target = Array(executablePath.utf8)
        } else {
            let hp = try hostPath(dirfd, path: path, follow: false)
            var buf = [UInt8](repeating: 0, count: Int(PATH_MAX))
            let n = readlinkat(try hostDir(dirfd), hp, &buf, buf.count)
            guard n >= 0 else { throw Errno.host }
            target = Array(buf[0..<n])
        }
        // readlink truncates silently and does not NUL-terminate.
        target = Array(target.prefix(Int(min(size, UInt64(target.count)))))
        try put(target, at: buffer)
        return Int64(target.count)
    }

    func getcwd(_ buffer: UInt64, _ size: UInt64) throws(Errno) -> Int64 {
        var bytes: [UInt8]
        if paths.root != nil {
            bytes = Array(paths.cwd.utf8)
        } else {
            var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            guard Glibc.getcwd(&buf, buf.count) != nil else { throw Errno.host }
            bytes = buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        }
        bytes.append(0)
        guard UInt64(bytes.count) <= size else { throw Errno.ERANGE }
        try put(bytes, at: buffer)
        return Int64(bytes.count)
    }

    func chdir(_ pathAddress: UInt64) throws(Errno) -> Int64 {
        let path = try string(pathAddress)
        let hp = try paths.hostPath(path)
        var st = Glibc.stat()
        _ = try check(fstatat(AT_FDCWD, hp, &st, 0))
        guard st.st_mode & S_IFMT == S_IFDIR else { throw Errno.ENOTDIR }
        if paths.root != nil {
            paths.setCwd(try paths.resolve(path))
            return 0
        }
        return try check(Glibc.chdir(hp))
    }

    /// linux_dirent64 is laid out alike on both sides; only the integers need swapping.
    func getdents64(_ a: SyscallArgs) throws(Errno) -> Int64 {
        let h = try host(a.int(0))
        let count = Int(min(a[2], 1 << 20))
        var buf = [UInt8](repeating: 0, count: count)
        let n = buf.withUnsafeMutableBytes { HostSyscall.call(HostSyscall.getdents64, Int(h), Int(bitPattern: $0.baseAddress), count) }
        guard n >= 0 else { throw Errno.host }
        var o = 0
        while o + 19 <= n {
            let reclen = Int(buf[o + 16]) | Int(buf[o + 17]) << 8
            guard reclen > 0 else { break }
            buf[o..<o + 8].reverse(); buf[o + 8..<o + 16].reverse(); buf[o + 16..<o + 18].reverse()
            o += reclen
        }
        try put(buf[0..<n].map { $0 }, at: a[1])
        return Int64(n)
    }
}

extension Int64 {
    /// After a host call wrote `self` bytes into guest memory at `address`: keeps the
    /// interpreter's predecoded instructions coherent (a read into code pages).
    func noted(_ p: LinuxProcess, _ address: UInt64) -> Int64 {
        if self > 0 { p.memory.noteWrite(address, UInt64(self)) }
        return self
    }
}

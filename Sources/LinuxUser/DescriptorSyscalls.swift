#if canImport(Glibc)
import Glibc
#endif
import GuestMemory

/// System calls that make or wait on host file descriptors: pipes, eventfds, memfds, poll and
/// select, and the in-kernel copies (sendfile, copy_file_range), plus flock and fadvise64.
extension LinuxProcess {
    // powerpc's values (O_DIRECT differs from x86-64's).
    static let pipeFlags: SyscallArg = .bits("pipeflags", [0o4000: "O_NONBLOCK", 0o400000: "O_DIRECT", 0o2000000: "O_CLOEXEC"])
    static let eventfdFlags: SyscallArg = .bits("efdflags", [1: "EFD_SEMAPHORE", 0o4000: "EFD_NONBLOCK", 0o2000000: "EFD_CLOEXEC"])
    static let memfdFlags: SyscallArg = .bits("mfdflags", [1: "MFD_CLOEXEC", 2: "MFD_ALLOW_SEALING", 4: "MFD_HUGETLB"])

    static let descriptorSyscalls: [SyscallSpec] = [
        SyscallSpec(42, "pipe", [.fdPair]) { p, a in try p.pipe(a[0], flags: 0) },
        SyscallSpec(317, "pipe2", [.fdPair, pipeFlags]) { p, a in try p.pipe(a[0], flags: a[1]) },
        SyscallSpec(307, "eventfd", [.int]) { p, a in try p.eventfd(a[0], flags: 0) },
        SyscallSpec(314, "eventfd2", [.int, eventfdFlags]) { p, a in try p.eventfd(a[0], flags: a[1]) },
        SyscallSpec(360, "memfd_create", [.path, memfdFlags]) { p, a in
            // MFD_CLOEXEC 1, MFD_ALLOW_SEALING 2, MFD_HUGETLB 4 (linux/memfd.h, the same everywhere).
            let name = try p.string(a[0])
            let h = name.withCString { HostSyscall.call(HostSyscall.memfdCreate, Int(bitPattern: $0), Int(a[1] & 0xFFFF_FFFF)) }
            return try p.newGuestFD(for: Int32(try p.check(h)))
        },
        SyscallSpec(167, "poll", [.hex, .int, .int]) { p, a in try p.poll(a[0], a[1], timeout: a.int32(2) < 0 ? nil : Int(a.int32(2))) },
        SyscallSpec(281, "ppoll", [.hex, .int, .hex, .hex, .int]) { p, a in
            guard a[3] == 0 || a[4] == 8 else { throw Errno.EINVAL }  // sizeof(sigset_t) on ppc64
            return try p.withTimeout(timespec: a[2], microseconds: false) { ms throws(Errno) in try p.poll(a[0], a[1], timeout: ms) }
        },
        SyscallSpec(142, "_newselect", [.int, .hex, .hex, .hex, .hex]) { p, a in
            try p.withTimeout(timespec: a[4], microseconds: true) { ms throws(Errno) in try p.select(a.int32(0), a[1], a[2], a[3], timeout: ms) }
        },
        SyscallSpec(280, "pselect6", [.int, .hex, .hex, .hex, .hex, .hex]) { p, a in
            // The sixth argument points at { const sigset_t *ss; size_t ss_len; }.
            if a[5] != 0, try p.load64(a[5]) != 0, try p.load64(a[5] + 8) != 8 { throw Errno.EINVAL }
            return try p.withTimeout(timespec: a[4], microseconds: false) { ms throws(Errno) in try p.select(a.int32(0), a[1], a[2], a[3], timeout: ms) }
        },
        SyscallSpec(186, "sendfile", [.int, .int, .hex, .int]) { p, a in
            let out = try p.host(a.int(0)), input = try p.host(a.int(1))
            guard a[2] != 0 else { return try p.check(sendfile(out, input, nil, Int(clamping: a[3]))) }
            var offset = off_t(Int64(bitPattern: try p.load64(a[2])))
            let n = try p.check(sendfile(out, input, &offset, Int(clamping: a[3])))
            try p.store64(a[2], UInt64(bitPattern: Int64(offset)))
            return n
        },
        SyscallSpec(379, "copy_file_range", [.int, .hex, .int, .hex, .int, .flags]) { p, a in
            let input = try p.host(a.int(0)), out = try p.host(a.int(2))
            // The loff_t offsets (when given) travel through host variables, big-endian on the guest side.
            var inOffset = a[1] == 0 ? 0 : Int64(bitPattern: try p.load64(a[1])), outOffset = a[3] == 0 ? 0 : Int64(bitPattern: try p.load64(a[3]))
            let n = withUnsafeMutablePointer(to: &inOffset) { i in
                withUnsafeMutablePointer(to: &outOffset) { o in
                    HostSyscall.call(HostSyscall.copyFileRange, Int(input), a[1] == 0 ? 0 : Int(bitPattern: i), Int(out),
                                     a[3] == 0 ? 0 : Int(bitPattern: o), Int(clamping: a[4]), Int(a[5] & 0xFFFF_FFFF))
                }
            }
            let r = try p.check(n)
            if a[1] != 0 { try p.store64(a[1], UInt64(bitPattern: inOffset)) }
            if a[3] != 0 { try p.store64(a[3], UInt64(bitPattern: outOffset)) }
            return r
        },
        SyscallSpec(143, "flock", [.int, .choice("lockop", [1: "LOCK_SH", 2: "LOCK_EX", 5: "LOCK_SH|LOCK_NB", 6: "LOCK_EX|LOCK_NB", 8: "LOCK_UN"])]) { p, a in
            try p.check(flock(try p.host(a.int(0)), a.int32(1)))
        },
        SyscallSpec(233, "fadvise64", [.int, .int, .int, .choice("advice", [0: "POSIX_FADV_NORMAL", 1: "POSIX_FADV_RANDOM", 2: "POSIX_FADV_SEQUENTIAL",
                                                                            3: "POSIX_FADV_WILLNEED", 4: "POSIX_FADV_DONTNEED", 5: "POSIX_FADV_NOREUSE"])]) { p, a in
            // posix_fadvise returns the error number itself. The advice values are the generic ones on both.
            let e = posix_fadvise(try p.host(a.int(0)), off_t(a.int(1)), off_t(a.int(2)), a.int32(3))
            if e != 0 { throw Errno(e) }
            return 0
        },
    ]

    /// pipe and pipe2: powerpc's O_DIRECT (packet mode) differs from x86-64's, O_CLOEXEC and
    /// O_NONBLOCK do not.
    func pipe(_ address: UInt64, flags: UInt64) throws(Errno) -> Int64 {
        guard flags & ~UInt64(0o2000000 | 0o4000 | 0o400000) == 0 else { throw Errno.EINVAL }
        var fds: [Int32] = [0, 0]
        _ = try check(fds.withUnsafeMutableBufferPointer {
            HostSyscall.call(HostSyscall.pipe2, Int(bitPattern: $0.baseAddress), Int(Self.hostOpenFlags(Int32(flags))))
        })
        let r = try newGuestFD(for: fds[0])
        let w: Int64
        do { w = try newGuestFD(for: fds[1]) } catch { try? closeGuest(r); throw error }
        var b = [UInt8](repeating: 0, count: 8)
        StatLayout.put32(&b, 0, UInt32(r)); StatLayout.put32(&b, 4, UInt32(w))
        do { try put(b, at: address) } catch { try? closeGuest(r); try? closeGuest(w); throw error }
        return 0
    }

    /// eventfd's counter is read and written as a native u64: big-endian for the guest, so
    /// lpar remembers which host fds are eventfds and swaps the 8 bytes (as qemu-ppc64 does).
    func eventfd(_ initial: UInt64, flags: UInt64) throws(Errno) -> Int64 {
        // EFD_SEMAPHORE 1, EFD_NONBLOCK = O_NONBLOCK, EFD_CLOEXEC = O_CLOEXEC: the same on both.
        guard flags & ~UInt64(1 | 0o4000 | 0o2000000) == 0 else { throw Errno.EINVAL }
        let h = Int32(try check(HostSyscall.call(HostSyscall.eventfd2, Int(initial & 0xFFFF_FFFF), Int(flags))))
        eventFDs.insert(h)
        return try newGuestFD(for: h)
    }

    /// read(2) of an eventfd: the host's little-endian counter becomes the guest's big-endian one.
    func eventfdRead(_ h: Int32, _ address: UInt64, _ count: UInt64) throws(Errno) -> Int64 {
        guard count >= 8 else { throw Errno.EINVAL }
        var v: UInt64 = 0
        _ = try check(Glibc.read(h, &v, 8))
        try store64(address, v)
        return 8
    }

    func eventfdWrite(_ h: Int32, _ address: UInt64, _ count: UInt64) throws(Errno) -> Int64 {
        guard count >= 8 else { throw Errno.EINVAL }
        var v = try load64(address)
        return try check(Glibc.write(h, &v, 8))
    }

    /// A timeout argument as milliseconds for host poll (nil: wait forever; rounded up, as the
    /// kernel never sleeps less than asked), and the remaining time written back afterwards as
    /// select and pselect6 do. `microseconds`: a struct timeval (select) rather than a timespec.
    func withTimeout(timespec address: UInt64, microseconds: Bool, _ body: (Int?) throws(Errno) -> Int64) throws(Errno) -> Int64 {
        guard address != 0 else { return try body(nil) }
        let sec = Int64(bitPattern: try load64(address)), frac = Int64(bitPattern: try load64(address + 8))
        let unit: Int64 = microseconds ? 1_000 : 1_000_000
        guard sec >= 0, frac >= 0, frac < 1000 * unit else { throw Errno.EINVAL }
        let ms = sec > Int64(Int32.max) / 1000 ? Int(Int32.max) : Int(sec * 1000 + (frac + unit - 1) / unit)
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        let r = try body(ms)
        clock_gettime(CLOCK_MONOTONIC, &end)
        let elapsed = (Int64(end.tv_sec) - Int64(start.tv_sec)) * 1_000_000_000 + Int64(end.tv_nsec) - Int64(start.tv_nsec)
        let left = max(0, sec * 1_000_000_000 + frac * (microseconds ? 1000 : 1) - elapsed)
        try put(BE.words([UInt64(left / 1_000_000_000), UInt64((left % 1_000_000_000) / (microseconds ? 1000 : 1))]), at: address)
        return r
    }

    /// Whether a poll, ppoll, select or pselect6 (by number, with its arguments) would wait now:
    /// no fd ready and a timeout that is not zero. Nothing is written to the guest.
    func pollWouldBlock(_ number: UInt64, _ a: SyscallArgs) throws(Errno) -> Bool {
        // A zero timeout never waits: poll's milliseconds, or the timespec/timeval the others
        // point at (none: wait forever).
        func zero(_ time: UInt64) throws(Errno) -> Bool {
            guard time != 0 else { return false }
            return try load64(time) | load64(time + 8) == 0
        }
        var host: [pollfd]
        switch number {
        case 167, 281:
            let fds = try pollFDs(a[0], a[1])
            if fds.invalid.contains(true) { return false }  // POLLNVAL: ready at once
            if number == 167 { if a.int32(2) == 0 { return false } } else if try zero(a[2]) { return false }
            host = fds.host
        default:
            if try zero(a[4]) { return false }
            host = try selectFDs(a.int32(0), a[1], a[2], a[3]).host
        }
        return Glibc.poll(&host, nfds_t(host.count), 0) == 0
    }

    /// The host pollfds of a guest pollfd array, and which guest fds were not open.
    func pollFDs(_ address: UInt64, _ count: UInt64) throws(Errno) -> (raw: [UInt8], host: [pollfd], invalid: [Bool]) {
        guard count <= 1024 else { throw Errno.EINVAL }  // RLIMIT_NOFILE
        let raw = try bytes(address, count * UInt64(KernelLayout.pollfdSize))
        var host: [pollfd] = [], invalid: [Bool] = []
        for i in 0..<Int(count) {
            let fd = Int32(bitPattern: UInt32(BE.word(raw, 8 * i) >> 32))
            let events = Int16(bitPattern: UInt16(raw[8 * i + 4]) << 8 | UInt16(raw[8 * i + 5]))
            let h = fd < 0 ? -1 : files[fd] ?? -1
            invalid.append(fd >= 0 && h < 0)
            host.append(pollfd(fd: h, events: events, revents: 0))
        }
        return (raw, host, invalid)
    }

    /// poll on host fds. A negative fd is skipped (revents 0); a closed one reports POLLNVAL
    /// (0x20) and counts as ready, as the kernel's does. The POLL* bits are the generic ones on
    /// both sides (asm-generic/poll.h).
    func poll(_ address: UInt64, _ count: UInt64, timeout: Int?) throws(Errno) -> Int64 {
        var (raw, host, invalid) = try pollFDs(address, count)
        let bad = invalid.filter { $0 }.count
        let n = try check(Glibc.poll(&host, nfds_t(host.count), bad > 0 ? 0 : Int32(timeout ?? -1)))
        var out = raw
        for i in 0..<Int(count) {
            let revents = UInt16(bitPattern: invalid[i] ? 0x20 : host[i].revents)
            out[8 * i + 6] = UInt8(revents >> 8); out[8 * i + 7] = UInt8(truncatingIfNeeded: revents)
        }
        try put(out, at: address)
        return n + Int64(bad)
    }

    /// select over poll: the three fd_sets are arrays of 64-bit big-endian longs (bit n % 64 of
    /// long n / 64); readable means POLLIN/RDNORM/RDBAND/HUP/ERR, writable POLLOUT/WRNORM/WRBAND/ERR,
    /// exceptional POLLPRI, the kernel's POLLIN_SET, POLLOUT_SET and POLLEX_SET. An fd in a set
    /// that is not open is EBADF.
    func select(_ nfds: Int32, _ readSet: UInt64, _ writeSet: UInt64, _ exceptSet: UInt64, timeout: Int?) throws(Errno) -> Int64 {
        var (host, guestFD, words) = try selectFDs(nfds, readSet, writeSet, exceptSet)
        _ = try check(Glibc.poll(&host, nfds_t(host.count), Int32(timeout ?? -1)))
        var result = [[UInt64]](repeating: [UInt64](repeating: 0, count: words), count: 3)
        var count: Int64 = 0
        for (i, p) in host.enumerated() {
            if p.revents & 0x20 != 0 { throw Errno.EBADF }
            for k in 0..<3 where p.events & Self.selectWant[k] != 0 && p.revents & Self.selectReady[k] != 0 {
                result[k][guestFD[i] / 64] |= 1 << UInt64(guestFD[i] % 64)
                count += 1
            }
        }
        for (k, a) in [readSet, writeSet, exceptSet].enumerated() where a != 0 { try put(BE.words(result[k]), at: a) }
        return count
    }

    static let selectWant: [Int16] = [0x01, 0x04, 0x02]  // POLLIN, POLLOUT, POLLPRI
    static let selectReady: [Int16] = [0x01 | 0x40 | 0x80 | 0x10 | 0x08, 0x04 | 0x100 | 0x200 | 0x08, 0x02]

    /// The host pollfds a select's three fd_sets ask for, the guest fd of each, and the sets'
    /// length in longs.
    func selectFDs(_ nfds: Int32, _ readSet: UInt64, _ writeSet: UInt64, _ exceptSet: UInt64) throws(Errno) -> (host: [pollfd], guestFD: [Int], words: Int) {
        guard nfds >= 0 else { throw Errno.EINVAL }
        let n = Int(min(nfds, 1024)), words = (n + 63) / 64
        func load(_ a: UInt64) throws(Errno) -> [UInt64] {
            guard a != 0 else { return [UInt64](repeating: 0, count: words) }
            let b = try bytes(a, UInt64(words * 8))
            return (0..<words).map { BE.word(b, 8 * $0) }
        }
        let sets = [try load(readSet), try load(writeSet), try load(exceptSet)]
        var host: [pollfd] = [], guestFD: [Int] = []
        for fd in 0..<n {
            var events: Int16 = 0
            for k in 0..<3 where sets[k][fd / 64] >> UInt64(fd % 64) & 1 != 0 { events |= Self.selectWant[k] }
            guard events != 0 else { continue }
            host.append(pollfd(fd: try self.host(Int64(fd)), events: events, revents: 0))
            guestFD.append(fd)
        }
        return (host, guestFD, words)
    }
}

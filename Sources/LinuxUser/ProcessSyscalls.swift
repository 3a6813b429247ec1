#if canImport(Glibc)
import Glibc
#endif
import GuestMemory

/// Process, identity, signal, time and scheduling system calls (threads: ThreadSyscalls.swift).
extension LinuxProcess {
    static let processSyscalls: [SyscallSpec] = [
        SyscallSpec(1, "exit", [.int]) { p, a in p.exitThread(a.int32(0)); return 0 },
        SyscallSpec(234, "exit_group", [.int]) { p, a in p.exit(a.int32(0)); return 0 },
        // Identities are the host's, as under qemu-ppc64; the first thread's id is the process id.
        SyscallSpec(20, "getpid", []) { _, _ in Int64(getpid()) },
        SyscallSpec(207, "gettid", []) { p, _ in p.currentTID },
        SyscallSpec(64, "getppid", []) { _, _ in Int64(getppid()) },
        SyscallSpec(24, "getuid", []) { _, _ in Int64(getuid()) },
        SyscallSpec(49, "geteuid", []) { _, _ in Int64(geteuid()) },
        SyscallSpec(47, "getgid", []) { _, _ in Int64(getgid()) },
        SyscallSpec(50, "getegid", []) { _, _ in Int64(getegid()) },
        SyscallSpec(65, "getpgrp", []) { _, _ in Int64(getpgrp()) },
        SyscallSpec(232, "set_tid_address", [.hex]) { p, a in p.setTIDAddress(a[0]) },
        SyscallSpec(300, "set_robust_list", [.hex, .int]) { p, a in try p.setRobustList(a) },
        SyscallSpec(173, "rt_sigaction", [.signal, .hex, .hex, .int]) { p, a in try p.sigaction(a) },
        SyscallSpec(174, "rt_sigprocmask", [.int, .hex, .hex, .int]) { p, a in try p.sigprocmask(a) },
        SyscallSpec(185, "sigaltstack", [.hex, .hex]) { p, a in try p.sigaltstack(a) },
        SyscallSpec(29, "pause", []) { p, _ in try p.pause() },
        SyscallSpec(175, "rt_sigpending", [.hex, .int]) { p, a in try p.sigpending(a) },
        SyscallSpec(176, "rt_sigtimedwait", [.hex, .hex, .hex, .int]) { p, a in try p.sigtimedwait(a) },
        SyscallSpec(178, "rt_sigsuspend", [.hex, .int]) { p, a in try p.sigsuspend(a) },
        SyscallSpec(37, "kill", [.int, .signal]) { p, a in try p.signalSelf(target: a.int(0), a.int32(1), code: Sig.siUser) },
        SyscallSpec(208, "tkill", [.int, .signal]) { p, a in try p.signalSelf(target: a.int(0), a.int32(1), code: Sig.siTkill) },
        SyscallSpec(250, "tgkill", [.int, .int, .signal]) { p, a in try p.signalSelf(target: a.int(1), a.int32(2), code: Sig.siTkill) },
        SyscallSpec(221, "futex", [.hex, .int, .int, .hex, .hex, .int]) { p, a in try p.futex(a) },
        SyscallSpec(158, "sched_yield", []) { p, _ in p.yieldTurn() },
        SyscallSpec(223, "sched_getaffinity", [.int, .int, .hex]) { p, a in try p.schedGetaffinity(a) },
        SyscallSpec(325, "prlimit64", [.int, .int, .hex, .hex]) { p, a in
            guard a[0] == 0 || a.int(0) == Int64(getpid()) else { throw Errno.ESRCH }
            if a[3] != 0 { try p.putRlimit(a.int32(1), a[3]) }
            return 0  // new limits are accepted and ignored
        },
        SyscallSpec(190, "ugetrlimit", [.int, .hex]) { p, a in try p.putRlimit(a.int32(0), a[1]); return 0 },
        SyscallSpec(75, "setrlimit", [.int, .hex]) { _, _ in 0 },
        SyscallSpec(122, "uname", [.hex]) { p, a in try p.uname(a[0]) },
        SyscallSpec(359, "getrandom", [.outBuffer, .int, .flags]) { p, a in
            let n = HostSyscall.call(HostSyscall.getrandom, Int(bitPattern: try p.hostPointer(a[0], a[1], writing: true)), Int(a[1]), Int(a[2] & 0xFFFF_FFFF))
            return try p.check(n).noted(p, a[0])
        },
        SyscallSpec(246, "clock_gettime", [.int, .hex]) { p, a in
            var ts = timespec()
            _ = try p.check(clock_gettime(clockid_t(a.int32(0)), &ts))
            try p.put(BE.words([UInt64(bitPattern: Int64(ts.tv_sec)), UInt64(bitPattern: Int64(ts.tv_nsec))]), at: a[1])
            return 0
        },
        SyscallSpec(247, "clock_getres", [.int, .hex]) { p, a in
            var ts = timespec()
            _ = try p.check(clock_getres(clockid_t(a.int32(0)), &ts))
            if a[1] != 0 { try p.put(BE.words([UInt64(bitPattern: Int64(ts.tv_sec)), UInt64(bitPattern: Int64(ts.tv_nsec))]), at: a[1]) }
            return 0
        },
        SyscallSpec(78, "gettimeofday", [.hex, .hex]) { p, a in
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            if a[0] != 0 { try p.put(BE.words([UInt64(bitPattern: Int64(ts.tv_sec)), UInt64(bitPattern: Int64(ts.tv_nsec / 1000))]), at: a[0]) }
            if a[1] != 0 { try p.put([UInt8](repeating: 0, count: 8), at: a[1]) }
            return 0
        },
        SyscallSpec(13, "time", [.hex]) { p, a in
            let t = Int64(Glibc.time(nil))
            if a[0] != 0 { try p.store64(a[0], UInt64(bitPattern: t)) }
            return t
        },
        SyscallSpec(162, "nanosleep", [.hex, .hex]) { p, a in try p.sleep(a[0], remaining: a[1]) },
        SyscallSpec(248, "clock_nanosleep", [.int, .int, .hex, .hex]) { p, a in
            guard a[1] == 0 else { throw Errno.EINVAL }  // TIMER_ABSTIME is not supported
            return try p.sleep(a[2], remaining: a[3])
        },
        SyscallSpec(43, "times", [.hex]) { p, a in
            var t = tms()
            let r = Glibc.times(&t)
            if a[0] != 0 { try p.put(BE.words([UInt64(t.tms_utime), UInt64(t.tms_stime), 0, 0]), at: a[0]) }
            return Int64(r)
        },
        SyscallSpec(172, "rt_sigreturn", []) { p, _ in try p.sigreturn() },
        SyscallSpec(116, "sysinfo", [.hex]) { p, a in try p.sysinfo(a[0]) },
        SyscallSpec(387, "rseq", [.hex, .int, .hex, .hex]) { _, _ in throw Errno.ENOSYS },
        SyscallSpec(365, "membarrier", [.int, .hex]) { _, _ in throw Errno.ENOSYS },
    ]

    /// rt_sigaction: ppc64's kernel `struct sigaction` is handler, flags, restorer, mask (4 × 8
    /// bytes). Actions are kept for queries and delivery (Signals.swift); setting SIG_IGN (or a
    /// default that ignores) discards the signal if pending, as the kernel does.
    func sigaction(_ a: SyscallArgs) throws(Errno) -> Int64 {
        let sig = a.int32(0)
        guard sig >= 1, sig <= 64, a[3] == 8 else { throw Errno.EINVAL }
        if a[1] != 0, sig == Sig.kill || sig == Sig.stop { throw Errno.EINVAL }
        var newAction = a[1] != 0 ? try bytes(a[1], 32) : nil
        if a[2] != 0 { try put(signalActions[sig] ?? [UInt8](repeating: 0, count: 32), at: a[2]) }
        if newAction != nil {
            // SIGKILL and SIGSTOP cannot be blocked by a handler's sa_mask either.
            let mask = BE.word(newAction!, 24) & ~Sig.unblockable
            for i in 0..<8 { newAction![24 + i] = UInt8(truncatingIfNeeded: mask >> UInt64(56 - 8 * i)) }
            signalActions[sig] = newAction
            if discards(sig) { discardPending(sig) }
            updateHostSignals()
        }
        return 0
    }

    func sigprocmask(_ a: SyscallArgs) throws(Errno) -> Int64 {
        guard a[3] == 8 else { throw Errno.EINVAL }
        let old = signalMask
        if a[1] != 0 {
            let set = try load64(a[1])
            switch a.int32(0) {
            case 0: signalMask |= set        // SIG_BLOCK
            case 1: signalMask &= ~set       // SIG_UNBLOCK
            case 2: signalMask = set         // SIG_SETMASK
            default: throw Errno.EINVAL
            }
            signalMask &= ~Sig.unblockable
            updateHostSignals()
        }
        if a[2] != 0 { try store64(a[2], old) }
        return 0
    }

    /// A signal the process sends itself becomes pending; it is delivered when this syscall
    /// returns (or, if blocked, when a later syscall unblocks it), as the kernel does. Signals
    /// whose action is SIG_IGN, or whose default is to ignore, are discarded unless blocked.
    /// kill says SI_USER and signals the process (pid or 0: lpar runs one); tkill and tgkill
    /// say SI_TKILL and signal the thread of that tid alone (the first thread's tid is the pid).
    /// Each carries the sender's pid and uid.
    func signalSelf(target: Int64, _ sig: Int32, code: Int32) throws(Errno) -> Int64 {
        let thread: Int?
        if code == Sig.siUser {
            guard target == Int64(getpid()) || target == 0 else { throw Errno.ESRCH }
            thread = nil
        } else {
            guard let index = threads.index(ofLiveTID: target) else { throw Errno.ESRCH }
            thread = index
        }
        guard sig >= 0, sig <= 64 else { throw Errno.EINVAL }
        if sig == 0 { return 0 }
        let info = SignalInfo(signo: sig, code: code, pid: getpid(), uid: getuid())
        if let thread { post(info, toThread: thread) } else { post(info) }
        return 0
    }

    /// The host's CPU set, written as ppc64's array of big-endian longs.
    func schedGetaffinity(_ a: SyscallArgs) throws(Errno) -> Int64 {
        var set = cpu_set_t()
        _ = try check(withUnsafeMutableBytes(of: &set) { HostSyscall.call(HostSyscall.schedGetaffinity, 0, $0.count, Int(bitPattern: $0.baseAddress)) })
        let words = withUnsafeBytes(of: set) { raw in (0..<raw.count / 8).map { raw.load(fromByteOffset: $0 * 8, as: UInt64.self) } }
        let size = Int(min(a[1], UInt64(words.count * 8))) & ~7
        guard size > 0 else { throw Errno.EINVAL }
        try put(BE.words(Array(words.prefix(size / 8))), at: a[2])
        return Int64(size)
    }

    func putRlimit(_ resource: Int32, _ address: UInt64) throws(Errno) {
        guard resource >= 0, resource < 16 else { throw Errno.EINVAL }
        var r = rlimit()
        _ = try check(getrlimit(__rlimit_resource_t(UInt32(resource)), &r))
        if resource == 3 { r.rlim_cur = rlim_t(Self.stackSize) }  // RLIMIT_STACK: lpar's stack
        try put(BE.words([UInt64(r.rlim_cur), UInt64(r.rlim_max)]), at: address)
    }

    /// struct new_utsname: six 65-byte strings. The machine is "ppc64"; the rest is the host's,
    /// as qemu-ppc64 reports it.
    func uname(_ address: UInt64) throws(Errno) -> Int64 {
        var u = utsname()
        Glibc.uname(&u)
        func field<T>(_ t: T) -> [UInt8] {
            var b = withUnsafeBytes(of: t) { Array($0.prefix(65)) }
            b[64] = 0
            return b
        }
        var machine = [UInt8](repeating: 0, count: 65)
        for (i, c) in "ppc64".utf8.enumerated() { machine[i] = c }
        try put(field(u.sysname) + field(u.nodename) + field(u.release) + field(u.version) + machine + field(u.__domainname), at: address)
        return 0
    }

    /// The host's struct sysinfo (as qemu-ppc64 reports it). x86-64 and ppc64 lay it out alike
    /// (LP64): uptime, loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap
    /// (longs from 0), procs (u16 at 80), totalhigh 88, freehigh 96, mem_unit (u32 at 104), 112
    /// bytes; only the byte order changes.
    func sysinfo(_ address: UInt64) throws(Errno) -> Int64 {
        var b = [UInt8](repeating: 0, count: 112)
        _ = try check(b.withUnsafeMutableBytes { HostSyscall.call(HostSyscall.sysinfo, Int(bitPattern: $0.baseAddress), 0, 0) })
        for o in stride(from: 0, to: 80, by: 8) { b[o..<o + 8].reverse() }
        b[80..<82].reverse(); b[88..<96].reverse(); b[96..<104].reverse(); b[104..<108].reverse()
        try put(b, at: address)
        return 0
    }

    /// nanosleep: a host signal for the guest ends it early with EINTR and the time left (it is
    /// never restarted: the handler runs first); others let it sleep on.
    func sleep(_ request: UInt64, remaining: UInt64 = 0) throws(Errno) -> Int64 {
        let sec = Int64(bitPattern: try load64(request)), nsec = Int64(bitPattern: try load64(request + 8))
        guard sec >= 0, nsec >= 0, nsec < 1_000_000_000 else { throw Errno.EINVAL }
        var ts = timespec(tv_sec: Int(sec), tv_nsec: Int(nsec)), left = timespec()
        while nanosleep(&ts, &left) != 0 && errno == EINTR {
            takeHostSignals()
            if deliverable != 0 {
                if remaining != 0 { try put(BE.words([UInt64(left.tv_sec), UInt64(left.tv_nsec)]), at: remaining) }
                interruptedByWait = true
                throw Errno.EINTR
            }
            ts = left
        }
        return 0
    }
}

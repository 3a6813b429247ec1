#if canImport(Glibc)
import Glibc
#endif
import GuestMemory
import PowerISA

/// Resource usage, priorities, scheduling queries, prctl and the interval timers.
extension LinuxProcess {
    static let prctlOptions: [UInt64: String] = [3: "PR_GET_DUMPABLE", 4: "PR_SET_DUMPABLE", 11: "PR_GET_FPEXC", 12: "PR_SET_FPEXC",
                                                  15: "PR_SET_NAME", 16: "PR_GET_NAME"]
    static let itimerNames: [UInt64: String] = [0: "ITIMER_REAL", 1: "ITIMER_VIRTUAL", 2: "ITIMER_PROF"]

    static let processControlSyscalls: [SyscallSpec] = [
        SyscallSpec(77, "getrusage", [.choice("who", [0: "RUSAGE_SELF", UInt64(UInt32.max): "RUSAGE_CHILDREN", 1: "RUSAGE_THREAD"]), .hex]) { p, a in
            var ru = rusage()
            _ = try p.check(getrusage(a.int32(0), &ru))
            // x86-64's struct rusage is the same 18 longs (two timevals, then 14 counters).
            let w = withUnsafeBytes(of: ru) { raw in (0..<18).map { Int64(raw.load(fromByteOffset: 8 * $0, as: Int.self)) } }
            try p.put(KernelLayout.rusage(user: (w[0], w[1]), system: (w[2], w[3]), counters: Array(w[4...])), at: a[1])
            return 0
        },
        // The raw calls answer 20 - nice (1…40), which glibc turns back into a nice value.
        SyscallSpec(96, "getpriority", [.int, .int]) { p, a in
            try p.check(HostSyscall.call(HostSyscall.getpriority, Int(a.int32(0)), Int(a.int32(1))))
        },
        SyscallSpec(97, "setpriority", [.int, .int, .int]) { p, a in
            try p.check(HostSyscall.call(HostSyscall.setpriority, Int(a.int32(0)), Int(a.int32(1)), Int(a.int32(2))))
        },
        SyscallSpec(155, "sched_getparam", [.int, .hex]) { p, a in
            var param = sched_param()
            _ = try p.check(sched_getparam(pid_t(a.int32(0)), &param))
            try p.store32(a[1], UInt32(bitPattern: param.sched_priority))  // struct sched_param { int sched_priority; }
            return 0
        },
        SyscallSpec(157, "sched_getscheduler", [.int]) { p, a in try p.check(sched_getscheduler(pid_t(a.int32(0)))) },
        SyscallSpec(159, "sched_get_priority_max", [.int]) { p, a in try p.check(sched_get_priority_max(a.int32(0))) },
        SyscallSpec(160, "sched_get_priority_min", [.int]) { p, a in try p.check(sched_get_priority_min(a.int32(0))) },
        SyscallSpec(222, "sched_setaffinity", [.int, .int, .hex]) { p, a in
            // The mask is an array of longs: big-endian words for the guest, native ones for the host.
            let size = Int(min(a[1], 1024)) & ~7
            guard size > 0 else { throw Errno.EINVAL }
            let b = try p.bytes(a[2], UInt64(size))
            var words = (0..<size / 8).map { BE.word(b, 8 * $0) }
            return try p.check(words.withUnsafeMutableBytes {
                HostSyscall.call(HostSyscall.schedSetaffinity, Int(a.int32(0)), size, Int(bitPattern: $0.baseAddress))
            })
        },
        SyscallSpec(171, "prctl", [.choice("option", prctlOptions), .hex, .hex, .hex, .hex]) { p, a in try p.prctl(a) },
        SyscallSpec(104, "setitimer", [.choice("which", itimerNames), .hex, .hex]) { p, a in
            let which = try p.itimer(a[0])
            let w = try p.bytes(a[1], UInt64(KernelLayout.itimervalSize))
            let interval = try LinuxProcess.microseconds(Int64(bitPattern: BE.word(w, 0)), Int64(bitPattern: BE.word(w, 8)))
            let value = try LinuxProcess.microseconds(Int64(bitPattern: BE.word(w, 16)), Int64(bitPattern: BE.word(w, 24)))
            let old = p.timers.set(which, interval: interval, value: value, now: IntervalTimers.now(which))
            p.armHostTimer(which, interval: interval, value: value)
            if a[2] != 0 { try p.put(LinuxProcess.itimerval(old), at: a[2]) }
            return 0
        },
        SyscallSpec(105, "getitimer", [.choice("which", itimerNames), .hex]) { p, a in
            let which = try p.itimer(a[0])
            try p.put(LinuxProcess.itimerval(p.timers.get(which, now: IntervalTimers.now(which))), at: a[1])
            return 0
        },
        SyscallSpec(27, "alarm", [.int]) { p, a in
            let seconds = UInt32(truncatingIfNeeded: a[0])
            defer { p.armHostTimer(0, interval: 0, value: Int64(seconds) * 1_000_000) }
            return p.timers.alarm(seconds, now: IntervalTimers.now(0))
        },
    ]

    /// The guest's timer runs as the same host timer of lpar (ITIMER_REAL: wall-clock time;
    /// VIRTUAL and PROF: lpar's CPU time, which is the guest's), so its SIGALRM, SIGVTALRM or
    /// SIGPROF arrives as a host signal and goes to the guest like any other (Signals.swift).
    func armHostTimer(_ which: Int, interval: Int64, value: Int64) {
        func tv(_ us: Int64) -> timeval { timeval(tv_sec: Int(us / 1_000_000), tv_usec: Int(us % 1_000_000)) }
        var it = Glibc.itimerval(it_interval: tv(value > 0 ? interval : 0), it_value: tv(value))
        _ = Glibc.setitimer(__itimer_which_t(UInt32(which)), &it, nil)
        if value > 0 { timerSignals |= Sig.bit([Sig.alrm, Sig.vtalrm, Sig.prof][which]) }
        updateHostSignals()
    }

    func itimer(_ v: UInt64) throws(Errno) -> Int {
        guard v <= 2 else { throw Errno.EINVAL }
        return Int(v)
    }

    /// A struct timeval as microseconds; the kernel refuses a negative or unnormalised one.
    static func microseconds(_ sec: Int64, _ usec: Int64) throws(Errno) -> Int64 {
        guard sec >= 0, usec >= 0, usec < 1_000_000, sec < Int64.max / 2_000_000_000 else { throw Errno.EINVAL }
        return sec * 1_000_000 + usec
    }

    static func itimerval(_ t: (interval: Int64, value: Int64)) -> [UInt8] {
        KernelLayout.itimerval(interval: (t.interval / 1_000_000, t.interval % 1_000_000), value: (t.value / 1_000_000, t.value % 1_000_000))
    }

    /// PR_SET_NAME/PR_GET_NAME: the 16-byte comm (TASK_COMM_LEN, NUL included), which
    /// /proc/self/stat and status show. PR_SET_FPEXC/PR_GET_FPEXC: powerpc's floating-point
    /// exception mode (PR_FP_EXC_DISABLED 0, NONRECOV 1, ASYNC 2, PRECISE 3; PR_FP_EXC_SW_ENABLE
    /// 0x80 is for SPE cores and refused), recorded in `fpExceptionMode` for the engine (the
    /// kernel's set_fpexc_mode turns it into MSR[FE0] and MSR[FE1]). Other options: EINVAL.
    func prctl(_ a: SyscallArgs) throws(Errno) -> Int64 {
        switch a[0] & 0xFFFF_FFFF {
        case 15:
            let b = try bytes(a[1], 16)
            commName = String(decoding: b.prefix(15).prefix { $0 != 0 }, as: UTF8.self)
            return 0
        case 16:
            var b = Array(commName.utf8.prefix(15))
            b += [UInt8](repeating: 0, count: 16 - b.count)
            try put(b, at: a[1])
            return 0
        case 12:
            let mode = UInt32(truncatingIfNeeded: a[1])
            guard mode & 0x80 == 0, mode <= 3 else { throw Errno.EINVAL }
            fpExceptionMode = mode
            // set_fpexc_mode: MSR[FE0] = mode & 2, MSR[FE1] = mode & 1 (__pack_fe01), so the
            // engine raises FP enabled exceptions (any nonzero mode is precise for lpar).
            if let cpu = activeCPU { cpu.msr = (cpu.msr & ~(MSR.fe0 | MSR.fe1)) | (mode & 2 != 0 ? MSR.fe0 : 0) | (mode & 1 != 0 ? MSR.fe1 : 0) }
            return 0
        case 11:
            try store32(a[1], fpExceptionMode)
            return 0
        case 3: return Int64(dumpable)
        case 4:
            guard a[1] <= 1 else { throw Errno.EINVAL }
            dumpable = Int32(a[1])
            return 0
        default:
            throw Errno.EINVAL
        }
    }
}

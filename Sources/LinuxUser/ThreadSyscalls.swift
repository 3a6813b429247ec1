#if canImport(Glibc)
import Glibc
#endif
import GuestMemory
import PowerISA

/// What the machine does for a Linux process's threads. LinuxUser decides what a new thread's
/// registers hold and when a thread may run; the machine runs each thread on a vCPU of its
/// deterministic scheduler (Partition's LinuxThreads.swift). A thread is named by the index of
/// its vCPU.
public protocol ThreadControl: AnyObject {
    /// The vCPU index of the thread whose system call is being handled.
    var currentThread: Int { get }
    /// The machine's time base now: futex timeouts run on this virtual time.
    var threadTimeBase: UInt64 { get }
    /// The registers of a thread.
    func registers(of thread: Int) -> CPU
    /// A new vCPU in this address space, whose registers `setup` sets; it runs from its next
    /// turn. Nil when the machine can make no more.
    func startThread(_ setup: (CPU) -> Void) -> Int?
    /// The thread runs no more until `resume`, or until the time base reaches `deadline` (then
    /// the machine calls `LinuxProcess.futexTimedOut`).
    func suspend(_ thread: Int, until deadline: UInt64?)
    func resume(_ thread: Int)
    /// The thread has ended: its vCPU never runs it again.
    func end(_ thread: Int)
}

/// One thread of the process.
public struct LinuxThread: Equatable {
    public let tid: Int64
    /// set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken when the thread exits.
    public internal(set) var clearChildTID: UInt64 = 0
    /// set_robust_list: recorded for get_robust_list (lpar does not walk it at exit).
    public internal(set) var robustListHead: UInt64 = 0
    public internal(set) var alive = true
    /// Its signal state while another thread runs (ThreadSignals.swift).
    public internal(set) var signals = ThreadSignals()
}

/// A thread blocked in FUTEX_WAIT(_BITSET).
struct FutexWaiter: Equatable {
    let thread: Int
    var address: UInt64
    let bitset: UInt32
}

/// The process's threads, by vCPU index (an exited thread's index is reused by a later clone;
/// its tid is not), and the futex wait queue.
public final class ThreadGroup {
    /// The machine running the threads (nil: a process without one, as in unit tests; it has
    /// one thread and a futex wait that would block ends it).
    public weak var control: ThreadControl?
    public internal(set) var threads: [LinuxThread]
    /// Waiters oldest first: FUTEX_WAKE wakes in that order, as the kernel's queue (FIFO among
    /// equal priorities) does, so which thread runs next is reproducible.
    var waiters: [FutexWaiter] = []
    /// sched_yield asked to end the caller's turn; the machine clears it when it switches.
    public var yieldRequested = false
    /// Tids are the pid (the first thread), then pid + 1, pid + 2… in clone order.
    private var lastTID: Int64

    init(pid: Int64) {
        threads = [LinuxThread(tid: pid)]
        lastTID = pid
    }

    public var liveCount: Int { threads.reduce(0) { $0 + ($1.alive ? 1 : 0) } }
    var current: Int { control?.currentThread ?? 0 }
    /// The tid of the thread on vCPU `index` (for trace prefixes and reports).
    public func tid(of index: Int) -> Int64 { index < threads.count ? threads[index].tid : -1 }

    /// The vCPU index of the live thread with this tid (a tkill/tgkill target).
    public func index(ofLiveTID tid: Int64) -> Int? { threads.firstIndex { $0.tid == tid && $0.alive } }

    func add(at index: Int) -> Int64 {
        lastTID += 1
        let t = LinuxThread(tid: lastTID)
        if index < threads.count { threads[index] = t } else { threads.append(t) }
        return lastTID
    }
}

/// Clone flags (include/uapi/linux/sched.h).
enum Clone {
    static let vm: UInt64 = 0x100, fs: UInt64 = 0x200, files: UInt64 = 0x400, sighand: UInt64 = 0x800
    static let ptrace: UInt64 = 0x2000, vfork: UInt64 = 0x4000, thread: UInt64 = 0x10000, sysvsem: UInt64 = 0x40000
    static let settls: UInt64 = 0x80000, parentSettid: UInt64 = 0x10_0000, childCleartid: UInt64 = 0x20_0000
    static let detached: UInt64 = 0x40_0000, untraced: UInt64 = 0x80_0000, childSettid: UInt64 = 0x100_0000
    static let io: UInt64 = 0x8000_0000
    /// What a thread may ask for: glibc's pthread_create passes VM|FS|FILES|SIGHAND|THREAD|
    /// SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID; the low byte (exit signal) the kernel
    /// ignores for a thread. Namespaces, pidfds, vfork and the rest are refused.
    static let threadFlags: UInt64 = vm | fs | files | sighand | thread | sysvsem | settls | parentSettid | childCleartid
        | detached | ptrace | untraced | childSettid | io | 0xFF
}

/// Futex operations and flags (include/uapi/linux/futex.h).
enum Futex {
    static let wait: Int32 = 0, wake: Int32 = 1, requeue: Int32 = 3, cmpRequeue: Int32 = 4
    static let waitBitset: Int32 = 9, wakeBitset: Int32 = 10
    static let privateFlag: Int32 = 128, clockRealtime: Int32 = 256
    static let bitsetMatchAny: UInt32 = 0xFFFF_FFFF
}

extension LinuxProcess {
    /// Threads: clone and get_robust_list (exit, futex and the per-thread identity calls are
    /// rows of processSyscalls). fork, vfork, execve and clone3 have no rows: they return ENOSYS
    /// like every number lpar does not implement, and traces name them (one lpar process is one
    /// guest process; see README, Linux programs). glibc 2.36 has no clone3 for powerpc64, and
    /// other ports fall back to clone on its ENOSYS, as qemu-ppc64 7.2 answers it.
    static let threadSyscalls: [SyscallSpec] = [
        SyscallSpec(120, "clone", [.bits("cflags", cloneFlagNames), .hex, .hex, .hex, .hex]) { p, a in try p.clone(a) },
        SyscallSpec(299, "get_robust_list", [.int, .hex, .hex]) { p, a in try p.getRobustList(a) },
    ]

    static let cloneFlagNames: [UInt64: String] = [
        Clone.vm: "CLONE_VM", Clone.fs: "CLONE_FS", Clone.files: "CLONE_FILES", Clone.sighand: "CLONE_SIGHAND",
        Clone.ptrace: "CLONE_PTRACE", Clone.vfork: "CLONE_VFORK", Clone.thread: "CLONE_THREAD", Clone.sysvsem: "CLONE_SYSVSEM",
        Clone.settls: "CLONE_SETTLS", Clone.parentSettid: "CLONE_PARENT_SETTID", Clone.childCleartid: "CLONE_CHILD_CLEARTID",
        Clone.detached: "CLONE_DETACHED", Clone.untraced: "CLONE_UNTRACED", Clone.childSettid: "CLONE_CHILD_SETTID",
    ]

    /// The tid of the thread making the system call.
    public var currentTID: Int64 { threads.threads[threads.current].tid }

    /// The child's registers as powerpc's copy_thread leaves them: the parent's (so the child
    /// returns from the same `sc`), except r1 = `stack` when one is given, r13 = `tls` with
    /// CLONE_SETTLS (the 64-bit ABI's thread pointer), and r3 = 0 with CR0[SO] clear: a
    /// successful return of 0. No lwarx reservation carries over.
    public static func setUpClone(child: CPU, parent: CPU, stack: UInt64, tls: UInt64?) {
        child.state.update(from: parent.state, count: CPU.slotCount)
        if stack != 0 { child.gpr[1] = stack }
        if let tls { child.gpr[13] = tls }
        child.gpr[3] = 0
        child.cr &= ~0x1000_0000
        child[RegisterSlot.reserveValid] = 0
    }

    /// clone(flags, newsp, parent_tid, tls, child_tid): powerpc's argument order
    /// (CONFIG_CLONE_BACKWARDS: the TLS is the fourth argument, r6; the child tid pointer the
    /// fifth, r7 — glibc's clone.S moves its arguments into these). Only threads: a clone
    /// without CLONE_VM (fork) or without CLONE_THREAD (vfork, posix_spawn) returns ENOSYS.
    func clone(_ a: SyscallArgs) throws(Errno) -> Int64 {
        let flags = a[0] & 0xFFFF_FFFF
        // The kernel's own consistency checks come first (copy_process).
        if flags & Clone.thread != 0 && flags & Clone.sighand == 0 { throw Errno.EINVAL }
        if flags & Clone.sighand != 0 && flags & Clone.vm == 0 { throw Errno.EINVAL }
        guard flags & Clone.vm != 0, flags & Clone.thread != 0 else { throw Errno.ENOSYS }
        guard flags & ~Clone.threadFlags == 0 else { throw Errno.EINVAL }
        guard let control = threads.control else { throw Errno.ENOSYS }
        let parent = control.registers(of: threads.current)
        let tls: UInt64? = flags & Clone.settls != 0 ? a[3] : nil
        guard let index = control.startThread({ Self.setUpClone(child: $0, parent: parent, stack: a[1], tls: tls) }) else {
            throw Errno.EAGAIN
        }
        let tid = threads.add(at: index)
        startSignals(ofThread: index)
        // The kernel ignores a fault on either store (the thread exists by then).
        if flags & Clone.parentSettid != 0 { try? store32(a[2], UInt32(truncatingIfNeeded: tid)) }
        if flags & Clone.childSettid != 0 { try? store32(a[4], UInt32(truncatingIfNeeded: tid)) }
        if flags & Clone.childCleartid != 0 { threads.threads[index].clearChildTID = a[4] }
        return tid
    }

    /// exit (1): the calling thread ends. As the kernel's mm_release does, its clear_child_tid
    /// word becomes 0 and one waiter on it is woken (pthread_join waits there). The last thread's
    /// exit ends the process with its status.
    func exitThread(_ status: Int32) {
        guard let control = threads.control, threads.liveCount > 1 else { exit(status); return }
        let me = threads.current
        let clear = threads.threads[me].clearChildTID
        if clear != 0, (try? store32(clear, 0)) != nil { _ = wake(clear, count: 1, bitset: Futex.bitsetMatchAny) }
        threads.threads[me].alive = false
        threads.waiters.removeAll { $0.thread == me }
        control.end(me)
    }

    func setTIDAddress(_ address: UInt64) -> Int64 {
        threads.threads[threads.current].clearChildTID = address
        return currentTID
    }

    func setRobustList(_ a: SyscallArgs) throws(Errno) -> Int64 {
        guard a[1] == 24 else { throw Errno.EINVAL }  // sizeof(struct robust_list_head)
        threads.threads[threads.current].robustListHead = a[0]
        return 0
    }

    /// get_robust_list(tid, &head, &len): 0 is the caller.
    func getRobustList(_ a: SyscallArgs) throws(Errno) -> Int64 {
        let tid = a.int32(0)
        let thread = tid == 0 ? threads.threads[threads.current] : threads.threads.first { $0.tid == Int64(tid) && $0.alive }
        guard let thread else { throw Errno.ESRCH }
        try store64(a[1], thread.robustListHead)
        try store64(a[2], 24)
        return 0
    }

    /// sched_yield: the caller's turn ends (it runs again in its round-robin place).
    func yieldTurn() -> Int64 {
        threads.yieldRequested = true
        return 0
    }

    /// futex(uaddr, op, val, timeout or val2, uaddr2, val3). Keys are guest addresses: one
    /// address space, so FUTEX_PRIVATE_FLAG changes nothing. A waiter's vCPU does not run until
    /// a wake or its timeout, measured on the machine's virtual time base.
    func futex(_ a: SyscallArgs) throws(Errno) -> Int64 {
        let op = a.int32(1)
        let cmd = op & ~(Futex.privateFlag | Futex.clockRealtime)
        // FUTEX_CLOCK_REALTIME only means something to the bitset wait (kernel: ENOSYS otherwise).
        if op & Futex.clockRealtime != 0 && cmd != Futex.waitBitset { throw Errno.ENOSYS }
        let address = a[0]
        switch cmd {
        case Futex.wait, Futex.waitBitset:
            let bitset = cmd == Futex.wait ? Futex.bitsetMatchAny : UInt32(truncatingIfNeeded: a[5])
            guard address & 3 == 0, bitset != 0 else { throw Errno.EINVAL }
            let deadline = try futexDeadline(a[3], absolute: cmd == Futex.waitBitset, realtime: op & Futex.clockRealtime != 0)
            guard try load32(address) == UInt32(truncatingIfNeeded: a[2]) else { throw Errno.EAGAIN }
            guard let control = threads.control else {
                // No machine to run another thread: nothing could ever wake this one.
                if deadline != nil { throw Errno.ETIMEDOUT }
                stop(124, "lpar: futex wait at 0x\(String(address, radix: 16)) would block forever (the guest has one thread)")
                return 0
            }
            if let deadline, deadline <= control.threadTimeBase { throw Errno.ETIMEDOUT }
            threads.waiters.append(FutexWaiter(thread: threads.current, address: address, bitset: bitset))
            control.suspend(threads.current, until: deadline)
            return 0  // what the waiter sees when woken; a timeout rewrites it (futexTimedOut)
        case Futex.wake, Futex.wakeBitset:
            let bitset = cmd == Futex.wake ? Futex.bitsetMatchAny : UInt32(truncatingIfNeeded: a[5])
            guard address & 3 == 0, bitset != 0 else { throw Errno.EINVAL }
            return Int64(wake(address, count: a.int32(2), bitset: bitset))
        case Futex.requeue, Futex.cmpRequeue:
            let target = a[4]
            guard address & 3 == 0, target & 3 == 0 else { throw Errno.EINVAL }
            let moveLimit = Int32(truncatingIfNeeded: a[3])  // val2 travels in the timeout argument
            guard a.int32(2) >= 0, moveLimit >= 0 else { throw Errno.EINVAL }
            if cmd == Futex.cmpRequeue, try load32(address) != UInt32(truncatingIfNeeded: a[5]) { throw Errno.EAGAIN }
            let woken = wake(address, count: max(a.int32(2), 0), bitset: Futex.bitsetMatchAny, atLeastOne: false)
            var moved: Int32 = 0
            for i in threads.waiters.indices where moved < moveLimit && threads.waiters[i].address == address {
                threads.waiters[i].address = target
                moved += 1
            }
            return Int64(woken) + Int64(moved)
        default:
            throw Errno.ENOSYS  // FUTEX_WAKE_OP, the PI operations: glibc's mutexes and condvars do not use them
        }
    }

    /// Wakes up to `count` waiters on `address` whose bitset meets `bitset`, oldest first. As
    /// the kernel's futex_wake counts, a count of 0 or less still wakes one (requeue's does not).
    func wake(_ address: UInt64, count: Int32, bitset: UInt32, atLeastOne: Bool = true) -> Int32 {
        let limit = atLeastOne ? max(count, 1) : count
        var woken: Int32 = 0
        var i = 0
        while i < threads.waiters.count && woken < limit {
            let w = threads.waiters[i]
            if w.address == address && w.bitset & bitset != 0 {
                threads.waiters.remove(at: i)
                threads.control?.resume(w.thread)
                woken += 1
            } else {
                i += 1
            }
        }
        return woken
    }

    /// The time base at which a wait times out. FUTEX_WAIT's timeout is relative; the bitset
    /// wait's is absolute on CLOCK_MONOTONIC (CLOCK_REALTIME with the flag), a clock lpar reads
    /// from the host, so the time left is taken now and counted on virtual time from here.
    func futexDeadline(_ timeout: UInt64, absolute: Bool, realtime: Bool) throws(Errno) -> UInt64? {
        guard timeout != 0 else { return nil }
        var sec = Int64(bitPattern: try load64(timeout)), nsec = Int64(bitPattern: try load64(timeout + 8))
        guard sec >= 0, nsec >= 0, nsec < 1_000_000_000 else { throw Errno.EINVAL }
        if absolute {
            var now = timespec()
            clock_gettime(realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC, &now)
            sec -= Int64(now.tv_sec); nsec -= Int64(now.tv_nsec)
            if nsec < 0 { nsec += 1_000_000_000; sec -= 1 }
            if sec < 0 { sec = 0; nsec = 0 }
        }
        let now = threads.control?.threadTimeBase ?? 0
        // 512 ticks per microsecond; beyond ~2^33 s the wait is as good as unbounded.
        guard sec < 1 << 33 else { return UInt64.max }
        let ticks = UInt64(sec) * Interpreter.timeBaseFrequency + UInt64(nsec) * 64 / 125
        return now.addingReportingOverflow(ticks).overflow ? UInt64.max : now + ticks
    }

    /// A call that would block the host now: a read or write (read, readv, write, writev) on a
    /// pipe, socket or terminal with nothing to read or no room; poll, ppoll, select or
    /// pselect6 with no fd ready and a timeout that is not zero; pause, rt_sigsuspend or
    /// rt_sigtimedwait with no signal for it. With other threads runnable, the machine then lets
    /// them run first (the one that would fill or drain the pipe, or send the signal, may be
    /// among them) instead of blocking every thread in the host call. A finite timeout counts
    /// from the try made when no other thread can run.
    public func callWouldBlock(cpu: CPU) -> Bool {
        let a = SyscallArgs(cpu: cpu)
        let events: Int16
        switch cpu.gpr[0] {
        case 3, 145: events = Int16(POLLIN)
        case 4, 146: events = Int16(POLLOUT)
        case 167, 281, 142, 280: return (try? pollWouldBlock(cpu.gpr[0], a)) ?? false
        case 29, 176, 178:
            // What the wait would return on: any signal for this thread (pause); one its new
            // mask lets through (rt_sigsuspend); one of its set (rt_sigtimedwait, with no
            // timeout: a timed wait keeps its host sleep). Bad arguments fail in the call.
            guard deliverable == 0 else { return false }
            let pending = pendingSignals | threadPendingSignals
            let blocks: Bool
            switch cpu.gpr[0] {
            case 29: blocks = true
            case 178:
                guard a[1] == 8, let mask = try? load64(a[0]) else { return false }
                blocks = pending & ~(mask & ~Sig.unblockable) == 0
            default:
                guard a[2] == 0, a[3] == 8, let set = try? load64(a[0]) else { return false }
                blocks = pending & set == 0
            }
            if blocks { deferredSignalWaits.insert(signalThread) }
            return blocks
        default: return false
        }
        guard let fd = try? host(Int64(bitPattern: cpu.gpr[3])) else { return false }
        var p = pollfd(fd: fd, events: events, revents: 0)
        return Glibc.poll(&p, 1, 0) == 0
    }

    /// The machine's time base reached a waiter's deadline: its futex call returns ETIMEDOUT.
    public func futexTimedOut(thread: Int, cpu: CPU) {
        threads.waiters.removeAll { $0.thread == thread }
        cpu.gpr[3] = UInt64(Errno.ETIMEDOUT.code)
        cpu.cr |= 0x1000_0000
    }

    /// Why no thread can run: every live one waits on a futex without a timeout (nil when none
    /// waits: something else stopped them).
    public var deadlockReport: String? {
        guard !threads.waiters.isEmpty else { return nil }
        let waiting = threads.waiters.map { "tid \(threads.threads[$0.thread].tid) on 0x\(String($0.address, radix: 16))" }
        if threads.liveCount == 1, let only = threads.waiters.first {
            return "lpar: futex wait at 0x\(String(only.address, radix: 16)) would block forever (no other thread can wake it)"
        }
        return "lpar: deadlock: every thread waits on a futex that no other thread can wake (\(waiting.joined(separator: ", ")))"
    }
}

#if canImport(Glibc)
import Glibc
#endif
import GuestMemory
import GuestELF
import CHostSignals
import PowerISA

/// The Linux user personality: one ppc64 process, its threads on the machine's vCPUs, whose
/// `sc 0` system calls lpar answers from the host.
public final class LinuxProcess {
    public let memory: GuestMemory
    public let program: ProgramInfo
    public var paths: PathResolver
    public var addressSpace: AddressSpace
    /// Guest fd → host fd. 0, 1, 2 are lpar's own; closing them only forgets them.
    var files: [Int32: Int32] = [0: 0, 1: 1, 2: 2]
    /// Host fds that are eventfds (their 8-byte counter is swapped on read and write).
    var eventFDs: Set<Int32> = []
    /// rt_sigaction: the guest's `struct sigaction` bytes per signal (handler, flags, restorer, mask).
    var signalActions: [Int32: [UInt8]] = [:]
    /// The running thread's blocked signals (bit n-1 for signal n; SIGKILL and SIGSTOP never).
    /// Each thread has its own (ThreadSignals.swift).
    var signalMask: UInt64 = 0
    /// Signals sent to the process and not yet delivered, and the siginfo of each (standard
    /// signals do not queue).
    var pendingSignals: UInt64 = 0
    var pendingInfo: [Int32: SignalInfo] = [:]
    /// Signals sent to the running thread alone (tkill, tgkill), and their siginfo.
    var threadPendingSignals: UInt64 = 0
    var threadPendingInfo: [Int32: SignalInfo] = [:]
    /// The thread (vCPU index) whose mask, private signals and alternate stack the fields
    /// here hold.
    var signalThread = 0
    /// Threads whose signal wait (pause, rt_sigsuspend, rt_sigtimedwait) was put off while
    /// other threads run (`callWouldBlock`).
    var deferredSignalWaits: Set<Int> = []
    /// The running thread's sigaltstack: ss_sp, ss_size (0: none) and SS_AUTODISARM.
    var altStack: (base: UInt64, size: UInt64, autodisarm: UInt32) = (0, 0, 0)
    /// rt_sigsuspend's caller's mask, which the handler's frame saves (and rt_sigreturn restores).
    var maskAfterSuspend: UInt64?
    /// Set by rt_sigreturn: the register file to restore instead of writing a result.
    var pendingRestore: [UInt64]?
    /// pause, sigsuspend, sigtimedwait and nanosleep said EINTR themselves: never restarted.
    var interruptedByWait = false
    /// What the next frame's gp_regs say for TRAP, DAR and DSISR (a fault sets them).
    var trapVector: UInt64 = 0xC00, faultDAR: UInt64 = 0, faultDSISR: UInt64 = 0
    /// Host signals lpar catches for the guest now, and the timer signals it must catch
    /// because the guest armed their timers (bit n-1 for signal n).
    var hostCaught: UInt64 = 0
    var timerSignals: UInt64 = 0
    /// When lpar's --timeout ends the run (monotonic ns): waits for signals end there too.
    public var runDeadline: Int64?
    /// The CPU of the system call being handled (rt_sigreturn and sigaltstack need r1).
    var activeCPU: CPU?
    /// setitimer/getitimer/alarm bookkeeping (the timers themselves run as lpar's host timers).
    public internal(set) var timers = IntervalTimers()
    /// prctl(PR_SET_FPEXC): 0 disabled, 1 non-recoverable, 2 asynchronous, 3 precise. Nonzero
    /// means FP exceptions enabled in the FPSCR should trap (MSR[FE0] = mode & 2, MSR[FE1] = mode & 1).
    public internal(set) var fpExceptionMode: UInt32 = 0
    /// The task's comm (PR_SET_NAME; initially the executable's base name, cut at 15 bytes).
    public internal(set) var commName: String
    var dumpable: Int32 = 1
    /// The threads, each on a vCPU of the machine (ThreadSyscalls.swift).
    public let threads = ThreadGroup(pid: Int64(getpid()))
    /// The guest's argv and environment as started (/proc/self/cmdline, environ).
    public private(set) var arguments: [String] = []
    public private(set) var environment: [String] = []
    /// Where the initial stack put argc, argv and envp (for /proc/self/stat).
    public private(set) var initialStack: InitialStack?
    /// Host-absolute path of the program (readlink of /proc/self/exe).
    let executablePath: String

    /// Set when the process ended: by exit/exit_group (its status) or by a signal (128 + n).
    public private(set) var exitStatus: Int32?
    /// One line for the user when lpar ended the process (signal, deadlock), else nil.
    public private(set) var stopReport: String?
    public private(set) var syscallCount: UInt64 = 0
    /// Calls per syscall number, for --stats.
    public private(set) var syscallCounts: [UInt64: UInt64] = [:]
    public let pid: Int64 = 1000

    /// The stack's size (RLIMIT_STACK as getrlimit reports it): the top of the address space,
    /// with `AddressSpace.guardGap` bytes below it that nothing is mapped into.
    public static let stackSize: UInt64 = 8 << 20
    /// Where the signal trampoline lives once `enforceProtections` mapped it (nil: on the
    /// signal frame itself, for processes whose stack may be executed).
    public private(set) var signalTrampoline: UInt64?

    public init(memory: GuestMemory, program: ProgramInfo, root: String?) {
        self.memory = memory
        self.program = program
        paths = PathResolver(root: root)
        addressSpace = AddressSpace(program: program, stackBottom: memory.ramSize - Self.stackSize, stackTop: memory.ramSize)
        commName = String(decoding: Array((program.path.split(separator: "/").last.map(String.init) ?? program.path).utf8.prefix(15)), as: UTF8.self)
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        // Signals lpar was started with ignored stay ignored for the guest, as across exec.
        for s in Sig.forwarded where lpar_signal_ignored(s) != 0 {
            signalActions[s] = [0, 0, 0, 0, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 24)
        }
        executablePath = realpath(program.path, &buf) != nil ? String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : program.path
        updateHostSignals()  // (caught and dropped while ignored, so a later handler gets them)
    }

    deinit {
        for (g, h) in files where h > 2 && g >= 0 { close(h) }
    }

    /// Builds the initial stack and sets the registers as the kernel's start_thread does:
    /// every GPR zero except r1 (pointing at argc) and r2 (ELFv1: the TOC from the entry
    /// descriptor) or r12 (ELFv2: the entry address); problem state, 64-bit, FP available.
    public func start(cpu: CPU, info: ProcessStartInfo) throws(MemoryFault) -> InitialStack {
        let stack = try InitialStack.build(in: memory, top: memory.ramSize, limit: memory.ramSize - Self.stackSize, program: program, info: info)
        arguments = info.arguments
        environment = info.environment
        initialStack = stack
        for i in 0..<32 { cpu.gpr[i] = 0 }
        cpu.gpr[1] = stack.stackPointer
        if program.abiVersion >= 2 { cpu.gpr[12] = program.entry } else { cpu.gpr[2] = program.toc ?? 0 }
        cpu.pc = program.entry
        cpu.lr = 0; cpu.ctr = 0; cpu.xer = 0; cpu.cr = 0
        // FP, VEC and VSX on: Linux enables each facility on a process's first use of it.
        cpu.msr = MSR.sf | MSR.pr | MSR.fp | MSR.vec | MSR.vsx | MSR.ee | MSR.ir | MSR.dr | MSR.ri | MSR.me
        return stack
    }

    /// Handles one `sc 0` (pc already after it): r0 = number, r3–r8 = arguments. On success r3
    /// = result and CR0.SO clear; on failure r3 = the positive errno and CR0.SO set, as the
    /// ppc64 kernel returns them. Other registers are left alone.
    @discardableResult
    public func systemCall(cpu: CPU, render: Bool = false) -> SyscallRecord {
        syscallCount += 1
        if !deferredSignalWaits.isEmpty { deferredSignalWaits.remove(signalThread) }
        let number = cpu.gpr[0]
        syscallCounts[number, default: 0] += 1
        let args = SyscallArgs(cpu: cpu)
        let spec = SyscallTable.spec(number: number)
        activeCPU = cpu
        var result: Int64 = 0
        var failure: Errno?
        if let spec {
            do { result = try spec.handler(self, args) } catch let e as Errno { failure = e } catch { failure = .EFAULT }
        } else {
            failure = .ENOSYS
        }
        let so: UInt32 = 0x1000_0000
        if let saved = pendingRestore {
            pendingRestore = nil
            for (i, v) in saved.enumerated() where i < CPU.slotCount { cpu.state[i] = v }
        } else if let failure {
            cpu.gpr[3] = UInt64(failure.code)
            cpu.cr |= so
            if failure == .EINTR && !interruptedByWait && exitStatus == nil { restartIfNeeded(cpu: cpu, args: args) }
        } else {
            cpu.gpr[3] = UInt64(bitPattern: result)
            cpu.cr &= ~so
        }
        interruptedByWait = false
        activeCPU = nil
        if exitStatus == nil { deliverPendingSignals(cpu: cpu) }
        var text: String?
        if render {
            text = SyscallFormatter.line(name: spec?.name ?? SyscallNames.name(number), kinds: spec?.args ?? Array(repeating: .hex, count: 6),
                                         args: args.raw, result: result, errno: failure, noReturn: exitStatus != nil, memory: memory)
        }
        return SyscallRecord(number: number, name: spec?.name, args: args.raw, result: failure == nil ? result : -1, errno: failure, text: text)
    }

    /// A host call that a host signal interrupted (EINTR) is made again, as the kernel restarts
    /// it, when the signal will not run a handler (ignored, or blocked) or its handler has
    /// SA_RESTART: the `sc` runs again after the handler, with its arguments as they were.
    func restartIfNeeded(cpu: CPU, args: SyscallArgs) {
        takeHostSignals()
        let next = deliverable
        if next != 0 {
            let sig = Int32(next.trailingZeroBitCount + 1)
            if handler(of: sig) > 1 && flags(of: sig) & Sig.saRestart == 0 { return }
        }
        cpu.gpr[3] = args[0]
        cpu.cr &= ~0x1000_0000
        cpu.pc &-= 4
    }

    /// System calls by name, most frequent first (--stats).
    public var syscallCountsByName: [(name: String, count: UInt64)] {
        syscallCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { (name: SyscallNames.name($0.key), count: $0.value) }
    }

    /// `write 12, brk 4, …` most frequent first, for --stats.
    public var syscallSummary: String {
        syscallCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\(SyscallNames.name($0.key)) \($0.value)" }.joined(separator: ", ")
    }

    // MARK: - Ending the process

    func exit(_ status: Int32) { if exitStatus == nil { exitStatus = status & 0xFF } }

    /// The process dies by signal `n` (its default action), as a shell reports it: 128 + n.
    func killed(by n: Int32, _ why: String) {
        guard exitStatus == nil else { return }
        exitStatus = 128 + n
        stopReport = "lpar: guest killed by \(SyscallFormatter.signalName(n)) (\(why))"
    }

    /// lpar stops the process for a reason a real kernel would not have (a deadlock).
    func stop(_ status: Int32, _ report: String) {
        guard exitStatus == nil else { return }
        exitStatus = status
        stopReport = report
    }

    // MARK: - Protections

    /// Makes guest memory follow `addressSpace` from now on: unmapped pages fault, the
    /// image's segments get their ELF permissions, the stack and heap read-write without
    /// execute. Maps the page of the signal trampoline (read-execute), since the stack can no
    /// longer be executed. Before the first instruction (lpar run); tests that poke memory
    /// freely leave it off.
    public func enforceProtections() {
        memory.enforceProtections()
        if requestsExecutableStack {
            _ = addressSpace.protect(addressSpace.stackBottom, addressSpace.stackTop, prot: AddressSpace.read | AddressSpace.write | AddressSpace.execute)
        }
        if let page = addressSpace.allocate(AddressSpace.pageSize, prot: AddressSpace.read | AddressSpace.execute, kind: .vdso),
           let p = memory.rawPointer(page, UInt64(4 * SignalFrame.trampoline.count)) {
            for (i, w) in SignalFrame.trampoline.enumerated() { p.storeBytes(of: w.bigEndian, toByteOffset: 4 * i, as: UInt32.self) }
            signalTrampoline = page
        }
        sync(0, memory.ramSize)
    }

    /// Whether the program's PT_GNU_STACK asks for an executable stack (PF_X: GCC's nested
    /// function trampolines live there), as the kernel's ELF loader honours it; without the
    /// header a ppc64 program's stack is not executable. Read from the program headers in
    /// guest memory (AT_PHDR), where the loader put them.
    var requestsExecutableStack: Bool {
        let size = program.programHeaderEntrySize, count = program.programHeaderCount
        guard program.programHeaderAddress != 0, size >= 8, count > 0, count < 1 << 16,
              let p = memory.rawPointer(program.programHeaderAddress, size * count) else { return false }
        for i in 0..<Int(count) {
            let type = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: i * Int(size), as: UInt32.self))
            let flags = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: i * Int(size) + 4, as: UInt32.self))
            if type == 0x6474_E551 { return flags & 1 != 0 }  // PT_GNU_STACK, PF_X
        }
        return false
    }

    /// Gives the pages of [start, end) (rounded out to whole pages) the permissions
    /// `addressSpace` records for them, or makes them unmapped.
    func sync(_ start: UInt64, _ end: UInt64) {
        guard memory.enforcesProtections else { return }
        let start = AddressSpace.roundDown(start), end = min(AddressSpace.roundUp(end), memory.ramSize)
        guard end > start else { return }
        var a = start
        for r in addressSpace.areas where r.end > start && r.start < end {
            if r.start > a { memory.setAccess(a, r.start, read: false, write: false, execute: false, mapped: false) }
            let s = max(r.start, start), e = min(r.end, end)
            // ppc64 has no write-only or execute-only pages: either makes the page readable.
            memory.setAccess(s, e, read: r.prot != 0, write: r.prot & AddressSpace.write != 0, execute: r.prot & AddressSpace.execute != 0)
            a = e
        }
        if a < end { memory.setAccess(a, end, read: false, write: false, execute: false, mapped: false) }
    }

    // MARK: - Guest memory (checked: a bad pointer is EFAULT, never a host fault)

    func bytes(_ address: UInt64, _ count: UInt64) throws(Errno) -> [UInt8] {
        guard count <= 1 << 31, let b = try? memory.read(address, count: Int(count)) else { throw .EFAULT }
        return b
    }
    func put(_ bytes: [UInt8], at address: UInt64) throws(Errno) {
        do { try memory.write(bytes, at: address) } catch { throw .EFAULT }
    }
    func string(_ address: UInt64) throws(Errno) -> String {
        guard let b = try? memory.readCString(address, limit: Int(PATH_MAX)) else { throw .EFAULT }
        guard b.count < Int(PATH_MAX) else { throw .ENAMETOOLONG }
        return String(decoding: b, as: UTF8.self)
    }
    func load64(_ a: UInt64) throws(Errno) -> UInt64 { guard let v = memory.load64(a) else { throw .EFAULT }; return v }
    func load32(_ a: UInt64) throws(Errno) -> UInt32 { guard let v = memory.load32(a) else { throw .EFAULT }; return v }
    func store64(_ a: UInt64, _ v: UInt64) throws(Errno) {
        guard memory.store64(a, v) else { throw .EFAULT }
        memory.noteWrite(a, 8)
    }
    func store32(_ a: UInt64, _ v: UInt32) throws(Errno) {
        guard memory.store32(a, v) else { throw .EFAULT }
        memory.noteWrite(a, 4)
    }
    /// A host pointer to a guest range, for read(2)/write(2) straight into guest memory:
    /// `writing` when the host call fills it (read, pread, getrandom), so that a read-only
    /// buffer is EFAULT as under the kernel; otherwise it must be readable.
    func hostPointer(_ address: UInt64, _ count: UInt64, writing: Bool) throws(Errno) -> UnsafeMutableRawPointer {
        guard count <= 1 << 31 else { throw .EFAULT }
        let p = writing ? memory.writablePointer(address, max(count, 1)) : memory.pointer(address, max(count, 1))
        guard let p else { throw .EFAULT }
        return p
    }

    // MARK: - File descriptors

    func host(_ fd: Int64) throws(Errno) -> Int32 {
        guard fd >= 0, fd <= Int64(Int32.max), let h = files[Int32(fd)] else { throw .EBADF }
        return h
    }
    /// A dirfd argument: AT_FDCWD (-100) stays AT_FDCWD.
    func hostDir(_ fd: Int32) throws(Errno) -> Int32 {
        fd == -100 ? AT_FDCWD : try host(Int64(fd))
    }
    func newGuestFD(for hostFD: Int32, from lowest: Int32 = 0) throws(Errno) -> Int64 {
        var g = lowest
        while files[g] != nil { g += 1 }
        guard g < 1024 else { close(hostFD); throw .EMFILE }
        files[g] = hostFD
        return Int64(g)
    }
    func closeGuest(_ fd: Int64) throws(Errno) {
        let h = try host(fd)
        files[Int32(fd)] = nil
        // lpar's own stdio stays open (the guest only loses its name for it); a host fd that
        // another guest fd still shares (dup) stays open too.
        if h > 2 && !files.values.contains(h) { close(h); eventFDs.remove(h) }
    }

    /// `copy` is a host dup of `original`: it is the same kind of file.
    func duplicated(_ original: Int32, as copy: Int32) -> Int32 {
        if eventFDs.contains(original) { eventFDs.insert(copy) }
        return copy
    }

    /// Runs a host call that returns -1 with errno on failure.
    func check(_ r: Int) throws(Errno) -> Int64 {
        if r < 0 { throw Errno.host }
        return Int64(r)
    }
    func check(_ r: Int32) throws(Errno) -> Int64 { try check(Int(r)) }
}

extension LinuxProcess {
    /// lpar's own environment, which a Linux program gets by default (as under qemu-ppc64).
    public static func hostEnvironment() -> [String] {
        var out: [String] = []
        var p = environ
        while let s = p.pointee { out.append(String(cString: s)); p += 1 }
        return out
    }
}

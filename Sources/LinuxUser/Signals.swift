#if canImport(Glibc)
import Glibc
#endif
import CHostSignals
import GuestMemory
import PowerISA

/// The ppc64 kernel's signal frame, `struct rt_sigframe` of arch/powerpc/kernel/signal_64.c
/// (a kernel without CONFIG_PPC_TRANSACTIONAL_MEM, so no second ucontext), as byte offsets
/// from the frame's start, which is 16-byte aligned:
///
///     struct ucontext uc            0     (uapi/asm/ucontext.h, 1696 bytes)
///       uc_flags 0, uc_link 8, uc_stack 16 (ss_sp 16, ss_flags 24, ss_size 32),
///       uc_sigmask 40, __unused[15] 48, uc_mcontext 168 = struct sigcontext (1528 bytes):
///         _unused[4] 168, signal 200, _pad0 204, handler 208, oldmask 216, regs 224,
///         gp_regs[48] 232 (pt_regs order: r0-r31, NIP 32, MSR 33, ORIG_R3 34, CTR 35,
///         LNK 36, XER 37, CCR 38, SOFTE 39, TRAP 40, DAR 41, DSISR 42, RESULT 43),
///         fp_regs[33] 616 (f0-f31, FPSCR), v_regs 880, vmx_reserve[101] 888
///     unsigned long _unused[2]      1696
///     unsigned int tramp[7]         1712
///     struct siginfo *pinfo         1744
///     void *puc                     1752
///     struct siginfo info           1760  (128 bytes)
///     char abigap[512]              1888  (USER_REDZONE_SIZE: the interrupted code's red zone)
///                                   2400  sizeof
///
/// v_regs points at vmx_reserve rounded up to 16 (frame + 896): VR0-31 (16 bytes each, high
/// doubleword first), VSCR in the last word of the 33rd quadword, VRSAVE in the first word of
/// the 34th, then the low doublewords of VSR0-31 (ELF_NVRREG = 34 quadwords in).
public enum SignalFrame {
    public static let size: UInt64 = 2400
    public static let ucontext: UInt64 = 0
    public static let ucFlags: UInt64 = 0, ucLink: UInt64 = 8, ucStack: UInt64 = 16, ucSigmask: UInt64 = 40
    public static let mcontext: UInt64 = 168
    public static let scSignal: UInt64 = 200, scHandler: UInt64 = 208, scOldmask: UInt64 = 216, scRegs: UInt64 = 224
    public static let gpRegs: UInt64 = 232, fpRegs: UInt64 = 616, vRegsPointer: UInt64 = 880, vmxReserve: UInt64 = 888
    public static let vRegs: UInt64 = 896
    public static let tramp: UInt64 = 1712, pinfo: UInt64 = 1744, puc: UInt64 = 1752, info: UInt64 = 1760
    public static let siginfoSize: UInt64 = 128
    /// __SIGNAL_FRAMESIZE: the dummy caller frame below the rt_sigframe, whose back chain is
    /// the interrupted r1.
    public static let callerFrame: UInt64 = 128

    /// pt_regs indices of gp_regs (uapi/asm/ptrace.h).
    public enum PT {
        public static let nip = 32, msr = 33, origR3 = 34, ctr = 35, lnk = 36, xer = 37, ccr = 38, softe = 39
        public static let trap = 40, dar = 41, dsisr = 42, result = 43
    }

    /// The trampoline the handler is entered through: `bctrl` (calls the handler, whose
    /// address is in CTR), `addi r1,r1,128` (pops the dummy frame: r1 = the ucontext), `li r0,172`,
    /// `sc` (rt_sigreturn), then three zero words of minimal traceback (setup_trampoline).
    public static let trampoline: [UInt32] = [0x4E80_0421, 0x3821_0080, 0x3800_00AC, 0x4400_0002, 0, 0, 0]
}

/// Signal numbers, flags and codes as ppc64 Linux defines them (the generic values).
enum Sig {
    static let hup: Int32 = 1, int: Int32 = 2, quit: Int32 = 3, ill: Int32 = 4, trap: Int32 = 5, abrt: Int32 = 6
    static let bus: Int32 = 7, fpe: Int32 = 8, kill: Int32 = 9, usr1: Int32 = 10, segv: Int32 = 11, usr2: Int32 = 12
    static let pipe: Int32 = 13, alrm: Int32 = 14, term: Int32 = 15, chld: Int32 = 17, cont: Int32 = 18, stop: Int32 = 19
    static let tstp: Int32 = 20, ttin: Int32 = 21, ttou: Int32 = 22, urg: Int32 = 23, vtalrm: Int32 = 26, prof: Int32 = 27, winch: Int32 = 28

    static let saSiginfo: UInt64 = 0x4, saOnstack: UInt64 = 0x0800_0000, saRestart: UInt64 = 0x1000_0000
    static let saNodefer: UInt64 = 0x4000_0000, saResethand: UInt64 = 0x8000_0000

    static let siUser: Int32 = 0, siKernel: Int32 = 0x80, siTkill: Int32 = -6
    static let segvMaperr: Int32 = 1, segvAccerr: Int32 = 2, busAdraln: Int32 = 1
    static let illIllopc: Int32 = 1, illPrvopc: Int32 = 5, trapBrkpt: Int32 = 1
    static let fpeFltdiv: Int32 = 3, fpeFltovf: Int32 = 4, fpeFltund: Int32 = 5, fpeFltres: Int32 = 6, fpeFltinv: Int32 = 7, fpeFltunk: Int32 = 14

    static let ssOnstack: UInt32 = 1, ssDisable: UInt32 = 2, ssAutodisarm: UInt32 = 1 << 31
    /// MINSIGSTKSZ of ppc64 (uapi/asm/signal.h).
    static let minStackSize: UInt64 = 8192

    /// SIGKILL and SIGSTOP can be neither blocked, caught nor ignored.
    static let unblockable: UInt64 = bit(kill) | bit(stop)
    @inline(__always) static func bit(_ s: Int32) -> UInt64 { 1 << UInt64(s - 1) }

    /// Host signals lpar catches for the guest while it handles, ignores or blocks them (or, for
    /// the timer signals, has armed the timer): the others keep their default action on lpar
    /// itself, so Ctrl-C still ends lpar when the guest does nothing about it.
    static let forwarded: [Int32] = [hup, int, quit, usr1, usr2, pipe, alrm, term, vtalrm, prof, winch]
}

/// What the kernel's siginfo says about one signal (the union's fields at 16).
struct SignalInfo: Equatable {
    var signo: Int32
    var code: Int32
    /// si_addr (faults) or si_pid / si_uid (kill, tkill, host signals).
    var address: UInt64 = 0
    var pid: Int32 = 0
    var uid: UInt32 = 0

    var bytes: [UInt8] {
        var b = [UInt8](repeating: 0, count: Int(SignalFrame.siginfoSize))
        StatLayout.put32(&b, 0, UInt32(bitPattern: signo))
        StatLayout.put32(&b, 8, UInt32(bitPattern: code))
        if [Sig.segv, Sig.bus, Sig.ill, Sig.fpe, Sig.trap].contains(signo) && code > 0 {
            StatLayout.put64(&b, 16, address)
        } else {
            StatLayout.put32(&b, 16, UInt32(bitPattern: pid)); StatLayout.put32(&b, 20, uid)
        }
        return b
    }
}

/// Signal delivery as the ppc64 kernel does it: the frame above, handlers entered through the
/// trampoline, rt_sigreturn restoring the registers and mask from the ucontext in guest memory
/// (so a handler may edit them), synchronous faults turned into SIGSEGV/SIGBUS/SIGILL/SIGFPE/
/// SIGTRAP, and asynchronous signals (the guest's timers, host signals) taken at the next
/// system call or between two chunks of the run loop.
extension LinuxProcess {
    static let ignoredByDefault: Set<Int32> = [Sig.chld, Sig.cont, Sig.urg, Sig.winch]
    /// Job-control stops: lpar has no job control, so their default action does nothing.
    static let stopsByDefault: Set<Int32> = [Sig.stop, Sig.tstp, Sig.ttin, Sig.ttou]

    func handler(of sig: Int32) -> UInt64 { signalActions[sig].map { BE.word($0, 0) } ?? 0 }
    func flags(of sig: Int32) -> UInt64 { signalActions[sig].map { BE.word($0, 8) } ?? 0 }

    /// Whether a signal sent now would do nothing: SIG_IGN, or SIG_DFL whose default is to ignore.
    func discards(_ sig: Int32) -> Bool {
        let h = handler(of: sig)
        return h == 1 || (h == 0 && (Self.ignoredByDefault.contains(sig) || Self.stopsByDefault.contains(sig)))
    }

    /// Makes `sig` pending for the process with its siginfo (standard signals do not queue: a
    /// second one while the first is pending is merged), unless it would be discarded.
    func post(_ info: SignalInfo) {
        guard info.signo >= 1, info.signo <= 64, !discards(info.signo) || blockedByAnyThread & Sig.bit(info.signo) != 0 else { return }
        if pendingSignals & Sig.bit(info.signo) == 0 { pendingInfo[info.signo] = info }
        pendingSignals |= Sig.bit(info.signo)
    }

    /// Pending signals the running thread takes: its own and the process's, less those it
    /// blocks (SIGKILL and SIGSTOP never are). A process signal goes to the main thread while
    /// that lives and does not block it, as the kernel's complete_signal prefers the thread
    /// group leader; other threads take only those the main thread blocks.
    var deliverable: UInt64 {
        var shared = pendingSignals
        if signalThread != 0, threads.threads[0].alive { shared &= threads.threads[0].signals.mask | Sig.unblockable }
        return (shared | threadPendingSignals) & ~(signalMask & ~Sig.unblockable)
    }

    // MARK: - Host signals

    /// Catches on the host exactly the forwarded signals the guest handles, ignores or blocks
    /// (and SIGALRM/SIGVTALRM/SIGPROF once the guest has armed their timer), and gives the
    /// others back their default action. Called after every change of actions, mask or timers.
    func updateHostSignals() {
        var want: UInt64 = 0
        let blocked = blockedByAnyThread
        for s in Sig.forwarded where handler(of: s) != 0 || blocked & Sig.bit(s) != 0 { want |= Sig.bit(s) }
        want |= timerSignals
        guard want != hostCaught else { return }
        for s in Sig.forwarded where (want ^ hostCaught) & Sig.bit(s) != 0 {
            _ = lpar_signal_catch(s, want & Sig.bit(s) != 0 ? 1 : 0)
        }
        hostCaught = want
    }

    /// Whether lpar catches any host signal for the guest (the run loop then takes them in
    /// smaller chunks, so they arrive soon).
    public var catchesHostSignals: Bool { hostCaught != 0 }

    /// True when a host signal for the guest is waiting (one atomic load: the run loop's check).
    public static var hostSignalArrived: Bool { lpar_signal_arrived() != 0 }

    /// Moves the host signals that arrived into the guest's pending set, with their senders.
    func takeHostSignals() {
        var bits = lpar_signal_take()
        while bits != 0 {
            let sig = Int32(bits.trailingZeroBitCount + 1)
            bits &= bits - 1
            var code: Int32 = 0, pid: Int32 = 0, uid: UInt32 = 0
            lpar_signal_sender(sig, &code, &pid, &uid)
            post(SignalInfo(signo: sig, code: code, pid: pid, uid: uid))
        }
    }

    /// Sleeps until a signal the guest would see arrives, or until `deadline` (monotonic ns);
    /// false on timeout. With nothing caught on the host, only a signal that ends lpar can come,
    /// as for a real process nobody signals.
    /// lpar's --timeout also ends a wait (the run loop then stops before the guest runs on).
    func waitForSignal(until deadline: Int64? = nil, wanted: UInt64 = 0) -> Bool {
        let until = [deadline, runDeadline].compactMap { $0 }.min()
        while true {
            takeHostSignals()
            if deliverable != 0 || (pendingSignals | threadPendingSignals) & wanted != 0 { return true }
            var left: Int64 = -1
            if let until {
                left = until - IntervalTimers.now(0)
                if left <= 0 { return false }
            }
            _ = lpar_signal_wait(left)
        }
    }

    // MARK: - Delivery

    /// Delivers the pending, unblocked signals (lowest first) as the kernel does on the way
    /// back to user mode: each handled one gets a frame, whose handler then runs first.
    public func deliverPendingSignals(cpu: CPU) {
        takeHostSignals()
        var frames = 0
        while exitStatus == nil, frames < 8, deliverable != 0, let info = dequeueSignal(deliverable) {
            let sig = info.signo
            let h = handler(of: sig)
            if h == 1 || (h == 0 && discards(sig)) { continue }
            if h == 0 {
                killed(by: sig, info.code == Sig.siTkill || info.code == Sig.siUser && info.pid == getpid() ? "sent by the guest to itself" : origin(of: info))
                break
            }
            if !enterHandler(cpu: cpu, info: info) { break }
            frames += 1
        }
        // sigsuspend's temporary mask ends here when no handler ran to carry it in its frame.
        if let saved = maskAfterSuspend { signalMask = saved; maskAfterSuspend = nil }
    }

    func origin(of info: SignalInfo) -> String {
        switch info.signo {
        case Sig.alrm where info.code == Sig.siKernel: return "its alarm or ITIMER_REAL timer expired"
        case Sig.vtalrm, Sig.prof: return "its interval timer expired"
        default: return info.pid > 0 ? "sent by process \(info.pid)" : "sent to lpar"
        }
    }

    /// A synchronous fault (an interrupt the engine raised at `cpu.pc`): true when the guest's
    /// handler now runs; false when the kernel would kill the process (no handler, SIG_IGN, or
    /// the signal blocked: force_sig_fault resets those to the default), which the caller
    /// reports as before.
    public func deliverFault(_ interrupt: Interrupt, cpu: CPU) -> Bool {
        guard exitStatus == nil, let info = Self.signal(for: interrupt, cpu: cpu) else { return false }
        let h = handler(of: info.signo)
        guard h > 1, signalMask & Sig.bit(info.signo) == 0 else { return false }
        // What pt_regs would say: the vector taken, and DAR/DSISR for a data access (an
        // unmapped address is a DSI with "no translation" to the kernel).
        switch interrupt {
        case .machineCheck(let f) where f.kind != .fetch:
            trapVector = 0x300; faultDAR = f.address
            faultDSISR = UInt64(DSISR.noTranslation | (f.kind == .store ? DSISR.store : 0))
        case .machineCheck: trapVector = 0x400
        case .dataStorage(let address, let dsisr): trapVector = 0x300; faultDAR = address; faultDSISR = UInt64(dsisr)
        case .alignment(let address): trapVector = 0x600; faultDAR = address
        default: trapVector = interrupt.vector
        }
        guard enterHandler(cpu: cpu, info: info) else { return false }
        deliverPendingSignals(cpu: cpu)
        return exitStatus == nil
    }

    /// The signal and siginfo the kernel sends for an interrupt taken in user mode.
    public static func signalNumber(for interrupt: Interrupt) -> Int32? {
        switch interrupt {
        case .machineCheck, .dataStorage, .dataSegment, .instructionStorage, .instructionSegment: return Sig.segv
        case .alignment: return Sig.bus
        case .program(.trap): return Sig.trap
        case .program(.floatingPointEnabled): return Sig.fpe
        case .program: return Sig.ill
        default: return nil
        }
    }

    static func signal(for interrupt: Interrupt, cpu: CPU) -> SignalInfo? {
        let pc = cpu.pc
        switch interrupt {
        case .machineCheck(let f): return SignalInfo(signo: Sig.segv, code: Sig.segvMaperr, address: f.kind == .fetch ? pc : f.address)
        case .dataStorage(let address, let dsisr):
            return SignalInfo(signo: Sig.segv, code: dsisr & DSISR.protection != 0 ? Sig.segvAccerr : Sig.segvMaperr, address: address)
        case .dataSegment(let address): return SignalInfo(signo: Sig.segv, code: Sig.segvMaperr, address: address)
        case .instructionStorage(let srr1):
            return SignalInfo(signo: Sig.segv, code: srr1 & UInt64(SRR1.fetchProtection) != 0 ? Sig.segvAccerr : Sig.segvMaperr, address: pc)
        case .instructionSegment: return SignalInfo(signo: Sig.segv, code: Sig.segvMaperr, address: pc)
        case .alignment(let address): return SignalInfo(signo: Sig.bus, code: Sig.busAdraln, address: address)
        case .program(.illegalInstruction): return SignalInfo(signo: Sig.ill, code: Sig.illIllopc, address: pc)
        case .program(.privilegedInstruction): return SignalInfo(signo: Sig.ill, code: Sig.illPrvopc, address: pc)
        case .program(.trap): return SignalInfo(signo: Sig.trap, code: Sig.trapBrkpt, address: pc)
        case .program(.floatingPointEnabled): return SignalInfo(signo: Sig.fpe, code: fpeCode(fpscr: cpu.fpscr), address: pc)
        default: return nil
        }
    }

    /// si_code of a floating-point enabled exception from the FPSCR, in the kernel's order of
    /// precedence (__parse_fpscr): invalid, overflow, underflow, zero divide, inexact.
    public static func fpeCode(fpscr f: UInt64) -> Int32 {
        if f & FPSCR.ve != 0 && f & FPSCR.vx != 0 { return Sig.fpeFltinv }
        if f & FPSCR.oe != 0 && f & FPSCR.ox != 0 { return Sig.fpeFltovf }
        if f & FPSCR.ue != 0 && f & FPSCR.ux != 0 { return Sig.fpeFltund }
        if f & FPSCR.ze != 0 && f & FPSCR.zx != 0 { return Sig.fpeFltdiv }
        if f & FPSCR.xe != 0 && f & FPSCR.xx != 0 { return Sig.fpeFltres }
        return Sig.fpeFltunk
    }

    /// The FPE_* name of a code, for lpar's report when SIGFPE kills the guest.
    public static func fpeCodeName(_ code: Int32) -> String {
        [3: "FPE_FLTDIV", 4: "FPE_FLTOVF", 5: "FPE_FLTUND", 6: "FPE_FLTRES", 7: "FPE_FLTINV"][code] ?? "FPE_FLTUNK"
    }

    /// Whether `sp` is on the alternate signal stack (on_sig_stack: the stack grows down, so its
    /// top, ss_sp + ss_size, belongs to it and its base does not).
    func onAltStack(_ sp: UInt64) -> Bool {
        altStack.size != 0 && sp > altStack.base && sp - altStack.base <= altStack.size
    }

    /// Builds the frame and points the registers at the handler, as handle_rt_signal64 does;
    /// false (and the process killed by SIGSEGV, as the kernel's signal_setup_done does) when
    /// the frame cannot be written.
    func enterHandler(cpu: CPU, info: SignalInfo) -> Bool {
        let sig = info.signo
        let action = signalActions[sig] ?? [UInt8](repeating: 0, count: 32)
        let handler = BE.word(action, 0), flags = BE.word(action, 8), mask = BE.word(action, 24)
        var sp = cpu.gpr[1]
        let onStack = onAltStack(sp)
        if flags & Sig.saOnstack != 0 && !onStack && altStack.size != 0 { sp = altStack.base &+ altStack.size }
        let frame = (sp &- SignalFrame.size) & ~15
        let newSP = frame &- SignalFrame.callerFrame
        let savedMask = maskAfterSuspend ?? signalMask
        maskAfterSuspend = nil
        do throws(Errno) {
            guard newSP < sp, memory.isMapped(newSP, sp - newSP) else { throw Errno.EFAULT }
            let entry: UInt64, toc: UInt64?
            if program.abiVersion >= 2 { entry = handler; toc = nil } else { entry = try load64(handler); toc = try load64(handler + 8) }
            var b = [UInt8](repeating: 0, count: Int(SignalFrame.info + SignalFrame.siginfoSize))
            // uc_flags and uc_link 0; uc_stack as __save_altstack records it.
            StatLayout.put64(&b, Int(SignalFrame.ucStack), altStack.base)
            StatLayout.put32(&b, Int(SignalFrame.ucStack + 8), altStackFlags(cpu.gpr[1]))
            StatLayout.put64(&b, Int(SignalFrame.ucStack + 16), altStack.size)
            StatLayout.put64(&b, Int(SignalFrame.ucSigmask), savedMask)
            writeContext(&b, cpu: cpu, frame: frame, signal: sig, handler: handler)
            for (i, w) in SignalFrame.trampoline.enumerated() { StatLayout.put32(&b, Int(SignalFrame.tramp) + 4 * i, w) }
            StatLayout.put64(&b, Int(SignalFrame.pinfo), frame + SignalFrame.info)
            StatLayout.put64(&b, Int(SignalFrame.puc), frame + SignalFrame.ucontext)
            b.replaceSubrange(Int(SignalFrame.info)..<b.count, with: info.bytes)
            try put(b, at: frame)
            try store64(newSP, cpu.gpr[1])  // the dummy caller frame's back chain
            // The handler starts with a clear FPSCR ("no spurious FP exceptions"), at the
            // trampoline's bctrl with CTR = its entry.
            cpu.fpscr = 0
            cpu.ctr = entry
            if let toc { cpu.gpr[2] = toc } else { cpu.gpr[12] = entry }
            cpu.gpr[1] = newSP
            cpu.gpr[3] = UInt64(sig)
            if flags & Sig.saSiginfo != 0 {
                cpu.gpr[4] = frame + SignalFrame.info; cpu.gpr[5] = frame + SignalFrame.ucontext; cpu.gpr[6] = frame
            } else {
                cpu.gpr[4] = frame + SignalFrame.mcontext
            }
            // The trampoline runs from its read-execute page when memory is protected (the
            // stack is not executable), else from the frame's own copy.
            cpu.pc = signalTrampoline ?? frame + SignalFrame.tramp
        } catch {
            killed(by: Sig.segv, "cannot write the frame for its \(SyscallFormatter.signalName(sig)) handler below r1 = 0x\(String(cpu.gpr[1], radix: 16))")
            return false
        }
        if altStack.autodisarm != 0 { altStack = (0, 0, 0) }  // SS_AUTODISARM: uc_stack brings it back
        if flags & Sig.saResethand != 0 {
            var a = action
            for i in 0..<8 { a[i] = 0 }  // SA_RESETHAND: the handler becomes SIG_DFL, the rest stays
            signalActions[sig] = a
        }
        signalMask = (signalMask | mask | (flags & Sig.saNodefer != 0 ? 0 : Sig.bit(sig))) & ~Sig.unblockable
        updateHostSignals()
        return true
    }

    /// uc_stack.ss_flags / sigaltstack's old ss_flags for a thread whose r1 is `sp`.
    func altStackFlags(_ sp: UInt64) -> UInt32 {
        (altStack.size == 0 ? Sig.ssDisable : onAltStack(sp) ? Sig.ssOnstack : 0) | altStack.autodisarm
    }

    /// struct sigcontext (setup_sigcontext): the registers at the interruption. VRs, VSCR,
    /// VRSAVE and the VSX low halves are always saved, so MSR says VEC and VSX in the frame.
    func writeContext(_ b: inout [UInt8], cpu: CPU, frame: UInt64, signal: Int32, handler: UInt64) {
        let mc = Int(SignalFrame.mcontext), gp = Int(SignalFrame.gpRegs), fp = Int(SignalFrame.fpRegs), vr = Int(SignalFrame.vRegs)
        StatLayout.put32(&b, mc + 32, UInt32(bitPattern: signal))
        StatLayout.put64(&b, mc + 40, handler)
        StatLayout.put64(&b, mc + 56, frame + SignalFrame.gpRegs)  // regs → gp_regs
        for i in 0..<32 { StatLayout.put64(&b, gp + 8 * i, cpu.gpr[i]) }
        let pt = SignalFrame.PT.self
        StatLayout.put64(&b, gp + 8 * pt.nip, cpu.pc)
        StatLayout.put64(&b, gp + 8 * pt.msr, cpu.msr | MSR.vec | MSR.vsx)
        StatLayout.put64(&b, gp + 8 * pt.origR3, cpu.gpr[3])
        StatLayout.put64(&b, gp + 8 * pt.ctr, cpu.ctr)
        StatLayout.put64(&b, gp + 8 * pt.lnk, cpu.lr)
        StatLayout.put64(&b, gp + 8 * pt.xer, cpu.xer)
        StatLayout.put64(&b, gp + 8 * pt.ccr, UInt64(cpu.cr))
        StatLayout.put64(&b, gp + 8 * pt.softe, 1)  // "userspace always sees softe as 1"
        StatLayout.put64(&b, gp + 8 * pt.trap, trapVector)
        StatLayout.put64(&b, gp + 8 * pt.dar, faultDAR)
        StatLayout.put64(&b, gp + 8 * pt.dsisr, faultDSISR)
        for i in 0..<32 { StatLayout.put64(&b, fp + 8 * i, cpu.fpr[i]) }
        StatLayout.put64(&b, fp + 8 * 32, cpu.fpscr)
        StatLayout.put64(&b, Int(SignalFrame.vRegsPointer), frame + SignalFrame.vRegs)
        for i in 0..<32 {
            StatLayout.put64(&b, vr + 16 * i, cpu[RegisterSlot.vr0 + 2 * i])
            StatLayout.put64(&b, vr + 16 * i + 8, cpu[RegisterSlot.vr0 + 2 * i + 1])
            StatLayout.put64(&b, vr + 16 * 34 + 8 * i, cpu[RegisterSlot.vsrLow0 + i])
        }
        StatLayout.put32(&b, vr + 16 * 32 + 12, UInt32(truncatingIfNeeded: cpu[RegisterSlot.vscr]))
        StatLayout.put32(&b, vr + 16 * 33, UInt32(truncatingIfNeeded: cpu[RegisterSlot.vrsave]))
        trapVector = 0xC00; faultDAR = 0; faultDSISR = 0  // what a frame built at a system call says
    }

    /// rt_sigreturn: r1 is the ucontext (the trampoline popped the dummy frame). The mask, the
    /// registers (as the handler may have left them) and the alternate stack come back from it;
    /// a frame that cannot be read kills the process with SIGSEGV, as the kernel's badframe.
    func sigreturn() throws(Errno) -> Int64 {
        guard let cpu = activeCPU else { return 0 }
        let uc = cpu.gpr[1]
        guard let b = try? bytes(uc, SignalFrame.mcontext + 1528) else {
            killed(by: Sig.segv, "rt_sigreturn with no readable signal frame at r1 = 0x\(String(uc, radix: 16))")
            return 0
        }
        let gp = Int(SignalFrame.gpRegs), fp = Int(SignalFrame.fpRegs), pt = SignalFrame.PT.self
        func w(_ o: Int) -> UInt64 { BE.word(b, o) }
        var regs = cpu.snapshot()
        for i in 0..<32 { regs[i] = w(gp + 8 * i) }
        regs[RegisterSlot.pc] = w(gp + 8 * pt.nip)
        regs[RegisterSlot.ctr] = w(gp + 8 * pt.ctr)
        regs[RegisterSlot.lr] = w(gp + 8 * pt.lnk)
        regs[RegisterSlot.xer] = w(gp + 8 * pt.xer)
        regs[RegisterSlot.cr] = w(gp + 8 * pt.ccr) & 0xFFFF_FFFF
        for i in 0..<32 { regs[RegisterSlot.fpr0 + i] = w(fp + 8 * i) }
        regs[RegisterSlot.fpscr] = w(fp + 8 * 32)
        // MSR: only LE comes from the frame (always 0 here); FE0/FE1 follow PR_SET_FPEXC.
        let msr = w(gp + 8 * pt.msr)
        let vregs = w(Int(SignalFrame.vRegsPointer))
        if vregs != 0 {
            guard let v = try? bytes(vregs, 34 * 16 + 32 * 8) else {
                killed(by: Sig.segv, "rt_sigreturn: v_regs at 0x\(String(vregs, radix: 16)) cannot be read")
                return 0
            }
            for i in 0..<32 {
                regs[RegisterSlot.vr0 + 2 * i] = msr & MSR.vec != 0 ? BE.word(v, 16 * i) : 0
                regs[RegisterSlot.vr0 + 2 * i + 1] = msr & MSR.vec != 0 ? BE.word(v, 16 * i + 8) : 0
                regs[RegisterSlot.vsrLow0 + i] = msr & MSR.vsx != 0 ? BE.word(v, 16 * 34 + 8 * i) : 0
            }
            regs[RegisterSlot.vscr] = msr & MSR.vec != 0 ? BE.word(v, 16 * 32 + 8) & 0xFFFF_FFFF : 0
            regs[RegisterSlot.vrsave] = BE.word(v, 16 * 33) >> 32
        }
        pendingRestore = regs
        signalMask = w(Int(SignalFrame.ucSigmask)) & ~Sig.unblockable
        // restore_altstack: sigaltstack from uc_stack, which fails (quietly) while still on it.
        let ss = (base: w(Int(SignalFrame.ucStack)), flags: UInt32(truncatingIfNeeded: w(Int(SignalFrame.ucStack) + 8) >> 32), size: w(Int(SignalFrame.ucStack) + 16))
        if !onAltStack(uc) { _ = try? setAltStack(base: ss.base, flags: ss.flags, size: ss.size) }
        updateHostSignals()
        return 0
    }

    /// sigaltstack's new stack (do_sigaltstack): SS_DISABLE, or a stack of at least MINSIGSTKSZ.
    func setAltStack(base: UInt64, flags: UInt32, size: UInt64) throws(Errno) {
        let mode = flags & ~Sig.ssAutodisarm
        guard mode == 0 || mode == Sig.ssOnstack || mode == Sig.ssDisable else { throw Errno.EINVAL }
        if mode == Sig.ssDisable { altStack = (0, 0, 0); return }
        guard size >= Sig.minStackSize else { throw Errno.ENOMEM }
        altStack = (base, size, flags & Sig.ssAutodisarm)
    }

    /// sigaltstack(ss, old_ss): stack_t is ss_sp (8), ss_flags (int, padded to 8), ss_size (8).
    func sigaltstack(_ a: SyscallArgs) throws(Errno) -> Int64 {
        let sp = activeCPU?.gpr[1] ?? 0
        let old = BE.words([altStack.base, UInt64(altStackFlags(sp)) << 32, altStack.size])
        if a[0] != 0 {
            let b = try bytes(a[0], 24)
            guard !onAltStack(sp) else { throw Errno.EPERM }
            try setAltStack(base: BE.word(b, 0), flags: UInt32(truncatingIfNeeded: BE.word(b, 8) >> 32), size: BE.word(b, 16))
        }
        if a[1] != 0 { try put(old, at: a[1]) }
        return 0
    }

    // MARK: - Waiting for signals

    /// pause: sleeps until a signal is delivered; always -1 EINTR (never restarted).
    func pause() throws(Errno) -> Int64 {
        _ = waitForSignal()
        interruptedByWait = true
        throw Errno.EINTR
    }

    /// rt_sigsuspend: the mask is replaced while waiting; the handler's frame carries the old
    /// one, which rt_sigreturn puts back.
    func sigsuspend(_ a: SyscallArgs) throws(Errno) -> Int64 {
        guard a[1] == 8 else { throw Errno.EINVAL }
        let mask = try load64(a[0])
        maskAfterSuspend = signalMask
        signalMask = mask & ~Sig.unblockable
        updateHostSignals()
        _ = waitForSignal()
        interruptedByWait = true
        throw Errno.EINTR
    }

    /// rt_sigtimedwait(set, info, timeout, sigsetsize): takes a pending signal of `set` (usually
    /// blocked) without running its handler; EAGAIN when the timeout passes, EINTR when another
    /// signal is delivered meanwhile.
    func sigtimedwait(_ a: SyscallArgs) throws(Errno) -> Int64 {
        guard a[3] == 8 else { throw Errno.EINVAL }
        let set = try load64(a[0]) & ~Sig.unblockable
        var deadline: Int64?
        if a[2] != 0 {
            let sec = Int64(bitPattern: try load64(a[2])), nsec = Int64(bitPattern: try load64(a[2] + 8))
            guard sec >= 0, nsec >= 0, nsec < 1_000_000_000 else { throw Errno.EINVAL }
            deadline = IntervalTimers.now(0) + min(sec, Int64.max / 2_000_000_000) * 1_000_000_000 + nsec
        }
        // The signals of the set are caught on the host while waiting, whatever their action.
        let waited = set
        let arrived = waitForSignal(until: deadline, wanted: waited)
        if let info = dequeueSignal(waited) {
            if a[1] != 0 { try put(info.bytes, at: a[1]) }
            return Int64(info.signo)
        }
        interruptedByWait = true
        throw arrived ? Errno.EINTR : Errno.EAGAIN
    }

    /// rt_sigpending: the pending signals that are blocked.
    func sigpending(_ a: SyscallArgs) throws(Errno) -> Int64 {
        guard a[1] <= 8 else { throw Errno.EINVAL }
        takeHostSignals()
        try store64(a[0], (pendingSignals | threadPendingSignals) & signalMask)
        return 0
    }
}

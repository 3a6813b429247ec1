#if canImport(Glibc)
import Glibc
#endif
import GuestMemory
import PowerISA

/// Synchronous signal delivery: signals the process sends itself (raise, abort, kill of its
/// own pid) run their handler on return from the syscall, on a frame like the kernel's.
///
/// The frame, below the interrupted r1 and a 512-byte red zone: the 128-byte siginfo
/// (si_signo, si_errno, si_code = SI_TKILL, si_pid, si_uid), a ucontext area (uc_sigmask is
/// filled; lpar's ucontext carries no registers, so a handler that reads or edits the
/// interrupted context is not supported), the two-instruction trampoline `li r0,172; sc` that
/// LR points at, then a 128-byte stack frame whose back chain is the old r1. The handler gets
/// r3 = signal, r4 = &siginfo, r5 = r6 = &ucontext; for ELFv1 `sa_handler` is a function
/// descriptor. The interrupted registers are kept by lpar and restored by rt_sigreturn.
extension LinuxProcess {
    static let ignoredByDefault: Set<Int32> = [17, 18, 23, 28]  // SIGCHLD, SIGCONT, SIGURG, SIGWINCH
    static let siginfoSize: UInt64 = 128, ucontextSize: UInt64 = 1024, redZone: UInt64 = 512, frameSize: UInt64 = 128

    /// Delivers the lowest pending, unblocked signal, if any (SIGKILL and SIGSTOP cannot be blocked).
    func deliverSignal(cpu: CPU) {
        let deliverable = pendingSignals & (~signalMask | (1 << 8) | (1 << 18))
        guard deliverable != 0 else { return }
        let sig = Int32(deliverable.trailingZeroBitCount + 1)
        pendingSignals &= ~(1 << UInt64(sig - 1))
        let action = signalActions[sig] ?? [UInt8](repeating: 0, count: 32)
        let handler = BE.word(action, 0), flags = BE.word(action, 8), mask = BE.word(action, 24)
        switch handler {
        case 0: killed(by: sig, "sent by the guest to itself")
        case 1: return
        default:
            do { try enterHandler(cpu: cpu, sig: sig, handler: handler, flags: flags, mask: mask) } catch {
                killed(by: 11, "cannot build the frame for the \(SyscallFormatter.signalName(sig)) handler at 0x\(String(handler, radix: 16))")
            }
        }
    }

    func enterHandler(cpu: CPU, sig: Int32, handler: UInt64, flags: UInt64, mask: UInt64) throws(Errno) {
        guard signalContexts.count < 64 else { throw Errno.EFAULT }
        let sp = cpu.gpr[1]
        let info = (sp &- Self.redZone &- Self.siginfoSize) & ~15
        let uc = info &- Self.ucontextSize
        let tramp = uc &- 16
        let newSP = (tramp &- Self.frameSize) & ~15
        guard newSP < sp, memory.isMapped(newSP, sp - newSP) else { throw Errno.EFAULT }
        var si = [UInt8](repeating: 0, count: Int(Self.siginfoSize))
        StatLayout.put32(&si, 0, UInt32(sig)); StatLayout.put32(&si, 8, UInt32(bitPattern: -6))  // SI_TKILL
        StatLayout.put32(&si, 16, UInt32(getpid())); StatLayout.put32(&si, 20, getuid())
        try put(si, at: info)
        try put([UInt8](repeating: 0, count: Int(Self.ucontextSize)), at: uc)
        try store64(uc + 0x80, signalMask)  // uc_sigmask, after uc_flags, uc_link, uc_stack and uc_pad
        try store32(tramp, 0x3800_00AC)  // li r0,172 (rt_sigreturn)
        try store32(tramp + 4, 0x4400_0002)  // sc
        try store64(newSP, sp)  // back chain
        let entry: UInt64, toc: UInt64?
        if program.abiVersion >= 2 { entry = handler; toc = nil } else { entry = try load64(handler); toc = try load64(handler + 8) }
        signalContexts.append((cpu.snapshot(), signalMask))
        signalMask |= mask | (flags & 0x4000_0000 != 0 ? 0 : 1 << UInt64(sig - 1))  // SA_NODEFER
        if flags & 0x8000_0000 != 0 { signalActions[sig] = nil }  // SA_RESETHAND
        cpu.gpr[1] = newSP
        cpu.gpr[3] = UInt64(sig); cpu.gpr[4] = info; cpu.gpr[5] = uc; cpu.gpr[6] = uc
        cpu.lr = tramp
        if let toc { cpu.gpr[2] = toc } else { cpu.gpr[12] = entry }
        cpu.pc = entry
    }

    /// rt_sigreturn: back to where the signal interrupted, every register as it was.
    func sigreturn() throws(Errno) -> Int64 {
        guard let saved = signalContexts.popLast() else {
            killed(by: 11, "rt_sigreturn without a signal frame")
            return 0
        }
        pendingRestore = saved  // systemCall restores the registers instead of writing a result
        return 0
    }
}

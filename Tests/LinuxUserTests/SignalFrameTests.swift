#if canImport(Glibc)
import Glibc
#endif
import XCTest
import GuestMemory
import PowerISA
@testable import LinuxUser

/// The ppc64 signal frame and its delivery, with offsets worked out by hand from the kernel's
/// structs (arch/powerpc/include/uapi/asm/{ucontext,sigcontext,ptrace}.h, signal_64.c).
final class SignalFrameTests: XCTestCase {
    var memory: GuestMemory!
    var process: LinuxProcess!
    var cpu: CPU!
    let so: UInt32 = 0x1000_0000
    let scratch: UInt64 = 0x8_0000
    let stackTop: UInt64 = 0x10_0000

    override func setUpWithError() throws {
        memory = try GuestMemory(ramSize: 32 << 20)
        process = makeProcess(abi: 2)
        cpu = CPU()
        cpu.msr = MSR.sf | MSR.pr | MSR.fp
    }

    func makeProcess(abi: Int) -> LinuxProcess {
        LinuxProcess(memory: memory, program: ProgramInfo(path: "/bin/prog", entry: 0x1000, toc: nil, headerEntry: 0x1000,
                                                          abiVersion: abi, programHeaderAddress: 0, programHeaderEntrySize: 56,
                                                          programHeaderCount: 0, imageEnd: 0x4_0000), root: nil)
    }

    @discardableResult
    func sc(_ nr: UInt64, _ args: UInt64...) -> SyscallRecord {
        cpu.gpr[0] = nr
        for (i, a) in args.enumerated() { cpu.gpr[3 + i] = a }
        cpu.pc &+= 4  // as after the sc instruction
        return process.systemCall(cpu: cpu)
    }

    /// rt_sigaction(sig, {handler, flags, restorer 0, mask}, NULL, 8).
    func install(_ sig: UInt64, handler: UInt64, flags: UInt64 = 0, mask: UInt64 = 0) {
        try! memory.write(bytes([handler, flags, 0, mask]), at: scratch)
        sc(173, sig, scratch, 0, 8)
        XCTAssertEqual(cpu.gpr[3], 0)
    }

    func bytes(_ words: [UInt64]) -> [UInt8] { words.flatMap { w in (0..<8).map { UInt8(truncatingIfNeeded: w >> UInt64(56 - 8 * $0)) } } }
    func word(_ a: UInt64) -> UInt64 { memory.load64(a)! }

    // MARK: - Layout

    func testLayoutMatchesTheKernelStructs() {
        // struct ucontext: uc_flags (8), uc_link (8), uc_stack (stack_t: ss_sp 8, ss_flags 4 +
        // 4 padding, ss_size 8 = 24) → uc_sigmask at 40; sigset_t (8) + __unused[15] (120)
        // → uc_mcontext at 168.
        XCTAssertEqual(SignalFrame.ucSigmask, 8 + 8 + 24)
        XCTAssertEqual(SignalFrame.mcontext, 40 + 8 + 15 * 8)
        // struct sigcontext: _unused[4] (32), signal (4), _pad0 (4), handler, oldmask, regs (8
        // each) → gp_regs at 64; 48 longs → fp_regs at 448; 33 doubles → v_regs at 712;
        // vmx_reserve at 720, 101 longs → 1528 bytes.
        XCTAssertEqual(SignalFrame.scSignal, 168 + 32)
        XCTAssertEqual(SignalFrame.scHandler, 168 + 40)
        XCTAssertEqual(SignalFrame.scOldmask, 168 + 48)
        XCTAssertEqual(SignalFrame.scRegs, 168 + 56)
        XCTAssertEqual(SignalFrame.gpRegs, 168 + 64)
        XCTAssertEqual(SignalFrame.fpRegs, 168 + 64 + 48 * 8)
        XCTAssertEqual(SignalFrame.vRegsPointer, 168 + 448 + 33 * 8)
        XCTAssertEqual(SignalFrame.vmxReserve, 168 + 720)
        // v_regs: vmx_reserve rounded up to 16 (the frame is 16-aligned): 888 → 896; the VMX
        // area (34 quadwords) and the VSX low halves (32 doublewords) end at the ucontext's end.
        XCTAssertEqual(SignalFrame.vRegs, 896)
        XCTAssertEqual(SignalFrame.vRegs + 34 * 16 + 32 * 8, 168 + 1528)
        // rt_sigframe: uc (1696), _unused[2] (16) → tramp at 1712; 7 words (28) → 1740, aligned
        // to 8 → pinfo 1744, puc 1752, info 1760; siginfo 128 → abigap 1888; 512 → 2400.
        XCTAssertEqual(SignalFrame.tramp, 1696 + 16)
        XCTAssertEqual(SignalFrame.pinfo, 1744)
        XCTAssertEqual(SignalFrame.puc, 1752)
        XCTAssertEqual(SignalFrame.info, 1760)
        XCTAssertEqual(SignalFrame.size, 1760 + 128 + 512)
        // pt_regs order.
        XCTAssertEqual([SignalFrame.PT.nip, SignalFrame.PT.msr, SignalFrame.PT.origR3, SignalFrame.PT.ctr, SignalFrame.PT.lnk,
                        SignalFrame.PT.xer, SignalFrame.PT.ccr, SignalFrame.PT.softe, SignalFrame.PT.trap, SignalFrame.PT.dar,
                        SignalFrame.PT.dsisr, SignalFrame.PT.result], Array(32...43))
        // The trampoline: bctrl; addi r1,r1,128; li r0,172 (__NR_rt_sigreturn); sc.
        XCTAssertEqual(Array(SignalFrame.trampoline.prefix(4)), [0x4E80_0421, 0x3821_0080, 0x3800_00AC, 0x4400_0002])
    }

    // MARK: - Delivery and return

    func testHandlerFrameHoldsTheInterruptedRegistersAndSigreturnTakesEditsBack() {
        install(10, handler: 0x5000, flags: 4)  // SIGUSR1, SA_SIGINFO
        cpu.gpr[1] = stackTop
        cpu.pc = 0x2000
        cpu.gpr[14] = 0x1414; cpu.gpr[31] = 0x3131
        cpu.ctr = 0xC7; cpu.lr = 0x1B0; cpu.xer = 0x2000_0000; cpu.cr = 0x2468_ACE0
        cpu.fpr[1] = 0x3FF0_0000_0000_0000; cpu.fpscr = 0x10  // ZE
        sc(250, UInt64(getpid()), UInt64(getpid()), 10)  // tgkill(self, SIGUSR1); it returns 0
        XCTAssertNil(process.exitStatus)

        // frame = (sp - 2400) & ~15; the handler's r1 = frame - 128, back chain = old r1.
        let frame: UInt64 = (stackTop - 2400) & ~15
        XCTAssertEqual(cpu.gpr[1], frame - 128)
        XCTAssertEqual(word(frame - 128), stackTop)
        XCTAssertEqual(cpu.pc, frame + 1712, "NIP = the trampoline, which calls the handler")
        XCTAssertEqual(memory.load32(cpu.pc), 0x4E80_0421, "bctrl")
        XCTAssertEqual(cpu.ctr, 0x5000)
        XCTAssertEqual(cpu.gpr[12], 0x5000, "ELFv2: r12 = the entry")
        XCTAssertEqual(cpu.gpr[3], 10)
        XCTAssertEqual(cpu.gpr[4], frame + 1760, "SA_SIGINFO: r4 = &info")
        XCTAssertEqual(cpu.gpr[5], frame, "r5 = &uc")
        XCTAssertEqual(cpu.gpr[6], frame, "r6 = the frame")
        XCTAssertEqual(cpu.fpscr, 0, "the handler starts with FPSCR 0")
        XCTAssertEqual(word(frame + 1744), frame + 1760, "pinfo")
        XCTAssertEqual(word(frame + 1752), frame, "puc")
        // siginfo: si_signo 10, si_errno 0, si_code SI_TKILL (-6), si_pid, si_uid.
        XCTAssertEqual(memory.load32(frame + 1760), 10)
        XCTAssertEqual(memory.load32(frame + 1768), UInt32(bitPattern: -6))
        XCTAssertEqual(memory.load32(frame + 1776), UInt32(getpid()))
        // uc_sigmask: the mask before the handler (none); now SIGUSR1 is blocked.
        XCTAssertEqual(word(frame + 40), 0)
        XCTAssertEqual(process.signalMask, 1 << 9)
        // sigcontext: signal, handler, regs → gp_regs; gp_regs[n] at 232 + 8n.
        XCTAssertEqual(memory.load32(frame + 200), 10)
        XCTAssertEqual(word(frame + 208), 0x5000)
        XCTAssertEqual(word(frame + 224), frame + 232)
        XCTAssertEqual(word(frame + 232 + 8 * 14), 0x1414)
        XCTAssertEqual(word(frame + 232 + 8 * 31), 0x3131)
        XCTAssertEqual(word(frame + 232 + 8 * 3), 0, "r3: tgkill's result, already written")
        XCTAssertEqual(word(frame + 232 + 8 * 32), 0x2004, "NIP: after the sc")
        XCTAssertEqual(word(frame + 232 + 8 * 35), 0xC7, "CTR")
        XCTAssertEqual(word(frame + 232 + 8 * 36), 0x1B0, "LNK")
        XCTAssertEqual(word(frame + 232 + 8 * 37), 0x2000_0000, "XER")
        XCTAssertEqual(word(frame + 232 + 8 * 38), 0x2468_ACE0 & ~UInt64(so), "CCR (CR0.SO cleared by the successful call)")
        XCTAssertEqual(word(frame + 232 + 8 * 39), 1, "SOFTE reads 1")
        XCTAssertEqual(word(frame + 232 + 8 * 40), 0xC00, "TRAP: a system call")
        XCTAssertEqual(word(frame + 616 + 8), 0x3FF0_0000_0000_0000, "fp_regs[1]")
        XCTAssertEqual(word(frame + 616 + 8 * 32), 0x10, "fp_regs[32] = FPSCR")
        XCTAssertEqual(word(frame + 880), frame + 896, "v_regs")

        // The handler edits its context: r14, the NIP, the CR and f1; then the trampoline's
        // addi r1,r1,128 and rt_sigreturn.
        _ = memory.store64(frame + 232 + 8 * 14, 0x99)
        _ = memory.store64(frame + 232 + 8 * 32, 0x3000)
        _ = memory.store64(frame + 232 + 8 * 38, 0x8000_0000)
        _ = memory.store64(frame + 616 + 8, 0x4000_0000_0000_0000)
        cpu.gpr[14] = 0; cpu.ctr = 0; cpu.gpr[3] = 77
        cpu.gpr[1] += 128
        sc(172)
        XCTAssertNil(process.exitStatus)
        XCTAssertEqual(cpu.pc, 0x3000, "the NIP the handler wrote")
        XCTAssertEqual(cpu.gpr[14], 0x99)
        XCTAssertEqual(cpu.gpr[31], 0x3131)
        XCTAssertEqual(cpu.gpr[1], stackTop)
        XCTAssertEqual(cpu.gpr[3], 0, "r3 from the frame, not a result")
        XCTAssertEqual(cpu.ctr, 0xC7)
        XCTAssertEqual(cpu.lr, 0x1B0)
        XCTAssertEqual(cpu.cr, 0x8000_0000)
        XCTAssertEqual(cpu.fpr[1], 0x4000_0000_0000_0000)
        XCTAssertEqual(cpu.fpscr, 0x10)
        XCTAssertEqual(process.signalMask, 0, "uc_sigmask restored")
    }

    func testPlainHandlerGetsMcontextInR4() {
        install(12, handler: 0x5000)  // SIGUSR2, no SA_SIGINFO
        cpu.gpr[1] = stackTop
        sc(37, UInt64(getpid()), 12)  // kill: SI_USER
        let frame: UInt64 = (stackTop - 2400) & ~15
        XCTAssertEqual(cpu.gpr[4], frame + 168, "r4 = &uc.uc_mcontext")
        XCTAssertEqual(memory.load32(frame + 1768), 0, "kill says SI_USER")
    }

    func testELFv1HandlerIsAFunctionDescriptor() throws {
        process = makeProcess(abi: 1)
        _ = memory.store64(0x6000, 0x5000)   // entry
        _ = memory.store64(0x6008, 0x7_8000) // TOC
        install(10, handler: 0x6000)
        cpu.gpr[1] = stackTop
        sc(250, UInt64(getpid()), UInt64(getpid()), 10)
        XCTAssertEqual(cpu.ctr, 0x5000)
        XCTAssertEqual(cpu.gpr[2], 0x7_8000)
    }

    func testAltStackAndResetHand() throws {
        // sigaltstack({ss_sp 0x40_0000, ss_flags 0, ss_size 64K}); too small is ENOMEM.
        try memory.write(bytes([0x40_0000, 0, 1024]), at: scratch + 0x100)
        sc(185, scratch + 0x100, 0)
        XCTAssertEqual(cpu.gpr[3], 12, "ENOMEM below MINSIGSTKSZ (8192)")
        try memory.write(bytes([0x40_0000, 0, 0x1_0000]), at: scratch + 0x100)
        sc(185, scratch + 0x100, 0)
        XCTAssertEqual(cpu.cr & so, 0)
        install(10, handler: 0x5000, flags: 0x0800_0000 | 0x8000_0000)  // SA_ONSTACK | SA_RESETHAND
        cpu.gpr[1] = stackTop
        sc(250, UInt64(getpid()), UInt64(getpid()), 10)
        let top: UInt64 = 0x41_0000
        let frame = (top - 2400) & ~15
        XCTAssertEqual(cpu.gpr[1], frame - 128, "the frame is at the top of the alternate stack")
        // uc_stack: ss_sp, ss_flags (0: the interrupted code was not on it), ss_size.
        XCTAssertEqual(word(frame + 16), 0x40_0000)
        XCTAssertEqual(memory.load32(frame + 24), 0)
        XCTAssertEqual(word(frame + 32), 0x1_0000)
        // SA_RESETHAND: the handler is SIG_DFL again, the flags stay.
        sc(173, 10, 0, scratch + 0x200, 8)
        XCTAssertEqual(word(scratch + 0x200), 0)
        XCTAssertEqual(word(scratch + 0x208), 0x0800_0000 | 0x8000_0000)
        // On the alternate stack, sigaltstack reports SS_ONSTACK and refuses a change (EPERM).
        sc(185, 0, scratch + 0x300)
        XCTAssertEqual(memory.load32(scratch + 0x308), 1)
        sc(185, scratch + 0x100, 0)
        XCTAssertEqual(cpu.gpr[3], 1)
    }

    func testFaultGoesToTheHandlerWithSiAddrAndDAR() {
        install(11, handler: 0x5000, flags: 4)
        cpu.gpr[1] = stackTop
        cpu.pc = 0x2000
        let fault = Interrupt.machineCheck(MemoryFault(address: 0x1008, size: 8, kind: .load))
        XCTAssertTrue(process.deliverFault(fault, cpu: cpu))
        let frame: UInt64 = (stackTop - 2400) & ~15
        XCTAssertEqual(memory.load32(frame + 1760), 11)
        XCTAssertEqual(memory.load32(frame + 1768), 1, "SEGV_MAPERR")
        XCTAssertEqual(word(frame + 1776), 0x1008, "si_addr")
        XCTAssertEqual(word(frame + 232 + 8 * 32), 0x2000, "NIP: the faulting instruction")
        XCTAssertEqual(word(frame + 232 + 8 * 40), 0x300, "TRAP: a data storage interrupt")
        XCTAssertEqual(word(frame + 232 + 8 * 41), 0x1008, "DAR")
        XCTAssertEqual(word(frame + 232 + 8 * 42), 0x4000_0000, "DSISR: no translation")
        // A second SIGSEGV inside the handler (SIGSEGV now blocked) is not delivered: the kernel kills.
        XCTAssertFalse(process.deliverFault(fault, cpu: cpu))
    }

    func testFaultWithoutHandlerIsLeftToTheCaller() {
        cpu.gpr[1] = stackTop
        XCTAssertFalse(process.deliverFault(.program(.illegalInstruction), cpu: cpu))
        XCTAssertNil(process.exitStatus, "the machine reports it and exits 132")
    }

    func testSIGFPECodeFollowsTheKernelsPrecedence() {
        // __parse_fpscr: invalid, then overflow, underflow, zero divide, inexact.
        XCTAssertEqual(LinuxProcess.fpeCode(fpscr: FPSCR.ze | FPSCR.zx), 3)
        XCTAssertEqual(LinuxProcess.fpeCode(fpscr: FPSCR.ze | FPSCR.zx | FPSCR.ve | FPSCR.vx), 7)
        XCTAssertEqual(LinuxProcess.fpeCode(fpscr: FPSCR.oe | FPSCR.ox | FPSCR.ze | FPSCR.zx), 4)
        XCTAssertEqual(LinuxProcess.fpeCode(fpscr: FPSCR.ue | FPSCR.ux), 5)
        XCTAssertEqual(LinuxProcess.fpeCode(fpscr: FPSCR.xe | FPSCR.xx), 6)
        XCTAssertEqual(LinuxProcess.fpeCode(fpscr: FPSCR.zx), 14, "FPE_FLTUNK: nothing enabled")
    }

    func testPrctlFPExcSetsFE0AndFE1() {
        sc(171, 12, 3)  // PR_SET_FPEXC, PR_FP_EXC_PRECISE
        XCTAssertEqual(cpu.msr & (MSR.fe0 | MSR.fe1), MSR.fe0 | MSR.fe1)
        sc(171, 12, 2)  // PR_FP_EXC_ASYNC: FE0 only
        XCTAssertEqual(cpu.msr & (MSR.fe0 | MSR.fe1), MSR.fe0)
        sc(171, 12, 0)
        XCTAssertEqual(cpu.msr & (MSR.fe0 | MSR.fe1), 0)
    }

    func testBlockedSignalIsPendingAndSigtimedwaitTakesIt() {
        _ = memory.store64(scratch, 1 << 9)
        sc(174, 0, scratch, 0, 8)               // block SIGUSR1
        sc(250, UInt64(getpid()), UInt64(getpid()), 10)
        XCTAssertNil(process.exitStatus, "blocked: not delivered")
        sc(175, scratch + 8, 8)                 // rt_sigpending
        XCTAssertEqual(word(scratch + 8), 1 << 9)
        sc(176, scratch, scratch + 0x100, 0, 8) // rt_sigtimedwait({SIGUSR1}, &info, NULL)
        XCTAssertEqual(cpu.gpr[3], 10)
        XCTAssertEqual(memory.load32(scratch + 0x100), 10, "si_signo")
        XCTAssertEqual(memory.load32(scratch + 0x108), UInt32(bitPattern: -6), "si_code SI_TKILL")
        // Nothing pending now: a zero timeout is EAGAIN.
        _ = memory.store64(scratch + 0x200, 0); _ = memory.store64(scratch + 0x208, 0)
        sc(176, scratch, 0, scratch + 0x200, 8)
        XCTAssertEqual(cpu.gpr[3], 11)
        XCTAssertEqual(cpu.cr & so, so)
    }

    func testSigsuspendRunsTheHandlerWithTheOldMaskInTheFrame() {
        install(10, handler: 0x5000)
        _ = memory.store64(scratch + 0x40, 1 << 9)
        sc(174, 0, scratch + 0x40, 0, 8)        // block SIGUSR1
        sc(250, UInt64(getpid()), UInt64(getpid()), 10)
        cpu.gpr[1] = stackTop
        _ = memory.store64(scratch + 0x48, 0)
        sc(178, scratch + 0x48, 8)              // rt_sigsuspend(empty)
        let frame: UInt64 = (stackTop - 2400) & ~15
        XCTAssertEqual(cpu.pc, frame + 1712, "the handler runs")
        XCTAssertEqual(word(frame + 232 + 8 * 3), 4, "sigsuspend's EINTR in the saved r3")
        XCTAssertEqual(word(frame + 40), 1 << 9, "uc_sigmask: the mask before sigsuspend")
        cpu.gpr[1] += 128
        sc(172)
        XCTAssertEqual(process.signalMask, 1 << 9)
    }

    func testBadSigreturnFrameKillsWithSIGSEGV() {
        cpu.gpr[1] = 1 << 40  // far beyond the 32 MiB of RAM: unreadable
        sc(172)
        XCTAssertEqual(process.exitStatus, 139)
    }
}

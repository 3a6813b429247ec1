#if canImport(Glibc)
import Glibc
#endif
import XCTest
import GuestMemory
import PowerISA
@testable import LinuxUser

/// A machine that records what the process asks of it, in place of Partition's scheduler.
final class RecordingThreadControl: ThreadControl {
    var cpus: [CPU]
    var currentThread = 0
    var threadTimeBase: UInt64 = 1_000_000
    /// Suspended threads and their deadlines.
    var suspended: [Int: UInt64?] = [:]
    var resumed: [Int] = []
    var ended: [Int] = []

    init(main: CPU) { cpus = [main] }
    func registers(of thread: Int) -> CPU { cpus[thread] }
    func startThread(_ setup: (CPU) -> Void) -> Int? {
        let c = CPU()
        setup(c)
        cpus.append(c)
        return cpus.count - 1
    }
    func suspend(_ thread: Int, until deadline: UInt64?) { suspended[thread] = .some(deadline) }
    func resume(_ thread: Int) { suspended[thread] = nil; resumed.append(thread) }
    func end(_ thread: Int) { ended.append(thread) }
}

/// clone, thread exit and futex against the ppc64 kernel's ABI: powerpc's clone takes
/// (flags, newsp, parent_tid, tls, child_tid) in r3-r7 (CONFIG_CLONE_BACKWARDS), copy_thread
/// gives the child the parent's registers with r1 = newsp, r13 = tls and a return of 0; futex
/// keeps waiters in FIFO order and FUTEX_WAKE returns how many it woke.
final class ThreadTests: XCTestCase {
    var memory: GuestMemory!
    var process: LinuxProcess!
    var cpu: CPU!
    var machine: RecordingThreadControl!
    let so: UInt32 = 0x1000_0000
    let word: UInt64 = 0x8_0000           // a futex word
    /// What glibc 2.36's pthread_create passes (strace shows flags=0x3d0f00):
    /// VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID.
    let pthreadFlags: UInt64 = 0x100 | 0x200 | 0x400 | 0x800 | 0x1_0000 | 0x4_0000 | 0x8_0000 | 0x10_0000 | 0x20_0000
    var pid: Int64 { Int64(getpid()) }

    override func setUpWithError() throws {
        memory = try GuestMemory(ramSize: 32 << 20)
        let made = LinuxProcess.testProcess(memory: memory)
        process = made.0
        cpu = made.1
        machine = RecordingThreadControl(main: cpu)
        process.threads.control = machine
    }

    /// `sc 0` on thread `thread`'s registers.
    @discardableResult
    func sc(on thread: Int = 0, _ nr: UInt64, _ args: UInt64...) -> UInt64 {
        machine.currentThread = thread
        let c = machine.cpus[thread]
        c.gpr[0] = nr
        for (i, a) in args.enumerated() { c.gpr[3 + i] = a }
        process.systemCall(cpu: c)
        return c.gpr[3]
    }
    func failed(_ thread: Int = 0) -> Bool { machine.cpus[thread].cr & so != 0 }

    func testCloneGivesTheChildTheParentsRegistersWithNewStackTLSAndZeroReturn() {
        for i in 0..<32 { cpu.gpr[i] = 0x1000 + UInt64(i) }
        cpu.pc = 0x1000_0480                   // after the sc
        cpu.lr = 0x1000_0400; cpu.ctr = 0x77
        cpu.cr = 0x2400_0042 | so              // CR0[SO] set on entry must not leak into the child
        cpu.fpr[5] = 0x4009_21FB_5444_2D18
        cpu[RegisterSlot.reserveValid] = 1
        let stack: UInt64 = 0x1e_ecf0, ptid: UInt64 = 0x1e_f570, tls: UInt64 = 0x1f_6c60
        let tid = sc(120, pthreadFlags, stack, ptid, tls, ptid)
        XCTAssertFalse(failed())
        XCTAssertEqual(Int64(tid), pid + 1, "the first clone's tid is pid + 1")
        XCTAssertEqual(machine.cpus.count, 2)
        let child = machine.cpus[1]
        XCTAssertEqual(child.gpr[3], 0, "the child sees 0")
        XCTAssertEqual(child.gpr[1], stack)
        XCTAssertEqual(child.gpr[13], tls, "CLONE_SETTLS: r13 from the fourth argument (r6)")
        XCTAssertEqual(child.gpr[2], 0x1002, "r2 (TOC) and the rest are the parent's")
        XCTAssertEqual(child.gpr[30], 0x101E)
        XCTAssertEqual(child.pc, 0x1000_0480, "the child returns from the same sc")
        XCTAssertEqual(child.lr, 0x1000_0400)
        XCTAssertEqual(child.ctr, 0x77)
        XCTAssertEqual(child.cr, 0x2400_0042, "CR0[SO] clear, other fields kept")
        XCTAssertEqual(child.fpr[5], 0x4009_21FB_5444_2D18)
        XCTAssertEqual(child[RegisterSlot.reserveValid], 0, "no reservation carries over")
        XCTAssertEqual(child.msr, cpu.msr)
        XCTAssertEqual(memory.load32(ptid), UInt32(pid + 1), "CLONE_PARENT_SETTID stores the tid (32 bits)")
        XCTAssertEqual(process.threads.threads[1].clearChildTID, ptid, "CLONE_CHILD_CLEARTID: the fifth argument (r7)")
        XCTAssertEqual(Int64(sc(on: 1, 207)), pid + 1, "gettid in the child")
        XCTAssertEqual(Int64(sc(on: 0, 207)), pid, "gettid in the first thread is the pid")
    }

    func testCloneWithoutSETTLSKeepsR13AndNoStackKeepsR1() {
        cpu.gpr[1] = 0x2000_0000; cpu.gpr[13] = 0x7000
        _ = sc(120, 0x100 | 0x800 | 0x1_0000, 0, 0, 0x1234, 0)
        XCTAssertFalse(failed())
        XCTAssertEqual(machine.cpus[1].gpr[13], 0x7000)
        XCTAssertEqual(machine.cpus[1].gpr[1], 0x2000_0000, "newsp 0: the parent's stack pointer")
    }

    func testCloneChildSettidStoresInTheSharedMemory() {
        _ = sc(120, 0x100 | 0x800 | 0x1_0000 | 0x100_0000, 0x10_0000, 0, 0, word)
        XCTAssertEqual(memory.load32(word), UInt32(pid + 1))
    }

    func testForkVforkAndInconsistentFlags() {
        // glibc's fork: CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD, no CLONE_VM.
        XCTAssertEqual(sc(120, 0x120_0011, 0, 0, 0, word), 38)
        XCTAssertTrue(failed(), "fork is ENOSYS")
        XCTAssertEqual(sc(120, 0x100 | 0x4000 | 0x11, 0x10_0000, 0, 0, 0), 38, "posix_spawn's CLONE_VM|CLONE_VFORK: ENOSYS")
        XCTAssertEqual(sc(120, 0x100 | 0x1_0000, 0x10_0000, 0, 0, 0), 22, "CLONE_THREAD needs CLONE_SIGHAND (EINVAL)")
        XCTAssertEqual(sc(120, 0x800, 0x10_0000, 0, 0, 0), 22, "CLONE_SIGHAND needs CLONE_VM (EINVAL)")
        XCTAssertEqual(sc(435, 0x10_0000, 88), 38, "clone3: ENOSYS, so glibc falls back to clone")
        XCTAssertEqual(sc(2), 38, "fork")
        XCTAssertEqual(machine.cpus.count, 1, "no thread was made")
    }

    func testFutexWaitChecksTheValueFirst() {
        XCTAssertTrue(memory.store32(word, 5))
        XCTAssertEqual(sc(221, word, 128 /* FUTEX_WAIT_PRIVATE */, 4, 0, 0, 0), 11)
        XCTAssertTrue(failed(), "a changed word: EAGAIN")
        XCTAssertTrue(machine.suspended.isEmpty)
        XCTAssertEqual(sc(221, word + 2, 0, 5, 0, 0, 0), 22, "an unaligned word: EINVAL")
        XCTAssertEqual(sc(221, word, 9, 5, 0, 0, 0), 22, "FUTEX_WAIT_BITSET with bitset 0: EINVAL")
        XCTAssertEqual(sc(221, word, 0 | 256, 5, 0, 0, 0), 38, "FUTEX_CLOCK_REALTIME with FUTEX_WAIT: ENOSYS")
    }

    func testWakeWakesWaitersOldestFirstAndCounts() {
        _ = sc(120, 0x100 | 0x800 | 0x1_0000, 0x10_0000, 0, 0, 0)
        _ = sc(120, 0x100 | 0x800 | 0x1_0000, 0x20_0000, 0, 0, 0)
        XCTAssertTrue(memory.store32(word, 0))
        XCTAssertEqual(sc(on: 2, 221, word, 128, 0, 0, 0, 0), 0)
        XCTAssertEqual(sc(on: 1, 221, word, 128, 0, 0, 0, 0), 0)
        XCTAssertEqual(machine.suspended.count, 2, "both wait, with no deadline")
        XCTAssertEqual(machine.suspended[1], .some(nil))
        XCTAssertEqual(sc(on: 0, 221, word + 4, 129, 1, 0, 0, 0), 0, "a wake of another word wakes nobody")
        XCTAssertEqual(sc(on: 0, 221, word, 129 /* FUTEX_WAKE_PRIVATE */, 1, 0, 0, 0), 1)
        XCTAssertEqual(machine.resumed, [2], "the first to wait is the first woken")
        XCTAssertEqual(sc(on: 0, 221, word, 1, 0x7FFF_FFFF, 0, 0, 0), 1)
        XCTAssertEqual(machine.resumed, [2, 1])
        XCTAssertEqual(sc(on: 0, 221, word, 1, 1, 0, 0, 0), 0, "nobody left")
    }

    func testBitsetWaitIsWokenOnlyByAMatchingBitset() {
        _ = sc(120, 0x100 | 0x800 | 0x1_0000, 0x10_0000, 0, 0, 0)
        XCTAssertTrue(memory.store32(word, 7))
        XCTAssertEqual(sc(on: 1, 221, word, 9, 7, 0, 0, 0b01), 0)
        XCTAssertEqual(sc(on: 0, 221, word, 10, 1, 0, 0, 0b10), 0, "no bit in common")
        XCTAssertEqual(sc(on: 0, 221, word, 10, 1, 0, 0, 0), 22, "FUTEX_WAKE_BITSET with bitset 0: EINVAL")
        XCTAssertEqual(sc(on: 0, 221, word, 10, 1, 0, 0, 0b11), 1)
        XCTAssertEqual(machine.resumed, [1])
    }

    func testRelativeTimeoutIsCountedOnTheTimeBaseAndExpiryIsETIMEDOUT() throws {
        let ts: UInt64 = 0x9_0000
        try memory.write(BE.words([1, 500]), at: ts)      // 1 s + 500 ns
        XCTAssertTrue(memory.store32(word, 0))
        XCTAssertEqual(sc(221, word, 128, 0, ts, 0, 0), 0)
        // 512 MHz: 1 s is 512_000_000 ticks, 500 ns is 256.
        XCTAssertEqual(machine.suspended[0], .some(machine.threadTimeBase + 512_000_000 + 256))
        process.futexTimedOut(thread: 0, cpu: cpu)
        XCTAssertEqual(cpu.gpr[3], 110, "ETIMEDOUT")
        XCTAssertTrue(failed())
        XCTAssertEqual(sc(221, word, 1, 1, 0, 0, 0), 0, "a timed-out waiter is no longer queued")
        try memory.write(BE.words([0, 1_000_000_000]), at: ts)
        XCTAssertEqual(sc(221, word, 128, 0, ts, 0, 0), 22, "tv_nsec out of range: EINVAL")
        try memory.write(BE.words([0, 0]), at: ts)
        XCTAssertEqual(sc(221, word, 128, 0, ts, 0, 0), 110, "a zero timeout has expired already")
    }

    func testAbsoluteTimeoutInThePastIsETIMEDOUT() throws {
        let ts: UInt64 = 0x9_0000
        try memory.write(BE.words([1, 0]), at: ts)        // CLOCK_MONOTONIC 1 s: long past
        XCTAssertTrue(memory.store32(word, 0))
        XCTAssertEqual(sc(221, word, 9 | 128, 0, ts, 0, 0xFFFF_FFFF), 110)
        XCTAssertTrue(machine.suspended.isEmpty)
    }

    func testThreadExitClearsTheChildTIDWordWakesAJoinerAndTheLastExitEndsTheProcess() {
        let ctid = word
        let tid = sc(120, pthreadFlags, 0x10_0000, ctid, 0x5000, ctid)
        XCTAssertEqual(memory.load32(ctid), UInt32(tid))
        // pthread_join: wait while the word holds the tid.
        XCTAssertEqual(sc(on: 0, 221, ctid, 9, tid, 0, 0, 0xFFFF_FFFF), 0)
        XCTAssertNotNil(machine.suspended[0])
        sc(on: 1, 1, 0)                                      // exit(0) in the thread
        XCTAssertEqual(memory.load32(ctid), 0, "clear_child_tid is zeroed")
        XCTAssertEqual(machine.resumed, [0], "and its waiter woken")
        XCTAssertEqual(machine.ended, [1])
        XCTAssertNil(process.exitStatus, "the process lives on")
        XCTAssertEqual(process.threads.liveCount, 1)
        sc(on: 0, 1, 5)                                      // the last thread's exit
        XCTAssertEqual(process.exitStatus, 5)
    }

    func testExitGroupEndsEveryThread() {
        _ = sc(120, pthreadFlags, 0x10_0000, word, 0x5000, word)
        sc(on: 1, 234, 3)
        XCTAssertEqual(process.exitStatus, 3)
    }

    func testSetTIDAddressAndRobustListArePerThread() {
        _ = sc(120, 0x100 | 0x800 | 0x1_0000, 0x10_0000, 0, 0, 0)
        XCTAssertEqual(Int64(sc(on: 1, 232, 0x6000)), pid + 1, "set_tid_address returns the caller's tid")
        XCTAssertEqual(sc(on: 1, 300, 0x6100, 24), 0)
        XCTAssertEqual(sc(on: 1, 300, 0x6100, 16), 22, "len must be sizeof(struct robust_list_head)")
        XCTAssertEqual(sc(on: 0, 299, 0, 0x7000, 0x7008), 0)
        XCTAssertEqual(memory.load64(0x7000), 0, "thread 0 set none")
        XCTAssertEqual(sc(on: 0, 299, UInt64(pid + 1), 0x7000, 0x7008), 0)
        XCTAssertEqual(memory.load64(0x7000), 0x6100)
        XCTAssertEqual(memory.load64(0x7008), 24)
        XCTAssertEqual(sc(on: 0, 299, UInt64(pid + 99), 0x7000, 0x7008), 3, "no such thread: ESRCH")
        XCTAssertEqual(process.threads.threads[1].clearChildTID, 0x6000)
    }

    func testTgkillReachesAnyLiveThreadAndNoExitedOne() {
        _ = sc(120, pthreadFlags, 0x10_0000, word, 0x5000, word)
        XCTAssertEqual(sc(on: 1, 250, UInt64(pid), UInt64(pid + 1), 0), 0, "tgkill(pid, own tid, 0): the thread exists")
        XCTAssertFalse(failed(1))
        sc(on: 1, 1, 0)
        XCTAssertEqual(sc(on: 0, 250, UInt64(pid), UInt64(pid + 1), 0), 3, "an exited thread: ESRCH")
        XCTAssertEqual(sc(on: 0, 250, UInt64(pid), UInt64(pid + 7), 0), 3, "no such thread: ESRCH")
    }

    func testCmpRequeueMovesWaitersAfterWaking() {
        _ = sc(120, 0x100 | 0x800 | 0x1_0000, 0x10_0000, 0, 0, 0)
        _ = sc(120, 0x100 | 0x800 | 0x1_0000, 0x20_0000, 0, 0, 0)
        XCTAssertTrue(memory.store32(word, 1))
        _ = sc(on: 1, 221, word, 0, 1, 0, 0, 0)
        _ = sc(on: 2, 221, word, 0, 1, 0, 0, 0)
        XCTAssertEqual(sc(on: 0, 221, word, 4, 1, 1, word + 8, 2), 11, "CMP_REQUEUE with a changed word: EAGAIN")
        XCTAssertEqual(sc(on: 0, 221, word, 4, 1, 1, word + 8, 1), 2, "one woken + one requeued")
        XCTAssertEqual(machine.resumed, [1])
        XCTAssertEqual(sc(on: 0, 221, word, 1, 1, 0, 0, 0), 0, "nobody waits on the old word")
        XCTAssertEqual(sc(on: 0, 221, word + 8, 1, 1, 0, 0, 0), 1, "the requeued waiter is on the new one")
        XCTAssertEqual(machine.resumed, [1, 2])
    }

    func testWithoutAMachineAWaitThatCouldNeverEndStopsTheProcess() {
        process.threads.control = nil
        XCTAssertTrue(memory.store32(word, 0))
        sc(221, word, 128, 0, 0, 0, 0)
        XCTAssertEqual(process.exitStatus, 124)
        XCTAssertTrue(process.stopReport?.contains("would block forever") ?? false)
    }
}

import XCTest
import Foundation
import LinuxUser
import PAPR
@testable import Partition

/// Threads of a Linux program on the vCPU scheduler, with hand-assembled programs (the words'
/// assembly is beside them). Expected results are worked out by hand from the scheduler's
/// rules: a thread runs until its turn of `quantum` instructions ends or a system call waits,
/// exits or yields; a futex wait with a deadline and nobody to run jumps virtual time to it.
final class LinuxThreadTests: XCTestCase {
    var path = ""
    override func tearDown() { try? FileManager.default.removeItem(atPath: path) }

    func run(_ words: [UInt32]) throws -> (RunOutcome, Partition) {
        // The programs' data at 0x200000 and the child's stack below 0x300000: one bss.
        path = writeMinimalELF(words, tag: "threads-\(abs(name.hashValue))", bss: (0x20_0000, 0x11_0000))
        var config = PartitionConfig(elfPath: path)
        config.memorySize = 16 << 20
        config.abi = .linux
        config.timeout = 20   // a hang would be a failure (exit 142), not a stuck test
        let p = try Partition(config: config, console: Console(outputFD: -1, inputFD: -1))
        return (p.run(), p)
    }

    /// The parent clones a thread (VM|SIGHAND|THREAD, stack 0x300000) and spins on the word at
    /// 0x200008, which only the child sets, after 65536 loop iterations: more than one turn, so
    /// the spinning parent must be preempted for the child to finish. The child then yields;
    /// the parent futex-waits on 0x200000 (still 0: it blocks); the child stores 7 there, wakes
    /// one waiter (FUTEX_WAKE returns 1, stored at 0x200004) and exits. The parent's wait
    /// returns 0, so it exits with 7 + 0 + 10 * 1 = 17. Without the yield the child would store
    /// 7 first and the wait would fail with EAGAIN (11): 7 + 11 + 10 = 28.
    let cloneSpinWaitWake: [UInt32] = [
        0x3d20_0020, 0x3c60_0001, 0x6063_0900, 0x3c80_0030,  // lis r9,0x20; lis r3,1; ori r3,r3,0x900; lis r4,0x30
        0x38a0_0000, 0x38c0_0000, 0x38e0_0000, 0x3800_0078,  // li r5,0; li r6,0; li r7,0; li r0,120 (clone)
        0x4400_0002, 0x2c23_0000, 0x4182_0048,               // sc; cmpdi r3,0; beq child
        0xe949_0008, 0x2c2a_0000, 0x4182_fff8,               // spin: ld r10,8(r9); cmpdi r10,0; beq spin
        0x7d23_4b78, 0x3880_0000, 0x38a0_0000, 0x38c0_0000,  // mr r3,r9; li r4,0 (FUTEX_WAIT); li r5,0; li r6,0
        0x3800_00dd, 0x4400_0002, 0x7c7f_1b78,               // li r0,221; sc; mr r31,r3
        0x8069_0000, 0x7c63_fa14, 0x8109_0004, 0x1d08_000a,  // lwz r3,0(r9); add r3,r3,r31; lwz r8,4(r9); mulli r8,r8,10
        0x7c63_4214, 0x3800_00ea, 0x4400_0002,               // add r3,r3,r8; li r0,234; sc (exit_group)
        0x3960_0000, 0x3d80_0001,                            // child: li r11,0; lis r12,1
        0x396b_0001, 0x7c2b_6000, 0x4082_fff8,               // loop: addi r11,r11,1; cmpd r11,r12; bne loop
        0x3940_0001, 0xf949_0008, 0x3800_009e, 0x4400_0002,  // li r10,1; std r10,8(r9); li r0,158; sc (sched_yield)
        0x3940_0007, 0x9149_0000, 0x7d23_4b78, 0x3880_0001,  // li r10,7; stw r10,0(r9); mr r3,r9; li r4,1 (FUTEX_WAKE)
        0x38a0_0001, 0x3800_00dd, 0x4400_0002, 0x9069_0004,  // li r5,1; li r0,221; sc; stw r3,4(r9)
        0x3860_0000, 0x3800_0001, 0x4400_0002,               // li r3,0; li r0,1; sc (exit)
    ]

    func testACloneRunsBesideItsParentAndFutexWaitAndWakeHandOver() throws {
        let (outcome, p) = try run(cloneSpinWaitWake)
        XCTAssertEqual(outcome.exitStatus, 17, outcome.report ?? "")
        XCTAssertNil(outcome.report)
        XCTAssertEqual(p.vcpus.count, 2, "one vCPU per thread")
        XCTAssertGreaterThan(p.vcpus[1].interpreter.instructionsExecuted, 3 * 65536, "the child ran its loop")
    }

    func testTheSameProgramTakesTheSameTurns() throws {
        let (first, _) = try run(cloneSpinWaitWake)
        let (second, _) = try run(cloneSpinWaitWake)
        XCTAssertEqual(first.instructions, second.instructions, "a deterministic scheduler: the parent spins exactly as long")
    }

    /// FUTEX_WAIT_PRIVATE on a zero word with a 1 ms relative timeout (the timespec at 0x200100)
    /// and no other thread: time jumps 512,000 ticks to the deadline, the wait fails with
    /// ETIMEDOUT, and exit_group(r3) exits 110 after 12 counted instructions, not half a
    /// million (lpar's count leaves out an `sc` that goes to the host: 11 before the wait's, one
    /// after it).
    let timedWait: [UInt32] = [
        0x3d20_0020, 0x3940_0000, 0xf949_0100,               // lis r9,0x20; li r10,0; std r10,0x100(r9)
        0x3d40_000f, 0x614a_4240, 0xf949_0108,               // lis r10,0xF; ori r10,r10,0x4240 (1000000); std r10,0x108(r9)
        0x7d23_4b78, 0x3880_0080, 0x38a0_0000, 0x38c9_0100,  // mr r3,r9; li r4,128; li r5,0; addi r6,r9,0x100
        0x3800_00dd, 0x4400_0002, 0x3800_00ea, 0x4400_0002,  // li r0,221; sc; li r0,234; sc
    ]

    func testATimedWaitWithNobodyToWakeItTimesOutOnVirtualTime() throws {
        let (outcome, p) = try run(timedWait)
        XCTAssertEqual(outcome.exitStatus, 110, outcome.report ?? "")
        XCTAssertEqual(outcome.instructions, 12)
        XCTAssertEqual(p.vcpus[0].interpreter.timeBase, 12 + 512_000, "the time base jumped by 1 ms at 512 MHz")
    }

    /// pipe(fds at 0x200000), then a clone whose child spins 65536 iterations (several turns)
    /// before writing the byte 42 to fds[1] and exiting. The parent, run when the child's first
    /// turn ends, reads 1 byte from the empty fds[0]: in the host that would block lpar's only
    /// thread and the writer with it, so the read waits for the parent's next turn instead, and
    /// the parent exits with the byte it read: 42.
    let pipeBetweenThreads: [UInt32] = [
        0x3d20_0020, 0x7d23_4b78, 0x3800_002a, 0x4400_0002,  // lis r9,0x20; mr r3,r9; li r0,42; sc (pipe)
        0x3c60_0001, 0x6063_0900, 0x3c80_0030, 0x38a0_0000,  // lis r3,1; ori r3,r3,0x900; lis r4,0x30; li r5,0
        0x38c0_0000, 0x38e0_0000, 0x3800_0078, 0x4400_0002,  // li r6,0; li r7,0; li r0,120; sc (clone)
        0x2c23_0000, 0x4182_0024,                            // cmpdi r3,0; beq child
        0x8069_0000, 0x3889_0100, 0x38a0_0001, 0x3800_0003,  // lwz r3,0(r9); addi r4,r9,0x100; li r5,1; li r0,3
        0x4400_0002, 0x8869_0100, 0x3800_00ea, 0x4400_0002,  // sc (read); lbz r3,0x100(r9); li r0,234; sc (exit_group)
        0x3960_0000, 0x3d80_0001,                            // child: li r11,0; lis r12,1
        0x396b_0001, 0x7c2b_6000, 0x4082_fff8,               // loop: addi r11,r11,1; cmpd r11,r12; bne loop
        0x3940_002a, 0x9949_0108, 0x8069_0004, 0x3889_0108,  // li r10,42; stb r10,0x108(r9); lwz r3,4(r9); addi r4,r9,0x108
        0x38a0_0001, 0x3800_0004, 0x4400_0002,               // li r5,1; li r0,4; sc (write)
        0x3860_0000, 0x3800_0001, 0x4400_0002,               // li r3,0; li r0,1; sc (exit)
    ]

    func testAReadOfAnEmptyPipeLetsTheWriterThreadRun() throws {
        let (outcome, _) = try run(pipeBetweenThreads)
        XCTAssertEqual(outcome.exitStatus, 42, outcome.report ?? "")
    }

    func testAWaitNobodyCanEndIsAOneLineReport() throws {
        var words = timedWait
        words[9] = 0x38c0_0000   // li r6,0: no timeout
        let (outcome, _) = try run(words)
        XCTAssertEqual(outcome.exitStatus, 124)
        let report = try XCTUnwrap(outcome.report)
        XCTAssertEqual(report, "lpar: futex wait at 0x200000 would block forever (no other thread can wake it)")
    }
}

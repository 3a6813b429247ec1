import Foundation
import XCTest
@testable import GDBRemote

// Stock gdb-multiarch (Debian 13.1) against the stub over TCP, in batch mode, with the fake
// machine as the target. Expected lines are what gdb prints for these values; the numbers come
// from the fake program (see SessionTests) and the values the script sets.
final class RealGDBTests: XCTestCase {
    /// Listens on a free port, serves one gdb connection with `m`'s engine loop, runs gdb with
    /// `commands` after `target remote`, and returns gdb's transcript, how the loop ended and
    /// the packet log.
    func debug(_ m: FakeMachine, _ commands: [String], whileRunning: ((pid_t) -> Void)? = nil) throws -> (GDBMultiarch.Transcript, GDBResume?, [String]) {
        _ = try GDBMultiarch.path()
        let listener = try GDBTCPListener(port: 0)
        nonisolated(unsafe) let machine = m
        final class Log: @unchecked Sendable {
            let lock = NSLock()
            var lines: [String] = []
            func add(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
        }
        let log = Log()
        let loop = Background { () -> GDBResume in
            let connection = try listener.accept()
            let session = GDBSession(transport: connection, target: machine, description: PowerTargetDescription.lpar,
                                     log: { log.add($0) })
            return try machine.serve(session)
        }
        let transcript = try GDBMultiarch.run(
            ["set confirm off", "set endian big", "target remote 127.0.0.1:\(listener.port)"] + commands,
            whileRunning: whileRunning)
        let end = try? loop.join(timeout: 10)
        if ProcessInfo.processInfo.environment["GDBREMOTE_SHOW_TRANSCRIPTS"] != nil {
            print("=== gdb stdout\n\(transcript.stdout)=== gdb stderr\n\(transcript.stderr)=== packets")
            log.lines.forEach { print($0) }
        }
        return (transcript, end, log.lines)
    }

    func lines(_ s: String) -> [String] {
        s.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    func testGDBReadsRegistersAndMemoryBreaksWatchesStepsAndDetaches() throws {
        let m = FakeMachine()
        m.program(SessionTests.program)
        let (t, end, log) = try debug(m, [
            "info registers",
            "x/4xw 0x1000",
            "p $pc",
            "break *0x1008",
            "continue",
            "p/x $r4",
            "set $r3 = 42",
            "watch *(int*)0x2000",
            "continue",
            "p $pc",
            "stepi",
            "p $pc",
            "set $f1 = 1.5",
            "info registers f1",
            "p $cr",
            "detach",
        ])
        let out = lines(t.stdout)
        let context = "stdout:\n\(t.stdout)\nstderr:\n\(t.stderr)\npackets:\n\(log.suffix(60).joined(separator: "\n"))"
        XCTAssertEqual(end, .detach, context)

        // info registers: gdb's general group, in target-description order, hex then natural.
        let expectedRegisters = (0..<32).map { "r\($0) 0x0 0" } + [
            "pc 0x1000 0x1000", "msr 0x8000000000000000 9223372036854775808", "cr 0x0 0",
            "lr 0x0 0x0", "ctr 0x0 0", "xer 0x0 0", "fpscr 0x0 0",
        ]
        let registerLines = out.map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
            .filter { l in expectedRegisters.contains { $0.split(separator: " ")[0] == l.split(separator: " ").first ?? "" } }
        XCTAssertEqual(Array(registerLines.prefix(expectedRegisters.count)), expectedRegisters, context)
        XCTAssertTrue(out.contains("0x1000:\t0x38600005\t0x38802000\t0x90640000\t0x38630001"), context)
        XCTAssertTrue(out.contains("$1 = (void (*)()) 0x1000"), context)
        XCTAssertTrue(out.contains("Breakpoint 1, 0x0000000000001008 in ?? ()"), context)
        XCTAssertTrue(out.contains("$2 = 0x2000"), context)
        XCTAssertTrue(out.contains("Hardware watchpoint 2: *(int*)0x2000"), context)
        // gdb removes the watchpoint, steps the store, and compares: the value it had set.
        XCTAssertTrue(out.contains("Old value = 0"), context)
        XCTAssertTrue(out.contains("New value = 42"), context)
        XCTAssertTrue(out.contains("$3 = (void (*)()) 0x100c"), context)
        XCTAssertTrue(out.contains("$4 = (void (*)()) 0x1010"), context)
        // 1.5 = 0x3ff8000000000000: sign 0, exponent 1023 (0x3ff), fraction .1 in binary.
        XCTAssertTrue(out.contains(where: { $0.hasPrefix("f1") && $0.contains("1.5") && $0.contains("(raw 0x3ff8000000000000)") }), context)
        XCTAssertTrue(out.contains("$5 = 0"), context)
        XCTAssertTrue(out.contains(where: { $0.contains("detached]") }), context)
        XCTAssertFalse(t.stderr.contains("Remote 'g' packet reply is too long"), context)
        XCTAssertFalse(t.stderr.contains("rejected target-supplied description"), context)

        // And the target saw gdb's writes, in big-endian.
        XCTAssertEqual(m.cpus[0].gpr[3], 43)  // 42, then the stepped addi r3,r3,1
        XCTAssertEqual(m.cpus[0].fpr[1], 0x3ff8_0000_0000_0000)
        XCTAssertEqual(Array(m.memory[0x2000..<0x2004]), [0, 0, 0, 42])
        XCTAssertEqual(m.cpus[0].pc, 0x1010)
        XCTAssertEqual(m.stopPoints, [], "gdb removes what it inserted before detaching")
    }

    func testGDBSeesTheExitStatus() throws {
        let m = FakeMachine()
        m.program(SessionTests.program)
        let (t, end, log) = try debug(m, ["continue"])
        let context = "stdout:\n\(t.stdout)\nstderr:\n\(t.stderr)\npackets:\n\(log.suffix(30).joined(separator: "\n"))"
        XCTAssertNotNil(end, context)
        // r3 = 5 + 1 when the sc runs. (Without multiprocess+ gdb names no process id.)
        XCTAssertTrue(lines(t.stdout).contains("[Inferior 1 (Remote target) exited with code 06]"), context)
    }

    func testGDBInterruptsARunningGuest() throws {
        // A SIGINT to gdb during `continue` is ^C at its terminal: gdb sends 0x03 to the stub.
        let m = FakeMachine()
        m.program([0x4800_0000])  // b .
        let (t, end, log) = try debug(m, ["continue", "p $pc", "detach"]) { gdb in
            // Only once the guest is really running, so the signal cannot reach gdb earlier.
            if m.continued.wait(timeout: .now() + 20) == .success { kill(gdb, SIGINT) }
        }
        let context = "stdout:\n\(t.stdout)\nstderr:\n\(t.stderr)\npackets:\n\(log.suffix(30).joined(separator: "\n"))"
        XCTAssertEqual(end, .detach, context)
        XCTAssertTrue(t.stdout.contains("received signal SIGINT, Interrupt."), context)
        XCTAssertTrue(lines(t.stdout).contains("$1 = (void (*)()) 0x1000"), context)
        XCTAssertGreaterThanOrEqual(m.instructionsExecuted, 1000)  // stopped at a poll, not before running
    }

    func testGDBListsAndSwitchesThreads() throws {
        let m = FakeMachine(threads: 2)
        m.program(SessionTests.program)
        m.cpus[1].pc = 0x100c
        m.cpus[1].gpr[3] = 7
        let (t, end, log) = try debug(m, ["info threads", "thread 2", "p $pc", "p $r3", "thread 1", "p $pc", "detach"])
        let context = "stdout:\n\(t.stdout)\nstderr:\n\(t.stderr)\npackets:\n\(log.suffix(40).joined(separator: "\n"))"
        XCTAssertEqual(end, .detach, context)
        let out = lines(t.stdout)
        XCTAssertTrue(out.contains(where: { $0.hasPrefix("* 1") && $0.contains("Thread 1") && $0.contains("0x0000000000001000") }), context)
        XCTAssertTrue(out.contains(where: { $0.hasPrefix("2") && $0.contains("Thread 2") && $0.contains("0x000000000000100c") }), context)
        XCTAssertTrue(out.contains("$1 = (void (*)()) 0x100c"), context)
        XCTAssertTrue(out.contains("$2 = 7"), context)
        XCTAssertTrue(out.contains("$3 = (void (*)()) 0x1000"), context)
    }

    func testGDBReverseStepsThroughBsAndBc() throws {
        let m = FakeMachine()
        m.program(SessionTests.program)
        m.supportsReverseExecution = true
        let (t, end, log) = try debug(m, ["stepi", "stepi", "p $pc", "reverse-stepi", "p $pc", "reverse-continue", "p $pc", "detach"])
        let context = "stdout:\n\(t.stdout)\nstderr:\n\(t.stderr)\npackets:\n\(log.suffix(40).joined(separator: "\n"))"
        XCTAssertEqual(end, .detach, context)
        let out = lines(t.stdout)
        XCTAssertTrue(out.contains("$1 = (void (*)()) 0x1008"), context)
        XCTAssertTrue(out.contains("$2 = (void (*)()) 0x1004"), context)
        // replaylog:begin is gdb's "No more reverse-execution history."
        XCTAssertTrue(out.contains("No more reverse-execution history."), context)
        XCTAssertTrue(out.contains("$3 = (void (*)()) 0x1000"), context)
        XCTAssertTrue(log.contains("<- bs") && log.contains("<- bc"), context)
    }
}

import Foundation
import XCTest
@testable import GDBRemote

// The session end to end over a socketpair: a scripted gdb on one side, the fake machine's
// engine loop on the other. Expected replies come from the protocol (gdb manual, "Packets" and
// "Stop Reply Packets") and the fake program's hand-assembled instructions.
final class SessionTests: XCTestCase {
    // addi r3,0,5     = 14<<26 | 3<<21 | 5                 = 0x38600005
    // addi r4,0,0x2000 = 14<<26 | 4<<21 | 0x2000           = 0x38802000
    // stw r3,0(r4)    = 36<<26 | 3<<21 | 4<<16 | 0          = 0x90640000
    // addi r3,r3,1    = 14<<26 | 3<<21 | 3<<16 | 1          = 0x38630001
    // sc              = 17<<26 | 2                          = 0x44000002
    static let program: [UInt32] = [0x3860_0005, 0x3880_2000, 0x9064_0000, 0x3863_0001, 0x4400_0002]

    func machine(threads: Int = 1) -> FakeMachine {
        let m = FakeMachine(threads: threads)
        m.program(Self.program)
        return m
    }

    /// Runs the machine's engine loop against a session on one end of a socketpair while
    /// `script` plays gdb on the other; returns how the loop ended.
    @discardableResult
    func converse(_ m: FakeMachine, options: GDBSession.Options = GDBSession.Options(),
                  _ script: (ScriptedGDB) throws -> Void) throws -> GDBResume {
        let (stubEnd, gdbEnd) = try GDBFileDescriptorTransport.pair()
        let session = GDBSession(transport: stubEnd, target: m, description: PowerTargetDescription.lpar, options: options)
        nonisolated(unsafe) let unsafeMachine = m
        let loop = Background { try unsafeMachine.serve(session) }
        let gdb = ScriptedGDB(gdbEnd)
        do {
            try script(gdb)
        } catch {
            gdbEnd.close()
            _ = try? loop.join()
            throw error
        }
        return try loop.join()
    }

    func testQSupportedStopBreakStepDetach() throws {
        let m = machine()
        let end = try converse(m) { gdb in
            XCTAssertEqual(try gdb.request("qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+"),
                           "PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+")
            XCTAssertEqual(try gdb.request("?"), "T05thread:1;")

            let wireBefore = gdb.wire.count
            let g = try gdb.request("g")
            // 560 bytes of registers = 1120 hex digits; pc at byte 512, msr 520, cr 528 (4 bytes).
            XCTAssertEqual(g.count, 1120)
            XCTAssertEqual(String(g.dropFirst(2 * 512).prefix(16)), "0000000000001000")
            XCTAssertEqual(String(g.dropFirst(2 * 520).prefix(16)), "8000000000000000")
            XCTAssertEqual(String(g.dropFirst(2 * 528).prefix(8)), "00000000")
            // Run-length encoded on the wire: mostly zeros, so far fewer than 1120 + 4 bytes.
            XCTAssertLessThan(gdb.wire.count - wireBefore, 200)

            XCTAssertEqual(try gdb.request("m1000,8"), "3860000538802000")
            XCTAssertEqual(try gdb.request("Z0,1008,4"), "OK")
            XCTAssertEqual(try gdb.request("vCont;c"), "T05swbreak:;thread:1;")
            XCTAssertEqual(try gdb.request("p40"), "0000000000001008")
            XCTAssertEqual(try gdb.request("p3"), "0000000000000005")
            XCTAssertEqual(try gdb.request("z0,1008,4"), "OK")
            XCTAssertEqual(try gdb.request("vCont;s:1;c"), "T05thread:1;")
            XCTAssertEqual(try gdb.request("p40"), "000000000000100c")
            XCTAssertEqual(try gdb.request("m2000,4"), "00000005")
            XCTAssertEqual(try gdb.request("D"), "OK")
        }
        XCTAssertEqual(end, .detach)
        XCTAssertEqual(m.stopPointCalls, ["Z0 1008 4", "z0 1008 4"])
        XCTAssertEqual(m.instructionsExecuted, 3)
    }

    func testSwbreakOnlyForAGDBThatAnnouncedIt() throws {
        try converse(machine()) { gdb in
            _ = try gdb.request("qSupported:multiprocess+")
            XCTAssertEqual(try gdb.request("Z0,1004,4"), "OK")
            XCTAssertEqual(try gdb.request("c"), "T05thread:1;")
            XCTAssertEqual(try gdb.request("D"), "OK")
        }
    }

    func testWatchpointStopsBeforeTheStoreWithTheDataAddress() throws {
        let m = machine()
        try converse(m) { gdb in
            XCTAssertEqual(try gdb.request("Z2,2000,4"), "OK")
            XCTAssertEqual(try gdb.request("vCont;c"), "T05watch:2000;thread:1;")
            XCTAssertEqual(try gdb.request("p40"), "0000000000001008")
            XCTAssertEqual(try gdb.request("m2000,4"), "00000000")
            // gdb then steps over the store with the watchpoint out, and sees the new value.
            XCTAssertEqual(try gdb.request("z2,2000,4"), "OK")
            XCTAssertEqual(try gdb.request("vCont;s:1"), "T05thread:1;")
            XCTAssertEqual(try gdb.request("m2000,4"), "00000005")
            // A read watchpoint elsewhere does not fire on a store.
            XCTAssertEqual(try gdb.request("Z3,2000,4"), "OK")
            XCTAssertEqual(try gdb.request("vCont;c"), "W06")  // r3 = 5 + 1 at the sc
        }
        XCTAssertEqual(m.stopPointCalls, ["Z2 2000 4", "z2 2000 4", "Z3 2000 4"])
    }

    func testExitStatusAndHardwareBreakpoint() throws {
        try converse(machine()) { gdb in
            _ = try gdb.request("qSupported:swbreak+;hwbreak+")
            XCTAssertEqual(try gdb.request("Z1,100c,4"), "OK")
            XCTAssertEqual(try gdb.request("vCont;c"), "T05hwbreak:;thread:1;")
            XCTAssertEqual(try gdb.request("z1,100c,4"), "OK")
            XCTAssertEqual(try gdb.request("vCont;c"), "W06")
        }
    }

    func testInterruptWhileRunning() throws {
        let m = machine()
        m.program([0x4800_0000])  // b .
        let end = try converse(m) { gdb in
            try gdb.send("vCont;c")
            XCTAssertEqual(m.continued.wait(timeout: .now() + 10), .success)
            try gdb.sendRaw([GDBPacket.interrupt])
            XCTAssertEqual(try gdb.receive(), "T02thread:1;")  // SIGINT = 2
            XCTAssertEqual(try gdb.request("p40"), "0000000000001000")
            try gdb.send("k")  // no reply to k
        }
        XCTAssertEqual(end, .kill)
        XCTAssertGreaterThanOrEqual(m.instructionsExecuted, 1000)  // stopped at a poll, not before running
    }

    func testAcksRetransmissionAndDamagedPackets() throws {
        try converse(machine()) { gdb in
            // A damaged packet ('?' is 0x3f, not 0x40) is refused with '-'.
            try gdb.sendRaw(Array("$?#40".utf8))
            XCTAssertEqual(try gdb.nextEvent(), .nak)
            // Our '-' to a reply makes the stub send it again, byte for byte.
            let start = gdb.wire.count
            try gdb.sendRaw(Array("$?#3f".utf8))
            XCTAssertEqual(try gdb.nextEvent(), .ack)
            XCTAssertEqual(try gdb.nextEvent(), .packet(Array("T05thread:1;".utf8)))
            try gdb.sendRaw([GDBPacket.nak])
            XCTAssertEqual(try gdb.nextEvent(), .packet(Array("T05thread:1;".utf8)))
            try gdb.sendRaw([GDBPacket.ack])
            // The ack, then the reply twice. T05thread:1; sums to 0x3d7 -> d7: T05 0x54+0x30+0x35 = 0xb9,
            // "thread" 0x74+0x68+0x72+0x65+0x61+0x64 = 0x278, ":1;" 0x3a+0x31+0x3b = 0xa6.
            XCTAssertEqual(Array(gdb.wire[start...]), Array("+$T05thread:1;#d7$T05thread:1;#d7".utf8))
            XCTAssertEqual(try gdb.request("D"), "OK")
        }
    }

    func testNoAckMode() throws {
        try converse(machine()) { gdb in
            XCTAssertEqual(try gdb.request("QStartNoAckMode"), "OK")  // still acked both ways
            gdb.ackMode = false
            let start = gdb.wire.count
            try gdb.send("?")
            XCTAssertEqual(try gdb.receive(), "T05thread:1;")
            try gdb.send("p3")
            XCTAssertEqual(try gdb.receive(), "0000000000000000")
            // No '+' from the stub any more, and it did not wait for ours.
            XCTAssertFalse(gdb.wire[start...].contains(GDBPacket.ack))
            try gdb.send("D")
            XCTAssertEqual(try gdb.receive(), "OK")
        }
    }

    func testTargetXMLInChunks() throws {
        var assembled: [UInt8] = []
        try converse(machine()) { gdb in
            var offset = 0
            while true {
                let reply = try gdb.request("qXfer:features:read:target.xml:\(String(offset, radix: 16)),100")
                assembled += Array(reply.utf8.dropFirst())
                offset += 0x100
                if reply.first == "l" { break }
                XCTAssertEqual(reply.first, "m")
                XCTAssertEqual(reply.utf8.count, 0x101)
            }
            XCTAssertEqual(try gdb.request("qXfer:features:read:other.xml:0,100"), "E00")
            XCTAssertEqual(try gdb.request("D"), "OK")
        }
        XCTAssertEqual(String(decoding: assembled, as: UTF8.self), PowerTargetDescription.lpar.xml)
    }

    func testThreadsAndPerThreadResume() throws {
        let m = machine(threads: 2)
        m.cpus[1].pc = 0x1004
        try converse(m) { gdb in
            XCTAssertEqual(try gdb.request("qfThreadInfo"), "m1,2")
            XCTAssertEqual(try gdb.request("qsThreadInfo"), "l")
            XCTAssertEqual(try gdb.request("qC"), "QC1")
            XCTAssertEqual(try gdb.request("T2"), "OK")
            XCTAssertEqual(try gdb.request("T3"), "E16")
            XCTAssertEqual(try gdb.request("Hg3"), "E16")
            XCTAssertEqual(try gdb.request("Hg2"), "OK")
            XCTAssertEqual(try gdb.request("p40"), "0000000000001004")
            XCTAssertEqual(try gdb.request("P3=00000000000000aa"), "OK")
            XCTAssertEqual(try gdb.request("Hg1"), "OK")
            XCTAssertEqual(try gdb.request("p3"), "0000000000000000")
            // Thread 2 steps, thread 1 continues (one instruction alongside, in this engine):
            // the stop is thread 2's, and it becomes the selected thread.
            XCTAssertEqual(try gdb.request("vCont;s:2;c"), "T05thread:2;")
            XCTAssertEqual(try gdb.request("qC"), "QC2")
            XCTAssertEqual(try gdb.request("p40"), "0000000000001008")
            XCTAssertEqual(try gdb.request("p4"), "0000000000002000")
            XCTAssertEqual(try gdb.request("Hg1"), "OK")
            XCTAssertEqual(try gdb.request("p40"), "0000000000001004")
            // Only thread 1 moves.
            XCTAssertEqual(try gdb.request("vCont;s:1"), "T05thread:1;")
            XCTAssertEqual(try gdb.request("p40"), "0000000000001008")
            XCTAssertEqual(try gdb.request("Hg2"), "OK")
            XCTAssertEqual(try gdb.request("p40"), "0000000000001008")
            XCTAssertEqual(try gdb.request("p3"), "00000000000000aa")
            XCTAssertEqual(try gdb.request("D"), "OK")
        }
    }

    func testResumePlans() throws {
        // The plans the engine receives, straight from the session.
        func plan(_ packets: [String], threads: Int = 2, lastReply: String? = nil) throws -> GDBResume {
            let (stubEnd, gdbEnd) = try GDBFileDescriptorTransport.pair()
            let m = FakeMachine(threads: threads)
            let session = GDBSession(transport: stubEnd, target: m, description: PowerTargetDescription.lpar)
            let waiting = Background { try session.waitForResume(initialStop: GDBStop(signal: .trap, thread: 1)) }
            let gdb = ScriptedGDB(gdbEnd)
            for p in packets.dropLast() { _ = try gdb.request(p) }
            if let expected = lastReply {
                XCTAssertEqual(try gdb.request(packets.last!), expected)
            } else {
                try gdb.send(packets.last!)
            }
            return try waiting.join()
        }
        XCTAssertEqual(try plan(["vCont;s:2;c"]), .forward(GDBResumePlan(motions: [2: .step, 1: .continue])))
        XCTAssertEqual(try plan(["vCont;c"]), .forward(GDBResumePlan(motions: [1: .continue, 2: .continue])))
        XCTAssertEqual(try plan(["vCont;s:1"]), .forward(GDBResumePlan(motions: [1: .step])))
        XCTAssertEqual(try plan(["vCont;C0b:1;c:2"]),
                       .forward(GDBResumePlan(motions: [1: GDBThreadMotion(.continue, signal: .segmentationFault), 2: .continue])))
        XCTAssertEqual(try plan(["Hc2", "s"]), .forward(GDBResumePlan(motions: [2: .step])))
        XCTAssertEqual(try plan(["c1000"]), .forward(GDBResumePlan(motions: [1: .continue, 2: .continue], address: 0x1000)))
        XCTAssertEqual(try plan(["k"]), .kill)
        XCTAssertEqual(try plan(["vKill;1"], lastReply: "OK"), .kill)
        XCTAssertEqual(try plan(["D"], lastReply: "OK"), .detach)
        XCTAssertEqual(GDBResumePlan(motions: [2: .step, 1: .continue, 3: .step]).steppingThreads, [2, 3])
    }

    func testReverseExecutionOnlyWhenTheTargetHasIt() throws {
        let m = machine()
        try converse(m) { gdb in
            XCTAssertFalse(try gdb.request("qSupported:swbreak+").contains("Reverse"))
            XCTAssertEqual(try gdb.request("bs"), "")
            XCTAssertEqual(try gdb.request("D"), "OK")
        }
        let r = machine()
        r.supportsReverseExecution = true
        try converse(r) { gdb in
            XCTAssertTrue(try gdb.request("qSupported:swbreak+").hasSuffix(";ReverseStep+;ReverseContinue+"))
            XCTAssertEqual(try gdb.request("bs"), "T05replaylog:begin;thread:1;")
            XCTAssertEqual(try gdb.request("bc"), "T05replaylog:begin;thread:1;")
            XCTAssertEqual(try gdb.request("D"), "OK")
        }
        XCTAssertEqual(r.reverseRequests, [.reverseStep(1), .reverseContinue(1)])
    }

    func testMiscellaneousQueriesAndWrites() throws {
        let m = machine()
        let end = try converse(m) { gdb in
            XCTAssertEqual(try gdb.request("vMustReplyEmpty"), "")
            XCTAssertEqual(try gdb.request("qTStatus"), "")
            XCTAssertEqual(try gdb.request("qAttached"), "1")
            XCTAssertEqual(try gdb.request("qOffsets"), "Text=0;Data=0;Bss=0")
            XCTAssertEqual(try gdb.request("qSymbol::"), "OK")
            XCTAssertEqual(try gdb.request("vCont?"), "vCont;c;C;s;S")
            XCTAssertEqual(try gdb.request("m20000,4"), "E0e")  // past the 64 KiB
            XCTAssertEqual(try gdb.request("mfffc,8"), "00000000")  // partial: the last 4 bytes
            XCTAssertEqual(try gdb.request("p47"), "E16")  // register 71 does not exist
            XCTAssertEqual(try gdb.request("P3=05"), "E16")  // wrong size
            XCTAssertEqual(try gdb.request("Z0,20000,4"), "E0e")
            XCTAssertEqual(try gdb.request("M3000,2:beef"), "OK")
            // X with '#', '}' and '*' in the data: escaped on the wire, raw in memory.
            try gdb.sendRaw(GDBPacket.frame(Array("X3002,3:".utf8) + [0x23, 0x7d, 0x2a]))
            XCTAssertEqual(try gdb.nextEvent(), .ack)
            XCTAssertEqual(try gdb.receive(), "OK")
            XCTAssertEqual(try gdb.request("X3000,0:"), "OK")
            XCTAssertEqual(try gdb.request("m3000,5"), "beef237d2a")
            // G writes all 560 bytes: r1 = 0x...01, everything else zero.
            let g = String(repeating: "0", count: 16) + "0000000000000001" + String(repeating: "0", count: 1120 - 32)
            XCTAssertEqual(try gdb.request("G" + g), "OK")
            XCTAssertEqual(try gdb.request("p1"), "0000000000000001")
            XCTAssertEqual(try gdb.request("p41"), "0000000000000000")  // msr cleared by G
            XCTAssertEqual(try gdb.request("G00"), "E16")
            XCTAssertEqual(try gdb.request("vKill;1"), "OK")
        }
        XCTAssertEqual(end, .kill)
        XCTAssertEqual(Array(m.memory[0x3000..<0x3005]), [0xbe, 0xef, 0x23, 0x7d, 0x2a])
        XCTAssertEqual(m.cpus[0].gpr[1], 1)
    }

    func testDisconnectWhileStopped() throws {
        let end = try converse(machine()) { gdb in
            XCTAssertEqual(try gdb.request("?"), "T05thread:1;")
            gdb.transport.close()
        }
        XCTAssertEqual(end, .disconnected)
    }
}

final class TransportTests: XCTestCase {
    func testListenerErrorsAreValuesNotTraps() throws {
        XCTAssertThrowsError(try GDBTCPListener(host: "localhost:x", port: 0)) { e in
            XCTAssertEqual(e as? GDBTransportError, .badAddress("localhost:x"))
            XCTAssertEqual("\(e)", "not an IPv4 address: localhost:x")
        }
        let first = try GDBTCPListener(port: 0)
        XCTAssertNotEqual(first.port, 0)
        XCTAssertThrowsError(try GDBTCPListener(port: first.port)) { e in
            XCTAssertEqual(e as? GDBTransportError, .system("bind 127.0.0.1:\(first.port)", EADDRINUSE))
            XCTAssertEqual("\(e)", "bind 127.0.0.1:\(first.port): Address already in use")
        }
    }

    func testReceiveAvailableNeverBlocksAndSeesTheEnd() throws {
        let (a, b) = try GDBFileDescriptorTransport.pair()
        XCTAssertEqual(try a.receiveAvailable(), [])
        try b.send([1, 2, 3])
        XCTAssertEqual(try a.receiveAvailable(), [1, 2, 3])
        b.close()
        XCTAssertThrowsError(try a.receiveAvailable()) { XCTAssertEqual($0 as? GDBTransportError, .closed) }
        XCTAssertThrowsError(try a.send([0])) { XCTAssertEqual($0 as? GDBTransportError, .closed) }
    }
}

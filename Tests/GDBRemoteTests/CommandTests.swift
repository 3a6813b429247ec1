import XCTest
@testable import GDBRemote

// Packet payloads as gdb 13 sends them (seen in `set debug remote 1` transcripts and the
// "Packets" appendix of the gdb manual), and the replies it expects.
final class CommandTests: XCTestCase {
    func cmd(_ s: String) -> GDBCommand { GDBCommand(packet: Array(s.utf8)) }
    func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

    func testQueries() {
        XCTAssertEqual(cmd("qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;xmlRegisters=i386"),
                       .querySupported(["multiprocess+", "swbreak+", "hwbreak+", "qRelocInsn+", "xmlRegisters=i386"]))
        XCTAssertEqual(cmd("QStartNoAckMode"), .startNoAckMode)
        XCTAssertEqual(cmd("qXfer:features:read:target.xml:0,ffb"), .readFeatures(annex: "target.xml", offset: 0, length: 0xffb))
        XCTAssertEqual(cmd("qXfer:features:read:target.xml:7fe,ffb"), .readFeatures(annex: "target.xml", offset: 0x7fe, length: 0xffb))
        XCTAssertEqual(cmd("qXfer:features:read:target.xml:zz,1"), .malformed("qXfer:features:read:target.xml:zz,1"))
        XCTAssertEqual(cmd("qfThreadInfo"), .threadListFirst)
        XCTAssertEqual(cmd("qsThreadInfo"), .threadListNext)
        XCTAssertEqual(cmd("qC"), .currentThread)
        XCTAssertEqual(cmd("qAttached"), .queryAttached)
        XCTAssertEqual(cmd("qAttached:1"), .queryAttached)
        XCTAssertEqual(cmd("qOffsets"), .queryOffsets)
        XCTAssertEqual(cmd("qSymbol::"), .querySymbol)
        XCTAssertEqual(cmd("qTStatus"), .unsupported("qTStatus"))
        XCTAssertEqual(cmd("vMustReplyEmpty"), .unsupported("vMustReplyEmpty"))
        XCTAssertEqual(cmd("vCont?"), .vContQuery)
        XCTAssertEqual(cmd("?"), .haltReason)
    }

    func testRegisters() {
        XCTAssertEqual(cmd("g"), .readRegisters)
        XCTAssertEqual(cmd("G00ff"), .writeRegisters([0x00, 0xff]))
        XCTAssertEqual(cmd("G0"), .malformed("G0"))
        // p40: register 0x40 = 64, the pc in powerpc:common64.
        XCTAssertEqual(cmd("p40"), .readRegister(64))
        XCTAssertEqual(cmd("P3=0000000000000005"), .writeRegister(3, [0, 0, 0, 0, 0, 0, 0, 5]))
        XCTAssertEqual(cmd("P3"), .malformed("P3"))
        XCTAssertEqual(cmd("p"), .malformed("p"))
    }

    func testMemory() {
        XCTAssertEqual(cmd("m10000,4"), .readMemory(address: 0x10000, length: 4))
        XCTAssertEqual(cmd("mc000000000001000,40"), .readMemory(address: 0xc000_0000_0000_1000, length: 0x40))
        XCTAssertEqual(cmd("m1000"), .malformed("m1000"))
        XCTAssertEqual(cmd("M1000,2:beef"), .writeMemory(address: 0x1000, bytes: [0xbe, 0xef]))
        XCTAssertEqual(cmd("M1000,3:beef"), .malformed("M1000,3:beef"))
        // X carries raw bytes after the colon (already unescaped by the packet layer); a
        // zero-length X is gdb's probe for X support.
        XCTAssertEqual(GDBCommand(packet: Array("X1000,3:".utf8) + [0x00, 0x23, 0xff]),
                       .writeMemory(address: 0x1000, bytes: [0x00, 0x23, 0xff]))
        XCTAssertEqual(cmd("X1000,0:"), .writeMemory(address: 0x1000, bytes: []))
    }

    func testStopPoints() {
        XCTAssertEqual(cmd("Z0,10000100,4"), .insertStopPoint(GDBStopPoint(kind: .softwareBreakpoint, address: 0x1000_0100, length: 4)))
        XCTAssertEqual(cmd("z1,100,4"), .removeStopPoint(GDBStopPoint(kind: .hardwareBreakpoint, address: 0x100, length: 4)))
        XCTAssertEqual(cmd("Z2,2000,8"), .insertStopPoint(GDBStopPoint(kind: .writeWatchpoint, address: 0x2000, length: 8)))
        XCTAssertEqual(cmd("Z3,2000,1"), .insertStopPoint(GDBStopPoint(kind: .readWatchpoint, address: 0x2000, length: 1)))
        XCTAssertEqual(cmd("z4,2000,2"), .removeStopPoint(GDBStopPoint(kind: .accessWatchpoint, address: 0x2000, length: 2)))
        // Conditions after ';' (target-side conditions, not offered) don't break the parse.
        XCTAssertEqual(cmd("Z0,100,4;X3,220100"), .insertStopPoint(GDBStopPoint(kind: .softwareBreakpoint, address: 0x100, length: 4)))
        XCTAssertEqual(cmd("Z5,100,4"), .malformed("Z5,100,4"))
    }

    func testResumption() {
        XCTAssertEqual(cmd("c"), .continue(.continue, address: nil))
        XCTAssertEqual(cmd("c1000"), .continue(.continue, address: 0x1000))
        XCTAssertEqual(cmd("s"), .step(.step, address: nil))
        XCTAssertEqual(cmd("C0b"), .continue(GDBThreadMotion(.continue, signal: .segmentationFault), address: nil))
        XCTAssertEqual(cmd("S05;2000"), .step(GDBThreadMotion(.step, signal: .trap), address: 0x2000))
        XCTAssertEqual(cmd("bs"), .reverseStep)
        XCTAssertEqual(cmd("bc"), .reverseContinue)
        XCTAssertEqual(cmd("vCont;c"), .vCont([GDBResumeAction(.continue)]))
        XCTAssertEqual(cmd("vCont;s:1;c"), .vCont([GDBResumeAction(.step, threads: .thread(1)), GDBResumeAction(.continue)]))
        XCTAssertEqual(cmd("vCont;s:2;c:-1"), .vCont([GDBResumeAction(.step, threads: .thread(2)), GDBResumeAction(.continue, threads: .all)]))
        XCTAssertEqual(cmd("vCont;C0b:1;c"), .vCont([GDBResumeAction(GDBThreadMotion(.continue, signal: .segmentationFault), threads: .thread(1)),
                                                   GDBResumeAction(.continue)]))
        XCTAssertEqual(cmd("vCont;t:1"), .malformed("vCont;t:1"))
        XCTAssertEqual(cmd("vCont;"), .malformed("vCont;"))
    }

    func testThreadsAndControl() {
        XCTAssertEqual(cmd("Hg0"), .selectThread(.general, .any))
        XCTAssertEqual(cmd("Hc-1"), .selectThread(.resume, .all))
        XCTAssertEqual(cmd("Hg2"), .selectThread(.general, .thread(2)))
        XCTAssertEqual(cmd("Hx1"), .malformed("Hx1"))
        XCTAssertEqual(cmd("T1"), .threadAlive(.thread(1)))
        XCTAssertEqual(cmd("k"), .kill)
        XCTAssertEqual(cmd("D"), .detach)
        XCTAssertEqual(cmd("D;1"), .detach)
        XCTAssertEqual(cmd("vKill;1"), .vKill)
        XCTAssertEqual(GDBCommand(packet: []), .unsupported(""))
    }

    func testStopReplies() {
        XCTAssertEqual(text(GDBReply.stop(GDBStop(signal: .trap, thread: nil))), "S05")
        XCTAssertEqual(text(GDBReply.stop(GDBStop(signal: .trap, thread: 1))), "T05thread:1;")
        XCTAssertEqual(text(GDBReply.stop(GDBStop(signal: .trap, thread: 0x1a, reason: .softwareBreakpoint))), "T05swbreak:;thread:1a;")
        XCTAssertEqual(text(GDBReply.stop(GDBStop(signal: .trap, thread: 1, reason: .softwareBreakpoint), gdbAcceptsSwbreak: false)),
                       "T05thread:1;")
        XCTAssertEqual(text(GDBReply.stop(GDBStop(signal: .trap, thread: 1, reason: .hardwareBreakpoint))), "T05hwbreak:;thread:1;")
        XCTAssertEqual(text(GDBReply.stop(GDBStop(signal: .trap, thread: 1, reason: .watchpoint(.writeWatchpoint, address: 0x2004)))),
                       "T05watch:2004;thread:1;")
        XCTAssertEqual(text(GDBReply.stop(GDBStop(signal: .trap, thread: 1, reason: .watchpoint(.readWatchpoint, address: 0x2004)))),
                       "T05rwatch:2004;thread:1;")
        XCTAssertEqual(text(GDBReply.stop(GDBStop(signal: .trap, thread: 1, reason: .watchpoint(.accessWatchpoint, address: 0x2004)))),
                       "T05awatch:2004;thread:1;")
        XCTAssertEqual(text(GDBReply.stop(GDBStop(signal: .trap, thread: 1, reason: .historyBegin))), "T05replaylog:begin;thread:1;")
        XCTAssertEqual(text(GDBReply.stop(GDBStop(signal: .trap, thread: nil, reason: .historyEnd))), "T05replaylog:end;")
        // SIGSEGV is 11 = 0x0b, SIGILL 4 (gdb's signals.def).
        XCTAssertEqual(text(GDBReply.stop(GDBStop(signal: .segmentationFault, thread: 2))), "T0bthread:2;")
        XCTAssertEqual(text(GDBReply.stop(GDBStop(signal: .illegalInstruction, thread: nil))), "S04")
        XCTAssertEqual(text(GDBReply.exit(.exited(status: 0))), "W00")
        XCTAssertEqual(text(GDBReply.exit(.exited(status: 42))), "W2a")
        XCTAssertEqual(text(GDBReply.exit(.terminated(.segmentationFault))), "X0b")
    }

    func testOtherReplies() {
        XCTAssertEqual(text(GDBReply.supported(packetSize: 0x4000, reverseExecution: false)),
                       "PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+")
        XCTAssertEqual(text(GDBReply.supported(packetSize: 0x4000, reverseExecution: true)),
                       "PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+;ReverseStep+;ReverseContinue+")
        let object = Array("abcdefghij".utf8)
        XCTAssertEqual(text(GDBReply.transferChunk(of: object, offset: 0, length: 4)), "mabcd")
        XCTAssertEqual(text(GDBReply.transferChunk(of: object, offset: 8, length: 4)), "lij")
        XCTAssertEqual(text(GDBReply.transferChunk(of: object, offset: 6, length: 4)), "lghij")
        XCTAssertEqual(text(GDBReply.transferChunk(of: object, offset: 10, length: 4)), "l")
        XCTAssertEqual(text(GDBReply.threadList([1, 2, 0x10])), "m1,2,10")
        XCTAssertEqual(text(GDBReply.currentThread(1)), "QC1")
        XCTAssertEqual(text(GDBReply.error(1)), "E01")
    }
}

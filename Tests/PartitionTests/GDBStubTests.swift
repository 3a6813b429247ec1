import XCTest
import Foundation
import Glibc
@testable import Partition
import GDBRemote
import PAPR

/// The engine side of `--gdb` at the packet level, on a hand-assembled PAPR guest. Rules under
/// test: a write watchpoint stops before the store (pc on the stw, memory unchanged: gdb's
/// powerpc has nonsteppable watchpoints), a step then does it; a breakpoint stops with the pc at
/// it; registers by gdb's numbers (r5 is 5, pc is 0x40); the guest's exit is `W` with its status.
final class GDBStubTests: XCTestCase {
    var path = ""
    override func tearDown() { try? FileManager.default.removeItem(atPath: path) }

    func writeELF(_ words: [UInt32]) -> String {
        path = writeMinimalELF(words, tag: "gdbstub-\(abs(name.hashValue))")
        return path
    }

    /// A gdb client: frames requests, acks replies, with a time limit on every read.
    final class Client {
        let fd: Int32
        var decoder = GDBPacketDecoder()
        var events: [GDBPacketEvent] = []

        init(port: UInt16) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = port.bigEndian
            a.sin_addr.s_addr = inet_addr("127.0.0.1")
            let r = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard r == 0 else { throw Failure("connect: errno \(errno)") }
        }
        deinit { close(fd) }

        func next() throws -> GDBPacketEvent {
            while events.isEmpty {
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&p, 1, 10_000) == 1 else { throw Failure("no reply within 10 s") }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = read(fd, &buffer, buffer.count)
                guard n > 0 else { throw Failure("the stub closed the connection") }
                events += decoder.feed(buffer[0..<n])
            }
            return events.removeFirst()
        }

        func request(_ payload: String) throws -> String {
            let frame = GDBPacket.frame(Array(payload.utf8))
            _ = frame.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard try next() == .ack else { throw Failure("no + for \(payload)") }
            guard case .packet(let reply) = try next() else { throw Failure("no reply to \(payload)") }
            _ = write(fd, [GDBPacket.ack], 1)
            return String(decoding: reply, as: UTF8.self)
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// Runs `program` as a PAPR guest under the stub on a thread, with a client connected to
    /// it; `finished` waits (10 s at most) for the run's outcome.
    func debug(_ program: [UInt32]) throws -> (Client, finished: () -> RunOutcome?) {
        var config = PartitionConfig(elfPath: writeELF(program))
        config.memorySize = 1 << 20
        let partition = try Partition(config: config, console: Console(outputFD: -1, inputFD: -1))
        nonisolated(unsafe) let listener = try GDBTCPListener(port: 0)
        let port = listener.port
        nonisolated(unsafe) var outcome: RunOutcome?
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let p = partition
        Thread {
            outcome = p.serveGDB(listener, host: "127.0.0.1", tracer: nil)
            done.signal()
        }.start()
        return (try Client(port: port), { done.wait(timeout: .now() + 10) == .success ? outcome : nil })
    }

    func testWatchpointStopsBeforeTheStoreThenStepDoesIt() throws {
        let program: [UInt32] = [
            0x3880_2000,  // 0x10000 li r4,0x2000
            0x38A0_0007,  // 0x10004 li r5,7
            0x90A4_0000,  // 0x10008 stw r5,0(r4)
            0x3860_0000,  // 0x1000c li r3,0
            0x6063_FF00,  // 0x10010 ori r3,r3,0xFF00   (lpar's exit hcall)
            0x3880_0003,  // 0x10014 li r4,3            (status 3)
            0x4400_0022,  // 0x10018 sc 1
        ]
        let (gdb, finished) = try debug(program)
        XCTAssertTrue(try gdb.request("?").hasPrefix("T05"))
        XCTAssertEqual(try gdb.request("p40"), "0000000000010000", "pc (gdb register 0x40) at the entry")
        XCTAssertEqual(try gdb.request("Z2,2000,4"), "OK")
        let stop = try gdb.request("c")
        XCTAssertTrue(stop.hasPrefix("T05") && stop.contains("watch:2000;"), stop)
        XCTAssertEqual(try gdb.request("p40"), "0000000000010008", "pc on the stw, not past it")
        XCTAssertEqual(try gdb.request("m2000,4"), "00000000", "the store has not happened")
        XCTAssertEqual(try gdb.request("p5"), "0000000000000007", "r5 as li set it")
        XCTAssertEqual(try gdb.request("z2,2000,4"), "OK")
        XCTAssertTrue(try gdb.request("s").hasPrefix("T05"))
        XCTAssertEqual(try gdb.request("m2000,4"), "00000007", "the step stored r5")
        XCTAssertEqual(try gdb.request("p40"), "000000000001000c")
        XCTAssertEqual(try gdb.request("Z0,10018,4"), "OK")
        XCTAssertTrue(try gdb.request("c").hasPrefix("T05"))
        XCTAssertEqual(try gdb.request("p40"), "0000000000010018", "stopped at the breakpoint on sc 1")
        XCTAssertEqual(try gdb.request("p4"), "0000000000000003")
        XCTAssertEqual(try gdb.request("z0,10018,4"), "OK")
        XCTAssertEqual(try gdb.request("c"), "W03", "the guest's exit status")
        XCTAssertEqual(finished()?.exitStatus, 3)
    }

    /// Reverse execution at the packet level: `bs` undoes one instruction at a time, memory
    /// included (the two stores to 0x2000 write 7, then 9: going back before them shows 7, then
    /// 0); `bc` with no breakpoint behind runs back to where gdb attached and says so
    /// (`replaylog:begin`); going forward again replays to the same breakpoint and the exit.
    func testReverseStepAndContinueRewindRegistersAndMemory() throws {
        let program: [UInt32] = [
            0x3880_2000,  // 0x10000 li r4,0x2000
            0x38A0_0007,  // 0x10004 li r5,7
            0x90A4_0000,  // 0x10008 stw r5,0(r4)
            0x38A0_0009,  // 0x1000c li r5,9
            0x90A4_0000,  // 0x10010 stw r5,0(r4)
            0x3860_0000,  // 0x10014 li r3,0
            0x6063_FF00,  // 0x10018 ori r3,r3,0xFF00   (lpar's exit hcall)
            0x3880_0003,  // 0x1001c li r4,3            (status 3)
            0x4400_0022,  // 0x10020 sc 1
        ]
        let (gdb, finished) = try debug(program)
        XCTAssertTrue(try gdb.request("qSupported:multiprocess+").contains("ReverseStep+;ReverseContinue+"))
        XCTAssertEqual(try gdb.request("Z0,10014,4"), "OK")
        XCTAssertTrue(try gdb.request("c").hasPrefix("T05"))
        XCTAssertEqual(try gdb.request("p40"), "0000000000010014")
        XCTAssertEqual(try gdb.request("m2000,4"), "00000009")
        XCTAssertTrue(try gdb.request("bs").hasPrefix("T05"))
        XCTAssertEqual(try gdb.request("p40"), "0000000000010010", "back one: on the second stw")
        XCTAssertEqual(try gdb.request("m2000,4"), "00000007", "its store undone")
        XCTAssertTrue(try gdb.request("bs").hasPrefix("T05"))
        XCTAssertEqual(try gdb.request("p5"), "0000000000000007", "before li r5,9")
        XCTAssertTrue(try gdb.request("bs").hasPrefix("T05"))
        XCTAssertEqual(try gdb.request("p40"), "0000000000010008")
        XCTAssertEqual(try gdb.request("m2000,4"), "00000000", "before the first store")
        let begin = try gdb.request("bc")
        XCTAssertTrue(begin.hasPrefix("T05") && begin.contains("replaylog:begin;"), begin)
        XCTAssertEqual(try gdb.request("p40"), "0000000000010000", "where gdb attached")
        XCTAssertTrue(try gdb.request("c").hasPrefix("T05"))
        XCTAssertEqual(try gdb.request("p40"), "0000000000010014", "forward again to the breakpoint")
        XCTAssertEqual(try gdb.request("m2000,4"), "00000009")
        XCTAssertEqual(try gdb.request("z0,10014,4"), "OK")
        XCTAssertEqual(try gdb.request("c"), "W03")
        XCTAssertEqual(finished()?.exitStatus, 3)
    }
}

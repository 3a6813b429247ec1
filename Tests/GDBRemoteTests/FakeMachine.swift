import Foundation
import Glibc
import XCTest
@testable import GDBRemote

/// A stand-in for the engine: register files numbered as powerpc:common64, 64 KiB of
/// big-endian memory at address 0, and a four-instruction "ISA" (real encodings):
///   addi RT,RA,SI (primary opcode 14), stw RS,D(RA) (36), sc (0x44000002: exit with r3),
///   b . (0x48000000: spin forever); every other word does nothing but advance the pc.
/// It runs the way lpar's engine is meant to: per GDBResumePlan, checking breakpoints before
/// each instruction, watchpoints before each store (gdb's powerpc arch has nonsteppable
/// watchpoints: it expects the stop before the access), polling for ^C every 1000 instructions.
final class FakeMachine: GDBTarget {
    struct CPU {
        var gpr = [UInt64](repeating: 0, count: 32)
        var fpr = [UInt64](repeating: 0, count: 32)
        var pc: UInt64 = 0x1000
        var msr: UInt64 = 0x8000_0000_0000_0000  // SF: 64-bit mode
        var cr: UInt32 = 0
        var lr: UInt64 = 0
        var ctr: UInt64 = 0
        var xer: UInt32 = 0
        var fpscr: UInt64 = 0
    }

    var cpus: [CPU]
    var memory = [UInt8](repeating: 0, count: 0x10000)
    var stopPoints: [GDBStopPoint] = []
    var stopPointCalls: [String] = []
    var supportsReverseExecution = false
    var reverseRequests: [GDBResume] = []
    var instructionsExecuted = 0
    /// Signalled each time a continue starts (tests wait on it before interrupting).
    let continued = DispatchSemaphore(value: 0)

    init(threads: Int = 1) {
        cpus = Array(repeating: CPU(), count: threads)
    }

    var threads: [GDBThreadID] { Array(1...cpus.count) }

    func store32(_ value: UInt32, at address: Int) {
        for i in 0..<4 { memory[address + i] = UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32(i))) }
    }

    func load32(_ address: UInt64) -> UInt32 {
        let a = Int(address)
        return (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(memory[a + $1]) }
    }

    func program(_ words: [UInt32], at address: Int = 0x1000) {
        for (i, w) in words.enumerated() { store32(w, at: address + 4 * i) }
    }

    // MARK: GDBTarget

    func readRegister(_ regnum: Int, thread: GDBThreadID) -> [UInt8]? {
        let c = cpus[thread - 1]
        let value: UInt64, size: Int
        switch regnum {
        case 0..<32: (value, size) = (c.gpr[regnum], 8)
        case 32..<64: (value, size) = (c.fpr[regnum - 32], 8)
        case PowerRegisterNumber.pc: (value, size) = (c.pc, 8)
        case PowerRegisterNumber.msr: (value, size) = (c.msr, 8)
        case PowerRegisterNumber.cr: (value, size) = (UInt64(c.cr), 4)
        case PowerRegisterNumber.lr: (value, size) = (c.lr, 8)
        case PowerRegisterNumber.ctr: (value, size) = (c.ctr, 8)
        case PowerRegisterNumber.xer: (value, size) = (UInt64(c.xer), 4)
        case PowerRegisterNumber.fpscr: (value, size) = (c.fpscr, 8)
        default: return nil
        }
        return GDBRegister.bigEndianBytes(value, byteCount: size)
    }

    func writeRegister(_ regnum: Int, bytes: [UInt8], thread: GDBThreadID) -> Bool {
        let v = GDBRegister.bigEndianValue(bytes)
        switch regnum {
        case 0..<32: cpus[thread - 1].gpr[regnum] = v
        case 32..<64: cpus[thread - 1].fpr[regnum - 32] = v
        case PowerRegisterNumber.pc: cpus[thread - 1].pc = v
        case PowerRegisterNumber.msr: cpus[thread - 1].msr = v
        case PowerRegisterNumber.cr: cpus[thread - 1].cr = UInt32(truncatingIfNeeded: v)
        case PowerRegisterNumber.lr: cpus[thread - 1].lr = v
        case PowerRegisterNumber.ctr: cpus[thread - 1].ctr = v
        case PowerRegisterNumber.xer: cpus[thread - 1].xer = UInt32(truncatingIfNeeded: v)
        case PowerRegisterNumber.fpscr: cpus[thread - 1].fpscr = v
        default: return false
        }
        return true
    }

    func readMemory(at address: UInt64, count: Int, thread: GDBThreadID) -> [UInt8] {
        guard address < UInt64(memory.count) else { return [] }
        let end = min(UInt64(memory.count), address + UInt64(count))
        return Array(memory[Int(address)..<Int(end)])
    }

    func writeMemory(at address: UInt64, bytes: [UInt8], thread: GDBThreadID) -> Bool {
        guard address + UInt64(bytes.count) <= UInt64(memory.count) else { return false }
        memory.replaceSubrange(Int(address)..<Int(address) + bytes.count, with: bytes)
        return true
    }

    func insertStopPoint(_ point: GDBStopPoint) -> GDBStopPointResult {
        stopPointCalls.append("Z\(point.kind.rawValue) \(String(point.address, radix: 16)) \(point.length)")
        guard point.address < UInt64(memory.count) else { return .failed }
        stopPoints.append(point)
        return .done
    }

    func removeStopPoint(_ point: GDBStopPoint) -> GDBStopPointResult {
        stopPointCalls.append("z\(point.kind.rawValue) \(String(point.address, radix: 16)) \(point.length)")
        guard let i = stopPoints.firstIndex(of: point) else { return .failed }
        stopPoints.remove(at: i)
        return .done
    }

    // MARK: the "engine"

    enum Outcome {
        case stopped(GDBStop)
        case exited(UInt8)
    }

    /// Executes one instruction of a thread, or reports why it cannot yet (a watched store).
    func execute(_ t: GDBThreadID) -> Outcome? {
        let word = load32(cpus[t - 1].pc)
        let opcode = word >> 26
        let rt = Int(word >> 21 & 31), ra = Int(word >> 16 & 31)
        let d = UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: word)))
        instructionsExecuted += 1
        switch opcode {
        case 14:  // addi
            cpus[t - 1].gpr[rt] = (ra == 0 ? 0 : cpus[t - 1].gpr[ra]) &+ d
        case 36:  // stw
            let ea = (ra == 0 ? 0 : cpus[t - 1].gpr[ra]) &+ d
            if let w = stopPoints.first(where: { ($0.kind == .writeWatchpoint || $0.kind == .accessWatchpoint)
                && ea < $0.address + UInt64($0.length) && $0.address < ea + 4 }) {
                instructionsExecuted -= 1
                return .stopped(GDBStop(signal: .trap, thread: t, reason: .watchpoint(w.kind, address: ea)))
            }
            store32(UInt32(truncatingIfNeeded: cpus[t - 1].gpr[rt]), at: Int(ea))
        case _ where word == 0x4400_0002:  // sc
            return .exited(UInt8(truncatingIfNeeded: cpus[t - 1].gpr[3]))
        case _ where word == 0x4800_0000:  // b .
            return nil
        default:
            break
        }
        cpus[t - 1].pc &+= 4
        return nil
    }

    func run(_ plan: GDBResumePlan, interrupted: () throws -> Bool) rethrows -> Outcome {
        if let a = plan.address, let t = plan.motions.keys.min() { cpus[t - 1].pc = a }
        let order = plan.motions.keys.sorted()
        if let stepper = plan.steppingThreads.first {
            // One instruction on every moving thread; the stepping thread reports.
            for t in order {
                if let o = execute(t), t == stepper { return o }
            }
            return .stopped(GDBStop(signal: .trap, thread: stepper))
        }
        continued.signal()
        var n = 0
        while true {
            for t in order {
                if stopPoints.contains(where: { !$0.kind.isWatchpoint && $0.address == cpus[t - 1].pc }) {
                    let kind = stopPoints.first { !$0.kind.isWatchpoint && $0.address == cpus[t - 1].pc }!.kind
                    return .stopped(GDBStop(signal: .trap, thread: t,
                                            reason: kind == .softwareBreakpoint ? .softwareBreakpoint : .hardwareBreakpoint))
                }
                if let o = execute(t) { return o }
            }
            n += 1
            if n % 1000 == 0, try interrupted() {
                return .stopped(GDBStop(signal: .interrupt, thread: order[0]))
            }
        }
    }

    /// The engine's loop around a session, until gdb lets go or the guest exits. Returns how it ended.
    func serve(_ session: GDBSession, initialThread: GDBThreadID = 1) throws -> GDBResume {
        var next = try session.waitForResume(initialStop: GDBStop(signal: .trap, thread: initialThread))
        while true {
            switch next {
            case .forward(let plan):
                switch try run(plan, interrupted: { try session.pollInterrupt() }) {
                case .stopped(let stop): next = try session.reportStop(stop)
                case .exited(let status):
                    try session.reportExit(.exited(status: status))
                    return .forward(plan)
                }
            case .reverseStep(let t), .reverseContinue(let t):
                // A pretend history: everything from 0x1000 on ran straight through, so a
                // reverse step is pc - 4 and a reverse continue goes back to the start.
                reverseRequests.append(next)
                let atStart = cpus[t - 1].pc <= 0x1000
                if case .reverseStep = next, !atStart {
                    cpus[t - 1].pc -= 4
                    next = try session.reportStop(GDBStop(signal: .trap, thread: t))
                } else {
                    cpus[t - 1].pc = 0x1000
                    next = try session.reportStop(GDBStop(signal: .trap, thread: t, reason: .historyBegin))
                }
            case .detach, .kill, .disconnected:
                return next
            }
        }
    }
}

/// Runs a block on its own thread (the session blocks), to be joined later.
final class Background<T>: @unchecked Sendable {
    var result: Result<T, Error>?
    let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping () throws -> T) {
        nonisolated(unsafe) let work = body
        let thread = Thread { [self] in
            result = Result { try work() }
            done.signal()
        }
        thread.start()
    }

    func join(timeout: TimeInterval = 20) throws -> T {
        guard done.wait(timeout: .now() + timeout) == .success else {
            throw ScriptFailure("background session did not finish within \(timeout) s")
        }
        return try result!.get()
    }
}

/// A gdb-like client for scripted exchanges: frames packets, checks acks, decodes replies
/// with a time limit so a broken stub fails the test instead of hanging it.
final class ScriptedGDB {
    let transport: GDBFileDescriptorTransport
    var decoder = GDBPacketDecoder()
    var events: [GDBPacketEvent] = []
    var ackMode = true
    /// Every byte received, for checks on the exact wire format.
    var wire: [UInt8] = []

    init(_ transport: GDBFileDescriptorTransport) {
        self.transport = transport
    }


    func nextEvent(timeoutMs: Int32 = 10_000) throws -> GDBPacketEvent {
        while events.isEmpty {
            var p = pollfd(fd: transport.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, timeoutMs) == 1 else { throw ScriptFailure("no reply within \(timeoutMs) ms") }
            let bytes = try transport.receive()
            wire += bytes
            events += decoder.feed(bytes)
        }
        return events.removeFirst()
    }

    func sendRaw(_ bytes: [UInt8]) throws { try transport.send(bytes) }

    func send(_ payload: [UInt8]) throws {
        try transport.send(GDBPacket.frame(payload))
        if ackMode {
            let e = try nextEvent()
            guard e == .ack else { throw ScriptFailure("expected + after sending a packet, got \(e)") }
        }
    }

    func send(_ payload: String) throws { try send(Array(payload.utf8)) }

    func receive() throws -> String {
        while true {
            switch try nextEvent() {
            case .packet(let p):
                if ackMode { try transport.send([GDBPacket.ack]) }
                return String(decoding: p, as: UTF8.self)
            case let e:
                throw ScriptFailure("expected a packet, got \(e)")
            }
        }
    }

    func request(_ payload: String) throws -> String {
        try send(payload)
        return try receive()
    }
}

/// A broken exchange: thrown, so the test fails (never skips) with the reason.
struct ScriptFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

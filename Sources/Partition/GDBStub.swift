#if canImport(Glibc)
import Glibc
#endif
import GDBRemote
import GuestMemory
import PowerISA

/// `--gdb PORT` or `--gdb HOST:PORT`: where lpar listens for gdb (127.0.0.1 unless told).
public struct GDBEndpoint: Equatable, Sendable {
    public var host: String
    public var port: UInt16

    public init(host: String = "127.0.0.1", port: UInt16) {
        self.host = host
        self.port = port
    }

    /// nil when the text is not `PORT` or `HOST:PORT` with a port from 1 to 65535 and an IPv4
    /// address (or `localhost`) as the host.
    public static func parse(_ text: String) -> GDBEndpoint? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let port = UInt16(parts.last!), port > 0 else { return nil }
        guard parts.count == 2 else { return GDBEndpoint(port: port) }
        let host = parts[0] == "localhost" ? "127.0.0.1" : String(parts[0])
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else { return nil }
        return GDBEndpoint(host: host, port: port)
    }
}

/// The machine as gdb sees it: registers by gdb's powerpc:common64 numbers, memory through the
/// guest's addresses, vCPUs as threads (vCPU n is thread n + 1), and the stop points gdb set.
/// The engine side (the loop that runs the guest for gdb) is `Partition.runUnderGDB`.
final class GDBStub: GDBTarget {
    unowned let partition: Partition
    /// Z0 and Z1 breakpoints by address (both are checked against the pc before each instruction).
    private(set) var breakpoints: [UInt64: GDBStopPointKind] = [:]
    /// Z2/Z3/Z4 watchpoints, in the order gdb set them.
    private(set) var watchpoints: [GDBStopPoint] = []
    /// The interrupt gdb was last told of as a signal: if gdb resumes delivering that signal,
    /// the guest cannot take it and the run ends as it would without gdb.
    var pendingFault: Interrupt?

    init(partition: Partition) { self.partition = partition }

    /// Any stop point set: then the guest runs one instruction at a time.
    var hasStopPoints: Bool { !breakpoints.isEmpty || !watchpoints.isEmpty }

    var threads: [GDBThreadID] { Array(1...partition.vcpus.count) }

    /// No recorded history yet: gdb is told reverse execution is not supported.
    var supportsReverseExecution: Bool { false }

    private func cpu(_ thread: GDBThreadID) -> CPU? {
        partition.vcpus.indices.contains(thread - 1) ? partition.vcpus[thread - 1].cpu : nil
    }

    /// The CPU state slot and byte size of each gdb register number (PowerTargetDescription.lpar).
    private static func slot(_ regnum: Int) -> (slot: Int, bytes: Int)? {
        switch regnum {
        case 0..<32: return (RegisterSlot.gpr0 + regnum, 8)
        case 32..<64: return (RegisterSlot.fpr0 + regnum - 32, 8)
        case PowerRegisterNumber.pc: return (RegisterSlot.pc, 8)
        case PowerRegisterNumber.msr: return (RegisterSlot.msr, 8)
        case PowerRegisterNumber.cr: return (RegisterSlot.cr, 4)
        case PowerRegisterNumber.lr: return (RegisterSlot.lr, 8)
        case PowerRegisterNumber.ctr: return (RegisterSlot.ctr, 8)
        case PowerRegisterNumber.xer: return (RegisterSlot.xer, 4)
        case PowerRegisterNumber.fpscr: return (RegisterSlot.fpscr, 8)
        default: return nil
        }
    }

    func readRegister(_ regnum: Int, thread: GDBThreadID) -> [UInt8]? {
        guard let c = cpu(thread), let (slot, bytes) = Self.slot(regnum) else { return nil }
        return GDBRegister.bigEndianBytes(c.state[slot], byteCount: bytes)
    }

    func writeRegister(_ regnum: Int, bytes: [UInt8], thread: GDBThreadID) -> Bool {
        guard let c = cpu(thread), let (slot, size) = Self.slot(regnum), bytes.count == size else { return false }
        c.state[slot] = GDBRegister.bigEndianValue(bytes)
        return true
    }

    /// A guest effective address as the engine translates it in real mode: a PAPR guest's
    /// EA bits 0:3 are ignored (0xc000… kernel addresses reach RAM at 0), a Linux program's
    /// addresses are its own.
    func realAddress(_ address: UInt64) -> UInt64 {
        partition.linux == nil ? address & 0x0FFF_FFFF_FFFF_FFFF : address
    }

    func readMemory(at address: UInt64, count: Int, thread: GDBThreadID) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        for i in 0..<UInt64(count) {
            guard let b = partition.memory.load8(realAddress(address &+ i)) else { break }
            bytes.append(b)
        }
        return bytes
    }

    func writeMemory(at address: UInt64, bytes: [UInt8], thread: GDBThreadID) -> Bool {
        // GuestMemory.write tells the predecode cache, so patched code is decoded again.
        do { try partition.memory.write(bytes, at: realAddress(address)) } catch { return false }
        return true
    }

    func insertStopPoint(_ point: GDBStopPoint) -> GDBStopPointResult {
        if point.kind.isWatchpoint {
            guard point.length > 0 else { return .failed }
            if !watchpoints.contains(point) { watchpoints.append(point) }
        } else {
            breakpoints[point.address] = point.kind
        }
        return .done
    }

    func removeStopPoint(_ point: GDBStopPoint) -> GDBStopPointResult {
        if point.kind.isWatchpoint {
            guard let i = watchpoints.firstIndex(of: point) else { return .failed }
            watchpoints.remove(at: i)
        } else {
            guard breakpoints[point.address] == point.kind else { return .failed }
            breakpoints[point.address] = nil
        }
        return .done
    }

    /// The watchpoint an access hits, if any: byte ranges overlap and the access is of the kind
    /// watched (Z2 stores, Z3 loads, Z4 both). Reported at the first watched byte accessed, so
    /// the address is inside the range gdb watches.
    func watchpoint(hitBy address: UInt64, size: Int, isStore: Bool) -> (GDBStopPoint, UInt64)? {
        let ea = realAddress(address)
        for w in watchpoints {
            switch w.kind {
            case .writeWatchpoint where !isStore, .readWatchpoint where isStore: continue
            default: break
            }
            let start = realAddress(w.address)
            if ea < start &+ UInt64(w.length) && start < ea &+ UInt64(size) { return (w, max(ea, start)) }
        }
        return nil
    }
}

/// Records the first watched access of one instruction (the memory hook of a watched step).
final class WatchRecorder: InstructionHook {
    unowned let stub: GDBStub
    var hit: (point: GDBStopPoint, address: UInt64)?

    init(stub: GDBStub) { self.stub = stub }

    func willExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU) {}
    func didExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU) {}
    func memoryAccess(address: UInt64, size: Int, value: UInt64, isStore: Bool) {
        if hit == nil, let h = stub.watchpoint(hitBy: address, size: size, isStore: isStore) { hit = (h.0, h.1) }
    }
}

/// The signal gdb sees for an interrupt the guest did not take, as qemu-ppc64 reports them.
func gdbSignal(for interrupt: Interrupt) -> GDBSignal {
    switch interrupt {
    case .program(.trap): return .trap
    case .program(.illegalInstruction), .program(.privilegedInstruction): return .illegalInstruction
    case .program: return .floatingPointException
    case .alignment: return .busError
    case .machineCheck, .dataStorage, .dataSegment, .instructionStorage, .instructionSegment: return .segmentationFault
    default: return .illegalInstruction
    }
}

extension Partition {
    /// What running for gdb led to: a stop gdb hears about, or the end of the guest.
    enum GDBRun {
        case stopped(GDBStop)
        case ended(RunOutcome)
    }

    /// The thread gdb knows the current vCPU as.
    var gdbThread: GDBThreadID { current + 1 }

    /// `--gdb`: listens, waits for gdb before the first instruction and runs the guest as gdb
    /// asks until it exits, gdb kills it, or gdb detaches (then it runs on as without gdb).
    func runUnderGDB(_ endpoint: GDBEndpoint, tracer: Tracer?) -> RunOutcome {
        let listener: GDBTCPListener
        do {
            listener = try GDBTCPListener(host: endpoint.host, port: endpoint.port)
        } catch {
            return finish(71, "lpar: --gdb: cannot listen: \(error)")
        }
        return serveGDB(listener, host: endpoint.host, tracer: tracer)
    }

    /// The run under gdb on a listening socket (`runUnderGDB` once it listens; tests pass port 0).
    func serveGDB(_ listener: GDBTCPListener, host: String, tracer: Tracer?) -> RunOutcome {
        let address = "\(host):\(listener.port)"
        let stub = GDBStub(partition: self)
        var turnLeft = Self.quantum
        var initialStop = GDBStop(signal: .trap, thread: gdbThread)
        if config.gdbWait {
            say("lpar: waiting for gdb on \(address)")
        } else {
            say("lpar: gdb can attach on \(address)")
            switch runUntilGDBConnects(listener, stub: stub, tracer: tracer, turnLeft: &turnLeft) {
            case .ended(let outcome): return outcome
            case .stopped(let stop):
                initialStop = stop
                if let fault = stub.pendingFault {
                    say("lpar: \(fault.name) interrupt at \(where_(cpu.pc)) not handled; waiting for gdb on \(address)")
                }
            }
        }
        let session: GDBSession
        do {
            session = GDBSession(transport: try listener.accept(), target: stub, description: PowerTargetDescription.lpar)
        } catch {
            return finish(71, "lpar: --gdb: \(error)")
        }
        listener.close()
        do {
            var next = try session.waitForResume(initialStop: initialStop)
            while true {
                switch next {
                case .forward(let plan):
                    let run: GDBRun
                    if let stepper = plan.steppingThreads.first {
                        if stepper != gdbThread, vcpus.indices.contains(stepper - 1) { select(stepper - 1) }
                        if let a = plan.address { cpu.pc = a }
                        run = gdbStep(plan.motion(of: stepper)?.signal, stub: stub, tracer: tracer, turnLeft: &turnLeft)
                            ?? .stopped(GDBStop(signal: .trap, thread: gdbThread))
                    } else {
                        if let a = plan.address { cpu.pc = a }
                        let signal = plan.motions.values.compactMap(\.signal).first
                        run = try gdbContinue(signal, stub: stub, session: session, tracer: tracer, turnLeft: &turnLeft)
                    }
                    switch run {
                    case .stopped(let stop):
                        next = try session.reportStop(stop)
                    case .ended(let outcome):
                        try session.reportExit(gdbExit(outcome))
                        return outcome
                    }
                case .reverseStep(let t), .reverseContinue(let t):
                    // Not offered (supportsReverseExecution is false); answer as at history's start.
                    next = try session.reportStop(GDBStop(signal: .trap, thread: t, reason: .historyBegin))
                case .detach, .disconnected:
                    return runLoop(tracer: tracer)
                case .kill:
                    return finish(Int32(128 + 9), nil)
                }
            }
        } catch {
            return finish(71, "lpar: --gdb: the connection failed: \(error)")
        }
    }

    /// One line on stderr (lpar's reports go there; stdout is the guest's console).
    private func say(_ line: String) {
        let text = line + "\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
    }

    /// Runs 2^16 instructions (or what is left of the vCPU's turn) at full speed: nil to go on,
    /// or the stop gdb should see (an interrupt the guest did not take) or how the run ended.
    private func fullSpeedChunk(_ stub: GDBStub, _ tracer: Tracer?, turnLeft: inout UInt64) -> GDBRun? {
        let limit: UInt64 = vcpus.count > 1 ? min(1 << 16, turnLeft) : 1 << 16
        let before = interpreter.instructionsExecuted
        let stop = interpreter.run(limit: limit)
        turnLeft -= min(turnLeft, interpreter.instructionsExecuted - before)
        if case .interrupt(let i) = stop {
            stub.pendingFault = i
            return .stopped(GDBStop(signal: gdbSignal(for: i), thread: gdbThread))
        }
        if let outcome = route(stop, tracer, turnLeft: &turnLeft) { return .ended(outcome) }
        return nil
    }

    /// `--gdb-wait=no`: runs at full speed, looking for gdb's connection every 2^16
    /// instructions; stops when it is there or when the guest faults (then gdb, once it
    /// connects, sees the fault). Ends as without gdb if the guest exits first.
    private func runUntilGDBConnects(_ listener: GDBTCPListener, stub: GDBStub, tracer: Tracer?,
                                     turnLeft: inout UInt64) -> GDBRun {
        while true {
            if let run = fullSpeedChunk(stub, tracer, turnLeft: &turnLeft) { return run }
            var waiting = pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)
            if poll(&waiting, 1, 0) == 1 { return .stopped(GDBStop(signal: .trap, thread: gdbThread)) }
        }
    }

    /// How gdb hears of the end: the guest's own status (`W`), or the signal lpar stopped it with.
    private func gdbExit(_ outcome: RunOutcome) -> GDBExit {
        if hypervisor.exitStatus != nil || linux?.exitStatus != nil || outcome.exitStatus < 128 {
            return .exited(status: UInt8(truncatingIfNeeded: outcome.exitStatus))
        }
        return .terminated(GDBSignal(rawValue: UInt8(truncatingIfNeeded: outcome.exitStatus - 128)))
    }

    /// One instruction of the current vCPU, routed as the run loop routes stops (an hcall or
    /// system call completes within the step; an interrupt the guest takes enters its vector).
    /// nil when it completed; with watchpoints set, a watched access is reported before it
    /// happens: the instruction is run with a memory hook and, on a hit, undone.
    /// `signal`: gdb resumes with a signal it wants delivered (after a fault it reported): the
    /// guest cannot take it, so the run ends as lpar ends it without gdb.
    func gdbStep(_ signal: GDBSignal?, stub: GDBStub, tracer: Tracer?, turnLeft: inout UInt64) -> GDBRun? {
        if let signal, signal != .trap, signal != .interrupt, let i = stub.pendingFault {
            stub.pendingFault = nil
            if let ended = deliverAfterGDB(i, tracer) { return ended }
        }
        stub.pendingFault = nil
        let before = interpreter.instructionsExecuted
        let stop: StopReason
        if stub.watchpoints.isEmpty {
            stop = interpreter.run(limit: 1)
        } else {
            switch watchedStep(stub) {
            case .hit(let stop): return .stopped(stop)
            case .ran(let s): stop = s
            }
        }
        turnLeft -= min(turnLeft, interpreter.instructionsExecuted - before)
        if case .interrupt(let i) = stop {
            stub.pendingFault = i
            return .stopped(GDBStop(signal: gdbSignal(for: i), thread: gdbThread))
        }
        if let outcome = route(stop, tracer, turnLeft: &turnLeft) { return .ended(outcome) }
        return nil
    }

    /// gdb passes the signal of a fault it was shown: a Linux guest with a handler for it takes
    /// it there (as the kernel delivers it once the tracer lets it through); otherwise the run
    /// ends as lpar ends it without gdb.
    func deliverAfterGDB(_ fault: Interrupt, _ tracer: Tracer?) -> GDBRun? {
        if let process = linux {
            if process.deliverFault(fault, cpu: cpu) { return nil }
            if let status = process.exitStatus { return .ended(finish(status, process.stopReport)) }
        }
        return .ended(unhandled(fault, tracer))
    }

    enum WatchedStep {
        case hit(GDBStop)
        case ran(StopReason)
    }

    /// Runs one instruction with a memory hook; if it touched a watched byte, puts the registers
    /// and the memory around each watchpoint back as they were, so the pc is on the accessing
    /// instruction, not executed (gdb's powerpc has nonsteppable watchpoints: it then steps it
    /// itself with the watchpoints removed). The window of 256 bytes either side covers every
    /// store one instruction can make that reaches the watched range (dcbz, stmw, stswx: ≤ 128).
    private func watchedStep(_ stub: GDBStub) -> WatchedStep {
        let registers = cpu.snapshot()
        let windows: [(UInt64, [UInt8])] = stub.watchpoints.map { w in
            let start = stub.realAddress(w.address) &- min(256, stub.realAddress(w.address))
            return (start, stub.readMemory(at: start, count: w.length + 512, thread: gdbThread))
        }
        let recorder = WatchRecorder(stub: stub)
        var observer = MemoryHookObserver(hook: recorder)
        let executedBefore = interpreter.instructionsExecuted
        let stop = interpreter.run(observer: &observer, limit: 1)
        guard let hit = recorder.hit else { return .ran(stop) }
        for (i, r) in registers.enumerated() { cpu.state[i] = r }
        // The instruction still counted: keep the time base where it was.
        cpu.state[RegisterSlot.timeBaseOffset] &-= interpreter.instructionsExecuted &- executedBefore
        for (start, bytes) in windows where hit.point.kind != .readWatchpoint {
            _ = stub.writeMemory(at: start, bytes: bytes, thread: gdbThread)
        }
        return .hit(GDBStop(signal: .trap, thread: gdbThread, reason: .watchpoint(hit.point.kind, address: hit.address)))
    }

    /// `continue`: with stop points set, instruction by instruction, checking the pc against
    /// the breakpoints first; without, the normal chunked loop. Either way gdb's ^C is polled
    /// every 2^16 instructions.
    func gdbContinue(_ signal: GDBSignal?, stub: GDBStub, session: GDBSession, tracer: Tracer?,
                     turnLeft: inout UInt64) throws -> GDBRun {
        var first = true
        if stub.hasStopPoints {
            var n: UInt64 = 0
            while true {
                if let kind = stub.breakpoints[cpu.pc] {
                    return .stopped(GDBStop(signal: .trap, thread: gdbThread,
                                            reason: kind == .softwareBreakpoint ? .softwareBreakpoint : .hardwareBreakpoint))
                }
                if let run = gdbStep(first ? signal : nil, stub: stub, tracer: tracer, turnLeft: &turnLeft) { return run }
                first = false
                n &+= 1
                if n & 0xFFFF == 0, try session.pollInterrupt() { return .stopped(GDBStop(signal: .interrupt, thread: gdbThread)) }
            }
        }
        if let signal, signal != .trap, signal != .interrupt, let i = stub.pendingFault {
            stub.pendingFault = nil
            if let ended = deliverAfterGDB(i, tracer) { return ended }
        }
        stub.pendingFault = nil
        while true {
            if let run = fullSpeedChunk(stub, tracer, turnLeft: &turnLeft) { return run }
            if try session.pollInterrupt() { return .stopped(GDBStop(signal: .interrupt, thread: gdbThread)) }
        }
    }
}

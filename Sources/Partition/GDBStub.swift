#if canImport(Glibc)
import Glibc
#endif
import GDBRemote
import GuestMemory
import LinuxUser
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
    /// Z0 and Z1 breakpoints by the address gdb gave (an effective address).
    private(set) var breakpoints: [UInt64: GDBStopPointKind] = [:]
    /// The real address each breakpoint is armed at in the decode cache: the engine runs at
    /// full speed and stops before that instruction (`StopReason.breakpoint`).
    private var armed: [UInt64: UInt64] = [:]
    /// Breakpoints whose address does not translate when gdb sets them (a page the guest has
    /// not mapped yet): checked against the pc before each instruction, as watchpoints are.
    private var unresolved: Set<UInt64> = []
    /// Z2/Z3/Z4 watchpoints, in the order gdb set them.
    private(set) var watchpoints: [GDBStopPoint] = []
    /// The interrupt gdb was last told of as a signal: if gdb resumes delivering that signal,
    /// the guest cannot take it and the run ends as it would without gdb.
    var pendingFault: Interrupt?
    /// The recorded past for reverse execution (one vCPU only; nil otherwise).
    var history: ExecutionHistory?

    init(partition: Partition) { self.partition = partition }

    /// A stop point the decode cache cannot hold: the guest then runs one instruction at a time.
    var needsSingleSteps: Bool { !watchpoints.isEmpty || !unresolved.isEmpty }

    var threads: [GDBThreadID] { Array(1...partition.vcpus.count) }

    var supportsReverseExecution: Bool { history != nil }

    /// The run is in recorded history (after a reverse step or continue, before it catches up):
    /// the past cannot be edited, so gdb's register and memory writes are refused there, as gdb's
    /// own `record full` refuses them.
    var isReplaying: Bool {
        guard let history else { return false }
        return history.stamp(partition.interpreter) < history.lastStamp
    }

    private func cpu(_ thread: GDBThreadID) -> CPU? {
        partition.vcpus.indices.contains(thread - 1) ? partition.vcpus[thread - 1].cpu : nil
    }

    /// The register file slots of each gdb register number (PowerTargetDescription.withVectors), most
    /// significant first, and its size in bytes: vr0-vr31 are VSR 32-63 (two slots, 16 bytes),
    /// vs0h-vs31h the second doubleword of VSR 0-31 (the first is the FPR).
    private static func slots(_ regnum: Int) -> (slots: [Int], bytes: Int)? {
        switch regnum {
        case PowerRegisterNumber.vr(0)...PowerRegisterNumber.vr(31):
            let x = 32 + regnum - PowerRegisterNumber.vr(0)
            return ([VSRFile.highSlot(x), VSRFile.lowSlot(x)], 16)
        case PowerRegisterNumber.vscr: return ([RegisterSlot.vscr], 4)
        case PowerRegisterNumber.vrsave: return ([RegisterSlot.vrsave], 4)
        case PowerRegisterNumber.vsxHigh(0)...PowerRegisterNumber.vsxHigh(31):
            return ([VSRFile.lowSlot(regnum - PowerRegisterNumber.vsxHigh(0))], 8)
        default: return slot(regnum).map { ([$0.slot], $0.bytes) }
        }
    }

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
        guard let c = cpu(thread), let (slots, bytes) = Self.slots(regnum) else { return nil }
        return slots.flatMap { GDBRegister.bigEndianBytes(c.state[$0], byteCount: bytes / slots.count) }
    }

    func writeRegister(_ regnum: Int, bytes: [UInt8], thread: GDBThreadID) -> Bool {
        guard !isReplaying, let c = cpu(thread), let (slots, size) = Self.slots(regnum), bytes.count == size else { return false }
        let part = size / slots.count
        for (i, slot) in slots.enumerated() { c.state[slot] = GDBRegister.bigEndianValue(Array(bytes[i * part..<(i + 1) * part])) }
        noteEdit()
        return true
    }

    /// gdb changed the present: the history keeps it as a checkpoint, so going back and
    /// forward again arrives at the edited state, not at what re-execution alone would give.
    private func noteEdit() {
        history?.record(partition.interpreter, vcpuState: partition.vcpus[partition.current].state, afterHostExit: false, edited: true)
    }

    /// The real address of a guest address as the thread's vCPU sees it now: a Linux program's
    /// addresses are its own; a PAPR guest's go through its radix tree when MSR[DR] (MSR[IR]
    /// for code) is on, else real mode ignores EA bits 0:3 (0xc000… kernel addresses reach RAM
    /// at 0). nil: not mapped.
    func realAddress(_ address: UInt64, thread: GDBThreadID? = nil, code: Bool = false) -> UInt64? {
        let index = thread.map { $0 - 1 } ?? partition.current
        guard partition.vcpus.indices.contains(index) else { return nil }
        return partition.vcpus[index].interpreter.debugRealAddress(address, fetch: code)
    }

    /// Runs `body` over each piece of `[address, address + count)` that lies in one 4 KiB page,
    /// with that piece's real address; stops at the first page that does not translate.
    private func forEachPage(_ address: UInt64, _ count: Int, _ thread: GDBThreadID,
                             _ body: (_ real: UInt64, _ offset: Int, _ length: Int) -> Bool) {
        var done = 0
        while done < count {
            let ea = address &+ UInt64(done)
            let length = min(count - done, 4096 - Int(ea & 0xFFF))
            guard let real = realAddress(ea, thread: thread), body(real, done, length) else { return }
            done += length
        }
    }

    func readMemory(at address: UInt64, count: Int, thread: GDBThreadID) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        // The debugger reads what ptrace would: a Linux program's unreadable pages too.
        partition.memory.unprotected {
            forEachPage(address, count, thread) { real, _, length in
                for i in 0..<UInt64(length) {
                    guard let b = partition.memory.load8(real &+ i) else { return false }
                    bytes.append(b)
                }
                return true
            }
        }
        return bytes
    }

    func writeMemory(at address: UInt64, bytes: [UInt8], thread: GDBThreadID) -> Bool {
        guard !isReplaying, forceWrite(at: address, bytes: bytes, thread: thread) else { return false }
        noteEdit()
        return true
    }

    /// Writes guest memory even in recorded history (the engine's own undo of a watched step).
    @discardableResult
    func forceWrite(at address: UInt64, bytes: [UInt8], thread: GDBThreadID) -> Bool {
        // As a ptrace poke: a Linux program's read-only text can be patched (breakpoints).
        partition.memory.unprotected { forceWriteChecked(at: address, bytes: bytes, thread: thread) }
    }

    private func forceWriteChecked(at address: UInt64, bytes: [UInt8], thread: GDBThreadID) -> Bool {
        // Every page first, so a write that cannot complete changes nothing.
        var pieces: [(UInt64, Int, Int)] = []
        forEachPage(address, bytes.count, thread) { real, offset, length in
            pieces.append((real, offset, length)); return partition.memory.isWritable(real, UInt64(length))
        }
        guard pieces.reduce(0, { $0 + $1.2 }) == bytes.count else { return false }
        // GuestMemory.write tells the predecode cache, so patched code is decoded again.
        for (real, offset, length) in pieces {
            do { try partition.memory.write(bytes[offset..<offset + length], at: real) } catch { return false }
        }
        return true
    }

    func insertStopPoint(_ point: GDBStopPoint) -> GDBStopPointResult {
        if point.kind.isWatchpoint {
            guard point.length > 0 else { return .failed }
            if !watchpoints.contains(point) { watchpoints.append(point) }
        } else {
            breakpoints[point.address] = point.kind
            if armed[point.address] == nil, !unresolved.contains(point.address) { arm(point.address) }
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
            unresolved.remove(point.address)
            if let real = armed.removeValue(forKey: point.address), !armed.values.contains(real) {
                partition.interpreter.cache.disarmBreakpoint(real)
            }
        }
        return .done
    }

    /// Arms a breakpoint at the real address its address has now, for fetches.
    private func arm(_ address: UInt64) {
        if let real = realAddress(address, code: true), real < partition.memory.ramSize {
            armed[address] = real
            partition.interpreter.cache.armBreakpoint(real)
        } else {
            unresolved.insert(address)
        }
    }

    /// Every stop point goes (gdb detached): the guest runs on without any.
    func removeAll() {
        for real in Set(armed.values) { partition.interpreter.cache.disarmBreakpoint(real) }
        armed = [:]; unresolved = []; breakpoints = [:]; watchpoints = []
    }

    /// Runs `body` with the breakpoint at the current pc (if one is armed there) lifted, so the
    /// instruction under it executes: gdb steps and continues from a breakpoint that way.
    func withBreakpointLiftedAtPC<T>(_ body: () -> T) -> T {
        let cache = partition.interpreter.cache
        guard !cache.breakpoints.isEmpty, let real = realAddress(partition.cpu.pc, code: true),
              cache.breakpoints.contains(real & ~3) else { return body() }
        cache.disarmBreakpoint(real)
        defer { cache.armBreakpoint(real) }
        return body()
    }

    /// Runs `body` with every breakpoint lifted (replaying the past to a given step).
    func withBreakpointsLifted<T>(_ body: () -> T) -> T {
        let cache = partition.interpreter.cache
        let all = cache.breakpoints
        for real in all { cache.disarmBreakpoint(real) }
        defer { for real in all { cache.armBreakpoint(real) } }
        return body()
    }

    /// The watchpoint an access hits, if any: byte ranges overlap and the access is of the kind
    /// watched (Z2 stores, Z3 loads, Z4 both). Reported at the first watched byte accessed, so
    /// the address is inside the range gdb watches. Compared as effective addresses.
    func watchpoint(hitBy address: UInt64, size: Int, isStore: Bool) -> (GDBStopPoint, UInt64)? {
        // A PAPR guest in real mode ignores EA bits 0:3: 0xc000… and 0x0… are the same byte.
        let realMode = partition.linux == nil && partition.cpu.msr & MSR.dr == 0
        let address = realMode ? address & RadixMMU.realModeMask : address
        for w in watchpoints {
            switch w.kind {
            case .writeWatchpoint where !isStore, .readWatchpoint where isStore: continue
            default: break
            }
            let start = realMode ? w.address & RadixMMU.realModeMask : w.address
            if address < start &+ UInt64(w.length) && start < address &+ UInt64(size) { return (w, max(address, start)) }
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
            session = GDBSession(transport: try listener.accept(), target: stub, description: PowerTargetDescription.withVectors)
        } catch {
            return finish(71, "lpar: --gdb: \(error)")
        }
        listener.close()
        // The past is recorded from the moment gdb is there (one vCPU: see ExecutionHistory).
        if vcpus.count == 1, config.gdbHistoryLimit > 0,
           let history = ExecutionHistory(memory: memory, limit: Int(clamping: config.gdbHistoryLimit)) {
            history.record(interpreter, vcpuState: vcpus[current].state, afterHostExit: false)
            stub.history = history
        }
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
                case .reverseStep:
                    next = try session.reportStop(reverseStep(stub))
                case .reverseContinue:
                    next = try session.reportStop(reverseContinue(stub))
                case .detach, .disconnected:
                    stub.removeAll()
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

    /// What follows a stop of the engine under gdb: an interrupt the guest did not take becomes
    /// a stop gdb hears of; a host exit is routed as the run loop routes it — or, while the run
    /// is in recorded history, replaced by the checkpoint recorded after it, so the hypervisor
    /// and the Linux process are never asked twice. nil: run on.
    private func gdbHandle(_ stop: StopReason, _ stub: GDBStub, _ tracer: Tracer?, turnLeft: inout UInt64) -> GDBRun? {
        switch stop {
        case .interrupt(let i):
            stub.pendingFault = i
            return .stopped(GDBStop(signal: gdbSignal(for: i), thread: gdbThread))
        case .breakpoint:
            return nil
        case .instructionLimit:
            // In the past nothing arrives: a Linux guest's asynchronous signals wait for the present.
            if let history = stub.history, history.stamp(interpreter) < history.lastStamp { break }
            let signalWaiting = linux != nil && LinuxProcess.hostSignalArrived
            if let outcome = route(stop, tracer, turnLeft: &turnLeft) { return .ended(outcome) }
            // A signal taken between chunks changed the guest at this step: an edit of it, which
            // runs through the past take as gdb's own edits are taken.
            if signalWaiting, let history = stub.history {
                history.record(interpreter, vcpuState: vcpus[current].state, afterHostExit: false, edited: true)
            }
        case .systemCall, .idle:
            if let history = stub.history {
                let now = history.stamp(interpreter)
                if now < history.lastStamp, let k = history.checkpoint(afterHostExitAt: now) {
                    vcpus[current].state = history.restore(k, interpreter).vcpuState
                    return nil
                }
            }
            if let outcome = route(stop, tracer, turnLeft: &turnLeft) { return .ended(outcome) }
            if let history = stub.history {
                history.hostExits += 1
                history.record(interpreter, vcpuState: vcpus[current].state, afterHostExit: true)
            }
        }
        if let history = stub.history, history.isDue(interpreter) {
            history.record(interpreter, vcpuState: vcpus[current].state, afterHostExit: false)
        }
        return nil
    }

    /// Runs 2^16 instructions (or what is left of the vCPU's turn) at full speed, breakpoints
    /// armed in the decode cache: nil to go on, or the stop gdb should see (a breakpoint, an
    /// interrupt the guest did not take) or how the run ended.
    private func fullSpeedChunk(_ stub: GDBStub, _ tracer: Tracer?, turnLeft: inout UInt64) -> GDBRun? {
        var limit: UInt64 = vcpus.count > 1 ? min(1 << 16, turnLeft) : 1 << 16
        // In recorded history, run up to gdb's next edit exactly (half the distance at a time:
        // deliveries count as steps too) and take the edited state there.
        let edit = stub.history.flatMap { $0.edit(after: $0.stamp(interpreter)) }
        if let edit, let history = stub.history {
            let gap = edit.stamp - history.stamp(interpreter)
            limit = min(limit, gap > 32 ? (gap - 1) / 2 : 1)
        }
        defer { takeEdit(edit, stub) }
        let before = interpreter.instructionsExecuted
        var stop = interpreter.run(limit: limit)
        if stop == .breakpoint {
            if let kind = stub.breakpoints[cpu.pc] {
                turnLeft -= min(turnLeft, interpreter.instructionsExecuted - before)
                return .stopped(breakpointStop(kind))
            }
            // Another address of the same real instruction (an alias mapping): not gdb's.
            stop = stub.withBreakpointLiftedAtPC { interpreter.run(limit: 1) }
        }
        turnLeft -= min(turnLeft, interpreter.instructionsExecuted - before)
        return gdbHandle(stop, stub, tracer, turnLeft: &turnLeft)
    }

    /// Arrived at the step where gdb edited the state: the edited state replaces the replayed one.
    private func takeEdit(_ edit: (index: Int, stamp: UInt64)?, _ stub: GDBStub) {
        guard let edit, let history = stub.history, history.stamp(interpreter) == edit.stamp else { return }
        vcpus[current].state = history.restore(edit.index, interpreter).vcpuState
    }

    private func breakpointStop(_ kind: GDBStopPointKind) -> GDBStop {
        GDBStop(signal: .trap, thread: gdbThread, reason: kind == .softwareBreakpoint ? .softwareBreakpoint : .hardwareBreakpoint)
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

    /// gdb resumed with a signal after a fault it was told of: the guest cannot take it, so
    /// the run ends as lpar ends it without gdb. nil: go on (the fault is forgotten).
    private func resumeAfterFault(_ signal: GDBSignal?, _ stub: GDBStub, _ tracer: Tracer?) -> GDBRun? {
        defer { stub.pendingFault = nil }
        guard let signal, signal != .trap, signal != .interrupt, let i = stub.pendingFault else { return nil }
        // In recorded history the delivery was recorded: take it rather than deliver again.
        if let history = stub.history, let k = history.checkpoint(afterHostExitAt: history.stamp(interpreter)),
           history.stamp(interpreter) < history.lastStamp {
            vcpus[current].state = history.restore(k, interpreter).vcpuState
            return nil
        }
        if let ended = deliverAfterGDB(i, tracer) { return ended }
        // The guest's handler took it: for the history, a host exit (the frame is lpar's doing).
        if let history = stub.history {
            history.hostExits += 1
            history.record(interpreter, vcpuState: vcpus[current].state, afterHostExit: true)
        }
        return nil
    }

    /// One instruction of the current vCPU, routed as the run loop routes stops (an hcall or
    /// system call completes within the step; an interrupt the guest takes enters its vector),
    /// the breakpoint under the pc lifted. nil when it completed; with watchpoints set, a
    /// watched access is reported before it happens: the instruction is run with a memory hook
    /// and, on a hit, undone.
    func gdbStep(_ signal: GDBSignal?, stub: GDBStub, tracer: Tracer?, turnLeft: inout UInt64) -> GDBRun? {
        if let end = resumeAfterFault(signal, stub, tracer) { return end }
        let edit = stub.history.flatMap { $0.edit(after: $0.stamp(interpreter)) }
        defer { takeEdit(edit, stub) }
        let before = interpreter.instructionsExecuted
        let stop: StopReason
        if stub.watchpoints.isEmpty {
            stop = stub.withBreakpointLiftedAtPC { interpreter.run(limit: 1) }
        } else {
            switch watchedStep(stub) {
            case .hit(let stop): return .stopped(stop)
            case .ran(let s): stop = s
            }
        }
        turnLeft -= min(turnLeft, interpreter.instructionsExecuted - before)
        // A breakpoint here means the step entered an interrupt vector holding one: it is done.
        return gdbHandle(stop, stub, tracer, turnLeft: &turnLeft)
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

    /// Runs one instruction with a memory hook; if it touched a watched byte, puts the vCPU and
    /// the memory around each watchpoint back as they were, so the pc is on the accessing
    /// instruction, not executed (gdb's powerpc has nonsteppable watchpoints: it then steps it
    /// itself with the watchpoints removed). The window of 256 bytes either side covers every
    /// store one instruction can make that reaches the watched range (dcbz, stmw, stswx: ≤ 128).
    private func watchedStep(_ stub: GDBStub) -> WatchedStep {
        let vcpu = interpreter.checkpoint()
        let windows: [(UInt64, [UInt8])] = stub.watchpoints.map { w in
            let start = w.address &- min(256, w.address)
            return (start, stub.readMemory(at: start, count: w.length + 512, thread: gdbThread))
        }
        let recorder = WatchRecorder(stub: stub)
        var observer = MemoryHookObserver(hook: recorder)
        let stop = stub.withBreakpointLiftedAtPC { interpreter.run(observer: &observer, limit: 1) }
        guard let hit = recorder.hit else { return .ran(stop) }
        // Undone as if it never ran: registers, count and time base (the history's steps agree).
        interpreter.restore(vcpu)
        for (start, bytes) in windows where hit.point.kind != .readWatchpoint {
            stub.forceWrite(at: start, bytes: bytes, thread: gdbThread)
        }
        return .hit(GDBStop(signal: .trap, thread: gdbThread, reason: .watchpoint(hit.point.kind, address: hit.address)))
    }

    /// `continue`: breakpoints stop the engine from the decode cache, so it runs in full-speed
    /// chunks; a watchpoint (or a breakpoint not mapped yet) makes it go instruction by
    /// instruction, checking the pc against the breakpoints first. Either way gdb's ^C is
    /// polled every 2^16 instructions.
    func gdbContinue(_ signal: GDBSignal?, stub: GDBStub, session: GDBSession, tracer: Tracer?,
                     turnLeft: inout UInt64) throws -> GDBRun {
        var first = true
        if stub.needsSingleSteps {
            var n: UInt64 = 0
            while true {
                if let kind = stub.breakpoints[cpu.pc] { return .stopped(breakpointStop(kind)) }
                if let run = gdbStep(first ? signal : nil, stub: stub, tracer: tracer, turnLeft: &turnLeft) { return run }
                first = false
                n &+= 1
                if n & 0xFFFF == 0, try session.pollInterrupt() { return .stopped(GDBStop(signal: .interrupt, thread: gdbThread)) }
            }
        }
        if let end = resumeAfterFault(signal, stub, tracer) { return end }
        // gdb continues from a breakpoint's address only with it removed; a hardware one may
        // still be there: the instruction under the pc runs first.
        if stub.breakpoints[cpu.pc] != nil {
            let before = interpreter.instructionsExecuted
            let stop = stub.withBreakpointLiftedAtPC { interpreter.run(limit: 1) }
            turnLeft -= min(turnLeft, interpreter.instructionsExecuted - before)
            if let run = gdbHandle(stop, stub, tracer, turnLeft: &turnLeft) { return run }
        }
        while true {
            if let run = fullSpeedChunk(stub, tracer, turnLeft: &turnLeft) { return run }
            if try session.pollInterrupt() { return .stopped(GDBStop(signal: .interrupt, thread: gdbThread)) }
        }
    }

    // MARK: - Reverse execution

    private func historyBeginStop() -> GDBStop { GDBStop(signal: .trap, thread: gdbThread, reason: .historyBegin) }

    /// One step of replay: an instruction (or a delivery), a host exit replaced by its
    /// checkpoint. false when the past cannot be replayed from here (an interrupt the guest
    /// did not take, or a host exit with no checkpoint after it).
    private func replayStep(_ history: ExecutionHistory, limit: UInt64) -> Bool {
        let stop = interpreter.run(limit: limit)
        switch stop {
        case .instructionLimit, .breakpoint: return true
        case .interrupt, .systemCall, .idle:
            guard let k = history.checkpoint(afterHostExitAt: history.stamp(interpreter)) else { return false }
            vcpus[current].state = history.restore(k, interpreter).vcpuState
            return true
        }
    }

    /// Re-executes from where the run is (in the past, at a step no later than `target`) to
    /// the step `target`, or as close below it as `within` allows. Each chunk is at most half
    /// the distance left, since a chunk of n instructions can also deliver up to n + 1
    /// interrupts; the last steps go one at a time.
    private func replay(_ history: ExecutionHistory, to target: UInt64, within: UInt64 = 0) -> Bool {
        while true {
            let now = history.stamp(interpreter)
            if now >= target &- min(target, within) { return now <= target }
            let gap = target - now
            guard replayStep(history, limit: gap > 32 ? (gap - 1) / 2 : 1) else { return false }
        }
    }

    /// `bs`: back to the state one gdb step before this one. The previous state is found by
    /// replaying from the checkpoint before it, step by step over the last stretch, then the
    /// checkpoint is restored again and replayed to exactly that step.
    func reverseStep(_ stub: GDBStub) -> GDBStop {
        guard let history = stub.history else { return historyBeginStop() }
        let now = history.stamp(interpreter)
        guard now > history.oldestStamp, let k = history.checkpoint(atOrBefore: now - 1) else { return historyBeginStop() }
        return stub.withBreakpointsLifted {
            vcpus[current].state = history.restore(k, interpreter).vcpuState
            var previous = history.stamp(interpreter)
            guard replay(history, to: now, within: 32) else { return historyBeginStop() }
            while history.stamp(interpreter) < now {
                previous = history.stamp(interpreter)
                guard replayStep(history, limit: 1) else { return historyBeginStop() }
            }
            vcpus[current].state = history.restore(k, interpreter).vcpuState
            _ = replay(history, to: previous)
            return GDBStop(signal: .trap, thread: gdbThread)
        }
    }

    /// `bc`: back to the last breakpoint hit before now, or to the start of the history. Each
    /// interval between checkpoints, newest first, is replayed with the breakpoints armed,
    /// noting the steps at which the pc reached one of gdb's; the last such step wins.
    func reverseContinue(_ stub: GDBStub) -> GDBStop {
        guard let history = stub.history else { return historyBeginStop() }
        var end = history.stamp(interpreter)
        guard end > history.oldestStamp, var k = history.checkpoint(atOrBefore: end - 1) else { return historyBeginStop() }
        while true {
            vcpus[current].state = history.restore(k, interpreter).vcpuState
            var lastHit: (stamp: UInt64, kind: GDBStopPointKind)?
            while true {
                let now = history.stamp(interpreter)
                if now >= end { break }
                let gap = end - now
                let stop = interpreter.run(limit: gap > 32 ? (gap - 1) / 2 : 1)
                if stop == .breakpoint {
                    if let kind = stub.breakpoints[cpu.pc], history.stamp(interpreter) < end { lastHit = (history.stamp(interpreter), kind) }
                    guard stub.withBreakpointLiftedAtPC({ replayStep(history, limit: 1) }) else { break }
                    continue
                }
                if stop == .instructionLimit { continue }
                // A host exit: replaced by the checkpoint after it; anything else ends the stretch.
                guard let next = history.checkpoint(afterHostExitAt: history.stamp(interpreter)) else { break }
                vcpus[current].state = history.restore(next, interpreter).vcpuState
            }
            if let hit = lastHit {
                vcpus[current].state = history.restore(k, interpreter).vcpuState
                _ = stub.withBreakpointsLifted { replay(history, to: hit.stamp) }
                return breakpointStop(hit.kind)
            }
            guard k > 0 else {
                vcpus[current].state = history.restore(0, interpreter).vcpuState
                return historyBeginStop()
            }
            end = history.checkpoints[k].stamp
            k -= 1
        }
    }
}

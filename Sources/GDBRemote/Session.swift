// One gdb connection driving one target, synchronously. The engine's loop:
//
//     var next = try session.waitForResume(initialStop: GDBStop(signal: .trap, thread: 1))
//     while case .forward(let plan) = next {               // (and the reverse cases)
//         ... run per plan; every so often `if try session.pollInterrupt() { stop = SIGINT }` ...
//         next = try session.reportStop(stop)               // or reportExit and leave
//     }
//
// While stopped, the session answers gdb's queries against the GDBTarget by itself and only
// returns when gdb asks the guest to move, detaches, kills it or goes away.

public final class GDBSession {
    public struct Options: Sendable {
        /// Largest packet gdb may send us and the reply size we promise to stay within.
        public var packetSize = 0x4000
        /// Compress runs in replies (registers full of zeros shrink a lot); gdb always accepts it.
        public var runLengthEncodeReplies = true
        /// The `qAttached` answer: true makes gdb detach, not kill, when it quits.
        public var attachedToExistingProcess = true

        public init() {}
    }

    let target: GDBTarget
    let description: GDBTargetDescription
    let options: Options
    let channel: GDBPacketChannel
    let targetXML: [UInt8]
    /// Registers in `g` order, with their size.
    let layout: [GDBRegister]
    let registerByNumber: [Int: GDBRegister]

    var lastStop = GDBStop(signal: .trap, thread: nil)
    var generalThread: GDBThreadID?
    var resumeThread: GDBThreadID?
    var gdbAcceptsSwbreak = false
    var gdbAcceptsHwbreak = false

    /// `log` receives each packet in and out (for a `--trace gdb` style option).
    public init(transport: GDBByteTransport, target: GDBTarget, description: GDBTargetDescription,
                options: Options = Options(), log: ((String) -> Void)? = nil) {
        self.target = target
        self.description = description
        self.options = options
        self.channel = GDBPacketChannel(transport: transport, runLengthEncoding: options.runLengthEncodeReplies, log: log)
        self.targetXML = Array(description.xml.utf8)
        self.layout = description.registers
        self.registerByNumber = Dictionary(description.registers.map { ($0.regnum, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Before the guest's first instruction: serves gdb (which asks `?` and gets `initialStop`)
    /// until it resumes, detaches or kills.
    public func waitForResume(initialStop: GDBStop) throws -> GDBResume {
        noteStop(initialStop)
        return try serve()
    }

    /// The guest stopped after a resume: sends the stop reply gdb is waiting for, then serves
    /// until the next resume.
    public func reportStop(_ stop: GDBStop) throws -> GDBResume {
        noteStop(stop)
        do {
            try channel.send(GDBReply.stop(stop, gdbAcceptsSwbreak: gdbAcceptsSwbreak, gdbAcceptsHwbreak: gdbAcceptsHwbreak))
        } catch GDBTransportError.closed {
            return .disconnected
        }
        return try serve()
    }

    /// While the guest runs: true when gdb sent ^C (stop with `GDBSignal.interrupt`) or hung up
    /// (then `reportStop` returns `.disconnected`). One poll(2) when nothing is waiting, so call
    /// it every few thousand instructions, not every one.
    public func pollInterrupt() throws -> Bool {
        do {
            return try channel.pollInterrupt()
        } catch GDBTransportError.closed {
            return true
        }
    }

    /// The guest ended: tells gdb (`W`/`X`). The session is over after this.
    public func reportExit(_ exit: GDBExit) throws {
        do {
            try channel.send(GDBReply.exit(exit))
        } catch GDBTransportError.closed {
            // gdb is gone already; nobody to tell.
        }
    }

    func noteStop(_ stop: GDBStop) {
        lastStop = stop
        // gdb assumes the stopped thread is selected afterwards (it sends Hg if it wants another).
        generalThread = nil
        resumeThread = nil
    }

    var firstThread: GDBThreadID { target.threads.first ?? 1 }
    var currentThread: GDBThreadID { generalThread ?? lastStop.thread ?? firstThread }

    enum Outcome {
        case reply([UInt8])
        case noReply
        case replyThenResume([UInt8], GDBResume)
        case resume(GDBResume)
        case replyThenNoAck([UInt8])
    }

    func serve() throws -> GDBResume {
        do {
            while true {
                let command = GDBCommand(packet: try channel.receivePacket())
                switch handle(command) {
                case .reply(let r): try channel.send(r)
                case .noReply: break
                case .replyThenResume(let r, let resume):
                    try channel.send(r)
                    return resume
                case .resume(let resume): return resume
                case .replyThenNoAck(let r):
                    try channel.send(r)  // still acknowledged: gdb's `+` for this OK is the last one
                    channel.ackMode = false
                }
            }
        } catch GDBTransportError.closed {
            return .disconnected
        }
    }

    func handle(_ command: GDBCommand) -> Outcome {
        switch command {
        case .querySupported(let features):
            gdbAcceptsSwbreak = features.contains("swbreak+")
            gdbAcceptsHwbreak = features.contains("hwbreak+")
            return .reply(GDBReply.supported(packetSize: options.packetSize, reverseExecution: target.supportsReverseExecution))
        case .startNoAckMode:
            return .replyThenNoAck(GDBReply.ok)
        case let .readFeatures(annex, offset, length):
            guard annex == "target.xml" else { return .reply(GDBReply.error(0)) }
            let chunk = min(length, options.packetSize / 2)  // escapes can double binary bytes
            return .reply(GDBReply.transferChunk(of: targetXML, offset: offset, length: chunk))
        case .haltReason:
            return .reply(GDBReply.stop(lastStop, gdbAcceptsSwbreak: gdbAcceptsSwbreak, gdbAcceptsHwbreak: gdbAcceptsHwbreak))

        case .readRegisters:
            var hex: [UInt8] = []
            for r in layout { hex += registerHex(r, thread: currentThread) }
            return .reply(hex)
        case .writeRegisters(let data):
            guard data.count == layout.reduce(0, { $0 + $1.byteCount }) else { return .reply(GDBReply.invalid) }
            var offset = 0
            for r in layout {
                let value = Array(data[offset..<(offset + r.byteCount)])
                offset += r.byteCount
                guard target.writeRegister(r.regnum, bytes: value, thread: currentThread) else { return .reply(GDBReply.invalid) }
            }
            return .reply(GDBReply.ok)
        case .readRegister(let n):
            guard let r = registerByNumber[n] else { return .reply(GDBReply.invalid) }
            return .reply(registerHex(r, thread: currentThread))
        case let .writeRegister(n, value):
            guard let r = registerByNumber[n], value.count == r.byteCount,
                  target.writeRegister(n, bytes: value, thread: currentThread) else { return .reply(GDBReply.invalid) }
            return .reply(GDBReply.ok)

        case let .readMemory(address, length):
            let count = min(length, (options.packetSize - 8) / 2)
            let bytes = count == 0 ? [] : target.readMemory(at: address, count: count, thread: currentThread)
            if bytes.isEmpty && count > 0 { return .reply(GDBReply.badAddress) }
            return .reply(GDBHex.encode(bytes.prefix(count)))
        case let .writeMemory(address, bytes):
            if bytes.isEmpty { return .reply(GDBReply.ok) }  // gdb's probe for X support
            return .reply(target.writeMemory(at: address, bytes: bytes, thread: currentThread) ? GDBReply.ok : GDBReply.badAddress)

        case .insertStopPoint(let p):
            return .reply(stopPointReply(target.insertStopPoint(p)))
        case .removeStopPoint(let p):
            return .reply(stopPointReply(target.removeStopPoint(p)))

        case let .continue(motion, address):
            // Old-style `c`: every thread runs, the signal (if any) goes to the selected one.
            var motions: [GDBThreadID: GDBThreadMotion] = [:]
            let selected = resumeThread ?? currentThread
            for t in target.threads { motions[t] = t == selected ? motion : .continue }
            return .resume(.forward(GDBResumePlan(motions: motions, address: address)))
        case let .step(motion, address):
            return .resume(.forward(GDBResumePlan(motions: [resumeThread ?? currentThread: motion], address: address)))
        case .vContQuery:
            return .reply(GDBReply.vContActions)
        case .vCont(let actions):
            let threads = target.threads
            var motions: [GDBThreadID: GDBThreadMotion] = [:]
            for t in threads {
                // The leftmost action that names a thread applies to it; `0` means one arbitrary
                // thread, taken to be the current one.
                let action = actions.first { a in
                    if case .any = a.threads { return t == currentThread }
                    return a.threads.matches(t)
                }
                if let a = action { motions[t] = a.motion }
            }
            guard !motions.isEmpty else { return .reply(GDBReply.invalid) }
            return .resume(.forward(GDBResumePlan(motions: motions)))
        case .reverseStep:
            guard target.supportsReverseExecution else { return .reply(GDBReply.empty) }
            return .resume(.reverseStep(resumeThread ?? currentThread))
        case .reverseContinue:
            guard target.supportsReverseExecution else { return .reply(GDBReply.empty) }
            return .resume(.reverseContinue(resumeThread ?? currentThread))

        case let .selectThread(operation, selector):
            var chosen: GDBThreadID? = nil
            if case .thread(let t) = selector {
                guard target.threads.contains(t) else { return .reply(GDBReply.invalid) }
                chosen = t
            }
            switch operation {
            case .general: generalThread = chosen
            case .resume: resumeThread = chosen
            }
            return .reply(GDBReply.ok)
        case .threadListFirst:
            return .reply(GDBReply.threadList(target.threads))
        case .threadListNext:
            return .reply(GDBReply.threadList([]))
        case .currentThread:
            return .reply(GDBReply.currentThread(currentThread))
        case .threadAlive(let selector):
            if case .thread(let t) = selector, !target.threads.contains(t) { return .reply(GDBReply.invalid) }
            return .reply(GDBReply.ok)
        case .queryAttached:
            return .reply(Array((options.attachedToExistingProcess ? "1" : "0").utf8))
        case .queryOffsets:
            // Guests are loaded where their ELF says: no relocation to report.
            return .reply(Array("Text=0;Data=0;Bss=0".utf8))
        case .querySymbol:
            return .reply(GDBReply.ok)

        case .kill:
            return .resume(.kill)  // gdb expects no reply to `k`
        case .vKill:
            return .replyThenResume(GDBReply.ok, .kill)
        case .detach:
            return .replyThenResume(GDBReply.ok, .detach)
        case .unsupported:
            return .reply(GDBReply.empty)
        case .malformed:
            return .reply(GDBReply.invalid)
        }
    }

    func registerHex(_ r: GDBRegister, thread: GDBThreadID) -> [UInt8] {
        if let bytes = target.readRegister(r.regnum, thread: thread), bytes.count == r.byteCount {
            return GDBHex.encode(bytes)
        }
        return Array(repeating: UInt8(ascii: "x"), count: 2 * r.byteCount)
    }

    func stopPointReply(_ result: GDBStopPointResult) -> [UInt8] {
        switch result {
        case .done: return GDBReply.ok
        case .unsupported: return GDBReply.empty
        case .failed: return GDBReply.badAddress
        }
    }
}

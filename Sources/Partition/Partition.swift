#if canImport(Glibc)
import Glibc
#endif
import GuestMemory
import GuestELF
import PowerISA
import PowerJIT
import PAPR
import LinuxUser

/// Everything needed to build a machine.
public struct PartitionConfig {
    public var elfPath: String
    /// Guest RAM in bytes (default 256 MiB).
    public var memorySize: UInt64 = 256 << 20
    /// Arguments after `--` on the command line (the guest's bootargs).
    public var guestArguments: [String] = []
    /// Stop the guest after this many instructions, all vCPUs together (nil = no limit).
    public var maxInstructions: UInt64?
    /// `--smp N,threads=T`: N vCPUs in cores of T threads (a PAPR guest; a Linux program has one).
    public var processors = 1
    public var threadsPerCore = 1
    /// Stop the guest after this many seconds of wall-clock time (nil = no limit).
    public var timeout: Double?
    /// `--nvdimm` devices, in slot order.
    public var nvdimms: [NVDIMMConfig] = []
    public var scmBlocksPerCall: UInt64 = 1
    public var scmContinueStatus: Int64 = HcallStatus.busy
    public var scmSlowFlush = false
    /// `--trace`: which events to write, how and where.
    public var trace = TraceOptions()
    /// `--stats`: count mnemonics and hcalls, and time the run.
    public var collectStatistics = false
    /// `--backtrace-insns`: how many recent instructions a fault report lists.
    public var backtraceInstructions = 0
    /// `--abi`: which system-call personality the guest gets (auto: from the ELF).
    public var abi: ABIChoice = .auto
    /// `--root`: the directory a Linux program sees as `/` (nil: host paths as they are).
    public var root: String?
    /// A Linux program's environment (nil: lpar's own, as qemu-ppc64 passes its own).
    public var environment: [String]?
    /// `--rtc base=`: the RTAS time of day at time base 0, in nanoseconds since the epoch (nil:
    /// the host's clock when the partition starts).
    public var rtcBase: Int64?
    /// H_RANDOM from SplitMix64 with this seed (nil: the host's random numbers).
    public var randomSeed: UInt64?
    /// `--gdb`: wait for gdb on this address before the first instruction (see GDBStub).
    public var gdb: GDBEndpoint?
    /// `--gdb-wait=no`: run until gdb connects or the guest faults, instead of waiting first.
    public var gdbWait = true
    /// Bytes the recorded past for gdb's reverse execution may hold (0: none is recorded).
    public var gdbHistoryLimit: UInt64 = 1 << 30
    /// Which engine runs untraced code (`--engine`): the interpreter, or the block compiler
    /// with the interpreter for everything it does not translate.
    public var engine: Engine = .interpreter
    public init(elfPath: String) { self.elfPath = elfPath }
}

/// A failure to build the machine: one line for the user and the exit status to use.
public struct PartitionError: Error, CustomStringConvertible {
    public let description: String
    public let exitCode: Int32
}

/// The execution engine of untraced runs.
public enum Engine: String, CaseIterable, Sendable {
    case interpreter, jit
}

/// How a run ended.
public struct RunOutcome {
    /// The status lpar exits with: the guest's own, or what a shell shows for a process killed
    /// by the matching signal (132 SIGILL, 133 SIGTRAP, 139 SIGSEGV), as qemu-ppc64 does.
    public let exitStatus: Int32
    /// Why the guest was stopped, when it did not end by itself (for stderr).
    public let report: String?
    public let instructions: UInt64
    /// With `collectStatistics`: what the run did.
    public var statistics: RunStatistics?
    /// `sc 0` system calls a Linux program made.
    public var systemCalls: UInt64 = 0
}

/// Assembles a machine from a config: guest memory, the loaded ELF, a CPU and interpreter, the
/// hypervisor; runs it and routes every trap the interpreter returns.
public final class Partition {
    public let config: PartitionConfig
    public let memory: GuestMemory
    public let image: ELFImage
    /// The machine's vCPUs; vCPU 0 starts at the entry, the others are stopped until RTAS
    /// start-cpu. `cpu` and `interpreter` are the vCPU whose turn it is.
    public internal(set) var vcpus: [VCPU] = []
    public internal(set) var cpu: CPU
    public internal(set) var interpreter: Interpreter
    var current = 0
    /// The tracer of the run in progress (names the vCPU in each line).
    var activeTracer: Tracer?
    public let hypervisor: Hypervisor
    /// The Linux personality, when the guest is a Linux program (then `sc 0` goes here).
    public private(set) var linux: LinuxProcess?

    /// Exit statuses for a guest stopped by lpar.
    public enum ExitCode {
        public static let illegalInstruction: Int32 = 128 + 4   // SIGILL
        public static let trap: Int32 = 128 + 5                 // SIGTRAP
        public static let memoryFault: Int32 = 128 + 11         // SIGSEGV
        public static let busError: Int32 = 128 + 7             // SIGBUS (alignment)
        public static let floatingPointException: Int32 = 128 + 8  // SIGFPE (FP enabled exception)
        public static let instructionLimit: Int32 = 124         // as timeout(1) reports a timeout
        /// --timeout: what a shell shows for a process killed by SIGALRM (124 is --max-insns).
        public static let timeout: Int32 = 128 + 14
        /// Ctrl-A x on a raw console.
        public static let quit: Int32 = 128 + 2
        /// The trace could not be written completely (EX_IOERR).
        public static let traceWriteFailed: Int32 = 74
    }

    /// Guest address of the flattened device tree (r3 at entry).
    public private(set) var deviceTreeAddress: UInt64 = 0
    /// The PC that opens the trace window (`--trace-from`), resolved against the ELF's symbols.
    let traceStart: UInt64?
    /// hcalls by name and status, and interrupts delivered by kind (with `collectStatistics`).
    private var hcallCounts: [String: [Int64: UInt64]] = [:]
    private var interruptCounts: [String: UInt64] = [:]
    private var monitor: RunMonitor?
    /// The block compiler (`--engine jit`), shared by the vCPUs; nil with the interpreter or
    /// when the host refused executable memory (`BlockEngine.refusal`).
    public private(set) var blockEngine: BlockEngine?

    public init(config: PartitionConfig, console: Console = Console(), markNVDIMMsInUse: Bool = true) throws(PartitionError) {
        self.config = config
        // The personality decides the RAM size: a Linux program is linked at its own addresses
        // (0x10000000 for ppc64), so its RAM spans the image plus --memory for heap, mmap and stack.
        var ramSize = config.memorySize
        let personality: Personality
        var loaderPath: String?
        do {
            let inspected = try ELFLoader.inspect(path: config.elfPath)
            personality = PersonalityDetector.personality(for: inspected, choice: config.abi)
            loaderPath = inspected.interpreterPath
            // (An image above 1 TiB keeps --memory and is refused by the loader with its reason.)
            // The stack and mmap regions go at the top of at least 4 GiB, far from the image
            // and heap as under Linux, so that wild pointers between them (0x20000000) fault;
            // --memory stays the budget of heap, mmap and stack (AddressSpace.budget). Only
            // the pages used cost host memory.
            if personality == .linux, inspected.highestAddress < 1 << 40 {
                ramSize = min(max((inspected.highestAddress + 0xFFFF) & ~0xFFFF + config.memorySize, 1 << 32), 1 << 40)
            }
        } catch {
            throw PartitionError(description: error.description, exitCode: error.exitCode)
        }
        if personality == .linux, let loaderPath {
            throw PartitionError(description: "\(config.elfPath): dynamically linked (it needs \(loaderPath)); lpar runs static Linux programs: link with -static",
                                 exitCode: 65)
        }
        do {
            memory = try GuestMemory(ramSize: ramSize, deviceSize: SCMController.deviceRegionSize(config.nvdimms))
        } catch {
            throw PartitionError(description: "\(error)", exitCode: 64)
        }
        do {
            image = try ELFLoader.load(path: config.elfPath, into: memory, placement: personality == .linux ? .virtual : .pseries)
        } catch {
            throw PartitionError(description: error.description, exitCode: error.exitCode)
        }
        if let from = config.trace.from {
            guard let address = Self.resolve(from, in: image.symbols) else {
                throw PartitionError(description: "--trace-from: '\(from)' is neither a symbol of \(config.elfPath) nor an address", exitCode: 64)
            }
            traceStart = address
        } else {
            traceStart = nil
        }
        let count = personality == .linux ? 1 : max(config.processors, 1)
        // One decode cache and one translation context for the machine: every vCPU decodes into
        // and translates through them; the hypervisor registers process tables in the latter.
        let cache = DecodeCache(memory: memory)
        let mmu = MMUContext()
        for i in 0..<count {
            let c = CPU()
            c.processorID = UInt32(i)
            c.msr = MSR.sf | MSR.me
            // DEC starts at its largest positive value: no decrementer interrupt is pending at
            // reset, so a guest that enables MSR[EE] before programming DEC is not interrupted.
            c[RegisterSlot.decrementerBase] = 0x7FFF_FFFF
            vcpus.append(VCPU(index: i, cpu: c, interpreter: Interpreter(cpu: c, memory: memory, deliversInterrupts: personality != .linux, cache: cache, mmu: mmu),
                              state: i == 0 ? .running : .stopped))
        }
        cpu = vcpus[0].cpu
        interpreter = vcpus[0].interpreter
        hypervisor = Hypervisor(memory: memory, console: console, mmu: mmu)
        hypervisor.configureProcessors(count)
        hypervisor.xics.lineChanged = { [unowned self] server, asserted in self.vcpus[server].interpreter.externalPending = asserted }
        hypervisor.timeBase = { [unowned self] in self.interpreter.timeBase }
        if config.engine == .jit {
            blockEngine = BlockEngine.make(memory: memory, cache: cache, deliversInterrupts: personality != .linux)
        }
        hypervisor.timeOfDay = TimeOfDay(base: config.rtcBase)
        hypervisor.entropy = EntropySource(seed: config.randomSeed)
        do {
            hypervisor.scm = try SCMController.open(config.nvdimms, memory: memory, markInUse: markNVDIMMsInUse)
        } catch {
            throw PartitionError(description: error.description, exitCode: 66)
        }
        hypervisor.scm.blocksPerCall = config.scmBlocksPerCall
        hypervisor.scm.continueStatus = config.scmContinueStatus
        hypervisor.scm.slowFlush = config.scmSlowFlush
        if personality == .linux {
            try enterLinux()
            return
        }
        let blob: [UInt8]
        do { blob = try deviceTree() } catch { throw PartitionError(description: "\(error)", exitCode: 70) }
        // The firmware area at the top of RAM: RTAS's code, then the tree in the last 64 KiB.
        let firmwareBase = DeviceTree.firmwareBase(ramSize: memory.ramSize)
        deviceTreeAddress = firmwareBase + DeviceTree.firmwareSize - 0x10000
        // A program reaching there would be overwritten.
        if let s = image.segments.first(where: { image.physicalAddress(of: $0) < firmwareBase + DeviceTree.firmwareSize && firmwareBase < image.physicalAddress(of: $0) + $0.memorySize }) {
            throw PartitionError(description: "\(config.elfPath): segment at 0x\(String(image.physicalAddress(of: s), radix: 16)) (size 0x\(String(s.memorySize, radix: 16))) reaches the device tree and RTAS at 0x\(String(firmwareBase, radix: 16)) at the top of RAM; try a larger --memory", exitCode: 65)
        }
        do {
            try memory.write(blob, at: deviceTreeAddress)
            try memory.write(DeviceTree.rtasStub.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (24 - 8 * $0)) } }, at: firmwareBase)
        } catch { throw PartitionError(description: "\(error)", exitCode: 70) }
        enterPAPR()
        hypervisor.processorControl = self
    }

    /// The flattened device tree this machine gives its guest.
    public func deviceTree() throws(DeviceTreeError) -> [UInt8] {
        try DeviceTree.build(MachineDescription(ramSize: memory.ramSize, bootargs: config.guestArguments.joined(separator: " "),
                                                nvdimms: hypervisor.scm.nvdimms, processors: vcpus.count, threadsPerCore: config.threadsPerCore))
    }

    /// The state a PAPR guest starts in, as QEMU's pseries gives a `-kernel` image and Linux's
    /// ppc64 boot protocol describes: 64-bit, big-endian, supervisor, real mode; r3 = device
    /// tree, r4 = load address, r5 = 0.
    private func enterPAPR() {
        cpu.msr = MSR.sf | MSR.me
        cpu.pc = image.entry
        cpu.gpr[2] = image.toc ?? 0
        cpu.gpr[3] = deviceTreeAddress
        cpu.gpr[4] = image.lowestAddress
        cpu.gpr[5] = 0
    }

    /// Starts a Linux program: its process, initial stack and registers (see `LinuxProcess`).
    /// argv[0] is the ELF path as given, the rest the arguments after `--`.
    private func enterLinux() throws(PartitionError) {
        // As under Linux (mmap_min_addr), the first 64 KiB are never mapped: a NULL dereference
        // is SIGSEGV and a NULL buffer to a system call EFAULT, as under qemu-ppc64.
        if image.lowestAddress >= 64 << 10 { memory.unmapLowMemory(64 << 10) }
        let process = LinuxProcess(memory: memory, program: ProgramInfo(image: image), root: config.root)
        // From here on the program's memory has its protections (AddressSpace.swift).
        process.addressSpace.budget = config.memorySize
        process.enforceProtections()
        var random = [UInt8](repeating: 0, count: 16)
        for i in 0..<16 { random[i] = UInt8.random(in: 0...255) }
        let env = config.environment ?? LinuxProcess.hostEnvironment()
        let info = ProcessStartInfo(arguments: [config.elfPath] + config.guestArguments, environment: env,
                                    execPath: config.elfPath, random: random)
        do {
            _ = try process.start(cpu: cpu, info: info)
        } catch {
            throw PartitionError(description: "the arguments and environment do not fit in the guest's \(LinuxProcess.stackSize >> 20) MiB stack", exitCode: 64)
        }
        linux = process
        process.threads.control = self
    }

    /// `main`, `main+0x1c` (as traces print addresses), `0x10040` or `65600`.
    static func resolve(_ text: String, in symbols: SymbolTable) -> UInt64? {
        if let a = symbols.address(of: text) { return a }
        if let plus = text.lastIndex(of: "+"), let base = symbols.address(of: String(text[..<plus])),
           let offset = parseNumber(String(text[text.index(after: plus)...])) {
            return base &+ offset
        }
        return parseNumber(text)
    }

    static func parseNumber(_ text: String) -> UInt64? {
        let t = text.lowercased()
        return t.hasPrefix("0x") ? UInt64(t.dropFirst(2), radix: 16) : UInt64(t)
    }

    /// Runs the guest to its end.
    public func run() -> RunOutcome {
        let tracer = config.trace.kinds.isEmpty ? nil : Tracer(options: config.trace, symbols: image.symbols)
        defer { tracer?.flush() }
        activeTracer = tracer
        let traceInterrupts = tracer != nil && config.trace.kinds.contains(.interrupt)
        if traceInterrupts || config.collectStatistics {
            for v in vcpus {
                v.interpreter.interruptObserver = { [unowned self, cpu = v.cpu, config] interrupt, pc in
                    if traceInterrupts { tracer?.interrupt(interrupt, pc: pc, cpu: cpu) }
                    if config.collectStatistics { self.interruptCounts[interrupt.name, default: 0] += 1 }
                }
            }
        }
        select(current)
        if config.trace.observesInstructions || traceStart != nil || config.collectStatistics || config.backtraceInstructions > 0 {
            monitor = RunMonitor(tracer: tracer, options: config.trace, windowStart: traceStart,
                                 backtrace: config.backtraceInstructions, countOps: config.collectStatistics && config.engine == .interpreter)
        }
        // A PAPR guest's console on a terminal: raw, with QEMU's Ctrl-A x to quit.
        if linux == nil, HostTerminal.enterRaw(hypervisor.console.inputFD) {
            hypervisor.console.interceptsEscape = true
            let note = "lpar: the console is in raw mode: Ctrl-A x quits\n"
            _ = note.withCString { write(2, $0, strlen($0)) }
        }
        defer { HostTerminal.restore() }
        let started = monotonicNanoseconds()
        var outcome = config.gdb.map { runUnderGDB($0, tracer: tracer) } ?? runLoop(tracer: tracer)
        tracer?.flush()
        // A trace cut short (full disk, `ulimit -f`) must not pass for a complete one: say so
        // and exit 74 (EX_IOERR) instead of the guest's status.
        if let e = tracer?.writeError {
            let line = "lpar: the trace is incomplete: writing it failed: \(String(cString: strerror(e)))"
            outcome = RunOutcome(exitStatus: ExitCode.traceWriteFailed, report: outcome.report.map { $0 + "\n" + line } ?? line,
                                 instructions: outcome.instructions, statistics: nil)
        }
        if config.collectStatistics {
            let seconds = Double(monotonicNanoseconds() - started) / 1e9
            outcome = RunOutcome(exitStatus: outcome.exitStatus, report: outcome.report, instructions: outcome.instructions,
                                 statistics: RunStatistics(instructions: outcome.instructions, seconds: seconds,
                                                           exitStatus: outcome.exitStatus, opCounts: monitor?.opCounts ?? [],
                                                           hcalls: hcallCounts, syscalls: linux?.syscallCountsByName ?? [],
                                                           interrupts: interruptCounts,
                                                           perVCPU: vcpus.map(\.interpreter.instructionsExecuted),
                                                           radixWalks: vcpus.reduce(0) { $0 + $1.interpreter.radixWalks }))
            if config.engine == .jit {
                outcome.statistics?.engineNote = blockEngine.map { "engine jit (mnemonic counts need --engine interpreter); " + $0.summary }
                    ?? "engine jit is off on this host (\(BlockEngine.refusal ?? "unknown reason")): the interpreter ran"
            }
        }
        return outcome
    }

    /// Runs the interpreter in chunks and routes every stop. While a monitor needs each
    /// instruction the observed loop runs; otherwise (and as soon as a trace window has closed)
    /// the unobserved one, which pays nothing for tracing.
    func runLoop(tracer: Tracer?) -> RunOutcome {
        // With --timeout the clock (a vDSO call, ~20 ns) is read between chunks and after every
        // hcall: 2^16 instructions take well under a millisecond even in a debug or ASan build,
        // so a runaway guest stops within ~10 ms of the deadline at no measurable cost.
        let chunk: UInt64 = config.timeout == nil ? 1 << 24 : 1 << 16
        let deadline = config.timeout.map { monotonicNanoseconds() &+ UInt64($0 * 1e9) }
        linux?.runDeadline = deadline.map { Int64(clamping: $0) }
        var hookObserver = monitor.map { HookObserver(hook: $0) }
        var memoryObserver = monitor.map { MemoryHookObserver(hook: $0) }
        var countingObserver = monitor.map { CountingObserver(counts: $0.opCountBuffer) }
        // What is left of the current vCPU's turn (several vCPUs only).
        var turnLeft = Self.quantum
        while true {
            // Ctrl-A x while the guest is not reading its console: looked for once a chunk.
            if hypervisor.console.interceptsEscape {
                hypervisor.console.pollInput()
                if hypervisor.console.quitRequested { return quitByUser() }
            }
            // A signal delivered when a thread got its turn may have ended the process.
            if let process = linux, let status = process.exitStatus { return finish(status, process.stopReport) }
            if let deadline, monotonicNanoseconds() >= deadline {
                let t = config.timeout!
                return stopped(ExitCode.timeout, "timeout", "lpar: guest stopped after \(t == t.rounded() ? "\(Int(t))" : "\(t)") s (--timeout) at \(where_(cpu.pc))", tracer)
            }
            var limit = vcpus.count > 1 ? min(chunk, turnLeft) : chunk
            // While a Linux guest catches host signals, shorter chunks bound their latency.
            if let process = linux, process.catchesHostSignals { limit = min(limit, 1 << 20) }
            if let max = config.maxInstructions {
                let left = max - min(max, instructionsExecuted)
                if left == 0 {
                    return stopped(ExitCode.instructionLimit, "instruction-limit",
                                   "lpar: guest stopped after \(max) instructions (--max-insns) at \(where_(cpu.pc))", tracer)
                }
                limit = min(limit, left)
            }
            let stop: StopReason
            let before = interpreter.instructionsExecuted
            if let monitor, monitor.needsHook {
                // Small chunks, so a closed trace window hands over to a faster loop soon.
                stop = monitor.traceMemory ? interpreter.run(observer: &memoryObserver!, limit: min(limit, 1 << 16))
                                           : interpreter.run(observer: &hookObserver!, limit: min(limit, 1 << 16))
            } else if let monitor, monitor.countOps {
                stop = interpreter.run(observer: &countingObserver!, limit: limit)
            } else if let blockEngine {
                stop = blockEngine.run(interpreter, limit: limit)
            } else {
                stop = interpreter.run(limit: limit)
            }
            turnLeft -= min(turnLeft, interpreter.instructionsExecuted - before)
            if let outcome = route(stop, tracer, turnLeft: &turnLeft) { return outcome }
        }
    }

    /// Handles one stop of the interpreter as the machine does (a vCPU's turn ending, system
    /// calls, hcalls, idling, an unhandled interrupt): nil to run on, or how the run ended.
    /// The run loop and the gdb stub's single steps both come here.
    func route(_ stop: StopReason, _ tracer: Tracer?, turnLeft: inout UInt64) -> RunOutcome? {
        switch stop {
        case .instructionLimit:
            // A Linux guest's asynchronous signals (its timers, host signals it handles) are
            // taken between chunks: one atomic load per chunk.
            if let process = linux, LinuxProcess.hostSignalArrived {
                process.deliverPendingSignals(cpu: cpu)
                if let status = process.exitStatus { return finish(status, process.stopReport) }
            }
            if vcpus.count > 1 && turnLeft == 0 {
                guard schedule() else { return noVCPUCanRun(tracer) }
                turnLeft = Self.quantum
            }
        case .systemCall(level: 0) where linux != nil:
            let process = linux!
            if vcpus.count > 1, deferredBlockingCall(process) { turnLeft = Self.quantum; return nil }
            let wantText = (tracer?.windowOpen ?? false) && config.trace.kinds.contains(.syscall)
            traced(sc: 0x4400_0002, tracer) {
                let record = process.systemCall(cpu: cpu, render: wantText)
                return { tracer, pc in if wantText { tracer.syscall(record, pc: pc) } }
            }
            if let status = process.exitStatus { return finish(status, process.stopReport) }
            // A thread that waits, ended or yielded hands the turn on (LinuxThreads.swift).
            if vcpus[current].state != .running || process.threads.yieldRequested {
                guard switchThread() else { return noVCPUCanRun(tracer) }
                turnLeft = Self.quantum
            }
        case .systemCall(level: _) where linux != nil:
            // What Linux does with `sc 1` from user mode: SIGILL.
            cpu.pc -= 4
            return stopped(ExitCode.illegalInstruction, "hypervisor-call",
                           "lpar: hypervisor call (sc 1) at \(where_(cpu.pc)) in a Linux program: SIGILL, as Linux gives one", tracer)
        case .systemCall(level: 1):
            traced(sc: 0x4400_0022, tracer) {
                let record = hypervisor.hypercall(cpu: cpu)
                if config.collectStatistics {
                    hcallCounts[record.spec?.name ?? "hcall 0x" + String(record.opcode, radix: 16), default: [:]][record.status, default: 0] += 1
                }
                return { [config] tracer, pc in if config.trace.kinds.contains(.hcall) { tracer.hcall(record, pc: pc) } }
            }
            if hypervisor.console.quitRequested { return quitByUser() }
            if let status = hypervisor.exitStatus { return finish(status, nil) }
            if hypervisor.cedeRequested {
                // H_CEDE: the vCPU idles with MSR[EE] = 1 until an interrupt is due.
                hypervisor.cedeRequested = false
                cpu.msr |= MSR.ee
                vcpus[current].state = .idle(hcall: true)
            }
            // H_CEDE or RTAS stop-self: another vCPU's turn (or, alone, time moves on).
            if vcpus[current].state != .running {
                guard schedule() else { return noVCPUCanRun(tracer) }
                turnLeft = Self.quantum
            }
        case .systemCall(level: _):
            // sc 0 in a PAPR guest is an interrupt the engine delivers; it never gets here.
            return stopped(ExitCode.illegalInstruction, "system-call", "lpar: system call at \(where_(cpu.pc - 4)) not taken", tracer)
        case .idle:
            // `wait`: the vCPU idles until an interrupt is due; time moves on to it.
            vcpus[current].state = .idle(hcall: false)
            guard schedule() else { return noVCPUCanRun(tracer) }
            turnLeft = Self.quantum
        case .interrupt(let interrupt):
            // A Linux guest's fault goes to its handler when it has one (a signal frame, and
            // on it runs); without one, lpar reports it and exits as the kernel's kill would.
            if let process = linux {
                if process.deliverFault(interrupt, cpu: cpu) { return nil }
                if let status = process.exitStatus { return finish(status, process.stopReport) }
            }
            return unhandled(interrupt, tracer)
        case .breakpoint:
            // Only gdb arms breakpoints, and it removes them all when it goes; one left behind
            // is forgotten and the instruction runs.
            interpreter.cache.disarmBreakpoint(interpreter.debugRealAddress(cpu.pc, fetch: true) ?? cpu.pc)
        }
        return nil
    }

    /// Ctrl-A x on the console: the run ends with 130, as a shell reports a program stopped by
    /// the user (128 + SIGINT).
    func quitByUser() -> RunOutcome {
        finish(ExitCode.quit, "lpar: quit (Ctrl-A x) at \(where_(cpu.pc))")
    }

    /// Ends a run in which no vCPU can run again: each is stopped, or idles with MSR[EE] = 0.
    func noVCPUCanRun(_ tracer: Tracer?) -> RunOutcome {
        if let report = linux?.deadlockReport { return stopped(ExitCode.instructionLimit, "deadlock", report, tracer) }
        let why: String
        switch vcpus[current].state {
        case .stopped where vcpus.count == 1: why = "the guest stopped itself (RTAS stop-self) at \(where_(cpu.pc)) and no other vCPU can start it"
        case .idle where vcpus.count == 1: why = "the guest waits at \(where_(cpu.pc - 4)) with MSR[EE] = 0: no interrupt can wake it"
        default: why = "no vCPU can run again: each is stopped or waits with MSR[EE] = 0 (the last to run was at \(where_(cpu.pc)))"
        }
        return stopped(ExitCode.instructionLimit, "idle", "lpar: " + why, tracer)
    }

    /// Ends the run on an interrupt the guest did not take (a Linux program: the signal the
    /// kernel would send; a PAPR guest: no handler at the vector), with the one-line report of
    /// the cause; `cpu.pc` is the instruction that raised it.
    func unhandled(_ interrupt: Interrupt, _ tracer: Tracer?) -> RunOutcome {
        let word = memory.load32(linux == nil ? cpu.pc & 0x0FFF_FFFF_FFFF_FFFF : cpu.pc)
        let asm = word.map { disassembly($0) } ?? ""
        let hex = word.map { "0x" + hex32($0) } ?? "?"
        let noHandler = linux == nil ? " (no handler at 0x\(String(interrupt.vector, radix: 16)))" : ""
        switch interrupt {
        case .program(.illegalInstruction):
            return stopped(ExitCode.illegalInstruction, "illegal-instruction", "lpar: illegal instruction \(hex) at \(where_(cpu.pc))\(asm)", tracer)
        case .program(.privilegedInstruction):
            return stopped(ExitCode.illegalInstruction, "privileged-instruction", "lpar: privileged instruction \(hex) in problem state at \(where_(cpu.pc))\(asm)", tracer)
        case .program(.trap):
            return stopped(ExitCode.trap, "trap", "lpar: trap instruction \(hex) at \(where_(cpu.pc))\(asm)", tracer)
        case .program(.floatingPointEnabled) where linux != nil:
            let code = LinuxProcess.fpeCodeName(LinuxProcess.fpeCode(fpscr: cpu.fpscr))
            return stopped(ExitCode.floatingPointException, "floating-point",
                           "lpar: floating-point exception (\(code), FPSCR 0x\(String(cpu.fpscr, radix: 16))) at \(where_(cpu.pc))\(asm)", tracer)
        case .machineCheck(let fault) where linux != nil:
            // A Linux program: nothing is mapped there (SEGV_MAPERR).
            let what = fault.kind == .fetch ? "instruction fetch" : "\(fault.kind) of \(fault.size) byte\(fault.size == 1 ? "" : "s")"
            var place = "nothing is mapped there"
            if let space = linux?.addressSpace, fault.address < space.stackBottom, fault.address >= space.stackBottom &- AddressSpace.guardGap {
                place = "the guard gap below the \(LinuxProcess.stackSize >> 20) MiB stack (a stack overflow?)"
            }
            return stopped(ExitCode.memoryFault, "memory", "lpar: \(what) at 0x\(String(fault.address, radix: 16)): \(place) (pc \(where_(cpu.pc))\(asm))", tracer)
        case .machineCheck(let fault):
            return stopped(ExitCode.memoryFault, "memory", "lpar: \(fault) (pc \(where_(cpu.pc))\(asm))", tracer)
        case .dataStorage(let address, let dsisr) where linux != nil && dsisr & DSISR.protection != 0:
            let what = dsisr & DSISR.store != 0 ? "store to memory without write permission" : "load from memory without read permission"
            return stopped(ExitCode.memoryFault, "memory", "lpar: \(what) at 0x\(String(address, radix: 16)) (pc \(where_(cpu.pc))\(asm))", tracer)
        case .instructionStorage where linux != nil:
            return stopped(ExitCode.memoryFault, "memory", "lpar: instruction fetch from memory without execute permission at \(where_(cpu.pc))", tracer)
        case .dataStorage(let address, let dsisr):
            let what = dsisr & DSISR.protection != 0 && dsisr & DSISR.store != 0 ? "store to read-only memory" : "data storage interrupt (DSISR 0x\(String(dsisr, radix: 16)))"
            return stopped(ExitCode.memoryFault, "memory", "lpar: \(what) at 0x\(String(address, radix: 16)) (pc \(where_(cpu.pc))\(asm))\(noHandler)", tracer)
        case .alignment(let address):
            return stopped(ExitCode.busError, "alignment", "lpar: misaligned access at 0x\(String(address, radix: 16)) (pc \(where_(cpu.pc))\(asm))\(noHandler)", tracer)
        case .systemCall:
            return stopped(ExitCode.illegalInstruction, "system-call",
                           "lpar: system call (sc 0) at \(where_(cpu.pc)) in a PAPR guest\(noHandler)", tracer)
        default:
            return stopped(ExitCode.illegalInstruction, "interrupt", "lpar: \(interrupt.name) interrupt at \(where_(cpu.pc))\(asm)\(noHandler)", tracer)
        }
    }

    /// Handles the `sc` just executed (`cpu.pc` is after it) with its trace: the `sc` line comes
    /// after the call, so it shows the registers the call set (r3, CR0…), then the call's own
    /// event, which `handle` returns as a closure; both belong to the one instruction.
    private func traced(sc word: UInt32, _ tracer: Tracer?, _ handle: () -> (Tracer, UInt64) -> Void) {
        let pc = cpu.pc - 4
        let line = config.trace.kinds.contains(.insn) && (tracer?.windowOpen ?? false)
        if line { tracer?.saveRegisters(cpu) }
        let event = handle()
        guard let tracer else { return }
        if line { tracer.instruction(pc: pc, word: word, cpu: cpu) }
        event(tracer, pc)
        if line { monitor?.countTracedInstruction() }
    }

    /// Ends a run lpar stopped: the one-line reason (also a `fault` trace event), then the recent
    /// instructions and the registers (except after --max-insns and --timeout: not guest errors).
    func stopped(_ status: Int32, _ reason: String, _ line: String, _ tracer: Tracer?) -> RunOutcome {
        // With several vCPUs the report says whose it is: `lpar: cpu1: illegal instruction …`.
        var line = line
        if vcpus.count > 1, line.hasPrefix("lpar: "), !line.hasPrefix("lpar: no vCPU"), !line.hasPrefix("lpar: deadlock") {
            line = "lpar: \(processorName(current)): " + line.dropFirst(6)
        }
        if let tracer, config.trace.kinds.contains(.fault) { tracer.fault(reason: reason, pc: cpu.pc, message: line) }
        if status == ExitCode.instructionLimit || status == ExitCode.timeout { return finish(status, line) }
        return finish(status, line + recentInstructions() + registerDump())
    }

    /// `--backtrace-insns N`: the last N instructions before the stop, oldest first.
    func recentInstructions() -> String {
        guard let recent = monitor?.recentInstructions, !recent.isEmpty else { return "" }
        var s = "\n  last \(recent.count) instructions:"
        for (pc, word) in recent {
            let asm = Disassembler.text(word, address: pc) { [image] in
                let s = image.symbols.describe($0); return s.hasPrefix("0x") ? nil : s
            }
            s += "\n    " + image.symbols.describe(pc).padding(22) + "  " + hex64(pc) + "  " + hex32(word) + "  " + asm
        }
        return s
    }

    func finish(_ status: Int32, _ report: String?) -> RunOutcome {
        var outcome = RunOutcome(exitStatus: status, report: report, instructions: instructionsExecuted, statistics: nil)
        outcome.systemCalls = linux?.syscallCount ?? 0
        return outcome
    }

    /// `0x10000234 <main+0x14>`.
    public func where_(_ address: UInt64) -> String {
        let sym = image.symbols.describe(address)
        return sym.hasPrefix("0x") ? "0x" + String(address, radix: 16) : "0x\(String(address, radix: 16)) <\(sym)>"
    }

    /// `: ld r3,0(r9)` when the word is an instruction lpar knows (it may not execute it yet).
    func disassembly(_ word: UInt32) -> String {
        let text = Disassembler.text(word, address: cpu.pc)
        return text.hasPrefix(".long") ? "" : ": " + text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// The registers, four to a line, after a fault report.
    public func registerDump() -> String {
        var s = ""
        for row in 0..<8 {
            s += "\n "
            for col in 0..<4 {
                let r = row * 4 + col
                let name = "r\(r)".padding(3)
                s += " \(name)=\(hex64(cpu.gpr[r]))"
            }
        }
        s += "\n  pc=\(hex64(cpu.pc)) lr=\(hex64(cpu.lr)) ctr=\(hex64(cpu.ctr))"
        s += "\n  cr=\(hex32(cpu.cr)) xer=\(hex64(cpu.xer)) msr=\(hex64(cpu.msr))"
        return s
    }
}

func hex32(_ v: UInt32) -> String { let s = String(v, radix: 16); return String(repeating: "0", count: 8 - s.count) + s }
func hex64(_ v: UInt64) -> String { let s = String(v, radix: 16); return String(repeating: "0", count: 16 - s.count) + s }
extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}

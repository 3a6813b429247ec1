import PowerISA

/// Everything a run watches instruction by instruction, when asked: the instruction and memory
/// trace with its `--trace-from`/`--trace-count` window, the ring of recent instructions for
/// fault reports (`--backtrace-insns`), and per-mnemonic counts (`--stats`). A run that asks
/// for none of these has no monitor and runs the unobserved interpreter loop.
final class RunMonitor: InstructionHook {
    let tracer: Tracer?
    let traceInstructions: Bool
    let traceMemory: Bool
    /// The PC that opens the trace window (nil: open from the start).
    let windowStart: UInt64?
    /// Instructions still to trace once the window is open (nil: no limit).
    private var windowBudget: UInt64?
    private(set) var windowClosed = false
    let countOps: Bool
    /// Per-operation counters (`CountingObserver` increments them directly).
    let opCountBuffer: UnsafeMutablePointer<UInt64>
    var opCounts: [UInt64] { countOps ? Array(UnsafeBufferPointer(start: opCountBuffer, count: Op.allCases.count)) : [] }
    /// The last `ringSize` instructions executed (PC and word), oldest first from `ringNext`.
    private let ringSize: Int
    private let ringPCs: UnsafeMutablePointer<UInt64>
    private let ringWords: UnsafeMutablePointer<UInt32>
    private var ringNext = 0
    private var ringFilled = false
    /// Memory accesses of the current instruction, written after its line.
    private var pendingMemory: [(address: UInt64, size: Int, value: UInt64, isStore: Bool)] = []

    init(tracer: Tracer?, options: TraceOptions, windowStart: UInt64?, backtrace: Int, countOps: Bool) {
        self.tracer = tracer
        traceInstructions = options.kinds.contains(.insn)
        traceMemory = options.kinds.contains(.mem)
        self.windowStart = windowStart
        windowBudget = options.count
        self.countOps = countOps
        opCountBuffer = .allocate(capacity: Op.allCases.count)
        opCountBuffer.initialize(repeating: 0, count: Op.allCases.count)
        ringSize = backtrace
        ringPCs = .allocate(capacity: max(backtrace, 1))
        ringWords = .allocate(capacity: max(backtrace, 1))
        pendingMemory.reserveCapacity(8)
        tracer?.windowOpen = windowStart == nil
    }

    deinit {
        opCountBuffer.deallocate()
        ringPCs.deallocate()
        ringWords.deallocate()
    }

    /// Whether the interpreter must call this hook for each instruction (else counting alone,
    /// if asked, is done by `CountingObserver`).
    var needsHook: Bool {
        ringSize > 0 || ((traceInstructions || traceMemory || windowStart != nil) && !windowClosed)
    }

    @inline(__always) var tracing: Bool { tracer?.windowOpen ?? false }

    func willExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU) {
        if countOps { opCountBuffer[Int(op.rawValue)] &+= 1 }
        if let tracer, !tracer.windowOpen, !windowClosed, pc == windowStart { tracer.windowOpen = true }
        if traceInstructions, tracing { tracer?.saveRegisters(cpu) }
    }

    func didExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU) {
        if ringSize > 0 {
            ringPCs[ringNext] = pc
            ringWords[ringNext] = word
            ringNext += 1
            if ringNext == ringSize { ringNext = 0; ringFilled = true }
        }
        guard let tracer, tracer.windowOpen else { return }
        if traceInstructions { tracer.instruction(pc: pc, word: word, cpu: cpu) }
        for m in pendingMemory { tracer.memory(pc: pc, address: m.address, size: m.size, value: m.value, isStore: m.isStore) }
        pendingMemory.removeAll(keepingCapacity: true)
        countTracedInstruction()
    }

    func memoryAccess(address: UInt64, size: Int, value: UInt64, isStore: Bool) {
        if traceMemory, tracing { pendingMemory.append((address, size, value, isStore)) }
    }

    /// An instruction that left the interpreter (sc) is traced by the run loop; it counts too.
    func countTracedInstruction() {
        guard let left = windowBudget else { return }
        if left <= 1 {
            windowBudget = 0
            windowClosed = true
            tracer?.windowOpen = false
        } else {
            windowBudget = left - 1
        }
    }

    /// The recent instructions, oldest first.
    var recentInstructions: [(pc: UInt64, word: UInt32)] {
        let order = ringFilled ? Array(ringNext..<ringSize) + Array(0..<ringNext) : Array(0..<ringNext)
        return order.map { (pc: ringPCs[$0], word: ringWords[$0]) }
    }
}


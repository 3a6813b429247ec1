import GuestMemory

/// Why the engine returned to its caller: a host exit. Architectural interrupts are delivered
/// by the engine itself when `Interpreter.deliversInterrupts` is on (PAPR guests); otherwise,
/// or when the guest has no handler for one, they come here as `.interrupt` with `cpu.pc` at
/// the instruction that caused it.
public enum StopReason: Equatable, Sendable {
    /// `sc LEV` executed and the machine handles it (sc 1: the hypervisor; sc 0 in the Linux
    /// personality: the kernel lpar plays); `cpu.pc` already points after it.
    case systemCall(level: Int)
    /// An interrupt that was not delivered to the guest; `cpu.pc` is where it was raised.
    case interrupt(Interrupt)
    /// The guest waits for an interrupt (`wait`, or a run of H_CEDE): the machine may move time
    /// on to the next timer event. `cpu.pc` is after the instruction.
    case idle
    /// The instruction budget given to `run` is used up.
    case instructionLimit
    /// The next instruction is at a breakpoint of the decode cache (`DecodeCache.armBreakpoint`):
    /// it has not executed, `cpu.pc` is on it. Only a debugger sets breakpoints.
    case breakpoint
}

/// Receives execution events. The interpreter's run loop is specialised for each observer type;
/// with `isActive == false` (see `NoObserver`) every call is compiled out.
public protocol ExecutionObserver {
    static var isActive: Bool { get }
    /// Also report loads and stores (only consulted when `isActive`).
    static var observesMemory: Bool { get }
    /// The observer looks at the CPU (so `cpu.pc` must be current when it is called).
    static var readsCPU: Bool { get }
    /// The slice translates addresses (MSR[IR]/[DR] = 1): only `Translating` says so.
    static var translates: Bool { get }
    /// Loads check the page's read permission and stores its write permission before they
    /// touch RAM (a Linux process: `GuestMemory.enforceProtections`): only `Protected` says so.
    static var checksAccess: Bool { get }
    mutating func willExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU)
    mutating func didExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU)
    mutating func memoryAccess(address: UInt64, size: Int, value: UInt64, isStore: Bool)
}

public extension ExecutionObserver {
    static var observesMemory: Bool { false }
    static var readsCPU: Bool { true }
    static var translates: Bool { false }
    static var checksAccess: Bool { false }
    mutating func willExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU) {}
    mutating func didExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU) {}
    mutating func memoryAccess(address: UInt64, size: Int, value: UInt64, isStore: Bool) {}
}

/// The observer of an untraced run: costs nothing.
public struct NoObserver: ExecutionObserver {
    public static var isActive: Bool { false }
    public init() {}
}

/// A class that watches execution through `HookObserver`: the interpreter's loop is specialised
/// for that observer inside PowerISA, so only these three calls are dynamic. Tracing, fault
/// backtraces and trace windows in other modules use it.
public protocol InstructionHook: AnyObject {
    func willExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU)
    func didExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU)
    func memoryAccess(address: UInt64, size: Int, value: UInt64, isStore: Bool)
}

/// Reports each instruction to a hook.
public struct HookObserver: ExecutionObserver {
    public static var isActive: Bool { true }
    public let hook: InstructionHook
    public init(hook: InstructionHook) { self.hook = hook }
    @inline(__always) public mutating func willExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU) { hook.willExecute(pc: pc, word: word, op: op, cpu: cpu) }
    @inline(__always) public mutating func didExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU) { hook.didExecute(pc: pc, word: word, op: op, cpu: cpu) }
}

/// Reports each instruction and each load and store to a hook.
public struct MemoryHookObserver: ExecutionObserver {
    public static var isActive: Bool { true }
    public static var observesMemory: Bool { true }
    public let hook: InstructionHook
    public init(hook: InstructionHook) { self.hook = hook }
    @inline(__always) public mutating func willExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU) { hook.willExecute(pc: pc, word: word, op: op, cpu: cpu) }
    @inline(__always) public mutating func didExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU) { hook.didExecute(pc: pc, word: word, op: op, cpu: cpu) }
    @inline(__always) public mutating func memoryAccess(address: UInt64, size: Int, value: UInt64, isStore: Bool) {
        hook.memoryAccess(address: address, size: size, value: value, isStore: isStore)
    }
}

/// Counts executed instructions per operation (`lpar run --stats`): one increment each.
public struct CountingObserver: ExecutionObserver {
    public static var isActive: Bool { true }
    /// `Op.allCases.count` counters, indexed by `Op.rawValue`; owned by the caller.
    public let counts: UnsafeMutablePointer<UInt64>
    public static var readsCPU: Bool { false }
    public init(counts: UnsafeMutablePointer<UInt64>) { self.counts = counts }
    @inline(__always) public mutating func willExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU) { counts[Int(op.rawValue)] &+= 1 }
}

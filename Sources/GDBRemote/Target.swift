// What the engine gives the stub: its state, read and written while the guest is stopped. The
// engine never hears about packets; it calls GDBSession between instructions and gets back what
// to do next (GDBResume).

public protocol GDBTarget: AnyObject {
    /// The threads (vCPUs) gdb can see, at least one; by convention vCPU n is thread n + 1.
    var threads: [GDBThreadID] { get }

    /// A register by its target-description number, in the target's byte order and exactly as
    /// many bytes as the description says; nil if it has no value (gdb shows `<unavailable>`).
    func readRegister(_ regnum: Int, thread: GDBThreadID) -> [UInt8]?
    /// False if the register cannot be written.
    func writeRegister(_ regnum: Int, bytes: [UInt8], thread: GDBThreadID) -> Bool

    /// Up to `count` bytes from `address` as the thread sees memory (its current translation);
    /// fewer, down to none, if the range runs into memory that cannot be read.
    func readMemory(at address: UInt64, count: Int, thread: GDBThreadID) -> [UInt8]
    /// False if any byte cannot be written. Writes may hit code (the user patching it, or gdb
    /// planting traps itself if Z0 is refused), so they must keep decoded instructions coherent.
    func writeMemory(at address: UInt64, bytes: [UInt8], thread: GDBThreadID) -> Bool

    func insertStopPoint(_ point: GDBStopPoint) -> GDBStopPointResult
    func removeStopPoint(_ point: GDBStopPoint) -> GDBStopPointResult

    /// Whether `bs`/`bc` are offered in qSupported.
    var supportsReverseExecution: Bool { get }
}

/// What gdb asked for, returned by the session once it has been told everything it needs.
public enum GDBResume: Equatable, Sendable {
    /// Run forward: each listed thread steps or continues; threads not listed stay stopped.
    case forward(GDBResumePlan)
    /// Undo one instruction of this thread (`bs`).
    case reverseStep(GDBThreadID)
    /// Run backwards until a breakpoint, watchpoint or the start of history (`bc`).
    case reverseContinue(GDBThreadID)
    /// gdb detached (`D`): run on as if it had never been there.
    case detach
    /// gdb killed the guest (`k`, `vKill`): stop it and exit.
    case kill
    /// The connection dropped without a word.
    case disconnected
}

public struct GDBResumePlan: Equatable, Sendable {
    /// How each moving thread moves.
    public var motions: [GDBThreadID: GDBThreadMotion]
    /// Set by the old `c ADDR` / `s ADDR` forms: resume the moving thread at this pc.
    public var address: UInt64?

    public init(motions: [GDBThreadID: GDBThreadMotion], address: UInt64? = nil) {
        self.motions = motions
        self.address = address
    }

    public func motion(of thread: GDBThreadID) -> GDBThreadMotion? { motions[thread] }

    /// The threads that single-step (in all-stop mode gdb steps one and lets others continue
    /// or holds them).
    public var steppingThreads: [GDBThreadID] { motions.filter { $0.value.kind == .step }.map(\.key).sorted() }
}

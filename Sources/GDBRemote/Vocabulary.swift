// The protocol's nouns: threads, stop points, signals, stops and exits.

/// A thread as gdb numbers it: positive (the convention here: vCPU n is thread n + 1).
public typealias GDBThreadID = Int

/// Which thread(s) a packet names: `-1` all, `0` any, otherwise one.
public enum GDBThreadSelector: Equatable, Sendable {
    case all
    case any
    case thread(GDBThreadID)

    func matches(_ id: GDBThreadID) -> Bool {
        switch self {
        case .all, .any: return true
        case .thread(let t): return t == id
        }
    }
}

/// Z0..Z4 / z0..z4.
public enum GDBStopPointKind: Int, Equatable, Hashable, Sendable {
    case softwareBreakpoint = 0
    case hardwareBreakpoint = 1
    case writeWatchpoint = 2
    case readWatchpoint = 3
    case accessWatchpoint = 4

    public var isWatchpoint: Bool { rawValue >= 2 }
}

/// A breakpoint or watchpoint as gdb asks for it. For breakpoints `length` is gdb's "kind"
/// (the instruction size, 4 on Power); for watchpoints it is the byte count watched from `address`.
public struct GDBStopPoint: Equatable, Hashable, Sendable {
    public var kind: GDBStopPointKind
    public var address: UInt64
    public var length: Int

    public init(kind: GDBStopPointKind, address: UInt64, length: Int) {
        self.kind = kind
        self.address = address
        self.length = length
    }
}

/// What a target says to Z/z: `unsupported` makes gdb fall back (e.g. to writing a trap itself
/// for Z0, or to software watchpoints); `failed` is reported as an error.
public enum GDBStopPointResult: Equatable, Sendable {
    case done
    case unsupported
    case failed
}

/// gdb's own signal numbers (include/gdb/signals.def), which the protocol carries whatever the
/// host or guest numbering.
public struct GDBSignal: RawRepresentable, Equatable, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let none = GDBSignal(rawValue: 0)
    public static let hangup = GDBSignal(rawValue: 1)
    public static let interrupt = GDBSignal(rawValue: 2)  // SIGINT: a ^C from gdb
    public static let quit = GDBSignal(rawValue: 3)
    public static let illegalInstruction = GDBSignal(rawValue: 4)  // SIGILL
    public static let trap = GDBSignal(rawValue: 5)  // SIGTRAP: breakpoints, steps, watchpoints
    public static let abort = GDBSignal(rawValue: 6)
    public static let floatingPointException = GDBSignal(rawValue: 8)  // SIGFPE
    public static let kill = GDBSignal(rawValue: 9)
    public static let busError = GDBSignal(rawValue: 10)  // SIGBUS
    public static let segmentationFault = GDBSignal(rawValue: 11)  // SIGSEGV
    public static let badSystemCall = GDBSignal(rawValue: 12)  // SIGSYS
    public static let terminate = GDBSignal(rawValue: 15)
}

/// Why the target stopped, as a `T` stop reply reports it.
public struct GDBStop: Equatable, Sendable {
    public enum Reason: Equatable, Sendable {
        /// A Z0 breakpoint; the pc is at the breakpoint's address (gdb does not back it up).
        case softwareBreakpoint
        /// A Z1 breakpoint.
        case hardwareBreakpoint
        /// A Z2/Z3/Z4 watchpoint; `address` is the data address that was accessed.
        case watchpoint(GDBStopPointKind, address: UInt64)
        /// Reverse execution ran into the start (or end) of the recorded history.
        case historyBegin
        case historyEnd
    }

    public var signal: GDBSignal
    /// The thread that stopped; nil before threads exist (then the reply is a bare `S`).
    public var thread: GDBThreadID?
    public var reason: Reason?

    public init(signal: GDBSignal, thread: GDBThreadID?, reason: Reason? = nil) {
        self.signal = signal
        self.thread = thread
        self.reason = reason
    }
}

/// How the guest ended: `W` with its exit status, or `X` with the signal that killed it.
public enum GDBExit: Equatable, Sendable {
    case exited(status: UInt8)
    case terminated(GDBSignal)
}

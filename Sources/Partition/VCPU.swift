import PowerISA
import PAPR

/// One virtual processor of the machine: its registers, its engine (sharing the machine's
/// decode cache) and whether it runs.
public final class VCPU {
    public enum State: Equatable {
        /// Runs when its turn comes.
        case running
        /// Never started, or stopped itself (RTAS stop-self): only start-cpu runs it again.
        case stopped
        /// Idles until an interrupt is due: in H_CEDE (`hcall` true) or a `wait` instruction.
        case idle(hcall: Bool)
        /// A Linux thread in a futex wait: runs again when another thread wakes it or, with a
        /// deadline, when the time base reaches it.
        case waiting(until: UInt64?)
    }
    /// Its index, which is also its interrupt server number (PIR).
    public let index: Int
    public let cpu: CPU
    public let interpreter: Interpreter
    public internal(set) var state: State

    init(index: Int, cpu: CPU, interpreter: Interpreter, state: State) {
        self.index = index; self.cpu = cpu; self.interpreter = interpreter; self.state = state
    }

    /// An interrupt would be taken now: the decrementer or an external one, with MSR[EE] = 1.
    var hasInterruptDue: Bool {
        interpreter.ticksToDecrementer == 0 || (interpreter.externalPending && cpu.msr & MSR.ee != 0)
    }

    /// Moves this vCPU's time base forward to `timeBase` if it is behind (an idle or stopped
    /// vCPU's time goes on while the others run).
    func catchUp(to timeBase: UInt64) {
        let mine = interpreter.timeBase
        if mine < timeBase { cpu[RegisterSlot.timeBaseOffset] &+= timeBase - mine }
    }
}

/// How the vCPUs share the one host thread: round-robin turns of `quantum` instructions, in
/// index order, so a run is reproducible and traces are exact. The time base is the machine's:
/// it advances with the instructions of whichever vCPU runs, and at each switch every vCPU's
/// catches up with the one that ran (so time is monotonic across vCPUs, as kvm-unit-tests' time
/// sync test checks); when every vCPU idles, time jumps for all of them to the earliest
/// decrementer event. A lwarx/ldarx reservation does not survive a switch (the ISA lets a
/// reservation be lost at any time; within a turn no other vCPU can store).
extension Partition: ProcessorControl {
    /// Instructions per turn when there are several vCPUs (about 20 µs of virtual time).
    static let quantum: UInt64 = 10_000

    public var processorCount: Int { vcpus.count }

    public func isStopped(_ processor: Int) -> Bool { vcpus[processor].state == .stopped }

    /// RTAS start-cpu, as QEMU's pseries starts a secondary: 64-bit real mode with ME, at
    /// `entry`, r3 = the argument; its time base joins the caller's.
    public func start(_ processor: Int, entry: UInt64, r3: UInt64) -> Bool {
        let v = vcpus[processor]
        guard v.state == .stopped else { return false }
        v.cpu.msr = MSR.sf | MSR.me
        v.cpu.pc = entry
        v.cpu.gpr[3] = r3
        v.catchUp(to: interpreter.timeBase)
        // As at reset: no decrementer interrupt pending until the vCPU programs DEC.
        v.cpu[RegisterSlot.decrementerBase] = v.interpreter.timeBase &+ 0x7FFF_FFFF
        v.state = .running
        return true
    }

    public func stopSelf(_ cpu: CPU) { vcpus[Int(cpu.processorID)].state = .stopped }

    public func prod(_ processor: Int) {
        if case .idle = vcpus[processor].state { wake(vcpus[processor]) }
    }

    /// The total instructions of every vCPU.
    var instructionsExecuted: UInt64 { vcpus.reduce(0) { $0 &+ $1.interpreter.instructionsExecuted } }

    func wake(_ v: VCPU) {
        if case .idle(hcall: true) = v.state { hypervisor.resumeAfterCede(cpu: v.cpu) }
        v.state = .running
    }

    /// Ends the current vCPU's turn and picks the next one to run. False when none can ever run
    /// again: every vCPU is stopped, or idles with MSR[EE] = 0.
    func schedule() -> Bool {
        let me = vcpus[current]
        me.cpu[RegisterSlot.reserveValid] = 0
        let now = me.interpreter.timeBase
        // The time base is one clock for the whole machine: every vCPU's catches up with the one
        // that just ran, so a vCPU never reads a time another has already passed.
        for v in vcpus where v !== me {
            v.catchUp(to: now)
            guard v.state != .running else { continue }
            if case .idle = v.state, v.hasInterruptDue { wake(v) }
            if case .waiting(let deadline?) = v.state, deadline <= now { timeOut(v) }
        }
        if case .idle = me.state, me.hasInterruptDue { wake(me) }
        if case .waiting(let deadline?) = me.state, deadline <= now { timeOut(me) }
        for k in 1...vcpus.count where vcpus[(current + k) % vcpus.count].state == .running {
            select((current + k) % vcpus.count)
            return true
        }
        // Nobody runs: time jumps, for every vCPU alike, to the first event among the idle
        // ones (a decrementer) and the waiting ones (a futex timeout).
        var next: (VCPU, UInt64)?
        for v in vcpus {
            let ticks: UInt64
            switch v.state {
            case .idle:
                guard let t = v.interpreter.ticksToDecrementer else { continue }
                ticks = t
            case .waiting(let deadline?):
                ticks = deadline > now ? deadline - now : 0
            default:
                continue
            }
            if next == nil || ticks < next!.1 { next = (v, ticks) }
        }
        guard let (first, ticks) = next else { return false }
        for v in vcpus { v.cpu[RegisterSlot.timeBaseOffset] &+= ticks }
        if case .waiting = first.state { timeOut(first) } else { wake(first) }
        select(first.index)
        return true
    }

    func select(_ index: Int) {
        current = index
        cpu = vcpus[index].cpu
        interpreter = vcpus[index].interpreter
        activeTracer?.linePrefix = vcpus.count > 1 ? processorName(index) + ": " : ""
        // A Linux thread's own signal state comes with it (a signal it can take is delivered).
        linux?.selectThread(index, cpu: cpu)
    }

    /// How traces and reports name a vCPU: `cpu1`, or for a Linux program the thread's tid.
    func processorName(_ index: Int) -> String {
        linux.map { "tid \($0.threads.tid(of: index))" } ?? "cpu\(index)"
    }
}

import PowerISA
import LinuxUser

/// A Linux program's threads on the machine's vCPUs. A program starts with one vCPU and takes
/// the single-vCPU path of the run loop (no turns, nothing per chunk) until its first clone
/// adds a second; from then on the threads take deterministic round-robin turns of `quantum`
/// instructions like a PAPR guest's vCPUs, and a futex wait, an exit or sched_yield ends the
/// caller's turn at once. A thread's vCPU index names it in LinuxUser; an exited thread's vCPU
/// is reused by the next clone, so a program that starts and joins many threads keeps few.
extension Partition: ThreadControl {
    /// At most this many live threads (a clone beyond it fails with EAGAIN, as at RLIMIT_NPROC).
    static let maximumThreads = 4096

    public var currentThread: Int { current }
    public var threadTimeBase: UInt64 { interpreter.timeBase }
    public func registers(of thread: Int) -> CPU { vcpus[thread].cpu }

    public func startThread(_ setup: (CPU) -> Void) -> Int? {
        let v: VCPU
        if let reusable = vcpus.first(where: { $0.state == .stopped }) {
            v = reusable
        } else {
            guard vcpus.count < Self.maximumThreads else { return nil }
            let c = CPU()
            c.processorID = UInt32(vcpus.count)
            // The same memory, decode cache and translation context as the first thread.
            v = VCPU(index: vcpus.count, cpu: c,
                     interpreter: Interpreter(cpu: c, memory: memory, deliversInterrupts: false, cache: interpreter.cache, mmu: interpreter.mmu),
                     state: .stopped)
            vcpus.append(v)
        }
        setup(v.cpu)
        // Its clock is the machine's from its first instruction (the copied offset was the parent's).
        v.cpu[RegisterSlot.timeBaseOffset] = interpreter.timeBase &- v.interpreter.instructionsExecuted
        v.state = .running
        return v.index
    }

    public func suspend(_ thread: Int, until deadline: UInt64?) { vcpus[thread].state = .waiting(until: deadline) }

    public func resume(_ thread: Int) {
        if case .waiting = vcpus[thread].state { vcpus[thread].state = .running }
    }

    public func end(_ thread: Int) { vcpus[thread].state = .stopped }

    /// Ends the calling thread's turn after a system call that waited, exited or yielded.
    /// False when no thread can run again (a deadlock).
    func switchThread() -> Bool {
        linux?.threads.yieldRequested = false
        return schedule()
    }

    /// Before a Linux system call: when it would block the host (a read of an empty pipe,
    /// LinuxProcess.callWouldBlock) and another thread can run, the `sc` is not made now: the
    /// thread's turn ends with its PC back on the `sc`, which it makes again on its next turn.
    /// Alone, or with every other thread waiting, it blocks in the host as before.
    func deferredBlockingCall(_ process: LinuxProcess) -> Bool {
        let me = vcpus[current]
        guard vcpus.contains(where: { $0 !== me && $0.state == .running }), process.callWouldBlock(cpu: cpu) else { return false }
        cpu.pc &-= 4
        return schedule()
    }

    /// A futex wait's deadline passed: the thread runs again, its call failing with ETIMEDOUT.
    /// The wait's trace line said 0 when the wait began; strace's `<... futex resumed>` line
    /// says how it really ended.
    func timeOut(_ v: VCPU) {
        linux?.futexTimedOut(thread: v.index, cpu: v.cpu)
        v.state = .running
        if let tracer = activeTracer, tracer.windowOpen, config.trace.kinds.contains(.syscall) {
            let prefix = tracer.linePrefix
            tracer.linePrefix = vcpus.count > 1 ? processorName(v.index) + ": " : ""
            let e = Errno.ETIMEDOUT
            tracer.syscall(SyscallRecord(number: 221, name: "futex", args: [], result: -1, errno: e,
                                         text: "<... futex resumed> = -1 \(e.name) (\(e.message))"), pc: v.cpu.pc &- 4)
            tracer.linePrefix = prefix
        }
    }
}

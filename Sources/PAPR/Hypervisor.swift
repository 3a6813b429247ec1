#if canImport(Glibc)
import Glibc
#endif
import PowerISA
import GuestMemory

/// The PAPR hypervisor behind `sc 1`: opcode in r3, arguments r4–r12, status to r3, outputs to
/// r4–r12 (see `HypercallTable`).
public final class Hypervisor {
    public let memory: GuestMemory
    public let console: Console
    /// The NVDIMMs and their bindings (none unless the partition has --nvdimm).
    public var scm = SCMController()
    /// Set by an hcall or RTAS call that ends the partition (power-off, lpar exit).
    public var exitStatus: Int32?
    /// Set by H_CEDE: the calling vCPU idles (with MSR[EE] = 1) until an interrupt is due; the
    /// machine, which owns time, does the waiting and clears it.
    public var cedeRequested = false
    /// What the hypervisor keeps per vCPU (VPA registrations, prod flag), by processor number:
    /// the `reg` of its /cpus node, the `procno` H_REGISTER_VPA, H_PROD and H_CONFER name.
    public var processors: [VirtualProcessor] = [VirtualProcessor()]
    /// The calling vCPU's time base (ticks at 512 MHz); the machine, which owns time, sets it.
    public var timeBase: () -> UInt64 = { 0 }
    /// The RTAS time-of-day clock: a base date plus virtual time (`--rtc`).
    public var timeOfDay = TimeOfDay()
    /// Where H_RANDOM's numbers come from (host randomness unless a seed makes them repeat).
    public var entropy = EntropySource()
    /// The partition's translation state (process table, every vCPU's TLBs), shared with the
    /// interpreters: H_REGISTER_PROCESS_TABLE writes it.
    public let mmu: MMUContext

    public init(memory: GuestMemory, console: Console = Console(), mmu: MMUContext = MMUContext()) {
        self.memory = memory
        self.console = console
        self.mmu = mmu
    }

    /// The machine's vCPUs as RTAS (start-cpu, stop-self, query-cpu-stopped-state) and the
    /// scheduling hcalls (H_PROD) act on them; the machine sets it. Without it the hypervisor
    /// knows only the calling vCPU, which is running.
    public weak var processorControl: ProcessorControl?

    /// The processor number of a vCPU: its interrupt server number, the `reg` of its /cpus
    /// node thread (PIR).
    public func processorNumber(of cpu: CPU) -> Int { Int(cpu.processorID) }

    /// The interrupt controller: one XICS presenter per vCPU.
    public private(set) var xics = XICS(servers: 1)

    /// Gives the hypervisor `count` vCPUs' worth of per-processor state and presenters.
    public func configureProcessors(_ count: Int) {
        processors = (0..<max(count, 1)).map { _ in VirtualProcessor() }
        xics = XICS(servers: count)
    }

    /// Handles one `sc 1`. MSR[PR] = 1 gets H_PRIVILEGE; an opcode lpar does not implement gets
    /// H_FUNCTION (not fatal, as on QEMU). Only r3 and the handler's outputs change.
    @discardableResult
    public func hypercall(cpu: CPU) -> HcallRecord {
        let opcode = cpu.gpr[3]
        let arguments = Array(UnsafeBufferPointer(start: cpu.gpr + 4, count: 9))
        var regs = HcallRegisters(cpu: cpu)
        let spec = HypercallTable.spec(opcode: opcode)
        let status: Int64
        if cpu.msr & MSR.pr != 0 {
            status = HcallStatus.privilege
        } else if let spec {
            status = spec.handler(self, &regs)
        } else {
            status = HcallStatus.function
        }
        cpu.gpr[3] = UInt64(bitPattern: status)
        return HcallRecord(opcode: opcode, spec: spec, arguments: arguments, status: status,
                           results: Array(UnsafeBufferPointer(start: cpu.gpr + 4, count: 9)), written: regs.written)
    }
}

/// The guest's terminal: bytes go to a file descriptor at once (unbuffered), so a guest that
/// prints and then hangs has shown what it printed. Input is read when the guest asks
/// (H_GET_TERM_CHAR) or when the machine looks between chunks (`pollInput`), through QEMU's
/// escape when `interceptsEscape` is on (a terminal in raw mode): Ctrl-A x quits, Ctrl-A Ctrl-A
/// is one Ctrl-A for the guest.
public final class Console {
    public let outputFD: Int32
    public let inputFD: Int32
    /// Receives a copy of every byte written (tests).
    public var tap: (([UInt8]) -> Void)?
    /// Ctrl-A starts an escape (the terminal is raw, so no key reaches lpar any other way).
    public var interceptsEscape = false
    /// Ctrl-A x was typed: the machine ends the run.
    public private(set) var quitRequested = false
    /// Bytes read from `inputFD` that the guest has not taken yet.
    private var pending: [UInt8] = []
    private var escaping = false
    public static let escapeKey: UInt8 = 0x01  // Ctrl-A

    public init(outputFD: Int32 = 1, inputFD: Int32 = 0) {
        self.outputFD = outputFD
        self.inputFD = inputFD
    }

    /// Reads what is waiting on `inputFD` (never blocks) into the guest's queue.
    public func pollInput() {
        guard inputFD >= 0 else { return }
        var pfd = pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0)
        var bytes = [UInt8](repeating: 0, count: 64)
        while poll(&pfd, 1, 0) > 0, pfd.revents & Int16(POLLIN) != 0 {
            let n = read(inputFD, &bytes, bytes.count)
            guard n > 0 else { return }
            for b in bytes[0..<n] { take(b) }
        }
    }

    private func take(_ b: UInt8) {
        guard interceptsEscape else { pending.append(b); return }
        if escaping {
            escaping = false
            switch b {
            case UInt8(ascii: "x"), UInt8(ascii: "X"): quitRequested = true
            case Self.escapeKey: pending.append(b)
            default: pending.append(contentsOf: [Self.escapeKey, b])
            }
        } else if b == Self.escapeKey {
            escaping = true
        } else {
            pending.append(b)
        }
    }

    /// Up to `count` bytes of input for the guest.
    public func readInput(max count: Int) -> [UInt8] {
        pollInput()
        let n = min(count, pending.count)
        defer { pending.removeFirst(n) }
        return Array(pending.prefix(n))
    }

    public func write(_ bytes: [UInt8]) {
        tap?(bytes)
        guard outputFD >= 0 else { return }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(outputFD, $0.baseAddress! + done, $0.count - done) }
            if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
            done += n
        }
    }
}

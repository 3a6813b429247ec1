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
/// prints and then hangs has shown what it printed.
public final class Console {
    public let outputFD: Int32
    public let inputFD: Int32
    /// Receives a copy of every byte written (tests).
    public var tap: (([UInt8]) -> Void)?

    public init(outputFD: Int32 = 1, inputFD: Int32 = 0) {
        self.outputFD = outputFD
        self.inputFD = inputFD
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

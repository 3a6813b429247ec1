#if canImport(Glibc)
import Glibc
#endif
import GuestMemory
import GuestELF
import PowerISA
import PAPR
import LinuxUser

/// Everything needed to build a machine.
public struct PartitionConfig {
    public var elfPath: String
    /// Guest RAM in bytes (default 256 MiB).
    public var memorySize: UInt64 = 256 << 20
    /// Arguments after `--` on the command line (the guest's bootargs).
    public var guestArguments: [String] = []
    /// Stop the guest after this many instructions (nil = no limit).
    public var maxInstructions: UInt64?
    /// `--nvdimm` devices, in slot order.
    public var nvdimms: [NVDIMMConfig] = []
    public var scmBlocksPerCall: UInt64 = 1
    public var scmContinueStatus: Int64 = HcallStatus.continue
    public var scmSlowFlush = false
    /// `--trace`: which events to write, how and where.
    public var trace = TraceOptions()
    /// `--abi`: which system-call personality the guest gets (auto: from the ELF).
    public var abi: ABIChoice = .auto
    /// `--root`: the directory a Linux program sees as `/` (nil: host paths as they are).
    public var root: String?
    /// A Linux program's environment (nil: lpar's own, as qemu-ppc64 passes its own).
    public var environment: [String]?
    public init(elfPath: String) { self.elfPath = elfPath }
}

/// A failure to build the machine: one line for the user and the exit status to use.
public struct PartitionError: Error, CustomStringConvertible {
    public let description: String
    public let exitCode: Int32
}

/// How a run ended.
public struct RunOutcome {
    /// The status lpar exits with: the guest's own, or what a shell shows for a process killed
    /// by the matching signal (132 SIGILL, 133 SIGTRAP, 139 SIGSEGV), as qemu-ppc64 does.
    public let exitStatus: Int32
    /// Why the guest was stopped, when it did not end by itself (for stderr).
    public let report: String?
    public let instructions: UInt64
    /// `sc 0` system calls a Linux program made.
    public var systemCalls: UInt64 = 0
}

/// Assembles a machine from a config: guest memory, the loaded ELF, a CPU and interpreter, the
/// hypervisor; runs it and routes every trap the interpreter returns.
public final class Partition {
    public let config: PartitionConfig
    public let memory: GuestMemory
    public let image: ELFImage
    public let cpu = CPU()
    public let interpreter: Interpreter
    public let hypervisor: Hypervisor
    /// The Linux personality, when the guest is a Linux program (then `sc 0` goes here).
    public private(set) var linux: LinuxProcess?

    /// Exit statuses for a guest stopped by lpar.
    public enum ExitCode {
        public static let illegalInstruction: Int32 = 128 + 4   // SIGILL
        public static let trap: Int32 = 128 + 5                 // SIGTRAP
        public static let memoryFault: Int32 = 128 + 11         // SIGSEGV
        public static let instructionLimit: Int32 = 124         // as timeout(1) reports a timeout
    }

    /// Guest address of the flattened device tree (r3 at entry).
    public private(set) var deviceTreeAddress: UInt64 = 0

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
            if personality == .linux, inspected.highestAddress < 1 << 40 {
                ramSize = min((inspected.highestAddress + 0xFFFF) & ~0xFFFF + config.memorySize, 1 << 40)
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
            image = try ELFLoader.load(path: config.elfPath, into: memory)
        } catch {
            throw PartitionError(description: error.description, exitCode: error.exitCode)
        }
        interpreter = Interpreter(cpu: cpu, memory: memory)
        hypervisor = Hypervisor(memory: memory, console: console)
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
        do {
            let blob = try deviceTree()
            deviceTreeAddress = (memory.ramSize - UInt64(blob.count)) & ~0xFFFF
            try memory.write(blob, at: deviceTreeAddress)
        } catch {
            throw PartitionError(description: "\(error)", exitCode: 70)
        }
        enterPAPR()
    }

    /// The flattened device tree this machine gives its guest.
    public func deviceTree() throws(DeviceTreeError) -> [UInt8] {
        try DeviceTree.build(MachineDescription(ramSize: memory.ramSize, bootargs: config.guestArguments.joined(separator: " "),
                                                nvdimms: hypervisor.scm.nvdimms))
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
        let process = LinuxProcess(memory: memory, program: ProgramInfo(image: image), root: config.root)
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
    }

    /// Runs the guest to its end.
    public func run() -> RunOutcome {
        guard !config.trace.kinds.isEmpty else {
            var observer = NoObserver()
            return run(observer: &observer, tracer: nil)
        }
        let tracer = Tracer(options: config.trace, symbols: image.symbols)
        defer { tracer.flush() }
        if config.trace.kinds.contains(.insn) {
            var observer = TracingObserver(tracer: tracer)
            return run(observer: &observer, tracer: tracer)
        }
        var observer = NoObserver()
        return run(observer: &observer, tracer: tracer)
    }

    /// The run loop, specialised per observer: untraced runs pay nothing for tracing.
    func run<O: ExecutionObserver>(observer: inout O, tracer: Tracer?) -> RunOutcome {
        let chunk: UInt64 = 1 << 24
        while true {
            var limit = chunk
            if let max = config.maxInstructions {
                let left = max - min(max, interpreter.instructionsExecuted)
                if left == 0 {
                    return finish(ExitCode.instructionLimit,
                                  "lpar: guest stopped after \(max) instructions (--max-insns) at \(where_(cpu.pc))")
                }
                limit = min(limit, left)
            }
            // The untraced loop is the one specialised inside PowerISA: call it by name.
            let stop = O.self == NoObserver.self ? interpreter.run(limit: limit) : interpreter.run(observer: &observer, limit: limit)
            switch stop {
            case .instructionLimit:
                continue
            case .systemCall(level: 0) where linux != nil:
                let process = linux!
                if let tracer, config.trace.kinds.contains(.insn) {
                    tracer.saveRegisters(cpu)
                    tracer.instruction(pc: cpu.pc - 4, word: 0x4400_0002, cpu: cpu)
                }
                let wantText = tracer != nil && config.trace.kinds.contains(.syscall)
                let record = process.systemCall(cpu: cpu, render: wantText)
                if let tracer, wantText { tracer.syscall(record, pc: cpu.pc - 4) }
                if let status = process.exitStatus { return finish(status, process.stopReport) }
            case .systemCall(level: _) where linux != nil:
                // What Linux does with `sc 1` from user mode: SIGILL.
                cpu.pc -= 4
                return finish(ExitCode.illegalInstruction,
                              "lpar: hypervisor call (sc 1) at \(where_(cpu.pc)) in a Linux program: SIGILL, as Linux gives one" + registerDump())
            case .systemCall(level: 1):
                let pc = cpu.pc - 4
                if let tracer, config.trace.kinds.contains(.insn) {
                    tracer.saveRegisters(cpu)
                    tracer.instruction(pc: pc, word: 0x4400_0022, cpu: cpu)
                }
                let record = hypervisor.hypercall(cpu: cpu)
                if let tracer, config.trace.kinds.contains(.hcall) { tracer.hcall(record, pc: pc) }
                if let status = hypervisor.exitStatus { return finish(status, nil) }
            case .systemCall(level: _):
                cpu.pc -= 4
                return finish(ExitCode.illegalInstruction,
                              "lpar: system call (sc 0) at \(where_(cpu.pc)) in a PAPR guest: lpar has no Linux kernel to take it" + registerDump())
            case .illegalInstruction(let word):
                return finish(ExitCode.illegalInstruction,
                              "lpar: illegal instruction 0x\(hex32(word)) at \(where_(cpu.pc))\(disassembly(word))" + registerDump())
            case .privilegedInstruction(let word):
                return finish(ExitCode.illegalInstruction,
                              "lpar: privileged instruction 0x\(hex32(word)) in problem state at \(where_(cpu.pc))" + registerDump())
            case .memoryFault(let fault):
                let word = memory.load32(cpu.pc).map { disassembly($0) } ?? ""
                return finish(ExitCode.memoryFault,
                              "lpar: \(fault) (pc \(where_(cpu.pc))\(word))" + registerDump())
            case .trap(let word):
                return finish(ExitCode.trap, "lpar: trap instruction 0x\(hex32(word)) at \(where_(cpu.pc))" + registerDump())
            }
        }
    }

    private func finish(_ status: Int32, _ report: String?) -> RunOutcome {
        var outcome = RunOutcome(exitStatus: status, report: report, instructions: interpreter.instructionsExecuted)
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

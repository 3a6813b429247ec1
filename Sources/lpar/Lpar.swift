#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Partition
import PAPR
import GuestELF
import PowerISA
import GuestMemory
import LinuxUser

@main
struct Lpar: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lpar",
        abstract: "Run big-endian PPC64 guest programs on a PAPR hypervisor written in Swift.",
        discussion: """
        lpar interprets the 64-bit big-endian Power ISA. A guest ELF runs as a PAPR logical \
        partition: `sc 1` enters lpar's hypervisor (opcode in r3, arguments in r4-r12, status \
        back in r3).

        Examples:
          lpar run testprogs/build/hello.elf
          lpar run --memory 1G guest.elf -- arg1 arg2
          lpar hcalls
          lpar explain H_PUT_TERM_CHAR
          lpar explain sc

        Exit status: the guest's own; 132 illegal instruction (SIGILL), 133 trap (SIGTRAP), \
        139 bad memory access (SIGSEGV), 124 instruction limit reached, 142 --timeout reached \
        (SIGALRM), 64 bad command line, 65 not a loadable PPC64 ELF, 66 file cannot be opened.
        """,
        subcommands: [Run.self, Disasm.self, DumpDT.self, Hcalls.self, Syscalls.self, Explain.self])

    /// ArgumentParser prints an error with the usage and help lines after it; lpar prints one
    /// line (what was wrong and what was expected) and exits 64, like every other lpar error.
    static func main() {
        // Past `ulimit -f` a write or ftruncate (NVDIMM files, traces) should fail with EFBIG
        // and be reported, not kill lpar with SIGXFSZ.
        signal(SIGXFSZ, SIG_IGN)
        if let problem = commandLineProblem(Array(CommandLine.arguments.dropFirst())) {
            complain("lpar: \(problem)")
            Glibc.exit(64)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ExitCode {
            exit(withError: error)
        } catch let error as CleanExit {
            exit(withError: error)   // --help, --version: print and exit 0
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            let text = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            complain("lpar: \(text)")
            Glibc.exit(code.rawValue)
        }
    }
}

extension Lpar {
    static var subcommandNames: [String] { configuration.subcommands.map { $0._commandName } }

    /// What ArgumentParser would accept but lpar treats as a usage error (64, one line): no
    /// subcommand at all (it would print the help and exit 0), or `help` of a subcommand that
    /// does not exist (the same). `lpar help` and `lpar --help` stay successful.
    static func commandLineProblem(_ arguments: [String]) -> String? {
        let expected = "expected one of \(subcommandNames.joined(separator: ", ")) (`lpar --help` describes them)"
        guard let first = arguments.first else { return "no subcommand given; \(expected)" }
        if first == "help", let topic = arguments.dropFirst().first(where: { !$0.hasPrefix("-") }), !subcommandNames.contains(topic) {
            return "no subcommand '\(topic)' to describe; \(expected)"
        }
        return nil
    }
}

/// A count option's value; the error says what was expected ("-1", "ten" and "1e3" are not).
func wholeNumber(_ text: String) throws -> UInt64 {
    guard let n = UInt64(text) else { throw ValidationError("expected a whole number from 1 to \(UInt64.max)") }
    return n
}

/// The guest arguments become /chosen/bootargs in a 64 KiB device tree; past this they would
/// not fit (libfdt's "no space", exit 70), so they are refused as a usage error up front.
let maxBootargsBytes = 32 << 10
func checkBootargs(_ arguments: [String]) throws {
    let n = arguments.joined(separator: " ").utf8.count
    if n > maxBootargsBytes {
        throw ValidationError("the guest arguments after -- are \(n) bytes; at most \(maxBootargsBytes) fit in the device tree's bootargs")
    }
}

/// Writes one line to stderr.
func complain(_ line: String) {
    var text = line
    if !text.hasSuffix("\n") { text += "\n" }
    // write(2) rather than stdio: unbuffered, and no shared FILE state.
    _ = text.withCString { Glibc.write(2, $0, strlen($0)) }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load a PPC64 ELF and run it as a PAPR guest or a Linux program.",
        discussion: """
        A PAPR guest starts at the ELF entry point (for ELFv1 programs whose entry is a function \
        descriptor in .opd: at the descriptor's code address with r2 = its TOC) in 64-bit \
        big-endian supervisor real mode, with r3 = the flattened device tree (memory, cpus, the \
        vty, RTAS tokens, one ibm,pmemory node per --nvdimm; see `lpar dump-dt`), r4 = load \
        address, r5 = 0. `sc 1` is an hcall (`lpar hcalls`, `lpar explain NAME`). Its console \
        (H_PUT_TERM_CHAR) is lpar's standard output, unbuffered. It ends by H_LPAR_EXIT (0xFF00, \
        r4 = status: lpar exits with it) or RTAS power-off (status 0).

        A Linux program (static, glibc or similar; see --abi) runs instead as a ppc64 Linux \
        process: problem state, a stack with argv (argv[0] = the ELF path, then the guest-args), \
        lpar's environment and an auxiliary vector, and `sc 0` system calls answered by lpar \
        from the host (files relative to the current directory, or below --root). It exits with \
        its exit status, or 128 + the signal that killed it (134 for abort()).

        Examples:
          lpar run testprogs/build/hello.elf
          lpar run --nvdimm file=nv0.img,size=512M,label-size=128K,block-size=64M --trace hcall testprogs/build/scm-demo.elf
          lpar run --trace insn --trace-from main --trace-count 50 prog.elf
          lpar run --stats testprogs/build/linux/hello-glibc.elf
        """)

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Guest RAM size: a number of bytes with an optional K, M, G suffix.", valueName: "size"))
    var memory: String = "256M"

    @Option(name: .customLong("max-insns"), parsing: .unconditional, help: ArgumentHelp("Stop the guest (exit 124) after this many instructions.", valueName: "n"), transform: wholeNumber)
    var maxInsns: UInt64?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Stop the guest (exit 142) after this much wall-clock time, in seconds (e.g. 10, 0.5).", valueName: "seconds"))
    var timeout: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Trace events, comma-separated: insn (each instruction and the registers it wrote), hcall (each sc 1 with arguments and results by name), syscall (each sc 0 of a Linux program, strace style), mem (each load and store), fault (what stopped the guest), interrupt (each interrupt delivered to the guest, with SRR0/SRR1/DAR/DSISR), or all.", valueName: "kinds"))
    var trace: String?

    @Option(name: .customLong("trace-from"), parsing: .unconditional, help: ArgumentHelp("Start tracing when the guest first reaches this symbol or address (e.g. main, 0x10040).", valueName: "symbol|addr"))
    var traceFrom: String?

    @Option(name: .customLong("trace-count"), parsing: .unconditional, help: ArgumentHelp("Trace this many instructions, then run on untraced at full speed.", valueName: "n"), transform: wholeNumber)
    var traceCount: UInt64?

    @Option(name: .customLong("backtrace-insns"), parsing: .unconditional, help: ArgumentHelp("Keep the last n instructions executed and list them when the guest faults (costs speed; 0 = off).", valueName: "n"), transform: { text in
        guard let n = Int(text), (0...1_000_000).contains(n) else { throw ValidationError("expected a whole number from 0 to 1000000") }
        return n
    })
    var backtraceInsns: Int = 0

    @Option(name: .customLong("trace-format"), help: ArgumentHelp("Trace format: text or jsonl (one JSON object per line).", valueName: "format"))
    var traceFormat: String = "text"

    @Option(name: .customLong("trace-out"), help: ArgumentHelp("Write the trace to this file instead of standard error.", valueName: "file"))
    var traceOut: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("The RTAS time of day at start, as QEMU's -rtc: base=utc (the host's clock, the default) or base=YYYY-MM-DD[THH:MM:SS] in UTC; it then runs with virtual time.", valueName: "base=..."))
    var rtc: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("vCPUs, as QEMU's -smp: N, or N,threads=T for cores of T threads (N a multiple of T); at most \(SMPOption.maximum). vCPU 0 starts at the entry, the others when the guest calls RTAS start-cpu.", valueName: "n[,threads=t]"))
    var smp: String?

    @Option(name: .long, help: ArgumentHelp("An NVDIMM: file=PATH,size=SIZE,label-size=SIZE[,block-size=SIZE][,uuid=UUID][,readonly=on][,health=unarmed+dirty+...][,stats=off]. Repeatable; DRC indexes 0x90000000, 0x90000001… in order. The file holds the data area then the label area, as QEMU lays it out.", valueName: "spec"))
    var nvdimm: [String] = []

    @Option(name: .customLong("scm-blocks-per-call"), parsing: .unconditional, help: ArgumentHelp("Most SCM blocks one bind/unbind hcall handles before answering H_CONTINUE (default 1, so every multi-block bind shows the continuation loop).", valueName: "n"), transform: wholeNumber)
    var scmBlocksPerCall: UInt64 = 1

    @Option(name: .customLong("scm-continue-status"), help: ArgumentHelp("What a long SCM hcall answers while unfinished: busy (H_BUSY, the default: what the seed document lists for BIND_MEM, UNBIND_MEM and UNBIND_ALL, and what Linux's papr_scm loops on) or continue (H_CONTINUE, the seed document's generic continuation).", valueName: "busy|continue"))
    var scmContinueStatus: String = "busy"

    @Flag(name: .customLong("scm-slow-flush"), help: "H_SCM_FLUSH answers H_LONG_BUSY_ORDER_10_MSEC with a token before completing, as QEMU's asynchronous flush does.")
    var scmSlowFlush = false

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Which system calls the guest makes: linux (sc 0, a ppc64 Linux process), papr (sc 1, a PAPR partition) or auto (linux when the ELF has glibc's ABI note, EI_OSABI GNU or __libc_start_main).", valueName: "abi"))
    var abi: String = "auto"

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Linux programs: the directory the guest sees as /; paths cannot leave it.", valueName: "dir"))
    var root: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("The engine of untraced runs: interpreter (the default, the reference) or jit (x86-64 hosts: guest code compiled in blocks, the interpreter doing traces, --stats mnemonic counts, gdb, translated addressing and whatever the compiler leaves; off with a --stats note where the host refuses executable memory). Without the option, $LPAR_ENGINE, else interpreter.", valueName: "interpreter|jit"))
    var engine: String?

    /// --engine, else $LPAR_ENGINE (test scripts run every guest under one engine), else the interpreter.
    var engineChoice: String { engine ?? getenv("LPAR_ENGINE").map { String(cString: $0) } ?? "interpreter" }

    @Flag(name: .long, help: "At exit, print to standard error: instructions executed, time, MIPS, the most executed mnemonics, hcalls by name and return code, and system calls by name. Counting mnemonics costs some speed.")
    var stats = false

    @Option(name: .customLong("stats-format"), parsing: .unconditional, help: ArgumentHelp("--stats as text or json (one object on one line).", valueName: "text|json"))
    var statsFormat: String = "text"

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Wait for gdb (target remote) on this TCP port, or HOST:PORT (127.0.0.1 unless given), before the first instruction, as qemu-ppc64 -g does.", valueName: "[host:]port"))
    var gdb: String?

    @Option(name: .customLong("gdb-wait"), parsing: .unconditional, help: ArgumentHelp("With --gdb: yes (wait for gdb before the first instruction) or no (run until gdb connects or the guest faults).", valueName: "yes|no"))
    var gdbWait: String = "yes"

    @Option(name: .customLong("gdb-history"), parsing: .unconditional, help: ArgumentHelp("With --gdb: memory for reverse execution's recorded past (copies of the RAM pages the guest changed), 1G by default; past it the oldest past is forgotten. 0 turns reverse execution off.", valueName: "size"))
    var gdbHistory: String?

    @Argument(help: ArgumentHelp("The guest program (an ELF64 big-endian PowerPC executable).", valueName: "guest.elf"))
    var guest: String

    @Argument(parsing: .postTerminator, help: ArgumentHelp("Arguments for the guest, after --.", valueName: "guest-args"))
    var guestArguments: [String] = []

    func validate() throws {
        guard let size = SizeParser.parse(memory) else {
            throw ValidationError("--memory expects a size such as 256M or 1G, not '\(memory)'")
        }
        guard size >= 1 << 20, size % (64 << 10) == 0, size <= 1 << 40 else {
            throw ValidationError("--memory must be a multiple of 64K between 1M and 1T, not '\(memory)'")
        }
        if let n = maxInsns, n == 0 { throw ValidationError("--max-insns must be at least 1") }
        if Engine(rawValue: engineChoice) == nil {
            throw ValidationError("\(engine == nil ? "LPAR_ENGINE" : "--engine") expects interpreter or jit, not '\(engineChoice)'")
        }
        if let gdb, GDBEndpoint.parse(gdb) == nil {
            throw ValidationError("--gdb expects a TCP port (1-65535) or HOST:PORT with an IPv4 host, not '\(gdb)'")
        }
        if gdb != nil, maxInsns != nil || timeout != nil {
            throw ValidationError("--gdb cannot be combined with --max-insns or --timeout yet (gdb's ^C stops the guest)")
        }
        if gdbWait != "yes" && gdbWait != "no" { throw ValidationError("--gdb-wait expects yes or no, not '\(gdbWait)'") }
        if let gdbHistory {
            guard gdb != nil else { throw ValidationError("--gdb-history sizes the recorded past of --gdb: add --gdb PORT") }
            guard SizeParser.parse(gdbHistory) != nil else {
                throw ValidationError("--gdb-history expects a size such as 512M or 1G (0: no reverse execution), not '\(gdbHistory)'")
            }
        }
        if let timeout, Self.seconds(timeout) == nil {
            throw ValidationError("--timeout expects a number of seconds above 0 and up to a year (e.g. 10 or 0.5), not '\(timeout)'")
        }
        if let trace, case .failure(let bad) = TraceOptions.parseKinds(trace) {
            throw ValidationError("--trace expects insn, hcall, syscall, mem, fault, interrupt or all (comma-separated), not '\(bad.word)'")
        }
        if let trace, trace.split(separator: ",").isEmpty {
            throw ValidationError("--trace expects insn, hcall, syscall, mem, fault, interrupt or all (comma-separated), not an empty list")
        }
        if (traceFrom != nil || traceCount != nil) && trace == nil {
            throw ValidationError("--trace-from and --trace-count window a trace: add --trace KINDS")
        }
        if let n = traceCount, n == 0 { throw ValidationError("--trace-count must be at least 1") }
        guard ["text", "json"].contains(statsFormat) else { throw ValidationError("--stats-format expects text or json, not '\(statsFormat)'") }
        if let smp, case .failure(let e) = SMPOption.parse(smp) { throw ValidationError(e.message) }
        if let rtc {
            do { _ = try RTCOption.parse(rtc) } catch { throw ValidationError(error.description) }
        }
        for spec in nvdimm {
            do { _ = try NVDIMMConfig.parse(spec) } catch { throw ValidationError(error.description) }
        }
        guard scmBlocksPerCall >= 1 else { throw ValidationError("--scm-blocks-per-call must be at least 1") }
        try checkBootargs(guestArguments)
        guard ["continue", "busy"].contains(scmContinueStatus) else {
            throw ValidationError("--scm-continue-status expects busy or continue, not '\(scmContinueStatus)'")
        }
        guard ABIChoice(rawValue: abi) != nil else {
            throw ValidationError("--abi expects linux, papr or auto, not '\(abi)'")
        }
        if let root {
            var st = stat()
            guard stat(root, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else {
                throw ValidationError("--root must be an existing directory, not '\(root)'")
            }
        }
        guard TraceOptions.Format(rawValue: traceFormat) != nil else {
            throw ValidationError("--trace-format expects text or jsonl, not '\(traceFormat)'")
        }
    }

    /// `--timeout` as seconds: a plain decimal number, more than 0 and at most a year.
    static func seconds(_ text: String) -> Double? {
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let v = Double(text),
              v > 0, v <= 366 * 86400 else { return nil }
        return v
    }

    func run() throws {
        var config = PartitionConfig(elfPath: guest)
        config.memorySize = SizeParser.parse(memory)!
        config.guestArguments = guestArguments
        config.maxInstructions = maxInsns
        config.gdb = gdb.flatMap(GDBEndpoint.parse)
        config.gdbWait = gdbWait == "yes"
        if let gdbHistory { config.gdbHistoryLimit = SizeParser.parse(gdbHistory)! }
        config.timeout = timeout.flatMap(Self.seconds)
        config.nvdimms = nvdimm.compactMap { try? NVDIMMConfig.parse($0) }
        if let rtc, let base = try? RTCOption.parse(rtc) { config.rtcBase = base }
        if let smp, case .success(let o) = SMPOption.parse(smp) { (config.processors, config.threadsPerCore) = (o.processors, o.threads) }
        config.scmBlocksPerCall = scmBlocksPerCall
        config.scmContinueStatus = scmContinueStatus == "busy" ? HcallStatus.busy : HcallStatus.continue
        config.scmSlowFlush = scmSlowFlush
        config.abi = ABIChoice(rawValue: abi) ?? .auto
        config.root = root
        if let trace, case .success(let kinds) = TraceOptions.parseKinds(trace) { config.trace.kinds = kinds }
        config.trace.format = TraceOptions.Format(rawValue: traceFormat) ?? .text
        config.trace.from = traceFrom
        config.trace.count = traceCount
        config.backtraceInstructions = backtraceInsns
        config.collectStatistics = stats
        config.engine = Engine(rawValue: engineChoice) ?? .interpreter
        if let traceOut {
            let fd = open(traceOut, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                complain("lpar: cannot write the trace to \(traceOut): \(String(cString: strerror(errno)))")
                throw ExitCode(73)
            }
            config.trace.fd = fd
        }
        let partition: Partition
        do {
            partition = try Partition(config: config)
        } catch {
            complain("lpar: \(error.description)")
            throw ExitCode(error.exitCode)
        }
        if !config.nvdimms.isEmpty { HostFaults.install(for: partition.memory) }
        let outcome = partition.run()
        if let report = outcome.report { complain(report) }
        if let statistics = outcome.statistics { complain(statsFormat == "json" ? statistics.json : statistics.text) }
        throw ExitCode(outcome.exitStatus)
    }
}

struct Hcalls: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every hcall lpar implements, with its opcode.")

    func run() throws {
        var out = ""
        for spec in HypercallTable.all {
            let op = "0x" + String(spec.opcode, radix: 16, uppercase: true)
            out += "\(op.padding(toLength: 8))  \(spec.name.padding(toLength: 34))  \(spec.summary)\n"
        }
        try Output.write(out)
    }
}

struct Syscalls: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every Linux system call lpar implements for Linux programs, by ppc64 number.",
        discussion: "Any other number returns ENOSYS to the program, as a kernel without it would; --all lists those too, by their ppc64 names.")

    @Flag(name: .long, help: "Every ppc64 system call, the unimplemented ones marked ENOSYS.")
    var all = false

    func run() throws {
        var out = ""
        if all {
            for (number, name) in SyscallNames.ppc64.sorted(by: { $0.key < $1.key }) {
                let kinds = SyscallTable.spec(number: number).map { $0.args.map(\.description).joined(separator: ", ") } ?? "ENOSYS"
                out += "\(String(number).padding(toLength: 4))  \(name.padding(toLength: 22))  \(kinds)\n"
            }
        } else {
            for spec in SyscallTable.all {
                let kinds = spec.args.map(\.description)
                out += "\(String(spec.number).padding(toLength: 4))  \(spec.name.padding(toLength: 18))  \(kinds.joined(separator: ", "))\n"
            }
        }
        try Output.write(out)
    }
}

extension String {
    func padding(toLength n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain an hcall register by register, the sc instruction, or the interrupts.",
        discussion: "Give an hcall by name (H_PUT_TERM_CHAR, put_term_char) or opcode (0x58, 88), `sc`, or `interrupts` (the vectors a PAPR guest takes and how they are delivered).")

    @Argument(help: ArgumentHelp("An hcall name or opcode, `sc`, or `interrupts`.", valueName: "hcall"))
    var what: String

    func run() throws {
        if what.lowercased() == "sc" { try Output.write(HypercallExplainer.scInstruction + "\n"); return }
        if what.lowercased() == "interrupts" { try Output.write(Interrupt.explanation); return }
        guard let spec = HypercallExplainer.find(what) else {
            complain("lpar: no hcall named or numbered '\(what)'; `lpar hcalls` lists them")
            throw ExitCode(64)
        }
        try Output.write(HypercallExplainer.explain(spec) + "\n")
    }
}

struct Disasm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Disassemble the executable sections of a PPC64 ELF, as objdump -d does.",
        discussion: "Lines read `address:  word  mnemonic operands`, with objdump's extended mnemonics and branch targets named by symbol.")

    @Option(name: .long, help: ArgumentHelp("Only this function.", valueName: "name"))
    var symbol: String?

    @Argument(help: ArgumentHelp("The ELF file.", valueName: "file.elf"))
    var file: String

    func run() throws {
        let image: ELFImage
        do { image = try ELFLoader.inspect(path: file) } catch {
            complain("lpar: \(error.description)")
            throw ExitCode(error.exitCode)
        }
        // Section and symbol addresses and sizes come from the file: a range that would wrap past
        // 2^64 is cut at the top of the address space (its bytes are in no segment anyway).
        let end = { (a: UInt64, n: UInt64) -> UInt64 in let (e, o) = a.addingReportingOverflow(n); return o ? UInt64.max : e }
        var ranges: [(UInt64, UInt64)] = image.sections.filter { $0.isExecutable && $0.size > 0 }.map { ($0.address, end($0.address, $0.size)) }
        if let symbol {
            guard let start = image.symbols.address(of: symbol) else {
                complain("lpar: \(file) has no symbol '\(symbol)' (`lpar disasm \(file)` shows the functions)")
                throw ExitCode(64)
            }
            let size = image.symbols.all.first { $0.address == start }?.size ?? 0
            let next = image.symbols.all.map(\.address).filter { $0 > start }.min() ?? end(start, 4)
            ranges = [(start, size > 0 ? end(start, size) : next)]
        }
        let symbolName = { (a: UInt64) -> String? in let s = image.symbols.describe(a); return s.hasPrefix("0x") ? nil : s }
        var out = ""
        for (start, end) in ranges {
            guard let bytes = try? ELFLoader.bytes(path: file, address: start, size: end - start) else { continue }
            var a = start
            for i in stride(from: 0, to: bytes.count - 3, by: 4) {
                if let (name, off) = image.symbols.lookup(a), off == 0 { out += "\n\(String(a, radix: 16).leftPad(16)) <\(name)>:\n" }
                let word = UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
                out += "\(String(a, radix: 16).leftPad(8, " ")):\t\(String(word, radix: 16).leftPad(8))\t\(Disassembler.text(word, address: a, symbol: symbolName))\n"
                a &+= 4
                if out.utf8.count > 1 << 16 { try Output.write(out); out = "" }
            }
        }
        try Output.write(out)
    }
}

extension String {
    func leftPad(_ n: Int, _ c: Character = "0") -> String { count >= n ? self : String(repeating: c, count: n - count) + self }
}

struct DumpDT: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump-dt",
        abstract: "Write the flattened device tree a guest would get (read it with `dtc -I dtb -O dts`).",
        discussion: "NVDIMM backing files are opened (created if missing) but not marked in use.")

    @Option(name: .long, help: ArgumentHelp("Guest RAM size.", valueName: "size"))
    var memory: String = "256M"

    @Option(name: .long, help: ArgumentHelp("An NVDIMM, as for `lpar run --nvdimm`.", valueName: "spec"))
    var nvdimm: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the blob to this file (default or -: standard output).", valueName: "file"))
    var output: String?

    @Argument(parsing: .postTerminator, help: ArgumentHelp("Guest arguments (the /chosen bootargs), after --.", valueName: "guest-args"))
    var guestArguments: [String] = []

    func run() throws {
        guard let size = SizeParser.parse(memory) else {
            throw ValidationError("--memory expects a size such as 256M or 1G, not '\(memory)'")
        }
        // The same bounds as `lpar run`, so a bad size is a usage error (64) here too.
        guard size >= 1 << 20, size % (64 << 10) == 0, size <= 1 << 40 else {
            throw ValidationError("--memory must be a multiple of 64K between 1M and 1T, not '\(memory)'")
        }
        try checkBootargs(guestArguments)
        var configs: [NVDIMMConfig] = []
        for spec in nvdimm {
            do { configs.append(try NVDIMMConfig.parse(spec)) } catch { throw ValidationError(error.description) }
        }
        let blob: [UInt8]
        do {
            let guestMemory = try GuestMemory(ramSize: size, deviceSize: SCMController.deviceRegionSize(configs))
            let scm = try SCMController.open(configs, memory: guestMemory, markInUse: false)
            blob = try DeviceTree.build(MachineDescription(ramSize: size, bootargs: guestArguments.joined(separator: " "), nvdimms: scm.nvdimms))
        } catch {
            complain("lpar: \(error)")
            throw ExitCode(66)
        }
        let path = output == "-" ? nil : output
        let fd = path.map { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) } ?? 1
        guard fd >= 0 else {
            complain("lpar: cannot write \(output!): \(String(cString: strerror(errno)))")
            throw ExitCode(73)
        }
        var bytes = blob
        defer { if path != nil { close(fd) } }
        try Output.write(&bytes, to: fd, name: path ?? "standard output")
    }
}

/// `--smp N[,threads=T]`, QEMU's -smp syntax for what lpar has: N vCPUs in cores of T threads.
enum SMPOption {
    static let maximum = 64
    struct Invalid: Error { let message: String }

    static func parse(_ text: String) -> Result<(processors: Int, threads: Int), Invalid> {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let n = Int(parts[0]), (1...maximum).contains(n) else {
            return .failure(Invalid(message: "--smp expects a number of vCPUs from 1 to \(maximum), optionally with ,threads=T (e.g. 2 or 8,threads=4), not '\(text)'"))
        }
        var threads = 1
        for p in parts.dropFirst() {
            guard p.hasPrefix("threads="), let t = Int(p.dropFirst(8)), t >= 1 else {
                return .failure(Invalid(message: "--smp: '\(p)' is not threads=T (lpar knows only the threads per core)"))
            }
            threads = t
        }
        guard n % threads == 0 else {
            return .failure(Invalid(message: "--smp: \(n) vCPUs do not make whole cores of \(threads) threads"))
        }
        return .success((n, threads))
    }
}

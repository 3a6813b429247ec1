#if canImport(Glibc)
import Glibc
#endif
import PowerISA
import PAPR
import GuestELF
import LinuxUser

/// What `--trace` asks for.
public struct TraceOptions: Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        /// Each executed instruction with the registers it wrote.
        case insn
        /// Each hcall (`sc 1`) with its arguments and results by name.
        case hcall
        /// Each Linux system call (`sc 0`), strace style.
        case syscall
        /// Each load and store: address, size, value.
        case mem
        /// What ended the run, when the guest did not end it itself.
        case fault
        /// Each interrupt delivered to the guest: which, where, SRR0/SRR1 (DAR/DSISR) and the vector.
        case interrupt
    }
    public enum Format: String, CaseIterable, Sendable { case text, jsonl }
    public var kinds: Set<Kind> = []
    public var format: Format = .text
    /// Output file descriptor (stderr unless --trace-out).
    public var fd: Int32 = 2
    /// `--trace-from`: a symbol or address; events are written from the first time the PC gets
    /// there (nil: from the start).
    public var from: String?
    /// `--trace-count`: how many instructions to trace once tracing has started (nil: all).
    public var count: UInt64?
    public init() {}

    /// Kinds that need every instruction observed (the others are events outside the loop).
    public var observesInstructions: Bool { kinds.contains(.insn) || kinds.contains(.mem) }

    public struct UnknownKind: Error { public let word: String }

    /// Parses `insn,hcall` or `all`; a failure names the first word that is not a trace kind.
    public static func parseKinds(_ text: String) -> Result<Set<Kind>, UnknownKind> {
        var set = Set<Kind>()
        for word in text.split(separator: ",").map({ $0.trimmingCharacters() }) {
            if word == "all" { set.formUnion(Kind.allCases); continue }
            guard let k = Kind(rawValue: word) else { return .failure(UnknownKind(word: word)) }
            set.insert(k)
        }
        return .success(set)
    }
}

/// Writes trace events, symbolised with the ELF's symbols. Output is buffered (traces are
/// large) and flushed at every hcall and at the end of the run.
public final class Tracer {
    let options: TraceOptions
    let symbols: SymbolTable
    private var buffer: [UInt8] = []
    private var before = [UInt64](repeating: 0, count: CPU.slotCount)
    /// False outside the `--trace-from`/`--trace-count` window: nothing is written.
    var windowOpen = true

    public init(options: TraceOptions, symbols: SymbolTable) {
        self.options = options
        self.symbols = symbols
        buffer.reserveCapacity(1 << 16)
    }
    deinit { flush() }

    /// Put before every line: `cpu1: ` when the machine has several vCPUs.
    public var linePrefix = ""

    func emit(_ line: String) {
        guard windowOpen else { return }
        if !linePrefix.isEmpty { buffer.append(contentsOf: linePrefix.utf8) }
        buffer.append(contentsOf: line.utf8)
        buffer.append(10)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// errno of the first failed trace write (a full disk, `ulimit -f`); nothing is written after it.
    public private(set) var writeError: Int32?

    public func flush() {
        var done = 0
        while done < buffer.count && writeError == nil {
            let n = buffer.withUnsafeBytes { write(options.fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { writeError = n < 0 ? errno : ENOSPC; break }
            done += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func saveRegisters(_ cpu: CPU) {
        for i in 0..<CPU.slotCount { before[i] = cpu.state[i] }
    }

    /// Registers the instruction changed, in slot order, as (name, text) pairs.
    func changedRegisters(_ cpu: CPU) -> [(String, String)] {
        var out: [(String, String)] = []
        for i in 0..<CPU.slotCount where i != RegisterSlot.pc && before[i] != cpu.state[i] {
            if i == RegisterSlot.reserveValid || i == RegisterSlot.reserveSize || i == RegisterSlot.reserveAddress { continue }
            if i == RegisterSlot.cr {
                for field in 0..<8 {
                    let shift = UInt64(28 - 4 * field)
                    let old = (before[i] >> shift) & 0xF, new = (cpu.state[i] >> shift) & 0xF
                    if old != new { out.append(("cr\(field)", Self.crFlags(new))) }
                }
                continue
            }
            out.append((RegisterSlot.name(i), "0x" + String(cpu.state[i], radix: 16)))
        }
        return out
    }

    /// `LT|SO`, `EQ`, or `0` for a cleared field.
    static func crFlags(_ f: UInt64) -> String {
        let names = [(8, "LT"), (4, "GT"), (2, "EQ"), (1, "SO")].filter { f & UInt64($0.0) != 0 }.map(\.1)
        return names.isEmpty ? "0" : names.joined(separator: "|")
    }

    /// The symbol and disassembly of each traced address (programs loop: most lines repeat).
    private var decodedLines: [UInt64: (word: UInt32, text: String)] = [:]

    /// The part of an instruction's line that depends only on its address and word: for text
    /// `symbol+off  address  word  disassembly`, for JSON Lines the object up to "writes".
    private func decodedLine(pc: UInt64, word: UInt32) -> String {
        if let d = decodedLines[pc], d.word == word { return d.text }
        let asm = Disassembler.text(word, address: pc) { [symbols] in
            let s = symbols.describe($0); return s.hasPrefix("0x") ? nil : s
        }
        let sym = symbols.describe(pc)
        let text: String
        switch options.format {
        case .text:
            text = sym.padding(22) + "  " + hex64(pc) + "  " + hex32(word) + "  " + asm
        case .jsonl:
            let compact = asm.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            text = "{\"type\":\"insn\",\"pc\":\"0x\(String(pc, radix: 16))\",\"symbol\":\(JSON.string(sym)),\"word\":\"0x\(hex32(word))\",\"asm\":\(JSON.string(compact)),\"writes\":{"
        }
        decodedLines[pc] = (word, text)
        return text
    }

    func instruction(pc: UInt64, word: UInt32, cpu: CPU) {
        let prefix = decodedLine(pc: pc, word: word)
        let writes = changedRegisters(cpu)
        switch options.format {
        case .text:
            var line = prefix
            if !writes.isEmpty {
                line = line.padding(72) + " ; " + writes.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            }
            emit(line)
        case .jsonl:
            // Register names and hex values need no JSON escaping.
            emit(prefix + writes.map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",") + "}}")
        }
    }

    /// `    load  8 bytes at 0x000000000001fff8 = 0x0000000000010040` (under its instruction).
    func memory(pc: UInt64, address: UInt64, size: Int, value: UInt64, isStore: Bool) {
        let digits = String(value, radix: 16)
        let padded = String(repeating: "0", count: max(0, 2 * size - digits.count)) + digits
        switch options.format {
        case .text:
            emit("    \(isStore ? "store" : "load ") \(size) bytes at 0x\(hex64(address)) = 0x\(padded)")
        case .jsonl:
            emit("{\"type\":\"mem\",\"pc\":\"0x\(String(pc, radix: 16))\",\"access\":\"\(isStore ? "store" : "load")\",\"address\":\"0x\(String(address, radix: 16))\",\"size\":\(size),\"value\":\"0x\(padded)\"}")
        }
    }

    /// What stopped the guest: `fault: <reason> at <where>`, written even outside the window.
    func fault(reason: String, pc: UInt64, message: String) {
        let wasOpen = windowOpen
        windowOpen = true
        defer { windowOpen = wasOpen; flush() }
        switch options.format {
        case .text:
            emit("fault: " + message)
        case .jsonl:
            emit("{\"type\":\"fault\",\"pc\":\"0x\(String(pc, radix: 16))\",\"symbol\":\(JSON.string(symbols.describe(pc))),\"reason\":\(JSON.string(reason)),\"message\":\(JSON.string(message))}")
        }
    }

    /// `interrupt: program (illegal instruction) at main+0x10 -> 0x700 srr0=0x10010 srr1=0x8000000000081000`.
    public func interrupt(_ i: Interrupt, pc: UInt64, cpu: CPU) {
        guard windowOpen else { return }
        var fields: [(String, UInt64)] = [("srr0", cpu[RegisterSlot.srr0]), ("srr1", cpu[RegisterSlot.srr1])]
        switch i {
        case .dataStorage: fields += [("dar", cpu[RegisterSlot.dar]), ("dsisr", cpu[RegisterSlot.dsisr])]
        case .dataSegment, .alignment: fields.append(("dar", cpu[RegisterSlot.dar]))
        case .machineCheck(let f) where f.kind != .fetch: fields.append(("dar", cpu[RegisterSlot.dar]))
        default: break
        }
        let vector = "0x" + String(i.vector, radix: 16)
        switch options.format {
        case .text:
            emit("interrupt: \(i.name) at \(symbols.describe(pc)) -> \(vector) " + fields.map { "\($0.0)=0x\(String($0.1, radix: 16))" }.joined(separator: " "))
        case .jsonl:
            let f = fields.map { "\(JSON.string($0.0)):\"0x\(String($0.1, radix: 16))\"" }.joined(separator: ",")
            emit("{\"type\":\"interrupt\",\"pc\":\"0x\(String(pc, radix: 16))\",\"symbol\":\(JSON.string(symbols.describe(pc))),\"name\":\(JSON.string(i.name)),\"vector\":\"\(vector)\",\(f)}")
        }
    }

    /// `H_PUT_TERM_CHAR(termno=0x0, len=3, char0_7="hi\n", char8_15="") -> H_SUCCESS`.
    public func hcall(_ r: HcallRecord, pc: UInt64) {
        let name = r.spec?.name ?? "hcall 0x\(String(r.opcode, radix: 16))"
        let inputs = r.spec?.inputs ?? []
        let outputs = (r.spec?.outputs ?? []).enumerated().filter { !$0.element.name.isEmpty && r.written & (1 << UInt16($0.offset)) != 0 }
        switch options.format {
        case .text:
            let args = inputs.enumerated().map { "\($0.element.name)=\(Self.format(r.arguments[$0.offset], $0.element.format))" }
            var line = "\(name)(\(args.joined(separator: ", "))) -> \(HcallStatus.name(r.status))"
            for (i, o) in outputs { line += " \(o.name)=\(Self.format(r.results[i], o.format))" }
            emit(line)
        case .jsonl:
            let args = inputs.enumerated().map { "\(JSON.string($0.element.name)):\(JSON.string(Self.format(r.arguments[$0.offset], $0.element.format)))" }
            let outs = outputs.map { "\(JSON.string($0.element.name)):\(JSON.string(Self.format(r.results[$0.offset], $0.element.format)))" }
            emit("{\"type\":\"hcall\",\"pc\":\"0x\(String(pc, radix: 16))\",\"opcode\":\"0x\(String(r.opcode, radix: 16))\",\"name\":\(JSON.string(name)),\"args\":{\(args.joined(separator: ","))},\"status\":\(r.status),\"status_name\":\(JSON.string(HcallStatus.name(r.status))),\"outputs\":{\(outs.joined(separator: ","))}}")
        }
        flush()
    }

    /// `write(1, "hi\n", 3) = 3`, strace's form; jsonl adds the raw numbers.
    public func syscall(_ r: SyscallRecord, pc: UInt64) {
        let text = r.text ?? r.displayName
        switch options.format {
        case .text:
            emit(text)
        case .jsonl:
            let args = r.args.map { String($0) }.joined(separator: ",")
            let err = r.errno.map { ",\"errno\":\($0.code)" } ?? ""
            emit("{\"type\":\"syscall\",\"kind\":\"syscall\",\"pc\":\"0x\(String(pc, radix: 16))\",\"nr\":\(r.number),\"name\":\(JSON.string(r.displayName)),\"args\":[\(args)],\"result\":\(r.result)\(err),\"text\":\(JSON.string(text))}")
        }
        flush()
    }

    static func format(_ v: UInt64, _ f: ValueFormat) -> String {
        switch f {
        case .hex: return "0x" + String(v, radix: 16)
        case .decimal: return String(Int64(bitPattern: v))
        case .named(let names): return names[v] ?? "0x" + String(v, radix: 16)
        case .packedBytes:
            var s = "\""
            for i in 0..<8 {
                let b = UInt8(truncatingIfNeeded: v >> UInt64(56 - 8 * i))
                switch b {
                case 10: s += "\\n"
                case 13: s += "\\r"
                case 9: s += "\\t"
                case 34: s += "\\\""
                case 92: s += "\\\\"
                case 32..<127: s += String(UnicodeScalar(b))
                default: s += "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16)
                }
            }
            // Unused trailing bytes (beyond the hcall's length) are zero: leave them out.
            while s.hasSuffix("\\x00") { s.removeLast(4) }
            return s + "\""
        }
    }
}

enum JSON {
    static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += "\\u00" + (u.value < 16 ? "0" : "") + String(u.value, radix: 16) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}

extension Substring {
    func trimmingCharacters() -> String { String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}

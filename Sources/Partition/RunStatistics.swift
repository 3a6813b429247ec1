#if canImport(Glibc)
import Glibc
#endif
import PowerISA
import PAPR

func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// What `--stats` reports at exit.
public struct RunStatistics {
    public let instructions: UInt64
    public let seconds: Double
    public let exitStatus: Int32
    /// Executed instructions per mnemonic (record and other forms of one operation together),
    /// most frequent first.
    public let mnemonics: [(name: String, count: UInt64)]
    /// hcalls by name, then by status.
    public let hcalls: [String: [Int64: UInt64]]
    /// A Linux program's system calls by name, most frequent first.
    public let syscalls: [(name: String, count: UInt64)]
    /// Interrupts delivered to a PAPR guest, by kind, most frequent first.
    public let interrupts: [(name: String, count: UInt64)]
    /// Instructions per vCPU, in vCPU order (one entry when the machine has one).
    public let perVCPU: [UInt64]
    /// Radix walks on TLB misses, all vCPUs (0 when translation was never on).
    public let radixWalks: UInt64
    /// With `--engine jit`: what the block compiler did, or why it stayed off (nil: the
    /// interpreter ran alone, and nothing is printed).
    public var engineNote: String?

    init(instructions: UInt64, seconds: Double, exitStatus: Int32, opCounts: [UInt64], hcalls: [String: [Int64: UInt64]],
         syscalls: [(name: String, count: UInt64)], interrupts: [String: UInt64] = [:], perVCPU: [UInt64] = [], radixWalks: UInt64 = 0) {
        self.perVCPU = perVCPU
        self.radixWalks = radixWalks
        self.syscalls = syscalls
        self.interrupts = interrupts.map { (name: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
        self.instructions = instructions
        self.seconds = seconds
        self.exitStatus = exitStatus
        self.hcalls = hcalls
        var names = [String](repeating: "", count: Op.allCases.count)
        for spec in InstructionTable.specs where names[Int(spec.op.rawValue)].isEmpty { names[Int(spec.op.rawValue)] = spec.mnemonic }
        mnemonics = opCounts.enumerated().filter { $0.element > 0 }
            .map { (name: names[$0.offset], count: $0.element) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
    }

    public var mips: Double { seconds > 0 ? Double(instructions) / seconds / 1e6 : 0 }

    /// Several lines for stderr; the top 10 mnemonics.
    public var text: String {
        var s = "lpar: \(instructions) instructions in \(Self.fixed(seconds, 3)) s (\(Int(mips.rounded())) MIPS), exit status \(exitStatus)"
        if let engineNote { s += "\nlpar: " + engineNote }
        if perVCPU.count > 1 {
            s += "\nlpar: instructions by vCPU: " + perVCPU.enumerated().map { "cpu\($0.offset) \($0.element)" }.joined(separator: ", ")
        }
        if radixWalks > 0 { s += "\nlpar: radix walks (TLB misses): \(radixWalks)" }
        if !mnemonics.isEmpty {
            s += "\nlpar: top mnemonics:"
            for m in mnemonics.prefix(10) {
                let share = instructions > 0 ? Double(m.count) * 100 / Double(instructions) : 0
                s += "\n  " + m.name.padding(10) + String(m.count).leftPadding(12) + "  " + Self.fixed(share, 1).leftPadding(5) + "%"
            }
        }
        if !hcalls.isEmpty {
            s += "\nlpar: hcalls:"
            for name in hcalls.keys.sorted() {
                let byStatus = hcalls[name]!
                let total = byStatus.values.reduce(0, +)
                let detail = byStatus.keys.sorted().map { "\(HcallStatus.name($0)) \(byStatus[$0]!)" }.joined(separator: ", ")
                s += "\n  " + name.padding(34) + String(total).leftPadding(8) + "  " + detail
            }
        }
        if !interrupts.isEmpty {
            s += "\nlpar: interrupts delivered (\(interrupts.reduce(0) { $0 + $1.count })):"
            for c in interrupts { s += "\n  " + c.name.padding(34) + String(c.count).leftPadding(8) }
        }
        if !syscalls.isEmpty {
            s += "\nlpar: syscalls (\(syscalls.reduce(0) { $0 + $1.count })):"
            for c in syscalls { s += "\n  " + c.name.padding(34) + String(c.count).leftPadding(8) }
        }
        return s
    }

    /// One JSON object (`--stats-format json`).
    public var json: String {
        let ops = mnemonics.map { "{\"mnemonic\":\(JSON.string($0.name)),\"count\":\($0.count)}" }.joined(separator: ",")
        let hc = hcalls.keys.sorted().map { name -> String in
            let byStatus = hcalls[name]!
            let st = byStatus.keys.sorted().map { "\(JSON.string(HcallStatus.name($0))):\(byStatus[$0]!)" }.joined(separator: ",")
            return "{\"name\":\(JSON.string(name)),\"count\":\(byStatus.values.reduce(0, +)),\"status\":{\(st)}}"
        }.joined(separator: ",")
        let sc = syscalls.map { "{\"name\":\(JSON.string($0.name)),\"count\":\($0.count)}" }.joined(separator: ",")
        let ints = interrupts.map { "{\"name\":\(JSON.string($0.name)),\"count\":\($0.count)}" }.joined(separator: ",")
        return "{\"instructions\":\(instructions),\"seconds\":\(Self.fixed(seconds, 6)),\"mips\":\(Self.fixed(mips, 1)),\"exit_status\":\(exitStatus),\"mnemonics\":[\(ops)],\"hcalls\":[\(hc)],\"syscalls\":[\(sc)],\"interrupts\":[\(ints)],\"instructions_by_vcpu\":[\(perVCPU.map(String.init).joined(separator: ","))],\"radix_walks\":\(radixWalks)\(engineNote.map { ",\"engine\":" + JSON.string($0) } ?? "")}"
    }

    /// `x` with `digits` decimals, without Foundation.
    static func fixed(_ x: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let n = Int64((x * scale).rounded())
        let whole = n / Int64(scale), frac = abs(n % Int64(scale))
        guard digits > 0 else { return String(whole) }
        let f = String(frac)
        return (n < 0 && whole == 0 ? "-" : "") + String(whole) + "." + String(repeating: "0", count: digits - f.count) + f
    }
}

extension String {
    func leftPadding(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}

import PowerISA
import GuestMemory

/// How a register value is shown in traces and explanations.
public enum ValueFormat: Sendable, Equatable {
    /// 0x-prefixed hexadecimal.
    case hex
    /// Plain decimal.
    case decimal
    /// A value with named special cases (BIND_ANY_ADDR, scopes…); others in hex.
    case named([UInt64: String])
    /// Up to 8 bytes packed big-endian, shown as a quoted string (H_PUT_TERM_CHAR).
    case packedBytes
}

/// One register of an hcall's interface.
public struct HcallRegister: Sendable {
    public let name: String
    public let format: ValueFormat
    public let meaning: String
    public init(_ name: String, _ format: ValueFormat = .hex, _ meaning: String) {
        self.name = name; self.format = format; self.meaning = meaning
    }
}

/// One possible return code and when the hcall gives it.
public struct HcallReturn: Sendable {
    public let code: Int64
    public let when: String
    public init(_ code: Int64, _ when: String) { self.code = code; self.when = when }
}

/// The registers of one hcall: `args[0]` is r4 … `args[8]` is r12. Outputs are written in
/// place (as QEMU does), so an output an hcall does not write reads back as its argument.
public struct HcallRegisters {
    let base: UnsafeMutablePointer<UInt64>
    /// The calling vCPU (its SPRs, MSR, time base), for hcalls that act on the caller itself.
    public let cpu: CPU
    /// Bit i set when the handler wrote r(4+i).
    public private(set) var written: UInt16 = 0
    public init(cpu: CPU) { self.cpu = cpu; base = cpu.gpr + 4 }
    public subscript(i: Int) -> UInt64 {
        get { base[i] }
        set { base[i] = newValue; written |= 1 << UInt16(i) }
    }
}

/// One row of the hcall table: the single source for dispatch, tracing and `lpar explain`.
public struct HypercallSpec: @unchecked Sendable {
    public let opcode: UInt64
    public let name: String
    /// The PAPR function set that announces it in /rtas `ibm,hypertas-functions` ("hcall-splpar"
    /// …), or nil when a guest finds the hcall another way (by calling it, or a node of its own).
    public let functionSet: String?
    public let summary: String
    /// r4, r5, … in order.
    public let inputs: [HcallRegister]
    /// r4, r5, … in order (an empty name skips a register the hcall leaves alone).
    public let outputs: [HcallRegister]
    public let returns: [HcallReturn]
    /// How the guest continues a long operation, if it can.
    public let continuation: String?
    /// Where lpar deliberately differs from QEMU 7.2, if anywhere.
    public let qemuDifference: String?
    public let handler: (Hypervisor, inout HcallRegisters) -> Int64

    public init(opcode: UInt64, name: String, functionSet: String? = nil, summary: String, inputs: [HcallRegister], outputs: [HcallRegister],
                returns: [HcallReturn], continuation: String? = nil, qemuDifference: String? = nil,
                handler: @escaping (Hypervisor, inout HcallRegisters) -> Int64) {
        self.opcode = opcode; self.name = name; self.functionSet = functionSet; self.summary = summary; self.inputs = inputs
        self.outputs = outputs; self.returns = returns; self.continuation = continuation
        self.qemuDifference = qemuDifference; self.handler = handler
    }
}

/// What one `sc 1` did, for traces and statistics.
public struct HcallRecord {
    public let opcode: UInt64
    public let spec: HypercallSpec?
    /// r4…r12 on entry.
    public let arguments: [UInt64]
    public let status: Int64
    /// r4…r12 on exit.
    public let results: [UInt64]
    /// Bit i set when r(4+i) was written.
    public let written: UInt16
}

public enum HypercallTable {
    /// Every hcall lpar implements, sorted by opcode. Each group lives beside its handlers.
    public static let all: [HypercallSpec] =
        (consoleHypercalls + platformHypercalls + scmHypercalls + processorHypercalls + memoryHypercalls
         + splparHypercalls + xicsHypercalls + processTableHypercalls).sorted { $0.opcode < $1.opcode }

    /// The function sets of `ibm,hypertas-functions`: each distinct `functionSet` of the table,
    /// in opcode order of its first hcall, so the device tree announces exactly what is here.
    public static let functionSets: [String] = {
        var seen: [String] = []
        for spec in all { if let set = spec.functionSet, !seen.contains(set) { seen.append(set) } }
        return seen
    }()

    public static func spec(opcode: UInt64) -> HypercallSpec? { all.first { $0.opcode == opcode } }
    public static func spec(named name: String) -> HypercallSpec? {
        all.first { $0.name == name.uppercased() }
    }
}

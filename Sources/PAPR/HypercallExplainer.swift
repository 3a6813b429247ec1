/// Register-level explanations of hcalls, generated from the hcall table (no second copy of the
/// facts): what `lpar explain` prints.
public enum HypercallExplainer {
    /// Finds an hcall by name (`H_SCM_BIND_MEM`, case-insensitive, `H_` optional) or number
    /// (`0x3ec`, `1004`).
    public static func find(_ query: String) -> HypercallSpec? {
        let q = query.uppercased()
        if q.hasPrefix("0X"), let n = UInt64(q.dropFirst(2), radix: 16) { return HypercallTable.spec(opcode: n) }
        if let n = UInt64(q) { return HypercallTable.spec(opcode: n) }
        return HypercallTable.spec(named: q) ?? HypercallTable.spec(named: "H_" + q)
    }

    public static func explain(_ spec: HypercallSpec) -> String {
        var lines: [String] = []
        lines.append("\(spec.name) (opcode 0x\(String(spec.opcode, radix: 16, uppercase: true)) = \(spec.opcode))")
        lines.append(spec.summary)
        lines.append("")
        lines.append("Call: r3 = 0x\(String(spec.opcode, radix: 16, uppercase: true)), then `sc 1`.")
        if let set = spec.functionSet {
            lines.append("Announced by \"\(set)\" in /rtas ibm,hypertas-functions.")
        }
        lines.append("In:")
        if spec.inputs.isEmpty { lines.append("  (no arguments)") }
        for (i, r) in spec.inputs.enumerated() {
            lines.append("  r\(i + 4)  \(r.name.padded(28)) \(r.meaning)")
        }
        lines.append("Out:")
        lines.append("  r3  \("status".padded(28)) one of the return codes below")
        for (i, r) in spec.outputs.enumerated() where !r.name.isEmpty {
            lines.append("  r\(i + 4)  \(r.name.padded(28)) \(r.meaning)")
        }
        lines.append("  Registers not listed as outputs keep the values the guest put in them.")
        lines.append("Returns:")
        for ret in spec.returns {
            lines.append("  \(HcallStatus.name(ret.code).padded(26)) (\(ret.code))  \(ret.when)")
        }
        // The dispatcher's check, before any hcall runs (PAPR: hcalls are for the supervisor).
        if !spec.returns.contains(where: { $0.code == HcallStatus.privilege }) {
            lines.append("  \(HcallStatus.name(HcallStatus.privilege).padded(26)) (\(HcallStatus.privilege))  called from problem state (MSR[PR] = 1); true of every hcall")
        }
        if let c = spec.continuation {
            lines.append("Continuation:")
            lines.append("  " + c)
        }
        if let d = spec.qemuDifference {
            lines.append("Compared with QEMU 7.2:")
            lines.append("  " + d)
        }
        return lines.joined(separator: "\n")
    }

    /// `lpar explain sc`: the system-call instruction and its two ABIs.
    public static let scInstruction = """
    sc LEV — System Call (SC-form, primary opcode 17)
      sc 0 = 0x44000002   sc 1 = 0x44000022 (Linux calls it HVSC; the seed document says HVCS)

    sc 0 is the ordinary system call. Under Linux a program puts the system-call number in r0
    and arguments in r3-r8; the kernel returns the result in r3 and sets CR0[SO] on error (r3
    then holds a positive errno). lpar's PAPR guests have no kernel below them: sc 0 stops the
    guest with a report.

    sc 1 is the hypervisor call of a PAPR partition. The guest (in supervisor state, MSR[PR]=0)
    puts the hcall opcode in r3 and up to nine arguments in r4-r12. The hypervisor returns a
    status in r3 (H_SUCCESS = 0; negative values are errors; 18 H_CONTINUE and 9900-9905
    long-busy mean "call again") and outputs in r4-r12. Registers an hcall does not output keep
    their values. Data in memory buffers is big-endian. From problem state (MSR[PR]=1) every
    hcall returns H_PRIVILEGE (-3); an opcode lpar does not implement returns H_FUNCTION (-2).
    Execution continues at the instruction after sc.

    `lpar hcalls` lists the hcalls; `lpar explain H_NAME` shows one register by register.
    """
}

extension String {
    fileprivate func padded(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}

/// H_PUT_TERM_CHAR and the lpar exit hcall.
extension HypercallTable {
    /// lpar's own hcall to end the run with an exit status. It sits in the platform-specific
    /// range (0xF000 and up, where KVM's H_RTAS lives) at an opcode neither QEMU nor PowerVM
    /// defines, so a guest can tell lpar from QEMU: there it gets H_FUNCTION and can fall back to
    /// RTAS power-off.
    public static let lparExitOpcode: UInt64 = 0xFF00
    public static let vtermUnit: UInt64 = 0x30000000

    static let consoleHypercalls: [HypercallSpec] = [
        HypercallSpec(
            opcode: 0x58, name: "H_PUT_TERM_CHAR", functionSet: "hcall-term",
            summary: "Write up to 16 bytes to a virtual terminal.",
            inputs: [HcallRegister("termno", .hex, "virtual terminal unit address (0 = the default terminal)"),
                     HcallRegister("len", .decimal, "number of bytes, 0 to 16"),
                     HcallRegister("char0_7", .packedBytes, "bytes 0-7, first byte in the most significant byte"),
                     HcallRegister("char8_15", .packedBytes, "bytes 8-15")],
            outputs: [],
            returns: [HcallReturn(HcallStatus.success, "the bytes were written"),
                      HcallReturn(HcallStatus.parameter, "termno is not a terminal, or len > 16")],
            handler: { hv, r in
                guard r[0] == 0 || r[0] == vtermUnit else { return HcallStatus.parameter }
                let len = r[1]
                guard len <= 16 else { return HcallStatus.parameter }
                var bytes: [UInt8] = []
                for i in 0..<Int(len) {
                    let word = i < 8 ? r[2] : r[3]
                    bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(56 - 8 * (i % 8))))
                }
                hv.console.write(bytes)
                return HcallStatus.success
            }),
        HypercallSpec(
            opcode: lparExitOpcode, name: "H_LPAR_EXIT",
            summary: "lpar only: end the partition; lpar exits with the given status.",
            inputs: [HcallRegister("status", .decimal, "exit status, 0-255")],
            outputs: [],
            returns: [HcallReturn(HcallStatus.success, "never seen by the guest: the partition stops")],
            qemuDifference: "QEMU does not have it (H_FUNCTION); guests fall back to RTAS power-off.",
            handler: { hv, r in
                hv.exitStatus = Int32(truncatingIfNeeded: r[0] & 0xFF)
                return HcallStatus.success
            }),
    ]
}

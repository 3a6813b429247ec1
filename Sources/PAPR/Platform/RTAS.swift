#if canImport(Glibc)
import Glibc
#endif

/// RTAS behind H_RTAS (0xF000, QEMU/KVM's platform hcall): r4 = guest address of an argument
/// buffer of big-endian 32-bit words {token, nargs, nret, args…, rets…}. Tokens are QEMU's
/// (display-character 0x2000, get-time-of-day 0x2001, power-off 0x2003) plus lpar's own
/// `lpar,exit` (0x2100) that ends the run with a status.
public enum RTAS {
    public struct Call: Sendable { public let name: String; public let token: UInt32; public let nargs: Int; public let nret: Int }
    public static let calls: [Call] = [
        Call(name: "display-character", token: 0x2000, nargs: 1, nret: 1),
        Call(name: "get-time-of-day", token: 0x2001, nargs: 0, nret: 8),
        Call(name: "power-off", token: 0x2003, nargs: 2, nret: 1),
        Call(name: "lpar,exit", token: 0x2100, nargs: 1, nret: 1),
    ]

    static func call(_ hv: Hypervisor, _ r: inout HcallRegisters) -> Int64 {
        let buffer = r[0] & ~0xF000_0000_0000_0000   // as QEMU's ppc64_phys_to_real
        func word(_ i: UInt64) -> UInt32? { hv.memory.load32(buffer &+ 4 * i) }
        guard let token = word(0), let nargs = word(1), let nret = word(2), nargs <= 16, nret <= 16,
              hv.memory.isMapped(buffer, UInt64(12 + 4 * (nargs + nret))) else { return HcallStatus.parameter }
        let args = (0..<UInt64(nargs)).map { word(3 + $0)! }
        func ret(_ i: Int, _ v: Int32) { if i < nret { hv.memory.store32(buffer + 12 + 4 * UInt64(Int(nargs) + i), UInt32(bitPattern: v)) } }
        guard let c = calls.first(where: { $0.token == token }) else { ret(0, -3); return HcallStatus.parameter }
        guard args.count == c.nargs, Int(nret) == c.nret else { ret(0, -3); return HcallStatus.success }
        switch c.name {
        case "display-character":
            hv.console.write([UInt8(truncatingIfNeeded: args[0])])
            ret(0, 0)
        case "get-time-of-day":
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            var t = time_t(ts.tv_sec)
            var tm = tm()
            gmtime_r(&t, &tm)
            let values: [Int32] = [0, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, Int32(ts.tv_nsec)]
            for (i, v) in values.enumerated() { ret(i, v) }
        case "power-off":
            hv.exitStatus = 0
            ret(0, 0)
        default: // lpar,exit
            hv.exitStatus = Int32(truncatingIfNeeded: args[0] & 0xFF)
            ret(0, 0)
        }
        return HcallStatus.success
    }
}

extension HypercallTable {
    static let platformHypercalls: [HypercallSpec] = [
        HypercallSpec(
            opcode: 0x54, name: "H_GET_TERM_CHAR",
            summary: "Read up to 16 bytes waiting on a virtual terminal (lpar's standard input).",
            inputs: [HcallRegister("termno", .hex, "virtual terminal unit address (0 = the default terminal)")],
            outputs: [HcallRegister("len", .decimal, "bytes read, 0 to 16"),
                      HcallRegister("char0_7", .packedBytes, "bytes 0-7, first in the most significant byte"),
                      HcallRegister("char8_15", .packedBytes, "bytes 8-15")],
            returns: [HcallReturn(HcallStatus.success, "r4 bytes are in r5-r6 (0 when nothing is waiting)"),
                      HcallReturn(HcallStatus.parameter, "termno is not a terminal")],
            handler: { hv, r in
                guard r[0] == 0 || r[0] == vtermUnit else { return HcallStatus.parameter }
                var bytes = [UInt8](repeating: 0, count: 16)
                var pfd = pollfd(fd: hv.console.inputFD, events: Int16(POLLIN), revents: 0)
                var n = 0
                if hv.console.inputFD >= 0, poll(&pfd, 1, 0) > 0 { n = max(0, read(hv.console.inputFD, &bytes, 16)) }
                var words: [UInt64] = [0, 0]
                for i in 0..<n { words[i / 8] |= UInt64(bytes[i]) << UInt64(56 - 8 * (i % 8)) }
                r[0] = UInt64(n); r[1] = words[0]; r[2] = words[1]
                return HcallStatus.success
            }),
        HypercallSpec(
            opcode: 0xF000, name: "H_RTAS",
            summary: "Call RTAS: r4 points at {token, nargs, nret, args, rets} (big-endian u32s); tokens are in the device tree's /rtas node.",
            inputs: [HcallRegister("rtasBuffer", .hex, "guest address of the RTAS argument buffer")],
            outputs: [],
            returns: [HcallReturn(HcallStatus.success, "the call ran; its own status is rets[0] (0 ok, -3 bad arguments)"),
                      HcallReturn(HcallStatus.parameter, "unknown token (rets[0] = -3) or a buffer outside guest memory")],
            qemuDifference: "lpar adds the `lpar,exit` call (token 0x2100, arg0 = exit status).",
            handler: { hv, r in RTAS.call(hv, &r) }),
    ]
}

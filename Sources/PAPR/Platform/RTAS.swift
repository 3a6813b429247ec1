#if canImport(Glibc)
import Glibc
#endif

/// RTAS behind H_RTAS (0xF000, QEMU/KVM's platform hcall): r4 = guest address of an argument
/// buffer of big-endian 32-bit words {token, nargs, nret, args…, rets…}. Tokens are QEMU's
/// (`RTAS_TOKEN_BASE` 0x2000 + QEMU's index) plus lpar's own `lpar,exit` (0x2100) that ends the
/// run with a status.
public enum RTAS {
    public struct Call: Sendable { public let name: String; public let token: UInt32; public let nargs: Int; public let nret: Int }
    public static let calls: [Call] = [
        Call(name: "display-character", token: 0x2000, nargs: 1, nret: 1),
        Call(name: "get-time-of-day", token: 0x2001, nargs: 0, nret: 8),
        Call(name: "set-time-of-day", token: 0x2002, nargs: 7, nret: 1),
        Call(name: "power-off", token: 0x2003, nargs: 2, nret: 1),
        Call(name: "query-cpu-stopped-state", token: 0x2005, nargs: 1, nret: 2),
        Call(name: "start-cpu", token: 0x2006, nargs: 3, nret: 1),
        Call(name: "stop-self", token: 0x2007, nargs: 0, nret: 1),
        // XICS interrupt sources (ICS): lpar has none yet (the console is polled), so every
        // interrupt number is a parameter error; Linux's XICS setup needs the calls to exist.
        Call(name: "ibm,set-xive", token: 0x2010, nargs: 3, nret: 1),
        Call(name: "ibm,get-xive", token: 0x2011, nargs: 1, nret: 3),
        Call(name: "ibm,int-off", token: 0x2012, nargs: 1, nret: 1),
        Call(name: "ibm,int-on", token: 0x2013, nargs: 1, nret: 1),
        Call(name: "lpar,exit", token: 0x2100, nargs: 1, nret: 1),
    ]

    /// RTAS statuses (rets[0]).
    static let success: Int32 = 0
    static let hardwareError: Int32 = -1
    static let parameterError: Int32 = -3
    /// query-cpu-stopped-state's rets[1]: 0 stopped, 2 running (PAPR; QEMU answers the same).
    static let cpuRunning: Int32 = 2
    static let cpuStopped: Int32 = 0

    static func call(_ hv: Hypervisor, _ r: inout HcallRegisters) -> Int64 {
        let buffer = r[0] & ~0xF000_0000_0000_0000   // as QEMU's ppc64_phys_to_real
        func word(_ i: UInt64) -> UInt32? { hv.memory.load32(buffer &+ 4 * i) }
        guard let token = word(0), let nargs = word(1), let nret = word(2), nargs <= 16, nret <= 16,
              hv.memory.isMapped(buffer, UInt64(12 + 4 * (nargs + nret))) else { return HcallStatus.parameter }
        let args = (0..<UInt64(nargs)).map { word(3 + $0)! }
        func ret(_ i: Int, _ v: Int32) {
            guard i < nret else { return }
            let a = buffer + 12 + 4 * UInt64(Int(nargs) + i)
            if hv.memory.store32(a, UInt32(bitPattern: v)) { hv.memory.noteWrite(a, 4) }
        }
        guard let c = calls.first(where: { $0.token == token }) else { ret(0, parameterError); return HcallStatus.parameter }
        guard args.count == c.nargs, Int(nret) == c.nret else { ret(0, parameterError); return HcallStatus.success }
        let signed = args.map { Int(Int32(bitPattern: $0)) }
        switch c.name {
        case "display-character":
            hv.console.write([UInt8(truncatingIfNeeded: args[0])])
            ret(0, success)
        case "get-time-of-day":
            let t = hv.timeOfDay.now(timeBase: hv.timeBase())
            let values = [0, t.year, t.month, t.day, t.hour, t.minute, t.second, t.nanosecond]
            for (i, v) in values.enumerated() { ret(i, Int32(truncatingIfNeeded: v)) }
        case "set-time-of-day":
            // args: year, month, day, hour, minute, second, nanosecond. QEMU ignores the
            // nanoseconds (kvm-unit-tests passes only six values); lpar takes them when they are
            // a valid count and otherwise sets the whole second.
            var t = CalendarTime(year: signed[0], month: signed[1], day: signed[2], hour: signed[3], minute: signed[4], second: signed[5])
            guard t.isValid else { ret(0, parameterError); break }
            if (0...999_999_999).contains(signed[6]) { t.nanosecond = signed[6] }
            hv.timeOfDay.set(t, timeBase: hv.timeBase())
            ret(0, success)
        case "query-cpu-stopped-state":
            // args: processor number; rets: status, state (0 stopped, 2 running).
            guard args[0] < UInt32(hv.processors.count) else { ret(0, parameterError); break }
            let stopped = hv.processorControl?.isStopped(Int(args[0])) ?? false
            ret(0, success); ret(1, stopped ? cpuStopped : cpuRunning)
        case "start-cpu":
            // args: processor number, start address, r3. A vCPU that is not stopped cannot be
            // started (QEMU: hardware error).
            guard args[0] < UInt32(hv.processors.count) else { ret(0, parameterError); break }
            let started = hv.processorControl?.start(Int(args[0]), entry: UInt64(args[1]), r3: UInt64(args[2])) ?? false
            ret(0, started ? success : hardwareError)
        case "stop-self":
            // No return on success: the caller stops; another vCPU's start-cpu restarts it.
            ret(0, success)
            hv.processorControl?.stopSelf(r.cpu)
        case "ibm,set-xive", "ibm,get-xive", "ibm,int-off", "ibm,int-on":
            ret(0, parameterError)
        case "power-off":
            hv.exitStatus = 0
            ret(0, success)
        default: // lpar,exit
            hv.exitStatus = Int32(truncatingIfNeeded: args[0] & 0xFF)
            ret(0, success)
        }
        return HcallStatus.success
    }
}

extension HypercallTable {
    static let platformHypercalls: [HypercallSpec] = [
        HypercallSpec(
            opcode: 0x54, name: "H_GET_TERM_CHAR", functionSet: "hcall-term",
            summary: "Read up to 16 bytes waiting on a virtual terminal (lpar's standard input).",
            inputs: [HcallRegister("termno", .hex, "virtual terminal unit address (0 = the default terminal)")],
            outputs: [HcallRegister("len", .decimal, "bytes read, 0 to 16"),
                      HcallRegister("char0_7", .packedBytes, "bytes 0-7, first in the most significant byte"),
                      HcallRegister("char8_15", .packedBytes, "bytes 8-15")],
            returns: [HcallReturn(HcallStatus.success, "r4 bytes are in r5-r6 (0 when nothing is waiting)"),
                      HcallReturn(HcallStatus.parameter, "termno is not a terminal")],
            handler: { hv, r in
                guard r[0] == 0 || r[0] == vtermUnit else { return HcallStatus.parameter }
                let bytes = hv.console.readInput(max: 16)
                var words: [UInt64] = [0, 0]
                for (i, b) in bytes.enumerated() { words[i / 8] |= UInt64(b) << UInt64(56 - 8 * (i % 8)) }
                r[0] = UInt64(bytes.count); r[1] = words[0]; r[2] = words[1]
                return HcallStatus.success
            }),
        HypercallSpec(
            opcode: 0xF000, name: "H_RTAS",
            summary: "Call RTAS: r4 points at {token, nargs, nret, args, rets} (big-endian u32s); tokens are in the device tree's /rtas node.",
            inputs: [HcallRegister("rtasBuffer", .hex, "guest address of the RTAS argument buffer")],
            outputs: [],
            returns: [HcallReturn(HcallStatus.success, "the call ran; its own status is rets[0] (0 ok, -1 hardware error, -3 bad arguments)"),
                      HcallReturn(HcallStatus.parameter, "unknown token (rets[0] = -3) or a buffer outside guest memory")],
            qemuDifference: "lpar adds the `lpar,exit` call (token 0x2100, arg0 = exit status).",
            handler: { hv, r in RTAS.call(hv, &r) }),
    ]
}

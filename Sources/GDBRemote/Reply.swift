// Reply payloads (before framing).

public enum GDBReply {
    public static let ok: [UInt8] = Array("OK".utf8)
    /// The empty reply: "this stub does not know that packet".
    public static let empty: [UInt8] = []

    /// `Enn`; the number is errno-like by convention (gdb only checks the `E`).
    public static func error(_ code: UInt8) -> [UInt8] { [UInt8(ascii: "E")] + GDBHex.byte(code) }

    /// EFAULT: memory that cannot be read or written.
    public static let badAddress = error(0x0e)
    /// EINVAL: a packet this stub understands but cannot accept.
    public static let invalid = error(0x16)

    /// `S sig` when nothing more is known, otherwise `T sig` with `reason:value;` pairs and the
    /// thread. `swbreak`/`hwbreak` only go to a gdb that announced them in qSupported.
    public static func stop(_ stop: GDBStop, gdbAcceptsSwbreak: Bool = true, gdbAcceptsHwbreak: Bool = true) -> [UInt8] {
        var pairs: [UInt8] = []
        func pair(_ name: String, _ value: [UInt8]) {
            pairs += Array(name.utf8) + [UInt8(ascii: ":")] + value + [UInt8(ascii: ";")]
        }
        switch stop.reason {
        case .softwareBreakpoint? where gdbAcceptsSwbreak: pair("swbreak", [])
        case .hardwareBreakpoint? where gdbAcceptsHwbreak: pair("hwbreak", [])
        case .watchpoint(let kind, let address)?:
            let name = kind == .readWatchpoint ? "rwatch" : kind == .accessWatchpoint ? "awatch" : "watch"
            pair(name, GDBHex.number(address))
        case .historyBegin?: pair("replaylog", Array("begin".utf8))
        case .historyEnd?: pair("replaylog", Array("end".utf8))
        default: break
        }
        if let t = stop.thread { pair("thread", GDBHex.number(UInt64(t))) }
        let letter = pairs.isEmpty ? UInt8(ascii: "S") : UInt8(ascii: "T")
        return [letter] + GDBHex.byte(stop.signal.rawValue) + pairs
    }

    /// `W status` or `X sig`.
    public static func exit(_ exit: GDBExit) -> [UInt8] {
        switch exit {
        case .exited(let status): return [UInt8(ascii: "W")] + GDBHex.byte(status)
        case .terminated(let signal): return [UInt8(ascii: "X")] + GDBHex.byte(signal.rawValue)
        }
    }

    /// One chunk of a qXfer object: `m` + data while more follows, `l` + data for the last
    /// (binary; the framing escapes it).
    public static func transferChunk(of object: [UInt8], offset: Int, length: Int) -> [UInt8] {
        guard offset < object.count else { return [UInt8(ascii: "l")] }
        let end = min(object.count, offset + length)
        return [end == object.count ? UInt8(ascii: "l") : UInt8(ascii: "m")] + object[offset..<end]
    }

    /// The qSupported reply for our features; reverse execution only when the target has it.
    public static func supported(packetSize: Int, reverseExecution: Bool) -> [UInt8] {
        var features = ["PacketSize=" + String(packetSize, radix: 16), "qXfer:features:read+", "swbreak+", "hwbreak+",
                        "vContSupported+", "QStartNoAckMode+"]
        if reverseExecution { features += ["ReverseStep+", "ReverseContinue+"] }
        return Array(features.joined(separator: ";").utf8)
    }

    /// The actions `vCont?` offers: continue and step, each with or without a signal.
    public static let vContActions: [UInt8] = Array("vCont;c;C;s;S".utf8)

    /// `m` + comma-separated thread ids, for qfThreadInfo.
    public static func threadList(_ threads: [GDBThreadID]) -> [UInt8] {
        guard !threads.isEmpty else { return [UInt8(ascii: "l")] }
        return [UInt8(ascii: "m")] + Array(threads.map { String($0, radix: 16) }.joined(separator: ",").utf8)
    }

    public static func currentThread(_ t: GDBThreadID) -> [UInt8] { Array("QC".utf8) + GDBHex.number(UInt64(t)) }
}

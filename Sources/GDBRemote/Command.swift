// gdb's packets as a typed value. Parsing knows the syntax only; what each command does to a
// target is the session's business.

/// One way a thread may move when resumed.
public struct GDBThreadMotion: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case step
        case `continue`
    }

    public var kind: Kind
    /// A signal gdb asks to deliver as the thread resumes (`C`/`S`), nil for none.
    public var signal: GDBSignal?

    public init(_ kind: Kind, signal: GDBSignal? = nil) {
        self.kind = kind
        self.signal = signal
    }

    public static let step = GDBThreadMotion(.step)
    public static let `continue` = GDBThreadMotion(.continue)
}

/// One `vCont` action: a motion and the threads it applies to (all when the packet names none).
public struct GDBResumeAction: Equatable, Sendable {
    public var motion: GDBThreadMotion
    public var threads: GDBThreadSelector

    public init(_ motion: GDBThreadMotion, threads: GDBThreadSelector = .all) {
        self.motion = motion
        self.threads = threads
    }
}

public enum GDBCommand: Equatable, Sendable {
    /// `qSupported:feat;feat...` with gdb's own features (`swbreak+`, `xmlRegisters=i386`...).
    case querySupported([String])
    case startNoAckMode
    /// `qXfer:features:read:ANNEX:OFFSET,LENGTH`.
    case readFeatures(annex: String, offset: Int, length: Int)
    /// `?`
    case haltReason
    /// `g`
    case readRegisters
    /// `G XX...`, registers in target byte order, concatenated in register-number order.
    case writeRegisters([UInt8])
    /// `p n`
    case readRegister(Int)
    /// `P n=XX...`
    case writeRegister(Int, [UInt8])
    /// `m addr,len`
    case readMemory(address: UInt64, length: Int)
    /// `M addr,len:XX...` and `X addr,len:BIN...`, both with their data decoded.
    case writeMemory(address: UInt64, bytes: [UInt8])
    /// `Z type,addr,kind`
    case insertStopPoint(GDBStopPoint)
    /// `z type,addr,kind`
    case removeStopPoint(GDBStopPoint)
    /// `c [addr]`, `C sig[;addr]`
    case `continue`(GDBThreadMotion, address: UInt64?)
    /// `s [addr]`, `S sig[;addr]`
    case step(GDBThreadMotion, address: UInt64?)
    /// `vCont?`
    case vContQuery
    /// `vCont;ACTION[:TID];...`
    case vCont([GDBResumeAction])
    /// `bs`
    case reverseStep
    /// `bc`
    case reverseContinue
    /// `Hg tid` (registers and memory) or `Hc tid` (old-style `s`/`c`).
    case selectThread(ThreadOperation, GDBThreadSelector)
    /// `qfThreadInfo`
    case threadListFirst
    /// `qsThreadInfo`
    case threadListNext
    /// `qC`
    case currentThread
    /// `T tid`
    case threadAlive(GDBThreadSelector)
    case queryAttached
    case queryOffsets
    /// `qSymbol::` and its follow-ups: the stub wants no symbols.
    case querySymbol
    /// `k`
    case kill
    /// `D` or `D;pid`
    case detach
    /// `vKill;pid`
    case vKill
    /// Anything this stub does not implement (including `vMustReplyEmpty`): the reply is empty.
    case unsupported(String)
    /// A known command with bad syntax: the reply is an error.
    case malformed(String)

    public enum ThreadOperation: Equatable, Sendable {
        case general
        case resume
    }
}

extension GDBCommand {
    public init(packet: [UInt8]) {
        self = GDBCommandParser(packet).parse()
    }
}

struct GDBCommandParser {
    let p: [UInt8]
    let text: String

    init(_ packet: [UInt8]) {
        p = packet
        // The header of every command is ASCII; only X carries binary, after its ':'.
        let headerEnd = packet.firstIndex(of: UInt8(ascii: ":")) ?? packet.count
        text = String(decoding: packet[0..<(packet.first == UInt8(ascii: "X") ? headerEnd : packet.count)], as: UTF8.self)
    }

    var malformed: GDBCommand { .malformed(text) }

    func parse() -> GDBCommand {
        guard let first = p.first else { return .unsupported("") }
        let rest = Array(p.dropFirst())
        switch first {
        case UInt8(ascii: "?"): return rest.isEmpty ? .haltReason : malformed
        case UInt8(ascii: "g"): return rest.isEmpty ? .readRegisters : malformed
        case UInt8(ascii: "G"):
            guard let data = GDBHex.decode(rest) else { return malformed }
            return .writeRegisters(data)
        case UInt8(ascii: "p"):
            guard let n = GDBHex.parseNumber(rest), n < 1 << 16 else { return malformed }
            return .readRegister(Int(n))
        case UInt8(ascii: "P"):
            let parts = split(rest, at: "=")
            guard parts.count == 2, let n = GDBHex.parseNumber(parts[0]), n < 1 << 16,
                  let value = GDBHex.decode(parts[1]) else { return malformed }
            return .writeRegister(Int(n), value)
        case UInt8(ascii: "m"):
            guard let (address, length) = addressAndLength(rest) else { return malformed }
            return .readMemory(address: address, length: length)
        case UInt8(ascii: "M"), UInt8(ascii: "X"):
            guard let colon = rest.firstIndex(of: UInt8(ascii: ":")),
                  let (address, length) = addressAndLength(Array(rest[..<colon])) else { return malformed }
            let payload = rest[(colon + 1)...]
            let data = first == UInt8(ascii: "M") ? GDBHex.decode(payload) : Array(payload)
            guard let bytes = data, bytes.count == length else { return malformed }
            return .writeMemory(address: address, bytes: bytes)
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            let fields = split(rest, at: ",")
            guard fields.count >= 3, fields[0].count == 1,
                  let type = GDBHex.parseNumber(fields[0]), let kind = GDBStopPointKind(rawValue: Int(type)),
                  let address = GDBHex.parseNumber(fields[1]),
                  let length = GDBHex.parseNumber(fields[2].prefix { $0 != UInt8(ascii: ";") }), length <= Int32.max
            else { return malformed }
            let point = GDBStopPoint(kind: kind, address: address, length: Int(length))
            return first == UInt8(ascii: "Z") ? .insertStopPoint(point) : .removeStopPoint(point)
        case UInt8(ascii: "c"), UInt8(ascii: "s"):
            let kind: GDBThreadMotion.Kind = first == UInt8(ascii: "c") ? .continue : .step
            if rest.isEmpty { return resume(GDBThreadMotion(kind), address: nil) }
            guard let address = GDBHex.parseNumber(rest) else { return malformed }
            return resume(GDBThreadMotion(kind), address: address)
        case UInt8(ascii: "C"), UInt8(ascii: "S"):
            let kind: GDBThreadMotion.Kind = first == UInt8(ascii: "C") ? .continue : .step
            let parts = split(rest, at: ";")
            guard let sig = parseSignal(parts[0]), parts.count <= 2 else { return malformed }
            var address: UInt64? = nil
            if parts.count == 2 {
                guard let a = GDBHex.parseNumber(parts[1]) else { return malformed }
                address = a
            }
            return resume(GDBThreadMotion(kind, signal: sig), address: address)
        case UInt8(ascii: "H"):
            guard let op = rest.first, let sel = parseThread(rest.dropFirst()) else { return malformed }
            switch op {
            case UInt8(ascii: "g"): return .selectThread(.general, sel)
            case UInt8(ascii: "c"): return .selectThread(.resume, sel)
            default: return malformed
            }
        case UInt8(ascii: "T"):
            guard let sel = parseThread(rest[...]) else { return malformed }
            return .threadAlive(sel)
        case UInt8(ascii: "k"): return .kill
        case UInt8(ascii: "D"): return rest.isEmpty || rest.first == UInt8(ascii: ";") ? .detach : malformed
        case UInt8(ascii: "b"):
            if rest == [UInt8(ascii: "s")] { return .reverseStep }
            if rest == [UInt8(ascii: "c")] { return .reverseContinue }
            return .unsupported(text)
        case UInt8(ascii: "q"), UInt8(ascii: "Q"): return parseQuery()
        case UInt8(ascii: "v"): return parseV()
        default: return .unsupported(text)
        }
    }

    func resume(_ motion: GDBThreadMotion, address: UInt64?) -> GDBCommand {
        motion.kind == .continue ? .continue(motion, address: address) : .step(motion, address: address)
    }

    func parseQuery() -> GDBCommand {
        if text == "QStartNoAckMode" { return .startNoAckMode }
        if text == "qSupported" { return .querySupported([]) }
        if text.hasPrefix("qSupported:") {
            return .querySupported(text.dropFirst("qSupported:".count).split(separator: ";").map(String.init))
        }
        if text.hasPrefix("qXfer:features:read:") {
            let args = text.dropFirst("qXfer:features:read:".count)
            guard let colon = args.lastIndex(of: ":") else { return malformed }
            let annex = String(args[..<colon])
            let range = args[args.index(after: colon)...].split(separator: ",", omittingEmptySubsequences: false)
            guard range.count == 2, let offset = GDBHex.parseNumber(Array(range[0].utf8)),
                  let length = GDBHex.parseNumber(Array(range[1].utf8)),
                  offset <= Int32.max, length <= Int32.max else { return malformed }
            return .readFeatures(annex: annex, offset: Int(offset), length: Int(length))
        }
        switch text {
        case "qfThreadInfo": return .threadListFirst
        case "qsThreadInfo": return .threadListNext
        case "qC": return .currentThread
        case "qOffsets": return .queryOffsets
        default: break
        }
        if text == "qAttached" || text.hasPrefix("qAttached:") { return .queryAttached }
        if text.hasPrefix("qSymbol:") { return .querySymbol }
        return .unsupported(text)
    }

    func parseV() -> GDBCommand {
        if text == "vCont?" { return .vContQuery }
        if text == "vKill" || text.hasPrefix("vKill;") { return .vKill }
        guard text.hasPrefix("vCont;") else { return .unsupported(text) }
        var actions: [GDBResumeAction] = []
        for field in split(Array(p.dropFirst("vCont;".count)), at: ";") {
            let parts = split(field, at: ":")
            guard parts.count <= 2, let letter = parts[0].first else { return malformed }
            var threads = GDBThreadSelector.all
            if parts.count == 2 {
                guard let sel = parseThread(parts[1][...]) else { return malformed }
                threads = sel
            }
            let argument = parts[0].dropFirst()
            let motion: GDBThreadMotion
            switch letter {
            case UInt8(ascii: "c") where argument.isEmpty: motion = .continue
            case UInt8(ascii: "s") where argument.isEmpty: motion = .step
            case UInt8(ascii: "C"), UInt8(ascii: "S"):
                guard let sig = parseSignal(Array(argument)) else { return malformed }
                motion = GDBThreadMotion(letter == UInt8(ascii: "C") ? .continue : .step, signal: sig)
            default: return malformed  // t and r are not offered in the vCont? reply
            }
            actions.append(GDBResumeAction(motion, threads: threads))
        }
        return actions.isEmpty ? malformed : .vCont(actions)
    }

    func addressAndLength(_ bytes: [UInt8]) -> (UInt64, Int)? {
        let parts = split(bytes, at: ",")
        guard parts.count == 2, let address = GDBHex.parseNumber(parts[0]),
              let length = GDBHex.parseNumber(parts[1]), length <= Int32.max else { return nil }
        return (address, Int(length))
    }

    func parseSignal(_ bytes: [UInt8]) -> GDBSignal? {
        guard bytes.count == 2, let v = GDBHex.parseNumber(bytes) else { return nil }
        return GDBSignal(rawValue: UInt8(v))
    }

    /// `-1`, `0` or a positive hex thread id (multiprocess `pPID.TID` is not offered).
    func parseThread(_ bytes: ArraySlice<UInt8>) -> GDBThreadSelector? {
        if Array(bytes) == Array("-1".utf8) { return .all }
        guard let v = GDBHex.parseNumber(bytes), v <= Int32.max else { return nil }
        return v == 0 ? .any : .thread(Int(v))
    }

    func split(_ bytes: [UInt8], at separator: Character) -> [[UInt8]] {
        bytes.split(separator: UInt8(ascii: separator.unicodeScalars.first!), omittingEmptySubsequences: false).map(Array.init)
    }
}

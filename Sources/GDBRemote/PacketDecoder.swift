// Incoming bytes, in whatever chunks the socket hands over, become events: acknowledgements,
// ^C interrupts and packets whose checksum was verified. Escapes (`}` + byte^0x20) and run-length
// repeats (`*` + count, repeating the last decoded byte) are undone in one pass, as gdb's own
// reader does, so binary `X` data arrives exactly.

public enum GDBPacketEvent: Equatable, Sendable {
    /// A packet with a correct checksum; the payload with escapes and repeats expanded.
    case packet([UInt8])
    /// A packet that arrived damaged (checksum mismatch, bad checksum digits, a repeat with
    /// nothing to repeat, or too long); in ack mode the answer is `-`, asking gdb to resend.
    case corruptPacket
    case ack
    case nak
    case interrupt
}

public struct GDBPacketDecoder: Sendable {
    enum State: Sendable {
        case idle
        case body
        case checksumHigh
        case checksumLow(UInt8)
    }

    /// Beyond this a packet is garbage (our PacketSize is far smaller); it is reported corrupt
    /// instead of growing without bound.
    public let maxPayload: Int

    var state = State.idle
    var payload: [UInt8] = []
    var sum: UInt8 = 0
    var escaping = false
    var repeating = false
    var damaged = false

    public init(maxPayload: Int = 1 << 20) {
        self.maxPayload = maxPayload
    }

    /// Feeds a chunk; returns the events it completes, in order.
    public mutating func feed<C: Collection>(_ bytes: C) -> [GDBPacketEvent] where C.Element == UInt8 {
        var events: [GDBPacketEvent] = []
        for b in bytes {
            if let e = step(b) { events.append(e) }
        }
        return events
    }

    mutating func beginPacket() {
        state = .body
        payload.removeAll(keepingCapacity: true)
        sum = 0
        escaping = false
        repeating = false
        damaged = false
    }

    mutating func append(_ b: UInt8, count: Int = 1) {
        if payload.count + count > maxPayload {
            damaged = true
            return
        }
        for _ in 0..<count { payload.append(b) }
    }

    mutating func step(_ b: UInt8) -> GDBPacketEvent? {
        switch state {
        case .idle:
            switch b {
            case GDBPacket.start: beginPacket()
            case GDBPacket.ack: return .ack
            case GDBPacket.nak: return .nak
            case GDBPacket.interrupt: return .interrupt
            default: break  // line noise between packets
            }
            return nil

        case .body:
            if b == GDBPacket.start && !escaping && !repeating {
                // A `$` is always escaped inside a packet, so a bare one means the previous
                // packet was cut short: start over with the new one.
                beginPacket()
                return nil
            }
            if b == GDBPacket.end && !escaping && !repeating {
                state = .checksumHigh
                return nil
            }
            sum &+= b
            if escaping {
                escaping = false
                append(b ^ 0x20)
            } else if repeating {
                repeating = false
                let extra = Int(b) - 29
                if let last = payload.last, extra > 0 { append(last, count: extra) } else { damaged = true }
            } else if b == GDBPacket.escape {
                escaping = true
            } else if b == GDBPacket.repeatMark {
                repeating = true
            } else {
                append(b)
            }
            return nil

        case .checksumHigh:
            guard let h = GDBHex.digitValue(b) else {
                state = .idle
                return .corruptPacket
            }
            state = .checksumLow(h)
            return nil

        case .checksumLow(let h):
            state = .idle
            guard let l = GDBHex.digitValue(b), h << 4 | l == sum, !damaged else { return .corruptPacket }
            return .packet(payload)
        }
    }
}

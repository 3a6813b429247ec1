// Packets over a byte transport, with the acknowledgement rules: in ack mode every good packet
// is answered `+` and every damaged one `-`, and each packet sent waits for gdb's `+`, resent on
// `-`. After QStartNoAckMode neither side acknowledges. ^C bytes are remembered in stream order
// so one that arrives behind a resume packet is seen by the next poll while the target runs.

public enum GDBSessionError: Error, Equatable, CustomStringConvertible {
    /// gdb answered `-` to the same packet this many times in a row.
    case tooManyRetransmissions(Int)

    public var description: String {
        switch self {
        case .tooManyRetransmissions(let n): return "gdb rejected a packet \(n) times; giving up"
        }
    }
}

final class GDBPacketChannel {
    let transport: GDBByteTransport
    var decoder = GDBPacketDecoder()
    /// Events decoded but not yet consumed, in arrival order.
    var pending: [GDBPacketEvent] = []
    var ackMode = true
    var runLengthEncoding: Bool
    var log: ((String) -> Void)?
    static let maxRetransmissions = 10

    init(transport: GDBByteTransport, runLengthEncoding: Bool, log: ((String) -> Void)?) {
        self.transport = transport
        self.runLengthEncoding = runLengthEncoding
        self.log = log
    }

    func fill(blocking: Bool) throws {
        let bytes = blocking ? try transport.receive() : try transport.receiveAvailable()
        pending += decoder.feed(bytes)
    }

    func nextEvent() throws -> GDBPacketEvent {
        while pending.isEmpty { try fill(blocking: true) }
        return pending.removeFirst()
    }

    /// Blocks until a good packet arrives and returns its payload. ^C while the target is
    /// already stopped means nothing and is dropped; stray acks are dropped too.
    func receivePacket() throws -> [UInt8] {
        while true {
            switch try nextEvent() {
            case .packet(let payload):
                if ackMode { try transport.send([GDBPacket.ack]) }
                log?("<- \(printable(payload))")
                return payload
            case .corruptPacket:
                log?("<- (damaged packet)")
                if ackMode { try transport.send([GDBPacket.nak]) }
            case .ack, .nak, .interrupt:
                continue
            }
        }
    }

    /// Sends one packet; in ack mode, until gdb acknowledges it.
    func send(_ payload: [UInt8]) throws {
        let framed = GDBPacket.frame(payload, runLengthEncoded: runLengthEncoding)
        log?("-> \(printable(payload))")
        try transport.send(framed)
        guard ackMode else { return }
        var naks = 0
        while true {
            while pending.isEmpty { try fill(blocking: true) }
            // Only acks are consumed here; a packet or ^C stays queued for whoever comes next.
            guard let i = pending.firstIndex(where: { $0 == .ack || $0 == .nak }) else {
                try fill(blocking: true)
                continue
            }
            let e = pending.remove(at: i)
            if e == .ack { return }
            naks += 1
            if naks >= Self.maxRetransmissions { throw GDBSessionError.tooManyRetransmissions(naks) }
            log?("-> (resent after -)")
            try transport.send(framed)
        }
    }

    /// True if a ^C has arrived; never blocks. Other events stay queued.
    func pollInterrupt() throws -> Bool {
        try fill(blocking: false)
        guard let i = pending.firstIndex(of: .interrupt) else { return false }
        pending.remove(at: i)
        log?("<- ^C")
        return true
    }

    func printable(_ payload: [UInt8]) -> String {
        let shown = payload.prefix(200).map { (0x20..<0x7f).contains($0) ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined()
        return payload.count > 200 ? shown + "... (\(payload.count) bytes)" : shown
    }
}

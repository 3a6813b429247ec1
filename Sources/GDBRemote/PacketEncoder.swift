// Outgoing packets: `$` body `#` two-digit checksum, where the body is the payload with `#$}*`
// escaped (`}` then the byte xor 0x20) and, optionally, runs compressed as `c*n` ("c" followed by
// n - 29 more copies of c). gdb's reader undoes escapes everywhere and expands `*` against the
// last decoded byte, so the two transformations apply uniformly to text and binary replies.

public enum GDBPacket {
    public static let start = UInt8(ascii: "$")
    public static let end = UInt8(ascii: "#")
    public static let escape = UInt8(ascii: "}")
    public static let repeatMark = UInt8(ascii: "*")
    public static let ack = UInt8(ascii: "+")
    public static let nak = UInt8(ascii: "-")
    /// ^C, sent by gdb outside any packet to stop a running target.
    public static let interrupt: UInt8 = 0x03

    /// The modulo-256 sum of the body bytes as sent (after escaping and run-length encoding).
    public static func checksum<C: Collection>(_ body: C) -> UInt8 where C.Element == UInt8 {
        var sum: UInt8 = 0
        for b in body { sum &+= b }
        return sum
    }

    static func needsEscape(_ b: UInt8) -> Bool {
        b == start || b == end || b == escape || b == repeatMark
    }

    /// The count character stands for (c - 29) extra copies; gdb reads at most `~` (97 copies)
    /// and forbids `#` and `$` as counts, so runs of 6 and 7 extra copies are sent as 5.
    static let maxRepeat = 126 - 29
    static func repeatCount(forRun run: Int) -> Int {
        let extra = min(run, maxRepeat)
        return (extra == 6 || extra == 7) ? 5 : extra
    }

    /// The packet body for a payload: escapes, then (when asked) run-length encoding of runs of
    /// bytes that need no escape, only where it is shorter (4 or more equal bytes).
    public static func body(_ payload: [UInt8], runLengthEncoded: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 8)
        var i = 0
        while i < payload.count {
            let b = payload[i]
            if needsEscape(b) {
                out.append(escape)
                out.append(b ^ 0x20)
                i += 1
                continue
            }
            out.append(b)
            i += 1
            guard runLengthEncoded else { continue }
            var run = 0
            while i + run < payload.count, payload[i + run] == b { run += 1 }
            if run >= 3 {
                let extra = repeatCount(forRun: run)
                out.append(repeatMark)
                out.append(UInt8(extra + 29))
                i += extra
            }
        }
        return out
    }

    /// A whole framed packet ready for the wire.
    public static func frame(_ payload: [UInt8], runLengthEncoded: Bool = false) -> [UInt8] {
        let b = body(payload, runLengthEncoded: runLengthEncoded)
        var out: [UInt8] = [start]
        out.reserveCapacity(b.count + 4)
        out += b
        out.append(end)
        out += GDBHex.byte(checksum(b))
        return out
    }
}

// Hex text as the remote protocol writes it: lower-case pairs for bytes, big numbers without
// leading zeros for addresses and lengths.

public enum GDBHex {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Two lower-case hex digits per byte, in order.
    public static func encode<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return out
    }

    /// A number in hex without leading zeros ("0" for zero), as in `thread:1a;` or `W00`'s cousins.
    public static func number(_ value: UInt64) -> [UInt8] {
        if value == 0 { return [UInt8(ascii: "0")] }
        var out: [UInt8] = []
        var v = value
        while v != 0 {
            out.append(digits[Int(v & 0xF)])
            v >>= 4
        }
        return out.reversed()
    }

    /// Exactly two hex digits (signal numbers, exit statuses).
    public static func byte(_ value: UInt8) -> [UInt8] { encode([value]) }

    static func digitValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Pairs of hex digits back to bytes; nil on an odd count or a non-hex character.
    public static func decode<C: Collection>(_ text: C) -> [UInt8]? where C.Element == UInt8 {
        guard text.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var high: UInt8? = nil
        for c in text {
            guard let v = digitValue(c) else { return nil }
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return out
    }

    /// A hex number of 1 to 16 digits; nil when empty, too long or not hex.
    public static func parseNumber<C: Collection>(_ text: C) -> UInt64? where C.Element == UInt8 {
        guard !text.isEmpty, text.count <= 16 else { return nil }
        var value: UInt64 = 0
        for c in text {
            guard let v = digitValue(c) else { return nil }
            value = value << 4 | UInt64(v)
        }
        return value
    }
}

import XCTest
@testable import GDBRemote

// Packets written by hand; each checksum is the byte sum mod 256, worked out in the comment.
final class PacketTests: XCTestCase {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    func testChecksumIsByteSumModulo256() {
        // 'O' 0x4f + 'K' 0x4b = 0x9a
        XCTAssertEqual(GDBPacket.checksum(bytes("OK")), 0x9a)
        // m 0x6d + 1 0x31 + 0 0x30 *3 + , 0x2c + 4 0x34 = 0x6d+0x31+0x90+0x2c+0x34 = 0x18e -> 0x8e
        XCTAssertEqual(GDBPacket.checksum(bytes("m1000,4")), 0x8e)
        XCTAssertEqual(GDBPacket.checksum([]), 0)
    }

    func testFrameOfPlainReply() {
        XCTAssertEqual(GDBPacket.frame(bytes("OK")), bytes("$OK#9a"))
        // An empty reply ("not supported") is `$#00`.
        XCTAssertEqual(GDBPacket.frame([]), bytes("$#00"))
    }

    func testFrameEscapesTheFourSpecialBytes() {
        // '#' 0x23 ^ 0x20 = 0x03, '$' 0x24 -> 0x04, '}' 0x7d -> 0x5d ']', '*' 0x2a -> 0x0a
        let framed = GDBPacket.frame([0x23, 0x24, 0x7d, 0x2a])
        // body } 03 } 04 } ] } 0a: 4*0x7d = 0x1f4, + 0x03 + 0x04 + 0x5d + 0x0a (= 0x6e) = 0x262 -> 0x62
        XCTAssertEqual(framed, [0x24, 0x7d, 0x03, 0x7d, 0x04, 0x7d, 0x5d, 0x7d, 0x0a, 0x23] + bytes("62"))
    }

    func testRunLengthEncodingOfReplies() {
        // "0" then 7 more "0"s: 7 extra copies would be '$' (7+29 = 36), so 5 are sent as '"'
        // (5+29 = 34) and the remaining 2 literally: 0*"00 = 3*0x30 + 0x2a + 0x22 = 0x90 + 0x4c = 0xdc.
        XCTAssertEqual(GDBPacket.frame(bytes("00000000"), runLengthEncoded: true), bytes("$0*\"00#dc"))
        // Four equal bytes: 3 extra copies, count ' ' (3+29 = 32): "a* " is shorter than "aaaa".
        XCTAssertEqual(GDBPacket.body(bytes("xaaaay"), runLengthEncoded: true), bytes("xa* y"))
        // Three equal bytes stay literal (the encoding would not be shorter).
        XCTAssertEqual(GDBPacket.body(bytes("aaa"), runLengthEncoded: true), bytes("aaa"))
        // 100 'f's: 1 + 97 extra ('~', 97+29 = 126) then 'f' + 1 extra is too short: "ff".
        XCTAssertEqual(GDBPacket.body(Array(repeating: 0x66, count: 100), runLengthEncoded: true), bytes("f*~ff"))
        // Escaped bytes are never the repeated byte (the decoder repeats the *decoded* byte,
        // so a repeat after `}]` would mean '}', not ']').
        XCTAssertEqual(GDBPacket.body([0x7d, 0x7d, 0x7d, 0x7d], runLengthEncoded: true),
                       [0x7d, 0x5d, 0x7d, 0x5d, 0x7d, 0x5d, 0x7d, 0x5d])
    }

    func testRunLengthRoundTripsThroughTheDecoder() {
        for n in 1...120 {
            for byte in [UInt8(ascii: "0"), 0x7d, 0x00] {
                let payload = [UInt8(ascii: "T")] + Array(repeating: byte, count: n) + [UInt8(ascii: "z")]
                var decoder = GDBPacketDecoder()
                XCTAssertEqual(decoder.feed(GDBPacket.frame(payload, runLengthEncoded: true)), [.packet(payload)], "n=\(n)")
            }
        }
    }

    func testDecoderYieldsPacketsAcksAndInterrupts() {
        var d = GDBPacketDecoder()
        // '?' 0x3f; 'g' 0x67
        XCTAssertEqual(d.feed(bytes("+$?#3f-$g#67")), [.ack, .packet(bytes("?")), .nak, .packet(bytes("g"))])
        XCTAssertEqual(d.feed([0x03]), [.interrupt])
        // Noise between packets is ignored.
        XCTAssertEqual(d.feed(bytes("\r\nxyz$g#67")), [.packet(bytes("g"))])
    }

    func testDecoderAcceptsArbitraryChunks() {
        // m1000,4 -> 0x8e (above); feed it one byte at a time, and split across the checksum.
        let wire = bytes("$m1000,4#8e")
        var d = GDBPacketDecoder()
        var events: [GDBPacketEvent] = []
        for b in wire { events += d.feed([b]) }
        XCTAssertEqual(events, [.packet(bytes("m1000,4"))])
        var d2 = GDBPacketDecoder()
        XCTAssertEqual(d2.feed(wire[0..<9]), [])
        XCTAssertEqual(d2.feed(wire[9...]), [.packet(bytes("m1000,4"))])
    }

    func testDecoderChecksumDigitsInEitherCase() {
        var d = GDBPacketDecoder()
        XCTAssertEqual(d.feed(bytes("$m1000,4#8E")), [.packet(bytes("m1000,4"))])
    }

    func testDecoderRejectsBadChecksums() {
        var d = GDBPacketDecoder()
        XCTAssertEqual(d.feed(bytes("$g#68")), [.corruptPacket])
        XCTAssertEqual(d.feed(bytes("$g#6z")), [.corruptPacket])
        // And recovers for the next packet.
        XCTAssertEqual(d.feed(bytes("$g#67")), [.packet(bytes("g"))])
    }

    func testDecoderUnescapesBinaryData() {
        // X1000,2: sums to 0xb1 (X 0x58, 1 0x31, 0 0x30*3, ',' 0x2c, 2 0x32, ':' 0x3a);
        // data '}' 0x7d escaped as } ] (0x7d + 0x5d = 0xda) and 0x23 '#' as } 03 (0x7d + 0x03 = 0x80):
        // 0xb1 + 0xda + 0x80 = 0x20b -> 0x0b.
        var d = GDBPacketDecoder()
        let wire = bytes("$X1000,2:") + [0x7d, 0x5d, 0x7d, 0x03] + bytes("#0b")
        XCTAssertEqual(d.feed(wire), [.packet(bytes("X1000,2:") + [0x7d, 0x23])])
    }

    func testDecoderExpandsRunLengthFromGDB() {
        // "0* " = '0' plus 3 more: 0x30 + 0x2a + 0x20 = 0x7a
        var d = GDBPacketDecoder()
        XCTAssertEqual(d.feed(bytes("$0* #7a")), [.packet(bytes("0000"))])
        // A repeat with nothing before it is damage.
        XCTAssertEqual(d.feed(bytes("$* #4a")), [.corruptPacket])
    }

    func testBareDollarRestartsATruncatedPacket() {
        var d = GDBPacketDecoder()
        XCTAssertEqual(d.feed(bytes("$m10$g#67")), [.packet(bytes("g"))])
    }

    func testOverlongPacketIsCorruptNotUnbounded() {
        var d = GDBPacketDecoder(maxPayload: 4)
        let body = bytes("abcde")
        XCTAssertEqual(d.feed(bytes("$") + body + bytes("#") + GDBHex.byte(GDBPacket.checksum(body))), [.corruptPacket])
    }

    func testHexHelpers() {
        XCTAssertEqual(GDBHex.encode([0x00, 0xab, 0x7f]), bytes("00ab7f"))
        XCTAssertEqual(GDBHex.decode(bytes("00AB7f")), [0x00, 0xab, 0x7f])
        XCTAssertNil(GDBHex.decode(bytes("abc")))
        XCTAssertNil(GDBHex.decode(bytes("zz")))
        XCTAssertEqual(GDBHex.number(0), bytes("0"))
        XCTAssertEqual(GDBHex.number(0x1a2b), bytes("1a2b"))
        XCTAssertEqual(GDBHex.parseNumber(bytes("ffffffffffffffff")), UInt64.max)
        XCTAssertNil(GDBHex.parseNumber(bytes("10000000000000000")))
        XCTAssertNil(GDBHex.parseNumber(bytes("")))
    }
}

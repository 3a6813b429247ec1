import Foundation
import XCTest
import PowerISA

/// Compares the disassembler with powerpc64-linux-gnu-objdump, the external reference, on
/// instructions assembled by powerpc64-linux-gnu-as (skipped when binutils is missing).
final class DisassemblerObjdumpTests: XCTestCase {
    static let source = """
     addi 3,3,1
     li 4,5
     addi 1,1,-112
     lis 5,0x1234
     lis 9,-32768
     mr 6,7
     mr. 6,7
     or 6,7,8
     nop
     ori 1,1,0
     cmpdi 7,3,0
     cmpwi 3,-5
     cmpld 4,5
     cmplw 7,4,5
     cmplwi 3,65535
     1: beq 7,1b
     bne 1b
     bdnz 1b
     bdz 1b
     blr
     bctr
     bctrl
     beqlr 7
     bnelr
     blelr
     rlwinm 3,4,0,24,31
     rlwinm 3,4,2,0,29
     rlwinm 3,4,30,2,31
     rlwinm 3,4,5,6,7
     rlwinm. 3,4,5,6,7
     rotlwi 3,4,5
     rldicl 3,4,0,32
     rldicr 3,4,3,60
     rldicr 3,4,3,50
     rldicl 3,4,61,3
     rldicl 3,4,5,0
     rldicl 3,4,5,9
     rldic 3,4,5,9
     rldimi 3,4,5,9
     mflr 0
     mtlr 0
     mtctr 9
     mfctr 9
     mfcr 12
     mfocrf 12,8
     ld 3,8(1)
     ldu 3,-16(1)
     std 3,-8(1)
     stdu 1,-112(1)
     lwz 3,0(9)
     lbz 3,16(0)
     lwa 3,4(5)
     lwzx 3,4,5
     lwzx 3,0,5
     stwcx. 3,0,4
     stdcx. 3,0,4
     lwarx 3,0,4
     ldarx 3,0,4
     lwsync
     isync
     sc
     neg 3,4
     subf 3,4,5
     subfc. 3,4,5
     addo. 3,4,5
     adde 3,4,5
     addze 3,4
     subfe 3,4,5
     mullw 3,4,5
     mulld 3,4,5
     mulhdu 3,4,5
     divdu 3,4,5
     divw 3,4,5
     not 3,4
     and 3,4,5
     andc 3,4,5
     xor. 3,4,5
     srawi 3,4,3
     sradi 3,4,3
     sraw 3,4,5
     srad 3,4,5
     slw 3,4,5
     srd 3,4,5
     extsw 3,4
     extsb. 3,4
     cntlzd 3,4
     mulli 3,4,7
     xoris 3,3,0x8000
     andi. 3,3,1
     andis. 3,3,1
     b 1b
     bl 1b
     bgt 1,1b
     ble- 1b
     bge+ 1b
     bns 1b
     fadd 1,2,3
     fmul 1,2,3
     fmadd 1,2,3,4
     fmr 1,2
     fneg 1,2
     lfd 1,8(1)
     stfs 1,8(1)
     lfdx 1,3,4
     fcmpu 7,1,2
     mffs 0
     trap
     tweqi 3,0
     dcbz 0,3
     popcntd 3,4
     cmpb 3,4,5
     mftb 3
     mfxer 3
     crxor 6,6,6
     cror 4*cr7+eq,lt,gt
     creqv 0,0,0
     mcrf 7,0
     clrlwi 3,4,16
     slwi 3,4,3
     srwi 3,4,3
     lhbrx 3,4,5
     stwbrx 3,4,5
     lmw 29,-12(1)
     stmw 29,-12(1)
     tlbie 3,4,2,1,1
     tlbie 3,4,0,1
     tlbie 5,0
     tlbie 3,0,2
     tlbiel 3,4,0,1,1
     tlbiel 5
     tlbiel 3,0,0,0,1
     slbia
     slbia 7
     tlbsync
    """

    func testMatchesObjdump() throws {
        try assertMatchesObjdump(Self.source, cpu: "-mpower9", minimum: 100)
    }

    /// The string, quadword, multiply-add, translation, wait and doorbell rows (POWER9), and
    /// mfspr/mtspr of every SPR number: the SPR table's names must be objdump's.
    func testPower9RowsAndEverySPRNameMatchObjdump() throws {
        var lines = Self.power9Source.split(separator: "\n").map(String.init)
        for spr in 0..<1024 {
            let swapped = UInt32(spr & 31) << 16 | UInt32(spr >> 5) << 11
            lines.append(" .long 0x" + String(31 << 26 | 3 << 21 | swapped | 339 << 1, radix: 16))  // mfspr r3,spr
            lines.append(" .long 0x" + String(31 << 26 | 3 << 21 | swapped | 467 << 1, radix: 16))  // mtspr spr,r3
        }
        try assertMatchesObjdump(lines.joined(separator: "\n"), cpu: "-mpower9", minimum: 2048)
    }

    static let power9Source = """
     lswi 3,6,5
     lswi 3,12,0
     lswi 31,5,4
     lswx 3,4,5
     lswx 3,0,5
     stswi 3,4,5
     stswi 3,0,0
     stswx 3,4,5
     lqarx 4,5,6
     lqarx 4,0,6,1
     stqcx. 4,5,6
     stqcx. 4,0,6
     lq 4,16(5)
     lq 4,-32(0)
     stq 4,16(5)
     stq 4,-32(0)
     maddld 3,4,5,6
     maddhd 3,4,5,6
     maddhdu 3,4,5,6
     lwarx 3,4,5,1
     ldarx 3,4,5,1
     tlbie 3,4
     tlbie 3,0
     tlbie 3,4,2,1,1
     tlbiel 3
     tlbiel 3,4,2,1,1
     .long 0x7c011a24
     tlbsync
     slbia
     slbia 7
     slbie 3
     slbmte 3,4
     ptesync
     hwsync
     lwsync
     .long 0x7c8004ac
     .long 0x7ca004ac
     dcbf 3,4
     dcbf 3,4,1
     dcbf 3,4,3
     .long 0x7c8418ac
     .long 0x7cc418ac
     wait
     .long 0x7c20003c
     .long 0x7c40003c
     msgsndp 3
     msgclrp 3
     1: bcl 20,31,1b
     bc 20,5,1b
     bc 20,0,1b
     bclr 20,5
     bcctrl 20,7
     bclrl 20,0
     bcctr 20,0
    """

    func assertMatchesObjdump(_ source: String, cpu: String, minimum: Int) throws {
        let asm = "/usr/bin/powerpc64-linux-gnu-as", objdump = "/usr/bin/powerpc64-linux-gnu-objdump"
        guard FileManager.default.isExecutableFile(atPath: asm), FileManager.default.isExecutableFile(atPath: objdump) else {
            throw XCTSkip("binutils-powerpc64-linux-gnu is not installed")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpar-dis-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = dir.appendingPathComponent("t.S"), obj = dir.appendingPathComponent("t.o")
        try (".text\n" + source + "\n").write(to: src, atomically: true, encoding: .utf8)
        try run(asm, ["-a64", cpu, "-o", obj.path, src.path])
        let listing = try run(objdump, ["-d", obj.path])
        var compared = 0, mismatches: [String] = []
        for line in listing.split(separator: "\n") {
            // "  1c:\t2f a3 00 00 \tcmpdi   cr7,r3,0"
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count >= 3, let addr = UInt64(parts[0].trimmingCharacters(in: .whitespaces).dropLast(), radix: 16),
                  let word = UInt32(parts[1].replacingOccurrences(of: " ", with: ""), radix: 16) else { continue }
            let expected = normalise(parts[2...].joined(separator: " "))
            let got = normalise(Disassembler.text(word, address: addr))
            compared += 1
            if got != expected { mismatches.append("\(String(word, radix: 16)): objdump '\(expected)' lpar '\(got)'") }
        }
        XCTAssertGreaterThanOrEqual(compared, minimum)
        XCTAssertEqual(mismatches, [], "\(mismatches.count) of \(compared) differ")
    }

    /// Whitespace collapsed, the `<symbol>` annotation dropped.
    func normalise(_ s: String) -> String {
        var t = s
        if let lt = t.firstIndex(of: "<") { t = String(t[..<lt]) }
        return t.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    @discardableResult
    func run(_ tool: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "\(tool) failed")
        return String(decoding: data, as: UTF8.self)
    }
}

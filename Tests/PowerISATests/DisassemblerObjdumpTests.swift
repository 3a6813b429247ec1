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
        let asm = "/usr/bin/powerpc64-linux-gnu-as", objdump = "/usr/bin/powerpc64-linux-gnu-objdump"
        guard FileManager.default.isExecutableFile(atPath: asm), FileManager.default.isExecutableFile(atPath: objdump) else {
            throw XCTSkip("binutils-powerpc64-linux-gnu is not installed")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpar-dis-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = dir.appendingPathComponent("t.S"), obj = dir.appendingPathComponent("t.o")
        try (".text\n" + Self.source + "\n").write(to: src, atomically: true, encoding: .utf8)
        try run(asm, ["-a64", "-mpower9", "-o", obj.path, src.path])
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
        XCTAssertGreaterThan(compared, 100)
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

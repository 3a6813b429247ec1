import Foundation
import XCTest
import Partition
import PAPR

/// Each trace kind's exact output for a small guest. The expected lines are written from the
/// ISA (instruction words, results, CR bits) and PAPR (the hcall ABI), in the format the README
/// documents: `symbol+off` padded to 22, two spaces, 16-digit address, the word, the
/// disassembly with its mnemonic padded to 8, and from column 73 ` ; ` and the registers written.
final class TraceTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpar-trace-\(getpid())-\(abs(name.hashValue))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// The guest: computes -1 and compares it with 0, prints "hi\n" with H_PUT_TERM_CHAR, stores
    /// and loads the packed bytes on a stack, and exits with status 7 through H_LPAR_EXIT.
    static let source = """
        .section .text
        .globl _start
    _start:
        li 3,5
        addi 3,3,-6
        cmpdi 3,0
        lis 6,0x6869
        ori 6,6,0x0a00
        sldi 6,6,32
        li 5,3
        li 4,0
        li 3,0x58
        sc 1
        lis 1,2
        std 6,-16(1)
        ld 7,-16(1)
        lis 3,0
        ori 3,3,0xff00
        li 4,7
        sc 1
    """

    func buildGuest(_ source: String = TraceTests.source) throws -> String {
        let gcc = "/usr/bin/powerpc64-linux-gnu-gcc"
        guard FileManager.default.isExecutableFile(atPath: gcc) else { throw XCTSkip("needs powerpc64-linux-gnu-gcc (tools/bootstrap installs it)") }
        let src = dir.appendingPathComponent("t.S"), elf = dir.appendingPathComponent("t.elf")
        try source.write(to: src, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: gcc)
        p.arguments = ["-nostdlib", "-static", "-Wl,--build-id=none", "-Wl,-Ttext=0x10000", "-o", elf.path, src.path]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        return elf.path
    }

    /// Runs the guest with `kinds` traced; returns the trace, the console output and the status.
    func trace(_ kinds: Set<TraceOptions.Kind>, format: TraceOptions.Format = .text, from: String? = nil, count: UInt64? = nil) throws -> (trace: [String], console: String, status: Int32) {
        var config = PartitionConfig(elfPath: try buildGuest())
        config.memorySize = 1 << 20
        config.trace.kinds = kinds
        config.trace.format = format
        config.trace.from = from
        config.trace.count = count
        let out = dir.appendingPathComponent("trace.out").path
        config.trace.fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var printed: [UInt8] = []
        let console = Console(outputFD: -1)
        console.tap = { printed += $0 }
        let partition = try Partition(config: config, console: console)
        let outcome = partition.run()
        close(config.trace.fd)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        return (text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init), String(decoding: printed, as: UTF8.self), outcome.exitStatus)
    }

    /// `symbol+off`, address and word columns, disassembly, then the writes from column 73.
    func line(_ sym: String, _ pc: UInt64, _ word: UInt32, _ mnemonic: String, _ operands: String, _ writes: String = "") -> String {
        var s = sym.padding(toLength: 22, withPad: " ", startingAt: 0) + "  " + String(format: "%016lx", pc) + "  "
            + String(format: "%08x", word) + "  " + mnemonic.padding(toLength: 8, withPad: " ", startingAt: 0) + operands
        if !writes.isEmpty { s = s.padding(toLength: 72, withPad: " ", startingAt: 0) + " ; " + writes }
        return s
    }

    func testInstructionAndHcallTrace() throws {
        let t = try trace([.insn, .hcall])
        XCTAssertEqual(t.console, "hi\n")
        XCTAssertEqual(t.status, 7)
        let expected = [
            line("_start", 0x10000, 0x3860_0005, "li", "r3,5", "r3=0x5"),                        // addi r3,0,5
            line("_start+0x4", 0x10004, 0x3863_fffa, "addi", "r3,r3,-6", "r3=0xffffffffffffffff"),
            line("_start+0x8", 0x10008, 0x2c23_0000, "cmpdi", "r3,0", "cr0=LT"),                 // -1 < 0, SO clear
            line("_start+0xc", 0x1000c, 0x3cc0_6869, "lis", "r6,26729", "r6=0x68690000"),
            line("_start+0x10", 0x10010, 0x60c6_0a00, "ori", "r6,r6,2560", "r6=0x68690a00"),
            // rldicr r6,r6,32,31: sh=32 (low bits 0, sh5=1), me=31 encoded as 0b111110.
            line("_start+0x14", 0x10014, 0x78c6_07c6, "sldi", "r6,r6,32", "r6=0x68690a0000000000"),
            line("_start+0x18", 0x10018, 0x38a0_0003, "li", "r5,3", "r5=0x3"),
            line("_start+0x1c", 0x1001c, 0x3880_0000, "li", "r4,0"),                              // r4 was already 0
            line("_start+0x20", 0x10020, 0x3860_0058, "li", "r3,88", "r3=0x58"),
            line("_start+0x24", 0x10024, 0x4400_0022, "sc", "1", "r3=0x0"),                      // H_SUCCESS
            "H_PUT_TERM_CHAR(termno=0x0, len=3, char0_7=\"hi\\n\", char8_15=\"\") -> H_SUCCESS",
            line("_start+0x28", 0x10028, 0x3c20_0002, "lis", "r1,2", "r1=0x20000"),
            line("_start+0x2c", 0x1002c, 0xf8c1_fff0, "std", "r6,-16(r1)"),
            line("_start+0x30", 0x10030, 0xe8e1_fff0, "ld", "r7,-16(r1)", "r7=0x68690a0000000000"),
            line("_start+0x34", 0x10034, 0x3c60_0000, "lis", "r3,0"),
            line("_start+0x38", 0x10038, 0x6063_ff00, "ori", "r3,r3,65280", "r3=0xff00"),
            line("_start+0x3c", 0x1003c, 0x3880_0007, "li", "r4,7", "r4=0x7"),
            line("_start+0x40", 0x10040, 0x4400_0022, "sc", "1", "r3=0x0"),
            "H_LPAR_EXIT(status=7) -> H_SUCCESS",
        ]
        XCTAssertEqual(t.trace.count, expected.count, t.trace.joined(separator: "\n"))
        for (got, want) in zip(t.trace, expected) { XCTAssertEqual(got, want) }
    }

    func testMemoryTraceAndWindow() throws {
        // From the store, three instructions: std, ld, lis. Loads and stores follow their line.
        let t = try trace([.insn, .mem], from: "0x1002c", count: 3)
        XCTAssertEqual(t.trace, [
            line("_start+0x2c", 0x1002c, 0xf8c1_fff0, "std", "r6,-16(r1)"),
            "    store 8 bytes at 0x000000000001fff0 = 0x68690a0000000000",
            line("_start+0x30", 0x10030, 0xe8e1_fff0, "ld", "r7,-16(r1)", "r7=0x68690a0000000000"),
            "    load  8 bytes at 0x000000000001fff0 = 0x68690a0000000000",
            line("_start+0x34", 0x10034, 0x3c60_0000, "lis", "r3,0"),
        ])
        XCTAssertEqual(t.status, 7)
    }

    func testJSONLinesCarryTheSameFacts() throws {
        let t = try trace([.insn, .hcall], format: .jsonl, from: "_start+0x20", count: 2)
        let objects = try t.trace.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        guard objects.count == 3 else { return XCTFail("expected li, sc and the hcall: \(t.trace)") }
        XCTAssertEqual(objects[0]["type"] as? String, "insn")
        XCTAssertEqual(objects[0]["pc"] as? String, "0x10020")
        XCTAssertEqual(objects[0]["asm"] as? String, "li r3,88")
        XCTAssertEqual(objects[0]["writes"] as? [String: String], ["r3": "0x58"])
        XCTAssertEqual(objects[2]["type"] as? String, "hcall")
        XCTAssertEqual(objects[2]["name"] as? String, "H_PUT_TERM_CHAR")
        XCTAssertEqual(objects[2]["opcode"] as? String, "0x58")
        XCTAssertEqual(objects[2]["status"] as? Int, 0)
        XCTAssertEqual(objects[2]["status_name"] as? String, "H_SUCCESS")
        XCTAssertEqual((objects[2]["args"] as? [String: String])?["len"], "3")
        XCTAssertEqual((objects[2]["args"] as? [String: String])?["char0_7"], "\"hi\\n\"")
    }

    func testFaultEvent() throws {
        // --max-insns ends the run: the fault trace says so, in JSON.
        var config = PartitionConfig(elfPath: try buildGuest())
        config.memorySize = 1 << 20
        config.maxInstructions = 3
        config.trace.kinds = [.fault]
        config.trace.format = .jsonl
        let out = dir.appendingPathComponent("f.out").path
        config.trace.fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let outcome = try Partition(config: config, console: Console(outputFD: -1)).run()
        close(config.trace.fd)
        XCTAssertEqual(outcome.exitStatus, 124)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        XCTAssertEqual(object["type"] as? String, "fault")
        XCTAssertEqual(object["reason"] as? String, "instruction-limit")
        XCTAssertEqual(object["pc"] as? String, "0x1000c")                                  // after three instructions
        XCTAssertEqual(object["symbol"] as? String, "_start+0xc")
    }

    /// A guest that installs a program-interrupt handler at 0x700 (mfsrr0 r9; addi r9,r9,4;
    /// mtsrr0 r9; rfid: skip the faulting word), executes a word that is no instruction, and
    /// exits with 3. The one interrupt line: the program interrupt at _start+0x30 (after the
    /// twelve instructions that store the handler), SRR0 = that address, SRR1 = the entry MSR
    /// (SF | ME = 0x8000000000001000) with bit 44 (0x80000) for an illegal instruction.
    static let interruptSource = """
        .section .text
        .globl _start
    _start:
        lis 10,0x7d3a
        ori 10,10,0x02a6
        stw 10,0x700(0)
        lis 10,0x3929
        ori 10,10,0x0004
        stw 10,0x704(0)
        lis 10,0x7d3a
        ori 10,10,0x03a6
        stw 10,0x708(0)
        lis 10,0x4c00
        ori 10,10,0x0024
        stw 10,0x70c(0)
        .long 0
        li 3,0
        ori 3,3,0xff00
        li 4,3
        sc 1
    """

    func testInterruptEvent() throws {
        for format in [TraceOptions.Format.text, .jsonl] {
            var config = PartitionConfig(elfPath: try buildGuest(Self.interruptSource))
            config.memorySize = 1 << 20
            config.trace.kinds = [.interrupt]
            config.trace.format = format
            let out = dir.appendingPathComponent("i.out").path
            config.trace.fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            let outcome = try Partition(config: config, console: Console(outputFD: -1)).run()
            close(config.trace.fd)
            XCTAssertEqual(outcome.exitStatus, 3, "the handler skipped the word and the guest went on")
            let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
            if format == .text {
                XCTAssertEqual(lines, ["interrupt: program (illegal instruction) at _start+0x30 -> 0x700 srr0=0x10030 srr1=0x8000000000081000"])
            } else {
                XCTAssertEqual(lines.count, 1)
                let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: String]
                XCTAssertEqual(object, ["type": "interrupt", "pc": "0x10030", "symbol": "_start+0x30", "name": "program (illegal instruction)",
                                        "vector": "0x700", "srr0": "0x10030", "srr1": "0x8000000000081000"])
            }
        }
    }
}

import XCTest
import GuestMemory
import PowerISA
import PAPR

/// The hypervisor driven directly: registers in, registers out (values from PAPR and QEMU facts).
final class HypervisorTests: XCTestCase {
    var cpu: CPU!
    var hv: Hypervisor!
    var written: [UInt8] = []

    override func setUpWithError() throws {
        cpu = CPU()
        cpu.msr = MSR.sf
        let console = Console(outputFD: -1)
        console.tap = { [unowned self] in self.written += $0 }
        hv = Hypervisor(memory: try GuestMemory(ramSize: 1 << 20), console: console)
        for r in 4...12 { cpu.gpr[r] = 0x1000 + UInt64(r) }   // recognisable inputs
    }

    /// Registers past `args` keep the recognisable values set up above.
    func call(_ opcode: UInt64, _ args: [UInt64]) -> Int64 { hv.call(cpu: cpu, opcode, args, keepOthers: true) }

    func testPutTermCharUnpacksBigEndianBytes() {
        // "hello, world!\n" is 14 bytes: "hello, w" in r6, "orld!\n" in the top of r7.
        let r6: UInt64 = 0x6865_6C6C_6F2C_2077, r7: UInt64 = 0x6F72_6C64_210A_0000
        XCTAssertEqual(call(0x58, [0, 14, r6, r7]), 0)
        XCTAssertEqual(String(decoding: written, as: UTF8.self), "hello, world!\n")
        // No outputs: r4... keep what the guest put there (QEMU passes them in place).
        XCTAssertEqual(cpu.gpr[4], 0); XCTAssertEqual(cpu.gpr[5], 14); XCTAssertEqual(cpu.gpr[8], 0x1008)
    }

    func testPutTermCharRejectsBadLengthAndTerminal() {
        XCTAssertEqual(call(0x58, [0, 17, 0x41, 0]), -4)      // len > 16 → H_PARAMETER
        XCTAssertEqual(call(0x58, [0x1234, 1, 0x41 << 56, 0]), -4)  // not a terminal
        XCTAssertEqual(written, [])
    }

    func testUnknownOpcodeIsHFunctionAndChangesNothingElse() {
        let before = cpu.snapshot()
        XCTAssertEqual(call(0x1234, []), -2)
        var after = cpu.snapshot()
        after[3] = before[3]
        XCTAssertEqual(after, before)
    }

    func testProblemStateGetsHPrivilege() {
        cpu.msr |= MSR.pr
        XCTAssertEqual(call(0x58, [0, 1, 0x41 << 56, 0]), -3)
        XCTAssertEqual(written, [])
    }

    func testExitHcall() {
        XCTAssertNil(hv.exitStatus)
        XCTAssertEqual(call(0xFF00, [42]), 0)
        XCTAssertEqual(hv.exitStatus, 42)
    }

    func testEveryHcallExplainsItsRegistersAndReturns() {
        for spec in HypercallTable.all {
            XCTAssertTrue(HypercallExplainer.find(spec.name) != nil, spec.name)
            XCTAssertEqual(HypercallExplainer.find("0x" + String(spec.opcode, radix: 16))?.name, spec.name)
            let text = HypercallExplainer.explain(spec)
            for (i, input) in spec.inputs.enumerated() { XCTAssertTrue(text.contains("r\(i + 4)  \(input.name)"), "\(spec.name) \(input.name)") }
            for ret in spec.returns { XCTAssertTrue(text.contains(HcallStatus.name(ret.code)), "\(spec.name) \(ret.code)") }
        }
        XCTAssertEqual(HcallStatus.name(-55), "H_P2")
        XCTAssertEqual(HcallStatus.name(18), "H_CONTINUE")
        XCTAssertEqual(HcallStatus.name(9901), "H_LONG_BUSY_ORDER_10_MSEC")
    }
}

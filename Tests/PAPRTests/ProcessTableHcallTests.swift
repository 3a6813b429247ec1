import XCTest
import GuestMemory
import PowerISA
import PAPR

/// H_REGISTER_PROCESS_TABLE (0x37C) through the hcall path: the return codes of docs/MMU.md
/// (QEMU hw/ppc/spapr_hcall.c h_register_process_table: H_PARAMETER -4, H_P2 -55, H_P3 -56,
/// H_P4 -57), the registration the shared MMUContext ends up with, and the TLB flush a new
/// registration causes in an interpreter sharing it.
final class ProcessTableHcallTests: XCTestCase {
    var cpu: CPU!
    var mmu: MMUContext!
    var hv: Hypervisor!
    let opcode: UInt64 = 0x37C
    // Flags: MODIFY 0x10, REGISTER 0x08, RADIX 0x04, hash segment tables 0x02, GTSE 0x01.
    let newRadixGTSE: UInt64 = 0x1D

    override func setUpWithError() throws {
        cpu = CPU()
        cpu.msr = MSR.sf
        mmu = MMUContext()
        hv = Hypervisor(memory: try GuestMemory(ramSize: 1 << 20), console: Console(outputFD: -1), mmu: mmu)
    }

    func testKvmUnitTestsRegistrationSucceeds() {
        // lib/ppc64/mmu.c: PTBL_NEW | PTBL_RADIX | PTBL_GTSE, a 4K table, page size 0, size 0.
        XCTAssertEqual(hv.call(cpu: cpu, opcode, [newRadixGTSE, 0x2_0000, 0, 0]), 0)
        XCTAssertEqual(mmu.registration, ProcessTableRegistration(base: 0x2_0000, sizeField: 0, guestTranslationShootdown: true))
        XCTAssertEqual(mmu.registration?.sizeInBytes, 4096)
    }

    func testReturnCodes() {
        XCTAssertEqual(hv.call(cpu: cpu, opcode, [0x20 | newRadixGTSE, 0x2_0000, 0, 0]), -4)  // reserved flag
        XCTAssertEqual(hv.call(cpu: cpu, opcode, [0x18, 0x2_0000, 0, 0]), -4)                 // hash table
        XCTAssertEqual(hv.call(cpu: cpu, opcode, [newRadixGTSE, 0x2_0800, 0, 0]), -55)        // not 4K-aligned
        XCTAssertEqual(hv.call(cpu: cpu, opcode, [newRadixGTSE, 1 << 60, 0, 0]), -55)         // not below 2^60
        XCTAssertEqual(hv.call(cpu: cpu, opcode, [newRadixGTSE, 0x2_0000, 12, 0]), -56)       // a page size
        XCTAssertEqual(hv.call(cpu: cpu, opcode, [newRadixGTSE, 0x2_0000, 0, 25]), -57)       // size field > 24
        XCTAssertNil(mmu.registration)
    }

    func testUnregisterAndKeep() {
        XCTAssertEqual(hv.call(cpu: cpu, opcode, [newRadixGTSE, 0x2_0000, 0, 12]), 0)
        // No MODIFY, RADIX: keep (Linux passes this when the table size is 0).
        XCTAssertEqual(hv.call(cpu: cpu, opcode, [0x04, 0, 0, 0]), 0)
        XCTAssertEqual(mmu.registration?.base, 0x2_0000)
        XCTAssertEqual(mmu.registration?.sizeField, 12)
        // MODIFY without REGISTER: unregister.
        XCTAssertEqual(hv.call(cpu: cpu, opcode, [0x10, 0, 0, 0]), 0)
        XCTAssertNil(mmu.registration)
    }

    func testNewRegistrationFlushesTheInterpretersTLBs() throws {
        let memory = try GuestMemory(ramSize: 1 << 20)
        let interpreter = Interpreter(cpu: cpu, memory: memory, deliversInterrupts: true, mmu: mmu)
        // Something cached: any successful translation will do (a real-mode one here).
        let none = PageTableMemoryFunctions(load: { _ in nil }, store: { _, _ in false })
        guard case .translated(let t) = RadixMMU().translate(ea: 0x5000, access: .load, msr: MSR.sf, pidr: 0, memory: none) else {
            return XCTFail("real-mode translation failed")
        }
        interpreter.dataTLB.insert(ea: 0x5000, translation: t)
        XCTAssertEqual(interpreter.dataTLB.validEntryCount, 1)
        XCTAssertEqual(hv.call(cpu: cpu, opcode, [newRadixGTSE, 0x2_0000, 0, 0]), 0)
        XCTAssertEqual(interpreter.dataTLB.validEntryCount, 0)
    }

    func testExplainKnowsIt() {
        let spec = HypercallTable.spec(named: "H_REGISTER_PROCESS_TABLE")
        XCTAssertEqual(spec?.opcode, 0x37C)
        XCTAssertEqual(spec?.returns.map(\.code).sorted(), [-57, -56, -55, -4, 0])
    }
}

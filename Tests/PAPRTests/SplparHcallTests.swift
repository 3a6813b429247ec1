import XCTest
import GuestMemory
import PowerISA
import PAPR

/// H_REGISTER_VPA, H_CEDE, H_CONFER, H_PROD. Sub-functions from Linux hvcall.h (H_VPA_FUNC_SHIFT
/// = 63 - 18: 1 register VPA, 2 DTL, 3 SLB shadow, 5/6/7 deregister); checks and codes from
/// QEMU's h_register_vpa (H_PARAMETER -4, H_HARDWARE -1, H_RESOURCE -16) and kvm-unit-tests'
/// spapr_vpa.c (VPA ≥ 640 bytes, 128-byte aligned, within one 4 KiB page).
final class SplparHcallTests: XCTestCase {
    let ram: UInt64 = 1 << 20
    let registerVPA: UInt64 = 1 << 45, registerDTL: UInt64 = 2 << 45, registerSLB: UInt64 = 3 << 45
    let deregisterVPA: UInt64 = 5 << 45, deregisterDTL: UInt64 = 6 << 45, deregisterSLB: UInt64 = 7 << 45
    var memory: GuestMemory!
    var cpu: CPU!
    var hv: Hypervisor!

    override func setUpWithError() throws {
        memory = try GuestMemory(ramSize: ram)
        cpu = CPU()
        cpu.msr = MSR.sf
        hv = Hypervisor(memory: memory, console: Console(outputFD: -1, inputFD: -1))
    }

    func call(_ opcode: UInt64, _ args: UInt64...) -> Int64 { hv.call(cpu: cpu, opcode, args) }
    /// A VPA image at `address`: its u16 size at +4.
    func vpa(at address: UInt64, size: UInt16 = 640) { memory.store16(address + 4, size) }

    func testRegisterVPAChecksInQEMUsOrder() {
        vpa(at: 0x1000)
        XCTAssertEqual(call(0xDC, 0, 0, 0x1000), -4, "sub-function 0 is reserved")
        XCTAssertEqual(call(0xDC, registerVPA | 1, 0, 0x1000), -4, "another flag bit set")
        XCTAssertEqual(call(0xDC, 4 << 45, 0, 0x1000), -4, "sub-function 4 does not exist")
        XCTAssertEqual(call(0xDC, registerVPA, 0xBADBAD, 0x1000), -4, "no such processor")
        XCTAssertEqual(call(0xDC, registerVPA, 1, 0x1000), -4, "processor 1: there is one vCPU")
        XCTAssertEqual(call(0xDC, registerVPA, 0, 0), -1, "address 0 → H_HARDWARE")
        vpa(at: 0x1008)
        XCTAssertEqual(call(0xDC, registerVPA, 0, 0x1008), -4, "not 128-byte aligned (its size is fine)")
        vpa(at: 0x1F80)
        XCTAssertEqual(call(0xDC, registerVPA, 0, 0x1F80), -4, "0x1F80 + 640 crosses into the next page")
        vpa(at: 0x1000, size: 632)
        XCTAssertEqual(call(0xDC, registerVPA, 0, 0x1000), -4, "632 < 640 bytes")
        XCTAssertEqual(call(0xDC, registerVPA, 0, ram), -4, "outside guest memory")
        XCTAssertEqual(hv.processors[0].vpa, 0, "nothing registered by a refused call")
        vpa(at: 0x1000, size: 640)
        XCTAssertEqual(call(0xDC, registerVPA, 0, 0x1000), 0)
        XCTAssertEqual(hv.processors[0].vpa, 0x1000)
        // QEMU marks the partition shared-processor: byte +9 bit 0x02.
        XCTAssertEqual(memory.load8(0x1009), 0x02)
        XCTAssertEqual(call(0xDC, deregisterVPA, 0, 0), 0)
        XCTAssertEqual(hv.processors[0].vpa, 0)
        XCTAssertEqual(call(0xDC, deregisterVPA, 0, 0), 0, "PAPR: no check that one is registered")
        XCTAssertEqual(call(0xDC, deregisterVPA, 0xBADBAD, 0), -4)
    }

    func testSLBShadowAndDTLHangOffTheVPA() {
        memory.store32(0x3004, 16)        // SLB shadow: u32 size 16
        memory.store32(0x4004, 48 * 4)    // DTL: four 48-byte entries
        XCTAssertEqual(call(0xDC, registerSLB, 0, 0x3000), -16, "no VPA yet → H_RESOURCE")
        XCTAssertEqual(call(0xDC, registerDTL, 0, 0x4000), -16)
        vpa(at: 0x1000)
        XCTAssertEqual(call(0xDC, registerVPA, 0, 0x1000), 0)
        memory.store32(0x5004, 4)
        XCTAssertEqual(call(0xDC, registerSLB, 0, 0x5000), -4, "SLB shadow below 8 bytes")
        memory.store32(0x5004, 47)
        XCTAssertEqual(call(0xDC, registerDTL, 0, 0x5000), -4, "DTL below one 48-byte entry")
        XCTAssertEqual(call(0xDC, registerSLB, 0, 0), -1)
        XCTAssertEqual(call(0xDC, registerSLB, 0, 0x3000), 0)
        XCTAssertEqual(call(0xDC, registerDTL, 0, 0x4000), 0)
        XCTAssertEqual(hv.processors[0].slbShadowSize, 16)
        XCTAssertEqual(hv.processors[0].dispatchTraceLogSize, 192)
        XCTAssertEqual(call(0xDC, deregisterVPA, 0, 0), -16, "the SLB shadow and DTL go first")
        XCTAssertEqual(call(0xDC, deregisterSLB, 0, 0), 0)
        XCTAssertEqual(call(0xDC, deregisterVPA, 0, 0), -16, "the DTL is still there")
        XCTAssertEqual(call(0xDC, deregisterDTL, 0, 0), 0)
        XCTAssertEqual(call(0xDC, deregisterVPA, 0, 0), 0)
        XCTAssertEqual(hv.processors[0], VirtualProcessor())
    }

    func testAreasNearTheTopOfTheAddressSpaceAreRefusedNotWrapped() {
        // At 2^64 - 2 the size field "+4" would wrap to address 2; lpar must not read it there
        // (nor compute an end past 2^64).
        memory.store32(2, 0x100)
        memory.store32(6, 0x100)
        vpa(at: 0x1000)
        XCTAssertEqual(call(0xDC, registerVPA, 0, 0x1000), 0)
        for function in [registerSLB, registerDTL] {
            XCTAssertEqual(call(0xDC, function, 0, UInt64.max - 1), -4)
            XCTAssertEqual(call(0xDC, function, 0, UInt64.max - 7), -4)
        }
        XCTAssertEqual(call(0xDC, registerVPA, 0, UInt64.max - 127), -4)
        XCTAssertEqual(hv.processors[0].slbShadow, 0)
        XCTAssertEqual(hv.processors[0].dispatchTraceLog, 0)
    }

    func testCedeMakesTheDispatchCountOddThenEvenAgain() {
        vpa(at: 0x1000)
        XCTAssertEqual(call(0xDC, registerVPA, 0, 0x1000), 0)
        memory.store32(0x1100, 4)          // dispatch count at +0x100, even: running
        XCTAssertEqual(call(0xE0), 0)
        XCTAssertTrue(hv.cedeRequested, "the machine idles the vCPU")
        XCTAssertEqual(memory.load32(0x1100), 5, "odd while ceded")
        hv.resumeAfterCede(cpu: cpu)
        XCTAssertEqual(memory.load32(0x1100), 6, "even when it runs again")
        // A count the guest left odd is corrected, as QEMU does: 7 → 8 is even, so 9.
        memory.store32(0x1100, 7)
        XCTAssertEqual(call(0xE0), 0)
        XCTAssertEqual(memory.load32(0x1100), 9)
        // Without a VPA there is no count to touch.
        XCTAssertEqual(call(0xDC, deregisterVPA, 0, 0), 0)
        XCTAssertEqual(call(0xE0), 0)
        hv.resumeAfterCede(cpu: cpu)
        XCTAssertEqual(memory.load32(0x1100), 9)
    }

    func testProdAndConfer() {
        XCTAssertEqual(call(0xE8, 1), -4, "H_PROD: no processor 1")
        XCTAssertEqual(call(0xE8, 0), 0)
        XCTAssertTrue(hv.processors[0].prodPending)
        XCTAssertEqual(call(0xE4, 0, 0), 0, "H_CONFER to itself consumes the prod")
        XCTAssertFalse(hv.processors[0].prodPending)
        XCTAssertEqual(call(0xE4, UInt64.max, 0), 0, "-1: confer to all others")
        XCTAssertEqual(call(0xE4, 0, 0), 0, "to itself without a prod: returns at once")
        XCTAssertEqual(call(0xE4, 2, 0), -4)
        XCTAssertFalse(hv.cedeRequested, "conferring is not ceding")
    }
}

import XCTest
import GuestMemory
import PowerISA
import PAPR

/// H_SET_SPRG0, H_SET_MODE, H_GET_CPU_CHARACTERISTICS and H_RANDOM, driven through `sc 1`'s
/// registers. Expected codes: Linux hvcall.h (H_P2 -55, H_P3 -56, H_P4 -57, H_UNSUPPORTED_FLAG
/// -256) and QEMU's h_set_mode order (resource, then value1, value2, then mflags).
final class ProcessorHcallTests: XCTestCase {
    var cpu: CPU!
    var hv: Hypervisor!

    override func setUpWithError() throws {
        cpu = CPU()
        cpu.msr = MSR.sf
        hv = Hypervisor(memory: try GuestMemory(ramSize: 1 << 20), console: Console(outputFD: -1, inputFD: -1))
    }

    func call(_ opcode: UInt64, _ args: UInt64...) -> Int64 { hv.call(cpu: cpu, opcode, args) }

    func testSetSPRG0WritesTheCallersSPRG0() {
        XCTAssertEqual(call(0x24, 0xCAFE_BABE_DEAD_BEEF), 0)
        XCTAssertEqual(cpu[RegisterSlot.sprg0], 0xCAFE_BABE_DEAD_BEEF)
        XCTAssertEqual(cpu[RegisterSlot.sprg0 + 1], 0, "SPRG1 untouched")
    }

    func testSetModeAcceptsOnlyWhatTheMachineDoes() {
        // (mflags, resource, value1, value2) → status.
        let cases: [(UInt64, UInt64, UInt64, UInt64, Int64)] = [
            (0, 3, 0, 0, 0),          // AIL 0: interrupts at 0x0-0x3000, as now
            (1, 3, 0, 0, -256),       // AIL 1 is reserved (QEMU refuses it too)
            (2, 3, 0, 0, -256),       // AIL 2 and 3: QEMU accepts, lpar cannot relocate
            (3, 3, 0, 0, -256),       // what Linux asks for (pseries-machine.md: mflags 3)
            (0, 3, 1, 0, -56),        // value1 ≠ 0 → H_P3
            (0, 3, 0, 1, -57),        // value2 ≠ 0 → H_P4
            (3, 3, 1, 1, -56),        // value checks come before mflags
            (0, 4, 0, 0, 0),          // big-endian interrupts
            (1, 4, 0, 0, -256),       // little-endian: lpar is big-endian only
            (0, 4, 0, 7, -57),
            (0, 1, 0, 0, -55),        // CIABR, DAWR0, DAWR1, unknown → H_P2
            (0, 2, 0, 0, -55),
            (0, 5, 0, 0, -55),
            (0, 0, 0, 0, -55),
        ]
        for (mflags, resource, v1, v2, want) in cases {
            XCTAssertEqual(call(0x31C, mflags, resource, v1, v2), want, "mflags \(mflags) resource \(resource) v1 \(v1) v2 \(v2)")
        }
    }

    func testCPUCharacteristicsSayNothingNeedsFlushing() {
        cpu.gpr[4] = 0xDEAD; cpu.gpr[5] = 0xBEEF
        XCTAssertEqual(call(0x1C8), 0)
        // IBM bit n = 1 << (63 - n). Character: bit 7 COUNT_CACHE_DISABLED.
        XCTAssertEqual(cpu.gpr[4], 0x0100_0000_0000_0000)
        // Behaviour: bit 0 FAVOUR_SECURITY, 7 NO_L1D_FLUSH_ENTRY, 8 NO_L1D_FLUSH_UACCESS,
        // 9 NO_STF_BARRIER = 0x8000… + 0x0100… + 0x0080… + 0x0040…
        XCTAssertEqual(cpu.gpr[5], 0x81C0_0000_0000_0000)
        // What Linux's init_cpu_char_feature_flags then decides (pseries/setup.c):
        let behaviour = cpu.gpr[5]
        XCTAssertEqual(behaviour & (1 << 62), 0, "L1D_FLUSH_PR clear: no RFI flush")
        XCTAssertEqual(behaviour & (1 << 61), 0, "BNDS_CHK_SPEC_BAR clear: no barrier")
        XCTAssertEqual(behaviour & (1 << 58), 0, "FLUSH_COUNT_CACHE clear: no count cache flush")
        XCTAssertEqual(behaviour & (1 << 57), 0, "FLUSH_LINK_STACK clear")
    }

    func testRandomWithASeedIsSplitMix64() {
        // SplitMix64's published sequence for seed 0.
        hv.entropy = EntropySource(seed: 0)
        let want: [UInt64] = [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F]
        for w in want {
            XCTAssertEqual(call(0x300), 0)
            XCTAssertEqual(cpu.gpr[4], w)
        }
    }

    func testHostRandomHasNoStuckBits() {
        // kvm-unit-tests' check: within 100 draws every bit is seen both set and clear.
        var ones: UInt64 = 0, zeros: UInt64 = 0
        for _ in 0..<100 {
            XCTAssertEqual(call(0x300), 0)
            ones |= cpu.gpr[4]; zeros |= ~cpu.gpr[4]
        }
        XCTAssertEqual(ones, UInt64.max)
        XCTAssertEqual(zeros, UInt64.max)
    }
}

import XCTest
import GuestMemory
import PowerISA
@testable import LinuxUser

/// The initial process state against the ppc64 Linux ABI as the kernel builds it
/// (fs/binfmt_elf.c create_elf_tables, arch/powerpc start_thread):
///  - r1 points at argc, 16-byte aligned; argv[] follows, NULL-terminated; envp[] follows it,
///    NULL-terminated; then auxv pairs ending with AT_NULL;
///  - powerpc's ARCH_DLINFO puts two AT_IGNOREPPC pairs first (glibc compatibility), then the
///    cache block sizes;
///  - start_thread clears the GPRs and sets r1, plus r2 = TOC (ELFv1) or r12 = entry (ELFv2);
///    MSR is 64-bit problem state (MSR_USER64).
final class InitialStackTests: XCTestCase {
    let ram: UInt64 = 32 << 20
    var memory: GuestMemory!
    let random: [UInt8] = Array(1...16)

    override func setUpWithError() throws { memory = try GuestMemory(ramSize: ram) }

    func program(abi: Int) -> ProgramInfo {
        ProgramInfo(path: "/bin/prog", entry: 0x1000_0100, toc: abi < 2 ? 0x1002_8000 : nil, headerEntry: abi < 2 ? 0x1001_0000 : 0x1000_0100,
                    abiVersion: abi, programHeaderAddress: 0x1000_0040, programHeaderEntrySize: 56, programHeaderCount: 7, imageEnd: 0x10_0000)
    }

    func word(_ a: UInt64) -> UInt64 { memory.load64(a)! }
    func string(_ a: UInt64) -> String { String(decoding: try! memory.readCString(a), as: UTF8.self) }

    func start(abi: Int = 1, args: [String] = ["prog", "one", "two words"], env: [String] = ["A=1", "B=two"]) throws -> (CPU, InitialStack) {
        let process = LinuxProcess(memory: memory, program: program(abi: abi), root: nil)
        let cpu = CPU()
        for i in 0..<32 { cpu.gpr[i] = 0xDEAD }   // start must clear them
        var info = ProcessStartInfo(arguments: args, environment: env, execPath: "./prog", random: random)
        info.uid = 1000; info.gid = 100
        let stack = try process.start(cpu: cpu, info: info)
        return (cpu, stack)
    }

    func testArgcArgvEnvpLayout() throws {
        let (cpu, stack) = try start()
        let sp = cpu.gpr[1]
        XCTAssertEqual(sp, stack.stackPointer)
        XCTAssertEqual(sp % 16, 0, "the ABI requires a 16-byte aligned stack")
        XCTAssertLessThan(sp, ram)
        XCTAssertEqual(word(sp), 3, "argc")
        XCTAssertEqual(string(word(sp + 8)), "prog")
        XCTAssertEqual(string(word(sp + 16)), "one")
        XCTAssertEqual(string(word(sp + 24)), "two words")
        XCTAssertEqual(word(sp + 32), 0, "argv[argc] is NULL")
        XCTAssertEqual(stack.envpAddress, sp + 40, "envp follows argv's NULL")
        XCTAssertEqual(string(word(sp + 40)), "A=1")
        XCTAssertEqual(string(word(sp + 48)), "B=two")
        XCTAssertEqual(word(sp + 56), 0, "envp ends with NULL")
        XCTAssertEqual(stack.auxvAddress, sp + 64, "auxv follows envp's NULL")
        // The strings live above the tables, below the top of RAM, whose last 8 bytes are zero.
        XCTAssertGreaterThan(word(sp + 8), stack.auxvAddress)
        XCTAssertEqual(word(ram - 8), 0)
    }

    func auxv(_ stack: InitialStack) -> [(UInt64, UInt64)] {
        var out: [(UInt64, UInt64)] = []
        var a = stack.auxvAddress
        while true {
            let k = word(a), v = word(a + 8)
            if k == 0 { break }
            out.append((k, v)); a += 16
        }
        return out
    }

    func testAuxiliaryVector() throws {
        let (_, stack) = try start()
        let aux = auxv(stack)
        let map = Dictionary(aux.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        // powerpc's ARCH_DLINFO: two AT_IGNOREPPC (22) pairs first, then cache block sizes.
        XCTAssertEqual(aux[0].0, 22); XCTAssertEqual(aux[0].1, 22)
        XCTAssertEqual(aux[1].0, 22); XCTAssertEqual(aux[1].1, 22)
        XCTAssertEqual(map[19], 128, "AT_DCACHEBSIZE"); XCTAssertEqual(map[20], 128, "AT_ICACHEBSIZE")
        XCTAssertEqual(map[21], 0, "AT_UCACHEBSIZE: ppc64 kernels report 0 (no unified cache line)")
        XCTAssertEqual(map[6], 65536, "AT_PAGESZ")
        XCTAssertEqual(map[3], 0x1000_0040, "AT_PHDR"); XCTAssertEqual(map[4], 56, "AT_PHENT"); XCTAssertEqual(map[5], 7, "AT_PHNUM")
        XCTAssertEqual(map[7], 0, "AT_BASE: no interpreter"); XCTAssertEqual(map[8], 0, "AT_FLAGS")
        XCTAssertEqual(map[9], 0x1001_0000, "AT_ENTRY is e_entry (the ELFv1 descriptor), not the code address")
        XCTAssertEqual(map[11], 1000, "AT_UID"); XCTAssertEqual(map[13], 100, "AT_GID"); XCTAssertEqual(map[23], 0, "AT_SECURE")
        XCTAssertEqual(map[17], 100, "AT_CLKTCK")
        // AT_HWCAP: PPC_FEATURE_32|64|HAS_FPU|HAS_MMU, ALTIVEC (0x10000000) and VSX (0x80), never DFP (0x400).
        let hw = map[16] ?? 0
        XCTAssertEqual(hw & 0xCC00_0000, 0xCC00_0000)
        XCTAssertEqual(hw & (0x1000_0000 | 0x80), 0x1000_0000 | 0x80)
        XCTAssertEqual(hw & 0x400, 0)
        // AT_HWCAP2: ARCH_2_07 (0x80000000), never HTM (0x40000000), VEC_CRYPTO (0x02000000)
        // or ARCH_3_00 (0x00800000).
        let hw2 = map[26] ?? 0
        XCTAssertEqual(hw2 & 0x8000_0000, 0x8000_0000)
        XCTAssertEqual(hw2 & (0x4000_0000 | 0x0200_0000 | 0x0080_0000), 0)
        XCTAssertEqual(try memory.read(map[25]!, count: 16), random, "AT_RANDOM points at the 16 random bytes")
        XCTAssertEqual(string(map[15]!), "power8", "AT_PLATFORM")
        XCTAssertEqual(string(map[31]!), "./prog", "AT_EXECFN")
        XCTAssertEqual(aux.count, stack.auxv.count)
    }

    func testRegistersELFv1() throws {
        let (cpu, stack) = try start(abi: 1)
        XCTAssertEqual(cpu.pc, 0x1000_0100, "the descriptor's code address")
        XCTAssertEqual(cpu.gpr[2], 0x1002_8000, "r2 = the descriptor's TOC")
        XCTAssertEqual(cpu.gpr[1], stack.stackPointer)
        for r in [0, 3, 4, 5, 6, 7, 8, 12, 13, 31] { XCTAssertEqual(cpu.gpr[r], 0, "r\(r) is cleared by start_thread") }
        XCTAssertNotEqual(cpu.msr & MSR.pr, 0, "problem state")
        XCTAssertNotEqual(cpu.msr & MSR.sf, 0, "64-bit")
        XCTAssertNotEqual(cpu.msr & MSR.fp, 0, "FP available")
        XCTAssertNotEqual(cpu.msr & MSR.vec, 0, "VMX available (docs/VECTOR.md)")
        XCTAssertNotEqual(cpu.msr & MSR.vsx, 0, "VSX available")
        XCTAssertEqual(cpu.msr & MSR.le, 0, "big-endian")
        XCTAssertEqual(cpu.cr, 0); XCTAssertEqual(cpu.lr, 0)
    }

    func testRegistersELFv2() throws {
        let (cpu, _) = try start(abi: 2)
        XCTAssertEqual(cpu.pc, 0x1000_0100)
        XCTAssertEqual(cpu.gpr[12], 0x1000_0100, "ELFv2: r12 = the global entry point")
        XCTAssertEqual(cpu.gpr[2], 0)
    }

    func testAlignmentHoldsForEveryStringLength() throws {
        for n in 0..<20 {
            memory = try GuestMemory(ramSize: ram)
            let (cpu, _) = try start(args: ["p", String(repeating: "x", count: n)], env: [String(repeating: "e", count: n % 7)])
            XCTAssertEqual(cpu.gpr[1] % 16, 0, "length \(n)")
            XCTAssertEqual(word(cpu.gpr[1]), 2)
        }
    }

    func testArgumentsTooLargeForTheStackFail() throws {
        let huge = String(repeating: "y", count: 9 << 20)
        XCTAssertThrowsError(try start(args: ["p", huge]))
    }
}

import PowerISA

/// Guest real memory for the radix tests: a byte array holding big-endian doublewords, as guest
/// memory does. Every store is also logged, so a test can tell that nothing was written.
final class TestRealMemory: PageTableMemory {
    var bytes: [UInt8]
    private(set) var storeLog: [(address: UInt64, value: UInt64)] = []

    init(size: Int) { bytes = [UInt8](repeating: 0, count: size) }

    func write(_ address: UInt64, _ value: UInt64) {
        for i in 0..<8 { bytes[Int(address) + i] = UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * i)) }
    }

    func read(_ address: UInt64) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[Int(address) + $1]) }
    }

    func loadDoubleword(_ realAddress: UInt64) -> UInt64? {
        realAddress <= UInt64(bytes.count) - 8 ? read(realAddress) : nil
    }

    func storeDoubleword(_ realAddress: UInt64, _ value: UInt64) -> Bool {
        guard realAddress <= UInt64(bytes.count) - 8 else { return false }
        storeLog.append((realAddress, value))
        write(realAddress, value)
        return true
    }
}

/// Entry formats written from the ISA's bit numbers (bit 0 = most significant), independently
/// of the constants in PowerISA/MMU, so a wrong mask there shows up here.
enum ISAFormat {
    static func bit(_ n: Int) -> UInt64 { 1 << UInt64(63 - n) }

    // Page directory / page table entry bits.
    static let V = bit(0), L = bit(1)
    static let R = bit(55), C = bit(56)
    /// ATT = 0b10 in bits 58:59: non-idempotent I/O.
    static let nonIdempotentIO = bit(58)
    // EAA bits 60:63.
    static let privileged = bit(60), read = bit(61), readWrite = bit(62), execute = bit(63)

    /// A page directory entry: V = 1, L = 0, NLB in bits 4:55, NLS in bits 59:63.
    static func pde(next nlb: UInt64, nls: Int) -> UInt64 { V | nlb | UInt64(nls) }

    /// A page table entry: V = 1, L = 1, RPN in bits 7:51, then R, C, ATT and EAA.
    static func pte(_ rpn: UInt64, _ eaa: UInt64, r: Bool = true, c: Bool = true, att: UInt64 = 0) -> UInt64 {
        V | L | rpn | (r ? R : 0) | (c ? C : 0) | att | eaa
    }

    /// PRTB0: RTS1 in bits 1:2, RPDB in bits 4:55, RTS2 in bits 56:58, RPDS in bits 59:63.
    /// `rts` = tree size − 31.
    static func prtb0(rts: Int, rpdb: UInt64, rpds: Int) -> UInt64 {
        UInt64(rts >> 3) << (63 - 2) | rpdb | UInt64(rts & 7) << (63 - 58) | UInt64(rpds)
    }
}

/// The page tables every radix test translates through, laid out by hand in 1 MiB of real
/// memory. All trees but PID 3's are 52-bit (RTS = 21 = 0b10101), as POWER9 Linux builds them.
///
///     0x10000  process table, 4K (size field 0: 256 PIDs × 16 bytes)
///     PID 0 (kernel, quadrant 3): Linux 64K-page geometry, 13/9/9/5 bits per level
///       0x20000 PGD (2^13 × 8 = 64K)   0x30000 PUD (4K)   0x31000 PMD (4K)   0x32000 PTE (32 × 8 = 256 bytes)
///     PID 1 (user, quadrant 0): Linux 4K-page geometry, 13/9/9/9
///       0x40000 PGD (64K)   0x50000 PUD   0x51000 PMD   0x52000 PTE (512 × 8 = 4K)
///     PID 2: entry left 0.    PID 3: a 40-bit tree (RTS = 9), 10/9/9
///       0x60000 root (2^10 × 8 = 8K)   0x62000   0x63000
///
/// EA bit positions counted from the least significant end: a 52-bit tree uses EA bits 51:0 of
/// the quadrant's offset; 64K geometry indexes with bits 51:39, 38:30, 29:21, 20:16 (page
/// offset 15:0), 4K geometry with 51:39, 38:30, 29:21, 20:12 (offset 11:0).
enum RadixTestTables {
    static let memorySize = 0x10_0000
    static let processTable: UInt64 = 0x10000

    // PID 0, kernel tree.
    static let kPGD: UInt64 = 0x20000, kPUD: UInt64 = 0x30000, kPMD: UInt64 = 0x31000, kPTE: UInt64 = 0x32000
    // PID 1, user tree.
    static let uPGD: UInt64 = 0x40000, uPUD: UInt64 = 0x50000, uPMD: UInt64 = 0x51000, uPTE: UInt64 = 0x52000
    // PID 3, 40-bit tree.
    static let sRoot: UInt64 = 0x60000, sMid: UInt64 = 0x62000, sLeaf: UInt64 = 0x63000

    static let kernelRWX = ISAFormat.privileged | ISAFormat.read | ISAFormat.readWrite | ISAFormat.execute
    static let userRWX = ISAFormat.read | ISAFormat.readWrite | ISAFormat.execute

    static func build() -> TestRealMemory {
        let m = TestRealMemory(size: memorySize)
        typealias F = ISAFormat

        // Process table: PID n's PRTB0 at 0x10000 + 16n.
        m.write(processTable + 0 * 16, F.prtb0(rts: 21, rpdb: kPGD, rpds: 13))
        m.write(processTable + 1 * 16, F.prtb0(rts: 21, rpdb: uPGD, rpds: 13))
        m.write(processTable + 3 * 16, F.prtb0(rts: 9, rpdb: sRoot, rpds: 10))

        // Kernel: PGD[1] → PUD; PUD[2] → PMD; PMD[3] → PTE table (NLS 5).
        m.write(kPGD + 1 * 8, F.pde(next: kPUD, nls: 9))
        m.write(kPUD + 2 * 8, F.pde(next: kPMD, nls: 9))
        m.write(kPMD + 3 * 8, F.pde(next: kPTE, nls: 5))
        // PTE[4]: a 64K page at 0x0123_0000.
        m.write(kPTE + 4 * 8, F.pte(0x0123_0000, kernelRWX))
        // PTE[5]: a directory where only 16 bits are left (16 − 5 < 12): configuration error.
        m.write(kPTE + 5 * 8, F.pde(next: 0x33000, nls: 5))
        // PMD[5]: a 2M leaf at 0x0060_0000.
        m.write(kPMD + 5 * 8, F.pte(0x0060_0000, kernelRWX))
        // PMD[8]: a PTE table beyond the 1 MiB of memory.
        m.write(kPMD + 8 * 8, F.pde(next: 0x0800_0000, nls: 5))
        // PMD[10]: NLS 4, fewer than 2^5 entries: configuration error.
        m.write(kPMD + 10 * 8, F.pde(next: kPTE, nls: 4))
        // PUD[7]: a 1G leaf at 0x4000_0000; its RPN has a stray bit 12 set, ignored for a 1G page.
        m.write(kPUD + 7 * 8, F.pte(0x4000_1000, kernelRWX))

        // User: PGD[0] → PUD; PUD[0] → PMD; PMD[1] → PTE table (NLS 9).
        m.write(uPGD + 0 * 8, F.pde(next: uPUD, nls: 9))
        m.write(uPUD + 0 * 8, F.pde(next: uPMD, nls: 9))
        m.write(uPMD + 1 * 8, F.pde(next: uPTE, nls: 9))
        // PMD[2]: the same PTE table through a misaligned NLB. NLB is bits 4:55, so it can be off
        // by multiples of 0x100: 0x52100, aligned down to the 4K table size → 0x52000.
        m.write(uPMD + 2 * 8, F.pde(next: uPTE + 0x100, nls: 9))
        // 4K pages at EA 0x0022_3000 + n × 0x1000 (PTE index 0x23 + n).
        m.write(uPTE + 0x23 * 8, F.pte(0x0007_8000, userRWX))
        m.write(uPTE + 0x24 * 8, F.pte(0x0007_9000, kernelRWX))                       // privileged
        m.write(uPTE + 0x25 * 8, F.pte(0x0007_A000, F.read))                          // read-only
        m.write(uPTE + 0x26 * 8, F.pte(0x0007_B000, F.read | F.readWrite))            // no execute
        m.write(uPTE + 0x27 * 8, F.pte(0x0007_C000, F.execute))                       // execute-only
        m.write(uPTE + 0x28 * 8, F.pte(0x0007_D000, userRWX, att: F.nonIdempotentIO)) // guarded
        m.write(uPTE + 0x29 * 8, F.pte(0x0007_E000, userRWX, r: false, c: false))     // R = C = 0
        m.write(uPTE + 0x2A * 8, F.pte(0x0007_F000, userRWX, r: true, c: false))      // C = 0
        // PTE[0x2B] stays 0 (invalid).
        m.write(uPTE + 0x2C * 8, F.pte(0x0008_0000, F.read, r: false, c: false))      // read-only, R = 0

        // PID 3, 40-bit tree: root[0x3FF] → mid; mid[0] → leaf table; leaf[0] = 4K page 0x0009_0000.
        m.write(sRoot + 0x3FF * 8, F.pde(next: sMid, nls: 9))
        m.write(sMid + 0 * 8, F.pde(next: sLeaf, nls: 9))
        m.write(sLeaf + 0 * 8, F.pte(0x0009_0000, userRWX))
        return m
    }

    static let registration = ProcessTableRegistration(base: processTable, sizeField: 0)
}

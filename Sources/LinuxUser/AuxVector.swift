import GuestELF

/// Auxiliary-vector types (include/uapi/linux/auxvec.h and powerpc's asm/auxvec.h).
public enum AT {
    public static let null: UInt64 = 0, phdr: UInt64 = 3, phent: UInt64 = 4, phnum: UInt64 = 5, pagesz: UInt64 = 6
    public static let base: UInt64 = 7, flags: UInt64 = 8, entry: UInt64 = 9, uid: UInt64 = 11, euid: UInt64 = 12
    public static let gid: UInt64 = 13, egid: UInt64 = 14, platform: UInt64 = 15, hwcap: UInt64 = 16, clktck: UInt64 = 17
    public static let dcachebsize: UInt64 = 19, icachebsize: UInt64 = 20, ucachebsize: UInt64 = 21, ignoreppc: UInt64 = 22
    public static let secure: UInt64 = 23, random: UInt64 = 25, hwcap2: UInt64 = 26, execfn: UInt64 = 31
}

/// What lpar tells a Linux program about the processor (AT_HWCAP, AT_HWCAP2, AT_PLATFORM).
///
/// Only what lpar's interpreter implements: a 64-bit POWER8-level processor with AltiVec and VSX
/// (docs/VECTOR.md; signal frames carry the vector state, Signals.swift), so glibc's IFUNC
/// resolvers pick its POWER8 vector memcpy, strlen and friends, but *without* DFP, vector
/// crypto, transactional memory or ISA 3.0 (ARCH_3_00), whose instructions lpar lacks.
public enum CPUFeatures {
    // PPC_FEATURE_* (arch/powerpc/include/uapi/asm/cputable.h).
    public static let ppc32: UInt64 = 0x8000_0000, ppc64: UInt64 = 0x4000_0000, hasFPU: UInt64 = 0x0800_0000
    public static let hasMMU: UInt64 = 0x0400_0000, icacheSnoop: UInt64 = 0x0000_2000
    public static let arch205: UInt64 = 0x0000_1000, arch206: UInt64 = 0x0000_0100
    public static let hasAltivec: UInt64 = 0x1000_0000, hasVSX: UInt64 = 0x0000_0080, hasDFP: UInt64 = 0x0000_0400
    // PPC_FEATURE2_*.
    public static let arch207: UInt64 = 0x8000_0000, htm: UInt64 = 0x4000_0000, isel: UInt64 = 0x0800_0000
    public static let tar: UInt64 = 0x0400_0000, vecCrypto: UInt64 = 0x0200_0000

    public static let hwcap = ppc32 | ppc64 | hasFPU | hasMMU | icacheSnoop | arch205 | arch206 | hasAltivec | hasVSX
    public static let hwcap2 = arch207 | isel | tar
    public static let platform = "power8"
}

/// The process-wide facts the initial stack carries.
public struct ProcessStartInfo {
    public var arguments: [String]
    public var environment: [String]
    /// AT_EXECFN: the path the program was run by.
    public var execPath: String
    public var random: [UInt8]
    public var uid: UInt64 = 0, euid: UInt64 = 0, gid: UInt64 = 0, egid: UInt64 = 0

    public init(arguments: [String], environment: [String], execPath: String, random: [UInt8]) {
        self.arguments = arguments; self.environment = environment; self.execPath = execPath; self.random = random
    }
}

public enum AuxVector {
    /// Guest page size: 64 KiB, as ppc64 Linux distributions build their kernels.
    public static let pageSize: UInt64 = 65536

    /// The auxv pairs in the kernel's order (ARCH_DLINFO first, then create_elf_tables' list),
    /// without AT_NULL. `platformAddress`, `randomAddress` and `execfnAddress` are the stack
    /// addresses of those strings/bytes.
    public static func entries(program: ProgramInfo, info: ProcessStartInfo,
                               platformAddress: UInt64, randomAddress: UInt64, execfnAddress: UInt64) -> [(UInt64, UInt64)] {
        [
            // powerpc's glibc-compatibility pair, then the cache block sizes.
            (AT.ignoreppc, AT.ignoreppc), (AT.ignoreppc, AT.ignoreppc),
            (AT.dcachebsize, 128), (AT.icachebsize, 128), (AT.ucachebsize, 0),
            (AT.hwcap, CPUFeatures.hwcap), (AT.pagesz, pageSize), (AT.clktck, 100),
            (AT.phdr, program.programHeaderAddress), (AT.phent, program.programHeaderEntrySize),
            (AT.phnum, program.programHeaderCount), (AT.base, 0), (AT.flags, 0), (AT.entry, program.headerEntry),
            (AT.uid, info.uid), (AT.euid, info.euid), (AT.gid, info.gid), (AT.egid, info.egid), (AT.secure, 0),
            (AT.random, randomAddress), (AT.hwcap2, CPUFeatures.hwcap2), (AT.execfn, execfnAddress),
            (AT.platform, platformAddress),
        ]
    }
}

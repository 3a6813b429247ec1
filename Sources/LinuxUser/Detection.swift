import GuestELF

/// Which system-call personality a guest gets.
public enum Personality: String, Sendable, CaseIterable {
    /// `sc 1` goes to the PAPR hypervisor; the guest starts in supervisor real mode.
    case papr
    /// `sc 0` goes to lpar's Linux system calls; the guest starts as a ppc64 Linux process.
    case linux
}

/// `--abi linux|papr|auto`.
public enum ABIChoice: String, Sendable, CaseIterable {
    case auto, linux, papr
}

public enum PersonalityDetector {
    /// The personality for an ELF.
    ///
    /// The rule (`auto`): an ELF is a Linux program when any of these holds, because each is
    /// put there only by a Linux toolchain and none by a freestanding link:
    ///  1. it has a `.note.ABI-tag` section (glibc's crt1.o brings the "GNU" ABI note);
    ///  2. its `EI_OSABI` is 3 (`ELFOSABI_GNU`/Linux, which ld writes when it sees GNU
    ///     extensions such as IFUNC, as static glibc has);
    ///  3. it defines `__libc_start_main` (glibc's, or another libc's that copied the name).
    /// Anything else (freestanding guests linked with -nostdlib) keeps the PAPR platform.
    /// `--abi linux` or `--abi papr` overrides the rule.
    public static func personality(for image: ELFImage, choice: ABIChoice = .auto) -> Personality {
        switch choice {
        case .linux: return .linux
        case .papr: return .papr
        case .auto: return isLinuxProgram(hasABINote: image.hasLinuxNote, osABI: image.osABI,
                                           definesLibcStartMain: image.symbols.address(of: "__libc_start_main") != nil) ? .linux : .papr
        }
    }

    /// The rule above on its three inputs (testable without an ELF file).
    public static func isLinuxProgram(hasABINote: Bool, osABI: UInt8, definesLibcStartMain: Bool) -> Bool {
        hasABINote || osABI == 3 || definesLibcStartMain
    }
}

/// The optional facility a word belongs to when lpar does not implement it: the Vector
/// facility (VMX/AltiVec) or VSX. While the facility is off (MSR[VEC] = 0, MSR[VSX] = 0), such a
/// word raises that facility's unavailable interrupt (Book III 6.5.19, 6.5.20) rather than an
/// illegal instruction, as a POWER9 does; with it on, lpar (which has no vector unit yet)
/// raises the illegal-instruction program interrupt. Opcodes: Power ISA 3.0B appendix C.
enum VectorFacility {
    case vector, vsx

    /// X-form extended opcodes under primary 31 that are vector loads and stores (lvx, stvx,
    /// lvsl, lvebx…).
    static let vectorX: Set<UInt32> = [6, 7, 38, 39, 71, 103, 135, 167, 199, 231, 359, 487]
    /// X-form extended opcodes under primary 31 that are VSX: scalar and vector loads and
    /// stores (lxvd2x, stxvx, lxsdx…) and moves between GPRs and VSRs (mfvsrd, mtvsrd…).
    static let vsxX: Set<UInt32> = [12, 51, 76, 115, 140, 179, 211, 243, 268, 269, 301, 307, 332, 364, 396, 397,
                                    403, 429, 435, 524, 588, 652, 716, 780, 781, 812, 813, 844, 876, 908, 909,
                                    940, 941, 972, 1004]

    static func of(_ word: UInt32) -> VectorFacility? {
        switch word >> 26 {
        case 4: return .vector                          // VA, VX and VC forms
        case 60: return .vsx                            // XX1-XX4 forms
        case 61: return word & 3 != 0 ? .vsx : nil      // lxv/stxv, stxsd/stxssp (stfdp is XO 0)
        case 57: return word & 3 >= 2 ? .vsx : nil      // lxsd, lxssp (lfdp is XO 0)
        case 31:
            let xo = (word >> 1) & 0x3FF
            if vectorX.contains(xo) { return .vector }
            return vsxX.contains(xo) ? .vsx : nil
        default: return nil
        }
    }
}

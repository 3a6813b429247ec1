/// The optional facility a word belongs to when lpar does not implement it: the Vector
/// facility (VMX/AltiVec) or VSX. While the facility is off (MSR[VEC] = 0, MSR[VSX] = 0), such a
/// word raises that facility's unavailable interrupt (Book III 6.5.19, 6.5.20) rather than an
/// illegal instruction, as a POWER9 does; with it on, lpar raises the illegal-instruction
/// program interrupt. The rows lpar implements (docs/VECTOR.md) decode and check their
/// facility when they execute (VectorExecutor.swift). Opcodes: Power ISA 3.0B appendix C.
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

    /// VA-form extended opcodes (bits 26:31) of the Vector facility: vmhaddshs … vnmsubfp,
    /// vpermr, vaddeuqm … vsubecuq (48, 49 and 51 are maddhd, maddhdu, maddld: fixed point).
    static let vectorVA: Set<UInt32> = Set(32...47).union([59, 60, 61, 62, 63])
    /// VX-form extended opcodes (bits 21:31) of the Vector facility lpar recognises: integer
    /// add/subtract (modulo and saturating), max/min/average, rotates and shifts, logical
    /// operations, splats, merges, packs, VSCR moves. A primary-4 word outside these and the VA
    /// forms is an illegal instruction, as on POWER9 (kvm-unit-tests' `.long 0x12345678`).
    static let vectorVX: Set<UInt32> = [
        0, 64, 128, 192, 256, 320, 384, 512, 576, 640, 768, 832, 896,                 // vadd*
        1024, 1088, 1152, 1216, 1280, 1344, 1408, 1536, 1600, 1664, 1792, 1856, 1920, // vsub*
        2, 66, 130, 194, 258, 322, 386, 450, 514, 578, 642, 706, 770, 834, 898, 962,  // vmax*, vmin*
        1026, 1090, 1154, 1282, 1346, 1410,                                           // vavg*
        4, 68, 132, 196, 260, 324, 388, 452, 516, 580, 644, 708, 772, 836, 900, 964, // vrl*, vsl*, vsr*, vsra*
        1476, 1732,                                                                   // vsld, vsrd
        1028, 1092, 1156, 1220, 1284, 1348, 1412, 1668,                               // vand … vnand, veqv
        1540, 1604,                                                                   // mfvscr, mtvscr
        524, 588, 652, 780, 844, 908,                                                 // vsplt*, vspltis*
        12, 76, 140, 268, 332, 396,                                                   // vmrgh*, vmrgl*
        14, 78, 142, 206, 270, 334, 398, 462, 526, 590, 654, 718, 782, 846, 974, 1102, 1230, 1358, 1486, // vpk*, vupk*
        8, 72, 136, 200, 264, 328, 392, 456, 520, 584, 648, 712, 776, 840, 904, 968,  // vmul*
        1036, 1100,                                                                   // vslo, vsro
        10, 74, 138, 202, 266, 330, 394, 458, 522, 586, 650, 714, 778, 842, 906, 970, // vaddfp … vrfi*, vcf*, vct*
        1034, 1098, 1162, 1226,                                                       // vmaxfp, vminfp…
    ]

    static func isVectorPrimary4(_ word: UInt32) -> Bool {
        vectorVA.contains(word & 0x3F) || vectorVX.contains(word & 0x7FF)
    }

    static func of(_ word: UInt32) -> VectorFacility? {
        switch word >> 26 {
        case 4: return isVectorPrimary4(word) ? .vector : nil
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

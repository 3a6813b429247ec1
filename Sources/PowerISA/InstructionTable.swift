/// How an instruction is encoded: its form, primary opcode and extended opcode. The mask of
/// fixed bits follows from the form (see `InstructionSpec.init`).
public enum Encoding: Sendable {
    case d(UInt32), i(UInt32), b(UInt32), m(UInt32), sc(UInt32)
    case ds(UInt32, UInt32), x(UInt32, UInt32), xl(UInt32, UInt32), xfx(UInt32, UInt32), xfl(UInt32, UInt32)
    case xo(UInt32, UInt32), a(UInt32, UInt32), md(UInt32, UInt32), mds(UInt32, UInt32), xs(UInt32, UInt32)
}

/// Instruction variants selected by single bits of the word.
public struct Variants: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Bit 31 is Rc: the `.` form records a comparison of the result in CR0 (or CR1 for FP).
    public static let rc = Variants(rawValue: 1)
    /// Bit 21 is OE: the `o` form records overflow in XER[OV,SO].
    public static let oe = Variants(rawValue: 2)
    /// Bit 31 is LK: the `l` form writes the return address to LR.
    public static let lk = Variants(rawValue: 4)
    /// Bit 30 is AA: the `a` form uses an absolute target.
    public static let aa = Variants(rawValue: 8)
    /// Bit 31 must be 1 (stwcx. and friends: the mnemonic carries the dot).
    public static let record = Variants(rawValue: 16)
}

/// One row of the instruction table: the single source of decoding, dispatch and disassembly.
public struct InstructionSpec: Sendable {
    public let op: Op
    public let mnemonic: String
    public let encoding: Encoding
    public let syntax: OperandSyntax
    public let variants: Variants
    /// Bits of the word that must equal `match`.
    public let mask: UInt32
    public let match: UInt32

    public init(_ op: Op, _ mnemonic: String, _ encoding: Encoding, _ syntax: OperandSyntax,
                _ variants: Variants, fieldBit11: Bool? = nil) {
        self.op = op; self.mnemonic = mnemonic; self.encoding = encoding
        self.syntax = syntax; self.variants = variants
        var mask: UInt32, match: UInt32
        switch encoding {
        case .d(let po), .i(let po), .b(let po), .m(let po):
            (mask, match) = (0xFC00_0000, po << 26)
        case .sc(let po):
            (mask, match) = (0xFC00_0002, po << 26 | 2)
        case .ds(let po, let xo):
            (mask, match) = (0xFC00_0003, po << 26 | xo)
        case .x(let po, let xo), .xl(let po, let xo), .xfx(let po, let xo), .xfl(let po, let xo):
            (mask, match) = (0xFC00_07FE, po << 26 | xo << 1)
        case .xo(let po, let xo):
            (mask, match) = (variants.contains(.oe) ? 0xFC00_03FE : 0xFC00_07FE, po << 26 | xo << 1)
        case .a(let po, let xo):
            (mask, match) = (0xFC00_003E, po << 26 | xo << 1)
        case .md(let po, let xo):
            (mask, match) = (0xFC00_001C, po << 26 | xo << 2)
        case .mds(let po, let xo):
            (mask, match) = (0xFC00_001E, po << 26 | xo << 1)
        case .xs(let po, let xo):
            (mask, match) = (0xFC00_07FC, po << 26 | xo << 2)
        }
        // Forms whose bit 31 is not Rc/LK keep it fixed: 0, or 1 for the record-only stores.
        switch encoding {
        case .d, .ds, .i, .b, .sc: break
        default:
            if variants.contains(.record) { mask |= 1; match |= 1 }
            else if variants.isDisjoint(with: [.rc, .lk]) { mask |= 1 }
        }
        if let bit11 = fieldBit11 { mask |= 0x0010_0000; if bit11 { match |= 0x0010_0000 } }
        // Register fields of the form that this instruction does not use are reserved and must
        // be 0: QEMU raises an illegal-instruction exception otherwise, and objdump does not
        // decode such words (they are usually data in .text).
        switch (encoding, syntax) {
        case (.a, .frt_frb): mask |= 0x001F_07C0          // FRA, FRC
        case (.a, .frt_fra_frb): mask |= 0x0000_07C0      // FRC
        case (.a, .frt_fra_frc): mask |= 0x0000_F800      // FRB
        case (.x, .frt_frb): mask |= 0x001F_0000          // FRA
        default: break
        }
        self.mask = mask; self.match = match
    }
}

public enum InstructionTable {
    /// The instruction table. Extended mnemonics (`mr`, `li`, `beq`...) are not rows: the
    /// disassembler derives them from these operations and their operands.
    public static let specs: [InstructionSpec] = [
        InstructionSpec(.tdi, "tdi", .d(2), .to_ra_si, []),
        InstructionSpec(.twi, "twi", .d(3), .to_ra_si, []),
        InstructionSpec(.mulli, "mulli", .d(7), .rt_ra_si, []),
        InstructionSpec(.subfic, "subfic", .d(8), .rt_ra_si, []),
        InstructionSpec(.cmpli, "cmpli", .d(10), .bf_l_ra_ui, []),
        InstructionSpec(.cmpi, "cmpi", .d(11), .bf_l_ra_si, []),
        InstructionSpec(.addic, "addic", .d(12), .rt_ra_si, []),
        InstructionSpec(.addicRecord, "addic.", .d(13), .rt_ra_si, []),
        InstructionSpec(.addi, "addi", .d(14), .rt_ra_si, []),
        InstructionSpec(.addis, "addis", .d(15), .rt_ra_si, []),
        InstructionSpec(.bc, "bc", .b(16), .bo_bi_target, [.aa, .lk]),
        InstructionSpec(.sc, "sc", .sc(17), .lev, []),
        InstructionSpec(.b, "b", .i(18), .target, [.aa, .lk]),
        InstructionSpec(.mcrf, "mcrf", .xl(19, 0), .bf_bfa, []),
        InstructionSpec(.bclr, "bclr", .xl(19, 16), .bo_bi_bh, [.lk]),
        InstructionSpec(.crnor, "crnor", .xl(19, 33), .crbt_ba_bb, []),
        InstructionSpec(.rfid, "rfid", .xl(19, 18), .none, []),
        InstructionSpec(.crandc, "crandc", .xl(19, 129), .crbt_ba_bb, []),
        InstructionSpec(.isync, "isync", .xl(19, 150), .none, []),
        InstructionSpec(.crxor, "crxor", .xl(19, 193), .crbt_ba_bb, []),
        InstructionSpec(.crnand, "crnand", .xl(19, 225), .crbt_ba_bb, []),
        InstructionSpec(.crand, "crand", .xl(19, 257), .crbt_ba_bb, []),
        InstructionSpec(.creqv, "creqv", .xl(19, 289), .crbt_ba_bb, []),
        InstructionSpec(.crorc, "crorc", .xl(19, 417), .crbt_ba_bb, []),
        InstructionSpec(.cror, "cror", .xl(19, 449), .crbt_ba_bb, []),
        InstructionSpec(.bcctr, "bcctr", .xl(19, 528), .bo_bi_bh, [.lk]),
        InstructionSpec(.bctar, "bctar", .xl(19, 560), .bo_bi_bh, [.lk]),
        InstructionSpec(.rlwimi, "rlwimi", .m(20), .ra_rs_sh_mb_me, [.rc]),
        InstructionSpec(.rlwinm, "rlwinm", .m(21), .ra_rs_sh_mb_me, [.rc]),
        InstructionSpec(.rlwnm, "rlwnm", .m(23), .ra_rs_rb_mb_me, [.rc]),
        InstructionSpec(.ori, "ori", .d(24), .ra_rs_ui, []),
        InstructionSpec(.oris, "oris", .d(25), .ra_rs_ui, []),
        InstructionSpec(.xori, "xori", .d(26), .ra_rs_ui, []),
        InstructionSpec(.xoris, "xoris", .d(27), .ra_rs_ui, []),
        InstructionSpec(.andiRecord, "andi.", .d(28), .ra_rs_ui, []),
        InstructionSpec(.andisRecord, "andis.", .d(29), .ra_rs_ui, []),
        InstructionSpec(.rldicl, "rldicl", .md(30, 0), .ra_rs_sh_mb, [.rc]),
        InstructionSpec(.rldicr, "rldicr", .md(30, 1), .ra_rs_sh_me, [.rc]),
        InstructionSpec(.rldic, "rldic", .md(30, 2), .ra_rs_sh_mb, [.rc]),
        InstructionSpec(.rldimi, "rldimi", .md(30, 3), .ra_rs_sh_mb, [.rc]),
        InstructionSpec(.rldcl, "rldcl", .mds(30, 8), .ra_rs_rb_mb, [.rc]),
        InstructionSpec(.rldcr, "rldcr", .mds(30, 9), .ra_rs_rb_me, [.rc]),
        InstructionSpec(.cmp, "cmp", .x(31, 0), .bf_l_ra_rb, []),
        InstructionSpec(.tw, "tw", .x(31, 4), .to_ra_rb, []),
        InstructionSpec(.subfc, "subfc", .xo(31, 8), .rt_ra_rb, [.rc, .oe]),
        InstructionSpec(.mulhdu, "mulhdu", .xo(31, 9), .rt_ra_rb, [.rc]),
        InstructionSpec(.addc, "addc", .xo(31, 10), .rt_ra_rb, [.rc, .oe]),
        InstructionSpec(.mulhwu, "mulhwu", .xo(31, 11), .rt_ra_rb, [.rc]),
        InstructionSpec(.isel, "isel", .a(31, 15), .rt_ra_rb_bc, []),
        InstructionSpec(.mfcr, "mfcr", .xfx(31, 19), .rt, [], fieldBit11: false),
        InstructionSpec(.mfocrf, "mfocrf", .xfx(31, 19), .rt_fxm, [], fieldBit11: true),
        InstructionSpec(.lwarx, "lwarx", .x(31, 20), .rt_ra_rb_eh, []),
        InstructionSpec(.ldx, "ldx", .x(31, 21), .rt_ra0_rb, []),
        InstructionSpec(.lwzx, "lwzx", .x(31, 23), .rt_ra0_rb, []),
        InstructionSpec(.slw, "slw", .x(31, 24), .ra_rs_rb, [.rc]),
        InstructionSpec(.cntlzw, "cntlzw", .x(31, 26), .ra_rs, [.rc]),
        InstructionSpec(.sld, "sld", .x(31, 27), .ra_rs_rb, [.rc]),
        InstructionSpec(.and, "and", .x(31, 28), .ra_rs_rb, [.rc]),
        InstructionSpec(.cmpl, "cmpl", .x(31, 32), .bf_l_ra_rb, []),
        InstructionSpec(.subf, "subf", .xo(31, 40), .rt_ra_rb, [.rc, .oe]),
        InstructionSpec(.lbarx, "lbarx", .x(31, 52), .rt_ra_rb_eh, []),
        InstructionSpec(.ldux, "ldux", .x(31, 53), .rt_ra0_rb, []),
        InstructionSpec(.dcbst, "dcbst", .x(31, 54), .ra_rb, []),
        InstructionSpec(.lwzux, "lwzux", .x(31, 55), .rt_ra0_rb, []),
        InstructionSpec(.cntlzd, "cntlzd", .x(31, 58), .ra_rs, [.rc]),
        InstructionSpec(.andc, "andc", .x(31, 60), .ra_rs_rb, [.rc]),
        InstructionSpec(.td, "td", .x(31, 68), .to_ra_rb, []),
        InstructionSpec(.mulhd, "mulhd", .xo(31, 73), .rt_ra_rb, [.rc]),
        InstructionSpec(.mulhw, "mulhw", .xo(31, 75), .rt_ra_rb, [.rc]),
        InstructionSpec(.mfmsr, "mfmsr", .x(31, 83), .rt, []),
        InstructionSpec(.ldarx, "ldarx", .x(31, 84), .rt_ra_rb_eh, []),
        InstructionSpec(.dcbf, "dcbf", .x(31, 86), .ra_rb_l, []),
        InstructionSpec(.lbzx, "lbzx", .x(31, 87), .rt_ra0_rb, []),
        InstructionSpec(.neg, "neg", .xo(31, 104), .rt_ra, [.rc, .oe]),
        InstructionSpec(.lharx, "lharx", .x(31, 116), .rt_ra_rb_eh, []),
        InstructionSpec(.lbzux, "lbzux", .x(31, 119), .rt_ra0_rb, []),
        InstructionSpec(.popcntb, "popcntb", .x(31, 122), .ra_rs, []),
        InstructionSpec(.nor, "nor", .x(31, 124), .ra_rs_rb, [.rc]),
        InstructionSpec(.setb, "setb", .x(31, 128), .rt_bfa, []),
        InstructionSpec(.subfe, "subfe", .xo(31, 136), .rt_ra_rb, [.rc, .oe]),
        InstructionSpec(.adde, "adde", .xo(31, 138), .rt_ra_rb, [.rc, .oe]),
        InstructionSpec(.mtcrf, "mtcrf", .xfx(31, 144), .fxm_rs, [], fieldBit11: false),
        InstructionSpec(.mtocrf, "mtocrf", .xfx(31, 144), .fxm_rs, [], fieldBit11: true),
        InstructionSpec(.mtmsr, "mtmsr", .x(31, 146), .rs_l, []),
        InstructionSpec(.stdx, "stdx", .x(31, 149), .rt_ra0_rb, []),
        InstructionSpec(.stwcxRecord, "stwcx.", .x(31, 150), .rt_ra0_rb, [.record]),
        InstructionSpec(.stwx, "stwx", .x(31, 151), .rt_ra0_rb, []),
        InstructionSpec(.mtmsrd, "mtmsrd", .x(31, 178), .rs_l, []),
        InstructionSpec(.stdux, "stdux", .x(31, 181), .rt_ra0_rb, []),
        InstructionSpec(.stwux, "stwux", .x(31, 183), .rt_ra0_rb, []),
        InstructionSpec(.subfze, "subfze", .xo(31, 200), .rt_ra, [.rc, .oe]),
        InstructionSpec(.addze, "addze", .xo(31, 202), .rt_ra, [.rc, .oe]),
        InstructionSpec(.stdcxRecord, "stdcx.", .x(31, 214), .rt_ra0_rb, [.record]),
        InstructionSpec(.stbx, "stbx", .x(31, 215), .rt_ra0_rb, []),
        InstructionSpec(.subfme, "subfme", .xo(31, 232), .rt_ra, [.rc, .oe]),
        InstructionSpec(.mulld, "mulld", .xo(31, 233), .rt_ra_rb, [.rc, .oe]),
        InstructionSpec(.addme, "addme", .xo(31, 234), .rt_ra, [.rc, .oe]),
        InstructionSpec(.mullw, "mullw", .xo(31, 235), .rt_ra_rb, [.rc, .oe]),
        InstructionSpec(.dcbtst, "dcbtst", .x(31, 246), .ra_rb_th, []),
        InstructionSpec(.stbux, "stbux", .x(31, 247), .rt_ra0_rb, []),
        InstructionSpec(.modud, "modud", .x(31, 265), .rt_ra_rb, []),
        InstructionSpec(.add, "add", .xo(31, 266), .rt_ra_rb, [.rc, .oe]),
        InstructionSpec(.moduw, "moduw", .x(31, 267), .rt_ra_rb, []),
        InstructionSpec(.dcbt, "dcbt", .x(31, 278), .ra_rb_th, []),
        InstructionSpec(.lhzx, "lhzx", .x(31, 279), .rt_ra0_rb, []),
        InstructionSpec(.eqv, "eqv", .x(31, 284), .ra_rs_rb, [.rc]),
        InstructionSpec(.lhzux, "lhzux", .x(31, 311), .rt_ra0_rb, []),
        InstructionSpec(.xor, "xor", .x(31, 316), .ra_rs_rb, [.rc]),
        InstructionSpec(.mfspr, "mfspr", .xfx(31, 339), .rt_spr, []),
        InstructionSpec(.lwax, "lwax", .x(31, 341), .rt_ra0_rb, []),
        InstructionSpec(.lhax, "lhax", .x(31, 343), .rt_ra0_rb, []),
        InstructionSpec(.mftb, "mftb", .xfx(31, 371), .rt_spr, []),
        InstructionSpec(.lwaux, "lwaux", .x(31, 373), .rt_ra0_rb, []),
        InstructionSpec(.lhaux, "lhaux", .x(31, 375), .rt_ra0_rb, []),
        InstructionSpec(.popcntw, "popcntw", .x(31, 378), .ra_rs, []),
        InstructionSpec(.divdeu, "divdeu", .xo(31, 393), .rt_ra_rb, [.rc, .oe]),
        InstructionSpec(.divweu, "divweu", .xo(31, 395), .rt_ra_rb, [.rc, .oe]),
        InstructionSpec(.sthx, "sthx", .x(31, 407), .rt_ra0_rb, []),
        InstructionSpec(.orc, "orc", .x(31, 412), .ra_rs_rb, [.rc]),
        InstructionSpec(.sradi, "sradi", .xs(31, 413), .ra_rs_sh6, [.rc]),
        InstructionSpec(.divde, "divde", .xo(31, 425), .rt_ra_rb, [.rc, .oe]),
        InstructionSpec(.divwe, "divwe", .xo(31, 427), .rt_ra_rb, [.rc, .oe]),
        InstructionSpec(.sthux, "sthux", .x(31, 439), .rt_ra0_rb, []),
        InstructionSpec(.or, "or", .x(31, 444), .ra_rs_rb, [.rc]),
        InstructionSpec(.divdu, "divdu", .xo(31, 457), .rt_ra_rb, [.rc, .oe]),
        InstructionSpec(.divwu, "divwu", .xo(31, 459), .rt_ra_rb, [.rc, .oe]),
        InstructionSpec(.mtspr, "mtspr", .xfx(31, 467), .spr_rs, []),
        InstructionSpec(.nand, "nand", .x(31, 476), .ra_rs_rb, [.rc]),
        InstructionSpec(.divd, "divd", .xo(31, 489), .rt_ra_rb, [.rc, .oe]),
        InstructionSpec(.divw, "divw", .xo(31, 491), .rt_ra_rb, [.rc, .oe]),
        InstructionSpec(.popcntd, "popcntd", .x(31, 506), .ra_rs, []),
        InstructionSpec(.cmpb, "cmpb", .x(31, 508), .ra_rs_rb, []),
        InstructionSpec(.ldbrx, "ldbrx", .x(31, 532), .rt_ra0_rb, []),
        InstructionSpec(.lwbrx, "lwbrx", .x(31, 534), .rt_ra0_rb, []),
        InstructionSpec(.lfsx, "lfsx", .x(31, 535), .frt_ra_rb, []),
        InstructionSpec(.srw, "srw", .x(31, 536), .ra_rs_rb, [.rc]),
        InstructionSpec(.cnttzw, "cnttzw", .x(31, 538), .ra_rs, [.rc]),
        InstructionSpec(.srd, "srd", .x(31, 539), .ra_rs_rb, [.rc]),
        InstructionSpec(.lfsux, "lfsux", .x(31, 567), .frt_ra_rb, []),
        InstructionSpec(.cnttzd, "cnttzd", .x(31, 570), .ra_rs, [.rc]),
        InstructionSpec(.sync, "sync", .x(31, 598), .sync_l, []),
        InstructionSpec(.lfdx, "lfdx", .x(31, 599), .frt_ra_rb, []),
        InstructionSpec(.lfdux, "lfdux", .x(31, 631), .frt_ra_rb, []),
        InstructionSpec(.stdbrx, "stdbrx", .x(31, 660), .rt_ra0_rb, []),
        InstructionSpec(.stwbrx, "stwbrx", .x(31, 662), .rt_ra0_rb, []),
        InstructionSpec(.stfsx, "stfsx", .x(31, 663), .frt_ra_rb, []),
        InstructionSpec(.stbcxRecord, "stbcx.", .x(31, 694), .rt_ra0_rb, [.record]),
        InstructionSpec(.stfsux, "stfsux", .x(31, 695), .frt_ra_rb, []),
        InstructionSpec(.sthcxRecord, "sthcx.", .x(31, 726), .rt_ra0_rb, [.record]),
        InstructionSpec(.stfdx, "stfdx", .x(31, 727), .frt_ra_rb, []),
        InstructionSpec(.stfdux, "stfdux", .x(31, 759), .frt_ra_rb, []),
        InstructionSpec(.modsd, "modsd", .x(31, 777), .rt_ra_rb, []),
        InstructionSpec(.modsw, "modsw", .x(31, 779), .rt_ra_rb, []),
        InstructionSpec(.lhbrx, "lhbrx", .x(31, 790), .rt_ra0_rb, []),
        InstructionSpec(.sraw, "sraw", .x(31, 792), .ra_rs_rb, [.rc]),
        InstructionSpec(.srad, "srad", .x(31, 794), .ra_rs_rb, [.rc]),
        InstructionSpec(.srawi, "srawi", .x(31, 824), .ra_rs_sh, [.rc]),
        InstructionSpec(.eieio, "eieio", .x(31, 854), .none, []),
        InstructionSpec(.sthbrx, "sthbrx", .x(31, 918), .rt_ra0_rb, []),
        InstructionSpec(.extsh, "extsh", .x(31, 922), .ra_rs, [.rc]),
        InstructionSpec(.extsb, "extsb", .x(31, 954), .ra_rs, [.rc]),
        InstructionSpec(.icbi, "icbi", .x(31, 982), .ra_rb, []),
        InstructionSpec(.stfiwx, "stfiwx", .x(31, 983), .frt_ra_rb, []),
        InstructionSpec(.lfiwax, "lfiwax", .x(31, 855), .frt_ra_rb, []),
        InstructionSpec(.lfiwzx, "lfiwzx", .x(31, 887), .frt_ra_rb, []),
        InstructionSpec(.bpermd, "bpermd", .x(31, 252), .ra_rs_rb, []),
        InstructionSpec(.extsw, "extsw", .x(31, 986), .ra_rs, [.rc]),
        InstructionSpec(.extswsli, "extswsli", .xs(31, 445), .ra_rs_sh6, [.rc]),
        InstructionSpec(.dcbz, "dcbz", .x(31, 1014), .ra_rb, []),
        InstructionSpec(.tlbiel, "tlbiel", .x(31, 274), .rb_rs_ric_prs_r, []),
        InstructionSpec(.tlbie, "tlbie", .x(31, 306), .rb_rs_ric_prs_r, []),
        InstructionSpec(.slbia, "slbia", .x(31, 498), .ih, []),
        InstructionSpec(.tlbsync, "tlbsync", .x(31, 566), .none, []),
        InstructionSpec(.lwz, "lwz", .d(32), .rt_d_ra, []),
        InstructionSpec(.lwzu, "lwzu", .d(33), .rt_d_ra, []),
        InstructionSpec(.lbz, "lbz", .d(34), .rt_d_ra, []),
        InstructionSpec(.lbzu, "lbzu", .d(35), .rt_d_ra, []),
        InstructionSpec(.stw, "stw", .d(36), .rt_d_ra, []),
        InstructionSpec(.stwu, "stwu", .d(37), .rt_d_ra, []),
        InstructionSpec(.stb, "stb", .d(38), .rt_d_ra, []),
        InstructionSpec(.stbu, "stbu", .d(39), .rt_d_ra, []),
        InstructionSpec(.lhz, "lhz", .d(40), .rt_d_ra, []),
        InstructionSpec(.lhzu, "lhzu", .d(41), .rt_d_ra, []),
        InstructionSpec(.lha, "lha", .d(42), .rt_d_ra, []),
        InstructionSpec(.lhau, "lhau", .d(43), .rt_d_ra, []),
        InstructionSpec(.sth, "sth", .d(44), .rt_d_ra, []),
        InstructionSpec(.sthu, "sthu", .d(45), .rt_d_ra, []),
        InstructionSpec(.lmw, "lmw", .d(46), .rt_d_ra, []),
        InstructionSpec(.stmw, "stmw", .d(47), .rt_d_ra, []),
        InstructionSpec(.lfs, "lfs", .d(48), .frt_d_ra, []),
        InstructionSpec(.lfsu, "lfsu", .d(49), .frt_d_ra, []),
        InstructionSpec(.lfd, "lfd", .d(50), .frt_d_ra, []),
        InstructionSpec(.lfdu, "lfdu", .d(51), .frt_d_ra, []),
        InstructionSpec(.stfs, "stfs", .d(52), .frt_d_ra, []),
        InstructionSpec(.stfsu, "stfsu", .d(53), .frt_d_ra, []),
        InstructionSpec(.stfd, "stfd", .d(54), .frt_d_ra, []),
        InstructionSpec(.stfdu, "stfdu", .d(55), .frt_d_ra, []),
        InstructionSpec(.ld, "ld", .ds(58, 0), .rt_ds_ra, []),
        InstructionSpec(.ldu, "ldu", .ds(58, 1), .rt_ds_ra, []),
        InstructionSpec(.lwa, "lwa", .ds(58, 2), .rt_ds_ra, []),
        InstructionSpec(.fdivs, "fdivs", .a(59, 18), .frt_fra_frb, [.rc]),
        InstructionSpec(.fsubs, "fsubs", .a(59, 20), .frt_fra_frb, [.rc]),
        InstructionSpec(.fadds, "fadds", .a(59, 21), .frt_fra_frb, [.rc]),
        InstructionSpec(.fsqrts, "fsqrts", .a(59, 22), .frt_frb, [.rc]),
        InstructionSpec(.fres, "fres", .a(59, 24), .frt_frb, [.rc]),
        InstructionSpec(.fmuls, "fmuls", .a(59, 25), .frt_fra_frc, [.rc]),
        InstructionSpec(.frsqrtes, "frsqrtes", .a(59, 26), .frt_frb, [.rc]),
        InstructionSpec(.fmsubs, "fmsubs", .a(59, 28), .frt_fra_frc_frb, [.rc]),
        InstructionSpec(.fmadds, "fmadds", .a(59, 29), .frt_fra_frc_frb, [.rc]),
        InstructionSpec(.fnmsubs, "fnmsubs", .a(59, 30), .frt_fra_frc_frb, [.rc]),
        InstructionSpec(.fnmadds, "fnmadds", .a(59, 31), .frt_fra_frc_frb, [.rc]),
        InstructionSpec(.fcfids, "fcfids", .x(59, 846), .frt_frb, [.rc]),
        InstructionSpec(.fcfidus, "fcfidus", .x(59, 974), .frt_frb, [.rc]),
        InstructionSpec(.std, "std", .ds(62, 0), .rt_ds_ra, []),
        InstructionSpec(.stdu, "stdu", .ds(62, 1), .rt_ds_ra, []),
        InstructionSpec(.fcmpu, "fcmpu", .x(63, 0), .bf_fra_frb, []),
        InstructionSpec(.fcpsgn, "fcpsgn", .x(63, 8), .frt_fra_frb, [.rc]),
        InstructionSpec(.frsp, "frsp", .x(63, 12), .frt_frb, [.rc]),
        InstructionSpec(.fctiw, "fctiw", .x(63, 14), .frt_frb, [.rc]),
        InstructionSpec(.fctiwz, "fctiwz", .x(63, 15), .frt_frb, [.rc]),
        InstructionSpec(.fdiv, "fdiv", .a(63, 18), .frt_fra_frb, [.rc]),
        InstructionSpec(.fsub, "fsub", .a(63, 20), .frt_fra_frb, [.rc]),
        InstructionSpec(.fadd, "fadd", .a(63, 21), .frt_fra_frb, [.rc]),
        InstructionSpec(.fsqrt, "fsqrt", .a(63, 22), .frt_frb, [.rc]),
        InstructionSpec(.fsel, "fsel", .a(63, 23), .frt_fra_frc_frb, [.rc]),
        InstructionSpec(.fre, "fre", .a(63, 24), .frt_frb, [.rc]),
        InstructionSpec(.fmul, "fmul", .a(63, 25), .frt_fra_frc, [.rc]),
        InstructionSpec(.frsqrte, "frsqrte", .a(63, 26), .frt_frb, [.rc]),
        InstructionSpec(.fmsub, "fmsub", .a(63, 28), .frt_fra_frc_frb, [.rc]),
        InstructionSpec(.fmadd, "fmadd", .a(63, 29), .frt_fra_frc_frb, [.rc]),
        InstructionSpec(.fnmsub, "fnmsub", .a(63, 30), .frt_fra_frc_frb, [.rc]),
        InstructionSpec(.fnmadd, "fnmadd", .a(63, 31), .frt_fra_frc_frb, [.rc]),
        InstructionSpec(.fcmpo, "fcmpo", .x(63, 32), .bf_fra_frb, []),
        InstructionSpec(.mtfsb1, "mtfsb1", .x(63, 38), .bt, [.rc]),
        InstructionSpec(.fneg, "fneg", .x(63, 40), .frt_frb, [.rc]),
        InstructionSpec(.mcrfs, "mcrfs", .x(63, 64), .bf_bfa, []),
        InstructionSpec(.mtfsb0, "mtfsb0", .x(63, 70), .bt, [.rc]),
        InstructionSpec(.fmr, "fmr", .x(63, 72), .frt_frb, [.rc]),
        InstructionSpec(.mtfsfi, "mtfsfi", .x(63, 134), .bf_u_w, [.rc]),
        InstructionSpec(.fnabs, "fnabs", .x(63, 136), .frt_frb, [.rc]),
        InstructionSpec(.fctiwu, "fctiwu", .x(63, 142), .frt_frb, [.rc]),
        InstructionSpec(.fctiwuz, "fctiwuz", .x(63, 143), .frt_frb, [.rc]),
        InstructionSpec(.fabs, "fabs", .x(63, 264), .frt_frb, [.rc]),
        InstructionSpec(.frin, "frin", .x(63, 392), .frt_frb, [.rc]),
        InstructionSpec(.friz, "friz", .x(63, 424), .frt_frb, [.rc]),
        InstructionSpec(.frip, "frip", .x(63, 456), .frt_frb, [.rc]),
        InstructionSpec(.frim, "frim", .x(63, 488), .frt_frb, [.rc]),
        InstructionSpec(.mffs, "mffs", .x(63, 583), .frt, [.rc]),
        InstructionSpec(.mtfsf, "mtfsf", .xfl(63, 711), .flm_frb_l_w, [.rc]),
        InstructionSpec(.fctid, "fctid", .x(63, 814), .frt_frb, [.rc]),
        InstructionSpec(.fctidz, "fctidz", .x(63, 815), .frt_frb, [.rc]),
        InstructionSpec(.fcfid, "fcfid", .x(63, 846), .frt_frb, [.rc]),
        InstructionSpec(.fctidu, "fctidu", .x(63, 942), .frt_frb, [.rc]),
        InstructionSpec(.fctiduz, "fctiduz", .x(63, 943), .frt_frb, [.rc]),
        InstructionSpec(.fcfidu, "fcfidu", .x(63, 974), .frt_frb, [.rc]),
    ]

    /// Row of each operation, indexed by `Op.rawValue` (`.invalid` has none).
    public static let specByOp: [InstructionSpec?] = {
        var byOp = [InstructionSpec?](repeating: nil, count: Op.allCases.count)
        for s in specs { byOp[Int(s.op.rawValue)] = s }
        return byOp
    }()

    @inlinable public static func spec(for op: Op) -> InstructionSpec? { specByOp[Int(op.rawValue)] }
}

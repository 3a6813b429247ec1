/// How an instruction is encoded: its form, primary opcode and extended opcode. The mask of
/// fixed bits follows from the form (see `InstructionSpec.init`).
public enum Encoding: Sendable {
    case d(UInt32), i(UInt32), b(UInt32), m(UInt32), sc(UInt32)
    case ds(UInt32, UInt32), x(UInt32, UInt32), xl(UInt32, UInt32), xfx(UInt32, UInt32), xfl(UInt32, UInt32)
    case xo(UInt32, UInt32), a(UInt32, UInt32), md(UInt32, UInt32), mds(UInt32, UInt32), xs(UInt32, UInt32)
    /// VA-form (opcode 4 with a 6-bit extended opcode in bits 26:31: maddld, vperm…).
    case va(UInt32, UInt32)
    /// VX-form: an 11-bit extended opcode in bits 21:31 (vaddubm, vand, vspltw…).
    case vx(UInt32, UInt32)
    /// VC-form: a 10-bit extended opcode in bits 22:31; bit 21 is Rc (vector compares).
    case vc(UInt32, UInt32)
    /// XX1-form: extended opcode in bits 21:30, bit 31 is TX/SX (VSX loads, stores, moves).
    case xx1(UInt32, UInt32)
    /// XX2-form: extended opcode in bits 21:29, BX bit 30, TX bit 31.
    case xx2(UInt32, UInt32)
    /// XX3-form: extended opcode in bits 21:28, AX bit 29, BX bit 30, TX bit 31.
    case xx3(UInt32, UInt32)
    /// XX3-form with DM/SHW in bits 22:23: bit 21 is 0 and the extended opcode is bits 24:28
    /// (xxpermdi, xxsldwi).
    case xx3dm(UInt32, UInt32)
    /// XX4-form: extended opcode in bits 26:27, CX bit 28, AX 29, BX 30, TX 31 (xxsel).
    case xx4(UInt32, UInt32)
    /// DQ-form: a 3-bit extended opcode in bits 29:31 (TX/SX is bit 28: lxv, stxv).
    case dq(UInt32, UInt32)
    /// XX3-form with Rc in bit 21 and a 7-bit extended opcode in bits 22:28 (xvcmpeqdp.).
    case xx3rc(UInt32, UInt32)
    /// XX2-form whose A field (bits 11:15) is part of the opcode (xxbrd: 23).
    case xx2a(UInt32, UInt32, UInt32)
    /// VX-form whose VRA field (bits 11:15) is part of the opcode (vctzb, vextsb2w, vnegw).
    case vxa(UInt32, UInt32, UInt32)
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
    /// Bit 21 is Rc (VC form): the `.` form records in CR6 whether the compare was true for
    /// all elements or for none.
    public static let vcRc = Variants(rawValue: 32)
}

/// Register combinations that make an instruction form invalid (Book I 1.8.2): such words are
/// not decoded, so they raise the illegal-instruction interrupt, as on POWER9, and disassemble
/// as `.long`, as objdump writes them.
public struct InvalidForms: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// RT (RTp) = RA: lq and lqarx would overwrite their address.
    public static let rtEqualsRA = InvalidForms(rawValue: 1)
    /// RT (RTp) = RB: lqarx.
    public static let rtEqualsRB = InvalidForms(rawValue: 2)
    /// mftb naming an SPR other than TB (268) or TBU (269).
    public static let sprNotTimeBase = InvalidForms(rawValue: 4)
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
    public let invalidForms: InvalidForms

    /// `reserved`: bits that must be 0 (POWER9 and objdump reject the word otherwise).
    /// `pairedRT`: RT/RS names an even-odd register pair (lq, stq, lqarx, stqcx.): an odd
    /// register is an invalid form, not decoded.
    public init(_ op: Op, _ mnemonic: String, _ encoding: Encoding, _ syntax: OperandSyntax,
                _ variants: Variants, fieldBit11: Bool? = nil, reserved: UInt32 = 0, pairedRT: Bool = false,
                invalid: InvalidForms = []) {
        self.op = op; self.mnemonic = mnemonic; self.encoding = encoding; self.invalidForms = invalid
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
        case .va(let po, let xo):
            (mask, match) = (0xFC00_003F, po << 26 | xo)
        case .vx(let po, let xo):
            (mask, match) = (0xFC00_07FF, po << 26 | xo)
        case .vc(let po, let xo):
            (mask, match) = (0xFC00_03FF, po << 26 | xo)
        case .xx1(let po, let xo):
            (mask, match) = (0xFC00_07FE, po << 26 | xo << 1)
        case .xx2(let po, let xo):
            (mask, match) = (0xFC00_07FC, po << 26 | xo << 2)
        case .xx3(let po, let xo):
            (mask, match) = (0xFC00_07F8, po << 26 | xo << 3)
        case .xx3dm(let po, let xo):
            (mask, match) = (0xFC00_04F8, po << 26 | xo << 3)
        case .xx4(let po, let xo):
            (mask, match) = (0xFC00_0030, po << 26 | xo << 4)
        case .dq(let po, let xo):
            (mask, match) = (0xFC00_0007, po << 26 | xo)
        case .xx3rc(let po, let xo):
            (mask, match) = (0xFC00_03F8, po << 26 | xo << 3)
        case .xx2a(let po, let xo, let a):
            (mask, match) = (0xFC1F_07FC, po << 26 | a << 16 | xo << 2)
        case .vxa(let po, let xo, let a):
            (mask, match) = (0xFC1F_07FF, po << 26 | a << 16 | xo)
        }
        // Forms whose bit 31 is not Rc/LK keep it fixed: 0, or 1 for the record-only stores.
        switch encoding {
        case .d, .ds, .i, .b, .sc, .va, .vx, .vc, .xx1, .xx2, .xx3, .xx3dm, .xx4, .dq, .xx3rc, .xx2a, .vxa: break
        default:
            if variants.contains(.record) { mask |= 1; match |= 1 }
            // (lbarx…lqarx: bit 31 is EH, the exclusive-access hint, free and ignored.)
            else if variants.isDisjoint(with: [.rc, .lk]) && syntax != .rt_ra_rb_eh { mask |= 1 }
        }
        if let bit11 = fieldBit11 { mask |= 0x0010_0000; if bit11 { match |= 0x0010_0000 } }
        mask |= reserved
        if pairedRT { mask |= 0x0020_0000 }
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

    /// True when `word` has this row's fixed bits and is not one of its invalid forms.
    @inline(__always) public func matches(_ word: UInt32) -> Bool {
        guard word & mask == match else { return false }
        if invalidForms.isEmpty { return true }
        let w = InstructionWord(word)
        if invalidForms.contains(.rtEqualsRA) && w.rt == w.ra { return false }
        if invalidForms.contains(.rtEqualsRB) && w.rt == w.rb { return false }
        if invalidForms.contains(.sprNotTimeBase) && w.spr != SPR.tbRead && w.spr != SPR.tbuRead { return false }
        return true
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
        InstructionSpec(.mftb, "mftb", .xfx(31, 371), .rt_spr, [], invalid: .sprNotTimeBase),
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
        // Load/store string (Book I 3.3.7): RT, RA, NB (0 means 32 bytes) or the XER byte count.
        InstructionSpec(.lswi, "lswi", .x(31, 597), .rt_ra0_nb, []),
        InstructionSpec(.lswx, "lswx", .x(31, 533), .rt_ra0_rb, []),
        InstructionSpec(.stswi, "stswi", .x(31, 725), .rt_ra0_nb, []),
        InstructionSpec(.stswx, "stswx", .x(31, 661), .rt_ra0_rb, []),
        // Quadword: RTp/RSp an even-odd pair.
        InstructionSpec(.lqarx, "lqarx", .x(31, 276), .rt_ra_rb_eh, [], pairedRT: true, invalid: [.rtEqualsRA, .rtEqualsRB]),
        InstructionSpec(.stqcxRecord, "stqcx.", .x(31, 182), .rt_ra0_rb, [.record], pairedRT: true),
        InstructionSpec(.lq, "lq", .d(56), .rt_dq_ra, [], pairedRT: true, invalid: .rtEqualsRA),
        InstructionSpec(.stq, "stq", .ds(62, 2), .rt_ds_ra, [], pairedRT: true),
        // Multiply-add (ISA 3.0).
        InstructionSpec(.maddhd, "maddhd", .va(4, 48), .rt_ra_rb_rc, []),
        InstructionSpec(.maddhdu, "maddhdu", .va(4, 49), .rt_ra_rb_rc, []),
        InstructionSpec(.maddld, "maddld", .va(4, 51), .rt_ra_rb_rc, []),
        // Translation management (Book III 5.9): no MMU yet, so no-ops; privileged.
        InstructionSpec(.tlbie, "tlbie", .x(31, 306), .rb_rs_ric_prs_r, [], reserved: 0x0010_0000),
        InstructionSpec(.tlbiel, "tlbiel", .x(31, 274), .rb_rs_ric_prs_r, [], reserved: 0x0010_0000),
        InstructionSpec(.tlbsync, "tlbsync", .x(31, 566), .none, [], reserved: 0x03FF_F800),
        InstructionSpec(.slbia, "slbia", .x(31, 498), .ih, [], reserved: 0x031F_F800),
        InstructionSpec(.slbie, "slbie", .x(31, 434), .rb, [], reserved: 0x03FF_0000),
        InstructionSpec(.slbmte, "slbmte", .x(31, 402), .rs_rb, [], reserved: 0x001F_0000),
        // Waiting and doorbells.
        InstructionSpec(.wait, "wait", .x(31, 30), .none, [], reserved: 0x039F_F800),
        InstructionSpec(.msgsndp, "msgsndp", .x(31, 142), .rb, [], reserved: 0x03FF_0000),
        InstructionSpec(.msgclrp, "msgclrp", .x(31, 174), .rb, [], reserved: 0x03FF_0000),
        // Vector facility (VMX), Book I chapter 6. Loads and stores (6.7): X-form, RA|0.
        InstructionSpec(.lvx, "lvx", .x(31, 103), .vrt_ra0_rb, []),
        InstructionSpec(.lvxl, "lvxl", .x(31, 359), .vrt_ra0_rb, []),
        InstructionSpec(.stvx, "stvx", .x(31, 231), .vrt_ra0_rb, []),
        InstructionSpec(.stvxl, "stvxl", .x(31, 487), .vrt_ra0_rb, []),
        InstructionSpec(.lvebx, "lvebx", .x(31, 7), .vrt_ra0_rb, []),
        InstructionSpec(.lvehx, "lvehx", .x(31, 39), .vrt_ra0_rb, []),
        InstructionSpec(.lvewx, "lvewx", .x(31, 71), .vrt_ra0_rb, []),
        InstructionSpec(.stvebx, "stvebx", .x(31, 135), .vrt_ra0_rb, []),
        InstructionSpec(.stvehx, "stvehx", .x(31, 167), .vrt_ra0_rb, []),
        InstructionSpec(.stvewx, "stvewx", .x(31, 199), .vrt_ra0_rb, []),
        InstructionSpec(.lvsl, "lvsl", .x(31, 6), .vrt_ra0_rb, []),
        InstructionSpec(.lvsr, "lvsr", .x(31, 38), .vrt_ra0_rb, []),
        InstructionSpec(.mfvscr, "mfvscr", .vx(4, 1540), .vrt, [], reserved: 0x001F_F800),
        InstructionSpec(.mtvscr, "mtvscr", .vx(4, 1604), .vrb, [], reserved: 0x03FF_0000),
        // Logical (6.11), permute and formatting (6.8).
        InstructionSpec(.vand, "vand", .vx(4, 1028), .vrt_vra_vrb, []),
        InstructionSpec(.vandc, "vandc", .vx(4, 1092), .vrt_vra_vrb, []),
        InstructionSpec(.vor, "vor", .vx(4, 1156), .vrt_vra_vrb, []),
        InstructionSpec(.vorc, "vorc", .vx(4, 1348), .vrt_vra_vrb, []),
        InstructionSpec(.vxor, "vxor", .vx(4, 1220), .vrt_vra_vrb, []),
        InstructionSpec(.vnor, "vnor", .vx(4, 1284), .vrt_vra_vrb, []),
        InstructionSpec(.vnand, "vnand", .vx(4, 1412), .vrt_vra_vrb, []),
        InstructionSpec(.veqv, "veqv", .vx(4, 1668), .vrt_vra_vrb, []),
        InstructionSpec(.vsel, "vsel", .va(4, 42), .vrt_vra_vrb_vrc, []),
        InstructionSpec(.vperm, "vperm", .va(4, 43), .vrt_vra_vrb_vrc, []),
        InstructionSpec(.vpermr, "vpermr", .va(4, 59), .vrt_vra_vrb_vrc, []),
        InstructionSpec(.vsldoi, "vsldoi", .va(4, 44), .vrt_vra_vrb_shb, [], reserved: 0x0000_0400),
        InstructionSpec(.vspltb, "vspltb", .vx(4, 524), .vrt_vrb_uim, [], reserved: 0x0010_0000),
        InstructionSpec(.vsplth, "vsplth", .vx(4, 588), .vrt_vrb_uim, [], reserved: 0x0018_0000),
        InstructionSpec(.vspltw, "vspltw", .vx(4, 652), .vrt_vrb_uim, [], reserved: 0x001C_0000),
        InstructionSpec(.vspltisb, "vspltisb", .vx(4, 780), .vrt_sim, [], reserved: 0x0000_F800),
        InstructionSpec(.vspltish, "vspltish", .vx(4, 844), .vrt_sim, [], reserved: 0x0000_F800),
        InstructionSpec(.vspltisw, "vspltisw", .vx(4, 908), .vrt_sim, [], reserved: 0x0000_F800),
        InstructionSpec(.vmrghb, "vmrghb", .vx(4, 12), .vrt_vra_vrb, []),
        InstructionSpec(.vmrghh, "vmrghh", .vx(4, 76), .vrt_vra_vrb, []),
        InstructionSpec(.vmrghw, "vmrghw", .vx(4, 140), .vrt_vra_vrb, []),
        InstructionSpec(.vmrglb, "vmrglb", .vx(4, 268), .vrt_vra_vrb, []),
        InstructionSpec(.vmrglh, "vmrglh", .vx(4, 332), .vrt_vra_vrb, []),
        InstructionSpec(.vmrglw, "vmrglw", .vx(4, 396), .vrt_vra_vrb, []),
        InstructionSpec(.vslo, "vslo", .vx(4, 1036), .vrt_vra_vrb, []),
        InstructionSpec(.vsro, "vsro", .vx(4, 1100), .vrt_vra_vrb, []),
        InstructionSpec(.vsl, "vsl", .vx(4, 452), .vrt_vra_vrb, []),
        InstructionSpec(.vsr, "vsr", .vx(4, 708), .vrt_vra_vrb, []),
        // Integer add and subtract (6.9.1): modulo, write-carry, saturating (VSCR[SAT]), extended.
        InstructionSpec(.vaddubm, "vaddubm", .vx(4, 0), .vrt_vra_vrb, []),
        InstructionSpec(.vadduhm, "vadduhm", .vx(4, 64), .vrt_vra_vrb, []),
        InstructionSpec(.vadduwm, "vadduwm", .vx(4, 128), .vrt_vra_vrb, []),
        InstructionSpec(.vaddudm, "vaddudm", .vx(4, 192), .vrt_vra_vrb, []),
        InstructionSpec(.vadduqm, "vadduqm", .vx(4, 256), .vrt_vra_vrb, []),
        InstructionSpec(.vaddcuq, "vaddcuq", .vx(4, 320), .vrt_vra_vrb, []),
        InstructionSpec(.vaddcuw, "vaddcuw", .vx(4, 384), .vrt_vra_vrb, []),
        InstructionSpec(.vaddubs, "vaddubs", .vx(4, 512), .vrt_vra_vrb, []),
        InstructionSpec(.vadduhs, "vadduhs", .vx(4, 576), .vrt_vra_vrb, []),
        InstructionSpec(.vadduws, "vadduws", .vx(4, 640), .vrt_vra_vrb, []),
        InstructionSpec(.vaddsbs, "vaddsbs", .vx(4, 768), .vrt_vra_vrb, []),
        InstructionSpec(.vaddshs, "vaddshs", .vx(4, 832), .vrt_vra_vrb, []),
        InstructionSpec(.vaddsws, "vaddsws", .vx(4, 896), .vrt_vra_vrb, []),
        InstructionSpec(.vsububm, "vsububm", .vx(4, 1024), .vrt_vra_vrb, []),
        InstructionSpec(.vsubuhm, "vsubuhm", .vx(4, 1088), .vrt_vra_vrb, []),
        InstructionSpec(.vsubuwm, "vsubuwm", .vx(4, 1152), .vrt_vra_vrb, []),
        InstructionSpec(.vsubudm, "vsubudm", .vx(4, 1216), .vrt_vra_vrb, []),
        InstructionSpec(.vsubuqm, "vsubuqm", .vx(4, 1280), .vrt_vra_vrb, []),
        InstructionSpec(.vsubcuq, "vsubcuq", .vx(4, 1344), .vrt_vra_vrb, []),
        InstructionSpec(.vsubcuw, "vsubcuw", .vx(4, 1408), .vrt_vra_vrb, []),
        InstructionSpec(.vsububs, "vsububs", .vx(4, 1536), .vrt_vra_vrb, []),
        InstructionSpec(.vsubuhs, "vsubuhs", .vx(4, 1600), .vrt_vra_vrb, []),
        InstructionSpec(.vsubuws, "vsubuws", .vx(4, 1664), .vrt_vra_vrb, []),
        InstructionSpec(.vsubsbs, "vsubsbs", .vx(4, 1792), .vrt_vra_vrb, []),
        InstructionSpec(.vsubshs, "vsubshs", .vx(4, 1856), .vrt_vra_vrb, []),
        InstructionSpec(.vsubsws, "vsubsws", .vx(4, 1920), .vrt_vra_vrb, []),
        InstructionSpec(.vaddeuqm, "vaddeuqm", .va(4, 60), .vrt_vra_vrb_vrc, []),
        InstructionSpec(.vaddecuq, "vaddecuq", .va(4, 61), .vrt_vra_vrb_vrc, []),
        InstructionSpec(.vsubeuqm, "vsubeuqm", .va(4, 62), .vrt_vra_vrb_vrc, []),
        InstructionSpec(.vsubecuq, "vsubecuq", .va(4, 63), .vrt_vra_vrb_vrc, []),
        // Integer compares (6.9.3): VC form, Rc = 1 sets CR6.
        InstructionSpec(.vcmpequb, "vcmpequb", .vc(4, 6), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpequh, "vcmpequh", .vc(4, 70), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpequw, "vcmpequw", .vc(4, 134), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpequd, "vcmpequd", .vc(4, 199), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpgtub, "vcmpgtub", .vc(4, 518), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpgtuh, "vcmpgtuh", .vc(4, 582), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpgtuw, "vcmpgtuw", .vc(4, 646), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpgtud, "vcmpgtud", .vc(4, 711), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpgtsb, "vcmpgtsb", .vc(4, 774), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpgtsh, "vcmpgtsh", .vc(4, 838), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpgtsw, "vcmpgtsw", .vc(4, 902), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpgtsd, "vcmpgtsd", .vc(4, 967), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpneb, "vcmpneb", .vc(4, 7), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpneh, "vcmpneh", .vc(4, 71), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpnew, "vcmpnew", .vc(4, 135), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpnezb, "vcmpnezb", .vc(4, 263), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpnezh, "vcmpnezh", .vc(4, 327), .vrt_vra_vrb, [.vcRc]),
        InstructionSpec(.vcmpnezw, "vcmpnezw", .vc(4, 391), .vrt_vra_vrb, [.vcRc]),
        // Integer maximum and minimum (6.9.2).
        InstructionSpec(.vmaxub, "vmaxub", .vx(4, 2), .vrt_vra_vrb, []),
        InstructionSpec(.vmaxuh, "vmaxuh", .vx(4, 66), .vrt_vra_vrb, []),
        InstructionSpec(.vmaxuw, "vmaxuw", .vx(4, 130), .vrt_vra_vrb, []),
        InstructionSpec(.vmaxud, "vmaxud", .vx(4, 194), .vrt_vra_vrb, []),
        InstructionSpec(.vmaxsb, "vmaxsb", .vx(4, 258), .vrt_vra_vrb, []),
        InstructionSpec(.vmaxsh, "vmaxsh", .vx(4, 322), .vrt_vra_vrb, []),
        InstructionSpec(.vmaxsw, "vmaxsw", .vx(4, 386), .vrt_vra_vrb, []),
        InstructionSpec(.vmaxsd, "vmaxsd", .vx(4, 450), .vrt_vra_vrb, []),
        InstructionSpec(.vminub, "vminub", .vx(4, 514), .vrt_vra_vrb, []),
        InstructionSpec(.vminuh, "vminuh", .vx(4, 578), .vrt_vra_vrb, []),
        InstructionSpec(.vminuw, "vminuw", .vx(4, 642), .vrt_vra_vrb, []),
        InstructionSpec(.vminud, "vminud", .vx(4, 706), .vrt_vra_vrb, []),
        InstructionSpec(.vminsb, "vminsb", .vx(4, 770), .vrt_vra_vrb, []),
        InstructionSpec(.vminsh, "vminsh", .vx(4, 834), .vrt_vra_vrb, []),
        InstructionSpec(.vminsw, "vminsw", .vx(4, 898), .vrt_vra_vrb, []),
        InstructionSpec(.vminsd, "vminsd", .vx(4, 962), .vrt_vra_vrb, []),
        // Integer rotate and shift by element (6.9.6): the count is the low bits of VRB's element.
        InstructionSpec(.vrlb, "vrlb", .vx(4, 4), .vrt_vra_vrb, []),
        InstructionSpec(.vrlh, "vrlh", .vx(4, 68), .vrt_vra_vrb, []),
        InstructionSpec(.vrlw, "vrlw", .vx(4, 132), .vrt_vra_vrb, []),
        InstructionSpec(.vrld, "vrld", .vx(4, 196), .vrt_vra_vrb, []),
        InstructionSpec(.vslb, "vslb", .vx(4, 260), .vrt_vra_vrb, []),
        InstructionSpec(.vslh, "vslh", .vx(4, 324), .vrt_vra_vrb, []),
        InstructionSpec(.vslw, "vslw", .vx(4, 388), .vrt_vra_vrb, []),
        InstructionSpec(.vsld, "vsld", .vx(4, 1476), .vrt_vra_vrb, []),
        InstructionSpec(.vsrb, "vsrb", .vx(4, 516), .vrt_vra_vrb, []),
        InstructionSpec(.vsrh, "vsrh", .vx(4, 580), .vrt_vra_vrb, []),
        InstructionSpec(.vsrw, "vsrw", .vx(4, 644), .vrt_vra_vrb, []),
        InstructionSpec(.vsrd, "vsrd", .vx(4, 1732), .vrt_vra_vrb, []),
        InstructionSpec(.vsrab, "vsrab", .vx(4, 772), .vrt_vra_vrb, []),
        InstructionSpec(.vsrah, "vsrah", .vx(4, 836), .vrt_vra_vrb, []),
        InstructionSpec(.vsraw, "vsraw", .vx(4, 900), .vrt_vra_vrb, []),
        InstructionSpec(.vsrad, "vsrad", .vx(4, 964), .vrt_vra_vrb, []),
        // Count leading zeros, population count (6.9.7), bit permute (6.9.8): VRA reserved in the counts.
        InstructionSpec(.vclzb, "vclzb", .vx(4, 1794), .vrt_vrb, [], reserved: 0x001F_0000),
        InstructionSpec(.vclzh, "vclzh", .vx(4, 1858), .vrt_vrb, [], reserved: 0x001F_0000),
        InstructionSpec(.vclzw, "vclzw", .vx(4, 1922), .vrt_vrb, [], reserved: 0x001F_0000),
        InstructionSpec(.vclzd, "vclzd", .vx(4, 1986), .vrt_vrb, [], reserved: 0x001F_0000),
        InstructionSpec(.vpopcntb, "vpopcntb", .vx(4, 1795), .vrt_vrb, [], reserved: 0x001F_0000),
        InstructionSpec(.vpopcnth, "vpopcnth", .vx(4, 1859), .vrt_vrb, [], reserved: 0x001F_0000),
        InstructionSpec(.vpopcntw, "vpopcntw", .vx(4, 1923), .vrt_vrb, [], reserved: 0x001F_0000),
        InstructionSpec(.vpopcntd, "vpopcntd", .vx(4, 1987), .vrt_vrb, [], reserved: 0x001F_0000),
        InstructionSpec(.vbpermq, "vbpermq", .vx(4, 1356), .vrt_vra_vrb, []),
        // Sums across (6.9.1.1), saturating (VSCR[SAT]).
        InstructionSpec(.vsumsws, "vsumsws", .vx(4, 1928), .vrt_vra_vrb, []),
        InstructionSpec(.vsum2sws, "vsum2sws", .vx(4, 1672), .vrt_vra_vrb, []),
        InstructionSpec(.vsum4sbs, "vsum4sbs", .vx(4, 1800), .vrt_vra_vrb, []),
        InstructionSpec(.vsum4shs, "vsum4shs", .vx(4, 1608), .vrt_vra_vrb, []),
        InstructionSpec(.vsum4ubs, "vsum4ubs", .vx(4, 1544), .vrt_vra_vrb, []),
        // Extracts into GPRs, the VRA-selected unary forms (VX opcode 1538), pack/unpack,
        // merges, multiplies, multiply-sums (VSCR[SAT] for the saturating ones), averages.
        InstructionSpec(.vextublx, "vextublx", .vx(4, 1549), .rt_ra_vrb, []),
        InstructionSpec(.vextuhlx, "vextuhlx", .vx(4, 1613), .rt_ra_vrb, []),
        InstructionSpec(.vextuwlx, "vextuwlx", .vx(4, 1677), .rt_ra_vrb, []),
        InstructionSpec(.vextubrx, "vextubrx", .vx(4, 1805), .rt_ra_vrb, []),
        InstructionSpec(.vextuhrx, "vextuhrx", .vx(4, 1869), .rt_ra_vrb, []),
        InstructionSpec(.vextuwrx, "vextuwrx", .vx(4, 1933), .rt_ra_vrb, []),
        InstructionSpec(.vclzlsbb, "vclzlsbb", .vxa(4, 1538, 0), .rt_vrb, []),
        InstructionSpec(.vctzlsbb, "vctzlsbb", .vxa(4, 1538, 1), .rt_vrb, []),
        InstructionSpec(.vnegw, "vnegw", .vxa(4, 1538, 6), .vrt_vrb, []),
        InstructionSpec(.vnegd, "vnegd", .vxa(4, 1538, 7), .vrt_vrb, []),
        InstructionSpec(.vprtybw, "vprtybw", .vxa(4, 1538, 8), .vrt_vrb, []),
        InstructionSpec(.vprtybd, "vprtybd", .vxa(4, 1538, 9), .vrt_vrb, []),
        InstructionSpec(.vprtybq, "vprtybq", .vxa(4, 1538, 10), .vrt_vrb, []),
        InstructionSpec(.vextsb2w, "vextsb2w", .vxa(4, 1538, 16), .vrt_vrb, []),
        InstructionSpec(.vextsh2w, "vextsh2w", .vxa(4, 1538, 17), .vrt_vrb, []),
        InstructionSpec(.vextsb2d, "vextsb2d", .vxa(4, 1538, 24), .vrt_vrb, []),
        InstructionSpec(.vextsh2d, "vextsh2d", .vxa(4, 1538, 25), .vrt_vrb, []),
        InstructionSpec(.vextsw2d, "vextsw2d", .vxa(4, 1538, 26), .vrt_vrb, []),
        InstructionSpec(.vctzb, "vctzb", .vxa(4, 1538, 28), .vrt_vrb, []),
        InstructionSpec(.vctzh, "vctzh", .vxa(4, 1538, 29), .vrt_vrb, []),
        InstructionSpec(.vctzw, "vctzw", .vxa(4, 1538, 30), .vrt_vrb, []),
        InstructionSpec(.vctzd, "vctzd", .vxa(4, 1538, 31), .vrt_vrb, []),
        InstructionSpec(.vpkuhum, "vpkuhum", .vx(4, 14), .vrt_vra_vrb, []),
        InstructionSpec(.vpkuwum, "vpkuwum", .vx(4, 78), .vrt_vra_vrb, []),
        InstructionSpec(.vpkudum, "vpkudum", .vx(4, 1102), .vrt_vra_vrb, []),
        InstructionSpec(.vpkuhus, "vpkuhus", .vx(4, 142), .vrt_vra_vrb, []),
        InstructionSpec(.vpkuwus, "vpkuwus", .vx(4, 206), .vrt_vra_vrb, []),
        InstructionSpec(.vpkudus, "vpkudus", .vx(4, 1230), .vrt_vra_vrb, []),
        InstructionSpec(.vpkshss, "vpkshss", .vx(4, 398), .vrt_vra_vrb, []),
        InstructionSpec(.vpkswss, "vpkswss", .vx(4, 462), .vrt_vra_vrb, []),
        InstructionSpec(.vpksdss, "vpksdss", .vx(4, 1486), .vrt_vra_vrb, []),
        InstructionSpec(.vpkshus, "vpkshus", .vx(4, 270), .vrt_vra_vrb, []),
        InstructionSpec(.vpkswus, "vpkswus", .vx(4, 334), .vrt_vra_vrb, []),
        InstructionSpec(.vpksdus, "vpksdus", .vx(4, 1358), .vrt_vra_vrb, []),
        InstructionSpec(.vupkhsb, "vupkhsb", .vx(4, 526), .vrt_vrb, [], reserved: 0x001F_0000),
        InstructionSpec(.vupklsb, "vupklsb", .vx(4, 654), .vrt_vrb, [], reserved: 0x001F_0000),
        InstructionSpec(.vupkhsh, "vupkhsh", .vx(4, 590), .vrt_vrb, [], reserved: 0x001F_0000),
        InstructionSpec(.vupklsh, "vupklsh", .vx(4, 718), .vrt_vrb, [], reserved: 0x001F_0000),
        InstructionSpec(.vupkhsw, "vupkhsw", .vx(4, 1614), .vrt_vrb, [], reserved: 0x001F_0000),
        InstructionSpec(.vupklsw, "vupklsw", .vx(4, 1742), .vrt_vrb, [], reserved: 0x001F_0000),
        InstructionSpec(.vmrgew, "vmrgew", .vx(4, 1932), .vrt_vra_vrb, []),
        InstructionSpec(.vmrgow, "vmrgow", .vx(4, 1676), .vrt_vra_vrb, []),
        InstructionSpec(.vmuluwm, "vmuluwm", .vx(4, 137), .vrt_vra_vrb, []),
        InstructionSpec(.vmuleub, "vmuleub", .vx(4, 520), .vrt_vra_vrb, []),
        InstructionSpec(.vmulesb, "vmulesb", .vx(4, 776), .vrt_vra_vrb, []),
        InstructionSpec(.vmuleuh, "vmuleuh", .vx(4, 584), .vrt_vra_vrb, []),
        InstructionSpec(.vmulesh, "vmulesh", .vx(4, 840), .vrt_vra_vrb, []),
        InstructionSpec(.vmuleuw, "vmuleuw", .vx(4, 648), .vrt_vra_vrb, []),
        InstructionSpec(.vmulesw, "vmulesw", .vx(4, 904), .vrt_vra_vrb, []),
        InstructionSpec(.vmuloub, "vmuloub", .vx(4, 8), .vrt_vra_vrb, []),
        InstructionSpec(.vmulosb, "vmulosb", .vx(4, 264), .vrt_vra_vrb, []),
        InstructionSpec(.vmulouh, "vmulouh", .vx(4, 72), .vrt_vra_vrb, []),
        InstructionSpec(.vmulosh, "vmulosh", .vx(4, 328), .vrt_vra_vrb, []),
        InstructionSpec(.vmulouw, "vmulouw", .vx(4, 136), .vrt_vra_vrb, []),
        InstructionSpec(.vmulosw, "vmulosw", .vx(4, 392), .vrt_vra_vrb, []),
        InstructionSpec(.vmsumubm, "vmsumubm", .va(4, 36), .vrt_vra_vrb_vrc, []),
        InstructionSpec(.vmsummbm, "vmsummbm", .va(4, 37), .vrt_vra_vrb_vrc, []),
        InstructionSpec(.vmsumuhm, "vmsumuhm", .va(4, 38), .vrt_vra_vrb_vrc, []),
        InstructionSpec(.vmsumshm, "vmsumshm", .va(4, 40), .vrt_vra_vrb_vrc, []),
        InstructionSpec(.vmsumuhs, "vmsumuhs", .va(4, 39), .vrt_vra_vrb_vrc, []),
        InstructionSpec(.vmsumshs, "vmsumshs", .va(4, 41), .vrt_vra_vrb_vrc, []),
        InstructionSpec(.vmladduhm, "vmladduhm", .va(4, 34), .vrt_vra_vrb_vrc, []),
        InstructionSpec(.vmhaddshs, "vmhaddshs", .va(4, 32), .vrt_vra_vrb_vrc, []),
        InstructionSpec(.vmhraddshs, "vmhraddshs", .va(4, 33), .vrt_vra_vrb_vrc, []),
        InstructionSpec(.vabsdub, "vabsdub", .vx(4, 1027), .vrt_vra_vrb, []),
        InstructionSpec(.vabsduh, "vabsduh", .vx(4, 1091), .vrt_vra_vrb, []),
        InstructionSpec(.vabsduw, "vabsduw", .vx(4, 1155), .vrt_vra_vrb, []),
        InstructionSpec(.vavgub, "vavgub", .vx(4, 1026), .vrt_vra_vrb, []),
        InstructionSpec(.vavguh, "vavguh", .vx(4, 1090), .vrt_vra_vrb, []),
        InstructionSpec(.vavguw, "vavguw", .vx(4, 1154), .vrt_vra_vrb, []),
        InstructionSpec(.vavgsb, "vavgsb", .vx(4, 1282), .vrt_vra_vrb, []),
        InstructionSpec(.vavgsh, "vavgsh", .vx(4, 1346), .vrt_vra_vrb, []),
        InstructionSpec(.vavgsw, "vavgsw", .vx(4, 1410), .vrt_vra_vrb, []),
        // Polynomial multiply-sum, element extract and insert at a byte index (ISA 2.07, 3.0).
        InstructionSpec(.vpmsumb, "vpmsumb", .vx(4, 1032), .vrt_vra_vrb, []),
        InstructionSpec(.vpmsumh, "vpmsumh", .vx(4, 1096), .vrt_vra_vrb, []),
        InstructionSpec(.vpmsumw, "vpmsumw", .vx(4, 1160), .vrt_vra_vrb, []),
        InstructionSpec(.vpmsumd, "vpmsumd", .vx(4, 1224), .vrt_vra_vrb, []),
        InstructionSpec(.vextractub, "vextractub", .vx(4, 525), .vrt_vrb_uim, [], reserved: 0x0010_0000),
        InstructionSpec(.vextractuh, "vextractuh", .vx(4, 589), .vrt_vrb_uim, [], reserved: 0x0010_0000),
        InstructionSpec(.vextractuw, "vextractuw", .vx(4, 653), .vrt_vrb_uim, [], reserved: 0x0010_0000),
        InstructionSpec(.vextractd, "vextractd", .vx(4, 717), .vrt_vrb_uim, [], reserved: 0x0010_0000),
        InstructionSpec(.vinsertb, "vinsertb", .vx(4, 781), .vrt_vrb_uim, [], reserved: 0x0010_0000),
        InstructionSpec(.vinserth, "vinserth", .vx(4, 845), .vrt_vrb_uim, [], reserved: 0x0010_0000),
        InstructionSpec(.vinsertw, "vinsertw", .vx(4, 909), .vrt_vrb_uim, [], reserved: 0x0010_0000),
        InstructionSpec(.vinsertd, "vinsertd", .vx(4, 973), .vrt_vrb_uim, [], reserved: 0x0010_0000),
        // SHA-2 sigma functions (the VRB field is ST || SIX), bit-matrix transpose, bit permute.
        InstructionSpec(.vshasigmaw, "vshasigmaw", .vx(4, 1666), .vrt_vra_st_six, []),
        InstructionSpec(.vshasigmad, "vshasigmad", .vx(4, 1730), .vrt_vra_st_six, []),
        InstructionSpec(.vgbbd, "vgbbd", .vx(4, 1292), .vrt_vrb, [], reserved: 0x001F_0000),
        InstructionSpec(.vbpermd, "vbpermd", .vx(4, 1484), .vrt_vra_vrb, []),
        // VSX (Book I chapter 7). Loads and stores (7.6): XX1 indexed, DQ and DS forms.
        InstructionSpec(.lxvd2x, "lxvd2x", .xx1(31, 844), .xt_ra0_rb, []),
        InstructionSpec(.lxvw4x, "lxvw4x", .xx1(31, 780), .xt_ra0_rb, []),
        InstructionSpec(.stxvd2x, "stxvd2x", .xx1(31, 972), .xt_ra0_rb, []),
        InstructionSpec(.stxvw4x, "stxvw4x", .xx1(31, 908), .xt_ra0_rb, []),
        InstructionSpec(.lxvx, "lxvx", .xx1(31, 268), .xt_ra0_rb, []),
        InstructionSpec(.stxvx, "stxvx", .xx1(31, 396), .xt_ra0_rb, []),
        InstructionSpec(.lxv, "lxv", .dq(61, 1), .xt_dq_ra, []),
        InstructionSpec(.stxv, "stxv", .dq(61, 5), .xt_dq_ra, []),
        InstructionSpec(.lxsd, "lxsd", .ds(57, 2), .vrt_ds_ra, []),
        InstructionSpec(.stxsd, "stxsd", .ds(61, 2), .vrt_ds_ra, []),
        InstructionSpec(.lxssp, "lxssp", .ds(57, 3), .vrt_ds_ra, []),
        InstructionSpec(.stxssp, "stxssp", .ds(61, 3), .vrt_ds_ra, []),
        InstructionSpec(.lxsdx, "lxsdx", .xx1(31, 588), .xt_ra0_rb, []),
        InstructionSpec(.stxsdx, "stxsdx", .xx1(31, 716), .xt_ra0_rb, []),
        // Logical, select, permute and splat (7.6, XX3/XX4/XX2 forms).
        InstructionSpec(.xxlxor, "xxlxor", .xx3(60, 154), .xt_xa_xb, []),
        InstructionSpec(.xxlor, "xxlor", .xx3(60, 146), .xt_xa_xb, []),
        InstructionSpec(.xxland, "xxland", .xx3(60, 130), .xt_xa_xb, []),
        InstructionSpec(.xxlandc, "xxlandc", .xx3(60, 138), .xt_xa_xb, []),
        InstructionSpec(.xxlnor, "xxlnor", .xx3(60, 162), .xt_xa_xb, []),
        InstructionSpec(.xxlorc, "xxlorc", .xx3(60, 170), .xt_xa_xb, []),
        InstructionSpec(.xxlnand, "xxlnand", .xx3(60, 178), .xt_xa_xb, []),
        InstructionSpec(.xxleqv, "xxleqv", .xx3(60, 186), .xt_xa_xb, []),
        InstructionSpec(.xxsel, "xxsel", .xx4(60, 3), .xt_xa_xb_xc, []),
        InstructionSpec(.xxpermdi, "xxpermdi", .xx3dm(60, 10), .xt_xa_xb_dm, []),
        InstructionSpec(.xxsldwi, "xxsldwi", .xx3dm(60, 2), .xt_xa_xb_dm, []),
        InstructionSpec(.xxspltw, "xxspltw", .xx2(60, 164), .xt_xb_uim, [], reserved: 0x001C_0000),
        InstructionSpec(.xxspltib, "xxspltib", .xx1(60, 360), .xt_imm8, [], reserved: 0x0018_0000),
        // Moves between GPRs and VSRs (7.6, XX1 form; objdump names the VSR 0-31 and 32-63
        // halves of mfvsrd… mffprd and mfvrd).
        InstructionSpec(.mfvsrd, "mfvsrd", .xx1(31, 51), .ra_xs, [], reserved: 0x0000_F800),
        InstructionSpec(.mfvsrwz, "mfvsrwz", .xx1(31, 115), .ra_xs, [], reserved: 0x0000_F800),
        InstructionSpec(.mtvsrd, "mtvsrd", .xx1(31, 179), .xt_ra, [], reserved: 0x0000_F800),
        InstructionSpec(.mtvsrwa, "mtvsrwa", .xx1(31, 211), .xt_ra, [], reserved: 0x0000_F800),
        InstructionSpec(.mtvsrwz, "mtvsrwz", .xx1(31, 243), .xt_ra, [], reserved: 0x0000_F800),
        InstructionSpec(.mfvsrld, "mfvsrld", .xx1(31, 307), .ra_xs, [], reserved: 0x0000_F800),
        InstructionSpec(.mtvsrws, "mtvsrws", .xx1(31, 403), .xt_ra, [], reserved: 0x0000_F800),
        InstructionSpec(.mtvsrdd, "mtvsrdd", .xx1(31, 435), .xt_ra0_rb, []),
        // Word merges and byte permutes (XX3), splatting loads and the byte/halfword-element
        // loads and stores (XX1; on a big-endian machine the same bytes as lxvx/stxvx).
        InstructionSpec(.xxmrghw, "xxmrghw", .xx3(60, 18), .xt_xa_xb, []),
        InstructionSpec(.xxmrglw, "xxmrglw", .xx3(60, 50), .xt_xa_xb, []),
        InstructionSpec(.xxperm, "xxperm", .xx3(60, 26), .xt_xa_xb, []),
        InstructionSpec(.xxpermr, "xxpermr", .xx3(60, 58), .xt_xa_xb, []),
        InstructionSpec(.lxvwsx, "lxvwsx", .xx1(31, 364), .xt_ra0_rb, []),
        InstructionSpec(.lxvdsx, "lxvdsx", .xx1(31, 332), .xt_ra0_rb, []),
        InstructionSpec(.lxvb16x, "lxvb16x", .xx1(31, 876), .xt_ra0_rb, []),
        InstructionSpec(.lxvh8x, "lxvh8x", .xx1(31, 812), .xt_ra0_rb, []),
        InstructionSpec(.stxvb16x, "stxvb16x", .xx1(31, 1004), .xt_ra0_rb, []),
        InstructionSpec(.stxvh8x, "stxvh8x", .xx1(31, 940), .xt_ra0_rb, []),
        // VSX floating point (7.6): scalar (xs*: dword 0) and vector (xv*: every element),
        // with the scalar FPU's rounding, NaN and FPSCR rules (VSXFloatingPoint.swift).
        InstructionSpec(.xsadddp, "xsadddp", .xx3(60, 32), .xt_xa_xb, []),
        InstructionSpec(.xssubdp, "xssubdp", .xx3(60, 40), .xt_xa_xb, []),
        InstructionSpec(.xsmuldp, "xsmuldp", .xx3(60, 48), .xt_xa_xb, []),
        InstructionSpec(.xsdivdp, "xsdivdp", .xx3(60, 56), .xt_xa_xb, []),
        InstructionSpec(.xsaddsp, "xsaddsp", .xx3(60, 0), .xt_xa_xb, []),
        InstructionSpec(.xssubsp, "xssubsp", .xx3(60, 8), .xt_xa_xb, []),
        InstructionSpec(.xsmulsp, "xsmulsp", .xx3(60, 16), .xt_xa_xb, []),
        InstructionSpec(.xsdivsp, "xsdivsp", .xx3(60, 24), .xt_xa_xb, []),
        InstructionSpec(.xsmaddadp, "xsmaddadp", .xx3(60, 33), .xt_xa_xb, []),
        InstructionSpec(.xsmaddmdp, "xsmaddmdp", .xx3(60, 41), .xt_xa_xb, []),
        InstructionSpec(.xsmsubadp, "xsmsubadp", .xx3(60, 49), .xt_xa_xb, []),
        InstructionSpec(.xsmsubmdp, "xsmsubmdp", .xx3(60, 57), .xt_xa_xb, []),
        InstructionSpec(.xsnmaddadp, "xsnmaddadp", .xx3(60, 161), .xt_xa_xb, []),
        InstructionSpec(.xsnmaddmdp, "xsnmaddmdp", .xx3(60, 169), .xt_xa_xb, []),
        InstructionSpec(.xsnmsubadp, "xsnmsubadp", .xx3(60, 177), .xt_xa_xb, []),
        InstructionSpec(.xsnmsubmdp, "xsnmsubmdp", .xx3(60, 185), .xt_xa_xb, []),
        InstructionSpec(.xsmaddasp, "xsmaddasp", .xx3(60, 1), .xt_xa_xb, []),
        InstructionSpec(.xsmaddmsp, "xsmaddmsp", .xx3(60, 9), .xt_xa_xb, []),
        InstructionSpec(.xsmsubasp, "xsmsubasp", .xx3(60, 17), .xt_xa_xb, []),
        InstructionSpec(.xsmsubmsp, "xsmsubmsp", .xx3(60, 25), .xt_xa_xb, []),
        InstructionSpec(.xsnmaddasp, "xsnmaddasp", .xx3(60, 129), .xt_xa_xb, []),
        InstructionSpec(.xsnmaddmsp, "xsnmaddmsp", .xx3(60, 137), .xt_xa_xb, []),
        InstructionSpec(.xsnmsubasp, "xsnmsubasp", .xx3(60, 145), .xt_xa_xb, []),
        InstructionSpec(.xsnmsubmsp, "xsnmsubmsp", .xx3(60, 153), .xt_xa_xb, []),
        InstructionSpec(.xscpsgndp, "xscpsgndp", .xx3(60, 176), .xt_xa_xb, []),
        InstructionSpec(.xsmaxdp, "xsmaxdp", .xx3(60, 160), .xt_xa_xb, []),
        InstructionSpec(.xsmindp, "xsmindp", .xx3(60, 168), .xt_xa_xb, []),
        InstructionSpec(.xscmpeqdp, "xscmpeqdp", .xx3(60, 3), .xt_xa_xb, []),
        InstructionSpec(.xscmpgtdp, "xscmpgtdp", .xx3(60, 11), .xt_xa_xb, []),
        InstructionSpec(.xscmpgedp, "xscmpgedp", .xx3(60, 19), .xt_xa_xb, []),
        InstructionSpec(.xscmpudp, "xscmpudp", .xx3(60, 35), .bf_xa_xb, [], reserved: 0x0060_0001),
        InstructionSpec(.xscmpodp, "xscmpodp", .xx3(60, 43), .bf_xa_xb, [], reserved: 0x0060_0001),
        InstructionSpec(.xvadddp, "xvadddp", .xx3(60, 96), .xt_xa_xb, []),
        InstructionSpec(.xvsubdp, "xvsubdp", .xx3(60, 104), .xt_xa_xb, []),
        InstructionSpec(.xvmuldp, "xvmuldp", .xx3(60, 112), .xt_xa_xb, []),
        InstructionSpec(.xvdivdp, "xvdivdp", .xx3(60, 120), .xt_xa_xb, []),
        InstructionSpec(.xvaddsp, "xvaddsp", .xx3(60, 64), .xt_xa_xb, []),
        InstructionSpec(.xvsubsp, "xvsubsp", .xx3(60, 72), .xt_xa_xb, []),
        InstructionSpec(.xvmulsp, "xvmulsp", .xx3(60, 80), .xt_xa_xb, []),
        InstructionSpec(.xvdivsp, "xvdivsp", .xx3(60, 88), .xt_xa_xb, []),
        InstructionSpec(.xvmaddadp, "xvmaddadp", .xx3(60, 97), .xt_xa_xb, []),
        InstructionSpec(.xvmaddmdp, "xvmaddmdp", .xx3(60, 105), .xt_xa_xb, []),
        InstructionSpec(.xvmsubadp, "xvmsubadp", .xx3(60, 113), .xt_xa_xb, []),
        InstructionSpec(.xvmsubmdp, "xvmsubmdp", .xx3(60, 121), .xt_xa_xb, []),
        InstructionSpec(.xvnmaddadp, "xvnmaddadp", .xx3(60, 225), .xt_xa_xb, []),
        InstructionSpec(.xvnmaddmdp, "xvnmaddmdp", .xx3(60, 233), .xt_xa_xb, []),
        InstructionSpec(.xvnmsubadp, "xvnmsubadp", .xx3(60, 241), .xt_xa_xb, []),
        InstructionSpec(.xvnmsubmdp, "xvnmsubmdp", .xx3(60, 249), .xt_xa_xb, []),
        InstructionSpec(.xvmaddasp, "xvmaddasp", .xx3(60, 65), .xt_xa_xb, []),
        InstructionSpec(.xvmaddmsp, "xvmaddmsp", .xx3(60, 73), .xt_xa_xb, []),
        InstructionSpec(.xvmsubasp, "xvmsubasp", .xx3(60, 81), .xt_xa_xb, []),
        InstructionSpec(.xvmsubmsp, "xvmsubmsp", .xx3(60, 89), .xt_xa_xb, []),
        InstructionSpec(.xvnmaddasp, "xvnmaddasp", .xx3(60, 193), .xt_xa_xb, []),
        InstructionSpec(.xvnmaddmsp, "xvnmaddmsp", .xx3(60, 201), .xt_xa_xb, []),
        InstructionSpec(.xvnmsubasp, "xvnmsubasp", .xx3(60, 209), .xt_xa_xb, []),
        InstructionSpec(.xvnmsubmsp, "xvnmsubmsp", .xx3(60, 217), .xt_xa_xb, []),
        InstructionSpec(.xvcpsgndp, "xvcpsgndp", .xx3(60, 240), .xt_xa_xb, []),
        InstructionSpec(.xvcpsgnsp, "xvcpsgnsp", .xx3(60, 208), .xt_xa_xb, []),
        InstructionSpec(.xvmaxdp, "xvmaxdp", .xx3(60, 224), .xt_xa_xb, []),
        InstructionSpec(.xvmindp, "xvmindp", .xx3(60, 232), .xt_xa_xb, []),
        InstructionSpec(.xvmaxsp, "xvmaxsp", .xx3(60, 192), .xt_xa_xb, []),
        InstructionSpec(.xvminsp, "xvminsp", .xx3(60, 200), .xt_xa_xb, []),
        InstructionSpec(.xvcmpeqdp, "xvcmpeqdp", .xx3rc(60, 99), .xt_xa_xb, [.vcRc]),
        InstructionSpec(.xvcmpgtdp, "xvcmpgtdp", .xx3rc(60, 107), .xt_xa_xb, [.vcRc]),
        InstructionSpec(.xvcmpgedp, "xvcmpgedp", .xx3rc(60, 115), .xt_xa_xb, [.vcRc]),
        InstructionSpec(.xvcmpeqsp, "xvcmpeqsp", .xx3rc(60, 67), .xt_xa_xb, [.vcRc]),
        InstructionSpec(.xvcmpgtsp, "xvcmpgtsp", .xx3rc(60, 75), .xt_xa_xb, [.vcRc]),
        InstructionSpec(.xvcmpgesp, "xvcmpgesp", .xx3rc(60, 83), .xt_xa_xb, [.vcRc]),
        InstructionSpec(.xssqrtdp, "xssqrtdp", .xx2(60, 75), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xssqrtsp, "xssqrtsp", .xx2(60, 11), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xsabsdp, "xsabsdp", .xx2(60, 345), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xsnabsdp, "xsnabsdp", .xx2(60, 361), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xsnegdp, "xsnegdp", .xx2(60, 377), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xscvdpsxws, "xscvdpsxws", .xx2(60, 88), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xscvdpuxws, "xscvdpuxws", .xx2(60, 72), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xscvdpsxds, "xscvdpsxds", .xx2(60, 344), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xscvdpuxds, "xscvdpuxds", .xx2(60, 328), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xscvsxddp, "xscvsxddp", .xx2(60, 376), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xscvuxddp, "xscvuxddp", .xx2(60, 360), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xscvsxdsp, "xscvsxdsp", .xx2(60, 312), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xscvuxdsp, "xscvuxdsp", .xx2(60, 296), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xscvdpsp, "xscvdpsp", .xx2(60, 265), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xscvspdp, "xscvspdp", .xx2(60, 329), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xscvdpspn, "xscvdpspn", .xx2(60, 267), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xscvspdpn, "xscvspdpn", .xx2(60, 331), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xsrdpi, "xsrdpi", .xx2(60, 73), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xsrdpic, "xsrdpic", .xx2(60, 107), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xsrdpim, "xsrdpim", .xx2(60, 121), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xsrdpip, "xsrdpip", .xx2(60, 105), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xsrdpiz, "xsrdpiz", .xx2(60, 89), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xsrsp, "xsrsp", .xx2(60, 281), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvsqrtdp, "xvsqrtdp", .xx2(60, 203), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvsqrtsp, "xvsqrtsp", .xx2(60, 139), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvabsdp, "xvabsdp", .xx2(60, 473), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvnabsdp, "xvnabsdp", .xx2(60, 489), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvnegdp, "xvnegdp", .xx2(60, 505), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvabssp, "xvabssp", .xx2(60, 409), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvnabssp, "xvnabssp", .xx2(60, 425), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvnegsp, "xvnegsp", .xx2(60, 441), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvdpsxws, "xvcvdpsxws", .xx2(60, 216), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvdpuxws, "xvcvdpuxws", .xx2(60, 200), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvdpsxds, "xvcvdpsxds", .xx2(60, 472), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvdpuxds, "xvcvdpuxds", .xx2(60, 456), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvsxddp, "xvcvsxddp", .xx2(60, 504), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvuxddp, "xvcvuxddp", .xx2(60, 488), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvsxwdp, "xvcvsxwdp", .xx2(60, 248), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvuxwdp, "xvcvuxwdp", .xx2(60, 232), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvspsxws, "xvcvspsxws", .xx2(60, 152), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvspuxws, "xvcvspuxws", .xx2(60, 136), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvsxwsp, "xvcvsxwsp", .xx2(60, 184), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvuxwsp, "xvcvuxwsp", .xx2(60, 168), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvspsxds, "xvcvspsxds", .xx2(60, 408), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvspuxds, "xvcvspuxds", .xx2(60, 392), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvsxdsp, "xvcvsxdsp", .xx2(60, 440), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvuxdsp, "xvcvuxdsp", .xx2(60, 424), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvdpsp, "xvcvdpsp", .xx2(60, 393), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvcvspdp, "xvcvspdp", .xx2(60, 457), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvrdpi, "xvrdpi", .xx2(60, 201), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvrdpic, "xvrdpic", .xx2(60, 235), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvrdpim, "xvrdpim", .xx2(60, 249), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvrdpip, "xvrdpip", .xx2(60, 233), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvrdpiz, "xvrdpiz", .xx2(60, 217), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvrspi, "xvrspi", .xx2(60, 137), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvrspic, "xvrspic", .xx2(60, 171), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvrspim, "xvrspim", .xx2(60, 185), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvrspip, "xvrspip", .xx2(60, 169), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xvrspiz, "xvrspiz", .xx2(60, 153), .xt_xb, [], reserved: 0x001F_0000),
        InstructionSpec(.xxbrh, "xxbrh", .xx2a(60, 475, 7), .xt_xb, []),
        InstructionSpec(.xxbrw, "xxbrw", .xx2a(60, 475, 15), .xt_xb, []),
        InstructionSpec(.xxbrd, "xxbrd", .xx2a(60, 475, 23), .xt_xb, []),
        InstructionSpec(.xxbrq, "xxbrq", .xx2a(60, 475, 31), .xt_xb, []),
        InstructionSpec(.lxsiwzx, "lxsiwzx", .xx1(31, 12), .xt_ra0_rb, []),
        InstructionSpec(.lxsiwax, "lxsiwax", .xx1(31, 76), .xt_ra0_rb, []),
        InstructionSpec(.lxsibzx, "lxsibzx", .xx1(31, 781), .xt_ra0_rb, []),
        InstructionSpec(.lxsihzx, "lxsihzx", .xx1(31, 813), .xt_ra0_rb, []),
        InstructionSpec(.lxsspx, "lxsspx", .xx1(31, 524), .xt_ra0_rb, []),
        InstructionSpec(.stxsiwx, "stxsiwx", .xx1(31, 140), .xt_ra0_rb, []),
        InstructionSpec(.stxsibx, "stxsibx", .xx1(31, 909), .xt_ra0_rb, []),
        InstructionSpec(.stxsihx, "stxsihx", .xx1(31, 941), .xt_ra0_rb, []),
        InstructionSpec(.stxsspx, "stxsspx", .xx1(31, 652), .xt_ra0_rb, []),
        // ISA 3.0: maximum/minimum C and Java types, word extract/insert, loads/stores with a length.
        InstructionSpec(.xsmaxcdp, "xsmaxcdp", .xx3(60, 128), .xt_xa_xb, []),
        InstructionSpec(.xsmincdp, "xsmincdp", .xx3(60, 136), .xt_xa_xb, []),
        InstructionSpec(.xsmaxjdp, "xsmaxjdp", .xx3(60, 144), .xt_xa_xb, []),
        InstructionSpec(.xsminjdp, "xsminjdp", .xx3(60, 152), .xt_xa_xb, []),
        InstructionSpec(.xxextractuw, "xxextractuw", .xx2(60, 165), .xt_xb_uim4, [], reserved: 0x0010_0000),
        InstructionSpec(.xxinsertw, "xxinsertw", .xx2(60, 181), .xt_xb_uim4, [], reserved: 0x0010_0000),
        InstructionSpec(.lxvl, "lxvl", .xx1(31, 269), .xt_ra0_rb, []),
        InstructionSpec(.lxvll, "lxvll", .xx1(31, 301), .xt_ra0_rb, []),
        InstructionSpec(.stxvl, "stxvl", .xx1(31, 397), .xt_ra0_rb, []),
        InstructionSpec(.stxvll, "stxvll", .xx1(31, 429), .xt_ra0_rb, []),
    ]

    /// Row of each operation, indexed by `Op.rawValue` (`.invalid` has none).
    public static let specByOp: [InstructionSpec?] = {
        var byOp = [InstructionSpec?](repeating: nil, count: Op.allCases.count)
        for s in specs { byOp[Int(s.op.rawValue)] = s }
        return byOp
    }()

    @inlinable public static func spec(for op: Op) -> InstructionSpec? { specByOp[Int(op.rawValue)] }
}

/// Every operation the interpreter knows. Dense, so `switch` compiles to a jump table.
/// Encodings, mnemonics and operand syntax are in `InstructionTable.specs`.
public enum Op: UInt16, Sendable, CaseIterable {
    /// Not a valid instruction (decoding found no spec).
    case invalid = 0
    case tdi, twi, mulli, subfic, cmpli, cmpi, addic, addicRecord
    case addi, addis, bc, sc, b, mcrf, bclr, crnor
    case rfid, crandc, isync, crxor, crnand, crand, creqv, crorc
    case cror, bcctr, bctar, rlwimi, rlwinm, rlwnm, ori, oris
    case xori, xoris, andiRecord, andisRecord, rldicl, rldicr, rldic, rldimi
    case rldcl, rldcr, cmp, tw, subfc, mulhdu, addc, mulhwu
    case isel, mfcr, mfocrf, lwarx, ldx, lwzx, slw, cntlzw
    case sld, and, cmpl, subf, lbarx, ldux, dcbst, lwzux
    case cntlzd, andc, td, mulhd, mulhw, mfmsr, ldarx, dcbf
    case lbzx, neg, lharx, lbzux, popcntb, nor, setb, subfe
    case adde, mtcrf, mtocrf, mtmsr, stdx, stwcxRecord, stwx, mtmsrd
    case stdux, stwux, subfze, addze, stdcxRecord, stbx, subfme, mulld
    case addme, mullw, dcbtst, stbux, modud, add, moduw, dcbt
    case lhzx, eqv, lhzux, xor, mfspr, lwax, lhax, mftb
    case lwaux, lhaux, popcntw, divdeu, divweu, sthx, orc, sradi
    case divde, divwe, sthux, or, divdu, divwu, mtspr, nand
    case divd, divw, popcntd, cmpb, ldbrx, lwbrx, lfsx, srw
    case cnttzw, srd, lfsux, cnttzd, sync, lfdx, lfdux, stdbrx
    case stwbrx, stfsx, stbcxRecord, stfsux, sthcxRecord, stfdx, stfdux, modsd
    case modsw, lhbrx, sraw, srad, srawi, eieio, sthbrx, extsh
    case extsb, icbi, stfiwx, extsw, extswsli, dcbz, lwz, lwzu
    case lbz, lbzu, stw, stwu, stb, stbu, lhz, lhzu
    case lha, lhau, sth, sthu, lmw, stmw, lfs, lfsu
    case lfd, lfdu, stfs, stfsu, stfd, stfdu, ld, ldu
    case lwa, fdivs, fsubs, fadds, fsqrts, fres, fmuls, frsqrtes
    case fmsubs, fmadds, fnmsubs, fnmadds, fcfids, fcfidus, std, stdu
    case fcmpu, fcpsgn, frsp, fctiw, fctiwz, fdiv, fsub, fadd
    case fsqrt, fsel, fre, fmul, frsqrte, fmsub, fmadd, fnmsub
    case fnmadd, fcmpo, mtfsb1, fneg, mcrfs, mtfsb0, fmr, mtfsfi
    case fnabs, fctiwu, fctiwuz, fabs, frin, friz, frip, frim
    case mffs, mtfsf, fctid, fctidz, fcfid, fctidu, fctiduz, fcfidu
    case lfiwax, lfiwzx, bpermd
    case tlbie, tlbiel, tlbsync, slbia
}

/// How operands are written in assembly (objdump order).
public enum OperandSyntax: Sendable {
    case bf_bfa, bf_fra_frb, bf_l_ra_rb, bf_l_ra_si, bf_l_ra_ui, bf_u_w
    case bo_bi_bh, bo_bi_target, bt, crbt_ba_bb, flm_frb_l_w, frt
    case frt_d_ra, frt_fra_frb, frt_fra_frc, frt_fra_frc_frb, frt_frb, frt_ra_rb
    case fxm_rs, lev, none, ra_rb, ra_rb_l, ra_rb_th
    case ra_rs, ra_rs_rb, ra_rs_rb_mb, ra_rs_rb_mb_me, ra_rs_rb_me, ra_rs_sh
    case ra_rs_sh6, ra_rs_sh_mb, ra_rs_sh_mb_me, ra_rs_sh_me, ra_rs_ui, rs_l
    case rt, rt_bfa, rt_d_ra, rt_ds_ra, rt_fxm, rt_ra
    case rt_ra0_rb, rt_ra_rb, rt_ra_rb_bc, rt_ra_rb_eh, rt_ra_si, rt_spr, spr_rs
    case sync_l, target, to_ra_rb, to_ra_si
    case rb_rs_ric_prs_r, ih
}

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
    case lswi, lswx, stswi, stswx, lqarx, stqcxRecord, lq, stq
    case maddhd, maddhdu, maddld, tlbie, tlbiel, tlbsync, slbia, slbie
    case slbmte, wait, msgsndp, msgclrp
    // Vector facility (VMX), then VSX: contiguous from lvx to stxvll, VMX first
    // (`Op.isVectorFacility`, `Op.isVSX` test the range).
    // VMX loads and stores, VSCR moves.
    case lvx, lvxl, stvx, stvxl, lvebx, lvehx, lvewx, stvebx
    case stvehx, stvewx, lvsl, lvsr, mfvscr, mtvscr
    // VMX logical, permutes, splats, merges, whole-register shifts.
    case vand, vandc, vor, vorc, vxor, vnor, vnand, veqv
    case vsel, vperm, vpermr, vsldoi, vspltb, vsplth, vspltw, vspltisb
    case vspltish, vspltisw, vmrghb, vmrghh, vmrghw, vmrglb, vmrglh, vmrglw
    case vslo, vsro, vsl, vsr
    // VMX integer add and subtract: modulo, carry-out, saturating, quadword extended.
    case vaddubm, vadduhm, vadduwm, vaddudm, vadduqm, vaddcuq, vaddcuw, vaddubs
    case vadduhs, vadduws, vaddsbs, vaddshs, vaddsws, vsububm, vsubuhm, vsubuwm
    case vsubudm, vsubuqm, vsubcuq, vsubcuw, vsububs, vsubuhs, vsubuws, vsubsbs
    case vsubshs, vsubsws, vaddeuqm, vaddecuq, vsubeuqm, vsubecuq
    // VMX integer compares (the `.` forms set CR6) and maximum/minimum.
    case vcmpequb, vcmpequh, vcmpequw, vcmpequd, vcmpgtub, vcmpgtuh, vcmpgtuw, vcmpgtud
    case vcmpgtsb, vcmpgtsh, vcmpgtsw, vcmpgtsd, vcmpneb, vcmpneh, vcmpnew, vcmpnezb
    case vcmpnezh, vcmpnezw
    case vmaxub, vmaxuh, vmaxuw, vmaxud, vmaxsb, vmaxsh, vmaxsw, vmaxsd
    case vminub, vminuh, vminuw, vminud, vminsb, vminsh, vminsw, vminsd
    // VMX element rotates and shifts, counts, bit permute, sums across.
    case vrlb, vrlh, vrlw, vrld, vslb, vslh, vslw, vsld
    case vsrb, vsrh, vsrw, vsrd, vsrab, vsrah, vsraw, vsrad
    case vclzb, vclzh, vclzw, vclzd, vpopcntb, vpopcnth, vpopcntw, vpopcntd
    case vbpermq, vsumsws, vsum2sws, vsum4sbs, vsum4shs, vsum4ubs
    // VMX extracts into GPRs, VRA-selected unary forms, pack/unpack, multiplies, averages
    // (VectorInteger.swift: `vextublx` … `vbpermd`).
    case vextublx, vextuhlx, vextuwlx, vextubrx, vextuhrx, vextuwrx, vclzlsbb, vctzlsbb
    case vnegw, vnegd, vprtybw, vprtybd, vprtybq, vextsb2w, vextsh2w, vextsb2d
    case vextsh2d, vextsw2d, vctzb, vctzh, vctzw, vctzd, vpkuhum, vpkuwum
    case vpkudum, vpkuhus, vpkuwus, vpkudus, vpkshss, vpkswss, vpksdss, vpkshus
    case vpkswus, vpksdus, vupkhsb, vupklsb, vupkhsh, vupklsh, vupkhsw, vupklsw
    case vmrgew, vmrgow, vmuluwm, vmuleub, vmulesb, vmuleuh, vmulesh, vmuleuw
    case vmulesw, vmuloub, vmulosb, vmulouh, vmulosh, vmulouw, vmulosw, vmsumubm
    case vmsummbm, vmsumuhm, vmsumshm, vmsumuhs, vmsumshs, vmladduhm, vmhaddshs, vmhraddshs
    case vabsdub, vabsduh, vabsduw, vavgub, vavguh, vavguw, vavgsb, vavgsh
    case vavgsw, vpmsumb, vpmsumh, vpmsumw, vpmsumd, vextractub, vextractuh, vextractuw
    case vextractd, vinsertb, vinserth, vinsertw, vinsertd, vshasigmaw, vshasigmad, vgbbd
    case vbpermd
    // VSX loads and stores.
    case lxvd2x, lxvw4x, stxvd2x, stxvw4x, lxvx, stxvx, lxv, stxv
    case lxsd, stxsd, lxssp, stxssp, lxsdx, stxsdx
    // VSX logical, select, permutes, splats.
    case xxlxor, xxlor, xxland, xxlandc, xxlnor, xxlorc, xxlnand, xxleqv
    case xxsel, xxpermdi, xxspltw, xxspltib, xxsldwi
    // Moves between GPRs and VSRs.
    case mtvsrd, mfvsrd, mtvsrwz, mfvsrwz, mtvsrwa, mtvsrws, mtvsrdd, mfvsrld
    // VSX word merges, byte permutes, splatting and element-ordered loads and stores.
    case xxmrghw, xxmrglw, xxperm, xxpermr, lxvwsx, lxvdsx, lxvb16x, lxvh8x
    case stxvb16x, stxvh8x
    // VSX scalar and vector floating point: arithmetic, multiply-add, sign, max/min, compares.
    case xsadddp, xssubdp, xsmuldp, xsdivdp, xsaddsp, xssubsp, xsmulsp, xsdivsp
    case xsmaddadp, xsmaddmdp, xsmsubadp, xsmsubmdp, xsnmaddadp, xsnmaddmdp, xsnmsubadp, xsnmsubmdp
    case xsmaddasp, xsmaddmsp, xsmsubasp, xsmsubmsp, xsnmaddasp, xsnmaddmsp, xsnmsubasp, xsnmsubmsp
    case xscpsgndp, xsmaxdp, xsmindp, xscmpeqdp, xscmpgtdp, xscmpgedp, xscmpudp, xscmpodp
    case xvadddp, xvsubdp, xvmuldp, xvdivdp, xvaddsp, xvsubsp, xvmulsp, xvdivsp
    case xvmaddadp, xvmaddmdp, xvmsubadp, xvmsubmdp, xvnmaddadp, xvnmaddmdp, xvnmsubadp, xvnmsubmdp
    case xvmaddasp, xvmaddmsp, xvmsubasp, xvmsubmsp, xvnmaddasp, xvnmaddmsp, xvnmsubasp, xvnmsubmsp
    case xvcpsgndp, xvcpsgnsp, xvmaxdp, xvmindp, xvmaxsp, xvminsp, xvcmpeqdp, xvcmpgtdp
    case xvcmpgedp, xvcmpeqsp, xvcmpgtsp, xvcmpgesp, xssqrtdp, xssqrtsp, xsabsdp, xsnabsdp
    case xsnegdp, xvsqrtdp, xvsqrtsp, xvabsdp, xvnabsdp, xvnegdp, xvabssp, xvnabssp
    case xvnegsp
    // VSX conversions and rounding to integer.
    case xscvdpsxws, xscvdpuxws, xscvdpsxds, xscvdpuxds, xscvsxddp, xscvuxddp, xscvsxdsp, xscvuxdsp
    case xscvdpsp, xscvspdp, xscvdpspn, xscvspdpn, xsrdpi, xsrdpic, xsrdpim, xsrdpip
    case xsrdpiz, xsrsp, xvcvdpsxws, xvcvdpuxws, xvcvdpsxds, xvcvdpuxds, xvcvsxddp, xvcvuxddp
    case xvcvsxwdp, xvcvuxwdp, xvcvspsxws, xvcvspuxws, xvcvsxwsp, xvcvuxwsp, xvcvspsxds, xvcvspuxds
    case xvcvsxdsp, xvcvuxdsp, xvcvdpsp, xvcvspdp, xvrdpi, xvrdpic, xvrdpim, xvrdpip
    case xvrdpiz, xvrspi, xvrspic, xvrspim, xvrspip, xvrspiz
    // VSX byte reversal, scalar integer-element loads and stores (stxsihx is the last vector op).
    case xxbrh, xxbrw, xxbrd, xxbrq, lxsiwzx, lxsiwax, lxsibzx, lxsihzx
    case lxsspx, stxsiwx, stxsibx, stxsihx, stxsspx
    // ISA 3.0 maximum/minimum (C and Java types), word extract/insert, loads and stores with a
    // length (stxvll is the last vector op).
    case xsmaxcdp, xsmincdp, xsmaxjdp, xsminjdp, xxextractuw, xxinsertw, lxvl, lxvll
    case stxvl, stxvll
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
    case rt_ra0_nb, rt_ra_rb_rc, rt_dq_ra, rb_rs_ric_prs_r, ih, rb, rs_rb
    // Vector and VSX operands: `v` registers (VR0-31), `vs` registers (VSR0-63).
    case vrt_ra0_rb, vrt_vra_vrb, vrt_vra_vrb_vrc, vrt_vra_vrb_shb, vrt_vrb_uim, vrt_sim, vrt, vrb
    case vrt_ds_ra, xt_ra0_rb, xt_dq_ra, xt_xa_xb, xt_xa_xb_xc, xt_xa_xb_dm, xt_xb_uim, xt_imm8
    case ra_xs, xt_ra, vrt_vrb, xt_xb, bf_xa_xb, rt_ra_vrb, rt_vrb, xt_xb_uim4, vrt_vra_st_six
}

/// Instruction words to assembly text as `powerpc64-linux-gnu-objdump -d` writes it: the same
/// mnemonics, operand order and extended mnemonics (`li`, `mr`, `beq`, `bdnz`, `clrldi`…).
/// Everything comes from the instruction table's rows; the extended mnemonics are the rules
/// below, chosen on operand values exactly as objdump chooses them.
public enum Disassembler {
    /// The text of one instruction at `address`, e.g. `addi    r3,r3,1` or `bl      10000240`
    /// (branch targets as bare hex addresses; callers add `<symbol>`).
    /// `symbol` names a branch target (`main+0x10`); objdump writes targets it can name as
    /// `10000240 <main+0x10>` and others as `0x10000240`.
    public static func text(_ word: UInt32, address: UInt64, symbol: (UInt64) -> String? = { _ in nil }) -> String {
        let op = Decoder.shared.decode(word)
        guard let spec = InstructionTable.spec(for: op) else { return column(".long", "0x" + String(word, radix: 16)) }
        var (m, operands) = render(spec, InstructionWord(word), address)
        if let target = branchTarget(word, address: address) {
            let t = hex(target)
            if operands.hasSuffix(t) {
                operands.removeLast(t.count)
                operands += symbol(target).map { "\(t) <\($0)>" } ?? "0x" + t
            }
        }
        return column(m, operands)
    }

    /// Branch target of a relative or absolute branch, if the word is one (for symbolising).
    public static func branchTarget(_ word: UInt32, address: UInt64) -> UInt64? {
        let w = InstructionWord(word)
        switch Decoder.shared.decode(word) {
        case .b: return (w.bit30 ? 0 : address) &+ UInt64(bitPattern: w.li)
        case .bc: return (w.bit30 ? 0 : address) &+ UInt64(bitPattern: w.bd)
        default: return nil
        }
    }

    static func column(_ m: String, _ operands: String) -> String {
        operands.isEmpty ? m : m + String(repeating: " ", count: max(1, 8 - m.count)) + operands
    }

    static func r(_ n: Int) -> String { "r\(n)" }
    static func f(_ n: Int) -> String { "f\(n)" }
    static func cr(_ n: Int) -> String { "cr\(n)" }
    static func v(_ n: Int) -> String { "v\(n)" }
    static func vs(_ n: Int) -> String { "vs\(n)" }
    static func raOrZero(_ n: Int) -> String { n == 0 ? "0" : "r\(n)" }
    static func hex(_ v: UInt64) -> String { String(v, radix: 16) }
    /// A CR bit operand as objdump writes it: `lt`, `eq`, `4*cr7+eq`.
    static func crBit(_ n: Int) -> String {
        let names = ["lt", "gt", "eq", "so"]
        return n < 4 ? names[n] : "4*cr\(n / 4)+\(names[n % 4])"
    }

    static func suffixes(_ spec: InstructionSpec, _ w: InstructionWord) -> String {
        var s = ""
        if spec.variants.contains(.oe) && w.oe { s += "o" }
        if spec.variants.contains(.rc) && w.bit31 { s += "." }
        if spec.variants.contains(.vcRc) && w.vcRc { s += "." }
        return s
    }

    static let trapConditions: [Int: String] = [
        16: "lt", 20: "le", 4: "eq", 12: "ge", 8: "gt", 24: "ne", 2: "llt", 6: "lle", 5: "lge", 1: "lgt", 3: "lne",
    ]

    // swiftlint:disable:next cyclomatic_complexity
    static func render(_ spec: InstructionSpec, _ w: InstructionWord, _ pc: UInt64) -> (String, String) {
        let mn = spec.mnemonic
        let sfx = suffixes(spec, w)
        switch spec.op {
        // Extended mnemonics first, in the order objdump prefers them.
        case .addi where w.ra == 0: return ("li", "\(r(w.rt)),\(w.si)")
        case .addis where w.ra == 0: return ("lis", "\(r(w.rt)),\(w.si)")
        case .ori where w.raw == 0x6000_0000: return ("nop", "")
        case .or where w.rt == w.rb: return ("mr" + sfx, "\(r(w.ra)),\(r(w.rt))")
        case .nor where w.rt == w.rb: return ("not" + sfx, "\(r(w.ra)),\(r(w.rt))")
        case .cmp, .cmpl:
            let name = (spec.op == .cmp ? "cmp" : "cmpl") + (w.cmpL ? "d" : "w")
            return (name, (w.bf == 0 ? "" : "\(cr(w.bf)),") + "\(r(w.ra)),\(r(w.rb))")
        case .cmpi, .cmpli:
            let name = (spec.op == .cmpi ? "cmp" : "cmpl") + (w.cmpL ? "d" : "w") + "i"
            let imm = spec.op == .cmpi ? "\(w.si)" : "\(w.ui)"
            return (name, (w.bf == 0 ? "" : "\(cr(w.bf)),") + "\(r(w.ra)),\(imm)")
        case .rlwinm:
            let sh = w.rb, mb = w.rc, me = w.me
            if mb == 0 && me == 31 { return ("rotlwi" + sfx, "\(r(w.ra)),\(r(w.rt)),\(sh)") }
            if sh == 0 && me == 31 { return ("clrlwi" + sfx, "\(r(w.ra)),\(r(w.rt)),\(mb)") }
            if mb == 0 && sh != 0 && me == 31 - sh { return ("slwi" + sfx, "\(r(w.ra)),\(r(w.rt)),\(sh)") }
            if me == 31 && sh != 0 && sh == 32 - mb { return ("srwi" + sfx, "\(r(w.ra)),\(r(w.rt)),\(mb)") }
            if sh == 0 && mb == 0 { return ("clrrwi" + sfx, "\(r(w.ra)),\(r(w.rt)),\(31 - me)") }
            return (mn + sfx, "\(r(w.ra)),\(r(w.rt)),\(sh),\(mb),\(me)")
        case .rlwnm where w.rc == 0 && w.me == 31:
            return ("rotlw" + sfx, "\(r(w.ra)),\(r(w.rt)),\(r(w.rb))")
        case .rldicl:
            let sh = w.sh6, mb = w.mb6
            if mb == 0 { return ("rotldi" + sfx, "\(r(w.ra)),\(r(w.rt)),\(sh)") }
            if sh == 0 { return ("clrldi" + sfx, "\(r(w.ra)),\(r(w.rt)),\(mb)") }
            if sh == 64 - mb { return ("srdi" + sfx, "\(r(w.ra)),\(r(w.rt)),\(mb)") }
            return (mn + sfx, "\(r(w.ra)),\(r(w.rt)),\(sh),\(mb)")
        case .rldicr where w.sh6 != 0 && w.mb6 == 63 - w.sh6:
            return ("sldi" + sfx, "\(r(w.ra)),\(r(w.rt)),\(w.sh6)")
        case .rldicr where w.sh6 == 0:
            return ("clrrdi" + sfx, "\(r(w.ra)),\(r(w.rt)),\(63 - w.mb6)")
        case .mtcrf where w.fxm == 0xFF:
            return ("mtcr", r(w.rt))
        case .dcbt, .dcbtst:
            // objdump's names by TH: 0-7 "ct" (cache level), 8-15 "ds" (stream), 16 "t"
            // (transient), and for dcbt 17 "na"; TH is shown unless it is 0 or 8.
            let th = w.rt, base = spec.op == .dcbt ? "dcbt" : "dcbtst"
            let ops = "\(raOrZero(w.ra)),\(r(w.rb))"
            switch th {
            case 0..<8: return (base + "ct", ops + (th == 0 ? "" : ",\(th)"))
            case 8..<16: return (base + "ds", ops + (th == 8 ? "" : ",\(th)"))
            case 16: return (base + "t", ops)
            case 17 where spec.op == .dcbt: return ("dcbna", ops)
            default: return (base, ops + ",\(th)")
            }
        case .rldcl where w.mb6 == 0:
            return ("rotld" + sfx, "\(r(w.ra)),\(r(w.rt)),\(r(w.rb))")
        case .b:
            let target = (w.bit30 ? 0 : pc) &+ UInt64(bitPattern: w.li)
            return ("b" + (w.bit31 ? "l" : "") + (w.bit30 ? "a" : ""), hex(target))
        case .bc, .bclr, .bcctr:
            return branch(spec.op, w, pc)
        case .mfspr:
            // The SPR table's names, as objdump writes them (`mfdec`, `mfsprg r3,1`).
            let mnemonic = SPRTable.definition(w.spr)?.mnemonic ?? .none
            if case .indexed(let name, let n) = mnemonic { return ("mf" + name, "\(r(w.rt)),\(n)") }
            if let name = mnemonic.mf { return ("mf" + name, r(w.rt)) }
            return (mn, "\(r(w.rt)),\(w.spr)")
        case .mtspr:
            let mnemonic = SPRTable.definition(w.spr)?.mnemonic ?? .none
            if case .indexed(let name, let n) = mnemonic { return ("mt" + name, "\(n),\(r(w.rt))") }
            if let name = mnemonic.mt { return ("mt" + name, r(w.rt)) }
            return (mn, "\(w.spr),\(r(w.rt))")
        case .mftb:
            return w.spr == SPR.tbRead ? ("mftb", r(w.rt)) : w.spr == SPR.tbuRead ? ("mftbu", r(w.rt)) : (mn, "\(r(w.rt)),\(w.spr)")
        case .crxor where w.rt == w.ra && w.ra == w.rb: return ("crclr", crBit(w.rt))
        case .creqv where w.rt == w.ra && w.ra == w.rb: return ("crset", crBit(w.rt))
        case .cror where w.ra == w.rb: return ("crmove", "\(crBit(w.rt)),\(crBit(w.ra))")
        case .crnor where w.ra == w.rb: return ("crnot", "\(crBit(w.rt)),\(crBit(w.ra))")
        case .tw where w.rt == 31 && w.ra == 0 && w.rb == 0: return ("trap", "")
        case .tw, .td, .twi, .tdi:
            let base = (spec.op == .tw || spec.op == .twi) ? "tw" : "td"
            let imm = spec.op == .twi || spec.op == .tdi
            let last = imm ? "\(w.si)" : r(w.rb)
            if let c = trapConditions[w.rt] { return (base + c + (imm ? "i" : ""), "\(r(w.ra)),\(last)") }
            return (mn, "\(w.rt),\(r(w.ra)),\(last)")
        case .tlbiel where w.rt == 0 && w.ra == 0:
            return (mn, r(w.rb))  // tlbiel's RS is optional as well (objdump: `tlbiel r5`)
        case .sync:
            // L is bits 8:10 and SC bits 14:15 (ISA 3.1); objdump names the defined pairs.
            let l = (w.raw >> 21) & 7, sc = (w.raw >> 16) & 3
            switch (l, sc) {
            case (0, 0): return ("hwsync", "")
            case (1, 0): return ("lwsync", "")
            case (2, 0): return ("ptesync", "")
            case (4, 0): return ("phwsync", "")
            case (5, 0): return ("plwsync", "")
            case (0, 2): return ("stcisync", "")
            case (1, 1): return ("stncisync", "")
            default: return ("sync", sc == 0 ? "\(l)" : "\(l),\(sc)")
            }
        case .dcbf:
            // L (bits 8:10): 1 dcbfl, 3 dcbflp, 4 dcbfps, 6 dcbstps.
            let names = [0: "dcbf", 1: "dcbfl", 3: "dcbflp", 4: "dcbfps", 6: "dcbstps"]
            let l = Int((w.raw >> 21) & 7)
            let ops = "\(raOrZero(w.ra)),\(r(w.rb))"
            return names[l].map { ($0, ops) } ?? (mn, ops + ",\(l)")
        case .wait:
            // WC (bits 9:10): 1 waitrsv, 2 pause_short.
            switch (w.raw >> 21) & 3 {
            case 0: return ("wait", "")
            case 1: return ("waitrsv", "")
            case 2: return ("pause_short", "")
            default: return ("wait", "3")
            }
        case .tlbie, .tlbiel:
            // RB, RS, RIC, PRS, R: trailing zero operands are left out (tlbie always shows RS).
            let fields = [w.rt, Int((w.raw >> 18) & 3), Int((w.raw >> 17) & 1), Int((w.raw >> 16) & 1)]
            var shown = fields.count
            while shown > (spec.op == .tlbie ? 1 : 0) && fields[shown - 1] == 0 { shown -= 1 }
            let rest = fields.prefix(shown).enumerated().map { $0.offset == 0 ? r($0.element) : "\($0.element)" }
            return (mn, ([r(w.rb)] + rest).joined(separator: ","))
        case .isel:
            let bc = w.rc
            if bc < 4 && bc != 3 { return ("isel" + ["lt", "gt", "eq"][bc], "\(r(w.rt)),\(raOrZero(w.ra)),\(r(w.rb))") }
            return (mn, "\(r(w.rt)),\(raOrZero(w.ra)),\(r(w.rb)),\(crBit(bc))")
        case .sc:
            let lev = (w.raw >> 5) & 0x7F
            return ("sc", lev == 0 ? "" : "\(lev)")
        // Vector and VSX extended mnemonics, as objdump chooses them.
        case .vor where w.vra == w.vrb: return ("vmr", "\(v(w.vrt)),\(v(w.vra))")
        case .vnor where w.vra == w.vrb: return ("vnot", "\(v(w.vrt)),\(v(w.vra))")
        case .xxlor where w.xa == w.xb: return ("xxmr", "\(vs(w.xt)),\(vs(w.xa))")
        case .xxlnor where w.xa == w.xb: return ("xxlnot", "\(vs(w.xt)),\(vs(w.xa))")
        case .xvcpsgndp where w.xa == w.xb: return ("xvmovdp", "\(vs(w.xt)),\(vs(w.xa))")
        case .xvcpsgnsp where w.xa == w.xb: return ("xvmovsp", "\(vs(w.xt)),\(vs(w.xa))")
        case .xxpermdi:
            let t = vs(w.xt), a = vs(w.xa), b = vs(w.xb)
            switch (w.xa == w.xb, w.dm) {
            case (true, 0): return ("xxspltd", "\(t),\(a),0")
            case (true, 3): return ("xxspltd", "\(t),\(a),1")
            case (true, 2): return ("xxswapd", "\(t),\(a)")
            case (_, 0): return ("xxmrghd", "\(t),\(a),\(b)")
            case (_, 3): return ("xxmrgld", "\(t),\(a),\(b)")
            default: return (mn, "\(t),\(a),\(b),\(w.dm)")
            }
        case .mfvsrd, .mfvsrwz:
            // SX = 0 names an FPR (mffprd r3,f1), SX = 1 a VR (mfvrd r3,v1).
            let size = spec.op == .mfvsrd ? "d" : "wz"
            return w.xt < 32 ? ("mffpr" + size, "\(r(w.ra)),\(f(w.xt))") : ("mfvr" + size, "\(r(w.ra)),\(v(w.xt - 32))")
        case .mtvsrd, .mtvsrwa, .mtvsrwz:
            let size = spec.op == .mtvsrd ? "d" : spec.op == .mtvsrwa ? "wa" : "wz"
            return w.xt < 32 ? ("mtfpr" + size, "\(f(w.xt)),\(r(w.ra))") : ("mtvr" + size, "\(v(w.xt - 32)),\(r(w.ra))")
        default:
            break
        }
        return (mn + sfx, operands(spec.syntax, w))
    }

    static func operands(_ syntax: OperandSyntax, _ w: InstructionWord) -> String {
        switch syntax {
        case .none: return ""
        case .rt: return r(w.rt)
        case .frt: return f(w.rt)
        case .rt_ra_rb: return "\(r(w.rt)),\(r(w.ra)),\(r(w.rb))"
        case .rt_ra0_rb: return "\(r(w.rt)),\(raOrZero(w.ra)),\(r(w.rb))"
        case .rt_ra: return "\(r(w.rt)),\(r(w.ra))"
        case .rt_ra_si: return "\(r(w.rt)),\(r(w.ra)),\(w.si)"
        case .ra_rs_ui: return "\(r(w.ra)),\(r(w.rt)),\(w.ui)"
        case .ra_rs_rb: return "\(r(w.ra)),\(r(w.rt)),\(r(w.rb))"
        case .ra_rs: return "\(r(w.ra)),\(r(w.rt))"
        case .ra_rs_sh: return "\(r(w.ra)),\(r(w.rt)),\(w.rb)"
        case .ra_rs_sh6: return "\(r(w.ra)),\(r(w.rt)),\(w.sh6)"
        case .ra_rs_sh_mb_me: return "\(r(w.ra)),\(r(w.rt)),\(w.rb),\(w.rc),\(w.me)"
        case .ra_rs_rb_mb_me: return "\(r(w.ra)),\(r(w.rt)),\(r(w.rb)),\(w.rc),\(w.me)"
        case .ra_rs_sh_mb, .ra_rs_sh_me: return "\(r(w.ra)),\(r(w.rt)),\(w.sh6),\(w.mb6)"
        case .ra_rs_rb_mb, .ra_rs_rb_me: return "\(r(w.ra)),\(r(w.rt)),\(r(w.rb)),\(w.mb6)"
        case .rt_d_ra: return "\(r(w.rt)),\(w.si)(\(raOrZero(w.ra)))"
        case .rt_ds_ra: return "\(r(w.rt)),\(w.ds)(\(raOrZero(w.ra)))"
        case .frt_d_ra: return "\(f(w.rt)),\(w.si)(\(raOrZero(w.ra)))"
        case .frt_ra_rb: return "\(f(w.rt)),\(raOrZero(w.ra)),\(r(w.rb))"
        case .rt_ra_rb_eh: return "\(r(w.rt)),\(raOrZero(w.ra)),\(r(w.rb))" + (w.bit31 ? ",1" : "")
        case .ra_rb, .ra_rb_l, .ra_rb_th: return "\(raOrZero(w.ra)),\(r(w.rb))"
        case .bf_l_ra_rb, .bf_l_ra_si, .bf_l_ra_ui: return "\(cr(w.bf)),\(w.cmpL ? 1 : 0),\(r(w.ra)),\(r(w.rb))"
        case .to_ra_rb: return "\(w.rt),\(r(w.ra)),\(r(w.rb))"
        case .to_ra_si: return "\(w.rt),\(r(w.ra)),\(w.si)"
        case .crbt_ba_bb: return "\(crBit(w.rt)),\(crBit(w.ra)),\(crBit(w.rb))"
        case .bf_bfa: return "\(cr(w.bf)),\(cr(w.bfa))"
        case .rt_fxm: return "\(r(w.rt)),\(w.fxm)"
        case .fxm_rs: return "\(w.fxm),\(r(w.rt))"
        case .rt_spr: return "\(r(w.rt)),\(w.spr)"
        case .spr_rs: return "\(w.spr),\(r(w.rt))"
        case .rs_l: return r(w.rt) + ((w.raw >> 16) & 1 != 0 ? ",1" : "")
        case .rt_bfa: return "\(r(w.rt)),\(cr(w.bfa))"
        case .rt_ra_rb_bc: return "\(r(w.rt)),\(raOrZero(w.ra)),\(r(w.rb)),\(crBit(w.rc))"
        case .frt_fra_frb: return "\(f(w.rt)),\(f(w.ra)),\(f(w.rb))"
        case .frt_fra_frc: return "\(f(w.rt)),\(f(w.ra)),\(f(w.rc))"
        case .frt_fra_frc_frb: return "\(f(w.rt)),\(f(w.ra)),\(f(w.rc)),\(f(w.rb))"
        case .frt_frb: return "\(f(w.rt)),\(f(w.rb))"
        case .bf_fra_frb: return "\(cr(w.bf)),\(f(w.ra)),\(f(w.rb))"
        case .bt: return "\(w.rt)"
        case .bf_u_w: return "\(w.bf),\((w.raw >> 12) & 0xF)"
        case .flm_frb_l_w: return "\(w.flm),\(f(w.rb))"
        case .sync_l: return ""
        case .rt_ra0_nb: return "\(r(w.rt)),\(raOrZero(w.ra)),\(w.rb == 0 ? 32 : w.rb)"
        case .rt_ra_rb_rc: return "\(r(w.rt)),\(r(w.ra)),\(r(w.rb)),\(r(w.rc))"
        case .rt_dq_ra: return "\(r(w.rt)),\(w.si & ~15)(\(raOrZero(w.ra)))"
        case .rb: return r(w.rb)
        case .rs_rb: return "\(r(w.rt)),\(r(w.rb))"
        case .rb_rs_ric_prs_r:
            // RIC (bits 12:13), PRS (14), R (15) share the RA field; objdump drops the trailing
            // ones that are 0.
            let fields = [(w.ra >> 2) & 3, (w.ra >> 1) & 1, w.ra & 1]
            let shown = fields.lastIndex { $0 != 0 }.map { fields[...$0].map(String.init) } ?? []
            return ([r(w.rb), r(w.rt)] + shown).joined(separator: ",")
        case .ih:
            let ih = (w.raw >> 21) & 7
            return ih == 0 ? "" : "\(ih)"
        case .lev: return ""
        case .target, .bo_bi_target, .bo_bi_bh: return ""
        case .vrt_ra0_rb: return "\(v(w.vrt)),\(raOrZero(w.ra)),\(r(w.rb))"
        case .vrt_vra_vrb: return "\(v(w.vrt)),\(v(w.vra)),\(v(w.vrb))"
        case .vrt_vra_vrb_vrc: return "\(v(w.vrt)),\(v(w.vra)),\(v(w.vrb)),\(v(w.vrc))"
        case .vrt_vra_vrb_shb: return "\(v(w.vrt)),\(v(w.vra)),\(v(w.vrb)),\(w.shb)"
        case .vrt_vrb_uim: return "\(v(w.vrt)),\(v(w.vrb)),\(w.ra)"
        case .vrt_sim: return "\(v(w.vrt)),\(w.sim)"
        case .vrt: return v(w.vrt)
        case .vrb: return v(w.vrb)
        case .vrt_vrb: return "\(v(w.vrt)),\(v(w.vrb))"
        case .vrt_ds_ra: return "\(v(w.vrt)),\(w.ds)(\(raOrZero(w.ra)))"
        case .xt_ra0_rb: return "\(vs(w.xt)),\(raOrZero(w.ra)),\(r(w.rb))"
        case .xt_dq_ra: return "\(vs(w.dqXT)),\(w.dq)(\(raOrZero(w.ra)))"
        case .xt_xa_xb: return "\(vs(w.xt)),\(vs(w.xa)),\(vs(w.xb))"
        case .xt_xa_xb_xc: return "\(vs(w.xt)),\(vs(w.xa)),\(vs(w.xb)),\(vs(w.xc))"
        case .xt_xa_xb_dm: return "\(vs(w.xt)),\(vs(w.xa)),\(vs(w.xb)),\(w.dm)"
        case .xt_xb_uim: return "\(vs(w.xt)),\(vs(w.xb)),\(w.ra & 3)"
        case .xt_imm8: return "\(vs(w.xt)),\(w.imm8)"
        case .ra_xs: return "\(r(w.ra)),\(vs(w.xt))"
        case .xt_ra: return "\(vs(w.xt)),\(r(w.ra))"
        case .xt_xb: return "\(vs(w.xt)),\(vs(w.xb))"
        case .rt_ra_vrb: return "\(r(w.rt)),\(r(w.ra)),\(v(w.vrb))"
        case .rt_vrb: return "\(r(w.rt)),\(v(w.vrb))"
        case .xt_xb_uim4: return "\(vs(w.xt)),\(vs(w.xb)),\(w.ra)"
        case .vrt_vra_st_six: return "\(v(w.vrt)),\(v(w.vra)),\(w.rb >> 4),\(w.rb & 15)"
        case .bf_xa_xb: return "\(cr(w.bf)),\(vs(w.xa)),\(vs(w.xb))"
        }
    }

    /// bc/bclr/bcctr with objdump's extended mnemonics (beq, bnelr, bdnz, bctrl…).
    static func branch(_ op: Op, _ w: InstructionWord, _ pc: UInt64) -> (String, String) {
        let bo = w.rt, bi = w.ra
        let lk = w.bit31 ? "l" : ""
        let aa = op == .bc && w.bit30 ? "a" : ""
        let kind = op == .bc ? "" : op == .bclr ? "lr" : "ctr"
        let target = op == .bc ? hex((w.bit30 ? 0 : pc) &+ UInt64(bitPattern: w.bd)) : ""
        let conds = ["lt", "gt", "eq", "so"], negated = ["ge", "le", "ne", "ns"]
        func join(_ parts: String...) -> String { parts.filter { !$0.isEmpty }.joined(separator: ",") }
        let field = bi / 4 == 0 ? "" : cr(bi / 4)
        // Hint bits "at": 11 = likely (+), 10 = unlikely (-).
        func hint(_ at: Int) -> String { at == 3 ? "+" : at == 2 ? "-" : "" }
        switch bo {
        case 20 where op != .bc && bi == 0: return ("b" + kind + lk, "")
        case 20:
            // objdump keeps "branch always" with a BI raw: bc has no simpler name (b is another
            // instruction), and blr/bctr mean BI = 0. `bcl 20,31,1f` is the read-the-PC idiom.
            return ((op == .bc ? "bc" : op == .bclr ? "bclr" : "bcctr") + lk + aa, join("20", crBit(bi), target))
        case 12, 14, 15, 4, 6, 7:
            let name = (bo >= 12 ? conds : negated)[bi % 4]
            return ("b" + name + kind + lk + aa + hint(bo & 3), join(field, target))
        case 16, 24, 25, 18, 26, 27:
            let base = bo & 2 != 0 ? "bdz" : "bdnz"
            let at = bo >= 24 ? (bo & 1 == 1 ? 3 : 2) : 0
            return (base + kind + lk + aa + hint(at), target)
        case 0, 1, 2, 3, 8, 9, 10, 11:
            let base = (bo & 2 != 0 ? "bdz" : "bdnz") + (bo & 8 != 0 ? "t" : "f")
            return (base + kind + lk + aa, join(crBit(bi), target))
        default:
            return ((op == .bc ? "bc" : op == .bclr ? "bclr" : "bcctr") + lk + aa, join("\(bo)", "\(bi)", target))
        }
    }
}

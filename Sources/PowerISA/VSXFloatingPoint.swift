/// VSX floating point (Book I 7.6): scalar double/single arithmetic (xs*: VSR[XT].dword[0]),
/// vector arithmetic (xv*: every doubleword or word), compares, conversions, rounding to
/// integer, byte reversal and the scalar integer-element loads and stores. Out of line, as the
/// rest of the vector facility (VectorExecutor.swift).
///
/// The arithmetic is the scalar FPU's (`FPU.operate`: the same rounding, NaN choice, tininess
/// and exception rules, checked against qemu-ppc64), named by the FPR instruction that computes
/// the same thing: xsadddp is fadd, xsmaddadp is fmadd with VSR[XT] as the multiplier.
/// Single-precision elements are widened exactly (`FloatBits.doubleFromSingle`), computed as
/// the single-precision FPR instructions compute (one rounding to single), and narrowed back
/// exactly.
///
/// FPSCR, as qemu-ppc64 updates it: scalar arithmetic, rounding and int-to-float conversions
/// set FPRF and FI as the FPR instructions do; vector instructions, scalar float-to-int
/// conversions, compares and max/min leave FPRF, FPCC and FI alone (invalid operations and
/// zero divide still clear FR and FI), their elements' exceptions folded together
/// (`FPU.apply(vector: true)`). VSR[XT].dword[1] of a scalar result is 0 (ISA 3.1, qemu-ppc64).
extension Executor {
    /// FPSCR update of one VSX floating-point instruction: `ex` folded in; false when it
    /// raised an enabled exception while MSR[FE0,FE1] ≠ 0 (a precise program interrupt after
    /// the update, as `executeFloatingPoint`).
    @inline(__always) func foldVSX(_ ex: FPExceptions, result: UInt64?, setsFPRF: Bool, vector: Bool,
                                   changesFI: Bool? = nil) -> (write: Bool, interrupt: Bool) {
        let before = s[RegisterSlot.fpscr]
        let (f, write) = FPU.apply(ex, to: before & ~FPSCR.fex, result: result, setsFPRF: setsFPRF,
                                   setsFPCC: !vector, changesFI: changesFI ?? !vector)
        s[RegisterSlot.fpscr] = f | (before & FPSCR.fex)
        let raised = f & FPSCR.fex != 0
        return (write, raised && s[RegisterSlot.msr] & (MSR.fe0 | MSR.fe1) != 0)
    }

    /// The FPR instruction computing what a VSX arithmetic instruction computes per element.
    static func fprEquivalent(_ op: Op) -> Op {
        switch op {
        case .xsadddp, .xvadddp: return .fadd
        case .xssubdp, .xvsubdp: return .fsub
        case .xsmuldp, .xvmuldp: return .fmul
        case .xsdivdp, .xvdivdp: return .fdiv
        case .xsaddsp, .xvaddsp: return .fadds
        case .xssubsp, .xvsubsp: return .fsubs
        case .xsmulsp, .xvmulsp: return .fmuls
        case .xsdivsp, .xvdivsp: return .fdivs
        case .xssqrtdp, .xvsqrtdp: return .fsqrt
        case .xssqrtsp, .xvsqrtsp: return .fsqrts
        case .xsmaddadp, .xsmaddmdp, .xvmaddadp, .xvmaddmdp: return .fmadd
        case .xsmsubadp, .xsmsubmdp, .xvmsubadp, .xvmsubmdp: return .fmsub
        case .xsnmaddadp, .xsnmaddmdp, .xvnmaddadp, .xvnmaddmdp: return .fnmadd
        case .xsnmsubadp, .xsnmsubmdp, .xvnmsubadp, .xvnmsubmdp: return .fnmsub
        case .xsmaddasp, .xsmaddmsp, .xvmaddasp, .xvmaddmsp: return .fmadds
        case .xsmsubasp, .xsmsubmsp, .xvmsubasp, .xvmsubmsp: return .fmsubs
        case .xsnmaddasp, .xsnmaddmsp, .xvnmaddasp, .xvnmaddmsp: return .fnmadds
        default: return .fnmsubs
        }
    }

    /// The multiply-add forms whose addend is VSR[XT] (…a…: XA × XB + XT); the others (…m…)
    /// multiply by VSR[XT]: XA × XT + XB.
    static func isAForm(_ op: Op) -> Bool {
        switch op {
        case .xsmaddadp, .xsmsubadp, .xsnmaddadp, .xsnmsubadp, .xsmaddasp, .xsmsubasp, .xsnmaddasp, .xsnmsubasp,
             .xvmaddadp, .xvmsubadp, .xvnmaddadp, .xvnmsubadp, .xvmaddasp, .xvmsubasp, .xvnmaddasp, .xvnmsubasp:
            return true
        default: return false
        }
    }

    /// FPRF of a single-precision result (its class as a single: a single denormal is one).
    static func fprfOfSingle(_ w: UInt32) -> UInt64 {
        let neg = w >> 31 != 0, e = (w >> 23) & 0xFF, f = w & 0x7F_FFFF
        switch (e, f) {
        case (0xFF, 0): return neg ? 0x09 : 0x05
        case (0xFF, _): return f & 0x40_0000 != 0 ? 0x11 : 0
        case (0, 0): return neg ? 0x12 : 0x02
        case (0, _): return neg ? 0x18 : 0x14
        default: return neg ? 0x08 : 0x04
        }
    }

    /// maxNum/minNum of IEEE 754-2008 as softfloat computes them for qemu-ppc64 (xsmaxdp…):
    /// a signalling NaN operand gives the first NaN operand quieted; one quiet NaN gives the
    /// other operand; +0 is greater than -0. Operands are doubles (singles widened).
    static func maxMin(_ a: UInt64, _ b: UInt64, max: Bool) -> (UInt64, Bool) {
        let snan = FPU.isSNaN(a) || FPU.isSNaN(b)
        if FPU.isNaN(a) || FPU.isNaN(b) {
            if !snan {
                if !FPU.isNaN(a) { return (a, false) }
                if !FPU.isNaN(b) { return (b, false) }
            }
            return (FPU.quiet(FPU.isNaN(a) ? a : b), snan)
        }
        let x = Double(bitPattern: a), y = Double(bitPattern: b)
        if x == y {
            // Equal values: only the zeros' signs can differ.
            let aNeg = FPU.isNeg(a)
            return ((aNeg == max) ? b : a, false)
        }
        return ((x > y) == max ? a : b, false)
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    @inline(never) func executeVSXFloat<O: ExecutionObserver>(_ op: Op, _ w: InstructionWord, _ o: inout O) -> ExecutionExit? {
        // Loads and stores with a length (ISA 3.0): the byte count is GPR[RB] bits 0:7 (at most
        // 16), EA = (RA|0); big-endian, lxvll/stxvll move the same bytes as lxvl/stxvl.
        if op == .lxvl || op == .lxvll || op == .stxvl || op == .stxvll {
            if let exit = vsxOrVector(w.xt) { return exit }
            let ea = raOrZero(w), n = Int(min(g[w.rb] >> 56, 16))
            if op == .lxvl || op == .lxvll {
                var t = Vector128.zero
                for i in 0..<n {
                    guard let byte = load(ea &+ UInt64(i), 1, &o) else { return fault(ea &+ UInt64(i), 1, .load) }
                    t.setByte(i, UInt8(truncatingIfNeeded: byte))
                }
                vsr[w.xt] = t
            } else {
                let v = vsr[w.xt]
                for i in 0..<n {
                    guard store(ea &+ UInt64(i), 1, UInt64(v.byte(i)), &o) else { return fault(ea &+ UInt64(i), 1, .store) }
                }
            }
            return nil
        }
        if s[RegisterSlot.msr] & MSR.vsx == 0 { return .raise(.vsxUnavailable) }
        let rn = Int(s[RegisterSlot.fpscr] & FPSCR.rn)
        let fpe: ExecutionExit = .raise(.program(.floatingPointEnabled))
        switch op {
        // MARK: Scalar integer-element loads and stores (dword[0] of VSR[XT])
        case .lxsiwzx, .lxsiwax, .lxsspx, .lxsibzx, .lxsihzx:
            let size = op == .lxsibzx ? 1 : op == .lxsihzx ? 2 : 4
            let ea = xEA(w)
            guard let v = load(ea, size, &o) else { return fault(ea, UInt64(size), .load) }
            let d: UInt64
            switch op {
            case .lxsiwax: d = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v)))
            case .lxsspx: d = FloatBits.doubleFromSingle(UInt32(truncatingIfNeeded: v))
            default: d = v
            }
            // dword[1] is undefined (ISA 3.0: 0 for the byte and halfword loads); qemu-ppc64 keeps it.
            s[VSRFile.highSlot(w.xt)] = d
        case .stxsiwx, .stxsspx, .stxsibx, .stxsihx:
            let size = op == .stxsibx ? 1 : op == .stxsihx ? 2 : 4
            let d = s[VSRFile.highSlot(w.xt)]
            let v = op == .stxsspx ? UInt64(FloatBits.singleFromDouble(d)) : d
            let ea = xEA(w)
            guard store(ea, size, v, &o) else { return fault(ea, UInt64(size), .store) }

        // MARK: Byte reversal of each element
        case .xxbrh, .xxbrw, .xxbrd, .xxbrq:
            let b = vsr[w.xb]
            switch op {
            case .xxbrq: vsr[w.xt] = Vector128(high: b.low.byteSwapped, low: b.high.byteSwapped)
            case .xxbrd: vsr[w.xt] = Vector128(high: b.high.byteSwapped, low: b.low.byteSwapped)
            case .xxbrw:
                vsr[w.xt] = Vector128(lanes: b.lanes(LanesU32.self).byteSwappedLanes)
            default:
                vsr[w.xt] = Vector128(lanes: b.lanes(LanesU16.self).byteSwappedLanes)
            }

        // MARK: Sign manipulation (no FPSCR change)
        case .xsabsdp: vsr[w.xt] = Vector128(high: vsr[w.xb].high & ~FPU.signBit, low: 0)
        case .xsnabsdp: vsr[w.xt] = Vector128(high: vsr[w.xb].high | FPU.signBit, low: 0)
        case .xsnegdp: vsr[w.xt] = Vector128(high: vsr[w.xb].high ^ FPU.signBit, low: 0)
        case .xscpsgndp:
            vsr[w.xt] = Vector128(high: (vsr[w.xa].high & FPU.signBit) | (vsr[w.xb].high & ~FPU.signBit), low: 0)
        case .xvabsdp: vsr[w.xt] = Vector128(lanes: vsr[w.xb].lanes(LanesU64.self) & ~LanesU64(repeating: FPU.signBit))
        case .xvnabsdp: vsr[w.xt] = Vector128(lanes: vsr[w.xb].lanes(LanesU64.self) | LanesU64(repeating: FPU.signBit))
        case .xvnegdp: vsr[w.xt] = Vector128(lanes: vsr[w.xb].lanes(LanesU64.self) ^ LanesU64(repeating: FPU.signBit))
        case .xvcpsgndp:
            let m = LanesU64(repeating: FPU.signBit)
            vsr[w.xt] = Vector128(lanes: (vsr[w.xa].lanes(LanesU64.self) & m) | (vsr[w.xb].lanes(LanesU64.self) & ~m))
        case .xvabssp: vsr[w.xt] = Vector128(lanes: vsr[w.xb].lanes(LanesU32.self) & ~LanesU32(repeating: 1 << 31))
        case .xvnabssp: vsr[w.xt] = Vector128(lanes: vsr[w.xb].lanes(LanesU32.self) | LanesU32(repeating: 1 << 31))
        case .xvnegsp: vsr[w.xt] = Vector128(lanes: vsr[w.xb].lanes(LanesU32.self) ^ LanesU32(repeating: 1 << 31))
        case .xvcpsgnsp:
            let m = LanesU32(repeating: 1 << 31)
            vsr[w.xt] = Vector128(lanes: (vsr[w.xa].lanes(LanesU32.self) & m) | (vsr[w.xb].lanes(LanesU32.self) & ~m))

        // MARK: Scalar arithmetic (FPRF, FI as the FPR instructions)
        case .xsadddp, .xssubdp, .xsmuldp, .xsdivdp, .xsaddsp, .xssubsp, .xsmulsp, .xsdivsp, .xssqrtdp, .xssqrtsp,
             .xsmaddadp, .xsmaddmdp, .xsmsubadp, .xsmsubmdp, .xsnmaddadp, .xsnmaddmdp, .xsnmsubadp, .xsnmsubmdp,
             .xsmaddasp, .xsmaddmsp, .xsmsubasp, .xsmsubmsp, .xsnmaddasp, .xsnmaddmsp, .xsnmsubasp, .xsnmsubmsp:
            let a = vsr[w.xa].high, b = vsr[w.xb].high, t = vsr[w.xt].high
            let (r, ex, setsFPRF) = scalarOperate(op, a, b, t, rn: rn)
            let (write, interrupt) = foldVSX(ex, result: r, setsFPRF: setsFPRF, vector: false)
            if write { vsr[w.xt] = Vector128(high: r, low: 0) }
            if interrupt { return fpe }
        case .xsrdpi, .xsrdpiz, .xsrdpip, .xsrdpim, .xsrsp, .xscvsxddp, .xscvuxddp:
            let fpr: Op
            switch op {
            case .xsrdpi: fpr = .frin
            case .xsrdpiz: fpr = .friz
            case .xsrdpip: fpr = .frip
            case .xsrdpim: fpr = .frim
            case .xsrsp: fpr = .frsp
            case .xscvsxddp: fpr = .fcfid
            default: fpr = .fcfidu
            }
            let (r, ex, _) = FPU.operate(fpr, a: 0, b: vsr[w.xb].high, c: 0, rn: rn)!
            let (write, interrupt) = foldVSX(ex, result: r, setsFPRF: true, vector: false)
            if write { vsr[w.xt] = Vector128(high: r, low: 0) }
            if interrupt { return fpe }
        case .xsrdpic:
            // Round to an integer in the FPSCR's mode, inexact when that changed the value.
            let b = vsr[w.xb].high
            var ex: FPExceptions = []
            let r = roundToIntegerCurrent(b, rn: rn, &ex)
            let (write, interrupt) = foldVSX(ex, result: r, setsFPRF: true, vector: false)
            if write { vsr[w.xt] = Vector128(high: r, low: 0) }
            if interrupt { return fpe }
        case .xscvsxdsp, .xscvuxdsp:
            // qemu-ppc64 converts to double, then rounds that to single: two roundings.
            let (d, ex1, _) = FPU.operate(op == .xscvsxdsp ? .fcfid : .fcfidu, a: 0, b: vsr[w.xb].high, c: 0, rn: rn)!
            let (r, ex2, _) = FPU.operate(.frsp, a: 0, b: d, c: 0, rn: rn)!
            let (write, interrupt) = foldVSX(ex1.union(ex2), result: r, setsFPRF: true, vector: false)
            if write { vsr[w.xt] = Vector128(high: r, low: 0) }
            if interrupt { return fpe }
        case .xscvdpsp:
            // Rounded to single (as frsp), in word 0; FPRF from the single.
            let (r, ex, _) = FPU.operate(.frsp, a: 0, b: vsr[w.xb].high, c: 0, rn: rn)!
            let single = FloatBits.singleFromDouble(r)
            let (write, interrupt) = foldVSX(ex, result: nil, setsFPRF: false, vector: false)
            if write {
                // Word 1 is undefined: qemu-ppc64 (as POWER9) copies word 0 into it.
                s[RegisterSlot.fpscr] = (s[RegisterSlot.fpscr] & ~FPSCR.fprf) | Self.fprfOfSingle(single) << 12
                vsr[w.xt] = Vector128(high: UInt64(single) << 32 | UInt64(single), low: 0)
            }
            if interrupt { return fpe }
        case .xscvspdp:
            // Word 0 as a single, widened exactly; a signalling NaN is quieted (VXSNAN).
            var ex: FPExceptions = []
            let r = widenSingle(vsr[w.xb].word(0), &ex)
            let (write, interrupt) = foldVSX(ex, result: r, setsFPRF: true, vector: false)
            if write { vsr[w.xt] = Vector128(high: r, low: 0) }
            if interrupt { return fpe }
        case .xscvdpspn:
            // Non-signalling: SINGLE(dword 0) as stfs stores it (no rounding, NaNs kept), in
            // words 0 and 1; no FPSCR change.
            let single = UInt64(FloatBits.singleFromDouble(vsr[w.xb].high))
            vsr[w.xt] = Vector128(high: single << 32 | single, low: 0)
        case .xscvspdpn:
            // Non-signalling: DOUBLE(word 0) as lfs loads it, a signalling NaN kept signalling
            // (the ISA's ConvertSPtoDP_NS; qemu-ppc64 agrees), no FPSCR change.
            vsr[w.xt] = Vector128(high: FloatBits.doubleFromSingle(vsr[w.xb].word(0)), low: 0)

        // MARK: Scalar conversions to integer (FPRF and FPCC unchanged; FI as the FPR instructions)
        case .xscvdpsxws, .xscvdpuxws, .xscvdpsxds, .xscvdpuxds:
            let fpr: Op = op == .xscvdpsxws ? .fctiwz : op == .xscvdpuxws ? .fctiwuz : op == .xscvdpsxds ? .fctidz : .fctiduz
            var (r, ex) = FPU.convertToInteger(fpr, vsr[w.xb].high, rn: rn)
            // A word result is in word 1, and qemu-ppc64 (as POWER9) copies it into word 0.
            if op == .xscvdpsxws || op == .xscvdpuxws { r = (r & 0xFFFF_FFFF) | r << 32 }
            let (write, interrupt) = foldVSX(ex, result: nil, setsFPRF: false, vector: true, changesFI: true)
            if write { vsr[w.xt] = Vector128(high: r, low: 0) }
            if interrupt { return fpe }

        // MARK: Scalar compares
        case .xscmpudp, .xscmpodp:
            let a = vsr[w.xa].high, b = vsr[w.xb].high
            var ex: FPExceptions = []
            let c: UInt32
            if FPU.isNaN(a) || FPU.isNaN(b) {
                c = 1
                if FPU.isSNaN(a) || FPU.isSNaN(b) {
                    ex.insert(.vxsnan)
                    if op == .xscmpodp && s[RegisterSlot.fpscr] & FPSCR.ve == 0 { ex.insert(.vxvc) }
                } else if op == .xscmpodp {
                    ex.insert(.vxvc)
                }
            } else {
                let x = Double(bitPattern: a), y = Double(bitPattern: b)
                c = x < y ? 8 : (x > y ? 4 : 2)
            }
            let (_, interrupt) = foldVSX(ex, result: nil, setsFPRF: false, vector: true)
            s[RegisterSlot.fpscr] = (s[RegisterSlot.fpscr] & ~FPSCR.fpcc) | UInt64(c) << 12
            let shift = UInt32(28 - 4 * w.bf)
            cr = (cr & ~(0xF << shift)) | (c << shift)
            if interrupt { return fpe }
        case .xscmpeqdp, .xscmpgtdp, .xscmpgedp:
            let a = vsr[w.xa].high, b = vsr[w.xb].high
            var ex: FPExceptions = []
            let ordered = op != .xscmpeqdp
            if FPU.isSNaN(a) || FPU.isSNaN(b) {
                ex.insert(.vxsnan)
                if ordered && s[RegisterSlot.fpscr] & FPSCR.ve == 0 { ex.insert(.vxvc) }
            } else if ordered && (FPU.isNaN(a) || FPU.isNaN(b)) {
                ex.insert(.vxvc)
            }
            let x = Double(bitPattern: a), y = Double(bitPattern: b)
            let holds = op == .xscmpeqdp ? x == y : op == .xscmpgtdp ? x > y : x >= y
            let (write, interrupt) = foldVSX(ex, result: nil, setsFPRF: false, vector: true)
            if write { vsr[w.xt] = Vector128(high: holds ? .max : 0, low: 0) }
            if interrupt { return fpe }
        case .xsmaxdp, .xsmindp:
            let (r, snan) = Self.maxMin(vsr[w.xa].high, vsr[w.xb].high, max: op == .xsmaxdp)
            let (_, interrupt) = foldVSX(snan ? .vxsnan : [], result: nil, setsFPRF: false, vector: true)
            vsr[w.xt] = Vector128(high: r, low: 0)
            if interrupt { return fpe }

        // MARK: ISA 3.0 maximum/minimum: C type (xsmaxcdp) and Java type (xsmaxjdp)
        case .xsmaxcdp, .xsmincdp:
            // XA when XA > XB (max) or XA < XB (min), else XB (also when either is a NaN);
            // VXSNAN when a signalling NaN is an operand and XB is taken.
            let a = vsr[w.xa].high, b = vsr[w.xb].high
            let ordered = !FPU.isNaN(a) && !FPU.isNaN(b)
            let x = Double(bitPattern: a), y = Double(bitPattern: b)
            let first = ordered && (op == .xsmaxcdp ? y <= x : x < y)
            var interrupt = false
            if !first && (FPU.isSNaN(a) || FPU.isSNaN(b)) {
                interrupt = foldVSX(.vxsnan, result: nil, setsFPRF: false, vector: true).interrupt
            }
            vsr[w.xt] = Vector128(high: first ? a : b, low: 0)
            if interrupt { return fpe }
        case .xsmaxjdp, .xsminjdp:
            // A NaN operand (XA's first) is the result as it is; -0 < +0; VXSNAN for a
            // signalling NaN, which with VE = 1 leaves XT unchanged.
            let a = vsr[w.xa].high, b = vsr[w.xb].high, max = op == .xsmaxjdp
            let r: UInt64
            if FPU.isNaN(a) { r = a } else if FPU.isNaN(b) { r = b } else if FPU.isZero(a) && FPU.isZero(b) {
                r = max ? (FPU.isNeg(a) && FPU.isNeg(b) ? FPU.signBit : 0) : (FPU.isNeg(a) || FPU.isNeg(b) ? FPU.signBit : 0)
            } else {
                let lt = Double(bitPattern: a) < Double(bitPattern: b)
                r = (max ? !lt : lt) ? a : b
            }
            let snan = (FPU.isNaN(a) && FPU.isSNaN(a)) || (!FPU.isNaN(a) && FPU.isSNaN(b))
            let interrupt = snan ? foldVSX(.vxsnan, result: nil, setsFPRF: false, vector: true).interrupt : false
            if !(snan && s[RegisterSlot.fpscr] & FPSCR.ve != 0) { vsr[w.xt] = Vector128(high: r, low: 0) }
            if interrupt { return fpe }

        // MARK: Word extract and insert at a byte index
        case .xxextractuw:
            // dword 0 = the word at byte UIM (bytes past 15 wrap to 0, as qemu-ppc64), zero-extended.
            let b = vsr[w.xb], uim = w.ra & 15
            var word: UInt64 = 0
            for i in 0..<4 { word = word << 8 | UInt64(b.byte((uim + i) % 16)) }
            vsr[w.xt] = Vector128(high: word, low: 0)
        case .xxinsertw:
            // Bytes UIM … UIM+3 (those below 16) of XT = word 1 of XB; the rest kept.
            let b = vsr[w.xb], uim = w.ra & 15
            var t = vsr[w.xt]
            for i in 0..<4 where uim + i < 16 { t.setByte(uim + i, b.byte(4 + i)) }
            vsr[w.xt] = t

        // MARK: Vector instructions (FPRF, FPCC, FI unchanged)
        default:
            return executeVSXVectorFloat(op, w, rn: rn)
        }
        return nil
    }

    /// Scalar arithmetic of dword 0: the FPR instruction's result, exceptions and FPRF rule.
    @inline(__always) func scalarOperate(_ op: Op, _ a: UInt64, _ b: UInt64, _ t: UInt64, rn: Int) -> (UInt64, FPExceptions, setsFPRF: Bool) {
        let fpr = Self.fprEquivalent(op)
        switch fpr {
        case .fmul, .fmuls: return FPU.operate(fpr, a: a, b: 0, c: b, rn: rn)!
        case .fsqrt, .fsqrts: return FPU.operate(fpr, a: 0, b: b, c: 0, rn: rn)!
        case .fmadd, .fmsub, .fnmadd, .fnmsub, .fmadds, .fmsubs, .fnmadds, .fnmsubs:
            // FPU order: a × c + b (NaN choice a, b, c: first multiplier, addend, second multiplier).
            return Self.isAForm(op) ? FPU.operate(fpr, a: a, b: t, c: b, rn: rn)! : FPU.operate(fpr, a: a, b: b, c: t, rn: rn)!
        default: return FPU.operate(fpr, a: a, b: b, c: 0, rn: rn)!
        }
    }

    /// A single widened to double exactly; a signalling NaN is quieted and reports VXSNAN.
    @inline(__always) func widenSingle(_ w: UInt32, _ ex: inout FPExceptions) -> UInt64 {
        let d = FloatBits.doubleFromSingle(w)
        if FPU.isSNaN(d) { ex.insert(.vxsnan); return FPU.quiet(d) }
        return d
    }

    /// Round to an integer in mode `rn` (xsrdpic, xvrdpic, xvrspic): inexact when it changed.
    @inline(__always) func roundToIntegerCurrent(_ b: UInt64, rn: Int, _ ex: inout FPExceptions) -> UInt64 {
        if FPU.isNaN(b) {
            if FPU.isSNaN(b) { ex.insert(.vxsnan) }
            return FPU.quiet(b)
        }
        let rule: FloatingPointRoundingRule
        switch rn {
        case 0: rule = .toNearestOrEven
        case 1: rule = .towardZero
        case 2: rule = .up
        default: rule = .down
        }
        let x = Double(bitPattern: b), r = x.rounded(rule)
        if r != x { ex.insert(.xx) }
        return r.bitPattern
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    @inline(never) func executeVSXVectorFloat(_ op: Op, _ w: InstructionWord, rn: Int) -> ExecutionExit? {
        let a = vsr[w.xa], b = vsr[w.xb], t0 = vsr[w.xt]
        var ex: FPExceptions = []
        var t = Vector128.zero
        /// Element i of `v` as a double: a doubleword, or a word widened from single.
        func dw(_ v: Vector128, _ i: Int) -> UInt64 { v.element(i, bytes: 8) }
        func sw(_ v: Vector128, _ i: Int) -> UInt64 { FloatBits.doubleFromSingle(v.word(i)) }
        func narrow(_ d: UInt64) -> UInt64 { UInt64(FloatBits.singleFromDouble(d)) }
        switch op {
        case .xvadddp, .xvsubdp, .xvmuldp, .xvdivdp, .xvsqrtdp,
             .xvmaddadp, .xvmaddmdp, .xvmsubadp, .xvmsubmdp, .xvnmaddadp, .xvnmaddmdp, .xvnmsubadp, .xvnmsubmdp:
            for i in 0..<2 {
                let (r, e, _) = scalarOperate(op, dw(a, i), dw(b, i), dw(t0, i), rn: rn)
                t.setElement(i, bytes: 8, r); ex.formUnion(e)
            }
        case .xvaddsp, .xvsubsp, .xvmulsp, .xvdivsp, .xvsqrtsp,
             .xvmaddasp, .xvmaddmsp, .xvmsubasp, .xvmsubmsp, .xvnmaddasp, .xvnmaddmsp, .xvnmsubasp, .xvnmsubmsp:
            for i in 0..<4 {
                let (r, e, _) = scalarOperate(op, sw(a, i), sw(b, i), sw(t0, i), rn: rn)
                t.setElement(i, bytes: 4, narrow(r)); ex.formUnion(e)
            }
        case .xvmaxdp, .xvmindp:
            for i in 0..<2 {
                let (r, snan) = Self.maxMin(dw(a, i), dw(b, i), max: op == .xvmaxdp)
                t.setElement(i, bytes: 8, r); if snan { ex.insert(.vxsnan) }
            }
        case .xvmaxsp, .xvminsp:
            for i in 0..<4 {
                let (r, snan) = Self.maxMin(sw(a, i), sw(b, i), max: op == .xvmaxsp)
                t.setElement(i, bytes: 4, narrow(r)); if snan { ex.insert(.vxsnan) }
            }
        case .xvcmpeqdp, .xvcmpgtdp, .xvcmpgedp, .xvcmpeqsp, .xvcmpgtsp, .xvcmpgesp:
            let single = op == .xvcmpeqsp || op == .xvcmpgtsp || op == .xvcmpgesp
            let ordered = op != .xvcmpeqdp && op != .xvcmpeqsp
            let n = single ? 4 : 2
            var all = true, none = true
            for i in 0..<n {
                let x = single ? sw(a, i) : dw(a, i), y = single ? sw(b, i) : dw(b, i)
                var holds = false
                if FPU.isNaN(x) || FPU.isNaN(y) {
                    if FPU.isSNaN(x) || FPU.isSNaN(y) { ex.insert(.vxsnan) }
                    if ordered { ex.insert(.vxvc) }
                } else {
                    let dx = Double(bitPattern: x), dy = Double(bitPattern: y)
                    switch op {
                    case .xvcmpeqdp, .xvcmpeqsp: holds = dx == dy
                    case .xvcmpgtdp, .xvcmpgtsp: holds = dx > dy
                    default: holds = dx >= dy
                    }
                }
                if holds { none = false } else { all = false }
                t.setElement(i, bytes: single ? 4 : 8, holds ? .max : 0)
            }
            if w.vcRc { setCR6(allTrue: all, noneTrue: none) }
        case .xvrdpi, .xvrdpiz, .xvrdpip, .xvrdpim, .xvrspi, .xvrspiz, .xvrspip, .xvrspim, .xvrdpic, .xvrspic:
            let single = op == .xvrspi || op == .xvrspiz || op == .xvrspip || op == .xvrspim || op == .xvrspic
            let fpr: Op
            switch op {
            case .xvrdpi, .xvrspi: fpr = .frin
            case .xvrdpiz, .xvrspiz: fpr = .friz
            case .xvrdpip, .xvrspip: fpr = .frip
            default: fpr = .frim
            }
            for i in 0..<(single ? 4 : 2) {
                let x = single ? sw(b, i) : dw(b, i)
                let r: UInt64
                if op == .xvrdpic || op == .xvrspic {
                    r = roundToIntegerCurrent(x, rn: rn, &ex)
                } else {
                    let (v, e, _) = FPU.operate(fpr, a: 0, b: x, c: 0, rn: rn)!
                    r = v; ex.formUnion(e)
                }
                t.setElement(i, bytes: single ? 4 : 8, single ? narrow(r) : r)
            }
        case .xvcvdpsxws, .xvcvdpuxws, .xvcvdpsxds, .xvcvdpuxds, .xvcvspsxws, .xvcvspuxws, .xvcvspsxds, .xvcvspuxds:
            // Float to integer, truncating; NaN and out-of-range give VXCVI and the saturated value.
            let fromSingle = op == .xvcvspsxws || op == .xvcvspuxws || op == .xvcvspsxds || op == .xvcvspuxds
            let toWord = op == .xvcvdpsxws || op == .xvcvdpuxws || op == .xvcvspsxws || op == .xvcvspuxws
            let unsigned = op == .xvcvdpuxws || op == .xvcvdpuxds || op == .xvcvspuxws || op == .xvcvspuxds
            var flags = ConversionFlags()
            func convert(_ x: UInt64) -> UInt64 {
                Self.vectorToInteger(x, word: toWord, unsigned: unsigned, flags: &flags)
            }
            switch (fromSingle, toWord) {
            case (false, true):
                // Doubleword i → word 2i, copied into word 2i + 1.
                for i in 0..<2 {
                    let r = convert(dw(b, i))
                    t.setElement(2 * i, bytes: 4, r); t.setElement(2 * i + 1, bytes: 4, r)
                }
            case (true, true):
                for i in 0..<4 { t.setElement(i, bytes: 4, convert(sw(b, i))) }
            case (true, false):
                // Word 2i → doubleword i.
                for i in 0..<2 { t.setElement(i, bytes: 8, convert(sw(b, 2 * i))) }
            case (false, false):
                for i in 0..<2 { t.setElement(i, bytes: 8, convert(dw(b, i))) }
            }
            if flags.invalid { ex.insert(.vxcvi) }
            if flags.snan { ex.insert(.vxsnan) }
            if flags.inexact { ex.insert(.xx) }
        case .xvcvsxddp, .xvcvuxddp, .xvcvsxwdp, .xvcvuxwdp, .xvcvsxdsp, .xvcvuxdsp, .xvcvsxwsp, .xvcvuxwsp:
            // Integer to float, rounded in the FPSCR's mode (one rounding, to single for *sp).
            let unsigned = op == .xvcvuxddp || op == .xvcvuxwdp || op == .xvcvuxdsp || op == .xvcvuxwsp
            let toSingle = op == .xvcvsxdsp || op == .xvcvuxdsp || op == .xvcvsxwsp || op == .xvcvuxwsp
            let fpr: Op = toSingle ? (unsigned ? .fcfidus : .fcfids) : (unsigned ? .fcfidu : .fcfid)
            func convert(_ x: UInt64) -> UInt64 {
                let (r, e, _) = FPU.operate(fpr, a: 0, b: x, c: 0, rn: rn)!
                ex.formUnion(e)
                return r
            }
            func word(_ i: Int) -> UInt64 {
                let v = b.word(i)
                return unsigned ? UInt64(v) : UInt64(bitPattern: Int64(Int32(bitPattern: v)))
            }
            switch op {
            case .xvcvsxddp, .xvcvuxddp:
                for i in 0..<2 { t.setElement(i, bytes: 8, convert(dw(b, i))) }
            case .xvcvsxwdp, .xvcvuxwdp:
                for i in 0..<2 { t.setElement(i, bytes: 8, convert(word(2 * i))) }
            case .xvcvsxdsp, .xvcvuxdsp:
                // Doubleword i → single in word 2i, copied into word 2i + 1.
                for i in 0..<2 {
                    let r = narrow(convert(dw(b, i)))
                    t.setElement(2 * i, bytes: 4, r); t.setElement(2 * i + 1, bytes: 4, r)
                }
            default:
                for i in 0..<4 { t.setElement(i, bytes: 4, narrow(convert(word(i)))) }
            }
        case .xvcvdpsp:
            // Doubleword i rounded to single in word 2i, copied into word 2i + 1.
            for i in 0..<2 {
                let (r, e, _) = FPU.operate(.frsp, a: 0, b: dw(b, i), c: 0, rn: rn)!
                ex.formUnion(e)
                t.setElement(2 * i, bytes: 4, narrow(r)); t.setElement(2 * i + 1, bytes: 4, narrow(r))
            }
        case .xvcvspdp:
            for i in 0..<2 { t.setElement(i, bytes: 8, widenSingle(b.word(2 * i), &ex)) }
        default:
            return .raise(.program(.illegalInstruction))
        }
        vsr[w.xt] = t
        let (_, interrupt) = foldVSX(ex, result: nil, setsFPRF: false, vector: true)
        return interrupt ? .raise(.program(.floatingPointEnabled)) : nil
    }
}

/// Exceptions of a vector float-to-integer conversion so far, element by element in order.
struct ConversionFlags {
    var invalid = false, outOfRange = false, snan = false, inexact = false
}

extension Executor {
    /// One element of xvcvdpsxws … xvcvspuxds, as qemu-ppc64 converts it: truncated, a NaN
    /// gives the most negative signed value or 0 and an out-of-range value saturates; but once
    /// an earlier element (or this one) was invalid, qemu-ppc64 gives the rest of the elements
    /// that NaN value too, unless one was out of range, after which every element (NaNs too)
    /// gets the saturated conversion (NaN: the largest value) — its invalid flags accumulate
    /// over the elements of the instruction and decide each element's value.
    static func vectorToInteger(_ x: UInt64, word: Bool, unsigned: Bool, flags: inout ConversionFlags) -> UInt64 {
        let maxValue: UInt64 = unsigned ? (word ? 0xFFFF_FFFF : .max) : (word ? 0x7FFF_FFFF : UInt64(Int64.max))
        let minValue: UInt64 = unsigned ? 0 : (word ? 0xFFFF_FFFF_8000_0000 : UInt64(bitPattern: Int64.min))
        let nanValue: UInt64 = unsigned ? 0 : (word ? 0x8000_0000 : UInt64(bitPattern: Int64.min))
        var value: UInt64
        if FPU.isNaN(x) {
            flags.invalid = true
            if FPU.isSNaN(x) { flags.snan = true }
            value = maxValue
        } else {
            let d = Double(bitPattern: x), i = d.rounded(.towardZero)
            let lo: Double = unsigned ? 0 : (word ? -2147483648.0 : -9223372036854775808.0)
            let hi: Double = unsigned ? (word ? 4294967296.0 : 18446744073709551616.0) : (word ? 2147483648.0 : 9223372036854775808.0)
            if i < lo {
                flags.invalid = true; flags.outOfRange = true; value = minValue
            } else if i >= hi {
                flags.invalid = true; flags.outOfRange = true; value = maxValue
            } else {
                if i != d { flags.inexact = true }
                value = unsigned ? UInt64(i) : UInt64(bitPattern: Int64(i))
            }
        }
        if flags.invalid && !flags.outOfRange { value = nanValue }
        return value
    }
}

extension SIMD4 where Scalar == UInt32 {
    @inline(__always) var byteSwappedLanes: SIMD4<UInt32> { SIMD4(self[0].byteSwapped, self[1].byteSwapped, self[2].byteSwapped, self[3].byteSwapped) }
}

extension SIMD8 where Scalar == UInt16 {
    @inline(__always) var byteSwappedLanes: SIMD8<UInt16> {
        var r = self
        for i in 0..<8 { r[i] = self[i].byteSwapped }
        return r
    }
}

/// The Vector facility (VMX, Book I chapter 6) and VSX (chapter 7): out of line, entered from
/// the main switch's `default` path, so the hot switch gains no case and no code
/// (docs/PERFORMANCE.md: its dispatch is sensitive to code placement). Field names are the ISA's; elements are numbered as the ISA
/// numbers them, from the left (`Vector128`).
///
/// Where the ISA leaves a result undefined, lpar gives what qemu-ppc64 gives: the elements of
/// VRT that lvebx/lvehx/lvewx do not load, and VSR[XT].dword[1] after lxsdx, mtvsrd,
/// mtvsrwz and mtvsrwa, keep their old value; vsl, vsr, vslo and vsro take their shift count
/// from byte 15 of VRB alone.

typealias LanesU8 = SIMD16<UInt8>
typealias LanesS8 = SIMD16<Int8>
typealias LanesU16 = SIMD8<UInt16>
typealias LanesS16 = SIMD8<Int16>
typealias LanesU32 = SIMD4<UInt32>
typealias LanesS32 = SIMD4<Int32>
typealias LanesU64 = SIMD2<UInt64>
typealias LanesS64 = SIMD2<Int64>

extension Op {
    /// The rows of VectorExecutor.swift, VectorInteger.swift and VSXFloatingPoint.swift: `lvx` … `stxvll`, declared together in `Op`.
    @inlinable @inline(__always) public var isVectorFacility: Bool { rawValue >= Op.lvx.rawValue && rawValue <= Op.stxvll.rawValue }
    /// The VSX ones among them: `lxvd2x` … `stxvll`.
    @inlinable @inline(__always) public var isVSX: Bool { rawValue >= Op.lxvd2x.rawValue }
}

extension Executor {
    /// Entry from the main switch's `default` for every `isVectorFacility` op.
    @inline(never) func executeVectorFacility<O: ExecutionObserver>(_ op: Op, _ w: InstructionWord, _ o: inout O) -> ExecutionExit? {
        op.isVSX ? executeVSX(op, w, &o) : executeVector(op, w, &o)
    }

    @inline(__always) var vr: VRFile { VRFile(s) }
    @inline(__always) var vsr: VSRFile { VSRFile(s) }

    /// Sets VSCR[SAT] (sticky) when `saturated`.
    @inline(__always) func noteSaturation(_ saturated: Bool) {
        if saturated { s[RegisterSlot.vscr] |= VSCR.sat }
    }

    /// The 16 bytes at `ea` (dword[0] from ea, dword[1] from ea + 8); nil on fault, with
    /// nothing written.
    @inline(__always) func loadQuadword<O: ExecutionObserver>(_ ea: UInt64, _ o: inout O) -> Vector128? {
        guard let high = load(ea, 8, &o), let low = load(ea &+ 8, 8, &o) else { return nil }
        return Vector128(high: high, low: low)
    }

    /// Stores `v` at `ea` through the engine's store path (code-page invalidation included).
    /// Untranslated, the whole quadword is checked first, so a faulting store writes nothing;
    /// translated, a misaligned store whose second doubleword faults has written its first,
    /// which the ISA allows for an interrupted misaligned access (Book III 6.7).
    @inline(__always) func storeQuadword<O: ExecutionObserver>(_ ea: UInt64, _ v: Vector128, _ o: inout O) -> ExecutionExit? {
        let translated = O.translates && s[RegisterSlot.msr] & MSR.dr != 0
        if !translated && !(ea &- nullGuard <= ramSpan &- 16) && !memory.isWritable(ea & realModeMask, 16) {
            return fault(ea, 16, .store)
        }
        // A Linux process: both pages writable before the first doubleword is stored.
        if O.checksAccess && !translated && !memory.isWritable(ea, 16) { return fault(ea, 16, .store) }
        guard store(ea, 8, v.high, &o) else { return fault(ea, 16, .store) }
        guard store(ea &+ 8, 8, v.low, &o) else { return fault(ea &+ 8, 8, .store) }
        return nil
    }

    /// CR6 of a vector compare with Rc = 1: 0b1000 when the relation held for every element,
    /// 0b0010 when it held for none (Book I 6.9.3).
    @inline(__always) func setCR6(allTrue: Bool, noneTrue: Bool) {
        let bits: UInt32 = (allTrue ? 8 : 0) | (noneTrue ? 2 : 0)
        cr = (cr & ~(0xF << 4)) | (bits << 4)
    }

    // MARK: - VMX

    /// VRT = f(VRA, VRB), element by element over lanes of type V.
    @inline(__always) func vectorBinary<V: SIMD>(_ w: InstructionWord, _: V.Type, _ f: (V, V) -> V) {
        vr[w.vrt] = Vector128(lanes: f(vr[w.vra].lanes(V.self), vr[w.vrb].lanes(V.self)))
    }

    /// Unsigned saturating add or subtract: VRT = Clamp(VRA ± VRB), VSCR[SAT] when any clamped.
    @inline(__always) func vectorSaturatingUnsigned<V: SIMD>(_ w: InstructionWord, _: V.Type, subtract: Bool)
    where V.Scalar: FixedWidthInteger & UnsignedInteger {
        let a = vr[w.vra].lanes(V.self), b = vr[w.vrb].lanes(V.self)
        let r: V, clamped: SIMDMask<V.MaskStorage>
        if subtract {
            clamped = a .< b
            r = (a &- b).replacing(with: 0, where: clamped)
        } else {
            let sum = a &+ b
            clamped = sum .< a
            r = sum.replacing(with: .max, where: clamped)
        }
        vr[w.vrt] = Vector128(lanes: r)
        noteSaturation(any(clamped))
    }

    /// Signed saturating add or subtract: an element that overflows becomes the largest or
    /// smallest value of its sign (that of VRA's element).
    @inline(__always) func vectorSaturatingSigned<V: SIMD>(_ w: InstructionWord, _: V.Type, subtract: Bool)
    where V.Scalar: FixedWidthInteger & SignedInteger {
        let a = vr[w.vra].lanes(V.self), b = vr[w.vrb].lanes(V.self)
        let r = subtract ? a &- b : a &+ b
        // Overflow: the operands (b negated for subtract) have one sign and the result the other.
        let overflow = (subtract ? (a ^ b) & (a ^ r) : (a ^ r) & (b ^ r)) .< 0
        let limit = V(repeating: .max).replacing(with: .min, where: a .< 0)
        vr[w.vrt] = Vector128(lanes: r.replacing(with: limit, where: overflow))
        noteSaturation(any(overflow))
    }

    /// A compare: VRT's elements all ones where `relation` holds, else zero; CR6 with Rc = 1.
    @inline(__always) func vectorCompare<V: SIMD>(_ w: InstructionWord, _: V.Type, _ relation: (V, V) -> SIMDMask<V.MaskStorage>)
    where V.Scalar: FixedWidthInteger {
        let holds = relation(vr[w.vra].lanes(V.self), vr[w.vrb].lanes(V.self))
        vr[w.vrt] = Vector128(lanes: V(repeating: 0).replacing(with: ~0, where: holds))
        if w.vcRc { setCR6(allTrue: all(holds), noneTrue: !any(holds)) }
    }

    /// Merge high (`low` false) or low: VRT's elements alternate VRA's and VRB's elements of
    /// the high (low) half, VRA's first.
    @inline(__always) func vectorMerge(_ w: InstructionWord, bytes: Int, low: Bool) {
        let a = vr[w.vra], b = vr[w.vrb]
        let n = 8 / bytes, first = low ? n : 0
        var t = Vector128.zero
        for i in 0..<n {
            t.setElement(2 * i, bytes: bytes, a.element(first + i, bytes: bytes))
            t.setElement(2 * i + 1, bytes: bytes, b.element(first + i, bytes: bytes))
        }
        vr[w.vrt] = t
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    @inline(never) func executeVector<O: ExecutionObserver>(_ op: Op, _ w: InstructionWord, _ o: inout O) -> ExecutionExit? {
        if s[RegisterSlot.msr] & MSR.vec == 0 { return .raise(.vectorUnavailable) }
        switch op {
        // MARK: Loads and stores (6.7). EA = (RA|0) + (RB).
        case .lvx, .lvxl:
            // The quadword containing EA: bits 60:63 ignored (lvxl's LRU hint means nothing here).
            let ea = xEA(w) & ~15
            guard let v = loadQuadword(ea, &o) else { return fault(ea, 16, .load) }
            vr[w.vrt] = v
        case .stvx, .stvxl:
            let ea = xEA(w) & ~15
            if let exit = storeQuadword(ea, vr[w.vrt], &o) { return exit }
        case .lvebx, .lvehx, .lvewx:
            // The element at EA (aligned down to its size) goes to element position eb = EA[60:63].
            let size = op == .lvebx ? 1 : op == .lvehx ? 2 : 4
            let ea = xEA(w) & ~UInt64(size - 1)
            guard let value = load(ea, size, &o) else { return fault(ea, UInt64(size), .load) }
            var t = vr[w.vrt]
            t.setElement(Int(ea & 15) / size, bytes: size, value)
            vr[w.vrt] = t
        case .stvebx, .stvehx, .stvewx:
            let size = op == .stvebx ? 1 : op == .stvehx ? 2 : 4
            let ea = xEA(w) & ~UInt64(size - 1)
            let value = vr[w.vrt].element(Int(ea & 15) / size, bytes: size)
            guard store(ea, size, value, &o) else { return fault(ea, UInt64(size), .store) }
        case .lvsl, .lvsr:
            // sh = EA[60:63]; byte i of VRT = sh + i (lvsl) or 16 - sh + i (lvsr).
            let sh = Int(xEA(w) & 15)
            var t = Vector128.zero
            for i in 0..<16 { t.setByte(i, UInt8(op == .lvsl ? sh + i : 16 - sh + i)) }
            vr[w.vrt] = t
        case .mfvscr:
            vr[w.vrt] = Vector128(high: 0, low: s[RegisterSlot.vscr] & 0xFFFF_FFFF)
        case .mtvscr:
            s[RegisterSlot.vscr] = UInt64(vr[w.vrb].word(3))

        // MARK: Logical (6.11)
        case .vand: vr[w.vrt] = vr[w.vra] & vr[w.vrb]
        case .vandc: vr[w.vrt] = vr[w.vra] & ~vr[w.vrb]
        case .vor: vr[w.vrt] = vr[w.vra] | vr[w.vrb]
        case .vorc: vr[w.vrt] = vr[w.vra] | ~vr[w.vrb]
        case .vxor: vr[w.vrt] = vr[w.vra] ^ vr[w.vrb]
        case .vnor: vr[w.vrt] = ~(vr[w.vra] | vr[w.vrb])
        case .vnand: vr[w.vrt] = ~(vr[w.vra] & vr[w.vrb])
        case .veqv: vr[w.vrt] = ~(vr[w.vra] ^ vr[w.vrb])
        case .vsel:
            // Each bit from VRB where VRC's bit is 1, else from VRA.
            let c = vr[w.vrc]
            vr[w.vrt] = (vr[w.vra] & ~c) | (vr[w.vrb] & c)

        // MARK: Permute and formatting (6.8)
        case .vperm, .vpermr:
            // Byte i of VRT = byte index of VRA || VRB, index = VRC.byte[i][3:7]
            // (vpermr: 31 - that, the right-indexed form).
            vr[w.vrt] = Vector128.permute(vr[w.vra], vr[w.vrb], control: vr[w.vrc], rightIndexed: op == .vpermr)
        case .vsldoi:
            // VRT = bytes SHB … SHB+15 of VRA || VRB.
            let a = vr[w.vra], b = vr[w.vrb], shb = w.shb
            vr[w.vrt] = shb == 0 ? a : a.shiftedLeft(8 * shb) | b.shiftedRight(128 - 8 * shb)
        case .vspltb: vr[w.vrt] = Vector128(splat: vr[w.vrb].element(w.ra & 15, bytes: 1), bytes: 1)
        case .vsplth: vr[w.vrt] = Vector128(splat: vr[w.vrb].element(w.ra & 7, bytes: 2), bytes: 2)
        case .vspltw: vr[w.vrt] = Vector128(splat: vr[w.vrb].element(w.ra & 3, bytes: 4), bytes: 4)
        case .vspltisb: vr[w.vrt] = Vector128(splat: UInt64(bitPattern: w.sim), bytes: 1)
        case .vspltish: vr[w.vrt] = Vector128(splat: UInt64(bitPattern: w.sim), bytes: 2)
        case .vspltisw: vr[w.vrt] = Vector128(splat: UInt64(bitPattern: w.sim), bytes: 4)
        case .vmrghb: vectorMerge(w, bytes: 1, low: false)
        case .vmrghh: vectorMerge(w, bytes: 2, low: false)
        case .vmrghw: vectorMerge(w, bytes: 4, low: false)
        case .vmrglb: vectorMerge(w, bytes: 1, low: true)
        case .vmrglh: vectorMerge(w, bytes: 2, low: true)
        case .vmrglw: vectorMerge(w, bytes: 4, low: true)
        case .vslo, .vsro:
            // Shift by octets: shb = VRB[121:124].
            let shb = Int(vr[w.vrb].byte(15) >> 3) & 15
            vr[w.vrt] = op == .vslo ? vr[w.vra].shiftedLeft(8 * shb) : vr[w.vra].shiftedRight(8 * shb)
        case .vsl, .vsr:
            // Shift by bits: sh = VRB[125:127] (the ISA wants it in every byte; undefined otherwise).
            let sh = Int(vr[w.vrb].byte(15) & 7)
            vr[w.vrt] = op == .vsl ? vr[w.vra].shiftedLeft(sh) : vr[w.vra].shiftedRight(sh)

        // MARK: Integer add and subtract (6.9.1)
        case .vaddubm: vectorBinary(w, LanesU8.self) { $0 &+ $1 }
        case .vadduhm: vectorBinary(w, LanesU16.self) { $0 &+ $1 }
        case .vadduwm: vectorBinary(w, LanesU32.self) { $0 &+ $1 }
        case .vaddudm: vectorBinary(w, LanesU64.self) { $0 &+ $1 }
        case .vsububm: vectorBinary(w, LanesU8.self) { $0 &- $1 }
        case .vsubuhm: vectorBinary(w, LanesU16.self) { $0 &- $1 }
        case .vsubuwm: vectorBinary(w, LanesU32.self) { $0 &- $1 }
        case .vsubudm: vectorBinary(w, LanesU64.self) { $0 &- $1 }
        case .vaddcuw:
            // The carry out of each word's unsigned sum.
            vectorBinary(w, LanesU32.self) { a, b in LanesU32(repeating: 0).replacing(with: 1, where: (a &+ b) .< a) }
        case .vsubcuw:
            // The carry of VRA + ¬VRB + 1: 1 where no borrow (VRA ≥ VRB unsigned).
            vectorBinary(w, LanesU32.self) { a, b in LanesU32(repeating: 0).replacing(with: 1, where: a .>= b) }
        case .vaddubs: vectorSaturatingUnsigned(w, LanesU8.self, subtract: false)
        case .vadduhs: vectorSaturatingUnsigned(w, LanesU16.self, subtract: false)
        case .vadduws: vectorSaturatingUnsigned(w, LanesU32.self, subtract: false)
        case .vsububs: vectorSaturatingUnsigned(w, LanesU8.self, subtract: true)
        case .vsubuhs: vectorSaturatingUnsigned(w, LanesU16.self, subtract: true)
        case .vsubuws: vectorSaturatingUnsigned(w, LanesU32.self, subtract: true)
        case .vaddsbs: vectorSaturatingSigned(w, LanesS8.self, subtract: false)
        case .vaddshs: vectorSaturatingSigned(w, LanesS16.self, subtract: false)
        case .vaddsws: vectorSaturatingSigned(w, LanesS32.self, subtract: false)
        case .vsubsbs: vectorSaturatingSigned(w, LanesS8.self, subtract: true)
        case .vsubshs: vectorSaturatingSigned(w, LanesS16.self, subtract: true)
        case .vsubsws: vectorSaturatingSigned(w, LanesS32.self, subtract: true)
        case .vadduqm, .vaddcuq, .vsubuqm, .vsubcuq, .vaddeuqm, .vaddecuq, .vsubeuqm, .vsubecuq:
            // Quadword: VRA + VRB (or + ¬VRB + 1 to subtract); the extended forms take the carry
            // in from VRC[127] instead of 1. The c forms write the carry out (0 or 1) instead.
            let subtract = op == .vsubuqm || op == .vsubcuq || op == .vsubeuqm || op == .vsubecuq
            let extended = op == .vaddeuqm || op == .vaddecuq || op == .vsubeuqm || op == .vsubecuq
            let b = subtract ? ~vr[w.vrb] : vr[w.vrb]
            let carryIn = extended ? vr[w.vrc].low & 1 : subtract ? 1 : 0
            let (sum, carry) = Vector128.add(vr[w.vra], b, carryIn: carryIn)
            let writesCarry = op == .vaddcuq || op == .vsubcuq || op == .vaddecuq || op == .vsubecuq
            vr[w.vrt] = writesCarry ? Vector128(high: 0, low: carry) : sum

        // MARK: Integer compare (6.9.3)
        case .vcmpequb: vectorCompare(w, LanesU8.self) { $0 .== $1 }
        case .vcmpequh: vectorCompare(w, LanesU16.self) { $0 .== $1 }
        case .vcmpequw: vectorCompare(w, LanesU32.self) { $0 .== $1 }
        case .vcmpequd: vectorCompare(w, LanesU64.self) { $0 .== $1 }
        case .vcmpgtub: vectorCompare(w, LanesU8.self) { $0 .> $1 }
        case .vcmpgtuh: vectorCompare(w, LanesU16.self) { $0 .> $1 }
        case .vcmpgtuw: vectorCompare(w, LanesU32.self) { $0 .> $1 }
        case .vcmpgtud: vectorCompare(w, LanesU64.self) { $0 .> $1 }
        case .vcmpgtsb: vectorCompare(w, LanesS8.self) { $0 .> $1 }
        case .vcmpgtsh: vectorCompare(w, LanesS16.self) { $0 .> $1 }
        case .vcmpgtsw: vectorCompare(w, LanesS32.self) { $0 .> $1 }
        case .vcmpgtsd: vectorCompare(w, LanesS64.self) { $0 .> $1 }
        case .vcmpneb: vectorCompare(w, LanesU8.self) { $0 .!= $1 }
        case .vcmpneh: vectorCompare(w, LanesU16.self) { $0 .!= $1 }
        case .vcmpnew: vectorCompare(w, LanesU32.self) { $0 .!= $1 }
        // Not equal, or either element zero (the end of a string).
        case .vcmpnezb: vectorCompare(w, LanesU8.self) { a, b in (a .!= b) .| (a .== 0) .| (b .== 0) }
        case .vcmpnezh: vectorCompare(w, LanesU16.self) { a, b in (a .!= b) .| (a .== 0) .| (b .== 0) }
        case .vcmpnezw: vectorCompare(w, LanesU32.self) { a, b in (a .!= b) .| (a .== 0) .| (b .== 0) }

        // MARK: Integer maximum and minimum (6.9.2)
        case .vmaxub: vectorBinary(w, LanesU8.self) { pointwiseMax($0, $1) }
        case .vmaxuh: vectorBinary(w, LanesU16.self) { pointwiseMax($0, $1) }
        case .vmaxuw: vectorBinary(w, LanesU32.self) { pointwiseMax($0, $1) }
        case .vmaxud: vectorBinary(w, LanesU64.self) { pointwiseMax($0, $1) }
        case .vmaxsb: vectorBinary(w, LanesS8.self) { pointwiseMax($0, $1) }
        case .vmaxsh: vectorBinary(w, LanesS16.self) { pointwiseMax($0, $1) }
        case .vmaxsw: vectorBinary(w, LanesS32.self) { pointwiseMax($0, $1) }
        case .vmaxsd: vectorBinary(w, LanesS64.self) { pointwiseMax($0, $1) }
        case .vminub: vectorBinary(w, LanesU8.self) { pointwiseMin($0, $1) }
        case .vminuh: vectorBinary(w, LanesU16.self) { pointwiseMin($0, $1) }
        case .vminuw: vectorBinary(w, LanesU32.self) { pointwiseMin($0, $1) }
        case .vminud: vectorBinary(w, LanesU64.self) { pointwiseMin($0, $1) }
        case .vminsb: vectorBinary(w, LanesS8.self) { pointwiseMin($0, $1) }
        case .vminsh: vectorBinary(w, LanesS16.self) { pointwiseMin($0, $1) }
        case .vminsw: vectorBinary(w, LanesS32.self) { pointwiseMin($0, $1) }
        case .vminsd: vectorBinary(w, LanesS64.self) { pointwiseMin($0, $1) }

        // MARK: Rotate and shift by element (6.9.6): count = low log2(bits) bits of VRB's element
        case .vrlb: vectorBinary(w, LanesU8.self) { $0 &<< $1 | $0 &>> (8 &- $1) }
        case .vrlh: vectorBinary(w, LanesU16.self) { $0 &<< $1 | $0 &>> (16 &- $1) }
        case .vrlw: vectorBinary(w, LanesU32.self) { $0 &<< $1 | $0 &>> (32 &- $1) }
        case .vrld: vectorBinary(w, LanesU64.self) { $0 &<< $1 | $0 &>> (64 &- $1) }
        case .vslb: vectorBinary(w, LanesU8.self) { $0 &<< $1 }
        case .vslh: vectorBinary(w, LanesU16.self) { $0 &<< $1 }
        case .vslw: vectorBinary(w, LanesU32.self) { $0 &<< $1 }
        case .vsld: vectorBinary(w, LanesU64.self) { $0 &<< $1 }
        case .vsrb: vectorBinary(w, LanesU8.self) { $0 &>> $1 }
        case .vsrh: vectorBinary(w, LanesU16.self) { $0 &>> $1 }
        case .vsrw: vectorBinary(w, LanesU32.self) { $0 &>> $1 }
        case .vsrd: vectorBinary(w, LanesU64.self) { $0 &>> $1 }
        case .vsrab: vectorBinary(w, LanesS8.self) { $0 &>> $1 }
        case .vsrah: vectorBinary(w, LanesS16.self) { $0 &>> $1 }
        case .vsraw: vectorBinary(w, LanesS32.self) { $0 &>> $1 }
        case .vsrad: vectorBinary(w, LanesS64.self) { $0 &>> $1 }

        // MARK: Count leading zeros, population count (6.9.7), bit permute (6.9.8)
        case .vclzb: vr[w.vrt] = Vector128(lanes: vr[w.vrb].lanes(LanesU8.self).leadingZeroBitCount)
        case .vclzh: vr[w.vrt] = Vector128(lanes: vr[w.vrb].lanes(LanesU16.self).leadingZeroBitCount)
        case .vclzw: vr[w.vrt] = Vector128(lanes: vr[w.vrb].lanes(LanesU32.self).leadingZeroBitCount)
        case .vclzd: vr[w.vrt] = Vector128(lanes: vr[w.vrb].lanes(LanesU64.self).leadingZeroBitCount)
        case .vpopcntb: vr[w.vrt] = Vector128(lanes: vr[w.vrb].lanes(LanesU8.self).nonzeroBitCount)
        case .vpopcnth: vr[w.vrt] = Vector128(lanes: vr[w.vrb].lanes(LanesU16.self).nonzeroBitCount)
        case .vpopcntw: vr[w.vrt] = Vector128(lanes: vr[w.vrb].lanes(LanesU32.self).nonzeroBitCount)
        case .vpopcntd: vr[w.vrt] = Vector128(lanes: vr[w.vrb].lanes(LanesU64.self).nonzeroBitCount)
        case .vbpermq:
            // perm.bit[i] = VRA.bit[index] for index = VRB.byte[i] < 128, else 0;
            // VRT.dword[0] = EXTZ(perm), dword[1] = 0.
            let a = vr[w.vra], b = vr[w.vrb]
            var perm: UInt64 = 0
            for i in 0..<16 {
                let index = Int(b.byte(i))
                if index < 128 {
                    let d = index < 64 ? a.high : a.low
                    perm |= ((d &>> UInt64(63 - index & 63)) & 1) &<< UInt64(15 - i)
                }
            }
            vr[w.vrt] = Vector128(high: perm, low: 0)

        // MARK: Sums across (6.9.1.1): signed or unsigned, saturated to a word, VSCR[SAT]
        case .vsumsws, .vsum2sws, .vsum4sbs, .vsum4shs, .vsum4ubs:
            let a = vr[w.vra], b = vr[w.vrb]
            var t = Vector128.zero
            var saturated = false
            // The word of VRT at `i`: `sum` clamped to a signed (or, vsum4ubs, unsigned) word.
            func put(_ i: Int, _ sum: Int64) {
                let (low, high): (Int64, Int64) = op == .vsum4ubs ? (0, Int64(UInt32.max)) : (Int64(Int32.min), Int64(Int32.max))
                let clamped = min(max(sum, low), high)
                if clamped != sum { saturated = true }
                t.setElement(i, bytes: 4, UInt64(bitPattern: clamped))
            }
            func sword(_ v: Vector128, _ i: Int) -> Int64 { Int64(Int32(truncatingIfNeeded: v.element(i, bytes: 4))) }
            switch op {
            case .vsumsws:
                // word 3 = Clamp(Σ VRA.word[0…3] + VRB.word[3]); words 0-2 = 0.
                put(3, sword(a, 0) + sword(a, 1) + sword(a, 2) + sword(a, 3) + sword(b, 3))
            case .vsum2sws:
                // word 2j+1 = Clamp(VRA.word[2j] + VRA.word[2j+1] + VRB.word[2j+1]); words 2j = 0.
                for j in 0..<2 { put(2 * j + 1, sword(a, 2 * j) + sword(a, 2 * j + 1) + sword(b, 2 * j + 1)) }
            default:
                // word i = Clamp(Σ bytes (halfwords) of VRA.word[i] + VRB.word[i]).
                for i in 0..<4 {
                    var sum = op == .vsum4ubs ? Int64(b.element(i, bytes: 4)) : sword(b, i)
                    switch op {
                    case .vsum4sbs: for k in 0..<4 { sum += Int64(Int8(truncatingIfNeeded: a.element(4 * i + k, bytes: 1))) }
                    case .vsum4shs: for k in 0..<2 { sum += Int64(Int16(truncatingIfNeeded: a.element(2 * i + k, bytes: 2))) }
                    default: for k in 0..<4 { sum += Int64(a.element(4 * i + k, bytes: 1)) }
                    }
                    put(i, sum)
                }
            }
            vr[w.vrt] = t
            noteSaturation(saturated)
        default:
            // `vextublx` … `vbpermd` (VectorInteger.swift).
            return op.rawValue >= Op.vextublx.rawValue ? executeVectorInteger(op, w) : .raise(.program(.illegalInstruction))
        }
        return nil
    }

    // MARK: - VSX

    /// The facility a VSX instruction needs for VSR `x` when the ISA splits it by register
    /// (lxvx, lxv, xxspltib, mtvsrdd…: VSX for VSR 0-31, the Vector facility for 32-63).
    @inline(__always) func vsxOrVector(_ x: Int) -> ExecutionExit? {
        let msr = s[RegisterSlot.msr]
        if x < 32 { return msr & MSR.vsx == 0 ? .raise(.vsxUnavailable) : nil }
        return msr & MSR.vec == 0 ? .raise(.vectorUnavailable) : nil
    }

    /// The same for mfvsrd, mtvsrd, mfvsrwz, mtvsrwz, mtvsrwa: VSR 0-31 are the FPRs there.
    @inline(__always) func fpOrVector(_ x: Int) -> ExecutionExit? {
        let msr = s[RegisterSlot.msr]
        if x < 32 { return msr & MSR.fp == 0 ? .raise(.floatingPointUnavailable) : nil }
        return msr & MSR.vec == 0 ? .raise(.vectorUnavailable) : nil
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    @inline(never) func executeVSX<O: ExecutionObserver>(_ op: Op, _ w: InstructionWord, _ o: inout O) -> ExecutionExit? {
        // Floating point, byte reversal and the scalar integer-element loads and stores:
        // `xsadddp` … `stxvll` (VSXFloatingPoint.swift).
        if op.rawValue >= Op.xsadddp.rawValue { return executeVSXFloat(op, w, &o) }
        let msr = s[RegisterSlot.msr]
        switch op {
        // MARK: Loads and stores (7.6). Big-endian: element order is memory order.
        case .lxvd2x, .lxvw4x, .lxvx, .lxvb16x, .lxvh8x:
            // ISA 3.0's lxvx, lxvb16x, lxvh8x split the facility by register half.
            if op == .lxvd2x || op == .lxvw4x { if msr & MSR.vsx == 0 { return .raise(.vsxUnavailable) } }
            else if let exit = vsxOrVector(w.xt) { return exit }
            let ea = xEA(w)
            guard let v = loadQuadword(ea, &o) else { return fault(ea, 16, .load) }
            vsr[w.xt] = v
        case .stxvd2x, .stxvw4x, .stxvx, .stxvb16x, .stxvh8x:
            if op == .stxvd2x || op == .stxvw4x { if msr & MSR.vsx == 0 { return .raise(.vsxUnavailable) } }
            else if let exit = vsxOrVector(w.xt) { return exit }
            if let exit = storeQuadword(xEA(w), vsr[w.xt], &o) { return exit }
        case .lxvwsx:
            // Every word = the word at EA.
            if let exit = vsxOrVector(w.xt) { return exit }
            let ea = xEA(w)
            guard let v = load(ea, 4, &o) else { return fault(ea, 4, .load) }
            vsr[w.xt] = Vector128(splat: v, bytes: 4)
        case .lxvdsx:
            // Both doublewords = the doubleword at EA.
            if msr & MSR.vsx == 0 { return .raise(.vsxUnavailable) }
            let ea = xEA(w)
            guard let v = load(ea, 8, &o) else { return fault(ea, 8, .load) }
            vsr[w.xt] = Vector128(high: v, low: v)
        case .lxv:
            if let exit = vsxOrVector(w.dqXT) { return exit }
            let ea = raOrZero(w) &+ UInt64(bitPattern: w.dq)
            guard let v = loadQuadword(ea, &o) else { return fault(ea, 16, .load) }
            vsr[w.dqXT] = v
        case .stxv:
            if let exit = vsxOrVector(w.dqXT) { return exit }
            if let exit = storeQuadword(raOrZero(w) &+ UInt64(bitPattern: w.dq), vsr[w.dqXT], &o) { return exit }
        case .lxsd, .lxssp:
            // VSR[VRT+32].dword[0] = the doubleword (lxssp: the single converted to double
            // format, as lfs); dword[1] = 0.
            if msr & MSR.vec == 0 { return .raise(.vectorUnavailable) }
            let ea = dsEA(w), size = op == .lxsd ? 8 : 4
            guard let v = load(ea, size, &o) else { return fault(ea, UInt64(size), .load) }
            vr[w.vrt] = Vector128(high: op == .lxsd ? v : FloatBits.doubleFromSingle(UInt32(truncatingIfNeeded: v)), low: 0)
        case .stxsd, .stxssp:
            if msr & MSR.vec == 0 { return .raise(.vectorUnavailable) }
            let ea = dsEA(w), d = vr[w.vrt].high
            let size = op == .stxsd ? 8 : 4
            guard store(ea, size, op == .stxsd ? d : UInt64(FloatBits.singleFromDouble(d)), &o) else {
                return fault(ea, UInt64(size), .store)
            }
        case .lxsdx:
            if msr & MSR.vsx == 0 { return .raise(.vsxUnavailable) }
            let ea = xEA(w)
            guard let v = load(ea, 8, &o) else { return fault(ea, 8, .load) }
            s[VSRFile.highSlot(w.xt)] = v   // dword[1] undefined: kept
        case .stxsdx:
            if msr & MSR.vsx == 0 { return .raise(.vsxUnavailable) }
            let ea = xEA(w)
            guard store(ea, 8, s[VSRFile.highSlot(w.xt)], &o) else { return fault(ea, 8, .store) }

        // MARK: Logical, select, permute, splat
        case .xxland, .xxlandc, .xxlor, .xxlorc, .xxlxor, .xxlnor, .xxlnand, .xxleqv, .xxsel, .xxpermdi, .xxsldwi, .xxspltw:
            if msr & MSR.vsx == 0 { return .raise(.vsxUnavailable) }
            let a = vsr[w.xa], b = vsr[w.xb]
            let t: Vector128
            switch op {
            case .xxland: t = a & b
            case .xxlandc: t = a & ~b
            case .xxlor: t = a | b
            case .xxlorc: t = a | ~b
            case .xxlxor: t = a ^ b
            case .xxlnor: t = ~(a | b)
            case .xxlnand: t = ~(a & b)
            case .xxleqv: t = ~(a ^ b)
            case .xxsel:
                let c = vsr[w.xc]
                t = (a & ~c) | (b & c)
            case .xxpermdi:
                // dword[0] = VSR[XA].dword[DM[0]], dword[1] = VSR[XB].dword[DM[1]].
                t = Vector128(high: w.dm & 2 == 0 ? a.high : a.low, low: w.dm & 1 == 0 ? b.high : b.low)
            case .xxsldwi:
                // Words SHW … SHW+3 of VSR[XA] || VSR[XB].
                let shw = w.dm
                t = shw == 0 ? a : a.shiftedLeft(32 * shw) | b.shiftedRight(128 - 32 * shw)
            default:  // xxspltw: every word = VSR[XB].word[UIM]
                t = Vector128(splat: UInt64(b.word(w.ra & 3)), bytes: 4)
            }
            vsr[w.xt] = t
        case .xxmrghw, .xxmrglw:
            // Words 0 and 1 (xxmrglw: 2 and 3) of XA and XB, alternating, XA's first.
            if msr & MSR.vsx == 0 { return .raise(.vsxUnavailable) }
            let a = vsr[w.xa], b = vsr[w.xb], first = op == .xxmrghw ? 0 : 2
            var t = Vector128.zero
            for i in 0..<2 {
                t.setElement(2 * i, bytes: 4, a.element(first + i, bytes: 4))
                t.setElement(2 * i + 1, bytes: 4, b.element(first + i, bytes: 4))
            }
            vsr[w.xt] = t
        case .xxperm, .xxpermr:
            // Byte i of XT = byte index of VSR[XA] || VSR[XT], index = VSR[XB].byte[i][3:7]
            // (xxpermr: 31 - that), as vperm with XT as the second source.
            if msr & MSR.vsx == 0 { return .raise(.vsxUnavailable) }
            vsr[w.xt] = Vector128.permute(vsr[w.xa], vsr[w.xt], control: vsr[w.xb], rightIndexed: op == .xxpermr)
        case .xxspltib:
            if let exit = vsxOrVector(w.xt) { return exit }
            vsr[w.xt] = Vector128(splatByte: UInt8(w.imm8))

        // MARK: Moves between GPRs and VSRs
        case .mfvsrd:
            if let exit = fpOrVector(w.xt) { return exit }
            g[w.ra] = vsr[w.xt].high
        case .mfvsrwz:
            if let exit = fpOrVector(w.xt) { return exit }
            g[w.ra] = vsr[w.xt].high & 0xFFFF_FFFF
        case .mtvsrd:
            if let exit = fpOrVector(w.xt) { return exit }
            s[VSRFile.highSlot(w.xt)] = g[w.ra]
        case .mtvsrwa:
            if let exit = fpOrVector(w.xt) { return exit }
            s[VSRFile.highSlot(w.xt)] = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: g[w.ra])))
        case .mtvsrwz:
            if let exit = fpOrVector(w.xt) { return exit }
            s[VSRFile.highSlot(w.xt)] = g[w.ra] & 0xFFFF_FFFF
        case .mfvsrld:
            if let exit = vsxOrVector(w.xt) { return exit }
            g[w.ra] = vsr[w.xt].low
        case .mtvsrws:
            if let exit = vsxOrVector(w.xt) { return exit }
            vsr[w.xt] = Vector128(splat: g[w.ra], bytes: 4)
        case .mtvsrdd:
            if let exit = vsxOrVector(w.xt) { return exit }
            vsr[w.xt] = Vector128(high: raOrZero(w), low: g[w.rb])
        default:
            return .raise(.program(.illegalInstruction))
        }
        return nil
    }
}

/// More of the Vector facility's integer instructions (Book I 6.8-6.9, ISA 3.0): element
/// extracts into GPRs, the VRA-selected unary forms (vctz*, vextsb2w, vnegw, vprtyb*,
/// vclzlsbb…), pack and unpack (saturating packs set VSCR[SAT]), even/odd word merges,
/// multiplies and multiply-sums, absolute differences and averages. Out of line, entered from
/// `executeVector`'s `default`.
extension Executor {
    /// VRT = f(VRB), element by element over lanes of type V.
    @inline(__always) func vectorUnary<V: SIMD>(_ w: InstructionWord, _: V.Type, _ f: (V) -> V) {
        vr[w.vrt] = Vector128(lanes: f(vr[w.vrb].lanes(V.self)))
    }

    /// Element `i` of `v` (`bytes` wide) sign-extended.
    @inline(__always) static func signed(_ v: Vector128, _ i: Int, _ bytes: Int) -> Int64 {
        let shift = UInt64(64 - 8 * bytes)
        return Int64(bitPattern: v.element(i, bytes: bytes) << shift) >> shift
    }

    /// Packs the elements of VRA then VRB (`bytes` wide each) into elements half as wide:
    /// modulo (the low half), or saturated to the narrower signed or unsigned range from a
    /// signed or unsigned source, setting VSCR[SAT] when any was clamped.
    @inline(__always) func vectorPack(_ w: InstructionWord, bytes: Int, signedSource: Bool, signedResult: Bool, saturate: Bool) {
        let a = vr[w.vra], b = vr[w.vrb]
        let n = 16 / bytes, half = bytes / 2, bits = 8 * half
        var t = Vector128.zero
        var saturated = false
        for i in 0..<(2 * n) {
            let src = i < n ? a : b, k = i % n
            var v: UInt64
            if !saturate {
                v = src.element(k, bytes: bytes)
            } else {
                let lo: Int64 = signedResult ? -(1 << (bits - 1)) : 0
                let hi: Int64 = signedResult ? (1 << (bits - 1)) - 1 : (bits == 32 ? 0xFFFF_FFFF : (1 << bits) - 1)
                if signedSource {
                    let x = Self.signed(src, k, bytes)
                    let c = min(max(x, lo), hi)
                    if c != x { saturated = true }
                    v = UInt64(bitPattern: c)
                } else {
                    let x = src.element(k, bytes: bytes)
                    if x > UInt64(hi) { saturated = true; v = UInt64(hi) } else { v = x }
                }
            }
            t.setElement(i, bytes: half, v)
        }
        vr[w.vrt] = t
        noteSaturation(saturated)
    }

    /// Multiply even (`odd` false) or odd elements of `bytes` bytes into double-width products.
    @inline(__always) func vectorMultiplyEvenOdd(_ w: InstructionWord, bytes: Int, signed: Bool, odd: Bool) {
        let a = vr[w.vra], b = vr[w.vrb]
        var t = Vector128.zero
        for i in 0..<(8 / bytes) {
            let k = 2 * i + (odd ? 1 : 0)
            let p: UInt64
            if signed {
                p = UInt64(bitPattern: Self.signed(a, k, bytes) &* Self.signed(b, k, bytes))
            } else {
                p = a.element(k, bytes: bytes) &* b.element(k, bytes: bytes)
            }
            t.setElement(i, bytes: 2 * bytes, p)
        }
        vr[w.vrt] = t
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    @inline(never) func executeVectorInteger(_ op: Op, _ w: InstructionWord) -> ExecutionExit? {
        switch op {
        // MARK: Extract an element into a GPR, indexed by GPR[RA] (byte index, from the left or right)
        case .vextublx, .vextuhlx, .vextuwlx, .vextubrx, .vextuhrx, .vextuwrx:
            let size = op == .vextublx || op == .vextubrx ? 1 : op == .vextuhlx || op == .vextuhrx ? 2 : 4
            let index = Int(g[w.ra] & 15)
            let v = vr[w.vrb]
            let left = op == .vextublx || op == .vextuhlx || op == .vextuwlx
            // Left: bytes index … index+size-1 counted from the left; right: from the right.
            // Bytes past the register read as 0.
            let shifted = left ? v.shiftedLeft(8 * index).shiftedRight(128 - 8 * size) : v.shiftedRight(8 * index)
            g[w.rt] = shifted.low & (size == 4 ? 0xFFFF_FFFF : (1 << UInt64(8 * size)) - 1)

        // MARK: VRA-selected unary forms (opcode 1538)
        case .vclzlsbb, .vctzlsbb:
            // The number of bytes, from the left (right), whose least significant bit is 0
            // before the first one whose bit is 1.
            let v = vr[w.vrb]
            var n = 0
            for k in 0..<16 {
                let i = op == .vclzlsbb ? k : 15 - k
                if v.byte(i) & 1 != 0 { break }
                n += 1
            }
            g[w.rt] = UInt64(n)
        case .vnegw: vectorUnary(w, LanesU32.self) { 0 &- $0 }
        case .vnegd: vectorUnary(w, LanesU64.self) { 0 &- $0 }
        case .vprtybw:
            // Parity of the least significant bits of each element's bytes.
            vectorUnary(w, LanesU32.self) { ($0 & 0x0101_0101).nonzeroBitCount & 1 }
        case .vprtybd:
            vectorUnary(w, LanesU64.self) { ($0 & 0x0101_0101_0101_0101).nonzeroBitCount & 1 }
        case .vprtybq:
            let v = vr[w.vrb]
            let p = ((v.high & 0x0101_0101_0101_0101).nonzeroBitCount + (v.low & 0x0101_0101_0101_0101).nonzeroBitCount) & 1
            vr[w.vrt] = Vector128(high: 0, low: UInt64(p))
        case .vextsb2w: vectorUnary(w, LanesU32.self) { Self.signExtendLanes($0, from: 8) }
        case .vextsh2w: vectorUnary(w, LanesU32.self) { Self.signExtendLanes($0, from: 16) }
        case .vextsb2d: vectorUnary(w, LanesU64.self) { Self.signExtendLanes($0, from: 8) }
        case .vextsh2d: vectorUnary(w, LanesU64.self) { Self.signExtendLanes($0, from: 16) }
        case .vextsw2d: vectorUnary(w, LanesU64.self) { Self.signExtendLanes($0, from: 32) }
        case .vctzb: vectorUnary(w, LanesU8.self) { $0.trailingZeroBitCount }
        case .vctzh: vectorUnary(w, LanesU16.self) { $0.trailingZeroBitCount }
        case .vctzw: vectorUnary(w, LanesU32.self) { $0.trailingZeroBitCount }
        case .vctzd: vectorUnary(w, LanesU64.self) { $0.trailingZeroBitCount }

        // MARK: Pack (6.8.1) and unpack (6.8.2)
        case .vpkuhum: vectorPack(w, bytes: 2, signedSource: false, signedResult: false, saturate: false)
        case .vpkuwum: vectorPack(w, bytes: 4, signedSource: false, signedResult: false, saturate: false)
        case .vpkudum: vectorPack(w, bytes: 8, signedSource: false, signedResult: false, saturate: false)
        case .vpkuhus: vectorPack(w, bytes: 2, signedSource: false, signedResult: false, saturate: true)
        case .vpkuwus: vectorPack(w, bytes: 4, signedSource: false, signedResult: false, saturate: true)
        case .vpkudus: vectorPack(w, bytes: 8, signedSource: false, signedResult: false, saturate: true)
        case .vpkshss: vectorPack(w, bytes: 2, signedSource: true, signedResult: true, saturate: true)
        case .vpkswss: vectorPack(w, bytes: 4, signedSource: true, signedResult: true, saturate: true)
        case .vpksdss: vectorPack(w, bytes: 8, signedSource: true, signedResult: true, saturate: true)
        case .vpkshus: vectorPack(w, bytes: 2, signedSource: true, signedResult: false, saturate: true)
        case .vpkswus: vectorPack(w, bytes: 4, signedSource: true, signedResult: false, saturate: true)
        case .vpksdus: vectorPack(w, bytes: 8, signedSource: true, signedResult: false, saturate: true)
        case .vupkhsb, .vupklsb, .vupkhsh, .vupklsh, .vupkhsw, .vupklsw:
            // The high (low) half's elements sign-extended to double width.
            let bytes = op == .vupkhsb || op == .vupklsb ? 1 : op == .vupkhsh || op == .vupklsh ? 2 : 4
            let low = op == .vupklsb || op == .vupklsh || op == .vupklsw
            let b = vr[w.vrb], n = 8 / bytes
            var t = Vector128.zero
            for i in 0..<n { t.setElement(i, bytes: 2 * bytes, UInt64(bitPattern: Self.signed(b, i + (low ? n : 0), bytes))) }
            vr[w.vrt] = t
        case .vmrgew, .vmrgow:
            // Even (odd) words of VRA and VRB, alternating, VRA's first.
            let a = vr[w.vra], b = vr[w.vrb], k = op == .vmrgew ? 0 : 1
            var t = Vector128.zero
            t.setElement(0, bytes: 4, a.element(k, bytes: 4)); t.setElement(1, bytes: 4, b.element(k, bytes: 4))
            t.setElement(2, bytes: 4, a.element(k + 2, bytes: 4)); t.setElement(3, bytes: 4, b.element(k + 2, bytes: 4))
            vr[w.vrt] = t

        // MARK: Multiply (6.9.1)
        case .vmuluwm: vectorBinary(w, LanesU32.self) { $0 &* $1 }
        case .vmuleub: vectorMultiplyEvenOdd(w, bytes: 1, signed: false, odd: false)
        case .vmulesb: vectorMultiplyEvenOdd(w, bytes: 1, signed: true, odd: false)
        case .vmuleuh: vectorMultiplyEvenOdd(w, bytes: 2, signed: false, odd: false)
        case .vmulesh: vectorMultiplyEvenOdd(w, bytes: 2, signed: true, odd: false)
        case .vmuleuw: vectorMultiplyEvenOdd(w, bytes: 4, signed: false, odd: false)
        case .vmulesw: vectorMultiplyEvenOdd(w, bytes: 4, signed: true, odd: false)
        case .vmuloub: vectorMultiplyEvenOdd(w, bytes: 1, signed: false, odd: true)
        case .vmulosb: vectorMultiplyEvenOdd(w, bytes: 1, signed: true, odd: true)
        case .vmulouh: vectorMultiplyEvenOdd(w, bytes: 2, signed: false, odd: true)
        case .vmulosh: vectorMultiplyEvenOdd(w, bytes: 2, signed: true, odd: true)
        case .vmulouw: vectorMultiplyEvenOdd(w, bytes: 4, signed: false, odd: true)
        case .vmulosw: vectorMultiplyEvenOdd(w, bytes: 4, signed: true, odd: true)
        case .vmsumubm, .vmsummbm, .vmsumuhm, .vmsumshm, .vmsumuhs, .vmsumshs:
            // Word i = VRC.word[i] + Σ products of the bytes (halfwords) of VRA.word[i] and
            // VRB.word[i]: modulo, or saturated to a word (VSCR[SAT]).
            let a = vr[w.vra], b = vr[w.vrb], c = vr[w.vrc]
            let bytes = op == .vmsumubm || op == .vmsummbm ? 1 : 2
            let per = 4 / bytes
            var t = Vector128.zero
            var saturated = false
            for i in 0..<4 {
                var sum: Int64 = op == .vmsumuhs ? Int64(c.element(i, bytes: 4)) : Self.signed(c, i, 4)
                for k in 0..<per {
                    let e = i * per + k
                    let x: Int64, y: Int64
                    switch op {
                    case .vmsumubm, .vmsumuhm, .vmsumuhs:
                        x = Int64(a.element(e, bytes: bytes)); y = Int64(b.element(e, bytes: bytes))
                    case .vmsummbm:
                        x = Self.signed(a, e, 1); y = Int64(b.element(e, bytes: 1))
                    default:
                        x = Self.signed(a, e, 2); y = Self.signed(b, e, 2)
                    }
                    sum += x * y
                }
                var v = UInt64(bitPattern: sum)
                if op == .vmsumuhs {
                    if sum > 0xFFFF_FFFF { v = 0xFFFF_FFFF; saturated = true }
                } else if op == .vmsumshs {
                    let c = min(max(sum, Int64(Int32.min)), Int64(Int32.max))
                    if c != sum { saturated = true }
                    v = UInt64(bitPattern: c)
                }
                t.setElement(i, bytes: 4, v)
            }
            vr[w.vrt] = t
            if op == .vmsumuhs || op == .vmsumshs { noteSaturation(saturated) }
        case .vmladduhm:
            // Halfword i = low 16 bits of VRA × VRB + VRC.
            let a = vr[w.vra].lanes(LanesU16.self), b = vr[w.vrb].lanes(LanesU16.self), c = vr[w.vrc].lanes(LanesU16.self)
            vr[w.vrt] = Vector128(lanes: a &* b &+ c)
        case .vmhaddshs, .vmhraddshs:
            // Halfword i = Clamp(((VRA × VRB) (+ 0x4000 rounded) >> 15) + VRC), VSCR[SAT].
            let a = vr[w.vra], b = vr[w.vrb], c = vr[w.vrc]
            var t = Vector128.zero
            var saturated = false
            for i in 0..<8 {
                var p = Self.signed(a, i, 2) * Self.signed(b, i, 2)
                if op == .vmhraddshs { p += 0x4000 }
                let sum = (p >> 15) + Self.signed(c, i, 2)
                let cl = min(max(sum, Int64(Int16.min)), Int64(Int16.max))
                if cl != sum { saturated = true }
                t.setElement(i, bytes: 2, UInt64(bitPattern: cl))
            }
            vr[w.vrt] = t
            noteSaturation(saturated)

        // MARK: Absolute difference, average (6.9.1)
        case .vabsdub: vectorBinary(w, LanesU8.self) { pointwiseMax($0, $1) &- pointwiseMin($0, $1) }
        case .vabsduh: vectorBinary(w, LanesU16.self) { pointwiseMax($0, $1) &- pointwiseMin($0, $1) }
        case .vabsduw: vectorBinary(w, LanesU32.self) { pointwiseMax($0, $1) &- pointwiseMin($0, $1) }
        case .vavgub: vectorBinary(w, LanesU8.self) { Self.average($0, $1) }
        case .vavguh: vectorBinary(w, LanesU16.self) { Self.average($0, $1) }
        case .vavguw: vectorBinary(w, LanesU32.self) { Self.average($0, $1) }
        case .vavgsb: vectorBinary(w, LanesS8.self) { Self.average($0, $1) }
        case .vavgsh: vectorBinary(w, LanesS16.self) { Self.average($0, $1) }
        case .vavgsw: vectorBinary(w, LanesS32.self) { Self.average($0, $1) }

        // MARK: Polynomial (carry-less) multiply-sum (6.9.1)
        case .vpmsumb, .vpmsumh, .vpmsumw, .vpmsumd:
            // Each double-width result element is the XOR of the carry-less products of the two
            // element pairs it covers.
            let bytes = op == .vpmsumb ? 1 : op == .vpmsumh ? 2 : op == .vpmsumw ? 4 : 8
            let a = vr[w.vra], b = vr[w.vrb]
            if bytes == 8 {
                let (h0, l0) = Self.carrylessMultiply(a.high, b.high)
                let (h1, l1) = Self.carrylessMultiply(a.low, b.low)
                vr[w.vrt] = Vector128(high: h0 ^ h1, low: l0 ^ l1)
            } else {
                var t = Vector128.zero
                for i in 0..<(8 / bytes) {
                    let p0 = Self.carrylessMultiply(a.element(2 * i, bytes: bytes), b.element(2 * i, bytes: bytes)).low
                    let p1 = Self.carrylessMultiply(a.element(2 * i + 1, bytes: bytes), b.element(2 * i + 1, bytes: bytes)).low
                    t.setElement(i, bytes: 2 * bytes, p0 ^ p1)
                }
                vr[w.vrt] = t
            }

        // MARK: Extract and insert an element at a byte index (6.8.3)
        case .vextractub, .vextractuh, .vextractuw, .vextractd:
            // dword 0 = the element at byte UIM, zero-extended; dword 1 = 0.
            let size = op == .vextractub ? 1 : op == .vextractuh ? 2 : op == .vextractuw ? 4 : 8
            let uim = w.ra & 15
            let v = vr[w.vrb].shiftedLeft(8 * uim).shiftedRight(128 - 8 * size)
            vr[w.vrt] = Vector128(high: v.low, low: 0)
        case .vinsertb, .vinserth, .vinsertw, .vinsertd:
            // Bytes UIM … of VRT = the rightmost element of VRB's dword 0; the rest kept.
            let size = op == .vinsertb ? 1 : op == .vinserth ? 2 : op == .vinsertw ? 4 : 8
            let uim = w.ra & 15
            let b = vr[w.vrb]
            var t = vr[w.vrt]
            for i in 0..<size where uim + i < 16 { t.setByte(uim + i, b.byte(8 - size + i)) }
            vr[w.vrt] = t

        // MARK: SHA-2 sigma functions (6.11.2), bit-matrix transpose and bit permute (6.9.8)
        case .vshasigmaw:
            // Word i: σ0/σ1 (ST = 0) or Σ0/Σ1 (ST = 1) of SHA-256, σ1/Σ1 where SIX bit i is 1.
            let st = w.rb >> 4 != 0, six = w.rb & 15
            var t = vr[w.vra]
            for i in 0..<4 {
                let x = UInt32(truncatingIfNeeded: t.element(i, bytes: 4))
                func ror(_ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
                let one = six & (8 >> i) != 0
                let r: UInt32 = st ? (one ? ror(6) ^ ror(11) ^ ror(25) : ror(2) ^ ror(13) ^ ror(22))
                                   : (one ? ror(17) ^ ror(19) ^ x >> 10 : ror(7) ^ ror(18) ^ x >> 3)
                t.setElement(i, bytes: 4, UInt64(r))
            }
            vr[w.vrt] = t
        case .vshasigmad:
            // Doubleword i: the SHA-512 functions, σ1/Σ1 where SIX bit 2i is 1.
            let st = w.rb >> 4 != 0, six = w.rb & 15
            var t = vr[w.vra]
            for i in 0..<2 {
                let x = t.element(i, bytes: 8)
                func ror(_ n: UInt64) -> UInt64 { x >> n | x << (64 - n) }
                let one = six & (8 >> (2 * i)) != 0
                let r: UInt64 = st ? (one ? ror(14) ^ ror(18) ^ ror(41) : ror(28) ^ ror(34) ^ ror(39))
                                   : (one ? ror(19) ^ ror(61) ^ x >> 6 : ror(1) ^ ror(8) ^ x >> 7)
                t.setElement(i, bytes: 8, r)
            }
            vr[w.vrt] = t
        case .vgbbd:
            // Each doubleword as an 8×8 bit matrix, transposed: bit 8m+n = bit 8n+m.
            let b = vr[w.vrb]
            var t = Vector128.zero
            for i in 0..<2 {
                let x = b.element(i, bytes: 8)
                var r: UInt64 = 0
                for m in 0..<8 {
                    for n in 0..<8 where (x >> UInt64(63 - (8 * n + m))) & 1 != 0 { r |= 1 << UInt64(63 - (8 * m + n)) }
                }
                t.setElement(i, bytes: 8, r)
            }
            vr[w.vrt] = t
        case .vbpermd:
            // Doubleword i: bit j of its low byte = VRA.dword[i].bit[VRB.dword[i].byte[j]] (0 past 63).
            let a = vr[w.vra], b = vr[w.vrb]
            var t = Vector128.zero
            for i in 0..<2 {
                let x = a.element(i, bytes: 8)
                var perm: UInt64 = 0
                for j in 0..<8 {
                    let index = b.element(8 * i + j, bytes: 1)
                    if index < 64 && (x >> (63 - index)) & 1 != 0 { perm |= 1 << UInt64(7 - j) }
                }
                t.setElement(i, bytes: 8, perm)
            }
            vr[w.vrt] = t
        default:
            return .raise(.program(.illegalInstruction))
        }
        return nil
    }

    /// The 128-bit carry-less product of `a` and `b` (high, low).
    @inline(__always) static func carrylessMultiply(_ a: UInt64, _ b: UInt64) -> (high: UInt64, low: UInt64) {
        var high: UInt64 = 0, low: UInt64 = 0
        var bits = b
        while bits != 0 {
            let i = UInt64(bits.trailingZeroBitCount)
            low ^= a &<< i
            if i != 0 { high ^= a &>> (64 &- i) }
            bits &= bits &- 1
        }
        return (high, low)
    }

    /// (a + b + 1) >> 1 without overflow, lane by lane (arithmetic shifts for signed lanes).
    @inline(__always) static func average<V: SIMD>(_ a: V, _ b: V) -> V where V.Scalar: FixedWidthInteger {
        let one = V(repeating: 1)
        let half = (a &>> one) &+ (b &>> one)
        return half &+ ((a | b) & one)
    }

    /// Each lane's low `bits` bits sign-extended to the lane.
    @inline(__always) static func signExtendLanes<V: SIMD>(_ v: V, from bits: Int) -> V where V.Scalar: FixedWidthInteger & UnsignedInteger {
        let shift = V(repeating: V.Scalar(V.Scalar.bitWidth - bits))
        var r = v
        for i in 0..<v.scalarCount {
            let x = v[i] << shift[i]
            // Arithmetic shift right of the unsigned lane: fill with its top bit.
            let negative = x >> (V.Scalar.bitWidth - 1) != 0
            r[i] = negative ? ~(~x >> shift[i]) : x >> shift[i]
        }
        return r
    }
}

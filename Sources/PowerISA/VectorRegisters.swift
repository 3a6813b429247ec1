/// Vector state (issue 16): the 64 VSX registers, of which VSR 0-31 overlay the FPRs in their
/// high doubleword and VSR 32-63 are the VMX registers VR 0-31, and VSCR (Book I 6.3, 7.2).
///
/// Slots in the flat register file (`RegisterSlot`): VSR[x].dword[0] of x < 32 is FPR x
/// (`fpr0 + x`), its dword[1] is `vsrLow0 + x`; VSR[32 + n] = VR[n] is `vr0 + 2n` (dword[0])
/// and `vr0 + 2n + 1` (dword[1]); VSCR is the low word of `vscr`.

#if _endian(big)
#error("Vector128's SIMD lane views assume a little-endian host")
#endif

/// A 128-bit register value as the ISA numbers it: doubleword 0 (`high`) holds bits 0:63, the
/// most significant, and element i of any size counts from the left (big-endian element
/// order: byte 0 is bits 0:7, word 3 is bits 96:127).
@frozen
public struct Vector128: Equatable, Sendable, CustomStringConvertible {
    /// dword[0]: bits 0:63.
    public var high: UInt64
    /// dword[1]: bits 64:127.
    public var low: UInt64

    @inlinable @inline(__always) public init(high: UInt64, low: UInt64) { self.high = high; self.low = low }
    public static let zero = Vector128(high: 0, low: 0)

    public var description: String {
        let h = String(high, radix: 16), l = String(low, radix: 16)
        return "0x" + String(repeating: "0", count: 16 - h.count) + h + "_" + String(repeating: "0", count: 16 - l.count) + l
    }

    // MARK: Elements in ISA order

    /// Element `i` of `bytes` bytes (1, 2, 4 or 8), zero-extended: bits i×8×bytes : … of the
    /// register.
    @inlinable @inline(__always) public func element(_ i: Int, bytes: Int) -> UInt64 {
        let start = i &* bytes &* 8                   // first bit, ISA numbering
        let d = start < 64 ? high : low
        let width = UInt64(bytes &* 8)
        let shift = 64 &- UInt64(start & 63) &- width
        let mask: UInt64 = width == 64 ? .max : (1 &<< width) &- 1
        return (d &>> shift) & mask
    }

    @inlinable @inline(__always) public mutating func setElement(_ i: Int, bytes: Int, _ v: UInt64) {
        let start = i &* bytes &* 8
        let width = UInt64(bytes &* 8)
        let shift = 64 &- UInt64(start & 63) &- width
        let mask: UInt64 = (width == 64 ? .max : (1 &<< width) &- 1) &<< shift
        if start < 64 { high = (high & ~mask) | ((v &<< shift) & mask) } else { low = (low & ~mask) | ((v &<< shift) & mask) }
    }

    @inlinable @inline(__always) public func byte(_ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: element(i, bytes: 1)) }
    @inlinable @inline(__always) public mutating func setByte(_ i: Int, _ v: UInt8) { setElement(i, bytes: 1, UInt64(v)) }
    @inlinable @inline(__always) public func word(_ i: Int) -> UInt32 { UInt32(truncatingIfNeeded: element(i, bytes: 4)) }

    /// Every byte `b` (vspltisb, xxspltib…).
    @inlinable @inline(__always) public init(splatByte b: UInt8) {
        let d = UInt64(b) &* 0x0101_0101_0101_0101
        self.init(high: d, low: d)
    }
    /// Every element of `bytes` bytes equal to the low bits of `v`.
    @inlinable @inline(__always) public init(splat v: UInt64, bytes: Int) {
        let width = UInt64(bytes &* 8)
        var d = width == 64 ? v : v & ((1 &<< width) &- 1)
        var w = width
        while w < 64 { d |= d &<< w; w &*= 2 }
        self.init(high: d, low: d)
    }

    // MARK: Whole-register operations

    @inlinable @inline(__always) public static func & (a: Vector128, b: Vector128) -> Vector128 { Vector128(high: a.high & b.high, low: a.low & b.low) }
    @inlinable @inline(__always) public static func | (a: Vector128, b: Vector128) -> Vector128 { Vector128(high: a.high | b.high, low: a.low | b.low) }
    @inlinable @inline(__always) public static func ^ (a: Vector128, b: Vector128) -> Vector128 { Vector128(high: a.high ^ b.high, low: a.low ^ b.low) }
    @inlinable @inline(__always) public static prefix func ~ (a: Vector128) -> Vector128 { Vector128(high: ~a.high, low: ~a.low) }

    /// The register shifted left by `n` bits (0…127), zeros shifted in.
    /// vperm/xxperm: byte i of the result is byte (control.byte[i] & 31) of a || b; the
    /// right-indexed forms (vpermr, xxpermr) count that index from the right (31 - index).
    @inlinable public static func permute(_ a: Vector128, _ b: Vector128, control c: Vector128, rightIndexed: Bool) -> Vector128 {
        var t = Vector128.zero
        for i in 0..<16 {
            var index = Int(c.byte(i) & 0x1F)
            if rightIndexed { index = 31 - index }
            t.setByte(i, index < 16 ? a.byte(index) : b.byte(index - 16))
        }
        return t
    }

    @inlinable public func shiftedLeft(_ n: Int) -> Vector128 {
        if n == 0 { return self }
        if n >= 64 { return Vector128(high: low &<< UInt64(n - 64), low: 0) }
        return Vector128(high: (high &<< UInt64(n)) | (low &>> UInt64(64 - n)), low: low &<< UInt64(n))
    }
    /// The register shifted right by `n` bits (0…127), zeros shifted in.
    @inlinable public func shiftedRight(_ n: Int) -> Vector128 {
        if n == 0 { return self }
        if n >= 64 { return Vector128(high: 0, low: high &>> UInt64(n - 64)) }
        return Vector128(high: high &>> UInt64(n), low: (low &>> UInt64(n)) | (high &<< UInt64(64 - n)))
    }

    /// a + b + carryIn as 128-bit unsigned integers, and the carry out of bit 0.
    @inlinable public static func add(_ a: Vector128, _ b: Vector128, carryIn: UInt64) -> (sum: Vector128, carry: UInt64) {
        let (l1, c1) = a.low.addingReportingOverflow(b.low)
        let (l2, c2) = l1.addingReportingOverflow(carryIn)
        let (h1, c3) = a.high.addingReportingOverflow(b.high)
        let (h2, c4) = h1.addingReportingOverflow(c1 || c2 ? 1 : 0)
        return (Vector128(high: h2, low: l2), c3 || c4 ? 1 : 0)
    }

    // MARK: SIMD lane views

    /// The register as host SIMD lanes, for operations done element by element in which every
    /// element is treated alike (add, saturate, compare, maximum): lane k is ISA element
    /// (count - 1 - k), so lane order is the reverse of the ISA's and must never be used to
    /// move elements between positions.
    @inlinable @inline(__always) public func lanes<V: SIMD>(_: V.Type = V.self) -> V {
        unsafeBitCast(SIMD2<UInt64>(low, high), to: V.self)
    }
    @inlinable @inline(__always) public init<V: SIMD>(lanes: V) {
        let d = unsafeBitCast(lanes, to: SIMD2<UInt64>.self)
        self.init(high: d[1], low: d[0])
    }
}

/// VSR[0…63] over the flat register file: `vsr[x] = v` writes both doublewords.
@frozen
public struct VSRFile {
    @usableFromInline let s: UnsafeMutablePointer<UInt64>
    @inlinable @inline(__always) public init(_ state: UnsafeMutablePointer<UInt64>) { s = state }

    /// Slot of VSR[x].dword[0] (x < 32: FPR x).
    @inlinable @inline(__always) public static func highSlot(_ x: Int) -> Int {
        x < 32 ? RegisterSlot.fpr0 + x : RegisterSlot.vr0 + 2 * (x - 32)
    }
    /// Slot of VSR[x].dword[1].
    @inlinable @inline(__always) public static func lowSlot(_ x: Int) -> Int {
        x < 32 ? RegisterSlot.vsrLow0 + x : RegisterSlot.vr0 + 2 * (x - 32) + 1
    }

    @inlinable public subscript(x: Int) -> Vector128 {
        @inline(__always) get { Vector128(high: s[Self.highSlot(x)], low: s[Self.lowSlot(x)]) }
        @inline(__always) nonmutating set { s[Self.highSlot(x)] = newValue.high; s[Self.lowSlot(x)] = newValue.low }
    }
}

/// VR[0…31] (= VSR[32…63]) over the flat register file.
@frozen
public struct VRFile {
    @usableFromInline let s: UnsafeMutablePointer<UInt64>
    @inlinable @inline(__always) public init(_ state: UnsafeMutablePointer<UInt64>) { s = state }

    @inlinable public subscript(n: Int) -> Vector128 {
        @inline(__always) get { Vector128(high: s[RegisterSlot.vr0 + 2 * n], low: s[RegisterSlot.vr0 + 2 * n + 1]) }
        @inline(__always) nonmutating set { s[RegisterSlot.vr0 + 2 * n] = newValue.high; s[RegisterSlot.vr0 + 2 * n + 1] = newValue.low }
    }
}

/// VSCR bits (Book I 6.3.1): a 32-bit register; lpar keeps every bit mtvscr writes, as
/// qemu-ppc64 does, and reads them back with mfvscr.
public enum VSCR {
    /// Non-Java mode (bit 111 of the VR mtvscr reads: bit 15 of VSCR).
    public static let nj: UInt64 = 0x0001_0000
    /// Saturation (bit 127: bit 31 of VSCR), sticky: set by a saturating instruction that
    /// saturated, cleared only by mtvscr.
    public static let sat: UInt64 = 0x0000_0001
}

extension CPU {
    /// VSR[0…63]; VSR[x] for x < 32 shares its high doubleword with FPR x.
    public var vsr: VSRFile { VSRFile(state) }
    /// VR[0…31], the same registers as VSR[32…63].
    public var vr: VRFile { VRFile(state) }
    /// VSCR (32 bits).
    public var vscr: UInt32 {
        get { UInt32(truncatingIfNeeded: state[RegisterSlot.vscr]) }
        set { state[RegisterSlot.vscr] = UInt64(newValue) }
    }
}

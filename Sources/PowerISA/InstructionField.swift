/// Field extraction from a 32-bit instruction word. Bit numbers in comments are the ISA's
/// (bit 0 is the most significant).
@frozen
public struct InstructionWord: Sendable, Equatable {
    public let raw: UInt32
    @inlinable @inline(__always) public init(_ raw: UInt32) { self.raw = raw }

    @inlinable @inline(__always) public var primary: Int { Int(raw >> 26) }
    /// bits 6-10: RT, RS, FRT, BO, TO, BF<<2|L...
    @inlinable @inline(__always) public var rt: Int { Int((raw >> 21) & 31) }
    /// bits 11-15
    @inlinable @inline(__always) public var ra: Int { Int((raw >> 16) & 31) }
    /// bits 16-20
    @inlinable @inline(__always) public var rb: Int { Int((raw >> 11) & 31) }
    /// bits 21-25 (A-form FRC, M-form MB, isel BC)
    @inlinable @inline(__always) public var rc: Int { Int((raw >> 6) & 31) }
    /// bits 26-30 (M-form ME)
    @inlinable @inline(__always) public var me: Int { Int((raw >> 1) & 31) }
    /// bit 31: Rc / LK
    @inlinable @inline(__always) public var bit31: Bool { raw & 1 != 0 }
    /// bit 30: AA
    @inlinable @inline(__always) public var bit30: Bool { raw & 2 != 0 }
    /// bit 21: OE
    @inlinable @inline(__always) public var oe: Bool { raw & 0x400 != 0 }
    /// D-form signed immediate, sign-extended.
    @inlinable @inline(__always) public var si: Int64 { Int64(Int16(truncatingIfNeeded: raw)) }
    /// D-form unsigned immediate.
    @inlinable @inline(__always) public var ui: UInt64 { UInt64(raw & 0xFFFF) }
    /// DS-form displacement (low two bits are the extended opcode), sign-extended.
    @inlinable @inline(__always) public var ds: Int64 { Int64(Int16(truncatingIfNeeded: raw & 0xFFFC)) }
    /// I-form LI field, sign-extended byte offset.
    @inlinable @inline(__always) public var li: Int64 { Int64(Int32(bitPattern: (raw & 0x03FF_FFFC) << 6) >> 6) }
    /// B-form BD field, sign-extended byte offset.
    @inlinable @inline(__always) public var bd: Int64 { Int64(Int16(truncatingIfNeeded: raw & 0xFFFC)) }
    /// CR field number of compare instructions (bits 6-8).
    @inlinable @inline(__always) public var bf: Int { Int((raw >> 23) & 7) }
    /// The L bit of compares (bit 10).
    @inlinable @inline(__always) public var cmpL: Bool { raw & 0x0020_0000 != 0 }
    /// CR field number in bits 11-13 (mcrf BFA).
    @inlinable @inline(__always) public var bfa: Int { Int((raw >> 18) & 7) }
    /// SPR number with its two 5-bit halves swapped back.
    @inlinable @inline(__always) public var spr: Int { Int(((raw >> 16) & 31) | ((raw >> 6) & 0x3E0)) }
    /// FXM mask of mtcrf/mfocrf (bits 12-19).
    @inlinable @inline(__always) public var fxm: Int { Int((raw >> 12) & 0xFF) }
    /// FLM mask of mtfsf (bits 7-14).
    @inlinable @inline(__always) public var flm: Int { Int((raw >> 17) & 0xFF) }
    /// MD/MDS-form 6-bit shift: sh5 (bit 30) is the high bit.
    @inlinable @inline(__always) public var sh6: Int { Int(((raw >> 11) & 31) | ((raw << 4) & 0x20)) }
    /// MD/MDS-form 6-bit mask bound: mb5 (bit 26) is the high bit.
    @inlinable @inline(__always) public var mb6: Int { Int(((raw >> 6) & 31) | (raw & 0x20)) }
    // Vector (VMX) and VSX fields (Book I 1.6.28: VA, VX, VC, XX1-XX4, DQ forms). A VSR number
    // is 6 bits: the 5-bit field plus the form's extension bit (TX, AX, BX, CX), which selects
    // VSR 32-63 (the VRs) when set.

    /// VRT / VRS (bits 6-10).
    @inlinable @inline(__always) public var vrt: Int { rt }
    /// VRA (bits 11-15).
    @inlinable @inline(__always) public var vra: Int { ra }
    /// VRB (bits 16-20).
    @inlinable @inline(__always) public var vrb: Int { rb }
    /// VRC (bits 21-25, VA form).
    @inlinable @inline(__always) public var vrc: Int { rc }
    /// SHB of vsldoi (bits 22-25).
    @inlinable @inline(__always) public var shb: Int { Int((raw >> 6) & 15) }
    /// SIM of vspltis* (bits 11-15), sign-extended.
    @inlinable @inline(__always) public var sim: Int64 { Int64(Int32(bitPattern: raw << 11) >> 27) }
    /// Rc of the VC form (bit 21).
    @inlinable @inline(__always) public var vcRc: Bool { raw & 0x400 != 0 }
    /// XT / XS of the XX1-XX4 forms: TX (bit 31) || T (bits 6-10).
    @inlinable @inline(__always) public var xt: Int { Int((raw & 1) << 5 | (raw >> 21) & 31) }
    /// XA: AX (bit 29) || A (bits 11-15).
    @inlinable @inline(__always) public var xa: Int { Int((raw & 4) << 3 | (raw >> 16) & 31) }
    /// XB: BX (bit 30) || B (bits 16-20).
    @inlinable @inline(__always) public var xb: Int { Int((raw & 2) << 4 | (raw >> 11) & 31) }
    /// XC: CX (bit 28) || C (bits 21-25).
    @inlinable @inline(__always) public var xc: Int { Int((raw & 8) << 2 | (raw >> 6) & 31) }
    /// XT / XS of the DQ form (lxv, stxv): TX is bit 28.
    @inlinable @inline(__always) public var dqXT: Int { Int((raw & 8) << 2 | (raw >> 21) & 31) }
    /// DQ-form displacement: DQ (bits 16-27) || 0b0000, sign-extended.
    @inlinable @inline(__always) public var dq: Int64 { Int64(Int16(truncatingIfNeeded: raw & 0xFFF0)) }
    /// DM of xxpermdi, SHW of xxsldwi (bits 22-23).
    @inlinable @inline(__always) public var dm: Int { Int((raw >> 8) & 3) }
    /// IMM8 of xxspltib (bits 13-20).
    @inlinable @inline(__always) public var imm8: UInt64 { UInt64((raw >> 11) & 0xFF) }
}


/// A predecoded instruction: the operation and the word its fields come from.
@frozen
public struct DecodedInstruction: Sendable, Equatable {
    public var op: Op
    public var word: UInt32
    @inlinable public init(op: Op, word: UInt32) { self.op = op; self.word = word }
}

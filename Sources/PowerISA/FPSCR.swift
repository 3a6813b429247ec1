/// FPSCR bits as masks of the 64-bit register (the ISA's bit 32+n is `1 << (31 - n)`).
public enum FPSCR {
    public static let fx: UInt64 = 1 << 31
    public static let fex: UInt64 = 1 << 30
    public static let vx: UInt64 = 1 << 29
    public static let ox: UInt64 = 1 << 28
    public static let ux: UInt64 = 1 << 27
    public static let zx: UInt64 = 1 << 26
    public static let xx: UInt64 = 1 << 25
    public static let vxsnan: UInt64 = 1 << 24
    public static let vxisi: UInt64 = 1 << 23
    public static let vxidi: UInt64 = 1 << 22
    public static let vxzdz: UInt64 = 1 << 21
    public static let vximz: UInt64 = 1 << 20
    public static let vxvc: UInt64 = 1 << 19
    public static let fr: UInt64 = 1 << 18
    public static let fi: UInt64 = 1 << 17
    /// FPRF = C and FPCC (FL FG FE FU).
    public static let fprf: UInt64 = 0x1F << 12
    public static let fpcc: UInt64 = 0xF << 12
    public static let c: UInt64 = 1 << 16
    public static let fu: UInt64 = 1 << 12
    public static let vxsoft: UInt64 = 1 << 10
    public static let vxsqrt: UInt64 = 1 << 9
    public static let vxcvi: UInt64 = 1 << 8
    public static let ve: UInt64 = 1 << 7
    public static let oe: UInt64 = 1 << 6
    public static let ue: UInt64 = 1 << 5
    public static let ze: UInt64 = 1 << 4
    public static let xe: UInt64 = 1 << 3
    public static let ni: UInt64 = 1 << 2
    public static let rn: UInt64 = 3

    /// Every invalid-operation exception bit; VX is their OR.
    public static let allVX: UInt64 = vxsnan | vxisi | vxidi | vxzdz | vximz | vxvc | vxsoft | vxsqrt | vxcvi
    /// The bits mcrfs clears in the field it copies: FX and the sticky exception bits.
    public static let exceptionBits: UInt64 = fx | ox | ux | zx | xx | allVX

    /// What mtfsf/mtfsfi/mtfsb0/mtfsb1/mcrfs can write (as qemu-ppc64): not the summaries FEX
    /// and VX (recomputed), not reserved bit 52, not ISA bits 0-28 of the upper word (only DRN's
    /// bits 29-31 are kept).
    public static let writable: UInt64 = ~(~UInt64(0) << 36 | 1 << 35 | fex | vx | 1 << 11)

    /// The FPSCR after a move-to-FPSCR instruction stored `v`: VX is the OR of the VX bits and
    /// FEX is set when an exception bit and its enable are both set.
    public static func afterStore(_ v: UInt64) -> UInt64 {
        var r = v & writable
        if r & allVX != 0 { r |= vx }
        // XX ZX UX OX VX (bits 25-29) pair with XE ZE UE OE VE (bits 3-7).
        if (r >> 25) & (r >> 3) & 0x1F != 0 { r |= fex }
        return r
    }

    /// FPRF (C FL FG FE FU) of a double result, as the ISA tabulates it.
    public static func fprfClass(_ b: UInt64) -> UInt64 {
        let neg = b >> 63 != 0
        let e = (b >> 52) & 0x7FF, f = b & 0xF_FFFF_FFFF_FFFF
        switch (e, f) {
        case (0x7FF, 0): return neg ? 0x09 : 0x05         // infinity
        case (0x7FF, _): return f & (1 << 51) != 0 ? 0x11 : 0  // QNaN; SNaN cannot be a result
        case (0, 0): return neg ? 0x12 : 0x02               // zero
        case (0, _): return neg ? 0x18 : 0x14               // denormal
        default: return neg ? 0x08 : 0x04                   // normal
        }
    }
}

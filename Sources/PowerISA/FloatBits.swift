/// Bit-exact conversions between the single and double formats for lfs/stfs, as the ISA
/// defines them (no rounding, signalling NaNs keep their payload: the host's conversions would
/// quiet them).
public enum FloatBits {
    /// DOUBLE(WORD) of lfs.
    public static func doubleFromSingle(_ w: UInt32) -> UInt64 {
        let sign = UInt64(w >> 31) << 63
        let exp = (w >> 23) & 0xFF
        let frac = UInt64(w & 0x7F_FFFF)
        switch exp {
        case 0xFF:  // infinity or NaN: exponent all ones, fraction kept
            return sign | 0x7FF0_0000_0000_0000 | frac << 29
        case 0:
            if frac == 0 { return sign }
            // Denormal single: normalise into a double.
            var e: Int64 = 1 - 127
            var f = frac
            while f & 0x80_0000 == 0 { f <<= 1; e -= 1 }
            return sign | UInt64(e + 1023) << 52 | (f & 0x7F_FFFF) << 29
        default:
            return sign | UInt64(Int64(exp) - 127 + 1023) << 52 | frac << 29
        }
    }

    /// SINGLE(FRS) of stfs: truncates, and denormalises values below the single range.
    public static func singleFromDouble(_ d: UInt64) -> UInt32 {
        let sign = UInt32(d >> 63) << 31
        let exp = Int((d >> 52) & 0x7FF)
        let frac = d & 0xF_FFFF_FFFF_FFFF
        if exp > 896 || exp == 0x7FF || (exp == 0 && frac == 0) {
            // Normal single range, infinities, NaNs and zeros: take the bits straight across.
            return sign | UInt32((d >> 32) & 0x4000_0000) | UInt32((d >> 29) & 0x3FFF_FFFF)
        }
        if exp >= 874 {
            // Denormal in single: shift the significand (with its implicit 1) right.
            let significand = (frac | 1 << 52)
            let shift = UInt64(896 - exp + 1)
            return sign | UInt32(truncatingIfNeeded: (significand >> shift) >> 29)
        }
        return sign  // below the smallest denormal: the ISA leaves it undefined; zero keeps the sign
    }
}

import CHostFP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Floating-point exceptions one instruction raised, before they are folded into the FPSCR.
struct FPExceptions: OptionSet {
    let rawValue: UInt16
    static let vxsnan = FPExceptions(rawValue: 1)
    static let vxisi = FPExceptions(rawValue: 2)
    static let vxidi = FPExceptions(rawValue: 4)
    static let vxzdz = FPExceptions(rawValue: 8)
    static let vximz = FPExceptions(rawValue: 16)
    static let vxsqrt = FPExceptions(rawValue: 32)
    static let vxcvi = FPExceptions(rawValue: 64)
    static let vxvc = FPExceptions(rawValue: 128)
    static let zx = FPExceptions(rawValue: 256)
    static let ox = FPExceptions(rawValue: 512)
    static let ux = FPExceptions(rawValue: 1024)
    static let xx = FPExceptions(rawValue: 2048)
    /// Invalid operations that also clear FR/FI and set FPCC to "unordered".
    static let arithmeticInvalid: FPExceptions = [.vxisi, .vxidi, .vxzdz, .vximz, .vxsqrt, .vxcvi]
    static let anyInvalid: FPExceptions = [.vxsnan, .arithmeticInvalid, .vxvc]
}

/// Host IEEE arithmetic with an explicit rounding mode and the exceptions it raised.
///
/// x86-64 SSE arithmetic is IEEE 754 double: add, sub, mul, div, sqrt and fma are correctly
/// rounded in the MXCSR mode, so setting the mode around one operation gives the ISA's result
/// bit for bit (NaN operands and invalid cases never reach here: `FPU` decides those itself, as
/// the host's NaN rules are not the ISA's). `@_optimize(none)` keeps the compiler from moving
/// the arithmetic across `fesetround`/`fetestexcept`; the host mode is restored before return.
enum HostFP {
    enum Operation: Int { case add, sub, mul, div, sqrt, fma }

    // <fenv.h> values (Swift sees both the enum and the macro of each name, ambiguously).
    #if arch(x86_64)
    static let toNearest: Int32 = 0, downward: Int32 = 0x400, upward: Int32 = 0x800, towardZero: Int32 = 0xC00
    static let invalid: Int32 = 1, divByZero: Int32 = 4, overflow: Int32 = 8, underflow: Int32 = 0x10, inexact: Int32 = 0x20
    #elseif arch(arm64)
    static let toNearest: Int32 = 0, upward: Int32 = 0x40_0000, downward: Int32 = 0x80_0000, towardZero: Int32 = 0xC0_0000
    static let invalid: Int32 = 1, divByZero: Int32 = 2, overflow: Int32 = 4, underflow: Int32 = 8, inexact: Int32 = 0x10
    #endif
    static let allExceptions = invalid | divByZero | overflow | underflow | inexact

    /// FPSCR RN (0 nearest, 1 toward zero, 2 toward +inf, 3 toward -inf) as a C rounding mode.
    static func cMode(_ rn: Int) -> Int32 {
        switch rn & 3 {
        case 0: return toNearest
        case 1: return towardZero
        case 2: return upward
        default: return downward
        }
    }

    /// (a op b), sqrt(a), or a * b + c for `.fma`; the result and the C exception flags.
    /// In C (CHostFP): Swift has no way to keep the compiler from moving arithmetic across
    /// the rounding-mode and flag accesses, and glibc's fenv calls cost more than the operation.
    @inline(__always)
    static func compute(_ op: Operation, _ a: Double, _ b: Double, _ c: Double, mode: Int32) -> (Double, Int32) {
        var flags: Int32 = 0
        let r = lpar_host_fp(Int32(op.rawValue), a, b, c, mode, &flags)
        return (r, flags)
    }
}

/// Scalar floating-point semantics on bit patterns, matching qemu-ppc64 (QEMU 7.2 softfloat as
/// target/ppc drives it) bit for bit, as tools/difftest checks. Where qemu-ppc64 and the ISA
/// differ, lpar follows qemu-ppc64 (each is commented where it happens):
/// - FX is set by every exception an instruction raises, not only on a 0→1 change of its bit;
/// - FR is never set (only cleared); FI = "this instruction was inexact";
/// - fre/fres of ±0 give ±0.5; fre/frsqrte are exact quotients, not estimates;
/// - fnmadd/fnmsub round the negated value (round(-x), not -round(x));
/// - single-precision NaN results keep only the fraction bits a single can hold;
/// - fcfids/fcfidu/fcfidus leave FPRF alone; fctiw's undefined high word is the sign;
/// - ∞×0 + SNaN in the fmadd family reports VXIMZ without VXSNAN; mtfsb1 cannot set NI.
/// Enabled exceptions follow the ISA with MSR[FE0,FE1] = 0 (no interrupt): an enabled invalid
/// operation or zero divide leaves FRT and FPRF unchanged and sets FEX (qemu-ppc64 user mode
/// would deliver SIGFPE there instead, so the difftest keeps the enables 0); an enabled
/// overflow or underflow delivers the unadjusted result with FEX, as QEMU does.
enum FPU {
    static let signBit: UInt64 = 1 << 63
    static let quietBit: UInt64 = 1 << 51
    static let defaultNaN: UInt64 = 0x7FF8_0000_0000_0000
    static let minNormal: UInt64 = 0x0010_0000_0000_0000

    /// QEMU's PowerPC softfloat detects tininess (for UX) before rounding.
    static let tininessBeforeRounding = true

    @inline(__always) static func isNaN(_ b: UInt64) -> Bool { b & ~signBit > 0x7FF0_0000_0000_0000 }
    @inline(__always) static func isSNaN(_ b: UInt64) -> Bool { isNaN(b) && b & quietBit == 0 }
    @inline(__always) static func isInf(_ b: UInt64) -> Bool { b & ~signBit == 0x7FF0_0000_0000_0000 }
    @inline(__always) static func isZero(_ b: UInt64) -> Bool { b & ~signBit == 0 }
    @inline(__always) static func isNeg(_ b: UInt64) -> Bool { b & signBit != 0 }
    @inline(__always) static func quiet(_ b: UInt64) -> UInt64 { b | quietBit }

    static func exceptions(fromC flags: Int32) -> FPExceptions {
        var e: FPExceptions = []
        if flags & HostFP.inexact != 0 { e.insert(.xx) }
        if flags & HostFP.overflow != 0 { e.insert(.ox) }
        if flags & HostFP.underflow != 0 { e.insert(.ux) }
        if flags & HostFP.divByZero != 0 { e.insert(.zx) }
        return e
    }

    /// One operation on finite/infinite non-NaN operands rounded to double (`single` false) or
    /// to single precision in one rounding (`single` true, QEMU's float64r32 operations).
    static func rounded(_ op: HostFP.Operation, _ a: UInt64, _ b: UInt64, _ c: UInt64 = 0,
                        single: Bool, rn: Int) -> (UInt64, FPExceptions) {
        let da = Double(bitPattern: a), db = Double(bitPattern: b), dc = Double(bitPattern: c)
        if !single {
            let (r, flags) = HostFP.compute(op, da, db, dc, mode: HostFP.cMode(rn))
            var e = exceptions(fromC: flags)
            let bits = r.bitPattern
            // The host detects tininess after rounding: a result rounded up to the smallest normal
            // is tiny for QEMU when the exact value was below it (seen by truncating instead).
            if tininessBeforeRounding && e.contains(.xx) && !e.contains(.ux) && bits & ~signBit == minNormal {
                let (t, _) = HostFP.compute(op, da, db, dc, mode: HostFP.cMode(1))
                if t.bitPattern & ~signBit < minNormal { e.insert(.ux) }
            }
            return (bits, e)
        }
        // Single: truncate to double keeping "inexact" as a sticky bit, then round that once to
        // single precision in software; 53 bits + sticky are enough for a correct 24-bit rounding.
        let (t, flags) = HostFP.compute(op, da, db, dc, mode: HostFP.cMode(1))
        let bits = t.bitPattern
        let inexact = flags & HostFP.inexact != 0
        var e = exceptions(fromC: flags).intersection(.zx)
        if t.isInfinite { return (bits, e) }  // exact infinity (infinite operand or x/0)
        if t == 0 && !inexact {
            // An exact zero: its sign depends on the real rounding mode (x - x is -0 only toward -inf).
            let (z, _) = HostFP.compute(op, da, db, dc, mode: HostFP.cMode(rn))
            return (z.bitPattern, e)
        }
        let sign = bits >> 63 != 0
        let ef = Int((bits >> 52) & 0x7FF), frac = bits & 0xF_FFFF_FFFF_FFFF
        var sig = ef == 0 ? frac : frac | 1 << 52
        var exp = ef == 0 ? -1074 : ef - 1075
        if sig == 0 { sig = 1; exp = -1200 }  // nonzero below the double range: only its sign matters
        let (r, re) = roundPack(sign: sign, sig: sig, exp: exp, sticky: inexact, single: true, rn: rn)
        e.formUnion(re)
        return (r, e)
    }

    /// Rounds (-1)^sign × sig × 2^exp (with `sticky` meaning "and a little more") to double or
    /// single precision in mode `rn`, returning the result as a double bit pattern and the
    /// overflow/underflow/inexact exceptions. `sig` must not be 0.
    static func roundPack(sign: Bool, sig sig0: UInt64, exp exp0: Int, sticky: Bool, single: Bool, rn: Int) -> (UInt64, FPExceptions) {
        let p = single ? 24 : 53, emin = single ? -126 : -1022, emax = single ? 127 : 1023
        let lz = sig0.leadingZeroBitCount
        let sig = sig0 << UInt64(lz)
        let e = exp0 - lz + 63  // exponent of the leading bit
        let extra = max(0, emin - e)
        let shift = 64 - p + extra
        var keep: UInt64, roundBit: Bool, rest: Bool
        if shift > 64 {
            keep = 0; roundBit = false; rest = true
        } else if shift == 64 {
            keep = 0; roundBit = sig >> 63 != 0; rest = sig << 1 != 0 || sticky
        } else {
            keep = sig >> UInt64(shift)
            roundBit = (sig >> UInt64(shift - 1)) & 1 != 0
            rest = sig & ((1 << UInt64(shift - 1)) - 1) != 0 || sticky
        }
        let inexact = roundBit || rest
        func increments(_ lsbOdd: Bool) -> Bool {
            switch rn & 3 {
            case 0: return roundBit && (rest || lsbOdd)
            case 1: return false
            case 2: return !sign && inexact
            default: return sign && inexact
            }
        }
        // Tininess: before rounding, the exact value is below the smallest normal; after
        // rounding, it would still be below it when rounded with an unbounded exponent.
        var tiny = e < emin
        if tiny && !tininessBeforeRounding && e == emin - 1 {
            let allOnes = sig >> UInt64(64 - p) == (1 << UInt64(p)) - 1
            let rb = (sig >> UInt64(63 - p)) & 1 != 0
            let below = sig & ((1 << UInt64(63 - p)) - 1) != 0 || sticky
            let inc: Bool
            switch rn & 3 {
            case 0: inc = rb  // the last kept bit of all ones is odd: a tie rounds up too
            case 1: inc = false
            case 2: inc = !sign && (rb || below)
            default: inc = sign && (rb || below)
            }
            if allOnes && inc { tiny = false }
        }
        if increments(keep & 1 != 0) { keep += 1 }
        var k = (extra > 0 ? emin : e) - (p - 1)  // value = keep × 2^k
        if keep == 1 << UInt64(p) { keep >>= 1; k += 1 }
        var ex: FPExceptions = inexact ? .xx : []
        if tiny && inexact { ex.insert(.ux) }
        let s: UInt64 = sign ? signBit : 0
        if keep == 0 { return (s, ex) }
        let lead = 63 - keep.leadingZeroBitCount
        let finalE = k + lead
        if finalE > emax {
            ex.formUnion([.ox, .xx])
            let toInf: Bool
            switch rn & 3 {
            case 0: toInf = true
            case 1: toInf = false
            case 2: toInf = !sign
            default: toInf = sign
            }
            if toInf { return (s | 0x7FF0_0000_0000_0000, ex) }
            let maxFinite: UInt64 = single ? 0x47EF_FFFF_E000_0000 : 0x7FEF_FFFF_FFFF_FFFF
            return (s | maxFinite, ex)
        }
        if finalE >= -1022 {
            let mant = keep << UInt64(52 - lead)
            return (s | UInt64(finalE + 1023) << 52 | (mant & 0xF_FFFF_FFFF_FFFF), ex)
        }
        return (s | keep << UInt64(k + 1074), ex)  // double denormal (k >= -1074 here)
    }

    /// An exact double rounded to single precision (frsp, and the ISA's rounding of fcfids).
    static func roundToSingle(_ b: UInt64, rn: Int) -> (UInt64, FPExceptions) {
        if isZero(b) || isInf(b) { return (b, []) }
        let ef = Int((b >> 52) & 0x7FF), frac = b & 0xF_FFFF_FFFF_FFFF
        let sig = ef == 0 ? frac : frac | 1 << 52
        let exp = ef == 0 ? -1074 : ef - 1075
        return roundPack(sign: isNeg(b), sig: sig, exp: exp, sticky: false, single: true, rn: rn)
    }

    /// A NaN rounded to single precision keeps only the fraction bits a single can hold.
    static func singleNaN(_ b: UInt64) -> UInt64 { quiet(b) & ~0x1FFF_FFFF }

    /// The result of a one-operand operation on the NaN `b`: `b` quieted (and narrowed for a
    /// single result), with VXSNAN when `b` was signalling.
    static func nanResult(_ b: UInt64, single: Bool, _ ex: inout FPExceptions) -> UInt64 {
        if isSNaN(b) { ex.insert(.vxsnan) }
        return single ? singleNaN(b) : quiet(b)
    }
}

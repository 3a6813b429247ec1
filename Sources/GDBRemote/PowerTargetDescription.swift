// The 64-bit Power registers as gdb's powerpc:common64 expects them. Names, sizes, types and
// numbers follow gdb's own descriptions (gdb/features/rs6000/power64-core.xml,
// power-fpu-isa205.xml, power-altivec.xml, power-vsx.xml as combined in
// powerpc-isa205-vsx64l.xml), and `maint print registers` of Debian's gdb-multiarch 13.1 for
// powerpc:common64 lists the same numbering: r0-r31 0-31, f0-f31 32-63, pc 64, msr 65, cr 66,
// lr 67, ctr 68, xer 69, fpscr 70. cr and xer are 32 bits; fpscr is the 64-bit ISA 2.05 FPSCR.
// Values travel in the target's byte order: big-endian.

public enum PowerRegisterNumber {
    public static func gpr(_ n: Int) -> Int { n }
    public static func fpr(_ n: Int) -> Int { 32 + n }
    public static let pc = 64
    public static let msr = 65
    public static let cr = 66
    public static let lr = 67
    public static let ctr = 68
    public static let xer = 69
    public static let fpscr = 70
    public static func vr(_ n: Int) -> Int { 71 + n }
    public static let vscr = 103
    public static let vrsave = 104
    /// The upper doublewords of VSR 0-31 (the lower ones are the FPRs).
    public static func vsxHigh(_ n: Int) -> Int { 105 + n }
}

public enum PowerTargetDescription {
    public static let architecture = "powerpc:common64"

    public static let core = GDBFeature(name: "org.gnu.gdb.power.core", registers:
        (0..<32).map { GDBRegister("r\($0)", bitSize: 64, type: "uint64", regnum: PowerRegisterNumber.gpr($0)) } + [
            GDBRegister("pc", bitSize: 64, type: "code_ptr", regnum: PowerRegisterNumber.pc),
            GDBRegister("msr", bitSize: 64, type: "uint64", regnum: PowerRegisterNumber.msr),
            GDBRegister("cr", bitSize: 32, type: "uint32", regnum: PowerRegisterNumber.cr),
            GDBRegister("lr", bitSize: 64, type: "code_ptr", regnum: PowerRegisterNumber.lr),
            GDBRegister("ctr", bitSize: 64, type: "uint64", regnum: PowerRegisterNumber.ctr),
            GDBRegister("xer", bitSize: 32, type: "uint32", regnum: PowerRegisterNumber.xer),
        ])

    public static let fpu = GDBFeature(name: "org.gnu.gdb.power.fpu", registers:
        (0..<32).map { GDBRegister("f\($0)", bitSize: 64, type: "ieee_double", regnum: PowerRegisterNumber.fpr($0)) } + [
            GDBRegister("fpscr", bitSize: 64, type: "int", regnum: PowerRegisterNumber.fpscr, group: "float"),
        ])

    public static let altivec = GDBFeature(
        name: "org.gnu.gdb.power.altivec",
        types: [
            .vector(id: "v4f", elementType: "ieee_single", count: 4),
            .vector(id: "v4i32", elementType: "int32", count: 4),
            .vector(id: "v8i16", elementType: "int16", count: 8),
            .vector(id: "v16i8", elementType: "int8", count: 16),
            .union(id: "vec128", fields: [("uint128", "uint128"), ("v4_float", "v4f"), ("v4_int32", "v4i32"),
                                          ("v8_int16", "v8i16"), ("v16_int8", "v16i8")]),
        ],
        registers: (0..<32).map { GDBRegister("vr\($0)", bitSize: 128, type: "vec128", regnum: PowerRegisterNumber.vr($0)) } + [
            GDBRegister("vscr", bitSize: 32, type: "int", regnum: PowerRegisterNumber.vscr, group: "vector"),
            GDBRegister("vrsave", bitSize: 32, type: "int", regnum: PowerRegisterNumber.vrsave, group: "vector"),
        ])

    public static let vsx = GDBFeature(name: "org.gnu.gdb.power.vsx", registers:
        (0..<32).map { GDBRegister("vs\($0)h", bitSize: 64, type: "uint64", regnum: PowerRegisterNumber.vsxHigh($0)) })

    /// The fixed-point, branch and floating-point registers.
    public static let lpar = GDBTargetDescription(architecture: architecture, features: [core, fpu])

    /// With the vector (VMX) and VSX registers: what lpar's stub describes.
    public static let withVectors = GDBTargetDescription(architecture: architecture, features: [core, fpu, altivec, vsx])
}

extension GDBRegister {
    /// A register value as the protocol wants it: the low `byteCount` bytes, big-endian.
    public static func bigEndianBytes(_ value: UInt64, byteCount: Int) -> [UInt8] {
        (0..<byteCount).map { i in
            let shift = 8 * (byteCount - 1 - i)
            return shift >= 64 ? 0 : UInt8(truncatingIfNeeded: value >> UInt64(shift))
        }
    }

    /// The inverse: up to 8 big-endian bytes as a number.
    public static func bigEndianValue(_ bytes: [UInt8]) -> UInt64 {
        bytes.suffix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}

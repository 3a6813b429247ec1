/// Architected state of one PPC64 hardware thread.
///
/// Every register lives in one flat buffer of 64-bit slots (`RegisterSlot` names them), so the
/// interpreter reaches any register through one pointer without ARC or exclusivity checks, and a
/// tracer can see which registers an instruction changed by comparing two snapshots.
public final class CPU {
    /// Number of 64-bit slots in `state`.
    public static let slotCount = RegisterSlot.count

    public let state: UnsafeMutablePointer<UInt64>
    /// `state` + 0: r0…r31.
    public var gpr: UnsafeMutablePointer<UInt64> { state }
    /// `state` + 32: f0…f31 as IEEE double bit patterns.
    public var fpr: UnsafeMutablePointer<UInt64> { state + RegisterSlot.fpr0 }

    /// The processor's interrupt server number (PIR; the device tree's
    /// `ibm,ppc-interrupt-server#s`): vCPU n is processor n.
    public var processorID: UInt32 = 0

    public init() {
        state = .allocate(capacity: Self.slotCount)
        state.initialize(repeating: 0, count: Self.slotCount)
    }
    deinit { state.deallocate() }

    @inlinable public subscript(slot: Int) -> UInt64 {
        get { state[slot] }
        set { state[slot] = newValue }
    }

    public var pc: UInt64 { get { state[RegisterSlot.pc] } set { state[RegisterSlot.pc] = newValue } }
    public var lr: UInt64 { get { state[RegisterSlot.lr] } set { state[RegisterSlot.lr] = newValue } }
    public var ctr: UInt64 { get { state[RegisterSlot.ctr] } set { state[RegisterSlot.ctr] = newValue } }
    public var xer: UInt64 { get { state[RegisterSlot.xer] } set { state[RegisterSlot.xer] = newValue } }
    public var cr: UInt32 { get { UInt32(truncatingIfNeeded: state[RegisterSlot.cr]) } set { state[RegisterSlot.cr] = UInt64(newValue) } }
    public var fpscr: UInt64 { get { state[RegisterSlot.fpscr] } set { state[RegisterSlot.fpscr] = newValue } }
    public var msr: UInt64 { get { state[RegisterSlot.msr] } set { state[RegisterSlot.msr] = newValue } }

    /// The 4-bit field `n` (0 = CR0) of the condition register: LT GT EQ SO from high to low.
    public func crField(_ n: Int) -> UInt32 { (cr >> UInt32(28 - 4 * n)) & 0xF }

    /// Copies all registers out (for tracing and tests).
    public func snapshot() -> [UInt64] { Array(UnsafeBufferPointer(start: state, count: Self.slotCount)) }
}

/// Slot numbers of the flat register file.
public enum RegisterSlot {
    public static let gpr0 = 0
    public static let fpr0 = 32
    public static let pc = 64
    public static let lr = 65
    public static let ctr = 66
    public static let xer = 67
    public static let cr = 68
    public static let fpscr = 69
    public static let msr = 70
    /// Address of the lwarx/ldarx reservation; `reserveValid` is 1 while it is held.
    public static let reserveAddress = 71
    public static let reserveValid = 72
    public static let reserveSize = 73
    public static let srr0 = 74
    public static let srr1 = 75
    public static let sprg0 = 76   // …sprg3 = 79
    public static let dar = 80
    public static let dsisr = 81
    public static let tar = 82
    public static let vrsave = 83
    public static let dscr = 84
    public static let ppr = 85
    /// Virtual time: the time base reads `instructions executed + timeBaseOffset` (see
    /// `Interpreter.timeBase`); H_CEDE and TB writes move the offset.
    public static let timeBaseOffset = 86
    /// The decrementer as the time base at which it reads zero: DEC = decrementerBase - TB.
    public static let decrementerBase = 87
    /// FSCR, kept here because facility-unavailable delivery writes its cause field.
    public static let fscr = 88
    /// First of the slots that hold the SPR table's plain storage (`SPRTable`, `sprStorageCount`).
    public static let sprStorage0 = 96
    public static let sprStorageCount = 64
    /// Vector state (issue 16): VSR0-31's low doublewords (their high ones are the FPRs), then
    /// VR0-31 (= VSR32-63) as two slots each, high doubleword first, then VSCR.
    public static let vsrLow0 = 160
    public static let vr0 = 192
    public static let vscr = 256
    public static let count = 260

    /// Name of a slot as a person writes it (`r3`, `f1`, `lr`, `cr`…), for traces and reports.
    public static func name(_ slot: Int) -> String {
        switch slot {
        case 0..<32: return "r\(slot)"
        case 32..<64: return "f\(slot - 32)"
        case pc: return "pc"
        case lr: return "lr"
        case ctr: return "ctr"
        case xer: return "xer"
        case cr: return "cr"
        case fpscr: return "fpscr"
        case msr: return "msr"
        case reserveAddress: return "reserve"
        case reserveValid: return "reserve_valid"
        case reserveSize: return "reserve_size"
        case srr0: return "srr0"
        case srr1: return "srr1"
        case sprg0..<(sprg0 + 4): return "sprg\(slot - sprg0)"
        case dar: return "dar"
        case dsisr: return "dsisr"
        case tar: return "tar"
        case vrsave: return "vrsave"
        case dscr: return "dscr"
        case ppr: return "ppr"
        case timeBaseOffset: return "tb_offset"
        case decrementerBase: return "dec_base"
        case fscr: return "fscr"
        case vsrLow0..<(vsrLow0 + 32): return "vs\(slot - vsrLow0).l"
        case vr0..<(vr0 + 64): return "v\((slot - vr0) / 2)" + ((slot - vr0) % 2 == 0 ? ".h" : ".l")
        case vscr: return "vscr"
        default: return SPRTable.name(ofSlot: slot) ?? "slot\(slot)"
        }
    }
}

/// XER bits (64-bit register, ISA bit 32 = SO).
public enum XER {
    public static let so: UInt64 = 0x8000_0000
    public static let ov: UInt64 = 0x4000_0000
    public static let ca: UInt64 = 0x2000_0000
    public static let ov32: UInt64 = 0x0008_0000
    public static let ca32: UInt64 = 0x0004_0000
}

/// MSR bits used by lpar.
public enum MSR {
    /// 64-bit mode.
    public static let sf: UInt64 = 1 << 63
    public static let hv: UInt64 = 1 << 60
    public static let ee: UInt64 = 1 << 15
    /// Problem (user) state.
    public static let pr: UInt64 = 1 << 14
    public static let fp: UInt64 = 1 << 13
    public static let me: UInt64 = 1 << 12
    public static let ir: UInt64 = 1 << 5
    public static let dr: UInt64 = 1 << 4
    public static let ri: UInt64 = 1 << 1
    public static let le: UInt64 = 1
    public static let se: UInt64 = 1 << 10
    /// Floating-point exception mode (FE0 bit 52, FE1 bit 55): either nonzero makes an FP
    /// instruction that raises an exception enabled in the FPSCR take a program interrupt.
    public static let fe0: UInt64 = 1 << 11
    public static let fe1: UInt64 = 1 << 8
    public static let be: UInt64 = 1 << 9
    public static let vec: UInt64 = 1 << 25
    public static let vsx: UInt64 = 1 << 23

    /// The MSR that mtmsr, mtmsrd (L = 0) and rfid give a partition: HV stays as it was, and
    /// under PAPR a guest cannot clear ME, only set it again (the rfid that ends a machine-check
    /// handler, whose entry cleared it); PR = 1 turns EE, IR and DR on (Book III 4.4: problem
    /// state always runs translated and interruptible).
    @inline(__always) public static func written(old: UInt64, new: UInt64) -> UInt64 {
        var m = (new & ~(hv | me)) | (old & hv) | ((old | new) & me)
        if m & pr != 0 { m |= ee | ir | dr }
        return m
    }
}

/// SPR numbers (as encoded in mfspr/mtspr after un-swapping).
public enum SPR {
    public static let xer = 1, lr = 8, ctr = 9, dscr = 17, dsisr = 18, dar = 19, dec = 22
    public static let srr0 = 26, srr1 = 27, vrsave = 256
    public static let sprg0 = 272, sprg1 = 273, sprg2 = 274, sprg3 = 275
    public static let tbRead = 268, tbuRead = 269, tbWrite = 284, tbuWrite = 285
    public static let pvr = 287, tar = 815, ppr = 896, ppr32 = 898, pir = 1023
    /// User-readable aliases of SPRG3 (259) and others.
    public static let usprg3 = 259
    public static let pidr = 48, amr = 29, iamr = 882
}

import GuestMemory

/// An architectural interrupt (Power ISA 3.0B Book III chapter 6), as a value.
///
/// The engine raises these; for a PAPR guest it delivers them itself (`deliver`), exactly as
/// Book III says for a guest with MSR[HV] = 0, and execution goes on at the vector. Only when
/// the guest has no handler (the vector holds no code) does one reach the machine, which then
/// reports the original cause. The Linux personality turns each into a signal instead.
public enum Interrupt: Equatable, Sendable {
    /// 0x200: a real-mode access to a real address where nothing is (6.5.2). The fault says
    /// which access and the effective address; `isFetch` distinguishes the i-side form.
    case machineCheck(MemoryFault)
    /// 0x300 (6.5.3): DAR = the effective address, DSISR as given.
    case dataStorage(address: UInt64, dsisr: UInt32)
    /// 0x380 (6.5.4): DAR = the effective address.
    case dataSegment(address: UInt64)
    /// 0x400 (6.5.5): SRR0 = the instruction, SRR1 bits 33:36 and 42:47 as given.
    case instructionStorage(srr1: UInt64)
    /// 0x480 (6.5.6).
    case instructionSegment
    /// 0x500 (6.5.7): an external exception (XICS) while MSR[EE] = 1.
    case external
    /// 0x600 (6.5.8): DAR = the effective address of the misaligned access.
    case alignment(address: UInt64)
    /// 0x700 (6.5.9): SRR1 bit 43-46 says which.
    case program(ProgramCause)
    /// 0x800 (6.5.10): a floating-point instruction with MSR[FP] = 0.
    case floatingPointUnavailable
    /// 0x900 (6.5.11): DEC's most significant bit is 1 while MSR[EE] = 1; SRR0 = next instruction.
    case decrementer
    /// 0xC00 (6.5.14): `sc 0` in a partition's supervisor or problem state; SRR0 = after the sc.
    case systemCall
    /// 0xD00 (6.5.15): MSR[SE] = 1 and an instruction completed; SRR0 = the next instruction.
    case trace
    /// 0xF20 (6.5.19): a vector instruction with MSR[VEC] = 0.
    case vectorUnavailable
    /// 0xF40 (6.5.20): a VSX instruction with MSR[VSX] = 0.
    case vsxUnavailable
    /// 0xF60 (6.5.21): a facility FSCR disables; the cause goes to FSCR[IC] (bits 0:7).
    case facilityUnavailable(cause: UInt8)

    /// The real address of the interrupt vector (with AIL = 0, as lpar's guests have).
    public var vector: UInt64 {
        switch self {
        case .machineCheck: return 0x200
        case .dataStorage: return 0x300
        case .dataSegment: return 0x380
        case .instructionStorage: return 0x400
        case .instructionSegment: return 0x480
        case .external: return 0x500
        case .alignment: return 0x600
        case .program: return 0x700
        case .floatingPointUnavailable: return 0x800
        case .decrementer: return 0x900
        case .systemCall: return 0xC00
        case .trace: return 0xD00
        case .vectorUnavailable: return 0xF20
        case .vsxUnavailable: return 0xF40
        case .facilityUnavailable: return 0xF60
        }
    }

    /// True when SRR0 gets the address of the next instruction rather than the one that caused
    /// the interrupt (sc, trace, and the asynchronous ones, which are taken between instructions).
    public var resumesAfter: Bool {
        switch self {
        case .systemCall, .trace: return true
        default: return false
        }
    }

    /// SRR1 bits 33:36 and 42:47, the interrupt-specific ones (the rest are copied from MSR).
    public var srr1Bits: UInt64 {
        switch self {
        case .machineCheck(let f):
            // SRR1[42] (0x20_0000): the machine check came from a load or store (POWER9).
            return f.kind == .fetch ? 0 : SRR1.dSideMachineCheck
        case .instructionStorage(let bits): return bits & SRR1.interruptSpecific
        case .program(let cause): return cause.srr1Bit
        default: return 0
        }
    }

    /// The name used in traces and reports.
    public var name: String {
        switch self {
        case .machineCheck: return "machine check"
        case .dataStorage: return "data storage"
        case .dataSegment: return "data segment"
        case .instructionStorage: return "instruction storage"
        case .instructionSegment: return "instruction segment"
        case .external: return "external"
        case .alignment: return "alignment"
        case .program(let c): return "program (\(c.rawValue))"
        case .floatingPointUnavailable: return "floating-point unavailable"
        case .decrementer: return "decrementer"
        case .systemCall: return "system call"
        case .trace: return "trace"
        case .vectorUnavailable: return "vector unavailable"
        case .vsxUnavailable: return "VSX unavailable"
        case .facilityUnavailable: return "facility unavailable"
        }
    }
}

/// Why a program interrupt was raised (Book III 6.5.9).
public enum ProgramCause: String, Sendable {
    case floatingPointEnabled = "floating-point enabled exception"
    case illegalInstruction = "illegal instruction"
    case privilegedInstruction = "privileged instruction"
    case trap = "trap"

    /// SRR1 bit 43, 44, 45 or 46.
    public var srr1Bit: UInt64 {
        switch self {
        case .floatingPointEnabled: return 1 << (63 - 43)
        case .illegalInstruction: return 1 << (63 - 44)
        case .privilegedInstruction: return 1 << (63 - 45)
        case .trap: return 1 << (63 - 46)
        }
    }
}

/// SRR1 bits (64-bit register, ISA bit 0 = most significant). An ISI's cause bits are given
/// as 32-bit values, as the radix MMU produces them (Linux asm/reg.h SRR1_ISI_*).
public enum SRR1 {
    /// Bits 33:36 and 42:47: set by the interrupt; the others are copied from MSR (Linux's
    /// SRR1_MSR_BITS is the complement).
    public static let interruptSpecific: UInt64 = 0x0000_0000_783F_0000
    /// Bit 42: the machine check came from a load or store (POWER9).
    public static let dSideMachineCheck: UInt64 = 1 << (63 - 42)
    /// Bit 33: no translation.
    public static let noTranslation: UInt32 = 0x4000_0000
    /// Bit 35: fetch not permitted: no execute authority, a privileged page from problem
    /// state, IAMR key 0, or Guarded storage. Radix reports every fetch protection failure
    /// here (QEMU ppc_radix64_check_prot, microwatt mmu.vhdl perm_err); bit 36 is the hashed
    /// page table's protection bit and radix leaves it 0.
    public static let fetchProtection: UInt32 = 0x1000_0000
    /// Bit 44: the radix tree is malformed.
    public static let radixConfiguration: UInt32 = 0x0008_0000
    /// Bit 45: R needed setting.
    public static let referenceChange: UInt32 = 0x0004_0000
}

/// DSISR bits (ISA bits 32:63 of a 64-bit register, so ISA bit n is 1 << (63 - n)); the same
/// bits are QEMU's DSISR_NOPTE, DSISR_PROTFAULT, DSISR_ISSTORE, DSISR_R_BADCONFIG, DSISR_ATOMIC_RC.
public enum DSISR {
    /// Bit 33: no translation (an invalid PDE/PTE, or a PID beyond the process table).
    public static let noTranslation: UInt32 = 0x4000_0000
    /// Bit 36: the access is not permitted (a read-only window; EAA, privilege, or AMR key 0).
    public static let protection: UInt32 = 0x0800_0000
    /// Bit 38: the access was a store.
    public static let store: UInt32 = 0x0200_0000
    /// Bit 44: the radix tree is malformed (NLS or RPDS < 5, or more levels than EA bits).
    public static let radixConfiguration: UInt32 = 0x0008_0000
    /// Bit 45: R or C needed setting (POWER9 interrupts instead of updating them).
    public static let referenceChange: UInt32 = 0x0004_0000
}

extension Interrupt {
    /// Delivers the interrupt to `cpu` (Book III 6.4): SRR0 is the instruction at `pc` (or the
    /// next one, `nextPC`, for sc and trace), SRR1 the old MSR with the interrupt's bits in
    /// 33:36 and 42:47, DAR/DSISR where the interrupt defines them, and the new MSR: 64-bit,
    /// big-endian (LPCR[ILE] = 0), ME (except for a machine check) and HV kept, everything else (EE, PR, IR, DR, FP, VEC,
    /// VSX, SE, BE, FE0, FE1, RI…) 0. The PC becomes the vector.
    public func deliver(to cpu: CPU, pc: UInt64, nextPC: UInt64) {
        let msr = cpu.msr
        cpu[RegisterSlot.srr0] = resumesAfter ? nextPC : pc
        cpu[RegisterSlot.srr1] = (msr & ~SRR1.interruptSpecific) | srr1Bits
        switch self {
        case .machineCheck(let f) where f.kind != .fetch:
            cpu[RegisterSlot.dar] = f.address
        case .dataStorage(let address, let dsisr):
            cpu[RegisterSlot.dar] = address
            cpu[RegisterSlot.dsisr] = UInt64(dsisr)
        case .dataSegment(let address), .alignment(let address):
            cpu[RegisterSlot.dar] = address
        case .facilityUnavailable(let cause):
            cpu[RegisterSlot.fscr] = (cpu[RegisterSlot.fscr] & 0x00FF_FFFF_FFFF_FFFF) | UInt64(cause) << 56
        default:
            break
        }
        // A machine check clears ME (a second one before the handler sets it again would be a
        // checkstop); every other interrupt keeps it.
        let kept = { if case .machineCheck = self { return MSR.hv } else { return MSR.me | MSR.hv } }()
        cpu.msr = (msr & kept) | MSR.sf
        cpu.pc = vector
    }
}

extension Interrupt {
    /// One interrupt of each kind lpar raises, with what raises it: `lpar explain interrupts`.
    public static let catalogue: [(interrupt: Interrupt, raisedBy: String)] = [
        (.machineCheck(MemoryFault(address: 0, size: 1, kind: .load)),
         "a real-mode load, store or fetch where nothing is; DAR = the EA, SRR1[42] (0x200000) for a load or store; clears ME"),
        (.dataStorage(address: 0, dsisr: 0), "a store into a read-only window (a readonly=on NVDIMM's blocks): DAR = EA, DSISR = 0x0A000000"),
        (.external, "an XICS interrupt (an H_IPI) presented while MSR[EE] = 1"),
        (.alignment(address: 0), "a misaligned larx/stcx., lq/stq/lqarx/stqcx. or lmw/stmw: DAR = EA"),
        (.program(.illegalInstruction), "a word that is no instruction lpar implements: SRR1 bit 44 (0x80000)"),
        (.program(.privilegedInstruction), "a supervisor instruction or SPR in problem state: SRR1 bit 45 (0x40000)"),
        (.program(.trap), "tw/td/twi/tdi whose condition holds: SRR1 bit 46 (0x20000)"),
        (.program(.floatingPointEnabled), "an FP instruction raising an exception the FPSCR enables while MSR[FE0,FE1] != 0: SRR1 bit 43 (0x100000)"),
        (.floatingPointUnavailable, "a floating-point instruction, or mfvsrd/mtvsrd/mfvsrwz/mtvsrwz/mtvsrwa naming VSR 0-31, with MSR[FP] = 0"),
        (.decrementer, "DEC's top bit set while MSR[EE] = 1 (level-triggered)"),
        (.systemCall, "sc 0 (a guest kernel's own system call); sc 1 is the hypervisor's"),
        (.trace, "MSR[SE] = 1: after each instruction that completes"),
        (.vectorUnavailable, "a VMX (AltiVec) word, or a VSX one naming VSR 32-63 where ISA 3.0 splits the check (lxv, xxspltib, mfvrd…), with MSR[VEC] = 0"),
        (.vsxUnavailable, "a VSX word with MSR[VSX] = 0 (lxv, xxspltib, mtvsrdd…: only naming VSR 0-31)"),
    ]

    /// `lpar explain interrupts`: the vectors and the rules of delivery, from the definitions
    /// the engine delivers with.
    public static var explanation: String {
        var s = "Interrupts a PAPR guest takes (Power ISA 3.0B Book III chapter 6, a partition: MSR[HV] = 0)\n\n"
        s += "vector  interrupt                        SRR0              raised by\n"
        func pad(_ t: String, _ n: Int) -> String { t.count >= n ? t + " " : t + String(repeating: " ", count: n - t.count) }
        for (i, why) in catalogue {
            let vector = "0x" + String(i.vector, radix: 16, uppercase: true)
            let next = i.resumesAfter || i == .external || i == .decrementer
            let srr0 = next ? "next instruction" : "the instruction"
            s += pad(vector, 8) + pad(i.name, 33) + pad(srr0, 18) + why + "\n"
        }
        s += """

        Delivery: SRR0 as above; SRR1 = the old MSR with bits 33:36 and 42:47 (mask 0x783F0000)
        replaced by the interrupt's; the new MSR keeps ME (not for a machine check) and HV and sets
        SF: EE, PR, IR, DR, FP, VEC, VSX, SE, BE, FE0, FE1, RI and LE are 0. The PC becomes the
        vector (AIL = 0). rfid returns: PC = SRR0, MSR = SRR1 (HV kept; ME can be set, not cleared).

        A guest with no handler (a zero word at the vector) or whose handler faults on its first
        instruction stops with lpar's report of the original cause. `lpar run --trace interrupt`
        shows each delivery with SRR0/SRR1/DAR/DSISR; `--stats` counts them by kind.
        """
        return s
    }
}

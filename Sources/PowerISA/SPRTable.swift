/// The special-purpose registers as a POWER9 partition (MSR[HV] = 0) sees them: one row per SPR
/// number, the single source of `mfspr`/`mtspr` semantics, trace names and the disassembler's
/// extended mnemonics (`mfdec`, `mtsrr0`…).
///
/// Access follows Book III 4.4.4 and the mtspr/mfspr descriptions (Book III 5.4.4):
/// - allowed in the current state (problem or supervisor column): the row's behaviour;
/// - defined for a more privileged state only: in problem state the privileged-instruction
///   program interrupt; in supervisor state (only the hypervisor may) the hypervisor emulation
///   assistance interrupt, which the hypervisor — lpar, for a PAPR guest — reflects to the
///   partition as the illegal-instruction program interrupt, as KVM does;
/// - not defined for this direction at all: the ISA's rule for undefined SPR numbers (see
///   `SPRTable.undefinedAccess`).
public enum SPRAccess: Sendable, Equatable {
    case none, read, write, readWrite
    public var canRead: Bool { self == .read || self == .readWrite }
    public var canWrite: Bool { self == .write || self == .readWrite }
    func allows(write: Bool) -> Bool { write ? canWrite : canRead }
}

/// What an access does, once it is allowed.
public enum SPRBehaviour: Sendable, Equatable {
    /// A plain register kept in `slot`: mtspr changes the bits of `writeMask` (the others are
    /// read-only and keep their value); mfspr reads the slot.
    case storage(slot: Int, writeMask: UInt64)
    /// Reads as this value; writes are not defined.
    case constant(UInt64)
    /// Writes are accepted and have no effect lpar models (trigger and trace registers).
    case discard
    /// Semantics of its own (`Executor.readSpecial`/`writeSpecial`).
    case special(SPRSpecial)
    /// Only the hypervisor (or ultravisor) uses it: never reached by a partition.
    case hypervisor
    /// Named by objdump, but not a POWER9 SPR: accesses follow the rule for undefined numbers.
    case undefined
}

public enum SPRSpecial: Sendable, Equatable {
    /// DEC: a 32-bit down-counter on virtual time, read sign-extended (LPCR[LD] = 0).
    case dec
    /// TB (268) and TBU (269, the high word) read the time base.
    case tb, tbu
    /// PURR, SPURR and VTB count with the time base: one thread, always dispatched.
    case timeDerived
    /// IC: instructions completed.
    case instructionCount
    /// AMR via SPR 13: problem-state writes change only the bits UAMOR allows; supervisor
    /// writes change all of them (AMOR is all ones, as KVM sets it for a guest).
    case amrUser
    /// PPR / PPR32 (the high word): only PRI (bits 11:13); a priority the state may not set
    /// (problem: 2-4, supervisor: 1-6) leaves PPR unchanged.
    case ppr, ppr32
    /// BESCRS/BESCRSU set and BESCRR/BESCRRU reset the BESCR bits written (U: the high word,
    /// from the low word of RS); reads give BESCR (U: its high word).
    case bescrSet, bescrSetUpper, bescrReset, bescrResetUpper
    /// CTRL: only RUN (bit 63) is kept; 136 reads it, 152 writes it.
    case ctrl
    /// PIR: the vCPU's interrupt server number (`CPU.processorID`).
    case processorID
}

/// How objdump writes mfspr/mtspr of this number.
public enum SPRMnemonic: Sendable, Equatable {
    /// `mf<name> rT` and `mt<name> rS`.
    case both(String)
    case mfOnly(String), mtOnly(String)
    /// `mf<name> rT,n` and `mt<name> n,rS` (SPRGn, BATs).
    case indexed(String, Int)
    /// Different names per direction.
    case split(mf: String, mt: String)
    case none

    var mf: String? {
        switch self {
        case .both(let n), .mfOnly(let n), .split(let n, _): return n
        default: return nil
        }
    }
    var mt: String? {
        switch self {
        case .both(let n), .mtOnly(let n), .split(_, let n): return n
        default: return nil
        }
    }
}

public struct SPRDefinition: Sendable, Equatable {
    public let number: Int
    /// The ISA's name (upper case), used by traces and reports.
    public let name: String
    /// 32 or 64: a 32-bit SPR reads back with bits 0:31 zero.
    public let width: Int
    public let problem: SPRAccess
    public let supervisor: SPRAccess
    public let hypervisor: SPRAccess
    public let behaviour: SPRBehaviour
    public let mnemonic: SPRMnemonic

    init(_ number: Int, _ name: String, _ width: Int, problem: SPRAccess = .none, supervisor: SPRAccess,
         hypervisor: SPRAccess? = nil, _ behaviour: SPRBehaviour, _ mnemonic: SPRMnemonic = .none) {
        self.number = number; self.name = name; self.width = width
        self.problem = problem; self.supervisor = supervisor
        self.hypervisor = hypervisor ?? supervisor
        self.behaviour = behaviour; self.mnemonic = mnemonic
    }

    /// A plain register: full width writable unless `mask` says otherwise.
    static func plain(_ number: Int, _ name: String, _ width: Int, problem: SPRAccess = .none, supervisor: SPRAccess = .readWrite,
                      hypervisor: SPRAccess? = nil, slot: Int, mask: UInt64? = nil, _ mnemonic: SPRMnemonic = .none) -> SPRDefinition {
        let widthMask: UInt64 = width == 32 ? 0xFFFF_FFFF : .max
        return SPRDefinition(number, name, width, problem: problem, supervisor: supervisor, hypervisor: hypervisor,
                             .storage(slot: slot, writeMask: (mask ?? .max) & widthMask), mnemonic)
    }
    /// A register only the hypervisor (or ultravisor) reads and writes.
    static func hv(_ number: Int, _ name: String, _ width: Int, _ mnemonic: SPRMnemonic = .none, access: SPRAccess = .readWrite) -> SPRDefinition {
        SPRDefinition(number, name, width, supervisor: .none, hypervisor: access, .hypervisor, mnemonic)
    }
    /// A number objdump names that POWER9 does not define.
    static func named(_ number: Int, _ name: String, _ mnemonic: SPRMnemonic) -> SPRDefinition {
        SPRDefinition(number, name, 64, supervisor: .none, .undefined, mnemonic)
    }
}

/// Slots of the plain SPRs that have no slot of their own in `RegisterSlot`.
public extension RegisterSlot {
    static let amr = sprStorage0 + 0
    static let iamr = sprStorage0 + 1
    static let uamor = sprStorage0 + 2
    static let pidr = sprStorage0 + 3
    static let cfar = sprStorage0 + 4
    static let tidr = sprStorage0 + 5
    static let psscr = sprStorage0 + 6
    static let pspb = sprStorage0 + 7
    static let wort = sprStorage0 + 8
    static let bescr = sprStorage0 + 9
    static let ebbhr = sprStorage0 + 10
    static let ebbrr = sprStorage0 + 11
    static let mmcr0 = sprStorage0 + 12
    static let mmcr1 = sprStorage0 + 13
    static let mmcr2 = sprStorage0 + 14
    static let mmcra = sprStorage0 + 15
    /// PMC1…PMC6.
    static let pmc1 = sprStorage0 + 16
    static let siar = sprStorage0 + 22
    static let sdar = sprStorage0 + 23
    static let sier = sprStorage0 + 24
    static let ctrl = sprStorage0 + 25
    static let dpdes = sprStorage0 + 26
}

public enum SPRTable {
    // Access shorthands for the rows.
    private static let rw = SPRAccess.readWrite, ro = SPRAccess.read, wo = SPRAccess.write
    private typealias S = RegisterSlot

    /// Every SPR number lpar knows, in number order.
    public static let rows: [SPRDefinition] = [
        .plain(1, "XER", 64, problem: rw, slot: S.xer, mask: 0xFFFF_FFFF, .both("xer")),  // bits 32:63; qemu-ppc64 keeps the reserved ones
        .plain(3, "DSCR", 64, problem: rw, slot: S.dscr, mask: dscrMask, .both("udscr")),
        .named(4, "RTCU", .mfOnly("rtcu")),
        .named(5, "RTCL", .mfOnly("rtcl")),
        .plain(8, "LR", 64, problem: rw, slot: S.lr, .both("lr")),
        .plain(9, "CTR", 64, problem: rw, slot: S.ctr, .both("ctr")),
        SPRDefinition(13, "AMR", 64, problem: rw, supervisor: rw, .special(.amrUser), .both("uamr")),
        .plain(17, "DSCR", 64, slot: S.dscr, mask: dscrMask, .both("dscr")),
        .plain(18, "DSISR", 32, slot: S.dsisr, .both("dsisr")),
        .plain(19, "DAR", 64, slot: S.dar, .both("dar")),
        .named(20, "RTCU", .mtOnly("rtcu")),
        .named(21, "RTCL", .mtOnly("rtcl")),
        SPRDefinition(22, "DEC", 32, supervisor: rw, .special(.dec), .both("dec")),
        .named(25, "SDR1", .both("sdr1")),  // no hashed page table register in ISA 3.0
        .plain(26, "SRR0", 64, slot: S.srr0, .both("srr0")),
        .plain(27, "SRR1", 64, slot: S.srr1, .both("srr1")),
        .plain(28, "CFAR", 64, slot: S.cfar, .both("cfar")),  // not updated by branches (yet)
        .plain(29, "AMR", 64, slot: S.amr, .both("amr")),
        .plain(48, "PIDR", 32, slot: S.pidr, .both("pidr")),
        .plain(61, "IAMR", 64, slot: S.iamr, .both("iamr")),
        .named(128, "TFHAR", .mtOnly("tfhar")),  // transactional memory: lpar offers none
        .named(129, "TFIAR", .mtOnly("tfiar")),
        .named(130, "TEXASR", .mtOnly("texasr")),
        .named(131, "TEXASRU", .mtOnly("texasru")),
        SPRDefinition(136, "CTRL", 32, problem: ro, supervisor: ro, .special(.ctrl), .mfOnly("ctrl")),
        .plain(144, "TIDR", 64, slot: S.tidr),
        SPRDefinition(152, "CTRL", 32, supervisor: wo, .special(.ctrl), .mtOnly("ctrl")),
        .plain(153, "FSCR", 64, slot: S.fscr, .both("fscr")),
        .plain(157, "UAMOR", 64, slot: S.uamor, .both("uamor")),  // AMOR is all ones: every bit writable
        .plain(159, "PSPB", 32, slot: S.pspb, .both("pspb")),
        .plain(176, "DPDES", 64, supervisor: ro, hypervisor: rw, slot: S.dpdes, .both("dpdes")),  // msgsndp/msgclrp change it
        .hv(180, "DAWR0", 64, .both("dawr0")),
        .hv(181, "DAWR1", 64, .both("dawr1")),
        .hv(186, "RPR", 64, .both("rpr")),
        .hv(187, "CIABR", 64, .both("ciabr")),
        .hv(188, "DAWRX0", 32, .both("dawrx0")),
        .hv(189, "DAWRX1", 32, .both("dawrx1")),
        .hv(190, "HFSCR", 64, .both("hfscr")),
        .plain(256, "VRSAVE", 32, problem: rw, slot: S.vrsave, .both("vrsave")),
        .plain(259, "SPRG3", 64, problem: ro, supervisor: ro, hypervisor: ro, slot: S.sprg0 + 3, .mfOnly("usprg3")),
        SPRDefinition(268, "TB", 64, problem: ro, supervisor: ro, .special(.tb), .mfOnly("tb")),
        SPRDefinition(269, "TBU", 32, problem: ro, supervisor: ro, .special(.tbu), .mfOnly("tbu")),
        .plain(272, "SPRG0", 64, slot: S.sprg0, .indexed("sprg", 0)),
        .plain(273, "SPRG1", 64, slot: S.sprg0 + 1, .indexed("sprg", 1)),
        .plain(274, "SPRG2", 64, slot: S.sprg0 + 2, .indexed("sprg", 2)),
        .plain(275, "SPRG3", 64, slot: S.sprg0 + 3, .indexed("sprg", 3)),
        .hv(276, "SPRC", 64),
        .hv(277, "SPRD", 64),
        .named(280, "ASR", .both("asr")),
        .named(282, "EAR", .both("ear")),
        SPRDefinition(283, "CIR", 32, supervisor: ro, .constant(0)),  // implementation-dependent: lpar names no chip
        .hv(284, "TBL", 32, .mtOnly("tbl"), access: wo),  // the time base is the hypervisor's to write
        .hv(285, "TBU", 32, .mtOnly("tbu"), access: wo),
        .hv(286, "TBU40", 64, .mtOnly("tbu40"), access: wo),
        SPRDefinition(287, "PVR", 32, supervisor: ro, .constant(processorVersion), .mfOnly("pvr")),
        .hv(304, "HSPRG0", 64, .both("hsprg0")),
        .hv(305, "HSPRG1", 64, .both("hsprg1")),
        .hv(306, "HDSISR", 32, .both("hdisr")),
        .hv(307, "HDAR", 64, .both("hdar")),
        SPRDefinition(308, "SPURR", 64, supervisor: ro, hypervisor: rw, .special(.timeDerived), .both("spurr")),
        SPRDefinition(309, "PURR", 64, supervisor: ro, hypervisor: rw, .special(.timeDerived), .both("purr")),
        .hv(310, "HDEC", 32, .both("hdec")),
        .hv(312, "RMOR", 64),
        .hv(313, "HRMOR", 64, .both("hrmor")),
        .hv(314, "HSRR0", 64, .both("hsrr0")),
        .hv(315, "HSRR1", 64, .both("hsrr1")),
        .hv(317, "TFMR", 64),
        .hv(318, "LPCR", 64, .both("lpcr")),
        .hv(319, "LPIDR", 32, .both("lpidr")),
        .hv(336, "HMER", 64, .both("hmer")),
        .hv(337, "HMEER", 64, .both("hmeer")),
        .hv(338, "PCR", 64, .both("pcr")),
        .hv(339, "HEIR", 32, .both("heir")),
        .hv(349, "AMOR", 64, .both("amor")),
        SPRDefinition(446, "TIR", 64, supervisor: ro, .constant(0), .mfOnly("tir")),  // thread 0 of 1
        .hv(464, "PTCR", 64, .both("ptcr")),
        // Ultravisor registers (POWER9 with secure memory): beyond a partition's reach.
        .hv(496, "USPRG0", 64, .both("usprg0")),
        .hv(497, "USPRG1", 64, .both("usprg1")),
        .hv(505, "URMOR", 64, .both("urmor")),
        .hv(506, "USRR0", 64, .both("usrr0")),
        .hv(507, "USRR1", 64, .both("usrr1")),
        .hv(511, "SMFCTRL", 64, .both("smfctrl")),
        // 32-bit PowerPC block address translation: not in 64-bit implementations.
        .named(528, "IBAT0U", .indexed("ibatu", 0)), .named(529, "IBAT0L", .indexed("ibatl", 0)),
        .named(530, "IBAT1U", .indexed("ibatu", 1)), .named(531, "IBAT1L", .indexed("ibatl", 1)),
        .named(532, "IBAT2U", .indexed("ibatu", 2)), .named(533, "IBAT2L", .indexed("ibatl", 2)),
        .named(534, "IBAT3U", .indexed("ibatu", 3)), .named(535, "IBAT3L", .indexed("ibatl", 3)),
        .named(536, "DBAT0U", .indexed("dbatu", 0)), .named(537, "DBAT0L", .indexed("dbatl", 0)),
        .named(538, "DBAT1U", .indexed("dbatu", 1)), .named(539, "DBAT1L", .indexed("dbatl", 1)),
        .named(540, "DBAT2U", .indexed("dbatu", 2)), .named(541, "DBAT2L", .indexed("dbatl", 2)),
        .named(542, "DBAT3U", .indexed("dbatu", 3)), .named(543, "DBAT3L", .indexed("dbatl", 3)),
        // POWER10 performance monitor additions.
        .named(736, "SIER2", .mfOnly("usier2")), .named(737, "SIER3", .mfOnly("usier3")), .named(738, "MMCR3", .mfOnly("ummcr3")),
        .named(752, "SIER2", .mtOnly("sier2")), .named(753, "SIER3", .mtOnly("sier3")), .named(754, "MMCR3", .mtOnly("mmcr3")),
        // Performance monitor: 768-782 are the problem-state views of 784-798.
        .plain(768, "SIER", 64, problem: ro, supervisor: ro, hypervisor: ro, slot: S.sier, .mfOnly("usier")),
        .plain(769, "MMCR2", 64, problem: rw, slot: S.mmcr2, .both("ummcr2")),
        .plain(770, "MMCRA", 64, problem: rw, slot: S.mmcra, .both("ummcra")),
        .plain(771, "PMC1", 32, problem: rw, slot: S.pmc1, .both("upmc1")),
        .plain(772, "PMC2", 32, problem: rw, slot: S.pmc1 + 1, .both("upmc2")),
        .plain(773, "PMC3", 32, problem: rw, slot: S.pmc1 + 2, .both("upmc3")),
        .plain(774, "PMC4", 32, problem: rw, slot: S.pmc1 + 3, .both("upmc4")),
        .plain(775, "PMC5", 32, problem: rw, slot: S.pmc1 + 4, .both("upmc5")),
        .plain(776, "PMC6", 32, problem: rw, slot: S.pmc1 + 5, .both("upmc6")),
        .plain(779, "MMCR0", 64, problem: rw, slot: S.mmcr0, .both("ummcr0")),
        .plain(780, "SIAR", 64, problem: ro, supervisor: ro, hypervisor: ro, slot: S.siar, .mfOnly("usiar")),
        .plain(781, "SDAR", 64, problem: ro, supervisor: ro, hypervisor: ro, slot: S.sdar, .mfOnly("usdar")),
        .plain(782, "MMCR1", 64, problem: ro, supervisor: ro, hypervisor: ro, slot: S.mmcr1, .mfOnly("ummcr1")),
        .plain(784, "SIER", 64, slot: S.sier, .mtOnly("sier")),
        .plain(785, "MMCR2", 64, slot: S.mmcr2),
        .plain(786, "MMCRA", 64, slot: S.mmcra, .mtOnly("mmcra")),
        .plain(787, "PMC1", 32, slot: S.pmc1, .mtOnly("pmc1")),
        .plain(788, "PMC2", 32, slot: S.pmc1 + 1, .mtOnly("pmc2")),
        .plain(789, "PMC3", 32, slot: S.pmc1 + 2, .mtOnly("pmc3")),
        .plain(790, "PMC4", 32, slot: S.pmc1 + 3, .mtOnly("pmc4")),
        .plain(791, "PMC5", 32, slot: S.pmc1 + 4, .mtOnly("pmc5")),
        .plain(792, "PMC6", 32, slot: S.pmc1 + 5, .mtOnly("pmc6")),
        .plain(795, "MMCR0", 64, slot: S.mmcr0, .mtOnly("mmcr0")),
        .plain(796, "SIAR", 64, slot: S.siar, .mtOnly("siar")),
        .plain(797, "SDAR", 64, slot: S.sdar, .mtOnly("sdar")),
        .plain(798, "MMCR1", 64, slot: S.mmcr1, .mtOnly("mmcr1")),
        .hv(799, "IMC", 64),
        // Event-based branches.
        SPRDefinition(800, "BESCRS", 64, problem: rw, supervisor: rw, .special(.bescrSet), .both("bescrs")),
        SPRDefinition(801, "BESCRSU", 32, problem: rw, supervisor: rw, .special(.bescrSetUpper), .both("bescrsu")),
        SPRDefinition(802, "BESCRR", 64, problem: rw, supervisor: rw, .special(.bescrReset), .both("bescrr")),
        SPRDefinition(803, "BESCRRU", 32, problem: rw, supervisor: rw, .special(.bescrResetUpper), .both("bescrru")),
        .plain(804, "EBBHR", 64, problem: rw, slot: S.ebbhr, .both("ebbhr")),
        .plain(805, "EBBRR", 64, problem: rw, slot: S.ebbrr, .both("ebbrr")),
        .plain(806, "BESCR", 64, problem: rw, slot: S.bescr, .both("bescr")),
        .plain(815, "TAR", 64, problem: rw, slot: S.tar, .both("tar")),
        .hv(816, "ASDR", 64, .both("asdr")),
        .plain(823, "PSSCR", 64, slot: S.psscr, .both("psscr")),
        SPRDefinition(848, "IC", 64, supervisor: ro, hypervisor: rw, .special(.instructionCount), .both("ic")),
        SPRDefinition(849, "VTB", 64, supervisor: ro, hypervisor: rw, .special(.timeDerived), .both("vtb")),
        .hv(850, "LDBAR", 64, access: ro),
        .hv(851, "MMCRC", 32),
        .hv(853, "PMSR", 32, access: ro),
        .hv(855, "PSSCR", 64, .both("hpsscr")),
        .hv(861, "L2QOSR", 64, access: wo),
        SPRDefinition(881, "TRIG1", 64, supervisor: wo, .discard),
        SPRDefinition(882, "TRIG2", 64, supervisor: wo, .discard),
        .hv(884, "PMCR", 64),
        .hv(885, "RWMR", 64),
        .plain(895, "WORT", 64, slot: S.wort, mask: 0x3_FFFF),  // 18 bits (POWER9 user's manual)
        SPRDefinition(896, "PPR", 64, problem: rw, supervisor: rw, .special(.ppr), .both("ppr")),
        SPRDefinition(898, "PPR32", 32, problem: rw, supervisor: rw, .special(.ppr32), .both("ppr32")),
        .hv(921, "TSCR", 32),
        .hv(922, "TTR", 64),
        SPRDefinition(1006, "TRACE", 64, problem: wo, supervisor: wo, .discard),
        .hv(1008, "HID", 64),
        .hv(1013, "DABR", 64),
        SPRDefinition(1023, "PIR", 32, supervisor: ro, .special(.processorID), .mfOnly("pir")),
    ]

    /// POWER9 DD2.2.
    public static let processorVersion: UInt64 = 0x004E_1202
    /// DSCR bits 39:63 (ISA 3.0: SWTE HWTE STE LTE SWUE HWUE UNITCNT URG LSD SNSE SSE DPFD).
    public static let dscrMask: UInt64 = 0x01FF_FFFF
    /// PPR[PRI], bits 11:13.
    public static let pprPriorityShift: UInt64 = 50
    public static let pprMask: UInt64 = 7 << pprPriorityShift

    /// Row index + 1 of each SPR number (0: lpar knows no such number).
    static let index: [UInt16] = {
        var t = [UInt16](repeating: 0, count: 1024)
        for (i, r) in rows.enumerated() {
            precondition(t[r.number] == 0, "SPR \(r.number) has two rows")
            t[r.number] = UInt16(i + 1)
        }
        return t
    }()

    /// The row of SPR `n` (0...1023), if lpar knows the number.
    public static func definition(_ n: Int) -> SPRDefinition? {
        guard n >= 0 && n < 1024, case let i = index[n], i != 0 else { return nil }
        return rows[Int(i) - 1]
    }

    /// The outcome of an mfspr/mtspr before its behaviour runs.
    public enum Decision: Equatable, Sendable {
        case perform(SPRDefinition)
        /// The instruction does nothing (RT keeps its value).
        case noOp
        case programInterrupt(ProgramCause)
    }

    /// Decides an access to SPR `n` (Book III 4.4.4).
    public static func decide(_ n: Int, write: Bool, problemState: Bool) -> Decision {
        if let row = definition(n) {
            if (problemState ? row.problem : row.supervisor).allows(write: write) { return .perform(row) }
            if row.supervisor.allows(write: write) || row.hypervisor.allows(write: write) {
                // Problem state: privileged. Supervisor: hypervisor emulation assistance, which
                // the partition sees as an illegal instruction.
                return .programInterrupt(problemState ? .privilegedInstruction : .illegalInstruction)
            }
        }
        return undefinedAccess(n, problemState: problemState)
    }

    /// An SPR number undefined for this direction: numbers with 0x10 set are privileged
    /// (problem state: privileged-instruction interrupt; otherwise a no-op); the others are a
    /// hypervisor emulation assistance interrupt in problem state and for SPRs 0, 4, 5 and 6,
    /// and a no-op otherwise. (Book III 4.4.4; QEMU implements the same rule.)
    static func undefinedAccess(_ n: Int, problemState: Bool) -> Decision {
        if n & 0x10 != 0 { return problemState ? .programInterrupt(.privilegedInstruction) : .noOp }
        if problemState || n == 0 || n == 4 || n == 5 || n == 6 { return .programInterrupt(.illegalInstruction) }
        return .noOp
    }

    /// `decide` precomputed for every number, without the row's strings: what `Executor` uses.
    static let rules: [SPRRule] = (0..<1024).map { n in
        let row = definition(n)
        func outcome(_ write: Bool, _ problem: Bool) -> SPRRule.Outcome {
            switch decide(n, write: write, problemState: problem) {
            case .perform: return .perform
            case .noOp: return .noOp
            case .programInterrupt(let cause): return cause == .privilegedInstruction ? .privileged : .illegal
            }
        }
        return SPRRule(behaviour: row?.behaviour ?? .undefined,
                       readMask: row?.width == 32 && row?.behaviour != .special(.dec) ? 0xFFFF_FFFF : .max,
                       outcomes: [outcome(false, false), outcome(false, true), outcome(true, false), outcome(true, true)]
                        .enumerated().reduce(0) { $0 | $1.element.rawValue << (2 * $1.offset) })
    }

    /// The trace name of a register-file slot that holds an SPR (the first row using it).
    static let slotNames: [Int: String] = {
        var names: [Int: String] = [:]
        for r in rows {
            if case .storage(let slot, _) = r.behaviour, names[slot] == nil { names[slot] = r.name.lowercased() }
        }
        return names
    }()
    public static func name(ofSlot slot: Int) -> String? { slotNames[slot] }
}

/// One SPR number as the executor sees it (see `SPRTable.rules`).
struct SPRRule {
    enum Outcome: UInt8 { case perform, noOp, privileged, illegal }
    let behaviour: SPRBehaviour
    /// Applied to what mfspr reads: a 32-bit SPR's high word is 0 (DEC reads sign-extended).
    let readMask: UInt64
    /// Four 2-bit outcomes, indexed by write << 1 | problemState.
    let outcomes: UInt8

    @inline(__always) func outcome(write: Bool, problemState: Bool) -> Outcome {
        Outcome(rawValue: (outcomes >> (2 * ((write ? 2 : 0) | (problemState ? 1 : 0)))) & 3)!
    }
}

/// Guest real memory as the radix walker sees it: big-endian doublewords at real addresses.
/// Partition-scoped translation is the identity (lpar is the hypervisor), so these are the
/// guest's physical addresses. nil / false: no memory there (the engine's machine check).
public protocol PageTableMemory {
    func loadDoubleword(_ realAddress: UInt64) -> UInt64?
    func storeDoubleword(_ realAddress: UInt64, _ value: UInt64) -> Bool
}

/// A `PageTableMemory` from two functions.
public struct PageTableMemoryFunctions: PageTableMemory {
    public let load: (UInt64) -> UInt64?
    public let store: (UInt64, UInt64) -> Bool
    public init(load: @escaping (UInt64) -> UInt64?, store: @escaping (UInt64, UInt64) -> Bool) {
        self.load = load
        self.store = store
    }
    public func loadDoubleword(_ realAddress: UInt64) -> UInt64? { load(realAddress) }
    public func storeDoubleword(_ realAddress: UInt64, _ value: UInt64) -> Bool { store(realAddress, value) }
}

/// A successful translation.
public struct Translation: Equatable, Sendable {
    /// The real (guest physical) address of the access.
    public let realAddress: UInt64
    /// log2 of the page size: 12, 16, 21, 30 for the trees POWER9 Linux builds; 60 for a
    /// real-mode access (the whole real address space, with nothing to cache).
    public let pageShift: Int
    /// The PID whose tree translated it: PIDR for quadrant 0, 0 for quadrant 3.
    public let pid: UInt32
    /// The leaf as it is in memory after the access (R/C included).
    public let pte: RadixPTE
    /// Real address of the leaf (where R/C were written).
    public let pteAddress: UInt64
    /// What this translation permits for the MSR[PR] and AMR/IAMR it was made under.
    public let rights: AccessRights

    public var pageSize: UInt64 { 1 << UInt64(pageShift) }
}

/// A failed translation: exactly the interrupt the access raises.
public enum StorageFault: Equatable, Sendable {
    /// Data Storage interrupt (0x300): DAR = the EA, DSISR as given (`DSISR` bits).
    case dataStorage(dar: UInt64, dsisr: UInt32)
    /// Data Segment interrupt (0x380): DAR = the EA; DSISR is left unchanged.
    case dataSegment(dar: UInt64)
    /// Instruction Storage interrupt (0x400): SRR0 = the EA; `srr1` (`SRR1` bits) goes into
    /// SRR1 bits 33:36, 42:47, the rest of SRR1 from the MSR.
    case instructionStorage(ea: UInt64, srr1: UInt32)
    /// Instruction Segment interrupt (0x480): SRR0 = the EA, SRR1 cause bits 0.
    case instructionSegment(ea: UInt64)
    /// A process table or page table entry lies outside guest memory (or could not be
    /// written for R/C): the engine's machine check, as for a real-mode access there.
    case tableOutsideMemory(realAddress: UInt64, ea: UInt64)

    /// The interrupt vector, or nil for `tableOutsideMemory` (the engine's choice).
    public var vector: UInt64? {
        switch self {
        case .dataStorage: return 0x300
        case .dataSegment: return 0x380
        case .instructionStorage: return 0x400
        case .instructionSegment: return 0x480
        case .tableOutsideMemory: return nil
        }
    }
}

public enum TranslationResult: Equatable, Sendable {
    case translated(Translation)
    case fault(StorageFault)
}

/// How Reference and Change bits get set. The ISA allows either; POWER9 interrupts ("the POWER9
/// hardware triggers the appropriate interrupt ... whenever Reference (R) and Change (C) bits
/// require setting", POWER9 Processor User's Manual 4.10.13.1, quoted in QEMU commit 011dd5e
/// "target/ppc: Generate storage interrupts for radix RC changes", QEMU 8.2 and later; microwatt
/// does the same). QEMU 7.2 still sets them itself (ppc_radix64_set_rc).
public enum ReferenceChangePolicy: Sendable {
    /// A load or fetch from a page with R = 0, or a store to one with R or C = 0, raises a
    /// storage interrupt with DSISR/SRR1 bit 45; the guest OS sets the bits and retries
    /// (Linux does: DSISR_SET_RC is not in its DSISR_BAD_FAULT_64S).
    case interrupt
    /// The walker sets R (every access) and C (stores) in the PTE in memory.
    case setByHardware
}

/// Radix tree translation for a PAPR guest (MSR[HV] = 0): process-scoped translation of an
/// effective address through the process table the guest registered; partition scope is the
/// identity. Pure: all state comes in as arguments, memory through `PageTableMemory`.
///
/// The walk (Power ISA 3.0 Book III, Radix Tree Translation):
/// 1. Relocation off for this access (MSR[IR] for fetches, MSR[DR] for data): real mode, the
///    EA with bits 0:3 ignored.
/// 2. Quadrant = EA bits 0:1: 0 uses PID = PIDR, 3 uses PID 0 (the OS), 1 and 2 are the
///    hypervisor's: a segment interrupt.
/// 3. The PID's process table entry (PID × 16 must be inside the table, else no translation);
///    its RTS gives the tree size N = RTS + 31: EA bits 2:(63 − N) must be 0, else a segment
///    interrupt.
/// 4. From the root (RPDB, RPDS), each level consumes NLS bits of the EA below those already
///    used: entry = base + index × 8 (base aligned down to the table size). V = 0: no
///    translation. L = 1: the leaf; the page size is 2^(bits left). Otherwise NLB/NLS give the
///    next level. A level of fewer than 5 bits, or one reaching below bit 52 of the EA (pages
///    under 4K), is a radix configuration error.
/// 5. Permissions (privilege, EAA, AMR/IAMR key 0, guarded fetch), then R/C.
public struct RadixMMU: Sendable {
    public var registration: ProcessTableRegistration?
    public var referenceChangePolicy: ReferenceChangePolicy

    public init(registration: ProcessTableRegistration? = nil, referenceChangePolicy: ReferenceChangePolicy = .interrupt) {
        self.registration = registration
        self.referenceChangePolicy = referenceChangePolicy
    }

    /// In real mode the top four EA bits are ignored (QEMU ppc_radix64_xlate for a virtual
    /// hypervisor guest).
    public static let realModeMask: UInt64 = 0x0FFF_FFFF_FFFF_FFFF
    /// The smallest page: 4K.
    public static let minimumPageShift = 12
    /// A directory of fewer than 2^5 entries is a configuration error.
    public static let minimumLevelBits = 5

    /// Effective PID for an EA: PIDR in quadrant 0, 0 in quadrant 3, nil in quadrants 1 and 2.
    @inlinable public static func effectivePID(ea: UInt64, pidr: UInt32) -> UInt32? {
        switch ea >> 62 {
        case 0: return pidr
        case 3: return 0
        default: return nil
        }
    }

    /// Translates one access. `amr`/`iamr` only matter in privileged state on non-privileged
    /// pages.
    public func translate<Memory: PageTableMemory>(
        ea: UInt64, access: StorageAccess, msr: UInt64, pidr: UInt32,
        amr: UInt64 = 0, iamr: UInt64 = 0, memory: Memory
    ) -> TranslationResult {
        let relocate = access == .fetch ? msr & MSR.ir != 0 : msr & MSR.dr != 0
        let problemState = msr & MSR.pr != 0
        if !relocate {
            let realAddress = ea & Self.realModeMask
            return .translated(Translation(
                realAddress: realAddress, pageShift: 60, pid: 0, pte: RadixPTE(0),
                pteAddress: 0, rights: .all))
        }
        guard let pid = Self.effectivePID(ea: ea, pidr: pidr) else {
            return .fault(Self.segmentFault(ea: ea, access: access))
        }
        guard let table = registration else {
            // No process table yet: nothing translates.
            return .fault(Self.storageFault(ea: ea, access: access, cause: DSISR.noTranslation))
        }

        // Process table entry for the PID.
        let entryOffset = UInt64(pid) * 16
        guard entryOffset < table.sizeInBytes else {
            return .fault(Self.storageFault(ea: ea, access: access, cause: DSISR.noTranslation))
        }
        let entryAddress = table.base + entryOffset
        guard let prtb0 = memory.loadDoubleword(entryAddress) else {
            return .fault(.tableOutsideMemory(realAddress: entryAddress, ea: ea))
        }
        let prte = ProcessTableEntry(prtb0)

        // EA range: bits 2:(63 - N) must be zero for an N-bit tree.
        let treeBits = prte.radixTreeSize
        let offsetInQuadrant = ea & 0x3FFF_FFFF_FFFF_FFFF
        if treeBits < 62 && offsetInQuadrant >> UInt64(treeBits) != 0 {
            return .fault(Self.segmentFault(ea: ea, access: access))
        }

        // The walk: `bitsLeft` EA bits remain below the levels already used.
        var bitsLeft = treeBits
        var base = prte.rpdb
        var levelBits = prte.rpds
        var entry: UInt64
        var entryAt: UInt64
        while true {
            guard levelBits >= Self.minimumLevelBits, bitsLeft - levelBits >= Self.minimumPageShift else {
                return .fault(Self.storageFault(ea: ea, access: access, cause: DSISR.radixConfiguration))
            }
            bitsLeft -= levelBits
            let index = (offsetInQuadrant >> UInt64(bitsLeft)) & ((1 << UInt64(levelBits)) - 1)
            let tableBytes: UInt64 = 1 << UInt64(levelBits + 3)
            entryAt = (base & ~(tableBytes - 1)) + index * 8
            guard let loaded = memory.loadDoubleword(entryAt) else {
                return .fault(.tableOutsideMemory(realAddress: entryAt, ea: ea))
            }
            entry = loaded
            if entry & RadixEntry.valid == 0 {
                return .fault(Self.storageFault(ea: ea, access: access, cause: DSISR.noTranslation))
            }
            if entry & RadixEntry.leaf != 0 { break }
            base = entry & RadixEntry.nextLevelBase
            levelBits = Int(entry & RadixEntry.nextLevelSize)
        }

        // The leaf.
        var pte = RadixPTE(entry)
        let keyZeroDenied = AccessRights.keyZeroDenied(amr: amr, iamr: iamr)
        var rights = pte.rights(problemState: problemState, keyZeroDenied: keyZeroDenied)
        if pte.isGuarded { rights.remove(.execute) }
        if !rights.contains(access.requiredRight) {
            return .fault(Self.storageFault(ea: ea, access: access, cause: DSISR.protection))
        }

        // Reference and Change.
        let needed = access == .store ? RadixPTE.reference | RadixPTE.change : RadixPTE.reference
        if pte.value & needed != needed {
            switch referenceChangePolicy {
            case .interrupt:
                return .fault(Self.storageFault(ea: ea, access: access, cause: DSISR.referenceChange))
            case .setByHardware:
                pte.value |= needed
                guard memory.storeDoubleword(entryAt, pte.value) else {
                    return .fault(.tableOutsideMemory(realAddress: entryAt, ea: ea))
                }
            }
        }
        // A page not yet changed is not writable through this translation: the store that
        // changes it must come back here (for C, or for the interrupt).
        if !pte.isChanged { rights.remove(.write) }

        let pageMask: UInt64 = (1 << UInt64(bitsLeft)) - 1
        return .translated(Translation(
            realAddress: (pte.rpn & ~pageMask) | (ea & pageMask), pageShift: bitsLeft, pid: pid,
            pte: pte, pteAddress: entryAt, rights: rights))
    }

    /// The segment interrupt for an access (no DSISR/SRR1 cause bits).
    static func segmentFault(ea: UInt64, access: StorageAccess) -> StorageFault {
        access == .fetch ? .instructionSegment(ea: ea) : .dataSegment(dar: ea)
    }

    /// The storage interrupt for an access. `cause` is a DSISR bit; the SRR1 bit of an ISI is
    /// the same bit position except for protection, which an ISI reports in bit 35.
    static func storageFault(ea: UInt64, access: StorageAccess, cause: UInt32) -> StorageFault {
        switch access {
        case .fetch:
            return .instructionStorage(ea: ea, srr1: cause == DSISR.protection ? SRR1.fetchProtection : cause)
        case .load:
            return .dataStorage(dar: ea, dsisr: cause)
        case .store:
            return .dataStorage(dar: ea, dsisr: cause | DSISR.store)
        }
    }
}

// Bit layouts of radix tree translation (Power ISA 3.0 Book III, "Radix Tree Translation"):
// the process table entry, page directory and page table entries, and the DSISR / SRR1 bits a
// failed translation reports. Bit numbers in comments are the ISA's (0 = most significant of a
// doubleword); the masks are the same fields as host integers.
//
// Sources for the field positions (facts only): QEMU target/ppc/mmu-radix64.h (R_PTE_*, R_PDE_*,
// PRTBE_R_*), Linux arch/powerpc/include/asm/book3s/64/radix.h / pgtable.h (_PAGE_PRIVILEGED,
// _PAGE_READ, _PAGE_WRITE, _PAGE_EXEC, _PAGE_ACCESSED, _PAGE_DIRTY) and kvm-unit-tests
// lib/ppc64/asm/pgtable-hwdef.h, which agree.

/// The kind of storage access being translated.
public enum StorageAccess: UInt8, Sendable {
    case load, store, fetch

    /// The right this access needs.
    @inlinable public var requiredRight: AccessRights {
        switch self {
        case .load: return .read
        case .store: return .write
        case .fetch: return .execute
        }
    }
}

/// What a translation permits: read, write, execute.
public struct AccessRights: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let read = AccessRights(rawValue: 1)
    public static let write = AccessRights(rawValue: 2)
    public static let execute = AccessRights(rawValue: 4)
    public static let all: AccessRights = [.read, .write, .execute]
}

/// Doubleword 0 of a process table entry (PRTB0): where the process's radix tree is and how
/// many EA bits it translates. The table holds one 16-byte entry per PID; doubleword 1 is
/// reserved under radix.
public struct ProcessTableEntry: Equatable, Sendable {
    public let prtb0: UInt64
    public init(_ prtb0: UInt64) { self.prtb0 = prtb0 }

    /// RTS1 (bits 1:2) and RTS2 (bits 56:58) together: the tree translates RTS + 31 EA bits.
    public var rts: Int { Int((prtb0 >> 61) & 0x3) << 3 | Int((prtb0 >> 5) & 0x7) }
    /// Bits of EA the tree translates (52 for the trees POWER9 Linux builds, RTS = 0b10101).
    public var radixTreeSize: Int { rts + 31 }
    /// RPDB (bits 4:55): real address of the root page directory.
    public var rpdb: UInt64 { prtb0 & 0x0FFF_FFFF_FFFF_FF00 }
    /// RPDS (bits 59:63): the root directory has 2^RPDS entries (2^(RPDS+3) bytes).
    public var rpds: Int { Int(prtb0 & 0x1F) }

    /// Builds PRTB0 from its fields (tests, and a guest-like setup).
    public static func encode(radixTreeSize: Int, rpdb: UInt64, rpds: Int) -> UInt64 {
        let rts = UInt64(radixTreeSize - 31)
        return (rts >> 3 & 0x3) << 61 | (rts & 0x7) << 5 | (rpdb & 0x0FFF_FFFF_FFFF_FF00) | UInt64(rpds & 0x1F)
    }
}

/// Fields shared by page directory entries and page table entries.
public enum RadixEntry {
    /// V (bit 0): the entry is valid.
    public static let valid: UInt64 = 1 << 63
    /// L (bit 1): a leaf, i.e. a page table entry, ending the walk at this level.
    public static let leaf: UInt64 = 1 << 62
    /// NLB (bits 4:55) of a page directory entry: real address of the next level.
    public static let nextLevelBase: UInt64 = 0x0FFF_FFFF_FFFF_FF00
    /// NLS (bits 59:63) of a page directory entry: the next level has 2^NLS entries.
    public static let nextLevelSize: UInt64 = 0x1F
}

/// A radix page table entry (a leaf): the real page and what it permits.
public struct RadixPTE: Equatable, Sendable {
    public var value: UInt64
    public init(_ value: UInt64) { self.value = value }

    /// RPN (bits 7:51): real page number, as a real address (low bits below the page size
    /// are ignored by translation).
    public static let rpnMask: UInt64 = 0x01FF_FFFF_FFFF_F000
    /// R (bit 55): referenced.
    public static let reference: UInt64 = 0x100
    /// C (bit 56): changed.
    public static let change: UInt64 = 0x80
    /// ATT (bits 58:59): 0b00 normal, 0b01 SAO, 0b10 non-idempotent I/O, 0b11 tolerant I/O.
    public static let attributeMask: UInt64 = 0x30
    public static let attributeNonIdempotentIO: UInt64 = 0x20
    /// EAA (bits 60:63), the encoded access authority: privileged-only, read, read/write, execute.
    public static let privileged: UInt64 = 0x8
    public static let read: UInt64 = 0x4
    public static let readWrite: UInt64 = 0x2
    public static let execute: UInt64 = 0x1

    public var rpn: UInt64 { value & Self.rpnMask }
    public var isPrivileged: Bool { value & Self.privileged != 0 }
    public var isReferenced: Bool { value & Self.reference != 0 }
    public var isChanged: Bool { value & Self.change != 0 }
    /// Non-idempotent I/O is treated as Guarded storage: no instruction fetch from it.
    public var isGuarded: Bool { value & Self.attributeMask == Self.attributeNonIdempotentIO }

    /// What EAA[1:3] grant, before privilege and the AMR/IAMR are considered. Read/write
    /// implies read.
    public var encodedRights: AccessRights {
        var rights: AccessRights = []
        if value & (Self.read | Self.readWrite) != 0 { rights.insert(.read) }
        if value & Self.readWrite != 0 { rights.insert(.write) }
        if value & Self.execute != 0 { rights.insert(.execute) }
        return rights
    }

    /// Rights for an access in problem state (MSR[PR] = 1) or privileged state. A privileged
    /// page grants nothing to problem state; a non-privileged page accessed in privileged state
    /// is further limited by key 0 of the AMR (loads, stores) and IAMR (fetches):
    /// `keyZeroDenied` is what those registers deny (see `AccessRights.keyZeroDenied`).
    public func rights(problemState: Bool, keyZeroDenied: AccessRights) -> AccessRights {
        if problemState { return isPrivileged ? [] : encodedRights }
        return isPrivileged ? encodedRights : encodedRights.subtracting(keyZeroDenied)
    }
}

public extension AccessRights {
    /// What key 0 of the AMR and IAMR denies: AMR bit 0 disables stores, AMR bit 1 loads,
    /// IAMR bit 1 fetches (the same bits Linux KVM's kvmppc_mmu_radix_xlate and QEMU's
    /// ppc_radix64_get_prot_amr read; Linux KUAP sets AMR bits 0:1 to block kernel access to
    /// user pages).
    static func keyZeroDenied(amr: UInt64, iamr: UInt64) -> AccessRights {
        var denied: AccessRights = []
        if amr & (1 << 63) != 0 { denied.insert(.write) }
        if amr & (1 << 62) != 0 { denied.insert(.read) }
        if iamr & (1 << 62) != 0 { denied.insert(.execute) }
        return denied
    }
}

// The DSISR and SRR1 cause bits live with the interrupts that report them (Interrupt.swift).

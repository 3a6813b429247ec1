/// The process table a PAPR guest registered with H_REGISTER_PROCESS_TABLE (hcall 0x37C):
/// what the hypervisor keeps as the partition table entry's second doubleword.
///
/// The hcall's operands (QEMU hw/ppc/spapr_hcall.c h_register_process_table, Linux
/// arch/powerpc/platforms/pseries/lpar.c pseries_lpar_register_process_table, kvm-unit-tests
/// lib/ppc64/mmu.c, which registers `PTBL_NEW | PTBL_RADIX | PTBL_GTSE, table, 0, 0`):
///
/// | register | operand | meaning |
/// |---|---|---|
/// | r4 | flags | 0x10 MODIFY, 0x08 REGISTER (NEW = 0x18, UNREGISTER = 0x10), 0x04 RADIX, 0x02 hash with segment tables, 0x01 GTSE |
/// | r5 | base | real address of the process table, 4K-aligned, below 2^60 |
/// | r6 | page size | hash only; must be 0 for radix |
/// | r7 | table size | the table is 2^(12 + size) bytes, size ≤ 24 (16 bytes per PID) |
///
/// Without MODIFY the call keeps the current registration and only checks that RADIX matches it
/// (Linux passes flags = RADIX alone when `table_size` is 0).
public struct ProcessTableRegistration: Equatable, Sendable {
    public enum Flag {
        public static let modify: UInt64 = 0x10
        public static let register: UInt64 = 0x08
        public static let new: UInt64 = modify | register
        public static let radix: UInt64 = 0x04
        public static let hashSegmentTables: UInt64 = 0x02
        public static let guestTranslationShootdown: UInt64 = 0x01
        public static let all: UInt64 = 0x1F
    }

    /// Real address of the process table (PRTB).
    public let base: UInt64
    /// PRTS: the table is 2^(12 + PRTS) bytes.
    public let sizeField: Int
    /// GTSE: the guest may issue tlbie itself (LPCR[GTSE]); lpar's tlbie works either way.
    public let guestTranslationShootdown: Bool

    public var sizeInBytes: UInt64 { 1 << UInt64(12 + sizeField) }
    /// PIDs the table has entries for.
    public var entryCount: UInt64 { sizeInBytes / 16 }

    public init(base: UInt64, sizeField: Int, guestTranslationShootdown: Bool = true) {
        self.base = base
        self.sizeField = sizeField
        self.guestTranslationShootdown = guestTranslationShootdown
    }

    /// Why the hcall refuses; the PAPR layer answers H_PARAMETER, H_P2, H_P3 or H_P4.
    public enum Rejection: Error, Equatable, Sendable {
        /// Reserved flag bits, a hash table (lpar offers radix only), or keeping a registration
        /// of the other kind.
        case parameter
        /// The base is not 4K-aligned or not below 2^60.
        case p2
        /// A page size was given for a radix table.
        case p3
        /// The size field is above 24.
        case p4
    }

    /// What the hcall leaves registered: `current` kept (no MODIFY), nil (unregistered), or a
    /// new table. `current` is the registration before the call.
    public static func apply(flags: UInt64, base: UInt64, pageSize: UInt64, tableSize: UInt64,
                             current: ProcessTableRegistration?) -> Result<ProcessTableRegistration?, Rejection> {
        if flags & ~Flag.all != 0 { return .failure(.parameter) }
        guard flags & Flag.modify != 0 else {
            // Keep: lpar only ever holds radix tables, so a caller that says hash mismatches.
            return flags & Flag.radix != 0 ? .success(current) : .failure(.parameter)
        }
        guard flags & Flag.register != 0 else { return .success(nil) }
        // lpar implements radix translation only: a hashed page table (with or without
        // segment tables) is refused like QEMU refuses segment tables.
        guard flags & Flag.radix != 0 else { return .failure(.parameter) }
        if base & 0xFFF != 0 || base >> 60 != 0 { return .failure(.p2) }
        if pageSize != 0 { return .failure(.p3) }
        if tableSize > 24 { return .failure(.p4) }
        return .success(ProcessTableRegistration(
            base: base, sizeField: Int(tableSize),
            guestTranslationShootdown: flags & Flag.guestTranslationShootdown != 0))
    }
}

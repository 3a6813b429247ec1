import PowerISA

/// H_REGISTER_PROCESS_TABLE: the guest tells the hypervisor where its radix process table is
/// (the partition table entry's second doubleword, which a PAPR guest cannot write itself).
/// The operand checks are `ProcessTableRegistration.apply` (docs/MMU.md); the hypervisor keeps
/// the result in the partition's `MMUContext`, which flushes every vCPU's TLB.
extension HypercallTable {
    static let processTableHypercalls: [HypercallSpec] = [
        HypercallSpec(
            opcode: 0x37C, name: "H_REGISTER_PROCESS_TABLE",
            summary: "Register (or unregister) the radix process table that translation with MSR[IR]/MSR[DR] = 1 walks.",
            inputs: [HcallRegister("flags", .named([0x18: "NEW", 0x1C: "NEW|RADIX", 0x1D: "NEW|RADIX|GTSE", 0x10: "UNREGISTER", 0x04: "RADIX (keep)"]),
                                   "0x10 MODIFY, 0x08 REGISTER (NEW = 0x18, UNREGISTER = 0x10), 0x04 RADIX, 0x02 hash segment tables, 0x01 GTSE"),
                     HcallRegister("table", .hex, "real address of the process table, 4K-aligned, below 2^60"),
                     HcallRegister("pageSize", .hex, "hash tables only: must be 0 for radix"),
                     HcallRegister("tableSize", .decimal, "the table is 2^(12 + tableSize) bytes (16 per PID), tableSize <= 24")],
            outputs: [],
            returns: [HcallReturn(HcallStatus.success, "registered (every TLB flushed), unregistered, or kept (no MODIFY)"),
                      HcallReturn(HcallStatus.parameter, "reserved flag bits, a hashed page table (lpar has radix only), or keeping a registration with RADIX = 0"),
                      HcallReturn(HcallStatus.p2, "table not 4K-aligned or not below 2^60"),
                      HcallReturn(HcallStatus.p3, "pageSize is not 0 for a radix table"),
                      HcallReturn(HcallStatus.p4, "tableSize above 24")],
            qemuDifference: "QEMU also accepts hash tables (with or without segment tables, the latter refused); lpar has no HPT and refuses both with H_PARAMETER. With no table registered, translation faults (no translation) instead of falling back to hash.",
            handler: { hv, r in
                let outcome = ProcessTableRegistration.apply(flags: r[0], base: r[1], pageSize: r[2], tableSize: r[3],
                                                             current: hv.mmu.registration)
                switch outcome {
                case .success(let registration):
                    if registration != hv.mmu.registration { hv.mmu.register(registration) }
                    return HcallStatus.success
                case .failure(.parameter): return HcallStatus.parameter
                case .failure(.p2): return HcallStatus.p2
                case .failure(.p3): return HcallStatus.p3
                case .failure(.p4): return HcallStatus.p4
                }
            }),
    ]
}

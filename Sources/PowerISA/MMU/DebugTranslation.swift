import GuestMemory

extension Interpreter {
    /// The real address a debugger means by `ea` on this vCPU now, or nil when nothing is
    /// mapped there: a Linux process's addresses are its own; a PAPR guest's go through the
    /// radix tree when MSR[DR] (MSR[IR] for `fetch`) is on, else real mode's EA bits 0:3 are
    /// ignored. Unlike the engine's walk it has no side effects: no TLB entry, no R/C update
    /// (the walk answers as if hardware set them, into a store that is dropped), no interrupt;
    /// and it reads as privileged code would, so gdb can look at any page the guest mapped.
    public func debugRealAddress(_ ea: UInt64, fetch: Bool = false) -> UInt64? {
        guard deliversInterrupts else { return ea }
        let msr = cpu.msr
        guard (fetch ? msr & MSR.ir : msr & MSR.dr) != 0 else { return ea & realModeMask }
        var walker = mmu.radix
        walker.referenceChangePolicy = .setByHardware
        let tables = PageTableMemoryFunctions(
            load: { [memory] in $0 < memory.ramSize ? memory.load64($0) : nil },
            store: { _, _ in true })
        let pidr = UInt32(truncatingIfNeeded: cpu[RegisterSlot.pidr])
        // A data page may be no-execute and a text page execute-only: either right will do.
        for access in fetch ? [StorageAccess.fetch] : [.load, .fetch] {
            let state = access == .fetch ? (msr & ~MSR.pr) | MSR.ir : msr & ~MSR.pr
            if case .translated(let t) = walker.translate(ea: ea, access: access, msr: state, pidr: pidr, memory: tables) {
                return t.realAddress
            }
        }
        return nil
    }
}

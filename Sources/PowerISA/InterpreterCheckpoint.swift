/// Everything of one vCPU that decides how its next instructions execute, apart from memory:
/// the register file, the instruction count (the time base and decrementer follow from it), a
/// pending external interrupt, the last delivery (which recognises a handler faulting at
/// once) and the partition's process table. Restoring one and running the same number of
/// instructions over the same memory gives the same state again: reverse execution under gdb
/// is built on that.
public struct InterpreterCheckpoint {
    public let registers: [UInt64]
    public let instructionsExecuted: UInt64
    public let interruptsDelivered: UInt64
    let externalPending: Bool
    let lastDelivery: Interpreter.Delivery?
    let processTable: ProcessTableRegistration?
}

extension Interpreter {
    public func checkpoint() -> InterpreterCheckpoint {
        InterpreterCheckpoint(registers: cpu.snapshot(), instructionsExecuted: instructionsExecuted,
                              interruptsDelivered: interruptsDelivered,
                              externalPending: externalPending, lastDelivery: lastDelivery,
                              processTable: mmu.registration)
    }

    /// Puts the vCPU back as it was at `c`. The TLBs are emptied (the page tables in memory may
    /// have been rewound too); predecoded code is the memory's business (`GuestMemory.write`).
    public func restore(_ c: InterpreterCheckpoint) {
        for (i, v) in c.registers.enumerated() { cpu.state[i] = v }
        instructionsExecuted = c.instructionsExecuted
        interruptsDelivered = c.interruptsDelivered
        externalPending = c.externalPending
        lastDelivery = c.lastDelivery
        pendingFault = nil
        if mmu.registration != c.processTable { mmu.register(c.processTable) }
        mmu.invalidateAll()  // every vCPU's TLBs, this one's among them
        keyRegistersChanged()
    }
}

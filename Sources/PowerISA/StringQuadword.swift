/// Load/store string (Book I 3.3.7) and quadword (Book I 3.3.5, 4.6.2) instructions: rare,
/// so kept out of the main switch.
extension Executor {
    /// lswi, lswx, stswi, stswx: `n` bytes between memory at EA and the low words of RT, RT+1…
    /// (wrapping from r31 to r0), four bytes per register, high-order byte first. A load sets
    /// each register to 0 before its first byte, so a partial last word is zero-padded.
    /// n is NB (0 meaning 32) for the immediate forms and XER[57:63] for the indexed ones.
    @inline(never) func executeString<O: ExecutionObserver>(_ op: Op, _ w: InstructionWord, _ o: inout O) -> ExecutionExit? {
        let immediate = op == .lswi || op == .stswi
        let ea = immediate ? raOrZero(w) : raOrZero(w) &+ g[w.rb]
        let n = immediate ? (w.rb == 0 ? 32 : w.rb) : Int(xer & 0x7F)
        // n = 0 (lswx/stswx only): nothing is transferred; lswx leaves RT undefined, kept as is.
        if n == 0 { return nil }
        if op == .lswi || op == .lswx {
            // Invalid forms (POWER9 and QEMU: illegal instruction): RA among the registers to be
            // loaded (lswi: even when RA = 0), or RB (lswx; RA only when it is not 0).
            let registers = (n + 3) / 4
            func loaded(_ r: Int) -> Bool { (r - w.rt + 32) % 32 < registers }
            let invalid = immediate ? loaded(w.ra) : (w.ra != 0 && loaded(w.ra)) || loaded(w.rb)
            if invalid { return .raise(.program(.illegalInstruction)) }
            guard memory.isMapped(ea & realModeMask, UInt64(n)) else { return fault(ea, UInt64(n), .load) }
            var r = w.rt
            for i in 0..<n {
                if i % 4 == 0 {
                    if i != 0 { r = (r + 1) & 31 }
                    g[r] = 0
                }
                guard let byte = load(ea &+ UInt64(i), 1, &o) else { return fault(ea &+ UInt64(i), 1, .load) }
                g[r] |= byte << UInt64(24 - 8 * (i % 4))
            }
        } else {
            guard memory.isWritable(ea & realModeMask, UInt64(n)) else { return fault(ea, UInt64(n), .store) }
            for i in 0..<n {
                let byte = (g[(w.rt + i / 4) & 31] >> UInt64(24 - 8 * (i % 4))) & 0xFF
                guard store(ea &+ UInt64(i), 1, byte, &o) else { return fault(ea &+ UInt64(i), 1, .store) }
            }
        }
        return nil
    }

    /// lq, stq, lqarx, stqcx.: RTp/RSp (even; odd forms are not decoded) holds the doubleword
    /// at EA, RTp+1 the one at EA+8 (big-endian). EA must be quadword-aligned (else the
    /// alignment interrupt, Book III 6.5.8). lq with RTp = RA and lqarx with RTp = RA or RB
    /// are invalid forms, refused by the decoder (`InvalidForms`).
    @inline(never) func executeQuadword<O: ExecutionObserver>(_ op: Op, _ w: InstructionWord, _ o: inout O) -> ExecutionExit? {
        let rt = w.rt
        switch op {
        case .lq, .lqarx:
            let ea = op == .lq ? raOrZero(w) &+ UInt64(bitPattern: w.si & ~15) : xEA(w)
            if ea & 15 != 0 { return .raise(.alignment(address: ea)) }
            guard let high = load(ea, 8, &o), let low = load(ea &+ 8, 8, &o) else { return fault(ea, 16, .load) }
            g[rt] = high
            g[rt + 1] = low
            if op == .lqarx {
                s[RegisterSlot.reserveAddress] = ea
                s[RegisterSlot.reserveSize] = 16
                s[RegisterSlot.reserveValid] = 1
            }
        default:  // stq, stqcx.
            let ea = op == .stq ? dsEA(w) : xEA(w)
            if ea & 15 != 0 { return .raise(.alignment(address: ea)) }
            var doStore = true
            if op == .stqcxRecord {
                doStore = s[RegisterSlot.reserveValid] != 0 && s[RegisterSlot.reserveAddress] == ea
                    && s[RegisterSlot.reserveSize] == 16
                s[RegisterSlot.reserveValid] = 0
            }
            if doStore {
                guard memory.isWritable(ea & realModeMask, 16) else { return fault(ea, 16, .store) }
                _ = store(ea, 8, g[rt], &o)
                _ = store(ea &+ 8, 8, g[rt + 1], &o)
            }
            if op == .stqcxRecord { setCRField(0, lt: false, gt: false, eq: doStore) }
        }
        return nil
    }
}

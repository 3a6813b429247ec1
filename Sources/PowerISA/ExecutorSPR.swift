/// mfspr/mtspr behaviours of the SPR table's rows, once `SPRTable.decide` has allowed the access.
/// Off the hot path: mflr/mfctr/mtlr/mtctr never get here.
extension Executor {
    /// mfspr RT,SPR (and mftb) through the SPR table; nil when it completed.
    @inline(never) func moveFromSPR(_ w: InstructionWord) -> ExecutionExit? {
        let rule = SPRTable.rules[w.spr]
        switch rule.outcome(write: false, problemState: s[RegisterSlot.msr] & MSR.pr != 0) {
        case .perform: g[w.rt] = readSPR(rule)
        case .noOp: break
        case .privileged: return .raise(.program(.privilegedInstruction))
        case .illegal: return .raise(.program(.illegalInstruction))
        }
        return nil
    }

    /// mtspr SPR,RS through the SPR table; nil when it completed, `.contextChanged` after a
    /// DEC write (the next timer event moved: the run loop looks again).
    @inline(never) func moveToSPR(_ w: InstructionWord) -> ExecutionExit? {
        let rule = SPRTable.rules[w.spr]
        switch rule.outcome(write: true, problemState: s[RegisterSlot.msr] & MSR.pr != 0) {
        case .perform:
            writeSPR(rule, g[w.rt])
            switch w.spr {
            // A new decrementer moves the next timer event; a new PID may map the PC elsewhere
            // (the next fetch translates again): either way the run loop looks again.
            case SPR.dec, SPR.pidr: return .contextChanged
            // The key-0 masks the translation caches apply at lookup (13 is AMR's user alias).
            case SPR.amr, 13, SPR.iamr: interpreter.keyRegistersChanged()
            default: break
            }
        case .noOp: break
        case .privileged: return .raise(.program(.privilegedInstruction))
        case .illegal: return .raise(.program(.illegalInstruction))
        }
        return nil
    }

    /// The value mfspr gives: a 32-bit SPR has bits 0:31 zero (DEC excepted: it reads
    /// sign-extended), as `rule.readMask` says.
    @inline(__always) func readSPR(_ rule: SPRRule) -> UInt64 {
        let v: UInt64
        switch rule.behaviour {
        case .storage(let slot, _): v = s[slot]
        case .constant(let c): v = c
        case .special(let special): v = readSpecial(special)
        case .discard, .hypervisor, .undefined: v = 0  // never readable (see the rows)
        }
        return v & rule.readMask
    }

    /// mtspr of `v`.
    @inline(__always) func writeSPR(_ rule: SPRRule, _ v: UInt64) {
        switch rule.behaviour {
        case .storage(let slot, let mask): s[slot] = (s[slot] & ~mask) | (v & mask)
        case .special(let special): writeSpecial(special, v)
        case .constant, .discard, .hypervisor, .undefined: break
        }
    }

    /// The instruction count: the time base without what idling and TB writes added.
    var instructionCount: UInt64 { interpreter.countNow }

    func readSpecial(_ special: SPRSpecial) -> UInt64 {
        switch special {
        case .dec: return decrementer
        case .tb, .timeDerived: return timeBase
        case .tbu: return timeBase >> 32
        case .instructionCount: return instructionCount
        case .amrUser: return s[RegisterSlot.amr]
        case .ppr: return s[RegisterSlot.ppr]
        case .ppr32: return s[RegisterSlot.ppr] >> 32
        case .bescrSet, .bescrReset: return s[RegisterSlot.bescr]
        case .bescrSetUpper, .bescrResetUpper: return s[RegisterSlot.bescr] >> 32
        case .ctrl: return s[RegisterSlot.ctrl] & 1
        case .processorID: return UInt64(interpreter.cpu.processorID)
        }
    }

    func writeSpecial(_ special: SPRSpecial, _ v: UInt64) {
        let problemState = s[RegisterSlot.msr] & MSR.pr != 0
        switch special {
        case .dec: writeDecrementer(v)
        case .tb, .tbu, .timeDerived, .instructionCount, .processorID: break  // read-only rows
        case .amrUser:
            let mask = problemState ? s[RegisterSlot.uamor] : UInt64.max
            s[RegisterSlot.amr] = (s[RegisterSlot.amr] & ~mask) | (v & mask)
        case .ppr, .ppr32:
            let new = special == .ppr ? v : v << 32
            let priority = (new & SPRTable.pprMask) >> SPRTable.pprPriorityShift
            let allowed: ClosedRange<UInt64> = problemState ? 2...4 : 1...6
            if allowed.contains(priority) { s[RegisterSlot.ppr] = new & SPRTable.pprMask }
        case .bescrSet: s[RegisterSlot.bescr] |= v
        case .bescrSetUpper: s[RegisterSlot.bescr] |= (v & 0xFFFF_FFFF) << 32
        case .bescrReset: s[RegisterSlot.bescr] &= ~v
        case .bescrResetUpper: s[RegisterSlot.bescr] &= ~((v & 0xFFFF_FFFF) << 32)
        case .ctrl: s[RegisterSlot.ctrl] = v & 1
        }
    }
}

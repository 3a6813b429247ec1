import GuestMemory

/// Instruction semantics: one `switch` over `Op`, everything reached through raw pointers.
///
/// Semantics follow the Power ISA 3.0 (Book I) for 64-bit mode. Where the ISA leaves a result
/// undefined (division by zero, the high word of mulhw), lpar gives what qemu-ppc64 gives, so the
/// two can be compared bit for bit.
/// What ended the execution of one instruction early.
@usableFromInline
enum ExecutionExit: Equatable {
    /// Something for the machine (see `StopReason`).
    case host(StopReason)
    /// An architectural interrupt at this instruction; the run loop delivers or reports it.
    case raise(Interrupt)
    /// The instruction completed and changed what the run loop must watch (MSR[EE], MSR[SE],
    /// DEC): `pc` is already the next instruction; the run loop counts it and looks again.
    case contextChanged
    /// The predecode slot was empty: decode and retry.
    case notDecoded
}

@usableFromInline
struct Executor {
    /// The interpreter and memory without reference counting: the run loop's interpreter owns
    /// both for as long as an Executor exists, and a struct holding strong references costs a
    /// retain/release pair each time it is copied to call an out-of-line path (measured: two
    /// thirds of a translated run).
    let interpreterRef: Unmanaged<Interpreter>
    let memoryRef: Unmanaged<GuestMemory>
    @inline(__always) var interpreter: Interpreter { interpreterRef.takeUnretainedValue() }
    @inline(__always) var memory: GuestMemory { memoryRef.takeUnretainedValue() }
    let s: UnsafeMutablePointer<UInt64>
    let g: UnsafeMutablePointer<UInt64>
    let codeFlags: UnsafeMutablePointer<UInt8>
    let rlwMasks: UnsafePointer<UInt64>
    let ramSize: UInt64
    /// RAM that loads and stores reach directly: `[nullGuard, ramSize)`, `ramSpan` bytes.
    let nullGuard: UInt64
    let ramSpan: UInt64
    /// Host address of guest address 0 (RAM is `base ..< base + ramSize`).
    let base: UnsafeMutableRawPointer
    // Nothing else is kept here: this struct is passed to the out-of-line slow paths, and more
    // fields than these made the compiler keep it in memory in the hot loop (about 30% slower).

    @inline(never) init(interpreter: Interpreter) {
        interpreterRef = Unmanaged.passUnretained(interpreter)
        memoryRef = Unmanaged.passUnretained(interpreter.memory)
        let memory = interpreter.memory
        s = interpreter.cpu.state
        g = interpreter.cpu.state
        codeFlags = memory.codePageFlags
        rlwMasks = UnsafePointer(interpreter.rlwMasks)
        ramSize = memory.ramSize
        nullGuard = memory.nullGuard
        ramSpan = memory.ramSize - memory.nullGuard
        base = memory.base
    }

    /// Applied to effective addresses outside the fast path: clears EA bits 0:3 for a PAPR guest
    /// in real mode; all ones for a Linux process, whose addresses are its own.
    @inline(__always) var realModeMask: UInt64 { interpreter.realModeMask }

    /// The time base now: one tick per instruction completed, plus the offset idling and TB
    /// writes add (virtual time: see `Interpreter.timeBase`). Valid in the instructions that
    /// set `interpreter.countNow` first (those that read or write SPRs).
    @inline(__always) var timeBase: UInt64 { interpreter.countNow &+ s[RegisterSlot.timeBaseOffset] }

    // MARK: - Register helpers

    @inline(__always) var cr: UInt32 {
        get { UInt32(truncatingIfNeeded: s[RegisterSlot.cr]) }
        nonmutating set { s[RegisterSlot.cr] = UInt64(newValue) }
    }
    @inline(__always) var xer: UInt64 {
        get { s[RegisterSlot.xer] }
        nonmutating set { s[RegisterSlot.xer] = newValue }
    }
    @inline(__always) var so: UInt32 { UInt32((xer >> 31) & 1) }

    /// (RA|0): register RA, or 0 when the field is 0.
    @inline(__always) func raOrZero(_ w: InstructionWord) -> UInt64 { w.ra == 0 ? 0 : g[w.ra] }

    /// Sets CR field `field` from a signed comparison result and XER[SO].
    @inline(__always) func setCRField(_ field: Int, lt: Bool, gt: Bool, eq: Bool) {
        let bits: UInt32 = (lt ? 8 : 0) | (gt ? 4 : 0) | (eq ? 2 : 0) | so
        let shift = UInt32(28 - 4 * field)
        cr = (cr & ~(0xF &<< shift)) | (bits &<< shift)
    }
    /// CR0 from a 64-bit result compared with zero (Rc = 1).
    @inline(__always) func setCR0(_ v: UInt64) {
        let x = Int64(bitPattern: v)
        setCRField(0, lt: x < 0, gt: x > 0, eq: x == 0)
    }
    @inline(__always) func recordIfRc(_ w: InstructionWord, _ v: UInt64) { if w.bit31 { setCR0(v) } }

    @inline(__always) func setCA(_ ca: Bool, _ ca32: Bool) {
        xer = (xer & ~(XER.ca | XER.ca32)) | (ca ? XER.ca : 0) | (ca32 ? XER.ca32 : 0)
    }
    /// OV and OV32 set from the overflow of this instruction; SO accumulates.
    @inline(__always) func setOV(_ ov: Bool, _ ov32: Bool) {
        var x = xer & ~(XER.ov | XER.ov32)
        if ov { x |= XER.ov | XER.so }
        if ov32 { x |= XER.ov32 }
        xer = x
    }

    /// ra + rb + carry with CA, CA32, OV, OV32 as the ISA defines them for the add family.
    @inline(__always) func addWithFlags(_ w: InstructionWord, _ a: UInt64, _ b: UInt64, _ carryIn: UInt64, setCarry: Bool) -> UInt64 {
        let (s1, c1) = a.addingReportingOverflow(b)
        let (r, c2) = s1.addingReportingOverflow(carryIn)
        if setCarry {
            let low = (a & 0xFFFF_FFFF) + (b & 0xFFFF_FFFF) + carryIn
            setCA(c1 || c2, low >> 32 != 0)
        }
        if w.oe {
            let ov = ((a ^ r) & (b ^ r)) >> 63 != 0
            let ov32 = ((a ^ r) & (b ^ r)) & 0x8000_0000 != 0
            setOV(ov, ov32)
        }
        return r
    }

    // MARK: - Memory helpers

    /// The interrupt for a load or store that did not reach memory: a store into memory that is
    /// there but read-only (a read-only NVDIMM's binding) is a data storage interrupt with
    /// DSISR[protection, store]; an access to a real address where nothing is, a machine check
    /// (Book III 6.5.2; DAR = the effective address).
    /// With translation on, the failed access left its interrupt in `pendingFault`.
    @inline(never) func fault(_ ea: UInt64, _ size: UInt64, _ kind: MemoryFault.Kind) -> ExecutionExit {
        if let f = interpreter.pendingFault { interpreter.pendingFault = nil; return .raise(f) }
        // A Linux process: an unmapped page is a fault with no translation (SEGV_MAPERR), a
        // page whose permissions forbid the access a protection fault (SEGV_ACCERR), at the
        // first byte the access could not reach (the kernel's si_addr).
        if memory.enforcesProtections, let d = memory.denial(ea, size, kind) {
            if d.unmapped { return .raise(.machineCheck(MemoryFault(address: d.address, size: size, kind: kind))) }
            return .raise(.dataStorage(address: d.address, dsisr: DSISR.protection | (kind == .store ? DSISR.store : 0)))
        }
        if kind == .store && memory.isMapped(ea & realModeMask, size) {
            return .raise(.dataStorage(address: ea, dsisr: DSISR.protection | DSISR.store))
        }
        return .raise(.machineCheck(MemoryFault(address: ea, size: size, kind: kind)))
    }

    /// After a store: drops predecoded code of the pages it touched.
    @inline(__always) func noteStore(_ ea: UInt64, _ size: UInt64) {
        guard ea < ramSize else { return }
        let first = Int(ea >> GuestMemory.pageShift)
        let last = Int((ea &+ size &- 1) >> GuestMemory.pageShift)
        if codeFlags[first] != 0 || (last < interpreter.pageCount && codeFlags[last] != 0) {
            interpreter.invalidate(address: ea, size: size)
        }
    }

    @inline(__always) func observeLoad<O: ExecutionObserver>(_ o: inout O, _ ea: UInt64, _ size: Int, _ v: UInt64) {
        if O.isActive && O.observesMemory { o.memoryAccess(address: ea, size: size, value: v, isStore: false) }
    }
    @inline(__always) func observeStore<O: ExecutionObserver>(_ o: inout O, _ ea: UInt64, _ size: Int, _ v: UInt64) {
        if O.isActive && O.observesMemory { o.memoryAccess(address: ea, size: size, value: v, isStore: true) }
    }

    /// Effective addresses: D-form (RA|0)+SI, DS-form (RA|0)+DS, X-form (RA|0)+RB.
    @inline(__always) func dEA(_ w: InstructionWord) -> UInt64 { raOrZero(w) &+ UInt64(bitPattern: w.si) }
    @inline(__always) func dsEA(_ w: InstructionWord) -> UInt64 { raOrZero(w) &+ UInt64(bitPattern: w.ds) }
    @inline(__always) func xEA(_ w: InstructionWord) -> UInt64 { raOrZero(w) &+ g[w.rb] }

    /// Loads `size` bytes big-endian, zero-extended; nil on fault. RAM takes one compare and a
    /// host load at `base + ea` (`ramSpan` >= 64 KiB, so `ramSpan - size` cannot wrap; below
    /// `nullGuard` the subtraction wraps to a huge value and fails the compare); anything else
    /// (device windows, faults) goes through `GuestMemory`.
    @inline(__always) func load<O: ExecutionObserver>(_ ea: UInt64, _ size: Int, _ o: inout O) -> UInt64? {
        let v: UInt64?
        if O.translates && s[RegisterSlot.msr] & MSR.dr != 0 {
            v = translatedLoad(ea, size)
        } else if ea &- nullGuard <= ramSpan &- UInt64(size) {
            // One flag byte: the first byte's page, which also says whether the next page is
            // unreadable (a load that may cross into it is checked page by page out of line).
            if O.checksAccess && _slowPath(codeFlags[Int(ea >> GuestMemory.pageShift)] & (GuestMemory.PageFlag.noRead | GuestMemory.PageFlag.nextNoRead) != 0) {
                return checkedLoad(ea, size, &o)
            }
            let p = base + Int(ea)
            switch size {
            case 1: v = UInt64(p.load(as: UInt8.self))
            case 2: v = UInt64(UInt16(bigEndian: p.loadUnaligned(as: UInt16.self)))
            case 4: v = UInt64(UInt32(bigEndian: p.loadUnaligned(as: UInt32.self)))
            default: v = UInt64(bigEndian: p.loadUnaligned(as: UInt64.self))
            }
        } else {
            v = slowLoad(ea, size)
        }
        if let v { observeLoad(&o, ea, size, v) }
        return v
    }

    /// A Linux process's load from a page that is unreadable or precedes one: GuestMemory
    /// checks every page it touches.
    @inline(never) func checkedLoad<O: ExecutionObserver>(_ ea: UInt64, _ size: Int, _ o: inout O) -> UInt64? {
        guard let v = slowLoad(ea, size) else { return nil }
        observeLoad(&o, ea, size, v)
        return v
    }

    /// Outside the RAM fast path: device windows, and real-mode addresses with any of EA bits 0:3
    /// set (real mode ignores them: Book III 5.7.3, so 0xc000… reaches RAM at 0).
    @inline(never) func slowLoad(_ ea: UInt64, _ size: Int) -> UInt64? {
        let ea = ea & realModeMask
        switch size {
        case 1: return memory.load8(ea).map(UInt64.init)
        case 2: return memory.load16(ea).map(UInt64.init)
        case 4: return memory.load32(ea).map(UInt64.init)
        default: return memory.load64(ea)
        }
    }

    /// Stores the low `size` bytes of `v` big-endian; false on fault. Same fast path as `load`;
    /// a store into RAM then checks the code-page flags of its first and last byte.
    @inline(__always) func store<O: ExecutionObserver>(_ ea: UInt64, _ size: Int, _ v: UInt64, _ o: inout O) -> Bool {
        if O.translates && s[RegisterSlot.msr] & MSR.dr != 0 {
            guard translatedStore(ea, size, v) else { return false }
        } else if ea &- nullGuard <= ramSpan &- UInt64(size) {
            let first = Int(ea >> GuestMemory.pageShift), last = Int((ea &+ UInt64(size &- 1)) >> GuestMemory.pageShift)
            if O.checksAccess {
                // The same test, made before the store: a flagged page may forbid it.
                if _slowPath(codeFlags[first] | codeFlags[last] != 0) {
                    guard flaggedStore(ea, size, v) else { return false }
                } else {
                    rawStore(base + Int(ea), size, v)
                }
            } else {
                rawStore(base + Int(ea), size, v)
                if codeFlags[first] | codeFlags[last] != 0 { interpreter.invalidate(address: ea, size: UInt64(size)) }
            }
        } else {
            guard slowStore(ea, size, v) else { return false }
        }
        observeStore(&o, ea, size, v)
        return true
    }

    @inline(__always) func rawStore(_ p: UnsafeMutableRawPointer, _ size: Int, _ v: UInt64) {
        switch size {
        case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: v), as: UInt8.self)
        case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: v).bigEndian, as: UInt16.self)
        case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: v).bigEndian, as: UInt32.self)
        default: p.storeBytes(of: v.bigEndian, as: UInt64.self)
        }
    }

    /// A Linux process's store to RAM whose page flags are set: refused (false) when a page
    /// forbids writing, else made and the predecoded code it overwrote forgotten.
    @inline(never) func flaggedStore(_ ea: UInt64, _ size: Int, _ v: UInt64) -> Bool {
        let first = Int(ea >> GuestMemory.pageShift), last = Int((ea &+ UInt64(size &- 1)) >> GuestMemory.pageShift)
        if (codeFlags[first] | codeFlags[last]) & GuestMemory.PageFlag.noWrite != 0 { return false }
        rawStore(base + Int(ea), size, v)
        interpreter.invalidate(address: ea, size: UInt64(size))
        return true
    }

    @inline(never) func slowStore(_ ea: UInt64, _ size: Int, _ v: UInt64) -> Bool {
        let ea = ea & realModeMask
        let ok: Bool
        switch size {
        case 1: ok = memory.store8(ea, UInt8(truncatingIfNeeded: v))
        case 2: ok = memory.store16(ea, UInt16(truncatingIfNeeded: v))
        case 4: ok = memory.store32(ea, UInt32(truncatingIfNeeded: v))
        default: ok = memory.store64(ea, v)
        }
        if ok { noteStore(ea, UInt64(size)) }
        return ok
    }

    /// A load into RT: `size` bytes, sign-extended when `signed`; RA = EA when `update`.
    @inline(__always) func loadInto<O: ExecutionObserver>(_ w: InstructionWord, _ ea: UInt64, _ size: Int, signed: Bool, update: Bool, _ o: inout O) -> ExecutionExit? {
        guard var v = load(ea, size, &o) else { return fault(ea, UInt64(size), .load) }
        if signed {
            if size == 2 { v = UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: v))) }
            if size == 4 { v = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v))) }
        }
        g[w.rt] = v
        if update { g[w.ra] = ea }
        return nil
    }

    /// A store of RT's low `size` bytes; RA = EA when `update`.
    @inline(__always) func storeFrom<O: ExecutionObserver>(_ w: InstructionWord, _ ea: UInt64, _ size: Int, update: Bool, _ o: inout O) -> ExecutionExit? {
        guard store(ea, size, g[w.rt], &o) else { return fault(ea, UInt64(size), .store) }
        if update { g[w.ra] = ea }
        return nil
    }

    // MARK: - Rotate helpers

    // Shift amounts in these helpers are always 0...63, so they use the masking shifts (`&<<`,
    // `&>>`: one host instruction) rather than Swift's `<<`, which tests for over-long shifts;
    // that test made mask64 too big to inline.

    /// MASK(mb, me) in IBM bit numbering, wrapping when mb > me.
    @inline(__always) static func mask64(_ mb: Int, _ me: Int) -> UInt64 {
        let a = UInt64.max &>> UInt64(mb)
        let b = UInt64.max &<< UInt64(63 - me)
        return mb <= me ? a & b : a | b
    }
    /// MASK(MB + 32, ME + 32) of an M-form word, from `Interpreter.rlwMasks`: MB and ME are the
    /// adjacent fields in bits 21-30, so (word >> 1) & 0x3FF is the index.
    @inline(__always) func rlwMask(_ w: InstructionWord) -> UInt64 { rlwMasks[Int((w.raw >> 1) & 0x3FF)] }

    @inline(__always) static func rotl64(_ x: UInt64, _ n: Int) -> UInt64 {
        let k = UInt64(n & 63)
        return (x &<< k) | (x &>> (64 &- k))  // k = 0: x >> 64 masks to x >> 0, still x
    }
    /// ROTL32: rotates the low word replicated into both halves, as the ISA defines it.
    @inline(__always) static func rotl32(_ x: UInt64, _ n: Int) -> UInt64 {
        let lo = x & 0xFFFF_FFFF
        return rotl64(lo | (lo << 32), n & 31)
    }

    @inline(__always) func crBit(_ n: Int) -> Bool { (cr &>> UInt32(31 - n)) & 1 != 0 }
    @inline(__always) func setCRBit(_ n: Int, _ v: Bool) {
        let m: UInt32 = 1 &<< UInt32(31 - n)
        cr = v ? cr | m : cr & ~m
    }

    /// The trap condition of tw/td: TO bits lt, gt, eq, ltu, gtu.
    @inline(__always) static func trapCondition(_ to: Int, _ a: Int64, _ b: Int64) -> Bool {
        (to & 16 != 0 && a < b) || (to & 8 != 0 && a > b) || (to & 4 != 0 && a == b)
            || (to & 2 != 0 && UInt64(bitPattern: a) < UInt64(bitPattern: b))
            || (to & 1 != 0 && UInt64(bitPattern: a) > UInt64(bitPattern: b))
    }

    // MARK: - Execute

    /// Executes one instruction at `pc`. Returns nil to continue (with `cpu.pc` updated) or the
    /// reason to stop (with `cpu.pc` at the instruction, except after `sc`).
    @inline(__always)
    mutating func execute<O: ExecutionObserver>(_ d: DecodedInstruction, pc pcRef: inout UInt64, remaining: UInt64, observer o: inout O) -> ExecutionExit? {
        let pc = pcRef
        let w = InstructionWord(d.word)
        var next = pc &+ 4
        switch d.op {
        case .invalid:
            return .notDecoded

        // MARK: Integer arithmetic
        case .addi: g[w.rt] = raOrZero(w) &+ UInt64(bitPattern: w.si)
        case .addis: g[w.rt] = raOrZero(w) &+ UInt64(bitPattern: w.si << 16)
        case .addic, .addicRecord:
            let r = addWithFlags(InstructionWord(0), g[w.ra], UInt64(bitPattern: w.si), 0, setCarry: true)
            g[w.rt] = r
            if d.op == .addicRecord { setCR0(r) }
        case .subfic:
            g[w.rt] = addWithFlags(InstructionWord(0), ~g[w.ra], UInt64(bitPattern: w.si), 1, setCarry: true)
        case .mulli:
            g[w.rt] = UInt64(bitPattern: Int64(bitPattern: g[w.ra]) &* w.si)
        case .add:
            let r = addWithFlags(w, g[w.ra], g[w.rb], 0, setCarry: false); g[w.rt] = r; recordIfRc(w, r)
        case .addc:
            let r = addWithFlags(w, g[w.ra], g[w.rb], 0, setCarry: true); g[w.rt] = r; recordIfRc(w, r)
        case .adde:
            let r = addWithFlags(w, g[w.ra], g[w.rb], (xer >> 29) & 1, setCarry: true); g[w.rt] = r; recordIfRc(w, r)
        case .addme:
            let r = addWithFlags(w, g[w.ra], UInt64.max, (xer >> 29) & 1, setCarry: true); g[w.rt] = r; recordIfRc(w, r)
        case .addze:
            let r = addWithFlags(w, g[w.ra], 0, (xer >> 29) & 1, setCarry: true); g[w.rt] = r; recordIfRc(w, r)
        case .subf:
            let r = addWithFlags(w, ~g[w.ra], g[w.rb], 1, setCarry: false); g[w.rt] = r; recordIfRc(w, r)
        case .subfc:
            let r = addWithFlags(w, ~g[w.ra], g[w.rb], 1, setCarry: true); g[w.rt] = r; recordIfRc(w, r)
        case .subfe:
            let r = addWithFlags(w, ~g[w.ra], g[w.rb], (xer >> 29) & 1, setCarry: true); g[w.rt] = r; recordIfRc(w, r)
        case .subfme:
            let r = addWithFlags(w, ~g[w.ra], UInt64.max, (xer >> 29) & 1, setCarry: true); g[w.rt] = r; recordIfRc(w, r)
        case .subfze:
            let r = addWithFlags(w, ~g[w.ra], 0, (xer >> 29) & 1, setCarry: true); g[w.rt] = r; recordIfRc(w, r)
        case .neg:
            let r = addWithFlags(w, ~g[w.ra], 0, 1, setCarry: false); g[w.rt] = r; recordIfRc(w, r)
        case .mullw:
            let p = Int64(Int32(truncatingIfNeeded: g[w.ra])) * Int64(Int32(truncatingIfNeeded: g[w.rb]))
            if w.oe { let ov = p != Int64(Int32(truncatingIfNeeded: p)); setOV(ov, ov) }
            g[w.rt] = UInt64(bitPattern: p); recordIfRc(w, g[w.rt])
        case .mulld:
            let (p, ov) = Int64(bitPattern: g[w.ra]).multipliedReportingOverflow(by: Int64(bitPattern: g[w.rb]))
            if w.oe { setOV(ov, ov) }
            g[w.rt] = UInt64(bitPattern: p); recordIfRc(w, g[w.rt])
        case .mulhw:
            let p = Int64(Int32(truncatingIfNeeded: g[w.ra])) * Int64(Int32(truncatingIfNeeded: g[w.rb]))
            g[w.rt] = UInt64(bitPattern: p) >> 32; recordIfRc(w, g[w.rt])
        case .mulhwu:
            let p = (g[w.ra] & 0xFFFF_FFFF) * (g[w.rb] & 0xFFFF_FFFF)
            g[w.rt] = p >> 32; recordIfRc(w, g[w.rt])
        case .mulhd:
            g[w.rt] = UInt64(bitPattern: Int64(bitPattern: g[w.ra]).multipliedFullWidth(by: Int64(bitPattern: g[w.rb])).high)
            recordIfRc(w, g[w.rt])
        case .mulhdu:
            g[w.rt] = g[w.ra].multipliedFullWidth(by: g[w.rb]).high; recordIfRc(w, g[w.rt])
        case .divw:
            let a = Int32(truncatingIfNeeded: g[w.ra]), b = Int32(truncatingIfNeeded: g[w.rb])
            let bad = b == 0 || (a == Int32.min && b == -1)
            // Undefined quotient: qemu divides by 1 instead, giving the dividend.
            let q = bad ? a : a / b
            if w.oe { setOV(bad, bad) }
            // The high word is undefined; qemu-ppc64 zero-extends the 32-bit quotient.
            g[w.rt] = UInt64(UInt32(bitPattern: q)); recordIfRc(w, g[w.rt])
        case .divwu:
            let a = UInt32(truncatingIfNeeded: g[w.ra]), b = UInt32(truncatingIfNeeded: g[w.rb])
            let q = b == 0 ? a : a / b
            if w.oe { setOV(b == 0, b == 0) }
            g[w.rt] = UInt64(q); recordIfRc(w, g[w.rt])
        case .divd:
            let a = Int64(bitPattern: g[w.ra]), b = Int64(bitPattern: g[w.rb])
            let bad = b == 0 || (a == Int64.min && b == -1)
            let q = bad ? a : a / b
            if w.oe { setOV(bad, bad) }
            g[w.rt] = UInt64(bitPattern: q); recordIfRc(w, g[w.rt])
        case .divdu:
            let a = g[w.ra], b = g[w.rb]
            let q = b == 0 ? a : a / b
            if w.oe { setOV(b == 0, b == 0) }
            g[w.rt] = q; recordIfRc(w, g[w.rt])
        case .divwe, .divweu, .divde, .divdeu:
            g[w.rt] = extendedDivide(d.op, w); recordIfRc(w, g[w.rt])
        case .modsw:
            let a = Int32(truncatingIfNeeded: g[w.ra]), b = Int32(truncatingIfNeeded: g[w.rb])
            g[w.rt] = (b == 0 || (a == Int32.min && b == -1)) ? 0 : UInt64(bitPattern: Int64(a % b))
        case .moduw:
            let a = UInt32(truncatingIfNeeded: g[w.ra]), b = UInt32(truncatingIfNeeded: g[w.rb])
            g[w.rt] = b == 0 ? 0 : UInt64(a % b)
        case .modsd:
            let a = Int64(bitPattern: g[w.ra]), b = Int64(bitPattern: g[w.rb])
            g[w.rt] = (b == 0 || (a == Int64.min && b == -1)) ? 0 : UInt64(bitPattern: a % b)
        case .modud:
            let a = g[w.ra], b = g[w.rb]
            g[w.rt] = b == 0 ? 0 : a % b

        // MARK: Compare
        case .cmp:
            let (a, b) = w.cmpL ? (Int64(bitPattern: g[w.ra]), Int64(bitPattern: g[w.rb]))
                : (Int64(Int32(truncatingIfNeeded: g[w.ra])), Int64(Int32(truncatingIfNeeded: g[w.rb])))
            setCRField(w.bf, lt: a < b, gt: a > b, eq: a == b)
        case .cmpi:
            let a = w.cmpL ? Int64(bitPattern: g[w.ra]) : Int64(Int32(truncatingIfNeeded: g[w.ra]))
            let b = w.si
            setCRField(w.bf, lt: a < b, gt: a > b, eq: a == b)
        case .cmpl:
            let (a, b) = w.cmpL ? (g[w.ra], g[w.rb]) : (g[w.ra] & 0xFFFF_FFFF, g[w.rb] & 0xFFFF_FFFF)
            setCRField(w.bf, lt: a < b, gt: a > b, eq: a == b)
        case .cmpli:
            let a = w.cmpL ? g[w.ra] : g[w.ra] & 0xFFFF_FFFF
            let b = w.ui
            setCRField(w.bf, lt: a < b, gt: a > b, eq: a == b)
        case .cmpb:
            var r: UInt64 = 0
            let a = g[w.rt], b = g[w.rb]
            for i in 0..<8 where (a >> UInt64(i * 8)) & 0xFF == (b >> UInt64(i * 8)) & 0xFF { r |= 0xFF << UInt64(i * 8) }
            g[w.ra] = r
        case .setb:
            let f = (cr >> UInt32(28 - 4 * w.bfa)) & 0xF
            g[w.rt] = f & 8 != 0 ? UInt64.max : (f & 4 != 0 ? 1 : 0)

        // MARK: Logical
        case .andiRecord: g[w.ra] = g[w.rt] & w.ui; setCR0(g[w.ra])
        case .andisRecord: g[w.ra] = g[w.rt] & (w.ui << 16); setCR0(g[w.ra])
        case .ori: g[w.ra] = g[w.rt] | w.ui
        case .oris: g[w.ra] = g[w.rt] | (w.ui << 16)
        case .xori: g[w.ra] = g[w.rt] ^ w.ui
        case .xoris: g[w.ra] = g[w.rt] ^ (w.ui << 16)
        case .and: g[w.ra] = g[w.rt] & g[w.rb]; recordIfRc(w, g[w.ra])
        case .or: g[w.ra] = g[w.rt] | g[w.rb]; recordIfRc(w, g[w.ra])
        case .xor: g[w.ra] = g[w.rt] ^ g[w.rb]; recordIfRc(w, g[w.ra])
        case .nand: g[w.ra] = ~(g[w.rt] & g[w.rb]); recordIfRc(w, g[w.ra])
        case .nor: g[w.ra] = ~(g[w.rt] | g[w.rb]); recordIfRc(w, g[w.ra])
        case .eqv: g[w.ra] = ~(g[w.rt] ^ g[w.rb]); recordIfRc(w, g[w.ra])
        case .andc: g[w.ra] = g[w.rt] & ~g[w.rb]; recordIfRc(w, g[w.ra])
        case .orc: g[w.ra] = g[w.rt] | ~g[w.rb]; recordIfRc(w, g[w.ra])
        case .extsb: g[w.ra] = UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: g[w.rt]))); recordIfRc(w, g[w.ra])
        case .extsh: g[w.ra] = UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: g[w.rt]))); recordIfRc(w, g[w.ra])
        case .extsw: g[w.ra] = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: g[w.rt]))); recordIfRc(w, g[w.ra])
        case .cntlzw: g[w.ra] = UInt64(UInt32(truncatingIfNeeded: g[w.rt]).leadingZeroBitCount); recordIfRc(w, g[w.ra])
        case .cntlzd: g[w.ra] = UInt64(g[w.rt].leadingZeroBitCount); recordIfRc(w, g[w.ra])
        case .cnttzw: g[w.ra] = UInt64(UInt32(truncatingIfNeeded: g[w.rt]).trailingZeroBitCount); recordIfRc(w, g[w.ra])
        case .cnttzd: g[w.ra] = UInt64(g[w.rt].trailingZeroBitCount); recordIfRc(w, g[w.ra])
        case .popcntb:
            var r: UInt64 = 0
            let v = g[w.rt]
            for i in stride(from: 0, to: 64, by: 8) { r |= UInt64(((v >> UInt64(i)) & 0xFF).nonzeroBitCount) << UInt64(i) }
            g[w.ra] = r
        case .popcntw:
            let v = g[w.rt]
            g[w.ra] = UInt64((v & 0xFFFF_FFFF).nonzeroBitCount) | UInt64((v >> 32).nonzeroBitCount) << 32
        case .popcntd: g[w.ra] = UInt64(g[w.rt].nonzeroBitCount)

        // MARK: Rotate and shift
        case .rlwinm:
            let r = Self.rotl32(g[w.rt], w.rb) & rlwMask(w)
            g[w.ra] = r; recordIfRc(w, r)
        case .rlwnm:
            let r = Self.rotl32(g[w.rt], Int(g[w.rb] & 31)) & rlwMask(w)
            g[w.ra] = r; recordIfRc(w, r)
        case .rlwimi:
            let m = rlwMask(w)
            let r = (Self.rotl32(g[w.rt], w.rb) & m) | (g[w.ra] & ~m)
            g[w.ra] = r; recordIfRc(w, r)
        case .rldicl:
            let r = Self.rotl64(g[w.rt], w.sh6) & Self.mask64(w.mb6, 63)
            g[w.ra] = r; recordIfRc(w, r)
        case .rldicr:
            let r = Self.rotl64(g[w.rt], w.sh6) & Self.mask64(0, w.mb6)
            g[w.ra] = r; recordIfRc(w, r)
        case .rldic:
            let r = Self.rotl64(g[w.rt], w.sh6) & Self.mask64(w.mb6, 63 - w.sh6)
            g[w.ra] = r; recordIfRc(w, r)
        case .rldimi:
            let m = Self.mask64(w.mb6, 63 - w.sh6)
            let r = (Self.rotl64(g[w.rt], w.sh6) & m) | (g[w.ra] & ~m)
            g[w.ra] = r; recordIfRc(w, r)
        case .rldcl:
            let r = Self.rotl64(g[w.rt], Int(g[w.rb] & 63)) & Self.mask64(w.mb6, 63)
            g[w.ra] = r; recordIfRc(w, r)
        case .rldcr:
            let r = Self.rotl64(g[w.rt], Int(g[w.rb] & 63)) & Self.mask64(0, w.mb6)
            g[w.ra] = r; recordIfRc(w, r)
        case .slw:
            let n = g[w.rb] & 63
            let r = n > 31 ? 0 : (g[w.rt] &<< n) & 0xFFFF_FFFF
            g[w.ra] = r; recordIfRc(w, r)
        case .srw:
            let n = g[w.rb] & 63
            let r = n > 31 ? 0 : (g[w.rt] & 0xFFFF_FFFF) &>> n
            g[w.ra] = r; recordIfRc(w, r)
        case .sld:
            let n = g[w.rb] & 127
            let r = n > 63 ? 0 : g[w.rt] &<< n
            g[w.ra] = r; recordIfRc(w, r)
        case .srd:
            let n = g[w.rb] & 127
            let r = n > 63 ? 0 : g[w.rt] &>> n
            g[w.ra] = r; recordIfRc(w, r)
        case .sraw, .srawi:
            let n = d.op == .srawi ? UInt64(w.rb) : g[w.rb] & 63
            let v = Int64(Int32(truncatingIfNeeded: g[w.rt]))
            let r = n > 31 ? (v < 0 ? -1 : 0) : v &>> Int64(n)
            let lost = n > 31 ? v != 0 : (v & ((1 &<< Int64(n)) - 1)) != 0
            let ca = v < 0 && lost
            setCA(ca, ca)
            g[w.ra] = UInt64(bitPattern: r); recordIfRc(w, g[w.ra])
        case .srad, .sradi:
            let n = d.op == .sradi ? UInt64(w.sh6) : g[w.rb] & 127
            let v = Int64(bitPattern: g[w.rt])
            let r = n > 63 ? (v < 0 ? -1 : 0) : v &>> Int64(n)
            let lost = n > 63 ? v != 0 : (n == 0 ? false : (UInt64(bitPattern: v) &<< (64 - n)) != 0)
            let ca = v < 0 && lost
            setCA(ca, ca)
            g[w.ra] = UInt64(bitPattern: r); recordIfRc(w, g[w.ra])
        case .extswsli:
            let r = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: g[w.rt]))) &<< UInt64(w.sh6)
            g[w.ra] = r; recordIfRc(w, r)

        // MARK: Loads
        // One case per operation, so size, sign extension and update are constants in each
        // (a shared case re-tested the op to find them).
        case .lbz: if let f = loadInto(w, dEA(w), 1, signed: false, update: false, &o) { return f }
        case .lbzu: if let f = loadInto(w, dEA(w), 1, signed: false, update: true, &o) { return f }
        case .lhz: if let f = loadInto(w, dEA(w), 2, signed: false, update: false, &o) { return f }
        case .lhzu: if let f = loadInto(w, dEA(w), 2, signed: false, update: true, &o) { return f }
        case .lha: if let f = loadInto(w, dEA(w), 2, signed: true, update: false, &o) { return f }
        case .lhau: if let f = loadInto(w, dEA(w), 2, signed: true, update: true, &o) { return f }
        case .lwz: if let f = loadInto(w, dEA(w), 4, signed: false, update: false, &o) { return f }
        case .lwzu: if let f = loadInto(w, dEA(w), 4, signed: false, update: true, &o) { return f }
        case .ld: if let f = loadInto(w, dsEA(w), 8, signed: false, update: false, &o) { return f }
        case .ldu: if let f = loadInto(w, dsEA(w), 8, signed: false, update: true, &o) { return f }
        case .lwa: if let f = loadInto(w, dsEA(w), 4, signed: true, update: false, &o) { return f }
        case .lbzx: if let f = loadInto(w, xEA(w), 1, signed: false, update: false, &o) { return f }
        case .lbzux: if let f = loadInto(w, xEA(w), 1, signed: false, update: true, &o) { return f }
        case .lhzx: if let f = loadInto(w, xEA(w), 2, signed: false, update: false, &o) { return f }
        case .lhzux: if let f = loadInto(w, xEA(w), 2, signed: false, update: true, &o) { return f }
        case .lhax: if let f = loadInto(w, xEA(w), 2, signed: true, update: false, &o) { return f }
        case .lhaux: if let f = loadInto(w, xEA(w), 2, signed: true, update: true, &o) { return f }
        case .lwzx: if let f = loadInto(w, xEA(w), 4, signed: false, update: false, &o) { return f }
        case .lwzux: if let f = loadInto(w, xEA(w), 4, signed: false, update: true, &o) { return f }
        case .lwax: if let f = loadInto(w, xEA(w), 4, signed: true, update: false, &o) { return f }
        case .lwaux: if let f = loadInto(w, xEA(w), 4, signed: true, update: true, &o) { return f }
        case .ldx: if let f = loadInto(w, xEA(w), 8, signed: false, update: false, &o) { return f }
        case .ldux: if let f = loadInto(w, xEA(w), 8, signed: false, update: true, &o) { return f }
        case .lhbrx, .lwbrx, .ldbrx:
            let ea = xEA(w)
            let size = d.op == .lhbrx ? 2 : d.op == .lwbrx ? 4 : 8
            guard let v = load(ea, size, &o) else { return fault(ea, UInt64(size), .load) }
            g[w.rt] = v.byteSwapped >> UInt64(64 - 8 * size)
        case .lmw:
            var ea = dEA(w)
            // POWER9 (Book III 6.5.8) raises alignment for a word-misaligned lmw/stmw; Linux
            // emulates it for its processes, so only a PAPR guest sees the interrupt.
            if ea & 3 != 0 && interpreter.deliversInterrupts { return .raise(.alignment(address: ea)) }
            let count = 32 - w.rt
            if O.translates && s[RegisterSlot.msr] & MSR.dr != 0 {
                // Word by word: a fault part way leaves the registers loaded so far (the ISA
                // lets an interrupted lmw alter them; the guest restarts it).
                for r in w.rt..<32 {
                    guard let v = load(ea, 4, &o) else { return fault(ea, 4, .load) }
                    g[r] = v; ea &+= 4
                }
                break
            }
            guard memory.isMapped(ea & realModeMask, UInt64(4 * count)) else { return fault(ea, UInt64(4 * count), .load) }
            for r in w.rt..<32 { g[r] = load(ea, 4, &o)!; ea &+= 4 }

        // MARK: Stores
        case .stb: if let f = storeFrom(w, dEA(w), 1, update: false, &o) { return f }
        case .stbu: if let f = storeFrom(w, dEA(w), 1, update: true, &o) { return f }
        case .sth: if let f = storeFrom(w, dEA(w), 2, update: false, &o) { return f }
        case .sthu: if let f = storeFrom(w, dEA(w), 2, update: true, &o) { return f }
        case .stw: if let f = storeFrom(w, dEA(w), 4, update: false, &o) { return f }
        case .stwu: if let f = storeFrom(w, dEA(w), 4, update: true, &o) { return f }
        case .std: if let f = storeFrom(w, dsEA(w), 8, update: false, &o) { return f }
        case .stdu: if let f = storeFrom(w, dsEA(w), 8, update: true, &o) { return f }
        case .stbx: if let f = storeFrom(w, xEA(w), 1, update: false, &o) { return f }
        case .stbux: if let f = storeFrom(w, xEA(w), 1, update: true, &o) { return f }
        case .sthx: if let f = storeFrom(w, xEA(w), 2, update: false, &o) { return f }
        case .sthux: if let f = storeFrom(w, xEA(w), 2, update: true, &o) { return f }
        case .stwx: if let f = storeFrom(w, xEA(w), 4, update: false, &o) { return f }
        case .stwux: if let f = storeFrom(w, xEA(w), 4, update: true, &o) { return f }
        case .stdx: if let f = storeFrom(w, xEA(w), 8, update: false, &o) { return f }
        case .stdux: if let f = storeFrom(w, xEA(w), 8, update: true, &o) { return f }
        case .sthbrx, .stwbrx, .stdbrx:
            let ea = xEA(w)
            let size = d.op == .sthbrx ? 2 : d.op == .stwbrx ? 4 : 8
            let v = g[w.rt].byteSwapped >> UInt64(64 - 8 * size)
            guard store(ea, size, v, &o) else { return fault(ea, UInt64(size), .store) }
        case .stmw:
            var ea = dEA(w)
            if ea & 3 != 0 && interpreter.deliversInterrupts { return .raise(.alignment(address: ea)) }
            let count = 32 - w.rt
            if O.translates && s[RegisterSlot.msr] & MSR.dr != 0 {
                for r in w.rt..<32 {
                    guard store(ea, 4, g[r], &o) else { return fault(ea, 4, .store) }
                    ea &+= 4
                }
                break
            }
            guard memory.isWritable(ea & realModeMask, UInt64(4 * count)) else { return fault(ea, UInt64(4 * count), .store) }
            for r in w.rt..<32 { _ = store(ea, 4, g[r], &o); ea &+= 4 }

        // MARK: Atomics (one hardware thread: a reservation is an address and a size)
        case .lbarx, .lharx, .lwarx, .ldarx:
            let ea = raOrZero(w) &+ g[w.rb]
            let size = d.op == .lbarx ? 1 : d.op == .lharx ? 2 : d.op == .lwarx ? 4 : 8
            if ea & UInt64(size - 1) != 0 { return .raise(.alignment(address: ea)) }
            guard let v = load(ea, size, &o) else { return fault(ea, UInt64(size), .load) }
            g[w.rt] = v
            s[RegisterSlot.reserveAddress] = ea
            s[RegisterSlot.reserveSize] = UInt64(size)
            s[RegisterSlot.reserveValid] = 1
        case .stbcxRecord, .sthcxRecord, .stwcxRecord, .stdcxRecord:
            let ea = raOrZero(w) &+ g[w.rb]
            let size = d.op == .stbcxRecord ? 1 : d.op == .sthcxRecord ? 2 : d.op == .stwcxRecord ? 4 : 8
            if ea & UInt64(size - 1) != 0 { return .raise(.alignment(address: ea)) }
            let held = s[RegisterSlot.reserveValid] != 0 && s[RegisterSlot.reserveAddress] == ea
                && s[RegisterSlot.reserveSize] == UInt64(size)
            s[RegisterSlot.reserveValid] = 0
            if held { guard store(ea, size, g[w.rt], &o) else { return fault(ea, UInt64(size), .store) } }
            setCRField(0, lt: false, gt: false, eq: held)

        // MARK: Floating-point loads and stores (bit-exact conversions, no rounding)
        case .lfs, .lfsu, .lfd, .lfdu:
            if s[RegisterSlot.msr] & MSR.fp == 0 { return .raise(.floatingPointUnavailable) }
            let ea = raOrZero(w) &+ UInt64(bitPattern: w.si)
            let single = d.op == .lfs || d.op == .lfsu
            guard let v = load(ea, single ? 4 : 8, &o) else { return fault(ea, single ? 4 : 8, .load) }
            s[RegisterSlot.fpr0 + w.rt] = single ? FloatBits.doubleFromSingle(UInt32(truncatingIfNeeded: v)) : v
            s[RegisterSlot.vsrLow0 + w.rt] = 0  // VSR[FRT].dword[1] (see executeFloatingPoint)
            if d.op == .lfsu || d.op == .lfdu { g[w.ra] = ea }
        case .lfsx, .lfsux, .lfdx, .lfdux:
            if s[RegisterSlot.msr] & MSR.fp == 0 { return .raise(.floatingPointUnavailable) }
            let ea = raOrZero(w) &+ g[w.rb]
            let single = d.op == .lfsx || d.op == .lfsux
            guard let v = load(ea, single ? 4 : 8, &o) else { return fault(ea, single ? 4 : 8, .load) }
            s[RegisterSlot.fpr0 + w.rt] = single ? FloatBits.doubleFromSingle(UInt32(truncatingIfNeeded: v)) : v
            s[RegisterSlot.vsrLow0 + w.rt] = 0  // VSR[FRT].dword[1] (see executeFloatingPoint)
            if d.op == .lfsux || d.op == .lfdux { g[w.ra] = ea }
        case .lfiwax, .lfiwzx:
            if s[RegisterSlot.msr] & MSR.fp == 0 { return .raise(.floatingPointUnavailable) }
            // The word goes into the FPR as an integer (for fcfid), sign- or zero-extended.
            let ea = raOrZero(w) &+ g[w.rb]
            guard let v = load(ea, 4, &o) else { return fault(ea, 4, .load) }
            s[RegisterSlot.fpr0 + w.rt] = d.op == .lfiwax ? UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v))) : v
            s[RegisterSlot.vsrLow0 + w.rt] = 0  // VSR[FRT].dword[1] (see executeFloatingPoint)
        case .bpermd:
            // Byte i of RS selects bit (RB)[index] (big-endian bit numbering) for bit i of the
            // result's low byte; an index of 64 or more selects 0.
            var bits: UInt64 = 0
            let rs = g[w.rt], rb = g[w.rb]
            for i in 0..<8 {
                let index = (rs &>> UInt64(56 - 8 * i)) & 0xFF
                let bit = index < 64 ? (rb &>> (63 - index)) & 1 : 0
                bits |= bit &<< UInt64(7 - i)
            }
            g[w.ra] = bits
        case .stfs, .stfsu, .stfd, .stfdu:
            if s[RegisterSlot.msr] & MSR.fp == 0 { return .raise(.floatingPointUnavailable) }
            let ea = raOrZero(w) &+ UInt64(bitPattern: w.si)
            let single = d.op == .stfs || d.op == .stfsu
            let f = s[RegisterSlot.fpr0 + w.rt]
            guard store(ea, single ? 4 : 8, single ? UInt64(FloatBits.singleFromDouble(f)) : f, &o) else {
                return fault(ea, single ? 4 : 8, .store)
            }
            if d.op == .stfsu || d.op == .stfdu { g[w.ra] = ea }
        case .stfsx, .stfsux, .stfdx, .stfdux, .stfiwx:
            if s[RegisterSlot.msr] & MSR.fp == 0 { return .raise(.floatingPointUnavailable) }
            let ea = raOrZero(w) &+ g[w.rb]
            let single = d.op == .stfsx || d.op == .stfsux
            let f = s[RegisterSlot.fpr0 + w.rt]
            let size = (single || d.op == .stfiwx) ? 4 : 8
            let v = single ? UInt64(FloatBits.singleFromDouble(f)) : f
            guard store(ea, size, v, &o) else { return fault(ea, UInt64(size), .store) }
            if d.op == .stfsux || d.op == .stfdux { g[w.ra] = ea }

        // MARK: Branches
        case .b:
            let target = (w.bit30 ? 0 : pc) &+ UInt64(bitPattern: w.li)
            if w.bit31 { s[RegisterSlot.lr] = pc &+ 4 }
            next = target
        case .bc:
            if branchTaken(w, decrementsCTR: true) { next = (w.bit30 ? 0 : pc) &+ UInt64(bitPattern: w.bd) }
            if w.bit31 { s[RegisterSlot.lr] = pc &+ 4 }
        case .bclr:
            let target = s[RegisterSlot.lr] & ~3
            if branchTaken(w, decrementsCTR: true) { next = target }
            if w.bit31 { s[RegisterSlot.lr] = pc &+ 4 }
        case .bcctr:
            if branchTaken(w, decrementsCTR: false) { next = s[RegisterSlot.ctr] & ~3 }
            if w.bit31 { s[RegisterSlot.lr] = pc &+ 4 }
        case .bctar:
            if branchTaken(w, decrementsCTR: true) { next = s[RegisterSlot.tar] & ~3 }
            if w.bit31 { s[RegisterSlot.lr] = pc &+ 4 }

        // MARK: Condition register
        case .crand: setCRBit(w.rt, crBit(w.ra) && crBit(w.rb))
        case .crnand: setCRBit(w.rt, !(crBit(w.ra) && crBit(w.rb)))
        case .cror: setCRBit(w.rt, crBit(w.ra) || crBit(w.rb))
        case .crnor: setCRBit(w.rt, !(crBit(w.ra) || crBit(w.rb)))
        case .crxor: setCRBit(w.rt, crBit(w.ra) != crBit(w.rb))
        case .creqv: setCRBit(w.rt, crBit(w.ra) == crBit(w.rb))
        case .crandc: setCRBit(w.rt, crBit(w.ra) && !crBit(w.rb))
        case .crorc: setCRBit(w.rt, crBit(w.ra) || !crBit(w.rb))
        case .mcrf:
            let f = (cr >> UInt32(28 - 4 * w.bfa)) & 0xF
            let shift = UInt32(28 - 4 * w.bf)
            cr = (cr & ~(0xF << shift)) | (f << shift)
        case .mfcr: g[w.rt] = UInt64(cr)
        case .mfocrf:
            // One field selected (qemu): the others read as zero. With no or several FXM bits
            // RT is undefined; qemu-ppc64 leaves it unchanged.
            let fxm = UInt32(w.fxm)
            if fxm.nonzeroBitCount == 1 {
                let field = 7 - fxm.trailingZeroBitCount
                g[w.rt] = UInt64(cr & (0xF << UInt32(28 - 4 * field)))
            }
        case .mtcrf, .mtocrf:
            // mtocrf with no or several FXM bits: undefined; qemu-ppc64 changes nothing.
            if d.op == .mtocrf && w.fxm.nonzeroBitCount != 1 { break }
            var mask: UInt32 = 0
            for i in 0..<8 where w.fxm & (0x80 >> i) != 0 { mask |= 0xF << UInt32(28 - 4 * i) }
            cr = (cr & ~mask) | (UInt32(truncatingIfNeeded: g[w.rt]) & mask)
        case .isel:
            g[w.rt] = crBit(w.rc) ? raOrZero(w) : g[w.rb]

        // MARK: Special registers
        case .mfspr, .mftb:
            // mflr/mfctr (every non-leaf function's prologue, every indirect call) skip the
            // general SPR switch, which the compiler keeps out of line.
            let spr = w.spr
            if spr == SPR.lr { g[w.rt] = s[RegisterSlot.lr]; break }
            if spr == SPR.ctr { g[w.rt] = s[RegisterSlot.ctr]; break }
            interpreter.countNow = interpreter.sliceEnd &- remaining
            if let exit = moveFromSPR(w) { return exit }
        case .mtspr:
            let spr = w.spr  // mtlr/mtctr fast, as for mfspr
            if spr == SPR.lr { s[RegisterSlot.lr] = g[w.rt]; break }
            if spr == SPR.ctr { s[RegisterSlot.ctr] = g[w.rt]; break }
            interpreter.countNow = interpreter.sliceEnd &- remaining
            if let exit = moveToSPR(w) {
                if exit == .contextChanged { pcRef = next }
                return exit
            }
        case .mfmsr:
            if s[RegisterSlot.msr] & MSR.pr != 0 { return .raise(.program(.privilegedInstruction)) }
            g[w.rt] = s[RegisterSlot.msr]
        case .mtmsr, .mtmsrd:
            if s[RegisterSlot.msr] & MSR.pr != 0 { return .raise(.program(.privilegedInstruction)) }
            let v = g[w.rt]
            let old = s[RegisterSlot.msr]
            if (w.raw >> 16) & 1 != 0 {
                // L = 1: only EE and RI change.
                let m = MSR.ee | MSR.ri
                s[RegisterSlot.msr] = (old & ~m) | (v & m)
            } else if d.op == .mtmsr {
                s[RegisterSlot.msr] = MSR.written(old: old, new: (old & ~0xFFFF_FFFF) | (v & 0xFFFF_FFFF))
            } else {
                s[RegisterSlot.msr] = MSR.written(old: old, new: v)
            }
            // EE or SE may now let a pending interrupt in: the run loop looks again.
            pcRef = next
            return .contextChanged
        case .rfid:
            if s[RegisterSlot.msr] & MSR.pr != 0 { return .raise(.program(.privilegedInstruction)) }
            // SRR1 bits 33:36 and 42:47 hold the interrupt's cause, not MSR bits (those are reserved).
            s[RegisterSlot.msr] = MSR.written(old: s[RegisterSlot.msr], new: s[RegisterSlot.srr1] & ~SRR1.interruptSpecific)
            pcRef = s[RegisterSlot.srr0] & ~3
            return .contextChanged

        // MARK: System
        case .sc:
            pcRef = next
            let level = Int((w.raw >> 5) & 1)
            // A PAPR guest's own kernel takes sc 0 at 0xC00; sc 1 is the hypervisor's (a host exit).
            if level == 0 && interpreter.deliversInterrupts { pcRef = pc; return .raise(.systemCall) }
            return .host(.systemCall(level: level))
        case .tw, .twi:
            let a = Int64(Int32(truncatingIfNeeded: g[w.ra]))
            let b = d.op == .tw ? Int64(Int32(truncatingIfNeeded: g[w.rb])) : w.si
            if Self.trapCondition(w.rt, a, b) { return .raise(.program(.trap)) }
        case .td, .tdi:
            let a = Int64(bitPattern: g[w.ra])
            let b = d.op == .td ? Int64(bitPattern: g[w.rb]) : w.si
            if Self.trapCondition(w.rt, a, b) { return .raise(.program(.trap)) }
        case .sync, .isync, .eieio:
            break  // one hardware thread, in-order: nothing to order (any L: hwsync, lwsync, ptesync, phwsync…)
        case .wait:
            // WC = 0 (wait) and 1 (waitrsv: no other thread can take the reservation) idle until
            // an interrupt; 2 (pause_short) only pauses.
            pcRef = next
            return (w.raw >> 21) & 3 == 2 ? nil : .host(.idle)
        case .tlbie, .tlbiel, .slbia, .tlbsync:
            // Out of line (TranslatedAccess.swift): the hot loop's registers are not theirs.
            if let exit = executeTranslationManagement(d.op, w) { return exit }
            if d.op != .tlbsync { pcRef = next; return .contextChanged }
        case .slbie, .slbmte:
            // The hashed page table's segment instructions: privileged, nothing to do under radix.
            if s[RegisterSlot.msr] & MSR.pr != 0 { return .raise(.program(.privilegedInstruction)) }
        case .msgsndp, .msgclrp:
            // A directed privileged doorbell to thread RB[57:63] of this core: the only thread
            // is 0, whose pending bit is DPDES bit 63. (The 0xA00 interrupt is not delivered yet.)
            if s[RegisterSlot.msr] & MSR.pr != 0 { return .raise(.program(.privilegedInstruction)) }
            if g[w.rb] & 0x7F == 0 {
                if d.op == .msgsndp { s[RegisterSlot.dpdes] |= 1 } else { s[RegisterSlot.dpdes] &= ~1 }
            }

        // MARK: String, quadword and multiply-add (StringQuadword.swift)
        case .lswi, .lswx, .stswi, .stswx:
            if let exit = executeString(d.op, w, &o) { return exit }
        case .lq, .stq, .lqarx, .stqcxRecord:
            if let exit = executeQuadword(d.op, w, &o) { return exit }
        case .maddhd:
            // RT = bits 0:63 of the 128-bit (RA) × (RB) + EXTS(RC), signed.
            let p = Int64(bitPattern: g[w.ra]).multipliedFullWidth(by: Int64(bitPattern: g[w.rb]))
            let c = g[w.rc]
            let (_, carry) = p.low.addingReportingOverflow(c)
            let high = UInt64(bitPattern: p.high) &+ (Int64(bitPattern: c) < 0 ? UInt64.max : 0) &+ (carry ? 1 : 0)
            g[w.rt] = high
        case .maddhdu:
            let p = g[w.ra].multipliedFullWidth(by: g[w.rb])
            let (_, carry) = p.low.addingReportingOverflow(g[w.rc])
            g[w.rt] = p.high &+ (carry ? 1 : 0)
        case .maddld:
            g[w.rt] = g[w.ra] &* g[w.rb] &+ g[w.rc]
        case .dcbt, .dcbtst, .dcbst, .dcbf, .icbi:
            break  // no caches to manage; icbi coherence is kept by store snooping
        case .dcbz:
            let ea = (raOrZero(w) &+ g[w.rb]) & ~(Interpreter.cacheLineSize - 1)
            let translated = O.translates && s[RegisterSlot.msr] & MSR.dr != 0
            guard let ra = blockRealAddress(ea, translated: translated), let p = memory.writablePointer(ra, Interpreter.cacheLineSize) else {
                if translated, interpreter.pendingFault == nil, let ra = blockRealAddress(ea, translated: true) {
                    _ = missingMemory(ea, ra, Int(Interpreter.cacheLineSize), .store)
                }
                return fault(ea, Interpreter.cacheLineSize, .store)
            }
            p.initializeMemory(as: UInt8.self, repeating: 0, count: Int(Interpreter.cacheLineSize))
            noteStore(ra, Interpreter.cacheLineSize)
            observeStore(&o, ea, Int(Interpreter.cacheLineSize), 0)

        default:
            // The vector facility and VSX (VectorExecutor.swift): reached from here rather than
            // from cases of their own, which made the compiler keep the PC in memory across the
            // loop (docs/PERFORMANCE.md).
            if d.op.isVectorFacility {
                if let exit = executeVectorFacility(d.op, w, &o) { return exit }
                break
            }
            // Floating-point arithmetic and FPSCR instructions (FloatingPoint.swift).
            if s[RegisterSlot.msr] & MSR.fp == 0 { return .raise(.floatingPointUnavailable) }
            guard executeFloatingPoint(d.op, w) else { return floatingPointStop() }
        }
        pcRef = next
        return nil
    }

    /// The bc/bclr/bcctr condition: decrements CTR when BO says so and the form allows it.
    @inline(__always) func branchTaken(_ w: InstructionWord, decrementsCTR: Bool) -> Bool {
        let bo = w.rt
        var ctrOK = true
        if decrementsCTR && bo & 4 == 0 {
            let c = s[RegisterSlot.ctr] &- 1
            s[RegisterSlot.ctr] = c
            ctrOK = (c != 0) != (bo & 2 != 0)
        }
        let condOK = bo & 16 != 0 || crBit(w.ra) == (bo & 8 != 0)
        return ctrOK && condOK
    }

    /// divwe/divweu/divde/divdeu: the dividend is RA shifted left by the operand width.
    func extendedDivide(_ op: Op, _ w: InstructionWord) -> UInt64 {
        var overflow = false, keep = false
        var r: UInt64 = 0
        switch op {
        case .divweu:
            let a = (g[w.ra] & 0xFFFF_FFFF) << 32, b = g[w.rb] & 0xFFFF_FFFF
            if b == 0 { overflow = true } else { let q = a / b; if q > 0xFFFF_FFFF { overflow = true } else { r = q } }
        case .divwe:
            let a = Int64(bitPattern: (g[w.ra] & 0xFFFF_FFFF) << 32), b = Int64(Int32(truncatingIfNeeded: g[w.rb]))
            if b == 0 || (a == Int64.min && b == -1) { overflow = true } else {
                let q = a / b
                // The high word is undefined; qemu-ppc64 sign-extends the quotient.
                if q < Int64(Int32.min) || q > Int64(Int32.max) { overflow = true } else { r = UInt64(bitPattern: q) }
            }
        case .divdeu:
            let a = g[w.ra], b = g[w.rb]
            if b == 0 || a >= b { overflow = true } else { r = b.dividingFullWidth((high: a, low: 0)).quotient }
        default: // divde
            let a = Int64(bitPattern: g[w.ra]), b = Int64(bitPattern: g[w.rb])
            if b == 0 { overflow = true } else {
                let neg = (a < 0) != (b < 0)
                let ua = a.magnitude, ub = b.magnitude
                if ua >= ub { overflow = true } else {
                    let q = ub.dividingFullWidth((high: ua, low: 0)).quotient
                    // A quotient beyond the signed range overflows (OV, as the ISA says); its
                    // value is undefined and qemu-ppc64 (which misses this overflow) gives the
                    // low 64 bits, so lpar does too.
                    r = neg ? 0 &- q : q
                    if neg ? q > UInt64(1) << 63 : q >= UInt64(1) << 63 { overflow = true; keep = true }
                }
            }
        }
        if w.oe { setOV(overflow, overflow) }
        return overflow && !keep ? 0 : r
    }

    /// DEC (32 bits: lpar offers no large decrementer): it counts down with the time base, so it
    /// is kept as the time base at which it reads 0. A read is sign-extended, as on POWER9 with
    /// LPCR[LD] = 0.
    @inline(__always) var decrementer: UInt64 {
        UInt64(bitPattern: Int64(Interpreter.decrementer(base: s[RegisterSlot.decrementerBase], timeBase: timeBase)))
    }
    @inline(__always) func writeDecrementer(_ v: UInt64) {
        s[RegisterSlot.decrementerBase] = timeBase &+ UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v)))
    }
}

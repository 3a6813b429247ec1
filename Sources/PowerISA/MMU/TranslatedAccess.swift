import GuestMemory

/// The observer of a slice with relocation on (MSR[IR] or MSR[DR] = 1, a PAPR guest): the
/// slice's own observer, plus `translates`. How memory is reached is thus a static property of
/// the slice's observer type, folded like `isActive`: the real-mode loop carries no test for
/// translation. `Interpreter.run` picks per slice, and every MSR change ends the slice
/// (mtmsr(d) and rfid return `.contextChanged`; interrupts are delivered between slices).
public struct Translating<Inner: ExecutionObserver>: ExecutionObserver {
    public var inner: Inner
    public init(_ inner: Inner) { self.inner = inner }
    public static var translates: Bool { true }
    public static var isActive: Bool { Inner.isActive }
    public static var observesMemory: Bool { Inner.observesMemory }
    public static var readsCPU: Bool { Inner.readsCPU }
    @inline(__always) public mutating func willExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU) {
        inner.willExecute(pc: pc, word: word, op: op, cpu: cpu)
    }
    @inline(__always) public mutating func didExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU) {
        inner.didExecute(pc: pc, word: word, op: op, cpu: cpu)
    }
    @inline(__always) public mutating func memoryAccess(address: UInt64, size: Int, value: UInt64, isStore: Bool) {
        inner.memoryAccess(address: address, size: size, value: value, isStore: isStore)
    }
}

/// Loads and stores with MSR[DR] = 1: the data TLB is probed inline; a miss, an access that
/// crosses a 4K granule, or one that leaves RAM takes the out-of-line path, which walks (and
/// fills the TLB) and sets `Interpreter.pendingFault` when the access cannot complete.
extension Executor {
    /// The TLB hit for a `size`-byte access inside one 4K granule of RAM, as a host pointer.
    @inline(__always) func translatedPointer(_ ea: UInt64, _ size: Int, _ access: StorageAccess) -> UnsafeMutableRawPointer? {
        guard ea & 0xFFF <= 0x1000 &- UInt64(size) else { return nil }
        guard let ra = TranslationCache.lookup(
            entries: interpreter.dataTLBEntries, indexMask: interpreter.dataTLBIndexMask,
            keyZeroDenied: interpreter.keyZeroDenied, ea: ea,
            pidr: UInt32(truncatingIfNeeded: s[RegisterSlot.pidr]), access: access,
            problemState: s[RegisterSlot.msr] & MSR.pr != 0) else { return nil }
        guard ra &- nullGuard <= ramSpan &- UInt64(size) else { return nil }
        return base + Int(ra)
    }

    @inline(__always) func translatedLoad(_ ea: UInt64, _ size: Int) -> UInt64? {
        guard let p = translatedPointer(ea, size, .load) else { return slowTranslatedLoad(ea, size) }
        switch size {
        case 1: return UInt64(p.load(as: UInt8.self))
        case 2: return UInt64(UInt16(bigEndian: p.loadUnaligned(as: UInt16.self)))
        case 4: return UInt64(UInt32(bigEndian: p.loadUnaligned(as: UInt32.self)))
        default: return UInt64(bigEndian: p.loadUnaligned(as: UInt64.self))
        }
    }

    @inline(__always) func translatedStore(_ ea: UInt64, _ size: Int, _ v: UInt64) -> Bool {
        guard let p = translatedPointer(ea, size, .store) else { return slowTranslatedStore(ea, size, v) }
        switch size {
        case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: v), as: UInt8.self)
        case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: v).bigEndian, as: UInt16.self)
        case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: v).bigEndian, as: UInt32.self)
        default: p.storeBytes(of: v.bigEndian, as: UInt64.self)
        }
        // Predecoded code is dropped by real page, whichever mapping wrote it.
        let ra = UInt64(p - base)
        if codeFlags[Int(ra >> GuestMemory.pageShift)] != 0 { interpreter.invalidate(address: ra, size: UInt64(size)) }
        return true
    }

    /// `Interpreter.translate` through the unmanaged reference without a retain/release pair
    /// (this is every TLB miss).
    @inline(__always) func walk(_ ea: UInt64, _ access: StorageAccess, size: UInt64) -> UInt64? {
        interpreterRef._withUnsafeGuaranteedRef { $0.translate(ea, access, size: size) }
    }

    /// The real addresses of the bytes `[ea, ea + size)`: one per 4K granule touched (an
    /// unaligned access may cross into a second one, which can fault on its own: DAR is then
    /// the first byte in that granule, as QEMU reports it). nil with the fault pending.
    func translateGranules(_ ea: UInt64, _ size: Int, _ access: StorageAccess) -> (first: UInt64, second: UInt64?)? {
        guard let first = walk(ea, access, size: UInt64(size)) else { return nil }
        let last = ea &+ UInt64(size &- 1)
        guard last >> 12 != ea >> 12 else { return (first, nil) }
        guard let second = walk(last & ~0xFFF, access, size: UInt64(size)) else { return nil }
        return (first, second)
    }

    /// The real address of byte `i` of an access whose granules are `ra`.
    @inline(__always) static func byteAddress(_ ea: UInt64, _ i: Int, _ ra: (first: UInt64, second: UInt64?)) -> UInt64 {
        let a = ea &+ UInt64(i)
        if let second = ra.second, a >> 12 != ea >> 12 { return second | (a & 0xFFF) }
        return ra.first &+ UInt64(i)
    }

    /// A translated access to a real address where nothing is: a machine check, DAR = the EA
    /// (as in real mode); a store to read-only memory that is there: DSI protection.
    func missingMemory(_ ea: UInt64, _ ra: UInt64, _ size: Int, _ kind: MemoryFault.Kind) -> Bool {
        if kind == .store && memory.isMapped(ra, UInt64(size)) {
            interpreter.pendingFault = .dataStorage(address: ea, dsisr: DSISR.protection | DSISR.store)
        } else {
            interpreter.pendingFault = .machineCheck(MemoryFault(address: ea, size: UInt64(size), kind: kind))
        }
        return false
    }

    @inline(never) func slowTranslatedLoad(_ ea: UInt64, _ size: Int) -> UInt64? {
        guard let ra = translateGranules(ea, size, .load) else { return nil }
        var v: UInt64?
        if ra.second == nil {
            switch size {
            case 1: v = memory.load8(ra.first).map(UInt64.init)
            case 2: v = memory.load16(ra.first).map(UInt64.init)
            case 4: v = memory.load32(ra.first).map(UInt64.init)
            default: v = memory.load64(ra.first)
            }
        } else {
            var x: UInt64 = 0
            for i in 0..<size {
                guard let b = memory.load8(Self.byteAddress(ea, i, ra)) else { x = 0; v = nil; break }
                x = x << 8 | UInt64(b)
                v = x
            }
        }
        if v == nil { _ = missingMemory(ea, ra.first, size, .load) }
        return v
    }

    @inline(never) func slowTranslatedStore(_ ea: UInt64, _ size: Int, _ v: UInt64) -> Bool {
        guard let ra = translateGranules(ea, size, .store) else { return false }
        if ra.second == nil {
            let ok: Bool
            switch size {
            case 1: ok = memory.store8(ra.first, UInt8(truncatingIfNeeded: v))
            case 2: ok = memory.store16(ra.first, UInt16(truncatingIfNeeded: v))
            case 4: ok = memory.store32(ra.first, UInt32(truncatingIfNeeded: v))
            default: ok = memory.store64(ra.first, v)
            }
            guard ok else { return missingMemory(ea, ra.first, size, .store) }
            noteStore(ra.first, UInt64(size))
            return true
        }
        // Both granules are checked before any byte is written: the store happens whole or not.
        for i in 0..<size where !memory.isWritable(Self.byteAddress(ea, i, ra), 1) {
            return missingMemory(ea, Self.byteAddress(ea, i, ra), size, .store)
        }
        for i in 0..<size {
            let a = Self.byteAddress(ea, i, ra)
            _ = memory.store8(a, UInt8(truncatingIfNeeded: v >> UInt64(8 * (size - 1 - i))))
            noteStore(a, 1)
        }
        return true
    }

    /// dcbz's block (aligned, so inside one granule): its real address, nil with the fault
    /// pending when translation refuses the store. Real mode: EA bits 0:3 ignored.
    func blockRealAddress(_ ea: UInt64, translated: Bool) -> UInt64? {
        guard translated else { return ea & realModeMask }
        return walk(ea, .store, size: Interpreter.cacheLineSize)
    }

    /// tlbie, tlbiel, slbia, tlbsync (all privileged): nil when done. tlbie, tlbiel and
    /// slbia then end the slice, whose fetch page came through the TLB they changed.
    @inline(never) func executeTranslationManagement(_ op: Op, _ w: InstructionWord) -> ExecutionExit? {
        if s[RegisterSlot.msr] & MSR.pr != 0 { return .raise(.program(.privilegedInstruction)) }
        switch op {
        case .tlbie, .tlbiel:
            // tlbie RB,RS,RIC,PRS,R: RS in bits 6:10; RIC 12:13, PRS 14, R 15 are the RA field.
            let invalidation = TLBInvalidation(rb: g[w.rb], rs: g[w.rt], ric: (w.ra >> 2) & 3,
                                               prs: w.ra & 2 != 0, r: w.ra & 1 != 0)
            if op == .tlbie {
                interpreter.mmu.broadcast(invalidation)
            } else {
                interpreter.dataTLB.apply(invalidation)
                interpreter.instructionTLB.apply(invalidation)
            }
        case .slbia:
            // Under radix it invalidates lookaside translation state: all of this vCPU's.
            interpreter.dataTLB.invalidateAll()
            interpreter.instructionTLB.invalidateAll()
        default:
            break  // tlbsync: on one host thread every tlbie has completed everywhere already
        }
        return nil
    }
}

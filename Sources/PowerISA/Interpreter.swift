#if canImport(Glibc)
import Glibc
#endif
import GuestMemory

/// Executes PPC64 big-endian instructions on a `CPU` against `GuestMemory`.
///
/// Instructions are decoded once per address into a per-page cache of `DecodedInstruction`s; a
/// `.invalid` entry means "not decoded yet", so decoding costs no extra test in the hot path
/// beyond the one compare. Stores check a per-page flag and drop the cached page when they
/// write into code.
public final class Interpreter {
    public let cpu: CPU
    public let memory: GuestMemory
    /// Instructions completed since creation.
    public internal(set) var instructionsExecuted: UInt64 = 0
    /// Cache line size used by dcbz (and advertised to Linux programs as AT_DCACHEBSIZE).
    public static let cacheLineSize: UInt64 = 128
    /// Time-base frequency, as on POWER9 (512 MHz).
    public static let timeBaseFrequency: UInt64 = 512_000_000

    /// The predecoded instructions, shared by every vCPU of a machine (code written by one is
    /// forgotten for all).
    public let cache: DecodeCache
    @usableFromInline var pageCount: Int { cache.pageCount }
    @usableFromInline var pages: UnsafeMutablePointer<UnsafeMutablePointer<DecodedInstruction>?> { cache.pages }
    @usableFromInline var rlwMasks: UnsafeMutablePointer<UInt64> { cache.rlwMasks }
    @usableFromInline var invalidPage: UnsafeMutablePointer<DecodedInstruction> { cache.invalidPage }
    let decoder = Decoder.shared
    /// A PAPR guest: interrupts go to its vectors, `sc 0` to its own 0xC00 handler, and real
    /// mode ignores EA bits 0:3. Off for a Linux process (lpar plays its kernel: every interrupt
    /// comes back as a stop, to become a signal).
    public let deliversInterrupts: Bool
    /// `realModeMask` of `Executor`.
    @usableFromInline let realModeMask: UInt64
    /// The instruction count at which the running slice ends, and the count at the instruction
    /// executing now, set by the instructions that read the time base (`Executor.timeBase`).
    var sliceEnd: UInt64 = 0
    var countNow: UInt64 = 0
    /// Told of every interrupt delivered (after delivery: SRR0, SRR1, DAR, DSISR and the PC are
    /// the handler's), with the address of the instruction it interrupted. Called only from the
    /// delivery path, so it costs nothing per instruction (`--trace interrupt`, `--stats`).
    public var interruptObserver: ((Interrupt, UInt64) -> Void)?
    /// The external exception: the interrupt controller asserts it (a presented XICS interrupt)
    /// and it is taken, while MSR[EE] = 1, between instructions. Set only between runs: the
    /// machine changes it from hcalls, which end a run.
    public var externalPending = false
    /// Interrupts delivered to the guest so far.
    public internal(set) var interruptsDelivered: UInt64 = 0
    /// Radix tree walks: translated accesses and fetches the TLBs missed (`--stats`).
    public internal(set) var radixWalks: UInt64 = 0

    /// The partition's translation state (process table, shared with the hypervisor and the
    /// other vCPUs) and this vCPU's TLBs, one for data and one for fetches. Used only by a
    /// PAPR guest with MSR[IR] or MSR[DR] = 1 (`RadixAddressing` slices).
    public let mmu: MMUContext
    /// 4096 granules (16 MiB) of data: a guest sweeping a large array misses less; tlbie by
    /// page scans the entries, which stays cheap at this size.
    public let dataTLB = TranslationCache(entryCount: 4096)
    public let instructionTLB = TranslationCache()
    /// `dataTLB`'s entries and index mask, for the inline probe of every translated access:
    /// going through the class reference cost a retain/release pair per access (measured: two
    /// thirds of a translated run). `dataTLB` owns them and lives as long as this interpreter.
    @usableFromInline let dataTLBEntries: UnsafeMutablePointer<TranslationCache.Entry>
    @usableFromInline let dataTLBIndexMask: UInt64
    /// The interrupt of the translated access that just failed, for `Executor.fault` to raise
    /// (the access paths themselves only answer nil / false, as in real mode).
    var pendingFault: Interrupt?
    /// What AMR/IAMR key 0 deny (the TLBs hold a copy; this one is for the inline probe).
    @usableFromInline var keyZeroDenied: AccessRights = []

    /// `cache`: the machine's shared decode cache, `mmu` its translation state (nil: this
    /// vCPU's own).
    public init(cpu: CPU, memory: GuestMemory, deliversInterrupts: Bool = false, cache: DecodeCache? = nil, mmu: MMUContext? = nil) {
        self.deliversInterrupts = deliversInterrupts
        dataTLBEntries = dataTLB.entries
        dataTLBIndexMask = dataTLB.indexMask
        self.mmu = mmu ?? MMUContext()
        self.mmu.attach(dataTLB)
        self.mmu.attach(instructionTLB)
        realModeMask = deliversInterrupts ? 0x0FFF_FFFF_FFFF_FFFF : UInt64.max
        self.cpu = cpu
        self.memory = memory
        self.cache = cache ?? DecodeCache(memory: memory)
    }

    deinit {
        mmu.detach(dataTLB)
        mmu.detach(instructionTLB)
    }

    public func invalidate(page: Int) { cache.invalidate(page: page) }
    @inline(__always) func invalidate(address: UInt64, size: UInt64) { cache.invalidate(address: address, size: size) }
    /// Forgets every predecoded instruction (after loading a new image, for instance).
    public func invalidateAll() { cache.invalidateAll() }

    /// The time base: virtual time, one tick per instruction completed plus the offset that
    /// idling (H_CEDE, `wait`) adds, so two runs of a guest see the same times. At the 512 MHz
    /// the device tree states, a virtual second is 512 million instructions.
    public var timeBase: UInt64 { instructionsExecuted &+ cpu[RegisterSlot.timeBaseOffset] }

    /// The decrementer's current value (32 bits, sign-extended).
    public var decrementer: Int32 { Self.decrementer(base: cpu[RegisterSlot.decrementerBase], timeBase: timeBase) }

    /// DEC at `timeBase`, kept as the time base at which it reads 0 (`RegisterSlot.decrementerBase`):
    /// 32 bits, counting down with TB.
    @inline(__always) static func decrementer(base: UInt64, timeBase: UInt64) -> Int32 { Int32(truncatingIfNeeded: base &- timeBase) }

    /// Time base ticks until the decrementer interrupt is due (0: it is due now); nil when
    /// MSR[EE] = 0 keeps it out.
    public var ticksToDecrementer: UInt64? {
        guard cpu.msr & MSR.ee != 0 else { return nil }
        let d = decrementer
        return d < 0 ? 0 : UInt64(d) + 1
    }

    /// Decodes the instruction at `pc` into its cache slot (allocating the page's cache).
    @usableFromInline
    func decodeSlot(_ pc: UInt64) -> DecodedInstruction {
        let pc = pc & realModeMask
        guard let word = memory.load32(pc), pc < memory.ramSize else { return DecodedInstruction(op: .invalid, word: 0) }
        let op = decoder.decode(word)
        let d = DecodedInstruction(op: op, word: word)
        if op == .invalid { return d }
        let page = Int(pc >> GuestMemory.pageShift)
        let cache: UnsafeMutablePointer<DecodedInstruction>
        if let p = pages[page] { cache = p } else {
            cache = .allocate(capacity: 1024)
            cache.initialize(repeating: DecodedInstruction(op: .invalid, word: 0), count: 1024)
            pages[page] = cache
            memory.codePageFlags[page] |= GuestMemory.PageFlag.code
        }
        cache[Int((pc & 0xFFF) >> 2)] = d
        return d
    }

    /// Runs until something needs the caller (see `StopReason`) or `limit` instructions have
    /// completed. Untraced runs pass `NoObserver`.
    ///
    /// The untraced loop does per instruction: one budget decrement, one page compare, one load
    /// of the cached op and the `switch`. A slot not decoded yet holds `.invalid`, whose case
    /// in the switch stops; only then does the loop decode, so decoding adds no test to the
    /// hot path. PCs outside RAM or on pages never decoded read `invalidPage`.
    ///
    /// Timer events and the trace interrupt cost nothing per instruction either: the budget of
    /// each slice ends at the next event (the decrementer's instant while MSR[EE] = 1, the next
    /// instruction while MSR[SE] = 1), and instructions that move events (mtmsrd, rfid, mtspr
    /// DEC) end the slice.
    @_specialize(exported: true, where O == NoObserver)
    @_specialize(exported: true, where O == CountingObserver)
    @_specialize(exported: true, where O == HookObserver)
    @_specialize(exported: true, where O == MemoryHookObserver)
    public func run<O: ExecutionObserver>(observer: inout O, limit: UInt64) -> StopReason {
        let end = instructionsExecuted &+ limit
        // The PC lives in a local while running; cpu.pc is written back at every stop.
        var pc = cpu.pc
        while true {
            // Between slices: take what is due, then run to the next event or the end.
            var traceArmed = false
            if deliversInterrupts {
                // The external interrupt (XICS) comes before the decrementer (Book III 6.8).
                if externalPending && cpu.msr & MSR.ee != 0 {
                    if let stop = raise(.external, pc: pc, nextPC: pc) { return stop }
                    pc = cpu.pc
                }
                if let ticks = ticksToDecrementer, ticks == 0 {
                    if let stop = raise(.decrementer, pc: pc, nextPC: pc) { return stop }
                    pc = cpu.pc
                }
                traceArmed = cpu.msr & (MSR.se | MSR.be) != 0
            }
            if instructionsExecuted == end { cpu.pc = pc; return .instructionLimit }
            var sliceEnd = end
            if deliversInterrupts {
                if traceArmed { sliceEnd = instructionsExecuted &+ 1 }
                else if let ticks = ticksToDecrementer, ticks < sliceEnd &- instructionsExecuted { sliceEnd = instructionsExecuted &+ ticks }
            }
            self.sliceEnd = sliceEnd
            var remaining = sliceEnd &- instructionsExecuted
            let tracedPC = pc
            // Relocation on: the slice that translates (the MSR cannot change inside a slice).
            let exit: ExecutionExit?
            if deliversInterrupts && cpu.msr & (MSR.ir | MSR.dr) != 0 {
                pendingFault = nil  // only the failing access of this slice may set it
                var translating = Translating(observer)
                exit = runSlice(&translating, pc: &pc, remaining: &remaining)
                observer = translating.inner
            } else if memory.enforcesProtections {
                // A Linux process's page permissions (ProtectedAccess.swift).
                var protected = Protected(observer)
                exit = runSlice(&protected, pc: &pc, remaining: &remaining)
                observer = protected.inner
            } else {
                exit = runSlice(&observer, pc: &pc, remaining: &remaining)
            }
            instructionsExecuted = sliceEnd &- remaining
            switch exit {
            case nil:
                // The slice ran out: an event is due or the budget is used up.
                // Single step (MSR[SE]) traces every instruction, branch trace (MSR[BE]) each
                // branch, taken or not (Book III 10.5); SIAR gets the traced instruction.
                if traceArmed && (cpu.msr & MSR.se != 0 || isBranch(at: tracedPC)) {
                    cpu[RegisterSlot.siar] = tracedPC
                    if let stop = raise(.trace, pc: pc, nextPC: pc) { return stop }
                    pc = cpu.pc
                }
            case .contextChanged?, .notDecoded?:
                cpu.pc = pc
            case .raise(let interrupt)?:
                // An instruction that raises an interrupt leaves the PC on itself.
                if let stop = raise(interrupt, pc: pc, nextPC: pc &+ 4) { return stop }
                pc = cpu.pc
            case .host(let stop)?:
                // sc and wait: pc is already after the instruction, as after the interrupt returns.
                cpu.pc = pc
                return stop
            }
        }
    }

    /// Whether the instruction at `pc` (just executed: its fetch translated) is a branch.
    @inline(never)
    func isBranch(at pc: UInt64) -> Bool {
        let real: UInt64?
        if cpu.msr & MSR.ir != 0 { real = translate(pc, .fetch, size: 4) } else { real = pc & realModeMask }
        guard let real, let word = memory.load32(real) else { return false }
        switch decoder.decode(word) {
        case .b, .bc, .bclr, .bcctr, .bctar: return true
        default: return false
        }
    }

    /// The hot loop: runs `remaining` instructions from `pc`, or fewer when one ends the slice
    /// (nil: all of them ran). Kept apart from `run`, whose bookkeeping between slices would
    /// otherwise compete for registers with this loop (measured: 7% slower in one function).
    ///
    /// `O.translates` fixes how this slice reaches memory: false is the untranslated loop
    /// unchanged; with `Translating` a fetch translates the PC when it enters a new page
    /// (through the instruction TLB) and the predecode page is the real page's, so code stays
    /// coherent whatever mapping wrote it.
    @inline(never)
    func runSlice<O: ExecutionObserver>(_ observer: inout O, pc pcOut: inout UInt64, remaining remainingOut: inout UInt64) -> ExecutionExit? {
        var executor = Executor(interpreter: self)
        let state = cpu.state
        var pc = pcOut
        var remaining = remainingOut
        defer { pcOut = pc; remainingOut = remaining }
        // The predecode page of the current PC: looked up again only when the PC leaves it.
        var pageBase = UInt64.max
        var page = invalidPage
        // The real page of `pageBase` when fetches translate (unused in real mode).
        var realPage: UInt64 = 0
        let fetchTranslates = O.translates && state[RegisterSlot.msr] & MSR.ir != 0
        while remaining != 0 {
            if pc & ~0xFFF != pageBase {
                pageBase = pc & ~0xFFF
                if O.translates && fetchTranslates {
                    guard let ra = translate(pc, .fetch, size: 4) else { return .raise(takePendingFault()) }
                    realPage = ra & ~0xFFF
                    page = pagePointer(realPage)
                } else {
                    page = pagePointer(pc)
                }
            }
            var d = page[Int((pc & 0xFFF) >> 2)]
            if O.isActive {
                // Traced runs decode before the observer sees the instruction.
                if d.op == .invalid {
                    if let stop = decodeOrStop(pc, O.translates && fetchTranslates ? realPage | (pc & 0xFFF) : pc, &d) { return stop }
                    pageBase = UInt64.max
                }
                if O.readsCPU { state[RegisterSlot.pc] = pc }
                observer.willExecute(pc: pc, word: d.word, op: d.op, cpu: cpu)
            }
            let here = pc
            if let stop = executor.execute(d, pc: &pc, remaining: remaining, observer: &observer) {
                if !O.isActive, stop == .notDecoded {
                    if let stop = decodeOrStop(pc, O.translates && fetchTranslates ? realPage | (pc & 0xFFF) : pc, &d) { return stop }
                    pageBase = UInt64.max  // the page's cache may have just been created
                    continue
                }
                if stop == .contextChanged {
                    // The instruction completed (pc is the next one): count and observe it.
                    remaining &-= 1
                    if O.isActive {
                        if O.readsCPU { state[RegisterSlot.pc] = pc }
                        observer.didExecute(pc: here, word: d.word, op: d.op, cpu: cpu)
                    }
                }
                return stop
            }
            remaining &-= 1
            if O.isActive {
                if O.readsCPU { state[RegisterSlot.pc] = pc }
                observer.didExecute(pc: here, word: d.word, op: d.op, cpu: cpu)
            }
        }
        return nil
    }

    /// Delivers `interrupt`, raised by the instruction at `pc`, to the guest's vector — or, when
    /// the guest cannot take it, returns it for the machine to report with `cpu.pc` at `pc`:
    /// when interrupts are not delivered (the Linux personality), when the vector holds no code
    /// (a zero word: nothing was ever installed there), or when the interrupt hit the first
    /// instruction of the vector just entered (a handler that faults at once would loop).
    @inline(never)
    func raise(_ interrupt: Interrupt, pc: UInt64, nextPC: UInt64) -> StopReason? {
        guard deliversInterrupts else { cpu.pc = pc; return .interrupt(interrupt) }
        if let last = lastDelivery, last.count == instructionsExecuted, pc == last.vector {
            // Report the interrupt that started the loop, where it happened.
            cpu.pc = last.pc
            cpu.msr = last.msr
            return .interrupt(last.interrupt)
        }
        guard let word = memory.load32(interrupt.vector), word != 0 else { cpu.pc = pc; return .interrupt(interrupt) }
        // A machine check with MSR[ME] = 0 is a checkstop (Book III 6.5.2): the machine stops.
        if case .machineCheck = interrupt, cpu.msr & MSR.me == 0 { cpu.pc = pc; return .interrupt(interrupt) }
        lastDelivery = Delivery(interrupt: interrupt, vector: interrupt.vector, count: instructionsExecuted, pc: pc, msr: cpu.msr)
        interrupt.deliver(to: cpu, pc: pc, nextPC: nextPC)
        interruptsDelivered &+= 1
        interruptObserver?(interrupt, pc)
        return nil
    }

    /// The last interrupt delivered, to recognise a handler that faults on its first instruction.
    struct Delivery { let interrupt: Interrupt; let vector: UInt64; let count: UInt64; let pc: UInt64; let msr: UInt64 }
    var lastDelivery: Delivery?

    /// The predecode page holding `pc` (a real address, or an EA in real mode), or `invalidPage`.
    @inline(__always)
    func pagePointer(_ pc: UInt64) -> UnsafeMutablePointer<DecodedInstruction> {
        let pc = pc & realModeMask
        guard pc < memory.ramSize, let p = pages[Int(pc >> GuestMemory.pageShift)] else { return invalidPage }
        return p
    }

    /// Decodes the instruction at `pc` into `d`, or says which interrupt its fetch raises: a
    /// machine check where there is no memory (i-side: SRR0 = the address), a program interrupt
    /// for a word that is not an instruction lpar implements.
    /// `realAddress` is where the fetch goes: `pc` in real mode, its translation otherwise.
    @inline(never)
    func decodeOrStop(_ pc: UInt64, _ realAddress: UInt64, _ d: inout DecodedInstruction) -> ExecutionExit? {
        if !cache.breakpoints.isEmpty, cache.breakpoints.contains(realAddress & realModeMask) {
            return .host(.breakpoint)
        }
        // A Linux process fetching from a page it may not execute (checked here only: a page
        // that loses PROT_EXEC has its predecoded instructions forgotten).
        if memory.enforcesProtections, let d = memory.denial(realAddress, 4, .fetch) {
            return .raise(d.unmapped ? .machineCheck(MemoryFault(address: pc, size: 4, kind: .fetch))
                                     : .instructionStorage(srr1: UInt64(SRR1.fetchProtection)))
        }
        d = decodeSlot(realAddress)
        if d.op != .invalid { return nil }
        let pa = realAddress & realModeMask
        guard pc & 3 == 0, pa < memory.ramSize, let word = memory.load32(pa) else {
            return .raise(.machineCheck(MemoryFault(address: pc, size: 4, kind: .fetch)))
        }
        if deliversInterrupts, let facility = VectorFacility.of(word) {
            if facility == .vector && cpu.msr & MSR.vec == 0 { return .raise(.vectorUnavailable) }
            if facility == .vsx && cpu.msr & MSR.vsx == 0 { return .raise(.vsxUnavailable) }
        }
        return .raise(.program(.illegalInstruction))
    }

    // MARK: - Translation (MSR[IR] / MSR[DR] = 1)

    /// The real address of an access at `ea` through this vCPU's TLB for it, walking the radix
    /// tree on a miss; nil with `pendingFault` set when the walk faults.
    @inline(never)
    func translate(_ ea: UInt64, _ access: StorageAccess, size: UInt64) -> UInt64? {
        let tlb = access == .fetch ? instructionTLB : dataTLB
        let msr = cpu.msr
        let pidr = UInt32(truncatingIfNeeded: cpu[RegisterSlot.pidr])
        if let ra = tlb.lookup(ea: ea, pidr: pidr, access: access, problemState: msr & MSR.pr != 0) { return ra }
        radixWalks &+= 1
        let result = mmu.radix.translate(
            ea: ea, access: access, msr: msr, pidr: pidr, amr: cpu[RegisterSlot.amr],
            iamr: cpu[RegisterSlot.iamr], memory: GuestPageTableMemory(self))
        switch result {
        case .translated(let t):
            tlb.insert(ea: ea, translation: t)
            return t.realAddress
        case .fault(let f):
            let kind: MemoryFault.Kind = access == .fetch ? .fetch : access == .load ? .load : .store
            pendingFault = Interrupt(f, size: size, kind: kind)
            return nil
        }
    }

    /// The interrupt the last failed translated access raised.
    func takePendingFault() -> Interrupt {
        defer { pendingFault = nil }
        return pendingFault ?? .machineCheck(MemoryFault(address: 0, size: 0, kind: .load))
    }

    /// AMR or IAMR changed: the TLBs apply key 0 at lookup.
    func keyRegistersChanged() {
        let denied = AccessRights.keyZeroDenied(amr: cpu[RegisterSlot.amr], iamr: cpu[RegisterSlot.iamr])
        keyZeroDenied = denied
        dataTLB.keyZeroDenied = denied
        instructionTLB.keyZeroDenied = denied
    }

    /// Counts `n` instructions another engine (the block compiler) completed on this vCPU.
    public func accountInstructions(_ n: UInt64) { instructionsExecuted &+= n }

    /// Runs with no observer.
    public func run(limit: UInt64) -> StopReason {
        var none = NoObserver()
        return run(observer: &none, limit: limit)
    }
}

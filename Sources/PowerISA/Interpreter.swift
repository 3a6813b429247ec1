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
    public private(set) var instructionsExecuted: UInt64 = 0
    /// Cache line size used by dcbz (and advertised to Linux programs as AT_DCACHEBSIZE).
    public static let cacheLineSize: UInt64 = 128
    /// Time-base frequency, as on POWER9 (512 MHz).
    public static let timeBaseFrequency: UInt64 = 512_000_000

    @usableFromInline let pageCount: Int
    @usableFromInline let pages: UnsafeMutablePointer<UnsafeMutablePointer<DecodedInstruction>?>
    let decoder = Decoder.shared
    /// The 1024 masks of rlwinm/rlwnm/rlwimi, indexed by MB << 5 | ME: one load instead of
    /// building the mask (about a dozen host instructions) in every 32-bit rotate.
    @usableFromInline let rlwMasks: UnsafeMutablePointer<UInt64>
    /// A page of "not decoded" slots, never written: stands for every page without a cache.
    @usableFromInline let invalidPage: UnsafeMutablePointer<DecodedInstruction>
    let timeBaseOrigin: UInt64

    public init(cpu: CPU, memory: GuestMemory) {
        self.cpu = cpu
        self.memory = memory
        pageCount = Int(memory.ramSize >> GuestMemory.pageShift)
        pages = GuestMemory.zeroedTable(count: pageCount)   // all nil, paid for as used
        rlwMasks = .allocate(capacity: 1024)
        for i in 0..<1024 { rlwMasks[i] = Executor.mask64((i >> 5) + 32, (i & 31) + 32) }
        invalidPage = .allocate(capacity: 1024)
        invalidPage.initialize(repeating: DecodedInstruction(op: .invalid, word: 0), count: 1024)
        timeBaseOrigin = Self.hostNanoseconds()
        memory.codeWriteObserver = { [unowned self] page in self.invalidate(page: Int(page)) }
    }

    deinit {
        for i in 0..<pageCount { pages[i]?.deallocate() }
        GuestMemory.freeTable(pages, count: pageCount)
        invalidPage.deallocate()
        rlwMasks.deallocate()
    }

    /// Forgets the predecoded instructions of one 4 KiB page. The page's cache stays allocated
    /// (the run loop may hold a pointer to it); its slots go back to "not decoded".
    public func invalidate(page: Int) {
        guard page < pageCount, let p = pages[page] else { return }
        p.initialize(repeating: DecodedInstruction(op: .invalid, word: 0), count: 1024)
    }

    /// Forgets the predecoded instructions a store of `size` bytes at `address` overwrote.
    @inline(__always)
    func invalidate(address: UInt64, size: UInt64) {
        var a = address & ~3
        let end = address &+ size
        while a < end && a < memory.ramSize {
            if let p = pages[Int(a >> GuestMemory.pageShift)] {
                p[Int((a & 0xFFF) >> 2)] = DecodedInstruction(op: .invalid, word: 0)
            }
            a &+= 4
        }
    }

    /// Forgets every predecoded instruction (after loading a new image, for instance).
    public func invalidateAll() {
        for i in 0..<pageCount where pages[i] != nil { invalidate(page: i) }
    }

    static func hostNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// The time base: 512 MHz ticks since the interpreter was created.
    public func timeBase() -> UInt64 {
        let ns = Self.hostNanoseconds() &- timeBaseOrigin
        return ns / 1000 * (Self.timeBaseFrequency / 1_000_000) + ns % 1000 * (Self.timeBaseFrequency / 1_000_000) / 1000
    }

    /// Decodes the instruction at `pc` into its cache slot (allocating the page's cache).
    @usableFromInline
    func decodeSlot(_ pc: UInt64) -> DecodedInstruction {
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
            memory.codePageFlags[page] = 1
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
    @_specialize(exported: true, where O == NoObserver)
    @_specialize(exported: true, where O == CountingObserver)
    @_specialize(exported: true, where O == HookObserver)
    @_specialize(exported: true, where O == MemoryHookObserver)
    public func run<O: ExecutionObserver>(observer: inout O, limit: UInt64) -> StopReason {
        var executor = Executor(interpreter: self)
        let state = cpu.state
        var remaining = limit
        // The PC lives in a local while running; cpu.pc is written back at every stop.
        var pc = cpu.pc
        // The predecode page of the current PC: looked up again only when the PC leaves it.
        var pageBase = UInt64.max
        var page = invalidPage
        defer { instructionsExecuted &+= limit - remaining }
        while true {
            if remaining == 0 { cpu.pc = pc; return .instructionLimit }
            if pc & ~0xFFF != pageBase {
                pageBase = pc & ~0xFFF
                page = pagePointer(pc)
            }
            var d = page[Int((pc & 0xFFF) >> 2)]
            if O.isActive {
                // Traced runs decode before the observer sees the instruction.
                if d.op == .invalid {
                    if let stop = decodeOrStop(pc, &d) { return stop }
                    pageBase = UInt64.max
                }
                if O.readsCPU { state[RegisterSlot.pc] = pc }
                observer.willExecute(pc: pc, word: d.word, op: d.op, cpu: cpu)
            }
            let here = pc
            if let stop = executor.execute(d, pc: &pc, observer: &observer) {
                // `.invalid` (a slot not decoded yet) stops with word 0; every decoded slot has a
                // non-zero word (0 is not an instruction). Testing the stop, not `d`, keeps `d`
                // dead after the switch, so it needs no stack slot.
                if !O.isActive, case .illegalInstruction(word: 0) = stop {
                    if let stop = decodeOrStop(pc, &d) { return stop }
                    pageBase = UInt64.max  // the page's cache may have just been created
                    continue
                }
                cpu.pc = pc; return stop
            }
            remaining &-= 1
            if O.isActive {
                if O.readsCPU { state[RegisterSlot.pc] = pc }
                observer.didExecute(pc: here, word: d.word, op: d.op, cpu: cpu)
            }
        }
    }

    /// The predecode page holding `pc`, or `invalidPage`.
    @inline(__always)
    func pagePointer(_ pc: UInt64) -> UnsafeMutablePointer<DecodedInstruction> {
        guard pc < memory.ramSize, let p = pages[Int(pc >> GuestMemory.pageShift)] else { return invalidPage }
        return p
    }

    /// Decodes the instruction at `pc` into `d`, or says why the guest stops (with `cpu.pc` set).
    @inline(never)
    func decodeOrStop(_ pc: UInt64, _ d: inout DecodedInstruction) -> StopReason? {
        d = decodeSlot(pc)
        if d.op != .invalid { return nil }
        cpu.pc = pc
        guard pc & 3 == 0, pc < memory.ramSize, let word = memory.load32(pc) else {
            return .memoryFault(MemoryFault(address: pc, size: 4, kind: .fetch))
        }
        return .illegalInstruction(word: word)
    }

    /// Runs with no observer.
    public func run(limit: UInt64) -> StopReason {
        var none = NoObserver()
        return run(observer: &none, limit: limit)
    }
}

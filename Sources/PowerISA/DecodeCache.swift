import GuestMemory

/// Predecoded instructions, one cache per 4 KiB physical page of RAM, shared by every vCPU of a
/// machine: keyed by physical page, so code written through any mapping, by any vCPU, is
/// forgotten everywhere. A `.invalid` slot means "not decoded yet".
public final class DecodeCache {
    let memory: GuestMemory
    @usableFromInline let pageCount: Int
    @usableFromInline let pages: UnsafeMutablePointer<UnsafeMutablePointer<DecodedInstruction>?>
    /// The 1024 masks of rlwinm/rlwnm/rlwimi, indexed by MB << 5 | ME: one load instead of
    /// building the mask (about a dozen host instructions) in every 32-bit rotate.
    @usableFromInline let rlwMasks: UnsafeMutablePointer<UInt64>
    /// A page of "not decoded" slots, never written: stands for every page without a cache.
    @usableFromInline let invalidPage: UnsafeMutablePointer<DecodedInstruction>
    /// Real addresses of the debugger's breakpoints. Their slots are kept "not decoded", so the
    /// run loop's existing miss path (never the hot path) finds them and stops before the
    /// instruction: a breakpoint costs nothing anywhere else, and nothing at all when none is set.
    public private(set) var breakpoints: Set<UInt64> = []
    /// Told of every write into a page whose flag byte is set (address, size; size UInt64.max:
    /// everything), after the store: the block compiler drops its blocks there. Called only
    /// on those slow paths, never per instruction.
    public var codeWriteHook: ((UInt64, UInt64) -> Void)?

    public init(memory: GuestMemory) {
        self.memory = memory
        pageCount = Int(memory.ramSize >> GuestMemory.pageShift)
        pages = GuestMemory.zeroedTable(count: pageCount)   // all nil, paid for as used
        rlwMasks = .allocate(capacity: 1024)
        for i in 0..<1024 { rlwMasks[i] = Executor.mask64((i >> 5) + 32, (i & 31) + 32) }
        invalidPage = .allocate(capacity: 1024)
        invalidPage.initialize(repeating: DecodedInstruction(op: .invalid, word: 0), count: 1024)
        memory.codeWriteObserver = { [unowned self] page in self.invalidate(page: Int(page)) }
    }

    deinit {
        for i in 0..<pageCount { pages[i]?.deallocate() }
        GuestMemory.freeTable(pages, count: pageCount)
        invalidPage.deallocate()
        rlwMasks.deallocate()
    }

    /// Forgets the predecoded instructions of one 4 KiB page. The page's cache stays allocated
    /// (a run loop may hold a pointer to it); its slots go back to "not decoded".
    public func invalidate(page: Int) {
        codeWriteHook?(UInt64(page) << GuestMemory.pageShift, 1 << GuestMemory.pageShift)
        guard page < pageCount, let p = pages[page] else { return }
        p.initialize(repeating: DecodedInstruction(op: .invalid, word: 0), count: 1024)
    }

    /// Forgets the predecoded instructions a store of `size` bytes at `address` overwrote.
    /// (The engine calls it only when the page's flag byte is set: that is also when a page
    /// watched for gdb's history hears of its first write.)
    @inline(__always)
    func invalidate(address: UInt64, size: UInt64) {
        if codeWriteHook != nil { tellCodeWrite(address, size) }
        if address < memory.ramSize, memory.codePageFlags[Int(address >> GuestMemory.pageShift)] & GuestMemory.PageFlag.watched != 0
            || memory.codePageFlags[Int(min(address &+ size &- 1, memory.ramSize - 1) >> GuestMemory.pageShift)] & GuestMemory.PageFlag.watched != 0 {
            memory.noteWrite(address, size)  // the watch; code pages are forgotten just below
        }
        var a = address & ~3
        let end = address &+ size
        while a < end && a < memory.ramSize {
            if let p = pages[Int(a >> GuestMemory.pageShift)] {
                p[Int((a & 0xFFF) >> 2)] = DecodedInstruction(op: .invalid, word: 0)
            }
            a &+= 4
        }
    }

    @inline(never) func tellCodeWrite(_ address: UInt64, _ size: UInt64) { codeWriteHook?(address, size) }

    /// Makes the instruction at real address `address` stop the run loop before it executes
    /// (`StopReason.breakpoint`), on every vCPU.
    public func armBreakpoint(_ address: UInt64) {
        breakpoints.insert(address & ~3)
        forgetSlot(address)
    }

    /// Removes a breakpoint: the slot is decoded again the next time it runs.
    public func disarmBreakpoint(_ address: UInt64) {
        breakpoints.remove(address & ~3)
        forgetSlot(address)
    }

    private func forgetSlot(_ address: UInt64) {
        guard address < memory.ramSize, let p = pages[Int(address >> GuestMemory.pageShift)] else { return }
        p[Int((address & 0xFFF) >> 2)] = DecodedInstruction(op: .invalid, word: 0)
    }

    /// Forgets every predecoded instruction.
    public func invalidateAll() {
        codeWriteHook?(0, UInt64.max)
        for i in 0..<pageCount where pages[i] != nil { invalidate(page: i) }
    }
}

import GuestMemory
import PowerISA

/// The block compiler engine: runs a vCPU by translating straight-line runs of guest code to
/// x86-64 and executing them, with the interpreter as the reference for everything else.
///
/// Exactness rests on three rules. (1) Every block subtracts its length from the budget on
/// entry and refuses to run when the budget is smaller, refunding on any early exit, so the
/// instructions completed are always budget before - budget after and a run stops exactly at
/// its limit (the last few instructions before the limit are interpreted). (2) A block leaves
/// *before* any instruction it cannot finish on its fast path (an access outside RAM's fast
/// span, a store into a page holding code), with the PC on it, and the interpreter executes
/// that instruction: faults, device windows, invalidation all happen there, as in an
/// interpreted run. (3) Instructions that are not translated are interpreted up to the next
/// branch; so are runs while translation (MSR[IR]/[DR]), tracing or a pending external
/// interrupt is on, and the decrementer bounds each budget so it fires at the same count.
public final class BlockEngine {
    let memory: GuestMemory
    let buffer: ExecutableBuffer
    let deliversInterrupts: Bool
    let realModeMask: UInt64
    /// The context the generated code reaches through r14 (see `ContextField`).
    let context: UnsafeMutableRawPointer
    let decoder = Decoder.shared

    struct Block {
        let pc: UInt64
        let phys: UInt64
        /// Instructions translated (0: none; the interpreter runs `interpretCount`).
        let count: Int
        let interpretCount: Int
        /// Offset of the code in the buffer (-1: none).
        let entry: Int
        var valid = true
    }
    var blocks: [Block] = []
    var blockByPC: [UInt64: Int] = [:]
    /// Physical page -> blocks starting there.
    var blocksByPage: [UInt64: [Int]] = [:]
    /// Block -> chained exit sites jumping straight into it (buffer offsets after the jmp).
    var incoming: [Int: [Int]] = [:]
    /// A direct-mapped cache in front of `blockByPC`.
    static let cacheSize = 4096
    let cachePC: UnsafeMutablePointer<UInt64>
    let cacheBlock: UnsafeMutablePointer<Int>

    // Fixed code at the start of the buffer.
    var enterOffset = 0
    var epilogueOffset = 0
    var chainStubOffset = 0
    var stubsEnd = 0
    var codeOffset = 0
    /// Bumped by every flush: a chained exit site read before one is stale.
    var generation = 0

    typealias EnterFunction = @convention(c) (UnsafeMutablePointer<UInt64>, UnsafeMutableRawPointer, UnsafeRawPointer) -> UInt64
    let enter: EnterFunction

    // Counters for --stats.
    public private(set) var blocksCompiled = 0
    public private(set) var blocksInvalidated = 0
    public private(set) var flushes = 0
    public private(set) var links = 0
    public private(set) var interpretedRuns = 0
    public private(set) var sideExits = 0
    public private(set) var translatedInstructions: UInt64 = 0

    /// Why the engine is off on this host (nil when `make` succeeded or was never called).
    public nonisolated(unsafe) static var refusal: String?

    /// The engine for a machine's memory and decode cache, or nil (with `refusal`) when the
    /// host gives no executable memory or is not x86-64.
    public static func make(memory: GuestMemory, cache: DecodeCache, deliversInterrupts: Bool) -> BlockEngine? {
        #if arch(x86_64)
        guard let buffer = ExecutableBuffer.make(size: 64 << 20) else {
            refusal = ExecutableBuffer.refusal ?? "executable memory refused"
            return nil
        }
        let engine = BlockEngine(memory: memory, buffer: buffer, deliversInterrupts: deliversInterrupts)
        cache.codeWriteHook = { [unowned engine] address, size in engine.codeWritten(address, size) }
        return engine
        #else
        refusal = "no backend for this host architecture"
        return nil
        #endif
    }

    private init(memory: GuestMemory, buffer: ExecutableBuffer, deliversInterrupts: Bool) {
        self.memory = memory
        self.buffer = buffer
        self.deliversInterrupts = deliversInterrupts
        realModeMask = deliversInterrupts ? 0x0FFF_FFFF_FFFF_FFFF : UInt64.max
        let bytes = Int(ContextField.table) + ContextField.tableEntries * 16
        context = .allocate(byteCount: bytes, alignment: 64)
        context.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        let ramSpan = memory.ramSize - memory.nullGuard
        context.storeBytes(of: UInt64(UInt(bitPattern: memory.base)), toByteOffset: Int(ContextField.ramBase), as: UInt64.self)
        context.storeBytes(of: ramSpan - 8, toByteOffset: Int(ContextField.span), as: UInt64.self)
        context.storeBytes(of: UInt64(UInt(bitPattern: memory.codePageFlags)), toByteOffset: Int(ContextField.flags), as: UInt64.self)
        cachePC = .allocate(capacity: Self.cacheSize)
        cachePC.initialize(repeating: UInt64.max, count: Self.cacheSize)
        cacheBlock = .allocate(capacity: Self.cacheSize)
        cacheBlock.initialize(repeating: 0, count: Self.cacheSize)

        var e = X86Emitter(base: buffer.write, capacity: buffer.size, offset: 0)
        // enter(state, context, code): saves the callee-saved registers the roles use.
        let enterAt = e.offset
        for r in [Reg.rbx, .rbp, .r12, .r13, .r14, .r15] { e.push(r) }
        e.mov(HostRole.state, .rdi)
        e.mov(HostRole.context, .rsi)
        e.load(HostRole.ramBase, Mem(base: HostRole.context, disp: ContextField.ramBase))
        e.load(HostRole.budget, Mem(base: HostRole.context, disp: ContextField.budget))
        e.load(HostRole.flags, Mem(base: HostRole.context, disp: ContextField.flags))
        e.jmp(.rdx)
        let epilogueAt = e.offset
        e.store(Mem(base: HostRole.context, disp: ContextField.budget), HostRole.budget)
        for r in [Reg.r15, .r14, .r13, .r12, .rbp, .rbx] { e.pop(r) }
        e.ret()
        // A chained exit not linked yet: its call pushed the site; hand it to the dispatcher.
        let chainAt = e.offset
        e.pop(.rax)
        e.store(Mem(base: HostRole.context, disp: ContextField.lastSite), .rax)
        e.movImm(.rax, ExitCode.next.rawValue)
        e.jmp(to: epilogueAt)
        enterOffset = enterAt
        epilogueOffset = epilogueAt
        chainStubOffset = chainAt
        stubsEnd = (e.offset + 63) & ~63
        codeOffset = stubsEnd
        enter = unsafeBitCast(UnsafeRawPointer(buffer.execute + enterAt), to: EnterFunction.self)
        resetInlineTable()
    }

    deinit {
        context.deallocate()
        cachePC.deallocate()
        cacheBlock.deallocate()
    }

    /// One line for `--stats`.
    public var summary: String {
        "jit: \(blocksCompiled) blocks compiled, \(translatedInstructions) guest instructions translated, \(links) chained exits, \(blocksInvalidated) blocks invalidated by code writes, \(flushes) flushes, \(interpretedRuns) interpreter hand-offs, \(sideExits) side exits"
    }

    // MARK: Running

    /// Runs `interpreter`'s vCPU for up to `limit` instructions, as `interpreter.run(limit:)`
    /// would: the same stops, at the same instruction counts, with the same state.
    public func run(_ interpreter: Interpreter, limit: UInt64) -> StopReason {
        let state = interpreter.cpu.state
        let end = interpreter.instructionsExecuted &+ limit
        let budget = context.assumingMemoryBound(to: Int64.self)
        let lastSite = (context + Int(ContextField.lastSite)).assumingMemoryBound(to: UInt64.self)
        if !interpreter.cache.breakpoints.isEmpty { return interpreter.run(limit: limit) }
        while true {
            let done = interpreter.instructionsExecuted
            if done >= end { return .instructionLimit }
            var left = end &- done
            if deliversInterrupts {
                let msr = state[RegisterSlot.msr]
                if msr & (MSR.ir | MSR.dr | MSR.se | MSR.be) != 0 || (interpreter.externalPending && msr & MSR.ee != 0) {
                    interpretedRuns &+= 1
                    return interpreter.run(limit: left)
                }
                if let ticks = interpreter.ticksToDecrementer {
                    if ticks == 0 {
                        interpretedRuns &+= 1
                        let stop = interpreter.run(limit: 1)
                        if stop != .instructionLimit { return stop }
                        continue
                    }
                    left = min(left, ticks)
                }
            }
            let pc = state[RegisterSlot.pc]
            let index = lookup(pc)
            let b = blocks[index]
            if b.entry < 0 || UInt64(b.count) > left {
                // Untranslated code, or too close to the limit for the whole block.
                interpretedRuns &+= 1
                let stop = interpreter.run(limit: b.entry < 0 ? min(left, UInt64(b.interpretCount)) : left)
                if stop != .instructionLimit { return stop }
                continue
            }
            budget.pointee = Int64(left)
            lastSite.pointee = 0
            let code = enter(state, context, UnsafeRawPointer(buffer.execute + b.entry))
            let ran = left &- UInt64(budget.pointee)
            interpreter.accountInstructions(ran)
            switch code {
            case ExitCode.next.rawValue:
                if lastSite.pointee != 0 { link(site: Int(lastSite.pointee) - Int(bitPattern: UInt(bitPattern: buffer.execute)), to: state[RegisterSlot.pc]) }
            case ExitCode.interpretOne.rawValue:
                sideExits &+= 1
                let stop = interpreter.run(limit: 1)
                if stop != .instructionLimit { return stop }
            default:
                break   // refused: the next round interprets what is left
            }
        }
    }

    // MARK: Blocks

    @inline(__always) func lookup(_ pc: UInt64) -> Int {
        let i = Int(truncatingIfNeeded: pc >> 2) & (Self.cacheSize - 1)
        if cachePC[i] == pc { return cacheBlock[i] }
        let index = blockByPC[pc] ?? compile(pc)
        cachePC[i] = pc
        cacheBlock[i] = index
        return index
    }

    static func isBranch(_ op: Op) -> Bool {
        switch op {
        case .b, .bc, .bclr, .bcctr, .bctar, .rfid, .sc: return true
        default: return false
        }
    }

    /// The FP arithmetic, conversion, compare and FPSCR operations (not translated yet).
    static func isFloatingPointArithmetic(_ op: Op) -> Bool {
        op.rawValue >= Op.fdivs.rawValue && op.rawValue <= Op.fcfidu.rawValue && op != .std && op != .stdu
    }

    func compile(_ pc: UInt64) -> Int {
        if codeOffset > buffer.size - (1 << 20) { flushAll() }
        let phys = pc & realModeMask
        var ops: [(Op, UInt32)] = []
        // Under page permissions a page without PROT_EXEC is left to the interpreter, whose
        // fetch raises the fault (a page that loses it drops its blocks: setAccess → codeWritten).
        let fetchable = !memory.enforcesProtections
            || phys >= memory.ramSize || memory.codePageFlags[Int(phys >> 12)] & GuestMemory.PageFlag.executable != 0
        if pc & 3 == 0 && phys < memory.ramSize && fetchable {
            var a = phys
            while ops.count < BlockCompiler.maxInstructions && a < memory.ramSize && a >> 12 == phys >> 12 {
                guard let word = memory.load32(a) else { break }
                let op = decoder.decode(word)
                ops.append((op, word))
                if Self.isBranch(op) { break }
                a &+= 4
            }
        }
        var compiler = BlockCompiler(emitter: X86Emitter(base: buffer.write, capacity: buffer.size, offset: codeOffset),
                                     realModeMask: realModeMask, nullGuard: memory.nullGuard,
                                     checksLoads: memory.enforcesProtections,
                                     epilogue: epilogueOffset, chainStub: chainStubOffset)
        var (count, entry) = ops.isEmpty ? (0, -1) : compiler.compile(pc: pc, ops: ops)
        if count > 0 && count < ops.count && Self.isFloatingPointArithmetic(ops[count].0) {
            // FP arithmetic (interpreted) ends the block: interpret the whole block instead, so
            // an FP loop costs one hand-off per iteration rather than a compiled prefix plus one.
            count = 0
            entry = -1
        }
        if count > 0 {
            codeOffset = (compiler.e.offset + 15) & ~15
            compiler.e.flush(from: entry, to: codeOffset)
            translatedInstructions &+= UInt64(count)
        }
        let index = blocks.count
        // Interpreted blocks run to their branch; those with FP arithmetic (FP loops) run a
        // longer stretch: each entry into the interpreter costs about 60 ns (measured on the fp
        // kernel: 11 million entries made the JIT 1.2x slower than the interpreter alone).
        let floatingPoint = count == 0 && ops.contains { Self.isFloatingPointArithmetic($0.0) }
        blocks.append(Block(pc: pc, phys: phys, count: count, interpretCount: floatingPoint ? 512 : max(ops.count, 1), entry: entry))
        blockByPC[pc] = index
        if phys < memory.ramSize {
            blocksByPage[phys >> 12, default: []].append(index)
            memory.codePageFlags[Int(phys >> 12)] |= GuestMemory.PageFlag.code
        }
        if count > 0 {
            let t = tableEntry(pc)
            t[0] = pc
            t[1] = UInt64(UInt(bitPattern: buffer.execute + entry))
        }
        blocksCompiled &+= 1
        return index
    }

    @inline(__always) func tableEntry(_ pc: UInt64) -> UnsafeMutablePointer<UInt64> {
        let i = Int(truncatingIfNeeded: pc >> 2) & (ContextField.tableEntries - 1)
        return (context + Int(ContextField.table) + 16 * i).assumingMemoryBound(to: UInt64.self)
    }

    func resetInlineTable() {
        for i in 0..<ContextField.tableEntries {
            let t = (context + Int(ContextField.table) + 16 * i).assumingMemoryBound(to: UInt64.self)
            t[0] = UInt64.max
            t[1] = 0
        }
    }

    /// Turns the chained exit at `site` (just after its `call chainStub`) into a jump to the
    /// block of `target`, when that block is translated.
    func link(site: Int, to target: UInt64) {
        let gen = generation
        let index = lookup(target)
        guard gen == generation, blocks[index].entry >= 0, site > stubsEnd, site <= codeOffset else { return }
        var e = X86Emitter(base: buffer.write, capacity: buffer.size, offset: site - 5)
        e.emit(0xE9)
        e.emit32(Int32(blocks[index].entry - site))
        incoming[index, default: []].append(site)
        links &+= 1
    }

    /// Writes `call chainStub` back at a site that jumped into a block being dropped.
    func unlink(site: Int) {
        var e = X86Emitter(base: buffer.write, capacity: buffer.size, offset: site - 5)
        e.emit(0xE8)
        e.emit32(Int32(chainStubOffset - site))
    }

    // MARK: Invalidation

    /// The guest wrote [address, address + size) in pages flagged as code (the interpreter's
    /// store path and the bulk writers tell the decode cache, which tells this).
    func codeWritten(_ address: UInt64, _ size: UInt64) {
        if size == UInt64.max { flushAll(); return }
        guard size > 0 else { return }
        let endAddress = address &+ size
        let first = address >> 12, last = (endAddress &- 1) >> 12
        guard last >= first else { flushAll(); return }
        for page in first...last {
            guard let list = blocksByPage[page] else { continue }
            var kept: [Int] = []
            for index in list {
                let b = blocks[index]
                let bEnd = b.phys &+ UInt64(4 * max(b.count, 1))
                if b.valid && b.phys < endAddress && address < bEnd { kill(index) } else if b.valid { kept.append(index) }
            }
            blocksByPage[page] = kept.isEmpty ? nil : kept
        }
    }

    func kill(_ index: Int) {
        let b = blocks[index]
        blocks[index].valid = false
        if blockByPC[b.pc] == index { blockByPC[b.pc] = nil }
        let i = Int(truncatingIfNeeded: b.pc >> 2) & (Self.cacheSize - 1)
        if cachePC[i] == b.pc { cachePC[i] = UInt64.max }
        let t = tableEntry(b.pc)
        if t[0] == b.pc { t[0] = UInt64.max }
        for site in incoming[index] ?? [] { unlink(site: site) }
        incoming[index] = nil
        blocksInvalidated &+= 1
    }

    /// Forgets every block and reuses the buffer from the start.
    func flushAll() {
        blocks.removeAll(keepingCapacity: true)
        blockByPC.removeAll(keepingCapacity: true)
        blocksByPage.removeAll(keepingCapacity: true)
        incoming.removeAll(keepingCapacity: true)
        cachePC.update(repeating: UInt64.max, count: Self.cacheSize)
        resetInlineTable()
        codeOffset = stubsEnd
        generation &+= 1
        flushes &+= 1
    }
}

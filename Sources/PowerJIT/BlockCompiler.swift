import PowerISA
import GuestMemory

/// Host register roles while generated code runs (set by the entry trampoline, kept across
/// chained blocks): the guest register file, the engine's context, RAM's host base, the
/// instruction budget and the code-page flag bytes. rax, rcx, rdx, rsi, rdi are scratch; rbp and
/// r8-r11 cache guest GPRs within a block (`BlockCompiler.cacheRegisters`).
enum HostRole {
    static let state = Reg.r15
    static let context = Reg.r14
    static let ramBase = Reg.r13
    /// The instruction budget, in a register while generated code runs (a memory operand
    /// made every block entry wait on the previous block's store: a loop-carried dependency).
    static let budget = Reg.r12
    static let flags = Reg.rbx
}

/// Offsets in the engine context (`JITContext`): the instruction budget (signed; each block
/// subtracts its length on entry and refunds on an early exit), the chained-exit site of the
/// last return, the memory constants the trampoline loads, then the inline PC -> code table
/// indirect branches probe.
enum ContextField {
    static let budget: Int32 = 0
    static let lastSite: Int32 = 8
    static let ramBase: Int32 = 16
    static let span: Int32 = 24
    static let flags: Int32 = 32
    static let table: Int32 = 64
    static let tableEntries = 4096
}

/// What a block's code hands back to the dispatcher (in eax).
enum ExitCode: UInt64 {
    /// The PC (in the register file) is where to go next; `lastSite` names the chained exit to
    /// patch when it is a direct branch.
    case next = 0
    /// The instruction at the PC must be executed by the interpreter (a load or store outside
    /// the RAM fast path, a store into a page holding code): the block completed those before it.
    case interpretOne = 1
    /// The block's length exceeds what is left of the budget: nothing ran.
    case refused = 2
}

/// Translates one straight-line run of guest instructions into x86-64.
struct BlockCompiler {
    var e: X86Emitter
    let realModeMask: UInt64
    let nullGuard: UInt64
    /// A Linux process's RAM follows page permissions (`GuestMemory.enforcesProtections`):
    /// loads test their page's flag byte as the interpreter's do (stores test it anyway).
    let checksLoads: Bool
    /// Offsets of the fixed stubs.
    let epilogue: Int
    let chainStub: Int
    /// Entry count of each side exit and the rel32s jumping to it.
    private var sideExits: [(index: Int, pc: UInt64, jumps: [Int])] = []
    /// Chained exit sites (offset just after each `call chainStub`).
    private(set) var chainSites: [Int] = []

    init(emitter: X86Emitter, realModeMask: UInt64, nullGuard: UInt64, checksLoads: Bool, epilogue: Int, chainStub: Int) {
        e = emitter
        self.realModeMask = realModeMask
        self.nullGuard = nullGuard
        self.checksLoads = checksLoads
        self.epilogue = epilogue
        self.chainStub = chainStub
    }

    static let maxInstructions = 128

    // MARK: Operands

    @inline(__always) func gpr(_ n: Int) -> Mem { Mem(base: HostRole.state, disp: Int32(n * 8)) }
    @inline(__always) func slot(_ n: Int) -> Mem { Mem(base: HostRole.state, disp: Int32(n * 8)) }
    var cr: Mem { slot(RegisterSlot.cr) }
    var xer: Mem { slot(RegisterSlot.xer) }

    /// r = (RA|0)
    mutating func loadRAOrZero(_ r: Reg, _ ra: Int) { if ra == 0 { e.movImm(r, 0) } else { loadG(r, ra) } }

    // MARK: Guest register cache
    //
    // Within a block, guest GPRs once read or written stay in host registers (write-through:
    // every write also goes to the register file at once, so every exit, side exits included,
    // leaves the register file complete and nothing has to be written back). Reads of a cached
    // register take a register move instead of a load that waits on the last store to it.

    static let cacheRegisters: [Reg] = [.rbp, .r8, .r9, .r10, .r11]
    private var cacheSlotOf = [Int](repeating: -1, count: 32)
    private var guestIn = [Int](repeating: -1, count: 5)
    private var nextVictim = 0

    func cached(_ n: Int) -> Reg? { cacheSlotOf[n] >= 0 ? Self.cacheRegisters[cacheSlotOf[n]] : nil }

    /// A host register for guest `n` (its value not loaded yet), evicting round-robin.
    mutating func assign(_ n: Int) -> Reg {
        if let c = cached(n) { return c }
        let slot = nextVictim
        nextVictim = (nextVictim + 1) % Self.cacheRegisters.count
        if guestIn[slot] >= 0 { cacheSlotOf[guestIn[slot]] = -1 }
        guestIn[slot] = n
        cacheSlotOf[n] = slot
        return Self.cacheRegisters[slot]
    }

    /// r = GPR n (64 bits), caching it.
    mutating func loadG(_ r: Reg, _ n: Int) {
        if let c = cached(n) { e.mov(r, c); return }
        e.load(r, gpr(n))
        e.mov(assign(n), r)
    }
    /// GPR n = r (write-through).
    mutating func storeG(_ n: Int, _ r: Reg) {
        e.store(gpr(n), r)
        e.mov(assign(n), r)
    }
    mutating func storeImmG(_ n: Int, _ v: UInt64) {
        let c = assign(n)
        e.movImm(c, v)
        e.store(gpr(n), c)
    }
    mutating func aluG(_ a: X86Emitter.ALU, _ r: Reg, _ n: Int) {
        if let c = cached(n) { e.alu(a, r, c) } else { e.alu(a, r, gpr(n)) }
    }
    mutating func load32G(_ r: Reg, _ n: Int) {
        if let c = cached(n) { e.mov32(r, c) } else { e.load32(r, gpr(n)) }
    }
    mutating func movsx32G(_ r: Reg, _ n: Int) {
        if let c = cached(n) { e.movsx32(r, c) } else { e.movsx32(r, gpr(n)) }
    }
    mutating func movsx16G(_ r: Reg, _ n: Int) {
        if let c = cached(n) { e.movsx16(r, c) } else { e.movsx16(r, gpr(n)) }
    }
    mutating func movsx8G(_ r: Reg, _ n: Int) {
        if let c = cached(n) { e.op([0x0F, 0xBE], r, c, byteRegs: true) } else { e.movsx8(r, gpr(n)) }
    }
    mutating func imulG(_ r: Reg, _ n: Int) {
        if let c = cached(n) { e.imul(r, c) } else { e.imul(r, gpr(n)) }
    }
    /// rdx:rax = rax * GPR n.
    mutating func mulWideG(_ n: Int, signed: Bool) {
        if let c = cached(n) { e.op([0xF7], digit: signed ? 5 : 4, c) } else { e.mulWide(gpr(n), signed: signed) }
    }

    // MARK: Block

    /// Compiles `words` (decoded: op and word; the first at `pc`). Returns how many it
    /// translated (0: none, nothing kept) and the entry offset. The block ends after a branch,
    /// before an untranslated instruction, or after the last word (then it falls through to the
    /// next PC by a chained exit).
    mutating func compile(pc: UInt64, ops: [(Op, UInt32)]) -> (count: Int, entry: Int) {
        let entry = e.offset
        // sub budget, imm32 (patched with the count); jl refuse
        e.op([0x81], digit: 5, HostRole.budget)
        let countAt = e.offset
        e.emit32(0)
        let refuseJump = e.jcc(.l)
        var count = 0
        var endedByBranch = false
        for (i, (op, word)) in ops.enumerated() {
            let mark = e.offset, exitsMark = sideExits.count, sitesMark = chainSites.count
            let here = pc &+ UInt64(4 * i)
            let r = translate(op, InstructionWord(word), pc: here, index: i)
            if r == .untranslated {
                e = X86Emitter(base: e.base, capacity: e.capacity, offset: mark)
                sideExits.removeLast(sideExits.count - exitsMark)
                chainSites.removeLast(chainSites.count - sitesMark)
                break
            }
            count += 1
            if r == .branch { endedByBranch = true; break }
        }
        if count == 0 {
            e = X86Emitter(base: e.base, capacity: e.capacity, offset: entry)
            return (0, -1)
        }
        if !endedByBranch { directExit(to: pc &+ UInt64(4 * count)) }
        e.patch32(at: countAt, Int32(count))
        for s in sideExits {
            for j in s.jumps { e.bindHere(j) }
            let refund = count - s.index
            if refund > 0 { e.alu(.add, HostRole.budget, imm: Int32(refund)) }
            e.storeImm(slot(RegisterSlot.pc), s.pc, scratch: .rax)
            e.movImm(.rax, ExitCode.interpretOne.rawValue)
            e.jmp(to: epilogue)
        }
        e.bindHere(refuseJump)
        e.alu(.add, HostRole.budget, imm: Int32(count))
        e.movImm(.rax, ExitCode.refused.rawValue)
        e.jmp(to: epilogue)
        return (count, entry)
    }

    /// PC = target, then a patchable `call chainStub` (the dispatcher turns it into `jmp` to
    /// the target's block once it exists).
    mutating func directExit(to target: UInt64) {
        e.storeImm(slot(RegisterSlot.pc), target, scratch: .rax)
        e.call(to: chainStub)
        chainSites.append(e.offset)
    }

    /// PC = rax (an indirect branch): probe the inline table, else back to the dispatcher.
    mutating func indirectExit() {
        e.store(slot(RegisterSlot.pc), .rax)
        e.mov(.rdx, .rax)
        e.shift(.shr, .rdx, 2)
        e.alu(.and, .rdx, imm: Int32(ContextField.tableEntries - 1), w: false)
        e.shift(.shl, .rdx, 4)
        let entryMem = Mem(base: HostRole.context, index: .rdx, scale: 1, disp: ContextField.table)
        e.alu(.cmp, .rax, entryMem)
        let miss = e.jcc(.ne)
        e.jmp(Mem(base: HostRole.context, index: .rdx, scale: 1, disp: ContextField.table + 8))
        e.bindHere(miss)
        e.movImm(.rax, ExitCode.next.rawValue)
        e.jmp(to: epilogue)
    }

    /// A jcc to the side exit of instruction `index` (at `pc`): it leaves with the instructions
    /// before it counted and the PC on it, for the interpreter to execute.
    mutating func sideExit(_ c: Cond, index: Int, pc: UInt64) {
        let j = e.jcc(c)
        if let k = sideExits.lastIndex(where: { $0.index == index }) { sideExits[k].jumps.append(j) }
        else { sideExits.append((index, pc, [j])) }
    }

    // MARK: Condition register

    /// Before a compare whose flags `crFieldFromFlags` turns into a CR field: the three field
    /// values it picks from (register moves leave the flags alone, so they go first).
    /// Uses rsi, rdi, rdx: a compare's operands go in rax and rcx.
    mutating func crFieldBegin() {
        e.movImm(.rsi, 4)   // GT
        e.movImm(.rdi, 8)   // LT
        e.movImm(.rdx, 2)   // EQ
    }

    /// CR field `field` = LT GT EQ from the flags of the compare just made (signed or not), | SO:
    /// two conditional moves pick the field among the values `crFieldBegin` loaded.
    /// Clobbers rax, rcx, rsi (and rdi, rdx).
    mutating func crFieldFromFlags(_ field: Int, signed: Bool) {
        e.cmov(signed ? .l : .b, .rsi, .rdi, w: false)
        e.cmov(.e, .rsi, .rdx, w: false)
        e.load32(.rcx, xer)
        e.shift(.shr, .rcx, 31, w: false)            // SO
        e.alu(.or, .rsi, .rcx, w: false)
        let shift = UInt8(28 - 4 * field)
        e.shift(.shl, .rsi, shift, w: false)
        e.load32(.rax, cr)
        e.alu(.and, .rax, imm: Int32(bitPattern: ~(UInt32(0xF) << UInt32(shift))), w: false)
        e.alu(.or, .rax, .rsi, w: false)
        e.store32(cr, .rax)
    }

    /// Rc = 1: CR0 from the 64-bit value in `r` (signed compare with 0; r is rax or rcx).
    /// Clobbers rax, rcx, rdx, rsi, rdi.
    mutating func recordCR0(_ r: Reg) {
        crFieldBegin()
        e.test(r, r)
        crFieldFromFlags(0, signed: true)
    }

    /// XER[CA] and XER[CA32] from the low bytes of rdi (CA) and rsi (CA32), 0 or 1.
    /// Clobbers rcx, rsi, rdi.
    mutating func storeCarries() {
        e.movzx8(.rdi, .rdi)
        e.shift(.shl, .rdi, 29)
        e.movzx8(.rsi, .rsi)
        e.shift(.shl, .rsi, 18)
        e.alu(.or, .rdi, .rsi)
        e.load(.rcx, xer)
        e.alu(.and, .rcx, imm: Int32(bitPattern: ~UInt32(XER.ca | XER.ca32)))
        e.alu(.or, .rcx, .rdi)
        e.store(xer, .rcx)
    }

    enum CarryIn { case zero, one, ca }

    /// rax = a + b + carry with XER[CA] and [CA32] set: a in rax, b in rdx. Clobbers rcx, rsi, rdi.
    mutating func addWithCarry(_ c: CarryIn) {
        // CA32: the carry out of the low words.
        e.mov(.rcx, .rax)
        switch c {
        case .zero: e.alu(.add, .rcx, .rdx, w: false)
        case .one: e.stc(); e.alu(.adc, .rcx, .rdx, w: false)
        case .ca: e.bt(xer, 29); e.alu(.adc, .rcx, .rdx, w: false)
        }
        e.setcc(.b, .rsi)
        switch c {
        case .zero: e.alu(.add, .rax, .rdx)
        case .one: e.stc(); e.alu(.adc, .rax, .rdx)
        case .ca: e.bt(xer, 29); e.alu(.adc, .rax, .rdx)
        }
        e.setcc(.b, .rdi)
        storeCarries()
    }

    // MARK: Rotates

    /// rax = ROTL32(low word of rax, n) replicated over both halves, then & mask.
    mutating func rotl32Masked(count n: UInt8?, mask: UInt64) {
        // n nil: rotate count in cl.
        if let n { e.shift(.rol, .rax, n, w: false) } else { e.shiftCL(.rol, .rax, w: false) }
        if mask <= 0xFFFF_FFFF {
            if mask != 0xFFFF_FFFF { e.alu(.and, .rax, imm: Int32(bitPattern: UInt32(mask)), w: false) }
            return
        }
        e.mov(.rcx, .rax)
        e.shift(.shl, .rcx, 32)
        e.alu(.or, .rax, .rcx)
        e.andImm(.rax, mask, scratch: .rdx)
    }

    static func mask64(_ mb: Int, _ me: Int) -> UInt64 {
        let a = UInt64.max &>> UInt64(mb)
        let b = UInt64.max &<< UInt64(63 - me)
        return mb <= me ? a & b : a | b
    }

    // MARK: Memory

    /// rcx = EA; leaves by the side exit when [EA, EA + 8) is not inside the RAM fast path
    /// (the span bound is RAM's end - 8, so every width takes one compare; the interpreter
    /// does the few accesses in RAM's last 7 bytes). Clobbers rdx.
    mutating func checkRAM(index: Int, pc: UInt64) {
        e.mov(.rdx, .rcx)
        if nullGuard != 0 { e.alu(.sub, .rdx, imm: Int32(nullGuard)) }
        e.alu(.cmp, .rdx, Mem(base: HostRole.context, disp: ContextField.span))
        sideExit(.a, index: index, pc: pc)
    }

    /// Leaves by the side exit when the store [rcx, rcx + size) touches a page whose flag byte
    /// is set (it holds code, or gdb watches it). Clobbers rdx, rsi, rax.
    mutating func checkCodePage(size: Int, index: Int, pc: UInt64) {
        e.mov(.rdx, .rcx)
        e.shift(.shr, .rdx, 12)
        e.movzx8(.rax, Mem(base: HostRole.flags, index: .rdx))
        if size > 1 {
            e.lea(.rsi, Mem(base: .rcx, disp: Int32(size - 1)))
            e.shift(.shr, .rsi, 12)
            e.op([0x0A], .rax, Mem(base: HostRole.flags, index: .rsi), w: false)   // or al, [flags + rsi]
        }
        e.test(.rax, .rax, w: false)
        sideExit(.ne, index: index, pc: pc)
    }

    /// Under page permissions: leaves by the side exit when the load's page denies loads or the
    /// next page does (`nextNoRead`: the load may cross into it); the interpreter then makes
    /// the exact check and raises the fault. Clobbers rdx.
    mutating func checkReadable(index: Int, pc: UInt64) {
        e.mov(.rdx, .rcx)
        e.shift(.shr, .rdx, 12)
        e.movzx8(.rdx, Mem(base: HostRole.flags, index: .rdx))
        e.testImm(.rdx, Int32(GuestMemory.PageFlag.noRead | GuestMemory.PageFlag.nextNoRead), w: false)
        sideExit(.ne, index: index, pc: pc)
    }

    enum EAForm { case d, ds, x }
    mutating func effectiveAddress(_ w: InstructionWord, _ form: EAForm) {
        switch form {
        case .d, .ds:
            let disp = form == .d ? w.si : w.ds
            if w.ra == 0 { e.movImm(.rcx, UInt64(bitPattern: disp)) }
            else { loadG(.rcx, w.ra); if disp != 0 { e.alu(.add, .rcx, imm: Int32(disp)) } }
        case .x:
            if w.ra == 0 { loadG(.rcx, w.rb) }
            else { loadG(.rcx, w.ra); aluG(.add, .rcx, w.rb) }
        }
    }

    /// Leaves by the side exit when MSR[FP] = 0 (the interpreter raises FP unavailable).
    mutating func checkFP(index: Int, pc: UInt64) {
        e.testImm(slot(RegisterSlot.msr), Int32(MSR.fp))
        sideExit(.e, index: index, pc: pc)
    }

    /// A load into slot `target` (default GPR RT); `fp`: into FPR RT, VSR[RT].dword[1] zeroed.
    mutating func emitLoad(_ w: InstructionWord, _ form: EAForm, size: Int, signed: Bool = false, update: Bool = false, reversed: Bool = false, fp: Bool = false, index: Int, pc: UInt64) {
        if fp { checkFP(index: index, pc: pc) }
        effectiveAddress(w, form)
        checkRAM(index: index, pc: pc)
        if checksLoads { checkReadable(index: index, pc: pc) }
        let m = Mem(base: HostRole.ramBase, index: .rcx)
        switch size {
        case 1: e.movzx8(.rax, m)
        case 2:
            e.movzx16(.rax, m)
            if !reversed { e.rol16(.rax, 8) }
            if signed { e.movsx16(.rax, .rax) }
        case 4:
            e.load32(.rax, m)
            if !reversed { e.bswap(.rax, w: false) }
            if signed { e.movsx32(.rax, .rax) }
        default:
            e.load(.rax, m)
            if !reversed { e.bswap(.rax) }
        }
        if fp {
            e.store(slot(RegisterSlot.fpr0 + w.rt), .rax)
            e.storeImm(slot(RegisterSlot.vsrLow0 + w.rt), 0, scratch: .rax)
        } else {
            storeG(w.rt, .rax)
        }
        if update { storeG(w.ra, .rcx) }
    }

    mutating func emitStore(_ w: InstructionWord, _ form: EAForm, size: Int, update: Bool = false, reversed: Bool = false, fp: Bool = false, index: Int, pc: UInt64) {
        if fp { checkFP(index: index, pc: pc) }
        effectiveAddress(w, form)
        checkRAM(index: index, pc: pc)
        checkCodePage(size: size, index: index, pc: pc)
        if fp { e.load(.rax, slot(RegisterSlot.fpr0 + w.rt)) } else { loadG(.rax, w.rt) }
        let m = Mem(base: HostRole.ramBase, index: .rcx)
        switch size {
        case 1: e.store8(m, .rax)
        case 2: if !reversed { e.rol16(.rax, 8) }; e.store16(m, .rax)
        case 4: if !reversed { e.bswap(.rax, w: false) }; e.store32(m, .rax)
        default: if !reversed { e.bswap(.rax) }; e.store(m, .rax)
        }
        if update { storeG(w.ra, .rcx) }
    }

    // MARK: Branches

    /// Jumps (rel32s to bind) taken when the bc condition fails: CTR decremented first when
    /// BO says so.
    mutating func branchNotTaken(_ w: InstructionWord, decrementsCTR: Bool) -> [Int] {
        let bo = w.rt
        var fails: [Int] = []
        if decrementsCTR && bo & 4 == 0 {
            e.alu(.sub, slot(RegisterSlot.ctr), imm: 1)
            // taken when (CTR != 0) != BO[3]: fails on zero when BO&2 == 0, on nonzero otherwise
            fails.append(e.jcc(bo & 2 != 0 ? .ne : .e))
        }
        if bo & 16 == 0 {
            e.testImm(cr, Int32(bitPattern: UInt32(1) << UInt32(31 - w.ra)))
            fails.append(e.jcc(bo & 8 != 0 ? .e : .ne))
        }
        return fails
    }

    enum Result { case untranslated, ok, branch }

    // MARK: Instructions

    mutating func translate(_ op: Op, _ w: InstructionWord, pc: UInt64, index: Int) -> Result {
        switch op {
        // Integer arithmetic
        case .addi, .addis:
            let imm = op == .addi ? w.si : w.si << 16
            if w.ra == 0 { storeImmG(w.rt, UInt64(bitPattern: imm)); return .ok }
            loadG(.rax, w.ra)
            if imm != 0 { e.alu(.add, .rax, imm: Int32(imm)) }
            storeG(w.rt, .rax)
        case .add, .subf, .neg:
            if w.oe { return .untranslated }
            switch op {
            case .add: loadG(.rax, w.ra); aluG(.add, .rax, w.rb)
            case .subf: loadG(.rax, w.rb); aluG(.sub, .rax, w.ra)
            default: loadG(.rax, w.ra); e.neg(.rax)
            }
            storeG(w.rt, .rax)
            if w.bit31 { recordCR0(.rax) }
        case .addic, .addicRecord, .subfic:
            loadG(.rax, w.ra)
            if op == .subfic { e.not(.rax) }
            e.movImm(.rdx, UInt64(bitPattern: w.si))
            addWithCarry(op == .subfic ? .one : .zero)
            storeG(w.rt, .rax)
            if op == .addicRecord { recordCR0(.rax) }
        case .addc, .adde, .addme, .addze, .subfc, .subfe, .subfme, .subfze:
            if w.oe { return .untranslated }
            loadG(.rax, w.ra)
            let sub = op == .subfc || op == .subfe || op == .subfme || op == .subfze
            if sub { e.not(.rax) }
            switch op {
            case .addc, .adde, .subfc, .subfe: loadG(.rdx, w.rb)
            case .addme, .subfme: e.movImm(.rdx, UInt64.max)
            default: e.movImm(.rdx, 0)
            }
            let c: CarryIn = (op == .addc) ? .zero : (op == .subfc ? .one : .ca)
            addWithCarry(c)
            storeG(w.rt, .rax)
            if w.bit31 { recordCR0(.rax) }
        case .mulli:
            loadG(.rax, w.ra)
            e.imulImm(.rax, .rax, Int32(w.si))
            storeG(w.rt, .rax)
        case .mulld, .mullw:
            if w.oe { return .untranslated }
            if op == .mulld { loadG(.rax, w.ra); imulG(.rax, w.rb) }
            else { movsx32G(.rax, w.ra); movsx32G(.rcx, w.rb); e.imul(.rax, .rcx) }
            storeG(w.rt, .rax)
            if w.bit31 { recordCR0(.rax) }
        case .mulhw, .mulhwu:
            if op == .mulhw { movsx32G(.rax, w.ra); movsx32G(.rcx, w.rb) }
            else { load32G(.rax, w.ra); load32G(.rcx, w.rb) }
            e.imul(.rax, .rcx)
            e.shift(.shr, .rax, 32)
            storeG(w.rt, .rax)
            if w.bit31 { recordCR0(.rax) }
        case .mulhd, .mulhdu:
            loadG(.rax, w.ra)
            mulWideG(w.rb, signed: op == .mulhd)
            storeG(w.rt, .rdx)
            if w.bit31 { e.mov(.rax, .rdx); recordCR0(.rax) }

        // Compares
        case .cmp, .cmpl:
            let signed = op == .cmp
            crFieldBegin()
            if w.cmpL { loadG(.rax, w.ra); aluG(.cmp, .rax, w.rb) }
            else if signed { movsx32G(.rax, w.ra); movsx32G(.rcx, w.rb); e.alu(.cmp, .rax, .rcx) }
            else { load32G(.rax, w.ra); load32G(.rcx, w.rb); e.alu(.cmp, .rax, .rcx) }
            crFieldFromFlags(w.bf, signed: signed)
        case .cmpi:
            crFieldBegin()
            if w.cmpL { loadG(.rax, w.ra) } else { movsx32G(.rax, w.ra) }
            e.alu(.cmp, .rax, imm: Int32(w.si))
            crFieldFromFlags(w.bf, signed: true)
        case .cmpli:
            crFieldBegin()
            if w.cmpL { loadG(.rax, w.ra) } else { load32G(.rax, w.ra) }
            e.alu(.cmp, .rax, imm: Int32(w.ui))
            crFieldFromFlags(w.bf, signed: false)

        // Logical
        case .ori, .oris, .xori, .xoris, .andiRecord, .andisRecord:
            let shifted = op == .oris || op == .xoris || op == .andisRecord
            let imm = shifted ? w.ui << 16 : w.ui
            if imm == 0 && (op == .ori || op == .oris || op == .xori || op == .xoris) && w.ra == w.rt { return .ok }  // nop
            loadG(.rax, w.rt)
            e.movImm(.rcx, imm)
            switch op {
            case .ori, .oris: e.alu(.or, .rax, .rcx)
            case .xori, .xoris: e.alu(.xor, .rax, .rcx)
            default: e.alu(.and, .rax, .rcx)
            }
            storeG(w.ra, .rax)
            if op == .andiRecord || op == .andisRecord { recordCR0(.rax) }
        case .and, .or, .xor, .nand, .nor, .eqv, .andc, .orc:
            loadG(.rax, w.rt)
            switch op {
            case .and, .nand: aluG(.and, .rax, w.rb)
            case .or, .nor: aluG(.or, .rax, w.rb)
            case .xor, .eqv: aluG(.xor, .rax, w.rb)
            default:
                loadG(.rcx, w.rb); e.not(.rcx)
                e.alu(op == .andc ? .and : .or, .rax, .rcx)
            }
            if op == .nand || op == .nor || op == .eqv { e.not(.rax) }
            storeG(w.ra, .rax)
            if w.bit31 { recordCR0(.rax) }
        case .extsb, .extsh, .extsw:
            switch op {
            case .extsb: movsx8G(.rax, w.rt)
            case .extsh: movsx16G(.rax, w.rt)
            default: movsx32G(.rax, w.rt)
            }
            storeG(w.ra, .rax)
            if w.bit31 { recordCR0(.rax) }
        case .cntlzw, .cntlzd:
            // BSR leaves ZF set for a zero source: then the count is the width.
            let wide = op == .cntlzd
            if wide { loadG(.rcx, w.rt) } else { load32G(.rcx, w.rt) }
            e.bsr(.rax, .rcx, w: wide)
            e.movImm(.rcx, wide ? 127 : 63)
            e.cmov(.e, .rax, .rcx, w: false)
            e.alu(.xor, .rax, imm: wide ? 63 : 31, w: false)
            storeG(w.ra, .rax)
            if w.bit31 { recordCR0(.rax) }

        // Rotates and shifts
        case .rlwinm, .rlwnm:
            let mask = Self.mask64(((Int(w.raw) >> 6) & 31) + 32, w.me + 32)
            load32G(.rax, w.rt)
            if op == .rlwnm { loadG(.rcx, w.rb); rotl32Masked(count: nil, mask: mask) }
            else { rotl32Masked(count: UInt8(w.rb), mask: mask) }
            storeG(w.ra, .rax)
            if w.bit31 { recordCR0(.rax) }
        case .rlwimi:
            let mask = Self.mask64(((Int(w.raw) >> 6) & 31) + 32, w.me + 32)
            load32G(.rax, w.rt)
            rotl32Masked(count: UInt8(w.rb), mask: UInt64.max)   // replicated over both halves
            e.movImm(.rdx, mask)
            e.alu(.and, .rax, .rdx)
            e.not(.rdx)
            aluG(.and, .rdx, w.ra)
            e.alu(.or, .rax, .rdx)
            storeG(w.ra, .rax)
            if w.bit31 { recordCR0(.rax) }
        case .rldicl, .rldicr, .rldic, .rldimi, .rldcl, .rldcr:
            let sh = w.sh6, mb = w.mb6
            loadG(.rax, w.rt)
            let mask: UInt64
            switch op {
            case .rldicl, .rldcl: mask = Self.mask64(mb, 63)
            case .rldicr, .rldcr: mask = Self.mask64(0, mb)
            default: mask = Self.mask64(mb, 63 - sh)
            }
            if op == .rldcl || op == .rldcr {
                loadG(.rcx, w.rb); e.shiftCL(.rol, .rax)
            } else if op == .rldicl && sh != 0 && sh + mb == 64 {
                e.shift(.shr, .rax, UInt8(mb)); storeG(w.ra, .rax)      // srdi
                if w.bit31 { recordCR0(.rax) }
                return .ok
            } else if op == .rldicr && mb == 63 - sh {
                e.shift(.shl, .rax, UInt8(sh)); storeG(w.ra, .rax)      // sldi
                if w.bit31 { recordCR0(.rax) }
                return .ok
            } else {
                e.shift(.rol, .rax, UInt8(sh))
            }
            if op == .rldimi {
                e.movImm(.rdx, mask)
                e.alu(.and, .rax, .rdx)
                e.not(.rdx)
                aluG(.and, .rdx, w.ra)
                e.alu(.or, .rax, .rdx)
            } else {
                e.andImm(.rax, mask, scratch: .rdx)
            }
            storeG(w.ra, .rax)
            if w.bit31 { recordCR0(.rax) }
        case .slw, .srw:
            load32G(.rax, w.rt)
            loadG(.rcx, w.rb)
            e.alu(.and, .rcx, imm: 63, w: false)
            e.shiftCL(op == .slw ? .shl : .shr, .rax)
            e.mov32(.rax, .rax)
            storeG(w.ra, .rax)
            if w.bit31 { recordCR0(.rax) }
        case .sld, .srd:
            loadG(.rax, w.rt)
            loadG(.rcx, w.rb)
            e.shiftCL(op == .sld ? .shl : .shr, .rax)
            e.movImm(.rdx, 0)
            e.testImm(.rcx, 64, w: false)
            e.cmov(.ne, .rax, .rdx)
            storeG(w.ra, .rax)
            if w.bit31 { recordCR0(.rax) }
        case .srawi, .sradi, .sraw, .srad:
            // r = v >> n (arithmetic); CA = CA32 = v < 0 and any 1 bit shifted out.
            if op == .srawi || op == .sraw { movsx32G(.rax, w.rt) } else { loadG(.rax, w.rt) }
            if op == .srawi || op == .sradi {
                let n = op == .srawi ? w.rb : w.sh6
                e.movImm(.rcx, UInt64(n))
            } else {
                loadG(.rcx, w.rb)
                e.alu(.and, .rcx, imm: op == .sraw ? 63 : 127, w: false)
            }
            // rdx = mask of the bits shifted out: (1 << n) - 1, all ones from 64 on.
            e.movImm(.rdx, 1)
            e.shiftCL(.shl, .rdx)
            e.alu(.sub, .rdx, imm: 1)
            if op == .srad {
                e.movImm(.rsi, UInt64.max)
                e.testImm(.rcx, 64, w: false)
                e.cmov(.ne, .rdx, .rsi)
                e.movImm(.rsi, 63)
                e.alu(.cmp, .rcx, imm: 63, w: false)
                e.cmov(.a, .rcx, .rsi, w: false)
            }
            e.alu(.and, .rdx, .rax)            // lost bits
            e.setcc(.ne, .rdi)
            e.mov(.rsi, .rax)
            e.shift(.shr, .rsi, 63)            // sign
            e.alu(.and, .rdi, .rsi, w: false)
            e.mov(.rsi, .rdi)
            e.shiftCL(.sar, .rax)
            storeG(w.ra, .rax)
            storeCarries()
            if w.bit31 { loadG(.rax, w.ra); recordCR0(.rax) }
        case .extswsli:
            movsx32G(.rax, w.rt)
            e.shift(.shl, .rax, UInt8(w.sh6))
            storeG(w.ra, .rax)
            if w.bit31 { recordCR0(.rax) }

        // Loads
        case .lbz: emitLoad(w, .d, size: 1, index: index, pc: pc)
        case .lbzu: emitLoad(w, .d, size: 1, update: true, index: index, pc: pc)
        case .lhz: emitLoad(w, .d, size: 2, index: index, pc: pc)
        case .lhzu: emitLoad(w, .d, size: 2, update: true, index: index, pc: pc)
        case .lha: emitLoad(w, .d, size: 2, signed: true, index: index, pc: pc)
        case .lhau: emitLoad(w, .d, size: 2, signed: true, update: true, index: index, pc: pc)
        case .lwz: emitLoad(w, .d, size: 4, index: index, pc: pc)
        case .lwzu: emitLoad(w, .d, size: 4, update: true, index: index, pc: pc)
        case .ld: emitLoad(w, .ds, size: 8, index: index, pc: pc)
        case .ldu: emitLoad(w, .ds, size: 8, update: true, index: index, pc: pc)
        case .lwa: emitLoad(w, .ds, size: 4, signed: true, index: index, pc: pc)
        case .lbzx: emitLoad(w, .x, size: 1, index: index, pc: pc)
        case .lbzux: emitLoad(w, .x, size: 1, update: true, index: index, pc: pc)
        case .lhzx: emitLoad(w, .x, size: 2, index: index, pc: pc)
        case .lhzux: emitLoad(w, .x, size: 2, update: true, index: index, pc: pc)
        case .lhax: emitLoad(w, .x, size: 2, signed: true, index: index, pc: pc)
        case .lhaux: emitLoad(w, .x, size: 2, signed: true, update: true, index: index, pc: pc)
        case .lwzx: emitLoad(w, .x, size: 4, index: index, pc: pc)
        case .lwzux: emitLoad(w, .x, size: 4, update: true, index: index, pc: pc)
        case .lwax: emitLoad(w, .x, size: 4, signed: true, index: index, pc: pc)
        case .lwaux: emitLoad(w, .x, size: 4, signed: true, update: true, index: index, pc: pc)
        case .ldx: emitLoad(w, .x, size: 8, index: index, pc: pc)
        case .ldux: emitLoad(w, .x, size: 8, update: true, index: index, pc: pc)
        case .lhbrx: emitLoad(w, .x, size: 2, reversed: true, index: index, pc: pc)
        case .lwbrx: emitLoad(w, .x, size: 4, reversed: true, index: index, pc: pc)
        case .ldbrx: emitLoad(w, .x, size: 8, reversed: true, index: index, pc: pc)

        // Stores
        case .stb: emitStore(w, .d, size: 1, index: index, pc: pc)
        case .stbu: emitStore(w, .d, size: 1, update: true, index: index, pc: pc)
        case .sth: emitStore(w, .d, size: 2, index: index, pc: pc)
        case .sthu: emitStore(w, .d, size: 2, update: true, index: index, pc: pc)
        case .stw: emitStore(w, .d, size: 4, index: index, pc: pc)
        case .stwu: emitStore(w, .d, size: 4, update: true, index: index, pc: pc)
        case .std: emitStore(w, .ds, size: 8, index: index, pc: pc)
        case .stdu: emitStore(w, .ds, size: 8, update: true, index: index, pc: pc)
        case .stbx: emitStore(w, .x, size: 1, index: index, pc: pc)
        case .stbux: emitStore(w, .x, size: 1, update: true, index: index, pc: pc)
        case .sthx: emitStore(w, .x, size: 2, index: index, pc: pc)
        case .sthux: emitStore(w, .x, size: 2, update: true, index: index, pc: pc)
        case .stwx: emitStore(w, .x, size: 4, index: index, pc: pc)
        case .stwux: emitStore(w, .x, size: 4, update: true, index: index, pc: pc)
        case .stdx: emitStore(w, .x, size: 8, index: index, pc: pc)
        case .stdux: emitStore(w, .x, size: 8, update: true, index: index, pc: pc)
        case .sthbrx: emitStore(w, .x, size: 2, reversed: true, index: index, pc: pc)
        case .stwbrx: emitStore(w, .x, size: 4, reversed: true, index: index, pc: pc)
        case .stdbrx: emitStore(w, .x, size: 8, reversed: true, index: index, pc: pc)

        // Floating point: doubleword loads and stores (bit copies), word integer loads and
        // stores, and the sign moves (no FPSCR effect); arithmetic is interpreted.
        case .lfd: emitLoad(w, .d, size: 8, fp: true, index: index, pc: pc)
        case .lfdu: emitLoad(w, .d, size: 8, update: true, fp: true, index: index, pc: pc)
        case .lfdx: emitLoad(w, .x, size: 8, fp: true, index: index, pc: pc)
        case .lfdux: emitLoad(w, .x, size: 8, update: true, fp: true, index: index, pc: pc)
        case .lfiwzx: emitLoad(w, .x, size: 4, fp: true, index: index, pc: pc)
        case .lfiwax: emitLoad(w, .x, size: 4, signed: true, fp: true, index: index, pc: pc)
        case .stfd: emitStore(w, .d, size: 8, fp: true, index: index, pc: pc)
        case .stfdu: emitStore(w, .d, size: 8, update: true, fp: true, index: index, pc: pc)
        case .stfdx: emitStore(w, .x, size: 8, fp: true, index: index, pc: pc)
        case .stfdux: emitStore(w, .x, size: 8, update: true, fp: true, index: index, pc: pc)
        case .stfiwx: emitStore(w, .x, size: 4, fp: true, index: index, pc: pc)
        case .fmr, .fneg, .fabs, .fnabs, .fcpsgn:
            if w.bit31 { return .untranslated }   // Rc = 1 copies FPSCR bits into CR1
            checkFP(index: index, pc: pc)
            e.load(.rax, slot(RegisterSlot.fpr0 + w.rb))
            e.movImm(.rcx, 1 << 63)
            switch op {
            case .fneg: e.alu(.xor, .rax, .rcx)
            case .fabs: e.not(.rcx); e.alu(.and, .rax, .rcx)
            case .fnabs: e.alu(.or, .rax, .rcx)
            case .fcpsgn:
                e.mov(.rdx, .rcx); e.alu(.and, .rdx, slot(RegisterSlot.fpr0 + w.ra))
                e.not(.rcx); e.alu(.and, .rax, .rcx); e.alu(.or, .rax, .rdx)
            default: break
            }
            e.store(slot(RegisterSlot.fpr0 + w.rt), .rax)
            e.storeImm(slot(RegisterSlot.vsrLow0 + w.rt), 0, scratch: .rax)

        // Condition register and the LR/CTR moves
        case .mfspr:
            if w.spr == SPR.lr { e.load(.rax, slot(RegisterSlot.lr)) }
            else if w.spr == SPR.ctr { e.load(.rax, slot(RegisterSlot.ctr)) }
            else { return .untranslated }
            storeG(w.rt, .rax)
        case .mtspr:
            if w.spr == SPR.lr { loadG(.rax, w.rt); e.store(slot(RegisterSlot.lr), .rax) }
            else if w.spr == SPR.ctr { loadG(.rax, w.rt); e.store(slot(RegisterSlot.ctr), .rax) }
            else { return .untranslated }
        case .mfcr:
            e.load(.rax, cr); storeG(w.rt, .rax)
        case .mtcrf, .mtocrf:
            if op == .mtocrf && w.fxm.nonzeroBitCount != 1 { return .ok }
            var mask: UInt32 = 0
            for i in 0..<8 where w.fxm & (0x80 >> i) != 0 { mask |= 0xF << UInt32(28 - 4 * i) }
            load32G(.rax, w.rt)
            e.alu(.and, .rax, imm: Int32(bitPattern: mask), w: false)
            e.load32(.rcx, cr)
            e.alu(.and, .rcx, imm: Int32(bitPattern: ~mask), w: false)
            e.alu(.or, .rcx, .rax, w: false)
            e.store32(cr, .rcx)
        case .crand, .crnand, .cror, .crnor, .crxor, .creqv, .crandc, .crorc:
            e.load32(.rax, cr)
            e.mov32(.rcx, .rax); e.shift(.shr, .rcx, UInt8(31 - w.ra), w: false); e.alu(.and, .rcx, imm: 1, w: false)
            e.mov32(.rdx, .rax); e.shift(.shr, .rdx, UInt8(31 - w.rb), w: false); e.alu(.and, .rdx, imm: 1, w: false)
            if op == .crandc || op == .crorc { e.alu(.xor, .rdx, imm: 1, w: false) }
            switch op {
            case .crand, .crnand, .crandc: e.alu(.and, .rcx, .rdx, w: false)
            case .cror, .crnor, .crorc: e.alu(.or, .rcx, .rdx, w: false)
            default: e.alu(.xor, .rcx, .rdx, w: false)
            }
            if op == .crnand || op == .crnor || op == .creqv { e.alu(.xor, .rcx, imm: 1, w: false) }
            let t = UInt8(31 - w.rt)
            e.alu(.and, .rax, imm: Int32(bitPattern: ~(UInt32(1) << UInt32(t))), w: false)
            e.shift(.shl, .rcx, t, w: false)
            e.alu(.or, .rax, .rcx, w: false)
            e.store32(cr, .rax)
        case .mcrf:
            let from = UInt8(28 - 4 * w.bfa), to = UInt8(28 - 4 * w.bf)
            e.load32(.rax, cr)
            e.mov32(.rcx, .rax)
            e.shift(.shr, .rcx, from, w: false)
            e.alu(.and, .rcx, imm: 0xF, w: false)
            e.shift(.shl, .rcx, to, w: false)
            e.alu(.and, .rax, imm: Int32(bitPattern: ~(UInt32(0xF) << UInt32(to))), w: false)
            e.alu(.or, .rax, .rcx, w: false)
            e.store32(cr, .rax)
        case .isel:
            loadRAOrZero(.rax, w.ra)
            loadG(.rcx, w.rb)
            e.testImm(cr, Int32(bitPattern: UInt32(1) << UInt32(31 - w.rc)))
            e.cmov(.e, .rax, .rcx)
            storeG(w.rt, .rax)
        case .sync, .isync, .eieio, .dcbt, .dcbtst, .dcbst, .dcbf, .icbi:
            break

        // Branches
        case .b:
            if w.bit31 { e.storeImm(slot(RegisterSlot.lr), pc &+ 4, scratch: .rax) }
            directExit(to: (w.bit30 ? 0 : pc) &+ UInt64(bitPattern: w.li))
            return .branch
        case .bc:
            let fails = branchNotTaken(w, decrementsCTR: true)
            if w.bit31 { e.storeImm(slot(RegisterSlot.lr), pc &+ 4, scratch: .rax) }
            let target = (w.bit30 ? 0 : pc) &+ UInt64(bitPattern: w.bd)
            if fails.isEmpty { directExit(to: target); return .branch }
            // LR is written on both paths: the not-taken path re-enters after the LR store.
            directExit(to: target)
            for f in fails { e.bindHere(f) }
            if w.bit31 { e.storeImm(slot(RegisterSlot.lr), pc &+ 4, scratch: .rax) }
            directExit(to: pc &+ 4)
            return .branch
        case .bclr, .bcctr:
            let decrements = op == .bclr
            e.load(.rax, slot(op == .bclr ? RegisterSlot.lr : RegisterSlot.ctr))
            e.alu(.and, .rax, imm: -4)
            e.mov(.rdi, .rax)   // the target survives the condition's code (which touches only flags)
            let fails = branchNotTaken(w, decrementsCTR: decrements)
            if w.bit31 { e.storeImm(slot(RegisterSlot.lr), pc &+ 4, scratch: .rax) }
            e.mov(.rax, .rdi)
            indirectExit()
            if !fails.isEmpty {
                for f in fails { e.bindHere(f) }
                if w.bit31 { e.storeImm(slot(RegisterSlot.lr), pc &+ 4, scratch: .rax) }
                directExit(to: pc &+ 4)
            }
            return .branch
        default:
            return .untranslated
        }
        return .ok
    }
}

/// What a backend's code writer offers the engine: bytes appended at a cursor, a 32-bit
/// displacement patched later (forward jumps, chained exits), and a flush that makes the written
/// code executable (a no-op on x86-64 with the dual mapping; an aarch64 backend would clean the
/// data cache and invalidate the instruction cache there).
protocol CodeEmitter {
    var offset: Int { get }
    mutating func emit(_ byte: UInt8)
    mutating func patch32(at offset: Int, _ value: Int32)
    func flush(from: Int, to: Int)
}

/// x86-64 general registers by encoding number.
enum Reg: UInt8 {
    case rax = 0, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15
    var low: UInt8 { rawValue & 7 }
    var ext: Bool { rawValue >= 8 }
}

/// A memory operand [base + index * scale + disp].
struct Mem {
    var base: Reg
    var index: Reg? = nil
    var scale: UInt8 = 1
    var disp: Int32 = 0
}

/// Condition codes (the low nibble of Jcc/SETcc/CMOVcc).
enum Cond: UInt8 {
    case o = 0, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g
    var inverted: Cond { Cond(rawValue: rawValue ^ 1)! }
}

/// x86-64 instruction encoder writing into an `ExecutableBuffer`'s writable view. Only the forms
/// the block compiler uses; every one takes registers or a `Mem`, so encodings (REX, ModRM, SIB,
/// displacement size) are made in one place.
struct X86Emitter: CodeEmitter {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int
    private(set) var offset: Int
    /// Set when a write would pass `capacity`: the block is abandoned and the buffer flushed.
    private(set) var overflowed = false

    init(base: UnsafeMutablePointer<UInt8>, capacity: Int, offset: Int) {
        self.base = base
        self.capacity = capacity
        self.offset = offset
    }

    mutating func emit(_ byte: UInt8) {
        guard offset < capacity else { overflowed = true; return }
        base[offset] = byte
        offset += 1
    }
    mutating func emit32(_ v: Int32) {
        let u = UInt32(bitPattern: v)
        for i in 0..<4 { emit(UInt8(truncatingIfNeeded: u >> (8 * UInt32(i)))) }
    }
    mutating func emit64(_ v: UInt64) {
        for i in 0..<8 { emit(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }
    mutating func patch32(at offset: Int, _ value: Int32) {
        let u = UInt32(bitPattern: value)
        for i in 0..<4 { base[offset + i] = UInt8(truncatingIfNeeded: u >> (8 * UInt32(i))) }
    }
    func flush(from: Int, to: Int) {}

    // MARK: Encoding core

    /// REX prefix when needed. `byteRegs` forces one so that registers 4-7 mean spl..dil.
    private mutating func rex(w: Bool, r: Reg?, x: Reg?, b: Reg?, byteRegs: Bool = false) {
        var v: UInt8 = 0x40
        if w { v |= 8 }
        if r?.ext == true { v |= 4 }
        if x?.ext == true { v |= 2 }
        if b?.ext == true { v |= 1 }
        let needs = v != 0x40 || (byteRegs && ((r.map { $0.rawValue >= 4 && $0.rawValue < 8 } ?? false) || (b.map { $0.rawValue >= 4 && $0.rawValue < 8 } ?? false)))
        if needs { emit(v) }
    }

    private mutating func modrm(_ reg: UInt8, _ m: Mem) {
        let needsSIB = m.index != nil || m.base.low == 4
        let mod: UInt8
        if m.disp == 0 && m.base.low != 5 { mod = 0 } else if Int32(Int8(truncatingIfNeeded: m.disp)) == m.disp { mod = 1 } else { mod = 2 }
        if needsSIB {
            emit(mod << 6 | (reg & 7) << 3 | 4)
            let ss: UInt8 = m.scale == 8 ? 3 : m.scale == 4 ? 2 : m.scale == 2 ? 1 : 0
            emit(ss << 6 | (m.index?.low ?? 4) << 3 | m.base.low)
        } else {
            emit(mod << 6 | (reg & 7) << 3 | m.base.low)
        }
        if mod == 1 { emit(UInt8(bitPattern: Int8(truncatingIfNeeded: m.disp))) } else if mod == 2 { emit32(m.disp) }
    }

    /// opcode with a register and a memory operand.
    mutating func op(_ opcode: [UInt8], _ reg: Reg, _ m: Mem, w: Bool = true, prefix: UInt8? = nil, byteReg: Bool = false) {
        if let prefix { emit(prefix) }
        rex(w: w, r: reg, x: m.index, b: m.base, byteRegs: byteReg)
        for b in opcode { emit(b) }
        modrm(reg.rawValue, m)
    }
    /// opcode with an extension digit and a memory operand.
    mutating func op(_ opcode: [UInt8], digit: UInt8, _ m: Mem, w: Bool = true, prefix: UInt8? = nil) {
        if let prefix { emit(prefix) }
        rex(w: w, r: nil, x: m.index, b: m.base)
        for b in opcode { emit(b) }
        modrm(digit, m)
    }
    /// opcode with two registers (reg field, rm field).
    mutating func op(_ opcode: [UInt8], _ reg: Reg, _ rm: Reg, w: Bool = true, prefix: UInt8? = nil, byteRegs: Bool = false) {
        if let prefix { emit(prefix) }
        rex(w: w, r: reg, x: nil, b: rm, byteRegs: byteRegs)
        for b in opcode { emit(b) }
        emit(0xC0 | reg.low << 3 | rm.low)
    }
    /// opcode with an extension digit and a register.
    mutating func op(_ opcode: [UInt8], digit: UInt8, _ rm: Reg, w: Bool = true, prefix: UInt8? = nil, byteRegs: Bool = false) {
        if let prefix { emit(prefix) }
        rex(w: w, r: nil, x: nil, b: rm, byteRegs: byteRegs)
        for b in opcode { emit(b) }
        emit(0xC0 | (digit & 7) << 3 | rm.low)
    }

    // MARK: Moves

    mutating func load(_ r: Reg, _ m: Mem) { op([0x8B], r, m) }                 // mov r64, [m]
    mutating func load32(_ r: Reg, _ m: Mem) { op([0x8B], r, m, w: false) }     // mov r32, [m] (zero-extends)
    mutating func store(_ m: Mem, _ r: Reg) { op([0x89], r, m) }                // mov [m], r64
    mutating func store32(_ m: Mem, _ r: Reg) { op([0x89], r, m, w: false) }
    mutating func store16(_ m: Mem, _ r: Reg) { op([0x89], r, m, w: false, prefix: 0x66) }
    mutating func store8(_ m: Mem, _ r: Reg) { op([0x88], r, m, w: false, byteReg: true) }
    mutating func movzx8(_ r: Reg, _ m: Mem) { op([0x0F, 0xB6], r, m, w: false) }
    mutating func movzx16(_ r: Reg, _ m: Mem) { op([0x0F, 0xB7], r, m, w: false) }
    mutating func movsx8(_ r: Reg, _ m: Mem) { op([0x0F, 0xBE], r, m) }
    mutating func movsx16(_ r: Reg, _ m: Mem) { op([0x0F, 0xBF], r, m) }
    mutating func movsx32(_ r: Reg, _ m: Mem) { op([0x63], r, m) }
    mutating func movsx16(_ r: Reg, _ s: Reg) { op([0x0F, 0xBF], r, s) }
    mutating func movsx32(_ r: Reg, _ s: Reg) { op([0x63], r, s) }
    mutating func movzx8(_ r: Reg, _ s: Reg) { op([0x0F, 0xB6], r, s, w: false, byteRegs: true) }
    mutating func mov(_ d: Reg, _ s: Reg) { op([0x89], s, d) }
    mutating func mov32(_ d: Reg, _ s: Reg) { op([0x89], s, d, w: false) }     // zero-extends
    /// d = v, in the shortest form.
    mutating func movImm(_ d: Reg, _ v: UInt64) {
        if v == 0 { op([0x31], d, d, w: false); return }                          // xor r32, r32
        if v <= 0xFFFF_FFFF {                                                     // mov r32, imm32
            rex(w: false, r: nil, x: nil, b: d); emit(0xB8 | d.low); emit32(Int32(bitPattern: UInt32(v))); return
        }
        if Int64(bitPattern: v) >= Int64(Int32.min) && Int64(bitPattern: v) <= Int64(Int32.max) {
            op([0xC7], digit: 0, d); emit32(Int32(truncatingIfNeeded: Int64(bitPattern: v))); return
        }
        rex(w: true, r: nil, x: nil, b: d); emit(0xB8 | d.low); emit64(v)
    }
    /// [m] = v (64 bits), through `scratch` when v does not fit a sign-extended imm32.
    mutating func storeImm(_ m: Mem, _ v: UInt64, scratch: Reg) {
        if Int64(bitPattern: v) >= Int64(Int32.min) && Int64(bitPattern: v) <= Int64(Int32.max) {
            op([0xC7], digit: 0, m); emit32(Int32(truncatingIfNeeded: Int64(bitPattern: v)))
        } else {
            movImm(scratch, v); store(m, scratch)
        }
    }
    mutating func lea(_ r: Reg, _ m: Mem) { op([0x8D], r, m) }

    // MARK: Arithmetic

    enum ALU: UInt8 { case add = 0, or = 1, adc = 2, sbb = 3, and = 4, sub = 5, xor = 6, cmp = 7 }
    /// r op= [m]
    mutating func alu(_ a: ALU, _ r: Reg, _ m: Mem, w: Bool = true) { op([a.rawValue << 3 | 3], r, m, w: w) }
    /// d op= s
    mutating func alu(_ a: ALU, _ d: Reg, _ s: Reg, w: Bool = true) { op([a.rawValue << 3 | 1], s, d, w: w) }
    /// [m] op= r
    mutating func alu(_ a: ALU, _ m: Mem, _ r: Reg, w: Bool = true) { op([a.rawValue << 3 | 1], r, m, w: w) }
    /// r op= imm (sign-extended imm32 / imm8)
    mutating func alu(_ a: ALU, _ r: Reg, imm: Int32, w: Bool = true) {
        if Int32(Int8(truncatingIfNeeded: imm)) == imm { op([0x83], digit: a.rawValue, r, w: w); emit(UInt8(bitPattern: Int8(truncatingIfNeeded: imm))) }
        else { op([0x81], digit: a.rawValue, r, w: w); emit32(imm) }
    }
    /// [m] op= imm
    mutating func alu(_ a: ALU, _ m: Mem, imm: Int32, w: Bool = true) {
        if Int32(Int8(truncatingIfNeeded: imm)) == imm { op([0x83], digit: a.rawValue, m, w: w); emit(UInt8(bitPattern: Int8(truncatingIfNeeded: imm))) }
        else { op([0x81], digit: a.rawValue, m, w: w); emit32(imm) }
    }
    /// r &= v for any 64-bit v (through `scratch` when it needs a 64-bit immediate).
    mutating func andImm(_ r: Reg, _ v: UInt64, scratch: Reg) {
        if v == UInt64.max { return }
        if v == 0xFFFF_FFFF { mov32(r, r); return }
        if Int64(bitPattern: v) >= Int64(Int32.min) && Int64(bitPattern: v) <= Int64(Int32.max) { alu(.and, r, imm: Int32(truncatingIfNeeded: Int64(bitPattern: v))); return }
        movImm(scratch, v); alu(.and, r, scratch)
    }
    mutating func test(_ a: Reg, _ b: Reg, w: Bool = true) { op([0x85], b, a, w: w) }
    mutating func testImm(_ r: Reg, _ imm: Int32, w: Bool = true) { op([0xF7], digit: 0, r, w: w); emit32(imm) }
    mutating func testImm(_ m: Mem, _ imm: Int32) { op([0xF7], digit: 0, m, w: false); emit32(imm) }
    mutating func not(_ r: Reg) { op([0xF7], digit: 2, r) }
    mutating func neg(_ r: Reg) { op([0xF7], digit: 3, r) }
    mutating func imul(_ r: Reg, _ s: Reg) { op([0x0F, 0xAF], r, s) }
    mutating func imul(_ r: Reg, _ m: Mem) { op([0x0F, 0xAF], r, m) }
    mutating func imulImm(_ r: Reg, _ s: Reg, _ imm: Int32) { op([0x69], r, s); emit32(imm) }
    /// rdx:rax = rax * [m], unsigned (mul) or signed (imul).
    mutating func mulWide(_ m: Mem, signed: Bool) { op([0xF7], digit: signed ? 5 : 4, m) }

    enum Shift: UInt8 { case rol = 0, ror = 1, shl = 4, shr = 5, sar = 7 }
    mutating func shift(_ s: Shift, _ r: Reg, _ n: UInt8, w: Bool = true) {
        guard n != 0 else { return }
        op([0xC1], digit: s.rawValue, r, w: w); emit(n)
    }
    mutating func shiftCL(_ s: Shift, _ r: Reg, w: Bool = true) { op([0xD3], digit: s.rawValue, r, w: w) }
    mutating func rol16(_ r: Reg, _ n: UInt8) { op([0xC1], digit: 0, r, w: false, prefix: 0x66); emit(n) }
    mutating func bswap(_ r: Reg, w: Bool = true) { rex(w: w, r: nil, x: nil, b: r); emit(0x0F); emit(0xC8 | r.low) }
    mutating func bsr(_ r: Reg, _ s: Reg, w: Bool = true) { op([0x0F, 0xBD], r, s, w: w) }
    mutating func bsf(_ r: Reg, _ s: Reg, w: Bool = true) { op([0x0F, 0xBC], r, s, w: w) }
    /// CF = bit `bit` of [m] (64-bit operand).
    mutating func bt(_ m: Mem, _ bit: UInt8) { op([0x0F, 0xBA], digit: 4, m); emit(bit) }
    mutating func setcc(_ c: Cond, _ r: Reg) { op([0x0F, 0x90 | c.rawValue], digit: 0, r, w: false, byteRegs: true) }
    mutating func cmov(_ c: Cond, _ d: Reg, _ s: Reg, w: Bool = true) { op([0x0F, 0x40 | c.rawValue], d, s, w: w) }
    mutating func stc() { emit(0xF9) }

    // MARK: Control

    /// jcc rel32 to be patched: returns the offset of the displacement.
    mutating func jcc(_ c: Cond) -> Int { emit(0x0F); emit(0x80 | c.rawValue); let at = offset; emit32(0); return at }
    mutating func jmp() -> Int { emit(0xE9); let at = offset; emit32(0); return at }
    mutating func jcc(_ c: Cond, to target: Int) { let at = jcc(c); bind(at, to: target) }
    mutating func jmp(to target: Int) { let at = jmp(); bind(at, to: target) }
    mutating func call(to target: Int) { emit(0xE8); let at = offset; emit32(0); bind(at, to: target) }
    /// Points the rel32 at `at` (a jcc/jmp/call displacement) to `target` (both buffer offsets).
    mutating func bind(_ at: Int, to target: Int) { patch32(at: at, Int32(target - (at + 4))) }
    mutating func bindHere(_ at: Int) { bind(at, to: offset) }
    mutating func jmp(_ r: Reg) { rex(w: false, r: nil, x: nil, b: r); emit(0xFF); emit(0xE0 | r.low) }
    mutating func jmp(_ m: Mem) { op([0xFF], digit: 4, m, w: false) }
    mutating func push(_ r: Reg) { rex(w: false, r: nil, x: nil, b: r); emit(0x50 | r.low) }
    mutating func pop(_ r: Reg) { rex(w: false, r: nil, x: nil, b: r); emit(0x58 | r.low) }
    mutating func ret() { emit(0xC3) }
}

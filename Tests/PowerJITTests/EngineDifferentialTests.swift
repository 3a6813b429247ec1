import XCTest
import GuestMemory
import PowerISA
@testable import PowerJIT

/// The block compiler against the interpreter, its reference: random instruction sequences
/// (every integer, logical, rotate, compare, CR, load/store and branch form the decoder
/// accepts, with register bases near page and RAM ends, stores into the code itself, loops
/// through CTR) run on two identical machines, one interpreted and one under `BlockEngine`,
/// for a random instruction limit; the stop, the instruction count, every register slot and
/// all of RAM must be identical.
final class EngineDifferentialTests: XCTestCase {
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let ramSize: UInt64 = 1 << 20
    static let codeBase: UInt64 = 0x10000
    static let dataBase: UInt64 = 0x20000

    static let memoryOps: Set<Op> = [
        .lbz, .lbzu, .lhz, .lhzu, .lha, .lhau, .lwz, .lwzu, .ld, .ldu, .lwa,
        .lbzx, .lbzux, .lhzx, .lhzux, .lhax, .lhaux, .lwzx, .lwzux, .lwax, .lwaux, .ldx, .ldux,
        .lhbrx, .lwbrx, .ldbrx,
        .stb, .stbu, .sth, .sthu, .stw, .stwu, .std, .stdu,
        .stbx, .stbux, .sthx, .sthux, .stwx, .stwux, .stdx, .stdux, .sthbrx, .stwbrx, .stdbrx,
    ]
    static let aluOps: Set<Op> = [
        .addi, .addis, .addic, .addicRecord, .subfic, .mulli, .cmpi, .cmpli,
        .ori, .oris, .xori, .xoris, .andiRecord, .andisRecord,
        .add, .subf, .neg, .addc, .adde, .addme, .addze, .subfc, .subfe, .subfme, .subfze,
        .mullw, .mulld, .mulhw, .mulhwu, .mulhd, .mulhdu, .divw, .divdu,
        .and, .or, .xor, .nand, .nor, .eqv, .andc, .orc, .extsb, .extsh, .extsw, .cntlzw, .cntlzd,
        .slw, .srw, .sld, .srd, .sraw, .srawi, .srad, .sradi, .extswsli,
        .rlwinm, .rlwnm, .rlwimi, .rldicl, .rldicr, .rldic, .rldimi, .rldcl, .rldcr,
        .cmp, .cmpl, .mfcr, .mtcrf, .mtocrf, .crand, .crnand, .cror, .crnor, .crxor, .creqv, .crandc, .crorc,
        .mcrf, .isel, .popcntd, .sync,
    ]

    static let specs: [Op: InstructionSpec] = {
        var d: [Op: InstructionSpec] = [:]
        for s in InstructionTable.specs where d[s.op] == nil { d[s.op] = s }
        return d
    }()

    /// A random word of `op` the decoder accepts.
    static func randomWord(_ op: Op, _ r: inout SplitMix64, fix: (UInt32) -> UInt32 = { $0 }) -> UInt32? {
        guard let spec = specs[op] else { return nil }
        for _ in 0..<64 {
            let word = fix((UInt32(truncatingIfNeeded: r.next()) & ~spec.mask) | spec.match)
            if Decoder.shared.decode(word) == op { return word }
        }
        return nil
    }

    /// Sets field bits (shift, width) of a word.
    static func set(_ w: UInt32, _ shift: UInt32, _ width: UInt32, _ v: UInt32) -> UInt32 {
        let m = ((UInt32(1) << width) - 1) << shift
        return (w & ~m) | ((v << shift) & m)
    }

    static func sequence(_ r: inout SplitMix64, length: Int) -> [UInt32] {
        let alu = Array(aluOps).sorted { $0.rawValue < $1.rawValue }
        let mem = Array(memoryOps).sorted { $0.rawValue < $1.rawValue }
        var words: [UInt32] = []
        while words.count < length {
            let kind = r.below(100)
            if kind < 55 {
                let op = alu[r.below(alu.count)]
                // Registers 1-7 hold the bases and offsets: destinations avoid them.
                guard let w = randomWord(op, &r, fix: { w in
                    var w = w
                    let rt = (w >> 21) & 31, ra = (w >> 16) & 31
                    if (1...7).contains(rt) { w = set(w, 21, 5, rt + 10) }
                    if (1...7).contains(ra) { w = set(w, 16, 5, ra + 10) }
                    return w
                }) else { continue }
                words.append(w)
            } else if kind < 85 {
                let op = mem[r.below(mem.count)]
                var f = SplitMix64(state: r.next())
                guard let w = randomWord(op, &r, fix: { w in
                    var r = f
                    defer { f = r }
                    var w = set(w, 16, 5, UInt32(1 + r.below(3)))            // RA: a base
                    w = set(w, 11, 5, UInt32(4 + r.below(2)))                // RB: an offset (X-forms)
                    let rt = UInt32(8 + r.below(24))
                    w = set(w, 21, 5, rt)
                    if (w >> 26) != 31 {                                       // D/DS: a small displacement
                        let d = UInt32(bitPattern: Int32(r.below(64)) - 32) & 0xFFFF
                        w = set(w, 0, 16, (w >> 26) == 58 || (w >> 26) == 62 ? (d & ~3) | (w & 3) : d)
                    }
                    return w
                }) else { continue }
                words.append(w)
            } else if kind < 90 {
                // mtlr/mtctr/mflr/mfctr
                let spr: UInt32 = r.below(2) == 0 ? 8 : 9
                let sprField = ((spr & 31) << 5) | (spr >> 5)
                let from = r.below(2) == 0
                let reg = UInt32(from ? 10 + r.below(20) : 6 + r.below(2))
                words.append(31 << 26 | reg << 21 | sprField << 11 | (from ? 339 : 467) << 1)
            } else {
                // Branches: forward or short backward, conditional with random BO/BI, or
                // through LR/CTR.
                let bos: [UInt32] = [20, 12, 4, 16, 18, 0, 2, 8, 10]
                let bo = bos[r.below(bos.count)], bi = UInt32(r.below(32))
                let lk = UInt32(r.below(4) == 0 ? 1 : 0)
                let offset = Int32(r.below(12)) - 3
                switch r.below(6) {
                case 0: words.append(18 << 26 | (UInt32(bitPattern: offset * 4) & 0x03FF_FFFC) | lk)
                case 1, 2, 3: words.append(16 << 26 | bo << 21 | bi << 16 | (UInt32(bitPattern: offset * 4) & 0xFFFC) | lk)
                case 4: words.append(19 << 26 | (bo | 4) << 21 | bi << 16 | 528 << 1 | lk)   // bcctr (BO[2] = 1)
                default: words.append(19 << 26 | bo << 21 | bi << 16 | 16 << 1 | lk)          // bclr
                }
            }
        }
        words.append(0x4400_0002)   // sc
        return words
    }

    final class Machine {
        let memory: GuestMemory
        let cpu = CPU()
        let interpreter: Interpreter
        let engine: BlockEngine?
        init(jit: Bool) throws {
            memory = try GuestMemory(ramSize: EngineDifferentialTests.ramSize)
            memory.unmapLowMemory(64 << 10)
            cpu.msr = MSR.sf | MSR.fp
            interpreter = Interpreter(cpu: cpu, memory: memory)
            engine = jit ? BlockEngine.make(memory: memory, cache: interpreter.cache, deliversInterrupts: false) : nil
        }
        func run(_ limit: UInt64) -> StopReason {
            if let engine { return engine.run(interpreter, limit: limit) }
            return interpreter.run(limit: limit)
        }
    }

    func setUpState(_ m: Machine, _ words: [UInt32], _ r: inout SplitMix64) {
        var seed = r
        for (i, w) in words.enumerated() { m.memory.store32(Self.codeBase + UInt64(4 * i), w) }
        for i in 0..<Int(Self.dataBase >> 3) where i < 8192 {
            m.memory.store64(Self.dataBase + UInt64(8 * i), seed.next())
        }
        m.memory.store64(Self.ramSize - 8, seed.next())
        for i in 0..<32 {
            let v = seed.next()
            m.cpu.gpr[i] = [v, v & 0xFF, UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v))), 0, UInt64.max, 1 << 63, v & 0xFFFF_FFFF][Int(v % 7)]
        }
        // Bases: the data area, near a page end, RAM's end, or the code itself (self-modifying).
        let bases: [UInt64] = [Self.dataBase + 0x100, Self.dataBase + 0xFFC, Self.ramSize - 16, Self.codeBase + 8, 0x8000, Self.ramSize - 40]
        m.cpu.gpr[1] = bases[Int(seed.next() % 3)]
        m.cpu.gpr[2] = bases[Int(seed.next() % UInt64(bases.count))]
        m.cpu.gpr[3] = bases[Int(seed.next() % UInt64(bases.count))]
        m.cpu.gpr[4] = seed.next() % 48
        m.cpu.gpr[5] = UInt64(bitPattern: Int64(seed.next() % 64) - 32)
        m.cpu.gpr[6] = Self.codeBase + 4 * (seed.next() % UInt64(words.count))
        m.cpu.gpr[7] = seed.next() % 6
        m.cpu.lr = Self.codeBase + 4 * (seed.next() % UInt64(words.count))
        m.cpu.ctr = seed.next() % 8
        m.cpu.cr = UInt32(truncatingIfNeeded: seed.next())
        m.cpu.xer = seed.next() & (XER.so | XER.ov | XER.ca | XER.ov32 | XER.ca32)
        m.cpu.pc = Self.codeBase
        r = seed
    }

    func compare(seed: UInt64, length: Int) -> String? {
        var r = SplitMix64(state: seed)
        let words = Self.sequence(&r, length: length)
        let limit = UInt64(1 + r.below(3 * length))
        guard let a = try? Machine(jit: false), let b = try? Machine(jit: true) else { return "machine" }
        guard b.engine != nil else { return nil }
        var ra = r, rb = r
        setUpState(a, words, &ra)
        setUpState(b, words, &rb)
        let sa = a.run(limit), sb = b.run(limit)
        var diffs: [String] = []
        if sa != sb { diffs.append("stop \(sa) vs \(sb)") }
        if a.interpreter.instructionsExecuted != b.interpreter.instructionsExecuted {
            diffs.append("count \(a.interpreter.instructionsExecuted) vs \(b.interpreter.instructionsExecuted)")
        }
        for s in 0..<RegisterSlot.count where a.cpu.state[s] != b.cpu.state[s] {
            diffs.append("\(RegisterSlot.name(s)) 0x\(String(a.cpu.state[s], radix: 16)) vs 0x\(String(b.cpu.state[s], radix: 16))")
        }
        if memcmp(a.memory.base, b.memory.base, Int(Self.ramSize)) != 0 { diffs.append("memory differs") }
        if diffs.isEmpty { return nil }
        let listing = words.enumerated().map { "  \(String(Self.codeBase + UInt64(4 * $0.offset), radix: 16)): \(String($0.element, radix: 16))  \(Decoder.shared.decode($0.element))" }.joined(separator: "\n")
        return "seed \(seed) limit \(limit): " + diffs.joined(separator: ", ") + "\n" + listing
    }

    func testRandomSequencesMatchTheInterpreter() {
        let count = Int(ProcessInfo.processInfo.environment["LPAR_JIT_DIFF_COUNT"] ?? "") ?? 3000
        let first = UInt64(ProcessInfo.processInfo.environment["LPAR_JIT_DIFF_FIRST"] ?? "") ?? 1
        var failures = 0
        for seed in first..<(first + UInt64(count)) {
            if let d = compare(seed: seed, length: 8 + Int(seed % 40)) {
                failures += 1
                if failures <= 3 { XCTFail(d) }
            }
        }
        XCTAssertEqual(failures, 0, "\(failures) of \(count) sequences differ")
    }

    /// The same program stopped at every instruction count from 1 to past its end: PC, count
    /// and state identical under both engines at each N (block boundaries included).
    func testMaxInstructionsSweepAcrossBlockBoundaries() {
        var r = SplitMix64(state: 42)
        let words = Self.sequence(&r, length: 60)
        for n in UInt64(1)...200 {
            guard let a = try? Machine(jit: false), let b = try? Machine(jit: true), b.engine != nil else { return }
            var ra = r, rb = r
            setUpState(a, words, &ra)
            setUpState(b, words, &rb)
            // Run in chunks, as the machine does between stops.
            let sa = a.run(n), sb = b.run(n)
            XCTAssertEqual(sa, sb, "N=\(n)")
            XCTAssertEqual(a.cpu.pc, b.cpu.pc, "N=\(n)")
            XCTAssertEqual(a.interpreter.instructionsExecuted, b.interpreter.instructionsExecuted, "N=\(n)")
            XCTAssertEqual(a.cpu.snapshot(), b.cpu.snapshot(), "N=\(n)")
        }
    }

    /// A counted loop (li r3,0; li r4,100; mtctr r4; loop: addi r3,r3,1; bdnz loop; sc) gives
    /// r3 = 100 after 2 + 1 + 200 instructions under the JIT, with its blocks chained (the `sc`
    /// that stops the run is not counted by the engine: the machine handles it, as after the
    /// interpreter).
    func testCountedLoop() throws {
        let m = try Machine(jit: true)
        guard let engine = m.engine else { throw XCTSkip("no executable memory on this host") }
        let words: [UInt32] = [0x3860_0000, 0x3880_0064, 0x7C89_03A6, 0x3863_0001, 0x4200_FFFC, 0x4400_0002]
        for (i, w) in words.enumerated() { m.memory.store32(Self.codeBase + UInt64(4 * i), w) }
        m.cpu.pc = Self.codeBase
        XCTAssertEqual(m.run(1000), .systemCall(level: 0))
        XCTAssertEqual(m.cpu.gpr[3], 100)
        XCTAssertEqual(m.cpu.ctr, 0)
        XCTAssertEqual(m.interpreter.instructionsExecuted, 3 + 200)
        XCTAssertEqual(m.cpu.pc, Self.codeBase + 24)  // after the sc
        XCTAssertGreaterThan(engine.links, 0)
    }

    /// A store into the block being run: the new instruction takes effect the next time round.
    func testSelfModifyingStoreIsSeen() throws {
        let m = try Machine(jit: true)
        guard m.engine != nil else { throw XCTSkip("no executable memory on this host") }
        // 0: li r3,1 ; 4: stw r5,8(r6) ; 8: li r3,2 ; 12: sc   with r5 = "li r3,7", r6 = code base
        let words: [UInt32] = [0x3860_0001, 0x90A6_0008, 0x3860_0002, 0x4400_0002]
        for (i, w) in words.enumerated() { m.memory.store32(Self.codeBase + UInt64(4 * i), w) }
        m.cpu.gpr[5] = 0x3860_0007
        m.cpu.gpr[6] = Self.codeBase
        m.cpu.pc = Self.codeBase
        // Compile the block first, as an earlier pass through it would have.
        _ = m.engine!.lookup(Self.codeBase)
        XCTAssertEqual(m.run(100), .systemCall(level: 0))
        XCTAssertEqual(m.cpu.gpr[3], 7)
        XCTAssertEqual(m.interpreter.instructionsExecuted, 3)
    }
}

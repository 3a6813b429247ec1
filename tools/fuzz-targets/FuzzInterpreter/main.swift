#if canImport(Glibc)
import Glibc
#endif
import GuestMemory
import PowerISA
import FuzzSupport

// Fuzzes the interpreter (and the disassembler on the same words): random register state and random instruction words in a 1 MiB guest
// with a 64 KiB file-backed window in the device region. Any StopReason is fine; a trap, an
// ASan report, or a host access outside the arena (guard pages around it, see ArenaGuards) is
// a bug.
//
// Input: n (1 byte), then 1 + n % 64 instruction words (placed at 0x1000 and, the first 64
// bytes, also at the RAM end, where the PC can run off it), then MSR (8 bytes), CR (4), XER (8),
// CTR, LR and r0-r31 (9 bytes each, shaped by FuzzInput.address). Instructions come first so
// short inputs already execute something.

let codeAddress: UInt64 = 0x1000
let maxInstructions: UInt64 = 1024
let windowLength: UInt64 = 64 << 10

nonisolated(unsafe) var memory: GuestMemory!
nonisolated(unsafe) var interpreter: Interpreter!
/// The same machine as a PAPR guest sees it: interrupts delivered to vectors, sc 0 to 0xC00,
/// real-mode EA bits 0:3 ignored. It shares the decode cache (and so the code-write notices).
nonisolated(unsafe) var paprInterpreter: Interpreter!
nonisolated(unsafe) var windowFD: Int32 = -1

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    let (m, guarded) = ArenaGuards.memory(ramSize: 1 << 20, deviceSize: 2 * windowLength)
    memory = m
    if !guarded { print("FuzzInterpreter: no guard pages around the arena (address space in use)") }
    // An unlinked temp file stands for an NVDIMM's backing file.
    var template = Array("/tmp/lpar-fuzz-window-XXXXXX".utf8CString)
    windowFD = mkstemp(&template)
    unlink(template)
    guard windowFD >= 0, ftruncate(windowFD, off_t(windowLength)) == 0 else { fatalError("memfd") }
    // The window covers the first half of the device region; the second half stays unmapped.
    try! memory.mapWindow(start: memory.deviceBase, length: windowLength, fd: windowFD, fileOffset: 0, writable: true)
    interpreter = Interpreter(cpu: CPU(), memory: memory)
    paprInterpreter = Interpreter(cpu: CPU(), memory: memory, deliversInterrupts: true, cache: interpreter.cache)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    // A fresh machine per input (RAM and window zeroed, predecode cache dropped), so a crash
    // replays from its input alone.
    memset(memory.base, 0, Int(memory.ramSize))
    memset(memory.base + Int(memory.deviceBase), 0, Int(windowLength))
    interpreter.invalidateAll()
    let knobs = input.u8()
    let interpreter: Interpreter = knobs & 1 != 0 ? paprInterpreter : interpreter
    let count = 1 + Int(input.u8()) % 64
    var words: [UInt8] = (0..<4 * count).map { _ in input.u8() }
    // Fault reports and `lpar disasm` disassemble any word a guest holds: that must not trap.
    for i in 0..<count {
        let w = UInt32(words[4 * i]) << 24 | UInt32(words[4 * i + 1]) << 16 | UInt32(words[4 * i + 2]) << 8 | UInt32(words[4 * i + 3])
        _ = Disassembler.text(w, address: codeAddress &+ UInt64(4 * i))
        _ = Disassembler.text(w, address: UInt64.max - 3)   // branch targets wrap at 2^64
    }
    words += [0x48, 0x00, 0x00, 0x00]  // b . : the budget ends a run that falls off the end
    try! memory.write(words, at: codeAddress)
    let tail = Array(words.prefix(64))
    try! memory.write(tail, at: memory.ramSize - UInt64(tail.count))
    // A PAPR guest's vectors hold the input's first words too (handlers that fault, loop, rfid
    // to anywhere…), or, by the knob, nothing (no handler: the interrupt is the stop).
    if knobs & 2 != 0 {
        for vector: UInt64 in [0x200, 0x300, 0x380, 0x400, 0x480, 0x500, 0x600, 0x700, 0x800, 0x900, 0xC00, 0xD00, 0xF20, 0xF40] {
            try! memory.write(tail.prefix(32), at: vector)
        }
    }
    let cpu = interpreter.cpu
    cpu.state.update(repeating: 0, count: CPU.slotCount)
    cpu.msr = input.u64()
    cpu.cr = input.u32()
    cpu.xer = input.u64()
    cpu.ctr = input.address(in: memory)
    cpu.lr = input.address(in: memory)
    for r in 0..<32 { cpu.gpr[r] = input.address(in: memory) }
    cpu.pc = codeAddress

    var budget = maxInstructions
    while budget > 0 {
        let before = interpreter.instructionsExecuted
        let stop = interpreter.run(limit: budget)
        budget -= min(budget, interpreter.instructionsExecuted - before)
        // sc returns here with the PC after it: carry on, as the partition does after an hcall.
        guard case .systemCall = stop else { break }
        if budget > 0 { budget -= 1 }
    }
    return 0
}

/// The entry point SwiftPM links as `main` (it renames an executable's main to <Target>_main).
@_cdecl("FuzzInterpreter_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runLibFuzzer(argc, argv) { data, size in testOneInput(data, size) }
}

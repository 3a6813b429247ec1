import XCTest
import GuestMemory
import PowerISA

/// A 1 MiB guest and a 64-bit CPU for instruction tests: `execute` puts the words at 0x1000,
/// sets the registers given (the rest keep their values) and runs exactly those instructions.
class InterpreterTestCase: XCTestCase {
    var memory: GuestMemory!
    var cpu: CPU!
    var interpreter: Interpreter!

    override func setUpWithError() throws {
        memory = try GuestMemory(ramSize: 1 << 20)
        cpu = CPU()
        cpu.msr = MSR.sf | MSR.fp  // FP available: these tests are about the semantics
        interpreter = Interpreter(cpu: cpu, memory: memory)
    }

    @discardableResult
    func execute(_ words: [UInt32], gprs: [Int: UInt64] = [:], fprs: [Int: UInt64] = [:],
                 xer: UInt64 = 0, cr: UInt32 = 0, fpscr: UInt64 = 0) -> StopReason {
        interpreter.invalidateAll()
        for (i, w) in words.enumerated() { memory.store32(0x1000 + UInt64(4 * i), w) }
        for (r, v) in gprs { cpu.gpr[r] = v }
        for (r, v) in fprs { cpu.fpr[r] = v }
        cpu.xer = xer
        cpu.cr = cr
        cpu.fpscr = fpscr
        cpu.pc = 0x1000
        return interpreter.run(limit: UInt64(words.count))
    }
}

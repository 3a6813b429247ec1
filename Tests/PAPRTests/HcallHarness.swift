import PowerISA
import PAPR

extension Hypervisor {
    /// An `sc 1` as a guest makes it: r3 = opcode, r4… = `args` (the remaining argument
    /// registers zero unless `keepOthers`), then the hypervisor; returns r3.
    @discardableResult
    func call(cpu: CPU, _ opcode: UInt64, _ args: [UInt64], keepOthers: Bool = false) -> Int64 {
        cpu.gpr[3] = opcode
        for i in 0..<9 where i < args.count || !keepOthers { cpu.gpr[4 + i] = i < args.count ? args[i] : 0 }
        hypercall(cpu: cpu)
        return Int64(bitPattern: cpu.gpr[3])
    }
}

import GuestMemory
import GuestELF

/// The stack a ppc64 Linux process starts with, built as the kernel's create_elf_tables does.
///
/// From the top of the stack down:
///  - 8 zero bytes, then the AT_EXECFN string;
///  - the environment strings, then the argument strings (argv[0] lowest);
///  - the AT_PLATFORM string, then the 16 AT_RANDOM bytes;
///  - padding so that the final stack pointer is 16-byte aligned;
///  - auxv pairs ending with AT_NULL, envp[] with a NULL, argv[] with a NULL, argc.
/// r1 points at argc (glibc's static _start finds argc, argv, envp and auxv from it).
public struct InitialStack {
    public let stackPointer: UInt64
    public let argvAddress: UInt64
    public let envpAddress: UInt64
    public let auxvAddress: UInt64
    /// The auxv as written, without AT_NULL.
    public let auxv: [(UInt64, UInt64)]

    /// Writes the stack below `top` (exclusive) and returns where everything went. Nothing is
    /// written below `limit`.
    public static func build(in memory: GuestMemory, top: UInt64, limit: UInt64, program: ProgramInfo,
                             info: ProcessStartInfo) throws(MemoryFault) -> InitialStack {
        var p = top
        func push(_ bytes: [UInt8]) throws(MemoryFault) -> UInt64 {
            guard p >= limit + UInt64(bytes.count) else { throw MemoryFault(address: p &- UInt64(bytes.count), size: UInt64(bytes.count), kind: .store) }
            p -= UInt64(bytes.count)
            try memory.write(bytes, at: p)
            return p
        }
        func cstring(_ s: String) -> [UInt8] { Array(s.utf8) + [0] }

        _ = try push([UInt8](repeating: 0, count: 8))
        let execfn = try push(cstring(info.execPath))
        // Strings are pushed last-first so that they read in order upwards.
        var envAddrs: [UInt64] = []
        for e in info.environment.reversed() { envAddrs.append(try push(cstring(e))) }
        envAddrs.reverse()
        var argAddrs: [UInt64] = []
        for a in info.arguments.reversed() { argAddrs.append(try push(cstring(a))) }
        argAddrs.reverse()
        let platform = try push(cstring(CPUFeatures.platform))
        p &= ~15
        let random = try push(info.random)

        let aux = AuxVector.entries(program: program, info: info, platformAddress: platform, randomAddress: random, execfnAddress: execfn)
        // argc + argv + NULL + envp + NULL + auxv pairs + AT_NULL pair, in 8-byte words.
        let words = 1 + argAddrs.count + 1 + envAddrs.count + 1 + 2 * (aux.count + 1)
        let size = UInt64(words * 8)
        guard p >= limit + size + 16 else { throw MemoryFault(address: p &- size, size: size, kind: .store) }
        let sp = (p - size) & ~15
        var table: [UInt64] = [UInt64(argAddrs.count)] + argAddrs + [0] + envAddrs + [0]
        for (k, v) in aux { table.append(k); table.append(v) }
        table += [AT.null, 0]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(table.count * 8)
        for w in table { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: w >> UInt64(56 - 8 * i))) } }
        try memory.write(bytes, at: sp)
        let argv = sp + 8
        let envp = argv + UInt64(argAddrs.count + 1) * 8
        let auxv = envp + UInt64(envAddrs.count + 1) * 8
        return InitialStack(stackPointer: sp, argvAddress: argv, envpAddress: envp, auxvAddress: auxv, auxv: aux)
    }
}

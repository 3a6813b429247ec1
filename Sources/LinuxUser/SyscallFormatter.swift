import GuestMemory

/// Renders a syscall as strace does: `write(1, "hello\n", 6) = 6`,
/// `openat(AT_FDCWD, "x", O_RDONLY) = -1 ENOENT (No such file or directory)`.
public enum SyscallFormatter {
    /// strace's default string limit (-s 32).
    public static let stringLimit = 32

    public static func line(name: String, kinds: [SyscallArg], args: [UInt64], result: Int64, errno: Errno?,
                            noReturn: Bool, memory: GuestMemory) -> String {
        var parts: [String] = []
        for (i, kind) in kinds.enumerated() where i < args.count {
            // strace leaves out open's mode unless O_CREAT or O_TMPFILE asks for one.
            if kind == .octal, i > 0, kinds[i - 1] == .openFlags, args[i - 1] & 0o20000100 == 0 { continue }
            parts.append(argument(kind, args[i], args: args, result: errno == nil ? result : nil, memory: memory))
        }
        let call = "\(name)(\(parts.joined(separator: ", ")))"
        if noReturn { return call + " = ?" }
        if let errno { return call + " = -1 \(errno.name) (\(errno.message))" }
        let hexResult = ["brk", "mmap", "mremap"].contains(name)
        return call + " = " + (hexResult ? "0x" + String(UInt64(bitPattern: result), radix: 16) : String(result))
    }

    static func argument(_ kind: SyscallArg, _ v: UInt64, args: [UInt64], result: Int64?, memory: GuestMemory) -> String {
        switch kind {
        case .int: return String(Int64(bitPattern: v))
        case .hex: return v == 0 ? "NULL" : "0x" + String(v, radix: 16)
        case .flags: return v == 0 ? "0" : "0x" + String(v, radix: 16)
        case .octal: return v & 0o7777 == 0 ? "0" : "0" + String(v & 0o7777, radix: 8)
        case .dirfd: return Int32(truncatingIfNeeded: v) == -100 ? "AT_FDCWD" : String(Int32(truncatingIfNeeded: v))
        case .signal: return signalName(Int32(truncatingIfNeeded: v))
        case .openFlags: return openFlags(v)
        case .atFlags: return named(v, [(0x100, "AT_SYMLINK_NOFOLLOW"), (0x200, "AT_REMOVEDIR"), (0x400, "AT_SYMLINK_FOLLOW"),
                                         (0x800, "AT_NO_AUTOMOUNT"), (0x1000, "AT_EMPTY_PATH")])
        case .prot: return v == 0 ? "PROT_NONE" : named(v, [(1, "PROT_READ"), (2, "PROT_WRITE"), (4, "PROT_EXEC")])
        // powerpc's values (asm/mman.h differs from the generic one for MAP_NORESERVE and MAP_LOCKED).
        case .mapFlags: return named(v, [(0x01, "MAP_SHARED"), (0x02, "MAP_PRIVATE"), (0x10, "MAP_FIXED"), (0x20, "MAP_ANONYMOUS"),
                                         (0x40, "MAP_NORESERVE"), (0x80, "MAP_LOCKED"), (0x100, "MAP_GROWSDOWN"),
                                         (0x8000, "MAP_POPULATE"), (0x20000, "MAP_STACK"), (0x100000, "MAP_FIXED_NOREPLACE")])
        case .fdPair:
            guard result != nil, let r = memory.load32(v), let w = memory.load32(v &+ 4) else { return v == 0 ? "NULL" : "0x" + String(v, radix: 16) }
            return "[\(Int32(bitPattern: r)), \(Int32(bitPattern: w))]"
        case .bits(_, let names):
            return named(v, names.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        case .choice(_, let names):
            return names[v & 0xFFFF_FFFF] ?? String(Int32(truncatingIfNeeded: v))
        case .path:
            guard v != 0 else { return "NULL" }
            guard let bytes = try? memory.readCString(v, limit: 4096) else { return "0x" + String(v, radix: 16) }
            return quote(bytes, limit: 4096)
        case .inBuffer(let n):
            return buffer(v, count: n < args.count ? args[n] : 0, memory: memory)
        case .outBuffer:
            guard let result, result >= 0 else { return v == 0 ? "NULL" : "0x" + String(v, radix: 16) }
            return buffer(v, count: UInt64(result), memory: memory)
        }
    }

    static func buffer(_ address: UInt64, count: UInt64, memory: GuestMemory) -> String {
        let shown = Int(min(count, UInt64(stringLimit)))
        guard let bytes = try? memory.read(address, count: shown) else { return "0x" + String(address, radix: 16) }
        return quote(bytes, limit: stringLimit) + (count > UInt64(stringLimit) ? "..." : "")
    }

    /// A C string literal as strace writes one (octal escapes for other non-printables).
    public static func quote(_ bytes: [UInt8], limit: Int) -> String {
        var s = "\""
        for b in bytes.prefix(limit) {
            switch b {
            case 10: s += "\\n"
            case 9: s += "\\t"
            case 13: s += "\\r"
            case 11: s += "\\v"
            case 12: s += "\\f"
            case 34: s += "\\\""
            case 92: s += "\\\\"
            case 32..<127: s.unicodeScalars.append(UnicodeScalar(b))
            default: s += "\\" + String(b, radix: 8)
            }
        }
        return s + "\"" + (bytes.count > limit ? "..." : "")
    }

    static let signalNames = [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
                              8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE",
                              14: "SIGALRM", 15: "SIGTERM", 17: "SIGCHLD"]
    public static func signalName(_ n: Int32) -> String { signalNames[Int(n)] ?? String(n) }

    /// `A|B|0x40`: the named bits, then whatever is left in hex; `0` for none.
    static func named(_ v: UInt64, _ bits: [(UInt64, String)]) -> String {
        var names: [String] = [], rest = v
        for (bit, name) in bits where rest & bit != 0 { names.append(name); rest &= ~bit }
        if rest != 0 { names.append("0x" + String(rest, radix: 16)) }
        return names.isEmpty ? "0" : names.joined(separator: "|")
    }

    static func openFlags(_ v: UInt64) -> String {
        var names = [["O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"][Int(v & 3)]]
        // powerpc's values (asm/fcntl.h differs from the generic one for the four marked).
        let bits: [(UInt64, String)] = [(0o100, "O_CREAT"), (0o200, "O_EXCL"), (0o400, "O_NOCTTY"), (0o1000, "O_TRUNC"),
                                        (0o2000, "O_APPEND"), (0o4000, "O_NONBLOCK"), (0o40000, "O_DIRECTORY"),
                                        (0o100000, "O_NOFOLLOW"), (0o200000, "O_LARGEFILE"), (0o400000, "O_DIRECT"),
                                        (0o1000000, "O_NOATIME"), (0o2000000, "O_CLOEXEC"), (0o10000000, "O_PATH")]
        var rest = v & ~3
        for (bit, name) in bits where rest & bit != 0 { names.append(name); rest &= ~bit }
        if rest != 0 { names.append("0" + String(rest, radix: 8)) }
        return names.joined(separator: "|")
    }
}

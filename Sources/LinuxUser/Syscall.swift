import GuestMemory
import PowerISA

/// How a syscall argument is shown in a trace line (strace's conventions).
public enum SyscallArg: Sendable, Equatable {
    /// Signed decimal (fds, counts, offsets).
    case int
    /// A pointer: 0x-prefixed hex, NULL for 0.
    case hex
    /// Flags or masks: 0x-prefixed hex, 0 for 0.
    case flags
    /// A NUL-terminated string in guest memory.
    case path
    /// A buffer the guest passes in; its length is argument `n`.
    case inBuffer(lengthArg: Int)
    /// A buffer the syscall fills; on success its length is the result.
    case outBuffer
    /// open/openat flags (`O_RDONLY|O_CLOEXEC`).
    case openFlags
    /// A directory fd (`AT_FDCWD` for -100).
    case dirfd
    /// Octal (modes).
    case octal
    /// A signal number (`SIGABRT`).
    case signal
    /// `AT_*` flags of the *at calls (`AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH`).
    case atFlags
    /// mmap/mprotect protection (`PROT_READ|PROT_WRITE`).
    case prot
    /// mmap flags (`MAP_PRIVATE|MAP_ANONYMOUS`).
    case mapFlags
    /// An `int[2]` the call fills (pipe): `[3, 4]` on success.
    case fdPair
    /// One of a set of named constants (`PR_SET_NAME`, `ITIMER_REAL`); the string is the short
    /// name `lpar syscalls` shows. Other values are shown in decimal.
    case choice(String, [UInt64: String])
    /// Named flag bits (`O_NONBLOCK|O_CLOEXEC`), `0` for none; the string is the short name.
    case bits(String, [UInt64: String])
}

extension SyscallArg: CustomStringConvertible {
    /// The short name `lpar syscalls` shows.
    public var description: String {
        switch self {
        case .int: return "int"
        case .hex: return "ptr"
        case .flags: return "flags"
        case .path: return "path"
        case .inBuffer(let n): return "buf[arg\(n)]"
        case .outBuffer: return "outbuf"
        case .openFlags: return "oflags"
        case .dirfd: return "dirfd"
        case .octal: return "mode"
        case .signal: return "sig"
        case .atFlags: return "atflags"
        case .prot: return "prot"
        case .mapFlags: return "mapflags"
        case .fdPair: return "int[2]"
        case .choice(let name, _), .bits(let name, _): return name
        }
    }
}

/// The arguments of one `sc 0`: r3…r8.
public struct SyscallArgs {
    public let raw: [UInt64]
    public subscript(i: Int) -> UInt64 { raw[i] }
    public func int(_ i: Int) -> Int64 { Int64(bitPattern: raw[i]) }
    /// A 32-bit int argument (the kernel takes the low word and sign-extends it).
    public func int32(_ i: Int) -> Int32 { Int32(truncatingIfNeeded: raw[i]) }

    /// The six arguments of the `sc` a vCPU is making: r3–r8.
    init(cpu: CPU) { raw = Array(UnsafeBufferPointer(start: cpu.gpr + 3, count: 6)) }
}

/// One row of the syscall table: the single source for dispatch and tracing.
public struct SyscallSpec: @unchecked Sendable {
    public let number: UInt64
    public let name: String
    public let args: [SyscallArg]
    /// Returns the result (≥ 0) or throws the errno. Errors thrown that are not `Errno` mean a
    /// bad guest pointer and become EFAULT.
    public let handler: (LinuxProcess, SyscallArgs) throws -> Int64

    public init(_ number: UInt64, _ name: String, _ args: [SyscallArg], _ handler: @escaping (LinuxProcess, SyscallArgs) throws -> Int64) {
        self.number = number; self.name = name; self.args = args; self.handler = handler
    }
}

/// What one `sc 0` did, for traces and statistics.
public struct SyscallRecord: Sendable {
    public let number: UInt64
    /// The table's name, or nil for a number lpar does not implement (it returned ENOSYS).
    public let name: String?
    /// r3…r8 on entry.
    public let args: [UInt64]
    /// The value the guest sees in r3 on success, or -1 on error.
    public let result: Int64
    public let errno: Errno?
    /// The strace-style line (`write(1, "hi\n", 3) = 3`), rendered right after the call while
    /// the guest memory it quotes is as the syscall left it; nil when not asked for.
    public let text: String?
    /// The table's name, else ppc64's name for the number (`clone`), else `syscall_N`.
    public var displayName: String { name ?? SyscallNames.name(number) }

    public init(number: UInt64, name: String?, args: [UInt64], result: Int64, errno: Errno?, text: String?) {
        self.number = number; self.name = name; self.args = args; self.result = result; self.errno = errno; self.text = text
    }
}

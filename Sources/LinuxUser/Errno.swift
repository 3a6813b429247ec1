#if canImport(Glibc)
import Glibc
#endif

/// A Linux errno as the guest sees it. powerpc uses the generic numbering (asm-generic/errno*.h)
/// except EDEADLOCK (58), so a host errno from x86-64 Linux passes through unchanged.
public struct Errno: Error, Equatable, Sendable {
    public let code: Int32
    public init(_ code: Int32) { self.code = code }

    /// The errno the last failed host call left (EIO if it left none).
    static var host: Errno { Errno(errno == 0 ? Glibc.EIO : errno) }

    public static let EPERM = Errno(1), ENOENT = Errno(2), ESRCH = Errno(3), EINTR = Errno(4), EIO = Errno(5)
    public static let EBADF = Errno(9), ECHILD = Errno(10), EAGAIN = Errno(11), ENOMEM = Errno(12), EACCES = Errno(13)
    public static let EFAULT = Errno(14), EEXIST = Errno(17), ENOTDIR = Errno(20), EISDIR = Errno(21), EINVAL = Errno(22)
    public static let EMFILE = Errno(24), ENOTTY = Errno(25), ESPIPE = Errno(29), ERANGE = Errno(34), ENAMETOOLONG = Errno(36)
    public static let ENOSYS = Errno(38), ETIMEDOUT = Errno(110)

    /// The symbolic name strace prints (`ENOENT`), or `E<n>` for one lpar does not name.
    public var name: String { Self.names[Int(code)].flatMap { $0.isEmpty ? nil : $0 } ?? "E\(code)" }
    /// The message strace prints after the name.
    public var message: String { String(cString: strerror(code)) }

    static let names: [Int: String] = [
        1: "EPERM", 2: "ENOENT", 3: "ESRCH", 4: "EINTR", 5: "EIO", 6: "ENXIO", 7: "E2BIG", 8: "ENOEXEC", 9: "EBADF",
        10: "ECHILD", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT", 15: "ENOTBLK", 16: "EBUSY", 17: "EEXIST",
        18: "EXDEV", 19: "ENODEV", 20: "ENOTDIR", 21: "EISDIR", 22: "EINVAL", 23: "ENFILE", 24: "EMFILE", 25: "ENOTTY",
        26: "ETXTBSY", 27: "EFBIG", 28: "ENOSPC", 29: "ESPIPE", 30: "EROFS", 31: "EMLINK", 32: "EPIPE", 33: "EDOM",
        34: "ERANGE", 35: "EDEADLK", 36: "ENAMETOOLONG", 37: "ENOLCK", 38: "ENOSYS", 39: "ENOTEMPTY", 40: "ELOOP",
        61: "ENODATA", 75: "EOVERFLOW", 95: "EOPNOTSUPP", 110: "ETIMEDOUT",
    ]
}

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
    public static let EMFILE = Errno(24), ENOTTY = Errno(25), ESPIPE = Errno(29), ERANGE = Errno(34), ENAMETOOLONG = Errno(36), ELOOP = Errno(40)
    public static let ENOSYS = Errno(38), ETIMEDOUT = Errno(110)

    /// The symbolic name strace prints (`ENOENT`), or `E<n>` for one lpar does not name.
    public var name: String { Self.names[Int(code)].flatMap { $0.isEmpty ? nil : $0 } ?? "E\(code)" }
    /// The message strace prints after the name (the host's text: the numbers agree, but
    /// powerpc's EDEADLOCK (58) has no x86-64 counterpart).
    public var message: String {
        code == 58 ? "File locking deadlock error" : String(cString: strerror(code))
    }

    static let names: [Int: String] = [
        1: "EPERM", 2: "ENOENT", 3: "ESRCH", 4: "EINTR", 5: "EIO", 6: "ENXIO", 7: "E2BIG", 8: "ENOEXEC", 9: "EBADF",
        10: "ECHILD", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT", 15: "ENOTBLK", 16: "EBUSY", 17: "EEXIST",
        18: "EXDEV", 19: "ENODEV", 20: "ENOTDIR", 21: "EISDIR", 22: "EINVAL", 23: "ENFILE", 24: "EMFILE", 25: "ENOTTY",
        26: "ETXTBSY", 27: "EFBIG", 28: "ENOSPC", 29: "ESPIPE", 30: "EROFS", 31: "EMLINK", 32: "EPIPE", 33: "EDOM",
        34: "ERANGE", 35: "EDEADLK", 36: "ENAMETOOLONG", 37: "ENOLCK", 38: "ENOSYS", 39: "ENOTEMPTY", 40: "ELOOP",
        42: "ENOMSG", 43: "EIDRM", 58: "EDEADLOCK", 61: "ENODATA", 62: "ETIME", 71: "EPROTO", 74: "EBADMSG", 75: "EOVERFLOW",
        77: "EBADFD", 84: "EILSEQ", 88: "ENOTSOCK", 89: "EDESTADDRREQ", 90: "EMSGSIZE", 91: "EPROTOTYPE", 92: "ENOPROTOOPT",
        93: "EPROTONOSUPPORT", 95: "EOPNOTSUPP", 97: "EAFNOSUPPORT", 98: "EADDRINUSE", 99: "EADDRNOTAVAIL", 100: "ENETDOWN",
        101: "ENETUNREACH", 103: "ECONNABORTED", 104: "ECONNRESET", 105: "ENOBUFS", 106: "EISCONN", 107: "ENOTCONN",
        110: "ETIMEDOUT", 111: "ECONNREFUSED", 113: "EHOSTUNREACH", 114: "EALREADY", 115: "EINPROGRESS", 116: "ESTALE",
        122: "EDQUOT", 125: "ECANCELED",
    ]
}

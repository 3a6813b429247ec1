#if canImport(Glibc)
import Glibc
#endif

/// Raw host system calls Glibc's Swift overlay does not offer (its `syscall` is variadic, so
/// unavailable; getdents64, getrandom, sched_getaffinity and sysinfo are not in the module). The host is
/// x86-64 Linux, whose numbers these are.
enum HostSyscall {
    typealias Fn = @convention(c) (Int, Int, Int, Int) -> Int
    /// libc's syscall(2), called through a fixed-arity pointer: on x86-64 integer arguments of a
    /// variadic call travel exactly as for a prototyped one.
    static let fn: Fn? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syscall").map { unsafeBitCast($0, to: Fn.self) }

    static let getdents64 = 217, getrandom = 318, schedGetaffinity = 204, sysinfo = 99

    /// Returns the result, or -1 with errno set (ENOSYS when libc's syscall cannot be found).
    static func call(_ n: Int, _ a: Int, _ b: Int, _ c: Int) -> Int {
        guard let fn else { errno = ENOSYS; return -1 }
        return fn(n, a, b, c)
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Raw host system calls Glibc's Swift overlay does not offer (its `syscall` is variadic, so
/// unavailable; getdents64, getrandom, sched_*affinity, sysinfo, pipe2, eventfd2, memfd_create,
/// copy_file_range and statfs are not in the module). The host is x86-64 Linux, whose numbers
/// these are (asm/unistd_64.h).
enum HostSyscall {
    typealias Fn = @convention(c) (Int, Int, Int, Int, Int, Int, Int) -> Int
    /// libc's syscall(2), called through a fixed-arity pointer: on x86-64 integer arguments of a
    /// variadic call travel exactly as for a prototyped one.
    static let fn: Fn? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syscall").map { unsafeBitCast($0, to: Fn.self) }

    static let getdents64 = 217, getrandom = 318, schedGetaffinity = 204, schedSetaffinity = 203, sysinfo = 99
    static let pipe2 = 293, eventfd2 = 290, memfdCreate = 319, copyFileRange = 326, statfs = 137, fstatfs = 138
    static let getpriority = 140, setpriority = 141

    /// Returns the result, or -1 with errno set (ENOSYS when libc's syscall cannot be found).
    static func call(_ n: Int, _ a: Int, _ b: Int = 0, _ c: Int = 0, _ d: Int = 0, _ e: Int = 0, _ f: Int = 0) -> Int {
        guard let fn else { errno = ENOSYS; return -1 }
        return fn(n, a, b, c, d, e, f)
    }
}

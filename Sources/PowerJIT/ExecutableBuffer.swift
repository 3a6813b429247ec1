#if canImport(Glibc)
import Glibc
#endif

/// Memory for generated code, W^X: one shared-memory object mapped twice, writable at `write`
/// and executable at `execute`, never both at one address. Code is emitted and patched through
/// `write`; the host runs it at the same offset in `execute` (x86 keeps instruction fetches
/// coherent with stores to the physical page, so no flush is needed after a patch).
///
/// nil from `init` when the host refuses (no memfd, a policy forbidding PROT_EXEC): the engine
/// then stays off and `--stats` says why.
final class ExecutableBuffer {
    let size: Int
    let write: UnsafeMutablePointer<UInt8>
    let execute: UnsafeMutablePointer<UInt8>

    private init(size: Int, write: UnsafeMutablePointer<UInt8>, execute: UnsafeMutablePointer<UInt8>) {
        self.size = size
        self.write = write
        self.execute = execute
    }

    /// Why the last `make` failed, for `--stats`.
    nonisolated(unsafe) static var refusal: String?

    static func make(size: Int) -> ExecutableBuffer? {
        let fd = memoryFile()
        guard fd >= 0 else { refusal = "no anonymous memory file for a dual mapping (\(String(cString: strerror(errno))))"; return nil }
        defer { close(fd) }
        guard ftruncate(fd, off_t(size)) == 0 else { refusal = "ftruncate: \(String(cString: strerror(errno)))"; return nil }
        let w = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        guard let w, w != MAP_FAILED else { refusal = "mmap (write view): \(String(cString: strerror(errno)))"; return nil }
        let x = mmap(nil, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0)
        guard let x, x != MAP_FAILED else {
            refusal = "executable memory refused: \(String(cString: strerror(errno)))"
            munmap(w, size)
            return nil
        }
        return ExecutableBuffer(size: size, write: w.assumingMemoryBound(to: UInt8.self), execute: x.assumingMemoryBound(to: UInt8.self))
    }

    deinit {
        munmap(write, size)
        munmap(execute, size)
    }

    /// memfd_create when the C library has it (looked up at run time: older headers lack it),
    /// else an unlinked file in /dev/shm.
    private static func memoryFile() -> Int32 {
        typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>, UInt32) -> Int32
        if let sym = dlsym(nil /* RTLD_DEFAULT */, "memfd_create") {
            let f = unsafeBitCast(sym, to: MemfdCreate.self)
            let fd = f("lpar-jit", 1 /* MFD_CLOEXEC */)
            if fd >= 0 { return fd }
        }
        var template = Array("/dev/shm/lpar-jit-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd >= 0 { template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) } }
        return fd
    }
}
